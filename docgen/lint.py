"""Template lint: every mistake a clerk can make editing a template in Word, found before a build.

:func:`lint_paths` is what ``docgen templates lint`` and the web front end call; :func:`lint_template` is what
a build runs on each user template it is about to use (the build refuses a template with errors, with the
same messages).  Each :class:`Finding` says where (paragraph, table cell, header, footer, file property) with
an excerpt of the text, what is wrong and how to fix it, in Vietnamese.

The checks, in order:

1. the file itself: a readable .docx, no macros, no ActiveX or embedded objects, no external relationships or
   fields that fetch content from elsewhere (:func:`_unsafe`);
2. each paragraph: tags that end in another paragraph, curly quotes or other typographic characters inside a
   tag (Word's AutoCorrect), ``{{ … }}`` split by Word into runs with different formatting, ``{%p %}`` sharing
   its paragraph with text, ``{%tr %}`` outside a table row (:mod:`docgen.lint_docx`);
3. the Jinja of the whole template: syntax (unclosed blocks, unknown tags and filters, filters given the
   wrong arguments), block tags of different kinds paired across paragraphs, and every variable, attribute
   path and loop variable against the documented context (:mod:`docgen.context_schema`);
4. the result: the template rendered with the demo data (or a workbook's) and run through the ND30 checker.
"""
from __future__ import annotations

import difflib
import inspect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment

from . import context_schema as schema
from .lint_docx import ERROR, WARNING, Finding, Paragraph, TemplateText, read_template
from .vietnamese import JINJA_FILTERS

__all__ = ["ERROR", "WARNING", "Finding", "lint_paths", "lint_template", "has_errors", "format_findings",
           "refuse_broken_templates", "template_usage"]

_ENV = SandboxedEnvironment()
_ENV.filters.update(JINJA_FILTERS)

_LOOP_FIELDS = {"index", "index0", "revindex", "revindex0", "first", "last", "length", "cycle", "depth",
                "depth0", "previtem", "nextitem", "changed"}
_SAME_LIST_FILTERS = {"sap_xep_ten", "sort", "reverse", "unique", "list", "select", "reject", "selectattr",
                      "rejectattr", "batch", "slice"}
_ITEM_FILTERS = {"first", "last", "random", "min", "max"}
_ANY = schema.Var("?", "map", "")             # a value whose shape the description does not know
_LOOP = schema.Var("loop", "map", "")
_OPENERS = {"for", "if", "macro", "call", "filter", "block", "with", "raw", "autoescape"}


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.severity == ERROR for f in findings)


def format_findings(findings: Iterable[Finding]) -> str:
    return "\n".join(f"  - {f.format()}" for f in findings)


def lint_paths(paths: Iterable[str | Path], workbook: str | Path | None = None) -> list[Finding]:
    """Lint each .docx of ``paths`` (a folder: every .docx in it); ND30 checks use the demo data, or
    ``workbook``'s.  Raises :class:`~docgen.errors.ValidationFailed` when ``workbook`` has blocking errors."""
    contexts = _contexts(str(Path(workbook).resolve()) if workbook else None)
    findings: list[Finding] = []
    for path in _expand(paths):
        match = schema.for_template(path.name)
        findings += lint_template(path, context=contexts.get(path.name), match=match)
    return findings


