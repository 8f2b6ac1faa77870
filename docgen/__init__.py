"""docgen — hồ sơ thi đua - khen thưởng đúng thể thức Nghị định 30/2020/NĐ-CP từ một bảng tính.

Python API (the ``docgen`` command only wraps these)::

    import docgen
    campaign = docgen.load_campaign("ho-so.xlsx")          # read: workbook → typed records
    campaign, report, evaluation, docs = docgen.validate("ho-so.xlsx")   # + check
    result = docgen.build("ho-so.xlsx", "van-ban")         # + assemble, render, write
    docgen.init_workbook("dot-2026")                       # the empty workbook
"""
from __future__ import annotations

import sys
import types
from pathlib import Path

from .errors import (DocgenError, MissingSystemTool, OutputError, Problem, Report, Severity, TemplateError,
                     ValidationFailed, WorkbookUnreadable)

# The pipeline is imported on first use (``docgen.build`` …), not by ``import docgen``: the command starts
# without loading openpyxl, docxtpl and the checker first, and takes over Ctrl-C before they load.
_LAZY = {"BuildResult": "build", "build": "build", "demo": "build", "validate": "build",
         "load_campaign": "reader"}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        module = importlib.import_module(f".{_LAZY[name]}", __name__)

        value = getattr(module, name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version as _version

        try:
            value = _version("docgen")
        except PackageNotFoundError:  # running from a source tree
            value = "0.1.0"
        globals()[name] = value
        return value
    raise AttributeError(f"module 'docgen' has no attribute {name!r}")


class _Package(types.ModuleType):
    """``docgen.build`` is the function, as with an eager ``from .build import build``, even after the module
    ``docgen.build`` is imported (the import system then binds the submodule here: ignored)."""

    @property
    def build(self):
        return __getattr__("build")

    @build.setter
    def build(self, value) -> None:
        if not isinstance(value, types.ModuleType):
            globals()["build"] = value


sys.modules[__name__].__class__ = _Package


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
