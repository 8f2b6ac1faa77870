"""Apply the thi đua rules to a campaign: eligibility, council votes, quotas, duplicates, deadlines, căn cứ,
unit ranking and prize money.  The result is an :class:`~docgen.evaluation.Evaluation`.

Each check runs only for the documents that need it (``documents``); every finding is a located
:class:`~docgen.errors.Problem` carrying its rule code and legal source.
"""
from __future__ import annotations

import calendar
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction
from typing import Any, Iterable

from .. import schema
from ..documents import REGISTRY
from ..errors import Problem, Severity
from ..evaluation import CandidateStatus, Evaluation, UnitRank, VoteResult
from ..model import Campaign, Candidate, Collective, Individual, Unit, Vote
from ..text import fold, slug
from .catalog import SUBJECT_LABELS, Award, Cap, RankingRule, Tier, catalog, find_legal_texts, name_key
from ._fmt import day as _day
from ._fmt import decimal_from_text
from ._fmt import num as _num
from .money import NoBaseSalary, NoPrizeCoefficient, prize_money
from .settings import RuleSet, resolve

# Which documents each group of checks concerns: flags of the document kinds (docgen.documents), read when
# the checks run, so that a kind registered later is covered too.
def candidate_docs() -> frozenset[str]:      # candidates are listed
    return REGISTRY.where("lists_candidates")


def proposal_docs() -> frozenset[str]:       # who is proposed matters
    return REGISTRY.where("lists_proposals")


def all_votes_docs() -> frozenset[str]:      # every candidate needs a vote
    return REGISTRY.where("needs_every_vote")


def deadline_docs() -> frozenset[str]:       # the hồ sơ sent upward
    return REGISTRY.where("sent_upward")


def legal_docs() -> frozenset[str]:          # print "Căn cứ" lines
    return REGISTRY.where("prints_legal_bases")

INFO = schema.INFO.name
UNITS = schema.UNITS.name
COLLECTIVES = schema.COLLECTIVES.name
INDIVIDUALS = schema.INDIVIDUALS.name
VOTES = schema.VOTES.name
COUNCIL = schema.COUNCIL.name
LEGAL = schema.LEGAL_BASES.name

AWARD_COLUMN = "Hình thức đề nghị"
UNIT_COLUMN = "Đơn vị"
DISCIPLINE_COLUMN = "Kỷ luật"


# ---------------------------------------------------------------------------------------------- formatting

def _fraction_text(q: Fraction) -> str:
    return f"{q.numerator}/{q.denominator}" if q.denominator != 1 else str(q.numerator)


def _quoted(names: Iterable[str]) -> str:
    return " hoặc ".join(f'"{n}"' for n in names)


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


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


# ---------------------------------------------------------------------------------------------- helpers

@dataclass
class _Entry:
    """A candidate being evaluated."""

    status: CandidateStatus
    award: Award | None
    sheet: str
    name_column: str
    subject: str

    @property
    def candidate(self) -> Candidate:
        return self.status.candidate

    def refuse(self, reason: str) -> None:
        self.status.eligible = False
        self.status.proposed = False
        self.status.reasons.append(reason)


