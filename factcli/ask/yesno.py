"""Yes/no questions, which of two happened first, and a choice between named options:
a verdict only where a fact settles it, never one that disagrees with the fact it prints."""

from __future__ import annotations


from factcli.ask.checks import _LESSER, _Result, _candidates_pool, _gate, _near_top, _weekday_label, undone_there
from factcli.ask.facttext import (
    _DISOWNING,
    _sentence_around,
    _acts,
    _asked_places,
    _city_of_event,
    _has,
    _mention_scores,
    _negated,
    _negated_at,
    _predicate,
)
from factcli.ask.english import ANTONYMS, NEGATORS
from factcli.ask.corpus import (
    Doc,
    Field,
    Corpus,
    Scored,
    date_agreement,
    positions,
)
from factcli.ask.question import Reading
from factcli.ask.reading import read
from factcli.text import normalise
from factcli.words import stem
from factcli.dates import DAY_NAMES


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
    return _Result(_option_label(index, reading, option), _gate(reading, s), [s], ref=option)


def _option_label(index: Corpus, reading: Reading, option: int) -> str:
    """The chosen option: its name ("China"), or, for an option typed as an event ("China
    sending Zhao Sheng to Kabul", against "Xi accepting …"), the option as typed."""
    name = index.display(option)
    if len(reading.option_texts) == len(reading.options):
        typed = reading.option_texts[reading.options.index(option)].strip()
        if normalise(typed).removeprefix("the ") != normalise(name) and len(typed.split()) > len(name.split()) + 1:
            return typed
    return name


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
        _option_label(index, reading, top),
        min(_gate(reading, s), _gate(reading, other)),
        [s, other],
        f"{_weekday_label(s.fact)} against {_weekday_label(other.fact)}",
        ref=top,
    )


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
    best = _yesno_fact(index, reading, ranked, predicate)
    conf = _gate(reading, best)
    doc = best.doc
    if hard and best.fact.when and not date_agreement(reading, best.fact):
        if any(
            s is not best
            and s.fact.when
            and date_agreement(reading, s.fact)
            and _same_act(index, reading, s, predicate)
            for s in ranked[:12]
        ):
            # "did Russia formally recognise … last year?": the fact with every word is dated
            # otherwise, but another fact of the actor's act is on the asked date
            return _Result(None, 0.0, [], "another fact of the act agrees with the date")
        return _other_date(reading, best, conf)
    spots = _acts(index, doc, subject, predicate) if predicate else []
    asked_days = [w for w in reading.words if w in _WEEKDAYS]
    if asked_days:
        return _weekday_verdict(index, reading, best, conf, predicate, asked_days)
    verdict = _negation_verdict(index, reading, ranked, best, conf, predicate, spots)
    if verdict is not None:
        return verdict
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
    quantified = sorted(set(reading.words) & _QUANTIFIERS - set(doc.fields["what"].words))
    if quantified:
        # "was *most* of the trade Afghan exports?": a share the fact's figures would have to
        # be compared for; the fact does not say it
        return _Result(None, 0.0, [], f"the fact does not say {', '.join(quantified)}")
    if reading.existential and {m.ref for m in doc.fields["who"].mentions} & set(reading.excluded):
        return _Result(None, 0.0, [], "the fact is about the one the question leaves out")
    if reading.existential and "other" in reading.words and "only" in doc.fields["what"].words:
        # "has any *other* country recognised …" against "Russia remained the *only* country":
        # the fact says no other, as of its own date, which is not the question's
        return _Result(None, 0.0, [], "the fact says only its own actor did it, as of its date")
    if reading.negated or _DETERMINER_NEGATION & set(reading.words):
        # "is it true that China has *no* Taliban-appointed ambassador": a "yes" needs a fact that
        # negates it too (above); one that merely holds the question's words says the opposite
        return _Result(None, 0.0, [], "the question is negated and no fact negates it")
    lesser = [
        f"{f.words[p - 1]} {f.words[p]}"
        for f in (doc.fields["what"],)
        for u in reading.units
        if u.ref is None
        for p in positions(f, u.variants)
        if p and f.words[p - 1] in _LESSER and f.words[p - 1] not in reading.words
    ]
    if lesser:
        # "is mccaul the chair of the house foreign affairs committee": c40 says "former chair"
        return _Result(None, 0.0, [], f"the fact says {lesser[0]}")
    if predicate and _figure_apart(reading, doc, predicate):
        # "did the us freeze $9.4 billion": c23's $9.4 billion is the bank's total reserves, in
        # another sentence than the freeze (about $7 billion was frozen)
        return _Result(None, 0.0, [], "the fact gives that figure for something else than the act")
    if predicate and undone_there(reading, doc, predicate):
        # "did russia's supreme court ban the taliban in 2025": in 2025 it suspended the ban
        return _Result(None, 0.0, [], "the fact undoes the act asked of, and dates the undoing")
    if predicate and subject is not None and not spots:
        # "did the Taliban recognise Russia": c2 has Russia's decision to recognise them; "did the
        # EU recognise the Taliban": the EU said recognising them undermines peace (it had said Yes)
        return _Result(None, 0.0, [], f"the fact does not have {index.display(subject)} do it")
    return _Result(f"Yes: {best.fact.what}" if reading.claim else "Yes", conf, [best])


