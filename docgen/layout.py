"""The printed page: text widths in Times New Roman metrics, the header's line breaks, and the one layout step
done after rendering (the rules under the agency name and the trích yếu sized to the text above them).

Widths come from ``docgen/data/times_widths.json`` (advance widths of Liberation Serif, metric-compatible with
Times New Roman; regenerate with ``python tools/make_font_widths.py``), so a build needs no fonts.  Lengths
are in twips (1/20 pt; 1 cm = 567).
"""
from __future__ import annotations

import json
import unicodedata
from functools import lru_cache
from pathlib import Path

from lxml import etree


@lru_cache(maxsize=None)
def qn(tag: str) -> str:
    """``"w:tbl"`` → its Clark name (python-docx's ``qn`` for the one prefix used here, without importing
    python-docx into a process that only reads workbooks)."""
    prefix, local = tag.split(":")
    if prefix != "w":
        raise KeyError(prefix)
    return _W + local

# The built-in templates' header table (tools/make_templates.py builds it with these widths): the decree's
# samples put the agency in a column of ≈ 7–8 cm and the Quốc hiệu in one of ≈ 9.5 cm, the table reaching
# into the left margin.  CELL_PAD is the left + right cell margins.
HEADER_LEFT, HEADER_RIGHT, HEADER_INDENT = 4536, 5330, -680
CELL_PAD = 170
TEXT_W = 8788                      # A4 minus the 35 mm + 20 mm margins
AGENCY_SIZE = 12                   # ND30: 12–13 pt; 12 lets most names stand on one line
RULE_SHARE = 0.4                   # a rule is 1/3–1/2 of the line above it: aim at the middle

# The two rule styles of the built-in templates, by the name Word shows and by their style id (a clerk's copy
# renamed in another language keeps the id).
RULE_AGENCY_STYLE = "Duong ke co quan"          # the name the template generator gives, renamed when saved
RULE_TITLE_STYLE = "Duong ke trich yeu"
_RULE_NAMES = {RULE_AGENCY_STYLE: ("Đường kẻ dưới tên cơ quan", "Duongkecoquan", RULE_AGENCY_STYLE),
               RULE_TITLE_STYLE: ("Đường kẻ dưới trích yếu", "Duongketrichyeu", RULE_TITLE_STYLE)}


@lru_cache(maxsize=1)
def _table() -> dict:
    path = Path(__file__).with_name("data") / "times_widths.json"
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=8192)
def text_width(text: str, size: float, *, bold: bool = False, italic: bool = False) -> int:
    """Width of ``text`` on one line, in twips, at ``size`` pt."""
    style = ("bold" if bold else "") + ("italic" if italic else "") or "regular"
    table = _table()[style]
    widths, units = table["widths"], table["units_per_em"]
    fallback = widths.get("n", units // 2)
    total = 0
    for ch in unicodedata.normalize("NFC", text):
        w = widths.get(ch)
        if w is None:
            base = unicodedata.normalize("NFD", ch)[:1]
            w = widths.get(base, fallback)
        total += w
    return round(total * size * 20 / units)


def fits(text: str, width: int, size: float, *, bold: bool = False, italic: bool = False) -> bool:
    """Does ``text`` stand on one line ``width`` twips wide (with 2 % to spare for the renderer)?"""
    return text_width(text, size, bold=bold, italic=italic) <= width * 0.98


# ------------------------------------------------------------------------------------------------------------
# Breaking an agency name between meaningful groups
# ------------------------------------------------------------------------------------------------------------

_LOCALITY = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "ĐẶC KHU", "KHU VỰC")
_LEVEL_WORDS = ("TỐI CAO", "CẤP CAO")


def _break_rank(words: list[str], i: int) -> int:
    """How good a line break before ``words[i]`` is (0: never): before a locality or "TỐI CAO" 3, before "VÀ"
    (the last field of a Sở's name) 2, after a comma 1.  Never inside a group ("DU / LỊCH", "NHÂN / DÂN")."""
    two = " ".join(words[i:i + 2])
    if words[i] in _LOCALITY and not (words[i] == "XÃ" and words[i + 1:i + 2] == ["HỘI"]) or two in _LOCALITY:
        return 3
    if two in _LEVEL_WORDS:
        return 3
    if words[i] == "VÀ":
        return 2
    if words[i - 1].endswith(","):
        return 1
    return 0


