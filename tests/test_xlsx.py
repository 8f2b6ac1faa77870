"""The fast workbook reader (docgen.xlsx) against openpyxl, the reader it replaces.

For every fixture, corpus workbook, LibreOffice-saved workbook and generated hostile workbook: the fast reader
yields the same rows (values with their Python types, padding, font names) and the same warnings as openpyxl's
read-only mode, hence the same Campaign and problems.  What it does not fully understand it refuses
(``Unsupported``) and docgen reads the file with openpyxl instead: those fallbacks are tested too."""
from __future__ import annotations

import datetime
import re
import shutil
import subprocess
import sys
import warnings
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from docgen import xlsx
from docgen.errors import WorkbookUnreadable
from docgen.reader import OpenpyxlBook, WorkbookReader, load_campaign
from docgen.safety import inspect_workbook

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = sorted((ROOT / "fixtures").glob("*.xlsx"))
CORPUS = sorted((ROOT / "tests" / "data" / "corpus").glob("*.xlsx"))
WORK_CORPUS = sorted(Path("/work/corpus").glob("*.xlsx"))      # the full corpus, where it exists


# ---------------------------------------------------------------------------------------------- helpers
def openpyxl_sheets(path: Path) -> list:
    """[(title, state, rows, warnings)] as docgen read them through openpyxl."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        book = OpenpyxlBook(openpyxl.load_workbook(path, read_only=True, data_only=True))
    out = []
    try:
        for ws in book.worksheets:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rows = list(book.rows(ws, []))
            out.append((ws.title, ws.sheet_state, rows,
                        [str(w.message) for w in caught if not issubclass(w.category, ResourceWarning)]))
    finally:
        book.close()
    return out


def fast_sheets(path: Path) -> list:
    with xlsx.Book(path) as book:
        out = []
        for ws in book.worksheets:
            messages: list[str] = []
            rows = list(book.rows(ws, messages))
            out.append((ws.title, ws.sheet_state, rows, messages))
        return out


def fast_or_none(path: Path):
    try:
        return fast_sheets(path)
    except xlsx.Unsupported:
        return None


def campaign_text(campaign) -> str:
    return repr(campaign)


def read_fast(path: Path):
    reader = WorkbookReader(path)
    return reader.read_book(xlsx.Book(path))


def read_openpyxl(path: Path):
    return WorkbookReader(path).read_with_openpyxl()


def outcome(read, path: Path) -> str:
    """What a read gives: the campaign (repr, problems included) or the exception it raises."""
    try:
        return campaign_text(read(path))
    except Exception as exc:  # noqa: BLE001 - the outcome compared, whatever it is
        return f"raises {type(exc).__name__}"


def assert_same(path: Path, *, fast_expected: bool = True) -> None:
    """The fast reader gives openpyxl's rows and warnings (or, when ``fast_expected`` is False, may refuse the
    file); load_campaign gives the campaign openpyxl's path gives."""
    try:
        reference = openpyxl_sheets(path)
    except Exception:  # noqa: BLE001 - openpyxl cannot read it: the fast reader must not either
        assert fast_or_none(path) is None, path
        return
    fast = fast_or_none(path) if not fast_expected else fast_sheets(path)
    if fast is not None:
        assert repr(fast) == repr(reference), path
    assert outcome(lambda p: load_campaign(p), path) == outcome(read_openpyxl, path)


