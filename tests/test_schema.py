"""docgen.schema, the workbook contract: complete (every input a stage reads is declared, once), consistent with
the model and the document registry, and honoured by the reader (keys, aliases, typos, metric columns)."""
from __future__ import annotations

import ast
import dataclasses
import re
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from docgen import assemble, model, schema
from docgen.build import demo_workbook
from docgen.documents import REGISTRY
from docgen.reader import load_campaign
from docgen.text import fold, slug
from docgen.validation import check
from wb_helpers import MINIMAL_INFO, make_workbook

DOCGEN = Path(__file__).resolve().parent.parent / "docgen"
KINDS = {"text", "longtext", "int", "year", "date", "number", "presence", "doc_type", "authority"}
BOOKKEEPING = {"row", "extra", "extra_labels"}                   # record fields that are not sheet columns
INFO_BOOKKEEPING = {"numbers", "dates", "rows", "extra"}         # filled from "number:…" / "date:…" keys


def _fields(record: type) -> set[str]:
    return {f.name for f in dataclasses.fields(record)}


# ------------------------------------------------------------------------------------------------ the contract

def test_every_info_field_is_a_declared_key_and_back():
    plain = {k.field for k in schema.INFO.keys if ":" not in k.field}
    assert plain == _fields(model.Info) - INFO_BOOKKEEPING
    for key in schema.INFO.keys:
        if ":" in key.field:
            what, code = key.field.split(":", 1)
            assert what in ("number", "date") and code in REGISTRY.codes, key


@pytest.mark.parametrize("spec", schema.TABLE_SHEETS, ids=lambda s: s.name)
def test_every_record_field_is_a_declared_column_and_back(spec):
    assert [c.field for c in spec.columns if c.field not in _fields(spec.record)] == []
    assert _fields(spec.record) - BOOKKEEPING == {c.field for c in spec.columns}


@pytest.mark.parametrize("spec", [schema.INFO, *schema.TABLE_SHEETS], ids=lambda s: s.name)
def test_names_are_unambiguous_and_described(spec):
    entries = spec.keys if spec is schema.INFO else spec.columns
    names = [fold(n) for e in entries for n in ((e.label if spec is schema.INFO else e.header), *e.aliases)]
    assert len(names) == len(set(names)), names
    if spec is schema.INFO:       # Thông tin labels also match by their slug ("Năm:" is "Năm")
        slugs = [slug(n, "_") for n in names]
        assert len(slugs) == len(set(slugs)), slugs
    for e in entries:
        assert e.kind in KINDS, e
        assert e.description.strip().endswith((".", ")")), e
        assert e.example or not e.required, f"{e}: a required entry shows an example"
        if isinstance(e.vocab, tuple):
            assert not e.example or e.example in e.vocab, e
    assert spec.description


def test_fixed_vocabularies_and_document_needs_come_from_the_registry():
    assert schema.DOC_TYPES == REGISTRY.codes
    for key in schema.INFO.keys:
        assert set(key.needed_for) <= set(REGISTRY.keys), key
    assert {c.vocab for s in schema.TABLE_SHEETS for c in s.columns if c.kind == "doc_type"} == {REGISTRY.codes}


def test_no_stage_reads_an_undeclared_key_from_extra():
    """``extra`` holds only what the contract leaves open (metric columns, the clerk's own keys): no module
    may read a fixed name out of it; such a name belongs in the schema."""
    literal_read = re.compile(r"""\.extra(?:\.get\(|\[)\s*["']""")
    offenders = [f"{p.relative_to(DOCGEN)}:{n}" for p in sorted(DOCGEN.rglob("*.py"))
                 for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
                 if literal_read.search(line)]
    assert offenders == []


@pytest.mark.parametrize("module", ["schema.py", "workbook.py", "model.py"])
def test_no_long_function_or_class(module):
    tree = ast.parse((DOCGEN / module).read_text(encoding="utf-8"))
    too_long = [(node.name, node.end_lineno - node.lineno + 1) for node in ast.walk(tree)
                if (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno >= 90)
                or (isinstance(node, ast.ClassDef) and node.end_lineno - node.lineno >= 400)]
    assert too_long == []


# ------------------------------------------------------------------------------------------------ the reader

WORDING = {
    "Tên cơ quan": "Viện kiểm sát nhân dân tỉnh Cao Bằng (mới)",
    "Đơn vị tham mưu": "Phòng Tổ chức cán bộ",
    "Hình thức khen thưởng": "Chiến sĩ thi đua cơ sở; Giấy khen của Viện trưởng",
    "Nội dung thi đua": "Thi đua hoàn thành chỉ tiêu.\nThi đua chuyển đổi số.",
    "Thời gian thi đua": "Từ tháng 01/2026 đến hết tháng 6/2026",
    "Thẩm quyền ban hành": "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG",
    "Đề nghị của": "Chánh Văn phòng",
    "Thi hành": "Chánh Văn phòng, Trưởng phòng Tổ chức cán bộ",
}


