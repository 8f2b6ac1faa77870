"""The Mẫu page's report on a template a clerk uploads.

Three steps: open the .docx as safely as ``docgen check`` does (zip bombs, XML entities); lint it — with
``docgen.lint.lint_paths`` when that module exists, otherwise a minimal lint here (the Jinja variables it
uses, compared with those of the built-in templates); then build the document it belongs to with that
template and a real workbook, which reports any error the template would cause exactly as a build would, and
check the result's format (NĐ 30).  The template is used for later builds only when no step found an error.
"""
from __future__ import annotations

import functools
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..build import build as build_documents, builtin_templates_dir, demo_workbook
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
    report.findings += lint(path)
    if not report.usable:
        return report
    if workbook is None:
        workbook, workbook_label = demo_workbook(), "bảng tính mẫu (VKSND tỉnh Cao Bằng)"
    report.tried_with = workbook_label
    _trial_build(report, path, name, workbook)
    return report


def lint(path: Path) -> list[Finding]:
    try:
        from .. import lint as external          # docgen templates lint, when present
    except ImportError:
        external = None
    if external is not None and hasattr(external, "lint_paths"):
        return [Finding(_severity(getattr(f, "severity", LOI)), str(getattr(f, "where", "") or ""), str(f.message))
                for f in external.lint_paths([path])]
    return minimal_lint(path)


def _severity(value) -> str:
    text = str(getattr(value, "value", value)).lower()
    return CANH_BAO if text in {"canh_bao", "canh-bao", "warning", "cảnh báo", "warn"} else LOI


@functools.lru_cache(maxsize=1)
def known_variables() -> frozenset[str]:
    """Every variable the built-in templates use (the context docgen provides)."""
    from ..render import variables

    names: set[str] = set()
    for template in sorted(builtin_templates_dir().glob("*.docx")):
        names |= variables(template)
    return frozenset(names)


def minimal_lint(path: Path) -> list[Finding]:
    from ..render import variables

    try:
        used = variables(path)
    except Exception as exc:  # a tag Jinja cannot parse, a damaged part
        return [Finding(LOI, "thẻ mẫu", f"Không đọc được các thẻ {{{{ … }}}} / {{% … %}} của mẫu: {exc}")]
    return [Finding(CANH_BAO, f"biến {name}",
                    f'Biến "{name}" không có trong các mẫu có sẵn. Nếu đây không phải cột chỉ tiêu bạn tự thêm vào '
                    "bảng tính thì có thể đã gõ sai tên biến (danh sách biến: docs/context.md).")
            for name in sorted(used - known_variables())]


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
