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

from docx.oxml.ns import qn as _qn

qn = lru_cache(maxsize=None)(_qn)      # the same few tags, thousands of times per document

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
# After rendering: the rules sized to the text above them
# ------------------------------------------------------------------------------------------------------------

_STYLES: dict[int, tuple[object, dict]] = {}    # styles element → what was looked up in it (it never changes)


def _looked_up(doc) -> dict:
    """The lookups of this document's styles part, made once per part: a batch renders thousands of documents
    with the styles of one template."""
    element = doc.styles.element
    hit = _STYLES.get(id(element))
    if hit is None or hit[0] is not element:
        if len(_STYLES) >= 8:
            _STYLES.pop(next(iter(_STYLES)))
        hit = _STYLES[id(element)] = (element, {"ids": {}, "fonts": {}})
    return hit[1]


def _style_id(doc, names: tuple[str, ...]) -> str | None:
    ids = _looked_up(doc)["ids"]
    if names not in ids:
        ids[names] = _find_style_id(doc, names)
    return ids[names]


def _find_style_id(doc, names: tuple[str, ...]) -> str | None:
    for style in doc.styles.element.findall(qn("w:style")):
        n = style.find(qn("w:name"))
        if style.get(qn("w:styleId")) in names or (n is not None and n.get(qn("w:val")) in names):
            return style.get(qn("w:styleId"))
    return None


def _paragraph_style(p) -> str | None:
    ppr = p.find(qn("w:pPr"))
    ps = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return ps.get(qn("w:val")) if ps is not None else None


def _text(p) -> str:
    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def _style_font(doc, style_id: str | None) -> tuple[float, bool]:
    """(size pt, bold) of a paragraph style, following its basedOn chain."""
    fonts = _looked_up(doc)["fonts"]
    if style_id not in fonts:
        fonts[style_id] = _find_style_font(doc, style_id)
    return fonts[style_id]


def _find_style_font(doc, style_id: str | None) -> tuple[float, bool]:
    size, bold = None, None
    styles = {s.get(qn("w:styleId")): s for s in doc.styles.element.findall(qn("w:style"))}
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


def _available(p, doc) -> int:
    """Width the rule paragraph is centred in: its table cell (minus margins) or the text width."""
    tc = next((a for a in p.iterancestors(qn("w:tc"))), None)
    if tc is not None:
        w = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
        if w is not None and (w.get(qn("w:type")) in (None, "dxa")):
            return int(w.get(qn("w:w"))) - CELL_PAD
    section = doc.sections[-1]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)


