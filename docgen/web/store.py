"""Where the web app keeps things: uploads (temporary, one folder each), past builds (the Lịch sử, kept in
the data folder on this machine) and the clerk's own templates.

Nothing a browser sends is ever used as a path: folders are named by random ids made here, files by fixed
names, and a download is served only when the path asked for is one the build recorded.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from .kinds import TEMPLATE_KINDS

WORKBOOK_NAME = "bang-tinh.xlsx"          # the name every uploaded workbook is stored under
_ID = re.compile(r"[A-Za-z0-9_-]{8,64}")


def new_id() -> str:
    return secrets.token_urlsafe(12)


def valid_id(value: str) -> bool:
    return bool(_ID.fullmatch(value or ""))


def default_data_dir() -> Path:
    """Per-user data folder: %LOCALAPPDATA%\\docgen, ~/Library/Application Support/docgen, or
    $XDG_DATA_HOME/docgen (~/.local/share/docgen)."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "docgen"


def display_name(client_name: str | None, default: str) -> str:
    """The client's file name for showing only (never a path): last component, printable, short."""
    name = re.split(r"[\\/]", client_name or "")[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or default)[:120]


# ---------------------------------------------------------------------------------------------- uploads
@dataclass
class Upload:
    id: str
    folder: Path
    name: str                         # what the clerk called the file (display only)
    created: float = field(default_factory=time.time)
    checked: object = None            # the cached validation (docgen.web.views.Validation)

    @property
    def workbook(self) -> Path:
        return self.folder / WORKBOOK_NAME


class Uploads:
    """Uploaded workbooks, each in its own temporary folder, removed when replaced, expired or at exit."""

    MAX_AGE = 12 * 3600
    MAX_COUNT = 200

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._items: dict[str, Upload] = {}
        self._lock = threading.Lock()

    def create(self, name: str) -> Upload:
        self.sweep()
        upload_id = new_id()
        folder = self.root / upload_id
        folder.mkdir()
        upload = Upload(upload_id, folder, name)
        with self._lock:
            self._items[upload_id] = upload
        return upload

    def get(self, upload_id: str | None) -> Upload | None:
        if not upload_id or not valid_id(upload_id):
            return None
        with self._lock:
            return self._items.get(upload_id)

    def discard(self, upload_id: str) -> None:
        with self._lock:
            upload = self._items.pop(upload_id, None)
        if upload is not None:
            shutil.rmtree(upload.folder, ignore_errors=True)

    def sweep(self) -> None:
        now = time.time()
        with self._lock:
            ordered = sorted(self._items.values(), key=lambda u: u.created)
            old = [u for u in ordered if now - u.created > self.MAX_AGE]
            old += [u for u in ordered[: max(0, len(ordered) - self.MAX_COUNT + 1)] if u not in old]
        for upload in old:
            self.discard(upload.id)


# ---------------------------------------------------------------------------------------------- history
@dataclass
class BuildRecord:
    id: str
    created: str                                  # ISO time, local
    workbook_name: str
    documents: list[str]
    files: list[str]                              # output paths relative to the build's van-ban/ folder
    titles: dict[str, str] = field(default_factory=dict)
    pdfs: dict[str, str] = field(default_factory=dict)        # docx rel → pdf rel
    previews: dict[str, str] = field(default_factory=dict)    # docx rel → png rel
    print_file: str | None = None
    zip_name: str = "van-ban.zip"
    warnings: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def when(self) -> str:
        return datetime.fromisoformat(self.created).strftime("%H:%M ngày %d/%m/%Y")

    @property
    def docx(self) -> list[str]:
        return [f for f in self.files if f.endswith(".docx")]

    def servable(self) -> set[str]:
        return {*self.files, *self.pdfs.values(), *self.previews.values(), *([self.print_file] if
                                                                           self.print_file else [])}


class History:
    """Past builds on this machine: ``<data>/lich-su/<id>/`` with ``van-ban/``, ``van-ban.zip``, ``meta.json``.
    A folder without ``meta.json`` is a build in progress (or one that died) and is not listed."""

    KEEP = 100

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def new_folder(self) -> tuple[str, Path]:
        build_id = datetime.now().strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(4)
        folder = self.root / build_id
        folder.mkdir()
        return build_id, folder

    def folder(self, build_id: str) -> Path | None:
        if not valid_id(build_id):
            return None
        folder = self.root / build_id
        return folder if (folder / "meta.json").is_file() else None

    def save(self, record: BuildRecord) -> None:
        target = self.root / record.id / "meta.json"
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(record), ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
        self._trim()

    def get(self, build_id: str) -> BuildRecord | None:
        folder = self.folder(build_id)
        if folder is None:
            return None
        try:
            data = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            return BuildRecord(**data)
        except (OSError, ValueError, TypeError):
            return None

    def all(self) -> list[BuildRecord]:
        records = [self.get(p.name) for p in self.root.iterdir() if p.is_dir()]
        return sorted((r for r in records if r is not None), key=lambda r: r.id, reverse=True)

    def delete(self, build_id: str) -> bool:
        folder = self.folder(build_id)
        if folder is None:
            return False
        shutil.rmtree(folder, ignore_errors=True)
        return True

    def discard_folder(self, build_id: str) -> None:
        if valid_id(build_id):
            shutil.rmtree(self.root / build_id, ignore_errors=True)

    def file(self, build_id: str, rel: str) -> Path | None:
        """The file ``rel`` of a build, only when the build recorded it."""
        record = self.get(build_id)
        if record is None or rel not in record.servable():
            return None
        base = self.root / record.id
        path = base / rel if rel in record.previews.values() else base / "van-ban" / rel
        return path if path.is_file() else None

    def sweep_unfinished(self, older_than: float = 3600) -> None:
        now = time.time()
        for p in self.root.iterdir():
            if p.is_dir() and not (p / "meta.json").exists() and now - p.stat().st_mtime > older_than:
                shutil.rmtree(p, ignore_errors=True)

    def _trim(self) -> None:
        with self._lock:
            for record in self.all()[self.KEEP:]:
                self.delete(record.id)


# ---------------------------------------------------------------------------------------------- templates
class CustomTemplates:
    """The clerk's own templates, ``<data>/mau/<built-in file name>``; a build uses them instead of the
    built-in template of the same name."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path | None:
        if name not in TEMPLATE_KINDS:
            return None
        return self.root / name

    def present(self) -> dict[str, float]:
        """File name → modification time of every custom template."""
        return {name: (self.root / name).stat().st_mtime for name in TEMPLATE_KINDS if (self.root / name).is_file()}

    def install(self, name: str, source: Path) -> None:
        target = self.path(name)
        if target is None:
            raise KeyError(name)
        tmp = self.root / f".{new_id()}.tmp"
        shutil.copyfile(source, tmp)
        os.replace(tmp, target)

    def remove(self, name: str) -> bool:
        target = self.path(name)
        if target is None or not target.is_file():
            return False
        target.unlink()
        return True

    def templates_dir(self) -> Path | None:
        return self.root if self.present() else None
