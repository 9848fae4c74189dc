"""Questions in plain English, answered from the facts. Pure: no click, no rich, no I/O.

Three steps, each a function over plain data:

1. :func:`read` turns a question into a :class:`Reading`: its type (when, who,
   where, list, count, yes/no, what), the names in it (through the aliases
   table, countries, demonyms, and close spellings), its key words as stems
   (with a few synonyms), and its dates ("in July 2025", "between 2021 and 2025").
2. :meth:`Index.rank` ranks the facts: BM25F over their normalised text (who
   and what weigh more than notes and sources), plus matches of the names in
   the question, plus agreement with its dates.
3. :func:`answer` takes the field the question asks for from the best facts
   (a date, a name, a country, a count, yes or no) and says how sure it is;
   below :data:`THRESHOLD` it gives no answer.

Deterministic and offline: the same facts and question give the same answer.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import Any, NamedTuple

from . import countries
from .dates import MAX_DAY, MIN_DAY
from .english import (
    DEMONYMS,
    IRREGULAR,
    IRREGULAR_VERBS,
    NEGATORS,
    NUMBER_WORDS,
    PHRASAL,
    QUESTION_WORDS,
    STOPWORDS,
    THESAURUS,
    THESAURUS_WORDS,
    DateMention,
    Number,
    find_dates,
    numbers_in,
    stem,
)
from .model import Fact
from .query import AliasIndex, Query
from .text import normalise

THRESHOLD = 0.5  # below this confidence, no answer
INDEX_FORMAT = 1  # bump when what Index.state() holds, or how it is read, changes
TYPES = ("when", "who", "where", "list", "count", "yesno", "what")

# Field weights of BM25F: who did it and what they did count most.
FIELD_WEIGHTS = {"who": 2.0, "what": 1.5, "tags": 0.8, "country": 0.5, "note": 0.6, "sources": 0.25}
# How much a match in a field counts towards coverage (the share of the question a fact answers).
FIELD_TRUST = {"who": 1.0, "what": 1.0, "tags": 0.9, "country": 0.8, "note": 0.6, "sources": 0.35}
STRONG_FIELDS = ("who", "what")
_READ_IN_FULL = ("who", "what", "note")  # with positions and names; the other fields are only counted
K1, B = 1.2, 0.75
SYNONYM_WEIGHT = 0.75
FUZZY_WEIGHT = 0.85
SUBJECT_BONUS = 1.0  # the fact's actor is the question's subject
PROXIMITY = 0.8  # weight of neighbouring question words found close together

_AUX = frozenset("did does do has have had is was were are can could will would should".split())
_PREPOSITIONS = frozenset("in on at to for with from about after before by during of into over since until than that who which whose when while where as".split())
_ORDER_WORDS = {"first": "first", "earliest": "first", "last": "last", "latest": "last", "most recently": "last"}
_PRONOUNS = frozenset("he she they it".split())
_QUANTITY_WORDS = frozenset("worth cost value amount total sum figure number".split())
_RELATIVE = frozenset("that who which whose whom when while where before after since because".split())


# ------------------------------------------------------------------ names


class Ref(NamedTuple):
    """Something a question or a fact can name: an entity of the aliases table or a country."""

    key: str  # how an answer names it
    kind: str  # person, organisation, government, country, …
    names: tuple[str, ...]  # normalised spellings looked for in text
    country: str | None = None  # its ISO alpha-3 code when it is a country
    home: str | None = None  # the country it belongs to (Taliban → AFG), if its names say so


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


def tokenize(text: str) -> tuple[list[str], list[int]]:
    """Normalised words of a text, and for each the index of the raw word it came from."""
    words: list[str] = []
    raw_of: list[int] = []
    for i, parts in enumerate(_normalised(text.split())):
        words += parts
        raw_of += [i] * len(parts)
    return words, raw_of


def _stems(words: Sequence[str]) -> list[str]:
    """The stem of each word; "" for a stop word (positions are kept)."""
    known = {w: "" if w in STOPWORDS else stem(w) for w in set(words)}
    return [known[w] for w in words]


def _country_names(code: str) -> list[str]:
    found = countries.country(code)
    names = [normalise(n) for n in (found.names if found else ())]
    names = [n for n in names if len(n) > 3]  # codes ("af", "afg") are too often words
    return names + [d for d, c in DEMONYMS.items() if c == code]


def _home_of(names: Iterable[str]) -> str | None:
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


class Mention(NamedTuple):
    ref: int
    start: int
    end: int  # token positions, end exclusive


class NameFinder:
    """Finds the refs named in a list of normalised words, longest name first."""

    def __init__(self, refs: Sequence[Ref]) -> None:
        self.by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for i, ref in enumerate(refs):
            for name in ref.names:
                words = tuple(name.split())
                if words:
                    self.by_first.setdefault(words[0], []).append((words, i))
        for entries in self.by_first.values():
            entries.sort(key=lambda e: -len(e[0]))

    def find(self, words: Sequence[str], allowed: Callable[[int, int, tuple[str, ...]], bool] | None = None) -> list[Mention]:
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
                if ok and (allowed is None or allowed(i, end, name)):
                    return Mention(ref, i, end)
        return None


# ------------------------------------------------------------------ the index


class Field(NamedTuple):
    words: list[str]
    stems: list[str]
    mentions: list[Mention]
    raw: list[str]
    raw_of: list[int]
    breaks: frozenset[int] = frozenset()  # word positions followed by a comma or a full stop
    sentence_ends: frozenset[int] = frozenset()  # word positions that end a sentence


_NO_FIELD = Field([], [], [], [], [])  # a field kept only as counts


class Doc(NamedTuple):
    """A fact prepared for ranking and reading."""

    fact: Fact
    fields: dict[str, Field]
    counts: dict[str, dict[str, int]]  # field → stem → occurrences
    refs: dict[int, float]  # ref → how strongly the fact names it (1 who/what, .8 its country, .5 note)
    lengths: dict[str, int]  # field → words that count (BM25 length)
    joined: dict[str, str]  # " who words ", " what words ": for phrase tests


class Index:
    """The facts and names, prepared once: BM25 statistics, vocabulary, mentions."""

    def __init__(self, facts: Iterable[Fact], aliases: AliasIndex) -> None:
        """Read every fact and name (see :meth:`restore` for a cached index)."""
        self.facts = list(facts)
        self.refs: list[Ref] = []
        self._ref_of_country: dict[str, int] = {}
        self._build_refs(aliases)
        self.names = NameFinder(self.refs)
        self.docs = [self._doc(f) for f in self.facts]
        n = len(self.docs)
        self.df: dict[str, int] = {}
        for doc in self.docs:
            seen = set().union(*(set(c) for c in doc.counts.values()))
            for s in seen:
                self.df[s] = self.df.get(s, 0) + 1
        self.ref_df: dict[int, int] = {}
        for doc in self.docs:
            for r in doc.refs:
                self.ref_df[r] = self.ref_df.get(r, 0) + 1
        self.avg_len = {name: (sum(d.lengths[name] for d in self.docs) / n if n else 1.0) or 1.0 for name in FIELD_WEIGHTS}
        self.name_words = {w for ref in self.refs for name in ref.names for w in name.split()}

    # -- a prepared index as plain data (lists, tuples, dicts, strings, numbers)
    def state(self) -> tuple[Any, ...]:
        """Everything read from the facts and names, as plain data for a cache."""
        docs = []
        for doc in self.docs:
            fields = {}
            for name, f in doc.fields.items():
                if name in _READ_IN_FULL:
                    flat = [x for m in f.mentions for x in (m.ref, m.start, m.end)]
                    fields[name] = (f.words, f.stems, flat, f.raw_of, sorted(f.breaks), sorted(f.sentence_ends))
            docs.append((fields, doc.refs, doc.counts, doc.lengths))
        refs = [(r.key, r.kind, r.names, r.country, r.home) for r in self.refs]
        stats = (self.df, self.ref_df, self.avg_len, sorted(self.name_words))
        return (INDEX_FORMAT, [f.to_dict() for f in self.facts], refs, self._ref_of_country, docs, stats)

    @classmethod
    def restore(cls, state: Any) -> Index | None:
        """The index :meth:`state` was taken from (facts included); None when it does not fit."""
        import gc

        index = cls.__new__(cls)
        gc.disable()  # thousands of new objects, none of them garbage
        try:
            return index if state is not None and index._load(state) else None
        finally:
            gc.enable()

    def _load(self, state: Any) -> bool:
        try:
            version, records, refs, by_country, docs, stats = state
            if version != INDEX_FORMAT:
                return False
            self.facts = [Fact.from_stored(r) for r in records]
            self.df, self.ref_df, self.avg_len, name_words = stats
            self.name_words = set(name_words)
            self.refs = [Ref(key, kind, tuple(names), country, home) for key, kind, names, country, home in refs]
            self._ref_of_country = dict(by_country)
            self.names = NameFinder(self.refs)
            self.docs = []
            for fact, (fields, weights, counts, lengths) in zip(self.facts, docs):
                texts = {"what": fact.what, "note": fact.note, "who": fact.who}
                built = {name: _NO_FIELD for name in FIELD_WEIGHTS}
                for name, (words, stems, flat, raw_of, breaks, ends) in fields.items():
                    mentions = [Mention(flat[i], flat[i + 1], flat[i + 2]) for i in range(0, len(flat), 3)]
                    raw = texts[name].split() if name in texts else []
                    built[name] = Field(words, stems, mentions, raw, raw_of, frozenset(breaks), frozenset(ends))
                joined = {name: f" {' '.join(built[name].words)} " for name in STRONG_FIELDS}
                self.docs.append(Doc(fact, built, counts, weights, lengths, joined))
        except (TypeError, ValueError, KeyError, IndexError):
            return False
        return True

    def knows(self, word: str) -> bool:
        """True for a word of the facts, of a name, or of the language tables."""
        return (
            stem(word) in self.df
            or word in self.name_words
            or word in STOPWORDS
            or word in QUESTION_WORDS
            or word in DEMONYMS
            or word in NUMBER_WORDS
            or word in THESAURUS_WORDS
        )

    @cached_property
    def _fuzzy_by_initial(self) -> dict[str, list[str]]:
        """Every known word by its first letter, for spelling correction (built on first need)."""
        words = set(self.name_words) | set(DEMONYMS) | set(THESAURUS_WORDS)
        for doc in self.docs:
            for name in _READ_IN_FULL:
                words.update(doc.fields[name].words)
        found: dict[str, list[str]] = {}
        for w in sorted(words):
            if len(w) >= 4 and w.isalpha() and w not in STOPWORDS:
                found.setdefault(w[0], []).append(w)
        return found

    # -- names
    def _build_refs(self, aliases: AliasIndex) -> None:
        used_codes = sorted({c for f in self.facts for c in f.country})
        for entity in aliases.entities:
            names = tuple(dict.fromkeys(n for n in map(normalise, entity.names) if n))
            code = countries.resolve(entity.name)
            if code:
                names = tuple(dict.fromkeys(names + tuple(_country_names(code))))
                self._ref_of_country.setdefault(code, len(self.refs))
            home = code or (None if entity.kind == "person" else _home_of(names))
            self.refs.append(Ref(entity.name, entity.kind or "other", names, code, home))
        for code in used_codes:
            if code not in self._ref_of_country:
                self._ref_of_country[code] = len(self.refs)
                self.refs.append(Ref(countries.display_name(code), "country", tuple(_country_names(code)), code, code))

    def country_ref(self, code: str) -> int | None:
        return self._ref_of_country.get(code)

    def display(self, ref: int) -> str:
        r = self.refs[ref]
        return countries.display_name(r.country) if r.country else r.key

    # -- facts
    def _field(self, text: str) -> Field:
        """A field read in full: words, stems, names, and where clauses and sentences end."""
        words, raw_of = tokenize(text)
        stems = _stems(words)
        mentions = self.names.find(words)
        for m in mentions:  # a name is matched as a name, never by stem ("Takal" is not "take")
            for i in range(m.start, m.end):
                stems[i] = words[i]
        raw = text.split()
        ends = {i for i, w in enumerate(raw) if w.rstrip("'\"’”)»").endswith((",", ";", ":", ".", "!", "?"))}
        last = {i for i in range(len(words)) if i + 1 == len(words) or raw_of[i + 1] != raw_of[i]}
        breaks = frozenset(i for i in last if raw_of[i] in ends)
        full_stops = {j for j, w in enumerate(raw) if _ends_sentence(w) and (j + 1 == len(raw) or raw[j + 1][:1].isupper())}
        sentence_ends = frozenset(i for i in last if raw_of[i] in full_stops)
        return Field(words, stems, mentions, raw, raw_of, breaks, sentence_ends)

    @staticmethod
    def _counted(text: str) -> tuple[Field, dict[str, int]]:
        """A field read for its stem counts alone (tags, countries, sources)."""
        words, _ = tokenize(text)
        counts: dict[str, int] = {}
        for s in _stems(words):
            if s:
                counts[s] = counts.get(s, 0) + 1
        return _NO_FIELD, counts

    def _doc(self, fact: Fact) -> Doc:
        fields = {"who": self._field(fact.who), "what": self._field(fact.what), "note": self._field(fact.note)}
        extra = {
            "tags": self._counted(" ".join(fact.tags)),
            "country": self._counted(" ".join(countries.display_name(c) for c in fact.country)),
            "sources": self._counted(" ".join(f"{s.title} {s.quote}" for s in fact.sources)),
        }
        fields.update({name: field for name, (field, _) in extra.items()})
        counted = {name: counts for name, (_, counts) in extra.items()}
        refs: dict[int, float] = {}
        for m in fields["note"].mentions:
            refs[m.ref] = 0.5
        for code in fact.country:
            r = self.country_ref(code)
            if r is not None:
                refs[r] = max(refs.get(r, 0.0), 0.8)
        for name in STRONG_FIELDS:
            for m in fields[name].mentions:
                refs[m.ref] = 1.0
        return _make_doc(fact, fields, refs, counted)

    # -- statistics
    def idf(self, df: int) -> float:
        n = len(self.docs)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def unit_idf(self, unit: Unit) -> float:
        if unit.ref is not None:
            return self.idf(self.ref_df.get(unit.ref, 0)) if unit.ref >= 0 else self.idf(0)
        df = sum(1 for d in self.docs if any(v in c for c in d.counts.values() for v in unit.variants))
        return self.idf(df)

    def correct(self, word: str) -> str | None:
        """A close spelling from the vocabulary for a word the facts do not know."""
        if len(word) < 4 or not word.isalpha() or self.knows(word):
            return None
        import difflib

        # Typing slips rarely touch the first letter: "talban", "rudenco", "recieve".
        pool = self._fuzzy_by_initial.get(word[0], [])
        close = difflib.get_close_matches(word, pool, n=1, cutoff=0.8)
        return close[0] if close else None

    # -- ranking
    @staticmethod
    def _proximity(reading: Reading, doc: Doc, matched: dict[int, tuple[float, str]]) -> float:
        """Term proximity: neighbouring words of the question that sit close together
        in what the fact says ("Russia's ambassador to Afghanistan") count extra."""
        f = doc.fields["what"]

        def spots(k: int) -> list[tuple[int, int]]:
            unit = reading.units[k]
            if unit.ref is not None:
                return [(m.start, m.end - 1) for m in f.mentions if m.ref == unit.ref]
            return [(i, i) for i in _positions(f, unit.variants)]

        bonus = 0.0
        keys = [k for k in range(len(reading.units)) if k in matched]
        for a, b in zip(keys, keys[1:]):
            gaps = [max(sb - ea, sa - eb) for sa, ea in spots(a) for sb, eb in spots(b)]
            gaps = [g for g in gaps if g >= 1]
            if gaps and min(gaps) <= 3:
                bonus += PROXIMITY * (reading.idf[a] + reading.idf[b]) / 2 / min(gaps)
        return bonus

    def rank(self, reading: Reading, docs: Sequence[Doc] | None = None, dates: bool = True) -> list[Scored]:
        """The facts scored against a reading, best first (BM25F + names + dates)."""
        pool = self.docs if docs is None else docs
        scored = []
        for doc in pool:
            s = self.score(reading, doc, dates)
            if s.score > 0:
                scored.append(s)
        scored.sort(key=lambda s: (-s.score, _id_key(s.doc.fact.id)))
        return scored

    def score(self, reading: Reading, doc: Doc, dates: bool = True) -> Scored:
        total = 0.0
        matched: dict[int, tuple[float, str]] = {}
        for k, unit in enumerate(reading.units):
            idf = reading.idf[k]
            if unit.ref is not None:
                strength = doc.refs.get(unit.ref, 0.0) if unit.ref >= 0 else 0.0
                if strength and unit.surface and _surface_in(doc, unit.surface):
                    strength = min(1.2, strength + 0.2)
                if strength:
                    total += idf * (K1 + 1) * strength
                    matched[k] = (min(strength, 1.0), "what" if strength >= 1 else ("country" if strength >= 0.8 else "note"))
                continue
            tf = 0.0
            best: tuple[float, str] = (0.0, "")
            for name, weight in FIELD_WEIGHTS.items():
                counts = doc.counts[name]
                length = doc.lengths[name]
                raw = sum(counts.get(v, 0) * w for v, w in unit.variants.items())
                if raw:
                    tf += weight * raw / (1 - B + B * length / self.avg_len[name])
                    quality = max(w for v, w in unit.variants.items() if counts.get(v)) * FIELD_TRUST[name] * unit.quality
                    if quality > best[0]:
                        best = (quality, name)
            if tf:
                total += idf * tf * (K1 + 1) / (tf + K1)
                matched[k] = best
        total += self._proximity(reading, doc, matched)
        agree = _date_agreement(reading, doc.fact) if dates else 0.0
        if agree and total:
            total += 0.8 * agree
        if reading.subject is not None and total and any(m.ref == reading.subject for m in doc.fields["who"].mentions):
            total += SUBJECT_BONUS
        denominator = sum(reading.idf) or 1.0
        coverage = sum(reading.idf[k] * q for k, (q, _) in matched.items()) / denominator
        strong = sum(reading.idf[k] * q for k, (q, where) in matched.items() if where in FIELD_TRUST and FIELD_TRUST[where] >= 0.8) / denominator
        return Scored(doc, total, coverage, matched, strong)


def _make_doc(fact: Fact, fields: dict[str, Field], refs: dict[int, float], counted: dict[str, dict[str, int]]) -> Doc:
    counts: dict[str, dict[str, int]] = dict(counted)
    for name in _READ_IN_FULL:
        c: dict[str, int] = {}
        for s in fields[name].stems:
            if s:
                c[s] = c.get(s, 0) + 1
        counts[name] = c
    lengths = {name: sum(c.values()) for name, c in counts.items()}
    joined = {name: f" {' '.join(fields[name].words)} " for name in STRONG_FIELDS}
    return Doc(fact, fields, counts, refs, lengths, joined)


def _ends_sentence(word: str) -> bool:
    """A word that closes a sentence: "Kabul." does, "U.S." and "St." do not."""
    word = word.rstrip("'\"’”)»")
    if word.endswith(("!", "?")):
        return True
    if not word.endswith("."):
        return False
    core = word.rstrip(".")
    return "." not in core and (len(core) >= 4 or core.isdigit())


def _id_key(fact_id: str) -> tuple[str, int]:
    head = fact_id.rstrip("0123456789")
    tail = fact_id[len(head) :]
    return head, int(tail) if tail else -1


def _surface_in(doc: Doc, surface: str) -> bool:
    return any(f" {surface} " in doc.joined[n] for n in STRONG_FIELDS)


def _date_agreement(reading: Reading, fact: Fact) -> float:
    """1 when the fact's date overlaps every date the question gives, 0 when one misses."""
    if not reading.dates:
        return 0.0
    if fact.when is None:
        return 0.0
    for d in reading.dates:
        if not (fact.when.start <= d.end and fact.when.end >= d.start):
            return 0.0
    return 1.0


