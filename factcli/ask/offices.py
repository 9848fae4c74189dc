"""Who held an office, and when: questions over facts whose `what` is an office's
title ("President of Croatia", "Prime Minister of Albania"), as a Wikidata
extract of office holders gives them. Pure: no click, no rich, no I/O.

A fact is an *office fact* when its `what` is a short title with no sentence in
it, its `who` a holder and its `when` the term. The title's head (the words
before "of") is the office; the fact's countries say where.

Read questions:

- "who is the president of Croatia", "who was Albania's president in 2019",
  "who is the British prime minister": the holder at that time (today when no
  date is given; :func:`factcli.dates.today`);
- "when did Edi Rama become prime minister of Albania" (the term's start),
  "over what period was X prime minister of Fiji" (the term), "is X still
  president of Brazil" (yes while the term is open; no with the term's end).

An answer is given only when exactly one holder fits (two open terms of one office
— a stale extract — or a year in which the office changed hands give no answer);
an office the facts know for that country but with no holder at that time gives
no answer either, never a holder of another office.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple

from factcli import countries
from factcli.dates import DateSpan, find_dates, today
from factcli.ask.english import DEMONYMS, STOPWORDS, TITLE_WORDS, LazyPattern
from factcli.ask.rephrase import PERSON_NOUNS, name_of_person
from factcli.model import Fact
from factcli.text import normalise

# Short forms of office names that people type.
ABBREVIATIONS = {
    "pm": "prime minister",
    "premier": "premier",
    "potus": "president",
    "chancellor": "chancellor",
    "pontiff": "pope",
    "presidency": "president",
    "premiership": "prime minister",
}
# Words that may stand in a title's head without changing which office it is.
_QUALIFIERS = frozenset("federal".split())
_MAX_TITLE_WORDS = 9
_NOW = r"(?:\s+(?:now|currently|today|at present|right now|these days|at the moment))?"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], dict[str, re.Pattern[str]]]:
    """The question patterns, compiled on first need (only a database with office facts has one)."""
    who_office = re.compile(
        r"^(?:and\s+)?who(?:\s+is|\s+was|\s+s|\s+are|\s+were)\s+(?:currently\s+|now\s+)?(?:the\s+)?(?P<rest>.+?)"
        + _NOW
        + r"$"
    )
    role_of = re.compile(r"^(?P<role>.+?)\s+(?:of|in|for)\s+(?:the\s+)?(?P<place>.+?)$")
    place_s = re.compile(r"^(?P<place>.+?)\s+s\s+(?P<role>.+?)$")
    about_person = {
        "start": re.compile(
            r"^when\s+(?:did|was)\s+(?P<rest>.+?)\s+(?:become|became|made|appointed|elected|sworn in as|take office as|took office as|take over as|took over as|start as|begin as)\s+(?P<office>.+)$"
        ),
        "term": re.compile(
            r"^(?:over\s+)?(?:what|which)\s+(?:period|years|time)\s+(?:was|did)\s+(?P<rest>.+?)\s+(?:serve as\s+|hold office as\s+)?(?P<office>.+\s+(?:of|for)\s+.+)$"
        ),
        "still": re.compile(r"^(?:is|was)\s+(?P<rest>.+?)\s+still\s+(?:the\s+)?(?P<office>.+)$"),
        "howlong": re.compile(r"^how\s+long\s+(?:has|have)\s+(?P<rest>.+?)\s+been\s+(?:the\s+)?(?P<office>.+)$"),
        "took": re.compile(r"^when\s+did\s+(?P<rest>.+?)\s+(?:take|took)\s+office$"),
        "since": re.compile(
            r"^since\s+(?:when|what\s+year|which\s+year)\s+(?:has|have|had)\s+(?P<rest>.+?)\s+(?:been|served as|held the office of)\s+(?:the\s+)?(?P<office>.+)$"
        ),
        # "X has been president of Y since when": the question word last
        "since_last": re.compile(
            r"^(?P<rest>.+?)\s+(?:has|have)\s+been\s+(?:the\s+)?(?P<office>.+?)\s+since\s+(?:when|what\s+year|which\s+year)$"
        ),
        "been_since": re.compile(r"^(?:has|have)\s+(?P<rest>.+?)\s+been\s+(?:the\s+)?(?P<office>.+?)(?:\s+since)?$"),
        "is_office": re.compile(
            r"^is\s+(?P<rest>.+?)\s+(?:the\s+|a\s+)?(?P<office>\S+(?:\s+\S+)?\s+of\s+.+|\S+(?:\s+\S+)?\s+s\s+\S+(?:\s+\S+)?)$"
        ),
        "became_then": re.compile(r"^did\s+(?P<rest>.+?)\s+become\s+(?:the\s+)?(?P<office>.+)$"),
        "ended": re.compile(
            r"^when\s+did\s+(?P<rest>.+?)\s+s\s+(?:time|term|tenure|stint)\s+as\s+(?:the\s+)?(?P<office>.+?)\s+end$"
        ),
        "end": re.compile(
            r"^when\s+did\s+(?P<rest>.+?)\s+(?:stop being|cease to be|leave office as|step down as)\s+(?P<office>.+)$"
        ),
    }
    return who_office, role_of, place_s, about_person


class Office(NamedTuple):
    """One office fact, read: its head words, where, and the term."""

    fact: Fact
    head: tuple[str, ...]  # "prime minister", "federal chancellor" as words
    countries: tuple[str, ...]


class Said(NamedTuple):
    """An answer from the office facts: the line (None: no answer), the facts, why."""

    text: str | None
    facts: list[Fact]
    reason: str


def _words(text: str) -> tuple[str, ...]:
    return tuple(normalise(text.replace("-", " ")).split())


def office_of(fact: Fact) -> Office | None:
    """The office a fact names, when its `what` is a title ("President of Croatia")."""
    what = fact.what.strip()
    if not what or fact.when is None or len(what.split()) > _MAX_TITLE_WORDS or any(c in what for c in ".;:!?,"):
        return None
    words = _words(what)
    head = words[: words.index("of")] if "of" in words else words
    if not head:
        return None
    return Office(fact, head, tuple(fact.country))


def offices(facts: Iterable[Fact]) -> list[Office]:
    return [o for o in map(office_of, facts) if o is not None]


def _role_words(role: str) -> tuple[str, ...]:
    words = _words(role)
    text = " ".join(ABBREVIATIONS.get(w, w) for w in words)
    return tuple(text.split())


def _fits(role: tuple[str, ...], head: tuple[str, ...]) -> int:
    """2 when the role is the head, 1 when it is the head less qualifiers, else 0."""
    if role == head:
        return 2
    return 1 if tuple(w for w in head if w not in _QUALIFIERS) == role else 0


# Capitals that stand for their country in an office question ("the prime minister in
# Tashkent"). Names that are also other places or words ("Tripoli", "Male",
# "Washington", "Georgetown", "San Jose", "Santiago") are left out, and so are capitals
# the government the extract names does not hold (Sanaa, Khartoum).
_CAPITALS = {
    "london": "GBR",
    "kabul": "AFG",
    "luanda": "AGO",
    "tirana": "ALB",
    "abu dhabi": "ARE",
    "buenos aires": "ARG",
    "yerevan": "ARM",
    "canberra": "AUS",
    "vienna": "AUT",
    "baku": "AZE",
    "gitega": "BDI",
    "brussels": "BEL",
    "porto novo": "BEN",
    "ouagadougou": "BFA",
    "dhaka": "BGD",
    "sofia": "BGR",
    "manama": "BHR",
    "nassau": "BHS",
    "sarajevo": "BIH",
    "minsk": "BLR",
    "belmopan": "BLZ",
    "brasilia": "BRA",
    "bridgetown": "BRB",
    "thimphu": "BTN",
    "gaborone": "BWA",
    "bangui": "CAF",
    "ottawa": "CAN",
    "bern": "CHE",
    "beijing": "CHN",
    "yaounde": "CMR",
    "kinshasa": "COD",
    "brazzaville": "COG",
    "bogota": "COL",
    "moroni": "COM",
    "praia": "CPV",
    "havana": "CUB",
    "nicosia": "CYP",
    "prague": "CZE",
    "berlin": "DEU",
    "roseau": "DMA",
    "copenhagen": "DNK",
    "santo domingo": "DOM",
    "algiers": "DZA",
    "quito": "ECU",
    "cairo": "EGY",
    "asmara": "ERI",
    "madrid": "ESP",
    "tallinn": "EST",
    "addis ababa": "ETH",
    "helsinki": "FIN",
    "suva": "FJI",
    "paris": "FRA",
    "palikir": "FSM",
    "libreville": "GAB",
    "tbilisi": "GEO",
    "accra": "GHA",
    "conakry": "GIN",
    "banjul": "GMB",
    "bissau": "GNB",
    "malabo": "GNQ",
    "athens": "GRC",
    "guatemala city": "GTM",
    "tegucigalpa": "HND",
    "zagreb": "HRV",
    "port au prince": "HTI",
    "budapest": "HUN",
    "jakarta": "IDN",
    "new delhi": "IND",
    "dublin": "IRL",
    "tehran": "IRN",
    "baghdad": "IRQ",
    "reykjavik": "ISL",
    "rome": "ITA",
    "amman": "JOR",
    "tokyo": "JPN",
    "astana": "KAZ",
    "nairobi": "KEN",
    "bishkek": "KGZ",
    "phnom penh": "KHM",
    "tarawa": "KIR",
    "seoul": "KOR",
    "kuwait city": "KWT",
    "vientiane": "LAO",
    "beirut": "LBN",
    "monrovia": "LBR",
    "vaduz": "LIE",
    "colombo": "LKA",
    "maseru": "LSO",
    "vilnius": "LTU",
    "riga": "LVA",
    "rabat": "MAR",
    "chisinau": "MDA",
    "antananarivo": "MDG",
    "mexico city": "MEX",
    "majuro": "MHL",
    "skopje": "MKD",
    "bamako": "MLI",
    "valletta": "MLT",
    "naypyidaw": "MMR",
    "podgorica": "MNE",
    "ulaanbaatar": "MNG",
    "ulan bator": "MNG",
    "maputo": "MOZ",
    "nouakchott": "MRT",
    "port louis": "MUS",
    "lilongwe": "MWI",
    "kuala lumpur": "MYS",
    "windhoek": "NAM",
    "niamey": "NER",
    "abuja": "NGA",
    "managua": "NIC",
    "amsterdam": "NLD",
    "oslo": "NOR",
    "kathmandu": "NPL",
    "wellington": "NZL",
    "muscat": "OMN",
    "islamabad": "PAK",
    "lima": "PER",
    "manila": "PHL",
    "ngerulmud": "PLW",
    "port moresby": "PNG",
    "warsaw": "POL",
    "pyongyang": "PRK",
    "lisbon": "PRT",
    "asuncion": "PRY",
    "doha": "QAT",
    "bucharest": "ROU",
    "moscow": "RUS",
    "kigali": "RWA",
    "riyadh": "SAU",
    "dakar": "SEN",
    "honiara": "SLB",
    "freetown": "SLE",
    "san salvador": "SLV",
    "mogadishu": "SOM",
    "belgrade": "SRB",
    "juba": "SSD",
    "paramaribo": "SUR",
    "bratislava": "SVK",
    "ljubljana": "SVN",
    "stockholm": "SWE",
    "mbabane": "SWZ",
    "damascus": "SYR",
    "n djamena": "TCD",
    "ndjamena": "TCD",
    "lome": "TGO",
    "bangkok": "THA",
    "dushanbe": "TJK",
    "ashgabat": "TKM",
    "dili": "TLS",
    "nuku alofa": "TON",
    "port of spain": "TTO",
    "tunis": "TUN",
    "ankara": "TUR",
    "funafuti": "TUV",
    "taipei": "TWN",
    "dodoma": "TZA",
    "kampala": "UGA",
    "kiev": "UKR",
    "kyiv": "UKR",
    "montevideo": "URY",
    "tashkent": "UZB",
    "caracas": "VEN",
    "hanoi": "VNM",
    "port vila": "VUT",
    "apia": "WSM",
    "pristina": "XKX",
    "pretoria": "ZAF",
    "lusaka": "ZMB",
    "harare": "ZWE",
}


def _place(text: str) -> str | None:
    text = text.strip()
    # "cote d ivoire": the apostrophe was taken for a possessive's
    return (
        DEMONYMS.get(text)
        or countries.resolve(text)
        or (countries.resolve(text.replace(" d ", " d'")) if " d " in text else None)
        or _CAPITALS.get(text)
        or _close_country(text)
    )


def _close_country(text: str) -> str | None:
    """ "kazakstan": the one country whose name is spelt closest to it (same first letter)."""
    import difflib

    if len(text) < 5:
        return None
    names = {normalise(n): c.code for c in countries.all_countries() for n in c.names if len(n) >= 5}
    close = [n for n in difflib.get_close_matches(text, list(names), n=3, cutoff=0.85) if n[:1] == text[:1]]
    found = {names[n] for n in close}
    return found.pop() if len(found) == 1 else None


def _asked_office(rest: str) -> tuple[tuple[str, ...], str] | None:
    """(role words, country code) of "president of croatia", "albania s president",
    "british prime minister"."""
    _, _, place_s, _ = _patterns()
    for m in re.finditer(r"\s(?:of|in|for)\s+(?:the\s+)?", rest):  # "head of government of mauritius"
        code = _place(rest[m.end() :])
        if code and m.start():
            return _role_words(rest[: m.start()]), code
    m = place_s.match(rest)
    if m:
        code = _place(m.group("place"))
        if code:
            return _role_words(m.group("role")), code
    first, _, role = rest.partition(" ")
    two = " ".join(rest.split()[:2])
    if two in DEMONYMS and len(rest.split()) > 2:  # "south african president"
        return _role_words(" ".join(rest.split()[2:])), DEMONYMS[two]
    if first in DEMONYMS and role:
        return _role_words(role), DEMONYMS[first]
    return _asked_office_after(rest)  # "philippines president", "uk prime minister"


_FILLERS = frozenset("current currently present sitting incumbent back then".split())
_QUESTION_WORDS = frozenset(
    "who whom whose when where which what how over since long is was are were did does do has have had can could will would".split()
)


def _asked_office_after(rest: str) -> tuple[tuple[str, ...], str] | None:
    """ "croatia prime minister": the country first, then the office."""
    place, _, role = rest.partition(" ")
    code = _place(place) if role else None
    for n in (2, 3):  # "south korea president", "cote d ivoire prime minister"
        if code is None and role:
            words = rest.split(" ", n)
            code = _place(" ".join(words[:n])) if len(words) == n + 1 else None
            role = words[n] if code else role
    return (_role_words(role), code) if code else None


def _strip_dates(text: str) -> tuple[str, list[DateSpan]]:
    """The question without its dates, and the dates as spans."""
    spans = []
    for d in reversed(find_dates(text)):
        if d.month_day or d.readings:
            continue
        spans.append(DateSpan(d.text, d.start, d.end))
        text = (text[: d.span[0]] + text[d.span[1] :]).strip()
    return " ".join(text.split()), spans


# Other titles of the same office, tried when a country has no office by the name asked:
# the head of government is the Taoiseach in Ireland, the Chancellor in Germany.
ROLE_ALTERNATIVES = {
    ("prime", "minister"): (("taoiseach",), ("premier",), ("federal", "chancellor"), ("chancellor",)),
    ("premier",): (("prime", "minister"),),
    ("king",): (("monarch",),),
    ("queen",): (("monarch",),),
    ("monarch",): (("king",), ("queen",)),
    ("head", "of", "state"): (("president",), ("monarch",)),
    ("head", "of", "government"): (("prime", "minister"), ("premier",), ("federal", "chancellor"), ("taoiseach",)),
}


def _matching(known: Sequence[Office], role: tuple[str, ...], code: str) -> list[Office]:
    here = [o for o in known if code in o.countries]
    for wanted in (role, *ROLE_ALTERNATIVES.get(role, ()), *_close_roles(role, here)):
        fits = [(o, _fits(wanted, o.head)) for o in here]
        best = max((f for _, f in fits), default=0)
        if best:
            return [o for o, f in fits if f == best]
    return []


def _close_roles(role: tuple[str, ...], here: Sequence[Office]) -> list[tuple[str, ...]]:
    """A misspelt office ("presidnet"): the one head of the country's offices spelt closest to it."""
    import difflib

    asked = " ".join(role)
    heads = sorted({" ".join(o.head) for o in here})
    close = difflib.get_close_matches(asked, heads, n=2, cutoff=0.85)
    return [tuple(close[0].split())] if len(close) == 1 else []


