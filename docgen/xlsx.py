"""Fast reading of a standard .xlsx workbook: cell values and font names, straight from the zip with lxml.

The reader (:mod:`docgen.reader`) used to get every cell through openpyxl's read-only mode, which costs more than
everything docgen does with the values.  :class:`Book` yields, for each sheet, exactly the rows docgen built
from openpyxl (``load_workbook(read_only=True, data_only=True)`` then ``iter_rows()``): the same values with the
same Python types (openpyxl's number casting, its date conversion by number format with the 1900 leap-year bug
and the 1904 epoch, booleans, error texts, cached formula values), the same padding, the same font names, and
the same warning texts (a date serial out of range, an unsupported extension).

Where a file holds anything this module does not fully understand — another content type (.xlsm, .xltx),
strict OOXML, a part openpyxl could refuse or warn about (see :mod:`docgen.xlsx_accept`) — it raises
:class:`Unsupported` and the reader reads the whole workbook with openpyxl instead.  Parsing never resolves
entities nor touches the network; :mod:`docgen.safety` has checked the archive before.
"""
from __future__ import annotations

import datetime
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from lxml import etree

from . import xlsx_accept as accept
from .xlsx_accept import Unsupported

_M = "{%s}" % accept.MAIN_NS
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
_OTHER_BOOKS = ("application/vnd.ms-excel.template.macroEnabled.main+xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
                "application/vnd.ms-excel.sheet.macroEnabled.main+xml")
_CUSTOM_PROPERTIES = "{http://schemas.openxmlformats.org/officeDocument/2006/custom-properties}Properties"
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WORKSHEET_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"
_ROW, _C, _V, _IS, _T, _R = (_M + t for t in ("row", "c", "v", "is", "t", "r"))
_SHEET_DATA, _COLS, _EXT_LIST = _M + "sheetData", _M + "cols", _M + "extLst"

# openpyxl.xml.constants.EXT_TYPES, looked up with the upper-cased uri as openpyxl does
_EXT_TYPES = {
    '{78C0D931-6437-407D-A8EE-F0AAD7539E65}': 'Conditional Formatting',
    '{CCE6A557-97BC-4B89-ADB6-D9C93CAAB3DF}': 'Data Validation',
    '{05C60535-1F16-4FD2-B633-F4F36F0B64E0}': 'Sparkline Group',
    '{A8765BA9-456A-4DAB-B4F3-ACF838C121DE}': 'Slicer List',
    '{FC87AEE6-9EDD-4A0A-B7FB-166176984837}': 'Protected Range',
    '{01252117-D84E-4E92-8308-4BE1C098FCBB}': 'Ignored Error',
    '{F7C9EE02-42E1-4005-9D12-6889AFFD525C}': 'Web Extension',
    '{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}': 'Slicer List',
    '{7E03D99C-DC04-49d9-9315-930204A7B6E9}': 'Timeline Ref',
}
_COORDINATE = re.compile(r"([A-Za-z]{1,3})([0-9]+)")
_NO_FONT = object()


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


_DECLARED = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _check_head(head: bytes, name: str) -> None:
    """UTF-8 only (declared or by default): openpyxl's parser (expat) knows fewer encodings than lxml."""
    if head.startswith((b"\xfe\xff", b"\xff\xfe", b"\x00", b"<\x00")):
        raise Unsupported(f"{name}: not UTF-8")
    m = _DECLARED.match(head.removeprefix(b"\xef\xbb\xbf"))
    if m and m.group(1).upper() not in (b"UTF-8", b"UTF8"):
        raise Unsupported(f"{name}: encoding {m.group(1)!r}")


def _check_document(el, name: str) -> None:
    if el.getroottree().docinfo.doctype:
        raise Unsupported(f"{name}: DOCTYPE")


def _xml(zf: zipfile.ZipFile, name: str):
    try:
        data = zf.read(name)
        _check_head(data[:512], name)
        root = etree.fromstring(data, _parser())
    except (KeyError, etree.XMLSyntaxError, ValueError) as exc:
        raise Unsupported(f"{name}: {exc}") from None
    _check_document(root, name)
    return root


