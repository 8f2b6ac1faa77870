"""The Mẫu page's template report (docgen/web/template_check.py), without the browser."""
from __future__ import annotations

import sys
import types
import zipfile

from web_helpers import template_with

from docgen.web.template_check import check_template


def test_unknown_variable_is_reported_and_blocks_the_template(tmp_path):
    path = template_with(tmp_path / "t.docx", "Đơn vị chủ trì: {{ co_quan_tenn }}")
    report = check_template(path, "ke-hoach.docx", "cua-toi.docx")
    assert not report.usable
    messages = [f.message for f in report.findings]
    assert any('"co_quan_tenn"' in m and "không có trong các mẫu có sẵn" in m for m in messages)
    assert any(m.startswith('Mẫu "cua-toi.docx"') and "Đơn vị chủ trì" in m for m in messages)


def test_good_template_is_usable_and_its_document_format_checked(tmp_path):
    path = template_with(tmp_path / "t.docx", "Ghi chú: {{ co_quan_ten }}")
    report = check_template(path, "ke-hoach.docx", "t.docx")
    assert report.usable and report.errors == 0
    assert report.tried_with.startswith("bảng tính mẫu")


def test_unsafe_docx_is_refused_before_anything_parses_it(tmp_path):
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>')
    report = check_template(path, "ke-hoach.docx", "bom.docx")
    assert not report.usable and report.findings[0].where == "tệp"


def test_the_lint_module_is_used_when_present(tmp_path, monkeypatch):
    seen = []
    finding = types.SimpleNamespace(message="Thẻ {% if %} chưa đóng", where="đoạn 3", severity="loi")
    fake = types.ModuleType("docgen.lint")
    fake.lint_paths = lambda paths: seen.extend(paths) or [finding]
    monkeypatch.setitem(sys.modules, "docgen.lint", fake)
    import docgen

    monkeypatch.setattr(docgen, "lint", fake, raising=False)
    path = template_with(tmp_path / "t.docx", "Ghi chú: {{ co_quan_ten }}")
    report = check_template(path, "ke-hoach.docx", "t.docx")
    assert seen == [path]
    assert report.findings[0].message == "Thẻ {% if %} chưa đóng" and not report.usable
