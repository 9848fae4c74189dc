"""The answer value from the part of the fact the question asks for: who, what, where,
when (and what something was called, what a name is)."""

from __future__ import annotations


from factcli.ask.checks import (
    NEAR_TIE,
    _AGENT_NOUNS,
    _LIGHT_STEMS,
    _PERSON_ROLES,
    _Result,
    _SAYING_STEMS,
    _as_roles,
    _candidates_pool,
    _did_it,
    _direction_differs,
    _gate,
    _holds_role,
    _near_top,
    _span_days,
    _speaks,
    _weekday_label,
    _within,
    date_label,
)
from factcli.ask.facttext import (
    SIDED_ROLES,
    _DETERMINERS,
    _DISOWNING,
    _sentence_around,
    _acts,
    _asked_places,
    _city_of_event,
    _clause_between,
    _content_between,
    _distance,
    _has,
    _mention_scores,
    _predicate,
    _slot_taken,
    _reported,
    _reported_error,
    _sides,
    _verb_form,
)
from factcli import countries
from factcli.dates import DAY_NAMES, MONTH_WORDS, SEASONS
from factcli.ask.english import DEMONYMS, THESAURUS, TITLE_WORDS, find_dates
from factcli.words import stem
from factcli.ask.corpus import (
    Doc,
    Field,
    Corpus,
    Scored,
    ends_sentence,
    positions,
)
from factcli.ask.names import Mention
from factcli.ask.question import Reading
from factcli.ask.reading import REGIONS, city_asked
from factcli.ask.english import AUX
from factcli.text import normalise


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
            zone = _zone_asked(reading.question)
            # the place of the time, after it ("3:29 p.m. Washington time": the sentence split after "p.m.")
            after = text[text.find(sentence) + found.end() :] if sentence in text else ""
            given = re.search(r"\s([A-Z][a-z]+)\s+time$", found.group(0)) or re.match(
                r"\s+([A-Z][a-z]+)\s+time\b", after
            )
            if zone and (given is None or given.group(1).casefold() != zone):
                # "what time was it in Kabul": a time the fact gives for Washington (or for no
                # place) is not the answer
                where = f"{given.group(1)} time" if given else "no place's time"
                return _Result(None, 0.0, [best], f"the fact gives {where}, not {zone} time")
            said = found.group(0)
            if given and not zone and given.group(0) not in said:
                said = f"{said} {given.group(1)} time"  # "at what time did it leave kabul": whose clock
            return _Result(said, _gate(reading, best), [best])
    return _Result(None, 0.0, [], "the facts give dates, not a time of day, for it")


def _zone_asked(question: str) -> str:
    """The place whose clock time the question asks for ("what time was it *in Kabul*",
    "at what time *Kabul* time", "… in Washington time"), folded; "" when it names none
    ("local": the event's place, which no time the facts give for a named place answers)."""
    import re

    text = normalise(question)
    # ("what time *in kabul* did …", "what time was it in kabul")
    m = re.search(r"\btime\s+(?:(?:was\s+it|is\s+it|was\s+it\s+then)\s+)?in\s+([a-z]+)\b", text) or re.search(
        r"\b(?!what\b|which\b|the\b|that\b|this\b|first\b|last\b|same\b|next\b|one\b|any\b|some\b|every\b)([a-z]+)\s+time\b",
        text,
    )
    return m.group(1) if m else ""


def _answer_when(index: Corpus, reading: Reading) -> _Result:
    ranked = [s for s in _candidates_pool(index, reading) if s.fact.when is not None]
    if not ranked:
        return _Result(None, 0.0, [], "no dated fact matches")
    if reading.wants_time:
        return _answer_time(index, reading, ranked)
    best = ranked[0]
    tied = _near_top(ranked, NEAR_TIE)
    rivals = [] if reading.order else _rival_days(reading, _near_top(ranked, RIVAL_SHARE))
    if rivals:
        return _Result(None, 0.0, rivals, f"{len(rivals)} facts fit about as well, on different days")
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
    label = exact or _weekday_label(best.fact)
    if "/" in label and _SPAN_END_STEMS & {stem(w) for w in reading.words}:
        # "in what month did the Afghan solar year 1403 begin": c28's 2024-03/2024-11 is the
        # span of the trade it reports, not an answer to when something began or ended
        return _Result(None, 0.0, [best], f"the fact's date is a span ({label}); the question asks when one end was")
    return _Result(label, confidence, support)


