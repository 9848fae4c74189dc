"""Facts in SQLite tables: the layout and the queries that the JSON file's derived
index (:mod:`factcli.store.jsonfile.index`) and the SQLite file backend
(:mod:`factcli.store.sqlitefile`) share.

A fact is one row of ``facts`` (its stored document, and the columns it is sorted
and filtered by), its countries and tags in their own tables, and its text in an
FTS5 table with the tokenisation the matcher uses. The queries propose candidates:
every one is re-checked by :class:`~factcli.query.Matcher`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from factcli.model import Fact
from factcli.query import Matcher, cited_text, haystack, id_key, whole_words_only
from factcli.store.base import canonical_json
from factcli.text import normalise

BATCH = 5_000
_SAFE_TOKEN = re.compile(r"^[^\W_]+( [^\W_]+)*$")  # what FTS5's unicode61 tokenizes as Python does

FACT_TABLES = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE facts(
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    doc TEXT NOT NULL,
    undated INTEGER NOT NULL,
    when_start TEXT,
    when_end TEXT,
    id_head TEXT NOT NULL,
    id_num INTEGER NOT NULL,
    who_key TEXT NOT NULL,
    ident TEXT NOT NULL,
    created TEXT NOT NULL
);
CREATE INDEX facts_by_when ON facts(undated, when_start, when_end, id_head, id_num);
CREATE INDEX facts_by_end ON facts(when_end);
CREATE INDEX facts_by_id ON facts(id_head, id_num);
CREATE TABLE fact_country(code TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY(code, fact)) WITHOUT ROWID;
CREATE TABLE fact_tag(tag TEXT NOT NULL, fact INTEGER NOT NULL, PRIMARY KEY(tag, fact)) WITHOUT ROWID;
CREATE VIRTUAL TABLE fts USING fts5(text, who, what, cited, tokenize='unicode61 remove_diacritics 0');
"""

ORDER_BY = {
    "when": "undated, when_start, when_end, id_head, id_num",
    "-when": "undated, when_start DESC, when_end DESC, id_head, id_num",
    "who": "who_key, id_head, id_num",
    "created": "created, id_head, id_num",
    "id": "id_head, id_num",
}


class DamagedRow(ValueError):
    """A stored document that does not match its checksum (a damaged page or a hand edit)."""


def _checksum(body: str) -> str:
    import hashlib

    return hashlib.blake2b(body.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def stored_text(doc: dict[str, Any]) -> str:
    """A document as the ``doc`` column holds it: 16 hex digits of checksum, then its JSON
    (so damage that leaves valid JSON is still found, and never answered from)."""
    body = canonical_json(doc)
    return _checksum(body) + body


def parse_doc(text: str) -> dict[str, Any]:
    """The document of a ``doc`` column; DamagedRow if it does not match its checksum."""
    body = text[16:]
    if _checksum(body) != text[:16]:
        raise DamagedRow("a stored fact does not match its checksum")
    return json.loads(body)


def identity_key(identity: tuple[Any, ...]) -> str:
    """A fact's identity (:meth:`Fact.identity`) as a short key, to find duplicates by index."""
    import hashlib

    text = canonical_json(identity)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def fact_rows(doc: dict[str, Any], fact: Fact) -> tuple[tuple[Any, ...], tuple[str, str, str, str]]:
    head, num = id_key(fact.id)
    who, what = normalise(fact.who), normalise(fact.what)
    identity = (who, what, fact.when.text if fact.when else "", tuple(sorted(fact.country)))
    row = (
        fact.id,
        stored_text(doc),
        0 if fact.when else 1,
        fact.when.start if fact.when else None,
        fact.when.end if fact.when else None,
        head,
        num,
        who,
        identity_key(identity),
        fact.created,
    )
    return row, (haystack(fact), who, what, cited_text(fact))


def get(conn: sqlite3.Connection, fact_id: str) -> Fact | None:
    row = conn.execute("SELECT doc FROM facts WHERE id = ?", (fact_id,)).fetchone()
    return Fact.from_stored(parse_doc(row[0])) if row else None


MAX_PARAMETERS = 500  # values bound in one IN (...): well below SQLite's limit on every build


def ids(conn: sqlite3.Connection, wanted_ids: Iterable[str]) -> set[str]:
    return {r[0] for r in rows_where(conn, "id", "id", list(wanted_ids))}


def rows_where(conn: sqlite3.Connection, column: str, columns: str, values: list[str]) -> list[tuple[Any, ...]]:
    """The ``columns`` of the facts rows whose ``column`` is one of ``values`` (names of
    ours, never text from outside), in rowid order, MAX_PARAMETERS values a query."""
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(values), MAX_PARAMETERS):
        chunk = values[start : start + MAX_PARAMETERS]
        marks = ",".join("?" * len(chunk))
        rows += conn.execute(f"SELECT {columns} FROM facts WHERE {column} IN ({marks}) ORDER BY rowid", chunk)
    return rows


