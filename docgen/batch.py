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
from typing import Callable, NamedTuple, Protocol, Sequence

from .errors import TemplateError
from .limits import LimitExceeded, Limits, Worker, limit_message, render_prepared
from .progress import RENDER, WRITE, ProgressCallback, emit


class Staging(Protocol):
    """Where the documents go (:class:`docgen.write.StagedOutput`)."""

    def path(self, rel) -> Path: ...

    def adopt(self, rel, size: int | None = None) -> None: ...

PARALLEL_FROM = 40              # fewer documents: starting workers costs more than it saves
_IN_FLIGHT = 4                  # calls sent ahead to each worker (it never waits for the parent)
_AHEAD = 48                     # at the start, when the parent has work of its own meanwhile
_CHUNK = 8                      # documents of one call, for a template whose documents take under _QUICK
_QUICK = 0.02                   # seconds


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
    a dict), ``("render", (slot, [(index, target), …]))``: render each document, write it at ``target``, answer
    its size, note and seconds (and say in the shared status, at ``slot``, which one it is rendering)."""
    if command == "warm":
        _warm()
        return None
    if command == "ping":
        return None
    if command == "sheets":
        from .xlsx import read_parts

        return read_parts(*payload)
    if command == "state":
        import pickle

        from . import assemble

        _STATE.clear()
        _STATE.update(pickle.loads(payload) if isinstance(payload, bytes) else payload)
        assemble._SHARED = {}   # this process lives for one batch: base contexts made once
        return None
    slot, jobs = payload
    answers: list = []
    for job in jobs:
        try:
            answers.append(_render_index(job, slot))
        except LimitExceeded as exc:      # said with the document it concerns (the worker goes on to the next call)
            answers.append(Stopped(job[0], exc.kind, exc.detail))
            break
        except MemoryError:
            answers.append(Stopped(job[0], "memory", ""))
            break
    return answers


class Stopped(NamedTuple):
    """The answer for the document of a call that exceeded a limit (the documents after it were not made)."""
    index: int
    kind: str
    detail: str


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
    from . import layout, rules

    rules.catalog()                      # what a first document would read: the rules data, the font widths
    layout.text_width("A", 12)


def _fallback_note(path: Path, ready: "prepared.PreparedTemplate") -> str:
    if not ready.fallback:
        return ""
    return f'Mẫu "{path.name}": tạo bằng docxtpl thông thường (chậm hơn) vì {ready.fallback}.'


def _status():
    """Which document each worker is rendering and since when (its index and ``time.monotonic()``, at
    ``2 * slot`` and ``2 * slot + 1``), in memory the forked workers share with the parent: the time limit is
    each document's, and a limit exceeded names its document, even in a call of several.  Spawned workers do
    not inherit it: they are sent one document a call."""
    global _SHARED_STATUS
    if _SHARED_STATUS is None:
        from multiprocessing.sharedctypes import RawArray

        _SHARED_STATUS = RawArray("d", 2 * _SLOTS)
    return _SHARED_STATUS


_SLOTS = 64
_SHARED_STATUS = None


def _fewer_collections() -> None:
    """A worker lives for one batch and a document leaves almost no reference cycles (about one object in a
    thousand documents): the cycle collector runs a hundred times less often — 5–8 % of a document's CPU."""
    global _COLLECTING
    if not _COLLECTING:
        import gc

        gc.set_threshold(70_000, *gc.get_threshold()[1:])
        _COLLECTING = True


_COLLECTING = False


def _render_index(job: tuple[int, str], slot: int) -> tuple[int, str, float]:
    from . import prepared
    from .write import write_staged

    _fewer_collections()

    index, target = job
    began = time.monotonic()
    if _SHARED_STATUS is not None and slot < _SLOTS:
        _SHARED_STATUS[2 * slot + 1] = began          # the time first: the parent reads the index first
        _SHARED_STATUS[2 * slot] = index
    state = _STATE
    if "specs" not in state:    # sent the campaign: plan again from it (same plan, same order; named by the parent)
        from . import assemble

        state["specs"] = assemble.plan_specs(state["campaign"], state["evaluation"], only=state["only"],
                                             today=state["today"], named=False)
    template = state["templates"][index]
    ready = _READY.get(template)
    if ready is None:
        ready = _READY[template] = prepared.prepare(template)
    data = render_prepared(ready, state["specs"][index].context(), state["output_mb"])
    write_staged(Path(target), data)
    return len(data), _fallback_note(template, ready), time.monotonic() - began