def _holders(found: list[Office], span: DateSpan) -> list[Office]:
    return [o for o in found if o.fact.when and o.fact.when.start <= span.end and o.fact.when.end >= span.start]


_NOW_WORDS = r"(?:right\s+now|now|currently|presently|today|at\s+present|these\s+days|nowadays|at\s+the\s+moment)"
# "Bhutan's king - who is he": what the question is about, a mark, then the question
_TWO_PARTS = LazyPattern(r"^\s*(?P<topic>[^:;,?–—]+?)\s*(?:[:;,]|\s-+\s|\s*[–—]\s*)\s*(?P<ask>[^:;,?–—]+?)[\s?.!]*$")
_ABOUT_IT = LazyPattern(
    r"^(?:who\s+(?:is|s|was)\s+(?:that|he|she|it|this|this\s+person)|what\s+(?:is|s)\s+(?:his|her)\s+name|who)"
    rf"(?:\s+{_NOW_WORDS})?$"
)
_WHO_IS_ROLE = LazyPattern(rf"^who\s+(?:is|s|was)\s+(?:the\s+)?(?P<role>\S+(?:\s+\S+){{0,2}}?)(?:\s+{_NOW_WORDS})?$")
_HE_OR_SHE = r"\b(?:he|she)\b"


def _as_one_question(question: str) -> str:
    """The question, normalised; typed in two parts, what it is about and then the question
    about it, as one: "Bhutan's king - who is he" is who is the bhutan s king; "Cyprus: who's
    the president at the moment?" who s the president of cyprus; "Mahmoud Abbas - in what
    year did he start as president" in what year did mahmoud abbas start as president."""
    parts = _TWO_PARTS.match(question)
    if parts is None:
        return " ".join(normalise(question).split())
    topic, ask = normalise(parts.group("topic")), _as_who_is(normalise(parts.group("ask")))
    if _ABOUT_IT.match(ask):
        return f"who is the {topic}"
    role = _WHO_IS_ROLE.match(ask)
    if role and _place(topic) and _asked_office(role.group("role")) is None:
        return f"who is the {role.group('role')} of {topic}"
    if not _place(topic) and len(re.findall(_HE_OR_SHE, ask)) == 1:  # a person, then a question about them
        return re.sub(_HE_OR_SHE, topic, ask)
    return " ".join(normalise(question).split())


