"""The PostgreSQL backend against a real server (tests/pgserver.py; never a mock):
what a team's shared database must do beyond the contract suite that every backend
passes (tests/test_backend_contract.py)."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time

import psycopg
import pytest

from factcli.store import open_backend

from .conftest import Invoker, factcli_command, factcli_run

SAMPLE_ROWS = [
    {"who": "Russia", "what": "recognised the Taliban government", "when": "2025-07-03", "country": ["RUS", "AFG"],
     "sources": ["https://example.org/1"]},
    {"who": "China", "what": "accepted the credentials of a Taliban ambassador", "when": "2024-01-30",
     "country": ["CHN", "AFG"], "sources": ["https://example.org/2"]},
]  # fmt: skip


def add_args(who="Qatar", what="hosted talks"):
    return ["add", "--who", who, "--what", what, "--country", "QAT", "--source", "https://example.org/q"]


@pytest.fixture
def made(pg_url):
    """A database with the factcli tables, made by `factcli init`."""
    result = Invoker(pg_url)("init")
    assert result.exit_code == 0 and "made the factcli tables" in result.stderr, result.stderr
    return pg_url


def sql(url: str, statement: str, params=()):
    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(statement, params)
        return cur.fetchall() if cur.description else None


def test_a_database_without_the_schema_is_refused_until_init(pg_url):
    run = Invoker(pg_url)
    for args in (["search", "x"], add_args(), ["info"]):
        result = run(*args)
        assert result.exit_code == 3 and result.stderr.count("\n") == 1, (args, result.stderr)
        assert "factcli init" in result.stderr
    assert sql(pg_url, "SELECT to_regclass('factcli_facts')") == [(None,)]  # nothing was made by them
    assert run("init").exit_code == 0
    again = run("init")
    assert again.exit_code == 0 and "already" in again.stderr
    assert run(*add_args()).stdout.strip() == "1"


def test_init_with_curated_loads_the_curated_facts_with_their_ids(pg_url):
    from factcli.paths import curated_path

    run = Invoker(pg_url)
    result = run("init", "--with-curated")
    assert result.exit_code == 0 and "loaded 42 curated facts" in result.stderr, result.stderr
    curated = open_backend(curated_path()).facts()
    assert open_backend(pg_url).facts() == curated
    assert run("ask", "When did the Taliban take Kabul?").stdout.startswith("2021-08-15")
    assert run("init", "--with-curated").exit_code == 2  # loaded into a new database only
    assert run(*add_args()).stdout.strip() == "1"  # the team's own facts are numbered apart from c1, c2, …


def test_the_password_is_never_shown(pg_server, made):
    secret = "s3cr3t-pw"
    sql(made, f"ALTER ROLE postgres PASSWORD '{secret}'")  # trust auth: the password is not checked
    url = made.replace("postgresql://postgres@", f"postgresql://postgres:{secret}@")
    run = Invoker(url)
    outputs = [run("info"), run("search", "nothing-matches"), run("show", "99"), run("copy", url, url + "x")]
    outputs.append(Invoker(url.replace("/t_", "/missing_t_"))("search", "x"))  # no such database
    for result in outputs:
        assert secret not in result.stdout + result.stderr
    assert "postgresql://postgres:***@" in run("info").stdout
    assert "***" in outputs[-1].stderr and outputs[-1].exit_code == 3


def test_a_missing_driver_is_one_line_and_exit_2(made):
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from factcli.cli import main\n"
        f"sys.argv = ['factcli', '--db', {made!r}, 'search', 'x']\n"
        "main()\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "pip install 'factcli[postgres]'" in result.stderr


def test_a_server_that_does_not_answer_times_out_in_seconds():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)  # accepts the connection, never answers libpq's startup packet
    port = listener.getsockname()[1]
    try:
        start = time.monotonic()
        result = factcli_run(
            "--db", f"postgresql://nobody@127.0.0.1:{port}/x", "search", "x", env={"FACTCLI_PG_TIMEOUT": "1"}
        )
        took = time.monotonic() - start
    finally:
        listener.close()
    assert result.returncode == 3 and result.stderr.count(b"\n") == 1, result.stderr
    assert took < 10, took


def test_a_newer_schema_is_refused_and_an_older_rule_set_needs_migrate(made):
    run = Invoker(made)
    assert run(*add_args()).exit_code == 0
    sql(made, "UPDATE factcli_meta SET value = '99' WHERE key = 'schema'")
    for args in (["search", "Qatar"], add_args(what="other talks"), ["migrate"]):
        result = run(*args)
        assert result.exit_code == 3 and "upgrade factcli" in result.stderr, (args, result.stderr)
    from factcli.layout import SCHEMA

    sql(made, "UPDATE factcli_meta SET value = %s WHERE key = 'schema'", (str(SCHEMA),))
    # words indexed by other rules: read (without the index), never written, until migrate
    sql(made, "UPDATE factcli_meta SET value = '0' WHERE key = 'text_rules'")
    assert json.loads(run("search", "Qatar", "--format", "jsonl").stdout)["id"] == "1"
    refused = run(*add_args(what="other talks"))
    assert refused.exit_code == 3 and "factcli migrate" in refused.stderr and open_backend(made).count() == 1
    migrated = run("migrate")
    assert migrated.exit_code == 0 and "re-indexed 1 fact" in migrated.stderr
    assert run(*add_args(what="other talks")).exit_code == 0
    assert "up to date" in run("migrate").stderr


def _role(made: str, name: str, *grants: str) -> str:
    sql(made, f'CREATE ROLE "{name}" LOGIN')
    for grant in grants:
        sql(made, grant.format(name=name))
    return made.replace("postgresql://postgres@", f"postgresql://{name}@")


def test_who_made_each_write_is_recorded_and_a_member_undoes_only_their_own(made):
    grants = (
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{name}"',
        'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{name}"',
    )  # fmt: skip  (as the README says)
    ann, bob = _role(made, "ann", *grants), _role(made, "bob", *grants)
    assert Invoker(ann)(*add_args(who="Ann's actor")).exit_code == 0
    assert Invoker(bob)(*add_args(who="Bob's actor")).exit_code == 0
    assert Invoker(bob)("edit", "1", "--note", "checked by bob").exit_code == 0
    rows = sql(made, "SELECT id, created_by, updated_by FROM factcli_facts ORDER BY id")
    assert rows == [("1", "ann", "bob"), ("2", "bob", "bob")]
    undone = Invoker(ann)("undo")  # ann's last write is her add; bob edited that fact since: refused
    assert undone.exit_code != 0 and open_backend(made).count() == 2
    assert Invoker(bob)("undo").exit_code == 0  # bob's edit
    assert Invoker(ann)("undo").exit_code == 0  # now ann's add, and only it
    assert [f.who for f in open_backend(made).facts().values()] == ["Bob's actor"]
    nothing = Invoker(ann)("undo")  # ann has no write left; bob has one: his, not hers, to undo
    assert (
        nothing.exit_code != 0 and "you have no write" in nothing.stderr and "1 write by other roles" in nothing.stderr
    )


def test_a_read_only_role_gets_exit_4_and_changes_nothing(made):
    Invoker(made)(*add_args())
    reader = _role(made, "reader", 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{name}"')
    run = Invoker(reader)
    assert run("search", "Qatar").exit_code == 0
    before = open_backend(made).revision()
    for args in (add_args(who="Oman"), ["edit", "1", "--note", "x"], ["rm", "1", "--yes"]):
        result = run(*args)
        assert result.exit_code == 4 and result.stderr.count("\n") == 1, (args, result.stderr)
        assert "may not write" in result.stderr
    assert open_backend(made).revision() == before and open_backend(made).count() == 1


def test_many_processes_adding_at_once_lose_nothing(made):
    workers, each = 8, 10
    script = " && ".join(
        " ".join([*factcli_command(), "--db", f"'{made}'", *(f"'{a}'" for a in add_args(who="W{w}", what=f"fact {n}"))])
        for n in range(each)
    )
    procs = [subprocess.Popen(["bash", "-c", script.replace("{w}", str(w))]) for w in range(workers)]
    assert [p.wait(timeout=300) for p in procs] == [0] * workers
    backend = open_backend(made)
    assert sorted(map(int, backend.facts())) == list(range(1, 1 + workers * each))  # every id once, none lost
    assert len(backend.history()) == workers * each


def test_a_dropped_connection_mid_import_exits_4_and_keeps_the_old_data(made, tmp_path):
    assert Invoker(made)(*add_args()).exit_code == 0
    feed = tmp_path / "rows.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"who": f"Actor {i}", "what": f"did thing {i}", "country": ["FRA"], "sources": ["s"]}) + "\n"
            for i in range(40_000)
        )
    )
    proc = subprocess.Popen([*factcli_command(), "--db", made, "import", str(feed)], stderr=subprocess.PIPE)
    killed = []

    def terminate() -> None:
        for _ in range(200):
            time.sleep(0.05)
            rows = sql(
                made,
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'factcli'"
                " AND state = 'idle in transaction' OR (application_name = 'factcli' AND query LIKE 'INSERT%%')",
            )
            if rows:
                killed.extend(rows)
                return

    thread = threading.Thread(target=terminate)
    thread.start()
    _, err = proc.communicate(timeout=300)
    thread.join()
    assert killed, "the import's connection was never seen"
    assert proc.returncode == 4 and err.count(b"\n") == 1 and b"Traceback" not in err, err
    assert b"connection was lost" in err or b"nothing was written" in err
    assert open_backend(made).count() == 1
    assert factcli_run("--db", made, "check").returncode == 0


def test_copy_round_trips_byte_identical(made, tmp_path):
    from factcli.paths import curated_path

    target = tmp_path / "back.json"
    run = Invoker(None)
    url = made  # copy makes a new factcli database: one without the tables
    sql(made, "DROP TABLE factcli_facts, factcli_meta, factcli_small, factcli_history, factcli_words")
    assert run("copy", str(curated_path()), url).exit_code == 0
    assert run("copy", url, str(target)).exit_code == 0
    first = Invoker(curated_path())("export", "--format", "jsonl").stdout
    assert Invoker(url)("export", "--format", "jsonl").stdout == first
    assert Invoker(target)("export", "--format", "jsonl").stdout == first


def test_text_the_server_would_misread_is_data(made):
    """Quotes, backslashes, tsquery operators and SQL in a fact or a query: stored and
    found as text, through parameters; the index never loses a fact the matcher accepts."""
    run = Invoker(made)
    hostile = ["O'Brien \\ said", "a & b | !c <-> d:*", "x'); DROP TABLE factcli_facts; --", "Ünïcödé straße"]
    for text in hostile:
        assert run(*add_args(who=text, what=f"spoke about {text}")).exit_code == 0, text
    for text in hostile:
        found = run("search", text, "--format", "jsonl")
        assert found.exit_code == 0, (text, found.stderr)
        assert text in [json.loads(line)["who"] for line in found.stdout.splitlines()], (text, found.stdout)
    assert open_backend(made).count() == len(hostile)


def test_a_write_killed_midway_leaves_the_old_data(made, tmp_path):
    """SIGKILL of factcli during an import: the server rolls the transaction back."""
    import signal

    assert Invoker(made)(*add_args()).exit_code == 0
    feed = tmp_path / "rows.jsonl"
    feed.write_text(
        "".join(
            json.dumps({"who": f"Actor {i}", "what": f"did thing {i}", "country": ["FRA"], "sources": ["s"]}) + "\n"
            for i in range(30_000)
        )
    )
    proc = subprocess.Popen([*factcli_command(), "--db", made, "import", str(feed)], stderr=subprocess.PIPE)
    for _ in range(400):  # until its rows are going in
        time.sleep(0.025)
        if sql(made, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'factcli' AND query LIKE 'INSERT%%'"):
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    for _ in range(100):  # the server notices the closed connection and rolls back
        if not sql(made, "SELECT 1 FROM pg_stat_activity WHERE application_name = 'factcli'"):
            break
        time.sleep(0.05)
    assert open_backend(made).count() == 1
    assert factcli_run("--db", made, "check").returncode == 0
    assert Invoker(made)(*add_args(what="after the kill")).stdout.strip() == "2"  # the counter was not taken


def test_a_newer_curated_release_merges_and_reports_conflicts_with_the_team_s_edits(pg_url, tmp_path, monkeypatch):
    from factcli.paths import curated_path

    run = Invoker(pg_url)
    assert run("init", "--with-curated").exit_code == 0
    assert run("edit", "c2", "--note", "the team's reading").exit_code == 0  # edited; the release leaves it
    assert run("edit", "c3", "--note", "the team's other reading").exit_code == 0  # edited; the release changes it
    assert run("rm", "c4", "--yes").exit_code == 0  # removed; the release changes it
    assert run(*add_args()).stdout.strip() == "1"
    # a newer release: c1 and c3 and c4 changed, c99 new (a copy of the curated file, changed with factcli itself)
    release = tmp_path / "curated.json"
    release.write_bytes(open(curated_path(), "rb").read())
    new = Invoker(release)
    for fact_id in ("c1", "c3", "c4"):
        assert new("edit", fact_id, "--tag", "release-2").exit_code == 0
    added = new("add", "--who", "Kazakhstan", "--what", "a new curated fact", "--country", "KAZ", "--source", "s")
    assert added.exit_code == 0
    new_id = added.stdout.strip()
    monkeypatch.setattr("factcli.paths.curated_path", lambda: release)
    merged = run("merge")
    assert merged.exit_code == 1, merged.stderr  # conflicts: exit 1, listed on stdout
    assert "1 added, 1 updated" in merged.stderr
    assert sorted(line.split("\t")[1] for line in merged.stdout.splitlines()) == ["c3", "c4"]
    backend = open_backend(pg_url)
    assert "release-2" in backend.get("c1").tags  # nobody had changed it: brought up to date
    assert backend.get("c2").note == "the team's reading" and backend.get("c3").note == "the team's other reading"
    assert backend.get("c4") is None and backend.get(new_id).what == "a new curated fact"
    assert backend.get("1").who == "Qatar"
    again = run("merge")
    assert again.exit_code == 1 and "0 added, 0 updated" in again.stderr  # idempotent; the conflicts stand
    assert run("undo").exit_code == 0 and "release-2" not in open_backend(pg_url).get("c1").tags  # one write


def test_did_you_mean_is_the_same_as_on_a_json_file_and_forgets_removed_words(made, tmp_path):
    from factcli.paths import curated_path

    url = made
    sql(url, "DROP TABLE factcli_facts, factcli_meta, factcli_small, factcli_history, factcli_words")
    assert Invoker(None)("copy", str(curated_path()), url).exit_code == 0
    for typo in ("embasy", "talibn", "credentails", "Zhirnof"):
        on_file = Invoker(curated_path())("search", typo)
        on_server = Invoker(url)("search", typo)
        assert on_server.exit_code == on_file.exit_code == 1
        assert on_server.stderr == on_file.stderr and "did you mean" in on_server.stderr, (typo, on_server.stderr)
    run = Invoker(url)
    assert run(*add_args(who="Xylophonist Guild", what="played")).exit_code == 0
    assert "xylophonist" in run("search", "xylofonist").stderr
    new_id = json.loads(run("search", "Xylophonist", "--format", "jsonl").stdout)["id"]
    assert run("rm", new_id, "--yes").exit_code == 0
    assert "xylophonist" not in run("search", "xylofonist").stderr  # its words went with it


def test_ask_s_pool_is_the_facts_whose_words_weigh_most_however_many_groups_it_reads(made, tmp_path, monkeypatch):
    """The pool a large server database gives `ask` is exactly the ``limit`` facts with
    the largest sum of rarities (BM25's inverse document frequency of each group of
    spellings they hold; ties: the older fact), whether it reads the rarest group alone
    first or every group at once."""
    import random

    import factcli.store.postgres.backend as pg_backend
    from factcli.store.postgres.tables import rarity

    rng = random.Random(7)
    share = {"alpaca": 0.8, "bison": 0.2, "coyote": 0.03, "dingo": 0.004}
    rows = []
    for n in range(6_000):  # past POOL_ABOVE: ask reads a pool
        held = [w for w, p in share.items() if rng.random() < p]
        rows.append(
            {
                "who": f"Group {n}",
                "what": " ".join(["met", *held]),
                "country": ["QAT"],
                "sources": ["https://example.org/s"],
            }
        )
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert Invoker(made)("import", str(path)).exit_code == 0

    holders = {w: sum(w in r["what"].split() for r in rows) for w in share}
    weight = {w: rarity(len(rows), n) for w, n in holders.items()}
    score = [sum(weight[w] for w in r["what"].split() if w in weight) for r in rows]
    best = sorted(range(len(rows)), key=lambda i: (-score[i], i))[:50]
    expected = sorted(str(i + 1) for i in best)
    groups = [(w,) for w in share]
    assert all(0 < score[i] for i in best) and len({score[i] for i in best}) > 1  # a ranking, not a tie
    for read_at_once in (1, 10**9):  # the rarest group first, or all of them
        monkeypatch.setattr(pg_backend, "POOL_READ", read_at_once)
        backend = open_backend(made)
        assert backend.pooled()
        assert sorted(f.id for f in backend.pool(groups, 50)) == expected, read_at_once
        assert backend.pool(groups, 0) == []
        backend.close()
