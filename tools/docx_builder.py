"""Building blocks for the built-in templates (used by ``tools/make_templates.py``).

Everything here writes ordinary Word formatting a clerk can see and change in Word: named paragraph
styles ("Than van ban", "Can cu", "Noi nhan", …), real paragraph borders for the rules under the agency
name, the Tiêu ngữ and the trích yếu, borderless tables for the header and the signature block, a PAGE
field in the header (hidden on page 1), A4 with the ND30 margins and Times New Roman everywhere.
"""
from __future__ import annotations

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

FONT = "Times New Roman"
PAGE_W, PAGE_H = 11906, 16838
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT = 1417, 1134, 1984, 1134
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT          # 8788 twips = 15.5 cm
FIRST_LINE = 567                                     # 1 cm
# the header table's widths live with the code that breaks the agency name to fit them (docgen/layout.py)
from docgen.layout import HEADER_INDENT, HEADER_LEFT, HEADER_RIGHT, RULE_AGENCY_STYLE, RULE_TITLE_STYLE  # noqa: E402
SIGN_LEFT, SIGN_RIGHT = 3856, 4932

CENTER, LEFT, JUSTIFY, RIGHT = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.RIGHT)

# pPr children in schema order (CT_PPrBase), so inserted elements land where Word expects them.
_PPR_ORDER = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
              "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
              "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
              "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
              "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
              "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _insert_ppr(pPr, element) -> None:
    tag = element.tag
    names = list(_PPR_ORDER)
    idx = [qn(n) for n in names].index(tag)
    pPr.insert_element_before(element, *names[idx + 1:])


def _fonts_element() -> OxmlElement:
    rf = OxmlElement("w:rFonts")
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rf.set(qn(f"w:{attr}"), FONT)
    return rf


def _set_style_fonts(rPr) -> None:
    for old in rPr.findall(qn("w:rFonts")):
        rPr.remove(old)
    rPr.insert(0, _fonts_element())


# --------------------------------------------------------------------------------------------------------
# Document and styles
# --------------------------------------------------------------------------------------------------------

def new_document(title: str) -> Document:
    doc = Document()
    _times_everywhere(doc)
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
    section.top_margin, section.bottom_margin = Twips(MARGIN_TOP), Twips(MARGIN_BOTTOM)
    section.left_margin, section.right_margin = Twips(MARGIN_LEFT), Twips(MARGIN_RIGHT)
    section.header_distance, section.footer_distance = Twips(567), Twips(567)
    _define_styles(doc)
    _page_numbers(section)
    props = doc.core_properties
    props.title = title
    props.author = "{{ co_quan_ten }}"
    props.subject = "{{ ten_phong_trao }}"
    props.comments = "Tạo bằng docgen từ mẫu có thể sửa trong Word."
    props.keywords = "thi đua, khen thưởng"
    props.language = "vi-VN"
    props.last_modified_by = "docgen"
    props.revision = 1
    # start from an empty body (python-docx's template has one empty paragraph)
    body = doc.element.body
    for p in body.findall(qn("w:p")):
        body.remove(p)
    return doc


def _times_everywhere(doc: Document) -> None:
    """docDefaults, every style and the theme fonts say Times New Roman; language vi-VN."""
    styles = doc.styles.element
    rpr_default = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rPr = rpr_default.find(qn("w:rPr"))
    _set_style_fonts(rPr)
    for tag in ("w:sz", "w:szCs", "w:lang"):
        for old in rPr.findall(qn(tag)):
            rPr.remove(old)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "28")
        rPr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "en-US")
    lang.set(qn("w:bidi"), "ar-SA")
    rPr.append(lang)
    for style in styles.findall(qn("w:style")):
        rPr = style.find(qn("w:rPr"))
        if rPr is not None and rPr.find(qn("w:rFonts")) is not None:
            _set_style_fonts(rPr)
        for color in (rPr.findall(qn("w:color")) if rPr is not None else []):
            rPr.remove(color)
    theme_part = None
    for rel in doc.part.rels.values():
        if rel.reltype.endswith("/theme"):
            theme_part = rel.target_part
    if theme_part is not None:
        xml = theme_part.blob.decode("utf-8")
        import re

        xml = re.sub(r'(<a:(?:latin|ea|cs) typeface=")[^"]*(")', rf"\g<1>{FONT}\g<2>", xml)
        theme_part._blob = xml.encode("utf-8")


