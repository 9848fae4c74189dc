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

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from factcli import countries
from factcli.ask import offices
from factcli.dates import DAY_NAMES, MAX_DAY, MIN_DAY, MONTH_WORDS, SEASONS, DateMention, DateSpan, today
from factcli.ask.english import ANTONYMS, LIGHT_VERBS, NEGATORS, TITLE_WORDS, THESAURUS, Number, find_dates, numbers_in
from factcli.words import IRREGULAR_VERBS, stem
from factcli.ask.corpus import (
    INDEX_FORMAT,
    Doc,
    Field,
    Corpus,
    Mention,
    Scored,
    _ends_sentence,
    date_agreement,
    positions,
)
from factcli.model import Fact
from factcli.query import AliasIndex, Query
from factcli.ask.question import Reading, Unit
from factcli.ask.reading import AUX, SYNONYM_WEIGHT, read
from factcli.text import normalise

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

THRESHOLD = 0.5  # below this confidence, no answer
TYPES = ("when", "who", "where", "list", "count", "yesno", "what")
_PRONOUNS = frozenset(("he", "she"))  # in a fact, they stand for its actor


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
    said = offices.answer(question, index.facts)
    if said is not None:  # a question about who held an office, over facts that are office terms
        if said.text is None:
            return Answer(
                question,
                reading.type,
                None,
                0.0,
                reading,
                [],
                [],
                said.reason,
                said.facts[:3],
                _suggest(reading, index),
            )
        return Answer(question, reading.type, said.text, 1.0, reading, said.facts, [1.0] * len(said.facts), said.reason)
    handler = _HANDLERS.get(reading.type, _answer_what)
    if reading.unknown_names:
        result = _Result(None, 0.0, [], f"no fact mentions {', '.join(reading.unknown_names)}")
    elif not reading.units and reading.type == "what" and reading.hard_dates:
        result = _on_that_date(index, reading)  # "what happened on 15 January 2026"
    elif not reading.units:
        result = _Result(None, 0.0, [], "the question names nothing the facts hold")
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
            if last.text is not None or not last.rejected:
                break
            rejected.append((last.rejected, last.reason))
            tried = tried._replace(skip=tried.skip | {last.rejected})
            last = _verified(index, tried, handler(index, tried))
            if last.text is not None:
                result = last._replace(confidence=last.confidence * 0.9)
        if last.text is None and last.rejected and (last.rejected, last.reason) not in rejected:
            rejected.append((last.rejected, last.reason))
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


class _Result(NamedTuple):
    text: str | None
    confidence: float
    support: list[Scored]
    reason: str = ""
    ref: int | None = None  # the name the answer is, when it is one
    rejected: str = ""  # the id of the fact that was found not to entail the answer


# Nouns a "what/which NOUN" question may ask with for a person or a body.
_AGENT_NOUNS = frozenset(
    stem(w)
    for w in """official officials envoy envoys ambassador diplomat minister president leader leaders
    spokesman spokeswoman spokesperson person man woman politician cleric commander representative
    organisation organization group agency body ministry government country countries nation state
    side party authority office institution administration chief head deputy secretary general""".split()
)


def _verified(index: Corpus, reading: Reading, result: _Result) -> _Result:
    """The answer only if its supporting fact satisfies what the question states:
    the verb it turns on, the names it gives, the choice it offers, the noun it
    asks for, the precision of the date it asks for. Otherwise no answer, with
    the constraint that failed."""
    if result.text is None or not result.support:
        return result
    best = result.support[0]
    doc = best.doc

    def fail(why: str) -> _Result:
        return _Result(None, 0.0, [], why, rejected=best.fact.id)

    predicate = _predicate(reading)
    light = _LIGHT_STEMS | (
        _SAYING_STEMS if reading.type == "what" else frozenset()
    )  # "what did X say about …": what X said, in any words
    asked_verb = (
        predicate
        and reading.type != "yesno"
        and reading.describe is None
        and not set(reading.focus) & (_QUANTITY_STEMS | light)
    )
    # The verb must be the fact's (or a synonym's): a fact holding the rest of the question
    # but not its verb answered 2 blind questions wrongly for 3 it answered rightly.
    if (
        asked_verb
        and not reading.interval
        and not _has(doc, predicate, ("what", "who", "note"))
        and not _in_quotes(doc, predicate)
    ):
        return fail(f"the best fact does not say {'/'.join(reading.focus)}")
    if (
        reading.type == "what"
        and set(reading.focus) & _SAYING_STEMS
        and reading.subject is not None
        and not _speaks(index, doc, reading.subject)
    ):
        # "what did Lavrov say …" answered by what someone else said about Lavrov
        return fail(f"the best fact does not have {index.display(reading.subject)} say it")
    elsewhere = [
        p
        for p in _asked_places(index, reading)
        if not any(f" {form} " in doc.joined["what"] for form in (p, f"{p}s"))  # "in Beijing's Great Hall"
        and p not in doc.counts["note"]
    ]
    if elsewhere and reading.type != "yesno":
        return fail(f"the best fact does not put it in {elsewhere[0].title()}")
    missing = [
        index.display(u.ref)
        for k, u in enumerate(reading.units)
        if u.ref is not None and u.ref >= 0 and k not in best.matched and u.ref not in reading.options
    ]
    if missing and not reading.relation and not reading.interval:
        return fail(f"the best fact does not name {', '.join(missing)}")
    if reading.type == "who" and reading.role and reading.role[-1] in _PERSON_ROLES and result.ref is not None:
        if index.refs[result.ref].kind != "person":
            return fail(f"a {reading.role[-1]} is a person; the best fact gives {index.refs[result.ref].key}")
        persons = index.persons
        if not _holds_role(doc, result.ref, reading.role[-1], persons):
            return fail(f"the best fact does not call {index.refs[result.ref].key} the {reading.role[-1]}")
        crossed = _direction_differs(index, reading, doc, result.ref)
        if crossed:
            return fail(crossed)
    if (
        reading.noun
        and result.ref is not None
        and index.refs[result.ref].kind == "person"
        and not _holds_role(doc, result.ref, reading.noun)
    ):
        return fail(f"the best fact does not call {index.refs[result.ref].key} a {reading.noun}")
    if reading.type == "who" and reading.asks_subject and predicate and result.ref is not None:
        # "who announced …": the one who does it in the fact, not any name in it ("who took
        # the papers …": with a verb that says little, the fact's own actor).
        light_verb = not set(reading.focus) - _LIGHT_STEMS
        actor = result.ref in {m.ref for m in doc.fields["who"].mentions}
        if (light_verb and not actor) or (not light_verb and not _did_it(index, reading, doc, result.ref)):
            return fail(f"the best fact does not say {index.refs[result.ref].key} did it")
    if reading.object_question and result.ref is not None and index.refs[result.ref].kind == "person":
        roles = _as_roles(reading)
        if roles and not _holds_role(doc, result.ref, roles[0]):
            return fail(f"the best fact does not call {index.refs[result.ref].key} a {roles[0]}")
    if reading.type == "count" and not reading.interval and best.strong_coverage < 0.6:
        return fail("the best fact does not say enough of what the question counts")
    if (
        reading.subject is not None
        and reading.type in ("when", "where", "count")
        and predicate
        and not reading.relation
    ):
        home = index.refs[reading.subject].country or index.refs[reading.subject].home
        actors = {m.ref for m in doc.fields["who"].mentions}
        same_side = reading.subject in actors or (
            home is not None and any((index.refs[r].country or index.refs[r].home) == home for r in actors)
        )
        # the subject's own act ("six months after *Russia's* recognition" is not Putin's)
        if (not same_side and not _acts(index, doc, reading.subject, predicate)) or (
            same_side and _others_act(index, doc, reading.subject, predicate)
        ):
            return fail(f"the best fact does not say {index.display(reading.subject)} did it")
    if reading.negated and reading.type in ("who", "where", "what") and result.ref is not None:
        slots = _mention_scores(reading, doc)
        if not (result.ref in slots and slots[result.ref].denied):
            return fail("the question asks who did not; the best fact does not say the answer did not")
    if reading.options and result.ref not in reading.options:
        return fail("the answer is none of the choices the question gives")
    if result.ref is not None and result.ref in reading.excluded:
        return fail("the answer is the one the question leaves out")
    if reading.noun and reading.noun not in _AGENT_NOUNS and result.ref is not None:
        if reading.noun not in {stem(w) for n in index.refs[result.ref].names for w in n.split()}:
            return fail(f"the answer is not a {reading.noun}")
    if (
        reading.type in ("when", "where", "count", "who")
        and predicate
        and asked_verb
        and not reading.negated
        and _denies(index, doc, predicate, reading.subject)
    ):
        return fail(f"the best fact says it was not done ({'/'.join(reading.focus)})")
    if reading.type == "when" and predicate and asked_verb and not _has(doc, predicate, ("what",)):
        return fail(f"only the best fact's note says {'/'.join(reading.focus)}: its date is for what it says")
    if reading.type == "when" and predicate and asked_verb and _reported(doc, predicate):
        return fail(f"the best fact reports {'/'.join(reading.focus)}: its date is the report's, not the act's")
    if (
        reading.type == "when"
        and reading.wants_day
        and best.fact.when is not None
        and not best.fact.when.is_day
        and "(" not in result.text
    ):
        return fail(f"the facts give {best.fact.when.text}, not a day")
    if reading.type == "who" and result.ref is not None and not reading.noun:
        # "who asked the court …": the court is what the question speaks of, not its answer.
        said = {stem(w) for w in index.refs[result.ref].key.casefold().split()}
        named = [
            u.text for u in reading.units if u.ref is None and stem(u.text) in said and stem(u.text) not in reading.role
        ]
        if named:
            return fail(f"the answer is the {named[0]} the question speaks of")
    return result


