"""What post a person holds, from the title the facts put before their name:
"what is Amir Khan Muttaqi's post" is "Foreign Minister" when the facts say "Foreign
Minister Amir Khan Muttaqi" (and "Taliban Foreign Minister Amir Khan Muttaqi"). Pure.

An answer is given only when every title the facts put before the person's name is the
same one, none of them a title the person no longer holds ("former", "acting"), the
question gives no date, and each fact with the title names whatever else the question
names ("in the Taliban government").
"""

from __future__ import annotations

import re

from factcli.ask.corpus import Corpus
from factcli.ask.english import STOPWORDS, TITLE_WORDS, LazyPattern
from factcli.ask.offices import Said
from factcli.ask.question import Reading
from factcli.model import Fact
from factcli.text import normalise

_ASKS = LazyPattern(
    r"^what\s+(?:is|was)\s+(?:the\s+)?(?P<a>.+?)\s+s\s+(?:post|position|title|job|role|office)(?:\s+(?:in|at|with|for)\s+.+)?$"
    r"|^what\s+(?:post|position|title|job|role|office)\s+(?:does|did)\s+(?P<b>.+?)\s+(?:hold|have|occupy)(?:\s+(?:in|at|with|for)\s+.+)?$"
)
# Words of a title that are no post: honorifics ("Mawlawi"), and words that say the post
# is not held now or not for good.
_HONORIFICS = frozenset("mawlawi mullah".split())
_NOT_NOW = frozenset("former acting interim outgoing late then ex".split())
# Words that may not end a title: modifiers, not the post itself ("Deputy Foreign *Minister*").
_MODIFIERS = frozenset("foreign deputy prime vice chief senior new general special".split()) | _NOT_NOW


# Verbs a title may follow ("Zhirnov *met* Taliban Foreign Minister …").
_VERBS_BEFORE = frozenset("met meets meeting said says told called welcomed thanked received visited".split())


_POST_WORDS = ("post", "position", "title", "job", "role", "office")


def asks_post(question: str) -> bool:
    low = question.casefold()
    return any(w in low for w in _POST_WORDS) and _ASKS.match(_text(question)) is not None


def _text(question: str) -> str:
    text = normalise(question.replace("\u2019", "'").replace("'", " ").rstrip("?!. "))
    return re.sub(r"^whats\b", "what is", " ".join(text.split()))


def answer(index: Corpus, reading: Reading, question: str) -> Said | None:
    """The post the facts give the one person the question names, or None when the
    question does not ask for a person's post."""
    if not asks_post(question):
        return None
    refs = {u.ref for u in reading.units if u.ref is not None and u.ref >= 0}
    people = [r for r in refs if index.refs[r].kind == "person"]
    if len(people) != 1:
        return None
    person = people[0]
    others = refs - {person}
    if reading.dates:
        return None  # a post at a time: the facts' titles are for when they say (read as any question)
    titles: dict[str, str] = {}  # folded title → as the fact writes it
    held_by: set[int] = set()  # the refs named just before a title ("*Taliban* Foreign Minister")
    facts: list[Fact] = []
    for doc in index.docs:
        field = doc.fields.get("what")
        if field is None or not field.mentions:
            continue
        spans = [_title_before(field, m.start, m.end) for m in field.mentions if m.ref == person]
        spans = [t for t in spans if t]
        if not spans:
            continue
        before = [_named_at(field, start) for _, _, start in spans]
        if any(b is None and not _edge(field, start) for b, (_, _, start) in zip(before, spans)):
            return None  # "Foreign Ministry spokesman Zia Ahmad Takal": the title starts before its title words
        if any(b is not None and index.refs[b].kind == "organisation" for b in before):
            return None  # "Foreign Ministry spokesman": the organisation is part of the title
        found = [(words, shown, b) for b, (words, shown, _) in zip(before, spans)]
        if others and not all(before in others | {None} for _, _, before in found):
            continue  # the title is of something the question does not name
        for words, shown, before in found:
            if before in others:
                held_by.add(before)
            if any(w in _NOT_NOW for w in words):
                return Said(None, [doc.fact], f"{doc.fact.id} gives {shown} as a post not held now")
            titles[" ".join(words)] = shown
        facts.append(doc.fact)
    if not titles:
        return None  # no fact puts a title before the name: read as any question
    if others - held_by:  # "in the Russian government": no fact's title is of what the question names
        return Said(None, facts[:3], "no fact gives the title as one of what the question names")
    if len(titles) > 1:
        return Said(None, facts[:3], f"the facts give {len(titles)} titles: {', '.join(sorted(titles.values()))}")
    (shown,) = titles.values()
    latest = max((f.when.end for f in facts if f.when), default="")
    past = re.search(r"\b(?:was|did)\b", _text(question)) is not None  # "what was X's post": then, not now
    if latest and not past and latest < _years_ago(STALE_YEARS):
        # "what is Ashraf Ghani's post": "President" in facts of 2021 says nothing of now
        return Said(None, facts[:3], f"the facts give the title {shown} last in {latest[:4]}; of now they say nothing")
    return Said(shown, facts, "the title the facts put before the name")


STALE_YEARS = 3  # a title only older facts give is not read as held now (the curated facts: 2021 is, 2024 is not)


def _years_ago(years: int) -> str:
    from factcli.dates import today

    now = today()
    return now.replace(year=now.year - years, day=min(now.day, 28)).isoformat()


def _edge(field, start: int) -> bool:
    """Nothing of the title stands before ``start``: the field starts there, or a comma
    or a word that is no noun ("and", "by", "met") comes before it."""
    if start == 0 or (start - 1) in field.breaks:
        return True
    word = field.words[start - 1]
    return word in STOPWORDS or word in _VERBS_BEFORE


def _named_at(field, end: int) -> int | None:
    """The ref a fact names just before a title ("*Taliban* Foreign Minister",
    "*Russia's* ambassador"), if any."""
    return next((m.ref for m in field.mentions if m.end == end), None)


def _title_before(field, start: int, stop: int) -> tuple[tuple[str, ...], str, int] | None:
    """The title words just before a name ("foreign minister"), the title as the fact
    writes it, and where it starts; None when no title stands there. A name the facts
    know with its title ("President Xi") has its title read as one before it."""
    j = start
    while j < stop - 1 and field.words[j] in TITLE_WORDS and field.words[j] not in _HONORIFICS:
        j += 1
    while j > 0 and field.words[j - 1] in _HONORIFICS:
        j -= 1
    end = j
    while j > 0 and field.words[j - 1] in TITLE_WORDS and field.words[j - 1] not in _HONORIFICS:
        if (j - 1) in field.breaks:  # "Zhirnov, ambassador": a comma after the word ends the title
            break
        j -= 1
    words = tuple(field.words[j:end])
    if not words or words[-1] in _MODIFIERS:
        return None
    if (end - 1) in field.breaks:
        return None
    raw = sorted({field.raw_of[k] for k in range(j, end)})
    shown = " ".join(field.raw[k].strip(",.;:()\"'") for k in raw)
    if normalise(shown.replace("-", " ")).split() != list(words):
        return None  # the title shares a written word with something else ("Taliban-run")
    return words, shown, j