def rezip(src: Path, dst: Path, changes: dict[str, bytes | None]) -> Path:
    """A copy of workbook ``src`` with some parts replaced (None: removed)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename in changes:
                continue
            zout.writestr(item, zin.read(item.filename))
        for name, data in changes.items():
            if data is not None:
                zout.writestr(name, data)
    return dst


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


# ---------------------------------------------------------------------------------------------- real workbooks
@pytest.mark.parametrize("path", FIXTURES + CORPUS, ids=lambda p: p.name)
def test_fixtures_and_corpus_read_as_openpyxl_reads_them(path):
    try:
        inspect_workbook(path)
    except WorkbookUnreadable:
        assert outcome(lambda p: load_campaign(p), path) == "raises WorkbookUnreadable"
        return
    assert_same(path, fast_expected=path in FIXTURES or "fuzz" in path.name)
    if path in FIXTURES:      # the fixtures are what clerks' files look like: the fast path must read them
        assert campaign_text(read_fast(path)) == campaign_text(read_openpyxl(path))


@pytest.mark.skipif(not WORK_CORPUS, reason="the full corpus lives in /work/corpus on the development machine")
def test_the_whole_corpus_reads_as_openpyxl_reads_it():
    for path in WORK_CORPUS:
        try:
            inspect_workbook(path)
        except WorkbookUnreadable:
            continue
        assert_same(path, fast_expected=False)


def test_libreoffice_saved_workbook_reads_the_same(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    src = tmp_path / "src.xlsx"
    shutil.copy(ROOT / "fixtures" / "xa-hoa-an.xlsx", src)
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "out"), str(src)],
                   check=True, capture_output=True, timeout=180)
    saved = tmp_path / "out" / "src.xlsx"
    assert b"LibreOffice" in part(saved, "docProps/app.xml")
    assert_same(saved)                                  # and read by the fast path, not the fallback
    campaign = read_fast(saved)
    assert campaign_text(campaign).replace(str(saved), "") == \
        campaign_text(read_openpyxl(saved)).replace(str(saved), "")
    assert len(campaign.individuals) == len(load_campaign(src).individuals) > 0


def test_the_fast_path_does_not_import_openpyxl():
    code = ("import sys; from docgen.reader import load_campaign; "
            f"c = load_campaign({str(FIXTURES[0])!r}); assert c.individuals; print('openpyxl' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


# ---------------------------------------------------------------------------------------------- hostile values
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"), include_characters="\n\t"),
                max_size=12)
_LEGACY = st.sampled_from(["Kh«ng", "Nguyễn Văn A", "Tr­êng", "ViÖt Nam", "Café", "  ", "", "_x000D_",
                           "a_x000D_b", "x005F_x", "=1+1", "1,5", "12/03/2020", "0012", "TRUE"])
_NUMBER = st.one_of(st.integers(-10**20, 10**20), st.sampled_from([1e-7, 1.0, 0.5, 12345678901234567890.0,
                                                                  -0.0, 2958465.9, 60.0, 59.999, 1e300]),
                    st.floats(allow_nan=False, allow_infinity=False, width=32))
_DATE = st.one_of(st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)),
                  st.datetimes(datetime.datetime(1900, 3, 1), datetime.datetime(2100, 1, 1)),
                  st.times(), st.timedeltas(datetime.timedelta(0), datetime.timedelta(days=400)))
_VALUE = st.one_of(_TEXT, _LEGACY, _NUMBER, st.booleans(), _DATE, st.sampled_from(["=A1+1", "=SUM(A1:A3)"]))
_FORMATS = st.sampled_from(["General", "0", "0.00", "@", "dd/mm/yyyy", "d-mmm-yy", "h:mm:ss", "[h]:mm:ss",
                            "yyyy-mm-dd h:mm", '"Ngày" dd', "[Red]0.0", "mm:ss", "0%", '#,##0;[Red]-#,##0'])
_FONTS = st.sampled_from([None, ".VnTime", ".VnTimeH", "VNI-Times", "Times New Roman", "Arial"])
_CELL = st.tuples(st.integers(1, 25), st.integers(1, 9), _VALUE, _FORMATS, _FONTS)


@st.composite
def workbooks(draw):
    sheets = []
    for _ in range(draw(st.integers(1, 3))):
        sheets.append({
            "cells": draw(st.lists(_CELL, max_size=25)),
            "state": draw(st.sampled_from(["visible", "visible", "hidden", "veryHidden"])),
            "merge": draw(st.booleans()), "rich": draw(st.booleans()), "extras": draw(st.booleans()),
        })
    return {"sheets": sheets, "date1904": draw(st.booleans())}


def write_workbook(spec: dict, path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if spec["date1904"]:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    for n, sheet in enumerate(spec["sheets"]):
        ws = wb.create_sheet(f"S{n}")
        for row, col, value, fmt, font in sheet["cells"]:
            cell = ws.cell(row=row, column=col, value=value)
            cell.number_format = fmt
            if font:
                cell.font = Font(name=font)
        if sheet["merge"]:
            ws.merge_cells("B2:C3")
        if sheet["rich"]:
            ws["E5"] = CellRichText(["Trư", TextBlock(InlineFont(rFont=".VnTime", b=True), "êng"), " x"])
        if sheet["extras"]:
            ws.freeze_panes = "B2"
            ws.column_dimensions["C"].width = 30
            dv = DataValidation(type="list", formula1='"Có,Vắng"', allow_blank=True)
            dv.add("D2:D9")
            ws.add_data_validation(dv)
            ws.print_options.gridLines = True
            ws.oddHeader.center.text = "Danh sách &[Page]"
        if n and sheet["state"] != "visible":
            ws.sheet_state = sheet["state"]
    wb.save(path)
    return path


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(spec=workbooks())
def test_generated_workbooks_read_as_openpyxl_reads_them(tmp_path, spec):
    path = write_workbook(spec, tmp_path / "g.xlsx")
    assert repr(fast_sheets(path)) == repr(openpyxl_sheets(path))   # openpyxl's own files: always the fast path


# ---------------------------------------------------------------------------------------------- raw sheet XML
_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RAW_TYPES = st.sampled_from([None, "n", "s", "str", "b", "e", "d", "inlineStr", "", "x"])
_RAW_VALUES = st.one_of(st.sampled_from(["1", "1.0", "1e-7", "12345678901234567890", "-3", " 5", "1_000", "",
                                        "0", "2", "-1", "99999999", "2958466", "nan", "inf", "abc", "true",
                                        "2024-02-29", "2024-02-29T10:20:30", "10:20", "PT3H", "#N/A", "60",
                                        "0.5", "x005F_y", "_x000D_"]),
                        st.text(st.characters(min_codepoint=32, max_codepoint=0x1EF9, exclude_categories=("Cs",)),
                                max_size=6))
_RAW_REFS = st.one_of(st.none(), st.sampled_from(["A", "B", "C", "AA", "b", "Zz"]).flatmap(
    lambda col: st.integers(0, 30).map(lambda r: f"{col}{r}")), st.sampled_from(["1A", "A1B", "", "$A$1", "A01"]))
_RAW_CELL = st.tuples(_RAW_REFS, _RAW_TYPES, st.sampled_from([None, "0", "1", "2", "3", "9", "", "-1", "x"]),
                      st.one_of(st.none(), _RAW_VALUES, st.integers(-2, 9).map(str)),
                      st.sampled_from(["v", "is", "rich", "phonetic", "f", "none", "rich-name"]))
_RAW_ROW = st.tuples(st.sampled_from([None, "1", "2", "3", "5", "4", "2.0", "7.5", "x", "0"]),
                     st.lists(_RAW_CELL, max_size=5))


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def raw_cell(ref, t, s, value, shape) -> str:
    attrs = "".join(f' {k}="{_esc(v)}"' for k, v in (("r", ref), ("t", t), ("s", s)) if v is not None)
    text = _esc(value or "")
    inner = {"v": f"<v>{text}</v>" if value is not None else "<v/>",
             "is": f"<is><t>{text}</t></is>",
             "rich": f'<is><t>a</t><r><rPr><rFont val=".VnTime"/><b/></rPr><t xml:space="preserve">{text}</t></r></is>',
             "phonetic": f"<is><r><t>{text}</t></r><rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></is>",
             "f": f"<f>A1+1</f><v>{text}</v>", "none": "",
             "rich-name": f'<is><r><rPr><name val="Arial"/></rPr><t>{text}</t></r></is>'}[shape]
    return f"<c{attrs}>{inner}</c>" if inner else f"<c{attrs}/>"


def raw_sheet(rows, tail: str = "") -> bytes:
    body = "".join((f'<row r="{r}">' if r is not None else "<row>") + "".join(raw_cell(*c) for c in cells)
                   + "</row>" for r, cells in rows)
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}><sheetData>{body}</sheetData>{tail}' \
           "</worksheet>".encode()


@pytest.fixture(scope="module")
def base_workbook(tmp_path_factory) -> Path:
    """A workbook with shared strings and cell styles 0-3 (date, [h]:mm:ss, text) to plant raw sheets in."""
    path = tmp_path_factory.mktemp("raw") / "base.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Thông tin"
    for n, fmt in enumerate(["dd/mm/yyyy", "[h]:mm:ss", "@"], start=1):
        ws.cell(row=n, column=1, value=f"chuỗi {n}").number_format = fmt
        ws.cell(row=n, column=1).font = Font(name=[".VnTime", "Arial", "VNI-Times"][n - 1])
    wb.create_sheet("Cá nhân")
    wb.save(path)
    return with_shared_strings(path, path.with_name("base-sst.xlsx"))


SHARED_STRINGS = (
    f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS} count="8" uniqueCount="8">'
    "<si><t>Tr­êng häc</t></si><si><t>chuỗi</t></si>"
    '<si><r><rPr><rFont val=".VnTime"/><b/><sz val="12"/></rPr><t>Kh«</t></r><r><t xml:space="preserve">ng </t></r></si>'
    '<si><t>ふりがな</t><rPh sb="0" eb="2"><t>フリ</t></rPh><phoneticPr fontId="1" type="Hiragana"/></si>'
    "<si><t>a_x005F_x000D_b x005F_</t></si><si><t>   </t></si><si><t/></si><si><t>dòng 1\ndòng 2</t></si></sst>")


def with_shared_strings(src: Path, dst: Path) -> Path:
    """``src`` with a shared string table (openpyxl writes inline strings; Excel and LibreOffice do not)."""
    ct = part(src, "[Content_Types].xml").replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType='
                                                  b'"application/vnd.openxmlformats-officedocument.spreadsheetml.'
                                                  b'sharedStrings+xml"/></Types>')
    rels = part(src, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>", b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/'
                             b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    return rezip(src, dst, {"[Content_Types].xml": ct, "xl/_rels/workbook.xml.rels": rels,
                            "xl/sharedStrings.xml": SHARED_STRINGS.encode()})


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(_RAW_ROW, max_size=6))
def test_raw_cells_read_as_openpyxl_reads_them(base_workbook, tmp_path, rows):
    path = rezip(base_workbook, tmp_path / "raw.xlsx", {"xl/worksheets/sheet2.xml": raw_sheet(rows)})
    assert_same(path, fast_expected=False)


_PLAIN_CELL = st.one_of(
    st.tuples(st.just("n"), st.sampled_from(["1", "1.0", "1e-7", "12345678901234567890", "-3", "0", "43000.75",
                                             "2958465", "60", "59.5", "0.25", "1E3", "99999999999", "-1"])),
    st.tuples(st.just("s"), st.integers(0, 7).map(str)),
    st.tuples(st.just("b"), st.sampled_from(["0", "1"])),
    st.tuples(st.just("e"), st.sampled_from(["#N/A", "#VALUE!", "#DIV/0!"])),
    st.tuples(st.sampled_from(["str", "inlineStr"]), _RAW_VALUES),
    st.tuples(st.just("d"), st.sampled_from(["2024-02-29", "2024-02-29T10:20:30", "10:20", "1900-01-01T00:00:00Z"])))
_PLAIN_ROW = st.tuples(st.sampled_from([None, "1", "2", "3", "5", "9"]), st.lists(st.tuples(
    st.one_of(st.none(), st.tuples(st.sampled_from("ABCDEFGH"), st.integers(1, 9)).map(lambda t: f"{t[0]}{t[1]}")),
    _PLAIN_CELL, st.sampled_from([None, "0", "1", "2", "3", "9"]),
    st.sampled_from(["v", "is", "rich", "phonetic", "f", "none"])), max_size=6))


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rows=st.lists(_PLAIN_ROW, max_size=6))
def test_well_formed_raw_cells_take_the_fast_path(base_workbook, tmp_path, rows):
    """Cells as Excel and LibreOffice write them (any type, style, order, with or without references): always
    the fast path, always openpyxl's rows."""
    cells = [(r, [(ref, t, s, v, "is" if t == "inlineStr" and shape == "v" else shape)
                  for ref, (t, v), s, shape in row]) for r, row in rows]
    path = rezip(base_workbook, tmp_path / "plain.xlsx", {"xl/worksheets/sheet2.xml": raw_sheet(cells)})
    assert_same(path)


