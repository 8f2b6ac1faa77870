"""The printed page (docgen check --render): built documents rendered by LibreOffice and checked from the
positions poppler reads, for the demo and a Sở VHTTDL tỉnh Cao Bằng round; and the checker catches the
defects it is for (a word broken in a cell, a wrapped agency line)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from docgen.nd30.printed import render_and_check

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                                reason="LibreOffice/poppler not installed")


def _build(workbook: Path, out: Path) -> list[Path]:
    subprocess.run([sys.executable, "-m", "docgen", "build", str(workbook), "-o", str(out)], check=True,
                   capture_output=True)
    return sorted(out.rglob("*.docx"))


def _so_workbook(tmp: Path) -> Path:
    """The Sở VHTTDL round shipped with docgen, as a clerk would refine it: the Sở's name typed on two lines
    (Alt+Enter), a drafting unit known by its initials, a Kế hoạch signed by the Giám đốc."""
    wb = openpyxl.load_workbook(ROOT / "fixtures" / "so-vhttdl-cao-bang.xlsx")
    values = {"Cơ quan ban hành": "SỞ VĂN HÓA, THỂ THAO\nVÀ DU LỊCH", "Đơn vị soạn thảo": "TCPC",
              "Tên đơn vị soạn thảo": "Phòng Tổ chức - Pháp chế"}
    ws = wb["Thông tin"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in values:
            row[1].value = values.pop(row[0].value)
    for label, value in values.items():
        ws.append([label, value])
    wb["Người ký"].append(["KH", "", "GIÁM ĐỐC", "GIÁM ĐỐC", "Hoàng Văn Quân"])
    path = tmp / "so-vhttdl.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def rounds(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("printed")
    demo = _build(ROOT / "fixtures" / "vksnd-cao-bang.xlsx", tmp / "demo")
    so = _build(_so_workbook(tmp), tmp / "so")
    found = render_and_check(demo + so, tmp / "pdf")
    return demo, so, found


def test_every_document_of_both_rounds_passes_the_printed_checks(rounds):
    demo, so, found = rounds
    assert any(p.name == "quyet-dinh.docx" for p in so)
    bad = {str(p): [f.format() for f in fs] for p, fs in found.items() if fs}
    assert not bad, bad


def test_so_header_lines_as_typed_and_prose_from_the_data(rounds):
    _, so, _ = rounds
    qd = Document(str(next(p for p in so if p.name == "quyet-dinh.docx")))
    left = [p.text for p in qd.tables[0].rows[0].cells[0].paragraphs if p.text.strip()]
    assert left[:3] == ["ỦY BAN NHÂN DÂN TỈNH CAO BẰNG", "SỞ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"]
    text = "\n".join(p.text for p in qd.paragraphs)
    assert "Trưởng phòng Tổ chức - Pháp chế, Thủ trưởng các đơn vị có liên quan" in text
    assert "của Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng)" in text
    kh = Document(str(next(p for p in so if p.name == "ke-hoach.docx")))
    assert any("Giao Phòng Tổ chức - Pháp chế chủ trì" in p.text for p in kh.paragraphs)


def test_quyet_dinh_list_has_a_total_row_equal_to_dieu_2(rounds):
    _, so, _ = rounds
    qd = Document(str(next(p for p in so if p.name == "quyet-dinh.docx")))
    dieu2 = next(p.text for p in qd.paragraphs if p.text.startswith("Điều 2."))
    table = max(qd.tables, key=lambda t: len(t.rows))
    last = table.rows[-1]
    cells = [c.text for c in last.cells]
    assert cells[0].startswith("Tổng cộng: ")
    assert f"tổng số tiền {cells[-1]} đồng" in dieu2


def test_vote_table_prints_zero_and_fits_its_words(rounds):
    demo, _, _ = rounds
    bb = Document(str(next(p for p in demo if p.name == "bien-ban-hop.docx")))
    table = next(t for t in bb.tables if len(t.columns) == 7)
    widths = [c.width for c in table.rows[0].cells]
    assert widths[1] == max(widths) or widths[2] == max(widths)       # a name/form column is widest
    assert any(r.cells[4].text == "0" for r in table.rows[1:])


def test_the_checker_sees_broken_words_and_wrapped_agency_lines(tmp_path, rounds):
    """The same documents made worse by hand: narrow vote columns and the Sở name on one paragraph in a
    narrow cell — the printed checks report them."""
    demo, so, _ = rounds
    bb = Document(str(next(p for p in demo if p.name == "bien-ban-hop.docx")))
    table = next(t for t in bb.tables if len(t.columns) == 7)
    from docx.oxml.ns import qn

    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    spare = int(grid[0].get(qn("w:w"))) - 300
    grid[0].set(qn("w:w"), "300")                    # "STT" cannot stand in 0.5 cm
    grid[1].set(qn("w:w"), str(int(grid[1].get(qn("w:w"))) + spare))
    for tr in table._tbl.findall(qn("w:tr")):
        tcs = tr.findall(qn("w:tc"))
        if len(tcs) == 7:
            tcs[0].find(qn("w:tcPr") + "/" + qn("w:tcW")).set(qn("w:w"), "300")
            w1 = tcs[1].find(qn("w:tcPr") + "/" + qn("w:tcW"))
            w1.set(qn("w:w"), str(int(w1.get(qn("w:w"))) + spare))
    bad_bb = tmp_path / "bien-ban-hop.docx"
    bb.save(bad_bb)
    qd = Document(str(next(p for p in so if p.name == "quyet-dinh.docx")))
    cell = qd.tables[0].rows[0].cells[0]
    paras = [p for p in cell.paragraphs if p.text.strip()]
    paras[1].runs[0].text = "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH TỈNH CAO BẰNG"
    for r in paras[2].runs:
        r.text = ""
    bad_qd = tmp_path / "quyet-dinh.docx"
    qd.save(bad_qd)
    found = render_and_check([bad_bb, bad_qd])
    assert "ND30-PRINT-WORD-BROKEN" in [f.code for f in found[bad_bb]], found[bad_bb]
    assert "ND30-PRINT-AGENCY-WRAP" in [f.code for f in found[bad_qd]], found[bad_qd]


# ------------------------------------------------------------------------------------------------------------
# A round long enough to span pages (fixtures/so-vhttdl-tong-ket.xlsx: 55 tập thể and cá nhân, six forms)
# ------------------------------------------------------------------------------------------------------------

LISTS = {"to-trinh.docx": "Họ và tên / Tên tập thể", "quyet-dinh.docx": "Họ và tên / Tên tập thể",
         "bien-ban-hop.docx": "Tập thể, cá nhân"}


@pytest.fixture(scope="module")
def long_round(tmp_path_factory):
    from docgen.nd30.printed import read_pdf

    tmp = tmp_path_factory.mktemp("long")
    built = _build(ROOT / "fixtures" / "so-vhttdl-tong-ket.xlsx", tmp / "out")
    reports = [p for p in built if p.parent.name == "bao-cao-thanh-tich"]
    kinds = {}
    for p in reports:                      # one report of each form: a tập thể (Tên tập thể …) and a cá nhân
        kind = "tap-the" if any(t.text.startswith("Tên tập thể:") for t in Document(str(p)).paragraphs) \
            else "ca-nhan"
        kinds.setdefault(kind, p)
    docs = [p for p in built if p.parent.name != "bao-cao-thanh-tich"] + list(kinds.values())
    found = render_and_check(docs, tmp / "pdf")
    printed = {p.name: read_pdf(tmp / "pdf" / f"{p.stem}.pdf") for p in docs if p.name in LISTS}
    return {p.name: p for p in docs}, kinds, found, printed


def test_long_round_every_document_type_passes_the_printed_checks(long_round):
    docs, kinds, found, _ = long_round
    assert {"ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx", "quyet-dinh.docx"} <= set(docs)
    assert set(kinds) == {"tap-the", "ca-nhan"}
    bad = {p.name: [f.format() for f in fs] for p, fs in found.items() if fs}
    assert not bad, bad


def _beside(lines, ln, first_word: str | set[str]) -> bool:
    """A printed line on the same baseline as ``ln`` (another cell of its row) beginning with ``first_word``."""
    words = {first_word} if isinstance(first_word, str) else first_word
    return any(o is not ln and o.page == ln.page and abs(o.y0 - ln.y0) < 2 and o.words[0] in words for o in lines)


def _rows_by_page(docx: Path, printed) -> dict[int, list]:
    """The printed STT cells of the document's list table ("12" beside "Nguyễn …"), by page (pdftotext reads
    each cell as a line of its own)."""
    table = max(Document(str(docx)).tables, key=lambda t: len(t.rows))
    names = {r.cells[1].text.split()[0] for r in table.rows[1:] if r.cells[0].text.strip().isdigit()}
    pages: dict[int, list] = {}
    for ln in printed.lines:
        if ln.text.isdigit() and ln.y0 > 50 and _beside(printed.lines, ln, names):
            pages.setdefault(ln.page, []).append(ln)
    return pages


@pytest.mark.parametrize("name", sorted(LISTS))
def test_long_lists_repeat_their_header_row_on_every_page(long_round, name):
    docs, _, _, printed = long_round
    pdf = printed[name]
    pages = _rows_by_page(docs[name], pdf)
    assert len(pages) >= 2, f"{name}: the list should run over several pages, printed on {sorted(pages)}"
    column = LISTS[name].split()[0]
    first_page = min(pages)
    for page, rows in pages.items():
        top_row = min(r.y0 for r in rows)
        on_page = [ln for ln in pdf.lines if ln.page == page and 50 < ln.y0 < top_row]
        header = [ln for ln in on_page if ln.text == "STT" and any(      # cells centred: the rows overlap
            o.words[0] == column and o.y0 < ln.y1 + 8 and o.y1 > ln.y0 - 8 for o in on_page)]
        assert header, f"{name}: no header row above the rows of page {page + 1}"
        if page != first_page:          # a continued table: the header is the first thing printed on the page
            above = [ln.text for ln in on_page if ln.y1 < header[0].y0 - 20]
            assert not above, f"{name}: page {page + 1} prints {above} above the repeated header row"


@pytest.mark.parametrize("name", ["to-trinh.docx", "quyet-dinh.docx"])
def test_long_lists_strand_no_group_heading_at_a_page_bottom(long_round, name):
    docs, _, _, printed = long_round
    pdf = printed[name]
    table = max(Document(str(docs[name])).tables, key=lambda t: len(t.rows))
    headings = {r.cells[0].text for r in table.rows if len({id(c._tc) for c in r.cells}) == 1
                and not r.cells[0].text.startswith("Tổng cộng")}
    assert any(h.startswith("Cá nhân (") for h in headings) and any(h.startswith("II. ") for h in headings)
    seen = 0
    for i, ln in enumerate(pdf.lines):
        if ln.text in headings:
            seen += 1
            after = [n for n in pdf.lines[i + 1:] if n.page == ln.page and n.y0 > ln.y1 - 1]
            assert after, f"{name}: heading {ln.text!r} is the last line of page {ln.page + 1}"
    assert seen >= len(headings)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_long_round_signature_on_the_page_where_the_text_ends(long_round, name):
    docs, _, _, printed = long_round
    pdf = printed[name]
    end = next(ln for ln in pdf.lines if ln.text.endswith("./."))
    signers = {"to-trinh.docx": "Ma Thị Hằng", "quyet-dinh.docx": "Hoàng Văn Quân",
               "bien-ban-hop.docx": "Hoàng Văn Quân"}
    sign = [ln for ln in pdf.lines if ln.text == signers[name] and (ln.page, ln.y0) > (end.page, end.y0)]
    assert sign, f"{name}: no signer's name after the text"
    assert sign[0].page == end.page, f"{name}: text ends on page {end.page + 1}, signed on {sign[0].page + 1}"
    if name == "bien-ban-hop.docx":      # the thư ký's and the chủ tọa's names on one printed line
        thu_ky = next(ln for ln in pdf.lines if ln.text == "Lý Văn Khoa" and ln.page == end.page)
        assert abs(thu_ky.y0 - sign[0].y0) < 2
