"""Numbers and lists: how many, how much, how long between two events, which countries."""

from __future__ import annotations

import re


from factcli.ask.checks import (
    _ANY_NEGATION,
    _NOUN_ENDINGS,
    NEAR_TIE,
    THRESHOLD,
    _LIGHT_STEMS,
    _QUANTITY_STEMS,
    _Result,
    _candidates_pool,
    _gate,
    _near_top,
    _verified,
)
from factcli.ask.facttext import (
    _as_state,
    _attachment,
    _clause_between,
    _has,
    _mention_scores,
    _negated,
    _predicate,
    _reported,
    _reported_error,
    _same_sentence,
    _token_of_raw,
)
from factcli import countries
from factcli.ask.english import THESAURUS, Number, numbers_in
from factcli.words import stem
from factcli.ask.corpus import (
    Doc,
    Field,
    Corpus,
    Scored,
    positions,
)
from factcli.ask.names import Mention
from factcli.ask.question import Reading
from factcli.ask.reading import read
from factcli.ask.tokens import tokenize
from factcli.text import normalise


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
    if found and _after_what_is_known(index, reading):
        return [], []  # "… by October 2026": the facts say nothing of the months after they stop
    if reading.excluding:
        for code in list(found):
            if _did(index, reading, code, {s: 1.0 for s in reading.excluding}):
                del found[code]
    names = sorted(countries.display_name(c) for c in found)
    support = sorted(found.values(), key=lambda s: -s.score)
    return names, support


def _after_what_is_known(index: Corpus, reading: Reading) -> bool:
    """Whether the question asks who had done it by a date later than any fact on it
    ("how many countries had recognised the Taliban *by October 2026*", with the latest
    fact on it of January 2026): who did it since, no fact can say."""
    bounds = [d.end for d in reading.hard_dates if d.start <= "0001-01-01"]  # "by DATE", "until DATE"
    if not bounds:
        return False
    predicate = _predicate(reading)
    ranked = index.rank(reading, dates=False)  # what the facts know of it, at any date
    on_it = [s.fact.when for s in ranked if s.fact.when is not None and _has(s.doc, predicate, ("what", "note"))]
    # an open end ("since 2011") is no news of later months: the start is what is known
    known = max((w.start if w.end >= "9999-12-31" else w.end for w in on_it), default="")
    return min(bounds) > known


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
    if reading.negated:
        # "which countries have not recognized the taliban": the facts tell who did (it had
        # answered "Russia"); who did not is every other country, which no fact lists
        return _Result(None, 0.0, [], "the facts list who did it, not who did not")
    names, support = _list_countries(index, reading)
    if not names:
        return _Result(None, 0.0, [], "no fact matches")
    # the countries the list's facts and the question already speak of
    spoken_of = {c for s in support for c in s.fact.country}
    spoken_of |= {index.refs[r].country or index.refs[r].home for r in reading.question_refs} - {None}
    dated_elsewhere = _noted_in_that_time(index, reading, {s.fact.id for s in support}, spoken_of)
    if dated_elsewhere:
        # "which countries had designated the Taliban … in the 2000s": Russia's fact is of
        # 2003, and Kyrgyzstan's 2006 designation is in the note of its 2024 delisting
        return _Result(None, 0.0, [], f"the list may be incomplete: the note of {dated_elsewhere} dates that act then")
    return _Result(", ".join(names), _gate(reading, support[0]), support)


