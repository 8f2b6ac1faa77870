"""Stage 4 — render: a .docx template + a context → the bytes of a .docx.

Templates are docxtpl files (Jinja syntax inside Word).  They are rendered in a **sandboxed**, strict Jinja
environment: no attribute access to Python internals (``__class__``, ``cycler.__init__`` …), an unknown
variable is an error rather than an empty string, and every value is XML-escaped exactly once — data is never
template code, so a cell holding ``{{ 6*7 }}`` prints ``{{ 6*7 }}``.  Document properties (title, subject,
author) are rendered with the same rules but as plain text.
"""
from __future__ import annotations

import functools
import io
import re
from pathlib import Path
from typing import Any

from jinja2 import StrictUndefined, TemplateError as JinjaTemplateError, TemplateSyntaxError, UndefinedError
from jinja2.compiler import CodeGenerator
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from markupsafe import Markup, escape

from . import layout
from .errors import TemplateError
from .text import strip_illegal
from .vietnamese import JINJA_FILTERS

# docxtpl turns "{_{", "}_}", "{_%", "%_}" in its *output* into "{{", "}}", "{%", "%}" (its own escape for
# literal braces in templates).  Data must come out exactly as typed, so an underscore next to a brace in a
# value is written as the character reference &#95; — identical text once Word reads it.
_BRACE_UNDERSCORE = re.compile(r"(?<=[{%}])_|_(?=[{%}])")


def _finalize_xml(value: Any) -> Any:
    if value.__class__ is str:              # most values: remembered, a batch prints the same ones again and again
        return _escaped_again(value) if len(value) <= _REMEMBERED_LONGEST else _escaped(value)
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    return _escaped(str(value))


def _escaped(text: str) -> Markup:
    escaped = escape(strip_illegal(text))
    if "_" not in escaped:                  # nearly always: no underscore to neutralise
        return escaped
    return Markup(_BRACE_UNDERSCORE.sub("&#95;", str(escaped)))


# Finalised plain texts remembered (per process): most values of a Báo cáo thành tích were printed before (the
# unit, titles, dates, the signer): 64 % in the 11 of the VKSND fixture, 97 % in 300 of the benchmark's round.
# Markup is immutable, so one copy serves every use; long texts (achievements) are not kept.
_escaped_again = functools.lru_cache(maxsize=8192)(_escaped)
_REMEMBERED_LONGEST = 256


def _finalize_text(value: Any) -> Any:
    if value is None:
        return ""
    return strip_illegal(str(value))


_DICT_ATTRIBUTES = frozenset(dir(dict))     # what ``getattr`` finds on a plain dict (its class's attributes)


class _Environment(SandboxedEnvironment):
    """The sandboxed, strict environment, remembering what it compiled: every Báo cáo thành tích of a
    campaign is the same template source, so it is parsed and compiled once, not once per candidate, and
    its code is kept between runs (:mod:`docgen.compiled`).  (The sandbox checks happen when the compiled
    code runs, so reuse keeps them.)"""

    _CACHE_SIZE = 64

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._compiled: dict[str, Any] = {}

    def getattr(self, obj, attribute):  # noqa: A003 - Jinja's hook
        """``x.y`` on a plain dict (every context is one) whose class has no attribute ``y``: the sandbox's own
        answer (``getattr`` fails, so the item ``x["y"]``, else undefined) without raising and catching an
        AttributeError first — thirty times per document."""
        if type(obj) is dict and type(attribute) is str and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def from_string(self, source, globals=None, template_class=None):  # noqa: A002 - Jinja's signature
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            from . import compiled

            template = compiled.from_string(self, source, super().from_string)   # its code kept on disk
            if len(self._compiled) >= self._CACHE_SIZE:
                self._compiled.pop(next(iter(self._compiled)))
            self._compiled[source] = template
        return template


class FilterValueError(ValueError):
    """A filter (``| ngay``, ``| so`` …) was given a value it cannot format."""


