"""Rendering a batch of documents: one at a time, in order, handed to a sink as soon as each is made.

Contexts are made one document at a time and every rendered document goes straight to the sink (a callable
taking the output path and the bytes: the staging folder of the build), so memory stays flat in the number of
candidates.  Large batches are spread over worker processes (``jobs``), each with its own prepared templates
(:mod:`docgen.prepared`); results come back in plan order, so a parallel build writes the same files with the
same bytes as a serial one.  Each render has a time limit, and in a worker a memory limit: exceeding one is a
:class:`TemplateError` naming the template and the document.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Sequence

from . import prepared
from .errors import TemplateError
from .progress import RENDER, WRITE, ProgressCallback, emit

Sink = Callable[[str, bytes], None]

PARALLEL_FROM = 40              # fewer documents: starting workers costs more than it saves


@dataclass(frozen=True)
class Limits:
    seconds: int = 120          # one document
    memory_mb: int = 1536       # one worker process (address space it may add)


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


class _TimeUp(BaseException):      # not an Exception: no template error handler may swallow it
    pass


def _on_alarm(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _TimeUp


_READY: dict[Path, "prepared.PreparedTemplate"] = {}   # this batch's prepared templates, by path


def _render_one(spec, template: Path, output: str, limits: Limits) -> bytes:
    """The bytes of one document, within the time limit (where a timer can be set: the main thread)."""
    timed = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if timed else None
    if timed:
        signal.alarm(limits.seconds)
    try:
        ready = _READY.get(template)
        if ready is None:
            ready = _READY[template] = prepared.prepare(template)
        return ready.render(spec.context())
    except _TimeUp:
        raise TemplateError(f'Mẫu "{template.name}": tạo "{output}" quá {limits.seconds} giây, đã dừng '
                            "(mẫu có vòng lặp quá lớn?).") from None
    except MemoryError:
        raise TemplateError(f'Mẫu "{template.name}": tạo "{output}" vượt giới hạn bộ nhớ '
                            f"({limits.memory_mb} MB), đã dừng.") from None
    finally:
        if timed:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)


# ---------------------------------------------------------------------------------- workers
_STATE: dict = {}               # in a worker: the batch (inherited when forked, pickled when spawned)


def _worker_init(state: dict | None, limits: Limits) -> None:
    if state is not None:
        _STATE.update(state)
    from . import assemble

    assemble._SHARED = {}       # this process lives for one batch: base contexts made once
    signal.signal(signal.SIGINT, signal.SIG_IGN)     # Ctrl+C is the parent's to handle
    try:
        import resource

        extra = limits.memory_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        current = _address_space()
        if current and (hard == resource.RLIM_INFINITY or current + extra < hard):
            resource.setrlimit(resource.RLIMIT_AS, (current + extra, hard))
    except (ImportError, ValueError, OSError):
        pass                    # no limit where the system has none to set


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return 0


def _worker_render(index: int) -> tuple[int, bytes | None, str]:
    state = _STATE
    if "specs" not in state:    # spawned: plan again from the pickled campaign (same plan, same order)
        from . import assemble

        state["specs"] = assemble.plan_specs(state["campaign"], state["evaluation"], only=state["only"],
                                             today=state["today"])
    try:
        return index, _render_one(state["specs"][index], state["templates"][index], state["outputs"][index],
                                  state["limits"]), ""
    except TemplateError as exc:
        return index, None, str(exc)
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which raises it as a TemplateError
        template = state["templates"][index]
        return index, None, f'Mẫu "{template.name}" không dùng được: {type(exc).__name__}: {exc}'


def _pool(jobs: int, state: dict, limits: Limits):
    """A pool of ``jobs`` workers: forked where possible (the prepared templates and the campaign come for
    free), else spawned (the campaign is pickled to each)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        _STATE.clear()
        _STATE.update(state)
        ctx = multiprocessing.get_context("fork")
        return ctx.Pool(jobs, _worker_init, (None, limits))
    spawned = {k: v for k, v in state.items() if k != "specs"}
    return multiprocessing.get_context("spawn").Pool(jobs, _worker_init, (spawned, limits))


