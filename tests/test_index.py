"""The derived SQLite index gives exactly the answers of the in-memory scan, and is
never trusted when the file changed behind its back."""

from pathlib import Path

import json
import os
import random
import shutil
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from factcli.store.jsonfile import index as index_module
from factcli.store.jsonfile.file import DatabaseFile
from factcli.files import file_digest, file_identity

from .conftest import factcli_run

COUNTRIES = ["AFG", "RUS", "CHN", "PAK", "USA", "FRA", "HRV", "BDI", "TUR", "KAZ", "IRN", "IND"]
WHO = [
    "Vladimir Putin",
    "Zoran Milanović",
    "Évariste Ndayishimiye",
    "Recep Tayyip Erdoğan",
    "Taliban",
    "United Nations",
    "Amir Khan Muttaqi",
    "Xi Jinping",
    "Ministry of Foreign Affairs",
]
VERBS = [
    "recognized",
    "met",
    "signed",
    "visited",
    "criticised",
    "welcomed",
    "announced",
    "suspended",
    "imported",
    "exported",
]
OBJECTS = [
    "the government",
    "a trade deal",
    "the embassy",
    "wheat and fuel",
    "the sanctions regime",
    "a delegation",
    "the credentials",
    "the forum",
]


def generate(n, seed=7):
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        year = rng.randint(1995, 2026)
        kind = rng.random()
        if kind < 0.1:
            when = ""
        elif kind < 0.3:
            when = str(year)
        elif kind < 0.5:
            when = f"{year}-{rng.randint(1, 12):02d}"
        elif kind < 0.85:
            when = f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        elif kind < 0.95:
            when = f"{year}/{min(year + rng.randint(0, 6), 2030)}"
        else:
            when = f"{year}/.."
        rows.append(
            {
                "who": rng.choice(WHO) + ("" if rng.random() < 0.7 else f" {i}"),
                "what": f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} number {i}",
                "when": when,
                "country": rng.sample(COUNTRIES, rng.randint(1, 3)),
                "tags": rng.sample(["trade", "diplomacy", "security", "seed"], rng.randint(0, 2)),
                "sources": [
                    {
                        "url": f"https://example.org/{i}",
                        "publisher": rng.choice(["AP", "Reuters", "TASS", "AFP"]),
                        "published": "2025-07-04",
                    }
                ],
                "note": rng.choice(
                    ["", "", "checked against the wire report", "the article says Thursday (sic), July 3, 2023"]
                ),
            }
        )
    return rows


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    db = tmp_path_factory.mktemp("big") / "facts.json"
    lines = "\n".join(json.dumps(r, ensure_ascii=False) for r in generate(1500)).encode()
    result = factcli_run("--db", str(db), "import", "-", input=lines, env={"FACTCLI_INDEX": "never"})
    assert result.returncode == 0, result.stderr
    return db


QUERIES = [
    [],
    ["putin"],
    ["milanovic"],
    ["MILANOVIĆ"],
    ["trade deal"],
    ["recognized", "government"],
    ["number 14"],
    ["Russian Federation"],
    ["--country", "AFG"],
    ["--country", "RUS", "--country", "CHN"],
    ["--during", "2021"],
    ["--since", "2024-06", "--until", "2025"],
    ["--who", "Putin", "--during", "2020"],
    ["--what", "embassy"],
    ["--tag", "trade"],
    ["--source", "reuters"],
    ["--sort", "-when", "--limit", "25"],
    ["--sort", "who", "--limit", "40"],
    ["--sort", "id"],
    ["--sort", "created", "--limit", "5"],
    ["erdogan", "--country", "TUR", "--sort", "-when"],
    ["thursday"],
    ["zzzz"],
    ["talban"],
    ["us"],
    ["US"],
    ["number 1", "--limit", "3"],
]


def run_both(run, db, args):
    out = {}
    for mode in ("never", "always"):
        os.environ["FACTCLI_INDEX"] = mode
        try:
            result = run("--db", str(db), "search", *args, "--format", "jsonl", db=False)
        finally:
            del os.environ["FACTCLI_INDEX"]
        out[mode] = (result.exit_code, result.stdout, result.stderr)
    return out


