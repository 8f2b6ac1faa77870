"""Hostile input, safe output: random workbooks either build documents that pass the ND30 checker or
end in a located Vietnamese error — never a traceback; interrupted builds leave no partial file;
names from data never escape the output folder; spreadsheet cells never become formulas."""
from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
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


def test_killed_build_leaves_nothing_and_a_plain_rebuild_runs(tmp_path):
    """Issue 13.2: kill a large build midway (SIGKILL: no clean-up code runs) while documents are being staged:
    no document appears under its final name, and the next build needs no --force (nothing complete was
    written), removes the staging folder and finishes."""
    from bench_build import make_campaign

    wb = make_campaign(tmp_path / "lon.xlsx", 120)
    out = tmp_path / "out"
    proc = _docgen("build", str(wb), "-o", str(out))
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if len(list(out.glob(".docgen-staging-*/new/**/*.docx"))) >= 3:
            break
        time.sleep(0.01)
    assert proc.poll() is None, "the build ended before it could be killed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert [p for p in out.rglob("*") if ".docgen-staging-" not in str(p)] == []
    res = CliRunner().invoke(cli, ["build", str(wb), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert not list(out.glob(".docgen-*"))
    assert len(list((out / "bao-cao-thanh-tich").glob("*.docx"))) == 120


# ================================================================================ issue 13: all or nothing
sys.path.insert(0, str(ROOT / "bench"))
DEMO = ROOT / "fixtures" / "vksnd-cao-bang.xlsx"
ENV = dict(os.environ, PYTHONPATH=str(ROOT))


def _docgen(*args: str, env: dict | None = None) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "docgen", *args], env=env or ENV, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def _run(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *args], env=env or ENV, capture_output=True,
                          text=True, timeout=timeout)