def _pstyle(doc, name, *, base="Normal", size=None, bold=None, italic=None, align=None, first_line=None,
            left=None, right=None, before=None, after=None, line=None, keep_next=None, keep_lines=None,
            caps=None, hanging=None):
    styles = doc.styles
    style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        style.base_style = styles[base]
        style.quick_style = True
    f = style.font
    f.name = FONT
    rPr = style.element.get_or_add_rPr()
    _set_style_fonts(rPr)
    if size is not None:
        f.size = Pt(size)
    if bold is not None:
        f.bold = bold
    if italic is not None:
        f.italic = italic
    if caps is not None:
        f.all_caps = caps
    pf = style.paragraph_format
    if align is not None:
        pf.alignment = align
    if first_line is not None:
        pf.first_line_indent = Twips(first_line)
    if hanging is not None:
        pf.first_line_indent = Twips(-hanging)
    if left is not None:
        pf.left_indent = Twips(left)
    if right is not None:
        pf.right_indent = Twips(right)
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if keep_next is not None:
        pf.keep_with_next = keep_next
    if keep_lines is not None:
        pf.keep_together = keep_lines
    pf.widow_control = True
    return style


def _define_styles(doc) -> None:
    """The named styles the templates use.  Their names are plain ASCII so a clerk finds them in Word."""
    # Body: 14 pt, justified, first line 1 cm, 6 pt after, 1.3 lines.
    _pstyle(doc, "Normal", size=14, align=JUSTIFY, first_line=FIRST_LINE, before=0, after=6, line=1.3)
    compact = dict(first_line=0, before=0, after=0, line=1.0)
    _pstyle(doc, "Dau van ban", size=13, align=CENTER, **compact)
    _pstyle(doc, "Co quan chu quan", base="Dau van ban", size=12, bold=False)
    _pstyle(doc, "Co quan ban hanh", base="Dau van ban", size=12, bold=True)
    _pstyle(doc, "So ky hieu", base="Dau van ban", size=13, bold=False)
    _pstyle(doc, "Quoc hieu", base="Dau van ban", size=12, bold=True)
    _pstyle(doc, "Tieu ngu", base="Dau van ban", size=13, bold=True)
    _pstyle(doc, "Dia danh ngay thang", base="Dau van ban", size=14, italic=True, before=6)
    _pstyle(doc, "Duong ke", base="Dau van ban", size=4)
    # sized after rendering to 2/5 of the line above (docgen.layout.size_rules)
    _pstyle(doc, RULE_AGENCY_STYLE, base="Duong ke", before=2)
    _pstyle(doc, RULE_TITLE_STYLE, base="Duong ke", before=4)
    # headings stay whole and on the page of what follows them (keepNext + keepLines)
    heading = dict(keep_next=True, keep_lines=True)
    _pstyle(doc, "Ten loai", size=14, bold=True, align=CENTER, first_line=0, before=18, after=0, line=1.0,
            **heading)
    _pstyle(doc, "Trich yeu", size=14, bold=True, align=CENTER, first_line=0, before=0, after=0, line=1.0,
            **heading)
    _pstyle(doc, "Kinh gui", size=14, align=CENTER, first_line=0, before=6, after=12)
    _pstyle(doc, "Kinh gui nhieu", size=14, align=LEFT, first_line=0, left=3402, hanging=1418, before=0, after=0)
    _pstyle(doc, "Can cu", size=14, italic=True)
    _pstyle(doc, "Muc", size=14, bold=True, **heading)
    _pstyle(doc, "Muc nho", size=14, bold=True, **heading)
    _pstyle(doc, "Phu luc", size=14, bold=True, align=CENTER, first_line=0, before=0, after=0, line=1.0, **heading)
    _pstyle(doc, "Tieu de phu luc", size=14, bold=True, align=CENTER, first_line=0, before=0, after=0, line=1.0,
            **heading)
    _pstyle(doc, "Kem theo", size=14, italic=True, align=CENTER, first_line=0, before=0, after=0, line=1.0,
            **heading)
    _pstyle(doc, "Bang", size=12, align=LEFT, first_line=0, before=2, after=2, line=1.0)
    _pstyle(doc, "Bang giua", base="Bang", align=CENTER)
    _pstyle(doc, "Bang tieu de", base="Bang", bold=True, align=CENTER, keep_lines=True)
    _pstyle(doc, "Bang nhom", base="Bang", bold=True, align=LEFT, **heading)
    _pstyle(doc, "Bang tong", base="Bang", bold=True, align=CENTER)
    # the Nơi nhận and signature block moves as one: every line kept whole and with the next
    block = dict(compact, keep_next=True, keep_lines=True)
    _pstyle(doc, "Noi nhan", size=12, bold=True, italic=True, align=LEFT, **block)
    _pstyle(doc, "Noi nhan muc", size=11, bold=False, italic=False, align=LEFT, **block)
    _pstyle(doc, "Chuc vu ky", size=14, bold=True, align=CENTER, **block)
    _pstyle(doc, "Ghi chu ky", size=14, italic=True, align=CENTER, **block)
    _pstyle(doc, "Ho ten ky", size=14, bold=True, align=CENTER, **block)
    _pstyle(doc, "Dau trang", size=14, align=CENTER, **compact)
    for name in ("Header", "Footer"):
        if name in [s.name for s in doc.styles]:
            _pstyle(doc, name, size=14, first_line=0, before=0, after=0, line=1.0)


