"""The installed `factcli` command in subprocesses: pipes, terminals, several writers."""

import json
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import factcli_command, factcli_run

needs_script = pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a pseudo-terminal")


@pytest.fixture
def filled(tmp_path):
    db = tmp_path / "facts.json"
    lines = [
        json.dumps(
            {
                "who": f"Actor {i}",
                "what": f"did thing number {i}",
                "when": f"20{10 + i % 15}",
                "country": ["AFG"],
                "sources": ["https://example.org"],
            }
        )
        for i in range(300)
    ]
    result = factcli_run("--db", str(db), "import", "-", input="\n".join(lines).encode())
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize("unbuffered", ["", "1"])
def test_head_ends_quietly(filled, unbuffered):
    env = dict(os.environ, PYTHONUNBUFFERED=unbuffered) if unbuffered else dict(os.environ)
    env.pop("PYTHONUNBUFFERED", None) if not unbuffered else None
    command = " ".join(factcli_command()) + f" --db {filled} search | head -1"
    result = subprocess.run(["bash", "-c", command], capture_output=True, env=env, timeout=60)
    assert result.returncode == 0
    assert result.stdout.count(b"\n") == 1
    assert result.stderr == b""


def test_pipe_into_cut_sort_wc(filled):
    command = " ".join(factcli_command()) + f" --db {filled} search actor | cut -f2 | sort -u | wc -l"
    result = subprocess.run(["bash", "-c", command], capture_output=True, timeout=60)
    assert result.stdout.strip() == b"300"


def test_concurrent_adds_lose_nothing(tmp_path):
    db = tmp_path / "facts.json"

    def writer(n):
        ids = []
        for i in range(25):
            r = factcli_run(
                "--db",
                str(db),
                "add",
                "--who",
                f"Writer {n}",
                "--what",
                f"fact {i}",
                "--country",
                "FR",
                "--source",
                "s",
            )
            assert r.returncode == 0, r.stderr
            ids.append(r.stdout.decode().strip())
        return ids

    with ThreadPoolExecutor(4) as pool:
        ids = [i for batch in pool.map(writer, range(4)) for i in batch]
    assert len(ids) == len(set(ids)) == 100
    out = factcli_run("--db", str(db), "search", "--fields", "id")
    assert sorted(out.stdout.decode().split()) == sorted(ids)


def _tty(command: str, env: dict | None = None, columns: int = 100) -> str:
    """Run a shell command under a pseudo-terminal (script(1)); no pager unless `env` names one."""
    full = dict(os.environ, COLUMNS=str(columns), FACTCLI_PAGER="")
    full.update(env or {})
    result = subprocess.run(
        ["script", "-qec", command, "/dev/null"], capture_output=True, env=full, timeout=60, stdin=subprocess.DEVNULL
    )
    return result.stdout.decode("utf-8", "replace")


@needs_script
def test_terminal_gets_a_table_with_a_default_limit(filled):
    out = _tty(" ".join(factcli_command()) + f" --db {filled} search actor")
    assert "┃" in out and "Actor" in out
    assert "280 more matched" in out


@needs_script
def test_terminal_respects_no_color(filled):
    colored = _tty(" ".join(factcli_command()) + f" --db {filled} search 'number 7'")
    plain = _tty(" ".join(factcli_command()) + f" --db {filled} search 'number 7'", env={"NO_COLOR": "1"})
    flag = _tty(" ".join(factcli_command()) + f" --db {filled} --no-color search 'number 7'")
    cyan = "\x1b[36m"  # the ID column's colour; NO_COLOR keeps bold, which is not a colour
    assert cyan in colored
    assert cyan not in plain and cyan not in flag


def test_force_color_does_not_make_a_pipe_a_terminal(filled):
    result = factcli_run("--db", str(filled), "search", "number 7", env={"FORCE_COLOR": "1"})
    assert b"\x1b" not in result.stdout and b"\t" in result.stdout


@needs_script
def test_hostile_text_prints_literally_on_a_terminal(tmp_path):
    db = tmp_path / "facts.json"
    rows = json.dumps(
        {
            "who": "[bold]Mallory[/bold] [link=http://evil]x[/link]",
            "what": "tab\there and [/bold] unbalanced [red]",
            "country": "FR",
            "sources": ["s"],
        }
    )
    assert factcli_run("--db", str(db), "import", "-", input=rows.encode()).returncode == 0
    out = _tty(" ".join(factcli_command()) + f" --db {db} --no-color search mallory", columns=200)
    assert "[bold]Mallory[/bold]" in out and "[/bold] unbalanced" in out
    assert "\\there" in out


def test_python_dash_m_works(filled):
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "factcli", "--db", str(filled), "search", "number 299", "--fields", "who"],
        capture_output=True,
        timeout=60,
    )
    assert result.stdout == b"Actor 299\n"
