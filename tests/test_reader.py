"""The reader on messy workbooks: title rows, renamed headers, NFD text, text dates, formulas..."""
from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest

from docgen import load_campaign
from docgen.errors import Severity, WorkbookUnreadable
from wb_helpers import MINIMAL_INFO, make_workbook, messages


def test_minimal_info(tmp_path):
    c = load_campaign(make_workbook(tmp_path / "a.xlsx", {"Thông tin": MINIMAL_INFO}))
    assert c.info.issuing_agency == "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"
    assert c.info.year == 2026
    assert c.info.award_kind == "Hằng năm"
    assert [p for p in c.problems if p.is_error] == []


def test_sheet_key_and_header_matching_ignores_case_diacritics_spacing(tmp_path):
    info = [("MUC", "GIA TRI")] + [(f"  {k.upper()}  ", v) for k, v in MINIMAL_INFO[1:]]
    info = [(unicodedata.normalize("NFD", str(k)), v) for k, v in info]
    individuals = [
        ("DANH SÁCH CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG",),      # title row (merged in real files)
        (),
        ("stt", "ho va ten", "NGAY  SINH", "Hinh thuc de nghi", "Tỷ lệ án toàn trình (%)"),
        (1, "Nguyễn Văn An", "05/3/1980", "Lao động tiên tiến", "99,2"),
        (),                                              # blank row inside the data
        (2, "Lê Thị Bình", datetime(1985, 12, 1), "Chiến sĩ thi đua cơ sở", 98.5),
    ]
    path = make_workbook(tmp_path / "b.xlsx", {"thong tin": info, "CA NHAN ": individuals})
    c = load_campaign(path)
    assert [p for p in c.problems if p.is_error] == [], messages(c.problems)
    assert c.info.agency_code == "VKSCB"
    assert [i.full_name for i in c.individuals] == ["Nguyễn Văn An", "Lê Thị Bình"]
    assert c.individuals[0].birth_date == date(1980, 3, 5)
    assert c.individuals[1].birth_date == date(1985, 12, 1)
    assert c.individuals[0].row == 4 and c.individuals[1].row == 6
    # extra column passes through under its slug, numbers as numbers
    assert c.individuals[0].extra["ty_le_an_toan_trinh"] == pytest.approx(99.2)
    assert c.individuals[1].extra["ty_le_an_toan_trinh"] == pytest.approx(98.5)
    assert c.individuals[0].extra_labels["ty_le_an_toan_trinh"] == "Tỷ lệ án toàn trình (%)"


