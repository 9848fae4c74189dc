"""Timeline and statistics: the pure core, and the commands (piped and in machine formats)."""

import csv
import io
import json

import pytest

from factcli import views
from factcli.dates import parse_date
from factcli.model import Fact, Source


def fact(
    id,
    when=None,
    country=("AFG",),
    sources=(Source(url="https://apnews.com/a", publisher="AP", published="2025-07-04"),),
):
    return Fact(
        id=id,
        who="W",
        what=f"what {id}",
        when=parse_date(when) if when else None,
        country=tuple(country),
        sources=tuple(sources),
    )


@pytest.mark.parametrize(
    "when,expected",
    [
        ("2025", (2025, None)),
        ("2025-07", (2025, "2025-07")),
        ("2025-07-03", (2025, "2025-07")),
        ("2024-03/2024-11", (2024, "2024-03")),
        ("2022/..", (2022, None)),
        ("../2020-05", (2020, "2020-05")),
    ],
)
def test_anchor_is_the_first_date_named(when, expected):
    assert views.anchor(parse_date(when)) == expected


def test_timeline_groups_by_year_in_time_order_and_counts_undated():
    facts = [fact("a", "2025-07-03"), fact("b", "2021"), fact("c"), fact("d", "2021-08-15"), fact("e", "../2021-01")]
    line = views.timeline(facts)
    assert [(y.year, [f.id for f in y.facts]) for y in line.years] == [(2021, ["b", "e", "d"]), (2025, ["a"])]
    assert line.undated == 1
    assert line.per_year() == [(2021, 3), (2025, 1)]


def test_a_busy_year_is_split_by_month():
    facts = [fact(f"m{i}", f"2025-{1 + i % 3:02d}-0{1 + i % 9}") for i in range(views.MONTHS_FROM)] + [
        fact("y", "2025")
    ]
    (year,) = views.timeline(facts).years
    assert year.by_month
    months = year.months()
    assert [m.month for m in months] == [None, "2025-01", "2025-02", "2025-03"]
    assert months[0].facts[0].id == "y"  # known only by its year: first
    quiet = views.timeline(facts[:3]).years[0]
    assert not quiet.by_month


def test_stats_counts():
    no_publisher = Source(title="a citation")
    facts = [
        fact("a", "2025-07-03", country=("AFG", "RUS")),
        fact(
            "b",
            "2025",
            country=("RUS",),
            sources=(
                Source(url="https://www.reuters.com/x"),
                Source(url="https://reuters.com/y", published="2025-01-01"),
            ),
        ),
        fact("c", None, sources=(no_publisher,)),
        fact("d", "2021-08", sources=()),
    ]
    counts = views.stats(facts)
    assert (counts.facts, counts.sources, counts.undated, counts.unsourced, counts.unpublished) == (4, 4, 1, 1, 2)
    assert counts.countries == [("AFG", 3), ("RUS", 2)]
    assert counts.years == [(2021, 1), (2025, 2)]
    # reuters.com cited twice by one fact counts once; hosts stand in for publishers
    assert counts.publishers == [("(no publisher)", 1), ("AP", 1), ("reuters.com", 1)]
    rows = counts.rows()
    assert rows[0] == {"group": "total", "key": "facts", "name": "facts", "count": 4}
    assert {"group": "country", "key": "RUS", "name": "Russia", "count": 2} in rows
    assert {"group": "year", "key": "2021", "name": "2021", "count": 1} in rows
    assert [r["key"] for r in rows if r["group"] == "missing"] == ["when", "sources", "published"]


# ---------------------------------------------------------------- the commands, piped


def test_timeline_piped_is_tsv_in_documented_columns(run, sample):
    result = run("timeline")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == '2011\t2011-06\t5\t2011-06-17/..\tUN Security Council\tcreated the "1988" sanctions regime\tAFG'
    assert [l.split("\t")[2] for l in lines] == ["5", "4", "7", "3", "2", "1"]  # the undated fact 6 is left out
    assert lines[2].split("\t")[:2] == ["2023", ""]  # a year-only date has no month
    assert all(l.count("\t") == 6 for l in lines)
    assert "called the Taliban allies\\tin the fight" in result.stdout
    assert run("timeline", "--header", "--fields", "year,id").stdout.splitlines()[:2] == ["year\tid", "2011\t5"]


def test_timeline_filters_and_machine_formats(run, sample):
    assert run("timeline", "--country", "RUS", "--fields", "id").stdout == "7\n2\n1\n"
    assert run("timeline", "--since", "2024", "--fields", "id").stdout == "5\n3\n2\n1\n"  # an open interval overlaps
    assert run("timeline", "Taliban", "--since", "2024", "--fields", "id").stdout == "3\n2\n1\n"
    records = [json.loads(l) for l in run("timeline", "--format", "jsonl").stdout.splitlines()]
    assert records[0] == {
        "year": 2011,
        "month": "2011-06",
        "id": "5",
        "when": "2011-06-17/..",
        "who": "UN Security Council",
        "what": 'created the "1988" sanctions regime',
        "country": ["AFG"],
    }
    assert records[2]["month"] is None
    assert json.loads(run("timeline", "--format", "json").stdout) == records
    rows = list(csv.DictReader(io.StringIO(run("timeline", "--format", "csv").stdout)))
    assert (
        rows[4]["what"] == "called the Taliban allies\tin the fight against terrorism" and rows[0]["country"] == "AFG"
    )


def test_timeline_exit_1_when_nothing_dated_matches(run, sample):
    result = run("timeline", "--country", "France")
    assert result.exit_code == 1 and "no dated fact matches (1 undated" in result.stderr
    result = run("timeline", "talbian")
    assert result.exit_code == 1 and "did you mean: taliban" in result.stderr
    bad = run("timeline", "--fields", "year,colour")
    assert bad.exit_code == 2 and "colour" in bad.stderr


def test_stats_piped_and_as_json(run, sample):
    result = run("stats")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:5] == [
        "total\tfacts\tfacts\t7",
        "total\tsources\tsources\t7",
        "missing\twhen\tfacts without a date\t1",
        "missing\tsources\tfacts without a source\t0",
        "missing\tpublished\tsources without a published date\t2",
    ]
    assert "country\tAFG\tAfghanistan\t5" in lines and "country\tRUS\tRussia\t3" in lines
    assert "publisher\tAP\tAP\t2" in lines and "publisher\treuters.com\treuters.com\t1" in lines
    assert "year\t2024\t2024\t2" in lines
    data = json.loads(run("stats", "--format", "json").stdout)
    assert {"group": "missing", "key": "when", "name": "facts without a date", "count": 1} in data
    assert run("stats", "--country", "CHN", "--fields", "group,key,count", "--header").stdout.splitlines()[:2] == [
        "group\tkey\tcount",
        "total\tfacts\t1",
    ]
    assert run("stats", "nothing-like-this").exit_code == 1


def test_the_cli_spells_the_column_names_as_the_core_does():
    from factcli.cli import read as cli
    from factcli.model import FIELDS

    assert cli.STATS_FIELD_NAMES == views.STATS_FIELDS
    assert cli.TIMELINE_FIELD_NAMES == (*views.TIMELINE_EXTRA, *FIELDS)
    assert set(views.TIMELINE_FIELDS) <= set(cli.TIMELINE_FIELD_NAMES)
