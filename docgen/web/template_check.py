"""The Mẫu page's report on a template a clerk uploads.

Three steps: open the .docx as safely as ``docgen check`` does (zip bombs, XML entities); lint it with
``docgen templates lint`` (:func:`docgen.lint.lint_paths`, under the name of the built-in template it
replaces, with the clerk's workbook when it validates); then build the document it belongs to with that
template and a real workbook, which reports any error the template would cause exactly as a build would, and
check the result's format (NĐ 30).  The template is used for later builds only when no step found an error.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..build import build as build_documents, demo_workbook
from ..errors import DocgenError, TemplateError, ValidationFailed
from .kinds import TEMPLATE_KINDS, kind_name

LOI, CANH_BAO = "loi", "canh_bao"


@dataclass(frozen=True)
class Finding:
    severity: str         # "loi" | "canh_bao"
    where: str
    message: str


@dataclass
class TemplateReport:
    name: str                         # the built-in template file it replaces
    shown_name: str                   # what the clerk called the file
    findings: list[Finding] = field(default_factory=list)
    tried_with: str = ""              # which workbook the trial build used
    notes: list[str] = field(default_factory=list)

    @property
    def usable(self) -> bool:
        return not any(f.severity == LOI for f in self.findings)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == LOI)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


def check_template(path: Path, name: str, shown_name: str, workbook: Path | None = None,
                   workbook_label: str = "") -> TemplateReport:
    report = TemplateReport(name, shown_name)
    from ..nd30.package import DocxUnreadable, open_package

    try:
        open_package(path)
    except DocxUnreadable as exc:
        message = str(exc).replace(str(path), shown_name).replace(f'"{path.name}"', f'"{shown_name}"')
        report.findings.append(Finding(LOI, "tệp", message))
        return report
    if workbook is None:
        workbook, workbook_label = demo_workbook(), "bảng tính mẫu (VKSND tỉnh Cao Bằng)"
    report.findings += lint(path, name, shown_name, workbook)
    if not report.usable:
        return report
    report.tried_with = workbook_label
    _trial_build(report, path, name, workbook)
    return report


def lint(path: Path, name: str, shown_name: str, workbook: Path | None = None) -> list[Finding]:
    """``docgen templates lint`` on the uploaded file, as the built-in template ``name`` it replaces; the
    messages name the file as the clerk called it and quote the paragraph concerned."""
    from ..lint import lint_paths

    with tempfile.TemporaryDirectory(prefix="docgen-mau-") as tmp:
        copy = Path(tmp) / name
        shutil.copyfile(path, copy)
        try:
            found = lint_paths([copy], workbook)
        except ValidationFailed:                 # the clerk's workbook has errors: lint with the demo's data
            found = lint_paths([copy])
    out = []
    for f in found:
        message = str(f.message).replace(f'"{name}"', f'"{shown_name}"').replace(str(copy), shown_name)
        if getattr(f, "excerpt", ""):
            message += f' — đoạn văn: "{f.excerpt}"'
        out.append(Finding(_severity(f.severity), str(f.where or ""), message))
    return out


def _severity(value) -> str:
    text = str(getattr(value, "value", value)).lower()
    return CANH_BAO if text in {"canh_bao", "canh-bao", "warning", "cảnh báo", "warn"} else LOI


def _trial_build(report: TemplateReport, path: Path, name: str, workbook: Path) -> None:
    kind = TEMPLATE_KINDS[name]
    with tempfile.TemporaryDirectory(prefix="docgen-mau-") as tmp:
        folder = Path(tmp) / "mau"
        folder.mkdir()
        shutil.copyfile(path, folder / name)
        try:
            result = build_documents(workbook, Path(tmp) / "ra", only={kind}, templates_dir=folder)
        except ValidationFailed as exc:
            first = exc.report.errors[0].format() if exc.report.errors else ""
            report.notes.append(f"Chưa tạo thử được {kind_name(kind)} với {report.tried_with}: {first}")
            return
        except TemplateError as exc:
            message = str(exc).replace(f'"{name}"', f'"{report.shown_name}"')
            report.findings.append(Finding(LOI, "tạo thử văn bản", message))
            return
        except DocgenError as exc:
            report.findings.append(Finding(LOI, "tạo thử văn bản", str(exc)))
            return
        if kind != "bao-cao":
            _format_check(report, [f for f in result.files if f.suffix == ".docx"])


def _format_check(report: TemplateReport, files: list[Path]) -> None:
    """The document made with the template, through the NĐ 30 checker (reported, never blocking)."""
    from ..nd30 import check_document

    for f in files[:1]:
        result = check_document(f)
        for finding in result.findings:
            where = f"thể thức: {finding.where}" if finding.where else "thể thức"
            report.findings.append(Finding(CANH_BAO, where, f"[{finding.code}] {finding.message}"))
        if not result.findings:
            report.notes.append("Văn bản tạo thử đạt thể thức Nghị định 30/2020/NĐ-CP.")
