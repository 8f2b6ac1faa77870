"""Stage 3 — assemble: campaign + evaluation → one context (a dict of plain values) per document.

The templates only ever see what is built here, under Vietnamese snake_case names documented in
``docs/context.md``.  Everything a clerk would otherwise type by hand and get wrong is done here: the
number and ký hiệu with ND30 zero padding, the place/date line, Nơi nhận normalised ("- …;", "- Như trên;"
first where the type needs it, "- Lưu: VT, <đơn vị>." last and once), the signature lines (TM./KT./TL./
TUQ./Q., multi-level), counts written "02 (hai)", the danh sách grouped by hình thức, vote percentages.
"""
from __future__ import annotations

import contextlib
import functools
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

from . import vietnamese as vn
from .documents import KINDS, REGISTRY
from .evaluation import CandidateStatus, Evaluation
from .model import Campaign, Collective, Individual, PastAward, Signer
from .text import fold, slug

# Nơi nhận lines that stand first by the document type (ND30 Phụ lục III samples): never taken from the data.
_FIXED_FIRST = {fold(k.first_recipient) for k in KINDS if k.first_recipient} | {"nhu dieu 2", "nhu dieu 4"}
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
_LOCALITY = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "QUẬN", "THỊ XÃ", "XÃ", "PHƯỜNG", "ĐẶC KHU", "KHU VỰC")
_DEGREES = re.compile(r"^(?:(?:GS|PGS|TS|ThS|CN|KS|BS|Ths|ts|ths)\.\s*)+(?:TS\.\s*|ThS\.\s*)?", re.UNICODE)


@dataclass
class Job:
    """One document to render: which template, where to write it, with what context."""

    key: str                      # the document kind (docgen.documents): "ke-hoach", …, "bao-cao"
    template: str                 # template file name
    output: str                   # path relative to OUTDIR (POSIX separators)
    context: dict[str, Any] = field(default_factory=dict)
    title: str = ""


# ------------------------------------------------------------------------------------------------------------
# Small formatting helpers
# ------------------------------------------------------------------------------------------------------------

def count_text(n: int, noun: str) -> str:
    """3, "cá nhân" → "03 (ba) cá nhân"."""
    return f"{vn.count_with_words(n)} {noun}"


def join_and(items: list[str]) -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " và " + items[-1]


def totals_text(n_collectives: int, n_individuals: int) -> str:
    """ "02 (hai) tập thể và 04 (bốn) cá nhân" (parts that are zero left out)."""
    parts = []
    if n_collectives:
        parts.append(count_text(n_collectives, "tập thể"))
    if n_individuals:
        parts.append(count_text(n_individuals, "cá nhân"))
    return join_and(parts) or "00 (không) tập thể, cá nhân"


def unquote(text: str) -> str:
    """Movement names are printed inside “…” by the templates: drop quotes the user typed around them."""
    text = (text or "").strip()
    while len(text) >= 2 and text[0] in "\"“'‘«" and text[-1] in "\"”'’»":
        text = text[1:-1].strip()
    return text


def movement_phrase(name: str) -> str:
    """How the body names the movement: 'phong trào thi đua “Cả nước thi đua …”'.  A name that already
    says "phong trào …" or holds quotes of its own is used as a phrase, without extra quotes."""
    name = unquote(name)
    if not name:
        return "phong trào thi đua"
    lowered = name[:1].lower() + name[1:]
    if fold(name).startswith("phong trao"):
        return lowered
    if any(q in name for q in "“”\""):
        return f"phong trào thi đua {lowered}"
    return f"phong trào thi đua “{name}”"


def split_lines(text: str | None) -> list[str]:
    """A long cell → its non-empty lines (one Word paragraph each)."""
    return [line.strip() for line in (text or "").split("\n") if line.strip()]


def split_list(text: str | None) -> list[str]:
    """ "A; B" or one per line → ["A", "B"]."""
    items: list[str] = []
    for line in (text or "").replace("\r", "\n").split("\n"):
        items += [p.strip() for p in line.split(";")]
    return [i for i in items if i]


_LEVELS = re.compile(r"\s*(?:\n|/)\s*")           # "ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", one level a line
_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.?\s+", re.IGNORECASE)
_AGENCY_TYPES = ("BỘ", "SỞ", "BAN", "CỤC", "VỤ", "TỔNG CỤC", "VĂN PHÒNG", "THANH TRA")


def levels(text: str | None) -> list[str]:
    """Text typed on several lines or with "/" between levels → its non-empty levels."""
    return [p for p in _LEVELS.split(text or "") if p.strip()]


