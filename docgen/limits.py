"""Limits for untrusted work: a child process with a time limit, a memory limit and an output-size limit.

Templates are untrusted input.  The Jinja sandbox stops a template from reaching Python internals, but not
from looping for hours (``{% for i in range(100000) %}{% for j in range(100000) %}``) or from building a
gigabyte string (``{{ 'A' * 10**9 }}``).  :class:`Worker` runs a function in a child process that has an
address-space limit (Linux; elsewhere only the time and output limits apply); the parent waits at most
``Limits.seconds`` per call, then kills it.  :func:`render_prepared` is the render job of the build's workers
(:mod:`docgen.batch`), :func:`render_document` that of the lint's trial render; any caller that renders
documents in child processes can share :class:`Worker` and :class:`Limits`.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Callable

from .errors import TemplateError


@dataclass(frozen=True)
class Limits:
    seconds: float = 120.0        # one document (the largest real danh sách renders in a few seconds)
    memory_mb: int = 2048         # address space a worker may add to what it starts with
    output_mb: int = 200          # inflated size of one rendered .docx

    @classmethod
    def from_env(cls) -> "Limits":
        """Defaults, overridable by DOCGEN_RENDER_SECONDS, DOCGEN_RENDER_MEMORY_MB, DOCGEN_RENDER_OUTPUT_MB."""
        d = cls()

        def num(name: str, default, kind):
            try:
                value = kind(os.environ.get(name, default))
            except ValueError:
                return default
            return value if value > 0 else default

        return cls(num("DOCGEN_RENDER_SECONDS", d.seconds, float), num("DOCGEN_RENDER_MEMORY_MB", d.memory_mb, int),
                   num("DOCGEN_RENDER_OUTPUT_MB", d.output_mb, int))


class LimitExceeded(Exception):
    """A job went over a limit; ``kind`` is "time", "memory", "output" or "crash"."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(kind, detail)
        self.kind = kind
        self.detail = detail


def _address_space() -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def _serve(conn, func: Callable, memory_mb: int, parent_end=None) -> None:
    """The child: limits first, then answer calls until the parent closes the pipe (or dies)."""
    if parent_end is not None:          # fork: our copy of the parent's end would hide its death
        parent_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)           # the parent decides what an interruption means
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        import resource

        base = _address_space()
        if base is not None:
            limit = base + memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))
    except (ImportError, ValueError, OSError):
        pass
    while True:
        try:
            args = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = ("ok", func(*args))
        except MemoryError:
            reply = ("memory", "")
        except LimitExceeded as exc:
            reply = (exc.kind, exc.detail)
        except Exception as exc:
            reply = ("error", exc)
        try:
            conn.send(reply)
        except MemoryError:
            conn.send(("memory", ""))
        except Exception as exc:            # an exception that does not pickle: keep its text
            conn.send(("error", TemplateError(f"{type(exc).__name__}: {reply[1]}")))


