"""Refuse unsafe or unreadable workbooks before any parser touches them.

Workbooks arrive by email from dozens of units.  Before openpyxl parses anything we look at the raw
file: is it a zip at all, an old .xls, a password-protected (OLE-encrypted) file, a zip bomb, a
sheet that claims absurd dimensions?  Each refusal is a :class:`WorkbookUnreadable` with a Vietnamese
message (exit code 2).  XML entity attacks are handled by defusedxml, which openpyxl uses when it is
installed (a dependency of docgen), and checked again here for DOCTYPE declarations.
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path

from .errors import WorkbookUnreadable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

MAX_FILE_SIZE = 100 * 1024 * 1024           # 100 MiB on disk
MAX_TOTAL_UNCOMPRESSED = 500 * 1024 * 1024  # 500 MiB inflated
MAX_MEMBER_RATIO = 200                      # inflated / compressed, for members over 1 MiB
MAX_MEMBERS = 10_000
MAX_ROWS = 200_000
MAX_COLUMNS = 1_000

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.decode("ascii"):
        n = n * 26 + (ord(ch) - 64)
    return n


def inspect_workbook(path: Path) -> None:
    """Raise :class:`WorkbookUnreadable` when ``path`` is not a safe, readable .xlsx file."""
    name = path.name
    if not path.exists():
        raise WorkbookUnreadable(f'Không tìm thấy tệp "{path}".')
    if path.is_dir():
        raise WorkbookUnreadable(f'"{path}" là một thư mục, không phải tệp Excel (.xlsx).')
    size = path.stat().st_size
    if size == 0:
        raise WorkbookUnreadable(f'Tệp "{name}" rỗng (0 byte).')
    if size > MAX_FILE_SIZE:
        raise WorkbookUnreadable(
            f'Tệp "{name}" quá lớn ({size // (1024 * 1024)} MB, tối đa {MAX_FILE_SIZE // (1024 * 1024)} MB).')
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        if _is_encrypted_ole(path):
            raise WorkbookUnreadable(
                f'Tệp "{name}" được đặt mật khẩu. Hãy mở bằng Excel, bỏ mật khẩu '
                "(Tệp > Thông tin > Bảo vệ sổ làm việc > Mã hóa bằng mật khẩu: để trống) rồi lưu lại.")
        raise WorkbookUnreadable(
            f'Tệp "{name}" là định dạng Excel cũ (.xls). Hãy mở bằng Excel hoặc LibreOffice và '
            '"Lưu thành" Sổ làm việc Excel (.xlsx), rồi chạy lại.')
    if not any(head.startswith(m) for m in ZIP_MAGICS):
        raise WorkbookUnreadable(f'Tệp "{name}" không phải tệp Excel (.xlsx) hợp lệ.')
    try:
        with zipfile.ZipFile(path) as zf:
            _check_zip(zf, name)
    except zipfile.BadZipFile:
        raise WorkbookUnreadable(f'Tệp "{name}" bị hỏng hoặc không phải tệp Excel (.xlsx).') from None
    except OSError as exc:  # pragma: no cover - disk errors
        raise WorkbookUnreadable(f'Không đọc được tệp "{name}": {exc}.') from None


def _is_encrypted_ole(path: Path) -> bool:
    """Excel's password-protected .xlsx is an OLE container holding an 'EncryptedPackage' stream."""
    data = path.read_bytes()[: 1024 * 1024]
    return "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise WorkbookUnreadable(f'Tệp "{name}" chứa quá nhiều thành phần ({len(infos)}), từ chối xử lý.')
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "word/document.xml" in names:
            raise WorkbookUnreadable(f'Tệp "{name}" là văn bản Word (.docx), không phải bảng tính Excel (.xlsx).')
        raise WorkbookUnreadable(f'Tệp "{name}" không phải bảng tính Excel (.xlsx): thiếu xl/workbook.xml.')
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookUnreadable(f'Tệp "{name}" có thành phần được mã hóa, từ chối xử lý.')
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise WorkbookUnreadable(
                f'Tệp "{name}" khi giải nén vượt quá {MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MB '
                "(nghi là \"bom nén\"), từ chối xử lý.")
        if info.file_size > 1024 * 1024 and info.compress_size and \
                info.file_size / info.compress_size > MAX_MEMBER_RATIO:
            raise WorkbookUnreadable(
                f'Tệp "{name}" có tỷ lệ nén bất thường ({info.filename}: '
                f"{info.file_size // info.compress_size}:1, nghi là \"bom nén\"), từ chối xử lý.")
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with zf.open(info) as fh:
            head = fh.read(4096)
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise WorkbookUnreadable(
                f'Tệp "{name}" chứa khai báo DOCTYPE/ENTITY trong {info.filename} '
                "(có thể là tấn công XML), từ chối xử lý.")
        if info.filename.startswith("xl/worksheets/"):
            m = _DIMENSION.search(head)
            if m:
                last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
                rows, cols = int(last_row), _col_number(last_col)
                if rows > MAX_ROWS or cols > MAX_COLUMNS:
                    raise WorkbookUnreadable(
                        f'Tệp "{name}": một trang tính khai báo kích thước bất thường '
                        f"({rows} dòng × {cols} cột; tối đa {MAX_ROWS} dòng, {MAX_COLUMNS} cột). "
                        "Hãy xóa các dòng, cột thừa rồi lưu lại.")
