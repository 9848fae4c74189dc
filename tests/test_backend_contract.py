"""The storage contract (issue 15 item 4): every backend answers every command the
same way. One suite, parametrised over the backends the way TinyDB's tests run over
``params=['memory', 'json']``; a new backend joins by adding one parameter to
BACKENDS (a name and how to make a location for it).

Today: the JSON file read whole and the same file read through its derived SQLite
index. The commands go through the CLI (CliRunner); the interface methods are also
called directly on the backend that ``open_backend`` picks.
"""

from __future__ import annotations

import json
import os

import pytest

from factcli.store import open_backend, open_view
from factcli.store.base import Backend

from .conftest import SAMPLE, Invoker

BACKENDS = {
    # name: (environment, file name of a new database; None: a new PostgreSQL database)
    "json-whole": ({"FACTCLI_INDEX": "never"}, "facts.json"),
    "json-indexed": ({"FACTCLI_INDEX": "always"}, "facts.json"),
    "sqlite": ({}, "facts.sqlite"),
    "postgres": ({}, None),
}


class ServerDatabase(str):
    """A PostgreSQL database standing where the other backends have a file: its URL,
    with what the tests ask of a path (a sibling of another name, its content as bytes).
    A server database is made by `factcli init` (here: its backend's init())."""

    suffix = ""

    def __new__(cls, server, id_prefix: str = ""):
        self = super().__new__(cls, server.new_database())
        self.server = server
        open_backend(self, id_prefix=id_prefix).init()
        return self

    def with_name(self, name: str) -> ServerDatabase:
        return ServerDatabase(self.server, id_prefix="u")  # another database: a user's own one

    def read_bytes(self) -> bytes:
        """Everything the database stores, as the JSON layout's records."""
        return json.dumps(list(open_backend(self).records()), sort_keys=True).encode()


@pytest.fixture(params=sorted(BACKENDS))
def backend_db(request, tmp_path, monkeypatch):
    env, name = BACKENDS[request.param]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    if name is None:
        return ServerDatabase(request.getfixturevalue("pg_server"))
    return tmp_path / name


@pytest.fixture
def run(backend_db):
    return Invoker(backend_db)


@pytest.fixture
def loaded(run, backend_db):
    result = run("import", "-", "--format", "jsonl", input="\n".join(json.dumps(r) for r in SAMPLE) + "\n")
    assert result.exit_code == 0, result.stderr
    return backend_db


