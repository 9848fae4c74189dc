"""Reading a question: its type, the names and key words in it, its dates, and
the verb and role it turns on. Pure: no click, no rich, no I/O.

:func:`read` gives a :class:`Reading`: the question's type (when, who, where,
list, count, yes/no, what); the names it gives, through the aliases table,
countries (codes typed in capitals), demonyms and close spellings; its key
words as stems with a few synonyms and phrasal verbs ("took … off" = removed);
its dates and ranges, as filters or as hints; and, for the answer, the verb it
turns on, the role it asks for, whether it asks for a subject or an object, and
the `factcli search` it amounts to.
"""

from __future__ import annotations

import re

from factcli import countries
from factcli.dates import MAX_DAY, MIN_DAY
from factcli.ask.english import (
    DEMONYMS,
    PHRASAL,
    QUESTION_WORDS,
    STOPWORDS,
    THESAURUS,
    TITLE_WORDS,
    DateMention,
    find_dates,
)
from factcli.words import IRREGULAR, IRREGULAR_VERBS, stem
from factcli.ask.corpus import Corpus, tokenize
from factcli.ask.question import Reading, Unit
from factcli.query import AliasIndex, Query


class _Lazy:
    """A regular expression compiled on first use: most questions never need it, and a
    CLI pays for every compile on every run."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern, self.flags = pattern, flags
        self._compiled: re.Pattern[str] | None = None

    def _get(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(self.pattern, self.flags)
        return self._compiled

    def match(self, text: str) -> re.Match[str] | None:
        return self._get().match(text)

    def search(self, text: str) -> re.Match[str] | None:
        return self._get().search(text)


SYNONYM_WEIGHT = 0.75  # a synonym matches at this weight
FUZZY_WEIGHT = 0.85  # a corrected spelling matches at this weight
AUX = frozenset("did does do has have had is was were are can could will would should".split())
_PREPOSITIONS = frozenset(
    "in on at to for with from about after before by during of into over since until than that who which whose when while where as".split()
)
ORDER_WORDS = {"first": "first", "earliest": "first", "earlier": "first", "last": "last", "latest": "last"}
_QUANTITY_WORDS = frozenset("worth cost value amount total sum figure number".split())
_RELATIVE = frozenset("that who which whose whom when while where before after since because".split())


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
        if w[0] == "what" and w[1] in AUX and "worth" in words:
            return "count", 2  # "what was … worth": an amount
        if w[1] in AUX or w[1] in ("kind", "sort") or (w[0] == "what" and _looks_like_verb(w, 1)):
            return "what", 1  # "what is …", "what happened …"
        return "who", 1  # "which afghan president …", "what official …"
    if w[0] in ("who", "whom", "whose"):
        return "who", 1
    if w[0] in ("to", "by", "with", "from", "for") and w[1] == "whom":
        return "who", 2  # "to whom did Gul Hassan present his letter"
    if w[0] in AUX:
        return "yesno", 0
    return "what", 0


# Small words inside names ("Anwar *al*-Anouni", "Khalifa *bin* Zayed").
_NAME_PARTICLES = frozenset("al el bin ibn bint de da van von der".split())
_FRONTED = re.compile(
    r"^(?P<lead>when|after|before|while|once|of)\s+(?P<clause>[^,]{6,}),\s*"
    r"(?P<main>(?:which|who|whom|whose|what|where|how)\b.+)$",
    re.IGNORECASE,
)


def read(question: str, index: Corpus) -> Reading:
    """Read a question: its type, names, key words (stems), dates and focus."""
    text = " ".join(question.replace("\u2019", "'").split()).rstrip("?!. ")
    text = re.sub(r"^(what|who|where|when)'s\b", r"\1 is", text, flags=re.IGNORECASE) if "'s" in text[:7] else text
    if "(" in text:  # "who proposed recognising the Taliban (not who decided)"
        text = " ".join(re.sub(r"\([^()]*\)", " ", text).split()).rstrip("?!. ")
    # "… - wasn't it China?", "… - not a 'comprehensive partner'?": the asker's guess, not the question
    tag = (
        re.search(
            r"\s*(?:[-–—,]\s*)(?:wasn't|isn't|wasnt|isnt|didn't|didnt|not|or was it|was it)\b[^?]*$",
            text,
            re.IGNORECASE,
        )
        if "-" in text or "," in text or "—" in text
        else None
    )
    if tag and tag.start() > 10:
        text = text[: tag.start()].rstrip(" ,-–—")
    claim = text.casefold().startswith(("is it true that ", "is it true ", "true or false: ", "true or false, "))
    if claim:  # "is it true that a Russian court suspended the ban": yes or no, on what follows
        text = text.split(" ", 3)[3] if text.casefold().startswith("is it true that ") else text.split(" ", 3)[-1]
    # "When Zhao Sheng presented his credentials in Kabul, which Taliban official received them?":
    # the question is the main clause; the fronted clause is read after it, as its context.
    fronted = _FRONTED.match(text)
    if fronted:
        text = f"{fronted['main']} {fronted['lead']} {fronted['clause']}"
    # "The ban was suspended in spring 2025. On what exact date?": the question is the last
    # sentence; what comes before it is read after it, as its context.
    sentences = _sentences(text) if ("." in text or "?" in text) and len(text) > 20 else [text]
    if len(sentences) > 1 and _QUESTION_START.match(sentences[-1]) and not _QUESTION_START.match(sentences[0]):
        last = sentences[-1].rstrip("?!. ")
        context = " ".join(x.rstrip("?!. ") for x in sentences[:-1])
        embedded = (
            re.search(rf"\b{re.escape(last.casefold())}\b", context.casefold())
            if last.casefold() in ("who", "when", "where", "what", "which")
            else None
        )
        # "… the embassy told RIA Novosti *who had been appointed ambassador*. Who?": the embedded question
        text = context[embedded.start() :] + " " + context[: embedded.start()] if embedded else f"{last} {context}"
    elif (
        len(sentences) > 1
        and _QUESTION_START.match(sentences[0])
        and not any(_QUESTION_START.match(x) for x in sentences[1:])
    ):
        # "Who did Rudenko get the copies from? The article calls him Ghul Haseen.": the question,
        # not a remark about its answer ("him")
        text = sentences[0].rstrip("?!. ")
    # "On the Russian side, who received …": the question starts after the comma.
    lead_in = _LEAD_IN.match(text) if "," in text or ":" in text else None
    if lead_in:
        text = text[lead_in.end() :]
    # "who is Gul Hassan and what is his background": the first question is the one answered.
    compound = _COMPOUND.match(text) if " and " in text.casefold() else None
    if compound:
        text = compound.group(1)
    # "…: China or Russia?", "… - Putin or Rudenko?": a choice, read apart.
    choice = _CHOICE.search(text) if " or " in text.casefold() else None
    option_texts: list[str] = []
    if choice:
        option_texts = [choice.group("a"), choice.group("b")]
        text = text[: choice.start()].rstrip(" ,:;-–—")
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
    kind, lead = _question_type(words)
    if claim:
        kind, lead = "yesno", 0
    if lead == 0 and kind == "when" and words[-1] == "date":
        words, raw_of = words[:-1], raw_of[:-1]  # "kazakstan delist taleban date": the asking, typed last

    corrections: dict[str, str] = {}
    for i, w in enumerate(words):
        if i < lead or w in AUX:
            continue
        fixed = index.correct(w)
        if fixed:
            corrections[w] = fixed
            words[i] = fixed

    def allowed(start: int, end: int, name: tuple[str, ...]) -> bool:
        # Short names that are also words ("us", "it") count only in capitals or after "the".
        if len(name) == 1 and name[0] in STOPWORDS:
            typed = raw_words[raw_of[start]].strip("?,.;:")
            return typed.replace(".", "").isupper() or (start > 0 and words[start - 1] == "the")
        return True

    mentions = index.names.find(words, allowed)
    units: list[Unit] = []
    unknown: list[str] = []
    in_name = set()
    for m in mentions:
        in_name.update(range(m.start, m.end))
        surface = " ".join(words[m.start : m.end])
        if any(u.ref == m.ref for u in units):
            # A second name of the same ref ("the Taliban … Kabul") counts as its words.
            for i in range(m.start, m.end):
                if words[i] not in STOPWORDS:
                    units.append(Unit(words[i], i, {words[i]: 1.0}))
            continue
        units.append(Unit(surface, m.start, {}, ref=m.ref, surface=surface))
    # Country codes typed in capitals ("RUS", "AFG"; "us" and "in" stay words),
    # countries the facts never mention ("France"), and demonyms of them.
    for i, w in enumerate(words):
        if i in in_name or i < lead:
            continue
        typed = raw_words[raw_of[i]].strip("?!,.;:'\"()")
        if len(typed) in (2, 3) and typed.isupper() and typed.isalpha():
            code = countries.resolve(typed)
        else:
            # "India's" is one word, "indias": the country is the word less its possessive s
            bare = w[:-1] if typed.endswith(("'s", "’s")) and w.endswith("s") else w
            code = DEMONYMS.get(bare) or (countries.resolve(bare) if len(bare) > 3 and bare not in STOPWORDS else None)
        if not code:
            continue
        in_name.add(i)
        ref = index.country_ref(code)
        if ref is None:
            unknown.append(countries.display_name(code))
            units.append(Unit(w, i, {}, ref=-1, surface=w))
        elif not any(u.ref == ref for u in units):
            units.append(Unit(w, i, {}, ref=ref, surface=w))

    # A name no fact knows ("When did *Kirgizia* remove …"): a capitalised word, not the
    # question's first, that is no word of the facts, of a name or of the language tables.
    # Answering without it would answer about someone else.
    named_at = {i for m in mentions for i in range(m.start, m.end)}
    for i, w in enumerate(words):
        if i in in_name or i < max(lead, 1) or not w.isalpha():
            continue
        near = [j for j in (i - 1, i + 1) if 0 <= j < len(words)]
        near += [j + (j - i) for j in near if words[j] in _NAME_PARTICLES and 0 <= j + (j - i) < len(words)]

        def known_name_word(j: int) -> bool:
            typed_j = raw_words[raw_of[j]].strip("?!,.;:'\"()")
            capital = any(part[:1].isupper() for part in typed_j.split("-"))  # "al-Anouni"
            return j in named_at or (capital and index.knows(words[j]))

        if any(known_name_word(j) for j in near):
            continue  # part of a name the facts know ("Jon Kirbey": John Kirby; "Anwar al-Anouni")
        typed = raw_words[raw_of[i]].strip("?!,.;:'\"()")
        if typed[:1].isupper() and not index.knows(w) and w not in corrections.values():
            in_name.add(i)
            unknown.append(typed.removesuffix("'s").removesuffix("’s"))
            units.append(Unit(w, i, {}, ref=-1, surface=w))

    # Phrasal verbs ("took … off" = removed) and the words themselves.
    particle_of: dict[int, str] = {}
    particles: dict[int, str] = {}  # the particle's position → the verb the pair means
    for i, w in enumerate(words):
        base = IRREGULAR.get(w, w)
        for (verb, particle), meaning in PHRASAL.items():
            if stem(base) == stem(verb):
                for j in range(i + 1, min(i + 8, len(words))):  # "put the ban on the Taliban on hold"
                    if words[j] == particle:
                        particle_of[i] = meaning
                        particles[j] = meaning
                        break
    for i, w in enumerate(words):
        if i < lead or i in in_name or i in particles or w in STOPWORDS or w in QUESTION_WORDS or w in _EVENT_WORDS:
            continue
        if kind == "count" and w in _QUANTITY_WORDS:
            continue  # "how much was … worth": the asking, not the topic
        if not any(c.isalnum() for c in w):
            continue
        s = stem(particle_of.get(i, w))
        variants = {s: 1.0}
        if s.endswith("ll") and len(s) >= 6:
            variants[s[:-1]] = 1.0  # British "labelled" is "label" ("labell" by the stemmer)
        elif len(s) >= 5 and s.endswith("el"):
            variants[s + "l"] = 1.0  # and "label" is the stemmer's "labell" of "labelled"
        for other in THESAURUS.get(s, ()):
            variants.setdefault(other, SYNONYM_WEIGHT)
        if i in particle_of:
            variants.setdefault(stem(IRREGULAR.get(w, w)), 0.6)
        if any(u.ref is None and s in u.variants and u.variants[s] == 1.0 for u in units):
            continue
        original = next((k for k, v in corrections.items() if v == w), "")
        units.append(Unit(w, i, variants, quality=FUZZY_WEIGHT if original else 1.0, corrected_from=original))
    # Soft dates (a bare year such as "the 2022 deal") stay words too: "resolution 1988".
    units.sort(key=lambda u: u.position)

    # "russia's top court": a possessor, not the subject the verb follows
    possessive = frozenset(i for i in range(len(words)) if raw_words[raw_of[i]].rstrip("?!.,;:").endswith("'s"))
    focus, role, role_refs, object_question = _focus(words, lead, kind, units, in_name, possessive)
    # A phrasal verb's meaning is the verb ("given back" is returned, not given).
    for i, meaning in (*particle_of.items(), *particles.items()):
        focus = [stem(meaning) if f == stem(words[i]) else f for f in focus]
    # "who had been appointed ambassador …": a passive asks for the one it was done to
    passive = (
        kind == "who" and lead < len(words) and words[0] == "who" and _PASSIVE.match(" ".join(words[:5])) is not None
    )
    if passive:
        m = _PASSIVE.match(" ".join(words[:5]))
        focus, object_question = [stem(IRREGULAR.get(m.group(1), m.group(1)))], True  # type: ignore[union-attr]
    location = kind == "where" and bool(words) and words[0] in ("where", "in", "at")
    after_wh = words[lead] if lead < len(words) else ""
    asks_subject = (
        not passive
        and kind in ("who", "where", "list")
        and not location
        and after_wh not in ("did", "does", "do")
        and not (kind == "who" and role and (after_wh in AUX or not focus))
    )
    order = ""
    for w in words:
        if w in ORDER_WORDS and kind in ("when", "who"):
            order = ORDER_WORDS[w]
    excluding: list[str] = []
    if "without" in words:
        k = words.index("without")
        excluding = [stem(w) for w in words[k + 1 : k + 3] if w not in STOPWORDS][:1]
        units = [u for u in units if u.position < k]
    unit_of_count = ""
    if kind == "count" and lead < len(words) and words[1] == "many":
        nxt = [w for w in words[lead:] if w not in STOPWORDS and not (DEMONYMS.get(w)) and w not in _COUNT_ADJECTIVES]
        unit_of_count = stem(nxt[0]) if nxt else ""
    elif (
        kind == "count"
        and words[1:2] == ["much"]
        and lead < len(words)
        and words[lead] not in AUX
        and words[lead] not in STOPWORDS
        and lead not in in_name
    ):
        unit_of_count = stem(words[lead])  # "how much wheat": a number of something of wheat

    names = [index.display(u.ref) for u in units if u.ref is not None and u.ref >= 0]
    subject = None
    aux = next((i for i in range(lead, min(lead + 2, len(words))) if words[i] in AUX), None)
    if aux is not None and not (kind in ("who", "where", "list") and words[aux] in ("is", "was", "are", "were")):
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
    describe = None
    if kind == "what" and words[1:2] in (["is"], ["was"]) and words[-1:] and words[-1] in _DESCRIBING:
        named = [u for u in units if u.ref is not None and u.ref >= 0]
        if len(named) == 1:
            kind, describe = "who", named[0].ref  # "what is Andrey Rudenko's position"
    if kind == "who" and lead < len(words) and words[lead] in ("is", "was", "are", "were"):
        rest = [i for i in range(lead + 1, len(words)) if words[i] not in STOPWORDS]
        named = [u for u in units if u.ref is not None and u.ref >= 0]
        if rest and named and all(i in in_name for i in rest):
            describe = named[0].ref
    relation = None
    if kind == "yesno":
        for k in range(lead + 3, len(words) - 1):
            if words[k] in ("after", "before") and "or" not in (words[k - 1], words[k + 1]):
                main = words[:k]
                how = words[k]
                if main[-2:] == ["the", "day"]:
                    main, how = main[:-2], f"day {how}"
                relation = (how, " ".join(main), "did " + " ".join(words[k + 1 :]))
                break
    if kind == "yesno" and relation is None and "already" in words and "when" in words[lead + 2 :]:
        # "had the withdrawal already been completed when the Taliban took Kabul": A before B.
        k = words.index("when", lead + 2)
        relation = ("before", " ".join(w for w in words[:k] if w != "already"), "did " + " ".join(words[k + 1 :]))
    if kind == "yesno" and relation is None:
        for k in range(lead + 2, len(words) - 3):
            if words[k : k + 3] in (["before", "or", "after"], ["after", "or", "before"]):
                relation = ("which", " ".join(words[:k]), "did " + " ".join(words[k + 3 :]))
                break
    options = tuple(r for r in (_option_ref(t, index) for t in option_texts) if r is not None)
    if option_texts and len(options) != len(option_texts):
        options = (-1,)  # an option the facts do not name: nothing can be chosen
    existential = "any" in words[lead : lead + 4] or "anyone" in words or "anybody" in words
    excluded = tuple(
        u.ref
        for u in units
        if u.ref is not None
        and u.ref >= 0
        and (
            words[u.position - 1 : u.position] in (["besides"], ["except"], ["excluding"])
            or _after_other_than(words, u)
        )
    )
    wants_time = kind == "when" and "time" in words[: lead + 1]
    wants_day = bool({"day", "date"} & set(words[: lead + 1])) or "exactly" in words[:3] or "exact" in words
    wants_city = any(w in ("city", "town", "capital") for w in words[: lead + 2])
    noun = role[-1] if role and lead and words[lead - 1] in ("what", "which") and kind == "who" else ""
    interval = _interval(" ".join(words)) if kind == "count" and {"after", "before", "between"} & set(words) else None
    refusal = next(
        (i for i in range(lead, len(words) - 2) if stem(words[i]) in _REFUSING and words[i + 1] == "to"), None
    )
    if refusal is not None and kind == "yesno":  # "did Pakistan refuse to upgrade …": did it not upgrade
        focus = [stem(words[refusal + 2])]
        units = [u for u in units if u.position != refusal]
    negators = [
        i
        for i in range(lead, len(words))
        if words[i] in ("not", "never") or (words[i].endswith("nt") and words[i][:-2] in AUX)
    ]
    verb_at = next((i for i in range(lead, len(words)) if focus and stem(words[i]) == focus[0]), len(words))
    # "who said Washington would *never* accept …": the negation is the reported clause's, not the question's
    negated = refusal is not None or (bool(negators) and negators[0] <= verb_at + 1 and "without" not in words)
    future = "will" in words[:3] or "going" in words[1:4] and "to" in words[2:5] or "next" in words[:4]
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
        focus=focus,
        role=role,
        role_refs=role_refs,
        object_question=object_question,
        order=order,
        excluding=excluding,
        unit_of_count=unit_of_count,
        subject=subject,
        location=location,
        asks_subject=asks_subject,
        relation=relation,
        describe=describe,
        options=options,
        existential=existential,
        excluded=excluded,
        wants_day=wants_day,
        wants_time=wants_time,
        wants_city=wants_city,
        noun=noun,
        future=future,
        negated=negated,
        passive=passive,
        object_prep=(
            words[0] if len(words) > 1 and words[1] == "whom" and words[0] in ("to", "from", "with", "by") else ""
        )
        or (
            words[-1] if kind == "who" and words and words[-1] in ("to", "from", "with") else ""
        ),  # "who did he get them from"
        interval=interval,
        claim=claim,
        idf=idf,
        avg_len=avg_len,
        query=_as_query(units, idf, dates, index),
    )


_LEAD_IN = _Lazy(
    r"^(?!(?:who|whom|when|where|which|what|how|did|does|do|was|were|is|are|has|have)\b)(?![^,?:]*\b(?:what|which|who|when|where|how)\b)(?:[^,?]{2,60},\s*){0,2}[^,?]{3,60}[,:]\s*(?=(?:who|whom|when|where|which|what|how|did|does|do|was|were|is|are|has|have)\b)",
    re.IGNORECASE,
)
_PASSIVE = _Lazy(r"^who\s+(?:was|were|is|are|has\s+been|have\s+been|had\s+been|got)\s+(\w+(?:ed|en))\b")
_QUESTION_START = _Lazy(
    r"^(?:and\s+)?(?:who|whom|whose|when|where|which|what|how|did|does|do|was|were|is|are|has|have|on what|in what|at what|to whom)\b",
    re.IGNORECASE,
)
_COMPOUND = _Lazy(r"^((?:who|what)\s+(?:is|was)\s+.+?)\s+and\s+(?:what|where|when|how|who|why)\b.*$", re.IGNORECASE)
_CHOICE = _Lazy(r"(?:[:,;]|\s[-–—])\s*(?P<a>[^,:;?]{2,40}?)\s+or\s+(?P<b>[^,:;?]{2,40}?)\s*$", re.IGNORECASE)


# "what happened …": asking for an event, not a word a fact must hold.
_EVENT_WORDS = frozenset("happen happens happened happening occur occurs occurred".split())
_COUNT_ADJECTIVES = frozenset("foreign new other different separate major official diplomatic more".split())
_REFUSING = frozenset(stem(w) for w in "refuse decline fail".split())
_DESCRIBING = frozenset("position job role title post office background".split())
_UNITS_OF_TIME = r"(?P<unit>days|weeks|months|years)"
_INTERVAL_AFTER = _Lazy(
    r"^(?:about\s+|roughly\s+)?how\s+many\s+"
    + _UNITS_OF_TIME
    + r"\s+(?P<how>after|before)\s+(?P<a>.+?)\s+(?:did|was|were)\s+(?P<b>.+)$"
)
_INTERVAL_BETWEEN = _Lazy(
    r"^(?:about\s+|roughly\s+)?how\s+many\s+"
    + _UNITS_OF_TIME
    + r"\s+(?:(?:passed|elapsed|went\s+by|were\s+there)\s+)?between\s+(?P<a>.+?)\s+and\s+(?P<b>.+)$"
)


def _interval(text: str) -> tuple[str, str, str, str] | None:
    """ "how many days after Kabul fell did the last plane leave": (days, after, A, B)."""
    m = _INTERVAL_AFTER.match(text)
    if m:
        return m.group("unit"), m.group("how"), m.group("a"), m.group("b")
    m = _INTERVAL_BETWEEN.match(text)
    if m:
        return m.group("unit"), "between", m.group("a"), m.group("b")
    return None


def _sentences(text: str) -> list[str]:
    """A question's sentences: split after . ? ! and a space, not after "U.S." or "St."."""
    out: list[str] = []
    start = 0
    for m in re.finditer(r"[.?!]\s+", text):
        word = text[start : m.start() + 1].split()[-1] if text[start : m.start() + 1].split() else ""
        if m.group(0)[0] == "." and (len(word) <= 4 or "." in word[:-1]):
            continue  # an abbreviation
        out.append(text[start : m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [x for x in out if x]


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


# Words that may come before a named subject: "did *the new* Afghan ambassador Gul Hassan arrive".
_SUBJECT_LEAD = frozenset("the a an new former current then acting outgoing incoming".split())


def _after_subject(
    words: list[str], units: list[Unit], aux: int, content: list[int], possessive: frozenset[int]
) -> list[int]:
    """The content words after the named subject of "did/has SUBJECT VERB …", where the verb is.

    The subject is a name one or two words after the auxiliary (not a possessor: "did
    *Russia's* top court …" names no subject), running through titles to a later name ("did
    *Chinese ambassador Zhao Sheng* present …"); after it, possessives and the nouns they
    own are skipped ("did the Afghan *women's coalition* condemn …")."""
    named = next(
        (
            u
            for u in units
            if u.ref is not None
            and aux + 1 <= u.position <= aux + 4
            and u.position not in possessive
            and all(words[i] in _SUBJECT_LEAD or words[i] in TITLE_WORDS for i in range(aux + 1, u.position))
        ),
        None,
    )
    if named is None:
        return []
    while True:
        further = next(
            (u for u in units if u.ref is not None and named.position < u.position <= named.position + 3), None
        )
        between = range(named.position + len(named.surface.split()), further.position) if further else range(0)
        if further is None or not all(words[i] in TITLE_WORDS for i in between):
            break  # "did Putin *say* the Taliban …", "did China *welcome* Russia's …": the subject ended
        named = further
    last = named.position + len(named.surface.split()) - 1
    return [i for i in content if i > last and i not in possessive and i - 1 not in possessive]


# Words in -ly that are not adverbs of manner (nouns, verbs, names people type lower-case).
_NOT_ADVERBS = frozenset(
    "italy july family assembly supply reply apply rally ally anomaly monopoly fly rely multiply".split()
)


def _adverb(word: str) -> bool:
    """ "formally", "officially", "possibly": an adverb, never the verb a question turns on."""
    return len(word) > 5 and word.endswith("ly") and word not in _NOT_ADVERBS


def _focus(
    words: list[str],
    lead: int,
    kind: str,
    units: list[Unit],
    in_name: set[int],
    possessive: frozenset[int] = frozenset(),
) -> tuple[list[str], list[str], list[int], bool]:
    """The predicate (verb stems), the role asked for, and whether the answer is an object.

    "who decided …" asks for the subject of "decided"; "who did X meet" for its
    object; "who is the Taliban ambassador to Russia" for whoever holds the role
    "ambassador" (with "Taliban" part of the role, not the answer).
    """
    rest = list(range(lead, len(words)))
    content = [
        i
        for i in rest
        if words[i] not in STOPWORDS
        and words[i] not in QUESTION_WORDS
        and i not in in_name
        and not words[i].isdigit()
        and not _adverb(words[i])  # "first to formally recognise": the verb is recognise
    ]
    object_question = False
    role: list[str] = []
    role_refs: list[int] = []
    focus: list[str] = []
    if kind in ("who", "where", "list") and lead < len(words):
        first = words[lead] if lead < len(words) else ""
        if first in ("did", "does", "do") and kind != "list":
            object_question = kind == "who"
            # "who did the Russian ambassador meet in Kabul": the verb is the last
            # word before the first preposition.
            stop = next((i for i in rest[1:] if words[i] in _PREPOSITIONS), len(words))
            verbs = [i for i in content if i < stop]
            # "… did Rudenko receive the credential copies": the word after a named subject.
            after = _after_subject(words, units, lead, content, possessive)
            focus = [stem(words[after[0]])] if after else ([stem(words[verbs[-1]])] if verbs else [])
            return focus, role, role_refs, object_question
        if first in ("is", "was", "are", "were") or kind == "who" and words[lead - 1] in ("which", "what"):
            # "who is the X to Y when …", "which afghan president fled …": X is the
            # role (its head is the last word before a preposition); names in the
            # phrase and its complements ("to Russia", "of the Taliban") belong to it.
            start = lead + (1 if first in AUX else 0)
            while start < len(words) and words[start] in ("the", "a", "an"):
                start += 1
            end = start
            head_end = None
            while end < len(words):
                w = words[end]
                if (
                    w in AUX
                    and end > start
                    or w in _RELATIVE
                    or (end > start and end not in in_name and _looks_like_verb(words, end))
                ):
                    break
                if w in _PREPOSITIONS and end > start:
                    head_end = head_end or end
                    nxt = end + 1
                    while nxt < len(words) and words[nxt] in ("the", "a", "an"):
                        nxt += 1
                    if not (w == "of" or nxt in in_name):
                        break
                end += 1
            head_end = head_end or end
            for i in range(start, head_end):
                if (
                    i not in in_name
                    and words[i] not in STOPWORDS
                    and words[i] not in ORDER_WORDS
                    and not words[i].isdigit()
                    and not words[i].endswith("ly")
                ):
                    role.append(stem(words[i]))
            for u in units:
                if u.ref is not None and u.ref >= 0 and start <= u.position < end:
                    role_refs.append(u.ref)
            # "which flag *did* the Taliban flag replace": the answer is the verb's object.
            object_question = end < len(words) and words[end] in ("did", "does", "do")
            # "which flag did the Taliban flag replace": not the noun asked about, again.
            after = [i for i in content if i >= end and words[i] not in ORDER_WORDS and stem(words[i]) not in role[-1:]]
            verbs = [i for i in after if _looks_like_verb(words, i)]
            focus = [stem(words[(verbs or after)[0]])] if after else []
            return focus, role[-1:], role_refs, object_question
    if kind == "count" and words[lead - 1] == "many" and content:
        content = content[1:]  # "how many countries have recognized …": the unit is not the verb
    if kind in ("who", "where", "list") and lead < len(words) and words[lead] not in AUX:
        # "who accepted copies …", "which countries took …": the verb comes first
        # (after a possessive: "which countries' heads of state accepted …").
        candidates = [i for i in content if words[i] not in ORDER_WORDS and not words[i].endswith("ly")]
        verbs = [i for i in candidates if _looks_like_verb(words, i)]
        chosen = (verbs or candidates)[:1]
        return ([stem(words[chosen[0]])] if chosen else []), role, role_refs, object_question
    # Otherwise the verb is the first content word followed by a function word or
    # a name: "did China *welcome* Russia's …", "did the … ruling *amount* to …".
    # A word that can only be a verb ("raised", "to recognise") comes first:
    # "was China the first country *to recognise* …".
    candidates = [i for i in content if words[i] not in ORDER_WORDS and not words[i].endswith("ly")]
    # "how much of the frozen money *has the US given* back": after an auxiliary and a
    # named subject, the next word is the verb (not "frozen", which qualifies the money).
    for a in range(lead, len(words) - 1):
        if words[a] in ("did", "does", "do", "has", "have", "had") and a >= lead:
            after = _after_subject(words, units, a, candidates, possessive)
            if after:
                return [stem(words[after[0]])], role, role_refs, object_question
            break
    # "did Pakistan recognize the Taliban *when it upgraded* …": the verb of the main clause.
    cut = next((i for i in range(lead + 2, len(words)) if words[i] in _RELATIVE), len(words))
    candidates = [i for i in candidates if i < cut] or candidates
    sure = [i for i in candidates if _looks_like_verb(words, i)]
    verbs = [i for i in candidates if i + 1 >= len(words) or words[i + 1] in STOPWORDS or (i + 1) in in_name]
    chosen = (sure or verbs or candidates)[:1]
    focus = [stem(words[chosen[0]])] if chosen else []
    return focus, role, role_refs, object_question


_BASE_VERBS = frozenset(IRREGULAR_VERBS.values())


def _looks_like_verb(words: list[str], i: int) -> bool:
    """A past form ("raised", "took"), a common irregular verb ("come", "take"),
    or an infinitive ("to accept")."""
    if i >= len(words):
        return False
    w = words[i]
    return (
        (w.endswith("ed") and len(w) > 4)
        or w in IRREGULAR_VERBS
        or w in _BASE_VERBS
        or (i > 0 and words[i - 1] == "to" and w not in STOPWORDS)
    )


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
