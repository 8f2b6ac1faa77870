"""The template lint's view of a .docx: its paragraphs as a clerk sees them, located, and the checks that
need Word's structure (runs, rows, fields, relationships).  Used by :mod:`docgen.lint`."""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .nd30.package import DocxUnreadable, open_package

ERROR, WARNING = "loi", "canh_bao"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


@dataclass(frozen=True)
class Finding:
    template: str                 # file name of the template
    severity: str                 # ERROR ("loi") blocks a build, WARNING ("canh_bao") does not
    where: str                    # "đoạn 12", "bảng 2, hàng 3, ô 1", "đầu trang", "thuộc tính tệp (Tiêu đề)"…
    message: str                  # what is wrong and how to fix it
    excerpt: str = ""             # the text of the paragraph, shortened
    code: str = ""                # stable short code: "cu-phap", "bien", "the-tach", "nd30"…

    @property
    def label(self) -> str:
        return "Lỗi" if self.severity == ERROR else "Cảnh báo"

    def format(self, with_template: bool = True) -> str:
        head = f"{self.template}, {self.where}" if with_template and self.template else self.where
        text = f"[{self.label}] {head}: {self.message}"
        if self.excerpt:
            text += f' — đoạn văn: "{self.excerpt}"'
        return text

    def to_dict(self) -> dict:
        return {"mau": self.template, "muc_do": self.severity, "vi_tri": self.where, "noi_dung": self.message,
                "trich_doan": self.excerpt, "ma": self.code}


# --------------------------------------------------------------------------------------------------------
# Paragraphs
# --------------------------------------------------------------------------------------------------------

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}")
_BLOCK = re.compile(r"\{%-?(p|tr|tc|r)?\s+-?\s*([a-z_]+)")
_PREFIXED = re.compile(r"(\{[{%#])-?(p|tr|tc|r) ")
_STRING = re.compile(r"'[^']*'|\"[^\"]*\"")
_TYPOGRAPHIC = {"‘": "dấu nháy cong ‘", "’": "dấu nháy cong ’", "“": "dấu nháy kép cong “",
                "”": "dấu nháy kép cong ”", "\u00a0": "dấu cách không ngắt", "–": "gạch nối dài –",
                "—": "gạch ngang dài —", "\u200b": "ký tự ẩn (zero-width space)"}
_VISIBLE = ("rStyle", "rFonts", "b", "i", "caps", "smallCaps", "strike", "dstrike", "vanish", "color", "sz",
            "highlight", "u", "vertAlign", "shd")
_TOGGLES = {"b", "i", "caps", "smallCaps", "strike", "dstrike", "vanish"}
_FORMAT_WORDS = {"b": "đậm", "i": "nghiêng", "u": "gạch chân", "sz": "cỡ chữ", "rFonts": "phông chữ",
                 "color": "màu chữ", "highlight": "tô sáng", "strike": "gạch ngang", "caps": "chữ hoa",
                 "vertAlign": "chỉ số trên/dưới", "rStyle": "kiểu ký tự", "vanish": "chữ ẩn"}


def _run_format(r: etree._Element) -> tuple:
    rpr = r.find(W + "rPr")
    if rpr is None:
        return ()
    out = []
    for name in _VISIBLE:
        el = rpr.find(W + name)
        if el is None:
            continue
        attrs = tuple(sorted((k.split("}")[-1], v) for k, v in el.attrib.items()
                             if k.split("}")[-1] in ("val", "ascii", "hAnsi", "fill")))
        if name in _TOGGLES:
            val = dict(attrs).get("val", "1")
            if val in ("0", "false", "off"):
                continue
            attrs = ()
        out.append((name, attrs))
    return tuple(out)


@dataclass
class Paragraph:
    where: str
    text: str
    runs: list[tuple[int, int, tuple]] = field(default_factory=list)   # (start, end, visible formatting)
    in_row: bool = False
    row_text: str = ""                 # the text of the whole table row (for {%tr %})
    in_cell: bool = False

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 120 else text[:119] + "…"

    def tags(self) -> list[re.Match]:
        return list(_TAG.finditer(self.text))

    def block_tags(self) -> list[tuple[str, str]]:
        return [(m.group(1) or "", m.group(2)) for m in _BLOCK.finditer(self.text)]


