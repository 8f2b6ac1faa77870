"""The generated documents themselves: content and ND30 formatting of the Kế hoạch, Tờ trình, Biên bản họp
and Báo cáo thành tích built from the demo workbook (VKSND tỉnh Cao Bằng) and from the data of seed 004
(fixtures/vkstc-251.xlsx).  Formatting is asserted on *effective* values (see ``docx_inspect``)."""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from docgen.build import build, demo_workbook, fixtures_dir
from docgen.nd30 import LOI, check_document
from docx_inspect import W, Docx, column_paragraphs, column_texts, has_page_field, ptext, used_num_ids

TODAY = date(2026, 11, 22)
ROOT = Path(__file__).resolve().parent.parent
REPORTS = "bao-cao-thanh-tich"
AWARD = "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"


# ------------------------------------------------------------------------------------------------------------
# Fixtures: each workbook is built once per module
# ------------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def demo_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo") / "out"
    result = build(demo_workbook(), out, today=TODAY)
    assert result.report.ok
    return out


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("seed004") / "out"
    build(fixtures_dir() / "vkstc-251.xlsx", out, today=TODAY)
    return out


_cache: dict[Path, Docx] = {}


def D(path: Path) -> Docx:
    if path not in _cache:
        _cache[path] = Docx(path)
    return _cache[path]


@pytest.fixture(scope="module")
def kh(demo_out):
    return D(demo_out / "ke-hoach.docx")


@pytest.fixture(scope="module")
def ttr(demo_out):
    return D(demo_out / "to-trinh.docx")


@pytest.fixture(scope="module")
def bb(demo_out):
    return D(demo_out / "bien-ban-hop.docx")


@pytest.fixture(scope="module")
def bc_nhung(demo_out):
    return D(demo_out / REPORTS / "04-nong-thi-hong-nhung.docx")


@pytest.fixture(scope="module")
def bc_tap_the(demo_out):
    return D(demo_out / REPORTS / "01-phong-thong-ke-toi-pham-va-cong-nghe-thong-tin.docx")


@pytest.fixture(scope="module")
def seed_kh(seed_out):
    return D(seed_out / "ke-hoach.docx")


DEMO_DOCS = ["ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx",
             f"{REPORTS}/01-phong-thong-ke-toi-pham-va-cong-nghe-thong-tin.docx",
             f"{REPORTS}/04-nong-thi-hong-nhung.docx"]
MAIN_DOCS = ["ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx"]


def all_docx(out: Path) -> list[Path]:
    return sorted(out.rglob("*.docx"))


# ------------------------------------------------------------------------------------------------------------
# 0. What gets written
# ------------------------------------------------------------------------------------------------------------

def test_demo_writes_the_expected_files(demo_out):
    names = sorted(p.relative_to(demo_out).as_posix() for p in demo_out.rglob("*") if p.is_file())
    assert {"ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx", "danh-sach.xlsx", "kiem-tra.txt"} <= set(names)
    reports = sorted(p.name for p in (demo_out / REPORTS).iterdir())
    assert len(reports) == 11
    assert [r[:3] for r in reports] == [f"{i:02d}-" for i in range(1, 12)]
    for r in reports:
        assert re.fullmatch(r"\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.docx", r), r
    assert "04-nong-thi-hong-nhung.docx" in reports
    assert "06-dam-thi-thu-ha.docx" in reports          # a report is written even for a failed vote
    assert "01-phong-thong-ke-toi-pham-va-cong-nghe-thong-tin.docx" in reports


# ------------------------------------------------------------------------------------------------------------
# 1. Every document passes the ND30 checker
# ------------------------------------------------------------------------------------------------------------

def _assert_no_errors(path: Path):
    result = check_document(path)
    errors = [(f.code, f.message, f.where) for f in result.findings if f.severity == LOI]
    assert result.error is None
    assert result.ok and not errors, (path.name, errors)


DEMO_REPORTS = ["01-phong-thong-ke-toi-pham-va-cong-nghe-thong-tin", "02-vien-kiem-sat-nhan-dan-khu-vuc-1",
                "03-van-phong", "04-nong-thi-hong-nhung", "05-luong-van-thang", "06-dam-thi-thu-ha", "07-be-van-long",
                "08-trieu-thi-mai", "09-ma-van-khanh", "10-luc-thi-ngoc-anh", "11-dinh-cong-tuan"]
DEMO_ALL = MAIN_DOCS + [f"{REPORTS}/{n}.docx" for n in DEMO_REPORTS]
SEED_ALL = ["ke-hoach.docx", f"{REPORTS}/01-vien-kiem-sat-nhan-dan-tinh-cao-bang.docx",
            f"{REPORTS}/02-tran-minh-quang.docx"]


def test_demo_file_list_is_complete(demo_out):
    assert sorted(p.relative_to(demo_out).as_posix() for p in all_docx(demo_out)) == sorted(DEMO_ALL)


def test_seed004_file_list_is_complete(seed_out):
    # seed 004 has no Tờ trình signer and no council: only the Kế hoạch and the reports
    assert sorted(p.relative_to(seed_out).as_posix() for p in all_docx(seed_out)) == sorted(SEED_ALL)


@pytest.mark.parametrize("name", DEMO_ALL)
def test_demo_document_passes_nd30_check(demo_out, name):
    _assert_no_errors(demo_out / name)


@pytest.mark.parametrize("name", SEED_ALL)
def test_seed004_document_passes_nd30_check(seed_out, name):
    """With no cơ quan chủ quản, "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO" is printed as two bold lines of one agency
    name; the checker must read both as the cơ quan ban hành, not the first as a bold chủ quản
    (ND30-CHUQUAN-FORMAT): the product's output passes the product's own checker."""
    _assert_no_errors(seed_out / name)


@pytest.mark.parametrize("name,code", [("ke-hoach.docx", "KH"), ("to-trinh.docx", "TTr"), ("bien-ban-hop.docx", "BB"),
                                       (f"{REPORTS}/04-nong-thi-hong-nhung.docx", "BC")])
