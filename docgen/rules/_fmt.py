"""Numbers and dates as the rules read them from cells and write them in Vietnamese messages."""
from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation


def num(value: Decimal | float | int) -> str:
    """12.5 → "12,5"; 66.666… → "66,67"; 2530000 → "2.530.000" (at most two decimals)."""
    d = Decimal(str(value)).quantize(Decimal("0.01"))
    whole, _, frac = f"{abs(d):f}".partition(".")
    frac = frac.rstrip("0")
    return ("-" if d < 0 else "") + f"{int(whole):,}".replace(",", ".") + ("," + frac if frac else "")


def day(d: date) -> str:
    """dd/mm/yyyy."""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def decimal_from_text(text: str) -> Decimal:
    """ "12,5", "98.5 %", "10" → Decimal (one decimal mark, "," or "."); ValueError otherwise."""
    s = text.strip().rstrip("%").replace(" ", "").replace("\u00a0", "")
    if s.count(",") + s.count(".") > 1:
        raise ValueError(f'"{text}" không phải là số (dùng dấu phẩy cho phần thập phân, ví dụ 12,5).')
    try:
        value = Decimal(s.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f'"{text}" không phải là số.') from None
    if not value.is_finite():
        raise ValueError(f'"{text}" không phải là số.')
    return value
