"""`factcli check`: each kind of problem is caught on a deliberately broken database."""

import json

import pytest

from factcli.check import weekday_slips
from .conftest import add_fact

GOOD = {
    "who": "Russia",
    "what": "recognized the Taliban government",
    "when": "2025-07-03",
    "when_start": "2025-07-03",
    "when_end": "2025-07-03",
    "country": ["AFG", "RUS"],
    "tags": [],
    "note": "",
    "created": "",
    "updated": "",
    "sources": [{"title": "AP", "url": "https://apnews.com/x", "published": "2025-07-03"}],
}


def database(facts, aliases=(), next_id=100):
    docs = {str(i): dict(GOOD, id=str(i), **f) for i, f in enumerate(facts, 1)}
    return {
        "meta": {"1": {"format": "factcli", "schema": 1, "id_prefix": "", "next_id": next_id}},
        "facts": docs,
        "aliases": {str(i): a for i, a in enumerate(aliases, 1)},
        "removed": {},
    }


def lint(run, tmp_path, data, *args):
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("check", str(path), "--format", "json", *args, db=False)
    return result.exit_code, json.loads(result.stdout), result


@pytest.mark.parametrize(
    "fact,level,message",
    [
        ({"when": "2025-02-30", "when_start": "2025-02-30", "when_end": "2025-02-30"}, "error", "no day 30"),
        ({"when": "July 2025"}, "error", "not an ISO date"),
        ({"country": ["Narnia"]}, "error", "unknown country 'Narnia'"),
        ({"country": ["Afghanistan"]}, "error", "country is stored as ['Afghanistan'], expected ['AFG']"),
        ({"sources": []}, "error", "no source"),
        ({"when_start": "2025-01-01"}, "error", "when_start is stored as '2025-01-01'"),
        ({"colour": "red"}, "error", "unknown field(s): colour"),
        ({"what": "bell \x07"}, "error", "U+0007"),
        ({"when": None, "when_start": None, "when_end": None}, "warning", "has no date"),
        ({"sources": [{"title": "Somebody said"}]}, "warning", "has no date (neither published nor retrieved)"),
        ({"note": "It happened on Thursday, July 3, 2023."}, "warning", "2023-07-03 was a Monday"),
        (
            {"sources": [{"title": "x", "published": "2025-07-04", "quote": "on Tuesday 3 July 2025 Moscow"}]},
            "warning",
            "2025-07-03 was a Thursday",
        ),
    ],
)
def test_each_kind_of_fact_problem(run, tmp_path, fact, level, message):
    code, problems, _ = lint(run, tmp_path, database([fact]))
    found = [p for p in problems if message in p["message"]]
    assert found and found[0]["level"] == level and found[0]["where"] == "1", problems
    assert code == (1 if level == "error" else 0)
    if level == "warning":
        assert lint(run, tmp_path, database([fact]), "--strict")[0] == 1


def test_missing_required_fields_are_schema_errors(run, tmp_path):
    data = database([{}])
    del data["facts"]["1"]["who"]
    del data["facts"]["1"]["sources"]
    code, problems, _ = lint(run, tmp_path, data)
    assert code == 1 and any(
        "schema: missing field(s) who, sources" in p["message"] and p["where"] == "1" for p in problems
    )


def test_duplicates_conflicts_and_near_duplicates(run, tmp_path):
    facts = [
        {},
        {"who": "RUSSIA"},  # exact duplicate of 1 (case does not matter)
        {"when": "2025-07", "when_start": "2025-07-01", "when_end": "2025-07-31"},  # conflicting with 1
        {
            "what": "recognised the Taliban government.",
            "when": "2024",
            "when_start": "2024-01-01",
            "when_end": "2024-12-31",
        },
        {
            "what": "recognized the Taliban governments",
            "when": "2024",
            "when_start": "2024-01-01",
            "when_end": "2024-12-31",
        },  # near duplicate of 4
    ]
    code, problems, _ = lint(run, tmp_path, database(facts))
    messages = {(p["where"], p["level"], p["message"].split(" (")[0]) for p in problems}
    assert ("2", "error", "exact duplicate of 1") in messages
    assert any(p["level"] == "warning" and p["message"].startswith("conflicting facts 1, 2, 3") for p in problems)
    assert ("5", "warning", "near duplicate of 4") in messages
    assert code == 1


