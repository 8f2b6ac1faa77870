"""Problems and exceptions.

Every stage reports what is wrong as :class:`Problem` objects (severity, location, Vietnamese message,
the rule and its source).  Stages collect problems instead of stopping at the first one; the
exceptions below are raised only when a stage cannot go on at all.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Iterable


class Severity(str, Enum):
    ERROR = "loi"          # blocks the build
    WARNING = "canh_bao"   # reported, never blocks
    INFO = "ghi_chu"       # what docgen understood or decided (an award read as its catalogue name…)

    @property
    def label(self) -> str:
        return {"loi": "Lỗi", "canh_bao": "Cảnh báo", "ghi_chu": "Ghi chú"}[self.value]


@dataclass(frozen=True)
class Problem:
    """One finding, located as precisely as the stage can (sheet, Excel row, column header)."""

    message: str
    severity: Severity = Severity.ERROR
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    rule: str | None = None      # short code, e.g. "ngay-khong-hop-le", "ty-le-tap-the"
    source: str | None = None    # legal source of the rule, e.g. "Kế hoạch 000, mục IV"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def location(self) -> str:
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column:
            parts.append(f'cột "{self.column}"')
        return ", ".join(parts)

    def format(self, with_severity: bool = False) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.source:
            text += f" (Căn cứ: {self.source})"
        if with_severity:
            text = f"[{self.severity.label}] {text}"
        return text

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        d["location"] = self.location
        d["text"] = self.format()
        return d

    def __str__(self) -> str:  # pragma: no cover - convenience
        return self.format(with_severity=True)


@dataclass
class Report:
    """An ordered collection of problems with helpers for the CLI and ``kiem-tra.txt``."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.problems.extend(problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.WARNING]

    @property
    def notes(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.INFO]

    @property
    def ok(self) -> bool:
        return not self.errors

    def __iter__(self):
        return iter(self.problems)

    def __len__(self) -> int:
        return len(self.problems)

    def to_text(self, title: str | None = None) -> str:
        """A readable report grouped by severity then sheet, with counts."""
        lines: list[str] = []
        if title:
            lines += [title, ""]
        notes = f", {len(self.notes)} ghi chú" if self.notes else ""
        lines.append(f"Tổng cộng: {len(self.errors)} lỗi, {len(self.warnings)} cảnh báo{notes}.")
        for sev, items in ((Severity.ERROR, self.errors), (Severity.WARNING, self.warnings),
                           (Severity.INFO, self.notes)):
            if not items:
                continue
            lines += ["", f"{sev.label.upper()} ({len(items)}):"]
            groups: dict[str, list[Problem]] = {}
            for p in items:
                groups.setdefault(p.sheet or "Chung", []).append(p)
            for sheet, group in groups.items():
                lines.append(f"  {sheet} ({len(group)}):")
                for p in group:
                    lines.append(f"    - {p.format()}")
        if not self.problems:
            lines += ["", "Không phát hiện vấn đề nào."]
        return "\n".join(lines) + "\n"

    def to_json(self) -> dict:
        return {
            "ok": self.ok,
            "so_loi": len(self.errors),
            "so_canh_bao": len(self.warnings),
            "so_ghi_chu": len(self.notes),
            "van_de": [p.to_dict() for p in self.problems],
        }


class DocgenError(Exception):
    """Base of every error docgen reports to the user (message already in Vietnamese)."""

    exit_code = 1


class WorkbookUnreadable(DocgenError):
    """The workbook cannot be opened at all (missing, not an xlsx, encrypted, unsafe...)."""

    exit_code = 2


class ValidationFailed(DocgenError):
    """Blocking problems were found; nothing was written."""

    exit_code = 1

    def __init__(self, report: Report):
        self.report = report
        super().__init__(f"Có {len(report.errors)} lỗi, chưa tạo văn bản nào.")


class TemplateError(DocgenError):
    """A template is missing, malformed, or tried something the sandbox forbids."""

    exit_code = 1


class OutputError(DocgenError):
    """The output folder cannot be written as asked (existing files without --force, ...)."""

    exit_code = 1


class MissingSystemTool(DocgenError):
    """A system program (LibreOffice) is needed and absent."""

    exit_code = 3
