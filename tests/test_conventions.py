"""Conventions users reached for (issue 14 item 8): case-insensitive ids, `ask` in
rows, `import` that prints its ids when piped, reads `;`-separated and Latin-1
CSV, hints a misnamed column, takes a year as a JSON number, and can leave out
extra columns."""

from __future__ import annotations

import csv
import io
import json

import pytest

from .conftest import add_args, factcli_run


def test_ids_are_case_insensitive(run_default):
    assert run_default("show", "C1", "--format", "tsv", "--fields", "id").stdout == "c1\n"
    assert run_default("edit", "C3", "--tag", "upper").exit_code == 0
    assert run_default("search", "--tag", "upper", "--fields", "id").stdout == "c3\n"
    assert run_default("cite", "C1").exit_code == 0


def test_ask_gives_rows_with_the_answer_first(run_default):
    question = "When did Russia recognize the Taliban?"
    rows = [
        json.loads(l)
        for l in run_default("ask", question, "--format", "jsonl", "--fields", "id,who").stdout.splitlines()
    ]
    assert (
        rows and list(rows[0]) == ["answer", "confidence", "id", "who"] and rows[0]["answer"].startswith("2025-07-03")
    )
    table = list(csv.reader(io.StringIO(run_default("ask", question, "--format", "csv").stdout)))
    assert table[0][:3] == ["answer", "confidence", "id"] and table[1][0].startswith("2025-07-03")
    assert run_default("ask", question, "--fields", "id,when").stdout.splitlines()[1] == "c1\t2025-07-03"


def test_import_prints_the_new_ids_when_piped(db, tmp_path):
    lines = "\n".join(
        json.dumps(
            {"who": f"A{i}", "what": "met", "when": 2020 + i, "country": "FR", "sources": ["https://e.example/1"]}
        )
        for i in range(3)
    )
    result = factcli_run("--db", str(db), "import", "-", input=lines.encode())
    assert result.returncode == 0 and result.stdout.decode().split() == [
        "1",
        "2",
        "3",
    ]  # a year as a JSON number is a year
    assert "imported 3 fact(s) (1…3)" in result.stderr.decode()