@pytest.fixture(scope="module")
def worded(tmp_path_factory):
    """The demo workbook with the optional wording keys filled in the rows `docgen init` wrote for them,
    and a Quyết định signer."""
    path = tmp_path_factory.mktemp("worded") / "ho-so.xlsx"
    wb = openpyxl.load_workbook(demo_workbook())
    ws = wb[schema.INFO.name]
    rows = {ws.cell(row=r, column=1).value: r for r in range(2, ws.max_row + 1)}
    for label, value in WORDING.items():
        ws.cell(row=rows[label], column=2, value=value)
    signers = wb["Người ký"]
    signers.append(["QĐ", "", "", "VIỆN TRƯỞNG", "Hoàng Văn Đức"])
    wb.save(path)
    return path


def test_wording_keys_are_typed_fields_not_extra(worded):
    campaign = load_campaign(worded)
    assert campaign.problems == []
    info = campaign.info
    assert (info.agency_name, info.advising_unit, info.award_forms, info.contest_content, info.contest_period,
            info.issuing_authority, info.proposed_by, info.executors) == tuple(WORDING.values())
    assert info.extra == {}
    for label in WORDING:
        key = next(k for k in schema.INFO.keys if k.label == label)
        assert info.rows[key.field] > 1


def test_wording_keys_reach_the_template_context(worded):
    campaign = load_campaign(worded)
    report, evaluation, docs = check(campaign, today=date(2026, 9, 28))
    assert not report.errors, [p.format() for p in report.errors]
    kh = assemble.ke_hoach_context(campaign, evaluation, date(2026, 9, 28))
    assert kh["co_quan_ten"] == "Viện kiểm sát nhân dân tỉnh Cao Bằng (mới)"
    assert kh["don_vi_tham_muu"] == "Phòng Tổ chức cán bộ"
    assert kh["hinh_thuc_khen_thuong"] == ["Chiến sĩ thi đua cơ sở", "Giấy khen của Viện trưởng"]
    assert kh["noi_dung_thi_dua"] == ["Thi đua hoàn thành chỉ tiêu.", "Thi đua chuyển đổi số."]
    assert kh["thoi_gian_thi_dua"] == "Từ tháng 01/2026 đến hết tháng 6/2026"
    assert kh["thong_tin_khac"] == {}
    qd = assemble.quyet_dinh_context(campaign, evaluation, date(2026, 9, 28))
    assert qd["tham_quyen"] == "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"
    assert qd["de_nghi_cua"] == "Chánh Văn phòng"
    assert qd["thi_hanh"] == "Chánh Văn phòng, Trưởng phòng Tổ chức cán bộ"


def test_wording_keys_have_their_defaults_when_blank():
    campaign = load_campaign(demo_workbook())
    report, evaluation, _ = check(campaign, today=date(2026, 9, 28))
    kh = assemble.ke_hoach_context(campaign, evaluation, date(2026, 9, 28))
    assert kh["co_quan_ten"] == "Viện kiểm sát nhân dân tỉnh Cao Bằng"
    assert kh["don_vi_tham_muu"] == "Văn phòng"
    assert kh["noi_dung_thi_dua"] == [] and kh["thoi_gian_thi_dua"] == ""
    # the awards proposed in the Tập thể / Cá nhân sheets, once each
    assert kh["hinh_thuc_khen_thuong"] == ["Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"]
    qd = assemble.quyet_dinh_context(campaign, evaluation, date(2026, 9, 28))
    assert qd["de_nghi_cua"] == "Hội đồng Thi đua - Khen thưởng Viện kiểm sát nhân dân tỉnh Cao Bằng"
    assert qd["thi_hanh"] == "Chánh Văn phòng, Thủ trưởng các đơn vị có liên quan"


def _info_problems(tmp_path, rows):
    campaign = load_campaign(make_workbook(tmp_path / "t.xlsx", {"Thông tin": MINIMAL_INFO + rows}))
    return campaign, campaign.problems