def ids(result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [json.loads(line)["id"] for line in result.stdout.splitlines()]


def test_open_backend_picks_a_registered_backend(loaded):
    backend = open_backend(loaded)
    assert isinstance(backend, Backend) and backend.exists()
    assert backend.count() == len(SAMPLE)
    assert list(backend.facts()) == [str(i) for i in range(1, len(SAMPLE) + 1)]
    assert backend.get("3").who == "China" and backend.get("99") is None
    assert backend.stored_ids(["1", "2", "99"]) == {"1", "2"}
    assert backend.revision() and backend.description().startswith(backend.kind)
    # the parameter really chose the backend, and the reading: through the derived index, or the file whole
    if loaded.suffix == ".sqlite":
        assert backend.kind == "SQLite file" and open(loaded, "rb").read(16) == b"SQLite format 3\x00"
    elif isinstance(loaded, ServerDatabase):
        assert backend.kind == "PostgreSQL"
    else:
        assert ("index" in backend.description()) == (os.environ["FACTCLI_INDEX"] == "always")


def test_a_write_changes_the_revision_and_is_seen_afresh(run, loaded):
    before = open_backend(loaded).revision()
    assert run("edit", "1", "--note", "checked").exit_code == 0
    after = open_backend(loaded)
    assert after.revision() != before and after.get("1").note == "checked"


@pytest.mark.parametrize(
    "args, expected",
    [
        (["search", "Taliban"], ["1", "2", "3", "4"]),
        (["search", "recognised"], ["1"]),  # word forms: recognized
        (["search", "--country", "Russia", "--sort", "id"], ["1", "2", "7"]),
        (["search", "--since", "2024-01-01", "--sort", "when"], ["5", "3", "2", "1"]),
        (["search", "--during", "2025-07-03", "--sort", "fit"], ["1", "5"]),
        (["search", "Russia", "NOT", "Putin", "--sort", "id"], ["1", "7"]),
        (["search", "Kabul", "OR", "credentials", "--sort", "id"], ["3", "4"]),
        (["search", "--who", "Russia", "--sort", "id", "--limit", "1"], ["1"]),
    ],
)
def test_search_answers_the_same(run, loaded, args, expected):
    assert sorted(ids(run(*args, "--format", "jsonl"))) == sorted(expected)
    if "--sort" in args:
        assert ids(run(*args, "--format", "jsonl")) == expected


def test_add_edit_rm_and_ids_never_reused(run, loaded):
    src = ("--source", "https://example.org/talks")
    result = run("add", "--who", "Qatar", "--what", "hosted talks", "--when", "2020-02-29", "--country", "Qatar", *src)
    assert result.exit_code == 0 and result.stdout.strip() == "8"
    assert run("edit", "8", "--what", "hosted the Doha talks").exit_code == 0
    assert ids(run("search", "Doha", "--format", "jsonl")) == ["8"]
    assert run("rm", "8", "--yes").exit_code == 0
    gone = run("search", "Doha", "--format", "jsonl")
    assert gone.exit_code == 1 and gone.stdout == ""  # exit 1: no fact matches
    again = run("add", "--who", "Oman", "--what", "hosted other talks", "--country", "Oman", *src)
    assert again.stdout.strip() == "9"  # 8 is not reused
    duplicate = run("add", "--who", "Oman", "--what", "hosted other talks", "--country", "Oman", *src)
    assert duplicate.exit_code != 0 and open_backend(loaded).count() == len(SAMPLE) + 1


def test_undo_and_history(run, loaded):
    assert run("edit", "4", "--note", "a note").exit_code == 0
    assert "edit" in run("history").stdout
    assert run("undo").exit_code == 0
    assert open_backend(loaded).get("4").note in ("", None)


def test_aliases(run, loaded):
    assert run("alias", "add", "Taliban", "Islamic Emirate").exit_code == 0
    assert "Islamic Emirate" in run("alias", "list").stdout
    assert sorted(ids(run("search", "--who", "Islamic Emirate", "--format", "jsonl"))) == ["4"]
    assert any(e.name == "Taliban" for e in open_backend(loaded).entities())


def test_check_reads_the_stored_records(run, loaded):
    result = run("check", str(loaded))
    assert result.exit_code in (0, 1), result.stderr
    assert "checked 7 facts" in result.stderr


def test_ask_answers_the_same(run, loaded):
    result = run("ask", "When did the Taliban take Kabul?")
    assert result.exit_code == 0 and result.stdout.startswith("2021-08-15"), result.stdout


def test_the_view_merges_the_same(loaded):
    view = open_view(str(loaded))
    assert [f.id for f in view.facts()] == [str(i) for i in range(1, len(SAMPLE) + 1)]
    assert view.fingerprint()[0][0] == str(loaded)


def test_import_dry_run_checks_everything_and_writes_nothing(run, loaded):
    before = loaded.read_bytes()
    revision = open_backend(loaded).revision()
    rows = [
        {
            "who": "Qatar",
            "what": "hosted talks",
            "when": "2020-02-29",
            "country": ["QAT"],
            "sources": ["https://e.org/q"],
        },
        SAMPLE[0],  # already present: counted, not added
    ]
    result = run("import", "-", "--format", "jsonl", "--dry-run", input="\n".join(json.dumps(r) for r in rows) + "\n")
    assert result.exit_code == 0, result.stderr
    assert "would import 1 fact" in result.stderr and "1 already present" in result.stderr
    assert loaded.read_bytes() == before and open_backend(loaded).revision() == revision
    assert run("history").stdout.count("\n") == 1  # only the import that loaded the sample
    bad = run("import", "-", "--format", "jsonl", "--dry-run", input='{"who": "X"}\n')
    assert bad.exit_code == 2 and "line 1" in bad.stderr and loaded.read_bytes() == before


def test_the_writer_a_write_is_given_offers_the_interface(loaded):
    from factcli.store.base import Writer

    members = {n for n in vars(Writer) if not n.startswith("_")} | set(Writer.__annotations__)
    missing = open_view(str(loaded)).write(lambda tx: sorted(n for n in members if not hasattr(tx, n)), commit=False)
    assert len(members) > 10 and missing == []


def test_your_database_over_the_curated_facts(backend_db):
    """Copies of curated facts, the record of the version each was made from, tombstones,
    revert and undo: the same on every backend as the user's own database."""
    from factcli import operations
    from factcli.paths import curated_path

    mine = backend_db.with_name("mine" + backend_db.suffix)

    def view():
        return open_view(mine=str(mine))

    curated = open_backend(curated_path()).facts()
    first, second = list(curated)[:2]
    operations.edit(view(), [first], operations.Edit({"note": "my reading"}))
    assert (
        open_backend(mine).edits() == {first: open_backend(mine).edits()[first]}
        and view().get(first).note == "my reading"
    )

    def visible():
        return {f.id for f in view().facts()}

    assert set(curated) <= visible()
    operations.remove(view(), [second])
    assert second not in visible() and open_backend(mine).removed() == {second}
    assert operations.revert(view(), [first, second]) == [(first, "edit"), (second, "removal")]
    assert view().get(first) == curated[first] and second in visible()
    operations.undo(view())  # the revert, undone: the copy and the tombstone are back
    assert view().get(first).note == "my reading" and second not in visible()
    added = operations.add(view(), {"who": "Qatar", "what": "hosted talks", "country": ["QAT"], "sources": ["s"]})
    assert added.id == "u1" and view().get("u1").who == "Qatar"
    from factcli.check import ERROR, check

    assert [p for p in check(open_backend(mine).stored_tables()) if p.level == ERROR] == []


def test_an_edit_of_a_fact_changed_since_it_was_read_is_refused(loaded):
    """Not last-writer-wins: another write that lands between the edit's read and its
    write makes the edit fail (exit 4), and the other write stands."""
    from factcli import operations
    from factcli.errors import WriteFailed

    view = open_view(str(loaded))
    real_write = view.write

    def racing_write(change, *args, **kwargs):
        operations.edit(open_view(str(loaded)), ["1"], operations.Edit({"note": "theirs"}))
        return real_write(change, *args, **kwargs)

    view.write = racing_write
    with pytest.raises(WriteFailed, match="changed by another write"):
        operations.edit(view, ["1"], operations.Edit({"note": "mine"}))
    assert open_view(str(loaded)).get("1").note == "theirs"
