"""A reader whose database file a writer replaces mid-command (issue 12 item 9)
runs the command again instead of failing with exit 3, as long as it had printed
nothing, written nothing and read no stdin."""

from __future__ import annotations

from functools import cached_property

from factcli.store.jsonfile.backend import JsonFileBackend

from .conftest import add_args, add_fact, factcli_run


def _replace_during_first_read(monkeypatch, db, times: int = 1) -> list[int]:
    """Make another process write to ``db`` right after this command's first
    ``times`` checks of the index (the window in which a writer can replace the file)."""
    original = JsonFileBackend.__dict__["indexed"].func
    calls: list[int] = []

    def indexed(self):
        value = original(self)
        if len(calls) < times:
            calls.append(1)
            made = factcli_run(
                "--db",
                str(db),
                *add_args(
                    who=f"Writer {len(calls)}",
                    what="wrote meanwhile",
                    when="2020-01-01",
                    country=("France",),
                    source="https://example.org/w",
                ),
            )
            assert made.returncode == 0, made.stderr
        return value

    prop = cached_property(indexed)
    prop.__set_name__(JsonFileBackend, "indexed")
    monkeypatch.setattr(JsonFileBackend, "indexed", prop)
    return calls


def test_a_search_whose_file_is_replaced_is_run_again(run, db, monkeypatch):
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    for n in range(3):
        add_fact(run, who=f"Person {n}", what=f"recognised treaty {n}")
    assert run("search", "treaty").exit_code == 0  # the index is built
    calls = _replace_during_first_read(monkeypatch, db)
    result = run("search", "treaty", "--fields", "who")
    assert calls == [1]
    assert result.exit_code == 0, result.stderr
    assert result.stdout.split("\n")[:3] == ["Person 0", "Person 1", "Person 2"]
    assert run("search", "meanwhile", "--fields", "who").stdout.strip() == "Writer 1"


def test_a_reader_gives_up_after_five_replacements(run, db, monkeypatch):
    monkeypatch.setenv("FACTCLI_INDEX", "always")
    add_fact(run, who="Person", what="recognised a treaty")
    assert run("search", "treaty").exit_code == 0
    calls = _replace_during_first_read(monkeypatch, db, times=5)
    result = run("search", "treaty")
    assert len(calls) == 5
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "kept changing while it was being read" in result.stderr