def _locality_at(words: list[str], i: int) -> int:
    """How many words of a locality start at ``words[i]`` (0: none).  "XÃ HỘI" is not the commune "XÃ"."""
    two = " ".join(words[i:i + 2])
    if two in _LOCALITY:
        return 2
    if words[i] in _LOCALITY and not (words[i] == "XÃ" and words[i + 1:i + 2] == ["HỘI"]):
        return 1
    return 0


def header_lines(agency: str) -> list[str]:
    """ "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG" → ["VIỆN KIỂM SÁT NHÂN DÂN", "TỈNH CAO BẰNG"]: the name is
    broken before its locality (ND30 samples); a line break or "/" typed by the user wins."""
    parts = [vn.upper(p) for p in levels(agency)]
    if len(parts) != 1:
        return parts
    agency = parts[0]
    words = agency.split(" ")
    if len(agency) > 24:
        for i in range(2, len(words)):
            if _locality_at(words, i) or " ".join(words[i:i + 2]) in ("TỐI CAO", "CẤP CAO"):
                return [" ".join(words[:i]), " ".join(words[i:])]
    return [agency]


def sentence_case_agency(agency: str) -> str:
    """ "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG" → "Viện kiểm sát nhân dân tỉnh Cao Bằng",
    "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" → "Sở Văn hóa, Thể thao và Du lịch".

    The words after a locality (tỉnh, thành phố, huyện …) are a proper name and keep capitals; so do the
    field names of a Bộ, Sở, Ban, Cục (after the type, after "," "-" and "và").  A name typed in mixed case is
    kept as written; the "Tên cơ quan" key of the Thông tin sheet overrides all of this."""
    agency = " ".join(" ".join(levels(agency)).split())
    if agency != vn.upper(agency):
        return agency
    words = agency.split(" ")
    typed = next((t for t in _AGENCY_TYPES if agency.startswith(t + " ")), "")
    start_field = len(typed.split()) if typed else -1
    out: list[str] = []
    proper = False
    i = 0
    while i < len(words):
        n = _locality_at(words, i)
        if n:
            out += [x.lower() for x in words[i:i + n]]
            proper = True
            i += n
            continue
        w = words[i]
        capital = proper or i == start_field or (
            start_field >= 0 and i > start_field and (out[-1].endswith((",", "-")) or out[-1] == "và"))
        out.append(w[:1] + w[1:].lower() if capital else w.lower())
        i += 1
    text = " ".join(out).replace("việt nam", "Việt Nam")
    return text[:1].upper() + text[1:]


def number_code(number: str | None, doc_code: str, agency_code: str) -> tuple[str, str]:
    """ ("5", "TTr", "VKSCB") → ("05", "05/TTr-VKSCB"); a blank number leaves room for Văn thư."""
    raw = (number or "").strip()
    code = f"{doc_code}-{agency_code}" if agency_code else doc_code
    if not raw:
        return "", f"{' ' * 6}/{code}"
    digits = raw.lstrip("0") or "0"
    if digits.isdigit():
        n = int(digits)
        raw = f"{n:02d}" if n < 10 else str(n)
    return raw, f"{raw}/{code}"


def normalise_item(text: str) -> str:
    """One Nơi nhận line without its dash and final punctuation."""
    text = " ".join((text or "").split())
    text = re.sub(r"^(?:[\-–—•+*·]+|\d{1,2}[.)](?!\d))\s*", "", text)
    text = re.sub(r"[;,.\s]+$", "", text)
    return text


_LUU = re.compile(r"^luu\s*:|^luu\b.*\bvt\b")          # "Lưu: VT, VP", "Lưu VPTH, VT" — not "Lưu Thị Hà"


def recipients(campaign: Campaign, doc_code: str) -> list[str]:
    """The Nơi nhận lines of a document, normalised whatever the user typed: one item a line or ";"-separated,
    numbering and dashes dropped, duplicates once, the fixed first line of the type, "- Lưu: VT, <đơn vị>." last."""
    items: list[str] = []
    seen: set[str] = set()
    for r in campaign.recipients_for(doc_code):
        for piece in split_list(r.text):
            item = normalise_item(piece)
            key = fold(item)
            if not item or key in seen or _LUU.match(key) or key in _FIXED_FIRST:
                continue
            seen.add(key)
            items.append(item)
    kind = REGISTRY.by_code(doc_code)
    first = kind.first_recipient if kind is not None else None
    if first:
        items.insert(0, first)
    unit = (campaign.info.drafting_unit or "").strip().rstrip(".")
    keep = f"Lưu: VT, {unit}." if unit and fold(unit) != "vt" else "Lưu: VT."
    return [f"- {i};" for i in items] + [f"- {keep}"]