_PERSON_ROLES = frozenset(
    stem(w)
    for w in """ambassador envoy minister president spokesman spokeswoman spokesperson leader chief official
    cleric commander diplomat representative secretary deputy premier chancellor consul king queen prince
    monarch emir general chairman chairwoman governor mayor judge prosecutor congressman congresswoman
    lawmaker senator politician activist journalist correspondent analyst expert""".split()
)
_LIGHT_STEMS = frozenset(stem(w) for w in LIGHT_VERBS)
_SAYING_STEMS = frozenset(stem(w) for w in "say think tell react respond".split())
# Verbs that report speech in a fact ("X said", "X called it", "X told reporters"): the
# verbs that report an act (_REPORTING), and those that only report words. Base forms:
# stem() gives said/says, told, stated … the same stems.
_SPEECH_STEMS = frozenset(
    stem(w)
    for w in """state call describe write warn comment declare add note stress express urge
    welcome condemn criticise criticize argue insist claim reply respond react""".split()
)


def _speaks(index: Corpus, doc: Doc, ref: int) -> bool:
    """Whether a fact has the name speak: it is the fact's actor in a fact that reports words, or a reporting verb
    follows it in the same clause ("Kirby said", "Kirby, the spokesman, told"), or
    the fact's text is "according to" it. A country speaks through its own bodies
    ("What did Russia's foreign ministry say": "The Russian Foreign Ministry said");
    a person only in person."""
    f = doc.fields["what"]
    if any(m.ref == ref for m in doc.fields["who"].mentions) and any(
        s in _REPORTING or s in _SPEECH_STEMS for s in f.stems
    ):
        return True  # the fact's actor, and the fact reports words ("received the letter" reports none)
    code = index.refs[ref].country

    def speaker(r: int) -> bool:
        return r == ref or (code is not None and (index.refs[r].country or index.refs[r].home) == code)

    for m in f.mentions:
        if not speaker(m.ref):
            continue
        before = f.words[max(0, m.start - 8) : m.start]
        if "according" in before:
            return True
        for i in range(m.end, min(m.end + 8, len(f.stems))):
            if f.stems[i] in _REPORTING or f.stems[i] in _SPEECH_STEMS:
                return True
            if (i - 1) in f.sentence_ends:
                break
    return False


_QUANTITY_STEMS = frozenset(stem(w) for w in "worth cost value amount total sum figure number".split())


def _did_it(index: Corpus, reading: Reading, doc: Doc, ref: int) -> bool:
    """The fact has this name do the question's verb: as its actor, or where the verb's
    subject stands (in what it says, or in its note)."""
    predicate = _predicate(reading)
    if ref in {m.ref for m in doc.fields["who"].mentions} and _acts(index, doc, ref, predicate):
        return True
    slot = _mention_scores(reading, doc).get(ref)
    return bool(slot and (slot.subject or slot.subject_in_note))


def _sides(
    index: Corpus, words: Sequence[str], mentions: Sequence[Mention | Unit], at: int
) -> tuple[int | None, int | None]:
    """The name a role belongs to (just before it: "the *Taliban's* ambassador", "*Chinese*
    ambassador") and the one it is sent to ("ambassador *to China*", "ambassador *in Moscow*")."""
    owner = dest = None
    for m in mentions:
        ref = m.ref
        start = m.start if isinstance(m, Mention) else m.position
        end = m.end if isinstance(m, Mention) else m.position + max(1, len(m.surface.split()))
        if ref is None or ref < 0:
            continue
        if 0 <= at - end <= 1 and all(w in ("s", "new", "the") for w in words[end:at]):
            owner = ref
        if 0 < start - at <= 3 and any(w in ("to", "in", "at") for w in words[at + 1 : start]):
            dest = dest if dest is not None else ref
    return owner, dest


def _direction_differs(index: Corpus, reading: Reading, doc: Doc, answer: int) -> str:
    """ "Who is the Taliban's ambassador to China": the fact's ambassador must be the
    Taliban's and sent to China, not China's sent to the Taliban. The reason, or ""."""
    role = reading.role[-1]
    spots = [i for i, w in enumerate(reading.words) if stem(w) == role]
    if not spots:
        return ""
    asked_owner, asked_dest = _sides(index, reading.words, reading.units, spots[0])
    if asked_owner is None and asked_dest is None:
        return ""
    f = doc.fields["what"]
    variants = {role: 1.0} | {t: 1.0 for t in THESAURUS.get(role, ())}
    near = [
        p
        for p in positions(f, variants)
        if any(m.ref == answer and _distance([p], m) <= 8 and _same_sentence(f, p, m.start) for m in f.mentions)
    ]
    if not near:
        return ""
    owner, dest = _sides(index, f.words, f.mentions, near[0])

    def side(r: int | None) -> str | None:
        return None if r is None else (index.refs[r].country or index.refs[r].home or str(r))

    for asked, said, what in ((asked_dest, dest, "sent to"), (asked_owner, owner, "of")):
        if asked is not None and said is not None and side(asked) != side(said):
            return f"the best fact's {role} is {what} {index.display(said)}, not {index.display(asked)}"
        if (
            asked is not None
            and said is None
            and what == "sent to"
            and owner is not None
            and side(owner) == side(asked)
        ):
            return f"the best fact's {role} is {index.display(owner)}'s, not sent to it"
    return ""


# Nouns for a person that say nothing of the office, and nouns that cover several offices
# (a foreign minister is a diplomat; a U.S. Representative is a congressman).
_ANY_PERSON = frozenset(stem(w) for w in "man woman person figure official politician".split())
_ROLE_COVERS = {
    stem(k): frozenset(stem(w) for w in v.split())
    for k, v in {
        "diplomat": "ambassador envoy minister consul representative",
        "congressman": "representative senator lawmaker",
        "lawmaker": "representative senator congressman deputy",
        "activist": "coalition movement",
        "leader": "president premier minister chancellor king head",
    }.items()
}


def _as_roles(reading: Reading) -> list[str]:
    """ "who did Beijing send … *as its ambassador*": the role the answer holds."""
    return [
        stem(u.text)
        for u in reading.units
        if u.ref is None
        and stem(u.text) in _PERSON_ROLES
        and "as" in reading.words[max(0, u.position - 4) : u.position]
    ]


def _holds_role(doc: Doc, ref: int, noun: str, persons: frozenset[int] | None = None) -> bool:
    """The fact calls the person by the noun asked for ("Russia's *ambassador* …, Dmitry
    Zhirnov"): next to it, or (given who are persons) the person nearest to it in its sentence."""
    if noun in _ANY_PERSON:
        return True  # "which Kremlin point man", "which official": any person the fact names
    role = {noun: 1.0} | {t: 1.0 for t in THESAURUS.get(noun, ())} | {t: 1.0 for t in _ROLE_COVERS.get(noun, ())}
    for fname in ("what", "note"):
        f = doc.fields[fname]
        for p in positions(f, role):
            near = [m for m in f.mentions if _distance([p], m) <= 4]
            if any(m.ref == ref for m in near):
                return True
            if persons is not None:
                people = [m for m in f.mentions if m.ref in persons and _same_sentence(f, p, m.start)]
                if people and min(people, key=lambda m: _distance([p], m)).ref == ref:
                    return True
    return False


