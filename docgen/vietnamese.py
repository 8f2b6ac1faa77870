"""Vietnamese language layer: numbers in words, number and date formats, name order, legacy encodings.

The rules, and why, are in ``docs/tieng-viet.md``:

* :func:`number_to_words` / :func:`money_to_words` read numbers the way official documents do
  ("hai nghìn không trăm hai mươi tư"), with keyword options for the regional variants;
  :func:`words_to_number` is the inverse and accepts every variant.
  :func:`install_num2words` replaces num2words' Vietnamese converter (``num2words(x, lang="vi")``), whose
  stock output breaks several of the rules, for code that calls num2words itself; importing docgen never
  does it (docgen's own documents use :func:`number_to_words`).
* :func:`format_number`, :func:`format_date`, :func:`short_date`, :func:`parse_date`, :func:`parse_number`.
* :func:`name_sort_key` / :func:`sort_names`: tên, then tên đệm, then họ, Vietnamese alphabet, tones
  ngang < huyền < hỏi < ngã < sắc < nặng (the CLDR "vi" collation).
* :func:`fix_legacy`: TCVN3 (ABC) and VNI-Windows text → Unicode NFC.

Messages meant for users are in Vietnamese; code and docstrings are in English.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from .text import fold, slug  # noqa: F401  (slug is part of this module's API)

__all__ = [
    "number_to_words", "money_to_words", "words_to_number", "format_number", "format_percent", "two_digits",
    "count_with_words", "format_date", "short_date", "parse_date", "parse_number", "upper", "fix_legacy",
    "name_sort_key", "sort_names", "slug", "JINJA_FILTERS", "TCVN3_TO_UNICODE", "VNI_TO_UNICODE",
]

# ---------------------------------------------------------------------------------------------------
# Numbers in words

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_BILLION = 10**9


def _read_group(n: int, full: bool, *, le: bool, bon: bool) -> list[str]:
    """Words for one 3-digit group ``n`` (0-999).  ``full``: read "không trăm" / "linh" as in a later group."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or h:
        words += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and words:
            words.append("lẻ" if le else "linh")
    elif t == 1:
        words.append("mười")
    else:
        words += [_DIGITS[t], "mươi"]
    if u:
        if u == 1 and t >= 2:
            words.append("mốt")
        elif u == 4 and t >= 2:
            words.append("bốn" if bon else "tư")
        elif u == 5 and t >= 1:
            words.append("lăm")
        else:
            words.append(_DIGITS[u])
    return words


