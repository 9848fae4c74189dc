"""The English that `ask` needs: stems, stop words, a small thesaurus, demonyms,
numbers and dates written in prose. Pure: tables and functions, no I/O.

Every table here is general English (or general geography), never a phrase of
one question: the stemmer strips suffixes by rule, the thesaurus groups words
that news copy uses for the same act ("lift a ban" / "suspend a ban").
"""

from __future__ import annotations

import calendar
import re
from typing import NamedTuple
from functools import lru_cache

from .dates import MAX_DAY, MIN_DAY

# Words that carry no content in a question or a fact. Question words and
# auxiliaries are here too: the reader takes the question's type from them first.
STOPWORDS = frozenset(
    """a about above across after against all also am an and any are as at be because been
    before being below between both but by can could did do does doing done down during each
    either else ever few for from further had has have having he her here hers herself him
    himself his how however i if in into is it its itself just me might more most must my
    myself neither no nor not now of off on once only or other our ours ourselves out over own
    same shall she should so some such than that the their theirs them themselves then there
    these they this those through thus to too under until up upon us very was we were what
    when where whether which while who whom whose why will with within without would yet you
    your yours yourself still ever really actually personally""".split()
)
# Words kept out of the content of a question although they are not stop words
# in a fact ("first" and "only" matter in a fact, and are read separately).
QUESTION_WORDS = frozenset("when who whom whose where which what how many much did does do has have had is was were are".split())

# Irregular forms, mapped to the form the stemmer then reduces.
IRREGULAR_VERBS = {
    "took": "take", "taken": "take", "met": "meet", "led": "lead", "told": "tell",
    "said": "say", "sent": "send", "fled": "flee", "left": "leave",
    "made": "make", "held": "hold", "began": "begin", "begun": "begin", "came": "come",
    "went": "go", "gone": "go", "gave": "give", "given": "give", "won": "win",
    "froze": "freeze", "frozen": "freeze", "brought": "bring", "bought": "buy",
    "sought": "seek", "thought": "think", "struck": "strike", "stood": "stand", "paid": "pay",
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "spoke": "speak",
    "spoken": "speak", "wrote": "write", "written": "write", "saw": "see", "seen": "see",
    "knew": "know", "known": "know", "got": "get", "gotten": "get", "found": "find",
    "kept": "keep", "lost": "lose", "became": "become", "chose": "choose", "chosen": "choose",
    "drew": "draw", "drawn": "draw", "sold": "sell", "spent": "spend", "withdrew": "withdraw",
    "withdrawn": "withdraw", "hung": "hang", "ran": "run", "shook": "shake", "shot": "shoot",
    "taught": "teach", "threw": "throw", "thrown": "throw", "understood": "understand",
    "heard": "hear", "meant": "mean", "felt": "feel", "built": "build", "sat": "sit",
}
IRREGULAR = {
    **IRREGULAR_VERBS,
    "says": "say", "goes": "go",
    "bigger": "big", "biggest": "big", "larger": "large", "largest": "large",
    "better": "good", "best": "good", "worse": "bad", "worst": "bad",
    "earlier": "early", "earliest": "early", "later": "late", "latest": "late",
    "children": "child", "men": "man", "women": "woman",
}

