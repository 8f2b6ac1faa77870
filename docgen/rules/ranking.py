"""Unit ranking by a metric column of sheet Đơn vị (Tỷ lệ án toàn trình…), ties sharing a rank."""
from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..errors import Severity
from ..evaluation import Evaluation, UnitRank
from ..model import Unit
from ..text import slug
from .catalog import RankingRule, name_key
from .context import RULES_SHEET, UNITS, Round, proposal_docs, quoted
from .settings import decimal_from_text


def _metric(value: Any) -> Decimal | None:
    """A metric cell as a number ("98,5", "98.5%", 98.5); None when empty; ValueError when not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(str(value))
        if not d.is_finite():
            raise ValueError(value)
        return d
    return decimal_from_text(str(value))


def _find_column(r: Round, rule: RankingRule) -> tuple[str, str] | None:
    """(slug, header as written) of the ranking column in sheet Đơn vị."""
    wanted_slug, wanted_key = slug(rule.column, "_"), name_key(rule.column)
    for u in r.campaign.units:
        for s, header in u.extra_labels.items():
            if s == wanted_slug or name_key(header) == wanted_key:
                return s, header
        if wanted_slug in u.extra:
            return wanted_slug, rule.column
    return None


def _values(r: Round, key: str, header: str) -> list[tuple[Unit, Decimal | None]]:
    """Each unit's metric (None when empty or not a number, reported); a column formatted as % in Excel holds
    fractions (0,985 for 98,5%), scaled to percentages."""
    values: list[tuple[Unit, Decimal | None]] = []
    for u in r.campaign.units:
        try:
            value = _metric(u.extra.get(key))
        except ValueError:
            r.add(proposal_docs(), f'"{u.extra.get(key)}" không phải là số; đơn vị "{u.name}" xếp cuối.',
                  Severity.WARNING, UNITS, u.row, header, "xep-hang-gia-tri")
            value = None
        values.append((u, value))
    numbers = [v for _, v in values if v is not None]
    if "%" in header and numbers and all(v <= 1 for v in numbers) and any(v > 0 for v in numbers):
        values = [(u, None if v is None else v * 100) for u, v in values]
    return values


def rank_units(r: Round, ev: Evaluation) -> None:
    units = r.campaign.units
    if not r.rules.rankings or not units:
        return
    found = None
    for rule in r.rules.rankings:
        column = _find_column(r, rule)
        if column is not None:
            found = (rule, *column)
            break
    if found is None:
        names = quoted(rule.column for rule in r.rules.rankings)
        row = r.rules.setting_row("ranking_column")
        r.add(proposal_docs(), f'Sheet "{UNITS}" không có cột {names} nên chưa xếp hạng đơn vị.',
              Severity.WARNING, RULES_SHEET if row else UNITS, row, "Giá trị" if row else None,
              "xep-hang-thieu-cot", r.rules.rankings[0].source)
        return
    rule, key, header = found
    ev.ranking = _ranks(rule, _values(r, key, header))
    ev.ranking_metric = header


def _ranks(rule: RankingRule, values: list[tuple[Unit, Decimal | None]]) -> list[UnitRank]:
    """Sorted by the metric (equal values share a rank), units without a value last."""
    valued = sorted(((u, v) for u, v in values if v is not None), key=lambda p: p[1], reverse=rule.descending)
    ranking: list[UnitRank] = []
    previous: Decimal | None = None
    for i, (u, v) in enumerate(valued):
        rank = ranking[-1].rank if ranking and v == previous else i + 1
        previous = v
        ranking.append(UnitRank(u, float(v), rank, rule.priority_from is not None and v >= rule.priority_from))
    last = len(valued) + 1
    return ranking + [UnitRank(u, None, last, False) for u, v in values if v is None]
