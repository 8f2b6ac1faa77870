"""The Nghị định 30/2020/NĐ-CP rules, one module per part of the document, applied to a
:class:`~docgen.nd30.layout.Layout`.

:func:`run_checks` finds the layout (:mod:`docgen.nd30.layout`), then runs :data:`CHECKS` in order; the
findings come out in that order.  Each rule module ends with its own ``CHECKS`` list:

============== ==================================================================================
doc_type       ND30-TYPE-UNKNOWN, ND30-TYPE-MISMATCH
page           ND30-PAGE-SIZE, -ORIENT, -MARGIN
header         Quốc hiệu, Tiêu ngữ, cơ quan (ND30-QUOCHIEU-*, -TIEUNGU-*, -COQUAN-*, -CHUQUAN-*, -VV-FORMAT)
so_ky_hieu     ND30-SO-* (listed in header.CHECKS)
date           ND30-DATE-* (listed in header.CHECKS)
hline          ND30-RULE-MISSING, ND30-RULE-TYPED (used by header and title)
title          ND30-TITLE-*, ND30-TRICHYEU-*
body           ND30-BODY-*, ND30-KINHGUI-FORMAT, ND30-NUMWORDS
can_cu         ND30-CANCU-* (listed in body.CHECKS)
noi_nhan       ND30-NOINHAN-*
signature      ND30-SIGN-*, ND30-BB-SIGN, ND30-TABLE-BORDER
page_numbers   ND30-PAGENUM-*
appendix       ND30-PHULUC-FORMAT
fonts          ND30-FONT, ND30-FONT-LEGACY, ND30-FONT-UNSET
============== ==================================================================================
"""
from __future__ import annotations

from ..document import Document
from ..layout import find_layout, normalize_doc_type, type_from_title
from ..report import Finding
from . import appendix, body, doc_type, fonts, header, noi_nhan, page, page_numbers, signature, title
from .base import Check, Collector, Context

__all__ = ["CHECKS", "Check", "Collector", "Context", "normalize_doc_type", "run_checks", "type_from_title"]

CHECKS: list[Check] = [
    *doc_type.CHECKS,
    *page.CHECKS,
    *header.CHECKS,
    *title.CHECKS,
    *body.CHECKS,
    *noi_nhan.CHECKS,
    *signature.CHECKS,
    *page_numbers.CHECKS,
    *appendix.CHECKS,
    *fonts.CHECKS,
]


def run_checks(doc: Document, doc_type: str | None) -> tuple[str | None, list[Finding]]:
    """(the type the rules applied, the findings) for ``doc``; ``doc_type`` None means "from the title"."""
    layout = find_layout(doc)
    ctx = Context(doc, layout, given_type=doc_type, doc_type=doc_type or layout.inferred_type)
    for check in CHECKS:
        check(ctx)
    return ctx.doc_type, ctx.out.findings()