def test_the_raw_cell_test_mostly_takes_the_fast_path(base_workbook, tmp_path):
    """The raw test above is no test of the fast reader if it always falls back: well-typed raw sheets are
    read by the fast path."""
    rows = [("1", [("A1", "n", "1", "43000", "v"), ("C1", "s", "2", "1", "v"), ("B1", "b", None, "1", "v")]),
            (None, [(None, "inlineStr", "3", "Kh«ng", "rich"), (None, "e", None, "#N/A", "v"),
                    ("D2", "str", None, "x", "f")]),
            ("2", [("A2", "n", "1", "43000", "v")]),
            ("3", [("A3", "s", "2", "2", "v"), ("B3", "s", None, "3", "v"), ("C3", "s", None, "4", "v"),
                   ("D3", "s", None, "5", "v")]),
            ("5", [("B5", "d", None, "2024-02-29T10:20:30", "v"), ("A5", "n", "2", "1.25", "v"),
                   ("A5", "inlineStr", None, "x", "phonetic")])]
    path = rezip(base_workbook, tmp_path / "raw.xlsx", {"xl/worksheets/sheet2.xml": raw_sheet(rows)})
    fast = fast_sheets(path)
    assert repr(fast) == repr(openpyxl_sheets(path))
    assert fast[1][2] == [
        (1, [datetime.datetime(2017, 9, 22), True], [None, None]),
        (2, ["aKh«ng", "#N/A", None, "x"], ["VNI-Times", "Calibri", None, "Calibri"]),
        (3, ["Kh«ng ", "ふりがな", "a_x000D_b ", None], ["Arial", "Calibri", "Calibri", None]),
        (5, ["x"], ["Calibri"])]                      # a row ends at its last cell, as openpyxl reads it