_GOVERNMENT = r"(?:leads|heads|runs)\s+(?:the\s+)?"
_GOVERNMENT_WORD = r"(?:government|goverment|govt|gov)"  # as typed in a hurry
_AS_ROLE = r"(?:\s+as\s+(?:the\s+)?(?P<role>.+))?$"
# Other ways to ask who holds an office, and to ask when someone took one, as the patterns
# above read them.
_OTHER_FORMS = (
    (r"^(?:name|tell\s+me|give\s+me)\s+(?:the\s+)?(?=\S+(?:\s+\S+)*\s+(?:of|in)\s)", "who is the "),
    (r"^(?:which|what)\s+(?:person|individual)\s+(is|was|s)\b", r"who \1"),
    (r"^who\s+(?:holds|occupies)\s+(?:the\s+)?(?:office|post|position)\s+of\s+(?:the\s+)?", "who is the "),
    (r"^who\s+(?:holds|occupies|has)\s+the\s+(presidency|premiership)\b", r"who is the \1"),
    (rf"^who\s+{_GOVERNMENT}{_GOVERNMENT_WORD}\s+(?:of|in)\s+(?:the\s+)?(?P<place>.+?){_AS_ROLE}", None),
    (rf"^who\s+{_GOVERNMENT}(?P<place>.+?)\s+s\s+{_GOVERNMENT_WORD}{_AS_ROLE}", None),
    # "who's in charge in windhoek as president" (an office named: "in charge" alone is either head)
    (r"^who\s+(?:is|s)\s+in\s+charge\s+(?:of|in)\s+(?:the\s+)?(?P<place>.+?)\s+as\s+(?:the\s+)?(?P<role>.+)$", None),
    (
        r"^(?P<person>(?!(?:when|who|what|which|did|is|was|in)\b).+?)\s+(?:got|get|landed|took|was\s+given)\s+"
        r"the\s+(?P<office>.+?)\s+job\s+in\s+(?:which|what)\s+year$",
        r"when did \g<person> become \g<office>",
    ),
    (
        r"^(?P<person>(?!(?:when|who|what|which|did|is|was|in)\b).+?)\s+(?:became|took\s+over\s+as|took\s+office\s+as"
        r"|was\s+(?:made|elected|appointed|sworn\s+in\s+as))\s+(?:the\s+)?(?P<office>.+?)\s+in\s+(?:which|what)\s+year$",
        r"when did \g<person> become \g<office>",
    ),
)


