"""Word forms, for search and for `ask` alike (issue 14): one module, so the two agree.

- :func:`stems` and :func:`phrase_forms`, for search: `search recognized` finds
  "recognised" and "recognizes", `flags` finds "flag", `Saint Petersburg` finds
  "St. Petersburg". Search matches a variant at the start of a word (short ones
  whole), so a form here is a *stem* that starts every inflection: "recogniz"
  starts recognize, recognized, recognizes, recognizing. British and American
  spellings (-ise/-ize) are both given. A term in double quotes ("recognized") is
  that form alone.
- :func:`stem`, for `ask`: one stable stem per word, derivations too (recognise,
  recognized, recognition → recogn), irregular forms first (said → say, took → take).
  `tests/test_words.py` checks that the two agree on every inflection of the
  curated facts' words.

A few rules rather than a stemmer library: measured against snowballstemmer and
PyStemmer in the README (start-up and matches). Pure, import-free.
"""

from __future__ import annotations

from functools import lru_cache

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
        for a, b in (("isation", "ization"), ("ization", "isation")):  # organisation/organization
            at = stem.rfind(a)
            if at >= MIN_STEM - 1 and stem[at:] in (a, a + "s"):
                found.append(stem[:at] + b)
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


# ------------------------------------------------------------ stems for `ask`

# Irregular forms, mapped to the form the stemmer then reduces.
IRREGULAR_VERBS = {
    "took": "take",
    "taken": "take",
    "met": "meet",
    "led": "lead",
    "told": "tell",
    "said": "say",
    "sent": "send",
    "fled": "flee",
    "left": "leave",
    "made": "make",
    "held": "hold",
    "began": "begin",
    "begun": "begin",
    "came": "come",
    "went": "go",
    "gone": "go",
    "gave": "give",
    "given": "give",
    "won": "win",
    "froze": "freeze",
    "frozen": "freeze",
    "brought": "bring",
    "bought": "buy",
    "sought": "seek",
    "thought": "think",
    "struck": "strike",
    "stood": "stand",
    "paid": "pay",
    "rose": "rise",
    "risen": "rise",
    "fell": "fall",
    "fallen": "fall",
    "spoke": "speak",
    "spoken": "speak",
    "wrote": "write",
    "written": "write",
    "saw": "see",
    "seen": "see",
    "knew": "know",
    "known": "know",
    "got": "get",
    "gotten": "get",
    "found": "find",
    "kept": "keep",
    "lost": "lose",
    "became": "become",
    "chose": "choose",
    "chosen": "choose",
    "drew": "draw",
    "drawn": "draw",
    "sold": "sell",
    "spent": "spend",
    "withdrew": "withdraw",
    "withdrawn": "withdraw",
    "hung": "hang",
    "ran": "run",
    "shook": "shake",
    "shot": "shoot",
    "taught": "teach",
    "threw": "throw",
    "thrown": "throw",
    "understood": "understand",
    "heard": "hear",
    "meant": "mean",
    "felt": "feel",
    "built": "build",
    "sat": "sit",
}
IRREGULAR = {
    **IRREGULAR_VERBS,
    "says": "say",
    "goes": "go",
    "bigger": "big",
    "biggest": "big",
    "larger": "large",
    "largest": "large",
    "better": "good",
    "best": "good",
    "worse": "bad",
    "worst": "bad",
    "earlier": "early",
    "earliest": "early",
    "later": "late",
    "latest": "late",
    "children": "child",
    "men": "man",
    "women": "woman",
}

# Suffixes, longest first; a stem keeps at least three letters.
_SUFFIXES = sorted(
    (
        "isations",
        "izations",
        "isation",
        "ization",
        "ational",
        "ations",
        "itions",
        "ation",
        "ition",
        "ements",
        "ement",
        "ments",
        "ment",
        "nesses",
        "ness",
        "ings",
        "ing",
        "ising",
        "izing",
        "ised",
        "ized",
        "ises",
        "izes",
        "ise",
        "ize",
        "ists",
        "ist",
        "isms",
        "ism",
        "ions",
        "ion",
        "ities",
        "ity",
        "ously",
        "ous",
        "ally",
        "edly",
        "ied",
        "ies",
        "ed",
        "ers",
        "er",
        "ly",
        "al",
        "es",
        "s",
        "e",
    ),
    key=len,
    reverse=True,
)
_KEEP = frozenset("news gas bus us this his has was is as series species".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, stable stem: recognise, recognized, recognition → recogn.

    Normalised (lower-case, ASCII-folded) words in, stems out; the same word
    always gives the same stem, in questions and in facts alike.
    """
    word = IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha() or word in _KEEP:
        return word
    for _ in range(4):  # strip until nothing more comes off: recognitions → recognition → recogn
        shorter = _strip_once(word)
        if shorter == word:
            break
        word = shorter
    return word


_BY_LENGTH = sorted({len(x) for x in _SUFFIXES}, reverse=True)
_SUFFIX_SET = frozenset(_SUFFIXES)
_ANY_SUFFIX = tuple(_SUFFIXES)


def _strip_once(word: str) -> str:
    if not word.endswith(_ANY_SUFFIX):
        return word
    for size in _BY_LENGTH:
        suffix = word[-size:]
        if suffix not in _SUFFIX_SET or len(word) - size < 3:
            continue
        base = word[:-size]
        if suffix in ("ies", "ied"):
            base += "y"
        elif suffix == "s" and base.endswith(("s", "u", "i")):
            return word  # "press", "status", "thesis": not plurals
        elif suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
            base = word[:-1]  # "states" → "state" → (below) "stat"
            if base.endswith("e"):
                base = base[:-1]
        # Undouble a final consonant left by -ed/-ing ("planned" → "plan").
        if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiouls":
            base = base[:-1]
        return base
    return word
