"""A derived SQLite index of a large database file, in the user cache directory.

The JSON file stays the single source of truth. The index only answers "which
facts could match, in which order": every candidate is checked again by the same
:class:`~factcli.query.Matcher` the in-memory path uses, so a query gives exactly
the same answer with or without it.

Trust: the index records the identity of the file it was built from (device,
inode, size, mtime_ns, ctime_ns — every atomic replace makes a new inode) and of
the code that built it. A reader compares that identity with the file inside one
SQLite read transaction and uses the index only when they are equal; otherwise
the index is rebuilt. factcli's own writes update the index in place, in one
SQLite transaction, only if it matched the file they replaced; a crash between
the file write and the index update leaves an index that the next command sees
as stale.

Together with store.py, this is the only module that opens files.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

from factcli.errors import DatabaseUnreadable

from factcli.model import Fact
from factcli.store.cache import derived_data_version
from factcli.files import file_digest, file_identity, racy
from factcli.query import SEARCH_TEXT_VERSION, Matcher, cited_text, haystack, id_key, whole_words_only
from factcli.text import normalise

BATCH = 5_000
_SAFE_TOKEN = re.compile(r"^[^\W_]+( [^\W_]+)*$")  # what FTS5's unicode61 tokenizes as Python does

SCHEMA = """
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


def builder() -> str:
    """What the index was derived by besides the file (:func:`derived_data_version`)."""
    return repr(
        derived_data_version(SEARCH_TEXT_VERSION, "text", "query", "countries", "model", "store.jsonfile.index")
    )


def index_path(db_path: str) -> str:
    from factcli.paths import user_dir

    key = hashlib.sha256(os.path.realpath(db_path).encode("utf-8", "surrogateescape")).hexdigest()[:24]
    return os.path.join(user_dir("cache"), f"index-{key}.sqlite3")


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _rows(doc: dict[str, Any], fact: Fact) -> tuple[tuple[Any, ...], tuple[str, str, str, str]]:
    head, num = id_key(fact.id)
    row = (
        fact.id,
        json.dumps(doc, ensure_ascii=False, sort_keys=True),
        0 if fact.when else 1,
        fact.when.start if fact.when else None,
        fact.when.end if fact.when else None,
        head,
        num,
        normalise(fact.who),
        fact.created,
    )
    return row, (haystack(fact), normalise(fact.who), normalise(fact.what), cited_text(fact))


