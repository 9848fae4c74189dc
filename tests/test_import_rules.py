"""The architecture's rules, enforced (issue 15 item 3), by an ast walk of every
import in the package: top-level, function-level and TYPE_CHECKING ones alike.

- only the command line (cli.py, completion.py) imports click;
- only render.py imports rich;
- only the storage (store.py, index.py) imports sqlite3, tinydb or fcntl;
- the core (the record, dates, text, countries, queries, word forms, checks, views,
  citations, formats, import parsing) imports neither the command line, nor the
  storage, nor the operations above it.

These hold for the package as it is now; the subpackages of issue 15 will tighten
them (cli → operations → {ask, store} → core, no cycles)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "factcli"

CLI = {"cli", "completion"}
STORAGE = {"store", "index"}
CORE = {
    "choices",
    "model",
    "dates",
    "text",
    "countries",
    "query",
    "words",
    "idlist",
    "layout",
    "check",
    "views",
    "cite",
    "formats",
    "importer",
    "errors",
    "gc_pause",
}
ABOVE_CORE = (
    CLI | STORAGE | {"operations", "render", "pager", "config", "answer", "reading", "factindex", "english", "offices"}
)

RULES = [
    # (what is imported, the modules allowed to import it)
    ("click", CLI),
    ("rich", {"render"}),
    ("sqlite3", STORAGE),
    ("tinydb", STORAGE),
    ("fcntl", STORAGE),
]


def imports_of(source: str) -> set[str]:
    """Every module a source file imports, anywhere in it, as dotted names;
    factcli's own relative imports as "factcli.NAME"."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # from . import x / from .x import y
                base = "factcli" + (f".{node.module}" if node.module else "")
                if node.module:
                    found.add(base)
                else:
                    found.update(f"factcli.{alias.name}" for alias in node.names)
            elif node.module:
                found.add(node.module)
    return found


def package_imports() -> dict[str, set[str]]:
    return {path.stem: imports_of(path.read_text(encoding="utf-8")) for path in sorted(PACKAGE.glob("*.py"))}


def broken_rules(graph: dict[str, set[str]]) -> list[str]:
    problems = []
    for module, imported in graph.items():
        tops = {name.split(".")[0] for name in imported}
        for library, allowed in RULES:
            if library in tops and module not in allowed:
                problems.append(f"{module} imports {library} (only {', '.join(sorted(allowed))} may)")
        if module in CORE:
            for name in imported:
                if name.startswith("factcli.") and name.split(".")[1] in ABOVE_CORE:
                    problems.append(f"core module {module} imports {name}")
    return problems


def test_the_package_keeps_its_import_rules():
    graph = package_imports()
    assert {"cli", "store", "render", "model"} <= set(graph)  # the walk sees the package
    assert broken_rules(graph) == []
    assert graph["choices"] == set()  # the choice lists import nothing: the CLI reads them for free


@pytest.mark.parametrize(
    "module, source, expected",
    [
        ("model", "import click\n", "model imports click"),
        ("query", "def f():\n    from rich.table import Table\n", "query imports rich"),
        (
            "text",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .store import View\n",
            "core module text imports factcli.store",
        ),
        ("views", "from . import operations\n", "core module views imports factcli.operations"),
        ("answer", "import sqlite3\n", "answer imports sqlite3"),
    ],
)
def test_each_rule_fails_when_broken(module, source, expected):
    graph = package_imports()
    graph[module] = graph[module] | imports_of(source)
    assert any(expected in problem for problem in broken_rules(graph))
