"""Thẩm quyền applied to a round: which authority the issuing agency's head is, and for each proposed
candidate the one outcome document that carries it — the agency's own Quyết định when its head decides that
award, else the Tờ trình to the superior (who may in turn have to propose it further up)."""
from __future__ import annotations

from ..documents import REGISTRY
from ..errors import Severity
from ..evaluation import Evaluation
from ..text import levels
from .competence import Authority, Competence, competence
from .context import AWARD_COLUMN, INFO, Entry, Round, proposal_docs

AUTHORITY_KEY = "Thẩm quyền khen thưởng"


def _signer_title(r: Round) -> str:
    for code in REGISTRY.head_signers():
        s = r.campaign.signer_for(code)
        if s is not None:
            heads = levels(s.head_title)
            return heads[0].strip() if heads else s.signer_title
    return ""


def issuer_authority(r: Round, comp: Competence) -> tuple[Authority | None, str, int | None]:
    """(authority, how it was found, the Thông tin row to point at)."""
    info = r.info
    if info.issuer_authority:
        return (comp.find(info.issuer_authority), f'mục "{AUTHORITY_KEY}"', info.rows.get("issuer_authority"))
    row = info.rows.get("issuing_agency")
    found = comp.of_agency(info.issuing_agency)
    if found is not None:
        return found, f'suy ra từ Cơ quan ban hành "{info.issuing_agency}"', row
    title = _signer_title(r)
    found = comp.of_signer_title(title)
    if found is not None:
        return found, f'suy ra từ chức vụ người đứng đầu "{title}" ở sheet "Người ký"', row
    return None, "", row


def superior_authority(r: Round, comp: Competence) -> Authority | None:
    """The authority of the Tờ trình's addressee ("Cấp trình khen", else "Kính gửi")."""
    for text in (r.info.proposing_to, r.info.addressee):
        found = comp.of_signer_title(text) or comp.of_agency(text)
        if found is not None:
            return found
    return None


def _note_authority(r: Round, authority: Authority, how: str, row: int | None) -> None:
    on = r.dates[REGISTRY.outcome("own") or "quyet-dinh"]
    period = authority.period_on(on)
    names = [f'"{a}"' for a in period.awards] if period else []
    decides = (", ".join(names[:-1]) + " và " + names[-1]) if len(names) > 1 else (names[0] if names else
                                                                                   "không hình thức nào")
    r.add(proposal_docs(), f"Thẩm quyền khen thưởng của người đứng đầu cơ quan ban hành: {authority.label} ({how}); "
          f"quyết định {decides}. Các hình thức khác được đưa vào Tờ trình đề nghị cấp trên. Nếu chưa đúng, "
          f'chọn mục "{AUTHORITY_KEY}" ở sheet "{INFO}".', Severity.INFO, INFO, row, "Giá trị", "tham-quyen",
          authority.source_on(on) or None)


def route(r: Round, ev: Evaluation) -> None:
    own, upward = REGISTRY.outcome("own"), REGISTRY.outcome("upward")
    if own is None or upward is None:
        return
    comp = competence()
    authority, how, row = issuer_authority(r, comp)
    ev.authority, ev.superior = authority, superior_authority(r, comp)
    proposed = [e for e in r.entries if e.status.proposed]
    for e in proposed:
        e.status.award_verb = comp.verb(e.award)
    if authority is None:
        if proposed and own in r.docs and upward in r.docs:
            r.add(proposal_docs(), "Chưa xác định được thẩm quyền khen thưởng của người đứng đầu cơ quan ban hành "
                  "nên Quyết định và Tờ trình đều ghi mọi đối tượng được đề nghị; chọn mục "
                  f'"{AUTHORITY_KEY}" ở sheet "{INFO}".', Severity.WARNING, INFO, row, "Giá trị", "tham-quyen-chua-ro")
        return
    _note_authority(r, authority, how, row)
    for e in proposed:
        if authority.decides(e.award, r.dates[own]):
            e.status.document, e.status.decided_by = own, authority.title
        else:
            _route_upward(r, ev, comp, e, upward)
    _report_missing_documents(r, own, upward)


def _route_upward(r: Round, ev: Evaluation, comp: Competence, e: Entry, upward: str) -> None:
    """An award beyond the head's competence goes to the Tờ trình: decided by the superior, or by the lowest
    authority deciding it (the superior proposes it further up); one of a lower level is refused."""
    authority, on_up = ev.authority, r.dates[upward]
    deciding = comp.deciding(e.award, on_up)
    if deciding is not None and deciding.rank < authority.rank:
        e.refuse(f'"{e.award.name}" thuộc thẩm quyền của {deciding.title}, không phải của cơ quan ban hành')
        r.add(proposal_docs(), f'"{e.award.name}" do {deciding.title} quyết định, không thuộc thẩm quyền của '
              f"người đứng đầu cơ quan ban hành ({authority.label}) và không đề nghị lên cấp trên; đề nghị tại "
              "cấp có thẩm quyền.", Severity.WARNING, e.sheet, e.candidate.row, AWARD_COLUMN,
              "tham-quyen-cap-duoi", deciding.source_on(on_up) or None)
        return
    superior = ev.superior
    if superior is not None and superior.decides(e.award, on_up):
        deciding = superior
    e.status.document = upward
    e.status.decided_by = deciding.title if deciding else ""
    e.status.further_up = superior is not None and deciding is not None and deciding is not superior


def _report_missing_documents(r: Round, own: str, upward: str) -> None:
    """Candidates routed to a document that is not being built are said so (they are in no document)."""
    for key, other in ((own, upward), (upward, own)):
        routed = [e for e in r.entries if e.status.proposed and e.status.document == key]
        if not routed or key in r.docs or other not in r.docs:
            continue
        names = ", ".join(f'"{e.candidate.display_name}"' for e in routed[:5]) + (" …" if len(routed) > 5 else "")
        hint = (f'thêm dòng "{REGISTRY.code_of(key)}" ở sheet "Người ký" để tạo {REGISTRY.name_of(key)}'
                if REGISTRY.get(key).needs_signer else f"tạo thêm {REGISTRY.name_of(key)}")
        r.add(proposal_docs(), f"{len(routed)} đối tượng ({names}) thuộc {REGISTRY.name_of(key)}, không có trong "
              f"{REGISTRY.name_of(other)}; {hint}.", Severity.WARNING, rule="tham-quyen-chua-tao-van-ban")
