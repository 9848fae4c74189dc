"""The config file: defaults for a terminal, the database and the pager; flag > env > config > default."""

import json
from pathlib import Path

import pytest

from factcli.cli import app as cli_module
from factcli.config import Config, load
from factcli.errors import InvalidInput
from factcli.cli.pager import choose, screen_lines

from .conftest import add_args, add_fact, factcli_run, in_terminal, needs_script, strip_ansi


@pytest.fixture
def config_file(isolated_user_data) -> Path:
    path = isolated_user_data / "config" / "factcli" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


@pytest.fixture
def terminal(monkeypatch):
    """In-process runs that believe stdout is a terminal (no pager, no colour)."""
    monkeypatch.setattr(cli_module, "stdout_is_terminal", lambda: True)
    monkeypatch.setenv("FACTCLI_PAGER", "")
    monkeypatch.setenv("COLUMNS", "120")


def test_no_file_is_no_config(config_file):
    assert load() == Config()


def test_a_full_config(config_file, tmp_path):
    config_file.write_text('db = "mine.json"\nformat = "json"\nlimit = 5\npager = false\n')
    config = load()
    assert config == Config(
        path=str(config_file), db=str(config_file.parent / "mine.json"), format="json", limit=5, pager=False
    )
    config_file.write_text('curated = "no"\n')
    with pytest.raises(InvalidInput, match="curated must be true or false"):
        load(str(config_file))
    config_file.write_text('db = "~/facts.json"\npager = "less -S"\n')
    assert load().db == str(Path.home() / "facts.json") and load().pager == "less -S"


@pytest.mark.parametrize(
    "text,message",
    [
        ('fromat = "json"', "unknown key 'fromat'; the keys are db, curated, format, limit, pager"),
        ("limit = ", "not valid TOML: Invalid value (at line 1, column 9)"),
        ('limit = "ten"', "limit must be a whole number, 0 or more (0: all), not 'ten'"),
        ("limit = -1", "limit must be a whole number"),
        ('format = "yaml"', "format must be one of table, tsv, csv, json, jsonl, markdown, not 'yaml'"),
        ("pager = true", "pager must be a command (text) or false"),
        ("db = 3", "db must be a file path"),
    ],
)
def test_a_bad_config_is_one_line_and_exit_2(run_default, config_file, text, message):
    config_file.write_text(text + "\n")
    result = run_default("search", "Taliban")  # the default set-up reads the config for its db
    assert result.exit_code == 2
    assert result.stderr.startswith(f"factcli: config {config_file}: ") and message in result.stderr
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr


def test_config_that_is_not_utf8(run_default, config_file):
    config_file.write_bytes(b'format = "\xff"\n')
    result = run_default("search")
    assert result.exit_code == 2 and result.stderr == f"factcli: config {config_file}: not UTF-8 text\n"


def test_factcli_config_names_the_file(run_default, tmp_path, monkeypatch):
    monkeypatch.setenv("FACTCLI_CONFIG", str(tmp_path / "nope.toml"))
    result = run_default("search")
    assert result.exit_code == 2 and "no such file (named by FACTCLI_CONFIG)" in result.stderr
    (tmp_path / "nope.toml").write_text("limit = 1\n")
    assert load().limit == 1


def test_db_precedence_flag_env_config_default(run_default, config_file, tmp_path, monkeypatch):
    from .conftest import Invoker

    paths = {name: tmp_path / f"{name}.json" for name in ("flag", "env", "config")}
    for name, path in paths.items():
        add_fact(Invoker(path), who=f"Only in {name}")
    who = lambda result: result.stdout.split("\t")[1]  # noqa: E731
    assert "Taliban" in run_default("search", "Taliban", "--fields", "what").stdout  # default: curated
    config_file.write_text(f'db = "{paths["config"]}"\n')
    assert who(run_default("search", "--who", "Only in config")) == "Only in config"
    # the config's db is "my database", over the curated facts (issue 14 item 10)
    assert "Taliban" in run_default("search", "Taliban", "--fields", "what").stdout
    assert "the config's db, over the curated facts" in run_default("info").stdout
    added = run_default(
        *add_args(who="Config writer", what="wrote", when="2020", country=("FR",), source="https://e.example/c"),
    )
    assert added.exit_code == 0 and added.stdout == "2\n"  # into the config's file, numbered by it
    assert "Config writer" in paths["config"].read_text(encoding="utf-8")
    config_file.write_text(f'db = "{paths["config"]}"\ncurated = false\n')
    assert run_default("search", "Putin").exit_code == 1  # only the curated facts name him
    assert "alone (curated = false)" in run_default("info").stdout
    monkeypatch.setenv("FACTCLI_DB", str(paths["env"]))
    assert who(run_default("search")) == "Only in env"
    assert "--db or FACTCLI_DB: that database alone" in run_default("info").stdout
    assert who(run_default("--db", str(paths["flag"]), "search")) == "Only in flag"