def _paragraph(p: etree._Element, where: str, **extra) -> Paragraph:
    text, runs = "", []
    for r in p.iter(W + "r"):
        if _owner(r) is not p:
            continue
        piece = ""
        for el in r:
            if el.tag == W + "t":
                piece += el.text or ""
            elif el.tag in (W + "tab", W + "br", W + "cr"):
                piece += " "
        if piece:
            runs.append((len(text), len(text) + len(piece), _run_format(r)))
            text += piece
    return Paragraph(where, text.replace("\n", " "), runs, **extra)


def _owner(el: etree._Element) -> etree._Element | None:
    parent = el.getparent()
    while parent is not None and parent.tag != W + "p":
        parent = parent.getparent()
    return parent


def _body_paragraphs(body: etree._Element, label: str) -> list[Paragraph]:
    out: list[Paragraph] = []
    n_para = n_table = 0
    for el in body:
        if el.tag == W + "p":
            n_para += 1
            out.append(_paragraph(el, f"{label}đoạn {n_para}" if label else f"đoạn {n_para}"))
        elif el.tag == W + "tbl":
            n_table += 1
            out += _table_paragraphs(el, f"{label}bảng {n_table}")
        elif el.tag == W + "sdt":
            content = el.find(W + "sdtContent")
            if content is not None:
                out += _body_paragraphs(content, label)
    return out


def _table_paragraphs(tbl: etree._Element, label: str) -> list[Paragraph]:
    out = []
    for ri, tr in enumerate(tbl.findall(W + "tr"), start=1):
        row_text = "".join(t.text or "" for t in tr.iter(W + "t"))
        for ci, tc in enumerate(tr.findall(W + "tc"), start=1):
            for p in tc.iter(W + "p"):
                out.append(_paragraph(p, f"{label}, hàng {ri}, ô {ci}", in_row=True, row_text=row_text,
                                      in_cell=True))
    return out


# --------------------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------------------

_CORE_FIELDS = {"title": "Tiêu đề", "subject": "Chủ đề", "creator": "Tác giả", "keywords": "Từ khóa",
                "description": "Ghi chú", "category": "Thể loại", "lastModifiedBy": "Người sửa cuối"}


@dataclass
class TemplateText:
    path: Path
    lines: list[Paragraph]

    def finding(self, para: Paragraph | None, severity: str, message: str, code: str = "") -> Finding:
        if para is None:
            return Finding(self.path.name, severity, "cả mẫu", message, "", code)
        return Finding(self.path.name, severity, para.where, message, para.excerpt, code)

    def line(self, lineno: int | None) -> Paragraph | None:
        if not lineno or lineno > len(self.lines):
            return self.lines[-1] if lineno and self.lines else None
        return self.lines[lineno - 1]

    def jinja_source(self) -> str:
        """One line per paragraph, docxtpl's {%p %}/{%tr %} prefixes removed: Jinja line n is paragraph n."""
        return "\n".join(_PREFIXED.sub(r"\1 ", p.text) for p in self.lines)

    def paragraph_findings(self) -> list[Finding]:
        out: list[Finding] = []
        for para in self.lines:
            out += _check_paragraph(self, para)
        return out


def read_template(path: Path) -> tuple[TemplateText | None, list[Finding]]:
    name = path.name
    try:
        package = open_package(path)
    except DocxUnreadable as exc:
        return None, [Finding(name, ERROR, "tệp", str(exc), "", "tep")]
    findings = _unsafe(name, package._zip)
    lines = _body_paragraphs(package.document.root.find(W + "body"), "")
    lines += _header_footer_paragraphs(package)
    lines += _core_properties(package._zip)
    return TemplateText(path, lines), findings


def _header_footer_paragraphs(package) -> list[Paragraph]:
    out: list[Paragraph] = []
    labels = {"headerReference": "đầu trang", "footerReference": "chân trang"}
    kinds = {"first": " trang đầu", "even": " trang chẵn", "default": ""}
    seen = set()
    for sect in package.document.root.iter(W + "sectPr"):
        for ref in sect:
            tag = ref.tag.replace(W, "")
            if tag not in labels:
                continue
            rid = ref.get(f"{{{R_NS}}}id")
            part = package.related_part(package.document, rid) if rid else None
            if part is None or part.name in seen:
                continue
            seen.add(part.name)
            label = f"{labels[tag]}{kinds.get(ref.get(W + 'type') or 'default', '')} ({part.name.split('/')[-1]}), "
            out += _body_paragraphs(part.root, label)
    return out


