"""docgen.completeness: what each requested document needs and the workbook lacks.

Each rule is shown firing on a workbook a clerk could have written, with its exact message, severity and
location, and shown silent once the workbook is fixed; blocking errors stop ``docgen build``."""
from __future__ import annotations

import pytest

import docgen
from docgen.completeness import available_documents, requirements
from docgen.errors import Severity, ValidationFailed
from docgen.reader import load_campaign
from wb_helpers import MINIMAL_INFO, make_workbook

INDIVIDUALS = [
    ("STT", "Họ và tên", "Hình thức đề nghị"),
    (1, "Nguyễn Thị Lan", "Chiến sĩ thi đua cơ sở"),
    (2, "Trần Văn Bình", "Lao động tiên tiến"),
]
VOTES = [
    ("Đối tượng", "Hình thức đề nghị", "Đồng ý", "Không đồng ý"),
    ("Nguyễn Thị Lan", "Chiến sĩ thi đua cơ sở", 3, 0),
    ("Trần Văn Bình", "Lao động tiên tiến", 3, 0),
]
SIGNER_HEADER = ("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên")
COUNCIL_HEADER = ("STT", "Họ và tên", "Chức vụ", "Vai trò", "Có mặt")
INFO = MINIMAL_INFO + [
    ("Kính gửi", "Viện trưởng Viện kiểm sát nhân dân tối cao"),
    ("Cấp trình khen", "Viện kiểm sát nhân dân tối cao"),
    ("Thời gian họp", "14 giờ 00, ngày 25/9/2026"),
    ("Địa điểm họp", "Hội trường"),
    ("Thời gian kết thúc", "16 giờ 30"),
]


def _campaign(tmp_path, *, council=None, signers=None):
    sheets = {"Thông tin": INFO, "Cá nhân": INDIVIDUALS, "Biểu quyết": VOTES}
    if council is not None:
        sheets["Hội đồng"] = [COUNCIL_HEADER, *council]
    if signers is not None:
        sheets["Người ký"] = [SIGNER_HEADER, *signers]
    campaign = load_campaign(make_workbook(tmp_path / "ho-so.xlsx", sheets))
    assert campaign.problems == []
    return campaign


def _rules(problems):
    return [p.rule for p in problems]


def _only(problems, rule):
    found = [p for p in problems if p.rule == rule]
    assert len(found) == 1, [p.format() for p in problems]
    return found[0]


FULL_COUNCIL = [
    (1, "Hoàng Văn Đức", "Viện trưởng", "Chủ tịch", "Có"),
    (2, "Lê Thị Hoa", "Phó Viện trưởng", "Ủy viên", "Có"),
    (3, "Đàm Thị Mai", "Chánh Văn phòng", "Thư ký", "Có"),
]


def test_a_complete_council_raises_no_council_problem(tmp_path):
    campaign = _campaign(tmp_path, council=FULL_COUNCIL)
    assert requirements(campaign, {"bien-ban"}) == []


def test_thieu_chu_tich_when_nobody_chairs_the_meeting(tmp_path):
    council = [(1, "Hoàng Văn Đức", "Viện trưởng", "Phó Chủ tịch", "Có"), *FULL_COUNCIL[1:]]
    campaign = _campaign(tmp_path, council=council)
    problems = requirements(campaign, {"bien-ban"})
    assert _rules(problems) == ["thieu-chu-tich"]
    p = problems[0]
    assert p.format() == ('Hội đồng, cột "Vai trò": Hội đồng chưa có thành viên giữ vai trò "Chủ tịch" '
                          "(chủ trì cuộc họp).")
    assert p.severity is Severity.ERROR
    # the roles are matched as clerks type them: no case, no diacritics
    fixed = [(1, "Hoàng Văn Đức", "Viện trưởng", "CHU TICH", "Có"), *FULL_COUNCIL[1:]]
    assert requirements(_campaign(tmp_path, council=fixed), {"bien-ban"}) == []


def test_thieu_thu_ky_when_nobody_keeps_the_minutes(tmp_path):
    campaign = _campaign(tmp_path, council=FULL_COUNCIL[:2])
    p = _only(requirements(campaign, {"bien-ban"}), "thieu-thu-ky")
    assert p.message == 'Hội đồng chưa có thành viên giữ vai trò "Thư ký" (ký Biên bản).'
    assert (p.severity, p.sheet, p.column, p.row) == (Severity.ERROR, "Hội đồng", "Vai trò", None)


