"""docgen check on documents laid out the way clerks build them in Word (raw WordprocessingML).

Word's own conventions are used: theme fonts in docDefaults, a Normal style that names Times New Roman
for ascii/hAnsi only, a paragraph style carrying the body formatting, headers made of paragraphs with tabs
or of text boxes (DrawingML with a VML fallback copy), rules drawn as line shapes, Quốc hiệu and Tiêu ngữ
in one paragraph with a line break, a complex PAGE field placed at the Header style's centre tab, and a
signature block made of tabbed paragraphs.  Each layout must pass, and defects must still be found in it.
"""
from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

import pytest

from docgen.nd30 import check_document

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
      'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
      'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
      'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
      'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"')

THEME = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme"><a:themeElements>
<a:clrScheme name="Office"><a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window"
lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2><a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1>
<a:srgbClr val="4F81BD"/></a:accent1><a:accent2><a:srgbClr val="C0504D"/></a:accent2><a:accent3><a:srgbClr
val="9BBB59"/></a:accent3><a:accent4><a:srgbClr val="8064A2"/></a:accent4><a:accent5><a:srgbClr val="4BACC6"/>
</a:accent5><a:accent6><a:srgbClr val="F79646"/></a:accent6><a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink>
<a:srgbClr val="800080"/></a:folHlink></a:clrScheme><a:fontScheme name="Office"><a:majorFont><a:latin
typeface="Calibri Light"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont><a:minorFont><a:latin typeface="Calibri"/>
<a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst>
<a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill>
<a:schemeClr val="phClr"/></a:solidFill></a:fillStyleLst><a:lnStyleLst><a:ln w="9525"><a:solidFill><a:schemeClr
val="phClr"/></a:solidFill></a:ln><a:ln w="25400"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln><a:ln
w="38100"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln></a:lnStyleLst><a:effectStyleLst><a:effectStyle>
<a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle>
</a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill><a:solidFill><a:schemeClr
val="phClr"/></a:solidFill><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:bgFillStyleLst></a:fmtScheme>
</a:themeElements></a:theme>"""


def styles_xml(normal_font: str = "Times New Roman", body_extra: str = "") -> str:
    """Word 2016 defaults (theme fonts, 11 pt, 8 pt after, 1.08 lines) with a Vietnamese Normal style."""
    normal_fonts = (f'<w:rFonts w:ascii="{normal_font}" w:hAnsi="{normal_font}"/>' if normal_font else "")
    return f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles {NS}><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorHAnsi"
w:hAnsiTheme="minorHAnsi" w:cstheme="minorBidi"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="vi-VN"
w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="160" w:line="259"
w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:spacing
w:after="0" w:line="240" w:lineRule="auto"/></w:pPr><w:rPr>{normal_fonts}<w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>
</w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/>
<w:uiPriority w:val="1"/><w:semiHidden/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0"
w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>
<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="paragraph" w:customStyle="1" w:styleId="Noidung"><w:name w:val="Noi dung"/><w:basedOn w:val="Normal"/>
<w:qFormat/><w:pPr><w:spacing w:before="120" w:line="276" w:lineRule="auto"/><w:ind w:firstLine="720"/><w:jc
w:val="both"/></w:pPr>{body_extra}</w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:tabs><w:tab
w:val="center" w:pos="4680"/><w:tab w:val="right" w:pos="9360"/></w:tabs></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/></w:style>
</w:styles>"""


def R(text: str, *, b: bool = False, i: bool = False, sz: float | None = None, font: str | None = None) -> str:
    props = ""
    if font:
        props += f'<w:rFonts w:ascii="{font}" w:hAnsi="{font}"/>'
    if b:
        props += "<w:b/><w:bCs/>"
    if i:
        props += "<w:i/><w:iCs/>"
    if sz:
        props += f'<w:sz w:val="{int(sz * 2)}"/><w:szCs w:val="{int(sz * 2)}"/>'
    content = []
    for k, chunk in enumerate(text.split("\n")):
        if k:
            content.append("<w:br/>")
        for j, piece in enumerate(chunk.split("\t")):
            if j:
                content.append("<w:tab/>")
            if piece:
                content.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r><w:rPr>{props}</w:rPr>{''.join(content)}</w:r>"


