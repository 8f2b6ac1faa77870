"""Build workbooks and print a digest of every output, part by part, to compare two versions of docgen.

    python tools/snapshot_builds.py fixtures/*.xlsx more/*.xlsx > before.txt
    (change the code)
    python tools/snapshot_builds.py fixtures/*.xlsx more/*.xlsx > after.txt
    diff before.txt after.txt        # empty: every document is XML-identical

Each workbook is built with a fixed date into a temporary folder.  For every .docx/.xlsx written, each zip
part is listed with the SHA-256 of its bytes (docProps/core.xml without its timestamps); other files (the
kiểm tra text) are hashed whole.  A workbook that does not build prints the Vietnamese message instead, so
a change in what is refused shows up too.
"""
from __future__ import annotations

import hashlib
import re
import sys
import tempfile
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen import build  # noqa: E402
from docgen.errors import DocgenError  # noqa: E402

TODAY = date(2026, 11, 22)
_STAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:16]


def describe(path: Path, root: Path) -> list[str]:
    rel = path.relative_to(root).as_posix()
    if path.suffix in (".docx", ".xlsx"):
        lines = []
        with zipfile.ZipFile(path) as z:
            for name in sorted(z.namelist()):
                data = z.read(name)
                if name == "docProps/core.xml":
                    data = _STAMPS.sub(b"", data)
                lines.append(f"  {rel}:{name} {_digest(data)}")
        return lines
    return [f"  {rel} {_digest(path.read_bytes())}"]


def snapshot(workbook: Path) -> list[str]:
    out = [f"# {workbook.name}"]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "out"
        try:
            build(workbook, root, today=TODAY)
        except DocgenError as exc:
            return out + [f"  refused: {type(exc).__name__}: {exc}"]
        for f in sorted(p for p in root.rglob("*") if p.is_file()):
            out += describe(f, root)
    return out


def main(argv: list[str]) -> int:
    for arg in argv:
        print("\n".join(snapshot(Path(arg))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