_SPAN_END_STEMS = frozenset(stem(w) for w in "begin began start started commence end ended finish conclude".split())
RIVAL_SHARE = 0.9  # a fact scoring within 10% of the best is a rival answer


def _when_in_note(index: Corpus, reading: Reading) -> _Result:
    """The day the curator's note gives for the act asked, when the fact's own date is for
    another act: "The State Duma approved the bill on 17 December 2024 (AP), and Putin signed
    it in late December 2024" answers when the Duma passed it. The note's sentence must have
    the question's actor doing its verb and one exact day, and must neither report a source's
    error nor disown what it says; one such day among the best facts, or no answer."""

    predicate = _predicate(reading)
    if not predicate or reading.subject is None:
        return _Result(None, 0.0, [], "no act and actor to find in a note")
    found: dict[str, Scored] = {}
    for s in _near_top(_candidates_pool(index, reading), 0.6)[:3]:
        f = s.doc.fields["note"]
        for m in f.mentions:
            if m.ref != reading.subject:
                continue
            start, end = _sentence_around(f, m.start)
            acts = [p for p in positions(f, predicate) if start <= p < end and 0 < p - m.end + 1 <= 5]
            words = f.words[start:end]
            if not acts or _reported_error(f, m.start) or any(w in _DISOWNING for w in words):
                continue
            # the verb's own clause: up to the next comma or stop ("announced the invitation on
            # Monday 27 May 2024, and the delegation arrived on 5 June 2024": the first day)
            stop = min((b + 1 for b in f.breaks if b >= acts[0]), default=end)
            clause = " ".join(f.raw[f.raw_of[acts[0]] : f.raw_of[min(stop, end) - 1] + 1]).casefold()
            days = [d for d in find_dates(clause) if d.exact_day and not d.month_day]  # ("on 5 September": no year)
            if len(days) == 1:
                found[days[0].start] = s
    if len(found) != 1:
        return _Result(None, 0.0, [], "the notes give no one day for it" if not found else "the notes give two days")
    ((day, s),) = found.items()
    return _Result(date_label(day), _gate(reading, s), [s], "the day is the curator's note's")


def _rival_days(reading: Reading, tied: list[Scored]) -> list[Scored]:
    """Facts as good as the best that each say the question's verb of the same names on
    different days ("when did the Kremlin accept Gul Hassan's credentials": copies on
    3 July 2025, the letter on 15 January 2026): a choice the question does not make."""
    predicate = _predicate(reading)
    if not predicate:
        return []
    saying = [
        s
        for s in tied
        if s.fact.when is not None
        and s.fact.when.is_day
        and any(_verb_form(s.doc.fields["what"].words[p]) for p in positions(s.doc.fields["what"], predicate))
        and not _reported(s.doc, predicate)
        and s.strong_coverage >= 0.9 * tied[0].strong_coverage
    ]  # fmt: skip  (the act itself, as a verb: "received", not "Russia's recognition"; not a report of it)
    # different actors on different days (Rudenko, Putin); one actor's two facts (an act,
    # and the state it left) are told apart by the span and the score, as before
    if len({s.fact.when.text for s in saying}) > 1 and len({s.fact.who for s in saying}) > 1:  # type: ignore[union-attr]
        return saying
    return []


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
        if slot.denied != reading.negated:
            score *= 0.2  # "Pakistan itself had not formally recognized …" (unless not doing it is asked)
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
    if index.refs[ref].kind == "country":  # type: ignore[index]
        # "croatia - who is it?": a country is not someone the facts describe (its one
        # office fact answered "Croatia: President of Croatia")
        return _Result(None, 0.0, [], "a country is not someone to describe")
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
        elif set(reading.focus) - _LIGHT_STEMS and not (len(spots) == 1 and s.strong_coverage >= 0.75):
            continue  # (the fact's one such thing, in a fact that says the rest: "what summit was Putin at")
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
    """What the text says a name is, a phrase holding a role: ", the Russian president's
    special representative for Afghanistan," after it; "Russian Deputy Foreign Minister",
    "White House National Security Council spokesman", "EU's foreign affairs spokesperson"
    before it; "Russia's ambassador to Afghanistan, Dmitry Zhirnov": before, set off by a
    comma. "" when no such phrase is next to the name."""
    raw = f.raw
    last, first = f.raw_of[m.end - 1], f.raw_of[m.start]
    if raw[last].endswith(","):
        phrase = []
        for word in raw[last + 1 : last + 16]:
            phrase.append(word.rstrip(",.;:"))
            if word.endswith((",", ".", ";", ":")):
                if _names_a_role(phrase):
                    return " ".join(phrase)
                break
    title: list[str] = []
    for word in reversed(raw[max(0, first - 8) : first]):
        bare = word.lower().strip("()")
        if word.endswith((",", ".", ";", ":", ")")) or bare in _DETERMINERS or bare in _TITLE_STOPS:
            break
        if not word[:1].isupper() and not (
            stem(bare) in _PERSON_ROLES or bare in TITLE_WORDS or (title and title[0].islower())
        ):
            break  # a lowercase word only as a role ("spokesman John Kirby"), a title's ("acting"), or before one
        title.insert(0, word)
        if word.endswith(("'s", "’s")):
            break  # whose title it is ("EU's foreign affairs spokesperson"), and no further
    if title and (_names_a_role(title) or all(w[:1].isupper() for w in title)):
        return " ".join(title)
    if first and raw[first - 1].endswith(","):  # "Russia's ambassador to Afghanistan, Dmitry Zhirnov,"
        before: list[str] = []
        for word in reversed(raw[max(0, first - 9) : first]):
            if word.endswith((".", ";", ":")) or (before and word.endswith(",")):
                break
            before.insert(0, word.rstrip(","))
        start_ok = first - len(before) == 0 or raw[first - len(before) - 1].endswith((".", ";", ":", ","))
        if start_ok and _names_a_role(before) and len(before) <= 8:
            return " ".join(before)
    return ""


