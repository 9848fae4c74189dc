"""Words as `ask` reads them: a text's normalised words with the raw word each came
from, their stems, and whether a word is English. Pure: no I/O (the word list is
loaded from its package on first need).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from factcli.ask.english import STOPWORDS
from factcli.words import IRREGULAR, stem
from factcli.text import normalise


_SEPARATOR = "qqwordqq"  # a word normalise() keeps as it is, and no text contains


def _normalised(raw: list[str]) -> list[list[str]]:
    """The normalised words of each raw word ("20-organisation" gives two).

    The ASCII words go through :func:`normalise` together, joined by a separator
    word (one call, no Unicode decomposition); the others one by one (cached).
    """
    out: list[list[str]] = [[] for _ in raw]
    plain = [i for i, w in enumerate(raw) if w.isascii() and _SEPARATOR not in w]
    k = 0
    for word in normalise(f" {_SEPARATOR} ".join(raw[i] for i in plain)).split():
        if word == _SEPARATOR:
            k += 1
        else:
            out[plain[k]].append(word)
    plain_set = set(plain)
    for i, w in enumerate(raw):
        if i not in plain_set:
            out[i] = normalise(w.replace(_SEPARATOR, "")).split()
    return out


@lru_cache(maxsize=1)
def _english() -> frozenset[str]:
    """Webster's word list (english-words, loaded on first need: 0.14 s), or nothing."""
    try:
        from english_words import get_english_words_set
    except ImportError:
        return frozenset()
    return frozenset(get_english_words_set(["web2"], lower=True, alpha=True))


def in_dictionary(word: str) -> bool:
    """True for a word the English word list holds as it is written (no form of another:
    "takal" is no form of "take" here, as it is for :func:`is_english`)."""
    return word in _english()


def is_english(word: str) -> bool:
    """True for an English word or a regular form of one ("labelled", "recognised")."""
    words = _english()
    if not words:
        return False
    base = IRREGULAR.get(word, word)
    forms = {base, base[:-1], base[:-2], base[:-3], base[:-2] + "e", base[:-3] + "e", base[:-3] + "y", base[:-4]}
    forms |= {f.replace("is", "iz") for f in forms} | {f[:-1] for f in forms if f.endswith(("ll", "ss"))}
    return any(
        f in words
        for f in forms
        if len(f) >= 3
        and (
            f == base
            or base.endswith(("s", "ed", "ing", "ly", "er", "ise", "ised", "ises", "ising", "ation", "al", "ment"))
        )
    )


def tokenize(text: str) -> tuple[list[str], list[int]]:
    """Normalised words of a text, and for each the index of the raw word it came from."""
    words: list[str] = []
    raw_of: list[int] = []
    for i, parts in enumerate(_normalised(text.split())):
        words += parts
        raw_of += [i] * len(parts)
    return words, raw_of


def stems_of(words: Sequence[str]) -> list[str]:
    """The stem of each word; "" for a stop word (positions are kept)."""
    known = {w: "" if w in STOPWORDS else stem(w) for w in set(words)}
    return [known[w] for w in words]
