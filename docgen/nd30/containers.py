"""Containers: ordered runs of lines that a reader takes together (a table column, the top paragraphs, a
text box).  The header of a document and its signature block are read container by container.
"""
from __future__ import annotations

from dataclasses import dataclass

from .document import Line, Paragraph, Table
from .lines import pieces

TOP = "đầu văn bản"


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
    top = Container(TOP, [])
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
            if c.name == TOP:
                c.name = f"khung văn bản ({p.where})"
        out.extend(inner)
    return out
