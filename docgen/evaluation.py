"""The result of applying the thi đua rules to a campaign (produced by :func:`docgen.rules.evaluate`).

This is the contract between the *check* stage (``docgen.rules``) and the *assemble* stage: which
candidates are eligible, how the council voted on each, who is proposed, and the prize money.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .errors import Problem
from .model import Candidate, Collective, Individual, Unit


@dataclass
class VoteResult:
    yes: int
    no: int
    members: int                 # total membership of the council (percentages use this)
    present: int
    percent: float               # yes / members * 100
    threshold: float             # e.g. 90.0, 80.0, 50.0
    strict: bool                 # True: percent must be > threshold; False: >=
    passed: bool

    @property
    def threshold_text(self) -> str:
        sign = ">" if self.strict else "≥"
        value = f"{self.threshold:g}".replace(".", ",")
        return f"{sign} {value}%"


@dataclass
class CandidateStatus:
    candidate: Candidate
    eligible: bool = True
    reasons: list[str] = field(default_factory=list)     # Vietnamese: why not eligible / not proposed
    vote: VoteResult | None = None
    proposed: bool = False                               # eligible and (vote passed or no vote needed)
    prize: int | None = None                             # đồng, when a decision date is known
    award_category: str = ""                             # "danh_hieu" or "hinh_thuc" (from the catalogue)

    @property
    def is_collective(self) -> bool:
        return isinstance(self.candidate, Collective)

    @property
    def is_individual(self) -> bool:
        return isinstance(self.candidate, Individual)


@dataclass
class UnitRank:
    unit: Unit
    value: float | None
    rank: int
    priority: bool               # e.g. ≥ 98% in seed 004


@dataclass
class Evaluation:
    statuses: list[CandidateStatus] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    members_total: int = 0
    members_present: int = 0
    quorum_ok: bool = True
    ranking: list[UnitRank] = field(default_factory=list)
    ranking_metric: str = ""     # header of the metric column used for the ranking
    rules: Any = None            # the RuleSet used (docgen.rules)

    @property
    def proposed(self) -> list[CandidateStatus]:
        return [s for s in self.statuses if s.proposed]

    def status_of(self, candidate: Candidate) -> CandidateStatus | None:
        index = self.__dict__.get("_by_candidate")
        if index is None or index[0] != len(self.statuses):     # built once; rebuilt if statuses grew
            index = (len(self.statuses), {id(s.candidate): s for s in reversed(self.statuses)})
            self.__dict__["_by_candidate"] = index
        found = index[1].get(id(candidate))
        if found is None or found.candidate is candidate:
            return found
        return next((s for s in self.statuses if s.candidate is candidate), None)
