"""Active content in a Word package: macros, external relationships, embedded objects and ActiveX controls.

``docgen check`` reports each as a finding with its part name (an official document carries none of them:
a macro runs code, an external relationship makes Word fetch a remote template or image when the document
is opened — remote template injection, or a beacon telling the sender the file was opened).  The same
vocabulary is used when templates are cleaned (:func:`docgen.safety.sanitise_template`).
"""
from __future__ import annotations

import re
import zipfile
from typing import NamedTuple

PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
MACRO_PART = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml)$", re.IGNORECASE)
EMBEDDED_PART = re.compile(r"(^|/)embeddings/", re.IGNORECASE)
ACTIVEX_PART = re.compile(r"(^|/)activeX/", re.IGNORECASE)

# relationship types Word follows by itself when the document opens (no click needed)
_FETCHED = {"attachedTemplate": "mẫu đính kèm (attachedTemplate)", "image": "hình ảnh", "frame": "khung",
            "oleObject": "đối tượng OLE liên kết", "subDocument": "văn bản con", "package": "gói nhúng",
            "externalLinkPath": "liên kết dữ liệu"}


class Risk(NamedTuple):
    """(code, message, where, excerpt, severity): the fields of :class:`docgen.nd30.Finding`, in its order."""

    code: str
    message: str
    where: str
    excerpt: str
    severity: str


def risks(zf: zipfile.ZipFile) -> list[Risk]:
    """Every macro part, external relationship, embedded object and ActiveX control of the package."""
    from lxml import etree

    found: list[Risk] = []
    names = zf.namelist()
    for name in names:
        if MACRO_PART.search(name):
            found.append(Risk("ND30-PKG-MACRO", "Văn bản chứa macro (mã VBA chạy khi mở bằng Word); văn bản hành "
                              "chính không được chứa macro. Lưu lại dưới dạng .docx để bỏ macro.", name, "", "loi"))
        elif ACTIVEX_PART.search(name) and name.endswith(".xml"):
            found.append(Risk("ND30-PKG-EMBEDDED", "Văn bản chứa điều khiển ActiveX (có thể chạy mã khi mở).",
                              name, "", "loi"))
        elif EMBEDDED_PART.search(name):
            found.append(Risk("ND30-PKG-EMBEDDED", "Văn bản chứa đối tượng nhúng (tệp Excel, OLE …); kiểm tra "
                              "nguồn gốc trước khi gửi, hoặc thay bằng bảng, hình.", name, "", "canh_bao"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name in names:
        if not name.endswith(".rels"):
            continue
        try:
            root = etree.fromstring(zf.read(name), parser)
        except (etree.XMLSyntaxError, KeyError, OSError, zipfile.BadZipFile):
            continue
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") != "External":
                continue
            kind = rel.get("Type", "").rsplit("/", 1)[-1]
            target = rel.get("Target", "")[:120]
            if kind == "hyperlink":
                found.append(Risk("ND30-PKG-EXTERNAL", "Văn bản có liên kết (hyperlink) ra địa chỉ bên ngoài; kiểm "
                                  "tra địa chỉ trước khi gửi.", name, target, "canh_bao"))
            else:
                what = _FETCHED.get(kind, kind)
                found.append(Risk("ND30-PKG-EXTERNAL", f"Văn bản tải {what} từ địa chỉ bên ngoài khi được mở "
                                  "(có thể bị lợi dụng để chèn mẫu độc hại hoặc theo dõi người mở); bỏ liên kết "
                                  "này.", name, target, "loi"))
    return found
