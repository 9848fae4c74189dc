"""What an answer must satisfy before it is given (issue 11): `_verified` checks that the
supporting fact entails it (the verb, the names, the direction, the role, the place,
the speaker, the date's precision); `_gate` turns a ranking into a confidence."""

from __future__ import annotations

import re

from collections.abc import Sequence
from typing import Any, NamedTuple

from factcli.ask.facttext import (
    _DETERMINERS,
    _DISOWNING,
    _sentence_around,
    _REPORTING,
    _acts,
    _asked_places,
    _denies,
    _distance,
    _has,
    _in_quotes,
    _mention_scores,
    _negated_at,
    _others_act,
    _predicate,
    _reported,
    _same_sentence,
    _sides,
)
from factcli.dates import DateMention, DateSpan
from factcli import countries
from factcli.ask.english import DEMONYMS, LIGHT_VERBS, THESAURUS, TITLE_WORDS, LazyPattern
from factcli.words import stem
from factcli.ask.corpus import (
    Doc,
    Corpus,
    Field,
    Scored,
    positions,
)
from factcli.ask.names import Mention
from factcli.model import Fact
from factcli.text import normalise
from factcli.ask.question import Reading


THRESHOLD = 0.5  # below this confidence, no answer


class _Result(NamedTuple):
    text: str | None
    confidence: float
    support: list[Scored]
    reason: str = ""
    ref: int | None = None  # the name the answer is, when it is one
    rejected: str = ""  # the id of the fact that was found not to entail the answer
    final: bool = False  # no other fact may answer instead: the best one settles that none does


# Nouns a "what/which NOUN" question may ask with for a person or a body.
_AGENT_NOUNS = frozenset(
    stem(w)
    for w in """official officials envoy envoys ambassador diplomat minister president leader leaders
    spokesman spokeswoman spokesperson person man woman politician cleric commander representative
    organisation organization group agency body ministry government country countries nation state
    side party authority office institution administration chief head deputy secretary general""".split()
)


def _verified(index: Corpus, reading: Reading, result: _Result, skip: frozenset[Any] = frozenset()) -> _Result:
    """The answer only if its supporting fact satisfies what the question states:
    the verb it turns on, the names it gives, the choice it offers, the noun it
    asks for, the precision of the date it asks for. Otherwise no answer, with
    the constraint that failed."""
    if result.text is None or not result.support:
        return result
    best = result.support[0]
    doc = best.doc

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
    case = _Case(index, reading, result, best, doc, predicate, bool(asked_verb))
    for check in _CHECKS:
        if check in skip:
            continue
        why = check(case)
        if why:
            return _Result(None, 0.0, [], why, rejected=best.fact.id, final=check in _FINAL_CHECKS)
    return result


class _Case(NamedTuple):
    """An answer being checked, with what every check reads."""

    index: Corpus
    reading: Reading
    result: _Result
    best: Scored
    doc: Doc
    predicate: dict[str, float]
    asked_verb: bool


def _verb_and_speaker(c: _Case) -> str | None:
    """The verb must be the fact's, and "what did X say" must have X speak."""
    index, reading, result, best, doc, predicate, asked_verb = c
    # The verb must be the fact's (or a synonym's): a fact holding the rest of the question
    # but not its verb answered 2 blind questions wrongly for 3 it answered rightly.
    if (
        asked_verb
        and not reading.interval
        and not _has(doc, predicate, ("what", "who", "note"))
        and not _in_quotes(doc, predicate)
    ):
        return f"the best fact does not say {'/'.join(reading.focus)}"
    if (
        reading.type == "what"
        and set(reading.focus) & _SAYING_STEMS
        and reading.subject is not None
        and not _speaks(index, doc, reading.subject)
    ):
        # "what did Lavrov say …" answered by what someone else said about Lavrov
        return f"the best fact does not have {index.display(reading.subject)} say it"
    if reading.type == "what" and set(reading.focus) & _SAYING_STEMS and reading.subject is None:
        # "why did tokayev say …" (a name the facts know only from a note): the speaker typed
        # must be in the sentence answered, not "according to its foreign ministry spokesperson"
        speaker = _speaker_typed(reading)
        said_by = {stem(w) for w in doc.fields["what"].words}
        if speaker and not set(speaker) <= said_by:
            return f"the best fact does not have {' '.join(speaker)} say it"
    return None


