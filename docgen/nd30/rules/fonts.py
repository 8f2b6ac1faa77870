"""Phông chữ: Times New Roman (Unicode, TCVN 6909:2001) for every visible run, headers and footers included;
legacy TCVN3/VNI fonts are named as such; a document that declares no font at all gets a warning.
"""
from __future__ import annotations

import re

from ..document import Segment
from .base import Check, Context

_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")
_LEGACY = (".vn", "vni-", "vni ", "vntime", "vnarial")


def fonts_used(seg: Segment) -> set[str | None]:
    """The effective font names that display this run's characters (ascii / hAnsi / eastAsia / cs slots)."""
    props = seg.props
    text = seg.text
    if props.complex_script:
        return {props.font("cs")}
    used: set[str | None] = set()
    stripped = "".join(text.split())
    if any(c.isascii() for c in stripped):
        used.add(props.font("ascii"))
    if not stripped.isascii():
        non_ascii = [c for c in stripped if not c.isascii()]
        if any(_CJK.match(c) for c in non_ascii):
            used.add(props.font("eastAsia"))
        if props.hint == "eastAsia":
            used.add(props.font("eastAsia"))
        elif any(not _CJK.match(c) for c in non_ascii):
            used.add(props.font("hAnsi"))
    return used


def check_fonts(ctx: Context) -> None:
    paragraphs = list(ctx.doc.paragraphs)
    for hf in ctx.doc.headers.values():
        paragraphs.extend(hf.paragraphs)
    for p in paragraphs:
        for seg in p.segments:
            if not seg.text.strip():
                continue
            for font in fonts_used(seg):
                if font is None:
                    ctx.out.add("ND30-FONT-UNSET", "Không xác định được phông chữ (văn bản và kiểu định dạng "
                                "không khai báo phông); hãy đặt Times New Roman.", p.where, p.text, group=())
                    continue
                name = font.strip()
                low = name.lower()
                if low == "times new roman":
                    continue
                if low.startswith(_LEGACY):
                    ctx.out.add("ND30-FONT-LEGACY", f"Phông \"{name}\" dùng bảng mã cũ (TCVN3/VNI); chuyển sang "
                                "Unicode, phông Times New Roman.", p.where, p.text, group=(name,))
                else:
                    ctx.out.add("ND30-FONT", f"Phông chữ \"{name}\"; phải dùng Times New Roman.", p.where, p.text,
                                group=(name,))


CHECKS: list[Check] = [check_fonts]
