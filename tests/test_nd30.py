"""docgen check (issue 6): the ND30 compliance checker on hand-built documents and single-defect mutants.

The builder below follows the structure docgen writes (header table, title, trích yếu, căn cứ, body, "./.",
Nơi nhận + signature table, PAGE field in the default header with a blank first-page header).  Every
mutant changes exactly one thing and must be reported with that rule's code.
"""
from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Callable

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, Twips

from docgen.nd30 import RULES, check_document

TNR = "Times New Roman"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


# ---------------------------------------------------------------------------------------------------
# builder

@dataclass
class Built:
    doc: Document
    kind: str
    p: dict = field(default_factory=dict)        # named paragraphs / tables for the mutants

    def bytes(self) -> bytes:
        buf = io.BytesIO()
        self.doc.save(buf)
        return buf.getvalue()


def set_fonts(rpr_parent, name: str | None = TNR, theme: str | None = None) -> None:
    """Put one rFonts on an rPr (all four slots), or theme references when ``theme`` is given."""
    rpr = rpr_parent
    old = rpr.find(qn("w:rFonts"))
    if old is not None:
        rpr.remove(old)
    fonts = OxmlElement("w:rFonts")
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        if theme:
            attr = {"ascii": "w:asciiTheme", "hAnsi": "w:hAnsiTheme", "eastAsia": "w:eastAsiaTheme",
                    "cs": "w:cstheme"}[slot]
            fonts.set(qn(attr), theme if slot in ("ascii", "hAnsi") else theme.replace("HAnsi", "Bidi"))
        elif name:
            fonts.set(qn(f"w:{slot}"), name)
    rpr.insert(0, fonts)


def doc_defaults_rpr(doc: Document):
    return doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))


def add_border(paragraph, side: str = "top") -> None:
    ppr = paragraph._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    edge = OxmlElement(f"w:{side}")
    for k, v in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "auto")):
        edge.set(qn(k), v)
    bdr.append(edge)
    ppr.insert_element_before(bdr, "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc",
                              "w:rPr", "w:sectPr")


def para(container, text: str = "", *, size: float = 14, bold: bool = False, italic: bool = False,
         align=None, body: bool = False, fonts: bool = False, first: bool = False):
    p = container.paragraphs[0] if first else container.add_paragraph()
    if text:
        run = p.add_run(text)
        run.font.size = Pt(size)
        if bold:
            run.font.bold = True
        if italic:
            run.font.italic = True
        if fonts:
            set_fonts(run._r.get_or_add_rPr())
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if body:
        p.alignment = JUSTIFY
        fmt.first_line_indent = Twips(567)
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(6)
        fmt.line_spacing = 1.3
    else:
        fmt.space_before = Pt(0)
        fmt.space_after = Pt(0)
    return p


def rule_paragraph(container):
    p = para(container, align=CENTER)
    p.paragraph_format.left_indent = Twips(1100)
    p.paragraph_format.right_indent = Twips(1100)
    add_border(p, "top")
    return p


def no_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "nil")
        borders.append(edge)
    tbl_pr.append(borders)


def add_page_field(paragraph, complex_field: bool = False, size: float = 14) -> None:
    if complex_field:
        for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, None), ("end", None)):
            r = OxmlElement("w:r")
            rpr = OxmlElement("w:rPr")
            sz = OxmlElement("w:sz")
            sz.set(qn("w:val"), str(int(size * 2)))
            rpr.append(sz)
            r.append(rpr)
            if kind:
                fc = OxmlElement("w:fldChar")
                fc.set(qn("w:fldCharType"), kind)
                r.append(fc)
            elif instr:
                it = OxmlElement("w:instrText")
                it.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                it.text = instr
                r.append(it)
            else:
                t = OxmlElement("w:t")
                t.text = "2"
                r.append(t)
            paragraph._p.append(r)
        return
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)
    r.append(rpr)
    t = OxmlElement("w:t")
    t.text = "2"
    r.append(t)
    fld.append(r)
    paragraph._p.append(fld)


TITLES = {"TTr": "TỜ TRÌNH", "KH": "KẾ HOẠCH", "BB": "BIÊN BẢN", "QĐ": "QUYẾT ĐỊNH", "BC": "BÁO CÁO"}
TRICH_YEU = {"TTr": "Về việc đề nghị tặng Giấy khen năm 2025",
             "KH": "Tổ chức phong trào thi đua năm 2026",
             "BB": "Họp Hội đồng Thi đua - Khen thưởng năm 2025",
             "QĐ": "Về việc tặng Giấy khen",
             "BC": "Thành tích đề nghị tặng Giấy khen"}