def P(*runs: str, jc: str | None = None, style: str | None = None, ind: str = "", spacing: str = "",
      tabs: str = "", extra: str = "") -> str:
    ppr = ""
    if style:
        ppr += f'<w:pStyle w:val="{style}"/>'
    ppr += extra
    if tabs:
        ppr += f"<w:tabs>{tabs}</w:tabs>"
    if spacing:
        ppr += f"<w:spacing {spacing}/>"
    if ind:
        ppr += f"<w:ind {ind}/>"
    if jc:
        ppr += f'<w:jc w:val="{jc}"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{''.join(runs)}</w:p>"


def line_shape(width_emu: int = 1400000, shape_id: int = 10) -> str:
    """A horizontal line drawn with Insert > Shapes (DrawingML with its VML fallback)."""
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" '
            f'distL="114300" distR="114300" simplePos="0" relativeHeight="{shape_id}" behindDoc="0" locked="0" '
            f'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
            f'<wp:posOffset>600000</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>'
            f'30000</wp:posOffset></wp:positionV><wp:extent cx="{width_emu}" cy="0"/><wp:effectExtent l="0" t="0" '
            f'r="0" b="0"/><wp:wrapNone/><wp:docPr id="{shape_id}" name="Straight Connector {shape_id}"/>'
            f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData '
            f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvCnPr/>'
            f'<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="0"/></a:xfrm><a:prstGeom prst="line">'
            f'<a:avLst/></a:prstGeom><a:ln w="9525"><a:solidFill><a:srgbClr val="000000"/></a:solidFill></a:ln>'
            f'</wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
            f'<mc:Fallback><w:pict><v:line id="Line{shape_id}" style="position:absolute;z-index:{shape_id}" '
            f'from="47.25pt,2.35pt" to="157.5pt,2.35pt" strokeweight=".75pt"/></w:pict></mc:Fallback>'
            f'</mc:AlternateContent></w:r>')


def text_box(paragraphs: str, shape_id: int) -> str:
    """A text box (DrawingML) whose VML fallback repeats the same paragraphs, as Word writes it."""
    return (f'<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" '
            f'distL="114300" distR="114300" simplePos="0" relativeHeight="{shape_id}" behindDoc="0" locked="0" '
            f'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column">'
            f'<wp:posOffset>0</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>0'
            f'</wp:posOffset></wp:positionV><wp:extent cx="2700000" cy="900000"/><wp:effectExtent l="0" t="0" r="0" '
            f'b="0"/><wp:wrapNone/><wp:docPr id="{shape_id}" name="Text Box {shape_id}"/><wp:cNvGraphicFramePr/>'
            f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="2700000" '
            f'cy="900000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/>'
            f'</a:ln></wps:spPr><wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx><wps:bodyPr/>'
            f'</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict>'
            f'<v:shape id="TB{shape_id}" type="#_x0000_t202" style="position:absolute;width:212.6pt;height:70.9pt" '
            f'stroked="f"><v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict>'
            f'</mc:Fallback></mc:AlternateContent></w:r>')


def complex_page(tab_first: bool = True) -> str:
    tab = R("\t") if tab_first else ""
    return P(tab + '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE   '
             '\\* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
             '<w:r><w:rPr><w:noProof/></w:rPr><w:t>2</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>',
             style="Header")


SECT = ('<w:sectPr><w:headerReference w:type="default" r:id="rIdH1"/><w:headerReference w:type="first" '
        'r:id="rIdH2"/><w:pgSz w:w="11907" w:h="16840" w:code="9"/><w:pgMar w:top="1134" w:right="1134" '
        'w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/><w:cols w:space="720"/>'
        '<w:titlePg/><w:docGrid w:linePitch="381"/></w:sectPr>')

BODY_TEXT = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Kế hoạch số 12/KH-VKSCB ngày 10 tháng 01 năm 2025 của Viện kiểm sát nhân dân thành phố Cao Bằng.",
]


def body(end: str = "./.") -> str:
    paragraphs = [P(R(t, i=True), style="Noidung") for t in BODY_TEXT]
    paragraphs.append(P(R("I. KẾT QUẢ", b=True), style="Noidung"))
    paragraphs.append(P(R("Qua bình xét, Hội đồng thống nhất đề nghị tặng Giấy khen cho các tập thể, cá nhân "
                          "đã có thành tích xuất sắc trong phong trào thi đua năm 2025."), style="Noidung"))
    paragraphs.append(P(R("Kính trình Viện trưởng xem xét, quyết định" + end), style="Noidung"))
    return "".join(paragraphs)


