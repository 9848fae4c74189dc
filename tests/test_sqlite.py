"""The SQLite file backend (issue 16, item 1): which files it serves, what it refuses,
and writes that are one transaction each. What every backend must answer the same
is in test_backend_contract.py; here is what only a SQLite file can get wrong."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import time

import pytest

from factcli.store import open_backend

from .conftest import SAMPLE, Invoker, add_args, factcli_command, factcli_run, user_database


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _load(run, rows=SAMPLE):
    result = run("import", "-", "--format", "jsonl", input="".join(json.dumps(r) + "\n" for r in rows))
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("name", ["facts.sqlite", "facts.sqlite3", "facts.db", "FACTS.DB"])
def test_a_new_database_named_so_is_a_sqlite_file(tmp_path, name):
    path = tmp_path / name
    run = Invoker(path)
    assert run(*add_args()).exit_code == 0
    assert path.read_bytes()[:16] == b"SQLite format 3\x00"
    assert open_backend(path).kind == "SQLite file"
    info = run("info").stdout
    assert "SQLite file" in info


def test_the_content_decides_for_an_existing_file(tmp_path):
    json_db = tmp_path / "facts.json"
    assert Invoker(json_db)(*add_args()).exit_code == 0
    renamed = json_db.rename(tmp_path / "old.db")  # today's JSON files named *.db keep working
    assert Invoker(renamed)(*add_args(what="another fact")).exit_code == 0
    assert renamed.read_bytes().startswith(b"{") and open_backend(renamed).kind == "JSON file"

    sqlite_db = tmp_path / "facts.sqlite"
    assert Invoker(sqlite_db)(*add_args()).exit_code == 0
    misnamed = sqlite_db.rename(tmp_path / "misnamed.json")
    assert open_backend(misnamed).kind == "SQLite file"
    assert Invoker(misnamed)("search", "Taliban", "--format", "jsonl").stdout.count("\n") == 1


def test_a_foreign_sqlite_file_is_refused_and_never_altered(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things(x)")
    conn.execute("INSERT INTO things VALUES (1)")
    conn.commit()
    conn.close()
    before = _digest(path)
    run = Invoker(path)
    for args in (["search", "x"], add_args(), ["check", str(path)], ["info"]):
        result = run(*args)
        assert result.exit_code == 3, (args, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and "another program" in result.stderr
    assert _digest(path) == before and not list(tmp_path.glob("other.db-*"))


def test_a_newer_layout_is_refused_with_one_line(tmp_path):
    path = tmp_path / "facts.sqlite"
    run = Invoker(path)
    assert run(*add_args()).exit_code == 0
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'storage'")
    conn.commit()
    conn.close()
    result = run("search", "Taliban")
    assert result.exit_code == 3 and "newer factcli" in result.stderr and result.stderr.count("\n") == 1
    assert run(*add_args(what="more")).exit_code == 3


def test_a_damaged_file_is_one_line_and_exit_3(tmp_path):
    path = tmp_path / "facts.sqlite"
    run = Invoker(path)
    _load(run)
    data = bytearray(path.read_bytes())
    path.write_bytes(bytes(data[:100]) + b"\xff" * (len(data) - 100))  # the header survives, the pages do not
    for args in (["search", "Taliban"], ["show", "1"], add_args()):
        result = run(*args)
        assert result.exit_code == 3, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "another program" not in result.stderr  # damaged, not foreign


def test_a_dry_run_makes_no_file(tmp_path):
    path = tmp_path / "new.sqlite"
    result = Invoker(path)(
        "import", "-", "--format", "jsonl", "--dry-run", input="".join(json.dumps(r) + "\n" for r in SAMPLE)
    )
    assert result.exit_code == 0, result.stderr
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_a_write_is_one_transaction_of_the_rows_it_touches(tmp_path):
    """An edit rewrites one row: the stored documents of the others are the same bytes."""
    path = tmp_path / "facts.sqlite"
    run = Invoker(path)
    _load(run)

    def docs():
        conn = sqlite3.connect(path)
        try:
            return dict(conn.execute("SELECT id, doc FROM facts"))
        finally:
            conn.close()

    before = docs()
    assert run("edit", "3", "--note", "checked").exit_code == 0
    after = docs()
    assert {k for k in before if before[k] != after[k]} == {"3"}
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()


def test_concurrent_writers_from_many_processes_lose_nothing(tmp_path):
    path = tmp_path / "shared.sqlite"
    assert factcli_run("--db", str(path), *add_args(who="Seed", what="the first fact")).returncode == 0
    workers, each = 4, 10
    script = " && ".join(
        " ".join([*factcli_command(), "--db", str(path), *(f"'{a}'" for a in add_args(who="W{w}", what=f"fact {n}"))])
        for n in range(each)
    )
    procs = [subprocess.Popen(["bash", "-c", script.replace("{w}", str(w))]) for w in range(workers)]
    assert [p.wait(timeout=300) for p in procs] == [0] * workers
    backend = open_backend(path)
    facts = backend.facts()
    assert len(facts) == 1 + workers * each
    assert sorted(map(int, facts)) == list(range(1, 2 + workers * each))  # every id once, none lost
    assert len(backend.history()) == 1 + workers * each


def test_a_write_killed_midway_leaves_the_old_data(tmp_path):
    path = tmp_path / "facts.sqlite"
    assert factcli_run("--db", str(path), *add_args()).returncode == 0
    rows = "".join(
        json.dumps({"who": f"Actor {i}", "what": f"did thing {i}", "country": ["FRA"], "sources": ["s"]}) + "\n"
        for i in range(30_000)
    )
    feed = tmp_path / "rows.jsonl"
    feed.write_text(rows)
    proc = subprocess.Popen([*factcli_command(), "--db", str(path), "import", str(feed)], stderr=subprocess.PIPE)
    time.sleep(1.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    count = open_backend(path).count()
    assert count in (1, 30_001)  # all of the import, or none of it
    result = factcli_run("check", str(path))
    assert result.returncode == 0, result.stderr


def test_a_large_json_file_says_once_on_a_terminal_that_a_sqlite_copy_writes_faster(tmp_path, monkeypatch):
    from unittest import mock

    from factcli.store.jsonfile import backend

    path = tmp_path / "big.json"
    run = Invoker(path)
    assert run(*add_args()).exit_code == 0
    monkeypatch.setattr(backend, "ADVISE_SQLITE_BYTES", 100)  # the file stands for one of 50 MB
    piped = run(*add_args(what="a second fact"))
    assert piped.exit_code == 0 and piped.stderr == ""  # not on a pipe
    with mock.patch("factcli.cli.app.stderr_is_terminal", return_value=True):
        told = run(*add_args(what="a third fact"))
        again = run(*add_args(what="a fourth fact"))
    assert told.exit_code == 0 and f"factcli copy {path} {tmp_path / 'big'}.sqlite" in told.stderr
    assert told.stderr.count("\n") == 1 and again.stderr == ""  # said once
    small = Invoker(tmp_path / "small.sqlite")
    with mock.patch("factcli.cli.app.stderr_is_terminal", return_value=True):
        assert small(*add_args()).stderr == ""  # a SQLite file has nothing to say


def test_a_stored_fact_changed_behind_factcli_s_back_is_never_answered_from(tmp_path):
    """Damage that leaves valid JSON (a letter changed in a page) is found by each
    document's checksum: exit 3 and one line, never a wrong answer."""
    path = tmp_path / "facts.sqlite"
    run = Invoker(path)
    _load(run)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE facts SET doc = replace(doc, 'Russia', 'Prussia') WHERE id = '1'")
    conn.commit()
    conn.close()
    for args in (["search", "Taliban"], ["show", "1"], ["export"], ["edit", "1", "--note", "x"]):
        result = run(*args)
        assert result.exit_code == 3, (args, result.stdout, result.stderr)
        assert "damaged" in result.stderr and result.stderr.count("\n") == 1 and "Prussia" not in result.stdout


