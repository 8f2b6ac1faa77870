"""The "Quy tắc" sheet: keys, value parsing, presets and overrides, located problems."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from docgen import rules
from docgen.errors import Severity
from docgen.model import Campaign, Info
from docgen.rules import settings as rule_settings
from docgen.rules.settings import (
    BadValue,
    parse_bool,
    parse_count,
    parse_fraction,
    parse_percent,
    parse_rounding,
    parse_threshold,
)
from docgen.text import fold


def sheet(*pairs, first_row: int = 2) -> dict:
    """The raw "Quy tắc" sheet as the reader stores it."""
    return {fold(label): (label, value, row) for row, (label, value) in enumerate(pairs, start=first_row)}


def resolve(*pairs, award_kind: str = "Hằng năm"):
    return rules.resolve(Campaign(info=Info(award_kind=award_kind, year=2026), rule_settings=sheet(*pairs)))


# ------------------------------------------------------------------------------------------ the keys

def test_settings_list_describes_every_key():
    specs = rules.SETTINGS
    labels = [s.label for s in specs]
    assert labels[0] == "Bộ quy tắc"
    assert len({fold(x) for x in labels}) == len(labels)
    for s in specs:
        assert s.description and s.example
        assert s.kind in rule_settings.PARSERS
        if s.allowed:
            assert all("," not in v for v in s.allowed)          # they go into an Excel list validation
    required = {"Bộ quy tắc", "Tỷ lệ tập thể tối đa (%)", "Tỷ lệ cá nhân tối đa (%)", "Số tập thể tối đa",
                "Số cá nhân tối đa", "Ngưỡng biểu quyết mặc định (%)", "Làm tròn", "Cột xếp hạng",
                "Ngưỡng ưu tiên xếp hạng (%)", "Ngành KSND", "Ngày quyết định"}
    assert required <= set(labels)
    assert specs[0].allowed == tuple(rules.preset_names())


def test_every_example_value_is_accepted():
    for spec in rules.SETTINGS:
        example = date(2026, 7, 15) if spec.kind == "date" else spec.example
        rules_set, problems = resolve((spec.label, example))
        assert problems == [], spec.label


@pytest.mark.parametrize("written", ["Bo quy tac", "BỘ QUY TẮC", "Tỷ lệ tập thể tối đa", "ty le tap the toi da (%)",
                                     "Tỷ lệ tập thế tối da", "Ngành Kiểm sát nhân dân"])
def test_keys_match_ignoring_case_diacritics_and_the_percent_sign(written):
    assert rules.find_setting(written) is not None


# ------------------------------------------------------------------------------------------ values

@pytest.mark.parametrize("raw, expected", [
    (10, Decimal(10)), ("10", Decimal(10)), ("10%", Decimal(10)), (" 12,5 % ", Decimal("12.5")),
    (12.5, Decimal("12.5")), (0.1, Decimal(10)), (0, Decimal(0)), (100, Decimal(100)),
])
def test_parse_percent(raw, expected):
    assert parse_percent(raw) == expected


@pytest.mark.parametrize("raw", ["mười", "1.000,5", 150, -5, "", True, "10,5,1"])
def test_parse_percent_rejects(raw):
    with pytest.raises(BadValue):
        parse_percent(raw)


@pytest.mark.parametrize("raw, expected", [(3, 3), (3.0, 3), ("03", 3), ("1.200", 1200), ("1,200", 1200), (0, 0)])
def test_parse_count(raw, expected):
    assert parse_count(raw) == expected


@pytest.mark.parametrize("raw", [-1, 2.5, "ba", "2,5", True, "3 người"])
def test_parse_count_rejects(raw):
    with pytest.raises(BadValue):
        parse_count(raw)


@pytest.mark.parametrize("raw, expected", [
    (50, (Decimal(50), True)), ("50", (Decimal(50), True)), ("> 50", (Decimal(50), True)),
    (">= 60", (Decimal(60), False)), ("≥60%", (Decimal(60), False)), ("từ 60", (Decimal(60), False)),
    ("trên 50%", (Decimal(50), True)),
])
def test_parse_threshold(raw, expected):
    assert parse_threshold(raw) == expected


@pytest.mark.parametrize("raw, expected", [("Có", True), ("co", True), ("x", True), (True, True), ("Không", False),
                                           ("KHONG", False), (False, False), (0, False)])
def test_parse_bool(raw, expected):
    assert parse_bool(raw) is expected


def test_parse_rounding_and_fraction():
    assert parse_rounding("Xuống") == "xuong" and parse_rounding("LÊN") == "len"
    assert parse_rounding("Làm tròn lên") == "len"
    with pytest.raises(BadValue):
        parse_rounding("Gần nhất")
    assert parse_fraction("2/3") == Fraction(2, 3)
    assert parse_fraction(" 3 / 4 ") == Fraction(3, 4)
    assert parse_fraction("50%") == Fraction(1, 2)
    for bad in ("3/2", "0", "x/3"):
        with pytest.raises(BadValue):
            parse_fraction(bad)


# ------------------------------------------------------------------------------------------ presets

@pytest.mark.parametrize("written, pid", [
    ("vksnd-cao-bang-000", "vksnd-cao-bang-000"),
    ("VKSND-CAO-BANG-000", "vksnd-cao-bang-000"),
    ("VKSND tỉnh Cao Bằng - Cả nước thi đua đổi mới sáng tạo và chuyển đổi số", "vksnd-cao-bang-000"),
    ("vkstc 251 2025", "vkstc-251-2025"),
    ("Mặc định", "mac-dinh"),
])
def test_find_preset_by_id_or_name(written, pid):
    assert rules.find_preset(written).id == pid


def test_no_sheet_means_the_default_preset():
    rs, problems = rules.resolve(Campaign())
    assert problems == []
    assert rs.preset.id == "mac-dinh" and rs.caps == [] and not rs.ksnd
    assert rs.quorum == Fraction(2, 3)
    assert (rs.default_vote_percent, rs.default_vote_strict) == (Decimal(50), True)
    assert rs.rounding == "xuong" and rs.min_months is None and rs.legal_scopes == ("chung",)


def test_empty_values_keep_the_preset():
    rs, problems = resolve(*[(s.label, None) for s in rules.SETTINGS], ("Làm tròn", "  "))
    assert problems == [] and rs.preset.id == "mac-dinh" and rs.caps == []


def test_seed_000_caps_depend_on_the_kind_of_award_round():
    def codes(kind):
        rs, problems = resolve(("Bộ quy tắc", "vksnd-cao-bang-000"), award_kind=kind)
        assert problems == []
        return [c.code for c in rs.caps]

    assert codes("Hằng năm") == ["hang-nam-tap-the", "hang-nam-ca-nhan", "tldxs-nganh-ksnd"]
    assert codes("Hàng năm") == codes("Hằng năm")            # the seed spells it "hàng năm"
    assert codes("Sơ kết") == ["so-ket-tap-the", "so-ket-ca-nhan", "tldxs-nganh-ksnd"]
    assert codes("Tổng kết") == ["tong-ket-tap-the", "tong-ket-ca-nhan", "tldxs-nganh-ksnd"]
    assert codes("Chuyên đề") == ["tldxs-nganh-ksnd"]
    rs, _ = resolve(("Bộ quy tắc", "vksnd-cao-bang-000"))
    caps = {c.code: c for c in rs.caps}
    assert caps["hang-nam-tap-the"].percent == 10 and caps["hang-nam-tap-the"].base == "so_tap_the"
    assert caps["hang-nam-ca-nhan"].percent == 5 and caps["hang-nam-ca-nhan"].base == "tong_bien_che"
    assert rs.ksnd and rs.min_months == 6 and rs.legal_scopes == ("chung", "ksnd")
    rs, _ = resolve(("Bộ quy tắc", "vksnd-cao-bang-000"), award_kind="Tổng kết")
    assert [(c.subject, c.max_count) for c in rs.caps[:2]] == [("tap_the", 2), ("ca_nhan", 3)]
    rs, _ = resolve(("Bộ quy tắc", "vksnd-cao-bang-000"), award_kind="Sơ kết")
    assert [(c.subject, c.max_count) for c in rs.caps[:2]] == [("tap_the", 3), ("ca_nhan", 4)]


def test_seed_004_preset():
    rs, problems = resolve(("Bộ quy tắc", "vkstc-251-2025"), award_kind="Chuyên đề")
    assert problems == []
    caps = {c.code: c for c in rs.caps}
    bk = "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"
    assert caps["bang-khen-vkstc-tap-the"].awards == (bk,) and caps["bang-khen-vkstc-tap-the"].percent == 10
    tiers = caps["bang-khen-vkstc-ca-nhan"].tiers
    assert [t.max_count for t in tiers] == [3, 5, 8, 1]
    assert rs.deadline == date(2026, 6, 30) and "251/KH-VKSTC" in rs.deadline_source
    assert rs.rankings[0].column == "Tỷ lệ án toàn trình (%)" and rs.rankings[0].priority_from == 98


# ------------------------------------------------------------------------------------------ overrides

def test_count_override_replaces_the_preset_number():
    rs, problems = resolve(("Bộ quy tắc", "vksnd-cao-bang-000"), ("Số tập thể tối đa", 5), award_kind="Sơ kết")
    assert problems == []
    cap = next(c for c in rs.caps if c.subject == "tap_the" and c.kind == "so_luong")
    assert cap.max_count == 5 and 'dòng 3, mục "Số tập thể tối đa"' in cap.source


def test_count_override_replaces_tiers():
    rs, _ = resolve(("Bộ quy tắc", "vkstc-251-2025"), ("Số cá nhân tối đa", "4"))
    cap = next(c for c in rs.caps if c.subject == "ca_nhan")
    assert cap.max_count == 4 and cap.tiers == ()
    assert cap.awards == ("Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao",)


def test_percent_override_adds_a_cap_when_the_preset_has_none():
    rs, problems = resolve(("Tỷ lệ cá nhân tối đa (%)", "15%"))
    assert problems == []
    [cap] = rs.caps
    assert (cap.subject, cap.percent, cap.base, cap.awards) == ("ca_nhan", Decimal(15), "tong_bien_che", ())


def test_ksnd_switch_and_tldxs_override():
    rs, _ = resolve(("Ngành KSND", "Có"), ("Tỷ lệ Tập thể lao động xuất sắc tối đa (%)", 25))
    [cap] = rs.caps
    assert cap.code == "tldxs-nganh-ksnd" and cap.percent == 25 and cap.minimum == 1
    rs, _ = resolve(("Bộ quy tắc", "vksnd-cao-bang-000"), ("Ngành KSND", "Không"), award_kind="Chuyên đề")
    assert rs.caps == [] and not rs.ksnd and rs.min_months is None
    rs, _ = resolve(("Ngành KSND", "Có"), ("Số tháng công tác tối thiểu (Lao động tiên tiến)", 3))
    assert rs.min_months == 3


def test_other_overrides():
    rs, problems = resolve(("Làm tròn", "Lên"), ("Ngưỡng biểu quyết mặc định (%)", ">= 60"),
                           ("Tỷ lệ thành viên có mặt tối thiểu", "3/4"), ("Cột xếp hạng", "Điểm thi đua"),
                           ("Ngưỡng ưu tiên xếp hạng (%)", 90), ("Ngày quyết định", datetime(2026, 7, 1, 0, 0)),
                           ("Tổng số tập thể", 20), ("Tổng số biên chế", "1.200"),
                           ("Số tập thể đạt Tập thể lao động tiên tiến", 9))
    assert problems == []
    assert rs.rounding == "len"
    assert (rs.default_vote_percent, rs.default_vote_strict) == (Decimal(60), False)
    assert rs.quorum == Fraction(3, 4) and "Quy tắc" in rs.quorum_source
    assert [(r.column, r.priority_from) for r in rs.rankings] == [("Điểm thi đua", Decimal(90))]
    assert rs.decision_date == date(2026, 7, 1)
    assert (rs.total_collectives, rs.total_staff, rs.proposed_base) == (20, 1200, 9)
    assert rs.setting_row("rounding") == 2


def test_ranking_column_override_keeps_the_presets_priority_for_that_column():
    rs, _ = resolve(("Bộ quy tắc", "vkstc-251-2025"), ("Cột xếp hạng", "Tỷ lệ án toàn trình"))
    assert [(r.column, r.priority_from) for r in rs.rankings] == [("Tỷ lệ án toàn trình", Decimal(98))]


# ------------------------------------------------------------------------------------------ problems

def test_bad_value_is_located_at_its_row():
    rs, problems = resolve(("Bộ quy tắc", "mac-dinh"), ("Làm tròn", "Xuống"), ("Tỷ lệ tập thể tối đa (%)", "mười"))
    [p] = problems
    assert (p.sheet, p.row, p.column, p.severity, p.rule) == ("Quy tắc", 4, "Giá trị", Severity.ERROR,
                                                             "quy-tac-gia-tri")
    assert "Tỷ lệ tập thể tối đa (%)" in p.message and "mười" in p.message
    assert rs.caps == []                                    # the bad value is not applied


def test_unknown_preset_lists_the_choices():
    _, [p] = resolve(("Bộ quy tắc", "kế hoạch 999"))
    assert p.row == 2 and p.column == "Giá trị" and "mac-dinh" in p.message and "vkstc-251-2025" in p.message


def test_unknown_key_is_an_error_with_a_suggestion():
    _, [p] = resolve(("Làm tròn", "Lên"), ("Tỷ lệ tập thể tối đaa (%)", 10))
    assert (p.sheet, p.row, p.column, p.rule) == ("Quy tắc", 3, "Mục", "quy-tac-muc-khong-ro")
    assert 'Có phải là "Tỷ lệ tập thể tối đa (%)"?' in p.message


def test_every_bad_value_is_reported_not_only_the_first():
    _, problems = resolve(("Ngành KSND", "có lẽ"), ("Số cá nhân tối đa", -2), ("Ngày quyết định", 46000),
                          ("Tỷ lệ thành viên có mặt tối thiểu", "5/3"))
    assert [p.row for p in problems] == [2, 3, 4, 5]
    assert all(p.column == "Giá trị" and p.is_error for p in problems)


def test_decision_date_written_as_text():
    pytest.importorskip("docgen.vietnamese")        # the date parser shared with the reader
    rs, problems = resolve(("Ngày quyết định", "01/07/2026"))
    assert problems == [] and rs.decision_date == date(2026, 7, 1)
    _, [p] = resolve(("Làm tròn", "Lên"), ("Ngày quyết định", "31/02/2026"))
    assert (p.row, p.column, p.rule) == (3, "Giá trị", "quy-tac-gia-tri") and "31/02/2026" in p.message


def test_the_clerks_guide_lists_every_key_and_preset():
    from pathlib import Path

    guide = (Path(__file__).resolve().parent.parent / "docs" / "quy-tac.md").read_text(encoding="utf-8")
    for spec in rules.SETTINGS:
        assert f"| {spec.label} |" in guide, spec.label
    for pid in rules.preset_names():
        assert f"`{pid}`" in guide, pid
