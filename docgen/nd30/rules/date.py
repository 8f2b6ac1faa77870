"""Địa danh, ngày tháng năm: "Cao Bằng, ngày 05 tháng 01 năm 2026" — in nghiêng, cỡ 13–14, không đậm;
số 0 trước ngày 1–9 và tháng 1, 2; năm đủ bốn chữ số; một ngày có thật.  Biên bản không có dòng này.
"""
from __future__ import annotations

import datetime as _dt
import re

from ..document import Line
from ..lines import all_italic, any_bold, size_problem
from .base import Check, Context
from .so_ky_hieu import DRAFT_BLANK

DATE = re.compile(r"^(?P<place>.*?)(?P<comma>,?)\s*ngày\s*(?P<d>\S*?)\s*tháng\s*(?P<m>\S*?)\s*năm\s*(?P<y>\S*?)\s*\.?$",
                  re.IGNORECASE)


def check_date(ctx: Context) -> None:
    date, dtype = ctx.layout.header.date, ctx.doc_type
    if date is None:
        if dtype not in ("BB", None):
            ctx.out.add("ND30-DATE-MISSING", "Không thấy dòng địa danh, ngày tháng năm ban hành "
                        "(\"Cao Bằng, ngày 05 tháng 01 năm 2026\").", "đầu văn bản")
        return
    where, text = date.where, date.text
    if dtype == "BB":
        ctx.out.add("ND30-DATE-BB", "Biên bản không ghi địa danh, ngày tháng ở phần đầu; thời gian, địa điểm "
                    "ghi trong nội dung biên bản.", where, text)
    problems = []
    if not all_italic(date):
        problems.append("phải in nghiêng")
    problems += size_problem(date, 13, 14)
    if any_bold(date):
        problems.append("không in đậm")
    m = DATE.match(text)
    if m is None:
        ctx.out.add("ND30-DATE-FORMAT", "Dòng ngày tháng phải có dạng \"<Địa danh>, ngày … tháng … năm …\".",
                    where, text)
        return
    if not m.group("place").strip():
        problems.append("thiếu địa danh trước ngày tháng")
    if problems:
        ctx.out.add("ND30-DATE-FORMAT", "Dòng địa danh, ngày tháng: " + "; ".join(problems) + ".", where, text)
    if m.group("place").strip() and not m.group("comma"):
        ctx.out.add("ND30-DATE-COMMA", "Thiếu dấu phẩy sau địa danh (\"Cao Bằng, ngày …\").", where, text)
    _check_numbers(ctx, date, m.group("d"), m.group("m"), m.group("y"))


def _check_numbers(ctx: Context, date: Line, day: str, month: str, year: str) -> None:
    where, text = date.where, date.text
    values: dict[str, int | None] = {}
    for name, raw in (("ngày", day), ("tháng", month), ("năm", year)):
        if DRAFT_BLANK.match(raw) and name != "năm":
            values[name] = None
            continue
        if not raw.isdigit():
            ctx.out.add("ND30-DATE-FORMAT", f"Phần {name} \"{raw}\" phải viết bằng chữ số.", where, text)
            return
        values[name] = int(raw)
    d, mo, y = values["ngày"], values["tháng"], values["năm"]
    if d is not None:
        if 1 <= d <= 9 and len(day) != 2:
            ctx.out.add("ND30-DATE-PAD", f"Ngày {d} phải viết \"0{d}\" (thêm số 0 trước ngày 1–9).", where, text)
        elif d >= 10 and len(day) != 2:
            ctx.out.add("ND30-DATE-PAD", f"Ngày \"{day}\" thừa số 0.", where, text)
    if mo is not None:
        if mo in (1, 2) and len(month) != 2:
            ctx.out.add("ND30-DATE-PAD", f"Tháng {mo} phải viết \"0{mo}\" (chỉ tháng 1, 2 có số 0 phía trước).",
                        where, text)
        elif mo >= 3 and month != str(mo):
            ctx.out.add("ND30-DATE-PAD", f"Tháng \"{month}\" phải viết \"{mo}\" (chỉ tháng 1, 2 có số 0 phía "
                        "trước).", where, text)
    if len(year) != 4:
        ctx.out.add("ND30-DATE-FORMAT", f"Năm \"{year}\" phải viết đủ bốn chữ số.", where, text)
        return
    assert y is not None
    if d is not None and mo is not None:
        try:
            _dt.date(y, mo, d)
        except ValueError:
            ctx.out.add("ND30-DATE-INVALID", f"Không có ngày {d}/{mo}/{y}.", where, text)
    elif mo is not None and not 1 <= mo <= 12:
        ctx.out.add("ND30-DATE-INVALID", f"Không có tháng {mo}.", where, text)


CHECKS: list[Check] = [check_date]
