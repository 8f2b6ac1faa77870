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

import math
import os
import select
import time
from collections import deque
from pathlib import Path
from typing import Callable, Protocol, Sequence

from .errors import TemplateError
from .limits import LimitExceeded, Limits, Worker, limit_message, render_prepared
from .progress import RENDER, WRITE, ProgressCallback, emit


class Staging(Protocol):
    """Where the documents go (:class:`docgen.write.StagedOutput`)."""

    def path(self, rel) -> Path: ...

    def adopt(self, rel, size: int | None = None) -> None: ...

PARALLEL_FROM = 40              # fewer documents: starting workers costs more than it saves
_IN_FLIGHT = 4                  # documents sent ahead to each worker (it never waits for the parent)
_AHEAD = 48                     # at the start, when the parent has work of its own meanwhile


def cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:      # not on Linux
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    """Whether workers started now are forked (cheap, and they share what is already loaded) rather than
    spawned (a process with threads: each worker is a new interpreter)."""
    from .limits import start_method

    return start_method() == "fork"


def choose_jobs(requested: int | None, documents: int) -> int:
    """``--jobs``: None → every core for a large batch, one process for a small one."""
    if requested is not None:
        return max(1, requested)
    return cores() if documents >= PARALLEL_FROM else 1


# ---------------------------------------------------------------------------------- in a worker
_STATE: dict = {}               # the batch: inherited when the worker is forked, sent when it is spawned
_READY: dict[Path, "prepared.PreparedTemplate"] = {}   # this batch's prepared templates, by path


def _job(command: str, payload):
    """What a batch worker runs: ``("warm", None)`` first in a worker started before the batch is known
    (:class:`Workers`), ``("state", batch)`` once in a worker that did not inherit the batch (pickled bytes or
    a dict), ``("render", (index, target))`` per document: render it, write it at ``target``, answer its size."""
    if command == "warm":
        _warm()
        return None
    if command == "state":
        import pickle

        from . import assemble

        _STATE.clear()
        _STATE.update(pickle.loads(payload) if isinstance(payload, bytes) else payload)
        assemble._SHARED = {}   # this process lives for one batch: base contexts made once
        return None
    return _render_index(payload)


def _warm() -> None:
    """Import the render stack and prepare the built-in templates of the per-candidate kinds (kept in
    :func:`docgen.prepared.prepare`'s cache), while the parent is still reading the workbook.  A template of
    one document per round is prepared by the worker that renders it: once, not once per worker (the cores
    are busy reading the workbook meanwhile)."""
    from . import prepared
    from .documents import REGISTRY
    from .resources import builtin_templates_dir

    folder = builtin_templates_dir()
    for name in dict.fromkeys(t for kind in REGISTRY if kind.per_candidate for t in kind.templates):
        if (folder / name).is_file():
            prepared.prepare(folder / name)


def _fallback_note(path: Path, ready: "prepared.PreparedTemplate") -> str:
    if not ready.fallback:
        return ""
    return f'Mẫu "{path.name}": tạo bằng docxtpl thông thường (chậm hơn) vì {ready.fallback}.'


def _render_index(job: tuple[int, str]) -> tuple[int, str]:
    from . import prepared
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
class Workers:
    """The render processes of one build, started before its workbook is read: while the build reads and
    checks it, each worker imports the render stack and prepares the built-in templates, on cores that would
    otherwise wait.  :meth:`take` hands them the batch (campaign, evaluation, plan: each worker plans the same
    documents again, in the same order).  Close it when the build ends (``with``)."""

    def __init__(self, count: int, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self.workers: list[Worker] = []
        try:
            for _ in range(max(1, count)):
                worker = Worker(_job, self.limits)
                worker.submit("warm", None)
                self.workers.append(worker)
        except BaseException:
            self.close()
            raise

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def take(self, jobs: int, batch: dict) -> list[Worker]:
        """``jobs`` workers sent ``batch`` (the others are stopped).  Each answers the batch once it has taken
        it: the first answer to collect from each is that one (:func:`_run` skips it)."""
        import pickle

        payload = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)    # once, not once per worker
        taken = []
        for worker in self.workers:
            try:
                worker.collect()             # the warm-up is over (had it failed, rendering says why)
            except Exception:  # noqa: BLE001
                pass
            if len(taken) < jobs:
                worker.setup, worker.setup_always = ("state", payload), True    # a restarted one gets it too
                worker.submit("state", payload)
                taken.append(worker)
            else:
                worker.close()
        return taken

    def close(self) -> None:
        for worker in self.workers:
            worker.close()


