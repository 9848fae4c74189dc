import pytest

from factcli.dates import parse_date
from factcli.model import validate
from factcli.query import AliasIndex, Entity, Query, did_you_mean, haystack, run


def fact(fid, who, what, when, country, note=""):
    f = validate(
        {
            "id": fid,
            "who": who,
            "what": what,
            "when": when,
            "country": country,
            "sources": ["https://example.org/" + fid],
            "note": note,
        }
    ).fact
    assert f is not None
    return f


FACTS = [
    fact("1", "Russia", "recognized the Taliban government", "2025-07-03", ["RUS", "AFG"]),
    fact("2", "Vladimir Putin", "called the Taliban allies in the fight against terrorism", "2024-07-04", ["RUS"]),
    fact("3", "Taliban", "took Kabul", "2021-08-15", ["AFG"]),
    fact("4", "United States", "completed its withdrawal", "2021-08-15/2021-08-30", ["USA", "AFG"]),
    fact("5", "Zoran Milanović", "President of Croatia", "2020/..", ["HRV"]),
    fact("6", "Kazakhstan", "removed the Taliban from its list of banned organisations", "2023", ["KAZ"]),
    fact("7", "Somebody", "said something undated", "", ["FRA"]),
]
ALIASES = AliasIndex(
    [
        Entity("Vladimir Putin", "person", ("Putin", "Владимир Путин", "Vladimir Vladimirovich Putin")),
        Entity("Taliban", "government", ("Islamic Emirate of Afghanistan", "Taleban", "IEA")),
    ]
)


def ids(query):
    return [f.id for f in run(query, FACTS, ALIASES).facts]


def window(**spans):
    lo, hi = Query.window(**{k: parse_date(v) for k, v in spans.items()})
    return {"date_from": lo, "date_to": hi}


def test_no_terms_lists_everything_by_date_undated_last():
    assert ids(Query()) == ["5", "3", "4", "6", "2", "1", "7"]


def test_every_term_must_match():
    assert ids(Query(terms=("taliban", "recognized"))) == ["1"]
    assert ids(Query(terms=("taliban",))) == ["3", "6", "2", "1"]


def test_case_accents_and_nfd_do_not_matter():
    assert ids(Query(terms=("milanovic",))) == ["5"]
    assert ids(Query(terms=("MILANOVIĆ",))) == ["5"]
    assert ids(Query(terms=("Milanovic\u0301",))) == ["5"]  # NFD input


def test_aliases_find_the_entity():
    assert ids(Query(terms=("Islamic Emirate of Afghanistan", "Kabul"))) == ["3"]
    assert ids(Query(terms=("Islamic", "Emirate", "of", "Afghanistan", "Kabul"))) == ["3"]  # unquoted phrase
    assert ids(Query(who=("Putin",))) == ["2"]
    assert ids(Query(terms=("Владимир Путин",))) == ["2"]
    assert ids(Query(terms=("Taleban", "recognized"))) == ["1"]


def test_country_names_codes_and_aliases_match_in_free_text():
    assert ids(Query(terms=("Russian Federation",))) == ["2", "1"]
    assert ids(Query(terms=("US",))) == ["4"]
    assert ids(Query(terms=("us",))) == []  # the word "us" is not a country code


def test_words_match_from_their_start():
    assert ids(Query(terms=("recogni",))) == ["1"]
    assert ids(Query(terms=("ecognized",))) == []


@pytest.mark.parametrize(
    "spans,expected",
    [
        ({"during": "2025"}, ["5", "1"]),  # 5 runs from 2020 with no end
        ({"during": "2021-08"}, ["5", "3", "4"]),
        ({"during": "2021-08-20"}, ["5", "4"]),
        ({"during": "2023-05"}, ["5", "6"]),  # a year-only fact overlaps any range inside its year
        ({"since": "2024"}, ["5", "2", "1"]),
        ({"since": "2023-06-01", "until": "2024-12"}, ["5", "6", "2"]),
        ({"until": "2021-08-15"}, ["5", "3", "4"]),
        ({"until": "2019"}, []),
    ],
)
def test_dates_match_when_spans_overlap(spans, expected):
    assert ids(Query(**window(**spans))) == expected


def test_filters_combine():
    assert ids(Query(country=("AFG",), **window(during="2021"))) == ["3", "4"]
    assert ids(Query(country=("AFG", "USA"))) == ["4"]
    assert ids(Query(what=("taliban",), who=("russia",))) == ["1"]


def test_sort_and_limit():
    result = run(Query(sort="-when", limit=2), FACTS, ALIASES)
    assert [f.id for f in result.facts] == ["1", "2"] and result.total == 7
    assert ids(Query(sort="-when"))[-1] == "7"  # undated last either way
    assert ids(Query(sort="id")) == ["1", "2", "3", "4", "5", "6", "7"]


def test_did_you_mean():
    vocabulary = {word for f in FACTS for word in haystack(f).split()}
    assert "taliban" in did_you_mean(Query(terms=("talban",)), vocabulary, ALIASES)
    assert "putin" in did_you_mean(Query(who=("Puttin",)), set(), ALIASES)  # from the aliases
    assert did_you_mean(Query(terms=("zzzzqqq",)), vocabulary, ALIASES) == []
    assert did_you_mean(Query(terms=("talib",)), vocabulary, ALIASES) == []  # a prefix of a word is a match


def test_group_phrases_tries_no_phrase_longer_than_a_name(monkeypatch):
    """A long question is grouped in time proportional to its length."""
    from factcli import query

    calls = []
    real = query.normalise
    monkeypatch.setattr(query, "normalise", lambda text: calls.append(text) or real(text))
    words = [f"word{i}" for i in range(300)]
    words[150:152] = ["Vladimir", "Putin"]
    grouped = ALIASES.group_phrases(words)
    assert "Vladimir Putin" in grouped and len(grouped) == 299
    longest = max(ALIASES.longest_name, query.countries.longest_name())
    assert len(set(calls)) <= 300 * longest  # phrases tried (each is folded up to three times)
    assert len(set(calls)) >= 300
