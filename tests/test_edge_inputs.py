"""Judgement calls at the edges of input (issue 12 item 16), decided and documented
in the README: what a database named by a pipe does, a spreadsheet's line breaks
in CSV cells, formulas in CSV for spreadsheets, and dates with too many slashes.
(The pager run through the shell is tested in test_terminal.py.)"""

from __future__ import annotations

import csv
import io
import json
import os

import pytest

from .conftest import add_args, add_fact, factcli_run


def test_a_pipe_as_database_is_refused_for_what_it_is(tmp_path):
    data = factcli_run("--db", "/dev/stdin", "search", "x", input=b"{}")
    assert data.returncode == 3
    assert (
        data.stderr.decode()
        == "factcli: /dev/stdin is a pipe, not a database file (save it to a file first, or `factcli import` from it)\n"
    )
    write = factcli_run(
        "--db",
        "/dev/stdin",
        *add_args(who="X", what="y", when="2020", country=("France",), source="https://a.example/b"),
        input=b"{}",
    )
    assert write.returncode == 3 and b"is a pipe" in write.stderr
    assert not os.path.exists("/dev/stdin.lock")  # refused before a lock file is made


def test_a_line_break_in_a_spreadsheets_csv_cell_is_kept(run, tmp_path):
    crlf = tmp_path / "sheet.csv"
    crlf.write_bytes(
        b'who,what,when,country,sources\r\nAlice,"signed\r\nthe accord",2020-01-02,France,https://example.org/a\r\n'
    )
    result = run("import", str(crlf))
    assert result.exit_code == 0, result.output
    (fact,) = [json.loads(line) for line in run("export").stdout.splitlines()]
    assert fact["what"] == "signed\nthe accord"
    lone = tmp_path / "lone.csv"
    lone.write_bytes(
        b'who,what,when,country,sources\nBob,"signed\rthe accord",2020-01-02,France,https://example.org/b\n'
    )
    refused = run("import", str(lone))
    assert refused.exit_code == 2 and "U+000D" in refused.stderr


def test_spreadsheet_safe_csv_defuses_formulas_and_plain_csv_round_trips(run):
    add_fact(
        run,
        who='=HYPERLINK("https://evil.example","click")',
        what="+1 said something",
        when="2020-01-02",
        country=("France",),
    )
    plain = list(csv.DictReader(io.StringIO(run("export", "--format", "csv").stdout)))
    assert plain[0]["who"].startswith("=HYPERLINK(") and plain[0]["what"] == "+1 said something"  # exact, for import
    safe = list(csv.DictReader(io.StringIO(run("export", "--format", "csv", "--spreadsheet-safe").stdout)))
    assert safe[0]["who"].startswith("'=HYPERLINK(") and safe[0]["what"] == "'+1 said something"
    assert safe[0]["when"] == "2020-01-02"  # what does not start like a formula is as it was
    wrong = run("export", "--format", "json", "--spreadsheet-safe")
    assert wrong.exit_code == 2 and "--spreadsheet-safe is for --format csv" in wrong.stderr


@pytest.mark.parametrize(
    "value, quoted",
    [
        ("2020/2020/2020", "'2020/2020/2020' is not an ISO date or interval"),
        ("03/07/2025", "'03/07/2025' is ambiguous: did you mean 2025-07-03 or 2025-03-07?"),
        ("2020/20x0", "in '2020/20x0', '20x0' is not an ISO date"),
    ],
)
def test_a_bad_date_is_quoted_whole(run, value, quoted):
    for option in ("--during", "--since", "--until"):
        result = run("search", option, value)
        assert result.exit_code == 2 and quoted in result.stderr, result.stderr
