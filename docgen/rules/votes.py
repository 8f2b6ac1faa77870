"""The council: quorum, valid vote counts, which Biểu quyết row belongs to which candidate, and whether each
candidate reached the vote threshold of its award."""
from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

from ..errors import Severity
from ..evaluation import Evaluation, VoteResult
from ..model import Vote
from ..text import fold
from .catalog import Award
from .context import (AWARD_COLUMN, COLLECTIVES, COUNCIL, INDIVIDUALS, VOTES, Entry, Round, all_votes_docs, number,
                      proposal_docs)


def _fraction_text(q: Fraction) -> str:
    return f"{q.numerator}/{q.denominator}" if q.denominator != 1 else str(q.numerator)


def threshold(r: Round, award: Award | None) -> tuple[Decimal, bool, str]:
    """(percent, strictly above?, legal source) of the vote an award needs."""
    if award is not None and award.vote_percent is not None:
        return award.vote_percent, award.vote_strict, award.vote_source or award.source
    return r.rules.default_vote_percent, r.rules.default_vote_strict, r.rules.default_vote_source


def _award_matches(r: Round, vote: Vote, entry: Entry) -> bool:
    return bool(vote.award) and r.same_award(vote.award, entry.candidate.award)


def _check_council(r: Round, ev: Evaluation) -> int:
    """Quorum and vote counts that cannot be; returns the number of members."""
    council = r.campaign.council
    members = len(council)
    present = sum(1 for m in council if m.present)
    ev.members_total, ev.members_present = members, present
    quorum = r.rules.quorum
    ev.quorum_ok = members > 0 and Fraction(present, members) >= quorum
    if members and not ev.quorum_ok:
        need = math.ceil(quorum * members)
        r.add(proposal_docs(), f"Hội đồng có {members} thành viên nhưng chỉ {present} thành viên có mặt, chưa đủ "
              f"{_fraction_text(quorum)} tổng số thành viên (cần ít nhất {need}) để họp xét khen thưởng.",
              Severity.ERROR, COUNCIL, None, "Có mặt", "khong-du-so-thanh-vien", r.rules.quorum_source)
    for v in r.campaign.votes:
        if v.yes < 0 or v.no < 0:
            r.add(proposal_docs(), "Số phiếu không được âm.", Severity.ERROR, VOTES, v.row,
                  "Đồng ý" if v.yes < 0 else "Không đồng ý", "phieu-khong-hop-le")
        elif members and v.yes + v.no > members:
            r.add(proposal_docs(), f'"{v.subject}": {v.yes} phiếu đồng ý và {v.no} phiếu không đồng ý, tổng '
                  f"{v.yes + v.no} phiếu vượt số thành viên Hội đồng ({members}).", Severity.ERROR, VOTES,
                  v.row, "Đồng ý", "phieu-vuot-so-thanh-vien")
    return members


def _report_unused(r: Round, used: set[int]) -> None:
    names = {fold(e.candidate.display_name) for e in r.entries}
    for v in r.campaign.votes:
        if id(v) in used:
            continue
        if fold(v.subject) in names:
            r.add(proposal_docs(), f'"{v.subject}" có nhiều dòng biểu quyết hơn số lần được đề nghị; dòng này '
                  "không được dùng.", Severity.WARNING, VOTES, v.row, "Đối tượng", "trung-bieu-quyet")
        else:
            r.add(proposal_docs(), f'Đối tượng "{v.subject}" không có trong sheet "{COLLECTIVES}" hay '
                  f'"{INDIVIDUALS}"; dòng biểu quyết này không được dùng.', Severity.WARNING, VOTES, v.row,
                  "Đối tượng", "bieu-quyet-khong-co-doi-tuong")


