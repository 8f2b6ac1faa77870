"""A read-only model of a .docx for the checker: paragraphs with effective formatting, tables, text boxes,
sections, headers/footers and fields.

Everything a reader sees is kept (text inside hyperlinks, content controls, insertions, field results,
text boxes) and everything a reader does not see is dropped (deleted text, field instructions, hidden text,
the VML fallback copy of a DrawingML text box).  A paragraph is split into *lines* at manual line breaks
(``w:br``, ``w:cr``), because hand-made headers often put Quốc hiệu and Tiêu ngữ in one paragraph.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from lxml import etree

from .package import DocxPackage, W_NS, R_NS
from .styles import ParaProps, RunProps, StyleResolver, on_off

_W = f"{{{W_NS}}}"
_R = f"{{{R_NS}}}"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
_MC = f"{{{MC_NS}}}"
_WPS = f"{{{WPS_NS}}}"
_V = f"{{{V_NS}}}"

_RUN_CONTAINERS = {_W + t for t in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "dir", "bdo")}
_SKIPPED = {_W + t for t in ("del", "moveFrom", "pPr", "proofErr", "bookmarkStart", "bookmarkEnd",
                             "commentRangeStart", "commentRangeEnd", "permStart", "permEnd")}
_GRAPHIC = {_W + "drawing", _W + "pict", _W + "object", _MC + "AlternateContent"}
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def squash(text: str) -> str:
    """NFC, every kind of space collapsed to one ASCII space, trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


@dataclass
class Segment:
    text: str
    props: RunProps


@dataclass(eq=False)
class Field:
    instr: str
    paragraph: "Paragraph"
    result: list[RunProps] = field(default_factory=list)
    props: RunProps | None = None             # formatting of the run that starts the field
    tabs_before: int = 0                      # tab characters before the field in its paragraph
    phase: str = "result"                     # complex fields: "instr" until fldChar separate

    @property
    def name(self) -> str:
        parts = self.instr.split()
        return parts[0].upper() if parts else ""


@dataclass(eq=False)
class Line:
    paragraph: "Paragraph"
    number: int                                # 0-based line number inside the paragraph
    segments: list[Segment]

    @property
    def raw(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def text(self) -> str:
        return squash(self.raw)

    @property
    def where(self) -> str:
        return self.paragraph.where


@dataclass(eq=False)
class Paragraph:
    el: etree._Element
    props: ParaProps
    where: str
    part: str                                  # "body", "header", "footer"
    in_table: bool = False
    table: "Table | None" = None
    cell: "Cell | None" = None
    textbox_host: "Paragraph | None" = None
    segments: list[Segment] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    textboxes: list[list["Paragraph | Table"]] = field(default_factory=list)
    has_shape: bool = False
    page_break: bool = False
    rendered_break: bool = False
    sect_pr: etree._Element | None = None
    _lines: list[Line] | None = None

    @property
    def raw(self) -> str:
        return "".join(s.text for s in self.segments)

    @property
    def text(self) -> str:
        return squash(self.raw.replace("\n", " "))

    @property
    def lines(self) -> list[Line]:
        if self._lines is None:
            lines: list[Line] = []
            current: list[Segment] = []
            for seg in self.segments:
                parts = seg.text.split("\n")
                for k, piece in enumerate(parts):
                    if k:
                        lines.append(Line(self, len(lines), current))
                        current = []
                    if piece:
                        current.append(Segment(piece, seg.props))
            lines.append(Line(self, len(lines), current))
            self._lines = lines
        return self._lines


@dataclass(eq=False)
class Cell:
    table: "Table"
    row: int                                   # 1-based
    col: int                                   # 1-based grid column
    el: etree._Element
    where: str = ""
    paragraphs: list[Paragraph] = field(default_factory=list)
    borders: frozenset[str] = frozenset()


@dataclass(eq=False)
class Table:
    el: etree._Element
    number: int
    style_id: str | None
    rows: list[list[Cell]] = field(default_factory=list)
    borders: frozenset[str] = frozenset()

    def cells(self) -> list[Cell]:
        return [c for row in self.rows for c in row]

    def paragraphs(self) -> list[Paragraph]:
        return [p for c in self.cells() for p in c.paragraphs]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.paragraphs() if p.text)

    @property
    def where(self) -> str:
        return f"bảng {self.number}"

    def columns(self) -> dict[int, list[Paragraph]]:
        cols: dict[int, list[Paragraph]] = {}
        for row in self.rows:
            for cell in row:
                cols.setdefault(cell.col, []).extend(cell.paragraphs)
        return dict(sorted(cols.items()))


