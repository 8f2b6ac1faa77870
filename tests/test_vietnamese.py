"""Vietnamese language layer: the rules of docs/tieng-viet.md, one table per rule."""
from __future__ import annotations

import subprocess
import sys

import random
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from docgen import vietnamese as vn
from docgen.vietnamese import (JINJA_FILTERS, count_with_words, fix_legacy, format_date, format_number,
                               format_percent, money_to_words, name_sort_key, number_to_words, parse_date,
                               parse_number, short_date, slug, sort_names, two_digits, upper, words_to_number)

# ---------------------------------------------------------------------------------------------------
# numbers in words: default style

DEFAULT_WORDS = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),                                   # 1 after tens digit 1 → "một"
    (14, "mười bốn"),                                   # 14 is "mười bốn", not "mười tư"
    (15, "mười lăm"),                                   # 5 after a non-zero tens digit → "lăm"
    (20, "hai mươi"),
    (21, "hai mươi mốt"),                               # 1 after tens ≥ 2 → "mốt"
    (24, "hai mươi tư"),                                # 4 after tens ≥ 2 → "tư"
    (25, "hai mươi lăm"),
    (31, "ba mươi mốt"),
    (44, "bốn mươi tư"),
    (55, "năm mươi lăm"),
    (99, "chín mươi chín"),
    (100, "một trăm"),
    (101, "một trăm linh một"),                         # "linh", then "một"
    (104, "một trăm linh bốn"),
    (105, "một trăm linh năm"),                         # "năm" after linh, never "lẻ lăm"
    (110, "một trăm mười"),
    (111, "một trăm mười một"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (124, "một trăm hai mươi tư"),
    (200, "hai trăm"),
    (999, "chín trăm chín mươi chín"),
    (1000, "một nghìn"),
    (1001, "một nghìn không trăm linh một"),            # every later group read in full
    (1005, "một nghìn không trăm linh năm"),
    (1010, "một nghìn không trăm mười"),
    (1015, "một nghìn không trăm mười lăm"),
    (1100, "một nghìn một trăm"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (2025, "hai nghìn không trăm hai mươi lăm"),
    (10005, "mười nghìn không trăm linh năm"),
    (15000, "mười lăm nghìn"),
    (21000, "hai mươi mốt nghìn"),
    (100000, "một trăm nghìn"),
    (760000, "bảy trăm sáu mươi nghìn"),
    (1000000, "một triệu"),
    (1000005, "một triệu không trăm linh năm"),         # empty middle group skipped
    (1005000, "một triệu không trăm linh năm nghìn"),
    (2530000, "hai triệu năm trăm ba mươi nghìn"),
    (1_000_000_000, "một tỷ"),
    (10**9 + 1, "một tỷ không trăm linh một"),
    (1_000_001_000, "một tỷ không trăm linh một nghìn"),
    (10**12, "một nghìn tỷ"),                           # 10^12 = nghìn tỷ
    (10**12 + 5, "một nghìn tỷ không trăm linh năm"),
    (1_001_000_000_000, "một nghìn không trăm linh một tỷ"),
    (10**15, "một triệu tỷ"),                           # 10^15 = triệu tỷ
    (10**18, "một tỷ tỷ"),
    (123_456_789_012, "một trăm hai mươi ba tỷ bốn trăm năm mươi sáu triệu bảy trăm tám mươi chín nghìn "
                      "không trăm mười hai"),
    (Decimal("12.5"), "mười hai phẩy năm"),
    (12.5, "mười hai phẩy năm"),                        # decimals: "phẩy"
    (3.05, "ba phẩy không năm"),                        # fractional zeros read
    (Decimal("3.005"), "ba phẩy không không năm"),
    (0.5, "không phẩy năm"),
    (Decimal("12.50"), "mười hai phẩy năm"),            # trailing zeros are not read
    (Decimal("99.25"), "chín mươi chín phẩy hai năm"),
    (-5, "âm năm"),                                     # negative: "âm"
    (-2024, "âm hai nghìn không trăm hai mươi tư"),
    (-0.5, "âm không phẩy năm"),
    (Decimal("-1000005"), "âm một triệu không trăm linh năm"),
    (7.0, "bảy"),
]


@pytest.mark.parametrize("x, words", DEFAULT_WORDS)
def test_number_to_words_default_style(x, words):
    assert number_to_words(x) == words


@pytest.mark.parametrize("x, words", DEFAULT_WORDS)
def test_words_to_number_inverts_the_default_style(x, words):
    assert words_to_number(words) == Decimal(str(x))


def test_never_forbidden_forms():
    for n in range(0, 2100):
        words = number_to_words(n).split()
        text = " ".join(words)
        assert "một mươi" not in text and "lẻ lăm" not in text and "linh lăm" not in text
        assert "nhăm" not in words and "lẽ" not in words
        if n >= 1000 and n % 1000:
            assert words[2:4] == ["không", "trăm"] or words[3] != "trăm" or n % 1000 >= 100


OPTION_WORDS = [
    # (x, options, words)
    (105, {"le": True}, "một trăm lẻ năm"),
    (101, {"le": True}, "một trăm lẻ một"),
    (2005, {"le": True}, "hai nghìn không trăm lẻ năm"),
    (24, {"bon": True}, "hai mươi bốn"),
    (14, {"bon": True}, "mười bốn"),
    (124, {"bon": True}, "một trăm hai mươi bốn"),
    (104, {"bon": True}, "một trăm linh bốn"),
    (1000, {"ngan": True}, "một ngàn"),
    (760000, {"ngan": True}, "bảy trăm sáu mươi ngàn"),
    (10**12, {"ngan": True}, "một ngàn tỷ"),
    (1000005, {"name_empty_groups": True}, "một triệu không nghìn không trăm linh năm"),
    (10**9 + 1, {"name_empty_groups": True}, "một tỷ không triệu không nghìn không trăm linh một"),
    (1000000, {"name_empty_groups": True}, "một triệu"),          # trailing groups are never named
    (1_000_005_000, {"name_empty_groups": True}, "một tỷ không triệu không trăm linh năm nghìn"),
    (2024, {"le": True, "bon": True, "ngan": True}, "hai ngàn không trăm hai mươi bốn"),
    (1_000_104, {"le": True, "bon": True, "ngan": True, "name_empty_groups": True},
     "một triệu không ngàn một trăm lẻ bốn"),
]


@pytest.mark.parametrize("x, options, words", OPTION_WORDS)
def test_number_to_words_options(x, options, words):
    assert number_to_words(x, **options) == words
    assert words_to_number(words) == x


def test_number_to_words_accepts_vietnamese_number_text():
    assert number_to_words("2.530.000") == "hai triệu năm trăm ba mươi nghìn"
    assert number_to_words("12,5") == "mười hai phẩy năm"


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), True])
def test_number_to_words_rejects_non_numbers(bad):
    with pytest.raises((ValueError, TypeError)):
        number_to_words(bad)


