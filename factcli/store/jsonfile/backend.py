"""The JSON file backend: one file as factcli reads it, whole when small, through
its derived SQLite index (:mod:`factcli.store.jsonfile.index`) when large."""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from typing import TYPE_CHECKING, Any

from factcli.files import content_hash, file_digest, file_identity, racy
from factcli.store.base import Backend, Progress, SortKey, T, register
from factcli.store.jsonfile.atomic import _checkpoint, _release_interrupts
from factcli.store.jsonfile.file import DatabaseFile, Layer
from factcli.errors import ChangedWhileRead, InvalidInput
from factcli.model import Fact
from factcli.layout import MARKER, SCHEMA
from factcli.query import Entity, Matcher, haystack

if TYPE_CHECKING:
    from factcli.store.jsonfile.change import Change


class JsonFileBackend(Backend):
    """A TinyDB JSON file, read whole when small and through its derived SQLite
    index when large (both give the same answers); written by atomic replacement."""

    kind = "JSON file"

    def __init__(
        self, location: str, *, id_prefix: str = "", user_file: bool = False, progress: Progress | None = None
    ):
        super().__init__(location, id_prefix=id_prefix, user_file=user_file, progress=progress)
        self.file = DatabaseFile(location, id_prefix=id_prefix, user_file=user_file)

    @classmethod
    def serves(cls, location: str) -> bool:
        return "://" not in location  # a path: the default backend, registered last

    # -- state -----------------------------------------------------------
    @cached_property
    def stat(self) -> os.stat_result | None:
        return self.file.stat()

    def exists(self) -> bool:
        return self.stat is not None

    def must_exist(self) -> None:
        if self.stat is None:
            self.file._missing(False)

    def _read_stat(self) -> os.stat_result | None:
        """The identity of the bytes read: the index's file, or the file read whole now."""
        if self.stat is None:
            return None
        return self.stat if self.indexed else self.layer.stat

    def revision(self) -> str:
        st = self._read_stat()
        return "" if st is None else file_identity(st)

    def settled(self) -> bool:
        st = self._read_stat()
        return st is None or not racy(st)

    def description(self) -> str:
        if self.stat is None:
            return f"{self.kind} (not made yet)"
        return f"{self.kind}, " + ("through its SQLite index" if self.indexed else "read whole")

    def advice(self) -> str | None:
        if self.stat is None or self.stat.st_size < ADVISE_SQLITE_BYTES:
            return None
        root, _ = os.path.splitext(self.location)
        return (
            f"{self.location} is {self.stat.st_size >> 20} MB: every write rewrites a JSON file whole;"
            f" `factcli copy {self.location} {root}.sqlite` makes a SQLite copy that writes in milliseconds"
        )

    def digest(self) -> str | None:
        """The file's content digest, read at most once per command (a command opens
        the index several times, and keeps to what its first check found)."""
        if "_digest" not in self.__dict__:
            self.__dict__["_digest"] = file_digest(self.file.path)
        return self.__dict__["_digest"]

    @cached_property
    def indexed(self) -> bool:
        """Whether queries go through the SQLite index (built now if missing or stale)."""
        if self.stat is None or not index_wanted(self.stat.st_size):
            return False
        from factcli.store.jsonfile.index import DerivedIndex  # only here: small files never pay for SQLite

        idx = DerivedIndex(self.file.path)
        with idx.reader(self.stat, self.digest) as conn:
            if conn is not None:
                return True
        import sqlite3

        try:
            self._build(idx)
        except (OSError, sqlite3.Error):  # no usable cache directory: read the file whole (slower, same answers)
            return False
        with idx.reader(self.stat, self.digest) as conn:
            return conn is not None

    def _build(self, idx: Any) -> None:
        """Stream the file into a new index; a file in another layout is parsed whole."""
        from factcli.store.jsonfile.index import stream_records

        label = f"indexing {os.path.basename(self.file.path)} (once, until it changes)"
        with (self.progress or _no_progress)(label) as advance:
            try:
                with open(self.file.path, "rb") as handle:
                    stat = os.fstat(handle.fileno())
                    lines, digest = _lines_and_digest(handle, racy(stat))
                    idx.build(stream_records(lines), stat, _checked_small_tables, advance, digest)
            except (ValueError, UnicodeDecodeError):
                layer = self.layer  # raises DatabaseUnreadable, naming the file, if it is broken
                _ = layer.facts
                records = ((t, k, d) for t, table in layer.data.items() for k, d in table.items())
                idx.build(records, layer.stat, _checked_small_tables, advance, lambda: layer.digest)

    @cached_property
    def layer(self) -> Layer:
        return self.file.read()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        from factcli.store.jsonfile.index import DerivedIndex

        with DerivedIndex(self.file.path).reader(self.stat, self.digest) as conn:  # type: ignore[arg-type]
            if conn is None:
                raise ChangedWhileRead(
                    f"{self.file.path} kept changing while it was being read (other commands are writing to it); run the command again"
                )
            yield conn

    @cached_property
    def small_tables(self) -> dict[str, Any]:
        if self.indexed:
            from factcli.store.jsonfile.index import DerivedIndex

            with self.connection() as conn:
                return DerivedIndex.tables(conn)
        return self.layer.small_tables()

    # -- reading ---------------------------------------------------------
    def count(self) -> int:
        return len(self.layer.data["facts"]) if self.stat is not None else 0

    def facts(self) -> dict[str, Fact]:
        return self.layer.facts

    def entities(self) -> list[Entity]:
        if not self.indexed:
            return self.layer.entities
        return [Entity.from_stored(d) for d in self.small_tables.get("aliases", {}).values()]

    def removed(self) -> set[str]:
        if not self.indexed:
            return self.layer.removed
        return {d["id"] for d in self.small_tables.get("removed", {}).values()}

    def edits(self) -> dict[str, str | None]:
        return {d["id"]: d.get("curated") for d in self.small_tables.get("edits", {}).values()}

    def stored_tables(self) -> dict[str, Any]:
        return self.file.read_data(lenient=True)  # type: ignore[return-value]

    def history(self) -> list[dict[str, Any]]:
        data = self.file.read(missing_ok=True).data  # the journal is not indexed: read afresh
        return sorted(data.get("history", {}).values(), key=lambda e: e["seq"])

    def get(self, fact_id: str) -> Fact | None:
        if not self.indexed:
            return self.layer.facts.get(fact_id)
        from factcli.store.jsonfile.index import DerivedIndex

        with self.connection() as conn:
            return DerivedIndex.get(conn, fact_id)

    def stored_ids(self, among: Collection[str]) -> set[str]:
        if not self.indexed:
            return set(self.layer.facts) & set(among)
        from factcli.store.jsonfile.index import DerivedIndex

        with self.connection() as conn:
            return DerivedIndex.ids(conn, among)

    def matches(self, matcher: Matcher, key: SortKey, texts: dict[str, str] | None) -> Iterable[Fact]:
        if self.indexed:
            stream = self._indexed_matches(matcher)
            # the index orders by stored columns; "fit" depends on the filter: ordered here
            return sorted(stream, key=key) if matcher.query.sort == "fit" else stream
        known = texts or {}
        return sorted((f for f in self.layer.facts.values() if matcher(f, known.get(f.id))), key=key)

    def _indexed_matches(self, matcher: Matcher) -> Iterator[Fact]:
        import factcli.store.sqlfacts as sqlfacts  # only here: small files never pay for SQLite

        with self.connection() as conn:
            yield from sqlfacts.matching(conn, matcher)

    def search_texts(self) -> dict[str, str] | None:
        """Texts of a file scanned in memory; None above the index threshold (its texts
        would make a cache as large as the file), whether or not an index is in use."""
        if self.stat is None or self.stat.st_size >= INDEX_THRESHOLD_BYTES or self.indexed:
            return None
        return {f.id: haystack(f) for f in self.layer.facts.values()}

    def pooled(self) -> bool:
        return self.indexed

    def pool(self, groups: Sequence[Sequence[str]], limit: int) -> list[Fact]:
        if not self.indexed:
            return list(self.layer.facts.values())
        from factcli.store.jsonfile.index import DerivedIndex

        with self.connection() as conn:
            return DerivedIndex.pool(conn, groups, limit)

    def vocabulary(self, words: list[str], texts: dict[str, str] | None) -> set[str]:
        if self.indexed:
            from factcli.store.jsonfile.index import DerivedIndex

            with self.connection() as conn:
                return DerivedIndex.vocabulary(conn, words)
        known = texts or {}
        found: set[str] = set()
        for fact in self.layer.facts.values():
            found.update((known.get(fact.id) or haystack(fact)).split())
        return found

    # -- copying ---------------------------------------------------------
    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        if self.stat is not None and self.indexed:
            yield from self._indexed_records()  # a large file: never whole in memory
            return
        data = self.layer.data
        for table in ("meta", "facts", "aliases", "removed", "edits", "history"):
            for doc in _in_key_order(data.get(table, {})):
                yield table, doc
                if table == "meta":
                    break  # one meta record

    def _indexed_records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """What :meth:`records` gives, for a file large enough to have its index: the facts
        from the index (in id order), the small tables it keeps, and the journal streamed
        from the file; a few documents in memory at a time."""
        from factcli.store.jsonfile.index import DerivedIndex, stream_records
        from factcli.store.sqlfacts import parse_doc

        with self.connection() as conn:
            tables = DerivedIndex.tables(conn)
            for doc in list(tables.get("meta", {}).values())[:1]:
                yield "meta", doc
            for (text,) in conn.execute("SELECT doc FROM facts ORDER BY id_head, id_num"):
                yield "facts", parse_doc(text)
        for table in ("aliases", "removed", "edits"):
            for doc in _in_key_order(tables.get(table, {})):
                yield table, doc
        try:
            with open(self.file.path, encoding="utf-8") as handle:
                journal = sorted((doc for _, _, doc in stream_records(handle, only="history")), key=lambda e: e["seq"])
        except ValueError:  # (another layout: its facts were indexed from the parsed file)
            journal = self.history()
        for doc in journal:
            yield "history", doc

    def restore(self, records: Iterable[tuple[str, dict[str, Any]]], progress: Callable[[int], None]) -> int:
        if self.exists():
            raise InvalidInput(f"{self.location} exists: a copy makes a new database (name another, or remove it)")
        tables: dict[str, dict[str, Any]] = {t: {} for t in ("meta", "facts", "aliases", "removed", "edits", "history")}
        for table, doc in records:
            rows = tables[table]
            rows[str(len(rows) + 1)] = doc
            if table == "facts" and len(rows) % 5_000 == 0:
                progress(5_000)
        progress(len(tables["facts"]) % 5_000)
        with self.file.transaction() as layer:
            if layer.data.get("facts"):  # made by another command meanwhile
                raise InvalidInput(f"{self.location} was made by another command meanwhile; nothing was copied")
            meta = dict(next(iter(tables["meta"].values())))
            meta.update(format=MARKER, schema=SCHEMA)
            tables["meta"] = {"1": meta}
            layer.data.clear()
            layer.data.update(tables)
        return len(tables["facts"])

    # -- writing ---------------------------------------------------------
    def write(self, base: Backend | None, change: Callable[[Change], T], commit: bool = True) -> T:
        from factcli.store.jsonfile.change import Change  # only writes pay for it

        self.file.holding = False
        try:
            with self.file.transaction(commit) as layer:
                tx = Change(base, layer)
                result = change(tx)
                tx.flush()
            if commit:
                self._index_after_write(layer, tx.added_docs(), tx.removed_ids, layer.small_tables())
        finally:
            if self.file.holding:
                self.file.holding = False
                _release_interrupts()
        return result

    def _index_after_write(
        self, old: Layer, added: list[dict[str, Any]], removed: list[str], small_tables: dict[str, Any]
    ) -> None:
        """Bring the derived index up to date with a write (called under the lock);
        ``old`` is the content the write replaced."""
        if old.stat is None or os.environ.get("FACTCLI_INDEX") == "never":
            return
        from factcli.store.jsonfile.index import DerivedIndex

        new = self.file.stat()
        if new is not None:
            _checkpoint("index-update")
            DerivedIndex(self.file.path).update(
                (old.stat, old.digest), (new, self.file.written_digest), added, removed, small_tables
            )