def _page_numbers(section) -> None:
    """PAGE field centred in the default header; page 1 has its own empty header (ND30)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = "Dau trang"
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), " PAGE ")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "2"
    r.append(t)
    fld.append(r)
    p._p.append(fld)
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].style = "Dau trang"


# --------------------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------------------

def para(container, text: str = "", style: str = "Normal", *, runs=None, keep_next=None):
    """A paragraph in ``container`` (document or cell).  ``runs`` = [(text, {"bold": True}), …]."""
    p = container.add_paragraph(style=style)
    for piece, fmt in (runs or [(text, {})]):
        if piece == "":
            continue
        r = p.add_run(piece)
        for key, value in fmt.items():
            setattr(r.font, key, value)
    if keep_next is not None:
        p.paragraph_format.keep_with_next = keep_next
    return p


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag (``{%p for … %}``); docxtpl removes it."""
    return para(container, text, "Normal")


def rule(container, length: int, width: int, *, after: float = 0, before: float | None = None,
         style: str = "Duong ke"):
    """An empty paragraph whose top border is a solid rule ``length`` twips long, centred in ``width``
    (``before``: the gap above the rule, None = the style's)."""
    p = container.add_paragraph(style=style)
    side = max(0, (width - length) // 2)
    pf = p.paragraph_format
    pf.left_indent, pf.right_indent = Twips(side), Twips(side)
    if before is not None:
        pf.space_before = Pt(before)
    pf.space_after = Pt(after)
    pPr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for k, v in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        top.set(qn(f"w:{k}"), v)
    bdr.append(top)
    _insert_ppr(pPr, bdr)
    return p


# --------------------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------------------

def table(container, widths: list[int], rows: int = 1, *, borders: bool = False, indent: int = 0):
    t = container.add_table(rows=rows, cols=len(widths))
    t.autofit = False
    tbl = t._tbl
    tblPr = tbl.tblPr
    for old in tblPr.findall(qn("w:tblStyle")):
        tblPr.remove(old)
    tblW = tblPr.find(qn("w:tblW"))
    if tblW is None:
        tblW = OxmlElement("w:tblW")
        tblPr.append(tblW)
    tblW.set(qn("w:w"), str(sum(widths)))
    tblW.set(qn("w:type"), "dxa")
    if indent:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(indent))
        ind.set(qn("w:type"), "dxa")
        _insert_tblpr(tblPr, ind)
    b = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:val"), "single" if borders else "nil")
        if borders:
            e.set(qn("w:sz"), "4")
            e.set(qn("w:space"), "0")
            e.set(qn("w:color"), "000000")
        b.append(e)
    _insert_tblpr(tblPr, b)
    if tblPr.find(qn("w:tblLayout")) is None:
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        _insert_tblpr(tblPr, layout)
    mar = OxmlElement("w:tblCellMar")
    for side, w in (("left", 85), ("right", 85)):
        e = OxmlElement(f"w:{side}")
        e.set(qn("w:w"), str(w))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    _insert_tblpr(tblPr, mar)
    grid = tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(w))
    for row in t.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = Twips(w)
            # python-docx puts one empty paragraph in each cell; keep it styled, callers reuse it
            cell.paragraphs[0].style = "Bang"
    return t


