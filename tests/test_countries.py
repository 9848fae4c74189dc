import pytest

from factcli import countries


@pytest.mark.parametrize(
    "name,code",
    [
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("RU", "RUS"),
        ("RUS", "RUS"),
        ("rus", "RUS"),
        ("Ivory Coast", "CIV"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d’Ivoire", "CIV"),
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("US", "USA"),
        ("USA", "USA"),
        ("United States", "USA"),
        ("U.S.", "USA"),
        ("United States of America", "USA"),
        ("People's Republic of China", "CHN"),
        ("PRC", "CHN"),
        ("China", "CHN"),
        ("Kingdom of the Netherlands", "NLD"),
        ("Korea, Republic of", "KOR"),
        ("South Korea", "KOR"),
        ("The Gambia", "GMB"),
        ("Afghanistan", "AFG"),
        ("AF", "AFG"),
        ("Kosovo", "XKX"),
    ],
)
def test_names_codes_and_aliases_resolve(name, code):
    assert countries.resolve(name) == code


def test_unknown_country_gets_a_suggestion():
    assert countries.resolve("Afganistan") is None
    assert countries.suggest("Afganistan")[0] == "Afghanistan"


def test_readable_names():
    assert countries.display_name("RUS") == "Russia"
    assert countries.display_name("IRN") == "Iran"
    assert countries.display_name("AFG") == "Afghanistan"