def test_council_with_neither_role_reports_both(tmp_path):
    council = [(1, "Hoàng Văn Đức", "Viện trưởng", "Ủy viên", "Có")]
    campaign = _campaign(tmp_path, council=council)
    assert _rules(requirements(campaign, {"bien-ban"})) == ["thieu-chu-tich", "thieu-thu-ky"]


def test_council_roles_only_matter_for_the_bien_ban(tmp_path):
    campaign = _campaign(tmp_path, council=FULL_COUNCIL[1:2], signers=[("TTr", "", "", "VIỆN TRƯỞNG", "Phạm Mỹ An")])
    assert requirements(campaign, {"to-trinh", "bao-cao"}) == []


@pytest.mark.parametrize("doc, code, name", [("to-trinh", "TTr", "Tờ trình"), ("ke-hoach", "KH", "Kế hoạch"),
                                             ("quyet-dinh", "QĐ", "Quyết định khen thưởng")])
def test_thieu_nguoi_ky_for_each_document_that_is_signed(tmp_path, doc, code, name):
    # a signer for another document does not count
    other = "BB" if code != "BB" else "KH"
    campaign = _campaign(tmp_path, signers=[(other, "", "", "VIỆN TRƯỞNG", "Phạm Mỹ An")])
    p = _only(requirements(campaign, {doc}), "thieu-nguoi-ky")
    assert p.message == f'Chưa có người ký cho {name}: thêm một dòng "{code}" ở sheet "Người ký".'
    assert (p.severity, p.sheet) == (Severity.ERROR, "Người ký")
    signed = _campaign(tmp_path, signers=[(code, "", "", "VIỆN TRƯỞNG", "Phạm Mỹ An")])
    assert "thieu-nguoi-ky" not in _rules(requirements(signed, {doc}))


def test_documents_without_a_signer_row_are_not_asked_for_one(tmp_path):
    campaign = _campaign(tmp_path, council=FULL_COUNCIL)
    assert "thieu-nguoi-ky" not in _rules(requirements(campaign, {"bien-ban", "bao-cao"}))


def test_thieu_nguoi_ky_blocks_the_build_and_writes_nothing(tmp_path):
    path = make_workbook(tmp_path / "ho-so.xlsx", {"Thông tin": INFO, "Cá nhân": INDIVIDUALS,
                                                    "Hội đồng": [COUNCIL_HEADER, *FULL_COUNCIL], "Biểu quyết": VOTES})
    with pytest.raises(ValidationFailed) as err:
        docgen.build(path, tmp_path / "out", only={"to-trinh"})
    errors = [p.format() for p in err.value.report.errors]
    assert 'Người ký: Chưa có người ký cho Tờ trình: thêm một dòng "TTr" ở sheet "Người ký".' in errors
    assert not (tmp_path / "out").exists()


def test_without_a_signer_the_document_is_skipped_with_a_warning_when_not_asked_for(tmp_path):
    campaign = _campaign(tmp_path, council=FULL_COUNCIL)
    docs, skipped = available_documents(campaign)
    assert "to-trinh" not in docs and "ke-hoach" not in docs and "bien-ban" in docs
    assert [p.message for p in skipped] == [
        'Chưa tạo Kế hoạch: sheet "Người ký" chưa có dòng cho văn bản KH.',
        'Chưa tạo Tờ trình: sheet "Người ký" chưa có dòng cho văn bản TTr.',
    ]
    assert {p.severity for p in skipped} == {Severity.WARNING}


def test_trung_nguoi_ky_warns_and_names_both_rows(tmp_path):
    signers = [
        ("TTr", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"),
        ("KH", "", "", "VIỆN TRƯỞNG", "Hoàng Văn Đức"),
        ("TTr", "", "", "VIỆN TRƯỞNG", "Hoàng Văn Đức"),
    ]
    campaign = _campaign(tmp_path, signers=signers)
    p = _only(requirements(campaign, {"to-trinh"}), "trung-nguoi-ky")
    assert p.format() == ('Người ký, dòng 4, cột "Văn bản": Văn bản TTr có hai người ký (dòng 2 và dòng 4); '
                          "docgen dùng dòng đầu tiên.")
    assert p.severity is Severity.WARNING
    # and the first row is the one used
    assert campaign.signer_for("TTr").full_name == "Phạm Mỹ An"


def test_trung_nguoi_ky_is_silent_for_one_signer_per_document(tmp_path):
    signers = [("TTr", "", "", "VIỆN TRƯỞNG", "Hoàng Văn Đức"), ("KH", "", "", "VIỆN TRƯỞNG", "Hoàng Văn Đức")]
    assert "trung-nguoi-ky" not in _rules(requirements(_campaign(tmp_path, signers=signers), {"to-trinh"}))
