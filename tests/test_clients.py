"""factcli's output read back by the real tools people pipe it into: jq, sqlite-utils,
Python's csv module, cut/sort/wc. Each test asserts what the tool read, not what we wrote."""

import csv
import io
import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys

import pytest

from .conftest import SAMPLE, factcli_command

BIN = os.path.dirname(sys.executable)


def tool(name: str) -> str | None:
    """A tool from the test environment's bin directory or PATH."""
    return shutil.which(name, path=BIN + os.pathsep + os.environ.get("PATH", ""))


needs_jq = pytest.mark.skipif(
    tool("jq") is None, reason="jq is not installed (.ci/run installs it: apt-get install jq)"
)
needs_sqlite_utils = pytest.mark.skipif(
    tool("sqlite-utils") is None, reason="sqlite-utils is not installed (pip install '.[test]')"
)


def pipe(factcli_args: list[str], then: str, input: bytes | None = None) -> str:
    """`factcli ARGS | THEN` in bash, with pipefail: both ends must succeed."""
    command = shlex.join(factcli_command() + factcli_args) + " | " + then
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command], capture_output=True, input=input, env=env, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b"", result.stderr.decode()  # nothing extra when piped
    return result.stdout.decode()


@pytest.fixture
def db(sample):
    return str(sample)


# ---------------------------------------------------------------- jq


@needs_jq
def test_jq_reads_json_and_json_lines(db):
    assert pipe(["--db", db, "search", "--format", "json"], "jq -r '.[].id'").split() == [
        "5",
        "4",
        "7",
        "3",
        "2",
        "1",
        "6",
    ]
    assert (
        pipe(["--db", db, "search", "Putin", "--format", "jsonl"], "jq -r .what")
        == "called the Taliban allies\tin the fight against terrorism\n"
    )
    assert (
        pipe(["--db", db, "search", "--format", "jsonl"], "jq -r 'select(.when == null) | .what'")
        == SAMPLE[5]["what"] + "\n"
    )
    assert pipe(
        ["--db", db, "export"], "jq -r '.sources[].publisher // empty' | sort | uniq -c | sort -rn | head -1"
    ).split() == ["2", "AP"]
    assert (
        pipe(["--db", db, "search", "--country", "China", "--format", "json"], "jq -c '.[0].country'")
        == '["CHN","AFG"]\n'
    )


@needs_jq
def test_jq_reads_timeline_stats_and_jsonld(db):
    assert pipe(["--db", db, "timeline", "--format", "jsonl"], "jq -r '[.year, .id] | @tsv'").splitlines() == [
        "2011\t5",
        "2021\t4",
        "2023\t7",
        "2024\t3",
        "2024\t2",
        "2025\t1",
    ]
    assert (
        pipe(
            ["--db", db, "stats", "--format", "json"],
            'jq -r \'.[] | select(.group == "missing" and .key == "when") | .count\'',
        )
        == "1\n"
    )
    assert (
        pipe(["--db", db, "stats", "--format", "jsonl"], "jq -s 'map(select(.group == \"country\")) | length'") == "4\n"
    )
    assert (
        pipe(["--db", db, "cite", "1", "--format", "jsonld"], "jq -r '.itemReviewed.appearance[0].publisher.name'")
        == "AP\n"
    )


@needs_jq
def test_ids_from_jq_pipe_back_into_factcli(db):
    ids = pipe(["--db", db, "search", "Russia", "--format", "json"], "jq -r '.[].id'")
    shown = subprocess.run(
        factcli_command() + ["--db", db, "show", "-", "--fields", "id,who"],
        input=ids.encode(),
        capture_output=True,
        timeout=60,
    )
    assert shown.stdout.decode().splitlines() == ["7\tRussia", "2\tVladimir Putin", "1\tRussia"]


# ---------------------------------------------------------------- sqlite-utils


@needs_sqlite_utils
def test_sqlite_utils_inserts_json_lines(db, tmp_path):
    target = tmp_path / "facts.db"
    out = pipe(
        ["--db", db, "export", "--format", "jsonl"],
        f"sqlite-utils insert {shlex.quote(str(target))} facts - --nl --pk id",
    )
    assert out == ""
    with sqlite3.connect(target) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["id"]: r for r in conn.execute("select * from facts")}
    assert sorted(rows) == sorted(str(i) for i in range(1, 8))
    assert rows["2"]["what"] == "called the Taliban allies\tin the fight against terrorism"
    assert rows["6"]["what"] == SAMPLE[5]["what"] and rows["6"]["when"] is None
    assert json.loads(rows["1"]["country"]) == ["AFG", "RUS"]  # lists arrive as JSON
    assert json.loads(rows["5"]["sources"])[0]["publisher"] == "United Nations"
    assert rows["5"]["when_start"] == "2011-06-17" and rows["5"]["when_end"] == "9999-12-31"
    # and the tool can query what it stored
    query = "select count(*) as n from facts where when_start <= '2024-12-31' and when_end >= '2024-01-01'"
    result = subprocess.run([tool("sqlite-utils"), "query", str(target), query], capture_output=True, timeout=60)
    assert json.loads(result.stdout) == [{"n": 3}]