def test_checker_recognises_the_document_type(demo_out, name, code):
    result = check_document(demo_out / name)
    assert result.doc_type == code
    # and checking with the explicit type gives no error either
    explicit = check_document(demo_out / name, code)
    assert explicit.ok, [(f.code, f.message) for f in explicit.findings if f.severity == LOI]


# ------------------------------------------------------------------------------------------------------------
# 2. Page setup, page numbers
# ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", DEMO_DOCS)
def test_page_setup_a4_and_margins(demo_out, name):
    d = D(demo_out / name)
    sections = d.sections()
    assert sections
    for sect in sections:
        size = sect.find(W + "pgSz")
        assert (size.get(W + "w"), size.get(W + "h")) == ("11906", "16838")
        assert size.get(W + "orient") in (None, "portrait")
        mar = sect.find(W + "pgMar")
        got = {k: int(mar.get(W + k)) for k in ("top", "bottom", "left", "right")}
        assert got == {"top": 1417, "bottom": 1134, "left": 1984, "right": 1134}
        # inside the ND30 ranges (mm → twips: 1 mm = 56.7)
        assert 1134 <= got["top"] <= 1417 and 1134 <= got["bottom"] <= 1417
        assert 1701 <= got["left"] <= 1984 and 850 <= got["right"] <= 1134


