"""Prepared templates: a .docx template read once per run, then rendered for every document.

:func:`docgen.render.render` (plain docxtpl) opens the template package again for every document, renders it
and re-serialises and re-deflates every part.  A :class:`PreparedTemplate` does that work once: it reads the
package with python-docx, applies docxtpl's XML clean-up (``patch_xml``) and compiles the Jinja template of
each part docxtpl renders (body, headers, footers, footnotes, core properties); every other part is kept as its
already-compressed zip entry and copied raw.  Per document only the Jinja render of the templated parts, a
well-formedness check and the zip write remain.

The output is the document docxtpl would make — same XML in every part: the same environment (sandboxed,
strict, escaping once, the ``{_{`` neutralisation, core properties as plain text cut at 255 characters), the
same post-processing (listing characters, table grid fix, drawing ids) and python-docx's serialisation.  It
differs in two ways only: zip entries carry a fixed date (so two builds of the same data are byte-identical),
and a render whose XML is not well formed is an error naming the template (docxtpl silently "recovers" it).
A template the fast path cannot reproduce (footnotes with tags in a template of several sections, which docxtpl
renders once per section) is rendered by plain docxtpl; :attr:`PreparedTemplate.fallback` says why.
"""
from __future__ import annotations

import copy
import functools
import io
import os
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from lxml import etree

from . import layout, pieces
from . import render as _render
from .errors import TemplateError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
_FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")   # what docxtpl renders
_ELEMENTS = {"author": "creator", "comments": "description"}     # the element of a property, if not its name
_SEPARATOR = "\x01"                     # between the core properties rendered together (_CoreProperties)
_JINJA = re.compile(r"\{[{%#]")
_PLACEHOLDER = b"<body-placeholder/>"
_DOC_PR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
_P_OPEN = re.compile(r"<w:p([ >])")
_P_NEWLINE = re.compile(rb"\n(?=<w:p[ >])")
# Tags that change the cells of a row; without them (and with a consistent grid in the template) docxtpl's
# table grid fix has nothing to do.
_CELL_TAGS = re.compile(r"\{[{%#]\s*tc\s|\{%\s*(?:hm|colspan)\b")
# Well-formedness check of each rendered part: a strict parser (docxtpl's recovers silently), no entities,
# no network; for well-formed XML it builds the tree docxtpl's parser builds.
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
# The parts rendered for each document are deflated at zlib's fastest level (under half the time of level 6,
# zipfile's and python-docx's default, for about 15 % more compressed bytes), with a 16 KB window and a
# smaller hash: zlib's default state (256 KB) costs more to set up than a small part costs to deflate, and
# the files come out no larger.  The XML inside is the same.
_LEVEL, _WINDOW, _MEMORY = 1, 14, 6
# A part smaller than this is stored as it is: setting up a deflate costs about 13 µs whatever the size, as
# much as deflating the 1 KB of core properties (docProps/core.xml: 1,060 bytes, 599 deflated) — each
# document 461 bytes larger, its render 3 % quicker.
_STORED_BELOW = 2048
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0      # 1980-01-01 00:00: builds are reproducible


@dataclass(frozen=True)
class _Entry:
    name: str
    method: int
    crc: int
    size: int
    data: bytes                              # compressed as ``method`` says

    @functools.cached_property
    def records(self) -> tuple[bytes, bytes, bytes]:
        """Its local header (with the name), its central directory record up to the offset, and its name:
        the same in every archive (a part copied raw into thousands of documents packs them once)."""
        name = self.name.encode("utf-8")
        flags = 0 if self.name.isascii() else 0x800
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, flags, self.method, _DOS_TIME, _DOS_DATE, self.crc,
                            len(self.data), self.size, len(name), 0) + name
        central = struct.pack("<IHHHHHHIIIHHHHHI", 0x02014B50, 20, 20, flags, self.method, _DOS_TIME, _DOS_DATE,
                              self.crc, len(self.data), self.size, len(name), 0, 0, 0, 0, 0)
        return local, central, name


def _deflated(name: str, raw: bytes) -> _Entry:
    if len(raw) < _STORED_BELOW:
        return _Entry(name, zipfile.ZIP_STORED, zlib.crc32(raw), len(raw), raw)
    comp = zlib.compressobj(_LEVEL, zlib.DEFLATED, -_WINDOW, _MEMORY)
    return _Entry(name, zipfile.ZIP_DEFLATED, zlib.crc32(raw), len(raw), comp.compress(raw) + comp.flush())


