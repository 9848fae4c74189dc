"""Torture tests of input and output (issue 4): hostile text, pipes and signals.

Text from users and files is data: nothing reaches the terminal as markup or as
a control sequence, nothing crashes, text that cannot be stored is refused with
exit 2 and a clear reason, and whatever is accepted reads back identically.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .conftest import Invoker, add_fact, factcli_command
from .torture_helpers import (
    assert_one_error_line,
    build_database,
    child_env,
    cli,
    count_facts,
    fact_row,
    raw_controls,
    temp_files,
    terminal_output,
    write_jsonl,
)

needs_script = pytest.mark.skipif(shutil.which("script") is None, reason="needs script(1) for a pseudo-terminal")

# Accepted: data that looks like markup or formatting, and characters that are
# not controls. Each must read back exactly as given.
ACCEPTED = {
    "rich-markup": "[bold]Mallory[/bold] [italic]x",
    "unbalanced-close-tag": "closes [/bold] and [/] nothing",
    "link-markup": "[link=http://evil.example]click here[/link]",
    "style-and-emoji-codes": "[red on black]:warning: alarm[/] :smile: :cross_mark:",
    "escaped-markup": "\\[bold] not bold \\\\[/bold]",
    "tab-and-newline": "tab\there and\na new line",
    "line-separators": "para\u2028graph\u2029end",
    "zero-width-and-bom": "zero\u200bwidth \ufeffbom \u2060joiner",
    "bidi-marks": "marks \u200e\u200f\u061c are not overrides",
    "nfc": "Zoran Milanovi\u0107",
    "nfd": "Zoran Milanovic\u0301",
    "astral": "\U0001f600 \U00010000 \U0010fffd",
    "format-strings": "%s %(who)s {0} {who} $HOME `id` $(id)",
    "backslashes": "C:\\path\\new \\t \\x1b not escapes",
    "html": "<script>alert(1)</script> &amp; <b>",
}

# Refused: controls that would act on a terminal, bidi overrides, and what
# cannot be stored as UTF-8 (lone surrogates: what Python makes of argv bytes
# that are not UTF-8).
REFUSED = {
    "ansi-colour": "\x1b[31mred\x1b[0m",
    "ansi-clear-screen": "\x1b[2J\x1b[H",
    "osc-title": "\x1b]0;pwned\x07",
    "osc8-hyperlink": "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
    "bell": "ding\x07",
    "backspace": "abc\x08\x08\x08xyz",
    "carriage-return": "safe\rEVIL",
    "nul": "a\x00b",
    "delete": "a\x7fb",
    "c1-csi": "\x9b31m",
    "c1-next-line": "next\x85line",
    "right-to-left-override": "abc\u202edcba",
    "left-to-right-isolate": "\u2066isolate\u2069",
    "lone-surrogate": "\ud800 alone",
    "undecodable-argv-bytes": "caf\udce9 \udcff",
}

_ESCAPE = re.compile(r"\\(t|n|r|\\|x[0-9a-f]{2}|u[0-9a-f]{4})")


def unescape_cell(cell: str) -> str:
    """Undo the one-line escaping of TSV output (\\t \\n \\\\ \\xNN \\uNNNN)."""
    named = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}
    return _ESCAPE.sub(lambda m: named.get(m.group(1)) or chr(int(m.group(1)[1:], 16)), cell)


def _exported(run) -> dict[str, dict]:
    result = run("export")
    assert result.exit_code == 0, result.output
    return {doc["id"]: doc for doc in map(json.loads, result.stdout.splitlines())}


def _no_raw_controls(text: str | bytes) -> None:
    data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
    assert raw_controls(data) == [], raw_controls(data)[:10]


# ====================================================================== arguments


@pytest.fixture(params=["json", "sqlite", "postgres"])
def run_each(request, tmp_path):
    """The CLI on a new database of each backend (a PostgreSQL one made by init)."""
    if request.param == "postgres":
        from factcli.store import open_backend

        url = request.getfixturevalue("pg_url")
        open_backend(url).init()
        return Invoker(url)
    return Invoker(tmp_path / ("facts.json" if request.param == "json" else "facts.sqlite"))


@pytest.mark.parametrize("name", list(ACCEPTED))
def test_hostile_text_is_accepted_and_reads_back_identically(run_each, name):
    run = run_each
    text = ACCEPTED[name]
    ids = {
        "who": add_fact(run, who=text, what="holds the text in who"),
        "what": add_fact(run, who="Someone", what=text),
        "note": add_fact(
            run, who="Someone", what="holds the text in its note", extra=("--note", text, "--tag", "tagged")
        ),
    }
    stored = _exported(run)
    for field, fact_id in ids.items():
        assert stored[fact_id][field] == (text.strip() if field in ("who", "what") else text)
        # show --format json, and the one-line TSV, give the same text back
        shown = run("show", fact_id, "--format", "json")
        assert json.loads(shown.stdout)[0][field] == stored[fact_id][field]
        _no_raw_controls(shown.stdout)
        tsv = run("show", fact_id, "--fields", f"id,{field}").stdout
        assert tsv.count("\n") == 1 and tsv.count("\t") == 1, repr(tsv)
        _no_raw_controls(tsv)
        assert unescape_cell(tsv.rstrip("\n").split("\t")[1]) == stored[fact_id][field]
    check = run("check", str(run.db))
    assert check.exit_code == 0 and ": error: " not in check.stdout, check.output


@pytest.mark.parametrize("name", list(REFUSED))
def test_control_and_undecodable_text_is_refused_with_a_reason(run, db, name):
    text = REFUSED[name]
    add_fact(run, who="Alpha", what="keeps the file")
    before = db.read_bytes()
    first = re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]", text).group()
    for field, args in {
        "who": ["--who", text, "--what", "a"],
        "what": ["--who", "Beta", "--what", text],
        "note": ["--who", "Beta", "--what", "b", "--note", text],
        "tag": ["--who", "Beta", "--what", "c", "--tag", text.replace(" ", "_")],
        "source 1 title": ["--who", "Beta", "--what", "d", "--source", text],
    }.items():
        base = [] if field == "source 1 title" else ["--source", "https://example.org"]
        result = run("add", *args, "--country", "FR", *base)
        assert result.exit_code == 2, (field, result.output)
        line = assert_one_error_line(
            result.stderr, contains=(f"{field} holds U+{ord(first):04X}", "nothing was changed")
        )
        if "\ud800" <= first <= "\udfff":
            assert "is not valid UTF-8" in line
        _no_raw_controls(result.stderr)
        assert db.read_bytes() == before
    edited = run("edit", "1", "--what", text)
    assert edited.exit_code == 2
    assert_one_error_line(edited.stderr, contains=(f"what holds U+{ord(first):04X}",))
    assert db.read_bytes() == before


def test_hostile_country_date_and_ids_are_echoed_escaped(run, db):
    add_fact(run)
    before = db.read_bytes()
    hostile = "\x1b]0;pwned\x07\x1b[2J\u202e"
    cases = [
        (["add", "--who", "A", "--what", "b", "--country", hostile, "--source", "s"], 2),
        (["add", "--who", "A", "--what", "b", "--when", hostile, "--country", "FR", "--source", "s"], 2),
        (["search", "--country", hostile], 2),
        (["search", "--since", hostile], 2),
        (["search", hostile], 1),
        (["show", hostile], 1),
        (["rm", hostile, "--yes"], 1),
        (["edit", hostile, "--note", "x"], 1),
        (["search", "--fields", hostile], 2),
        (["alias", "list", hostile], 1),
    ]
    for args, code in cases:
        result = run(*args)
        assert result.exit_code == code, (args, result.output)
        assert_one_error_line(result.stderr)
        _no_raw_controls(result.stderr)
        assert "\\x1b" in result.stderr or "no fact matches" in result.stderr, result.stderr
    assert db.read_bytes() == before


INVALID_UTF8 = {
    "lone-continuation": b"\x80abc",
    "latin-1": b"caf\xe9",
    "truncated-sequence": b"\xe2\x82",
    "overlong-slash": b"\xc0\xaf",
    "encoded-surrogate": b"\xed\xa0\x80",
    "beyond-unicode": b"\xf4\x90\x80\x80",
    "ff-fe": b"\xff\xfe",
}


def test_invalid_utf8_arguments_are_refused(tmp_path):
    """Raw bytes in argv, as a shell passes them: exit 2 and "not valid UTF-8", nothing written."""
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    before = db.read_bytes()
    for name, raw in INVALID_UTF8.items():
        result = cli("--db", db, "add", "--who", "Beta", "--what", b"bytes " + raw, "--country", "FR", "--source", "s")
        assert result.returncode == 2, (name, result.stderr)
        assert_one_error_line(result.stderr, contains=("what holds U+", "is not valid UTF-8"))
        assert db.read_bytes() == before
    for args, code in ((["search", b"\xff\xfe"], 1), (["show", b"\xc0\xaf"], 1), (["search", "--who", b"caf\xe9"], 1)):
        result = cli("--db", db, *args)
        assert result.returncode == code
        assert_one_error_line(result.stderr)
        assert b"\xff" not in result.stderr and b"\xc0" not in result.stderr and b"\xe9" not in result.stderr


def test_nfc_and_nfd_are_kept_as_given_and_match_each_other(run):
    nfc, nfd = ACCEPTED["nfc"], ACCEPTED["nfd"]
    first = add_fact(run, who=nfc, what="first", country=("Croatia",))
    second = add_fact(run, who=nfd, what="second", country=("Croatia",))
    stored = _exported(run)
    assert stored[first]["who"].encode() == nfc.encode() and stored[second]["who"].encode() == nfd.encode()
    for query in (nfc, nfd, "milanovic", "MILANOVIĆ"):
        found = run("search", "--who", query, "--fields", "id")
        assert found.stdout.split() == [first, second], query
    # the same fact in the other form is a duplicate
    duplicate = run(
        "add", "--who", nfd, "--what", "first", "--when", "2025-07-03", "--country", "Croatia", "--source", "s"
    )
    assert duplicate.exit_code == 2
    assert_one_error_line(duplicate.stderr, contains=(f"fact {first} already says this",))


# ====================================================================== stdin and import files


def _hostile_rows() -> list[dict]:
    return [
        {
            "who": f"Row {i} {text.strip()}" if name != "nfd" else text,
            "what": text,
            "note": text,
            "country": ["FR"],
            "sources": [{"title": text.strip() or "t", "url": "https://example.org/" + str(i)}],
            "tags": [f"t{i}"],
        }
        for i, (name, text) in enumerate(ACCEPTED.items())
    ]


def _check_read_back(run, rows: list[dict]) -> None:
    stored = sorted(_exported(run).values(), key=lambda d: int(d["id"]))
    assert len(stored) == len(rows)
    for doc, row in zip(stored, rows):
        assert (doc["who"], doc["what"], doc["note"]) == (row["who"].strip(), row["what"].strip(), row["note"])
        assert doc["sources"][0]["title"] == row["sources"][0]["title"].strip()


@pytest.mark.parametrize("how", ["jsonl-stdin", "jsonl-file", "json-file", "csv-file", "jsonl-with-bom"])
def test_hostile_text_imports_and_reads_back_identically(run_each, tmp_path, how):
    run = run_each
    rows = _hostile_rows()
    if how.startswith("jsonl") or how == "json-file":
        if how == "json-file":
            raw = json.dumps(rows, indent=1).encode()
        else:
            raw = "".join(json.dumps(r) + "\n" for r in rows).encode()
        if how == "jsonl-with-bom":
            raw = b"\xef\xbb\xbf" + raw
    else:
        import csv
        import io

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["who", "what", "note", "country", "sources", "tags"])
        for r in rows:
            writer.writerow([r["who"], r["what"], r["note"], "FR", json.dumps(r["sources"]), r["tags"][0]])
        raw = out.getvalue().encode()
    suffix = {"json-file": ".json", "csv-file": ".csv"}.get(how, ".jsonl")
    if how == "jsonl-stdin":
        result = run("import", "-", input=raw)
    else:
        path = tmp_path / f"in{suffix}"
        path.write_bytes(raw)
        result = run("import", str(path))
    assert result.exit_code == 0, result.output
    _check_read_back(run, rows)
    # and the export imports into a fresh database as the same facts
    again = tmp_path / "again.json"
    exported = run("export").stdout
    assert run("--db", str(again), "import", "-", db=False, input=exported).exit_code == 0
    assert run("--db", str(again), "export", db=False).stdout == exported


@pytest.mark.parametrize("separator", ["\u2028", "\u2029"])
def test_jsonl_with_a_raw_line_separator_inside_a_string(run, tmp_path, separator):
    """JSON allows U+2028 unescaped in strings; json.dumps(ensure_ascii=False) writes it so."""
    row = {"who": "Alpha", "what": f"one{separator}paragraph", "country": "FR", "sources": ["s"]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 0, result.output
    assert [d["what"] for d in _exported(run).values()] == [row["what"]]


def test_bad_import_rows_are_each_reported_and_nothing_is_imported(run, db, tmp_path):
    add_fact(run, who="Alpha", what="keeps the file")
    before = db.read_bytes()
    rows = [{"who": "Good", "what": "fine", "country": "FR", "sources": ["s"]}]
    rows += [{"who": "Bad", "what": text, "country": "FR", "sources": ["s"]} for text in REFUSED.values()]
    raw = "".join(json.dumps(r) + "\n" for r in rows).encode()  # JSON escapes: valid JSON, refused text
    for source in ("-", "file"):
        if source == "file":
            (tmp_path / "in.jsonl").write_bytes(raw)
            result = run("import", str(tmp_path / "in.jsonl"))
            name = str(tmp_path / "in.jsonl")
        else:
            result = run("import", "-", input=raw)
            name = "stdin"
        assert result.exit_code == 2, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == len(REFUSED) + 1 and "Traceback" not in result.stderr
        assert [line.split(": ")[1:3] for line in lines[:-1]] == [[name, f"line {n}"] for n in range(2, len(rows) + 1)]
        assert (
            lines[-1]
            == f"factcli: {name}: {len(REFUSED)} bad row(s); nothing was imported (fix them, or pass --skip-invalid)"
        )
        _no_raw_controls(result.stderr)
        assert db.read_bytes() == before


@pytest.mark.parametrize(
    "raw,line",
    [
        (b'{"who": "caf\xe9", "what": "x", "country": "FR", "sources": ["s"]}\n', 1),
        (b'{"who": "A", "what": "x", "country": "FR", "sources": ["s"]}\n\n{"who": "B\xff", "what": "y"}\n', 3),
        ('{"who": "A", "what": "utf-16", "country": "FR", "sources": ["s"]}\n'.encode("utf-16"), 1),
        (b"who,what,country,sources\nA,caf\xe9,FR,s\n", 2),
    ],
    ids=["latin-1", "third-line", "utf-16", "csv"],
)
def test_invalid_utf8_input_is_refused_with_its_line(run, db, tmp_path, raw, line):
    add_fact(run, who="Alpha", what="keeps the file")
    before = db.read_bytes()
    for source in ("-", "file"):
        path = tmp_path / ("in.csv" if raw.startswith(b"who,") else "in.jsonl")
        path.write_bytes(raw)
        result = run("import", "-", input=raw) if source == "-" else run("import", str(path))
        name = "stdin" if source == "-" else str(path)
        assert result.exit_code == 2, result.output
        assert_one_error_line(
            result.stderr, contains=(f"{name}: line {line} is not valid UTF-8", "nothing was imported")
        )
        assert db.read_bytes() == before


def test_nul_and_controls_raw_in_a_csv_file_are_refused(run, db, tmp_path):
    add_fact(run, who="Alpha", what="keeps the file")
    before = db.read_bytes()
    path = tmp_path / "in.csv"
    path.write_bytes(b"who,what,country,sources\nA,nul\x00here,FR,s\nB,esc\x1b[2Jhere,FR,s\n")
    result = run("import", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1].endswith("nothing was imported (fix them, or pass --skip-invalid)")
    assert "U+0000" in result.stderr and "U+001B" in result.stderr
    _no_raw_controls(result.stderr)
    assert db.read_bytes() == before


# ---------------------------------------------------------------------- 50 MB

BIG = 50 * 1024 * 1024


@pytest.fixture(scope="module")
def fifty_mb(tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("fifty")
    big = "x" * BIG
    files = {
        "jsonl": directory / "big.jsonl",
        "json": directory / "big.json",
        "csv": directory / "big.csv",
        "ids": directory / "ids.txt",
    }
    files["jsonl"].write_text(json.dumps({"who": "A", "what": big, "country": "FR", "sources": ["s"]}) + "\n")
    files["json"].write_text(json.dumps([{"who": "A", "what": "b", "note": big, "country": "FR", "sources": ["s"]}]))
    files["csv"].write_text("who,what,country,sources\nA," + big + ",FR,s\n")
    files["ids"].write_text(big + "\n")
    return files


@pytest.mark.parametrize(
    "source,says",
    [
        ("jsonl", "what is 52,428,800 characters long; the limit is 10,000"),
        ("jsonl-stdin", "what is 52,428,800 characters long; the limit is 10,000"),
        ("json", "note is 52,428,800 characters long; the limit is 10,000"),
        ("csv", "field larger than field limit"),
    ],
)
def test_a_50_mb_field_is_refused_with_a_reason(tmp_path, fifty_mb, source, says):
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    before = db.read_bytes()
    start = time.monotonic()
    if source == "jsonl-stdin":
        result = cli("--db", db, "import", "-", input=fifty_mb["jsonl"].read_bytes())
    else:
        result = cli("--db", db, "import", fifty_mb[source])
    assert time.monotonic() - start < 30
    assert result.returncode == 2, result.stderr[-500:]
    assert b"Traceback" not in result.stderr and len(result.stderr) < 2000
    assert says.encode() in result.stderr
    assert (
        result.stderr.endswith(b"nothing was imported (fix them, or pass --skip-invalid)\n")
        or result.stderr.count(b"\n") == 1
    )
    assert db.read_bytes() == before


def test_a_50_mb_id_on_stdin_is_refused_briefly(tmp_path, fifty_mb):
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    for command in (["show", "-"], ["rm", "-", "--yes"], ["edit", "-", "--note", "x"]):
        result = cli("--db", db, *command, input=fifty_mb["ids"].read_bytes())
        assert len(result.stderr) < 1000, f"{command[0]}: a {len(result.stderr):,}-byte error line"
        assert result.returncode == 2
        assert_one_error_line(result.stderr)


def test_a_long_argument_is_refused_with_a_reason(run, db):
    add_fact(run)
    before = db.read_bytes()
    result = run("add", "--who", "A", "--what", "y" * 100_000, "--country", "FR", "--source", "s")
    assert result.exit_code == 2
    assert_one_error_line(result.stderr, contains=("what is 100,000 characters long; the limit is 10,000",))
    assert db.read_bytes() == before


# ====================================================================== what reaches the terminal

HOSTILE_STORED = "[bold]x[/bold] \x1b[2J \x1b]0;t\x07 \x1b]8;;http://e\x1b\\l \x9b1m \u202erev\u202c \x00nul \x08\r"


def _crafted_database(path: Path, text: str = HOSTILE_STORED) -> Path:
    """A hand-edited file: what validation refuses, stored anyway in every field."""
    fact = {
        "id": "1",
        "who": "W" + text,
        "what": "w" + text,
        "when": "2025",
        "when_start": "2025-01-01",
        "when_end": "2025-12-31",
        "country": ["FRA"],
        "tags": ["t" + text.replace(" ", "")],
        "note": "n" + text,
        "created": "",
        "updated": "",
        "sources": [
            {
                "title": "T" + text,
                "url": "http://x/" + text.replace(" ", ""),
                "publisher": "P" + text,
                "quote": "Q" + text,
            }
        ],
    }
    data = {
        "meta": {"1": {"format": "factcli", "schema": 1, "id_prefix": "", "next_id": 2}},
        "facts": {"1": fact},
        "aliases": {"1": {"name": "W" + text, "kind": "person", "aliases": ["A" + text]}},
        "removed": {},
    }
    path.write_text(json.dumps(data))
    return path


@needs_script
def test_accepted_markup_prints_literally_on_a_terminal(tmp_path):
    db = tmp_path / "facts.json"
    rows = [
        {
            "who": "Mallory [bold]x[/bold]",
            "what": ACCEPTED["link-markup"] + " " + ACCEPTED["unbalanced-close-tag"],
            "note": ACCEPTED["style-and-emoji-codes"],
            "country": "FR",
            "sources": [{"title": "[blink]t[/blink]", "url": "https://e.example"}],
        }
    ]
    assert cli("--db", db, "import", write_jsonl(tmp_path / "in.jsonl", rows)).returncode == 0
    table = terminal_output(["--db", str(db), "search", "Mallory"])
    detail = terminal_output(["--db", str(db), "show", "1"])
    for out in (table, detail):
        text = out.decode()
        assert raw_controls(out.replace(b"\n", b"")) == []
        assert "[bold]x[/bold]" in text and "[link=http://evil.example]click here[/link]" in text
        assert "closes [/bold] and [/] nothing" in text
    assert ":warning: alarm[/] :smile:" in detail.decode() and "[blink]t[/blink]" in detail.decode()


@needs_script
@pytest.mark.parametrize("command", [["search"], ["show", "1"], ["alias", "list"], ["search", "--format", "markdown"]])
def test_controls_in_a_hand_edited_file_never_reach_the_terminal(tmp_path, command):
    db = _crafted_database(tmp_path / "facts.json")
    out = terminal_output(["--db", str(db), *command])
    assert b"Traceback" not in out
    assert raw_controls(out.replace(b"\n", b"")) == []
    if "markdown" in command:  # Markdown escapes the backslash and brackets of the visible escapes once more
        assert b"\\\\x1b\\[2J" in out and b"\\\\u202erev" in out and b"\\[bold\\]x\\[/bold\\]" in out
    else:
        assert b"\\x1b[2J" in out and b"\\x1b]0;t\\x07" in out and b"\\u202erev" in out
        assert b"[bold]x[/bold]" in out


_PIPED = [
    ["search"],
    ["search", "--format", "tsv", "--header"],
    ["search", "--format", "json"],
    ["search", "--format", "jsonl"],
    ["search", "--format", "markdown"],
    ["export"],
    ["export", "--format", "tsv"],
    ["export", "--format", "json"],
    ["export", "--format", "markdown"],
    ["show", "1"],
    ["show", "1", "--format", "json"],
    ["alias", "list"],
    ["alias", "list", "--format", "jsonl"],
    ["check"],
    ["ask", "What did W do?"],
    ["ask", "--format", "json", "--explain", "Who is W?"],
]
_CSV = [["search", "--format", "csv"], ["export", "--format", "csv"], ["show", "1", "--format", "csv"]]
_CHECK_JSON = ["check", "--format", "json"]


def _piped_case(tmp_path, command, text=HOSTILE_STORED):
    db = _crafted_database(tmp_path / "facts.json", text)
    result = cli("--db", db, *command)
    assert b"Traceback" not in result.stderr, result.stderr[-1500:]
    assert result.returncode == (1 if command[0] == "check" else 0), result.stderr[-500:]
    assert raw_controls(result.stdout) == [] and raw_controls(result.stderr) == []
    assert result.stdout.strip()


@pytest.mark.parametrize("command", _PIPED + [pytest.param(c) for c in _CSV + [_CHECK_JSON]], ids=lambda c: "-".join(c))
def test_controls_in_a_hand_edited_file_never_reach_piped_output(tmp_path, command):
    _piped_case(tmp_path, command)


_SURROGATE_CRASHES = {
    ("search", "--format", "json"),
    ("search", "--format", "jsonl"),
    ("export",),
    ("export", "--format", "json"),
    ("show", "1", "--format", "json"),
    ("alias", "list", "--format", "jsonl"),
    tuple(_CHECK_JSON),
} | {tuple(c) for c in _CSV}


@pytest.mark.parametrize(
    "command",
    [pytest.param(c) if tuple(c) in _SURROGATE_CRASHES else c for c in _PIPED + _CSV + [_CHECK_JSON]],
    ids=lambda c: "-".join(c),
)
def test_a_lone_surrogate_in_a_hand_edited_file_never_crashes_output(tmp_path, command):
    """Either refused as unreadable (exit 3, one line) or printed escaped; never a traceback."""
    db = _crafted_database(tmp_path / "facts.json", "lone \ud800 surrogate \udcff")
    result = cli("--db", db, *command)
    assert b"Traceback" not in result.stderr, result.stderr[-300:]
    if result.returncode == 3:
        assert_one_error_line(result.stderr, contains=(str(db),))
        return
    assert result.returncode in ((1,) if command[0] == "check" else (0, 1) if command[0] == "ask" else (0,))
    assert raw_controls(result.stdout) == [] and raw_controls(result.stderr) == []


@pytest.mark.parametrize("command", [["info"], ["check"]])
def test_a_database_path_with_controls_is_printed_escaped(tmp_path, command):
    db = tmp_path / "\x1b]0;pwned\x07\x1b[2J.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    result = cli("--db", db, *command)
    assert b"Traceback" not in result.stderr
    assert raw_controls(result.stdout) == [] and raw_controls(result.stderr) == []
    assert b"\\x1b]0;pwned\\x07" in result.stdout


def test_error_lines_about_a_path_with_controls_are_escaped(tmp_path):
    db = tmp_path / "\x1b]0;pwned\x07.json"
    for args, code in (
        (["search"], 3),
        (
            [
                "--db",
                tmp_path / "nowhere" / db.name,
                "add",
                "--who",
                "a",
                "--what",
                "b",
                "--country",
                "FR",
                "--source",
                "s",
            ],
            4,
        ),
    ):
        result = cli(*(["--db", db] if args[0] != "--db" else []), *args)
        assert result.returncode == code
        assert_one_error_line(result.stderr)
        assert raw_controls(result.stderr) == []


# ====================================================================== pipes


@pytest.fixture(scope="module")
def piped_db(tmp_path_factory) -> Path:
    """Enough facts that the output overflows a pipe (64 KiB) many times over."""
    db = tmp_path_factory.mktemp("piped") / "facts.json"
    build_database(db, (fact_row(i) for i in range(2500)))
    return db


PIPED_COMMANDS = [["search"], ["export"], ["search", "--format", "json"]]


def _pipeline(db: Path, args: list[str], reader: str, unbuffered: bool) -> tuple[list[str], bytes, bytes]:
    env = child_env()
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    command = (
        " ".join(factcli_command())
        + f" --db {db} "
        + " ".join(args)
        + f' 2>{db.parent}/stderr | {reader}; echo "${{PIPESTATUS[*]}}" >&2'
    )
    result = subprocess.run(["bash", "-c", command], capture_output=True, env=env, timeout=60)
    stderr = (db.parent / "stderr").read_bytes()
    return result.stderr.decode().split(), result.stdout, stderr


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED=1"])
@pytest.mark.parametrize("args", PIPED_COMMANDS, ids=lambda a: "-".join(a))
def test_head_ends_the_output_quietly(piped_db, args, unbuffered):
    full = cli("--db", piped_db, *args)
    assert full.returncode == 0 and len(full.stdout) > 8 * 65536
    statuses, out, err = _pipeline(piped_db, args, "head -1", unbuffered)
    assert out == full.stdout.split(b"\n", 1)[0] + b"\n"
    assert err == b"", err[-1000:]
    assert statuses == ["0", "0"]  # a closed reader ends factcli quietly, with success (README)


@pytest.mark.parametrize("reader", ["head -c 10", "true"])
def test_a_reader_that_reads_little_or_nothing_is_quiet(piped_db, reader):
    statuses, _, err = _pipeline(piped_db, ["export"], reader, False)
    assert err == b"", err[-1000:]
    assert statuses == ["0", "0"]


# ====================================================================== signals


def _grow_rows(n: int, start: int = 0):
    return (fact_row(i, who=f"Imported {i}") for i in range(start, start + n))


def test_ctrl_c_while_import_reads_its_input(tmp_path):
    """SIGINT while import is blocked reading a FIFO: exit 130, nothing written, no traceback."""
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    before = db.read_bytes()
    fifo = tmp_path / "in.jsonl"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        factcli_command() + ["--db", str(db), "import", str(fifo)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    with open(fifo, "w") as writer:  # returns once factcli has opened the FIFO: it is inside `import`
        writer.write(json.dumps(fact_row(1)) + "\n")
        writer.flush()
        time.sleep(0.2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in err and err.endswith(b"factcli: interrupted\n"), err
    assert out == b""
    assert db.read_bytes() == before and temp_files(db) == []


def test_ctrl_c_while_import_checks_rows(tmp_path):
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    before = db.read_bytes()
    source = write_jsonl(tmp_path / "many.jsonl", _grow_rows(60_000))
    process = subprocess.Popen(
        factcli_command() + ["--db", str(db), "import", str(source)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(),
    )
    time.sleep(1.0)
    assert process.poll() is None, "the import ended before Ctrl-C"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in err and err.endswith(b"factcli: interrupted\n"), err[-500:]
    assert db.read_bytes() == before and temp_files(db) == []


def test_ctrl_c_leaves_exactly_one_line(tmp_path):
    db = tmp_path / "facts.json"
    result = cli(
        "--db",
        db,
        "import",
        "-",
        input=json.dumps(fact_row(1)).encode(),
        env=child_env(FACTCLI_TEST_SIGINT_AT="before-write"),
    )
    assert result.returncode == 130
    assert result.stderr == b"factcli: interrupted\n"


@pytest.mark.parametrize(
    "step",
    ["locked", "before-write", pytest.param("writing"), pytest.param("temp-written"), pytest.param("replaced")],
)
def test_ctrl_c_aimed_inside_the_write(tmp_path, step):
    """SIGINT at each step of the write: exit 130 means nothing was written; no temp file stays."""
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    before = db.read_bytes()
    rows = "".join(json.dumps(r) + "\n" for r in _grow_rows(3)).encode()
    result = cli("--db", db, "import", "-", input=rows, env=child_env(FACTCLI_TEST_SIGINT_AT=step))
    assert b"Traceback" not in result.stderr
    after = db.read_bytes()
    assert after == before or count_facts(after) == 4
    assert temp_files(db) == []
    if result.returncode == 130:
        assert after == before, "exit 130 (interrupted) but the import was written"
    else:
        assert result.returncode == 0 and count_facts(after) == 4


# ====================================================================== closed stdin


def _closed_stdin(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        factcli_command() + [str(a) for a in args],
        capture_output=True,
        env=child_env(),
        timeout=60,
        stdin=None,
        preexec_fn=lambda: os.close(0),
    )


@pytest.mark.parametrize(
    "args,code",
    [
        pytest.param(["add", "--who", "Beta", "--what", "two", "--country", "FR", "--source", "s"], 0),
        pytest.param(["rm", "1"], 0),
        (["rm", "1", "--yes"], 0),
        (["search"], 0),
        pytest.param(["show", "-"], 2),
        pytest.param(["import", "-"], 2),
        pytest.param(["edit", "-", "--note", "x"], 2),
    ],
    ids=lambda a: "-".join(a) if isinstance(a, list) else None,
)
def test_closed_stdin(tmp_path, args, code):
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    before = db.read_bytes()
    result = _closed_stdin("--db", db, *args)
    assert b"Traceback" not in result.stderr, result.stderr[-600:]
    assert result.returncode == code, result.stderr
    if code == 2:
        assert_one_error_line(result.stderr, contains=("stdin",))
        assert db.read_bytes() == before
    elif args[0] in ("add", "rm"):
        assert db.read_bytes() != before


def test_empty_stdin_is_no_input(run, db):
    add_fact(run)
    before = db.read_bytes()
    for args, code in ((["rm", "-"], 2), (["edit", "-", "--note", "x"], 2), (["import", "-"], 0)):
        result = run(*args, input="")
        assert result.exit_code == code, (args, result.output)
        assert "Traceback" not in result.stderr
    assert count_facts(db.read_bytes()) == count_facts(before)
