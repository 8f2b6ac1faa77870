"""Stage 1 — read: campaign workbook → typed records (:mod:`docgen.model`) + located problems.

The reader never stops at the first problem: every cell that cannot be understood becomes a
:class:`~docgen.errors.Problem` with the sheet name, the Excel row and the column header as the user
wrote them.  Sheets are streamed straight from the zip (:mod:`docgen.xlsx`; openpyxl's read-only mode for any
file that reader does not fully understand), so large workbooks are cheap.
"""
from __future__ import annotations

import difflib
import re
import warnings
import zipfile
from dataclasses import dataclass, field as dc_field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable, Iterable

from . import schema, vietnamese
from .documents import REGISTRY
from .errors import Problem, Severity, WorkbookUnreadable
from .model import Campaign, Info
from .safety import MAX_ROWS, inspect_workbook
from .text import clean_text, fold, slug
from .xlsx import column_number
from .vietnamese import short_date

HEADER_SCAN_ROWS = 30          # how far down to look for the header row under title rows
NEAR_MISS = 0.85               # similarity above which an unknown Thông tin key is taken for a typo


_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
# <c r="B7" …> … <f …> inside the same cell (shared formulas are "<f t="shared" si="0"/>")
_FORMULA_TAG = re.compile(rb"<f[ >/]")
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"[^>]*>(?:(?!</c>).){0,200}?<f[ >/]', re.DOTALL)


def load_campaign(path: str | Path, *, helper: Callable[[Path, list[str]], Any] | None = None) -> Campaign:
    """Read a campaign workbook.  Raises :class:`WorkbookUnreadable` when the file cannot be read at
    all; every other problem is collected in ``campaign.problems``.  ``helper(path, parts)``: starts reading
    the rows of those worksheet parts in another process (:func:`docgen.xlsx.read_parts`) and returns what
    answers ``.get(part)`` — the large sheets read side by side with the others, once the workbook has passed
    its safety checks."""
    path = Path(path)
    inspect_workbook(path)
    return WorkbookReader(path, helper).read()


@dataclass
class _SheetData:
    title: str
    rows: list[tuple[int, list[Any], list[str | None]]]   # (excel_row, values, font names)
    formulas_without_value: set[tuple[int, int]] = dc_field(default_factory=set)  # (row, col index)


@dataclass
class _Layout:
    """Where a table sheet's columns are: the header row and each header cell's meaning."""
    index: int                       # position of the header row in _SheetData.rows
    header_row: int                  # its Excel row
    columns: dict[int, schema.Column] = dc_field(default_factory=dict)     # column index → schema column
    extras: dict[int, tuple[str, str]] = dc_field(default_factory=dict)    # column index → (key, header)
    headers: dict[int, str] = dc_field(default_factory=dict)               # column index → header as typed
    name_field: str | None = None    # first required column: a row without it is no record


