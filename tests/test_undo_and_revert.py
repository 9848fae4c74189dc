"""Undo, history and revert (issue 13 item 18, issue 14 item 9), on one schema
change (schema 2: the `edits` record of which curated version a copy was made
from, and the `history` journal of pre-images, written in the same atomic write
as the change)."""

from __future__ import annotations

import json

import pytest

from factcli.store.base import doc_digest
from factcli.store.journal import HISTORY_WRITES

from .conftest import add_fact, user_database


def _ids(run, *args):
    return run(*args, "--fields", "id", "--limit", "0").stdout.split()


def test_undo_reverts_each_kind_of_write_newest_first(run):
    first = add_fact(run, who="Alpha", what="met Beta")
    second = add_fact(run, who="Gamma", what="met Delta")
    assert run("edit", first, "--what", "met Beta again").exit_code == 0
    assert run("rm", "--yes", second).exit_code == 0
    assert run("alias", "add", "Alpha", "Alpha Group").exit_code == 0
    history = run("history").stdout.splitlines()
    assert [l.split("\t")[2] for l in history] == [
        "alias: 1 entity (Alpha)",
        f"rm {second}",
        f"edit {first}",
        f"add {second}",
        f"add {first}",
    ]
    assert run("undo").stdout == "undid alias: 1 entity (Alpha)\n"
    assert run("search", "Alpha Group").exit_code == 1
    assert run("undo").stdout == f"undid rm {second}\n"
    assert _ids(run, "search", "Gamma") == [second]
    assert run("undo").exit_code == 0
    assert run("show", first, "--format", "json").stdout.count("met Beta again") == 0
    assert run("undo").exit_code == 0 and run("undo").exit_code == 0
    assert run("export").stdout == ""
    nothing = run("undo")
    assert nothing.exit_code == 2 and "nothing to undo" in nothing.stderr
    again = add_fact(run, who="Epsilon", what="met Zeta")
    assert again not in (first, second)  # undo never hands an id out again


def test_undo_refuses_to_overwrite_a_later_change(run, db):
    fact_id = add_fact(run)
    data = json.loads(db.read_text(encoding="utf-8"))
    for doc in data["facts"].values():
        doc["note"] = "changed by hand"
    db.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    before = db.read_bytes()
    result = run("undo")
    assert result.exit_code == 2
    assert (
        result.stderr
        == f"factcli: cannot undo 'add {fact_id}': fact {fact_id} has changed since it was written; nothing was changed\n"
    )
    assert db.read_bytes() == before


def test_the_journal_is_bounded(run):
    for n in range(HISTORY_WRITES + 5):
        add_fact(run, who=f"Actor {n}", what=f"did thing {n}")
    lines = run("history").stdout.splitlines()
    assert len(lines) == HISTORY_WRITES and lines[0].split("\t")[2] == f"add {HISTORY_WRITES + 5}"


def test_an_edit_of_a_curated_fact_is_marked_revertable_and_dropped_when_equal(run_default):
    assert run_default("edit", "c3", "--tag", "mine").exit_code == 0
    info = run_default("info").stdout
    assert "curated edited by you\t1" in info
    assert run_default("edit", "c3", "--untag", "mine").exit_code == 0  # equal to the curated fact again
    data = json.loads(user_database().read_text(encoding="utf-8"))
    assert not [d for d in data["facts"].values() if d["id"] == "c3"] and data["edits"] == {}  # no copy left
    assert "curated edited by you" not in run_default("info").stdout
    assert run_default("edit", "c3", "--note", "my note").exit_code == 0
    assert run_default("rm", "--yes", "c4").exit_code == 0
    assert "curated removed by you\t1" in run_default("info").stdout
    result = run_default("revert", "c3", "c4")
    assert result.exit_code == 0 and result.stdout.split() == ["c3", "c4"]
    assert "my note" not in run_default("show", "c3", "--format", "json").stdout
    assert run_default("show", "c4", "--format", "tsv", "--fields", "id").stdout == "c4\n"
    assert "curated edited by you" not in run_default("info").stdout
    own = run_default("revert", "u1")
    assert own.exit_code == 2 and "is not a curated fact" in own.stderr
    plain = run_default("revert", "c5")
    assert plain.exit_code == 2 and "you have not edited or removed it" in plain.stderr
    assert run_default("undo").stdout == "undid revert c3, c4\n"
    assert "my note" in run_default("show", "c3", "--format", "json").stdout


