"""Nơi nhận: the label "Nơi nhận:" (cỡ 12, đậm, nghiêng); each item "- …;" cỡ 11, đứng; the last item ends with
"." and is "- Lưu: VT, …"; the first item is "- Như trên;" (Tờ trình, Báo cáo, Công văn) or "- Như Điều 3;"
(Quyết định).  Biên bản and the Báo cáo thành tích forms have no Nơi nhận.
"""
from __future__ import annotations

import re

from ..document import Line
from ..layout import INITIALS
from ..lines import all_bold, all_italic, any_italic, size_problem
from ..report import CANH_BAO, DOC_TYPES, LOI
from ...text import fold
from .base import Check, Context

NHU_TREN_TYPES = {"TTr", "BC", "CV"}


def check_blocks(ctx: Context) -> None:
    for block in ctx.layout.signature.noi_nhan:
        _check_label(ctx, block.label)
        # drop the drafter's initials and copy count that may follow the Lưu line ("PL.(30)")
        items = block.items
        while items and INITIALS.match(items[-1].text) and not items[-1].text.startswith("-"):
            items = items[:-1]
        if not items:
            ctx.out.add("ND30-NOINHAN-LUU", "Phần nơi nhận không có dòng nào; tối thiểu \"- Lưu: VT, …\".",
                        block.label.where, block.label.text)
            continue
        _check_items(ctx, items)
        _check_luu(ctx, items)
        _check_first(ctx, items[0])


def _check_label(ctx: Context, label: Line) -> None:
    problems = []
    if label.text.rstrip() != "Nơi nhận:":
        problems.append("phải viết \"Nơi nhận:\"")
    problems += size_problem(label, 12, 12)
    if not all_bold(label):
        problems.append("không đậm")
    if not all_italic(label):
        problems.append("không nghiêng")
    if problems:
        ctx.out.add("ND30-NOINHAN-LABEL", "Chữ \"Nơi nhận:\": " + ", ".join(problems) + ".", label.where,
                    label.text)


def _check_items(ctx: Context, items: tuple[Line, ...]) -> None:
    for k, item in enumerate(items):
        text = item.text
        last = k == len(items) - 1
        sub_item = bool(re.match(r"^\+\s+\S", text))      # "+ Phòng 1;" under "- Các đơn vị:"
        if not re.match(r"^-\s+\S", text) and not sub_item:
            ctx.out.add("ND30-NOINHAN-DASH", "Mỗi nơi nhận bắt đầu bằng \"- \".", item.where, text)
        item_problems = []
        item_problems += size_problem(item, 11, 11)
        if any_italic(item):
            item_problems.append("in nghiêng")
        if item_problems:
            ctx.out.add("ND30-NOINHAN-FORMAT", "Dòng nơi nhận: " + ", ".join(item_problems) + ".", item.where,
                        text, group=tuple(item_problems))
        opens_list = text.endswith(":") and not last and not items[k + 1].text.startswith("-")
        if not last and not text.endswith(";") and not opens_list:
            ctx.out.add("ND30-NOINHAN-PUNCT", f"Nơi nhận kết thúc bằng \"{text[-1]}\"; phải kết thúc bằng \";\".",
                        item.where, text)
        if last and not text.endswith("."):
            ctx.out.add("ND30-NOINHAN-PUNCT", "Dòng nơi nhận cuối cùng phải kết thúc bằng dấu \".\".",
                        item.where, text)


def _check_luu(ctx: Context, items: tuple[Line, ...]) -> None:
    luu = [k for k, item in enumerate(items) if fold(item.text.lstrip("- ")).startswith("luu")]
    if not luu:
        ctx.out.add("ND30-NOINHAN-LUU", "Thiếu dòng \"- Lưu: VT, …\" ở cuối phần nơi nhận.", items[-1].where,
                    items[-1].text)
        return
    line = items[luu[-1]]
    if luu[-1] != len(items) - 1:
        ctx.out.add("ND30-NOINHAN-LUU", "Dòng \"- Lưu: …\" phải là dòng cuối cùng của phần nơi nhận.",
                    line.where, line.text)
    if "VT" not in line.text:
        ctx.out.add("ND30-NOINHAN-LUU", "Dòng lưu phải có \"VT\" (Văn thư): \"- Lưu: VT, …\".",
                    line.where, line.text, severity=CANH_BAO)


def _check_first(ctx: Context, item: Line) -> None:
    dtype = ctx.doc_type
    first = fold(item.text.lstrip("- ").strip())
    if dtype in NHU_TREN_TYPES and not ctx.layout.achievement_report and not first.startswith("nhu tren"):
        ctx.out.add("ND30-NOINHAN-FIRST", f"{DOC_TYPES[dtype]}: dòng nơi nhận đầu tiên là \"- Như trên;\".",
                    item.where, item.text)
    if dtype == "QĐ" and not re.match(r"^nhu dieu \d+", first):
        ctx.out.add("ND30-NOINHAN-FIRST", "Quyết định: dòng nơi nhận đầu tiên là \"- Như Điều 3;\" (Điều giao "
                    "trách nhiệm thi hành).", item.where, item.text)


def check_present(ctx: Context) -> None:
    dtype = ctx.doc_type
    if not ctx.layout.signature.noi_nhan and dtype != "BB" and not ctx.layout.achievement_report and ctx.blocks:
        ctx.out.add("ND30-NOINHAN-MISSING", "Không thấy phần \"Nơi nhận:\" ở cuối văn bản.", "cuối văn bản",
                    severity=LOI if dtype is not None else CANH_BAO)


CHECKS: list[Check] = [check_blocks, check_present]