def _core_properties(zf: zipfile.ZipFile) -> list[Paragraph]:
    try:
        data = zf.read("docProps/core.xml")
        root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except (KeyError, etree.XMLSyntaxError):
        return []
    out = []
    for el in root:
        local = el.tag.split("}")[-1]
        if local in _CORE_FIELDS and el.text and "{" in el.text:
            out.append(Paragraph(f"thuộc tính tệp ({_CORE_FIELDS[local]})", el.text.replace("\n", " ")))
    return out


# --------------------------------------------------------------------------------------------------------
# Per-paragraph checks
# --------------------------------------------------------------------------------------------------------

def _check_paragraph(t: TemplateText, para: Paragraph) -> list[Finding]:
    out: list[Finding] = []
    text = para.text
    if _unclosed(text):
        out.append(t.finding(para, ERROR, (
            "thẻ bắt đầu ở đoạn này không kết thúc trong cùng đoạn (thiếu }} hoặc %}, hoặc đã nhấn Enter giữa "
            "thẻ). Mỗi thẻ {{ … }} hay {% … %} phải nằm trọn trong một đoạn."), "the-do-dang"))
        return out
    for m in para.tags():
        out += _check_tag(t, para, m)
    stripped = text.strip()
    for prefix, what in (("p", "đoạn"), ("tr", "hàng bảng"), ("tc", "ô bảng")):
        tags = re.findall(r"\{%-?" + prefix + r" .*?%\}", text)
        if not tags:
            continue
        if prefix in ("tr", "tc") and not para.in_row:
            out.append(t.finding(para, ERROR, (
                f"thẻ {{%{prefix} … %}} chỉ dùng trong một {what}; ở đây nó nằm ngoài bảng. Dùng {{%p … %}} "
                "cho các đoạn văn thường."), "the-tr"))
        elif prefix == "p" and (len(tags) > 1 or stripped != tags[0]):
            rest = _TAG.sub("", text).strip() or "một thẻ khác"
            out.append(t.finding(para, ERROR, (
                f'thẻ {{%p … %}} phải đứng một mình một đoạn: cả đoạn bị xóa khi tạo văn bản nên "{rest[:60]}" '
                "sẽ mất. Nhấn Enter trước và sau thẻ để thẻ thành một đoạn riêng."), "the-p"))
        elif prefix == "tr":
            rest = _TAG.sub("", para.row_text).strip()
            if rest:
                out.append(t.finding(para, ERROR, (
                    f'thẻ {{%tr … %}} xóa cả hàng bảng chứa nó, nên chữ "{rest[:60]}" trong hàng này sẽ mất. Đặt '
                    "thẻ trong một hàng riêng không có chữ nào khác."), "the-tr"))
    return out


def _unclosed(text: str) -> bool:
    rest = _TAG.sub("", text)
    return bool(re.search(r"\{\{|\{%|\{#", rest))


def _check_tag(t: TemplateText, para: Paragraph, m: re.Match) -> list[Finding]:
    out: list[Finding] = []
    inside = _STRING.sub("''", m.group(0))
    bad = [label for ch, label in _TYPOGRAPHIC.items() if ch in inside]
    if bad:
        out.append(t.finding(para, ERROR, (
            f'thẻ {_short(m.group(0))} có {", ".join(bad)} — Word tự đổi khi gõ (AutoCorrect). Gõ lại thẻ với dấu '
            "nháy thẳng ' hoặc \", dấu cách thường và dấu - (tắt: Tệp > Tùy chọn > Soát lỗi > Tùy chọn "
            "AutoCorrect > AutoFormat As You Type)."), "nhay-cong"))
    if m.group(0).startswith("{{"):
        formats = {fmt for start, end, fmt in para.runs if start < m.end() and end > m.start()}
        if len(formats) > 1:
            out.append(t.finding(para, ERROR, (
                f"thẻ {_short(m.group(0))} bị Word tách thành nhiều đoạn chữ có định dạng khác nhau "
                f"({_differences(formats)}); khi tạo văn bản giá trị chỉ lấy định dạng của phần đầu thẻ. Cách sửa: "
                "chọn cả thẻ từ {{ đến }}, đặt một định dạng cho cả thẻ (hoặc Ctrl+Space để bỏ định dạng riêng "
                "rồi định dạng lại), hoặc xóa thẻ và gõ lại một lần."), "the-tach"))
    return out