@pytest.mark.parametrize("name, loaded", [("facts.json", False), ("facts.sqlite", True)])
def test_a_command_on_a_json_file_never_imports_the_sqlite_backend(tmp_path, name, loaded):
    """The SQLite backend is registered lazily: a search of a small JSON file stays as
    quick to start as before it existed (sqlite3 costs milliseconds of every start)."""
    import sys

    path = tmp_path / name
    assert Invoker(path)(*add_args()).exit_code == 0
    code = (
        f"import sys; sys.argv = ['factcli', '--db', {str(path)!r}, 'search', 'Taliban'];"
        "from factcli.cli import main\ntry: main()\nexcept SystemExit: pass\n"
        "print('factcli.store.sqlitefile.backend' in sys.modules, 'sqlite3' in sys.modules, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().endswith(f"{loaded} {loaded}"), done.stderr


def test_a_bad_json_line_is_a_bad_row_like_the_others(tmp_path):
    path = tmp_path / "facts.sqlite"
    run = Invoker(path)
    rows = [json.dumps(SAMPLE[0]), "{not json", "[1, 2]", json.dumps({"who": "X"}), json.dumps(SAMPLE[1])]
    text = "\n".join(rows) + "\n"
    refused = run("import", "-", "--format", "jsonl", input=text)
    assert refused.exit_code == 2 and not path.exists()
    assert [line.split(":")[2].strip() for line in refused.stderr.splitlines()[:3]] == ["line 2", "line 3", "line 4"]
    skipped = run("import", "-", "--format", "jsonl", "--skip-invalid", input=text)
    assert skipped.exit_code == 0 and open_backend(path).count() == 2, skipped.stderr


def test_two_commands_making_the_same_new_database_lose_nothing_silently(tmp_path):
    """Both writes land, or the one that lost the race says so (exit 4): never "imported"
    with its rows gone."""
    rows = tmp_path / "rows.jsonl"
    rows.write_text(
        "".join(
            json.dumps({"who": f"A{i}", "what": f"did {i}", "country": ["FRA"], "sources": ["s"]}) + "\n"
            for i in range(300)
        )
    )
    for trial in range(4):
        path = tmp_path / f"race{trial}.sqlite"
        procs = [
            subprocess.Popen(
                [*factcli_command(), "--db", str(path), "import", str(rows)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**__import__("os").environ, "FACTCLI_PAGER": ""},
            ),
            subprocess.Popen(
                [*factcli_command(), "--db", str(path), *add_args(who="Racer", what="added at once")],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            ),
        ]
        codes = [p.wait(timeout=120) for p in procs]
        errors = [p.stderr.read().decode() for p in procs]
        facts = open_backend(path).facts()
        imported = sum(1 for f in facts.values() if f.who.startswith("A"))
        assert imported == (300 if codes[0] == 0 else 0), (codes, errors)
        assert ("Racer" in {f.who for f in facts.values()}) == (codes[1] == 0), (codes, errors)
        for code, error in zip(codes, errors):
            assert code in (0, 4) and (code == 0 or "at the same moment" in error), (codes, errors)


def test_an_empty_db_path_is_refused_not_taken_for_your_own_database(tmp_path, monkeypatch):
    run = Invoker(None)
    result = run("--db", "", *add_args())
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "--db" in result.stderr
    assert not user_database().exists()  # nothing was written to yours
    monkeypatch.setenv("FACTCLI_DB", "")  # an empty variable is an unset one, as shells mean it
    assert run("search", "Taliban").exit_code == 0


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_repeat_of_a_row_stored_batches_earlier_is_found_without_remembering_lines(tmp_path, kind, request):
    """An import keeps the lines of its unstored rows only (memory stays flat at a million
    rows); a row repeating one stored in an earlier batch is found as a fact this write added."""
    from factcli.store.rowwriter import RowWriter

    db = str(tmp_path / "facts.sqlite") if kind == "sqlite" else request.getfixturevalue("pg_url")
    run = Invoker(db)
    if kind == "postgres":
        assert run("init").exit_code == 0
    before = {"who": "Before", "what": "was here first", "country": ["FRA"], "sources": ["s"]}
    assert run("import", "-", "--format", "jsonl", input=json.dumps(before) + "\n").exit_code == 0
    n = RowWriter.batch_size + 50
    rows = [{"who": f"W{i}", "what": f"did {i}", "country": ["FRA"], "sources": ["s"]} for i in range(n)]
    rows.append(dict(rows[3]))  # the same fact, a batch after its row was stored: a repeat
    rows.append(before)  # a fact the database held before: already present
    text = "".join(json.dumps(r) + "\n" for r in rows)
    refused = run("import", "-", "--format", "jsonl", input=text)
    assert refused.exit_code == 2 and open_backend(db).count() == 1, refused.stderr
    assert f"line {n + 1}: repeats an earlier line (fact " in refused.stderr, refused.stderr
    skipped = run("import", "-", "--format", "jsonl", "--skip-invalid", input=text)
    assert skipped.exit_code == 0 and open_backend(db).count() == n + 1, skipped.stderr
    assert "1 already present; 1 skipped" in skipped.stderr, skipped.stderr


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_what_prefetch_read_is_forgotten_once_a_fact_changes(tmp_path, kind, request):
    """An import reads each batch's ids and identities in one query a kind (prefetch);
    a fact stored after that is seen, not the stale 'no such fact'."""
    from factcli.model import validate
    from factcli.store import open_view

    db = str(tmp_path / "facts.sqlite") if kind == "sqlite" else request.getfixturevalue("pg_url")
    run = Invoker(db)
    if kind == "postgres":
        assert run("init").exit_code == 0
    _load(run, SAMPLE[:1])
    fact = validate({"id": "x7", "who": "W", "what": "did it", "country": ["FRA"], "sources": ["s"]}).fact
    stored = validate({**SAMPLE[0]}).fact

    def change(tx):
        tx.prefetch([(fact, fact.identity()), (stored, stored.identity())])
        assert tx.get("x7") is None and tx.duplicate_of(fact, fact.identity()) is None
        assert tx.duplicate_of(stored, stored.identity()) is not None  # read by the prefetch
        tx.add([fact])
        return tx.get("x7"), tx.duplicate_of(fact._replace(id=""), fact.identity())

    got, duplicate = open_view(db).write(change)
    assert got is not None and got.what == "did it" and duplicate == "x7"