# ---------------------------------------------------------------------------------- the batch
class Workers:
    """The render processes of one build, started before its workbook is read: while the build reads and
    checks it, each worker imports the render stack, prepares the built-in templates of the per-candidate
    kinds and reads the rules data, on cores that would otherwise wait; the last one first reads the large
    sheets of the workbook for the reader (:meth:`read_ahead`).  :meth:`take` hands them the batch (campaign,
    evaluation: each worker plans the same documents again, in the same order — quicker than pickling the
    plan).  Close it when the build ends (``with``)."""

    def __init__(self, count: int, limits: Limits | None = None) -> None:
        self.limits = limits or Limits.from_env()
        self.workers: list[Worker] = []
        self.pending: list[int] = []     # answers each worker still owes (warm-up, sheets read ahead)
        self.helper_free = True          # the last one warms up only after reading sheets for the reader
        _status()                        # before the workers are forked: they share it
        try:
            for i in range(max(1, count)):
                worker = Worker(_job, self.limits)
                self.workers.append(worker)
                self.pending.append(0)
                if i < count - 1:
                    self._submit(i, "warm", None)
                else:
                    worker.submit("ping", None)      # started now, as the others
                    self.pending[i] += 1
        except BaseException:
            self.close()
            raise

    def _submit(self, i: int, command: str, payload) -> None:
        self.workers[i].submit(command, payload)
        self.pending[i] += 1

    def read_ahead(self, path: Path, parts: list[str]) -> "_ReadAhead":
        """The reader's helper (:func:`docgen.reader.load_campaign`): the last worker reads the rows of
        ``parts`` (:func:`docgen.xlsx.read_parts`), then warms up."""
        last = len(self.workers) - 1
        if not self.helper_free:
            return _ReadAhead(self, None, 0, [])
        self.helper_free = False
        before = self.pending[last]
        self._submit(last, "sheets", (str(path), parts))
        self._submit(last, "warm", None)
        return _ReadAhead(self, last, before, parts)

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def take(self, jobs: int, batch: dict) -> list[Worker]:
        """``jobs`` workers sent ``batch`` (the others are stopped).  Each answers the batch once it has taken
        it: the first answer to collect from each is that one (:func:`_run` skips it)."""
        import pickle

        payload = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)    # once, not once per worker
        if self.helper_free:             # nothing was read ahead: the last worker warms up now
            self.helper_free = False
            self._submit(len(self.workers) - 1, "warm", None)
        taken = []
        for i, worker in enumerate(self.workers):
            while self.pending[i]:           # the warm-up is over (had it failed, rendering says why)
                self.pending[i] -= 1
                try:
                    worker.collect()
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


class _ReadAhead:
    """The rows a worker reads for the reader: ``get(part)`` waits for them (once) when ``part`` is one it
    reads — None at once for a part it does not read (the reader reads those meanwhile), None when it failed
    (the reader then reads the part itself)."""

    def __init__(self, pool: Workers, index: int | None, before: int, parts: list[str]) -> None:
        self.pool, self.index, self.before = pool, index, before      # ``before``: answers owed ahead of it
        self.parts = frozenset(parts)
        self.rows: dict | None = None if index is not None else {}

    def get(self, part: str):
        if part not in self.parts:
            return None
        if self.rows is None:
            worker = self.pool.workers[self.index]
            self.rows = {}
            try:
                for _ in range(self.before + 1):
                    self.pool.pending[self.index] -= 1
                    self.rows = worker.collect() or {}
            except Exception:  # noqa: BLE001 - a crash or a limit: the reader reads it itself
                self.rows = {}
        return self.rows.get(part)


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
            if taken:                        # the plan is made again by each worker: quicker than sending it
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
    _status()                            # before the workers are forked: they share it
    spawned = {k: v for k, v in state.items() if k != "specs"}
    if "campaign" not in spawned:        # nothing to plan from: the plan itself, if it pickles
        spawned["specs"] = state["specs"]
    return [Worker(_job, limits, setup=("state", spawned)) for _ in range(jobs)]


