"""Real-data edge cases found in review: nobody proposed, signers missing the head's title, Kính gửi typed
as a list, Quyết định authority lines, awards differing only in case, file permissions, PDFs not replaced
silently."""
from __future__ import annotations

import os
import stat
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

import docgen
from docgen import assemble
from docgen.build import demo_workbook
from docgen.cli import cli
from docgen.model import Signer
from wb_helpers import MINIMAL_INFO, make_workbook

AWARD = "Giấy khen của Viện trưởng Viện kiểm sát nhân dân tỉnh"
COUNCIL = [("Họ và tên", "Vai trò", "Có mặt"), ("Hoàng Văn Đức", "Chủ tịch", "Có"), ("Mạc Văn Sơn", "Thư ký", "Có"),
           ("Lý Thị Thanh", "Ủy viên", "Có")]


def workbook(tmp: Path, *, votes=(3, 3), signers=None, addressee="Viện trưởng VKSND tối cao",
             awards=(AWARD, AWARD)) -> Path:
    info = MINIMAL_INFO + [("Kính gửi", addressee), ("Cấp trình khen", "VKSND tối cao"),
                           ("Thời gian họp", "14 giờ 00, ngày 25/9/2026."), ("Địa điểm họp", "Hội trường."),
                           ("Thời gian kết thúc", "16 giờ 00"),
                           ("Ngày ban hành", "15/12/2026"), ("Số Quyết định", "3")]
    return make_workbook(tmp / "ho-so.xlsx", {
        "Thông tin": info,
        "Cá nhân": [("Họ và tên", "Chức vụ", "Đơn vị", "Hình thức đề nghị", "Thành tích"),
                    ("Nông Thị Hồng Nhung", "Kiểm sát viên", "Phòng 1", awards[0], "Tốt"),
                    ("Lương Văn Thắng", "Trưởng phòng", "Phòng 1", awards[1], "Tốt")],
        "Hội đồng": COUNCIL,
        "Biểu quyết": [("Đối tượng", "Đồng ý", "Không đồng ý"), ("Nông Thị Hồng Nhung", votes[0], 3 - votes[0]),
                       ("Lương Văn Thắng", votes[1], 3 - votes[1])],
        "Nơi nhận": [("Văn bản", "Nơi nhận"), ("TTr", "Vụ TĐKT")],
        "Người ký": signers or [("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên"),
                                ("TTr", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An"),
                                ("QĐ", "", "VIỆN TRƯỞNG", "VIỆN TRƯỞNG", "Hoàng Văn Đức")],
    })


def test_nobody_proposed_skips_to_trinh_and_quyet_dinh_with_a_warning(tmp_path):
    wb = workbook(tmp_path, votes=(1, 0))
    result = docgen.build(wb, tmp_path / "out", today=date(2026, 12, 1))
    names = {f.name for f in result.docx_files}
    assert "to-trinh.docx" not in names and "quyet-dinh.docx" not in names
    assert "bien-ban-hop.docx" in names
    messages = [p.message for p in result.report.warnings]
    assert "Chưa tạo Tờ trình: không có tập thể, cá nhân nào đủ điều kiện và đạt tỷ lệ biểu quyết để đề nghị." \
        in messages


def test_nobody_proposed_refuses_an_explicit_to_trinh(tmp_path):
    wb = workbook(tmp_path, votes=(1, 0))
    res = CliRunner().invoke(cli, ["build", str(wb), "-o", str(tmp_path / "out"), "--only", "to-trinh"])
    assert res.exit_code == 1
    assert "Không tạo được Tờ trình: không có tập thể, cá nhân nào đủ điều kiện" in res.output
    assert not (tmp_path / "out").exists()


def test_kt_signer_without_head_title_is_an_error(tmp_path):
    signers = [("Văn bản", "Quyền hạn", "Chức vụ thủ trưởng", "Chức vụ người ký", "Họ và tên"),
               ("TTr", "KT.", "", "PHÓ VIỆN TRƯỞNG", "Phạm Mỹ An")]
    res = CliRunner().invoke(cli, ["validate", str(workbook(tmp_path, signers=signers))])
    assert res.exit_code == 1
    assert ('Người ký, dòng 2, cột "Chức vụ thủ trưởng": Người ký văn bản TTr ký "KT." nên cần "Chức vụ thủ '
            'trưởng" (ví dụ "KT. VIỆN TRƯỞNG").') in res.output


@pytest.mark.parametrize("typed,lines,kinh_trinh", [
    ("Viện trưởng VKSND tối cao.", ["Viện trưởng VKSND tối cao"], "Viện trưởng VKSND tối cao"),
    ("- Viện trưởng VKSND tối cao;\n- Vụ Thi đua - Khen thưởng.",
     ["- Viện trưởng VKSND tối cao;", "- Vụ Thi đua - Khen thưởng."], "VKSND tối cao"),
    ("Viện trưởng VKSND tối cao; Chủ tịch UBND tỉnh", ["- Viện trưởng VKSND tối cao;", "- Chủ tịch UBND tỉnh."],
     "VKSND tối cao"),
])
def test_kinh_gui_typed_in_any_way(tmp_path, typed, lines, kinh_trinh):
    campaign = docgen.load_campaign(workbook(tmp_path, addressee=typed))
    ctx = assemble.base_context(campaign, "TTr", date(2026, 12, 1))
    assert ctx["kinh_gui_ds"] == lines
    assert ctx["kinh_trinh"] == kinh_trinh


def test_kinh_gui_several_recipients_in_the_document(tmp_path):
    wb = workbook(tmp_path, addressee="Viện trưởng VKSND tối cao; Vụ Thi đua - Khen thưởng",
                  awards=("Bằng khen của Viện trưởng Viện kiểm sát nhân dân tối cao",) * 2)
    docgen.build(wb, tmp_path / "out", only={"to-trinh"}, today=date(2026, 12, 1))
    texts = [p.text for p in Document(str(tmp_path / "out" / "to-trinh.docx")).paragraphs]
    assert "Kính gửi:\t- Viện trưởng VKSND tối cao;" in texts
    assert "\t- Vụ Thi đua - Khen thưởng." in texts
    assert any("kính trình VKSND tối cao xem xét" in t for t in texts)


@pytest.mark.parametrize("signer,agency,line", [
    (Signer("QĐ", "", "VIỆN TRƯỞNG", "VIỆN TRƯỞNG", "A"), "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG",
     "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
    (Signer("QĐ", "KT.", "VIỆN TRƯỞNG", "PHÓ VIỆN TRƯỞNG", "A"), "VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG",
     "VIỆN TRƯỞNG VIỆN KIỂM SÁT NHÂN DÂN TỈNH CAO BẰNG"),
    (Signer("QĐ", "TM.", "ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "A"), "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG",
     "ỦY BAN NHÂN DÂN TỈNH CAO BẰNG"),
    (Signer("QĐ", "", "GIÁM ĐỐC", "", "A"), "SỞ NỘI VỤ", "GIÁM ĐỐC SỞ NỘI VỤ"),
])
def test_quyet_dinh_authority_line(signer, agency, line):
    assert assemble.issuing_authority(signer, agency) == line


def test_awards_differing_only_in_case_are_one_group(tmp_path):
    wb = workbook(tmp_path, awards=(AWARD, AWARD.replace("Viện trưởng", "viện trưởng")))
    result = docgen.build(wb, tmp_path / "out", only={"quyet-dinh", "bien-ban"}, today=date(2026, 12, 1))
    qd = "\n".join(p.text for p in Document(str(result.outdir / "quyet-dinh.docx")).paragraphs)
    assert qd.count("760.000 đồng (Bảy trăm sáu mươi nghìn đồng) × 02 (hai) cá nhân") == 1
    assert "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC TẶNG" in qd
    bb = [p.text for p in Document(str(result.outdir / "bien-ban-hop.docx")).paragraphs]
    assert sum(t.startswith("Ngưỡng đạt:") for t in bb) == 1
    assert "Thời gian: 14 giờ 00, ngày 25/9/2026." in bb         # the typed "." is not doubled
    assert "Địa điểm: Hội trường." in bb


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_outputs_are_ordinary_files_not_private(tmp_path):
    result = docgen.build(demo_workbook(), tmp_path / "out", only={"ke-hoach"})
    mask = os.umask(0)
    os.umask(mask)
    for f in result.files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~mask


def test_pdf_outputs_are_not_replaced_without_force(tmp_path, monkeypatch):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("DOCGEN_SOFFICE", str(fake))
    out = tmp_path / "out"
    (out / "pdf").mkdir(parents=True)
    (out / "pdf" / "to-trinh.pdf").write_bytes(b"%PDF-1.4 the clerk's signed copy")
    res = CliRunner().invoke(cli, ["build", str(demo_workbook()), "-o", str(out), "--pdf"])
    assert res.exit_code == 1
    assert "pdf/to-trinh.pdf" in res.output and "--force" in res.output
    assert (out / "pdf" / "to-trinh.pdf").read_bytes() == b"%PDF-1.4 the clerk's signed copy"
    assert sorted(p.name for p in out.rglob("*") if p.is_file()) == ["to-trinh.pdf"]


def test_existing_outputs_are_found_as_path_exists_finds_them(tmp_path):
    """The outputs a build would overwrite, found by listing each folder once: the same answer as asking
    Path.exists for every path (a missing folder, a file in another case, a dangling link, a folder named
    like a planned file)."""
    from pathlib import PurePosixPath

    from docgen.write import existing_outputs

    out = tmp_path / "out"
    (out / "bao-cao-thanh-tich").mkdir(parents=True)
    (out / "bao-cao-thanh-tich" / "0001-a.docx").write_bytes(b"x")
    (out / "bao-cao-thanh-tich" / "0002-B.docx").write_bytes(b"x")
    (out / "to-trinh.docx").mkdir()
    (out / "ke-hoach.docx").symlink_to(out / "khong-co")
    (out / "bien-ban-hop.docx").write_bytes(b"x")
    planned = [PurePosixPath(p) for p in ("ke-hoach.docx", "to-trinh.docx", "bien-ban-hop.docx",
                                          "bao-cao-thanh-tich/0001-a.docx", "bao-cao-thanh-tich/0002-b.docx",
                                          "bao-cao-thanh-tich/0003-c.docx", "pdf/ke-hoach.pdf")]
    expected = [p for p in planned if (out / p).exists()]
    assert existing_outputs(out, planned) == expected
    assert PurePosixPath("bao-cao-thanh-tich/0001-a.docx") in expected and PurePosixPath("to-trinh.docx") in expected
    assert existing_outputs(tmp_path / "khong-co", planned) == []