def _reporting(f):
    @functools.wraps(f)
    def filter_(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except FilterValueError:
            raise
        except ValueError as exc:
            raise FilterValueError(str(exc)) from exc
    return filter_


class _XmlCodeGenerator(CodeGenerator):
    """The XML environment's code: its finalize (:func:`_finalize_xml`) escapes every value itself — also in a
    ``{% autoescape false %}`` block — so the ``escape(…)`` Jinja writes around it would only copy the text
    again; it is left out (the same text, one escape per value instead of two)."""

    def _output_child_pre(self, node, frame, finalize) -> None:
        if finalize.src is None:
            super()._output_child_pre(node, frame, finalize)
            return
        self.write("(")                        # _output_child_post closes it, as it would close escape(
        self.write(finalize.src)


def _environment(*, xml: bool) -> SandboxedEnvironment:
    env = _Environment(autoescape=xml, undefined=StrictUndefined,
                       finalize=_finalize_xml if xml else _finalize_text,
                       keep_trailing_newline=True)
    if xml and hasattr(CodeGenerator, "_output_child_pre"):
        env.code_generator_class = _XmlCodeGenerator
    env.filters.update({name: _reporting(f) for name, f in JINJA_FILTERS.items()})
    return env


_XML_ENV = _environment(xml=True)
_TEXT_ENV = _environment(xml=False)
_PATCHED: dict[str, str] = {}        # docxtpl's clean-up of a part's XML, by source


@functools.lru_cache(maxsize=1)
def _template_class():
    """docxtpl with document properties rendered as plain text (python-docx escapes them itself), and its
    XML clean-up done once per template part rather than once per document.  (docxtpl and python-docx are
    imported when a template is read, not by a process that only renders prepared templates.)"""
    from docxtpl import DocxTemplate

    class _Template(DocxTemplate):
        text_env: SandboxedEnvironment = _TEXT_ENV

        def patch_xml(self, src_xml):
            return patched_xml(src_xml)

        def render_properties(self, context, jinja_env=None):  # noqa: D401 - docxtpl hook
            super().render_properties(context, _Truncating(self.text_env))

    return _Template


def _docxtpl_patch(source: str) -> str:
    from docxtpl import DocxTemplate

    return DocxTemplate.patch_xml(None, source)


def patched_xml(src_xml: str) -> str:
    """docxtpl's clean-up of a part's XML (tags split across runs joined, {%p %} … resolved), once per source."""
    patched = _PATCHED.get(src_xml)
    if patched is None:
        from . import compiled

        patched = compiled.patched(src_xml, _docxtpl_patch)
        if len(_PATCHED) >= 64:
            _PATCHED.pop(next(iter(_PATCHED)))
        _PATCHED[src_xml] = patched
    return patched


def cut_property(text: str) -> str:
    """Word limits core properties (title, subject…) to 255 characters: long data is cut, with "…"."""
    return text if len(text) <= 255 else text[:254] + "…"


class _Truncating:
    """An environment whose templates' output is cut as a core property (:func:`cut_property`)."""

    def __init__(self, env: SandboxedEnvironment) -> None:
        self.env = env

    def from_string(self, source: str):
        template = self.env.from_string(source)

        class _Cut:
            @staticmethod
            def render(context):
                return cut_property(template.render(context))

        return _Cut()


def _paragraph_with(path: Path, needle: str) -> str:
    """The first paragraph of the template (body, tables, headers, footers) whose text contains ``needle``."""
    try:
        from docx import Document

        doc = Document(str(path))
        parts = [doc.element.body]
        for section in doc.sections:
            for hf in (section.header, section.footer, section.first_page_header, section.first_page_footer):
                if not hf.is_linked_to_previous:
                    parts.append(hf._element)
        for part in parts:
            for p in part.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
                text = "".join(t.text or "" for t in p.iter(
                    "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
                if needle in text:
                    return " ".join(text.split())[:160]
    except Exception:  # the template is broken in another way; the message still names it
        return ""
    return ""


def _needle(exc: Exception) -> str:
    m = re.search(r"'([^']+)' is undefined", str(exc)) or re.search(r"attribute '([^']+)'", str(exc))
    return m.group(1) if m else ""


def _describe(exc: Exception, path: Path | None = None) -> str:
    where = ""
    lineno = getattr(exc, "lineno", None)
    lines = [re.sub(r"\s+", " ", line).strip() for line in getattr(exc, "docx_context", None) or []]
    lines = [line for line in lines if line]
    needle = _needle(exc)
    found = _paragraph_with(path, needle) if path is not None and needle else ""
    if found:
        where = f' (ở đoạn: "{found}")'
    elif lines:
        excerpt = " … ".join(lines)[:200]
        where = f' (gần đoạn: "{excerpt}")'
    elif lineno:
        where = f" (dòng {lineno} của phần XML)"
    if isinstance(exc, SecurityError):
        return f"mẫu dùng thao tác không được phép (truy cập thuộc tính nội bộ): {exc}{where}"
    if isinstance(exc, UndefinedError):
        name = re.search(r"'([^']+)' is undefined", str(exc))
        missing = name.group(1) if name else str(exc)
        if name:
            return f'biến "{missing}" không có trong dữ liệu (xem docs/context.md){where}'
        return f"{missing}{where}"
    if isinstance(exc, TemplateSyntaxError):
        return f"thẻ mẫu viết sai cú pháp: {exc.message}{where}"
    return f"{exc}{where}"


def render(template: str | Path, context: dict[str, Any]) -> bytes:
    """Render ``template`` with ``context``; raise :class:`TemplateError` naming the template and the place."""
    path = Path(template)
    try:
        doc = _template_class()(str(path))
        doc.render(context, _XML_ENV)
        layout.apply(doc.docx)              # rules sized to the text, table columns to their content
        out = io.BytesIO()
        doc.save(out)
    except TemplateError:
        raise
    except Exception as exc:  # a damaged .docx, a tag docxtpl cannot place, …
        raise template_error(exc, path) from exc
    return out.getvalue()


def template_error(exc: Exception, path: Path) -> TemplateError:
    """The :class:`TemplateError` a clerk reads for ``exc`` raised while rendering ``path``."""
    if isinstance(exc, TemplateError):
        return exc
    if isinstance(exc, (JinjaTemplateError, SecurityError)):
        return TemplateError(f'Mẫu "{path.name}": {_describe(exc, path)}')
    if isinstance(exc, FilterValueError):  # a filter given a value it cannot format
        return TemplateError(f'Mẫu "{path.name}": một bộ lọc gặp giá trị không hợp lệ: {exc}')
    return TemplateError(f'Mẫu "{path.name}" không dùng được: {type(exc).__name__}: {exc}')


def variables(template: str | Path) -> set[str]:
    """The variables a template uses (for ``docgen templates`` and the docs)."""
    doc = _template_class()(str(template))
    return set(doc.get_undeclared_template_variables(_XML_ENV))