def _run(specs, templates, outputs, out: Staging, workers: list[Worker], progress, limits, files,
         notes: dict, *, taking: bool = False, meanwhile: Callable[[], None] | None = None) -> None:
    """Keep every worker busy (a long document on one does not hold the others back: each gets its next
    call as soon as it answers), then take the files into the set in plan order.  ``taking``: each worker's
    first answer is the one to the batch (:meth:`Workers.take`)."""
    run = _Dispatch(specs, templates, outputs, out, workers, limits, taking)
    try:
        for w in range(len(workers)):
            for _ in range(_IN_FLIGHT if meanwhile is None else _AHEAD):
                run.send(w)
        if meanwhile is not None:
            meanwhile()
        adopted, total = 0, len(specs)
        while adopted < total:
            ready, late = _ready(workers, run.sent, run.starts(), limits.seconds)
            if late is not None:
                if run.starts()[late] + limits.seconds > time.monotonic():
                    continue                 # it moved on to its next document meanwhile: a new count
                workers[late].close()
                raise run.limit(LimitExceeded("time"), late)
            for w in ready:
                run.answer(w)
            while adopted in run.answered:
                size, note = run.answered.pop(adopted)
                if note:
                    notes[note] = None
                emit(progress, RENDER, adopted + 1, total, specs[adopted].title)
                out.adopt(outputs[adopted], size)
                emit(progress, WRITE, adopted + 1, files, str(outputs[adopted]))
                adopted += 1
    finally:
        for worker in workers:
            worker.close()


class _Dispatch:
    """What each worker was sent (calls of one document, or of up to :data:`_CHUNK` documents of templates
    whose documents proved quick: fewer messages, the same files) and what came back."""

    def __init__(self, specs, templates, outputs, out: Staging, workers: list[Worker], limits: Limits,
                 taking: bool) -> None:
        self.templates, self.outputs, self.out, self.workers, self.limits = templates, outputs, out, workers, limits
        self.total = len(specs)
        # each worker's calls, oldest first (None: the batch itself, answered first)
        self.sent: list[deque[list[int] | None]] = [deque([None] if taking else []) for _ in workers]
        self.started = [time.monotonic()] * len(workers)          # when each worker began its oldest call
        self.answered: dict[int, tuple[int, str]] = {}
        self.quick: set[Path] = set()
        self.next = 0
        self.status = _SHARED_STATUS if can_fork() else None    # spawned workers do not share it
        if self.status is not None:
            for w in range(min(len(workers), _SLOTS)):
                self.status[2 * w] = -1.0

    def _chunk(self) -> list[int]:
        if self.next >= self.total:
            return []
        chunk = [self.next]
        self.next += 1
        if self.status is not None and self.templates[chunk[0]] in self.quick:
            while (self.next < self.total and len(chunk) < _CHUNK and self.templates[self.next] in self.quick):
                chunk.append(self.next)
                self.next += 1
        return chunk

    def send(self, w: int) -> None:
        chunk = self._chunk()
        if not chunk:
            return
        if not self.sent[w]:
            self.started[w] = time.monotonic()
        self.sent[w].append(chunk)
        try:
            self.workers[w].submit("render", (w, [(i, str(self.out.path(self.outputs[i]))) for i in chunk]))
        except LimitExceeded as exc:
            raise self.limit(exc, w) from None

    def answer(self, w: int) -> None:
        try:
            answers = self.workers[w].collect()
        except LimitExceeded as exc:
            raise self.limit(exc, w) from None
        chunk = self.sent[w].popleft()
        self.started[w] = time.monotonic()
        if chunk is None:                    # the batch taken: its documents are already on their way
            return
        for index, answer in zip(chunk, answers):
            if isinstance(answer, Stopped):
                raise self.limit(LimitExceeded(answer.kind, answer.detail), w, answer.index)
            size, note, seconds = answer
            self.answered[index] = (size, note)
            if seconds < _QUICK:
                self.quick.add(self.templates[index])
        self.send(w)

    def _oldest(self, w: int) -> list[int] | None:
        """The documents of worker ``w``'s oldest call not answered (None: none)."""
        return next((c for c in self.sent[w] if c is not None), None)

    def _running(self, w: int) -> tuple[int, float] | None:
        """(index, start) of the document worker ``w`` is rendering, if it is one of its oldest call."""
        oldest = self._oldest(w)
        if self.status is None or w >= _SLOTS or not oldest:
            return None
        index = int(self.status[2 * w])
        return (index, self.status[2 * w + 1]) if index in oldest else None

    def starts(self) -> list[float]:
        """When each worker began what its time limit counts: the document it is rendering, else its oldest
        call."""
        out = list(self.started)
        for w in range(len(out)):
            running = self._running(w)
            if running is not None:
                out[w] = max(out[w], running[1])
        return out

    def limit(self, exc: LimitExceeded, w: int, index: int | None = None) -> TemplateError:
        """The limit ``exc`` exceeded by worker ``w``, naming the document it was rendering (``index``, when
        its answer said it)."""
        if index is None:
            running = self._running(w)      # killed or dead while rendering it: what it was doing is current
            oldest = self._oldest(w)
            index = running[0] if running is not None else (oldest[0] if oldest else 0)
        return TemplateError(limit_message(self.templates[index].name, exc, self.limits)
                             + f' (khi tạo "{self.outputs[index]}")')


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