class CellReader:
    """Cell conversion: a raw cell value → the typed value its column expects, or a located problem.
    Problems are collected in ``self.problems``; ``where`` is the cell's location (sheet, row, column)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self._cleaned: dict[tuple[str, bool], str] = {}   # the same texts come back in every row: clean once

    # ------------------------------------------------------------------ problems
    def _problem(self, message: str, *, sheet: str | None = None, row: int | None = None,
                 column: str | None = None, severity: Severity = Severity.ERROR, rule: str | None = None) -> None:
        self.problems.append(Problem(message, severity, sheet, row, column, rule))

    def _warn(self, message: str, **kw) -> None:
        self._problem(message, severity=Severity.WARNING, **kw)

    # ------------------------------------------------------------------ cell conversion
    def _text(self, value: Any, font: str | None, where: dict, *, multiline: bool = False) -> str:
        if value.__class__ is str:      # most cells: straight to the text (no other branch below is for a str)
            text = self._cleaned.get((value, multiline))
            if text is None:
                text = self._cleaned[value, multiline] = _cleaned(value, multiline)
            if text and not text.isascii():
                text = self._fix_legacy(text, font, where)
            return text
        if value is None:
            return ""
        if isinstance(value, bool):
            return "Có" if value else "Không"
        if isinstance(value, (datetime, date)):
            return short_date(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, (int, float, Decimal)):
            return str(value).replace(".", ",")
        text = _cleaned(str(value), multiline)
        if text and not text.isascii():
            text = self._fix_legacy(text, font, where)
        return text

    def _fix_legacy(self, text: str, font: str | None, where: dict) -> str:
        decision = vietnamese.decide_legacy(text, font=font)
        fixed, encoding = decision.text, decision.encoding
        if decision.doubt:
            self._warn(f'Ô định dạng phông {font} nhưng "{_short(text)}" đã đọc được như chữ Unicode; giữ nguyên '
                       f'(nếu là mã TCVN3/VNI thì đọc là "{_short(decision.doubt)}" — hãy kiểm tra lại).',
                       rule="ma-cu", **where)
        if encoding:
            fixed = clean_text(fixed, keep_newlines="\n" in text)
            self._warn(f'Văn bản mã {encoding} "{_short(text)}" đã được chuyển sang Unicode: "{_short(fixed)}".',
                       rule="ma-cu", **where)
        return fixed

    def _convert(self, col: schema.Column | schema.Key, value: Any, font: str | None, where: dict) -> Any:
        kind = col.kind
        if kind in ("text", "longtext"):
            text = self._text(value, font, where,
                              multiline=kind == "longtext" or col.field in schema.KEEP_LINE_BREAKS)
            vocab = col.vocab if isinstance(col.vocab, tuple) else None
            if text and vocab:
                return self._vocab(text, vocab, where, strict=isinstance(col, schema.Key))
            return text
        if value is None:
            return None
        if kind == "date":
            return self._date_in_range(self._date(value, font, where), col, where)
        if kind in ("int", "year"):
            return self._int(value, font, where, year=kind == "year")
        if kind == "number":   # document numbers ("Số Tờ trình"): keep as digits text
            return self._doc_number(value, font, where)
        if kind == "presence":
            return self._presence(value, font, where)
        if kind == "doc_type":
            return self._doc_type(value, font, where)
        if kind == "authority":
            return self._authority(value, font, where)
        raise AssertionError(kind)  # pragma: no cover - schema error

    def _vocab(self, text: str, vocab: tuple[str, ...], where: dict, strict: bool) -> str:
        f = fold(text)
        for v in vocab:
            if fold(v) == f:
                return v
        msg = f'"{text}" không thuộc danh sách cho phép ({", ".join(vocab)}).'
        if strict:
            self._problem(msg, rule="gia-tri-khong-hop-le", **where)
        else:
            self._warn(msg, rule="gia-tri-khong-hop-le", **where)
        return text

    def _date(self, value: Any, font: str | None, where: dict) -> date | None:
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, time):
            self._problem(f'"{value}" là giờ, không phải ngày.', rule="ngay-khong-hop-le", **where)
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self._problem(f'"{_num_text(value)}" không phải là ngày hợp lệ (ghi theo dạng dd/mm/yyyy).',
                          rule="ngay-khong-hop-le", **where)
            return None
        text = self._text(value, font, where)
        try:
            return vietnamese.parse_date(text)
        except ValueError:
            self._problem(f'"{text}" không phải là ngày hợp lệ.', rule="ngay-khong-hop-le", **where)
            return None

    def _date_in_range(self, d: date | None, col: schema.Column | schema.Key, where: dict) -> date | None:
        """Before 1900 is no date of a campaign (Excel's serial 0 is 00/01/1900; a negative serial gives 1899);
        a birth date, a recruitment date or the date of a past decision cannot be after today."""
        if d is None:
            return None
        if d.year < 1900:
            self._problem(f'Ngày "{short_date(d)}" trước năm 1900, không phải ngày hợp lệ (ghi theo dạng dd/mm/yyyy).',
                          rule="ngay-khong-hop-le", **where)
            return None
        if getattr(col, "not_after_today", False) and d > date.today():
            self._problem(f'Ngày "{short_date(d)}" ở sau hôm nay ({short_date(date.today())}); cột này không thể là '
                          "ngày trong tương lai.", rule="ngay-khong-hop-le", **where)
            return None
        return d

    def _int(self, value: Any, font: str | None, where: dict, *, year: bool = False) -> int | None:
        n: Any = None
        if isinstance(value, bool):
            n = None
        elif isinstance(value, int):
            n = value
        elif isinstance(value, float) and value.is_integer():
            n = int(value)
        elif isinstance(value, (datetime, date)) and year:
            n = value.year
        elif isinstance(value, str):
            text = self._text(value, font, where)
            try:
                parsed = vietnamese.parse_number(text)
            except ValueError:
                parsed = None
            if parsed is not None and float(parsed) == int(parsed):
                n = int(parsed)
        if n is None or n < 0:
            shown = value if not isinstance(value, float) else _num_text(value)
            self._problem(f'"{shown}" không phải là số nguyên hợp lệ.', rule="so-khong-hop-le", **where)
            return None
        if year and not 1900 <= n <= 2100:
            self._problem(f'"{n}" không phải là năm hợp lệ.', rule="nam-khong-hop-le", **where)
            return None
        return n

    def _doc_number(self, value: Any, font: str | None, where: dict) -> str:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = self._text(value, font, where)
        if text and not text.isdigit():
            self._problem(f'Số văn bản "{text}" chỉ được gồm chữ số (ký hiệu do docgen ghép).',
                          rule="so-van-ban", **where)
            return ""
        return text.lstrip("0") or ("0" if text else "")

    def _presence(self, value: Any, font: str | None, where: dict) -> bool:
        if isinstance(value, bool):
            return value
        f = fold(self._text(value, font, where)).strip(" .")
        if f in ("co", "co mat", "x", "1", "yes", "true", "dung"):
            return True
        if f in ("vang", "vang mat", "khong", "0", "no", "false"):
            return False
        self._problem(f'"{value}" không hợp lệ; ghi "Có" hoặc "Vắng".', rule="gia-tri-khong-hop-le", **where)
        return True

    def _doc_type(self, value: Any, font: str | None, where: dict) -> str | None:
        text = self._text(value, font, where)
        key = fold(text).replace(".", "").replace(" ", "")
        code = REGISTRY.from_code_text(key)
        if code is not None:
            return code
        self._problem(f'"{text}" không phải loại văn bản hợp lệ ({", ".join(REGISTRY.codes)}).',
                      rule="gia-tri-khong-hop-le", **where)
        return None

    def _authority(self, value: Any, font: str | None, where: dict) -> str:
        text = self._text(value, font, where)
        canonical = canonical_authority(text)
        if canonical is None:
            self._problem(f'Quyền hạn "{text}" không hợp lệ; dùng TM., KT., TL., TUQ., Q. hoặc để trống.',
                          rule="gia-tri-khong-hop-le", **where)
            return ""
        if canonical and text != canonical:
            self._warn(f'Quyền hạn "{text}" được ghi lại đúng thể thức là "{canonical}".', rule="quyen-han", **where)
        return canonical

    def _extra_value(self, value: Any, font: str | None, where: dict) -> Any:
        """Metric columns keep numbers as numbers ("99,2" → 99.2), dates as dates, text as text."""
        if value is None:
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, (int, float, Decimal, date)) and not isinstance(value, bool):
            return int(value) if isinstance(value, float) and value.is_integer() else value
        text = self._text(value, font, where, multiline=True)
        try:
            return vietnamese.parse_number(text)
        except ValueError:
            return text


_AHEAD_BYTES = 100_000          # worksheet parts this large are worth reading in another process


def _matching(titles: dict, name: str, aliases: Iterable[str]) -> list:
    """The sheets whose folded title is ``name``'s or an alias's."""
    return [ws for candidate in dict.fromkeys(fold(c) for c in (name, *aliases)) for ws in titles.get(candidate, [])]


def _large_sheets_after_the_first(book, titles: dict) -> list[str]:
    """The parts of the large sheets a reader comes to after the first large one (which it reads itself while
    another process reads these), in the order it reads them."""
    sheets = [found[0] for found in (_matching(titles, s.name, s.aliases) for s in (schema.INFO, *schema.TABLE_SHEETS))
              if found]
    large = [part for part in dict.fromkeys(ws.part for ws in sheets) if book.part_size(part) >= _AHEAD_BYTES]
    return large[1:]


def _too_many_rows(ws) -> None:
    raise WorkbookUnreadable(f'Sheet "{ws.title}" có hơn {MAX_ROWS} dòng dữ liệu; từ chối xử lý. Hãy xóa các dòng '
                             "thừa rồi lưu lại.")


class WorkbookReader(CellReader):
    def __init__(self, path: Path, helper: Callable[[Path, list[str]], Any] | None = None):
        super().__init__()
        self.path = path
        self._helper = helper
        self._ahead: Any = None         # what the helper reads meanwhile (answers .get(part))

    # ------------------------------------------------------------------ public
    def read(self) -> Campaign:
        """Read with the fast reader (:mod:`docgen.xlsx`); a workbook it does not fully understand is read again
        from the start with openpyxl, so the result is the same either way."""
        from . import xlsx

        try:
            book = xlsx.Book(self.path)
        except Exception:     # Unsupported, or a damaged member (bad CRC, bad deflate data): openpyxl decides
            book = None
        if book is not None:
            try:
                with book:
                    return self.read_book(book)
            except WorkbookUnreadable:
                raise
            except Exception:  # the same: start again with openpyxl
                self.problems = []
        return self.read_with_openpyxl()

    def read_with_openpyxl(self) -> Campaign:
        """The campaign read by openpyxl's read-only mode (the fallback of :meth:`read`)."""
        book = self._open_with_openpyxl()
        try:
            return self.read_book(book)
        except WorkbookUnreadable:
            raise
        except Exception as exc:  # openpyxl fails on some damaged sheets only while reading their rows
            raise WorkbookUnreadable(
                f'Không đọc được tệp "{self.path.name}" ({type(exc).__name__} khi đọc các sheet). '
                "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx.") from None

    def _open_with_openpyxl(self) -> "OpenpyxlBook":
        import openpyxl

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")   # openpyxl warns about unsupported extensions
                wb = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many types on damaged files
            raise WorkbookUnreadable(
                f'Không đọc được tệp "{self.path.name}" ({type(exc).__name__}). '
                "Hãy mở tệp bằng Excel hoặc LibreOffice và lưu lại dưới dạng .xlsx.") from None
        return OpenpyxlBook(wb)

    def read_book(self, book) -> Campaign:
        """The campaign in ``book`` (a :class:`docgen.xlsx.Book` or an :class:`OpenpyxlBook`)."""
        self._book = book
        try:
            titles = self._titles(book.worksheets)
            if self._helper is not None and not isinstance(book, OpenpyxlBook):
                later = _large_sheets_after_the_first(book, titles)   # the helper reads them meanwhile
                self._ahead = self._helper(self.path, later) if later else None
            formula_cells = self._formulas_without_cached_value()
            campaign = Campaign(source=self.path)
            # Thông tin (key/value)
            ws = self._find_sheet(titles, schema.INFO.name, schema.INFO.aliases)
            if ws is None:
                self._problem(f'Thiếu sheet "{schema.INFO.name}" (thông tin chung của đợt khen thưởng).',
                              sheet=schema.INFO.name, rule="thieu-sheet")
            else:
                campaign.sheets_present.add(schema.INFO.name)
                self._read_info(self._load(ws, formula_cells), campaign.info)
            # Table sheets
            for spec in schema.TABLE_SHEETS:
                ws = self._find_sheet(titles, spec.name, spec.aliases)
                if ws is None:
                    continue
                campaign.sheets_present.add(spec.name)
                records = self._read_table(self._load(ws, formula_cells), spec)
                setattr(campaign, _CAMPAIGN_LISTS[spec.name], records)
            # Quy tắc (optional, interpreted by docgen.rules)
            ws = self._find_sheet(titles, schema.RULE_SETTINGS_SHEET, ("Quy tac",))
            if ws is not None:
                campaign.sheets_present.add(schema.RULE_SETTINGS_SHEET)
                campaign.rule_settings = self._read_raw_keys(self._load(ws, formula_cells))
        finally:
            book.close()
        campaign.problems = self.problems
        return campaign

    # ------------------------------------------------------------------ loading
    @staticmethod
    def _titles(worksheets) -> dict[str, list]:
        titles: dict[str, list] = {}
        for ws in worksheets:
            titles.setdefault(fold(ws.title), []).append(ws)
        return titles

    def _find_sheet(self, titles: dict, name: str, aliases: Iterable[str]):
        """The sheet named ``name`` or one of its aliases, compared without case or diacritics.  Two sheets that
        both match ("Cá nhân" and "CA NHAN", or a sheet and an alias) are an error naming both: docgen never
        guesses which one is real.  A hidden sheet is read, with a warning naming it."""
        found = _matching(titles, name, aliases)
        if not found:
            return None
        if len(found) > 1:
            shown = " và ".join(f'"{ws.title}"' for ws in found)
            self._problem(f'Có {len(found)} sheet cùng được hiểu là sheet "{name}": {shown} (tên chỉ khác chữ hoa, '
                          f'dấu hoặc là tên gọi khác). Đổi tên hoặc xóa sheet thừa; docgen đọc sheet "{found[0].title}" '
                          "nhưng không tạo văn bản khi còn lỗi này.", sheet=name, rule="trung-sheet")
        ws = found[0]
        state = getattr(ws, "sheet_state", "visible")
        if state in ("hidden", "veryHidden"):
            how = "ẩn" if state == "hidden" else "ẩn sâu (chỉ hiện được bằng VBA)"
            self._warn(f'Sheet "{ws.title}" đang bị {how} nhưng vẫn được đọc; hãy hiện sheet (chuột phải vào tên '
                       "sheet → Bỏ ẩn) để kiểm tra nội dung trước khi ký.", sheet=ws.title, rule="sheet-an")
        return ws

    def _formulas_without_cached_value(self) -> dict[str, set[tuple[int, int]]]:
        """Cells holding a formula, per sheet title: (Excel row, 0-based column).  The readers warn when
        such a cell has no cached value (the file was saved by a program that does not compute formulas).

        One pass over the raw sheet XML of the sheets that contain formulas at all; no second openpyxl load."""
        import posixpath

        from defusedxml import ElementTree as SafeET

        result: dict[str, set[tuple[int, int]]] = {}
        try:
            with zipfile.ZipFile(self.path) as zf:
                names = set(zf.namelist())
                book = SafeET.fromstring(zf.read("xl/workbook.xml"))
                rels = SafeET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
                targets = {r.get("Id"): r.get("Target", "") for r in rels}
                for sheet in book.iter(f"{{{_MAIN_NS}}}sheet"):
                    target = targets.get(sheet.get(f"{{{_REL_NS}}}id"), "")
                    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                        posixpath.join("xl", target))
                    if part not in names:
                        continue
                    xml = zf.read(part)
                    if _FORMULA_TAG.search(xml) is None:   # no <f> at all: _FORMULA_CELL cannot match
                        continue
                    cells = {(int(m.group(2)), column_number(m.group(1).decode()) - 1)
                             for m in _FORMULA_CELL.finditer(xml)}
                    if cells:
                        result[sheet.get("name", "")] = cells
        except (zipfile.BadZipFile, KeyError, OSError, SafeET.ParseError, ValueError):
            return {}
        return result

    def _load(self, ws, formula_cells: dict) -> _SheetData:
        """Every row that holds a value, however many blank rows come before it (the archive checks in
        :mod:`docgen.safety` bound how much XML there is to read).  openpyxl's warnings become located
        Vietnamese warnings."""
        messages: list[str] = []
        if isinstance(self._book, OpenpyxlBook):   # openpyxl warns through the warnings module
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                rows = self._collect(ws, messages)
        else:                                      # the fast reader hands the same texts in ``messages``
            caught, rows = [], self._read_by_helper(ws, messages)
            if rows is None:
                rows = self._collect(ws, messages)
        for text in messages + [str(w.message) for w in caught]:
            self._library_warning(ws.title, text)
        return _SheetData(ws.title, rows, formula_cells.get(ws.title, set()))

    def _read_by_helper(self, ws, messages: list[str]) -> list | None:
        """The rows of ``ws`` as the helper read them (the same code on the same part: its CRC says so)."""
        got = self._ahead.get(ws.part) if self._ahead is not None else None
        if got is None or got[2] != self._book.part_crc(ws.part):
            return None
        rows, said, _ = got
        if len(rows) > MAX_ROWS:
            _too_many_rows(ws)
        messages.extend(said)
        return rows

    def _collect(self, ws, messages: list[str]) -> list:
        rows = []
        for row in self._book.rows(ws, messages):
            rows.append(row)
            if len(rows) > MAX_ROWS:
                _too_many_rows(ws)
        return rows


    def _library_warning(self, title: str, text: str) -> None:
        m = _DATE_OUT_OF_RANGE.search(text)
        if m:
            self._warn(f'Ô {m.group(1)}{m.group(2)} được định dạng ngày nhưng giá trị "{m.group(3)}" không phải ngày '
                       "có thật; ô này được coi là lỗi.", sheet=title, row=int(m.group(2)), column=m.group(1),
                       rule="ngay-khong-hop-le")
            return
        self._warn(f"Thư viện đọc Excel cảnh báo khi đọc sheet này: {_short(text, 160)}", sheet=title,
                   rule="canh-bao-doc-tep")

    # ------------------------------------------------------------------ key/value sheets
    def _kv_rows(self, data: _SheetData, key_header: str = "Mục", value_header: str = "Giá trị"):
        """Yield (excel_row, label, value, font) from a Mục | Giá trị sheet (header row optional)."""
        key_col, val_col, start = 0, 1, 0
        for i, (_, values, _) in enumerate(data.rows[:HEADER_SCAN_ROWS]):
            folded = [fold(v) if isinstance(v, str) else "" for v in values]
            if fold(key_header) in folded and fold(value_header) in folded:
                key_col, val_col, start = folded.index(fold(key_header)), folded.index(fold(value_header)), i + 1
                break
        for r, values, fonts in data.rows[start:]:
            label = values[key_col] if key_col < len(values) else None
            value = values[val_col] if val_col < len(values) else None
            font = fonts[val_col] if val_col < len(fonts) else None
            if label is None and value is None:
                continue
            yield r, label, value, font, (r, val_col) in data.formulas_without_value

    def _read_info(self, data: _SheetData, info: Info) -> None:
        spec = schema.INFO
        by_fold, by_slug = {}, {}
        for key in spec.keys:
            for name in (key.label, *key.aliases):
                by_fold[fold(name)] = key
                by_slug[slug(name, "_")] = key
        seen: dict[str, int] = {}
        for r, label, value, font, no_cache in self._kv_rows(data, spec.key_header, spec.value_header):
            label_text = self._text(label, None, {"sheet": data.title, "row": r, "column": spec.key_header})
            where = {"sheet": data.title, "row": r, "column": spec.value_header}
            if not label_text:
                self._warn(f'Có giá trị "{_short(str(value))}" nhưng thiếu tên mục ở cột "{spec.key_header}".',
                           sheet=data.title, row=r, column=spec.key_header, rule="thieu-ten-muc")
                continue
            if no_cache:
                self._warn(f'Mục "{label_text}" là công thức chưa có giá trị tính sẵn; hãy mở tệp bằng Excel '
                           "và lưu lại để có giá trị.", rule="cong-thuc", **where)
            key = by_fold.get(fold(label_text)) or by_slug.get(slug(label_text, "_"))
            if key is None:
                self._warn_near_miss(label_text, by_fold, where)
                info.extra[slug(label_text, "_")] = self._text(value, font, where, multiline=True)
                continue
            if key.field in seen:
                self._warn(f'Mục "{key.label}" khai báo lại (đã có ở dòng {seen[key.field]}); dùng giá trị dòng này.',
                           rule="trung-muc", **where)
            seen[key.field] = r
            converted = self._convert(key, value, font, where)
            info.rows[key.field] = r
            if key.field.startswith("number:"):
                info.numbers[key.field.split(":", 1)[1]] = converted or ""
            elif key.field.startswith("date:"):
                if converted is not None:
                    info.dates[key.field.split(":", 1)[1]] = converted
            elif converted is not None:
                setattr(info, key.field, converted)
            if key.required and value is None:
                self._problem(f'Mục "{key.label}" bắt buộc phải có giá trị.', rule="thieu-gia-tri", **where)
        for key in spec.keys:
            if key.required and key.field not in seen:
                self._problem(f'Thiếu mục bắt buộc "{key.label}" (ví dụ: {key.example}).',
                              sheet=data.title, column=spec.key_header, rule="thieu-muc")

    def _warn_near_miss(self, label: str, by_fold: dict, where: dict) -> None:
        """A Thông tin key docgen does not know is the clerk's own (``thong_tin_khac``), unless it is so
        close to a declared key that it is most likely a typo of it: say so."""
        close = difflib.get_close_matches(fold(label), list(by_fold), n=1, cutoff=NEAR_MISS)
        if close:
            meant = by_fold[close[0]].label
            self._warn(f'Mục "{label}" không phải mục docgen dùng; có phải là "{meant}"? Sửa tên mục cho đúng, '
                       f'nếu không giá trị này chỉ dùng được trong mẫu riêng (thong_tin_khac.{slug(label, "_")}).',
                       rule="muc-khong-ro", sheet=where["sheet"], row=where["row"], column=schema.INFO.key_header)

    def _read_raw_keys(self, data: _SheetData) -> dict[str, tuple[str, Any, int]]:
        out: dict[str, tuple[str, Any, int]] = {}
        for r, label, value, font, _ in self._kv_rows(data):
            where = {"sheet": data.title, "row": r, "column": "Giá trị"}
            label_text = self._text(label, None, where)
            if not label_text:
                continue
            if isinstance(value, str):
                value = self._text(value, font, where)
            elif isinstance(value, datetime):
                value = value.date()
            out[fold(label_text)] = (label_text, value, r)
        return out

    # ------------------------------------------------------------------ table sheets
    def _find_header(self, data: _SheetData, spec: schema.TableSheet):
        best = None
        for i, (r, values, _) in enumerate(data.rows[:HEADER_SCAN_ROWS]):
            matched = sum(1 for v in values if isinstance(v, str) and any(c.matches(v) for c in spec.columns))
            if matched and (best is None or matched > best[2]):
                best = (i, r, matched)
            if matched == len(spec.columns):
                break
        return best

    def _read_table(self, data: _SheetData, spec: schema.TableSheet) -> list:
        if not data.rows:
            return []
        layout = self._table_layout(data, spec)
        if layout is None:
            return []
        records = []
        for r, values, fonts in data.rows[layout.index + 1:]:
            record = self._read_record(data, spec, layout, r, values, fonts)
            if record is not None:
                records.append(record)
        return records

    def _table_layout(self, data: _SheetData, spec: schema.TableSheet) -> _Layout | None:
        """Find the header row and map its cells to schema columns; None (with a problem) when the sheet
        has no usable header or lacks a required column."""
        found = self._find_header(data, spec)
        required = spec.required_columns
        if found is None or (required and not any(
                isinstance(v, str) and c.matches(v) for c in required for v in data.rows[found[0]][1])):
            expected = ", ".join(f'"{c.header}"' for c in spec.columns)
            self._problem(f"Không tìm thấy dòng tiêu đề (cần các cột: {expected}).", sheet=data.title,
                          rule="thieu-tieu-de")
            return None
        index, header_row, _ = found
        layout = _Layout(index, header_row)
        used_fields: dict[str, int] = {}
        for c, v in enumerate(data.rows[index][1]):
            if v is not None:
                self._map_header_cell(data.title, spec, layout, used_fields, c, v)
        for col in required:
            if col.field not in used_fields:
                self._problem(f'Thiếu cột bắt buộc "{col.header}".', sheet=data.title, row=header_row,
                              rule="thieu-cot")
        if any(col.field not in used_fields for col in required):
            return None
        layout.name_field = required[0].field if required else None
        return layout

    def _map_header_cell(self, title: str, spec: schema.TableSheet, layout: _Layout,
                         used_fields: dict[str, int], c: int, v: Any) -> None:
        header = clean_text(str(v), keep_newlines=False)
        layout.headers[c] = header
        where = {"sheet": title, "row": layout.header_row, "column": header}
        col = next((col for col in spec.columns if col.matches(header)), None)
        if col is not None:
            if col.field in used_fields:
                self._warn(f'Cột "{header}" bị lặp; chỉ dùng cột đầu tiên.', rule="trung-cot", **where)
                return
            used_fields[col.field] = c
            layout.columns[c] = col
            return
        key = slug(header, "_")
        if not key:
            return
        if key[0].isdigit():
            key = "cot_" + key
        if key in (e[0] for e in layout.extras.values()):
            self._warn(f'Cột "{header}" trùng tên với một cột khác; chỉ dùng cột đầu tiên.', rule="trung-cot",
                       **where)
            return
        layout.extras[c] = (key, header)

    def _read_record(self, data: _SheetData, spec: schema.TableSheet, layout: _Layout, r: int,
                     values: list[Any], fonts: list[str | None]):
        """One data row → a record, or None for a row with nothing in the known columns."""
        width = len(values)
        if all(values[c] is None for c in (*layout.columns, *layout.extras) if c < width):
            return None
        fields: dict[str, Any] = {}
        for c, col in layout.columns.items():
            value, font, where = self._cell(data, r, values, fonts, c, layout.headers[c])
            converted = self._convert(col, value, font, where)
            if converted is None:
                converted = "" if col.kind in ("text", "longtext") else None
            if col.required and value is None:
                self._problem(f'Cột "{layout.headers[c]}" không được để trống.', rule="thieu-gia-tri", **where)
            if converted is not None:
                fields[col.field] = converted
        extra: dict[str, Any] = {}
        for c, (key, header) in layout.extras.items():
            value, font, where = self._cell(data, r, values, fonts, c, header)
            extra[key] = self._extra_value(value, font, where)
        if not any(v not in (None, "") for v in fields.values()) and not any(
                v not in (None, "") for v in extra.values()):
            return None
        if layout.name_field and fields.get(layout.name_field) in (None, ""):
            return None   # reported above as a missing required value; no record without a name
        record = spec.record(**fields)
        record.row = r
        if hasattr(record, "extra"):
            record.extra = extra
            record.extra_labels = {key: header for key, header in layout.extras.values()}
        return record

    def _cell(self, data: _SheetData, r: int, values: list[Any], fonts: list[str | None], c: int,
              header: str) -> tuple[Any, str | None, dict]:
        """The value and font of column ``c`` in row ``r`` and its location; warns about a formula that
        has no cached value."""
        value = values[c] if c < len(values) else None
        where = {"sheet": data.title, "row": r, "column": header}
        if value is None and (r, c) in data.formulas_without_value:
            self._warn("Ô chứa công thức chưa có giá trị tính sẵn; hãy mở tệp bằng Excel và lưu lại.",
                       rule="cong-thuc", **where)
        return value, fonts[c] if c < len(fonts) else None, where


