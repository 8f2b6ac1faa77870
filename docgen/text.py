"""Low-level text helpers shared by every stage: cleaning, folding for matching, slugs."""
from __future__ import annotations

import functools
import re
import unicodedata

# Characters XML 1.0 forbids (everything below 0x20 except tab, LF, CR; lone surrogates; U+FFFE/F).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def strip_illegal(text: str) -> str:
    """Drop characters that cannot appear in an XML document."""
    return _XML_ILLEGAL.sub("", text)


def clean_text(text: str, *, keep_newlines: bool = True) -> str:
    """NFC, XML-illegal characters removed, spaces collapsed and trimmed (line by line)."""
    text = unicodedata.normalize("NFC", strip_illegal(str(text)))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    if keep_newlines:
        # drop leading/trailing blank lines, keep single blank lines inside
        out: list[str] = []
        for line in lines:
            if line or (out and out[-1]):
                out.append(line)
        while out and not out[-1]:
            out.pop()
        return "\n".join(out)
    return " ".join(line for line in lines if line)


def _strip_accents_slow(text: str) -> str:
    """The definition: "đ"/"Đ" → "d"/"D", canonical decomposition (NFD), every non-spacing mark dropped."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


@functools.cache                 # built on the first text with diacritics, not when docgen starts
def _accent_table() -> tuple[dict[int, str], re.Pattern]:
    """Per-character answers of :func:`_strip_accents_slow` for Latin, Vietnamese and punctuation, and a pattern
    of every character outside them.  A character is in the table only if its decomposition keeps no mark but
    non-spacing ones (Mn) and every other part is a starter (combining class 0): NFD decomposes character by
    character and reorders only combining marks, so dropping the Mn of each character alone gives the same
    text as the whole string's NFD — for any text made only of such characters."""
    table: dict[int, str] = {}
    ranges = ((0x80, 0x250), (0x1E00, 0x1F00), (0x2000, 0x2070))
    for start, end in ranges:
        for code in range(start, end):
            c = chr(code)
            if unicodedata.category(c).startswith("M"):
                continue
            parts = unicodedata.normalize("NFD", c)
            if all(unicodedata.category(p) == "Mn" or unicodedata.combining(p) == 0 for p in parts):
                table[code] = _strip_accents_slow(c)
    allowed = "".join(re.escape(chr(code)) for code in sorted(table))
    return table, re.compile(f"[^\\x00-\\x7f{allowed}]")


def strip_accents(text: str) -> str:
    """Remove Vietnamese diacritics ("Đ" → "D")."""
    if text.isascii():
        return text
    table, outside = _accent_table()
    if outside.search(text) is None:
        return text.translate(table)
    return _strip_accents_slow(text)


def fold(text: str | None) -> str:
    """Key used to match sheet names, keys and headers: no case, no diacritics, single spaces."""
    if text is None:
        return ""
    if type(text) is str:
        return _fold_str(text)
    return _fold_str(str(text))


@functools.lru_cache(maxsize=1 << 16)
def _fold_str(text: str) -> str:        # names are folded again and again: once each is enough
    text = strip_accents(unicodedata.normalize("NFC", str(text))).casefold()
    return " ".join(text.split())


_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def slug(text: str, sep: str = "-", max_length: int | None = None) -> str:
    """ASCII kebab-case ("Tỷ lệ án (%)" → "ty-le-an"); ``sep="_"`` gives snake_case."""
    ascii_text = strip_accents(unicodedata.normalize("NFC", str(text))).lower()
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii")
    s = _NOT_ALNUM.sub(sep, ascii_text).strip(sep)
    if max_length is not None and len(s) > max_length:
        s = s[:max_length].rstrip(sep)
    return s


_LEVELS = re.compile(r"\s*(?:\n|/)\s*")           # "ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", one level a line


def levels(text: str | None) -> list[str]:
    """Text typed on several lines or with "/" between levels ("ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH") → its
    non-empty levels."""
    return [p for p in _LEVELS.split(text or "") if p.strip()]