def _local(el) -> str:
    return el.tag.rpartition("}")[2] if isinstance(el.tag, str) else ""


# ---------------------------------------------------------------------------------------------- openpyxl's rules
def cast_number(value: str) -> int | float:
    """openpyxl's ``_cast_number``: a number typed with ".", "E" or "e" is a float, any other an int."""
    if "." in value or "E" in value or "e" in value:
        return float(value)
    return int(value)


BUILTIN_FORMATS = {
    0: 'General', 1: '0', 2: '0.00', 3: '#,##0', 4: '#,##0.00', 5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)', 7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: '0%', 10: '0.00%', 11: '0.00E+00', 12: '# ?/?', 13: '# ??/??', 14: 'mm-dd-yy', 15: 'd-mmm-yy',
    16: 'd-mmm', 17: 'mmm-yy', 18: 'h:mm AM/PM', 19: 'h:mm:ss AM/PM', 20: 'h:mm', 21: 'h:mm:ss',
    22: 'm/d/yy h:mm', 37: '#,##0_);(#,##0)', 38: '#,##0_);[Red](#,##0)', 39: '#,##0.00_);(#,##0.00)',
    40: '#,##0.00_);[Red](#,##0.00)', 41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)', 45: 'mm:ss', 46: '[h]:mm:ss',
    47: 'mmss.0', 48: '##0.0E+0', 49: '@',
}
_BUILTIN_IDS = {code: n for n, code in BUILTIN_FORMATS.items()}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA = re.compile(r'\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?', re.I)
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")


def is_date_format(fmt: str | None) -> bool:
    """openpyxl's ``is_date_format`` (only the first section counts; quoted text and [..] are ignored)."""
    if fmt is None:
        return False
    return _DATE_LETTER.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


WINDOWS_EPOCH = datetime.datetime(1899, 12, 30)
MAC_EPOCH = datetime.datetime(1904, 1, 1)


def from_excel(value, epoch: datetime.datetime = WINDOWS_EPOCH, timedelta: bool = False):
    """openpyxl's ``from_excel``: a serial → datetime, time (0 ≤ serial < 1) or timedelta; serials before
    1900-03-01 shifted by Excel's phantom 29/02/1900."""
    if timedelta:
        td = datetime.timedelta(days=value)
        if td.microseconds:
            td = datetime.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = datetime.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return datetime.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1
    return epoch + datetime.timedelta(days=day) + diff


_ISO = re.compile(r'''
(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?
(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<microsecond>\.\d{1,3})?)?)?Z?''', re.VERBOSE)
_ISO_DURATION = re.compile(r'PT((?P<hours>\d+)H)?((?P<minutes>\d+)M)?((?P<seconds>\d+(\.\d{1,3})?)S)?')


def from_iso8601(text: str):
    """openpyxl's ``from_ISO8601`` (cells of type "d", and the dates of docProps/core.xml)."""
    if not text:
        return None
    match = _ISO.match(text)
    if match and any(match.groups()):
        parts = match.groupdict(0)
        for key in ("year", "month", "day", "hour", "minute", "second"):
            if parts[key]:
                parts[key] = int(parts[key])
        if parts["microsecond"]:
            parts["microsecond"] = int(float(parts["microsecond"]) * 1_000_000)
        if not parts["date"]:
            return datetime.time(parts["hour"], parts["minute"], parts["second"], parts["microsecond"])
        if not parts["time"]:
            return datetime.date(parts["year"], parts["month"], parts["day"])
        del parts["time"], parts["date"]
        return datetime.datetime(**parts)
    match = _ISO_DURATION.match(text)
    if match and any(match.groups()):
        return datetime.timedelta(**{k: float(v) for k, v in match.groupdict(0).items() if v})
    raise ValueError(f"Invalid datetime value {text}")


