"""Reading a question: its type, the names and key words in it, its dates, and
the verb and role it turns on. Pure: no click, no rich, no I/O.

:func:`read` gives a :class:`Reading`: the question's type (when, who, where,
list, count, yes/no, what); the names it gives, through the aliases table,
countries (codes typed in capitals), demonyms and close spellings; its key
words as stems with a few synonyms and phrasal verbs ("took … off" = removed);
its dates and ranges, as filters or as hints; and, for the answer, the verb it
turns on (:mod:`.focus`), the role it asks for, whether it asks for a subject or
an object, and the `factcli search` it amounts to. What was typed around the
question (a guess, a lead-in, a sentence of context) is taken off first
(:mod:`.rephrase`).
"""

from __future__ import annotations

from typing import Any

from factcli import countries
from factcli.dates import MAX_DAY, MIN_DAY
from factcli.ask.english import (
    AUX,
    DEMONYMS,
    FUZZY_WEIGHT,
    ORDER_WORDS,
    PHRASAL,
    QUESTION_WORDS,
    STOPWORDS,
    SYNONYM_WEIGHT,
    THESAURUS,
    TITLE_WORDS,
    DateMention,
    LazyPattern,
    find_dates,
)
from factcli.ask.focus import focus as find_focus, looks_like_verb
from factcli.ask.rephrase import rephrase
from factcli.words import IRREGULAR, IRREGULAR_VERBS, stem
from factcli.ask.corpus import Corpus
from factcli.ask.tokens import in_dictionary, tokenize
from factcli.ask.mentions import name_units
from factcli.ask.question import Reading, Unit
from factcli.query import AliasIndex, Query


_QUANTITY_WORDS = frozenset("worth cost value amount total sum figure number".split())
# "what happened …": asking for an event, not a word a fact must hold.
_EVENT_WORDS = frozenset("happen happens happened happening occur occurs occurred".split())
_COUNT_ADJECTIVES = frozenset("foreign new other different separate major official diplomatic more".split())
_REFUSING = frozenset(stem(w) for w in "refuse decline fail".split())
_ING_NOT_VERBS = frozenset("during morning evening something nothing anything everything thing king spring".split())
_REPORTING = frozenset(stem(w) for w in "say state declare announce insist stress".split())
_DESCRIBING = frozenset("position job role title post office background".split())
_PASSIVE = LazyPattern(r"^who\s+(?:was|were|is|are|has\s+been|have\s+been|had\s+been|got)\s+(\w+(?:ed|en))\b")
_UNITS_OF_TIME = r"(?P<unit>days|weeks|months|years)"
_INTERVAL_AFTER = LazyPattern(
    r"^(?:about\s+|roughly\s+)?how\s+many\s+"
    + _UNITS_OF_TIME
    + r"\s+(?P<how>after|before)\s+(?P<a>.+?)\s+(?:did|was|were)\s+(?P<b>.+)$"
)
_INTERVAL_BETWEEN = LazyPattern(
    r"^(?:about\s+|roughly\s+)?how\s+many\s+"
    + _UNITS_OF_TIME
    + r"\s+(?:(?:(?:passed|elapsed|went\s+by|were\s+there|lay|are\s+there)\s+)?between|separated|separate)"
    + r"\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$"
)


# ------------------------------------------------------------------ reading a question


def pool_terms(question: str, aliases: AliasIndex) -> list[tuple[str, ...]]:
    """The names and content words of a question, each as a group of folded
    spellings, for finding the facts worth reading in a database too large to
    read whole: a name with its aliases and country names; a word with its base
    form, its stem (which matches as a word start: "recogn" finds "recognised"
    and "recognition") and the stems the thesaurus relates to it."""
    tokens = [t.strip("?!.,;:\"'()’“”") for t in question.split()]
    groups: list[tuple[str, ...]] = []
    for term in aliases.group_phrases([t for t in tokens if t]):
        if term.lower() in QUESTION_WORDS and not term.isupper():
            continue  # "Who opened …" asks; "WHO" would name the organisation
        variants = aliases.variants(term)
        if not variants:
            continue
        if len(variants) > 1:  # a name: every spelling of it
            groups.append(variants)
            continue
        word = variants[0]
        if word in STOPWORDS or word in QUESTION_WORDS:  # the auxiliaries are stop words too
            continue
        base = IRREGULAR_VERBS.get(word, word)
        root = stem(base)
        spellings = (word, base, root, *sorted(THESAURUS.get(root, ())))  # and words of the same act ("envoy")
        groups.append(tuple(dict.fromkeys(v for v in spellings if len(v) > 1)))
    return groups


