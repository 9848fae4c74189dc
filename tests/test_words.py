"""Word forms live in one module, factcli/words.py, and search and `ask` agree on
them (issue 14 item 2): every regular inflection of every word of the curated
facts has the same `ask` stem as the word, and search finds the word from it."""

from __future__ import annotations

import pytest

from factcli.store import open_view
from factcli.text import normalise
from factcli.words import IRREGULAR, stem, stems

from .conftest import ROOT


def _inflections(word: str) -> list[str]:
    """The plural or third person, the past and the -ing form, by the regular rules."""
    base = word[:-1] if word.endswith("e") else word
    plural = word + ("es" if word.endswith(("s", "x", "z", "ch", "sh")) else "s")
    return [plural, base + "ed", base + "ing"]


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for fact in open_view(str(ROOT / "facts.json")).facts():
        words.update(normalise(f"{fact.who} {fact.what}").split())
    # regular verbs and nouns: not already inflected, not an irregular form
    return sorted(
        w
        for w in words
        if w.isalpha()
        and len(w) > 4
        and w not in IRREGULAR
        and not w.endswith(("s", "ed", "ing", "y", "ly", "i"))  # "-i": names (Karimi), no -ied past
    )


VOCABULARY = _vocabulary()


def test_the_vocabulary_is_the_curated_facts():
    assert len(VOCABULARY) > 100 and "recognise" in VOCABULARY


@pytest.mark.parametrize("word", VOCABULARY)
def test_ask_and_search_agree_on_a_word_and_its_inflections(word):
    for form in _inflections(word):
        same_for_ask = stem(form) == stem(word)
        found_by_search = any(word.startswith(s) for s in stems(form))
        assert same_for_ask and found_by_search, (word, form, stem(form), stems(form))


@pytest.mark.parametrize("british, american", [("recognise", "recognize"), ("organisation", "organization")])
def test_british_and_american_spellings_agree(british, american):
    assert stem(british) == stem(american)
    assert set(stems(british)) & set(stems(american))