def _noted_in_that_time(index: Corpus, reading: Reading, listed: set[str], spoken_of: set[str]) -> str | None:
    """The id of a fact the question's dates leave out whose note has the act asked about
    and a date in that time (a list drawn from the facts' own dates would miss it), and
    that is of a country the list does not speak of (c7's note dates Russia's recognition,
    which the list already has)."""
    from factcli.dates import find_dates

    hard = reading.hard_dates
    predicate = _predicate(reading)
    if not hard or not predicate:
        return None
    for doc in index.docs:
        fact = doc.fact
        if fact.id in listed or not fact.note or set(fact.country) <= spoken_of:
            continue
        if not _has(doc, predicate, ("note",)):
            continue
        for sentence in re.split(r"(?<=[.;])\s+", fact.note):  # the act and the date in one sentence
            words = normalise(sentence)
            # the act as a verb ("had designated"), not a noun ("the 3 July 2025 recognition", Russia's)
            acts = {stem(w) for w in words.split() if not w.endswith(_NOUN_ENDINGS)}
            if not set(predicate) & acts or _ANY_NEGATION.search(words):
                continue  # not the act, or not done ("China had not formally recognized … as of July 2025")
            if any(h.overlaps(d.start, d.end) for h in hard for d in find_dates(sentence) if not d.month_day):
                return fact.id
    return None


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
    results = [_verified(index, sub, _Result(_event_date(sub, s), _gate(sub, s), [s])) for s in near]
    passed = [r for r in results if r.text is not None]
    if not passed:
        return results[0]
    if len({r.text for r in passed}) > 1:
        return _Result(None, 0.0, [], f"two facts with different dates fit {text!r} as well")
    return passed[0]


# What a question that offers two events may say besides asking which came first
_ORDER_ONLY = frozenset(
    "which what event one of these the two them came happened occurred took place in during".split()
)
_EARLIER = {"first": "first", "earlier": "first", "sooner": "first", "earliest": "first"}
_LATER = {"last": "last", "later": "last", "latest": "last"}
_DOING_SO = re.compile(r"^(?P<name>.+?)\s+(?:doing|did|does|do)\s+(?:so|the\s+same|likewise|it\s+too)$", re.IGNORECASE)


def event_order(reading: Reading) -> str:
    """ "first" or "last" when the question asks only which of the two events it offers
    came first (or last): "Which came first: Xi accepting Karimi's credentials, or China
    sending Zhao Sheng to Kabul?"; else ""."""
    if len(reading.option_texts) != 2:
        return ""
    orders = {w: o for w in reading.words for o in (_EARLIER.get(w) or _LATER.get(w),) if o}
    if len(set(orders.values())) != 1 or not all(w in _ORDER_ONLY or w in orders for w in reading.words):
        return ""
    return next(iter(orders.values()))


def _event_phrases(index: Corpus, reading: Reading) -> tuple[list[str], bool]:
    """The two events as phrases to read, and whether they are one act by two: an option
    that only names who did it takes the other's act ("Kazakhstan delisting the Taliban,
    or Kyrgyzstan doing so"; "Kazakhstan or Kyrgyzstan taking the Taliban off its list")."""
    texts = [t.strip() for t in reading.option_texts]
    same_act = False
    for i in (0, 1):
        other = texts[1 - i]
        anaphor = _DOING_SO.match(texts[i])
        words = tokenize(texts[i])[0]
        bare = index.names.find(words)
        bare_name = len(bare) == 1 and bare[0].start == 0 and bare[0].end == len(words)
        other_words, raw_of = tokenize(other)
        lead = index.names.find(other_words)
        if (anaphor or bare_name) and lead and lead[0].start == 0 and not _DOING_SO.match(other):
            act = other.split()[raw_of[lead[0].end - 1] + 1 :]  # the other's words after its name
            if act:
                texts[i] = f"{anaphor['name'] if anaphor else texts[i]} {' '.join(act)}"
                same_act = True
    # "which happened first in 2025": the question's date belongs to both events
    when = [re.sub(r"^(?:in|during)\s+", "", reading.question[d.span[0] : d.span[1]]) for d in reading.dates if d.hard]
    return [" ".join([t, *(f"in {w}" for w in when)]) for t in texts], same_act


def _lead_name(index: Corpus, phrase: str) -> int | None:
    """The ref of the name a phrase starts with ("the US freezing …": the United States)."""
    words = tokenize(phrase)[0]
    skip = 1 if words[:1] == ["the"] else 0
    found = index.names.find(words)
    return next((m.ref for m in found if m.start == skip and m.ref >= 0), None)