def _as_who_is(text: str) -> str:
    """ "name the head of government of mauritius", "which person is the king of lesotho",
    "who holds the presidency of seychelles", "who leads greece s government as pm",
    "anwar ibrahim got the malaysian pm job in which year", in the forms the patterns read."""
    for pattern, replacement in _OTHER_FORMS:
        m = re.match(pattern, text)
        if m is None:
            continue
        if replacement is None:  # who leads a government: its head (or the office named after "as")
            return f"who is the {m.group('role') or 'head of government'} of {m.group('place')}"
        return re.sub(pattern, replacement, text, count=1)
    return text


# Offices there is one of in the world: asked without a country ("who is the pope").
_ONE_IN_THE_WORLD = frozenset({("pope",)})


def _one_in_the_world(known: Sequence[Office], rest: str) -> tuple[tuple[str, ...], str] | None:
    role = _role_words(rest)
    codes = {c for o in known if o.head == role for c in o.countries}
    return (role, next(iter(codes))) if role in _ONE_IN_THE_WORLD and len(codes) == 1 else None


def answer(question: str, facts: Sequence[Fact]) -> Said | None:
    """An answer from office facts, or None when the question is not about an office they hold."""
    known = offices(facts)
    if not known:
        return None
    if "(" in question:  # "who is the president of Germany (not the chancellor)"
        question = re.sub(r"\([^()]*\)", " ", question)
    text = _as_one_question(question.replace("’", "'").replace("'", " "))
    text, spans = _strip_dates(text)
    if any(s.start > today().isoformat() for s in spans):
        # "who is the president of ireland in 2030": an open term says who holds it now, not then
        return Said(None, [], f"the facts say who held or holds an office, not who will in {spans[0].text}")
    # words that say "then" or "now" without changing the office: "the current president", "back in 2016"
    text = " ".join(w for w in text.split() if w not in _FILLERS)
    text = re.sub(r"^(?:in\s+)?(?:what|which)\s+year\s+(did|was)\b", r"when \1", text)
    text = re.sub(r"^whos\b", "who is", text)  # typed without its apostrophe
    text = _as_who_is(text)
    if text.split(" ", 1)[0] not in _QUESTION_WORDS:  # "cote d ivoire prime minister?": who holds it
        asked = _asked_office(text)
        if asked and _matching(known, *asked):
            text = f"who is the {text}"
    # "what is the name of the president of France" ("what's …"): who is the president of France
    as_who = name_of_person(re.sub(r"^what(?:s|\s+s)\s+(?=the\s)", "what is ", text), PERSON_NOUNS)
    text = as_who if as_who.startswith("who ") else text
    leads = _LEADS.match(text)
    if leads:  # "which country does Nicolas Maduro lead (as president)"
        said = _country_led(known, leads.group("person"), leads.group("office"), spans)
        if said is not None:
            return said
    office_of_person = _OFFICE_OF_PERSON.match(text)
    if office_of_person:  # "what is Xi Jinping's office", "what position does X hold"
        said = _office_held(known, office_of_person.group("a") or office_of_person.group("b"), spans)
        if said is not None:
            return said
    who_office, _, _, about_person = _patterns()
    said = _succession(known, text, spans)
    if said is not None:
        return said
    m = who_office.match(text)
    if m:
        asked = _asked_office(m.group("rest")) or _one_in_the_world(known, m.group("rest"))
        if asked:
            return _who_holds(known, *asked, spans)
    first = text.split(" ", 1)[0]
    if first not in _QUESTION_WORDS:
        # Typed like a search: "croatia prime minister", "current president of brazil".
        rest = " ".join(w for w in text.split() if w not in ("current", "currently", "now", "today", "the"))
        asked = _asked_office(rest) or _asked_office_after(rest)
        said = _who_holds(known, *asked, spans) if asked else None
        if said is not None:
            return said
    for kind, pattern in about_person.items():
        m = pattern.match(text)
        if m and kind == "took":  # "when did Gabriel Boric take office": the one office the facts give them
            said = _person_only(known, m.group("rest"))
            if said is not None:
                return said
        elif m:
            if kind == "since" and re.match(r"^since\s+(?:when|what\s+year|which\s+year)\s+(?:has|have)\b", text):
                kind = "since_now"  # "since when *has* X been president": a term that still runs
            said = _about_person(known, kind, m.group("rest"), m.group("office"), spans)
            if said is None and kind == "is_office":
                said = _holds_other(known, m.group("rest"), m.group("office"))
            if said is not None:
                return said
    return _is_bare_office(known, text, spans)


