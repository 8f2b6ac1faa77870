"""The optional "Quy tắc" sheet: which preset a campaign follows and the numbers it overrides.

The reader keeps the sheet raw (``campaign.rule_settings``: folded label → (label, value, Excel row));
:func:`resolve` interprets it against :data:`SETTINGS` and the presets of ``bo_quy_tac.toml`` and returns
the :class:`RuleSet` the checks apply, with a located :class:`Problem` for each unknown key or bad value.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Callable

from ..errors import Problem, Severity
from ..model import Campaign
from ..schema import RULE_SETTINGS_SHEET
from ..text import fold
from .catalog import Cap, Preset, RankingRule, catalog, name_key

KEY_HEADER = "Mục"
VALUE_HEADER = "Giá trị"


@dataclass(frozen=True)
class SettingSpec:
    """One key of the "Quy tắc" sheet (what ``docgen init`` writes and the Hướng dẫn describes)."""

    key: str
    label: str
    kind: str
    description: str
    example: str = ""
    allowed: tuple[str, ...] | None = None


_STATIC_SETTINGS: tuple[SettingSpec, ...] = (
    SettingSpec("ksnd", "Ngành KSND", "bool",
                "Có: áp dụng quy định riêng của ngành Kiểm sát nhân dân (Tập thể lao động xuất sắc không quá 20% "
                "số tập thể đạt Tập thể lao động tiên tiến; không xét Lao động tiên tiến với người tuyển dụng dưới "
                "06 tháng). Để trống: theo bộ quy tắc.", "Có", ("Có", "Không")),
    SettingSpec("collective_percent", "Tỷ lệ tập thể tối đa (%)", "percent",
                "Số tập thể được đề nghị không quá tỷ lệ này của tổng số tập thể (số đơn vị ở sheet Đơn vị). "
                "Thay tỷ lệ của bộ quy tắc.", "10"),
    SettingSpec("individual_percent", "Tỷ lệ cá nhân tối đa (%)", "percent",
                "Số cá nhân được đề nghị không quá tỷ lệ này của tổng số biên chế. Thay tỷ lệ của bộ quy tắc.",
                "5"),
    SettingSpec("collective_max", "Số tập thể tối đa", "count",
                "Số tập thể được đề nghị tối đa. Thay số lượng của bộ quy tắc.", "3"),
    SettingSpec("individual_max", "Số cá nhân tối đa", "count",
                "Số cá nhân được đề nghị tối đa. Thay số lượng (kể cả mức theo biên chế) của bộ quy tắc.", "4"),
    SettingSpec("total_collectives", "Tổng số tập thể", "count",
                "Cơ sở tính tỷ lệ tập thể. Để trống: số đơn vị ở sheet Đơn vị.", "12"),
    SettingSpec("total_staff", "Tổng số biên chế", "count",
                "Cơ sở tính tỷ lệ cá nhân và mức theo biên chế. Để trống: tổng cột Số biên chế ở sheet Đơn vị.",
                "145"),
    SettingSpec("rounding", "Làm tròn", "rounding",
                "Cách làm tròn số tối đa tính từ tỷ lệ: Xuống (10% của 23 = 2) hoặc Lên (= 3). "
                "Để trống: theo bộ quy tắc (thường là Xuống).", "Xuống", ("Xuống", "Lên")),
    SettingSpec("tldxs_percent", "Tỷ lệ Tập thể lao động xuất sắc tối đa (%)", "percent",
                "Ngành KSND: Tập thể lao động xuất sắc không quá tỷ lệ này của số tập thể đạt Tập thể lao động "
                "tiên tiến (ít nhất 01).", "20"),
    SettingSpec("tldtt_count", "Số tập thể đạt Tập thể lao động tiên tiến", "count",
                "Cơ sở tính tỷ lệ Tập thể lao động xuất sắc. Để trống: số tập thể được đề nghị Tập thể lao động "
                "tiên tiến hoặc Tập thể lao động xuất sắc.", "12"),
    SettingSpec("ldtt_months", "Số tháng công tác tối thiểu (Lao động tiên tiến)", "count",
                "Người tuyển dụng chưa đủ số tháng này tính đến 31/12 của Năm không được xét Lao động tiên tiến. "
                "Để trống: 06 tháng khi áp dụng quy định ngành KSND.", "6"),
    SettingSpec("vote_threshold", "Ngưỡng biểu quyết mặc định (%)", "threshold",
                "Tỷ lệ phiếu đồng ý (trên tổng số thành viên Hội đồng) cho các hình thức không có ngưỡng riêng. "
                "Ghi 50 nghĩa là trên 50%; ghi \">= 60\" nghĩa là từ 60% trở lên.", "50"),
    SettingSpec("quorum", "Tỷ lệ thành viên có mặt tối thiểu", "fraction",
                "Cuộc họp Hội đồng hợp lệ khi số thành viên có mặt đạt tỷ lệ này (phân số như 2/3, hoặc %).",
                "2/3"),
    SettingSpec("ranking_column", "Cột xếp hạng", "text",
                "Tên cột chỉ tiêu ở sheet Đơn vị dùng để xếp hạng đơn vị (cao xếp trước).",
                "Tỷ lệ án toàn trình (%)"),
    SettingSpec("ranking_priority", "Ngưỡng ưu tiên xếp hạng (%)", "percent",
                "Đơn vị đạt từ mức này trở lên ở cột xếp hạng được đánh dấu ưu tiên.", "98"),
    SettingSpec("decision_date", "Ngày quyết định", "date",
                "Ngày ký quyết định khen thưởng (dd/mm/yyyy), dùng tính tiền thưởng theo mức lương cơ sở khi sheet "
                "Thông tin không ghi \"Ngày Quyết định\". Để trống: Ngày ban hành.", "15/07/2026"),
)


def settings() -> list[SettingSpec]:
    """Every key of the "Quy tắc" sheet, "Bộ quy tắc" first (its allowed values are the preset ids)."""
    presets = catalog().presets
    names = "; ".join(f"{p.id} ({p.name})" for p in presets.values())
    first = SettingSpec("preset", "Bộ quy tắc", "preset",
                        f"Mã hoặc tên bộ quy tắc (tỷ lệ, hạn nộp, xếp hạng theo kế hoạch thi đua): {names}. "
                        "Để trống: mac-dinh.", "vksnd-cao-bang-000", tuple(presets))
    return [first, *_STATIC_SETTINGS]


def find_setting(label: str) -> SettingSpec | None:
    key = name_key(label)
    for spec in settings():
        if name_key(spec.label) == key:
            return spec
    return None


def find_preset(name: str) -> Preset | None:
    """A preset by its id or its name (ignoring case, diacritics and punctuation)."""
    presets = catalog().presets
    wanted = fold(name).replace(" ", "-")
    if wanted in presets:
        return presets[wanted]
    key = name_key(name)
    for p in presets.values():
        if name_key(p.name) == key or name_key(p.id) == key:
            return p
    return None


def preset_names() -> list[str]:
    """The preset ids, "mac-dinh" first."""
    return list(catalog().presets)


# ---------------------------------------------------------------------------------------------- values

class BadValue(ValueError):
    """A "Quy tắc" value that cannot be read (Vietnamese message)."""


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


def _decimal_text(text: str) -> Decimal:
    try:
        return decimal_from_text(text)
    except ValueError as exc:
        raise BadValue(str(exc)) from None


def parse_percent(raw: Any) -> Decimal:
    """10, "10", "10%", "12,5" → Decimal; a number below 1 from a cell formatted as % (0,1) → 10."""
    if isinstance(raw, bool):
        raise BadValue(f'"{raw}" không phải là tỷ lệ phần trăm.')
    if isinstance(raw, (int, float, Decimal)):
        value = Decimal(str(raw))
        if 0 < value < 1:
            value *= 100
    elif isinstance(raw, str):
        value = _decimal_text(raw)
    else:
        raise BadValue(f'"{raw}" không phải là tỷ lệ phần trăm.')
    if not value.is_finite() or not 0 <= value <= 100:
        raise BadValue(f'"{raw}" phải là tỷ lệ từ 0 đến 100 (%).')
    return value.normalize() if value == value.to_integral_value() else value


def parse_count(raw: Any) -> int:
    """A whole number ≥ 0: 3, 3.0, "03", "1.200"."""
    if isinstance(raw, bool):
        raise BadValue(f'"{raw}" không phải là số nguyên.')
    if isinstance(raw, (int, float, Decimal)):
        value = Decimal(str(raw))
    elif isinstance(raw, str):
        s = raw.strip()
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", s):
            s = re.sub(r"[.,]", "", s)
        if not re.fullmatch(r"\d+", s):
            raise BadValue(f'"{raw}" không phải là số nguyên không âm.')
        value = Decimal(s)
    else:
        raise BadValue(f'"{raw}" không phải là số nguyên.')
    if not value.is_finite() or value < 0 or value != value.to_integral_value():
        raise BadValue(f'"{raw}" không phải là số nguyên không âm.')
    return int(value)


_COMPARATORS = ((">=", False), ("≥", False), ("từ", False), (">", True), ("trên", True))


def parse_threshold(raw: Any) -> tuple[Decimal, bool]:
    """ "50" / 50 → (50, strict: more than 50%); ">= 60", "≥ 60", "từ 60" → (60, at least 60%)."""
    if isinstance(raw, str):
        text = raw.strip()
        for sign, strict in _COMPARATORS:
            if text.lower().startswith(sign):
                return parse_percent(text[len(sign):]), strict
        return parse_percent(text), True
    return parse_percent(raw), True


_YES = {"co", "x", "yes", "true", "1", "dung", "ap dung"}
_NO = {"khong", "no", "false", "0", "sai", "khong ap dung"}


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    key = fold(str(raw)).strip(" .")
    if key in _YES:
        return True
    if key in _NO:
        return False
    raise BadValue(f'"{raw}" không hợp lệ; ghi "Có" hoặc "Không".')


def parse_rounding(raw: Any) -> str:
    key = name_key(str(raw))
    if key and key[-1] in ("xuong", "len") and key[:-1] in ((), ("lam", "tron")):
        return key[-1]
    raise BadValue(f'"{raw}" không hợp lệ; ghi "Xuống" hoặc "Lên".')


def parse_fraction(raw: Any) -> Fraction:
    """ "2/3" → 2/3; 66,67 / "66,67%" → 0.6667."""
    if isinstance(raw, str) and "/" in raw:
        try:
            value = Fraction(raw.replace(" ", ""))
        except (ValueError, ZeroDivisionError):
            raise BadValue(f'"{raw}" không phải là phân số (ví dụ 2/3).') from None
    else:
        value = Fraction(parse_percent(raw)) / 100
    if not 0 < value <= 1:
        raise BadValue(f'"{raw}" phải lớn hơn 0 và không quá 1 (100%).')
    return value


def parse_text(raw: Any) -> str:
    text = str(raw).strip()
    if not text:
        raise BadValue("cần ghi tên cột.")
    return text


def parse_date_value(raw: Any) -> date:
    if isinstance(raw, datetime):
        return raw.date()
    if isinstance(raw, date):
        return raw
    if isinstance(raw, str):
        from ..vietnamese import parse_date

        try:
            value = parse_date(raw)
        except ValueError:
            value = None
        if isinstance(value, date):
            return value
    raise BadValue(f'"{raw}" không phải là ngày hợp lệ (ghi dd/mm/yyyy, ví dụ 15/07/2026).')


def parse_preset(raw: Any) -> Preset:
    preset = find_preset(str(raw))
    if preset is None:
        raise BadValue(f'không có bộ quy tắc "{raw}"; chọn một trong: {", ".join(preset_names())}.')
    return preset


PARSERS: dict[str, Callable[[Any], Any]] = {
    "preset": parse_preset, "bool": parse_bool, "percent": parse_percent, "count": parse_count,
    "rounding": parse_rounding, "threshold": parse_threshold, "fraction": parse_fraction, "text": parse_text,
    "date": parse_date_value,
}


# ---------------------------------------------------------------------------------------------- rule set

@dataclass
class RuleSet:
    """The rules one campaign is checked against: a preset with the "Quy tắc" overrides applied."""

    preset: Preset
    rounding: str
    ksnd: bool
    caps: list[Cap]                                # those applying to this campaign's Loại khen thưởng
    quorum: Fraction
    quorum_source: str
    default_vote_percent: Decimal
    default_vote_strict: bool
    default_vote_source: str
    rankings: list[RankingRule]
    deadline: date | None
    deadline_source: str
    decision_date: date | None = None
    total_collectives: int | None = None
    total_staff: int | None = None
    proposed_base: int | None = None               # "Số tập thể đạt Tập thể lao động tiên tiến"
    min_months: int | None = None                  # Lao động tiên tiến: months of service by 31/12
    min_months_award: str = ""
    min_months_source: str = ""
    settings: dict[str, tuple[Any, int]] = field(default_factory=dict)   # key → (value, Excel row)

    @property
    def legal_scopes(self) -> tuple[str, ...]:
        """Scopes of the default legal bases (:func:`docgen.rules.legal_bases_in_force`)."""
        return ("chung", "ksnd") if self.ksnd else ("chung",)

    def setting_row(self, key: str) -> int | None:
        item = self.settings.get(key)
        return item[1] if item else None


def _override_source(spec_label: str, row: int) -> str:
    return f'Sheet "{RULE_SETTINGS_SHEET}", dòng {row}, mục "{spec_label}"'


def _override_caps(caps: list[Cap], subject: str, kind: str, value: Any, label: str, row: int) -> list[Cap]:
    """Replace the value of the caps of ``subject`` and ``kind`` ("ty_le" / "so_luong"); add one covering every
    award when there is none."""
    source = _override_source(label, row)
    description = f'theo mục "{label}" ở sheet "{RULE_SETTINGS_SHEET}"'
    out, changed = [], False
    for cap in caps:
        if cap.subject == subject and cap.kind == kind:
            changes = {"percent": value} if kind == "ty_le" else {"max_count": value, "tiers": ()}
            out.append(replace(cap, description=description, source=source, **changes))
            changed = True
        else:
            out.append(cap)
    if not changed:
        code = f"quy-tac-{subject.replace('_', '-')}-{kind.replace('_', '-')}"
        if kind == "ty_le":
            base = "so_tap_the" if subject == "tap_the" else "tong_bien_che"
            out.append(Cap(code, subject, description, source, percent=value, base=base))
        else:
            out.append(Cap(code, subject, description, source, max_count=value))
    return out


class _Values:
    """The "Quy tắc" values read so far: key → (value, Excel row), with the labels to cite them."""

    def __init__(self, values: dict[str, tuple[Any, int]], labels: dict[str, str]):
        self.items, self.labels = values, labels

    def __contains__(self, key: str) -> bool:
        return key in self.items

    def get(self, key: str, default: Any = None) -> Any:
        return self.items[key][0] if key in self.items else default

    def row(self, key: str) -> int:
        return self.items[key][1]

    def source(self, key: str) -> str:
        """Where a value was set, as a legal source ("Sheet "Quy tắc", dòng 5, mục "…"")."""
        return _override_source(self.labels[key], self.items[key][1])

    def source_or(self, key: str, default: str) -> str:
        return self.source(key) if key in self.items else default


def _unknown_key(label: str, row: int, specs: list[SettingSpec]) -> Problem:
    close = difflib.get_close_matches(fold(label), [fold(s.label) for s in specs], n=1, cutoff=0.6)
    hint = next((f' Có phải là "{s.label}"?' for s in specs if close and fold(s.label) == close[0]), "")
    return Problem(f'Mục "{label}" không phải là mục của sheet "{RULE_SETTINGS_SHEET}".{hint}',
                   Severity.ERROR, RULE_SETTINGS_SHEET, row, KEY_HEADER, "quy-tac-muc-khong-ro")


def _read_values(campaign: Campaign, specs: list[SettingSpec]) -> tuple[_Values, list[Problem]]:
    """Parse every filled row of the sheet; unknown keys and bad values become problems at their row."""
    by_key = {name_key(s.label): s for s in specs}
    problems: list[Problem] = []
    values: dict[str, tuple[Any, int]] = {}
    for label, raw, row in campaign.rule_settings.values():
        spec = by_key.get(name_key(label))
        if spec is None:
            problems.append(_unknown_key(label, row, specs))
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        try:
            values[spec.key] = (PARSERS[spec.kind](raw), row)
        except BadValue as exc:
            problems.append(Problem(f'Mục "{spec.label}": {exc}', Severity.ERROR, RULE_SETTINGS_SHEET, row,
                                    VALUE_HEADER, "quy-tac-gia-tri"))
    return _Values(values, {s.key: s.label for s in specs}), problems


_CAP_OVERRIDES = (("collective_percent", "tap_the", "ty_le"), ("individual_percent", "ca_nhan", "ty_le"),
                  ("collective_max", "tap_the", "so_luong"), ("individual_max", "ca_nhan", "so_luong"))


def _resolve_caps(preset: Preset, ksnd: bool, award_kind: str, values: _Values) -> list[Cap]:
    """The preset's caps for this Loại khen thưởng with the overrides, then the ngành KSND caps."""
    caps = [c for c in preset.caps if c.applies_to(award_kind)]
    for key, subject, kind in _CAP_OVERRIDES:
        if key in values:
            caps = _override_caps(caps, subject, kind, values.get(key), values.labels[key], values.row(key))
    # Ngành KSND caps (Tập thể lao động xuất sắc ≤ 20%...); an explicit "Tỷ lệ Tập thể lao động xuất sắc tối đa"
    # applies that cap even when the preset is not for ngành KSND.
    ksnd_caps = [c for c in catalog().ksnd.caps if c.applies_to(award_kind) and (ksnd or c.percent is not None)]
    if "tldxs_percent" in values:
        value, source = values.get("tldxs_percent"), values.source("tldxs_percent")
        ksnd_caps = [replace(c, percent=value, source=source) if c.percent is not None else c for c in ksnd_caps]
    elif not ksnd:
        ksnd_caps = []
    return caps + ksnd_caps


