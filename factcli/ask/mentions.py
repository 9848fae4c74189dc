"""The names a question gives: entities and their aliases, countries (codes typed in
capitals, demonyms), and capitalised words no fact knows (a name the facts do not
have, which must not be answered about someone else). Pure: no I/O.
"""

from __future__ import annotations

from factcli import countries
from factcli.ask.english import DEMONYMS, STOPWORDS
from factcli.ask.corpus import Corpus
from factcli.ask.question import Unit
from factcli.ask.tokens import in_dictionary


# Small words inside names ("Anwar *al*-Anouni", "Khalifa *bin* Zayed").
_NAME_PARTICLES = frozenset("al el bin ibn bint de da van von der".split())


def name_units(
    words: list[str], typed: list[str], lead: int, index: Corpus, corrections: dict[str, str]
) -> tuple[list[Unit], list[str], set[int]]:
    """The names a question gives, as units; the names no fact knows; the positions they take."""

    def allowed(start: int, end: int, name: tuple[str, ...]) -> bool:
        # Short names that are also words ("us", "it") count only in capitals or after "the".
        if len(name) == 1 and name[0] in STOPWORDS:
            return typed[start].strip("?,.;:").replace(".", "").isupper() or (start > 0 and words[start - 1] == "the")
        return True

    mentions = index.names.find(words, allowed)
    units: list[Unit] = []
    in_name: set[int] = set()
    for m in mentions:
        in_name.update(range(m.start, m.end))
        surface = " ".join(words[m.start : m.end])
        if any(u.ref == m.ref for u in units):
            # A second name of the same ref ("the Taliban … Kabul") counts as its words.
            units += [Unit(words[i], i, {words[i]: 1.0}) for i in range(m.start, m.end) if words[i] not in STOPWORDS]
            continue
        units.append(Unit(surface, m.start, {}, ref=m.ref, surface=surface))
    _surname_units(words, typed, lead, index, units, in_name)
    unknown = _country_units(words, typed, lead, index, units, in_name)
    named_at = {i for m in mentions for i in range(m.start, m.end)}
    unknown += _unknown_names(words, typed, lead, index, corrections, units, in_name, named_at)
    return units, unknown, in_name


def _surname_units(
    words: list[str], typed: list[str], lead: int, index: Corpus, units: list[Unit], in_name: set[int]
) -> None:
    """A person's surname alone ("what did *takal* say"): that person, when the word is the
    last of a name of one ref only (of any kind, in any place of its names), the dictionary
    does not hold it (else the stemmer would read "takal" as "take"), and no capitalised word
    stands beside it ("Hassan *Akhund*" is another name, not Gul Hassan's surname)."""
    holders = index.surname_holders

    def capitalised(j: int) -> bool:
        return 0 < j < len(typed) and typed[j][:1].isupper()

    for i, w in enumerate(words):
        found = holders.get(w, set())
        if i < lead or i in in_name or len(found) != 1 or -1 in found or len(w) < 4 or in_dictionary(w):
            continue
        if capitalised(i - 1) or capitalised(i + 1):
            continue
        (ref,) = found
        if not any(u.ref == ref for u in units):
            in_name.add(i)
            units.append(Unit(w, i, {}, ref=ref, surface=w))


# Capitalised two-letter words that are abbreviations in English questions before they
# are ISO 3166 alpha-2 codes ("which TV channel", "Australian PM", "AI", "NO").
_ABBREVIATIONS = frozenset("TV PM MP ID AI PR CV NO IS ME TO BY AT BE IN AS DO SO IT AM GM".split())


def _country_units(
    words: list[str], typed: list[str], lead: int, index: Corpus, units: list[Unit], in_name: set[int]
) -> list[str]:
    """Country codes typed in capitals ("RUS", "AFG"; "us" and "in" stay words), countries
    the facts never mention ("France"), and demonyms of them: added to ``units``; the
    countries no fact mentions are returned."""
    unknown: list[str] = []
    for i, w in enumerate(words):
        if i in in_name or i < lead:
            continue
        as_typed = typed[i].strip("?!,.;:'\"()")
        if len(as_typed) in (2, 3) and as_typed.isupper() and as_typed.isalpha():
            # ("TV", "PM": English abbreviations first, though Tuvalu's and Saint Pierre's codes)
            code = None if as_typed in _ABBREVIATIONS else countries.resolve(as_typed)
        else:
            # "India's" is one word, "indias": the country is the word less its possessive s
            bare = w[:-1] if as_typed.endswith(("'s", "’s")) and w.endswith("s") else w
            code = DEMONYMS.get(bare) or (countries.resolve(bare) if len(bare) > 3 and bare not in STOPWORDS else None)
        if not code:
            continue
        in_name.add(i)
        ref = index.country_ref(code)
        if ref is None:
            unknown.append(countries.display_name(code))
            units.append(Unit(w, i, {}, ref=-1, surface=w))
        elif not any(u.ref == ref for u in units):
            units.append(Unit(w, i, {}, ref=ref, surface=w))
    return unknown


def _unknown_names(
    words: list[str],
    typed: list[str],
    lead: int,
    index: Corpus,
    corrections: dict[str, str],
    units: list[Unit],
    in_name: set[int],
    named_at: set[int],
) -> list[str]:
    """A name no fact knows ("When did *Kirgizia* remove …"): a capitalised word, not the
    question's first, that is no word of the facts, of a name or of the language tables.
    Answering without it would answer about someone else."""

    def known_name_word(j: int) -> bool:
        as_typed = typed[j].strip("?!,.;:'\"()")
        capital = any(part[:1].isupper() for part in as_typed.split("-"))  # "al-Anouni"
        return j in named_at or (capital and index.knows(words[j]))

    unknown: list[str] = []
    for i, w in enumerate(words):
        if i in in_name or i < max(lead, 1) or not w.isalpha():
            continue
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(words)]
        near += [j + (j - i) for j in near if words[j] in _NAME_PARTICLES and 0 <= j + (j - i) < len(words)]
        if any(known_name_word(j) for j in near):
            continue  # part of a name the facts know ("Jon Kirbey": John Kirby; "Anwar al-Anouni")
        as_typed = typed[i].strip("?!,.;:'\"()")
        if as_typed[:1].isupper() and not index.knows(w) and w not in corrections.values():
            in_name.add(i)
            unknown.append(as_typed.removesuffix("'s").removesuffix("’s"))
            units.append(Unit(w, i, {}, ref=-1, surface=w))
    return unknown
