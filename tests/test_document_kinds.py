"""The document-kind registry (docgen/documents.py): every stage reads it, so a new kind is one entry, its
template and its context function — nothing else to touch.  A throw-away kind ("Thông báo", TB) is
registered for one test and must flow through check, assemble, render and write."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from docgen import assemble
from docgen.build import build, demo_workbook, validate
from docgen.completeness import available_documents
from docgen.context_schema import KE_HOACH, V, describe
from docgen.documents import KINDS, REGISTRY, DocumentKind
from docgen.nd30 import check_document
from docgen.reader import load_campaign

TODAY = date(2026, 11, 22)
ROOT = Path(__file__).resolve().parent.parent


def _thong_bao_context(campaign, evaluation, today):
    """The Kế hoạch's context under the kind's own number and ký hiệu, plus one variable of its own."""
    ctx = assemble.ke_hoach_context(campaign, evaluation, today)
    tb = assemble.base_context(campaign, "TB", today)
    ctx.update({k: tb[k] for k in ("ma_loai", "so", "so_ky_hieu", "so_ky_hieu_day_du")})
    ctx["so_de_nghi"] = len(evaluation.proposed)
    return ctx


def _thong_bao_template(path: Path) -> None:
    """A real document, so that the lint's ND30 check of the rendered template passes: the built-in Kế hoạch
    retitled THÔNG BÁO, with one paragraph using the kind's own variable."""
    doc = Document(str(ROOT / "templates" / "ke-hoach.docx"))
    for p in doc.paragraphs:
        if p.text.strip() == "KẾ HOẠCH":
            for r in p.runs:
                r.text = r.text.replace("KẾ HOẠCH", "THÔNG BÁO")
            break
    else:
        raise AssertionError("no title paragraph")
    first_body = next(p for p in doc.paragraphs if p.text.startswith("Để triển khai"))
    first_body.insert_paragraph_before("Có {{ so_de_nghi }} đối tượng được đề nghị; {{ tieu_de }}.", first_body.style)
    doc.save(str(path))


@pytest.fixture
def thong_bao(tmp_path):
    """A kind that exists nowhere else: its template is made here, its context function is above."""
    kind = DocumentKind(
        "thong-bao", "TB", "Thông báo kết quả", "Thông báo kết quả xét khen thưởng", ("thong-bao.docx",),
        "thong-bao.docx", _thong_bao_context, aliases=("tb",), code_names=("tb", "thongbao"),
        needs_candidates=True, lists_candidates=True, lists_proposals=True, print_order=4,
        context_sections=("chung",),
        variables=(*KE_HOACH, V("so_de_nghi", "int", "Số đối tượng được đề nghị", "9")))
    templates = tmp_path / "mau"
    templates.mkdir()
    _thong_bao_template(templates / "thong-bao.docx")
    REGISTRY.register(kind)
    try:
        yield kind, templates
    finally:
        REGISTRY.unregister("thong-bao")
    assert "thong-bao" not in REGISTRY.keys


def test_a_new_kind_flows_through_every_stage(thong_bao, tmp_path):
    kind, templates = thong_bao
    # --only knows it by key, alias and accents
    assert REGISTRY.parse_only("Thong-bao,TB") == {"thong-bao"}
    # check: a kind whose data is present is available; the rules see it as a document listing candidates
    campaign = load_campaign(demo_workbook())
    docs, _ = available_documents(campaign)
    assert "thong-bao" in docs
    _, report, evaluation, checked = validate(demo_workbook(), documents={"thong-bao"}, today=TODAY)
    assert report.ok and checked == {"thong-bao"}
    assert evaluation.proposed
    # its variables are described, so the lint of its template and `docgen templates vars` know them
    assert {"so_de_nghi", "co_quan", "so_ky_hieu", "tieu_de"} <= set(describe("thong-bao"))
    # assemble: one job, with its own ký hiệu code and the title of the kind
    jobs = assemble.plan_documents(campaign, evaluation, only={"thong-bao"}, today=TODAY)
    assert [(j.key, j.template, j.output) for j in jobs] == [("thong-bao", "thong-bao.docx", "thong-bao.docx")]
    assert "/TB-VKSCB" in jobs[0].context["so_ky_hieu"]
    # render + write
    out = tmp_path / "out"
    result = build(demo_workbook(), out, only={"thong-bao"}, templates_dir=templates, today=TODAY)
    written = Document(str(out / "thong-bao.docx"))
    text = [p.text for p in written.paragraphs]
    cells = [c.text for t in written.tables for row in t.rows for c in row.cells]
    assert "THÔNG BÁO" in text
    assert any(c.endswith("/TB-VKSCB") for c in cells)
    assert (f"Có {len(evaluation.proposed)} đối tượng được đề nghị; Thông báo kết quả xét khen thưởng."
            in text)
    assert check_document(out / "thong-bao.docx").ok
    assert out / "thong-bao.docx" in result.files
    # the danh sách goes with every kind that lists who is proposed
    assert (out / "danh-sach.xlsx").is_file()


def test_a_kind_needing_its_signer_is_skipped_with_its_name(thong_bao):
    kind, _ = thong_bao
    REGISTRY.unregister(kind.key)
    REGISTRY.register(DocumentKind(**{**kind.__dict__, "needs_signer": True}))
    docs, skipped = available_documents(load_campaign(demo_workbook()))
    assert "thong-bao" not in docs
    assert any(p.message == 'Chưa tạo Thông báo kết quả: sheet "Người ký" chưa có dòng cho văn bản TB.'
               for p in skipped)


def test_registering_a_taken_key_or_code_is_refused(thong_bao):
    with pytest.raises(ValueError):
        REGISTRY.register(DocumentKind("ke-hoach-2", "KH", "x", "x", ("x.docx",), "x.docx", _thong_bao_context))


def test_registry_order_and_facts():
    assert REGISTRY.keys == ("ke-hoach", "to-trinh", "bien-ban", "bao-cao", "quyet-dinh")
    assert REGISTRY.codes == ("KH", "TTr", "BB", "BC", "QĐ")
    assert [k.key for k in REGISTRY.in_build_order()] == ["ke-hoach", "to-trinh", "bien-ban", "quyet-dinh",
                                                          "bao-cao"]
    assert [k.key for k in REGISTRY.in_print_order()] == ["to-trinh", "bien-ban", "bao-cao"]
    for kind in KINDS:
        assert callable(kind.context_function())
        for template in kind.templates:
            assert (ROOT / "templates" / template).is_file()
    with pytest.raises(ValueError, match="Không có loại văn bản 'bien-bản-hợp-x'"):
        REGISTRY.parse_only("ke-hoach,bien-bản-hợp-x")


def test_no_other_module_keeps_a_table_of_document_kinds():
    """The keys and codes of the kinds are spelled out in documents.py only: no dict or tuple literal of
    two or more of them anywhere else in docgen/."""
    keys, codes = set(REGISTRY.keys), set(REGISTRY.codes)
    offenders = []
    for path in (ROOT / "docgen").rglob("*.py"):
        if path.name == "documents.py" or "nd30" in path.parts:   # nd30 knows every ND30 type, not our kinds
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.Dict, ast.Tuple, ast.Set, ast.List)):
                elts = node.keys if isinstance(node, ast.Dict) else node.elts
                names = {e.value for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
                if len(names & keys) >= 2 or len(names & codes) >= 2:
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
