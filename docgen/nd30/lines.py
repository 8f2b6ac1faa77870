"""How a line or paragraph of the checked document looks: its text, sizes, bold, italic; tab columns.

Small pure helpers shared by :mod:`.layout` and the rule modules in :mod:`.rules`.  Superscript and
subscript runs (footnote marks, "m²") and blank runs do not count when asking "is this line bold?".
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Iterable

from ..vietnamese import format_number
from .document import Line, Paragraph, Segment, squash

_TYPED_RULE = re.compile(r"^[\s_\-‐‑‒–—―─━=~.·*]{3,}$")
_TYPED_RULE_CHARS = re.compile(r"[_\-‐‑‒–—―─━=~]")


def excerpt(text: str, limit: int = 60) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_upper(text: str) -> bool:
    # cased letters only: Arabic, Hebrew, CJK… have no capitals and cannot make a line "not uppercase"
    letters = [c for c in text if c.isalpha() and c.lower() != c.upper()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_typed_rule(text: str) -> bool:
    """A horizontal line typed with characters: "______", "-----", "=====" (not a real border or shape)."""
    text = text.strip()
    return bool(text) and bool(_TYPED_RULE.match(text)) and len(_TYPED_RULE_CHARS.findall(text)) >= 3


def text_segments(unit: Line | Paragraph) -> list[Segment]:
    """The segments that carry visible text at the normal baseline."""
    return [s for s in unit.segments if s.text.strip() and s.props.vert_align not in ("superscript", "subscript")]


def sizes(unit: Line | Paragraph) -> set[float]:
    return {s.props.size_pt for s in text_segments(unit)}


def all_bold(unit: Line | Paragraph) -> bool:
    segs = text_segments(unit)
    return bool(segs) and all(s.props.bold for s in segs)


def any_bold(unit: Line | Paragraph) -> bool:
    return any(s.props.bold for s in text_segments(unit))


def all_italic(unit: Line | Paragraph) -> bool:
    segs = text_segments(unit)
    return bool(segs) and all(s.props.italic for s in segs)


def any_italic(unit: Line | Paragraph) -> bool:
    return any(s.props.italic for s in text_segments(unit))


def all_underlined(unit: Line | Paragraph) -> bool:
    segs = text_segments(unit)
    return bool(segs) and all(s.props.underline for s in segs)


def num(value: float, digits: int | None = None) -> str:
    """A measurement in Vietnamese notation through :func:`docgen.vietnamese.format_number`: 1.5 → "1,5".

    ``digits`` fixes the number of decimals; without it six significant digits are kept.  The value is
    rounded as a binary float (0.975 with two digits → "0,97", as Word shows it), then formatted.
    """
    text = f"{value:.{digits}f}" if digits is not None else f"{value:.6g}"
    return format_number(Decimal(text), digits)


def size_text(values: Iterable[float]) -> str:
    return ", ".join(num(v) for v in sorted(values)) + " pt"


def out_of(values: set[float], low: float, high: float) -> set[float]:
    return {v for v in values if v < low - 0.01 or v > high + 0.01}


def size_problem(unit, low: float, high: float) -> list[str]:
    """["cỡ chữ 11 pt (phải 13–14)"] when a run of ``unit`` is outside ``low``–``high`` pt, else []."""
    bad = out_of(sizes(unit), low, high)
    if not bad:
        return []
    allowed = f"{low}" if low == high else f"{low}–{high}"
    return [f"cỡ chữ {size_text(bad)} (phải {allowed})"]


def para_of(unit: Line | Paragraph) -> Paragraph:
    return unit.paragraph if isinstance(unit, Line) else unit


def pieces(line: Line) -> list[Line]:
    """Split a line at tab characters: hand-made headers put two columns on one line with tabs."""
    result: list[Line] = []
    current: list[Segment] = []
    for seg in line.segments:
        parts = seg.text.split("\t")
        for k, part in enumerate(parts):
            if k and current:
                result.append(Line(line.paragraph, line.number, current))
                current = []
            elif k:
                current = []
            if part:
                current.append(Segment(part, seg.props))
    if current:
        result.append(Line(line.paragraph, line.number, current))
    non_empty = [p for p in result if p.text]
    return non_empty or [Line(line.paragraph, line.number, [])]


def starts_with_tab(line: Line) -> bool:
    raw = line.raw
    return raw[: len(raw) - len(raw.lstrip(" \u00a0"))].count("\t") > 0 or raw.lstrip(" \u00a0").startswith("\t")