def match_votes(r: Round) -> dict[int, Vote]:
    """Vote row for each entry (by index): same name, preferring the same award; leftover rows reported."""
    by_name: dict[str, list[Vote]] = {}
    for v in r.campaign.votes:
        by_name.setdefault(fold(v.subject), []).append(v)
    used: set[int] = set()
    matched: dict[int, Vote] = {}
    # First the rows naming the candidate's own award, then any row left for that name.
    for exact in (True, False):
        for i, e in enumerate(r.entries):
            if i in matched:
                continue
            for v in by_name.get(fold(e.candidate.display_name), []):
                if id(v) in used or (exact and not _award_matches(r, v, e)):
                    continue
                matched[i] = v
                used.add(id(v))
                if v.award and not _award_matches(r, v, e):
                    r.add(proposal_docs(), f'Dòng biểu quyết cho "{v.subject}" ghi hình thức "{v.award}", khác '
                          f'hình thức đề nghị "{e.candidate.award}" (sheet "{e.sheet}", dòng '
                          f"{e.candidate.row}).", Severity.WARNING, VOTES, v.row, AWARD_COLUMN,
                          "bieu-quyet-khac-hinh-thuc")
                break
    _report_unused(r, used)
    return matched


def _without_vote(r: Round, e: Entry, vote: Vote | None, council_reported: bool) -> bool:
    """A candidate with no usable vote: proposed unless a document asked for needs its vote.  Returns whether
    the missing council has now been reported."""
    c = e.candidate
    mandatory = e.award is not None and e.award.vote_required
    e.status.proposed = not (r.wants(all_votes_docs()) or ("quyet-dinh" in r.docs and mandatory))
    if e.status.proposed:
        return council_reported
    if vote is None:
        e.status.reasons.append("Chưa có kết quả biểu quyết của Hội đồng")
        r.add(proposal_docs(), f'Chưa có kết quả biểu quyết cho "{c.display_name}" ({c.award}); thêm một '
              f'dòng ở sheet "{VOTES}".', Severity.ERROR, e.sheet, c.row, e.name_column, "thieu-bieu-quyet",
              e.award.vote_source if mandatory else None)
        return council_reported
    e.status.reasons.append("Chưa có danh sách Hội đồng để tính tỷ lệ biểu quyết")
    if not council_reported and "bien-ban" not in r.docs:
        r.add(proposal_docs(), f'Chưa có thành viên Hội đồng (sheet "{COUNCIL}") nên không tính được tỷ '
              "lệ biểu quyết (tỷ lệ tính trên tổng số thành viên).", Severity.ERROR, COUNCIL,
              rule="bieu-quyet-thieu-hoi-dong")
        return True
    return council_reported


def check_votes(r: Round, ev: Evaluation) -> None:
    members = _check_council(r, ev)
    present = ev.members_present
    matched = match_votes(r)
    council_reported = False
    for i, e in enumerate(r.entries):
        c = e.candidate
        vote = matched.get(i)
        percent, strict, source = threshold(r, e.award)
        if vote is not None and members:
            share = Fraction(vote.yes * 100, members)
            passed = share > Fraction(percent) if strict else share >= Fraction(percent)
            e.status.vote = VoteResult(vote.yes, vote.no, members, present, vote.yes * 100 / members,
                                       float(percent), strict, passed)
        if not e.status.eligible:
            continue
        result = e.status.vote
        if result is None:
            council_reported = _without_vote(r, e, vote, council_reported)
            continue
        e.status.proposed = result.passed
        if not result.passed:
            text = (f"{result.yes}/{members} thành viên đồng ý ({number(result.percent)}%), chưa đạt "
                    f"{result.threshold_text} tổng số thành viên Hội đồng")
            e.status.reasons.append(f"Không đạt tỷ lệ biểu quyết: {text}")
            r.add(proposal_docs(), f'"{c.display_name}" ({c.award}): {text}; không đề nghị khen thưởng.',
                  Severity.WARNING, VOTES, vote.row, "Đồng ý", "khong-dat-ty-le-bieu-quyet", source)