# "Which central Asian capital …": a city asked for, after words that say where it lies
# (a demonym, whose country is a name of the question, or a region the answer must be in).
_CITY_NOUNS = frozenset("city capital town".split())
REGIONS = {
    "central asian": frozenset("KAZ KGZ TJK TKM UZB".split()),
    "gulf": frozenset("SAU ARE QAT KWT BHR OMN".split()),
}


def city_asked(words: list[str]) -> int | None:
    """Where "which [qualifier] city|capital|town" puts its noun, or None."""
    if len(words) < 2 or words[0] not in ("what", "which"):
        return None
    place = next((i for i in range(1, min(4, len(words))) if words[i] in _CITY_NOUNS), None)
    if place is None:
        return None
    qualifier = " ".join(words[1:place])
    return place if not qualifier or qualifier in REGIONS or qualifier in DEMONYMS else None


def _question_type(words: list[str]) -> tuple[str, int]:
    """The type of a question and how many leading words say it."""
    w = words + ["", "", ""]
    if (
        len(words) > 2
        and words[-1] in ("when", "who", "where", "date")
        and words[0] not in QUESTION_WORDS
        and words[0] not in AUX
    ):
        return {"when": "when", "who": "who", "where": "where", "date": "when"}[
            words[-1]
        ], 0  # "Kazakstan taliban terror list removed when?", "kazakstan delist taleban date"
    if any(x in ("exactly", "precisely", "exact", "precise") for x in w[1:3]):
        k = next(i for i in (1, 2) if w[i] in ("exactly", "precisely", "exact", "precise"))
        kind, n = _question_type(words[:k] + words[k + 1 :])
        return kind, n + (1 if n > k else 0)
    if w[0] in ("and", "so", "please", "ok", "about", "roughly", "approximately", "exactly"):
        kind, n = _question_type(words[1:])
        return kind, n + 1
    if w[0] == "when" or (w[0] in ("what", "which") and w[1] in ("date", "day", "year", "month", "time")):
        return "when", 1 if w[0] == "when" else 2
    if w[0] in ("in", "on", "at") and w[1] in ("what", "which") and w[2] in ("year", "date", "day", "month", "time"):
        return "when", 3
    if w[0] == "how" and w[1] in ("many", "much"):
        return "count", 2
    if w[0] == "where":
        return "where", 1
    if w[0] in ("in", "to", "from") and w[1] in ("what", "which") and w[2] in ("country", "place", "city", "nation"):
        return "where", 3
    if (
        w[0] in ("over", "in", "at", "on", "from", "to", "into", "by", "for", "with", "under")
        and w[1] in ("what", "which")
        and w[2] not in AUX
    ):
        kind, n = _question_type(words[1:])  # "over which building was the flag raised": which building
        return kind, n + 1
    if w[0] in ("what", "which"):
        if w[1] in ("countries", "nations", "states", "governments"):
            return "list", 2
        if w[1] in ("country", "countrys", "nation", "place", "city"):  # "which country's …"
            return "where", 2
        place = city_asked(w)
        if place is not None:
            return "where", place + 1  # "which (central asian) capital hosted …": a city
        if w[0] == "what" and w[1] in AUX and "worth" in words:
            return "count", 2  # "what was … worth": an amount
        if w[1] in AUX or w[1] in ("kind", "sort") or (w[0] == "what" and looks_like_verb(w, 1)):
            return "what", 1  # "what is …", "what happened …"
        return "who", 1  # "which afghan president …", "what official …"
    if w[0] in ("who", "whom", "whose"):
        return "who", 1
    if w[0] in ("to", "by", "with", "from", "for") and w[1] == "whom":
        return "who", 2  # "to whom did Gul Hassan present his letter"
    if w[0] in AUX:
        return "yesno", 0
    return "what", 0