def test_a_curated_fact_changed_since_the_users_edit_is_reported(run_default, monkeypatch, tmp_path):
    assert run_default("edit", "c3", "--tag", "mine").exit_code == 0
    record = json.loads(user_database().read_text(encoding="utf-8"))["edits"]
    (entry,) = record.values()
    from factcli.paths import curated_path

    curated = json.loads(open(curated_path(), encoding="utf-8").read())
    (c3,) = [d for d in curated["facts"].values() if d["id"] == "c3"]
    from factcli.model import Fact

    assert entry == {"id": "c3", "curated": doc_digest(Fact.from_stored(c3).to_dict())}
    # a newer curated release: the same fact, corrected
    c3["note"] = "corrected in a later curated release"
    newer = tmp_path / "curated.json"
    newer.write_text(json.dumps(curated, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setattr("factcli.paths.curated_path", lambda: str(newer))
    checked = run_default("check")
    assert "c3: the curated fact changed since you edited it" in checked.stdout
    assert "curated changed since your edit\t1\tc3" in run_default("info").stdout


def test_schema_1_files_are_migrated_and_written_as_schema_2(run, db):
    db.write_text(
        json.dumps(
            {
                "meta": {"1": {"format": "factcli", "schema": 1, "id_prefix": "", "next_id": 1}},
                "facts": {},
                "aliases": {},
                "removed": {},
            }
        ),
        encoding="utf-8",
    )
    assert run("search", "x").exit_code == 1  # read (in memory, migrated)
    add_fact(run)
    data = json.loads(db.read_text(encoding="utf-8"))
    assert data["meta"]["1"]["schema"] == 2 and set(data) == {"meta", "facts", "aliases", "removed", "edits", "history"}
    assert len(data["history"]) == 1


@pytest.mark.parametrize("index", ["never", "always"])
def test_undo_keeps_the_index_in_step(run, monkeypatch, index):
    monkeypatch.setenv("FACTCLI_INDEX", index)
    keep = add_fact(run, who="Keeper", what="stays")
    gone = add_fact(run, who="Goner", what="goes")
    assert run("rm", "--yes", keep).exit_code == 0
    assert run("undo").exit_code == 0
    assert run("undo").exit_code == 0
    assert _ids(run, "search", "Keeper") == [keep]
    assert run("search", "Goner").exit_code == 1 and gone


def test_revert_of_one_id_in_two_spellings_reverts_it_once(run_default):
    """Found in review: `revert C3 c3` queued the copy's removal twice (a traceback)."""
    assert run_default("edit", "c3", "--tag", "x").exit_code == 0
    result = run_default("revert", "C3", "c3")
    assert result.exit_code == 0 and result.stdout == "c3\n", result.output
    assert run_default("rm", "--yes", "c4").exit_code == 0
    again = run_default("revert", "C4", "c4")
    assert again.exit_code == 0 and again.stdout == "c4\n"
    assert run_default("history").stdout.splitlines()[0].split("\t")[2:] == ["revert c4", "1"]


def _write_row(path, fact_id, who):
    row = {
        "id": fact_id,
        "who": who,
        "what": "said a thing",
        "when": "2024",
        "country": ["USA"],
        "sources": ["https://example.com/a"],
    }
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")


def test_an_import_may_not_bring_back_a_removed_id(run_default, run, tmp_path):
    """Found in review: importing a row with the id of a removed curated fact gave the
    user's file a fact and a tombstone under one id, and undo stuck for ever."""
    assert run_default("rm", "--yes", "c3").exit_code == 0
    row = tmp_path / "c3.jsonl"
    _write_row(row, "c3", "Alice Example")
    refused = run_default("import", str(row))
    assert refused.exit_code == 2 and "id c3 was removed; ids are never reused" in refused.stderr
    assert run_default("undo").stdout == "undid rm c3\n"
    # an id of a file's own numbering that was removed is not reused either
    own = add_fact(run)
    assert run("rm", "--yes", own).exit_code == 0
    _write_row(row, own, "Bob")
    again = run("import", str(row))
    assert again.exit_code == 2 and f"id {own} was removed" in again.stderr


def test_undo_refuses_a_damaged_journal_entry(run, db):
    """Found in review: a hand-edited pre-image was written back, leaving a file no
    command would read."""
    fact_id = add_fact(run)
    assert run("edit", fact_id, "--tag", "x").exit_code == 0
    data = json.loads(db.read_text(encoding="utf-8"))
    (entry,) = [e for e in data["history"].values() if e["summary"].startswith("edit")]
    entry["changes"][0]["before"] = {"id": fact_id}
    db.write_text(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    before = db.read_bytes()
    result = run("undo")
    assert result.exit_code == 2 and "the journal entry of the last write is damaged" in result.stderr
    assert db.read_bytes() == before
    assert run("show", fact_id).exit_code == 0  # still readable


def test_removing_a_copy_drops_its_record_even_when_the_curated_fact_is_gone(run_default, monkeypatch, tmp_path):
    """Found in review: rm of a copy whose curated fact a newer release dropped left
    its `edits` record behind."""
    assert run_default("edit", "c5", "--tag", "x").exit_code == 0
    from factcli.paths import curated_path

    curated = json.loads(open(curated_path(), encoding="utf-8").read())
    curated["facts"] = {k: d for k, d in curated["facts"].items() if d["id"] != "c5"}
    newer = tmp_path / "curated.json"
    newer.write_text(json.dumps(curated, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    monkeypatch.setattr("factcli.paths.curated_path", lambda: str(newer))
    assert run_default("rm", "--yes", "c5").exit_code == 0
    assert json.loads(user_database().read_text(encoding="utf-8"))["edits"] == {}
