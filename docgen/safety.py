"""Refuse unsafe or unreadable workbooks before any parser touches them.

Workbooks arrive by email from dozens of units.  Before openpyxl parses anything we look at the raw
file: is it a zip at all, an old .xls, a password-protected (OLE-encrypted) file, a zip bomb, a
sheet that claims absurd dimensions?  Each refusal is a :class:`WorkbookUnreadable` with a Vietnamese
message (exit code 2).  XML entity attacks are handled by defusedxml, which openpyxl uses when it is
installed (a dependency of docgen), and checked again here for DOCTYPE declarations.

The zip checks (:func:`too_many_members`, :func:`unsafe_member`), the OLE test (:func:`is_encrypted_ole`) and
the entity test (:func:`declares_entities`) are shared with the ND30 checker's .docx reader
(:mod:`docgen.nd30.package`), which words its refusals for Word documents.
"""
from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

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


def is_encrypted_ole(data: bytes) -> bool:
    """A password-protected Office file (.xlsx, .docx) is an OLE container holding an 'EncryptedPackage'
    stream (and its 'EncryptionInfo'); ``data`` is the start of the file."""
    head = data[: 1024 * 1024]
    return "EncryptedPackage".encode("utf-16-le") in head or "EncryptionInfo".encode("utf-16-le") in head


def _is_encrypted_ole(path: Path) -> bool:
    with path.open("rb") as fh:
        return is_encrypted_ole(fh.read(1024 * 1024))


def declares_entities(head: bytes) -> bool:
    """True when the first 4 KiB of an XML part declare a DOCTYPE or an ENTITY (entity-expansion attacks)."""
    head = head[:4096]
    return b"<!DOCTYPE" in head or b"<!ENTITY" in head


@dataclass(frozen=True)
class ZipProblem:
    """Why a zip container is refused: ``kind`` is "members", "encrypted", "total", "size" or "ratio"."""

    kind: str
    member: str = ""                         # the zip member concerned
    value: int = 0                           # the number of members, or the inflated/compressed ratio


def too_many_members(infos: Sequence[zipfile.ZipInfo]) -> ZipProblem | None:
    if len(infos) > MAX_MEMBERS:
        return ZipProblem("members", value=len(infos))
    return None


def unsafe_member(infos: Sequence[zipfile.ZipInfo], *, max_total: int | None = None,
                  max_member_size: int | None = None) -> ZipProblem | None:
    """The first member that is encrypted, or pushes the inflated total over ``max_total``, or is larger than
    ``max_member_size``, or (over 1 MiB) inflates more than :data:`MAX_MEMBER_RATIO` times (a zip bomb)."""
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            return ZipProblem("encrypted", info.filename)
        total += info.file_size
        if max_total is not None and total > max_total:
            return ZipProblem("total", info.filename)
        if max_member_size is not None and info.file_size > max_member_size:
            return ZipProblem("size", info.filename)
        if info.file_size > 1024 * 1024 and info.compress_size and \
                info.file_size / info.compress_size > MAX_MEMBER_RATIO:
            return ZipProblem("ratio", info.filename, info.file_size // info.compress_size)
    return None


def zip_problem_message(problem: ZipProblem, name: str) -> str:
    """The Vietnamese refusal for ``problem`` in the file called ``name``."""
    if problem.kind == "members":
        return f'Tệp "{name}" chứa quá nhiều thành phần ({problem.value}), từ chối xử lý.'
    if problem.kind == "encrypted":
        return f'Tệp "{name}" có thành phần được mã hóa, từ chối xử lý.'
    if problem.kind == "total":
        return (f'Tệp "{name}" khi giải nén vượt quá {MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MB '
                "(nghi là \"bom nén\"), từ chối xử lý.")
    if problem.kind == "ratio":
        return (f'Tệp "{name}" có tỷ lệ nén bất thường ({problem.member}: '
                f"{problem.value}:1, nghi là \"bom nén\"), từ chối xử lý.")
    return f'Tệp "{name}" có thành phần nén bất thường ({problem.member}), từ chối xử lý.'


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    problem = too_many_members(infos)
    if problem is not None:
        raise WorkbookUnreadable(zip_problem_message(problem, name))
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "word/document.xml" in names:
            raise WorkbookUnreadable(f'Tệp "{name}" là văn bản Word (.docx), không phải bảng tính Excel (.xlsx).')
        raise WorkbookUnreadable(f'Tệp "{name}" không phải bảng tính Excel (.xlsx): thiếu xl/workbook.xml.')
    problem = unsafe_member(infos, max_total=MAX_TOTAL_UNCOMPRESSED)
    if problem is not None:
        raise WorkbookUnreadable(zip_problem_message(problem, name))
    for info in infos:
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with zf.open(info) as fh:
            head = fh.read(4096)
        if declares_entities(head):
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
