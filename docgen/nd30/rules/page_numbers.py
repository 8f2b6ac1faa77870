"""Số trang: in the page header (not the footer), centred, cỡ 13–14, đứng; none on the first page; required when
the document runs to several pages.
"""
from __future__ import annotations

from ..document import Field
from .base import Check, Context
from ..lines import size_text


def _page_fields(hf) -> list[Field]:
    return [f for f in (hf.fields if hf else []) if f.name == "PAGE"]


def multi_page(ctx: Context) -> bool:
    doc = ctx.doc
    if doc.pages_hint is not None and doc.pages_hint > 1:
        return True
    if len(doc.sections) > 1:
        return True
    if any(p.page_break or p.rendered_break for p in doc.paragraphs):
        return True
    return sum(len(p.text) for p in doc.paragraphs) > 2500


def check_footer(ctx: Context) -> None:
    for hf in ctx.doc.headers.values():
        if hf.kind == "footer":
            for fld in _page_fields(hf)[:1]:
                ctx.out.add("ND30-PAGENUM-FOOTER", "Số trang đặt ở chân trang; phải đặt ở đầu trang, căn "
                            "giữa.", fld.paragraph.where, fld.paragraph.text)


def check_presence(ctx: Context) -> None:
    doc = ctx.doc
    first = doc.sections[0]
    default_page = _page_fields(doc.header_for(first, "header", "default"))
    first_page = _page_fields(doc.header_for(first, "header", "first"))
    if not default_page:
        if multi_page(ctx) and not any(f.name == "PAGE" for hf in doc.headers.values() for f in hf.fields
                                       if hf.kind == "footer"):
            ctx.out.add("ND30-PAGENUM-MISSING", "Văn bản nhiều trang chưa đánh số trang (chèn trường PAGE vào "
                        "đầu trang, căn giữa).", "đầu trang")
    elif not first.title_page:
        ctx.out.add("ND30-PAGENUM-FIRST", "Số trang hiện cả ở trang thứ nhất; bật \"Different First Page\" "
                    "(trang đầu khác) để trang 1 không có số.", default_page[0].paragraph.where,
                    default_page[0].paragraph.text)
    if first.title_page and first_page:
        ctx.out.add("ND30-PAGENUM-FIRST", "Đầu trang của trang thứ nhất có số trang; trang 1 không đánh số.",
                    first_page[0].paragraph.where, first_page[0].paragraph.text)


def check_format(ctx: Context) -> None:
    for hf in ctx.doc.headers.values():
        if hf.kind != "header":
            continue
        for fld in _page_fields(hf):
            para = fld.paragraph
            centred = para.props.centered or (
                fld.tabs_before == 1 and any(val == "center" for _, val in para.props.tabs))
            if not centred:
                ctx.out.add("ND30-PAGENUM-ALIGN", "Số trang phải căn giữa ở đầu trang.", para.where, para.text)
            props = fld.result or ([fld.props] if fld.props else [])
            bad = {p.size_pt for p in props if not 13 <= p.size_pt <= 14}
            if bad or any(p.italic for p in props):
                detail = f"cỡ chữ {size_text(bad)}" if bad else "in nghiêng"
                ctx.out.add("ND30-PAGENUM-FORMAT", f"Số trang: {detail}; phải cỡ 13–14, chữ đứng.", para.where,
                            para.text)


CHECKS: list[Check] = [check_footer, check_presence, check_format]