def _is_bare_office(known: Sequence[Office], text: str, spans: list[DateSpan]) -> Said | None:
    """ "is boris johnson prime minister": an office named without its country, asked of a
    person the facts give it to: yes while the term runs, no once it ended (the general
    yes/no had said Yes to a term of 2019/2022)."""
    m = re.match(r"^is\s+(?P<rest>.+)$", text)
    if m is None:
        return None
    rest = m.group("rest")
    for head in sorted({" ".join(o.head) for o in known}, key=len, reverse=True):
        hit = re.match(rf"^(?P<person>.+?)\s+(?:still\s+)?(?:the\s+|a\s+)?{re.escape(head)}$", rest)
        if hit:
            return _about_person(known, "is_office", hit.group("person"), head, spans)
    return None


_OFFICE_OF_PERSON = LazyPattern(
    r"^(?:what\s+(?:is|was)\s+(?P<a>.+?)\s+s\s+(?:office|job|position|post|role|title)"
    r"|what\s+(?:office|job|position|post|title)\s+(?:does|did)\s+(?P<b>.+?)\s+(?:hold|have|occupy))$"
)


_LEADS = LazyPattern(
    r"^(?:which|what)\s+(?:country|nation|state)\s+(?:does|did|is)\s+(?P<person>.+?)\s+(?:lead|leading|head|heading|govern|rule|run)(?:\s+as\s+(?:the\s+)?(?P<office>.+))?$"
)


def _country_led(known: Sequence[Office], person: str, office: str | None, spans: list[DateSpan]) -> Said | None:
    """The country of the one office term of that person open at the date asked (of that
    office, when the question names it)."""
    said = _office_held(known, person, spans, _role_words(office) if office else None)
    if said is None or said.text is None:
        return said
    codes = sorted({c for f in said.facts for c in f.country})
    if len(codes) != 1:
        return Said(None, said.facts, "the office is of more than one country")
    return Said(countries.display_name(codes[0]), said.facts, said.reason)


