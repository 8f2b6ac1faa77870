"""Find the parts of a document before any rule looks at it: header, title and trích yếu, body, Nơi nhận and
signature, appendix.

:func:`find_layout` returns a :class:`Layout` (frozen) and reports nothing: the rules in :mod:`.rules` read
it.  The layouts people really use in Word are tolerated: a 2-column header table (one or several rows),
plain paragraphs with tabs, text boxes; a title and its trích yếu in one paragraph (Shift+Enter); a
signature block in a table or in indented paragraphs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ..text import fold
from .containers import Container, containers_of
from .document import Document, Line, Paragraph, Table, squash
from .lines import all_bold, is_typed_rule, is_upper, pieces, starts_with_tab
from .report import DOC_TYPES

TITLE_NAMES: dict[str, str] = {
    "NGHỊ QUYẾT": "NQ", "QUYẾT ĐỊNH": "QĐ", "CHỈ THỊ": "CT", "QUY CHẾ": "QC", "QUY ĐỊNH": "QyĐ",
    "THÔNG CÁO": "TC", "THÔNG BÁO": "TB", "HƯỚNG DẪN": "HD", "CHƯƠNG TRÌNH": "CTr", "KẾ HOẠCH": "KH",
    "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "DỰ ÁN": "DA", "BÁO CÁO": "BC", "BIÊN BẢN": "BB", "TỜ TRÌNH": "TTr",
    "HỢP ĐỒNG": "HĐ", "CÔNG ĐIỆN": "CĐ", "BẢN GHI NHỚ": "BGN", "BẢN THỎA THUẬN": "BTT",
    "GIẤY ỦY QUYỀN": "GUQ", "GIẤY MỜI": "GM", "GIẤY GIỚI THIỆU": "GGT", "GIẤY NGHỈ PHÉP": "GNP",
    "PHIẾU GỬI": "PG", "PHIẾU CHUYỂN": "PC", "PHIẾU BÁO": "PB",
}
TITLE_FOLDED = sorted(((fold(k), v) for k, v in TITLE_NAMES.items()), key=lambda kv: -len(kv[0]))
AUTHORITY_LINE_TYPES = {"QĐ", "NQ", "CT"}   # an uppercase issuing-authority line follows the trích yếu
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

SO = re.compile(r"^S[ốỐô]\s*(?P<colon>:?)\s*(?P<value>.*)$")
DATE_ANYWHERE = re.compile(r"ngày\s*\S*\s*tháng\s*\S*\s*năm\s*\d{4}", re.IGNORECASE)
_DATE_NO_YEAR = re.compile(r"ngày\s*\S*\s*tháng\s*\S*\s*năm", re.IGNORECASE)
_ROMAN_HEADING = re.compile(r"^[IVXLC]+\s*[.)]\s")
VALID_PREFIX = re.compile(r"^(TM|KT|TL|TUQ|Q)\.\s+\S")
BAD_PREFIXES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"^(K/T|T/M|T/L|TU/Q)\b", re.IGNORECASE), "dùng dấu \"/\""),
    (re.compile(r"^(KT|TM|TL|TUQ)\s*/"), "dùng dấu \"/\""),
    (re.compile(r"^P\.\s*\S"), "\"P.\" không phải quyền hạn ký (dùng \"KT.\")"),
    (re.compile(r"^(PGĐ|PGD|P\.GĐ|PCT|PVT)\b"), "viết tắt chức vụ (dùng \"KT.\" và ghi đầy đủ chức vụ)"),
    (re.compile(r"^(KT|TM|TL|TUQ)\s+[A-ZĐÀ-Ỹ]"), "thiếu dấu chấm sau quyền hạn"),
    (re.compile(r"^(TM|KT|TL|TUQ|Q)\.(?=[^\s.])"), "thiếu khoảng trắng sau dấu chấm"),
    (re.compile(r"^(Tm|Kt|Tl|Tuq|tm|kt|tl|tuq)\.\s"), "quyền hạn phải in hoa"),
]
_CONTINUATION = ("tinh ", "thanh pho ", "huyen ", "quan ", "thi xa ", "xa ", "phuong ", "thi tran ", "khu vuc",
                 "tp. ", "tp ", "cap tinh", "cap huyen", "toi cao", "cap cao")
INITIALS = re.compile(r"^[A-ZĐ][A-Za-zĐđ.]{0,10}\s*\(\s*\d+\s*[a-zA-Z]?\s*\)\s*\.?$")
_SIGN_HINT = re.compile(r"^\(\s*(ký|đã ký|chữ ký)\b", re.IGNORECASE)


# ---------------------------------------------------------------------------------------------------
# document type

def type_from_title(text: str) -> str | None:
    folded = fold(text)
    for name, code in TITLE_FOLDED:
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
# the typed layout

@dataclass(frozen=True)
class Header:
    """The header region (everything above the title): its containers and the lines found in it."""

    containers: tuple[Container, ...]
    lines: tuple[Line, ...]
    quoc_hieu: Line | None
    tieu_ngu: Line | None
    so: Line | None
    date: Line | None
    vv: Line | None
    chu_quan: tuple[Line, ...]               # the lines of the cơ quan chủ quản, above the agency
    agency: tuple[Line, ...]                 # the lines of the issuing agency (empty: none found)

    def container_of(self, line: Line) -> Container | None:
        for c in self.containers:
            if c.index(line) >= 0:
                return c
        return None


@dataclass(frozen=True)
class NoiNhan:
    label: Line                              # the "Nơi nhận:" line
    items: tuple[Line, ...]                  # the lines under it, up to the next uppercase line


@dataclass(frozen=True)
class Signer:
    column: Container
    lines: tuple[Line, ...]                  # quyền hạn, chức vụ … and the name last


@dataclass(frozen=True)
class Signature:
    """The signature region: its columns (left, right), the Nơi nhận blocks and the signers found there."""

    columns: tuple[Container, ...]
    noi_nhan: tuple[NoiNhan, ...]
    signers: tuple[Signer, ...]


@dataclass(frozen=True)
class Layout:
    """Where each part of the document is: indices into ``Document.blocks`` and the lines found there."""

    header: Header
    signature: Signature
    header_end: int                          # blocks[:header_end] form the header region
    body_start: int
    sig_start: int
    tail_start: int                          # blocks[tail_start:] are the appendix (Phụ lục, danh sách)
    title: int | None = None                 # index in blocks
    title_type: str | None = None            # the type code its title names
    title_unit: Paragraph | Line | None = None   # the title paragraph, or its first line when a break follows
    title_more: tuple[Paragraph, ...] = ()   # "ĐỀ NGHỊ TẶNG …" under "BÁO CÁO THÀNH TÍCH"
    trich_yeu: tuple[Line, ...] = ()
    achievement_report: bool = False         # Báo cáo thành tích (NĐ 152 form): no Nơi nhận

    @property
    def inferred_type(self) -> str | None:
        """The type the document shows: its title, else "CV" when a "V/v" line is in the header."""
        return self.title_type or ("CV" if self.header.vv is not None else None)


def find_layout(doc: Document) -> Layout:
    blocks = doc.blocks
    title, title_type, title_unit, trich_yeu = _find_title(blocks)
    header_end = title if title is not None else _header_end_without_title(blocks)
    header = find_header(blocks[:header_end])
    body_start = header_end
    title_more: list[Paragraph] = []
    achievement = False
    if title is not None:
        assert title_unit is not None
        title_text = title_unit.text
        achievement = fold(title_text).startswith("bao cao thanh tich")
        long_title = fold(title_text) not in {name for name, _ in TITLE_FOLDED}
        k = title + 1
        if title_type == "BC" or long_title:
            k = _title_more(blocks, k, title_more, trich_yeu)
        k, paragraphs = _trich_yeu(blocks, k, trich_yeu, title_type)
        body_start = k if paragraphs else title + 1 + len(title_more)
    sig_start = _signature_start(blocks, body_start)
    tail_start = _tail_start(blocks, sig_start)
    return Layout(header=header, signature=find_signature(blocks[sig_start:tail_start]), header_end=header_end,
                  body_start=body_start, sig_start=sig_start, tail_start=tail_start, title=title,
                  title_type=title_type, title_unit=title_unit, title_more=tuple(title_more),
                  trich_yeu=tuple(trich_yeu), achievement_report=achievement)


# ---------------------------------------------------------------------------------------------------
# title and trích yếu

def _find_title(blocks: list[Paragraph | Table]) -> tuple[int | None, str | None, Paragraph | Line | None, list[Line]]:
    """(index, type code, title unit, trích yếu lines in the same paragraph) of the first title paragraph."""
    for index, block in enumerate(blocks[:80]):
        if isinstance(block, Paragraph) and block.text:
            found = type_from_title(block.text)
            if found:
                return index, found, block, []
            lines = [ln for ln in block.lines if ln.text]
            found = type_from_title(lines[0].text) if len(lines) > 1 else None
            if found:
                # "TỜ TRÌNH" + line break + "Về việc …" in one paragraph
                return index, found, lines[0], lines[1:]
    return None, None, None, []


def _title_more(blocks: list[Paragraph | Table], k: int, title_more: list[Paragraph], trich_yeu: list[Line]) -> int:
    """Collect the centred uppercase lines that continue a long title; return the index after them."""
    while k < len(blocks) and isinstance(blocks[k], Paragraph) and len(title_more) < 3:
        nxt = blocks[k]
        assert isinstance(nxt, Paragraph)
        if not (nxt.text and is_upper(nxt.text) and nxt.props.centered and not trich_yeu):
            break
        title_more.append(nxt)
        k += 1
    return k


def _trich_yeu(blocks: list[Paragraph | Table], k: int, trich_yeu: list[Line],
               title_type: str | None) -> tuple[int, int]:
    """Collect up to four trích yếu paragraphs from ``k``; return (index after them, paragraphs taken)."""
    paragraphs = 0
    while k < len(blocks) and paragraphs < 4:
        block = blocks[k]
        if not isinstance(block, Paragraph):
            break
        if not block.text:
            if trich_yeu:
                break
            k += 1
            continue
        if _ends_trich_yeu(block, first=not trich_yeu, title_type=title_type):
            break
        trich_yeu.extend(ln for ln in block.lines if ln.text)
        paragraphs += 1
        k += 1
    return k, paragraphs


def _ends_trich_yeu(p: Paragraph, *, first: bool, title_type: str | None) -> bool:
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


def _header_end_without_title(blocks: list[Paragraph | Table]) -> int:
    for index, block in enumerate(blocks[:60]):
        if isinstance(block, Paragraph) and fold(block.text).startswith("kinh gui"):
            return index
    last = -1
    for index, block in enumerate(blocks[:15]):
        lines = [ln for c in containers_of([block], split_tabs=True) for ln in c.lines]
        for ln in lines:
            folded = fold(ln.text)
            if ("cong hoa xa hoi" in folded or folded.startswith(("so:", "so ", "v/v")) or
                    DATE_ANYWHERE.search(ln.text) or "doc lap" in folded):
                last = index
    return last + 1


# ---------------------------------------------------------------------------------------------------
# header

def is_so_line(line: Line) -> bool:
    m = SO.match(line.text)
    if not m:
        return False
    return bool(m.group("colon")) or bool(re.match(r"^[\d\s._…]*/", m.group("value")))


def _is_date_line(line: Line) -> bool:
    return bool(DATE_ANYWHERE.search(line.text)) or (bool(_DATE_NO_YEAR.search(line.text))
                                                     and not fold(line.text).startswith("so"))


def _is_tieu_ngu(line: Line) -> bool:
    return re.sub(r"[\W_]+", "", fold(line.text)) == "doclaptudohanhphuc"


def find_header(blocks: list[Paragraph | Table]) -> Header:
    containers = containers_of(blocks, split_tabs=True)
    lines = [ln for c in containers for ln in c.lines]

    def first(pred: Callable[[Line], bool]) -> Line | None:
        return next((line for line in lines if pred(line)), None)

    qh = first(lambda ln: fold(ln.text) == fold(QUOC_HIEU))
    if qh is None:
        qh = first(lambda ln: fold(QUOC_HIEU) in fold(ln.text))
    tn = first(_is_tieu_ngu)
    so = first(is_so_line)
    date = first(_is_date_line)
    vv = first(lambda ln: fold(ln.text).startswith("v/v"))
    partial = Header(tuple(containers), tuple(lines), qh, tn, so, date, vv, (), ())
    chu_quan, agency = _agency_lines(partial)
    return Header(tuple(containers), tuple(lines), qh, tn, so, date, vv, chu_quan, agency)


def _agency_candidates(header: Header) -> list[Line]:
    """The lines that may name the agency: above "Số" in its column, or the uppercase lines of the header."""
    so, qh = header.so, header.quoc_hieu
    special = {id(x) for x in (so, qh, header.tieu_ngu, header.date, header.vv) if x is not None}
    if so is not None:
        container = header.container_of(so)
        assert container is not None
        candidates = container.lines[: container.index(so)]
    else:
        qh_container = header.container_of(qh) if qh is not None else None
        candidates = []
        for c in header.containers:
            if c is qh_container and c.in_cell:
                continue
            limit = c.index(qh) if qh is not None and c is qh_container else len(c.lines)
            candidates.extend(c.lines[:limit])
    return [ln for ln in candidates if ln.text and id(ln) not in special and not is_typed_rule(ln.text)
            and (so is not None or is_upper(ln.text))]


def _agency_lines(header: Header) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """(cơ quan chủ quản lines, issuing agency lines).

    Lines are grouped by paragraph; inside one paragraph a non-bold start is the chủ quản and the bold rest
    the agency; a group that continues a name ("TỈNH CAO BẰNG") joins the one above.  The last group is
    the issuing agency.
    """
    candidates = _agency_candidates(header)
    if not candidates:
        return (), ()
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
    return tuple(ln for g in merged[:-1] for ln in g), tuple(merged[-1])


# ---------------------------------------------------------------------------------------------------
# signature and Nơi nhận

def is_signature_line(text: str, *, in_table: bool = True) -> bool:
    if not text:
        return False
    folded = fold(text)
    if folded.startswith("noi nhan"):
        # in a paragraph of the body, only the label itself ("Nơi nhận:") opens the block: a line of
        # prose that happens to read "Nơi nhận …" does not end the body
        return in_table or bool(re.match(r"noi nhan\s*:", folded))
    if not is_upper(text) or len(text) > 80:
        return False
    if VALID_PREFIX.match(text) or any(p.match(text) for p, _ in BAD_PREFIXES):
        return True
    return folded.startswith(("thu ky", "chu toa", "chu tri"))


def _opens_signature(blocks: list[Paragraph | Table], index: int, search_from: int) -> int | None:
    """The index where the signature block starts if it starts at ``blocks[index]`` (or just above it)."""
    block = blocks[index]
    if isinstance(block, Table):
        lines = [pc for p in block.paragraphs() for ln in p.lines for pc in pieces(ln)]
        if any(is_signature_line(pc.text) for pc in lines):
            return index
        if any(_SIGN_HINT.match(pc.text) for pc in lines) and any(is_upper(pc.text) for pc in lines):
            return index                     # "NGƯỜI BÁO CÁO THÀNH TÍCH" / "(Ký, ghi rõ họ tên)"
    elif any(is_signature_line(pc.text, in_table=False) for ln in block.lines for pc in pieces(ln)):
        return index
    elif any(_SIGN_HINT.match(ln.text) for ln in block.lines):
        first = index
        while first - 1 >= search_from and isinstance(blocks[first - 1], Paragraph) and \
                is_upper(blocks[first - 1].text):
            first -= 1
        return first
    return None


def _signature_start(blocks: list[Paragraph | Table], start: int) -> int:
    # The body ends with "./.": the signature block comes after the first paragraph that does, so a table
    # or a line of the body that mentions "Nơi nhận" or "THƯ KÝ" cannot be taken for it.
    ends = [i for i in range(start, len(blocks))
            if isinstance(blocks[i], Paragraph) and blocks[i].text.rstrip().endswith("./.")]
    search_from = ends[0] + 1 if ends else start
    for index in range(search_from, len(blocks)):
        found = _opens_signature(blocks, index, search_from)
        if found is not None:
            return found
    # Fallback: whatever follows the paragraph that ends with "./.".
    for index in range(len(blocks) - 1, start - 1, -1):
        block = blocks[index]
        if isinstance(block, Paragraph) and block.text.endswith("./."):
            return index + 1
    return len(blocks)


def _tail_start(blocks: list[Paragraph | Table], sig_start: int) -> int:
    for index in range(sig_start + 1, len(blocks)):
        block = blocks[index]
        if isinstance(block, Paragraph):
            if block.page_break or fold(block.text).startswith(("phu luc", "danh sach")):
                return index
            if block.sect_pr is not None:
                return index + 1
    return len(blocks)


def _signature_columns(region: list[Paragraph | Table]) -> list[Container]:
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


def find_signature(region: list[Paragraph | Table]) -> Signature:
    """Split the signature region into columns; in each, the Nơi nhận block and the signer's lines."""
    columns = _signature_columns(region)
    noi_nhan: list[NoiNhan] = []
    signers: list[Signer] = []
    for col in columns:
        lines = [ln for ln in col.lines if ln.text]
        label_idx = next((k for k, ln in enumerate(lines) if fold(ln.text).startswith("noi nhan")), None)
        rest = lines
        if label_idx is not None:
            end = label_idx + 1
            while end < len(lines) and not (is_upper(lines[end].text) and not lines[end].text.startswith("-")
                                            and not INITIALS.match(lines[end].text)):
                end += 1
            noi_nhan.append(NoiNhan(lines[label_idx], tuple(lines[label_idx + 1: end])))
            rest = lines[:label_idx] + lines[end:]
        signer = [ln for ln in rest if not ln.text.startswith("(") and ln.text != "./."]
        if signer:
            signers.append(Signer(col, tuple(signer)))
    return Signature(tuple(columns), tuple(noi_nhan), tuple(signers))