def _answer_event_order(index: Corpus, reading: Reading, order: str) -> _Result:
    """Which of the two events offered came first (or last): each must be the event of
    one fact, checked as a "when did …" of its own, and their dates must not overlap."""
    from factcli.dates import parse_date

    phrases, same_act = _event_phrases(index, reading)
    events = [_event(index, p) for p in phrases]
    for typed, event in zip(reading.option_texts, events):
        if event.text is None or event.confidence < THRESHOLD:
            return _Result(None, 0.0, [], event.reason or f"not sure which fact is {typed.strip()!r}")
    (a, b), (sa, sb) = [parse_date(e.text) for e in events], [e.support[0] for e in events]  # type: ignore[arg-type]
    if sa.fact.id == sb.fact.id:
        return _Result(None, 0.0, [sa], "both events are read from one fact")
    if a.overlaps(b):
        return _Result(
            None, 0.0, [sa, sb], f"the two dates overlap ({a.text}, {b.text}): which came first is not known"
        )
    pick = 0 if (a.start < b.start) == (order == "first") else 1
    # the one who did it names the event when the two are one act by two, or acts of two
    # countries (each fact's first: "Pakistan announcing …, or Russia recognising …": Pakistan);
    # else the event as typed ("Xi accepting …, or China sending …": both China's)
    leads = [_lead_name(index, p) for p in phrases]
    typed = reading.option_texts[pick].strip()
    homes = {s.fact.country[0] for s in (sa, sb)}
    if None not in leads and leads[0] != leads[1] and (same_act or len(homes) == 2):
        typed = index.display(leads[pick])
    return _Result(
        typed,
        min(e.confidence for e in events),
        [sa, sb] if pick == 0 else [sb, sa],
        f"{a.text} against {b.text}",
    )


def _event_date(sub: Reading, s: Scored) -> str:
    """The event's date: the fact's, or the day its text gives for the event when the
    fact's own date is less exact ("arrived in Moscow on 1 July 2025" in a fact dated
    2025-06/2025-07-01)."""
    from factcli.ask.extract import _date_in_text

    day = _date_in_text(sub, s.doc)
    return day.split(" ")[0] if day else s.fact.when.text  # type: ignore[union-attr]


def _answer_interval(index: Corpus, reading: Reading) -> _Result:
    """ "How many days after A did B": the days (weeks, months, years) between the two facts' dates."""
    from datetime import date

    unit, how, first, second = reading.interval  # type: ignore[misc]
    a, b = _event(index, first), _event(index, second)
    for side in (a, b):
        if side.text is None or side.confidence < THRESHOLD:
            return _Result(None, 0.0, [], side.reason or "not sure which fact is meant")
    from factcli.dates import parse_date

    wa, wb = parse_date(a.text), parse_date(b.text)  # type: ignore[arg-type]
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
    measured = False  # it counts the asked thing through a measure ("2 million *tonnes* of wheat")
    # "how much of the $174 million … was exports": a figure the question gives is not its answer
    given = {n.value for n in numbers_in(reading.question.split())}
    for s in _near_top(ranked, 0.5)[:5]:
        for fname, factor in (("what", 1.0), ("note", 0.5)):
            f = s.doc.fields[fname]
            for number in numbers_in(f.raw):
                if number.value in given:
                    continue
                token = _token_of_raw(f, number.start)
                if fname == "note" and _reported_error(f, token):
                    continue  # "the article says 2023": what a source got wrong is never the answer
                direct = bool(unit) and (
                    stem(normalise(number.unit)) == unit or stem(normalise(number.unit)) in THESAURUS.get(unit, ())
                )
                unit_ok = direct or (bool(unit) and _counts_of(f, token, unit))
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
                    best, in_act, measured = (value, number, s), here, unit_ok and not direct
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
    if measured and "much" in reading.words and number.unit.isalpha() and number.unit not in _NOT_MEASURES:
        said = f"{said} {number.unit}"  # "how much wheat": "2 million tonnes", not "2 million"
    return _Result(said, _gate(reading, s), [s])


_NOT_MEASURES = frozenset("of and or a an the in on at to for from per".split())


def _counts_of(f: Field, token: int, unit: str) -> bool:
    """ "how much wheat": a number of something *of wheat* ("2 million tonnes of wheat"), in
    its own clause ("these are one event: Rudenko received copies" counts no copies)."""
    for i in range(token + 1, min(token + 5, len(f.stems))):
        if i - 1 in f.breaks and i > token + 1:
            return False
        if f.stems[i] == unit:
            return True
    return False


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