def _speaker_typed(reading: Reading) -> list[str]:
    """The words between "did" and a saying verb ("why did *tokayev* say"), as stems; none for
    a pronoun or when the question has no such shape."""
    words = list(reading.words)
    for i, w in enumerate(words):
        if w in ("did", "does", "do") and i + 1 < len(words):
            for j in range(i + 1, min(i + 5, len(words))):
                if stem(words[j]) in _SAYING_STEMS:
                    typed = [stem(x) for x in words[i + 1 : j] if x not in ("the", "a", "an", "s")]
                    return [] if set(words[i + 1 : j]) & _PRONOUNS else typed
            return []
    return []


_PRONOUNS = frozenset("he she it they we you i".split())


def _place_and_names(c: _Case) -> str | None:
    """The places and the names the question gives must be the fact's."""
    index, reading, result, best, doc, predicate, asked_verb = c
    note = doc.fields["note"]
    elsewhere = [
        p
        for p in _asked_places(index, reading)
        if not any(f" {form} " in doc.joined["what"] for form in (p, f"{p}s"))  # "in Beijing's Great Hall"
        and not any(w == p and not _negated_at(note, i) for i, w in enumerate(note.words))
    ]  # (a note's "this Kabul meeting, not a meeting in Moscow" does not put it in Moscow)
    if elsewhere and reading.type != "yesno":
        return f"the best fact does not put it in {elsewhere[0].title()}"
    missing = [
        index.display(u.ref)
        for k, u in enumerate(reading.units)
        if u.ref is not None and u.ref >= 0 and k not in best.matched and u.ref not in reading.options
    ]
    if missing and not reading.relation and not reading.interval:
        return f"the best fact does not name {', '.join(missing)}"
    return None


def _roles(c: _Case) -> str | None:
    """A role asked for must be the answer's in the fact, and the answer the one who did it."""
    index, reading, result, best, doc, predicate, asked_verb = c
    if reading.type == "who" and reading.role and reading.role[-1] in _PERSON_ROLES and result.ref is not None:
        if index.refs[result.ref].kind != "person":
            return f"a {reading.role[-1]} is a person; the best fact gives {index.refs[result.ref].key}"
        persons = index.persons
        if not _holds_role(doc, result.ref, reading.role[-1], persons):
            return f"the best fact does not call {index.refs[result.ref].key} the {reading.role[-1]}"
        crossed = _direction_differs(index, reading, doc, result.ref)
        if crossed:
            return crossed
        lesser = _lesser_title(doc, result.ref, reading.role[-1], reading.words)
        if lesser:  # "who's the russian foreign minister": Rudenko is the *Deputy* Foreign Minister
            return f"the best fact calls {index.refs[result.ref].key} the {lesser} {reading.role[-1]}, not the {reading.role[-1]}"
    if (
        reading.type == "who"
        and reading.role
        and reading.role[-1] not in _PERSON_ROLES
        and result.ref is not None
        and reading.role[-1] not in {stem(w) for n in index.refs[result.ref].names for w in n.split()}
        and _held_by_another(doc.fields["what"], result.ref, reading.role[-1])
    ):
        # "who was the biggest buyer": "Afghanistan was the largest buyer …, according to Agroexport"
        return f"the best fact does not call {index.refs[result.ref].key} the {reading.role[-1]}"
    if (
        reading.noun
        and result.ref is not None
        and index.refs[result.ref].kind == "person"
        and not _holds_role(doc, result.ref, reading.noun)
    ):
        return f"the best fact does not call {index.refs[result.ref].key} a {reading.noun}"
    if reading.type == "who" and reading.asks_subject and predicate and result.ref is not None:
        # "who announced …": the one who does it in the fact, not any name in it ("who took
        # the papers …": with a verb that says little, the fact's own actor).
        light_verb = not set(reading.focus) - _LIGHT_STEMS
        actor = result.ref in {m.ref for m in doc.fields["who"].mentions}
        if (light_verb and not actor) or (not light_verb and not _did_it(index, reading, doc, result.ref)):
            return f"the best fact does not say {index.refs[result.ref].key} did it"
    if (
        reading.object_question
        and not reading.passive
        and reading.subject is not None
        and result.ref is not None
        and _qualifies(doc.fields["what"], result.ref, reading.subject)
    ):
        # "who did Muttaqi meet": not the "Taliban" of "Taliban Foreign Minister … Muttaqi"
        return f"{index.refs[result.ref].key} is who {index.display(reading.subject)} is, in the best fact"
    if reading.object_question and result.ref is not None and index.refs[result.ref].kind == "person":
        roles = _as_roles(reading)
        if roles and not _holds_role(doc, result.ref, roles[0]):
            return f"the best fact does not call {index.refs[result.ref].key} a {roles[0]}"
        crossed = roles and _sender_and_place_differ(index, reading, doc, result.ref, roles[0])
        if crossed:
            return crossed
    return None


