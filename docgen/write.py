"""Stage 5 — write: files on disk, atomically, never outside the output folder, never over existing
files without ``--force``; the danh sách spreadsheet; PDF through LibreOffice."""
from __future__ import annotations

import errno
import functools
import os
import re
import shutil
import stat
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping, Sequence

from .errors import OutputError
from .spreadsheet import neutralise_cell, spreadsheet_bytes  # noqa: F401 - the write stage's spreadsheet

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_NAME = 120


@functools.lru_cache(maxsize=4096)
def safe_name(name: str, default: str = "van-ban") -> str:
    """A file name component safe on Windows, macOS and Linux: no separators, no "..", no reserved
    names or characters, at most ``MAX_NAME`` characters (the extension kept)."""
    name = re.sub(r"-{2,}", "-", _BAD_CHARS.sub("-", name)).strip(" .")
    stem, dot, ext = name.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,8}", ext):
        stem, ext = name, ""
    stem = stem.strip(" .-") or default
    if stem.split(".")[0].lower() in WINDOWS_RESERVED:
        stem = "_" + stem
    ext = ext[:10]
    limit = MAX_NAME - (len(ext) + 1 if ext else 0)
    stem = stem[:limit].rstrip(" .-") or default
    return f"{stem}.{ext}" if ext else stem


def safe_relpath(rel: str) -> PurePosixPath:
    """Sanitise every component of a relative output path; the result cannot leave the output folder."""
    parts = [p for p in re.split(r"[\\/]+", rel) if p not in ("", ".", "..")]
    if not parts:
        raise OutputError(f'Tên tệp đầu ra "{rel}" không hợp lệ.')
    return PurePosixPath(*[safe_name(p) for p in parts])


def unique_paths(relpaths: Sequence[str]) -> list[PurePosixPath]:
    """Sanitised paths, collisions (case-insensitive, as on Windows) resolved with "-2", "-3"…"""
    seen: set[str] = set()
    out = []
    for rel in relpaths:
        p = safe_relpath(rel)
        candidate, n = p, 2
        key = str(candidate).lower()
        while key in seen:
            candidate = p.with_name(f"{p.stem}-{n}{p.suffix}")
            key = str(candidate).lower()
            n += 1
        seen.add(key)
        out.append(candidate)
    return out


def _loose(name: str) -> str:
    """A file name as a file system may match it: any case, composed or not (macOS stores names decomposed)."""
    return unicodedata.normalize("NFC", name).lower()


def existing_outputs(outdir: Path, relpaths: Iterable[PurePosixPath]) -> list[PurePosixPath]:
    """The paths that exist under ``outdir`` (``Path.exists``), in order.  Each folder is listed once and only
    the names it holds (in any case: a file system may ignore case) are looked at: a thousand Báo cáo thành
    tích to write into a folder that does not exist yet cost one look, not a thousand."""
    listed: dict[PurePosixPath, set[str] | None] = {}
    found = []
    for p in relpaths:
        folder = p.parent
        if folder not in listed:
            try:
                with os.scandir(outdir / folder) as entries:
                    listed[folder] = {_loose(e.name) for e in entries}
            except (FileNotFoundError, NotADirectoryError):     # nothing in it exists
                listed[folder] = set()
            except OSError:                    # a folder that cannot be listed: ask for each path
                listed[folder] = None
        names = listed[folder]
        if (names is None or _loose(p.name) in names) and (outdir / p).exists():
            found.append(p)
    return found


def check_can_write(outdir: Path, relpaths: Sequence[PurePosixPath], force: bool) -> None:
    if outdir.exists() and not outdir.is_dir():
        raise OutputError(f'"{outdir}" đã tồn tại và không phải thư mục.')
    if force:
        return
    clash = existing_outputs(outdir, relpaths)
    if clash:
        shown = "\n".join(f"  - {p}" for p in clash[:20])
        more = f"\n  … và {len(clash) - 20} tệp khác" if len(clash) > 20 else ""
        raise OutputError(
            f"Thư mục {outdir} đã có {len(clash)} tệp sẽ bị ghi đè:\n{shown}{more}\n"
            "Chọn thư mục khác (-o) hoặc thêm --force để ghi đè.")


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


_FILE_MODE = _file_mode()


def write_atomic(target: Path, data: bytes) -> None:
    """Write to a temporary file in the same folder, fsync, then rename over the target: an interrupted
    run never leaves a partial file under the final name."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".docgen-", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _FILE_MODE)            # mkstemp makes 0600; outputs are ordinary files (0644 by umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def write_files(outdir: Path, files: Mapping[PurePosixPath, bytes]) -> list[Path]:
    """Write a whole set of files as one transaction (see :class:`StagedOutput`); ``--force`` semantics are the
    caller's (this replaces existing files)."""
    with StagedOutput(outdir, list(files), force=True) as out:
        for rel, data in files.items():
            out.add(rel, data)
        return out.commit()