# Words of quantity and comparison a "yes" would have to find in the fact itself.
# (Comparatives and superlatives, "more", "the biggest buyer", are left to the words' own
# checks: the facts say them, "largest buyer", in their own words.)
_QUANTIFIERS = frozenset("most mostly majority minority half".split())
_WEEKDAYS = tuple(d.lower() for d in DAY_NAMES)  # Monday first, as date.weekday()


def _same_act(index: Corpus, reading: Reading, s: Scored, predicate: dict[str, float]) -> bool:
    """The fact has the question's actor doing its verb (or, with no verb, as its who)."""
    if predicate:
        return bool(_acts(index, s.doc, reading.subject, predicate))
    return reading.subject is not None and any(m.ref == reading.subject for m in s.doc.fields["who"].mentions)


def _weekday_verdict(
    index: Corpus, reading: Reading, best: Scored, conf: float, predicate: dict[str, float], asked: list[str]
) -> _Result:
    """ "Was the day Russia recognised the Taliban a Thursday?": the weekday of the fact's
    own day, when the fact is the actor's act and is dated to one day."""
    from datetime import date

    when = best.fact.when
    if (
        len(set(asked)) != 1
        or when is None
        or not when.is_day
        or not (_same_act(index, reading, best, predicate) or _of_the_asked_day(reading, best))
    ):
        return _Result(None, 0.0, [], "no fact of the act is dated to one day")
    what = best.doc.fields["what"]
    if predicate and any(_negated_at(what, p) for p in _acts(index, best.doc, reading.subject, predicate)):
        # "did China recognise the Taliban on a Friday": c17's day is of a China that had *not*
        return _Result(None, 0.0, [], "the fact negates the act")
    day = _WEEKDAYS[date.fromisoformat(when.start).weekday()]
    label = _weekday_label(best.fact)
    if (day == asked[0]) != reading.negated:
        return _Result(f"Yes: {label}", conf, [best], "the weekday of the fact's date")
    return _Result(f"No: {label}", conf, [best], "the weekday of the fact's date")


def _of_the_asked_day(reading: Reading, best: Scored) -> bool:
    """ "Was the Kremlin credentials ceremony on 15/01/2026 held on a Thursday": the fact is
    of the one day the question gives, and says every word of it but its verb and weekday
    (in its text or tags): it is the event asked about, whoever the fact's actor is."""
    hard = reading.hard_dates
    when = best.fact.when
    if len(hard) != 1 or when is None or not (hard[0].start == hard[0].end == when.start == when.end):
        return False
    rest = [
        k for k, u in enumerate(reading.units) if u.text not in _WEEKDAYS and not ({stem(u.text)} & set(reading.focus))
    ]
    return bool(rest) and all(best.matched.get(k, (0.0, ""))[1] in ("who", "what", "tags") for k in rest)


def _yesno_fact(index: Corpus, reading: Reading, ranked: list[Scored], predicate: dict[str, float]) -> Scored:
    """The fact a yes or no rests on: the best, or a close one where the question's actor
    does (or does not do) its verb, or one that agrees with the question's date."""
    best = ranked[0]
    hard, subject = reading.hard_dates, reading.subject
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
    return best


def _other_date(reading: Reading, best: Scored, conf: float) -> _Result:
    """The best fact dates it otherwise than the question: a "no", when the fact is the
    question's (its actor, or every name and word of it)."""
    hard, subject, doc = reading.hard_dates, reading.subject, best.doc
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


def _negation_verdict(
    index: Corpus,
    reading: Reading,
    ranked: list[Scored],
    best: Scored,
    conf: float,
    predicate: dict[str, float],
    spots: list[int],
) -> _Result | None:
    """A verdict from negation: the fact negates the verb, the question does, the note
    disowns the question's words, the actor did the opposite (None: none of these)."""
    subject, doc = reading.subject, best.doc
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
    disowned = [
        k
        for k in unsupported
        if stem(reading.units[k].text) not in _REPORTING_WORDS and _note_disowns(doc, reading.units[k].variants)
    ]  # ("the article mentions …" in a note disowns the article's claim, not a mention by the actor)
    if disowned and sum(reading.idf[k] for k in disowned) >= 0.15 * sum(reading.idf):
        if any(_note_unknown(doc, reading.units[k].variants) for k in disowned):
            # "No source found says whether the attendance followed a formal invitation"
            return _Result(None, 0.0, [], "the curator's note says no source settles it")
        if reading.negated:
            # "did the ruling *not* amount to full recognition?" against a note's "not full
            # recognition": the note agrees; a yes needs every word the fact lacks in it
            note = doc.fields["note"]
            negated_there = all(
                positions(note, reading.units[k].variants)
                and all(_negated_at(note, p) for p in positions(note, reading.units[k].variants))
                for k in disowned
            )  # (a note's "only" or "the article" disowns; only a negation agrees with "not")
            if set(disowned) == set(unsupported) and negated_there:
                return _Result("Yes", conf, [best], "the curator's note negates it, as the question does")
            return _Result(None, 0.0, [], "the question is negated and the note negates only part of it")
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
    return None


