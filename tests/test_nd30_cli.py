"""docgen check: the command (exit codes, --json, --loai), unreadable files, LibreOffice output, speed."""
from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from docgen.nd30 import JSON_VERSION, RULES, check_document, check_files
from docgen.nd30.command import check_command
from test_nd30 import MUTANTS, build, describe, para, set_text

ROOT = Path(__file__).resolve().parents[1]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def run(*args):
    return CliRunner().invoke(check_command, [str(a) for a in args])


@pytest.fixture()
def good(tmp_path):
    return write(tmp_path, "to-trinh.docx", build("TTr").bytes())


@pytest.fixture()
def bad(tmp_path):
    built = build("TTr")
    set_text(built.p["date"], "Cao Bằng, ngày 5 tháng 03 năm 2026")
    return write(tmp_path, "sai.docx", built.bytes())


# ---------------------------------------------------------------------------------------------------
# the command

def test_exit_0_when_every_file_complies(good):
    res = run(good)
    assert res.exit_code == 0, res.output
    assert "ĐẠT" in res.output and "Tờ trình" in res.output


def test_exit_1_and_the_findings_when_a_rule_is_broken(good, bad):
    res = run(good, bad)
    assert res.exit_code == 1, res.output
    assert "KHÔNG ĐẠT" in res.output and "ND30-DATE-PAD" in res.output
    assert "Tổng cộng: 1/2 tệp đạt" in res.output


def test_exit_2_when_a_file_cannot_be_read(good, bad, tmp_path):
    not_docx = write(tmp_path, "ghi-chu.docx", "không phải zip".encode())
    res = run(good, bad, not_docx, tmp_path / "khong-co.docx")
    assert res.exit_code == 2, res.output
    assert "KHÔNG ĐỌC ĐƯỢC" in res.output and "Không tìm thấy tệp" in res.output


def test_json_is_stable_sorted_and_versioned(good, bad, tmp_path):
    broken = write(tmp_path, "hong.docx", b"PK\x03\x04 broken")
    res = run("--json", good, bad, broken)
    assert res.exit_code == 2
    payload = json.loads(res.output)
    assert payload["version"] == JSON_VERSION == 1
    assert payload["exit_code"] == 2 and payload["ok"] is False
    assert [f["path"] for f in payload["files"]] == [str(good), str(bad), str(broken)]
    first, second, third = payload["files"]
    assert first == {"path": str(good), "doc_type": "TTr", "doc_type_name": "Tờ trình", "ok": True, "error": None,
                     "summary": {"canh_bao": 0, "loi": 0}, "findings": []}
    assert second["ok"] is False and second["summary"]["loi"] == 2
    assert {f["code"] for f in second["findings"]} == {"ND30-DATE-PAD"}
    for finding in second["findings"]:
        assert sorted(finding) == ["code", "excerpt", "message", "severity", "where"]
        assert finding["severity"] == "loi" and finding["where"] == "bảng 1, ô (1,2)"
    assert third["error"] and third["findings"][0]["code"] == "ND30-FILE-UNREADABLE"
    # sorted keys at every level, same bytes on a second run
    assert res.output.strip() == json.dumps(payload, ensure_ascii=False, sort_keys=True, indent=2)
    assert run("--json", good, bad, broken).output == res.output


def test_loai_option(tmp_path):
    kh = write(tmp_path, "ke-hoach.docx", build("KH").bytes())
    assert run("--loai", "KH", kh).exit_code == 0
    res = run("--loai", "TTr", "--json", kh)
    assert res.exit_code == 1
    codes = {f["code"] for f in json.loads(res.output)["files"][0]["findings"]}
    assert {"ND30-TYPE-MISMATCH", "ND30-SO-TYPE"} <= codes
    res = run("--loai", "XYZ", kh)
    assert res.exit_code == 2 and "không phải loại văn bản" in res.output


def test_help_is_in_vietnamese():
    res = run("--help")
    assert res.exit_code == 0
    assert "Nghị định 30/2020/NĐ-CP" in res.output and "--loai" in res.output and "Mã thoát" in res.output


def test_no_file_is_a_usage_error():
    assert run().exit_code == 2


# ---------------------------------------------------------------------------------------------------
# unreadable files