def column_number(letters: str) -> int:
    """The column of a cell reference's letters: "A" → 1, "AB" → 28 (either case)."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n


def _text_of(node) -> str:
    """The text of an <si> / <is> element as openpyxl's ``Text.content``: the plain <t>, then each run's <t>;
    phonetic runs left out."""
    if len(node) == 1 and not node.keys():
        t = node[0]
        if t.tag == _T and not len(t):
            keys = t.keys()
            if not keys or all(k[0] == "{" for k in keys):
                return t.text or ""
    accept.check(node, accept.SHARED_STRING, "string")
    plain, runs = None, []
    for child in node:
        if child.tag == _T:
            plain = child.text
        elif child.tag == _R:
            run = None
            for part in child:
                if part.tag == _T:
                    run = part.text
            runs.append(run)
    return "".join(([plain] if plain is not None else []) + [r for r in runs if r is not None])


@dataclass
class Worksheet:
    title: str
    sheet_state: str
    part: str


@dataclass
class _Styles:
    xf_fonts: list[int]
    font_names: list[str | None]
    date_styles: set[int]
    timedelta_styles: set[int]


class Book:
    """A workbook opened for reading its cells; raises :class:`Unsupported` at once (or while a sheet is read)
    when openpyxl should read it instead."""

    def __init__(self, path: str | Path):
        if Path(path).suffix.lower() not in (".xlsx", ".xlsm", ".xltx", ".xltm"):
            raise Unsupported("file name")                 # openpyxl refuses other names
        self._zf = zipfile.ZipFile(path)
        try:
            self._names = set(self._zf.namelist())
            strings_part = self._check_package()
            self.epoch, self.worksheets = self._read_workbook()
            self._styles = self._read_styles()
            self._strings = self._read_strings(strings_part) if strings_part else []
            for ws in self.worksheets:
                self._check_dimension(ws.part)
        except BaseException:
            self._zf.close()
            raise
        self._fonts: dict[Any, str | None] = {}

    def close(self) -> None:
        self._zf.close()

    def part_size(self, part: str) -> int:
        return self._zf.getinfo(part).file_size

    def part_crc(self, part: str) -> int:
        return self._zf.getinfo(part).CRC

    def __enter__(self) -> "Book":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ package
    def _check_package(self) -> str | None:
        """The content types name a plain .xlsx workbook at xl/workbook.xml; returns the shared strings part."""
        root = _xml(self._zf, "[Content_Types].xml")
        if root.tag != _CT + "Types" or any(k[0] != "{" for k in root.keys()):
            raise Unsupported("content types")
        overrides = []
        for el in root:
            accept.check(el, ({"PartName": "str", "ContentType": "str", "Extension": "str"}, {}), "content types")
            if el.tag == _CT + "Default" and None in (el.get("Extension"), el.get("ContentType")):
                raise Unsupported("content types: default")
            if el.tag == _CT + "Override":
                if el.get("PartName") is None or el.get("ContentType") is None:
                    raise Unsupported("content types: override")
                overrides.append((el.get("ContentType"), el.get("PartName")))
            elif el.tag != _CT + "Default":
                raise Unsupported(f"content types: {el.tag}")
        if any(ct in _OTHER_BOOKS for ct, _ in overrides):
            raise Unsupported("not a plain .xlsx workbook")
        book = next((name for ct, name in overrides if ct == _XLSX), None)
        if book != "/xl/workbook.xml":
            raise Unsupported(f"workbook part {book}")
        if "docProps/custom.xml" in self._names:        # LibreOffice writes an empty list; openpyxl reads any
            custom = _xml(self._zf, "docProps/custom.xml")
            if custom.tag != _CUSTOM_PROPERTIES or len(custom) or custom.keys():
                raise Unsupported("custom properties")
        if "docProps/core.xml" in self._names:
            self._check_core()
        if "xl/theme/theme1.xml" in self._names:        # openpyxl keeps the theme's bytes: a damaged member
            self._zf.read("xl/theme/theme1.xml")        # (bad CRC) fails there
        strings = next((name for ct, name in overrides if ct == _SHARED_STRINGS), None)
        return strings[1:] if strings is not None else None

    def _check_core(self) -> None:
        """openpyxl reads docProps/core.xml and refuses a workbook whose dates are not ISO 8601."""
        root = _xml(self._zf, "docProps/core.xml")
        if _local(root) != "coreProperties" or any(k[0] != "{" for k in root.keys()):
            raise Unsupported("core properties")
        for el in root:
            if _local(el) in ("created", "modified", "lastPrinted") and el.text is not None:
                try:
                    if not isinstance(from_iso8601(el.text), datetime.datetime):
                        raise Unsupported("core properties date")
                except (ValueError, TypeError, OverflowError):
                    raise Unsupported("core properties date") from None

    def _relationships(self, name: str) -> dict[str, tuple[str, str, str | None]]:
        root = _xml(self._zf, name)
        rels = {}
        for el in root:
            accept.check(el, accept.RELATIONSHIP, name)
            if el.tag != _PKG_REL + "Relationship" or None in (el.get("Id"), el.get("Type"), el.get("Target")):
                raise Unsupported(f"{name}: relationship")
            rels[el.get("Id")] = (el.get("Type"), el.get("Target"), el.get("TargetMode"))
        return rels

    def _read_workbook(self) -> tuple[datetime.datetime, list[Worksheet]]:
        root = _xml(self._zf, "xl/workbook.xml")
        if root.tag != _M + "workbook":
            raise Unsupported("workbook root")
        accept.check(root, accept.WORKBOOK, "workbook")
        tags = [el.tag for el in root if el.tag.startswith(_M)]
        if len(tags) != len(set(tags)):
            raise Unsupported("workbook: an element twice")      # openpyxl keeps the last, docgen the first
        epoch = WINDOWS_EPOCH
        pr = root.find(_M + "workbookPr")
        if pr is not None and pr.get("date1904") is not None and pr.get("date1904") not in ("false", "f", "0", ""):
            epoch = MAC_EPOCH
        for names in root.iter(_M + "definedName"):
            if names.get("name") is None or names.get("name").startswith("_xlnm.Print_"):
                raise Unsupported("print titles or area")
        rels = self._relationships("xl/_rels/workbook.xml.rels")
        sheets = []
        for el in root.iter(_M + "sheet"):
            rid, name = el.get(_REL + "id"), el.get("name")
            if not rid or name is None or el.get("sheetId") is None or rid not in rels:
                raise Unsupported("sheet entry")
            rtype, target, mode = rels[rid]
            if mode != "External":
                target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
            if target not in self._names:
                continue                                   # openpyxl skips a sheet whose part is missing
            if rtype != _WORKSHEET_REL:
                raise Unsupported(f"sheet type {rtype}")
            rels_part = posixpath.join(posixpath.dirname(target), "_rels", posixpath.basename(target) + ".rels")
            if rels_part in self._names:
                self._relationships(rels_part)
            sheets.append(Worksheet(name, el.get("state", "visible"), target))
        return epoch, sheets

    # ------------------------------------------------------------------ styles and strings
    def _read_styles(self) -> _Styles:
        root = _xml(self._zf, "xl/styles.xml")
        if root.tag != _M + "styleSheet":
            raise Unsupported("styles root")
        accept.check(root, accept.STYLESHEET, "styles")
        parts = {}
        for el in root:
            if el.tag in parts:
                raise Unsupported(f"styles: two <{_local(el)}>")
            parts[el.tag] = el
        fonts = [_font_name(f) for f in _kids(parts, "fonts")]
        fills, borders = len(_kids(parts, "fills")), len(_kids(parts, "borders"))
        named_xfs = [_ids(xf) for xf in _kids(parts, "cellStyleXfs")]
        for style in _kids(parts, "cellStyles"):
            if style.get("name") is None or style.get("xfId") is None:
                raise Unsupported("styles: cell style")
            xf = int(style.get("xfId"))
            if not 0 <= xf < len(named_xfs):
                raise Unsupported("styles: cell style xf")
            font, fill, border, _ = named_xfs[xf]
            if not (0 <= font < len(fonts) and 0 <= fill < fills and 0 <= border < borders):
                raise Unsupported("styles: named style")
        custom = {}
        for fmt in _kids(parts, "numFmts"):
            if fmt.get("numFmtId") is None or fmt.get("formatCode") is None:
                raise Unsupported("styles: number format")
            custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
        xfs = [_ids(xf) for xf in _kids(parts, "cellXfs")]
        if not xfs:
            raise Unsupported("styles: no cell formats")
        for xf in _kids(parts, "cellXfs"):         # openpyxl keeps them in a C int array
            if not all(-2**31 <= int(xf.get(k, 0)) < 2**31 for k in ("fontId", "fillId", "borderId", "numFmtId",
                                                                      "xfId")):
                raise Unsupported("styles: an id out of range")
        dates, timedeltas = set(), set()
        for index, (_, _, _, num_fmt) in enumerate(xfs):
            code = custom[num_fmt] if num_fmt in custom else BUILTIN_FORMATS.get(num_fmt)
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                timedeltas.add(index)
        return _Styles([xf[0] for xf in xfs], fonts, dates, timedeltas)

    def _read_strings(self, part: str) -> list[str]:
        strings = []
        try:
            with self._zf.open(part) as src:
                _check_head(src.peek(512)[:512], part)
                for _, si in etree.iterparse(src, events=("end",), tag=_M + "si", resolve_entities=False,
                                             no_network=True, load_dtd=False, huge_tree=False):
                    if not strings:
                        _check_document(si, part)
                    strings.append(_text_of(si).replace("x005F_", ""))
                    si.clear()
        except (KeyError, etree.XMLSyntaxError) as exc:
            raise Unsupported(f"shared strings: {exc}") from None
        return strings

    def _check_dimension(self, part: str) -> None:
        """openpyxl reads each sheet up to the end of its <dimension> (or, without one, of its <sheetData>) when it
        opens the workbook, and refuses a bad reference or bad XML on the way."""
        try:
            with self._zf.open(part) as src:
                _check_head(src.peek(512)[:512], part)
                for n, (_, el) in enumerate(etree.iterparse(src, events=("end",), resolve_entities=False,
                                                            no_network=True, load_dtd=False, huge_tree=False)):
                    if not n:
                        _check_document(el, part)
                    if el.tag == _M + "dimension":
                        if not accept.CELL_RANGE.match(el.get("ref") or ""):
                            raise Unsupported("sheet dimension")
                        return
                    if el.tag == _SHEET_DATA:
                        return
                    el.clear()
        except etree.XMLSyntaxError as exc:
            raise Unsupported(f"{part}: {exc}") from None

    # ------------------------------------------------------------------ cells
    def font(self, style: Any) -> str | None:
        """The font name of a cell style id as openpyxl finds it (None when the style table does not have it)."""
        name = self._fonts.get(style, _NO_FONT)
        if name is _NO_FONT:
            try:
                name = self._styles.font_names[self._styles.xf_fonts[style]]
            except (IndexError, TypeError):
                name = None
            self._fonts[style] = name
        return name

    def rows(self, ws: Worksheet, messages: list[str]) -> Iterator[tuple[int, list[Any], list[str | None]]]:
        """(Excel row, values, font names) of every row holding a value, as docgen read them from openpyxl
        (a blank text is None; a font name only for a text); openpyxl's warnings are appended to ``messages``."""
        return SheetParser(self, messages).rows(ws.part)


