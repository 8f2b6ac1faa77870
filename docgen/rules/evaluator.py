"""Apply the thi đua rules to a campaign: eligibility, duplicates, council votes, quotas, prize money, unit
ranking, deadlines and căn cứ.  The result is an :class:`~docgen.evaluation.Evaluation`.

Each group of rules is a module of its own; each runs only for the documents that need
it, and every finding is a located :class:`~docgen.errors.Problem` carrying its rule code and legal source.
"""
from __future__ import annotations

from datetime import date

from ..documents import REGISTRY
from ..evaluation import Evaluation
from ..model import Campaign
from .context import Round
from .deadlines import check_deadline, check_legal_bases
from .duplicates import check_duplicates
from .eligibility import check_awards, check_collective_members, check_eligibility, check_units
from .prizes import compute_prizes
from .quotas import check_caps
from .ranking import rank_units
from .votes import check_votes



def evaluate(campaign: Campaign, *, documents: set[str] | None = None, today: date | None = None) -> Evaluation:
    """Apply the rules to ``campaign`` for ``documents`` (subset of :data:`REGISTRY.keys`; None = all).

    ``today`` stands in for a missing "Ngày ban hành" (and for the decision date of a Quyết định)."""
    docs = set(REGISTRY.keys) if documents is None else set(documents)
    unknown = docs - set(REGISTRY.keys)
    if unknown:
        raise ValueError(f"Không có loại văn bản {', '.join(sorted(unknown))}; chọn trong: {', '.join(REGISTRY.keys)}.")
    r = Round(campaign, docs, today or date.today())
    ev = Evaluation(statuses=[e.status for e in r.entries], rules=r.rules)
    # In this order: eligibility decides who may be proposed, the votes who is, the quotas and prizes count them.
    check_awards(r)
    check_eligibility(r)
    check_collective_members(r)
    check_duplicates(r)
    check_units(r)
    check_votes(r, ev)
    check_caps(r)
    compute_prizes(r)
    rank_units(r, ev)
    check_deadline(r)
    check_legal_bases(r)
    ev.problems = r.problems
    return ev