def zip_bytes(entries: list[_Entry]) -> bytes:
    """A zip archive of ``entries`` (already compressed), in order."""
    out: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for e in entries:
        local, record, name = e.records
        out += (local, e.data)
        central += (record, struct.pack("<I", offset), name)
        offset += len(local) + len(e.data)
    directory = b"".join(central)
    out += (directory, struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory),
                                   offset, 0))
    return b"".join(out)


def _raw_entries(package: bytes) -> list[_Entry]:
    """The entries of a zip as stored (compressed bytes untouched)."""
    entries = []
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        for info in zf.infolist():
            start = info.header_offset
            name_len, extra_len = struct.unpack("<HH", package[start + 26:start + 30])
            begin = start + 30 + name_len + extra_len
            entries.append(_Entry(info.filename, info.compress_type, info.CRC, info.file_size,
                                  package[begin:begin + info.compress_size]))
    return entries


def _after_jinja(xml: str) -> bytes:
    """docxtpl's post-processing of a rendered part (``render_xml_part``), encoded in UTF-8.  The ASCII
    replacements are made on the UTF-8 bytes (where an ASCII character is a byte of its own, so they change
    exactly what they change in the text), several times faster than on text with Vietnamese letters."""
    data = _P_NEWLINE.sub(b"", xml.encode("utf-8"))     # docxtpl: \n<w:p([ >]) → <w:p\1 (one pass)
    if b"_" in data and (b"{_" in data or b"_}" in data):       # each of the four has one of them
        data = data.replace(b"{_{", b"{{").replace(b"}_}", b"}}").replace(b"{_%", b"{%").replace(b"%_}", b"%}")
    if b"\n" in data or b"\t" in data or b"\a" in data or b"\f" in data:   # in text they become Word runs
        from docxtpl import DocxTemplate

        data = DocxTemplate.resolve_listing(None, data.decode("utf-8")).encode("utf-8")
    return data


def _strict_parse(xml: str | bytes, parser=_STRICT):
    try:
        return etree.fromstring(xml.encode("utf-8") if isinstance(xml, str) else xml, parser)
    except etree.XMLSyntaxError as exc:
        raise _Malformed(str(exc)) from None


class _Malformed(Exception):
    pass


class _Unsupported(Exception):
    pass


def fix_tables(tree) -> None:
    """docxtpl's ``fix_tables`` on a parsed body: a ``{%tc %}`` loop may leave rows with more or fewer cells
    than the table grid has columns; the grid is widened or narrowed keeping the table's width."""
    for t in tree.iter(_W + "tbl"):
        grid = t.find(_W + "tblGrid")
        columns = grid.findall(_W + "gridCol")
        to_add = 0
        for r in t.iter(_W + "tr"):
            cells = r.findall(_W + "tc")
            if len(columns) + to_add < len(cells):
                to_add = len(cells) - len(columns)
        if to_add > 0:
            width = sum(float(c.get(_W + "w")) for c in columns if c.get(_W + "w") is not None)
            if width > 0:
                old_average, new_average = width / len(columns), width / (len(columns) + to_add)
                for c in columns:
                    c.set(_W + "w", str(int(float(c.get(_W + "w")) * new_average / old_average)))
                for _ in range(to_add):
                    etree.SubElement(grid, _W + "gridCol", {_W + "w": str(int(new_average))})
        columns = grid.findall(_W + "gridCol")
        widest = 0
        for r in t.iter(_W + "tr"):
            span = 0
            for cell in r.findall(_W + "tc"):
                pr = cell.find(_W + "tcPr")
                gs = None if pr is None else pr.find(_W + "gridSpan")
                span += int(gs.get(_W + "val")) if gs is not None else 1
            widest = max(widest, span)
        to_remove = len(columns) - widest
        if to_remove > 0:
            removed = 0.0
            for c in columns[-to_remove:]:
                removed += float(c.get(_W + "w"))
                grid.remove(c)
            left = grid.findall(_W + "gridCol")
            extra = int(removed / len(left)) if left else 0
            for c in left:
                c.set(_W + "w", str(int(float(c.get(_W + "w")) + extra)))


def _grid_needs_fixing(body_source: str) -> bool:
    tree = _strict_parse(body_source)
    before = etree.tostring(tree)
    fix_tables(tree)
    return etree.tostring(tree) != before


