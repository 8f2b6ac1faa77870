"""Render the README pictures: a page of each document type, as PNG.

    python tools/render_previews.py          # writes docs/img/*.png

The Kế hoạch, Tờ trình, Biên bản and the two Báo cáo thành tích come from the demo (VKSND tỉnh Cao Bằng); the
Quyết định from the Sở VHTTDL round (fixtures/so-vhttdl-cao-bang.xlsx, whose Giám đốc decides four forms); a
continued page of a long list from the Sở's year-end round (fixtures/so-vhttdl-tong-ket.xlsx, 55 tập thể and
cá nhân): the header row repeated, group headings kept with their rows.  Every round is built with a fixed
date, so the pictures only change when the templates or the data change.  Each PDF is checked with
``docgen check --render`` first: a picture of a page that fails the printed checks is not written.

Needs LibreOffice (soffice) and poppler-utils (pdftoppm).
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

from docgen.build import build, demo  # noqa: E402
from docgen.nd30.printed import render_and_check  # noqa: E402

IMG = ROOT / "docs" / "img"
TODAY = date(2026, 11, 22)
ROUNDS = {              # round → workbook (None: the demo)
    "demo": None,
    "so": ROOT / "fixtures" / "so-vhttdl-cao-bang.xlsx",
    "tong-ket": ROOT / "fixtures" / "so-vhttdl-tong-ket.xlsx",
}
PICTURES = {            # picture name → (round, document, page)
    "ke-hoach": ("demo", "ke-hoach.docx", 1),
    "to-trinh": ("demo", "to-trinh.docx", 1),
    "bien-ban-hop": ("demo", "bien-ban-hop.docx", 1),
    "bao-cao-ca-nhan": ("demo", "bao-cao-thanh-tich/04-nong-thi-hong-nhung.docx", 1),
    "bao-cao-tap-the": ("demo", "bao-cao-thanh-tich/01-phong-thong-ke-toi-pham-va-cong-nghe-thong-tin.docx", 1),
    "quyet-dinh": ("so", "quyet-dinh.docx", 1),
    "quyet-dinh-danh-sach": ("so", "quyet-dinh.docx", 3),
    "danh-sach-trang-tiep": ("tong-ket", "quyet-dinh.docx", 4),
    "bien-ban-trang-tiep": ("tong-ket", "bien-ban-hop.docx", 3),
}


def main(dpi: int = 70) -> list[Path]:
    if shutil.which("pdftoppm") is None:
        sys.exit('Cần pdftoppm (Debian/Ubuntu: "apt-get install poppler-utils").')
    IMG.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        built = {}
        for name, workbook in ROUNDS.items():
            out = Path(tmp) / name
            if workbook is None:
                demo(out, today=TODAY)
            else:
                build(workbook, out, today=TODAY)
            built[name] = out
        bad = []
        for round_, out in built.items():          # one folder of PDFs per round: stems repeat across rounds
            files = sorted({out / rel for r, rel, _ in PICTURES.values() if r == round_})
            found = render_and_check(files, Path(tmp) / "pdf" / round_)
            bad += [f"{p}: {f.format()}" for p, fs in found.items() for f in fs]
        if bad:
            sys.exit("Trang in chưa đạt (docgen check --render):\n" + "\n".join(bad))
        for name, (round_, rel, page) in PICTURES.items():
            pdf = Path(tmp) / "pdf" / round_ / f"{Path(rel).stem}.pdf"
            target = IMG / name
            subprocess.run(["pdftoppm", "-png", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile",
                            str(pdf), str(target)], check=True)
            written.append(target.with_suffix(".png"))
    for path in written:
        print(path.relative_to(ROOT))
    return written


if __name__ == "__main__":
    main()
