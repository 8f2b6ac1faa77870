"""The council: quorum, valid vote counts, which Biểu quyết row belongs to which candidate, and whether each
candidate reached the vote threshold of its award."""
from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

from ..errors import Severity
from ..evaluation import Evaluation, VoteResult
from ..model import Vote
from ..text import fold
from .catalog import Award, contains_words, name_key
from .context import (AWARD_COLUMN, COLLECTIVES, COUNCIL, INDIVIDUALS, UNIT_COLUMN, VOTES, Entry, Round,
                      all_votes_docs, number, proposal_docs)


WRITTEN_COLUMN = "Phiếu gửi bằng văn bản"
_HINT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")       # "Nguyễn Văn Bình (Phòng 2)"


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
        elif members:
            _check_written(r, v, members, present)
    return members


def _check_written(r: Round, v: Vote, members: int, present: int) -> None:
    """Votes beyond the members present must be absent members' written votes, recorded as such."""
    written = v.written or 0
    absent = members - present
    if written < 0 or written > absent:
        r.add(proposal_docs(), f'"{v.subject}": {written} phiếu gửi bằng văn bản nhưng Hội đồng chỉ có {absent} '
              "thành viên vắng mặt.", Severity.ERROR, VOTES, v.row, WRITTEN_COLUMN, "phieu-van-ban-khong-hop-le")
    elif v.yes + v.no > present + written:
        r.add(proposal_docs(), f'"{v.subject}": {v.yes + v.no} phiếu ({v.yes} đồng ý, {v.no} không đồng ý) nhiều hơn '
              f"{present} thành viên có mặt{f' và {written} phiếu gửi bằng văn bản' if written else ''}. Nếu "
              f"thành viên vắng mặt đã gửi phiếu bằng văn bản, ghi số phiếu đó ở cột \"{WRITTEN_COLUMN}\" (Biên bản "
              "ghi rõ) và lưu phiếu trong hồ sơ; nếu không, sửa lại số phiếu.", Severity.WARNING, VOTES, v.row,
              "Đồng ý", "phieu-vuot-so-co-mat")


def _report_unused(r: Round, used: set[int], names: set[str]) -> None:
    for v in r.campaign.votes:
        if id(v) in used:
            continue
        if _vote_name(v, names)[0] in names:
            r.add(proposal_docs(), f'"{v.subject}" có nhiều dòng biểu quyết hơn số lần được đề nghị; dòng này '
                  "không được dùng.", Severity.WARNING, VOTES, v.row, "Đối tượng", "trung-bieu-quyet")
        else:
            r.add(proposal_docs(), f'Đối tượng "{v.subject}" không có trong sheet "{COLLECTIVES}" hay '
                  f'"{INDIVIDUALS}"; dòng biểu quyết này không được dùng.', Severity.WARNING, VOTES, v.row,
                  "Đối tượng", "bieu-quyet-khong-co-doi-tuong")


def _vote_name(v: Vote, names: set[str]) -> tuple[str, str]:
    """(folded candidate name, unit that tells namesakes apart) of a vote row: "Nguyễn Văn Bình (Phòng 2)" or
    the row's Đơn vị."""
    full = fold(v.subject)
    if full not in names:
        m = _HINT.match(v.subject)
        if m and fold(m.group(1)) in names:
            return fold(m.group(1)), v.unit or m.group(2)
    return full, v.unit


def _unit_matches(e: Entry, hint: str) -> bool:
    unit, wanted = name_key(e.candidate.unit), name_key(hint)
    return bool(wanted) and (unit == wanted or contains_words(unit, wanted))


def _namesakes_text(r: Round, idx: list[int]) -> str:
    return "; ".join(f'sheet "{r.entries[i].sheet}" dòng {r.entries[i].candidate.row}'
                     + (f" ({r.entries[i].candidate.unit})" if r.entries[i].candidate.unit else "") for i in idx)


def _match_namesakes(r: Round, idx: list[int], votes: list[tuple[Vote, str]], matched: dict[int, Vote],
                     used: set[int]) -> None:
    """Several candidates share a name: a row goes to the one its unit (or award) singles out, else it is
    ambiguous — reported with every candidate row of that name.  As many rows as namesakes, all with the same
    counts, are taken in order (whichever is whose, the result is the same)."""
    plain = [v for v, hint in votes if not hint]
    if len(plain) == len(idx) == len(votes) and len({(v.yes, v.no, v.written or 0) for v in plain}) == 1:
        for i, v in zip(idx, plain):
            matched[i] = v
            used.add(id(v))
        return
    for v, hint in votes:
        pool = _candidates_for(r, v, hint, [i for i in idx if i not in matched])
        if len(pool) == 1:
            matched[pool[0]] = v
            used.add(id(v))
            continue
        if not pool and not hint:
            continue                                   # more rows than candidates: reported as unused
        used.add(id(v))
        _report_namesake_row(r, v, hint, idx, pool)