def _answer_choice(index: Corpus, reading: Reading) -> _Result:
    """ "Which country hosts a Taliban ambassador but has not recognised them: China or
    Russia?": the one option a fact says did (or, asked with "not", did not) the verb,
    in a fact that holds the question's other words; no answer unless exactly one fits."""
    predicate = _predicate(reading)
    if reading.order:
        return _first_of_choices(index, reading, predicate)
    fits: dict[int, Scored] = {}
    for option in reading.options:
        ranked = [
            s
            for s in _candidates_pool(index, reading)
            if any(m.ref == option for f in ("who", "what") for m in s.doc.fields[f].mentions)
        ]
        for s in ranked[:2]:
            if s.strong_coverage < 0.6 or not predicate or not _has(s.doc, predicate, ("what",)):
                continue
            slot = _mention_scores(reading, s.doc).get(option)
            acts = bool(_acts(index, s.doc, option, predicate))
            negated = slot is not None and slot.denied
            if (reading.negated and negated) or (not reading.negated and acts and not negated):
                fits[option] = s
                break
    if len(fits) != 1:
        return _Result(
            None,
            0.0,
            [],
            "the facts do not single out one of the choices" if fits else "no fact says it of either choice",
        )
    ((option, s),) = fits.items()
    return _Result(index.display(option), _gate(reading, s), [s], ref=option)


def _first_of_choices(index: Corpus, reading: Reading, predicate: dict[str, float]) -> _Result:
    """ "Which delisted the Taliban first, Kazakhstan or Kyrgyzstan?": each option's dated
    fact of the act; the earliest (or latest) one, when every option has one and they differ."""
    dated: dict[int, Scored] = {}
    for option in reading.options:
        mine = [
            s
            for s in index.rank(reading, dates=False)
            if s.fact.when is not None and any(m.ref == option for m in s.doc.fields["who"].mentions)
        ]
        mine = [s for s in mine if not predicate or _acts(index, s.doc, option, predicate)]
        if not mine:
            return _Result(None, 0.0, [], f"no dated fact says {index.display(option)} did it")
        dated[option] = mine[0]
    order = sorted(dated.items(), key=lambda kv: (kv[1].fact.when.start, kv[1].fact.when.end))  # type: ignore[union-attr]
    if reading.order == "last":
        order.reverse()
    (top, s), (_, other) = order[0], order[1]
    if s.fact.when.overlaps(other.fact.when):  # type: ignore[union-attr, arg-type]
        return _Result(None, 0.0, [], "the two dates overlap")
    return _Result(
        index.display(top),
        min(_gate(reading, s), _gate(reading, other)),
        [s, other],
        f"{_weekday_label(s.fact)} against {_weekday_label(other.fact)}",
        ref=top,
    )


def _in_quotes(doc: Doc, variants: dict[str, float]) -> bool:
    return any(doc.counts["sources"].get(v) for v in variants)


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


def _candidates_pool(index: Corpus, reading: Reading) -> list[Scored]:
    """The ranked facts a wh-question may be answered from: those its date filters allow."""
    hard = reading.hard_dates
    docs = [d for d in index.docs if all(d.fact.when and _within(h, d.fact.when) for h in hard)]
    return index.rank(reading, docs)


def _within(asked: DateMention, when: DateSpan) -> bool:
    """A fact's date fits a date the question gives: it overlaps it, and an event dated
    only by its month or year does not fit a day ("who criticised … on 4 July 2025": a
    fact of July 2025 may be of any day in July). A span with two ends (a state that
    lasted) fits any day inside it."""
    if not asked.overlaps(when.start, when.end):
        return False
    return not (asked.exact_day and not asked.month_day and not when.is_day and "/" not in when.text)


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


# How many next-best facts are tried when the best one does not entail the answer.
RETRIES = 2
# Scores this close to the best are a tie: the ranking cannot tell them apart.
NEAR_TIE = 0.97


def _span_days(fact: Fact) -> int:
    """How many days a fact's date covers (open ends count as very long)."""
    from datetime import date

    span = fact.when
    if span is None:
        return 10**9
    return (date.fromisoformat(span.end) - date.fromisoformat(span.start)).days


def _near_top(ranked: list[Scored], share: float = 0.75) -> list[Scored]:
    if not ranked:
        return []
    top = ranked[0].score
    return [s for s in ranked if s.score >= share * top]


# -- when


_TIME_OF_DAY = r"\b\d{1,2}[:.]\d{2}(?:\s*(?:a\.m\.|p\.m\.|am|pm))?(?:\s+[A-Z][a-z]+\s+time)?"


def _answer_time(index: Corpus, reading: Reading, ranked: list[Scored]) -> _Result:
    """ "At what time did the last US aircraft leave": the time of day written in the sentence
    of the fact that says the act ("at 3:29 p.m. Washington time"), or no answer."""
    import re

    predicate = _predicate(reading)
    best = ranked[0]
    f = best.doc.fields["what"]
    text = " ".join(f.raw)
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text):
        words = [stem(w) for w in normalise(sentence).split()]
        if predicate and not any(w in predicate for w in words):
            continue
        found = re.search(_TIME_OF_DAY, sentence)
        if found:
            return _Result(found.group(0), _gate(reading, best), [best])
    return _Result(None, 0.0, [], "the facts give dates, not a time of day, for it")


def _answer_when(index: Corpus, reading: Reading) -> _Result:
    ranked = [s for s in _candidates_pool(index, reading) if s.fact.when is not None]
    if not ranked:
        return _Result(None, 0.0, [], "no dated fact matches")
    if reading.wants_time:
        return _answer_time(index, reading, ranked)
    best = ranked[0]
    tied = _near_top(ranked, NEAR_TIE)
    if len(tied) > 1 and not reading.order:
        # As good a match, and a more exact date: an exact day beats a month or a
        # year, and an event beats a state that lasted (the shorter span).
        best = min(tied, key=lambda s: (_span_days(s.fact), -s.score))
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
        near = 0.0
        for k, unit in enumerate(reading.units):
            spots = (
                [x.start for x in f.mentions if x.ref == unit.ref]
                if unit.ref is not None
                else positions(f, unit.variants)
            )
            before = [
                p
                for p in spots
                if p < token and _content_between(f, p + 1, token) <= 3 and not _clause_between(f, p, token)
            ]
            if before:
                near += reading.idf[k] * (2.0 if any(v in reading.focus for v in unit.variants) else 1.0)
        if near and (best is None or near > best[0]):
            day = date_label(mention.start)
            best = (near, day)
    return best[1] if best else None


# -- who, where: names in the best facts


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
            spots = positions(f, unit.variants)
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
    spots = positions(f, _predicate(reading))
    if reading.object_question:
        # "presented his credentials to the Taliban prime minister Mohammad Hasan Akhund": the
        # object, through the titles and names that qualify it.
        inside = {i for o in f.mentions for i in range(o.start, o.end)}
        linked = [
            p for p in spots
            if 0 < m.start - p and not _clause_between(f, p, m.start)
            and sum(1 for i in range(p + 1, m.start) if f.stems[i] and i not in inside and f.words[i] not in TITLE_WORDS) <= 3
            and (not reading.object_prep or _after_preposition(f, m, reading.object_prep))
        ]  # fmt: skip
        return (0.8 if linked else 0.0), False
    bonus, denied = 0.0, False
    for p in spots:
        agent = _agent_after(f, p)
        if agent is not None and agent.ref != m.ref:
            continue  # "Putin on the proposal of Lavrov": the proposal is Lavrov's
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


def _after_preposition(f: Field, m: Mention, prep: str) -> bool:
    """ "… presented his letter *to* (the) President Vladimir Putin": the preposition stands
    right before the name, past articles and titles."""
    inside = {j for o in f.mentions if o is not m for j in range(o.start, o.end)}
    i = m.start - 1
    while i >= 0 and (f.words[i] in ("the", "a", "an") or f.words[i] in TITLE_WORDS or i in inside):
        i -= 1
    return i >= 0 and f.words[i] == prep


def _clause_between(f: Field, a: int, b: int) -> bool:
    """True when a comma or a full stop separates positions a < b."""
    return any(a <= i < b for i in f.breaks)


def _mentions_of_doc(doc: Doc) -> list[tuple[str, Mention]]:
    """Every mention in what and note, plus "he/she" in what standing for the who."""
    found = [(name, m) for name in ("what", "note") for m in doc.fields[name].mentions]
    who_refs = [m.ref for m in doc.fields["who"].mentions]
    if who_refs:
        for i, w in enumerate(doc.fields["what"].words):
            if w in _PRONOUNS:
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


