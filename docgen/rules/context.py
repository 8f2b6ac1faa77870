"""What every rule module of an evaluation shares: the campaign, the documents asked for, the resolved rule set,
one entry per candidate, and where the findings go (:class:`Round`).

Each group of rules lives in its own module (eligibility, duplicates, votes, quotas, prizes, ranking, deadlines)
and is a function taking a :class:`Round`; :mod:`docgen.rules.evaluator` runs them in order.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Iterable

from .. import schema
from ..documents import REGISTRY
from ..errors import Problem, Severity
from ..evaluation import CandidateStatus
from ..model import Campaign, Candidate, Collective, Unit
from ..text import fold
from ..vietnamese import format_number
from .catalog import Award, catalog, name_key
from .settings import RuleSet, resolve


# Which documents each group of rules concerns: flags of the document kinds (docgen.documents), read when
# the rules run, so that a kind registered later is covered too.
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
RULES_SHEET = "Quy tắc"

AWARD_COLUMN = "Hình thức đề nghị"
UNIT_COLUMN = "Đơn vị"
DISCIPLINE_COLUMN = "Kỷ luật"


def number(value: Decimal | float | int) -> str:
    """A number in a message, at most two decimals: 12.5 → "12,5"; 66.666… → "66,67"; 2530000 → "2.530.000"."""
    return format_number(Decimal(str(value)).quantize(Decimal("0.01")))


def quoted(names: Iterable[str]) -> str:
    """ "A" hoặc "B"."""
    return " hoặc ".join(f'"{n}"' for n in names)


@dataclass
class Entry:
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


class Round:
    """One evaluation of a campaign for some documents: shared state and the list of problems found."""

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

    def _entry(self, candidate: Candidate) -> Entry:
        award = self.award_of(candidate.award)
        status = CandidateStatus(candidate, award_category=award.category if award else "")
        if isinstance(candidate, Collective):
            return Entry(status, award, COLLECTIVES, "Tên tập thể", "tap_the")
        return Entry(status, award, INDIVIDUALS, "Họ và tên", "ca_nhan")

    def wants(self, docs: Iterable[str]) -> bool:
        """Whether any of ``docs`` is among the documents asked for."""
        return not self.docs.isdisjoint(docs)

    def add(self, docs: Iterable[str], message: str, severity: Severity, sheet: str | None = None,
            row: int | None = None, column: str | None = None, rule: str | None = None,
            source: str | None = None) -> None:
        """Record a finding, when it concerns one of the documents asked for."""
        if self.wants(docs):
            self.problems.append(Problem(message, severity, sheet, row or None, column, rule, source or None))
