"""Vietnamese language layer (interim core: parsing and formatting of numbers and dates).

The full layer (regional variants, words_to_number, legacy encodings, collation, template filters) is
being written in this module; the functions below keep their signatures.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .text import fold, slug  # noqa: F401  (slug is part of this module's API)

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ"]


def _read_group(n: int, full: bool) -> list[str]:
    h, t, u = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or h:
        words += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and words:
            words.append("linh")
    elif t == 1:
        words.append("mười")
    else:
        words += [_DIGITS[t], "mươi"]
    if u:
        if u == 1 and t >= 2:
            words.append("mốt")
        elif u == 4 and t >= 2:
            words.append("tư")
        elif u == 5 and t >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[u])
    return words


def _int_words(n: int) -> list[str]:
    if n == 0:
        return ["không"]
    if n >= 10**9:
        high, low = divmod(n, 10**9)
        words = _int_words(high) + ["tỷ"]
        if low:
            words += _int_words_full(low, 3)
        return words
    groups = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    words: list[str] = []
    top = len(groups) - 1
    for i in range(top, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _read_group(g, full=i != top)
        if _SCALES[i]:
            words.append(_SCALES[i])
    return words


def _int_words_full(n: int, ngroups: int) -> list[str]:
    """The part below a "tỷ": every group read in full (not the leading one)."""
    groups = []
    for _ in range(ngroups):
        n, g = divmod(n, 1000)
        groups.append(g)
    words: list[str] = []
    for i in range(ngroups - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        words += _read_group(g, full=True)
        if _SCALES[i]:
            words.append(_SCALES[i])
    return words


def number_to_words(x) -> str:
    """Đọc số: 2024 → "hai nghìn không trăm hai mươi tư"; 12.5 → "mười hai phẩy năm"."""
    d = x if isinstance(x, Decimal) else Decimal(str(x))
    words: list[str] = []
    if d < 0:
        words.append("âm")
        d = -d
    integer = int(d)
    words += _int_words(integer)
    frac = format(d, "f").partition(".")[2].rstrip("0") if "." in format(d, "f") else ""
    if frac:
        words.append("phẩy")
        words += [_DIGITS[int(c)] for c in frac]
    return " ".join(words)


def money_to_words(amount, *, chan: bool = False) -> str:
    text = number_to_words(amount) + " đồng" + (" chẵn" if chan else "")
    return text[:1].upper() + text[1:]


def format_number(n, decimals: int | None = None) -> str:
    if n is None or n == "":
        return ""
    d = n if isinstance(n, Decimal) else Decimal(str(n))
    if decimals is not None:
        d = round(d, decimals)
    sign = "-" if d < 0 else ""
    d = abs(d)
    text = format(d, "f")
    integer, _, frac = text.partition(".")
    frac = frac.rstrip("0") if decimals is None else frac
    grouped = f"{int(integer):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


def format_percent(x) -> str:
    if x is None or x == "":
        return ""
    return format_number(round(Decimal(str(x)), 1)) + "%"


def two_digits(n) -> str:
    return f"{int(n):02d}"


def count_with_words(n) -> str:
    return f"{two_digits(n)} ({number_to_words(int(n))})"


def format_date(d) -> str:
    if d is None or d == "":
        return ""
    if isinstance(d, datetime):
        d = d.date()
    day = f"{d.day:02d}" if d.day < 10 else str(d.day)
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def short_date(d) -> str:
    if d is None or d == "":
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


_DATE_NUMERIC = re.compile(r"^\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})\s*$")
_DATE_ISO = re.compile(r"^\s*(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})\s*$")
_DATE_WORDS = re.compile(r"^\s*(?:ngay\s*)?(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})\s*$")


def parse_date(value) -> date:
    """Day-first dates: 05/3/1980, 05-03-1980, 1980-03-05, "ngày 5 tháng 3 năm 2026"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = unicodedata.normalize("NFC", str(value)).strip()
    folded = fold(text).replace(",", " ")
    for pattern, order in ((_DATE_NUMERIC, "dmy"), (_DATE_ISO, "ymd"), (_DATE_WORDS, "dmy")):
        m = pattern.match(folded)
        if m:
            a, b, c = (int(g) for g in m.groups())
            y, mo, d = (c, b, a) if order == "dmy" else (a, b, c)
            try:
                return date(y, mo, d)
            except ValueError:
                raise ValueError(f'"{text}" không phải là ngày hợp lệ.') from None
    raise ValueError(f'"{text}" không phải là ngày hợp lệ (ghi theo dạng dd/mm/yyyy).')