def _qualifies(doc: Doc, fname: str, m: Mention, persons: frozenset[int]) -> bool:
    """True when a mention only qualifies the person named just after it
    ("*Taliban* Foreign Minister Amir Khan Muttaqi", "*Chinese* President Xi")."""
    f = doc.fields[fname]
    return any(
        o.ref in persons and o.ref != m.ref and 0 <= o.start - m.end <= 3 and not _clause_between(f, m.end - 1, o.start)
        for o in f.mentions
    )


def _mention_scores(reading: Reading, doc: Doc, persons: frozenset[int] | None = None) -> dict[int, _Slot]:
    """The best mention of each name in a fact: closeness to the question's words,
    place against its verb, closeness to the role asked for (notes count half)."""
    slots: dict[int, _Slot] = {m.ref: _Slot() for m in doc.fields["who"].mentions}
    for fname, m in _mentions_of_doc(doc):
        f = doc.fields[fname]
        if fname == "note" and _reported_error(f, m.start):
            continue  # a name the note says a source got wrong ("the article's Ghul Haseen")
        syntax, denied = _syntax_bonus(reading, f, m)
        score = _attachment(reading, f, m) + syntax
        if reading.role:
            spots = positions(f, {r: 1.0 for r in reading.role})
            if spots:
                score += 2.0 / (1 + _distance(spots, m))
        if fname == "note":
            score *= 0.5
        if persons is not None and m.ref not in persons and _qualifies(doc, fname, m, persons):
            score *= 0.3  # "who did Zhirnov meet": Muttaqi, not the Taliban of "Taliban Foreign Minister Muttaqi"
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


def _who_candidates(index: Corpus, reading: Reading, scored: Scored) -> dict[int, float]:
    """Names in a fact that may answer a who-question, and how well each fits."""
    doc = scored.doc
    asked = reading.question_refs
    asked_homes = {index.refs[r].country or index.refs[r].home for r in asked} - {None}
    who_refs = {m.ref for m in doc.fields["who"].mentions}
    persons = index.persons
    slots = _mention_scores(reading, doc, persons)
    if _slot_taken(reading, slots):
        return {}
    out: dict[int, float] = {}
    person_asked = (
        (bool(reading.role) and reading.role[-1] in _PERSON_ROLES)
        or bool(_as_roles(reading))
        or (reading.passive and any(u.ref is None and stem(u.text) in _PERSON_ROLES for u in reading.units))
    )  # "who was appointed ambassador": a person
    for r, slot in slots.items():
        ref = index.refs[r]
        if r in asked or (ref.country and ref.country in asked_homes):
            continue
        if person_asked and ref.kind != "person":
            continue  # "who was the judge": a person, not the court's office
        score = slot.score
        if r in who_refs:
            score += 0.2 if reading.role else 0.6  # "who is the X": whoever is next to X, not the actor
            if reading.object_question and not reading.passive:
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


def _role_attached(index: Corpus, reading: Reading, doc: Doc) -> bool:
    """The role asked for stands next to what the question ties it to: "Russia's
    ambassador", "the Taliban Foreign Minister" (or a name of the same country)."""
    if not reading.role or not reading.role_refs:
        return True
    role = {r: 1.0 for r in reading.role} | {t: 1.0 for r in reading.role for t in THESAURUS.get(r, ())}
    tied = set(reading.role_refs)
    homes = {index.refs[r].country or index.refs[r].home for r in tied} - {None}
    for fname in ("what", "note"):
        f = doc.fields[fname]
        spots = positions(f, role)
        for m in f.mentions:
            ref = index.refs[m.ref]
            if (m.ref in tied or (ref.country or ref.home) in homes) and _distance(spots, m) <= 4:
                return True
    # (A title with no owner in a fact about that country, "Foreign Minister Sergey Lavrov",
    # was tried as enough: it answered "who is Russia's foreign minister" with the Taliban's.)
    return False


def _role_taken(index: Corpus, reading: Reading, scored: Scored) -> bool:
    """True when the role asked for is held, in this fact, by a name the question
    itself gives outside the role ("Russia's ambassador … before Zhirnov")."""
    if not reading.role:
        return False
    outside = reading.question_refs - set(reading.role_refs)
    if not outside:
        return False
    f = scored.doc.fields["what"]
    spots = positions(f, {r: 1.0 for r in reading.role})
    if not spots:
        return False
    nearest = sorted((_distance(spots, m), m.ref) for m in f.mentions if m.ref not in reading.role_refs)
    return bool(nearest) and nearest[0][1] in outside and nearest[0][0] <= 4


