"""Write campaign workbooks: the empty one of ``docgen init`` and filled ones (the bundled examples).

Everything comes from :mod:`docgen.schema`: sheet order, headers, widths, the Hướng dẫn sheet and the
dropdown lists (Excel data validation pointing at a hidden "Danh mục" sheet, which works in Excel and
LibreOffice alike and has no 255-character limit).
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from . import schema

HEADER_FONT = Font(name="Times New Roman", bold=True, size=12)
BODY_FONT = Font(name="Times New Roman", size=12)
NOTE_FONT = Font(name="Times New Roman", size=11, italic=True, color="555555")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
VALIDATED_ROWS = 500
LIST_SHEET = "Danh mục"
GUIDE_SHEET = "Hướng dẫn"


def _vocab_lists() -> dict[str, tuple[str, ...]]:
    """Every dropdown list, by the name shown in the Danh mục sheet and the Hướng dẫn sheet."""
    from . import rules

    return {
        "Loại khen thưởng": schema.AWARD_KINDS,
        "Hình thức đề nghị": tuple(rules.award_names()),
        "Giới tính": schema.GENDERS,
        "Vai trò": schema.ROLES,
        "Có mặt": schema.PRESENCE,
        "Quyền hạn": schema.AUTHORITIES,
        "Văn bản": schema.DOC_TYPES,
    }


_FIXED_VOCABS = {
    "Loại khen thưởng": schema.AWARD_KINDS, "Giới tính": schema.GENDERS, "Vai trò": schema.ROLES,
    "Có mặt": schema.PRESENCE, "Quyền hạn": schema.AUTHORITIES, "Văn bản": schema.DOC_TYPES,
}


def _vocab_name(vocab) -> str | None:
    """The dropdown list a key or column declares (``None``: free text)."""
    if vocab is None:
        return None
    if vocab == schema.AWARD_VOCAB:
        return "Hình thức đề nghị"
    for name, values in _FIXED_VOCABS.items():
        if tuple(vocab) == tuple(values):
            return name
    return None


def _style_header(ws, row: int, ncols: int) -> None:
    for c in range(1, ncols + 1):
        cell = ws.cell(row=row, column=c)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    ws.row_dimensions[row].height = 32


def _write_value(cell, value: Any) -> None:
    cell.value = value
    cell.font = BODY_FONT
    cell.alignment = Alignment(vertical="top", wrap_text=isinstance(value, str) and len(value) > 30)
    if hasattr(value, "year") and hasattr(value, "month"):
        cell.number_format = "DD/MM/YYYY"


class _Dropdowns:
    """The hidden "Danh mục" sheet holding the dropdown lists, and the data validations pointing at it."""

    def __init__(self, wb: Workbook, vocabs: Mapping[str, Sequence[str]]):
        self.ranges: dict[str, str] = {}
        lists = wb.create_sheet(LIST_SHEET)
        for c, (name, values) in enumerate(vocabs.items(), start=1):
            lists.cell(row=1, column=c, value=name).font = HEADER_FONT
            for r, v in enumerate(values, start=2):
                lists.cell(row=r, column=c, value=v)
            letter = get_column_letter(c)
            self.ranges[name] = f"{quote_sheetname(LIST_SHEET)}!${letter}$2:${letter}${len(values) + 1}"
            lists.column_dimensions[letter].width = 40
        lists.sheet_state = "hidden"

    def add(self, ws, vocab_name: str, ref: str) -> None:
        # the award list is a suggestion (a campaign may name its own award); the others are strict
        dv = DataValidation(type="list", formula1=self.ranges[vocab_name], allow_blank=True,
                            showErrorMessage=vocab_name != "Hình thức đề nghị",
                            errorTitle="Giá trị không hợp lệ",
                            error=f"Chọn một giá trị trong danh sách {vocab_name}.",
                            promptTitle=vocab_name, prompt="Chọn trong danh sách.")
        dv.showInputMessage = True
        ws.add_data_validation(dv)
        dv.add(ref)


def write_workbook(
    path: Path,
    info: Mapping[str, Any] | None = None,
    tables: Mapping[str, Sequence[Mapping[str, Any] | Sequence[Any]]] | None = None,
    rule_settings: Mapping[str, Any] | None = None,
    extra_columns: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    """Write a campaign workbook.

    ``info`` maps Thông tin labels to values; ``tables`` maps sheet names to rows (dicts keyed by
    header, or sequences in column order); ``extra_columns`` adds metric columns per sheet;
    ``rule_settings`` fills the "Quy tắc" sheet.  With no data this is the empty workbook of
    ``docgen init``.
    """
    tables = dict(tables or {})
    extra_columns = dict(extra_columns or {})
    vocabs = _vocab_lists()

    wb = Workbook()
    guide = wb.active
    guide.title = GUIDE_SHEET
    dropdowns = _Dropdowns(wb, vocabs)
    _write_info(wb.create_sheet(schema.INFO.name), dict(info or {}), dropdowns)
    for spec in schema.TABLE_SHEETS:
        _write_table(wb.create_sheet(spec.name), spec, tables.get(spec.name, ()),
                     list(extra_columns.get(spec.name, ())), dropdowns)
    _write_rule_settings(wb.create_sheet(schema.RULE_SETTINGS_SHEET), dict(rule_settings or {}))
    _write_guide(guide, vocabs)

    wb.move_sheet(LIST_SHEET, offset=len(wb.sheetnames))
    wb.active = 1
    for sheet in wb.worksheets:
        sheet.sheet_view.tabSelected = sheet.title == schema.INFO.name
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _write_info(ws, info: dict[str, Any], dropdowns: _Dropdowns) -> None:
    """Thông tin: every declared key with its note, then the caller's own keys."""
    headers = [schema.INFO.key_header, schema.INFO.value_header, "Hướng dẫn"]
    for c, h in enumerate(headers, start=1):
        ws.cell(row=1, column=c, value=h)
    _style_header(ws, 1, len(headers))
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 60
    ws.column_dimensions["C"].width = 60
    for r, key in enumerate(schema.INFO.keys, start=2):
        label_cell = ws.cell(row=r, column=1, value=key.label)
        label_cell.font = Font(name="Times New Roman", size=12, bold=key.required)
        _write_value(ws.cell(row=r, column=2), info.pop(key.label, None))
        note = key.description + (" (bắt buộc)" if key.required else "")
        ws.cell(row=r, column=3, value=note).font = NOTE_FONT
        if key.vocab:
            dropdowns.add(ws, _vocab_name(key.vocab), f"B{r}")
    for r, (label, value) in enumerate(info.items(), start=len(schema.INFO.keys) + 2):
        ws.cell(row=r, column=1, value=label).font = BODY_FONT
        _write_value(ws.cell(row=r, column=2), value)


