"""The body (nội dung): cỡ 13–14, căn đều hai lề, thụt đầu dòng 1–1,27 cm, cách đoạn tối thiểu 6 pt, cách dòng
từ đơn đến 1,5 dòng; the "Kính gửi" line; the body ends with "./."; numbers written with words agree.
"""
from __future__ import annotations

import re

from ...vietnamese import words_to_number
from ..document import Paragraph, Table
from ..lines import (any_italic, is_typed_rule, is_upper, num, out_of, size_problem, size_text, sizes,
                     text_segments)
from ...text import fold
from . import can_cu
from .base import Check, Context

INDENT_MIN, INDENT_MAX = 567, 720            # 1 cm and 1.27 cm
INDENT_TOLERANCE = 8                         # "2 characters" at 14 pt is 560 twips
_ALIGN_NAMES = {"left": "căn trái", "start": "căn trái", None: "căn trái", "right": "căn phải", "end": "căn phải",
                "center": "căn giữa"}
# "05 (năm)", "02 (hai) tập thể", "760.000 đồng (Bảy trăm sáu mươi nghìn đồng)", "… (bằng chữ: …)"
_NUM_WORDS = re.compile(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})+|\d+)(?![\d.,/]\d)\s*(?:đồng\s*)?\(\s*"
                        r"(?:[Bb]ằng chữ\s*:\s*)?([^\W\d_]+(?:[ ,]+[^\W\d_]+)*)\s*\)")
_MONEY_TAIL = re.compile(r"[\s,]*\bđồng(\s+chẵn)?$")


def prose_paragraphs(ctx: Context) -> list[Paragraph]:
    """The body paragraphs held to the prose rules: not "Kính gửi" and its list, headings, centred lines."""
    checked: list[Paragraph] = []
    in_kinh_gui = False
    for p in ctx.body_paragraphs():
        text = p.text
        if not text:
            continue
        if fold(text).startswith("kinh gui"):
            in_kinh_gui = True
            continue
        if in_kinh_gui and text.startswith(("-", "+", "•")):
            continue
        in_kinh_gui = False
        if text == "./." or p.props.centered or is_upper(text) or is_typed_rule(text):
            continue
        checked.append(p)
    return checked


def check_kinh_gui(ctx: Context) -> None:
    for p in ctx.body_paragraphs():
        if not p.text or not fold(p.text).startswith("kinh gui"):
            continue
        problems = []
        problems += size_problem(p, 13, 14)
        if any_italic(p):
            problems.append("in nghiêng")
        if problems:
            ctx.out.add("ND30-KINHGUI-FORMAT", "Dòng \"Kính gửi\": " + ", ".join(problems) + ".", p.where, p.text)


def check_paragraphs(ctx: Context) -> None:
    checked = prose_paragraphs(ctx)
    for k, p in enumerate(checked):
        _check_paragraph(ctx, p, checked[k - 1] if k else None, checked[k + 1] if k + 1 < len(checked) else None)


def _check_paragraph(ctx: Context, p: Paragraph, prev: Paragraph | None, nxt: Paragraph | None) -> None:
    props = p.props
    bad = out_of(sizes(p), 13, 14)
    if bad:
        ctx.out.add("ND30-BODY-SIZE", f"Cỡ chữ phần nội dung {size_text(bad)}; phải 13–14 pt.", p.where, p.text,
                    group=(tuple(sorted(bad)),))
    if not props.justified:
        ctx.out.add("ND30-BODY-ALIGN", f"Đoạn văn {_ALIGN_NAMES.get(props.jc, props.jc)}; nội dung phải căn đều "
                    "hai lề.", p.where, p.text, group=(props.jc,))
    main_size = max((s.props.size for s in text_segments(p)), default=28)
    first = props.first_line_twips(main_size)
    if not INDENT_MIN - INDENT_TOLERANCE <= first <= INDENT_MAX + INDENT_TOLERANCE:
        ctx.out.add("ND30-BODY-INDENT", f"Thụt đầu dòng {num(first / 567, 2)} cm; phải 1–1,27 cm.", p.where, p.text,
                    group=(first,))
    before, after = props.spacing_before(), props.spacing_after()
    if props.contextual:
        if prev is not None and prev.props.style_id == props.style_id:
            before = 0
        if nxt is not None and nxt.props.style_id == props.style_id:
            after = 0
    if max(before, after) < 120 - 2:
        ctx.out.add("ND30-BODY-SPACING", f"Khoảng cách đoạn {num(max(before, after) / 20)} pt; tối thiểu "
                    "6 pt (trước hoặc sau đoạn).", p.where, p.text, group=(max(before, after),))
    _check_line_spacing(ctx, p, main_size)


def _check_line_spacing(ctx: Context, p: Paragraph, main_size: float) -> None:
    rule, line = p.props.line_rule or "auto", p.props.line
    if rule == "exact":
        ctx.out.add("ND30-BODY-LINE", "Khoảng cách dòng \"Exactly\" (cố định); dùng từ đơn đến 1,5 dòng.",
                    p.where, p.text, group=("exact",))
    elif rule == "auto" and line is not None and not 240 - 2 <= line <= 360 + 2:
        ctx.out.add("ND30-BODY-LINE", f"Khoảng cách dòng {num(line / 240, 2)} dòng; phải từ 1 đến 1,5 dòng.",
                    p.where, p.text, group=(line,))
    elif rule == "atLeast" and line is not None and line > main_size * 10 * 1.5 * 1.15 + 2:
        ctx.out.add("ND30-BODY-LINE", f"Khoảng cách dòng \"At least\" {num(line / 20)} pt vượt 1,5 dòng.",
                    p.where, p.text, group=("atLeast", line))


def check_body_end(ctx: Context) -> None:
    """The last text of the body (a paragraph, or the last cell text when a table ends it) ends "./."."""
    lay = ctx.layout
    for block in reversed(ctx.blocks[lay.body_start: lay.sig_start]):
        if isinstance(block, Table):
            cells = [p for p in block.paragraphs() if p.text]
            last = cells[-1] if cells else None
        else:
            last = block if block.text else None
        if last is None:
            continue
        if not last.text.endswith("./."):
            ctx.out.add("ND30-BODY-END", "Phần nội dung phải kết thúc bằng dấu \"./.\".", last.where, last.text)
        return


def check_number_words(ctx: Context) -> None:
    """"05 (năm)", "760.000 đồng (Bảy trăm sáu mươi nghìn đồng)": the words say the same number."""
    for p in ctx.doc.paragraphs:
        text = p.text
        if "(" not in text:
            continue
        for m in _NUM_WORDS.finditer(text):
            digits, words = m.group(1), m.group(2)
            spoken = _MONEY_TAIL.sub("", words.lower()).strip(" ,")
            if not spoken:
                continue
            try:
                value = words_to_number(spoken)
            except (ValueError, KeyError, TypeError, ArithmeticError, LookupError):
                continue
            if float(value) != float(int(digits.replace(".", ""))):
                ctx.out.add("ND30-NUMWORDS", f"\"{m.group(0)}\": chữ \"{words}\" là {num(float(value))}, "
                            f"không khớp số {digits}.", p.where, m.group(0))


CHECKS: list[Check] = [check_kinh_gui, check_paragraphs, *can_cu.CHECKS, check_body_end, check_number_words]