def _office_held(
    known: Sequence[Office], person: str | None, spans: list[DateSpan], role: tuple[str, ...] | None = None
) -> Said | None:
    """ "What is Xi Jinping's office?": the one office term of that person open today
    (or at the date asked); None when the facts hold no office of that name."""
    if person is None:
        return None
    person_words = " " + " ".join(_words(person)) + " "
    found = [o for o in known if _names(o.fact.who, person_words) and (role is None or _fits(role, o.head))]
    if not found:
        return None
    if len(spans) > 1:
        return Said(None, [o.fact for o in found[:3]], "the question gives more than one time")
    day = today().isoformat()
    when = spans[0] if spans else DateSpan(day, day, day)
    held = _holders(found, when)
    titles = sorted({o.fact.what for o in held})
    if len(titles) != 1:
        why = f"the facts give {found[0].fact.who} {len(titles)} offices at {when.text}"
        return Said(None, [o.fact for o in (held or found)[:3]], why)
    return Said(titles[0], [o.fact for o in held], f"the office held at {when.text}")


def _holds_other(known: Sequence[Office], person: str, office: str) -> Said | None:
    """ "Is Gustavo Petro the president of Chile?": no, when the facts give the person
    offices, none of them this one, and they know this office's holders."""
    words = office.split()
    for i in range(len(words)):  # where the name ends and the office begins
        asked = _asked_office(" ".join(words[i:]))
        if asked is not None:
            break
    else:
        return None
    day = today().isoformat()
    now = DateSpan(day, day, day)
    holders = _holders(_matching(known, *asked), now)
    if not holders:
        return None  # no holder of that office known today: the facts do not say it is not them
    person_words = " " + " ".join(_words(" ".join([person, *words[:i]]))) + " "
    theirs = [o for o in _holders(known, now) if _names(o.fact.who, person_words)]
    if not theirs or any(_names(o.fact.who, person_words) for o in holders):
        return None
    asked = _folded_phrase(person_words.split())
    whole = [o for o in theirs if _folded_phrase(_words(o.fact.who)) in asked]
    surname = [o for o in theirs if _folded_phrase(_words(o.fact.who)[-1:]) in asked]
    theirs = whole or surname or theirs  # "kais saied" is Kais Saied, not Alar Karis spelt close to "kais"
    if len({o.fact.who for o in theirs}) > 1:
        return None  # "is milanovic …": Milanović and Milatović, "mohamed …": several people
    asked_words = set(_words(" ".join([person, *words[:i]])))
    if not whole and any(asked_words & set(_words(o.fact.who)) for o in holders):
        return None  # "is salman the king of saudi arabia": King Salman is the holder, not MBS
    titles = "; ".join(sorted({o.fact.what for o in theirs}))
    return Said(
        f"No: {theirs[0].fact.who}: {titles}", [o.fact for o in theirs[:3]], "the facts give them other offices"
    )


_BEFORE = LazyPattern(r"^who\s+(?:was|were|is)\s+(?:the\s+)?(?P<rest>.+?)\s+before\s+(?P<person>[^0-9]+)$")
_BECAME = LazyPattern(
    r"^who\s+(?:became|was\s+elected|was\s+appointed|was\s+named|took\s+office\s+as)\s+(?:the\s+)?(?P<rest>.+)$"
)


def _succession(known: Sequence[Office], text: str, spans: list[DateSpan]) -> Said | None:
    """ "who was Italy's prime minister before Giorgia Meloni" (the holder just before);
    "who became UK prime minister in 2024" (the one whose term starts then)."""
    m = _BEFORE.match(text)
    if m:
        asked = _asked_office(m.group("rest"))
        return _predecessor(known, *asked, m.group("person")) if asked else None
    m = _BECAME.match(text)
    if m and len(spans) == 1:
        asked = _asked_office(m.group("rest"))
        if asked is None:
            return None
        found = _matching(known, *asked)
        if not found:
            return None
        span = spans[0]
        started = [o for o in found if span.start <= o.fact.when.start <= span.end]  # type: ignore[union-attr]
        names = sorted({o.fact.who for o in started})
        office = f"{' '.join(asked[0])} of {countries.display_name(asked[1])}"
        if len(names) != 1:
            why = f"{len(names)} terms of {office} start in {span.text}" + (f": {', '.join(names)}" if names else "")
            return Said(None, [o.fact for o in (started or found)[:3]], why)
        if any(o.fact.when.end <= span.end for o in started):  # type: ignore[union-attr]
            # a term that starts and ends within the time asked: someone else became it then too
            return Said(None, [o.fact for o in started], f"{names[0]}'s term of {office} also ends in {span.text}")
        gap = _gap_before(found, started[0])
        if gap:  # the facts miss a holder before this one, who may have started then too
            return Said(None, [o.fact for o in started], gap)
        return Said(names[0], [o.fact for o in started], f"the {office} whose term starts in {span.text}")
    return None