# Suffixes, longest first; a stem keeps at least three letters.
_SUFFIXES = sorted(
    (
        "isations", "izations", "isation", "ization", "ational", "ations", "itions", "ation",
        "ition", "ements", "ement", "ments", "ment", "nesses", "ness", "ings", "ing", "ising",
        "izing", "ised", "ized", "ises", "izes", "ise", "ize", "ists", "ist", "isms", "ism",
        "ions", "ion", "ities", "ity", "ously", "ous", "ally", "edly", "ied", "ies", "ed", "ers",
        "er", "ly", "al", "es", "s", "e",
    ),
    key=len,
    reverse=True,
)
_KEEP = frozenset("news gas bus us this his has was is as series species".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude, stable stem: recognise, recognized, recognition → recogn.

    Normalised (lower-case, ASCII-folded) words in, stems out; the same word
    always gives the same stem, in questions and in facts alike.
    """
    word = IRREGULAR.get(word, word)
    if len(word) <= 3 or not word.isalpha() or word in _KEEP:
        return word
    for _ in range(4):  # strip until nothing more comes off: recognitions → recognition → recogn
        shorter = _strip_once(word)
        if shorter == word:
            break
        word = shorter
    return word


_BY_LENGTH = sorted({len(x) for x in _SUFFIXES}, reverse=True)
_SUFFIX_SET = frozenset(_SUFFIXES)
_ANY_SUFFIX = tuple(_SUFFIXES)


def _strip_once(word: str) -> str:
    if not word.endswith(_ANY_SUFFIX):
        return word
    for size in _BY_LENGTH:
        suffix = word[-size:]
        if suffix not in _SUFFIX_SET or len(word) - size < 3:
            continue
        base = word[:-size]
        if suffix in ("ies", "ied"):
            base += "y"
        elif suffix == "s" and base.endswith(("s", "u", "i")):
            return word  # "press", "status", "thesis": not plurals
        elif suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
            base = word[:-1]  # "states" → "state" → (below) "stat"
            if base.endswith("e"):
                base = base[:-1]
        # Undouble a final consonant left by -ed/-ing ("planned" → "plan").
        if len(base) > 3 and base[-1] == base[-2] and base[-1] not in "aeiouls":
            base = base[:-1]
        return base
    return word


# Groups of words that name the same act or thing in news copy. A question word
# also matches the other members of its group (at a lower weight).
_THESAURUS_GROUPS = (
    "receive accept get",
    "remove lift drop delist",
    "lift suspend",
    "say tell announce",
    "propose suggest",
    "decide decision",
    "attend go visit participate",
    "plane aircraft flight",
    "leave depart",
    "ambassador envoy",
    "credential credence",
    "buy buyer purchase purchasing",
    "big large",
    "capture take seize takeover",
    "label designate",
    "deal agreement",
    "mission embassy representation",
    "criticise criticize condemn",
    "start beginning",
    "finish complete end",
)
# Phrasal verbs: (verb, particle) → the plain verb they mean.
PHRASAL = {("take", "off"): "remove", ("take", "over"): "takeover", ("hand", "over"): "give", ("set", "up"): "create", ("turn", "down"): "refuse", ("pull", "out"): "withdraw"}


def _build_thesaurus() -> dict[str, frozenset[str]]:
    related: dict[str, set[str]] = {}
    for group in _THESAURUS_GROUPS:
        stems = {stem(w) for w in group.split()}
        for s in stems:
            related.setdefault(s, set()).update(stems - {s})
    return {k: frozenset(v) for k, v in related.items()}


THESAURUS = _build_thesaurus()
THESAURUS_WORDS = frozenset(w for group in _THESAURUS_GROUPS for w in group.split())

# Demonyms and adjectives people type for a country ("Russian" → Russia).
DEMONYMS: dict[str, str] = {
    "afghan": "AFG", "afghani": "AFG", "american": "USA", "british": "GBR", "chinese": "CHN",
    "french": "FRA", "german": "DEU", "indian": "IND", "iranian": "IRN", "iraqi": "IRQ",
    "japanese": "JPN", "kazakh": "KAZ", "kazakhstani": "KAZ", "kyrgyz": "KGZ", "pakistani": "PAK",
    "qatari": "QAT", "russian": "RUS", "saudi": "SAU", "syrian": "SYR", "tajik": "TJK",
    "turkish": "TUR", "turkmen": "TKM", "uzbek": "UZB", "ukrainian": "UKR", "italian": "ITA",
    "spanish": "ESP", "turkmenistani": "TKM", "uzbekistani": "UZB", "tajikistani": "TJK",
    "emirati": "ARE", "egyptian": "EGY", "israeli": "ISR", "canadian": "CAN", "korean": "KOR",
    "indonesian": "IDN", "malaysian": "MYS", "bangladeshi": "BGD", "norwegian": "NOR",
}
# Words that negate what follows them in a clause.
NEGATORS = frozenset("not no never without nor neither refrained refused declined nt".split())

# ------------------------------------------------------------------ numbers

_MONTHS: dict[str, int] = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000, "bn": 1_000_000_000, "m": 1_000_000}
NUMBER_WORDS = frozenset(_UNITS) | frozenset(_SCALES)


class Number(NamedTuple):
    """A number written in a text: where it is, its value, and how it was written."""

    start: int  # index of its first word
    end: int  # index after its last word
    value: float
    text: str
    money: bool
    unit: str  # the word it counts ("tonnes" in "2 million tonnes"), normalised; "" if none


_NUMERIC = re.compile(r"^\$?\d[\d,]*(\.\d+)?$")


def numbers_in(raw_words: list[str]) -> list[Number]:
    """Numbers in a list of words as written ("about", "$560", "million", …).

    Years and days of a date are left out by the caller's date pass; here a
    4-digit number from 1000 to 2100 without a scale word is not a quantity.
    """
    found: list[Number] = []
    i = 0
    while i < len(raw_words):
        word = raw_words[i].lower().strip(".,;:()'\"")
        head = word.split("-", 1)[0]  # "20-organisation"
        value: float | None = None
        money = head.startswith("$")
        if _NUMERIC.match(head):
            value = float(head.lstrip("$").replace(",", ""))
        elif head in _UNITS:
            value = float(_UNITS[head])
        if value is None:
            i += 1
            continue
        j = i + 1
        if j < len(raw_words):
            scale = raw_words[j].lower().strip(".,;:()'\"")
            if scale in _SCALES:
                value *= _SCALES[scale]
                j += 1
        written = " ".join(raw_words[i:j]).strip(".,;:()'\"")
        if "-" in word and j == i + 1:
            written, unit = head, word.split("-", 1)[1]
        else:
            unit = raw_words[j].lower().strip(".,;:()'\"") if j < len(raw_words) else ""
        is_year = j == i + 1 and head.isdigit() and len(head) == 4 and 1000 <= value <= 2100
        near = [raw_words[k].lower().strip(".,;:()'\"") for k in (i - 1, j) if 0 <= k < len(raw_words)]
        in_date = j == i + 1 and any(w in _MONTHS for w in near)  # "6 September", "July 3"
        if not (is_year or in_date):
            found.append(Number(i, j, value, written, money, unit))
        i = j
    return found


def parse_number(text: str) -> float | None:
    """The value of "2 million", "$560 million", "2,000,000", "one"; else None."""
    words = text.split()
    found = numbers_in(words)
    if len(found) == 1 and found[0].start == 0 and found[0].end == len(words):
        return found[0].value
    return None


# ------------------------------------------------------------------ dates in prose

_MONTH = r"(?P<{0}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>\d{{4}})"


def _point_pattern(tag: str) -> str:
    """One date: ISO, '3 July 2025', 'July 3, 2025', 'July 2025', '2025', '1990s'."""
    iso = rf"(?P<{tag}iso>\d{{4}}-\d{{2}}(?:-\d{{2}})?)"
    dmy = _DAY.format(tag + "d1") + r"\s+(?:of\s+)?" + _MONTH.format(tag + "m1") + r",?\s+" + _YEAR.format(tag + "y1")
    mdy = _MONTH.format(tag + "m2") + r"\s+" + _DAY.format(tag + "d2") + r",?\s+" + _YEAR.format(tag + "y2")
    my = _MONTH.format(tag + "m3") + r",?\s+(?:of\s+)?" + _YEAR.format(tag + "y3")
    decade = rf"(?:the\s+)?(?P<{tag}dec>\d{{3}}0)'?s"
    year = _YEAR.format(tag + "y4")
    return rf"(?:{iso}|{dmy}|{mdy}|{my}|{decade}|{year})"


_PREP = r"(?P<prep>in|on|during|throughout|since|after|before|until|till|by|from|as\s+of|at\s+the\s+(?:start|end|beginning)\s+of|early\s+in|late\s+in|in\s+early|in\s+late|of)"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The date patterns, compiled on first use (a question without digits never needs them)."""
    between = re.compile(r"\b(?:between|from)\s+" + _point_pattern("a") + r"\s+(?:and|to|until|till|-)\s+" + _point_pattern("b") + r"\b")
    point = re.compile(r"\b(?:" + _PREP + r"\s+)?" + _point_pattern("p") + r"\b")
    return between, point


class DateMention(NamedTuple):
    """A date or range read from a question: the days it covers, and whether it
    is a hard filter (a preposition or a day/month said so) or only a hint."""

    text: str
    start: str
    end: str
    hard: bool
    exact_day: bool
    span: tuple[int, int]  # where it was in the text


def _to_span(match: re.Match[str], tag: str) -> tuple[str, str, str, bool] | None:
    """(label, first day, last day, is a day) of one point date in a match."""
    g = match.groupdict()
    try:
        if g.get(tag + "iso"):
            from .dates import parse_date

            span = parse_date(g[tag + "iso"])
            return span.text, span.start, span.end, span.is_day
        for n in ("1", "2"):
            if g.get(tag + "d" + n):
                y, m, d = int(g[tag + "y" + n]), _MONTHS[g[tag + "m" + n]], int(g[tag + "d" + n])
                if not 1 <= d <= calendar.monthrange(y, m)[1]:
                    return None
                day = f"{y:04d}-{m:02d}-{d:02d}"
                return day, day, day, True
        if g.get(tag + "m3"):
            y, m = int(g[tag + "y3"]), _MONTHS[g[tag + "m3"]]
            last = calendar.monthrange(y, m)[1]
            return f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{last:02d}", False
        if g.get(tag + "dec"):
            y = int(g[tag + "dec"])
            return f"{y}s", f"{y:04d}-01-01", f"{y + 9:04d}-12-31", False
        if g.get(tag + "y4"):
            y = int(g[tag + "y4"])
            if not 1000 <= y <= 2100:
                return None
            return str(y), f"{y:04d}-01-01", f"{y:04d}-12-31", False
    except (ValueError, KeyError):
        return None
    return None


def _day_before(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def _day_after(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()


def find_dates(text: str) -> list[DateMention]:
    """Dates and ranges in a question ("in July 2025", "between 2021 and 2025",
    "on 3 July 2023", "before 2024", "in the 1990s"). ``text`` is lower-cased."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    if not any(c.isdigit() for c in text):
        return found  # every date form has digits
    between, point = _patterns()
    for match in between.finditer(text):
        a, b = _to_span(match, "a"), _to_span(match, "b")
        if a and b and a[1] <= b[2]:
            found.append(DateMention(f"{a[0]}/{b[0]}", a[1], b[2], True, False, match.span()))
            taken.append(match.span())
    for match in point.finditer(text):
        if any(s <= match.start() < e for s, e in taken):
            continue
        point = _to_span(match, "p")
        if point is None:
            continue
        label, start, end, is_day = point
        prep = " ".join((match.group("prep") or "").split())
        # A bare year ("the 2022 deal", "resolution 1988") is only a hint; a day,
        # a month, a decade or a year after a preposition is a filter.
        hard = bool(prep) or not re.fullmatch(r"\d{4}", label)
        if prep in ("before", "until", "till", "by"):
            start, end = MIN_DAY, _day_before(start) if prep == "before" else end
            label = f"../{label}"
        elif prep in ("after", "since", "from"):
            start, end = (_day_after(end) if prep == "after" else start), MAX_DAY
            label = f"{label}/.."
        found.append(DateMention(label, start, end, hard, is_day and prep not in ("before", "after", "since", "until", "till", "by", "from"), match.span()))
        taken.append(match.span())
    return found