@pytest.mark.parametrize("name", DEMO_DOCS)
def test_page_number_centred_in_header_hidden_on_first_page(demo_out, name):
    d = D(demo_out / name)
    first = d.sections()[0]
    assert first.find(W + "titlePg") is not None and first.find(W + "titlePg").get(W + "val") in (None, "1", "true")
    default = d.header_part(first, "default")
    assert default is not None, "no default header"
    hdr = default.element
    assert has_page_field(hdr)
    field_paras = [p for p in hdr.iter(W + "p") if has_page_field(p)]
    assert field_paras and all(d.alignment(p) == "center" for p in field_paras)
    first_hdr = d.header_part(first, "first")
    if first_hdr is not None:
        assert not has_page_field(first_hdr.element)
        assert not "".join(t.text or "" for t in first_hdr.element.iter(W + "t")).strip()
    # no page numbers in a footer
    for sect in d.sections():
        for ref in sect.findall(W + "footerReference"):
            part = d.doc.part.related_parts[ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")]
            assert not has_page_field(part.element)


def test_to_trinh_appendix_is_a_new_section_restarting_page_numbers(ttr):
    sections = ttr.sections()
    assert len(sections) == 2
    first, last = sections
    # the first section ends (paragraph-level sectPr) before the Phụ lục heading
    order = list(ttr.body.iter(W + "p", W + "sectPr"))
    heading = ttr.find_para("Phụ lục")
    assert order.index(first) < order.index(heading)
    assert last.getparent() is ttr.body                       # the Phụ lục is the last section
    start = last.find(W + "pgNumType")
    assert start is not None and start.get(W + "start") == "1"
    assert last.find(W + "titlePg") is not None              # no number on the appendix's first page either


# ------------------------------------------------------------------------------------------------------------
# 3. Fonts: Times New Roman everywhere
# ------------------------------------------------------------------------------------------------------------

THEME_SLOT = {"majorHAnsi": ("major", "latin"), "minorHAnsi": ("minor", "latin"),
              "majorAscii": ("major", "latin"), "minorAscii": ("minor", "latin"),
              "majorEastAsia": ("major", "ea"), "minorEastAsia": ("minor", "ea"),
              "majorBidi": ("major", "cs"), "minorBidi": ("minor", "cs")}


def _theme_fonts(d: Docx) -> dict[tuple[str, str], str]:
    names = [n for n in d.parts if re.fullmatch(r"word/theme/theme\d*\.xml", n)]
    out = {}
    for n in names:
        theme = d.part_xml(n)
        for kind in ("major", "minor"):
            font = theme.find(f".//{{http://schemas.openxmlformats.org/drawingml/2006/main}}{kind}Font")
            if font is None:
                continue
            for slot in ("latin", "ea", "cs"):
                el = font.find(f"{{http://schemas.openxmlformats.org/drawingml/2006/main}}{slot}")
                out[(kind, slot)] = el.get("typeface") if el is not None else ""
    return out


@pytest.mark.parametrize("name", DEMO_DOCS)
def test_times_new_roman_everywhere(demo_out, name):
    d = D(demo_out / name)
    theme = _theme_fonts(d)
    # the theme itself: Latin fonts of both major and minor sets
    assert theme.get(("major", "latin")) == "Times New Roman"
    assert theme.get(("minor", "latin")) == "Times New Roman"
    # docDefaults carry explicit Times New Roman
    rfonts = d.doc_rpr.find(W + "rFonts")
    assert rfonts is not None and rfonts.get(W + "ascii") == "Times New Roman" and rfonts.get(W + "hAnsi") == "Times New Roman"
    checked = 0
    for part in [n for n in d.parts if re.fullmatch(r"word/(document|styles|header\d*|footer\d*|numbering|footnotes|endnotes)\.xml", n)]:
        root = d.part_xml(part)
        elements = list(root.iter(W + "rFonts"))
        if part == "word/numbering.xml":      # only list definitions the document actually uses
            used = used_num_ids(d)
            abstract = {n.find(W + "abstractNumId").get(W + "val") for n in root.iter(W + "num")
                        if n.get(W + "numId") in used}
            elements = [rf for a in root.iter(W + "abstractNum") if a.get(W + "abstractNumId") in abstract
                        for rf in a.iter(W + "rFonts")]
        for rf in elements:
            for attr in ("ascii", "hAnsi", "cs"):
                value = rf.get(W + attr)
                if value is not None:
                    assert value == "Times New Roman", (part, attr, value)
                    checked += 1
            for attr in ("asciiTheme", "hAnsiTheme", "cstheme"):
                value = rf.get(W + attr)
                if value is not None:
                    assert theme.get(THEME_SLOT[value]) == "Times New Roman", (part, attr, value)
                    checked += 1
    assert checked > 10


# ------------------------------------------------------------------------------------------------------------
# 4. Header table
# ------------------------------------------------------------------------------------------------------------

def _header_cells(d: Docx):
    table = d.doc.tables[0]
    assert len(table.columns) == 2
    # the header table is the very first thing in the body
    assert next(iter(d.body_items()))[0] == "tbl"
    return table.cell(0, 0)._tc, table.cell(0, 1)._tc


def _nonempty(d: Docx, cell_el):
    return [p for p in cell_el.iter(W + "p") if ptext(p).strip()]


def _agency_block(d: Docx):
    """(chủ quản paragraphs, cơ quan ban hành paragraphs, rule paragraph) of the header's left cell: the
    paragraphs before the short rule; the non-bold ones first are the chủ quản, the bold ones the cơ quan."""
    left, _ = _header_cells(d)
    paras = list(left.iter(W + "p"))
    rule_i = next(i for i, p in enumerate(paras) if d.top_border(p))
    block = paras[:rule_i]
    n_parent = 0
    while n_parent < len(block) and d.run_values(block[n_parent], d.bold) == {False}:
        n_parent += 1
    return block[:n_parent], block[n_parent:], paras[rule_i]


@pytest.mark.parametrize("name", DEMO_DOCS)
def test_header_left_column(demo_out, name):
    d = D(demo_out / name)
    parent, agency, rule = _agency_block(d)
    # chủ quản: uppercase, not bold (on one line or broken in two)
    assert " ".join(ptext(p) for p in parent) == "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"
    for p in parent:
        assert d.run_values(p, d.size) <= {12.0, 12.5, 13.0}
        assert d.alignment(p) == "center"
    # cơ quan ban hành: bold, uppercase, two lines (broken before its locality)
    assert [ptext(p) for p in agency] == ["VIỆN KIỂM SÁT NHÂN DÂN", "TỈNH CAO BẰNG"]
    for p in agency:
        assert d.run_values(p, d.bold) == {True}
        assert d.run_values(p, d.size) <= {12.0, 12.5, 13.0}
        assert d.alignment(p) == "center"
    # the short rule: a real top border on the (empty) paragraph right after the agency name
    assert not ptext(rule).strip()
    left, _ = _header_cells(d)
    assert "_" not in "".join(ptext(p) for p in left.iter(W + "p"))


@pytest.mark.parametrize("name,expected", [("to-trinh.docx", "Số: 12/TTr-VKSCB"), ("ke-hoach.docx", "Số: 05/KH-VKSCB")])
def test_number_and_code(demo_out, name, expected):
    d = D(demo_out / name)
    left, _ = _header_cells(d)
    numbers = [ptext(p) for p in left.iter(W + "p") if ptext(p).startswith("Số")]
    assert numbers == [expected]
    p = next(p for p in left.iter(W + "p") if ptext(p).startswith("Số"))
    assert d.run_values(p, d.bold) == {False}
    assert d.alignment(p) == "center"


def test_bien_ban_number_left_blank_for_van_thu(bb):
    left, _ = _header_cells(bb)
    numbers = [ptext(p) for p in left.iter(W + "p") if ptext(p).startswith("Số")]
    assert len(numbers) == 1
    assert re.fullmatch(r"Số:\s{2,}/BB-VKSCB", numbers[0]), numbers


@pytest.mark.parametrize("name", DEMO_DOCS)
def test_header_right_column_quoc_hieu_tieu_ngu(demo_out, name):
    d = D(demo_out / name)
    _, right = _header_cells(d)
    paras = list(right.iter(W + "p"))
    assert ptext(paras[0]) == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert ptext(paras[1]) == "Độc lập - Tự do - Hạnh phúc"
    for p in paras[:2]:
        assert d.run_values(p, d.bold) == {True}
        assert d.alignment(p) == "center"
    assert d.run_values(paras[0], d.size) <= {12.0, 12.5, 13.0}
    assert d.run_values(paras[1], d.size) <= {13.0, 13.5, 14.0}
    assert d.top_border(paras[2]) and not ptext(paras[2]).strip()


@pytest.mark.parametrize("name,expected", [
    ("to-trinh.docx", "Cao Bằng, ngày 28 tháng 9 năm 2026"),
    ("ke-hoach.docx", "Cao Bằng, ngày 10 tháng 7 năm 2025"),
    (f"{REPORTS}/04-nong-thi-hong-nhung.docx", "Cao Bằng, ngày 28 tháng 9 năm 2026"),
])
def test_italic_place_and_date_line(demo_out, name, expected):
    d = D(demo_out / name)
    _, right = _header_cells(d)
    dates = [p for p in right.iter(W + "p") if re.search(r"ngày \d", ptext(p))]
    assert [ptext(p) for p in dates] == [expected]
    assert d.run_values(dates[0], d.italic) == {True}
    assert d.run_values(dates[0], d.bold) == {False}
    assert d.alignment(dates[0]) == "center"


def test_no_date_line_in_bien_ban(bb):
    _, right = _header_cells(bb)
    texts = [ptext(p) for p in right.iter(W + "p") if ptext(p).strip()]
    assert texts == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert not re.search(r"ngày\s+\d+\s+tháng", "\n".join(texts))


# ------------------------------------------------------------------------------------------------------------
# 5. Title, trích yếu, Kính gửi
# ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,title", [("to-trinh.docx", "TỜ TRÌNH"), ("ke-hoach.docx", "KẾ HOẠCH"),
                                        ("bien-ban-hop.docx", "BIÊN BẢN"),
                                        (f"{REPORTS}/04-nong-thi-hong-nhung.docx", "BÁO CÁO THÀNH TÍCH")])