# ---------------------------------------------------------------------------------------------------
# num2words: the stock Vietnamese converter is wrong; ours replaces it only when asked (install_num2words)


@pytest.fixture
def corrected_num2words():
    from docgen.vietnamese import install_num2words, uninstall_num2words

    install_num2words()
    yield
    uninstall_num2words()


def test_importing_docgen_leaves_num2words_alone():
    """A fresh interpreter (the one running the tests): importing and using docgen does not touch num2words."""
    code = ("import num2words, docgen, docgen.vietnamese as vn; "
            "from docgen.build import validate, demo_workbook; validate(demo_workbook()); "
            "print(type(num2words.CONVERTER_CLASSES['vi']).__name__, vn.number_to_words(2024))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.split(maxsplit=1) == ["Num2Word_VI", "hai nghìn không trăm hai mươi tư\n"]


def test_uninstall_gives_the_stock_converter_back():
    from num2words import CONVERTER_CLASSES, num2words
    from docgen.vietnamese import install_num2words, uninstall_num2words

    stock = CONVERTER_CLASSES["vi"]
    install_num2words()
    install_num2words()                      # twice: still one layer
    assert num2words(2024, lang="vi") == "hai nghìn không trăm hai mươi tư"
    uninstall_num2words()
    assert CONVERTER_CLASSES["vi"] is stock

STOCK_WRONG = [
    (1001, "một nghìn không trăm linh một"),
    (1010, "một nghìn không trăm mười"),
    (2024, "hai nghìn không trăm hai mươi tư"),
    (10005, "mười nghìn không trăm linh năm"),
    (1000005, "một triệu không trăm linh năm"),
    (10**9 + 1, "một tỷ không trăm linh một"),
    (10**15, "một triệu tỷ"),
    (10**18, "một tỷ tỷ"),
    (12.5, "mười hai phẩy năm"),
    (3.05, "ba phẩy không năm"),
    (3.005, "ba phẩy không không năm"),
    (0.5, "không phẩy năm"),
    (-5, "âm năm"),
    (-2024, "âm hai nghìn không trăm hai mươi tư"),
    (24, "hai mươi tư"),
    (101, "một trăm linh một"),
]


def _stock(x):
    from num2words.lang_VI import Num2Word_VI

    try:
        return Num2Word_VI().to_cardinal(x)
    except Exception as exc:  # the stock converter crashes on some inputs (-2024)
        return f"<{type(exc).__name__}>"


@pytest.mark.parametrize("x, words", STOCK_WRONG)
def test_stock_num2words_is_wrong_and_ours_is_installed(x, words, corrected_num2words):
    from num2words import num2words

    assert number_to_words(x) == words
    assert _stock(x) != words
    assert num2words(x, lang="vi") == words
    assert num2words(x, lang="vi_VN") == words


def test_num2words_other_entry_points(corrected_num2words):
    from num2words import CONVERTER_CLASSES, num2words

    assert isinstance(CONVERTER_CLASSES["vi"], __import__("num2words.lang_VI").lang_VI.Num2Word_VI)
    assert num2words("2024", lang="vi") == "hai nghìn không trăm hai mươi tư"
    assert num2words(1, lang="vi", to="ordinal") == "thứ nhất"
    assert num2words(4, lang="vi", to="ordinal") == "thứ tư"
    assert num2words(2, lang="vi", to="ordinal") == "thứ hai"
    assert num2words(2024, lang="vi", to="year") == "hai nghìn không trăm hai mươi tư"
    assert num2words(760000, lang="vi", to="currency") == "Bảy trăm sáu mươi nghìn đồng"
    assert num2words(105, lang="vi", le=True) == "một trăm lẻ năm"


# ---------------------------------------------------------------------------------------------------
# words → number

VARIANTS = [
    ("một trăm lẻ năm", 105),
    ("một trăm linh năm", 105),
    ("một trăm linh tư", 104),
    ("hai mươi bốn", 24),
    ("hai mươi tư", 24),
    ("hai mươi năm", 25),
    ("hai mươi lăm", 25),
    ("mười năm", 15),
    ("hai mươi một", 21),
    ("hai mươi mốt", 21),
    ("hai mười mốt", 21),                               # "mười" for "mươi"
    ("mươi lăm", 15),                                   # "mươi" for "mười"
    ("một ngàn", 1000),
    ("hai ngàn không trăm hai mươi tư", 2024),
    ("hai nghìn linh năm", 2005),                       # short form without "không trăm"
    ("một nghìn lẻ mười", 1010),                        # num2words' old output
    ("hai nghìn lẻ hai mươi bốn", 2024),
    ("một triệu không nghìn không trăm linh năm", 1000005),
    ("ba tỉ", 3 * 10**9),
    ("một nghìn tỷ", 10**12),
    ("một tỷ tỷ", 10**18),
    ("Bảy trăm sáu mươi nghìn đồng", 760000),
    ("Bảy trăm sáu mươi nghìn đồng chẵn", 760000),
    ("BẢY TRĂM SÁU MƯƠI NGHÌN ĐỒNG./.", 760000),
    ("  hai   trăm  ", 200),
    ("âm mười hai phẩy năm", Decimal("-12.5")),
    ("ba phẩy không năm", Decimal("3.05")),
    ("mười hai phẩy năm mươi", Decimal("12.50")),
    ("không phẩy hai mươi lăm", Decimal("0.25")),
    ("không", 0),
    ("bẩy", 7),
    ("một trăm hai mươi ba tỷ bốn trăm năm mươi sáu triệu bảy trăm tám mươi chín nghìn không trăm mười hai",
     123_456_789_012),
    (unicodedata.normalize("NFD", "hai nghìn không trăm hai mươi tư"), 2024),
]


@pytest.mark.parametrize("text, value", VARIANTS)
def test_words_to_number_accepts_variants(text, value):
    result = words_to_number(text)
    assert result == value
    assert isinstance(result, Decimal if "phẩy" in text else int)


@pytest.mark.parametrize("garbage", [
    "", "   ", "đồng", "xin chào", "hai con mèo", "trăm", "nghìn", "tỷ", "một trăm năm",
    "một nghìn nghìn", "linh", "hai phẩy", "phẩy phẩy", "một phẩy hai phẩy ba", "một trăm lẽ năm",
    "mười mười", "hai triệu một triệu", "một nghìn hai triệu", "âm", "năm sáu",
])
def test_words_to_number_rejects_garbage_in_vietnamese(garbage):
    with pytest.raises(ValueError) as exc:
        words_to_number(garbage)
    assert "Không đọc được số bằng chữ" in str(exc.value)


OPTION_COMBOS = [dict(le=a, bon=b, ngan=c, name_empty_groups=d)
                 for a in (False, True) for b in (False, True) for c in (False, True) for d in (False, True)]


@settings(max_examples=400, deadline=None)
@given(st.integers(min_value=-10**18, max_value=10**18))
def test_round_trip_default(n):
    assert words_to_number(number_to_words(n)) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-10**18, max_value=10**18), st.sampled_from(OPTION_COMBOS))
