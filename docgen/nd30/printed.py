"""``docgen check --render``: the printed page, as the printer sees it.

Each .docx is converted by LibreOffice to PDF; poppler gives the position of every printed word
(``pdftotext -bbox-layout``) and a grey image of page 1 (``pdftoppm -gray``), and the checks compare them
with what the .docx says:

* ND30-PRINT-AGENCY-WRAP — a line of the agency names (cơ quan chủ quản, cơ quan ban hành) that the printer
  wrapped ("SỞ VĂN HÓA, THỂ THAO VÀ DU / LỊCH"): each line typed must print as one line;
* ND30-PRINT-RULE-AGENCY — the rule under the last agency line: present, 1/3–1/2 of that line, centred
  under it, a visible gap above it;
* ND30-PRINT-RULE-GAP — the rule under the trích yếu touches the text (reads as an underline);
* ND30-PRINT-WORD-BROKEN — a word broken inside a table cell ("ST/T", "Khôn/g đạt");
* ND30-PRINT-SIGN-PAGE — the signature block printed on a later page than the end of the text;
* ND30-PRINT-HEADING-STRANDED — a heading (section title, list group row) printed last on its page.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from lxml import etree

from .report import CANH_BAO, LOI, Finding

DPI = 150
_NS = "{http://www.w3.org/1999/xhtml}"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOP_MARGIN_PT = 50             # above this, the page-number header
_INSTALL = ('"docgen check --render" cần LibreOffice và poppler-utils (pdftotext, pdftoppm); Debian/Ubuntu: '
            '"apt-get install libreoffice-writer-nogui poppler-utils".')


class RenderUnavailable(RuntimeError):
    """LibreOffice or poppler is missing, or a document could not be converted."""


@dataclass
class Line:
    page: int
    x0: float
    y0: float
    x1: float
    y1: float
    words: list[str]
    block: int

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class Printed:
    """What poppler read from the PDF: page sizes and the lines, in reading order."""

    pages: list[tuple[float, float]] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text or ""))


# ------------------------------------------------------------------------------------------------------------
# Reading the PDF
# ------------------------------------------------------------------------------------------------------------

def read_pdf(pdf: Path) -> Printed:
    with tempfile.TemporaryDirectory(prefix="docgen-bbox-") as tmp:
        out = Path(tmp) / "bbox.html"
        subprocess.run(["pdftotext", "-bbox-layout", str(pdf), str(out)], check=True, capture_output=True)
        root = etree.parse(str(out), etree.XMLParser(recover=True, huge_tree=True)).getroot()
    printed = Printed()
    block_no = 0
    for pi, page in enumerate(root.iter(_NS + "page")):
        printed.pages.append((float(page.get("width")), float(page.get("height"))))
        for block in page.iter(_NS + "block"):
            block_no += 1
            for line in block.iter(_NS + "line"):
                words = [w.text or "" for w in line.iter(_NS + "word")]
                if not any(words):
                    continue
                printed.lines.append(Line(pi, float(line.get("xMin")), float(line.get("yMin")),
                                          float(line.get("xMax")), float(line.get("yMax")), words, block_no))
    return printed


def page_image(pdf: Path, page: int = 1) -> tuple[int, int, bytes]:
    """(width, height, grey bytes) of one page at :data:`DPI` (pdftoppm's PGM, parsed here)."""
    with tempfile.TemporaryDirectory(prefix="docgen-img-") as tmp:
        base = Path(tmp) / "p"
        subprocess.run(["pdftoppm", "-gray", "-r", str(DPI), "-f", str(page), "-l", str(page), "-singlefile",
                        str(pdf), str(base)], check=True, capture_output=True)
        data = base.with_suffix(".pgm").read_bytes()
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h]


class _Image:
    def __init__(self, pdf: Path):
        self.w, self.h, self.px = page_image(pdf)
        self.scale = DPI / 72

    def dark(self, x: int, y: int) -> bool:
        return 0 <= x < self.w and 0 <= y < self.h and self.px[y * self.w + x] < 128

    def runs(self, y: int, x0: int, x1: int) -> list[tuple[int, int]]:
        out, start = [], None
        for x in range(max(0, x0), min(self.w, x1)):
            if self.dark(x, y):
                start = x if start is None else start
            elif start is not None:
                out.append((start, x))
                start = None
        if start is not None:
            out.append((start, min(self.w, x1)))
        return out

    def rule_below(self, y_from: float, y_to: float, x0: float, x1: float, min_len: float):
        """(top row, x start, x end) of the first horizontal line ≥ ``min_len`` pt between two heights (pt)."""
        s = self.scale
        for y in range(int(y_from * s), int(y_to * s)):
            for a, b in self.runs(y, int(x0 * s), int(x1 * s)):
                if b - a >= min_len * s:
                    return y, a, b
        return None

    def gap_above(self, y: int, a: int, b: int, limit: int = 12) -> int:
        """White rows between a rule's top row and the ink above it, within the rule's span."""
        for gap in range(1, limit + 1):
            row = y - gap
            if any(self.dark(x, row) for x in range(a, b)):
                # the rule's own thickness: rows of the same long run do not count
                if len(self.runs(row, a, b)) == 1 and self.runs(row, a, b)[0][1] - self.runs(row, a, b)[0][0] \
                        >= (b - a) * 0.9:
                    continue
                return gap - 1
        return limit