def _subject_acts(c: _Case) -> str | None:
    """A count must rest on what the question counts; a named subject must be the one acting."""
    index, reading, result, best, doc, predicate, asked_verb = c
    if reading.type == "count" and not reading.interval and best.strong_coverage < 0.6:
        return "the best fact does not say enough of what the question counts"
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
            return f"the best fact does not say {index.display(reading.subject)} did it"
    return None


def _answer_allowed(c: _Case) -> str | None:
    """The answer: denied when the question is negated, a choice offered, not the one left out, a noun asked for."""
    index, reading, result, best, doc, predicate, asked_verb = c
    if reading.answer_acts and result.ref is not None:
        slot = _mention_scores(reading, doc).get(result.ref)
        if slot is None or not (slot.subject or slot.subject_in_note):
            return "the question asks who did it; the fact does not have the answer do it"
    if reading.negated and reading.type in ("who", "where", "what") and result.ref is not None:
        slots = _mention_scores(reading, doc)
        if not (result.ref in slots and slots[result.ref].denied):
            return "the question asks who did not; the best fact does not say the answer did not"
    if reading.options and result.ref not in reading.options:
        return "the answer is none of the choices the question gives"
    if result.ref is not None and result.ref in reading.excluded:
        return "the answer is the one the question leaves out"
    if reading.noun and reading.noun not in _AGENT_NOUNS and (result.ref is not None or result.text):
        # "which UN resolution": not "United Nations Security Council" (a name or a fact's words)
        names = index.refs[result.ref].names if result.ref is not None else (normalise(result.text or ""),)
        if reading.noun not in {_head_noun(n) for n in names}:
            asked = next((w for w in reading.words if stem(w) == reading.noun), reading.noun)
            return f"the answer is no {asked}"
    return None


# Words after which a name only qualifies its head ("Supreme *Court* of Russia", "the
# sanctions *committee* established pursuant to resolution 1988").
_QUALIFYING = frozenset("of for pursuant established on in at to by with from under".split())


def _head_noun(name: str) -> str:
    """The stem of what a (folded) name is: its last word before any qualifying phrase,
    past numbers ("resolution 1988", "law no 5")."""
    words = name.split()
    cut = next((i for i, w in enumerate(words) if i and w in _QUALIFYING), len(words))
    head = [w for w in words[:cut] if not w.isdigit() and w not in ("no", "number")]
    return stem(head[-1]) if head else ""


def _when_done(c: _Case) -> str | None:
    """The fact must not deny the act, and must date the act itself (to the day, when a day is asked)."""
    index, reading, result, best, doc, predicate, asked_verb = c
    if (
        reading.type in ("when", "where", "count", "who")
        and predicate
        and asked_verb
        and not reading.negated
        and _denies(index, doc, predicate, reading.subject)
    ):
        return f"the best fact says it was not done ({'/'.join(reading.focus)})"
    if reading.type == "when" and predicate and asked_verb and not _has(doc, predicate, ("what",)):
        return f"only the best fact's note says {'/'.join(reading.focus)}: its date is for what it says"
    if reading.type == "when" and predicate and asked_verb and _act_in_note_only(reading, doc, predicate):
        # "when did Kazakhstan's court ban the Taliban": the fact's act is the delisting; its
        # note tells of the court's ban, in a sentence the fact's date is not for
        return f"only the best fact's note says {'/'.join(reading.focus)} with the question's other words"
    if reading.type == "when" and predicate and asked_verb and undone_there(reading, doc, predicate):
        # "when did Russia ban the Taliban": c35 "suspended *the ban*", c36 "removed the Taliban
        # from its list *of banned* … organisations": the fact's date is for another act
        return f"the best fact names {'/'.join(reading.focus)} only as a thing, not as its act"
    if reading.type == "when" and predicate and asked_verb and _reported(doc, predicate):
        return f"the best fact reports {'/'.join(reading.focus)}: its date is the report's, not the act's"
    if (
        reading.type == "when"
        and reading.wants_day
        and best.fact.when is not None
        and not best.fact.when.is_day
        and "(" not in result.text
    ):
        return f"the facts give {best.fact.when.text}, not a day"
    return None


