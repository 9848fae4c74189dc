"""Reliability, round two (issue 12), items 1–4: ids have one pattern everywhere and a
JSON id is never split; a hand-edited file with keys TinyDB would merge is refused; a
planted symlink cannot make a write overwrite another file."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from factcli.model import id_problem, validate
from factcli.store.jsonfile.atomic import atomic_write

from .conftest import add_args, add_fact


def _line(fact_id: str, n: int) -> str:
    return json.dumps(
        {
            "id": fact_id,
            "who": f"Actor {n}",
            "what": f"Target number {n}.",
            "when": "2025",
            "country": "RUS",
            "sources": [f"https://example.org/{n}"],
        }
    )


@pytest.mark.parametrize(
    "fact_id",
    [
        "a b",
        "a\nb",
        "-",
        "x" * 65,
        "u18446744073709551614",
        "x9223372036854775808",
        "u²",
        "²",
        "٣",
        ".hidden",
        "trailing-",
        "a/b",
    ],
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
    checked = validate(
        {
            "id": fact_id,
            "who": "Alpha",
            "what": "Something.",
            "when": "2025",
            "country": "RUS",
            "sources": ["https://example.org/1"],
        }
    )
    assert checked.fact is not None and checked.fact.id == fact_id


def test_a_json_id_on_stdin_is_taken_whole_never_split(run):
    # The attack: ids `a b`, `a`, `b`; `rm -` of the JSON line of `a b` removed a and b.
    for n, fact_id in enumerate(("a", "b"), 1):
        add_fact(
            run, who=f"Actor {n}", what=f"Target {n}.", when="2025", country=("RUS",), source=f"https://example.org/{n}"
        )
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
    add_fact(run, who="Alpha", what="Target one.", when="2025", country=("RUS",), source="https://example.org/1")
    data = json.loads(db.read_text(encoding="utf-8"))
    (only,) = data["facts"].values()
    data["facts"][key] = dict(only, id="u99", what="Target two.")
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = db.read_bytes()
    result = run("search", "Target")
    assert result.exit_code == 3 and "not a plain decimal number" in result.output
    assert (
        run(
            *add_args(who="Beta", what="Other.", when="2025", country=("RUS",), source="https://example.org/2"),
        ).exit_code
        == 3
    )
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
    add_fact(run, who="Alpha", what="Target one.", when="2025", country=("RUS",), source="https://example.org/1")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    lock = db.parent / (db.name + ".lock")
    if lock.exists():
        lock.unlink()
    lock.symlink_to(victim)
    result = run(
        *add_args(who="Beta", what="Target two.", when="2025", country=("RUS",), source="https://example.org/2"),
    )
    assert result.exit_code == 4 and "symbolic link" in result.output
    assert victim.read_text(encoding="utf-8") == "precious\n"


# ---------------------------------------------------------------- items 10–12: bounded reads, no tracebacks


def test_a_json_array_import_reports_the_bad_element_s_line(run, tmp_path):
    good = [json.loads(_line(f"x{i}", i)) for i in range(1, 4)]
    text = json.dumps(good, indent=2)
    bad = text.replace('"Actor 3"', "Actor 3", 1)  # not JSON, in the third element
    path = tmp_path / "facts.json"
    path.write_text(bad, encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 2
    line = bad.splitlines().index(next(x for x in bad.splitlines() if "Actor 3" in x)) + 1
    assert f"line {line}:" in result.output or "not valid JSON" in result.output


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null", "fifo"])
def test_a_database_that_is_not_a_regular_file_is_refused_at_once(tmp_path, target):
    import subprocess

    from .conftest import factcli_command

    if target == "fifo":
        target = str(tmp_path / "pipe")
        os.mkfifo(target)
    done = subprocess.run(
        [*factcli_command(), "--db", target, "search", "x"], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 3
    assert "not a database file" in done.stderr and "Traceback" not in done.stderr


def test_a_config_that_is_a_pipe_is_refused_at_once(tmp_path):
    import subprocess

    from .conftest import factcli_command

    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    done = subprocess.run(
        [*factcli_command(), "search", "Taliban"],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "FACTCLI_CONFIG": str(fifo)},
    )
    assert done.returncode == 2 and "a pipe" in done.stderr


def test_a_sparse_huge_file_is_refused_without_reading_it(tmp_path):
    from factcli.store.jsonfile.file import MAX_DATABASE_BYTES
    from factcli.files import TooLarge, read_regular

    path = tmp_path / "huge.json"
    with open(path, "wb") as handle:
        handle.truncate(MAX_DATABASE_BYTES + 1)
    with pytest.raises(TooLarge):
        read_regular(str(path), MAX_DATABASE_BYTES)


def test_deeply_nested_json_is_one_line_not_a_traceback(run, tmp_path):
    for text in ("[" * 100_000, "[" + "{" * 0 + "[" * 50_000):
        path = tmp_path / "nested.json"
        path.write_text(text, encoding="utf-8")
        result = run("import", str(path))
        assert result.exit_code == 2 and "nested too deeply" in result.output or "not valid JSON" in result.output


@pytest.mark.parametrize(
    "config, said",
    [
        ("x = " + "[" * 5000 + "]" * 5000 + "\n", "nested too deeply"),
        ('db = "\\u0000x"\n', "control character"),
        ('pager = "\\u0000x"\n', "control character"),
    ],
)
def test_a_hostile_config_is_one_line(tmp_path, monkeypatch, config, said):
    from factcli.config import load
    from factcli.errors import InvalidInput

    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    with pytest.raises(InvalidInput, match=said):
        load(str(path))


def test_a_cache_that_asks_for_a_huge_list_is_a_miss(tmp_path, monkeypatch):
    import marshal

    from factcli.store import open_view

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    view = open_view(str(__import__("pathlib").Path(__file__).resolve().parent.parent / "facts.json"))
    view.write_cache("probe", ("v",), [1, 2, 3])
    cache = next((tmp_path / "cache").rglob("*probe*"))
    # a marshal list header claiming 2**31 elements, then nothing
    cache.write_bytes(b"[" + (2**31 - 1).to_bytes(4, "little"))
    assert view.read_cache("probe", ("v",)) is None
    cache.write_bytes(marshal.dumps(((("v",), view.fingerprint()), [1, 2, 3])))
    assert view.read_cache("probe", ("v",)) == [1, 2, 3]  # the same file, whole, is read back


# ---------------------------------------------------------------- item 6: output that cannot be written


def _run_shell(command: str, tmp_path) -> subprocess.CompletedProcess[str]:
    import shlex

    from .conftest import factcli_command

    exe = " ".join(shlex.quote(p) for p in factcli_command())
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    return subprocess.run(
        ["bash", "-c", command.replace("factcli", exe)], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args", ["search Taliban", "export", "--help", "ask 'When did Russia recognize the Taliban?'", "timeline"]
)
def test_a_full_disk_on_stdout_is_one_line_and_exit_4(tmp_path, args):
    done = _run_shell(f"factcli {args} > /dev/full", tmp_path)
    assert done.returncode == 4, done.stderr
    assert done.stderr.count("\n") == 1 and "cannot write the output" in done.stderr and "Traceback" not in done.stderr


def test_closed_stdout_is_one_line_and_exit_4(tmp_path):
    done = _run_shell("factcli search Putin >&-", tmp_path)
    assert done.returncode == 4 and "standard output is closed" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_write_that_committed_says_so_when_its_output_fails(tmp_path):
    db = tmp_path / "mine.json"
    done = _run_shell(
        f"factcli --db {db} add --who Alpha --what 'Thing one.' --when 2025 --country RUS --source https://example.org/1 > /dev/full",
        tmp_path,
    )
    assert done.returncode == 4 and done.stderr == "factcli: added 1; could not print its id: No space left on device\n"
    again = _run_shell(f"factcli --db {db} search Thing", tmp_path)
    assert again.returncode == 0 and "Alpha" in again.stdout  # it was stored once: a retry is not needed
    edited = _run_shell(f"factcli --db {db} edit 1 --tag x >&-", tmp_path)
    assert (
        edited.returncode == 4
        and edited.stderr == "factcli: changed 1; could not print the ids: standard output is closed\n"
    )
    removed = _run_shell(f"factcli --db {db} rm --yes 1 > /dev/full", tmp_path)
    assert (
        removed.returncode == 4
        and removed.stderr == "factcli: removed 1; could not print the ids: No space left on device\n"
    )


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [
        "show c1",
        "stats",
        "cite c1",
        "info",
        "alias list",
        "completion bash",
        "--version",
        "search --help",
        "timeline --format json",
    ],
)
def test_every_command_on_a_full_disk_is_one_line(tmp_path, args):
    done = _run_shell(f"factcli {args} > /dev/full", tmp_path)
    assert done.returncode == 4, done.stderr
    assert done.stderr.count("\n") == 1 and "cannot write the output" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------- item 14: everything printed is escaped


def test_ask_explain_prints_alias_names_and_the_question_escaped(tmp_path):
    """A hand-edited file with an alias holding a terminal escape, and a question holding one:
    --explain prints both escaped (the attack retitled the terminal)."""
    import shutil

    from .conftest import ROOT

    db = tmp_path / "facts.json"
    shutil.copy(ROOT / "facts.json", db)
    data = json.loads(db.read_text(encoding="utf-8"))
    putin = next(e for e in data["aliases"].values() if e["name"] == "Vladimir Putin")
    putin["aliases"].append("Putin\x1b]0;PWNED\x07")
    db.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = _run_shell(
        f"factcli --db {db} ask --explain $'when did putin\\x1b]0;PWNED\\x07 recognize the taliban'", tmp_path
    )
    assert "\x1b" not in done.stdout + done.stderr and "\x07" not in done.stdout + done.stderr
    assert "question" in done.stderr


# ---------------------------------------------------------------- item 15


@pytest.mark.parametrize("alias", ["—", "...", "  "])
def test_an_alias_that_folds_to_nothing_is_refused(run, alias):
    result = run("alias", "add", "Alpha Corp", alias)
    assert result.exit_code == 2


def test_a_file_with_two_facts_of_one_id_is_refused(run, db):
    for n in (1, 2):
        add_fact(
            run, who=f"Actor {n}", what=f"Target {n}.", when="2025", country=("RUS",), source=f"https://example.org/{n}"
        )
    data = json.loads(db.read_text(encoding="utf-8"))
    docs = list(data["facts"].values())
    docs[1]["id"] = docs[0]["id"]
    db.write_text(json.dumps(data), encoding="utf-8")
    result = run("rm", docs[0]["id"])
    assert result.exit_code == 3 and "ids are unique" in result.output


def test_a_question_of_ten_thousand_words_is_refused_at_once(run):
    result = run("ask", " ".join(["taliban"] * 10_000))
    assert result.exit_code == 2 and "too long" in result.output


@pytest.mark.parametrize("index", ["never", "always"])
def test_a_document_key_given_twice_is_refused_by_the_parser_and_the_index_alike(run, db, monkeypatch, index):
    """Issue 12 item 2's last case: JSON readers disagree on a key given twice (the
    parser keeps the last, the streaming index both), so neither reads the file."""

    for n in range(2):
        add_fact(run, who=f"Actor {n}", what=f"did thing {n}")
    text = db.read_text(encoding="utf-8")
    first = text.index('    "1": {')
    second = text.index('    "2": {')
    db.write_text(text[:second] + text[second:].replace('    "2": {', '    "1": {', 1), encoding="utf-8")
    assert text[first : first + 10] == '    "1": {'
    monkeypatch.setenv("FACTCLI_INDEX", index)
    before = db.read_bytes()
    for args in (
        ["search", "Actor"],
        ["add", "--who", "X", "--what", "y", "--when", "2020", "--country", "FR", "--source", "https://e.example/1"],
        ["check", str(db)],
    ):
        result = run(*args)
        assert result.exit_code == 3, (args, result.output)
        assert "twice" in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == before