def break_agency(name: str, width: int, size: float = AGENCY_SIZE, *, bold: bool = True) -> list[str]:
    """One line when the name fits ``width``; otherwise lines broken only between meaningful groups, the best
    break whose first line fits (locality > "VÀ" > comma; the later of two equal ones).  A name with no good
    break is returned whole: the renderer wraps it, and ``docgen check --render`` says so."""
    name = " ".join(name.split())
    if not name or fits(name, width, size, bold=bold):
        return [name] if name else []
    words = name.split(" ")
    best: tuple[int, int] | None = None
    for i in range(1, len(words)):
        rank = _break_rank(words, i)
        if rank and fits(" ".join(words[:i]), width, size, bold=bold):
            if best is None or (rank, i) > best:
                best = (rank, i)
    if best is None:
        return [name]
    i = best[1]
    return [" ".join(words[:i]), *break_agency(" ".join(words[i:]), width, size, bold=bold)]


# ------------------------------------------------------------------------------------------------------------
# After rendering: what the layout step reads of a document's styles and sections
# ------------------------------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _PPR, _PSTYLE, _T, _VAL = _W + "p", _W + "pPr", _W + "pStyle", _W + "t", _W + "val"
_TBL, _TR, _TC, _TCPR, _TCW, _SPAN = _W + "tbl", _W + "tr", _W + "tc", _W + "tcPr", _W + "tcW", _W + "gridSpan"
_WIDTH, _TYPE, _SECTPR, _IND = _W + "w", _W + "type", _W + "sectPr", _W + "ind"
_IND_SIDES = tuple(_W + a for a in ("left", "right", "start", "end", "firstLine", "hanging"))
_NS = {"w": _W[1:-1]}
# A list table (see _is_list_table), found by libxml2 rather than by looking at every table in Python.
_LIST_TABLES = etree.XPath("descendant::w:tbl[w:tr[1]/w:trPr/w:tblHeader]"
                           "[(w:tblPr/w:tblBorders)[1]/w:top[1][not(@w:val = 'nil' or @w:val = 'none')]]",
                           namespaces=_NS)
_NEEDS_KEPT = 20000                # remembered cell texts per styles part (a batch repeats "1", "Đồng ý", …)


class Styles:
    """What the layout step reads of one styles part (which never changes while a batch renders thousands of
    documents with it): the rule styles' ids, each paragraph style's font, the width a paragraph's text needs
    in that style, and the text width of each section geometry met.  Everything here is a function of the
    styles element (and of the text or section attributes that key it), so a document rendered with other
    styles never sees it."""

    def __init__(self, element) -> None:
        self.element = element
        self.rules = {sid: kind for kind, names in _RULE_NAMES.items()
                      if (sid := _find_style_id(element, names))}
        self._fonts: dict[str | None, tuple[float, bool]] = {}
        self._needs: dict[tuple[str | None, str], tuple[int, int]] = {}
        self._sections: dict[tuple, int] = {}

    def __getstate__(self) -> dict:        # kept between runs (docgen.compiled): the element as its bytes
        return {"element": etree.tostring(self.element), "rules": self.rules, "fonts": self._fonts,
                "sections": self._sections}

    def __setstate__(self, state: dict) -> None:
        self.element = etree.fromstring(state["element"], etree.XMLParser(resolve_entities=False, huge_tree=True))
        self.rules, self._fonts, self._sections = state["rules"], dict(state["fonts"]), dict(state["sections"])
        self._needs = {}

    def font(self, style_id: str | None) -> tuple[float, bool]:
        """(size pt, bold) of a paragraph style, following its basedOn chain."""
        hit = self._fonts.get(style_id)
        if hit is None:
            hit = self._fonts[style_id] = _find_style_font(self.element, style_id)
        return hit

    def needs(self, style_id: str | None, text: str) -> tuple[int, int]:
        """(the widest word, the whole line) of a paragraph's stripped, non-empty text in its style."""
        key = (style_id, text)
        hit = self._needs.get(key)
        if hit is None:
            size, bold = self.font(style_id)
            hit = (max(text_width(w, size, bold=bold) for w in text.split()), text_width(text, size, bold=bold))
            if len(self._needs) >= _NEEDS_KEPT:
                self._needs.clear()
            self._needs[key] = hit
        return hit

    def text_width_of(self, body) -> int:
        """The text width of the document's last section, as python-docx reads it (``doc.sections[-1]``:
        page width minus the left and right margins, in twips)."""
        sectpr = _last_sectpr(body)
        size, margins = _child(sectpr, _W + "pgSz"), _child(sectpr, _W + "pgMar")
        key = (size is None, None if size is None else size.get(_WIDTH),
               margins is None, None if margins is None else (margins.get(_W + "left"), margins.get(_W + "right")))
        hit = self._sections.get(key)
        if hit is None:
            from docx.oxml.parser import parse_xml
            from docx.section import Section

            section = Section(parse_xml(etree.tostring(sectpr)), None)
            hit = self._sections[key] = int((section.page_width - section.left_margin - section.right_margin)
                                            / 635)
        return hit


