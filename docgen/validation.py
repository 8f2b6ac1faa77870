"""Stage 2 — check: is the campaign complete enough for the documents asked, and does it follow the rules?

Combines what the reader found, what each requested document needs (:mod:`docgen.completeness`) and the
thi đua rules (:func:`docgen.rules.evaluate`) into one :class:`~docgen.errors.Report`.  (``docgen check``,
the ND30 format checker of finished documents, is :mod:`docgen.nd30`.)
"""
from __future__ import annotations

from datetime import date

from . import rules
from .completeness import available_documents, requirements
from .documents import REGISTRY
from .errors import Problem, Report, Severity
from .evaluation import Evaluation
from .model import Campaign

NOBODY_PROPOSED = "không có tập thể, cá nhân nào đủ điều kiện và đạt tỷ lệ biểu quyết để đề nghị."


def check(campaign: Campaign, documents: set[str] | None = None, *,
          today: date | None = None) -> tuple[Report, Evaluation, set[str]]:
    """Run every check for ``documents`` (None: the documents the workbook has data for).

    Returns the report (reader problems first), the rules' evaluation and the documents checked."""
    report = Report(list(campaign.problems))
    auto = documents is None
    if documents is None:
        documents, skipped = available_documents(campaign)
        report.extend(skipped)
    report.extend(requirements(campaign, documents))
    evaluation = rules.evaluate(campaign, documents=documents, today=today)
    report.extend(evaluation.problems)
    if campaign.candidates:
        # a Tờ trình or a Quyết định for nobody is not a document: skip it, or refuse when it was asked for
        for kind in REGISTRY:
            if not kind.needs_proposals or kind.key not in documents or evaluation.proposed_for(kind.key):
                continue
            why = _why_nobody(evaluation, kind.key)
            if auto:
                documents = documents - {kind.key}
                report.extend([Problem(f"Chưa tạo {kind.name}: {why}", Severity.WARNING, rule="bo-qua-van-ban")])
            else:
                report.extend([Problem(f"Không tạo được {kind.name}: {why}", Severity.ERROR,
                                       "Biểu quyết", rule="khong-co-de-nghi")])
    return report, evaluation, documents


def _why_nobody(evaluation: Evaluation, key: str) -> str:
    if not evaluation.proposed:
        return NOBODY_PROPOSED
    kind = REGISTRY.get(key)
    if kind.outcome == "own":
        return ("không có đối tượng nào được đề nghị hình thức thuộc thẩm quyền của người đứng đầu cơ quan "
                "(các đề nghị đều ở Tờ trình lên cấp trên).")
    return ("mọi đối tượng được đề nghị đều thuộc thẩm quyền của người đứng đầu cơ quan (ghi ở Quyết định "
            "khen thưởng), không có hình thức nào cần trình cấp trên.")
