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

from factcli.store.cache import derived_data_version
from factcli.files import file_digest, file_identity, racy
from factcli.query import SEARCH_TEXT_VERSION
import factcli.store.sqlfacts as sqlfacts


def builder() -> str:
    """What the index was derived by besides the file (:func:`derived_data_version`)."""
    return repr(
        derived_data_version(
            SEARCH_TEXT_VERSION, "text", "query", "countries", "model", "store.jsonfile.index", "store.sqlfacts"
        )
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

    get = staticmethod(sqlfacts.get)
    ids = staticmethod(sqlfacts.ids)
    pool = staticmethod(sqlfacts.pool)
    vocabulary = staticmethod(sqlfacts.vocabulary)

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
                conn.executescript("PRAGMA synchronous=OFF; PRAGMA journal_mode=OFF;" + sqlfacts.FACT_TABLES)
                conn.execute("BEGIN")
                sqlfacts.insert_facts(conn, facts(), progress)
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
                    sqlfacts.delete_fact(conn, fact_id)
                sqlfacts.insert_facts(conn, added)
                self._set_meta(conn, small_tables, racy_identity(*new))
                conn.execute("COMMIT")
                return True
            except sqlite3.Error:
                return False
            finally:
                conn.close()


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


def stream_records(handle: Iterable[str], only: str | None = None) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(table, key, document) triples from a file in the layout factcli writes, one document
    in memory at a time (of table ``only``, when given: the others are read past, not
    parsed). Raises ValueError at the first line of another layout."""
    table: str | None = None
    key = ""
    buffer: list[str] | None = None
    ended = False
    seen_keys: set[str] = set()
    for number, line in enumerate(handle, 1):
        line = line.rstrip("\n")
        if buffer is not None:
            if line in ("    }", "    },"):
                if only is None or table == only:
                    yield table, key, json.loads("{" + "".join(buffer) + "}")  # type: ignore[misc]
                buffer = None
            elif only is None or table == only:
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
