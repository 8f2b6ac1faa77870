"""Stage 2 — check: is the campaign complete enough for the documents asked, and does it follow the rules?

Combines what the reader found, what each requested document needs (Thông tin keys, sheets, signers,
council roles) and the thi đua rules (:func:`docgen.rules.evaluate`) into one :class:`Report`.
"""
from __future__ import annotations

from datetime import date

from . import schema
from .errors import Problem, Report, Severity
from .evaluation import Evaluation
from .model import Campaign
from .text import fold

DOCUMENTS = ("ke-hoach", "to-trinh", "bien-ban", "bao-cao", "quyet-dinh")
DOCUMENT_NAMES = {
    "ke-hoach": "Kế hoạch",
    "to-trinh": "Tờ trình",
    "bien-ban": "Biên bản họp Hội đồng",
    "bao-cao": "Báo cáo thành tích",
    "quyet-dinh": "Quyết định khen thưởng",
}
DOC_CODES = {"ke-hoach": "KH", "to-trinh": "TTr", "bien-ban": "BB", "bao-cao": "BC", "quyet-dinh": "QĐ"}
ONLY_ALIASES = {
    "ke-hoach": "ke-hoach", "kh": "ke-hoach",
    "to-trinh": "to-trinh", "ttr": "to-trinh",
    "bien-ban": "bien-ban", "bien-ban-hop": "bien-ban", "bb": "bien-ban",
    "bao-cao": "bao-cao", "bao-cao-thanh-tich": "bao-cao", "bc": "bao-cao",
    "quyet-dinh": "quyet-dinh", "qd": "quyet-dinh",
}


def parse_only(value: str | None) -> set[str] | None:
    """``--only ke-hoach,to-trinh`` → {"ke-hoach", "to-trinh"}; raises ValueError naming bad items."""
    if not value:
        return None
    from .text import slug

    out, bad = set(), []
    for item in value.split(","):
        if not item.strip():
            continue
        key = ONLY_ALIASES.get(slug(item))
        if key is None:
            bad.append(item.strip())
        else:
            out.add(key)
    if bad:
        raise ValueError(
            f'Không có loại văn bản {", ".join(repr(b) for b in bad)}; chọn trong: {", ".join(DOCUMENTS)}.')
    return out


def _has_signer(campaign: Campaign, code: str) -> bool:
    return campaign.signer_for(code) is not None