def test_import_reads_semicolon_latin1_csv_and_names_the_column_it_meant(run, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_bytes("who;what;when;country;source;extra\nAndré;met;2020;FR;https://e.example/1;x\n".encode("latin-1"))
    plain = run("import", str(path))
    assert plain.exit_code == 2 and "not valid UTF-8" in plain.stderr and "--encoding" in plain.stderr
    named = run("import", str(path), "--delimiter", ";", "--encoding", "latin-1")
    assert named.exit_code == 2 and "unknown field(s): extra, source (did you mean sources?)" in named.stderr
    path.write_bytes("who;what;when;country;sources;extra\nAndré;met;2020;FR;https://e.example/1;x\n".encode("latin-1"))
    ignored = run("import", str(path), "--delimiter", ";", "--encoding", "latin-1", "--ignore-unknown")
    assert ignored.exit_code == 0, ignored.stderr
    assert "ignored column(s) that are not fields: extra (1 rows)" in ignored.stderr
    assert run("search", "André", "--fields", "who").stdout == "André\n"
    bad = run("import", str(path), "--delimiter", ";;")
    assert bad.exit_code == 2 and "--delimiter: one character" in bad.stderr


def test_a_stands_for_name_does_not_flood_a_plain_search(run_default):
    """`search Kabul` finds Kabul, not every Taliban fact (issue 14 item 3); `--who Kabul`
    follows the alias, as `ask` does; the index agrees with the matcher."""
    plain = run_default("search", "Kabul", "--fields", "id", "--limit", "0").stdout.split()
    everything = run_default("search", "Taliban", "--fields", "id", "--limit", "0").stdout.split()
    assert 0 < len(plain) < len(everything)
    texts = run_default("search", "Kabul", "--format", "jsonl", "--limit", "0").stdout.lower()
    assert texts.count("kabul") >= len(plain)  # each one says Kabul
    who = run_default("search", "--who", "Kabul", "--fields", "id", "--limit", "0").stdout.split()
    assert who and set(who) <= set(everything)


def test_alias_rm(run_default):
    assert run_default("alias", "add", "Alpha Corp", "Alpha", "AC Group").exit_code == 0
    wrong = run_default("alias", "rm", "Alpha Corp", "AC")
    assert wrong.exit_code == 2 and "has no other name 'AC'" in wrong.stderr
    assert run_default("alias", "rm", "Alpha Corp", "AC Group").exit_code == 0
    assert "AC Group" not in run_default("alias", "list").stdout
    assert run_default("alias", "rm", "Alpha Corp").exit_code == 0  # the user's own: gone
    assert "Alpha Corp" not in run_default("alias", "list").stdout
    before = len(run_default("search", "--who", "Kabul", "--fields", "id").stdout.split())
    assert run_default("alias", "rm", "Taliban", "Kabul").exit_code == 0  # a curated one: the change is the user's
    assert len(run_default("search", "--who", "Kabul", "--fields", "id").stdout.split()) < before
    assert run_default("undo").exit_code == 0
    assert len(run_default("search", "--who", "Kabul", "--fields", "id").stdout.split()) == before
    missing = run_default("alias", "rm", "Nobody Here")
    assert missing.exit_code == 1 and "no entity named 'Nobody Here'" in missing.stderr


OPERATOR_QUERIES = [
    ["Russia", "NOT", "Putin"],
    ["Kazakhstan", "OR", "Kyrgyzstan"],
    ["Russia", "Kazakhstan", "OR", "Kyrgyzstan"],
    ["China", "OR", "Pakistan", "OR", "Uzbekistan"],
    ["Taliban", "--not", "Russia", "--not", "China"],
    ["Russia", "China", "--any"],
    ["--country", "KAZ", "--country", "KGZ", "--any"],
    ["--who", "Putin", "--who", "Lavrov", "--any"],
]


@pytest.mark.parametrize("args", OPERATOR_QUERIES, ids=" ".join)
def test_or_and_not_agree_between_the_matcher_and_the_index(run_default, monkeypatch, args):
    whole = run_default("search", *args, "--fields", "id", "--limit", "0").stdout.split()
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    indexed = run_default("search", *args, "--fields", "id", "--limit", "0").stdout.split()
    assert whole == indexed


def test_or_widens_and_not_excludes(run_default):
    def ids(*args):
        return set(run_default("search", *args, "--fields", "id", "--limit", "0").stdout.split())

    assert ids("Kazakhstan", "OR", "Kyrgyzstan") == ids("Kazakhstan") | ids("Kyrgyzstan")
    assert ids("Russia", "NOT", "Putin") == ids("Russia") - ids("Putin")
    assert ids("Russia", "--not", "Putin") == ids("Russia", "NOT", "Putin")
    assert ids("Russia", "China", "--any") == ids("Russia") | ids("China")
    assert ids("--country", "KAZ", "--country", "KGZ", "--any") == ids("--country", "KAZ") | ids("--country", "KGZ")
    assert ids("--country", "KAZ", "--country", "KGZ") == ids("--country", "KAZ") & ids(
        "--country", "KGZ"
    )  # AND, as documented
    bad = run_default("search", "Russia", "OR")
    assert bad.exit_code == 2 and "OR goes between two words" in bad.stderr
    # lower case `or` is a word to match, not an operator: never the union
    assert ids("Russia", "or", "Putin") <= ids("Russia") & ids("Putin") < ids("Russia") | ids("Putin")


def test_a_source_with_its_parts_passes_check_and_cites(run, db, monkeypatch):
    """add and edit take --title, --publisher, --published and --quote for the last
    --source, and set retrieved to today (issue 14 item 7)."""
    monkeypatch.setenv("FACTCLI_TODAY", "2026-12-01")
    added = run(
        *add_args(
            who="Russia",
            what="recognised the Taliban",
            when="2025-07-03",
            country=("AFG",),
            source="https://apnews.com/x",
        ),
        "--title",
        "Russia recognises the Taliban",
        "--publisher",
        "AP",
        "--published",
        "3 July 2025",
        "--quote",
        "the first country",
    )
    assert added.exit_code == 0, added.stderr
    (source,) = json.loads(run("show", "1", "--format", "json").stdout)[0]["sources"]
    assert source == {
        "title": "Russia recognises the Taliban",
        "publisher": "AP",
        "url": "https://apnews.com/x",
        "published": "2025-07-03",
        "retrieved": "2026-12-01",
        "quote": "the first country",
    }
    checked = run("check", "--strict", str(db))
    assert checked.exit_code == 0 and "0 warning(s)" in checked.stderr
    assert "[Russia recognises the Taliban](https://apnews.com/x), *AP*, 2025-07-03" in run("cite", "1").stdout
    assert (
        run("edit", "1", "--source", "https://tass.com/y", "--publisher", "TASS", "--published", "2025-07-04").exit_code
        == 0
    )
    sources = json.loads(run("show", "1", "--format", "json").stdout)[0]["sources"]
    assert sources[1] == {
        "publisher": "TASS",
        "url": "https://tass.com/y",
        "published": "2025-07-04",
        "retrieved": "2026-12-01",
    }
    lone = run("edit", "1", "--publisher", "X")
    assert lone.exit_code == 2 and "--publisher is a part of a source" in lone.stderr


def test_sort_fit_puts_the_days_events_first(run_default, monkeypatch):
    """--during DAY: that day's facts before long spans that contain it (issue 14 item 5);
    the default on a terminal with a date filter; piped output keeps date order."""
    from .conftest import in_terminal, strip_ansi

    fit = run_default(
        "search", "--during", "2025-07-03", "--sort", "fit", "--fields", "id,when", "--limit", "0"
    ).stdout.splitlines()
    whens = [line.split("\t")[1] for line in fit]
    assert whens[0] == "2025-07-03" and whens.index("2011-06-17/..") > whens.index("2025-07")
    assert all(w == "2025-07-03" for w in whens[: whens.count("2025-07-03")])
    piped = run_default("search", "--during", "2025-07-03", "--fields", "when").stdout.splitlines()
    assert piped[0] == "2011-06-17/.."  # date order, as documented for pipes
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    assert (
        run_default(
            "search", "--during", "2025-07-03", "--sort", "fit", "--fields", "id,when", "--limit", "0"
        ).stdout.splitlines()
        == fit
    )
    monkeypatch.delenv("FACTCLI_INDEX")
    screen = strip_ansi(in_terminal(["search", "--during", "2025-07-03", "--limit", "3"], columns=140))
    assert "2011-06-17/.." not in screen and "2025-07-03" in screen


@pytest.mark.parametrize(
    "left, right",
    [
        ("recognized", "recognised"),
        ("recognized", "recognizes"),
        ("flags", "flag"),
        ("Saint Petersburg", "St. Petersburg"),
    ],
)
def test_search_finds_word_forms(run_default, monkeypatch, left, right):
    """Word forms live in words.py, used by the matcher and so by the index (issue 14 item 2)."""

    def ids(term):
        return run_default("search", term, "--fields", "id", "--limit", "0").stdout.split()

    found = ids(left)
    assert found and found == ids(right)
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    assert ids(left) == found  # the index agrees


def test_a_quoted_word_is_that_form_alone(run_default):
    def texts(term):
        return run_default("search", term, "--format", "jsonl", "--limit", "0").stdout.lower()

    exact = texts('"recognised"').splitlines()
    assert exact and all("recognised" in line for line in exact)
    assert len(exact) < len(texts("recognised").splitlines())  # the forms find more


def test_word_form_rules():
    from factcli.words import phrase_forms, stems

    assert stems("recognized") == ("recognized", "recogniz", "recognis")
    assert stems("flags") == ("flags", "flag")
    assert stems("countries") == ("countries", "countr")
    assert stems("class") == ("class",) and stems("crisis") == ("crisis",) and stems("status") == ("status",)
    assert stems("us") == ("us",)  # short words match whole: no forms
    assert phrase_forms("saint petersburg") == ("saint petersburg", "st petersburg")
