"""`factcli ask`: the answer first, piped and on a terminal, JSON, --explain, no answer."""

from __future__ import annotations

import json
import subprocess
from io import StringIO

import pytest

from factcli.ask.answer import Corpus, answer, answer_with, read
from factcli.ask.english import find_dates, numbers_in, parse_number
from factcli.words import stem
from factcli.store import open_view

from .conftest import ROOT, add_fact, factcli_command


@pytest.fixture(scope="module")
def index():
    view = open_view(str(ROOT / "facts.json"))
    return Corpus(view.facts(), view.aliases())


# ---------------------------------------------------------------- the command


@pytest.mark.parametrize(
    "question, first_line",
    [
        ("When did Russia recognize the Taliban?", "2025-07-03 (Thursday)"),
        ("when did the tallban capture kabul", "2021-08-15 (Sunday)"),
        ("Did Russia recognize the Taliban on 3 July 2023?", "No: 2025-07-03 (Thursday), not 2023-07-03"),
        ("Which countries engaged with the Taliban without recognizing them?", "China, Pakistan"),
        ("who decided that russia would recognise the taliban", "Vladimir Putin"),
        ("who is the taliban ambassador to russia", "Gul Hassan"),
        ("in which country did putin call the taliban allies against terrorism", "Kazakhstan"),
        ("how many countries had embassies in kabul in february 2024", "17"),
        ("how many countries have officially recognized the taliban government", "1"),
        (
            "has china formally recognized the taliban",
            "No: China's foreign ministry spokeswoman Mao Ning welcomed Russia's recognition of the Taliban government. China itself had still not formally recognized the Taliban, although it hosts a Taliban-appointed ambassador.",
        ),
    ],
)
def test_first_line_is_the_answer(run_default, question, first_line):
    result = run_default("ask", question)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0] == first_line


def test_piped_answer_then_facts_as_search_lines(run_default):
    result = run_default("ask", "When did Russia recognize the Taliban?")
    lines = result.stdout.splitlines()
    assert lines[0] == "2025-07-03 (Thursday)"
    facts = lines[1:]
    assert facts and all(line.count("\t") == 7 for line in facts)  # search's eight columns
    assert facts[0].split("\t")[0] == "c1"  # the best supporting fact first
    assert facts[0] == run_default("show", "c1", "--format", "tsv").stdout.rstrip("\n")
    assert "\x1b" not in result.stdout and "┃" not in result.stdout


def test_question_may_be_several_words_without_quotes(run_default):
    assert run_default("ask", "when", "did", "russia", "recognise", "the", "taliban").stdout.startswith("2025-07-03")


def test_json_shape(run_default):
    result = run_default(
        "ask", "--format", "json", "Which countries took the Taliban off their terrorist lists between 2022 and 2024?"
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["answer"] == "Kazakhstan, Kyrgyzstan"
    assert data["type"] == "list"
    assert 0.5 <= data["confidence"] <= 1
    reading = data["reading"]
    assert reading["entities"] == ["Taliban"]
    assert reading["dates"] == [{"text": "2022/2024", "from": "2022-01-01", "to": "2024-12-31", "filter": True}]
    assert "remov" in reading["stems"] or "tak" in reading["stems"]
    assert reading["query"]["since"] == "2022-01-01" and reading["query"]["until"] == "2024-12-31"
    assert sorted(f["id"] for f in data["facts"]) == ["c36", "c37"]
    assert all(f["sources"] and f["sources"][0].get("url") for f in data["facts"])
    assert set(data["facts"][0]) >= {"id", "who", "what", "when", "country", "sources", "note"}


def test_json_without_answer_exits_1(run_default):
    result = run_default("ask", "--format", "json", "who won the 2022 world cup")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["answer"] is None and data["facts"] == [] and "closest" in data


def test_explain_says_how_the_question_was_read(run_default):
    result = run_default("ask", "--explain", "did russia recognise the talban on 3 july 2023")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "No: 2025-07-03 (Thursday), not 2023-07-03"
    explained = result.stderr
    for label in ("type", "entities", "stems", "dates", "spelling", "query", "confidence"):
        assert f"\n{label} " in "\n" + explained, label
    assert "yesno" in explained and "Russia, Taliban" in explained
    assert "recognise → recogn" in explained
    assert "2023-07-03 (2023-07-03..2023-07-03, filter)" in explained
    assert "talban → taliban" in explained
    assert "factcli search" in explained


def test_unknown_exits_1_with_suggestions(run_default):
    result = run_default("ask", "when did india reopen its embassy in kabul")
    assert result.exit_code == 1 and result.stdout == ""
    assert "no answer" in result.stderr and "India" in result.stderr
    vague = run_default("ask", "when did the taliban come to power")
    assert vague.exit_code == 1 and vague.stdout == ""
    assert "closest: c" in vague.stderr and "try: factcli search" in vague.stderr


def test_suggested_search_finds_something(run_default):
    result = run_default("ask", "when did the taliban come to power")
    command = next(line.split("try: ", 1)[1] for line in result.stderr.splitlines() if "try: " in line)
    import shlex

    argv = shlex.split(command)[1:]
    assert run_default(*argv).exit_code == 0


def test_empty_question_is_a_usage_error(run_default):
    result = run_default("ask", " ")
    assert result.exit_code == 2 and "empty" in result.stderr


def test_terminal_rendering(index):
    from factcli.cli.render import answer_view, console

    result = answer_with(index, "who decided that russia would recognise the taliban")
    out = StringIO()
    console(out, width=80, no_color=True).print(answer_view(result.text, result.confidence, result.facts, width=80))
    text = out.getvalue()
    assert text.splitlines()[0] == "Vladimir Putin"
    assert "c3" in text and "Sources" in text and "rg.ru" in text


def test_piped_head_ends_quietly():
    command = " ".join(factcli_command()) + " ask 'When did Russia recognize the Taliban?' | head -1"
    done = subprocess.run(["bash", "-c", f"set -o pipefail; {command}"], capture_output=True, text=True, timeout=60)
    assert done.stdout == "2025-07-03 (Thursday)\n"
    assert "Traceback" not in done.stderr


def test_ask_does_not_import_rich_when_piped():
    command = factcli_command()
    code = (
        "import sys, runpy; sys.argv = ['factcli', 'ask', 'when did russia recognise the taliban'];"
        "from factcli.cli import main\ntry: main()\nexcept SystemExit: pass\n"
        "print('rich' in sys.modules, file=sys.stderr)"
    )
    python = command[0] if command[0].endswith("python") else None
    if python is None:
        import sys

        python = sys.executable
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stderr.strip().endswith("False"), done.stderr


# ---------------------------------------------------------------- a database of one's own


def test_cache_follows_the_database(run, db):
    add_fact(run, who="Atlantis", what="Atlantis joined the League of Islands", when="2020-05-01", country=("Greece",))
    first = run("ask", "when did atlantis join the league of islands")
    assert first.stdout.splitlines()[0] == "2020-05-01 (Friday)"
    add_fact(run, who="Lemuria", what="Lemuria left the League of Islands", when="2021-03-02", country=("Greece",))
    second = run("ask", "when did lemuria leave the league of islands")
    assert second.stdout.splitlines()[0] == "2021-03-02 (Tuesday)"  # the new fact, not a stale cache
    assert run("ask", "when did atlantis join the league of islands").stdout.splitlines()[0] == "2020-05-01 (Friday)"


def test_index_state_round_trip(index):
    import marshal

    restored = Corpus.restore(marshal.loads(marshal.dumps(index.state())))
    assert restored is not None
    for question in (
        "when did russia recognise the taliban",
        "which countries lifted their terrorist bans on the taliban",
        "who was the judge when the supreme court suspended the taliban ban",
    ):
        assert answer_with(restored, question) == answer_with(index, question)
    assert Corpus.restore(("something else",)) is None


# ---------------------------------------------------------------- reading


def test_stems_conflate_forms():
    assert stem("recognise") == stem("recognized") == stem("recognition") == stem("recognizing")
    assert stem("organisations") == stem("organization")
    assert stem("took") == stem("take") and stem("met") == stem("meeting")
    assert stem("news") == "news" and stem("status") == "status"


def test_dates_in_questions():
    [d] = find_dates("which country recognized the taliban in july 2025")
    assert (d.start, d.end, d.hard) == ("2025-07-01", "2025-07-31", True)
    [d] = find_dates("between 2021 and 2025 when did russia lift its ban")
    assert (d.start, d.end) == ("2021-01-01", "2025-12-31")
    [d] = find_dates("did russia recognize the taliban on 3 july 2023")
    assert (d.start, d.exact_day) == ("2023-07-03", True)
    [d] = find_dates("when was the un security council 1988 sanctions regime created")
    assert not d.hard  # a bare year is a hint, not a filter ("resolution 1988")
    [d] = find_dates("before 2024")
    assert d.end == "2023-12-31"
    assert find_dates("no digits here") == []


def test_numbers():
    found = numbers_in(
        "about 1 million tonnes of gasoline and 2 million tonnes of wheat in 2023 on 6 September".split()
    )
    assert [(n.text, n.value, n.unit) for n in found] == [("1 million", 1e6, "tonnes"), ("2 million", 2e6, "tonnes")]
    assert parse_number("$560 million") == 560e6 and parse_number("2,000,000") == 2e6 and parse_number("one") == 1


@pytest.mark.parametrize(
    "question, kind",
    [
        ("When did Russia recognize the Taliban?", "when"),
        ("who proposed recognizing the taliban", "who"),
        ("which afghan president fled", "who"),
        ("in what country was the flag raised", "where"),
        ("which countries lifted their bans", "list"),
        ("how many embassies were in kabul", "count"),
        ("did china welcome it", "yesno"),
        ("as of january 2026 is russia still the only country that has recognised the taliban", "yesno"),
        ("what happened in kabul", "what"),
    ],
)
def test_question_types(index, question, kind):
    assert read(question, index).type == kind


def test_names_demonyms_codes_and_misspellings(index):
    reading = read("when did the russian supreme court lift the talban ban", index)
    assert set(reading.names) == {"Supreme Court of Russia", "Taliban"}  # an alias; a close spelling
    assert reading.corrections == {"talban": "taliban"}
    assert "Russia" in read("When did the RUS government recognise the IEA?", index).names
    assert read("did iran recognize the taliban", index).unknown_names == ["Iran"]
    assert read("tell us about the taliban", index).names == ["Taliban"]  # "us" is a word here


def test_an_organisation_acts_for_its_country(index):
    # "Afghan" in the question, an Afghan coalition as the fact's actor: the same side.
    said = answer_with(index, "did the afghan women's coalition condemn russia's recognition").text
    assert said == "Yes"


def test_answer_is_deterministic(index):
    view = open_view(str(ROOT / "facts.json"))
    a = answer("who is the russian ambassador to afghanistan", view.facts(), view.aliases())
    b = answer_with(index, "who is the russian ambassador to afghanistan")
    assert a.text == b.text == "Dmitry Zhirnov" and a.confidence == b.confidence
