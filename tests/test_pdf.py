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


def test_profile_slots_are_locked_per_build_and_given_up_when_damaged(tmp_path, monkeypatch):
    from docgen.pdf import _Profiles

    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))
    first, second = _Profiles(tmp_path / "w1"), _Profiles(tmp_path / "w2")
    a, b = first.take("0"), first.take("1")
    c = second.take("0")                       # another build at the same time: a slot nobody holds
    assert len({a, b, c}) == 3 and all(p.parent == tmp_path / "cache" / "libreoffice" for p in (a, b, c))
    first.release()
    assert second.take("1") == a               # given back when the conversion ends
    a.mkdir(parents=True)
    (a / "user").mkdir()
    second.discard(a)
    assert not a.exists()
    fresh = tmp_path / "w3" / "profile-0"
    second.discard(fresh)                      # a fresh profile is the temporary folder's, left alone
    second.release()


def test_an_unwritable_cache_gives_fresh_profiles(tmp_path, monkeypatch):
    from docgen.pdf import _Profiles

    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(blocker))     # a file where the folder should be
    profiles = _Profiles(tmp_path / "work")
    assert profiles.take("0") == tmp_path / "work" / "profile-0"


def test_a_profile_folder_others_may_write_in_is_not_used(tmp_path, monkeypatch):
    """A LibreOffice profile holds settings and macros LibreOffice runs: one others could have changed is
    never started on."""
    from docgen.pdf import _Profiles

    shared = tmp_path / "cache" / "libreoffice"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))
    assert _Profiles(tmp_path / "work").take("0") == tmp_path / "work" / "profile-0"
    shared.chmod(0o700)
    assert _Profiles(tmp_path / "work").take("0") == shared / "profile-0"


@needs_soffice
def test_a_second_conversion_starts_on_the_kept_profile(tmp_path, monkeypatch):
    from docgen.pdf import convert_to_pdf

    monkeypatch.setenv("DOCGEN_CACHE_DIR", str(tmp_path / "cache"))
    built = docgen.demo(tmp_path / "out", today=date(2026, 11, 22))
    doc = built.docx_files[0]
    convert_to_pdf([doc], tmp_path / "pdf1", jobs=1)
    profile = tmp_path / "cache" / "libreoffice" / "profile-0"
    settings = profile / "user" / "registrymodifications.xcu"
    assert settings.is_file()
    (profile / "docgen-marker").write_text("x")
    (pdf,) = convert_to_pdf([doc], tmp_path / "pdf2", jobs=1)
    assert (profile / "docgen-marker").is_file()      # the same profile folder, not a new one
    assert len(PdfReader(str(pdf)).pages) >= 1 and not (tmp_path / "cache" / "libreoffice" / "profile-1").exists()


def test_first_page_must_draw_text(tmp_path):
    from pypdf import PdfWriter

    from docgen.pdf import _readable

    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    blank = tmp_path / "blank.pdf"
    with open(blank, "wb") as fh:
        writer.write(fh)
    assert _readable(blank) == "trang đầu của PDF không có chữ"
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 not a pdf")
    assert _readable(tmp_path / "bad.pdf").startswith("PDF hỏng")
