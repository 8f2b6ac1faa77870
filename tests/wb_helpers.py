"""Build small workbooks in tests, the way clerks really fill them (title rows, renamed headers...)."""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any, Iterable, Sequence

from openpyxl import Workbook

MINIMAL_INFO = [
    ("Mục", "Giá trị"),
    ("Cơ quan ban hành", "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
    ("Ký hiệu cơ quan", "VKSCB"),
    ("Đơn vị soạn thảo", "VP"),
    ("Địa danh", "Cao Bằng"),
    ("Tên phong trào", "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"),
    ("Loại khen thưởng", "Hằng năm"),
    ("Năm", 2026),
]


_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_MARK = "\ue000"


def _mark_illegal(value: Any) -> Any:
    """openpyxl refuses control characters; Excel stores them as _xHHHH_ escapes. Mark them here and
    write the escapes into the saved XML, as Excel would."""
    if isinstance(value, str) and _ILLEGAL.search(value):
        return _ILLEGAL.sub(lambda m: f"{_MARK}{ord(m.group()):02X}", value)
    return value


def _escape_marks(path: Path) -> None:
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    if not any(b"&#57344;" in d for d in items.values()):
        return
    pattern = re.compile(rb"&#57344;([0-9A-F]{2})")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, d in items.items():
            zout.writestr(n, pattern.sub(rb"_x00\1_", d))


def make_workbook(path: Path, sheets: dict[str, Sequence[Sequence[Any]]], *, fonts: dict | None = None) -> Path:
    """``sheets`` maps a sheet title to its rows (lists of cell values, written from A1).
    ``fonts`` maps (sheet, row, col) (1-based) to a font name."""
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                if v is not None:
                    ws.cell(row=r, column=c, value=_mark_illegal(v))
    for (title, r, c), font in (fonts or {}).items():
        wb[title].cell(row=r, column=c).font = Font(name=font)
    wb.save(path)
    _escape_marks(path)
    return path


def messages(problems: Iterable) -> list[str]:
    return [p.format() for p in problems]
