"""Unsafe workbooks are refused before parsing (exit code 2, Vietnamese message, nothing written)."""
from __future__ import annotations

import zipfile

from click.testing import CliRunner

from docgen.cli import cli
from wb_helpers import MINIMAL_INFO, make_workbook


def _rewrite(path, edit):
    with zipfile.ZipFile(path) as zin:
        items = {n: zin.read(n) for n in zin.namelist()}
    edit(items)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for n, d in items.items():
            zout.writestr(n, d)
    return path


def _run(*args):
    return CliRunner().invoke(cli, list(map(str, args)))


def _assert_refused(tmp_path, path, needle):
    out = tmp_path / "out"
    for args in (("validate", path), ("build", path, "-o", out)):
        res = _run(*args)
        assert res.exit_code == 2, res.output
        assert needle in res.output
        assert "Traceback" not in res.output
    assert not out.exists()


def test_not_a_zip(tmp_path):
    p = tmp_path / "x.xlsx"
    p.write_text("Họ và tên;Ngày sinh\n", encoding="utf-8")
    _assert_refused(tmp_path, p, "không phải tệp Excel")


def test_old_xls(tmp_path):
    p = tmp_path / "cu.xls"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048 + "Workbook".encode("utf-16-le"))
    _assert_refused(tmp_path, p, "Lưu thành")


def test_password_protected(tmp_path):
    # Excel's encrypted .xlsx: an OLE container with EncryptionInfo / EncryptedPackage streams
    p = tmp_path / "mat-khau.xlsx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "EncryptionInfo".encode("utf-16-le")
                  + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"))
    _assert_refused(tmp_path, p, "mật khẩu")


def test_word_file_renamed(tmp_path):
    p = tmp_path / "van-ban.xlsx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("[Content_Types].xml", "<Types/>")
    _assert_refused(tmp_path, p, "văn bản Word")


def test_zip_bomb_ratio(tmp_path):
    p = make_workbook(tmp_path / "bom.xlsx", {"Thông tin": MINIMAL_INFO})
    _rewrite(p, lambda items: items.__setitem__("xl/media/padding.bin", b"\0" * (8 * 1024 * 1024)))
    _assert_refused(tmp_path, p, "bom nén")


def test_entity_bomb(tmp_path):
    p = make_workbook(tmp_path / "xml.xlsx", {"Thông tin": MINIMAL_INFO})
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    _rewrite(p, lambda items: items.__setitem__("xl/sharedStrings.xml", bomb))
    _assert_refused(tmp_path, p, "DOCTYPE")


def test_absurd_dimensions(tmp_path):
    p = make_workbook(tmp_path / "to.xlsx", {"Thông tin": MINIMAL_INFO})

    def edit(items):
        name = next(n for n in items if n.startswith("xl/worksheets/sheet"))
        data = items[name]
        import re
        items[name] = re.sub(rb'<dimension ref="[^"]+"\s*/>', b'<dimension ref="A1:XFD1048576"/>', data)
        assert b"XFD1048576" in items[name]

    _rewrite(p, edit)
    _assert_refused(tmp_path, p, "kích thước bất thường")


def test_directory_given(tmp_path):
    res = _run("validate", tmp_path)
    assert res.exit_code == 2
    assert "thư mục" in res.output


def test_damaged_zip(tmp_path):
    p = make_workbook(tmp_path / "hong.xlsx", {"Thông tin": MINIMAL_INFO})
    data = p.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    _assert_refused(tmp_path, p, "hỏng")