class _Part:
    """One templated part: its compiled Jinja template and how its output becomes the part's bytes."""

    def __init__(self, name: str, source: str, finish: Callable[[bytes], bytes]):
        self.name = name
        self.source = _P_OPEN.sub(r"\n<w:p\1", source)
        self.finish = finish
        try:
            self.template = _render._XML_ENV.from_string(self.source)
        except Exception as exc:  # noqa: BLE001 - described like docxtpl's errors
            raise self._located(exc) from None
        self.constant: _Entry | None = None
        if not _JINJA.search(self.source):       # no tag at all: the same bytes for every document
            self.constant = _deflated(name, self.finish(_after_jinja(self.template.render({}))))

    def __getstate__(self) -> dict:        # kept between runs (docgen.compiled): compiled again when read back
        return {k: v for k, v in self.__dict__.items() if k != "template"}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self.template = _render._XML_ENV.from_string(self.source)

    def _located(self, exc: Exception) -> Exception:
        lineno = getattr(exc, "lineno", None)
        if lineno is not None:
            start = max(lineno - 4, 0)
            exc.docx_context = [re.sub(r"<[^>]+>", "", x) for x in self.source.splitlines()[start:start + 7]]
        return exc

    def _rendered(self, context: dict[str, Any]) -> str:
        try:
            return self.template.render(context)
        except Exception as exc:  # noqa: BLE001
            raise self._located(exc) from None

    def entry(self, context: dict[str, Any]) -> _Entry:
        if self.constant is not None:
            return self.constant
        return _deflated(self.name, self.finish(_after_jinja(self._rendered(context))))


class _PiecedPart(_Part):
    """The document part of a template whose body is made in pieces (:mod:`docgen.pieces`); a body the pieces
    cannot make is made whole, as :class:`_Part` does."""

    def cut(self, made: "pieces.Pieces", document: "_Document", whole: _Part) -> None:
        self.pieces, self.document, self.whole = made, document, whole

    def entry(self, context: dict[str, Any]) -> _Entry:
        if self.constant is not None:
            return self.constant
        body = self.pieces.body(self._rendered(context), _after_jinja)
        if body is None:                   # the template without markers, as the whole-body path renders it
            return self.whole.entry(context)
        return _deflated(self.name, self.document.around(body))


class _LayOutPieces:
    """What the whole-body path does to a body (:class:`_FinishBody`), on pieces of it, with the text width of
    the document's last section; returns their rule paragraphs at the top level."""

    def __init__(self, styles: layout.Styles, has_tables: bool, width: int) -> None:
        self.styles, self.has_tables, self.width = styles, has_tables, width

    def __call__(self, body) -> list:
        if self.has_tables:
            fix_tables(body)
        rules = layout.rule_paragraphs(body, self.styles)
        layout.apply_body(body, self.styles, self.width, rules)
        return [p for p in rules if p.getparent() is body]


class _FinishBody:
    """The document part from a rendered body: docxtpl's table grid fix and drawing ids, the layout step of
    docgen.render, python-docx's serialisation."""

    def __init__(self, styles: layout.Styles, document: "_Document", has_tables: bool, has_drawings: bool):
        self.styles, self.document, self.has_tables, self.has_drawings = styles, document, has_tables, has_drawings

    def __call__(self, xml: bytes) -> bytes:
        body = _strict_parse(xml)
        if self.has_tables:
            fix_tables(body)
        if self.has_drawings:
            for i, elt in enumerate(body.iter(_DOC_PR), start=1001):     # docxtpl: //wp:docPr of the body
                elt.attrib["id"] = str(i)
        layout.apply_body(body, self.styles)           # what docgen.render does after docxtpl
        return self.document.serialised(body)


class _FinishHeader:
    """A header or footer as python-docx writes it (parsed without blank text, serialised)."""

    def __call__(self, xml: bytes) -> bytes:
        from docx.opc.oxml import serialize_part_xml
        from docx.oxml.parser import parse_xml

        return serialize_part_xml(parse_xml(xml))


class _FinishFootnotes:
    """Footnotes as rendered (docxtpl writes them as they come), once they are well formed."""

    def __call__(self, xml: bytes) -> bytes:
        _strict_parse(xml)
        return xml


