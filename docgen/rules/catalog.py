"""The rules as data: the TOML files of ``docgen/rules/data`` loaded into typed, validated records.

Nothing here knows a number of the law: every award, coefficient, legal text, base salary and preset
comes from the data files, each with its source and effective dates.  A folder named by the environment
variable ``DOCGEN_QUY_TAC`` may hold edited copies of any of the files (same file names); they replace
the packaged ones, so a clerk can follow a new decree without touching the installed package.

The files are read once (:func:`catalog`); :func:`reload` reads them again.
"""
from __future__ import annotations

import functools
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import DocgenError
from ..text import fold

OVERRIDE_ENV = "DOCGEN_QUY_TAC"
DATA_FILES = ("khen_thuong.toml", "can_cu.toml", "luong_co_so.toml", "bo_quy_tac.toml")

SUBJECTS = ("ca_nhan", "tap_the", "ho_gia_dinh")
SUBJECT_LABELS = {"ca_nhan": "cá nhân", "tap_the": "tập thể", "ho_gia_dinh": "hộ gia đình"}
CATEGORIES = ("danh_hieu", "hinh_thuc")
CAP_BASES = ("so_tap_the", "tong_bien_che", "so_de_nghi")
CAP_SCOPES = ("co_quan", "don_vi")
ROUNDINGS = ("xuong", "len")


class RulesError(DocgenError, ValueError):
    """A rule cannot be applied (message in Vietnamese)."""


class RulesDataError(RulesError):
    """A rules data file is missing or malformed."""


# ---------------------------------------------------------------------------------------------- names

# Abbreviations expanded before names are compared (folded, one word each).
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "vksnd": "vien kiem sat nhan dan",
    "vkstc": "vien kiem sat nhan dan toi cao",
    "ksnd": "kiem sat nhan dan",
    "cstd": "chien si thi dua",
    "ldtt": "lao dong tien tien",
    "ldxs": "lao dong xuat sac",
    "tldtt": "tap the lao dong tien tien",
    "tldxs": "tap the lao dong xuat sac",
    "llvtnd": "luc luong vu trang nhan dan",
    "ttg": "thu tuong",
}
_FILLER_WORDS = {"cua"}
# "sỹ" / "sĩ", "kỹ" / "kĩ", "lý" / "lí": a final "y" after consonants is written "i" as often (folded alike).
_FINAL_Y = re.compile(r"^([bcdghklmnpqrstvx]+)y$")
_LEADING_WORDS = (("danh", "hieu"), ("hinh", "thuc"), ("tang",))


@functools.lru_cache(maxsize=8192)       # the same few award names are matched for every candidate
def name_key(text: str | None) -> tuple[str, ...]:
    """Words of a name for matching: no case, diacritics, punctuation or "của"; abbreviations expanded; "sỹ"
    read as "sĩ" (any final "y" after consonants as "i"); a leading "Danh hiệu" / "Hình thức" / "Tặng" dropped."""
    words: list[str] = []
    for word in re.sub(r"[^0-9a-z]+", " ", fold(text)).split():
        words.extend(_FINAL_Y.sub(r"\1i", w) for w in _ABBREVIATIONS.get(word, word).split())
    words = [w for w in words if w not in _FILLER_WORDS]
    for lead in _LEADING_WORDS:
        if tuple(words[: len(lead)]) == lead and len(words) > len(lead):
            words = words[len(lead):]
            break
    return tuple(words)