def test_alias_problems(run, tmp_path):
    aliases = [
        {"name": "Russia", "kind": "government", "aliases": ["Moscow", "Kremlin"]},
        {"name": "Kremlin Palace", "kind": "place", "aliases": ["kremlin"]},  # collides with Russia's alias
        {"name": "Atlantis", "kind": "place", "aliases": ["Lost City"]},  # points nowhere
        {"kind": "person", "aliases": ["nameless"]},
    ]
    code, problems, _ = lint(run, tmp_path, database([{}], aliases))
    text = "\n".join(f"{p['where']}: {p['message']}" for p in problems)
    assert "aliases: Kremlin Palace: 'kremlin' also names 'Russia'" in text
    assert "aliases: Atlantis: points nowhere" in text
    assert "aliases: document 4: has no name" in text
    assert code == 1


def test_id_problems(run, tmp_path):
    data = database([{}, {"what": "something else"}], next_id=1)
    data["facts"]["2"]["id"] = "1"
    code, problems, _ = lint(run, tmp_path, data)
    text = "\n".join(p["message"] for p in problems)
    assert "id is used twice" in text and "next_id 1 would reuse id 1" in text
    assert code == 1


def test_unreadable_file_exits_3_and_says_why(run, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"facts": {"1": {"who": ', encoding="utf-8")
    result = run("check", str(path), db=False)
    assert result.exit_code == 3 and "not valid JSON" in result.stderr


def test_clean_database_passes_strict(run, tmp_path):
    aliases = [{"name": "Russia", "kind": "government", "aliases": ["Moscow"]}]
    code, problems, result = lint(run, tmp_path, database([{}], aliases), "--strict")
    assert (code, problems) == (0, [])
    assert "0 error(s), 0 warning(s)" in result.stderr


@pytest.mark.parametrize(
    "text,slips",
    [
        ("On Thursday, July 3, 2023, Russia", 1),
        ("On Thursday (sic), July 3, 2023, Russia", 0),
        ("On Thursday, July 3, 2023 [sic]", 0),
        ("on Thursday 3 July 2025", 0),
        ("Thursday, 2025-07-03", 0),
        ("Friday, 2025-07-03", 1),
        ("Monday 31 February 2025", 0),  # impossible date: not a weekday question
    ],
)
def test_weekday_slips(text, slips):
    assert len(weekday_slips(text)) == slips


def test_an_alias_of_the_users_that_names_curated_facts_points_somewhere(run_default):
    result = run_default("alias", "add", "Sergey Lavrov", "Lavrov", "--kind", "person")
    assert result.exit_code == 0, result.output
    assert run_default("search", "Sergey Lavrov").exit_code == 0  # search finds curated facts by it
    checked = run_default("check")
    assert "points nowhere" not in checked.stdout, checked.stdout
    assert checked.exit_code == 0


@pytest.mark.parametrize(
    "text, slip",
    [
        ("Mon 3 Jul 2025", True),
        ("Tues. Sept. 2, 2025", False),
        ("Monday 3rd of July 2025", True),
        ("Thu 3 Jul 2025", False),
        ("Thursday (sic) 3 July 2023", False),
    ],
)
def test_weekday_abbreviations_are_checked(text, slip):
    assert bool(weekday_slips(text)) == slip


def test_a_weekday_slip_inside_what_or_a_source_title_is_found(run, db):
    add_fact(run, what="met on Mon 3 Jul 2025 in Moscow", source="https://example.org/a")
    assert run("edit", "1", "--source", "Reuters, Friday 4 July 2025").exit_code == 0
    out = run("check", str(db)).stdout
    assert "what: weekday does not match the date: 'Mon 3 Jul 2025': 2025-07-03 was a Thursday" in out
    assert "source 2 title: weekday does not match the date: 'Friday 4 July 2025'" not in out  # it was a Friday