def _kids(parts: dict, name: str) -> list:
    el = parts.get(_M + name)
    return list(el) if el is not None else []


def _ids(xf) -> tuple[int, ...]:
    """(fontId, fillId, borderId, numFmtId) of an <xf>, 0 when absent (openpyxl's defaults); the types were
    checked by :func:`docgen.xlsx_accept.check`."""
    return tuple(int(xf.get(k, 0)) for k in ("fontId", "fillId", "borderId", "numFmtId"))


def _font_name(font) -> str | None:
    name = None
    for child in font:
        if child.tag == _M + "name":
            name = child.get("val")
    return name


_DIGITS = "0123456789"
_COLUMNS: dict[str, int] = {}


def _column_of(letters: str) -> int:
    """Column number of the letters of a cell reference ("B" → 2, "ab" → 28), as openpyxl reads them."""
    col = _COLUMNS.get(letters)
    if col is None:
        if not (1 <= len(letters) <= 3 and letters.isascii() and letters.isalpha()):
            raise Unsupported(f"cell reference {letters!r}")
        col = _COLUMNS[letters] = column_number(letters)
    return col


def read_parts(path: str | Path, parts: list[str]) -> dict[str, tuple[list, list[str], int]]:
    """The rows (:meth:`Book.rows`), the messages and the CRC of each worksheet part of ``parts`` — what another
    process reads for a reader (:class:`docgen.reader.WorkbookReader`) while it reads the other sheets.  A part
    that cannot be read is left out: the reader then reads it itself (and meets the same problem)."""
    found: dict[str, tuple[list, list[str], int]] = {}
    try:
        book = Book(path)
    except Exception:  # noqa: BLE001 - the reader decides what an unreadable workbook means
        return found
    with book:
        by_part = {ws.part: ws for ws in book.worksheets}
        for part in parts:
            if part not in by_part:
                continue
            messages: list[str] = []
            try:
                rows = list(book.rows(by_part[part], messages))
            except Exception:  # noqa: BLE001
                continue
            found[part] = (rows, messages, book.part_crc(part))
    return found


