"""The search cache (country names, aliases and search texts folded once, kept
between runs) never changes an answer: the same results cold and warm, and never
used once a database file, the ISO data or the code behind it has changed."""

import glob
import os

import pytest

from factcli import countries, operations
from factcli.query import Query
from factcli.store import open_view

from .conftest import add_fact, age, user_database

QUERIES = [
    ["search", "Taliban"],
    ["search", "Ghul Haseen"],
    ["search", "Russian Federation"],
    ["search", "Putin", "--during", "2024"],
    ["search", "--country", "Kazakhstan"],
    ["search", "--source", "tass"],
    ["search", "recognised", "--sort", "-when"],
    ["search", "Atlantis"],
    ["search", "Talibn"],  # nothing: exit 1 and "did you mean" from the texts
]


def _cache_files():
    return glob.glob(os.path.join(os.environ["XDG_CACHE_HOME"], "factcli", "search-*.marshal"))


def _answers(run):
    return [
        (r.exit_code, r.stdout, r.stderr)
        for r in (run(*q, "--format", "jsonl") if q[0] == "search" else run(*q) for q in QUERIES)
    ]


def test_warm_cache_gives_the_cold_answers(run_default):
    add_fact(
        run_default, who="Atlantis", what="Atlantis recognised the Taliban", when="2025-08-01", country=("Greece",)
    )
    assert run_default("edit", "c1", "--note", "edited by the user").exit_code == 0
    assert run_default("rm", "--yes", "c2").exit_code == 0
    assert _cache_files() == []
    assert _answers(run_default) and _cache_files() == []  # the file was just written: no cache yet
    age(user_database())
    cold = _answers(run_default)  # the first query once the file's mtime is old writes the cache
    assert len(_cache_files()) == 1
    warm = _answers(run_default)
    assert warm == cold
    assert cold[0][0] == 0 and cold[-1][0] == 1 and "taliban" in cold[-1][2]
    assert '"id": "c1"' in cold[0][1] and "edited by the user" in cold[0][1]
    assert '"id": "c2"' not in "".join(out for _, out, _ in cold)


def test_a_change_to_the_file_is_seen_with_a_warm_cache(run, db):
    add_fact(run, who="Atlantis", what="Atlantis joined the League of Islands", when="2020-05-01", country=("Greece",))
    assert "League of Islands" in run("search", "league").stdout
    assert run("search", "Lemuria").exit_code == 1
    add_fact(run, who="Lemuria", what="Lemuria left the League of Islands", when="2021-03-02", country=("Greece",))
    assert "Lemuria" in run("search", "Lemuria").stdout
    # An outside edit (not through factcli) of the same size within the same second
    # still makes a new inode or ctime: the cache is keyed to both.
    text = db.read_text(encoding="utf-8").replace("Lemuria left", "Mu left     ")
    db.write_text(text, encoding="utf-8")
    assert run("search", "Lemuria", "--fields", "who").stdout.strip() == "Lemuria"
    assert "Mu left" in run("search", "Mu").stdout


def test_an_alias_added_is_used_at_once(run_default):
    assert run_default("search", "Zanzibar Wizard").exit_code == 1
    result = run_default("alias", "add", "Vladimir Putin", "Zanzibar Wizard")
    assert result.exit_code == 0, result.output
    assert "c32" in run_default("search", "Zanzibar Wizard").stdout


@pytest.mark.parametrize("garbage", [b"", b"\x00not marshal", b"\xe9" * 100])
def test_a_damaged_cache_is_ignored_and_replaced(run_default, garbage):
    cold = run_default("search", "Taliban").stdout
    (path,) = _cache_files()
    with open(path, "wb") as handle:
        handle.write(garbage)
    assert run_default("search", "Taliban").stdout == cold
    with open(path, "rb") as handle:
        assert handle.read() != garbage  # rewritten


def test_a_cache_of_other_data_is_ignored(run_default, monkeypatch):
    """The cache is used while its version holds, and not once the ISO data (or the
    code) it was derived by is another."""
    view = open_view()
    view.write_cache("search", operations.search_cache_version(), (countries.tables_state(), ([], {}), {}))
    aliases, texts = operations.search_context(open_view())
    assert aliases.entities == [] and texts == {}  # this cache was used
    monkeypatch.setattr(countries, "data_version", lambda: "another pycountry")
    aliases, texts = operations.search_context(open_view())
    assert aliases.entities and texts  # built afresh


def test_restored_context_equals_the_built_one():
    built_aliases, built_texts = operations.search_context(open_view())
    tables = countries.tables_state()
    restored_aliases, restored_texts = operations.search_context(open_view())  # from the cache
    assert restored_texts == built_texts
    assert restored_aliases.state() == built_aliases.state()
    assert countries.tables_state() == tables
    assert countries.resolve("Russian Federation") == "RUS" and countries.display_name("KOR") == "South Korea"
    view = open_view()
    for query in (Query(terms=("Taliban",)), Query(terms=("Moscow",)), Query(country=("KAZ",))):
        cached = view.search(query, restored_aliases, True, restored_texts)
        fresh = view.search(query, built_aliases, True, None)
        assert [f.id for f in cached.facts] == [f.id for f in fresh.facts] and cached.total == fresh.total > 0