def render_batch(specs: Sequence, templates: Sequence[Path], outputs: Sequence, out: Staging, *,
                 jobs: int = 1, progress: ProgressCallback | None = None, limits: Limits | None = None,
                 files: int | None = None, planning: dict | None = None,
                 pool: Workers | None = None, meanwhile: Callable[[], None] | None = None) -> list[str]:
    """Render ``specs[i]`` with ``templates[i]`` into ``out`` as ``outputs[i]``, in order.
    ``files``: the files of the whole build (for the progress of writing); ``planning``: campaign,
    evaluation, only, today — what a worker that did not inherit the batch needs to plan the same specs;
    ``pool``: workers started earlier (:class:`Workers`; needs ``planning``), else they are started here;
    ``meanwhile``: work of the parent's own (the danh sách), done once the workers have theirs.
    Returns notes for ``--verbose`` (which templates fell back to plain docxtpl, how many processes rendered)."""
    from .assemble import shared_base_contexts

    limits = pool.limits if pool is not None else limits or Limits.from_env()
    notes: dict[str, None] = {}
    jobs = max(1, min(jobs, len(specs)))
    state = {"specs": list(specs), "templates": list(templates), "output_mb": limits.output_mb,
             **(planning or {})}
    _READY.clear()
    _STATE.clear()
    try:
        with shared_base_contexts():
            taken = pool is not None and planning is not None
            if taken:
                workers = pool.take(jobs, {k: v for k, v in state.items() if k != "specs"})
            else:
                workers = _fork_workers(jobs, limits, state)
            _run(specs, templates, outputs, out, workers, progress, limits, files if files is not None else len(specs),
                 notes, taking=taken, meanwhile=meanwhile)
    finally:
        _READY.clear()
        _STATE.clear()
    processes = "1 tiến trình" if jobs == 1 else f"song song trong {jobs} tiến trình"
    return list(notes) + [f"Đã tạo {len(specs)} văn bản ({processes}, mỗi văn bản tối đa {limits.seconds:g} giây, "
                    f"{limits.memory_mb} MB bộ nhớ)."]


def _fork_workers(jobs: int, limits: Limits, state: dict) -> list[Worker]:
    """Workers started now: a forked one inherits the batch and the built-in templates prepared here; a spawned
    one (a process with threads, e.g. the web server) is sent the batch and plans it again."""
    from . import prepared
    from .resources import is_builtin_template

    for path in dict.fromkeys(state["templates"]):
        # a clerk's template is compiled only in the limited workers (Jinja evaluates constant expressions
        # when it compiles)
        if is_builtin_template(path):
            _READY[path] = prepared.prepare(path)
    _STATE.update(state)
    spawned = {k: v for k, v in state.items() if k != "specs"}
    return [Worker(_job, limits, setup=("state", spawned)) for _ in range(jobs)]


def _run(specs, templates, outputs, out: Staging, workers: list[Worker], progress, limits, files,
         notes: dict, *, taking: bool = False, meanwhile: Callable[[], None] | None = None) -> None:
    """Keep every worker busy (a long document on one does not hold the others back: each gets its next
    document as soon as it answers), then take the files into the set in plan order.  ``taking``: each
    worker's first answer is the one to the batch (:meth:`Workers.take`)."""
    total, jobs = len(specs), len(workers)
    # what each worker was asked, oldest first (-1: the batch itself)
    sent: list[deque[int]] = [deque([-1] if taking else []) for _ in workers]
    now = time.monotonic()
    started = [now] * jobs                                     # when each worker began its oldest document
    upcoming = iter(range(total))
    answered: dict[int, tuple[int, str]] = {}
    adopted = 0

    def limit(exc: LimitExceeded, index: int) -> TemplateError:
        index = max(index, 0)
        return TemplateError(limit_message(templates[index].name, exc, limits)
                             + f' (khi tạo "{outputs[index]}")')

    def send(w: int) -> None:
        index = next(upcoming, None)
        if index is not None:
            if not sent[w]:
                started[w] = time.monotonic()
            try:
                workers[w].submit("render", (index, str(out.path(outputs[index]))))
            except LimitExceeded as exc:
                raise limit(exc, index) from None
            sent[w].append(index)

    try:
        for w in range(jobs):
            for _ in range(_IN_FLIGHT if meanwhile is None else _AHEAD):
                send(w)
        if meanwhile is not None:
            meanwhile()
        while adopted < total:
            ready, late = _ready(workers, sent, started, limits.seconds)
            if late is not None:
                workers[late].close()
                raise limit(LimitExceeded("time"), sent[late][0])
            for w in ready:
                index = sent[w].popleft()
                try:
                    answer = workers[w].collect()
                except LimitExceeded as exc:
                    raise limit(exc, sent[w][0] if index < 0 and sent[w] else index) from None
                started[w] = time.monotonic()
                if index < 0:                # the batch taken: its documents are already on their way
                    continue
                answered[index] = answer
                send(w)
            while adopted in answered:
                size, note = answered.pop(adopted)
                if note:
                    notes[note] = None
                emit(progress, RENDER, adopted + 1, total, specs[adopted].title)
                out.adopt(outputs[adopted], size)
                emit(progress, WRITE, adopted + 1, files, str(outputs[adopted]))
                adopted += 1
    finally:
        for worker in workers:
            worker.close()


def _ready(workers: list[Worker], sent: list[deque], started: list[float],
           seconds: float) -> tuple[list[int], int | None]:
    """The workers with an answer waiting (or that died), waiting at most until the first busy worker's oldest
    document is over its time limit: then ([], that worker)."""
    busy = [w for w in range(len(workers)) if sent[w]]
    first = min(busy, key=lambda w: started[w])
    timeout = max(0.0, started[first] + seconds - time.monotonic())
    if not hasattr(select, "poll"):               # Windows
        from multiprocessing.connection import wait

        ready_conns = wait([workers[w].connection for w in busy], timeout)
        return ([w for w in busy if workers[w].connection in ready_conns], None) if ready_conns else ([], first)
    poller = select.poll()          # (multiprocessing's wait() makes a selector each time: a third of the cost)
    by_fd = {}
    for w in busy:
        fd = workers[w].connection.fileno()
        by_fd[fd] = w
        poller.register(fd, select.POLLIN)
    ready = poller.poll(math.ceil(timeout * 1000))
    if not ready:
        return [], first
    return sorted(by_fd[fd] for fd, _ in ready), None
