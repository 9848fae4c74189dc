"""Property-based torture tests (issue 4), driven by hypothesis through the real CLI.

Arbitrary text (markup, controls, bidi, surrogates, NUL, NFC/NFD) and arbitrary
dates go through add/edit/rm/search/export→import. Whatever happens:
no input produces a traceback (the CLI runs with catch_exceptions=False),
refused input changes nothing and says why in one line, `check` never finds an
error, ids are never reused, and export→import round-trips exactly.

The default run is short; ``pytest -m slow tests/test_properties.py`` runs many more examples.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, assume, event, example, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from .conftest import Invoker
from .torture_helpers import raw_controls

FAST = settings(max_examples=100, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
THOROUGH = settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
MACHINE_FAST = settings(
    max_examples=20, stateful_step_count=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
MACHINE_THOROUGH = settings(
    max_examples=200, stateful_step_count=40, deadline=None, suppress_health_check=list(HealthCheck)
)

# ------------------------------------------------------------------ strategies

PIECES = [
    "[bold]",
    "[/bold]",
    "[/]",
    "[link=http://evil.example]",
    "[red on black]",
    ":smile:",
    "\\",
    "\\[",
    "%s",
    "{0}",
    "\x1b[2J",
    "\x1b]0;t\x07",
    "\x07",
    "\x08",
    "\r",
    "\x00",
    "\x7f",
    "\x9b",
    "\x85",
    "\u202e",
    "\u2066",
    "\u200f",
    "\u2028",
    "\ufeff",
    "\t",
    "\n",
    " ",
    "  ",
    "e\u0301",
    "\u00e9",
    "Milanovi\u0107",
    "\U0001f600",
    "\ud800",
    "\udcff",
    "Russia",
    "Taliban",
    "2025",
    "c1",
    "u1",
    "1",
]
characters = st.one_of(
    st.characters(),  # any code point but surrogates
    st.characters(categories=["Cs"]),  # lone surrogates (undecodable argv bytes)
    st.characters(max_codepoint=0x9F),  # ASCII, C0 and C1 controls
)
# Text a user would type, in any script: no controls, bidi overrides or surrogates.
_UNSAFE = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
safe_characters = st.characters(exclude_categories=["Cs", "Cc"], exclude_characters=_UNSAFE)
safe_text = st.text(safe_characters, min_size=1, max_size=30).filter(lambda t: t.strip())
hostile_text = st.one_of(
    st.text(characters, max_size=40),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(characters, max_size=4)), max_size=8).map("".join),
)
# Mostly text that is accepted, so the properties of stored facts get exercised;
# often text that must be refused.
text = st.one_of(
    safe_text,
    safe_text,
    st.lists(st.one_of(safe_text, st.sampled_from(PIECES)), min_size=1, max_size=5).map("".join),
    hostile_text,
)
# A who that validation accepts often enough to reach the other properties.
name = st.one_of(
    st.sampled_from(
        [
            "Russia",
            "Vladimir Putin",
            "Zoran Milanovi\u0107",
            "Zoran Milanovic\u0301",
            "The [bold] Council",
            "ООН",
            "[/bold]",
        ]
    ),
    safe_text,
    text,
)

days = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
valid_when = st.one_of(
    days.map(lambda d: d.isoformat()),
    days.map(lambda d: f"{d.year:04d}"),
    days.map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    st.tuples(days, days).map(lambda p: "/".join(sorted(d.isoformat() for d in p))),
    days.map(lambda d: f"{d.year:04d}/.."),
    days.map(lambda d: f"../{d.isoformat()}"),
)
ascii_junk_when = st.text(st.sampled_from("0123456789-/. T:Z"), max_size=12)
when = st.one_of(
    st.none(),
    st.just(""),
    valid_when,
    valid_when,
    valid_when,
    ascii_junk_when,
    st.sampled_from(
        ["2025-02-29", "2024-02-29", "2025-13", "0000", "2025/..", "../..", "2030/2020", " 2025 ", "2025-7-3"]
    ),
)

VALID_COUNTRIES = [
    "FR",
    "France",
    "AFG",
    "Afghanistan",
    "Russia",
    "RU",
    "Ivory Coast",
    "Türkiye",
    "US",
    "PRC",
    "Croatia",
    "DEU",
]
COUNTRIES = st.sampled_from([*VALID_COUNTRIES, "Atlantis", "", "[bold]", "\x1b[2J"])
tags = st.lists(
    st.one_of(
        st.sampled_from(["seed", "[bold]", "a,b", "draft", ":smile:"]),
        st.sampled_from(["x y", "\x1b", "\u202e"]),
        st.text(characters, max_size=6),
    ),
    max_size=3,
)
sources = st.lists(
    st.one_of(st.just("https://example.org/a"), st.sampled_from(["[link=x]y[/link]", "A citation", "ftp://x"]), text),
    min_size=1,
    max_size=2,
)

MARKUP = [
    "[bold]",
    "[/bold]",
    "[/]",
    "[link=http://evil.example]",
    "[red on black]",
    ":smile:",
    "\\",
    "\\[",
    "%s",
    "{0}",
    "\t",
    "\n",
    "\u2028",
    "\ufeff",
    "\u200f",
    "e\u0301",
    "\U0001f600",
]
valid_text = st.one_of(
    safe_text,
    st.lists(st.one_of(safe_text, st.sampled_from(MARKUP)), min_size=1, max_size=5)
    .map("".join)
    .filter(lambda t: t.strip()),
)


@st.composite
def add_inputs(draw) -> dict:
    """A record that is valid, or valid but for one hostile field (about half and half)."""
    record = {
        "who": draw(
            st.one_of(
                st.sampled_from(
                    [
                        "Russia",
                        "Vladimir Putin",
                        "Zoran Milanovi\u0107",
                        "Zoran Milanovic\u0301",
                        "The [bold] Council",
                        "ООН",
                        "[/bold]",
                    ]
                ),
                safe_text,
            )
        ),
        "what": draw(valid_text),
        "when_": draw(st.one_of(st.none(), valid_when)),
        "countries": draw(st.lists(st.sampled_from(VALID_COUNTRIES), min_size=1, max_size=2)),
        "note": draw(st.one_of(st.just(""), valid_text)),
        "tag_list": draw(st.lists(st.sampled_from(["seed", "[bold]", "draft", ":smile:", "ü"]), max_size=2)),
        "source_list": draw(
            st.lists(
                st.sampled_from(["https://example.org/a", "[link=x]y[/link]", "A citation"]), min_size=1, max_size=2
            )
        ),
    }
    spoil = draw(
        st.sampled_from(
            [None, None, None, None, None, "who", "what", "when_", "countries", "note", "tag_list", "source_list"]
        )
    )
    if spoil in ("who", "what", "note"):
        record[spoil] = draw(hostile_text)
    elif spoil == "when_":
        record[spoil] = draw(when)
    elif spoil == "countries":
        record[spoil] = draw(st.lists(COUNTRIES, max_size=2))
    elif spoil == "tag_list":
        record[spoil] = draw(tags)
    elif spoil == "source_list":
        record[spoil] = draw(sources)
    return record


ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


# ------------------------------------------------------------------ helpers


def _one_line_error(result) -> None:
    """A refusal: one line on stderr, no traceback (catch_exceptions=False would have raised)."""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("factcli: "), repr(result.stderr[:500])


def _add_args(who, what, when_, countries, note, tag_list, source_list) -> list[str]:
    args = ["add", "--who", who, "--what", what]
    if when_ is not None:
        args += ["--when", when_]
    for c in countries:
        args += ["--country", c]
    for s in source_list:
        args += ["--source", s]
    args += ["--note", note]
    for t in tag_list:
        args += ["--tag", t]
    return args


def _export(run) -> list[dict]:
    result = run("export")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


def _assert_round_trip(run, directory: Path) -> None:
    """export (jsonl, json, csv) → import into a fresh file (JSON, and SQLite) → export is
    byte-identical; and so is a copy into SQLite."""
    exported = run("export").stdout
    for fmt, name in (("jsonl", "facts.json"), ("json", "facts.json"), ("csv", "facts.json"), ("jsonl", "f.sqlite")):
        dump = run("export", "--format", fmt).stdout
        fresh = Path(tempfile.mkdtemp(dir=directory)) / name  # and into the SQLite backend
        imported = run("--db", str(fresh), "import", "-", "--format", fmt, db=False, input=dump)
        assert imported.exit_code == 0, (fmt, name, imported.output)
        assert run("--db", str(fresh), "export", db=False).stdout == exported, (fmt, name)
    copied = Path(tempfile.mkdtemp(dir=directory)) / "copy.sqlite"
    assert run("copy", str(run.db), str(copied), db=False).exit_code == 0
    assert run("--db", str(copied), "export", db=False).stdout == exported, "copy"


def _check_is_clean(run) -> None:
    if not run.db.exists():
        return
    result = run("check", str(run.db))
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert errors == [] and result.exit_code == 0, result.output


def _spans_are_iso_days(doc: dict) -> None:
    if doc["when"] is None:
        assert doc["when_start"] is None and doc["when_end"] is None
    else:
        assert ISO_DAY.fullmatch(doc["when_start"]) and ISO_DAY.fullmatch(doc["when_end"]), doc
        assert doc["when_start"] <= doc["when_end"]


@pytest.fixture
def workdir():
    path = Path(tempfile.mkdtemp(prefix="factcli-prop-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


# ------------------------------------------------------------------ one add


def _one_add(directory: Path, who, what, when_, countries, note, tag_list, source_list) -> None:
    db = Path(tempfile.mkdtemp(dir=directory)) / "facts.json"
    run = Invoker(db)
    assert run("add", "--who", "Seed", "--what", "keeps the file", "--country", "FR", "--source", "s").exit_code == 0
    before = db.read_bytes()
    result = run(*_add_args(who, what, when_, countries, note, tag_list, source_list))
    event(f"add exit {result.exit_code}")
    if result.exit_code != 0:
        assert result.exit_code == 2, result.output
        _one_line_error(result)
        assert db.read_bytes() == before
        return
    new_id = result.stdout.strip()
    assert new_id == "2"
    doc = {d["id"]: d for d in _export(run)}[new_id]
    assert (doc["who"], doc["what"], doc["note"]) == (who.strip(), what.strip(), note)
    assert doc["when"] == ((when_ or "").strip() or None)
    _spans_are_iso_days(doc)
    shown = run("show", new_id, "--format", "json")
    assert json.loads(shown.stdout) == [doc]
    with mock.patch("factcli.cli.app.stdout_is_terminal", return_value=True):  # the Rich renderers too
        assert run("show", new_id).exit_code == 0
        assert run("search", "--limit", "0").exit_code == 0
    _check_is_clean(run)
    _assert_round_trip(run, directory)


def _record(**changes) -> dict:
    record = {
        "who": "A",
        "what": "b",
        "when_": None,
        "countries": ["FR"],
        "note": "",
        "tag_list": [],
        "source_list": ["s"],
    }
    record.update(changes)
    return record


@FAST
@given(record=add_inputs())
@example(
    record=_record(
        who="[bold]Mallory[/bold]",
        what="x [/bold] [link=http://e]y[/link]",
        when_="2025-07-03",
        note="\u2028",
        tag_list=["[bold]"],
    )
)
@example(record=_record(who="Zoran Milanovic\u0301", what="NFD", when_="2021/..", countries=["Croatia"]))
@example(record=_record(what="\x1b[2J"))
@example(record=_record(note="\ud800"))
def test_any_add_is_stored_exactly_or_refused_cleanly(workdir, record):
    _one_add(workdir, **record)


@pytest.mark.slow
@THOROUGH
@given(record=add_inputs())
def test_any_add_is_stored_exactly_or_refused_cleanly_thoroughly(workdir, record):
    _one_add(workdir, **record)


NON_ASCII_DIGITS = st.sampled_from(
    [
        "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669",
        "\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19",
        "\u0966\u0967\u0968\u0969\u096a\u096b\u096c\u096d\u096e\u096f",
        "\u09e6\u09e7\u09e8\u09e9\u09ea\u09eb\u09ec\u09ed\u09ee\u09ef",
    ]
)


@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(digits=NON_ASCII_DIGITS, day=days)
@example(digits="\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669", day=date(2025, 7, 3))
def test_dates_in_other_digits_are_refused_or_stored_as_iso(workdir, digits, day):
    ascii_text = day.isoformat()
    written = ascii_text.translate({ord(str(i)): digits[i] for i in range(10)})
    _one_add(workdir, "Alpha", "dated in other digits", written, ["FR"], "", [], ["s"])


# ------------------------------------------------------------------ many commands


class FactcliMachine(RuleBasedStateMachine):
    """add, edit, rm, search and export→import on one database, against a model."""

    directory: Path
    tally: Counter

    def _count(self, what: str) -> None:
        self.tally[what] += 1

    @initialize()
    def start(self):
        self.db = Path(tempfile.mkdtemp(dir=self.directory)) / "facts.json"
        self.run = Invoker(self.db)
        assert self.run("import", "-", input="").exit_code == 0  # an empty database
        self.model: dict[str, dict] = {}  # id -> the fields we expect back
        self.issued: set[str] = set()  # every id ever handed out
        self.round_trips = 0

    def _snapshot(self) -> bytes | None:
        return self.db.read_bytes() if self.db.exists() else None

    def _refused(self, result, before) -> None:
        _one_line_error(result)
        assert self._snapshot() == before

    # --------------------------------------------------------------- rules

    @rule(record=add_inputs())
    def add(self, record):
        who, what, when_, note = record["who"], record["what"], record["when_"], record["note"]
        before = self._snapshot()
        result = self.run(*_add_args(**record))
        self._count(f"add exit {result.exit_code}")
        if result.exit_code != 0:
            assert result.exit_code == 2, result.output
            self._refused(result, before)
            return
        new_id = result.stdout.strip()
        assert new_id not in self.issued, f"id {new_id} reused"
        self.issued.add(new_id)
        self.model[new_id] = {
            "who": who.strip(),
            "what": what.strip(),
            "note": note,
            "when": (when_ or "").strip() or None,
        }

    @rule(row_id=st.integers(min_value=1, max_value=60), what=text)
    def import_with_an_id(self, row_id, what):
        """A row carrying its own id: the counter must move past it."""
        before = self._snapshot()
        row = {"id": str(row_id), "who": "Importer", "what": what, "country": ["FR"], "sources": ["s"]}
        result = self.run("import", "-", input=json.dumps(row) + "\n")
        if result.exit_code != 0:
            assert result.exit_code == 2, result.output
            assert "Traceback" not in result.stderr
            assert self._snapshot() == before
            return
        if str(row_id) not in self.model and self._snapshot() != before:
            self.issued.add(str(row_id))
            self.model[str(row_id)] = {"who": "Importer", "what": what.strip(), "note": "", "when": None}

    @precondition(lambda self: self.model)
    @rule(
        data=st.data(),
        field=st.sampled_from(["who", "what", "note", "when"]),
        value=st.one_of(valid_text, valid_when, text, when),
    )
    def edit(self, data, field, value):
        fact_id = data.draw(st.sampled_from(sorted(self.model)))
        value = value if value is not None else ""
        before = self._snapshot()
        result = self.run("edit", fact_id, f"--{field}", value)
        self._count(f"edit exit {result.exit_code}")
        if result.exit_code != 0:
            assert result.exit_code == 2, result.output
            self._refused(result, before)
            return
        assert result.stdout.split() == [fact_id]
        expected = value.strip() if field in ("who", "what") else value
        if field == "when":
            expected = value.strip() or None
        self.model[fact_id][field] = expected

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def rm(self, data):
        fact_id = data.draw(st.sampled_from(sorted(self.model)))
        result = self.run("rm", fact_id, "--yes")
        assert result.exit_code == 0, result.output
        assert result.stdout.split() == [fact_id]
        del self.model[fact_id]
        self._count("rm")

    @rule(fact_id=st.one_of(st.sampled_from(["0", "999", "c1", "u1", "-1", ""]), text))
    def unknown_ids_change_nothing(self, fact_id):
        assume(fact_id not in self.model and fact_id.strip() and fact_id != "-")
        before = self._snapshot()
        for args in (["show", fact_id], ["rm", fact_id, "--yes"], ["edit", fact_id, "--note", "x"]):
            result = self.run(*args)
            assert result.exit_code in (1, 2), (args, result.output)
            assert "Traceback" not in result.stderr
            assert self._snapshot() == before

    @rule(term=text)
    def search(self, term):
        assume(not term.startswith("-"))  # an option, not a term
        result = self.run("search", "--fields", "id", term)
        self._count(f"search exit {result.exit_code}")
        assert result.exit_code in (0, 1, 2, 3), result.output
        assert "Traceback" not in result.stderr
        if result.exit_code == 0:
            assert set(result.stdout.split()) <= set(self.model)
        else:
            _one_line_error(result)

    @rule(
        question=st.one_of(
            text,
            st.sampled_from(
                [
                    "When did Russia recognize the Taliban?",
                    "Who is [bold]?",
                    "How many facts?",
                    "Did Zoran Milanovic\u0301 do it in 2025?",
                ]
            ),
        )
    )
    def ask(self, question):
        assume(not question.startswith("-"))
        result = self.run("ask", question)
        self._count(f"ask exit {result.exit_code}")
        assert result.exit_code in (0, 1, 2), result.output
        assert "Traceback" not in result.stderr
        raw = (result.stdout + result.stderr).encode("utf-8", "surrogatepass")
        assert raw_controls(raw) == [], raw_controls(raw)[:5]

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def search_by_its_own_date(self, data):
        fact_id = data.draw(st.sampled_from(sorted(self.model)))
        when_ = self.model[fact_id]["when"]
        assume(when_ is not None)
        result = self.run("search", "--during", when_, "--fields", "id")
        self._count("search --during its own date")
        assert result.exit_code == 0, result.output
        assert fact_id in result.stdout.split()

    @precondition(lambda self: self.model)
    @rule()
    def round_trip(self):
        _assert_round_trip(self.run, self.directory)
        self._count("export-import round trips")

    # --------------------------------------------------------------- invariants

    @invariant()
    def the_file_holds_the_model(self):
        if not hasattr(self, "db") or not self.db.exists():
            return
        docs = {d["id"]: d for d in _export(self.run)}
        assert set(docs) == set(self.model)
        for fact_id, expected in self.model.items():
            got = docs[fact_id]
            assert {k: got[k] for k in expected} == expected, fact_id
            _spans_are_iso_days(got)
        listed = self.run("search", "--fields", "id")
        assert set(listed.stdout.split()) == set(self.model)
        meta = json.loads(self.db.read_bytes())["meta"]
        counter = next(iter(meta.values()))["next_id"]
        assert all(int(i) < counter for i in self.issued), "the counter would hand out a used id"

    @invariant()
    def check_finds_no_error(self):
        if hasattr(self, "run"):
            _check_is_clean(self.run)
            self._count("check runs")


def _machine(directory: Path, chosen: settings) -> Counter:
    class Machine(FactcliMachine):
        pass

    Machine.directory = directory
    Machine.tally = Counter()
    run_state_machine_as_test(Machine, settings=chosen)
    print(
        f"\nhypothesis command sessions ({chosen.max_examples} x {chosen.stateful_step_count} steps): {dict(sorted(Machine.tally.items()))}"
    )
    # the sessions did exercise what they claim to
    for what in (
        "add exit 0",
        "add exit 2",
        "edit exit 0",
        "edit exit 2",
        "rm",
        "export-import round trips",
        "search --during its own date",
    ):
        assert Machine.tally[what] > 0, (what, Machine.tally)
    return Machine.tally


def test_random_sessions_of_commands_keep_the_database_sound(workdir):
    _machine(workdir, MACHINE_FAST)


@pytest.mark.slow
def test_random_sessions_of_commands_keep_the_database_sound_thoroughly(workdir):
    _machine(workdir, MACHINE_THOROUGH)