def _answer_describe(index: Corpus, reading: Reading) -> _Result:
    """ "Who is Zamir Kabulov?": how the facts describe the name, from the best fact
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


_DETERMINERS = frozenset("the a an its their his her this that these those".split())


def _answer_thing(index: Corpus, reading: Reading, ranked: list[Scored]) -> _Result:
    """ "What flag went up …", "which flag did it replace": the noun phrase of the fact
    that holds the noun asked for, on the side of the verb the question puts it (the
    subject of "went up", the object of "did … replace")."""
    predicate = _predicate(reading)
    for s in ranked[:2]:
        f = s.doc.fields["what"]
        spots = [p for p in positions(f, {reading.noun: 1.0})]
        if not spots:
            continue
        verbs = positions(f, predicate) if predicate else []
        if verbs:
            if reading.object_question:
                after = [p for p in spots if any(0 < p - v <= 6 for v in verbs)]
                spots = after
            else:
                before = [
                    p
                    for p in spots
                    if any(v > p for v in verbs) and not _clause_between(f, p, min(v for v in verbs if v > p))
                ]
                spots = before or [p for p in spots if not any(0 < p - v <= 6 for v in verbs)]
        elif set(reading.focus) - _LIGHT_STEMS:
            continue
        if len(spots) != 1:
            continue  # none, or more than one such thing in the fact: not sure which is meant
        return _Result(_noun_phrase(f, spots[0]), _gate(reading, s), [s])
    return _Result(None, 0.0, [], f"no fact says which {reading.noun}")


def _noun_phrase(f: Field, p: int) -> str:
    """The words around a noun that say which one it is: "white flag with the shahada",
    "black-red-green flag of the former Republic"."""
    raw = f.raw
    i = f.raw_of[p]
    start = i
    while (
        start > 0
        and raw[start - 1].lower() not in _DETERMINERS
        and not raw[start - 1].endswith((",", ".", ";", ":"))
        and not _verb_form(raw[start - 1].lower())
        and i - start < 3
    ):
        start -= 1
    end = i + 1
    if not raw[i].endswith((",", ".", ";", ":")) and end < len(raw) and raw[end].lower() in ("with", "of"):
        end += 1
        while end < len(raw) and end - i <= 5:
            word = raw[end]
            if _verb_form(word.lower()) or word.lower() in AUX:
                break
            end += 1
            if word.endswith((",", ".", ";", ":")):
                break
    return " ".join(raw[start:end]).rstrip(",.;:")


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


def _answer_who(index: Corpus, reading: Reading) -> _Result:
    if reading.describe is not None:
        return _answer_describe(index, reading)
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    if reading.noun and reading.noun not in _PERSON_ROLES:
        # "which court suspended …": the fact's actor, when its name is a court.
        for s in ranked[:2]:
            for m in s.doc.fields["who"].mentions:
                if m.ref not in reading.question_refs and reading.noun in {
                    stem(w) for n in index.refs[m.ref].names for w in n.split()
                }:
                    return _Result(index.refs[m.ref].key, _gate(reading, s), [s], ref=m.ref)
    if reading.noun and reading.noun not in _PERSON_ROLES and reading.noun not in _AGENT_NOUNS:
        return _answer_thing(index, reading, ranked)
    if _role_taken(index, reading, ranked[0]):
        return _Result(None, 0.0, [], "the facts name only the person the question gives")
    # The best fact that names someone the question does not (and, asked for a
    # role, has that role where the question puts it); the next facts only break ties.
    tried = ranked[:3]
    if reading.role_refs:
        tried.sort(key=lambda s: not _role_attached(index, reading, s.doc))
    for i, s in enumerate(tried):
        own = _who_candidates(index, reading, s)
        if own and reading.asks_subject and set(reading.focus) - _LIGHT_STEMS:
            # "who proposed …": of the names in the fact, the ones that did it
            doers = {r: v for r, v in own.items() if _did_it(index, reading, s.doc, r)}
            own = doers or own
        if own and reading.role and reading.role[-1] in _PERSON_ROLES:
            # "who is the Taliban's ambassador to China": of the persons in the fact, the one it calls that
            persons = index.persons
            holders = {
                r: v
                for r, v in own.items()
                if _holds_role(s.doc, r, reading.role[-1], persons) and not _direction_differs(index, reading, s.doc, r)
            }
            own = holders or own
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
    if reading.role and not _has(
        s.doc,
        {r: 1.0 for r in reading.role} | {t: 1.0 for r in reading.role for t in THESAURUS.get(r, ())},
        ("what", "note"),
    ):
        confidence *= 0.5  # "who is the supreme leader …": the fact names no leader
    return _Result(index.refs[winner].key, confidence, [s], ref=winner)


def _country_candidates(index: Corpus, reading: Reading, scored: Scored, location: bool) -> dict[str, float]:
    """Countries a fact offers as the answer to "which country …" (not those the question names)."""
    doc = scored.doc
    asked = {index.refs[r].country or index.refs[r].home for r in reading.question_refs} - {None}
    # "… bought flour *from Moscow*": the country a place in the question stands for is not the answer
    asked |= {
        r.country or r.home
        for p in _asked_places(index, reading, any_preposition=True)
        for r in index.refs
        if p in r.places
    } - {None}
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


def _asked_places(index: Corpus, reading: Reading, any_preposition: bool = False) -> list[str]:
    """The places a question puts its event in ("… in Kabul", "… at the Kremlin"; with
    any_preposition, also "from Moscow", "to Kabul")."""
    before = ("in", "at", "the", "from", "to", "into") if any_preposition else ("in", "at", "the")
    return [
        u.text
        for u in reading.units
        if u.ref is None and u.position > 0 and reading.words[u.position - 1] in before and _is_place(index, u.text)
    ]


def _is_place(index: Corpus, word: str) -> bool:
    """A word that names a place: a city that stands for a government (Moscow, Kabul)."""
    return any(word in r.places for r in index.refs)


def _city_of_event(index: Corpus, reading: Reading, doc: Doc) -> str | None:
    """The place a fact puts the question's event in: a place name after "in", "to"
    or "at" following its verb ("arrived in Moscow", "moved … to Doha, Qatar",
    "received, in Moscow, copies"), that is not a country."""
    f = doc.fields["what"]
    raw = f.raw
    verbs = sorted({f.raw_of[p] for p in positions(f, _predicate(reading))}) if reading.focus else []
    reach = 12
    if not verbs and reading.focus:
        verbs = [-1]  # the verb is not the fact's: the place its first sentence gives
        reach = len(raw)  # anywhere in that sentence (the loop stops at its end)
    for v in verbs:
        for j in range(v + 1, min(v + reach, len(raw) - 1)):
            if j > 0 and _ends_sentence(raw[j - 1]) and j > v + 1:
                break
            if raw[j].lower() not in ("in", "to", "at"):
                continue
            k = j + 1
            if raw[k].lower() == "the" and k + 1 < len(raw):
                k += 1
            name: list[str] = []
            while k < len(raw) and raw[k][:1].isupper():
                word = raw[k].rstrip(",.;:)")
                name.append(word.removesuffix("'s").removesuffix("’s"))
                if word != raw[k] or word != name[-1]:
                    break
                k += 1
            place = " ".join(name)
            if (
                place
                and not countries.resolve(place)
                and not index.names.find(normalise(place).split())
                or place
                and any(normalise(place) in r.places for r in index.refs)
            ):
                return place
    return None


# Capitalised words after "in" that are dates, not places ("in July", "in Spring 2025").
_CALENDAR_WORDS = frozenset([*MONTH_WORDS, *SEASONS, *(d.lower() for d in DAY_NAMES)])


def _names_a_place(doc: Doc) -> bool:
    """Whether a fact's first sentence puts its event in a named place that is not a
    country ("… at a ceremony in Beijing's Great Hall", "… in Kabul")."""
    raw = doc.fields["what"].raw
    for j, word in enumerate(raw[:-1]):
        if j > 0 and _ends_sentence(raw[j - 1]):
            break
        if word.lower() not in ("in", "at"):
            continue
        k = j + 2 if raw[j + 1].lower() == "the" and j + 2 < len(raw) else j + 1
        name = raw[k].rstrip(",.;:)").removesuffix("'s").removesuffix("’s")
        if name[:1].isupper() and name.lower() not in _CALENDAR_WORDS and not countries.resolve(name):
            return True
    return False


def _answer_where(index: Corpus, reading: Reading) -> _Result:
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    asks_country = any(w in ("country", "countries", "nation", "state") for w in reading.words[:3])
    if (reading.location and not asks_country) or reading.wants_city:
        # "where did he arrive", "in which city …": the city the fact puts it in.
        for s in ranked[:2]:
            city = _city_of_event(index, reading, s.doc)
            if city:
                return _Result(city, _gate(reading, s), [s])
        if reading.wants_city:
            return _Result(None, 0.0, [], "the best facts name no city for it")
    for i, s in enumerate(ranked[:3]):
        own = _country_candidates(index, reading, s, reading.location)
        if own:
            break
    else:
        return _Result(None, 0.0, [], "the best facts name no other country")
    if reading.location and not asks_country and _names_a_place(s.doc):
        # "where did X receive …": the fact names the place; a country would be the wrong part of it
        return _Result(None, 0.0, [], "the fact names a place more precise than a country, not read as the answer")
    code = max(sorted(own), key=lambda c: own[c])
    return _Result(
        countries.display_name(code), _gate(reading, s) * (1.0 if i == 0 else 0.8), [s], ref=index.country_ref(code)
    )


def _negated(doc: Doc, stems: Iterable[str], fields: Sequence[str] = ("what",)) -> bool:
    """True when one of the stems is negated in the fact ("had not formally recognized")."""
    wanted = set(stems)
    for fname in fields:
        f = doc.fields[fname]
        for i, s in enumerate(f.stems):
            if s in wanted:
                window = f.words[max(0, i - 4) : i]
                if any(w in NEGATORS or (w.endswith("nt") and w[:-2] in AUX | {"wo", "ca"}) for w in window):
                    return True
    return False


def _predicate(reading: Reading) -> dict[str, float]:
    """The stems of the verb the question turns on, with its synonyms (not the bare verb
    of a phrasal one: "given back" is not "given")."""
    for unit in reading.units:
        if unit.ref is None and any(v in reading.focus for v in unit.variants):
            return {v: w for v, w in unit.variants.items() if w >= SYNONYM_WEIGHT or v in reading.focus}
    return {s: 1.0 for s in reading.focus}


def _has(doc: Doc, variants: dict[str, float], fields: Sequence[str] = ("what", "who")) -> bool:
    return any(doc.counts[f].get(v) for f in fields for v in variants)


def _has_in_first_sentence(doc: Doc, variants: dict[str, float]) -> bool:
    f = doc.fields["what"]
    end = min(f.sentence_ends, default=len(f.words))
    return any(p <= end for p in positions(f, variants))


def _country_of_actor(index: Corpus, reading: Reading, doc: Doc, ref: int, asked: set[str]) -> str | None:
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


def _list_countries(index: Corpus, reading: Reading) -> tuple[list[str], list[Scored]]:
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
        actors = [
            (slot.score, r)
            for r, slot in slots.items()
            if slot.subject or (in_note and slot.subject_in_note) or (r in who_refs and acts)
        ]
        for _, r in sorted(actors, reverse=True):
            code = _country_of_actor(index, reading, s.doc, r, asked)  # type: ignore[arg-type]
            if code and code not in asked:
                found.setdefault(code, s)
                if set(predicate) & _RECIPROCAL:
                    # "signed a deal *with Russia*": both sides of a two-sided act did it.
                    for other in _partners(index, s.doc, predicate):
                        if other not in asked:
                            found.setdefault(other, s)
                break
    if reading.excluding:
        for code in list(found):
            if _did(index, reading, code, {s: 1.0 for s in reading.excluding}):
                del found[code]
    names = sorted(countries.display_name(c) for c in found)
    support = sorted(found.values(), key=lambda s: -s.score)
    return names, support


# Acts that take two sides: who does one with someone, that one does it too.
_RECIPROCAL = frozenset(stem(w) for w in "sign agree meet exchange negotiate".split())


def _partners(index: Corpus, doc: Doc, predicate: dict[str, float]) -> list[str]:
    """Countries named after "with" in the clause of a two-sided act ("signed a deal with Russia")."""
    f = doc.fields["what"]
    found = []
    for p in positions(f, predicate):
        for m in f.mentions:
            if 0 < m.start - p <= 6 and "with" in f.words[p + 1 : m.start] and not _clause_between(f, p, m.start):
                code = index.refs[m.ref].country or index.refs[m.ref].home
                if code:
                    found.append(code)
    return found


def _did(index: Corpus, reading: Reading, code: str, predicate: dict[str, float]) -> bool:
    """True when a fact whose actor is this country says it did the predicate (not negated)."""
    for doc in index.docs:
        who = [index.refs[m.ref] for m in doc.fields["who"].mentions]
        if not any((r.country or r.home) == code for r in who):
            continue
        if _has(doc, predicate, ("what",)) and not _negated(doc, predicate):
            return True
    return False


def _answer_list(index: Corpus, reading: Reading) -> _Result:
    names, support = _list_countries(index, reading)
    if not names:
        return _Result(None, 0.0, [], "no fact matches")
    return _Result(", ".join(names), _gate(reading, support[0]), support)


# -- how many


def _event(index: Corpus, text: str) -> _Result:
    """The one fact a phrase names an event of ("Kabul fell", "the last US plane left"), checked."""
    sub = read(f"when did {text}", index)
    predicate = _predicate(sub)
    # not a fact that only reports the event ("Kabulov told RIA that Russia had recognised"), nor one
    # that says it as a state ("remained the only country to have recognised"): its date is not the event's
    ranked = [
        s
        for s in index.rank(sub, dates=False)
        if s.fact.when is not None and not (predicate and (_reported(s.doc, predicate) or _as_state(s.doc, predicate)))
    ]
    if not ranked:
        return _Result(None, 0.0, [], f"no dated fact says {text}")
    # Of the facts that fit about as well, those that pass the phrase's checks (its actor
    # does its verb, …): one date among them is the event's; two are a tie, declined.
    # Without an actor ("the formal recognition") every fact that tells of the act about
    # as well is a candidate (its reactions too): the window is wider.
    window = NEAR_TIE if sub.subject is not None else 0.5
    near = [s for s in ranked if s.score >= window * ranked[0].score]
    results = [_verified(index, sub, _Result(s.fact.when.text, _gate(sub, s), [s])) for s in near]  # type: ignore[union-attr]
    passed = [r for r in results if r.text is not None]
    if not passed:
        return results[0]
    if len({r.support[0].fact.when for r in passed}) > 1:
        return _Result(None, 0.0, [], f"two facts with different dates fit {text!r} as well")
    return passed[0]


def _answer_interval(index: Corpus, reading: Reading) -> _Result:
    """ "How many days after A did B": the days (weeks, months, years) between the two facts' dates."""
    from datetime import date

    unit, how, first, second = reading.interval  # type: ignore[misc]
    a, b = _event(index, first), _event(index, second)
    for side in (a, b):
        if side.text is None or side.confidence < THRESHOLD:
            return _Result(None, 0.0, [], side.reason or "not sure which fact is meant")
    wa, wb = a.support[0].fact.when, b.support[0].fact.when
    assert wa is not None and wb is not None
    exact = {
        "days": wa.is_day and wb.is_day,
        "weeks": wa.is_day and wb.is_day,
        "months": wa.start[:7] == wa.end[:7] and wb.start[:7] == wb.end[:7],
        "years": wa.start[:4] == wa.end[:4] and wb.start[:4] == wb.end[:4],
    }
    if not exact[unit]:
        return _Result(None, 0.0, [], f"the facts' dates ({wa.text}, {wb.text}) are not exact enough to count {unit}")
    da, db = date.fromisoformat(wa.start), date.fromisoformat(wb.start)
    delta = (db - da).days if how in ("after", "between") else (da - db).days
    if delta < 0 and how != "between":
        return _Result(None, 0.0, [], f"{wb.text} is not {how} {wa.text}")
    days = abs(delta)
    if unit == "days":
        value = days
    elif unit == "weeks":
        value = round(days / 7)
    elif unit == "months":
        value = abs((db.year - da.year) * 12 + db.month - da.month)
    else:
        value = abs(db.year - da.year)
    return _Result(
        str(value), min(a.confidence, b.confidence), [a.support[0], b.support[0]], f"from {wa.text} to {wb.text}"
    )


