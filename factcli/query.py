"""Queries as data, evaluated by one function. Pure.

A :class:`Query` is what `search` (and later `ask` and the index) asks;
:func:`run` is the only place that decides whether a fact matches, so every
path to an answer gives the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple

from factcli import countries
from factcli.dates import MAX_DAY, MIN_DAY, DateSpan
from factcli.model import Fact
from factcli.text import fold, normalise, words
from factcli.choices import SORT_KEYS  # noqa: F401  (re-exported)


class Entity(NamedTuple):
    """A person, organisation or government and every name it goes by.

    ``aliases`` are other spellings of the same thing (Russian Federation, Putin,
    Владимир Путин). ``stands_for`` are names of something else that news copy
    uses for it (a capital for its government: Moscow, Kabul, the Kremlin): they
    name the entity as an actor ("Moscow decided"), but a place where they stand
    as one ("talks in Moscow")."""

    name: str
    kind: str = ""
    aliases: tuple[str, ...] = ()
    stands_for: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases, *self.stands_for)

    @classmethod
    def from_stored(cls, doc: Mapping[str, Any]) -> Entity:
        return cls(doc["name"], doc.get("kind", ""), tuple(doc.get("aliases", ())), tuple(doc.get("stands_for", ())))

    def to_dict(self) -> dict[str, Any]:
        out = {"name": self.name, "kind": self.kind, "aliases": list(self.aliases)}
        if self.stands_for:
            out["stands_for"] = list(self.stands_for)
        return out


class AliasIndex:
    """Maps any normalised name of an entity or a country to all its names."""

    def __init__(self, entities: Iterable[Entity] = ()) -> None:
        self.entities = list(entities)
        self._by_name: dict[str, set[int]] = {}
        for i, entity in enumerate(self.entities):
            for name in entity.names:
                self._by_name.setdefault(normalise(name), set()).add(i)

    @property
    def longest_name(self) -> int:
        """How many folded words the longest name has."""
        return max((key.count(" ") + 1 for key in self._by_name), default=1)

    def state(self) -> tuple[list[tuple[Any, ...]], dict[str, set[int]]]:
        """Plain data for a cache (marshal stores no named tuples)."""
        return [tuple(e) for e in self.entities], self._by_name  # type: ignore[misc]

    @classmethod
    def restore(cls, state: tuple[list[tuple[Any, ...]], dict[str, set[int]]]) -> AliasIndex:
        entities, by_name = state
        index = cls()
        index.entities = [Entity(*e) for e in entities]
        index._by_name = by_name
        return index

    def entities_named(self, name: str) -> list[Entity]:
        return [self.entities[i] for i in sorted(self._by_name.get(normalise(name), ()))]

    def variants(self, term: str, stand_ins: bool = True) -> tuple[str, ...]:
        """The normalised spellings a term stands for, the term itself first. Without
        ``stand_ins`` (a plain search), a "stands for" name is not followed either way:
        `search Kabul` finds the city, not every Taliban fact; `--who Kabul` and `ask`
        follow it."""
        key = normalise(term)
        found = [key]
        for entity in self.entities_named(term):
            own = (entity.name, *entity.aliases)
            if not stand_ins and key not in {normalise(n) for n in own}:
                continue  # the term is only a stand-in for this entity
            found += (normalise(n) for n in (entity.names if stand_ins else own))
        code = _country_of_term(term)
        if code:  # its names, and its alpha-3 code (two-letter codes are too often words)
            names = countries.country(code).names  # type: ignore[union-attr]
            found += [n for n in map(normalise, names) if len(n) > 3] + [code.lower()]
        return tuple(dict.fromkeys(v for v in found if v))

    def group_phrases(self, terms: Sequence[str]) -> list[str]:
        """Join consecutive terms that together are a known name (`Vladimir Putin`).

        No name is longer than the longest alias or country name in folded words, and
        a term that is not mere punctuation folds to one word or more, so no longer
        phrase is tried: a long question costs time in proportion to its length, not
        to its cube."""
        longest = max(self.longest_name, countries.longest_name())
        grouped: list[str] = []
        i = 0
        while i < len(terms):
            for j in range(min(len(terms), i + longest), i + 1, -1):
                phrase = " ".join(terms[i:j])
                if normalise(phrase) in self._by_name or _country_of_term(phrase):
                    grouped.append(phrase)
                    i = j
                    break
            else:
                grouped.append(terms[i])
                i += 1
        return grouped


def _country_of_term(term: str) -> str | None:
    """A country a free-text term names. Two- and three-letter codes count only
    when typed in capitals ("US", "RUS"), so the words "in" or "us" stay words."""
    stripped = term.strip()
    if len(normalise(stripped)) <= 3 and not stripped.replace(".", "").isupper():
        return None
    return countries.resolve(stripped)


class Query(NamedTuple):
    """What to look for. Every given part must match (repeated filters too)."""

    terms: tuple[str, ...] = ()
    who: tuple[str, ...] = ()
    what: tuple[str, ...] = ()
    country: tuple[str, ...] = ()  # ISO alpha-3 codes
    tags: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    date_from: str = MIN_DAY  # a fact matches when its span overlaps [date_from, date_to]
    date_to: str = MAX_DAY
    sort: str = "when"
    limit: int | None = None
    either: tuple[tuple[str, ...], ...] = ()  # `A OR B`: each group matches if any of its terms does
    exclude: tuple[str, ...] = ()  # `NOT A`, --not A: facts that match these do not match
    any_of: bool = False  # --any: the terms, and each repeated filter, match if any value does

    @property
    def has_dates(self) -> bool:
        return self.date_from != MIN_DAY or self.date_to != MAX_DAY

    @staticmethod
    def window(
        since: DateSpan | None = None, until: DateSpan | None = None, during: DateSpan | None = None
    ) -> tuple[str, str]:
        """The day range that --since/--until/--during leave open."""
        lo, hi = MIN_DAY, MAX_DAY
        if since:
            lo = max(lo, since.start)
        if until:
            hi = min(hi, until.end)
        if during:
            lo, hi = max(lo, during.start), min(hi, during.end)
        return lo, hi


class Result:
    """The matches of a query, sorted and cut to its limit, and how many there were."""

    __slots__ = ("facts", "total")

    def __init__(self, facts: list[Fact], total: int) -> None:
        self.facts = facts  # the matches, sorted, cut to the limit
        self.total = total  # how many matched before the limit


def whole_words_only(variant: str) -> bool:
    """Whether a variant matches only as whole words: a short one ("us" is not
    "usa"). Longer ones match at the start of a word. The index's FTS5 queries
    follow the same rule."""
    return len(variant) <= 3


def _contains(haystack: str, variant: str) -> bool:
    """Word-start match on normalised text; short words must match whole."""
    if whole_words_only(variant):
        return f" {variant} " in f" {haystack} "
    return f" {variant}" in f" {haystack}"


# What the search text of a fact is made of, and how it is folded: caches and
# indexes of search texts are valid only for the same version.
SEARCH_TEXT_VERSION = 2


def haystack(fact: Fact) -> str:
    """All of a fact's searchable text, normalised, as one string."""
    parts = [fact.who, fact.what, fact.note, *fact.tags]
    # A country appears by its readable name and code; a term naming a country
    # in any other way reaches it through AliasIndex.variants.
    for code in fact.country:
        parts += [countries.display_name(code), code]
    for source in fact.sources:
        parts += [source.title, source.publisher, source.url, source.quote]
    return fold(" ".join(parts))  # one pass: folding the joined parts is joining the folded ones


