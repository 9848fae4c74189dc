import pytest

from factcli.model import MAX_TEXT, validate

GOOD = {
    "who": "Russia",
    "what": "recognized the Taliban",
    "when": "2025-07-03",
    "country": ["Afghanistan", "RU"],
    "sources": ["https://example.org"],
}


def test_valid_fact_is_normalised():
    checked = validate(GOOD)
    assert checked.errors == []
    fact = checked.fact
    assert fact.country == ("AFG", "RUS")
    assert fact.sources[0].url == "https://example.org"
    assert fact.when.start == "2025-07-03"
    # A source without a published date is a warning, not an error.
    assert any("no published date" in w for w in checked.warnings)


def test_citation_text_becomes_a_title():
    fact = validate({**GOOD, "sources": ["AP, 3 July 2025"]}).fact
    assert fact.sources[0].title == "AP, 3 July 2025" and fact.sources[0].url == ""


def test_every_problem_is_reported_at_once():
    checked = validate(
        {"who": " ", "what": "", "when": "2025-02-30", "country": "Afganistan", "sources": [], "colour": "red"}
    )
    text = "\n".join(checked.errors)
    assert checked.fact is None
    for expected in (
        "unknown field(s): colour",
        "who is empty",
        "what is empty",
        "no day 30",
        "did you mean Afghanistan",
        "no source",
    ):
        assert expected in text


def test_control_characters_and_surrogates_are_refused():
    assert "U+001B" in validate({**GOOD, "what": "red \x1b[31m"}).errors[0]
    assert "not valid UTF-8" in validate({**GOOD, "who": "bad \udcff"}).errors[0]
    assert validate({**GOOD, "what": "tab\tand\nnewline are fine"}).errors == []


def test_oversized_fields_are_refused():
    assert "limit" in validate({**GOOD, "note": "x" * (MAX_TEXT + 1)}).errors[0]


def test_identity_ignores_case_accents_and_country_order():
    a = validate(GOOD).fact
    b = validate({**GOOD, "who": "RUSSIA", "country": ["RUS", "AFG"]}).fact
    assert a.identity() == b.identity()


@pytest.mark.parametrize("who", ["G20", "G7", "U2", "K2", "E3", "P5", "Q", "Qatar"])
def test_names_shaped_like_codes_are_names(who):
    checked = validate(
        {"who": who, "what": "met", "when": "2020", "country": "France", "sources": ["https://a.example/b"]}
    )
    assert checked.fact is not None and checked.fact.who == who
    assert not [w for w in checked.warnings if "not a name" in w]


@pytest.mark.parametrize(
    "who, kind", [("Q27146606", "a Wikidata item id"), ("Q42", "a Wikidata item id"), ("12345", "a number")]
)
def test_identifiers_where_a_name_should_be_are_warned_of_not_refused(who, kind):
    checked = validate(
        {"who": who, "what": "met", "when": "2020", "country": "France", "sources": ["https://a.example/b"]}
    )
    assert checked.fact is not None
    assert f"who {who!r} looks like {kind}, not a name" in checked.warnings


def test_a_source_is_stored_with_its_given_fields_only_in_their_order():
    from factcli.model import SOURCE_FIELDS, Source

    assert Source._fields == SOURCE_FIELDS  # Source.to_dict pairs the two by position
    source = Source(title="T", url="https://example.org", quote="Q")
    assert source.to_dict() == {"title": "T", "url": "https://example.org", "quote": "Q"}
    assert list(source.to_dict()) == ["title", "url", "quote"]
