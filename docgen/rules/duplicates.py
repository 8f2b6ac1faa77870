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
    """One finding per group of duplicates (50 rows with one name: one message listing the rows, not 1,225
    pairs), located at the group's second row."""
    seen: dict[tuple, list[Entry]] = {}
    groups: dict[tuple, list] = {}       # (rule, key, …) → [entry, first match, [rows]]
    for e in r.entries:
        c = e.candidate
        key = _key(e)
        for prev in seen.get(key, []):
            p = prev.candidate
            birth = getattr(c, "birth_date", None)
            if isinstance(c, Individual) and isinstance(p, Individual):
                if c.birth_date is None or p.birth_date is None:
                    _group(groups, ("co-the-trung", key), e, prev)
                    continue
                if c.birth_date != p.birth_date:
                    continue
            rule = "trung" if r.same_award(c.award, p.award) else "nhieu-hinh-thuc"
            award = r.award_of(c.award)
            _group(groups, (rule, key, birth, id(award) if award is not None else fold(c.award)), e, prev)
        seen.setdefault(key, []).append(e)
    for (rule, *_), (e, prev, rows) in groups.items():
        _finding(r, rule, e, prev, rows)


def _group(groups: dict, key: tuple, e: Entry, prev: Entry) -> None:
    group = groups.setdefault(key, [e, prev, [prev.candidate.row]])
    for row in (prev.candidate.row, e.candidate.row):
        if row not in group[2]:
            group[2].append(row)


def _finding(r: Round, rule: str, e: Entry, prev: Entry, rows: list[int]) -> None:
    c, p = e.candidate, prev.candidate
    others = [row for row in rows if row not in (p.row, c.row)]
    also = f" (và dòng {', '.join(map(str, others))})" if others else ""
    if rule == "co-the-trung":
        r.add(candidate_docs(), f'"{c.full_name}" trùng họ tên với dòng {p.row}{also} nhưng thiếu ngày sinh '
              "để phân biệt; kiểm tra lại có phải cùng một người không.", Severity.WARNING,
              e.sheet, c.row, "Ngày sinh", "co-the-trung")
        return
    who = (f'"{c.full_name}" (sinh ngày {short_date(c.birth_date)})' if isinstance(c, Individual)
           else f'Tập thể "{c.name}"')
    if rule == "trung":
        times = "hai lần" if len(rows) == 2 else f"{len(rows)} lần (các dòng {', '.join(map(str, rows))})"
        r.add(candidate_docs(), f'{who} trùng với dòng {p.row}: cùng một đối tượng được đề nghị '
              f'"{c.award}" {times}.', Severity.ERROR, e.sheet, c.row, e.name_column,
              "trung-ca-nhan" if e.subject == "ca_nhan" else "trung-tap-the")
    else:
        r.add(candidate_docs(), f'{who} cũng được đề nghị "{p.award}" ở dòng {p.row}{also}; một đối tượng được '
              "đề nghị hai hình thức, kiểm tra lại.", Severity.WARNING, e.sheet, c.row,
              AWARD_COLUMN, "nhieu-hinh-thuc")