def test_a_date_serial_out_of_range_warns_like_openpyxl(base_workbook, tmp_path):
    rows = [("3", [("B3", "n", "1", "99999999", "v")])]
    path = rezip(base_workbook, tmp_path / "raw.xlsx", {"xl/worksheets/sheet2.xml": raw_sheet(rows)})
    fast = fast_sheets(path)
    assert fast[1][3] == ["Cell B3 is marked as a date but the serial value 99999999 is outside the limits for "
                          "dates. The cell will be treated as an error."]
    assert repr(fast) == repr(openpyxl_sheets(path))
    campaign = read_fast(path)
    assert [p.format() for p in campaign.problems] == [p.format() for p in read_openpyxl(path).problems]
    assert any("B3" in p.message and p.row == 3 for p in campaign.problems)


def test_an_unknown_extension_warns_like_openpyxl(base_workbook, tmp_path):
    tail = '<extLst><ext uri="{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}"/><ext uri="{7E03D99C-DC04-49d9-9315-930204A7B6E9}"/></extLst>'
    path = rezip(base_workbook, tmp_path / "raw.xlsx",
                 {"xl/worksheets/sheet2.xml": raw_sheet([("1", [("A1", "n", None, "1", "v")])], tail)})
    fast = fast_sheets(path)
    assert fast[1][3] == ["Data Validation extension is not supported and will be removed",
                          "Unknown extension is not supported and will be removed"]
    assert repr(fast) == repr(openpyxl_sheets(path))