def _candidates_for(r: Round, v: Vote, hint: str, pool: list[int]) -> list[int]:
    """The namesakes a vote row may be for: those of its unit, then (if that leaves several) of its award."""
    if hint:
        pool = [i for i in pool if _unit_matches(r.entries[i], hint)]
    if v.award:
        pool = [i for i in pool if _award_matches(r, v, r.entries[i])] or pool
    return pool


def _report_namesake_row(r: Round, v: Vote, hint: str, idx: list[int], pool: list[int]) -> None:
    """A vote row for a shared name that names no candidate (its unit fits none) or several."""
    name = r.entries[idx[0]].candidate.display_name
    if not pool:
        r.add(proposal_docs(), f'"{v.subject}": không có đối tượng "{name}" thuộc đơn vị "{hint}"; các đối '
              f"tượng cùng tên: {_namesakes_text(r, idx)}.", Severity.ERROR, VOTES, v.row,
              UNIT_COLUMN if v.unit else "Đối tượng", "bieu-quyet-khong-co-doi-tuong")
        return
    r.ambiguous_names.add(fold(name))
    example = next((r.entries[i].candidate.unit for i in idx if r.entries[i].candidate.unit), "đơn vị")
    r.add(proposal_docs(), f'"{v.subject}" trùng tên với {len(idx)} đối tượng ({_namesakes_text(r, idx)}) nên '
          f'chưa biết dòng biểu quyết này của ai. Ghi kèm đơn vị, ví dụ "{name} ({example})", hoặc ghi cột '
          f'"{UNIT_COLUMN}" ở sheet "{VOTES}".', Severity.ERROR, VOTES, v.row, "Đối tượng",
          "bieu-quyet-trung-ten")


def match_votes(r: Round) -> dict[int, Vote]:
    """Vote row for each entry (by index): same name, preferring the same award; namesakes told apart by
    unit; leftover rows reported."""
    groups: dict[str, list[int]] = {}
    for i, e in enumerate(r.entries):
        groups.setdefault(fold(e.candidate.display_name), []).append(i)
    names = set(groups)
    by_name: dict[str, list[tuple[Vote, str]]] = {}
    for v in r.campaign.votes:
        name, hint = _vote_name(v, names)
        by_name.setdefault(name, []).append((v, hint))
    used: set[int] = set()
    matched: dict[int, Vote] = {}
    for name, idx in groups.items():
        if len(idx) > 1:
            _match_namesakes(r, idx, by_name.get(name, []), matched, used)
    # First the rows naming the candidate's own award, then any row left for that name.
    for exact in (True, False):
        for i, e in enumerate(r.entries):
            name = fold(e.candidate.display_name)
            if i in matched or len(groups[name]) > 1:
                continue
            for v, _ in by_name.get(name, []):
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
    _report_unused(r, used, names)
    return matched


def _without_vote(r: Round, e: Entry, vote: Vote | None, council_reported: bool) -> bool:
    """A candidate with no usable vote: proposed unless a document asked for needs its vote.  Returns whether
    the missing council has now been reported."""
    c = e.candidate
    mandatory = e.award is not None and e.award.vote_required
    e.status.proposed = not (r.wants(all_votes_docs()) or ("quyet-dinh" in r.docs and mandatory))
    if e.status.proposed:
        return council_reported
    if vote is None and fold(c.display_name) in r.ambiguous_names:
        e.status.reasons.append("Chưa xác định được dòng biểu quyết (có nhiều đối tượng cùng tên)")
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


def note_meeting_signers(r: Round) -> None:
    """Say who signs the Biên bản: the "Người ký" BB row when there is one, else the chair and the secretary."""
    if "bien-ban" not in r.docs or not r.campaign.council:
        return
    signer = r.campaign.signer_for("BB")
    if signer is not None:
        lines = " / ".join(x for x in (signer.authority.strip() + " " + signer.head_title.strip(),
                                       signer.signer_title.strip()) if x.strip())
        text = (f'Biên bản họp Hội đồng ký "{lines}" – {signer.full_name} (dòng BB ở sheet "Người ký", dòng '
                f'{signer.row}), bên trái "THƯ KÝ".')
    else:
        text = ('Biên bản họp Hội đồng ký "CHỦ TỌA" (Chủ tịch Hội đồng) và "THƯ KÝ"; để ký "TM. HỘI ĐỒNG THI '
                'ĐUA - KHEN THƯỞNG / CHỦ TỊCH", thêm dòng "BB" ở sheet "Người ký".')
    r.add({"bien-ban"}, text, Severity.INFO, "Người ký", signer.row if signer else None, None, "ky-bien-ban")


def check_votes(r: Round, ev: Evaluation) -> None:
    note_meeting_signers(r)
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
                                       float(percent), strict, passed, vote.written or 0)
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