def _context():
    """fork (no re-import, fast) where it is safe — one thread; spawn otherwise (a web server's threads)."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def start_method() -> str:
    """How a :class:`Worker` started now would start: "fork" or "spawn"."""
    return _context().get_start_method()


class Worker:
    """``with Worker(func, limits) as w: w.call(*args)`` runs ``func(*args)`` in one long-lived child process
    (started at the first call, restarted after a limit killed it).  The child's exceptions are raised again in
    the parent; a limit raises :class:`LimitExceeded`.  :meth:`submit` and :meth:`collect` split a call, so
    several workers run side by side (results come back in the order of the calls).  ``setup``: arguments
    of a first call made in a child that was spawned rather than forked (a forked child already has the
    parent's data), or in every new child when ``setup_always``."""

    def __init__(self, func: Callable, limits: Limits | None = None, setup: tuple | None = None,
                 setup_always: bool = False) -> None:
        self.func = func
        self.limits = limits or Limits.from_env()
        self.setup = setup
        self.setup_always = setup_always
        self._proc = None
        self._conn = None
        self._owed = 0                  # calls sent and not answered yet

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _start(self) -> None:
        ctx = _context()
        parent, child = ctx.Pipe()
        forked = ctx.get_start_method() == "fork"
        self._proc = ctx.Process(target=_serve, args=(child, self.func, self.limits.memory_mb,
                                                      parent if forked else None), daemon=True)
        self._proc.start()
        child.close()
        self._conn = parent
        if self.setup is not None and (self.setup_always or not forked):
            self.submit(*self.setup)
            self.collect()

    @property
    def connection(self):
        """The pipe to the child, once started (to wait on several workers at once:
        ``multiprocessing.connection.wait``)."""
        return self._conn

    def call(self, *args: Any) -> Any:
        self.submit(*args)
        return self.collect()

    def submit(self, *args: Any) -> None:
        """Send a call; its result is the next :meth:`collect` not yet answered.  A child that died owing
        answers is a crash, not a reason to start another (whose answers would be taken for the lost ones)."""
        if self._proc is None or not self._proc.is_alive():
            if self._owed:
                self._crashed()
            self._start()
        assert self._conn is not None
        self._owed += 1
        try:
            self._conn.send(args)
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._crashed()
        except BaseException:
            self.close()
            raise

    def collect(self) -> Any:
        """The result of the oldest call sent, waiting at most ``limits.seconds``."""
        if self._conn is None:
            raise LimitExceeded("crash", "")
        try:
            if not self._conn.poll(self.limits.seconds):
                self.close()
                raise LimitExceeded("time")
            status, value = self._conn.recv()
            self._owed -= 1
        except (EOFError, BrokenPipeError, ConnectionResetError):
            self._crashed()
        except BaseException:
            self.close()                     # Ctrl-C while waiting: the child goes with us
            raise
        if status == "ok":
            return value
        if status == "error":
            raise value
        raise LimitExceeded(status, value)

    def _crashed(self):
        code = self._proc.exitcode if self._proc is not None else None
        self.close()
        raise LimitExceeded("crash", f"mã thoát {code}") from None

    def close(self) -> None:
        self._owed = 0
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            if self._proc.is_alive():
                self._proc.kill()
            self._proc.join(5)
            self._proc = None


def inflated_size(docx: bytes) -> int:
    with zipfile.ZipFile(BytesIO(docx)) as zf:
        return sum(i.file_size for i in zf.infolist())


def _within_limits(render_sized: Callable[[], tuple[bytes, int]], output_mb: int) -> bytes:
    """Run one render job: a MemoryError inside the template and an output over ``output_mb`` become
    :class:`LimitExceeded` (the same messages whichever renderer made the document)."""
    try:
        data, size = render_sized()
    except TemplateError as exc:
        if isinstance(exc.__cause__, MemoryError):
            raise LimitExceeded("memory") from None
        raise
    if size > output_mb * 1024 * 1024:
        raise LimitExceeded("output", f"{size // (1024 * 1024)} MB")
    return data


def render_document(template: str, context: dict, output_mb: int) -> bytes:
    """The job a :class:`RenderWorker` runs (the lint's trial render of a clerk's template):
    :func:`docgen.render.render` under the output-size limit."""
    from . import render

    def sized() -> tuple[bytes, int]:
        data = render.render(Path(template), context)
        return data, inflated_size(data)

    return _within_limits(sized, output_mb)


def render_prepared(ready, context: dict, output_mb: int) -> bytes:
    """The job of a batch worker (:mod:`docgen.batch`): a prepared template (:mod:`docgen.prepared`, the same
    document as :func:`render_document` makes) under the same limits and messages."""
    return _within_limits(lambda: ready.render_sized(context), output_mb)


class RenderWorker(Worker):
    """Render .docx templates in a limited child process; every limit becomes a :class:`TemplateError` that
    names the template."""

    def __init__(self, limits: Limits | None = None) -> None:
        super().__init__(render_document, limits)

    def render(self, template: Path, context: dict, shown_name: str | None = None) -> bytes:
        name = shown_name or Path(template).name
        try:
            return self.call(str(template), context, self.limits.output_mb)
        except LimitExceeded as exc:
            raise TemplateError(limit_message(name, exc, self.limits)) from None


def limit_message(name: str, exc: LimitExceeded, limits: Limits) -> str:
    if exc.kind == "time":
        return (f'Mẫu "{name}": hiển thị quá {limits.seconds:g} giây và đã bị dừng (mẫu có vòng lặp quá lớn?). '
                "Kiểm tra các thẻ {% for %} trong mẫu.")
    if exc.kind == "memory":
        return (f'Mẫu "{name}": cần quá {limits.memory_mb} MB bộ nhớ và đã bị dừng (mẫu tạo ra chuỗi hoặc danh sách '
                "quá lớn?).")
    if exc.kind == "output":
        return (f'Mẫu "{name}": văn bản tạo ra quá lớn ({exc.detail}, tối đa {limits.output_mb} MB) và đã bị bỏ.')
    return f'Mẫu "{name}": tiến trình hiển thị mẫu dừng đột ngột ({exc.detail}); có thể do dùng quá nhiều bộ nhớ.'