_PERSON_TITLES = frozenset(stem(w) for w in TITLE_WORDS)  # the role of a person: "spokesperson", "minister"


_ACT_NOUN = LazyPattern(r"(?:ing|tion|sion|ment)$")


def _acts_by_its_act(words: list[str], lead: int) -> bool:
    """ "which court's *ruling* put …": the possessor's act (a noun of acting) is the subject
    of the verb after it; not "which organisation's ban *did* … suspend" (whose ban was done to)."""
    return lead + 2 < len(words) and bool(_ACT_NOUN.search(words[lead + 1])) and words[lead + 2] not in AUX


def read(question: str, index: Corpus) -> Reading:
    """Read a question: its type, names, key words (stems), dates and focus."""
    text, claim, option_texts, according_to = rephrase(question)
    dates, words, raw_of, raw_words = _dated_words(text, index)
    kind, lead = ("yesno", 0) if claim else _question_type(words)
    if lead == 0 and kind == "when" and words[-1] == "date":
        words, raw_of = words[:-1], raw_of[:-1]  # "kazakstan delist taleban date": the asking, typed last
    typed = [raw_words[j] for j in raw_of]  # each word as typed (with its capitals and punctuation)
    corrections = _correct(words, lead, index)
    units, unknown, in_name = name_units(words, typed, lead, index, corrections)
    particle_of, particles = _phrasal(words)
    units += _word_units(words, lead, kind, in_name, units, corrections, particle_of, particles, index.name_words)
    units.sort(key=lambda u: u.position)  # soft dates (a bare year: "resolution 1988") stay words too

    # "russia's top court": a possessor, not the subject the verb follows
    possessive = frozenset(i for i in range(len(words)) if typed[i].rstrip("?!.,;:").endswith("'s"))
    verbs, role, role_refs, object_question = find_focus(words, lead, kind, units, in_name, possessive)
    # A phrasal verb's meaning is the verb ("given back" is returned, not given).
    for i, meaning in (*particle_of.items(), *particles.items()):
        verbs = [stem(meaning) if f == stem(words[i]) else f for f in verbs]
    # "who had been appointed ambassador …": a passive asks for the one it was done to
    passive_verb = (
        _PASSIVE.match(" ".join(words[:5])) if kind == "who" and lead < len(words) and words[0] == "who" else None
    )
    if passive_verb:
        verbs, object_question = [stem(IRREGULAR.get(passive_verb.group(1), passive_verb.group(1)))], True
    # "who was quoted calling it …": the act is the calling, the quoting only reports it
    quoted = next(
        (
            i
            for i, w in enumerate(words[:-1])
            if w == "quoted" and words[i + 1].endswith("ing") and words[i + 1] not in _ING_NOT_VERBS
        ),
        None,
    )
    answer_acts = quoted is not None and bool(verbs) and verbs[0] == stem("quoted")
    if answer_acts:
        # the one quoted did it: an actor is asked for, not the one a passive was done to
        verbs, object_question, passive_verb = [stem(IRREGULAR.get(words[quoted + 1], words[quoted + 1]))], False, None
    excluding: list[str] = []
    if "without" in words:
        k = words.index("without")
        excluding = [stem(w) for w in words[k + 1 : k + 3] if w not in STOPWORDS][:1]
        units = [u for u in units if u.position < k]
    names = [index.display(u.ref) for u in units if u.ref is not None and u.ref >= 0]
    asking = _asking(words, lead, kind, role, verbs, in_name, passive=passive_verb is not None)
    subject = _subject(words, lead, kind, units)
    kind, describe = _describe(words, lead, kind, units, in_name)  # "what is X's job": who X is
    noun = role[-1] if role and lead and words[lead - 1] in ("what", "which") and kind == "who" else ""
    if noun and lead in possessive and lead < len(words) and (noun in _PERSON_TITLES or _acts_by_its_act(words, lead)):
        # "which bloc's spokesperson said …", "which court's ruling put …": the bloc, the
        # court is asked for, not its spokesperson or ruling
        noun, role = stem(words[lead]), []
    options = tuple(r for r in (_option_ref(t, index) for t in option_texts) if r is not None)
    if option_texts and len(options) != len(option_texts):
        options = (-1,)  # an option the facts do not name: nothing can be chosen
    excluded = _excluded(words, units)
    verbs, units, negated = _negation(words, lead, kind, verbs, units)
    relevant, avg_len = index.relevant(units)
    idf = tuple(index.unit_idf(u, relevant) for u in units)
    return Reading(
        question=text,
        type=kind,
        words=words,
        units=units,
        names=list(dict.fromkeys(names)),
        unknown_names=unknown,
        dates=dates,
        corrections=corrections,
        focus=verbs,
        role=role,
        role_refs=role_refs,
        object_question=object_question,
        excluding=excluding,
        subject=subject,
        relation=_relation(words, lead) if kind == "yesno" else None,
        describe=describe,
        options=options,
        option_texts=tuple(option_texts),
        excluded=excluded,
        noun=noun,
        object_prep=_object_prep(words, kind),
        negated=negated,
        answer_acts=answer_acts,
        interval=_interval(" ".join(words))
        if kind == "count" and {"after", "before", "between", "separated", "separate"} & set(words)
        else None,
        claim=claim,
        according_to=according_to,
        idf=idf,
        avg_len=avg_len,
        query=_as_query(units, idf, dates, index),
        **asking,
    )