@pytest.mark.parametrize("args", QUERIES, ids=[" ".join(q) or "all" for q in QUERIES])
def test_same_results_with_and_without_the_index(run, big, args):
    out = run_both(run, big, args)
    assert out["always"] == out["never"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    term=st.sampled_from(
        [
            "",
            "putin",
            "the",
            "gov",
            "recognized the",
            "number 2",
            "taliban",
            "ministry of",
            "xi",
            "ev",
            "Afghanistan",
            "a",
        ]
    ),
    country=st.sampled_from([None, *COUNTRIES[:6]]),
    year=st.one_of(st.none(), st.integers(1994, 2027)),
    sort=st.sampled_from(["when", "-when", "who", "id", "created"]),
    limit=st.sampled_from([None, 1, 7, 100]),
)
def test_same_results_for_generated_queries(run, big, term, country, year, sort, limit):
    args = [term] if term else []
    if country:
        args += ["--country", country]
    if year:
        args += ["--during", str(year)]
    args += ["--sort", sort] + (["--limit", str(limit)] if limit else [])
    out = run_both(run, big, args)
    assert out["always"] == out["never"]


def _index_file(db):
    return Path(index_module.index_path(str(db)))


def test_outside_edit_is_seen_by_the_next_query(run, big, tmp_path):
    db = tmp_path / "copy.json"
    db.write_bytes(big.read_bytes())
    os.environ["FACTCLI_INDEX"] = "always"
    try:
        assert run("--db", str(db), "search", "zebra", db=False).exit_code == 1  # builds the index
        assert _index_file(db).exists()
        data = json.loads(db.read_text())
        first = next(iter(data["facts"].values()))
        first["what"] = "fed the zebra"
        db.write_text(json.dumps(data))  # another program, another layout
        result = run("--db", str(db), "search", "zebra", "--fields", "id,what", db=False)
        assert result.exit_code == 0 and result.stdout == f"{first['id']}\tfed the zebra\n"
    finally:
        del os.environ["FACTCLI_INDEX"]


def test_own_writes_update_the_index_in_place(run, big, tmp_path):
    db = tmp_path / "copy.json"
    db.write_bytes(big.read_bytes())
    env = {"FACTCLI_INDEX": "always"}
    assert factcli_run("--db", str(db), "search", "--limit", "1", env=env).returncode == 0
    inode = _index_file(db).stat().st_ino
    added = factcli_run(
        "--db", str(db), "add", "--who", "Okapi", "--what", "appeared", "--country", "COD", "--source", "s", env=env
    )
    fid = added.stdout.decode().strip()
    assert factcli_run("--db", str(db), "rm", "1", "--yes", env=env).returncode == 0
    assert factcli_run("--db", str(db), "edit", "2", "--what", "edited in place", env=env).returncode == 0
    assert _index_file(db).stat().st_ino == inode  # updated, not rebuilt
    conn = sqlite3.connect(_index_file(db))
    (ident,) = conn.execute("SELECT value FROM meta WHERE key='identity'").fetchone()
    conn.close()
    # just written, the identity is racy: the index also records the content's digest
    assert ident == f"{file_identity(db.stat())}+{file_digest(str(db))}"
    assert factcli_run("--db", str(db), "search", "okapi", "--fields", "id", env=env).stdout.decode() == f"{fid}\n"
    assert factcli_run("--db", str(db), "show", "1", env=env).returncode == 1
    assert factcli_run("--db", str(db), "search", "edited in place", "--fields", "id", env=env).stdout == b"2\n"


def test_kill_between_write_and_index_update_leaves_a_stale_index(run, big, tmp_path):
    db = tmp_path / "copy.json"
    db.write_bytes(big.read_bytes())
    env = {"FACTCLI_INDEX": "always"}
    assert factcli_run("--db", str(db), "search", "--limit", "1", env=env).returncode == 0
    killed = factcli_run(
        "--db",
        str(db),
        "add",
        "--who",
        "Quagga",
        "--what",
        "was seen",
        "--country",
        "ZAF",
        "--source",
        "s",
        env={**env, "FACTCLI_CRASH_AT": "index-update"},
    )
    assert killed.returncode == -9
    # The file has the new fact; the index does not, and knows it is stale.
    assert "Quagga" in db.read_text()
    result = factcli_run("--db", str(db), "search", "quagga", "--fields", "who", env=env)
    assert result.stdout == b"Quagga\n"


