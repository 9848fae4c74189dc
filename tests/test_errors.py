"""Core errors are worded in the domain; the command line names the flags.

The core says which *setting* is the way out (``Setting("skip_invalid")``); the
command line writes it as the flag that gives it (``--skip-invalid``). These
tests hold the rule: no string in the core spells a flag, and every setting the
core names is a real option of some command.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import factcli
from factcli import operations
from factcli.cli import cli
from factcli.cli.runtime import flags
from factcli.errors import InvalidInput, Setting

PACKAGE = Path(factcli.__file__).parent
CORE = sorted(p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts)
FLAG = re.compile(r"(?<![\w-])--[a-z][a-z-]+")

# Strings in the core that spell a flag on purpose, and why.
ALLOWED = {
    # ask's "try: factcli search …" suggestion is a command line to type: it is the answer.
    ("ask/answer.py", "--country"),
    ("ask/answer.py", "--since"),
    ("ask/answer.py", "--until"),
}


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def _strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node


def _setting_names(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Setting" and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                names.append(first.value)
    return names


def _option_names() -> set[str]:
    names = set(flags(cli))
    assert len(names) > 20 and {"db", "skip_invalid", "maps"} <= names
    return names


def test_no_core_string_spells_a_flag():
    found = []
    for path in CORE:
        rel = path.relative_to(PACKAGE).as_posix()
        for node in _strings(path):
            for flag in FLAG.findall(node.value):
                if (rel, flag) not in ALLOWED:
                    found.append(f"{rel}:{node.lineno}: {flag} in {node.value!r}")
    assert not found, "core strings that name a command-line flag:\n" + "\n".join(found)


def test_the_flag_rule_catches_a_flag(tmp_path):
    planted = tmp_path / "planted.py"
    planted.write_text('def f():\n    """Uses --db."""\n    raise ValueError("pass --skip-invalid")\n')
    flags = [flag for node in _strings(planted) for flag in FLAG.findall(node.value)]
    assert flags == ["--skip-invalid"]  # the docstring's --db is documentation, not a message


def test_every_setting_the_core_names_is_an_option():
    options = _option_names()
    named = {name for path in CORE for name in _setting_names(path)} | set(operations.EDIT_SETTINGS)
    assert named, "the scan found no Setting(...) at all"
    assert named - options == set()


def test_the_option_check_would_fail_on_a_made_up_setting():
    assert "skip_invalid" in _option_names()
    assert "skip_bad_rows" not in _option_names()


def test_an_error_names_parameters_in_python_and_flags_on_the_command_line(run, tmp_path):
    error = InvalidInput("fix them, or pass ", Setting("skip_invalid"), ")")
    assert str(error) == "fix them, or pass `skip_invalid`)"
    assert error.settings() == [Setting("skip_invalid")]

    path = tmp_path / "bad.csv"
    path.write_text("who,what,when,country,source\nX,,2020,FRA,https://example.org\n")
    result = run("import", str(path))
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].endswith("nothing was imported (fix them, or pass --skip-invalid)")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["edit", "c1"], "nothing to change: give at least one of --who --what --when --country --source"),
        (["import", "-", "--map", "nonsense"], "factcli: --map 'nonsense': expected FIELD=COLUMN or FIELD=TEMPLATE"),
        (["import", "-", "--encoding", "klingon"], "factcli: --encoding: unknown encoding 'klingon'"),
    ],
)
def test_core_errors_reach_the_user_with_flags(run, args, expected):
    result = run(*args, input="")
    assert result.exit_code == 2
    assert expected in result.stderr
    assert "`" not in result.stderr.split(expected, 1)[1][:40]
