"""Who may be proposed at all: an award that fits the subject, no discipline, enough months of service, a
collective without disciplined members, a unit that is known."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

from ..errors import Severity
from ..model import Collective, Individual
from ..vietnamese import short_date
from .catalog import SUBJECT_LABELS, name_key
from .context import AWARD_COLUMN, DISCIPLINE_COLUMN, UNIT_COLUMN, UNITS, Round, candidate_docs


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def check_awards(r: Round) -> None:
    """Each award written is in the catalogue and may be given to that kind of subject."""
    for e in r.entries:
        c = e.candidate
        if not c.award:
            continue
        if e.award is None:
            r.add(candidate_docs(), f'"{c.award}" không có trong danh mục danh hiệu thi đua, hình thức khen '
                  "thưởng; chọn trong danh sách hoặc kiểm tra chính tả.", Severity.WARNING, e.sheet, c.row,
                  AWARD_COLUMN, "hinh-thuc-khong-ro")
        elif not e.award.allows(e.subject):
            allowed = ", ".join(SUBJECT_LABELS[s] for s in e.award.subjects)
            e.refuse(f'"{e.award.name}" không dùng để khen thưởng {SUBJECT_LABELS[e.subject]}')
            r.add(candidate_docs(), f'"{e.award.name}" là {e.award.category_label} dành cho {allowed}, không '
                  f"dùng để khen thưởng {SUBJECT_LABELS[e.subject]}.", Severity.ERROR, e.sheet, c.row,
                  AWARD_COLUMN, "hinh-thuc-sai-doi-tuong", e.award.source)


def check_eligibility(r: Round) -> None:
    """Discipline, and the months of service the rule set asks for its award (Lao động tiên tiến, ngành KSND)."""
    rules = r.rules
    for e in r.entries:
        c = e.candidate
        if c.disciplined:
            e.refuse(f"Đang bị kỷ luật hoặc xem xét kỷ luật ({c.discipline})")
            r.add(candidate_docs(), f'"{c.display_name}" đang bị kỷ luật hoặc xem xét kỷ luật ("{c.discipline}") '
                  "nên không được đề nghị khen thưởng.", Severity.WARNING, e.sheet, c.row, DISCIPLINE_COLUMN,
                  "ky-luat", r.cat.conditions.discipline_source)
        if (isinstance(c, Individual) and rules.min_months is not None and c.recruited_on is not None
                and e.award is not None and e.award.name == rules.min_months_award and r.info.year):
            period_end = date(r.info.year, 12, 31)
            if _add_months(c.recruited_on, rules.min_months) > period_end + timedelta(days=1):
                recruited, end = short_date(c.recruited_on), short_date(period_end)
                e.refuse(f"Tuyển dụng ngày {recruited}, đến {end} chưa đủ {rules.min_months} tháng công tác")
                r.add(candidate_docs(), f'"{c.display_name}" được tuyển dụng ngày {recruited}, đến '
                      f"{end} chưa đủ {rules.min_months} tháng công tác nên không được xét "
                      f'"{e.award.name}".', Severity.WARNING, e.sheet, c.row, "Ngày tuyển dụng",
                      "chua-du-thoi-gian-cong-tac", rules.min_months_source)


def check_collective_members(r: Round) -> None:
    """A collective is flagged when an individual of its unit is disciplined.  Members: individuals whose
    Đơn vị is the collective's name, or its Đơn vị when no other collective shares that Đơn vị (a shared
    Đơn vị is a parent unit, not the collective itself)."""
    disciplined = [i for i in r.campaign.individuals if i.disciplined and i.unit]
    if not disciplined:
        return
    unit_users: dict[tuple[str, ...], int] = {}
    for col in r.campaign.collectives:
        if col.unit:
            unit_users[name_key(col.unit)] = unit_users.get(name_key(col.unit), 0) + 1
    for e in r.entries:
        col = e.candidate
        if not isinstance(col, Collective):
            continue
        keys = {name_key(col.name)}
        if col.unit and unit_users.get(name_key(col.unit)) == 1:
            keys.add(name_key(col.unit))
        members = [i for i in disciplined if name_key(i.unit) in keys]
        if members:
            names = ", ".join(f'{i.full_name} (dòng {i.row}: "{i.discipline}")' for i in members)
            r.add(candidate_docs(), f'Tập thể "{col.name}" có cá nhân đang bị kỷ luật hoặc xem xét kỷ luật: '
                  f"{names}. Xem xét lại việc đề nghị khen thưởng tập thể này.", Severity.WARNING, e.sheet,
                  col.row, e.name_column, "tap-the-co-ca-nhan-ky-luat",
                  r.cat.conditions.collective_discipline_source)


def check_units(r: Round) -> None:
    """Each candidate's Đơn vị is in sheet Đơn vị (or is the agency itself, or a collective of the round)."""
    if not r.campaign.units:
        return
    known = set(r.unit_by_key)
    known.update(name_key(x) for x in (r.info.issuing_agency, r.info.parent_agency) if x)
    collective_names = {name_key(c.name) for c in r.campaign.collectives}
    for e in r.entries:
        c = e.candidate
        if not c.unit:
            continue
        key = name_key(c.unit)
        if key in known or (isinstance(c, Individual) and key in collective_names):
            continue
        r.add(candidate_docs(), f'Đơn vị "{c.unit}" không có trong sheet "{UNITS}".', Severity.WARNING,
              e.sheet, c.row, UNIT_COLUMN, "don-vi-khong-co")
