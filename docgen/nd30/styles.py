"""Effective formatting of runs and paragraphs, the way Word computes it.

Order, lowest priority first: document defaults (``w:docDefaults``) → table style (for text in a table)
→ paragraph style (with its ``w:basedOn`` chain) → numbering level (indentation only) → character style
(with its chain) → direct formatting.  Fonts are resolved slot by slot (ascii, hAnsi, eastAsia, cs); a
theme attribute (``w:asciiTheme="minorHAnsi"``) names the theme's minor/major font and wins over the
explicit name given at the same level.  Toggle properties (bold, italic, caps, hidden) follow ECMA-376
§17.7.3: inside one style chain the nearest value wins, and across the table/paragraph/character style
levels the values that are "on" cancel in pairs; direct formatting sets the value outright.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

from lxml import etree

from .package import A_NS, W_NS

_W = f"{{{W_NS}}}"
_A = f"{{{A_NS}}}"

FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
_THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}
TOGGLES = ("b", "i", "caps", "smallCaps", "vanish", "strike")
_FALSE = {"0", "false", "off", "none"}

DEFAULT_SIZE = 20        # half-points: Word's built-in default when nothing sets w:sz (10 pt)


def w(tag: str) -> str:
    return _W + tag


def on_off(el: etree._Element | None) -> bool | None:
    """Value of an ST_OnOff element: absent → None; ``<w:b/>`` → True; ``w:val="0"/"false"/"off"`` → False."""
    if el is None:
        return None
    val = el.get(_W + "val")
    return val is None or val.strip().lower() not in _FALSE


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(round(float(value)))
    except ValueError:
        return None


@dataclass(frozen=True)
class RunProps:
    """Effective run formatting (fonts by slot, size in half-points, toggles)."""

    fonts: tuple[str | None, str | None, str | None, str | None]   # ascii, hAnsi, eastAsia, cs
    hint: str | None
    size: int                     # half-points
    bold: bool
    italic: bool
    caps: bool
    small_caps: bool
    vanish: bool
    underline: str | None         # None or the w:u value other than "none"
    vert_align: str | None
    complex_script: bool          # w:rtl or w:cs: text uses the cs font

    @property
    def size_pt(self) -> float:
        return self.size / 2

    def font(self, slot: str) -> str | None:
        return self.fonts[FONT_SLOTS.index(slot)]


@dataclass(frozen=True)
class ParaProps:
    """Effective paragraph formatting (lengths in twips)."""

    style_id: str | None
    jc: str | None
    left: int
    right: int
    first_line: int | None        # twips, negative for a hanging indent; None when given in characters only
    first_line_chars: int | None  # hundredths of a character (w:firstLineChars / -w:hangingChars)
    before: int
    after: int
    before_auto: bool
    after_auto: bool
    before_lines: int | None
    after_lines: int | None
    line: int | None
    line_rule: str | None
    contextual: bool
    borders: frozenset[str]       # sides with a visible border: top, bottom, left, right, between
    tabs: tuple[tuple[int, str], ...]
    num: tuple[str, int] | None   # (numId, ilvl)
    page_break_before: bool

    def first_line_twips(self, size_half_points: int) -> int:
        """First-line indent in twips; character units count one character as one em of the text size."""
        if self.first_line_chars is not None:
            return round(self.first_line_chars / 100 * size_half_points * 10)
        return self.first_line or 0

    def spacing_before(self) -> int:
        if self.before_auto:
            return 280
        if self.before_lines is not None:
            return round(self.before_lines * 2.4)
        return self.before

    def spacing_after(self) -> int:
        if self.after_auto:
            return 280
        if self.after_lines is not None:
            return round(self.after_lines * 2.4)
        return self.after

    @property
    def justified(self) -> bool:
        return self.jc in {"both", "distribute", "thaiDistribute", "lowKashida", "mediumKashida", "highKashida"}

    @property
    def centered(self) -> bool:
        return self.jc == "center"


def _parse_rpr(rpr: etree._Element | None, theme: dict[str, str | None]) -> tuple[dict, dict]:
    """(plain properties, toggles) set by one ``w:rPr`` element."""
    props: dict = {}
    toggles: dict = {}
    if rpr is None:
        return props, toggles
    for child in rpr:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(_W):
            continue
        name = tag[len(_W):]
        if name == "rFonts":
            for slot in FONT_SLOTS:
                theme_ref = child.get(_W + _THEME_ATTR[slot])
                value = None
                if theme_ref:
                    value = theme.get(theme_ref)
                if not value:
                    value = child.get(_W + slot)
                if value:
                    props["font." + slot] = value.strip()
            hint = child.get(_W + "hint")
            if hint:
                props["hint"] = hint
        elif name == "sz":
            size = _int(child.get(_W + "val"))
            if size is not None and size > 0:
                props["sz"] = size
        elif name in TOGGLES:
            toggles[name] = on_off(child)
        elif name == "u":
            val = child.get(_W + "val") or "single"
            props["u"] = None if val == "none" else val
        elif name == "vertAlign":
            props["vertAlign"] = child.get(_W + "val")
        elif name in ("rtl", "cs"):
            props["cscript"] = bool(props.get("cscript")) or bool(on_off(child))
    return props, toggles


def _ppr_jc(child: etree._Element, props: dict) -> None:
    props["jc"] = child.get(_W + "val")


def _ppr_ind(child: etree._Element, props: dict) -> None:
    left = child.get(_W + "left", child.get(_W + "start"))
    right = child.get(_W + "right", child.get(_W + "end"))
    if left is not None:
        props["ind.left"] = _int(left) or 0
    if right is not None:
        props["ind.right"] = _int(right) or 0
    first = None
    fl_chars, hg_chars = _int(child.get(_W + "firstLineChars")), _int(child.get(_W + "hangingChars"))
    fl, hg = _int(child.get(_W + "firstLine")), _int(child.get(_W + "hanging"))
    if hg_chars:
        first = ("chars", -hg_chars)
    elif fl_chars:
        first = ("chars", fl_chars)
    elif hg is not None:
        first = ("twips", -hg)
    elif fl is not None:
        first = ("twips", fl)
    if first is not None:
        props["ind.first"] = first


def _ppr_spacing(child: etree._Element, props: dict) -> None:
    for attr, key in (("before", "sp.before"), ("after", "sp.after"), ("line", "sp.line"),
                      ("beforeLines", "sp.beforeLines"), ("afterLines", "sp.afterLines")):
        value = _int(child.get(_W + attr))
        if value is not None:
            props[key] = value
    rule = child.get(_W + "lineRule")
    if rule:
        props["sp.lineRule"] = rule
    for attr, key in (("beforeAutospacing", "sp.beforeAuto"), ("afterAutospacing", "sp.afterAuto")):
        value = child.get(_W + attr)
        if value is not None:
            props[key] = value.strip().lower() not in _FALSE


def _ppr_borders(child: etree._Element, props: dict) -> None:
    for side in child:
        if not isinstance(side.tag, str):
            continue
        side_name = etree.QName(side).localname
        val = (side.get(_W + "val") or "").lower()
        visible = val not in ("", "nil", "none") and (_int(side.get(_W + "sz")) or 2) > 0
        props["bdr." + side_name] = visible


def _ppr_tabs(child: etree._Element, props: dict) -> None:
    tabs = []
    for tab in child:
        if isinstance(tab.tag, str) and tab.tag == _W + "tab":
            pos = _int(tab.get(_W + "pos"))
            if pos is not None:
                tabs.append((pos, tab.get(_W + "val") or "left"))
    props["tabs"] = tabs


def _ppr_numbering(child: etree._Element, props: dict) -> None:
    num_id = child.find(_W + "numId")
    ilvl = child.find(_W + "ilvl")
    if num_id is not None:
        props["num"] = (num_id.get(_W + "val") or "0", _int(ilvl.get(_W + "val")) if ilvl is not None else 0)


def _ppr_flag(key: str) -> Callable[[etree._Element, dict], None]:
    def parse(child: etree._Element, props: dict) -> None:
        props[key] = bool(on_off(child))
    return parse


# w:pPr child (local name) -> the function that stores what it says in the props dict
_PPR_PARSERS: dict[str, Callable[[etree._Element, dict], None]] = {
    "jc": _ppr_jc,
    "ind": _ppr_ind,
    "spacing": _ppr_spacing,
    "contextualSpacing": _ppr_flag("ctx"),
    "pageBreakBefore": _ppr_flag("pbb"),
    "pBdr": _ppr_borders,
    "tabs": _ppr_tabs,
    "numPr": _ppr_numbering,
}


def _parse_ppr(ppr: etree._Element | None) -> dict:
    props: dict = {}
    if ppr is None:
        return props
    for child in ppr:
        tag = child.tag
        if not isinstance(tag, str) or not tag.startswith(_W):
            continue
        parse = _PPR_PARSERS.get(tag[len(_W):])
        if parse is not None:
            parse(child, props)
    return props


@dataclass
class _Style:
    style_id: str
    type: str
    based_on: str | None
    ppr: dict
    rpr: dict
    toggles: dict


@dataclass
class _Resolved:
    ppr: dict
    rpr: dict
    toggles: dict
    tabs: list = field(default_factory=list)


def read_theme_fonts(theme: etree._Element | None) -> dict[str, str | None]:
    """Map ``minorHAnsi``/``majorAscii``/... to the theme's typeface names."""
    fonts: dict[str, str | None] = {}
    if theme is None:
        return fonts
    for kind in ("major", "minor"):
        el = theme.find(f".//{_A}{kind}Font")
        if el is None:
            continue
        latin = el.find(_A + "latin")
        ea = el.find(_A + "ea")
        cs = el.find(_A + "cs")
        latin_name = latin.get("typeface") if latin is not None else None
        fonts[f"{kind}Ascii"] = latin_name or None
        fonts[f"{kind}HAnsi"] = latin_name or None
        fonts[f"{kind}EastAsia"] = (ea.get("typeface") if ea is not None else None) or None
        fonts[f"{kind}Bidi"] = (cs.get("typeface") if cs is not None else None) or None
    return fonts