def test_round_trip_every_option_combination(n, options):
    assert words_to_number(number_to_words(n, **options)) == n


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(OPTION_COMBOS))
def test_round_trip_small_numbers_and_money(n, options):
    assert words_to_number(money_to_words(n, chan=bool(n % 2), **options)) == n


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False, allow_infinity=False))
def test_round_trip_decimals(d):
    assert words_to_number(number_to_words(d)) == d


# ---------------------------------------------------------------------------------------------------
# money, counts, formats

@pytest.mark.parametrize("amount, chan, text", [
    (760000, False, "Bảy trăm sáu mươi nghìn đồng"),
    (760000, True, "Bảy trăm sáu mươi nghìn đồng chẵn"),
    (2530000, False, "Hai triệu năm trăm ba mươi nghìn đồng"),
    (1500, False, "Một nghìn năm trăm đồng"),
    ("1.000.005", False, "Một triệu không trăm linh năm đồng"),
    (0, False, "Không đồng"),
])
def test_money_to_words(amount, chan, text):
    assert money_to_words(amount, chan=chan) == text


def test_money_to_words_options():
    assert money_to_words(1024000, ngan=True, bon=True) == "Một triệu không trăm hai mươi bốn ngàn đồng"


@pytest.mark.parametrize("n, text", [
    (0, "0"), (5, "5"), (999, "999"), (1000, "1.000"), (2530000, "2.530.000"), (-2530000, "-2.530.000"),
    (12.5, "12,5"), (Decimal("12.50"), "12,5"), (1234567.25, "1.234.567,25"), (10**18, "1.000.000.000.000.000.000"),
    ("", ""), (None, ""),
])
def test_format_number(n, text):
    assert format_number(n) == text


