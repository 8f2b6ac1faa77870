"""The assemble stage: what the templates receive — Nơi nhận normalised, signatures, numbers, names."""
from __future__ import annotations

from datetime import date

import pytest
from docx import Document

import docgen
from docgen import assemble
from docgen.model import Campaign, Collective, Individual, Info, Recipient, Signer
from docgen.nd30 import check_document
from wb_helpers import MINIMAL_INFO, make_workbook


def campaign_with(recipients: list[tuple[str, str]], drafting_unit: str = "VP") -> Campaign:
    c = Campaign(info=Info(drafting_unit=drafting_unit))
    c.recipients = [Recipient(doc, text, row=i + 2) for i, (doc, text) in enumerate(recipients)]
    return c


@pytest.mark.parametrize("typed,doc,expected", [
    # whatever the user typed: dashes, bullets, missing or wrong punctuation, duplicates, their own "Lưu"
    ([("TTr", "Vụ Thi đua - Khen thưởng"), ("TTr", "- Đ/c Viện trưởng (để b/c),"), ("TTr", "• Lưu VT, VP.")],
     "TTr", ["- Như trên;", "- Vụ Thi đua - Khen thưởng;", "- Đ/c Viện trưởng (để b/c);", "- Lưu: VT, VP."]),
    ([("TTr", "Như trên"), ("TTr", "- Như trên;"), ("TTr", "A;"), ("TTr", "a")],
     "TTr", ["- Như trên;", "- A;", "- Lưu: VT, VP."]),
    ([("KH", "–  Các đơn vị   thuộc VKSND tỉnh ;"), ("KH", "VKSND các khu vực.")],
     "KH", ["- Các đơn vị thuộc VKSND tỉnh;", "- VKSND các khu vực;", "- Lưu: VT, VP."]),
    ([("QĐ", "Như trên"), ("QĐ", "Như Điều 3"), ("QĐ", "Vụ TĐKT")],
     "QĐ", ["- Như Điều 3;", "- Vụ TĐKT;", "- Lưu: VT, VP."]),      # "Như trên" means nothing in a QĐ
    ([("BB", "Thành viên Hội đồng\nVụ TĐKT")], "BB", ["- Thành viên Hội đồng;", "- Vụ TĐKT;", "- Lưu: VT, VP."]),
    ([], "TTr", ["- Như trên;", "- Lưu: VT, VP."]),
    # a person called Lưu is a recipient, not the "Lưu" line; "A; B" in one cell; numbered items
    ([("KH", "Đ/c Lưu Thị Hà (để biết)"), ("KH", "Lưu VPTH, VT."), ("KH", "1. Lãnh đạo Viện; 2) Các phòng")],
     "KH", ["- Đ/c Lưu Thị Hà (để biết);", "- Lãnh đạo Viện;", "- Các phòng;", "- Lưu: VT, VP."]),
])
def test_recipients_are_normalised(typed, doc, expected):
    assert assemble.recipients(campaign_with(typed), doc) == expected


def test_luu_line_without_drafting_unit():
    assert assemble.recipients(campaign_with([("KH", "A")], drafting_unit=""), "KH") == ["- A;", "- Lưu: VT."]
    assert assemble.recipients(campaign_with([("KH", "A")], drafting_unit="VP, PTĐKT"), "KH")[-1] == \
        "- Lưu: VT, VP, PTĐKT."


