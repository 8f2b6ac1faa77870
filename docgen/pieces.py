"""A document body made in pieces: each piece parsed, laid out and serialised once per distinct text.

Most of a Báo cáo thành tích comes out the same in every document of a campaign — the heading table, the
titles, the section headings, the signatures, the page set-up — and only a few paragraphs and tables carry the
candidate.  The fast path (:mod:`docgen.prepared`) parses every rendered body, lays it out
(:func:`docgen.layout.apply_body`) and serialises it again, which is most of a document's cost.  Here the
template's body gets a marker between its top-level elements — an XML processing instruction with a random
name drawn when the template is prepared (:func:`new_mark`): escaped data cannot spell it, unescaped data
cannot guess it; a rendered body is cut at the markers and each piece is parsed, laid out and serialised the
first time its bytes are seen, then taken from memory.

The body made from the pieces is the one the whole-body path makes, byte for byte, because the pieces are
only used when

- the markers stand between top-level elements of the template and only in its literal text (Jinja's own
  lexer says so), inside no block but ``for`` and ``if`` (whose output is the literal text as it stands), and
  docxtpl's clean-up of the template gives the same source with or without them;
- after rendering, no marker follows a character that docxtpl's post-processing could join with what comes
  after it once the marker is gone (``\\n<w:p``, ``{_{``, ``}_}``, ``{_%``, ``%_}``), and the text holds no
  ``]]>``; its other changes (listing characters inside ``w:t``) stay inside elements;
- every piece is well-formed on its own inside the body's start and end tags (so the whole is, with the same
  elements): pieces first seen together are parsed side by side, every marker a child of the body;
- the layout step sees in a piece all it would see in the whole body: list tables and the rules inside table
  cells are local to their table; the rules at the top level look back at the paragraphs before them, so no
  marker stands before the last top-level element with a rule style, and a body whose rule paragraph comes
  out at the top level of a later piece (or of a piece laid out after another) is made whole, nothing of it
  remembered; the width of the text comes from the last section,
  which is the template's own final ``w:sectPr`` (checked in every body);
- the template has no drawings (their ids are numbered through the whole body), and has tags (a body without
  any is made once and copied into every document).

Anything else is made by the whole-body path (the template without markers).  tests/test_pieces.py and
tests/test_fast_path_edges.py check both paths give docxtpl's bytes.
"""
from __future__ import annotations

import re
from typing import Callable, NamedTuple

from lxml import etree

_TARGET = "docgen-piece-"


def new_mark() -> str:
    """A marker of pieces: a processing instruction no template or data holds."""
    import secrets

    return f"<?{_TARGET}{secrets.token_hex(8)}?>"


_END = b"</w:body>"
_TOKEN = re.compile(r"<!--.*?-->|<\?.*?\?>|<(/?)[^\s/>]+(?:\s[^>]*?)?(/?)>", re.S)
_JINJA = re.compile(r"\{[{%#]")
_BLOCKS = frozenset({"for", "endfor", "if", "elif", "else", "endif"})
# A marker after one of these characters: with the marker gone, docxtpl's post-processing could see a
# pattern it changes across the join.
_JOINING = "\n{_}%"


def _joined(mark_: str) -> "re.Pattern[str]":
    """A marker right after one of ``_JOINING``, in a rendered body."""
    return re.compile("[" + re.escape(_JOINING) + "]" + re.escape(mark_))
_STRICT = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_KEPT_BYTES = 8 * 1024 * 1024          # pieces remembered per template (bytes of text and result)
_W_STYLE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}pStyle"
_W_VAL = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val"


def _children(body_source: str) -> tuple[int, list[tuple[int, int]], int] | None:
    """In a body as lxml writes it: the end of its start tag, (start, end) of each top-level child, the start
    of its end tag; None when it cannot be read that way."""
    depth = 0
    opened = None
    children: list[tuple[int, int]] = []
    start_end = None
    for m in _TOKEN.finditer(body_source):
        token = m.group(0)
        if token.startswith(("<!--", "<?")):
            if depth == 1:
                children.append((m.start(), m.end()))
            continue
        closing, empty = m.group(1) == "/", m.group(2) == "/"
        if depth == 0:
            if closing or empty or start_end is not None:
                return None
            depth, start_end = 1, m.end()
        elif closing:
            depth -= 1
            if depth == 1:
                children.append((opened, m.end()))
            elif depth == 0:
                return start_end, children, m.start()
        elif empty:
            if depth == 1:
                children.append((m.start(), m.end()))
        else:
            if depth == 1:
                opened = m.start()
            depth += 1
    return None


