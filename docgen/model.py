"""The plain domain model: what a campaign workbook says, as typed records.

Records know nothing of openpyxl or of templates.  Every record keeps the Excel row it came from
(``row``) so later stages can locate their findings, and ``extra``: the columns the contract does not
name, keyed by the snake_case slug of their header (metric columns such as ``ty_le_an_toan_trinh``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .documents import REGISTRY
from .errors import Problem
from .text import fold

# Document type codes (ND30 Phụ lục III) used in the "Văn bản" columns: those of the document kinds.
DOC_TYPES = REGISTRY.codes


def is_disciplined(discipline: str | None) -> bool:
    """"Kỷ luật" empty or "Không" means none; anything else makes the candidate ineligible."""
    if discipline is None:
        return False
    f = fold(discipline).strip(" .-")
    return f not in ("", "khong", "khong co", "0")


@dataclass
class Info:
    """Sheet "Thông tin" (key / value)."""

    issuing_agency: str = ""                 # Cơ quan ban hành
    agency_code: str = ""                    # Ký hiệu cơ quan
    drafting_unit: str = ""                  # Đơn vị soạn thảo
    place: str = ""                          # Địa danh
    movement_name: str = ""                  # Tên phong trào
    award_kind: str = ""                     # Loại khen thưởng
    year: int | None = None                  # Năm
    parent_agency: str = ""                  # Cơ quan chủ quản
    issue_date: date | None = None           # Ngày ban hành (None = today, decided at build time)
    addressee: str = ""                      # Kính gửi
    proposing_to: str = ""                   # Cấp trình khen
    deadline: date | None = None             # Hạn nộp hồ sơ
    meeting_time: str = ""                   # Thời gian họp
    meeting_place: str = ""                  # Địa điểm họp
    meeting_end: str = ""                    # Thời gian kết thúc
    # optional wording; "" = the default docgen.assemble writes
    agency_name: str = ""                    # Tên cơ quan (in sentences; default from issuing_agency)
    advising_unit: str = ""                  # Đơn vị tham mưu (default "Văn phòng")
    award_forms: str = ""                    # Hình thức khen thưởng (";"-separated, Kế hoạch)
    contest_content: str = ""                # Nội dung thi đua (one paragraph a line, Kế hoạch)
    contest_period: str = ""                 # Thời gian thi đua (Kế hoạch)
    issuing_authority: str = ""              # Thẩm quyền ban hành (Quyết định)
    proposed_by: str = ""                    # Đề nghị của (Quyết định)
    executors: str = ""                      # Thi hành (Quyết định)
    drafting_unit_name: str = ""             # Tên đơn vị soạn thảo (full name of the drafting unit)
    issuer_authority: str = ""               # Thẩm quyền khen thưởng (docgen.rules.competence), "" = inferred
    numbers: dict[str, str] = field(default_factory=dict)   # {"TTr": "12", "BB": "", "KH": "05", "QĐ": ...}
    dates: dict[str, date] = field(default_factory=dict)    # per-document dates {"KH": date, "TTr": ..., "QĐ": ...}
    rows: dict[str, int] = field(default_factory=dict)      # field name → Excel row, for locating problems
    extra: dict[str, Any] = field(default_factory=dict)     # the clerk's own keys, slugged (thong_tin_khac)


@dataclass
class LegalBasis:
    """Sheet "Căn cứ": one legal basis a row."""

    text: str
    row: int = 0
    stt: str = ""


@dataclass
class Unit:
    """Sheet "Đơn vị"."""

    name: str
    staff_count: int | None = None
    kind: str = ""
    note: str = ""
    stt: str = ""
    row: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    extra_labels: dict[str, str] = field(default_factory=dict)   # slug → header as written


@dataclass
class Collective:
    """Sheet "Tập thể": a candidate collective."""

    name: str
    unit: str = ""
    award: str = ""                    # Hình thức đề nghị
    staff_count: int | None = None
    address: str = ""
    phone: str = ""
    founded_year: int | None = None
    head: str = ""                     # Thủ trưởng
    duties: str = ""                   # Chức năng, nhiệm vụ
    achievements: str = ""             # Thành tích
    discipline: str = ""               # Kỷ luật
    stt: str = ""
    row: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    extra_labels: dict[str, str] = field(default_factory=dict)   # slug → header as written

    kind = "tap_the"

    @property
    def display_name(self) -> str:
        return self.name

    @property
    def disciplined(self) -> bool:
        return is_disciplined(self.discipline)


@dataclass
class Individual:
    """Sheet "Cá nhân": a candidate individual."""

    full_name: str
    gender: str = ""
    birth_date: date | None = None
    hometown: str = ""
    residence: str = ""
    position: str = ""                 # Chức vụ
    unit: str = ""
    qualification: str = ""            # Trình độ chuyên môn
    award: str = ""                    # Hình thức đề nghị
    achievements: str = ""
    discipline: str = ""
    recruited_on: date | None = None   # Ngày tuyển dụng
    duties: str = ""                   # Nhiệm vụ (quyền hạn, nhiệm vụ được giao)
    stt: str = ""
    row: int = 0
    extra: dict[str, Any] = field(default_factory=dict)
    extra_labels: dict[str, str] = field(default_factory=dict)   # slug → header as written

    kind = "ca_nhan"

    @property
    def display_name(self) -> str:
        return self.full_name

    @property
    def disciplined(self) -> bool:
        return is_disciplined(self.discipline)


Candidate = Collective | Individual


@dataclass
class PastAward:
    """Sheet "Khen thưởng": an award a candidate already received."""

    subject: str                       # Đối tượng (a Họ và tên or Tên tập thể)
    year: int | None = None
    title: str = ""                    # Danh hiệu/Hình thức
    decision_no: str = ""
    decision_date: date | None = None
    issuer: str = ""
    row: int = 0


@dataclass
class CouncilMember:
    """Sheet "Hội đồng"."""

    full_name: str
    position: str = ""
    role: str = ""                     # Chủ tịch · Phó Chủ tịch · Ủy viên · Ủy viên thường trực · Thư ký
    present: bool = True
    stt: str = ""
    row: int = 0


@dataclass
class Vote:
    """Sheet "Biểu quyết": one row per candidate."""

    subject: str
    award: str = ""
    yes: int = 0
    no: int = 0
    row: int = 0
    written: int | None = None         # Phiếu gửi bằng văn bản: votes of absent members sent in writing
    unit: str = ""                     # Đơn vị: tells namesakes apart


@dataclass
class Recipient:
    """Sheet "Nơi nhận": one recipient of one document type."""

    doc_type: str
    text: str
    row: int = 0


@dataclass
class Signer:
    """Sheet "Người ký"."""

    doc_type: str
    authority: str = ""                # canonical: "", "TM.", "KT.", "TL.", "TUQ.", "Q." (reader.canonical_authority)
    head_title: str = ""               # Chức vụ thủ trưởng (may hold "ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH")
    signer_title: str = ""             # Chức vụ người ký
    full_name: str = ""
    row: int = 0


@dataclass
class Campaign:
    """Everything one workbook says."""

    info: Info = field(default_factory=Info)
    legal_bases: list[LegalBasis] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    collectives: list[Collective] = field(default_factory=list)
    individuals: list[Individual] = field(default_factory=list)
    past_awards: list[PastAward] = field(default_factory=list)
    council: list[CouncilMember] = field(default_factory=list)
    votes: list[Vote] = field(default_factory=list)
    recipients: list[Recipient] = field(default_factory=list)
    signers: list[Signer] = field(default_factory=list)
    # Sheet "Quy tắc" (optional): rule preset and overrides, raw: folded key → (label, value, row)
    rule_settings: dict[str, tuple[str, Any, int]] = field(default_factory=dict)
    sheets_present: set[str] = field(default_factory=set)   # canonical names of the sheets found
    source: Path | None = None
    problems: list[Problem] = field(default_factory=list)   # what the reader found

    @property
    def candidates(self) -> list[Candidate]:
        return [*self.collectives, *self.individuals]

    def recipients_for(self, doc_type: str) -> list[Recipient]:
        return [r for r in self.recipients if r.doc_type == doc_type]

    def date_for(self, doc_type: str, today: date | None = None) -> date:
        """The date a document carries: its own date, else Ngày ban hành, else ``today``."""
        return self.info.dates.get(doc_type) or self.info.issue_date or today or date.today()

    def signer_for(self, doc_type: str) -> Signer | None:
        for s in self.signers:
            if s.doc_type == doc_type:
                return s
        return None

    def awards_of(self, candidate: Candidate) -> list[PastAward]:
        return list(_by_subject(self.past_awards).get(fold(candidate.display_name), ()))


_SUBJECT_INDEX: dict[int, tuple[list, int, dict[str, list]]] = {}


def _by_subject(rows: list) -> dict[str, list]:
    """Rows (votes, past awards) grouped by the folded name of their subject, in sheet order: built once per
    list rather than scanning every row for every candidate.  Rebuilt when the list is replaced or grows."""
    cached = _SUBJECT_INDEX.get(id(rows))
    if cached is not None and cached[0] is rows and cached[1] == len(rows):
        return cached[2]
    index: dict[str, list] = {}
    for row in rows:
        index.setdefault(fold(row.subject), []).append(row)
    if len(_SUBJECT_INDEX) >= 16:
        _SUBJECT_INDEX.pop(next(iter(_SUBJECT_INDEX)))
    _SUBJECT_INDEX[id(rows)] = (rows, len(rows), index)
    return index
