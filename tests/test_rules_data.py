"""The rules data files: award catalogue, legal texts, base salary, prize money, loading and validation."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import rules
from docgen.errors import DocgenError
from docgen.rules.catalog import DATA_FILES, RulesDataError, load_catalog

DATA_DIR = Path(rules.__file__).parent / "data"


def data_texts() -> dict[str, str]:
    return {name: (DATA_DIR / name).read_text(encoding="utf-8") for name in DATA_FILES}


# ------------------------------------------------------------------------------------------ catalogue

def test_every_award_is_well_formed():
    awards = rules.catalog().awards
    names = [a.name for a in awards]
    assert len(names) == len(set(names))
    for a in awards:
        assert a.category in ("danh_hieu", "hinh_thuc")
        assert a.subjects and set(a.subjects) <= {"ca_nhan", "tap_the", "ho_gia_dinh"}
        assert a.source
        assert rules.find_award(a.name) is a
        for alias in a.aliases:
            assert rules.find_award(alias) is a, alias


@pytest.mark.parametrize("written, canonical", [
    ("CSTĐ cơ sở", "Chiến sĩ thi đua cơ sở"),
    ("chien si thi dua co so", "Chiến sĩ thi đua cơ sở"),
    ("  CHIẾN SĨ   THI ĐUA CƠ SỞ ", "Chiến sĩ thi đua cơ sở"),
    ("Danh hiệu Chiến sĩ thi đua cơ sở", "Chiến sĩ thi đua cơ sở"),
    ("LĐTT", "Lao động tiên tiến"),
    ("Tập thể LĐXS", "Tập thể lao động xuất sắc"),
    ("Bằng khen của Viện trưởng VKSND tối cao", "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"),
    ("Bằng khen của Viện trưởng VKSTC", "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"),
    ("Bằng khen Chủ tịch UBND tỉnh", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
    ("Bằng khen của Chủ tịch UBND tỉnh Cao Bằng", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
    ("Giấy khen của Viện trưởng VKSND tỉnh Cao Bằng", "Giấy khen"),
    ("Huân chương Lao động hạng Ba", "Huân chương"),
    ("Kỷ niệm chương Vì sự nghiệp Kiểm sát", "Kỷ niệm chương"),
    ("Cờ thi đua ngành KSND", "Cờ thi đua của ngành Kiểm sát nhân dân"),
    ("Cờ thi đua cấp tỉnh", "Cờ thi đua cấp bộ, ban, ngành, tỉnh"),
    ("CSTĐ cấp bộ", "Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh"),
])
def test_find_award_matches_aliases_case_diacritics_and_longer_names(written, canonical):
    award = rules.find_award(written)
    assert award is not None and award.name == canonical


@pytest.mark.parametrize("written", ["", None, "Bằng khen", "Chiến sĩ thi đua", "Lao động", "Khen thưởng đột xuất"])
def test_find_award_rejects_unknown_or_incomplete_names(written):
    assert rules.find_award(written) is None


def test_award_names_filters_by_subject():
    everyone = rules.award_names()
    people = rules.award_names("ca_nhan")
    groups = rules.award_names("Tập thể")
    assert "Lao động tiên tiến" in people and "Lao động tiên tiến" not in groups
    assert "Tập thể lao động xuất sắc" in groups and "Tập thể lao động xuất sắc" not in people
    assert "Giấy khen" in people and "Giấy khen" in groups
    assert set(people) | set(groups) <= set(everyone)
    assert "Giấy khen" in rules.award_names("ho_gia_dinh")
    with pytest.raises(rules.RulesError):
        rules.award_names("đơn vị")


@pytest.mark.parametrize("name, category", [
    ("Chiến sĩ thi đua cơ sở", "danh_hieu"), ("Lao động tiên tiến", "danh_hieu"),
    ("Tập thể lao động xuất sắc", "danh_hieu"), ("Cờ thi đua của Chính phủ", "danh_hieu"),
    ("Bằng khen của Thủ tướng Chính phủ", "hinh_thuc"), ("Giấy khen", "hinh_thuc"), ("Huân chương", "hinh_thuc"),
    ("Kỷ niệm chương", "hinh_thuc"), ("Anh hùng Lao động", "hinh_thuc"),
])
def test_categories_split_danh_hieu_from_hinh_thuc(name, category):
    assert rules.find_award(name).category == category


@pytest.mark.parametrize("name, percent, strict, required", [
    ("Chiến sĩ thi đua toàn quốc", 90, False, True),
    ("Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh", 90, False, True),
    ("Anh hùng Lao động", 90, False, True),
    ("Chiến sĩ thi đua cơ sở", 80, False, True),
    ("Cờ thi đua của Chính phủ", 80, False, True),
    ("Cờ thi đua cấp bộ, ban, ngành, tỉnh", 80, False, True),
    ("Cờ thi đua của ngành Kiểm sát nhân dân", 80, False, True),
    ("Lao động tiên tiến", None, True, False),
    ("Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao", None, True, False),
])
def test_vote_thresholds_follow_the_spec(name, percent, strict, required):
    award = rules.find_award(name)
    assert award.vote_percent == (None if percent is None else Decimal(percent))
    assert award.vote_strict is strict
    assert award.vote_required is required
    if percent is not None:
        assert "Điều 30" in award.vote_source and award.vote_verify


# ------------------------------------------------------------------------------------------ money

def test_base_salary_changes_on_1_july_2026():
    assert rules.base_salary(date(2024, 7, 1)) == 2_340_000
    assert rules.base_salary(date(2026, 6, 30)) == 2_340_000
    assert rules.base_salary(date(2026, 7, 1)) == 2_530_000
    assert rules.base_salary(date(2030, 1, 1)) == 2_530_000


def test_base_salary_before_the_data_is_an_error():
    with pytest.raises(rules.NoBaseSalary, match="01/07/2024"):
        rules.base_salary(date(2024, 6, 30))


@pytest.mark.parametrize("award, subject, day, amount", [
    ("Lao động tiên tiến", "ca_nhan", date(2026, 6, 30), 710_000),       # 0,3 × 2.340.000 = 702.000
    ("Lao động tiên tiến", "ca_nhan", date(2026, 7, 1), 760_000),        # 0,3 × 2.530.000 = 759.000
    ("Chiến sĩ thi đua cơ sở", "Cá nhân", date(2026, 7, 1), 2_530_000),  # exact, no rounding
    ("Chiến sĩ thi đua toàn quốc", "ca_nhan", date(2026, 1, 5), 10_530_000),
    ("Tập thể lao động tiên tiến", "tap_the", date(2026, 7, 1), 2_030_000),   # 0,8 × 2.530.000 = 2.024.000
    ("Tập thể lao động xuất sắc", "tap_the", date(2026, 7, 1), 3_800_000),    # 1,5 × 2.530.000 = 3.795.000
    ("Cờ thi đua của Chính phủ", "tap_the", date(2026, 7, 1), 30_360_000),
    ("Bằng khen của Thủ tướng Chính phủ", "tap_the", date(2026, 7, 1), 17_710_000),
    ("Giấy khen", "tap_the", date(2026, 7, 1), 1_520_000),                   # 0,6 × 2.530.000 = 1.518.000
    ("Giấy khen", "ho_gia_dinh", date(2026, 7, 1), 1_140_000),               # 1,5 × 760.000
    ("Bằng khen cấp bộ, ban, ngành, tỉnh", "ho_gia_dinh", date(2026, 6, 30), 5_270_000),  # 1,5 × 3.510.000
    ("CSTĐ cơ sở", "ca_nhan", date(2025, 7, 1), 2_340_000),
])
def test_prize_money_examples(award, subject, day, amount):
    assert rules.prize_money(award, subject, day) == amount


def test_prize_money_accepts_a_catalogue_entry():
    award = rules.find_award("LĐTT")
    assert rules.prize_money(award, "ca_nhan", date(2026, 7, 1)) == 760_000


@pytest.mark.parametrize("award, subject, day, fragment", [
    ("Huân chương Lao động hạng Ba", "ca_nhan", date(2026, 7, 1), "chưa có hệ số tiền thưởng"),
    ("Kỷ niệm chương", "ca_nhan", date(2026, 7, 1), "chưa có hệ số tiền thưởng"),
    ("Lao động tiên tiến", "tap_the", date(2026, 7, 1), "không dùng để khen thưởng tập thể"),
    ("Khen thưởng không có thật", "ca_nhan", date(2026, 7, 1), "không có trong danh mục"),
    ("Lao động tiên tiến", "ca_nhan", date(2025, 6, 30), "30/06/2025"),
])
def test_prize_money_without_a_coefficient_raises_a_vietnamese_error(award, subject, day, fragment):
    with pytest.raises(rules.NoPrizeCoefficient) as info:
        rules.prize_money(award, subject, day)
    assert fragment in str(info.value)
    assert isinstance(info.value, DocgenError) and isinstance(info.value, ValueError)


def test_prize_money_rejects_an_unknown_subject():
    with pytest.raises(rules.RulesError, match="không hợp lệ"):
        rules.prize_money("Lao động tiên tiến", "đơn vị", date(2026, 7, 1))


_WITH_COEFFICIENTS = [(a, s) for a in rules.catalog().awards for c in a.coefficients[:1] for s in c.values]


@settings(max_examples=200, deadline=None)
@given(pair=st.sampled_from(_WITH_COEFFICIENTS),
       day=st.dates(min_value=date(2025, 7, 1), max_value=date(2032, 12, 31)))
def test_prize_is_the_coefficient_amount_rounded_up_to_ten_thousand(pair, day):
    award, subject = pair
    exact = rules.prize_coefficient(award, subject, day) * rules.base_salary(day)
    prize = rules.prize_money(award, subject, day)
    assert prize % 10_000 == 0
    assert 0 <= prize - exact < 10_000


# ------------------------------------------------------------------------------------------ legal texts

def _numbers(texts) -> list[str]:
    return [t.number for t in texts]


def test_legal_bases_switch_from_nd98_to_nd152_on_1_july_2025():
    before = _numbers(rules.legal_bases_in_force(date(2025, 6, 30)))
    after = _numbers(rules.legal_bases_in_force(date(2025, 7, 1)))
    assert "98/2023/NĐ-CP" in before and "152/2025/NĐ-CP" not in before
    assert "152/2025/NĐ-CP" in after and "98/2023/NĐ-CP" not in after
    assert "06/2022/QH15" in before and "06/2022/QH15" in after


def test_legal_bases_of_nganh_kiem_sat():
    assert "02/2024/TT-VKSTC" not in _numbers(rules.legal_bases_in_force(date(2025, 1, 1)))
    assert "01/2019/TT-VKSTC" in _numbers(rules.legal_bases_in_force(date(2024, 9, 30), ("chung", "ksnd")))
    ksnd = _numbers(rules.legal_bases_in_force(date(2024, 10, 1), "ksnd"))
    assert ksnd == ["02/2024/TT-VKSTC"]


def test_amending_law_of_2026_is_proposed_only_from_1_october_2026():
    assert "06/2026/QH16" not in _numbers(rules.legal_bases_in_force(date(2026, 9, 30)))
    assert "06/2026/QH16" in _numbers(rules.legal_bases_in_force(date(2026, 10, 1)))


def test_legal_texts_carry_citations_dates_and_verify_flags():
    texts = {t.number: t for t in rules.catalog().legal_texts}
    for t in texts.values():
        assert t.citation.startswith("Căn cứ ") and not t.citation.endswith((";", "."))
        if t.verify:
            assert "verify" in t.note
    assert texts["98/2023/NĐ-CP"].effective_until == date(2025, 7, 1)
    assert texts["98/2023/NĐ-CP"].replaced_by == "152/2025/NĐ-CP"
    assert texts["28/2024/NĐ-CP"].replaced_by == "152/2025/NĐ-CP"
    assert texts["01/2024/TT-BNV"].replaced_by == "15/2025/TT-BNV"
    assert texts["01/2019/TT-VKSTC"].effective_until == date(2024, 10, 1)
    assert texts["06/2022/QH15"].effective_from == date(2024, 1, 1)
    assert texts["06/2026/QH16"].verify and texts["15/2025/TT-BNV"].verify


@pytest.mark.parametrize("line, number", [
    ("Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ", "98/2023/NĐ-CP"),
    ("Căn cứ Nghị định số 98/2023/NĐ - CP", "98/2023/NĐ-CP"),
    ("can cu nghi dinh 98 / 2023 / nd-cp", "98/2023/NĐ-CP"),
    ("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", "06/2022/QH15"),
    ("Căn cứ Thông tư số 01/2019/TT-VKSTC", "01/2019/TT-VKSTC"),
])
def test_find_legal_texts_recognises_a_citation(line, number):
    assert number in _numbers(rules.find_legal_texts(line))


def test_find_legal_texts_respects_number_boundaries():
    assert rules.find_legal_texts("Căn cứ Nghị định số 198/2023/NĐ-CP") == []
    assert rules.find_legal_texts("Căn cứ Quyết định số 923/QĐ-TTg ngày 14/5/2025") == []


# ------------------------------------------------------------------------------------------ loading

def test_packaged_data_loads_and_has_the_three_presets():
    cat = load_catalog(data_texts())
    assert list(cat.presets) == ["mac-dinh", "vksnd-cao-bang-000", "vkstc-251-2025"]
    assert rules.preset_names() == list(cat.presets)
    assert set(rules.PRESETS) == set(cat.presets)


def _with(name: str, old: str, new: str) -> dict[str, str]:
    texts = data_texts()
    assert old in texts[name]
    texts[name] = texts[name].replace(old, new, 1)
    return texts


@pytest.mark.parametrize("name, old, new, fragment", [
    ("luong_co_so.toml", "so_tien = 2340000", "so_tien = 2340000\nhieu_luc_tuu = 2024-07-01", "hieu_luc_tuu"),
    ("luong_co_so.toml", "hieu_luc_tu = 2024-07-01", 'hieu_luc_tu = "01/07/2024"', "NĂM-THÁNG-NGÀY"),
    ("khen_thuong.toml", 'loai = "danh_hieu"', 'loai = "danh hieu"', "danh_hieu, hinh_thuc"),
    ("khen_thuong.toml", 'doi_tuong = ["ca_nhan"]', 'doi_tuong = ["nguoi"]', "doi_tuong"),
    ("khen_thuong.toml", "ca_nhan = 4.5", "ca_nhan = -4.5", "không âm"),
    ("khen_thuong.toml", 'ten_khac = ["LĐTT"]', 'ten_khac = ["CSTĐ cơ sở"]', "trùng"),
    ("khen_thuong.toml", 'bieu_quyet_so_sanh = ">="', 'bieu_quyet_so_sanh = "=>"', "bieu_quyet_so_sanh"),
    ("bo_quy_tac.toml", 'hinh_thuc = ["Tập thể lao động xuất sắc"]', 'hinh_thuc = ["Tập thể xuất sắc"]',
     "không có trong danh mục"),
    ("bo_quy_tac.toml", 'ma = "so-ket-tap-the"', 'ma = "so-ket-tap-the"\nty_le = 10', "đúng một trong"),
    ("bo_quy_tac.toml", 'ma = "vkstc-251-2025"', 'ma = "VKSTC 251"', "chữ thường"),
    ("bo_quy_tac.toml", 'co_mat_toi_thieu = "2/3"', 'co_mat_toi_thieu = "hai phần ba"', "phân số"),
    ("can_cu.toml", 'thay_the_boi = "15/2025/TT-BNV"', 'thay_the_boi = "16/2025/TT-BNV"', "chưa có trong"),
    ("can_cu.toml", "[[van_ban]]", "[[van_ban]\n", "TOML"),
])
def test_malformed_data_is_reported_with_file_and_key(name, old, new, fragment):
    with pytest.raises(RulesDataError) as info:
        load_catalog(_with(name, old, new))
    assert name in str(info.value) or "TOML" in str(info.value)
    assert fragment in str(info.value)


def test_overlapping_coefficient_periods_are_rejected():
    extra = "\n[[danh_muc.he_so]]\nhieu_luc_tu = 2026-01-01\nca_nhan = 0.4\nnguon = \"x\"\n"
    texts = data_texts()
    texts["khen_thuong.toml"] += extra      # appended to the last entry (Kỷ niệm chương: cá nhân)
    texts["khen_thuong.toml"] = texts["khen_thuong.toml"].replace(
        extra, extra + "\n[[danh_muc.he_so]]\nhieu_luc_tu = 2026-06-01\nca_nhan = 0.5\nnguon = \"y\"\n")
    with pytest.raises(RulesDataError, match="chồng lấn"):
        load_catalog(texts)


def test_a_new_decree_is_followed_by_editing_data_only():
    texts = data_texts()
    # New base salary from 2027 and a new coefficient period for Lao động tiên tiến.
    texts["luong_co_so.toml"] = texts["luong_co_so.toml"].replace(
        "so_tien = 2530000\nhieu_luc_tu = 2026-07-01\n",
        "so_tien = 2530000\nhieu_luc_tu = 2026-07-01\nhet_hieu_luc = 2027-07-01\n") + (
        "\n[[muc]]\nso_tien = 2800000\nhieu_luc_tu = 2027-07-01\nnguon = \"Nghị định mới\"\n")
    texts["khen_thuong.toml"] = texts["khen_thuong.toml"].replace(
        "hieu_luc_tu = 2025-07-01\nca_nhan = 0.3\n",
        "hieu_luc_tu = 2025-07-01\nhet_hieu_luc = 2027-07-01\nca_nhan = 0.3\n", 1)
    texts["khen_thuong.toml"] = texts["khen_thuong.toml"].replace(
        "# ------------------------------------------------------------------ Danh hiệu thi đua — tập thể",
        "[[danh_muc.he_so]]\nhieu_luc_tu = 2027-07-01\nca_nhan = 0.4\nnguon = \"Nghị định mới\"\n\n"
        "# ------------------------------------------------------------------ Danh hiệu thi đua — tập thể")
    cat = load_catalog(texts)
    ldtt = cat.find_award("Lao động tiên tiến")
    assert ldtt.coefficients_on(date(2027, 6, 30)).values["ca_nhan"] == Decimal("0.3")
    assert ldtt.coefficients_on(date(2027, 7, 1)).values["ca_nhan"] == Decimal("0.4")
    assert [s.amount for s in cat.salaries] == [2_340_000, 2_530_000, 2_800_000]


def test_edited_copies_in_the_override_folder_replace_the_packaged_files(tmp_path, monkeypatch):
    text = (DATA_DIR / "luong_co_so.toml").read_text(encoding="utf-8")
    text = text.replace("so_tien = 2530000\nhieu_luc_tu = 2026-07-01\n",
                        "so_tien = 2530000\nhieu_luc_tu = 2026-07-01\nhet_hieu_luc = 2027-07-01\n")
    text += "\n[[muc]]\nso_tien = 2800000\nhieu_luc_tu = 2027-07-01\nnguon = \"Nghị định giả định\"\n"
    (tmp_path / "luong_co_so.toml").write_text(text, encoding="utf-8")
    monkeypatch.setenv(rules.OVERRIDE_ENV, str(tmp_path))
    try:
        rules.reload()
        assert rules.base_salary(date(2027, 7, 1)) == 2_800_000
        assert rules.base_salary(date(2026, 7, 1)) == 2_530_000
        assert rules.award_names()                       # the other files still come from the package
    finally:
        monkeypatch.delenv(rules.OVERRIDE_ENV)
        rules.reload()
    assert rules.base_salary(date(2027, 7, 1)) == 2_530_000


def test_every_date_in_the_data_is_a_plain_date():
    cat = rules.catalog()
    for level in cat.salaries:
        assert type(level.effective_from) is date
    for t in cat.legal_texts:
        for d in (t.effective_from, t.effective_until):
            assert d is None or type(d) is date
    assert cat.presets["vkstc-251-2025"].deadline == date(2026, 6, 30)
    assert cat.presets["vkstc-251-2025"].deadline - timedelta(days=1) == date(2026, 6, 29)