def build(kind: str = "TTr", *, explicit_fonts: bool = False, appendix: bool = True) -> Built:
    """A document that follows every ND30 rule (docgen's own layout)."""
    doc = Document()
    b = Built(doc, kind)
    fonts = explicit_fonts
    rpr = doc_defaults_rpr(doc)
    set_fonts(rpr, TNR)
    sz = rpr.find(qn("w:sz"))
    sz.set(qn("w:val"), "28")
    if explicit_fonts:
        for style in doc.styles:
            if style.type in (1, 2) and style.element.find(qn("w:rPr")) is not None:
                set_fonts(style.element.find(qn("w:rPr")))

    section = doc.sections[0]
    section.page_width, section.page_height = Twips(11906), Twips(16838)
    section.top_margin, section.bottom_margin = Twips(1417), Twips(1134)
    section.left_margin, section.right_margin = Twips(1984), Twips(1134)

    # header table
    header = doc.add_table(rows=1, cols=2)
    no_borders(header)
    left, right = header.rows[0].cells
    left.width, right.width = Twips(3800), Twips(5000)
    b.p["header_table"] = header
    b.p["chu_quan"] = para(left, "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", size=13, align=CENTER, first=True, fonts=fonts)
    b.p["co_quan"] = para(left, "VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ CAO BẰNG", size=13, bold=True, align=CENTER,
                          fonts=fonts)
    b.p["rule_left"] = rule_paragraph(left)
    number = {"TTr": "05/TTr-VKSCB", "KH": "12/KH-VKSCB", "BB": "03/BB-VKSCB", "QĐ": "05/QĐ-VKSCB",
              "BC": "07/BC-VKSCB", "CV": "05/VKSCB-VP"}[kind]
    b.p["so"] = para(left, f"Số: {number}", size=13, align=CENTER, fonts=fonts)
    if kind == "CV":
        vv = para(left, "V/v báo cáo kết quả thi đua năm 2025", size=12, align=CENTER, fonts=fonts)
        vv.paragraph_format.space_before = Pt(6)
        b.p["vv"] = vv
    b.p["quoc_hieu"] = para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=13, bold=True, align=CENTER,
                            first=True, fonts=fonts)
    b.p["tieu_ngu"] = para(right, "Độc lập - Tự do - Hạnh phúc", size=14, bold=True, align=CENTER, fonts=fonts)
    b.p["rule_right"] = rule_paragraph(right)
    b.p["rule_right"].paragraph_format.left_indent = Twips(700)
    b.p["rule_right"].paragraph_format.right_indent = Twips(700)
    if kind != "BB":
        b.p["date"] = para(right, "Cao Bằng, ngày 05 tháng 01 năm 2026", size=14, italic=True, align=CENTER,
                           fonts=fonts)

    body: list = []

    def body_par(text: str, **kw):
        p = para(doc, text, body=True, fonts=fonts, **kw)
        body.append(p)
        return p

    if kind != "CV":
        para(doc, "")
        b.p["title"] = para(doc, TITLES[kind], size=14, bold=True, align=CENTER, fonts=fonts)
        b.p["trich_yeu"] = para(doc, TRICH_YEU[kind], size=14, bold=True, align=CENTER, fonts=fonts)
        b.p["rule_title"] = rule_paragraph(doc)
    else:
        para(doc, "")

    if kind in ("TTr", "BC", "CV"):
        b.p["kinh_gui"] = para(doc, "Kính gửi: Viện trưởng Viện kiểm sát nhân dân tỉnh Cao Bằng", align=CENTER,
                               fonts=fonts)
        b.p["kinh_gui"].paragraph_format.space_after = Pt(6)
    if kind == "QĐ":
        para(doc, "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ CAO BẰNG", bold=True, align=CENTER, fonts=fonts)
    can_cu = []
    if kind in ("TTr", "QĐ"):
        can_cu.append(body_par("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;", italic=True))
        can_cu.append(body_par("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy "
                               "định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;", italic=True))
        last = ("Căn cứ Kế hoạch số 12/KH-VKSCB ngày 10 tháng 01 năm 2025 của Viện kiểm sát nhân dân thành phố "
                "Cao Bằng về phát động phong trào thi đua năm 2025")
        can_cu.append(body_par(last + (";" if kind == "QĐ" else "."), italic=True))
    if kind == "KH":
        can_cu.append(body_par("Căn cứ Kế hoạch số 251/KH-VKSTC ngày 20 tháng 01 năm 2026 của Viện kiểm sát "
                               "nhân dân tối cao, Viện kiểm sát nhân dân thành phố Cao Bằng xây dựng Kế hoạch "
                               "như sau:", italic=True))
    b.p["can_cu"] = can_cu
    if kind == "QĐ":
        body_par("Xét đề nghị của Hội đồng Thi đua - Khen thưởng Viện kiểm sát nhân dân thành phố Cao Bằng.")
        para(doc, "QUYẾT ĐỊNH:", bold=True, align=CENTER, fonts=fonts).paragraph_format.space_after = Pt(6)
        body_par("Điều 1. Tặng Giấy khen cho 02 (hai) tập thể và 05 (năm) cá nhân đã có thành tích xuất sắc "
                 "trong phong trào thi đua năm 2025 (có danh sách kèm theo).")
        body_par("Điều 2. Mỗi tập thể được thưởng 760.000 đồng, mỗi cá nhân được thưởng 380.000 đồng.")
        b.p["last_body"] = body_par("Điều 3. Văn phòng, các đơn vị và các cá nhân có tên tại Điều 1 chịu trách "
                                    "nhiệm thi hành Quyết định này./.")
    elif kind == "BB":
        body_par("Hôm nay, vào hồi 14 giờ 00 ngày 05 tháng 01 năm 2026, tại Viện kiểm sát nhân dân thành phố "
                 "Cao Bằng, Hội đồng Thi đua - Khen thưởng họp xét thi đua, khen thưởng năm 2025.")
        b.p["heading"] = body_par("I. THÀNH PHẦN THAM DỰ", bold=True)
        body_par("Có mặt 07 (bảy) trên tổng số 07 (bảy) thành viên Hội đồng.")
        b.p["last_body"] = body_par("Cuộc họp kết thúc vào hồi 16 giờ 00 cùng ngày, biên bản đã được thông qua "
                                    "trước Hội đồng./.")
    else:
        b.p["heading"] = body_par("I. KẾT QUẢ BÌNH XÉT THI ĐUA", bold=True)
        b.p["body"] = body_par("Qua bình xét, Hội đồng Thi đua - Khen thưởng thống nhất đề nghị tặng Giấy khen "
                               "cho 02 (hai) tập thể và 05 (năm) cá nhân đã có thành tích xuất sắc trong phong "
                               "trào thi đua năm 2025.")
        body_par("1. Tập thể: gồm các phòng nghiệp vụ có thành tích tiêu biểu, hoàn thành xuất sắc nhiệm vụ "
                 "được giao, không có cá nhân vi phạm kỷ luật.")
        body_par("2. Cá nhân: gồm các công chức hoàn thành xuất sắc nhiệm vụ, có sáng kiến được công nhận.")
        b.p["last_body"] = body_par("Viện kiểm sát nhân dân thành phố Cao Bằng kính trình Viện trưởng xem xét, "
                                    "quyết định./.")
    b.p["body_list"] = body

    # Nơi nhận + signature table
    sig = doc.add_table(rows=1, cols=2)
    no_borders(sig)
    b.p["sig_table"] = sig
    left, right = sig.rows[0].cells
    left.width, right.width = Twips(4200), Twips(4600)
    if kind == "BB":
        sec_col, chair_col = left, right
        b.p["thu_ky"] = para(sec_col, "THƯ KÝ", bold=True, align=CENTER, first=True, fonts=fonts)
        for _ in range(3):
            para(sec_col, "")
        b.p["thu_ky_name"] = para(sec_col, "Hoàng Thị Mai", bold=True, align=CENTER, fonts=fonts)
        para(sec_col, "")
        label_first = False
        nn_container = sec_col
        b.p["sig_titles"] = [para(chair_col, "CHỦ TỌA", bold=True, align=CENTER, first=True, fonts=fonts)]
        for _ in range(3):
            para(chair_col, "")
        b.p["sig_name"] = para(chair_col, "Nguyễn Văn An", bold=True, align=CENTER, fonts=fonts)
    else:
        label_first = True
        nn_container = left
        titles = {"QĐ": ["VIỆN TRƯỞNG"], "KH": ["VIỆN TRƯỞNG"]}.get(kind, ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"])
        b.p["sig_titles"] = [para(right, t, bold=True, align=CENTER, first=k == 0, fonts=fonts)
                             for k, t in enumerate(titles)]
        for _ in range(3):
            para(right, "")
        b.p["sig_name"] = para(right, "Nguyễn Văn An", bold=True, align=CENTER, fonts=fonts)
    label = para(nn_container, "Nơi nhận:", size=12, bold=True, italic=True, first=label_first, fonts=fonts)
    b.p["nn_label"] = label
    items = {"TTr": ["- Như trên;", "- Lãnh đạo Viện;", "- Lưu: VT, VP."],
             "BC": ["- Như trên;", "- Lãnh đạo Viện;", "- Lưu: VT, VP."],
             "CV": ["- Như trên;", "- Lãnh đạo Viện;", "- Lưu: VT, VP."],
             "QĐ": ["- Như Điều 3;", "- VKSND tỉnh Cao Bằng (để b/c);", "- Lưu: VT, VP."],
             "KH": ["- VKSND tỉnh Cao Bằng (để b/c);", "- Các phòng, đơn vị;", "- Lưu: VT, VP."],
             "BB": ["- Thành viên Hội đồng;", "- Lưu: VT, HĐTĐKT."]}[kind]
    b.p["nn_items"] = [para(nn_container, t, size=11, fonts=fonts) for t in items]

    if appendix:
        brk = para(doc, "")
        brk.add_run().add_break(WD_BREAK.PAGE)
        b.p["phu_luc"] = para(doc, "Phụ lục", bold=True, align=CENTER, fonts=fonts)
        b.p["pl_title"] = para(doc, "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ TẶNG GIẤY KHEN", bold=True, align=CENTER,
                               fonts=fonts)
        b.p["kem_theo"] = para(doc, f"(Kèm theo {TITLES.get(kind, 'Công văn').capitalize()} số {number} ngày 05 "
                               "tháng 01 năm 2026 của Viện kiểm sát nhân dân thành phố Cao Bằng)", italic=True,
                               align=CENTER, fonts=fonts)
        data = doc.add_table(rows=3, cols=3)
        data.style = doc.styles["Table Grid"]
        rows = [("STT", "Họ và tên", "Chức vụ"), ("1", "Nguyễn Thị Hoa", "Kiểm sát viên"),
                ("2", "Trần Văn Bình", "Chuyên viên")]
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                para(data.cell(r, c), value, size=12, bold=r == 0, align=CENTER, first=True, fonts=fonts)
        b.p["data_table"] = data
        para(doc, "")

    # page numbers: PAGE in the default header, titlePg on, first-page header empty
    section.different_first_page_header_footer = True
    hp = section.header.paragraphs[0]
    hp.alignment = CENTER
    add_page_field(hp)
    b.p["header_par"] = hp
    section.first_page_header.paragraphs[0].text = ""
    return b


def codes(result) -> list[str]:
    return [f.code for f in result.findings]


def describe(result) -> str:
    return "\n".join(f.format() for f in result.findings)


# ---------------------------------------------------------------------------------------------------
# mutation helpers

def set_text(paragraph, text: str) -> None:
    """Replace a paragraph's text, keeping the first run's formatting."""
    runs = paragraph.runs
    runs[0].text = text
    for run in runs[1:]:
        run._r.getparent().remove(run._r)


def rpr(paragraph):
    return paragraph.runs[0]._r.get_or_add_rPr()


def set_toggle(paragraph, tag: str, value: str | None) -> None:
    """Write <w:b/>, <w:b w:val="0"/>, … on every run of the paragraph (value None removes it)."""
    for run in paragraph.runs:
        props = run._r.get_or_add_rPr()
        for old in props.findall(qn(f"w:{tag}")):
            props.remove(old)
        if value is None:
            continue
        el = OxmlElement(f"w:{tag}")
        if value != "on":
            el.set(qn("w:val"), value)
        props.append(el)


def set_size(paragraph, points: float) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(points)


def remove(paragraph) -> None:
    paragraph._p.getparent().remove(paragraph._p)


def style_rpr(doc, style_id: str):
    style = doc.styles.element.get_by_id(style_id)
    props = style.find(qn("w:rPr"))
    if props is None:
        props = OxmlElement("w:rPr")
        style.append(props)
    return props


def style_ppr(doc, style_id: str):
    style = doc.styles.element.get_by_id(style_id)
    return style.get_or_add_pPr()


def body_paragraphs(b: Built):
    return [p for p in b.p["body_list"] if not p.text.startswith("Căn cứ")]


def each_body(b: Built, fn: Callable) -> None:
    for p in b.p["body_list"]:
        fn(p)


def move_page_to_footer(b: Built) -> None:
    section = b.doc.sections[0]
    fld = b.p["header_par"]._p.find(qn("w:fldSimple"))
    b.p["header_par"]._p.remove(fld)
    fp = section.footer.paragraphs[0]
    fp.alignment = CENTER
    fp._p.append(fld)


def no_title_page(b: Built) -> None:
    sect = b.doc.sections[0]._sectPr
    sect.remove(sect.find(qn("w:titlePg")))


def swap_luu(b: Built) -> None:
    items = b.p["nn_items"]
    set_text(items[-1], "- Lãnh đạo Viện.")
    set_text(items[1], "- Lưu: VT, VP;")


def typed_rule(b: Built) -> None:
    rule = b.p["rule_left"]
    rule._p.pPr.remove(rule._p.pPr.find(qn("w:pBdr")))
    rule.add_run("________________").font.size = Pt(13)


def drop_border(key: str):
    def mutate(b: Built) -> None:
        rule = b.p[key]
        rule._p.pPr.remove(rule._p.pPr.find(qn("w:pBdr")))
    return mutate


def fonts_from_theme(b: Built) -> None:
    set_fonts(doc_defaults_rpr(b.doc), theme="minorHAnsi")


def fonts_from_defaults(b: Built) -> None:
    set_fonts(doc_defaults_rpr(b.doc), "Calibri")


def fonts_from_style(b: Built) -> None:
    set_fonts(style_rpr(b.doc, "Normal"), "Arial")


def fonts_from_based_on(b: Built) -> None:
    """A body style based on a style whose font is .VnTime: the legacy font comes through basedOn."""
    styles = b.doc.styles.element
    base = OxmlElement("w:style")
    base.set(qn("w:type"), "paragraph")
    base.set(qn("w:styleId"), "VnBase")
    name = OxmlElement("w:name")
    name.set(qn("w:val"), "Vn Base")
    base.append(name)
    r = OxmlElement("w:rPr")
    base.append(r)
    set_fonts(r, ".VnTime")
    child = OxmlElement("w:style")
    child.set(qn("w:type"), "paragraph")
    child.set(qn("w:styleId"), "BodyVn")
    name = OxmlElement("w:name")
    name.set(qn("w:val"), "Body Vn")
    child.append(name)
    based = OxmlElement("w:basedOn")
    based.set(qn("w:val"), "VnBase")
    child.append(based)
    styles.append(base)
    styles.append(child)
    p = b.p["body"]
    ps = OxmlElement("w:pStyle")
    ps.set(qn("w:val"), "BodyVn")
    p._p.get_or_add_pPr().insert(0, ps)


def arial_run(b: Built) -> None:
    set_fonts(rpr(b.p["body"]), "Arial")


def landscape(b: Built) -> None:
    s = b.doc.sections[0]
    s.orientation = WD_ORIENT.LANDSCAPE
    s.page_width, s.page_height = Twips(16838), Twips(11906)


def letter(b: Built) -> None:
    s = b.doc.sections[0]
    s.page_width, s.page_height = Twips(12240), Twips(15840)


def header_grid(b: Built) -> None:
    table = b.p["header_table"]
    table._tbl.tblPr.remove(table._tbl.tblPr.find(qn("w:tblBorders")))
    table.style = b.doc.styles["Table Grid"]


def line_from_style(b: Built) -> None:
    """Body paragraphs lose their own line spacing and inherit "double" from the Normal style."""
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:line"), "480")
    spacing.set(qn("w:lineRule"), "auto")
    style_ppr(b.doc, "Normal").append(spacing)
    for p in b.p["body_list"]:
        sp = p._p.pPr.find(qn("w:spacing"))
        for attr in ("w:line", "w:lineRule"):
            sp.attrib.pop(qn(attr), None)


def first_line_chars(b: Built) -> None:
    for p in b.p["body_list"]:
        ind = p._p.pPr.find(qn("w:ind"))
        ind.set(qn("w:firstLineChars"), "400")        # 4 characters of 14 pt ≈ 1.98 cm


def contextual(b: Built) -> None:
    for p in b.p["body_list"]:
        p.paragraph_format.space_after = Pt(6)
        ppr = p._p.get_or_add_pPr()
        ppr.insert_element_before(OxmlElement("w:contextualSpacing"), "w:mirrorIndents", "w:jc", "w:rPr")


def bold_off_by_val(key: str):
    def mutate(b: Built) -> None:
        set_toggle(b.p[key], "b", "0")
    return mutate


def bold_off_by_character_style(b: Built) -> None:
    """Quốc hiệu: bold in a paragraph style and in a character style cancel out (toggle property)."""
    styles = b.doc.styles.element
    for style_type, style_id in (("paragraph", "QHPara"), ("character", "QHChar")):
        el = OxmlElement("w:style")
        el.set(qn("w:type"), style_type)
        el.set(qn("w:styleId"), style_id)
        name = OxmlElement("w:name")
        name.set(qn("w:val"), style_id)
        el.append(name)
        props = OxmlElement("w:rPr")
        props.append(OxmlElement("w:b"))
        el.append(props)
        styles.append(el)
    p = b.p["quoc_hieu"]
    ps = OxmlElement("w:pStyle")
    ps.set(qn("w:val"), "QHPara")
    p._p.get_or_add_pPr().insert(0, ps)
    set_toggle(p, "b", None)
    rs = OxmlElement("w:rStyle")
    rs.set(qn("w:val"), "QHChar")
    rpr(p).insert(0, rs)


def bb_swap_sides(b: Built) -> None:
    set_text(b.p["thu_ky"], "CHỦ TỌA")
    set_text(b.p["sig_titles"][0], "THƯ KÝ")


def page_left(b: Built) -> None:
    b.p["header_par"].alignment = LEFT


def no_page_number(b: Built) -> None:
    fld = b.p["header_par"]._p.find(qn("w:fldSimple"))
    b.p["header_par"]._p.remove(fld)


def date_text(text: str):
    return lambda b: set_text(b.p["date"], text)


def so_text(text: str):
    return lambda b: set_text(b.p["so"], text)


def text_of(key: str, text: str, index: int | None = None):
    def mutate(b: Built) -> None:
        target = b.p[key] if index is None else b.p[key][index]
        set_text(target, text)
    return mutate


def fmt(key: str, fn: Callable, index: int | None = None):
    def mutate(b: Built) -> None:
        fn(b.p[key] if index is None else b.p[key][index])
    return mutate


@dataclass
class Mutant:
    id: str
    mutate: Callable[[Built], None]
    code: str
    kind: str = "TTr"


MUTANTS = [
    # page
    Mutant("letter-paper", letter, "ND30-PAGE-SIZE"),
    Mutant("landscape-text", landscape, "ND30-PAGE-ORIENT"),
    Mutant("left-margin-20mm", lambda b: setattr(b.doc.sections[0], "left_margin", Twips(1134)), "ND30-PAGE-MARGIN"),
    Mutant("top-margin-30mm", lambda b: setattr(b.doc.sections[0], "top_margin", Twips(1701)), "ND30-PAGE-MARGIN"),
    # fonts
    Mutant("arial-run", arial_run, "ND30-FONT"),
    Mutant("font-from-docdefaults", fonts_from_defaults, "ND30-FONT"),
    Mutant("font-from-theme", fonts_from_theme, "ND30-FONT"),
    Mutant("font-from-normal-style", fonts_from_style, "ND30-FONT"),
    Mutant("legacy-font-via-basedon", fonts_from_based_on, "ND30-FONT-LEGACY"),
    Mutant("legacy-vni-run", lambda b: set_fonts(rpr(b.p["co_quan"]), "VNI-Times"), "ND30-FONT-LEGACY"),
    # Quốc hiệu, Tiêu ngữ, cơ quan, rules
    Mutant("quoc-hieu-missing", lambda b: remove(b.p["quoc_hieu"]), "ND30-QUOCHIEU-MISSING"),
    Mutant("quoc-hieu-lowercase", text_of("quoc_hieu", "Cộng hòa xã hội chủ nghĩa Việt Nam"), "ND30-QUOCHIEU-TEXT"),
    Mutant("quoc-hieu-not-bold", bold_off_by_val("quoc_hieu"), "ND30-QUOCHIEU-FORMAT"),
    Mutant("quoc-hieu-bold-cancelled-by-styles", bold_off_by_character_style, "ND30-QUOCHIEU-FORMAT"),
    Mutant("quoc-hieu-14pt", fmt("quoc_hieu", lambda p: set_size(p, 14)), "ND30-QUOCHIEU-FORMAT"),
    Mutant("tieu-ngu-en-dash", text_of("tieu_ngu", "Độc lập – Tự do – Hạnh phúc"), "ND30-TIEUNGU-TEXT"),
    Mutant("tieu-ngu-no-spaces", text_of("tieu_ngu", "Độc lập-Tự do-Hạnh phúc"), "ND30-TIEUNGU-TEXT"),
    Mutant("tieu-ngu-not-bold", bold_off_by_val("tieu_ngu"), "ND30-TIEUNGU-FORMAT"),
    Mutant("tieu-ngu-missing", lambda b: remove(b.p["tieu_ngu"]), "ND30-TIEUNGU-MISSING"),
    Mutant("chu-quan-bold", fmt("chu_quan", lambda p: set_toggle(p, "b", "on")), "ND30-CHUQUAN-FORMAT"),
    Mutant("co-quan-not-bold", bold_off_by_val("co_quan"), "ND30-COQUAN-FORMAT"),
    Mutant("typed-underscore-rule", typed_rule, "ND30-RULE-TYPED"),
    Mutant("no-rule-under-tieu-ngu", drop_border("rule_right"), "ND30-RULE-MISSING"),
    Mutant("no-rule-under-trich-yeu", drop_border("rule_title"), "ND30-RULE-MISSING"),
    Mutant("header-table-grid", header_grid, "ND30-TABLE-BORDER"),
    # Số, ký hiệu
    Mutant("so-unpadded", so_text("Số: 5/TTr-VKSCB"), "ND30-SO-PAD"),
    Mutant("so-spaces-in-code", so_text("Số: 05/TTr - VKSCB"), "ND30-SO-SPACE"),
    Mutant("so-wrong-type", so_text("Số: 05/KH-VKSCB"), "ND30-SO-TYPE"),
    Mutant("so-old-code", so_text("Số: 05/TTh-VKSCB"), "ND30-SO-OLDCODE"),
    Mutant("so-no-slash", so_text("Số: 05-TTr-VKSCB"), "ND30-SO-FORMAT"),
    Mutant("so-missing", lambda b: remove(b.p["so"]), "ND30-SO-MISSING"),
    Mutant("cv-old-code", so_text("Số: 05/CV-VKSCB"), "ND30-SO-OLDCODE", "CV"),
    # date line
    Mutant("month-03-padded", date_text("Cao Bằng, ngày 05 tháng 03 năm 2026"), "ND30-DATE-PAD"),
    Mutant("day-5-unpadded", date_text("Cao Bằng, ngày 5 tháng 01 năm 2026"), "ND30-DATE-PAD"),
    Mutant("month-1-unpadded", date_text("Cao Bằng, ngày 15 tháng 1 năm 2026"), "ND30-DATE-PAD"),
    Mutant("date-no-comma", date_text("Cao Bằng ngày 05 tháng 01 năm 2026"), "ND30-DATE-COMMA"),
    Mutant("date-30-february", date_text("Cao Bằng, ngày 30 tháng 02 năm 2026"), "ND30-DATE-INVALID"),
    Mutant("date-upright", fmt("date", lambda p: set_toggle(p, "i", "false")), "ND30-DATE-FORMAT"),
    Mutant("date-missing", lambda b: remove(b.p["date"]), "ND30-DATE-MISSING"),
    Mutant("cv-vv-bold", fmt("vv", lambda p: set_toggle(p, "b", "on")), "ND30-VV-FORMAT", "CV"),
    # title
    Mutant("title-not-bold", bold_off_by_val("title"), "ND30-TITLE-FORMAT"),
    Mutant("title-left", fmt("title", lambda p: setattr(p, "alignment", LEFT)), "ND30-TITLE-FORMAT"),
    Mutant("trich-yeu-vv", text_of("trich_yeu", "V/v đề nghị tặng Giấy khen năm 2025"), "ND30-TITLE-VV"),
    Mutant("trich-yeu-not-bold", bold_off_by_val("trich_yeu"), "ND30-TRICHYEU-FORMAT"),
    Mutant("kinh-gui-italic", fmt("kinh_gui", lambda p: set_toggle(p, "i", "on")), "ND30-KINHGUI-FORMAT"),
    # body
    Mutant("body-12pt", lambda b: each_body(b, lambda p: set_size(p, 12)), "ND30-BODY-SIZE"),
    Mutant("body-left-aligned", lambda b: each_body(b, lambda p: setattr(p, "alignment", LEFT)), "ND30-BODY-ALIGN"),
    Mutant("body-no-indent", fmt("body", lambda p: setattr(p.paragraph_format, "first_line_indent", Twips(0))),
           "ND30-BODY-INDENT"),
    Mutant("body-indent-chars", first_line_chars, "ND30-BODY-INDENT"),
    Mutant("body-no-spacing", fmt("body", lambda p: setattr(p.paragraph_format, "space_after", Pt(0))),
           "ND30-BODY-SPACING"),
    Mutant("body-contextual-spacing", contextual, "ND30-BODY-SPACING"),
    Mutant("body-line-exact", fmt("body", lambda p: setattr(p.paragraph_format, "line_spacing", Pt(20))),
           "ND30-BODY-LINE"),
    Mutant("body-line-double-from-style", line_from_style, "ND30-BODY-LINE"),
    Mutant("missing-end-mark", text_of("last_body", "Kính trình Viện trưởng xem xét, quyết định."), "ND30-BODY-END"),
    Mutant("can-cu-last-semicolon", text_of("can_cu", "Căn cứ Kế hoạch số 12/KH-VKSCB năm 2025;", -1),
           "ND30-CANCU-PUNCT"),
    Mutant("can-cu-middle-period", text_of("can_cu", "Căn cứ Luật Thi đua, khen thưởng năm 2022.", 0),
           "ND30-CANCU-PUNCT"),
    Mutant("can-cu-upright", fmt("can_cu", lambda p: set_toggle(p, "i", None), 0), "ND30-CANCU-ITALIC"),
    # Nơi nhận
    Mutant("noi-nhan-item-comma", text_of("nn_items", "- Như trên,", 0), "ND30-NOINHAN-PUNCT"),
    Mutant("noi-nhan-item-period", text_of("nn_items", "- Lãnh đạo Viện.", 1), "ND30-NOINHAN-PUNCT"),
    Mutant("noi-nhan-last-no-period", text_of("nn_items", "- Lưu: VT, VP", -1), "ND30-NOINHAN-PUNCT"),
    Mutant("luu-not-last", swap_luu, "ND30-NOINHAN-LUU"),
    Mutant("noi-nhan-no-dash", text_of("nn_items", "Như trên;", 0), "ND30-NOINHAN-DASH"),
    Mutant("noi-nhan-first-not-nhu-tren", text_of("nn_items", "- Lãnh đạo Viện;", 0), "ND30-NOINHAN-FIRST"),
    Mutant("qd-first-not-nhu-dieu", text_of("nn_items", "- Như trên;", 0), "ND30-NOINHAN-FIRST", "QĐ"),
    Mutant("noi-nhan-label-upright", fmt("nn_label", lambda p: set_toggle(p, "i", "0")), "ND30-NOINHAN-LABEL"),
    Mutant("noi-nhan-items-13pt", lambda b: [set_size(p, 13) for p in b.p["nn_items"]], "ND30-NOINHAN-FORMAT"),
    Mutant("noi-nhan-missing", lambda b: [remove(p) for p in [b.p["nn_label"], *b.p["nn_items"]]],
           "ND30-NOINHAN-MISSING"),
    # signature
    Mutant("sign-k-slash-t", text_of("sig_titles", "K/T VIỆN TRƯỞNG", 0), "ND30-SIGN-PREFIX"),
    Mutant("sign-kt-no-dot", text_of("sig_titles", "KT VIỆN TRƯỞNG", 0), "ND30-SIGN-PREFIX"),
    Mutant("sign-p-dot", text_of("sig_titles", "P. VIỆN TRƯỞNG", 0), "ND30-SIGN-PREFIX"),
    Mutant("sign-pgd", text_of("sig_titles", "PGĐ", 1), "ND30-SIGN-PREFIX"),
    Mutant("sign-title-not-bold", fmt("sig_titles", lambda p: set_toggle(p, "b", "0"), 1), "ND30-SIGN-FORMAT"),
    Mutant("signer-uppercase", text_of("sig_name", "NGUYỄN VĂN AN"), "ND30-SIGN-NAME"),
    Mutant("signer-degree", text_of("sig_name", "ThS. Nguyễn Văn An"), "ND30-SIGN-DEGREE"),
    Mutant("bb-sides-swapped", bb_swap_sides, "ND30-BB-SIGN", "BB"),
    # page numbers
    Mutant("page-number-in-footer", move_page_to_footer, "ND30-PAGENUM-FOOTER"),
    Mutant("page-number-on-first-page", no_title_page, "ND30-PAGENUM-FIRST"),
    Mutant("page-number-left", page_left, "ND30-PAGENUM-ALIGN"),
    Mutant("page-number-missing", no_page_number, "ND30-PAGENUM-MISSING"),
    # appendix
    Mutant("phu-luc-not-bold", bold_off_by_val("phu_luc"), "ND30-PHULUC-FORMAT"),
    Mutant("kem-theo-upright", fmt("kem_theo", lambda p: set_toggle(p, "i", "off")), "ND30-PHULUC-FORMAT"),
]


# ---------------------------------------------------------------------------------------------------
# tests: compliant documents

@pytest.mark.parametrize("kind", ["TTr", "KH", "BB", "QĐ", "BC", "CV"])
@pytest.mark.parametrize("explicit_fonts", [False, True], ids=["fonts-from-defaults", "fonts-on-every-run"])
def test_compliant_document_has_no_finding(kind, explicit_fonts):
    result = check_document(build(kind, explicit_fonts=explicit_fonts).bytes())
    assert result.findings == [], describe(result)
    assert result.ok and result.doc_type == kind


def test_doc_type_is_inferred_from_the_title_and_can_be_forced():
    data = build("KH").bytes()
    assert check_document(data).doc_type == "KH"
    forced = check_document(data, doc_type="TTr")
    assert forced.doc_type == "TTr"
    assert "ND30-TYPE-MISMATCH" in codes(forced) and "ND30-SO-TYPE" in codes(forced)
    assert check_document(data, doc_type="kế hoạch").findings == []
    assert check_document(build("QĐ").bytes(), doc_type="QD").findings == []
    with pytest.raises(ValueError):
        check_document(data, doc_type="XYZ")


# ---------------------------------------------------------------------------------------------------
# tests: single-defect mutants

@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.id for m in MUTANTS])
def test_single_defect_is_reported(mutant):
    built = build(mutant.kind)
    mutant.mutate(built)
    result = check_document(built.bytes())
    assert mutant.code in codes(result), describe(result)
    finding = next(f for f in result.findings if f.code == mutant.code)
    assert finding.severity == RULES[mutant.code][0]
    assert finding.message and finding.where
    assert len(finding.excerpt) <= 60
    # the defect is the only thing wrong: other codes may only be consequences of the same change
    allowed = {mutant.code} | CONSEQUENCES.get(mutant.id, set())
    assert set(codes(result)) <= allowed, describe(result)
    assert result.ok == (RULES[mutant.code][0] == "canh_bao")