def _dated_words(text: str, index: Corpus) -> tuple[list[DateMention], list[str], list[int], list[str]]:
    """A question's dates, and its words with the firm dates blanked out (as folded
    tokens, the raw word each comes from, and the raw words)."""
    lowered = text.casefold()
    # A year written bare that is part of a name ("the 1988 sanctions regime": the 1988
    # Sanctions Committee) is only a hint; other years before a noun date it ("the 2025 forum").
    dates = [
        d._replace(hard=False)
        if lowered[d.span[0] : d.span[1]] == d.text and d.text.isdigit() and d.text in index.name_words
        else d
        for d in find_dates(lowered)
    ]
    blanked = list(text)
    for d in dates:
        if d.hard:
            for i in range(*d.span):
                blanked[i] = " "
    raw_words = "".join(blanked).split()
    words, raw_of = tokenize("".join(blanked))
    return dates, words, raw_of, raw_words


def _correct(words: list[str], lead: int, index: Corpus) -> dict[str, str]:
    """Close spellings of words the facts know ("talban" → "taliban"), corrected in place."""
    corrections: dict[str, str] = {}
    for i, w in enumerate(words):
        if i < lead or w in AUX:
            continue
        fixed = index.correct(w)
        if fixed:
            corrections[w] = fixed
            words[i] = fixed
    return corrections


def _phrasal(words: list[str]) -> tuple[dict[int, str], dict[int, str]]:
    """Phrasal verbs ("took … off" = removed): the verb's position → the meaning, and
    the particle's position → the meaning."""
    particle_of: dict[int, str] = {}
    particles: dict[int, str] = {}
    for i, w in enumerate(words):
        base = IRREGULAR.get(w, w)
        for (verb, particle), meaning in PHRASAL.items():
            if stem(base) == stem(verb):
                for j in range(i + 1, min(i + 8, len(words))):  # "put the ban on the Taliban on hold"
                    if words[j] == particle:
                        particle_of[i] = meaning
                        particles[j] = meaning
                        break
    return particle_of, particles