def test_format_and_limit_on_a_terminal(run, sample, config_file, terminal):
    assert "┃" in run("search").stdout  # default: a table
    config_file.write_text('format = "jsonl"\n')
    assert json.loads(run("search").stdout.splitlines()[0])["id"] == "5"
    assert run("search", "--format", "tsv", "--fields", "id").stdout.startswith("5\n")  # the flag wins
    config_file.write_text("limit = 2\n")
    out = run("search").stdout
    assert "5 more matched" in out
    assert "more matched" not in run("search", "--limit", "0").stdout
    config_file.write_text('format = "csv"\n')
    assert run("show", "1").stdout.startswith("id,who,what")  # show takes the configured format too


def test_piped_output_ignores_the_terminal_settings(run, sample, config_file):
    config_file.write_text('format = "json"\nlimit = 1\npager = "no-such-pager"\n')
    out = run("search").stdout
    assert out.count("\n") == 7 and out.startswith("5\t")  # complete TSV, not JSON, not cut to 1


def test_pager_choice(monkeypatch):
    env = {}
    assert choose(None, env) in (["less", "-R"], None)  # less -R, if less is installed
    assert choose("more", env) == ["more"]
    assert choose(False, env) is None
    assert choose(None, {"PAGER": "most"}) == ["most"]
    assert choose("less -S", {"PAGER": "most"}) == ["less", "-S"]  # like git: core.pager before PAGER
    assert choose("less -S", {"FACTCLI_PAGER": "bat -p", "PAGER": "most"}) == ["bat", "-p"]
    assert choose("less", {"FACTCLI_PAGER": ""}) is None
    assert choose(None, {"PAGER": "cat"}) is None
    assert choose(None, {"PAGER": "less -R | tee /tmp/x"}) == ["/bin/sh", "-c", "less -R | tee /tmp/x"]
    assert choose(None, {"PAGER": "less -R"}) == ["less", "-R"]  # no shell syntax: run directly
    with pytest.raises(ValueError):
        choose("less 'unclosed", env)


def test_screen_lines_counts_wrapped_rows_not_escapes():
    assert screen_lines("a\nb\n", 80) == 2
    assert screen_lines("x" * 81 + "\n", 80) == 2
    assert screen_lines("\x1b[36m" + "x" * 80 + "\x1b[0m\n", 80) == 1


@needs_script
def test_config_applies_under_a_real_terminal(tmp_path, config_file):
    db = tmp_path / "facts.json"
    rows = "\n".join(
        json.dumps(
            {"who": f"Actor {i}", "what": "did a thing", "when": f"20{10 + i}", "country": "AFG", "sources": ["s"]}
        )
        for i in range(8)
    )
    assert factcli_run("--db", str(db), "import", "-", input=rows.encode()).returncode == 0
    out = strip_ansi(
        in_terminal(["--db", str(db), "search", "actor"], env={"XDG_CONFIG_HOME": str(config_file.parent.parent)})
    )
    assert "┃" in out and "Actor 7" in out
    config_file.write_text('format = "tsv"\n')
    out = strip_ansi(
        in_terminal(
            ["--db", str(db), "search", "actor", "--fields", "who"],
            env={"XDG_CONFIG_HOME": str(config_file.parent.parent)},
        )
    )
    assert out.splitlines()[:2] == ["Actor 0", "Actor 1"]
    config_file.write_text("limit = 3\n")
    out = strip_ansi(
        in_terminal(["--db", str(db), "search", "actor"], env={"XDG_CONFIG_HOME": str(config_file.parent.parent)})
    )
    assert "Actor 2" in out and "Actor 3" not in out and "5 more matched" in out
    config_file.write_text("limit = oops\n")
    out = strip_ansi(
        in_terminal(["--db", str(db), "search", "actor"], env={"XDG_CONFIG_HOME": str(config_file.parent.parent)})
    )
    assert out.strip() == f"factcli: config {config_file}: not valid TOML: Invalid value (at line 1, column 9)"