_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _cleaned(text: str, multiline: bool) -> str:
    """A cell's text: OOXML escapes (_x0007_) that openpyxl leaves in inline strings decoded, then cleaned."""
    if "_x" in text:
        text = _OOXML_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return clean_text(text, keep_newlines=multiline)


_CAMPAIGN_LISTS = {
    "Căn cứ": "legal_bases", "Đơn vị": "units", "Tập thể": "collectives", "Cá nhân": "individuals",
    "Khen thưởng": "past_awards", "Hội đồng": "council", "Biểu quyết": "votes", "Nơi nhận": "recipients",
    "Người ký": "signers",
}


class OpenpyxlBook:
    """An openpyxl read-only workbook with :class:`docgen.xlsx.Book`'s interface: the reader's fallback for the
    files the fast reader does not fully understand, and the reference the fast reader is tested against."""

    def __init__(self, wb):
        self.wb = wb
        self.worksheets = wb.worksheets

    def rows(self, ws, messages: list[str]):
        """(Excel row, values, font names) of every row holding a value; openpyxl's warnings are left to the
        caller's ``warnings.catch_warnings``."""
        ws.reset_dimensions()
        for r, row in enumerate(ws.iter_rows(), start=1):
            values, fonts = _row_values(row)
            if values is not None:
                yield r, values, fonts

    def close(self) -> None:
        self.wb.close()


