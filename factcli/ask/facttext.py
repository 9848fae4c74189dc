"""Where things stand in a fact's text, as `ask` reads it: who does a verb (`_acts`),
which names a sentence puts where (`_mention_scores`), negation, reports of an act,
places, the words between two positions. Pure functions of a corpus Doc."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from factcli import countries
from factcli.ask.english import NEGATORS, TITLE_WORDS
from factcli.words import IRREGULAR_VERBS, stem
from factcli.ask.corpus import (
    Doc,
    Field,
    Corpus,
    ends_sentence,
    positions,
)
from factcli.ask.names import Mention
from factcli.ask.question import Reading, Unit
from factcli.ask.english import AUX, SYNONYM_WEIGHT
from factcli.text import normalise


_PRONOUNS = frozenset(("he", "she"))  # in a fact, they stand for its actor


# Words that make the word after them a noun ("*the* ban", "*its* recognition").
_DETERMINERS = frozenset("the a an its their his her this that these those".split())
# Roles with two sides: the country they belong to, and the one they are sent to.
SIDED_ROLES = frozenset(stem(w) for w in "ambassador envoy emissary representative".split())


def _sides(
    index: Corpus, words: Sequence[str], mentions: Sequence[Mention | Unit], at: int
) -> tuple[int | None, int | None]:
    """The name a role belongs to (just before it: "the *Taliban's* ambassador", "*Chinese*
    ambassador") and the one it is sent to ("ambassador *to China*", "ambassador *in Moscow*")."""
    owner = dest = None
    spans = []
    for m in mentions:
        ref = m.ref
        start = m.start if isinstance(m, Mention) else m.position
        end = m.end if isinstance(m, Mention) else m.position + max(1, len(m.surface.split()))
        if ref is None or ref < 0:
            continue
        spans.append((start, end, ref))
        if 0 <= at - end <= 1 and all(w in ("s", "new", "the") for w in words[end:at]):
            owner = ref
        if 0 < start - at <= 3 and any(w in ("to", "in", "at") for w in words[at + 1 : start]):
            dest = dest if dest is not None else ref
    # "ambassador *of the Islamic Emirate of Afghanistan* to *Russia*": whose, then where
    # (for a role that is sent: "the largest buyer *of Russian* flour" is not Russia's)
    sent = stem(words[at]) in SIDED_ROLES
    of = [(s, e, r) for s, e, r in spans if sent and words[at + 1 : at + 2] == ["of"] and 0 < s - at <= 3]
    if owner is None and of and all(w in ("of", "the") for w in words[at + 1 : of[0][0]]):
        owner = of[0][2]
        after = [r for s, _, r in spans if 0 < s - of[0][1] <= 1 and words[of[0][1]] in ("to", "in", "at")]
        if dest in (None, owner) and after:
            dest = after[0]
    return owner, dest


def _in_quotes(doc: Doc, variants: dict[str, float]) -> bool:
    return any(doc.counts["sources"].get(v) for v in variants)


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


def _city_of_event(index: Corpus, reading: Reading, doc: Doc, whole: bool = False) -> str | None:
    """The place a fact puts the question's event in: a place name after "in", "to"
    or "at" following its verb ("arrived in Moscow", "moved … to Doha, Qatar",
    "received, in Moscow, copies"), that is not a country."""
    f = doc.fields["what"]
    raw = f.raw
    verbs = sorted({f.raw_of[p] for p in positions(f, _predicate(reading))}) if reading.focus else []
    reach = 20
    if not verbs and reading.focus:
        verbs = [-1]  # the verb is not the fact's: the place its first sentence gives
        reach = len(raw)  # anywhere in that sentence (the loop stops at its end)
    for v in verbs:
        for j in range(v + 1, min(v + reach, len(raw) - 1)):
            if j > 0 and ends_sentence(raw[j - 1]) and j > v + 1:
                break
            if j > v + 1 and raw[j].lower() == "and" and j + 1 < len(raw) and _verb_form(raw[j + 1].lower()):
                break  # "… named ambassador, *and arrived* in Moscow": another act's place
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
                if whole and k < len(raw) and raw[k].rstrip(",.;:)") != name[-1]:
                    return _possessed_place(raw, k, place) or place
                return place
    return None


def _possessed_place(raw: Sequence[str], k: int, city: str) -> str | None:
    """ "in *Beijing's Great Hall of the People*": the named place the city's possessive
    leads to, with the city ("Beijing's Great Hall of the People"); None if none."""
    if not raw[k].endswith(("'s", "’s")):
        return None
    words: list[str] = []
    for word in raw[k + 1 :]:
        bare = word.rstrip(",.;:)")
        if not (bare[:1].isupper() or bare in ("of", "the")):
            break
        words.append(bare)
        if bare != word:
            break
    while words and words[-1] in ("of", "the"):
        words.pop()
    return f"{city}'s {' '.join(words)}" if words else None


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


def _sentence_around(f: Field, p: int) -> tuple[int, int]:
    """The word positions [start, end) of the sentence of ``f`` that holds position p."""
    start = max((e + 1 for e in f.sentence_ends if e < p), default=0)
    end = min((e + 1 for e in f.sentence_ends if e >= p), default=len(f.words))
    return start, end


def _same_sentence(f: Field, a: int, b: int) -> bool:
    lo, hi = min(a, b), max(a, b)
    return not any(lo <= e < hi for e in f.sentence_ends)


def _token_of_raw(f: Field, raw_index: int) -> int:
    for i, r in enumerate(f.raw_of):
        if r == raw_index:
            return i
    return 0


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
        if (
            other is not None
            and not same(other.ref)
            and index.refs[other.ref].kind != "person"
            and not any(same(m.ref) for m in close)
            and f.words[p - 1] in ("to", "would")
        ):
            continue  # "the *Russian* government's decision to recognise": Russia's act, not the Taliban's
        if f.words[p].endswith("ing") and p and f.words[p - 1] in ("that", "said", "says"):
            continue  # "said that recognizing the Taliban … undermines": a gerund, nobody's act
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
        start, _ = _sentence_around(f, p)
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


# Words by which a curator's note reports what a source got wrong ("the article" alone may report it right).
_REPORTING_ERROR = frozenset(
    "misquote misquotes misquoted mistranslation mistranslates sic wrong wrongly incorrect incorrectly erroneous erroneously error mistaken mistakenly misspelled misspells misspelling".split()
)


def _reported_error(f: Field, p: int) -> bool:
    """True when position p of a note stands in a sentence reporting a source's error."""
    start, end = _sentence_around(f, p)
    return any(w in _REPORTING_ERROR for w in f.words[start:end])


# A note disowns a word when every sentence of it that holds the word reports a source's
# version, calls it wrong or negates it.
_DISOWNING = NEGATORS | frozenset(
    "article only instead wrong wrongly incorrect incorrectly misquote misquoted mistranslation sic however unconfirmed".split()
)