def clean_stale_temporaries(outdir: Path) -> None:
    """Remove temporaries left by a run that was killed (they never carry a final name), and put back the
    previous files of a build that was killed while moving its documents into place."""
    if not outdir.is_dir():
        return
    recover(outdir)
    for tmp in outdir.rglob(".docgen-*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


# ---------------------------------------------------------------------------------- transactional output
STAGING_PREFIX = ".docgen-staging-"
_MANIFEST = "manifest.txt"          # the final relative paths, written before the first move
_DONE = "done"                      # created once every file is in place: the commit point
_NEW, _OLD = "new", "old"           # staged files; previous files moved aside while committing


def _mb(n: int) -> int:
    return max(1, -(-n // (1024 * 1024)))


def os_error_message(exc: OSError, outdir: Path, path: Path | None = None) -> str:
    """A Vietnamese sentence for an OSError met while writing into ``outdir`` (disk full, read-only, …)."""
    where = path if path is not None else outdir
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"Ổ đĩa chứa thư mục {outdir} đã đầy"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"Không có quyền ghi vào {where} (thư mục chỉ đọc hoặc thuộc người dùng khác)"
    if exc.errno == errno.EROFS:
        return f"{where} nằm trên ổ đĩa chỉ đọc"
    if exc.errno == errno.ENOTDIR:
        return f"Đường dẫn {where} đi qua một tệp đã có (không phải thư mục)"
    if exc.errno == errno.ENAMETOOLONG:
        return f"Đường dẫn {where} quá dài"
    return f"Không ghi được vào {where} ({exc.strerror or exc})"


try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None


def _lock(fd: int, blocking: bool) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        return True
    except OSError:
        return False


def _staging_in_use(staging: Path) -> bool:
    """True while the build that owns ``staging`` still runs: its process (the pid in the folder name) is alive
    and holds the lock on the folder (a child process that inherited the lock does not count).  Without
    advisory locks (Windows), a staging folder younger than an hour counts as in use."""
    if fcntl is None:  # pragma: no cover - Windows
        import time

        try:
            return time.time() - staging.stat().st_mtime < 3600
        except OSError:
            return False
    try:
        pid = int(staging.name[len(STAGING_PREFIX):].split("-", 1)[0])
    except ValueError:
        pid = 0
    if pid and pid != os.getpid():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            pass
    try:
        fd = os.open(staging, os.O_RDONLY)
    except OSError:
        return False
    try:
        return not _lock(fd, blocking=False)
    finally:
        os.close(fd)


class _FolderLock:
    """An exclusive lock on a folder (flock on its descriptor) while a build looks at leftovers, creates its
    staging folder or commits: concurrent builds into the same folder never interleave those steps."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.fd: int | None = None

    def __enter__(self) -> "_FolderLock":
        if fcntl is not None:
            self.fd = os.open(self.folder, os.O_RDONLY)
            _lock(self.fd, blocking=True)
        return self

    def __exit__(self, *exc) -> None:
        if self.fd is not None:
            os.close(self.fd)          # closing releases the lock
            self.fd = None


def recover(outdir: Path) -> list[PurePosixPath]:
    """Undo what a killed build left in ``outdir``: staging folders of builds that no longer run are removed;
    a build killed while moving its files into place is rolled back (its new files removed, the previous ones
    put back).  Returns the paths restored."""
    try:
        with _FolderLock(outdir):
            return _recover_locked(outdir)
    except OSError:
        return []


def _recover_locked(outdir: Path) -> list[PurePosixPath]:
    restored: list[PurePosixPath] = []
    stagings = [p for p in outdir.iterdir() if p.name.startswith(STAGING_PREFIX) and p.is_dir()]
    for staging in stagings:
        if _staging_in_use(staging):
            continue
        if not (staging / _DONE).exists() and (staging / _MANIFEST).exists():
            restored += _roll_back(outdir, staging)
        shutil.rmtree(staging, ignore_errors=True)
    return restored


def _roll_back(outdir: Path, staging: Path) -> list[PurePosixPath]:
    """Per path: not yet moved (still in new/) → nothing to do; moved in → remove it; moved aside (in old/) →
    put it back.  Correct whatever moment the commit was interrupted at."""
    restored = []
    for line in (staging / _MANIFEST).read_text("utf-8").splitlines():
        if not line:
            continue
        action, rel = line.split(" ", 1)
        target = outdir / rel
        if action == "add" and not (staging / _NEW / rel).exists():
            try:
                target.unlink()
            except FileNotFoundError:
                pass
        old = staging / _OLD / rel
        if old.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(old, target)
            restored.append(PurePosixPath(rel))
    return restored


def _interruption(exc: BaseException | None) -> BaseException | None:
    """The interruption (Ctrl-C, a signal: a BaseException that is no Exception) behind ``exc``, if any."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if not isinstance(exc, Exception):
            return exc
        seen.add(id(exc))
        exc = exc.__context__
    return None


def write_staged(target: Path, data: bytes) -> None:
    """A new file in a staging folder (its folders made as needed); on disk at the commit (:func:`sync_files`)."""
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, _FILE_MODE)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def _syncfs(fd: int) -> bool:
    """``syncfs(2)``: every file written on the file system of ``fd`` is on disk when it returns 0 (Linux; it
    reports write-back errors since 5.8).  False where it does not exist or fails: the caller syncs each file."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.syncfs(ctypes.c_int(fd)) == 0
    except (OSError, AttributeError):
        return False


def sync_files(folder_fd: int | None, files: Iterable[Path]) -> None:
    """Put the staged ``files`` on disk before the commit names them: one ``syncfs`` of the staging folder's
    file system (the disk commits the whole set in one flush instead of one per file: thousands of documents
    cost one write-back, not thousands), else one ``fsync`` per file.  Raises the OSError of a failed flush."""
    if folder_fd is not None and _syncfs(folder_fd):
        return
    for path in files:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _move_in(outdir: Path, staging: Path, added: list[PurePosixPath], removals: list[PurePosixPath]) -> None:
    """The commit's moves: each file it replaces or removes (a file or a link) into the staging folder's old/,
    each staged file into place; folders made once each (thousands of documents share a few)."""
    made: set[str] = set()

    def folder_of(path: str) -> None:
        parent = os.path.dirname(path)
        if parent not in made:
            os.makedirs(parent, exist_ok=True)
            made.add(parent)

    out, new, old = os.fspath(outdir), os.fspath(staging / _NEW), os.fspath(staging / _OLD)
    adding = set(added)
    for rel in [*added, *removals]:
        name = str(rel)
        target = os.path.join(out, name)
        try:
            mode = os.lstat(target).st_mode
        except FileNotFoundError:
            mode = 0
        if stat.S_ISREG(mode) or stat.S_ISLNK(mode):      # what Path.is_file() or is_symlink() says
            folder_of(os.path.join(old, name))
            os.replace(target, os.path.join(old, name))
        if rel in adding:
            folder_of(target)
            os.replace(os.path.join(new, name), target)


class StagedOutput:
    """A set of output files written as one transaction::

        with StagedOutput(outdir, planned, force) as out:   # refuses existing files unless force
            for rel, data in documents:                     # one at a time: nothing kept in memory
                out.add(rel, data)
            files = out.commit()                            # every file in place, or none

    Files go into a staging folder inside ``outdir`` (same file system, so moving them in is a rename).
    ``commit`` moves the previous files aside, the new ones in, then marks the set done; leaving the ``with``
    block without committing (an error, Ctrl-C, a full disk) removes the staging folder, so ``outdir`` keeps
    exactly its previous contents.  A build killed outright (SIGKILL, power cut) leaves only its staging folder,
    which the next build rolls back and removes (:func:`recover`).  OSErrors become :class:`OutputError` with a
    Vietnamese message; on a full disk it says about how much more space is needed."""

    def __init__(self, outdir: Path, planned: Sequence[PurePosixPath], force: bool = False) -> None:
        self.outdir = Path(outdir)
        self.planned = [PurePosixPath(p) for p in planned]
        self.force = force
        self.removals: list[PurePosixPath] = []       # existing files the commit removes (stale PDFs)
        self.restored: list[PurePosixPath] = []       # files put back from a killed build
        self.staging: Path | None = None
        self._added: dict[PurePosixPath, int] = {}   # rel → size
        self._created: Path | None = None            # the first folder this build created, removed on abort
        self._fd: int | None = None
        self._committed = False

    # -------------------------------------------------------------- set up
    def __enter__(self) -> "StagedOutput":
        try:
            self._open()
        except OSError as exc:
            self._abort()
            raise OutputError(f"{os_error_message(exc, self.outdir)}; không có văn bản nào được ghi.") from None
        except BaseException:
            self._abort()
            raise
        return self

    def _open(self) -> None:
        outdir = self.outdir
        for parent in (outdir, *outdir.parents):
            if parent.exists():
                if not parent.is_dir():
                    raise OutputError(f'Không tạo được thư mục đầu ra {outdir}: "{parent}" là một tệp, không phải '
                                      "thư mục. Chọn thư mục khác (-o).")
                break
            self._created = parent
        existed = outdir.is_dir()
        check_can_write(outdir, self.planned, self.force)
        outdir.mkdir(parents=True, exist_ok=True)
        with _FolderLock(outdir):
            if existed:
                self.restored = _recover_locked(outdir)
                for tmp in outdir.rglob(".docgen-*.tmp"):
                    tmp.unlink(missing_ok=True)
                check_can_write(outdir, self.planned, self.force)    # what the roll-back put back counts too
            self.staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=outdir))
            if fcntl is not None:
                self._fd = os.open(self.staging, os.O_RDONLY)
                _lock(self._fd, blocking=True)

    def __exit__(self, exc_type, exc, tb) -> bool:
        if not self._committed:
            self._abort()
        self._release()
        interrupted = _interruption(exc)
        if interrupted is not None and interrupted is not exc:
            raise interrupted          # Ctrl-C, then a clean-up error (LibreOffice still writing): the Ctrl-C counts
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError(self._failure(exc)) from None
        return False

    # -------------------------------------------------------------- writing
    def path(self, rel: PurePosixPath | str) -> Path:
        """Where ``rel`` is staged (for tools such as LibreOffice that write files themselves)."""
        assert self.staging is not None
        return self.staging / _NEW / self._checked(rel)

    def _checked(self, rel: PurePosixPath | str) -> PurePosixPath:
        rel = rel if type(rel) is PurePosixPath else PurePosixPath(rel)
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise OutputError(f'Đường dẫn "{rel}" nằm ngoài thư mục đầu ra, từ chối ghi.')
        return rel

    def add(self, rel: PurePosixPath | str, data: bytes) -> None:
        rel = self._checked(rel)
        self._added[rel] = len(data)      # counted before writing: the estimate of a full disk includes it
        write_staged(self.path(rel), data)

    def adopt(self, rel: PurePosixPath | str, size: int | None = None) -> None:
        """Take a file written directly at :meth:`path` (by a render worker with :func:`write_staged`, by
        LibreOffice) into the set; ``size``: its size, when the writer said it."""
        rel = self._checked(rel)
        self._added[rel] = self.path(rel).stat().st_size if size is None else size

    def remove(self, rel: PurePosixPath | str) -> None:
        """Remove an existing output file as part of the commit (kept if the build does not finish)."""
        self.removals.append(self._checked(rel))

    # -------------------------------------------------------------- commit / abort
    def commit(self) -> list[Path]:
        """Move every staged file into place; all of them or, if interrupted, none (rolled back)."""
        assert self.staging is not None
        staging, outdir = self.staging, self.outdir
        removals = [rel for rel in dict.fromkeys(self.removals) if rel not in self._added]
        manifest = [f"add {rel}" for rel in self._added] + [f"remove {rel}" for rel in removals]
        lock = _FolderLock(outdir)
        try:
            sync_files(self._fd, (staging / _NEW / rel for rel in self._added))   # before the manifest says "add"
            lock.__enter__()
            check_can_write(outdir, list(self._added), self.force)   # a concurrent build may have finished first
            with open(staging / (_MANIFEST + ".tmp"), "w", encoding="utf-8") as fh:
                fh.write("\n".join(manifest) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(staging / (_MANIFEST + ".tmp"), staging / _MANIFEST)    # whole, or absent
            _move_in(outdir, staging, list(self._added), removals)
            fd = os.open(staging / _DONE, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            os.fsync(fd)
            os.close(fd)
        except BaseException as exc:
            if (staging / _MANIFEST).exists():
                _roll_back(outdir, staging)
            if isinstance(exc, OSError) and not isinstance(exc, OutputError):
                raise OutputError(self._failure(exc)) from None
            raise
        finally:
            lock.__exit__()
        self._committed = True
        shutil.rmtree(staging, ignore_errors=True)
        return [outdir / rel for rel in self._added]

    def _abort(self) -> None:
        self._remove_staging()

    def _remove_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self._created is not None and self._created.is_dir():
            for d in [self.outdir, *self.outdir.parents]:     # folders this build created, if still empty
                try:
                    d.rmdir()
                except OSError:
                    break
                if d == self._created:
                    break

    def _release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def _failure(self, exc: OSError) -> str:
        """The message for an OSError met while staging or committing (the staging folder is already gone)."""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            written = sum(self._added.values())
            count = max(len(self._added), 1)
            expected = written / count * max(len(self.planned), count)
            try:
                free = shutil.disk_usage(self.outdir if self.outdir.exists() else self.outdir.parent).free
            except OSError:
                free = 0
            need = _mb(int(expected * 1.1) - free)
            return (f"Ổ đĩa đầy: cần thêm khoảng {need} MB trống ở {self.outdir}; không có văn bản nào được ghi "
                    "(thư mục giữ nguyên như trước).")
        return f"{os_error_message(exc, self.outdir)}; không có văn bản nào được ghi (thư mục giữ nguyên như trước)."
