"""docgen.workbook: the workbook of `docgen init` and the bundled examples, written from docgen.schema.

Opened with openpyxl and read back with docgen's own reader: every declared sheet, header, key, dropdown and
guide line is there, and what workbook.py writes is what the reader reads."""
from __future__ import annotations

import re
import sys
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

import docgen
from docgen import rules, schema, vietnamese as vn
from docgen.reader import load_campaign
from docgen.workbook import GUIDE_SHEET, LIST_SHEET, VALIDATED_ROWS, _vocab_lists, write_workbook

ROOT = Path(__file__).resolve().parent.parent
SHEET_ORDER = [GUIDE_SHEET, schema.INFO.name, *(s.name for s in schema.TABLE_SHEETS), schema.RULE_SETTINGS_SHEET,
               LIST_SHEET]


@pytest.fixture(scope="module")
def init_book(tmp_path_factory):
    path = docgen.init_workbook(tmp_path_factory.mktemp("init"))
    return openpyxl.load_workbook(path)


def _validations(ws) -> dict[str, str]:
    """sqref → formula1 of each data validation of a sheet."""
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


def _list_values(book, formula: str) -> list[str]:
    m = re.fullmatch(r"'?(.+?)'?!\$([A-Z]+)\$(\d+):\$([A-Z]+)\$(\d+)", formula)
    assert m, formula
    ws = book[m.group(1)]
    col = m.group(2)
    return [ws[f"{col}{r}"].value for r in range(int(m.group(3)), int(m.group(5)) + 1)]


def _vocab_of(entry) -> tuple[str, ...]:
    return tuple(rules.award_names()) if entry.vocab == schema.AWARD_VOCAB else tuple(entry.vocab)


# ------------------------------------------------------------------------------------------------ docgen init

def test_sheets_in_order_the_lists_hidden_and_thong_tin_selected(init_book):
    assert init_book.sheetnames == SHEET_ORDER
    assert init_book[LIST_SHEET].sheet_state == "hidden"
    assert [ws.title for ws in init_book.worksheets if ws.sheet_view.tabSelected] == [schema.INFO.name]
    assert init_book.active.title == schema.INFO.name


def test_thong_tin_lists_every_key_in_order_with_its_note(init_book):
    ws = init_book[schema.INFO.name]
    assert [c.value for c in ws[1]] == [schema.INFO.key_header, schema.INFO.value_header, "Hướng dẫn"]
    assert ws.freeze_panes == "A2"
    for r, key in enumerate(schema.INFO.keys, start=2):
        assert ws.cell(row=r, column=1).value == key.label
        assert ws.cell(row=r, column=1).font.b is key.required
        assert ws.cell(row=r, column=2).value is None
        assert ws.cell(row=r, column=3).value == key.description + (" (bắt buộc)" if key.required else "")
    assert ws.max_row == len(schema.INFO.keys) + 1


@pytest.mark.parametrize("spec", schema.TABLE_SHEETS, ids=lambda s: s.name)
def test_table_sheet_has_its_declared_headers_widths_and_nothing_else(init_book, spec):
    ws = init_book[spec.name]
    assert [c.value for c in ws[1]] == [c.header for c in spec.columns]
    assert ws.max_row == 1
    assert ws.freeze_panes == "A2"
    for c, col in enumerate(spec.columns, start=1):
        cell = ws.cell(row=1, column=c)
        assert cell.font.b and cell.font.name == "Times New Roman"
        assert ws.column_dimensions[get_column_letter(c)].width == col.width


@pytest.mark.parametrize("spec", schema.TABLE_SHEETS, ids=lambda s: s.name)
def test_every_vocabulary_column_has_a_dropdown_with_its_values(init_book, spec):
    ws = init_book[spec.name]
    validations = _validations(ws)
    expected = {}
    for c, col in enumerate(spec.columns, start=1):
        if col.vocab is not None:
            letter = get_column_letter(c)
            expected[f"{letter}2:{letter}{VALIDATED_ROWS}"] = _vocab_of(col)
    assert set(validations) == set(expected)
    for ref, values in expected.items():
        assert tuple(_list_values(init_book, validations[ref])) == values


def test_vocabulary_keys_of_thong_tin_have_dropdowns(init_book):
    ws = init_book[schema.INFO.name]
    validations = _validations(ws)
    expected = {f"B{r}": _vocab_of(k) for r, k in enumerate(schema.INFO.keys, start=2) if k.vocab}
    assert expected and set(validations) == set(expected)
    for ref, values in expected.items():
        assert tuple(_list_values(init_book, validations[ref])) == values


def test_only_the_award_dropdown_accepts_other_values(init_book):
    strict = {}
    for ws in init_book.worksheets:
        for dv in ws.data_validations.dataValidation:
            if dv.promptTitle:
                strict[dv.promptTitle] = bool(dv.showErrorMessage)
    assert strict.pop("Hình thức đề nghị") is False          # a campaign may name its own award
    assert strict and all(strict.values()), strict


