"""What every rule module shares: the :class:`Context` a check reads and the :class:`Collector` it reports to.

A check is a function ``check(ctx: Context) -> None`` that looks at one part of the document (through
``ctx.layout``) and calls ``ctx.out.add(code, message, where, text)``.  Codes are those of
:data:`docgen.nd30.report.RULES`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..document import Document, Paragraph, Table
from ..layout import Layout
from ..lines import excerpt
from ..report import RULES, Finding


@dataclass
class _Group:
    finding: Finding
    wheres: list[str] = field(default_factory=list)


class Collector:
    """Collects findings; grouped findings keep the first place and list the others in the message.

    Findings that repeat on many paragraphs for the same reason (a style that is 12 pt, a font) are given
    a ``group`` key and reported once, at the place of the first, with the list of places.
    """

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


@dataclass
class Context:
    """One run of the checker over one document."""

    doc: Document
    layout: Layout
    given_type: str | None                   # the type asked for (--loai), or None
    doc_type: str | None                     # the type the rules apply: given, else inferred from the title
    out: Collector = field(default_factory=Collector)
    typed_reported: set[int] = field(default_factory=set)   # id() of paragraphs already reported RULE-TYPED

    @property
    def blocks(self) -> list[Paragraph | Table]:
        return self.doc.blocks

    def body_paragraphs(self) -> list[Paragraph]:
        lay = self.layout
        return [b for b in self.blocks[lay.body_start: lay.sig_start] if isinstance(b, Paragraph)]


Check = Callable[[Context], None]