class SheetParser:
    """One pass over a sheet part: the cells of each <row> (openpyxl's ``WorkSheetParser`` with
    ``data_only=True``, then its read-only row padding), and the checks that every other element is one openpyxl
    reads without complaint."""

    def __init__(self, book: Book, messages: list[str]):
        self.book, self.messages = book, messages
        self.row = 0
        self.strings = book._strings
        self.dates = book._styles.date_styles

    def rows(self, part: str) -> Iterator[tuple[int, list[Any], list[str | None]]]:
        counter = 1
        try:
            with self.book._zf.open(part) as src:
                context = etree.iterparse(src, events=("end",), tag=tuple(accept.SHEET_HANDLED),
                                          resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
                for _, el in context:
                    if el.tag != _ROW:
                        self._other(el)
                        continue
                    parent = el.getparent()
                    if parent is None or parent.tag != _SHEET_DATA or parent.getparent().getparent() is not None:
                        raise Unsupported("row outside sheetData")
                    idx = self._row_number(el.get("r"))
                    values, fonts = self._cells(el)
                    el.clear()
                    while el.getprevious() is not None:
                        del parent[0]
                    if counter < idx:
                        counter = idx
                    if counter <= idx:          # openpyxl skips a row numbered before the rows already read
                        counter += 1
                        if values:
                            yield idx, values, fonts
                root = context.root
        except (etree.XMLSyntaxError, KeyError) as exc:
            raise Unsupported(f"{part}: {exc}") from None
        if root.tag != _M + "worksheet":
            raise Unsupported("worksheet root")
        _check_document(root, part)

    def _other(self, el) -> None:
        parent = el.getparent()
        top = parent is not None and parent.getparent() is None
        local = _local(el)
        in_cols = el.tag == _M + "col" and parent is not None and parent.tag == _COLS and \
            parent.getparent() is not None and parent.getparent().getparent() is None
        if parent is None or parent.tag != _M + "worksheet" and not in_cols:
            raise Unsupported(f"<{local}> out of place")
        if local == "col":
            try:
                if not 1 <= int(el.attrib["min"]) <= 18278:
                    raise Unsupported("column")
            except (KeyError, ValueError):
                raise Unsupported("column") from None
        elif el.tag == _EXT_LIST and top:
            for ext in el:
                if _local(ext) != "ext":
                    continue
                accept.check(ext, ({"uri": "str"}, {"*": None}), "extLst")
                if ext.get("uri") is None:
                    raise Unsupported("extension without uri")
                kind = _EXT_TYPES.get(ext.get("uri").upper(), "Unknown")
                self.messages.append(f"{kind} extension is not supported and will be removed")
        elif local in accept.SHEET_PARTS and top:
            accept.check(el, accept.SHEET_PARTS[local], local)
        else:
            raise Unsupported(f"<{local}>")
        el.clear()

    def _row_number(self, r: str | None) -> int:
        if r is None:
            self.row += 1
            return self.row
        try:
            self.row = int(r)
        except ValueError:
            try:
                number = float(r)
            except ValueError:
                raise Unsupported("row number") from None
            if not number.is_integer():
                raise Unsupported("row number")
            self.row = int(number)
        return self.row

    def _cells(self, row) -> tuple[list[Any], list[str | None]]:
        """The row's values and font names, padded with None up to its last cell (as openpyxl's ``_get_row``
        and docgen's ``_row_values``: a blank text is None, a font name only for a text); ([], []) when no cell
        holds a value."""
        values: list[Any] = []
        fonts: list[str | None] = []
        col = 0
        found = rewritten = False
        font_names = self.book._fonts
        try:
            for c in row:
                if c.tag != _C:
                    raise Unsupported("row child")
                get = c.get
                coordinate = get("r")
                if coordinate:
                    letters = coordinate.rstrip(_DIGITS)
                    if len(letters) == len(coordinate):
                        raise Unsupported(f"cell reference {coordinate!r}")
                    col = _COLUMNS.get(letters) or _column_of(letters)
                else:
                    col += 1
                style = get("s", 0)
                if style:
                    style = int(style)
                value = self._value(c, get("t", "n"), style, coordinate) if len(c) else None
                font = None
                if value.__class__ is str:
                    if value.strip():
                        font = font_names.get(style, _NO_FONT)
                        if font is _NO_FONT:
                            font = self.book.font(style)
                    else:
                        value = None
                if col == len(values) + 1:
                    values.append(value)
                    fonts.append(font)
                elif col > len(values):
                    values.extend([None] * (col - 1 - len(values)))
                    fonts.extend([None] * (col - 1 - len(fonts)))
                    values.append(value)
                    fonts.append(font)
                else:                    # a second cell for a column: the last one counts
                    values[col - 1], fonts[col - 1] = value, font
                    rewritten = True
                found = found or value is not None
        except (ValueError, IndexError, TypeError, OverflowError) as exc:
            raise Unsupported(f"cell: {exc}") from None
        if col < len(values):            # openpyxl's row ends at its last cell
            del values[col:], fonts[col:]
            rewritten = True
        if rewritten:
            found = any(v is not None for v in values)
        return (values, fonts) if found else ([], [])

    def _value(self, c, data_type: str, style: Any, coordinate: str | None) -> Any:
        """The value of a <c> that has children, as openpyxl's ``parse_cell`` reads it (``data_only``)."""
        if data_type == "inlineStr":
            for child in c:
                if child.tag == _IS:
                    return _text_of(child)
            return None
        first = c[0]
        if first.tag != _V:
            first = c.find(_V)
            if first is None:
                return None
        if len(first):
            raise Unsupported("markup inside <v>")   # openpyxl would join the text around it
        value = first.text
        if not value:
            return None
        if data_type == "n":
            value = cast_number(value)
            if style in self.dates:
                value = self._date(value, style, coordinate)
        elif data_type == "s":
            value = self.strings[int(value)]
        elif data_type == "b":
            value = bool(int(value))
        elif data_type == "d":
            value = from_iso8601(value)
        return value

    def _date(self, value, style: int, coordinate: str | None):
        try:
            return from_excel(value, self.book.epoch, timedelta=style in self.book._styles.timedelta_styles)
        except (OverflowError, ValueError):
            self.messages.append(f"Cell {coordinate} is marked as a date but the serial value {value} is outside "
                                 "the limits for dates. The cell will be treated as an error.")
            return "#VALUE!"
