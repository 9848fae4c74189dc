"""Text handling shared by every module: the one normaliser, and what is unsafe to print.

Pure: no I/O. Search, the index, `ask` and duplicate detection all compare text
through :func:`normalise`, so they can never disagree about what matches.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Characters a fact may not contain: C0 controls except tab and newline, DEL,
# C1 controls, bidirectional embeddings/overrides/isolates, and lone surrogates
# (what Python makes of bytes that are not UTF-8). They would either act on a
# terminal or could not be written as UTF-8.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
# What escapes must also hide when printing (tab and newline break one-line output).
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\\\\]"
)
_WORD = re.compile(r"\w+")
_NAMED_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", "\\": "\\\\"}


class _FoldTable(dict):
    """Per-character folding, computed once per distinct character, for str.translate.

    A character becomes its NFKD decomposition without combining marks,
    casefolded; apostrophes and dots vanish ("People's" ~ "Peoples", "U.S." ~
    "US"); any other character that is not a letter, digit, underscore or space
    becomes a space. All of these act on single characters, so one translate pass
    over the text gives what applying them in turn to the whole text would.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        decomposed = unicodedata.normalize("NFKD", char) if not char.isascii() else char
        out = []
        for part in decomposed:
            if unicodedata.combining(part) or part in _DROPPED:
                continue
            for folded in part.casefold():
                out.append(folded if folded.isalnum() or folded == "_" or folded.isspace() else " ")
        self[code] = result = "".join(out)
        return result


_DROPPED = frozenset("'\u2019\u02bc`.")
_FOLD = _FoldTable()


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Fold text for matching: NFKD, no diacritics, casefolded, single spaces.

    "Milanović", "MILANOVIC" and the NFD form of "Milanović" all become "milanovic".
    """
    return " ".join(text.translate(_FOLD).split())


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return _WORD.findall(normalise(text))


def first_unsafe(text: str) -> str | None:
    """The first character a fact may not hold, or None."""
    found = _UNSAFE.search(text)
    return found.group() if found else None


def describe_char(char: str) -> str:
    """U+001B (ESCAPE): how an error message names a character."""
    name = unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def escape_line(text: str) -> str:
    r"""Make a value safe for one line of a terminal or a TSV file.

    Tab, newline and backslash become ``\t``, ``\n`` and ``\\``; every other
    control, bidi or surrogate character becomes ``\xNN``/``\uNNNN``, so nothing
    reaches a terminal as a control sequence and one fact stays one line.
    """
    if not _UNPRINTABLE.search(text):
        return text
    return _UNPRINTABLE.sub(_escape_char, text)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_unsafe(text: str) -> str:
    r"""Escape only what a fact may not hold (``\xNN``/``\uNNNN``): lossless for
    every valid value, and safe on a terminal even for a hand-edited file (CSV)."""
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(_escape_char, text)


def make_visible(text: str) -> str:
    """Like :func:`escape_line` but keeps newlines, for multi-line displays."""
    return "\n".join(escape_line(part) for part in text.split("\n"))
