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
    written: int = 0             # of the votes, those absent members sent in writing

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
    award_name: str = ""                                 # as printed: the catalogue name for a spelling variant
    document: str = ""                                   # key of the outcome document carrying it (routing)
    decided_by: str = ""                                 # the authority that decides its award ("Thủ tướng …")
    further_up: bool = False                             # the superior must propose it further up
    award_verb: str = ""                                 # "công nhận danh hiệu" or "tặng" (docgen.rules.competence)

    @property
    def award_label(self) -> str:
        return self.award_name or self.candidate.award

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
    authority: Any = None        # the issuing agency head's Authority (docgen.rules.competence), None: unknown
    superior: Any = None         # the Authority the Tờ trình goes to (from "Kính gửi" / "Cấp trình khen")

    @property
    def routed(self) -> bool:
        """Whether each proposed candidate has been given its outcome document."""
        return any(s.document for s in self.proposed)

    def proposed_for(self, document: str) -> list[CandidateStatus]:
        """The proposed candidates a document carries: an outcome document (Quyết định, Tờ trình) only its
        own once routed; any other document (Biên bản…) every proposed candidate."""
        from .documents import REGISTRY

        if not self.routed or document not in REGISTRY.where("outcome"):
            return self.proposed
        return [s for s in self.proposed if s.document == document]

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
