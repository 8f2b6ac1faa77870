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

from . import layout
from . import vietnamese as vn
from .documents import KINDS, REGISTRY
from .evaluation import CandidateStatus, Evaluation
from .model import Campaign, Collective, Individual, PastAward, Signer
from .text import fold, levels, slug

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
    in_proposal: bool = False     # per-candidate kinds: the candidate is proposed upward (in the hồ sơ to print)


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


_AUTHORITY = re.compile(r"^(TM|KT|TL|TUQ|Q)\s*\.?\s+", re.IGNORECASE)
_AGENCY_TYPES = ("BỘ", "SỞ", "BAN", "CỤC", "VỤ", "TỔNG CỤC", "VĂN PHÒNG", "THANH TRA")


def _locality_at(words: list[str], i: int) -> int:
    """How many words of a locality start at ``words[i]`` (0: none).  "XÃ HỘI" is not the commune "XÃ"."""
    two = " ".join(words[i:i + 2])
    if two in _LOCALITY:
        return 2
    if words[i] in _LOCALITY and not (words[i] == "XÃ" and words[i + 1:i + 2] == ["HỘI"]):
        return 1
    return 0


def header_lines(agency: str, *, parent: bool = False) -> list[str]:
    """The lines of an agency name in the header.  Line breaks (Alt+Enter) or "/" typed in the cell win;
    otherwise a name that fits the header column stays on one line ("VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO",
    "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG") and a longer one is broken between meaningful groups only: before the
    locality ("VIỆN KIỂM SÁT NHÂN DÂN / TỈNH CAO BẰNG"), before "VÀ" ("SỞ VĂN HÓA, THỂ THAO / VÀ DU LỊCH"),
    after a comma.  ``parent``: the cơ quan chủ quản (12 pt, not bold)."""
    parts = [" ".join(vn.upper(p).split()) for p in levels(agency)]
    if len(parts) != 1:
        return parts
    width = layout.HEADER_LEFT - layout.CELL_PAD
    return layout.break_agency(parts[0], width, layout.AGENCY_SIZE, bold=not parent)


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
    return vn.vote_percent(value)


_HEAD_OF = (("van phong", "Chánh "), ("thanh tra", "Chánh "), ("phong", "Trưởng phòng"), ("ban", "Trưởng ban"),
            ("vu", "Vụ trưởng "), ("cuc", "Cục trưởng "), ("vien", "Viện trưởng "), ("so", "Giám đốc "))


def head_of_unit(unit: str) -> str:
    """ "Văn phòng" → "Chánh Văn phòng", "Phòng Tổ chức - Pháp chế" → "Trưởng phòng Tổ chức - Pháp chế",
    "Ban Thi đua" → "Trưởng ban Thi đua", "Vụ Tổ chức cán bộ" → "Vụ trưởng Vụ Tổ chức cán bộ"."""
    unit = " ".join((unit or "").split())
    f = fold(unit)
    for prefix, title in _HEAD_OF:
        if f == prefix or f.startswith(prefix + " "):
            if title.endswith(" "):
                return title + unit
            return title + unit[len(prefix):]
    return f"Thủ trưởng {unit}" if unit else "Thủ trưởng đơn vị"


@functools.lru_cache(maxsize=4096)        # a few chức vụ × đơn vị, written for every Báo cáo thành tích
def title_with_unit(position: str, unit: str) -> str:
    """Chức vụ and đơn vị the way a clerk writes them: "Trưởng phòng" + "Phòng Tổ chức - Pháp chế" →
    "Trưởng phòng Tổ chức - Pháp chế"; "Chánh Văn phòng" + "Văn phòng" → "Chánh Văn phòng"; "Giám đốc Thư viện
    tỉnh" + "Thư viện tỉnh" → "Giám đốc Thư viện tỉnh"; "Giám đốc" + "Thư viện tỉnh" → "Giám đốc Thư viện tỉnh"."""
    position, unit = " ".join((position or "").split()), " ".join((unit or "").split())
    if not unit:
        return position
    if not position:
        return unit
    fp, fu = fold(position), fold(unit)
    if fu in fp:
        return position
    p_words, u_words = position.split(" "), unit.split(" ")
    for k in (2, 1):
        if len(p_words) > k - 1 and len(u_words) >= k and \
                fold(" ".join(p_words[-k:])) == fold(" ".join(u_words[:k])):
            rest = " ".join(u_words[k:])
            return f"{position} {rest}".strip()
    return f"{position} {unit}"


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