@pytest.mark.parametrize("signer,lines", [
    (Signer("KH", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"), ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"]),
    (Signer("KH", "KT.", "Viện trưởng", "Phó Viện trưởng", "Phạm Mỹ An"), ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"]),
    (Signer("QĐ", "TM.", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Văn B"), ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]),
    (Signer("QĐ", "TM.", "ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn B"),
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    (Signer("TTr", "TL.", "VIỆN TRƯỞNG", "CHÁNH VĂN PHÒNG", "Lý Thị Thanh"), ["TL. VIỆN TRƯỞNG", "CHÁNH VĂN PHÒNG"]),
    (Signer("TTr", "TUQ.", "VIỆN TRƯỞNG", "CHÁNH VĂN PHÒNG", "Lý Thị Thanh"),
     ["TUQ. VIỆN TRƯỞNG", "CHÁNH VĂN PHÒNG"]),
    (Signer("TTr", "Q.", "VIỆN TRƯỞNG", "", "Hoàng Văn Đức"), ["Q. VIỆN TRƯỞNG"]),
    (Signer("TTr", "Q.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Hoàng Văn Đức"), ["Q. VIỆN TRƯỞNG"]),
    (Signer("QĐ", "TM.", "ỦY BAN NHÂN DÂN/KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn B"),
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    (Signer("QĐ", "TM.", "Ủy ban nhân dân\nkt chủ tịch", "Phó Chủ tịch", "Lê Văn B"),
     ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]),
    (Signer("KH", "KT.", "KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"), ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"]),
    (Signer("TTr", "", "VIỆN TRƯỞNG", "VIỆN TRƯỞNG", "Hoàng Văn Đức"), ["VIỆN TRƯỞNG"]),
    (Signer("TTr", "", "", "GIÁM ĐỐC", "Hoàng Văn Đức"), ["GIÁM ĐỐC"]),
])
def test_signature_lines(signer, lines):
    block = assemble.signer_lines(signer)
    assert block["chuc_vu"] == lines
    assert block["ho_ten"] == signer.full_name


@pytest.mark.parametrize("typed,printed", [
    ("NGUYỄN VĂN ĐỨC", "Nguyễn Văn Đức"), ("Nguyễn Văn Đức", "Nguyễn Văn Đức"), ("TS. LÊ THỊ HOA", "Lê Thị Hoa"),
    ("  Phạm   Mỹ An ", "Phạm Mỹ An"), ("AA", "Aa"),
])
def test_signer_names_in_normal_case(typed, printed):
    assert assemble.person_name(typed) == printed
    assert assemble.signer_lines(Signer("KH", "", "GIÁM ĐỐC", "", typed))["ho_ten"] == printed


def test_academic_titles_are_dropped_from_the_signer_name():
    assert assemble.signer_lines(Signer("KH", "", "GIÁM ĐỐC", "", "TS. Nguyễn Văn A"))["ho_ten"] == "Nguyễn Văn A"
    assert assemble.signer_lines(Signer("KH", "", "GIÁM ĐỐC", "", "ThS. Trần B"))["ho_ten"] == "Trần B"


@pytest.mark.parametrize("number,expected", [
    ("5", ("05", "05/TTr-VKSCB")), ("05", ("05", "05/TTr-VKSCB")), ("012", ("12", "12/TTr-VKSCB")),
    ("251", ("251", "251/TTr-VKSCB")), ("", ("", "      /TTr-VKSCB")), (None, ("", "      /TTr-VKSCB")),
])
def test_number_and_code(number, expected):
    assert assemble.number_code(number, "TTr", "VKSCB") == expected


@pytest.mark.parametrize("agency,lines,sentence", [
    ("VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", ["VIỆN KIỂM SÁT NHÂN DÂN", "TỈNH CAO BẰNG"],
     "Viện kiểm sát nhân dân tỉnh Cao Bằng"),
    ("VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO", ["VIỆN KIỂM SÁT NHÂN DÂN", "TỐI CAO"], "Viện kiểm sát nhân dân tối cao"),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HÀ NỘI"], "Ủy ban nhân dân thành phố Hà Nội"),
    ("SỞ NỘI VỤ", ["SỞ NỘI VỤ"], "Sở Nội vụ"),
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH TỈNH CAO BẰNG", ["SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "TỈNH CAO BẰNG"],
     "Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng"),
    ("BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", ["BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI"],
     "Bộ Lao động - Thương binh và Xã hội"),
    ("BẢO HIỂM XÃ HỘI VIỆT NAM", ["BẢO HIỂM XÃ HỘI VIỆT NAM"], "Bảo hiểm xã hội Việt Nam"),
    ("VĂN PHÒNG ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", ["VĂN PHÒNG ỦY BAN NHÂN DÂN", "TỈNH CAO BẰNG"],
     "Văn phòng Ủy ban nhân dân tỉnh Cao Bằng"),
    ("ỦY BAN NHÂN DÂN XÃ HÒA AN", ["ỦY BAN NHÂN DÂN", "XÃ HÒA AN"], "Ủy ban nhân dân xã Hòa An"),
    ("Sở Nội vụ tỉnh Cao Bằng", ["SỞ NỘI VỤ TỈNH CAO BẰNG"], "Sở Nội vụ tỉnh Cao Bằng"),
    ("UBND XÃ A / PHÒNG B", ["UBND XÃ A", "PHÒNG B"], "Ubnd xã A Phòng B"),
    ("VIỆN KIỂM SÁT NHÂN DÂN/TỈNH CAO BẰNG", ["VIỆN KIỂM SÁT NHÂN DÂN", "TỈNH CAO BẰNG"],
     "Viện kiểm sát nhân dân tỉnh Cao Bằng"),
])
def test_agency_name_lines_and_sentence_case(agency, lines, sentence):
    assert assemble.header_lines(agency) == lines
    assert assemble.sentence_case_agency(agency) == sentence


@pytest.mark.parametrize("c,i,text", [
    (2, 4, "02 (hai) tập thể và 04 (bốn) cá nhân"), (0, 1, "01 (một) cá nhân"), (15, 0, "15 (mười lăm) tập thể"),
    (0, 0, "00 (không) tập thể, cá nhân"), (1, 21, "01 (một) tập thể và 21 (hai mươi mốt) cá nhân"),
])
def test_totals_in_digits_and_words(c, i, text):
    assert assemble.totals_text(c, i) == text


@pytest.mark.parametrize("name,phrase", [
    ("Cả nước thi đua đổi mới sáng tạo", "phong trào thi đua “Cả nước thi đua đổi mới sáng tạo”"),
    ("“Cả nước thi đua đổi mới sáng tạo”", "phong trào thi đua “Cả nước thi đua đổi mới sáng tạo”"),
    ("Phong trào thi đua “Bình dân học vụ số”", "phong trào thi đua “Bình dân học vụ số”"),
    ("Thực hiện nhiệm vụ gắn với phong trào “Bình dân học vụ số”",
     "phong trào thi đua thực hiện nhiệm vụ gắn với phong trào “Bình dân học vụ số”"),
])
def test_movement_phrase(name, phrase):
    assert assemble.movement_phrase(name) == phrase


def test_report_names_unique_for_same_name_and_ascii():
    c = Campaign()
    c.collectives = [Collective("Phòng Thống kê & CNTT")]
    c.individuals = [Individual("Nguyễn Văn Đức"), Individual("Nguyễn Văn Đức"), Individual("<>:|")]
    assert assemble.report_names(c) == [
        "bao-cao-thanh-tich/01-phong-thong-ke-cntt.docx",
        "bao-cao-thanh-tich/02-nguyen-van-duc.docx",
        "bao-cao-thanh-tich/03-nguyen-van-duc.docx",
        "bao-cao-thanh-tich/04-ca-nhan.docx",
    ]


# ----------------------------------------------------------------------------------------------------------
# Quyết định khen thưởng (beyond the four documents): Giấy khen of the provincial Viện trưởng
# ----------------------------------------------------------------------------------------------------------

GIAY_KHEN = "Giấy khen của Viện trưởng Viện kiểm sát nhân dân tỉnh"


@pytest.fixture(scope="module")
def quyet_dinh(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("qd")
    info = MINIMAL_INFO + [("Ngày ban hành", "15/12/2026"), ("Số Quyết định", "7"),
                           ("Cơ quan chủ quản", "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO")]
    wb = make_workbook(tmp / "qd.xlsx", {
        "Thông tin": info,
        "Căn cứ": [("Căn cứ",), ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022",),
                   ("Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ",)],
        "Tập thể": [("Tên tập thể", "Hình thức đề nghị", "Thành tích"), ("Văn phòng", GIAY_KHEN, "Tốt")],
        "Cá nhân": [("Họ và tên", "Chức vụ", "Đơn vị", "Hình thức đề nghị", "Thành tích"),
                    ("Nông Thị Hồng Nhung", "Kiểm sát viên", "Phòng 1", GIAY_KHEN, "Tốt"),
                    ("Lương Văn Thắng", "Trưởng phòng", "Phòng 1", GIAY_KHEN, "Tốt")],
        "Nơi nhận": [("Văn bản", "Nơi nhận"), ("QĐ", "Như trên"), ("QĐ", "Các cá nhân, tập thể có tên tại Điều 1")],
        "Người ký": [("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên"),
                     ("QĐ", "", "VIỆN TRƯỞNG", "VIỆN TRƯỞNG", "Hoàng Văn Đức")],
    })
    result = docgen.build(wb, tmp / "out", only={"quyet-dinh"}, today=date(2026, 12, 1))
    return result


def test_quyet_dinh_content(quyet_dinh):
    path = quyet_dinh.outdir / "quyet-dinh.docx"
    doc = Document(str(path))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "QUYẾT ĐỊNH" in text and f"Về việc tặng {GIAY_KHEN}" in text
    assert "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG" in text
    assert "QUYẾT ĐỊNH:" in text
    assert f"Tặng {GIAY_KHEN} cho 01 (một) tập thể và 02 (hai) cá nhân" in text
    # Giấy khen from 01/07/2026: tập thể 0,6 × 2.530.000 = 1.518.000 → 1.520.000; cá nhân 0,3 → 760.000
    assert "tổng số tiền 3.040.000 đồng (Ba triệu không trăm bốn mươi nghìn đồng)" in text
    assert "1.520.000 đồng (Một triệu năm trăm hai mươi nghìn đồng) × 01 (một) tập thể" in text
    assert "760.000 đồng (Bảy trăm sáu mươi nghìn đồng) × 02 (hai) cá nhân" in text
    assert "Quyết định này có hiệu lực kể từ ngày ký" in text and text.count("./.") >= 1
    header = doc.tables[0].rows[0].cells[0].text
    assert "Số: 07/QĐ-VKSCB" in header
    sign = doc.tables[1]
    left, right = sign.rows[0].cells
    assert [p.text for p in left.paragraphs if p.text][:2] == ["Nơi nhận:", "- Như Điều 3;"]
    assert [p.text for p in left.paragraphs if p.text][-1] == "- Lưu: VT, VP."
    assert "VIỆN TRƯỞNG" in right.text and "Hoàng Văn Đức" in right.text
    rows = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert rows[0] == ["STT", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Tiền thưởng (đồng)"]
    assert ["1", "Văn phòng", "", "Viện kiểm sát nhân dân tỉnh Cao Bằng", "1.520.000"] in rows
    assert ["2", "Lương Văn Thắng", "Trưởng phòng", "Phòng 1", "760.000"] in rows


def test_quyet_dinh_passes_nd30(quyet_dinh):
    result = check_document(quyet_dinh.outdir / "quyet-dinh.docx")
    assert result.ok, [f.message for f in result.findings]
    assert result.doc_type == "QĐ"