class PreparedTemplate:
    """A .docx template read once; :meth:`render` makes the bytes of one document."""

    def __init__(self, path: Path, data: bytes | None = None):
        self.path = path                      # ``data``: its bytes, when already read
        self.fallback: str | None = None      # why plain docxtpl renders this template (None: fast path)
        self._slots: list[_Entry | _Part | str] = []   # "core": the core properties part
        try:
            self._prepare(data)
        except _Unsupported as exc:
            self.fallback = str(exc)
        except Exception as exc:  # noqa: BLE001 - a broken template: the message docxtpl's path would give
            raise _render.template_error(exc, path) from exc

    # ------------------------------------------------------------------ preparing
    def _prepare(self, data: bytes | None) -> None:
        from docx import Document
        from docx.oxml.parser import parse_xml

        doc = Document(str(self.path) if data is None else io.BytesIO(data))
        core_props = doc.core_properties            # docxtpl touches it: a package without one gets one
        self._styles = layout.Styles(doc.styles.element)    # so does the layout step (a package without styles
        #                                                     gets them); its lookups belong to this template
        base = io.BytesIO()
        doc.save(base)                              # python-docx's serialisation of every part, once
        parts: dict[str, Callable[[], _Part]] = {}

        body_name = doc.part.partname.membername
        if len(doc.element.findall(_W + "body")) != 1:
            raise _Unsupported("phần văn bản chính có nhiều hơn một w:body")
        body_source = etree.tostring(doc.element.body, encoding="unicode")
        self._document = _Document(doc.element, body_source)
        parts[body_name] = lambda: self._body_part(body_name, body_source)

        for rel in doc.part.rels.values():
            if rel.reltype in (_HEADER, _FOOTER) and not rel.is_external and rel.target_part.blob:
                name = rel.target_part.partname.membername
                source = etree.tostring(parse_xml(rel.target_part.blob), encoding="unicode")
                parts[name] = lambda n=name, s=source: _Part(n, _render.patched_xml(s), _FinishHeader())

        sections = len(doc.sections)
        for part in doc.part.package.iter_parts():
            if part.content_type != _FOOTNOTES or sections == 0:
                continue
            source = _render.patched_xml(part.blob.decode("utf-8"))
            if sections > 1 and _JINJA.search(source):
                raise _Unsupported(f"chú thích cuối trang có thẻ mẫu trong mẫu nhiều section ({sections})")
            name = part.partname.membername
            parts[name] = lambda n=name, s=source: _Part(n, s, _FinishFootnotes())

        core_part = doc.part.package._core_properties_part
        core_name = core_part.partname.membername
        self._core = _CoreProperties(core_props._element)
        self._core.bind(core_name)

        for entry in _raw_entries(base.getvalue()):
            if entry.name in parts:
                self._slots.append(parts[entry.name]())
            elif entry.name == core_name:
                self._slots.append(self._core.constant or "core")
            else:
                self._slots.append(entry)

    def _body_part(self, name: str, body_source: str) -> "_Part":
        """The document part: rendered in pieces (:mod:`docgen.pieces`) when its body can be cut."""
        finish = self._document_xml(body_source)
        splice = self._document.splice
        marked = pieces.mark(body_source, self._styles.rules) if splice is not None else None
        plain = _render.patched_xml(body_source)
        whole = _Part(name, plain, finish)
        if marked is not None:
            patched = _render.patched_xml(marked.source)
            if patched.replace(marked.mark, "") == plain:
                part = _PiecedPart(name, patched, finish)
                if pieces.marks_only_in_text(_render._XML_ENV, part.source, marked.mark):
                    width = self._styles.text_width_of(_strict_parse(body_source))
                    part.cut(pieces.Pieces(marked, _LayOutPieces(self._styles, finish.has_tables, width)),
                             self._document, whole)
                    return part
        return whole

    def _document_xml(self, body_source: str) -> "_FinishBody":
        has_tables = "<w:tbl" in body_source and (_CELL_TAGS.search(body_source) is not None
                                                  or _grid_needs_fixing(body_source))
        return _FinishBody(self._styles, self._document, has_tables, "docPr" in body_source)

    # ------------------------------------------------------------------ rendering
    def render(self, context: dict[str, Any]) -> bytes:
        """The .docx of one document; raises :class:`TemplateError` naming the template and the place."""
        return self.render_sized(context)[0]

    def render_sized(self, context: dict[str, Any]) -> tuple[bytes, int]:
        """The .docx of one document and the size of its parts once inflated."""
        if self.fallback is not None:
            from .limits import inflated_size

            data = _render.render(self.path, context)
            return data, inflated_size(data)
        entries = []
        try:
            for slot in self._slots:
                if isinstance(slot, _Entry):
                    entries.append(slot)
                elif isinstance(slot, _Part):
                    entries.append(slot.entry(context))
                else:
                    entries.append(self._core.entry(context))
        except _Malformed as exc:
            raise TemplateError(f'Mẫu "{self.path.name}" tạo ra văn bản không hợp lệ (XML sai cấu trúc: {exc}). '
                                "Kiểm tra các thẻ {%p %}, {%tr %}, {%tc %} của mẫu.") from None
        except (TemplateError, MemoryError):
            raise
        except Exception as exc:  # noqa: BLE001
            raise _render.template_error(exc, self.path) from exc
        return zip_bytes(entries), sum(e.size for e in entries)


