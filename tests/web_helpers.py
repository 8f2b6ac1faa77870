"""A real ``docgen serve`` for the web tests and the screenshot tool, and the files they upload."""
from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("DOCGEN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--lang=vi"]


class Server:
    """``python -m docgen serve --port 0 --no-browser`` in its own temporary folder (TMPDIR), so the
    tests can see what it leaves behind."""

    def __init__(self, base: Path, *extra: str) -> None:
        self.data_dir = base / "data"
        self.tmp = base / "tmp"
        self.tmp.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(self.tmp)}
        self.proc = subprocess.Popen([sys.executable, "-m", "docgen", "serve", "--port", "0", "--no-browser",
                                      "--data-dir", str(self.data_dir), *extra],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                                     cwd=str(ROOT))
        assert self.proc.stdout is not None
        self.banner = [self.proc.stdout.readline()]
        match = re.search(r"(http://\S+)", self.banner[0])
        if not match:
            self.proc.kill()
            raise RuntimeError(f"docgen serve did not start: {self.banner[0]}{self.proc.stdout.read()}")
        self.url = match.group(1)
        self.base_url = self.url.split("?", 1)[0].rstrip("/")
        while not self.banner[-1].startswith("Đóng cửa sổ") and self.proc.poll() is None:
            self.banner.append(self.proc.stdout.readline())
        self.output: list[str] = []          # what it prints later, read as it comes so the pipe never fills
        self._reader = threading.Thread(target=lambda: self.output.extend(self.proc.stdout), daemon=True)
        self._reader.start()

    def work_roots(self) -> list[Path]:
        return sorted(self.tmp.glob("docgen-web-*"))

    def stop(self, sig: int = signal.SIGTERM) -> str:
        """Stop the server (SIGINT is Ctrl+C) and return what it printed after its banner."""
        self.proc.send_signal(sig)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(timeout=5)
        return "".join(self.output)


def broken_workbook(folder: Path) -> Path:
    """The example workbook with two located mistakes: impossible birth dates on Cá nhân rows 3 and 5."""
    from openpyxl import load_workbook

    from docgen.build import demo_workbook

    wb = load_workbook(demo_workbook())
    ws = wb["Cá nhân"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("Ngày sinh") + 1, value="31/02/1980")
    ws.cell(row=5, column=headers.index("Ngày sinh") + 1, value="15/13/1979")
    target = folder / "ho-so-loi.xlsx"
    wb.save(target)
    return target


def template_with(target: Path, line: str, name: str = "ke-hoach.docx") -> Path:
    """A built-in template with one paragraph added to its body, just before the closing paragraph ("… ./."),
    where a clerk would add one (after the signature it would break the NĐ 30 layout, which the lint refuses)."""
    from docx import Document

    from docgen.build import builtin_templates_dir

    doc = Document(str(builtin_templates_dir() / name))
    closing = next(p for p in doc.paragraphs if p.text.rstrip().endswith("./."))
    closing.insert_paragraph_before(line, closing.style)
    doc.save(str(target))
    return target


def zip_bomb_xlsx() -> bytes:
    """A workbook-shaped zip with one member inflating 1000:1 (refused before parsing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (20 * 1024 * 1024) + b"/>")
    return buf.getvalue()


def entity_xlsx() -> bytes:
    """A workbook-shaped zip whose XML declares entities (billion laughs)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                                       '<!ENTITY lol2 "&lol;&lol;&lol;">]><workbook>&lol2;</workbook>')
    return buf.getvalue()