class Marked(NamedTuple):
    source: str        # the body source with the markers
    mark: str          # the marker (:func:`new_mark`)
    start: bytes       # the piece before the first marker: the body's start tag
    last: bytes        # the piece before the last marker: the final w:sectPr
    wrapper: bytes     # a start tag declaring only the prefixes the body uses: pieces are parsed inside it


_PREFIXED = re.compile(r"</?([A-Za-z_][\w.-]*):|\s([A-Za-z_][\w.-]*):[\w.-]+=")
_DECLARED = re.compile(r'\sxmlns(?::([A-Za-z_][\w.-]*))?="[^"]*"')


def _wrapper(start: str, source: str) -> bytes:
    """The body's start tag with only the namespace declarations of the prefixes ``source`` uses (and a default
    one): parsing a piece in it makes the same children, written the same way (a prefix it lacks is a parse
    error, and the body is made whole)."""
    used = {a or b for a, b in _PREFIXED.findall(source)}
    kept = [m.group(0) for m in _DECLARED.finditer(start) if m.group(1) is None or m.group(1) in used]
    return ("<w:body" + "".join(kept) + ">").encode("utf-8")


def mark(body_source: str, rule_styles) -> Marked | None:
    """``body_source`` (a template's ``w:body`` as lxml writes it) with a new marker after its start tag,
    between its top-level elements from the last one with a paragraph of a ``rule_styles`` style on, before
    its final ``w:sectPr`` and before its end tag; None when the body cannot be cut (see the module)."""
    found = _children(body_source)
    if (found is None or not body_source.startswith("<w:body") or _TARGET in body_source or "docPr" in body_source
            or not _JINJA.search(body_source)):
        return None                      # (a body without tags is made once, the same for every document)
    start_end, children, end_start = found
    body = etree.fromstring(body_source.encode("utf-8"), _STRICT)
    if len(body) != len(children) or len(body) < 2 or body[-1].tag != body.tag[:-4] + "sectPr":
        return None
    head = max([i for i, child in enumerate(body)
                if any(ps.get(_W_VAL) in rule_styles for ps in child.iter(_W_STYLE))], default=-1)
    cuts = [start_end] + [children[i][1] for i in range(max(head, 0), len(children) - 1)] + [end_start]
    pieces = [body_source[a:b] for a, b in zip([0, *cuts], [*cuts, len(body_source)])]
    if _JINJA.search(pieces[0]) or _JINJA.search(pieces[-2]) or "\n" in pieces[0] + pieces[-2]:
        return None
    mark_ = new_mark()
    marked = mark_.join(pieces)
    check = etree.fromstring(marked.encode("utf-8"), _STRICT)        # every marker a child of the body
    target = mark_[2:-2]
    if sum(1 for pi in check.iter(etree.ProcessingInstruction)
           if pi.target == target and pi.getparent() is check) != len(cuts):
        return None
    return Marked(marked, mark_, pieces[0].encode("utf-8"), pieces[-2].encode("utf-8"),
                  _wrapper(pieces[0], "".join(pieces[1:])))


def marks_only_in_text(env, source: str, mark_: str) -> bool:
    """Whether every marker ``mark_`` of a patched, marked template source is in its literal text, inside no
    block but ``for`` and ``if`` (by Jinja's lexer, as the template is compiled)."""
    in_text = 0
    expect_name = False
    try:
        for _, kind, value in env.lex(source):
            if expect_name and kind != "whitespace":
                if kind != "name" or value not in _BLOCKS:
                    return False
                expect_name = False
            if kind == "data":
                in_text += value.count(mark_)
            elif kind == "block_begin":
                expect_name = True
            elif kind in ("raw_begin", "linestatement_begin"):
                return False
    except Exception:  # noqa: BLE001 - a template Jinja cannot read: compiling it says why
        return False
    return in_text == source.count(mark_)


