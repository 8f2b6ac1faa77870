"""The document kinds and template files the web pages offer, in one place.

When the registry ``docgen/documents.py`` lands, only the import below changes."""
from __future__ import annotations

from ..check import DOCUMENT_NAMES, DOCUMENTS  # the one place to swap for docgen.documents

# Built-in template file → the document kind it renders (a kind may have several forms).
TEMPLATE_KINDS = {
    "ke-hoach.docx": "ke-hoach",
    "to-trinh.docx": "to-trinh",
    "bien-ban-hop.docx": "bien-ban",
    "bao-cao-ca-nhan.docx": "bao-cao",
    "bao-cao-tap-the.docx": "bao-cao",
    "quyet-dinh.docx": "quyet-dinh",
}
TEMPLATE_NAMES = {
    "ke-hoach.docx": "Kế hoạch",
    "to-trinh.docx": "Tờ trình (kèm danh sách)",
    "bien-ban-hop.docx": "Biên bản họp Hội đồng Thi đua - Khen thưởng",
    "bao-cao-ca-nhan.docx": "Báo cáo thành tích cá nhân",
    "bao-cao-tap-the.docx": "Báo cáo thành tích tập thể",
    "quyet-dinh.docx": "Quyết định khen thưởng",
}


def kinds() -> list[tuple[str, str]]:
    """(key, Vietnamese name) of every document kind, in the order of the hồ sơ."""
    return [(key, DOCUMENT_NAMES[key]) for key in DOCUMENTS]


def kind_name(key: str) -> str:
    return DOCUMENT_NAMES.get(key, key)