def cited_text(fact: Fact) -> str:
    """What --source searches: each source's title, publisher, URL and quote, normalised."""
    return fold(" ".join(f"{s.title} {s.publisher} {s.url} {s.quote}" for s in fact.sources))


def _spellings(term: str, aliases: AliasIndex) -> tuple[str, ...]:
    """What a free-text term matches: its aliases' and country names, each with its
    word forms (words.py); a term in double quotes is that form alone."""
    from factcli.words import phrase_forms, quoted

    if quoted(term):
        return (normalise(term),)
    return tuple(dict.fromkeys(f for v in aliases.variants(term, stand_ins=False) for f in phrase_forms(v)))


class Matcher:
    """A query compiled against the alias table: the predicate :func:`run` applies."""

    def __init__(self, query: Query, aliases: AliasIndex) -> None:
        self.query = query
        terms = aliases.group_phrases(list(query.terms))
        self.terms = [(t, _spellings(t, aliases)) for t in terms]
        for group in query.either:  # one group of all the alternatives' spellings
            spellings = [v for t in group for v in _spellings(t, aliases)]
            self.terms.append((" OR ".join(group), tuple(dict.fromkeys(spellings))))
        if query.any_of and len(self.terms) > 1:
            self.terms = [
                (" OR ".join(t for t, _ in self.terms), tuple(dict.fromkeys(v for _, vs in self.terms for v in vs)))
            ]
        self.excluded = [_spellings(t, aliases) for t in query.exclude]
        self.who = [aliases.variants(w) for w in query.who]
        if query.any_of and len(self.who) > 1:
            self.who = [tuple(dict.fromkeys(v for vs in self.who for v in vs))]
        self.what = [(normalise(w),) for w in query.what]
        self.source = [(normalise(s),) for s in query.source]
        self.tags = {normalise(t) for t in query.tags}

    def __call__(self, fact: Fact, text: str | None = None) -> bool:
        q = self.query
        if q.has_dates:
            if fact.when is None or not (fact.when.start <= q.date_to and fact.when.end >= q.date_from):
                return False
        if q.country and not (any if q.any_of else all)(code in fact.country for code in q.country):
            return False
        if self.tags:
            mine = {normalise(t) for t in fact.tags}
            if not (self.tags & mine if q.any_of else self.tags <= mine):
                return False
        if not _all_match(self.who, normalise(fact.who)):
            return False
        if not _all_match(self.what, normalise(fact.what)):
            return False
        if self.source:
            cited = cited_text(fact)
            if not _all_match(self.source, cited):
                return False
        if self.terms or self.excluded:
            text = haystack(fact) if text is None else text
            if any(any(_contains(text, v) for v in group) for group in self.excluded):
                return False
            return _all_match([v for _, v in self.terms], text)
        return True


