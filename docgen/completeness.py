"""Completeness: does the workbook hold what each document asked for needs?

Which documents the workbook has data for (when ``--only`` is not given), and what each requested document
needs and the workbook lacks: Thông tin keys, candidates, signer rows, the council and its roles.  What each
kind needs is declared in :mod:`docgen.documents`; the Thông tin keys in :mod:`docgen.schema`.
"""
from __future__ import annotations

from . import schema
from .errors import Problem, Severity
from .model import Campaign
from .text import fold

from .documents import REGISTRY, DocumentKind

NO_CANDIDATES = 'chưa có tập thể, cá nhân nào ở sheet "Tập thể" / "Cá nhân".'


def _has_signer(campaign: Campaign, code: str) -> bool:
    return campaign.signer_for(code) is not None


def _missing(campaign: Campaign, kind: DocumentKind) -> str | None:
    """Why the workbook has no data for ``kind`` (None: it has)."""
    if kind.needs_candidates and not campaign.candidates:
        return NO_CANDIDATES
    if kind.needs_signer and not _has_signer(campaign, kind.code):
        return f'sheet "Người ký" chưa có dòng cho văn bản {kind.code}.'
    if kind.needs_council and not (campaign.council and campaign.votes):
        return 'chưa có dữ liệu ở sheet "Hội đồng" và "Biểu quyết".'
    return None


def available_documents(campaign: Campaign) -> tuple[set[str], list[Problem]]:
    """The documents the workbook has data for (used when ``--only`` is not given), and a warning
    for each document skipped (an optional kind, such as the Quyết định, is skipped silently)."""
    docs: set[str] = set()
    skipped: list[Problem] = []
    for kind in REGISTRY:
        reason = _missing(campaign, kind)
        if reason is None:
            docs.add(kind.key)
        elif not kind.optional:
            skipped.append(Problem(f"Chưa tạo {kind.name}: {reason}", Severity.WARNING, rule="bo-qua-van-ban"))
    return docs, skipped


def _council_problems(campaign: Campaign) -> list[Problem]:
    if not campaign.council:
        return [Problem('Chưa có thành viên Hội đồng (sheet "Hội đồng") để lập Biên bản họp.',
                        Severity.ERROR, "Hội đồng", rule="thieu-hoi-dong")]
    problems = []
    roles = {fold(m.role) for m in campaign.council}
    if "chu tich" not in roles:
        problems.append(Problem('Hội đồng chưa có thành viên giữ vai trò "Chủ tịch" (chủ trì cuộc họp).',
                                Severity.ERROR, "Hội đồng", column="Vai trò", rule="thieu-chu-tich"))
    if "thu ky" not in roles:
        problems.append(Problem('Hội đồng chưa có thành viên giữ vai trò "Thư ký" (ký Biên bản).',
                                Severity.ERROR, "Hội đồng", column="Vai trò", rule="thieu-thu-ky"))
    return problems


def requirements(campaign: Campaign, documents: set[str]) -> list[Problem]:
    """What each requested document needs and the workbook lacks (blocking errors)."""
    problems: list[Problem] = []
    info_sheet = schema.INFO.name
    for key in schema.INFO.keys:
        needing = [d for d in key.needed_for if d in documents]
        if not needing:
            continue
        value = getattr(campaign.info, key.field, "")
        if value in (None, ""):
            names = ", ".join(REGISTRY.name_of(d) for d in needing)
            problems.append(Problem(f'Mục "{key.label}" cần có giá trị để tạo {names}.', Severity.ERROR,
                                    info_sheet, campaign.info.rows.get(key.field), "Giá trị", "thieu-muc"))
    for doc in sorted(documents):
        kind = REGISTRY.get(doc)
        if kind.needs_signer and not _has_signer(campaign, kind.code):
            problems.append(Problem(f'Chưa có người ký cho {kind.name}: thêm một dòng "{kind.code}" ở sheet '
                                    '"Người ký".', Severity.ERROR, "Người ký", rule="thieu-nguoi-ky"))
        if kind.needs_candidates and not campaign.candidates:
            problems.append(Problem(f'Chưa có tập thể, cá nhân nào để tạo {kind.name} '
                                    '(sheet "Tập thể", "Cá nhân").', Severity.ERROR, "Cá nhân",
                                    rule="thieu-doi-tuong"))
    if documents & REGISTRY.where("needs_council"):
        problems.extend(_council_problems(campaign))
    # KT., TL., TUQ. sign for a head: the head's title is part of the signature ("KT. VIỆN TRƯỞNG")
    for s in campaign.signers:
        if s.authority in ("KT.", "TL.", "TUQ.") and not (s.head_title or "").strip():
            problems.append(Problem(f'Người ký văn bản {s.doc_type} ký "{s.authority}" nên cần "Chức vụ thủ trưởng" '
                                    f'(ví dụ "{s.authority} VIỆN TRƯỞNG").', Severity.ERROR, "Người ký", s.row,
                                    "Chức vụ thủ trưởng", "thieu-chuc-vu-thu-truong"))
    # signer rows naming the same document twice
    seen: dict[str, int] = {}
    for s in campaign.signers:
        if s.doc_type in seen:
            problems.append(Problem(f'Văn bản {s.doc_type} có hai người ký (dòng {seen[s.doc_type]} và dòng {s.row}); '
                                    "docgen dùng dòng đầu tiên.", Severity.WARNING, "Người ký", s.row, "Văn bản",
                                    "trung-nguoi-ky"))
        else:
            seen[s.doc_type] = s.row
    return problems