def _answer_count(index: Corpus, reading: Reading) -> _Result:
    if reading.interval:
        return _answer_interval(index, reading)
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    unit = reading.unit_of_count
    predicate = {v: w for v, w in _predicate(reading).items() if v not in _LIGHT_STEMS and v not in _QUANTITY_STEMS}
    best: tuple[float, Number, Scored] | None = None
    in_act = False  # the best number stands in a sentence that says the act asked about
    for s in _near_top(ranked, 0.5)[:5]:
        for fname, factor in (("what", 1.0), ("note", 0.5)):
            f = s.doc.fields[fname]
            for number in numbers_in(f.raw):
                token = _token_of_raw(f, number.start)
                if fname == "note" and _reported_error(f, token):
                    continue  # "the article says 2023": what a source got wrong is never the answer
                unit_ok = bool(unit) and (
                    stem(normalise(number.unit)) == unit
                    or stem(normalise(number.unit)) in THESAURUS.get(unit, ())
                    or _counts_of(f, token, unit)
                )
                if unit and not unit_ok:
                    continue
                if not unit and not number.money:
                    continue
                closeness = _attachment(reading, f, Mention(-1, token, token + 1)) + _counted(reading, f, token)
                value = factor * (s.score / ranked[0].score) * (1 + closeness)
                here = bool(predicate) and any(_same_sentence(f, p, token) for p in positions(f, predicate))
                if here:
                    value *= 4.0  # "$172 million was Afghan *imports*": the number in the sentence of the act asked
                if best is None or value > best[0]:
                    best, in_act = (value, number, s), here
    if best is None:
        if unit == stem("countries"):
            names, support = _list_countries(index, reading)
            if names:
                return _Result(str(len(names)), _gate(reading, support[0]), support)
        return _Result(None, 0.0, [], f"no fact gives a number of {unit or 'anything asked'}")
    _, number, s = best
    acting = any(
        w in ("did", "does", "do", "has", "have", "had") for w in reading.words
    )  # "how much did X import", not "how many were on …"
    if predicate and acting and not in_act:
        return _Result(None, 0.0, [], f"no number stands where a fact says {'/'.join(reading.focus)}")
    # "Seventeen countries" answers "17"; "2 million", "$560 million" stay as written.
    said = number.text if any(c.isdigit() for c in number.text) else f"{number.value:g}"
    return _Result(said, _gate(reading, s), [s])


def _counts_of(f: Field, token: int, unit: str) -> bool:
    """ "how much wheat": a number of something *of wheat* ("2 million tonnes of wheat")."""
    return any(
        f.stems[i] == unit
        for i in range(token + 1, min(token + 5, len(f.stems)))
        if i - 1 not in f.breaks or i == token + 1
    )