# Acts that undo another: a fact of one is dated by the undoing ("suspended the ban").
_UNDOING_STEMS = frozenset(stem(w) for w in "suspend lift remove revoke overturn cancel delist drop end".split())


def undone_there(reading: Reading, doc: Doc, predicate: dict[str, float]) -> bool:
    """The fact undoes the act the question asks of ("suspended the ban", "removed … from its
    list of banned organisations"), and the question says nothing of undoing it."""
    return (
        not _UNDOING_STEMS & ({stem(w) for w in reading.words} | set(predicate))
        and bool(_UNDOING_STEMS & set(doc.fields["what"].stems))
        and not _named_as_an_act(doc, predicate)
    )


def _named_as_an_act(doc: Doc, predicate: dict[str, float]) -> bool:
    """Whether what the fact says has the verb as a verb somewhere: not only as a noun after
    a determiner or a possessive ("the ban", "Russia's recognition"), nor as a participle
    after "of" ("the list of banned organisations")."""
    f = doc.fields["what"]
    for p in positions(f, predicate):
        before = f.raw[f.raw_of[p] - 1].lower() if f.raw_of[p] else ""
        if before in _DETERMINERS or before.endswith(("'s", "’s")):
            continue
        if before == "of" and f.words[p].endswith("ed"):
            continue
        return True
    return False


def _act_in_note_only(reading: Reading, doc: Doc, predicate: dict[str, float]) -> bool:
    """A word of the question that the fact's who and what lack stands in the note as the
    subject of the question's verb: the act asked about is the note's."""
    note = doc.fields["note"]
    acts = positions(note, predicate)
    if not acts:
        return False
    for u in reading.units:
        if u.ref is not None or set(u.variants) & set(predicate) or _has(doc, u.variants, ("who", "what")):
            continue
        # as the act's subject, just before its verb ("the Supreme *Court* had *banned*")
        if any(0 < a - p <= 3 and _same_sentence(note, p, a) for p in positions(note, u.variants) for a in acts):
            return True
    return False


def _not_the_topic(c: _Case) -> str | None:
    """ "who asked the court …": the court is what the question speaks of, not its answer."""
    index, reading, result, best, doc, predicate, asked_verb = c
    if reading.type == "who" and result.ref is not None:
        # "who asked the court …": the court is what the question speaks of, not its answer;
        # "which Security Council resolution …": nor is the Security Council (the noun asked
        # for, "which court", may be in the answer's name)
        said = {stem(w) for w in index.refs[result.ref].key.casefold().split()}
        named = [
            u.text
            for u in reading.units
            if u.ref is None
            and stem(u.text) in said
            and stem(u.text) not in reading.role
            and stem(u.text) != reading.noun
        ]
        if named:
            return f"the answer is the {named[0]} the question speaks of"
    return None


def _object_apart(c: _Case) -> str | None:
    """ "Who called recognition a historic step?" against "the Ministry welcomed the
    recognition as a historic step, and Muttaqi called it a brave decision": the words the
    question says of its answer stand in another coordinated clause (after ", and") than
    every mention of the answer; that clause's actor, not the answer, said them."""
    reading, result, doc = c.reading, c.result, c.doc
    if reading.type != "who" or result.ref is None:
        return None
    f = doc.fields["what"]
    answer_at = [m.start for m in f.mentions if m.ref == result.ref]
    focus = set(reading.focus)
    objects = [
        positions(f, u.variants)
        for u in reading.units
        if u.ref is None and not (set(u.variants) & focus) and stem(u.text) not in _LIGHT_STEMS
    ]
    objects = [spots for spots in objects if spots]
    if len(objects) < 2 or not answer_at:
        return None
    joins = [i for i in f.breaks if i + 1 < len(f.words) and f.words[i + 1] in ("and", "but", "while")]
    joins += list(f.sentence_ends)

    def apart(a: int, b: int) -> bool:
        lo, hi = min(a, b), max(a, b)
        return any(lo <= i < hi for i in joins)

    if all(all(apart(p, a) for a in answer_at) for spots in objects for p in spots):
        return "the fact says the question's words of another clause's actor"
    return None


