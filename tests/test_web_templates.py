"""The Mẫu page's template report (docgen/web/template_check.py), without the browser."""
from __future__ import annotations

import zipfile

from web_helpers import template_with

from docgen.web.template_check import check_template


def test_unknown_variable_is_reported_and_blocks_the_template(tmp_path):
    path = template_with(tmp_path / "t.docx", "Đơn vị chủ trì: {{ co_quan_tenn }}")
    report = check_template(path, "ke-hoach.docx", "cua-toi.docx")
    assert not report.usable
    messages = [f.message for f in report.findings]
    assert any('"co_quan_tenn"' in m and "không có trong dữ liệu" in m and 'có phải "co_quan_ten"' in m
               and "Đơn vị chủ trì" in m for m in messages)


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


def test_the_report_is_the_lint_of_docgen_templates_lint(tmp_path):
    """The Mẫu page reports exactly what `docgen templates lint` finds: an unclosed {% if %} blocks the template,
    named as the clerk called the file."""
    from docgen.lint import lint_paths

    path = template_with(tmp_path / "ke-hoach.docx", "Ghi chú: {% if co_quan_ten %}{{ co_quan_ten }}")
    expected = [f.message for f in lint_paths([path]) if f.severity == "loi"]
    assert expected
    report = check_template(path, "ke-hoach.docx", "cua-toi.docx")
    assert not report.usable
    errors = [f.message for f in report.findings if f.severity == "loi"]
    assert [m.split(" — đoạn văn: ")[0] for m in errors] == [m.replace('"ke-hoach.docx"', '"cua-toi.docx"')
                                                            for m in expected]
