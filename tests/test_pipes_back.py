"""Whatever factcli prints pipes back into `show -`, `edit -`, `rm -` and `cite -`
(issue 13 item 2): TSV with or without a header, CSV, JSON, JSON lines, Markdown and
timeline lines. Run through the installed command, in real shell pipes."""

from __future__ import annotations

import subprocess

import pytest

from factcli.errors import InvalidInput
from factcli.idlist import ids_from_text

from .conftest import add_args, factcli_command, factcli_run

PUTIN = ["c32", "c34", "c3", "c4", "c42", "c6"]  # `search Putin` on the curated facts, in its order
FORMATS = [
    [],
    ["--header"],
    ["--format", "csv"],
    ["--format", "json"],
    ["--format", "jsonl"],
    ["--format", "markdown"],
    ["--fields", "id", "--header"],
    ["--fields", "who,id", "--header"],
    ["--fields", "id"],
]


def _pipe(left: list[str], right: list[str]) -> subprocess.CompletedProcess:
    import shlex

    command = f"{shlex.join(factcli_command() + left)} | {shlex.join(factcli_command() + right)}"
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, timeout=60)


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: " ".join(f) or "tsv")
def test_search_output_pipes_back_into_show(fmt):
    result = _pipe(["search", "Putin", *fmt], ["show", "-", "--fields", "id", "--format", "tsv"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == PUTIN


@pytest.mark.parametrize("fmt", [[], ["--header"]], ids=["plain", "header"])
def test_timeline_lines_pipe_back(fmt):
    timeline = factcli_run("timeline", "--country", "RUS", *fmt).stdout.decode().splitlines()
    expected = [line.split("\t")[2] for line in timeline if line and not line.startswith("year\t")]
    result = _pipe(["timeline", "--country", "RUS", *fmt], ["show", "-", "--fields", "id", "--format", "tsv"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == list(dict.fromkeys(expected))


@pytest.mark.parametrize("command", [["cite", "-"], ["edit", "-", "--tag", "piped"], ["rm", "-", "--yes"]])
def test_every_id_reading_command_takes_csv(db, command):
    for who in ("Alpha", "Beta"):
        made = factcli_run(
            "--db",
            str(db),
            *add_args(who=who, what="met", when="2020", country=("France",), source="https://example.org/x"),
        )
        assert made.returncode == 0
    result = _pipe(["--db", str(db), "search", "met", "--format", "csv"], ["--db", str(db), *command])
    assert result.returncode == 0, result.stderr


def test_empty_stdin_is_an_error():
    result = factcli_run("show", "-", input=b"")
    assert result.returncode == 2
    assert result.stderr.decode() == "factcli: stdin is empty: no ids to read (pipe factcli's output, or give ids)\n"


@pytest.mark.parametrize(
    "text, message",
    [
        ("who\twhen\nPutin\t2024\n", "stdin line 1: the header (who, when) has no id column"),
        ('{"id": "c1"}\n{"who": "x"}\n', "stdin line 2: no id on this line"),
        ("id,who\n,Putin\n", "stdin line 2: no id on this line"),
        ('[{"id": "c1"}, 3]', "stdin item 2: not an object with an id"),
        ("c1\nc2 b@d\n", "stdin line 2:"),
    ],
)
def test_a_line_without_an_id_is_named(text, message):
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        ids_from_text(text)
    result = factcli_run("show", "-", input=text.encode())
    assert result.returncode == 2 and message in result.stderr.decode()


def test_plain_ids_and_a_multiline_csv_cell():
    assert ids_from_text("c1 c2\nc3\n") == ["c1", "c2", "c3"]
    assert ids_from_text('id,what\nc1,"two\nlines"\nc2,x\n') == ["c1", "c2"]
    assert ids_from_text("id\tname\n\nc9\tx\n") == ["c9"]