_ACCORDING_TO = LazyPattern(r"\baccording\s+to\s+(?:the\s+)?([\w.'-]+(?:\s+[\w.'-]+){0,2})", re.IGNORECASE)
_ANY_SOURCE = frozenset("reports report sources source media officials the facts it them him her".split())


def _source_named(c: _Case) -> str | None:
    """ "… according to Orda.kz": the answer is what that source says only where the fact
    is theirs (a source's title, publisher or address, or its own words say so); a source
    the curator's note alone names gives another account than the fact's."""
    asked = f"{c.reading.question} {c.reading.according_to}"
    if "according to" not in asked.casefold():
        return None
    named = _ACCORDING_TO.search(asked)
    if named is None or named.group(1).casefold().split()[0] in _ANY_SOURCE:
        return None
    fact = c.best.fact
    theirs = normalise(" ".join([fact.what, *(f"{s.title} {s.publisher} {s.url} {s.quote}" for s in fact.sources)]))
    wanted = [w for w in normalise(named.group(1)).split() if w not in ("s", "news", "agency")]
    first = wanted[0] if wanted else ""
    if not first or (first in theirs if len(first) >= 4 else first in theirs.split()):
        return None
    return f"the fact is not {named.group(1)}'s account (its note may give theirs)"


def _note_names_it_plainly(c: _Case) -> str | None:
    """A who-answer only the curator's note names must not come from a sentence of it that
    restricts or disowns what it says: "on 3 July 2025 *only* copies of the credentials were
    handed to Rudenko; the formal presentation … came on …" does not answer who got the
    original letter of credence."""

    reading, result, doc = c.reading, c.result, c.doc
    if reading.type != "who" or result.ref is None:
        return None
    if any(m.ref == result.ref for n in ("who", "what") for m in doc.fields[n].mentions):
        return None
    note = doc.fields["note"]
    at = [m.start for m in note.mentions if m.ref == result.ref]
    if not at or any(not any(w in _DISOWNING for w in note.words[slice(*_sentence_around(note, a))]) for a in at):
        return None
    return f"the note names {c.index.display(result.ref)} only in a sentence that restricts or disowns it"


# In this order: the first that fails is the reason given.
def _year_named(c: _Case) -> str | None:
    """A bare year the question names ("the Taliban delegation at SPIEF 2025") is read as a
    hint, not a filter; still, a fact dated in another year answers only if its own words
    name that year ("Resolution 1988")."""
    when = c.best.fact.when
    if when is None:
        return None
    for d in c.reading.dates:
        if d.hard or not d.text.isdigit() or not 1900 <= int(d.text) <= 2100:
            continue  # (the Afghan solar year 1403 is not a Gregorian year)
        if d.start <= when.end and when.start <= d.end:
            continue
        if not any(f" {d.text} " in c.doc.joined[n] for n in ("who", "what")):
            return f"the fact is dated {when.text}, not {d.text}"
    return None


# "What is the full name of Russia's ambassador …", "what was the name of the forum …":
# a name asked for (one not read as "who is …"; see rephrase.name_of_person).
_NAME_ASKED = LazyPattern(r"^what\s+(?:is|was|are|were)\s+(?:the|its|his|her|their|\S+'s)\s+(?:\w+\s+)?names?\b")


def _name_not_a_sentence(c: _Case) -> str | None:
    """A name asked for is not the whole sentence of a fact that holds it."""
    if (
        c.reading.type == "what"
        and c.result.text == c.best.fact.what
        and _NAME_ASKED.match(c.reading.question.casefold())
    ):
        return "a name is asked for; the best fact's sentence is not one"
    return None


_ANY_NEGATION = LazyPattern(r"\b(?:not|no|never|nor|without|won\s+t|wont|didn\s+t|doesn\s+t|isn\s+t|wasn\s+t)\b")
_NOUN_ENDINGS = ("tion", "sion", "ment", "ance", "ence", "al", "ity", "ship", "ness", "ly")  # (and adverbs)
_TAKES_AS_DONE = LazyPattern(r"^(?:why|how|when|where)\s+(?:did|does|do|has|have|had)\s")