CONSEQUENCES = {
    # moving the number to the footer also leaves the header without one
    "page-number-in-footer": {"ND30-PAGENUM-MISSING"},
    # a landscape A4 page also has the margins of a rotated page, which are not checked
    "landscape-text": set(),
    # without the Lưu line last, the last item ends with "." while an earlier one does not end with ";"
    "luu-not-last": {"ND30-NOINHAN-PUNCT"},
    # a Tiêu ngữ that is gone takes its rule's reference point with it
    "tieu-ngu-missing": set(),
    "quoc-hieu-missing": {"ND30-TIEUNGU-SPACING"},
    "so-missing": set(),
}


def test_at_least_twenty_distinct_rules_are_exercised():
    assert len({m.code for m in MUTANTS}) >= 40
    assert {m.code for m in MUTANTS} <= set(RULES)


# ---------------------------------------------------------------------------------------------------
# numbers written with words: "05 (năm)"

NUMBER_CASES = [
    ("cho 02 (hai) tập thể và 05 (năm) cá nhân./.", None),
    ("cho 02 (hai) tập thể và 05 (sáu) cá nhân./.", "05 (sáu)"),
    ("mức thưởng 760.000 đồng (Bảy trăm sáu mươi nghìn đồng) (có danh sách kèm theo)./.", None),
    ("mức thưởng 760.000 đồng (Bảy trăm năm mươi nghìn đồng)./.", "760.000 đồng (Bảy trăm năm mươi nghìn đồng)"),
    ("tỷ lệ 12,5 (hai) và ngày 14/5/2025 (năm) không phải số kèm chữ./.", None),
]