def test_title_and_trich_yeu(demo_out, name, title):
    d = D(demo_out / name)
    paras = d.body_paragraphs()
    titles = [p for p in paras if ptext(p) == title]
    assert len(titles) == 1
    t = titles[0]
    assert d.run_values(t, d.bold) == {True}
    assert d.alignment(t) == "center"
    assert d.run_values(t, d.size) == {14.0}
    i = paras.index(t)
    # the trích yếu follows the title: bold, centred, then a paragraph carrying the rule
    trich = []
    j = i + 1
    while ptext(paras[j]).strip():
        trich.append(paras[j])
        j += 1
    assert trich, "no trích yếu"
    for p in trich:
        assert d.run_values(p, d.bold) == {True}
        assert d.alignment(p) == "center"
        assert d.run_values(p, d.size) <= {13.0, 14.0}
    assert d.top_border(paras[j]), "no rule under the trích yếu"
    assert not ptext(paras[j]).strip()


def test_to_trinh_trich_yeu_text(ttr):
    trich = " ".join(ptext(p) for p in ttr.by_style("Trích yếu"))
    assert trich.startswith("Về việc đề nghị tặng Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao")
    assert "“Cả nước thi đua đổi mới sáng tạo và chuyển đổi số”" in trich


@pytest.mark.parametrize("name", ["to-trinh.docx", f"{REPORTS}/04-nong-thi-hong-nhung.docx",
                                  f"{REPORTS}/01-phong-thong-ke-toi-pham-va-cong-nghe-thong-tin.docx"])
def test_kinh_gui(demo_out, name):
    d = D(demo_out / name)
    kg = [p for p in d.all_paragraphs() if ptext(p).startswith("Kính gửi")]
    assert [ptext(p) for p in kg] == ["Kính gửi: Viện trưởng Viện kiểm sát nhân dân tối cao"]
    assert d.run_values(kg[0], d.size) == {14.0}


def test_no_kinh_gui_on_ke_hoach_and_bien_ban(kh, bb):
    for d in (kh, bb):
        assert "Kính gửi" not in d.full_text


# ------------------------------------------------------------------------------------------------------------
# 6. Body paragraphs
# ------------------------------------------------------------------------------------------------------------

def _body_normal(d: Docx) -> list:
    normal = d.default_para
    return [p for p in d.body_paragraphs() if d.para_style_id(p) == normal and ptext(p).strip()]


@pytest.mark.parametrize("name", DEMO_DOCS)
def test_body_paragraph_formatting(demo_out, name):
    d = D(demo_out / name)
    body = _body_normal(d)
    assert len(body) >= 3
    for p in body:
        where = (name, ptext(p)[:50])
        sizes = d.run_values(p, d.size)
        assert all(13 <= s <= 14 for s in sizes), (where, sizes)
        assert d.alignment(p) == "both", where
        assert d.first_line(p) == 567, where
        assert d.space_after(p) >= 120, where
        line, rule = d.line_spacing(p)
        assert rule == "auto" and line <= 360, (where, line, rule)
        assert d.run_values(p, d.bold) == {False} or ptext(p).startswith(("I", "V")), where


def test_normal_style_definition(ttr):
    normal = ttr.styles[ttr.default_para]
    assert ttr.names[ttr.default_para] == "Normal"
    ppr = normal.find(W + "pPr")
    assert ppr.find(W + "jc").get(W + "val") == "both"
    assert ppr.find(W + "ind").get(W + "firstLine") == "567"
    spacing = ppr.find(W + "spacing")
    assert int(spacing.get(W + "after")) == 120
    assert spacing.get(W + "line") == "312"                    # 1.3 lines
    assert normal.find(f"{W}rPr/{W}sz").get(W + "val") == "28"


@pytest.mark.parametrize("name", ["to-trinh.docx", "ke-hoach.docx"])
def test_can_cu_lines(demo_out, name):
    d = D(demo_out / name)
    lines = [p for p in d.body_paragraphs() if ptext(p).startswith("Căn cứ")]
    assert len(lines) == 4
    for p in lines:
        assert d.run_values(p, d.italic) == {True}
        assert d.alignment(p) == "both"
        assert d.first_line(p) == 567
    texts = [ptext(p) for p in lines]
    assert all(t.endswith(";") for t in texts[:-1]), texts
    assert texts[0] == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    paras = [ptext(p) for p in d.body_paragraphs()]
    after = paras[paras.index(texts[-1]) + 1]
    if name == "ke-hoach.docx":          # the list ends here
        assert texts[-1].endswith(".") and not texts[-1].endswith(";.")
    else:                                # the Tờ trình continues it: "Thực hiện Kế hoạch số 05/KH-VKSCB …;"
        assert texts[-1].endswith(";") and not texts[-1].endswith(".;")
        assert after.startswith("Thực hiện Kế hoạch số 05/KH-VKSCB ngày 10 tháng 7 năm 2025") and after.endswith(";")


def _last_body_text_before_signature(d: Docx) -> str:
    sig = d.signature_table()._tbl
    last = None
    for kind, el in d.body_items():
        if el is sig:
            break
        if kind == "p" and ptext(el).strip():
            last = ptext(el)
    return last


@pytest.mark.parametrize("name", DEMO_DOCS)
def test_body_ends_with_dot_slash_dot(demo_out, name):
    d = D(demo_out / name)
    last = _last_body_text_before_signature(d)
    assert last is not None and last.endswith("./."), last
    assert d.full_text.count("./.") == 1


# ------------------------------------------------------------------------------------------------------------
# 7. Tờ trình content and danh sách
# ------------------------------------------------------------------------------------------------------------

