"""The Nghị định 30/2020/NĐ-CP rules, applied to a :class:`~docgen.nd30.document.Document`.

The checker first finds the parts of the document (header block, title and trích yếu, body, Nơi nhận and
signature, appendix), tolerating the layouts people really use in Word (a 2-column table, plain
paragraphs with tabs, text boxes), then applies each rule to its part.  Findings that repeat on many
paragraphs for the same reason (a style that is 12 pt, a font) are reported once with the list of places.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Callable, Iterable

from ..text import fold
from .document import Document, Line, Paragraph, Segment, Table, squash
from .report import CANH_BAO, DOC_TYPES, LOI, RULES, Finding

# ---------------------------------------------------------------------------------------------------
# constants

A4 = (11906, 16838)
PAGE_TOLERANCE = 20
MARGINS = {"top": (1134, 1417), "bottom": (1134, 1417), "left": (1701, 1984), "right": (850, 1134)}
MARGIN_TOLERANCE = 2
INDENT_MIN, INDENT_MAX = 567, 720            # 1 cm and 1.27 cm
INDENT_TOLERANCE = 8                         # "2 characters" at 14 pt is 560 twips
KNOWN_PAPERS = {(12240, 15840): "Letter", (12240, 20160): "Legal", (8391, 11906): "A5", (16838, 23811): "A3",
                (10318, 14570): "B5 (JIS)", (9979, 14175): "B5"}

TITLE_NAMES: dict[str, str] = {
    "NGHỊ QUYẾT": "NQ", "QUYẾT ĐỊNH": "QĐ", "CHỈ THỊ": "CT", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ",
    "THÔNG CÁO": "TC", "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "KẾ HOẠCH": "KH",
    "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr",
    "HỢP ĐỒNG": "HĐ", "CÔNG ĐIỆN": "CĐ", "BẢN GHI NHỚ": "BGN", "BẢN THỎA THUẬN": "BTT",
    "GIẤY ỦY QUYỀN": "GUQ", "GIẤY MỜI": "GM", "GIẤY GIỚI THIỆU": "GGT", "GIẤY NGHỈ PHÉP": "GNP",
    "PHIẾU GỬI": "PG", "PHIẾU CHUYỂN": "PC", "PHIẾU BÁO": "PB",
}
_TITLE_FOLDED = sorted(((fold(k), v) for k, v in TITLE_NAMES.items()), key=lambda kv: -len(kv[0]))
OLD_CODES = {"gn", "tth", "cv"}
LEGAL_WITH_YEAR = {"NQ", "QĐ", "CT"}       # quy phạm pháp luật may carry the year in the number
NHU_TREN_TYPES = {"TTr", "BC", "CV"}
AUTHORITY_LINE_TYPES = {"QĐ", "NQ", "CT"}   # an uppercase issuing-authority line follows the trích yếu

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
QUOC_HIEU_OK = {QUOC_HIEU, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"}
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"

_TYPED_RULE = re.compile(r"^[\s_\-‐‑‒–—―─━=~.·*]{3,}$")
_TYPED_RULE_CHARS = re.compile(r"[_\-‐‑‒–—―─━=~]")
_SO = re.compile(r"^S[ốỐô]\s*(?P<colon>:?)\s*(?P<value>.*)$")
_DATE = re.compile(r"^(?P<place>.*?)(?P<comma>,?)\s*ngày\s*(?P<d>\S*?)\s*tháng\s*(?P<m>\S*?)\s*năm\s*(?P<y>\S*?)\s*\.?$",
                   re.IGNORECASE)
_DATE_ANYWHERE = re.compile(r"ngày\s*\S*\s*tháng\s*\S*\s*năm\s*\d{4}", re.IGNORECASE)
_DRAFT_BLANK = re.compile(r"^[\s._…]*$")
_ROMAN_HEADING = re.compile(r"^[IVXLC]+\s*[.)]\s")
_VALID_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s+\S")
_BAD_PREFIXES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(K/T|T/M|T/L|TU/Q)\b", re.IGNORECASE), "dùng dấu \"/\""),
    (re.compile(r"^(KT|TM|TL|TUQ)\s*/"), "dùng dấu \"/\""),
    (re.compile(r"^P\.\s*\S"), "\"P.\" không phải quyền hạn ký (dùng \"KT.\")"),
    (re.compile(r"^(PGĐ|PGD|P\.GĐ|PCT|PVT)\b"), "viết tắt chức vụ (dùng \"KT.\" và ghi đầy đủ chức vụ)"),
    (re.compile(r"^(KT|TM|TL|TUQ)\s+[A-ZĐÀ-Ỹ]"), "thiếu dấu chấm sau quyền hạn"),
    (re.compile(r"^(TM|KT|TL|TUQ|Q)\.(?=[^\s.])"), "thiếu khoảng trắng sau dấu chấm"),
    (re.compile(r"^(Tm|Kt|Tl|Tuq|tm|kt|tl|tuq)\.\s"), "quyền hạn phải in hoa"),
]
_DEGREES = re.compile(r"^(GS\.\s*TS|PGS\.\s*TS|PGS|GS|TSKH|TS|ThS|Ths|THS|Th\.S|CN|KS|BS|NCS|ThS\.BS|Ts)\s*\.\s*",)
_TITLE_WORDS = ("truong", "pho ", "chu tich", "giam doc", "thu ky", "chu toa", "chu tri", "chanh ", "uy vien",
                "bi thu", "tong ", "kiem sat vien", "nguoi ", "dai dien", "hoi dong", "uy ban", "ban ", "tm.",
                "kt.", "tl.", "tuq.", "q.", "thu truong", "can bo", "vien kiem sat", "cong chuc")
_CONTINUATION = ("tinh ", "thanh pho ", "huyen ", "quan ", "thi xa ", "xa ", "phuong ", "thi tran ", "khu vuc",
                 "tp. ", "tp ", "cap tinh", "cap huyen", "toi cao", "cap cao")
_INITIALS = re.compile(r"^[A-ZĐ][A-Za-zĐđ.]{0,10}\s*\(\s*\d+\s*[a-zA-Z]?\s*\)\s*\.?$")
# "05 (năm)", "02 (hai) tập thể", "760.000 đồng (Bảy trăm sáu mươi nghìn đồng)", "… (bằng chữ: …)"
_NUM_WORDS = re.compile(r"(?<![\d.,/])(\d{1,3}(?:\.\d{3})+|\d+)(?![\d.,/]\d)\s*(?:đồng\s*)?\(\s*"
                        r"(?:[Bb]ằng chữ\s*:\s*)?([^\W\d_]+(?:[ ,]+[^\W\d_]+)*)\s*\)")
_MONEY_TAIL = re.compile(r"[\s,]*\bđồng(\s+chẵn)?$")
_SIGN_HINT = re.compile(r"^\(\s*(ký|đã ký|chữ ký)\b", re.IGNORECASE)
_XET = ("xet ", "theo de nghi", "theo de xuat", "theo to trinh", "theo bao cao", "tren co so", "xet de nghi")


# ---------------------------------------------------------------------------------------------------
# small helpers

def excerpt(text: str, limit: int = 60) -> str:
    text = squash(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def is_upper(text: str) -> bool:
    # cased letters only: Arabic, Hebrew, CJK… have no capitals and cannot make a line "not uppercase"
    letters = [c for c in text if c.isalpha() and c.lower() != c.upper()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_typed_rule(text: str) -> bool:
    text = text.strip()
    return bool(text) and bool(_TYPED_RULE.match(text)) and len(_TYPED_RULE_CHARS.findall(text)) >= 3


def _segs(unit: Line | Paragraph) -> list[Segment]:
    return [s for s in unit.segments if s.text.strip() and s.props.vert_align not in ("superscript", "subscript")]


def sizes(unit: Line | Paragraph) -> set[float]:
    return {s.props.size_pt for s in _segs(unit)}


def all_bold(unit: Line | Paragraph) -> bool:
    segs = _segs(unit)
    return bool(segs) and all(s.props.bold for s in segs)


def any_bold(unit: Line | Paragraph) -> bool:
    return any(s.props.bold for s in _segs(unit))


def all_italic(unit: Line | Paragraph) -> bool:
    segs = _segs(unit)
    return bool(segs) and all(s.props.italic for s in segs)


def any_italic(unit: Line | Paragraph) -> bool:
    return any(s.props.italic for s in _segs(unit))


def all_underlined(unit: Line | Paragraph) -> bool:
    segs = _segs(unit)
    return bool(segs) and all(s.props.underline for s in segs)


def num(value: float, digits: int | None = None) -> str:
    """Vietnamese decimal comma: 1.5 → "1,5"; ``digits`` fixes the number of decimals."""
    text = f"{value:.{digits}f}" if digits is not None else f"{value:g}"
    return text.replace(".", ",")


def size_text(values: Iterable[float]) -> str:
    return ", ".join(num(v) for v in sorted(values)) + " pt"


def out_of(values: set[float], low: float, high: float) -> set[float]:
    return {v for v in values if v < low - 0.01 or v > high + 0.01}


def para_of(unit: Line | Paragraph) -> Paragraph:
    return unit.paragraph if isinstance(unit, Line) else unit


def pieces(line: Line) -> list[Line]:
    """Split a line at tab characters: hand-made headers put two columns on one line with tabs."""
    result: list[Line] = []
    current: list[Segment] = []
    for seg in line.segments:
        parts = seg.text.split("\t")
        for k, part in enumerate(parts):
            if k and current:
                result.append(Line(line.paragraph, line.number, current))
                current = []
            elif k:
                current = []
            if part:
                current.append(Segment(part, seg.props))
    if current:
        result.append(Line(line.paragraph, line.number, current))
    non_empty = [p for p in result if p.text]
    return non_empty or [Line(line.paragraph, line.number, [])]


def starts_with_tab(line: Line) -> bool:
    raw = line.raw
    return raw[: len(raw) - len(raw.lstrip(" \u00a0"))].count("\t") > 0 or raw.lstrip(" \u00a0").startswith("\t")


# ---------------------------------------------------------------------------------------------------
# containers

@dataclass
class Container:
    """An ordered run of lines read together: a table cell, a column, the top paragraphs, a text box."""

    name: str
    lines: list[Line]
    in_cell: bool = False
    column: int = 0

    def index(self, line: Line) -> int:
        for k, candidate in enumerate(self.lines):
            if candidate is line:
                return k
        return -1


def containers_of(blocks: list[Paragraph | Table], *, split_tabs: bool) -> list[Container]:
    containers: list[Container] = []
    top = Container("đầu văn bản", [])
    for block in blocks:
        if isinstance(block, Table):
            # One container per column: a header table may put "Số" in a second row under the agency.
            for col, paras in block.columns().items():
                lines = [ln for p in paras for ln in _split(p, split_tabs)]
                containers.append(Container(f"{block.where}, cột {col}", lines, in_cell=True, column=col))
                for p in paras:
                    containers.extend(_textbox_containers(p, split_tabs))
        else:
            top.lines.extend(_split(block, split_tabs))
            containers.extend(_textbox_containers(block, split_tabs))
    if top.lines:
        containers.insert(0, top)
    return containers


def _split(p: Paragraph, split_tabs: bool) -> list[Line]:
    if not split_tabs:
        return list(p.lines)
    return [piece for line in p.lines for piece in pieces(line)]


def _textbox_containers(p: Paragraph, split_tabs: bool) -> list[Container]:
    out = []
    for blocks in p.textboxes:
        inner = containers_of(blocks, split_tabs=split_tabs)
        for c in inner:
            if c.name == "đầu văn bản":
                c.name = f"khung văn bản ({p.where})"
        out.extend(inner)
    return out


# ---------------------------------------------------------------------------------------------------
# the collector

@dataclass
class _Group:
    finding: Finding
    wheres: list[str] = field(default_factory=list)


class Collector:
    """Collects findings; grouped findings keep the first place and list the others in the message."""

    def __init__(self) -> None:
        self.items: list[Finding | _Group] = []
        self.groups: dict[tuple, _Group] = {}

    def add(self, code: str, message: str, where: str = "", text: str = "", severity: str | None = None,
            group: tuple | None = None) -> None:
        sev = severity or RULES[code][0]
        finding = Finding(code, message, where, excerpt(text), sev)
        if group is None:
            self.items.append(finding)
            return
        key = (code, sev) + group
        existing = self.groups.get(key)
        if existing is None:
            existing = _Group(finding, [where])
            self.groups[key] = existing
            self.items.append(existing)
        elif where not in existing.wheres:
            existing.wheres.append(where)

    def findings(self) -> list[Finding]:
        out: list[Finding] = []
        for item in self.items:
            if isinstance(item, Finding):
                out.append(item)
                continue
            finding = item.finding
            if len(item.wheres) > 1:
                shown = ", ".join(item.wheres[:8]) + (", …" if len(item.wheres) > 8 else "")
                finding = Finding(finding.code, f"{finding.message} (gặp ở {len(item.wheres)} chỗ: {shown})",
                                  finding.where, finding.excerpt, finding.severity)
            out.append(finding)
        return out


# ---------------------------------------------------------------------------------------------------
# document type

def type_from_title(text: str) -> str | None:
    folded = fold(text)
    for name, code in _TITLE_FOLDED:
        if folded == name:
            return code
        if folded.startswith(name + " ") and is_upper(text) and len(text) <= 150:
            return code
    return None


def normalize_doc_type(value: str | None) -> str | None:
    """Accept "KH", "kh", "QD", "QĐ", "Kế hoạch", "cong van", "CV"; raise ValueError otherwise."""
    if value is None or not str(value).strip():
        return None
    raw = squash(str(value))
    for code in DOC_TYPES:
        if raw == code:
            return code
    for code in DOC_TYPES:                   # "dA" → DA (Dự án) but "đa" → ĐA (Đề án)
        if raw.casefold() == code.casefold():
            return code
    folded = fold(raw)
    for code, name in DOC_TYPES.items():
        if folded in (fold(code), fold(name)):
            return code
    raise ValueError(raw)


# ---------------------------------------------------------------------------------------------------
# the checker

@dataclass
class Layout:
    title: int | None = None                 # index in blocks
    header_end: int = 0                      # blocks[:header_end] form the header region
    body_start: int = 0
    sig_start: int = 0
    tail_start: int = 0
    title_unit: Paragraph | Line | None = None   # the title paragraph, or its first line when a break follows
    title_more: list[Paragraph] = field(default_factory=list)   # "ĐỀ NGHỊ TẶNG …" under "BÁO CÁO THÀNH TÍCH"
    achievement_report: bool = False         # Báo cáo thành tích (NĐ 152 form): no Nơi nhận
    trich_yeu: list[Line] = field(default_factory=list)


class Checker:
    def __init__(self, doc: Document, doc_type: str | None):
        self.doc = doc
        self.blocks = doc.blocks
        self.out = Collector()
        self.given_type = doc_type
        self.doc_type: str | None = doc_type
        self.layout = Layout()
        self.header_lines: list[Line] = []
        self.header_containers: list[Container] = []
        self.typed_reported: set[int] = set()

    # -- orchestration -----------------------------------------------------------------------------

    def run(self) -> list[Finding]:
        self.find_layout()
        self.check_page()
        self.check_header()
        self.check_title()
        self.check_body()
        self.check_signature()
        self.check_page_numbers()
        self.check_appendix()
        self.check_fonts()
        return self.out.findings()

    # -- layout ------------------------------------------------------------------------------------

    def find_layout(self) -> None:
        blocks = self.blocks
        lay = self.layout
        title_type = None
        for index, block in enumerate(blocks[:80]):
            if isinstance(block, Paragraph) and block.text:
                found = type_from_title(block.text)
                if found:
                    lay.title, title_type, lay.title_unit = index, found, block
                    break
                lines = [ln for ln in block.lines if ln.text]
                found = type_from_title(lines[0].text) if len(lines) > 1 else None
                if found:
                    # "TỜ TRÌNH" + line break + "Về việc …" in one paragraph
                    lay.title, title_type, lay.title_unit = index, found, lines[0]
                    lay.trich_yeu.extend(lines[1:])
                    break
        if lay.title is not None:
            lay.header_end = lay.title
        else:
            lay.header_end = self._header_end_without_title()
        self.header_containers = containers_of(blocks[: lay.header_end], split_tabs=True)
        self.header_lines = [ln for c in self.header_containers for ln in c.lines]
        has_vv = any(fold(ln.text).startswith("v/v") for ln in self.header_lines)

        inferred = title_type or ("CV" if has_vv else None)
        if self.given_type is None:
            self.doc_type = inferred
            if inferred is None:
                self.out.add("ND30-TYPE-UNKNOWN", "Không xác định được loại văn bản: không thấy tên loại "
                             "(KẾ HOẠCH, TỜ TRÌNH, …) hay trích yếu \"V/v\"; hãy chỉ định bằng --loai.", "đầu văn bản")
        elif inferred is not None and inferred != self.given_type:
            self.out.add("ND30-TYPE-MISMATCH", f"Đã chỉ định loại {DOC_TYPES[self.given_type]} "
                         f"({self.given_type}) nhưng văn bản ghi là {DOC_TYPES[inferred]} ({inferred}).",
                         "đầu văn bản")

        # title continuation, trích yếu and body start
        lay.body_start = lay.header_end
        if lay.title is not None:
            k = lay.title + 1
            title_text = lay.title_unit.text if lay.title_unit is not None else ""
            lay.achievement_report = fold(title_text).startswith("bao cao thanh tich")
            long_title = fold(title_text) not in {name for name, _ in _TITLE_FOLDED}
            if title_type == "BC" or long_title:
                while k < len(blocks) and isinstance(blocks[k], Paragraph) and len(lay.title_more) < 3:
                    nxt = blocks[k]
                    assert isinstance(nxt, Paragraph)
                    if not (nxt.text and is_upper(nxt.text) and nxt.props.centered and not lay.trich_yeu):
                        break
                    lay.title_more.append(nxt)
                    k += 1
            paragraphs = 0
            while k < len(blocks) and paragraphs < 4:
                block = blocks[k]
                if not isinstance(block, Paragraph):
                    break
                text = block.text
                if not text:
                    if lay.trich_yeu:
                        break
                    k += 1
                    continue
                if self._ends_trich_yeu(block, first=not lay.trich_yeu, title_type=title_type):
                    break
                lay.trich_yeu.extend(ln for ln in block.lines if ln.text)
                paragraphs += 1
                k += 1
            lay.body_start = k if paragraphs else lay.title + 1 + len(lay.title_more)
        lay.sig_start = self._signature_start(lay.body_start)
        lay.tail_start = self._tail_start(lay.sig_start)

    def _ends_trich_yeu(self, p: Paragraph, *, first: bool, title_type: str | None) -> bool:
        text = p.text
        folded = fold(text)
        if folded.startswith(("kinh gui", "can cu")) or _ROMAN_HEADING.match(text) or is_typed_rule(text):
            return True
        if is_upper(text) and not folded.startswith("v/v"):
            # An uppercase line is a heading or the QĐ/NQ/CT authority line ("CHỦ TỊCH ỦY BAN …"), except
            # right under the title of other documents, where it is a trích yếu typed in capitals.
            return not (first and p.props.centered and title_type not in AUTHORITY_LINE_TYPES)
        if first:
            # The trích yếu is centred or bold; a plain justified paragraph is already the body.
            return not (p.props.centered or all_bold(p) or folded.startswith(("v/v", "ve viec")))
        return not p.props.centered

    def _header_end_without_title(self) -> int:
        blocks = self.blocks
        for index, block in enumerate(blocks[:60]):
            if isinstance(block, Paragraph) and fold(block.text).startswith("kinh gui"):
                return index
        last = -1
        for index, block in enumerate(blocks[:15]):
            lines = [ln for c in containers_of([block], split_tabs=True) for ln in c.lines]
            for ln in lines:
                folded = fold(ln.text)
                if ("cong hoa xa hoi" in folded or folded.startswith(("so:", "so ", "v/v")) or
                        _DATE_ANYWHERE.search(ln.text) or "doc lap" in folded):
                    last = index
        return last + 1

    def _is_signature_line(self, text: str, *, in_table: bool = True) -> bool:
        if not text:
            return False
        folded = fold(text)
        if folded.startswith("noi nhan"):
            # in a paragraph of the body, only the label itself ("Nơi nhận:") opens the block: a line of
            # prose that happens to read "Nơi nhận …" does not end the body
            return in_table or bool(re.match(r"noi nhan\s*:", folded))
        if not is_upper(text) or len(text) > 80:
            return False
        if _VALID_PREFIX.match(text) or any(p.match(text) for p, _ in _BAD_PREFIXES):
            return True
        return folded.startswith(("thu ky", "chu toa", "chu tri"))

    def _signature_start(self, start: int) -> int:
        blocks = self.blocks
        # The body ends with "./.": the signature block comes after the first paragraph that does, so a table
        # or a line of the body that mentions "Nơi nhận" or "THƯ KÝ" cannot be taken for it.
        ends = [i for i in range(start, len(blocks))
                if isinstance(blocks[i], Paragraph) and blocks[i].text.rstrip().endswith("./.")]
        search_from = ends[0] + 1 if ends else start
        for index in range(search_from, len(blocks)):
            block = blocks[index]
            if isinstance(block, Table):
                lines = [pc for p in block.paragraphs() for ln in p.lines for pc in pieces(ln)]
                if any(self._is_signature_line(pc.text) for pc in lines):
                    return index
                if any(_SIGN_HINT.match(pc.text) for pc in lines) and any(is_upper(pc.text) for pc in lines):
                    return index             # "NGƯỜI BÁO CÁO THÀNH TÍCH" / "(Ký, ghi rõ họ tên)"
            elif any(self._is_signature_line(pc.text, in_table=False) for ln in block.lines for pc in pieces(ln)):
                return index
            elif any(_SIGN_HINT.match(ln.text) for ln in block.lines):
                first = index
                while first - 1 >= search_from and isinstance(blocks[first - 1], Paragraph) and \
                        is_upper(blocks[first - 1].text):
                    first -= 1
                return first
        # Fallback: whatever follows the paragraph that ends with "./.".
        for index in range(len(blocks) - 1, start - 1, -1):
            block = blocks[index]
            if isinstance(block, Paragraph) and block.text.endswith("./."):
                return index + 1
        return len(blocks)

    def _tail_start(self, sig_start: int) -> int:
        for index in range(sig_start + 1, len(self.blocks)):
            block = self.blocks[index]
            if isinstance(block, Paragraph):
                if block.page_break or fold(block.text).startswith(("phu luc", "danh sach")):
                    return index
                if block.sect_pr is not None:
                    return index + 1
        return len(self.blocks)

    def body_paragraphs(self) -> list[Paragraph]:
        lay = self.layout
        return [b for b in self.blocks[lay.body_start: lay.sig_start] if isinstance(b, Paragraph)]

    # -- page --------------------------------------------------------------------------------------

    def check_page(self) -> None:
        many = len(self.doc.sections) > 1
        for section in self.doc.sections:
            where = "thiết lập trang" + (f" (mục {section.number})" if many else "")
            w, h = section.width, section.height
            if w is None or h is None:
                self.out.add("ND30-PAGE-SIZE", "Không khai báo khổ giấy; phải đặt khổ A4 (210 × 297 mm).", where)
                continue
            short, long_ = sorted((w, h))
            if abs(short - A4[0]) > PAGE_TOLERANCE or abs(long_ - A4[1]) > PAGE_TOLERANCE:
                name = next((n for (a, b), n in KNOWN_PAPERS.items()
                             if abs(short - a) <= PAGE_TOLERANCE and abs(long_ - b) <= PAGE_TOLERANCE), None)
                size_mm = f"{short / 56.693:.0f} × {long_ / 56.693:.0f} mm"
                label = f"{name}, {size_mm}" if name else size_mm
                self.out.add("ND30-PAGE-SIZE", f"Khổ giấy {label}; phải là A4 (210 × 297 mm).", where)
            landscape = w > h
            if landscape:
                blocks = self.blocks[section.first_block: section.last_block + 1]
                table_chars = sum(len(b.text) for b in blocks if isinstance(b, Table))
                para_chars = sum(len(b.text) for b in blocks if isinstance(b, Paragraph))
                if not table_chars or table_chars < para_chars:
                    self.out.add("ND30-PAGE-ORIENT", "Trang khổ ngang nhưng nội dung không phải bảng rộng; "
                                 "văn bản trình bày theo chiều dài khổ A4.", where)
                continue                      # margins of a rotated page are not those of the decree
            for side, (low, high) in MARGINS.items():
                value = section.margins.get(side)
                if side == "left" and value is not None:
                    value += section.margins.get("gutter", 0)
                names = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
                if value is None:
                    self.out.add("ND30-PAGE-MARGIN", f"Không khai báo lề {names[side]}.", where)
                elif value < low - MARGIN_TOLERANCE or value > high + MARGIN_TOLERANCE:
                    self.out.add("ND30-PAGE-MARGIN",
                                 f"Lề {names[side]} {num(value / 56.693, 1)} mm; phải {low / 56.693:.0f}–"
                                 f"{high / 56.693:.0f} mm.", where)

    # -- header block ------------------------------------------------------------------------------

    def _find_line(self, pred: Callable[[Line], bool]) -> Line | None:
        for line in self.header_lines:
            if pred(line):
                return line
        return None

    def _container_of(self, line: Line) -> Container | None:
        for c in self.header_containers:
            if c.index(line) >= 0:
                return c
        return None

    def check_header(self) -> None:
        dtype = self.doc_type
        qh = self._find_line(lambda ln: fold(ln.text) == fold(QUOC_HIEU))
        if qh is None:
            qh = self._find_line(lambda ln: fold(QUOC_HIEU) in fold(ln.text))
        tn = self._find_line(lambda ln: re.sub(r"[\W_]+", "", fold(ln.text)) == "doclaptudohanhphuc")
        so = self._find_line(self._is_so_line)
        date = self._find_line(lambda ln: bool(_DATE_ANYWHERE.search(ln.text)) or
                               bool(re.search(r"ngày\s*\S*\s*tháng\s*\S*\s*năm", ln.text, re.IGNORECASE)
                                    and not fold(ln.text).startswith("so")))
        vv = self._find_line(lambda ln: fold(ln.text).startswith("v/v"))

        if qh is None:
            self.out.add("ND30-QUOCHIEU-MISSING", "Không thấy Quốc hiệu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\".",
                         "đầu văn bản")
        else:
            if qh.text not in QUOC_HIEU_OK:
                self.out.add("ND30-QUOCHIEU-TEXT", f"Quốc hiệu phải là \"{QUOC_HIEU}\".", qh.where, qh.text)
            problems = []
            bad = out_of(sizes(qh), 12, 13)
            if bad:
                problems.append(f"cỡ chữ {size_text(bad)} (phải 12–13)")
            if not all_bold(qh):
                problems.append("không đậm")
            if any_italic(qh):
                problems.append("in nghiêng")
            if problems:
                self.out.add("ND30-QUOCHIEU-FORMAT", "Quốc hiệu: " + ", ".join(problems) + ".", qh.where, qh.text)

        if tn is None:
            self.out.add("ND30-TIEUNGU-MISSING", f"Không thấy Tiêu ngữ \"{TIEU_NGU}\".", "đầu văn bản")
        else:
            if tn.text != TIEU_NGU:
                detail = ""
                if re.search("[–—‒―]", tn.text):
                    detail = " (dùng gạch ngang dài \"–\"/\"—\" thay cho gạch nối \"-\")"
                elif re.search(r"\S-|-\S", tn.text):
                    detail = " (thiếu khoảng trắng hai bên dấu gạch nối)"
                self.out.add("ND30-TIEUNGU-TEXT", f"Tiêu ngữ phải viết đúng \"{TIEU_NGU}\"{detail}.", tn.where,
                             tn.text)
            problems = []
            bad = out_of(sizes(tn), 13, 14)
            if bad:
                problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
            if not all_bold(tn):
                problems.append("không đậm")
            if any_italic(tn):
                problems.append("in nghiêng")
            if problems:
                self.out.add("ND30-TIEUNGU-FORMAT", "Tiêu ngữ: " + ", ".join(problems) + ".", tn.where, tn.text)
            if qh is not None:
                container = self._container_of(tn)
                if container is not None and container is self._container_of(qh):
                    between = container.lines[container.index(qh) + 1: container.index(tn)]
                    if between and all(not ln.text for ln in between):
                        self.out.add("ND30-TIEUNGU-SPACING", "Có dòng trống giữa Quốc hiệu và Tiêu ngữ.", tn.where,
                                     tn.text)
            self._check_rule(tn, "Tiêu ngữ")

        self._check_agency(so, qh, tn, date, vv)
        self._check_so(so)
        self._check_date(date)
        if vv is not None:
            if dtype is not None and dtype != "CV":
                self.out.add("ND30-TITLE-VV", f"{DOC_TYPES[dtype]} là văn bản có tên loại, không dùng trích yếu "
                             "\"V/v\".", vv.where, vv.text)
            else:
                problems = []
                bad = out_of(sizes(vv), 12, 13)
                if bad:
                    problems.append(f"cỡ chữ {size_text(bad)} (phải 12–13)")
                if any_bold(vv):
                    problems.append("in đậm")
                if any_italic(vv):
                    problems.append("in nghiêng")
                if not vv.paragraph.props.centered:
                    problems.append("không căn giữa")
                if problems:
                    self.out.add("ND30-VV-FORMAT", "Trích yếu công văn: " + ", ".join(problems) + ".", vv.where,
                                 vv.text)
        elif dtype == "CV":
            self.out.add("ND30-VV-FORMAT", "Công văn thiếu trích yếu \"V/v …\" dưới số, ký hiệu.", "đầu văn bản")
        for line in self.header_lines:
            if is_typed_rule(line.text) and id(line.paragraph) not in self.typed_reported:
                self.typed_reported.add(id(line.paragraph))
                self.out.add("ND30-RULE-TYPED", "Dòng kẻ được gõ bằng ký tự; hãy dùng đường viền đoạn văn "
                             "(Borders) hoặc hình vẽ đường thẳng.", line.where, line.text)

    @staticmethod
    def _is_so_line(line: Line) -> bool:
        m = _SO.match(line.text)
        if not m:
            return False
        return bool(m.group("colon")) or bool(re.match(r"^[\d\s._…]*/", m.group("value")))

    def _check_agency(self, so: Line | None, qh: Line | None, tn: Line | None, date: Line | None,
                      vv: Line | None) -> None:
        special = {id(x) for x in (so, qh, tn, date, vv) if x is not None}
        if so is not None:
            container = self._container_of(so)
            assert container is not None
            candidates = container.lines[: container.index(so)]
        else:
            qh_container = self._container_of(qh) if qh is not None else None
            candidates = []
            for c in self.header_containers:
                if c is qh_container and c.in_cell:
                    continue
                limit = c.index(qh) if qh is not None and c is qh_container else len(c.lines)
                candidates.extend(c.lines[:limit])
        candidates = [ln for ln in candidates if ln.text and id(ln) not in special and not is_typed_rule(ln.text)
                      and (so is not None or is_upper(ln.text))]
        if not candidates:
            if self.header_lines or self.blocks:
                self.out.add("ND30-COQUAN-MISSING", "Không thấy tên cơ quan ban hành (in hoa, đậm) phía trên số, "
                             "ký hiệu văn bản.", so.where if so is not None else "đầu văn bản")
            return
        # Group by paragraph; inside one paragraph a non-bold start is the chủ quản, the bold rest the agency.
        groups: list[list[Line]] = []
        for line in candidates:
            if groups and groups[-1][0].paragraph is line.paragraph:
                groups[-1].append(line)
            else:
                groups.append([line])
        split: list[list[Line]] = []
        for g in groups:
            bold_flags = [all_bold(ln) for ln in g]
            if len(g) > 1 and not bold_flags[0] and any(bold_flags):
                cut = bold_flags.index(True)
                split.extend([g[:cut], g[cut:]])
            else:
                split.append(g)
        merged: list[list[Line]] = []
        for g in split:
            if merged and fold(g[0].text).startswith(_CONTINUATION) and all_bold(g[0]) == all_bold(merged[-1][-1]):
                merged[-1].extend(g)
            else:
                merged.append(g)
        agency = merged[-1]
        chu_quan = [ln for g in merged[:-1] for ln in g]
        for line in chu_quan:
            problems = []
            if not is_upper(line.text):
                problems.append("phải in hoa")
            if any_bold(line):
                problems.append("in đậm (tên cơ quan chủ quản không đậm)")
            bad = out_of(sizes(line), 12, 13)
            if bad:
                problems.append(f"cỡ chữ {size_text(bad)} (phải 12–13)")
            if problems:
                self.out.add("ND30-CHUQUAN-FORMAT", "Tên cơ quan chủ quản: " + ", ".join(problems) + ".",
                             line.where, line.text)
        for line in agency:
            problems = []
            if not is_upper(line.text):
                problems.append("phải in hoa")
            if not all_bold(line):
                problems.append("không đậm")
            if any_italic(line):
                problems.append("in nghiêng")
            bad = out_of(sizes(line), 12, 13)
            if bad:
                problems.append(f"cỡ chữ {size_text(bad)} (phải 12–13)")
            if problems:
                self.out.add("ND30-COQUAN-FORMAT", "Tên cơ quan ban hành: " + ", ".join(problems) + ".",
                             line.where, line.text)
        self._check_rule(agency[-1], "tên cơ quan ban hành")

    # -- horizontal rules --------------------------------------------------------------------------

    def _rule_state(self, line: Line, following: list[Paragraph], container_shapes: bool,
                    cell_bottom: bool) -> tuple[str, Paragraph | None]:
        """("ok" | "typed" | "missing", the paragraph holding a typed rule) for the rule under ``line``."""
        para = line.paragraph
        same_para_after = [ln for ln in para.lines[line.number + 1:]]
        last_in_para = all(not ln.text for ln in same_para_after)
        if last_in_para and "bottom" in para.props.borders:
            return "ok", None
        if para.has_shape or all_underlined(line):
            return "ok", None
        for ln in same_para_after:
            if is_typed_rule(ln.text):
                return "typed", para
            if ln.text:
                break
        if last_in_para:
            for nxt in following[:3]:
                if "top" in nxt.props.borders or nxt.has_shape:
                    return "ok", None
                if is_typed_rule(nxt.text):
                    return "typed", nxt
                if nxt.text:
                    break
                if "bottom" in nxt.props.borders:
                    return "ok", None        # an empty paragraph drawn as a line by its bottom border
        if cell_bottom or container_shapes:
            return "ok", None
        return "missing", None

    def _check_rule(self, line: Line, what: str) -> None:
        container = self._container_of(line)
        if container is None:
            return
        paras: list[Paragraph] = []
        for ln in container.lines[container.index(line) + 1:]:
            if ln.paragraph is not line.paragraph and (not paras or paras[-1] is not ln.paragraph):
                paras.append(ln.paragraph)
        shapes_here = any(ln.paragraph.has_shape for ln in container.lines)
        if not container.in_cell:
            shapes_here = shapes_here or any(ln.paragraph.has_shape for c in self.header_containers for ln in c.lines)
            shapes_here = shapes_here or any(isinstance(b, Paragraph) and b.has_shape
                                             for b in self.blocks[: self.layout.header_end])
        cell_bottom = False
        cell = line.paragraph.cell
        if cell is not None and "bottom" in cell.borders:
            rest = [ln for ln in container.lines[container.index(line) + 1:] if ln.text and ln.paragraph.cell is cell]
            cell_bottom = not rest
        state, typed = self._rule_state(line, paras, shapes_here, cell_bottom)
        if typed is not None:
            self.typed_reported.add(id(typed))
        if state == "typed":
            self.out.add("ND30-RULE-TYPED", f"Đường kẻ dưới {what} được gõ bằng ký tự; hãy dùng đường viền đoạn "
                         "văn (Borders) hoặc hình vẽ đường thẳng.", line.where, line.text)
        elif state == "missing":
            self.out.add("ND30-RULE-MISSING", f"Thiếu đường kẻ ngang, nét liền dưới {what}.", line.where, line.text)

    # -- Số, ký hiệu -------------------------------------------------------------------------------

    def _check_so(self, so: Line | None) -> None:
        dtype = self.doc_type
        if so is None:
            if self.layout.achievement_report:
                return                       # the NĐ 152 achievement-report forms carry no number
            self.out.add("ND30-SO-MISSING", "Không thấy số, ký hiệu văn bản (\"Số: 05/…\").", "đầu văn bản")
            return
        where, text = so.where, so.text
        m = _SO.match(text)
        assert m is not None
        raw_value = so.raw
        raw_value = raw_value[raw_value.find(":") + 1:] if ":" in raw_value else m.group("value")
        value = raw_value.replace("\u00a0", " ").rstrip()
        problems = []
        bad = out_of(sizes(so), 13, 13)
        if bad:
            severity = CANH_BAO if bad == {12.0} else LOI
            self.out.add("ND30-SO-FORMAT", f"Số, ký hiệu: cỡ chữ {size_text(bad)} (phải 13).", where, text,
                         severity=severity)
        if any_bold(so) or any_italic(so):
            problems.append("phải chữ đứng, không đậm")
        if not m.group("colon"):
            problems.append("thiếu dấu hai chấm sau \"Số\"")
        if "/" not in value:
            self.out.add("ND30-SO-FORMAT", "Số, ký hiệu phải có dạng \"Số: 05/KH-VKSCB\" (dấu \"/\" giữa số và "
                         "ký hiệu).", where, text)
            return
        number_part, code_part = value.split("/", 1)
        number = number_part.strip()
        if problems:
            self.out.add("ND30-SO-FORMAT", "Số, ký hiệu: " + "; ".join(problems) + ".", where, text)
        draft = _DRAFT_BLANK.match(number_part) is not None
        if not draft:
            if number_part.rstrip(" ") != number_part or re.search(r"\d\s+\d", number):
                self.out.add("ND30-SO-SPACE", "Số văn bản không được có khoảng trắng trước dấu \"/\" hay giữa các "
                             "chữ số.", where, text)
            digits = number.replace(" ", "")
            if not digits.isdigit():
                self.out.add("ND30-SO-FORMAT", f"Số văn bản \"{number}\" không phải số.", where, text)
            elif int(digits) < 10 and len(digits) < 2:
                self.out.add("ND30-SO-PAD", f"Số văn bản {digits} nhỏ hơn 10 phải viết \"0{digits}\".", where, text)
            elif int(digits) >= 10 and digits.startswith("0"):
                self.out.add("ND30-SO-PAD", f"Số văn bản {digits}: chỉ thêm số 0 trước các số 1–9.", where, text)
        code = code_part.strip()
        if code_part != code_part.lstrip() or re.search(r"\s", code):
            self.out.add("ND30-SO-SPACE", f"Ký hiệu \"{code}\" không được có khoảng trắng.", where, text)
        code = re.sub(r"\s+", "", code)
        segments = code.split("/")
        if len(segments) > 1 and re.fullmatch(r"\d{4}", segments[0]):
            if dtype not in LEGAL_WITH_YEAR:
                self.out.add("ND30-SO-FORMAT", "Văn bản hành chính không ghi năm trong số, ký hiệu.", where, text,
                             severity=CANH_BAO)
            segments = segments[1:]
        code = "/".join(segments)
        groups = code.split("-")
        if not code or any(not g for g in groups):
            self.out.add("ND30-SO-FORMAT", f"Ký hiệu \"{code}\" thiếu phần chữ viết tắt (dạng \"KH-VKSCB\").",
                         where, text)
            return
        first = groups[0]
        if dtype == "CV":
            if fold(first) in OLD_CODES:
                self.out.add("ND30-SO-OLDCODE", f"Công văn không có chữ viết tắt tên loại (\"{first}\" là ký hiệu "
                             "cũ); dạng đúng \"Số: 05/VKSCB-VP\".", where, text)
            return
        if fold(first) in OLD_CODES:
            expected = f"; dùng \"{dtype}\"" if dtype else ""
            self.out.add("ND30-SO-OLDCODE", f"Chữ viết tắt \"{first}\" là ký hiệu cũ, không còn dùng{expected}.",
                         where, text)
        elif dtype is not None and first != dtype:
            if len(groups) == 1:
                self.out.add("ND30-SO-TYPE", f"Ký hiệu \"{code}\" thiếu chữ viết tắt tên loại \"{dtype}\" "
                             f"(dạng \"{dtype}-{code}\").", where, text)
            else:
                self.out.add("ND30-SO-TYPE", f"Chữ viết tắt tên loại \"{first}\" không khớp loại văn bản "
                             f"{DOC_TYPES[dtype]} (phải \"{dtype}\").", where, text)

    # -- date --------------------------------------------------------------------------------------

    def _check_date(self, date: Line | None) -> None:
        dtype = self.doc_type
        if date is None:
            if dtype not in ("BB", None):
                self.out.add("ND30-DATE-MISSING", "Không thấy dòng địa danh, ngày tháng năm ban hành "
                             "(\"Cao Bằng, ngày 05 tháng 01 năm 2026\").", "đầu văn bản")
            return
        where, text = date.where, date.text
        if dtype == "BB":
            self.out.add("ND30-DATE-BB", "Biên bản không ghi địa danh, ngày tháng ở phần đầu; thời gian, địa điểm "
                         "ghi trong nội dung biên bản.", where, text)
        problems = []
        if not all_italic(date):
            problems.append("phải in nghiêng")
        bad = out_of(sizes(date), 13, 14)
        if bad:
            problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
        if any_bold(date):
            problems.append("không in đậm")
        m = _DATE.match(text)
        if m is None:
            self.out.add("ND30-DATE-FORMAT", "Dòng ngày tháng phải có dạng \"<Địa danh>, ngày … tháng … năm …\".",
                         where, text)
            return
        if not m.group("place").strip():
            problems.append("thiếu địa danh trước ngày tháng")
        if problems:
            self.out.add("ND30-DATE-FORMAT", "Dòng địa danh, ngày tháng: " + "; ".join(problems) + ".", where, text)
        if m.group("place").strip() and not m.group("comma"):
            self.out.add("ND30-DATE-COMMA", "Thiếu dấu phẩy sau địa danh (\"Cao Bằng, ngày …\").", where, text)
        day, month, year = m.group("d"), m.group("m"), m.group("y")
        values = {}
        for name, raw in (("ngày", day), ("tháng", month), ("năm", year)):
            if _DRAFT_BLANK.match(raw) and name != "năm":
                values[name] = None
                continue
            if not raw.isdigit():
                self.out.add("ND30-DATE-FORMAT", f"Phần {name} \"{raw}\" phải viết bằng chữ số.", where, text)
                return
            values[name] = int(raw)
        d, mo, y = values["ngày"], values["tháng"], values["năm"]
        if d is not None:
            if 1 <= d <= 9 and len(day) != 2:
                self.out.add("ND30-DATE-PAD", f"Ngày {d} phải viết \"0{d}\" (thêm số 0 trước ngày 1–9).", where, text)
            elif d >= 10 and len(day) != 2:
                self.out.add("ND30-DATE-PAD", f"Ngày \"{day}\" thừa số 0.", where, text)
        if mo is not None:
            if mo in (1, 2) and len(month) != 2:
                self.out.add("ND30-DATE-PAD", f"Tháng {mo} phải viết \"0{mo}\" (chỉ tháng 1, 2 có số 0 phía trước).",
                             where, text)
            elif mo >= 3 and month != str(mo):
                self.out.add("ND30-DATE-PAD", f"Tháng \"{month}\" phải viết \"{mo}\" (chỉ tháng 1, 2 có số 0 phía "
                             "trước).", where, text)
        if len(year) != 4:
            self.out.add("ND30-DATE-FORMAT", f"Năm \"{year}\" phải viết đủ bốn chữ số.", where, text)
            return
        if d is not None and mo is not None:
            try:
                _dt.date(y, mo, d)
            except ValueError:
                self.out.add("ND30-DATE-INVALID", f"Không có ngày {d}/{mo}/{y}.", where, text)
        elif mo is not None and not 1 <= mo <= 12:
            self.out.add("ND30-DATE-INVALID", f"Không có tháng {mo}.", where, text)

    # -- title -------------------------------------------------------------------------------------

    def check_title(self) -> None:
        lay = self.layout
        if lay.title is None:
            return
        title = lay.title_unit
        assert title is not None
        problems = []
        if not is_upper(title.text):
            problems.append("phải in hoa")
        if not all_bold(title):
            problems.append("không đậm")
        bad = out_of(sizes(title), 13, 14)
        if bad:
            problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
        if not para_of(title).props.centered:
            problems.append("không căn giữa")
        if problems:
            self.out.add("ND30-TITLE-FORMAT", "Tên loại văn bản: " + ", ".join(problems) + ".", title.where,
                         title.text)
        for more in lay.title_more:
            problems = []
            if not all_bold(more):
                problems.append("không đậm")
            bad = out_of(sizes(more), 13, 14)
            if bad:
                problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
            if problems:
                self.out.add("ND30-TITLE-FORMAT", "Dòng tên văn bản: " + ", ".join(problems) + ".", more.where,
                             more.text)
        if not lay.trich_yeu:
            if self.doc_type not in (None, "CV") and not lay.title_more:
                self.out.add("ND30-TRICHYEU-MISSING", "Không thấy trích yếu nội dung (chữ đậm, căn giữa) dưới tên "
                             "loại văn bản.", title.where, title.text)
            return
        for p in lay.trich_yeu:
            if fold(p.text).startswith("v/v"):
                self.out.add("ND30-TITLE-VV", "Văn bản có tên loại không dùng \"V/v\" trong trích yếu.", p.where,
                             p.text)
            problems = []
            if not all_bold(p):
                problems.append("không đậm")
            if not p.paragraph.props.centered:
                problems.append("không căn giữa")
            bad = out_of(sizes(p), 13, 14)
            if bad:
                problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
            if is_upper(p.text) and len(p.text) > 3:
                problems.append("in hoa toàn bộ (trích yếu viết chữ thường)")
            if problems:
                self.out.add("ND30-TRICHYEU-FORMAT", "Trích yếu: " + ", ".join(problems) + ".", p.where, p.text,
                             group=(id(p.paragraph), tuple(problems)))
        last = lay.trich_yeu[-1]
        container_paras = [b for b in self.blocks[lay.title: lay.body_start + 4] if isinstance(b, Paragraph)]
        following = [b for b in self.blocks[lay.body_start: lay.body_start + 3] if isinstance(b, Paragraph)]
        shapes = any(p.has_shape for p in container_paras)
        state, _ = self._rule_state(last, following, shapes, False)
        if state == "typed":
            self.out.add("ND30-RULE-TYPED", "Đường kẻ dưới trích yếu được gõ bằng ký tự; hãy dùng đường viền đoạn "
                         "văn (Borders) hoặc hình vẽ đường thẳng.", last.where, last.text)
        elif state == "missing":
            self.out.add("ND30-RULE-MISSING", "Thiếu đường kẻ ngang, nét liền dưới trích yếu.", last.where, last.text)

    # -- body --------------------------------------------------------------------------------------

    def check_body(self) -> None:
        paras = self.body_paragraphs()
        body = [p for p in paras if p.text]
        checked: list[Paragraph] = []
        in_kinh_gui = False
        for p in body:
            text = p.text
            folded = fold(text)
            if folded.startswith("kinh gui"):
                in_kinh_gui = True
                self._check_kinh_gui(p)
                continue
            if in_kinh_gui and text.startswith(("-", "+", "•")):
                continue
            in_kinh_gui = False
            if text == "./." or p.props.centered or is_upper(text) or is_typed_rule(text):
                continue
            checked.append(p)
        for k, p in enumerate(checked):
            self._check_body_paragraph(p, checked[k - 1] if k else None,
                                       checked[k + 1] if k + 1 < len(checked) else None)
        self._check_can_cu(body)
        self._check_body_end()
        self._check_number_words()

    def _check_body_end(self) -> None:
        """The last text of the body (a paragraph, or the last cell text when a table ends it) ends "./."."""
        lay = self.layout
        for block in reversed(self.blocks[lay.body_start: lay.sig_start]):
            if isinstance(block, Table):
                cells = [p for p in block.paragraphs() if p.text]
                last = cells[-1] if cells else None
            else:
                last = block if block.text else None
            if last is None:
                continue
            if not last.text.endswith("./."):
                self.out.add("ND30-BODY-END", "Phần nội dung phải kết thúc bằng dấu \"./.\".", last.where, last.text)
            return

    def _check_kinh_gui(self, p: Paragraph) -> None:
        problems = []
        bad = out_of(sizes(p), 13, 14)
        if bad:
            problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
        if any_italic(p):
            problems.append("in nghiêng")
        if problems:
            self.out.add("ND30-KINHGUI-FORMAT", "Dòng \"Kính gửi\": " + ", ".join(problems) + ".", p.where, p.text)

    def _check_body_paragraph(self, p: Paragraph, prev: Paragraph | None, nxt: Paragraph | None) -> None:
        props = p.props
        size_values = sizes(p)
        bad = out_of(size_values, 13, 14)
        if bad:
            self.out.add("ND30-BODY-SIZE", f"Cỡ chữ phần nội dung {size_text(bad)}; phải 13–14 pt.", p.where, p.text,
                         group=(tuple(sorted(bad)),))
        if not props.justified:
            names = {"left": "căn trái", "start": "căn trái", None: "căn trái", "right": "căn phải",
                     "end": "căn phải", "center": "căn giữa"}
            self.out.add("ND30-BODY-ALIGN", f"Đoạn văn {names.get(props.jc, props.jc)}; nội dung phải căn đều hai lề.",
                         p.where, p.text, group=(props.jc,))
        main_size = max((s.props.size for s in _segs(p)), default=28)
        first = props.first_line_twips(main_size)
        if not INDENT_MIN - INDENT_TOLERANCE <= first <= INDENT_MAX + INDENT_TOLERANCE:
            self.out.add("ND30-BODY-INDENT", f"Thụt đầu dòng {num(first / 567, 2)} cm; phải 1–1,27 cm.", p.where, p.text,
                         group=(first,))
        before, after = props.spacing_before(), props.spacing_after()
        if props.contextual:
            if prev is not None and prev.props.style_id == props.style_id:
                before = 0
            if nxt is not None and nxt.props.style_id == props.style_id:
                after = 0
        if max(before, after) < 120 - 2:
            self.out.add("ND30-BODY-SPACING", f"Khoảng cách đoạn {num(max(before, after) / 20)} pt; tối thiểu "
                         "6 pt (trước hoặc sau đoạn).", p.where, p.text,
                         group=(max(before, after),))
        rule, line = props.line_rule or "auto", props.line
        if rule == "exact":
            self.out.add("ND30-BODY-LINE", "Khoảng cách dòng \"Exactly\" (cố định); dùng từ đơn đến 1,5 dòng.",
                         p.where, p.text, group=("exact",))
        elif rule == "auto" and line is not None and not 240 - 2 <= line <= 360 + 2:
            self.out.add("ND30-BODY-LINE", f"Khoảng cách dòng {num(line / 240, 2)} dòng; phải từ 1 đến 1,5 dòng.",
                         p.where, p.text, group=(line,))
        elif rule == "atLeast" and line is not None and line > main_size * 10 * 1.5 * 1.15 + 2:
            self.out.add("ND30-BODY-LINE", f"Khoảng cách dòng \"At least\" {num(line / 20)} pt vượt 1,5 dòng.",
                         p.where, p.text, group=("atLeast", line))

    def _check_can_cu(self, body: list[Paragraph]) -> None:
        runs: list[list[Paragraph]] = []
        for k, p in enumerate(body):
            if p.text.startswith(("Căn cứ", "CĂN CỨ")):
                if runs and k > 0 and body[k - 1] is runs[-1][-1]:
                    runs[-1].append(p)
                else:
                    runs.append([p])
        index = {id(p): k for k, p in enumerate(body)}
        # the căn cứ block opens the body; a later paragraph that happens to start "Căn cứ …" (a sentence of
        # a report, a quotation) is prose, not a legal basis
        runs = [run for run in runs[:1] if index[id(run[0])] <= 2]
        for run in runs:
            for p in run:
                if not all_italic(p):
                    self.out.add("ND30-CANCU-ITALIC", "Dòng căn cứ nên trình bày in nghiêng.", p.where, p.text,
                                 group=())
            for p in run[:-1]:
                if not p.text.endswith(";"):
                    self.out.add("ND30-CANCU-PUNCT", f"Căn cứ kết thúc bằng \"{p.text[-1]}\"; các căn cứ (trừ căn cứ "
                                 "cuối) kết thúc bằng dấu \";\".", p.where, p.text)
            last = run[-1]
            k = index[id(last)]
            nxt = body[k + 1] if k + 1 < len(body) else None
            ending = last.text[-1]
            if ending in ".:":
                continue
            # the list may go on: "Căn cứ …;" / "Thực hiện Kế hoạch …;" or "Xét đề nghị của …"
            if ending in ";," and nxt is not None and fold(nxt.text).startswith((*_XET, "thuc hien ")):
                continue
            self.out.add("ND30-CANCU-PUNCT", f"Căn cứ cuối kết thúc bằng \"{ending}\"; phải kết thúc bằng dấu \".\".",
                         last.where, last.text)

    def _check_number_words(self) -> None:
        try:
            from ..vietnamese import words_to_number  # written in parallel; imported lazily
        except ImportError:
            return
        for p in self.doc.paragraphs:
            text = p.text
            if "(" not in text:
                continue
            for m in _NUM_WORDS.finditer(text):
                digits, words = m.group(1), m.group(2)
                spoken = _MONEY_TAIL.sub("", words.lower()).strip(" ,")
                if not spoken:
                    continue
                try:
                    value = words_to_number(spoken)
                except (ValueError, KeyError, TypeError, ArithmeticError, LookupError):
                    continue
                if value is None:
                    continue
                try:
                    expected = int(digits.replace(".", ""))
                    if float(value) != float(expected):
                        self.out.add("ND30-NUMWORDS", f"\"{m.group(0)}\": chữ \"{words}\" là {num(float(value))}, "
                                     f"không khớp số {digits}.", p.where, m.group(0))
                except (TypeError, ValueError):
                    continue

    # -- Nơi nhận and signature --------------------------------------------------------------------

    def _signature_columns(self) -> list[Container]:
        lay = self.layout
        region = self.blocks[lay.sig_start: lay.tail_start]
        columns: list[Container] = []
        left = Container("phần ký (trái)", [], column=1)
        right = Container("phần ký (phải)", [], column=2)
        for block in region:
            if isinstance(block, Table):
                for col, paras in block.columns().items():
                    lines = [ln for p in paras for ln in p.lines]
                    existing = next((c for c in columns if c.column == col and c.in_cell), None)
                    if existing is None:
                        columns.append(Container(f"{block.where}, cột {col}", lines, in_cell=True, column=col))
                    else:
                        existing.lines.extend(lines)
                continue
            for line in block.lines:
                parts = [pc for pc in pieces(line) if pc.text]
                if not parts:
                    continue
                indented = block.props.left > 3000 or block.props.jc in ("right", "end", "center")
                if starts_with_tab(line) or (indented and not fold(parts[0].text).startswith("noi nhan")):
                    right.lines.extend(parts)
                else:
                    left.lines.append(parts[0])
                    right.lines.extend(parts[1:])
        for c in (left, right):
            if c.lines:
                columns.append(c)
        return sorted(columns, key=lambda c: c.column)

    def check_signature(self) -> None:
        dtype = self.doc_type
        columns = self._signature_columns()
        found_noi_nhan = False
        signers: list[tuple[Container, list[Line]]] = []
        for col in columns:
            lines = [ln for ln in col.lines if ln.text]
            label_idx = next((k for k, ln in enumerate(lines) if fold(ln.text).startswith("noi nhan")), None)
            rest = lines
            if label_idx is not None:
                found_noi_nhan = True
                end = label_idx + 1
                while end < len(lines) and not (is_upper(lines[end].text) and not lines[end].text.startswith("-")
                                                and not _INITIALS.match(lines[end].text)):
                    end += 1
                self._check_noi_nhan(lines[label_idx], lines[label_idx + 1: end])
                rest = lines[:label_idx] + lines[end:]
            signer = [ln for ln in rest if not ln.text.startswith("(") and ln.text != "./."]
            if signer:
                signers.append((col, signer))
        if not found_noi_nhan and dtype != "BB" and not self.layout.achievement_report and self.blocks:
            self.out.add("ND30-NOINHAN-MISSING", "Không thấy phần \"Nơi nhận:\" ở cuối văn bản.", "cuối văn bản",
                         severity=LOI if dtype is not None else CANH_BAO)
        if not signers:
            self.out.add("ND30-SIGN-MISSING", "Không thấy phần chữ ký (quyền hạn, chức vụ, họ tên người ký).",
                         "cuối văn bản")
        for col, lines in signers:
            self._check_signer(lines)
        if dtype == "BB":
            self._check_bb_sides(signers)
        lay = self.layout
        for block in self.blocks[lay.sig_start: lay.tail_start]:
            if isinstance(block, Table):
                self._check_table_border(block, "phần chữ ký")
        for block in self.blocks[: lay.header_end]:
            if isinstance(block, Table):
                self._check_table_border(block, "phần đầu văn bản")

    def _check_table_border(self, table: Table, what: str) -> None:
        boxed = [c for c in table.cells() if len(c.borders & {"top", "bottom", "left", "right"}) >= 3]
        if boxed:
            self.out.add("ND30-TABLE-BORDER", f"Bảng trình bày {what} có đường viền khi in; hãy bỏ đường viền "
                         "(Borders: None), chỉ giữ các đường kẻ ngang bắt buộc.", table.where)

    def _check_noi_nhan(self, label: Line, items: list[Line]) -> None:
        dtype = self.doc_type
        problems = []
        if label.text.rstrip() != "Nơi nhận:":
            problems.append("phải viết \"Nơi nhận:\"")
        bad = out_of(sizes(label), 12, 12)
        if bad:
            problems.append(f"cỡ chữ {size_text(bad)} (phải 12)")
        if not all_bold(label):
            problems.append("không đậm")
        if not all_italic(label):
            problems.append("không nghiêng")
        if problems:
            self.out.add("ND30-NOINHAN-LABEL", "Chữ \"Nơi nhận:\": " + ", ".join(problems) + ".", label.where,
                         label.text)
        # drop the drafter's initials and copy count that may follow the Lưu line ("PL.(30)")
        while items and _INITIALS.match(items[-1].text) and not items[-1].text.startswith("-"):
            items = items[:-1]
        if not items:
            self.out.add("ND30-NOINHAN-LUU", "Phần nơi nhận không có dòng nào; tối thiểu \"- Lưu: VT, …\".",
                         label.where, label.text)
            return
        for k, item in enumerate(items):
            text = item.text
            last = k == len(items) - 1
            sub_item = bool(re.match(r"^\+\s+\S", text))      # "+ Phòng 1;" under "- Các đơn vị:"
            if not re.match(r"^-\s+\S", text) and not sub_item:
                self.out.add("ND30-NOINHAN-DASH", "Mỗi nơi nhận bắt đầu bằng \"- \".", item.where, text)
            bad = out_of(sizes(item), 11, 11)
            item_problems = []
            if bad:
                item_problems.append(f"cỡ chữ {size_text(bad)} (phải 11)")
            if any_italic(item):
                item_problems.append("in nghiêng")
            if item_problems:
                self.out.add("ND30-NOINHAN-FORMAT", "Dòng nơi nhận: " + ", ".join(item_problems) + ".", item.where,
                             text, group=tuple(item_problems))
            opens_list = text.endswith(":") and not last and not items[k + 1].text.startswith("-")
            if not last and not text.endswith(";") and not opens_list:
                self.out.add("ND30-NOINHAN-PUNCT", f"Nơi nhận kết thúc bằng \"{text[-1]}\"; phải kết thúc bằng \";\".",
                             item.where, text)
            if last and not text.endswith("."):
                self.out.add("ND30-NOINHAN-PUNCT", "Dòng nơi nhận cuối cùng phải kết thúc bằng dấu \".\".",
                             item.where, text)
        luu = [k for k, item in enumerate(items) if fold(item.text.lstrip("- ")).startswith("luu")]
        if not luu:
            self.out.add("ND30-NOINHAN-LUU", "Thiếu dòng \"- Lưu: VT, …\" ở cuối phần nơi nhận.", items[-1].where,
                         items[-1].text)
        else:
            if luu[-1] != len(items) - 1:
                self.out.add("ND30-NOINHAN-LUU", "Dòng \"- Lưu: …\" phải là dòng cuối cùng của phần nơi nhận.",
                             items[luu[-1]].where, items[luu[-1]].text)
            luu_text = items[luu[-1]].text
            if "VT" not in luu_text:
                self.out.add("ND30-NOINHAN-LUU", "Dòng lưu phải có \"VT\" (Văn thư): \"- Lưu: VT, …\".",
                             items[luu[-1]].where, luu_text, severity=CANH_BAO)
        first = fold(items[0].text.lstrip("- ").strip())
        if dtype in NHU_TREN_TYPES and not self.layout.achievement_report and not first.startswith("nhu tren"):
            self.out.add("ND30-NOINHAN-FIRST", f"{DOC_TYPES[dtype]}: dòng nơi nhận đầu tiên là \"- Như trên;\".",
                         items[0].where, items[0].text)
        if dtype == "QĐ" and not re.match(r"^nhu dieu \d+", first):
            self.out.add("ND30-NOINHAN-FIRST", "Quyết định: dòng nơi nhận đầu tiên là \"- Như Điều 3;\" (Điều giao "
                         "trách nhiệm thi hành).", items[0].where, items[0].text)

    def _check_signer(self, lines: list[Line]) -> None:
        name: Line | None = lines[-1]
        titles = lines[:-1]
        assert name is not None
        folded_name = " " + fold(name.text) + " "
        if is_upper(name.text) and (any(f" {w}" in folded_name for w in _TITLE_WORDS) or
                                    _VALID_PREFIX.match(name.text) or len(lines) == 1):
            titles, name = lines, None
        for k, line in enumerate(titles):
            text = line.text
            for pattern, why in _BAD_PREFIXES:
                if pattern.match(text):
                    self.out.add("ND30-SIGN-PREFIX", f"Quyền hạn ký \"{text.split()[0]}\" sai: {why}; dùng \"TM.\", "
                                 "\"KT.\", \"TL.\", \"TUQ.\", \"Q.\".", line.where, text)
                    break
            problems = []
            if not is_upper(text):
                problems.append("phải in hoa")
            if not all_bold(line):
                problems.append("không đậm")
            bad = out_of(sizes(line), 13, 14)
            if bad:
                problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
            if problems:
                self.out.add("ND30-SIGN-FORMAT", "Quyền hạn, chức vụ người ký: " + ", ".join(problems) + ".",
                             line.where, text)
        if name is None:
            return
        text = name.text
        if _DEGREES.match(text):
            self.out.add("ND30-SIGN-DEGREE", f"Không ghi học hàm, học vị \"{_DEGREES.match(text).group(0).strip()}\" "
                         "trước họ tên người ký.", name.where, text)
        problems = []
        if is_upper(text):
            problems.append("in hoa toàn bộ (viết chữ thường, hoa chữ đầu)")
        if not all_bold(name):
            problems.append("không đậm")
        bad = out_of(sizes(name), 13, 14)
        if bad:
            problems.append(f"cỡ chữ {size_text(bad)} (phải 13–14)")
        if problems:
            self.out.add("ND30-SIGN-NAME", "Họ tên người ký: " + ", ".join(problems) + ".", name.where, text)

    def _check_bb_sides(self, signers: list[tuple[Container, list[Line]]]) -> None:
        thu_ky = chu_toa = None
        for col, lines in signers:
            for ln in lines:
                folded = fold(ln.text)
                if folded.startswith("thu ky") and thu_ky is None:
                    thu_ky = (col.column, ln)
                # the chair signs as CHỦ TỌA, or for the council: "TM. HỘI ĐỒNG … / CHỦ TỊCH"
                if folded.startswith(("chu toa", "chu tri", "tm. hoi dong", "tm hoi dong")) and chu_toa is None:
                    chu_toa = (col.column, ln)
        if thu_ky is None or chu_toa is None:
            missing = " và ".join(n for n, v in (("THƯ KÝ", thu_ky), ("CHỦ TỌA (CHỦ TRÌ)", chu_toa)) if v is None)
            self.out.add("ND30-BB-SIGN", f"Biên bản thiếu chữ ký {missing}.", "cuối văn bản")
        elif thu_ky[0] > chu_toa[0]:
            self.out.add("ND30-BB-SIGN", "Biên bản: THƯ KÝ ký bên trái, CHỦ TỌA ký bên phải (đang đảo ngược).",
                         thu_ky[1].where, thu_ky[1].text)

    # -- page numbers ------------------------------------------------------------------------------

    def _multi_page(self) -> bool:
        doc = self.doc
        if doc.pages_hint is not None and doc.pages_hint > 1:
            return True
        if len(doc.sections) > 1:
            return True
        if any(p.page_break or p.rendered_break for p in doc.paragraphs):
            return True
        return sum(len(p.text) for p in doc.paragraphs) > 2500

    def check_page_numbers(self) -> None:
        doc = self.doc
        for hf in doc.headers.values():
            if hf.kind == "footer":
                for fld in hf.fields:
                    if fld.name == "PAGE":
                        self.out.add("ND30-PAGENUM-FOOTER", "Số trang đặt ở chân trang; phải đặt ở đầu trang, căn "
                                     "giữa.", fld.paragraph.where, fld.paragraph.text)
                        break
        first = doc.sections[0]
        default = doc.header_for(first, "header", "default")
        first_hdr = doc.header_for(first, "header", "first")
        default_page = [f for f in (default.fields if default else []) if f.name == "PAGE"]
        first_page = [f for f in (first_hdr.fields if first_hdr else []) if f.name == "PAGE"]
        if not default_page:
            if self._multi_page() and not any(f.name == "PAGE" for hf in doc.headers.values() for f in hf.fields
                                              if hf.kind == "footer"):
                self.out.add("ND30-PAGENUM-MISSING", "Văn bản nhiều trang chưa đánh số trang (chèn trường PAGE vào "
                             "đầu trang, căn giữa).", "đầu trang")
        elif not first.title_page:
            self.out.add("ND30-PAGENUM-FIRST", "Số trang hiện cả ở trang thứ nhất; bật \"Different First Page\" "
                         "(trang đầu khác) để trang 1 không có số.", default_page[0].paragraph.where,
                         default_page[0].paragraph.text)
        if first.title_page and first_page:
            self.out.add("ND30-PAGENUM-FIRST", "Đầu trang của trang thứ nhất có số trang; trang 1 không đánh số.",
                         first_page[0].paragraph.where, first_page[0].paragraph.text)
        for hf in doc.headers.values():
            if hf.kind != "header":
                continue
            for fld in hf.fields:
                if fld.name != "PAGE":
                    continue
                para = fld.paragraph
                centred = para.props.centered or (
                    fld.tabs_before == 1 and any(val == "center" for _, val in para.props.tabs))
                if not centred:
                    self.out.add("ND30-PAGENUM-ALIGN", "Số trang phải căn giữa ở đầu trang.", para.where, para.text)
                props = fld.result or ([fld.props] if fld.props else [])
                bad = {p.size_pt for p in props if not 13 <= p.size_pt <= 14}
                if bad or any(p.italic for p in props):
                    detail = f"cỡ chữ {size_text(bad)}" if bad else "in nghiêng"
                    self.out.add("ND30-PAGENUM-FORMAT", f"Số trang: {detail}; phải cỡ 13–14, chữ đứng.", para.where,
                                 para.text)

    # -- appendix ----------------------------------------------------------------------------------

    def check_appendix(self) -> None:
        tail = [b for b in self.blocks[self.layout.tail_start:] if isinstance(b, Paragraph) and b.text]
        for k, p in enumerate(tail):
            if re.fullmatch(r"phu luc(\s+[ivxlc\d]+)?\.?", fold(p.text)):
                problems = []
                if not all_bold(p):
                    problems.append("không đậm")
                if not p.props.centered:
                    problems.append("không căn giữa")
                if problems:
                    self.out.add("ND30-PHULUC-FORMAT", "Chữ \"Phụ lục\": " + ", ".join(problems) + ".", p.where, p.text)
                nxt = tail[k + 1] if k + 1 < len(tail) else None
                if nxt is not None and not nxt.text.startswith("("):
                    problems = []
                    if not is_upper(nxt.text):
                        problems.append("phải in hoa")
                    if not all_bold(nxt):
                        problems.append("không đậm")
                    if problems:
                        self.out.add("ND30-PHULUC-FORMAT", "Tên phụ lục: " + ", ".join(problems) + ".", nxt.where,
                                     nxt.text)
            if fold(p.text).startswith("(kem theo"):
                problems = []
                if not all_italic(p):
                    problems.append("không nghiêng")
                if not p.props.centered:
                    problems.append("không căn giữa")
                if problems:
                    self.out.add("ND30-PHULUC-FORMAT", "Dòng \"(Kèm theo …)\": " + ", ".join(problems) + ".", p.where,
                                 p.text)

    # -- fonts -------------------------------------------------------------------------------------

    def check_fonts(self) -> None:
        paragraphs = list(self.doc.paragraphs)
        for hf in self.doc.headers.values():
            paragraphs.extend(hf.paragraphs)
        for p in paragraphs:
            for seg in p.segments:
                text = seg.text
                if not text.strip():
                    continue
                for font in _fonts_used(seg):
                    if font is None:
                        self.out.add("ND30-FONT-UNSET", "Không xác định được phông chữ (văn bản và kiểu định dạng "
                                     "không khai báo phông); hãy đặt Times New Roman.", p.where, p.text, group=())
                        continue
                    name = font.strip()
                    low = name.lower()
                    if low == "times new roman":
                        continue
                    if low.startswith((".vn", "vni-", "vni ", "vntime", "vnarial")):
                        self.out.add("ND30-FONT-LEGACY", f"Phông \"{name}\" dùng bảng mã cũ (TCVN3/VNI); chuyển sang "
                                     "Unicode, phông Times New Roman.", p.where, p.text, group=(name,))
                    else:
                        self.out.add("ND30-FONT", f"Phông chữ \"{name}\"; phải dùng Times New Roman.", p.where, p.text,
                                     group=(name,))


_CJK = re.compile("[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def _fonts_used(seg: Segment) -> set[str | None]:
    """The effective font names that display this run's characters (ascii / hAnsi / eastAsia / cs slots)."""
    props = seg.props
    text = seg.text
    if props.complex_script:
        return {props.font("cs")}
    used: set[str | None] = set()
    stripped = "".join(text.split())
    if any(c.isascii() for c in stripped):
        used.add(props.font("ascii"))
    if not stripped.isascii():
        non_ascii = [c for c in stripped if not c.isascii()]
        if any(_CJK.match(c) for c in non_ascii):
            used.add(props.font("eastAsia"))
        if props.hint == "eastAsia":
            used.add(props.font("eastAsia"))
        elif any(not _CJK.match(c) for c in non_ascii):
            used.add(props.font("hAnsi"))
    return used


def run_checks(doc: Document, doc_type: str | None) -> tuple[str | None, list[Finding]]:
    checker = Checker(doc, doc_type)
    findings = checker.run()
    return checker.doc_type, findings
