"""How a question was read: the :class:`Reading` that :func:`factcli.ask.reading.read`
makes of it and the ranking and the answer work from (plain types, no logic of
reading: the corpus and the reader both use them, neither imports the other's
types through the other)."""

from __future__ import annotations

from typing import Any, NamedTuple

from factcli.ask.english import DateMention
from factcli.dates import MAX_DAY, MIN_DAY
from factcli.query import Query


class Unit(NamedTuple):
    """One thing the question asks about: a word (as stems) or a name (a ref)."""

    text: str  # as read (after spelling correction)
    position: int  # token index in the question
    variants: dict[str, float]  # stem → weight ({} for a name)
    ref: int | None = None  # a name: index into Corpus.refs; -1 for a name the facts never use
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
    options: tuple[int, ...] = ()  # "…: China or Russia?": the answer must be one of these refs
    option_texts: tuple[str, ...] = ()  # the options as typed ("China sending Zhao Sheng to Kabul")
    existential: bool = False  # "did any (other) country …": no actor is named
    excluded: tuple[int, ...] = ()  # "besides Russia", "other than China": not the answer
    wants_day: bool = False  # "on which day", "exact date": a month or a year does not answer
    wants_time: bool = False  # "at what time": the time of day the fact gives, or nothing
    wants_city: bool = False  # "in which city": a country does not answer
    noun: str = ""  # the noun of "what flag …", "which court …" (its stem): the answer is one
    future: bool = False  # "when will …": the facts report what happened, not what will
    negated: bool = False  # "which country has *not* recognised …"
    answer_acts: bool = False  # "who was quoted calling it …", "which court's ruling put …": the answer did the act
    object_prep: str = ""  # "to whom did X give …": the answer follows "to" in the fact
    passive: bool = False  # "who was appointed …": the one it was done to (often the fact's who)
    skip: frozenset[str] = frozenset()  # ids of facts already found not to entail an answer
    claim: bool = False  # "is it true that …": the answer carries the fact that settles it
    according_to: str = ""  # a lead-in "according to X, …" taken off the question
    interval: tuple[str, str, str, str] | None = None  # ("days", "after", A, B): how long from one event to another
    idf: tuple[float, ...] = ()  # how rare each unit is in the facts that share anything with the question
    avg_len: dict[str, float] = {}  # mean field lengths of those facts (BM25's length norm)
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
