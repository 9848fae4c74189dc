"""`factcli copy SRC DEST` (issue 16, item 4): any backend to any, whole or not at all,
and an exact round trip."""

from __future__ import annotations

import json

import pytest

from factcli import operations
from factcli.paths import curated_path
from factcli.store import open_backend, open_view

from .conftest import ROOT, SAMPLE, Invoker


def _records(path) -> dict[str, list]:
    found: dict[str, list] = {}
    for table, doc in open_backend(path).records():
        found.setdefault(table, []).append(doc)
    return found


@pytest.mark.parametrize("chain", [("json", "sqlite", "json"), ("sqlite", "json", "sqlite"), ("sqlite", "sqlite")])
def test_a_copy_keeps_every_record_and_exports_the_same_bytes(tmp_path, chain):
    first = tmp_path / f"0.{chain[0]}"
    run = Invoker(first)
    rows = "".join(json.dumps(r) + "\n" for r in SAMPLE)
    assert run("import", "-", "--format", "jsonl", input=rows).exit_code == 0
    assert run("alias", "add", "Taliban", "Islamic Emirate").exit_code == 0
    assert run("rm", "2", "--yes").exit_code == 0  # a gap in the ids: the counter must travel too
    exported = run("export").stdout
    path = first
    for n, kind in enumerate(chain[1:], 1):
        target = tmp_path / f"{n}.{kind}"
        result = run("copy", str(path), str(target), db=False)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == f"factcli: copied {len(SAMPLE) - 1} facts from {path} to {target}\n"
        assert _records(target) == _records(first)
        assert Invoker(target)("export").stdout == exported
        path = target
    last = Invoker(path)
    assert last("check", str(path)).exit_code == 0  # (the sample has warnings, no errors)
    assert last("search", "--who", "Islamic Emirate", "--format", "jsonl").stdout.count("\n") == 1
    added = last("add", "--who", "Oman", "--what", "hosted talks", "--country", "Oman", "--source", "s")
    assert added.stdout.strip() == str(len(SAMPLE) + 1), added.stderr  # ids are never reused, in the copy either


def test_the_curated_facts_copied_answer_the_same(tmp_path):
    target = tmp_path / "curated.sqlite"
    run = Invoker(None)
    assert run("copy", str(ROOT / "facts.json"), str(target)).exit_code == 0
    for args in (["ask", "When did Russia recognise the Taliban?"], ["search", "embassy", "--sort", "when"]):
        assert Invoker(target)(*args).stdout == Invoker(ROOT / "facts.json")(*args).stdout


def test_your_database_keeps_its_edits_tombstones_and_history(tmp_path):
    mine = tmp_path / "mine.json"
    curated = list(open_backend(curated_path()).facts())
    operations.edit(open_view(mine=str(mine)), [curated[0]], operations.Edit({"note": "mine"}))
    operations.remove(open_view(mine=str(mine)), [curated[1]])
    copied = tmp_path / "mine.sqlite"
    assert operations.copy(str(mine), str(copied)) == 1
    view = open_view(mine=str(copied))
    assert view.get(curated[0]).note == "mine" and curated[1] not in {f.id for f in view.facts()}
    assert view.curated_changes() == open_view(mine=str(mine)).curated_changes()
    operations.undo(view)  # the history came along: the removal is undone in the copy
    assert curated[1] in {f.id for f in open_view(mine=str(copied)).facts()}


def test_a_copy_never_overwrites(tmp_path):
    source, dest = tmp_path / "a.json", tmp_path / "b.sqlite"
    run = Invoker(source)
    assert run("add", "--who", "A", "--what", "b", "--country", "FR", "--source", "s").exit_code == 0
    assert run("copy", str(source), str(dest), db=False).exit_code == 0
    before = dest.read_bytes()
    again = run("copy", str(source), str(dest), db=False)
    assert again.exit_code == 2 and "exists" in again.stderr and again.stderr.count("\n") == 1
    assert dest.read_bytes() == before
    same = run("copy", str(source), str(source), db=False)
    assert same.exit_code == 2 and same.stderr.count("\n") == 1
    missing = run("copy", str(tmp_path / "none.json"), str(tmp_path / "c.json"), db=False)
    assert missing.exit_code == 3 and not (tmp_path / "c.json").exists()


def test_a_large_json_file_is_copied_from_its_index_with_the_same_records(tmp_path, monkeypatch):
    # past the index's size a copy streams the facts from the derived index and the journal
    # from the file (a 1M-fact file was read whole: 4.3 GB); the records are the same
    first = tmp_path / "big.json"
    run = Invoker(first)
    rows = "".join(json.dumps(r) + "\n" for r in SAMPLE)
    assert run("import", "-", "--format", "jsonl", input=rows).exit_code == 0
    assert run("alias", "add", "Taliban", "Islamic Emirate").exit_code == 0
    assert run("rm", "2", "--yes").exit_code == 0
    monkeypatch.setenv("FACTCLI_INDEX", "never")
    whole = _records(first)
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    assert _records(first) == whole and whole["history"]
    target = tmp_path / "big.sqlite"
    assert run("copy", str(first), str(target), db=False).exit_code == 0
    assert _records(target) == whole
    assert Invoker(target)("export").stdout == run("export").stdout
