"""The verb a question turns on and the role it asks for. Pure: words in, stems out.

:func:`focus` reads a tokenised question: "who decided …" turns on "decided" and
asks for its subject; "who did X meet" for its object; "who is the Taliban
ambassador to Russia" for whoever holds the role "ambassador" (with "Taliban"
part of the role, not the answer).
"""

from __future__ import annotations

from typing import NamedTuple

from factcli.ask.english import (
    AUX,
    ORDER_WORDS,
    PREPOSITIONS,
    QUESTION_WORDS,
    RELATIVE,
    STOPWORDS,
    TITLE_WORDS,
    LazyPattern,
)
from factcli.ask.question import Unit
from factcli.words import IRREGULAR_VERBS, stem


class Focus(NamedTuple):
    """What a question turns on."""

    verbs: list[str]  # stems of the predicate
    role: list[str]  # stems of the role asked for
    role_refs: list[int]  # refs inside the role phrase
    object_question: bool  # the answer is the verb's object, not its subject


# Words that may come before a named subject: "did *the new* Afghan ambassador Gul Hassan arrive".
_SUBJECT_LEAD = frozenset("the a an new former current then acting outgoing incoming".split())
# Words in -ly that are not adverbs of manner (nouns, verbs, names people type lower-case).
_NOT_ADVERBS = frozenset(
    "italy july family assembly supply reply apply rally ally anomaly monopoly fly rely multiply".split()
)
# Verbs whose past is their base form ("which court *put* the Taliban on the list"): no
# "-ed" and no irregular past shows them.
_SAME_PAST = frozenset("put set cut let hit cast shut quit spread split".split())
_BASE_VERBS = frozenset(IRREGULAR_VERBS.values()) | _SAME_PAST
_ARTICLES = ("the", "a", "an")
_CLAUSE_WORDS = frozenset("why how whether".split())  # words that open a clause inside the question


def focus(
    words: list[str],
    lead: int,
    kind: str,
    units: list[Unit],
    in_name: set[int],
    possessive: frozenset[int] = frozenset(),
) -> Focus:
    """The predicate (verb stems), the role asked for, and whether the answer is an object."""
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
    if kind in ("who", "where", "list") and lead < len(words):
        first = words[lead]
        if first in ("did", "does", "do") and kind != "list":
            return _object_of_did(words, lead, kind, units, content, possessive)
        if first in ("is", "was", "are", "were") or kind == "who" and words[lead - 1] in ("which", "what"):
            return _role_asked(words, lead, units, in_name, content)
    if kind == "count" and words[lead - 1] == "many" and content:
        content = content[1:]  # "how many countries have recognized …": the unit is not the verb
    candidates = [i for i in content if words[i] not in ORDER_WORDS and not words[i].endswith("ly")]
    if kind in ("who", "where", "list") and lead < len(words) and words[lead] not in AUX:
        # "who accepted copies …", "which countries took …": the verb comes first
        # (after a possessive: "which countries' heads of state accepted …").
        verbs = [i for i in candidates if looks_like_verb(words, i)]
        chosen = (verbs or candidates)[:1]
        return Focus([stem(words[chosen[0]])] if chosen else [], [], [], False)
    return Focus(_main_verb(words, lead, units, in_name, candidates, possessive), [], [], False)


def _object_of_did(
    words: list[str], lead: int, kind: str, units: list[Unit], content: list[int], possessive: frozenset[int]
) -> Focus:
    """ "who did the Russian ambassador meet in Kabul": the verb is the last word before
    the first preposition, or the word after a named subject ("… did Rudenko receive the
    credential copies"); the answer is its object."""
    stop = next((i for i in range(lead + 1, len(words)) if words[i] in PREPOSITIONS), len(words))
    verbs = [i for i in content if i < stop]
    after = _after_subject(words, units, lead, content, possessive)
    verb = [stem(words[after[0]])] if after else ([stem(words[verbs[-1]])] if verbs else [])
    return Focus(verb, [], [], kind == "who")


