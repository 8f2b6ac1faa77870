"""What the contexts reuse across documents (per campaign within a batch, pure formatting memoised, the
accent table of ``text.strip_accents``) never changes a context: every document of every fixture gets the
same context inside a batch as made alone, two campaigns in one batch each get their own, and the accent
table answers as the NFD definition does."""
from __future__ import annotations

import copy
import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from docgen import assemble, reader, text, validation
from docgen.build import fixtures_dir

TODAY = date(2026, 5, 1)
FIXTURES = sorted(p.name for p in fixtures_dir().glob("*.xlsx"))


def _planned(name: str):
    campaign = reader.load_campaign(fixtures_dir() / name)
    _, evaluation, documents = validation.check(campaign, None, today=TODAY)
    return campaign, assemble.plan_specs(campaign, evaluation, only=documents, today=TODAY)


@pytest.mark.parametrize("name", FIXTURES)
def test_batch_contexts_equal_those_made_alone(name):
    campaign, specs = _planned(name)
    assert any(s.key == "bao-cao" for s in specs)
    alone = [repr(s.context()) for s in specs]                 # no batch: everything made afresh
    with assemble.shared_base_contexts():
        batch = [repr(s.context()) for s in specs]
        again = [repr(s.context()) for s in specs]             # the reused values are not altered by a use
    assert batch == alone
    assert again == alone


def test_two_campaigns_in_one_batch_get_their_own_answers():
    first, first_specs = _planned("vksnd-cao-bang.xlsx")
    second = copy.deepcopy(first)
    for signer in second.signers:                              # another confirming signer
        signer.full_name = "Hoàng Thị Khác"
    for award in second.past_awards:                           # other titles: other categories
        award.title = "Bằng khen của Thủ tướng Chính phủ" if "tiên tiến" in award.title else "Chiến sĩ thi đua cơ sở"
    _, evaluation, documents = validation.check(second, None, today=TODAY)
    second_specs = assemble.plan_specs(second, evaluation, only=documents, today=TODAY)
    reports = [(a, b) for a, b in zip(first_specs, second_specs) if a.key == "bao-cao"]
    alone = [(repr(a.context()), repr(b.context())) for a, b in reports]
    with assemble.shared_base_contexts():
        mixed = [(repr(a.context()), repr(b.context())) for a, b in reports]   # interleaved
    assert mixed == alone
    assert any(a != b for a, b in alone)
    signed = [b.context()["ky_xac_nhan"]["ho_ten"] for _, b in reports]
    assert set(signed) == {"Hoàng Thị Khác"}
    assert "Hoàng Thị Khác" not in {a.context()["ky_xac_nhan"]["ho_ten"] for a, _ in reports}


def test_per_campaign_value_made_once_per_campaign_in_a_batch_and_afresh_outside():
    made = []
    a, b = _planned("xa-hoa-an.xlsx")[0], _planned("xa-hoa-an.xlsx")[0]
    assert assemble.per_campaign(a, "x", lambda: made.append(1) or len(made)) == 1
    assert assemble.per_campaign(a, "x", lambda: made.append(1) or len(made)) == 2      # no batch: afresh
    with assemble.shared_base_contexts():
        values = [assemble.per_campaign(c, "x", lambda: made.append(1) or len(made)) for c in (a, b, a, b)]
    assert values == [3, 4, 3, 4]
    with assemble.shared_base_contexts():                                              # a new batch: new values
        assert assemble.per_campaign(a, "x", lambda: made.append(1) or len(made)) == 5


def test_memoised_formatting_tells_types_apart():
    assert assemble._short_date(datetime(2024, 12, 20, 8, 30)) == "20/12/2024"
    assert assemble._short_date(date(2024, 12, 20)) == "20/12/2024"
    vn = assemble.vn                            # format_number remembers its own answers
    assert vn.format_number(2530000) == "2.530.000"
    assert vn.format_number(12.5) == "12,5"
    assert vn.format_number(1.0) == vn._format_number(1.0, None)
    assert vn.format_number(1) == vn._format_number(1, None)


def test_strip_accents_agrees_with_nfd_for_every_character():
    wrong = [hex(code) for code in range(0x30000) if not 0xD800 <= code < 0xE000
             and text.strip_accents(chr(code)) != text._strip_accents_slow(chr(code))]
    assert wrong == []
    assert text.strip_accents("Đỗ Thị Ánh Tuyết – “Lao động tiên tiến”") == "Do Thi Anh Tuyet – “Lao dong tien tien”"


# Latin and Vietnamese letters, punctuation, combining marks (some with a combining class, some not), a
# spacing mark with a combining class (U+1D165), Hangul, CJK, a character the table leaves out (U+0344)
_POOL = ([chr(c) for c in range(0x20, 0x250)] + [chr(c) for c in range(0x300, 0x370)]
         + [chr(c) for c in range(0x1E00, 0x1F00)] + [chr(c) for c in range(0x2000, 0x2070)]
         + ["\U0001d165", "\u0f39", "\u3099", "\uac00", "\u4e2d", "\u0344", "\u034f", "\u0e49"])


@given(st.lists(st.sampled_from(_POOL), max_size=12).map("".join))
def test_strip_accents_agrees_with_nfd_on_mixed_text(s):
    for form in (s, unicodedata.normalize("NFC", s), unicodedata.normalize("NFD", s)):
        assert text.strip_accents(form) == text._strip_accents_slow(form)