def _number_finding(text: str):
    built = build("TTr")
    set_text(built.p["last_body"], "Đề nghị tặng Giấy khen " + text)
    result = check_document(built.bytes())
    assert set(codes(result)) <= {"ND30-NUMWORDS"}, describe(result)
    return [f for f in result.findings if f.code == "ND30-NUMWORDS"]


@pytest.mark.parametrize("text, excerpt", NUMBER_CASES)
def test_number_words_rule(text, excerpt):
    found = _number_finding(text)
    assert [f.excerpt for f in found] == ([excerpt] if excerpt else [])


@pytest.mark.parametrize("text, said", [
    ("mức thưởng 7.600.000 đồng (Bảy triệu năm trăm nghìn đồng)./.", "7.500.000"),
    ("mức thưởng 1.250.000 đồng (bằng chữ: một triệu hai trăm năm mươi nghìn đồng chẵn)./.", None),
    ("cho 2.005 (hai nghìn linh năm) lượt và 21 (hai mươi mốt) người./.", None),
    ("cho 24 (hai mươi lăm) người./.", "25"),
])
def test_number_words_message_writes_the_spoken_number_the_vietnamese_way(text, said):
    found = _number_finding(text)
    if said is None:
        assert found == []
        return
    assert len(found) == 1
    assert f"là {said}, không khớp số" in found[0].message, found[0].message


