"""The facts as `ask` reads them: words, stems and names, with positions, and a
BM25F ranking of the facts for a question. Pure: no click, no rich, no I/O.

An :class:`Corpus` is built once per run from the facts and the aliases table
(or restored from :meth:`Corpus.state`, which the store caches between runs).
:meth:`Corpus.rank` scores every fact against a question as read by
:func:`factcli.ask.answer.read`: BM25F over the fields (who and what weigh more than
the note and the sources), the names the question gives (any alias), its
subject as the fact's actor, neighbouring words found close together, and
agreement with its dates.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any, NamedTuple

from factcli import countries
from factcli.ask.english import DEMONYMS, NUMBER_WORDS, QUESTION_WORDS, STOPWORDS, THESAURUS_WORDS, TITLE_WORDS
from factcli.words import stem
from factcli.model import Fact
from factcli.query import AliasIndex, id_key
from factcli.text import normalise
from factcli.ask.names import Mention, NameFinder, Ref, country_names, home_of
from factcli.ask.tokens import stems_of, is_english, tokenize

if TYPE_CHECKING:
    from factcli.ask.question import Reading, Unit


INDEX_FORMAT = 2  # bump when what Corpus.state() holds, or how it is read, changes
# Field weights of BM25F: who did it and what they did count most.
FIELD_WEIGHTS = {"who": 2.0, "what": 1.5, "tags": 0.8, "country": 0.5, "note": 0.6, "sources": 0.25}
# How much a match in a field counts towards coverage (the share of the question a fact answers).
# Length normalisation per field: none for tags and countries, which are sets of
# labels, not prose (one more tag does not make a fact say less about the others).
FIELD_B = {"tags": 0.0, "country": 0.0}
FIELD_TRUST = {"who": 1.0, "what": 1.0, "tags": 0.9, "country": 0.8, "note": 0.6, "sources": 0.35}
STRONG_FIELDS = ("who", "what")
_READ_IN_FULL = ("who", "what", "note")  # with positions and names; the other fields are only counted
K1, B = 1.2, 0.75
SUBJECT_BONUS = 1.0  # the fact's actor is the question's subject
PROXIMITY = 0.8  # weight of neighbouring question words found close together


# ------------------------------------------------------------------ names


_THESAURUS_STEMS = frozenset(stem(w) for w in THESAURUS_WORDS)


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


class Corpus:
    """The facts and names as `ask` reads them, prepared once: BM25 statistics, vocabulary, mentions."""

    def __init__(self, facts: Iterable[Fact], aliases: AliasIndex) -> None:
        """Read every fact and name (see :meth:`restore` for a cached corpus)."""
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
        self.avg_len = {
            name: (sum(d.lengths[name] for d in self.docs) / n if n else 1.0) or 1.0 for name in FIELD_WEIGHTS
        }
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
        refs = [(r.key, r.kind, r.names, r.country, r.home, r.places) for r in self.refs]
        stats = (self.df, self.ref_df, self.avg_len, sorted(self.name_words))
        return (INDEX_FORMAT, [f.to_dict() for f in self.facts], refs, self._ref_of_country, docs, stats)

    @classmethod
    def restore(cls, state: Any) -> Corpus | None:
        """The index :meth:`state` was taken from (facts included); None when it does not fit."""
        from factcli.gc_pause import gc_paused

        index = cls.__new__(cls)
        with gc_paused():
            return index if state is not None and index._load(state) else None

    def _load(self, state: Any) -> bool:
        try:
            version, records, refs, by_country, docs, stats = state
            if version != INDEX_FORMAT:
                return False
            self.facts = [Fact.from_stored(r) for r in records]
            self.df, self.ref_df, self.avg_len, name_words = stats
            self.name_words = set(name_words)
            self.refs = [
                Ref(key, kind, tuple(names), country, home, tuple(places))
                for key, kind, names, country, home, places in refs
            ]
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
            or word in TITLE_WORDS
            or stem(word) in _THESAURUS_STEMS
        )

    @cached_property
    def persons(self) -> frozenset[int]:
        """The refs that name a person (built on first need, once per index)."""
        return frozenset(i for i, r in enumerate(self.refs) if r.kind == "person")

    @cached_property
    def surname_holders(self) -> dict[str, set[int]]:
        """Each word of a name, with the refs whose surname it is (the last of several words
        of a person's name), and -1 for any other name holding it (built on first need)."""
        holders: dict[str, set[int]] = {}
        for r, ref in enumerate(self.refs):
            for name in ref.names:
                parts = name.split()
                for k, part in enumerate(parts):
                    holders.setdefault(part, set()).add(r if ref.kind == "person" and k == len(parts) - 1 and k else -1)
        return holders

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
                names = tuple(dict.fromkeys(names + tuple(country_names(code))))
                self._ref_of_country.setdefault(code, len(self.refs))
            home = code or (None if entity.kind == "person" else home_of(names))
            places = tuple(dict.fromkeys(n for n in map(normalise, entity.stands_for) if n))
            self.refs.append(Ref(entity.name, entity.kind or "other", names, code, home, places))
        for code in used_codes:
            if code not in self._ref_of_country:
                self._ref_of_country[code] = len(self.refs)
                self.refs.append(Ref(countries.display_name(code), "country", tuple(country_names(code)), code, code))

    def country_ref(self, code: str) -> int | None:
        return self._ref_of_country.get(code)

    def display(self, ref: int) -> str:
        r = self.refs[ref]
        return countries.display_name(r.country) if r.country else r.key

    # -- facts
    def _field(self, text: str) -> Field:
        """A field read in full: words, stems, names, and where clauses and sentences end."""
        words, raw_of = tokenize(text)
        stems = stems_of(words)
        mentions = self.names.find(words)
        for m in mentions:  # a name is matched as a name, never by stem ("Takal" is not "take")
            for i in range(m.start, m.end):
                stems[i] = words[i]
        raw = text.split()
        ends = {i for i, w in enumerate(raw) if w.rstrip("'\"’”)»").endswith((",", ";", ":", ".", "!", "?"))}
        last = {i for i in range(len(words)) if i + 1 == len(words) or raw_of[i + 1] != raw_of[i]}
        breaks = frozenset(i for i in last if raw_of[i] in ends)
        full_stops = {
            j for j, w in enumerate(raw) if ends_sentence(w) and (j + 1 == len(raw) or raw[j + 1][:1].isupper())
        }
        sentence_ends = frozenset(i for i in last if raw_of[i] in full_stops)
        return Field(words, stems, mentions, raw, raw_of, breaks, sentence_ends)

    @staticmethod
    def _counted(text: str) -> tuple[Field, dict[str, int]]:
        """A field read for its stem counts alone (tags, countries, sources)."""
        words, _ = tokenize(text)
        counts: dict[str, int] = {}
        for s in stems_of(words):
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
    def idf(self, df: int, n: int | None = None) -> float:
        n = len(self.docs) if n is None else n
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def unit_idf(self, unit: Unit, n: int | None = None) -> float:
        if unit.ref is not None:
            return self.idf(self.ref_df.get(unit.ref, 0), n) if unit.ref >= 0 else self.idf(0, n)
        df = sum(1 for d in self.docs if any(v in c for c in d.counts.values() for v in unit.variants))
        return self.idf(df, n)

    def relevant(self, units: Sequence[Unit]) -> tuple[int, dict[str, float]]:
        """How many facts share a name or a stem with a question, and their mean field
        lengths: the statistics its ranking is computed from, so that a fact sharing
        nothing with the question cannot change its answer."""
        refs = {u.ref for u in units if u.ref is not None and u.ref >= 0}
        stems = {v for u in units if u.ref is None for v in u.variants}
        docs = [d for d in self.docs if refs & d.refs.keys() or any(v in c for c in d.counts.values() for v in stems)]
        n = len(docs)
        avg = {name: (sum(d.lengths[name] for d in docs) / n if n else 1.0) or 1.0 for name in FIELD_WEIGHTS}
        return n, avg

    def correct(self, word: str) -> str | None:
        """A close spelling from the vocabulary for a word the facts do not know (and
        English does not: "mayor" is not a slip for "major")."""
        if len(word) < 4 or not word.isalpha() or self.knows(word):
            return None
        import difflib

        # Typing slips rarely touch the first letter: "talban", "rudenco", "recieve".
        pool = self._fuzzy_by_initial.get(word[0], [])
        close = difflib.get_close_matches(word, pool, n=1, cutoff=0.8)
        if not close:
            return self._sounds_like(word)
        if close[0].startswith(word) or word.startswith(close[0]):
            # "diplomat" is not a slip for "diplomatic", nor "suggested" for "suggest"; a name's
            # word with its last letter left off is ("jinpin" for "jinping")
            # ("mccaull" for "mccaul": a letter doubled)
            slip = (
                close[0] in self.name_words
                and (len(close[0]) - len(word) == 1 or _sound_key(close[0]) == _sound_key(word))
                and not is_english(word)
            )
            return close[0] if slip else None
        if close[0] not in self.name_words and is_english(word):
            return None  # an English word is not a slip for another ("mayor", "major"); a name may be ("dimitry")
        return close[0]

    def _sounds_like(self, word: str) -> str | None:
        """The one name word spelt as ``word`` sounds ("kareemi" for Karimi, "mccaull" for
        McCaul): the same letters once doubled letters are single and "ee" is "i"."""
        if len(word) < 5 or is_english(word):
            return None
        key = _sound_key(word)
        pool = self._fuzzy_by_initial.get(word[0], [])
        found = {w for w in pool if w in self.name_words and _sound_key(w) == key}
        if not found and re.search(r"sh[uo]ns?$", word):
            # "delegashun": any word of the facts that ends as it sounds ("delegation")
            found = {w for w in pool if _sound_key(w) == key}
        return found.pop() if len(found) == 1 else None

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
            return [(i, i) for i in positions(f, unit.variants)]

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
        if reading.skip:
            pool = [d for d in pool if d.fact.id not in reading.skip]
        scored = []
        for doc in pool:
            s = self.score(reading, doc, dates)
            if s.score > 0:
                scored.append(s)
        scored.sort(key=lambda s: (-s.score, id_key(s.doc.fact.id)))
        return scored

    def score(self, reading: Reading, doc: Doc, dates: bool = True) -> Scored:
        avg_len = reading.avg_len or self.avg_len
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
                    matched[k] = (
                        min(strength, 1.0),
                        "what" if strength >= 1 else ("country" if strength >= 0.8 else "note"),
                    )
                continue
            tf = 0.0
            best: tuple[float, str] = (0.0, "")
            for name, weight in FIELD_WEIGHTS.items():
                counts = doc.counts[name]
                length = doc.lengths[name]
                raw = sum(counts.get(v, 0) * w for v, w in unit.variants.items())
                if raw:
                    b = FIELD_B.get(name, B)
                    tf += weight * raw / (1 - b + b * length / avg_len[name])
                    quality = (
                        max(w for v, w in unit.variants.items() if counts.get(v)) * FIELD_TRUST[name] * unit.quality
                    )
                    if quality > best[0]:
                        best = (quality, name)
            if tf:
                total += idf * tf * (K1 + 1) / (tf + K1)
                matched[k] = best
        total += self._proximity(reading, doc, matched)
        agree = date_agreement(reading, doc.fact) if dates else 0.0
        if agree and total:
            total += 0.8 * agree
        if reading.subject is not None and total and any(m.ref == reading.subject for m in doc.fields["who"].mentions):
            total += SUBJECT_BONUS
        denominator = sum(reading.idf) or 1.0
        coverage = sum(reading.idf[k] * q for k, (q, _) in matched.items()) / denominator
        strong = (
            sum(
                reading.idf[k] * q
                for k, (q, where) in matched.items()
                if where in FIELD_TRUST and FIELD_TRUST[where] >= 0.8
            )
            / denominator
        )
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


def ends_sentence(word: str) -> bool:
    """A word that closes a sentence: "Kabul." does, "U.S." and "St." do not."""
    word = word.rstrip("'\"’”)»")
    if word.endswith(("!", "?")):
        return True
    if not word.endswith("."):
        return False
    core = word.rstrip(".")
    return "." not in core and (len(core) >= 4 or core.isdigit())


def _surface_in(doc: Doc, surface: str) -> bool:
    return any(f" {surface} " in doc.joined[n] for n in STRONG_FIELDS)


def date_agreement(reading: Reading, fact: Fact) -> float:
    """1 when the fact's date overlaps every date the question gives, 0 when one misses."""
    if not reading.dates:
        return 0.0
    if fact.when is None:
        return 0.0
    for d in reading.dates:
        if not d.overlaps(fact.when.start, fact.when.end):
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


def positions(f: Field, variants: dict[str, float] | set[str]) -> list[int]:
    """Where in a field any of these stems stands."""
    return [i for i, s in enumerate(f.stems) if s in variants]


def _sound_key(word: str) -> str:
    """A name word as it sounds, for :meth:`Corpus._sounds_like`."""
    # "delegashun" for delegation: an ending spelt as it sounds
    word = re.sub(r"(?:tion|sion|shun|shon)(s?)$", r"shun\1", word)
    return re.sub(r"(.)\1+", r"\1", word.replace("ee", "i"))
