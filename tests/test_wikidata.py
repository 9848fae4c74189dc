"""Real data nobody here wrote: the Wikidata extracts in ../shared/data/wikidata."""

import csv
import re

import pytest

from .conftest import LEADERS_MAP, WIKIDATA

pytestmark = pytest.mark.skipif(not WIKIDATA.exists(), reason="needs ../shared/data/wikidata beside the repository")

LEADERS = ["--source", "Wikidata (CC0), every-politician extract", *LEADERS_MAP]
MINISTERS = [
    "--source",
    "Wikidata (CC0), every-politician extract",
    "--map",
    "who=name",
    "--map",
    "what={positionLabel} of {countryLabel}",
    "--map",
    "country=countryLabel",
    "--map",
    "when={start|..}/..",
]


def rows(name):
    with open(WIKIDATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def report(stderr):
    bad = {int(m.group(1)): m.group(2) for m in re.finditer(r"line (\d+): skipped: (.*)", stderr)}
    imported = int(re.search(r"imported (\d+) fact", stderr).group(1))
    return imported, bad


@pytest.mark.parametrize("name,mapping", [("world_leaders.csv", LEADERS), ("foreign_ministers.csv", MINISTERS)])
def test_every_row_imports_or_is_reported_by_line(run, name, mapping):
    result = run("import", str(WIKIDATA / name), "--skip-invalid", *mapping)
    assert result.exit_code == 0, result.stderr
    imported, bad = report(result.stderr)
    assert imported + len(bad) == len(rows(name))
    for line, reason in bad.items():
        assert 2 <= line <= len(rows(name)) + 1 and reason


def test_leaders_terms_and_reasons(run):
    result = run("import", str(WIKIDATA / "world_leaders.csv"), "--skip-invalid", *LEADERS)
    imported, bad = report(result.stderr)
    assert imported == 423 and bad == {}
    # the unlabelled Wikidata item is imported, with a warning naming its line
    assert "line 51: warning: who 'Q27146606' looks like a Wikidata item id, not a name" in result.stderr
    # A finished term is one interval; an unfinished one is open-ended.
    assert run("search", "Ilir Meta", "--fields", "when").stdout == "2017/2022\n"
    assert run("search", "Edi Rama", "--fields", "when").stdout == "2013/..\n"
    # Countries as Wikidata spells them resolve.
    assert run("search", "--country", "NLD", "--fields", "country").stdout.strip()
    assert run("search", "--country", "Ivory Coast", "--during", "2024", "--fields", "country").stdout.strip()


def test_non_ascii_names_found_with_and_without_diacritics(run):
    run("import", str(WIKIDATA / "world_leaders.csv"), "--skip-invalid", *LEADERS)
    for spelling in ("Milanović", "Milanovic", "MILANOVIC", "Évariste Ndayishimiye", "Evariste Ndayishimiye"):
        out = run("search", spelling, "--fields", "who").stdout
        assert out.strip() and out.splitlines()[0] in ("Zoran Milanović", "Évariste Ndayishimiye"), spelling


def test_ministers_reasons(run):
    result = run("import", str(WIKIDATA / "foreign_ministers.csv"), "--skip-invalid", *MINISTERS)
    imported, bad = report(result.stderr)
    reasons = "\n".join(bad.values())
    assert "unknown country 'Transnistria'" in reasons and "who is empty" in reasons
    assert imported == len(rows("foreign_ministers.csv")) - len(bad)