def _below_billion(n: int, *, first: bool, le: bool, bon: bool, thousand: str, name_empty: bool) -> list[str]:
    """Words for 0 < n < 10^9 (or n == 0 → [] unless it is the whole number).

    ``first``: this part starts the number, so its leading group is read short ("mười lăm", not
    "không trăm mười lăm").  Otherwise every group is read in full.  Zero groups between two non-zero
    groups are skipped, or named ("không nghìn") with ``name_empty``; leading zero groups of a part that
    follows a "tỷ" count as middle groups.
    """
    groups = [n // 10**6, n // 1000 % 1000, n % 1000]
    scales = ["triệu", thousand, ""]
    nonzero = [i for i, g in enumerate(groups) if g]
    if not nonzero:
        return []
    start = nonzero[0] if first else 0
    last = nonzero[-1]
    words: list[str] = []
    for i in range(start, 3):
        g = groups[i]
        if g == 0:
            if name_empty and i < last and (words or not first):
                words += ["không", scales[i]]
            continue
        words += _read_group(g, full=bool(words) or not first, le=le, bon=bon)
        if scales[i]:
            words.append(scales[i])
    return words


def _int_words(n: int, *, first: bool = True, le: bool = False, bon: bool = False, thousand: str = "nghìn",
               name_empty: bool = False) -> list[str]:
    """Words for a non-negative integer: ``high`` "tỷ" ``low`` recursively (10^12 = nghìn tỷ, 10^18 = tỷ tỷ)."""
    opts = dict(le=le, bon=bon, thousand=thousand, name_empty=name_empty)
    if n == 0:
        return ["không"]
    if n < _BILLION:
        return _below_billion(n, first=first, **opts)
    high, low = divmod(n, _BILLION)
    words = _int_words(high, first=first, **opts) + ["tỷ"]
    if low:
        words += _below_billion(low, first=False, **opts)
    return words


def _to_decimal(x) -> Decimal:
    if isinstance(x, bool):
        raise TypeError("number_to_words: bool is not a number")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        d = Decimal(repr(x))
    elif isinstance(x, str):
        d = Decimal(str(parse_number(x)))
    else:
        d = Decimal(str(x))
    if not d.is_finite():
        raise ValueError(f'"{x}" không phải là số hữu hạn.')
    return d


def number_to_words(x, *, le: bool = False, bon: bool = False, ngan: bool = False,
                    name_empty_groups: bool = False) -> str:
    """Đọc số: 2024 → "hai nghìn không trăm hai mươi tư"; 12.5 → "mười hai phẩy năm"; -3 → "âm ba".

    ``x`` may be an int, float, Decimal or a number written the Vietnamese way ("2.530.000", "12,5").
    Options (default: the accountants' northern style of the spec):

    * ``le``: "lẻ" instead of "linh" (105 → "một trăm lẻ năm");
    * ``bon``: "bốn" instead of "tư" after a tens digit ≥ 2 (24 → "hai mươi bốn");
    * ``ngan``: "ngàn" instead of "nghìn";
    * ``name_empty_groups``: name a zero group in the middle (1.000.005 → "một triệu không nghìn không
      trăm linh năm").

    Fractional digits are read one by one after "phẩy", zeros included (3,05 → "ba phẩy không năm");
    trailing zeros of the fraction are not read (12,50 → "mười hai phẩy năm").
    """
    d = _to_decimal(x)
    words: list[str] = []
    if d < 0:
        d = -d
        words.append("âm")
    text = format(d, "f")
    integer, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    words += _int_words(int(integer), le=le, bon=bon, thousand="ngàn" if ngan else "nghìn",
                        name_empty=name_empty_groups)
    if frac:
        words.append("phẩy")
        words += [_DIGITS[int(c)] for c in frac]
    if words == ["âm", "không"]:          # -0.0
        words = ["không"]
    return " ".join(words)


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def money_to_words(amount, *, chan: bool = False, **options) -> str:
    """Số tiền bằng chữ: 760000 → "Bảy trăm sáu mươi nghìn đồng" (``chan=True``: "... đồng chẵn").

    ``options`` are those of :func:`number_to_words`.
    """
    text = number_to_words(amount, **options) + " đồng" + (" chẵn" if chan else "")
    return _capitalise(text)


# -- words → number ----------------------------------------------------------------------------------

_UNIT_WORDS = {"không": 0, "một": 1, "hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "bẩy": 7,
               "tám": 8, "chín": 9}
_UNIT_AFTER_TENS = {"mốt": 1, "tư": 4, "lăm": 5, "nhăm": 5}
_SCALE_WORDS = {"nghìn": 1000, "ngàn": 1000, "triệu": 10**6}
_BILLION_WORDS = {"tỷ", "tỉ"}
_TRAILERS = ("chẵn", "đồng", "chẳn", "vnđ", "vnd")


class _WordsError(ValueError):
    pass


def _bad(text: str, why: str) -> ValueError:
    return _WordsError(f'Không đọc được số bằng chữ "{text}": {why}.')


def _parse_group(tokens: list[str], text: str) -> int:
    """A group below 1000: [digit "trăm"] [linh|lẻ] [mười | digit "mươi"] [unit]."""
    i, n = 0, len(tokens)
    value = 0
    hundreds = False
    if n >= 2 and tokens[1] == "trăm":
        if tokens[0] not in _UNIT_WORDS:
            raise _bad(text, f'"{tokens[0]} trăm" không phải là số trăm')
        value, hundreds, i = 100 * _UNIT_WORDS[tokens[0]], True, 2
    linh = False
    if i < n and tokens[i] in ("linh", "lẻ"):
        linh, i = True, i + 1
        if i == n:
            raise _bad(text, f'sau "{tokens[i - 1]}" phải có chữ số')
    tens = False
    if i < n and tokens[i] in ("mười", "mươi"):
        value, tens, i = value + 10, True, i + 1
    elif i + 1 < n and tokens[i] in _UNIT_WORDS and tokens[i + 1] in ("mươi", "mười"):
        value, tens, i = value + 10 * _UNIT_WORDS[tokens[i]], True, i + 2
    if tens and linh and hundreds:
        raise _bad(text, '"linh" không đứng trước hàng chục')
    if i < n:
        word = tokens[i]
        if word in _UNIT_WORDS and not (word == "không" and (tens or linh or hundreds)):
            if hundreds and not (tens or linh):
                raise _bad(text, f'thiếu "linh" hoặc hàng chục trước "{word}"')
            value, i = value + _UNIT_WORDS[word], i + 1
        elif word in _UNIT_AFTER_TENS and (tens or (linh and word in ("tư", "lăm"))):
            value, i = value + _UNIT_AFTER_TENS[word], i + 1
        elif word == "tư" and not (hundreds or linh):
            value, i = value + 4, i + 1
    elif linh and not tens:
        raise _bad(text, '"linh" phải có chữ số theo sau')
    if i != n or n == 0:
        bad = tokens[i] if i < n else "?"
        raise _bad(text, f'từ "{bad}" không đúng chỗ')
    return value


def _parse_below_billion(tokens: list[str], text: str) -> int:
    """[group "triệu"] [group "nghìn"] [group] — each scale word at most once, in that order."""
    total = 0
    rest = tokens
    for word, scale in (("triệu", 10**6), ("nghìn", 1000)):
        positions = [k for k, t in enumerate(rest) if _SCALE_WORDS.get(t) == scale]
        if len(positions) > 1:
            raise _bad(text, f'"{word}" xuất hiện hai lần')
        if positions:
            k = positions[0]
            if k == 0:
                raise _bad(text, f'thiếu số trước "{rest[0]}"')
            total += _parse_group(rest[:k], text) * scale
            rest = rest[k + 1:]
    if rest:
        total += _parse_group(rest, text)
    return total


def _parse_integer(tokens: list[str], text: str) -> int:
    """``high`` "tỷ" ``low``, split at the last "tỷ" (so "nghìn tỷ", "tỷ tỷ" compose)."""
    positions = [k for k, t in enumerate(tokens) if t in _BILLION_WORDS]
    if not positions:
        if not tokens:
            raise _bad(text, "không có chữ số nào")
        return _parse_below_billion(tokens, text)
    k = positions[-1]
    if k == 0:
        raise _bad(text, f'thiếu số trước "{tokens[0]}"')
    high = _parse_integer(tokens[:k], text)
    low = _parse_below_billion(tokens[k + 1:], text) if k + 1 < len(tokens) else 0
    return high * _BILLION + low


def words_to_number(text: str) -> int | Decimal:
    """Inverse of :func:`number_to_words`: "hai nghìn không trăm hai mươi tư" → 2024.

    Accepts every variant: linh/lẻ, tư/bốn, lăm/năm, mốt, nghìn/ngàn, mươi/mười, "không trăm", named
    empty groups ("không nghìn"), tỷ/tỉ, "phẩy", "âm", any capitalisation, a trailing "đồng" / "chẵn",
    and the short forms "hai nghìn linh năm" / "một nghìn lẻ mười".  Returns an ``int``, or a ``Decimal``
    when there is a fractional part.  Raises ``ValueError`` (Vietnamese message) on anything else.
    """
    if not isinstance(text, str):
        raise TypeError("words_to_number expects a str")
    original = text
    cleaned = unicodedata.normalize("NFC", text).lower()
    cleaned = re.sub(r"[.,;:!()/\-–]+", " ", cleaned)
    tokens = cleaned.split()
    while tokens and tokens[-1] in _TRAILERS:
        tokens.pop()
    if tokens[:2] == ["bằng", "chữ"]:
        tokens = tokens[2:]
    negative = False
    if tokens and tokens[0] in ("âm", "trừ"):
        negative, tokens = True, tokens[1:]
    if not tokens:
        raise _bad(original, "không có chữ số nào")
    for t in tokens:
        if t not in _UNIT_WORDS and t not in _UNIT_AFTER_TENS and t not in _SCALE_WORDS \
                and t not in _BILLION_WORDS and t not in ("trăm", "mười", "mươi", "linh", "lẻ", "phẩy"):
            raise _bad(original, f'"{t}" không phải là chữ số')
    if tokens.count("phẩy") > 1:
        raise _bad(original, '"phẩy" xuất hiện hai lần')
    frac_digits = ""
    if "phẩy" in tokens:
        k = tokens.index("phẩy")
        tokens, frac_tokens = tokens[:k], tokens[k + 1:]
        if not frac_tokens:
            raise _bad(original, 'sau "phẩy" phải có chữ số')
        if all(t in _UNIT_WORDS for t in frac_tokens):
            frac_digits = "".join(str(_UNIT_WORDS[t]) for t in frac_tokens)
        else:               # "phẩy hai mươi lăm" = ,25 ; leading "không" are zeros
            zeros = 0
            while frac_tokens[zeros] == "không":
                zeros += 1
            frac_digits = "0" * zeros + str(_parse_integer(frac_tokens[zeros:], original))
    integer = _parse_integer(tokens, original) if tokens else 0
    if not tokens and not frac_digits:
        raise _bad(original, "không có chữ số nào")
    if frac_digits:
        value: int | Decimal = Decimal(f"{integer}.{frac_digits}")
    else:
        value = integer
    return -value if negative else value


# -- num2words ----------------------------------------------------------------------------------------

_STOCK_NUM2WORDS: dict[str, object] = {}


def install_num2words() -> None:
    """Make ``num2words(x, lang="vi")`` follow the spec in this process, until :func:`uninstall_num2words`.

    Opt-in: a program that uses num2words directly calls it once; docgen's own code never needs it."""
    import num2words
    from num2words.lang_VI import Num2Word_VI

    class Num2WordVietnamese(Num2Word_VI):
        """num2words' Vietnamese converter, corrected (linh, tư, "không trăm", phẩy, âm, large numbers)."""

        def str_to_number(self, value):
            return _to_decimal(value)

        def to_cardinal(self, number, **options):
            return number_to_words(number, **options)

        def number_to_text(self, number):
            return number_to_words(number)

        def vietnam_number(self, val):
            return number_to_words(val)

        def to_ordinal(self, number, **options):
            n = int(number)
            if n == 1:
                return "thứ nhất"
            if n == 4:
                return "thứ tư"
            return "thứ " + number_to_words(n, **options)

        def to_ordinal_num(self, number, **options):
            return f"thứ {int(number)}"

        def to_year(self, number, **options):
            return number_to_words(int(number), **options)

        def to_currency(self, number, currency="VND", **options):
            return money_to_words(number, **options)

    current = num2words.CONVERTER_CLASSES.get("vi")
    if type(current).__name__ == "Num2WordVietnamese":
        return                                        # installed already
    _STOCK_NUM2WORDS["vi"] = current
    num2words.CONVERTER_CLASSES["vi"] = Num2WordVietnamese()


def uninstall_num2words() -> None:
    """Give num2words its stock Vietnamese converter back."""
    import num2words

    if "vi" in _STOCK_NUM2WORDS:
        num2words.CONVERTER_CLASSES["vi"] = _STOCK_NUM2WORDS.pop("vi")


# ---------------------------------------------------------------------------------------------------
# Number formats

def format_number(n, decimals: int | None = None) -> str:
    """2530000 → "2.530.000"; 12.5 → "12,5"; ``decimals`` fixes the number of fractional digits."""
    key = (n.__class__, n, decimals.__class__, decimals)   # by type too: True == 1 and 2.0 == 2, but refused
    try:
        return _FORMATTED[key]
    except KeyError:
        pass
    except TypeError:                     # unhashable: formatted each time
        return _format_number(n, decimals)
    text = _format_number(n, decimals)
    if len(text) <= 40:                   # a hostile workbook's huge numbers are not kept
        if len(_FORMATTED) >= 4096:
            _FORMATTED.clear()
        _FORMATTED[key] = text
    return text


_FORMATTED: dict[tuple, str] = {}         # a round prints the same counts, sums and vote shares many times


def _format_number(n, decimals: int | None) -> str:
    if n is None or n == "":
        return ""
    d = _to_decimal(n)
    if decimals is not None:
        d = round(d, decimals)
    sign = "-" if d < 0 else ""
    d = abs(d)
    text = format(d, "f")
    integer, _, frac = text.partition(".")
    frac = frac.rstrip("0") if decimals is None else frac
    grouped = f"{int(integer):,}".replace(",", ".")
    if sign and grouped == "0" and not frac.strip("0"):
        sign = ""
    return sign + grouped + ("," + frac if frac else "")


def format_percent(x) -> str:
    """98.5 → "98,5%" (one decimal at most)."""
    if x is None or x == "":
        return ""
    return format_number(round(_to_decimal(x), 1)) + "%"


PERCENT_DECIMALS = 2


def vote_percent(x) -> str:
    """A vote share as every document and kiem-tra.txt print it: 6/7 → "85,71%" (two decimals at most)."""
    return format_number(round(float(x), PERCENT_DECIMALS)) + "%"


def two_digits(n) -> str:
    """ND30 counts: 5 → "05"."""
    return f"{int(n):02d}"


def count_with_words(n) -> str:
    """5 → "05 (năm)"."""
    return f"{two_digits(n)} ({number_to_words(int(n))})"


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


# ---------------------------------------------------------------------------------------------------
# Dates

def _as_date(d) -> date:
    if isinstance(d, datetime):
        return d.date()
    if isinstance(d, date):
        return d
    return parse_date(d)


def format_date(d) -> str:
    """Header date (ND30): "ngày 05 tháng 01 năm 2026"; leading zero only for days 1-9 and months 1-2."""
    if d is None or d == "":
        return ""
    d = _as_date(d)
    day = f"{d.day:02d}"
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {day} tháng {month} năm {d.year}"


def short_date(d) -> str:
    """dd/mm/yyyy: "05/01/2026"."""
    if d is None or d == "":
        return ""
    d = _as_date(d)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


_DATE_NUMERIC = re.compile(r"^(\d{1,2})\s*([/\-.])\s*(\d{1,2})\s*\2\s*(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DATE_WORDS = re.compile(r"^(?:[^\d,]+,\s*)?(?:ngay\s*)?"            # "Hà Nội, " and "ngày" are optional
                         r"(\d{1,2})\s*(?:thang\s*|/\s*)(\d{1,2})\s*(?:,\s*)?(?:nam\s*|/\s*)(\d{4})$")


def parse_date(value) -> date:
    """Day-first dates: "05/03/1980", "5/3/1980", "05-03-1980", "1980-03-05", "ngày 5 tháng 3 năm 2026"
    (also with the place before it: "Hà Nội, ngày 05 tháng 3 năm 2026").

    Excel dates (``datetime``/``date``) pass through.  Impossible dates ("31/02/1980") and anything else
    raise ``ValueError`` with a Vietnamese message.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is None or isinstance(value, bool) or isinstance(value, (int, float, Decimal)):
        raise ValueError(f'"{value}" không phải là ngày (ghi theo dạng dd/mm/yyyy, ví dụ 05/01/2026).')
    text = " ".join(unicodedata.normalize("NFC", str(value)).split())
    folded = fold(text).rstrip(".")
    for pattern, order in ((_DATE_NUMERIC, "dmy"), (_DATE_ISO, "ymd"), (_DATE_WORDS, "dmy")):
        m = pattern.match(folded)
        if not m:
            continue
        groups = [g for g in m.groups() if g and g.isdigit()]
        a, b, c = (int(g) for g in groups)
        y, mo, d = (c, b, a) if order == "dmy" else (a, b, c)
        if not 1 <= mo <= 12:
            raise ValueError(f'"{text}" không phải là ngày hợp lệ: không có tháng {mo} '
                             "(ngày ghi trước tháng, dạng dd/mm/yyyy).")
        try:
            return date(y, mo, d)
        except ValueError:
            raise ValueError(f'"{text}" không phải là ngày hợp lệ: tháng {mo} năm {y} không có ngày {d}.') \
                from None
    raise ValueError(f'"{text}" không phải là ngày hợp lệ (ghi theo dạng dd/mm/yyyy, ví dụ 05/01/2026).')


# ---------------------------------------------------------------------------------------------------
# Case, names and sorting

def upper(text: str) -> str:
    """Uppercase keeping diacritics ("Đỗ Thị Ánh" → "ĐỖ THỊ ÁNH")."""
    return unicodedata.normalize("NFC", text or "").upper()


# Latin letters in Vietnamese (CLDR "vi") order; f j w z keep their Latin places.
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {ch: i for i, ch in enumerate(_ALPHABET)}
# ngang (0) < huyền < hỏi < ngã < sắc < nặng
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _char_key(ch: str) -> tuple[int, int]:
    """(letter rank, tone) for one NFC character."""
    decomposed = unicodedata.normalize("NFD", ch)
    tone = next((_TONES[c] for c in decomposed if c in _TONES), 0)
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    if base in _LETTER_RANK:
        return 1000 + _LETTER_RANK[base], tone
    if ch.isspace():
        return 0, 0
    if ch.isdigit():
        return 100 + int(ch) if ch in "0123456789" else 200, 0
    return 2000 + ord(base[0]), tone


def _field_key(text: str):
    """Key of one name field: letters first, tones break ties, then case (lowercase first)."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    lowered = text.lower()
    keys = [_char_key(ch) for ch in lowered]
    return (tuple(k[0] for k in keys), tuple(k[1] for k in keys),
            tuple(ch != low for ch, low in zip(text, lowered)))


def name_sort_key(full_name: str):
    """Sort key for a full name ("Nguyễn Thị Minh Anh"): tên ("Anh"), then tên đệm ("Thị Minh"), then họ.

    Each field is compared letter by letter in the Vietnamese alphabet first; tones
    (ngang < huyền < hỏi < ngã < sắc < nặng) only break ties inside that field.
    """
    words = unicodedata.normalize("NFC", full_name or "").split()
    if not words:
        return ()
    if len(words) == 1:
        return (_field_key(words[0]), _field_key(""), _field_key(""))
    return (_field_key(words[-1]), _field_key(" ".join(words[1:-1])), _field_key(words[0]))


def _name_of(item, key=None):
    if isinstance(item, str):
        return item
    if isinstance(item, dict):
        return item.get(key or "ho_ten") or item.get("ten") or ""
    if key:
        return getattr(item, key, "") or ""
    return getattr(item, "full_name", "") or getattr(item, "name", "")


def sort_names(items, key=None):
    """Sort names (or dicts / objects carrying a name) in the order of official lists."""
    return sorted(items, key=lambda it: name_sort_key(_name_of(it, key)))


# ---------------------------------------------------------------------------------------------------
# Legacy encodings: TCVN3 (ABC) and VNI-Windows

# Unicode letter → TCVN3 byte, shown as the cp1252 character a .xlsx/.docx holds for it.
_TCVN3_ENCODE = {
    "à": "\xb5", "á": "\xb8", "ả": "\xb6", "ã": "\xb7", "ạ": "\xb9",
    "ă": "\xa8", "ằ": "\xbb", "ắ": "\xbe", "ẳ": "\xbc", "ẵ": "\xbd", "ặ": "\xc6",
    "â": "\xa9", "ầ": "\xc7", "ấ": "\xca", "ẩ": "\xc8", "ẫ": "\xc9", "ậ": "\xcb",
    "è": "\xcc", "é": "\xd0", "ẻ": "\xce", "ẽ": "\xcf", "ẹ": "\xd1",
    "ê": "\xaa", "ề": "\xd2", "ế": "\xd5", "ể": "\xd3", "ễ": "\xd4", "ệ": "\xd6",
    "ì": "\xd7", "í": "\xdd", "ỉ": "\xd8", "ĩ": "\xdc", "ị": "\xde",
    "ò": "\xdf", "ó": "\xe3", "ỏ": "\xe1", "õ": "\xe2", "ọ": "\xe4",
    "ô": "\xab", "ồ": "\xe5", "ố": "\xe8", "ổ": "\xe6", "ỗ": "\xe7", "ộ": "\xe9",
    "ơ": "\xac", "ờ": "\xea", "ớ": "\xed", "ở": "\xeb", "ỡ": "\xec", "ợ": "\xee",
    "ù": "\xef", "ú": "\xf3", "ủ": "\xf1", "ũ": "\xf2", "ụ": "\xf4",
    "ư": "\xad", "ừ": "\xf5", "ứ": "\xf8", "ử": "\xf6", "ữ": "\xf7", "ự": "\xf9",
    "ỳ": "\xfa", "ý": "\xfd", "ỷ": "\xfb", "ỹ": "\xfc", "ỵ": "\xfe",
    "đ": "\xae",
    "Ă": "\xa1", "Â": "\xa2", "Ê": "\xa3", "Ô": "\xa4", "Ơ": "\xa5", "Ư": "\xa6", "Đ": "\xa7",
}
TCVN3_TO_UNICODE: dict[str, str] = {v: k for k, v in _TCVN3_ENCODE.items()}

# VNI-Windows: base letter + mark characters (lowercase marks; uppercase letters use the uppercase marks).
_VNI_TONE_PLAIN = {"\u0301": "ù", "\u0300": "ø", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_TONE_HAT = {"": "â", "\u0301": "á", "\u0300": "à", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_TONE_BREVE = {"": "ê", "\u0301": "é", "\u0300": "è", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_SINGLE = {"í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ỵ": "î", "đ": "ñ", "ơ": "ô", "ư": "ö"}


def _build_vni_encode() -> dict[str, str]:
    table: dict[str, str] = {}
    for base in "aeouy":
        for mark, code in _VNI_TONE_PLAIN.items():
            table[unicodedata.normalize("NFC", base + mark)] = base + code
    for base in "aeo":                                  # â ê ô
        for mark, code in _VNI_TONE_HAT.items():
            table[unicodedata.normalize("NFC", base + "\u0302" + mark)] = base + code
    for mark, code in _VNI_TONE_BREVE.items():          # ă
        table[unicodedata.normalize("NFC", "a\u0306" + mark)] = "a" + code
    for letter, base in (("ơ", "ô"), ("ư", "ö")):       # ơ ư and their tones
        for mark, code in _VNI_TONE_PLAIN.items():
            table[unicodedata.normalize("NFC", letter + mark)] = base + code
    table.update(_VNI_SINGLE)
    upper_table = {}
    for letter, code in table.items():
        upper_table[letter.upper()] = code.upper()
    table.update(upper_table)
    return table


_VNI_ENCODE = _build_vni_encode()
VNI_TO_UNICODE: dict[str, str] = {v: k for k, v in _VNI_ENCODE.items()}
# Tolerated spellings (decode only): ơ written "o" + "ô", as some converters produce it.
for _letter, _code in list(_VNI_ENCODE.items()):
    if _code[:1] in "ôÔ" and _letter.lower().startswith(("ơ", "ớ", "ờ", "ở", "ỡ", "ợ")):
        VNI_TO_UNICODE.setdefault(("o" if _code[0] == "ô" else "O") + _code, _letter)
_VNI_PATTERN = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))

_ONSET = r"(?:ngh|ng|gh|gi|ch|kh|nh|ph|th|tr|qu|[bcdđghklmnpqrstvx])?"
_CLUSTERS = ("a ă â e ê i o ô ơ u ư y ai ao au ay âu ây eo êu ia iê iu oa oă oe oi ôi ơi oo ua uâ uê ui uô uơ uy "
             "ưa ưi ưu ươ yê iêu oai oay oao oeo uây uôi ươi ươu uya uyê uyu yêu").split()
_SYLLABLE = re.compile(_ONSET + "(?:" + "|".join(sorted(_CLUSTERS, key=len, reverse=True)) + ")"
                       + r"(?:ch|ng|nh|[cmnpt])?")
_WESTERN_LETTERS = set("àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœšžÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝŸŒŠŽ")
# VNI mark characters that never follow a vowel in Western words ("aø", "eä", "oõ"), unlike "aï", "oë", "uè".
_VNI_VOWEL_MARKS = set("øõûäåãâêôæòîØÕÛÄÅÃÂÊÔÆÒÎ")


def _is_vietnamese_syllable(word: str) -> bool:
    """Does ``word`` (NFC) spell one Vietnamese syllable (onset, vowels, final, at most one tone)?"""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return _SYLLABLE.fullmatch(bare) is not None


_STOPS = ("c", "ch", "p", "t")


def is_vietnamese_syllable(word: str) -> bool:
    """A valid Vietnamese syllable: onset + rhyme (docgen's structural rules) and the tone rule — a syllable
    closed by c, ch, p, t carries only sắc or nặng ("tốt", "việc"; never "tèt", "tổt")."""
    if not word or not _is_vietnamese_syllable(word):
        return False
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = [c for c in decomposed if c in _TONES]
    bare = "".join(c for c in decomposed if c not in _TONES)
    if bare.endswith(_STOPS) and tones and tones[0] not in ("\u0301", "\u0323"):
        return False
    bare = unicodedata.normalize("NFC", bare)
    if bare.endswith(("ă", "â")):                 # ă, â never end a syllable ("vâ", "că" are no words)
        return False
    if "oo" in bare and not bare.endswith(("oong", "ooc")):
        return False
    return True


@lru_cache(maxsize=1)
def common_syllables() -> frozenset[str]:
    """Syllables of real administrative text (docgen/data/am_tiet.txt, made by tools/make_syllables.py)."""
    path = Path(__file__).with_name("data") / "am_tiet.txt"
    try:
        return frozenset(w for w in path.read_text(encoding="utf-8").split() if w)
    except OSError:
        return frozenset()


def _reading(text: str) -> tuple[int, int]:
    """(score, words that are no Vietnamese) of one reading of a cell: 2 a word in the syllable list, 1 a
    valid syllable, 0 otherwise; abbreviations and numbers do not count."""
    score = bad = 0
    common = common_syllables()
    for word in re.findall(r"[^\s\d.,;:()/\-–\"'“”]+", text):
        low = word.lower()
        if low in common:
            score += 2
        elif is_vietnamese_syllable(low):
            score += 1
        elif not (word.isascii() and word.isupper()):
            bad += 1
    return score, bad


@dataclass(frozen=True)
class LegacyDecision:
    """What to do with one cell: ``text`` to use, ``encoding`` it was converted from (None: kept), and
    ``doubt`` (a legacy font, but both readings are Vietnamese: kept as typed, to be confirmed)."""

    text: str
    encoding: str | None = None
    doubt: str | None = None


def decide_legacy(text: str, font: str | None = None) -> LegacyDecision:
    """Per cell: which reading is Vietnamese?  Clerks paste Unicode into old .VnTime workbooks, so a legacy
    font alone does not decide: "Không" in a .VnTime cell stays "Không" (its TCVN3 reading "Khụng" is not a
    word of real text), "Kh«ng" becomes "Không".  The cell is converted only when its legacy reading is clearly
    better (fewer non-Vietnamese words, or as many and more words of real text); it is kept silently when its
    legacy reading has more non-words; otherwise it is kept and ``doubt`` names the other reading.

    The decision depends on the text and the font only, and the same texts come back in every row: it is
    computed once per (text, font) (the caller still reports it for each cell); long texts, rarely repeated, are
    not kept."""
    if len(text) > _CACHED_LENGTH:
        return _decide_legacy.__wrapped__(text, font)
    return _decide_legacy(text, font)


_CACHED_LENGTH = 1000


@functools.lru_cache(maxsize=1 << 12)
def _decide_legacy(text: str, font: str | None) -> LegacyDecision:
    encoding, uppercase = _legacy_font(font)
    if encoding is None:
        fixed, enc = fix_legacy(text, font)
        return LegacyDecision(fixed, enc)
    fixed, enc = fix_legacy(text, font)
    if enc is None:
        return LegacyDecision(text)
    as_is, legacy = _reading(text.lower()), _reading(fixed.lower())
    if legacy[1] < as_is[1] or (legacy[1] == as_is[1] and legacy[0] > as_is[0]):
        return LegacyDecision(fixed, enc)
    if as_is[1] < legacy[1]:
        return LegacyDecision(text)
    return LegacyDecision(text, None, fixed)


def _legacy_font(font: str | None) -> tuple[str | None, bool]:
    """("TCVN3" | "VNI-Windows" | None, uppercase-only font?) from a font name."""
    if not font:
        return None, False
    name = font.strip()
    low = name.lower()
    if low.startswith(".vn"):
        return "TCVN3", name.endswith("H")
    if low.startswith(("vni-", "vni ", "vni_")):
        return "VNI-Windows", False
    return None, False


def _decode_tcvn3(text: str, uppercase: bool = False) -> str:
    out = "".join(TCVN3_TO_UNICODE.get(ch, ch) for ch in text)
    out = unicodedata.normalize("NFC", out)
    return out.upper() if uppercase else out


def _decode_vni(text: str) -> str:
    return unicodedata.normalize("NFC", _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text))


_LEGACY_CHARS = set(TCVN3_TO_UNICODE) | {c for k in VNI_TO_UNICODE for c in k if ord(c) > 127}
_WORD = re.compile(r"[A-Za-z" + "".join(sorted(re.escape(c) for c in _LEGACY_CHARS | _WESTERN_LETTERS)) + r"]+")


def _plausible_western_word(word: str) -> bool:
    """Could ``word`` be French/German/Spanish/... as it is (letters, normal casing, no odd pairs)?"""
    if any(ord(c) > 127 and c not in _WESTERN_LETTERS for c in word):
        return False
    if not (word.islower() or word.isupper() or (word[0].isupper() and word[1:].islower())):
        return False
    for a, b in zip(word, word[1:]):
        if ord(a) > 127 and ord(b) > 127:
            return False
        if a.lower() in "aeiouy" and b in _VNI_VOWEL_MARKS:
            return False
    return True


def _score(original: str, decode) -> tuple[int, int, int, int, bool]:
    """(changed valid, changed invalid, all valid, all counted, input plausibly Western) for one decoder."""
    changed_valid = changed_invalid = all_valid = all_counted = 0
    western = True
    for old in _WORD.findall(original):
        new = decode(old)
        is_abbrev = len(new) >= 2 and new.isupper() and not any(
            c in _TONES for c in unicodedata.normalize("NFD", new))
        counted = len(new) >= 2 and not is_abbrev
        valid = _is_vietnamese_syllable(new)
        if counted:
            all_counted += 1
            all_valid += valid
        if new != old:
            if not _plausible_western_word(old):
                western = False
            if counted:
                if valid:
                    changed_valid += 1
                else:
                    changed_invalid += 1
    return changed_valid, changed_invalid, all_valid, all_counted, western


# Frequent French/German/Spanish/English words that are not Vietnamese syllables' usual ASCII spellings.
_WESTERN_STOPWORDS = frozenset(
    "que qui und der die das the et est les des le el los las une un il du of and pour avec dans sur por para "
    "mit von zu ist sind nicht ein eine sont pas del al en ou où".split())


def _has_western_stopword(text: str) -> bool:
    return any(w.lower() in _WESTERN_STOPWORDS for w in re.findall(r"\w+", text))


def _content_decision(text: str) -> tuple[str, str] | None:
    """Pick TCVN3 or VNI-Windows by content; None when the text should stay as it is."""
    best: tuple[int, str, str] | None = None
    # Unicode Vietnamese made only of Latin-1 letters ("Có thành tích") is also valid TCVN3 bytes: convert
    # only when the result reads as Vietnamese better than the text as it is.
    words = [w for w in _WORD.findall(text) if len(w) >= 2]
    already = sum(1 for w in words if _is_vietnamese_syllable(w))
    odd = sum(1 for w in words if not _is_vietnamese_syllable(w) and any(ord(c) > 127 for c in w))
    for name, decode in (("TCVN3", _decode_tcvn3), ("VNI-Windows", _decode_vni)):
        converted = decode(text)
        if converted == unicodedata.normalize("NFC", text):
            continue
        ok, ko, all_ok, all_n, western = _score(text, decode)
        if ok == 0 or ok < 4 * ko:                        # ≥ 80 % of the changed words are Vietnamese
            continue
        if not odd and all_ok <= already:
            continue
        if western and (ok < 2 or ko or all_ok * 5 < all_n * 4 or _has_western_stopword(text)):
            continue                                      # reads as Western text: need stronger evidence
        if best is None or ok > best[0]:
            best = (ok, name, converted)
    return None if best is None else (best[2], best[1])


def fix_legacy(text: str, font: str | None = None) -> tuple[str, str | None]:
    """Convert TCVN3 (ABC) or VNI-Windows text to Unicode NFC.

    Returns ``(text, encoding)`` where ``encoding`` is "TCVN3" or "VNI-Windows" when the text was
    converted, ``None`` when it is returned unchanged.  The font name decides when it names a legacy font
    (``.Vn*``: TCVN3, ``.Vn…H`` uppercase-only TCVN3, ``VNI-*``: VNI-Windows); otherwise the content does,
    and only when the result clearly reads as Vietnamese and the input is not plausible Western text
    ("Café crème", "Müller", "España" stay as they are).  Text holding characters that no legacy encoding
    produces (real Unicode Vietnamese such as "ơ", "ạ") is never converted.
    """
    if not text:
        return text, None
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return text, None                                 # already Unicode beyond the legacy range
    encoding, uppercase = _legacy_font(font)
    if encoding == "TCVN3":
        converted = _decode_tcvn3(text, uppercase)
    elif encoding == "VNI-Windows":
        converted = _decode_vni(text)
    elif any(ord(c) > 127 for c in text):
        decided = _content_decision(text)
        if decided is None:
            return text, None
        converted, encoding = decided
    else:
        return text, None
    if converted == text:
        return text, None
    return converted, encoding


# ---------------------------------------------------------------------------------------------------
# Template filters

def _blank_safe(fn):
    def wrapper(value, *args, **kwargs):
        if value is None or value == "":
            return ""
        return fn(value, *args, **kwargs)
    wrapper.__name__ = getattr(fn, "__name__", "filter")
    wrapper.__doc__ = fn.__doc__
    wrapper.__wrapped__ = fn            # inspect.signature sees the real parameters (the template lint)
    return wrapper


def _number_arg(v):
    return parse_number(v) if isinstance(v, str) else v


JINJA_FILTERS = {
    "so_chu": _blank_safe(lambda v, **opts: number_to_words(_number_arg(v), **opts)),
    "tien_chu": _blank_safe(lambda v, chan=False, **opts: money_to_words(_number_arg(v), chan=chan, **opts)),
    "so": _blank_safe(lambda v, decimals=None: format_number(_number_arg(v), decimals)),
    "ngay_thang": _blank_safe(lambda v: format_date(parse_date(v))),
    "ngay": _blank_safe(lambda v: short_date(parse_date(v))),
    "in_hoa": _blank_safe(upper),
    "hai_chu_so": _blank_safe(two_digits),
    "so_kem_chu": _blank_safe(count_with_words),
    "phan_tram": _blank_safe(format_percent),
    "sap_xep_ten": lambda items, key=None: sort_names(items or [], key),
}
