"""Read generated .docx files in tests: texts in document order, and *effective* formatting resolved the way
Word does it (direct formatting → character style → paragraph style and its basedOn chain → docDefaults).

Deliberately independent of ``docgen.nd30`` so that a bug in the checker's resolver cannot hide a bug in the
documents."""
from __future__ import annotations

import re
import zipfile
from functools import cached_property
from pathlib import Path

from docx import Document
from docx.table import Table
from docx.text.paragraph import Paragraph
from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"w": W_NS, "r": R_NS, "a": A_NS}


def on(el) -> bool | None:
    """An on/off property element → True/False (None when absent)."""
    if el is None:
        return None
    return el.get(W + "val", "true").lower() not in ("0", "false", "off", "none")


def ptext(p_el) -> str:
    return Paragraph(p_el, None).text


class Docx:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.doc = Document(str(path))
        self.body = self.doc.element.body
        styles = self.doc.styles.element
        self.styles = {s.get(W + "styleId"): s for s in styles.iter(W + "style")}
        self.names = {sid: (s.find(W + "name").get(W + "val") if s.find(W + "name") is not None else sid)
                      for sid, s in self.styles.items()}
        self.default_para = next((sid for sid, s in self.styles.items()
                                  if s.get(W + "type") == "paragraph" and on_attr(s.get(W + "default"))), None)
        dd = styles.find(W + "docDefaults")
        self.doc_rpr = dd.find(f"{W}rPrDefault/{W}rPr") if dd is not None else None
        self.doc_ppr = dd.find(f"{W}pPrDefault/{W}pPr") if dd is not None else None

    # ---------------------------------------------------------------- structure
    def chain(self, style_id: str | None) -> list:
        out, seen = [], set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            s = self.styles[style_id]
            out.append(s)
            based = s.find(W + "basedOn")
            style_id = based.get(W + "val") if based is not None else None
        return out

    def ppr_levels(self, p_el) -> list:
        """The paragraph's own pPr, then the pPr of each style of its chain (None where absent)."""
        return [p_el.find(W + "pPr")] + [s.find(W + "pPr") for s in self.chain(self.para_style_id(p_el))]

    def para_style_id(self, p_el) -> str | None:
        ps = p_el.find(f"{W}pPr/{W}pStyle")
        return ps.get(W + "val") if ps is not None else self.default_para

    def style_name(self, p_el) -> str:
        sid = self.para_style_id(p_el)
        return self.names.get(sid, sid or "")

    def body_items(self):
        """Top-level paragraphs and tables of the body, in order: ("p", el) / ("tbl", el)."""
        for el in self.body.iterchildren():
            if el.tag == W + "p":
                yield "p", el
            elif el.tag == W + "tbl":
                yield "tbl", el

    def body_paragraphs(self):
        return [el for kind, el in self.body_items() if kind == "p"]

    def all_paragraphs(self):
        return list(self.body.iter(W + "p"))

    def texts(self) -> list[str]:
        return [ptext(p) for p in self.all_paragraphs()]

    @cached_property
    def full_text(self) -> str:
        return "\n".join(self.texts())

    def tables(self) -> list[Table]:
        return self.doc.tables

    def by_style(self, name: str, *, within=None) -> list:
        root = self.body if within is None else within
        return [p for p in root.iter(W + "p") if self.style_name(p) == name]

    def find_para(self, text: str, *, startswith=False):
        for p in self.all_paragraphs():
            t = ptext(p)
            if (t.startswith(text) if startswith else t == text):
                return p
        raise AssertionError(f"no paragraph {'starting with' if startswith else 'equal to'} {text!r} in {self.path.name}")

    def signature_table(self, index: int = 0) -> Table:
        """The n-th table holding a "Chữ ký – chức vụ" paragraph."""
        found = [t for t in self.doc.tables if self.by_style("Chữ ký – chức vụ", within=t._tbl)]
        return found[index]

    # ---------------------------------------------------------------- run properties
    def rprop(self, p_el, r_el, tag: str):
        """The nearest element ``tag`` for a run: direct rPr → rStyle chain → paragraph style chain → defaults."""
        levels = []
        rpr = r_el.find(W + "rPr") if r_el is not None else None
        if rpr is not None:
            levels.append(rpr)
            rs = rpr.find(W + "rStyle")
            if rs is not None:
                levels += [s.find(W + "rPr") for s in self.chain(rs.get(W + "val"))]
        levels += [s.find(W + "rPr") for s in self.chain(self.para_style_id(p_el))]
        levels.append(self.doc_rpr)
        for level in levels:
            if level is not None and level.find(W + tag) is not None:
                return level.find(W + tag)
        return None

    def size(self, p_el, r_el=None) -> float:
        el = self.rprop(p_el, r_el, "sz")
        return int(el.get(W + "val")) / 2 if el is not None else 10.0

    def bold(self, p_el, r_el=None) -> bool:
        return bool(on(self.rprop(p_el, r_el, "b")))

    def italic(self, p_el, r_el=None) -> bool:
        return bool(on(self.rprop(p_el, r_el, "i")))

    def caps(self, p_el, r_el=None) -> bool:
        return bool(on(self.rprop(p_el, r_el, "caps")))

    def text_runs(self, p_el) -> list:
        return [r for r in p_el.iter(W + "r") if "".join(t.text or "" for t in r.iter(W + "t")).strip()]

    def run_values(self, p_el, fn) -> set:
        """``fn(p, r)`` for every run with visible text (the paragraph's own value when it has none)."""
        runs = self.text_runs(p_el)
        return {fn(p_el, r) for r in runs} if runs else {fn(p_el, None)}

    # ---------------------------------------------------------------- paragraph properties
    def pattr(self, p_el, tag: str, attr: str):
        """Attribute ``attr`` of pPr/``tag``: direct → style chain → docDefaults (attributes merge separately)."""
        levels = self.ppr_levels(p_el)
        levels.append(self.doc_ppr)
        for level in levels:
            if level is None:
                continue
            el = level.find(W + tag)
            if el is not None and el.get(W + attr) is not None:
                return el.get(W + attr)
        return None

    def alignment(self, p_el) -> str:
        return self.pattr(p_el, "jc", "val") or "left"

    def first_line(self, p_el) -> int:
        hanging = self.pattr(p_el, "ind", "hanging")
        if hanging not in (None, "0"):
            return -int(hanging)
        return int(self.pattr(p_el, "ind", "firstLine") or 0)

    def space_after(self, p_el) -> int:
        return int(self.pattr(p_el, "spacing", "after") or 0)

    def line_spacing(self, p_el) -> tuple[int, str]:
        return int(self.pattr(p_el, "spacing", "line") or 240), self.pattr(p_el, "spacing", "lineRule") or "auto"

    def top_border(self, p_el) -> bool:
        levels = self.ppr_levels(p_el)
        for level in levels:
            if level is None:
                continue
            top = level.find(f"{W}pBdr/{W}top")
            if top is not None:
                return top.get(W + "val") not in ("nil", "none")
        return False

    # ---------------------------------------------------------------- package parts
    @cached_property
    def parts(self) -> dict[str, bytes]:
        with zipfile.ZipFile(self.path) as z:
            return {n: z.read(n) for n in z.namelist()}

    def part_xml(self, name: str):
        return etree.fromstring(self.parts[name])

    def sections(self) -> list:
        return list(self.body.iter(W + "sectPr"))

    def header_part(self, sect, kind: str):
        ref = sect.find(f"{W}headerReference[@{W}type='{kind}']")
        if ref is None:
            return None
        rid = ref.get("{%s}id" % R_NS)
        return self.doc.part.related_parts[rid]


