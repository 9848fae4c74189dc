from factcli.model import MAX_TEXT, validate

GOOD = {"who": "Russia", "what": "recognized the Taliban", "when": "2025-07-03", "country": ["Afghanistan", "RU"], "sources": ["https://example.org"]}


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
    checked = validate({"who": " ", "what": "", "when": "2025-02-30", "country": "Afganistan", "sources": [], "colour": "red"})
    text = "\n".join(checked.errors)
    assert checked.fact is None
    for expected in ("unknown field(s): colour", "who is empty", "what is empty", "no day 30", "did you mean Afghanistan", "no source"):
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
