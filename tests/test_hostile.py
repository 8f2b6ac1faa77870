"""Hostile input, safe output: random workbooks either build documents that pass the ND30 checker or
end in a located Vietnamese error — never a traceback; interrupted builds leave no partial file;
names from data never escape the output folder; spreadsheet cells never become formulas."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path, PurePosixPath

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import docgen
from docgen.cli import cli
from docgen.write import neutralise_cell, safe_name, safe_relpath, spreadsheet_bytes, unique_paths
from wb_helpers import MINIMAL_INFO, make_workbook

ROOT = Path(__file__).resolve().parent.parent

SIGNERS = [("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên"),
           ("KH", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"),
           ("TTr", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An")]
COUNCIL = [("Họ và tên", "Vai trò", "Có mặt"), ("Hoàng Văn Đức", "Chủ tịch", "Có"), ("Mạc Văn Sơn", "Thư ký", "Có"),
           ("Lý Thị Thanh", "Ủy viên", "Có")]
INFO_MEETING = [("Kính gửi", "Viện trưởng VKSND tối cao"), ("Cấp trình khen", "VKSND tối cao"),
                ("Thời gian họp", "14 giờ 00"), ("Địa điểm họp", "Hội trường"), ("Thời gian kết thúc", "16 giờ"),
                ("Ngày ban hành", "22/06/2026")]

# text that is hard for XML, Word and Jinja alike
nasty_text = st.one_of(
    st.text(min_size=0, max_size=60),
    st.sampled_from([
        "{{ 6*7 }}", "{% for x in range(3) %}x{% endfor %}", "{{ ''.__class__.__mro__ }}", "<w:p>&amp;</w:p>",
        "A & B < C > D \"quoted\" 'single'", "\x00\x01\x0b\x1f control", "مرحبا بالعالم", "עברית", "😀🎉👍🏽",
        "Nguyễn Văn An", "N\u0303guye\u0302\u0303n", "x" * 10_000, "=HYPERLINK(\"http://x\")", "+1-2", "@SUM(A1)",
        "../../etc/passwd", "CON", "a/b\\c:d*e?f\"g<h>i|j", "   ", "\n\n\n", "ngày 31 tháng 2 năm 2026",
    ]),
)
cell_value = st.one_of(nasty_text, st.integers(-10**12, 10**12), st.floats(allow_nan=False, allow_infinity=False),
                       st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.booleans(), st.none())


@st.composite
def workbooks(draw):
    people = draw(st.lists(st.tuples(nasty_text, cell_value, cell_value, nasty_text, nasty_text),
                           min_size=0, max_size=4))
    collectives = draw(st.lists(st.tuples(nasty_text, cell_value, nasty_text), min_size=0, max_size=2))
    recipients = draw(st.lists(st.tuples(st.sampled_from(["KH", "TTr", "BB", "BC", "QĐ", "xx"]), nasty_text),
                               max_size=4))
    info_extra = draw(st.lists(st.tuples(st.sampled_from(["Tên phong trào", "Địa danh", "Năm", "Ngày ban hành",
                                                          "Ghi chú riêng"]), cell_value), max_size=3))
    empty_sheet = draw(st.booleans())
    return people, collectives, recipients, info_extra, empty_sheet


def _write(tmp: Path, spec) -> Path:
    people, collectives, recipients, info_extra, empty_sheet = spec
    info = list(MINIMAL_INFO) + INFO_MEETING + list(info_extra)
    individuals = [("Họ và tên", "Ngày sinh", "Chức vụ", "Hình thức đề nghị", "Thành tích")]
    votes = [("Đối tượng", "Đồng ý", "Không đồng ý")]
    for name, birth, position, award, text in people:
        individuals.append((name, birth, position, award or "Lao động tiên tiến", text))
        votes.append((name, 3, 0))
    coll = [("Tên tập thể", "Hình thức đề nghị", "Thành tích")]
    for name, award, text in collectives:
        coll.append((name, award, text))
        votes.append((name, 3, 0))
    sheets = {"Thông tin": info, "Cá nhân": individuals, "Tập thể": coll, "Biểu quyết": votes, "Hội đồng": COUNCIL,
              "Nơi nhận": [("Văn bản", "Nơi nhận"), *recipients], "Người ký": SIGNERS}
    if empty_sheet:
        sheets["Khen thưởng"] = []
    return make_workbook(tmp / "fuzz.xlsx", sheets)


@settings(max_examples=int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", 25)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=workbooks())
def test_random_workbooks_build_or_fail_cleanly(tmp_path_factory, spec):
    from docgen.nd30 import check_document

    tmp = tmp_path_factory.mktemp("fuzz")
    path = _write(tmp, spec)
    out = tmp / "out"
    res = CliRunner().invoke(cli, ["build", str(path), "-o", str(out)])
    assert "Traceback" not in res.output
    assert "Lỗi không mong đợi" not in res.output, res.output
    if res.exit_code == 0:
        files = list(out.rglob("*.docx"))
        assert files
        for f in files:
            with zipfile.ZipFile(f) as z:
                assert z.testzip() is None
            result = check_document(f)
            assert result.ok, (f.name, [(x.code, x.message) for x in result.findings])
        # data that looks like template code appears literally, never evaluated
        for name, *_ in spec[0]:
            if name == "{{ 6*7 }}":
                from docx import Document
                texts = [p.text for f in files for p in Document(str(f)).paragraphs]
                cells = [c.text for f in files for t in Document(str(f)).tables for r in t.rows for c in r.cells]
                assert any("{{ 6*7 }}" in t for t in texts + cells)
                assert not any(t.strip() == "42" for t in texts)
    else:
        assert res.exit_code in (1, 2), res.output
        assert ("dòng" in res.output) or ("Lỗi:" in res.output), res.output
        assert not out.exists() or not any(out.rglob("*.docx"))


named_text = nasty_text.filter(lambda s: any(ch.isalnum() for ch in s))


@st.composite
def valid_workbooks(draw):
    """Well-formed workbooks whose every free-text cell is hostile: these must build, and every document
    must open and pass the ND30 checker."""
    people = draw(st.lists(st.tuples(named_text, st.one_of(st.none(), st.dates(date(1950, 1, 1), date(2005, 1, 1))),
                                     nasty_text, nasty_text), min_size=1, max_size=3))
    collectives = draw(st.lists(st.tuples(named_text, nasty_text), max_size=2))
    recipients = draw(st.lists(st.tuples(st.sampled_from(["KH", "TTr", "BB"]), named_text), max_size=4))
    movement = draw(named_text)
    return people, collectives, recipients, movement


@settings(max_examples=int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", 12)), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(spec=valid_workbooks())
def test_hostile_text_in_valid_workbooks_builds_documents_that_pass_the_checker(tmp_path_factory, spec):
    from docx import Document
    from docgen.nd30 import check_document

    people, collectives, recipients, movement = spec
    tmp = tmp_path_factory.mktemp("fuzz-ok")
    info = [(k, v) for k, v in MINIMAL_INFO if k != "Tên phong trào"] + INFO_MEETING + [("Tên phong trào", movement)]
    individuals = [("Họ và tên", "Ngày sinh", "Chức vụ", "Hình thức đề nghị", "Thành tích")]
    votes = [("Đối tượng", "Đồng ý", "Không đồng ý")]
    for name, birth, position, text in people:       # awards the superior decides: the Tờ trình carries them
        individuals.append((name, birth, position, "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao", text))
        votes.append((name, 3, 0))
    coll = [("Tên tập thể", "Hình thức đề nghị", "Thành tích")]
    for name, text in collectives:
        coll.append((name, "Tập thể lao động xuất sắc", text))
        votes.append((name, 3, 0))
    path = make_workbook(tmp / "ok.xlsx", {
        "Thông tin": info, "Cá nhân": individuals, "Tập thể": coll, "Biểu quyết": votes, "Hội đồng": COUNCIL,
        "Nơi nhận": [("Văn bản", "Nơi nhận"), *recipients], "Người ký": SIGNERS})
    out = tmp / "out"
    res = CliRunner().invoke(cli, ["build", str(path), "-o", str(out)])
    assert "Traceback" not in res.output
    if res.exit_code != 0:
        # the only acceptable refusal: names that collide after cleaning (two rows with the same text)
        assert res.exit_code == 1 and "dòng" in res.output, res.output
        assert not out.exists() or not any(out.rglob("*.docx"))
        return
    files = sorted(out.rglob("*.docx"))
    assert len(files) == 3 + len(people) + len(collectives)
    for f in files:
        Document(str(f))
        result = check_document(f)
        assert result.ok, (f.name, [(x.code, x.message) for x in result.findings if x.severity == "loi"])


def test_template_code_in_data_is_literal_everywhere(tmp_path):
    from docx import Document

    info = [(k, v) for k, v in MINIMAL_INFO if k != "Tên phong trào"] + INFO_MEETING + [
        ("Tên phong trào", "{{ 6*7 }} & <b>đổi mới</b>")]
    people = [("Họ và tên", "Hình thức đề nghị", "Thành tích"),
              ("{{ 6*7 }}", "Lao động tiên tiến", "{% if true %}X{% endif %} & < >")]
    path = make_workbook(tmp_path / "t.xlsx", {
        "Thông tin": info, "Cá nhân": people, "Biểu quyết": [("Đối tượng", "Đồng ý"), ("{{ 6*7 }}", 3)],
        "Hội đồng": COUNCIL, "Người ký": SIGNERS,
        "Nơi nhận": [("Văn bản", "Nơi nhận"), ("KH", "{{ noi_nhan }}")]})
    result = docgen.build(path, tmp_path / "out")
    seen_literal = False
    for f in result.docx_files:
        with zipfile.ZipFile(f) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        assert ">42<" not in xml
        if "{{ 6*7 }}" in xml:
            seen_literal = True
        doc = Document(str(f))
        assert doc.paragraphs is not None
    assert seen_literal
    ke_hoach = "\n".join(p.text for p in Document(str(tmp_path / "out" / "ke-hoach.docx")).paragraphs)
    assert "{{ 6*7 }} & <b>đổi mới</b>" in ke_hoach
    assert "- {{ noi_nhan }};" in "\n".join(c.text for t in Document(str(tmp_path / "out" / "ke-hoach.docx")).tables
                                           for r in t.rows for c in r.cells)


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "etc-passwd"),
    ("..\\..\\boot.ini", "boot.ini"),
    ("CON", "_CON"),
    ("con.docx", "_con.docx"),
    ("LPT1.txt", "_LPT1.txt"),
    ("a:b*c?.docx", "a-b-c.docx"),
    ('x<y>|"z.docx', "x-y-z.docx"),
    ("  .hidden", "hidden"),
    ("...", "van-ban"),
    ("Nguyễn Văn A.docx", "Nguyễn Văn A.docx"),
])
def test_safe_names(name, expected):
    assert safe_name(name) == expected


def test_safe_name_length_keeps_extension():
    name = safe_name("x" * 400 + ".docx")
    assert name.endswith(".docx") and len(name) <= 120


def test_relpaths_cannot_escape():
    for rel in ("../x.docx", "/etc/x.docx", "a/../../b.docx", "..\\..\\win.docx", "bao-cao/../../x.docx"):
        p = safe_relpath(rel)
        assert not p.is_absolute() and ".." not in p.parts
    assert safe_name("x" * 500 + ".docx").endswith(".docx") and len(safe_name("x" * 500 + ".docx")) <= 120
    assert unique_paths(["a.docx", "A.docx", "a.docx"]) == [PurePosixPath("a.docx"), PurePosixPath("A-2.docx"),
                                                             PurePosixPath("a-3.docx")]


def test_spreadsheet_cells_never_formulas(tmp_path):
    data = spreadsheet_bytes("DS", ["A", "B"], [["=1+1", "+SUM(A1)"], ["-2+3", "@cmd"], ["Bình thường", 5]])
    p = tmp_path / "x.xlsx"
    p.write_bytes(data)
    ws = openpyxl.load_workbook(p).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert "'=1+1" in values and "'+SUM(A1)" in values and "'-2+3" in values and "'@cmd" in values
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    assert neutralise_cell(5) == 5


def test_killed_build_leaves_no_partial_docx(tmp_path):
    """Start a large build, kill it midway (SIGKILL: no cleanup code runs), then check every .docx present
    is complete; a rerun with --force cleans the temporaries and finishes."""
    sys.path.insert(0, str(ROOT / "bench"))
    from bench_build import make_campaign

    wb = make_campaign(tmp_path / "lon.xlsx", 120)
    out = tmp_path / "out"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen([sys.executable, "-m", "docgen", "build", str(wb), "-o", str(out)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if out.exists() and len(list(out.rglob("*.docx"))) >= 3:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    for f in out.rglob("*.docx"):
        with zipfile.ZipFile(f) as z:       # a partial file would not open
            assert z.testzip() is None
    res = CliRunner().invoke(cli, ["build", str(wb), "-o", str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert not list(out.rglob(".docgen-*"))
    assert len(list((out / "bao-cao-thanh-tich").glob("*.docx"))) == 120