def _word_units(
    words: list[str],
    lead: int,
    kind: str,
    in_name: set[int],
    units: list[Unit],
    corrections: dict[str, str],
    particle_of: dict[int, str],
    particles: dict[int, str],
    name_words: set[str] | frozenset[str] = frozenset(),
) -> list[Unit]:
    """The question's content words, as stems with their variants and synonyms (a word of a
    name the facts know that the dictionary does not hold, "takal", has no synonyms: it is
    no verb)."""
    found: list[Unit] = []
    for i, w in enumerate(words):
        if i < lead or i in in_name or i in particles or w in STOPWORDS or w in QUESTION_WORDS or w in _EVENT_WORDS:
            continue
        if kind == "count" and w in _QUANTITY_WORDS:
            continue  # "how much was … worth": the asking, not the topic
        if not any(c.isalnum() for c in w):
            continue
        s = stem(particle_of.get(i, w))
        variants = {s: 1.0}
        if w in name_words and i not in particle_of and not in_dictionary(w):
            if not any(u.ref is None and s in u.variants for u in (*units, *found)):
                found.append(Unit(w, i, variants))
            continue
        if s.endswith("ll") and len(s) >= 6:
            variants[s[:-1]] = 1.0  # British "labelled" is "label" ("labell" by the stemmer)
        elif len(s) >= 5 and s.endswith("el"):
            variants[s + "l"] = 1.0  # and "label" is the stemmer's "labell" of "labelled"
        for other in THESAURUS.get(s, ()):
            variants.setdefault(other, SYNONYM_WEIGHT)
        if i in particle_of:
            variants.setdefault(stem(IRREGULAR.get(w, w)), 0.6)
        if any(u.ref is None and s in u.variants and u.variants[s] == 1.0 for u in (*units, *found)):
            continue
        original = next((k for k, v in corrections.items() if v == w), "")
        found.append(Unit(w, i, variants, quality=FUZZY_WEIGHT if original else 1.0, corrected_from=original))
    return found


def _asking(
    words: list[str], lead: int, kind: str, role: list[str], verbs: list[str], in_name: set[int], passive: bool
) -> dict[str, Any]:
    """What the question asks for beyond its words: a place, the subject, the first or
    the last, a number of what, a day, a time or a city, anyone at all, the future."""
    location = kind == "where" and bool(words) and words[0] in ("where", "in", "at")
    after_wh = words[lead] if lead < len(words) else ""
    order = ""
    for w in words:
        if w in ORDER_WORDS and kind in ("when", "who"):
            order = ORDER_WORDS[w]
    return {
        "location": location,
        "asks_subject": (
            not passive
            and kind in ("who", "where", "list")
            and not location
            and after_wh not in ("did", "does", "do")
            and not (kind == "who" and role and (after_wh in AUX or not verbs))
        ),
        "passive": passive,
        "order": order,
        "unit_of_count": _unit_of_count(words, lead, kind, in_name),
        "existential": "any" in words[lead : lead + 4] or "anyone" in words or "anybody" in words,
        "wants_time": kind == "when" and "time" in words[: lead + 1],
        "wants_day": bool({"day", "date"} & set(words[: lead + 1])) or "exactly" in words[:3] or "exact" in words,
        "wants_city": any(w in ("city", "town", "capital") for w in words[: lead + 2]),
        "future": "will" in words[:3] or "going" in words[1:4] and "to" in words[2:5] or "next" in words[:4],
    }


def _object_prep(words: list[str], kind: str) -> str:
    """ "to whom did X give …", "who did he get them from": the answer follows that word in the fact."""
    if len(words) > 1 and words[1] == "whom" and words[0] in ("to", "from", "with", "by"):
        return words[0]
    return words[-1] if kind == "who" and words and words[-1] in ("to", "from", "with") else ""