def signer_lines(signer: Signer | None) -> dict[str, Any]:
    """ KT. / VIỆN TRƯỞNG / PHÓ VIỆN TRƯỞNG → {"chuc_vu": ["KT. VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG"], "ho_ten": …}.

    ``head_title`` may carry several levels ("ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"): the authority applies to the
    first, the others keep the prefix they were typed with.  Q. (acting head) is one line: "Q. VIỆN TRƯỞNG"."""
    if signer is None:
        return {"chuc_vu": [], "ho_ten": "", "ghi_chu": ""}
    authority = signer.authority                          # canonical ("KT.", "TM." …), see reader
    heads = [_AUTHORITY.sub(lambda m: m.group(1).upper() + ". ", vn.upper(h)) for h in levels(signer.head_title)]
    if authority and heads and heads[0].startswith(authority + " "):
        heads[0] = heads[0][len(authority) + 1:]          # typed "KT. VIỆN TRƯỞNG" as the head title too
    title = vn.upper((signer.signer_title or "").strip())
    lines: list[str] = []
    if authority:
        if heads:
            lines = [f"{authority} {heads[0]}", *heads[1:]]
        elif authority == "Q." and title:
            lines = [f"Q. {title}"]
        if title and authority != "Q." and (not lines or title != lines[-1]):
            lines.append(title)
    else:
        lines = heads[:]
        if title and title not in lines:
            lines.append(title)
    return {"chuc_vu": lines, "ho_ten": person_name(signer.full_name), "ghi_chu": ""}


def person_name(name: str) -> str:
    """A signer's name in normal case (ND30): "NGUYỄN VĂN AN" → "Nguyễn Văn An"; academic titles dropped."""
    name = _DEGREES.sub("", " ".join((name or "").split()))
    if name and name == vn.upper(name) and any(c.isalpha() for c in name):
        name = " ".join(w[:1] + w[1:].lower() for w in name.split(" "))
    return name


def percent_text(value: float) -> str:
    return vn.format_number(round(value, 2)) + "%"


# ------------------------------------------------------------------------------------------------------------
# Shared context
# ------------------------------------------------------------------------------------------------------------

_SHARED: dict | None = None      # while a batch renders: base contexts already made, by document type


@contextlib.contextmanager
def shared_base_contexts():
    """Within this block the base context of a document type is made once and copied for every document
    (thousands of Báo cáo thành tích share it); outside, every call builds it afresh."""
    global _SHARED
    previous, _SHARED = _SHARED, {}
    try:
        yield
    finally:
        _SHARED = previous


def base_context(campaign: Campaign, doc_code: str, today: date | None = None, *,
                 date_code: str | None = None) -> dict[str, Any]:
    """What every document shares.  ``date_code``: the document whose date this one carries (a Báo cáo
    thành tích without its own date is dated like the Tờ trình it goes with)."""
    if _SHARED is None:
        return _base_context(campaign, doc_code, today, date_code)
    key = (id(campaign), doc_code, today, date_code)
    if key not in _SHARED:
        _SHARED[key] = (campaign, _base_context(campaign, doc_code, today, date_code))
    return dict(_SHARED[key][1])


def _base_context(campaign: Campaign, doc_code: str, today: date | None, date_code: str | None) -> dict[str, Any]:
    info = campaign.info
    the_date = campaign.date_for(date_code or doc_code, today)
    number, code = number_code(info.numbers.get(doc_code), doc_code, info.agency_code)
    agency = vn.upper(info.issuing_agency)
    agency_name = info.agency_name.strip() or sentence_case_agency(info.issuing_agency)
    movement = unquote(info.movement_name)
    addressees = [normalise_item(a) for a in split_list(info.addressee)]
    addressees = [a for a in addressees if a]
    kinh_trinh = addressees[0] if len(addressees) == 1 else (info.proposing_to.strip().rstrip(".")
                                                             or "; ".join(addressees))
    if len(addressees) > 1:                 # one per line under the colon: "- …;" and "." on the last
        addressees = [f"- {a}{'.' if i == len(addressees) - 1 else ';'}" for i, a in enumerate(addressees)]
    ctx: dict[str, Any] = {
        "co_quan_chu_quan": vn.upper(info.parent_agency),
        "co_quan_chu_quan_dong": header_lines(info.parent_agency) if info.parent_agency.strip() else [],
        "co_quan": agency,
        "co_quan_dong": header_lines(info.issuing_agency),
        "co_quan_ten": agency_name,
        "ky_hieu_co_quan": info.agency_code,
        "don_vi_soan_thao": info.drafting_unit,
        "don_vi_tham_muu": info.advising_unit or "Văn phòng",
        "dia_danh": info.place,
        "ma_loai": doc_code,
        "so": number,
        "so_ky_hieu": code,
        "so_ky_hieu_day_du": code if number else f"…/{code.strip().lstrip('/')}",
        "ngay_van_ban": the_date,
        "ngay_thang_nam": vn.format_date(the_date),
        "dia_danh_ngay_thang": f"{info.place}, {vn.format_date(the_date)}",
        "nam": info.year or the_date.year,
        "ten_phong_trao": movement,
        "phong_trao": movement_phrase(movement),
        "loai_khen_thuong": info.award_kind,
        "kinh_gui": info.addressee,
        "kinh_gui_ds": addressees,
        "kinh_trinh": kinh_trinh,
        "cap_trinh_khen": info.proposing_to,
        "han_nop": info.deadline,
        "han_nop_ho_so": vn.short_date(info.deadline) if info.deadline else "",
        "can_cu": legal_bases(campaign),
        "can_cu_tiep": legal_bases(campaign, last=";"),
        "noi_nhan": recipients(campaign, doc_code),
        "nguoi_ky": signer_lines(campaign.signer_for(doc_code)),
        "thong_tin_khac": dict(info.extra),
    }
    return ctx


