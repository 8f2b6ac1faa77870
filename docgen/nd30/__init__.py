"""``docgen check``: Nghị định 30/2020/NĐ-CP compliance checker for any .docx.

>>> result = check_document("to-trinh.docx")          # doctest: +SKIP
>>> result.ok, [f.code for f in result.findings]        # doctest: +SKIP

The rule codes, their meaning and the ``--json`` layout are documented in ``docs/nd30-check.md``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .document import build_document
from .package import DocxUnreadable, Source, open_package
from .report import CANH_BAO, DOC_TYPES, JSON_VERSION, LOI, RULES, CheckResult, Finding, exit_code, to_json, to_text
from .rules import normalize_doc_type, run_checks

__all__ = [
    "CANH_BAO", "DOC_TYPES", "JSON_VERSION", "LOI", "RULES", "CheckResult", "Finding", "check_document",
    "check_files", "exit_code", "normalize_doc_type", "to_json", "to_text",
]


def _label(source: Source) -> str:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "<bytes>"
    return str(source)


def check_document(path_or_bytes: Source, doc_type: str | None = None) -> CheckResult:
    """Check one document.

    ``doc_type`` is a type code ("KH", "TTr", "BB", "BC", "QĐ"/"QD", "CV" for Công văn, …) or a name
    ("Kế hoạch"); when ``None`` it is inferred from the title.  An unknown ``doc_type`` raises
    :class:`ValueError`.  A file that cannot be read gives a result with ``error`` set (never raises).
    """
    code = normalize_doc_type(doc_type)
    label = _label(path_or_bytes)
    try:
        package = open_package(path_or_bytes)
        document = build_document(package)
    except DocxUnreadable as exc:
        message = str(exc)
        return CheckResult(label, code, [Finding("ND30-FILE-UNREADABLE", message, "tệp", "", LOI)], error=message)
    found_type, findings = run_checks(document, code)
    from ..active_content import risks     # macros, external relationships, embedded objects

    findings = [*findings, *(Finding(*r) for r in risks(package._zip))]
    return CheckResult(label, found_type, findings)


def check_files(paths: Iterable[str | Path], doc_type: str | None = None) -> list[CheckResult]:
    """Check several files; an unreadable file gives a result with ``error`` set (exit code 2)."""
    return [check_document(p, doc_type) for p in paths]
