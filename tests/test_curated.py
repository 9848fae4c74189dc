"""The curated facts.json that ships: clean, sourced, and findable by any spelling."""

import json

from pathlib import Path

import pytest

from factcli.check import check
from factcli.paths import curated_path
from factcli.store.jsonfile.file import DatabaseFile

from .conftest import ROOT


@pytest.fixture(scope="module")
def data():
    return DatabaseFile(ROOT / "facts.json").read_data()


def test_curated_file_is_the_packaged_one():
    """factcli reads the top-level facts.json in a checkout, or its copy in an installed package."""
    path = Path(curated_path())
    assert path.resolve() == (ROOT / "facts.json").resolve() or (
        path.parts[-3:] == ("factcli", "data", "facts.json") and path.read_bytes() == (ROOT / "facts.json").read_bytes()
    )


def test_curated_database_has_no_problem_at_all(data):
    assert check(data) == []


def test_every_fact_is_sourced_dated_and_about_a_country(data):
    for doc in data["facts"].values():
        assert doc["sources"] and doc["country"] and doc["when"], doc["id"]
        for source in doc["sources"]:
            assert source.get("url") or source.get("title")
            assert source.get("published") or source.get("retrieved")


def test_the_article_date_is_corrected(run_default):
    out = run_default("show", "c1", "--format", "json").stdout
    fact = json.loads(out)[0]
    assert fact["when"] == "2025-07-03"
    assert "2023" in fact["note"] and "Monday" in fact["note"]  # what the article said, and why it is wrong


@pytest.mark.parametrize(
    "spelling",
    [
        "Ghul Haseen",
        "Gul Hassan",
        "Gul Hasan",
        "Гуль Хасан",
        "Andrei Rudenko",
        "Andrey Rudenko",
        "Rudenko",
        "Taleban",
        "Islamic Emirate of Afghanistan",
        "Владимир Путин",
        "Putin",
        "Russian Federation",
        "Amir Khan Mottaki",
        "Muttaqi",
        "SPIEF",
        "Mawlawi Asadullah",
    ],
)
def test_any_common_spelling_finds_facts(run_default, spelling):
    result = run_default("search", spelling)
    assert result.exit_code == 0 and result.stdout.strip(), spelling


def test_installed_command_finds_curated_facts_with_no_setup():
    from .conftest import factcli_run

    result = factcli_run("search", "Taliban", "--fields", "id")
    assert result.returncode == 0 and b"c1\n" in result.stdout