def test_a_typo_in_a_key_label_is_reported_where_it_is(tmp_path):
    campaign, problems = _info_problems(tmp_path, [("Thẩm quyền ban hàn", "VIỆN TRƯỞNG")])
    assert [p.format(with_severity=True) for p in problems] == [
        '[Cảnh báo] Thông tin, dòng 9, cột "Mục": Mục "Thẩm quyền ban hàn" không phải mục docgen dùng; có phải là '
        '"Thẩm quyền ban hành"? Sửa tên mục cho đúng, nếu không giá trị này chỉ dùng được trong mẫu riêng '
        '(thong_tin_khac.tham_quyen_ban_han).']
    assert problems[0].rule == "muc-khong-ro"
    assert campaign.info.issuing_authority == ""
    assert campaign.info.extra == {"tham_quyen_ban_han": "VIỆN TRƯỞNG"}


@pytest.mark.parametrize("label, meant", [
    ("Ngay ban hanh QD", "Ngày ban hành"), ("Đơn vị tham mưuu", "Đơn vị tham mưu"), ("Kính gởi", "Kính gửi"),
    ("Thời gian kết thúc họp", "Thời gian kết thúc"),
    # not typos: different things, kept silently for the clerk's own templates
    ("Ngày Báo cáo", None), ("Năm học", None), ("Cơ quan cấp trên", None), ("Số Kế hoạch gốc", None),
])
def test_only_near_misses_of_a_key_are_reported(tmp_path, label, meant):
    campaign, problems = _info_problems(tmp_path, [(label, "x")])
    if meant is None:
        assert problems == []
    else:
        assert [p.rule for p in problems] == ["muc-khong-ro"]
        assert f'có phải là "{meant}"?' in problems[0].message
    assert campaign.info.extra == {slug(label, "_"): "x"}


def test_the_clerks_own_keys_pass_silently_to_thong_tin_khac(tmp_path):
    campaign, problems = _info_problems(tmp_path, [("Ghi chú riêng", "Gửi kèm đĩa CD"), ("Người liên hệ", "Chị Hà")])
    assert problems == []
    assert campaign.info.extra == {"ghi_chu_rieng": "Gửi kèm đĩa CD", "nguoi_lien_he": "Chị Hà"}


def test_key_labels_match_without_case_diacritics_or_punctuation(tmp_path):
    campaign, problems = _info_problems(tmp_path, [("TEN CO QUAN:", "Viện kiểm sát"), ("  thi   hành ", "Văn phòng")])
    assert problems == []
    assert (campaign.info.agency_name, campaign.info.executors) == ("Viện kiểm sát", "Văn phòng")


def test_a_multiline_wording_value_keeps_its_lines(tmp_path):
    campaign, _ = _info_problems(tmp_path, [("Nội dung thi đua", "  Một.  \r\nHai.\n\n\nBa.  ")])
    assert campaign.info.contest_content == "Một.\nHai.\n\nBa."


@pytest.mark.parametrize("header", ["Nhiệm vụ", "Quyền hạn, nhiệm vụ", "quyen han nhiem vu", "Nhiệm vụ được giao"])
def test_individual_duties_column_and_its_aliases(tmp_path, header):
    path = make_workbook(tmp_path / "c.xlsx", {"Thông tin": MINIMAL_INFO, "Cá nhân": [
        ("Họ và tên", "Hình thức đề nghị", header, "Số sáng kiến"),
        ("Nguyễn Thị Lan", "Chiến sĩ thi đua cơ sở", "Kiểm sát viên.\nThư ký Hội đồng.", 2),
    ]})
    campaign = load_campaign(path)
    assert campaign.problems == []
    person = campaign.individuals[0]
    assert person.duties == "Kiểm sát viên.\nThư ký Hội đồng."
    # the metric column beside it stays a metric, as designed
    assert person.extra == {"so_sang_kien": 2} and person.extra_labels == {"so_sang_kien": "Số sáng kiến"}


def test_metric_columns_of_every_candidate_sheet_stay_in_extra(tmp_path):
    path = make_workbook(tmp_path / "m.xlsx", {
        "Thông tin": MINIMAL_INFO,
        "Đơn vị": [("Tên đơn vị", "Tỷ lệ án toàn trình (%)"), ("Văn phòng", "99,2")],
        "Tập thể": [("Tên tập thể", "Hình thức đề nghị", "Số sáng kiến"), ("Văn phòng", "Tập thể lao động xuất sắc", 3)],
        "Cá nhân": [("Họ và tên", "Hình thức đề nghị", "Điểm"), ("Nguyễn Thị Lan", "Lao động tiên tiến", 9.5)],
    })
    campaign = load_campaign(path)
    assert campaign.problems == []
    assert campaign.units[0].extra == {"ty_le_an_toan_trinh": 99.2}
    assert campaign.collectives[0].extra == {"so_sang_kien": 3}
    assert campaign.individuals[0].extra == {"diem": 9.5}