def _premise_denied(c: _Case) -> str | None:
    """ "why did Beijing decide to formally recognise the Taliban": a question that takes
    its subject's act as done is not answered from a fact whose own sentence says the
    subject did not do it ("China itself had still not formally recognized the Taliban")."""
    reading, doc = c.reading, c.doc
    question = normalise(reading.question)
    if reading.negated or reading.subject is None or not _TAKES_AS_DONE.match(question):
        return None
    if _ANY_NEGATION.search(question):  # "when did Kirby say the US won't recognise …"
        return None
    what = doc.fields["what"]
    if not any(m.ref == reading.subject for m in what.mentions):
        return None
    # the acts the question names as verbs ("recognise", not the noun "recognition": "how
    # did Pakistan react to Russia's recognition" is answered by "Pakistan … had not
    # formally recognized")
    acts = {
        next(iter(u.variants))
        for u in reading.units
        if u.ref is None and u.variants and not u.text.endswith(_NOUN_ENDINGS)
    } - _LIGHT_STEMS
    for i, s in enumerate(what.stems):
        if s in acts and _negated_at(what, i):
            return "a fact says that was not done"
    return None


def _of_the_country_asked(c: _Case) -> str | None:
    """ "Which American …", "which Russian …": the answer must be of that country."""
    index, reading, result, best, doc, predicate, asked_verb = c
    words = reading.words
    if reading.type != "who" or result.ref is None or len(words) < 2 or words[0] != "which":
        return None
    code = DEMONYMS.get(words[1])
    if code is None:
        return None
    ref = index.refs[result.ref]
    own = ref.country or ref.home
    if own != code and not (own is None and code in doc.fact.country):  # a person: the fact's countries
        return f"{ref.key} is not of {countries.display_name(code)}, in the facts"
    return None


def _words_disowned(c: _Case) -> str | None:
    """ "When did Putin say the Taliban are a *comprehensive* partner": a word of the question
    that the fact's own text lacks and that its note has only in sentences saying no source
    has it ("No source found contains the words 'comprehensive partner'"): the question's
    premise is a source's error, and the fact's date is for what was said instead."""
    index, reading, result, best, doc, predicate, asked_verb = c
    if reading.type not in ("when", "where", "who"):
        return None
    note = doc.fields["note"]
    for k, u in enumerate(reading.units):
        if u.ref is not None or best.matched.get(k, (0.0, ""))[1] in ("who", "what", "tags", "country"):
            continue
        spots = positions(note, {stem(u.text): 1.0})
        if spots and all(_no_source_has(note.words[slice(*_sentence_around(note, p))]) for p in spots):
            return f"the best fact's note says no source has {u.text!r}: the question takes a source's error as done"
    return None


def _no_source_has(words: Sequence[str]) -> bool:
    """ "No source found contains the words …": a sentence saying no source has it, or one
    giving what the article wrote ("Article: Putin 'previously described …'")."""
    return words[:1] == ["article"] or any(a == "no" and b in ("source", "sources") for a, b in zip(words, words[1:]))


_FLOW = LazyPattern(r"(\$\s?[\d.,]+(?:\s+(?:million|billion))?)\s+(?:was|were)\s+(\w+)\s+(exports|imports)")


def _flow_direction(c: _Case) -> str | None:
    """ "Did Russia export $2 million to Afghanistan": c28's "$2 million was Afghan exports"
    are Afghanistan's, and Russia's to Afghanistan are Afghan imports. The figure asked (or
    answered) must be the subject's flow the way the question says."""
    index, reading, result, best, doc, predicate, asked_verb = c
    stems = {stem(w) for w in reading.words}
    asked = "export" if stem("export") in stems else "import" if stem("import") in stems else None
    if asked is None or reading.subject is None or reading.type not in ("yesno", "count"):
        return None
    subject = index.refs[reading.subject].country or index.refs[reading.subject].home
    figures = (
        {normalise(result.text)}
        if reading.type == "count"
        else {normalise(n) for n in re.findall(r"\$\s?[\d.,]+(?:\s+(?:million|billion))?", reading.question)}
    )
    for m in _FLOW.finditer(" ".join(doc.fields["what"].raw)):
        if normalise(m.group(1)) not in figures:
            continue
        owner = DEMONYMS.get(m.group(2).lower())
        flow = m.group(3)[:-1]  # "exports": export
        if owner is None or subject is None:
            return None
        # the subject's own export is its export; its export *to* the owner is the owner's import
        if (owner == subject) != (flow == asked):
            return f"the best fact's {m.group(1)} is {m.group(2)} {m.group(3)}, not {index.display(reading.subject)}'s {asked}s"
    return None