def test_to_trinh_request_with_counts_in_words(ttr):
    text = ttr.full_text
    assert "03 (ba) tập thể và 06 (sáu) cá nhân" in text
    assert f"- {AWARD}: 03 (ba) tập thể và 06 (sáu) cá nhân." in ttr.texts()
    assert "Thực hiện Kế hoạch số 05/KH-VKSCB ngày 10 tháng 7 năm 2025" in text
    assert "tại cuộc họp ngày 25/9/2026" in text
    assert _last_body_text_before_signature(ttr) == \
        "Kính trình Viện trưởng Viện kiểm sát nhân dân tối cao xem xét, quyết định./."


def test_to_trinh_appendix_heading(ttr):
    texts = ttr.texts()
    assert "Phụ lục" in texts
    i = texts.index("Phụ lục")
    assert texts[i + 1] == f"DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ TẶNG {AWARD.upper()}"
    assert texts[i + 2] == ("(Kèm theo Tờ trình số 12/TTr-VKSCB ngày 28 tháng 9 năm 2026 "
                            "của Viện kiểm sát nhân dân tỉnh Cao Bằng)")
    heading = ttr.find_para("Phụ lục")
    assert ttr.run_values(heading, ttr.bold) == {True} and ttr.alignment(heading) == "center"
    kem = ttr.find_para("(Kèm theo", startswith=True)
    assert ttr.run_values(kem, ttr.italic) == {True} and ttr.alignment(kem) == "center"


def _rows(table) -> list[list[str]]:
    out = []
    for tr in table._tbl.iter(W + "tr"):
        out.append([ptext(p) for tc in tr.iter(W + "tc") for p in [next(tc.iter(W + "p"))]]
                   if False else ["\n".join(ptext(p) for p in tc.iter(W + "p")) for tc in tr.iter(W + "tc")])
    return out


DANH_SACH_TAP_THE = ["Phòng Thống kê tội phạm và công nghệ thông tin", "Viện kiểm sát nhân dân khu vực 1", "Văn phòng"]
DANH_SACH_CA_NHAN = ["Nông Thị Hồng Nhung", "Lương Văn Thắng", "Bế Văn Long", "Triệu Thị Mai", "Lục Thị Ngọc Ánh",
                     "Đinh Công Tuấn"]


def test_to_trinh_danh_sach_table(ttr):
    table = ttr.doc.tables[-1]
    rows = _rows(table)
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị"]
    flat = [r for r in rows[1:]]
    # group rows span the table (merged); candidate rows have 4 distinct cells with STT 1..n per part
    labels = [r[0] for r in flat if len(set(r)) == 1]
    assert labels[0] == f"I. {AWARD.upper()}"
    assert labels[1:] == ["Tập thể (03)", "Cá nhân (06)"]
    people = [r for r in flat if len(set(r)) > 1]
    names = [r[1] for r in people]
    assert names == DANH_SACH_TAP_THE + DANH_SACH_CA_NHAN
    assert [r[0] for r in people] == ["1", "2", "3", "1", "2", "3", "4", "5", "6"]
    i_tap_the = next(i for i, r in enumerate(flat) if r[0] == "Tập thể (03)")
    i_ca_nhan = next(i for i, r in enumerate(flat) if r[0] == "Cá nhân (06)")
    assert i_tap_the < i_ca_nhan
    nhung = next(r for r in people if r[1] == "Nông Thị Hồng Nhung")
    assert nhung[2:] == ["Kiểm sát viên trung cấp",
                         "Phòng Thực hành quyền công tố và kiểm sát điều tra, xét xử án hình sự"]
    assert people[0][3] == "Viện kiểm sát nhân dân tỉnh Cao Bằng"
    # header row bold, centred
    for p in table.rows[0]._tr.iter(W + "p"):
        assert ttr.run_values(p, ttr.bold) == {True}
        assert ttr.alignment(p) == "center"


def test_rejected_candidates_absent_from_to_trinh(ttr):
    text = ttr.full_text
    assert "Đàm Thị Thu Hà" not in text
    assert "Ma Văn Khánh" not in text


def test_danh_sach_xlsx_matches_to_trinh(demo_out):
    import openpyxl

    ws = openpyxl.load_workbook(demo_out / "danh-sach.xlsx").active
    values = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    for name in DANH_SACH_TAP_THE + DANH_SACH_CA_NHAN:
        assert name in values
    assert "Đàm Thị Thu Hà" not in values and "Ma Văn Khánh" not in values


# ------------------------------------------------------------------------------------------------------------
# 8. Biên bản
# ------------------------------------------------------------------------------------------------------------

def test_bien_ban_members(bb):
    texts = bb.texts()
    text = bb.full_text
    assert "gồm 07 (bảy) thành viên, có mặt 06/07 thành viên" in text
    i = texts.index("Vắng mặt:")
    assert texts[i + 1] == "- Đồng chí Nông Quốc Hưng, Phó Viện trưởng - Phó Chủ tịch."
    present_block = "\n".join(texts[:i])
    assert "Nông Quốc Hưng" not in present_block
    for name in ("Hoàng Văn Đức", "Phạm Mỹ An", "Lý Thị Thanh", "Hà Văn Quân", "Vi Thị Hạnh", "Mạc Văn Sơn"):
        assert f"- Đồng chí {name}," in present_block
    assert "Thời gian: 14 giờ 00, ngày 25/9/2026." in texts
    assert "Chủ trì: Đồng chí Hoàng Văn Đức, Viện trưởng, Chủ tịch Hội đồng." in texts
    assert "Thư ký: Đồng chí Mạc Văn Sơn, Phó Chánh Văn phòng." in texts
    assert any(t.startswith("Cuộc họp kết thúc vào hồi 16 giờ 30") for t in texts)


