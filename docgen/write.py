"""Stage 5 — write: files on disk, atomically, never outside the output folder, never over existing
files without ``--force``; the danh sách spreadsheet; PDF through LibreOffice."""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path, PurePosixPath
from typing import Iterable, Mapping, Sequence

from .errors import OutputError

WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
_BAD_CHARS = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
MAX_NAME = 120


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
        while str(candidate).lower() in seen:
            candidate = p.with_name(f"{p.stem}-{n}{p.suffix}")
            n += 1
        seen.add(str(candidate).lower())
        out.append(candidate)
    return out


def existing_outputs(outdir: Path, relpaths: Iterable[PurePosixPath]) -> list[PurePosixPath]:
    return [p for p in relpaths if (outdir / p).exists()]


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
    written = []
    root = outdir.resolve()
    for rel, data in files.items():
        target = (outdir / rel).resolve()
        if root not in target.parents:
            raise OutputError(f'Đường dẫn "{rel}" nằm ngoài thư mục đầu ra, từ chối ghi.')
        write_atomic(target, data)
        written.append(outdir / rel)
    return written


def clean_stale_temporaries(outdir: Path) -> None:
    """Remove temporaries left by a run that was killed (they never carry a final name)."""
    if not outdir.is_dir():
        return
    for tmp in outdir.rglob(".docgen-*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


# ---------------------------------------------------------------------------------- spreadsheets
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value):
    """Text that a spreadsheet would read as a formula is kept as text (issue: formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def spreadsheet_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence], *,
                      widths: Sequence[int] | None = None, heading: str | None = None) -> bytes:
    """A simple formatted .xlsx (one sheet) in memory; cell text is never interpreted as a formula."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    r = 1
    if heading:
        ws.cell(row=1, column=1, value=neutralise_cell(heading)).font = Font(name="Times New Roman", bold=True,
                                                                             size=13)
        r = 3
    for c, h in enumerate(headers, start=1):
        cell = ws.cell(row=r, column=c, value=h)
        cell.font = Font(name="Times New Roman", bold=True, size=12)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = ws.cell(row=r + 1, column=1)
    from openpyxl.styles import NamedStyle

    body = NamedStyle("Danh sách", font=Font(name="Times New Roman", size=12), border=border,
                      alignment=Alignment(vertical="top", wrap_text=True))
    wb.add_named_style(body)           # one style for every body cell (thousands of rows: no per-cell styles)
    for row in rows:
        r += 1
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c, value=neutralise_cell(v))
            if isinstance(cell.value, str):
                cell.data_type = "s"
            cell.style = "Danh sách"
    for c, w in enumerate(widths or (), start=1):
        from openpyxl.utils import get_column_letter

        ws.column_dimensions[get_column_letter(c)].width = w
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