@dataclass
class Section:
    number: int
    sect_pr: etree._Element
    first_block: int
    last_block: int
    width: int | None
    height: int | None
    orient: str | None
    margins: dict[str, int]
    title_page: bool
    headers: dict[str, str]                    # type -> rId (after inheritance)
    footers: dict[str, str]


@dataclass
class HeaderFooter:
    kind: str                                  # "header" / "footer"
    type: str                                  # "default" / "first" / "even"
    part_name: str
    paragraphs: list[Paragraph]

    @property
    def fields(self) -> list[Field]:
        return [f for p in self.paragraphs for f in p.fields]


@dataclass
class Document:
    resolver: StyleResolver
    blocks: list[Paragraph | Table]            # top-level body content in order
    paragraphs: list[Paragraph]                # every body paragraph (tables, text boxes included) in order
    tables: list[Table]
    sections: list[Section]
    headers: dict[str, HeaderFooter]           # "header:rId7" / "footer:rId8" -> parsed part
    even_and_odd: bool
    pages_hint: int | None

    def header_for(self, section: Section, kind: str, type_: str) -> HeaderFooter | None:
        refs = section.headers if kind == "header" else section.footers
        rid = refs.get(type_)
        return self.headers.get(f"{kind}:{rid}") if rid else None


class _Builder:
    def __init__(self, package: DocxPackage, resolver: StyleResolver):
        self.package = package
        self.resolver = resolver
        self.paragraphs: list[Paragraph] = []
        self.tables: list[Table] = []
        self.top_paragraph_count = 0
        self.field_stack: list[Field] = []
        self.textbox_count = 0

    # -- blocks -------------------------------------------------------------------------------------

    def walk_blocks(self, container: etree._Element, *, part: str, where_label: str | None,
                    table: Table | None = None, cell: Cell | None = None, tbl_style: str | None = None,
                    host: Paragraph | None = None, top: bool = False) -> list[Paragraph | Table]:
        out: list[Paragraph | Table] = []
        for child in container:
            tag = child.tag
            if tag == _W + "p":
                if top:
                    self.top_paragraph_count += 1
                    where = f"đoạn {self.top_paragraph_count}"
                else:
                    where = where_label or ""
                out.append(self.paragraph(child, part=part, where=where, table=table, cell=cell,
                                          tbl_style=tbl_style, host=host))
            elif tag == _W + "tbl":
                out.append(self.table(child, part=part, host=host, label=where_label if part != "body" else None))
            elif tag in (_W + "sdt",):
                content = child.find(_W + "sdtContent")
                if content is not None:
                    out.extend(self.walk_blocks(content, part=part, where_label=where_label, table=table,
                                                cell=cell, tbl_style=tbl_style, host=host, top=top))
            elif tag in (_W + "customXml", _W + "ins", _W + "moveTo"):
                out.extend(self.walk_blocks(child, part=part, where_label=where_label, table=table, cell=cell,
                                            tbl_style=tbl_style, host=host, top=top))
            elif tag == _MC + "AlternateContent":
                choice = child.find(_MC + "Choice")
                if choice is not None:
                    out.extend(self.walk_blocks(choice, part=part, where_label=where_label, table=table,
                                                cell=cell, tbl_style=tbl_style, host=host, top=top))
        return out

    def table(self, el: etree._Element, *, part: str, host: Paragraph | None, label: str | None) -> Table:
        tbl_pr = el.find(_W + "tblPr")
        style_el = tbl_pr.find(_W + "tblStyle") if tbl_pr is not None else None
        style_id = style_el.get(_W + "val") if style_el is not None else None
        table = Table(el, len(self.tables) + 1, style_id)
        self.tables.append(table)
        table.borders = _table_borders(self.resolver, tbl_pr, style_id)
        row_no = 0
        for tr in _children(el, "tr"):
            row_no += 1
            cells: list[Cell] = []
            col = 1
            grid_before = tr.find(f"{_W}trPr/{_W}gridBefore")
            if grid_before is not None:
                col += int(grid_before.get(_W + "val") or 0)
            for tc in _children(tr, "tc"):
                tc_pr = tc.find(_W + "tcPr")
                span = 1
                if tc_pr is not None:
                    gs = tc_pr.find(_W + "gridSpan")
                    if gs is not None:
                        try:
                            span = max(1, int(gs.get(_W + "val") or 1))
                        except ValueError:
                            span = 1
                cell = Cell(table, row_no, col, tc, borders=_cell_borders(tc_pr, table.borders))
                if label:
                    cell.where = f"{label}, ô ({row_no},{col})"
                elif host is not None:
                    cell.where = f"bảng {table.number}, ô ({row_no},{col}) trong khung văn bản ({host.where})"
                else:
                    cell.where = f"bảng {table.number}, ô ({row_no},{col})"
                cells.append(cell)
                where = cell.where
                for block in self.walk_blocks(tc, part=part, where_label=where, table=table, cell=cell,
                                              tbl_style=style_id, host=host):
                    if isinstance(block, Paragraph):
                        cell.paragraphs.append(block)
                    else:
                        cell.paragraphs.extend(block.paragraphs())
                col += span
            table.rows.append(cells)
        return table

    # -- paragraphs ---------------------------------------------------------------------------------

    def paragraph(self, el: etree._Element, *, part: str, where: str, table: Table | None, cell: Cell | None,
                  tbl_style: str | None, host: Paragraph | None) -> Paragraph:
        in_table = table is not None
        # Field instructions never span paragraphs; drop any left open by a malformed document.
        while self.field_stack and self.field_stack[-1].phase == "instr":
            self.field_stack.pop()
        ppr = el.find(_W + "pPr")
        props = self.resolver.para_props(ppr, tbl_style=tbl_style, in_table=in_table)
        para = Paragraph(el, props, where, part, in_table=in_table, table=table, cell=cell, textbox_host=host)
        if ppr is not None:
            para.sect_pr = ppr.find(_W + "sectPr")
        self.paragraphs.append(para)
        ctx = _RunContext(self, para, props.style_id, tbl_style, in_table, part)
        ctx.walk(el)
        if props.page_break_before:
            para.page_break = True
        # Text boxes after the paragraph itself, so that document order stays natural.
        for content in ctx.textboxes:
            self.textbox_count += 1
            label = f"khung văn bản {self.textbox_count} ({where})"
            blocks = self.walk_blocks(content, part=part, where_label=label, host=para)
            para.textboxes.append(blocks)
        return para