def test_format_number_fixed_decimals_and_percent():
    assert format_number(12.5, 2) == "12,50"
    assert format_number(2.0, 0) == "2"
    assert format_percent(12.5) == "12,5%"
    assert format_percent(98.456) == "98,5%"
    assert format_percent(100) == "100%"


@pytest.mark.parametrize("text, value", [
    ("2.340.000", 2340000), ("99,2", 99.2), ("12,5%", 12.5), ("98.5", Decimal("98.5")), ("-1.000", -1000),
    ("7", 7), ("1 000", 1000),
])
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("bad", ["", "abc", "1,2,3", "12..5"])
def test_parse_number_rejects(bad):
    with pytest.raises(ValueError, match="không phải là số"):
        parse_number(bad)


def test_two_digits_and_counts():
    assert two_digits(5) == "05"
    assert two_digits(12) == "12"
    assert count_with_words(2) == "02 (hai)"
    assert count_with_words(15) == "15 (mười lăm)"
    assert count_with_words(21) == "21 (hai mươi mốt)"


# ---------------------------------------------------------------------------------------------------
# dates

@pytest.mark.parametrize("d, header, short", [
    (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026", "05/01/2026"),
    (date(2026, 2, 9), "ngày 09 tháng 02 năm 2026", "09/02/2026"),
    (date(2026, 3, 5), "ngày 05 tháng 3 năm 2026", "05/03/2026"),        # no zero for months ≥ 3
    (date(2025, 10, 1), "ngày 01 tháng 10 năm 2025", "01/10/2025"),
    (date(2025, 12, 25), "ngày 25 tháng 12 năm 2025", "25/12/2025"),
    (date(2024, 2, 29), "ngày 29 tháng 02 năm 2024", "29/02/2024"),
    (datetime(2026, 4, 10, 15, 30), "ngày 10 tháng 4 năm 2026", "10/04/2026"),
])
def test_format_date_and_short_date(d, header, short):
    assert format_date(d) == header
    assert short_date(d) == short


@pytest.mark.parametrize("text, expected", [
    ("03/04/2026", date(2026, 4, 3)),                   # day first: 3 April
    ("3/4/2026", date(2026, 4, 3)),
    ("03-04-2026", date(2026, 4, 3)),
    ("03.04.2026", date(2026, 4, 3)),
    ("2026-04-03", date(2026, 4, 3)),
    ("2026-04-03 00:00:00", date(2026, 4, 3)),
    ("ngày 5 tháng 3 năm 2026", date(2026, 3, 5)),
    ("Ngày 05 tháng 03 năm 2026", date(2026, 3, 5)),
    ("ngày 5 tháng 3 năm 2026.", date(2026, 3, 5)),
    ("Hà Nội, ngày 05 tháng 3 năm 2026", date(2026, 3, 5)),
    ("  5 / 3 / 1980 ", date(1980, 3, 5)),
    ("29/02/2024", date(2024, 2, 29)),
    (datetime(2026, 1, 5, 8, 0), date(2026, 1, 5)),
    (date(2026, 1, 5), date(2026, 1, 5)),
])
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("bad, needle", [
    ("31/02/1980", "không có ngày 31"),
    ("29/02/2023", "không có ngày 29"),
    ("2026-02-30", "không có ngày 30"),
    ("00/01/2026", "không có ngày 0"),
    ("05/13/2026", "không có tháng 13"),
    ("12/31/2026", "không có tháng 31"),                # month-first US dates are not guessed
    ("ngày 32 tháng 1 năm 2026", "không có ngày 32"),
    ("abc", "dd/mm/yyyy"),
    ("05/01/26", "dd/mm/yyyy"),
    ("05/01-2026", "dd/mm/yyyy"),
    ("", "dd/mm/yyyy"),
    (45000, "dd/mm/yyyy"),
])
def test_parse_date_rejects_with_a_clear_message(bad, needle):
    with pytest.raises(ValueError) as exc:
        parse_date(bad)
    assert "không phải là ngày" in str(exc.value) and needle in str(exc.value)


# ---------------------------------------------------------------------------------------------------
# names: tên, then tên đệm, then họ; Vietnamese alphabet; tones break ties

SORTED_NAMES = [
    "Đỗ Thị An",
    "Trần Thị An",
    "Lê Văn An",
    "Nguyễn Văn An",
    "Phạm Minh Anh",
    "Nguyễn Thị Minh Anh",
    "Bùi Tuấn Anh",
    "Hoàng Thị Ánh",
    "Đặng Văn Ân",
    "Lý Gia Bảo",
    "Đào Thị Bình",
    "Dương Văn Bình",
    "Đinh Văn Bình",
    "Trương Ngọc Châu",
    "Lưu Thị Chi",
    "Tạ Thành Công",
    "Hồ Mạnh Cường",
    "Phan Tiến Dũng",
    "Mai Đức Duy",
    "Cao Thùy Dương",
    "Kiều Văn Đạt",
    "Lâm Quốc Định",
    "Vương Minh Đức",
    "Ngô Trường Giang",
    "Đoàn Thu Hà",
    "Nguyễn Thị Hạ",
    "Võ Văn Hai",
    "Trịnh Văn Hải",
    "Đỗ Mỹ Hạnh",
    "Chu Minh Hiếu",
    "Tô Thị Hoa",
    "Nguyễn Thị Hòa",
    "Lê Huy Hoàng",
    "Phùng Văn Hùng",
    "Quách Quang Huy",
    "Đàm Thị Thu Hương",
    "Hà Duy Khánh",
    "Thái Đăng Khoa",
    "La Trung Kiên",
    "Vũ Thị Lan",
    "Nghiêm Khánh Linh",
    "Từ Hải Long",
    "Giang Văn Lộc",
    "Lương Thị Mai",
    "Bạch Công Minh",
    "Lê Thị My",
    "Trần Thị Mỹ",
    "Âu Hoài Nam",
    "Kim Thị Nga",
    "Văn Thị Kim Ngân",
    "Mạc Bảo Ngọc",
    "Hoàng Thị Nhung",
    "Cù Quỳnh Như",
    "Tống Thị Oanh",
    "Đồng Thanh Phong",
    "Diệp Hồng Phúc",
    "Ông Thị Phương",
    "Thân Văn Quang",
    "Khúc Minh Quân",
    "Viên Thị Quế",
    "Ninh Thị Quyên",
    "Lò Văn Sơn",
    "Hứa Thị Tâm",
    "Trần Văn Thanh",
    "Nguyễn Văn Thành",
    "Võ Văn Thạnh",
    "Lê Thị Thảo",
    "Đinh Quyết Thắng",
    "Trần Thị Thủy",
    "Bùi Thị Thúy",
    "Lại Văn Tiến",
    "Phí Thu Trang",
    "Hầu Quốc Trung",
    "Lục Anh Tú",
    "Huỳnh Anh Tuấn",
    "Mẫn Thanh Tùng",
    "Nông Thị Uyên",
    "Tăng Thị Vân",
    "Quan Hoàng Việt",
    "Phó Thị Vy",
    "Lã Thị Xuân",
    "Hoàng Thị Yến",
]


def test_sorted_names_fixture_is_large_and_distinct():
    assert len(SORTED_NAMES) >= 50 and len(set(SORTED_NAMES)) == len(SORTED_NAMES)


@pytest.mark.parametrize("seed", range(5))
def test_sort_names_vietnamese_order(seed):
    shuffled = SORTED_NAMES[:]
    random.Random(seed).shuffle(shuffled)
    assert sort_names(shuffled) == SORTED_NAMES
    assert sorted(shuffled, key=name_sort_key) == SORTED_NAMES


def test_python_default_order_is_wrong():
    naive = sorted(SORTED_NAMES, key=lambda n: (n.split()[-1], n))
    assert naive != SORTED_NAMES
    assert sorted(["Đạt", "Dũng", "Yến"]) == ["Dũng", "Yến", "Đạt"]          # Python puts Đ after Y
    assert sort_names(["Đạt", "Dũng", "Yến"]) == ["Dũng", "Đạt", "Yến"]


def test_tone_order_ngang_huyen_hoi_nga_sac_nang():
    assert sort_names(["Má", "Mạ", "Mã", "Mả", "Mà", "Ma"]) == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]