# ------------------------------------------------------------------------------------------------------------
# What the .docx says should be printed
# ------------------------------------------------------------------------------------------------------------

def _ptext(p) -> str:
    return " ".join("".join(t.text or "" for t in p.iter(_W + "t")).split())


def _style(p) -> str:
    ps = p.find(f"{_W}pPr/{_W}pStyle")
    return ps.get(_W + "val") if ps is not None else ""


@dataclass
class Expected:
    agency_lines: list[str] = field(default_factory=list)     # chủ quản + cơ quan ban hành, one per paragraph
    title: str = ""                                           # tên loại
    cell_words: set[str] = field(default_factory=set)
    body_end: str = ""                                        # the paragraph ending "./."
    sign_first: str = ""                                      # first line of the block after it
    headings: list[str] = field(default_factory=list)


def _keeps_next(doc, p) -> bool:
    if p.find(f"{_W}pPr/{_W}keepNext") is not None:
        return True
    sid = _style(p)
    style = doc.styles.element.find(f"{_W}style[@{_W}styleId='{sid}']") if sid else None
    return style is not None and style.find(f"{_W}pPr/{_W}keepNext") is not None


def expected_of(docx: Path) -> Expected:
    from docx import Document

    doc = Document(str(docx))
    body = doc.element.body
    exp = Expected()
    tables = body.findall(_W + "tbl")
    if tables:
        first_cell = tables[0].find(f"{_W}tr/{_W}tc")
        for p in first_cell.findall(_W + "p") if first_cell is not None else []:
            text = _ptext(p)
            if text.startswith("Số") or text.startswith("V/v"):
                break
            if text:
                exp.agency_lines.append(text)
    children = list(body)
    after_header = children[children.index(tables[0]) + 1:] if tables else children
    for el in after_header:
        if el.tag == _W + "p" and _ptext(el):
            exp.title = _ptext(el)
            break
    for tbl in tables[1:]:
        borders = tbl.find(f"{_W}tblPr/{_W}tblBorders/{_W}top")
        bordered = borders is not None and borders.get(_W + "val") not in ("nil", "none")
        rows = tbl.findall(_W + "tr")
        for i, tr in enumerate(rows):
            tcs = tr.findall(_W + "tc")
            if bordered:
                for tc in tcs:
                    for p in tc.iter(_W + "p"):
                        exp.cell_words |= {w for w in _ptext(p).split() if len(w) >= 2}
                # a one-cell row heads the rows below it ("V. LAO ĐỘNG TIÊN TIẾN"); the last row ("Chưa có") heads nothing
                if len(tcs) == 1 and i + 1 < len(rows) and tr.find(f"{_W}trPr/{_W}tblHeader") is None:
                    text = _ptext(tcs[0])
                    if text and not text.startswith("Tổng cộng"):
                        exp.headings.append(text)
    for i, el in enumerate(children):
        if el.tag == _W + "p" and _ptext(el).endswith("./."):
            exp.body_end = _ptext(el)
            for nxt in children[i + 1:]:
                if nxt.tag == _W + "tbl":
                    exp.sign_first = next((t for t in (_ptext(p) for p in nxt.iter(_W + "p")) if t), "")
                    break
                if nxt.tag == _W + "p" and _ptext(nxt):
                    break
            break
    for el in children:
        if el.tag == _W + "p" and _ptext(el) and _keeps_next(doc, el) and el.find(f"{_W}pPr/{_W}jc") is None:
            text = _ptext(el)
            if re.match(r"^([IVXLC]+|\d+(\.\d+)*)\.\s", text):
                exp.headings.append(text)
    return exp


# ------------------------------------------------------------------------------------------------------------
# The checks
# ------------------------------------------------------------------------------------------------------------

def _body_lines(printed: Printed) -> list[Line]:
    return [ln for ln in printed.lines if ln.y0 >= _TOP_MARGIN_PT]


