import json
import os

import pytest
from hypothesis import given, strategies as st
from tinydb import TinyDB

from factcli import paths
from factcli.layout import SCHEMA
from factcli.store.jsonfile import atomic
from factcli.store.jsonfile.backend import JsonFileBackend
from factcli.store.overlay import View

from .conftest import add_fact


def test_file_is_a_tinydb_database_with_marker_and_schema(run, db):
    fid = add_fact(run)
    with TinyDB(db) as tiny:
        docs = tiny.table("facts").all()
        meta = tiny.table("meta").all()[0]
    assert [d["id"] for d in docs] == [fid]
    assert meta["format"] == "factcli" and meta["schema"] == SCHEMA
    text = db.read_text(encoding="utf-8")
    assert text.startswith("{\n  ") and '"aliases"' in text  # indented, diff-friendly


def test_ids_are_never_reused(run):
    first = add_fact(run, what="a")
    second = add_fact(run, what="b")
    assert run("rm", second, "--yes").exit_code == 0
    third = add_fact(run, what="c")
    assert len({first, second, third}) == 3


def test_unicode_is_stored_unescaped(run, db):
    add_fact(run, who="Zoran Milanović", country=["Croatia"])
    assert "Milanović" in db.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "content,reason",
    [
        (b"", "is empty"),
        (b'{"facts": {"1": {"who": "x"', "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b"[1, 2, 3]", "not a TinyDB database"),
        (b'{"_default": {"1": {"name": "a note from another program"}}}', "not a factcli database"),
        (b'{"meta": {"1": {"format": "factcli", "schema": 99}}, "facts": {}}', "newer factcli"),
        (
            b'{"meta": {"1": {"format": "factcli", "schema": 1, "next_id": 2}}, "facts": {"1": {"id": "1"}}}',
            "is malformed (fact document 1: lacks",
        ),
        (b"\xff\xfe not utf-8", "not UTF-8"),
    ],
)
def test_bad_files_are_refused_by_name_and_never_overwritten(run, db, content, reason):
    db.write_bytes(content)
    for args in (["search"], ["add", "--who", "a", "--what", "b", "--country", "FR", "--source", "s"]):
        result = run(*args)
        assert result.exit_code == 3, result.output
        assert reason in result.stderr and str(db) in result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert db.read_bytes() == content


def test_failed_replace_keeps_the_old_file_and_no_temp(run, db, monkeypatch):
    add_fact(run, what="first")
    before = db.read_bytes()

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "replace", full_disk)
    result = run("add", "--who", "x", "--what", "second", "--country", "FR", "--source", "s")
    assert result.exit_code == 4
    assert "disk is full" in result.stderr and "old data is intact" in result.stderr
    assert db.read_bytes() == before
    assert [p.name for p in db.parent.iterdir() if ".tmp-" in p.name] == []


def test_missing_directory_is_a_write_error(run, tmp_path):
    target = tmp_path / "nowhere" / "facts.json"
    result = run("--db", str(target), "add", "--who", "x", "--what", "y", "--country", "FR", "--source", "s", db=False)
    assert result.exit_code == 4 and "does not exist" in result.stderr
    assert not target.parent.exists()


def test_stale_temp_file_is_cleaned_and_does_not_block(run, db):
    add_fact(run, what="first")
    stale = db.with_name(f".{db.name}.tmp-99999")
    stale.write_bytes(b"half a database")
    add_fact(run, what="second")
    assert not stale.exists()
    assert len(json.loads(db.read_text())["facts"]) == 2


def test_reads_take_no_lock(run, db):
    add_fact(run)
    import fcntl

    lock = os.open(db.with_name(db.name + ".lock"), os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        assert run("search").exit_code == 0
    finally:
        os.close(lock)


# ------------------------------------------------------------ the default set-up


@pytest.fixture
def curated(tmp_path, monkeypatch):
    """A stand-in for the installed curated facts.json (read-only)."""
    path = tmp_path / "curated" / "facts.json"
    path.parent.mkdir()
    View(JsonFileBackend(str(path), id_prefix="c")).write(
        lambda tx: tx.add([_fact("Russia", "recognized the Taliban"), _fact("China", "accepted credentials")])
    )
    os.chmod(path, 0o444)
    monkeypatch.setattr(paths, "curated_path", lambda: path)
    return path


def _fact(who, what):
    from factcli.model import validate

    return validate({"who": who, "what": what, "when": "2025", "country": "AFG", "sources": ["s"]}).fact


def test_default_setup_reads_curated_and_writes_to_user_file(run_default, curated, isolated_user_data):
    before = curated.read_bytes()
    assert run_default("search", "--format", "tsv", "--fields", "id").stdout.split() == ["c1", "c2"]
    new = add_fact(run_default, who="Me", what="mine")
    assert new == "u1"
    assert run_default("edit", "c1", "--note", "my note").exit_code == 0
    assert run_default("rm", "c2", "--yes").exit_code == 0
    assert curated.read_bytes() == before  # the package is never written
    out = run_default("search", "--format", "jsonl").stdout
    facts = {json.loads(line)["id"]: json.loads(line) for line in out.splitlines()}
    assert set(facts) == {"c1", "u1"} and facts["c1"]["note"] == "my note"
    user_file = isolated_user_data / "data" / "factcli" / "facts.json"
    assert user_file.exists()
    info = run_default("info").stdout
    assert str(curated) in info and str(user_file) in info


def test_user_changes_survive_an_upgrade_with_new_curated_facts(run_default, curated):
    assert run_default("edit", "c1", "--note", "mine").exit_code == 0
    assert run_default("rm", "c2", "--yes").exit_code == 0
    mine = add_fact(run_default, who="Me", what="mine")
    # The upgrade: a new package version brings a fact c3 and changes c1.
    os.chmod(curated, 0o644)
    data = json.loads(curated.read_text())
    View(JsonFileBackend(str(curated), id_prefix="c")).write(
        lambda tx: tx.add([_fact("Pakistan", "upgraded its mission")])
    )
    out = run_default("search", "--format", "jsonl").stdout
    facts = {json.loads(line)["id"]: json.loads(line) for line in out.splitlines()}
    assert set(facts) == {"c1", "c3", mine}
    assert facts["c1"]["note"] == "mine"
    assert data  # the old curated data was readable before the upgrade


def test_curated_id_clash_on_import_is_an_error(run_default, curated, tmp_path):
    row = {"id": "c1", "who": "Someone", "what": "else", "country": ["FR"], "sources": ["s"]}
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(row) + "\n")
    result = run_default("import", str(path))
    assert result.exit_code == 2 and "id c1 is already a different fact" in result.stderr


def test_user_dirs_agree_with_platformdirs(monkeypatch, tmp_path):
    import platformdirs

    from factcli.paths import user_dir

    for env in (
        {},
        {
            "XDG_DATA_HOME": str(tmp_path / "d"),
            "XDG_CACHE_HOME": str(tmp_path / "c"),
            "XDG_CONFIG_HOME": str(tmp_path / "g"),
        },
    ):
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        assert user_dir("data") == platformdirs.user_data_dir("factcli", appauthor=False)
        assert user_dir("cache") == platformdirs.user_cache_dir("factcli", appauthor=False)
        assert user_dir("config") == platformdirs.user_config_dir("factcli", appauthor=False)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63 - 1) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@given(_json_values)
def test_canonical_json_is_the_stdlibs_sorted_compact_json(value):
    # the digests of edits records and the journal were made with json.dumps; orjson
    # must give the same text for every document (lone surrogates fall back to json)
    from factcli.store.base import canonical_json

    assert canonical_json(value) == json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
