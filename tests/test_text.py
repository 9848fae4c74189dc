"""The folding every comparison goes through: the fast path (bytes for ASCII, the
per-character table for the rest) must equal folding each character in turn."""

import unicodedata

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from factcli.text import fold, normalise

FAST = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
DROPPED = "'\u2019\u02bc`."


def reference_fold(text: str) -> str:
    """The definition, one character at a time (what factcli did before the fast path)."""
    out = []
    for char in text:
        decomposed = unicodedata.normalize("NFKD", char) if not char.isascii() else char
        for part in decomposed:
            if unicodedata.combining(part) or part in DROPPED:
                continue
            for folded in part.casefold():
                out.append(folded if folded.isalnum() or folded == "_" or folded.isspace() else " ")
    return " ".join("".join(out).split())


# Every code point, surrogates included (argv bytes that are not UTF-8 become lone surrogates).
ANY_TEXT = st.text(st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=60)
MOSTLY_ASCII = st.text(
    st.one_of(st.characters(max_codepoint=0x7F), st.sampled_from("éüß’«»ÖİẞﬁАяй\u0301\u00a0\u2028\ud800")), max_size=80
)


@FAST
@given(st.one_of(ANY_TEXT, MOSTLY_ASCII))
@example("Milanović")
@example("Milanovic\u0301")
@example("People's Republic of China")
@example("U.S.A.")
@example("Côte d’Ivoire")
@example("Владимир Путин")
@example("\x1c\x1f\t\n a")
@example("İstanbul ẞ ﬁ")
@example("\udcff lone")
def test_fold_equals_the_reference(text):
    assert fold(text) == reference_fold(text)
    assert normalise(text) == fold(text)


@FAST
@given(st.lists(st.one_of(ANY_TEXT, MOSTLY_ASCII), max_size=6))
def test_folding_joined_texts_is_joining_folded_texts(texts):
    """haystack() folds the joined parts of a fact in one pass, on this promise."""
    assert fold(" ".join(texts)) == " ".join(f for f in map(fold, texts) if f)


def test_examples():
    assert fold("  Zoran  MILANOVIĆ ") == "zoran milanovic"
    assert fold("People’s Republic of China") == "peoples republic of china"
    assert fold("U.S.") == "us"
    assert fold("Ghul-Haseen") == "ghul haseen"


def test_every_character_the_escapes_act_on_is_unprintable():
    """escape_line, escape_unsafe, is_safe and formats.dumps skip their regex when
    str.isprintable() accepts the text: sound only if each class holds nothing
    printable (but the backslash, which escape_line checks apart)."""
    from factcli.formats import _JSON_UNSAFE
    from factcli.text import UNPRINTABLE, UNSAFE, pattern

    for char_class in (UNSAFE, UNPRINTABLE, _JSON_UNSAFE):
        matched = [chr(c) for c in range(0x110000) if pattern(char_class).fullmatch(chr(c))]
        assert matched
        assert [c for c in matched if c.isprintable()] == (["\\"] if char_class == UNPRINTABLE else [])


@FAST
@given(ANY_TEXT)
def test_escapes_leave_nothing_unsafe(text):
    from factcli.text import UNPRINTABLE, UNSAFE, escape_line, escape_unsafe, first_unsafe, is_safe, pattern

    assert is_safe(text) == (pattern(UNSAFE).search(text) is None) == (first_unsafe(text) is None)
    assert is_safe(escape_unsafe(text))
    assert not pattern(UNPRINTABLE.replace("\\\\", "")).search(escape_line(text))


def test_the_ascii_table_is_the_folding_table():
    from factcli.text import _ASCII_DROPPED, _ASCII_TABLE, _FOLD

    for code in range(128):
        expected = _FOLD[code]
        if code in _ASCII_DROPPED:
            assert expected == ""
        else:
            assert chr(_ASCII_TABLE[code]) == expected
    assert _ASCII_TABLE[128:] == bytes(range(128, 256))