def test_bien_ban_vote_table(bb):
    vote = next(t for t in bb.doc.tables if _rows(t)[0][0] == "STT")
    rows = _rows(vote)
    assert rows[0] == ["STT", "Tập thể, cá nhân", "Hình thức đề nghị", "Đồng ý", "Không đồng ý", "Tỷ lệ đồng ý",
                       "Kết quả"]
    assert len(rows) == 12                                      # every candidate voted on, proposed or not
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["Đàm Thị Thu Hà"][3:] == ["3", "3", "42,86%", "Không đạt"]          # votes as counted
    assert by_name["Ma Văn Khánh"][3:] == ["5", "1", "71,43%", "Đạt"]
    assert by_name["Nông Thị Hồng Nhung"][3:] == ["6", "0", "85,71%", "Đạt"]              # zero votes: "0"
    assert [r[-1] for r in rows[1:]].count("Không đạt") == 1


def test_bien_ban_conclusion_lists_rejections(bb):
    texts = bb.texts()
    i = texts.index("Không đề nghị khen thưởng:")
    rejected = texts[i + 1:i + 3]
    assert rejected[0].startswith("- Đồng chí Đàm Thị Thu Hà") and "42,86%" in rejected[0]
    assert rejected[1].startswith("- Đồng chí Ma Văn Khánh") and "kỷ luật" in rejected[1]
    conclusion = "\n".join(texts[texts.index("II. KẾT LUẬN"):i])
    assert "03 (ba) tập thể và 06 (sáu) cá nhân" in conclusion
    assert "Đàm Thị Thu Hà" not in conclusion and "Ma Văn Khánh" not in conclusion


def test_bien_ban_signatures_thu_ky_left_chu_toa_right(bb):
    sig = bb.doc.tables[-1]
    assert sig is bb.signature_table(-1) or sig._tbl is bb.signature_table(-1)._tbl
    assert len(sig.columns) == 2
    left_texts = column_texts(sig._tbl, 0)
    right_texts = column_texts(sig._tbl, 1)
    assert left_texts[0] == "THƯ KÝ" and left_texts[1] == "Mạc Văn Sơn"
    assert right_texts == ["CHỦ TỌA", "Hoàng Văn Đức"]
    # Nơi nhận under THƯ KÝ, in the left cell, after the name
    assert left_texts[2] == "Nơi nhận:"
    assert left_texts[3:] == ["- Thành viên Hội đồng Thi đua - Khen thưởng;", "- Vụ Thi đua - Khen thưởng VKSND tối cao;",
                              "- Lưu: VT, VP."]
    assert bb.full_text.count("Nơi nhận") == 1
    # borderless
    borders = sig._tbl.find(f"{W}tblPr/{W}tblBorders")
    if borders is not None:
        for b in borders:
            assert b.get(W + "val") in ("nil", "none")


# ------------------------------------------------------------------------------------------------------------
# 9. Nơi nhận and signature
# ------------------------------------------------------------------------------------------------------------

def _noi_nhan(d: Docx):
    label = d.find_para("Nơi nhận:")
    cell = label.getparent()
    paras = list(cell.iter(W + "p"))
    items = [p for p in paras[paras.index(label) + 1:] if ptext(p).strip()]
    return label, items


@pytest.mark.parametrize("name", MAIN_DOCS)
def test_noi_nhan_formatting(demo_out, name):
    d = D(demo_out / name)
    label, items = _noi_nhan(d)
    assert d.run_values(label, d.size) == {12.0}
    assert d.run_values(label, d.bold) == {True}
    assert d.run_values(label, d.italic) == {True}
    texts = [ptext(p) for p in items]
    assert len(texts) >= 2
    for p, t in zip(items, texts):
        assert d.run_values(p, d.size) == {11.0}, t
        assert d.run_values(p, d.bold) == {False}, t
        assert d.run_values(p, d.italic) == {False}, t
        assert d.alignment(p) in ("left", "start", "both"), t
        assert d.first_line(p) == 0, t
        assert t.startswith("- ") and not t.startswith("- -"), t
    assert all(t.endswith(";") for t in texts[:-1]), texts
    assert texts[-1] == "- Lưu: VT, VP."
    assert sum("Lưu" in t for t in texts) == 1
    assert d.full_text.count("Nơi nhận") == 1


def test_ke_hoach_noi_nhan_exact(kh):
    _, items = _noi_nhan(kh)
    assert [ptext(p) for p in items] == [
        "- VP VKSND tối cao (để báo cáo);", "- Đ/c Viện trưởng (để báo cáo);",
        "- Các Đ/c Phó Viện trưởng (để theo dõi);", "- Khối thi đua nội chính;", "- Các đơn vị thuộc VKSND tỉnh;",
        "- VKSND các khu vực;", "- Lưu: VT, VP."]


def test_to_trinh_noi_nhan_nhu_tren_once(ttr):
    _, items = _noi_nhan(ttr)
    texts = [ptext(p) for p in items]
    # the workbook also typed "Như trên": it must not appear twice
    assert texts == ["- Như trên;", "- Vụ Thi đua - Khen thưởng VKSND tối cao;", "- Đ/c Viện trưởng (để báo cáo);",
                     "- Lưu: VT, VP."]
    assert sum("như trên" in t.lower() for t in texts) == 1


@pytest.mark.parametrize("name", ["ke-hoach.docx", "to-trinh.docx"])
def test_signature_block(demo_out, name):
    d = D(demo_out / name)
    sig = d.signature_table()
    assert len(sig.columns) == 2
    paras = column_paragraphs(sig._tbl, 1)
    filled = [p for p in paras if ptext(p).strip()]
    titles = filled[:-1]
    assert [ptext(p) for p in titles] == ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"]
    for p in titles:
        assert d.run_values(p, d.bold) == {True}
        assert ptext(p) == ptext(p).upper()
        assert d.alignment(p) == "center"
    name_p = filled[-1]
    assert ptext(name_p) == "Phạm Mỹ An"
    assert d.run_values(name_p, d.bold) == {True}
    assert not d.run_values(name_p, d.caps) & {True}
    assert d.run_values(name_p, d.size) == {14.0}
    assert d.alignment(name_p) == "center"
    # room for the signature: empty lines between the title and the name
    gap = paras.index(name_p) - paras.index(titles[-1]) - 1
    assert gap >= 3
    # the Nơi nhận is in the left cell of the same table
    assert "Nơi nhận:" in column_texts(sig._tbl, 0)