def per_campaign(campaign: Campaign, name: str, make: Callable[[], Any]) -> Any:
    """``make()``, a value that depends only on ``campaign`` (and the rules data in use): within
    :func:`shared_base_contexts` made once per campaign and handed to every document; outside, made afresh.
    Keyed by the campaign itself (kept alive with the value), so two campaigns never see each other's."""
    if _SHARED is None:
        return make()
    key = (name, id(campaign))
    held = _SHARED.get(key)
    if held is None or held[0] is not campaign:
        held = _SHARED[key] = (campaign, make())
    return held[1]


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
    agency = " ".join(vn.upper(p) for p in levels(info.issuing_agency))
    agency_name = info.agency_name.strip() or sentence_case_agency(info.issuing_agency)
    movement = unquote(info.movement_name)
    addressees = [normalise_item(a) for a in split_list(info.addressee)]
    addressees = [a for a in addressees if a]
    kinh_trinh = addressees[0] if len(addressees) == 1 else (info.proposing_to.strip().rstrip(".")
                                                             or "; ".join(addressees))
    if len(addressees) > 1:                 # one per line under the colon: "- …;" and "." on the last
        addressees = [f"- {a}{'.' if i == len(addressees) - 1 else ';'}" for i, a in enumerate(addressees)]
    ctx: dict[str, Any] = {
        "co_quan_chu_quan": " ".join(vn.upper(p) for p in levels(info.parent_agency)),
        "co_quan_chu_quan_dong": header_lines(info.parent_agency, parent=True) if info.parent_agency.strip() else [],
        "co_quan": agency,
        "co_quan_dong": header_lines(info.issuing_agency),
        "co_quan_ten": agency_name,
        "ky_hieu_co_quan": info.agency_code,
        "don_vi_soan_thao": info.drafting_unit,
        "ten_don_vi_soan_thao": drafting_unit_name(campaign),
        "don_vi_tham_muu": info.advising_unit.strip() or drafting_unit_name(campaign),
        "ban_hanh_boi": agency_name,
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


_BASIS_OPENINGS = ("can cu", "thuc hien", "theo", "xet", "trien khai")


def basis_line(text: str) -> str:
    """A Căn cứ row as printed: "Căn cứ " added when the row does not open with it ("Luật Thi đua, khen thưởng
    ngày 15 tháng 6 năm 2022" → "Căn cứ Luật …"); rows opening with "Thực hiện", "Theo", "Xét" stay as written."""
    text = normalise_item(text)
    if not text or fold(text).startswith(_BASIS_OPENINGS):
        return text
    return f"Căn cứ {text}"


def drafting_unit_name(campaign: Campaign) -> str:
    """The drafting unit's name in the prose: the "Tên đơn vị soạn thảo" key; else the Đơn vị row whose
    initials are the "Đơn vị soạn thảo" abbreviation ("TCPC", "PTCPC" → "Phòng Tổ chức - Pháp chế"); else
    "Văn phòng" ("VP" or nothing better known)."""
    info = campaign.info
    named = info.drafting_unit_name.strip()
    if named:
        return named
    code = fold(info.drafting_unit or "").replace(" ", "").replace(".", "")
    if code and code != "vp":
        for unit in campaign.units:
            words = [w for w in re.split(r"[\s\-–,]+", fold(unit.name)) if w]
            initials = "".join(w[0] for w in words)
            if code in (initials, initials[1:]) or code == fold(unit.name):
                return unit.name
    return "Văn phòng"


def legal_bases(campaign: Campaign, last: str = ".") -> list[str]:
    """Căn cứ lines, each ending ";" and the last ``last`` ("." when the list ends there, ";" when the
    template continues it with "Thực hiện …;" or "Xét đề nghị của …")."""
    lines = [basis_line(b.text) for b in campaign.legal_bases if basis_line(b.text)]
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


def proposal_groups(campaign: Campaign, evaluation: Evaluation, agency_name: str = "",
                    statuses: list[CandidateStatus] | None = None) -> list[dict[str, Any]]:
    """The danh sách of ``statuses`` (default: every proposed candidate): groups by hình thức (first-seen
    order), each with a "Tập thể" then a "Cá nhân" part."""
    agency_name = agency_name or sentence_case_agency(campaign.info.issuing_agency)
    groups: "OrderedDict[str, dict[str, list[CandidateStatus]]]" = OrderedDict()
    labels: dict[str, str] = {}
    chosen = evaluation.proposed if statuses is None else statuses
    ordered = [s for s in chosen if s.is_collective] + [s for s in chosen if s.is_individual]
    for s in ordered:
        key = fold(s.award_label)
        labels.setdefault(key, s.award_label)
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
        "hinh_thuc": s.award_label,
        "loai": "Tập thể" if s.is_collective else "Cá nhân",
        "ty_le": percent_text(s.vote.percent) if s.vote else "",
        "tien_thuong": s.prize,
        "so_tien": vn.format_number(s.prize) if s.prize is not None else "",
        "van_ban": REGISTRY.name_of(s.document) if s.document else "",
    }


