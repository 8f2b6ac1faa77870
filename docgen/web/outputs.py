"""What a build leaves for the browser besides the documents: first-page pictures, titles, one ZIP."""
from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

from lxml import etree

from ..text import slug

PREVIEW_DPI = 50
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def preview_png(pdf: Path, target: Path, dpi: int = PREVIEW_DPI) -> Path | None:
    """The first page of ``pdf`` as ``target`` (PNG), or None when poppler cannot draw it."""
    tool = pdftoppm()
    if tool is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    stem = target.with_suffix("")
    try:
        subprocess.run([tool, "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
                       check=True, capture_output=True, timeout=60)
    except (subprocess.SubprocessError, OSError):
        return None
    return target if target.is_file() else None


def docx_title(path: Path) -> str:
    """The title docgen wrote into the document properties (a docgen output, read without python-docx)."""
    try:
        with zipfile.ZipFile(path) as zf:
            root = etree.fromstring(zf.read("docProps/core.xml"), _PARSER)
        node = root.find(_DC_TITLE)
        return " ".join((node.text or "").split()) if node is not None else ""
    except (OSError, KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return ""


def zip_folder(folder: Path, target: Path) -> Path:
    """Every file under ``folder`` (paths relative to it) into ``target``."""
    tmp = target.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith(".docgen-"):
                zf.write(path, path.relative_to(folder).as_posix())
    tmp.replace(target)
    return target


def download_name(workbook_name: str, created: str, suffix: str = ".zip") -> str:
    """An ASCII file name for the browser: van-ban-<workbook>-<yyyymmdd-hhmm>.zip."""
    stem = slug(Path(workbook_name).stem)[:60] or "ho-so"
    stamp = created[:16].replace("-", "").replace(":", "").replace("T", "-")
    return f"van-ban-{stem}-{stamp}{suffix}"
