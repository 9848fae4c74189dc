"""Text handling shared by every module: the one normaliser, and what is unsafe to print.

Pure: no I/O. Search, the index, `ask` and duplicate detection all compare text
through :func:`normalise`, so they can never disagree about what matches.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Characters a fact may not contain: C0 controls except tab and newline, DEL,
# C1 controls, bidirectional embeddings/overrides/isolates, and lone surrogates
# (what Python makes of bytes that are not UTF-8). They would either act on a
# terminal or could not be written as UTF-8.
UNSAFE = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
# What escapes must also hide when printing (tab and newline break one-line output).
UNPRINTABLE = "[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff\\\\]"
# Every character of these classes but the backslash is one str.isprintable()
# refuses, so text it accepts (nearly all text) needs no regex at all, and the
# classes are compiled (~0.8 ms each) only when some text is not printable.
_WORD = re.compile(r"\w+")


@lru_cache(maxsize=None)
def pattern(char_class: str) -> re.Pattern[str]:
    """A character class, compiled on first use."""
    return re.compile(char_class)


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
        import unicodedata  # only for text beyond ASCII (0.2 ms)

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
# The same folding for ASCII, as a bytes table: str.translate with a dict costs
# ~40 ns a character, bytes.translate ~1 ns. Bytes of non-ASCII characters in
# UTF-8 are all >= 0x80, which the table leaves alone; runs of non-ASCII
# characters are then folded through _FOLD.
# For ASCII the rule above is simply: drop ' . and `, lower letters, keep digits,
# underscore and whitespace, the rest becomes a space (tests/test_text.py checks
# it against the table).
_ASCII_TABLE = bytes(
    (ord(ch.lower()) if ch.isalnum() or ch == "_" or ch.isspace() else 32) for ch in map(chr, range(128))
) + bytes(range(128, 256))
_ASCII_DROPPED = b"'.`"
_NON_ASCII_RUN = re.compile("[^\x00-\x7f]+")


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_FOLD)


def fold(text: str) -> str:
    """Fold text for matching: NFKD, no diacritics, casefolded, single spaces.

    "Milanović", "MILANOVIC" and the NFD form of "Milanović" all become "milanovic".
    Folding works character by character, so folding texts joined by a space
    gives the folded texts joined by a space.
    """
    ascii_folded = text.encode("utf-8", "surrogatepass").translate(_ASCII_TABLE, _ASCII_DROPPED)
    text = ascii_folded.decode("utf-8", "surrogatepass")
    if not text.isascii():
        text = _NON_ASCII_RUN.sub(_fold_run, text)
    return " ".join(text.split())


# Short texts (names, terms, aliases) recur: remember their folded form.
normalise = lru_cache(maxsize=65536)(fold)


def words(text: str) -> list[str]:
    """The normalised words of a text."""
    return _WORD.findall(normalise(text))


def first_unsafe(text: str) -> str | None:
    """The first character a fact may not hold, or None."""
    if text.isprintable():
        return None
    found = pattern(UNSAFE).search(text)
    return found.group() if found else None


def is_safe(text: str) -> bool:
    """Whether a fact may hold this text (no character :data:`UNSAFE` names)."""
    return text.isprintable() or not pattern(UNSAFE).search(text)


def describe_char(char: str) -> str:
    """U+001B (ESCAPE): how an error message names a character."""
    import unicodedata

    name = unicodedata.name(char, "control character")
    return f"U+{ord(char):04X} ({name})"


def escape_line(text: str) -> str:
    r"""Make a value safe for one line of a terminal or a TSV file.

    Tab, newline and backslash become ``\t``, ``\n`` and ``\\``; every other
    control, bidi or surrogate character becomes ``\xNN``/``\uNNNN``, so nothing
    reaches a terminal as a control sequence and one fact stays one line.
    """
    if text.isprintable() and "\\" not in text:
        return text
    return pattern(UNPRINTABLE).sub(_escape_char, text)


# What can start emphasis, code, a link, HTML, a table cell or strikethrough in
# Markdown, and an & that would read as an entity (&amp;). Inside a line nothing else acts.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?\w+;))")


def escape_markdown(text: str) -> str:
    """Text that renders in Markdown as itself: inline special characters escaped
    (the text is one line already: see :func:`escape_line`)."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_unsafe(text: str) -> str:
    r"""Escape only what a fact may not hold (``\xNN``/``\uNNNN``): lossless for
    every valid value, and safe on a terminal even for a hand-edited file (CSV)."""
    if is_safe(text):
        return text
    return pattern(UNSAFE).sub(_escape_char, text)


def make_visible(text: str) -> str:
    """Like :func:`escape_line` but keeps newlines, for multi-line displays."""
    return "\n".join(escape_line(part) for part in text.split("\n"))


def counted(n: int, thing: str, plural: str | None = None) -> str:
    """ "1 fact", "3 facts", "2 entities"."""
    return f"{n} {thing if n == 1 else plural or thing + 's'}"


def listed(names: list[str], most: int = 5) -> str:
    """Names for one line: all of them, or the first ``most`` "and N more"."""
    return ", ".join(names) if len(names) <= most else f"{', '.join(names[:most])} and {len(names) - most} more"