class DerivedIndex:
    """The SQLite index derived from one JSON database file (a cache: rebuilt when the file changes)."""

    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self.path = index_path(db_path)

    # ------------------------------------------------------------ locking
    @contextmanager
    def _lock(self, wait: bool = True) -> Iterator[None]:
        """Serialises builds and in-place updates (readers need no lock). Without
        ``wait``, raises BlockingIOError when another process holds it."""
        import fcntl

        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        fd = os.open(self.path + ".lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield
        finally:
            os.close(fd)

    def _connect(self, path: str | None = None) -> sqlite3.Connection:
        conn = sqlite3.connect(path or self.path, timeout=60, isolation_level=None)
        conn.execute("PRAGMA journal_mode=DELETE")
        return conn

    # ------------------------------------------------------------ reading
    @contextmanager
    def reader(
        self, stat: os.stat_result, digest: Callable[[], str | None] | None = None
    ) -> Iterator[sqlite3.Connection | None]:
        """A connection in a read transaction, if the index matches the file; else None.
        ``digest()`` gives the file's content digest (read only if the index recorded one)."""
        digest = digest or (lambda: file_digest(self.db_path))
        if not os.path.exists(self.path):
            yield None
            return
        try:
            conn = sqlite3.connect(
                f"file:{quote(os.fsencode(self.path))}?mode=ro", uri=True, timeout=60, isolation_level=None
            )
        except sqlite3.Error:
            yield None
            return
        try:
            conn.execute("BEGIN")
            meta = dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('identity', 'builder')"))
            stored = meta.get("identity") or ""
            settle = "+" in stored and not racy(stat)  # decided before the content is read
            fresh = meta.get("builder") == builder() and identity_matches(stored, stat, digest)
        except sqlite3.Error:  # not an index we can read: as if there were none (it is rebuilt)
            conn.close()
            yield None
            return
        try:
            yield conn if fresh else None
        except (sqlite3.Error, ValueError, OverflowError, KeyError, TypeError) as exc:
            # An error while the index was being read (a damaged page or row): never a
            # traceback, and never this index again (the connection closes below).
            self.discard()
            raise DatabaseUnreadable(
                f"the search index of {self.db_path} was damaged ({type(exc).__name__}) and has been removed; run the command again (the index is rebuilt from the file)"
            ) from None
        finally:
            conn.close()
        if fresh and settle:  # after the read transaction: settling writes to the index
            self._settle(stored, stat)

    def _settle(self, stored: str, stat: os.stat_result) -> None:
        """A racy identity whose content was just checked, now that the file's mtime is old
        enough, is stored plain: later readers need not read the file to trust it."""
        try:
            with self._lock(wait=False):  # a build or update is running: leave it to the next reader
                conn = self._connect()
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    conn.execute(
                        "UPDATE meta SET value = ? WHERE key = 'identity' AND value = ?", (file_identity(stat), stored)
                    )
                    conn.execute("COMMIT")
                finally:
                    conn.close()
        except (OSError, sqlite3.Error):
            pass  # it stays racy: the next reader checks the content again

    def discard(self) -> None:
        """Remove this index file (and its journal files): the next read rebuilds it."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(self.path + suffix)
            except OSError:
                pass

    @staticmethod
    def tables(conn: sqlite3.Connection) -> dict[str, Any]:
        """The small tables of the file (meta, aliases, removed), kept whole in the index."""
        (value,) = conn.execute("SELECT value FROM meta WHERE key = 'tables'").fetchone()
        return json.loads(value)

    @staticmethod
    def get(conn: sqlite3.Connection, fact_id: str) -> Fact | None:
        row = conn.execute("SELECT doc FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return Fact.from_stored(json.loads(row[0])) if row else None

    @staticmethod
    def ids(conn: sqlite3.Connection, wanted_ids: Iterable[str]) -> set[str]:
        wanted_ids = list(wanted_ids)
        found: set[str] = set()
        for start in range(0, len(wanted_ids), 500):
            chunk = wanted_ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(r[0] for r in conn.execute(f"SELECT id FROM facts WHERE id IN ({marks})", chunk))
        return found

    @staticmethod
    def candidates(conn: sqlite3.Connection, matcher: Matcher) -> Iterator[Fact]:
        """Facts that may match, in the query's order: a superset that the matcher narrows."""
        query = matcher.query
        where: list[str] = []
        params: list[Any] = []
        if query.has_dates:
            where.append("undated = 0 AND when_start <= ? AND when_end >= ?")
            params += [query.date_to, query.date_from]
        if query.any_of and query.country:  # any of them (--any); else each (the NOT terms: the matcher)
            where.append(
                f"rowid IN (SELECT fact FROM fact_country WHERE code IN ({','.join('?' * len(query.country))}))"
            )
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
            yield Fact.from_stored(json.loads(doc))

    @staticmethod
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
        return [Fact.from_stored(json.loads(doc)) for (doc,) in rows]

    @staticmethod
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

    # ------------------------------------------------------------ building
    def build(
        self,
        records: Iterable[tuple[str, str, dict[str, Any]]],
        stat: os.stat_result,
        check_small: Any,
        progress: Any = None,
        digest: Callable[[], str | None] = lambda: None,
    ) -> None:
        """Build afresh into a temp file, then move it into place (readers see old or new).

        ``records`` are (table, key, document) triples; the facts are indexed as
        they stream past, the small tables are kept whole. ``check_small`` may
        refuse them (ValueError), and any malformed document raises ValueError:
        then nothing is moved into place.
        """
        with self._lock():
            self._remove_stale_builds()  # builds hold this lock: any other temp file is a killed one's
            temp = f"{self.path}.tmp-{os.getpid()}"
            _unlink(temp)
            conn = self._connect(temp)
            small: dict[str, dict[str, Any]] = {}

            def facts() -> Iterator[dict[str, Any]]:
                for table, key, doc in records:
                    if table == "facts":
                        yield doc
                    elif table != "history":  # the journal is read from the file (`history`, `undo`)
                        small.setdefault(table, {})[key] = doc

            try:
                conn.executescript("PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF;" + SCHEMA)
                conn.execute("BEGIN")
                self._insert(conn, facts(), progress)
                for table in ("meta", "aliases", "removed"):
                    small.setdefault(table, {})
                check_small(small)
                self._set_meta(conn, small, racy_identity(stat, digest()))
                conn.execute("COMMIT")
                conn.close()
            except BaseException:
                conn.close()
                _unlink(temp)
                raise
            _unlink(self.path + "-journal")  # never let an old hot journal meet a new file
            os.replace(temp, self.path)

    def _remove_stale_builds(self) -> None:
        """Temp files of builds that were killed (each as large as the index): remove them."""
        directory, name = os.path.split(self.path)
        try:
            stale = [n for n in os.listdir(directory) if n.startswith(f"{name}.tmp-")]
        except OSError:
            return
        for n in stale:
            _unlink(os.path.join(directory, n))

    @staticmethod
    def _set_meta(conn: sqlite3.Connection, small_tables: dict[str, Any], ident: str) -> None:
        rows = [("identity", ident), ("builder", builder()), ("tables", json.dumps(small_tables, ensure_ascii=False))]
        conn.executemany("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", rows)

    @staticmethod
    def _insert(conn: sqlite3.Connection, docs: Iterable[dict[str, Any]], progress: Any = None) -> None:
        batch: list[tuple[dict[str, Any], Fact]] = []

        def flush() -> None:
            for doc, fact in batch:
                row, text = _rows(doc, fact)
                cur = conn.execute(
                    "INSERT INTO facts(id, doc, undated, when_start, when_end, id_head, id_num, who_key, created) VALUES (?,?,?,?,?,?,?,?,?)",
                    row,
                )
                rowid = cur.lastrowid
                conn.executemany(
                    "INSERT OR IGNORE INTO fact_country(code, fact) VALUES (?, ?)", [(c, rowid) for c in fact.country]
                )
                conn.executemany(
                    "INSERT OR IGNORE INTO fact_tag(tag, fact) VALUES (?, ?)",
                    [(normalise(t), rowid) for t in fact.tags],
                )
                conn.execute("INSERT INTO fts(rowid, text, who, what, cited) VALUES (?, ?, ?, ?, ?)", (rowid, *text))
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

    # ------------------------------------------------------------ updating
    def update(
        self,
        old: tuple[os.stat_result, str | None],
        new: tuple[os.stat_result, str | None],
        added: Sequence[dict[str, Any]],
        removed: Sequence[str],
        small_tables: dict[str, Any],
    ) -> bool:
        """Apply a write to the index if it was up to date with the file it replaced.
        ``old`` and ``new`` are each file's stat and the digest of its bytes.

        Returns False (and leaves the index stale) otherwise.
        """
        if not os.path.exists(self.path):
            return False
        with self._lock():
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                row = conn.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()
                if row is None or not identity_matches(row[0], old[0], lambda: old[1]):
                    conn.execute("ROLLBACK")
                    return False
                gone = list(removed) + [d["id"] for d in added]
                for fact_id in gone:
                    hit = conn.execute("SELECT rowid, doc FROM facts WHERE id = ?", (fact_id,)).fetchone()
                    if hit:
                        rowid, doc = hit
                        old_fact = Fact.from_stored(json.loads(doc))
                        # by primary key, from the stored document: a delete by `fact` alone scans the table
                        conn.executemany(
                            "DELETE FROM fact_country WHERE code = ? AND fact = ?",
                            [(c, rowid) for c in old_fact.country],
                        )
                        conn.executemany(
                            "DELETE FROM fact_tag WHERE tag = ? AND fact = ?",
                            [(normalise(t), rowid) for t in old_fact.tags],
                        )
                        conn.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
                        conn.execute("DELETE FROM facts WHERE rowid = ?", (rowid,))
                self._insert(conn, added)
                self._set_meta(conn, small_tables, racy_identity(*new))
                conn.execute("COMMIT")
                return True
            except sqlite3.Error:
                return False
            finally:
                conn.close()


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


def racy_identity(stat: os.stat_result, digest: str | None) -> str:
    """The identity an index records: the file's, and after a '+' the digest of the
    content indexed, given when the identity was racy (:func:`factcli.store.racy`)
    as the content was read."""
    plain = file_identity(stat)
    return f"{plain}+{digest}" if digest else plain


def identity_matches(stored: str, stat: os.stat_result, digest: Callable[[], str | None]) -> bool:
    """Whether an index recorded as ``stored`` describes the file whose stat is ``stat``;
    ``digest()`` gives that file's content digest, asked for only when ``stored`` has one."""
    plain, _, recorded = stored.partition("+")
    if plain != file_identity(stat):
        return False
    return not recorded or digest() == recorded


def stream_records(handle: Iterable[str]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(table, key, document) triples from a file in the layout factcli writes, one document
    in memory at a time. Raises ValueError at the first line of another layout."""
    table: str | None = None
    key = ""
    buffer: list[str] | None = None
    ended = False
    seen_keys: set[str] = set()
    for number, line in enumerate(handle, 1):
        line = line.rstrip("\n")
        if buffer is not None:
            if line in ("    }", "    },"):
                yield table, key, json.loads("{" + "".join(buffer) + "}")  # type: ignore[misc]
                buffer = None
            else:
                buffer.append(line)
            continue
        if number == 1 and line == "{":
            continue
        if table is None:
            match = re.fullmatch(r'  "(\w+)": \{(\}?),?', line)
            if match:
                table = None if match.group(2) else match.group(1)
                seen_keys = set()
                continue
            if line == "}":
                ended = True
                continue
        else:
            doc_start = re.fullmatch(r'    "(\d+)": \{', line)
            if doc_start:
                key = doc_start.group(1)
                if key in seen_keys:  # the parser would keep the last: refuse, as the parser does
                    raise ValueError(f"document key {key!r} twice in table {table!r}")
                seen_keys.add(key)
                buffer = []
                continue
            if line in ("  }", "  },"):
                table = None
                continue
        raise ValueError(f"line {number} is not in factcli's layout")
    if not ended or buffer is not None:
        raise ValueError("the file ends early")