# ---------------------------------------------------------------------------------------------- fallbacks
_STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"


def _mutations(fixture: Path) -> dict[str, dict[str, bytes | None]]:
    ct = part(fixture, "[Content_Types].xml")
    sheet = part(fixture, "xl/worksheets/sheet2.xml")
    styles = part(fixture, "xl/styles.xml")
    book = part(fixture, "xl/workbook.xml")
    return {
        "xlsm": {"[Content_Types].xml": ct.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml."
                                                   b"sheet.main+xml", b"application/vnd.ms-excel.sheet.macroEnabled."
                                                   b"main+xml")},
        "strict namespace": {"xl/worksheets/sheet2.xml": sheet.replace(
            b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", _STRICT.encode())},
        "conditional formatting": {"xl/worksheets/sheet2.xml": sheet.replace(
            b"</sheetData>", b'</sheetData><conditionalFormatting sqref="A1"><cfRule type="expression" '
                             b'priority="1"><formula>1</formula></cfRule></conditionalFormatting>')},
        "no styles": {"xl/styles.xml": None},
        "bad margin": {"xl/worksheets/sheet2.xml": re.sub(rb"<pageMargins[^>]*/>", b'<pageMargins left="x"/>',
                                                          sheet)},
        "bad font size": {"xl/styles.xml": styles.replace(b'<sz val="', b'<sz val="x', 1)},
        "font id beyond a C int": {"xl/styles.xml": re.sub(rb'(<cellXfs[^>]*><xf[^>]*?)fontId="\d+"',
                                                          rb'\1fontId="4294967296"', styles, 1)},
        "print titles": {"xl/workbook.xml": book.replace(
            b"</sheets>", b'</sheets><definedNames><definedName name="_xlnm.Print_Titles" localSheetId="1">'
                          b"'S'!$1:$1</definedName></definedNames>")},
        "hyperlink": {"xl/worksheets/sheet2.xml": sheet.replace(
            b"</sheetData>", b'</sheetData><hyperlinks><hyperlink ref="A1" location="B2"/></hyperlinks>')},
        "row out of sheetData": {"xl/worksheets/sheet2.xml": sheet.replace(
            b"</sheetData>", b'</sheetData><phoneticPr><row r="99"/></phoneticPr>')},
        "bad dimension": {"xl/worksheets/sheet2.xml": re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A0:"',
                                                             sheet)},
        "bad rels": {"xl/_rels/workbook.xml.rels": b"<Relationships"},
        "broken sheet without dimension": {"xl/worksheets/sheet1.xml": _NS.encode().join(
            (b"<worksheet ", b"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row><row></sheetData>"))},
        "latin-1": {"xl/worksheets/sheet2.xml": b'<?xml version="1.0" encoding="ISO-8859-1"?>' + sheet},
        "comment in a value": {"xl/worksheets/sheet2.xml": sheet.replace(b"<v>", b"<v>1<!-- x -->", 1)},
    }


@pytest.mark.parametrize("name", list(_mutations(FIXTURES[0])))
def test_what_the_fast_reader_does_not_understand_goes_to_openpyxl(tmp_path, name):
    fixture = ROOT / "fixtures" / "xa-hoa-an.xlsx"
    path = rezip(fixture, tmp_path / "m.xlsx", _mutations(fixture)[name])
    assert fast_or_none(path) is None, name
    assert outcome(lambda p: load_campaign(p), path) == outcome(read_openpyxl, path)


def test_a_fallback_in_the_middle_starts_again_without_doubled_problems(tmp_path):
    """The fast reader meets something it does not understand in a later sheet, after the first sheets
    produced problems: the campaign read again by openpyxl has each problem once."""
    fixture = ROOT / "fixtures" / "xa-hoa-an.xlsx"
    titles = [ws.title for ws in xlsx.Book(fixture).worksheets]
    late = f"xl/worksheets/sheet{titles.index('Nơi nhận') + 1}.xml"
    info = f"xl/worksheets/sheet{titles.index('Thông tin') + 1}.xml"
    sheet = part(fixture, late)
    changes = {late: sheet.replace(b"</sheetData>", b'</sheetData><autoFilter ref="A1:B2"/>'),
               info: part(fixture, info).replace(b"<v>2026</v>", b"<v>1850</v>", 1)}
    path = rezip(fixture, tmp_path / "late.xlsx", changes)
    assert fast_or_none(path) is None
    fast_path = load_campaign(path)
    assert campaign_text(fast_path) == campaign_text(read_openpyxl(path))
    texts = [p.format() for p in fast_path.problems]
    assert len(texts) == len(set(texts))