def legal_bases(campaign: Campaign, last: str = ".") -> list[str]:
    """Căn cứ lines, each ending ";" and the last ``last`` ("." when the list ends there, ";" when the
    template continues it with "Thực hiện …;" or "Xét đề nghị của …")."""
    lines = [normalise_item(b.text) for b in campaign.legal_bases if normalise_item(b.text)]
    return [line + (last if i == len(lines) - 1 else ";") for i, line in enumerate(lines)]


# ------------------------------------------------------------------------------------------------------------
# Candidates
# ------------------------------------------------------------------------------------------------------------

def _unit_of(candidate, agency_name: str) -> str:
    if isinstance(candidate, Collective):
        if candidate.unit and fold(candidate.unit) != fold(candidate.name):
            return candidate.unit
        return agency_name
    return candidate.unit


def proposal_groups(campaign: Campaign, evaluation: Evaluation, agency_name: str = "") -> list[dict[str, Any]]:
    """The danh sách: groups by hình thức (first-seen order), each with a "Tập thể" then a "Cá nhân" part."""
    agency_name = agency_name or sentence_case_agency(campaign.info.issuing_agency)
    groups: "OrderedDict[str, dict[str, list[CandidateStatus]]]" = OrderedDict()
    labels: dict[str, str] = {}
    ordered = [s for s in evaluation.proposed if s.is_collective] + [s for s in evaluation.proposed if s.is_individual]
    for s in ordered:
        key = fold(s.candidate.award)
        labels.setdefault(key, s.candidate.award)
        groups.setdefault(key, {"tap_the": [], "ca_nhan": []})
        groups[key]["tap_the" if s.is_collective else "ca_nhan"].append(s)
    out = []
    for gi, (key, parts) in enumerate(groups.items()):
        award = labels[key]
        phan = []
        for kind, noun in (("tap_the", "Tập thể"), ("ca_nhan", "Cá nhân")):
            items = parts[kind]
            if not items:
                continue
            rows = [_row(i, s, agency_name) for i, s in enumerate(items, start=1)]
            phan.append({"loai": kind, "tieu_de": f"{noun} ({vn.two_digits(len(items))})", "dong": rows})
        n_c, n_i = len(parts["tap_the"]), len(parts["ca_nhan"])
        out.append({
            "so_la_ma": _ROMAN[gi] if gi < len(_ROMAN) else str(gi + 1),
            "hinh_thuc": award,
            "hinh_thuc_in_hoa": vn.upper(award),
            "so_tap_the": n_c,
            "so_ca_nhan": n_i,
            "so_luong_chu": totals_text(n_c, n_i),
            "phan": phan,
        })
    return out


def _row(i: int, s: CandidateStatus, agency_name: str) -> dict[str, Any]:
    c = s.candidate
    return {
        "stt": str(i),
        "ten": c.display_name,
        "chuc_vu": getattr(c, "position", "") or "",
        "don_vi": _unit_of(c, agency_name),
        "hinh_thuc": c.award,
        "loai": "Tập thể" if s.is_collective else "Cá nhân",
        "ty_le": percent_text(s.vote.percent) if s.vote else "",
        "tien_thuong": s.prize,
        "so_tien": vn.format_number(s.prize) if s.prize is not None else "",
    }


def proposal_rows(campaign: Campaign, evaluation: Evaluation) -> list[dict[str, Any]]:
    """The danh sách flattened (danh-sach.xlsx): one dict per proposed candidate, numbered 1…n."""
    rows = []
    for group in proposal_groups(campaign, evaluation):
        for part in group["phan"]:
            rows += part["dong"]
    return [{**row, "stt": i} for i, row in enumerate(rows, start=1)]