_TITLE_STOPS = frozenset("and or said says of by with to for from in at on as".split())


def _names_a_role(words: list[str]) -> bool:
    bare = (w.lower().strip("(),.;:").removesuffix("'s").removesuffix("’s") for w in words)
    return any(stem(w) in _PERSON_ROLES or w == "chair" for w in bare)


_NAME_NOUN = stem("name")


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
    if reading.noun == _NAME_NOUN:
        # "what name did the article give the ambassador": the words around a fact's "name"
        # ("Gul Hassan (full name") are not the name asked for
        return _Result(None, 0.0, [], "a name asked for as 'what name' is not read from the facts")
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
        if slot.denied != reading.negated:
            value *= 0.2  # a country that did not (unless one that did not is asked for)
        if location and slot.located:
            value += 1.0  # "where …": a place after "in", "to", "at"
        out[code] = max(out.get(code, 0.0), value)
    return out


# Capitalised words after "in" that are dates, not places ("in July", "in Spring 2025").
_CALENDAR_WORDS = frozenset([*MONTH_WORDS, *SEASONS, *(d.lower() for d in DAY_NAMES)])


def _names_a_place(doc: Doc) -> bool:
    """Whether a fact's first sentence puts its event in a named place that is not a
    country ("… at a ceremony in Beijing's Great Hall", "… in Kabul")."""
    raw = doc.fields["what"].raw
    for j, word in enumerate(raw[:-1]):
        if j > 0 and ends_sentence(raw[j - 1]):
            break
        if word.lower() not in ("in", "at"):
            continue
        k = j + 2 if raw[j + 1].lower() == "the" and j + 2 < len(raw) else j + 1
        name = raw[k].rstrip(",.;:)").removesuffix("'s").removesuffix("’s")
        if name[:1].isupper() and name.lower() not in _CALENDAR_WORDS and not countries.resolve(name):
            return True
    return False


def _role_side_country(index: Corpus, reading: Reading, scored: Scored) -> _Result | None:
    """ "Which country is Zhirnov the ambassador *of*?" (the country the role belongs to)
    against "… ambassador *to*?" (the one it is sent to), read from the fact's own
    "Russia's ambassador to Afghanistan"; None when the fact's role has no sides."""
    role = reading.role[-1]
    asked_at = [i for i, w in enumerate(reading.words) if stem(w) == role]
    f = scored.doc.fields["what"]
    variants = {role: 1.0} | {t: 1.0 for t in THESAURUS.get(role, ())}
    spots = positions(f, variants)
    if not asked_at or not spots:
        return None
    owner, dest = _sides(index, f.words, f.mentions, spots[0])
    if owner is None and dest is None:
        return None
    after = reading.words[asked_at[0] + 1 : asked_at[0] + 2]
    before = reading.words[max(0, asked_at[0] - 2) : asked_at[0]]
    if after and after[0] in ("to", "in", "at"):
        wanted = dest
    elif (after and after[0] in ("of", "for", "from")) or "s" in before:
        wanted = owner
    else:
        return _Result(None, 0.0, [], f"the question does not say which side of the {role} it asks for")
    code = None if wanted is None else (index.refs[wanted].country or index.refs[wanted].home)
    if code is None:
        return _Result(None, 0.0, [], f"the fact does not say that side of the {role}")
    return _Result(countries.display_name(code), _gate(reading, scored), [scored], ref=index.country_ref(code))