class Scored(NamedTuple):
    doc: Doc
    score: float
    coverage: float  # idf-weighted share of the question's words and names the fact holds
    matched: dict[int, tuple[float, str]]  # unit → (quality, field where it matched best)
    strong_coverage: float = 0.0  # the same, counting only who, what, tags and countries

    @property
    def fact(self) -> Fact:
        return self.doc.fact


# ------------------------------------------------------------------ reading a question


class Unit(NamedTuple):
    """One thing the question asks about: a word (as stems) or a name (a ref)."""

    text: str  # as read (after spelling correction)
    position: int  # token index in the question
    variants: dict[str, float]  # stem → weight ({} for a name)
    ref: int | None = None  # a name: index into Index.refs; -1 for a name the facts never use
    surface: str = ""  # the name as typed, normalised
    quality: float = 1.0  # lower for a corrected spelling
    corrected_from: str = ""


class Reading(NamedTuple):
    """How a question was read."""

    question: str
    type: str
    words: list[str]
    units: list[Unit]
    names: list[str]  # display names of the refs in the question
    unknown_names: list[str]  # names the question uses that no fact mentions
    dates: list[DateMention]
    corrections: dict[str, str]
    focus: list[str]  # stems of the predicate (the verb the question turns on)
    role: list[str]  # stems of the role asked for ("ambassador" in "who is the … ambassador")
    role_refs: list[int]  # refs inside the role phrase ("Taliban" in "the Taliban ambassador")
    object_question: bool  # "who did X meet": the answer is the object, not the subject
    order: str  # "first" / "last" when the question asks for the earliest or latest
    excluding: list[str]  # stems of a "without …" clause
    unit_of_count: str  # the stem counted in "how many X"
    subject: int | None = None  # the ref the question makes the actor ("did *Russia* recognize …")
    location: bool = False  # "where …", "in which country …": a place, not an actor
    asks_subject: bool = False  # "who decided …", "which country sent …": the answer is the actor
    relation: tuple[str, str, str] | None = None  # ("after", "did A", "did B") in "did A after B"
    describe: int | None = None  # "who is Zamir Kabulov": the ref to describe
    idf: tuple[float, ...] = ()  # how rare each unit is in the facts
    query: Query = Query()  # the `factcli search` it amounts to

    @property
    def hard_dates(self) -> list[DateMention]:
        return [d for d in self.dates if d.hard]

    @property
    def question_refs(self) -> set[int]:
        return {u.ref for u in self.units if u.ref is not None and u.ref >= 0}

    def to_dict(self) -> dict[str, Any]:
        q = self.query
        return {
            "type": self.type,
            "entities": self.names,
            "unknown_entities": self.unknown_names,
            "stems": [sorted(u.variants, key=lambda v: -u.variants[v])[0] for u in self.units if u.ref is None],
            "dates": [{"text": d.text, "from": d.start, "to": d.end, "filter": d.hard} for d in self.dates],
            "corrections": self.corrections,
            "focus": self.focus,
            "query": {
                "terms": list(q.terms),
                "country": list(q.country),
                "since": q.date_from if q.date_from != MIN_DAY else None,
                "until": q.date_to if q.date_to != MAX_DAY else None,
            },
        }