def proposal_context(campaign: Campaign, evaluation: Evaluation, agency_name: str) -> dict[str, Any]:
    proposed = evaluation.proposed
    n_c = sum(1 for s in proposed if s.is_collective)
    n_i = sum(1 for s in proposed if s.is_individual)
    groups = proposal_groups(campaign, evaluation, agency_name)
    awards = [g["hinh_thuc"] for g in groups]
    return {
        "danh_sach": groups,
        "so_tap_the": n_c,
        "so_ca_nhan": n_i,
        "so_tap_the_chu": vn.count_with_words(n_c),
        "so_ca_nhan_chu": vn.count_with_words(n_i),
        "tong_de_nghi": n_c + n_i,
        "tong_de_nghi_chu": totals_text(n_c, n_i),
        "hinh_thuc_de_nghi": awards,
        "hinh_thuc_chung": join_and(awards) or "khen thưởng",
        "tieu_de_danh_sach": "ĐỀ NGHỊ TẶNG " + vn.upper(join_and(awards) or "khen thưởng"),
    }


# ------------------------------------------------------------------------------------------------------------
# Documents
# ------------------------------------------------------------------------------------------------------------

def ke_hoach_context(campaign: Campaign, evaluation: Evaluation, today: date | None) -> dict[str, Any]:
    ctx = base_context(campaign, "KH", today)
    awards: list[str] = []
    for c in campaign.candidates:
        if c.award and fold(c.award) not in {fold(a) for a in awards}:
            awards.append(c.award)
    info = campaign.info
    if info.award_forms:
        awards = split_list(info.award_forms)
    ctx["hinh_thuc_khen_thuong"] = awards or ["Giấy khen của Thủ trưởng đơn vị"]
    quotas: list[str] = []
    rules = evaluation.rules
    for cap in getattr(rules, "caps", None) or []:
        text = cap.description.strip().rstrip(".;")
        text = text[:1].upper() + text[1:]
        if text and text not in quotas:
            quotas.append(text)
    ctx["ty_le_khen_thuong"] = quotas or ["Theo quy định của Luật Thi đua, khen thưởng và hướng dẫn của cấp trên"]
    ctx["noi_dung_thi_dua"] = split_lines(info.contest_content)
    ctx["thoi_gian_thi_dua"] = info.contest_period
    return ctx


def _kh_reference(campaign: Campaign, today: date | None) -> dict[str, str] | None:
    info = campaign.info
    if not (info.numbers.get("KH") or "").strip():
        return None
    number, code = number_code(info.numbers.get("KH"), "KH", info.agency_code)
    return {"so_ky_hieu": code, "ngay_thang_nam": vn.format_date(campaign.date_for("KH", today))}


def to_trinh_context(campaign: Campaign, evaluation: Evaluation, today: date | None) -> dict[str, Any]:
    ctx = base_context(campaign, "TTr", today)
    ctx.update(proposal_context(campaign, evaluation, ctx["co_quan_ten"]))
    ctx["ke_hoach"] = _kh_reference(campaign, today)
    ctx["ngay_hop"] = _meeting_day(campaign)
    return ctx


def _meeting_day(campaign: Campaign) -> str:
    """ "14 giờ 00, ngày 25/9/2026" → "ngày 25/9/2026" (for the Tờ trình), else ""."""
    m = re.search(r"ngày\s+\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*\d{4}|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
                  campaign.info.meeting_time or "")
    return m.group(0) if m else ""


def _member(m) -> dict[str, Any]:
    return {"stt": m.stt, "ho_ten": m.full_name, "chuc_vu": m.position, "vai_tro": m.role,
            "co_mat": m.present, "co_mat_chu": "Có mặt" if m.present else "Vắng mặt"}


