"""Build small workbooks in tests, the way clerks really fill them (title rows, renamed headers...)."""
from __future__ import annotations

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
                    ws.cell(row=r, column=c, value=v)
    for (title, r, c), font in (fonts or {}).items():
        wb[title].cell(row=r, column=c).font = Font(name=font)
    wb.save(path)
    return path


def messages(problems: Iterable) -> list[str]:
    return [p.format() for p in problems]