class _RunContext:
    """Collects the visible text of one paragraph, run by run, tracking complex fields."""

    def __init__(self, builder: _Builder, para: Paragraph, p_style: str | None, tbl_style: str | None,
                 in_table: bool, part: str):
        self.builder = builder
        self.para = para
        self.p_style = p_style
        self.tbl_style = tbl_style
        self.in_table = in_table
        self.part = part
        self.textboxes: list[etree._Element] = []
        self.tabs = 0

    def walk(self, el: etree._Element) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _W + "r":
                self.run(child)
            elif tag in _RUN_CONTAINERS:
                self.walk(child)
            elif tag == _W + "sdt":
                content = child.find(_W + "sdtContent")
                if content is not None:
                    self.walk(content)
            elif tag == _W + "fldSimple":
                fld = Field(child.get(_W + "instr") or "", self.para, tabs_before=self.tabs)
                first_r = child.find(_W + "r")
                fld.props = self.props(first_r.find(_W + "rPr") if first_r is not None else None)
                self.para.fields.append(fld)
                self.builder.field_stack.append(fld)
                self.walk(child)
                self.builder.field_stack.pop()
            elif tag == _MC + "AlternateContent":
                choice = child.find(_MC + "Choice")
                if choice is not None:
                    self.walk(choice)
            elif tag in _SKIPPED:
                continue

    def props(self, rpr: etree._Element | None) -> RunProps:
        return self.builder.resolver.run_props(rpr, p_style=self.p_style, tbl_style=self.tbl_style,
                                               in_table=self.in_table)

    def visible(self) -> bool:
        return all(f.phase == "result" for f in self.builder.field_stack)

    def run(self, r: etree._Element) -> None:
        rpr = r.find(_W + "rPr")
        props: RunProps | None = None
        stack = self.builder.field_stack
        for child in r:
            tag = child.tag
            if not isinstance(tag, str) or tag == _W + "rPr":
                continue
            text = None
            if tag == _W + "t":
                text = child.text or ""
            elif tag in (_W + "tab", _W + "ptab"):
                text = "\t"
            elif tag == _W + "br":
                btype = child.get(_W + "type")
                if btype == "page":
                    self.para.page_break = True
                text = "\n"
            elif tag == _W + "cr":
                text = "\n"
            elif tag == _W + "noBreakHyphen":
                text = "-"
            elif tag == _W + "lastRenderedPageBreak":
                self.para.rendered_break = True
            elif tag == _W + "fldChar":
                kind = child.get(_W + "fldCharType")
                if kind == "begin":
                    fld = Field("", self.para, tabs_before=self.tabs, phase="instr")
                    fld.props = props or self.props(rpr)
                    self.para.fields.append(fld)
                    stack.append(fld)
                elif kind == "separate" and stack:
                    stack[-1].phase = "result"
                elif kind == "end" and stack:
                    stack.pop()
            elif tag == _W + "instrText":
                if stack and stack[-1].phase == "instr":
                    stack[-1].instr += child.text or ""
            elif tag in _GRAPHIC:
                self.graphic(child)
            if text is None:
                continue
            if props is None:
                props = self.props(rpr)
            if props.vanish or not self.visible():
                continue
            if props.caps:
                text = text.upper()
            if text == "\t":
                self.tabs += 1
            for fld in stack:
                if fld.phase == "result" and text.strip():
                    fld.result.append(props)
            self.para.segments.append(Segment(text, props))

    def graphic(self, el: etree._Element) -> None:
        """Find text boxes and line-like shapes inside a drawing, skipping mc:Fallback copies."""
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == _MC + "Fallback":
                continue
            if tag == _W + "txbxContent":
                self.textboxes.append(child)
                continue
            if tag == _WPS + "wsp":
                if child.find(_WPS + "txbx") is None:
                    self.para.has_shape = True
            elif tag in (_V + "line", _V + "polyline"):
                self.para.has_shape = True
            elif tag in (_V + "shape", _V + "rect"):
                if child.find(_V + "textbox") is None and child.find(_V + "imagedata") is None:
                    self.para.has_shape = True
            self.graphic(child)