def bien_ban_context(campaign: Campaign, evaluation: Evaluation, today: date | None) -> dict[str, Any]:
    ctx = base_context(campaign, "BB", today)
    ctx.update(proposal_context(campaign, evaluation, ctx["co_quan_ten"]))
    info = campaign.info
    members = [_member(m) for m in campaign.council]
    present = [m for m in members if m["co_mat"]]
    absent = [m for m in members if not m["co_mat"]]
    total = evaluation.members_total or len(members)
    n_present = evaluation.members_present if evaluation.members_total else len(present)
    def person(role: str) -> dict[str, str]:          # fields as described in docgen/context_schema.py
        m = next((m for m in members if fold(m["vai_tro"]) == role), {"ho_ten": "", "chuc_vu": ""})
        return {"ho_ten": person_name(m["ho_ten"]), "chuc_vu": m["chuc_vu"]}
    chair, secretary = person("chu tich"), person("thu ky")
    results = []
    for i, s in enumerate(evaluation.statuses, start=1):
        c = s.candidate
        v = s.vote
        results.append({
            "stt": str(i),
            "ten": c.display_name,
            "hinh_thuc": c.award,
            "loai": "Tập thể" if s.is_collective else "Cá nhân",
            "dong_y": vn.two_digits(v.yes) if v else "",
            "khong_dong_y": vn.two_digits(v.no) if v else "",
            "ty_le": percent_text(v.percent) if v else "",
            "nguong": v.threshold_text if v else "",
            "ket_qua": ("Đạt" if v.passed else "Không đạt") if v else "Không biểu quyết",
        })
    def full(s: CandidateStatus) -> str:
        c = s.candidate
        if isinstance(c, Individual) and c.position:
            return f"Đồng chí {c.full_name}, {c.position}{', ' + c.unit if c.unit else ''}"
        if isinstance(c, Individual):
            return f"Đồng chí {c.full_name}{', ' + c.unit if c.unit else ''}"
        return c.name
    proposed = [{"ten_day_du": full(s), "ty_le": percent_text(s.vote.percent) if s.vote else "",
                 "hinh_thuc": s.candidate.award} for s in evaluation.proposed]

    def reason(s: CandidateStatus) -> str:
        text = "; ".join(r.rstrip(".") for r in s.reasons) or "không đạt"
        return text[:1].lower() + text[1:]
    rejected = [{"ten_day_du": full(s), "ly_do": reason(s)}
                for s in evaluation.statuses if not s.proposed]
    thresholds: list[dict[str, str]] = []
    seen_awards: set[str] = set()
    for s in evaluation.statuses:
        if s.vote is not None and fold(s.candidate.award) not in seen_awards:
            seen_awards.add(fold(s.candidate.award))
            thresholds.append({"hinh_thuc": s.candidate.award, "nguong": s.vote.threshold_text})
    quorum = ("Số thành viên có mặt bảo đảm điều kiện để Hội đồng họp và biểu quyết theo quy định."
              if evaluation.quorum_ok else
              "Số thành viên có mặt chưa đủ theo quy định; các thành viên vắng mặt đã gửi ý kiến bằng văn bản.")
    ctx.update({
        "thoi_gian_hop": info.meeting_time.strip().rstrip("."),
        "dia_diem_hop": info.meeting_place.strip().rstrip("."),
        "thoi_gian_ket_thuc": info.meeting_end.strip().rstrip("."),
        "thanh_vien": members,
        "thanh_vien_co_mat": present,
        "thanh_vien_vang": absent,
        "tong_thanh_vien": total,
        "tong_thanh_vien_chu": vn.count_with_words(total),
        "so_co_mat": f"{vn.two_digits(n_present)}/{vn.two_digits(total)}",
        "so_vang": vn.two_digits(len(absent)),
        "du_so_thanh_vien": evaluation.quorum_ok,
        "nhan_xet_so_du_hop": quorum,
        "chu_tri": chair,
        "thu_ky": secretary,
        "ket_qua": results,
        "so_doi_tuong_chu": totals_text(sum(1 for s in evaluation.statuses if s.is_collective),
                                         sum(1 for s in evaluation.statuses if s.is_individual)),
        "de_nghi": proposed,
        "khong_de_nghi": rejected,
        "nguong_bieu_quyet": thresholds,
    })
    return ctx


def issuing_authority(signer: Signer | None, agency: str) -> str:
    """The thẩm quyền line of a Quyết định: "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG" (the head's
    title and the agency); a collective decision (TM.) is issued by the agency itself: "ỦY BAN NHÂN DÂN …"."""
    agency = vn.upper(agency)
    if signer is None:
        return agency
    if signer.authority == "TM.":
        return agency
    heads = [_AUTHORITY.sub("", vn.upper(h)) for h in levels(signer.head_title)]
    head = heads[0] if heads else vn.upper(signer.signer_title.strip())
    return f"{head} {agency}".strip()


def quyet_dinh_context(campaign: Campaign, evaluation: Evaluation, today: date | None) -> dict[str, Any]:
    ctx = base_context(campaign, "QĐ", today)
    ctx.update(proposal_context(campaign, evaluation, ctx["co_quan_ten"]))
    info = campaign.info
    ctx["tham_quyen"] = info.issuing_authority or issuing_authority(
        campaign.signer_for("QĐ"), " ".join(ctx["co_quan_dong"]))
    ctx["tieu_de_danh_sach"] = "ĐƯỢC TẶNG " + vn.upper(ctx["hinh_thuc_chung"])
    ctx["de_nghi_cua"] = info.proposed_by or (
        f"Hội đồng Thi đua - Khen thưởng {ctx['co_quan_ten']}")
    ctx["thi_hanh"] = info.executors or "Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan"
    tiers: "OrderedDict[tuple[str, str, int], int]" = OrderedDict()
    labels: dict[str, str] = {}
    total = 0
    for s in evaluation.proposed:
        if s.prize is None:
            continue
        key = (fold(s.candidate.award), "tập thể" if s.is_collective else "cá nhân", s.prize)
        labels.setdefault(key[0], s.candidate.award)
        tiers[key] = tiers.get(key, 0) + 1
        total += s.prize
    ctx["muc_thuong"] = [{"hinh_thuc": labels[a], "doi_tuong": who, "so_tien": vn.format_number(p),
                          "so_tien_chu": vn.money_to_words(p), "so_luong": count_text(n, who)}
                         for (a, who, p), n in tiers.items()]
    ctx["tong_tien_thuong"] = vn.format_number(total)
    ctx["tong_tien_thuong_chu"] = vn.money_to_words(total)
    return ctx


