"""Shared fixtures: every test gets its own user data directory and database."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from factcli.cli import run as run_cli

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
WIKIDATA = SHARED / "data" / "wikidata"
# How the README imports the world-leaders extract (a term is one interval, open if unfinished).
LEADERS_MAP = [
    "--map",
    "who=officeholderLabel",
    "--map",
    "what=positionLabel",
    "--map",
    "country=country",
    "--map",
    "when={start_year}/{end_year|..}",
]


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path_factory, monkeypatch):
    """Never touch the real user's facts: the user data dir is a fresh temp dir."""
    home = tmp_path_factory.mktemp("xdg")
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.delenv("FACTCLI_DB", raising=False)
    monkeypatch.delenv("FACTCLI_CONFIG", raising=False)  # the config is the temp dir's (none)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    return home


@pytest.fixture
def db(tmp_path) -> Path:
    """A path for a fresh database file (created by the first write)."""
    return tmp_path / "facts.json"


class Invoker:
    """Runs the CLI in-process the way `factcli` runs it: through cli.run(), so
    error lines and exit codes are the real ones."""

    def __init__(self, db: Path | None) -> None:
        self.db = db

    def __call__(self, *args: str, input: str | bytes | None = None, db: bool = True):
        argv = (["--db", str(self.db)] if db and self.db else []) + list(args)
        runner = CliRunner()
        return runner.invoke(cli_main, argv, input=input, catch_exceptions=False)


@pytest.fixture
def run(db):
    return Invoker(db)


@pytest.fixture
def run_default():
    """The default set-up: curated facts under the user's own file."""
    return Invoker(None)


import click  # noqa: E402


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True, "help_option_names": []})
@click.argument("argv", nargs=-1, type=click.UNPROCESSED)
def cli_main(argv):
    """Adapter so CliRunner drives factcli.cli.run, what `factcli` runs (exit codes,
    error lines), without main()'s exit-time gc.freeze() in the test process."""
    raise SystemExit(run_cli(list(argv)))


def add_args(
    who="Russia",
    what="recognized the Taliban government",
    when="2025-07-03",
    country=("Afghanistan",),
    source="https://example.org/a",
) -> list[str]:
    """The arguments of a `factcli add` of one fact (``when=None``: undated)."""
    args = ["add", "--who", who, "--what", what]
    if when is not None:
        args += ["--when", when]
    for c in country:
        args += ["--country", c]
    if source:
        args += ["--source", source]
    return args


def add_fact(
    run,
    who="Russia",
    what="recognized the Taliban government",
    when="2025-07-03",
    country=("Afghanistan",),
    source="https://example.org/a",
    extra=(),
):
    result = run(*add_args(who, what, when, country, source), *extra)
    assert result.exit_code == 0, result.output
    return result.stdout.strip()


def age(*paths: str | Path, seconds: float = 10) -> None:
    """Set files' times into the past: an identity taken within seconds of a file's
    mtime is racy (store.racy) and caches are not kept for it."""
    import time

    past = time.time() - seconds
    for path in paths:
        os.utime(path, (past, past))


def user_database() -> Path:
    """The default user database file (under the test's XDG_DATA_HOME)."""
    return Path(os.environ["XDG_DATA_HOME"]) / "factcli" / "facts.json"


def factcli_command() -> list[str]:
    """The installed `factcli` console script (falls back to python -m factcli)."""
    found = shutil.which("factcli", path=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""))
    return [found] if found else [sys.executable, "-m", "factcli"]


def factcli_run(
    *args: str, env: dict | None = None, input: bytes | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        factcli_command() + list(args), input=input, capture_output=True, env=full_env, timeout=timeout
    )


def in_terminal(
    args: list[str],
    env: dict | None = None,
    columns: int = 100,
    lines: int = 40,
    input: bytes | None = None,
    timeout: float = 60,
) -> str:
    """Run the installed factcli under a real pseudo-terminal (script(1)) and return
    what the terminal received. No pager unless `env` names one (FACTCLI_PAGER; a
    value of None unsets a variable)."""
    import shlex

    full = dict(os.environ, COLUMNS=str(columns), LINES=str(lines), FACTCLI_PAGER="")
    for key, value in (env or {}).items():  # None unsets
        if value is None:
            full.pop(key, None)
        else:
            full[key] = value
    command = shlex.join(factcli_command() + list(args))
    result = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        capture_output=True,
        env=full,
        timeout=timeout,
    )
    return result.stdout.decode("utf-8", "replace")


def strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]|\r", "", text)


SAMPLE = [
    {
        "who": "Russia",
        "what": "recognized the Taliban government",
        "when": "2025-07-03",
        "country": ["AFG", "RUS"],
        "sources": [
            {
                "title": "Russia recognizes the Taliban",
                "publisher": "AP",
                "url": "https://apnews.com/x",
                "published": "2025-07-03",
            }
        ],
    },
    {
        "who": "Vladimir Putin",
        "what": "called the Taliban allies\tin the fight against terrorism",
        "when": "2024-07-04",
        "country": ["RUS"],
        "sources": [{"title": "Reuters, 4 July 2024", "publisher": "Reuters", "published": "2024-07-04"}],
    },
    {
        "who": "China",
        "what": "accepted the credentials of the Taliban's ambassador",
        "when": "2024-01-30",
        "country": ["CHN", "AFG"],
        "sources": [{"url": "https://www.reuters.com/y"}],
    },
    {
        "who": "Taliban",
        "what": "took Kabul",
        "when": "2021-08-15",
        "country": ["AFG"],
        "sources": [
            {"title": "Taliban take Kabul", "publisher": "AP", "url": "https://apnews.com/k", "published": "2021-08-15"}
        ],
    },
    {
        "who": "UN Security Council",
        "what": 'created the "1988" sanctions regime',
        "when": "2011-06-17/..",
        "country": ["AFG"],
        "sources": [{"title": "Resolution 1988", "publisher": "United Nations", "published": "2011-06-17"}],
    },
    {
        "who": "Someone",
        "what": 'said something, with a comma; and "quotes"\nand a newline',
        "country": ["FRA"],
        "sources": [{"title": "a note"}],
    },
    {
        "who": "Russia",
        "what": "traded with Afghanistan",
        "when": "2023",
        "country": ["RUS", "AFG"],
        "sources": [{"title": "Trade figures", "publisher": "Rossiyskaya Gazeta", "published": "2024-02-01"}],
    },
]


@pytest.fixture
def sample(run, db):
    """A database of the SAMPLE facts (ids 1–7, in order): dated, undated, intervals, tricky text."""
    import json

    result = run("import", "-", "--format", "jsonl", input="\n".join(json.dumps(r) for r in SAMPLE) + "\n")
    assert result.exit_code == 0, result.stderr
    return db


needs_script = pytest.mark.skipif(
    shutil.which("script") is None, reason="needs script(1) (util-linux) for a pseudo-terminal"
)


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL server (tests/pgserver.py): FACTCLI_TEST_PG's, or a throwaway cluster."""
    from .pgserver import Cluster, Server

    cluster = None if os.environ.get("FACTCLI_TEST_PG") else Cluster()
    server = Server(os.environ.get("FACTCLI_TEST_PG") or cluster.conninfo)
    try:
        yield server
    finally:
        server.drop_all()
        if cluster is not None:
            cluster.stop()


@pytest.fixture
def pg_url(pg_server):
    """A new, empty PostgreSQL database for one test, as a postgresql:// URL."""
    return pg_server.new_database()