def test_letters_before_tones():
    assert sort_names(["Hai", "Hạ", "Hải", "Hà"]) == ["Hà", "Hạ", "Hai", "Hải"]
    assert sort_names(["Ân", "Ánh", "Anh"]) == ["Anh", "Ánh", "Ân"]            # a < â beats the tone


def test_alphabet_order():
    letters = list("aăâbcdđeêghiklmnoôơpqrstuưvxy")
    shuffled = letters[:]
    random.Random(1).shuffle(shuffled)
    assert sort_names(shuffled) == letters
    assert sort_names([c.upper() for c in shuffled]) == [c.upper() for c in letters]


def test_sort_names_on_records():
    rows = [{"ho_ten": "Trần Văn Bình"}, {"ho_ten": "Nguyễn Thị An"}]
    assert sort_names(rows) == [{"ho_ten": "Nguyễn Thị An"}, {"ho_ten": "Trần Văn Bình"}]
    assert sort_names([{"ten": "B"}, {"ten": "A"}], key="ten") == [{"ten": "A"}, {"ten": "B"}]
    assert sort_names(["", "An"]) == ["", "An"]


def test_upper_keeps_diacritics():
    assert upper("Đỗ Thị Ánh") == "ĐỖ THỊ ÁNH"
    assert upper(unicodedata.normalize("NFD", "Nguyễn Văn Ước")) == "NGUYỄN VĂN ƯỚC"
    assert upper(None) == ""


