"""Document type: the type asked for (``--loai``) against the type the title shows."""
from __future__ import annotations

from ..report import DOC_TYPES
from .base import Check, Context


def check_type(ctx: Context) -> None:
    inferred = ctx.layout.inferred_type
    if ctx.given_type is None:
        if inferred is None:
            ctx.out.add("ND30-TYPE-UNKNOWN", "Không xác định được loại văn bản: không thấy tên loại "
                        "(KẾ HOẠCH, TỜ TRÌNH, …) hay trích yếu \"V/v\"; hãy chỉ định bằng --loai.", "đầu văn bản")
    elif inferred is not None and inferred != ctx.given_type:
        ctx.out.add("ND30-TYPE-MISMATCH", f"Đã chỉ định loại {DOC_TYPES[ctx.given_type]} "
                    f"({ctx.given_type}) nhưng văn bản ghi là {DOC_TYPES[inferred]} ({inferred}).", "đầu văn bản")


CHECKS: list[Check] = [check_type]
