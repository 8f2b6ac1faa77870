"""docgen.rules.evaluate: every rule with a passing and a failing campaign (built directly, no workbook)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import rules
from docgen.errors import Severity
from docgen.model import (
    Campaign,
    Collective,
    CouncilMember,
    Individual,
    Info,
    LegalBasis,
    Unit,
    Vote,
)
from docgen.text import fold

LDTT = "Lao động tiên tiến"
CSTD_CS = "Chiến sĩ thi đua cơ sở"
TLDXS = "Tập thể lao động xuất sắc"
TLDTT = "Tập thể lao động tiên tiến"
BK_VKSTC = "Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao"
ISSUE = date(2026, 9, 28)


# ------------------------------------------------------------------------------------------ builders

def person(name: str, award: str = LDTT, *, row: int, unit: str = "Phòng 1", birth: date | None = None,
           **kw) -> Individual:
    return Individual(full_name=name, award=award, unit=unit, row=row,
                      birth_date=birth if birth is not None else date(1980, 1, row % 28 + 1), **kw)


def group(name: str, award: str = TLDTT, *, row: int, unit: str = "", **kw) -> Collective:
    return Collective(name=name, award=award, unit=unit or name, row=row, **kw)


def council(members: int = 10, absent: int = 0) -> list[CouncilMember]:
    return [CouncilMember(full_name=f"Thành viên {i}", role="Chủ tịch" if i == 1 else "Ủy viên",
                          present=i > absent, row=i + 1) for i in range(1, members + 1)]


def rule_sheet(*pairs) -> dict:
    return {fold(label): (label, value, row) for row, (label, value) in enumerate(pairs, start=2)}


def make(collectives=(), individuals=(), *, units=(), members: int = 10, absent: int = 0, votes=None,
         yes: int | None = None, settings_=(), kind: str = "Hằng năm", year: int = 2026, issue: date | None = ISSUE,
         legal=(), deadline: date | None = None, agency: str = "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG",
         dates=None) -> Campaign:
    """A campaign; by default every candidate has a vote row with all members agreeing."""
    collectives, individuals = list(collectives), list(individuals)
    if votes is None:
        n = members if yes is None else yes
        votes = [Vote(c.display_name, c.award, n, members - n, row=i)
                 for i, c in enumerate([*collectives, *individuals], start=2)]
    info = Info(issuing_agency=agency, award_kind=kind, year=year, issue_date=issue, deadline=deadline,
                rows={"deadline": 13, "issue_date": 10}, dates=dict(dates or {}))
    return Campaign(info=info, units=list(units), collectives=collectives, individuals=individuals,
                    council=council(members, absent), votes=list(votes), rule_settings=rule_sheet(*settings_),
                    legal_bases=[LegalBasis(t, row=i) for i, t in enumerate(legal, start=2)])


def units(n: int, staff: int | None = 10, kind: str = "Phòng") -> list[Unit]:
    return [Unit(name=f"Phòng {i}", staff_count=staff, kind=kind, row=i + 1) for i in range(1, n + 1)]


def found(ev, rule: str) -> list:
    return [p for p in ev.problems if p.rule == rule]


def status(ev, name: str):
    return next(s for s in ev.statuses if s.candidate.display_name == name)


# ------------------------------------------------------------------------------------------ statuses

def test_one_status_per_candidate_collectives_first_in_sheet_order():
    ev = rules.evaluate(make([group("B", row=3), group("A", TLDXS, row=2)],
                             [person("Y", CSTD_CS, row=5), person("X", "Giấy khen", row=4)]))
    assert [s.candidate.display_name for s in ev.statuses] == ["B", "A", "Y", "X"]
    assert [s.award_category for s in ev.statuses] == ["danh_hieu", "danh_hieu", "danh_hieu", "hinh_thuc"]
    assert all(s.eligible and s.proposed and not s.reasons for s in ev.statuses)
    assert ev.problems == []
    assert isinstance(ev.rules, rules.RuleSet) and ev.rules.preset.id == "mac-dinh"


def test_unknown_documents_are_refused():
    with pytest.raises(ValueError, match="bao-cao-tai-chinh"):
        rules.evaluate(make(), documents={"bao-cao-tai-chinh"})


# ------------------------------------------------------------------------------------------ eligibility

@pytest.mark.parametrize("discipline", ["", "Không", "không có", " KHÔNG. "])
def test_no_discipline_is_eligible(discipline):
    ev = rules.evaluate(make(individuals=[person("An", row=2, discipline=discipline)]))
    assert status(ev, "An").proposed and not found(ev, "ky-luat")


@pytest.mark.parametrize("discipline", ["Khiển trách 2025", "Đang xem xét", "Cảnh cáo"])
def test_disciplined_candidate_is_not_proposed(discipline):
    ev = rules.evaluate(make([group("Phòng 9", row=4, discipline=discipline)],
                             [person("An", row=2, discipline=discipline), person("Bình", row=3)]))
    s = status(ev, "An")
    assert not s.eligible and not s.proposed and discipline in s.reasons[0]
    assert not status(ev, "Phòng 9").proposed and status(ev, "Bình").proposed
    located = {(p.sheet, p.row, p.column, p.severity) for p in found(ev, "ky-luat")}
    assert located == {("Cá nhân", 2, "Kỷ luật", Severity.WARNING), ("Tập thể", 4, "Kỷ luật", Severity.WARNING)}
    assert all(p.source for p in found(ev, "ky-luat"))


def test_ldtt_needs_six_months_of_service_in_nganh_ksnd():
    people = [person("Đủ", row=2, recruited_on=date(2026, 7, 1)),          # exactly 6 months to 31/12
              person("Thiếu", row=3, recruited_on=date(2026, 7, 2)),
              person("Cũ", row=4, recruited_on=date(2010, 9, 1)),
              person("Chưa rõ", row=5),
              person("CSTĐ mới", CSTD_CS, row=6, recruited_on=date(2026, 11, 1))]   # the rule is for LĐTT only
    ev = rules.evaluate(make(individuals=people, settings_=[("Ngành KSND", "Có")]))
    assert [s.candidate.full_name for s in ev.statuses if not s.eligible] == ["Thiếu"]
    [p] = found(ev, "chua-du-thoi-gian-cong-tac")
    assert (p.sheet, p.row, p.column) == ("Cá nhân", 3, "Ngày tuyển dụng")
    assert "02/07/2026" in p.message and "31/12/2026" in p.message and "6 tháng" in p.message
    assert "02/2024/TT-VKSTC" in p.source


def test_six_month_rule_is_off_outside_nganh_ksnd_and_follows_the_override():
    late = [person("Thiếu", row=2, recruited_on=date(2026, 9, 1))]
    assert status(rules.evaluate(make(individuals=late)), "Thiếu").proposed
    ev = rules.evaluate(make(individuals=late, settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")], kind="Chuyên đề"))
    assert not status(ev, "Thiếu").eligible
    ev = rules.evaluate(make(individuals=late, settings_=[("Ngành KSND", "Có"),
                                                          ("Số tháng công tác tối thiểu (Lao động tiên tiến)", 3)]))
    assert status(ev, "Thiếu").eligible                      # 4 months ≥ 3


def test_collective_whose_member_is_disciplined_is_flagged_for_review():
    cols = [group("Phòng 1", TLDXS, row=2), group("Phòng 2", row=3)]
    people = [person("An", row=2, unit="Phòng 1", discipline="Khiển trách"), person("Bình", row=3, unit="Phòng 2")]
    ev = rules.evaluate(make(cols, people))
    [p] = found(ev, "tap-the-co-ca-nhan-ky-luat")
    assert (p.sheet, p.row, p.column, p.severity) == ("Tập thể", 2, "Tên tập thể", Severity.WARNING)
    assert "An" in p.message and "dòng 2" in p.message
    assert status(ev, "Phòng 1").eligible                  # a warning to review, not an exclusion


def test_a_shared_parent_unit_does_not_make_every_collective_guilty():
    parent = "Viện kiểm sát nhân dân tỉnh Cao Bằng"
    cols = [group("Phòng 1", row=2, unit=parent), group("Phòng 2", row=3, unit=parent),
            group("VKSND khu vực 1", row=4, unit="Viện kiểm sát nhân dân khu vực 1")]
    people = [person("An", row=2, unit=parent, discipline="Khiển trách"),
              person("Cường", row=3, unit="Viện kiểm sát nhân dân khu vực 1", discipline="Đang xem xét")]
    ev = rules.evaluate(make(cols, people))
    assert [p.row for p in found(ev, "tap-the-co-ca-nhan-ky-luat")] == [4]   # matched through its own Đơn vị


# ------------------------------------------------------------------------------------------ council votes

@pytest.mark.parametrize("members, absent, ok", [(7, 3, False), (7, 2, True), (6, 2, True), (9, 4, False),
                                                 (3, 1, True), (3, 2, False)])
def test_quorum_is_two_thirds_of_the_members(members, absent, ok):
    ev = rules.evaluate(make(individuals=[person("An", row=2)], members=members, absent=absent, yes=members - absent))
    assert (ev.members_total, ev.members_present, ev.quorum_ok) == (members, members - absent, ok)
    problems = found(ev, "khong-du-so-thanh-vien")
    assert bool(problems) is not ok
    if problems:
        assert problems[0].is_error and problems[0].sheet == "Hội đồng" and "2/3" in problems[0].message


def test_quorum_override():
    ev = rules.evaluate(make(individuals=[person("An", row=2)], members=8, absent=3, yes=5,
                             settings_=[("Tỷ lệ thành viên có mặt tối thiểu", "3/4")]))
    assert not ev.quorum_ok and "Quy tắc" in found(ev, "khong-du-so-thanh-vien")[0].source


@pytest.mark.parametrize("award, yes, passed, text", [
    (CSTD_CS, 8, True, "≥ 80%"),              # exactly 80% with ≥ passes
    (CSTD_CS, 7, False, "≥ 80%"),
    ("Chiến sĩ thi đua toàn quốc", 9, True, "≥ 90%"),
    ("Chiến sĩ thi đua cấp bộ, ban, ngành, tỉnh", 8, False, "≥ 90%"),
    ("Cờ thi đua của ngành Kiểm sát nhân dân", 8, True, "≥ 80%"),
    (LDTT, 5, False, "> 50%"),                # exactly 50% with > fails
    (LDTT, 6, True, "> 50%"),
    ("Giấy khen", 6, True, "> 50%"),
])
def test_vote_thresholds(award, yes, passed, text):
    subject = group("Phòng 1", award, row=2) if "Cờ" in award else person("An", award, row=2)
    campaign = make([subject] if isinstance(subject, Collective) else [],
                    [subject] if isinstance(subject, Individual) else [], yes=yes)
    ev = rules.evaluate(campaign)
    s = ev.statuses[0]
    assert s.vote.passed is passed and s.vote.threshold_text == text
    assert s.vote.percent == pytest.approx(yes * 10)
    assert s.proposed is passed and s.eligible
    failing = found(ev, "khong-dat-ty-le-bieu-quyet")
    assert bool(failing) is not passed
    if failing:
        p = failing[0]
        assert p.severity is Severity.WARNING and (p.sheet, p.row, p.column) == ("Biểu quyết", 2, "Đồng ý")
        assert not s.proposed and "Không đạt tỷ lệ biểu quyết" in s.reasons[0]


def test_percentages_count_all_members_not_only_those_present():
    # 7 members, 5 present and all 5 agree: 71,4% < 80% for CSTĐ cơ sở.
    ev = rules.evaluate(make(individuals=[person("An", CSTD_CS, row=2)], members=7, absent=2, yes=5,
                             votes=[Vote("An", CSTD_CS, 5, 0, row=2)]))
    s = ev.statuses[0]
    assert (s.vote.members, s.vote.present, s.vote.passed) == (7, 5, False)
    assert s.vote.percent == pytest.approx(500 / 7)
    assert "71,43%" in found(ev, "khong-dat-ty-le-bieu-quyet")[0].message


def test_default_threshold_override():
    people = [person("An", row=2)]
    ev = rules.evaluate(make(individuals=people, yes=6, settings_=[("Ngưỡng biểu quyết mặc định (%)", "60")]))
    assert not ev.statuses[0].vote.passed                               # more than 60% needed
    ev = rules.evaluate(make(individuals=people, yes=6, settings_=[("Ngưỡng biểu quyết mặc định (%)", ">= 60")]))
    assert ev.statuses[0].vote.passed and ev.statuses[0].vote.threshold_text == "≥ 60%"


def test_more_ballots_than_members_is_an_error():
    ev = rules.evaluate(make(individuals=[person("An", row=2)], votes=[Vote("An", LDTT, 8, 3, row=2)]))
    [p] = found(ev, "phieu-vuot-so-thanh-vien")
    assert p.is_error and (p.sheet, p.row, p.column) == ("Biểu quyết", 2, "Đồng ý") and "10" in p.message


def test_candidate_without_a_vote_row():
    people = [person("An", row=2), person("Bình", CSTD_CS, row=3)]
    campaign = make(individuals=people, votes=[])
    for docs in ({"to-trinh"}, {"bien-ban"}, None):
        ev = rules.evaluate(campaign, documents=docs)
        missing = found(ev, "thieu-bieu-quyet")
        assert [(p.sheet, p.row, p.column) for p in missing] == [("Cá nhân", 2, "Họ và tên"), ("Cá nhân", 3, "Họ và tên")]
        assert all(p.is_error for p in missing) and not any(s.proposed for s in ev.statuses)
    # The Quyết định alone needs the vote only where it is mandatory (Chiến sĩ thi đua, Cờ thi đua).
    ev = rules.evaluate(campaign, documents={"quyet-dinh"})
    assert [p.row for p in found(ev, "thieu-bieu-quyet")] == [3]
    assert status(ev, "An").proposed and not status(ev, "Bình").proposed
    # The Kế hoạch and the Báo cáo thành tích are written before the council meets.
    for docs in ({"ke-hoach"}, {"bao-cao"}):
        ev = rules.evaluate(campaign, documents=docs)
        assert ev.problems == [] and all(s.proposed for s in ev.statuses)


def test_ineligible_candidates_need_no_vote():
    ev = rules.evaluate(make(individuals=[person("An", row=2, discipline="Khiển trách")], votes=[]))
    assert found(ev, "thieu-bieu-quyet") == []


def test_vote_rows_are_matched_by_name_and_award():
    people = [person("Nguyễn Văn An", LDTT, row=2), person("Nguyễn Văn An", "Giấy khen", row=3,
                                                                birth=date(1980, 1, 3))]
    votes = [Vote("NGUYEN VAN AN", "Giấy khen của Viện trưởng VKSND tỉnh Cao Bằng", 4, 6, row=2),
             Vote("nguyễn văn an", "LĐTT", 9, 1, row=3)]
    ev = rules.evaluate(make(individuals=people, votes=votes))
    assert [s.vote.yes for s in ev.statuses] == [9, 4]
    assert [s.proposed for s in ev.statuses] == [True, False]
    assert found(ev, "bieu-quyet-khac-hinh-thuc") == []


def test_vote_rows_naming_nobody_or_twice_are_warnings():
    votes = [Vote("An", LDTT, 10, 0, row=2), Vote("An", LDTT, 9, 0, row=3), Vote("Người lạ", LDTT, 10, 0, row=4),
             Vote("Bình", CSTD_CS, 10, 0, row=5)]
    ev = rules.evaluate(make(individuals=[person("An", row=2), person("Bình", row=3)], votes=votes))
    [stranger] = found(ev, "bieu-quyet-khong-co-doi-tuong")
    assert (stranger.sheet, stranger.row, stranger.column, stranger.severity) == (
        "Biểu quyết", 4, "Đối tượng", Severity.WARNING)
    assert [p.row for p in found(ev, "trung-bieu-quyet")] == [3]
    [other] = found(ev, "bieu-quyet-khac-hinh-thuc")
    assert other.row == 5 and status(ev, "Bình").vote.yes == 10


def test_votes_without_council_members():
    campaign = make(individuals=[person("An", row=2)], members=0, votes=[Vote("An", LDTT, 5, 0, row=2)])
    ev = rules.evaluate(campaign, documents={"to-trinh"})
    assert ev.statuses[0].vote is None and not ev.statuses[0].proposed and not ev.quorum_ok
    assert found(ev, "bieu-quyet-thieu-hoi-dong")[0].is_error
    assert rules.evaluate(campaign, documents={"bao-cao"}).statuses[0].proposed


def test_votes_are_not_checked_for_the_ke_hoach_alone():
    campaign = make(individuals=[person("An", row=2)], members=6, absent=4,
                    votes=[Vote("An", LDTT, 9, 9, row=2), Vote("Ai đó", LDTT, 1, 0, row=3)])
    assert rules.evaluate(campaign, documents={"ke-hoach"}).problems == []
    assert rules.evaluate(campaign, documents={"bien-ban"}).problems


@settings(max_examples=300, deadline=None)
@given(members=st.integers(1, 40), data=st.data())
def test_threshold_property(members, data):
    yes = data.draw(st.integers(0, members))
    ev = rules.evaluate(make(individuals=[person("An", CSTD_CS, row=2), person("Bình", LDTT, row=3)],
                             members=members, votes=[Vote("An", CSTD_CS, yes, 0, row=2),
                                                     Vote("Bình", LDTT, yes, 0, row=3)]))
    assert ev.statuses[0].vote.passed is (yes * 100 >= 80 * members)
    assert ev.statuses[1].vote.passed is (yes * 100 > 50 * members)


# ------------------------------------------------------------------------------------------ quotas

def test_seed_000_yearly_collective_cap_rounds_down():
    cols = [group(f"Phòng {i}", "Giấy khen", row=i + 1) for i in (1, 2)]
    ev = rules.evaluate(make(cols, units=units(12), settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")]))
    [p] = found(ev, "ty-le-tap-the")
    assert p.is_error and (p.sheet, p.row, p.column) == ("Tập thể", 3, "Hình thức đề nghị")
    assert p.message.startswith("Có 2 tập thể được đề nghị khen thưởng, vượt mức tối đa 1 (")
    assert "10% của 12 đơn vị = 1,2, làm tròn xuống thành 1" in p.message
    assert "III.5.1" in p.source
    # one collective is within the cap; rounding up allows two
    assert not found(rules.evaluate(make(cols[:1], units=units(12), settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")])),
                     "ty-le-tap-the")
    ev = rules.evaluate(make(cols, units=units(12), settings_=[("Bộ quy tắc", "vksnd-cao-bang-000"),
                                                               ("Làm tròn", "Lên")]))
    assert not found(ev, "ty-le-tap-the")


def test_seed_000_yearly_individual_cap_is_five_percent_of_staff():
    people = [person(f"Người {i}", "Giấy khen", row=i + 1) for i in range(1, 6)]
    campaign = make(individuals=people, units=units(10, staff=9), settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")])
    [p] = found(rules.evaluate(campaign), "ty-le-ca-nhan")        # 5% of 90 = 4,5 → 4
    assert p.row == 6 and "vượt mức tối đa 4" in p.message and "5% của 90 biên chế" in p.message
    campaign = make(individuals=people[:4], units=units(10, staff=9),
                    settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")])
    assert not found(rules.evaluate(campaign), "ty-le-ca-nhan")


@pytest.mark.parametrize("kind, cols, people, over", [
    ("Sơ kết", 3, 4, set()), ("Sơ kết", 4, 4, {"ty-le-tap-the"}), ("Sơ kết", 3, 5, {"ty-le-ca-nhan"}),
    ("Tổng kết", 2, 3, set()), ("Tổng kết", 3, 4, {"ty-le-tap-the", "ty-le-ca-nhan"}),
    ("Chuyên đề", 9, 9, set()),
])
def test_seed_000_fixed_caps_by_kind_of_round(kind, cols, people, over):
    campaign = make([group(f"Phòng {i}", "Giấy khen", row=i + 1) for i in range(cols)],
                    [person(f"Người {i}", "Giấy khen", row=i + 1) for i in range(people)],
                    kind=kind, settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")])
    ev = rules.evaluate(campaign)
    assert {p.rule for p in ev.problems if p.rule.startswith("ty-le")} == over


def test_only_proposed_candidates_count_towards_a_cap():
    cols = [group("Phòng 1", "Giấy khen", row=2), group("Phòng 2", "Giấy khen", row=3, discipline="Khiển trách"),
            group("Phòng 3", "Giấy khen", row=4)]
    votes = [Vote("Phòng 1", "Giấy khen", 10, 0, row=2), Vote("Phòng 3", "Giấy khen", 3, 7, row=3)]
    ev = rules.evaluate(make(cols, votes=votes, kind="Tổng kết", settings_=[("Bộ quy tắc", "vksnd-cao-bang-000"),
                                                                             ("Số tập thể tối đa", 1)]))
    assert not found(ev, "ty-le-tap-the")


def test_missing_base_for_a_percentage_is_a_warning():
    ev = rules.evaluate(make([group("Phòng 1", "Giấy khen", row=2)], settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")]))
    [p] = found(ev, "thieu-co-so-ty-le")
    assert p.severity is Severity.WARNING and "Tổng số tập thể" in p.message
    ev = rules.evaluate(make([group("Phòng 1", "Giấy khen", row=2), group("Phòng 2", "Giấy khen", row=3)],
                             settings_=[("Bộ quy tắc", "vksnd-cao-bang-000"), ("Tổng số tập thể", 15)]))
    assert "10% của 15 tập thể" in found(ev, "ty-le-tap-the")[0].message
    ev = rules.evaluate(make(individuals=[person("An", "Giấy khen", row=2)],
                             units=[*units(2), Unit("Phòng 3", None, row=4)],
                             settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")]))
    assert "1 đơn vị còn thiếu" in found(ev, "thieu-co-so-ty-le")[0].message


def test_ksnd_tldxs_cap_is_twenty_percent_of_tldtt():
    cols = [group(f"Phòng {i}", TLDXS if i <= 3 else TLDTT, row=i + 1) for i in range(1, 13)]
    ev = rules.evaluate(make(cols, settings_=[("Ngành KSND", "Có")]))
    [p] = found(ev, "ty-le-tap-the")
    assert p.message.startswith(f'Có 3 tập thể được đề nghị "{TLDXS}", vượt mức tối đa 2 (')
    assert "20% của 12 tập thể được đề nghị" in p.message and p.row == 4
    assert "02/2024/TT-VKSTC" in p.source
    # the same campaign outside ngành KSND has no such cap
    assert not found(rules.evaluate(make(cols)), "ty-le-tap-the")


@pytest.mark.parametrize("xs, tt, over", [(1, 2, False), (2, 1, True), (1, 0, False), (2, 8, False), (3, 8, True)])
def test_ksnd_tldxs_cap_is_at_least_one(xs, tt, over):
    cols = [group(f"X{i}", TLDXS, row=i + 2) for i in range(xs)] + [group(f"T{i}", TLDTT, row=i + 20) for i in range(tt)]
    ev = rules.evaluate(make(cols, settings_=[("Ngành KSND", "Có")]))
    assert bool(found(ev, "ty-le-tap-the")) is over


def test_tldxs_base_override():
    cols = [group(f"X{i}", TLDXS, row=i + 2) for i in range(3)]
    ev = rules.evaluate(make(cols, settings_=[("Ngành KSND", "Có"), ("Số tập thể đạt Tập thể lao động tiên tiến", 15)]))
    assert not found(ev, "ty-le-tap-the")                             # 20% of 15 = 3


VKSTC_UNITS = [
    Unit("Viện kiểm sát nhân dân tỉnh Cao Bằng", 145, "VKSND tỉnh", row=2),
    Unit("Viện kiểm sát nhân dân tỉnh Nghệ An", 300, "VKSND tỉnh", row=3),
    Unit("Viện kiểm sát nhân dân tỉnh Lâm Đồng", 500, "VKSND tỉnh", row=4),
    Unit("Viện kiểm sát nhân dân thành phố Hà Nội", 501, "VKSND tỉnh", row=5),
    Unit("Cục Thống kê tội phạm và chuyển đổi số", 60, "Đơn vị thuộc VKSND tối cao", row=6),
    Unit("Văn phòng VKSND tối cao", 150, "Đơn vị thuộc VKSND tối cao", row=7),
    *[Unit(f"Vụ {i}", 30, "Đơn vị thuộc VKSND tối cao", row=7 + i) for i in range(1, 5)],
]


@pytest.mark.parametrize("unit, allowed", [
    ("Viện kiểm sát nhân dân tỉnh Cao Bằng", 3),       # < 300
    ("Viện kiểm sát nhân dân tỉnh Nghệ An", 5),        # 300
    ("Viện kiểm sát nhân dân tỉnh Lâm Đồng", 5),       # 500
    ("Viện kiểm sát nhân dân thành phố Hà Nội", 8),    # > 500
    ("Cục Thống kê tội phạm và chuyển đổi số", 1),     # a unit of VKSND tối cao
])
def test_seed_004_individual_caps_per_unit(unit, allowed):
    def campaign(n):
        people = [person(f"Người {i}", BK_VKSTC, row=i + 2, unit=unit) for i in range(n)]
        return make(individuals=people, units=VKSTC_UNITS, kind="Chuyên đề",
                    agency="VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO", issue=date(2026, 6, 1),
                    settings_=[("Bộ quy tắc", "vkstc-251-2025")])

    assert not found(rules.evaluate(campaign(allowed)), "ty-le-ca-nhan")
    [p] = found(rules.evaluate(campaign(allowed + 1)), "ty-le-ca-nhan")
    assert f"vượt mức tối đa {allowed} " in p.message and unit in p.message and "IV.5.2" in p.source
    assert p.row == allowed + 2


def test_seed_004_collective_cap_is_ten_percent_of_units():
    cols = [group(u.name, BK_VKSTC, row=i + 2) for i, u in enumerate(VKSTC_UNITS[:2])]
    cols.append(group("Phòng 1", "Giấy khen", row=9))                 # Giấy khen is not capped
    ev = rules.evaluate(make(cols, units=VKSTC_UNITS, kind="Chuyên đề", issue=date(2026, 6, 1),
                             settings_=[("Bộ quy tắc", "vkstc-251-2025")]))
    [p] = found(ev, "ty-le-tap-the")
    assert f'"{BK_VKSTC}", vượt mức tối đa 1' in p.message and "10% của 10 đơn vị" in p.message


def test_seed_004_provincial_workbook_counts_the_whole_agency():
    # A VKSND tỉnh lists its phòng in "Đơn vị": the cá nhân cap follows the agency's total biên chế (85 < 300 → 3).
    people = [person(f"Người {i}", BK_VKSTC, row=i + 2, unit=f"Phòng {i % 3 + 1}") for i in range(4)]
    campaign = make(individuals=people, units=units(5, staff=17), kind="Chuyên đề", issue=date(2026, 6, 1),
                    settings_=[("Bộ quy tắc", "vkstc-251-2025")])
    [p] = found(rules.evaluate(campaign), "ty-le-ca-nhan")
    assert "vượt mức tối đa 3" in p.message and "85 biên chế" in p.message and "TỈNH CAO BẰNG" in p.message
    campaign.units = units(5, staff=None)
    [w] = found(rules.evaluate(campaign), "thieu-co-so-ty-le")
    assert "Số biên chế" in w.message


def test_count_override_replaces_the_tiers():
    people = [person(f"Người {i}", BK_VKSTC, row=i + 2, unit="Cục Thống kê tội phạm và chuyển đổi số") for i in range(2)]
    ev = rules.evaluate(make(individuals=people, units=VKSTC_UNITS, kind="Chuyên đề", issue=date(2026, 6, 1),
                             settings_=[("Bộ quy tắc", "vkstc-251-2025"), ("Số cá nhân tối đa", 2)]))
    assert not found(ev, "ty-le-ca-nhan")


def test_quotas_are_not_checked_for_the_bao_cao_alone():
    cols = [group(f"Phòng {i}", "Giấy khen", row=i + 1) for i in range(5)]
    campaign = make(cols, kind="Tổng kết", settings_=[("Bộ quy tắc", "vksnd-cao-bang-000")])
    assert not found(rules.evaluate(campaign, documents={"bao-cao"}), "ty-le-tap-the")
    assert found(rules.evaluate(campaign, documents={"quyet-dinh"}), "ty-le-tap-the")


@settings(max_examples=100, deadline=None)
@given(n_units=st.integers(1, 60), proposed=st.integers(1, 12))
def test_percentage_cap_property(n_units, proposed):
    cols = [group(f"Phòng {i}", "Giấy khen", row=i + 2) for i in range(proposed)]
    ev = rules.evaluate(make(cols, units=units(n_units), settings_=[("Tỷ lệ tập thể tối đa (%)", 10)]))
    assert bool(found(ev, "ty-le-tap-the")) is (proposed > n_units * 10 // 100)


# ------------------------------------------------------------------------------------------ duplicates, units

def test_same_person_twice_is_an_error_at_the_second_row():
    people = [person("Nguyễn Văn An", row=2, birth=date(1980, 5, 1)),
              person("NGUYEN VAN AN", "LĐTT", row=5, birth=date(1980, 5, 1))]
    [p] = found(rules.evaluate(make(individuals=people)), "trung-ca-nhan")
    assert p.is_error and (p.sheet, p.row, p.column) == ("Cá nhân", 5, "Họ và tên") and "dòng 2" in p.message


def test_namesakes_and_second_awards():
    people = [person("An", row=2, birth=date(1980, 5, 1)), person("An", row=3, birth=date(1991, 2, 2)),
              person("An", "Giấy khen", row=4, birth=date(1980, 5, 1)), person("An", row=6, birth=None)]
    people[3].birth_date = None
    ev = rules.evaluate(make(individuals=people, votes=[Vote("An", LDTT, 10, 0, 2), Vote("An", LDTT, 10, 0, 3),
                                                        Vote("An", "Giấy khen", 10, 0, 4), Vote("An", LDTT, 10, 0, 5)]))
    assert not found(ev, "trung-ca-nhan")
    [two] = found(ev, "nhieu-hinh-thuc")
    assert two.row == 4 and two.severity is Severity.WARNING
    maybe = found(ev, "co-the-trung")
    assert {p.row for p in maybe} == {6} and all(p.column == "Ngày sinh" for p in maybe)


def test_same_collective_twice():
    cols = [group("Phòng 1", row=2), group("phong 1", row=3), group("Phòng 1", "Giấy khen", row=4)]
    ev = rules.evaluate(make(cols, votes=[Vote("Phòng 1", TLDTT, 10, 0, 2), Vote("Phòng 1", TLDTT, 10, 0, 3),
                                          Vote("Phòng 1", "Giấy khen", 10, 0, 4)]))
    assert [p.row for p in found(ev, "trung-tap-the")] == [3]
    assert [p.row for p in found(ev, "nhieu-hinh-thuc")] == [4, 4]


def test_units_not_in_the_units_sheet():
    people = [person("An", row=2, unit="Phòng 1"), person("Bình", row=3, unit="Phòng Không Có"),
              person("Chi", row=4, unit="VKSND tỉnh Cao Bằng"), person("Dũng", row=5, unit="")]
    cols = [group("Tổ công tác", row=2, unit="Phòng 9")]
    ev = rules.evaluate(make(cols, people, units=units(2)))
    located = [(p.sheet, p.row, p.column, p.severity) for p in found(ev, "don-vi-khong-co")]
    assert located == [("Tập thể", 2, "Đơn vị", Severity.WARNING), ("Cá nhân", 3, "Đơn vị", Severity.WARNING)]
    assert not found(rules.evaluate(make(cols, people)), "don-vi-khong-co")       # no Đơn vị sheet: skipped


def test_award_outside_the_catalogue_or_for_the_wrong_subject():
    people = [person("An", "Bằng khen của Giám đốc công an", row=2), person("Bình", TLDXS, row=3)]
    ev = rules.evaluate(make(individuals=people))
    [unknown] = found(ev, "hinh-thuc-khong-ro")
    assert unknown.severity is Severity.WARNING and (unknown.row, unknown.column) == (2, "Hình thức đề nghị")
    [wrong] = found(ev, "hinh-thuc-sai-doi-tuong")
    assert wrong.is_error and wrong.row == 3
    assert status(ev, "An").award_category == "" and status(ev, "An").proposed
    assert not status(ev, "Bình").eligible


# ------------------------------------------------------------------------------------------ deadline, căn cứ

def test_past_deadline_is_a_warning():
    late = rules.evaluate(make(individuals=[person("An", row=2)], deadline=date(2026, 9, 27)))
    [p] = found(late, "qua-han-nop")
    assert p.severity is Severity.WARNING and (p.sheet, p.row) == ("Thông tin", 13) and "27/09/2026" in p.message
    assert not found(rules.evaluate(make(individuals=[person("An", row=2)], deadline=ISSUE)), "qua-han-nop")
    assert not found(rules.evaluate(make(individuals=[person("An", row=2)], deadline=date(2026, 9, 27)),
                                    documents={"ke-hoach"}), "qua-han-nop")


def test_deadline_of_preset_004_and_today():
    def ev(issue, today=None):
        campaign = make(individuals=[person("An", row=2)], issue=issue, kind="Chuyên đề",
                        settings_=[("Bộ quy tắc", "vkstc-251-2025")])
        return rules.evaluate(campaign, today=today)

    assert not found(ev(date(2026, 6, 30)), "qua-han-nop")
    [p] = found(ev(date(2026, 7, 1)), "qua-han-nop")
    assert "30/06/2026" in p.message and "251/KH-VKSTC" in p.source
    assert found(ev(None, today=date(2026, 7, 2)), "qua-han-nop")
    assert not found(ev(None, today=date(2026, 6, 2)), "qua-han-nop")


def test_the_to_trinh_date_decides_the_deadline():
    campaign = make(individuals=[person("An", row=2)], issue=date(2026, 6, 1), deadline=date(2026, 6, 30),
                    dates={"TTr": date(2026, 7, 3)})
    [p] = found(rules.evaluate(campaign, documents={"to-trinh"}), "qua-han-nop")
    assert "Tờ trình" in p.message and "03/07/2026" in p.message


ND98 = "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31/12/2023 của Chính phủ quy định chi tiết thi hành một số điều"


def test_superseded_legal_basis_names_its_replacement():
    campaign = make(legal=["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", ND98],
                    issue=date(2025, 7, 1))
    [p] = found(rules.evaluate(campaign), "can-cu-het-hieu-luc")
    assert (p.sheet, p.row, p.column, p.severity) == ("Căn cứ", 3, "Căn cứ", Severity.WARNING)
    assert "01/07/2025" in p.message and "thay bằng Nghị định 152/2025/NĐ-CP" in p.message
    assert "152/2025/NĐ-CP" in p.source
    campaign.info.issue_date = date(2025, 6, 30)
    assert not found(rules.evaluate(campaign), "can-cu-het-hieu-luc")


@pytest.mark.parametrize("line, issue, rule", [
    ("Căn cứ Thông tư số 01/2019/TT-VKSTC", date(2024, 10, 1), "can-cu-het-hieu-luc"),
    ("Căn cứ Thông tư số 01/2019/TT-VKSTC", date(2024, 9, 30), None),
    ("Căn cứ Thông tư số 01/2024/TT-BNV", date(2025, 8, 15), "can-cu-het-hieu-luc"),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng số 06/2026/QH16", date(2026, 9, 30),
     "can-cu-chua-hieu-luc"),
    ("Căn cứ Luật sửa đổi, bổ sung một số điều của Luật Thi đua, khen thưởng số 06/2026/QH16", date(2026, 10, 1),
     None),
    ("Căn cứ Kế hoạch số 129/KH-VKSTC ngày 23/6/2025", date(2026, 1, 1), None),
])
def test_legal_basis_validity(line, issue, rule):
    ev = rules.evaluate(make(legal=[line], issue=issue))
    assert [p.rule for p in ev.problems] == ([rule] if rule else [])


def test_each_document_is_checked_against_its_own_date():
    campaign = make(legal=[ND98], issue=None, dates={"KH": date(2025, 3, 1), "TTr": date(2025, 9, 1)})
    assert not found(rules.evaluate(campaign, documents={"ke-hoach"}, today=date(2026, 1, 1)), "can-cu-het-hieu-luc")
    [p] = found(rules.evaluate(campaign, documents={"ke-hoach", "to-trinh"}, today=date(2026, 1, 1)),
                "can-cu-het-hieu-luc")
    assert "Tờ trình ban hành ngày 01/09/2025" in p.message
    assert not found(rules.evaluate(campaign, documents={"bao-cao"}), "can-cu-het-hieu-luc")


# ------------------------------------------------------------------------------------------ ranking

def metric_units(values, header="Tỷ lệ án toàn trình (%)") -> list[Unit]:
    key = "ty_le_an_toan_trinh" if "toàn trình" in header else "diem"
    return [Unit(f"Đơn vị {i}", 10, "VKSND tỉnh", row=i + 1, extra={key: v}, extra_labels={key: header})
            for i, v in enumerate(values, start=1)]


def test_ranking_by_metric_with_ties_priority_and_missing_values():
    us = metric_units([97.5, 99.2, None, "98", 99.2, "n/a"])
    ev = rules.evaluate(make(units=us, kind="Chuyên đề", issue=date(2026, 6, 1),
                             settings_=[("Bộ quy tắc", "vkstc-251-2025")]))
    assert ev.ranking_metric == "Tỷ lệ án toàn trình (%)"
    assert [(r.unit.name, r.value, r.rank, r.priority) for r in ev.ranking] == [
        ("Đơn vị 2", 99.2, 1, True), ("Đơn vị 5", 99.2, 1, True), ("Đơn vị 4", 98.0, 3, True),
        ("Đơn vị 1", 97.5, 4, False), ("Đơn vị 3", None, 5, False), ("Đơn vị 6", None, 5, False)]
    [bad] = found(ev, "xep-hang-gia-tri")
    assert (bad.sheet, bad.row, bad.column) == ("Đơn vị", 7, "Tỷ lệ án toàn trình (%)")


def test_ranking_reads_percent_formatted_cells():
    ev = rules.evaluate(make(units=metric_units([0.985, 0.97]), kind="Chuyên đề", issue=date(2026, 6, 1),
                             settings_=[("Bộ quy tắc", "vkstc-251-2025")]))
    assert [(r.value, r.priority) for r in ev.ranking] == [(pytest.approx(98.5), True), (pytest.approx(97.0), False)]


def test_ranking_column_and_priority_from_the_rules_sheet():
    us = metric_units([7, 9, 8], header="Điểm")
    ev = rules.evaluate(make(units=us, settings_=[("Cột xếp hạng", "điểm"), ("Ngưỡng ưu tiên xếp hạng (%)", 8)]))
    assert [(r.unit.name, r.priority) for r in ev.ranking] == [("Đơn vị 2", True), ("Đơn vị 3", True),
                                                                ("Đơn vị 1", False)]
    assert rules.evaluate(make(units=us)).ranking == []                     # mac-dinh ranks nothing


def test_missing_ranking_column_is_a_warning():
    ev = rules.evaluate(make(units=units(3), settings_=[("Cột xếp hạng", "Điểm thi đua")]))
    [p] = found(ev, "xep-hang-thieu-cot")
    assert (p.sheet, p.row, p.column) == ("Quy tắc", 2, "Giá trị") and ev.ranking == []


# ------------------------------------------------------------------------------------------ prize money

def test_prize_follows_the_base_salary_on_the_decision_date():
    people = [person("An", row=2), person("Bình", row=3, discipline="Khiển trách")]
    ev = rules.evaluate(make(individuals=people, issue=date(2026, 6, 30)))
    assert [s.prize for s in ev.statuses] == [710_000, None]
    ev = rules.evaluate(make(individuals=people, issue=date(2026, 6, 30),
                             settings_=[("Ngày quyết định", date(2026, 7, 1))]))
    assert ev.statuses[0].prize == 760_000
    ev = rules.evaluate(make(individuals=people, issue=date(2026, 6, 1), dates={"QĐ": date(2026, 7, 1)}))
    assert ev.statuses[0].prize == 760_000


def test_no_decision_date_no_prize_unless_the_quyet_dinh_is_built():
    campaign = make(individuals=[person("An", row=2)], issue=None)
    assert rules.evaluate(campaign, documents={"to-trinh"}, today=date(2026, 7, 1)).statuses[0].prize is None
    assert rules.evaluate(campaign, documents={"quyet-dinh"}, today=date(2026, 7, 1)).statuses[0].prize == 760_000


def test_conflicting_decision_dates_warn_and_the_quyet_dinh_date_wins():
    ev = rules.evaluate(make(individuals=[person("An", row=2)], issue=date(2026, 6, 1), dates={"QĐ": date(2026, 6, 30)},
                             settings_=[("Ngày quyết định", date(2026, 7, 1))]))
    assert ev.statuses[0].prize == 710_000
    [p] = found(ev, "ngay-quyet-dinh-khac")
    assert (p.sheet, p.row) == ("Quy tắc", 2)


def test_award_without_coefficient_is_reported_for_the_quyet_dinh():
    campaign = make(individuals=[person("An", "Huân chương Lao động hạng Ba", row=2)])
    ev = rules.evaluate(campaign, documents={"quyet-dinh"})
    assert ev.statuses[0].proposed and ev.statuses[0].prize is None
    [p] = found(ev, "thieu-he-so-tien-thuong")
    assert p.severity is Severity.WARNING and (p.sheet, p.row, p.column) == ("Cá nhân", 2, "Hình thức đề nghị")
    assert not found(rules.evaluate(campaign, documents={"to-trinh"}), "thieu-he-so-tien-thuong")


# ------------------------------------------------------------------------------------------ a whole round

def test_cao_bang_round_of_seed_000():
    """A yearly round of VKSND tỉnh Cao Bằng under preset 000 (12 units, 85 biên chế)."""
    us = [Unit(f"Phòng {i}", 7, "Phòng", row=i + 1) for i in range(1, 12)] + [Unit("Văn phòng", 8, "Phòng", row=13)]
    cols = [group("Văn phòng", TLDXS, row=2), group("Phòng 1", row=3)]
    people = [person("Nông Thị Hồng Nhung", CSTD_CS, row=2, unit="Phòng 1", recruited_on=date(2009, 9, 1)),
              person("Lương Văn Thắng", LDTT, row=3, unit="Phòng 2", recruited_on=date(2003, 3, 15)),
              person("Đàm Thị Thu Hà", LDTT, row=4, unit="Văn phòng", recruited_on=date(2026, 8, 1)),
              person("Ma Văn Khánh", LDTT, row=5, unit="Phòng 3", discipline="Khiển trách năm 2026"),
              person("Triệu Thị Mai", CSTD_CS, row=6, unit="Phòng 4")]
    votes = [Vote("Văn phòng", TLDXS, 6, 1, 2), Vote("Phòng 1", TLDTT, 6, 1, 3),
             Vote("Nông Thị Hồng Nhung", CSTD_CS, 6, 1, 4), Vote("Lương Văn Thắng", LDTT, 6, 1, 5),
             Vote("Đàm Thị Thu Hà", LDTT, 6, 1, 6), Vote("Ma Văn Khánh", LDTT, 5, 2, 7),
             Vote("Triệu Thị Mai", CSTD_CS, 5, 2, 8)]
    campaign = make(cols, people, units=us, members=7, absent=1, votes=votes, issue=date(2026, 12, 20),
                    deadline=date(2026, 12, 25), legal=["Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"],
                    settings_=[("Bộ quy tắc", "VKSND tỉnh Cao Bằng - Cả nước thi đua đổi mới sáng tạo và chuyển "
                                              "đổi số")])
    ev = rules.evaluate(campaign)
    assert ev.quorum_ok and (ev.members_total, ev.members_present) == (7, 6)
    assert [(s.candidate.display_name, s.proposed) for s in ev.statuses] == [
        ("Văn phòng", True), ("Phòng 1", True), ("Nông Thị Hồng Nhung", True), ("Lương Văn Thắng", True),
        ("Đàm Thị Thu Hà", False), ("Ma Văn Khánh", False), ("Triệu Thị Mai", False)]
    assert [s.prize for s in ev.statuses[:4]] == [3_800_000, 2_030_000, 2_530_000, 760_000]
    rule_codes = sorted(p.rule for p in ev.problems)
    # 2 collectives > 10% of 12 units (1); TLĐXS 1 ≤ max(20% of 2, 1); 2 individuals ≤ 5% of 85 (4)
    assert rule_codes == ["chua-du-thoi-gian-cong-tac", "khong-dat-ty-le-bieu-quyet", "ky-luat", "ty-le-tap-the"]
    assert not rules.evaluate(campaign, documents={"bao-cao"}).problems[0].is_error