def _question_type(words: list[str]) -> tuple[str, int]:
    """The type of a question and how many leading words say it."""
    w = words + ["", "", ""]
    if w[0] in ("and", "so", "please", "ok"):
        kind, n = _question_type(words[1:])
        return kind, n + 1
    if w[0] == "when" or (w[0] in ("what", "which") and w[1] in ("date", "day", "year", "month", "time")):
        return "when", 1 if w[0] == "when" else 2
    if w[0] in ("in", "on") and w[1] in ("what", "which") and w[2] in ("year", "date", "day", "month"):
        return "when", 3
    if w[0] == "how" and w[1] in ("many", "much"):
        return "count", 2
    if w[0] == "where":
        return "where", 1
    if w[0] in ("in", "to", "from") and w[1] in ("what", "which") and w[2] in ("country", "place", "city", "nation"):
        return "where", 3
    if w[0] in ("what", "which"):
        if w[1] in ("countries", "nations", "states", "governments"):
            return "list", 2
        if w[1] in ("country", "countrys", "nation", "place", "city"):  # "which country's …"
            return "where", 2
        if w[1] in _AUX or w[1] in ("kind", "sort") or (w[0] == "what" and _looks_like_verb(w, 1)):
            return "what", 1  # "what is …", "what happened …"
        return "who", 1  # "which afghan president …", "what official …"
    if w[0] in ("who", "whom", "whose"):
        return "who", 1
    if w[0] in _AUX:
        return "yesno", 0
    return "what", 0


