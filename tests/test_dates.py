import pytest
from hypothesis import given, strategies as st

from factcli.dates import MAX_DAY, MIN_DAY, BadDate, parse_date


@pytest.mark.parametrize(
    "text,start,end",
    [
        ("2025", "2025-01-01", "2025-12-31"),
        ("2025-07", "2025-07-01", "2025-07-31"),
        ("2024-02", "2024-02-01", "2024-02-29"),
        ("2025-07-03", "2025-07-03", "2025-07-03"),
        ("2021-08-15/2021-08-30", "2021-08-15", "2021-08-30"),
        ("2021/2023-06", "2021-01-01", "2023-06-30"),
        ("2022/..", "2022-01-01", MAX_DAY),
        ("../2020", MIN_DAY, "2020-12-31"),
    ],
)
def test_spans_keep_their_precision(text, start, end):
    span = parse_date(text)
    assert (span.text, span.start, span.end) == (text, start, end)


@pytest.mark.parametrize(
    "text",
    [
        "2025-02-29",
        "2023-13",
        "2025-00",
        "2025-07-32",
        "0000",
        "25",
        "2025-7-3",
        "July 2025",
        "2025/2024",
        "../..",
        "",
        "2025-07-03T10:00",
    ],
)
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(BadDate):
        parse_date(text)


def test_weekday_only_for_exact_days():
    assert parse_date("2025-07-03").weekday() == "Thursday"
    assert parse_date("2023-07-03").weekday() == "Monday"
    assert parse_date("2025-07").weekday() is None


def test_year_overlaps_a_day_inside_it():
    assert parse_date("2021").overlaps(parse_date("2021-08"))
    assert parse_date("2021").overlaps(parse_date("2021-06-01/.."))
    assert not parse_date("2021").overlaps(parse_date("2022-01-01"))


@given(st.dates(), st.sampled_from(["year", "month", "day"]))
def test_any_real_date_parses_and_contains_itself(day, precision):
    text = {"year": f"{day.year:04d}", "month": f"{day.year:04d}-{day.month:02d}", "day": day.isoformat()}[precision]
    span = parse_date(text)
    assert span.start <= day.isoformat() <= span.end


@pytest.mark.parametrize(
    "typed, iso",
    [
        ("July 3 2025", "2025-07-03"),
        ("3 July 2025", "2025-07-03"),
        ("Jul 3, 2025", "2025-07-03"),
        ("2025/07/03", "2025-07-03"),
        ("3rd July 2025", "2025-07-03"),
        ("July 2025", "2025-07"),
        ("2025-07", "2025-07"),
        ("2021-08-15/2021-08-30", "2021-08-15/2021-08-30"),
    ],
)
def test_add_and_filters_take_dates_as_people_type_them(run, typed, iso):
    from .conftest import add_fact

    fact_id = add_fact(run, when=typed)
    assert run("show", fact_id, "--format", "tsv", "--fields", "when").stdout == f"{iso}\n"
    assert run("search", "--during", typed, "--fields", "id").stdout.split() == [fact_id]


def test_relative_dates_in_filters(run, monkeypatch):
    from .conftest import add_fact

    monkeypatch.setenv("FACTCLI_TODAY", "2026-12-01")
    old = add_fact(run, who="Old", when="2025-06-01")
    new = add_fact(run, who="New", when="2026-11-30")
    assert run("search", "--during", "last year", "--fields", "id").stdout.split() == [old]
    assert run("search", "--during", "yesterday", "--fields", "id").stdout.split() == [new]
    assert run("search", "--during", "last month", "--fields", "id").stdout.split() == [new]
    assert run("search", "--since", "this year", "--fields", "id").stdout.split() == [new]
    assert run("search", "--until", "today", "--fields", "id").stdout.split() == [old, new]


def test_an_ambiguous_date_is_refused_with_both_readings(run):
    from .conftest import add_args

    for args in (
        ["search", "--since", "03/07/2025"],
        add_args(who="A", what="b", when="03/07/2025", country=("FR",), source="https://e.example/1"),
    ):
        result = run(*args)
        assert (
            result.exit_code == 2
            and "'03/07/2025' is ambiguous: did you mean 2025-07-03 or 2025-03-07?" in result.stderr
        )
