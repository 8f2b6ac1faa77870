"""A complete workbook full of awkward data: NFD text, XML specials, template syntax, a 5,000-character
achievement, two people with the same name, a disciplined person and a failed vote.  Every document must
open, pass the ND30 checker, and show the data literally."""
from __future__ import annotations

import re
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from docx import Document

from docgen.build import build
from docgen.nd30 import LOI, check_document
from docx_inspect import W, Docx, ptext
from wb_helpers import make_workbook

TODAY = date(2026, 11, 22)
AWARD = "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"
REPORTS = "bao-cao-thanh-tich"

NFD_NAME = unicodedata.normalize("NFD", "Nguyễn Thị Ánh Tuyết")
NFC_NAME = "Nguyễn Thị Ánh Tuyết"
NFD_UNIT = unicodedata.normalize("NFD", "Phòng Kiểm sát điều tra án hình sự")
SPECIAL_NAME = 'Lê Văn "Tí" & <Tèo> {{ 6*7 }}'
SPECIAL_ACHIEVEMENT = "Sáng kiến {{ 6*7 }} & {% if x %}ẩn{% endif %} <b>đậm</b> \"trích\" 'đơn' a<b & c>d"
COLLECTIVE = "Phòng Kỹ thuật & <Hồ sơ> {% raw %}"
LONG_LINES = [f"Dòng {i:02d}: " + ("thực hiện toàn trình trên nền tảng số, bảo đảm đúng hạn & chất lượng; " * 2)
              for i in range(1, 41)]
LONG_TEXT = "\n".join(LONG_LINES)
TWIN = "Trần Văn Nam"
DISCIPLINED = "Hoàng Thị Kỷ"
FAILED = "Phùng Văn Thua"