# ------------------------------------------------------------------------------------------------------------
# Báo cáo thành tích
# ------------------------------------------------------------------------------------------------------------

def _award_rows(awards: list[PastAward], category: str) -> list[dict[str, str]]:
    from . import rules

    rows = []
    for a in sorted(awards, key=lambda a: (a.year or 0, a.decision_date or date.min)):
        found = rules.find_award(a.title)
        kind = found.category if found is not None else _guess_category(a.title)
        if kind != category:
            continue
        decision = a.decision_no
        if a.decision_no and not a.decision_no.lower().startswith(("quyết định", "qđ số", "số")):
            decision = f"Quyết định số {a.decision_no}"
        if a.decision_date:
            decision += f" ngày {vn.short_date(a.decision_date)}"
        if a.issuer:
            decision += f" của {a.issuer}"
        rows.append({"nam": str(a.year or (a.decision_date.year if a.decision_date else "")), "ten": a.title,
                     "quyet_dinh": decision.strip()})
    return rows


def _guess_category(title: str) -> str:
    f = fold(title)
    if any(k in f for k in ("chien si thi dua", "lao dong tien tien", "lao dong xuat sac", "co thi dua",
                            "don vi quyet thang", "don vi tien tien")):
        return "danh_hieu"
    return "hinh_thuc"


def _metrics(candidate) -> list[dict[str, str]]:
    out = []
    for key, value in candidate.extra.items():
        if value in (None, ""):
            continue
        label = candidate.extra_labels.get(key, key)
        if isinstance(value, bool):
            text = "Có" if value else "Không"
        elif isinstance(value, (int, float)):
            text = vn.format_number(value)
        elif isinstance(value, date):
            text = vn.short_date(value)
        else:
            text = str(value)
        out.append({"ten": label, "gia_tri": text, "ma": key})
    return out


def _report_signers(campaign: Campaign, candidate) -> tuple[dict[str, Any], dict[str, Any]]:
    """(xác nhận — left, người báo cáo — right)."""
    confirm_signer = next((s for s in (campaign.signer_for(code) for code in REGISTRY.report_confirmers()) if s), None)
    confirm = signer_lines(confirm_signer)
    if isinstance(candidate, Individual):
        left = {"chuc_vu": ["THỦ TRƯỞNG ĐƠN VỊ", "XÁC NHẬN, ĐỀ NGHỊ"], "ghi_chu": "(Ký, đóng dấu)",
                "ho_ten": confirm["ho_ten"]}
        if confirm["chuc_vu"]:
            left["chuc_vu"] = ["XÁC NHẬN, ĐỀ NGHỊ", *confirm["chuc_vu"]]
        right = {"chuc_vu": ["NGƯỜI BÁO CÁO THÀNH TÍCH"], "ghi_chu": "(Ký, ghi rõ họ và tên)",
                 "ho_ten": person_name(candidate.full_name)}
    else:
        left = {"chuc_vu": ["XÁC NHẬN CỦA CẤP TRÌNH KHEN", *confirm["chuc_vu"]], "ghi_chu": "(Ký, đóng dấu)",
                "ho_ten": confirm["ho_ten"]}
        right = {"chuc_vu": ["THỦ TRƯỞNG ĐƠN VỊ"], "ghi_chu": "(Ký, đóng dấu)", "ho_ten": person_name(candidate.head)}
    return left, right