# ---------------------------------------------------------------------------------- the batch
def render_batch(specs: Sequence, templates: Sequence[Path], outputs: Sequence[str], sink: Sink, *,
                 jobs: int = 1, progress: ProgressCallback | None = None, limits: Limits = Limits(),
                 campaign=None, evaluation=None, only=None, today=None) -> list[str]:
    """Render ``specs[i]`` with ``templates[i]`` and hand it to ``sink(outputs[i], data)``, in order.  Returns
    notes for ``--verbose`` (which templates fell back to plain docxtpl, how many processes rendered)."""
    from .assemble import shared_base_contexts

    total = len(specs)
    notes = []
    _READY.clear()
    for path in dict.fromkeys(templates):          # prepared once here; forked workers inherit them
        _READY[path] = prepared.prepare(path)
        if _READY[path].fallback:
            notes.append(f'Mẫu "{path.name}": tạo bằng docxtpl thông thường (chậm hơn) vì {_READY[path].fallback}.')
    jobs = max(1, min(jobs, total))
    try:
        with shared_base_contexts():
            return notes + _run(specs, templates, outputs, sink, jobs, progress, limits,
                                dict(campaign=campaign, evaluation=evaluation, only=only, today=today))
    finally:
        _READY.clear()


def _run(specs, templates, outputs, sink, jobs, progress, limits, planning) -> list[str]:
    total = len(specs)

    def deliver(index: int, data: bytes, done: int) -> None:
        emit(progress, RENDER, done, total, specs[index].title)
        sink(outputs[index], data)
        emit(progress, WRITE, done, total, outputs[index])

    if jobs == 1:
        for i, spec in enumerate(specs):
            deliver(i, _render_one(spec, templates[i], outputs[i], limits), i + 1)
        return [f"Đã tạo {total} văn bản trong 1 tiến trình."]
    state = {"specs": list(specs), "templates": list(templates), "outputs": list(outputs), "limits": limits,
             **planning}
    pool = _pool(jobs, state, limits)
    try:
        chunk = max(1, min(16, total // (jobs * 8)))
        for done, (index, data, error) in enumerate(pool.imap(_worker_render, range(total), chunk), start=1):
            if data is None:
                raise TemplateError(error)
            deliver(index, data, done)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _STATE.clear()
    return [f"Đã tạo {total} văn bản song song trong {jobs} tiến trình."]


# ---------------------------------------------------------------------------------- staging
class StagingFolder:
    """A sink that writes into a hidden folder inside the output folder; :meth:`commit` moves every file to
    its final name, :meth:`discard` removes them: a failed build leaves the output folder as it was."""

    def __init__(self, outdir: Path):
        import tempfile

        self.outdir = Path(outdir)
        self.outdir.mkdir(parents=True, exist_ok=True)
        _remove_stale_staging(self.outdir)
        self.root = Path(tempfile.mkdtemp(prefix=f".docgen-staging-{os.getpid()}-", dir=self.outdir))
        self.staged: list[str] = []
        self._folders: set[Path] = set()

    def add(self, relpath: str, data: bytes) -> None:
        parts = PurePosixPath(relpath).parts
        if not parts or PurePosixPath(relpath).is_absolute() or any(p in ("..", "") for p in parts):
            from .errors import OutputError

            raise OutputError(f'Đường dẫn "{relpath}" nằm ngoài thư mục đầu ra, từ chối ghi.')
        target = self.root.joinpath(*parts[:-1], parts[-1] + ".staged")   # no partial .docx, even hidden
        if len(parts) > 1 and target.parent not in self._folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            self._folders.add(target.parent)
        with open(target, "wb") as fh:
            fh.write(data)
        os.chmod(target, _MODE)
        self.staged.append(str(relpath))

    __call__ = add

    def commit(self) -> list[Path]:
        files = []
        for rel in self.staged:
            final = self.outdir / rel
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(self.root / (rel + ".staged"), final)
            files.append(final)
        self.discard()
        return files

    def discard(self) -> None:
        import shutil

        shutil.rmtree(self.root, ignore_errors=True)


def _remove_stale_staging(outdir: Path) -> None:
    """Staging folders left by a build that was killed (its process is gone)."""
    import shutil

    for folder in outdir.glob(".docgen-staging-*"):
        try:
            pid = int(folder.name.split("-")[3])
            os.kill(pid, 0)
            continue                     # that build is still running
        except (IndexError, ValueError, ProcessLookupError):
            pass
        except PermissionError:
            continue
        shutil.rmtree(folder, ignore_errors=True)


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_MODE = _file_mode()
