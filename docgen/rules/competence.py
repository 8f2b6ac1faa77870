"""Thẩm quyền: which authority decides which danh hiệu / hình thức — the one registry of competence.

The table is data (``data/tham_quyen.toml``, versioned by effective dates, each period with its legal source);
this module reads it, finds the authority of an issuing agency (the workbook's "Thẩm quyền khen thưởng", or
inferred from the agency's name or its signer's title), and says who decides an award on a date.  How a clerk
changes the table when the law changes: ``docs/quy-tac.md``.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from datetime import date

from ..text import fold
from .catalog import OVERRIDE_ENV, Award, Catalog, RulesDataError, _data_text, TomlTable, _in_period, catalog, name_key

DATA_FILE = "tham_quyen.toml"


@dataclass(frozen=True)
class Period:
    """What an authority decides from ``effective_from`` until ``effective_until`` (excluded)."""

    awards: tuple[str, ...]                 # canonical catalogue names
    effective_from: date | None
    effective_until: date | None
    source: str
    verify: bool = False

    def in_force(self, on: date) -> bool:
        return _in_period(on, self.effective_from, self.effective_until)


@dataclass(frozen=True)
class Authority:
    id: str
    label: str                               # the "Thẩm quyền khen thưởng" value of the Thông tin sheet
    title: str                               # how documents name it: "Thủ tướng Chính phủ"
    agency_prefixes: tuple[tuple[str, ...], ...]
    signer_titles: tuple[tuple[str, ...], ...]
    periods: tuple[Period, ...]
    rank: int                                # place in the table, lowest level first

    def period_on(self, on: date) -> Period | None:
        return next((p for p in self.periods if p.in_force(on)), None)

    def decides(self, award: Award | None, on: date) -> bool:
        period = self.period_on(on)
        return award is not None and period is not None and award.name in period.awards

    def source_on(self, on: date) -> str:
        period = self.period_on(on)
        return period.source if period else ""


RECOGNISE, GIVE = "công nhận danh hiệu", "tặng"


@dataclass(frozen=True)
class Competence:
    authorities: tuple[Authority, ...]
    given_titles: tuple[str, ...] = ()       # danh hiệu written "tặng" (Cờ thi đua)

    def verb(self, award: Award | None) -> str:
        """ "công nhận danh hiệu" for a danh hiệu thi đua, "tặng" for a hình thức (and the Cờ thi đua)."""
        if award is not None and award.category == "danh_hieu" and award.name not in self.given_titles:
            return RECOGNISE
        return GIVE

    def find(self, text: str | None) -> Authority | None:
        """An authority by its label, id or title as typed (case, diacritics, punctuation ignored)."""
        key = name_key(text)
        if not key:
            return None
        for a in self.authorities:
            if key in (name_key(a.label), name_key(a.id), name_key(a.title)):
                return a
        # the label without its examples: "Thủ trưởng cơ quan, đơn vị"
        return next((a for a in self.authorities if name_key(a.label.split("(")[0]) == key), None)

    def of_agency(self, agency: str | None) -> Authority | None:
        """The authority whose agency names the issuing agency starts with (the longest prefix wins)."""
        key = name_key(agency)
        best: tuple[int, Authority] | None = None
        for a in self.authorities:
            for prefix in a.agency_prefixes:
                if key[:len(prefix)] == prefix and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), a)
        return best[1] if best else None

    def of_signer_title(self, title: str | None) -> Authority | None:
        key = name_key(title)
        best: tuple[int, Authority] | None = None
        for a in self.authorities:
            for t in a.signer_titles:
                if key[:len(t)] == t and (best is None or len(t) > best[0]):
                    best = (len(t), a)
        return best[1] if best else None

    def deciding(self, award: Award | None, on: date) -> Authority | None:
        """The lowest authority that decides ``award`` on ``on``."""
        return next((a for a in self.authorities if a.decides(award, on)), None)

    def labels(self) -> tuple[str, ...]:
        return tuple(a.label for a in self.authorities)


def _parse_period(data, where: str, cat: Catalog) -> Period:
    e = TomlTable(data, where, ("hieu_luc_tu", "het_hieu_luc", "quyet_dinh", "nguon", "kiem_tra_lai"))
    names = []
    for label in e.texts("quyet_dinh"):
        award = cat.find_award(label)
        if award is None or name_key(award.name) != name_key(label):
            raise e.fail("quyet_dinh", f'"{label}" không phải là tên chuẩn của danh mục khen thưởng '
                                       "(khen_thuong.toml, khóa ten).")
        names.append(award.name)
    start, end = e.day("hieu_luc_tu", required=True), e.day("het_hieu_luc")
    if end is not None and start is not None and end <= start:
        raise e.fail("het_hieu_luc", "phải sau hieu_luc_tu.")
    return Period(tuple(names), start, end, e.text("nguon", required=True), e.flag("kiem_tra_lai"))


def _parse_authority(data, i: int, cat: Catalog) -> Authority:
    where = f"{DATA_FILE}, [[tham_quyen]] thứ {i}"
    e = TomlTable(data, where, ("ma", "ten", "danh_xung", "nhan_dien", "chuc_danh", "giai_doan"))
    periods = tuple(_parse_period(p, f"{where}, giai_doan thứ {j}", cat)
                    for j, p in enumerate(e.tables("giai_doan"), start=1))
    if not periods:
        raise e.fail("giai_doan", "cần ít nhất một giai đoạn ([[tham_quyen.giai_doan]]).")
    ordered = sorted(periods, key=lambda p: p.effective_from or date.min)
    for before, after in zip(ordered, ordered[1:]):
        if before.effective_until is None or before.effective_until > (after.effective_from or date.min):
            raise e.fail("giai_doan", "các giai đoạn chồng lên nhau: ghi het_hieu_luc của giai đoạn trước bằng "
                                      "hieu_luc_tu của giai đoạn sau.")
    return Authority(
        id=e.text("ma", required=True), label=e.text("ten", required=True), title=e.text("danh_xung", required=True),
        agency_prefixes=tuple(name_key(p) for p in e.texts("nhan_dien")),
        signer_titles=tuple(name_key(t) for t in e.texts("chuc_danh")), periods=tuple(ordered), rank=i)


def load_competence(text: str, cat: Catalog) -> Competence:
    """Build the competence table from the text of ``tham_quyen.toml`` (award names checked against ``cat``)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesDataError(f'Tệp quy tắc "{DATA_FILE}" sai cú pháp TOML: {exc}') from None
    top = TomlTable(doc, DATA_FILE, ("tham_quyen", "tang_danh_hieu"))
    given = []
    for label in top.texts("tang_danh_hieu"):
        award = cat.find_award(label)
        if award is None:
            raise top.fail("tang_danh_hieu", f'"{label}" không có trong danh mục khen thưởng (khen_thuong.toml).')
        given.append(award.name)
    authorities = tuple(_parse_authority(a, i, cat) for i, a in enumerate(top.tables("tham_quyen"), start=1))
    if not authorities:
        raise RulesDataError(f"{DATA_FILE}: chưa có cấp thẩm quyền nào ([[tham_quyen]]).")
    seen: dict[str, str] = {}
    for a in authorities:
        for value in (a.id, a.label):
            if fold(value) in seen:
                raise RulesDataError(f'{DATA_FILE}: "{value}" trùng với cấp thẩm quyền "{seen[fold(value)]}".')
            seen[fold(value)] = a.label
    decided = {name for a in authorities for p in a.periods for name in p.awards}
    missing = [award.name for award in cat.awards if award.name not in decided]
    if missing:
        raise RulesDataError(f"{DATA_FILE}: chưa ghi cấp nào quyết định: {', '.join(missing)}.")
    return Competence(authorities, tuple(given))


_cache: list = []          # [(folder, catalogue it was checked against, Competence)]


def competence() -> Competence:
    """The competence table in use (packaged, or the edited copy in ``$DOCGEN_QUY_TAC``); read again after
    :func:`docgen.rules.reload`."""
    folder = os.environ.get(OVERRIDE_ENV) or None
    cat = catalog()
    if not _cache or _cache[0][0] != folder or _cache[0][1] is not cat:
        _cache[:] = [(folder, cat, load_competence(_data_text(DATA_FILE, folder), cat))]
    return _cache[0][2]