def test_quy_tac_lists_every_rule_setting(init_book):
    ws = init_book[schema.RULE_SETTINGS_SHEET]
    assert [ws.cell(row=r, column=1).value for r in range(2, ws.max_row + 1)] == [s.label for s in rules.SETTINGS]
    assert [ws.cell(row=r, column=3).value for r in range(2, ws.max_row + 1)] == [s.description for s in rules.SETTINGS]


def _guide_rows(book) -> dict[tuple[str, str], tuple[str, str]]:
    ws = book[GUIDE_SHEET]
    header = next(r for r in range(1, 10) if ws.cell(row=r, column=1).value == "Sheet")
    rows = {}
    for r in range(header + 1, ws.max_row + 1):
        sheet, name, meaning, example = (ws.cell(row=r, column=c).value for c in range(1, 5))
        if sheet is None:
            break
        rows[(sheet, name)] = (meaning, example or "")
    return rows


def test_guide_lists_every_declared_key_with_description_and_example(init_book):
    rows = _guide_rows(init_book)
    for key in schema.INFO.keys:
        name = key.label + (" *" if key.required else "")
        assert rows[(schema.INFO.name, name)] == (key.description, key.example), key.label
    for label in ("Tên cơ quan", "Đơn vị tham mưu", "Hình thức khen thưởng", "Nội dung thi đua", "Thời gian thi đua",
                  "Thẩm quyền ban hành", "Đề nghị của", "Thi hành"):
        assert (schema.INFO.name, label) in rows


def test_guide_lists_every_sheet_and_column_with_description_and_example(init_book):
    rows = _guide_rows(init_book)
    for spec in schema.TABLE_SHEETS:
        assert rows[(spec.name, "(sheet)")] == (spec.description, "")
        for col in spec.columns:
            name = col.header + (" *" if col.required else "")
            meaning = col.description + (" Chọn trong danh sách." if col.vocab is not None else "")
            assert rows[(spec.name, name)] == (meaning, col.example), (spec.name, col.header)
    assert rows[("Cá nhân", "Nhiệm vụ")][1]
    for setting in rules.SETTINGS:
        assert (schema.RULE_SETTINGS_SHEET, setting.label) in rows
    assert len(rows) == (len(schema.INFO.keys) + sum(1 + len(s.columns) for s in schema.TABLE_SHEETS)
                         + len(rules.SETTINGS))


def test_guide_lists_every_vocabulary(init_book):
    ws = init_book[GUIDE_SHEET]
    found = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=3).value for r in range(1, ws.max_row + 1)}
    for name, values in _vocab_lists().items():
        assert found[name] == "; ".join(values)


def test_empty_workbook_reads_back_with_only_the_required_values_missing(tmp_path):
    campaign = load_campaign(write_workbook(tmp_path / "empty.xlsx"))
    required = [k.label for k in schema.INFO.keys if k.required]
    assert [p.message for p in campaign.problems] == [f'Mục "{k}" bắt buộc phải có giá trị.' for k in required]
    assert {p.rule for p in campaign.problems} == {"thieu-gia-tri"}


# ------------------------------------------------------------------------------------------------ round trip

def _expected(entry, value):
    """What the reader makes of an entry's own example."""
    example = entry.example
    if entry.kind == "date":
        return vn.short_date(value) == example
    if entry.kind in ("int", "year"):
        return value == int(example)
    if entry.kind == "number":
        return value == example.lstrip("0")
    if entry.kind == "presence":
        return value is (example == "Có")
    return value == example


def test_every_example_round_trips_through_the_reader_without_a_problem(tmp_path):
    """Each key and column filled with its own documented example, as `docgen init` lays it out: the reader
    takes every value as documented, raises no problem and leaves nothing in ``extra``."""
    info = {k.label: k.example for k in schema.INFO.keys if k.example}
    tables = {s.name: [{c.header: c.example for c in s.columns}] for s in schema.TABLE_SHEETS}
    campaign = load_campaign(write_workbook(tmp_path / "full.xlsx", info, tables))
    assert [p.format() for p in campaign.problems] == []
    for key in schema.INFO.keys:
        if not key.example:
            continue
        if ":" in key.field:
            what, code = key.field.split(":", 1)
            value = (campaign.info.numbers if what == "number" else campaign.info.dates)[code]
        else:
            value = getattr(campaign.info, key.field)
        assert _expected(key, value), (key.label, value)
    assert campaign.info.extra == {}
    lists = {"Căn cứ": campaign.legal_bases, "Đơn vị": campaign.units, "Tập thể": campaign.collectives,
             "Cá nhân": campaign.individuals, "Khen thưởng": campaign.past_awards, "Hội đồng": campaign.council,
             "Biểu quyết": campaign.votes, "Nơi nhận": campaign.recipients, "Người ký": campaign.signers}
    for spec in schema.TABLE_SHEETS:
        [record] = lists[spec.name]
        assert record.row == 2
        for col in spec.columns:
            if col.example:
                assert _expected(col, getattr(record, col.field)), (spec.name, col.header)
        assert getattr(record, "extra", {}) == {}