class _Evaluator:
    def __init__(self, campaign: Campaign, documents: set[str], today: date):
        self.campaign = campaign
        self.info = campaign.info
        self.docs = documents
        self.today = today
        self.dates = {doc: campaign.date_for(REGISTRY.code_of(doc), today) for doc in REGISTRY.keys}
        self.rules: RuleSet
        self.rules, self.problems = resolve(campaign)
        self.cat = catalog()
        self._awards_by_text: dict[str, Award | None] = {}
        self.entries = [self._entry(c) for c in campaign.candidates]
        self.unit_by_key: dict[tuple[str, ...], Unit] = {}
        for u in campaign.units:
            self.unit_by_key.setdefault(name_key(u.name), u)

    def award_of(self, text: str) -> Award | None:
        """The catalogue entry for an award as written (memoised: the same few names repeat on every row)."""
        if text not in self._awards_by_text:
            self._awards_by_text[text] = self.cat.find_award(text)
        return self._awards_by_text[text]

    def same_award(self, a: str, b: str) -> bool:
        """Whether two awards as written are the same: the same catalogue entry, else the same text."""
        award_a, award_b = self.award_of(a), self.award_of(b)
        if award_a is not None or award_b is not None:
            return award_a is award_b
        return fold(a) == fold(b)

    def _vote_award_matches(self, vote: Vote, entry: _Entry) -> bool:
        return bool(vote.award) and self.same_award(vote.award, entry.candidate.award)

    def _entry(self, candidate: Candidate) -> _Entry:
        award = self.award_of(candidate.award)
        status = CandidateStatus(candidate, award_category=award.category if award else "")
        if isinstance(candidate, Collective):
            return _Entry(status, award, COLLECTIVES, "Tên tập thể", "tap_the")
        return _Entry(status, award, INDIVIDUALS, "Họ và tên", "ca_nhan")

    def wants(self, docs: Iterable[str]) -> bool:
        return not self.docs.isdisjoint(docs)

    def add(self, docs: Iterable[str], message: str, severity: Severity, sheet: str | None = None,
            row: int | None = None, column: str | None = None, rule: str | None = None,
            source: str | None = None) -> None:
        if self.wants(docs):
            self.problems.append(Problem(message, severity, sheet, row or None, column, rule, source or None))

    # ------------------------------------------------------------------ run
    def run(self) -> Evaluation:
        ev = Evaluation(statuses=[e.status for e in self.entries], rules=self.rules)
        self._awards()
        self._eligibility()
        self._collective_members()
        self._duplicates()
        self._units()
        self._votes(ev)
        self._caps()
        self._prizes()
        self._ranking(ev)
        self._deadline()
        self._legal_bases()
        ev.problems = self.problems
        return ev

    # ------------------------------------------------------------------ awards
    def _awards(self) -> None:
        for e in self.entries:
            c = e.candidate
            if not c.award:
                continue
            if e.award is None:
                self.add(candidate_docs(), f'"{c.award}" không có trong danh mục danh hiệu thi đua, hình thức khen '
                         "thưởng; chọn trong danh sách hoặc kiểm tra chính tả.", Severity.WARNING, e.sheet, c.row,
                         AWARD_COLUMN, "hinh-thuc-khong-ro")
            elif not e.award.allows(e.subject):
                allowed = ", ".join(SUBJECT_LABELS[s] for s in e.award.subjects)
                e.refuse(f'"{e.award.name}" không dùng để khen thưởng {SUBJECT_LABELS[e.subject]}')
                self.add(candidate_docs(), f'"{e.award.name}" là {e.award.category_label} dành cho {allowed}, không '
                         f"dùng để khen thưởng {SUBJECT_LABELS[e.subject]}.", Severity.ERROR, e.sheet, c.row,
                         AWARD_COLUMN, "hinh-thuc-sai-doi-tuong", e.award.source)

    # ------------------------------------------------------------------ eligibility
    def _eligibility(self) -> None:
        rules = self.rules
        for e in self.entries:
            c = e.candidate
            if c.disciplined:
                e.refuse(f"Đang bị kỷ luật hoặc xem xét kỷ luật ({c.discipline})")
                self.add(candidate_docs(), f'"{c.display_name}" đang bị kỷ luật hoặc xem xét kỷ luật ("{c.discipline}") '
                         "nên không được đề nghị khen thưởng.", Severity.WARNING, e.sheet, c.row, DISCIPLINE_COLUMN,
                         "ky-luat", self.cat.conditions.discipline_source)
            if (isinstance(c, Individual) and rules.min_months is not None and c.recruited_on is not None
                    and e.award is not None and e.award.name == rules.min_months_award and self.info.year):
                period_end = date(self.info.year, 12, 31)
                if _add_months(c.recruited_on, rules.min_months) > period_end + timedelta(days=1):
                    e.refuse(f"Tuyển dụng ngày {_day(c.recruited_on)}, đến {_day(period_end)} chưa đủ "
                             f"{rules.min_months} tháng công tác")
                    self.add(candidate_docs(), f'"{c.display_name}" được tuyển dụng ngày {_day(c.recruited_on)}, đến '
                             f"{_day(period_end)} chưa đủ {rules.min_months} tháng công tác nên không được xét "
                             f'"{e.award.name}".', Severity.WARNING, e.sheet, c.row, "Ngày tuyển dụng",
                             "chua-du-thoi-gian-cong-tac", rules.min_months_source)

    def _collective_members(self) -> None:
        """A collective is flagged when an individual of its unit is disciplined.  Members: individuals whose
        Đơn vị is the collective's name, or its Đơn vị when no other collective shares that Đơn vị (a shared
        Đơn vị is a parent unit, not the collective itself)."""
        disciplined = [i for i in self.campaign.individuals if i.disciplined and i.unit]
        if not disciplined:
            return
        unit_users: dict[tuple[str, ...], int] = {}
        for col in self.campaign.collectives:
            if col.unit:
                unit_users[name_key(col.unit)] = unit_users.get(name_key(col.unit), 0) + 1
        for e in self.entries:
            col = e.candidate
            if not isinstance(col, Collective):
                continue
            keys = {name_key(col.name)}
            if col.unit and unit_users.get(name_key(col.unit)) == 1:
                keys.add(name_key(col.unit))
            members = [i for i in disciplined if name_key(i.unit) in keys]
            if members:
                names = ", ".join(f'{i.full_name} (dòng {i.row}: "{i.discipline}")' for i in members)
                self.add(candidate_docs(), f'Tập thể "{col.name}" có cá nhân đang bị kỷ luật hoặc xem xét kỷ luật: '
                         f"{names}. Xem xét lại việc đề nghị khen thưởng tập thể này.", Severity.WARNING, e.sheet,
                         col.row, e.name_column, "tap-the-co-ca-nhan-ky-luat",
                         self.cat.conditions.collective_discipline_source)

    # ------------------------------------------------------------------ duplicates
    def _duplicates(self) -> None:
        """One finding per group of duplicates (50 rows with one name: one message listing the rows, not
        1,225 pairs), located at the group's second row."""
        seen: dict[tuple, list[_Entry]] = {}
        groups: dict[tuple, list] = {}       # (rule, key, …) → [entry, first match, [rows]]
        for e in self.entries:
            c = e.candidate
            key = (e.subject, fold(c.display_name)) if isinstance(c, Individual) else (
                e.subject, fold(c.name), name_key(c.unit))
            for prev in seen.get(key, []):
                p = prev.candidate
                birth = getattr(c, "birth_date", None)
                if isinstance(c, Individual) and isinstance(p, Individual):
                    if c.birth_date is None or p.birth_date is None:
                        self._group(groups, ("co-the-trung", key), e, prev)
                        continue
                    if c.birth_date != p.birth_date:
                        continue
                rule = "trung" if self.same_award(c.award, p.award) else "nhieu-hinh-thuc"
                award = self.award_of(c.award)
                self._group(groups, (rule, key, birth, id(award) if award is not None else fold(c.award)), e, prev)
            seen.setdefault(key, []).append(e)
        for (rule, *_), (e, prev, rows) in groups.items():
            self._duplicate_finding(rule, e, prev, rows)

    @staticmethod
    def _group(groups: dict, key: tuple, e: _Entry, prev: _Entry) -> None:
        group = groups.setdefault(key, [e, prev, [prev.candidate.row]])
        for row in (prev.candidate.row, e.candidate.row):
            if row not in group[2]:
                group[2].append(row)

    def _duplicate_finding(self, rule: str, e: _Entry, prev: _Entry, rows: list[int]) -> None:
        c, p = e.candidate, prev.candidate
        others = [r for r in rows if r not in (p.row, c.row)]
        also = f" (và dòng {', '.join(map(str, others))})" if others else ""
        if rule == "co-the-trung":
            self.add(candidate_docs(), f'"{c.full_name}" trùng họ tên với dòng {p.row}{also} nhưng thiếu ngày sinh '
                     "để phân biệt; kiểm tra lại có phải cùng một người không.", Severity.WARNING,
                     e.sheet, c.row, "Ngày sinh", "co-the-trung")
            return
        who = (f'"{c.full_name}" (sinh ngày {_day(c.birth_date)})' if isinstance(c, Individual)
               else f'Tập thể "{c.name}"')
        if rule == "trung":
            times = "hai lần" if len(rows) == 2 else f"{len(rows)} lần (các dòng {', '.join(map(str, rows))})"
            self.add(candidate_docs(), f'{who} trùng với dòng {p.row}: cùng một đối tượng được đề nghị '
                     f'"{c.award}" {times}.', Severity.ERROR, e.sheet, c.row, e.name_column,
                     "trung-ca-nhan" if e.subject == "ca_nhan" else "trung-tap-the")
        else:
            self.add(candidate_docs(), f'{who} cũng được đề nghị "{p.award}" ở dòng {p.row}{also}; một đối tượng được '
                     "đề nghị hai hình thức, kiểm tra lại.", Severity.WARNING, e.sheet, c.row,
                     AWARD_COLUMN, "nhieu-hinh-thuc")

    def _units(self) -> None:
        if not self.campaign.units:
            return
        known = set(self.unit_by_key)
        known.update(name_key(x) for x in (self.info.issuing_agency, self.info.parent_agency) if x)
        collective_names = {name_key(c.name) for c in self.campaign.collectives}
        for e in self.entries:
            c = e.candidate
            if not c.unit:
                continue
            key = name_key(c.unit)
            if key in known or (isinstance(c, Individual) and key in collective_names):
                continue
            self.add(candidate_docs(), f'Đơn vị "{c.unit}" không có trong sheet "{UNITS}".', Severity.WARNING,
                     e.sheet, c.row, UNIT_COLUMN, "don-vi-khong-co")

    # ------------------------------------------------------------------ votes
    def _threshold(self, award: Award | None) -> tuple[Decimal, bool, str]:
        if award is not None and award.vote_percent is not None:
            return award.vote_percent, award.vote_strict, award.vote_source or award.source
        return self.rules.default_vote_percent, self.rules.default_vote_strict, self.rules.default_vote_source

    def _match_votes(self) -> dict[int, Vote]:
        """Vote row for each entry (by index): same name, preferring the same award; leftover rows reported."""
        by_name: dict[str, list[Vote]] = {}
        for v in self.campaign.votes:
            by_name.setdefault(fold(v.subject), []).append(v)
        used: set[int] = set()
        matched: dict[int, Vote] = {}
        # First the rows naming the candidate's own award, then any row left for that name.
        for exact in (True, False):
            for i, e in enumerate(self.entries):
                if i in matched:
                    continue
                for v in by_name.get(fold(e.candidate.display_name), []):
                    if id(v) in used or (exact and not self._vote_award_matches(v, e)):
                        continue
                    matched[i] = v
                    used.add(id(v))
                    if v.award and not self._vote_award_matches(v, e):
                        self.add(proposal_docs(), f'Dòng biểu quyết cho "{v.subject}" ghi hình thức "{v.award}", khác '
                                 f'hình thức đề nghị "{e.candidate.award}" (sheet "{e.sheet}", dòng '
                                 f"{e.candidate.row}).", Severity.WARNING, VOTES, v.row, AWARD_COLUMN,
                                 "bieu-quyet-khac-hinh-thuc")
                    break
        names = {fold(e.candidate.display_name) for e in self.entries}
        for v in self.campaign.votes:
            if id(v) in used:
                continue
            if fold(v.subject) in names:
                self.add(proposal_docs(), f'"{v.subject}" có nhiều dòng biểu quyết hơn số lần được đề nghị; dòng này '
                         "không được dùng.", Severity.WARNING, VOTES, v.row, "Đối tượng", "trung-bieu-quyet")
            else:
                self.add(proposal_docs(), f'Đối tượng "{v.subject}" không có trong sheet "{COLLECTIVES}" hay '
                         f'"{INDIVIDUALS}"; dòng biểu quyết này không được dùng.', Severity.WARNING, VOTES, v.row,
                         "Đối tượng", "bieu-quyet-khong-co-doi-tuong")
        return matched

    def _votes(self, ev: Evaluation) -> None:
        council = self.campaign.council
        members = len(council)
        present = sum(1 for m in council if m.present)
        ev.members_total, ev.members_present = members, present
        quorum = self.rules.quorum
        ev.quorum_ok = members > 0 and Fraction(present, members) >= quorum
        if members and not ev.quorum_ok:
            need = math.ceil(quorum * members)
            self.add(proposal_docs(), f"Hội đồng có {members} thành viên nhưng chỉ {present} thành viên có mặt, chưa đủ "
                     f"{_fraction_text(quorum)} tổng số thành viên (cần ít nhất {need}) để họp xét khen thưởng.",
                     Severity.ERROR, COUNCIL, None, "Có mặt", "khong-du-so-thanh-vien", self.rules.quorum_source)
        for v in self.campaign.votes:
            if v.yes < 0 or v.no < 0:
                self.add(proposal_docs(), "Số phiếu không được âm.", Severity.ERROR, VOTES, v.row,
                         "Đồng ý" if v.yes < 0 else "Không đồng ý", "phieu-khong-hop-le")
            elif members and v.yes + v.no > members:
                self.add(proposal_docs(), f'"{v.subject}": {v.yes} phiếu đồng ý và {v.no} phiếu không đồng ý, tổng '
                         f"{v.yes + v.no} phiếu vượt số thành viên Hội đồng ({members}).", Severity.ERROR, VOTES,
                         v.row, "Đồng ý", "phieu-vuot-so-thanh-vien")
        matched = self._match_votes()
        need_council_reported = False
        for i, e in enumerate(self.entries):
            c = e.candidate
            vote = matched.get(i)
            percent, strict, source = self._threshold(e.award)
            if vote is not None and members:
                share = Fraction(vote.yes * 100, members)
                passed = share > Fraction(percent) if strict else share >= Fraction(percent)
                e.status.vote = VoteResult(vote.yes, vote.no, members, present, vote.yes * 100 / members,
                                           float(percent), strict, passed)
            if not e.status.eligible:
                continue
            result = e.status.vote
            if result is not None:
                e.status.proposed = result.passed
                if not result.passed:
                    text = (f"{result.yes}/{members} thành viên đồng ý ({_num(result.percent)}%), chưa đạt "
                            f"{result.threshold_text} tổng số thành viên Hội đồng")
                    e.status.reasons.append(f"Không đạt tỷ lệ biểu quyết: {text}")
                    self.add(proposal_docs(), f'"{c.display_name}" ({c.award}): {text}; không đề nghị khen thưởng.',
                             Severity.WARNING, VOTES, vote.row, "Đồng ý", "khong-dat-ty-le-bieu-quyet", source)
                continue
            # No usable vote: needed for the Tờ trình / Biên bản, and for the Quyết định when mandatory.
            mandatory = e.award is not None and e.award.vote_required
            e.status.proposed = not (self.wants(all_votes_docs()) or ("quyet-dinh" in self.docs and mandatory))
            if e.status.proposed:
                continue
            if vote is None:
                e.status.reasons.append("Chưa có kết quả biểu quyết của Hội đồng")
                self.add(proposal_docs(), f'Chưa có kết quả biểu quyết cho "{c.display_name}" ({c.award}); thêm một '
                         f'dòng ở sheet "{VOTES}".', Severity.ERROR, e.sheet, c.row, e.name_column, "thieu-bieu-quyet",
                         e.award.vote_source if mandatory else None)
            else:
                e.status.reasons.append("Chưa có danh sách Hội đồng để tính tỷ lệ biểu quyết")
                if not need_council_reported and "bien-ban" not in self.docs:
                    need_council_reported = True
                    self.add(proposal_docs(), f'Chưa có thành viên Hội đồng (sheet "{COUNCIL}") nên không tính được tỷ '
                             "lệ biểu quyết (tỷ lệ tính trên tổng số thành viên).", Severity.ERROR, COUNCIL,
                             rule="bieu-quyet-thieu-hoi-dong")

    # ------------------------------------------------------------------ quotas
    def _total_staff(self) -> tuple[int | None, str]:
        if self.rules.total_staff is not None:
            return self.rules.total_staff, 'mục "Tổng số biên chế"'
        units = self.campaign.units
        if units and all(u.staff_count is not None for u in units):
            return sum(u.staff_count for u in units), f'tổng "Số biên chế" ở sheet "{UNITS}"'
        return None, ""

    def _base(self, cap: Cap) -> tuple[int | None, str, str]:
        """(value, what it counts, how to supply it when missing)."""
        if cap.base == "so_tap_the":
            if self.rules.total_collectives is not None:
                return self.rules.total_collectives, "tập thể", ""
            n = len(self.campaign.units)
            return (n or None), "đơn vị", f'ghi các đơn vị ở sheet "{UNITS}" hoặc mục "Tổng số tập thể" ở sheet "Quy tắc"'
        if cap.base == "tong_bien_che":
            value, _ = self._total_staff()
            missing = [u.name for u in self.campaign.units if u.staff_count is None]
            hint = (f'ghi "Số biên chế" cho {len(missing)} đơn vị còn thiếu ở sheet "{UNITS}"' if missing else
                    f'ghi các đơn vị và số biên chế ở sheet "{UNITS}"') + ' hoặc mục "Tổng số biên chế" ở sheet "Quy tắc"'
            return value, "biên chế", hint
        # so_de_nghi
        if self.rules.proposed_base is not None:
            return self.rules.proposed_base, f"{SUBJECT_LABELS[cap.subject]} đạt {_quoted(cap.base_awards)}", ""
        n = sum(1 for e in self.entries if e.subject == cap.subject and e.status.proposed
                and e.award is not None and e.award.name in cap.base_awards)
        return n, f"{SUBJECT_LABELS[cap.subject]} được đề nghị {_quoted(cap.base_awards)}", ""

    def _percent_limit(self, cap: Cap) -> tuple[int | None, str, str]:
        base, what, hint = self._base(cap)
        if base is None:
            return None, "", hint
        raw = cap.percent * base / 100
        rounding = cap.rounding or self.rules.rounding
        limit = int(raw.to_integral_value(rounding=ROUND_CEILING if rounding == "len" else ROUND_FLOOR))
        calc = f"{_num(cap.percent)}% của {base} {what}"
        if raw != limit:
            calc += f" = {_num(raw)}, làm tròn {'lên' if rounding == 'len' else 'xuống'} thành {limit}"
        if cap.minimum is not None and limit < cap.minimum:
            limit = cap.minimum
            calc += f", tối thiểu {cap.minimum}"
        return limit, calc, ""

    def _tier(self, cap: Cap, kind_text: str, staff: int | None) -> tuple[Tier | None, bool]:
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

    def _caps(self) -> None:
        if not self.wants(proposal_docs()):
            return
        for cap in self.rules.caps:
            counted = [e for e in self.entries
                       if e.subject == cap.subject and e.status.proposed and cap.counts(e.award)]
            if not counted:
                continue
            if cap.tiers:
                self._tier_cap(cap, counted)
                continue
            if cap.max_count is not None:
                self._report_cap(cap, counted, cap.max_count, cap.description)
                continue
            limit, calc, hint = self._percent_limit(cap)
            if limit is None:
                self.add(proposal_docs(), f'Chưa kiểm tra được giới hạn "{cap.description}" vì chưa có cơ sở tính tỷ lệ: '
                         f"{hint}.", Severity.WARNING, UNITS, None, None, "thieu-co-so-ty-le", cap.source)
                continue
            self._report_cap(cap, counted, limit, f"{cap.description}: {calc}")

    def _tier_cap(self, cap: Cap, counted: list[_Entry]) -> None:
        groups: dict[tuple[str, ...] | None, list[_Entry]] = {}
        tiers: dict[tuple[str, ...] | None, Tier] = {}
        if cap.scope == "don_vi":
            for e in counted:
                unit = self.unit_by_key.get(name_key(e.candidate.unit))
                if unit is not None:
                    tier, _ = self._tier(cap, unit.kind or unit.name, unit.staff_count)
                    if tier is not None:
                        key = name_key(unit.name)
                        groups.setdefault(key, []).append(e)
                        tiers[key] = tier
                        continue
                groups.setdefault(None, []).append(e)
        else:
            groups[None] = counted
        agency = self.info.issuing_agency
        for key, members in groups.items():
            if key is None:
                staff, staff_label = self._total_staff()
                tier, staff_missing = self._tier(cap, agency, staff)
                where = f'cơ quan "{agency}"' if agency else "cơ quan ban hành"
                if tier is None:
                    need = (f'ghi "Số biên chế" ở sheet "{UNITS}" hoặc mục "Tổng số biên chế" ở sheet "Quy tắc"'
                            if staff_missing else f'ghi "Loại đơn vị" ở sheet "{UNITS}" hoặc mục "Số '
                            f'{SUBJECT_LABELS[cap.subject]} tối đa" ở sheet "Quy tắc"')
                    self.add(proposal_docs(), f'Chưa xác định được mức tối đa "{cap.description}" cho {where}: {need}.',
                             Severity.WARNING, UNITS, None, None, "thieu-co-so-ty-le", cap.source)
                    continue
                size = f" có {staff} biên chế ({staff_label})" if tier.needs_staff else ""
                self._report_cap(cap, members, tier.max_count,
                                 f'{cap.description}; {where}{size}, mức "{tier.description}"')
            else:
                unit, tier = self.unit_by_key[key], tiers[key]
                size = f" có {unit.staff_count} biên chế" if tier.needs_staff else ""
                self._report_cap(cap, members, tier.max_count,
                                 f'{cap.description}; đơn vị "{unit.name}"{size}, mức "{tier.description}"')

    def _report_cap(self, cap: Cap, counted: list[_Entry], limit: int, explanation: str) -> None:
        if len(counted) <= limit:
            return
        first_over = counted[limit].candidate
        what = _quoted(cap.awards) if cap.awards else "khen thưởng"
        self.add(proposal_docs(), f"Có {len(counted)} {SUBJECT_LABELS[cap.subject]} được đề nghị {what}, vượt mức tối "
                 f"đa {limit} ({explanation}).", Severity.ERROR, counted[limit].sheet, first_over.row, AWARD_COLUMN,
                 "ty-le-tap-the" if cap.subject == "tap_the" else "ty-le-ca-nhan", cap.source)

    # ------------------------------------------------------------------ prize money
    def _decision_date(self) -> date | None:
        """Thông tin "Ngày Quyết định", else Quy tắc "Ngày quyết định", else Ngày ban hành, else today when the
        Quyết định is asked for."""
        own = self.info.dates.get("QĐ")
        setting = self.rules.decision_date
        if own is not None and setting is not None and own != setting:
            self.add({"quyet-dinh"}, f'Mục "Ngày quyết định" ({_day(setting)}) khác "Ngày Quyết định" ở sheet '
                     f'"{INFO}" ({_day(own)}); tiền thưởng tính theo ngày {_day(own)} ghi trên Quyết định.',
                     Severity.WARNING, "Quy tắc", self.rules.setting_row("decision_date"), "Giá trị",
                     "ngay-quyet-dinh-khac")
        if own is not None or setting is not None:
            return own or setting
        if self.info.issue_date is not None or "quyet-dinh" in self.docs:
            return self.dates["quyet-dinh"]
        return None

    def _prizes(self) -> None:
        decision = self._decision_date()
        if decision is None:
            return
        salary_reported = False
        for e in self.entries:
            if not e.status.proposed or e.award is None or not e.award.allows(e.subject):
                continue
            try:
                e.status.prize = prize_money(e.award, e.subject, decision)
            except NoBaseSalary as exc:
                if not salary_reported:
                    salary_reported = True
                    self.add({"quyet-dinh"}, str(exc), Severity.WARNING, rule="thieu-luong-co-so")
            except NoPrizeCoefficient as exc:
                self.add({"quyet-dinh"}, f"{exc} Quyết định sẽ không ghi tiền thưởng cho đối tượng này.",
                         Severity.WARNING, e.sheet, e.candidate.row, AWARD_COLUMN, "thieu-he-so-tien-thuong")

    # ------------------------------------------------------------------ ranking
    def _find_column(self, rule: RankingRule) -> tuple[str, str] | None:
        """(slug, header as written) of the ranking column in sheet Đơn vị."""
        wanted_slug, wanted_key = slug(rule.column, "_"), name_key(rule.column)
        for u in self.campaign.units:
            for s, header in u.extra_labels.items():
                if s == wanted_slug or name_key(header) == wanted_key:
                    return s, header
            if wanted_slug in u.extra:
                return wanted_slug, rule.column
        return None

    def _ranking(self, ev: Evaluation) -> None:
        units = self.campaign.units
        if not self.rules.rankings or not units:
            return
        found = None
        for rule in self.rules.rankings:
            column = self._find_column(rule)
            if column is not None:
                found = (rule, *column)
                break
        if found is None:
            names = _quoted(r.column for r in self.rules.rankings)
            row = self.rules.setting_row("ranking_column")
            self.add(proposal_docs(), f'Sheet "{UNITS}" không có cột {names} nên chưa xếp hạng đơn vị.',
                     Severity.WARNING, "Quy tắc" if row else UNITS, row, "Giá trị" if row else None,
                     "xep-hang-thieu-cot", self.rules.rankings[0].source)
            return
        rule, key, header = found
        values: list[tuple[Unit, Decimal | None]] = []
        for u in units:
            try:
                value = _metric(u.extra.get(key))
            except ValueError:
                self.add(proposal_docs(), f'"{u.extra.get(key)}" không phải là số; đơn vị "{u.name}" xếp cuối.',
                         Severity.WARNING, UNITS, u.row, header, "xep-hang-gia-tri")
                value = None
            values.append((u, value))
        numbers = [v for _, v in values if v is not None]
        # A column formatted as % in Excel holds fractions (0,985 for 98,5%).
        if "%" in header and numbers and all(v <= 1 for v in numbers) and any(v > 0 for v in numbers):
            values = [(u, None if v is None else v * 100) for u, v in values]
        valued = sorted(((u, v) for u, v in values if v is not None), key=lambda p: p[1], reverse=rule.descending)
        ranking: list[UnitRank] = []
        previous: Decimal | None = None
        for i, (u, v) in enumerate(valued):
            rank = ranking[-1].rank if ranking and v == previous else i + 1
            previous = v
            ranking.append(UnitRank(u, float(v), rank, rule.priority_from is not None and v >= rule.priority_from))
        last = len(valued) + 1
        ranking += [UnitRank(u, None, last, False) for u, v in values if v is None]
        ev.ranking = ranking
        ev.ranking_metric = header

    # ------------------------------------------------------------------ deadline
    def _deadline(self) -> None:
        if self.info.deadline is not None:
            deadline, source, row = self.info.deadline, None, self.info.rows.get("deadline")
        elif self.rules.deadline is not None:
            deadline, source, row = self.rules.deadline, self.rules.deadline_source, None
        else:
            return
        late = [(self.dates[d], d) for d in REGISTRY.keys if d in deadline_docs() and d in self.docs
                and self.dates[d] > deadline]
        if late:
            when, doc = max(late)
            self.add(deadline_docs(), f"{REGISTRY.name_of(doc)} ghi ngày {_day(when)}, đã quá hạn nộp hồ sơ "
                     f"({_day(deadline)}); hồ sơ gửi chậm có thể không được tiếp nhận.", Severity.WARNING, INFO,
                     row, "Giá trị", "qua-han-nop", source)

    # ------------------------------------------------------------------ legal bases
    def _legal_bases(self) -> None:
        asked = [d for d in REGISTRY.keys if d in legal_docs() and d in self.docs]
        for basis in self.campaign.legal_bases:
            for text in find_legal_texts(basis.text):
                for doc in asked:
                    on = self.dates[doc]
                    dated = f"{REGISTRY.name_of(doc)} ban hành ngày {_day(on)}"
                    if text.effective_until is not None and on >= text.effective_until:
                        new = self.cat.legal_text(text.replaced_by) if text.replaced_by else None
                        instead = f"; thay bằng {new.name}" if new else ""
                        self.add(legal_docs(), f"Căn cứ dẫn {text.name}, đã hết hiệu lực từ ngày "
                                 f"{_day(text.effective_until)} ({dated}){instead}.", Severity.WARNING, LEGAL,
                                 basis.row, "Căn cứ", "can-cu-het-hieu-luc", new.name if new else text.name)
                        break
                    if text.effective_from is not None and on < text.effective_from:
                        self.add(legal_docs(), f"Căn cứ dẫn {text.name}, chưa có hiệu lực ({dated}; có hiệu lực từ "
                                 f"ngày {_day(text.effective_from)}).", Severity.WARNING, LEGAL, basis.row, "Căn cứ",
                                 "can-cu-chua-hieu-luc", text.name)
                        break


def evaluate(campaign: Campaign, *, documents: set[str] | None = None, today: date | None = None) -> Evaluation:
    """Apply the rules to ``campaign`` for ``documents`` (subset of :data:`REGISTRY.keys`; None = all).

    ``today`` stands in for a missing "Ngày ban hành" (and for the decision date of a Quyết định)."""
    docs = set(REGISTRY.keys) if documents is None else set(documents)
    unknown = docs - set(REGISTRY.keys)
    if unknown:
        raise ValueError(f"Không có loại văn bản {', '.join(sorted(unknown))}; chọn trong: {', '.join(REGISTRY.keys)}.")
    return _Evaluator(campaign, docs, today or date.today()).run()
