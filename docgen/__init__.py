"""docgen — hồ sơ thi đua - khen thưởng đúng thể thức Nghị định 30/2020/NĐ-CP từ một bảng tính.

Python API (the ``docgen`` command only wraps these)::

    import docgen
    campaign = docgen.load_campaign("ho-so.xlsx")          # read: workbook → typed records
    campaign, report, evaluation, docs = docgen.validate("ho-so.xlsx")   # + check
    result = docgen.build("ho-so.xlsx", "van-ban")         # + assemble, render, write
    docgen.init_workbook("dot-2026")                       # the empty workbook
"""
from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version
from pathlib import Path

from .build import BuildResult, build, demo, validate
from .errors import (DocgenError, MissingSystemTool, OutputError, Problem, Report, Severity, TemplateError,
                     ValidationFailed, WorkbookUnreadable)
from .reader import load_campaign

try:
    __version__ = _version("docgen")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.1.0"

INIT_WORKBOOK_NAME = "ho-so.xlsx"


def init_workbook(directory: str | Path) -> Path:
    """Create ``directory`` with an empty campaign workbook ``ho-so.xlsx``.  Refuses a non-empty folder."""
    from .workbook import write_workbook

    directory = Path(directory)
    if directory.exists():
        if not directory.is_dir():
            raise OutputError(f'"{directory}" đã tồn tại và không phải thư mục.')
        if any(directory.iterdir()):
            raise OutputError(f'Thư mục "{directory}" đã có dữ liệu; docgen init chỉ tạo trong thư mục mới '
                              "hoặc thư mục trống.")
    return write_workbook(directory / INIT_WORKBOOK_NAME)


__all__ = [
    "BuildResult", "DocgenError", "MissingSystemTool", "OutputError", "Problem", "Report", "Severity",
    "TemplateError", "ValidationFailed", "WorkbookUnreadable", "build", "demo", "init_workbook",
    "load_campaign", "validate", "__version__",
]
