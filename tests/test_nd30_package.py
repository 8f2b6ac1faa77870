"""The .docx reader refuses unsafe packages with the same zip checks as the workbook reader (docgen.safety).

Each refusal is checked word for word, for a Word document (``docgen check``) and for a workbook
(``docgen validate``), so a change to the shared checks shows up for both callers.
"""
from __future__ import annotations

import io
import random
import zipfile

import pytest

from docgen.errors import WorkbookUnreadable
from docgen.nd30 import check_document
from docgen.safety import inspect_workbook

DOCX_MAIN = "word/document.xml"
XLSX_MAIN = "xl/workbook.xml"
BODY = (b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
        b"<w:p><w:r><w:t>Xin ch\xc3\xa0o</w:t></w:r></w:p></w:body></w:document>")


def _zip(main: str, extra: dict[str, bytes], *, encrypt: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(main, BODY if main == DOCX_MAIN else b"<workbook/>")
        for name, data in extra.items():
            zf.writestr(name, data)
    data = bytearray(buf.getvalue())
    if encrypt is not None:
        # set bit 0 (encrypted) of the general purpose flags in the local and the central header
        with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
            info = zf.getinfo(encrypt)
        data[info.header_offset + 6] |= 0x1
        name = encrypt.encode()
        central = data.find(b"PK\x01\x02")
        while data[central + 46: central + 46 + len(name)] != name:
            central = data.find(b"PK\x01\x02", central + 4)
        data[central + 8] |= 0x1
    return bytes(data)


def _docx_error(data: bytes) -> str:
    result = check_document(data)
    assert not result.readable and [f.code for f in result.findings] == ["ND30-FILE-UNREADABLE"]
    return result.error


def _xlsx_error(tmp_path, data: bytes) -> str:
    path = tmp_path / "ho-so.xlsx"
    path.write_bytes(data)
    with pytest.raises(WorkbookUnreadable) as exc:
        inspect_workbook(path)
    return str(exc.value)


MANY = {f"customXml/item{k}.xml": b"<a/>" for k in range(10_001)}
BOMB = {"word/media/padding.bin": b"\0" * (4 * 1024 * 1024)}


def test_too_many_members_same_words_for_both_readers(tmp_path):
    assert _docx_error(_zip(DOCX_MAIN, MANY)) == 'Tệp "dữ liệu" chứa quá nhiều thành phần (10002), từ chối xử lý.'
    assert _xlsx_error(tmp_path, _zip(XLSX_MAIN, MANY)) == \
        'Tệp "ho-so.xlsx" chứa quá nhiều thành phần (10002), từ chối xử lý.'


def test_encrypted_member_same_words_for_both_readers(tmp_path):
    extra = {"docProps/app.xml": b"<Properties/>"}
    data = _zip(DOCX_MAIN, extra, encrypt="docProps/app.xml")
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("docProps/app.xml").flag_bits & 0x1
    assert _docx_error(data) == 'Tệp "dữ liệu" có thành phần được mã hóa, từ chối xử lý.'
    data = _zip(XLSX_MAIN, extra, encrypt="docProps/app.xml")
    assert _xlsx_error(tmp_path, data) == 'Tệp "ho-so.xlsx" có thành phần được mã hóa, từ chối xử lý.'


def test_zip_bomb_each_reader_keeps_its_words(tmp_path):
    assert _docx_error(_zip(DOCX_MAIN, BOMB)) == \
        'Tệp "dữ liệu" có thành phần nén bất thường (word/media/padding.bin), từ chối xử lý.'
    message = _xlsx_error(tmp_path, _zip(XLSX_MAIN, BOMB))
    assert message.startswith('Tệp "ho-so.xlsx" có tỷ lệ nén bất thường (word/media/padding.bin: ')
    assert message.endswith(':1, nghi là "bom nén"), từ chối xử lý.')


def test_a_large_member_that_compresses_normally_is_read():
    noise = random.Random(30).randbytes(2 * 1024 * 1024)      # does not compress, over 1 MiB
    result = check_document(_zip(DOCX_MAIN, {"word/media/noise.bin": noise}))
    assert result.readable, result.error


def test_password_protected_word_file(tmp_path):
    ole = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024 + "EncryptionInfo".encode("utf-16-le")
           + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"))
    assert _docx_error(ole) == 'Tệp "dữ liệu" được đặt mật khẩu; hãy bỏ mật khẩu trong Word rồi lưu lại.'
    path = tmp_path / "mat-khau.docx"
    path.write_bytes(ole)
    assert "mat-khau.docx" in check_document(path).error


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml"])
def test_entity_declaration_in_any_part_is_refused(part):
    evil = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
    files = {"word/_rels/document.xml.rels": (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"'
        b' Target="styles.xml"/></Relationships>')}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(DOCX_MAIN, evil if part == DOCX_MAIN else BODY)
        zf.writestr("word/styles.xml", evil if part != DOCX_MAIN else b"<w:styles/>")
        for name, data in files.items():
            zf.writestr(name, data)
    assert _docx_error(buf.getvalue()) == \
        f'Tệp "dữ liệu" chứa khai báo DOCTYPE/ENTITY trong {part}, từ chối xử lý.'
