"""Phụ lục: the word "Phụ lục" đậm, căn giữa; its name in hoa, đậm; the "(Kèm theo …)" line nghiêng, căn giữa."""
from __future__ import annotations

import re

from ..document import Paragraph
from ..lines import all_bold, all_italic, is_upper
from ...text import fold
from .base import Check, Context


def _check_heading(ctx: Context, p: Paragraph, nxt: Paragraph | None) -> None:
    problems = []
    if not all_bold(p):
        problems.append("không đậm")
    if not p.props.centered:
        problems.append("không căn giữa")
    if problems:
        ctx.out.add("ND30-PHULUC-FORMAT", "Chữ \"Phụ lục\": " + ", ".join(problems) + ".", p.where, p.text)
    if nxt is not None and not nxt.text.startswith("("):
        problems = []
        if not is_upper(nxt.text):
            problems.append("phải in hoa")
        if not all_bold(nxt):
            problems.append("không đậm")
        if problems:
            ctx.out.add("ND30-PHULUC-FORMAT", "Tên phụ lục: " + ", ".join(problems) + ".", nxt.where, nxt.text)


def _check_kem_theo(ctx: Context, p: Paragraph) -> None:
    problems = []
    if not all_italic(p):
        problems.append("không nghiêng")
    if not p.props.centered:
        problems.append("không căn giữa")
    if problems:
        ctx.out.add("ND30-PHULUC-FORMAT", "Dòng \"(Kèm theo …)\": " + ", ".join(problems) + ".", p.where, p.text)


def check_appendix(ctx: Context) -> None:
    tail = [b for b in ctx.blocks[ctx.layout.tail_start:] if isinstance(b, Paragraph) and b.text]
    for k, p in enumerate(tail):
        if re.fullmatch(r"phu luc(\s+[ivxlc\d]+)?\.?", fold(p.text)):
            _check_heading(ctx, p, tail[k + 1] if k + 1 < len(tail) else None)
        if fold(p.text).startswith("(kem theo"):
            _check_kem_theo(ctx, p)


CHECKS: list[Check] = [check_appendix]