class _Document:
    """The document part around its body.  python-docx writes ``w:document`` with the rendered body moved into
    it: the body's namespace declarations, already made by the document element, are dropped and the rest is
    written as it stands.  So the part is the document element's bytes up to the body (``head``), the body's
    start tag as it reads in the document (``start_in_document``), the body written alone after its start tag,
    and the rest (``tail``) — spliced without moving the body, once the template's own body has been shown to
    come out that way and a rendered body starts with the same start tag (same declarations, same attributes:
    the same ones are dropped).  Otherwise the body is moved into a copy of the document element."""

    def __init__(self, element, body_source: str) -> None:
        root = copy.deepcopy(element)
        self.at = list(root).index(root.body)
        root.replace(root[self.at], etree.Element("body-placeholder"))
        self.skeleton = root
        self.splice: tuple[bytes, bytes, bytes, bytes] | None = None
        whole = etree.tostring(root, encoding="UTF-8", standalone=True)
        if whole.count(_PLACEHOLDER) == 1:
            head, tail = whole.split(_PLACEHOLDER)
            self.splice = self._starts(_strict_parse(body_source), head, tail)

    def _starts(self, body, head: bytes, tail: bytes) -> tuple[bytes, bytes, bytes, bytes] | None:
        alone = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
        start = alone[:alone.index(b">") + 1]
        declared = self.skeleton.nsmap
        for prefix, href in body.nsmap.items():       # a dropped declaration must leave the prefix as written
            if [p for p, h in declared.items() if h == href] not in ([], [prefix]):
                return None
        moved = self._moved(body)
        if start.endswith(b"/>") or not (moved.startswith(head) and moved.endswith(tail)):
            return None
        middle = moved[len(head):len(moved) - len(tail)]
        start_in_document = middle[:middle.index(b">") + 1]
        if middle != start_in_document + alone[len(start):]:
            return None
        return head, start, start_in_document, tail

    def _moved(self, body) -> bytes:
        root = copy.deepcopy(self.skeleton)
        root.replace(root[self.at], body)
        return etree.tostring(root, encoding="UTF-8", standalone=True)

    def __getstate__(self) -> dict:        # kept between runs: the skeleton as bytes
        return {"at": self.at, "splice": self.splice, "skeleton": _element_state(self.skeleton)}

    def __setstate__(self, state: dict) -> None:
        self.at, self.splice, self.skeleton = state["at"], state["splice"], _element_from(state["skeleton"])

    def around(self, rest: bytes) -> bytes:
        """The document part with a body written alone, after its start tag, as ``rest``."""
        head, _, start_in_document, tail = self.splice
        return b"".join((head, start_in_document, rest, tail))

    def serialised(self, body) -> bytes:
        """The document part with ``body`` (a rendered ``w:body``, the root of its own tree) in it."""
        if self.splice is not None:
            head, start, start_in_document, tail = self.splice
            alone = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
            if alone.startswith(start):
                return b"".join((head, start_in_document, memoryview(alone)[len(start):], tail))
        return self._moved(body)


def _element_state(element) -> tuple[bytes, list[int]]:
    """An element as bytes, with the places of its elements whose text is "" rather than none (lxml writes
    ``<a></a>`` for one and ``<a/>`` for the other, and reads both back as none)."""
    return etree.tostring(element), [i for i, e in enumerate(element.iter()) if e.text == ""]