_DOCUMENT_SECTIONS = etree.XPath("./w:body/w:p/w:pPr/w:sectPr | ./w:body/w:sectPr", namespaces={"w": _W[1:-1]})
_BODY_SECTIONS = etree.XPath("./w:p/w:pPr/w:sectPr | ./w:sectPr", namespaces={"w": _W[1:-1]})


def _last_sectpr(body):
    """python-docx's last section: the last of ``w:body/w:p/w:pPr/w:sectPr | w:body/w:sectPr`` of the
    document (a body of its own, as the fast path parses it, is the document's only body)."""
    document = body.getparent()
    if document is not None:
        found = _DOCUMENT_SECTIONS(document)
    elif len(body) and body[-1].tag == _SECTPR:
        return body[-1]
    else:
        found = _BODY_SECTIONS(body)
    return found[-1]                    # none: python-docx's IndexError


_STYLES: dict[int, Styles] = {}         # styles element → its Styles (kept alive with it: ids are not reused)


def styles_of(element) -> Styles:
    """The :class:`Styles` of a styles element, made once per element."""
    hit = _STYLES.get(id(element))
    if hit is None or hit.element is not element:
        if len(_STYLES) >= 8:
            _STYLES.pop(next(iter(_STYLES)))
        hit = _STYLES[id(element)] = Styles(element)
    return hit


def _find_style_id(styles, names: tuple[str, ...]) -> str | None:
    for style in styles.findall(qn("w:style")):
        n = style.find(qn("w:name"))
        if style.get(qn("w:styleId")) in names or (n is not None and n.get(qn("w:val")) in names):
            return style.get(qn("w:styleId"))
    return None


def _find_style_font(styles_element, style_id: str | None) -> tuple[float, bool]:
    size, bold = None, None
    styles = {s.get(qn("w:styleId")): s for s in styles_element.findall(qn("w:style"))}
    seen = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        rpr = styles[style_id].find(qn("w:rPr"))
        if rpr is not None:
            sz, b = rpr.find(qn("w:sz")), rpr.find(qn("w:b"))
            if size is None and sz is not None:
                size = int(sz.get(qn("w:val"))) / 2
            if bold is None and b is not None:
                bold = b.get(qn("w:val"), "true") not in ("0", "false")
        based = styles[style_id].find(qn("w:basedOn"))
        style_id = based.get(qn("w:val")) if based is not None else None
    return size or 14, bool(bold)


def _child(element, tag: str):
    """``element.find(tag)``: its first child ``tag`` (lxml's ``find`` goes through ElementPath, ten times
    slower for the few children of a paragraph or a cell)."""
    for c in element:
        if c.tag == tag:
            return c
    return None


def _grandchild(element, child: str, grandchild: str):
    """``element.find("child/grandchild")``: the first ``grandchild`` under any ``child`` child, in order."""
    for c in element:
        if c.tag == child:
            for g in c:
                if g.tag == grandchild:
                    return g
    return None


def _paragraph_style(p) -> str | None:
    """The style id of a paragraph: ``w:pPr/w:pStyle/@w:val`` of its first ``w:pPr`` and first ``w:pStyle``."""
    for ppr in p:
        if ppr.tag == _PPR:
            for ps in ppr:
                if ps.tag == _PSTYLE:
                    return ps.get(_VAL)
            return None
    return None


def _text(p) -> str:
    return "".join([t.text or "" for t in p.iter(_T)])


# ------------------------------------------------------------------------------------------------------------
# After rendering: the rules sized to the text above them
# ------------------------------------------------------------------------------------------------------------