def proposal_rows(campaign: Campaign, evaluation: Evaluation) -> list[dict[str, Any]]:
    """The danh sách flattened (danh-sach.xlsx): one dict per proposed candidate, numbered 1…n."""
    rows = []
    for group in proposal_groups(campaign, evaluation):
        for part in group["phan"]:
            rows += part["dong"]
    return [{**row, "stt": i} for i, row in enumerate(rows, start=1)]


def _award_groups(statuses: list[CandidateStatus]):
    """(verb → award names decided here, authority further up → verb → names), collectives first."""
    here: "OrderedDict[str, list[str]]" = OrderedDict()
    further: "OrderedDict[str, OrderedDict[str, list[str]]]" = OrderedDict()
    for s in [s for s in statuses if s.is_collective] + [s for s in statuses if s.is_individual]:
        verb = s.award_verb or ("công nhận danh hiệu" if s.award_category == "danh_hieu" else "tặng")
        target = further.setdefault(s.decided_by, OrderedDict()) if s.further_up else here
        names = target.setdefault(verb, [])
        if fold(s.award_label) not in {fold(n) for n in names}:
            names.append(s.award_label)
    return here, further


def _short_names(groups: "OrderedDict[str, list[str]]") -> int:
    return sum(1 if v == "công nhận danh hiệu" and len(n) > 1 else len(n) for v, n in groups.items())


def award_phrase(statuses: list[CandidateStatus], *, short: bool = False) -> str:
    """What a document asks or decides for ``statuses``: "công nhận danh hiệu Lao động tiên tiến, Chiến sĩ thi
    đua cơ sở và tặng Giấy khen"; an award the superior must propose further up: "đề nghị Thủ tướng Chính phủ
    tặng Bằng khen của Thủ tướng Chính phủ".  ``short`` (trích yếu): several danh hiệu are "danh hiệu thi đua"."""
    here, further = _award_groups(statuses)

    def verbs(groups: "OrderedDict[str, list[str]]") -> str:
        order = sorted(groups, key=lambda v: v != "công nhận danh hiệu")
        join = join_and if len(order) == 1 else ", ".join      # "A, B và tặng C", not "A và B và tặng C"
        return " và ".join("công nhận danh hiệu thi đua" if short and v == "công nhận danh hiệu" and
                           len(groups[v]) > 1 else f"{v} {join(groups[v])}" for v in order)
    parts = [verbs(here)] if here else []
    parts += [f"đề nghị {who} {verbs(groups)}" for who, groups in further.items()]
    return " và ".join(parts) or "khen thưởng"


def many_forms(statuses: list[CandidateStatus]) -> bool:
    """The trích yếu would name more than two forms (several danh hiệu count as one, "danh hiệu thi đua"):
    then the document names them generally ("… khen thưởng cho tập thể, cá nhân có thành tích xuất sắc …")."""
    here, further = _award_groups(statuses)
    return _short_names(here) + sum(_short_names(g) for g in further.values()) > 2


