"""Progress of a build, for whoever shows it (the web app's progress bar; later the CLI).

:func:`docgen.build.build` accepts ``progress=callback`` and calls it with one :class:`ProgressEvent` per
rendered document, per written file and around the PDF export.  The callback runs in the building thread
and must be quick; an exception it raises stops the build like any other error.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

RENDER = "render"     # a document rendered in memory (label: its title)
WRITE = "write"       # a file written to the output folder (label: its path, POSIX)
PDF = "pdf"           # PDF export: done=0 before LibreOffice starts, done=total when every PDF exists

STAGES = (RENDER, WRITE, PDF)


@dataclass(frozen=True)
class ProgressEvent:
    stage: str        # one of STAGES
    done: int         # items of this stage finished so far (1-based count after each item)
    total: int        # items of this stage in this build
    label: str = ""   # what was just done, for people


ProgressCallback = Callable[[ProgressEvent], None]


def emit(callback: ProgressCallback | None, stage: str, done: int, total: int, label: str = "") -> None:
    """Call ``callback`` when there is one (builds without a listener pay nothing)."""
    if callback is not None:
        callback(ProgressEvent(stage, done, total, label))
