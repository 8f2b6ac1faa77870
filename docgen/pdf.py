"""PDF export through LibreOffice (headless), checked afterwards.

The .docx files are split over ``jobs`` LibreOffice processes running side by side, each with its own
profile (``-env:UserInstallation``: they never meet each other or a LibreOffice window the clerk has open) and
each converting many files in one call.  Every run has a time limit; a file that did not come out (or came out
empty) is converted once more on its own.  Each PDF is then opened (pypdf): it must have pages, and its first
page must draw text.

The profiles are kept between builds (:func:`profile_cache`, one folder per process slot, locked while a
LibreOffice uses it): a LibreOffice that starts on an existing profile is ready about 0.4 s sooner than one that
has to create it.  A slot another build is using, or a cache that cannot be written, gets a fresh profile in
the run's temporary folder; a run that produced nothing gives its cached profile up, so a damaged profile is
never used twice.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Sequence

from .errors import MissingSystemTool

INSTALL_HINT = (
    "Cần LibreOffice để xuất PDF. Cài đặt: trên Debian/Ubuntu chạy "
    "\"sudo apt-get install libreoffice-writer-nogui fonts-liberation2\"; trên Windows/macOS tải LibreOffice "
    "tại libreoffice.org rồi chạy lại (hoặc đặt biến môi trường DOCGEN_SOFFICE trỏ tới soffice).")

START_SECONDS = 90           # a LibreOffice start (a first start creates its profile)
SECONDS_PER_FILE = 30        # added to a run's limit for each file it converts


def find_soffice() -> str | None:
    env = os.environ.get("DOCGEN_SOFFICE")
    if env:
        return env if Path(env).exists() or shutil.which(env) else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/Applications/LibreOffice.app/Contents/MacOS/soffice",
                      r"C:\Program Files\LibreOffice\program\soffice.exe"):
        if Path(candidate).exists():
            return candidate
    return None


def _groups(files: Sequence[Path], jobs: int) -> list[list[Path]]:
    """``files`` dealt over ``jobs`` runs in turn (similar sizes side by side); LibreOffice writes
    <stem>.pdf, so two files with the same stem never share a run."""
    groups: list[list[Path]] = [[] for _ in range(max(1, min(jobs, len(files))))]
    for i, f in enumerate(files):
        start = i % len(groups)
        for k in range(len(groups) + 1):
            if k == len(groups):
                groups.append([f])
                break
            group = groups[(start + k) % len(groups)]
            if all(g.stem != f.stem for g in group):
                group.append(f)
                break
    return [g for g in groups if g]


def profile_cache() -> Path | None:
    """Where LibreOffice profiles are kept between builds (:func:`docgen.resources.cache_dir`)."""
    from .resources import cache_dir

    return cache_dir("libreoffice")


class _Profiles:
    """Profiles for the LibreOffice processes of one conversion: cached slots locked for the conversion's
    duration, or fresh ones in ``workdir``."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.cache = profile_cache()
        self._locks: dict[Path, int] = {}

    def take(self, name: str) -> Path:
        """A cached profile no other conversion holds, else a fresh one named ``name`` in the work folder."""
        try:
            import fcntl
        except ImportError:                                        # Windows: the slots are not locked
            fcntl = None
        for slot in range(16 if self.cache is not None else 0):   # no cache folder: fresh profiles only
            profile = self.cache / f"profile-{slot}"
            if profile in self._locks:
                continue
            try:
                fd = os.open(self.cache / f"profile-{slot}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            except OSError:
                break
            try:
                if fcntl is not None:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue                                           # another build's LibreOffice uses it
            self._locks[profile] = fd
            return profile
        return self.workdir / f"profile-{name}"

    def discard(self, profile: Path) -> None:
        """A profile a run could not work with is removed (the next build creates it again)."""
        if profile in self._locks:
            shutil.rmtree(profile, ignore_errors=True)

    def release(self) -> None:
        for fd in self._locks.values():
            os.close(fd)
        self._locks.clear()


class _Run:
    """One LibreOffice process converting ``files`` into its own folder."""

    def __init__(self, soffice: str, files: list[Path], workdir: Path, slot: str, limit: int | None = None,
                 profile: Path | None = None):
        self.files = files
        self.outdir = workdir / f"out-{slot}"
        self.outdir.mkdir(parents=True, exist_ok=True)
        self.profile = profile = profile or workdir / f"profile-{slot}"
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--nologo", "--nodefault", "--convert-to", "pdf", "--outdir", str(self.outdir),
               *map(str, files)]
        self.deadline = time.monotonic() + (limit or START_SECONDS + SECONDS_PER_FILE * len(files))
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL)
        self.timed_out = False
        self.stderr = ""

    def wait(self) -> None:
        try:
            _, err = self.proc.communicate(timeout=max(1.0, self.deadline - time.monotonic()))
            self.stderr = err.decode("utf-8", "replace").strip()[-300:]
        except subprocess.TimeoutExpired:
            self.timed_out = True
            self.proc.kill()
            self.proc.communicate()

    def produced(self, f: Path) -> Path:
        return self.outdir / (f.stem + ".pdf")