@needs_sqlite_utils
def test_sqlite_utils_inserts_stats_and_timeline(db, tmp_path):
    target = shlex.quote(str(tmp_path / "views.db"))
    pipe(["--db", db, "stats", "--format", "jsonl"], f"sqlite-utils insert {target} stats - --nl")
    pipe(["--db", db, "timeline", "--format", "jsonl"], f"sqlite-utils insert {target} timeline - --nl")
    with sqlite3.connect(tmp_path / "views.db") as conn:
        assert conn.execute('select count from stats where "group" = ? and key = ?', ("country", "AFG")).fetchone() == (
            5,
        )
        assert conn.execute("select year, count(*) from timeline group by year order by year").fetchall() == [
            (2011, 1),
            (2021, 1),
            (2023, 1),
            (2024, 2),
            (2025, 1),
        ]


# ---------------------------------------------------------------- Python's csv module


def test_csv_module_reads_csv_exactly(db):
    out = pipe(["--db", db, "search", "--format", "csv"], "cat")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["id"] for r in rows] == ["5", "4", "7", "3", "2", "1", "6"]
    by_id = {r["id"]: r for r in rows}
    assert by_id["6"]["what"] == SAMPLE[5]["what"]  # comma, semicolon, quotes and a newline survive
    assert by_id["2"]["what"] == SAMPLE[1]["what"]  # and a tab
    assert by_id["5"]["what"] == 'created the "1988" sanctions regime'
    assert by_id["1"]["country"] == "AFG;RUS" and json.loads(by_id["1"]["sources"])[0]["url"] == "https://apnews.com/x"
    stats = list(csv.DictReader(io.StringIO(pipe(["--db", db, "stats", "--format", "csv"], "cat"), newline="")))
    assert stats[0] == {"group": "total", "key": "facts", "name": "facts", "count": "7"}
    timeline = list(csv.reader(io.StringIO(pipe(["--db", db, "timeline", "--format", "csv"], "cat"), newline="")))
    assert timeline[0] == ["year", "month", "id", "when", "who", "what", "country"] and timeline[1][:3] == [
        "2011",
        "2011-06",
        "5",
    ]


def test_csv_round_trips_through_import(db, tmp_path):
    copy = tmp_path / "copy.json"
    out = pipe(
        ["--db", db, "search", "--format", "csv"],
        shlex.join(factcli_command() + ["--db", str(copy), "import", "-"]) + " 2>/dev/null",
    )
    assert sorted(out.split(), key=int) == [str(i) for i in range(1, 8)]  # piped, import prints the ids it stored

    def exported(path):
        return subprocess.run(factcli_command() + ["--db", str(path), "export"], capture_output=True).stdout

    assert exported(copy) == exported(db)


# ---------------------------------------------------------------- cut, sort, wc


def test_cut_sort_wc_read_tsv(db):
    assert pipe(["--db", db, "search"], "wc -l").strip() == "7"  # one fact, one line: even the one with a newline
    assert pipe(["--db", db, "search", "--header"], "wc -l").strip() == "8"
    assert pipe(["--db", db, "search"], "cut -f2 | sort -u").splitlines() == [
        "China",
        "Russia",
        "Someone",
        "Taliban",
        "UN Security Council",
        "Vladimir Putin",
    ]
    assert pipe(["--db", db, "search"], "cut -f4 | sort | head -3").splitlines() == ["", "2011-06-17/..", "2021-08-15"]
    assert (
        pipe(["--db", db, "search", "Putin"], "cut -f3")
        == "called the Taliban allies\\tin the fight against terrorism\n"
    )
    assert pipe(["--db", db, "search", "--fields", "when,id"], "sort -r | head -1") == "2025-07-03\t1\n"
    assert pipe(["--db", db, "search"], "awk -F'\\t' '{ print NF }' | sort -u") == "8\n"  # every line has every column


def test_cut_uniq_read_timeline_and_stats(db):
    assert pipe(["--db", db, "timeline"], "cut -f1 | uniq -c").split() == [
        "1",
        "2011",
        "1",
        "2021",
        "1",
        "2023",
        "2",
        "2024",
        "1",
        "2025",
    ]
    assert pipe(["--db", db, "stats"], "grep -c '^country'") == "4\n"
    assert (
        pipe(["--db", db, "stats"], "awk -F'\\t' '$1 == \"publisher\"' | sort -t$'\\t' -k4,4nr | head -1 | cut -f2,4")
        == "AP\t2\n"
    )
    assert pipe(["--db", db, "timeline"], "awk -F'\\t' '{ print NF }' | sort -u") == "7\n"


# ---------------------------------------------------------------- the README's examples


@needs_jq
@needs_sqlite_utils
def test_the_five_things_to_try_work(tmp_path):
    readme = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + "/README.md"
    text = open(readme, encoding="utf-8").read()
    section = text.split("## Five things to try", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip() and not line.startswith("#")]
    assert len([l for l in block.splitlines() if l.startswith("# ")]) == 5
    env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))
    outputs = []
    for command in commands:
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", command], capture_output=True, cwd=tmp_path, env=env, timeout=120
        )
        assert result.returncode == 0 and result.stderr == b"", (command, result.stderr)
        outputs.append(result.stdout.decode())
    assert outputs[0] == "2025-07-03 (Thursday)\n"
    assert "2025" in outputs[1] and outputs[1].split()[0].isdigit()
    assert len(outputs[2].splitlines()) == 5 and all(line.split("\t")[1].isdigit() for line in outputs[2].splitlines())
    assert "@misc{factcli:c5:1," in outputs[3]
    assert outputs[4] == "" and set(json.loads(outputs[5])[0]) == {"who", "n"}