def available_documents(campaign: Campaign) -> tuple[set[str], list[Problem]]:
    """The documents the workbook has data for (used when ``--only`` is not given), and a warning
    for each document skipped."""
    docs: set[str] = set()
    skipped: list[Problem] = []
    has_candidates = bool(campaign.collectives or campaign.individuals)

    def skip(doc: str, reason: str) -> None:
        skipped.append(Problem(f"Chưa tạo {DOCUMENT_NAMES[doc]}: {reason}", Severity.WARNING, rule="bo-qua-van-ban"))

    if _has_signer(campaign, "KH"):
        docs.add("ke-hoach")
    else:
        skip("ke-hoach", 'sheet "Người ký" chưa có dòng cho văn bản KH.')
    if not has_candidates:
        for doc in ("to-trinh", "bien-ban", "bao-cao"):
            skip(doc, 'chưa có tập thể, cá nhân nào ở sheet "Tập thể" / "Cá nhân".')
        return docs, skipped
    docs.add("bao-cao")
    if _has_signer(campaign, "TTr"):
        docs.add("to-trinh")
    else:
        skip("to-trinh", 'sheet "Người ký" chưa có dòng cho văn bản TTr.')
    if campaign.council and campaign.votes:
        docs.add("bien-ban")
    else:
        skip("bien-ban", 'chưa có dữ liệu ở sheet "Hội đồng" và "Biểu quyết".')
    if _has_signer(campaign, "QĐ"):
        docs.add("quyet-dinh")
    return docs, skipped


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
            names = ", ".join(DOCUMENT_NAMES[d] for d in needing)
            problems.append(Problem(f'Mục "{key.label}" cần có giá trị để tạo {names}.', Severity.ERROR,
                                    info_sheet, campaign.info.rows.get(key.field), "Giá trị", "thieu-muc"))
    for doc in sorted(documents):
        code = DOC_CODES[doc]
        if doc in ("ke-hoach", "to-trinh", "quyet-dinh") and not _has_signer(campaign, code):
            problems.append(Problem(f'Chưa có người ký cho {DOCUMENT_NAMES[doc]}: thêm một dòng "{code}" ở sheet '
                                    '"Người ký".', Severity.ERROR, "Người ký", rule="thieu-nguoi-ky"))
        if doc in ("to-trinh", "bien-ban", "bao-cao", "quyet-dinh") and not campaign.candidates:
            problems.append(Problem(f'Chưa có tập thể, cá nhân nào để tạo {DOCUMENT_NAMES[doc]} '
                                    '(sheet "Tập thể", "Cá nhân").', Severity.ERROR, "Cá nhân",
                                    rule="thieu-doi-tuong"))
    if "bien-ban" in documents:
        if not campaign.council:
            problems.append(Problem('Chưa có thành viên Hội đồng (sheet "Hội đồng") để lập Biên bản họp.',
                                    Severity.ERROR, "Hội đồng", rule="thieu-hoi-dong"))
        else:
            roles = {fold(m.role) for m in campaign.council}
            if "chu tich" not in roles:
                problems.append(Problem('Hội đồng chưa có thành viên giữ vai trò "Chủ tịch" (chủ trì cuộc họp).',
                                        Severity.ERROR, "Hội đồng", column="Vai trò", rule="thieu-chu-tich"))
            if "thu ky" not in roles:
                problems.append(Problem('Hội đồng chưa có thành viên giữ vai trò "Thư ký" (ký Biên bản).',
                                        Severity.ERROR, "Hội đồng", column="Vai trò", rule="thieu-thu-ky"))
    # KT., TL., TUQ. sign for a head: the head's title is part of the signature ("KT. VIỆN TRƯỞNG")
    for s in campaign.signers:
        authority = (s.authority or "").strip().upper().rstrip(".")
        if authority in ("KT", "TL", "TUQ") and not (s.head_title or "").strip():
            problems.append(Problem(f'Người ký văn bản {s.doc_type} ký "{authority}." nên cần "Chức vụ thủ trưởng" '
                                    f'(ví dụ "{authority}. VIỆN TRƯỞNG").', Severity.ERROR, "Người ký", s.row,
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


def check(campaign: Campaign, documents: set[str] | None = None, *,
          today: date | None = None) -> tuple[Report, Evaluation, set[str]]:
    """Run every check for ``documents`` (None: the documents the workbook has data for).

    Returns the report (reader problems first), the rules' evaluation and the documents checked."""
    from . import rules

    report = Report(list(campaign.problems))
    auto = documents is None
    if documents is None:
        documents, skipped = available_documents(campaign)
        report.extend(skipped)
    report.extend(requirements(campaign, documents))
    evaluation = rules.evaluate(campaign, documents=documents, today=today)
    report.extend(evaluation.problems)
    if campaign.candidates and not evaluation.proposed:
        # a Tờ trình or a Quyết định for nobody is not a document: skip it, or refuse when it was asked for
        for doc in ("to-trinh", "quyet-dinh"):
            if doc not in documents:
                continue
            reason = "không có tập thể, cá nhân nào đủ điều kiện và đạt tỷ lệ biểu quyết để đề nghị."
            if auto:
                documents = documents - {doc}
                report.extend([Problem(f"Chưa tạo {DOCUMENT_NAMES[doc]}: {reason}", Severity.WARNING,
                                       rule="bo-qua-van-ban")])
            else:
                report.extend([Problem(f"Không tạo được {DOCUMENT_NAMES[doc]}: {reason}", Severity.ERROR,
                                       "Biểu quyết", rule="khong-co-de-nghi")])
    return report, evaluation, documents