def _tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) → SHA-256 of its bytes."""
    import hashlib

    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def previous_build(tmp_path):
    """An output folder holding a complete earlier build, and a digest of it."""
    out = tmp_path / "out"
    assert docgen.build(DEMO, out).files
    (out / "ghi-chu-cua-toi.txt").write_text("không được đụng vào", encoding="utf-8")
    return out, _tree(out)


@contextlib.contextmanager
def _tmpfs(where: Path, options: str):
    where.mkdir(parents=True, exist_ok=True)
    try:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(where)], capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.SubprocessError) as exc:
        pytest.skip(f"không gắn được tmpfs: {exc}")
    if done.returncode != 0:
        pytest.skip(f"không gắn được tmpfs (cần quyền root): {done.stderr.strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


def test_full_disk_leaves_previous_contents_and_says_how_much_space_is_missing(tmp_path):
    """Issue 13.1: a disk too small for the demo's documents (64 kB; the demo writes about 200 kB): exit 1, the
    precise message, the folder exactly as it was."""
    with _tmpfs(tmp_path / "disk", "size=64k") as disk:
        out = disk / "out"
        out.mkdir()
        (out / "cu.txt").write_text("tệp cũ", encoding="utf-8")
        before = _tree(out)
        res = _run("build", str(DEMO), "-o", str(out))
        assert res.returncode == 1, res.stderr
        assert "Ổ đĩa đầy: cần thêm khoảng" in res.stderr and "MB" in res.stderr
        assert "không có văn bản nào được ghi" in res.stderr
        assert "Lỗi không mong đợi" not in res.stderr and "Traceback" not in res.stderr
        assert _tree(out) == before
        (out / "cu.txt").unlink()
        res = _run("build", str(DEMO), "-o", str(out / "moi"))
        assert res.returncode == 1 and not (out / "moi").exists()


def test_ctrl_c_during_pdf_keeps_previous_contents(previous_build, tmp_path):
    """Issue 13.3: Ctrl-C while LibreOffice converts: exit 130, one Vietnamese line, previous set untouched."""
    if docgen.pdf.find_soffice() is None:
        pytest.skip("không có LibreOffice")
    out, before = previous_build
    proc = _docgen("build", str(DEMO), "-o", str(out), "--force", "--pdf")
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None and not list(out.glob(".docgen-staging-*/new/pdf")):
        time.sleep(0.01)
    assert proc.poll() is None, proc.communicate()
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    err = err.decode("utf-8")
    assert proc.returncode == 130, err
    assert err.strip().count("\n") == 0 and "Đã dừng theo yêu cầu" in err and "Traceback" not in err
    assert _tree(out) == before


def test_libreoffice_failure_keeps_previous_contents(previous_build, tmp_path):
    out, before = previous_build
    env = dict(ENV, DOCGEN_SOFFICE="/bin/false")
    res = _run("build", str(DEMO), "-o", str(out), "--force", "--pdf", env=env)
    assert res.returncode == 3, res.stderr
    assert "LibreOffice" in res.stderr and "Traceback" not in res.stderr
    assert _tree(out) == before


def _wait_for_handlers(proc, timeout: float = 30.0) -> bool:
    """Wait until docgen's own signal handlers are installed (Linux: SIGTERM appears in the process's
    caught-signal mask), i.e. the moment right after ``docgen.__main__.main`` starts, before the heavy
    modules load.  A signal before that moment reaches the bare interpreter, which nothing can handle."""
    status = Path(f"/proc/{proc.pid}/status")
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        try:
            caught = next(line for line in status.read_text().splitlines() if line.startswith("SigCgt:"))
        except (OSError, StopIteration):
            return False
        if int(caught.split()[1], 16) & (1 << (signal.SIGTERM - 1)):
            return True
        time.sleep(0.001)
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="cần /proc (Linux) để biết lúc docgen bắt tín hiệu")
@pytest.mark.parametrize("signum,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_signal_while_modules_import_is_one_line_and_no_traceback(signum, code):
    """Issue 13.4: a signal in the first fraction of a second (while click and the pipeline load; the
    checks got faster, so several early delays make sure some land before the command has finished)."""
    hit = 0
    for delay in (0.0, 0.0, 0.01, 0.02, 0.05, 0.15, 0.3):
        proc = _docgen("validate", str(DEMO))
        assert _wait_for_handlers(proc), "docgen never installed its signal handlers"
        time.sleep(delay)
        proc.send_signal(signum)
        out, err = proc.communicate(timeout=60)
        if proc.returncode == 0:
            continue                       # finished before the signal: nothing to see
        hit += 1
        err = err.decode("utf-8")
        assert proc.returncode == code, (delay, err)
        assert "Traceback" not in err and err.strip().count("\n") == 0 and "Đã dừng" in err, (delay, err)
    assert hit >= 2                        # the early delays land while modules are still loading


def test_sigterm_mid_build_keeps_previous_contents(previous_build):
    out, before = previous_build
    proc = _docgen("build", str(DEMO), "-o", str(out), "--force")
    deadline = time.time() + 60
    while time.time() < deadline and proc.poll() is None and not list(out.glob(".docgen-staging-*/new/*.docx")):
        time.sleep(0.005)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    if proc.returncode == 0:
        pytest.skip("the build finished before the signal")
    assert proc.returncode == 143 and "Đã dừng" in err.decode("utf-8") and b"Traceback" not in err
    assert _tree(out) == before


def test_output_path_under_an_existing_file(tmp_path):
    """Issue 13.11: a located message, exit 1, not "Lỗi không mong đợi"."""
    (tmp_path / "tep.txt").write_text("x")
    res = CliRunner().invoke(cli, ["build", str(DEMO), "-o", str(tmp_path / "tep.txt" / "out")])
    assert res.exit_code == 1, res.output
    assert "là một tệp, không phải thư mục" in res.output and "tep.txt" in res.output
    assert "không mong đợi" not in res.output


def test_read_only_output_folder(tmp_path):
    """Issue 13.11: a read-only file system (root ignores folder permissions, so a read-only tmpfs is used)."""
    with _tmpfs(tmp_path / "ro", "ro,size=1m") as ro:
        res = CliRunner().invoke(cli, ["build", str(DEMO), "-o", str(ro / "out")])
        assert res.exit_code == 1, res.output
        assert "chỉ đọc" in res.output and "không có văn bản nào được ghi" in res.output
        assert "không mong đợi" not in res.output


def test_unwritable_output_folder_for_an_ordinary_user(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root bỏ qua quyền thư mục; trường hợp chỉ đọc được kiểm tra bằng tmpfs chỉ đọc")
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        res = CliRunner().invoke(cli, ["build", str(DEMO), "-o", str(out)])
    finally:
        out.chmod(0o755)
    assert res.exit_code == 1 and "Không có quyền ghi" in res.output, res.output


def test_force_without_pdf_removes_the_stale_pdfs_of_replaced_documents(tmp_path):
    """Issue 12: pdf/ of an earlier --pdf run no longer matches: the PDFs of replaced documents and the print
    file go (in the same transaction), unrelated PDFs stay, and the clerk is told."""
    out = tmp_path / "out"
    docgen.build(DEMO, out)
    (out / "pdf").mkdir()
    for name in ("ke-hoach.pdf", "to-trinh.pdf", "ho-so-de-nghi-khen-thuong.pdf", "cong-van-khac.pdf"):
        (out / "pdf" / name).write_bytes(b"%PDF-1.4 cu")
    res = CliRunner().invoke(cli, ["build", str(DEMO), "-o", str(out), "--force"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in (out / "pdf").iterdir()) == ["cong-van-khac.pdf"]
    assert "Đã xóa 3 tệp PDF cũ" in res.output


# -------------------------------------------------------------------------------- the property: all or nothing
def _outcome(out: Path, before: dict, after: dict) -> str:
    now = {k: v for k, v in _tree(out).items() if ".docgen-staging-" not in k}
    if now == before:
        return "before"
    if now == after:
        return "after"
    return "mixed"


_STAGE_SCRIPT = r"""
import sys
from pathlib import Path, PurePosixPath
from docgen.write import StagedOutput
out, n, tag = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
sys.stdout.write("ready\n"); sys.stdout.flush(); sys.stdin.readline()
planned = [PurePosixPath(f"d{i % 7}/f{i}.docx") for i in range(n)]
with StagedOutput(out, planned, force=True) as staged:
    for rel in planned:
        staged.add(rel, (tag + str(rel)).encode() * 50)
    staged.commit()