class StyleResolver:
    """Computes :class:`RunProps` and :class:`ParaProps`; results for style combinations are cached."""

    def __init__(self, styles: etree._Element | None, theme: etree._Element | None,
                 numbering: etree._Element | None = None):
        self.theme_fonts = read_theme_fonts(theme)
        self.styles: dict[str, _Style] = {}
        self.styles_xml: dict[str, etree._Element] = {}
        self.defaults: dict[str, str] = {}
        self.doc_rpr: dict = {}
        self.doc_toggles: dict = {}
        self.doc_ppr: dict = {}
        if styles is not None:
            defaults = styles.find(w("docDefaults"))
            if defaults is not None:
                self.doc_rpr, self.doc_toggles = _parse_rpr(defaults.find(f"{_W}rPrDefault/{_W}rPr"), self.theme_fonts)
                self.doc_ppr = _parse_ppr(defaults.find(f"{_W}pPrDefault/{_W}pPr"))
            for el in styles.iter(w("style")):
                style_id = el.get(_W + "styleId")
                if not style_id:
                    continue
                stype = el.get(_W + "type") or "paragraph"
                based = el.find(w("basedOn"))
                rpr, toggles = _parse_rpr(el.find(w("rPr")), self.theme_fonts)
                ppr = _parse_ppr(el.find(w("pPr")))
                self.styles_xml[style_id] = el
                self.styles[style_id] = _Style(style_id, stype, based.get(_W + "val") if based is not None else None,
                                               ppr, rpr, toggles)
                if on_off_attr(el.get(_W + "default")) and stype not in self.defaults:
                    self.defaults[stype] = style_id
        self._numbering = _read_numbering(numbering)
        self._chain_cache: dict[str, _Resolved] = {}
        self._run_cache: dict[tuple, tuple[dict, dict]] = {}
        self._para_cache: dict[tuple, dict] = {}

    # -- style chains -------------------------------------------------------------------------------

    def _chain(self, style_id: str | None) -> _Resolved:
        """Properties of a style with its basedOn ancestors merged (nearest wins)."""
        if not style_id:
            return _Resolved({}, {}, {})
        cached = self._chain_cache.get(style_id)
        if cached is not None:
            return cached
        chain: list[_Style] = []
        seen: set[str] = set()
        current = self.styles.get(style_id)
        while current is not None and current.style_id not in seen and len(chain) < 50:
            seen.add(current.style_id)
            chain.append(current)
            current = self.styles.get(current.based_on) if current.based_on else None
        ppr: dict = {}
        rpr: dict = {}
        toggles: dict = {}
        tabs: list = []
        for style in reversed(chain):
            style_ppr = dict(style.ppr)
            if "tabs" in style_ppr:
                tabs = _merge_tabs(tabs, style_ppr.pop("tabs"))
            ppr.update(style_ppr)
            rpr.update(style.rpr)
            toggles.update(style.toggles)
        resolved = _Resolved(ppr, rpr, toggles, tabs)
        self._chain_cache[style_id] = resolved
        return resolved

    def paragraph_style_id(self, p_style: str | None) -> str | None:
        style = self.styles.get(p_style or "")
        if style is not None and style.type == "paragraph":
            return p_style
        return self.defaults.get("paragraph")

    def table_style_id(self, tbl_style: str | None) -> str | None:
        style = self.styles.get(tbl_style or "")
        if style is not None and style.type == "table":
            return tbl_style
        return self.defaults.get("table")

    def character_style_id(self, r_style: str | None) -> str | None:
        style = self.styles.get(r_style or "")
        if style is not None and style.type == "character":
            return r_style
        return self.defaults.get("character")

    # -- runs ---------------------------------------------------------------------------------------

    def _style_run_base(self, tbl_style: str | None, p_style: str | None, r_style: str | None) -> tuple[dict, dict]:
        key = (tbl_style, p_style, r_style)
        cached = self._run_cache.get(key)
        if cached is not None:
            return cached
        levels = [self._chain(tbl_style), self._chain(p_style), self._chain(r_style)]
        props = dict(self.doc_rpr)
        for level in levels:
            props.update(level.rpr)
        toggles: dict = {}
        for name in TOGGLES:
            values = [level.toggles.get(name) for level in levels]
            if all(v is None for v in values):
                toggles[name] = bool(self.doc_toggles.get(name))
            else:
                toggles[name] = sum(1 for v in values if v) % 2 == 1
        self._run_cache[key] = (props, toggles)
        return props, toggles

    def run_props(self, rpr: etree._Element | None, *, p_style: str | None, tbl_style: str | None,
                  in_table: bool) -> RunProps:
        r_style = None
        if rpr is not None:
            rs = rpr.find(w("rStyle"))
            if rs is not None:
                r_style = rs.get(_W + "val")
        base_props, base_toggles = self._style_run_base(
            self.table_style_id(tbl_style) if in_table else None,
            self.paragraph_style_id(p_style),
            self.character_style_id(r_style))
        direct, direct_toggles = _parse_rpr(rpr, self.theme_fonts)
        props = {**base_props, **direct} if direct else base_props
        toggles = {**base_toggles, **{k: v for k, v in direct_toggles.items() if v is not None}}
        return RunProps(
            fonts=tuple(props.get("font." + slot) for slot in FONT_SLOTS),  # type: ignore[arg-type]
            hint=props.get("hint"),
            size=props.get("sz", DEFAULT_SIZE),
            bold=bool(toggles.get("b")),
            italic=bool(toggles.get("i")),
            caps=bool(toggles.get("caps")),
            small_caps=bool(toggles.get("smallCaps")),
            vanish=bool(toggles.get("vanish")),
            underline=props.get("u"),
            vert_align=props.get("vertAlign"),
            complex_script=bool(props.get("cscript")),
        )

    # -- paragraphs ---------------------------------------------------------------------------------

    def para_props(self, ppr: etree._Element | None, *, tbl_style: str | None, in_table: bool) -> ParaProps:
        p_style = None
        if ppr is not None:
            ps = ppr.find(w("pStyle"))
            if ps is not None:
                p_style = ps.get(_W + "val")
        p_style = self.paragraph_style_id(p_style)
        t_style = self.table_style_id(tbl_style) if in_table else None
        key = (t_style, p_style)
        base = self._para_cache.get(key)
        if base is None:
            table_level = self._chain(t_style)
            style_level = self._chain(p_style)
            base = dict(self.doc_ppr)
            base.pop("tabs", None)
            base.update(table_level.ppr)
            base.update(style_level.ppr)
            base["tabs"] = _merge_tabs(table_level.tabs, style_level.tabs)
            self._para_cache[key] = base
        direct = _parse_ppr(ppr)
        props = dict(base)
        num = direct.get("num", base.get("num"))
        if num is not None:
            level_ppr = self._numbering.get(num)
            if level_ppr:
                for k, v in level_ppr.items():
                    if k.startswith("ind."):
                        props[k] = v
        tabs = props.pop("tabs", [])
        if "tabs" in direct:
            tabs = _merge_tabs(tabs, direct.pop("tabs"))
        props.update(direct)
        first = props.get("ind.first")
        first_line = first_chars = None
        if first is not None:
            if first[0] == "chars":
                first_chars = first[1]
            else:
                first_line = first[1]
        return ParaProps(
            style_id=p_style,
            jc=props.get("jc"),
            left=props.get("ind.left", 0),
            right=props.get("ind.right", 0),
            first_line=first_line,
            first_line_chars=first_chars,
            before=props.get("sp.before", 0),
            after=props.get("sp.after", 0),
            before_auto=bool(props.get("sp.beforeAuto")),
            after_auto=bool(props.get("sp.afterAuto")),
            before_lines=props.get("sp.beforeLines"),
            after_lines=props.get("sp.afterLines"),
            line=props.get("sp.line"),
            line_rule=props.get("sp.lineRule"),
            contextual=bool(props.get("ctx")),
            borders=frozenset(k[4:] for k, v in props.items() if k.startswith("bdr.") and v),
            tabs=tuple(tabs),
            num=num if num is not None and num[0] != "0" else None,
            page_break_before=bool(props.get("pbb")),
        )