def _children(el: etree._Element, local: str) -> list[etree._Element]:
    """Direct children named ``local``, looking through content controls and custom XML wrappers."""
    out = []
    for child in el:
        if child.tag == _W + local:
            out.append(child)
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                out.extend(_children(content, local))
        elif child.tag == _W + "customXml":
            out.extend(_children(child, local))
    return out


def _visible_sides(borders: etree._Element | None) -> dict[str, bool]:
    sides: dict[str, bool] = {}
    if borders is None:
        return sides
    for side in borders:
        if not isinstance(side.tag, str):
            continue
        name = etree.QName(side).localname
        name = {"start": "left", "end": "right"}.get(name, name)
        val = (side.get(_W + "val") or "").lower()
        sides[name] = val not in ("", "nil", "none")
    return sides


def _table_borders(resolver: StyleResolver, tbl_pr: etree._Element | None, style_id: str | None) -> frozenset[str]:
    sides: dict[str, bool] = {}
    sid = resolver.table_style_id(style_id)
    chain = []
    seen = set()
    while sid and sid not in seen and sid in resolver.styles_xml:
        seen.add(sid)
        chain.append(resolver.styles_xml[sid])
        based = resolver.styles_xml[sid].find(_W + "basedOn")
        sid = based.get(_W + "val") if based is not None else None
    for style_el in reversed(chain):
        sides.update(_visible_sides(style_el.find(f"{_W}tblPr/{_W}tblBorders")))
    if tbl_pr is not None:
        sides.update(_visible_sides(tbl_pr.find(_W + "tblBorders")))
    return frozenset(k for k, v in sides.items() if v)


def _cell_borders(tc_pr: etree._Element | None, table_borders: frozenset[str]) -> frozenset[str]:
    sides = {s: True for s in table_borders if s in ("top", "bottom", "left", "right")}
    if "insideH" in table_borders:
        sides.setdefault("top", True)
        sides.setdefault("bottom", True)
    if "insideV" in table_borders:
        sides.setdefault("left", True)
        sides.setdefault("right", True)
    if tc_pr is not None:
        sides.update(_visible_sides(tc_pr.find(_W + "tcBorders")))
    return frozenset(k for k, v in sides.items() if v)


