"""How many may be proposed: caps by count, by percentage of a base (tập thể, biên chế, số đề nghị), or by
tiers of unit kind and size."""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_FLOOR

from ..errors import Severity
from .catalog import SUBJECT_LABELS, Cap, Tier, name_key
from .context import AWARD_COLUMN, RULES_SHEET, UNITS, Entry, Round, number, proposal_docs, quoted


def total_staff(r: Round) -> tuple[int | None, str]:
    """(Tổng số biên chế, where it comes from): the Quy tắc setting, else the sum of sheet Đơn vị."""
    if r.rules.total_staff is not None:
        return r.rules.total_staff, 'mục "Tổng số biên chế"'
    units = r.campaign.units
    if units and all(u.staff_count is not None for u in units):
        return sum(u.staff_count for u in units), f'tổng "Số biên chế" ở sheet "{UNITS}"'
    return None, ""


def _base(r: Round, cap: Cap) -> tuple[int | None, str, str]:
    """(value, what it counts, how to supply it when missing)."""
    if cap.base == "so_tap_the":
        if r.rules.total_collectives is not None:
            return r.rules.total_collectives, "tập thể", ""
        n = len(r.campaign.units)
        return (n or None), "đơn vị", f'ghi các đơn vị ở sheet "{UNITS}" hoặc mục "Tổng số tập thể" ở sheet "{RULES_SHEET}"'
    if cap.base == "tong_bien_che":
        value, _ = total_staff(r)
        missing = [u.name for u in r.campaign.units if u.staff_count is None]
        hint = (f'ghi "Số biên chế" cho {len(missing)} đơn vị còn thiếu ở sheet "{UNITS}"' if missing else
                f'ghi các đơn vị và số biên chế ở sheet "{UNITS}"') + f' hoặc mục "Tổng số biên chế" ở sheet "{RULES_SHEET}"'
        return value, "biên chế", hint
    # so_de_nghi
    if r.rules.proposed_base is not None:
        return r.rules.proposed_base, f"{SUBJECT_LABELS[cap.subject]} đạt {quoted(cap.base_awards)}", ""
    n = sum(1 for e in r.entries if e.subject == cap.subject and e.status.proposed
            and e.award is not None and e.award.name in cap.base_awards)
    return n, f"{SUBJECT_LABELS[cap.subject]} được đề nghị {quoted(cap.base_awards)}", ""


def _percent_limit(r: Round, cap: Cap) -> tuple[int | None, str, str]:
    """(limit, how it was computed, how to supply the base when missing)."""
    base, what, hint = _base(r, cap)
    if base is None:
        return None, "", hint
    raw = cap.percent * base / 100
    rounding = cap.rounding or r.rules.rounding
    limit = int(raw.to_integral_value(rounding=ROUND_CEILING if rounding == "len" else ROUND_FLOOR))
    calc = f"{number(cap.percent)}% của {base} {what}"
    if raw != limit:
        calc += f" = {number(raw)}, làm tròn {'lên' if rounding == 'len' else 'xuống'} thành {limit}"
    if cap.minimum is not None and limit < cap.minimum:
        limit = cap.minimum
        calc += f", tối thiểu {cap.minimum}"
    return limit, calc, ""


def _tier(cap: Cap, kind_text: str, staff: int | None) -> tuple[Tier | None, bool]:
    """First tier matching; also whether a tier could not be tested for lack of a staff count."""
    staff_missing = False
    for tier in cap.tiers:
        if not tier.kind_matches(kind_text):
            continue
        if tier.needs_staff:
            if staff is None:
                staff_missing = True
                continue
            if not tier.staff_matches(staff):
                continue
        return tier, False
    return None, staff_missing


def check_caps(r: Round) -> None:
    if not r.wants(proposal_docs()):
        return
    for cap in r.rules.caps:
        counted = [e for e in r.entries
                   if e.subject == cap.subject and e.status.proposed and cap.counts(e.award)]
        if not counted:
            continue
        if cap.tiers:
            _tier_cap(r, cap, counted)
            continue
        if cap.max_count is not None:
            _report_cap(r, cap, counted, cap.max_count, cap.description)
            continue
        limit, calc, hint = _percent_limit(r, cap)
        if limit is None:
            r.add(proposal_docs(), f'Chưa kiểm tra được giới hạn "{cap.description}" vì chưa có cơ sở tính tỷ lệ: '
                  f"{hint}.", Severity.WARNING, UNITS, None, None, "thieu-co-so-ty-le", cap.source)
            continue
        _report_cap(r, cap, counted, limit, f"{cap.description}: {calc}")


def _group_by_unit(r: Round, cap: Cap, counted: list[Entry]):
    """Candidates grouped by the unit whose tier applies (key None: the agency as a whole), with the tiers."""
    groups: dict[tuple[str, ...] | None, list[Entry]] = {}
    tiers: dict[tuple[str, ...] | None, Tier] = {}
    if cap.scope != "don_vi":
        return {None: counted}, tiers
    for e in counted:
        unit = r.unit_by_key.get(name_key(e.candidate.unit))
        if unit is not None:
            tier, _ = _tier(cap, unit.kind or unit.name, unit.staff_count)
            if tier is not None:
                key = name_key(unit.name)
                groups.setdefault(key, []).append(e)
                tiers[key] = tier
                continue
        groups.setdefault(None, []).append(e)
    return groups, tiers


def _tier_cap(r: Round, cap: Cap, counted: list[Entry]) -> None:
    groups, tiers = _group_by_unit(r, cap, counted)
    agency = r.info.issuing_agency
    for key, members in groups.items():
        if key is not None:
            unit, tier = r.unit_by_key[key], tiers[key]
            size = f" có {unit.staff_count} biên chế" if tier.needs_staff else ""
            _report_cap(r, cap, members, tier.max_count,
                        f'{cap.description}; đơn vị "{unit.name}"{size}, mức "{tier.description}"')
            continue
        staff, staff_label = total_staff(r)
        tier, staff_missing = _tier(cap, agency, staff)
        where = f'cơ quan "{agency}"' if agency else "cơ quan ban hành"
        if tier is None:
            need = (f'ghi "Số biên chế" ở sheet "{UNITS}" hoặc mục "Tổng số biên chế" ở sheet "{RULES_SHEET}"'
                    if staff_missing else f'ghi "Loại đơn vị" ở sheet "{UNITS}" hoặc mục "Số '
                    f'{SUBJECT_LABELS[cap.subject]} tối đa" ở sheet "{RULES_SHEET}"')
            r.add(proposal_docs(), f'Chưa xác định được mức tối đa "{cap.description}" cho {where}: {need}.',
                  Severity.WARNING, UNITS, None, None, "thieu-co-so-ty-le", cap.source)
            continue
        size = f" có {staff} biên chế ({staff_label})" if tier.needs_staff else ""
        _report_cap(r, cap, members, tier.max_count, f'{cap.description}; {where}{size}, mức "{tier.description}"')


def _report_cap(r: Round, cap: Cap, counted: list[Entry], limit: int, explanation: str) -> None:
    if len(counted) <= limit:
        return
    first_over = counted[limit].candidate
    what = quoted(cap.awards) if cap.awards else "khen thưởng"
    r.add(proposal_docs(), f"Có {len(counted)} {SUBJECT_LABELS[cap.subject]} được đề nghị {what}, vượt mức tối "
          f"đa {limit} ({explanation}).", Severity.ERROR, counted[limit].sheet, first_over.row, AWARD_COLUMN,
          "ty-le-tap-the" if cap.subject == "tap_the" else "ty-le-ca-nhan", cap.source)