def _find_run(lines: list[Line], text: str, start: int = 0) -> tuple[int, int] | None:
    """(first, last+1) indexes of consecutive lines whose text together is ``text``."""
    want = _key(text)
    for i in range(start, len(lines)):
        acc = ""
        for j in range(i, min(len(lines), i + 6)):
            acc += _key(lines[j].text)
            if acc == want:
                return i, j + 1
            if not want.startswith(acc):
                break
    return None


def check_agency(printed: Printed, exp: Expected, image: _Image | None) -> list[Finding]:
    out: list[Finding] = []
    if not printed.pages or not exp.agency_lines:
        return out
    width = printed.pages[0][0]
    left = [ln for ln in printed.lines if ln.page == 0 and (ln.x0 + ln.x1) / 2 < width * 0.45]
    last_line, pos = None, 0
    for text in exp.agency_lines:
        found = _find_run(left, text, pos)
        if found is None:
            continue
        a, b = found
        if b - a > 1:
            printed_as = " / ".join(ln.text for ln in left[a:b])
            out.append(Finding("ND30-PRINT-AGENCY-WRAP", f"Dòng tên cơ quan bị ngắt khi in thành {b - a} dòng; "
                               "hãy xuống dòng giữa các cụm có nghĩa (Alt+Enter trong ô) hoặc thu gọn.",
                               "phần đầu, trang 1", printed_as, LOI))
        last_line, pos = left[b - 1], b
    if last_line is None or image is None:
        return out
    below = next((ln for ln in left[pos:] if ln.y0 > last_line.y1), None)
    y_to = below.y0 if below is not None else last_line.y1 + 30
    rule = image.rule_below(last_line.y1 - 2, y_to, last_line.x0 - 60, last_line.x1 + 60, 8)
    where = "phần đầu, trang 1"
    if rule is None:
        out.append(Finding("ND30-PRINT-RULE-AGENCY", "Không thấy đường kẻ dưới dòng cuối tên cơ quan trên trang in.",
                           where, last_line.text, LOI))
        return out
    y, a, b = rule
    s = image.scale
    length, line_w = (b - a) / s, last_line.x1 - last_line.x0
    centre_off = abs((a + b) / 2 / s - (last_line.x0 + last_line.x1) / 2)
    share = length / line_w if line_w else 0
    if not 0.3 <= share <= 0.55:
        out.append(Finding("ND30-PRINT-RULE-AGENCY", f"Đường kẻ dưới tên cơ quan dài {share:.0%} dòng chữ phía "
                           "trên (cần từ 1/3 đến 1/2).", where, last_line.text, LOI))
    if centre_off > 6:
        out.append(Finding("ND30-PRINT-RULE-AGENCY", f"Đường kẻ dưới tên cơ quan lệch {centre_off / 72 * 25.4:.1f} mm "
                           "so với giữa dòng chữ phía trên.", where, last_line.text, LOI))
    if image.gap_above(y, a, b) < 2:
        out.append(Finding("ND30-PRINT-RULE-AGENCY", "Đường kẻ dưới tên cơ quan chạm chữ phía trên.",
                           where, last_line.text, LOI))
    return out


def check_title_rule(printed: Printed, exp: Expected, image: _Image | None) -> list[Finding]:
    if image is None or not exp.title:
        return []
    lines = [ln for ln in printed.lines if ln.page == 0]
    found = _find_run(lines, exp.title)
    if found is None:
        return []
    title = lines[found[1] - 1]
    rule = image.rule_below(title.y1, title.y1 + 110, 60, printed.pages[0][0] - 40, 40)
    if rule is None:
        return []
    y, a, b = rule
    gap = image.gap_above(y, a, b)
    if gap < 3:
        return [Finding("ND30-PRINT-RULE-GAP", "Đường kẻ dưới trích yếu sát chữ (in ra như gạch chân một phần "
                        "dòng cuối); để khoảng cách như dưới Tiêu ngữ.", "trích yếu, trang 1", "", LOI)]
    return []


def check_broken_words(printed: Printed, exp: Expected) -> list[Finding]:
    """A cell word printed in pieces on consecutive lines of one block ("ST/T", "S/T/T", "Khôn/g")."""
    out, seen = [], set()
    lines = printed.lines
    for i, ln in enumerate(lines):
        if not ln.words or ln.words[-1] in exp.cell_words or not ln.words[-1].strip("-–"):
            continue                          # a whole word, or a dash between words ("Văn hóa - / Điện ảnh")
        pieces = [ln.words[-1]]
        for nxt in lines[i + 1:i + 5]:
            if nxt.block != ln.block or not nxt.words:
                break
            pieces.append(nxt.words[0])
            joined = "".join(p.rstrip("-") for p in pieces[:-1]) + pieces[-1]
            if joined in exp.cell_words:
                if joined not in seen:
                    seen.add(joined)
                    out.append(Finding("ND30-PRINT-WORD-BROKEN", f'Từ "{joined}" bị ngắt giữa chừng trong ô bảng; '
                                       "cột cần rộng hơn.", f"trang {ln.page + 1}", "/".join(pieces), LOI))
                break
            if len(nxt.words) > 1:
                break
    return out