def _int_attr(el: etree._Element | None, name: str) -> int | None:
    if el is None:
        return None
    value = el.get(_W + name)
    if value is None:
        return None
    try:
        return int(round(float(value)))
    except ValueError:
        return None


def _section(number: int, sect_pr: etree._Element, first: int, last: int,
             prev: Section | None) -> Section:
    pg_sz = sect_pr.find(_W + "pgSz")
    pg_mar = sect_pr.find(_W + "pgMar")
    margins = {}
    for side in ("top", "bottom", "left", "right", "gutter"):
        value = _int_attr(pg_mar, side)
        if value is not None:
            margins[side] = abs(value)
    headers = dict(prev.headers) if prev else {}
    footers = dict(prev.footers) if prev else {}
    for ref in sect_pr.findall(_W + "headerReference"):
        headers[ref.get(_W + "type") or "default"] = ref.get(_R + "id") or ""
    for ref in sect_pr.findall(_W + "footerReference"):
        footers[ref.get(_W + "type") or "default"] = ref.get(_R + "id") or ""
    title_pg = sect_pr.find(_W + "titlePg")
    return Section(
        number=number, sect_pr=sect_pr, first_block=first, last_block=last,
        width=_int_attr(pg_sz, "w"), height=_int_attr(pg_sz, "h"),
        orient=pg_sz.get(_W + "orient") if pg_sz is not None else None,
        margins=margins, title_page=bool(on_off(title_pg)), headers=headers, footers=footers,
    )


def build_document(package: DocxPackage) -> Document:
    resolver = StyleResolver(package.styles, package.theme, package.numbering)
    builder = _Builder(package, resolver)
    root = package.document.root
    body = root.find(_W + "body")
    blocks: list[Paragraph | Table] = []
    if body is not None:
        blocks = builder.walk_blocks(body, part="body", where_label=None, top=True)
    builder.field_stack.clear()

    sections: list[Section] = []
    start = 0
    prev: Section | None = None
    for index, block in enumerate(blocks):
        if isinstance(block, Paragraph) and block.sect_pr is not None:
            prev = _section(len(sections) + 1, block.sect_pr, start, index, prev)
            sections.append(prev)
            start = index + 1
    final = body.find(_W + "sectPr") if body is not None else None
    if final is not None:
        sections.append(_section(len(sections) + 1, final, start, len(blocks) - 1, prev))
    elif not sections:
        sections.append(Section(1, etree.Element(_W + "sectPr"), 0, len(blocks) - 1, None, None, None, {}, False,
                                {}, {}))

    headers: dict[str, HeaderFooter] = {}
    labels = {("header", "default"): "đầu trang", ("header", "first"): "đầu trang (trang đầu)",
              ("header", "even"): "đầu trang (trang chẵn)", ("footer", "default"): "chân trang",
              ("footer", "first"): "chân trang (trang đầu)", ("footer", "even"): "chân trang (trang chẵn)"}
    for section in sections:
        for kind, refs in (("header", section.headers), ("footer", section.footers)):
            for type_, rid in refs.items():
                key = f"{kind}:{rid}"
                if key in headers:
                    continue
                part = package.related_part(package.document, rid)
                if part is None:
                    continue
                label = labels.get((kind, type_), "đầu trang" if kind == "header" else "chân trang")
                if len(sections) > 1:
                    label += f", mục {section.number}"
                builder.field_stack.clear()
                before, tables_before = len(builder.paragraphs), len(builder.tables)
                builder.walk_blocks(part.root, part=kind, where_label=label)
                paras = builder.paragraphs[before:]
                del builder.paragraphs[before:]
                del builder.tables[tables_before:]
                headers[key] = HeaderFooter(kind, type_, part.name, paras)

    settings = package.settings
    even_odd = False
    if settings is not None:
        even_odd = bool(on_off(settings.find(_W + "evenAndOddHeaders")))
    return Document(resolver, blocks, builder.paragraphs, builder.tables, sections, headers, even_odd,
                    package.pages_hint)