# ------------------------------------------------------------------------------------------------------------
# 10. Seed 004: the Kế hoạch reproduces the Nơi nhận list and the signature block exactly
# ------------------------------------------------------------------------------------------------------------

SEED_004_NOI_NHAN = [
    "- Đ/c Viện trưởng VKSND tối cao (để b/c);",
    "- Lãnh đạo VKSND tối cao;",
    "- Ban Thi đua - Khen thưởng Trung ương (để b/c);",
    "- Thành viên Hội đồng TĐKT Ngành;",
    "- Các đơn vị thuộc VKSND tối cao;",
    "- VKSND tỉnh, thành phố;",
    "- Cổng thông tin điện tử VKSND tối cao (đăng tải);",
    "- Lưu: VT, VP, PTĐKT.",
]


def test_seed004_noi_nhan_exact(seed_kh):
    _, items = _noi_nhan(seed_kh)
    assert [ptext(p) for p in items] == SEED_004_NOI_NHAN


def test_seed004_noi_nhan_matches_seed_file():
    seed = Path("/work/shared/seeds/004_3dcd10fc9361f284.txt")
    if not seed.exists():
        pytest.skip("seed file not available")
    text = seed.read_text(encoding="utf-8")
    block = text[text.rindex("Nơi nhận:"):]
    lines = [l.strip() for l in block.splitlines()[1:] if l.strip().startswith("- ")]
    assert lines == SEED_004_NOI_NHAN


def test_seed004_signature_exact(seed_kh):
    sig = seed_kh.signature_table()
    assert column_texts(sig._tbl, 1) == ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Nguyễn Đức Thái"]
    name_p = [p for p in column_paragraphs(sig._tbl, 1) if ptext(p) == "Nguyễn Đức Thái"][0]
    assert seed_kh.run_values(name_p, seed_kh.bold) == {True}


def test_seed004_header(seed_kh):
    left, right = _header_cells(seed_kh)
    parent, agency, _ = _agency_block(seed_kh)
    assert parent == []                                            # no cơ quan chủ quản in the workbook
    assert " ".join(ptext(p) for p in agency) == "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"
    numbers = [ptext(p) for p in left.iter(W + "p") if ptext(p).startswith("Số")]
    assert numbers == ["Số: 251/KH-VKSTC"]
    right_texts = [ptext(p) for p in right.iter(W + "p") if ptext(p).strip()]
    assert right_texts[-1] == "Hà Nội, ngày 12 tháng 12 năm 2025"


def test_seed004_ke_hoach_structure(seed_kh):
    headings = [ptext(p) for p in seed_kh.by_style("Mục")]
    romans = [h.split(".")[0] for h in headings]
    assert romans == ["I", "II", "III", "IV", "V", "VI"], headings
    assert headings[0] == "I. MỤC ĐÍCH, YÊU CẦU"
    assert headings[-1] == "VI. TỔ CHỨC THỰC HIỆN"


# ------------------------------------------------------------------------------------------------------------
# 11. Báo cáo thành tích
# ------------------------------------------------------------------------------------------------------------

def test_individual_report_sections(bc_nhung):
    texts = bc_nhung.texts()
    muc = [ptext(p) for p in bc_nhung.by_style("Mục")]
    assert muc == ["I. SƠ LƯỢC LÝ LỊCH", "II. THÀNH TÍCH ĐẠT ĐƯỢC", "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG"]
    for p in bc_nhung.by_style("Mục"):
        assert bc_nhung.run_values(p, bc_nhung.bold) == {True}
    assert "- Họ và tên: Nông Thị Hồng Nhung." in texts
    assert "- Sinh ngày: 05/03/1986; giới tính: Nữ." in texts
    assert f"ĐỀ NGHỊ TẶNG {AWARD.upper()}" in texts


def test_individual_report_achievements_one_paragraph_per_line(bc_nhung):
    texts = bc_nhung.texts()
    a = "Thụ lý, giải quyết 46 vụ án; 100% vụ án thực hiện toàn trình trên nền tảng số."
    b = "Xây dựng bộ mẫu lệnh (prompt) soạn thảo cáo trạng được áp dụng trong toàn đơn vị."
    assert a in texts and b in texts
    assert texts.index(b) == texts.index(a) + 1
    assert "- Số sáng kiến: 1." in texts                        # the metric column
    p = bc_nhung.find_para(a)
    assert bc_nhung.alignment(p) == "both" and bc_nhung.first_line(p) == 567
    assert not any("<w:br" in t for t in texts)
    assert p.find(f".//{W}br") is None


def _table_after(d: Docx, heading: str):
    items = list(d.body_items())
    idx = next(i for i, (k, el) in enumerate(items) if k == "p" and ptext(el) == heading)
    for kind, el in items[idx + 1:]:
        if kind == "tbl":
            return el
    raise AssertionError(heading)


def _tbl_rows(tbl) -> list[list[str]]:
    return [["\n".join(ptext(p) for p in tc.iter(W + "p")) for tc in tr.iter(W + "tc")] for tr in tbl.iter(W + "tr")]


def test_individual_report_past_awards_tables(bc_nhung):
    danh_hieu = _tbl_rows(_table_after(bc_nhung, "1. Danh hiệu thi đua"))
    assert danh_hieu[0][:2] == ["Năm", "Danh hiệu thi đua"]
    assert danh_hieu[1] == ["2024", "Lao động tiên tiến",
                            "Quyết định số 45/QĐ-VKSCB ngày 20/12/2024 của VKSND tỉnh Cao Bằng"]
    assert danh_hieu[2][:2] == ["2025", "Chiến sĩ thi đua cơ sở"]
    assert len(danh_hieu) == 3
    hinh_thuc = _tbl_rows(_table_after(bc_nhung, "2. Hình thức khen thưởng"))
    assert hinh_thuc[0][:2] == ["Năm", "Hình thức khen thưởng"]
    assert hinh_thuc[1:] == [["2025", "Giấy khen của Viện trưởng VKSND tỉnh Cao Bằng",
                              "Quyết định số 12/QĐ-VKSCB ngày 10/10/2025 của VKSND tỉnh Cao Bằng"]]