def test_metric_columns_and_own_keys_round_trip(tmp_path):
    path = write_workbook(
        tmp_path / "m.xlsx",
        info={"Cơ quan ban hành": "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG", "Ghi chú riêng": "Gửi kèm đĩa CD"},
        tables={"Cá nhân": [{"Họ và tên": "Nguyễn Thị Lan", "Hình thức đề nghị": "Lao động tiên tiến",
                             "Số sáng kiến": 2, "Ngày sinh": date(1980, 3, 5)}],
                "Đơn vị": [(1, "Văn phòng", 18, "Phòng", "", 96.5)]},
        rule_settings={"Bộ quy tắc": "vksnd-cao-bang-000", "Mục riêng": "x"},
        extra_columns={"Cá nhân": ["Số sáng kiến"], "Đơn vị": ["Tỷ lệ án toàn trình (%)"]})
    book = openpyxl.load_workbook(path)
    assert book["Cá nhân"].cell(row=1, column=len(schema.INDIVIDUALS.columns) + 1).value == "Số sáng kiến"
    assert book["Cá nhân"]["D2"].number_format == "DD/MM/YYYY"
    info_ws = book[schema.INFO.name]
    assert info_ws.cell(row=len(schema.INFO.keys) + 2, column=1).value == "Ghi chú riêng"
    campaign = load_campaign(path)
    assert campaign.info.extra == {"ghi_chu_rieng": "Gửi kèm đĩa CD"}
    person = campaign.individuals[0]
    assert (person.birth_date, person.extra) == (date(1980, 3, 5), {"so_sang_kien": 2})
    assert campaign.units[0].extra == {"ty_le_an_toan_trinh": 96.5} and campaign.units[0].staff_count == 18
    assert campaign.rule_settings["bo quy tac"][1] == "vksnd-cao-bang-000"
    assert campaign.rule_settings["muc rieng"][1] == "x"


# ------------------------------------------------------------------------------------------------ the fixtures

_STAMPS = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: _STAMPS.sub(b"", z.read(n)) for n in z.namelist()}


@pytest.mark.parametrize("name, maker", [("vksnd-cao-bang.xlsx", "cao_bang"), ("vkstc-251.xlsx", "vkstc_251")])
def test_bundled_fixtures_are_what_make_fixtures_writes(tmp_path, monkeypatch, name, maker):
    """fixtures/*.xlsx are generated: a change to the schema or to workbook.py shows up here until
    ``python tools/make_fixtures.py`` is run again."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    import make_fixtures

    fresh = getattr(make_fixtures, maker)(tmp_path / name)
    committed, regenerated = _parts(ROOT / "fixtures" / name), _parts(fresh)
    assert sorted(committed) == sorted(regenerated)
    assert [n for n in committed if committed[n] != regenerated[n]] == []
    sys.modules.pop("make_fixtures", None)


@pytest.mark.parametrize("name", ["vksnd-cao-bang.xlsx", "vkstc-251.xlsx"])
def test_bundled_fixtures_read_without_a_reader_problem(name):
    campaign = load_campaign(ROOT / "fixtures" / name)
    assert [p.format() for p in campaign.problems] == []
    assert campaign.candidates


# ------------------------------------------------------------------------------------------------ docs/workbook.md

def test_docs_workbook_md_is_generated_from_the_schema(monkeypatch):
    """docs/workbook.md is written by tools/make_workbook_doc.py; edit docgen/schema.py and run it again."""
    monkeypatch.syspath_prepend(str(ROOT / "tools"))
    import make_workbook_doc

    assert (ROOT / "docs" / "workbook.md").read_text(encoding="utf-8") == make_workbook_doc.render()
    sys.modules.pop("make_workbook_doc", None)


def test_docs_workbook_md_names_every_key_column_and_setting():
    text = (ROOT / "docs" / "workbook.md").read_text(encoding="utf-8")
    rows = {line.split(" | ")[0].lstrip("| ").removesuffix(" *") for line in text.splitlines() if line.startswith("| ")}
    for key in schema.INFO.keys:
        assert key.label in rows, key.label
    for spec in schema.TABLE_SHEETS:
        assert f"## {spec.name}\n" in text
        for col in spec.columns:
            assert col.header in rows, (spec.name, col.header)
    for setting in rules.SETTINGS:
        assert setting.label in rows
