"""Word forms for search: `search recognized` finds "recognised" and "recognizes",
`flags` finds "flag", `Saint Petersburg` finds "St. Petersburg". Pure, import-free.

Search matches a variant at the start of a word (short ones whole), so a form here
is a *stem* that starts every inflection: "recogniz" starts recognize, recognized,
recognizes, recognizing. British and American spellings (-ise/-ize) are both given.
A term in double quotes ("recognized") is that form alone.

A few rules rather than a stemmer library: inflections only (plural, past, -ing,
third person), which is what people type differently; measured against
snowballstemmer and PyStemmer in the README (start-up and matches).
"""

from __future__ import annotations

# Inflection endings, longest first; what is left must keep MIN_STEM letters.
_ENDINGS = ("ing", "ied", "ies", "ed", "es", "s")
MIN_STEM = 4
_ISE_ENDINGS = tuple(f"{root}{end}" for root in ("is", "iz", "ys", "yz") for end in ("e", "ed", "es", "ing"))
# Abbreviations people write either way in names.
_ABBREVIATIONS = {"saint": "st", "st": "saint", "mount": "mt", "mt": "mount", "fort": "ft", "ft": "fort"}


def quoted(term: str) -> bool:
    """Whether a term was typed in double quotes: that form alone."""
    stripped = term.strip()
    return len(stripped) > 2 and stripped.startswith('"') and stripped.endswith('"')


def stems(word: str) -> tuple[str, ...]:
    """The stems that start the forms of a normalised word, itself first."""
    found = [word]
    if len(word) > MIN_STEM and word.isalpha():
        stem = word
        for ending in _ENDINGS:
            if not word.endswith(ending) or len(word) - len(ending) < MIN_STEM:
                continue
            if ending == "s" and word.endswith(("ss", "us", "is")):
                break  # class, status, crisis: not plurals
            stem = word[: -len(ending)]
            break
        if word.endswith(("ies", "ied")) and stem.endswith("i"):
            stem = stem[:-1]
        if len(stem) > MIN_STEM and stem[-1] == stem[-2] and stem[-1] not in "aeiouls":
            stem = stem[:-1]  # flagged: flagg → flag
        if stem.endswith("e") and len(stem) > MIN_STEM:
            stem = stem[:-1]  # recognise: recognis
        found.append(stem)
        if word.endswith(_ISE_ENDINGS):  # recognise/recognize, analyse/analyze
            for a, b in (("is", "iz"), ("iz", "is"), ("ys", "yz"), ("yz", "ys")):
                if stem.endswith(a) and len(stem) >= MIN_STEM + 2:
                    found.append(stem[: -len(a)] + b)
    return tuple(dict.fromkeys(f for f in found if f))


def phrase_forms(phrase: str) -> tuple[str, ...]:
    """A normalised phrase and its forms: the last word's stems, and the usual
    abbreviations of names (saint ↔ st)."""
    parts = phrase.split()
    if not parts:
        return (phrase,)
    forms = [phrase]
    swapped = [_ABBREVIATIONS.get(p, p) for p in parts]
    if swapped != parts:
        forms.append(" ".join(swapped))
    for base in list(forms):
        words = base.split()
        for stem in stems(words[-1])[1:]:
            forms.append(" ".join([*words[:-1], stem]))
    return tuple(dict.fromkeys(forms))
