"""The PostgreSQL tables of a factcli database, and the text they index.

A fact is one row of ``factcli_facts``: its stored document (checksummed, as in the
SQLite layout), the columns it is sorted and filtered by, its countries and tags as
arrays, its dates as a ``daterange`` (an open end is unbounded), and its words as a
``tsvector``. The words are factcli's own tokens (the folded text the matcher
reads, split where FTS5's unicode61 splits), weighted by field (who A, what B,
sources C, the rest D), never PostgreSQL's parser: a query proposes candidates, and
:class:`~factcli.query.Matcher` re-checks every one, so a candidate missed would
be a fact missed. The tokenisation carries a version (``TEXT_RULES``) in the
database: a client with other rules does not use the index and does not write.
Every name is prefixed ``factcli_``: the tables can share a database with others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from factcli.model import Fact
from factcli.query import Matcher, cited_text, haystack, id_key, whole_words_only
from factcli.store.sqlfacts import ORDER_BY, identity_key, stored_text  # noqa: F401  (the same columns, the same order)
from factcli.text import normalise

STORAGE = "1"  # the version of these tables (beside the record's SCHEMA)
TEXT_RULES = "1"  # the version of words(): folded text split on [^\W_]+, weights by field

TABLES = """
CREATE TABLE factcli_meta(key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
CREATE TABLE factcli_facts(
    rowid bigserial PRIMARY KEY,
    id text COLLATE "C" NOT NULL UNIQUE,
    doc text NOT NULL,
    undated boolean NOT NULL,
    when_start text COLLATE "C",
    when_end text COLLATE "C",
    when_span daterange,
    id_head text COLLATE "C" NOT NULL,
    id_num bigint NOT NULL,
    who_key text COLLATE "C" NOT NULL,
    ident text COLLATE "C" NOT NULL,
    created text COLLATE "C" NOT NULL,
    countries text[] NOT NULL,
    tags text[] NOT NULL,
    words tsvector NOT NULL,
    words_whole boolean NOT NULL,
    created_by text NOT NULL DEFAULT current_user,
    updated_by text NOT NULL DEFAULT current_user
);
CREATE INDEX factcli_facts_by_identity ON factcli_facts(ident);
CREATE INDEX factcli_facts_by_when ON factcli_facts(undated, when_start, when_end, id_head, id_num);
CREATE INDEX factcli_facts_by_id ON factcli_facts(id_head, id_num);
CREATE INDEX factcli_facts_by_who ON factcli_facts(who_key, id_head, id_num);
CREATE INDEX factcli_facts_span ON factcli_facts USING gist(when_span);
CREATE INDEX factcli_facts_countries ON factcli_facts USING gin(countries);
CREATE INDEX factcli_facts_tags ON factcli_facts USING gin(tags);
CREATE INDEX factcli_facts_words ON factcli_facts USING gin(words);
CREATE TABLE factcli_small(tbl text COLLATE "C" NOT NULL, key text COLLATE "C" NOT NULL, pos bigserial,
                           doc text NOT NULL, made_by text NOT NULL DEFAULT current_user, PRIMARY KEY(tbl, key));
CREATE TABLE factcli_history(seq bigint PRIMARY KEY, doc text NOT NULL, made_by text NOT NULL DEFAULT current_user);
CREATE TABLE factcli_words(word text COLLATE "C" PRIMARY KEY, facts bigint NOT NULL);
"""

_TOKEN = re.compile(r"[^\W_]+")
_SAFE_TOKEN = re.compile(r"^[^\W_]+( [^\W_]+)*$")
_MAX_POSITION = 16_383  # PostgreSQL's largest word position
_MAX_LEXEME = 2_000  # bytes (PostgreSQL refuses a word over 2,047)
FIELDS = {"who": "A", "what": "B", "cited": "C", "text": None}  # the matcher's fields → weight (None: any)


def words(fact: Fact) -> tuple[str, bool]:
    """The fact's words as a ``tsvector`` literal, and whether it holds all of them (a
    text past PostgreSQL's limits is indexed in part, and such a fact is always a candidate)."""
    entries, whole = _entries(fact)
    return " ".join(entries), whole


def vocabulary_of(literal: str) -> set[str]:
    """The distinct words of a :func:`words` literal (what "did you mean" is offered from)."""
    return {entry[1 : entry.index("'", 1)] for entry in literal.split()} if literal else set()


def _entries(fact: Fact) -> tuple[list[str], bool]:
    entries: list[str] = []
    whole = True
    position = 0
    for text, weight in (
        (normalise(fact.who), "A"),
        (normalise(fact.what), "B"),
        (cited_text(fact), "C"),
        (haystack(fact), "D"),
    ):
        tokens = _TOKEN.findall(text)
        if position + len(tokens) > _MAX_POSITION or any(len(t) > _MAX_LEXEME // 4 for t in tokens):
            kept = [
                t
                for i, t in enumerate(tokens, position + 1)
                if i <= _MAX_POSITION and len(t.encode("utf-8", "surrogatepass")) <= _MAX_LEXEME
            ]
            whole = False if len(kept) < len(tokens) else whole
            tokens = kept[: max(0, _MAX_POSITION - position)]
        entries.extend(f"'{t}':{i}{weight}" for i, t in enumerate(tokens, position + 1))
        position += len(tokens)
    return entries, whole


def count_words(conn: Any, literals: list[str], sign: int) -> None:
    """Add (sign 1) or take away (-1) the words of facts (their :func:`words` literals)
    in the vocabulary table."""
    from collections import Counter

    counts = Counter(w for literal in literals for w in vocabulary_of(literal))
    if counts:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO factcli_words(word, facts) VALUES (%s, %s)"
                " ON CONFLICT (word) DO UPDATE SET facts = factcli_words.facts + EXCLUDED.facts",
                [(w, sign * n) for w, n in sorted(counts.items())],
            )


def fact_row(doc: dict[str, Any], fact: Fact) -> dict[str, Any]:
    """The columns of a fact's row."""
    head, num = id_key(fact.id)
    who, what = normalise(fact.who), normalise(fact.what)
    identity = (who, what, fact.when.text if fact.when else "", tuple(sorted(fact.country)))
    text, whole = words(fact)
    when = fact.when
    return {
        "id": fact.id,
        "doc": stored_text(doc),
        "undated": when is None,
        "when_start": when.start if when else None,
        "when_end": when.end if when else None,
        "when_span": _span(when.start, when.end) if when else None,
        "id_head": head,
        "id_num": num,
        "who_key": who,
        "ident": identity_key(identity),
        "created": fact.created,
        "countries": list(fact.country),
        "tags": [normalise(t) for t in fact.tags],
        "words": text,
        "words_whole": whole,
    }


def _span(start: str, end: str) -> str:
    """A ``daterange`` literal: [start, end], an end of 9999-12-31 unbounded."""
    upper = "" if end >= "9999-12-31" else end
    return f"[{start},{upper}]"


COLUMNS = (
    "id", "doc", "undated", "when_start", "when_end", "when_span", "id_head", "id_num",
    "who_key", "ident", "created", "countries", "tags", "words", "words_whole",
)  # fmt: skip
_CASTS = {"when_span": "::daterange", "words": "::tsvector"}
INSERT = (
    "INSERT INTO factcli_facts(" + ", ".join(COLUMNS) + ") VALUES ("
    + ", ".join(f"%({c})s{_CASTS.get(c, '')}" for c in COLUMNS) + ")"
)  # fmt: skip
UPDATE = (
    "UPDATE factcli_facts SET " + ", ".join(f"{c} = %({c})s{_CASTS.get(c, '')}" for c in COLUMNS)
    + ", updated_by = current_user WHERE id = %(old_id)s"
)  # fmt: skip


def _lexeme(variant: str, weight: str | None) -> str:
    """A variant as a tsquery: its words, each at the start of a word (the last one
    whole, when the matcher matches it whole), all present (a superset of the phrase)."""
    tokens = variant.split()
    parts = []
    for i, token in enumerate(tokens):
        last = i == len(tokens) - 1
        star = "" if last and whole_words_only(variant) else "*"
        parts.append(f"'{token}':{star}{weight or ''}")
    return "(" + " & ".join(parts) + ")"


def match_query(matcher: Matcher) -> str:
    """A tsquery whose matches include every fact the matcher accepts ("" when the
    query gives no words the index can narrow by): a group is used only when each
    of its variants is made of words as :func:`words` splits them."""
    parts = []
    for field, groups in (
        ("text", [v for _, v in matcher.terms]),
        ("who", matcher.who),
        ("what", matcher.what),
        ("cited", matcher.source),
    ):
        for group in groups:
            if not group or not all(_SAFE_TOKEN.match(v) for v in group):
                continue
            parts.append("(" + " | ".join(_lexeme(v, FIELDS[field]) for v in group) + ")")
    return " & ".join(parts)


def pool_groups(groups: Sequence[Sequence[str]]) -> list[tuple[str, list[list[tuple[str, str]]]]]:
    """Each group of spellings of a question's words as a tsquery for any of them, and
    each spelling as the ranges of ``factcli_words`` its words stand for (a word start:
    every word from it; a whole word: that word alone), to count the facts it may
    match. Spellings the index does not split as the matcher does are left out, and
    so is a group with none left."""
    found = []
    for group in groups:
        variants = list(dict.fromkeys(v for v in group if _SAFE_TOKEN.match(v)))
        if not variants:
            continue
        ranges = []
        for variant in variants:
            tokens = variant.split()
            whole_last = whole_words_only(variant)
            ranges.append(
                [
                    (t, t + ("\x01" if whole_last and i == len(tokens) - 1 else "\U0010ffff"))
                    for i, t in enumerate(tokens)
                ]
            )
        found.append((" | ".join(_lexeme(v, None) for v in variants), ranges))
    return found


def rarity(facts: int, matching: int) -> int:
    """A group's weight in `ask`'s pool: BM25's inverse document frequency of a word
    that ``matching`` of ``facts`` facts hold, in thousandths (whole numbers: a sum
    compares exactly, on every machine)."""
    import math

    matching = min(max(matching, 0), facts)
    return round(1000 * math.log(1 + (facts - matching + 0.5) / (matching + 0.5)))