def test_a_legacy_text_repeated_in_many_cells_is_reported_in_each(tmp_path):
    """decide_legacy is computed once per (text, font), but every cell still gets its located warning."""
    from wb_helpers import MINIMAL_INFO, make_workbook

    rows = [("STT", "Họ và tên", "Chức vụ", "Đơn vị", "Hình thức đề nghị")]
    rows += [(i, f"Người {i}", "Tr­ëng phßng", "Phòng 1", "Lao động tiên tiến") for i in range(1, 4)]
    path = make_workbook(tmp_path / "vn.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": rows},
                         fonts={("Cá nhân", r, 3): ".VnTime" for r in range(2, 5)})
    campaign = load_campaign(path)
    assert len(campaign.individuals) == 3
    legacy = [p for p in campaign.problems if p.rule == "ma-cu"]
    assert [p.row for p in legacy] == [2, 3, 4]
    assert all("Trưởng phòng" in p.message for p in legacy)
    assert campaign_text(campaign) == campaign_text(read_openpyxl(path))


# ---------------------------------------------------------------------------------------------- styles
_CODES = st.sampled_from(["General", "0.00", "dd/mm/yyyy", "[$-409]d/m/yyyy", '"h"0', "General;[Red]dd", "[h]:mm",
                          "mm:ss.0", "@", "yyyy", '0" ngày"', "[Blue]#,##0", "d\\-m", "_(* #,##0_)", "[ss]"])


@st.composite
def stylesheets(draw):
    fonts = draw(st.lists(st.tuples(st.sampled_from(["Calibri", ".VnTime", "VNI-Times", None]),
                                    st.sampled_from(["11", "13.5", "x", None])), min_size=1, max_size=4))
    formats = draw(st.lists(st.tuples(st.integers(160, 170), _CODES), max_size=4))
    xfs = draw(st.lists(st.tuples(st.sampled_from([0, 1, 14, 22, 45, 46, 49, 164, 165, 166, 170, 200]),
                                  st.integers(-1, 5)), min_size=1, max_size=6))
    font_xml = "".join("<font>" + (f'<sz val="{sz}"/>' if sz else "") + (f'<name val="{n}"/>' if n else "")
                       + "</font>" for n, sz in fonts)
    fmt_xml = "".join(f'<numFmt numFmtId="{i}" formatCode="{_esc(code)}"/>' for i, code in formats)
    xf_xml = "".join(f'<xf numFmtId="{n}" fontId="{f}" fillId="0" borderId="0"/>' for n, f in xfs)
    return (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {_NS}><numFmts>{fmt_xml}</numFmts>'
            f'<fonts>{font_xml}</fonts><fills><fill><patternFill/></fill></fills><borders><border/></borders>'
            '<cellStyleXfs><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs>{xf_xml}</cellXfs><cellStyles><cellStyle name="Normal" xfId="0" builtinId="0"/>'
            "</cellStyles></styleSheet>").encode(), len(xfs)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(styles=stylesheets(), serials=st.lists(st.sampled_from(["1", "0.5", "45000.25", "60", "-1", "3e6"]),
                                              min_size=1, max_size=8))
def test_number_formats_and_fonts_read_as_openpyxl_reads_them(base_workbook, tmp_path, styles, serials):
    """Dates by number format (built-in and custom codes, [h] durations, quoted and [..] sections), font
    names by style, styles out of range, damaged font sizes: the fast reader or openpyxl, never a difference."""
    xml, count = styles
    cells = [(f"{'ABCDEFGH'[i]}1", "n", str(i % (count + 1)), v, "v") for i, v in enumerate(serials)]
    cells += [(f"{'ABCDEFGH'[i]}2", "s", str(i % (count + 1)), "1", "v") for i in range(count + 1)]
    path = rezip(base_workbook, tmp_path / "st.xlsx", {"xl/styles.xml": xml,
                                                      "xl/worksheets/sheet2.xml": raw_sheet([("1", cells[:8]),
                                                                                             ("2", cells[8:])])})
    assert_same(path, fast_expected=b'val="x"' not in xml)


# ---------------------------------------------------------------------------------------------- Excel's own markup
_X = ('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
      'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
      'xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac" '
      'xmlns:xr="http://schemas.microsoft.com/office/spreadsheetml/2014/revision" mc:Ignorable="x14ac xr"')
_EXCEL_BOOK = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook {_X}><fileVersion appName="xl" lastEdited="7" lowestEdited="7" rupBuild="27328"/>
<workbookPr defaultThemeVersion="166925"/><mc:AlternateContent><mc:Choice Requires="x15"><x15ac:absPath
 xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/11/ac" url="C:\\Users\\vp\\"/></mc:Choice>
