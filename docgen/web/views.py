"""The validation of an uploaded workbook, shaped for the pages and the API."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..build import validate as validate_workbook
from ..errors import Problem, Severity, WorkbookUnreadable
from . import kinds

SEVERITY_LABELS = {s.value: s.label for s in Severity}      # Lỗi, Cảnh báo, Ghi chú


def problem_dicts(problems: list[Problem]) -> list[dict]:
    """The API's problem list: severity ("loi" | "canh_bao"), sheet, row, column, message."""
    return [{"severity": p.severity.value, "sheet": p.sheet, "row": p.row, "column": p.column,
             "message": p.message} for p in problems]


def unreadable_problem(message: str) -> dict:
    return {"severity": Severity.ERROR.value, "sheet": None, "row": None, "column": None, "message": message}


@dataclass
class Candidate:
    name: str
    award: str
    eligible: bool
    proposed: bool
    vote: str
    reasons: str


@dataclass
class Validation:
    ok: bool
    readable: bool
    problems: list[dict]
    documents: list[str] = field(default_factory=list)       # kinds the workbook has data for
    candidates: list[Candidate] = field(default_factory=list)
    title: str = ""                                           # the movement's name

    @property
    def errors(self) -> int:
        return sum(1 for p in self.problems if p["severity"] == Severity.ERROR.value)

    @property
    def warnings(self) -> int:
        return sum(1 for p in self.problems if p["severity"] == Severity.WARNING.value)

    @property
    def notes(self) -> int:
        """What docgen understood or decided (the authority it inferred, an award read as its catalogue name)."""
        return sum(1 for p in self.problems if p["severity"] == Severity.INFO.value)

    def sheets(self) -> list[tuple[str, int]]:
        counts: dict[str, int] = {}
        for p in self.problems:
            counts[p["sheet"] or "Chung"] = counts.get(p["sheet"] or "Chung", 0) + 1
        return sorted(counts.items())


def validate_upload(workbook: Path, shown_name: str, documents: set[str] | None = None) -> Validation:
    """Run the same check as ``docgen validate``; an unreadable file is one located problem."""
    try:
        campaign, report, evaluation, docs = validate_workbook(workbook, documents=documents)
    except WorkbookUnreadable as exc:
        message = str(exc).replace(f'"{workbook.name}"', f'"{shown_name}"').replace(str(workbook), shown_name)
        return Validation(False, False, [unreadable_problem(message)])
    candidates = []
    for s in evaluation.statuses:
        vote = ""
        if s.vote is not None:
            vote = f"{s.vote.yes}/{s.vote.members} ({'đạt' if s.vote.passed else 'không đạt'})"
        candidates.append(Candidate(s.candidate.display_name, s.candidate.award, s.eligible, s.proposed, vote,
                                    "; ".join(s.reasons)))
    order = [key for key, _ in kinds.kinds()]
    return Validation(report.ok, True, problem_dicts(report.problems), sorted(docs, key=order.index), candidates,
                      getattr(campaign.info, "movement_name", "") or "")
