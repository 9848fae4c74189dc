"""The English that `ask` needs: stems, stop words, a small thesaurus, demonyms,
numbers and dates written in prose. Pure: tables and functions, no I/O.

Every table here is general English (or general geography), never a phrase of
one question: the stemmer strips suffixes by rule, the thesaurus groups words
that news copy uses for the same act ("lift a ban" / "suspend a ban").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from factcli.dates import MONTH_WORDS as _MONTHS
from factcli.words import stem
from factcli.dates import DateMention, find_dates  # noqa: F401  (re-exported: the grammar lives in dates.py)

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
    your yours yourself still ever really actually personally besides except excluding regarding
    concerning""".split()
)
# Words kept out of the content of a question although they are not stop words
# in a fact ("first" and "only" matter in a fact, and are read separately).
QUESTION_WORDS = frozenset(
    "when who whom whose where which what how many much did does do has have had is was were are".split()
)

# Auxiliaries: a question that starts with one asks yes or no.
AUX = frozenset("did does do has have had is was were are can could will would should".split())
PREPOSITIONS = frozenset(
    "in on at to for with from about regarding concerning after before by during of into over since until than that who which whose when while where as".split()
)
# Words that start a relative or subordinate clause: what follows is not the main verb's.
RELATIVE = frozenset("that who which whose whom when while where before after since because".split())
# "the first country to …", "the latest …": the question asks for the earliest or the latest.
ORDER_WORDS = {"first": "first", "earliest": "first", "earlier": "first", "last": "last", "latest": "last"}
SYNONYM_WEIGHT = 0.75  # a synonym matches at this weight
FUZZY_WEIGHT = 0.85  # a corrected spelling matches at this weight


class LazyPattern:
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

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self._get().finditer(text)


# Groups of words that name the same act or thing in news copy. A question word
# also matches the other members of its group (at a lower weight).
_THESAURUS_GROUPS = (
    "receive accept get",
    "remove lift drop delist",
    "lift suspend",
    "say tell announce speak",
    "propose suggest",
    "decide decision",
    "attend go visit participate",
    "plane aircraft flight",
    "leave depart",
    "ambassador envoy",
    "credential credence",
    "buy buyer purchase purchasing",
    "big large",
    "capture take seize takeover fall",
    "label designate",
    "deal agreement",
    "mission embassy representation",
    "criticise criticize condemn slam denounce",
    "start beginning",
    "finish complete end",
    # General news English, each group one act or one thing (no question's phrase):
    "recognise acknowledge",
    "send appoint dispatch",
    "spokesperson spokesman spokeswoman",
    "ban prohibition outlaw",
    "suspend pause halt",
    "law legislation",
    "sign signature",
    "withdraw withdrawal pullout",
    "trade commerce",
    "ally allies partner",
    "court tribunal",
    "arrive land",
    "lead head",
    "delegation team",
    "ask request",
    "welcome greet hail",
    "warn caution",
    "upgrade raise elevate",
    "approve adopt endorse",
    "label designate",
    "disclose reveal",
)
# Acts that exclude each other, for a "no" (general English, two-sided): a fact that the
# actor criticised an act answers "did they welcome it" with no.
_ANTONYM_PAIRS = (
    ("welcome praise support", "criticise criticize condemn denounce oppose"),
    ("accept", "reject refuse"),
    ("keep maintain", "remove delist lift"),
    ("impose", "lift"),
)


def _build_antonyms() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for a, b in _ANTONYM_PAIRS:
        left, right = {stem(w) for w in a.split()}, {stem(w) for w in b.split()}
        for w in left:
            out.setdefault(w, set()).update(right)
        for w in right:
            out.setdefault(w, set()).update(left)
    return {k: frozenset(v) for k, v in out.items()}


