"""Render the README pictures: the first page of each document type of the demo, as PNG.

    python tools/render_previews.py          # writes docs/img/*.png

Needs LibreOffice (soffice) and poppler-utils (pdftoppm).  The demo is built with a fixed date so the
pictures only change when the templates or the demo data change.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docgen.build import demo  # noqa: E402
from docgen import pdf as pdf_export  # noqa: E402

IMG = ROOT / "docs" / "img"
PICTURES = {            # picture name → document of the demo
    "ke-hoach": "ke-hoach.docx",
    "to-trinh": "to-trinh.docx",
    "bien-ban-hop": "bien-ban-hop.docx",
    "bao-cao-ca-nhan": "bao-cao-thanh-tich/04-nong-thi-hong-nhung.docx",
    "bao-cao-tap-the": "bao-cao-thanh-tich/01-phong-thong-ke-toi-pham-va-cong-nghe-thong-tin.docx",
}


def main(dpi: int = 70) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        sys.exit('Cần pdftoppm (Debian/Ubuntu: "apt-get install poppler-utils").')
    IMG.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "demo"
        demo(out, today=date(2026, 11, 22))
        files = [out / rel for rel in PICTURES.values()]
        pdfs = pdf_export.convert_to_pdf(files, Path(tmp) / "pdf")
        by_stem = {p.stem: p for p in pdfs}
        for name, rel in PICTURES.items():
            pdf = by_stem[Path(rel).stem]
            target = IMG / name
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", "1", "-l", "1", "-singlefile",
                            str(pdf), str(target)], check=True)
            written.append(target.with_suffix(".png"))
    for path in written:
        print(path.relative_to(ROOT))
    return written


if __name__ == "__main__":
    main()
