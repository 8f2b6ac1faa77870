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

from .errors import TemplateError, WorkbookUnreadable

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


def zip_problem_message(problem: ZipProblem, name: str, *, label: str | None = None,
                        max_total: int = MAX_TOTAL_UNCOMPRESSED) -> str:
    """The Vietnamese refusal for ``problem`` in the file called ``name`` (``label``: how the message names it,
    'Tệp "x.xlsx"' by default, 'Mẫu "x.docx"' for a template)."""
    label = label or f'Tệp "{name}"'
    if problem.kind == "members":
        return f"{label} chứa quá nhiều thành phần ({problem.value}), từ chối xử lý."
    if problem.kind == "encrypted":
        return f"{label} có thành phần được mã hóa, từ chối xử lý."
    if problem.kind == "total":
        return (f"{label} khi giải nén vượt quá {max_total // (1024 * 1024)} MB "
                "(nghi là \"bom nén\"), từ chối xử lý.")
    if problem.kind == "ratio":
        return (f"{label} có tỷ lệ nén bất thường ({problem.member}: "
                f"{problem.value}:1, nghi là \"bom nén\"), từ chối xử lý.")
    return f"{label} có thành phần nén bất thường ({problem.member}), từ chối xử lý."


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names and not any(n.endswith("workbook.xml") for n in names):
        if "word/document.xml" in names:
            raise WorkbookUnreadable(f'Tệp "{name}" là văn bản Word (.docx), không phải bảng tính Excel (.xlsx).')
        raise WorkbookUnreadable(f'Tệp "{name}" không phải bảng tính Excel (.xlsx): thiếu xl/workbook.xml.')
    _check_members(zf, f'Tệp "{name}"', WorkbookUnreadable, MAX_TOTAL_UNCOMPRESSED)
    _check_xml_heads(zf, f'Tệp "{name}"', WorkbookUnreadable, dimensions=True)


def _check_members(zf: zipfile.ZipFile, label: str, error: type[Exception], max_total: int) -> None:
    """Entry count, encryption, total inflated size and compression ratio ("zip bombs")."""
    infos = zf.infolist()
    problem = too_many_members(infos) or unsafe_member(infos, max_total=max_total)
    if problem is not None:
        raise error(zip_problem_message(problem, "", label=label, max_total=max_total))


def _check_xml_heads(zf: zipfile.ZipFile, label: str, error: type[Exception], *, dimensions: bool) -> None:
    """No DOCTYPE/ENTITY declaration in any XML part; sheets that claim absurd dimensions are refused."""
    for info in zf.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        with zf.open(info) as fh:
            head = fh.read(4096)
        if declares_entities(head):
            raise error(f"{label} chứa khai báo DOCTYPE/ENTITY trong {info.filename} "
                        "(có thể là tấn công XML), từ chối xử lý.")
        if dimensions and info.filename.startswith("xl/worksheets/"):
            m = _DIMENSION.search(head)
            if m:
                last_col, last_row = (m.group(3), m.group(4)) if m.group(3) else (m.group(1), m.group(2))
                rows, cols = int(last_row), _col_number(last_col)
                if rows > MAX_ROWS or cols > MAX_COLUMNS:
                    raise error(
                        f'{label}: một trang tính khai báo kích thước bất thường '
                        f"({rows} dòng × {cols} cột; tối đa {MAX_ROWS} dòng, {MAX_COLUMNS} cột). "
                        "Hãy xóa các dòng, cột thừa rồi lưu lại.")


# ---------------------------------------------------------------------------------- templates
# A template is a .docx the clerk (or a colleague, or an email) supplies: it gets the same archive checks as a
# workbook, its main content type must be a plain Word document, and what would run or fetch something when
# the generated document is opened (macros, external relationships) never reaches the output.
MAX_TEMPLATE_SIZE = 50 * 1024 * 1024
MAX_TEMPLATE_UNCOMPRESSED = 200 * 1024 * 1024

CT_DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_OTHER_WORD_TYPES = {
    "application/vnd.ms-word.document.macroEnabled.main+xml":
        "văn bản Word có macro (.docm)",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml":
        "tệp mẫu Word (.dotx)",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml":
        "tệp mẫu Word có macro (.dotm)",
}
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
from .active_content import ACTIVEX_PART, EMBEDDED_PART, MACRO_PART as _MACRO_PARTS  # noqa: E402


def _parse(data: bytes):
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(data, parser)


def inspect_template(path: Path) -> zipfile.ZipFile:
    """Raise :class:`TemplateError` naming the template when it is not a safe, plain .docx; else return the open
    archive (the caller closes it)."""
    label = f'Mẫu "{path.name}"'
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise TemplateError(f"{label}: không đọc được tệp ({exc.strerror or exc}).") from None
    if size > MAX_TEMPLATE_SIZE:
        raise TemplateError(f"{label} quá lớn ({size // (1024 * 1024)} MB, tối đa "
                            f"{MAX_TEMPLATE_SIZE // (1024 * 1024)} MB).")
    if head.startswith(OLE_MAGIC):
        raise TemplateError(f"{label} là văn bản Word cũ (.doc) hoặc được đặt mật khẩu. Hãy mở bằng Word, bỏ mật "
                            'khẩu nếu có và "Lưu thành" Văn bản Word (.docx).')
    if not any(head.startswith(m) for m in ZIP_MAGICS):
        raise TemplateError(f"{label} không phải văn bản Word (.docx) hợp lệ.")
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise TemplateError(f"{label} bị hỏng hoặc không phải văn bản Word (.docx).") from None
    try:
        _check_members(zf, label, TemplateError, MAX_TEMPLATE_UNCOMPRESSED)
        _check_xml_heads(zf, label, TemplateError, dimensions=False)
        _check_content_type(zf, label)
        for name in zf.namelist():
            if ACTIVEX_PART.search(name) or EMBEDDED_PART.search(name):
                raise TemplateError(f"{label} chứa đối tượng nhúng hoặc điều khiển ActiveX ({name}); văn bản hành "
                                    "chính không cần thành phần này và nó có thể chạy mã khi mở. Hãy xóa đối tượng "
                                    "đó khỏi mẫu rồi lưu lại.")
    except BaseException:
        zf.close()
        raise
    return zf