def _row_values(row) -> tuple[list[Any] | None, list[str | None]]:
    """(values, font names) of a row; (None, []) when every cell is blank."""
    values, fonts = [], []
    any_value = False
    for cell in row:
        v = getattr(cell, "value", None)
        if isinstance(v, str) and not v.strip():
            v = None
        values.append(v)
        font = None
        if isinstance(v, str):
            try:
                font = cell.font.name
            except Exception:  # pragma: no cover - style table damaged
                font = None
        fonts.append(font)
        any_value = any_value or v is not None
    return (values, fonts) if any_value else (None, [])


_DATE_OUT_OF_RANGE = re.compile(r"Cell ([A-Z]{1,3})(\d+) is marked as a date but the serial value (\S+) is outside")


def canonical_authority(text: str) -> str | None:
    """The one spelling of a signing authority: "kt" / "K.T" / "KT." → "KT."; "" stays ""; None when the text
    names no authority.  Records carry this form, so later stages compare with "KT.", "TM." … as is."""
    key = fold(text).replace(".", "").replace("/", "").replace(" ", "")
    return {"tm": "TM.", "kt": "KT.", "tl": "TL.", "tuq": "TUQ.", "q": "Q.", "": ""}.get(key)


def _short(text: str, n: int = 40) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= n else text[: n - 1] + "…"


def _num_text(value: float) -> str:
    return (str(int(value)) if float(value).is_integer() else str(value)).replace(".", ",")