def _resolve_rankings(preset: Preset, values: _Values) -> list[RankingRule]:
    rankings = list(preset.rankings)
    if "ranking_column" in values:
        column = values.get("ranking_column")
        same = next((r for r in rankings if name_key(r.column) == name_key(column)), None)
        rankings = [RankingRule(column, same.priority_from if same else None, True,
                                values.source("ranking_column"))]
    if "ranking_priority" in values:
        rankings = [replace(r, priority_from=values.get("ranking_priority")) for r in rankings]
    return rankings


def resolve(campaign: Campaign) -> tuple[RuleSet, list[Problem]]:
    """Read the "Quy tắc" sheet of ``campaign`` and build its :class:`RuleSet` (problems located at the row)."""
    cat = catalog()
    values, problems = _read_values(campaign, settings())
    preset: Preset = values.get("preset", cat.presets["mac-dinh"])
    ksnd = values.get("ksnd", preset.ksnd)
    threshold = values.get("vote_threshold")
    council = cat.council
    rules = RuleSet(
        preset=preset, rounding=values.get("rounding", preset.rounding), ksnd=ksnd,
        caps=_resolve_caps(preset, ksnd, campaign.info.award_kind, values),
        quorum=values.get("quorum", council.quorum),
        quorum_source=values.source_or("quorum", council.quorum_source),
        default_vote_percent=threshold[0] if threshold else council.default_percent,
        default_vote_strict=threshold[1] if threshold else council.default_strict,
        default_vote_source=values.source_or("vote_threshold", council.default_source),
        rankings=_resolve_rankings(preset, values), deadline=preset.deadline, deadline_source=preset.deadline_source,
        decision_date=values.get("decision_date"), total_collectives=values.get("total_collectives"),
        total_staff=values.get("total_staff"), proposed_base=values.get("tldtt_count"),
        min_months=values.get("ldtt_months", cat.ksnd.min_months if ksnd else None),
        min_months_award=cat.ksnd.ldtt_award, min_months_source=values.source_or("ldtt_months", cat.ksnd.ldtt_source),
        settings=values.items,
    )
    return rules, problems