# tblPr children in schema order (CT_TblPr)
_TBLPR_ORDER = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
                "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
                "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription")


def _insert_tblpr(tblPr, element) -> None:
    tag = element.tag
    names = [qn(n) for n in _TBLPR_ORDER]
    _insert_after(tblPr, element, _TBLPR_ORDER[:names.index(tag)])


def _insert_after(parent, element, predecessors) -> None:
    """Insert ``element`` after the last existing child among ``predecessors`` (schema order)."""
    last = None
    tags = {qn(p) for p in predecessors}
    for child in parent:
        if child.tag in tags:
            last = child
    if last is None:
        parent.insert(0, element)
    else:
        last.addnext(element)


def cell_para(cell, text: str = "", style: str = "Bang", *, runs=None):
    """Fill the cell's first (empty) paragraph, or add another one."""
    if len(cell.paragraphs) == 1 and not cell.paragraphs[0].text and not cell.paragraphs[0].runs \
            and not getattr(cell, "_used", False):
        p = cell.paragraphs[0]
        p.style = style
        cell._used = True
        for piece, fmt in (runs or [(text, {})]):
            if piece == "":
                continue
            r = p.add_run(piece)
            for key, value in fmt.items():
                setattr(r.font, key, value)
        return p
    cell._used = True
    return para(cell, text, style, runs=runs)