def _role_asked(words: list[str], lead: int, units: list[Unit], in_name: set[int], content: list[int]) -> Focus:
    """ "who is the X to Y when …", "which afghan president fled …": X is the role (its
    head is the last word before a preposition); names in the phrase and its complements
    ("to Russia", "of the Taliban") belong to it."""
    start = lead + (1 if words[lead] in AUX else 0)
    while start < len(words) and words[start] in _ARTICLES:
        start += 1
    end, head_end = _role_phrase_end(words, start, in_name)
    role = [
        stem(words[i])
        for i in range(start, head_end)
        if i not in in_name
        and words[i] not in STOPWORDS
        and words[i] not in ORDER_WORDS
        and not words[i].isdigit()
        and not words[i].endswith("ly")
        and words[i] not in ("one", "ones")  # "which one spoke …": a pronoun, no role
    ]
    role_refs = [u.ref for u in units if u.ref is not None and u.ref >= 0 and start <= u.position < end]
    # "which flag *did* the Taliban flag replace": the answer is the verb's object.
    object_question = end < len(words) and words[end] in ("did", "does", "do")
    # "which flag did the Taliban flag replace": not the noun asked about, again.
    after = [i for i in content if i >= end and words[i] not in ORDER_WORDS and stem(words[i]) not in role[-1:]]
    verbs = [i for i in after if looks_like_verb(words, i)]
    verb = [stem(words[(verbs or after)[0]])] if after else []
    return Focus(verb, role[-1:], role_refs, object_question)


def _role_phrase_end(words: list[str], start: int, in_name: set[int]) -> tuple[int, int]:
    """Where a role phrase ends, and where its head ends (before its first preposition)."""
    end = start
    head_end = None
    while end < len(words):
        w = words[end]
        if (
            w in AUX
            and end > start
            or w in RELATIVE
            or (end > start and end not in in_name and looks_like_verb(words, end))
        ):
            break
        if w in PREPOSITIONS and end > start:
            head_end = head_end or end
            nxt = end + 1
            while nxt < len(words) and words[nxt] in _ARTICLES:
                nxt += 1
            if not (w == "of" or nxt in in_name):
                break
        end += 1
    return end, head_end or end


def _main_verb(
    words: list[str], lead: int, units: list[Unit], in_name: set[int], candidates: list[int], possessive: frozenset[int]
) -> list[str]:
    """The verb of a yes/no, when, count or what question.

    The verb is the first content word followed by a function word or a name: "did
    China *welcome* Russia's …", "did the … ruling *amount* to …". A word that can only
    be a verb ("raised", "to recognise") comes first: "was China the first country *to
    recognise* …"."""
    # "how much of the frozen money *has the US given* back": after an auxiliary and a
    # named subject, the next word is the verb (not "frozen", which qualifies the money).
    for a in range(lead, len(words) - 1):
        if words[a] in ("did", "does", "do", "has", "have", "had"):
            after = _after_subject(words, units, a, candidates, possessive)
            if after:
                return [stem(words[after[0]])]
            break
    # "did Pakistan recognize the Taliban *when it upgraded* …": the verb of the main clause.
    # "when did Tokayev explain *why* Kazakhstan delisted …": a clause the main verb governs.
    cut = next(
        (i for i in range(lead + 2, len(words)) if words[i] in RELATIVE or words[i] in _CLAUSE_WORDS), len(words)
    )
    candidates = [i for i in candidates if i < cut] or candidates
    sure = [i for i in candidates if looks_like_verb(words, i)]
    verbs = [i for i in candidates if i + 1 >= len(words) or words[i + 1] in STOPWORDS or (i + 1) in in_name]
    chosen = (sure or verbs or candidates)[:1]
    return [stem(words[chosen[0]])] if chosen else []


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
    after = [i for i in content if i > last and i not in possessive and i - 1 not in possessive]
    if (
        len(after) > 1
        and after[0] == last + 1
        and after[1] == after[0] + 1
        and _NOMINAL.search(words[after[0]])
        and words[after[0]] not in _VERBS_LIKE_NOUNS
    ):
        # "did the Taliban *delegation* land …": a noun the name qualifies, then the verb
        after = after[1:]
    return after


_NOMINAL = LazyPattern(r"(?:tion|sion|ment|ship)s?$")
# … that are verbs too ("did Kirby *mention* recognition")
_VERBS_LIKE_NOUNS = frozenset(
    """mention question comment document implement function position petition sanction caution
    station motion ration supplement complement compliment experiment envision""".split()
)


def _adverb(word: str) -> bool:
    """ "formally", "officially", "possibly": an adverb, never the verb a question turns on."""
    return len(word) > 5 and word.endswith("ly") and word not in _NOT_ADVERBS


def looks_like_verb(words: list[str], i: int) -> bool:
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