_ABOUT_A_PERSON = frozenset("background job role position post title career biography profile".split())
_WHAT_THE_NOUN = LazyPattern(r"^(?:what|which)\s+(?:is|was|were|are)\s+the\s+(?P<noun>[a-z]+)\s+(?:of|for|at|in)\s")


def _noun_asked_said(c: _Case) -> str | None:
    """ "What was the theme of the 2022 forum": a sentence answers only when it says the
    theme (or a word the thesaurus gives for it), not when it is about the forum."""
    index, reading, result, best, doc, predicate, asked_verb = c
    m = _WHAT_THE_NOUN.match(" ".join(reading.words))
    if reading.type != "what" or m is None or reading.describe is not None:
        return None
    word = m.group("noun")
    if word in _ABOUT_A_PERSON:
        return None  # "what's the background of Gul Hassan": what the facts say of him
    others = {v: 1.0 for v in THESAURUS.get(stem(word), ())}  # (not the stem itself: "theme" is "them")
    text = " ".join(" ".join(doc.fields[f].words) for f in ("what", "note"))
    if any(f" {form} " in f" {text} " for form in (word, f"{word}s")):
        return None
    if others and (_has(doc, others, ("what", "note")) or _in_quotes(doc, others)):
        return None
    return f"the best fact does not say its {word}"


_CHECKS = (
    _name_not_a_sentence,
    _words_disowned,
    _flow_direction,
    _of_the_country_asked,
    _noun_asked_said,
    _verb_and_speaker,
    _place_and_names,
    _roles,
    _subject_acts,
    _answer_allowed,
    _when_done,
    _not_the_topic,
    _year_named,
    _object_apart,
    _note_names_it_plainly,
    _source_named,
    _premise_denied,
)
# Checks whose failure no next-best fact can mend: the best fact denies what the question takes
# as done, or gives the figure asked as the other side's flow (a weaker fact had answered then).
_FINAL_CHECKS = frozenset({_premise_denied, _flow_direction})


# The checks of an answer's actor and verb in the fact: a day read from a note's sentence
# that has the actor doing the verb has passed them there.
NOTE_CHECKED = frozenset({_verb_and_speaker, _subject_acts, _when_done})

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


def _direction_differs(index: Corpus, reading: Reading, doc: Doc, answer: int) -> str:
    """ "Who is the Taliban's ambassador to China": the fact's ambassador must be the
    Taliban's and sent to China, not China's sent to the Taliban. The reason, or ""."""
    role = reading.role[-1]
    spots = [i for i, w in enumerate(reading.words) if stem(w) == role]
    if not spots:
        return ""
    asked_owner, asked_dest = _sides(index, reading.words, reading.units, spots[0])
    if asked_dest is None:
        asked_dest = _place_after(index, reading.words, spots[0])  # "China's ambassador *in Kabul*"
    return _sent_otherwise(index, doc, answer, role, asked_owner, asked_dest)


def _sender_and_place_differ(index: Corpus, reading: Reading, doc: Doc, answer: int, role: str) -> str:
    """ "Who did Beijing send to Kabul as its ambassador": the fact's ambassador must be
    Beijing's and sent to Kabul, not the Taliban's sent to China. The reason, or ""."""
    verbs = [i for i, w in enumerate(reading.words) if stem(w) in reading.focus]
    asked_dest = _place_after(index, reading.words, verbs[0]) if verbs else None
    return _sent_otherwise(index, doc, answer, role, reading.subject, asked_dest)


def _sent_otherwise(
    index: Corpus, doc: Doc, answer: int, role: str, asked_owner: int | None, asked_dest: int | None
) -> str:
    """Whether the fact's holder of the role, near the answer, is another's or sent elsewhere
    than the question says (the reason), or "" when the fact does not say or agrees."""
    if asked_owner is None and asked_dest is None:
        return ""
    f = doc.fields["what"]
    variants = {role: 1.0} | {t: 1.0 for t in THESAURUS.get(role, ())}
    near = [
        p
        for p in positions(f, variants)
        if any(m.ref == answer and _distance([p], m) <= 8 and _same_sentence(f, p, m.start) for m in f.mentions)
    ]
    if near:
        return _sides_differ(index, f, near[0], role, asked_owner, asked_dest)
    # "Gul Hassan, a senior Taliban cleric, …, was named the Islamic Emirate's ambassador to
    # Russia …, the first ambassador the Taliban government sent to Moscow": far from the name,
    # in its sentence; any of them the other way round is enough to decline
    for p in positions(f, variants):
        if any(m.ref == answer and _same_sentence(f, p, m.start) for m in f.mentions):
            crossed = _sides_differ(index, f, p, role, asked_owner, asked_dest)
            if crossed:
                return crossed
    return ""