</mc:AlternateContent><xr:revisionPtr revIDLastSave="0" documentId="8_{{00000000-0000-0000-0000-000000000000}}"/>
<bookViews><workbookView xWindow="-120" yWindow="-120" windowWidth="29040" windowHeight="15840" activeTab="1"/>
</bookViews><sheets><sheet name="Thông tin" sheetId="1" r:id="rId1"/><sheet name="Cá nhân" sheetId="2"
 r:id="rId2"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="1" hidden="1">
'Cá nhân'!$A$1:$C$3</definedName></definedNames><calcPr calcId="191029"/><extLst><ext
 uri="{{140A7094-0E35-4892-8432-C4D2E57EDEB5}}" xmlns:x15="http://schemas.microsoft.com/office/spreadsheetml/2010/11/main">
<x15:workbookPr chartTrackingRefBase="1"/></ext></extLst></workbook>'''
_EXCEL_STYLES = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet {_X}><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/></numFmts>
<fonts count="3" x14ac:knownFonts="1"><font><sz val="11"/><color theme="1"/><name val="Calibri"/><family val="2"/>
<scheme val="minor"/></font><font><sz val="13"/><color indexed="8"/><name val=".VnTime"/><family val="2"/></font>
<font><b/><sz val="13"/><color rgb="FF000000"/><name val="Times New Roman"/><family val="1"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color
 indexed="64"/></left><right style="thin"><color indexed="64"/></right><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1"
 fillId="0" borderId="1" xfId="0" applyFont="1" applyBorder="1"/><xf numFmtId="164" fontId="2" fillId="0"
 borderId="1" xfId="0" applyNumberFormat="1" applyFont="1"><alignment horizontal="center" vertical="center"
 wrapText="1"/></xf><xf numFmtId="49" fontId="2" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>
<tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/><extLst><ext
 uri="{{EB79DEF2-80B8-43e5-95BD-54CBDDF9020C}}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">
<x14:slicerStyles defaultSlicerStyle="SlicerStyleLight1"/></ext></extLst></styleSheet>'''
_EXCEL_STRINGS = f'''<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<sst {_NS} count="9" uniqueCount="9"><si><t>Mục</t></si><si><t>Giá trị</t></si><si><t>Cơ quan ban hành</t></si>
<si><t>VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG</t></si><si><t>Họ và tên</t></si><si><t>Ngày sinh</t></si>
<si><t>Chức vụ</t></si><si><t xml:space="preserve">Hoµng V¨n A </t></si><si><r><rPr><b/><sz val="13"/>
<rFont val="Times New Roman"/><family val="1"/></rPr><t>Tr­ëng</t></r><r><rPr><sz val="13"/><rFont val=".VnTime"/>
</rPr><t xml:space="preserve"> phßng</t></r></si></sst>'''


def _excel_sheet(rows: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_X} xr:uid="{{0}}">'
            '<sheetPr><tabColor rgb="FFFF0000"/><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1:C3"/>'
            '<sheetViews><sheetView tabSelected="1" zoomScale="85" zoomScaleNormal="85" workbookViewId="0"><pane '
            'ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" '
            'activeCell="B3" sqref="B3"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="16.5" '
            'x14ac:dyDescent="0.25"/><cols><col min="1" max="1" width="28.7109375" customWidth="1"/></cols>'
            f"<sheetData>{rows}</sheetData>"
            '<dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" '
            'showErrorMessage="1" sqref="C2:C3"><formula1>"Trưởng phòng,Kiểm sát viên"</formula1></dataValidation>'
            '</dataValidations><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/><pageSetup paperSize="9" orientation="landscape" r:id="rId1"/><headerFooter>'
            '<oddFooter>&amp;CTrang &amp;P</oddFooter></headerFooter></worksheet>')


def test_markup_as_excel_writes_it_takes_the_fast_path(base_workbook, tmp_path):
    """Excel's own parts (markup-compatibility, revision ids, extension lists, shared strings with runs and
    xml:space, custom date formats, frozen panes, data validations, printer settings) read on the fast path."""
    info = ('<row r="1" spans="1:2" x14ac:dyDescent="0.25"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v>'
            '</c></row><row r="2" spans="1:2" x14ac:dyDescent="0.25"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1" '
            't="s"><v>3</v></c></row>')
    people = ('<row r="1"><c r="A1" s="3" t="s"><v>4</v></c><c r="B1" s="3" t="s"><v>5</v></c><c r="C1" s="3" '
              't="s"><v>6</v></c></row><row r="3" ht="33" customHeight="1"><c r="A3" s="1" t="s"><v>7</v></c>'
              '<c r="B3" s="2"><v>31476</v></c><c r="C3" s="1" t="s"><v>8</v></c></row>')
    rels = part(base_workbook, "xl/_rels/workbook.xml.rels")
    path = rezip(base_workbook, tmp_path / "excel.xlsx", {
        "xl/workbook.xml": _EXCEL_BOOK.encode(), "xl/styles.xml": _EXCEL_STYLES.encode(),
        "xl/sharedStrings.xml": _EXCEL_STRINGS.encode(), "xl/_rels/workbook.xml.rels": rels,
        "xl/worksheets/sheet1.xml": _excel_sheet(info).encode(), "xl/worksheets/sheet2.xml": _excel_sheet(people).encode(),
        "xl/worksheets/_rels/sheet2.xml.rels": b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        b'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        b'openxmlformats.org/officeDocument/2006/relationships/printerSettings" Target="../printerSettings/'
        b'printerSettings1.bin"/></Relationships>'})
    fast = fast_sheets(path)
    assert repr(fast) == repr(openpyxl_sheets(path))
    assert fast[1][2] == [(1, ["Họ và tên", "Ngày sinh", "Chức vụ"], ["Times New Roman"] * 3),
                          (3, ["Hoµng V¨n A ", datetime.datetime(1986, 3, 5), "Tr­ëng phßng"],
                           [".VnTime", None, ".VnTime"])]
    campaign = read_fast(path)
    assert campaign_text(campaign) == campaign_text(read_openpyxl(path))
    assert campaign.info.issuing_agency == "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"