def test_uppercase_trich_yeu_and_noi_nhan_sub_items():
    built = build("TTr")
    set_text(built.p["trich_yeu"], "VỀ VIỆC ĐỀ NGHỊ TẶNG GIẤY KHEN")
    result = check_document(built.bytes())
    assert codes(result) == ["ND30-TRICHYEU-FORMAT"] and "in hoa" in result.findings[0].message, describe(result)

    built = build("TTr")
    items = built.p["nn_items"]
    set_text(items[1], "- Các phòng:")
    sub = para(built.p["sig_table"].rows[0].cells[0], "+ Phòng Tổ chức cán bộ;", size=11)
    items[1]._p.addnext(sub._p)
    assert check_document(built.bytes()).findings == []
    set_text(sub, "Phòng Tổ chức cán bộ;")
    assert codes(check_document(built.bytes())) == ["ND30-NOINHAN-DASH"]


@pytest.mark.parametrize("given, code", [
    ("KH", "KH"), ("kh", "KH"), ("Kế hoạch", "KH"), ("ttr", "TTr"), ("QD", "QĐ"), ("qđ", "QĐ"), ("CV", "CV"),
    ("công văn", "CV"), ("DA", "DA"), ("đa", "ĐA"), ("hd", "HD"), ("HĐ", "HĐ"), ("Biên bản", "BB"), (None, None),
])
def test_doc_type_names_and_codes(given, code):
    from docgen.nd30 import normalize_doc_type

    assert normalize_doc_type(given) == code