def check_signature_page(printed: Printed, exp: Expected) -> list[Finding]:
    if not exp.body_end or not exp.sign_first:
        return []
    lines = _body_lines(printed)
    end = next((ln for ln in lines if _key(ln.text).endswith("./.")), None)
    if end is None:
        return []
    sign = next((ln for ln in lines if ln.page >= end.page and _key(ln.text).startswith(_key(exp.sign_first))
                 and (ln.page > end.page or ln.y0 > end.y0)), None)
    if sign is not None and sign.page > end.page:
        return [Finding("ND30-PRINT-SIGN-PAGE", f"Phần chữ ký in sang trang {sign.page + 1}, tách khỏi đoạn cuối "
                        f"của nội dung (trang {end.page + 1}); giữ đoạn cuối cùng trang với chữ ký.",
                        f"trang {sign.page + 1}", exp.sign_first, LOI)]
    return []


def check_headings(printed: Printed, exp: Expected) -> list[Finding]:
    out = []
    lines = _body_lines(printed)
    last_page = len(printed.pages) - 1
    for heading in exp.headings:
        pos = 0
        while (found := _find_run(lines, heading, pos)) is not None:
            a, b = found
            pos = b
            end = lines[b - 1]
            rest = [ln for ln in lines if ln.page == end.page and ln.y0 > end.y1 - 1]
            if not rest and end.page < last_page:
                out.append(Finding("ND30-PRINT-HEADING-STRANDED", f"Đề mục in ở cuối trang {end.page + 1}, phần "
                                   "nội dung của nó sang trang sau; giữ đề mục cùng trang với dòng tiếp theo.",
                                   f"trang {end.page + 1}", heading, LOI))
    return out


def check_pdf(pdf: Path, docx: Path) -> list[Finding]:
    """Every printed-layout check of one document already converted to ``pdf``."""
    printed = read_pdf(pdf)
    exp = expected_of(docx)
    image = _Image(pdf) if printed.pages else None
    return (check_agency(printed, exp, image) + check_title_rule(printed, exp, image)
            + check_broken_words(printed, exp) + check_signature_page(printed, exp) + check_headings(printed, exp))


def render_and_check(docx_files: Sequence[Path], pdf_dir: Path | None = None) -> dict[Path, list[Finding]]:
    """Convert every .docx (one LibreOffice run) and check the printed pages; ``pdf_dir`` keeps the PDFs."""
    from ..errors import MissingSystemTool
    from ..pdf import convert_to_pdf

    if shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None:
        raise RenderUnavailable(_INSTALL)
    files = [Path(f) for f in docx_files]
    with tempfile.TemporaryDirectory(prefix="docgen-render-") as tmp:
        outdir = Path(pdf_dir) if pdf_dir is not None else Path(tmp)
        batches: list[list[Path]] = []
        for f in files:                       # equal stems go to separate folders, so each PDF is found
            for batch in batches:
                if all(g.stem != f.stem for g in batch):
                    batch.append(f)
                    break
            else:
                batches.append([f])
        results: dict[Path, list[Finding]] = {}
        for i, batch in enumerate(batches):
            try:
                pdfs = convert_to_pdf(batch, outdir if i == 0 else outdir / f"{i + 1}")
            except MissingSystemTool as exc:
                raise RenderUnavailable(str(exc)) from None
            by_stem = {p.stem: p for p in pdfs}
            for docx in batch:
                results[docx] = check_pdf(by_stem[docx.stem], docx)
        return {f: results[f] for f in files}


__all__ = ["RenderUnavailable", "check_pdf", "render_and_check", "read_pdf", "expected_of", "CANH_BAO"]


def add_printed_findings(results) -> None:
    """``docgen check --render``: add the printed-page findings to each readable result (in place)."""
    readable = [r for r in results if r.readable and Path(r.path).exists()]
    if not readable:
        return
    try:
        found = render_and_check([Path(r.path) for r in readable])
    except (RenderUnavailable, subprocess.CalledProcessError, OSError) as exc:
        for r in readable:
            r.findings.append(Finding("ND30-PRINT-UNAVAILABLE", f"Không kiểm tra được trang in: {exc}",
                                      "tệp", "", LOI))
        return
    for r in readable:
        r.findings.extend(found.get(Path(r.path), []))
