"""The docgen command: init, validate, build, demo, templates, --version, --help."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

import docgen
from docgen import schema
from docgen.build import demo_workbook
from docgen.cli import cli


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_version_and_help():
    res = run("--version")
    assert res.exit_code == 0 and docgen.__version__ in res.output
    res = run("--help")
    assert res.exit_code == 0
    for cmd in ("init", "validate", "build", "demo", "check", "templates"):
        assert cmd in res.output
    assert "thi đua" in res.output


def test_python_m_docgen():
    res = subprocess.run([sys.executable, "-m", "docgen", "--version"], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parent.parent)
    assert res.returncode == 0 and "docgen" in res.stdout


def test_init_writes_workbook_with_every_sheet_dropdowns_and_guide(tmp_path):
    target = tmp_path / "dot-2026"
    res = run("init", target)
    assert res.exit_code == 0, res.output
    path = target / "ho-so.xlsx"
    wb = openpyxl.load_workbook(path)
    names = wb.sheetnames
    for sheet in ["Hướng dẫn", schema.INFO.name, *(s.name for s in schema.TABLE_SHEETS), "Quy tắc"]:
        assert sheet in names
    for spec in schema.TABLE_SHEETS:
        ws = wb[spec.name]
        assert [c.value for c in ws[1]][: len(spec.columns)] == [c.header for c in spec.columns]
        assert ws.freeze_panes == "A2"
        assert ws["A1"].font.b
    # dropdowns: every fixed vocabulary
    validated = {}
    for ws in wb.worksheets:
        for dv in ws.data_validations.dataValidation:
            validated.setdefault(ws.title, []).append((str(dv.sqref), dv.formula1))
    lists = wb["Danh mục"]
    assert lists.sheet_state == "hidden"
    headers = [c.value for c in lists[1]]
    for vocab in ("Loại khen thưởng", "Hình thức đề nghị", "Giới tính", "Vai trò", "Có mặt", "Quyền hạn", "Văn bản"):
        assert vocab in headers
    assert any(ref.startswith("B") for ref, _ in validated["Thông tin"])          # Loại khen thưởng
    assert len(validated["Cá nhân"]) == 2                                           # Giới tính, Hình thức
    assert len(validated["Hội đồng"]) == 2                                          # Vai trò, Có mặt
    assert len(validated["Người ký"]) == 2                                          # Văn bản, Quyền hạn
    col = headers.index("Giới tính") + 1
    assert [lists.cell(row=r, column=col).value for r in (2, 3)] == ["Nam", "Nữ"]
    # the guide explains every column with an example
    guide = wb["Hướng dẫn"]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    for spec in schema.TABLE_SHEETS:
        for col in spec.columns:
            assert col.header in text
    assert "Nguyễn Thị Lan" in text
    # the empty workbook reads back: only the missing required Thông tin values are errors
    res = run("validate", path)
    assert res.exit_code == 1
    assert 'Mục "Cơ quan ban hành" bắt buộc phải có giá trị.' in res.output


def test_init_refuses_non_empty_dir(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    res = run("init", tmp_path)
    assert res.exit_code == 1
    assert "đã có dữ liệu" in res.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.txt"]


def test_init_workbook_opens_in_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if not soffice:
        pytest.skip("LibreOffice not installed")
    program = Path(os.path.realpath(soffice)).parent
    if not list(program.glob("libsclo*")):
        pytest.skip("LibreOffice Calc not installed (libreoffice-writer-nogui has no spreadsheet import)")
    path = docgen.init_workbook(tmp_path / "a")
    res = subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                          "csv", "--outdir", str(tmp_path), str(path)], capture_output=True, timeout=120)
    assert (tmp_path / "ho-so.csv").exists(), res.stderr


def test_validate_demo_workbook_exit_0():
    res = run("validate", demo_workbook())
    assert res.exit_code == 0, res.output
    assert "0 lỗi" in res.output


def test_validate_json(tmp_path):
    res = run("validate", demo_workbook(), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["ok"] is True and data["so_loi"] == 0
    assert {"van_de", "doi_tuong", "van_ban", "so_canh_bao"} <= set(data)
    assert any(d["de_nghi"] is False for d in data["doi_tuong"])


def test_validate_unknown_only(tmp_path):
    res = run("validate", demo_workbook(), "--only", "ke-hoach,cong-van")
    assert res.exit_code == 2
    assert "cong-van" in res.output


def test_build_only_and_refuses_overwrite(tmp_path):
    out = tmp_path / "out"
    res = run("build", demo_workbook(), "-o", out, "--only", "ke-hoach,to-trinh")
    assert res.exit_code == 0, res.output
    assert (out / "ke-hoach.docx").exists() and (out / "to-trinh.docx").exists()
    assert not (out / "bien-ban-hop.docx").exists()
    assert not (out / "bao-cao-thanh-tich").exists()
    before = (out / "ke-hoach.docx").read_bytes()
    res = run("build", demo_workbook(), "-o", out, "--only", "ke-hoach")
    assert res.exit_code == 1
    assert "ke-hoach.docx" in res.output and "--force" in res.output
    assert (out / "ke-hoach.docx").read_bytes() == before
    res = run("build", demo_workbook(), "-o", out, "--only", "ke-hoach", "--force")
    assert res.exit_code == 0, res.output


def test_build_with_errors_writes_nothing(tmp_path):
    from wb_helpers import MINIMAL_INFO, make_workbook

    info = [row for row in MINIMAL_INFO if row[0] != "Ký hiệu cơ quan"]
    path = make_workbook(tmp_path / "loi.xlsx", {
        "Thông tin": info,
        "Cá nhân": [("Họ và tên", "Ngày sinh", "Hình thức đề nghị"), ("A", "31/02/1980", "Lao động tiên tiến")],
        "Người ký": [("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên"),
                     ("KH", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An")]})
    out = tmp_path / "out"
    res = run("build", path, "-o", out)
    assert res.exit_code == 1
    assert 'Cá nhân, dòng 2, cột "Ngày sinh": "31/02/1980" không phải là ngày hợp lệ.' in res.output
    assert "Ký hiệu cơ quan" in res.output
    assert "chưa tạo văn bản nào" in res.output
    assert not out.exists()


def test_templates_beside_workbook_and_templates_option_replace_builtin(tmp_path):
    from docx import Document

    work = tmp_path / "w"
    work.mkdir()
    wb = work / "ho-so.xlsx"
    shutil.copyfile(demo_workbook(), wb)
    # a user template beside the workbook replaces ke-hoach.docx
    res = run("templates", work / "templates")
    assert res.exit_code == 0, res.output
    assert "docgen templates copy" in res.output            # the old form still works, with a hint

    def add_before_closing(doc, text):       # in the body: a paragraph after the signature breaks ND30
        closing = next(p for p in doc.paragraphs if p.text.startswith("1. Thủ trưởng các đơn vị"))
        closing.insert_paragraph_before(text)

    doc = Document(str(work / "templates" / "ke-hoach.docx"))
    add_before_closing(doc, "Mẫu riêng của đơn vị {{ ky_hieu_co_quan }}")
    doc.save(str(work / "templates" / "ke-hoach.docx"))
    res = run("build", wb, "-o", tmp_path / "o1", "--only", "ke-hoach")
    assert res.exit_code == 0, res.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "o1" / "ke-hoach.docx")).paragraphs)
    assert "Mẫu riêng của đơn vị VKSCB" in text
    # --templates DIR wins over the folder beside the workbook
    other = tmp_path / "mau-khac"
    other.mkdir()
    doc = Document(str(work / "templates" / "ke-hoach.docx"))
    add_before_closing(doc, "Mẫu thứ hai")
    doc.save(str(other / "ke-hoach.docx"))
    res = run("build", wb, "-o", tmp_path / "o2", "--only", "ke-hoach", "--templates", other)
    assert res.exit_code == 0, res.output
    text = "\n".join(p.text for p in Document(str(tmp_path / "o2" / "ke-hoach.docx")).paragraphs)
    assert "Mẫu thứ hai" in text


def test_demo(tmp_path):
    res = run("demo", "-o", tmp_path / "demo")
    assert res.exit_code == 0, res.output
    out = tmp_path / "demo"
    for name in ("ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx", "danh-sach.xlsx",
                 "kiem-tra.txt"):
        assert (out / name).exists(), name
    reports = sorted((out / "bao-cao-thanh-tich").glob("*.docx"))
    assert len(reports) == 11
    assert str(out) in res.output
    for f in out.rglob("*.docx"):
        with zipfile.ZipFile(f) as z:
            assert z.testzip() is None
    assert not list(out.rglob(".docgen-*"))


def test_wheel_ships_templates_and_fixtures(tmp_path):
    """A plain (non-editable) install finds its templates: build the wheel, install it in a fresh venv
    and build the demo from another directory.  The fresh venv sees the dependencies of the environment
    running this test (its own site-packages, named in a .pth file: whatever interpreter or venv that is),
    never the base interpreter's, and its own copy of docgen comes first."""
    root = Path(__file__).resolve().parent.parent
    wheel_dir = tmp_path / "wheel"
    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                          str(wheel_dir), str(root)], capture_output=True, text=True, timeout=300)
    if res.returncode != 0 and "hatchling" in (res.stderr + res.stdout):
        res = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir),
                              str(root)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    wheel = next(wheel_dir.glob("docgen-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    for t in ("ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx", "bao-cao-ca-nhan.docx",
              "bao-cao-tap-the.docx", "quyet-dinh.docx"):
        assert f"docgen/_templates/{t}" in names
    assert "docgen/_fixtures/vksnd-cao-bang.xlsx" in names
    assert any(n.startswith("docgen/rules/data/") and n.endswith(".toml") for n in names)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    inner = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                           capture_output=True, text=True, check=True).stdout.strip()
    outer = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(inner) / "zz-test-dependencies.pth").write_text("\n".join(sorted(outer)) + "\n")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index", "--target", inner,
                    str(wheel)], check=True, timeout=300)
    run_dir = tmp_path / "elsewhere"
    run_dir.mkdir()
    res = subprocess.run([str(py), "-c", "import docgen; from docgen.build import builtin_templates_dir as t; print(t()); "
                                         "r = docgen.demo('out'); print(len(r.docx_files))"],
                         cwd=run_dir, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.strip().splitlines()
    assert "_templates" in lines[0] and str(venv) in lines[0]
    assert int(lines[-1]) == 14     # KH, TTr, BB + 11 Báo cáo thành tích
