"""Thẩm quyền: the competence table, routing each proposed candidate to one outcome document, and the documents
of a Sở round, a xã round and the VKSND tỉnh demo round read back (python-docx) and checked against ND30."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import docgen
from docgen import assemble, rules, schema
from docgen.build import print_order, validate
from docgen.cli import cli
from docgen.errors import Severity, ValidationFailed
from docgen.rules import RulesDataError
from docgen.model import Signer, Vote
from docgen.nd30 import check_document
from docgen.rules.catalog import catalog
from docgen.rules.competence import DATA_FILE, competence, load_competence
from docx_inspect import Docx
from test_rules_evaluate import BK_VKSTC, CSTD_CS, LDTT, TLDXS, findings, found, make, person, status

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
DATA = ROOT / "docgen" / "rules" / "data"
TODAY = date(2026, 1, 5)
BK_TINH = "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"


# ------------------------------------------------------------------------------------------ the data

def test_dropdown_of_the_workbook_is_the_competence_table():
    assert schema.ISSUER_AUTHORITIES == competence().labels()


def test_every_catalogue_award_has_a_deciding_authority_on_a_recent_date():
    comp = competence()
    for award in catalog().awards:
        assert comp.deciding(award, date(2026, 1, 1)) is not None, award.name


def _text() -> str:
    return (DATA / DATA_FILE).read_text(encoding="utf-8")


@pytest.mark.parametrize("old, new, says", [
    ('quyet_dinh = ["Bằng khen của Thủ tướng Chính phủ",', 'quyet_dinh = ["Bằng khen của Thủ tướng",',
     "không phải là tên chuẩn"),
    ('"Huân chương", ', "", "chưa ghi cấp nào quyết định: Huân chương"),
    ("het_hieu_luc = 2025-07-01", "het_hieu_luc = 2025-08-01", "chồng lên nhau"),
    ('ma = "thu-tuong"', 'ma = "chu-tich-nuoc"', "trùng"),
])
def test_a_wrong_competence_file_is_refused_with_a_vietnamese_message(old, new, says):
    text = _text()
    assert old in text
    with pytest.raises(RulesDataError, match=says):
        load_competence(text.replace(old, new, 1), catalog())


def test_the_xa_competence_changes_on_the_date_of_nd_129():
    xa = competence().find("Chủ tịch UBND cấp xã")
    tldtt = catalog().find_award("Tập thể lao động tiên tiến")
    assert not xa.decides(tldtt, date(2025, 6, 30)) and xa.decides(tldtt, date(2025, 7, 1))
    assert xa.decides(catalog().find_award("Giấy khen"), date(2025, 6, 30))


@pytest.mark.parametrize("agency, authority", [
    ("SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "thu-truong-don-vi"),
    ("VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", "thu-truong-don-vi"),
    ("VKSND tối cao", "bo-truong-nganh"),
    ("ỦY BAN NHÂN DÂN XÃ HÒA AN", "chu-tich-ubnd-xa"),
    ("UBND tỉnh Cao Bằng", "chu-tich-ubnd-tinh"),
    ("BỘ TƯ PHÁP", "bo-truong-nganh"),
])
def test_the_authority_is_inferred_from_the_agency_name(agency, authority):
    assert competence().of_agency(agency).id == authority


# ------------------------------------------------------------------------------------------ award names

def test_spelling_variants_match_and_are_noted_with_the_catalogue_name():
    people = [person("An", "Chiến sỹ thi đua cơ sở", row=2), person("Bình", "Bằng khen Chủ tịch UBND tỉnh", row=3)]
    ev = rules.evaluate(make(individuals=people, agency="SỞ TƯ PHÁP"))
    an, binh = status(ev, "An"), status(ev, "Bình")
    assert an.award_label == CSTD_CS and binh.award_label == BK_TINH
    assert an.vote.threshold == 80 and not an.vote.strict          # the threshold of Chiến sĩ thi đua cơ sở
    notes = found(ev, "hinh-thuc-cach-viet-khac")
    assert [(p.severity, p.row) for p in notes] == [(Severity.INFO, 2), (Severity.INFO, 3)]
    assert f'được hiểu là "{CSTD_CS}"' in notes[0].message


@pytest.mark.parametrize("written, canonical", [
    ("Chiến sỹ thi đua cơ sở", CSTD_CS),
    ("Bằng khen Chủ tịch Uỷ ban nhân dân tỉnh", BK_TINH),                # old tone placement, without "của"
    ("Bằng khen của Chủ tịch UBND tỉnh", BK_TINH),
    ("Bằng khen Viện trưởng VKSND tối cao", BK_VKSTC),
    ("Tập thể lao động xuất sắc", TLDXS),
    ("Kỹ niệm chương", "Kỷ niệm chương"),
])
def test_award_spelling_variants_fold_to_the_catalogue_name(written, canonical):
    assert rules.find_award(written).name == canonical


def test_an_unknown_award_blocks_at_its_cell_with_suggestions():
    ev = rules.evaluate(make(individuals=[person("An", "Bằng khen của Giám đốc Công an tỉnh", row=4)]))
    [p] = found(ev, "hinh-thuc-khong-ro")
    assert p.is_error and (p.sheet, p.row, p.column) == ("Cá nhân", 4, "Hình thức đề nghị")
    assert "Có phải là:" in p.message and BK_TINH in p.message
    assert not status(ev, "An").proposed


# ------------------------------------------------------------------------------------------ votes

def test_votes_above_the_members_present_ask_for_the_written_votes():
    votes = [Vote("An", LDTT, 7, 0, row=2), Vote("Bình", LDTT, 6, 1, row=3, written=1),
             Vote("Chi", LDTT, 8, 0, row=4), Vote("Dũng", LDTT, 6, 0, row=5, written=2)]
    people = [person(n, row=i) for i, n in enumerate(("An", "Bình", "Chi", "Dũng"), start=2)]
    ev = rules.evaluate(make(individuals=people, members=7, absent=1, votes=votes))
    [present] = found(ev, "phieu-vuot-so-co-mat")
    assert present.severity is Severity.WARNING and present.row == 2 and "Phiếu gửi bằng văn bản" in present.message
    assert [p.row for p in found(ev, "phieu-vuot-so-thanh-vien")] == [4]
    [written] = found(ev, "phieu-van-ban-khong-hop-le")
    assert written.is_error and written.row == 5
    assert status(ev, "Bình").vote.written == 1


def test_namesakes_with_one_vote_row_are_ambiguous_and_every_row_is_named():
    people = [person("Nguyễn Văn Bình", row=5, unit="Phòng 1"), person("Nguyễn Văn Bình", row=9, unit="Phòng 2")]
    ev = rules.evaluate(make(individuals=people, votes=[Vote("Nguyễn Văn Bình", LDTT, 10, 0, row=3)]))
    [p] = found(ev, "bieu-quyet-trung-ten")
    assert p.is_error and (p.sheet, p.row) == ("Biểu quyết", 3)
    assert "dòng 5 (Phòng 1)" in p.message and "dòng 9 (Phòng 2)" in p.message
    assert "Nguyễn Văn Bình (Phòng 1)" in p.message
    assert not found(ev, "thieu-bieu-quyet")


@pytest.mark.parametrize("votes", [
    [Vote("Nguyễn Văn Bình (Phòng 2)", LDTT, 4, 6, row=3), Vote("Nguyễn Văn Bình (Phòng 1)", LDTT, 10, 0, row=4)],
    [Vote("Nguyễn Văn Bình", LDTT, 4, 6, row=3, unit="Phòng 2"),
     Vote("Nguyễn Văn Bình", LDTT, 10, 0, row=4, unit="Phòng 1")],
])
def test_namesakes_told_apart_by_unit(votes):
    people = [person("Nguyễn Văn Bình", row=5, unit="Phòng 1"), person("Nguyễn Văn Bình", row=9, unit="Phòng 2")]
    ev = rules.evaluate(make(individuals=people, votes=votes))
    assert [p.rule for p in findings(ev)] == ["khong-dat-ty-le-bieu-quyet"] and findings(ev)[0].row == 3
    assert [s.proposed for s in ev.statuses] == [True, False]
    assert [s.vote.yes for s in ev.statuses] == [10, 4]


# ------------------------------------------------------------------------------------------ routing

def test_the_vksnd_tinh_decides_its_four_and_sends_the_vkstc_bang_khen_up():
    people = [person("An", LDTT, row=2), person("Bình", CSTD_CS, row=3), person("Chi", BK_VKSTC, row=4)]
    campaign = make(individuals=people)
    campaign.info.addressee = "Viện trưởng Viện kiểm sát nhân dân tối cao"
    ev = rules.evaluate(campaign)
    assert [(s.document, s.further_up) for s in ev.statuses] == [
        ("quyet-dinh", False), ("quyet-dinh", False), ("to-trinh", False)]
    assert ev.authority.id == "thu-truong-don-vi" and ev.superior.id == "bo-truong-nganh"
    assert [s.candidate.display_name for s in ev.proposed_for("to-trinh")] == ["Chi"]
    assert len(ev.proposed_for("bien-ban")) == 3
    [note] = found(ev, "tham-quyen")
    assert note.severity is Severity.INFO and "suy ra từ Cơ quan ban hành" in note.message


def test_the_workbook_key_wins_over_the_agency_name():
    campaign = make(individuals=[person("An", TLDXS, row=2)])
    campaign.individuals[0].award = "Bằng khen cấp bộ, ban, ngành, tỉnh"
    campaign.info.issuer_authority = "Chủ tịch UBND cấp tỉnh"
    ev = rules.evaluate(campaign)
    assert ev.authority.id == "chu-tich-ubnd-tinh" and ev.statuses[0].document == "quyet-dinh"


def test_an_unknown_authority_warns_and_does_not_split():
    campaign = make(individuals=[person("An", LDTT, row=2)], agency="HỘI NÔNG DÂN")
    ev = rules.evaluate(campaign)
    assert ev.authority is None and not ev.routed and found(ev, "tham-quyen-chua-ro")


def test_signer_title_is_used_when_the_agency_is_not_recognised():
    campaign = make(individuals=[person("An", LDTT, row=2)], agency="HỘI ĐỒNG ABC")
    campaign.signers = [Signer("QĐ", "", "GIÁM ĐỐC", "", "Nguyễn Văn A", row=2)]
    ev = rules.evaluate(campaign)
    assert ev.authority.id == "thu-truong-don-vi" and "chức vụ người đứng đầu" in found(ev, "tham-quyen")[0].message


# ------------------------------------------------------------------------------------------ the Sở round

@pytest.fixture(scope="module")
def so(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("so") / "out"
    docgen.build(FIXTURES / "so-vhttdl-cao-bang.xlsx", out, today=TODAY)
    return out


def _table_names(d: Docx, column: int = 1) -> list[str]:
    """Names in the danh sách (rows whose first cell is a number)."""
    t = d.tables()[-1]
    return [r.cells[column].text for r in t.rows if r.cells[0].text.strip().isdigit()]


OWN = ["Thư viện tỉnh", "Phòng Quản lý văn hóa", "Triệu Văn Đức", "Nguyễn Văn Bình", "Nguyễn Văn Bình",
       "Lương Thị Mai"]
UP = ["Phòng Quản lý du lịch", "Bảo tàng tỉnh", "Bế Thị Thu"]


def test_so_quyet_dinh_holds_exactly_what_the_giam_doc_decides(so):
    d = Docx(so / "quyet-dinh.docx")
    assert sorted(_table_names(d)) == sorted(OWN)
    text = d.full_text
    assert "Về việc công nhận danh hiệu thi đua và tặng Giấy khen năm 2025" in text
    assert ("Điều 1. Công nhận danh hiệu Tập thể lao động tiên tiến, Chiến sĩ thi đua cơ sở, Lao động tiên tiến "
            "và tặng Giấy khen cho 02 (hai) tập thể và 04 (bốn) cá nhân") in text
    assert "GIÁM ĐỐC SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in text
    assert "Bằng khen" not in text and "xuất sắc (" not in text and "Chiến sỹ" not in text
    # Điều 2 pays exactly the own candidates, and the total is the sum of the danh sách's column
    t = d.tables()[-1]
    money = [int(r.cells[-1].text.replace(".", "")) for r in t.rows if r.cells[0].text.strip().isdigit()]
    total = re.search(r"tổng số tiền ([\d.]+) đồng", text).group(1)
    assert int(total.replace(".", "")) == sum(money) == 1_410_000 + 1_880_000 + 2_340_000 + 3 * 710_000


def test_so_to_trinh_holds_exactly_what_goes_to_the_province(so):
    d = Docx(so / "to-trinh.docx")
    assert sorted(_table_names(d)) == sorted(UP)
    text = d.full_text
    assert ("kính trình Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng xem xét, công nhận danh hiệu Tập thể lao động xuất "
            f"sắc và tặng {BK_TINH} cho 02 (hai) tập thể và 01 (một) cá nhân") in text
    assert "Giấy khen" not in text and "Lao động tiên tiến" not in text and "thi đua cơ sở" not in text


def test_so_bien_ban_records_every_vote_concludes_per_document_and_signs_for_the_council(so):
    d = Docx(so / "bien-ban-hop.docx")
    votes = [t for t in d.tables() if t.rows[0].cells[0].text == "STT"][0]
    assert len([r for r in votes.rows if r.cells[0].text.strip().isdigit()]) == 9
    text = d.full_text
    assert ("thống nhất đề nghị Giám đốc Sở Văn hóa, Thể thao và Du lịch tỉnh Cao Bằng công nhận danh hiệu Tập "
            "thể lao động tiên tiến") in text
    assert "thống nhất đề nghị Chủ tịch Ủy ban nhân dân tỉnh Cao Bằng xem xét, công nhận danh hiệu" in text
    assert "gửi bằng văn bản: Bế Thị Thu 1 phiếu" in text
    sign = d.tables()[-1].rows[0].cells[-1].text
    assert "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in sign and "CHỦ TỊCH" in sign and "CHỦ TỌA" not in sign


def test_so_every_document_passes_the_nd30_checker(so):
    files = sorted(so.rglob("*.docx"))
    assert len(files) == 3 + 9
    for f in files:
        result = check_document(f)
        assert result.ok, (f.name, [(x.code, x.message) for x in result.findings if x.severity == "loi"])


def test_so_kiem_tra_and_danh_sach_name_each_candidates_document(so):
    text = (so / "kiem-tra.txt").read_text(encoding="utf-8")
    assert "Bế Thị Thu (Bằng khen Chủ tịch UBND tỉnh)" in text and "→ ĐỀ NGHỊ, ở Tờ trình" in text
    assert text.count("ở Quyết định khen thưởng") == 6 and text.count("ở Tờ trình") == 3
    assert "Thẩm quyền khen thưởng của người đứng đầu cơ quan ban hành" in text
    ws = openpyxl.load_workbook(so / "danh-sach.xlsx").active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    header = next(r for r in rows if r and r[0] == "STT")
    where = {r[1]: r[header.index("Văn bản")] for r in rows[rows.index(header) + 1:] if r[1]}
    assert where["Bế Thị Thu"] == "Tờ trình" and where["Thư viện tỉnh"] == "Quyết định khen thưởng"


def test_so_print_file_holds_the_to_trinh_and_only_its_reports(so):
    campaign, report, ev, docs = validate(FIXTURES / "so-vhttdl-cao-bang.xlsx", today=TODAY)
    jobs = assemble.plan_documents(campaign, ev, only=docs, today=TODAY)
    written = {j.output: so / j.output for j in jobs}
    pdfs = [Path("pdf") / f"{Path(j.output).stem}.pdf" for j in jobs]
    titles = [t for _, t in print_order(jobs, written, pdfs)]
    assert titles[:2] == ["Tờ trình", "Biên bản họp Hội đồng Thi đua - Khen thưởng"]
    assert sorted(t.split(" – ")[1] for t in titles[2:]) == sorted(UP)
    assert "Quyết định khen thưởng" not in titles


def test_validate_says_the_authority_and_the_bien_ban_signer():
    res = CliRunner().invoke(cli, ["validate", str(FIXTURES / "so-vhttdl-cao-bang.xlsx")])
    assert res.exit_code == 0, res.output
    assert "GHI CHÚ" in res.output and "suy ra từ Cơ quan ban hành" in res.output
    assert 'Biên bản họp Hội đồng ký "TM. HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG / CHỦ TỊCH"' in res.output
    assert '"Chiến sỹ thi đua cơ sở" được hiểu là "Chiến sĩ thi đua cơ sở"' in res.output
    import json

    data = json.loads(CliRunner().invoke(cli, ["validate", "--json", str(FIXTURES / "so-vhttdl-cao-bang.xlsx")]).output)
    assert data["ok"] and data["so_ghi_chu"] == 4
    assert {p["rule"] for p in data["van_de"] if p["severity"] == "ghi_chu"} == {
        "hinh-thuc-cach-viet-khac", "tham-quyen", "ky-bien-ban"}


# ------------------------------------------------------------------------------------------ the xã round

@pytest.fixture(scope="module")
def xa(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("xa") / "out"
    docgen.build(FIXTURES / "xa-hoa-an.xlsx", out, today=TODAY)
    return out


def test_xa_decides_its_four_and_proposes_the_rest(xa):
    qd, tt = Docx(xa / "quyet-dinh.docx"), Docx(xa / "to-trinh.docx")
    assert sorted(_table_names(qd)) == sorted(["Thôn Nà Lẹng", "Lục Văn Tám", "Đàm Thị Phương", "Bế Văn Công"])
    assert sorted(_table_names(tt)) == sorted(["Trường Tiểu học Hòa An", "Hoàng Thị Minh"])
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN XÃ HÒA AN" in qd.full_text
    assert (f"xem xét, tặng {BK_TINH} và đề nghị Thủ tướng Chính phủ tặng Bằng khen của Thủ tướng Chính phủ cho "
            "01 (một) tập thể và 01 (một) cá nhân") in tt.full_text
    for f in sorted(xa.rglob("*.docx")):
        assert check_document(f).ok, f.name


def test_xa_bien_ban_without_a_signer_row_signs_chu_toa_and_thu_ky(xa):
    titles, names = Docx(xa / "bien-ban-hop.docx").tables()[-1].rows[:2]     # titles above, names on one line
    assert "THƯ KÝ" in titles.cells[0].text and "CHỦ TỌA" in titles.cells[-1].text
    assert "Nông Văn Đạt" in names.cells[-1].text


# ------------------------------------------------------------------------------------------ the demo round

def test_the_vksnd_demo_round_goes_up_whole(tmp_path):
    out = tmp_path / "out"
    res = docgen.build(FIXTURES / "vksnd-cao-bang.xlsx", out, today=TODAY)
    assert all(s.document == "to-trinh" for s in res.evaluation.proposed)
    d = Docx(out / "to-trinh.docx")
    assert len(_table_names(d)) == 9 and f"xem xét, tặng {BK_VKSTC} cho 03 (ba) tập thể và 06 (sáu) cá nhân" in d.full_text


def test_a_quyet_dinh_asked_for_nobody_of_its_competence_is_refused(tmp_path):
    with pytest.raises(ValidationFailed) as exc:
        docgen.build(FIXTURES / "vksnd-cao-bang.xlsx", tmp_path / "out", only={"quyet-dinh"}, today=TODAY)
    assert "thuộc thẩm quyền của người đứng đầu" in str(exc.value.report.to_text())


def test_init_offers_the_authority_as_a_dropdown_and_reads_it_back(tmp_path):
    res = CliRunner().invoke(cli, ["init", str(tmp_path / "dot")])
    assert res.exit_code == 0, res.output
    wb = openpyxl.load_workbook(tmp_path / "dot" / "ho-so.xlsx")
    lists = wb["Danh mục"]
    col = [c.value for c in lists[1]].index("Thẩm quyền khen thưởng") + 1
    values = [lists.cell(row=r, column=col).value for r in range(2, 2 + len(schema.ISSUER_AUTHORITIES))]
    assert tuple(values) == schema.ISSUER_AUTHORITIES
    info = wb["Thông tin"]
    row = next(r for r in range(1, info.max_row + 1) if info.cell(row=r, column=1).value == "Thẩm quyền khen thưởng")
    formulas = [dv.formula1 for dv in info.data_validations.dataValidation if f"B{row}" in str(dv.sqref)]
    assert formulas and "Danh mục" in formulas[0]
    # a value outside the list is refused at its cell
    info.cell(row=row, column=2).value = "Giám đốc Công an"
    wb.save(tmp_path / "sai.xlsx")
    res = CliRunner().invoke(cli, ["validate", str(tmp_path / "sai.xlsx")])
    assert res.exit_code == 1 and f"Thông tin, dòng {row}" in res.output and "Giám đốc Công an" in res.output
