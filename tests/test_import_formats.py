"""Import reads what export writes (issue 13 items 4 and 11): TSV with or without
its header, and list values split exactly as export joins them."""

from __future__ import annotations

import json

import pytest

from .conftest import SAMPLE


@pytest.fixture
def sample(run, tmp_path):
    path = tmp_path / "sample.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in SAMPLE) + "\n", encoding="utf-8")
    assert run("import", str(path)).exit_code == 0
    return run


@pytest.mark.parametrize("header", [[], ["--header"]], ids=["bare", "header"])
def test_tsv_export_imports_back_with_ids_text_lists_and_urls(sample, run, tmp_path, header):
    tsv = sample("export", "--format", "tsv", *header).stdout
    path = tmp_path / "facts.tsv"
    path.write_text(tsv, encoding="utf-8")
    other = tmp_path / "other.json"
    result = run("--db", str(other), "import", str(path), db=False)
    assert result.exit_code == 0, result.stderr
    assert run("--db", str(other), "export", "--format", "tsv", *header, db=False).stdout == tsv
    # the values TSV escapes (a tab inside `what`) come back as they were
    (fact,) = [json.loads(l) for l in run("--db", str(other), "export", db=False).stdout.splitlines() if "allies" in l]
    assert fact["what"] == "called the Taliban allies\tin the fight against terrorism"


def test_search_tsv_pipes_into_import(sample, run, tmp_path):
    tsv = sample("search", "Taliban").stdout  # 8 columns, no header
    result = run("--db", str(tmp_path / "o.json"), "import", "-", input=tsv, db=False)
    assert result.exit_code == 0, result.stderr
    assert "imported" in result.stderr


def test_a_bad_tsv_line_is_named(run, tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("id\twho\twhat\twhen\tcountry\ttags\tsources\tnote\nx1\tA\tmet\t2020\tFRA\n", encoding="utf-8")
    result = run("import", str(path))
    assert result.exit_code == 2 and "line 2: has 5 columns, the header has 8" in result.stderr


def test_csv_lists_split_as_export_writes_them(run, tmp_path):
    path = tmp_path / "lists.csv"
    path.write_text(
        "who,what,when,country,sources,tags\n"
        'A,met,2020,"Korea, Republic of",https://a.example/1;https://b.example/2,x;y\n'
        'B,met,2020,"FRA,DEU","Reuters; 4 July",z\n',
        encoding="utf-8",
    )
    assert run("import", str(path)).exit_code == 0
    a, b = [json.loads(l) for l in run("export").stdout.splitlines()]
    assert (
        a["country"] == ["KOR"]
        and [s["url"] for s in a["sources"]] == ["https://a.example/1", "https://b.example/2"]
        and a["tags"] == ["x", "y"]
    )
    assert b["country"] == ["FRA", "DEU"] and b["sources"] == [{"title": "Reuters; 4 July"}]