def contains_words(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as consecutive words."""
    n = len(needle)
    return n > 0 and any(haystack[i:i + n] == needle for i in range(len(haystack) - n + 1))


def subject_code(subject: str) -> str:
    """ "ca_nhan", "Cá nhân", "tập thể", "Hộ gia đình" → the subject code; ValueError otherwise."""
    code = re.sub(r"[^a-z]+", "_", fold(subject)).strip("_")
    if code not in SUBJECTS:
        raise RulesError(f'Đối tượng "{subject}" không hợp lệ; dùng: cá nhân, tập thể hoặc hộ gia đình.')
    return code


# ---------------------------------------------------------------------------------------------- records

@dataclass(frozen=True)
class Coefficients:
    """Prize coefficients of an award for one period (× mức lương cơ sở)."""

    values: Mapping[str, Decimal]
    effective_from: date | None
    effective_until: date | None
    source: str
    verify: bool = False

    def in_force(self, on: date) -> bool:
        return _in_period(on, self.effective_from, self.effective_until)


@dataclass(frozen=True)
class Award:
    """A danh hiệu thi đua or hình thức khen thưởng of the catalogue."""

    name: str
    aliases: tuple[str, ...]
    subjects: tuple[str, ...]
    category: str                         # "danh_hieu" | "hinh_thuc"
    source: str
    vote_percent: Decimal | None = None   # None: the preset's default threshold
    vote_strict: bool = True              # True: more than vote_percent; False: at least
    vote_required: bool = False
    vote_source: str = ""
    vote_verify: bool = False
    coefficients: tuple[Coefficients, ...] = ()
    note: str = ""

    @property
    def category_label(self) -> str:
        return "danh hiệu thi đua" if self.category == "danh_hieu" else "hình thức khen thưởng"

    def allows(self, subject: str) -> bool:
        return subject in self.subjects

    def coefficients_on(self, on: date) -> Coefficients | None:
        for c in self.coefficients:
            if c.in_force(on):
                return c
        return None


@dataclass(frozen=True)
class LegalText:
    """A legal text that can be cited in the "Căn cứ" lines, with its validity."""

    number: str
    name: str
    citation: str
    patterns: tuple[str, ...]            # normalised (see legal_norm)
    scopes: tuple[str, ...]
    suggest: bool
    effective_from: date | None = None
    effective_until: date | None = None
    replaced_by: str = ""
    verify: bool = False
    note: str = ""

    def in_force(self, on: date) -> bool:
        return _in_period(on, self.effective_from, self.effective_until)

    def cited_in(self, text: str) -> bool:
        norm = legal_norm(text)
        return any(re.search(rf"(?<![0-9a-z]){re.escape(p)}(?![0-9a-z])", norm) for p in self.patterns)


@dataclass(frozen=True)
class SalaryLevel:
    amount: int
    effective_from: date
    effective_until: date | None
    source: str
    replaced_by: str = ""
    verify: bool = False


@dataclass(frozen=True)
class Tier:
    """One line of a cap that depends on the kind and size (biên chế) of a unit."""

    max_count: int
    kinds: tuple[tuple[str, ...], ...] = ()     # name_key of the words that must appear in the kind text
    staff_min: int | None = None
    staff_max: int | None = None
    description: str = ""

    @property
    def needs_staff(self) -> bool:
        return self.staff_min is not None or self.staff_max is not None

    def kind_matches(self, kind_text: str) -> bool:
        if not self.kinds:
            return True
        words = name_key(kind_text)
        return any(contains_words(words, k) for k in self.kinds)

    def staff_matches(self, staff: int) -> bool:
        return (self.staff_min is None or staff >= self.staff_min) and (
            self.staff_max is None or staff <= self.staff_max)


@dataclass(frozen=True)
class Cap:
    """A quota on the number of candidates proposed."""

    code: str
    subject: str                            # "tap_the" | "ca_nhan"
    description: str
    source: str
    awards: tuple[str, ...] = ()            # canonical award names counted; () = every award
    award_kinds: tuple[str, ...] = ()       # "Loại khen thưởng" values it applies to; () = all
    max_count: int | None = None
    percent: Decimal | None = None
    base: str | None = None                 # one of CAP_BASES when percent is set
    base_awards: tuple[str, ...] = ()       # for base "so_de_nghi"
    minimum: int | None = None
    rounding: str | None = None             # None: the preset's
    tiers: tuple[Tier, ...] = ()
    scope: str = "co_quan"                  # for tiers

    @property
    def kind(self) -> str:
        """ "ty_le" (percentage), "so_luong" (fixed count or tiers)."""
        return "ty_le" if self.percent is not None else "so_luong"

    def applies_to(self, award_kind: str) -> bool:
        if not self.award_kinds:
            return True
        return any(name_key(k) == name_key(award_kind) for k in self.award_kinds)

    def counts(self, award: Award | None) -> bool:
        if not self.awards:
            return True
        return award is not None and award.name in self.awards


@dataclass(frozen=True)
class RankingRule:
    column: str
    priority_from: Decimal | None = None
    descending: bool = True
    source: str = ""


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    description: str
    source: str
    rounding: str = "xuong"
    ksnd: bool = False
    caps: tuple[Cap, ...] = ()
    rankings: tuple[RankingRule, ...] = ()
    deadline: date | None = None
    deadline_source: str = ""
    effective_from: date | None = None
    effective_until: date | None = None


@dataclass(frozen=True)
class CouncilRule:
    quorum: Fraction
    quorum_source: str
    default_percent: Decimal
    default_strict: bool
    default_source: str


@dataclass(frozen=True)
class Conditions:
    """Sources of the general eligibility conditions."""

    discipline_source: str
    collective_discipline_source: str


@dataclass(frozen=True)
class KsndRule:
    """Rules of ngành Kiểm sát nhân dân switched on by a preset or the "Ngành KSND" setting."""

    source: str
    caps: tuple[Cap, ...]
    min_months: int
    ldtt_award: str
    ldtt_source: str


@dataclass(frozen=True)
class Catalog:
    awards: tuple[Award, ...]
    legal_texts: tuple[LegalText, ...]
    salaries: tuple[SalaryLevel, ...]
    rounding_step: int
    rounding_source: str
    household_factor: Decimal
    household_source: str
    presets: Mapping[str, Preset]
    council: CouncilRule
    ksnd: KsndRule
    conditions: Conditions
    award_index: Mapping[tuple[str, ...], Award] = field(default_factory=dict)

    def find_award(self, name: str | None) -> Award | None:
        return _find_in_index(self.award_index, name)

    def legal_text(self, number: str) -> LegalText | None:
        key = legal_norm(number)
        for t in self.legal_texts:
            if legal_norm(t.number) == key:
                return t
        return None


def _find_in_index(index: Mapping[tuple[str, ...], Award], name: str | None) -> Award | None:
    key = name_key(name)
    if not key:
        return None
    found = index.get(key)
    if found is not None:
        return found
    # A longer name starting with a known one ("Giấy khen của Viện trưởng VKSND tỉnh Cao Bằng").
    best: tuple[int, Award] | None = None
    for k, award in index.items():
        if len(k) < len(key) and key[: len(k)] == k and (best is None or len(k) > best[0]):
            best = (len(k), award)
    return best[1] if best else None


def legal_norm(text: str) -> str:
    """Text normalised for finding legal numbers and titles: folded, punctuation as spaces, no spaces
    around "/" and "-"."""
    s = re.sub(r"[^0-9a-z/\-]+", " ", fold(text))
    s = re.sub(r"\s*([/\-])\s*", r"\1", s)
    return " ".join(s.split())


def _in_period(on: date, start: date | None, end: date | None) -> bool:
    return (start is None or on >= start) and (end is None or on < end)


# ---------------------------------------------------------------------------------------------- parsing

class TomlTable:
    """One TOML table with the file and entry named in every error."""

    def __init__(self, data: Any, where: str, allowed: Iterable[str]):
        if not isinstance(data, dict):
            raise RulesDataError(f"{where}: phải là một bảng (table) TOML.")
        self.data = data
        self.where = where
        unknown = sorted(set(data) - set(allowed))
        if unknown:
            raise RulesDataError(f"{where}: khóa không hợp lệ {', '.join(unknown)} "
                                 f"(các khóa dùng được: {', '.join(sorted(allowed))}).")

    def fail(self, key: str, message: str) -> RulesDataError:
        return RulesDataError(f'{self.where}, khóa "{key}": {message}')

    def text(self, key: str, required: bool = False, default: str = "") -> str:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "bắt buộc phải có.")
            return default
        if not isinstance(value, str) or (required and not value.strip()):
            raise self.fail(key, "phải là một chuỗi ký tự không rỗng.")
        return value.strip()

    def texts(self, key: str) -> tuple[str, ...]:
        value = self.data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(key, "phải là danh sách chuỗi ký tự.")
        return tuple(v.strip() for v in value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.data.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "phải là true hoặc false.")
        return value

    def day(self, key: str, required: bool = False) -> date | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "bắt buộc phải có (dạng NĂM-THÁNG-NGÀY, ví dụ 2026-07-01).")
            return None
        if isinstance(value, datetime) or not isinstance(value, date):
            raise self.fail(key, "phải là một ngày dạng NĂM-THÁNG-NGÀY, ví dụ 2026-07-01 (không có giờ).")
        return value

    def decimal(self, key: str, required: bool = False) -> Decimal | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "bắt buộc phải có.")
            return None
        if isinstance(value, bool):
            raise self.fail(key, "phải là một số.")
        try:
            number = Decimal(str(value).replace(",", ".")) if isinstance(value, (int, float, str)) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number < 0:
            raise self.fail(key, f'"{value}" không phải là số không âm.')
        return number

    def integer(self, key: str, required: bool = False) -> int | None:
        value = self.data.get(key)
        if value is None:
            if required:
                raise self.fail(key, "bắt buộc phải có.")
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail(key, f'"{value}" không phải là số nguyên không âm.')
        return value

    def choice(self, key: str, choices: Iterable[str], default: str | None = None) -> str:
        value = self.data.get(key, default)
        choices = tuple(choices)
        if value not in choices:
            raise self.fail(key, f'"{value}" không hợp lệ; chọn một trong: {", ".join(choices)}.')
        return value

    def tables(self, key: str) -> list:
        value = self.data.get(key, [])
        if not isinstance(value, list):
            raise self.fail(key, "phải là danh sách bảng ([[...]]).")
        return value


def _comparison(entry: TomlTable, key: str, default: str) -> bool:
    """">" → strict (True); ">=" / "≥" → not strict."""
    value = entry.data.get(key, default)
    if value == ">":
        return True
    if value in (">=", "≥"):
        return False
    raise entry.fail(key, f'"{value}" không hợp lệ; ghi ">" (trên) hoặc ">=" (từ ... trở lên).')


def _parse_awards(doc: dict, fname: str) -> tuple[tuple[Award, ...], Decimal, str]:
    top = TomlTable(doc, fname, ("ho_gia_dinh_gap", "ho_gia_dinh_nguon", "danh_muc"))
    factor = top.decimal("ho_gia_dinh_gap", required=True)
    awards: list[Award] = []
    for i, raw in enumerate(top.tables("danh_muc"), start=1):
        e = TomlTable(raw, f"{fname}, [[danh_muc]] thứ {i}", (
            "ten", "ten_khac", "doi_tuong", "loai", "nguon", "ghi_chu", "kiem_tra_lai", "bieu_quyet_ty_le",
            "bieu_quyet_so_sanh", "bieu_quyet_bat_buoc", "bieu_quyet_nguon", "bieu_quyet_kiem_tra_lai", "he_so"))
        name = e.text("ten", required=True)
        e.where = f'{fname}, danh hiệu / hình thức "{name}"'
        subjects = e.texts("doi_tuong")
        if not subjects or any(s not in SUBJECTS for s in subjects):
            raise e.fail("doi_tuong", f"phải gồm một hoặc nhiều giá trị trong: {', '.join(SUBJECTS)}.")
        coefficients: list[Coefficients] = []
        for j, craw in enumerate(e.tables("he_so"), start=1):
            c = TomlTable(craw, f"{e.where}, [[danh_muc.he_so]] thứ {j}",
                       ("hieu_luc_tu", "het_hieu_luc", "thay_the_boi", "nguon", "kiem_tra_lai", *SUBJECTS))
            values = {s: c.decimal(s) for s in SUBJECTS if s in craw}
            if not values:
                raise RulesDataError(f"{c.where}: cần ít nhất một hệ số ({', '.join(SUBJECTS)}).")
            stray = [s for s in values if s not in subjects]
            if stray:
                raise c.fail(stray[0], "đối tượng này không có trong doi_tuong của danh hiệu / hình thức.")
            start, end = c.day("hieu_luc_tu", required=True), c.day("het_hieu_luc")
            if end is not None and end <= start:
                raise c.fail("het_hieu_luc", "phải sau hieu_luc_tu.")
            coefficients.append(Coefficients(values, start, end, c.text("nguon", required=True),
                                             c.flag("kiem_tra_lai")))
        ordered = sorted(coefficients, key=lambda c: c.effective_from)
        for prev, nxt in zip(ordered, ordered[1:]):
            if prev.effective_until is None or prev.effective_until > nxt.effective_from:
                raise RulesDataError(f"{e.where}: các khối he_so chồng lấn thời gian; ghi het_hieu_luc cho khối "
                                     f"cũ không muộn hơn hieu_luc_tu của khối mới ({nxt.effective_from:%Y-%m-%d}).")
        percent = e.decimal("bieu_quyet_ty_le")
        if percent is not None and percent > 100:
            raise e.fail("bieu_quyet_ty_le", "không được lớn hơn 100.")
        awards.append(Award(
            name=name, aliases=e.texts("ten_khac"), subjects=subjects,
            category=e.choice("loai", CATEGORIES), source=e.text("nguon", required=True),
            vote_percent=percent, vote_strict=_comparison(e, "bieu_quyet_so_sanh", ">"),
            vote_required=e.flag("bieu_quyet_bat_buoc"), vote_source=e.text("bieu_quyet_nguon"),
            vote_verify=e.flag("bieu_quyet_kiem_tra_lai"), coefficients=tuple(ordered), note=e.text("ghi_chu"),
        ))
    if not awards:
        raise RulesDataError(f"{fname}: chưa có danh hiệu / hình thức nào ([[danh_muc]]).")
    return tuple(awards), factor, top.text("ho_gia_dinh_nguon", required=True)


def _award_index(awards: Iterable[Award]) -> dict[tuple[str, ...], Award]:
    index: dict[tuple[str, ...], Award] = {}
    for award in awards:
        for label in (award.name, *award.aliases):
            key = name_key(label)
            other = index.get(key)
            if other is not None and other is not award:
                raise RulesDataError(f'khen_thuong.toml: tên "{label}" của "{award.name}" trùng với '
                                     f'"{other.name}" (khi bỏ dấu, chữ hoa, dấu câu).')
            index[key] = award
    return index


def _parse_legal(doc: dict, fname: str) -> tuple[LegalText, ...]:
    top = TomlTable(doc, fname, ("van_ban",))
    texts: list[LegalText] = []
    for i, raw in enumerate(top.tables("van_ban"), start=1):
        e = TomlTable(raw, f"{fname}, [[van_ban]] thứ {i}", (
            "so", "ten", "trich_dan", "nhan_dien", "hieu_luc_tu", "het_hieu_luc", "thay_the_boi", "pham_vi",
            "goi_y", "kiem_tra_lai", "ghi_chu"))
        number = e.text("so", required=True)
        e.where = f'{fname}, văn bản "{number}"'
        start, end = e.day("hieu_luc_tu"), e.day("het_hieu_luc")
        if start and end and end <= start:
            raise e.fail("het_hieu_luc", "phải sau hieu_luc_tu.")
        scopes = e.texts("pham_vi")
        if not scopes:
            raise e.fail("pham_vi", "cần ít nhất một phạm vi (chung, ksnd, tien_thuong, van_thu...).")
        texts.append(LegalText(
            number=number, name=e.text("ten", required=True), citation=e.text("trich_dan", required=True),
            patterns=tuple(dict.fromkeys(legal_norm(p) for p in (number, *e.texts("nhan_dien")))),
            scopes=scopes, suggest=e.flag("goi_y"), effective_from=start, effective_until=end,
            replaced_by=e.text("thay_the_boi"), verify=e.flag("kiem_tra_lai"), note=e.text("ghi_chu"),
        ))
    known = {legal_norm(t.number) for t in texts}
    for t in texts:
        if t.replaced_by and legal_norm(t.replaced_by) not in known:
            raise RulesDataError(f'{fname}, văn bản "{t.number}": thay_the_boi "{t.replaced_by}" chưa có trong '
                                 "danh sách [[van_ban]].")
    return tuple(texts)


def _parse_salaries(doc: dict, fname: str) -> tuple[tuple[SalaryLevel, ...], int, str]:
    top = TomlTable(doc, fname, ("lam_tron_len_den", "lam_tron_nguon", "lam_tron_kiem_tra_lai", "muc"))
    step = top.integer("lam_tron_len_den", required=True)
    if step == 0:
        raise top.fail("lam_tron_len_den", "phải lớn hơn 0.")
    levels: list[SalaryLevel] = []
    for i, raw in enumerate(top.tables("muc"), start=1):
        e = TomlTable(raw, f"{fname}, [[muc]] thứ {i}",
                   ("so_tien", "hieu_luc_tu", "het_hieu_luc", "thay_the_boi", "nguon", "kiem_tra_lai", "ghi_chu"))
        amount = e.integer("so_tien", required=True)
        if amount == 0:
            raise e.fail("so_tien", "phải lớn hơn 0.")
        levels.append(SalaryLevel(amount, e.day("hieu_luc_tu", required=True), e.day("het_hieu_luc"),
                                  e.text("nguon", required=True), e.text("thay_the_boi"), e.flag("kiem_tra_lai")))
    if not levels:
        raise RulesDataError(f"{fname}: chưa có mức lương cơ sở nào ([[muc]]).")
    levels.sort(key=lambda s: s.effective_from)
    for prev, nxt in zip(levels, levels[1:]):
        if prev.effective_from == nxt.effective_from:
            raise RulesDataError(f"{fname}: hai mức lương cơ sở cùng hieu_luc_tu {nxt.effective_from:%Y-%m-%d}.")
    return tuple(levels), step, top.text("lam_tron_nguon", required=True)


def _canonical_awards(e: TomlTable, key: str, index: Mapping[tuple[str, ...], Award]) -> tuple[str, ...]:
    names = []
    for label in e.texts(key):
        award = _find_in_index(index, label)
        if award is None:
            raise e.fail(key, f'"{label}" không có trong danh mục khen thưởng (khen_thuong.toml).')
        names.append(award.name)
    return tuple(names)


def _parse_cap(raw: Any, where: str, lookup: Mapping[tuple[str, ...], Award]) -> Cap:
    e = TomlTable(raw, where, ("ma", "doi_tuong", "hinh_thuc", "loai_khen_thuong", "toi_da", "ty_le", "co_so",
                            "co_so_hinh_thuc", "toi_thieu", "lam_tron", "bac", "pham_vi", "mo_ta", "nguon"))
    code = e.text("ma", required=True)
    e.where = f'{where} "{code}"'
    subject = e.choice("doi_tuong", ("tap_the", "ca_nhan"))
    max_count, percent = e.integer("toi_da"), e.decimal("ty_le")
    tiers: list[Tier] = []
    for j, traw in enumerate(e.tables("bac"), start=1):
        t = TomlTable(traw, f"{e.where}, [[bac]] thứ {j}",
                   ("loai_don_vi", "bien_che_tu", "bien_che_den", "toi_da", "mo_ta"))
        tiers.append(Tier(t.integer("toi_da", required=True), tuple(name_key(k) for k in t.texts("loai_don_vi")),
                          t.integer("bien_che_tu"), t.integer("bien_che_den"), t.text("mo_ta", required=True)))
    if (max_count is not None) + (percent is not None) + bool(tiers) != 1:
        raise RulesDataError(f"{e.where}: ghi đúng một trong: toi_da, ty_le (kèm co_so) hoặc các khối [[bac]].")
    base = None
    if percent is not None:
        if percent > 100:
            raise e.fail("ty_le", "không được lớn hơn 100.")
        base = e.choice("co_so", CAP_BASES)
    base_awards = _canonical_awards(e, "co_so_hinh_thuc", lookup)
    if base == "so_de_nghi" and not base_awards:
        raise e.fail("co_so_hinh_thuc", 'cần danh sách hình thức khi co_so = "so_de_nghi".')
    rounding = e.data.get("lam_tron")
    if rounding is not None:
        rounding = e.choice("lam_tron", ROUNDINGS)
    return Cap(
        code=code, subject=subject, description=e.text("mo_ta", required=True), source=e.text("nguon", required=True),
        awards=_canonical_awards(e, "hinh_thuc", lookup), award_kinds=e.texts("loai_khen_thuong"),
        max_count=max_count, percent=percent, base=base, base_awards=base_awards, minimum=e.integer("toi_thieu"),
        rounding=rounding, tiers=tuple(tiers), scope=e.choice("pham_vi", CAP_SCOPES, "co_quan"),
    )


def _parse_presets(doc: dict, fname: str, lookup: Mapping[tuple[str, ...], Award]
                   ) -> tuple[dict[str, Preset], CouncilRule, KsndRule, Conditions]:
    top = TomlTable(doc, fname, ("hoi_dong", "dieu_kien", "nganh_ksnd", "bo"))
    d = TomlTable(doc.get("dieu_kien"), f"{fname}, [dieu_kien]",
               ("ky_luat_nguon", "ky_luat_kiem_tra_lai", "tap_the_ky_luat_nguon"))
    conditions = Conditions(d.text("ky_luat_nguon", required=True), d.text("tap_the_ky_luat_nguon", required=True))
    c = TomlTable(doc.get("hoi_dong"), f"{fname}, [hoi_dong]", (
        "co_mat_toi_thieu", "co_mat_nguon", "co_mat_kiem_tra_lai", "nguong_mac_dinh", "nguong_mac_dinh_so_sanh",
        "nguong_mac_dinh_nguon"))
    quorum_text = c.text("co_mat_toi_thieu", required=True)
    try:
        quorum = Fraction(quorum_text)
    except (ValueError, ZeroDivisionError):
        raise c.fail("co_mat_toi_thieu", f'"{quorum_text}" không phải là phân số (ví dụ "2/3").') from None
    if not 0 < quorum <= 1:
        raise c.fail("co_mat_toi_thieu", "phải lớn hơn 0 và không quá 1.")
    council = CouncilRule(quorum, c.text("co_mat_nguon", required=True), c.decimal("nguong_mac_dinh", required=True),
                          _comparison(c, "nguong_mac_dinh_so_sanh", ">"), c.text("nguong_mac_dinh_nguon", required=True))
    k = TomlTable(doc.get("nganh_ksnd"), f"{fname}, [nganh_ksnd]", (
        "nguon", "kiem_tra_lai", "ldtt_thang_cong_tac_toi_thieu", "ldtt_hinh_thuc", "ldtt_nguon", "gioi_han"))
    ldtt = _find_in_index(lookup, k.text("ldtt_hinh_thuc", required=True))
    if ldtt is None:
        raise k.fail("ldtt_hinh_thuc", "không có trong danh mục khen thưởng.")
    ksnd = KsndRule(
        source=k.text("nguon", required=True),
        caps=tuple(_parse_cap(r, f"{k.where}, [[gioi_han]]", lookup) for r in k.tables("gioi_han")),
        min_months=k.integer("ldtt_thang_cong_tac_toi_thieu", required=True), ldtt_award=ldtt.name,
        ldtt_source=k.text("ldtt_nguon", required=True),
    )
    presets: dict[str, Preset] = {}
    for i, raw in enumerate(top.tables("bo"), start=1):
        e = TomlTable(raw, f"{fname}, [[bo]] thứ {i}", (
            "ma", "ten", "mo_ta", "nguon", "lam_tron", "nganh_ksnd", "han_nop", "han_nop_nguon", "hieu_luc_tu",
            "het_hieu_luc", "gioi_han", "xep_hang"))
        pid = e.text("ma", required=True)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", pid):
            raise e.fail("ma", f'"{pid}" chỉ được gồm chữ thường không dấu, chữ số và dấu "-".')
        if pid in presets:
            raise e.fail("ma", f'"{pid}" bị trùng.')
        e.where = f'{fname}, bộ quy tắc "{pid}"'
        rankings = []
        for j, rraw in enumerate(e.tables("xep_hang"), start=1):
            r = TomlTable(rraw, f"{e.where}, [[xep_hang]] thứ {j}", ("cot", "uu_tien_tu", "thu_tu", "nguon"))
            rankings.append(RankingRule(r.text("cot", required=True), r.decimal("uu_tien_tu"),
                                        r.choice("thu_tu", ("giam", "tang"), "giam") == "giam", r.text("nguon")))
        deadline = e.day("han_nop")
        presets[pid] = Preset(
            id=pid, name=e.text("ten", required=True), description=e.text("mo_ta"),
            source=e.text("nguon", required=True), rounding=e.choice("lam_tron", ROUNDINGS, "xuong"),
            ksnd=e.flag("nganh_ksnd"),
            caps=tuple(_parse_cap(r, f"{e.where}, [[gioi_han]]", lookup) for r in e.tables("gioi_han")),
            rankings=tuple(rankings), deadline=deadline,
            deadline_source=e.text("han_nop_nguon", required=deadline is not None),
            effective_from=e.day("hieu_luc_tu"), effective_until=e.day("het_hieu_luc"),
        )
    if "mac-dinh" not in presets:
        raise RulesDataError(f'{fname}: thiếu bộ quy tắc "mac-dinh".')
    names = {}
    for p in presets.values():
        key = name_key(p.name)
        if key in names:
            raise RulesDataError(f'{fname}: hai bộ quy tắc cùng tên "{p.name}" ({names[key]}, {p.id}).')
        names[key] = p.id
    return presets, council, ksnd, conditions


# ---------------------------------------------------------------------------------------------- loading

def _data_text(name: str, folder: str | None) -> str:
    if folder:
        path = Path(folder) / name
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise RulesDataError(f'Không đọc được tệp quy tắc "{path}": {exc}') from None
    return (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")


def load_catalog(texts: Mapping[str, str]) -> Catalog:
    """Build the catalogue from the text of the four data files (keyed by file name)."""
    docs = {}
    for name in DATA_FILES:
        if name not in texts:
            raise RulesDataError(f'Thiếu tệp quy tắc "{name}".')
        try:
            docs[name] = tomllib.loads(texts[name])
        except tomllib.TOMLDecodeError as exc:
            raise RulesDataError(f'Tệp quy tắc "{name}" sai cú pháp TOML: {exc}') from None
    awards, factor, household_source = _parse_awards(docs["khen_thuong.toml"], "khen_thuong.toml")
    salaries, step, rounding_source = _parse_salaries(docs["luong_co_so.toml"], "luong_co_so.toml")
    index = _award_index(awards)
    presets, council, ksnd, conditions = _parse_presets(docs["bo_quy_tac.toml"], "bo_quy_tac.toml", index)
    return Catalog(
        awards=awards, legal_texts=_parse_legal(docs["can_cu.toml"], "can_cu.toml"), salaries=salaries,
        rounding_step=step, rounding_source=rounding_source, household_factor=factor,
        household_source=household_source, presets=presets, council=council, ksnd=ksnd, conditions=conditions,
        award_index=index,
    )


@functools.lru_cache(maxsize=4)
def _cached(folder: str | None) -> Catalog:
    """The catalogue of the data files in ``folder`` (None: the packaged ones), kept between runs under a hash
    of their text and of docgen's code (:func:`docgen.compiled.kept_object`): parsing the TOML is most of it."""
    from ..compiled import kept_object

    texts = {name: _data_text(name, folder) for name in DATA_FILES}
    content = b"".join(name.encode() + b"\0" + texts[name].encode("utf-8") + b"\0" for name in DATA_FILES)
    return kept_object("rules-catalog", content, lambda: load_catalog(texts), lambda made: True)


def catalog() -> Catalog:
    """The rules data in use (the packaged files, or edited copies in ``$DOCGEN_QUY_TAC``)."""
    return _cached(os.environ.get(OVERRIDE_ENV) or None)


def reload() -> Catalog:
    """Read the data files again (after editing them)."""
    _cached.cache_clear()
    return catalog()


def award_names(subject: str | None = None) -> list[str]:
    """Canonical award names in catalogue order (for dropdowns); only those for ``subject`` when given
    ("ca_nhan", "tap_the", "ho_gia_dinh" or "Cá nhân", "Tập thể"...)."""
    code = subject_code(subject) if subject is not None else None
    return [a.name for a in catalog().awards if code is None or a.allows(code)]


def find_award(name: str | None) -> Award | None:
    """The catalogue entry for ``name``, ignoring case, diacritics, punctuation and spacing, accepting aliases
    and abbreviations (CSTĐ, LĐTT, UBND, VKSND...) and longer names that start with a known one."""
    return catalog().find_award(name)


def suggest_awards(name: str | None, n: int = 3) -> list[str]:
    """The canonical names nearest to an award name that matches nothing (for "Có phải là: …?")."""
    import difflib

    key = " ".join(name_key(name))
    labels: dict[str, str] = {}
    for award in catalog().awards:
        for label in (award.name, *award.aliases):
            labels.setdefault(" ".join(name_key(label)), award.name)
    out: list[str] = []
    for close in difflib.get_close_matches(key, list(labels), n=10, cutoff=0.5):
        if labels[close] not in out:
            out.append(labels[close])
    return out[:n]


def legal_bases_in_force(on: date, scope: str | Iterable[str] = ("chung",)) -> list[LegalText]:
    """The legal texts to propose as "Căn cứ" lines for a document dated ``on``: those marked ``goi_y``, in force
    that day, in one of the ``scope``s ("chung", "ksnd", "tien_thuong", "van_thu"), in data order."""
    scopes = {scope} if isinstance(scope, str) else set(scope)
    return [t for t in catalog().legal_texts if t.suggest and t.in_force(on) and scopes.intersection(t.scopes)]


def find_legal_texts(text: str) -> list[LegalText]:
    """The catalogue's legal texts cited in one "Căn cứ" line."""
    return [t for t in catalog().legal_texts if t.cited_in(text)]
