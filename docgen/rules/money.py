"""Mức lương cơ sở and tiền thưởng, computed with Decimal from the data files."""
from __future__ import annotations

from datetime import date
from decimal import ROUND_CEILING, Decimal

from ..vietnamese import short_date as day
from .catalog import SUBJECT_LABELS, Award, RulesError, SalaryLevel, catalog, subject_code


class NoBaseSalary(RulesError):
    """No base salary is recorded for the date asked."""


class NoPrizeCoefficient(RulesError):
    """The award has no prize coefficient for that subject and date."""


def salary_level(on: date) -> SalaryLevel:
    """The base-salary entry in force on ``on``."""
    levels = [s for s in catalog().salaries if s.effective_from <= on]
    if not levels:
        first = catalog().salaries[0].effective_from
        raise NoBaseSalary(f"Chưa có dữ liệu mức lương cơ sở áp dụng ngày {day(on)} (dữ liệu bắt đầu từ "
                           f"{day(first)}); bổ sung tệp luong_co_so.toml.")
    return levels[-1]


def base_salary(on: date) -> int:
    """Mức lương cơ sở (đồng/tháng) in force on ``on``."""
    return salary_level(on).amount


def round_up_prize(amount: Decimal) -> int:
    """Round an amount UP to the step of the data (10.000 đồng)."""
    step = Decimal(catalog().rounding_step)
    return int((amount / step).to_integral_value(rounding=ROUND_CEILING) * step)


def _award(award: str | Award) -> Award:
    if isinstance(award, Award):
        return award
    found = catalog().find_award(award)
    if found is None:
        raise NoPrizeCoefficient(f'"{award}" không có trong danh mục khen thưởng nên không tính được tiền thưởng.')
    return found


def prize_coefficient(award: str | Award, subject: str, decision_date: date) -> Decimal:
    """The coefficient (× mức lương cơ sở) of ``award`` for ``subject`` on ``decision_date``."""
    a, code = _award(award), subject_code(subject)
    if not a.allows(code):
        raise NoPrizeCoefficient(f'"{a.name}" không dùng để khen thưởng {SUBJECT_LABELS[code]}.')
    coefficients = a.coefficients_on(decision_date)
    value = coefficients.values.get(code) if coefficients else None
    if value is None:
        raise NoPrizeCoefficient(f'Danh mục khen thưởng chưa có hệ số tiền thưởng của "{a.name}" cho '
                                 f"{SUBJECT_LABELS[code]} áp dụng ngày {day(decision_date)}; bổ sung tệp "
                                 "khen_thuong.toml.")
    return value


def prize_money(award: str | Award, subject: str, decision_date: date) -> int:
    """Tiền thưởng (đồng): coefficient × mức lương cơ sở in force on the decision date, rounded UP to the next
    10.000 đồng.  A hộ gia đình without its own coefficient gets 1,5 × the individual amount.

    Raises :class:`NoPrizeCoefficient` (Vietnamese message) when the award has no coefficient."""
    a, code = _award(award), subject_code(subject)
    if code == "ho_gia_dinh" and a.allows(code):
        coefficients = a.coefficients_on(decision_date)
        if coefficients is None or "ho_gia_dinh" not in coefficients.values:
            individual = prize_money(a, "ca_nhan", decision_date)
            return round_up_prize(Decimal(individual) * catalog().household_factor)
    return round_up_prize(prize_coefficient(a, code, decision_date) * Decimal(base_salary(decision_date)))
