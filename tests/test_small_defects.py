"""The small defects a new user hit (issue 13 item 12), each pinned."""

from __future__ import annotations

import pytest

from factcli.countries import suggest

from .conftest import add_fact


def test_alias_import_refuses_a_kind_alias_add_refuses_and_reports_every_bad_line(run, tmp_path):
    path = tmp_path / "aliases.jsonl"
    path.write_text(
        '{"name": "A", "kind": "bogus"}\n{"name": "B", "kind": "person"}\n\n{"name": "C", "aliases": "x"}\n',
        encoding="utf-8",
    )
    result = run("alias", "import", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert (
        lines[0]
        == f"factcli: {path}: line 1: kind 'bogus' is not one of person, organisation, government, place, other"
    )
    assert lines[1].startswith(f"factcli: {path}: line 4: expected")
    assert lines[2] == "factcli: 2 bad entities; nothing was changed"
    assert run("alias", "list", "--format", "jsonl").stdout.count('"B"') == 0  # nothing was stored


def test_info_on_a_missing_db_is_one_line(tmp_path, run):
    result = run("--db", str(tmp_path / "none.json"), "info", db=False)
    assert result.exit_code == 3 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no database at" in result.stderr


def test_one_fact_is_not_1_facts(run):
    add_fact(run)
    out = run("info").stdout
    assert "\t1 fact\n" in out and "1 facts" not in out


@pytest.mark.parametrize("value", ["sometimes", "yes", "ALWAYS"])
def test_a_bad_factcli_index_value_is_an_error(run, monkeypatch, value):
    add_fact(run)
    monkeypatch.setenv("FACTCLI_INDEX", value)
    result = run("search", "Taliban")
    assert result.exit_code == 2 and "expected auto, always or never" in result.stderr


def test_a_url_with_a_wrong_scheme_is_refused_and_a_bare_address_is_pointed_out(run):
    bad = run("add", "--who", "Z", "--what", "w", "--when", "2020", "--country", "France", "--source", "htp://x")
    assert bad.exit_code == 2 and "'htp://x' is not a web address" in bad.stderr
    bare = run(
        "add", "--who", "Z", "--what", "w", "--when", "2020", "--country", "France", "--source", "www.reuters.com/abc"
    )
    assert bare.exit_code == 0
    assert "'www.reuters.com/abc' looks like a web address without https://; it was stored as a title" in bare.stderr


def test_did_you_mean_proposes_nothing_rather_than_a_wrong_thing(run_default):
    result = run_default("search", "u9")
    assert result.exit_code == 1 and "did you mean" not in result.stderr
    assert suggest("Republic of Artsakh") == []  # was Malta
    assert suggest("Untied States") == ["United States"]
    assert suggest("Germny") == ["Germany"]
    assert suggest("Kingdom of Spian") == ["Spain"]
    taliban = run_default("search", "Talibn")
    assert "did you mean: taliban" in taliban.stderr