def read(question: str, index: Index) -> Reading:
    """Read a question: its type, names, key words (stems), dates and focus."""
    text = " ".join(question.replace("\u2019", "'").split()).rstrip("?!. ")
    lowered = text.casefold()
    dates = find_dates(lowered)
    blanked = list(text)
    for d in dates:
        if d.hard:
            for i in range(*d.span):
                blanked[i] = " "
    raw_words = "".join(blanked).split()
    words, raw_of = tokenize("".join(blanked))
    kind, lead = _question_type(words)

    corrections: dict[str, str] = {}
    for i, w in enumerate(words):
        if i < lead or w in _AUX:
            continue
        fixed = index.correct(w)
        if fixed:
            corrections[w] = fixed
            words[i] = fixed

    def allowed(start: int, end: int, name: tuple[str, ...]) -> bool:
        # Short names that are also words ("us", "it") count only in capitals or after "the".
        if len(name) == 1 and name[0] in STOPWORDS:
            typed = raw_words[raw_of[start]].strip("?,.;:")
            return typed.replace(".", "").isupper() or (start > 0 and words[start - 1] == "the")
        return True

    mentions = index.names.find(words, allowed)
    units: list[Unit] = []
    unknown: list[str] = []
    in_name = set()
    for m in mentions:
        in_name.update(range(m.start, m.end))
        surface = " ".join(words[m.start : m.end])
        if any(u.ref == m.ref for u in units):
            # A second name of the same ref ("the Taliban … Kabul") counts as its words.
            for i in range(m.start, m.end):
                if words[i] not in STOPWORDS:
                    units.append(Unit(words[i], i, {words[i]: 1.0}))
            continue
        units.append(Unit(surface, m.start, {}, ref=m.ref, surface=surface))
    # Country codes typed in capitals ("RUS", "AFG"; "us" and "in" stay words),
    # countries the facts never mention ("France"), and demonyms of them.
    for i, w in enumerate(words):
        if i in in_name or i < lead:
            continue
        typed = raw_words[raw_of[i]].strip("?!,.;:'\"()")
        if len(typed) in (2, 3) and typed.isupper() and typed.isalpha():
            code = countries.resolve(typed)
        else:
            code = DEMONYMS.get(w) or (countries.resolve(w) if len(w) > 3 and w not in STOPWORDS else None)
        if not code:
            continue
        in_name.add(i)
        ref = index.country_ref(code)
        if ref is None:
            unknown.append(countries.display_name(code))
            units.append(Unit(w, i, {}, ref=-1, surface=w))
        elif not any(u.ref == ref for u in units):
            units.append(Unit(w, i, {}, ref=ref, surface=w))

    # Phrasal verbs ("took … off" = removed) and the words themselves.
    particle_of: dict[int, str] = {}
    for i, w in enumerate(words):
        base = IRREGULAR.get(w, w)
        for (verb, particle), meaning in PHRASAL.items():
            if stem(base) == stem(verb):
                for j in range(i + 1, min(i + 5, len(words))):
                    if words[j] == particle:
                        particle_of[i] = meaning
                        break
    for i, w in enumerate(words):
        if i < lead or i in in_name or w in STOPWORDS or w in QUESTION_WORDS:
            continue
        if kind == "count" and w in _QUANTITY_WORDS:
            continue  # "how much was … worth": the asking, not the topic
        if not any(c.isalnum() for c in w):
            continue
        s = stem(particle_of.get(i, w))
        variants = {s: 1.0}
        for other in THESAURUS.get(s, ()):
            variants.setdefault(other, SYNONYM_WEIGHT)
        if i in particle_of:
            variants.setdefault(stem(IRREGULAR.get(w, w)), 0.6)
        if any(u.ref is None and s in u.variants and u.variants[s] == 1.0 for u in units):
            continue
        original = next((k for k, v in corrections.items() if v == w), "")
        units.append(Unit(w, i, variants, quality=FUZZY_WEIGHT if original else 1.0, corrected_from=original))
    # Soft dates (a bare year such as "the 2022 deal") stay words too: "resolution 1988".
    units.sort(key=lambda u: u.position)

    focus, role, role_refs, object_question = _focus(words, lead, kind, units, in_name)
    location = kind == "where" and bool(words) and words[0] in ("where", "in", "at")
    after_wh = words[lead] if lead < len(words) else ""
    asks_subject = kind in ("who", "where", "list") and not location and after_wh not in ("did", "does", "do") and not (kind == "who" and role)
    order = ""
    for w in words:
        if w in _ORDER_WORDS and kind in ("when", "who"):
            order = _ORDER_WORDS[w]
    excluding: list[str] = []
    if "without" in words:
        k = words.index("without")
        excluding = [stem(w) for w in words[k + 1 : k + 3] if w not in STOPWORDS][:1]
        units = [u for u in units if u.position < k]
    unit_of_count = ""
    if kind == "count" and lead < len(words) and words[1] == "many":
        nxt = [w for w in words[lead:] if w not in STOPWORDS and not (DEMONYMS.get(w))]
        unit_of_count = stem(nxt[0]) if nxt else ""

    names = [index.display(u.ref) for u in units if u.ref is not None and u.ref >= 0]
    subject = None
    aux = next((i for i in range(lead, min(lead + 2, len(words))) if words[i] in _AUX), None)
    if aux is not None and not (kind in ("who", "where", "list") and words[aux] in ("is", "was", "are", "were")):
        first = aux + 1
        while first < len(words) and words[first] in ("the", "a", "an"):
            first += 1
        subject = next((u.ref for u in units if u.ref is not None and u.ref >= 0 and u.position == first), None)
    describe = None
    if kind == "who" and lead < len(words) and words[lead] in ("is", "was", "are", "were"):
        rest = [i for i in range(lead + 1, len(words)) if words[i] not in STOPWORDS]
        named = [u for u in units if u.ref is not None and u.ref >= 0]
        if rest and named and all(i in in_name for i in rest):
            describe = named[0].ref
    relation = None
    if kind == "yesno":
        for k in range(lead + 3, len(words) - 1):
            if words[k] in ("after", "before"):
                main = words[:k]
                how = words[k]
                if main[-2:] == ["the", "day"]:
                    main, how = main[:-2], f"day {how}"
                relation = (how, " ".join(main), "did " + " ".join(words[k + 1 :]))
                break
    idf = tuple(index.unit_idf(u) for u in units)
    return Reading(
        question=text,
        type=kind,
        words=words,
        units=units,
        names=list(dict.fromkeys(names)),
        unknown_names=unknown,
        dates=dates,
        corrections=corrections,
        focus=focus,
        role=role,
        role_refs=role_refs,
        object_question=object_question,
        order=order,
        excluding=excluding,
        unit_of_count=unit_of_count,
        subject=subject,
        location=location,
        asks_subject=asks_subject,
        relation=relation,
        describe=describe,
        idf=idf,
        query=_as_query(units, idf, dates, index),
    )


def _focus(words: list[str], lead: int, kind: str, units: list[Unit], in_name: set[int]) -> tuple[list[str], list[str], list[int], bool]:
    """The predicate (verb stems), the role asked for, and whether the answer is an object.

    "who decided …" asks for the subject of "decided"; "who did X meet" for its
    object; "who is the Taliban ambassador to Russia" for whoever holds the role
    "ambassador" (with "Taliban" part of the role, not the answer).
    """
    rest = list(range(lead, len(words)))
    content = [i for i in rest if words[i] not in STOPWORDS and words[i] not in QUESTION_WORDS and i not in in_name and not words[i].isdigit()]
    ref_at = {u.position: u.ref for u in units if u.ref is not None}
    object_question = False
    role: list[str] = []
    role_refs: list[int] = []
    focus: list[str] = []
    if kind in ("who", "where", "list") and lead < len(words):
        first = words[lead] if lead < len(words) else ""
        if first in ("did", "does", "do") and kind != "list":
            object_question = kind == "who"
            # "who did the Russian ambassador meet in Kabul": the verb is the last
            # word before the first preposition.
            stop = next((i for i in rest[1:] if words[i] in _PREPOSITIONS), len(words))
            verbs = [i for i in content if i < stop]
            focus = [stem(words[verbs[-1]])] if verbs else []
            return focus, role, role_refs, object_question
        if first in ("is", "was", "are", "were") or kind == "who" and words[lead - 1] in ("which", "what"):
            # "who is the X to Y when …", "which afghan president fled …": X is the
            # role (its head is the last word before a preposition); names in the
            # phrase and its complements ("to Russia", "of the Taliban") belong to it.
            start = lead + (1 if first in _AUX else 0)
            while start < len(words) and words[start] in ("the", "a", "an"):
                start += 1
            end = start
            head_end = None
            while end < len(words):
                w = words[end]
                if w in _AUX and end > start or w in _RELATIVE or (end > start and end not in in_name and _looks_like_verb(words, end)):
                    break
                if w in _PREPOSITIONS and end > start:
                    head_end = head_end or end
                    nxt = end + 1
                    while nxt < len(words) and words[nxt] in ("the", "a", "an"):
                        nxt += 1
                    if not (w == "of" or nxt in in_name):
                        break
                end += 1
            head_end = head_end or end
            for i in range(start, head_end):
                if i not in in_name and words[i] not in STOPWORDS and words[i] not in _ORDER_WORDS and not words[i].isdigit():
                    role.append(stem(words[i]))
            for u in units:
                if u.ref is not None and u.ref >= 0 and start <= u.position < end:
                    role_refs.append(u.ref)
            after = [i for i in content if i >= end and words[i] not in _ORDER_WORDS]
            verbs = [i for i in after if _looks_like_verb(words, i)]
            focus = [stem(words[(verbs or after)[0]])] if after else []
            return focus, role[-1:], role_refs, object_question
    if kind == "count" and words[lead - 1] == "many" and content:
        content = content[1:]  # "how many countries have recognized …": the unit is not the verb
    if kind in ("who", "where", "list") and lead < len(words) and words[lead] not in _AUX:
        # "who accepted copies …", "which countries took …": the verb comes first
        # (after a possessive: "which countries' heads of state accepted …").
        candidates = [i for i in content if words[i] not in _ORDER_WORDS and not words[i].endswith("ly")]
        verbs = [i for i in candidates if _looks_like_verb(words, i)]
        chosen = (verbs or candidates)[:1]
        return ([stem(words[chosen[0]])] if chosen else []), role, role_refs, object_question
    # Otherwise the verb is the first content word followed by a function word or
    # a name: "did China *welcome* Russia's …", "did the … ruling *amount* to …".
    # A word that can only be a verb ("raised", "to recognise") comes first:
    # "was China the first country *to recognise* …".
    candidates = [i for i in content if words[i] not in _ORDER_WORDS and not words[i].endswith("ly")]
    sure = [i for i in candidates if _looks_like_verb(words, i)]
    verbs = [i for i in candidates if i + 1 >= len(words) or words[i + 1] in STOPWORDS or (i + 1) in in_name]
    chosen = (sure or verbs or candidates)[:1]
    focus = [stem(words[chosen[0]])] if chosen else []
    return focus, role, role_refs, object_question


_BASE_VERBS = frozenset(IRREGULAR_VERBS.values())


def _looks_like_verb(words: list[str], i: int) -> bool:
    """A past form ("raised", "took"), a common irregular verb ("come", "take"),
    or an infinitive ("to accept")."""
    if i >= len(words):
        return False
    w = words[i]
    return (w.endswith("ed") and len(w) > 4) or w in IRREGULAR_VERBS or w in _BASE_VERBS or (i > 0 and words[i - 1] == "to" and w not in STOPWORDS)


