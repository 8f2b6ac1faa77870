"""Căn cứ ban hành: the run of "Căn cứ …" lines that opens the body — in nghiêng, each ending with ";", the last
with "." (or "," / ";" when "Xét đề nghị …" / "Thực hiện …" follows).
"""
from __future__ import annotations

from ..document import Paragraph
from ..lines import all_italic
from ...text import fold
from .base import Check, Context

_XET = ("xet ", "theo de nghi", "theo de xuat", "theo to trinh", "theo bao cao", "tren co so", "xet de nghi")


def can_cu_run(body: list[Paragraph]) -> list[Paragraph]:
    """The consecutive "Căn cứ" paragraphs that open the body (within its first three paragraphs)."""
    runs: list[list[Paragraph]] = []
    for k, p in enumerate(body):
        if p.text.startswith(("Căn cứ", "CĂN CỨ")):
            if runs and k > 0 and body[k - 1] is runs[-1][-1]:
                runs[-1].append(p)
            else:
                runs.append([p])
    # the căn cứ block opens the body; a later paragraph that happens to start "Căn cứ …" (a sentence of
    # a report, a quotation) is prose, not a legal basis
    if runs and body.index(runs[0][0]) <= 2:
        return runs[0]
    return []


def check_can_cu(ctx: Context) -> None:
    body = [p for p in ctx.body_paragraphs() if p.text]
    run = can_cu_run(body)
    if not run:
        return
    for p in run:
        if not all_italic(p):
            ctx.out.add("ND30-CANCU-ITALIC", "Dòng căn cứ nên trình bày in nghiêng.", p.where, p.text, group=())
    for p in run[:-1]:
        if not p.text.endswith(";"):
            ctx.out.add("ND30-CANCU-PUNCT", f"Căn cứ kết thúc bằng \"{p.text[-1]}\"; các căn cứ (trừ căn cứ "
                        "cuối) kết thúc bằng dấu \";\".", p.where, p.text)
    last = run[-1]
    k = next(i for i, p in enumerate(body) if p is last)
    nxt = body[k + 1] if k + 1 < len(body) else None
    ending = last.text[-1]
    if ending in ".:":
        return
    # the list may go on: "Căn cứ …;" / "Thực hiện Kế hoạch …;" or "Xét đề nghị của …"
    if ending in ";," and nxt is not None and fold(nxt.text).startswith((*_XET, "thuc hien ")):
        return
    ctx.out.add("ND30-CANCU-PUNCT", f"Căn cứ cuối kết thúc bằng \"{ending}\"; phải kết thúc bằng dấu \".\".",
                last.where, last.text)


CHECKS: list[Check] = [check_can_cu]