# ---------------------------------------------------------------------------------------------------
# legacy encodings

LOWER_LETTERS = [unicodedata.normalize("NFC", base + mark)
                 for base in ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u",
                              "u\u031b", "y"]
                 for mark in ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]]
LOWER_LETTERS = [c for c in LOWER_LETTERS if c not in "aeiouy"] + ["đ"]
ALL_LETTERS = LOWER_LETTERS + [c.upper() for c in LOWER_LETTERS]


def test_there_are_134_precomposed_letters():
    assert len(ALL_LETTERS) == 134 and all(len(c) == 1 for c in ALL_LETTERS)


def tcvn3_encode(text: str) -> str:
    """Unicode → TCVN3 (as cp1252 characters); toned capitals have no code: use an "H" font."""
    table = {u: b for b, u in vn.TCVN3_TO_UNICODE.items()}
    return "".join(table.get(c, c) for c in text)


def vni_encode(text: str) -> str:
    table: dict[str, str] = {}
    for code, letter in vn.VNI_TO_UNICODE.items():
        if letter not in table or len(code) < len(table[letter]):
            table[letter] = code
    return "".join(table.get(c, c) for c in unicodedata.normalize("NFC", text))


def test_tcvn3_table_is_complete_and_one_to_one():
    lower_and_plain_caps = LOWER_LETTERS + list("ĂÂÊÔƠƯĐ")
    assert sorted(vn.TCVN3_TO_UNICODE.values()) == sorted(lower_and_plain_caps)
    assert all(len(k) == 1 and 0xA0 <= ord(k) <= 0xFF for k in vn.TCVN3_TO_UNICODE)
    assert vn.TCVN3_TO_UNICODE["\xad"] == "ư"                                 # the soft-hyphen byte


@pytest.mark.parametrize("letter", LOWER_LETTERS + list("ĂÂÊÔƠƯĐ"))
def test_tcvn3_round_trip_every_letter(letter):
    encoded = tcvn3_encode(letter)
    assert len(encoded) == 1
    # "ý" is byte 0xFD in TCVN3 and in cp1252 alike: nothing to convert
    assert fix_legacy(encoded, ".VnTime") == (letter, None if encoded == letter else "TCVN3")


@pytest.mark.parametrize("letter", [c for c in ALL_LETTERS if c.isupper()])
def test_tcvn3_uppercase_letters_through_an_h_font(letter):
    encoded = tcvn3_encode(letter.lower())
    assert fix_legacy(encoded, ".VnTimeH") == (letter, "TCVN3")


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_vni_round_trip_every_letter(letter):
    encoded = vni_encode(letter)
    assert all(ord(c) < 256 for c in encoded)
    # "í", "ì" (and capitals) are the same single byte in VNI and cp1252: nothing to convert
    assert fix_legacy(encoded, "VNI-Times") == (letter, None if encoded == letter else "VNI-Windows")
    assert fix_legacy("x" + encoded + "x", "VNI-Times")[0] == "x" + letter + "x"


def test_vni_table_matches_the_spec_marks():
    t = vn.VNI_TO_UNICODE
    assert (t["aù"], t["aø"], t["aû"], t["aõ"], t["aï"]) == ("á", "à", "ả", "ã", "ạ")
    assert (t["aâ"], t["aá"], t["aà"], t["aå"], t["aã"], t["aä"]) == ("â", "ấ", "ầ", "ẩ", "ẫ", "ậ")
    assert (t["aê"], t["aé"], t["aè"], t["aú"], t["aü"], t["aë"]) == ("ă", "ắ", "ằ", "ẳ", "ẵ", "ặ")
    assert (t["ô"], t["ö"], t["ñ"], t["Ñ"], t["ôù"], t["öï"]) == ("ơ", "ư", "đ", "Đ", "ớ", "ự")
    assert (t["í"], t["ì"], t["æ"], t["ó"], t["ò"], t["î"], t["Î"]) == ("í", "ì", "ỉ", "ĩ", "ị", "ỵ", "Ỵ")
    assert (t["AÙ"], t["ÖÏ"], t["oôù"]) == ("Á", "Ự", "ớ")


PANGRAM = ("Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc. Viện kiểm sát nhân dân tối cao "
           "quyết định khen thưởng những người đạt thành tích xuất sắc; Trường, Ước, Ưng, Ơn, Ẩn, Ỷ, Ỹ.")


def test_round_trip_whole_text():
    assert fix_legacy(vni_encode(PANGRAM), "VNI-Helve") == (PANGRAM, "VNI-Windows")
    lower = PANGRAM.lower()
    assert fix_legacy(tcvn3_encode(lower), ".VnArial") == (lower, "TCVN3")
    assert fix_legacy(tcvn3_encode(lower), ".VnArialH") == (PANGRAM.upper(), "TCVN3")
    # and by content, without a font name
    assert fix_legacy(vni_encode(PANGRAM)) == (PANGRAM, "VNI-Windows")
    assert fix_legacy(tcvn3_encode(lower)) == (lower, "TCVN3")