def _write_table(ws, spec: schema.TableSheet, rows: Sequence[Mapping[str, Any] | Sequence[Any]],
                 extra_columns: list[str], dropdowns: _Dropdowns) -> None:
    """A table sheet: the declared headers, then the metric columns; dropdowns on vocabulary columns."""
    cols = [c.header for c in spec.columns] + extra_columns
    for c, h in enumerate(cols, start=1):
        ws.cell(row=1, column=c, value=h)
        width = spec.columns[c - 1].width if c <= len(spec.columns) else 16
        ws.column_dimensions[get_column_letter(c)].width = width
    _style_header(ws, 1, len(cols))
    for c, col in enumerate(spec.columns, start=1):
        name = _vocab_name(col.vocab)
        if name:
            letter = get_column_letter(c)
            dropdowns.add(ws, name, f"{letter}2:{letter}{VALIDATED_ROWS}")
    for r, row in enumerate(rows, start=2):
        values = [row.get(h) for h in cols] if isinstance(row, Mapping) else list(row)
        for c, v in enumerate(values, start=1):
            if v is not None and v != "":
                _write_value(ws.cell(row=r, column=c), v)


def _write_rule_settings(ws, rule_settings: dict[str, Any]) -> None:
    """Quy tắc (optional rules preset and overrides): every setting of docgen.rules, then the caller's own."""
    from . import rules

    for c, h in enumerate(("Mục", "Giá trị", "Hướng dẫn"), start=1):
        ws.cell(row=1, column=c, value=h)
    _style_header(ws, 1, 3)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 80
    for r, setting in enumerate(rules.SETTINGS, start=2):
        ws.cell(row=r, column=1, value=setting.label).font = BODY_FONT
        _write_value(ws.cell(row=r, column=2), rule_settings.pop(setting.label, None))
        ws.cell(row=r, column=3, value=setting.description).font = NOTE_FONT
        allowed = getattr(setting, "allowed", None)
        if allowed:
            dv = DataValidation(type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True)
            if len(dv.formula1) <= 255:
                ws.add_data_validation(dv)
                dv.add(f"B{r}")
    for r, (label, value) in enumerate(rule_settings.items(), start=len(rules.SETTINGS) + 2):
        ws.cell(row=r, column=1, value=label).font = BODY_FONT
        _write_value(ws.cell(row=r, column=2), value)


