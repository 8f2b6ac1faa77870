"""PDF export through LibreOffice: one PDF per document and one print file for the whole hồ sơ đề nghị."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

import docgen
from docgen.build import PRINT_FILE, demo_workbook
from docgen.cli import cli

pytestmark = pytest.mark.pdf
needs_soffice = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    return docgen.demo(tmp_path_factory.mktemp("pdf") / "out", pdf=True, today=date(2026, 11, 22))


@needs_soffice
def test_one_pdf_per_document(built):
    assert sorted(p.stem for p in built.pdfs) == sorted(f.stem for f in built.docx_files)
    for pdf in built.pdfs:
        assert pdf.read_bytes().startswith(b"%PDF")
        assert len(PdfReader(str(pdf)).pages) >= 1


@needs_soffice
def test_print_file_holds_the_hoso_de_nghi_in_order(built):
    assert built.print_file == built.outdir / "pdf" / PRINT_FILE
    reader = PdfReader(str(built.print_file))
    titles = [item.title for item in reader.outline]
    assert titles[:2] == ["Tờ trình", "Biên bản họp Hội đồng Thi đua - Khen thưởng"]
    reports = titles[2:]
    assert len(reports) == 9                                # the 9 candidates proposed
    assert "Báo cáo thành tích – Nông Thị Hồng Nhung" in reports
    assert not any("Đàm Thị Thu Hà" in t or "Ma Văn Khánh" in t for t in reports)   # failed vote, disciplined
    by_stem = {p.stem: p for p in built.pdfs}
    parts = ["to-trinh", "bien-ban-hop"] + [p.stem for p in sorted(by_stem.values()) if p.stem[:2].isdigit()
                                             and p.stem not in ("06-dam-thi-thu-ha", "09-ma-van-khanh")]
    assert len(reader.pages) == sum(len(PdfReader(str(by_stem[s])).pages) for s in parts)
    # bookmarks point at the first page of each document
    first = reader.get_destination_page_number(reader.outline[1])
    assert first == len(PdfReader(str(by_stem["to-trinh"])).pages)


@needs_soffice
def test_print_file_text(built):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not installed")
    text = subprocess.run(["pdftotext", "-layout", str(built.print_file), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert text.count("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == 11   # TTr, BB, 9 reports
    assert "TỜ TRÌNH" in text and "BIÊN BẢN" in text and "BÁO CÁO THÀNH TÍCH" in text
    assert "Phụ lục" in text


def test_missing_libreoffice_is_said_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("DOCGEN_SOFFICE", str(tmp_path / "khong-co-soffice"))
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["build", str(demo_workbook()), "-o", str(out), "--pdf"])
    assert res.exit_code == 3
    assert "libreoffice-writer-nogui" in res.output and "Traceback" not in res.output
    assert not out.exists()