def _available(p, body, styles: Styles, section_width: int | None) -> int:
    """Width the rule paragraph is centred in: its table cell (minus margins) or the text width (the
    document's, ``section_width`` when given: a piece of a body, :mod:`docgen.pieces`)."""
    tc = next(p.iterancestors(_TC), None)
    if tc is not None:
        w = _grandchild(tc, _TCPR, _TCW)
        if w is not None and (w.get(_TYPE) in (None, "dxa")):
            return int(w.get(_WIDTH)) - CELL_PAD
    return section_width if section_width is not None else styles.text_width_of(body)


def _set_length(p, length: int, width: int) -> None:
    side = max(0, (width - length) // 2)
    ppr = _child(p, _PPR)
    ind = _child(ppr, _IND)
    if ind is None:
        ind = ppr.makeelement(_IND, {})
        jc = _child(ppr, _W + "jc")
        spacing = _child(ppr, _W + "spacing")
        anchor = spacing if spacing is not None else _child(ppr, _PSTYLE)
        if anchor is not None:
            anchor.addnext(ind)
        elif jc is not None:
            jc.addprevious(ind)
        else:
            ppr.append(ind)
    attrib = ind.attrib
    for attr in _IND_SIDES:
        attrib.pop(attr, None)
    ind.set(_W + "left", str(side))
    ind.set(_W + "right", str(side))


def rule_paragraphs(body, styles: Styles) -> list:
    """The paragraphs of ``body`` whose style (:func:`_paragraph_style`) is a rule style, in order — found
    from their w:pStyle elements rather than by looking at every paragraph."""
    found = []
    style_ids = styles.rules
    for ps in body.iter(_PSTYLE):
        if ps.get(_VAL) not in style_ids:
            continue
        ppr = ps.getparent()
        p = ppr.getparent() if ppr is not None else None
        if (p is not None and p.tag == _P and ppr.tag == _PPR and _paragraph_style(p) in style_ids
                and (not found or found[-1] is not p)):
            found.append(p)
    return found


def rule_length(line_width: int) -> int:
    return round(line_width * RULE_SHARE)


def size_rules(body, styles: Styles, section_width: int | None = None, found: list | None = None) -> None:
    """Give each rule paragraph of the two rule styles the length of 2/5 of the line above it (the last
    agency line; the trích yếu, a full line when it wraps), centred.  Documents without those styles (a
    clerk's own template) are left alone.  ``found``: :func:`rule_paragraphs` of ``body``, when known."""
    targets = styles.rules
    if not targets:
        return
    for p in rule_paragraphs(body, styles) if found is None else found:
        kind = targets[_paragraph_style(p)]
        texts = []
        for q in p.itersiblings(_P, preceding=True):       # nearest first
            text = _text(q).strip()
            if kind == RULE_AGENCY_STYLE:
                if text:
                    texts.append((q, text))
                    break
                continue
            if texts and _paragraph_style(q) != _paragraph_style(texts[0][0]):
                break
            if text:
                texts.append((q, text))
        if not texts:
            continue
        width = _available(p, body, styles, section_width)
        widest = 0
        for q, text in texts:
            size, bold = styles.font(_paragraph_style(q))
            widest = max(widest, min(text_width(text, size, bold=bold), width))
        _set_length(p, rule_length(widest), width)


# ------------------------------------------------------------------------------------------------------------
# After rendering: list tables whose columns follow their content, no word broken inside a cell
# ------------------------------------------------------------------------------------------------------------

_WORD_PAD = 60                     # 3 pt: what a renderer needs beyond the glyphs' advance widths


def _is_list_table(tbl) -> bool:
    """A bordered table with a repeated header row (the built-in templates' danh sách, vote table, …).  The
    definition: :func:`fit_columns` asks libxml2 for these tables (``_LIST_TABLES``, half the instructions of
    this test on every table); tests/test_prepared.py checks that both pick the same tables."""
    first = _child(tbl, _TR)
    borders = _grandchild(tbl, qn("w:tblPr"), qn("w:tblBorders"))
    if first is None or borders is None or _grandchild(first, qn("w:trPr"), qn("w:tblHeader")) is None:
        return False
    top = _child(borders, qn("w:top"))
    return top is not None and top.get(_VAL) not in ("nil", "none")


def _cell_needs(tc, styles: Styles) -> tuple[int, int]:
    """(the widest word, the whole text on one line) of a cell, in twips, with its cell margins."""
    word = line = 0
    needs = styles.needs
    for p in tc.iter(_P):
        text = "".join([t.text or "" for t in p.iter(_T)]).strip()
        if not text:
            continue
        w, n = needs(_paragraph_style(p), text)
        if n > line:
            line = n
        if w > word:
            word = w
    return word + CELL_PAD + _WORD_PAD, line + CELL_PAD + _WORD_PAD


def _span_and_width(tc) -> tuple[int, object]:
    """The cell's grid span (``tcPr/gridSpan``, 1 without) and its ``tcPr/tcW`` element (or None)."""
    span_el = tcw = None
    for c in tc:
        if c.tag == _TCPR:
            for g in c:
                if g.tag == _SPAN:
                    span_el = g if span_el is None else span_el
                elif g.tag == _TCW:
                    tcw = g if tcw is None else tcw
    return (int(span_el.get(_VAL)) if span_el is not None else 1), tcw


def _column_needs(tbl, columns: int, styles: Styles) -> tuple[list[int], list[int], list]:
    """Per grid column: the least width (its widest word) and the wanted one (its longest data line); and the
    (span, tcW) of every cell, row by row."""
    least = [0] * columns
    wanted = [0] * columns
    rows = []
    for r, tr in enumerate(tbl.iter(_TR)):
        at = 0
        cells = []
        rows.append(cells)
        for tc in tr.iterchildren(_TC):
            span, tcw = _span_and_width(tc)
            cells.append((span, tcw))
            i, at = at, at + span
            if span != 1 or i >= columns:     # merged cells (heading rows, "Tổng cộng") have no say
                continue
            word, line = _cell_needs(tc, styles)
            if word > least[i]:
                least[i] = word
            if r and line > wanted[i]:        # a header may wrap between its words; the data wants one line
                wanted[i] = line
    return least, wanted, rows


def fit_columns(body, styles: Styles) -> None:
    """Widths of each list table follow its content: every column at least as wide as its longest word (so no
    word breaks inside a cell: "ST/T", "Khôn/g đạt"), the width left over shared by the columns whose text
    wraps, in proportion to what they still lack.  The table keeps its total width."""
    for tbl in _LIST_TABLES(body):
        grid = _child(tbl, qn("w:tblGrid"))
        cols = grid.findall(qn("w:gridCol")) if grid is not None else []
        if len(cols) < 2:
            continue
        total = sum(int(c.get(_WIDTH)) for c in cols)
        least, wanted, rows = _column_needs(tbl, len(cols), styles)
        if sum(least) > total or not any(wanted):
            continue
        widths = _share(least, wanted, total)
        for col, w in zip(cols, widths):
            col.set(_WIDTH, str(w))
        for cells in rows:
            at = 0
            for span, tcw in cells:
                if tcw is not None:
                    tcw.set(_WIDTH, str(sum(widths[at:at + span])))
                    tcw.set(_TYPE, "dxa")
                at += span


def _share(least: list[int], wanted: list[int], total: int) -> list[int]:
    """Start from ``least``; columns that fit on one line get what they want, the rest of ``total`` goes to
    the others in proportion to what they still lack."""
    widths = list(least)
    spare = total - sum(widths)
    lacking = {i: wanted[i] - widths[i] for i in range(len(widths)) if wanted[i] > widths[i]}
    while spare > 0 and lacking:
        need = sum(lacking.values())
        if need <= spare:
            for i, n in lacking.items():
                widths[i] += n
            spare -= need
            break
        # first satisfy the small ones entirely (short columns on one line), then share the rest
        small = {i: n for i, n in lacking.items() if n * len(lacking) <= spare}
        if small:
            for i, n in small.items():
                widths[i] += n
                spare -= n
                del lacking[i]
            continue
        for i, n in lacking.items():
            widths[i] += spare * n // need
        spare = total - sum(widths)
        break
    if spare > 0:                               # everything fits: the rest to the widest text column
        widths[max(range(len(widths)), key=lambda i: wanted[i])] += spare
    widths[-1] += total - sum(widths)
    return widths


def apply(doc) -> None:
    """The layout step after rendering (docgen.render calls it on every built document, a python-docx
    ``Document``)."""
    apply_body(doc.element.body, styles_of(doc.styles.element))


def apply_body(body, styles: Styles, section_width: int | None = None, rules: list | None = None) -> None:
    """The layout step on a rendered ``w:body`` (python-docx's element classes or plain lxml) with the
    :class:`Styles` of its document's styles part; ``section_width``: the text width of the document's last
    section when ``body`` is only a piece of it; ``rules``: its :func:`rule_paragraphs`, when known."""
    size_rules(body, styles, section_width, rules)
    fit_columns(body, styles)