def _unit_of_count(words: list[str], lead: int, kind: str, in_name: set[int]) -> str:
    """The stem counted: "how many *countries* …", "how much *wheat* …"."""
    if kind == "count" and lead < len(words) and words[1] == "many":
        nxt = [w for w in words[lead:] if w not in STOPWORDS and not (DEMONYMS.get(w)) and w not in _COUNT_ADJECTIVES]
        return stem(nxt[0]) if nxt else ""
    if (
        kind == "count"
        and words[1:2] == ["much"]
        and lead < len(words)
        and words[lead] not in AUX
        and words[lead] not in STOPWORDS
        and lead not in in_name
    ):
        return stem(words[lead])  # "how much wheat": a number of something of wheat
    return ""


def _subject(words: list[str], lead: int, kind: str, units: list[Unit]) -> int | None:
    """The ref the question makes the actor: "did *Russia* recognise …", "was the ban
    suspended by *the Supreme Court*"."""
    aux = next((i for i in range(lead, min(lead + 2, len(words))) if words[i] in AUX), None)
    if aux is None or (kind in ("who", "where", "list") and words[aux] in ("is", "was", "are", "were")):
        return None
    first = aux + 1
    while first < len(words) and words[first] in ("the", "a", "an"):
        first += 1
    subject = next((u.ref for u in units if u.ref is not None and u.ref >= 0 and u.position == first), None)
    if words[aux] in ("is", "was", "are", "were") and "by" in words[first:]:
        # "was the ban suspended *by the Supreme Court*": the passive's agent acts.
        k = first + words[first:].index("by") + 1
        while k < len(words) and words[k] in ("the", "a", "an"):
            k += 1
        subject = next((u.ref for u in units if u.ref is not None and u.ref >= 0 and u.position == k), None)
    return subject


def _describe(words: list[str], lead: int, kind: str, units: list[Unit], in_name: set[int]) -> tuple[str, int | None]:
    """ "what is Andrey Rudenko's position", "who is Zamir Kabulov": the ref to describe
    (and the question becomes a who)."""
    describe = None
    named = [u for u in units if u.ref is not None and u.ref >= 0]
    if kind == "what" and words[1:2] in (["is"], ["was"]) and words[-1:] and words[-1] in _DESCRIBING:
        if len(named) == 1:
            kind, describe = "who", named[0].ref
    if kind == "who" and lead < len(words) and words[lead] in ("is", "was", "are", "were"):
        rest = [i for i in range(lead + 1, len(words)) if words[i] not in STOPWORDS]
        if rest and named and all(i in in_name for i in rest):
            describe = named[0].ref
    return kind, describe


def _relation(words: list[str], lead: int) -> tuple[str, str, str] | None:
    """ "did A after B", "had A already happened when B", "was A before or after B":
    (how, A, "did B")."""
    for k in range(lead + 3, len(words) - 1):
        if words[k] in ("after", "before") and "or" not in (words[k - 1], words[k + 1]):
            main = words[:k]
            how = words[k]
            if main[-2:] == ["the", "day"]:
                main, how = main[:-2], f"day {how}"
            return how, " ".join(main), "did " + " ".join(words[k + 1 :])
    if "already" in words and "when" in words[lead + 2 :]:
        # "had the withdrawal already been completed when the Taliban took Kabul": A before B.
        k = words.index("when", lead + 2)
        return "before", " ".join(w for w in words[:k] if w != "already"), "did " + " ".join(words[k + 1 :])
    for k in range(lead + 2, len(words) - 3):
        if words[k : k + 3] == ["by", "the", "time"]:
            # "had Xi already accepted … by the time Moscow recognised …": A before B (on the
            # same day: not known)
            rest = words[k + 4 :] if words[k + 3] == "that" else words[k + 3 :]
            return "by", " ".join(w for w in words[:k] if w != "already"), "did " + " ".join(rest)
    for k in range(lead + 2, len(words) - 3):
        if words[k : k + 3] in (["before", "or", "after"], ["after", "or", "before"]):
            return "which", " ".join(words[:k]), "did " + " ".join(words[k + 3 :])
    return None


