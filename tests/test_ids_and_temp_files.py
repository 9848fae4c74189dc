"""Reliability, round two (issue 12), items 1–4: ids have one pattern everywhere and a
JSON id is never split; a hand-edited file with keys TinyDB would merge is refused; a
planted symlink cannot make a write overwrite another file."""

from __future__ import annotations

import json
import os

import pytest

from factcli.model import id_problem, validate
from factcli.store import atomic_write


def _line(fact_id: str, n: int) -> str:
    return json.dumps({"id": fact_id, "who": f"Actor {n}", "what": f"Target number {n}.", "when": "2025", "country": "RUS", "sources": [f"https://example.org/{n}"]})


@pytest.mark.parametrize(
    "fact_id",
    ["a b", "a\nb", "-", "x" * 65, "u18446744073709551614", "x9223372036854775808", "u²", "²", "٣", ".hidden", "trailing-", "a/b"],
)
def test_import_refuses_what_is_not_an_id(run, db, tmp_path, fact_id):
    path = tmp_path / "in.jsonl"
    path.write_text(_line(fact_id, 1) + "\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "is not an id" in result.output
    assert not db.exists() or run("search", "Target").exit_code == 1  # nothing was imported


@pytest.mark.parametrize("fact_id", ["c1", "u42", "7", "ok-1", "wd:Q42", "a.b_c", "x" * 64, "u" + "9" * 15])
def test_ids_of_the_documented_form_are_kept(fact_id):
    assert id_problem(fact_id) is None
    checked = validate({"id": fact_id, "who": "Alpha", "what": "Something.", "when": "2025", "country": "RUS", "sources": ["https://example.org/1"]})
    assert checked.fact is not None and checked.fact.id == fact_id


def test_a_json_id_on_stdin_is_taken_whole_never_split(run):
    # The attack: ids `a b`, `a`, `b`; `rm -` of the JSON line of `a b` removed a and b.
    for n, fact_id in enumerate(("a", "b"), 1):
        assert run("add", "--who", f"Actor {n}", "--what", f"Target {n}.", "--when", "2025", "--country", "RUS", "--source", f"https://example.org/{n}").exit_code == 0
    ids = [json.loads(line)["id"] for line in run("search", "Target", "--format", "jsonl").output.splitlines()]
    line = json.dumps({"id": f"{ids[0]} {ids[1]}"})
    result = run("rm", "-", input=line + "\n")
    assert result.exit_code == 2 and "stdin line 1" in result.output
    assert len(run("search", "Target", "--format", "jsonl").output.splitlines()) == 2  # nothing removed


def test_an_id_that_is_not_one_on_stdin_is_refused_naming_the_line(run):
    result = run("show", "-", input="c1\n-\n")
    assert result.exit_code == 2
    assert "stdin line 2" in result.output


@pytest.mark.parametrize("key", ["007", "٣", "³", "1e3"])
def test_a_file_whose_keys_tinydb_would_merge_is_refused(run, db, key):
    assert run("add", "--who", "Alpha", "--what", "Target one.", "--when", "2025", "--country", "RUS", "--source", "https://example.org/1").exit_code == 0
    data = json.loads(db.read_text(encoding="utf-8"))
    (only,) = data["facts"].values()
    data["facts"][key] = dict(only, id="u99", what="Target two.")
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = db.read_bytes()
    result = run("search", "Target")
    assert result.exit_code == 3 and "not a plain decimal number" in result.output
    assert run("add", "--who", "Beta", "--what", "Other.", "--when", "2025", "--country", "RUS", "--source", "https://example.org/2").exit_code == 3
    assert db.read_bytes() == before  # refused, not rewritten with one fact fewer
    checked = run("check", str(db))
    assert checked.exit_code == 1 and key in checked.output


def test_a_planted_temp_file_symlink_overwrites_nothing(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    target = tmp_path / "db.json"
    target.write_text("old\n", encoding="utf-8")
    planted = tmp_path / f".db.json.tmp-{os.getpid()}"
    planted.symlink_to(victim)
    atomic_write(str(target), b"new\n")
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert target.read_bytes() == b"new\n" and not target.is_symlink()
    assert not planted.exists() and not planted.is_symlink()


def test_a_lock_file_that_is_a_symlink_is_refused(run, db, tmp_path):
    assert run("add", "--who", "Alpha", "--what", "Target one.", "--when", "2025", "--country", "RUS", "--source", "https://example.org/1").exit_code == 0
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    lock = db.parent / (db.name + ".lock")
    if lock.exists():
        lock.unlink()
    lock.symlink_to(victim)
    result = run("add", "--who", "Beta", "--what", "Target two.", "--when", "2025", "--country", "RUS", "--source", "https://example.org/2")
    assert result.exit_code == 4 and "symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"
