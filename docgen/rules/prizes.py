"""Tiền thưởng of each proposed candidate, on the decision date (computation: :mod:`docgen.rules.money`)."""
from __future__ import annotations

from datetime import date

from ..errors import Severity
from ..vietnamese import short_date
from .context import AWARD_COLUMN, INFO, RULES_SHEET, Round
from .money import NoBaseSalary, NoPrizeCoefficient, prize_money


def decision_date(r: Round) -> date | None:
    """Thông tin "Ngày Quyết định", else Quy tắc "Ngày quyết định", else Ngày ban hành, else today when the
    Quyết định is asked for."""
    own = r.info.dates.get("QĐ")
    setting = r.rules.decision_date
    if own is not None and setting is not None and own != setting:
        r.add({"quyet-dinh"}, f'Mục "Ngày quyết định" ({short_date(setting)}) khác "Ngày Quyết định" ở sheet '
              f'"{INFO}" ({short_date(own)}); tiền thưởng tính theo ngày {short_date(own)} ghi trên Quyết định.',
              Severity.WARNING, RULES_SHEET, r.rules.setting_row("decision_date"), "Giá trị",
              "ngay-quyet-dinh-khac")
    if own is not None or setting is not None:
        return own or setting
    if r.info.issue_date is not None or "quyet-dinh" in r.docs:
        return r.dates["quyet-dinh"]
    return None


def compute_prizes(r: Round) -> None:
    decision = decision_date(r)
    if decision is None:
        return
    salary_reported = False
    for e in r.entries:
        if not e.status.proposed or e.award is None or not e.award.allows(e.subject):
            continue
        try:
            e.status.prize = prize_money(e.award, e.subject, decision)
        except NoBaseSalary as exc:
            if not salary_reported:
                salary_reported = True
                r.add({"quyet-dinh"}, str(exc), Severity.WARNING, rule="thieu-luong-co-so")
        except NoPrizeCoefficient as exc:
            r.add({"quyet-dinh"}, f"{exc} Quyết định sẽ không ghi tiền thưởng cho đối tượng này.",
                  Severity.WARNING, e.sheet, e.candidate.row, AWARD_COLUMN, "thieu-he-so-tien-thuong")