def _short(tag: str) -> str:
    tag = " ".join(tag.split())
    return tag if len(tag) <= 60 else tag[:59] + "…"


def _differences(formats: set[tuple]) -> str:
    names = set()
    for fmt in formats:
        names |= {n for n, _ in fmt}
    common = set.intersection(*({n for n, _ in f} | set() for f in formats)) if formats else set()
    differing = sorted(names - common) or sorted(names)
    words = [_FORMAT_WORDS.get(n, n) for n in differing]
    return "khác nhau ở: " + ", ".join(words) if words else "khác kiểu"


# --------------------------------------------------------------------------------------------------------
# Unsafe content
# --------------------------------------------------------------------------------------------------------

_EXTERNAL_FIELDS = re.compile(r"\b(INCLUDETEXT|INCLUDEPICTURE|LINK|DDE|DDEAUTO|IMPORT)\b")


def _unsafe(name: str, zf: zipfile.ZipFile) -> list[Finding]:
    out = []
    names = zf.namelist()

    def refuse(where: str, message: str, severity: str = ERROR) -> None:
        out.append(Finding(name, severity, where, message, "", "khong-an-toan"))

    types = zf.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names else ""
    if any(n.lower().endswith("vbaproject.bin") for n in names) or "macroEnabled" in types:
        refuse("tệp", "mẫu chứa macro (VBA). docgen không dùng mẫu có macro: lưu lại trong Word dạng "
                      '"Tài liệu Word (*.docx)", không phải "Tài liệu Word có bật macro (*.docm)".')
    for prefix, what in (("word/activeX/", "điều khiển ActiveX"), ("word/embeddings/", "đối tượng nhúng (OLE)")):
        if any(n.startswith(prefix) for n in names):
            refuse("tệp", f"mẫu chứa {what}; xóa đối tượng đó khỏi mẫu rồi lưu lại.")
    for member in names:
        if not member.endswith(".rels"):
            continue
        for rel in re.finditer(rb"<Relationship\b[^>]*>", zf.read(member)):
            xml = rel.group(0).decode("utf-8", "replace")
            if 'TargetMode="External"' not in xml:
                continue
            target = re.search(r'Target="([^"]*)"', xml)
            kind = re.search(r'Type="[^"]*/([^"/]+)"', xml)
            kind_name = kind.group(1) if kind else "?"
            url = target.group(1) if target else ""
            if kind_name == "hyperlink":
                refuse(f"tệp ({member})", f"mẫu có liên kết ra ngoài ({url[:80]}); văn bản hành chính thường "
                                          "không cần, hãy kiểm tra lại.", WARNING)
            else:
                refuse(f"tệp ({member})", f'mẫu lấy nội dung từ bên ngoài (quan hệ "{kind_name}" tới '
                                          f"{url[:80]}); Word sẽ tải nội dung này khi mở văn bản. Xóa nó khỏi mẫu "
                                          "(ví dụ Tệp > Tùy chọn > Phần bổ trợ > Mẫu: bỏ mẫu đính kèm).")
    for member in names:
        if member.startswith("word/") and member.endswith(".xml") and not member.startswith("word/theme"):
            data = zf.read(member).decode("utf-8", "replace")
            for m in re.finditer(r"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"", data):
                instr = m.group(1) or m.group(2) or ""
                if _EXTERNAL_FIELDS.search(instr):
                    refuse(f"tệp ({member})", f'mẫu có trường lấy dữ liệu từ bên ngoài ("{instr.strip()[:60]}"); '
                                              "xóa trường đó khỏi mẫu.")
            if "<w:altChunk" in data:
                refuse(f"tệp ({member})", "mẫu nhúng một tài liệu khác (altChunk); xóa phần đó khỏi mẫu.")
    return out
