"""The house's shape: packages import downwards only, and `services/` stays findable.

A package here is a folder of `survey/` (`survey/services/surveys`, `survey/web/dashboard`,
`survey/stats`) or one of `survey/`'s own modules (`survey/extensions.py`). Every import in a
file counts, also those inside functions: an import put off to run time still ties two
packages, and a loop of them is a house whose rooms cannot be understood one at a time.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SURVEY = ROOT / "survey"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(module: str, packages: set[str]) -> str:
    """The innermost package (folder, or a top-level module of survey) holding a module."""
    while module not in packages and "." in module:
        module = module.rsplit(".", 1)[0]
    return module


def _imports(path: Path) -> set[str]:
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return {name for name in found if name == "survey" or name.startswith("survey.")}


def package_graph() -> dict[str, set[str]]:
    """Which package imports which (a package's own modules importing each other left out)."""
    files = sorted(SURVEY.rglob("*.py"))
    packages = {_module_name(p.parent) for p in files if p.name == "__init__.py"}
    packages |= {_module_name(p) for p in files if p.parent == SURVEY}
    modules = {_module_name(p) for p in files}
    graph: dict[str, set[str]] = defaultdict(set)
    for path in files:
        source = _package_of(_module_name(path), packages)
        for name in _imports(path):
            while name not in modules and "." in name:
                name = name.rsplit(".", 1)[0]  # `from pkg.mod import function`
            target = _package_of(name, packages)
            if target != source and target != "survey" and not source.startswith(target + "."):
                graph[source].add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every strongly connected group of more than one package (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_between_packages() -> None:
    graph = package_graph()
    loops = cycles(graph)
    explained = [
        " <-> ".join(group)
        + ": "
        + "; ".join(f"{a} -> {b}" for a in group for b in sorted(graph[a]) if b in group)
        for group in loops
    ]
    assert not loops, "import cycles between packages:\n" + "\n".join(explained)


def test_services_is_a_handful_of_feature_packages() -> None:
    entries = [
        p for p in (SURVEY / "services").iterdir() if p.name not in ("__pycache__", "__init__.py")
    ]
    assert len(entries) <= 15, sorted(p.name for p in entries)


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []
