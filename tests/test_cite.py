"""Citations: each format escapes text from the database by its own rules."""

import json
import re

from factcli.cite import bib, bibtex, claim_review, jsonld, markdown, md
from factcli.dates import parse_date
from factcli.model import Fact, Source

PLAIN = Fact(
    id="c1",
    who="Russia",
    what="Recognized the Taliban government.",
    when=parse_date("2025-07-03"),
    country=("RUS", "AFG"),
    sources=(
        Source(
            title="Russia recognizes the Taliban",
            publisher="AP",
            url="https://apnews.com/x",
            published="2025-07-03",
            retrieved="2025-07-05",
            quote="Russia on Thursday became the first country",
        ),
        Source(url="https://www.reuters.com/y"),
    ),
    note="Checked against TASS.",
)
# Text that means something in Markdown, LaTeX/BibTeX, HTML or a terminal.
NASTY = Fact(
    id="u 1}",
    who="**Mallory** [x](javascript:alert(1)) <b>",
    what="50% of $5 & {braces} #1 under_score ^ ~ \\cmd </script>\nline two\x1b[31m",
    when=None,
    country=("FRA",),
    sources=(
        Source(
            title="T{i}tle with } brace @misc{evil,",
            publisher="A&B_C",
            url="javascript://%0Aalert(1)",
            quote='she said "no" `code` |pipe|',
        ),
        Source(title="spaces", url="https://example.org/a b{c}\\d(e)"),
    ),
)


def test_markdown_plain():
    text = markdown([PLAIN])
    assert text.startswith(
        "**Russia** — Recognized the Taliban government. (2025-07-03; Russia, Afghanistan) \\[factcli c1\\]\n"
    )
    assert "*Note:* Checked against TASS." in text
    assert (
        '1. [Russia recognizes the Taliban](https://apnews.com/x), *AP*, 2025-07-03, retrieved 2025-07-05: "Russia on Thursday became the first country"'
        in text
    )
    assert "2. [https://www.reuters.com/y](https://www.reuters.com/y)" in text


def test_markdown_escapes_and_never_links_other_schemes():
    text = markdown([NASTY])
    assert "\\*\\*Mallory\\*\\* \\[x\\](javascript:alert(1)) \\<b\\>" in text
    assert "](javascript" not in text.replace("\\](javascript", "")  # no live link to javascript:
    assert "under\\_score" in text and "\\`code\\` \\|pipe\\|" in text
    assert "\x1b" not in text and "\\x1b\\[31m" in text
    assert "line two" in text and "\nline two" not in text  # one line per item
    assert "(https://example.org/a%20b%7Bc%7D%5Cd%28e%29)" in text
    assert md("AT&T &amp; co") == "AT&T \\&amp; co"


def _balanced(text: str) -> bool:
    depth = 0
    for i, c in enumerate(text):
        if c in "{}" and i and text[i - 1] == "\\":
            continue
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_plain():
    text = bibtex([PLAIN])
    assert text.startswith(
        "% factcli c1: Russia: Recognized the Taliban government. (2025-07-03; Russia, Afghanistan)\n\n@misc{factcli:c1:1,\n"
    )
    assert "  title        = {{Russia recognizes the Taliban}},\n" in text
    assert "  howpublished = {AP},\n" in text and "  year         = {2025},\n  month        = jul,\n" in text
    assert "  url          = {https://apnews.com/x},\n  urldate      = {2025-07-05},\n" in text
    assert "Quote: ``Russia on Thursday became the first country''}" in text
    assert "@misc{factcli:c1:2," in text and "title        = {{reuters.com}}" in text
    assert text.count("@") == 2 and _balanced(text)


def test_bibtex_escapes_special_characters():
    text = bibtex([NASTY])
    assert _balanced(text)
    assert text.count("@misc{") == 2  # the title's "@misc{evil," is inside braces: no third entry
    assert text.splitlines()[0].count("@") == 0  # nor in the comment line
    assert "@misc{factcli:u-1:1," in text
    assert (
        r"50\% of \$5 \& \{braces\} \#1 under\_score \^{} \~{} \textbackslash{}cmd \textless{}/script\textgreater{}"
        in text
    )
    assert "{{T\\{i\\}tle with \\} brace @misc\\{evil,}}" in text
    assert "A\\&B\\_C" in text
    assert "url          = {https://example.org/a%20b%7Bc%7D%5Cd%28e%29}" in text
    assert "\x1b" not in text and "\n line two" not in text
    assert bib('say "hi"') == 'say {"}hi{"}'


def test_jsonld_is_a_claim_review():
    review = json.loads(jsonld([PLAIN]))
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == "Russia: Recognized the Taliban government."
    claim = review["itemReviewed"]
    assert claim["@type"] == "Claim" and claim["temporalCoverage"] == "2025-07-03"
    assert claim["spatialCoverage"][0] == {"@type": "Country", "name": "Russia", "identifier": "RUS"}
    assert claim["appearance"][0] == {
        "@type": "CreativeWork",
        "headline": "Russia recognizes the Taliban",
        "url": "https://apnews.com/x",
        "publisher": {"@type": "Organization", "name": "AP"},
        "datePublished": "2025-07-03",
        "text": "Russia on Thursday became the first country",
    }
    assert review["reviewRating"]["alternateName"] == "Sourced"
    assert review["reviewBody"] == "Checked against TASS."
    several = json.loads(jsonld([PLAIN, NASTY]))
    assert [r["@type"] for r in several["@graph"]] == ["ClaimReview", "ClaimReview"]


def test_jsonld_is_exact_when_parsed_and_safe_in_a_script_tag():
    text = jsonld([NASTY])
    assert "</script>" not in text and "<b>" not in text and "&" not in text.replace("\\u0026", "")
    assert "\x1b" not in text
    assert json.loads(text)["claimReviewed"] == f"{NASTY.who}: {NASTY.what}"  # exact data
    assert claim_review(NASTY)["itemReviewed"]["appearance"][0]["url"] == "javascript://%0Aalert(1)"
    assert re.search(r"\\u003c/script\\u003e", text)


def test_cite_command(run, sample):
    assert run("cite", "1").stdout.startswith(
        "**Russia** — recognized the Taliban government (2025-07-03; Afghanistan, Russia) \\[factcli 1\\]"
    )
    bib_text = run("cite", "1", "2", "--format", "bibtex").stdout
    assert "@misc{factcli:1:1," in bib_text and "@misc{factcli:2:1," in bib_text
    assert json.loads(run("cite", "-", "--format", "jsonld", input='{"id": "3"}\n').stdout)["identifier"] == "factcli:3"
    missing = run("cite", "99")
    assert missing.exit_code == 1 and missing.stderr == "factcli: no fact with id 99\n"