def _as_query(units: list[Unit], idfs: tuple[float, ...], dates: list[DateMention], index: Index) -> Query:
    """The `factcli search` query a reading amounts to: its names and rarest words, its dates."""
    terms: list[str] = []
    codes: list[str] = []
    for unit, idf in sorted(zip(units, idfs), key=lambda p: -p[1]):
        if unit.ref is not None and unit.ref >= 0:
            ref = index.refs[unit.ref]
            if ref.country:
                codes.append(ref.country)
            else:
                terms.append(unit.surface)
        elif unit.ref is None and len([t for t in terms if " " not in t]) < 2:
            # search matches word starts: a stem finds every form ("recogn"), but a
            # short one must match whole, so then the word as typed ("power", not "pow")
            main = max(unit.variants, key=lambda v: unit.variants[v])
            terms.append(main if len(main) >= 4 and unit.text.startswith(main) else unit.text)
    lo, hi = MIN_DAY, MAX_DAY
    for d in dates:
        if d.hard:
            lo, hi = max(lo, d.start), min(hi, d.end)
    return Query(terms=tuple(dict.fromkeys(terms)), country=tuple(dict.fromkeys(codes)), date_from=lo, date_to=hi)


# ------------------------------------------------------------------ answering


class Answer(NamedTuple):
    """What `ask` says: the answer line, how sure, and the facts behind it."""

    question: str
    type: str
    text: str | None  # the answer line; None when it does not know
    confidence: float
    reading: Reading
    facts: list[Fact]  # the supporting facts, best first
    scores: list[float]
    reason: str = ""  # why there is no answer, or what the answer rests on
    closest: list[Fact] = []  # when there is no answer (never changed in place)
    search: Query | None = None  # a search to try when there is no answer

    @property
    def known(self) -> bool:
        return self.text is not None

    def to_dict(self) -> dict[str, Any]:
        """Everything but the facts themselves (formats.py writes those)."""
        out: dict[str, Any] = {
            "question": self.question,
            "answer": self.text,
            "type": self.type,
            "confidence": round(self.confidence, 3),
            "reading": self.reading.to_dict(),
            "reason": self.reason,
            "scores": self.scores,
        }
        if not self.known:
            out["closest"] = [f.id for f in self.closest]
            out["suggestion"] = search_command(self.search) if self.search else None
        return out

    def explain(self) -> list[str]:
        """How the question was read, one "label  value" line each."""
        r = self.reading
        d = r.to_dict()
        rows = [
            ("question", r.question),
            ("type", f"{r.type} ({_TYPE_LABELS.get(r.type, r.type)})"),
            ("entities", ", ".join(d["entities"] + [f"{n} (not in the facts)" for n in d["unknown_entities"]]) or "none"),
            ("stems", ", ".join(f"{u.text} → {'/'.join(u.variants)}" for u in r.units if u.ref is None) or "none"),
            ("dates", ", ".join(f"{x.text} ({x.start}..{x.end}, {'filter' if x.hard else 'hint'})" for x in r.dates) or "none"),
            ("spelling", ", ".join(f"{a} → {b}" for a, b in r.corrections.items()) or "as typed"),
            ("verb", ", ".join(r.focus) or "none"),
        ]
        if r.role:
            rows.append(("role", ", ".join(r.role)))
        if r.relation:
            rows.append(("relation", f"{r.relation[1]!r} {r.relation[0]} {r.relation[2][4:]!r}"))
        rows.append(("query", search_command(r.query)))
        if self.known:
            rows.append(("facts", ", ".join(f"{f.id} ({sc})" for f, sc in zip(self.facts, self.scores))))
        else:
            rows.append(("closest", ", ".join(f.id for f in self.closest) or "none"))
        rows.append(("confidence", f"{self.confidence:.2f} (answers from {THRESHOLD:.2f})" + (f"; {self.reason}" if self.reason else "")))
        return [f"{label:<11}{value}" for label, value in rows]


_TYPE_LABELS = {
    "when": "a date",
    "who": "a name",
    "where": "a country",
    "list": "countries",
    "count": "a number",
    "yesno": "yes or no",
    "what": "a fact",
}


def search_command(query: Query) -> str:
    """The `factcli search` command line a query amounts to."""
    import shlex

    parts = ["factcli", "search", *(shlex.quote(t) for t in query.terms)]
    for code in query.country:
        parts += ["--country", code]
    if query.date_from != MIN_DAY:
        parts += ["--since", query.date_from]
    if query.date_to != MAX_DAY:
        parts += ["--until", query.date_to]
    return " ".join(parts)


def answer(question: str, facts: Iterable[Fact], aliases: AliasIndex, threshold: float = THRESHOLD) -> Answer:
    """Answer a question from the facts (builds the index; see :func:`answer_with`)."""
    return answer_with(Index(facts, aliases), question, threshold)


def answer_with(index: Index, question: str, threshold: float = THRESHOLD) -> Answer:
    reading = read(question, index)
    handler = _HANDLERS.get(reading.type, _answer_what)
    if reading.unknown_names:
        result = _Result(None, 0.0, [], f"no fact mentions {', '.join(reading.unknown_names)}")
    elif not reading.units:
        result = _Result(None, 0.0, [], "the question names nothing the facts hold")
    else:
        result = handler(index, reading)
    ranked = index.rank(reading)
    if result.text is None or result.confidence < threshold:
        why = result.reason if result.text is None else f"not sure enough ({result.confidence:.2f} < {threshold})"
        closest = [s.fact for s in ranked[:3] if s.coverage >= 0.3]
        return Answer(question, reading.type, None, result.confidence, reading, [], [], why, closest, _suggest(reading, index))
    facts = [s.fact for s in result.support]
    return Answer(question, reading.type, result.text, min(1.0, result.confidence), reading, facts, [round(s.score, 3) for s in result.support], result.reason)


class _Result(NamedTuple):
    text: str | None
    confidence: float
    support: list[Scored]
    reason: str = ""


def _suggest(reading: Reading, index: Index) -> Query | None:
    """A `factcli search` that finds something, built from the reading (fewer terms until it does)."""
    from .query import run

    query = reading.query
    aliases = AliasIndex([])
    terms = list(query.terms)
    while True:
        q = Query(terms=tuple(terms), country=query.country, date_from=query.date_from, date_to=query.date_to)
        if (terms or q.country) and run(q, index.facts, aliases).total:
            return q
        if terms:
            terms.pop()
        elif q.country:
            query = Query(date_from=query.date_from, date_to=query.date_to)
        else:
            return None


def _candidates_pool(index: Index, reading: Reading) -> list[Scored]:
    """The ranked facts a wh-question may be answered from: those its date filters allow."""
    hard = reading.hard_dates
    docs = [d for d in index.docs if all(d.fact.when and d.fact.when.start <= h.end and d.fact.when.end >= h.start for h in hard)]
    return index.rank(reading, docs)


def _gate(reading: Reading, best: Scored) -> float:
    """How much to trust a fact as the answer's ground: its coverage, less for missing names."""
    conf = best.coverage
    for k, unit in enumerate(reading.units):
        if unit.ref is not None and k not in best.matched:
            conf *= 0.6
    return conf


def date_label(day: str) -> str:
    """2025-07-03 (Thursday)."""
    import calendar
    from datetime import date

    return f"{day} ({calendar.day_name[date.fromisoformat(day).weekday()]})"


def _weekday_label(fact: Fact) -> str:
    if fact.when is None:
        return ""
    day = fact.when.weekday()
    return f"{fact.when.text} ({day})" if day else fact.when.text


def _near_top(ranked: list[Scored], share: float = 0.75) -> list[Scored]:
    if not ranked:
        return []
    top = ranked[0].score
    return [s for s in ranked if s.score >= share * top]


# -- when


def _answer_when(index: Index, reading: Reading) -> _Result:
    ranked = [s for s in _candidates_pool(index, reading) if s.fact.when is not None]
    if not ranked:
        return _Result(None, 0.0, [], "no dated fact matches")
    best = ranked[0]
    if reading.order:
        close = [s for s in _near_top(ranked, 0.8) if s.coverage >= 0.8 * best.coverage]
        pick = min if reading.order == "first" else max
        best = pick(close, key=lambda s: (s.fact.when.start if reading.order == "first" else s.fact.when.end))  # type: ignore[union-attr]
    support = [best] + [s for s in ranked[:3] if s is not best and s.score >= 0.6 * ranked[0].score]
    confidence = _gate(reading, best)
    predicate = _predicate(reading)
    if predicate and not _has(best.doc, predicate, ("what", "who", "note")):
        confidence *= 0.75  # "when did Putin meet …": no fact says he met them
    exact = _date_in_text(reading, best.doc)
    return _Result(exact or _weekday_label(best.fact), confidence, support)