def _same_sentence(f: Field, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not any(lo <= e < hi for e in f.sentence_ends)


def _counted(reading: Reading, f: Field, token: int) -> float:
    """What a number counts, read after it ("2 million tonnes *of wheat*"): the
    question's words there weigh most."""
    phrase: list[str] = []
    for i in range(token + 1, min(token + 7, len(f.stems))):
        if f.words[i] == "and" or (i - 1 in f.breaks and i > token + 1):
            break
        phrase.append(f.stems[i])
    return sum(
        2 * reading.idf[k]
        for k, u in enumerate(reading.units)
        if u.ref is None and any(v in phrase for v in u.variants) and stem(u.text) != reading.unit_of_count
    )


def _token_of_raw(f: Field, raw_index: int) -> int:
    for i, r in enumerate(f.raw_of):
        if r == raw_index:
            return i
    return 0


# -- yes / no


def _answer_yesno(index: Corpus, reading: Reading) -> _Result:
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
        speaking = [
            s
            for s in _near_top(ranked, 0.6)
            if _acts(index, s.doc, subject, predicate)
            and all(s.doc.refs.get(r, 0) >= 0.8 for r in reading.question_refs)
        ]
        if speaking:
            best = speaking[0]
    if hard:
        agreeing = [
            s
            for s in _near_top(ranked, 0.85)
            if s.fact.when and date_agreement(reading, s.fact) and s.coverage >= 0.9 * best.coverage
        ]
        if agreeing:
            best = agreeing[0]
    conf = _gate(reading, best)
    doc = best.doc
    if hard and best.fact.when and not date_agreement(reading, best.fact):
        # A named actor's act on another date is a "no"; "did anyone … since 2026",
        # two dates compared ("more in 2024 than in 2023"), or an actor the fact does
        # not have, is a question the facts do not settle.
        actor = subject is not None and any(m.ref == subject for m in doc.fields["who"].mentions)
        # … or, with no actor named ("was the letter handed to Putin on 3 July?"), a fact that
        # holds every name and word of the question
        whole = (
            subject is None
            and best.strong_coverage >= 0.9
            and all(k in best.matched for k, u in enumerate(reading.units) if u.ref is not None)
        )
        if len(hard) > 1 or reading.existential or not (actor or whole):
            return _Result(None, 0.0, [], "the facts do not settle it for that date")
        said = " / ".join(d.text for d in hard)
        return _Result(f"No: {_weekday_label(best.fact)}, not {said}", conf, [best], "the date differs")
    spots = _acts(index, doc, subject, predicate) if predicate else []
    if spots and any(_negated_at(doc.fields["what"], p) for p in spots):
        if reading.negated:  # "is it true that China had *not* recognised …": it had not, so yes
            return _Result(
                f"Yes: {best.fact.what}" if reading.claim else "Yes",
                conf,
                [best],
                "the fact negates it, as the question does",
            )
        return _Result(f"No: {best.fact.what}", conf, [best], "the fact negates it")
    if reading.negated and spots:
        # "did Pakistan refuse to upgrade …", "had China not …": the fact says it did
        return _Result(f"No: {best.fact.what}", conf, [best], "the fact says it was done")
    unsupported = [
        k
        for k, unit in enumerate(reading.units)
        if unit.ref is None and best.matched.get(k, (0, ""))[1] not in ("who", "what", "tags", "country")
    ]
    disowned = [k for k in unsupported if _note_disowns(doc, reading.units[k].variants)]
    if disowned and sum(reading.idf[k] for k in disowned) >= 0.15 * sum(reading.idf):
        return _Result(f"No: {best.fact.what}", max(conf, 0.6), [best], "the curator's note corrects it")
    if predicate and not spots:
        # The actor did the opposite ("did the EU welcome …": the EU criticised it): no.
        for s in [best, *[x for x in ranked[1:3] if x.coverage >= 0.5]]:
            opposite = {o: 1.0 for v in predicate for o in ANTONYMS.get(v, ())}
            if (
                opposite
                and subject is not None
                and any(not _negated_at(s.doc.fields["what"], p) for p in _acts(index, s.doc, subject, opposite))
            ):
                return _Result(f"No: {s.fact.what}", _gate(reading, s), [s], "the fact says the opposite")
        # Others doing it is not this actor not doing it: the facts do not settle it.
        return _Result(None, 0.0, [], "no fact says the question's actor did it")
    if predicate and any(_negated_at(doc.fields["what"], p) for p in positions(doc.fields["what"], predicate)):
        return _Result(None, 0.0, [], "the fact negates the verb for someone")
    asked_places = _asked_places(index, reading)
    said_place = _city_of_event(index, reading, doc) if asked_places else None
    if said_place and normalise(said_place) not in asked_places:
        return _Result(f"No: {best.fact.what}", conf, [best], "the place differs")
    weak = [
        u.text
        for k, u in enumerate(reading.units)
        if best.matched.get(k, (0.0, ""))[1] not in ("who", "what", "tags", "country")
        and not any(f" {u.text} " in doc.joined[n] for n in ("who", "what"))
    ]
    if weak:
        # "Yes" needs every word of the question in what the fact itself says.
        return _Result(None, 0.0, [], f"the fact does not say {', '.join(weak)}")
    if reading.existential and {m.ref for m in doc.fields["who"].mentions} & set(reading.excluded):
        return _Result(None, 0.0, [], "the fact is about the one the question leaves out")
    if reading.negated or _DETERMINER_NEGATION & set(reading.words):
        # "is it true that China has *no* Taliban-appointed ambassador": a "yes" needs a fact that
        # negates it too (above); one that merely holds the question's words says the opposite
        return _Result(None, 0.0, [], "the question is negated and no fact negates it")
    return _Result(f"Yes: {best.fact.what}" if reading.claim else "Yes", conf, [best])


# Negation by a determiner or pronoun ("has *no* ambassador", "*none* of them"), which the
# reading does not model as a negated verb.
_DETERMINER_NEGATION = frozenset("no none nobody nothing neither nor".split())


def _denies(index: Corpus, doc: Doc, predicate: dict[str, float], subject: int | None) -> bool:
    """True when every place what the fact says the (subject's) verb negates it ("the United
    States does not and will not recognize")."""
    f = doc.fields["what"]
    spots = _acts(index, doc, subject, predicate)
    return bool(spots) and all(_negated_at(f, p) for p in spots)


def _negated_at(f: Field, p: int) -> bool:
    window = f.words[max(0, p - 4) : p]
    return any(w in NEGATORS or (w.endswith("nt") and w[:-2] in AUX | {"wo", "ca"}) for w in window)


# A name right after one of these is the object of a preposition, not the subject of a verb.
_PREPOSITIONS = frozenset("to in at from into with for of on against toward towards".split())


def _acts(index: Corpus, doc: Doc, subject: int | None, predicate: dict[str, float]) -> list[int]:
    """Where, in what the fact says, the question's actor does the verb.

    The actor is the fact's "who" when the verb is in its first sentence, or a
    name earlier in the verb's sentence, unless another name that is not a
    person stands right before the verb ("… criticised *Russia's* recognition"
    says Russia recognised, not the critic). Without a named actor, every
    place the verb appears.
    """
    f = doc.fields["what"]
    spots = positions(f, predicate)
    if subject is None or not spots:
        return spots
    ends = sorted(f.sentence_ends)
    first_end = ends[0] if ends else len(f.words)
    subject_home = index.refs[subject].country or index.refs[subject].home
    who = {m.ref for m in doc.fields["who"].mentions}

    # The same side: the subject, or a name of the same country ("Afghan" and an Afghan coalition).
    def same(r: int) -> bool:
        return r == subject or (
            subject_home is not None and (index.refs[r].country or index.refs[r].home) == subject_home
        )

    found = []
    for p in spots:
        sentence_start = max((e + 1 for e in ends if e < p), default=0)
        before = [m for m in f.mentions if sentence_start <= m.start and m.end <= p]
        close = [
            m
            for m in before
            if _content_between(f, m.end, p) <= 3
            and not _clause_between(f, m.end - 1, p)
            and (m.start == 0 or f.words[m.start - 1] not in _PREPOSITIONS)  # "… ambassador to Russia … and arrived"
        ]
        other = close[-1] if close else None
        owner = other is not None and (
            f.raw[f.raw_of[other.end - 1]].endswith(("'s", "’s"))
            or _verb_form(f.words[p])
            or (other.end == p and _act_noun(f.words[p]))
        )  # "Russia's recognition", "*Russian* recognition"
        if other is not None and owner and not same(other.ref) and index.refs[other.ref].kind != "person":
            continue  # someone else's act
        agent = _agent_after(f, p)
        if agent is not None:
            if same(agent.ref):
                found.append(p)  # "on the proposal *of* … Lavrov": Lavrov proposed
            continue  # … and not the one before it
        if any(same(m.ref) for m in before) or (p <= first_end and any(same(r) for r in who)):
            found.append(p)
    return found


_REPORTING = frozenset(stem(w) for w in "say said told tell announce report confirm".split())


def _reported(doc: Doc, predicate: dict[str, float]) -> bool:
    """True when every place the fact says the verb is inside a report of it ("*According
    to* Zhirnov, the decision … was taken", "Kabulov *told* RIA that Russia had recognised"):
    the fact is dated by the report, which says nothing of when the act itself was."""
    f = doc.fields["what"]
    spots = positions(f, predicate)
    if not spots or set(predicate) & _REPORTING:
        return False

    def inside(p: int) -> bool:
        start = max((e + 1 for e in f.sentence_ends if e < p), default=0)
        before = f.words[start:p]
        return before[:2] == ["according", "to"] or any(s in _REPORTING for s in f.stems[start:p]) and "that" in before

    return all(inside(p) for p in spots)


def _as_state(doc: Doc, predicate: dict[str, float]) -> bool:
    """True when every place the fact says the verb is in the perfect ("remained the only
    country *to have formally recognized*", "has recognised"): it dates a state, not the act."""
    f = doc.fields["what"]
    spots = positions(f, predicate)
    return bool(spots) and all(any(w in ("have", "has", "had") for w in f.words[max(0, p - 2) : p]) for p in spots)


def _agent_after(f: Field, p: int) -> Mention | None:
    """The name that does a verb's noun: "the proposal *of Foreign Minister Sergey Lavrov*",
    "the request *of the Prosecutor General*" (the noun, then "of", then the name)."""
    if f.words[p].endswith(("ed", "ing")) or p + 1 >= len(f.words) or f.words[p + 1] != "of" or p in f.breaks:
        return None
    return next((m for m in f.mentions if 0 < m.start - (p + 1) <= 4 and not _clause_between(f, p, m.start)), None)


def _others_act(index: Corpus, doc: Doc, subject: int, predicate: dict[str, float]) -> bool:
    """True when every place what the fact says holds the verb has it as someone else's:
    "*Russia's* recognition" in a fact whose actor is Putin."""
    f = doc.fields["what"]
    spots = positions(f, predicate)
    if not spots:
        return False
    home = index.refs[subject].country or index.refs[subject].home

    def owned_by_other(p: int) -> bool:
        for m in f.mentions:
            if m.end == p or (m.end == p - 1 and f.words[p - 1] == "s"):
                possessive = f.raw[f.raw_of[m.end - 1]].endswith(("'s", "’s"))
                if (
                    (possessive or _act_noun(f.words[p]))
                    and m.ref != subject
                    and (index.refs[m.ref].country or index.refs[m.ref].home) != home
                ):
                    return True
        return False

    return all(owned_by_other(p) for p in spots)


def _act_noun(word: str) -> bool:
    """A noun that names an act ("recognition", "withdrawal", "agreement"), not a holder ("consul")."""
    return word.endswith(("tion", "sion", "ment", "ance", "ence", "al"))


def _verb_form(word: str) -> bool:
    """A word that is a verb as it stands ("recognised", "recognizing", "took")."""
    return word.endswith(("ed", "ing")) or word in IRREGULAR_VERBS


def _content_between(f: Field, a: int, b: int) -> int:
    """Words that carry content between two positions (not stop words, not -ly adverbs)."""
    return sum(1 for i in range(a, b) if f.stems[i] and not f.words[i].endswith("ly"))


# A note disowns a word when every sentence of it that holds the word reports a source's
# version, calls it wrong or negates it.
_DISOWNING = NEGATORS | frozenset(
    "article only instead wrong wrongly incorrect incorrectly misquote misquoted mistranslation sic however unconfirmed".split()
)


# Words by which a curator's note reports what a source got wrong ("the article" alone may report it right).
_REPORTING_ERROR = frozenset(
    "misquote misquotes misquoted mistranslation mistranslates sic wrong wrongly incorrect incorrectly erroneous erroneously error mistaken mistakenly misspelled misspells misspelling".split()
)


def _reported_error(f: Field, p: int) -> bool:
    """True when position p of a note stands in a sentence reporting a source's error."""
    start = max((e + 1 for e in f.sentence_ends if e < p), default=0)
    end = min((e + 1 for e in f.sentence_ends if e >= p), default=len(f.words))
    return any(w in _REPORTING_ERROR for w in f.words[start:end])


def _note_disowns(doc: Doc, variants: dict[str, float]) -> bool:
    """Every sentence of the note holding these words negates or disowns them."""
    f = doc.fields["note"]
    for p in positions(f, variants):
        start = max((e + 1 for e in f.sentence_ends if e < p), default=0)
        end = min((e + 1 for e in f.sentence_ends if e >= p), default=len(f.words))
        if not (any(w in _DISOWNING for w in f.words[start:end]) or _negated_at(f, p)):
            return False  # the note also says it plainly ("announced the upgrade to ambassador level")
    return bool(positions(f, variants))


def _answer_relation(index: Corpus, reading: Reading) -> _Result:
    """ "Did A happen after (before, the day after) B?": compare the dates of the best
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
    if how == "which":  # "did A come before or after B?"
        if wa.end < wb.start:
            return _Result("Before", conf, [a, b], f"{_weekday_label(a.fact)} is before {_weekday_label(b.fact)}")
        if wa.start > wb.end:
            return _Result("After", conf, [a, b], f"{_weekday_label(a.fact)} is after {_weekday_label(b.fact)}")
        return _Result(None, 0.0, [a, b], "the two dates overlap")
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
    return _Result(
        f"No: {_weekday_label(a.fact)}, {other} {_weekday_label(b.fact)}",
        conf,
        [a, b],
        "the order of the events differs",
    )


# -- what


def _answer_what(index: Corpus, reading: Reading) -> _Result:
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    if reading.subject is not None and set(reading.focus) & _SAYING_STEMS:
        # "what did Muttaqi say …": only the facts in which Muttaqi speaks can answer, or tie
        speaking = [s for s in ranked if _speaks(index, s.doc, reading.subject)]
        ranked = speaking or ranked  # none: the check in _verified says why
    best = ranked[0]
    if "call" in reading.focus or "describ" in reading.focus:
        called = _what_it_was_called(index, reading, best.doc)
        if called:
            return _Result(called, _gate(reading, best), [best])
        if reading.subject is None or not _acts(
            index, best.doc, reading.subject, {v: 1.0 for v in _SAYING_STEMS | {"announc"}}
        ):
            return _Result(None, 0.0, [], "no fact gives what they called it")  # the whole sentence would be a guess
        # … but a fact of what they said ("Putin told reporters … 'our allies'") answers it in their words
    # The answer is the sentence itself: it must hold the question's words, and
    # stand out ("2025" alone fits a dozen facts equally: that is a search).
    confidence = min(_gate(reading, best), best.strong_coverage)
    if len(ranked) > 1 and ranked[1].score >= 0.9 * best.score:
        confidence *= 0.5
    # "What happened between Russia and the Taliban on 3 July 2025": when other facts
    # hold every name and word of the question as well, which one is meant is a guess.
    close = [s for s in ranked[:4] if s.score >= 0.9 * best.score]
    fuller = max(close, key=lambda s: (len(s.matched), s.strong_coverage, s.score))
    if fuller is not best:  # a fact that holds more of the question
        best = fuller
        confidence = min(_gate(reading, best), best.strong_coverage)
    rivals = [
        s
        for s in close
        if s is not best
        and set(s.matched) == set(best.matched)
        and abs(s.strong_coverage - best.strong_coverage) < 1e-9
    ]
    if rivals:
        return _Result(
            None,
            0.0,
            [],
            f"{len(rivals) + 1} facts fit as well ({', '.join(x.fact.id for x in [best, *rivals])}): that is a search",
        )
    return _Result(best.fact.what, confidence, [best])


def _on_that_date(index: Corpus, reading: Reading) -> _Result:
    """ "What happened on 15 January 2026": the one fact of that day (an event, not a state
    that lasted through it); several are a search, not an answer."""
    docs = [
        d
        for d in index.docs
        if d.fact.when is not None
        and "/" not in d.fact.when.text
        and all(_within(h, d.fact.when) for h in reading.hard_dates)
    ]
    if len(docs) != 1:
        return _Result(None, 0.0, [], f"{len(docs)} facts are of that date" if docs else "no fact is of that date")
    return _Result(docs[0].fact.what, 1.0, [Scored(docs[0], 1.0, 1.0, {}, 1.0)])


def _what_it_was_called(index: Corpus, reading: Reading, doc: Doc) -> str | None:
    """ "What did Muttaqi call Russia's decision?": the words after "called it" where the
    question's subject is the one who called ("… and Muttaqi *called it a brave decision* that …")."""
    f = doc.fields["what"]
    subject = reading.subject
    for p in positions(f, {"call": 1.0, "describ": 1.0}):
        if subject is not None and subject not in {m.ref for m in f.mentions if 0 < p - m.end + 1 <= 4}:
            continue
        i = f.raw_of[p] + 1
        raw = f.raw
        if i < len(raw) and raw[i].lower() in ("it", "them", "this", "that"):
            i += 1
        if i < len(raw) and raw[i].lower() == "as":
            i += 1
        phrase: list[str] = []
        while i < len(raw) and len(phrase) < 8:
            word = raw[i]
            if word.lower() in ("that", "which", "who", "and", "but") and phrase:
                break
            phrase.append(word.rstrip(",.;:"))
            if word.endswith((",", ".", ";", ":")):
                break
            i += 1
        if phrase:
            return " ".join(phrase).strip("'\"‘’“”")
    return None


_HANDLERS = {
    "when": _answer_when,
    "who": _answer_who,
    "where": _answer_where,
    "list": _answer_list,
    "count": _answer_count,
    "yesno": _answer_yesno,
    "what": _answer_what,
}