ANTONYMS = _build_antonyms()
# Phrasal verbs: (verb, particle) → the plain verb they mean.
PHRASAL = {
    ("take", "off"): "remove", ("take", "over"): "takeover", ("hand", "over"): "give", ("set", "up"): "create",
    ("turn", "down"): "refuse", ("pull", "out"): "withdraw", ("put", "hold"): "suspend", ("give", "back"): "return",
    ("step", "down"): "resign", ("put", "signature"): "sign", ("go", "up"): "raise", ("ask", "for"): "request",
    ("take", "decision"): "decide", ("make", "decision"): "decide",
    ("fly", "into"): "arrive", ("break", "news"): "announce", ("get", "to"): "arrive", ("lift", "off"): "depart",
    ("turn", "up"): "arrive", ("show", "up"): "arrive",
}  # fmt: skip
# Verbs that say little by themselves ("what happened", "put … on hold"): a fact need
# not repeat them to answer.
LIGHT_VERBS = frozenset("happen occur put get make do go come pass have take give".split())


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
    "afghan": "AFG",
    "afghani": "AFG",
    "american": "USA",
    "british": "GBR",
    "chinese": "CHN",
    "french": "FRA",
    "german": "DEU",
    "indian": "IND",
    "iranian": "IRN",
    "iraqi": "IRQ",
    "japanese": "JPN",
    "kazakh": "KAZ",
    "kazakhstani": "KAZ",
    "kyrgyz": "KGZ",
    "pakistani": "PAK",
    "qatari": "QAT",
    "russian": "RUS",
    "saudi": "SAU",
    "syrian": "SYR",
    "tajik": "TJK",
    "turkish": "TUR",
    "turkmen": "TKM",
    "uzbek": "UZB",
    "ukrainian": "UKR",
    "italian": "ITA",
    "spanish": "ESP",
    "turkmenistani": "TKM",
    "uzbekistani": "UZB",
    "tajikistani": "TJK",
    "emirati": "ARE",
    "egyptian": "EGY",
    "israeli": "ISR",
    "palestinian": "PSE",
    "canadian": "CAN",
    "korean": "KOR",
    "indonesian": "IDN",
    "malaysian": "MYS",
    "bangladeshi": "BGD",
    "norwegian": "NOR",
    "danish": "DNK",
    "swedish": "SWE",
    "finnish": "FIN",
    "dutch": "NLD",
    "belgian": "BEL",
    "polish": "POL",
    "greek": "GRC",
    "hungarian": "HUN",
    "czech": "CZE",
    "austrian": "AUT",
    "swiss": "CHE",
    "portuguese": "PRT",
    "irish": "IRL",
    "mexican": "MEX",
    "brazilian": "BRA",
    "argentine": "ARG",
    "argentinian": "ARG",
    "chilean": "CHL",
    "colombian": "COL",
    "peruvian": "PER",
    "venezuelan": "VEN",
    "cuban": "CUB",
    "nigerian": "NGA",
    "kenyan": "KEN",
    "ethiopian": "ETH",
    "ghanaian": "GHA",
    "moroccan": "MAR",
    "algerian": "DZA",
    "tunisian": "TUN",
    "libyan": "LBY",
    "sudanese": "SDN",
    "somali": "SOM",
    "ugandan": "UGA",
    "rwandan": "RWA",
    "tanzanian": "TZA",
    "zimbabwean": "ZWE",
    "zambian": "ZMB",
    "angolan": "AGO",
    "cameroonian": "CMR",
    "senegalese": "SEN",
    "malian": "MLI",
    "lebanese": "LBN",
    "jordanian": "JOR",
    "kuwaiti": "KWT",
    "omani": "OMN",
    "yemeni": "YEM",
    "thai": "THA",
    "vietnamese": "VNM",
    "filipino": "PHL",
    "singaporean": "SGP",
    "australian": "AUS",
    "belarusian": "BLR",
    "georgian": "GEO",
    "armenian": "ARM",
    "azerbaijani": "AZE",
    "moldovan": "MDA",
    "romanian": "ROU",
    "bulgarian": "BGR",
    "serbian": "SRB",
    "croatian": "HRV",
    "bosnian": "BIH",
    "slovenian": "SVN",
    "slovak": "SVK",
    "lithuanian": "LTU",
    "latvian": "LVA",
    "estonian": "EST",
    "icelandic": "ISL",
    "nepalese": "NPL",
    "mongolian": "MNG",
    "cambodian": "KHM",
    "taiwanese": "TWN",
    "south african": "ZAF",
    "new zealand": "NZL",
    "north korean": "PRK",
    "south korean": "KOR",
    "sri lankan": "LKA",
}
# Words of a title before a name ("Chinese *ambassador* Zhao Sheng", "Taliban *Foreign
# Minister* Amir Khan Muttaqi"): a subject runs through them to the name.
TITLE_WORDS = frozenset(
    """ambassador envoy minister ministers president premier chancellor spokesman spokeswoman spokesperson
    foreign deputy prime vice chief acting former senior new general secretary representative special
    consul commander leader king queen prince emir mullah mawlawi judge prosecutor official diplomat
    mayor governor senator congressman congresswoman lawmaker chairman chairwoman monarch""".split()
)
# Words that negate what follows them in a clause.
NEGATORS = frozenset("not no never without nor neither refrained refused declined nt".split())

# ------------------------------------------------------------------ numbers


_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
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
