"""The danh sách spreadsheet writer (docgen.spreadsheet): what Excel, openpyxl and LibreOffice read of it."""
from __future__ import annotations

import csv
import io
import subprocess
import zipfile

import openpyxl
import pytest

from docgen.pdf import find_soffice
from docgen.spreadsheet import column_letter, spreadsheet_bytes

HEADERS = ["STT", "Họ và tên", "Chức vụ", "Tiền thưởng (đồng)"]
ROWS = [[1, "Nguyễn Thị Ánh", "Kiểm sát viên", 1_500_000],
        [2, "Lò Văn Páo", None, 0.5],
        [3, "=HYPERLINK(\"x\")", "x < y & \"z\"", None],
        [4, "  Bế Thị\x01 Thu ", "Trưởng phòng", True]]


def _book(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def test_cells_values_and_types_as_written():
    ws = _book(spreadsheet_bytes("Danh sách", HEADERS, ROWS, heading="DANH SÁCH ĐỀ NGHỊ")).active
    assert ws.title == "Danh sách"
    assert ws["A1"].value == "DANH SÁCH ĐỀ NGHỊ" and ws["A2"].value is None
    assert [c.value for c in ws[3]] == HEADERS
    assert [c.value for c in ws[4]] == [1, "Nguyễn Thị Ánh", "Kiểm sát viên", 1_500_000]
    assert [c.value for c in ws[5]] == [2, "Lò Văn Páo", None, 0.5]
    assert ws["B6"].value == "'=HYPERLINK(\"x\")" and ws["C6"].value == 'x < y & "z"'
    assert ws["B7"].value == "  Bế Thị Thu " and ws["D7"].value is True      # spaces kept, XML-illegal dropped
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_formatting_heading_header_body_and_frozen_header():
    ws = _book(spreadsheet_bytes("Danh sách", HEADERS, ROWS, widths=[6, 32, 24, 16], heading="DS")).active
    assert ws["A1"].font.b and ws["A1"].font.sz == 13 and ws["A1"].font.name == "Times New Roman"
    head = ws["B3"]
    assert head.font.b and head.font.sz == 12 and head.fill.fgColor.rgb.endswith("DDEBF7")
    assert head.alignment.horizontal == "center" and head.alignment.wrap_text and head.border.left.style == "thin"
    body = ws["C5"]                                 # an empty body cell keeps its borders
    assert body.style == "Danh sách" and not body.font.b and body.font.name == "Times New Roman"
    assert body.alignment.vertical == "top" and body.alignment.wrap_text and body.border.bottom.style == "thin"
    assert ws.freeze_panes == "A4"
    assert [ws.column_dimensions[column_letter(i)].width for i in range(1, 5)] == [6, 32, 24, 16]
    no_heading = _book(spreadsheet_bytes("X", HEADERS, ROWS)).active
    assert [c.value for c in no_heading[1]] == HEADERS and no_heading.freeze_panes == "A2"


def test_sheet_title_is_one_excel_accepts():
    ws = _book(spreadsheet_bytes("Danh/sách [2026]: *đề nghị?* khen thưởng cấp tỉnh", HEADERS, [])).active
    assert ws.title == "Danh-sách -2026-- -đề nghị-- kh" and len(ws.title) == 31


def test_reproducible_and_shared_strings_once():
    a = spreadsheet_bytes("DS", HEADERS, ROWS * 50)
    assert a == spreadsheet_bytes("DS", HEADERS, ROWS * 50)
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        assert zf.testzip() is None
        assert {i.date_time for i in zf.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert zf.read("xl/sharedStrings.xml").count("Lò Văn Páo".encode()) == 1


def test_column_letters():
    assert [column_letter(i) for i in (1, 9, 26, 27, 52, 53, 702, 703)] == \
        ["A", "I", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice không có")
def test_libreoffice_reads_every_cell(tmp_path):
    src = tmp_path / "ds.xlsx"
    src.write_bytes(spreadsheet_bytes("Danh sách", HEADERS, ROWS, heading="DANH SÁCH"))
    subprocess.run([find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(src)],
                   check=True, capture_output=True, timeout=120)
    rows = list(csv.reader((tmp_path / "ds.csv").read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "DANH SÁCH" and rows[2] == HEADERS
    assert rows[3] == ["1", "Nguyễn Thị Ánh", "Kiểm sát viên", "1500000"]
    assert rows[5][1] == "'=HYPERLINK(\"x\")" and rows[5][2] == 'x < y & "z"'


def test_a_long_cell_makes_its_row_tall_enough():
    from docgen.spreadsheet import LINE_PT, lines_needed

    long_unit = "Ban Quản lý Khu di tích quốc gia đặc biệt Pác Bó"
    ws = _book(spreadsheet_bytes("DS", HEADERS, [[1, long_unit, "Viên chức", 1], [2, "Bế Văn Long", "x\ny\nz", 2]],
                                 widths=[6, 20, 24, 16])).active
    assert lines_needed(long_unit, 20) == 2 and lines_needed("ngắn", 20) == 1 and lines_needed("a\nb\nc", 30) == 3
    assert ws.row_dimensions[2].height == 2 * LINE_PT and ws.row_dimensions[3].height == 3 * LINE_PT
    assert ws.row_dimensions[1].height is None                  # the header fits on one line: Excel's height


@pytest.mark.skipif(find_soffice() is None, reason="LibreOffice không có")
def test_printed_on_a4_landscape_one_page_wide_with_the_header_on_every_page(tmp_path):
    rows = [[i, f"Nguyễn Văn {i}", "Chuyên viên", 1_000_000] for i in range(1, 120)]
    src = tmp_path / "ds.xlsx"
    src.write_bytes(spreadsheet_bytes("Danh sách", HEADERS, rows, widths=[6, 32, 24, 60], heading="DANH SÁCH"))
    subprocess.run([find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)], check=True, capture_output=True,
                   timeout=120)
    from pypdf import PdfReader

    pages = PdfReader(str(tmp_path / "ds.pdf")).pages
    assert len(pages) >= 2
    for page in pages:
        box = page.mediabox
        assert float(box.width) > float(box.height)           # landscape
        text = page.extract_text()
        assert "STT" in text and "Tiền thưởng (đồng)" in text   # every column, header repeated
    assert "Nguyễn Văn 119" in pages[-1].extract_text()