def test_decide_legacy_is_the_same_cached_or_not():
    """The cache keeps each decision per (text, font); a long text is decided each time, the same way."""
    from docgen import vietnamese

    cases = [("Kh«ng", ".VnTime"), ("Không", ".VnTime"), ("Kh«ng", None), ("Tr­êng", "Arial"),
             ("ViÖt Nam " * 150, ".VnTime"), ("Vieät Nam", "VNI-Times")]
    for text, font in cases:
        first = vietnamese.decide_legacy(text, font=font)
        assert vietnamese.decide_legacy(text, font=font) == first == vietnamese._decide_legacy.__wrapped__(text, font)
    assert vietnamese.decide_legacy("ViÖt Nam " * 150, font=".VnTime").text.startswith("Việt Nam Việt Nam")
    assert vietnamese.decide_legacy("Kh«ng", font=".VnTime") is vietnamese.decide_legacy("Kh«ng", font=".VnTime")


def test_a_sheet_docgen_does_not_read_is_read_up_to_its_dimension(tmp_path):
    """openpyxl opens every sheet up to its <dimension>: what lies after it in a sheet docgen does not use
    (the guide sheet) is never parsed, by either reader."""
    fixture = ROOT / "fixtures" / "xa-hoa-an.xlsx"
    assert xlsx.Book(fixture).worksheets[0].title == "Hướng dẫn"
    broken = _NS.encode().join((b'<worksheet ', b'><dimension ref="A1:B2"/><sheetData><row r="1"><c r="A1"><v>1'))
    path = rezip(fixture, tmp_path / "guide.xlsx", {"xl/worksheets/sheet1.xml": broken})
    assert campaign_text(read_fast(path)) == campaign_text(read_openpyxl(path))


_FUZZ_PARTS = ["xl/workbook.xml", "xl/styles.xml", "xl/worksheets/sheet2.xml", "xl/worksheets/sheet6.xml",
               "[Content_Types].xml", "xl/_rels/workbook.xml.rels", "docProps/core.xml"]


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.sampled_from(_FUZZ_PARTS), edits=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    [b"", b"0", b"x", b"<", b"/>", b'"', b" t=\"s\"", b"&#1;", b"<v>9</v>", b"-", b".5"])), min_size=1, max_size=3))
def test_damaged_parts_read_as_openpyxl_reads_them(tmp_path, name, edits):
    """A few bytes of a real workbook changed anywhere: the fast reader gives openpyxl's result or leaves the
    file to openpyxl, never another result."""
    fixture = ROOT / "fixtures" / "xa-hoa-an.xlsx"
    data = part(fixture, name)
    for where, text in edits:
        pos = int(where * (len(data) - 1))
        data = data[:pos] + text + data[pos + 1:]
    path = rezip(fixture, tmp_path / "damaged.xlsx", {name: data})
    assert outcome(lambda p: load_campaign(p), path) == outcome(read_openpyxl, path)
    try:
        fast = campaign_text(read_fast(path))
    except Exception:  # noqa: BLE001 - left to openpyxl
        return
    assert fast == outcome(read_openpyxl, path)


def test_a_sheet_openpyxl_cannot_read_is_a_located_refusal_not_a_crash(tmp_path):
    """openpyxl fails on some damaged sheets only while reading their rows (a page margin that is no number):
    the clerk is told the file cannot be read and how to repair it, never an internal error."""
    from click.testing import CliRunner

    from docgen.cli import cli

    fixture = ROOT / "fixtures" / "xa-hoa-an.xlsx"
    path = rezip(fixture, tmp_path / "m.xlsx", _mutations(fixture)["bad margin"])
    assert outcome(lambda p: load_campaign(p), path) == "raises WorkbookUnreadable"
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 2 and "Không đọc được tệp" in res.output and "Traceback" not in res.output
