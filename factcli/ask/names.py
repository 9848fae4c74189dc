"""Names in text: the refs a question or a fact can name (entities of the aliases
table, countries), and finding them in normalised words, longest name first.
Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

from factcli import countries
from factcli.ask.english import DEMONYMS
from factcli.text import normalise


class Ref(NamedTuple):
    """Something a question or a fact can name: an entity of the aliases table or a country."""

    key: str  # how an answer names it
    kind: str  # person, organisation, government, country, …
    names: tuple[str, ...]  # normalised spellings looked for in text
    country: str | None = None  # its ISO alpha-3 code when it is a country
    home: str | None = None  # the country it belongs to (Taliban → AFG), if its names say so
    places: tuple[str, ...] = ()  # the names that stand for it but are places (Kabul, Moscow)


# Words after which a place that stands for a government is the place, not the
# government: "the embassy *in* Kabul", "flew *to* Moscow", "talks *at* the Kremlin".
LOCATIVE = frozenset(
    "in at to from into near outside inside across via toward towards around within visit visited visiting visits".split()
)


def country_names(code: str) -> list[str]:
    found = countries.country(code)
    names = [normalise(n) for n in (found.names if found else ())]
    names = [n for n in names if len(n) > 3]  # codes ("af", "afg") are too often words
    return names + [d for d, c in DEMONYMS.items() if c == code]


def home_of(names: Iterable[str]) -> str | None:
    """The country named inside an entity's names ("Supreme Court of Russia" → RUS)."""
    for name in names:
        words = name.split()
        for size in range(min(3, len(words)), 0, -1):
            for i in range(len(words) - size + 1):
                chunk = " ".join(words[i : i + size])
                if chunk in DEMONYMS:
                    return DEMONYMS[chunk]
                if len(chunk) > 3:
                    code = countries.resolve(chunk)
                    if code:
                        return code
    return None


def _located(words: Sequence[str], i: int) -> bool:
    """True when the name at i stands as a place: after "in", "to", "at the" …"""
    j = i - 1
    while j >= 0 and words[j] in ("the", "a"):
        j -= 1
    return j >= 0 and words[j] in LOCATIVE


class Mention(NamedTuple):
    ref: int
    start: int
    end: int  # token positions, end exclusive


class NameFinder:
    """Finds the refs named in a list of normalised words, longest name first."""

    def __init__(self, refs: Sequence[Ref]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        self.places = {(name, i) for i, ref in enumerate(refs) for name in ref.places}
        for i, ref in enumerate(refs):
            for name in ref.names:
                words = tuple(name.split())
                if words:
                    self.by_first.setdefault(words[0], []).append((words, i))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(
        self, words: Sequence[str], allowed: Callable[[int, int, tuple[str, ...]], bool] | None = None
    ) -> list[Mention]:
        found: list[Mention] = []
        i = 0
        while i < len(words):
            hit = self._match_at(words, i, allowed)
            if hit:
                found.append(hit)
                i = hit.end
            else:
                i += 1
        return found

    def _match_at(self, words: Sequence[str], i: int, allowed) -> Mention | None:
        first = words[i]
        keys = [first] + ([first[:-1]] if first.endswith("s") and len(first) > 2 else [])  # "EU's" → "eus"
        for key in keys:
            for name, ref in self.by_first.get(key, ()):
                end = i + len(name)
                if end > len(words):
                    continue
                if not all(words[i + k] == name[k] for k in range(1, len(name) - 1)):
                    continue
                last = words[end - 1]
                if len(name) == 1:
                    ok = True  # the key already matched (with or without a possessive s)
                else:
                    ok = last == name[-1] or (last == name[-1] + "s")
                if ok and key != first and len(name) > 1:
                    ok = False  # only the last word of a name takes a possessive s
                if ok and self.places and (" ".join(name), ref) in self.places and _located(words, i):
                    return None  # "in Kabul": the city, not the government it stands for
                if ok and (allowed is None or allowed(i, end, name)):
                    return Mention(ref, i, end)
        return None