def _date_in_text(reading: Reading, doc: Doc) -> str | None:
    """A day the fact's text gives for what the question asks, when the fact's own
    date is less exact: "arrived in Moscow on 1 July 2025" in a fact dated
    2025-06/2025-07-01; "Resolution 2611 of 17 December 2021" in one dated 2011/..."""
    when = doc.fact.when
    if when is None or when.is_day:
        return None
    f = doc.fields["what"]
    text = " ".join(f.raw).casefold()
    best: tuple[float, str] | None = None
    for mention in find_dates(text):
        if not mention.exact_day:
            continue
        raw_index = len(text[: mention.span[0]].split())
        token = next((i for i, r in enumerate(f.raw_of) if r >= raw_index), len(f.words))
        at = Mention(-1, token, token + 1)
        near = 0.0
        for k, unit in enumerate(reading.units):
            spots = [x.start for x in f.mentions if x.ref == unit.ref] if unit.ref is not None else _positions(f, unit.variants)
            before = [p for p in spots if p < token and _content_between(f, p + 1, token) <= 3 and not _clause_between(f, p, token)]
            if before:
                near += reading.idf[k] * (2.0 if any(v in reading.focus for v in unit.variants) else 1.0)
        if near and (best is None or near > best[0]):
            day = date_label(mention.start)
            best = (near, day)
    return best[1] if best else None


# -- who, where: names in the best facts


def _positions(f: Field, variants: dict[str, float]) -> list[int]:
    return [i for i, s in enumerate(f.stems) if s in variants]


def _distance(spots: Iterable[int], m: Mention) -> int:
    return min((m.start - p if p < m.start else max(0, p - (m.end - 1)) for p in spots), default=99)


def _attachment(reading: Reading, f: Field, m: Mention) -> float:
    """How closely the question's words sit around a mention: Σ idf / (1 + distance),
    the verb the question turns on counting double."""
    total = 0.0
    for k, unit in enumerate(reading.units):
        if unit.ref is not None:
            spots = [x.start for x in f.mentions if x.ref == unit.ref]
        else:
            spots = _positions(f, unit.variants)
        if not spots:
            continue
        weight = 2.0 if any(v in reading.focus for v in unit.variants) else 1.0
        total += weight * reading.idf[k] / (1 + _distance(spots, m))
    return total


def _syntax_bonus(reading: Reading, f: Field, m: Mention) -> tuple[float, bool]:
    """Where a mention stands against the question's verb in the fact, and
    whether the verb is negated there.

    Asked for a subject ("who accepted …"), the name just before the verb
    ("Xi Jinping formally accepted"), after "by" ("taken by … Putin") or after
    the verb's noun and "of" ("on the proposal of … Lavrov") is the one; asked
    for an object ("who did X meet"), the name just after the verb. A comma or
    a full stop in between breaks the link ("Zhirnov, the decision …"); a
    negated verb ("Pakistan itself had not formally recognized") links the name
    to what it did *not* do.
    """
    if not reading.focus:
        return 0.0, False
    spots = _positions(f, _predicate(reading))
    if reading.object_question:
        linked = [p for p in spots if 0 < m.start - p <= 6 and not _clause_between(f, p, m.start)]
        return (0.8 if linked else 0.0), False
    bonus, denied = 0.0, False
    for p in spots:
        if p > m.end - 1 and _content_between(f, m.end, p) <= 3 and not _clause_between(f, m.end - 1, p):
            if _negated_at(f, p):
                denied = True
            else:
                bonus = 0.8
                break
    for p in spots:
        between = f.words[p + 1 : m.start]
        if 0 < m.start - p <= 6 and not _clause_between(f, p, m.start) and ("by" in between or between[:1] == ["of"]):
            bonus += 0.8  # "was taken by President Vladimir Putin", "the proposal of … Lavrov"
            break
    return bonus, denied and not bonus


def _clause_between(f: Field, a: int, b: int) -> bool:
    """True when a comma or a full stop separates positions a < b."""
    return any(a <= i < b for i in f.breaks)


def _mentions_of_doc(doc: Doc) -> list[tuple[str, Mention]]:
    """Every mention in what and note, plus "he/she" in what standing for the who."""
    found = [(name, m) for name in ("what", "note") for m in doc.fields[name].mentions]
    who_refs = [m.ref for m in doc.fields["who"].mentions]
    if who_refs:
        for i, w in enumerate(doc.fields["what"].words):
            if w in _PRONOUNS - {"it", "they"}:
                found.append(("what", Mention(who_refs[0], i, i + 1)))
    return found


class _Slot:
    """How well one name fills the answer's place in one fact."""

    __slots__ = ("score", "subject", "subject_in_note", "located", "denied")

    def __init__(self) -> None:
        self.score = 0.0
        self.subject = False  # it stands where the question's subject would, in what the fact says
        self.subject_in_note = False  # … in the curator's note
        self.located = False  # it follows "in", "to" or "at" (a place)
        self.denied = False  # it is the subject of the question's verb, negated


def _mention_scores(reading: Reading, doc: Doc) -> dict[int, _Slot]:
    """The best mention of each name in a fact: closeness to the question's words,
    place against its verb, closeness to the role asked for (notes count half)."""
    slots: dict[int, _Slot] = {m.ref: _Slot() for m in doc.fields["who"].mentions}
    for fname, m in _mentions_of_doc(doc):
        f = doc.fields[fname]
        syntax, denied = _syntax_bonus(reading, f, m)
        score = _attachment(reading, f, m) + syntax
        if reading.role:
            spots = _positions(f, {r: 1.0 for r in reading.role})
            if spots:
                score += 2.0 / (1 + _distance(spots, m))
        if fname == "note":
            score *= 0.5
        slot = slots.setdefault(m.ref, _Slot())
        slot.score = max(slot.score, score)
        slot.subject = slot.subject or (syntax > 0 and fname == "what")
        slot.subject_in_note = slot.subject_in_note or (syntax > 0 and fname == "note")
        slot.located = slot.located or (fname == "what" and m.start > 0 and f.words[m.start - 1] in ("in", "to", "at"))
        slot.denied = slot.denied or (denied and fname == "what")
    return slots


def _slot_taken(reading: Reading, slots: dict[int, _Slot]) -> bool:
    """True when, in this fact, the answer's place is held by a name the question gives
    ("which country was first to send …": "the Taliban government sent" answers nothing)."""
    if not reading.asks_subject:
        return False
    asked = reading.question_refs - set(reading.role_refs)
    return any(slot.subject for r, slot in slots.items() if r in asked) and not any(
        slot.subject for r, slot in slots.items() if r not in reading.question_refs
    )


def _who_candidates(index: Index, reading: Reading, scored: Scored) -> dict[int, float]:
    """Names in a fact that may answer a who-question, and how well each fits."""
    doc = scored.doc
    asked = reading.question_refs
    asked_homes = {index.refs[r].country or index.refs[r].home for r in asked} - {None}
    who_refs = {m.ref for m in doc.fields["who"].mentions}
    slots = _mention_scores(reading, doc)
    if _slot_taken(reading, slots):
        return {}
    out: dict[int, float] = {}
    for r, slot in slots.items():
        ref = index.refs[r]
        if r in asked or (ref.country and ref.country in asked_homes):
            continue
        score = slot.score
        if r in who_refs:
            score += 0.2 if reading.role else 0.6  # "who is the X": whoever is next to X, not the actor
            if reading.object_question:
                score *= 0.3  # "who did X meet": not the one who met
        if slot.denied:
            score *= 0.2  # "Pakistan itself had not formally recognized …"
        kind = 1.0 if ref.kind == "person" else 0.8
        if ref.country and r not in who_refs:
            kind = 0.25  # a country is rarely the "who" unless it is the actor
        elif ref.home in asked_homes and ref.kind != "person":
            kind *= 0.5
        out[r] = score * kind
    return out


def _role_attached(index: Index, reading: Reading, doc: Doc) -> bool:
    """The role asked for stands next to what the question ties it to: "Russia's
    ambassador", "the Taliban Foreign Minister" (or a name of the same country)."""
    if not reading.role or not reading.role_refs:
        return True
    role = {r: 1.0 for r in reading.role} | {t: 1.0 for r in reading.role for t in THESAURUS.get(r, ())}
    tied = set(reading.role_refs)
    homes = {index.refs[r].country or index.refs[r].home for r in tied} - {None}
    for fname in ("what", "note"):
        f = doc.fields[fname]
        spots = _positions(f, role)
        for m in f.mentions:
            ref = index.refs[m.ref]
            if (m.ref in tied or (ref.country or ref.home) in homes) and _distance(spots, m) <= 4:
                return True
    return False


def _role_taken(index: Index, reading: Reading, scored: Scored) -> bool:
    """True when the role asked for is held, in this fact, by a name the question
    itself gives outside the role ("Russia's ambassador … before Zhirnov")."""
    if not reading.role:
        return False
    outside = reading.question_refs - set(reading.role_refs)
    if not outside:
        return False
    f = scored.doc.fields["what"]
    spots = _positions(f, {r: 1.0 for r in reading.role})
    if not spots:
        return False
    nearest = sorted((_distance(spots, m), m.ref) for m in f.mentions if m.ref not in reading.role_refs)
    return bool(nearest) and nearest[0][1] in outside and nearest[0][0] <= 4


