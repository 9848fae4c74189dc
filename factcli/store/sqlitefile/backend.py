"""The SQLite file backend: one SQLite database (stdlib sqlite3, WAL), its own index.

Facts are stored in the layout :mod:`factcli.store.sqlfacts` shares with the JSON
file's derived index (a row per fact with its document, countries and tags in
their tables, text in FTS5), so a query proposes the same candidates and
:class:`~factcli.query.Matcher` re-checks every one: every command answers as on
the JSON file. A write is one transaction (``BEGIN IMMEDIATE``): it changes the
rows it touches, not the file, so it costs the same at 100 facts or a million.

A file is this backend's when it starts with SQLite's magic, or, not made yet,
when its name ends in ``.sqlite``, ``.sqlite3`` or ``.db``. An SQLite file of
another program (no factcli marker) is refused, and never altered.
"""

from __future__ import annotations

import atexit
import json
import os
import sqlite3
import uuid
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any
from urllib.parse import quote

from factcli.errors import DatabaseUnreadable, InvalidInput, WriteFailed
from factcli.layout import MARKER, SCHEMA
from factcli.model import Fact
from factcli.query import Matcher
import factcli.store.sqlfacts as sqlfacts
from factcli.store.base import Backend, SortKey, T, committed, register
from factcli.store.rowbackend import RowBackend
from factcli.store.sqlitefile import is_sqlite_file
from factcli.store.sqlitefile.writer import SqliteWriter

STORAGE = "2"  # 2: facts found by identity (1 was never released)  # the version of this backend's tables (beside the record's SCHEMA)
OWN_TABLES = """
CREATE INDEX facts_by_identity ON facts(ident);
CREATE TABLE small(tbl TEXT NOT NULL, key TEXT NOT NULL, pos INTEGER NOT NULL, doc TEXT NOT NULL,
                   PRIMARY KEY(tbl, key)) WITHOUT ROWID;
CREATE TABLE history(seq INTEGER PRIMARY KEY, doc TEXT NOT NULL);
"""
# Above this many facts `ask` reads the ones FTS5 ranks best for the question, as it
# does through a large JSON file's index (below it, every fact: the same answers).
POOL_ABOVE = 5_000
BUSY_TIMEOUT = 60.0  # seconds a writer waits for another before giving up