def _excluded(words: list[str], units: list[Unit]) -> tuple[int, ...]:
    """ "besides Russia", "other than China": refs that are not the answer."""
    return tuple(
        u.ref
        for u in units
        if u.ref is not None
        and u.ref >= 0
        and (
            words[u.position - 1 : u.position] in (["besides"], ["except"], ["excluding"])
            or _after_other_than(words, u)
        )
    )


def _negation(
    words: list[str], lead: int, kind: str, verbs: list[str], units: list[Unit]
) -> tuple[list[str], list[Unit], bool]:
    """Whether the question is negated, with the verb and units it then turns on:
    "did Pakistan refuse to upgrade …" asks whether it did not upgrade."""
    refusal = next(
        (i for i in range(lead, len(words) - 2) if stem(words[i]) in _REFUSING and words[i + 1] == "to"), None
    )
    if refusal is not None and kind == "yesno":
        verbs = [stem(words[refusal + 2])]
        units = [u for u in units if u.position != refusal]
    negators = [
        i
        for i in range(lead, len(words))
        if words[i] in ("not", "never") or (words[i].endswith("nt") and words[i][:-2] in AUX)
    ]
    verb_at = next((i for i in range(lead, len(words)) if verbs and stem(words[i]) == verbs[0]), len(words))
    # "which country said *it* does not recognise …": the reported clause is the answer's own
    # act, negated (its subject is the one asked for); but "who said Washington would *never*
    # accept …": the negation is the reported clause's, not the question's
    reported = verb_at + 1 + (verb_at + 1 < len(words) and words[verb_at + 1] == "that")
    if (
        verbs
        and verbs[0] in _REPORTING
        and reported < len(words)
        and words[reported] in ("it", "they")
        and any(reported < i <= reported + 3 for i in negators)
    ):
        last = max(i for i in negators if i <= reported + 5)
        if last + 1 < len(words) and words[last + 1] not in STOPWORDS:
            verbs = [stem(words[last + 1])]  # the reported act is the one asked about
            verb_at = last
    negated = refusal is not None or (bool(negators) and negators[0] <= verb_at + 1 and "without" not in words)
    return verbs, units, negated


def _interval(text: str) -> tuple[str, str, str, str] | None:
    """ "how many days after Kabul fell did the last plane leave": (days, after, A, B)."""
    m = _INTERVAL_AFTER.match(text)
    if m:
        return m.group("unit"), m.group("how"), m.group("a"), m.group("b")
    m = _INTERVAL_BETWEEN.match(text)
    if m:
        return m.group("unit"), "between", m.group("a"), m.group("b")
    return None


def _option_ref(text: str, index: Corpus) -> int | None:
    """The ref an option of a choice names ("China", "Putin")."""
    words, _ = tokenize(text)
    words = [w for w in words if w not in ("the", "a", "an")]
    found = index.names.find(words)
    if len(found) == 1 and found[0].end - found[0].start == len(words):
        return found[0].ref
    code = countries.resolve(" ".join(words))
    if code:
        return index.country_ref(code)
    # "Kirby's no-recognition statement": the one name an option gives, or the name it starts with
    # ("Kyrgyzstan removing the Taliban …")
    return found[0].ref if len(found) == 1 or (found and found[0].start == 0) else None


def _after_other_than(words: list[str], unit: Unit) -> bool:
    """ "other than Russia", "apart from Russia", "not counting Russia"."""
    before = words[max(0, unit.position - 2) : unit.position]
    return before in (["other", "than"], ["apart", "from"], ["aside", "from"], ["not", "counting"])


def _as_query(units: list[Unit], idfs: tuple[float, ...], dates: list[DateMention], index: Corpus) -> Query:
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
        if d.hard and not d.month_day:
            lo, hi = max(lo, d.start), min(hi, d.end)
    return Query(terms=tuple(dict.fromkeys(terms)), country=tuple(dict.fromkeys(codes)), date_from=lo, date_to=hi)
