"""The architecture's rules, enforced (issue 15 item 3), by an ast walk of every
import in the package: top-level, function-level and TYPE_CHECKING ones alike.

Layers, each importing only from the layers below it:

    cli/            the command line (click, and rich in cli/render.py alone)
    operations      what the commands do
    ask/  store/    the question pipeline; the storage (never each other)
    core            the record, dates, text, queries, checks, formats, paths ...

and no import cycle between modules anywhere. Only cli/ imports click, only
cli/render.py imports rich, only store/ imports sqlite3, tinydb or fcntl.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "factcli"
FACADE = {"factcli", "factcli.__main__"}  # the package's lazy public API and `python -m factcli`
LAYER = {"cli": 3, "operations": 2, "ask": 1, "store": 1}  # anything else is core (0)
LIBRARIES = [
    # (library, the modules allowed to import it: a module name or a package prefix)
    ("click", ("factcli.cli",)),
    ("rich", ("factcli.cli.render",)),
    ("sqlite3", ("factcli.store",)),
    ("tinydb", ("factcli.store",)),
    ("fcntl", ("factcli.store",)),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, is_package: bool = False) -> set[str]:
    """Every module a source file imports, anywhere in it, as absolute dotted names
    (``from factcli.ask import reading`` counts as factcli.ask.reading)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                origin = ".".join([*base, *([node.module] if node.module else [])])
            else:
                origin = node.module or ""
            found.add(origin)
            if origin.startswith("factcli"):  # `from factcli.ask import reading`: the submodule too
                found.update(f"{origin}.{alias.name}" for alias in node.names)
    return found


def package_imports() -> dict[str, set[str]]:
    graph = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        graph[name] = imports_of(path.read_text(encoding="utf-8"), name, path.name == "__init__.py")
    return graph


def own_modules(imported: set[str], graph: dict[str, set[str]]) -> set[str]:
    """factcli's modules among ``imported`` (names of functions or classes dropped)."""
    return {name for name in imported if name in graph}


def layer_of(module: str) -> tuple[str, int]:
    top = module.split(".")[1] if "." in module else ""
    return top, LAYER.get(top, 0)


def broken_rules(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, imported in graph.items():
        tops = {name.split(".")[0] for name in imported}
        for library, allowed in LIBRARIES:
            if library in tops and not any(module == a or module.startswith(a + ".") for a in allowed):
                problems.append(f"{module} imports {library} (only {', '.join(allowed)} may)")
        if module in FACADE:
            continue
        top, level = layer_of(module)
        for other in own_modules(imported, graph):
            if other in FACADE:
                continue
            other_top, other_level = layer_of(other)
            if other_top == top and level > 0:
                continue  # within one subsystem
            if other_level > level or (other_level == level and level > 0):
                problems.append(f"{module} imports {other} (a layer above it or beside it)")
    return problems + cycles(graph)


def cycles(graph: dict[str, set[str]]) -> list[str]:
    """Every import cycle between factcli's modules (one line per cycle found)."""
    edges = {m: sorted(own_modules(i, graph) - FACADE - {m}) for m, i in graph.items() if m not in FACADE}
    found, state, stack = [], {}, []

    def visit(module: str) -> None:
        state[module] = "open"
        stack.append(module)
        for other in edges.get(module, []):
            if state.get(other) == "open":
                found.append("import cycle: " + " -> ".join([*stack[stack.index(other) :], other]))
            elif other not in state:
                visit(other)
        stack.pop()
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module)
    return found


def test_the_package_keeps_its_import_rules():
    graph = package_imports()
    assert {"factcli.cli", "factcli.store.base", "factcli.cli.render", "factcli.model", "factcli.ask.answer"} <= set(
        graph
    )
    assert broken_rules(graph) == []
    assert graph["factcli.choices"] <= {"__future__"}  # import-free: the CLI reads the choice lists for free


@pytest.mark.parametrize(
    "module, source, expected",
    [
        ("factcli.model", "import click\n", "factcli.model imports click"),
        ("factcli.query", "def f():\n    from rich.table import Table\n", "factcli.query imports rich"),
        ("factcli.cli.pager", "import rich\n", "factcli.cli.pager imports rich"),
        (
            "factcli.text",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from factcli.store.overlay import View\n",
            "factcli.text imports factcli.store.overlay",
        ),
        ("factcli.views", "from factcli import operations\n", "factcli.views imports factcli.operations"),
        ("factcli.ask.answer", "import sqlite3\n", "factcli.ask.answer imports sqlite3"),
        ("factcli.ask.reading", "from factcli.store import cache\n", "factcli.ask.reading imports factcli.store.cache"),
        (
            "factcli.store.overlay",
            "from factcli.ask import corpus\n",
            "factcli.store.overlay imports factcli.ask.corpus",
        ),
        ("factcli.operations", "from factcli.cli import render\n", "factcli.operations imports factcli.cli.render"),
        ("factcli.dates", "from factcli import model\n", "import cycle"),
    ],
)
def test_each_rule_fails_when_broken(module, source, expected):
    graph = package_imports()
    graph[module] = graph[module] | imports_of(source, module)
    assert any(expected in problem for problem in broken_rules(graph))


# A write's fact rows change through RowWriter's four funnels only, which forget what
# prefetch read (an import's batch of lookups): a change made around them would leave
# an answer read before it standing.
_ROW_CHANGES = {"_insert_fact", "_insert_facts", "_replace_fact", "_delete_fact"}
_FUNNELS = {"_insert_fact_row", "_insert_fact_rows", "_replace_fact_rows", "_delete_fact_rows"}


def row_changes_around_the_funnels(source: str) -> list[str]:
    """Calls of a backend's row-changing methods from anywhere but RowWriter's funnels
    (and a backend's own versions of those methods, which may call each other)."""
    import ast

    found = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if function.name in _FUNNELS | _ROW_CHANGES:
            continue
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "self"
                and node.func.attr in _ROW_CHANGES
            ):
                found.append(f"{function.name} calls self.{node.func.attr}")
    return found


def test_fact_rows_change_only_through_the_funnels_that_forget_prefetched_reads():
    from pathlib import Path

    from factcli.paths import PACKAGE_DIR

    writers = ["store/rowwriter.py", "store/sqlitefile/writer.py", "store/postgres/writer.py"]
    for name in writers:
        assert row_changes_around_the_funnels((Path(PACKAGE_DIR) / name).read_text(encoding="utf-8")) == [], name
    broken = "class W:\n    def add(self, pairs):\n        self._insert_facts(pairs)\n"
    assert row_changes_around_the_funnels(broken) == ["add calls self._insert_facts"]