def test_individual_report_signatures(bc_nhung):
    sig = bc_nhung.signature_table()
    left = column_texts(sig._tbl, 0)
    right = column_texts(sig._tbl, 1)
    assert right == ["NGƯỜI BÁO CÁO THÀNH TÍCH", "(Ký, ghi rõ họ và tên)", "Nông Thị Hồng Nhung"]
    assert left[0] == "XÁC NHẬN, ĐỀ NGHỊ" and left[-1] == "Phạm Mỹ An"
    note = [p for p in column_paragraphs(sig._tbl, 1) if ptext(p) == "(Ký, ghi rõ họ và tên)"][0]
    assert bc_nhung.run_values(note, bc_nhung.italic) == {True}


def test_collective_report(bc_tap_the):
    texts = bc_tap_the.texts()
    muc = [ptext(p) for p in bc_tap_the.by_style("Mục")]
    assert muc == ["I. SƠ LƯỢC ĐẶC ĐIỂM, TÌNH HÌNH", "II. THÀNH TÍCH ĐẠT ĐƯỢC",
                   "III. CÁC HÌNH THỨC ĐÃ ĐƯỢC KHEN THƯỞNG"]
    assert "- Thủ trưởng đơn vị: Lâm Văn Tài." in texts
    lines = ["Chủ trì triển khai nền tảng Quản lý án hình sự tại 5 đơn vị", "Xây dựng 03 công cụ hỗ trợ thống kê tự động",
             "Tổ chức 06 lớp tập huấn “cầm tay chỉ việc” cho 112 lượt công chức."]
    idx = [next(i for i, t in enumerate(texts) if t.startswith(l)) for l in lines]
    assert idx == [idx[0], idx[0] + 1, idx[0] + 2]
    assert "- Số sáng kiến: 3." in texts
    danh_hieu = _tbl_rows(_table_after(bc_tap_the, "1. Danh hiệu thi đua"))
    assert danh_hieu[1][:2] == ["2025", "Tập thể lao động tiên tiến"]
    sig = bc_tap_the.signature_table()
    right = column_texts(sig._tbl, 1)
    assert right[0] == "THỦ TRƯỞNG ĐƠN VỊ" and right[-1] == "Lâm Văn Tài"


def test_reports_of_rejected_candidates_still_written(demo_out):
    d = D(demo_out / REPORTS / "06-dam-thi-thu-ha.docx")
    assert "- Họ và tên: Đàm Thị Thu Hà." in d.texts()


# ------------------------------------------------------------------------------------------------------------
# 13. --only
# ------------------------------------------------------------------------------------------------------------

def test_only_to_trinh(tmp_path):
    out = tmp_path / "only"
    result = build(demo_workbook(), out, only={"to-trinh"}, today=TODAY)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["danh-sach.xlsx", "kiem-tra.txt", "to-trinh.docx"]
    assert [p.name for p in result.docx_files] == ["to-trinh.docx"]
    assert not (out / REPORTS).exists()


def test_only_bao_cao(tmp_path):
    out = tmp_path / "only"
    build(demo_workbook(), out, only={"bao-cao"}, today=TODAY)
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert len(written) == 11 and all(w.startswith(f"{REPORTS}/") for w in written)


# ------------------------------------------------------------------------------------------------------------
# 14. PDF through LibreOffice (one conversion for the whole module)
# ------------------------------------------------------------------------------------------------------------

PDF_DOCS = ["ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx", f"{REPORTS}/04-nong-thi-hong-nhung.docx"]


@pytest.fixture(scope="module")
def pdf_texts(demo_out, tmp_path_factory):
    from docgen.pdf import convert_to_pdf, find_soffice

    if shutil.which("soffice") is None and find_soffice() is None:
        pytest.skip("LibreOffice (soffice) not installed")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    outdir = tmp_path_factory.mktemp("pdf")
    pdfs = convert_to_pdf([demo_out / n for n in PDF_DOCS], outdir)
    texts = {}
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        texts[pdf.stem] = text
    return texts


@pytest.mark.pdf
@pytest.mark.parametrize("stem,title", [("ke-hoach", "KẾ HOẠCH"), ("to-trinh", "TỜ TRÌNH"), ("bien-ban-hop", "BIÊN BẢN"),
                                        ("04-nong-thi-hong-nhung", "BÁO CÁO THÀNH TÍCH")])
def test_pdf_text(pdf_texts, stem, title):
    text = pdf_texts[stem]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert title in text
    assert "./." in text


@pytest.mark.pdf
def test_pdf_to_trinh_pages(pdf_texts):
    text = pdf_texts["to-trinh"]
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) >= 2
    assert "Phụ lục" in text and "Nông Thị Hồng Nhung" in text
    first_lines = [[l.strip() for l in p.splitlines() if l.strip()][0] for p in pages]
    # no number on page 1; "2" centred at the top of page 2; the Phụ lục starts without a number
    assert first_lines[0].startswith("VIỆN KIỂM SÁT NHÂN DÂN")
    assert first_lines[1] == "2"
    appendix = next(i for i, p in enumerate(pages) if "Phụ lục" in p)
    assert appendix >= 1 and first_lines[appendix] == "Phụ lục"
    line_2 = next(l for l in pages[1].splitlines() if l.strip())
    assert line_2.strip() == "2" and line_2.index("2") > 20        # centred, not at the left margin


@pytest.mark.pdf
def test_pdf_text_is_nfc_and_has_no_template_code(pdf_texts):
    for stem, text in pdf_texts.items():
        assert "{{" not in text and "{%" not in text, stem
