"""Rendering a batch of documents: one at a time, in order, handed to a sink as soon as each is made.

Every document is rendered in a limited child process (:class:`docgen.limits.Worker`, the time, memory and
output limits of every render of a template): one for a small batch, one per core for a large one
(``jobs``).  Each worker makes the context of the documents it is given and renders them with its prepared
templates (:mod:`docgen.prepared`) and writes it straight into the build's staging folder (``out.path``); the
parent takes each file into the set (``out.adopt``) as its worker reports it, in plan order.  No document
passes through the parent: memory stays flat in the number of candidates, the parent's core is free for
rendering, and a parallel build writes the same files with the same bytes as a serial one.  A limit exceeded is a
:class:`TemplateError` naming the template and the document.
"""
from __future__ import annotations

import os
from collections import deque
from pathlib import Path
from typing import Protocol, Sequence

from . import prepared
from .errors import TemplateError
from .limits import LimitExceeded, Limits, Worker, limit_message, render_prepared
from .progress import RENDER, WRITE, ProgressCallback, emit



class Staging(Protocol):
    """Where the documents go (:class:`docgen.write.StagedOutput`)."""

    def path(self, rel) -> Path: ...

    def adopt(self, rel, size: int | None = None) -> None: ...

PARALLEL_FROM = 40              # fewer documents: starting workers costs more than it saves
_IN_FLIGHT = 8                  # documents sent ahead to each worker (it does not wait while the parent writes)


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:      # not on Linux
        return max(1, os.cpu_count() or 1)


def choose_jobs(requested: int | None, documents: int) -> int:
    """``--jobs``: None → every core for a large batch, one process for a small one."""
    if requested is not None:
        return max(1, requested)
    return cores() if documents >= PARALLEL_FROM else 1


# ---------------------------------------------------------------------------------- in a worker
_STATE: dict = {}               # the batch: inherited when the worker is forked, sent when it is spawned
_READY: dict[Path, "prepared.PreparedTemplate"] = {}   # this batch's prepared templates, by path


def _job(command: str, payload):
    """What a batch worker runs: ``("state", batch)`` once in a spawned worker, ``("render", (index, target))``
    per document: render it, write it at ``target``, answer its size."""
    if command == "state":
        from . import assemble

        _STATE.clear()
        _STATE.update(payload)
        assemble._SHARED = {}   # this process lives for one batch: base contexts made once
        return None
    return _render_index(payload)


def _fallback_note(path: Path, ready: "prepared.PreparedTemplate") -> str:
    if not ready.fallback:
        return ""
    return f'Mẫu "{path.name}": tạo bằng docxtpl thông thường (chậm hơn) vì {ready.fallback}.'


def _render_index(job: tuple[int, str]) -> tuple[int, str]:
    from .write import write_staged

    index, target = job
    state = _STATE
    if "specs" not in state:    # spawned: plan again from the campaign sent (same plan, same order)
        from . import assemble

        state["specs"] = assemble.plan_specs(state["campaign"], state["evaluation"], only=state["only"],
                                             today=state["today"])
    template = state["templates"][index]
    ready = _READY.get(template)
    if ready is None:
        ready = _READY[template] = prepared.prepare(template)
    data = render_prepared(ready, state["specs"][index].context(), state["output_mb"])
    write_staged(Path(target), data)
    return len(data), _fallback_note(template, ready)


# ---------------------------------------------------------------------------------- the batch
def render_batch(specs: Sequence, templates: Sequence[Path], outputs: Sequence, out: Staging, *,
                 jobs: int = 1, progress: ProgressCallback | None = None, limits: Limits | None = None,
                 files: int | None = None, planning: dict | None = None) -> list[str]:
    """Render ``specs[i]`` with ``templates[i]`` into ``out`` as ``outputs[i]``, in order.
    ``files``: the files of the whole build (for the progress of writing); ``planning``: campaign,
    evaluation, only, today — what a spawned worker needs to plan the same specs.  Returns notes for
    ``--verbose`` (which templates fell back to plain docxtpl, how many processes rendered)."""
    from .assemble import shared_base_contexts

    from .resources import builtin_templates_dir

    limits = limits or Limits.from_env()
    notes: dict[str, None] = {}
    _READY.clear()
    builtin = builtin_templates_dir().resolve()
    for path in dict.fromkeys(templates):
        # the built-in templates are prepared once here (forked workers inherit them); a clerk's template is
        # compiled only in the limited workers (Jinja evaluates constant expressions when it compiles)
        if Path(path).resolve().parent == builtin:
            _READY[path] = prepared.prepare(path)
    jobs = max(1, min(jobs, len(specs)))
    state = {"specs": list(specs), "templates": list(templates), "output_mb": limits.output_mb,
             **(planning or {})}
    try:
        with shared_base_contexts():
            _run(specs, templates, outputs, out, jobs, progress, limits, state,
                 files if files is not None else len(specs), notes)
    finally:
        _READY.clear()
        _STATE.clear()
    processes = "1 tiến trình" if jobs == 1 else f"song song trong {jobs} tiến trình"
    return list(notes) + [f"Đã tạo {len(specs)} văn bản ({processes}, mỗi văn bản tối đa {limits.seconds:g} giây, "
                    f"{limits.memory_mb} MB bộ nhớ)."]


def _run(specs, templates, outputs, out: Staging, jobs, progress, limits, state, files, notes: dict) -> None:
    total = len(specs)
    _STATE.clear()
    _STATE.update(state)                            # a forked worker starts with it
    spawned = {k: v for k, v in state.items() if k != "specs"}   # a spawned one is sent the rest
    workers = [Worker(_job, limits, setup=("state", spawned)) for _ in range(jobs)]
    pending: deque[int] = deque()
    queue = iter(range(total))

    def send() -> None:
        index = next(queue, None)
        if index is not None:
            try:
                workers[index % jobs].submit("render", (index, str(out.path(outputs[index]))))
            except LimitExceeded as exc:
                raise _limit(exc, index) from None
            pending.append(index)

    def _limit(exc: LimitExceeded, index: int) -> TemplateError:
        return TemplateError(limit_message(templates[index].name, exc, limits)
                             + f' (khi tạo "{outputs[index]}")')

    try:
        for _ in range(min(total, jobs * _IN_FLIGHT)):
            send()
        done = 0
        while pending:
            index = pending.popleft()
            try:
                size, note = workers[index % jobs].collect()   # each worker answers in the order it was asked
            except LimitExceeded as exc:
                raise _limit(exc, index) from None
            if note:
                notes[note] = None
            send()
            done += 1
            emit(progress, RENDER, done, total, specs[index].title)
            out.adopt(outputs[index], size)
            emit(progress, WRITE, done, files, str(outputs[index]))
    finally:
        for worker in workers:
            worker.close()