def bao_cao_context(campaign: Campaign, evaluation: Evaluation, candidate, today: date | None) -> dict[str, Any]:
    ctx = base_context(campaign, "BC", today, date_code="BC" if "BC" in campaign.info.dates else "TTr")
    status = evaluation.status_of(candidate)
    awards = campaign.awards_of(candidate)
    common = {
        "ten": candidate.display_name,
        "hinh_thuc": candidate.award,
        "hinh_thuc_in_hoa": vn.upper(candidate.award),
        "thanh_tich_doan": split_lines(candidate.achievements) or ["…"],
        "ky_luat": candidate.discipline,
        "de_nghi": bool(status and status.proposed),
        "la_tap_the": isinstance(candidate, Collective),
    }
    if isinstance(candidate, Individual):
        duties = candidate.duties
        position = candidate.position
        doi_tuong = {
            **common,
            "ho_ten": candidate.full_name,
            "gioi_tinh": candidate.gender,
            "ngay_sinh": vn.short_date(candidate.birth_date) if candidate.birth_date else "",
            "que_quan": candidate.hometown,
            "tru_quan": candidate.residence,
            "chuc_vu": position,
            "don_vi": candidate.unit or ctx["co_quan_ten"],
            "trinh_do": candidate.qualification,
            "ngay_tuyen_dung": vn.short_date(candidate.recruited_on) if candidate.recruited_on else "",
            "nhiem_vu_doan": split_lines(duties) or [
                f"{position or 'Công chức'} tại {candidate.unit or ctx['co_quan_ten']}; thực hiện các nhiệm vụ "
                f"được lãnh đạo đơn vị phân công."],
        }
    else:
        doi_tuong = {
            **common,
            "ho_ten": candidate.name,
            "tru_so": candidate.address,
            "dien_thoai": candidate.phone,
            "nam_thanh_lap": str(candidate.founded_year or ""),
            "thu_truong": candidate.head,
            "so_can_bo": str(candidate.staff_count) if candidate.staff_count is not None else "",
            "don_vi": _unit_of(candidate, ctx["co_quan_ten"]),
            "nhiem_vu_doan": split_lines(candidate.duties) or ["…"],
        }
    ctx["doi_tuong"] = doi_tuong
    ctx["chi_so"] = [m for m in _metrics(candidate)
                     if m["ma"] not in ("nhiem_vu", "quyen_han_nhiem_vu", "nhiem_vu_duoc_giao")]
    ctx["danh_hieu_da_dat"] = _award_rows(awards, "danh_hieu")
    ctx["hinh_thuc_da_dat"] = _award_rows(awards, "hinh_thuc")
    ctx["ky_xac_nhan"], ctx["ky_bao_cao"] = _report_signers(campaign, candidate)
    ctx["noi_nhan"] = []
    return ctx


def report_names(campaign: Campaign, folder: str = "bao-cao-thanh-tich") -> list[str]:
    """ "bao-cao-thanh-tich/01-phong-thong-ke-….docx": running number first, so two people with the same
    name get distinct files and the folder sorts in the danh sách order."""
    cands = campaign.candidates
    width = max(2, len(str(len(cands))))
    names = []
    for i, c in enumerate(cands, start=1):
        base = slug(c.display_name, max_length=60) or ("tap-the" if isinstance(c, Collective) else "ca-nhan")
        names.append(f"{folder}/{i:0{width}d}-{base}.docx")
    return names


@dataclass(frozen=True)
class JobSpec:
    """A document to render, its context made only when asked (a batch makes and renders one at a time)."""

    key: str
    template: str
    output: str
    title: str
    proposed: bool                # per-candidate kinds: the candidate is proposed (in the hồ sơ to print)
    make_context: Callable[[], dict[str, Any]]

    def context(self) -> dict[str, Any]:
        ctx = self.make_context()
        ctx["tieu_de"] = self.title
        return ctx

    def job(self) -> Job:
        return Job(self.key, self.template, self.output, self.context(), self.title)


def plan_specs(campaign: Campaign, evaluation: Evaluation, *, only: set[str] | None = None,
               today: date | None = None) -> list[JobSpec]:
    """Every document to render for ``only`` (document keys of :mod:`docgen.documents`; None: all), in order."""
    specs: list[JobSpec] = []
    for kind in REGISTRY.in_build_order():
        if only is not None and kind.key not in only:
            continue
        build_context = kind.context_function()
        if not kind.per_candidate:
            specs.append(JobSpec(kind.key, kind.template_for(), kind.output, kind.title, False,
                                 functools.partial(build_context, campaign, evaluation, today)))
            continue
        for candidate, output in zip(campaign.candidates, report_names(campaign, kind.output)):
            status = evaluation.status_of(candidate)
            specs.append(JobSpec(kind.key, kind.template_for(candidate), output,
                                 f"{kind.title} – {candidate.display_name}", bool(status and status.proposed),
                                 functools.partial(build_context, campaign, evaluation, candidate, today)))
    return specs


def plan_documents(campaign: Campaign, evaluation: Evaluation, *, only: set[str] | None = None,
                   today: date | None = None) -> list[Job]:
    """Every document to render for ``only``, contexts made (see :func:`plan_specs`)."""
    return [spec.job() for spec in plan_specs(campaign, evaluation, only=only, today=today)]


__all__ = ["Job", "JobSpec", "plan_specs", "plan_documents", "proposal_rows", "proposal_groups", "base_context",
           "recipients", "signer_lines", "number_code", "header_lines", "sentence_case_agency", "report_names"]