def _all_match(groups: Iterable[tuple[str, ...]], text: str) -> bool:
    return all(any(_contains(text, v) for v in group) for group in groups)


def id_key(fact_id: str) -> tuple[str, int]:
    """How ids sort: by prefix, then number ("c2" before "c10"). The SQLite index
    stores the two parts, so its order is this one."""
    head = fact_id.rstrip("0123456789")
    tail = fact_id[len(head) :]
    # clamped to SQLite's integers: a hand-edited "x9223372036854775808" sorts last, not crashes
    return head, min(int(tail), _ID_NUM_MAX) if tail else -1


_ID_NUM_MAX = 2**63 - 1


def _days(day: str) -> int:
    from datetime import date

    return date.fromisoformat(day).toordinal()


def sort_key(sort: str, window: tuple[str, str] = (MIN_DAY, MAX_DAY)):
    """A key function for :func:`sorted`; undated facts sort last either way. "fit"
    puts first the facts whose span lies most within ``window`` (the date filter):
    fewest days outside it, then the shortest span, then by date."""

    def by_id(fact: Fact) -> tuple[str, int]:
        return id_key(fact.id)

    if sort == "fit":
        by_date = sort_key("when")
        lo, hi = window

        def by_fit(fact: Fact):
            if fact.when is None:
                return (1, 0, 0, by_date(fact))
            start, end = _days(fact.when.start), _days(fact.when.end)
            inside = max(0, min(end, _days(hi)) - max(start, _days(lo)) + 1)
            return (0, (end - start + 1) - inside, end - start, by_date(fact))

        return by_fit

    if sort in ("when", "-when"):
        sign = -1 if sort == "-when" else 1

        def by_when(fact: Fact):
            if fact.when is None:
                return (1, 0, by_id(fact))
            # ISO days compare as strings; turn them into numbers to flip the order.
            start = int(fact.when.start.replace("-", "")) * sign
            end = int(fact.when.end.replace("-", "")) * sign
            return (0, start, end, by_id(fact))

        return by_when
    if sort == "who":
        return lambda f: (normalise(f.who), by_id(f))
    if sort == "created":
        return lambda f: (f.created, by_id(f))
    return by_id


def run(query: Query, facts: Iterable[Fact], aliases: AliasIndex) -> Result:
    """Every fact that matches the query, sorted and cut to its limit."""
    match = Matcher(query, aliases)
    found = [fact for fact in facts if match(fact)]
    found.sort(key=sort_key(query.sort, (query.date_from, query.date_to)))
    total = len(found)
    if query.limit is not None and query.limit > 0:
        found = found[: query.limit]
    return Result(found, total)


def did_you_mean(query: Query, vocabulary: Iterable[str], aliases: AliasIndex) -> list[str]:
    """Close spellings of the words of free-text terms and names that match no word
    of the facts (``vocabulary``: their normalised words) or of the aliases."""
    import difflib

    known = set(vocabulary)
    for entity in aliases.entities:
        for name in entity.names:
            known.update(words(name))
    ordered = sorted(known)
    suggestions: list[str] = []
    for term in (*query.terms, *query.who, *query.what):
        for word in words(term):
            # a word of under 4 characters, or with a digit (u9, g20), is too short or too
            # code-like for a spelling to be "close" (u9 proposed us9)
            if len(word) < 4 or any(c.isdigit() for c in word) or any(k.startswith(word) for k in ordered):
                continue
            suggestions += difflib.get_close_matches(
                word, [k for k in ordered if not any(c.isdigit() for c in k)], n=2, cutoff=0.75
            )
    return list(dict.fromkeys(suggestions))