def _expand(paths: Iterable[str | Path]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(q for q in p.glob("*.docx") if not q.name.startswith("~$"))
        else:
            out.append(p)
    return out


def lint_template(path: str | Path, *, context: dict[str, Any] | None = None,
                  match: tuple[str, str | None] | None = None) -> list[Finding]:
    """Every finding for one template; ``context`` (an assembled context for it) enables the ND30 check."""
    path = Path(path)
    match = match if match is not None else schema.for_template(path.name)
    template, findings = read_template(path)
    if template is None:
        return findings
    findings += template.paragraph_findings()
    if match is None:
        findings.append(template.finding(None, WARNING, (
            "tên tệp không trùng mẫu có sẵn nào (" + ", ".join(t for k in _kinds() for t in k.templates)
            + "); docgen chỉ dùng mẫu cùng tên tệp với mẫu có sẵn, nên mẫu này sẽ không được dùng. Biến được "
            "kiểm tra theo mọi loại văn bản."), "ten-tep"))
        variables = schema.union()
    else:
        variables = schema.describe(*match)
    flagged = {f.where for f in findings if f.severity == ERROR}     # one message per broken paragraph
    findings += [f for f in _check_jinja(template, variables) if f.where not in flagged]
    if not has_errors(findings) and context is not None and match is not None:
        findings += _check_result(template, context, match[0])
    return findings


def _kinds():
    from .documents import REGISTRY

    return list(REGISTRY)


# ------------------------------------------------------------------------------------------------------------
# Jinja: syntax, blocks, variables
# ------------------------------------------------------------------------------------------------------------

def _check_jinja(template: TemplateText, variables: dict[str, schema.Var]) -> list[Finding]:
    source = template.jinja_source()
    findings = _check_blocks(template, source)
    if findings:
        return findings
    try:
        ast = _ENV.parse(source)
        _ENV.compile(ast)              # unknown filters and tests are found here
    except TemplateSyntaxError as exc:
        return [template.finding(template.line(exc.lineno), ERROR, _syntax_message(exc), "cu-phap")]
    checker = _VariableChecker(template, variables)
    checker.visit(ast, {})
    return checker.findings


def _check_blocks(template: TemplateText, source: str) -> list[Finding]:
    """Block tags paired: every opener closed, by a tag of the same kind ({%p %} with {%p %}, {%tr %} with
    {%tr %}, a plain {% %} in the same paragraph)."""
    stack: list[tuple[str, str, int]] = []       # (name, prefix, line)
    findings: list[Finding] = []
    for line_no, para in enumerate(template.lines, start=1):
        for prefix, name in para.block_tags():
            if name in _OPENERS:
                stack.append((name, prefix, line_no))
            elif name.startswith("end") and name[3:] in _OPENERS:
                if not stack or stack[-1][0] != name[3:]:
                    expected = f"{{%{stack[-1][1]} end{stack[-1][0]} %}}" if stack else "không có khối nào đang mở"
                    findings.append(template.finding(para, ERROR, (
                        f'thẻ đóng {{%{prefix} {name} %}} không khớp (đang chờ: {expected}). Kiểm tra thứ tự '
                        "các thẻ mở/đóng; có thể một đoạn chứa thẻ đã bị xóa hoặc chuyển chỗ."), "khoi"))
                    return findings
                opened, open_prefix, open_line = stack.pop()
                if open_prefix != prefix or (not prefix and open_line != line_no):
                    findings.append(template.finding(para, ERROR, _pairing_message(
                        opened, open_prefix, prefix, template.lines[open_line - 1]), "khoi"))
    for name, prefix, line_no in stack:
        findings.append(template.finding(template.lines[line_no - 1], ERROR, (
            f"khối {{%{prefix} {name} … %}} mở ở đây không có thẻ đóng; thêm một đoạn chỉ gồm "
            f"{{%{prefix} end{name} %}} ở chỗ khối kết thúc."), "khoi"))
    return findings


def _pairing_message(name: str, open_prefix: str, prefix: str, opener: Paragraph) -> str:
    def shown(p: str) -> str:
        return f"{{%{p} … %}}" if p else "{% … %}"

    if not open_prefix and not prefix:
        return (f"khối {{% {name} %}} mở ở {opener.where} và đóng ở đoạn khác: thẻ {{% %}} không có chữ p chỉ dùng "
                f"trong một đoạn. Khối lặp/điều kiện qua nhiều đoạn viết {{%p {name} … %}} và {{%p end{name} %}}, "
                "mỗi thẻ một đoạn riêng.")
    return (f"khối {name} mở bằng {shown(open_prefix)} ({opener.where}) nhưng đóng bằng {shown(prefix)}; "
            "thẻ mở và thẻ đóng phải cùng loại (cùng p, cùng tr, hoặc cùng không có).")


_SYNTAX_PATTERNS: tuple[tuple[str, Any], ...] = (
    (r"No filter named '([^']+)'", lambda m: f'không có bộ lọc "{m[1]}"{_suggest(m[1], _ENV.filters)}.'),
    (r"No test named '([^']+)'", lambda m: f'không có phép thử "{m[1]}".'),
    (r"Encountered unknown tag '([^']+)'", lambda m: f'thẻ lạ "{m[1]}"{_suggest(m[1], _TAGS)} '
                                                     "(thẻ hợp lệ: for, if, elif, else, endfor, endif, set…)."),
    (r"unexpected '([^']+)'", lambda m: f'ký tự "{m[1]}" không đúng chỗ trong thẻ.'),
    (r"expected token '([^']+)', got '([^']+)'", lambda m: f'thiếu "{m[1]}" (gặp "{m[2]}").'),
    (r"unexpected char '(.)'", lambda m: f'ký tự "{m[1]}" không dùng được trong thẻ (gõ lại thẻ bằng bàn phím, '
                                         "dấu nháy thẳng ' hoặc \")."),
)
_TAGS = ("for", "if", "elif", "else", "endfor", "endif", "set", "with", "endwith", "macro", "endmacro")


def _syntax_message(exc: TemplateSyntaxError) -> str:
    for pattern, make in _SYNTAX_PATTERNS:
        m = re.search(pattern, exc.message or "")
        if m:
            return "thẻ viết sai: " + make(m)
    return f"thẻ viết sai cú pháp: {exc.message}"


def _quoted(name: str) -> str:
    head, sep, rest = name.partition(" ")
    return f'"{head}"{sep}{rest}'


def _suggest(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.7)
    return f' (có phải "{close[0]}"?)' if close else ""


class _VariableChecker:
    """Walks the Jinja AST with a scope of described variables; reports unknown names and fields."""

    def __init__(self, template: TemplateText, variables: dict[str, schema.Var]) -> None:
        self.template = template
        self.variables = variables
        self.findings: list[Finding] = []
        self._seen: set[tuple[int, str]] = set()

    def report(self, node: nodes.Node, message: str) -> None:
        key = (node.lineno, message)
        if key not in self._seen:
            self._seen.add(key)
            self.findings.append(self.template.finding(self.template.line(node.lineno), ERROR, message, "bien"))

    def visit(self, node: nodes.Node, scope: dict[str, schema.Var]) -> None:
        if isinstance(node, nodes.For):
            self.visit(node.iter, scope)
            inner = dict(scope)
            item = self.item_of(self.resolve(node.iter, scope),
                                getattr(node.target, "name", None))
            self.bind(node.target, item, inner)
            inner["loop"] = _LOOP
            if node.test is not None:
                self.visit(node.test, inner)
            for child in node.body:
                self.visit(child, inner)
            for child in node.else_:
                self.visit(child, scope)
            return
        if isinstance(node, (nodes.Assign, nodes.AssignBlock)):
            for child in ([node.node] if isinstance(node, nodes.Assign) else node.body):
                self.visit(child, scope)
            self.bind(node.target, _ANY, scope)
            return
        if isinstance(node, (nodes.Macro, nodes.With)):
            inner = dict(scope)
            for target in (node.args if isinstance(node, nodes.Macro) else node.targets):
                self.bind(target, _ANY, inner)
            for child in node.body:
                self.visit(child, inner)
            return
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter)):
            self.resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)

    def bind(self, target: nodes.Node, var: schema.Var, scope: dict[str, schema.Var]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = var
        else:
            for name in target.find_all(nodes.Name):
                scope[name.name] = _ANY

    @staticmethod
    def item_of(var: schema.Var, name: str | None = None) -> schema.Var:
        """One item of a described list (``name``: the loop variable it is bound to)."""
        if var.type == "list":
            label = f"{name} (mỗi phần tử của {var.name})" if name else f"{var.name}[…]"
            if var.fields:
                return schema.Var(label, "obj", var.meaning, fields=var.fields)
            return schema.Var(label, var.item, var.meaning)
        return _ANY

    def resolve(self, node: nodes.Node, scope: dict[str, schema.Var]) -> schema.Var:
        """The described variable an expression stands for (``_ANY`` when unknown); reports what is wrong."""
        if isinstance(node, nodes.Name):
            if node.ctx != "load" or node.name in scope:
                return scope.get(node.name, _ANY)
            if node.name in self.variables:
                return self.variables[node.name]
            if node.name in ("true", "false", "none", "True", "False", "None", "range", "loop", "namespace",
                             "dict", "lipsum", "cycler", "joiner"):
                return _ANY
            self.report(node, f'biến "{node.name}" không có trong dữ liệu của mẫu này'
                              f"{_suggest(node.name, [*self.variables, *scope])}. Xem danh sách biến: "
                              "docgen templates vars, hoặc docs/context.md.")
            return _ANY
        if isinstance(node, nodes.Getattr):
            return self.field(node, self.resolve(node.node, scope), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.resolve(node.node, scope)
            self.visit(node.arg, scope)
            if isinstance(node.arg, nodes.Const):
                if isinstance(node.arg.value, str):
                    return self.field(node, base, node.arg.value)
                if isinstance(node.arg.value, int):
                    return self.item_of(base)
            return _ANY
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        for child in node.iter_child_nodes():
            self.visit(child, scope)
        return _ANY

    def field(self, node: nodes.Node, base: schema.Var, attr: str) -> schema.Var:
        if attr.startswith("_"):
            self.report(node, f'thuộc tính "{attr}" không được phép trong mẫu (thuộc tính nội bộ; mẫu chạy trong '
                              "môi trường hộp cát).")
            return _ANY
        if base is _LOOP:
            if attr not in _LOOP_FIELDS:
                self.report(node, f'"loop.{attr}" không có; trong vòng lặp dùng được: loop.index, loop.first, '
                                  "loop.last, loop.length.")
            return _ANY
        if base.type in ("map",) or base is _ANY:
            return _ANY
        if base.type == "obj":
            if attr in ("items", "keys", "values", "get"):
                return _ANY
            found = base.field(attr)
            if found is None:
                names = [f.name for f in base.fields]
                self.report(node, f'{_quoted(base.name)} không có trường "{attr}"{_suggest(attr, names)}; các trường: '
                                  f'{", ".join(names)}.')
                return _ANY
            return found
        if base.type == "str" and hasattr(str, attr):
            return _ANY                                      # a string method: ten.upper()
        self.report(node, f'{_quoted(base.name)} là {base.type_text}, không có trường "{attr}".')
        return _ANY

    def filter(self, node: nodes.Filter, scope: dict[str, schema.Var]) -> schema.Var:
        base = self.resolve(node.node, scope) if node.node is not None else _ANY
        for arg in [*node.args, *(k.value for k in node.kwargs)]:
            self.visit(arg, scope)
        func = JINJA_FILTERS.get(node.name)
        if func is not None:
            try:
                inspect.signature(func).bind(None, *node.args, **{k.key: k.value for k in node.kwargs})
            except TypeError:
                params = ", ".join(list(inspect.signature(func).parameters)[1:]) or "không có tham số"
                self.report(node, f'bộ lọc "{node.name}" nhận sai tham số (tham số của nó: {params}).')
        if node.name in _SAME_LIST_FILTERS:
            return base
        if node.name in _ITEM_FILTERS:
            return self.item_of(base)
        return _ANY


# ------------------------------------------------------------------------------------------------------------
# The result: rendered with real data and run through the ND30 checker
# ------------------------------------------------------------------------------------------------------------

def _check_result(template: TemplateText, context: dict[str, Any], kind_key: str) -> list[Finding]:
    from .documents import REGISTRY
    from .errors import TemplateError
    from .nd30 import CANH_BAO, check_document
    from .render import render

    try:
        if _is_user(template.path):          # a clerk's template: rendered under the time and memory limits
            from .limits import RenderWorker

            with RenderWorker() as worker:
                data = worker.render(template.path, context)
        else:
            data = render(template.path, context)
    except TemplateError as exc:
        return [Finding(template.path.name, ERROR, "khi tạo thử văn bản từ mẫu",
                        f"không tạo được văn bản: {str(exc).split(': ', 1)[-1]}", "", "tao-thu")]
    result = check_document(data, REGISTRY.get(kind_key).code)
    known = _builtin_nd30(template.path.name, context, kind_key) if _is_user(template.path) else set()
    out = []
    for f in result.findings:
        if (f.code, f.message) in known:          # the built-in template gives the same with this data
            continue
        severity = WARNING if f.severity == CANH_BAO else ERROR
        where = f"văn bản tạo thử từ mẫu, {f.where}" if f.where else "văn bản tạo thử từ mẫu"
        out.append(Finding(template.path.name, severity, where, f"sai thể thức NĐ 30 ({f.code}): {f.message}",
                           f.excerpt or "", "nd30"))
    return out


def _is_user(path: Path) -> bool:
    from .resources import is_builtin_template

    return not is_builtin_template(path)


def _builtin_nd30(name: str, context: dict[str, Any], kind_key: str) -> set[tuple[str, str]]:
    """ND30 findings of the built-in template of the same name with the same data: what the data causes,
    not the edit (a build with real data is refused only for what the clerk's template adds)."""
    from .resources import builtin_templates_dir
    from .documents import REGISTRY
    from .nd30 import check_document
    from .render import render

    builtin = builtin_templates_dir() / name
    if not builtin.is_file():
        return set()
    try:
        result = check_document(render(builtin, context), REGISTRY.get(kind_key).code)
    except Exception:       # noqa: BLE001 - the built-in always renders; if not, compare with nothing
        return set()
    return {(f.code, f.message) for f in result.findings}


def refuse_broken_templates(jobs, paths: dict[str, Path], originals: dict[str, Path] | None = None) -> None:
    """The build's lint: every user template about to be used (``paths``: template file name → the file a
    build uses), checked with the context of its first document; raise :class:`~docgen.errors.TemplateError`
    with every error, before anything is rendered or written."""
    from .errors import TemplateError

    problems: list[Finding] = []
    for name, path in paths.items():
        if not _is_user(path):
            continue
        context = next((job.context for job in jobs if job.template == name), None)
        problems += [f for f in lint_template(path, context=context) if f.severity == ERROR]
    if problems:
        names = ", ".join(f'"{n}"' for n in dict.fromkeys(f.template for f in problems))
        raise TemplateError(f"Mẫu {names} có lỗi, chưa tạo văn bản nào:\n" + format_findings(problems)
                            + "\nSửa mẫu trong Word rồi chạy lại; kiểm tra mẫu: docgen templates lint "
                            + " ".join(sorted({str((originals or paths).get(n, p)) for n, p in paths.items()
                                               if _is_user(p)})))


@lru_cache(maxsize=4)
def _contexts(workbook: str | None) -> dict[str, dict[str, Any]]:
    """The first assembled context for each template file name, from the demo workbook or ``workbook``."""
    from . import assemble
    from .errors import ValidationFailed
    from .reader import load_campaign
    from .resources import demo_workbook
    from .validation import check

    campaign = load_campaign(workbook or demo_workbook())
    report, evaluation, documents = check(campaign)
    if not report.ok:
        raise ValidationFailed(report)
    out: dict[str, dict[str, Any]] = {}
    jobs = assemble.plan_documents(campaign, evaluation)
    signer = next((j.context["nguoi_ky"] for j in jobs if j.key in documents and j.context["nguoi_ky"]["ho_ten"]),
                  None)
    for job in jobs:
        if job.key not in documents and signer is not None:    # a kind the workbook gives no signer (yet)
            job.context["nguoi_ky"] = signer                   # is tried with the signer of another document
        out.setdefault(job.template, job.context)
    return out


def demo_context(template_name: str) -> dict[str, Any] | None:
    return _contexts(None).get(template_name)


# ------------------------------------------------------------------------------------------------------------
# What a template uses (docgen templates show)
# ------------------------------------------------------------------------------------------------------------

@dataclass
class Usage:
    variables: list[str]            # "doi_tuong.ho_ten", "danh_sach", …
    loops: list[str]                # "nhom in danh_sach", …
    conditions: list[str]           # "if ke_hoach", …
    filters: list[str]              # "ngay_thang", …


def template_usage(path: str | Path) -> Usage:
    """The variables (with attribute paths), loops, conditions and filters of a template, in order of use.
    Raises :class:`~docgen.errors.TemplateError` when the template cannot be read or parsed."""
    from .errors import TemplateError

    template, findings = read_template(Path(path))
    if template is None:
        raise TemplateError(findings[0].message)
    try:
        ast = _ENV.parse(template.jinja_source())
    except TemplateSyntaxError as exc:
        raise TemplateError(f'Mẫu "{Path(path).name}": {_syntax_message(exc)} (chạy docgen templates lint để '
                            "xem chỗ sai)") from None
    usage = Usage([], [], [], [])
    bound: set[str] = set()
    for node in ast.find_all((nodes.For, nodes.If, nodes.Filter, nodes.Name, nodes.Getattr)):
        if isinstance(node, nodes.For):
            usage.loops.append(f"{_expr(node.target)} in {_expr(node.iter)}")
            targets = [node.target] if isinstance(node.target, nodes.Name) else node.target.find_all(nodes.Name)
            bound |= {n.name for n in targets} | {"loop"}
        elif isinstance(node, nodes.If):
            usage.conditions.append(_expr(node.test))
        elif isinstance(node, nodes.Filter) and node.name not in usage.filters:
            usage.filters.append(node.name)
    for node in ast.find_all((nodes.Name, nodes.Getattr)):
        path_ = _expr(node)
        root = path_.split(".")[0].split("[")[0]
        if path_ in bound or root == "loop" or not re.fullmatch(r"[a-z_][a-z0-9_.]*", path_):
            continue
        if isinstance(node, nodes.Name) and any(v.startswith(path_ + ".") for v in usage.variables):
            continue
        if path_ not in usage.variables and not any(v.startswith(path_ + ".") for v in usage.variables):
            usage.variables = [v for v in usage.variables if not path_.startswith(v + ".")] + [path_]
    usage.loops = list(dict.fromkeys(usage.loops))
    usage.conditions = list(dict.fromkeys(usage.conditions))
    return usage


def _expr(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expr(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_expr(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Filter):
        return f"{_expr(node.node)}|{node.name}" if node.node is not None else node.name
    if isinstance(node, nodes.Not):
        return f"not {_expr(node.node)}"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    if isinstance(node, nodes.Tuple):
        return ", ".join(_expr(n) for n in node.items)
    if isinstance(node, nodes.Compare):
        ops = {"eq": "==", "ne": "!=", "lt": "<", "gt": ">", "lteq": "<=", "gteq": ">=", "in": "in", "notin": "not in"}
        return " ".join([_expr(node.expr), *(f"{ops.get(op.op, op.op)} {_expr(op.expr)}" for op in node.ops)])
    if isinstance(node, (nodes.And, nodes.Or)):
        return f"{_expr(node.left)} {'and' if isinstance(node, nodes.And) else 'or'} {_expr(node.right)}"
    return type(node).__name__