def _write_guide(ws, vocabs: Mapping[str, Iterable[str]]) -> None:
    from . import rules

    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 28
    ws.column_dimensions["C"].width = 70
    ws.column_dimensions["D"].width = 40
    title = ws.cell(row=1, column=1, value="HƯỚNG DẪN ĐIỀN HỒ SƠ THI ĐUA - KHEN THƯỞNG")
    title.font = Font(name="Times New Roman", bold=True, size=14)
    ws.cell(row=2, column=1, value=(
        "Mỗi sheet một loại thông tin. Không đổi tên cột; có thể thêm cột mới (ví dụ chỉ tiêu thi đua): "
        "docgen đưa cột đó vào mẫu văn bản với tên biến không dấu. Kiểm tra bằng lệnh: docgen validate ho-so.xlsx"
    )).font = Font(name="Times New Roman", italic=True, size=11)
    r = 4
    for c, h in enumerate(("Sheet", "Cột / Mục", "Ý nghĩa", "Ví dụ"), start=1):
        ws.cell(row=r, column=c, value=h)
    _style_header(ws, r, 4)
    r += 1

    def line(sheet: str, name: str, meaning: str, example: str, required: bool = False) -> None:
        nonlocal r
        values = (sheet, name + (" *" if required else ""), meaning, example)
        for c, v in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c, value=v)
            cell.font = BODY_FONT
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = BORDER
        r += 1

    for key in schema.INFO.keys:
        line(schema.INFO.name, key.label, key.description, key.example, key.required)
    for spec in schema.TABLE_SHEETS:
        line(spec.name, "(sheet)", spec.description, "")
        for col in spec.columns:
            meaning = col.description
            name = _vocab_name(col.vocab)
            if name:
                meaning += " Chọn trong danh sách."
            line(spec.name, col.header, meaning, col.example, col.required)
    for setting in rules.SETTINGS:
        line(schema.RULE_SETTINGS_SHEET, setting.label, setting.description, str(setting.example or ""))
    r += 1
    ws.cell(row=r, column=1, value="Danh mục giá trị").font = HEADER_FONT
    r += 1
    for name, values in vocabs.items():
        ws.cell(row=r, column=1, value=name).font = BODY_FONT
        c = ws.cell(row=r, column=3, value="; ".join(values))
        c.font = BODY_FONT
        c.alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    ws.cell(row=r + 1, column=1, value="(*) bắt buộc.").font = Font(name="Times New Roman", italic=True, size=11)