def on_attr(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "true", "on")


def has_page_field(xml_el) -> bool:
    for f in xml_el.iter(W + "fldSimple"):
        if re.search(r"\bPAGE\b", f.get(W + "instr", "")):
            return True
    return any(re.search(r"\bPAGE\b", t.text or "") for t in xml_el.iter(W + "instrText"))


def column_paragraphs(tbl_el, col: int) -> list:
    """Paragraphs of column ``col`` of a (signature) table, row after row — titles and names may sit in
    one cell or in one cell per row."""
    out = []
    for tr in tbl_el.iterchildren(W + "tr"):
        cells = list(tr.iterchildren(W + "tc"))
        if col < len(cells):
            out += list(cells[col].iter(W + "p"))
    return out


def column_texts(tbl_el, col: int) -> list[str]:
    return [ptext(p) for p in column_paragraphs(tbl_el, col) if ptext(p).strip()]


def used_num_ids(d: "Docx") -> set[str]:
    """numIds reachable from the paragraphs of the document (direct numPr or through the style chain)."""
    ids = set()
    for p in d.body.iter(W + "p"):
        levels = d.ppr_levels(p)
        for level in levels:
            if level is None:
                continue
            num = level.find(f"{W}numPr/{W}numId")
            if num is not None:
                ids.add(num.get(W + "val"))
                break
    return ids - {"0"}