def _check_content_type(zf: zipfile.ZipFile, label: str) -> None:
    names = set(zf.namelist())
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        if "xl/workbook.xml" in names:
            raise TemplateError(f"{label} là bảng tính Excel, không phải văn bản Word (.docx).")
        raise TemplateError(f"{label} không phải văn bản Word (.docx): thiếu word/document.xml.")
    try:
        types = _parse(zf.read("[Content_Types].xml"))
    except Exception:
        raise TemplateError(f"{label} bị hỏng ([Content_Types].xml không đọc được).") from None
    main = ""
    for override in types.iter(f"{{{_CT_NS}}}Override"):
        if override.get("PartName", "").lstrip("/") == "word/document.xml":
            main = override.get("ContentType", "")
    if main == CT_DOCX:
        return
    kind = _OTHER_WORD_TYPES.get(main)
    if kind is not None:
        raise TemplateError(f"{label} thực chất là {kind} dù mang đuôi .docx. Hãy mở bằng Word và chọn "
                            '"Lưu thành" → "Văn bản Word (.docx)" rồi dùng tệp mới làm mẫu.')
    raise TemplateError(f"{label} không phải văn bản Word (.docx) thông thường (loại nội dung: {main or 'không có'}).")


def sanitise_template(path: Path, dest: Path) -> tuple[Path, list[str]]:
    """Check ``path`` (:func:`inspect_template`) and write a copy into the folder ``dest`` (same file name)
    without macros and without external relationships (linked templates, remote images, hyperlinks to outside
    addresses: the text of a hyperlink stays).  Returns the copy and one Vietnamese note per thing removed."""
    notes: list[str] = []
    with inspect_template(path) as zf:
        parts = {i.filename: zf.read(i) for i in zf.infolist()}
    removed_parts = {n for n in parts if _MACRO_PARTS.search(n)}
    if removed_parts:
        notes.append(f'Mẫu "{path.name}" chứa macro ({", ".join(sorted(removed_parts))}); docgen đã bỏ macro khỏi '
                     "văn bản tạo ra.")
    for name in [n for n in parts if n.endswith(".rels")]:
        root = _parse(parts[name])
        external: set[str] = set()
        changed = False
        for rel in list(root):
            target = rel.get("Target", "")
            macro = _MACRO_PARTS.search(target) is not None or rel.get("Type", "").endswith("/vbaProject")
            if rel.get("TargetMode") == "External" or macro:
                if not macro:
                    external.add(rel.get("Id", ""))
                    kind = rel.get("Type", "").rsplit("/", 1)[-1]
                    notes.append(f'Mẫu "{path.name}": đã bỏ liên kết ra ngoài ({kind} → {target[:80]}) ở '
                                 f"{_source_part(name)}.")
                root.remove(rel)
                changed = True
        if changed:
            parts[name] = _serialise(root)
        source = _source_part(name)
        if external and source in parts:
            parts[source] = _drop_references(parts[source], external)
    if removed_parts:
        parts = {n: d for n, d in parts.items() if n not in removed_parts
                 and n.rsplit("/", 1)[-1] not in {f"{p.rsplit('/', 1)[-1]}.rels" for p in removed_parts}}
        types = _parse(parts["[Content_Types].xml"])
        for override in list(types.iter(f"{{{_CT_NS}}}Override")):
            if override.get("PartName", "").lstrip("/") in removed_parts:
                types.remove(override)
        parts["[Content_Types].xml"] = _serialise(types)
    dest.mkdir(parents=True, exist_ok=True)
    copy = dest / path.name
    with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return copy, notes


def _source_part(rels_name: str) -> str:
    """word/_rels/document.xml.rels → word/document.xml; _rels/.rels → "" (the package)."""
    folder, _, file = rels_name.rpartition("_rels/")
    return (folder + file[: -len(".rels")]) if file != ".rels" else ""


def _serialise(root) -> bytes:
    from lxml import etree

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _drop_references(xml: bytes, ids: set[str]) -> bytes:
    """Remove what points to the removed relationships: a hyperlink keeps its text, a linked picture loses its
    link, an attached template or any other element referring to them goes."""
    root = _parse(xml)
    for el in list(root.iter()):
        attrs = [a for a in el.attrib if a.startswith(f"{{{_R_NS}}}") and el.get(a) in ids]
        if not attrs:
            continue
        parent = el.getparent()
        if el.tag == f"{{{_W_NS}}}hyperlink" and parent is not None:
            index = parent.index(el)
            for child in list(el):
                parent.insert(index, child)
                index += 1
            parent.remove(el)
        elif el.tag == f"{{{_A_NS}}}blip":
            for a in attrs:
                del el.attrib[a]
        elif parent is not None:
            parent.remove(el)
    return _serialise(root)