def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("data, words", [
    (b"", "rỗng"),
    ("Xin chào".encode(), "không phải tệp Word"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "Word cũ (.doc)"),
    (b"PK\x03\x04garbage", "bị hỏng"),
    (_zip({"xl/workbook.xml": b"<workbook/>"}), "bảng tính Excel"),
    (_zip({"word/document.xml": b"<w:document"}), "không phải XML hợp lệ"),
    (_zip({"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'}), "DOCTYPE"),
], ids=["empty", "text", "ole-doc", "bad-zip", "xlsx", "bad-xml", "doctype"])
def test_unreadable_documents_give_an_error_result(data, words):
    result = check_document(data)
    assert result.error and words in result.error
    assert not result.ok and not result.readable
    assert [f.code for f in result.findings] == ["ND30-FILE-UNREADABLE"]


def test_check_files_keeps_going_after_an_unreadable_file(tmp_path, good):
    results = check_files([tmp_path / "missing.docx", tmp_path, good])
    assert [r.readable for r in results] == [False, False, True]
    assert "Không tìm thấy" in results[0].error and "thư mục" in results[1].error
    assert results[2].ok


def test_a_docx_without_styles_or_theme_is_still_checked():
    body = ('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
            '<w:p><w:r><w:t>Xin chào</w:t></w:r></w:p></w:body></w:document>')
    result = check_document(_zip({"word/document.xml": body.encode()}))
    codes = {f.code for f in result.findings}
    assert result.readable and "ND30-FONT-UNSET" in codes and "ND30-PAGE-SIZE" in codes
    assert "ND30-QUOCHIEU-MISSING" in codes and "ND30-TYPE-UNKNOWN" in codes


# ---------------------------------------------------------------------------------------------------
# dates: the leading-zero rule for every day and month

@settings(max_examples=40, deadline=None)
@given(day=st.integers(1, 28), month=st.integers(1, 12), pad_day=st.booleans(), pad_month=st.booleans())
def test_date_padding_rule(day, month, pad_day, pad_month):
    built = build("TTr", appendix=False)
    d = f"{day:02d}" if pad_day else str(day)
    m = f"{month:02d}" if pad_month else str(month)
    set_text(built.p["date"], f"Cao Bằng, ngày {d} tháng {m} năm 2026")
    result = check_document(built.bytes())
    day_ok = len(d) == 2
    month_ok = (len(m) == 2) if month <= 2 else (m == str(month))
    assert ("ND30-DATE-PAD" in [f.code for f in result.findings]) == (not (day_ok and month_ok)), describe(result)
    assert {f.code for f in result.findings} <= {"ND30-DATE-PAD"}


# ---------------------------------------------------------------------------------------------------
# speed: other code checks every generated document in its tests

def test_five_page_document_is_checked_quickly():
    built = build("TTr")
    anchor = built.p["last_body"]
    for k in range(70):
        p = para(built.doc, f"{k + 1}. Đồng chí thứ {k + 1} hoàn thành xuất sắc nhiệm vụ được giao, có sáng kiến "
                 "được Hội đồng sáng kiến cơ sở công nhận, tích cực tham gia các phong trào thi đua do cơ quan "
                 "phát động trong năm.", body=True)
        anchor._p.addprevious(p._p)
    data = built.bytes()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result = check_document(data)
        timings.append(time.perf_counter() - start)
    assert result.findings == [], describe(result)
    assert min(timings) < 0.5, timings


# ---------------------------------------------------------------------------------------------------
# LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.pdf
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_documents_saved_by_libreoffice_still_pass_and_defects_survive(tmp_path):
    src = tmp_path / "src"
    out = tmp_path / "out"
    src.mkdir()
    out.mkdir()
    kinds = ["TTr", "BB", "QĐ", "CV"]
    for kind in kinds:
        (src / f"hop-le-{kind}.docx").write_bytes(build(kind).bytes())
    picked = {m.id: m for m in MUTANTS}
    survivors = ["month-03-padded", "arial-run", "tieu-ngu-en-dash", "page-number-in-footer", "body-12pt",
                 "body-left-aligned", "so-spaces-in-code", "signer-degree", "typed-underscore-rule",
                 "page-number-on-first-page", "font-from-theme", "noi-nhan-item-comma"]
    for name in survivors:
        built = build(picked[name].kind)
        picked[name].mutate(built)
        (src / f"loi-{name}.docx").write_bytes(built.bytes())
    files = sorted(str(p) for p in src.iterdir())
    proc = subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile",
                           "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out), *files],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    for kind in kinds:
        converted = out / f"hop-le-{kind}.docx"
        assert converted.exists(), proc.stdout + proc.stderr
        assert converted.read_bytes() != (src / converted.name).read_bytes()
        result = check_document(converted)
        assert result.findings == [], f"{kind}:\n" + describe(result)
    for name in survivors:
        result = check_document(out / f"loi-{name}.docx")
        assert picked[name].code in [f.code for f in result.findings], f"{name}:\n" + describe(result)


# ---------------------------------------------------------------------------------------------------
# documentation

def test_every_rule_code_is_documented_and_every_used_code_is_catalogued():
    doc = (ROOT / "docs" / "nd30-check.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(ND30-[A-Z-]+)`", doc))
    assert documented == set(RULES)
    # every catalogued code is reported somewhere (rules/, layout, __init__), and nothing else is
    source = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "docgen" / "nd30").rglob("*.py")
                     if p.name != "report.py")
    used = set(re.findall(r'"(ND30-[A-Z]+(?:-[A-Z]+)*)"', source))
    assert used == set(RULES)


def test_documented_json_example_is_what_the_command_prints(tmp_path, monkeypatch):
    built = build("TTr")
    set_text(built.p["date"], "Cao Bằng, ngày 5 tháng 01 năm 2026")
    write(tmp_path, "to-trinh.docx", built.bytes())
    doc = (ROOT / "docs" / "nd30-check.md").read_text(encoding="utf-8")
    example = doc.split("```json\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(tmp_path)
    res = run("--json", "to-trinh.docx")
    assert res.exit_code == 1
    assert res.output == example