def test_nfd_text_is_normalised_and_whitespace_collapsed(tmp_path):
    name = unicodedata.normalize("NFD", "  Nguyễn   Thị\u00a0Ánh ")
    rows = [("Họ và tên", "Hình thức đề nghị", "Thành tích"),
            (name, "Lao động tiên tiến", "Dòng một\x07\n\n  Dòng   hai  ")]
    c = load_campaign(make_workbook(tmp_path / "c.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows}))
    person = c.individuals[0]
    assert person.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", person.full_name)
    assert person.achievements == "Dòng một\n\nDòng hai"       # control char dropped, line breaks kept


@pytest.mark.parametrize("text,expected", [
    ("05/3/1980", date(1980, 3, 5)),
    ("1980-03-05", date(1980, 3, 5)),
    ("5-3-1980", date(1980, 3, 5)),
    ("03/04/2026", date(2026, 4, 3)),                       # day-first, always
    ("ngày 5 tháng 3 năm 2026", date(2026, 3, 5)),
    ("Ngay 05 thang 03 nam 2026", date(2026, 3, 5)),
])
def test_text_dates(tmp_path, text, expected):
    rows = [("Họ và tên", "Ngày sinh", "Hình thức đề nghị"), ("A", text, "Lao động tiên tiến")]
    c = load_campaign(make_workbook(tmp_path / "d.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows}))
    assert c.individuals[0].birth_date == expected, messages(c.problems)


def test_invalid_date_message_is_located(tmp_path):
    rows = [("TT", "x"), ("STT", "Họ và tên", "Ngày sinh", "Hình thức đề nghị")] + [
        (i, f"Người {i}", "01/01/1980", "Lao động tiên tiến") for i in range(1, 4)] + [
        (4, "Người 4", "31/02/1980", "Lao động tiên tiến")]
    c = load_campaign(make_workbook(tmp_path / "e.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows}))
    assert 'Cá nhân, dòng 6, cột "Ngày sinh": "31/02/1980" không phải là ngày hợp lệ.' in messages(c.problems)


def test_numbers_written_as_text(tmp_path):
    units = [("Tên đơn vị", "Số biên chế", "Kinh phí"), ("Văn phòng", "18", "2.340.000"),
             ("Phòng 1", 14.0, "1.234,5")]
    c = load_campaign(make_workbook(tmp_path / "f.xlsx", {"Thông tin": MINIMAL_INFO, "Đơn vị": units}))
    assert [u.staff_count for u in c.units] == [18, 14]
    assert c.units[0].extra["kinh_phi"] == 2340000
    assert c.units[1].extra["kinh_phi"] == pytest.approx(1234.5)


def test_formula_cached_value_used_and_missing_cache_warned(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "g.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "Thông tin"
    for r, row in enumerate(MINIMAL_INFO, start=1):
        for col, v in enumerate(row, start=1):
            ws.cell(row=r, column=col, value=v)
    units = wb.create_sheet("Đơn vị")
    units.append(["Tên đơn vị", "Số biên chế"])
    units.append(["Văn phòng", "=10+8"])        # openpyxl writes no cached value
    wb.save(path)
    c = load_campaign(path)
    warnings = [p for p in c.problems if p.rule == "cong-thuc"]
    assert warnings and warnings[0].sheet == "Đơn vị" and warnings[0].row == 2
    assert warnings[0].column == "Số biên chế"
    assert warnings[0].severity is Severity.WARNING


def test_formula_with_cached_value_reads_the_value(tmp_path):
    """A workbook saved by a spreadsheet program carries cached values: build one by hand."""
    import zipfile

    path = make_workbook(tmp_path / "h.xlsx", {"Thông tin": MINIMAL_INFO,
                                               "Đơn vị": [("Tên đơn vị", "Số biên chế"), ("Văn phòng", 0)]})
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    sheet = next(n for n, d in items.items() if n.startswith("xl/worksheets/") and b"<v>0</v>" in d)
    items[sheet] = items[sheet].replace(b'<c r="B2" t="n"><v>0</v></c>', b'<c r="B2"><f>10+8</f><v>18</v></c>')
    assert b"<f>10+8</f>" in items[sheet]
    with zipfile.ZipFile(path, "w") as zout:
        for n, d in items.items():
            zout.writestr(n, d)
    c = load_campaign(path)
    assert c.units[0].staff_count == 18
    assert not [p for p in c.problems if p.rule == "cong-thuc"]


def test_ten_mistakes_all_reported_with_locations(tmp_path):
    info = [("Mục", "Giá trị"), ("Cơ quan ban hành", "VKSND TỈNH X"), ("Ký hiệu cơ quan", "VKSX"),
            ("Đơn vị soạn thảo", "VP"), ("Địa danh", "X"), ("Tên phong trào", "Y"),
            ("Loại khen thưởng", "Hàng tuần"),                        # 1 not in vocabulary
            ("Năm", "hai nghìn")]                                     # 2 not a year
    individuals = [("Họ và tên", "Ngày sinh", "Hình thức đề nghị", "Ngày tuyển dụng"),
                   ("A", "31/02/1980", "Lao động tiên tiến", None),   # 3 impossible date
                   ("B", "1980/13/45", "Lao động tiên tiến", None),   # 4 garbage date
                   ("C", "01/01/1980", None, None),                   # 5 missing award
                   ("D", "01/01/1980", "Lao động tiên tiến", "abc")]  # 6 bad date
    council = [("Họ và tên", "Vai trò", "Có mặt"), ("E", "Chủ tịch", "có lẽ")]   # 7 presence
    votes = [("Đối tượng", "Đồng ý", "Không đồng ý"), ("A", "năm", 0)]         # 8 not a number
    recipients = [("Văn bản", "Nơi nhận"), ("Công văn mật", "Nơi X")]          # 9 doc type
    signers = [("Văn bản", "Quyền hạn", "Họ và tên"), ("TTr", "Phó", "Nguyễn Văn A")]  # 10 authority
    path = make_workbook(tmp_path / "ten.xlsx", {
        "Thông tin": info, "Cá nhân": individuals, "Hội đồng": council, "Biểu quyết": votes,
        "Nơi nhận": recipients, "Người ký": signers})
    c = load_campaign(path)
    errors = [p for p in c.problems if p.is_error]
    located = {(p.sheet, p.row, p.column) for p in errors}
    assert located >= {
        ("Thông tin", 7, "Giá trị"), ("Thông tin", 8, "Giá trị"),
        ("Cá nhân", 2, "Ngày sinh"), ("Cá nhân", 3, "Ngày sinh"), ("Cá nhân", 4, "Hình thức đề nghị"),
        ("Cá nhân", 5, "Ngày tuyển dụng"), ("Hội đồng", 2, "Có mặt"), ("Biểu quyết", 2, "Đồng ý"),
        ("Nơi nhận", 2, "Văn bản"), ("Người ký", 2, "Quyền hạn"),
    }, messages(errors)
    assert len(errors) == 10, messages(errors)


def test_missing_required_keys_and_columns(tmp_path):
    info = [("Mục", "Giá trị"), ("Cơ quan ban hành", "X")]
    rows = [("STT", "Họ và tên", "Ngày sinh"), (1, "A", "01/01/1980")]
    c = load_campaign(make_workbook(tmp_path / "m.xlsx", {"Thông tin": info, "Cá nhân": rows}))
    texts = messages(c.problems)
    assert any('Thiếu mục bắt buộc "Ký hiệu cơ quan"' in t for t in texts)
    assert any('Cá nhân, dòng 1: Thiếu cột bắt buộc "Hình thức đề nghị".' == t for t in texts)


def test_missing_info_sheet_is_an_error(tmp_path):
    c = load_campaign(make_workbook(tmp_path / "n.xlsx", {"Cá nhân": [("Họ và tên",)]}))
    assert any(p.rule == "thieu-sheet" for p in c.problems)


def test_header_not_found(tmp_path):
    c = load_campaign(make_workbook(tmp_path / "o.xlsx", {"Thông tin": MINIMAL_INFO,
                                                          "Cá nhân": [("a", "b"), ("c", "d")]}))
    assert any(p.sheet == "Cá nhân" and p.rule == "thieu-tieu-de" for p in c.problems)


def test_text_in_number_columns_and_numbers_in_text_columns(tmp_path):
    rows = [("Họ và tên", "Hình thức đề nghị", "Điện thoại", "Chức vụ"),
            (12345, "Lao động tiên tiến", 912345678, 3.5)]
    c = load_campaign(make_workbook(tmp_path / "p.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows}))
    assert c.individuals[0].full_name == "12345"
    assert c.individuals[0].position == "3,5"


def test_signer_authority_variants_normalised_with_warning(tmp_path):
    signers = [("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên"),
               ("Tờ trình", "K/T", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"),
               ("kh", "tm", "ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Nguyễn Văn B"),
               ("QĐ", None, "VIỆN TRƯỞNG", None, "Hoàng Văn Đức")]
    c = load_campaign(make_workbook(tmp_path / "q.xlsx", {"Thông tin": MINIMAL_INFO, "Người ký": signers}))
    assert [(s.doc_type, s.authority) for s in c.signers] == [("TTr", "KT."), ("KH", "TM."), ("QĐ", "")]
    assert any(p.rule == "quyen-han" and p.row == 2 for p in c.problems)


def test_council_presence(tmp_path):
    rows = [("STT", "Họ và tên", "Chức vụ", "Vai trò", "Có mặt"),
            (1, "A", "Viện trưởng", "chu tich", "Có"), (2, "B", "", "Uỷ viên", "vắng"), (3, "C", "", "Thư ký", None)]
    c = load_campaign(make_workbook(tmp_path / "r.xlsx", {"Thông tin": MINIMAL_INFO, "Hội đồng": rows}))
    assert [(m.role, m.present) for m in c.council] == [("Chủ tịch", True), ("Ủy viên", False), ("Thư ký", True)]


def test_legacy_tcvn3_cell_converted_with_warning(tmp_path):
    rows = [("Họ và tên", "Hình thức đề nghị", "Quê quán"),
            ("Nguyễn Văn An", "Lao động tiên tiến", "Céng hoµ x· héi chñ nghÜa ViÖt Nam")]
    path = make_workbook(tmp_path / "s.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows},
                         fonts={("Cá nhân", 2, 3): ".VnTime"})
    c = load_campaign(path)
    assert c.individuals[0].hometown == "Cộng hoà xã hội chủ nghĩa Việt Nam"
    warn = [p for p in c.problems if p.rule == "ma-cu"]
    assert warn and (warn[0].sheet, warn[0].row, warn[0].column) == ("Cá nhân", 2, "Quê quán")


def test_duplicate_header_warned(tmp_path):
    rows = [("Họ và tên", "Họ tên", "Hình thức đề nghị"), ("A", "B", "Lao động tiên tiến")]
    c = load_campaign(make_workbook(tmp_path / "t.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows}))
    assert c.individuals[0].full_name == "A"
    assert any(p.rule == "trung-cot" for p in c.problems)


@pytest.mark.parametrize("content,needle", [
    (b"", "rỗng"),
    (b"hello, this is text", "không phải tệp Excel"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
])
def test_unreadable_files(tmp_path, content, needle):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookUnreadable) as exc:
        load_campaign(path)
    assert needle in str(exc.value)


def test_missing_file(tmp_path):
    with pytest.raises(WorkbookUnreadable, match="Không tìm thấy"):
        load_campaign(tmp_path / "khong-co.xlsx")


def test_large_sheet_streams(tmp_path):
    rows = [("STT", "Họ và tên", "Hình thức đề nghị", "Ngày sinh")] + [
        (i, f"Người Thứ {i}", "Lao động tiên tiến", date(1980, 1 + i % 12, 1 + i % 28)) for i in range(1, 3001)]
    c = load_campaign(make_workbook(tmp_path / "big.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows}))
    assert len(c.individuals) == 3000
    assert c.individuals[-1].row == 3001