def candidates(conn: sqlite3.Connection, matcher: Matcher) -> Iterator[Fact]:
    """Facts that may match, in the query's order: a superset that the matcher narrows."""
    query = matcher.query
    where: list[str] = []
    params: list[Any] = []
    if query.has_dates:
        where.append("undated = 0 AND when_start <= ? AND when_end >= ?")
        params += [query.date_to, query.date_from]
    if query.any_of and query.country:  # any of them (--any); else each (the NOT terms: the matcher)
        where.append(f"rowid IN (SELECT fact FROM fact_country WHERE code IN ({','.join('?' * len(query.country))}))")
        params += list(query.country)
    else:
        for code in query.country:
            where.append("rowid IN (SELECT fact FROM fact_country WHERE code = ?)")
            params.append(code)
    tags = sorted(matcher.tags)
    if query.any_of and tags:
        where.append(f"rowid IN (SELECT fact FROM fact_tag WHERE tag IN ({','.join('?' * len(tags))}))")
        params += tags
    else:
        for tag in tags:
            where.append("rowid IN (SELECT fact FROM fact_tag WHERE tag = ?)")
            params.append(tag)
    expression = _match_expression(matcher)
    if expression:
        where.append("rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)")
        params.append(expression)
    sql = "SELECT doc FROM facts"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY " + ORDER_BY.get(query.sort, ORDER_BY["id"])
    for (doc,) in conn.execute(sql, params):
        yield Fact.from_stored(parse_doc(doc))


def matching(conn: sqlite3.Connection, matcher: Matcher) -> Iterator[Fact]:
    """The facts ``matcher`` accepts, in the query's order: every candidate re-checked."""
    for fact in candidates(conn, matcher):
        if matcher(fact):
            yield fact


def pool(conn: sqlite3.Connection, groups: Sequence[Sequence[str]], limit: int) -> list[Fact]:
    """The ``limit`` facts that share most with the groups of spellings (FTS5's
    BM25 over any of them), in id order (the order facts were added, as a file
    read whole gives them): what `ask` reads in a large database."""
    alternatives = [_fts_phrase(v) for group in groups for v in group if _SAFE_TOKEN.match(v)]
    if not alternatives:
        return []
    expression = "text : (" + " OR ".join(dict.fromkeys(alternatives)) + ")"
    rows = conn.execute(
        "SELECT facts.doc FROM (SELECT rowid FROM fts WHERE fts MATCH ? ORDER BY rank, rowid LIMIT ?) AS best"
        " JOIN facts ON facts.rowid = best.rowid ORDER BY facts.id_head, facts.id_num",
        (expression, limit),
    )
    return [Fact.from_stored(parse_doc(doc)) for (doc,) in rows]


def vocabulary(conn: sqlite3.Connection, words: Iterable[str]) -> set[str]:
    """Indexed words that share their first two letters with the given ones."""
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, 'fts', 'row')")
    found: set[str] = set()
    for word in words:
        head = word[:2]
        if head:
            rows = conn.execute("SELECT term FROM vocab WHERE term >= ? AND term < ?", (head, head + "\U0010ffff"))
            found.update(r[0] for r in rows)
    return found


def insert_fact(conn: sqlite3.Connection, doc: dict[str, Any], fact: Fact, rowid: int | None = None) -> int:
    """Store one fact in every table (at ``rowid``, to keep a replaced fact's place; else
    past the largest); its rowid."""
    if rowid is None:
        rowid = next_rowid(conn)
    _store(conn, [(rowid, doc, fact)])
    return rowid