def _lines_and_digest(handle: Any, digest: bool) -> tuple[Iterable[str], Callable[[], str | None]]:
    """A binary file's lines as text and, when ``digest``, a digest of the bytes
    they came from (ready once the lines are consumed)."""
    import io

    if not digest:
        return io.TextIOWrapper(handle, encoding="utf-8"), lambda: None
    h = content_hash()

    def lines() -> Iterator[str]:
        for raw in handle:
            h.update(raw)
            yield raw.decode("utf-8")

    return lines(), h.hexdigest


# Past this size a write command says, once, that a SQLite copy would write faster:
# measured, one `add` to a 728 MB JSON file took 19-31 s (issue 16), to SQLite 0.1 s.
ADVISE_SQLITE_BYTES = 50 << 20
# Below this size a file is read whole: it costs less than opening an index.
INDEX_THRESHOLD_BYTES = 2_000_000


def index_wanted(size: int) -> bool:
    """Whether a file this large is queried through an index (FACTCLI_INDEX=always|never overrides)."""
    setting = os.environ.get("FACTCLI_INDEX") or "auto"
    if setting not in ("auto", "always", "never"):
        raise InvalidInput(f"FACTCLI_INDEX={setting[:20]!r}: expected auto, always or never")
    if setting == "never":
        return False
    return setting == "always" or size >= INDEX_THRESHOLD_BYTES


def _checked_small_tables(small: dict[str, Any]) -> None:
    """Refuse to index a stream whose meta is not a current factcli one (ValueError)."""
    metas = list(small.get("meta", {}).values())
    if not metas or metas[0].get("format") != MARKER or metas[0].get("schema") != SCHEMA:
        raise ValueError("not a current factcli database")


def _no_progress(label: str) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda n: None)


register(JsonFileBackend)


def _in_key_order(table: dict[str, Any]) -> list[dict[str, Any]]:
    """A table's documents in the order they were stored (TinyDB's keys are numbers as text)."""
    return [doc for _, doc in sorted(table.items(), key=lambda kv: int(kv[0]))]
