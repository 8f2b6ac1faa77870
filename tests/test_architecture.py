"""The shape of the house, as tests: no import circle in docgen/, each stage importing only what lies below
it, and no class over 400 lines or function over 90 lines (docs/architecture.md)."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "docgen"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph() -> dict[str, set[str]]:
    """module → the docgen modules it imports (at module level or inside functions)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(module, is_package, node)
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            for t in targets:
                while t and t not in modules:
                    t = t.rpartition(".")[0]
                if t and t != module and t.startswith("docgen"):
                    graph[module].add(t)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found, state, stack = [], {}, []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph[m]):
            if n == "docgen" or (m.startswith(n + ".") and n.count(".") < m.count(".")):
                continue          # a package's __init__ re-exporting its modules is not a circle
            if state.get(n) == 1:
                found.append(stack[stack.index(n):] + [n])
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return found


def test_no_import_circle():
    assert _cycles(import_graph()) == []


# The stages, bottom to top: a module may import only modules of its own layer or below.
LAYERS = [
    {"docgen.text", "docgen.errors", "docgen.documents", "docgen.progress", "docgen.signals"},
    {"docgen.vietnamese", "docgen.model", "docgen.evaluation", "docgen.safety", "docgen.xlsx", "docgen.xlsx_accept"},
    {"docgen.schema"},
    {"docgen.reader", "docgen.rules", "docgen.completeness", "docgen.nd30"},
    {"docgen.validation"},
    {"docgen.assemble"},
    {"docgen.render"},
    {"docgen.write", "docgen.spreadsheet"},
    {"docgen.nd30.printed"},        # docgen check --render: the printed page, through write's PDF conversion
    {"docgen.nd30.command"},        # the `docgen check` command (CLI layer)
]


def _layer(module: str) -> int | None:
    """The layer of the longest name in LAYERS that is ``module`` or a package holding it."""
    best, layer_of = "", None
    for i, layer in enumerate(LAYERS):
        for m in layer:
            if (module == m or module.startswith(m + ".")) and len(m) > len(best):
                best, layer_of = m, i
    return layer_of


def test_stages_import_only_what_lies_below():
    wrong = []
    for module, imports in import_graph().items():
        mine = _layer(module)
        if mine is None:
            continue
        for target in imports:
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                wrong.append(f"{module} → {target}")
    assert wrong == []


def test_the_circle_finder_finds_circles():
    """The finder itself: the circle wave 1 had (check → rules → rules.checks → check) is found."""
    graph = {"docgen.check": {"docgen.rules"}, "docgen.rules": {"docgen.rules.checks"},
             "docgen.rules.checks": {"docgen.check"}, "docgen.text": set()}
    assert _cycles(graph) == [["docgen.check", "docgen.rules", "docgen.rules.checks", "docgen.check"]]


MAX_CLASS_LINES = 400
MAX_FUNCTION_LINES = 90


def _too_long(source: str, label: str) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(source)):
        size = getattr(node, "end_lineno", 0) - getattr(node, "lineno", 0) + 1
        if isinstance(node, ast.ClassDef) and size > MAX_CLASS_LINES:
            out.append(f"{label}:{node.lineno} class {node.name} ({size} lines)")
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and size > MAX_FUNCTION_LINES:
            out.append(f"{label}:{node.lineno} {node.name}() ({size} lines)")
    return out


def test_no_class_over_400_lines_no_function_over_90():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        found += _too_long(path.read_text(encoding="utf-8"), str(path.relative_to(PACKAGE.parent)))
    assert found == []


def test_the_size_check_measures_what_it_says():
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    assert _too_long(f"def f():\n{body}\n", "m") == [f"m:1 f() ({MAX_FUNCTION_LINES + 1} lines)"]
    assert _too_long(f"def f():\n{body[: body.rindex(chr(10))]}\n", "m") == []