_NUMBER = re.compile(r"^[+-]?\d{1,3}(\.\d{3})*(,\d+)?$|^[+-]?\d+(,\d+)?$|^[+-]?\d+\.\d+$")


def parse_number(text) -> int | float | Decimal:
    """Numbers written the Vietnamese way: "2.340.000" → 2340000, "99,2" → 99.2, "12,5%" → 12.5."""
    if isinstance(text, (int, float, Decimal)) and not isinstance(text, bool):
        return text
    s = str(text).strip().replace(" ", "").replace("\u00a0", "")
    if s.endswith("%"):
        s = s[:-1]
    if not s or not _NUMBER.match(s):
        raise ValueError(f'"{text}" không phải là số.')
    if re.fullmatch(r"[+-]?\d+\.\d+", s) and not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", s):
        value = Decimal(s)                     # "98.5": a decimal point typed the English way
    else:
        value = Decimal(s.replace(".", "").replace(",", "."))
    try:
        if value == value.to_integral_value():
            return int(value)
    except InvalidOperation:  # pragma: no cover
        pass
    return float(value)


def upper(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").upper()


def fix_legacy(text: str, font: str | None = None) -> tuple[str, str | None]:
    """Interim: returns the text unchanged; the TCVN3/VNI converter replaces this."""
    return text, None


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _word_key(word: str):
    letters, tones = [], []
    for ch in unicodedata.normalize("NFC", word.lower()):
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        tone = next((_TONES[c] for c in decomposed if c in _TONES), 0)
        letters.append(_ALPHABET.index(base) if base in _ALPHABET else 100 + ord(base[0]))
        tones.append(tone)
    return tuple(letters), tuple(tones)


def name_sort_key(full_name: str):
    words = (full_name or "").split()
    if not words:
        return ((), ())
    order = [words[-1], *words[1:-1], words[0]] if len(words) > 1 else words
    keys = [_word_key(w) for w in order]
    return tuple(k[0] for k in keys), tuple(k[1] for k in keys)


def _name_of(item, key=None):
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return item.get(key or "ho_ten") or item.get("ten") or ""
    return getattr(item, "full_name", "") or getattr(item, "name", "")


def sort_names(items, key=None):
    return sorted(items, key=lambda it: name_sort_key(_name_of(it, key)))


def _blank_safe(fn):
    def wrapper(value, *args, **kwargs):
        if value is None or value == "":
            return ""
        return fn(value, *args, **kwargs)
    wrapper.__name__ = fn.__name__
    return wrapper


JINJA_FILTERS = {
    "so_chu": _blank_safe(lambda v: number_to_words(parse_number(v) if isinstance(v, str) else v)),
    "tien_chu": _blank_safe(lambda v, chan=False: money_to_words(parse_number(v) if isinstance(v, str) else v,
                                                                 chan=chan)),
    "so": _blank_safe(lambda v: format_number(parse_number(v) if isinstance(v, str) else v)),
    "ngay_thang": _blank_safe(lambda v: format_date(parse_date(v))),
    "ngay": _blank_safe(lambda v: short_date(parse_date(v))),
    "in_hoa": _blank_safe(upper),
    "hai_chu_so": _blank_safe(two_digits),
    "so_kem_chu": _blank_safe(count_with_words),
    "phan_tram": _blank_safe(format_percent),
    "sap_xep_ten": lambda items, key=None: sort_names(items or [], key),
}