@pytest.mark.parametrize("legacy, font, expected, encoding", [
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", ".VnTime", "Cộng hoà xã hội chủ nghĩa Việt Nam", "TCVN3"),
    ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", None, "Cộng hoà xã hội chủ nghĩa Việt Nam", "TCVN3"),
    ("ViÖn kiÓm s¸t nh©n d©n", ".VnTime", "Viện kiểm sát nhân dân", "TCVN3"),
    ("ViÖn kiÓm s¸t nh©n d©n", None, "Viện kiểm sát nhân dân", "TCVN3"),
    ("§éc lËp - Tù do - H¹nh phóc", None, "Độc lập - Tự do - Hạnh phúc", "TCVN3"),
    ("Tr\xadêng", ".VnTime", "Trường", "TCVN3"),                                      # soft hyphen = ư
    ("Danh s¸ch ng\xadêi ®\xadîc khen th\xadëng", None, "Danh sách người được khen thưởng", "TCVN3"),
    ("Sè 12/Q§-VKSTC", None, "Số 12/QĐ-VKSTC", "TCVN3"),
    ("NguyÔn V¨n ¦íc", ".VnTime", "Nguyễn Văn Ước", "TCVN3"),
    ("céng hoµ x· héi chñ nghÜa viÖt nam", ".VnTimeH", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TCVN3"),
    ("®éc lËp - tù do - h¹nh phóc", ".VnArialH", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC", "TCVN3"),
    ("quyÕt ®Þnh", ".VnTimeH", "QUYẾT ĐỊNH", "TCVN3"),
    ("“Tr\xadêng”", ".VnTime", "“Trường”", "TCVN3"),                                 # cp1252 quotes kept
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "VNI-Times", "Cộng hòa xã hội chủ nghĩa Việt Nam", "VNI-Windows"),
    ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", None, "Cộng hòa xã hội chủ nghĩa Việt Nam", "VNI-Windows"),
    ("Coäng hoaø xaõ hoäi chuû nghóa Vieät Nam", None, "Cộng hoà xã hội chủ nghĩa Việt Nam", "VNI-Windows"),
    ("Ñoäc laäp - Töï do - Haïnh phuùc", None, "Độc lập - Tự do - Hạnh phúc", "VNI-Windows"),
    ("Tröôøng Ñaïi hoïc", "VNI-Helve", "Trường Đại học", "VNI-Windows"),
    ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "VNI-Times", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "VNI-Windows"),
    ("ÑOÃ THÒ AÙNH", "VNI-Times", "ĐỖ THỊ ÁNH", "VNI-Windows"),
    ("NGÖÔØI ÑÖÔÏC KHEN THÖÔÛNG", None, "NGƯỜI ĐƯỢC KHEN THƯỞNG", "VNI-Windows"),
])
def test_legacy_samples(legacy, font, expected, encoding):
    assert fix_legacy(legacy, font) == (expected, encoding)
    fixed = fix_legacy(legacy, font)[0]
    assert unicodedata.is_normalized("NFC", fixed)


@pytest.mark.parametrize("western", [
    "Café crème", "Müller", "Jürgen Müller", "España", "garçon", "naïve", "Œuvre", "Crème brûlée",
    "Noël à Paris", "Señor Muñoz", "Françoise Dubois", "Grüße aus Köln", "São Paulo", "déjà vu",
    "Zoë", "Sé que sí", "El niño está aquí", "Øresund", "Ångström", "Ça va très bien", "Straße",
    "© 2024 Société Générale", "§ 3 Abs. 2", "«Bonjour»", "50 £", "½ tasse", "Mé",
])
def test_western_text_untouched(western):
    assert fix_legacy(western) == (western, None)


@pytest.mark.parametrize("text", [
    "Nguyễn Văn Ước", "Cộng hoà xã hội chủ nghĩa Việt Nam", "plain ascii", "", "12/3/2026", "Đỗ Thị Ánh",
])
def test_unicode_and_ascii_untouched(text):
    assert fix_legacy(text) == (text, None)
    assert fix_legacy(text, "Times New Roman") == (text, None)


def test_unicode_text_in_a_legacy_font_is_not_converted_again():
    assert fix_legacy("Nguyễn Văn Ước", ".VnTime") == ("Nguyễn Văn Ước", None)
    assert fix_legacy("Trường Đại học", "VNI-Times") == ("Trường Đại học", None)


def test_font_name_decides_over_content():
    # a non-legacy font: content decides (Western stays)
    assert fix_legacy("Café", "Arial") == ("Café", None)
    # a TCVN3 font: the user saw "Cafộ" on screen, so that is what the cell holds
    assert fix_legacy("Café", ".VnTime") == ("Cafộ", "TCVN3")


# ---------------------------------------------------------------------------------------------------
# slug and template filters

@pytest.mark.parametrize("text, expected", [
    ("Tỷ lệ án (%)", "ty-le-an"),
    ("Đỗ Thị Ánh", "do-thi-anh"),
    ("  Quyết định khen thưởng  ", "quyet-dinh-khen-thuong"),
    ("Đơn vị / Phòng", "don-vi-phong"),
])
def test_slug(text, expected):
    assert slug(text) == expected
    assert slug(text, sep="_") == expected.replace("-", "_")