def on_off_attr(value: str | None) -> bool:
    return value is not None and value.strip().lower() not in _FALSE


def _merge_tabs(base: Iterable[tuple[int, str]], overlay: Iterable[tuple[int, str]]) -> list[tuple[int, str]]:
    tabs = {pos: val for pos, val in base}
    for pos, val in overlay:
        if val == "clear":
            tabs.pop(pos, None)
        else:
            tabs[pos] = val
    return sorted(tabs.items())


def _read_numbering(numbering: etree._Element | None) -> dict[tuple[str, int], dict]:
    """(numId, ilvl) → the level's paragraph properties (indentation is what matters here)."""
    result: dict[tuple[str, int], dict] = {}
    if numbering is None:
        return result
    abstract: dict[str, dict[int, dict]] = {}
    for an in numbering.iter(w("abstractNum")):
        levels: dict[int, dict] = {}
        for lvl in an.iter(w("lvl")):
            ilvl = _int(lvl.get(_W + "ilvl")) or 0
            levels[ilvl] = _parse_ppr(lvl.find(w("pPr")))
        abstract[an.get(_W + "abstractNumId") or ""] = levels
    for num in numbering.iter(w("num")):
        num_id = num.get(_W + "numId")
        ref = num.find(w("abstractNumId"))
        if not num_id or ref is None:
            continue
        levels = dict(abstract.get(ref.get(_W + "val") or "", {}))
        for override in num.iter(w("lvlOverride")):
            lvl = override.find(w("lvl"))
            if lvl is not None:
                levels[_int(override.get(_W + "ilvl")) or 0] = _parse_ppr(lvl.find(w("pPr")))
        for ilvl, ppr in levels.items():
            result[(num_id, ilvl)] = ppr
    return result