class SqliteBackend(RowBackend):
    """A factcli database in one SQLite file."""

    kind = "SQLite file"
    streams_imports = True

    @classmethod
    def serves(cls, location: str) -> bool:
        return is_sqlite_file(location)

    # -- connections -----------------------------------------------------
    def _connect(self, *, read_only: bool) -> sqlite3.Connection:
        mode = "ro" if read_only else "rw"
        try:
            conn = sqlite3.connect(
                f"file:{quote(os.fsencode(self.location))}?mode={mode}",
                uri=True,
                timeout=BUSY_TIMEOUT,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise DatabaseUnreadable(f"cannot open {self.location}: {exc}") from None
        return conn

    def close(self) -> None:
        """End this object's read transaction (reads open it again if they need it)."""
        conn = self.__dict__.pop("_reader", None)
        if conn is not None:
            _OPEN.discard(conn)
            conn.close()

    @cached_property
    def _reader(self) -> sqlite3.Connection:
        """One read transaction for the life of this object: every read sees one state."""
        self.must_exist()
        conn = self._connect(read_only=not os.access(self.location, os.W_OK))
        _OPEN.add(conn)
        try:
            conn.execute("BEGIN")
            self._check_marker(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise DatabaseUnreadable(f"{self.location} is not a readable SQLite database ({exc})") from None
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        try:
            yield self._reader
        except (
            sqlite3.DatabaseError,
            ValueError,
            KeyError,
            TypeError,
        ) as exc:  # a damaged page or row, a file cut short
            raise DatabaseUnreadable(f"{self.location} is damaged ({exc})") from None

    def _check_marker(self, conn: sqlite3.Connection) -> dict[str, str]:
        """The meta table, if this is a current factcli database; else DatabaseUnreadable."""
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc) and "no such column" not in str(exc):
                raise DatabaseUnreadable(f"{self.location} cannot be read ({exc})") from None
            meta = {}  # no meta table of ours: another program's database
        except sqlite3.DatabaseError as exc:
            raise DatabaseUnreadable(f"{self.location} is damaged, or not a database ({exc})") from None
        if meta.get("format") != MARKER:
            raise DatabaseUnreadable(
                f"{self.location} is an SQLite database of another program (no factcli marker); it is not read or changed"
            )
        if meta.get("storage") != STORAGE or meta.get("schema") != str(SCHEMA):
            raise DatabaseUnreadable(
                f"{self.location} is in a layout this factcli does not know (storage {meta.get('storage')}, "
                f"schema {meta.get('schema')}); a newer factcli made it: upgrade factcli"
            )
        return meta

    @cached_property
    def _meta(self) -> dict[str, str]:
        with self._reading() as conn:
            return dict(conn.execute("SELECT key, value FROM meta"))

    # -- state -----------------------------------------------------------
    def exists(self) -> bool:
        return os.path.exists(self.location)

    def must_exist(self) -> None:
        if not self.exists() and not self.user_file:  # a user's own database is made by its first write
            raise DatabaseUnreadable(f"no database at {self.location} (adding a fact to it creates one)")

    def revision(self) -> str:
        if not self.exists():
            return ""
        return f"sqlite:{self._meta['database']}:{self._meta['revision']}"

    def settled(self) -> bool:
        return True  # the revision is a counter every write's transaction raises, not a clock

    def description(self) -> str:
        return self.kind if self.exists() else f"{self.kind} (not made yet)"

    # -- reading ---------------------------------------------------------
    def count(self) -> int:
        if not self.exists():
            return 0
        with self._reading() as conn:
            return conn.execute("SELECT count(*) FROM facts").fetchone()[0]

    def facts(self) -> dict[str, Fact]:
        if not self.exists():
            return {}
        with self._reading() as conn:
            return {
                i: Fact.from_stored(sqlfacts.parse_doc(d))
                for i, d in conn.execute("SELECT id, doc FROM facts ORDER BY rowid")
            }

    def get(self, fact_id: str) -> Fact | None:
        if not self.exists():
            return None
        with self._reading() as conn:
            return sqlfacts.get(conn, fact_id)

    def stored_ids(self, among: Collection[str]) -> set[str]:
        if not self.exists():
            return set()
        with self._reading() as conn:
            return sqlfacts.ids(conn, among)

    def _small(self, table: str) -> list[dict[str, Any]]:
        if not self.exists():
            return []
        with self._reading() as conn:
            rows = conn.execute("SELECT doc FROM small WHERE tbl = ? ORDER BY pos", (table,))
            return [json.loads(d) for (d,) in rows]

    def _meta_values(self) -> dict[str, str]:
        return self._meta

    def _fact_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        with self._reading() as conn:
            for rowid, doc in conn.execute("SELECT rowid, doc FROM facts ORDER BY rowid"):
                yield rowid, sqlfacts.parse_doc(doc)

    def _history_rows(self) -> list[tuple[int, dict[str, Any]]]:
        with self._reading() as conn:
            return [(s, json.loads(d)) for s, d in conn.execute("SELECT seq, doc FROM history ORDER BY seq")]

    def matches(self, matcher: Matcher, key: SortKey, texts: dict[str, str] | None) -> Iterable[Fact]:
        if not self.exists():
            return []
        stream = self._matches(matcher)
        return sorted(stream, key=key) if matcher.query.sort == "fit" else stream

    def _matches(self, matcher: Matcher) -> Iterator[Fact]:
        with self._reading() as conn:
            yield from sqlfacts.matching(conn, matcher)

    def search_texts(self) -> dict[str, str] | None:
        return None  # FTS5 is its index: nothing to cache

    def pooled(self) -> bool:
        return self.count() > POOL_ABOVE

    def pool(self, groups: Sequence[Sequence[str]], limit: int) -> list[Fact]:
        if not self.pooled():
            return list(self.facts().values())
        with self._reading() as conn:
            return sqlfacts.pool(conn, groups, limit)

    def vocabulary(self, words: list[str], texts: dict[str, str] | None) -> set[str]:
        if not self.exists():
            return set()
        with self._reading() as conn:
            return sqlfacts.vocabulary(conn, words)

    # -- writing ---------------------------------------------------------
    def write(self, base: Backend | None, change: Callable[[SqliteWriter], T], commit: bool = True) -> T:
        """One transaction: ``change`` runs on a writer over the database as it stands
        under a write lock, and is committed whole (or rolled back, on any error or
        for a dry run). A database not made yet is made, atomically, by its first write."""
        if not self.exists():
            return self._create_with(base, change, commit)
        self.close()  # this object's read transaction would keep the write out of the main file
        conn = self._connect(read_only=False)
        try:
            result = self._transaction(conn, base, change, commit)
            _checkpoint(conn)
            return result
        finally:
            conn.close()

    def _transaction(
        self, conn: sqlite3.Connection, base: Backend | None, change: Callable[[SqliteWriter], T], commit: bool
    ) -> T:
        try:
            self._check_marker(conn)  # before anything, even the journal mode, is set in a foreign file
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise _write_failed(self.location, exc) from None
        try:
            self._check_marker(conn)
            tx = SqliteWriter(conn, base, self.location)
            result = change(tx)
            tx.finish()
            conn.execute("COMMIT" if commit else "ROLLBACK")
            if commit:
                committed()
            return result
        except sqlite3.OperationalError as exc:
            _rollback(conn)
            if "no such table" in str(exc) or "no such column" in str(exc):  # tables of ours taken out
                raise DatabaseUnreadable(f"{self.location} is damaged ({exc}); nothing was written") from None
            raise _write_failed(self.location, exc) from None
        except sqlite3.Error as exc:
            _rollback(conn)
            raise _write_failed(self.location, exc) from None
        except ValueError as exc:  # a stored document that is damaged (its checksum, its JSON)
            _rollback(conn)
            raise DatabaseUnreadable(f"{self.location} is damaged ({exc}); nothing was written") from None
        except BaseException:
            _rollback(conn)
            raise

    def _create_with(self, base: Backend | None, change: Callable[[SqliteWriter], T], commit: bool) -> T:
        """A database not made yet: made by this write, or not at all."""
        made = self._create(lambda conn: self._transaction(conn, base, change, commit), keep=commit)
        if made is _TAKEN:  # the change has run (an import's rows are read): it cannot run again
            raise WriteFailed(
                f"another command created {self.location} at the same moment; nothing was written (run the command again)"
            )
        return made

    def _create(self, fill: Callable[[sqlite3.Connection], T], keep: bool = True) -> T:
        """Make the database in a temporary file beside it, ``fill`` it, and move it into
        place only if no other has been made meanwhile (else return _TAKEN)."""
        directory = os.path.dirname(os.path.abspath(self.location))
        temp = os.path.join(directory, f".{os.path.basename(self.location)}.new-{os.getpid()}")
        try:
            conn = sqlite3.connect(temp, timeout=BUSY_TIMEOUT, isolation_level=None)
        except sqlite3.Error as exc:
            raise WriteFailed(f"cannot create {self.location}: {exc}") from None
        try:
            try:
                conn.executescript(sqlfacts.FACT_TABLES + OWN_TABLES)
                rows = [
                    ("format", MARKER),
                    ("schema", str(SCHEMA)),
                    ("storage", STORAGE),
                    ("id_prefix", self.id_prefix),
                    ("next_id", "1"),
                    ("revision", "0"),
                    ("database", uuid.uuid4().hex),
                ]
                conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)", rows)
            except sqlite3.Error as exc:
                raise WriteFailed(f"cannot create {self.location}: {exc}") from None
            result = fill(conn)  # (a rollback journal: no reader sees the file yet, and a WAL would grow with it)
            try:
                conn.execute("PRAGMA journal_mode=WAL")  # persistent: readers never block a writer
            except sqlite3.Error as exc:
                raise WriteFailed(f"cannot create {self.location}: {exc}") from None
            conn.close()
            if keep:
                try:
                    os.link(temp, self.location)  # never over a database made meanwhile
                except FileExistsError:
                    return _TAKEN  # type: ignore[return-value]
                except OSError as exc:
                    raise WriteFailed(f"cannot create {self.location}: {exc.strerror}") from None
            return result
        finally:
            conn.close()
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.unlink(temp + suffix)
                except OSError:
                    pass

    # -- copying ---------------------------------------------------------
    def restore(self, records: Iterable[tuple[str, dict[str, Any]]], progress: Callable[[int], None]) -> int:
        if self.exists():
            raise InvalidInput(f"{self.location} exists: a copy makes a new database (name another, or remove it)")

        def fill(conn: sqlite3.Connection) -> int:
            conn.execute("BEGIN")
            try:
                facts = SqliteWriter(conn, None, self.location).load(records, progress)
                conn.execute("COMMIT")
                committed()
            except sqlite3.Error as exc:
                _rollback(conn)
                raise WriteFailed(f"cannot write {self.location}: {exc}; nothing was written") from None
            return facts

        made = self._create(fill)
        if made is _TAKEN:
            raise InvalidInput(f"{self.location} was made by another command meanwhile; nothing was copied")
        return made


_OPEN: set[sqlite3.Connection] = set()  # read connections, closed at exit: the last close tidies the WAL


@atexit.register
def _close_readers() -> None:
    for conn in list(_OPEN):
        try:
            conn.close()
        except sqlite3.Error:
            pass
    _OPEN.clear()


_TAKEN: Any = object()  # _create's answer when another command made the database first


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Fold the WAL back into the database file (so that a copy of the file alone, or a
    backup, has every committed write); a reader still open elsewhere may delay it."""
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for a reader
    except sqlite3.Error:
        pass  # the write is committed in the WAL all the same; a later checkpoint folds it


def _rollback(conn: sqlite3.Connection) -> None:
    try:
        conn.execute("ROLLBACK")
    except sqlite3.Error:
        pass  # no transaction open: nothing was written


def _write_failed(location: str, exc: sqlite3.Error) -> WriteFailed:
    text = str(exc)
    if "locked" in text or "busy" in text:
        why = f"another command held it for {BUSY_TIMEOUT:.0f} s"
    elif "readonly" in text or "read-only" in text:
        why = "it is read-only"
    elif "full" in text:
        why = "the disk is full"
    else:
        why = text
    return WriteFailed(f"cannot write {location}: {why}; nothing was written")


register(SqliteBackend)