def test_an_unwritable_cache_directory_changes_nothing(run_default, tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    first = run_default("search", "Taliban")
    assert first.exit_code == 0 and first.stderr == ""
    assert run_default("search", "Taliban").stdout == first.stdout


def test_a_cache_is_keyed_to_the_bytes_it_was_made_from(run, db):
    """A file changed between a command's read and its cache write: the cache is
    keyed to what was read, so the next command derives afresh from the new bytes."""
    add_fact(run, who="Atlantis", what="Atlantis joined the League of Islands", when="2020-05-01", country=("Greece",))
    stale = open_view(str(db))
    assert stale.own.facts()  # read now
    db.write_text(db.read_text(encoding="utf-8").replace("Atlantis joined", "Lemuria joined"), encoding="utf-8")
    _, old_texts = operations.search_context(stale)  # derived from the bytes it read
    assert "atlantis joined" in " ".join(old_texts[str(db)].values())
    _, texts = operations.search_context(open_view(str(db)))
    assert "lemuria joined" in " ".join(texts[str(db)].values())
    assert "Lemuria joined" in run("search", "joined").stdout


def test_gc_state_is_restored_after_a_command():
    """A command pauses the cyclic collector and puts it back as it found it; reading
    a file or a cache inside it never turns it back on early."""
    import gc

    from factcli.cli import run as run_cli
    from factcli.paths import curated_path
    from factcli.store.jsonfile.file import DatabaseFile

    assert gc.isenabled()
    assert run_cli(["search", "--limit", "1", "Taliban"]) == 0
    assert gc.isenabled()
    gc.disable()
    try:
        DatabaseFile(curated_path()).read()
        open_view().read_cache("search", operations.search_cache_version())
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_switching_index_mode_does_not_reuse_a_cache_without_texts(run, db, monkeypatch):
    add_fact(run, who="Atlantis", what="Atlantis joined the League of Islands", when="2020-05-01", country=("Greece",))
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    assert run("search", "league").exit_code == 0
    assert operations.search_context(open_view(str(db)))[1] == {}  # indexed: no texts kept
    monkeypatch.setenv("FACTCLI_INDEX", "never")
    assert run("search", "league").exit_code == 0
    assert operations.search_context(open_view(str(db)))[1][str(db)]  # read whole: texts kept


def test_a_cache_directory_that_is_a_file_changes_no_answer(run, db, tmp_path, monkeypatch):
    """Neither the text cache nor an index can be written: the file is read whole."""
    add_fact(run, who="Atlantis", what="Atlantis joined the League of Islands", when="2020-05-01", country=("Greece",))
    blocked = tmp_path / "cache-is-a-file"
    blocked.write_text("not a directory")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked / "below"))
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    result = run("search", "league")
    assert result.exit_code == 0 and "Atlantis" in result.stdout and result.stderr == ""
    asked = run("ask", "When did Atlantis join the League of Islands?")
    assert asked.exit_code == 0 and asked.stdout.startswith("2020-05-01"), asked.stderr


def test_a_cache_directory_that_is_not_utf8(run, db, tmp_path, monkeypatch):
    add_fact(run, who="Atlantis", what="Atlantis joined the League of Islands", when="2020-05-01", country=("Greece",))
    odd = os.path.join(str(tmp_path), "cache-\udcff")  # the byte 0xFF, as Python reads it from the environment
    monkeypatch.setenv("XDG_CACHE_HOME", odd)
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    result = run("search", "league")
    assert result.exit_code == 0 and "Atlantis" in result.stdout
    assert any(name.startswith("index-") for name in os.listdir(os.path.join(odd, "factcli")))


def test_a_trailing_slash_names_the_file(run, db):
    add_fact(run, who="Atlantis", what="Atlantis joined the League of Islands", when="2020-05-01", country=("Greece",))
    result = run("--db", str(db) + "/", "search", "league", db=False)
    assert result.exit_code == 0 and "Atlantis" in result.stdout


def test_every_stamped_module_exists_and_a_missing_one_is_an_error():
    """Caches are stamped with the source files of the modules that derive them
    (issue 15): a stamped name that is no module fails loudly, so a module moved
    into a subpackage cannot leave caches trusted for ever."""
    import os

    import pytest

    from factcli import operations
    from factcli.store.jsonfile import index
    from factcli.store.cache import code_stamp, module_file

    stamped = {
        *operations.ask_modules(),
        "text",
        "query",
        "countries",
        "model",
        "store.overlay",
        "store.jsonfile.backend",
        "store.jsonfile.index",
        "store.sqlfacts",
    }
    for module in stamped:
        assert os.path.isfile(module_file(module)), module
    assert len(code_stamp(*sorted(stamped))) == len(stamped)
    assert index.builder()  # the index's own stamp resolves
    with pytest.raises(LookupError, match="no module factcli.no_such_module"):
        code_stamp("no_such_module")


def test_the_ask_stamp_covers_every_module_answering_imports():
    """A module the answering code imports changes how the cached index is read:
    it must be stamped, or a cache made by other code would be trusted."""
    import subprocess
    import sys

    from factcli import operations

    loaded = subprocess.run(
        [sys.executable, "-c", "import sys, factcli.ask.answer; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    needed = {m.removeprefix("factcli.") for m in loaded if m.startswith("factcli.") and m != "factcli.ask"}
    assert "ask.reading" in needed and "words" in needed
    assert needed - set(operations.ask_modules()) == set()