def _set_length(p, length: int, width: int) -> None:
    side = max(0, (width - length) // 2)
    ppr = p.find(qn("w:pPr"))
    ind = ppr.find(qn("w:ind"))
    if ind is None:
        ind = ppr.makeelement(qn("w:ind"), {})
        jc = ppr.find(qn("w:jc"))
        spacing = ppr.find(qn("w:spacing"))
        anchor = spacing if spacing is not None else ppr.find(qn("w:pStyle"))
        if anchor is not None:
            anchor.addnext(ind)
        elif jc is not None:
            jc.addprevious(ind)
        else:
            ppr.append(ind)
    for attr in ("w:left", "w:right", "w:start", "w:end", "w:firstLine", "w:hanging"):
        ind.attrib.pop(qn(attr), None)
    ind.set(qn("w:left"), str(side))
    ind.set(qn("w:right"), str(side))


def _styled_paragraphs(body, style_ids) -> list:
    """The paragraphs of ``body`` whose style (:func:`_paragraph_style`) is one of ``style_ids``, in order —
    found from their w:pStyle elements rather than by looking at every paragraph."""
    found = []
    for ps in body.iter(qn("w:pStyle")):
        ppr = ps.getparent()
        p = ppr.getparent() if ppr is not None else None
        if (p is not None and p.tag == qn("w:p") and ppr.tag == qn("w:pPr") and ps.get(qn("w:val")) in style_ids
                and _paragraph_style(p) in style_ids and (not found or found[-1] is not p)):
            found.append(p)
    return found


def rule_length(line_width: int) -> int:
    return round(line_width * RULE_SHARE)


def size_rules(doc) -> None:
    """Give each rule paragraph of the two rule styles the length of 2/5 of the line above it (the last
    agency line; the trích yếu, a full line when it wraps), centred.  Documents without those styles (a
    clerk's own template) are left alone."""
    targets = {sid: kind for kind, names in _RULE_NAMES.items() if (sid := _style_id(doc, names))}
    if not targets:
        return
    for p in _styled_paragraphs(doc.element.body, targets):
        kind = targets[_paragraph_style(p)]
        texts = []
        for q in p.itersiblings(qn("w:p"), preceding=True):       # nearest first
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
        width = _available(p, doc)
        widest = 0
        for q, text in texts:
            size, bold = _style_font(doc, _paragraph_style(q))
            widest = max(widest, min(text_width(text, size, bold=bold), width))
        _set_length(p, rule_length(widest), width)



# ------------------------------------------------------------------------------------------------------------
# After rendering: list tables whose columns follow their content, no word broken inside a cell
# ------------------------------------------------------------------------------------------------------------

_WORD_PAD = 60                     # 3 pt: what a renderer needs beyond the glyphs' advance widths


def _is_list_table(tbl) -> bool:
    """A bordered table with a repeated header row (the built-in templates' danh sách, vote table, …)."""
    first = tbl.find(qn("w:tr"))
    borders = tbl.find(qn("w:tblPr") + "/" + qn("w:tblBorders"))
    if first is None or borders is None or first.find(qn("w:trPr") + "/" + qn("w:tblHeader")) is None:
        return False
    top = borders.find(qn("w:top"))
    return top is not None and top.get(qn("w:val")) not in ("nil", "none")


def _cell_needs(doc, tc) -> tuple[int, int]:
    """(the widest word, the whole text on one line) of a cell, in twips, with its cell margins."""
    word = line = 0
    for p in tc.iter(qn("w:p")):
        text = _text(p).strip()
        if not text:
            continue
        size, bold = _style_font(doc, _paragraph_style(p))
        line = max(line, text_width(text, size, bold=bold))
        word = max([word, *(text_width(w, size, bold=bold) for w in text.split())])
    return word + CELL_PAD + _WORD_PAD, line + CELL_PAD + _WORD_PAD


def fit_columns(doc) -> None:
    """Widths of each list table follow its content: every column at least as wide as its longest word (so no
    word breaks inside a cell: "ST/T", "Khôn/g đạt"), the width left over shared by the columns whose text
    wraps, in proportion to what they still lack.  The table keeps its total width."""
    for tbl in doc.element.body.iter(qn("w:tbl")):
        if not _is_list_table(tbl):
            continue
        grid = tbl.find(qn("w:tblGrid"))
        cols = grid.findall(qn("w:gridCol")) if grid is not None else []
        if len(cols) < 2:
            continue
        current = [int(c.get(qn("w:w"))) for c in cols]
        total = sum(current)
        least = [0] * len(cols)
        wanted = [0] * len(cols)
        for r, tr in enumerate(tbl.iter(qn("w:tr"))):
            at = 0
            for tc in tr.findall(qn("w:tc")):
                span_el = tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                i, at = at, at + span
                if span != 1 or i >= len(cols):   # merged cells (heading rows, "Tổng cộng") have no say
                    continue
                word, line = _cell_needs(doc, tc)
                least[i] = max(least[i], word)
                if r:                          # a header may wrap between its words; the data wants one line
                    wanted[i] = max(wanted[i], line)
        if sum(least) > total or not any(wanted):
            continue
        widths = _share(least, wanted, total)
        for col, w in zip(cols, widths):
            col.set(qn("w:w"), str(w))
        for tr in tbl.iter(qn("w:tr")):
            tcs = tr.findall(qn("w:tc"))
            at = 0
            for tc in tcs:
                span_el = tc.find(qn("w:tcPr") + "/" + qn("w:gridSpan"))
                span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
                tcw = tc.find(qn("w:tcPr") + "/" + qn("w:tcW"))
                if tcw is not None:
                    tcw.set(qn("w:w"), str(sum(widths[at:at + span])))
                    tcw.set(qn("w:type"), "dxa")
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
    """The layout step after rendering (docgen.render calls it on every built document)."""
    size_rules(doc)
    fit_columns(doc)