def test_small_files_do_not_build_an_index(run, tmp_path):
    db = tmp_path / "small.json"
    assert (
        run("--db", str(db), "add", "--who", "A", "--what", "b", "--country", "FR", "--source", "s", db=False).exit_code
        == 0
    )
    assert run("--db", str(db), "search", db=False).exit_code == 0
    assert not _index_file(db).exists()


def test_streamed_build_reads_the_small_tables(run, big, tmp_path):
    db = tmp_path / "copy.json"
    db.write_bytes(big.read_bytes())
    os.environ["FACTCLI_INDEX"] = "always"
    try:
        assert run("--db", str(db), "alias", "add", "Vladimir Putin", "Владимир Путин", db=False).exit_code == 0
        found = run("--db", str(db), "search", "Владимир Путин", "--fields", "who", "--limit", "1", db=False)
        assert found.stdout.startswith("Vladimir Putin")
    finally:
        del os.environ["FACTCLI_INDEX"]
    data = DatabaseFile(db).read_data()
    assert any(e["name"] == "Vladimir Putin" for e in data["aliases"].values())


# ---------------------------------------------------------------- ask reads through the index


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, big):
    """The curated facts (and aliases) among 1,500 generated ones, in one --db file."""
    from factcli.paths import curated_path

    db = tmp_path_factory.mktemp("mixed") / "facts.json"
    db.write_bytes(big.read_bytes())
    curated = factcli_run("--db", curated_path(), "export", "--format", "jsonl").stdout
    aliases = factcli_run("--db", curated_path(), "alias", "list", "--format", "jsonl").stdout
    for args, data in ((["import", "-"], curated), (["alias", "import", "-"], aliases)):
        result = factcli_run("--db", str(db), *args, input=data, env={"FACTCLI_INDEX": "never"})
        assert result.returncode == 0, result.stderr
    return db


ASKED = [
    ("When did Russia recognize the Taliban?", "2025-07-03 (Thursday)"),
    ("Who is the Taliban ambassador to Russia?", "Gul Hassan"),
    ("When did Kazakhstan remove the Taliban from its list of terrorist organisations?", "2023-12-29 (Friday)"),
    ("When did the Taliban take Kabul?", "2021-08-15 (Sunday)"),
]


@pytest.mark.parametrize("question,expected", ASKED)
def test_ask_through_the_index_answers_as_from_the_whole_file(run, mixed, monkeypatch, question, expected):
    answers = {}
    for mode in ("never", "always"):
        monkeypatch.setenv("FACTCLI_INDEX", mode)
        result = run("--db", str(mixed), "ask", question, db=False)
        answers[mode] = (result.exit_code, result.stdout.splitlines()[:1])
    assert answers["always"] == answers["never"] == (0, [expected])


def test_ask_through_the_index_never_reads_the_file_whole(run, mixed, monkeypatch):
    """With a fresh index, ask reads the pool FTS5 ranks best, not the file: a
    parse of the database would fail here."""
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    assert run("--db", str(mixed), "search", "--limit", "1", db=False).exit_code == 0  # the index is built

    def no_whole_reads(*args, **kwargs):
        raise AssertionError("the database file was parsed whole")

    monkeypatch.setattr(DatabaseFile, "read", no_whole_reads)
    result = run("--db", str(mixed), "ask", "When did Russia recognize the Taliban?", db=False)
    assert result.stdout.splitlines()[0] == "2025-07-03 (Thursday)"


def test_pool_is_the_best_ranked_facts_in_id_order(mixed, monkeypatch):
    from factcli.ask.reading import pool_terms
    from factcli.store import open_view

    monkeypatch.setenv("FACTCLI_INDEX", "always")
    view = open_view(str(mixed))
    groups = pool_terms("When did Russia recognise the Taliban?", view.aliases())
    assert ("russia" in groups[0] and "rus" in groups[0]) or any("russia" in g for g in groups)
    assert any("recogn" in g for g in groups) and not any("when" in g or "did" in g for g in groups)
    pool = view.pool(groups, 50)
    assert len(pool) == 50 and "c1" in {f.id for f in pool}
    with_ids = [int(f.id) for f in pool if f.id.isdigit()]
    assert with_ids == sorted(with_ids)  # id order, as the file read whole gives them
    assert [f.id for f in pool][-1].startswith("c")  # the curated facts were added last
    assert view.pool([], 50) == []


