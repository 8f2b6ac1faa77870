"""The progress bar of ``docgen build`` on a terminal (tqdm, on stderr); silent when stderr is not a terminal
(a script, a log file, the test runner) or with ``--quiet``.  It only listens to the build's
:class:`docgen.progress.ProgressEvent` — the same events the web app shows."""
from __future__ import annotations

import sys

from .progress import PDF, RENDER, ProgressEvent

_LABELS = {RENDER: "Tạo văn bản", PDF: "Xuất PDF"}
SHOW_FROM = 20           # smaller builds finish before a bar is worth drawing


class TerminalProgress:
    def __init__(self, *, enabled: bool = True, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = enabled and _is_terminal(self.stream)
        self._bar = None
        self._stage = ""

    def __enter__(self) -> "TerminalProgress":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def update(self, event: ProgressEvent) -> None:
        if not self.enabled or event.stage not in _LABELS or event.total < SHOW_FROM and event.stage == RENDER:
            return
        if event.stage != self._stage:
            self.close()
            from tqdm import tqdm

            self._stage = event.stage
            self._bar = tqdm(total=event.total, desc=_LABELS[event.stage], unit=" tệp", file=self.stream,
                             leave=False, dynamic_ncols=True)
        if self._bar is not None:
            self._bar.update(event.done - self._bar.n)
            if event.label:
                self._bar.set_postfix_str(event.label[-40:], refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        self._stage = ""


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