def insert_many(conn: sqlite3.Connection, pairs: Sequence[tuple[dict[str, Any], Fact]]) -> None:
    """Store new facts in every table, one statement a table for all of them, the rowids
    following the largest (the caller holds the write lock)."""
    if pairs:
        _store(conn, [(rowid, doc, fact) for rowid, (doc, fact) in enumerate(pairs, next_rowid(conn))])


def next_rowid(conn: sqlite3.Connection) -> int:
    """The rowid a new fact takes: one past the largest stored."""
    (last,) = conn.execute("SELECT coalesce(max(rowid), 0) FROM facts").fetchone()
    return last + 1


def _store(conn: sqlite3.Connection, placed: Sequence[tuple[int, dict[str, Any], Fact]]) -> None:
    """The rows of facts at their rowids, in the facts table, the country and tag tables and FTS5."""
    fact_rows_, texts, countries, tags = [], [], [], []
    for rowid, doc, fact in placed:
        row, text = fact_rows(doc, fact)
        fact_rows_.append((rowid, *row))
        texts.append((rowid, *text))
        countries += [(c, rowid) for c in fact.country]
        tags += [(normalise(t), rowid) for t in fact.tags]
    conn.executemany(
        "INSERT INTO facts(rowid, id, doc, undated, when_start, when_end, id_head, id_num, who_key, ident, created)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        fact_rows_,
    )
    conn.executemany("INSERT OR IGNORE INTO fact_country(code, fact) VALUES (?, ?)", countries)
    conn.executemany("INSERT OR IGNORE INTO fact_tag(tag, fact) VALUES (?, ?)", tags)
    conn.executemany("INSERT INTO fts(rowid, text, who, what, cited) VALUES (?, ?, ?, ?, ?)", texts)


def insert_facts(conn: sqlite3.Connection, docs: Iterable[dict[str, Any]], progress: Any = None) -> None:
    """Store documents (malformed ones raise ValueError), reporting progress per batch."""
    batch: list[tuple[dict[str, Any], Fact]] = []

    def flush() -> None:
        insert_many(conn, batch)
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for doc in docs:
        try:
            batch.append((doc, Fact.from_stored(doc)))
        except (KeyError, TypeError, AttributeError) as exc:
            raise ValueError(f"malformed fact: {exc}") from None
        if len(batch) >= BATCH:
            flush()
    flush()


def delete_fact(conn: sqlite3.Connection, fact_id: str) -> int | None:
    """Remove a fact's rows from every table; the rowid it had (None: no fact has that id)."""
    hit = conn.execute("SELECT rowid, doc FROM facts WHERE id = ?", (fact_id,)).fetchone()
    if not hit:
        return None
    rowid, doc = hit
    old_fact = Fact.from_stored(parse_doc(doc))
    # by primary key, from the stored document: a delete by `fact` alone scans the table
    conn.executemany("DELETE FROM fact_country WHERE code = ? AND fact = ?", [(c, rowid) for c in old_fact.country])
    conn.executemany("DELETE FROM fact_tag WHERE tag = ? AND fact = ?", [(normalise(t), rowid) for t in old_fact.tags])
    conn.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
    conn.execute("DELETE FROM facts WHERE rowid = ?", (rowid,))
    return rowid


def _fts_phrase(variant: str) -> str:
    return f'"{variant}"' + ("" if whole_words_only(variant) else " *")


def _match_expression(matcher: Matcher) -> str:
    """An FTS5 query whose matches include every fact the matcher accepts.

    A group of variants is used only when each variant tokenizes the same way in
    SQLite as in Python; otherwise the group does not narrow the candidates.
    """
    parts = []
    columns = [
        ("text", [v for _, v in matcher.terms]),
        ("who", matcher.who),
        ("what", matcher.what),
        ("cited", matcher.source),
    ]
    for column, groups in columns:
        for group in groups:
            if not group or not all(_SAFE_TOKEN.match(v) for v in group):
                continue
            alternatives = " OR ".join(_fts_phrase(v) for v in group)
            parts.append(f"{column} : ({alternatives})")
    return " AND ".join(parts)