def _predecessor(known: Sequence[Office], role: tuple[str, ...], code: str, person: str) -> Said | None:
    """The holder of the same office just before ``person``: the latest term to start
    before theirs, and only when no other term starts in the same year as theirs (the
    facts give years: the order within a year is unknown) and none leaves a gap."""
    found = _matching(known, role, code)
    person_words = " " + " ".join(_words(person)) + " "
    theirs = [o for o in found if _names(o.fact.who, person_words)]
    if not found or not theirs:
        return None
    office = f"{' '.join(role)} of {countries.display_name(code)}"
    if len(theirs) > 1:
        return Said(None, [o.fact for o in theirs[:3]], f"the facts give {theirs[0].fact.who} more than one term")
    start = theirs[0].fact.when.start[:4]  # type: ignore[union-attr]
    others = [o for o in found if o.fact.who != theirs[0].fact.who]
    same_year = [o for o in others if o.fact.when.start[:4] == start]  # type: ignore[union-attr]
    if same_year:
        return Said(None, [o.fact for o in same_year[:3]], f"another term of {office} also starts in {start}")
    earlier = [o for o in others if o.fact.when.start[:4] < start]  # type: ignore[union-attr]
    if not earlier:
        return Said(None, [theirs[0].fact], f"the facts name no {office} before {theirs[0].fact.who}")
    latest = max(o.fact.when.start[:4] for o in earlier)  # type: ignore[union-attr]
    before = [o for o in earlier if o.fact.when.start[:4] == latest]  # type: ignore[union-attr]
    names = sorted({o.fact.who for o in before})
    if len(names) > 1:
        return Said(None, [o.fact for o in before[:3]], f"{len(names)} terms of {office} start in {latest}")
    gap = _gap_before(found, theirs[0])
    if gap:
        return Said(None, [before[0].fact, theirs[0].fact], gap)
    return Said(names[0], [before[0].fact, theirs[0].fact], f"the {office} before {theirs[0].fact.who}")


def _gap_before(found: Sequence[Office], term: Office) -> str:
    """Why the facts may miss a holder just before ``term`` ("" when they do not): the
    latest earlier term of the office ends more than a year before it starts."""
    start = term.fact.when.start[:4]  # type: ignore[union-attr]
    earlier = [o for o in found if o.fact.when.start[:4] < start]  # type: ignore[union-attr]
    if not earlier:
        return ""
    last = max(earlier, key=lambda o: o.fact.when.start)  # type: ignore[union-attr]
    end = last.fact.when.end[:4]  # type: ignore[union-attr]
    if end < str(int(start) - 1):
        return f"the facts leave a gap between {last.fact.who} (to {end}) and {term.fact.who} (from {start})"
    return ""


def _who_holds(known: Sequence[Office], role: tuple[str, ...], code: str, spans: list[DateSpan]) -> Said | None:
    found = _matching(known, role, code)
    if not found:
        return None  # the facts know no such office there: not a question for this reader
    if len(spans) > 1:
        return Said(None, [], "the question gives more than one time")
    if spans:
        when = spans[0]
    else:
        day = today().isoformat()
        when = DateSpan(day, day, day)
    holders = _holders(found, when)
    names = sorted({o.fact.who for o in holders})
    office = " ".join(role)
    if not names:
        return Said(
            None,
            [o.fact for o in found[:3]],
            f"no fact names a {office} of {countries.display_name(code)} at {when.text}",
        )
    if len(names) > 1:
        return Said(
            None,
            [o.fact for o in holders[:3]],
            f"{len(names)} facts name a {office} of {countries.display_name(code)} at {when.text}: {', '.join(names)}",
        )
    return Said(names[0], [o.fact for o in holders], f"the {office} of {countries.display_name(code)} at {when.text}")


# "in charge in Ashgabat", "in power in Minsk": whichever leader's office the person holds there.
_IN_CHARGE = LazyPattern(r"^(?:in\s+charge|in\s+power)\s+(?:in|of)\s+(?:the\s+)?(?P<place>.+)$")
# Heads of the offices that lead a country (a head of state or of government).
_LEADER_HEADS = frozenset(
    tuple(h.split())
    for h in (
        "president",
        "prime minister",
        "monarch",
        "king",
        "queen",
        "premier",
        "taoiseach",
        "federal chancellor",
        "chancellor",
        "supreme leader",
        "sultan",
        "emir",
        "emperor",
        "military leader",
    )
)


def _about_person(
    known: Sequence[Office],
    kind: str,
    person: str,
    office: str,
    spans: list[DateSpan] = (),  # type: ignore[assignment]
) -> Said | None:
    words = office.split()
    found: list[Office] = []
    charge = _IN_CHARGE.match(office)
    if charge:  # "in charge in Ashgabat": the one leader's office the facts give that person there
        code = _place(charge.group("place"))
        person_words = " " + " ".join(_words(person)) + " "
        found = [
            o for o in known if code in o.countries and o.head in _LEADER_HEADS and _names(o.fact.who, person_words)
        ]
        if not found:
            return None
        if kind in ("start", "since", "since_last", "since_now", "been_since", "howlong"):
            # "in power since when": power may have begun in an earlier office than the terms
            # the facts hold (Erdogan was prime minister before president)
            return Said(None, [o.fact for o in found], "the facts hold terms of offices, not of being in power")
        words = []
    for i in range(len(words)):  # where the name ends and the office begins
        asked = _asked_office(" ".join(words[i:]))
        if asked is None:
            continue
        person_words = " " + " ".join(_words(" ".join([person, *words[:i]]))) + " "
        found = [o for o in _matching(known, *asked) if _names(o.fact.who, person_words)]
        if found:
            break
    if not found:
        # "when did Zelensky become president": the office without its country, held by that person
        role = _role_words(office)
        person_words = " " + " ".join(_words(person)) + " "
        found = [o for o in known if o.head == role and _names(o.fact.who, person_words)]
    if not found:
        return None
    if len(found) > 1:
        return Said(None, [o.fact for o in found], "the facts give that person more than one term")
    fact = found[0].fact
    span = fact.when
    assert span is not None
    start, _, end = span.text.partition("/")
    if kind in ("since_last", "since_now") and end != "..":  # "has been … since when": the term must still run
        return Said(None, [fact], f"the term ended ({span.text})")
    if kind in ("start", "since", "since_last", "since_now"):
        return Said(start, [fact], "the start of the term")
    if kind == "been_since":  # "has Paul Biya been president of Cameroon since 1982"
        if len(spans) != 1:
            return None
        asked = spans[0]
        if end != "..":
            return Said(f"No: {span.text}", [fact], "the term ended")
        if start[:4] <= asked.start[:4]:
            return Said(f"Yes: {span.text}", [fact], "the term started by then and has no end in the facts")
        return Said(f"No: {span.text}", [fact], "the term started later")
    if kind == "became_then":  # "did Anthony Albanese become Australian PM in 2019"
        if len(spans) != 1:
            return None
        asked = spans[0]
        if asked.start[:4] <= start[:4] <= asked.end[:4]:
            return Said(f"Yes: {span.text}", [fact], "the term starts then")
        return Said(f"No: {span.text}", [fact], "the term starts at another time")
    if kind == "is_office":
        if end == "..":
            return Said(f"Yes: {fact.what}", [fact], "the term has no end in the facts")
        return Said(f"No: {fact.what}, {span.text}", [fact], "the term ended")
    if kind == "howlong":
        if end != "..":
            return Said(None, [fact], f"the term ended ({span.text})")
        years = today().year - int(start[:4])
        return Said(str(years), [fact], f"years since {start}, as of {today().isoformat()}")
    if kind == "term":
        return Said(span.text, [fact], "the term")
    if kind == "still":
        if end == "..":
            return Said("Yes", [fact], "the term has no end in the facts")
        return Said(f"No: {span.text}" if end else None, [fact], "the term ended" if end else "the facts give no end")
    if end and end != "..":
        return Said(end, [fact], "the end of the term")
    return Said(None, [fact], "the facts give the term no end")