"""


_N_FILES = 200
_PLANNED = [f"d{i % 7}/f{i}.docx" for i in range(_N_FILES)]
_TIMING: dict[str, object] = {}


def _expected(tag: str) -> dict[str, str]:
    import hashlib

    return {rel: hashlib.sha256((tag + rel).encode() * 50).hexdigest() for rel in _PLANNED}


def _stage_process(script: Path, out: Path, tag: str) -> tuple[subprocess.Popen, float]:
    proc = subprocess.Popen([sys.executable, str(script), str(out), str(_N_FILES), tag], env=ENV,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline() == b"ready\n"
    proc.stdin.write(b"go\n")
    proc.stdin.flush()
    return proc, time.perf_counter()


@settings(max_examples=int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", 5)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fraction=st.floats(0.0, 1.2))
def test_a_set_killed_at_any_moment_is_all_or_nothing(tmp_path_factory, fraction):
    """SIGKILL at a random moment while a set of 200 files is staged or committed (the commit, a few hundred
    renames, is hit too): once the next build has recovered the folder it holds exactly the previous set or
    exactly the new one — never a mixture, never a partial file."""
    from docgen.write import recover

    tmp = tmp_path_factory.mktemp("kill")
    script = tmp / "stage.py"
    script.write_text(_STAGE_SCRIPT)
    if "set" not in _TIMING:                          # how long a complete run takes, measured once
        proc, start = _stage_process(script, tmp / "timing", "x")
        assert proc.wait(timeout=60) == 0, proc.stderr.read()
        _TIMING["set"] = time.perf_counter() - start
    out = tmp / "out"
    for rel in _PLANNED:                              # the previous set
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(("old" + rel).encode() * 50)
    before, after = _expected("old"), _expected("new")
    assert _tree(out) == before
    proc, start = _stage_process(script, out, "new")
    while time.perf_counter() - start < fraction * _TIMING["set"] and proc.poll() is None:
        time.sleep(0.0005)
    proc.kill()
    proc.wait(timeout=30)
    recover(out)
    assert _outcome(out, before, after) in ("before", "after")
    assert not list(out.glob(".docgen-staging-*"))


@settings(max_examples=int(os.environ.get("DOCGEN_FUZZ_EXAMPLES", 3)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(fraction=st.floats(0.1, 1.0))
def test_a_real_build_killed_at_any_moment_is_all_or_nothing(tmp_path_factory, fraction):
    """The same for ``docgen build --force`` over the build of an earlier round, killed after a random share of
    its usual duration."""
    import shutil

    from docgen.write import recover

    tmp = tmp_path_factory.mktemp("killbuild")
    if "build" not in _TIMING:
        base = tmp_path_factory.mktemp("killbuild-ref")
        earlier = base / "dot-truoc.xlsx"             # the previous round: another file, another date
        earlier.write_bytes(DEMO.read_bytes())
        docgen.build(earlier, base / "before", only={"ke-hoach", "to-trinh", "bien-ban"}, today=date(2025, 6, 2))
        start = time.perf_counter()
        assert _run("build", str(DEMO), "-o", str(base / "ref")).returncode == 0
        _TIMING["build"] = (time.perf_counter() - start, base / "before", _tree(base / "ref"))
    duration, before_dir, ref = _TIMING["build"]
    written = set(ref)
    out = tmp / "out"
    shutil.copytree(before_dir, out)
    before = _tree(out)
    proc = _docgen("build", str(DEMO), "-o", str(out), "--force")
    time.sleep(fraction * duration)
    proc.kill()
    proc.wait(timeout=30)
    recover(out)
    now = _tree(out)
    if now != before:                                 # then it is the complete new set
        assert set(now) == set(before) | written, sorted(set(now) ^ (set(before) | written))
        assert all(now[k] == before[k] for k in set(before) - written)
        # the new version of each: the reference build's, byte for byte (same data, same bytes; the earlier
        # round's kiểm tra names another workbook, so a file left from it would show)
        assert all(now[k] == ref[k] for k in written)
        assert now["kiem-tra.txt"] != before["kiem-tra.txt"]
    for f in out.rglob("*.docx"):
        with zipfile.ZipFile(f) as z:
            assert z.testzip() is None


# ================================================================================ issue 13: hostile templates
BUILTIN = ROOT / "templates"


def _template_dir(tmp_path: Path, edit) -> Path:
    """templates/ beside a copy of the demo workbook (picked up automatically), with ke-hoach.docx edited:
    ``edit(parts)`` changes the dict of zip parts in place."""
    folder = tmp_path / "templates"
    folder.mkdir()
    with zipfile.ZipFile(BUILTIN / "ke-hoach.docx") as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    edit(parts)
    with zipfile.ZipFile(folder / "ke-hoach.docx", "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    (tmp_path / "ho-so.xlsx").write_bytes(DEMO.read_bytes())
    return tmp_path / "ho-so.xlsx"


def _in_first_paragraph(parts: dict, text: str) -> None:
    xml = parts["word/document.xml"].decode("utf-8")
    i = xml.index("<w:t", xml.index("<w:body>"))
    j = xml.index(">", i) + 1
    parts["word/document.xml"] = (xml[:j] + text + xml[j:]).encode("utf-8")


def test_zip_bomb_template_beside_the_workbook_is_refused(tmp_path):
    """Issue 13.5: an image part that inflates 1000:1, in a templates/ folder found automatically."""
    wb = _template_dir(tmp_path, lambda parts: parts.__setitem__("word/media/bom.png", b"\0" * (40 * 1024 * 1024)))
    res = _run("build", str(wb), "-o", str(tmp_path / "out"))
    assert res.returncode == 1, res.stderr
    assert 'Mẫu "ke-hoach.docx"' in res.stderr and "bom nén" in res.stderr
    assert not (tmp_path / "out").exists()


def test_a_template_that_loops_forever_is_stopped(tmp_path):
    """Issue 13.6: nested range(100000) loops: stopped after the time limit, with the template named."""
    wb = _template_dir(tmp_path, lambda parts: _in_first_paragraph(
        parts, "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"))
    start = time.perf_counter()
    res = _run("build", str(wb), "-o", str(tmp_path / "out"), env=dict(ENV, DOCGEN_RENDER_SECONDS="3"))
    assert time.perf_counter() - start < 60
    assert res.returncode == 1, res.stderr
    assert 'ke-hoach.docx' in res.stderr and 'hiển thị quá 3 giây' in res.stderr
    assert not (tmp_path / "out").exists()


def test_a_template_that_exhausts_memory_is_stopped(tmp_path):
    """Issue 13.7: {{ 'A' * 10**9 }} under a 512 MB limit."""
    wb = _template_dir(tmp_path, lambda parts: _in_first_paragraph(parts, "{{ 'A' * 10**9 }}"))
    res = _run("build", str(wb), "-o", str(tmp_path / "out"), env=dict(ENV, DOCGEN_RENDER_MEMORY_MB="512"))
    assert res.returncode == 1, res.stderr
    assert 'Mẫu "ke-hoach.docx"' in res.stderr and "bộ nhớ" in res.stderr, res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "out").exists()


def test_an_oversized_output_is_refused(tmp_path):
    wb = _template_dir(tmp_path, lambda parts: _in_first_paragraph(parts, "{{ 'A' * 3000000 }}"))
    res = _run("build", str(wb), "-o", str(tmp_path / "out"), env=dict(ENV, DOCGEN_RENDER_OUTPUT_MB="1"))
    assert res.returncode == 1 and "văn bản tạo ra quá lớn" in res.stderr, res.stderr


EXTERNAL_RELS = (
    b'<Relationship Id="rIdX1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" '
    b'Target="http://beacon.example/x" TargetMode="External"/>'
    b'<Relationship Id="rIdX2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" '
    b'Target="http://beacon.example/p.png" TargetMode="External"/>')
SETTINGS_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships '
    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdT" '
    b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate" '
    b'Target="http://evil.example/t.dotm" TargetMode="External"/></Relationships>')


def _add_external(parts: dict) -> None:
    rels = parts["word/_rels/document.xml.rels"]
    parts["word/_rels/document.xml.rels"] = rels.replace(b"</Relationships>", EXTERNAL_RELS + b"</Relationships>")
    xml = parts["word/document.xml"].decode("utf-8")
    link = ('<w:hyperlink r:id="rIdX1"><w:r><w:t>Cổng thông tin</w:t></w:r></w:hyperlink>'
            '<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing">'
            '<wp:extent cx="10" cy="10"/><wp:docPr id="99" name="p"/><a:graphic '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic '
            'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="99" '
            'name="p"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:link="rIdX2"/></pic:blipFill><pic:spPr/>'
            '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')
    i = xml.index("<w:body>") + len("<w:body>")
    parts["word/document.xml"] = (xml[:i] + "<w:p>" + link + "</w:p>" + xml[i:]).encode("utf-8")
    settings_xml = parts["word/settings.xml"].decode("utf-8")
    j = settings_xml.index(">", settings_xml.index("<w:settings")) + 1
    parts["word/settings.xml"] = (settings_xml[:j] + '<w:attachedTemplate r:id="rIdT"/>' + settings_xml[j:]).replace(
        "<w:settings ", '<w:settings xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ',
        1 if 'xmlns:r=' not in settings_xml else 0).encode("utf-8")
    parts["word/_rels/settings.xml.rels"] = SETTINGS_RELS


def _add_macro(parts: dict) -> None:
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0 not really VBA"
    parts["word/_rels/document.xml.rels"] = parts["word/_rels/document.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/2006/relationships/'
                             b'vbaProject" Target="vbaProject.bin"/></Relationships>')
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/word/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                     b"</Types>")


def test_external_relationships_and_macros_never_reach_the_documents(tmp_path):
    """Issues 13.8 and 13.12: a hyperlink, a remote image, an attached remote template and a vbaProject.bin in a
    .docx template: the built Kế hoạch has none of them (the hyperlink's text stays), kiem-tra.txt says what was
    removed, and the document passes the checker."""
    from docx import Document
    from docgen.nd30 import check_document

    def edit(parts):
        _add_external(parts)
        _add_macro(parts)

    wb = _template_dir(tmp_path, edit)
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["build", str(wb), "-o", str(out)])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(out / "ke-hoach.docx") as zf:
        names = zf.namelist()
        rels = b"".join(zf.read(n) for n in names if n.endswith(".rels"))
        xml = zf.read("word/document.xml") + zf.read("word/settings.xml")
    assert b"External" not in rels and b"beacon" not in rels and b"evil" not in rels
    assert "word/vbaProject.bin" not in names and b"vbaProject" not in rels
    assert b"attachedTemplate" not in xml and b"r:link" not in xml
    assert "Cổng thông tin".encode() in xml                                    # the link's text stays
    Document(str(out / "ke-hoach.docx"))
    report = (out / "kiem-tra.txt").read_text("utf-8")
    assert "đã bỏ macro" in report and "attachedTemplate" in report and "hyperlink" in report
    assert check_document(out / "ke-hoach.docx").ok


def test_docgen_check_reports_external_relationships_macros_and_embedded_objects(tmp_path):
    """Issue 13.8: the checker names each part; a remote template or a macro is an error (KHÔNG ĐẠT)."""
    from docgen.nd30 import check_document

    docgen.build(DEMO, tmp_path / "out", only={"ke-hoach"})
    with zipfile.ZipFile(tmp_path / "out" / "ke-hoach.docx") as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    _add_external(parts)
    _add_macro(parts)
    parts["word/embeddings/oleObject1.bin"] = b"ole"
    bad = tmp_path / "nguy-hiem.docx"
    with zipfile.ZipFile(bad, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    result = check_document(bad)
    found = {(f.code, f.where, f.severity) for f in result.findings if f.code.startswith("ND30-PKG")}
    assert ("ND30-PKG-MACRO", "word/vbaProject.bin", "loi") in found
    assert ("ND30-PKG-EXTERNAL", "word/_rels/settings.xml.rels", "loi") in found       # attachedTemplate
    assert ("ND30-PKG-EXTERNAL", "word/_rels/document.xml.rels", "canh_bao") in found  # the hyperlink
    assert ("ND30-PKG-EMBEDDED", "word/embeddings/oleObject1.bin", "canh_bao") in found
    assert not result.ok
    res = CliRunner().invoke(cli, ["check", str(bad)])
    assert res.exit_code != 0 and "ND30-PKG-EXTERNAL" in res.output


@pytest.mark.parametrize("content_type,message", [
    ("application/vnd.ms-word.document.macroEnabled.main+xml", "văn bản Word có macro (.docm)"),
    ("application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml", "tệp mẫu Word (.dotx)"),
])
def test_docm_and_dotx_named_docx_have_their_own_message(tmp_path, content_type, message):
    """Issue 13.12: not "một bộ lọc gặp giá trị không hợp lệ"."""
    def edit(parts):
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", content_type.encode())

    wb = _template_dir(tmp_path, edit)
    res = CliRunner().invoke(cli, ["build", str(wb), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1, res.output
    assert f'Mẫu "ke-hoach.docx" thực chất là {message} dù mang đuôi .docx' in res.output
    assert "bộ lọc" not in res.output and not (tmp_path / "out").exists()


def test_a_filter_given_a_bad_value_is_still_a_filter_problem(tmp_path):
    wb = _template_dir(tmp_path, lambda parts: _in_first_paragraph(parts, "{{ 'không phải ngày' | ngay }}"))
    res = CliRunner().invoke(cli, ["build", str(wb), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1 and "một bộ lọc gặp giá trị không hợp lệ" in res.output, res.output


# ================================================================================ issue 13: hostile workbooks
def _demo_copy(tmp_path: Path, edit) -> Path:
    wb = openpyxl.load_workbook(DEMO)
    edit(wb)
    path = tmp_path / "ho-so.xlsx"
    wb.save(path)
    return path


def _validate(path: Path):
    from docgen.build import validate

    return validate(path)[1]


def test_two_sheets_folding_to_one_name_are_an_error_naming_both(tmp_path):
    """Issue 13.9: a forged copy "CA NHAN" beside "Cá nhân"."""
    def edit(wb):
        copy = wb.copy_worksheet(wb["Cá nhân"])
        copy.title = "CA NHAN"
        copy["B5"] = "Nội dung giả mạo"

    res = CliRunner().invoke(cli, ["validate", str(_demo_copy(tmp_path, edit))])
    assert res.exit_code == 1, res.output
    assert '"Cá nhân" và "CA NHAN"' in res.output


def test_rows_after_a_long_blank_run_are_read(tmp_path):
    """Issue 13.10: a candidate at row 6020, after 6,000 blank (formatted) rows, is read."""
    def edit(wb):
        ws = wb["Cá nhân"]
        last = ws.max_row
        for r in range(last + 1, 6020):
            ws.row_dimensions[r].height = 16          # empty formatted rows, as a clerk's sheet has
        for c, cell in enumerate(ws[last], start=1):
            ws.cell(row=6020, column=c, value=cell.value)
        ws.cell(row=6020, column=2, value="Người Ở Dòng Sáu Nghìn")

    campaign = docgen.load_campaign(_demo_copy(tmp_path, edit))
    assert any(p.row == 6020 and p.full_name == "Người Ở Dòng Sáu Nghìn" for p in campaign.individuals)


def test_hidden_sheet_used_is_named_in_a_warning(tmp_path):
    report = _validate(_demo_copy(tmp_path, lambda wb: setattr(wb["Biểu quyết"], "sheet_state", "hidden")))
    assert any(p.rule == "sheet-an" and p.sheet == "Biểu quyết" and "bị ẩn" in p.message for p in report.warnings)


def test_fifty_rows_with_the_same_name_give_one_error(tmp_path):
    """Issue 13.14: one finding per group, not 1,225 pairs."""
    def edit(wb):
        ws = wb["Cá nhân"]
        first = [c.value for c in ws[5]]
        for r in range(ws.max_row + 1, ws.max_row + 50):
            for c, v in enumerate(first, start=1):
                ws.cell(row=r, column=c, value=v)

    report = _validate(_demo_copy(tmp_path, edit))
    same = [p for p in report.errors if p.rule == "trung-ca-nhan"]
    assert len(same) == 1 and "50 lần" in same[0].message, [p.message for p in same]


def test_a_negative_date_serial_and_a_future_birth_date_are_errors(tmp_path):
    """Issue 13.14: serial −5 is no birth date (25/12/1899); a birth date after today neither."""
    def edit(wb):
        ws = wb["Cá nhân"]
        col = next(c.column for c in ws[1] if c.value == "Ngày sinh")
        ws.cell(row=5, column=col, value=-5).number_format = "dd/mm/yyyy"
        ws.cell(row=6, column=col, value=date(2099, 1, 1))

    report = _validate(_demo_copy(tmp_path, edit))
    dates = {p.row: p.message for p in report.errors if p.rule == "ngay-khong-hop-le" and p.column == "Ngày sinh"}
    assert "trước năm 1900" in dates[5] and "sau hôm nay" in dates[6]


def test_library_warnings_become_located_vietnamese_warnings(tmp_path):
    """Issue 13.13: a date cell holding 1e300: no English UserWarning on stderr."""
    def edit(wb):
        ws = wb["Cá nhân"]
        col = next(c.column for c in ws[1] if c.value == "Ngày sinh")
        ws.cell(row=5, column=col, value=1e300).number_format = "dd/mm/yyyy"

    res = _run("validate", str(_demo_copy(tmp_path, edit)))
    assert "UserWarning" not in res.stderr and "Warning" not in res.stdout + res.stderr
    assert "dòng 5" in res.stdout and "không phải ngày có thật" in res.stdout, res.stdout


def test_staged_files_reach_the_disk_in_one_flush_or_one_fsync_each(tmp_path):
    """The commit flushes the staged set with one syncfs of its file system (Linux); without it (or when it
    fails) every file gets its own fsync, and a file that cannot be flushed is an error, not a silent skip."""
    from docgen.write import _syncfs, sync_files

    f = tmp_path / "a.docx"
    f.write_bytes(b"x" * 1000)
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        assert _syncfs(fd) is True
        sync_files(fd, [tmp_path / "missing.docx"])     # one flush of the file system: no file is opened
    finally:
        os.close(fd)
    assert _syncfs(-1) is False                          # a bad descriptor: the per-file path is taken
    sync_files(None, [f])
    with pytest.raises(FileNotFoundError):
        sync_files(None, [tmp_path / "missing.docx"])
