"""Questions in plain English, answered from the facts. Pure: no click, no rich, no I/O.

Three steps, each over plain data:

1. :func:`factcli.ask.reading.read` turns a question into a :class:`Reading`: its
   type (when, who, where, list, count, yes/no, what), the names in it
   (aliases, countries, demonyms, close spellings), its key words as stems,
   its dates ("in July 2025", "between 2021 and 2025"), the verb it turns on.
2. :meth:`factcli.ask.corpus.Corpus.rank` ranks the facts: BM25F over their text
   (who and what weigh more than notes and sources), the names the question
   gives, proximity, and agreement with its dates.
3. Here, the field the question asks for is taken from the best facts (a date
   with its weekday, a name, a country, a count, yes or no with what corrects
   a wrong premise), with a confidence; below :data:`THRESHOLD`, no answer.

Deterministic and offline: the same facts and question give the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from factcli.ask.checks import NOTE_CHECKED, THRESHOLD, _Result, _verified, date_label
from factcli.ask.count import _answer_count, _answer_event_order, _answer_list, event_order
from factcli.ask.extract import _answer_what, _answer_when, _answer_where, _answer_who, _on_that_date
from factcli.ask.yesno import _answer_choice, _answer_yesno
from factcli.ask import offices, titles
from factcli.dates import MAX_DAY, MIN_DAY, today
from factcli.ask.corpus import (
    INDEX_FORMAT,
    Corpus,
)
from factcli.model import Fact
from factcli.query import AliasIndex, Query
from factcli.ask.question import Reading
from factcli.ask.reading import read


__all__ = [
    "INDEX_FORMAT",
    "THRESHOLD",
    "Answer",
    "Corpus",
    "Reading",
    "answer",
    "answer_with",
    "date_label",
    "read",
    "search_command",
]
TYPES = ("when", "who", "where", "list", "count", "yesno", "what")


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
    rejected: tuple[tuple[str, str], ...] = ()  # facts tried and found not to entail an answer: (id, why)

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
            "rejected": [{"id": i, "why": why} for i, why in self.rejected],
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
            (
                "entities",
                ", ".join(d["entities"] + [f"{n} (not in the facts)" for n in d["unknown_entities"]]) or "none",
            ),
            ("stems", ", ".join(f"{u.text} → {'/'.join(u.variants)}" for u in r.units if u.ref is None) or "none"),
            (
                "dates",
                ", ".join(f"{x.text} ({x.start}..{x.end}, {'filter' if x.hard else 'hint'})" for x in r.dates)
                or "none",
            ),
            ("today", today().isoformat()),
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
        if self.rejected:
            rows.append(("rejected", "; ".join(f"{i}: {why}" for i, why in self.rejected)))
        rows.append(
            (
                "confidence",
                f"{self.confidence:.2f} (answers from {THRESHOLD:.2f})" + (f"; {self.reason}" if self.reason else ""),
            )
        )
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
    return answer_with(Corpus(facts, aliases), question, threshold)


def answer_with(index: Corpus, question: str, threshold: float = THRESHOLD) -> Answer:
    """Answer a question; a date that reads two ways ("03/07/2025") is answered only
    when both readings give the same answer."""
    from factcli.dates import find_dates

    ambiguous = [d for d in find_dates(question.casefold()) if d.readings]
    if not ambiguous:
        return _answer_one(index, question, threshold)
    d = ambiguous[0]
    said = [
        _answer_one(index, question[: d.span[0]] + f"on {day}" + question[d.span[1] :], threshold) for day in d.readings
    ]
    if len({a.text for a in said}) == 1:
        return said[0]._replace(question=question)
    first = said[0]
    why = f"{question[d.span[0] : d.span[1]].strip()} can be {' or '.join(d.readings)}, and the answers differ"
    return Answer(
        question,
        first.reading.type,
        None,
        0.0,
        first.reading,
        [],
        [],
        why,
        [f for a in said for f in (a.facts or a.closest)][:3],
        first.search,
    )


def _answer_one(index: Corpus, question: str, threshold: float) -> Answer:
    reading = read(question, index)
    rejected: list[tuple[str, str]] = []  # (fact id, the check it failed)
    # a question about who held an office (over facts that are office terms), or what post a
    # person holds ("what is Amir Khan Muttaqi's post": the title the facts put before the name)
    said = offices.answer(question, index.facts) or titles.answer(index, reading, question)
    if said is not None:
        return _settled(index, reading, question, said.text, said.facts, said.reason)
    handler = _HANDLERS.get(reading.type, _answer_what)
    order = event_order(reading)
    if order:  # "which came first: A or B", A and B events typed as phrases
        result = _answer_event_order(index, reading, order)
    elif reading.unknown_names:
        result = _Result(None, 0.0, [], f"no fact mentions {', '.join(reading.unknown_names)}")
    elif not reading.units and reading.type == "what" and reading.hard_dates:
        result = _on_that_date(index, reading)  # "what happened on 15 January 2026"
    elif not reading.units:
        result = _Result(None, 0.0, [], "the question names nothing the facts hold")
    elif _only_names(reading):
        # "…, so which american did?": a name and nothing done or asked of it (it had answered
        # 'United States Armed Forces', the one fact naming the US, at full confidence)
        result = _Result(None, 0.0, [], "the question names no act or thing to look for, only names")
    elif reading.future:
        result = _Result(None, 0.0, [], "the facts say what happened, not what will")
    elif reading.options and -1 not in reading.options and reading.type in ("who", "where", "what", "list"):
        result = _answer_choice(index, reading)
    else:
        result = _verified(index, reading, handler(index, reading))
        tried = reading
        last = result
        for _ in range(RETRIES):
            # The best fact did not entail an answer: the next best may (never a weaker gate).
            if last.text is not None or not last.rejected or last.final:
                break  # (a final check failed, e.g. a fact denies what the question takes as done: no other fact answers it)
            rejected.append((last.rejected, last.reason))
            tried = tried._replace(skip=tried.skip | {last.rejected})
            last = _verified(index, tried, handler(index, tried))
            if last.text is not None:
                result = last._replace(confidence=last.confidence * 0.9)
        if last.text is None and last.rejected and (last.rejected, last.reason) not in rejected:
            rejected.append((last.rejected, last.reason))
        if result.text is None and reading.type == "when":
            # the facts' own dates are for other acts; the day a note gives for this one
            noted = _verified_note_day(index, reading)
            if noted.text is not None:
                result = noted
    ranked = index.rank(reading)
    if result.text is None or result.confidence < threshold:
        why = result.reason if result.text is None else f"not sure enough ({result.confidence:.2f} < {threshold})"
        closest = [s.fact for s in ranked[:3] if s.coverage >= 0.3]
        return Answer(
            question,
            reading.type,
            None,
            result.confidence,
            reading,
            [],
            [],
            why,
            closest,
            _suggest(reading, index),
            tuple(rejected),
        )
    facts = [s.fact for s in result.support]
    return Answer(
        question,
        reading.type,
        result.text,
        min(1.0, result.confidence),
        reading,
        facts,
        [round(s.score, 3) for s in result.support],
        result.reason,
        rejected=tuple(rejected),
    )


def _only_names(reading: Reading) -> bool:
    """A question whose words are names alone: no verb, no thing, no role, no date."""
    return (
        all(u.ref is not None for u in reading.units)
        and not reading.focus
        and not reading.noun
        and not reading.role
        and not reading.dates
        and reading.describe is None
        and not reading.options
        and reading.type in ("who", "what", "where", "list")
    )


def _settled(
    index: Corpus, reading: Reading, question: str, text: str | None, facts: list[Fact], reason: str
) -> Answer:
    """The answer of a reader that settles its question by itself (offices, titles): its
    value with its facts, or no answer with them as the closest."""
    if text is None:
        return Answer(question, reading.type, None, 0.0, reading, [], [], reason, facts[:3], _suggest(reading, index))
    return Answer(question, reading.type, text, 1.0, reading, facts, [1.0] * len(facts), reason)


def _verified_note_day(index: Corpus, reading: Reading) -> _Result:
    from factcli.ask.extract import _when_in_note

    said = _when_in_note(index, reading)
    if said.text is None:
        return said
    # the checks a fact's answer passes, but those of its actor and verb, which the note's
    # sentence itself was found to have
    checked = _verified(index, reading, said, skip=NOTE_CHECKED)
    return checked if checked.text is None else said


def _suggest(reading: Reading, index: Corpus) -> Query | None:
    """A `factcli search` that finds something, built from the reading (fewer terms until it does)."""
    from factcli.query import run

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


# How many next-best facts are tried when the best one does not entail the answer.
RETRIES = 2


_HANDLERS = {
    "when": _answer_when,
    "who": _answer_who,
    "where": _answer_where,
    "list": _answer_list,
    "count": _answer_count,
    "yesno": _answer_yesno,
    "what": _answer_what,
}