def proposal_context(campaign: Campaign, evaluation: Evaluation, agency_name: str,
                     document: str | None = None) -> dict[str, Any]:
    """The danh sách and its counts for ``document`` (its own candidates once routed; None: every proposed)."""
    proposed = evaluation.proposed if document is None else evaluation.proposed_for(document)
    n_c = sum(1 for s in proposed if s.is_collective)
    n_i = sum(1 for s in proposed if s.is_individual)
    groups = proposal_groups(campaign, evaluation, agency_name, proposed)
    awards = [g["hinh_thuc"] for g in groups]
    phrase = award_phrase(proposed)
    return {
        "noi_dung_de_nghi": phrase,
        "noi_dung_trich_yeu": award_phrase(proposed, short=True),
        "danh_sach": groups,
        "so_tap_the": n_c,
        "so_ca_nhan": n_i,
        "so_tap_the_chu": vn.count_with_words(n_c),
        "so_ca_nhan_chu": vn.count_with_words(n_i),
        "tong_de_nghi": n_c + n_i,
        "tong_de_nghi_chu": totals_text(n_c, n_i),
        "hinh_thuc_de_nghi": awards,
        "hinh_thuc_chung": join_and(awards) or "khen thưởng",
        # above two forms the trích yếu and the list title name them generally ("… khen thưởng cho tập thể, …")
        "nhieu_hinh_thuc": many_forms(proposed),
        # the list title, as short as the trích yếu: several danh hiệu are "danh hiệu thi đua"
        "tieu_de_danh_sach": ("ĐỀ NGHỊ KHEN THƯỞNG" if many_forms(proposed) else
                              "ĐỀ NGHỊ " + vn.upper(award_phrase(proposed, short=True))),
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
    ctx.update(proposal_context(campaign, evaluation, ctx["co_quan_ten"], "to-trinh"))
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


def head_of_agency(campaign: Campaign, agency_name: str) -> str:
    """Who decides the agency's own awards, in prose: "Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng"
    (the head's title of the Quyết định's signer row, else of the Tờ trình's), "Thủ trưởng …" when unknown."""
    for code in REGISTRY.head_signers():
        signer = campaign.signer_for(code)
        if signer is None:
            continue
        heads = [_AUTHORITY.sub("", h).strip() for h in levels(signer.head_title)]
        if signer.authority == "TM." or not heads:          # canonical since the reader
            heads = [signer.signer_title.strip()]
        if heads and heads[-1]:
            title = heads[-1].lower()
            return f"{title[:1].upper()}{title[1:]} {agency_name}"
    return f"Thủ trưởng {agency_name}"


def _conclusions(campaign: Campaign, evaluation: Evaluation, ctx: dict[str, Any], full) -> list[dict[str, Any]]:
    """The Biên bản's conclusion: one sentence and list per outcome document (the agency's own decision, the
    proposal to the superior), or one for every proposed candidate before routing."""
    council = f"Hội đồng Thi đua - Khen thưởng {ctx['co_quan_ten']} thống nhất đề nghị"
    if evaluation.routed:
        blocks = [(evaluation.proposed_for("quyet-dinh"), head_of_agency(campaign, ctx["co_quan_ten"])),
                  (evaluation.proposed_for("to-trinh"), f"{ctx['kinh_trinh']} xem xét,")]
    else:
        blocks = [(evaluation.proposed, f"{ctx['kinh_trinh']} xem xét,")]
    out = []
    for statuses, whom in blocks:
        if not statuses:
            continue
        n_c = sum(1 for s in statuses if s.is_collective)
        out.append({"cau": f"{council} {whom} {award_phrase(statuses)} cho {totals_text(n_c, len(statuses) - n_c)} "
                           "(có danh sách kèm theo), gồm:",
                    "de_nghi": [{"ten_day_du": full(s), "ty_le": percent_text(s.vote.percent) if s.vote else "",
                                 "hinh_thuc": s.award_label} for s in statuses]})
    return out


def _meeting_signer(campaign: Campaign, chair: dict[str, Any]) -> dict[str, Any]:
    """The right-hand signature of the Biên bản: the "Người ký" BB row when given (TM. HỘI ĐỒNG … / CHỦ TỊCH),
    else CHỦ TỌA and the chair's name."""
    signer = campaign.signer_for("BB")
    if signer is not None:
        return signer_lines(signer)
    return {"chuc_vu": ["CHỦ TỌA"], "ho_ten": chair["ho_ten"], "ghi_chu": ""}


def _written_votes(evaluation: Evaluation) -> str:
    items = [f"{s.candidate.display_name} {s.vote.written} phiếu" for s in evaluation.statuses
             if s.vote is not None and s.vote.written]
    return "; ".join(items)


def _vote_results(evaluation: Evaluation) -> list[dict[str, str]]:
    """The Biên bản's table: every candidate's vote."""
    results = []
    for i, s in enumerate(evaluation.statuses, start=1):
        v = s.vote
        results.append({
            "stt": str(i),
            "ten": s.candidate.display_name,
            "hinh_thuc": s.award_label,
            "loai": "Tập thể" if s.is_collective else "Cá nhân",
            "dong_y": str(v.yes) if v else "",              # votes as counted: "6", "0"
            "khong_dong_y": str(v.no) if v else "",
            "ty_le": percent_text(v.percent) if v else "",
            "nguong": v.threshold_text if v else "",
            "ket_qua": ("Đạt" if v.passed else "Không đạt") if v else "Không biểu quyết",
        })
    return results


def _full_name(s: CandidateStatus) -> str:
    """ "Đồng chí Nguyễn Văn Bình, Chuyên viên, Phòng Quản lý văn hóa"; a collective by its name."""
    c = s.candidate
    if isinstance(c, Individual):
        who = title_with_unit(c.position, c.unit)
        return f"Đồng chí {c.full_name}{', ' + who if who else ''}"
    return c.name


def _rejection(s: CandidateStatus) -> str:
    text = "; ".join(r.rstrip(".") for r in s.reasons) or "không đạt"
    return text[:1].lower() + text[1:]


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
    results = _vote_results(evaluation)
    full = _full_name
    proposed = [{"ten_day_du": full(s), "ty_le": percent_text(s.vote.percent) if s.vote else "",
                 "hinh_thuc": s.award_label} for s in evaluation.proposed]
    rejected = [{"ten_day_du": full(s), "ly_do": _rejection(s)} for s in evaluation.statuses if not s.proposed]
    thresholds: list[dict[str, str]] = []
    seen_awards: set[str] = set()
    for s in evaluation.statuses:
        if s.vote is not None and fold(s.award_label) not in seen_awards:
            seen_awards.add(fold(s.award_label))
            thresholds.append({"hinh_thuc": s.award_label, "nguong": s.vote.threshold_text})
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
        "ket_luan": _conclusions(campaign, evaluation, ctx, full),
        "khong_de_nghi": rejected,
        "nguong_bieu_quyet": thresholds,
        "phieu_van_ban": _written_votes(evaluation),
        "ky_chu_toa": _meeting_signer(campaign, chair),
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


def issuer_in_prose(signer: Signer | None, agency_name: str) -> str:
    """Who issues a Quyết định, as the Phụ lục's "(Kèm theo Quyết định số … của …)" names them: the head
    ("Giám đốc Sở Văn hóa, Thể thao và Du lịch", "Viện trưởng Viện kiểm sát nhân dân tỉnh Cao Bằng"); the
    agency itself for a collective decision (TM.)."""
    if signer is None or signer.authority == "TM.":
        return agency_name
    heads = [_AUTHORITY.sub("", h).strip() for h in levels(signer.head_title)]
    head = heads[0] if heads else (signer.signer_title or "").strip()
    if not head:
        return agency_name
    head = head.lower() if head == vn.upper(head) else head
    return f"{head[:1].upper()}{head[1:]} {agency_name}"


def quyet_dinh_context(campaign: Campaign, evaluation: Evaluation, today: date | None) -> dict[str, Any]:
    ctx = base_context(campaign, "QĐ", today)
    ctx.update(proposal_context(campaign, evaluation, ctx["co_quan_ten"], "quyet-dinh"))
    info = campaign.info
    ctx["tham_quyen"] = info.issuing_authority or issuing_authority(
        campaign.signer_for("QĐ"), " ".join(ctx["co_quan_dong"]))
    own = evaluation.proposed_for("quyet-dinh")
    decided = ctx["noi_dung_de_nghi"]
    ctx["noi_dung_quyet_dinh"] = decided[:1].upper() + decided[1:]
    if any((s.award_verb or "").startswith("công nhận") for s in own):
        ctx["noi_dung_trich_yeu"] += f" năm {ctx['nam']}"
    ctx["tieu_de_danh_sach"] = ("ĐƯỢC KHEN THƯỞNG" if ctx["nhieu_hinh_thuc"] else
                                "ĐƯỢC " + vn.upper(award_phrase(own, short=True)))
    ctx["ban_hanh_boi"] = issuer_in_prose(campaign.signer_for("QĐ"), ctx["co_quan_ten"])
    ctx["de_nghi_cua"] = info.proposed_by or (
        f"Hội đồng Thi đua - Khen thưởng {ctx['co_quan_ten']}")
    ctx["thi_hanh"] = info.executors or (
        f"{head_of_unit(ctx['ten_don_vi_soan_thao'])}, Thủ trưởng các đơn vị có liên quan")
    tiers: "OrderedDict[tuple[str, str, int], int]" = OrderedDict()
    labels: dict[str, str] = {}
    total = 0
    for s in own:
        if s.prize is None:
            continue
        key = (fold(s.award_label), "tập thể" if s.is_collective else "cá nhân", s.prize)
        labels.setdefault(key[0], s.award_label)
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

# Pure formatting of dates met again and again across candidates (decision dates): once each.  ``typed``: a
# date and a datetime are told apart, as the formatting does.  (vn.format_number remembers its own answers.)
_short_date = functools.lru_cache(maxsize=4096, typed=True)(vn.short_date)


def _categories(campaign: Campaign) -> tuple[Any, dict[str, str]]:
    """(the rules data in use, the category found there for each award title met so far): the category
    ("danh_hieu", "hinh_thuc" …) of an award title is the catalogue's, else guessed from the name.  The same few
    titles come back for every candidate: each is looked up once per campaign (a batch uses the rules data in
    use when its first document was made, as it does for the base contexts)."""
    from . import rules

    return per_campaign(campaign, "award-categories", lambda: (rules.catalog(), {}))


def _award_rows(awards: list[PastAward], categories: tuple[Any, dict[str, str]]) -> dict[str, list[dict[str, str]]]:
    """The awards already received, by category, each in the order of year then decision date.
    ``categories``: the rules data and the categories of the titles already looked up there (filled here)."""
    data, known = categories
    rows: dict[str, list[dict[str, str]]] = {"danh_hieu": [], "hinh_thuc": []}
    for a in sorted(awards, key=lambda a: (a.year or 0, a.decision_date or date.min)):
        kind = known.get(a.title)
        if kind is None:
            found = data.find_award(a.title)
            kind = known[a.title] = found.category if found is not None else _guess_category(a.title)
        target = rows.get(kind)
        if target is None:
            continue
        decision = a.decision_no
        if a.decision_no and not a.decision_no.lower().startswith(("quyết định", "qđ số", "số")):
            decision = f"Quyết định số {a.decision_no}"
        if a.decision_date:
            decision += f" ngày {_short_date(a.decision_date)}"
        if a.issuer:
            decision += f" của {a.issuer}"
        target.append({"nam": str(a.year or (a.decision_date.year if a.decision_date else "")), "ten": a.title,
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
            text = _short_date(value)
        else:
            text = str(value)
        out.append({"ten": label, "gia_tri": text, "ma": key})
    return out


def _report_signers(campaign: Campaign, candidate) -> tuple[dict[str, Any], dict[str, Any]]:
    """(xác nhận — left, người báo cáo — right)."""
    confirm = per_campaign(campaign, "report-confirmer", lambda: signer_lines(
        next((s for s in (campaign.signer_for(code) for code in REGISTRY.report_confirmers()) if s), None)))
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
        "van_ban": status.document if status else "",        # the outcome document carrying it (thẩm quyền)
        "la_tap_the": isinstance(candidate, Collective),
    }
    if isinstance(candidate, Individual):
        duties = candidate.duties
        position = candidate.position
        doi_tuong = {
            **common,
            "ho_ten": candidate.full_name,
            "gioi_tinh": candidate.gender,
            "ngay_sinh": _short_date(candidate.birth_date) if candidate.birth_date else "",
            "que_quan": candidate.hometown,
            "tru_quan": candidate.residence,
            "chuc_vu": position,
            "don_vi": candidate.unit or ctx["co_quan_ten"],
            "trinh_do": candidate.qualification,
            "ngay_tuyen_dung": _short_date(candidate.recruited_on) if candidate.recruited_on else "",
            "nhiem_vu_doan": split_lines(duties) or [
                f"{title_with_unit(position or 'Công chức', candidate.unit or ctx['co_quan_ten'])}; thực hiện "
                f"các nhiệm vụ được lãnh đạo đơn vị phân công."],
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
    rows = _award_rows(awards, _categories(campaign))
    ctx["danh_hieu_da_dat"] = rows["danh_hieu"]
    ctx["hinh_thuc_da_dat"] = rows["hinh_thuc"]
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
    in_proposal: bool             # per-candidate kinds: the candidate is proposed upward (in the hồ sơ to print)
    make_context: Callable[[], dict[str, Any]]

    def context(self) -> dict[str, Any]:
        ctx = self.make_context()
        ctx["tieu_de"] = self.title
        return ctx

    def job(self) -> Job:
        return Job(self.key, self.template, self.output, self.context(), self.title, self.in_proposal)


def _in_proposal(evaluation: Evaluation, candidate, upward: str | None) -> bool:
    """A Báo cáo thành tích belongs to the hồ sơ đề nghị when its candidate is proposed and not decided by the
    agency itself (its Quyết định is printed on its own).  ``upward``: REGISTRY.outcome("upward")."""
    status = evaluation.status_of(candidate)
    return bool(status and status.proposed) and status.document in (None, "", upward)


def plan_specs(campaign: Campaign, evaluation: Evaluation, *, only: set[str] | None = None,
               today: date | None = None, named: bool = True) -> list[JobSpec]:
    """Every document to render for ``only`` (document keys of :mod:`docgen.documents`; None: all), in order.
    ``named=False``: the per-candidate outputs are left blank — for a batch worker, which is told where each
    document goes and only renders (a thousand file names are not made again in every worker)."""
    specs: list[JobSpec] = []
    upward = REGISTRY.outcome("upward")
    for kind in REGISTRY.in_build_order():
        if only is not None and kind.key not in only:
            continue
        build_context = kind.context_function()
        if not kind.per_candidate:
            specs.append(JobSpec(kind.key, kind.template_for(), kind.output, kind.title, False,
                                 functools.partial(build_context, campaign, evaluation, today)))
            continue
        outputs = report_names(campaign, kind.output) if named else [""] * len(campaign.candidates)
        for candidate, output in zip(campaign.candidates, outputs):
            specs.append(JobSpec(kind.key, kind.template_for(candidate), output,
                                 f"{kind.title} – {candidate.display_name}", _in_proposal(evaluation, candidate, upward),
                                 functools.partial(build_context, campaign, evaluation, candidate, today)))
    return specs


def plan_documents(campaign: Campaign, evaluation: Evaluation, *, only: set[str] | None = None,
                   today: date | None = None) -> list[Job]:
    """Every document to render for ``only``, contexts made (see :func:`plan_specs`)."""
    return [spec.job() for spec in plan_specs(campaign, evaluation, only=only, today=today)]


__all__ = ["Job", "JobSpec", "plan_specs", "plan_documents", "proposal_rows", "proposal_groups", "base_context",
           "recipients", "signer_lines", "number_code", "header_lines", "sentence_case_agency", "report_names"]