def title_block() -> str:
    return (P(R("TỜ TRÌNH", b=True), jc="center", spacing='w:before="240"') +
            P(R("Về việc đề nghị tặng Giấy khen năm 2025", b=True), jc="center") +
            P(line_shape(900000, 30), jc="center") +
            P(R("Kính gửi: Viện trưởng Viện kiểm sát nhân dân tỉnh Cao Bằng"), jc="center",
              spacing='w:before="120" w:after="120"'))


def header_tabs(tieu_ngu: str = "Độc lập - Tự do - Hạnh phúc", so: str = "Số: 05/TTr-VKSCB") -> str:
    """Two columns made of tab stops; Quốc hiệu and Tiêu ngữ side by side with the agency name."""
    tabs = '<w:tab w:val="center" w:pos="1985"/><w:tab w:val="center" w:pos="6521"/>'
    return (P(R("\tVIỆN KIỂM SÁT NHÂN DÂN", b=True, sz=13) + R("\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b=True, sz=13),
              tabs=tabs) +
            P(R("\tTHÀNH PHỐ CAO BẰNG", b=True, sz=13) + R("\t" + tieu_ngu, b=True, sz=14), tabs=tabs) +
            P(line_shape(1000000, 11) + line_shape(2000000, 12), tabs=tabs) +
            P(R("\t" + so, sz=13) + R("\tCao Bằng, ngày 05 tháng 01 năm 2026", i=True, sz=14), tabs=tabs,
              spacing='w:before="120"'))


def header_textboxes() -> str:
    left = (P(R("VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", sz=13), jc="center") +
            P(R("VIỆN KIỂM SÁT NHÂN DÂN\nTHÀNH PHỐ CAO BẰNG", b=True, sz=13), jc="center",
              extra='<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>') +
            P(R("Số: 05/TTr-VKSCB", sz=13), jc="center", spacing='w:before="120"'))
    right = (P(R("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", b=True, sz=13) + R("\n") +
               R("Độc lập - Tự do - Hạnh phúc", b=True, sz=14), jc="center") +
             P(line_shape(2000000, 21), jc="center") +
             P(R("Cao Bằng, ngày 05 tháng 01 năm 2026", i=True, sz=14), jc="center"))
    return P(text_box(left, 1) + text_box(right, 2)) + P("") + P("") + P("")


def signature_tabs(first_item: str = "- Như trên;", name: str = "Nguyễn Văn An") -> str:
    tabs = '<w:tab w:val="center" w:pos="6804"/>'
    return (P(R("Nơi nhận:", b=True, i=True, sz=12) + R("\tKT. VIỆN TRƯỞNG", b=True), tabs=tabs,
              spacing='w:before="240"') +
            P(R(first_item, sz=11) + R("\tPHÓ VIỆN TRƯỞNG", b=True), tabs=tabs) +
            P(R("- Lãnh đạo Viện;", sz=11), tabs=tabs) +
            P(R("- Lưu: VT, VP.", sz=11), tabs=tabs) +
            P("") + P("") +
            P(R("\t" + name, b=True), tabs=tabs))


def make_docx(body_xml: str, *, styles: str | None = None, header: str | None = None, footer: str | None = None,
              first_header: str = "<w:p/>", numbering: str | None = None) -> bytes:
    header = header if header is not None else complex_page()
    rels = ['<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
            'Target="styles.xml"/>',
            '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" '
            'Target="theme/theme1.xml"/>',
            '<Relationship Id="rIdH1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" '
            'Target="header1.xml"/>',
            '<Relationship Id="rIdH2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" '
            'Target="header2.xml"/>']
    sect = SECT
    if numbering is not None:
        rels.append('<Relationship Id="rIdN" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" '
                    'Target="numbering.xml"/>')
    if footer is not None:
        rels.append('<Relationship Id="rIdF1" '
                    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" '
                    'Target="footer1.xml"/>')
        sect = sect.replace('<w:pgSz', '<w:footerReference w:type="default" r:id="rIdF1"/><w:pgSz')
    document = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NS}><w:body>{body_xml}'
                f'{sect}</w:body></w:document>')
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
            '<Override PartName="/word/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
            '<Override PartName="/word/theme/theme1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
            '<Override PartName="/word/header1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
            '<Override PartName="/word/header2.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
            '<Override PartName="/word/footer1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
            '</Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>'),
        "word/_rels/document.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(rels) + "</Relationships>"),
        "word/document.xml": document,
        "word/styles.xml": styles or styles_xml(),
        "word/theme/theme1.xml": THEME,
        "word/header1.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {NS}>{header}</w:hdr>',
        "word/header2.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr {NS}>{first_header}'
                            '</w:hdr>',
    }
    if numbering is not None:
        files["word/numbering.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                                       f'<w:numbering {NS}>{numbering}</w:numbering>')
    if footer is not None:
        files["word/footer1.xml"] = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {NS}>{footer}'
                                     '</w:ftr>')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return buf.getvalue()