def _person_only(known: Sequence[Office], person: str) -> Said | None:
    person_words = " " + " ".join(_words(person)) + " "
    found = [o for o in known if _names(o.fact.who, person_words)]
    if not found:
        return None
    if len({o.fact.id for o in found}) > 1:
        return Said(None, [o.fact for o in found[:3]], "the facts give that person more than one office or term")
    fact = found[0].fact
    return Said(fact.when.text.partition("/")[0], [fact], "the start of the term")  # type: ignore[union-attr]


def _names(who: str, question_words: str) -> bool:
    """The holder is named in the question: the whole name, or its last word when the
    question gives only that ("Bolsonaro"); accents, case and the usual transliterations
    of Russian letters ("Japarov" for Zhaparov) aside. A regnal name ("Harald V of
    Norway") is named by its name without the country ("Harald V"). A surname that
    follows another given name ("Serdar Berdimuhamedow" for Gurbanguly Berdimuhamedow)
    names someone else."""
    words = _words(who)
    asked = [_fold(w) for w in question_words.split()]
    folded = _folded_phrase(question_words.split())
    if "of" in words[1:]:  # "Harald V of Norway", "Charles III of the United Kingdom"
        base = words[: words.index("of")]
        return len(base) >= 2 and _folded_phrase(base) in folded
    if not words:
        return False
    name = [_fold(w) for w in words]
    if _folded_phrase(words) in folded:
        return True
    for k in range(len(name) - 1, 1, -1):  # its first words: "Abiy Ahmed" for Abiy Ahmed Ali
        if name[k - 1] in _PARTICLES:
            continue
        at = folded.find(f" {' '.join(name[:k])} ")
        after = folded[at:].split()[k : k + 1] if at >= 0 else []
        if at >= 0 and not (after and after[0] not in _VERBS_AFTER_A_NAME and _other_given_name(after[0], name[k:])):
            return True
    # "zelensky" for Zelenskyy: a close spelling of the surname (same first letter)
    import difflib

    last = name[-1]
    for j, w in enumerate(asked):
        surname = w == last and len(name) > 1
        if not surname and not (
            len(last) >= 5 and w[:1] == last[:1] and difflib.SequenceMatcher(None, w, last).ratio() >= 0.88
        ):
            continue  # neither the surname nor a close spelling of it
        if j and _other_given_name(asked[j - 1], name[:-1]):
            continue
        return True
    return False


# Words that join the parts of a name ("Mohammed bin Salman"): two words with one of them
# are not yet a name.
_PARTICLES = frozenset("bin ibn bint al el de da di del van von der le la".split())
_VERBS_AFTER_A_NAME = frozenset(
    "become became start started take took get got been serve served assume assumed come came step stepped leave left".split()
)


def _folded_phrase(words: Sequence[str]) -> str:
    """Words folded (:func:`_fold`) and set in spaces, for a whole-phrase test (" kais saied ")."""
    return f" {' '.join(map(_fold, words))} "


def _fold(word: str) -> str:
    """A word's spelling with the letters that transliterations spell apart made one ("zh"/"j",
    "kh"/"h", "w"/"v", "y"/"i", and "x"/"ks": Aleksandar for Alexander)."""
    folded = word.replace("dzh", "j").replace("zh", "j").replace("kh", "h").replace("w", "v").replace("y", "i")
    return folded.replace("x", "ks")


_NOT_GIVEN = (
    STOPWORDS
    | TITLE_WORDS
    | frozenset(
        "s mr mrs ms dr sir ex current incumbent then late sitting outgoing interim did does has have when".split()
    )
)


def _other_given_name(word: str, given: Sequence[str]) -> bool:
    """``word``, just before the surname in the question, is a given name that is not
    one of the holder's."""
    import difflib

    if len(word) < 3 or not word.isalpha() or word in _NOT_GIVEN or word in DEMONYMS or countries.resolve(word):
        return False
    return not any(g == word or difflib.SequenceMatcher(None, g, word).ratio() >= 0.8 for g in given)