def _sides_differ(index: Corpus, f: Field, at: int, role: str, asked_owner: int | None, asked_dest: int | None) -> str:
    """The reason the fact's role at ``at`` belongs to or is sent to another side than asked, or ""."""
    owner, dest = _sides(index, f.words, f.mentions, at)

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
        if asked is not None and said is None and what == "of" and dest is not None and side(dest) == side(asked):
            # "China's ambassador" answered by "the Taliban-appointed ambassador to China"
            return f"the best fact's {role} is sent to {index.display(dest)}, not {index.display(dest)}'s"
    return ""


def _place_after(index: Corpus, words: Sequence[str], at: int) -> int | None:
    """The name a place just after a role stands for ("ambassador *in Kabul*": the
    Taliban), for the side the role is sent to; None when there is none."""
    for j in range(at + 1, min(at + 4, len(words))):
        if words[j - 1] in ("to", "in", "at"):
            for r, ref in enumerate(index.refs):
                if words[j] in ref.places:
                    return r
    return None


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


_QUALIFIER_WORDS = TITLE_WORDS | {"of", "the", "s", "appointed", "run", "led", "newly", "full", "name"}


def _qualifies(f: Field, answer: int, subject: int) -> bool:
    """Whether the answer, in what a fact says, qualifies the subject: "*Taliban* Foreign
    Minister Amir Khan Muttaqi", "Gul Hassan, ambassador of the *Islamic Emirate*"
    (titles, "of" and "the" between them, no verb): it is whose the subject is."""
    subjects = [m for m in f.mentions if m.ref == subject]
    answers = [m for m in f.mentions if m.ref == answer]
    if not subjects or not answers:
        return False

    def joined(a: Mention, b: Mention) -> bool:
        lo, hi = (a.end, b.start) if a.end <= b.start else (b.end, a.start)
        between = f.words[lo:hi]
        return (
            len(between) <= 5
            and all(w in _QUALIFIER_WORDS for w in between)
            and not any(i in f.sentence_ends for i in range(lo - 1, hi))
        )

    return any(joined(a, s) for a in answers for s in subjects)


def _held_by_another(f: Field, answer: int, noun: str) -> bool:
    """Whether what a fact says gives the noun asked for to another name, and never to
    the answer ("*Afghanistan* was the largest buyer …, according to Agroexport")."""
    holders = set()
    for p in positions(f, {noun: 1.0}):
        near = [m.ref for m in f.mentions if _distance([p], m) <= 4 and _same_sentence(f, p, m.start)]
        if answer in near:
            return False
        holders.update(near)
    return bool(holders)


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
                nearest = min(people, key=lambda m: _distance([p], m)) if people else None
                if nearest is not None and nearest.ref == ref and not _titled_otherwise(f, nearest, role):
                    return True
    return False


_LESSER = frozenset("deputy vice former ex assistant".split())


def _lesser_title(doc: Doc, ref: int, noun: str, asked: Sequence[str]) -> str:
    """The word that makes the role next to the person another ("*Deputy* Foreign Minister
    Andrey Rudenko", "*former* chair"), when the question does not say it; "" otherwise."""
    role = {noun: 1.0} | {t: 1.0 for t in THESAURUS.get(noun, ())}
    f = doc.fields["what"]
    for p in positions(f, role):
        if any(m.ref == ref and _distance([p], m) <= 4 for m in f.mentions):
            for w in f.words[max(0, p - 3) : p]:
                if w in _LESSER and w not in asked:
                    return w
    return ""


def _titled_otherwise(f: Field, m: Mention, role: dict[str, float]) -> bool:
    """ "*Foreign Minister* Ishaq Dar announced the upgrade to ambassador level": the title
    the fact puts right before the name is another office than the role."""
    before = m.start - 1
    return (
        before >= 0
        and f.words[before] in TITLE_WORDS
        and f.stems[before] not in role
        and f.words[before] not in ("former", "new", "acting", "senior", "special", "deputy", "vice", "chief")
    )


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
