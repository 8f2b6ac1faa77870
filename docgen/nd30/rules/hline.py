"""Horizontal rules (đường kẻ ngang) under the agency name, the Tiêu ngữ and the trích yếu.

A rule is accepted as: a bottom border of the paragraph (on that line or an empty paragraph after it), a
top border of the next paragraph, a bottom border of the table cell, an underlined line, or a drawn shape.
A rule typed with characters ("_____", "-----") is reported as ND30-RULE-TYPED.
"""
from __future__ import annotations

from ..document import Line, Paragraph
from ..lines import all_underlined, is_typed_rule
from .base import Check, Context


def rule_state(line: Line, following: list[Paragraph], container_shapes: bool,
               cell_bottom: bool) -> tuple[str, Paragraph | None]:
    """("ok" | "typed" | "missing", the paragraph holding a typed rule) for the rule under ``line``."""
    para = line.paragraph
    same_para_after = [ln for ln in para.lines[line.number + 1:]]
    last_in_para = all(not ln.text for ln in same_para_after)
    if last_in_para and "bottom" in para.props.borders:
        return "ok", None
    if para.has_shape or all_underlined(line):
        return "ok", None
    for ln in same_para_after:
        if is_typed_rule(ln.text):
            return "typed", para
        if ln.text:
            break
    if last_in_para:
        for nxt in following[:3]:
            if "top" in nxt.props.borders or nxt.has_shape:
                return "ok", None
            if is_typed_rule(nxt.text):
                return "typed", nxt
            if nxt.text:
                break
            if "bottom" in nxt.props.borders:
                return "ok", None        # an empty paragraph drawn as a line by its bottom border
    if cell_bottom or container_shapes:
        return "ok", None
    return "missing", None


def report_rule(ctx: Context, state: str, line: Line, what: str) -> None:
    if state == "typed":
        ctx.out.add("ND30-RULE-TYPED", f"Đường kẻ dưới {what} được gõ bằng ký tự; hãy dùng đường viền đoạn "
                    "văn (Borders) hoặc hình vẽ đường thẳng.", line.where, line.text)
    elif state == "missing":
        ctx.out.add("ND30-RULE-MISSING", f"Thiếu đường kẻ ngang, nét liền dưới {what}.", line.where, line.text)


def check_rule_under(ctx: Context, line: Line, what: str) -> None:
    """The rule under a header line (Tiêu ngữ, tên cơ quan ban hành), looked for in its container."""
    header = ctx.layout.header
    container = header.container_of(line)
    if container is None:
        return
    paras: list[Paragraph] = []
    for ln in container.lines[container.index(line) + 1:]:
        if ln.paragraph is not line.paragraph and (not paras or paras[-1] is not ln.paragraph):
            paras.append(ln.paragraph)
    shapes_here = any(ln.paragraph.has_shape for ln in container.lines)
    if not container.in_cell:
        shapes_here = shapes_here or any(ln.paragraph.has_shape for c in header.containers for ln in c.lines)
        shapes_here = shapes_here or any(isinstance(b, Paragraph) and b.has_shape
                                         for b in ctx.blocks[: ctx.layout.header_end])
    cell_bottom = False
    cell = line.paragraph.cell
    if cell is not None and "bottom" in cell.borders:
        rest = [ln for ln in container.lines[container.index(line) + 1:] if ln.text and ln.paragraph.cell is cell]
        cell_bottom = not rest
    state, typed = rule_state(line, paras, shapes_here, cell_bottom)
    if typed is not None:
        ctx.typed_reported.add(id(typed))
    report_rule(ctx, state, line, what)


def check_typed_rules_in_header(ctx: Context) -> None:
    """Typed lines left in the header that were not already reported as the rule under something."""
    for line in ctx.layout.header.lines:
        if is_typed_rule(line.text) and id(line.paragraph) not in ctx.typed_reported:
            ctx.typed_reported.add(id(line.paragraph))
            ctx.out.add("ND30-RULE-TYPED", "Dòng kẻ được gõ bằng ký tự; hãy dùng đường viền đoạn văn "
                        "(Borders) hoặc hình vẽ đường thẳng.", line.where, line.text)


CHECKS: list[Check] = [check_typed_rules_in_header]
