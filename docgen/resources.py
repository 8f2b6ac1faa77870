"""Where docgen's own files are: the built-in templates, the bundled workbooks, and which template a build
uses (a clerk's ``--templates`` folder, a ``templates/`` folder beside the workbook, or the built-in one)."""
from __future__ import annotations

import os
from pathlib import Path

from .errors import TemplateError

PACKAGE_DIR = Path(__file__).resolve().parent


def _resource_dir(installed: str, source: str) -> Path:
    """Inside an installed wheel the folder sits in the package; in a source checkout, beside it."""
    inside = PACKAGE_DIR / installed
    if inside.is_dir():
        return inside
    return PACKAGE_DIR.parent / source


def cache_dir(name: str) -> Path | None:
    """A folder docgen keeps between runs (LibreOffice profiles, compiled and prepared templates):
    $DOCGEN_CACHE_DIR, else the user's cache folder ($XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows),
    in ``docgen/<name>``, made if need be.  None without a home folder, when it cannot be made, or when it is
    not the user's alone (someone else may write in it): what is read back from it is run — Python code,
    LibreOffice profiles — so a folder shared with others is never used."""
    root = os.environ.get("DOCGEN_CACHE_DIR")
    try:
        base = Path(root) if root else Path(os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA")
                                            or Path.home() / ".cache") / "docgen"
    except RuntimeError:                                      # no home folder
        return None
    folder = base / name
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        st = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (st.st_uid != os.getuid() or st.st_mode & 0o022):   # (Windows: the profile's)
        return None
    return folder


def builtin_templates_dir() -> Path:
    return _resource_dir("_templates", "templates")


def is_builtin_template(path: Path) -> bool:
    """Whether ``path`` is one of docgen's own templates (the file itself, links resolved, lies in the built-in
    folder): those are trusted; any other template is a clerk's, checked, linted and compiled under limits."""
    return Path(path).resolve().parent == builtin_templates_dir().resolve()


def fixtures_dir() -> Path:
    return _resource_dir("_fixtures", "fixtures")


def demo_workbook() -> Path:
    return fixtures_dir() / "vksnd-cao-bang.xlsx"


def default_outdir(workbook: Path) -> Path:
    return workbook.parent / f"{workbook.stem}-van-ban"


def find_template(name: str, *, templates_dir: Path | None = None, workbook: Path | None = None) -> Path:
    """A .docx in ``--templates DIR``, else in a ``templates/`` folder beside the workbook, replaces the
    built-in template of the same file name."""
    candidates = []
    if templates_dir is not None:
        candidates.append(Path(templates_dir) / name)
    if workbook is not None:
        candidates.append(Path(workbook).parent / "templates" / name)
    candidates.append(builtin_templates_dir() / name)
    for c in candidates:
        if c.is_file():
            return c
    raise TemplateError(f'Không tìm thấy mẫu văn bản "{name}" (đã tìm ở: {", ".join(str(c.parent) for c in candidates)}).')
