"""A clerk's path through ``docgen serve`` in headless Chromium (Playwright for Python, the Debian browser):
blank workbook, upload, read the report, build with a live progress bar, preview, download and check the
documents, Lịch sử, a custom template and its report."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from web_helpers import CHROMIUM, CHROMIUM_ARGS, Server, broken_workbook, template_with

from docgen.build import demo_workbook
from docgen.pdf import find_soffice

if not Path(CHROMIUM).exists():
    pytest.skip(f"Chromium is not installed at {CHROMIUM} (Debian: apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")

HAS_PDF = find_soffice() is not None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("web-browser"))
    yield srv
    out = srv.stop()
    assert "Traceback" not in out, out


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server.base_url, accept_downloads=True, locale="vi-VN")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == []          # no JavaScript error on any page


def _upload_workbook(page, path: Path) -> None:
    page.goto("/")
    page.set_input_files("form.upload input[type=file]", str(path))
    page.click("form.upload button[type=submit]")
    page.wait_for_url("**/kiem-tra")


def _rows(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(f"{selector} tbody tr",
                                     "rows => rows.map(r => [...r.cells].map(c => c.innerText.trim()))")


def test_blank_workbook_from_the_start_page(page, tmp_path):
    page.goto("/")
    assert page.inner_text("h1") == "Bắt đầu"
    with page.expect_download() as info:
        page.click("text=Tải bảng tính trống (ho-so.xlsx)")
    target = tmp_path / "ho-so.xlsx"
    info.value.save_as(target)
    assert info.value.suggested_filename == "ho-so.xlsx"
    from openpyxl import load_workbook

    sheets = load_workbook(target).sheetnames
    assert {"Thông tin", "Cá nhân", "Tập thể", "Người ký", "Hướng dẫn"} <= set(sheets)


def test_broken_workbook_shows_located_errors(page, tmp_path):
    _upload_workbook(page, broken_workbook(tmp_path))
    assert "Còn 2 lỗi cần sửa" in page.inner_text(".summary h2")
    rows = _rows(page, "#bang-van-de")
    assert ["Lỗi", "Cá nhân", "3", "Ngày sinh"] in [r[:4] for r in rows]
    assert any(r[:4] == ["Lỗi", "Cá nhân", "5", "Ngày sinh"] and "15/13/1979" in r[4] for r in rows)
    page.select_option("select[name=muc]", "loi")            # the filter submits itself
    page.wait_for_url("**muc=loi**")
    assert [r[0] for r in _rows(page, "#bang-van-de")] == ["Lỗi", "Lỗi"]
    shown = page.inner_text("#shown")                       # "Đang hiện 2/N vấn đề." with N every problem found
    total = sum(int(page.get_attribute(f"[data-count={c}]", "data-n") or page.inner_text(f"[data-count={c}]").split()[0])
                for c in ("loi", "canh_bao", "ghi_chu") if page.query_selector(f"[data-count={c}]"))
    assert shown == f"Đang hiện 2/{total} vấn đề."
    page.click("nav >> text=3. Văn bản")
    assert "Bảng tính còn 2 lỗi" in page.inner_text("main")
    assert page.locator("#form-tao").count() == 0


def test_build_preview_and_download_the_whole_ho_so(page, tmp_path):
    _upload_workbook(page, demo_workbook())
    assert "Bảng tính dùng được (còn 2 cảnh báo)" in page.inner_text(".summary h2")
    assert any(r[1:4] == ["Cá nhân", "7", "Kỷ luật"] for r in _rows(page, "#bang-van-de"))
    page.click("text=Sang bước 3: Tạo văn bản")
    assert page.is_checked("input[value=ke-hoach]") and not page.is_checked("input[value=quyet-dinh]")
    if not HAS_PDF:
        assert "chưa cài LibreOffice" in page.inner_text("#form-tao")
    page.click("#form-tao button[type=submit]")
    if HAS_PDF:                                              # LibreOffice takes seconds: the bar is seen moving
        seen = _follow_progress(page)
        assert max(seen) >= 45 and max(seen) > min(seen), seen
    page.wait_for_selector("#ket-qua", timeout=120_000)
    assert "Đã tạo 14 văn bản" in page.inner_text("#ket-qua h2")
    titles = page.eval_on_selector_all(".doc-info strong", "els => els.map(e => e.innerText)")
    assert titles[0].startswith("Kế hoạch") and sum(t.startswith("Báo cáo thành tích") for t in titles) == 11
    if HAS_PDF:
        for image in page.locator(".thumb img").all():       # lazily loaded: bring each into view
            image.scroll_into_view_if_needed()
        page.wait_for_load_state("networkidle")
        widths = page.eval_on_selector_all(".thumb img", "imgs => imgs.map(i => i.complete && i.naturalWidth)")
        assert len(widths) == 14 and all(w and w > 300 for w in widths)
        with page.expect_download() as info:
            page.locator("li.doc", has_text="Kế hoạch").get_by_text("Tải PDF").click()
        assert Path(info.value.path()).read_bytes().startswith(b"%PDF")
    with page.expect_download() as info:
        page.click("#tai-zip")
    archive = tmp_path / "ho-so.zip"
    info.value.save_as(archive)
    assert info.value.suggested_filename.startswith("van-ban-vksnd-cao-bang-")
    _check_archive(archive, tmp_path / "ra", with_pdf=HAS_PDF)


def _follow_progress(page, timeout: float = 120) -> list[float]:
    """The values the progress bar shows while the page stays open (updated by server-sent events)."""
    import time

    seen: list[float] = []
    end = time.monotonic() + timeout
    while time.monotonic() < end and page.locator("#ket-qua").count() == 0:
        try:
            bar = page.locator("#thanh-tien-do")
            if bar.count():
                seen.append(float(bar.evaluate("el => el.value", timeout=1000)))
        except sync_api.Error:               # the page navigated to the results meanwhile
            pass
        time.sleep(0.1)
    return seen


def _check_archive(archive: Path, folder: Path, with_pdf: bool) -> None:
    from docx import Document

    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        zf.extractall(folder)
    docx = sorted(folder.rglob("*.docx"))
    assert {"ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx", "danh-sach.xlsx", "kiem-tra.txt"} <= names
    assert len([n for n in names if n.startswith("bao-cao-thanh-tich/")]) == 11
    assert ("pdf/ho-so-de-nghi-khen-thuong.pdf" in names) == with_pdf
    text = "\n".join(p.text for p in Document(str(folder / "to-trinh.docx")).paragraphs)
    assert "TỜ TRÌNH" in text and "Cao Bằng" in text
    check = subprocess.run([sys.executable, "-m", "docgen", "check", *map(str, docx)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def _quick_build(page) -> None:
    """Upload the demo and build it without PDFs (a history entry of its own: the test does not depend on
    another test having run on the same server)."""
    _upload_workbook(page, demo_workbook())
    page.click("text=Sang bước 3: Tạo văn bản")
    pdf_box = page.query_selector("input[name=pdf]")
    if pdf_box is not None and pdf_box.is_checked():
        pdf_box.uncheck()
    page.click("#form-tao button[type=submit]")
    page.wait_for_selector("#ket-qua", timeout=120_000)


def test_history_lists_the_build_and_downloads_it_again(page, tmp_path):
    _quick_build(page)
    page.goto("/lich-su")
    rows = _rows(page, "#bang-lich-su")
    assert rows and rows[0][1] == "vksnd-cao-bang.xlsx" and rows[0][2] == "14"
    with page.expect_download() as info:
        page.locator("#bang-lich-su tbody tr").first.get_by_text("Tải ZIP").click()
    info.value.save_as(tmp_path / "lai.zip")
    with zipfile.ZipFile(tmp_path / "lai.zip") as zf:
        assert "ke-hoach.docx" in zf.namelist()
    page.locator("#bang-lich-su tbody tr").first.get_by_text("Xem").click()
    assert "Đã tạo 14 văn bản" in page.inner_text("#ket-qua h2")


def test_custom_template_with_unknown_variable_shows_the_lint_report(page, tmp_path):
    page.goto("/mau")
    bad = template_with(tmp_path / "ke-hoach-cua-toi.docx", "Đơn vị chủ trì: {{ co_quan_tenn }}")
    page.select_option("select[name=loai]", "ke-hoach.docx")
    page.set_input_files("form.upload input[type=file]", str(bad))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("#bao-cao")
    heading = page.inner_text("#bao-cao h2")
    assert 'Mẫu "ke-hoach-cua-toi.docx"' in heading and "chưa được dùng" in heading
    report = page.inner_text("#bang-kiem-tra-mau")
    assert "co_quan_tenn" in report and "Đơn vị chủ trì" in report
    row = page.locator("table.templates tr", has_text="ke-hoach.docx").inner_text()
    assert "Mẫu có sẵn" in row and "Mẫu riêng" not in row         # not installed


def test_a_good_custom_template_is_used_then_dropped(page, tmp_path, server):
    page.goto("/mau")
    good = template_with(tmp_path / "ke-hoach-moi.docx", "Ghi chú riêng của đơn vị: {{ co_quan_ten }}")
    page.set_input_files("form.upload input[type=file]", str(good))
    page.click("form.upload button[type=submit]")
    page.wait_for_selector("#bao-cao")
    assert "dùng được – đã lưu làm mẫu Kế hoạch" in page.inner_text("#bao-cao h2")
    assert "Mẫu riêng" in page.locator("table.templates tr", has_text="ke-hoach.docx").inner_text()
    import httpx

    r = httpx.post(server.base_url + "/api/build", data={"only": "ke-hoach"}, timeout=60,
                   files={"file": ("ho-so.xlsx", demo_workbook().read_bytes())})
    archive = tmp_path / "rieng.zip"
    archive.write_bytes(r.content)
    from docx import Document

    with zipfile.ZipFile(archive) as zf:
        zf.extract("ke-hoach.docx", tmp_path)
    text = "\n".join(p.text for p in Document(str(tmp_path / "ke-hoach.docx")).paragraphs)
    assert "Ghi chú riêng của đơn vị: Viện kiểm sát nhân dân tỉnh Cao Bằng" in text
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Dùng lại mẫu có sẵn")
    page.wait_for_load_state()
    assert "Mẫu riêng" not in page.locator("table.templates tr", has_text="ke-hoach.docx").inner_text()


def test_error_pages_are_vietnamese(page):
    response = page.goto("/lich-su/khong-co-lan-nao")
    assert response.status == 404
    assert page.inner_text("h1") == "Không tìm thấy"
    assert page.get_attribute("html", "lang") == "vi"
