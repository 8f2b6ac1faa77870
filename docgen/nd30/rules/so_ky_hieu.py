"""Số, ký hiệu văn bản: "Số: 05/KH-VKSCB" — cỡ 13, đứng; số có số 0 trước 1–9; ký hiệu không khoảng trắng;
chữ viết tắt tên loại khớp loại văn bản (Phụ lục III); công văn không có chữ viết tắt tên loại.
"""
from __future__ import annotations

import re

from ..document import Line
from ..layout import SO
from ..lines import any_bold, any_italic, out_of, size_text, sizes
from ..report import CANH_BAO, DOC_TYPES, LOI
from ...text import fold
from .base import Check, Context

OLD_CODES = {"gn", "tth", "cv"}
LEGAL_WITH_YEAR = {"NQ", "QĐ", "CT"}       # quy phạm pháp luật may carry the year in the number
DRAFT_BLANK = re.compile(r"^[\s._…]*$")


def check_so(ctx: Context) -> None:
    so = ctx.layout.header.so
    if so is None:
        if ctx.layout.achievement_report:
            return                       # the NĐ 152 achievement-report forms carry no number
        ctx.out.add("ND30-SO-MISSING", "Không thấy số, ký hiệu văn bản (\"Số: 05/…\").", "đầu văn bản")
        return
    where, text = so.where, so.text
    m = SO.match(text)
    assert m is not None
    raw_value = so.raw
    raw_value = raw_value[raw_value.find(":") + 1:] if ":" in raw_value else m.group("value")
    value = raw_value.replace("\u00a0", " ").rstrip()
    problems = []
    bad = out_of(sizes(so), 13, 13)
    if bad:
        severity = CANH_BAO if bad == {12.0} else LOI
        ctx.out.add("ND30-SO-FORMAT", f"Số, ký hiệu: cỡ chữ {size_text(bad)} (phải 13).", where, text,
                    severity=severity)
    if any_bold(so) or any_italic(so):
        problems.append("phải chữ đứng, không đậm")
    if not m.group("colon"):
        problems.append("thiếu dấu hai chấm sau \"Số\"")
    if "/" not in value:
        ctx.out.add("ND30-SO-FORMAT", "Số, ký hiệu phải có dạng \"Số: 05/KH-VKSCB\" (dấu \"/\" giữa số và "
                    "ký hiệu).", where, text)
        return
    number_part, code_part = value.split("/", 1)
    if problems:
        ctx.out.add("ND30-SO-FORMAT", "Số, ký hiệu: " + "; ".join(problems) + ".", where, text)
    if DRAFT_BLANK.match(number_part) is None:
        _check_number(ctx, so, number_part)
    _check_code(ctx, so, code_part)


def _check_number(ctx: Context, so: Line, number_part: str) -> None:
    """The number before "/" (a draft leaves it blank: "Số:     /KH-…")."""
    where, text = so.where, so.text
    number = number_part.strip()
    if number_part.rstrip(" ") != number_part or re.search(r"\d\s+\d", number):
        ctx.out.add("ND30-SO-SPACE", "Số văn bản không được có khoảng trắng trước dấu \"/\" hay giữa các "
                    "chữ số.", where, text)
    digits = number.replace(" ", "")
    if not digits.isdigit():
        ctx.out.add("ND30-SO-FORMAT", f"Số văn bản \"{number}\" không phải số.", where, text)
    elif int(digits) < 10 and len(digits) < 2:
        ctx.out.add("ND30-SO-PAD", f"Số văn bản {digits} nhỏ hơn 10 phải viết \"0{digits}\".", where, text)
    elif int(digits) >= 10 and digits.startswith("0"):
        ctx.out.add("ND30-SO-PAD", f"Số văn bản {digits}: chỉ thêm số 0 trước các số 1–9.", where, text)


def _check_code(ctx: Context, so: Line, code_part: str) -> None:
    """The ký hiệu after "/": [year/]TYPE-AGENCY[-UNIT]."""
    dtype, where, text = ctx.doc_type, so.where, so.text
    code = code_part.strip()
    if code_part != code_part.lstrip() or re.search(r"\s", code):
        ctx.out.add("ND30-SO-SPACE", f"Ký hiệu \"{code}\" không được có khoảng trắng.", where, text)
    code = re.sub(r"\s+", "", code)
    segments = code.split("/")
    if len(segments) > 1 and re.fullmatch(r"\d{4}", segments[0]):
        if dtype not in LEGAL_WITH_YEAR:
            ctx.out.add("ND30-SO-FORMAT", "Văn bản hành chính không ghi năm trong số, ký hiệu.", where, text,
                        severity=CANH_BAO)
        segments = segments[1:]
    code = "/".join(segments)
    groups = code.split("-")
    if not code or any(not g for g in groups):
        ctx.out.add("ND30-SO-FORMAT", f"Ký hiệu \"{code}\" thiếu phần chữ viết tắt (dạng \"KH-VKSCB\").",
                    where, text)
        return
    first = groups[0]
    if dtype == "CV":
        if fold(first) in OLD_CODES:
            ctx.out.add("ND30-SO-OLDCODE", f"Công văn không có chữ viết tắt tên loại (\"{first}\" là ký hiệu "
                        "cũ); dạng đúng \"Số: 05/VKSCB-VP\".", where, text)
        return
    if fold(first) in OLD_CODES:
        expected = f"; dùng \"{dtype}\"" if dtype else ""
        ctx.out.add("ND30-SO-OLDCODE", f"Chữ viết tắt \"{first}\" là ký hiệu cũ, không còn dùng{expected}.",
                    where, text)
    elif dtype is not None and first != dtype:
        if len(groups) == 1:
            ctx.out.add("ND30-SO-TYPE", f"Ký hiệu \"{code}\" thiếu chữ viết tắt tên loại \"{dtype}\" "
                        f"(dạng \"{dtype}-{code}\").", where, text)
        else:
            ctx.out.add("ND30-SO-TYPE", f"Chữ viết tắt tên loại \"{first}\" không khớp loại văn bản "
                        f"{DOC_TYPES[dtype]} (phải \"{dtype}\").", where, text)


CHECKS: list[Check] = [check_so]