# A string or an array of strings shown as text: "(…) Tj", "<…> Tj", "[…] TJ" (what LibreOffice writes), and ' or ".
_SHOWS_TEXT = re.compile(rb"[)>\]]\s*(?:T[jJ]|'|\")(?![A-Za-z])")


def _readable(pdf: Path) -> str:
    """"" when ``pdf`` has pages and its first page draws text; otherwise what is wrong (in Vietnamese).  The
    page's content stream is read, not its text extracted (a few hundred times faster, the same verdict)."""
    try:
        from pypdf import PdfReader

        reader = PdfReader(str(pdf))
        if len(reader.pages) == 0:
            return "PDF không có trang nào"
        contents = reader.pages[0].get_contents()
        if contents is None or not _SHOWS_TEXT.search(contents.get_data()):
            return "trang đầu của PDF không có chữ"
    except Exception as exc:  # noqa: BLE001 - a damaged PDF
        return f"PDF hỏng ({type(exc).__name__})"
    return ""


def convert_to_pdf(docx_files: Sequence[Path], outdir: Path, *, jobs: int | None = None,
                   timeout: int | None = None) -> list[Path]:
    """Convert ``docx_files`` to ``outdir/<stem>.pdf`` (in their order); raise :class:`MissingSystemTool` when
    LibreOffice is missing, or cannot make a readable PDF of a file even on a second try.  ``jobs``: LibreOffice
    processes side by side (None: one per 8 files, at most one per core); ``timeout``: seconds one run may take
    (None: a start plus some seconds per file)."""
    from .batch import cores

    soffice = find_soffice()
    if soffice is None:
        raise MissingSystemTool(INSTALL_HINT)
    docx_files = list(docx_files)
    outdir.mkdir(parents=True, exist_ok=True)
    if not docx_files:
        return []
    jobs = jobs or min(cores(), max(1, len(docx_files) // 8) if len(docx_files) >= 8 else 1)
    with tempfile.TemporaryDirectory(prefix="docgen-pdf-") as tmp:
        work = Path(tmp)
        profiles = _Profiles(work)
        try:
            made, failed = _convert_groups(soffice, _groups(docx_files, jobs), work, timeout, profiles)
        finally:
            profiles.release()
        for n, (f, first) in enumerate(failed):      # one more try, alone, for each file that failed
            retry = _Run(soffice, [f], work, f"retry-{n}", timeout)
            retry.wait()
            produced = retry.produced(f)
            problem = "không tạo ra tệp" if not produced.exists() else _readable(produced)
            if problem:
                why = "quá thời gian" if retry.timed_out or first.timed_out else problem
                detail = f" {retry.stderr or first.stderr}".rstrip()
                raise MissingSystemTool(f'LibreOffice không xuất được PDF cho "{f.name}" ({why}).{detail}')
            made[f] = produced
        results = []
        for f in docx_files:
            target = outdir / (f.stem + ".pdf")
            _move(made[f], target)
            results.append(target)
    return results


def _convert_groups(soffice: str, groups: list[list[Path]], work: Path, timeout: int | None,
                    profiles: _Profiles) -> tuple[dict[Path, Path], list]:
    """One LibreOffice per group, side by side: the PDFs made (docx → pdf) and the files that failed."""
    runs = [_Run(soffice, group, work, str(i), timeout, profiles.take(str(i))) for i, group in enumerate(groups)]
    made: dict[Path, Path] = {}
    failed: list[tuple[Path, _Run]] = []
    try:
        for run in runs:
            run.wait()
            before = len(made)
            for f in run.files:
                produced = run.produced(f)
                if produced.exists() and not _readable(produced):
                    made[f] = produced
                else:
                    failed.append((f, run))
            if len(made) == before:
                profiles.discard(run.profile)
    finally:
        for run in runs:              # an interruption: no LibreOffice outlives the build
            if run.proc.poll() is None:
                run.proc.kill()
                run.proc.wait()
    return made, failed


def _move(source: Path, target: Path) -> None:
    """The PDF into place under its final name: a rename on the same file system, else a copy to a
    temporary name in the target folder, then a rename (never a partial file under the final name)."""
    try:
        os.replace(source, target)
        return
    except OSError:
        pass
    from .write import write_atomic

    write_atomic(target, source.read_bytes())


def merge_pdfs(parts: Sequence[tuple[Path, str]], target: Path) -> Path:
    """One PDF to print the whole hồ sơ: ``parts`` = [(pdf, bookmark title), …] in order; each part keeps its
    own pages and gets a bookmark, so a clerk can jump to any document."""
    import io

    from pypdf import PdfWriter

    from .write import write_atomic

    writer = PdfWriter()
    for pdf, title in parts:
        start = len(writer.pages)
        writer.append(str(pdf))
        writer.add_outline_item(title=title, page_number=start)
    writer.add_metadata({"/Title": "Hồ sơ đề nghị khen thưởng", "/Producer": "docgen"})
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomic(target, buffer.getvalue())
    return target