@pytest.mark.parametrize("seed", range(12))
def test_a_damaged_index_never_gives_a_traceback_or_a_fact_the_file_does_not_hold(big, tmp_path, seed):
    """Random byte damage to a built index (issue 12 item 7): no traceback, and never a
    fact the file does not hold (every stored document carries a checksum: a damaged one
    is found, the index removed, exit 3, and the next run rebuilds it and answers right).

    What checksums of documents cannot see is damage to the index's own tables (FTS5,
    countries, tags): a search may then miss a fact until the index is rebuilt. SQLite
    keeps no checksum of its pages; the index is a cache of the file, which stays whole."""
    db = tmp_path / "facts.json"
    shutil.copy(big, db)
    env = {"FACTCLI_INDEX": "always"}
    args = ["--db", str(db), "search", "embassy", "--limit", "0", "--sort", "id"]
    whole = factcli_run(*args, env={"FACTCLI_INDEX": "never"})
    assert factcli_run(*args, env=env).stdout == whole.stdout  # builds the index
    index_file = _index_file(db)
    size = index_file.stat().st_size
    rng = random.Random(seed)
    with open(index_file, "r+b") as handle:
        for _ in range(8):
            handle.seek(rng.randrange(4096, size))
            handle.write(bytes([rng.randrange(256)]))
    for cache in index_file.parent.glob("search-*"):
        cache.unlink()
    damaged = factcli_run(*args, env=env)
    assert b"Traceback" not in damaged.stderr
    if damaged.returncode == 0:
        assert set(damaged.stdout.splitlines()) <= set(whole.stdout.splitlines())
    else:
        assert damaged.returncode == 3 and b"damaged" in damaged.stderr and not index_file.exists()
        assert factcli_run(*args, env=env).stdout == whole.stdout


def test_a_killed_build_s_temp_file_is_removed_by_the_next_build(big, tmp_path):
    """Issue 12 item 13: `kill -9` during a build left index-*.sqlite3.tmp-PID for ever."""
    db = tmp_path / "facts.json"
    shutil.copy(big, db)
    env = {"FACTCLI_INDEX": "always"}
    index_file = _index_file(db)
    index_file.parent.mkdir(parents=True, exist_ok=True)
    stale = [index_file.parent / f"{index_file.name}.tmp-{pid}" for pid in (999999, 123456)]
    for path in stale:
        path.write_bytes(b"x" * 100_000)
    assert factcli_run("--db", str(db), "search", "embassy", env=env).returncode == 0
    assert index_file.exists()
    assert not any(path.exists() for path in stale)


def test_a_hand_edited_id_past_sqlite_s_integers_does_not_crash_the_index(big, tmp_path):
    """Issue 12 item 5: "x9223372036854775808" overflowed SQLite's INTEGER in the index."""
    db = tmp_path / "facts.json"
    data = json.loads(Path(big).read_text(encoding="utf-8"))
    first = next(iter(data["facts"].values()))
    first["id"] = "x9223372036854775808"
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    args = ["--db", str(db), "search", "--sort", "id", "--limit", "0", "--fields", "id"]
    whole = factcli_run(*args, env={"FACTCLI_INDEX": "never"})
    indexed = factcli_run(*args, env={"FACTCLI_INDEX": "always"})
    assert b"Traceback" not in indexed.stderr and indexed.returncode == 0
    assert indexed.stdout == whole.stdout and b"x9223372036854775808" in indexed.stdout


def test_the_pool_reads_a_question_word_as_asking_not_as_a_name():
    """ "Who opened …" asks; only "WHO" written so names the World Health Organization
    (in a large database its facts would fill the pool ask reads)."""
    from factcli.ask.reading import pool_terms
    from factcli.query import AliasIndex, Entity

    aliases = AliasIndex([Entity("World Health Organization", "organisation", ("WHO",))])
    assert pool_terms("Who opened an embassy?", aliases) == [("opened", "open"), ("embassy", "miss", "represent")]
    assert ("who", "world health organization") in pool_terms("What did WHO say?", aliases)
