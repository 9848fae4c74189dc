"""The PostgreSQL backend: a factcli database in a PostgreSQL server, for a team.

Reads see one state of the database (one REPEATABLE READ, READ ONLY transaction
for the life of the object). A write is one transaction that first locks the
database's counter row, so writers from any number of processes and machines take
turns and none is lost; it changes the rows it touches. A query proposes candidates
from the indexes of :mod:`.tables` and :class:`~factcli.query.Matcher` re-checks
every one: every command answers as on a JSON file.

The schema is made by ``factcli init``, never by a read or a write; a schema newer
than this client, or text rules other than its own, is refused with exit 3 (one
person's upgrade must not lock others out unseen, nor an old client write into a
new schema). The password of a URL is never shown: the location is kept redacted.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

from factcli.errors import DatabaseUnreadable, InvalidInput, WriteFailed
from factcli.layout import MARKER, SCHEMA
from factcli.model import Fact
from factcli.query import Matcher
from factcli.store.base import Backend, SortKey, T, committed, register
from factcli.store.rowbackend import RowBackend
from factcli.store.postgres import is_postgres_url, redacted, tables
from factcli.store.postgres.writer import PostgresWriter
from factcli.store.sqlfacts import parse_doc

try:
    import psycopg
except ImportError:  # the extra is not installed: said when a postgresql:// database is opened
    psycopg = None  # type: ignore[assignment]

CONNECT_TIMEOUT = 5  # seconds (FACTCLI_PG_TIMEOUT, or connect_timeout in the URL, sets another)
COMPLETION_TIMEOUT = 1  # a TAB press must not hang on an unreachable server
LOCK_TIMEOUT = "60s"  # how long a writer waits for another
POOL_ABOVE = 5_000  # as the SQLite file: above this many facts `ask` reads a pool
POOL_READ = 50_000  # how many facts the pool's rarest groups may hold before more groups are read


def _need_driver() -> None:
    if psycopg is None:
        raise InvalidInput(
            "a PostgreSQL database needs the postgres extra: pip install 'factcli[postgres]' (psycopg 3)"
        )


class PostgresBackend(RowBackend):
    """A factcli database in a PostgreSQL server."""

    kind = "PostgreSQL"
    streams_imports = True

    def __init__(self, location: str, **options: Any) -> None:
        _need_driver()
        self._url = location
        super().__init__(redacted(location), **options)

    @classmethod
    def serves(cls, location: str) -> bool:
        return is_postgres_url(location)

    def reopened(self) -> Backend:
        return type(self)(self._url, id_prefix=self.id_prefix, user_file=self.user_file, progress=self.progress)

    # -- connections -----------------------------------------------------
    def _connect(self) -> psycopg.Connection:
        import os

        timeout = os.environ.get("FACTCLI_PG_TIMEOUT") or str(
            COMPLETION_TIMEOUT if os.environ.get("_FACTCLI_COMPLETE") else CONNECT_TIMEOUT
        )
        extra = {} if "connect_timeout" in self._url else {"connect_timeout": timeout}
        try:
            return psycopg.connect(self._url, application_name="factcli", **extra)
        except psycopg.Error as exc:
            raise DatabaseUnreadable(f"cannot connect to {self.location}: {_first_line(exc)}") from None

    @cached_property
    def _reader(self) -> psycopg.Connection:
        conn = self._connect()
        try:
            conn.read_only = True
            conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        except psycopg.Error as exc:
            conn.close()
            raise DatabaseUnreadable(f"cannot read {self.location}: {_first_line(exc)}") from None
        return conn

    def close(self) -> None:
        self.__dict__.pop("_counted", None)  # (what the snapshot of the closed reader held)
        conn = self.__dict__.pop("_reader", None)
        if conn is not None:
            conn.close()

    @contextmanager
    def _reading(self) -> Iterator[psycopg.Connection]:
        try:
            yield self._reader
        except psycopg.Error as exc:
            raise DatabaseUnreadable(f"cannot read {self.location}: {_first_line(exc)}") from None
        except (ValueError, KeyError, TypeError) as exc:  # a stored document that is damaged
            raise DatabaseUnreadable(f"{self.location} is damaged ({exc})") from None

    @cached_property
    def _meta(self) -> dict[str, str] | None:
        """The meta table (None: no factcli schema in this database)."""
        with self._reading() as conn:
            present = conn.execute("SELECT to_regclass('factcli_meta') IS NOT NULL").fetchone()[0]
            if not present:
                return None
            return dict(conn.execute("SELECT key, value FROM factcli_meta").fetchall())

    def _checked_meta(self, meta: dict[str, str] | None, *, writing: bool) -> dict[str, str]:
        if meta is None:
            raise DatabaseUnreadable(f"no factcli database at {self.location} (make one with: factcli init)")
        if meta.get("format") != MARKER:
            raise DatabaseUnreadable(f"{self.location} holds factcli_ tables of another program; not read or changed")
        storage, schema = meta.get("storage", ""), meta.get("schema", "")
        if (storage, schema) != (tables.STORAGE, str(SCHEMA)):
            newer = (int(storage or 0), int(schema or 0)) > (int(tables.STORAGE), SCHEMA)
            raise DatabaseUnreadable(
                f"{self.location} has schema {schema} (storage {storage}); this factcli knows {SCHEMA} "
                f"(storage {tables.STORAGE}): " + ("upgrade factcli" if newer else "run: factcli migrate")
            )
        if writing and meta.get("text_rules") != tables.TEXT_RULES:
            raise DatabaseUnreadable(
                f"{self.location} indexes text by rules {meta.get('text_rules')}, this factcli by "
                f"{tables.TEXT_RULES}: its writes would index differently (use the factcli that made it, "
                "or re-index for this one: factcli migrate)"
            )
        return meta

    @property
    def _indexed(self) -> bool:
        """Whether the stored words were made by this client's rules (else the index is not used)."""
        return (self._meta or {}).get("text_rules") == tables.TEXT_RULES

    # -- state -----------------------------------------------------------
    def exists(self) -> bool:
        return self._meta is not None

    def must_exist(self) -> None:
        self._checked_meta(self._meta, writing=False)

    def revision(self) -> str:
        meta = self._meta
        if meta is None:
            return ""
        return f"pg:{meta.get('database')}:{meta.get('revision')}"

    def settled(self) -> bool:
        return True  # a counter every write's transaction raises

    def description(self) -> str:
        return f"{self.kind} server" if self.exists() else f"{self.kind} server (no factcli schema yet: factcli init)"

    # -- reading ---------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self._meta is None:
            return []
        self.must_exist()
        with self._reading() as conn:
            return conn.execute(sql, params).fetchall()

    def count(self) -> int:
        if "_counted" not in self.__dict__:  # once per reader: its snapshot does not change
            rows = self._rows("SELECT count(*) FROM factcli_facts")
            self.__dict__["_counted"] = rows[0][0] if rows else 0
        return self.__dict__["_counted"]

    def facts(self) -> dict[str, Fact]:
        rows = self._rows("SELECT id, doc FROM factcli_facts ORDER BY rowid")
        with self._reading():
            return {i: Fact.from_stored(parse_doc(d)) for i, d in rows}

    def get(self, fact_id: str) -> Fact | None:
        rows = self._rows("SELECT doc FROM factcli_facts WHERE id = %s", (fact_id,))
        with self._reading():
            return Fact.from_stored(parse_doc(rows[0][0])) if rows else None

    def stored_ids(self, among: Collection[str]) -> set[str]:
        return {r[0] for r in self._rows("SELECT id FROM factcli_facts WHERE id = ANY(%s)", (list(among),))}

    def _small(self, table: str) -> list[dict[str, Any]]:
        rows = self._rows("SELECT doc FROM factcli_small WHERE tbl = %s ORDER BY pos", (table,))
        return [json.loads(d) for (d,) in rows]

    def _meta_values(self) -> dict[str, str]:
        return self._checked_meta(self._meta, writing=False)

    def _fact_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        self.must_exist()
        with self._reading() as conn:
            with conn.cursor(name=f"factcli_{uuid.uuid4().hex}") as cur:  # streamed from the server
                cur.itersize = 2_000
                cur.execute("SELECT rowid, doc FROM factcli_facts ORDER BY rowid")
                for rowid, doc in cur:
                    yield rowid, parse_doc(doc)

    def _history_rows(self) -> list[tuple[int, dict[str, Any]]]:
        return [(s, json.loads(d)) for s, d in self._rows("SELECT seq, doc FROM factcli_history ORDER BY seq")]

    def matches(self, matcher: Matcher, key: SortKey, texts: dict[str, str] | None) -> Iterable[Fact]:
        if self._meta is None:
            return []
        self.must_exist()
        stream = (f for f in self._candidates(matcher) if matcher(f))
        return sorted(stream, key=key) if matcher.query.sort == "fit" else stream

    def _candidates(self, matcher: Matcher) -> Iterator[Fact]:
        """Facts that may match, in the query's order: a superset the matcher narrows."""
        query = matcher.query
        where: list[str] = []
        params: list[Any] = []
        if query.has_dates:
            where.append("NOT undated AND when_start <= %s AND when_end >= %s")
            params += [query.date_to, query.date_from]
        if query.country:
            where.append("countries && %s" if query.any_of else "countries @> %s")
            params.append(list(query.country))
        tags = sorted(matcher.tags)
        if tags:
            where.append("tags && %s" if query.any_of else "tags @> %s")
            params.append(tags)
        expression = tables.match_query(matcher) if self._indexed else ""
        if expression:
            where.append("(NOT words_whole OR words @@ %s::tsquery)")
            params.append(expression)
        sql = "SELECT doc FROM factcli_facts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY " + tables.ORDER_BY.get(query.sort, tables.ORDER_BY["id"])
        with self._reading() as conn:
            with conn.cursor(name=f"factcli_{uuid.uuid4().hex}") as cur:  # streamed from the server
                cur.itersize = 2_000
                cur.execute(sql, params)
                for (doc,) in cur:
                    yield Fact.from_stored(parse_doc(doc))

    def search_texts(self) -> dict[str, str] | None:
        return None  # the server's indexes: nothing to cache

    def pooled(self) -> bool:
        return self._indexed and self.count() > POOL_ABOVE

    def pool(self, groups: Sequence[Sequence[str]], limit: int) -> list[Fact]:
        """The ``limit`` facts whose words weigh most: each group of spellings a fact
        holds adds its :func:`~.tables.rarity` (ties: the older fact), in id order. A
        group's rarity is estimated from the vocabulary table (its spellings' counts added
        up), but the ranking by those weights is exact.

        Found without ranking every fact that holds a common word: the groups are read
        rarest first, as few as give ``limit`` facts that outweigh any fact holding only
        the groups not read (the "max score" rule of search engines: exact, not a guess).
        A question of common words alone ranks every fact that holds one."""
        if not self.pooled():
            return list(self.facts().values())
        parts = tables.pool_groups(groups)
        if not parts or limit <= 0:
            return []
        chosen = self._best_rowids(parts, self.count(), limit)
        rows = self._rows("SELECT doc FROM factcli_facts WHERE rowid = ANY(%s) ORDER BY id_head, id_num", (chosen,))
        with self._reading():
            return [Fact.from_stored(parse_doc(d)) for (d,) in rows]

    def _best_rowids(self, parts: list[tuple[str, list[list[tuple[str, str]]]]], total: int, limit: int) -> list[int]:
        matching = self._group_counts([ranges for _, ranges in parts])
        weights = [tables.rarity(total, n) for n in matching]
        order = sorted(range(len(parts)), key=lambda i: (matching[i], i))  # rarest first
        queries = [query for query, _ in parts]
        score = " + ".join("(CASE WHEN words @@ %s::tsquery THEN %s::int ELSE 0 END)" for _ in queries)
        weighed = [value for pair in zip(queries, weights) for value in pair]
        read = 0
        while True:
            read += 1  # and more, while the facts they may match stay few
            while read < len(order) and sum(matching[i] for i in order[: read + 1]) <= POOL_READ:
                read += 1
            if read > 1 and sum(matching[i] for i in order[:read]) > POOL_READ:
                read = len(order)  # past the few: one more pass, over every group, not one a pass
            wanted = " | ".join(f"({queries[i]})" for i in order[:read])
            rows = self._rows(
                f"SELECT rowid, {score} AS score FROM factcli_facts WHERE words @@ %s::tsquery"
                " ORDER BY score DESC, rowid LIMIT %s",
                (*weighed, wanted, limit),
            )
            unread = sum(weights[i] for i in order[read:])  # the most a fact outside these can weigh
            if read == len(order) or (len(rows) == limit and rows[-1][1] > unread):
                return [rowid for rowid, _ in rows]

    def _group_counts(self, groups: list[list[list[tuple[str, str]]]]) -> list[int]:
        """For each group, how many facts may hold it: the facts of its spellings added
        up (a spelling of several words: its rarest word's), from the vocabulary table."""
        lows = [low for group in groups for variant in group for low, _ in variant]
        highs = [high for group in groups for variant in group for _, high in variant]
        rows = self._rows(
            "SELECT coalesce(sum(w.facts), 0) FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS t(low, high, n)"
            " LEFT JOIN factcli_words AS w ON w.word >= t.low AND w.word < t.high GROUP BY t.n ORDER BY t.n",
            (lows, highs),
        )
        counts = iter(int(r[0]) for r in rows)
        return [sum(min(next(counts) for _ in variant) for variant in group) for group in groups]

    def vocabulary(self, words: list[str], texts: dict[str, str] | None) -> set[str]:
        heads = sorted({w[:2] for w in words if w[:2]})
        if not heads or not self._indexed:
            return set()
        found: set[str] = set()
        for head in heads:
            rows = self._rows(
                "SELECT word FROM factcli_words WHERE word >= %s AND word < %s AND facts > 0",
                (head, head + "\U0010ffff"),
            )
            found.update(r[0] for r in rows)
        return found

    # -- making the schema -------------------------------------------------
    def init(self) -> bool:
        """Make the factcli tables in this database; False when they are there already."""
        self.close()
        with self._writing() as conn:
            if conn.execute("SELECT to_regclass('factcli_meta') IS NOT NULL").fetchone()[0]:
                self._checked_meta(dict(conn.execute("SELECT key, value FROM factcli_meta").fetchall()), writing=False)
                return False
            self._make_tables(conn)
            conn.commit()
            committed()
            return True

    def _make_tables(self, conn: psycopg.Connection) -> None:
        for statement in tables.TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        rows = [
            ("format", MARKER),
            ("schema", str(SCHEMA)),
            ("storage", tables.STORAGE),
            ("text_rules", tables.TEXT_RULES),
            ("id_prefix", self.id_prefix),
            ("next_id", "1"),
            ("revision", "0"),
            ("database", uuid.uuid4().hex),
        ]
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO factcli_meta(key, value) VALUES (%s, %s)", rows)

    @contextmanager
    def _writing(self) -> Iterator[psycopg.Connection]:
        """A connection for one write transaction; any error rolls it back, and is one line."""
        conn = self._connect()
        try:
            conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            yield conn
        except psycopg.Error as exc:
            _rollback(conn)
            raise _write_failed(self.location, exc) from None
        except BaseException:
            _rollback(conn)
            raise
        finally:
            conn.close()

    def migrate(self) -> str:
        """Bring the database to this client's schema and text rules (re-indexing every
        fact's words when the rules differ), in one transaction; what was done."""
        self.close()
        with self._writing() as conn:
            present = conn.execute("SELECT to_regclass('factcli_meta') IS NOT NULL").fetchone()[0]
            if not present:
                self._checked_meta(None, writing=False)
            conn.execute("SELECT value FROM factcli_meta WHERE key = 'next_id' FOR UPDATE")
            meta = dict(conn.execute("SELECT key, value FROM factcli_meta").fetchall())
            if (meta.get("storage"), meta.get("schema")) != (tables.STORAGE, str(SCHEMA)):
                self._checked_meta(meta, writing=False)  # newer: upgrade factcli
                raise DatabaseUnreadable(
                    f"{self.location} has storage {meta.get('storage')}, schema {meta.get('schema')}: "
                    "this factcli has no migration from it"
                )
            if meta.get("text_rules") == tables.TEXT_RULES:
                return f"{self.location} is up to date (schema {SCHEMA}, storage {tables.STORAGE}, text rules {tables.TEXT_RULES})"
            count = 0
            conn.execute("DELETE FROM factcli_words")  # counted again, by this client's rules
            for fact_id, doc in conn.execute("SELECT id, doc FROM factcli_facts").fetchall():
                fact = Fact.from_stored(parse_doc(doc))
                text, whole = tables.words(fact)
                conn.execute(
                    "UPDATE factcli_facts SET words = %s::tsvector, words_whole = %s WHERE id = %s",
                    (text, whole, fact_id),
                )
                tables.count_words(conn, [text], 1)
                count += 1
            conn.execute("UPDATE factcli_meta SET value = %s WHERE key = 'text_rules'", (tables.TEXT_RULES,))
            conn.execute("UPDATE factcli_meta SET value = (value::bigint + 1)::text WHERE key = 'revision'")
            conn.commit()
            committed()
            return f"re-indexed {count} fact(s) in {self.location} by text rules {tables.TEXT_RULES} (from {meta.get('text_rules')})"

    # -- writing ---------------------------------------------------------
    def write(self, base: Backend | None, change: Callable[[PostgresWriter], T], commit: bool = True) -> T:
        """One transaction: the counter row locked first (writers take turns), ``change``
        run on a writer, committed whole, or rolled back on any error or for a dry run."""
        self.close()
        with self._writing() as conn:
            present = conn.execute("SELECT to_regclass('factcli_meta') IS NOT NULL").fetchone()[0]
            meta = dict(conn.execute("SELECT key, value FROM factcli_meta").fetchall()) if present else None
            self._checked_meta(meta, writing=True)
            conn.execute("SELECT value FROM factcli_meta WHERE key = 'next_id' FOR UPDATE")
            tx = PostgresWriter(conn, base, self.location)
            try:
                result = change(tx)
                tx.finish()
            except ValueError as exc:  # a stored document that is damaged (its checksum, its JSON)
                raise DatabaseUnreadable(f"{self.location} is damaged ({exc}); nothing was written") from None
            if commit:
                conn.commit()
                committed()
            else:
                conn.rollback()
            return result

    # -- copying ---------------------------------------------------------
    def restore(self, records: Iterable[tuple[str, dict[str, Any]]], progress: Callable[[int], None]) -> int:
        if self.exists():
            raise InvalidInput(f"{self.location} has a factcli database: a copy makes a new one (name another)")
        self.close()
        with self._writing() as conn:
            self._make_tables(conn)
            facts = PostgresWriter(conn, None, self.location).load(records, progress)
            conn.commit()
            committed()
        return facts


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _rollback(conn: psycopg.Connection) -> None:
    try:
        conn.rollback()
    except psycopg.Error:
        pass  # the connection is gone: the server rolled the transaction back


def _write_failed(location: str, exc: psycopg.Error) -> WriteFailed:
    state = getattr(exc, "sqlstate", None) or ""
    if state == "25006" or state == "42501":  # read-only transaction; insufficient privilege
        why = "this role may not write to it"
    elif state == "55P03":
        why = f"another command held it for {LOCK_TIMEOUT}"
    elif isinstance(exc, psycopg.OperationalError):
        why = f"the connection was lost ({_first_line(exc)})"
    else:
        why = _first_line(exc)
    return WriteFailed(f"cannot write {location}: {why}; nothing was written")


register(PostgresBackend)