class Pieces:
    """The pieces of one template's bodies, remembered while a batch renders.  ``lay_out(body)``: the layout
    step on parsed pieces, returning their rule paragraphs at the top level; ``marked``: the template's
    :class:`Marked` (its marker, its first and next to last pieces as rendered, the wrapper of pieces)."""

    def __init__(self, marked: Marked, lay_out: Callable[[object], list]) -> None:
        self.mark = marked.mark
        self._mark = marked.mark.encode("ascii")
        self._target = marked.mark[2:-2]     # the processing instruction's name
        self.marked_start = marked.start
        self.wrapper = marked.wrapper
        self.last = marked.last
        self.lay_out = lay_out
        self._done: dict[bytes, bytes] = {b"": b""}     # a piece as rendered → as laid out and written
        self._top: set[bytes] = set()                   # those with a rule at the top level (see _make)
        self._kept = 0
        self._joined = _joined(marked.mark)

    def __getstate__(self) -> dict:        # kept between runs without the pieces of this run's documents
        return {**self.__dict__, "_done": {b"": b""}, "_top": set(), "_kept": 0}

    def body(self, rendered: str, after_jinja: Callable[[str], bytes]) -> bytes | None:
        """The rendered body written alone after its start tag (what the whole-body path makes of the
        rendered text with the markers removed), or None: that path must make it."""
        if self._joined.search(rendered) is not None:
            return None
        whole = after_jinja(rendered)
        if b"]]>" in whole:
            return None
        pieces = whole.split(self._mark)
        if len(pieces) < 3 or pieces[0] != self.marked_start or pieces[-1] != _END or pieces[-2] != self.last:
            return None
        middle = pieces[1:-1]
        done, top = self._done, self._top    # as they are now: _make may start them afresh
        missed = [p for p in middle if p not in done]
        if not missed:                       # most documents of a batch once it has run a while
            if top and not top.isdisjoint(middle[1:]):
                return None                  # a rule at the top level after a marker: it looks further back
            return b"".join([done[p] for p in middle]) + _END
        made = self._make(list(dict.fromkeys(missed)))
        if made is None:
            return None
        out = []
        for i, piece in enumerate(middle):
            inner, top_rule = (done[piece], piece in top) if piece in done else made[piece]
            if top_rule and i > 0:
                return None
            out.append(inner)
        out.append(_END)
        return b"".join(out)

    def _make(self, missed: list[bytes]) -> dict[bytes, tuple[bytes, bool]] | None:
        """Parse, lay out and serialise the pieces not seen yet, all at once: side by side in one body, with the
        markers between them.  Each piece must be well formed on its own (every marker a child of the body)
        and laid out as it would be alone: the layout step looks at each table and at each rule's own
        paragraphs, so a rule at the top level is laid out alone only in the first piece — found in another,
        nothing is remembered and the body is made whole."""
        try:
            body = etree.fromstring(self.wrapper + self._mark.join(missed) + _END, _STRICT)
        except etree.XMLSyntaxError:
            return None
        target = self._target
        marks = [pi for pi in body.iter(etree.ProcessingInstruction) if pi.target == target]
        if len(marks) != len(missed) - 1 or any(pi.getparent() is not body for pi in marks):
            return None
        top_rules = self.lay_out(body)
        for p in top_rules:
            if any(s.tag is etree.ProcessingInstruction and s.target == target
                   for s in p.itersiblings(preceding=True)):
                return None
        alone = etree.tostring(body, encoding="UTF-8", xml_declaration=False)
        cut = alone.find(b">") + 1            # the wrapper's start tag (a ">" in a value is written &gt;)
        if not (alone.startswith(b"<w:body") and alone.endswith(_END)) or alone[cut - 2:cut] == b"/>":
            return None
        inners = alone[cut:-len(_END)].split(self._mark)
        if len(inners) != len(missed):
            return None
        made = {piece: (inner, bool(top_rules) and i == 0) for i, (piece, inner) in enumerate(zip(missed, inners))}
        self._kept += sum(2 * len(piece) + 64 for piece in missed)
        if self._kept > _KEPT_BYTES:
            self._done, self._top = {b"": b""}, set()
            self._kept = 0
        self._done.update((piece, inner) for piece, (inner, _) in made.items())
        self._top.update(piece for piece, (_, top_rule) in made.items() if top_rule)
        return made