def _answer_describe(index: Index, reading: Reading) -> _Result:
    """"Who is Zamir Kabulov?": how the facts describe the name, from the best fact
    where it is the actor (or else mentioned)."""
    ref = reading.describe
    ranked = _candidates_pool(index, reading)
    own = [s for s in ranked if any(m.ref == ref for m in s.doc.fields["who"].mentions)]
    named = [s for s in ranked if any(m.ref == ref for m in s.doc.fields["what"].mentions)]
    for s in own + named:
        f = s.doc.fields["what"]
        for m in f.mentions:
            if m.ref == ref:
                phrase = _apposition(f, m)
                if phrase:
                    return _Result(f"{index.refs[ref].key}: {phrase}", 1.0, [s])  # type: ignore[index]
    if own or named:
        s = (own or named)[0]
        return _Result(f"{index.refs[ref].key}: {s.fact.what}", 0.8, [s])  # type: ignore[index]
    return _Result(None, 0.0, [], "no fact says who that is")


def _apposition(f: Field, m: Mention) -> str:
    """What the text says a name is: ", the Russian president's special
    representative for Afghanistan," after it, or "Russian Deputy Foreign
    Minister" before it."""
    last = f.raw_of[m.end - 1]
    if f.raw[last].endswith(","):
        phrase = []
        for word in f.raw[last + 1 : last + 16]:
            phrase.append(word.rstrip(",.;:"))
            if word.endswith((",", ".", ";", ":")):
                return " ".join(phrase)
    first = f.raw_of[m.start]
    title: list[str] = []
    for word in reversed(f.raw[max(0, first - 5) : first]):
        if not word[:1].isupper() or word.endswith((",", ".", ";", ":", ")", "'s", "’s")) or word.lower() == "the":
            break
        title.insert(0, word)
    return " ".join(title)


def _answer_who(index: Index, reading: Reading) -> _Result:
    if reading.describe is not None:
        return _answer_describe(index, reading)
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    if _role_taken(index, reading, ranked[0]):
        return _Result(None, 0.0, [], "the facts name only the person the question gives")
    # The best fact that names someone the question does not (and, asked for a
    # role, has that role where the question puts it); the next facts only break ties.
    tried = ranked[:3]
    if reading.role_refs:
        tried.sort(key=lambda s: not _role_attached(index, reading, s.doc))
    for i, s in enumerate(tried):
        own = _who_candidates(index, reading, s)
        if own:
            break
    else:
        return _Result(None, 0.0, [], "the best facts name no one else")
    votes = dict(own)
    for other in _near_top(ranked, 0.6)[:5]:
        if other is s:
            continue
        for ref, value in _who_candidates(index, reading, other).items():
            if ref in votes:
                votes[ref] += 0.25 * value * other.score / s.score
    winner = max(sorted(votes, key=lambda r: index.refs[r].key), key=lambda r: votes[r])
    confidence = _gate(reading, s) * (1.0 if s is ranked[0] else 0.8)
    if not _role_attached(index, reading, s.doc):
        confidence *= 0.4  # "Russia's foreign minister": the fact's foreign minister is someone else's
    if reading.role and not _has(s.doc, {r: 1.0 for r in reading.role} | {t: 1.0 for r in reading.role for t in THESAURUS.get(r, ())}, ("what", "note")):
        confidence *= 0.5  # "who is the supreme leader …": the fact names no leader
    return _Result(index.refs[winner].key, confidence, [s])


def _country_candidates(index: Index, reading: Reading, scored: Scored, location: bool) -> dict[str, float]:
    """Countries a fact offers as the answer to "which country …" (not those the question names)."""
    doc = scored.doc
    asked = {index.refs[r].country or index.refs[r].home for r in reading.question_refs} - {None}
    slots = _mention_scores(reading, doc)
    if not location and _slot_taken(reading, slots):
        return {}
    who_refs = {m.ref for m in doc.fields["who"].mentions}
    out: dict[str, float] = {code: 0.2 for code in doc.fact.country if code not in asked}
    for r, slot in slots.items():
        ref = index.refs[r]
        code = ref.country or ref.home
        if not code or code in asked:
            continue
        value = 0.2 + slot.score
        if r in who_refs and not reading.object_question and not location:
            value += 0.6  # "which country recognised …": the actor's country
        if slot.denied:
            value *= 0.2
        if location and slot.located:
            value += 1.0  # "where …": a place after "in", "to", "at"
        out[code] = max(out.get(code, 0.0), value)
    return out


def _answer_where(index: Index, reading: Reading) -> _Result:
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    for i, s in enumerate(ranked[:3]):
        own = _country_candidates(index, reading, s, reading.location)
        if own:
            break
    else:
        return _Result(None, 0.0, [], "the best facts name no other country")
    code = max(sorted(own), key=lambda c: own[c])
    return _Result(countries.display_name(code), _gate(reading, s) * (1.0 if i == 0 else 0.8), [s])


def _negated(doc: Doc, stems: Iterable[str], fields: Sequence[str] = ("what",)) -> bool:
    """True when one of the stems is negated in the fact ("had not formally recognized")."""
    wanted = set(stems)
    for fname in fields:
        f = doc.fields[fname]
        for i, s in enumerate(f.stems):
            if s in wanted:
                window = f.words[max(0, i - 4) : i]
                if any(w in NEGATORS or (w.endswith("nt") and w[:-2] in _AUX | {"wo", "ca"}) for w in window):
                    return True
    return False


def _predicate(reading: Reading) -> dict[str, float]:
    for unit in reading.units:
        if unit.ref is None and any(v in reading.focus for v in unit.variants):
            return unit.variants
    return {s: 1.0 for s in reading.focus}


def _has(doc: Doc, variants: dict[str, float], fields: Sequence[str] = ("what", "who")) -> bool:
    return any(doc.counts[f].get(v) for f in fields for v in variants)


def _has_in_first_sentence(doc: Doc, variants: dict[str, float]) -> bool:
    f = doc.fields["what"]
    end = min(f.sentence_ends, default=len(f.words))
    return any(p <= end for p in _positions(f, variants))


def _country_of_actor(index: Index, reading: Reading, doc: Doc, ref: int, asked: set[str]) -> str | None:
    """The country a name stands for in a fact: its own, the one just before it
    ("Chinese President Xi Jinping"), or the fact's only country the question does not give."""
    r = index.refs[ref]
    if r.country or r.home:
        return r.country or r.home
    f = doc.fields["what"]
    for m in f.mentions:
        if m.ref == ref:
            for other in f.mentions:
                c = index.refs[other.ref].country
                if c and 0 <= m.start - other.end <= 3 and not _clause_between(f, other.end - 1, m.start):
                    return c
    rest = [c for c in doc.fact.country if c not in asked]
    return rest[0] if len(rest) == 1 else None


def _list_countries(index: Index, reading: Reading) -> tuple[list[str], list[Scored]]:
    """The countries that did what the question says: in each relevant fact, the
    country of the name in the subject's place (or of the fact's actor), unless
    the fact negates the verb."""
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return [], []
    predicate = _predicate(reading)
    asked = {index.refs[r].country or index.refs[r].home for r in reading.question_refs} - {None}
    found: dict[str, Scored] = {}
    for s in _near_top(ranked, 0.5):
        if s.coverage < 0.5:
            continue
        where = [f for f in ("what", "who", "note") if predicate and _has(s.doc, predicate, (f,))]
        if predicate and not where:
            continue
        if _negated(s.doc, predicate, where[:1]):
            continue
        slots = _mention_scores(reading, s.doc)
        who_refs = {m.ref for m in s.doc.fields["who"].mentions}
        # The fact's actor did what its first sentence says.
        acts = _has_in_first_sentence(s.doc, predicate)
        in_note = where == ["note"]  # the verb only in the note: its subjects there count
        actors = [(slot.score, r) for r, slot in slots.items() if slot.subject or (in_note and slot.subject_in_note) or (r in who_refs and acts)]
        for _, r in sorted(actors, reverse=True):
            code = _country_of_actor(index, reading, s.doc, r, asked)  # type: ignore[arg-type]
            if code and code not in asked:
                found.setdefault(code, s)
                break
    if reading.excluding:
        for code in list(found):
            if _did(index, reading, code, {s: 1.0 for s in reading.excluding}):
                del found[code]
    names = sorted(countries.display_name(c) for c in found)
    support = sorted(found.values(), key=lambda s: -s.score)
    return names, support


def _did(index: Index, reading: Reading, code: str, predicate: dict[str, float]) -> bool:
    """True when a fact whose actor is this country says it did the predicate (not negated)."""
    for doc in index.docs:
        who = [index.refs[m.ref] for m in doc.fields["who"].mentions]
        if not any((r.country or r.home) == code for r in who):
            continue
        if _has(doc, predicate, ("what",)) and not _negated(doc, predicate):
            return True
    return False


def _answer_list(index: Index, reading: Reading) -> _Result:
    names, support = _list_countries(index, reading)
    if not names:
        return _Result(None, 0.0, [], "no fact matches")
    return _Result(", ".join(names), _gate(reading, support[0]), support)


# -- how many


