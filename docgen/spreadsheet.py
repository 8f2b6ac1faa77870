"""The danh sách spreadsheet (``danh-sach.xlsx``): one formatted sheet written as SpreadsheetML directly.

A round of thousands of candidates writes its danh sách in a few milliseconds (openpyxl needs a third of a
second for 1,000 rows, and a tenth of a second only to import).  The file is what Excel itself writes for
such a sheet: shared strings, one style per kind of cell (heading, column headers, body cells through the
named style "Danh sách"), frozen header row, column widths; zip entries carry a fixed date so two builds of
the same data give the same bytes.  Cell text is never a formula: text that a spreadsheet would read as one
gets a leading apostrophe (:func:`neutralise_cell`), and every cell holds a value, not a formula.
"""
from __future__ import annotations

import io
import math
import re
import zipfile
from typing import Iterable, Sequence
from .text import strip_illegal

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
HEADING, HEADER, BODY = 1, 2, 3              # cellXfs indices of the three kinds of styled cell

_CONTENT_TYPES = (
    _DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    '</Types>')
_ROOT_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>')
_BOOK_RELS = (
    _DECL + f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')
_BORDER = "".join(f'<{side} style="thin"><color rgb="FF808080"/></{side}>' for side in ("left", "right", "top", "bottom"))
_STYLES = (
    _DECL + f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="4">'
    '<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="13"/><name val="Times New Roman"/><family val="1"/></font>'
    '<font><b/><sz val="12"/><name val="Times New Roman"/><family val="1"/></font>'
    '<font><sz val="12"/><name val="Times New Roman"/><family val="1"/></font>'
    '</fonts>'
    '<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
    '<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>'
    '</fills>'
    f'<borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border>{_BORDER}<diagonal/>'
    '</border></borders>'
    '<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" applyFont="1" applyBorder="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="2" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" '
    'applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="3" fillId="0" borderId="1" xfId="1" applyFont="1" applyBorder="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="2"><cellStyle name="Normal" xfId="0" builtinId="0"/><cellStyle name="Danh sách" xfId="1"/>'
    '</cellStyles></styleSheet>')


def escape(text: str, entities: dict[str, str] | None = None) -> str:
    """XML character data (xml.sax.saxutils.escape without importing urllib)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for char, entity in (entities or {}).items():
        text = text.replace(char, entity)
    return text


def neutralise_cell(value):
    """Text that a spreadsheet would read as a formula is kept as text (issue: formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Strings:
    """The shared-string table: each distinct text once, in the order first used."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.uses = 0

    def __call__(self, text: str) -> int:
        self.uses += 1
        return self.index.setdefault(text, len(self.index))

    def xml(self) -> str:
        items = "".join(f'<si><t xml:space="preserve">{escape(t)}</t></si>' for t in self.index)
        return (_DECL + f'<sst xmlns="{_MAIN}" count="{self.uses}" uniqueCount="{len(self.index)}">{items}</sst>')


def _cell(ref: str, value, style: int, strings: _Strings) -> str:
    if value is None:
        return f'<c r="{ref}" s="{style}"/>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)) and not (isinstance(value, float) and not math.isfinite(value)):
        return f'<c r="{ref}" s="{style}"><v>{value!r}</v></c>'
    text = strip_illegal(str(neutralise_cell(value)))
    return f'<c r="{ref}" s="{style}" t="s"><v>{strings(text)}</v></c>'


LINE_PT = 16.0               # one line of 12 pt Times New Roman, with Excel's spacing
CHARS_PER_WIDTH = 1.3        # characters of 12 pt Times New Roman per unit of column width (measured in LibreOffice)


def lines_needed(value, width: float | None) -> int:
    """How many lines a wrapped cell needs in a column ``width`` wide (Excel units), line breaks included."""
    if value is None or width is None or width <= 0:
        return 1
    per_line = max(1, int(width * CHARS_PER_WIDTH))
    return sum(max(1, -(-len(part) // per_line)) for part in str(value).split("\n"))


def _row(r: int, values: Sequence, style: int, widths: Sequence[float], strings: _Strings) -> str:
    """A row whose height fits its longest wrapped cell (neither Excel nor LibreOffice grows a row written
    without a height when it opens the file: a long unit name would be cut off on screen and on paper)."""
    cells = "".join(_cell(f"{column_letter(c)}{r}", v, style, strings) for c, v in enumerate(values, start=1))
    lines = max([lines_needed(v, widths[c] if c < len(widths) else None) for c, v in enumerate(values)] or [1])
    height = f' ht="{lines * LINE_PT:g}" customHeight="1"' if lines > 1 else ""
    return f'<row r="{r}"{height}>{cells}</row>'


def _sheet_xml(headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[float],
               heading: str | None, strings: _Strings) -> tuple[str, int]:
    """The sheet's XML and the row of its column headers (repeated on every printed page)."""
    out = []
    r = 1
    if heading:
        out.append(f'<row r="1">{_cell("A1", heading, HEADING, strings)}</row>')
        r = 3
    header_row = r
    out.append(_row(r, headers, HEADER, widths, strings))
    for row in rows:
        r += 1
        out.append(_row(r, row, BODY, widths, strings))
    cols = "".join(f'<col min="{c}" max="{c}" width="{w:g}" customWidth="1"/>' for c, w in enumerate(widths, start=1))
    view = (f'<sheetViews><sheetView workbookViewId="0"><pane ySplit="{header_row}" topLeftCell="A{header_row + 1}" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>')
    # printed on A4 landscape, every column on the page width (as many pages down as the rows need)
    return (_DECL + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
            f'{view}<sheetFormatPr defaultRowHeight="15"/>'
            + (f"<cols>{cols}</cols>" if cols else "") + f'<sheetData>{"".join(out)}</sheetData>'
            '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
            '<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>'), header_row


def spreadsheet_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence], *,
                      widths: Sequence[float] | None = None, heading: str | None = None) -> bytes:
    """A simple formatted .xlsx (one sheet named ``title``, cut to Excel's 31 characters) in memory: an
    optional bold ``heading`` in A1, the column ``headers`` (bold, shaded, frozen, repeated on every printed
    page), then ``rows``, each as tall as its longest wrapped cell; printed on A4 landscape, one page wide. Cell
    text is never interpreted as a formula."""
    strings = _Strings()
    sheet, header_row = _sheet_xml(headers, rows, widths or (), heading, strings)
    plain = re.sub(r"[\[\]:*?/\\]", "-", strip_illegal(title))[:31].strip("'") or "Sheet1"
    name = escape(plain, {'"': "&quot;"})
    titles = escape(f"'{plain.replace(chr(39), chr(39) * 2)}'!${header_row}:${header_row}")
    book = (_DECL + f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
            f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>'
            f'<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">{titles}</definedName>'
            '</definedNames></workbook>')
    parts = [("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS), ("xl/workbook.xml", book),
             ("xl/_rels/workbook.xml.rels", _BOOK_RELS), ("xl/styles.xml", _STYLES),
             ("xl/worksheets/sheet1.xml", sheet), ("xl/sharedStrings.xml", strings.xml())]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for part, xml in parts:
            info = zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, xml.encode("utf-8"))
    return buf.getvalue()
