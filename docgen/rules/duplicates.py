"""The same person or collective proposed twice (same award: error; another award: warning)."""
from __future__ import annotations

from ..errors import Severity
from ..model import Individual
from ..text import fold
from ..vietnamese import short_date
from .catalog import name_key
from .context import AWARD_COLUMN, Entry, Round, candidate_docs


def _key(e: Entry) -> tuple:
    """Individuals: the folded name; collectives: the folded name and their Đơn vị."""
    c = e.candidate
    if isinstance(c, Individual):
        return (e.subject, fold(c.display_name))
    return (e.subject, fold(c.name), name_key(c.unit))


def check_duplicates(r: Round) -> None:
    seen: dict[tuple, list[Entry]] = {}
    for e in r.entries:
        c = e.candidate
        key = _key(e)
        for prev in seen.get(key, []):
            p = prev.candidate
            if isinstance(c, Individual) and isinstance(p, Individual):
                if c.birth_date is None or p.birth_date is None:
                    r.add(candidate_docs(), f'"{c.full_name}" trùng họ tên với dòng {p.row} nhưng thiếu ngày sinh '
                          "để phân biệt; kiểm tra lại có phải cùng một người không.", Severity.WARNING,
                          e.sheet, c.row, "Ngày sinh", "co-the-trung")
                    continue
                if c.birth_date != p.birth_date:
                    continue
            who = (f'"{c.full_name}" (sinh ngày {short_date(c.birth_date)})' if isinstance(c, Individual)
                   else f'Tập thể "{c.name}"')
            if r.same_award(c.award, p.award):
                r.add(candidate_docs(), f'{who} trùng với dòng {p.row}: cùng một đối tượng được đề nghị '
                      f'"{c.award}" hai lần.', Severity.ERROR, e.sheet, c.row, e.name_column,
                      "trung-ca-nhan" if e.subject == "ca_nhan" else "trung-tap-the")
            else:
                r.add(candidate_docs(), f'{who} cũng được đề nghị "{p.award}" ở dòng {p.row}; một đối tượng được '
                      "đề nghị hai hình thức, kiểm tra lại.", Severity.WARNING, e.sheet, c.row,
                      AWARD_COLUMN, "nhieu-hinh-thuc")
        seen.setdefault(key, []).append(e)
