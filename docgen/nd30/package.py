"""Open a .docx (WordprocessingML package) safely and expose the XML parts the checker needs.

Only the standard library's :mod:`zipfile` and lxml are used (no python-docx), so that documents written
by Word, LibreOffice, WPS or docgen are read the same way.  Every refusal is a :class:`DocxUnreadable`
with a Vietnamese message; the command turns it into exit code 2.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from lxml import etree

from ..safety import (MAX_FILE_SIZE, OLE_MAGIC, ZipProblem, declares_entities, is_encrypted_ole,
                      too_many_members, unsafe_member, zip_problem_message)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
# ISO 29500 "Strict" documents use other namespace names for the same vocabulary.
_STRICT_MAP = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": W_NS.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": R_NS.encode(),
    b"http://purl.oclc.org/ooxml/drawingml/main": A_NS.encode(),
}

REL_OFFICE_DOCUMENT = "/officeDocument"
REL_STYLES = "/styles"
REL_THEME = "/theme"
REL_NUMBERING = "/numbering"
REL_SETTINGS = "/settings"

MAX_PART_SIZE = 200 * 1024 * 1024           # one inflated part (the zip limits live in docgen.safety)

Source = Union[str, Path, bytes, bytearray, memoryview]


class DocxUnreadable(Exception):
    """The file is missing, is not a .docx, or is unsafe to parse (message in Vietnamese)."""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                          remove_pis=True)


@dataclass
class Part:
    name: str                       # zip member name, e.g. "word/header1.xml"
    root: etree._Element
    rels: dict[str, tuple[str, str]] = field(default_factory=dict)   # rId -> (type suffix, target part name)


@dataclass
class DocxPackage:
    label: str                      # path as given, or "<bytes>"
    document: Part
    styles: etree._Element | None
    theme: etree._Element | None
    numbering: etree._Element | None
    settings: etree._Element | None
    pages_hint: int | None          # <Pages> from docProps/app.xml, when present
    _zip: zipfile.ZipFile
    _parts: dict[str, Part] = field(default_factory=dict)

    def related_part(self, part: Part, rid: str) -> Part | None:
        """The part ``rid`` points to from ``part`` (headers, footers), parsed once."""
        rel = part.rels.get(rid)
        if rel is None:
            return None
        name = rel[1]
        if name not in self._parts:
            root = _read_xml(self._zip, name, self.label, required=False)
            if root is None:
                return None
            self._parts[name] = Part(name, root, _read_rels(self._zip, name, self.label))
        return self._parts[name]


def _label(source: Source) -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    return str(source)


def open_package(source: Source) -> DocxPackage:
    """Open ``source`` (a path or the file's bytes); raise :class:`DocxUnreadable` when impossible."""
    label = _label(source)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = "dữ liệu"
    else:
        path = Path(source)
        name = path.name
        if not path.exists():
            raise DocxUnreadable(f'Không tìm thấy tệp "{path}".')
        if path.is_dir():
            raise DocxUnreadable(f'"{path}" là một thư mục, không phải tệp Word (.docx).')
        size = path.stat().st_size
        if size > MAX_FILE_SIZE:
            raise DocxUnreadable(f'Tệp "{name}" quá lớn ({size // (1024 * 1024)} MB).')
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocxUnreadable(f'Không đọc được tệp "{name}": {exc.strerror or exc}.') from None
    if not data:
        raise DocxUnreadable(f'Tệp "{name}" rỗng (0 byte).')
    if data.startswith(OLE_MAGIC):
        if is_encrypted_ole(data):
            raise DocxUnreadable(f'Tệp "{name}" được đặt mật khẩu; hãy bỏ mật khẩu trong Word rồi lưu lại.')
        raise DocxUnreadable(f'Tệp "{name}" là định dạng Word cũ (.doc); hãy "Lưu thành" Word (.docx) rồi kiểm tra lại.')
    if not data.startswith(b"PK"):
        raise DocxUnreadable(f'Tệp "{name}" không phải tệp Word (.docx) hợp lệ.')
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        _check_zip(zf, name)
    except zipfile.BadZipFile:
        raise DocxUnreadable(f'Tệp "{name}" bị hỏng hoặc không phải tệp Word (.docx).') from None

    main_name = _main_document_name(zf, label)
    if main_name is None:
        names = set(zf.namelist())
        if "xl/workbook.xml" in names:
            raise DocxUnreadable(f'Tệp "{name}" là bảng tính Excel, không phải văn bản Word (.docx).')
        raise DocxUnreadable(f'Tệp "{name}" không phải văn bản Word (.docx): thiếu word/document.xml.')
    root = _read_xml(zf, main_name, name, required=True)
    assert root is not None
    if root.tag != f"{{{W_NS}}}document":
        raise DocxUnreadable(f'Tệp "{name}": phần {main_name} không phải nội dung văn bản Word.')
    document = Part(main_name, root, _read_rels(zf, main_name, name))

    def by_type(suffix: str) -> etree._Element | None:
        for rel_type, target in document.rels.values():
            if rel_type == suffix:
                return _read_xml(zf, target, name, required=False)
        return None

    return DocxPackage(
        label=label,
        document=document,
        styles=by_type(REL_STYLES),
        theme=by_type(REL_THEME),
        numbering=by_type(REL_NUMBERING),
        settings=by_type(REL_SETTINGS),
        pages_hint=_pages_hint(zf),
        _zip=zf,
    )


def _check_zip(zf: zipfile.ZipFile, name: str) -> None:
    infos = zf.infolist()
    problem = too_many_members(infos) or unsafe_member(infos, max_member_size=MAX_PART_SIZE)
    if problem is None:
        return
    if problem.kind == "ratio":                # a .docx refusal names the part, not the ratio
        problem = ZipProblem("size", problem.member)
    raise DocxUnreadable(zip_problem_message(problem, name))


def _read_xml(zf: zipfile.ZipFile, member: str, name: str, *, required: bool) -> etree._Element | None:
    try:
        data = zf.read(member)
    except KeyError:
        if required:
            raise DocxUnreadable(f'Tệp "{name}" thiếu phần {member}.') from None
        return None
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
        raise DocxUnreadable(f'Tệp "{name}" bị hỏng ({member}: {exc}).') from None
    if declares_entities(data):
        raise DocxUnreadable(f'Tệp "{name}" chứa khai báo DOCTYPE/ENTITY trong {member}, từ chối xử lý.')
    for strict, transitional in _STRICT_MAP.items():
        if strict in data:
            data = data.replace(strict, transitional)
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        if required:
            raise DocxUnreadable(f'Tệp "{name}" bị hỏng: phần {member} không phải XML hợp lệ ({exc.msg}).') from None
        return None


def _rels_name(part_name: str) -> str:
    folder, base = posixpath.split(part_name)
    return posixpath.join(folder, "_rels", base + ".rels")


def _resolve_target(part_name: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    folder = posixpath.dirname(part_name)
    return posixpath.normpath(posixpath.join(folder, target))


def _read_rels(zf: zipfile.ZipFile, part_name: str, name: str) -> dict[str, tuple[str, str]]:
    root = _read_xml(zf, _rels_name(part_name), name, required=False)
    rels: dict[str, tuple[str, str]] = {}
    if root is None:
        return rels
    for rel in root:
        if not isinstance(rel.tag, str) or rel.get("TargetMode") == "External":
            continue
        rid, rel_type, target = rel.get("Id"), rel.get("Type") or "", rel.get("Target")
        if not rid or not target:
            continue
        suffix = "/" + rel_type.rstrip("/").rsplit("/", 1)[-1]
        rels[rid] = (suffix, _resolve_target(part_name, target))
    return rels


def _main_document_name(zf: zipfile.ZipFile, name: str) -> str | None:
    root_rels = _read_rels(zf, "", name) if "_rels/.rels" in zf.namelist() else {}
    for rel_type, target in root_rels.values():
        if rel_type == REL_OFFICE_DOCUMENT and target in zf.namelist():
            return target
    if "word/document.xml" in zf.namelist():
        return "word/document.xml"
    return None


def _pages_hint(zf: zipfile.ZipFile) -> int | None:
    try:
        data = zf.read("docProps/app.xml")
    except KeyError:
        return None
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None
    for el in root:
        if isinstance(el.tag, str) and etree.QName(el).localname == "Pages":
            try:
                return int((el.text or "").strip())
            except ValueError:
                return None
    return None
