"""Page setup (Phụ lục I, mục I): A4 paper, portrait unless the page holds a wide table, margins."""
from __future__ import annotations

from ..document import Paragraph, Section, Table
from ..lines import num
from .base import Check, Context

A4 = (11906, 16838)
PAGE_TOLERANCE = 20
MARGINS = {"top": (1134, 1417), "bottom": (1134, 1417), "left": (1701, 1984), "right": (850, 1134)}
MARGIN_TOLERANCE = 2
KNOWN_PAPERS = {(12240, 15840): "Letter", (12240, 20160): "Legal", (8391, 11906): "A5", (16838, 23811): "A3",
                (10318, 14570): "B5 (JIS)", (9979, 14175): "B5"}
_SIDE_NAMES = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
_TWIPS_PER_MM = 56.693


def _where(ctx: Context, section: Section) -> str:
    return "thiết lập trang" + (f" (mục {section.number})" if len(ctx.doc.sections) > 1 else "")


def _check_size(ctx: Context, section: Section, where: str) -> None:
    short, long_ = sorted((section.width, section.height))
    if abs(short - A4[0]) > PAGE_TOLERANCE or abs(long_ - A4[1]) > PAGE_TOLERANCE:
        name = next((n for (a, b), n in KNOWN_PAPERS.items()
                     if abs(short - a) <= PAGE_TOLERANCE and abs(long_ - b) <= PAGE_TOLERANCE), None)
        size_mm = f"{short / _TWIPS_PER_MM:.0f} × {long_ / _TWIPS_PER_MM:.0f} mm"
        label = f"{name}, {size_mm}" if name else size_mm
        ctx.out.add("ND30-PAGE-SIZE", f"Khổ giấy {label}; phải là A4 (210 × 297 mm).", where)


def _check_landscape(ctx: Context, section: Section, where: str) -> None:
    blocks = ctx.blocks[section.first_block: section.last_block + 1]
    table_chars = sum(len(b.text) for b in blocks if isinstance(b, Table))
    para_chars = sum(len(b.text) for b in blocks if isinstance(b, Paragraph))
    if not table_chars or table_chars < para_chars:
        ctx.out.add("ND30-PAGE-ORIENT", "Trang khổ ngang nhưng nội dung không phải bảng rộng; "
                    "văn bản trình bày theo chiều dài khổ A4.", where)


def _check_margins(ctx: Context, section: Section, where: str) -> None:
    for side, (low, high) in MARGINS.items():
        value = section.margins.get(side)
        if side == "left" and value is not None:
            value += section.margins.get("gutter", 0)
        if value is None:
            ctx.out.add("ND30-PAGE-MARGIN", f"Không khai báo lề {_SIDE_NAMES[side]}.", where)
        elif value < low - MARGIN_TOLERANCE or value > high + MARGIN_TOLERANCE:
            ctx.out.add("ND30-PAGE-MARGIN",
                        f"Lề {_SIDE_NAMES[side]} {num(value / _TWIPS_PER_MM, 1)} mm; phải {low / _TWIPS_PER_MM:.0f}–"
                        f"{high / _TWIPS_PER_MM:.0f} mm.", where)


def check_sections(ctx: Context) -> None:
    for section in ctx.doc.sections:
        where = _where(ctx, section)
        if section.width is None or section.height is None:
            ctx.out.add("ND30-PAGE-SIZE", "Không khai báo khổ giấy; phải đặt khổ A4 (210 × 297 mm).", where)
            continue
        _check_size(ctx, section, where)
        if section.width > section.height:
            _check_landscape(ctx, section, where)
            continue                          # margins of a rotated page are not those of the decree
        _check_margins(ctx, section, where)


CHECKS: list[Check] = [check_sections]
