"""Finding the question in what was typed: a guess tagged on, "is it true that …",
a fronted clause, a sentence of context, a lead-in, a second question, a choice of
two. Pure: text in, text out.

:func:`rephrase` gives the question to read (its main clause first, the context
after it), whether it was a claim to check, and the options of a choice.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from factcli.ask.english import LazyPattern


class Rephrased(NamedTuple):
    """The question to read, and what was taken off it."""

    text: str
    claim: bool  # "is it true that …": a yes or no on what follows
    options: list[str]  # "…: China or Russia?": the two texts offered
    according_to: str = ""  # "According to Orda.kz, when …": whose account is asked for


_CLAIM_STARTS = ("is it true that ", "is it true ", "true or false: ", "true or false, ")
_FRONTED = LazyPattern(
    r"^(?P<lead>when|after|before|while|once|of)\s+(?P<clause>[^,]{6,}),\s*"
    r"(?P<main>(?:which|who|whom|whose|what|where|how)\b.+)$",
    re.IGNORECASE,
)
_GUESS = LazyPattern(
    r"\s*(?:[-–—,]\s*)(?:wasn't|isn't|wasnt|isnt|didn't|didnt|not|or was it|was it)\b[^?]*$",
    re.IGNORECASE,
)
_LEAD_IN = LazyPattern(
    r"^(?!(?:who|whom|when|where|which|what|how|did|does|do|was|were|is|are|has|have)\b)(?![^,?:]*\b(?:what|which|who|when|where|how)\b)(?:[^,?]{2,60},\s*){0,2}[^,?]{3,60}[,:]\s*(?=(?:who|whom|when|where|which|what|how|did|does|do|was|were|is|are|has|have)\b)",
    re.IGNORECASE,
)
# "Putin made the call, but who proposed it?": a remark, then the question (read first,
# the remark after it as context).
_REMARK_THEN_QUESTION = LazyPattern(
    r"^(?P<remark>[^?]{6,80}?)(?:,|;|\s[-–—])\s*(?:but|so|yet|then)?\s*"
    r"(?P<main>(?:who|whom|when|where|which|what|how)\b.+)$",
    re.IGNORECASE,
)
# "Javier Milei is president of which country?": the question word at the end, read as
# "which country is Javier Milei president of".
_TRAILING_WHICH = LazyPattern(
    r"^(?P<subject>[^,?]{3,60}?)\s+(?P<verb>is|was|are|were)\s+(?P<rest>[^,?]{2,60}?)\s+"
    r"(?P<prep>of|in|for|from|to)\s+(?P<which>which|what)\s+(?P<noun>[a-z]+)$",
    re.IGNORECASE,
)
# "What did the clocks in Washington say when …": the time of day it was.
_CLOCKS = LazyPattern(
    r"^what\s+(?:did|do|does|would)\s+(?:the\s+)?(?:clocks?|watch|watches)\s+(?P<place>in\s+[\w .'-]+?\s+)?"
    r"(?:say|show|read)\s+(?P<rest>(?:when|as)\s+.+)$",
    re.IGNORECASE,
)
# "Did Russia's recognition of the Taliban fall on a Thursday?": an event that "falls on" a
# day happened on it ("did Kabul fall on a Sunday" is Kabul's fall: a city is no event).
_FALLS_ON = LazyPattern(
    r"^(?P<aux>did|does|do)\s+(?P<subject>.+?)\s+fall\s+(?P<day>on\s+(?:a\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))$",
    re.IGNORECASE,
)
_EVENT_NOUN = LazyPattern(r"(?:tion|sion|ment|ance|ence)$")
# … that name a body, which falls as a city does ("did the government … fall on a Sunday")
_BODY_NOUNS = frozenset("government parliament administration federation nation coalition alliance".split())
_EVENT_NOUNS = frozenset(
    "ceremony hearing visit meeting summit decision ruling election vote signing takeover withdrawal arrival approval removal".split()
)
# "Name the spokesperson who gave …": an order that asks "which spokesperson gave …".
_NAME_THE = LazyPattern(
    r"^(?:please\s+)?(?:name|identify)\s+the\s+(?P<noun>(?:[\w'-]+\s+){0,4}?[\w'-]+)\s+(?:who|that)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
# "What is the name of Russia's ambassador to Afghanistan": a name asked for by the person's
# role reads as "who is Russia's ambassador to Afghanistan" (so the role's direction and
# holder are checked); a name of anything else, or a full name, is left as typed.
_NAME_OF = LazyPattern(
    r"^what\s+(?P<verb>is|was|are|were)\s+the\s+(?:(?:actual|real|correct|proper|official)\s+)?names?\s+of\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_NOUN_PHRASE_ENDS = frozenset(
    """to of for in at from on with who whom that which whose when where during under by as since after
    before about and or""".split()
)
PERSON_NOUNS = frozenset(
    """ambassador envoy minister president spokesman spokeswoman spokesperson leader chief official cleric
    commander diplomat representative secretary deputy premier chancellor consul king queen prince monarch
    emir general chairman chairwoman governor mayor judge prosecutor congressman congresswoman lawmaker
    senator politician activist journalist correspondent analyst expert head man woman person""".split()
)
# "Who was in the news on 4 July 2024 for calling the Taliban allies": who called them.
_IN_THE_NEWS = LazyPattern(
    r"^(?P<wh>who|which\s+[\w'-]+)\s+(?P<aux>was|were|is|are)\s+in\s+the\s+(?:news|headlines)\b\s*"
    r"(?P<when>[^,]*?)\s*\bfor\s+(?P<act>[a-z]+ing\b.*)$",
    re.IGNORECASE,
)
# "Who was recognising the Taliban in 2025": who recognised it (not a role, "recognising").
_PROGRESSIVE = LazyPattern(r"^(?P<wh>who)\s+(?:was|were)\s+(?P<verb>[a-z]{3,}ing)\s+(?P<rest>\S.*)$", re.IGNORECASE)
_NOT_PROGRESSIVE = frozenset("acting being having going doing getting outgoing incoming ruling".split())
_QUESTION_START = LazyPattern(
    r"^(?:and\s+)?(?:who|whom|whose|when|where|which|what|how|did|does|do|was|were|is|are|has|have|on what|in what|at what|to whom)\b",
    re.IGNORECASE,
)
_COMPOUND = LazyPattern(
    r"^((?:who|what)\s+(?:is|was)\s+.+?)\s+and\s+(?:what|where|when|how|who|why)\b.*$", re.IGNORECASE
)
# "Kirby or McCaul: which one spoke for the US government?": the choice, offered first
_CHOICE_FIRST = LazyPattern(
    r"^(?P<a>[^,:;?]{2,40}?)\s+or\s+(?P<b>[^,:;?]{2,40}?)\s*(?:[:,;]|\s[-–—])\s*"
    r"(?P<q>(?:who|which|what|where)\b.*)$",
    re.IGNORECASE,
)
# "Which came first: Kazakhstan delisting the Taliban, or Kyrgyzstan doing so?": two events
# offered, each a phrase of its own (longer than a name, so apart from the choice below)
_EVENT_CHOICE = LazyPattern(
    r"^(?P<q>(?:which|what)(?:\s+(?:event|one|of\s+(?:these|the\s+two|them)))?\s+(?:came|happened|occurred|took\s+place)"
    r"\s+(?:first|earlier|sooner|earliest|last|later|latest)(?:\s+(?:in|during)\s+\d{4})?)"
    r"\s*(?:[:,;]|\s[-–—])\s*(?P<a>.+?),?\s+or\s+(?P<b>.+?)$",
    re.IGNORECASE,
)
_CHOICE = LazyPattern(r"(?:[:,;]|\s[-–—])\s*(?P<a>[^,:;?]{2,40}?)\s+or\s+(?P<b>[^,:;?]{2,40}?)\s*$", re.IGNORECASE)


def rephrase(question: str) -> Rephrased:
    """The question to read in what was typed (see the module's docstring)."""
    text = " ".join(question.replace("\u2019", "'").split()).rstrip("?!. ")
    text = re.sub(r"^(what|who|where|when)'s\b", r"\1 is", text, flags=re.IGNORECASE) if "'s" in text[:7] else text
    # "whats", "whos": typed without the apostrophe
    text = re.sub(r"^(what|who|where)s\b", r"\1 is", text, flags=re.IGNORECASE)
    if "(" in text:  # "who proposed recognising the Taliban (not who decided)"
        text = " ".join(re.sub(r"\([^()]*\)", " ", text).split()).rstrip("?!. ")
    # "… - wasn't it China?", "… - not a 'comprehensive partner'?": the asker's guess, not the question
    guess = _GUESS.search(text) if "-" in text or "," in text or "—" in text else None
    if guess and guess.start() > 10:
        text = text[: guess.start()].rstrip(" ,-–—")
    claim = text.casefold().startswith(_CLAIM_STARTS)
    if claim:  # "is it true that a Russian court suspended the ban": yes or no, on what follows
        text = text.split(" ", 3)[3] if text.casefold().startswith("is it true that ") else text.split(" ", 3)[-1]
    # "When Zhao Sheng presented his credentials in Kabul, which Taliban official received them?":
    # the question is the main clause; the fronted clause is read after it, as its context.
    fronted = _FRONTED.match(text)
    if fronted:
        text = f"{fronted['main']} {fronted['lead']} {fronted['clause']}"
    text = _question_sentence(text)
    low = text.casefold()  # (each pattern below is tried only where its words are: most questions need none)
    falls = _FALLS_ON.match(text) if " fall on " in low else None
    if falls:
        head = falls["subject"].casefold().split(" of ")[0].split()[-1]
        if (_EVENT_NOUN.search(head) and head not in _BODY_NOUNS) or head in _EVENT_NOUNS:
            text = f"{falls['aux']} {falls['subject']} happen {falls['day']}"
    clocks = _CLOCKS.match(text) if "clock" in low or "watch" in low else None
    if clocks:
        # the place's time last ("… in Washington time"): the clause's verb stays the one read
        place = f" {clocks['place'].strip()} time" if clocks["place"] else ""
        text = f"what time was it {clocks['rest']}{place}"
    named = _NAME_THE.match(text) if low.startswith(("name ", "identify ", "please ")) else None
    if named:
        text = f"which {named['noun']} {named['rest']}"
    text = name_of_person(text)
    progressive = _PROGRESSIVE.match(text) if low.startswith(("who was ", "who were ")) else None
    if progressive and progressive["verb"].casefold() not in _NOT_PROGRESSIVE:
        text = f"{progressive['wh']} {progressive['verb'][:-3]}ed {progressive['rest']}"
    news = _IN_THE_NEWS.match(text) if " in the news" in low or " in the headlines" in low else None
    if news and news["act"].split()[0].casefold() not in ("being", "having", "doing", "getting"):
        # the act as a past form ("for calling" → "called": only its stem is read)
        act = re.sub(r"^([a-z]+?)ing\b", r"\1ed", news["act"], flags=re.IGNORECASE)
        text = " ".join(f"{news['wh']} {act} {news['when']}".split())
    according_to = ""
    # "Kirby or McCaul: which one spoke for the US government?": the choice, offered first
    offered = _CHOICE_FIRST.match(text) if " or " in text.casefold() else None
    if offered:
        return Rephrased(offered["q"], claim, [offered["a"], offered["b"]])
    # "On the Russian side, who received …": the question starts after the comma.
    lead_in = _LEAD_IN.match(text) if "," in text or ":" in text else None
    if lead_in:
        # "According to Orda.kz, when did …": whose account is asked stays, read last
        source = re.search(r"\baccording to [^,:]+", lead_in.group(0), re.IGNORECASE)
        according_to = source.group(0) if source else ""
        text = text[lead_in.end() :]
    trailing = None if _QUESTION_START.match(text) else _TRAILING_WHICH.match(text)
    if trailing:
        text = f"{trailing['which']} {trailing['noun']} {trailing['verb']} {trailing['subject']} {trailing['rest']} {trailing['prep']}"
    remark = None if _QUESTION_START.match(text) else _REMARK_THEN_QUESTION.match(text)
    if remark:
        # "not the delisting - when did …": a remark that denies an alternative is dropped
        # (its words would draw the fact it denies); another is read after the question
        denies = remark["remark"].split()[0].casefold() in ("not", "never", "no")
        text = remark["main"] if denies else f"{remark['main']} {remark['remark']}"
    # "who is Gul Hassan and what is his background": the first question is the one answered.
    compound = _COMPOUND.match(text) if " and " in text.casefold() else None
    if compound:
        text = compound.group(1)
    # "…: China or Russia?", "… - Putin or Rudenko?": a choice, read apart.
    events = _EVENT_CHOICE.match(text) if " or " in text.casefold() else None
    if events:
        return Rephrased(events["q"], claim, [events["a"], events["b"]], according_to)
    choice = _CHOICE.search(text) if " or " in text.casefold() else None
    options: list[str] = []
    if choice:
        options = [choice.group("a"), choice.group("b")]
        text = text[: choice.start()].rstrip(" ,:;-–—")
    return Rephrased(text, claim, options, according_to)


# The roles whose holder "what is the name of …" reads as "who is …" for any facts: envoys
# and spokespeople, whose direction checks apply (an office's holder is read by offices,
# with every person noun; a "president" or "minister" over news facts was answered with
# the one titled "the president's representative" or the deputy minister).
_SENT_NOUNS = frozenset(
    "ambassador ambassadors envoy envoys emissary representative spokesman spokeswoman spokesperson".split()
)


def name_of_person(text: str, nouns: frozenset[str] = _SENT_NOUNS) -> str:
    """ "What is the name of the Taliban's envoy to China" read as "who is the Taliban's envoy
    to China": only when the noun phrase named is one of ``nouns`` (its last word before a
    preposition or a relative: "envoy"); any other text is returned as it is."""
    named = _NAME_OF.match(text) if " name" in text.casefold() else None
    if not named:
        return text
    words = named["rest"].split()
    cut = next((i for i, w in enumerate(words) if w.casefold() in _NOUN_PHRASE_ENDS or w.endswith(",")), len(words))
    if not cut:
        return text
    head = words[cut - 1].casefold().removesuffix("'s")
    if head not in nouns and head.removesuffix("s") not in nouns:
        return text
    return f"who {named['verb']} {named['rest']}"


def _question_sentence(text: str) -> str:
    """Of several sentences, the question first and its context after it.

    "The ban was suspended in spring 2025. On what exact date?": the question is the
    last sentence; what comes before it is read after it, as its context."""
    sentences = _sentences(text) if ("." in text or "?" in text) and len(text) > 20 else [text]
    if len(sentences) > 1 and _QUESTION_START.match(sentences[-1]) and not _QUESTION_START.match(sentences[0]):
        last = sentences[-1].rstrip("?!. ")
        context = " ".join(_without_denied_dates(x.rstrip("?!. ")) for x in sentences[:-1])
        embedded = (
            re.search(rf"\b{re.escape(last.casefold())}\b", context.casefold())
            if last.casefold() in ("who", "when", "where", "what", "which")
            else None
        )
        # "… the embassy told RIA Novosti *who had been appointed ambassador*. Who?": the embedded question
        return context[embedded.start() :] + " " + context[: embedded.start()] if embedded else f"{last} {context}"
    if (
        len(sentences) > 1
        and _QUESTION_START.match(sentences[0])
        and not any(_QUESTION_START.match(x) for x in sentences[1:])
    ):
        # "Who did Rudenko get the copies from? The article calls him Ghul Haseen.": the question,
        # not a remark about its answer ("him")
        return sentences[0].rstrip("?!. ")
    return text


_DENIAL = LazyPattern(r"\b(?:not|never|n't|didn't|didnt|wasn't|wasnt|isn't|isnt)\b", re.IGNORECASE)


def _without_denied_dates(sentence: str) -> str:
    """A sentence of context that denies a date ("Putin did not get it on 3 July 2025"),
    without its dates: the date it denies is not one the answer must have."""
    if not _DENIAL.search(sentence):
        return sentence
    from factcli.dates import find_dates

    folded = sentence.casefold()  # what find_dates reads
    if len(folded) != len(sentence):
        return sentence  # (a letter that folds to two: the spans would not be the sentence's)
    for mention in sorted(find_dates(folded), key=lambda m: m.span[0], reverse=True):
        start, end = mention.span
        sentence = sentence[:start] + sentence[end:]
    return " ".join(re.sub(r"\b(?:on|in)\s*$", "", sentence).split())


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