def word_document(layout: str = "tabs", **kw) -> bytes:
    head = header_tabs() if layout == "tabs" else header_textboxes()
    return make_docx(head + title_block() + body() + signature_tabs(), **kw)


def describe(result) -> str:
    return "\n".join(f.format() for f in result.findings)


@pytest.mark.parametrize("layout", ["tabs", "textboxes"])
def test_word_layouts_pass(layout):
    result = check_document(word_document(layout))
    assert result.findings == [], describe(result)
    assert result.doc_type == "TTr"


def test_text_box_fallback_is_not_read_twice():
    result = check_document(make_docx(header_textboxes() + title_block() + body() + signature_tabs()))
    assert result.findings == [], describe(result)
    from docgen.nd30.document import build_document
    from docgen.nd30.package import open_package
    doc = build_document(open_package(word_document("textboxes")))
    texts = [p.text for p in doc.paragraphs]
    assert texts.count("Số: 05/TTr-VKSCB") == 1


@pytest.mark.parametrize("layout", ["tabs", "textboxes"])
def test_defects_are_found_in_word_layouts(layout):
    head = header_tabs(tieu_ngu="Độc lập – Tự do – Hạnh phúc", so="Số: 5/TTr-VKSCB") if layout == "tabs" else (
        header_textboxes().replace("ngày 05 tháng 01", "ngày 05 tháng 03").replace(
            "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r>", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM</w:t></w:r>"))
    result = check_document(make_docx(head + title_block() + body(end=".") +
                                      signature_tabs(first_item="- Lãnh đạo Viện,", name="TS. Nguyễn Văn An")))
    found = {f.code for f in result.findings}
    expected = {"ND30-BODY-END", "ND30-NOINHAN-FIRST", "ND30-SIGN-DEGREE"}
    expected |= {"ND30-TIEUNGU-TEXT", "ND30-SO-PAD"} if layout == "tabs" else {"ND30-DATE-PAD"}
    assert expected <= found, describe(result)


def test_theme_font_of_word_defaults_is_reported_when_normal_names_no_font():
    result = check_document(make_docx(header_tabs() + title_block() + body() + signature_tabs(),
                                      styles=styles_xml(normal_font="")))
    fonts = [f for f in result.findings if f.code == "ND30-FONT"]
    assert fonts and "Calibri" in fonts[0].message, describe(result)


def test_body_formatting_from_a_paragraph_style_is_resolved():
    bad = styles_xml(body_extra='<w:rPr><w:sz w:val="24"/></w:rPr>')
    result = check_document(make_docx(header_tabs() + title_block() + body() + signature_tabs(), styles=bad))
    assert {f.code for f in result.findings} == {"ND30-BODY-SIZE"}, describe(result)


def test_page_number_at_the_centre_tab_of_the_header_style_is_centred():
    left_without_tab = make_docx(header_tabs() + title_block() + body() + signature_tabs(),
                                 header=complex_page(tab_first=False))
    result = check_document(left_without_tab)
    assert {f.code for f in result.findings} == {"ND30-PAGENUM-ALIGN"}, describe(result)


def test_page_number_in_word_footer_is_reported():
    result = check_document(make_docx(header_tabs() + title_block() + body() + signature_tabs(), header="<w:p/>",
                                      footer=complex_page()))
    assert {f.code for f in result.findings} == {"ND30-PAGENUM-FOOTER"}, describe(result)


def test_first_page_header_with_a_number_is_reported():
    result = check_document(make_docx(header_tabs() + title_block() + body() + signature_tabs(),
                                      first_header=complex_page()))
    assert {f.code for f in result.findings} == {"ND30-PAGENUM-FIRST"}, describe(result)


def table(rows: list[list[str]], borders: str = "nil") -> str:
    edges = "".join(f'<w:{side} w:val="{borders}"/>' for side in ("top", "left", "bottom", "right", "insideH",
                                                                      "insideV"))
    grid = "".join('<w:gridCol w:w="4500"/>' for _ in rows[0])
    body_rows = "".join("<w:tr>" + "".join(f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{cell}</w:tc>'
                                            for cell in row) + "</w:tr>" for row in rows)
    return (f'<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/><w:tblBorders>{edges}</w:tblBorders></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{body_rows}</w:tbl>")


BOTTOM = '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>'


def header_two_rows(chu_quan_bold: bool = False) -> str:
    """Row 1: agency | Quốc hiệu + Tiêu ngữ (rules as bottom borders); row 2: Số | date."""
    return table([
        [P(R("VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", sz=13, b=chu_quan_bold), jc="center") +
         P(R("VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ CAO BẰNG", b=True, sz=13), jc="center", extra=BOTTOM),
         P(R("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b=True, sz=13), jc="center") +
         P(R("Độc lập - Tự do - Hạnh phúc", b=True, sz=14), jc="center", extra=BOTTOM)],
        [P(R("Số:     /TTr-VKSCB", sz=13), jc="center", spacing='w:before="120"'),
         P(R("Cao Bằng, ngày      tháng      năm 2026", i=True, sz=14), jc="center", spacing='w:before="120"')],
    ])


def title_with_break(trich_yeu: str = "Về việc đề nghị tặng Giấy khen năm 2025") -> str:
    return (P(R("TỜ TRÌNH\n" + trich_yeu, b=True), jc="center", spacing='w:before="240"') +
            P(line_shape(900000, 30), jc="center") +
            P(R("Kính gửi: Viện trưởng Viện kiểm sát nhân dân tỉnh Cao Bằng"), jc="center",
              spacing='w:before="120" w:after="120"'))


def signature_table(first_item: str = "- Như trên;") -> str:
    return table([[
        P(R("Nơi nhận:", b=True, i=True, sz=12)) + P(R(first_item + "\n- Lãnh đạo Viện;\n- Lưu: VT, VP.", sz=11)),
        P(R("KT. VIỆN TRƯỞNG\nPHÓ VIỆN TRƯỞNG", b=True), jc="center") + P("") + P("") +
        P(R("(Đã ký)", i=True), jc="center") + P(R("Nguyễn Văn An", b=True), jc="center"),
    ]])


def test_two_row_header_table_draft_number_and_title_with_line_break_pass():
    data = make_docx(header_two_rows() + title_with_break() + body() + signature_table())
    result = check_document(data)
    assert result.findings == [], describe(result)
    assert result.doc_type == "TTr"


def test_defects_in_two_row_header_and_title_with_line_break():
    data = make_docx(header_two_rows(chu_quan_bold=True) + title_with_break("V/v đề nghị tặng Giấy khen") + body() +
                     signature_table(first_item="- Như trên,"))
    result = check_document(data)
    assert {f.code for f in result.findings} == {"ND30-CHUQUAN-FORMAT", "ND30-TITLE-VV", "ND30-NOINHAN-PUNCT"}, \
        describe(result)


def header_cell_borders(tieu_ngu_run: str) -> str:
    """Agency rule = bottom border of its cell; Tiêu ngữ rule = the text's own underline (or a typed line)."""
    bottom_cell = ('<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/><w:tcBorders><w:bottom w:val="single" w:sz="4" '
                   'w:space="0" w:color="auto"/></w:tcBorders></w:tcPr>'
                   + P(R("VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", sz=13), jc="center")
                   + P(R("VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ CAO BẰNG", b=True, sz=13), jc="center") + "</w:tc>")
    right = ('<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>'
             + P(R("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b=True, sz=13), jc="center")
             + P(tieu_ngu_run, jc="center") + "</w:tc>")
    cell = '<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{}</w:tc>'
    row2 = ("<w:tr>" + cell.format(P(R("Số: 05/TTr-VKSCB", sz=13), jc="center", spacing='w:before="120"'))
            + cell.format(P(R("Cao Bằng, ngày 05 tháng 01 năm 2026", i=True, sz=14), jc="center")) + "</w:tr>")
    return ('<w:tbl><w:tblPr><w:tblW w:w="9000" w:type="dxa"/></w:tblPr><w:tblGrid><w:gridCol w:w="4500"/>'
            f'<w:gridCol w:w="4500"/></w:tblGrid><w:tr>{bottom_cell}{right}</w:tr>{row2}</w:tbl>')


UNDERLINED = ('<w:r><w:rPr><w:b/><w:sz w:val="28"/><w:u w:val="single"/></w:rPr>'
              '<w:t>Độc lập - Tự do - Hạnh phúc</w:t></w:r>')


def test_cell_border_and_underline_count_as_rules():
    data = make_docx(header_cell_borders(UNDERLINED) + title_with_break() + body() + signature_table())
    result = check_document(data)
    assert result.findings == [], describe(result)


def test_typed_line_after_a_break_under_the_tieu_ngu_is_reported():
    typed = R("Độc lập - Tự do - Hạnh phúc\n___________________", b=True, sz=14)
    data = make_docx(header_cell_borders(typed) + title_with_break() + body() + signature_table())
    result = check_document(data)
    assert [f.code for f in result.findings] == ["ND30-RULE-TYPED"], describe(result)


def achievement_report(signer: str = "Nguyễn Văn An", end: str = "./.") -> bytes:
    """Báo cáo thành tích (NĐ 152 form): no number, two-line title, tables, signatures with "(Ký, …)"."""
    header = table([
        [P(R("VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", sz=13), jc="center") +
         P(R("VIỆN KIỂM SÁT NHÂN DÂN THÀNH PHỐ CAO BẰNG", b=True, sz=13), jc="center", extra=BOTTOM),
         P(R("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", b=True, sz=13), jc="center") +
         P(R("Độc lập - Tự do - Hạnh phúc", b=True, sz=14), jc="center", extra=BOTTOM) +
         P(R("Cao Bằng, ngày 05 tháng 01 năm 2026", i=True, sz=14), jc="center")],
    ])
    title = (P(R("BÁO CÁO THÀNH TÍCH", b=True), jc="center", spacing='w:before="240"') +
             P(R("ĐỀ NGHỊ TẶNG GIẤY KHEN", b=True), jc="center") + P(line_shape(900000, 30), jc="center"))
    content = (P(R("I. SƠ LƯỢC LÝ LỊCH", b=True), style="Noidung") +
               P(R("Họ tên: Nguyễn Thị Hoa; sinh ngày 12 tháng 3 năm 1985; giới tính: nữ."), style="Noidung") +
               P(R("II. THÀNH TÍCH ĐẠT ĐƯỢC", b=True), style="Noidung") +
               P(R("Hoàn thành xuất sắc nhiệm vụ được giao, có 02 sáng kiến được công nhận."), style="Noidung") +
               P(R("III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG", b=True), style="Noidung") +
               table([[P(R("Năm", b=True, sz=12)), P(R("Danh hiệu thi đua", b=True, sz=12))],
                      [P(R("2024", sz=12)), P(R("Lao động tiên tiến" + end, sz=12))]], borders="single"))
    signature = table([[
        P(R("THỦ TRƯỞNG ĐƠN VỊ\nXÁC NHẬN, ĐỀ NGHỊ", b=True), jc="center") + P(R("(Ký, đóng dấu)", i=True),
                                                                             jc="center") + P("") +
        P(R("Trần Văn Bình", b=True), jc="center"),
        P(R("NGƯỜI BÁO CÁO THÀNH TÍCH", b=True), jc="center") + P(R("(Ký, ghi rõ họ tên)", i=True), jc="center") +
        P("") + P(R(signer, b=True), jc="center"),
    ]])
    return make_docx(header + title + content + P("") + signature)


def test_achievement_report_form_passes():
    result = check_document(achievement_report())
    assert result.findings == [], describe(result)
    assert result.doc_type == "BC"


def test_achievement_report_defects():
    result = check_document(achievement_report(signer="NGUYỄN THỊ HOA", end=""))
    assert {f.code for f in result.findings} == {"ND30-SIGN-NAME", "ND30-BODY-END"}, describe(result)


def numbering_xml(ind: str) -> str:
    return (f'<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
            f'<w:lvlText w:val="%1."/><w:lvlJc w:val="left"/><w:pPr><w:ind {ind}/></w:pPr></w:lvl></w:abstractNum>'
            f'<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>')


NUMBERED = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'


@pytest.mark.parametrize("ind, codes", [
    ('w:left="0" w:firstLine="567"', set()),
    ('w:left="720" w:hanging="360"', {"ND30-BODY-INDENT"}),
])
def test_indentation_from_numbering_definitions(ind, codes):
    numbered = "".join(P(R(f"Nội dung thứ {k} được đánh số tự động trong văn bản."), style="Noidung",
                         extra=NUMBERED) for k in range(1, 4))
    data = make_docx(header_tabs() + title_block() + numbered + body() + signature_tabs(),
                     numbering=numbering_xml(ind))
    result = check_document(data)
    assert {f.code for f in result.findings} == codes, describe(result)