def repeat_header(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    h = OxmlElement("w:tblHeader")
    trPr.append(h)


def cant_split(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    trPr.insert(0, OxmlElement("w:cantSplit"))


def vcenter(cell) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    v = OxmlElement("w:vAlign")
    v.set(qn("w:val"), "center")
    tcPr.append(v)


# --------------------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------------------

def new_section_restart_numbering(doc) -> None:
    """A new page and section whose page numbers restart at 1 (an appendix numbers its own pages)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    sectPr = section._sectPr
    pg = sectPr.find(qn("w:pgNumType"))
    if pg is None:
        pg = OxmlElement("w:pgNumType")
        # pgNumType comes after pgMar/paperSrc/pgBorders/lnNumType in CT_SectPr
        _insert_after(sectPr, pg, ("w:headerReference", "w:footerReference", "w:footnotePr", "w:endnotePr",
                                   "w:type", "w:pgSz", "w:pgMar", "w:paperSrc", "w:pgBorders", "w:lnNumType"))
    pg.set(qn("w:start"), "1")
    section.different_first_page_header_footer = True



# --------------------------------------------------------------------------------------------------------
# The style set a clerk sees, and a package with nothing unused
# --------------------------------------------------------------------------------------------------------

# The name Word shows in the Styles pane for each style the builder defines (the builder refers to them by
# their ASCII key, which stays the style's id: the document XML does not change when a name does).
STYLE_NAMES = {
    "Dau van ban": "Phần đầu văn bản",
    "Co quan chu quan": "Tên cơ quan chủ quản",
    "Co quan ban hanh": "Tên cơ quan",
    "So ky hieu": "Số, ký hiệu",
    "Quoc hieu": "Quốc hiệu",
    "Tieu ngu": "Tiêu ngữ",
    "Dia danh ngay thang": "Địa danh, ngày tháng",
    "Duong ke": "Đường kẻ",
    "Duong ke co quan": "Đường kẻ dưới tên cơ quan",
    "Duong ke trich yeu": "Đường kẻ dưới trích yếu",
    "Ten loai": "Tên loại văn bản",
    "Trich yeu": "Trích yếu",
    "Kinh gui": "Kính gửi",
    "Kinh gui nhieu": "Kính gửi nhiều nơi",
    "Can cu": "Căn cứ",
    "Muc": "Mục",
    "Muc nho": "Mục nhỏ",
    "Phu luc": "Phụ lục",
    "Tieu de phu luc": "Tiêu đề phụ lục",
    "Kem theo": "Kèm theo",
    "Bang": "Bảng",
    "Bang giua": "Bảng – giữa",
    "Bang tieu de": "Bảng – tiêu đề cột",
    "Bang nhom": "Bảng – nhóm",
    "Bang tong": "Bảng – tổng cộng",
    "Noi nhan": "Nơi nhận",
    "Noi nhan muc": "Nơi nhận – từng nơi",
    "Chuc vu ky": "Chữ ký – chức vụ",
    "Ghi chu ky": "Chữ ký – ghi chú",
    "Ho ten ky": "Chữ ký – họ tên",
    "Dau trang": "Số trang",
}

_DROPPED_RELS = ("/stylesWithEffects", "/customXml", "/numbering", "/thumbnail")
_COMPACT_APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                '<Application>docgen</Application><DocSecurity>0</DocSecurity></Properties>')


def finalize_package(doc: Document) -> None:
    """Before saving a template: Vietnamese style names, only the styles in use (and their bases), no
    latent-style gallery, and none of python-docx's unused parts (stylesWithEffects, customXml, numbering,
    thumbnail).  The template then holds a short Styles pane and weighs a few kilobytes."""
    styles = doc.styles.element
    used = _used_style_ids(doc)
    by_id = {s.get(qn("w:styleId")): s for s in styles.findall(qn("w:style"))}
    keep: set[str] = set()
    for sid in used | {sid for sid, s in by_id.items() if s.get(qn("w:default")) == "1"}:
        while sid and sid in by_id and sid not in keep:
            keep.add(sid)
            based = by_id[sid].find(qn("w:basedOn"))
            sid = based.get(qn("w:val")) if based is not None else None
    for sid, style in by_id.items():
        if sid not in keep:
            styles.remove(style)
            continue
        for ref in ("w:next", "w:link"):
            for el in style.findall(qn(ref)):
                if el.get(qn("w:val")) not in keep:
                    style.remove(el)
        for el in style.findall(qn("w:rsid")):
            style.remove(el)
        name = style.find(qn("w:name"))
        if name is not None and name.get(qn("w:val")) in STYLE_NAMES:
            name.set(qn("w:val"), STYLE_NAMES[name.get(qn("w:val"))])
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)
    for part in (doc.part, doc.part.package):
        for rid, rel in list(part.rels.items()):
            if rel.reltype.endswith(_DROPPED_RELS):
                part.drop_rel(rid) if part is doc.part else part.rels.pop(rid)
    settings = doc.settings.element
    for tag in ("w:savePreviewPicture", "w:rsids", "w:attachedTemplate"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    for rel in doc.part.package.rels.values():
        if rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = _COMPACT_APP.encode("utf-8")


def _used_style_ids(doc: Document) -> set[str]:
    parts = [doc.part.element]
    for section in doc.sections:
        for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer,
                   section.even_page_header, section.even_page_footer):
            if not hf.is_linked_to_previous:
                parts.append(hf._element)
    used = set()
    for root in parts:
        for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"):
            used.update(el.get(qn("w:val")) for el in root.iter(qn(tag)))
    return used