FILTER_CASES = [
    ("so_chu", 2024, {}, "hai nghìn không trăm hai mươi tư"),
    ("so_chu", "1.000.005", {}, "một triệu không trăm linh năm"),
    ("so_chu", 105, {"le": True}, "một trăm lẻ năm"),
    ("tien_chu", 760000, {}, "Bảy trăm sáu mươi nghìn đồng"),
    ("tien_chu", "760.000", {"chan": True}, "Bảy trăm sáu mươi nghìn đồng chẵn"),
    ("so", 2530000, {}, "2.530.000"),
    ("so", "12,5", {}, "12,5"),
    ("ngay_thang", date(2026, 1, 5), {}, "ngày 05 tháng 01 năm 2026"),
    ("ngay_thang", "05/3/2026", {}, "ngày 05 tháng 3 năm 2026"),
    ("ngay", date(2025, 10, 1), {}, "01/10/2025"),
    ("ngay", "2025-10-01", {}, "01/10/2025"),
    ("in_hoa", "Đỗ Thị Ánh", {}, "ĐỖ THỊ ÁNH"),
    ("hai_chu_so", 5, {}, "05"),
    ("so_kem_chu", 3, {}, "03 (ba)"),
    ("phan_tram", 98.456, {}, "98,5%"),
]
DOCS = Path(__file__).resolve().parent.parent / "docs" / "context.md"


def _documented_filters() -> dict[str, str]:
    """Filter name → its row in the "Bộ lọc" table of docs/context.md."""
    text = DOCS.read_text(encoding="utf-8").split("## Bộ lọc", 1)[1]
    return {m.group(1): m.group(2) for m in re.finditer(r"^\| `([a-z_]+)` \|(.*)$", text, re.M)}


def test_every_filter_is_documented_and_has_a_value_test():
    tested = {case[0] for case in FILTER_CASES} | {"sap_xep_ten"}
    assert set(JINJA_FILTERS) == tested == set(_documented_filters())


def test_the_documented_filter_examples_are_what_the_filters_give():
    """Each example of the filter description (docgen/context_schema.py, printed in docs/context.md) that
    applies a filter to a number gives exactly the text it shows."""
    from docgen.context_schema import FILTERS

    checked = 0
    for name, (_, example) in FILTERS.items():
        m = re.fullmatch(r"\{\{ (-?[0-9.]+)\|(\w+) \}\} → (.+)", example)
        if m is None:
            continue
        assert m.group(2) == name
        value = float(m.group(1)) if "." in m.group(1) else int(m.group(1))
        assert JINJA_FILTERS[name](value) == m.group(3), (name, value)
        checked += 1
    assert checked >= 6


@pytest.mark.parametrize("name, value, args, expected", FILTER_CASES)
def test_jinja_filter_values(name, value, args, expected):
    assert JINJA_FILTERS[name](value, **args) == expected
    assert JINJA_FILTERS[name]("") == "" and JINJA_FILTERS[name](None) == ""


def test_sap_xep_ten_filter():
    shuffled = SORTED_NAMES[::-1]
    assert JINJA_FILTERS["sap_xep_ten"](shuffled) == SORTED_NAMES
    assert JINJA_FILTERS["sap_xep_ten"](None) == []


def test_filters_in_a_jinja_template():
    import jinja2

    env = jinja2.Environment()
    env.filters.update(JINJA_FILTERS)
    template = env.from_string(
        "{{ n | so }} ({{ n | tien_chu }}); {{ d | ngay_thang }}; {{ d | ngay }}; {{ k | hai_chu_so }} "
        "({{ k | so_chu }}); {{ ten | in_hoa }}; {% for p in ds | sap_xep_ten %}{{ p }},{% endfor %}")
    out = template.render(n=760000, d=date(2026, 1, 5), k=2, ten="Đỗ Thị Ánh",
                          ds=["Trần Văn Bình", "Đỗ Thị An", "Lê Văn Đạt"])
    assert out == ("760.000 (Bảy trăm sáu mươi nghìn đồng); ngày 05 tháng 01 năm 2026; 05/01/2026; 02 (hai); "
                   "ĐỖ THỊ ÁNH; Đỗ Thị An,Trần Văn Bình,Lê Văn Đạt,")


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(st.integers(-10**12, 10**12), st.floats(-1e9, 1e9, allow_nan=False),
                                 st.decimals(-10**6, 10**6, allow_nan=False, places=3), st.booleans()),
                       min_size=1, max_size=20),
       decimals=st.sampled_from([None, 0, 1, 2]))
def test_a_remembered_number_format_is_the_format_itself(values, decimals):
    """format_number remembers what it printed: equal numbers of another type (1, 1.0, Decimal("1.00"),
    True) each get their own answer, as the function itself gives it — or its error."""
    from docgen import vietnamese

    def outcome(f, v):
        try:
            return f(v, decimals)
        except (TypeError, ValueError) as exc:
            return type(exc)
    for v in values + values:
        assert outcome(vietnamese.format_number, v) == outcome(vietnamese._format_number, v)