def _answer_count(index: Index, reading: Reading) -> _Result:
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    unit = reading.unit_of_count
    best: tuple[float, Number, Scored] | None = None
    for s in _near_top(ranked, 0.5)[:5]:
        for fname, factor in (("what", 1.0), ("note", 0.5)):
            f = s.doc.fields[fname]
            for number in numbers_in(f.raw):
                token = _token_of_raw(f, number.start)
                unit_ok = bool(unit) and (stem(normalise(number.unit)) == unit or stem(normalise(number.unit)) in THESAURUS.get(unit, ()))
                if unit and not unit_ok:
                    continue
                if not unit and not number.money:
                    continue
                closeness = _attachment(reading, f, Mention(-1, token, token + 1)) + _counted(reading, f, token)
                value = factor * (s.score / ranked[0].score) * (1 + closeness)
                if best is None or value > best[0]:
                    best = (value, number, s)
    if best is None:
        if unit == stem("countries"):
            names, support = _list_countries(index, reading)
            if names:
                return _Result(str(len(names)), _gate(reading, support[0]), support)
        return _Result(None, 0.0, [], f"no fact gives a number of {unit or 'anything asked'}")
    _, number, s = best
    # "Seventeen countries" answers "17"; "2 million", "$560 million" stay as written.
    said = number.text if any(c.isdigit() for c in number.text) else f"{number.value:g}"
    return _Result(said, _gate(reading, s), [s])


def _counted(reading: Reading, f: Field, token: int) -> float:
    """What a number counts, read after it ("2 million tonnes *of wheat*"): the
    question's words there weigh most."""
    phrase: list[str] = []
    for i in range(token + 1, min(token + 7, len(f.stems))):
        if f.words[i] == "and" or (i - 1 in f.breaks and i > token + 1):
            break
        phrase.append(f.stems[i])
    return sum(2 * reading.idf[k] for k, u in enumerate(reading.units) if u.ref is None and any(v in phrase for v in u.variants) and stem(u.text) != reading.unit_of_count)


def _token_of_raw(f: Field, raw_index: int) -> int:
    for i, r in enumerate(f.raw_of):
        if r == raw_index:
            return i
    return 0


# -- yes / no


def _answer_yesno(index: Index, reading: Reading) -> _Result:
    """Yes, or no with what the facts say instead.

    No when: the best fact's date differs from the question's; the fact
    negates the question's verb for the question's actor ("China itself had
    not formally recognized"); the question's distinctive words are only in the
    curator's note, which disowns them ("not full recognition", the article's
    misquote); one event is not before or after the other as the question says;
    or the facts show others, not the question's actor, doing what it says.
    """
    if reading.relation:
        return _answer_relation(index, reading)
    ranked = index.rank(reading, dates=False)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    hard = reading.hard_dates
    predicate = _predicate(reading)
    subject = reading.subject
    best = ranked[0]
    if predicate and not _acts(index, best.doc, subject, predicate):
        # A close fact where the question's actor does (or does not do) its verb says more.
        speaking = [s for s in _near_top(ranked, 0.6) if _acts(index, s.doc, subject, predicate) and all(s.doc.refs.get(r, 0) >= 0.8 for r in reading.question_refs)]
        if speaking:
            best = speaking[0]
    if hard:
        agreeing = [s for s in _near_top(ranked, 0.85) if s.fact.when and _date_agreement(reading, s.fact) and s.coverage >= 0.9 * best.coverage]
        if agreeing:
            best = agreeing[0]
    conf = _gate(reading, best)
    doc = best.doc
    if hard and best.fact.when and not _date_agreement(reading, best.fact):
        said = " / ".join(d.text for d in hard)
        return _Result(f"No: {_weekday_label(best.fact)}, not {said}", conf, [best], "the date differs")
    spots = _acts(index, doc, subject, predicate) if predicate else []
    if spots and any(_negated_at(doc.fields["what"], p) for p in spots):
        return _Result(f"No: {best.fact.what}", conf, [best], "the fact negates it")
    unsupported = [k for k, unit in enumerate(reading.units) if unit.ref is None and best.matched.get(k, (0, ""))[1] not in ("who", "what", "tags", "country")]
    disowned = [k for k in unsupported if _note_disowns(doc, reading.units[k].variants)]
    if disowned and sum(reading.idf[k] for k in disowned) >= 0.15 * sum(reading.idf):
        return _Result(f"No: {best.fact.what}", max(conf, 0.6), [best], "the curator's note corrects it")
    if predicate and not spots:
        others = [s for s in ranked if _has(s.doc, predicate)]
        if others:
            return _Result(f"No: {best.fact.what}", conf * 0.9, [best], "the facts show others doing it, not this actor")
    return _Result("Yes", conf, [best])


def _negated_at(f: Field, p: int) -> bool:
    window = f.words[max(0, p - 4) : p]
    return any(w in NEGATORS or (w.endswith("nt") and w[:-2] in _AUX | {"wo", "ca"}) for w in window)


def _acts(index: Index, doc: Doc, subject: int | None, predicate: dict[str, float]) -> list[int]:
    """Where, in what the fact says, the question's actor does the verb.

    The actor is the fact's "who" when the verb is in its first sentence, or a
    name earlier in the verb's sentence, unless another name that is not a
    person stands right before the verb ("… criticised *Russia's* recognition"
    says Russia recognised, not the critic). Without a named actor, every
    place the verb appears.
    """
    f = doc.fields["what"]
    spots = _positions(f, predicate)
    if subject is None or not spots:
        return spots
    ends = sorted(f.sentence_ends)
    first_end = ends[0] if ends else len(f.words)
    subject_home = index.refs[subject].country or index.refs[subject].home
    who = {m.ref for m in doc.fields["who"].mentions}
    same = lambda r: r == subject or (subject_home is not None and index.refs[r].country == subject_home)  # noqa: E731
    found = []
    for p in spots:
        sentence_start = max((e + 1 for e in ends if e < p), default=0)
        before = [m for m in f.mentions if sentence_start <= m.start and m.end <= p]
        close = [m for m in before if _content_between(f, m.end, p) <= 3 and not _clause_between(f, m.end - 1, p)]
        if close and not same(close[-1].ref) and index.refs[close[-1].ref].kind != "person":
            continue  # someone else's act
        if any(same(m.ref) for m in before) or (p <= first_end and any(same(r) for r in who)):
            found.append(p)
    return found


def _content_between(f: Field, a: int, b: int) -> int:
    """Words that carry content between two positions (not stop words, not -ly adverbs)."""
    return sum(1 for i in range(a, b) if f.stems[i] and not f.words[i].endswith("ly"))


_DISOWNING = NEGATORS | {"article", "only", "instead", "wrong", "incorrect", "misquote", "mistranslation", "sic", "however", "unconfirmed"}


def _note_disowns(doc: Doc, variants: dict[str, float]) -> bool:
    """The note's sentence holding these words also negates or disowns them."""
    f = doc.fields["note"]
    for p in _positions(f, variants):
        start = max((e + 1 for e in f.sentence_ends if e < p), default=0)
        end = min((e + 1 for e in f.sentence_ends if e >= p), default=len(f.words))
        if any(w in _DISOWNING for w in f.words[start:end]):
            return True
    return False


def _answer_relation(index: Index, reading: Reading) -> _Result:
    """"Did A happen after (before, the day after) B?": compare the dates of the best
    fact for A and the best fact for B."""
    how, main_text, anchor_text = reading.relation  # type: ignore[misc]
    main = read(main_text, index)
    anchor = read(anchor_text, index)
    main_ranked = index.rank(main, dates=False)
    anchor_ranked = index.rank(anchor, dates=False)
    if not main_ranked or not anchor_ranked:
        return _Result(None, 0.0, [], "no fact matches one of the two events")
    a, b = main_ranked[0], anchor_ranked[0]
    conf = min(_gate(main, a), _gate(anchor, b))
    predicate = _predicate(main)
    if predicate and _negated(a.doc, predicate):
        return _Result(f"No: {a.fact.what}", conf, [a, b], "the fact negates it")
    if a.fact.when is None or b.fact.when is None:
        return _Result(None, 0.0, [a, b], "one of the two events has no date")
    wa, wb = a.fact.when, b.fact.when
    if how == "after":
        holds, other = wa.start > wb.end, "before" if wa.end < wb.start else "not after"
    elif how == "before":
        holds, other = wa.end < wb.start, "after" if wa.start > wb.end else "not before"
    else:
        from datetime import date, timedelta

        step = timedelta(days=1 if how == "day after" else -1)
        holds = wa.is_day and wb.is_day and date.fromisoformat(wa.start) == date.fromisoformat(wb.start) + step
        other = "the same day as" if wa.is_day and wa.start == wb.start else f"not the {how}"
    if holds:
        return _Result("Yes", conf, [a, b])
    return _Result(f"No: {_weekday_label(a.fact)}, {other} {_weekday_label(b.fact)}", conf, [a, b], "the order of the events differs")


# -- what


def _answer_what(index: Index, reading: Reading) -> _Result:
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    best = ranked[0]
    # The answer is the sentence itself: it must hold the question's words.
    return _Result(best.fact.what, min(_gate(reading, best), best.strong_coverage), [best])


_HANDLERS = {
    "when": _answer_when,
    "who": _answer_who,
    "where": _answer_where,
    "list": _answer_list,
    "count": _answer_count,
    "yesno": _answer_yesno,
    "what": _answer_what,
}