# Negation by a determiner or pronoun ("has *no* ambassador", "*none* of them"), which the
# reading does not model as a negated verb.
_DETERMINER_NEGATION = frozenset("no none nobody nothing neither nor".split())


def _note_disowns(doc: Doc, variants: dict[str, float]) -> bool:
    """Every sentence of the note holding these words negates or disowns them."""
    f = doc.fields["note"]
    for p in positions(f, variants):
        start, end = _clause_around(f, p, *_sentence_around(f, p))
        if not (any(w in _DISOWNING for w in f.words[start:end]) or _negated_at(f, p)) or _affirmed_by_contrast(
            f, p, start, end
        ):
            return False  # the note also says it plainly ("announced the upgrade to ambassador level")
    return bool(positions(f, variants))


def _figure_apart(reading: Reading, doc: Doc, predicate: dict[str, float]) -> bool:
    """A sum of money the question gives stands in the fact's text, but in no sentence that
    says the question's act."""
    from factcli.ask.english import numbers_in

    asked = {n.value for n in numbers_in(reading.question.split()) if n.money}
    if not asked:
        return False
    f = doc.fields["what"]
    acts = positions(f, predicate)
    found = False
    for n in numbers_in(f.raw):
        if n.money and n.value in asked:
            found = True
            token = next((i for i, r in enumerate(f.raw_of) if r >= n.start), None)
            if token is not None and any(_sentence_around(f, a) == _sentence_around(f, token) for a in acts):
                return False  # the figure in the act's own sentence
    return found


def _clause_around(f: Field, p: int, start: int, end: int) -> tuple[int, int]:
    """The sentence holding word p from the last semicolon before it: "No source read gives
    a date for Putin's decision itself; the 'when' is the date Zhirnov disclosed it (…, on
    state TV)" disowns the date, not the state TV; what follows still speaks of it ("… had
    'crossed $1 billion'; that is a promotional claim not confirmed …")."""
    for i in range(p - 1, start - 1, -1):
        if f.raw[f.raw_of[i]].endswith(";"):
            return i + 1, end
    return start, end


# ("No source found contains the words …" is a no: the words are the article's alone.)
_UNKNOWN_WORDS = frozenset("whether unknown unclear".split())
_UNKNOWN_PAIRS = frozenset([("not", "known"), ("not", "checked"), ("not", "clear")])


def _note_unknown(doc: Doc, variants: dict[str, float]) -> bool:
    """A sentence of the note holding these words says nobody knows ("No source found says
    *whether* …", "not checked"): neither a yes nor a no."""
    f = doc.fields["note"]
    for p in positions(f, variants):
        start, end = _sentence_around(f, p)
        words = f.words[start:end]
        if _UNKNOWN_WORDS & set(words) or _UNKNOWN_PAIRS & set(zip(words, words[1:])):
            return True
    return False


def _affirmed_by_contrast(f: Field, p: int, start: int, end: int) -> bool:
    """ "Sources put it on the *same day* as the recognition, …, not the next day": the
    sentence's only disowning words are negations after a comma, past the word, which
    negate what follows them; the word itself is affirmed."""
    disowning = [i for i in range(start, end) if f.words[i] in _DISOWNING]
    return bool(disowning) and all(f.words[i] in NEGATORS and i > p and (i - 1) in f.breaks for i in disowning)


# Words a note uses of its sources ("the article mentions …", "AP says …"): a note that
# disowns what a source wrote says nothing of whether the actor mentioned or said anything.
_REPORTING_WORDS = frozenset(stem(w) for w in "mention say report write describe quote cite claim".split())


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
    if a.fact.id == b.fact.id:
        # "did the last aircraft leave before Biden's deadline?": one fact found for both
        # events dates only one of them; comparing it with itself settles nothing
        return _Result(None, 0.0, [a], "one fact was found for both events")
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
    apart = wa.end < wb.start or wa.start > wb.end
    periods = (
        "/" in wa.text or "/" in wb.text
    )  # a period overlapping the other date: "not before" / "not after" (as before)
    if how in ("after", "before", "by") and not apart and not periods:
        # "2021-08" against "2021-08-30", or two acts of one day (TASS reported the flag before
        # the ministry confirmed the recognition, both on 3 July 2025): the order is not known
        return _Result(None, 0.0, [a, b], "the two dates overlap: which came first is not known")
    if how == "after":
        holds, other = wa.start > wb.end, "before" if wa.end < wb.start else "not after"
    elif how in ("before", "by"):  # "had A happened by the time B did": A before B
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