INFO = [
    ("Mục", "Giá trị"),
    ("Cơ quan chủ quản", "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO"),
    ("Cơ quan ban hành", "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
    ("Ký hiệu cơ quan", "VKSCB"),
    ("Đơn vị soạn thảo", "VP"),
    ("Địa danh", "Cao Bằng"),
    ("Tên phong trào", "Cả nước thi đua đổi mới sáng tạo và chuyển đổi số"),
    ("Loại khen thưởng", "Chuyên đề"),
    ("Năm", 2026),
    ("Ngày ban hành", datetime(2026, 9, 28)),
    ("Kính gửi", "Viện trưởng Viện kiểm sát nhân dân tối cao"),
    ("Cấp trình khen", "Viện kiểm sát nhân dân tối cao"),
    ("Hạn nộp hồ sơ", datetime(2026, 9, 30)),
    ("Thời gian họp", "14 giờ 00, ngày 25/9/2026"),
    ("Địa điểm họp", "Hội trường"),
    ("Thời gian kết thúc", "16 giờ 30"),
    ("Số Kế hoạch", 5),
    ("Số Tờ trình", 7),
]
IND_HEAD = ("STT", "Họ và tên", "Giới tính", "Ngày sinh", "Chức vụ", "Đơn vị", "Hình thức đề nghị", "Thành tích",
            "Kỷ luật", "Ngày tuyển dụng", "Số sáng kiến")
PEOPLE = [
    (1, NFD_NAME, "Nữ", datetime(1990, 1, 2), "Kiểm sát viên", NFD_UNIT, AWARD,
     unicodedata.normalize("NFD", "Hoàn thành xuất sắc nhiệm vụ được giao."), "Không", datetime(2012, 1, 1), 2),
    (2, SPECIAL_NAME, "Nam", datetime(1985, 5, 6), "Chuyên viên", "Văn phòng", AWARD, SPECIAL_ACHIEVEMENT, "Không",
     datetime(2010, 1, 1), 1),
    (3, "Vũ Thị Dài", "Nữ", datetime(1988, 7, 8), "Kiểm tra viên", "Văn phòng", AWARD, LONG_TEXT, "Không",
     datetime(2011, 1, 1), 0),
    (4, TWIN, "Nam", datetime(1980, 1, 1), "Kiểm sát viên", "Văn phòng", AWARD, "Thành tích của người thứ nhất.",
     "Không", datetime(2005, 1, 1), 1),
    (5, TWIN, "Nam", datetime(1992, 2, 2), "Chuyên viên", "Phòng Thống kê", AWARD, "Thành tích của người thứ hai.",
     "Không", datetime(2015, 1, 1), 1),
    (6, DISCIPLINED, "Nữ", datetime(1987, 3, 3), "Chuyên viên", "Văn phòng", AWARD, "Có thành tích.",
     "Khiển trách năm 2026", datetime(2009, 1, 1), 0),
    (7, FAILED, "Nam", datetime(1983, 4, 4), "Chuyên viên", "Văn phòng", AWARD, "Có thành tích.", "Không",
     datetime(2008, 1, 1), 0),
]
COLL_HEAD = ("STT", "Tên tập thể", "Đơn vị", "Hình thức đề nghị", "Số biên chế", "Thủ trưởng", "Thành tích", "Kỷ luật")
COLLECTIVES = [(1, COLLECTIVE, "", AWARD, 8, "Nông Văn Bình", "Dẫn đầu phong trào & <đạt> 100%.", "Không")]
COUNCIL = [("STT", "Họ và tên", "Chức vụ", "Vai trò", "Có mặt"),
           (1, "Hoàng Văn Đức", "Viện trưởng", "Chủ tịch", "Có"),
           (2, "Phạm Mỹ An", "Phó Viện trưởng", "Phó Chủ tịch", "Có"),
           (3, "Nông Quốc Hưng", "Phó Viện trưởng", "Phó Chủ tịch", "Vắng"),
           (4, "Lý Thị Thanh", "Chánh Văn phòng", "Ủy viên", "Có"),
           (5, "Hà Văn Quân", "Trưởng phòng", "Ủy viên", "Có"),
           (6, "Vi Thị Hạnh", "Chủ tịch Công đoàn", "Ủy viên", "Có"),
           (7, "Mạc Văn Sơn", "Phó Chánh Văn phòng", "Thư ký", "Có")]
VOTES = [("Đối tượng", "Hình thức đề nghị", "Đồng ý", "Không đồng ý"),
         (COLLECTIVE, AWARD, 6, 0), (NFD_NAME, AWARD, 6, 0), (SPECIAL_NAME, AWARD, 6, 0), ("Vũ Thị Dài", AWARD, 6, 0),
         (TWIN, AWARD, 6, 0), (TWIN, AWARD, 6, 0), (DISCIPLINED, AWARD, 6, 0), (FAILED, AWARD, 2, 4)]
PAST = [("Đối tượng", "Năm", "Danh hiệu/Hình thức", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"),
        (SPECIAL_NAME, 2025, "Lao động tiên tiến", "1/QĐ-VKSCB", datetime(2025, 12, 1), "VKSND tỉnh Cao Bằng & <x>")]
RECIPIENTS = [("Văn bản", "Nơi nhận"),
              ("KH", "- Các đơn vị & <phòng>;"), ("KH", "Lưu: VT"),
              ("TTr", "như trên"), ("TTr", "Vụ Thi đua - Khen thưởng VKSND tối cao."),
              ("BB", "Thành viên Hội đồng")]
SIGNERS = [("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên"),
           ("KH", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"),
           ("TTr", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An")]
BASES = [("STT", "Căn cứ"), (1, "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"),
         (2, unicodedata.normalize("NFD", "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025."))]


def awkward_workbook(path: Path) -> Path:
    return make_workbook(path, {
        "Thông tin": INFO, "Căn cứ": BASES, "Tập thể": [COLL_HEAD, *COLLECTIVES], "Cá nhân": [IND_HEAD, *PEOPLE],
        "Khen thưởng": PAST, "Hội đồng": COUNCIL, "Biểu quyết": VOTES, "Nơi nhận": RECIPIENTS, "Người ký": SIGNERS})


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("awkward")
    wb = awkward_workbook(tmp / "kho.xlsx")
    result = build(wb, tmp / "out", today=TODAY)
    return result


@pytest.fixture(scope="module")
def out(built) -> Path:
    return built.outdir


_cache: dict[Path, Docx] = {}


def D(path: Path) -> Docx:
    if path not in _cache:
        _cache[path] = Docx(path)
    return _cache[path]


def reports(out: Path) -> list[Path]:
    return sorted((out / REPORTS).glob("*.docx"))


def report_of(out: Path, name: str) -> list[Docx]:
    """Reports whose "- Họ và tên:" line names ``name``."""
    return [D(p) for p in reports(out) if f"- Họ và tên: {name}." in D(p).texts()]


def xml_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


# ------------------------------------------------------------------------------------------------------------

def test_builds_every_document(out):
    names = {p.relative_to(out).as_posix() for p in out.rglob("*.docx")}
    assert {"ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx"} <= names
    assert len(reports(out)) == 8                                # 1 collective + 7 individuals


def test_every_output_opens_and_passes_nd30(out):
    for f in sorted(out.rglob("*.docx")):
        with zipfile.ZipFile(f) as z:
            assert z.testzip() is None
        Document(str(f))
        result = check_document(f)
        errors = [(x.code, x.message, x.where) for x in result.findings if x.severity == LOI]
        assert result.ok and not errors, (f.name, errors)


def test_nfd_comes_out_nfc(out):
    for f in sorted(out.rglob("*.docx")):
        text = D(f).full_text
        assert unicodedata.is_normalized("NFC", text), f.name
        assert unicodedata.normalize("NFD", NFC_NAME) not in text
    bb = D(out / "bien-ban-hop.docx").full_text
    assert NFC_NAME in bb
    ttr = D(out / "to-trinh.docx").full_text
    assert NFC_NAME in ttr
    assert "Phòng Kiểm sát điều tra án hình sự" in ttr
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025;" in ttr     # the list goes on
    assert len(report_of(out, NFC_NAME)) == 1


def test_report_file_names_are_ascii_kebab_and_unique(out):
    names = [p.name for p in reports(out)]
    assert len(set(names)) == len(names) == 8
    for n in names:
        assert re.fullmatch(r"\d{2}-[a-z0-9]+(?:-[a-z0-9]+)*\.docx", n), n
    assert any(n.endswith("-nguyen-thi-anh-tuyet.docx") for n in names)
    twins = [n for n in names if n.endswith("-tran-van-nam.docx")]
    assert len(twins) == 2 and twins[0] != twins[1]


def test_same_name_two_distinct_reports(out):
    twins = report_of(out, TWIN)
    assert len(twins) == 2
    texts = sorted(" ".join(d.texts()) for d in twins)
    assert "Thành tích của người thứ nhất." in texts[0] + texts[1]
    first = [d for d in twins if "Thành tích của người thứ nhất." in d.texts()]
    second = [d for d in twins if "Thành tích của người thứ hai." in d.texts()]
    assert len(first) == 1 and len(second) == 1 and first[0].path != second[0].path
    # both are proposed and listed in the Tờ trình
    ttr = D(out / "to-trinh.docx")
    table = ttr.doc.tables[-1]
    names = [r.cells[1].text for r in table.rows]
    assert names.count(TWIN) == 2


def _body_count(d: Docx, needle: str) -> int:
    return sum(t.count(needle) for t in d.texts())


def test_specials_literal_exactly_once_in_report(out):
    docs = report_of(out, SPECIAL_NAME)
    assert len(docs) == 1, "the report of the person with XML/template characters in the name"
    d = docs[0]
    assert _body_count(d, SPECIAL_ACHIEVEMENT) == 1
    assert SPECIAL_ACHIEVEMENT in d.texts()                      # its own paragraph, untouched
    assert not any(t.strip() == "42" for t in d.texts())
    xml = xml_text(d.path)
    assert ">42<" not in xml
    # the past award with "&" and "<" in the issuer
    assert "VKSND tỉnh Cao Bằng & <x>" in d.full_text
    # core properties: the title names the candidate literally
    title = d.doc.core_properties.title
    assert SPECIAL_NAME in title, title


def test_specials_literal_in_main_documents(out):
    ttr = D(out / "to-trinh.docx")
    assert _body_count(ttr, SPECIAL_NAME) == 1                   # danh sách, once
    assert _body_count(ttr, COLLECTIVE) == 1
    bb = D(out / "bien-ban-hop.docx")
    table_names = [r.cells[1].text for t in bb.doc.tables for r in t.rows]
    assert table_names.count(SPECIAL_NAME) == 1                  # the vote table
    assert table_names.count(COLLECTIVE) == 1
    kh = D(out / "ke-hoach.docx")
    assert "- Các đơn vị & <phòng>;" in kh.texts()
    for f in (ttr, bb, kh):
        assert ">42<" not in xml_text(f.path)


def test_long_text_one_paragraph_per_line(out):
    assert len(LONG_TEXT) >= 5000
    docs = report_of(out, "Vũ Thị Dài")
    assert len(docs) == 1
    d = docs[0]
    texts = d.texts()
    positions = [texts.index(line.strip()) for line in LONG_LINES]
    assert positions == list(range(positions[0], positions[0] + len(LONG_LINES)))
    for line in LONG_LINES:
        p = d.find_para(line.strip())
        assert p.find(f".//{W}br") is None
        assert d.alignment(p) == "both" and d.first_line(p) == 567
        assert d.run_values(p, d.size) == {14.0}


def test_disciplined_and_failed_vote_not_proposed(out):
    ttr = D(out / "to-trinh.docx")
    listed = [r.cells[1].text for r in ttr.doc.tables[-1].rows]
    assert DISCIPLINED not in listed and FAILED not in listed
    assert DISCIPLINED not in ttr.full_text and FAILED not in ttr.full_text
    # counts: 1 collective, 5 individuals (7 minus the disciplined and the failed vote)
    assert "01 (một) tập thể và 05 (năm) cá nhân" in ttr.full_text
    bb = D(out / "bien-ban-hop.docx")
    rows = {r.cells[1].text: [c.text for c in r.cells] for t in bb.doc.tables for r in t.rows if len(r.cells) == 7}
    assert rows[FAILED][3:] == ["2", "4", "28,57%", "Không đạt"]          # votes as counted
    assert rows[DISCIPLINED][-1] == "Đạt"
    texts = bb.texts()
    i = texts.index("Không đề nghị khen thưởng:")
    rejected = "\n".join(texts[i + 1:i + 3])
    assert FAILED in rejected and DISCIPLINED in rejected
    # both still get their own report
    assert len(report_of(out, DISCIPLINED)) == 1 and len(report_of(out, FAILED)) == 1


def test_recipients_normalised(out):
    from docx_inspect import column_texts

    def noi_nhan(d):
        texts = d.texts()
        i = texts.index("Nơi nhận:")
        out_ = []
        for t in texts[i + 1:]:
            if not t.strip():
                continue
            out_.append(t)
            if t.startswith("- Lưu"):
                break
        return out_

    assert noi_nhan(D(out / "ke-hoach.docx")) == ["- Các đơn vị & <phòng>;", "- Lưu: VT, VP."]
    assert noi_nhan(D(out / "to-trinh.docx")) == ["- Như trên;", "- Vụ Thi đua - Khen thưởng VKSND tối cao;",
                                                  "- Lưu: VT, VP."]
    assert noi_nhan(D(out / "bien-ban-hop.docx")) == ["- Thành viên Hội đồng;", "- Lưu: VT, VP."]


def test_plain_unicode_vietnamese_is_not_taken_for_tcvn3(out):
    """BUG (product, docgen reader/vietnamese): a cell whose Vietnamese letters all happen to be Latin-1
    ("Có thành tích.") is misdetected as TCVN3 and "converted" to "Cú thành tớch.", corrupting correct
    Unicode data in the report.  The text must come out exactly as typed."""
    for name in (DISCIPLINED, FAILED):
        docs = report_of(out, name)
        assert len(docs) == 1
        texts = docs[0].texts()
        assert "Cú thành tớch." not in texts
        assert "Có thành tích." in texts
