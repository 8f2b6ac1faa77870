"""Screenshots of every page of ``docgen serve`` for the README, taken in headless Chromium.

    python tools/web_screenshots.py          # writes docs/img/web-*.png

Starts a real ``docgen serve`` (a fresh data folder, a free port), walks a clerk's path with Playwright for
Python — a workbook with mistakes, the bundled example workbook built with PDF previews, a custom template
with a mistyped variable — and photographs each page.  Needs Chromium (/usr/bin/chromium, or DOCGEN_CHROMIUM);
LibreOffice and pdftoppm for the previews.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from web_helpers import CHROMIUM, CHROMIUM_ARGS, Server, broken_workbook, template_with  # noqa: E402

IMG = ROOT / "docs" / "img"


def main() -> list[Path]:
    from playwright.sync_api import sync_playwright

    IMG.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = Server(folder)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                page = browser.new_page(viewport={"width": 1200, "height": 860}, locale="vi-VN")
                url = server.base_url

                def shot(name: str) -> None:
                    target = IMG / f"web-{name}.png"
                    page.screenshot(path=str(target), full_page=True)
                    shots.append(target)

                page.goto(url + "/")
                shot("bat-dau")
                page.set_input_files("form.upload input[type=file]", str(broken_workbook(folder)))
                page.click("form.upload button[type=submit]")
                page.wait_for_url("**/kiem-tra")
                shot("kiem-tra")
                page.goto(url + "/")
                page.click("text=Dùng thử với bảng tính mẫu")
                page.wait_for_url("**/kiem-tra")
                page.click("text=Sang bước 3: Tạo văn bản")
                page.click("#form-tao button[type=submit]")
                page.wait_for_selector("#tien-do")
                _wait_for_progress(page, 45)                  # the PDF export: half-way
                shot("tien-do")
                page.wait_for_selector("#ket-qua", timeout=120_000)
                page.wait_for_load_state("networkidle")
                shot("van-ban")
                page.goto(url + "/mau")
                template = template_with(folder / "ke-hoach-sua.docx", "Đơn vị chủ trì: {{ co_quan_tenn }}")
                page.set_input_files("form.upload input[type=file]", str(template))
                page.click("form.upload button[type=submit]")
                page.wait_for_selector("#bao-cao")
                shot("mau")
                page.goto(url + "/lich-su")
                shot("lich-su")
                browser.close()
        finally:
            server.stop()
    for path in shots:
        print(path.relative_to(ROOT))
    return shots


def _wait_for_progress(page, percent: int, timeout: float = 120) -> None:
    """Poll the progress bar (the page's Content-Security-Policy forbids evaluated predicates)."""
    import time

    end = time.monotonic() + timeout
    bar = page.locator("#thanh-tien-do")
    while time.monotonic() < end:
        if bar.count() == 0 or float(bar.evaluate("el => el.value")) >= percent:
            return
        time.sleep(0.1)


if __name__ == "__main__":
    main()