def test_a_later_sentence_starting_can_cu_is_prose_not_a_legal_basis():
    b = build("TTr")
    later = b.p["last_body"].insert_paragraph_before("Căn cứ kết quả bình xét tại đơn vị, tập thể đề nghị như sau")
    later.paragraph_format.first_line_indent = Twips(567)
    result = check_document(b.bytes())
    assert "ND30-CANCU-PUNCT" not in codes(result), describe(result)
    # the opening block is still checked
    b2 = build("TTr")
    set_text(b2.p["can_cu"][-1], "Căn cứ Kế hoạch số 12/KH-VKSCB năm 2025")
    assert "ND30-CANCU-PUNCT" in codes(check_document(b2.bytes()))


def test_prose_reading_noi_nhan_does_not_end_the_body():
    b = build("TTr")
    later = b.p["last_body"].insert_paragraph_before("NƠI NHẬN HỒ SƠ")
    later.paragraph_format.first_line_indent = Twips(567)
    found = codes(check_document(b.bytes()))
    assert "ND30-BODY-END" not in found and "ND30-NOINHAN-LABEL" not in found, found


def test_a_body_table_mentioning_noi_nhan_is_not_the_signature_block():
    b = build("TTr")
    table = b.doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "NƠI NHẬN"
    table.rows[0].cells[1].text = "THƯ KÝ"
    b.p["last_body"]._p.addprevious(table._tbl)
    found = codes(check_document(b.bytes()))
    assert "ND30-BODY-END" not in found and "ND30-NOINHAN-LABEL" not in found, found