def _city_fits(index: Corpus, reading: Reading, city: str) -> bool:
    """ "Which (central Asian, Kazakh) capital, city …": a capital, or a city of a country or
    region, must stand for a government (what the facts know of capitals) of that country
    or in that region."""
    words = list(reading.words)
    at = city_asked(words)
    if at is None:
        return True
    qualifier = " ".join(words[1:at])
    region = REGIONS.get(qualifier) or (frozenset({DEMONYMS[qualifier]}) if qualifier in DEMONYMS else None)
    if words[at] != "capital" and region is None:
        return True
    name = normalise(city)
    homes = {r.country or r.home for r in index.refs if name in r.places}
    homes.discard(None)
    return bool(homes) and (region is None or homes <= region)


def _answer_where(index: Corpus, reading: Reading) -> _Result:
    ranked = _candidates_pool(index, reading)
    if not ranked:
        return _Result(None, 0.0, [], "no fact matches")
    asks_country = any(w in ("country", "countries", "nation", "state") for w in reading.words[:3])
    if (reading.location and not asks_country) or reading.wants_city:
        # "where did he arrive", "in which city …": the city the fact puts it in.
        for s in ranked[:2]:
            city = _city_of_event(index, reading, s.doc, whole=not reading.wants_city)
            if city and not _city_fits(index, reading, city):
                return _Result(None, 0.0, [], f"{city} is not known to be the kind of city asked for")
            if city:
                return _Result(city, _gate(reading, s), [s])
        if reading.wants_city:
            return _Result(None, 0.0, [], "the best facts name no city for it")
    # "which country was Zhao Sheng appointed ambassador *to*": the role's side, though the
    # question's verb is another ("appointed"), never the actor's country by default
    words = reading.words
    sided_role = [
        stem(w)
        for i, w in enumerate(words[:-1])
        if stem(w) in SIDED_ROLES
        and words[i + 1] in ("to", "in", "at", "of", "for", "from")
        and (i + 2 == len(words) or words[i + 2] in ("which", "what"))  # "… ambassador to (which country)"
    ][-1:]
    if asks_country and (reading.role or sided_role):
        sided = _role_side_country(index, reading._replace(role=reading.role or sided_role), ranked[0])
        if sided is not None:
            return sided
        if not reading.role:
            return _Result(None, 0.0, [], f"the best fact does not say which side of the {sided_role[0]} is which")
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
    if reading.location and not asks_country and own[code] < _LOCATED:
        # "where did kirby speak": no name in the fact after "in", "to", "at"; a country the
        # fact is tagged with (Afghanistan, c39) is what it is about, not where it happened
        return _Result(None, 0.0, [], "the best fact does not say where")
    if reading.location and not asks_country and _only_in_what_was_said(index, reading, s.doc, code):
        # "where did the eu spokesperson speak": "said that … lasting peace *in Afghanistan*"
        return _Result(None, 0.0, [], "the place is in what was said, not where it was said")
    return _Result(
        countries.display_name(code), _gate(reading, s) * (1.0 if i == 0 else 0.8), [s], ref=index.country_ref(code)
    )


def _only_in_what_was_said(index: Corpus, reading: Reading, doc: Doc, code: str) -> bool:
    """For a saying verb, whether every mention of the country comes after "said that"."""
    asked = {stem(w) for w in reading.words} | {v for w in reading.words for v in THESAURUS.get(stem(w), ())}
    if not _SAYING_STEMS & asked:  # ("speak": say, tell)
        return False
    f = doc.fields["what"]
    said = [i for i, s in enumerate(f.stems[:-1]) if s in _SAYING_STEMS and f.words[i + 1] == "that"]
    at = [m.start for m in f.mentions if (index.refs[m.ref].country or index.refs[m.ref].home) == code]
    return bool(said and at) and min(at) > said[0]


_LOCATED = 1.0  # the bonus _country_candidates gives a place named after "in", "to", "at"


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
