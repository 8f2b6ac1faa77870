"""Tên loại and trích yếu: tên loại in hoa, đậm, cỡ 13–14, căn giữa; trích yếu đậm, căn giữa, chữ thường, không
"V/v"; a solid rule under the trích yếu.
"""
from __future__ import annotations

from ..document import Line, Paragraph
from ..lines import all_bold, is_upper, para_of, size_problem
from ...text import fold
from .base import Check, Context
from .hline import report_rule, rule_state


def _bold_size(unit: Paragraph | Line) -> list[str]:
    problems = []
    if not all_bold(unit):
        problems.append("không đậm")
    problems += size_problem(unit, 13, 14)
    return problems


def check_title(ctx: Context) -> None:
    lay = ctx.layout
    if lay.title is None:
        return
    title = lay.title_unit
    assert title is not None
    problems = [] if is_upper(title.text) else ["phải in hoa"]
    problems += _bold_size(title)
    if not para_of(title).props.centered:
        problems.append("không căn giữa")
    if problems:
        ctx.out.add("ND30-TITLE-FORMAT", "Tên loại văn bản: " + ", ".join(problems) + ".", title.where, title.text)
    for more in lay.title_more:
        problems = _bold_size(more)
        if problems:
            ctx.out.add("ND30-TITLE-FORMAT", "Dòng tên văn bản: " + ", ".join(problems) + ".", more.where,
                        more.text)


def check_trich_yeu(ctx: Context) -> None:
    lay = ctx.layout
    if lay.title is None:
        return
    if not lay.trich_yeu:
        if ctx.doc_type not in (None, "CV") and not lay.title_more:
            assert lay.title_unit is not None
            ctx.out.add("ND30-TRICHYEU-MISSING", "Không thấy trích yếu nội dung (chữ đậm, căn giữa) dưới tên "
                        "loại văn bản.", lay.title_unit.where, lay.title_unit.text)
        return
    for p in lay.trich_yeu:
        if fold(p.text).startswith("v/v"):
            ctx.out.add("ND30-TITLE-VV", "Văn bản có tên loại không dùng \"V/v\" trong trích yếu.", p.where, p.text)
        problems = []
        if not all_bold(p):
            problems.append("không đậm")
        if not p.paragraph.props.centered:
            problems.append("không căn giữa")
        problems += size_problem(p, 13, 14)
        if is_upper(p.text) and len(p.text) > 3:
            problems.append("in hoa toàn bộ (trích yếu viết chữ thường)")
        if problems:
            ctx.out.add("ND30-TRICHYEU-FORMAT", "Trích yếu: " + ", ".join(problems) + ".", p.where, p.text,
                        group=(id(p.paragraph), tuple(problems)))
    last = lay.trich_yeu[-1]
    container_paras = [b for b in ctx.blocks[lay.title: lay.body_start + 4] if isinstance(b, Paragraph)]
    following = [b for b in ctx.blocks[lay.body_start: lay.body_start + 3] if isinstance(b, Paragraph)]
    shapes = any(p.has_shape for p in container_paras)
    state, _ = rule_state(last, following, shapes, False)
    report_rule(ctx, state, last, "trích yếu")


CHECKS: list[Check] = [check_title, check_trich_yeu]