def _element_from(state: tuple[bytes, list[int]]):
    element = _strict_parse(state[0])
    empty = set(state[1])
    for i, e in enumerate(element.iter()):
        if i in empty:
            e.text = ""
    return element


def _serialize_part(element) -> bytes:
    """python-docx's serialisation of a part (``docx.opc.oxml.serialize_part_xml``)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


class _CoreProperties:
    """docxtpl renders six core properties as plain text (cut at 255 characters) and sets each, adding the
    element when missing.  Properties without a tag are set once; the others per document, in a working copy
    of the part (one process renders one document at a time): python-docx's setter adds the element once
    (here, at preparing) and then only sets its text, which is what a document's render does directly."""

    def __init__(self, element):
        from docx.opc.coreprops import CoreProperties

        initial = CoreProperties(element)
        env = _render._Truncating(_render._TEXT_ENV)
        self.sources = {prop: getattr(initial, prop) for prop in _PROPERTIES}
        templates = {prop: env.from_string(src) for prop, src in self.sources.items()}
        self.tagged = [prop for prop, src in self.sources.items() if _JINJA.search(src)]
        self.element = copy.deepcopy(element)
        props = CoreProperties(self.element)
        for prop, template in templates.items():         # docxtpl's order: the elements it adds come in it
            setattr(props, prop, template.render({}) if prop not in self.tagged else "")
        self.texts = [(getattr(self.element, _ELEMENTS.get(prop, prop)), templates[prop]) for prop in self.tagged]
        self.part_name = ""
        self.constant: _Entry | None = None
        self._combine()

    def __getstate__(self) -> dict:        # kept between runs: the part as bytes, each tagged element by place
        children = list(self.element)
        return {"sources": self.sources, "tagged": self.tagged, "element": _element_state(self.element),
                "places": [children.index(element) for element, _ in self.texts], "part_name": self.part_name,
                "constant": self.constant}

    def __setstate__(self, state: dict) -> None:
        env = _render._Truncating(_render._TEXT_ENV)
        self.sources, self.tagged = state["sources"], state["tagged"]
        self.element = _element_from(state["element"])
        self.texts = [(self.element[place], env.from_string(self.sources[prop]))
                      for place, prop in zip(state["places"], self.tagged)]
        self.part_name, self.constant = state["part_name"], state["constant"]
        self._combine()

    def bind(self, name: str) -> None:
        self.part_name = name
        if not self.tagged:
            self.constant = _deflated(name, _serialize_part(self.element))

    def _combine(self) -> None:
        """The tagged properties as one template, separated by a character no property can hold (illegal in
        XML, dropped from every printed value): one render per document instead of one per property."""
        self.together = None
        if len(self.tagged) > 1 and not any(_SEPARATOR in self.sources[p] for p in self.tagged):
            self.together = _render._TEXT_ENV.from_string(_SEPARATOR.join(self.sources[p] for p in self.tagged))

    def entry(self, context: dict[str, Any]) -> _Entry:
        if self.constant is not None:
            return self.constant
        texts = self.together.render(context).split(_SEPARATOR) if self.together is not None else []
        if len(texts) == len(self.texts):
            for (element, _), text in zip(self.texts, texts):
                element.text = _render.cut_property(text)
        else:
            for element, template in self.texts:
                element.text = template.render(context)  # at most 255 characters: python-docx's check holds
        return _deflated(self.part_name, _serialize_part(self.element))


_CACHE: dict[tuple[str, int, int], PreparedTemplate] = {}


def prepare(path: str | Path) -> PreparedTemplate:
    """The prepared form of ``path``, made once per process (again if the file changes), and kept between runs
    (:func:`docgen.compiled.kept_object`, under a hash of the template's bytes and of docgen's code): a later
    build reads it back instead of opening the template with python-docx again."""
    from . import compiled

    path = Path(path)
    try:
        st = os.stat(path)
        key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
        prepared = _CACHE.get(key)
        data = path.read_bytes() if prepared is None else b""
    except OSError as exc:
        raise TemplateError(f'Không đọc được mẫu "{path.name}": {exc.strerror}.') from None
    if prepared is None:
        prepared = compiled.kept_object("prepared", data, lambda: PreparedTemplate(path, data),
                                        lambda made: made.fallback is None)
        prepared.path = path                 # where it is now (a clerk's template is copied anew each build)
        if len(_CACHE) >= 32:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = prepared
    return prepared
