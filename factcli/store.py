"""The only module that opens database files.

A database is a TinyDB JSON file with four tables: ``meta`` (the factcli marker,
the schema version, the id prefix and counter), ``facts``, ``aliases`` (entities
and their other names) and ``removed`` (curated facts the user removed).

Reads take no lock. Every write goes through :meth:`DatabaseFile.transaction`:
lock → read → change (through TinyDB's table API) → validate → write a temp file
→ fsync → ``os.replace`` → fsync the directory. A crash leaves the old or the new
file, never a broken one; concurrent writers queue on the lock file.

In the default set-up a :class:`View` stacks the user's own file (in the user
data directory) over the curated ``facts.json`` shipped in the package: the user's
facts, edits and removals live in their file, so they survive upgrades.
"""

from __future__ import annotations

import errno
import gc
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from .errors import DatabaseUnreadable, InvalidInput, NotFound, WriteFailed
from .model import Fact
from .query import AliasIndex, Entity

MARKER = "factcli"
SCHEMA = 1
TABLES = ("meta", "facts", "aliases", "removed")
LOCK_TIMEOUT = 60.0  # seconds a writer waits for another before giving up
T = TypeVar("T")

# Upgrades of older files, by the schema version they upgrade from. A file is
# migrated in memory when read and written in the new schema on the next write.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _checkpoint(step: str) -> None:
    """Test hook: FACTCLI_CRASH_AT=step kills the process there (crash tests)."""
    if os.environ.get("FACTCLI_CRASH_AT") == step:
        os.kill(os.getpid(), 9)


def new_database(id_prefix: str = "") -> dict[str, Any]:
    meta = {"format": MARKER, "schema": SCHEMA, "id_prefix": id_prefix, "next_id": 1}
    return {"meta": {"1": meta}, "facts": {}, "aliases": {}, "removed": {}}


def parse_database(raw: bytes, name: str) -> dict[str, Any]:
    """Parse and check a database file's bytes: JSON, tables, marker, schema."""
    if not raw.strip():
        raise DatabaseUnreadable(f"{name} is empty, not a factcli database")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DatabaseUnreadable(f"{name} is not UTF-8 text, not a factcli database") from None
    gc.disable()  # the collector would walk every parsed object, for nothing
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise DatabaseUnreadable(f"{name} is not valid JSON ({exc}); it may be truncated") from None
    finally:
        gc.enable()
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DatabaseUnreadable(f"{name} is JSON but not a TinyDB database")
    metas = list(data.get("meta", {}).values())
    if not metas or not isinstance(metas[0], dict) or metas[0].get("format") != MARKER:
        raise DatabaseUnreadable(f"{name} is not a factcli database (no factcli marker in its meta table)")
    version = metas[0].get("schema")
    if not isinstance(version, int) or version < 1:
        raise DatabaseUnreadable(f"{name} has no valid schema version")
    if version > SCHEMA:
        raise DatabaseUnreadable(f"{name} was written by a newer factcli (schema {version}, this one reads {SCHEMA}): upgrade factcli")
    while version < SCHEMA:
        data = MIGRATIONS[version](data)
        version = data["meta"][next(iter(data["meta"]))]["schema"]
    for table in TABLES:
        data.setdefault(table, {})
    return data


def meta_of(data: dict[str, Any]) -> dict[str, Any]:
    return data["meta"][min(data["meta"], key=int)]


@dataclass
class Layer:
    """One database file's content, in memory."""

    path: Path
    data: dict[str, Any]
    facts: dict[str, Fact] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)
    entities: list[Entity] = field(default_factory=list)

    @classmethod
    def from_data(cls, path: Path, data: dict[str, Any]) -> Layer:
        layer = cls(path, data)
        try:
            for key in sorted(data["facts"], key=int):
                fact = Fact.from_stored(data["facts"][key])
                layer.facts[fact.id] = fact
            layer.removed = {doc["id"] for doc in data["removed"].values()}
            layer.entities = [Entity.from_stored(doc) for doc in data["aliases"].values()]
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise DatabaseUnreadable(
                f"{path} has a malformed record ({type(exc).__name__}: {exc}); `factcli check {path}` explains"
            ) from None
        return layer

    @property
    def meta(self) -> dict[str, Any]:
        return meta_of(self.data)


class DatabaseFile:
    """A database file on disk: read it, or change it in one atomic write."""

    def __init__(self, path: Path, *, id_prefix: str = "", user_file: bool = False) -> None:
        self.path = path
        self.id_prefix = id_prefix  # for a file this creates
        # The user's own file may not exist yet, and its directory is created on
        # the first write; a file named by --db must exist to be read.
        self.user_file = user_file

    @property
    def lock_path(self) -> Path:
        return self.path.with_name(self.path.name + ".lock")

    def read_data(self, missing_ok: bool = False) -> dict[str, Any] | None:
        """The parsed, checked content; None if the file does not exist (yet)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            if not (missing_ok or self.user_file):
                raise DatabaseUnreadable(f"no database at {self.path} (`factcli --db {self.path} add …` creates one)") from None
            return None
        except IsADirectoryError:
            raise DatabaseUnreadable(f"{self.path} is a directory, not a database file") from None
        except OSError as exc:
            raise DatabaseUnreadable(f"cannot read {self.path}: {exc.strerror}") from None
        return parse_database(raw, str(self.path))

    def read(self, missing_ok: bool = False) -> Layer:
        data = self.read_data(missing_ok)
        return Layer.from_data(self.path, data if data is not None else new_database(self.id_prefix))

    @contextmanager
    def transaction(self) -> Iterator[Layer]:
        """Lock, read afresh, let the caller change ``layer.data``, write atomically.

        Nothing is written if the block raises.
        """
        with self._lock():
            layer = self.read(missing_ok=True)
            yield layer
            _checkpoint("before-write")
            self._write(layer.data)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        import fcntl  # POSIX advisory lock; released by the kernel if we die

        self._ensure_directory()
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise WriteFailed(f"cannot lock {self.path}: {exc.strerror}; nothing was written") from None
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WriteFailed(f"{self.path} is locked by another factcli for over {LOCK_TIMEOUT:.0f} s; nothing was written") from None
                    time.sleep(0.01)
            _checkpoint("locked")
            self._remove_stale_temp_files()
            yield
        finally:
            os.close(fd)

    def _ensure_directory(self) -> None:
        directory = self.path.parent
        if directory.is_dir():
            return
        if not self.user_file:  # --db names a file: its directory must be there
            raise WriteFailed(f"cannot write {self.path}: directory {directory} does not exist; nothing was written")
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(f"cannot create {directory}: {exc.strerror}; nothing was written") from None

    def _temp_prefix(self) -> str:
        return f".{self.path.name}.tmp-"

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a writer that was killed (we hold the lock: none is live)."""
        for stale in self.path.parent.glob(self._temp_prefix() + "*"):
            try:
                stale.unlink()
            except OSError:
                pass

    def _write(self, data: dict[str, Any]) -> None:
        try:
            text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            payload = text.encode("utf-8")
        except (UnicodeEncodeError, TypeError, ValueError) as exc:
            raise InvalidInput(f"cannot store this data: {exc}; nothing was written") from None
        atomic_write(self.path, payload, self._temp_prefix())


def atomic_write(path: Path, payload: bytes, temp_prefix: str) -> None:
    """Write temp file → fsync → replace → fsync directory. On error the old file stays."""
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    temp = path.with_name(f"{temp_prefix}{os.getpid()}")
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view[: 1 << 20])
                view = view[written:]
                _checkpoint("writing")
            os.fsync(fd)
        finally:
            os.close(fd)
        _checkpoint("temp-written")
        os.replace(temp, path)
    except OSError as exc:
        try:
            temp.unlink()
        except OSError:
            pass
        reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise WriteFailed(f"cannot write {path}: {reason}; the old data is intact") from None
    _checkpoint("replaced")
    try:  # make the rename itself durable
        dir_fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


# ---------------------------------------------------------------- the view


class View:
    """What factcli reads and writes: one file, or the user's file over the curated one."""

    def __init__(self, own: DatabaseFile, base: DatabaseFile | None = None) -> None:
        self.own_file = own
        self.base_file = base

    @cached_property
    def base(self) -> Layer | None:
        return self.base_file.read() if self.base_file else None

    @cached_property
    def own(self) -> Layer:
        return self.own_file.read()

    # reading ---------------------------------------------------------------
    def facts(self) -> list[Fact]:
        return list(_merge(self.base, self.own).values())

    def get(self, fact_id: str) -> Fact | None:
        return _merge(self.base, self.own).get(fact_id)

    def entities(self) -> list[Entity]:
        return _merge_entities(self.base, self.own)

    def aliases(self) -> AliasIndex:
        return AliasIndex(self.entities())

    # derived data, cached between runs -----------------------------------
    def fingerprint(self) -> tuple[tuple[str, int, int, int], ...]:
        """What the view's content depends on: each file's path, size, time and inode."""
        parts = []
        for database in (self.base_file, self.own_file):
            if database is None:
                continue
            try:
                st = database.path.stat()
                parts.append((str(database.path), st.st_size, st.st_mtime_ns, st.st_ino))
            except OSError:
                parts.append((str(database.path), -1, -1, -1))
        return tuple(parts)

    def read_cache(self, name: str, version: tuple[Any, ...]) -> Any:
        """Data derived from this view and saved by :meth:`write_cache`, or None when
        there is none or the files (or ``version``) have changed since.

        Caches hold plain data (marshal: no code is run when loading one).
        """
        import marshal

        try:
            raw = self._cache_file(name).read_bytes()
        except OSError:
            return None
        gc.disable()  # as in parse_database: nothing to collect among fresh data
        try:
            key, value = marshal.loads(raw)
        except (ValueError, EOFError, TypeError):
            return None
        finally:
            gc.enable()
        return value if key == (tuple(version), self.fingerprint()) else None

    def write_cache(self, name: str, version: tuple[Any, ...], value: Any) -> None:
        """Save derived data for the next run; when the cache cannot be written, skip it."""
        import marshal

        path = self._cache_file(name)
        try:
            payload = marshal.dumps(((tuple(version), self.fingerprint()), value))
            path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(path, payload, f".{path.name}.tmp-")
        except (OSError, ValueError, WriteFailed):
            pass

    def _cache_file(self, name: str) -> Path:
        import zlib

        where = "|".join(part[0] for part in self.fingerprint())
        return cache_path(f"{name}-{zlib.crc32(where.encode()):08x}.marshal")

    def files(self) -> list[tuple[str, Path, int]]:
        """(role, path, facts in it) of every file in use."""
        rows = []
        if self.base:
            rows.append(("curated (read-only)", self.base.path, len(self.base.facts)))
        rows.append(("yours (read-write)" if self.base else "database", self.own.path, len(self.own.facts)))
        return rows

    # writing ---------------------------------------------------------------
    def write(self, change: Callable[[Change], T]) -> T:
        """Run ``change`` on a fresh, locked copy of the writable file and commit it."""
        with self.own_file.transaction() as layer:
            result = change(Change(self.base, layer))
        self.__dict__.pop("own", None)  # read afresh next time
        return result


def _merge(base: Layer | None, own: Layer) -> dict[str, Fact]:
    if base is None:
        return own.facts
    merged = {fid: f for fid, f in base.facts.items() if fid not in own.removed}
    merged.update(own.facts)  # the user's edits of curated facts win
    return merged


def _merge_entities(base: Layer | None, own: Layer) -> list[Entity]:
    """Entities of both files; the user's version of a name wins."""
    mine = {e.name: e for e in own.entities}
    return [e for e in (base.entities if base else []) if e.name not in mine] + list(mine.values())


class Change:
    """The operations a write may perform, through TinyDB's table API."""

    def __init__(self, base: Layer | None, layer: Layer) -> None:
        from tinydb import TinyDB
        from tinydb.storages import MemoryStorage

        self.base = base
        self.layer = layer
        self.db = TinyDB(storage=MemoryStorage)
        self.db.storage.write(layer.data)
        self.facts_table = self.db.table("facts", cache_size=0)
        self.merged = _merge(base, layer)
        self._doc_ids = {doc["id"]: int(key) for key, doc in layer.data["facts"].items()}
        self._identities = {f.identity(): f.id for f in self.merged.values()}

    def duplicate_of(self, fact: Fact) -> str | None:
        """The id of a fact with the same who, what, when and countries."""
        found = self._identities.get(fact.identity())
        return found if found != fact.id else None

    def _new_id(self) -> str:
        meta = self.layer.meta
        fact_id = f"{meta.get('id_prefix', '')}{meta['next_id']}"
        meta["next_id"] += 1
        return fact_id

    def _note_id(self, fact_id: str) -> None:
        """Keep the counter past an imported id of our own form: ids are never reused."""
        meta = self.layer.meta
        prefix = meta.get("id_prefix", "")
        tail = fact_id[len(prefix):]
        if fact_id.startswith(prefix) and tail.isdigit() and int(tail) >= meta["next_id"]:
            meta["next_id"] = int(tail) + 1

    def add(self, facts: list[Fact]) -> list[Fact]:
        """Store new facts (one TinyDB write); facts without an id get a new one."""
        stamp = now()
        stored = []
        for fact in facts:
            if fact.id:
                self._note_id(fact.id)
            else:
                fact = _with(fact, id=self._new_id())
            fact = _with(fact, created=fact.created or stamp, updated=fact.updated or fact.created or stamp)
            stored.append(fact)
            self.merged[fact.id] = fact
            self._identities[fact.identity()] = fact.id
        ids = self.facts_table.insert_multiple(f.to_dict() for f in stored)
        self._doc_ids.update((f.id, doc_id) for f, doc_id in zip(stored, ids))
        self.db.table("meta", cache_size=0).update(self.layer.meta, doc_ids=[int(min(self.layer.data["meta"], key=int))])
        return stored

    def replace(self, fact: Fact) -> Fact:
        """Store a changed fact under its id (for a curated fact: the user's copy)."""
        if fact.id not in self.merged:
            raise NotFound(f"no fact with id {fact.id}")
        old = self.merged[fact.id]
        self._identities.pop(old.identity(), None)
        fact = _with(fact, created=old.created, updated=now())
        doc_id = self._doc_ids.get(fact.id)
        if doc_id is None:
            self._doc_ids[fact.id] = self.facts_table.insert(fact.to_dict())
        else:
            self.facts_table.update(fact.to_dict(), doc_ids=[doc_id])
        self.merged[fact.id] = fact
        self._identities[fact.identity()] = fact.id
        return fact

    def entities(self) -> list[Entity]:
        return _merge_entities(self.base, self.layer)

    def set_entity(self, entity: Entity) -> None:
        """Add an entity, or replace the one of the same name, in the writable file."""
        from tinydb import where

        table = self.db.table("aliases", cache_size=0)
        table.remove(where("name") == entity.name)
        table.insert(entity.to_dict())

    def remove(self, fact_id: str) -> None:
        if fact_id not in self.merged:
            raise NotFound(f"no fact with id {fact_id}")
        self._identities.pop(self.merged.pop(fact_id).identity(), None)
        doc_id = self._doc_ids.pop(fact_id, None)
        if doc_id is not None:
            self.facts_table.remove(doc_ids=[doc_id])
        if self.base and fact_id in self.base.facts:
            self.db.table("removed", cache_size=0).insert({"id": fact_id, "removed": now()})


def _with(fact: Fact, **changes: Any) -> Fact:
    from dataclasses import replace

    return replace(fact, **changes)


# ---------------------------------------------------------------- where the data lives


def curated_path() -> Path:
    """The curated facts.json: inside the installed package, or at the top of a checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "facts.json"
    return packaged if packaged.exists() else here.parent / "facts.json"


def cache_path(name: str) -> Path:
    """A file in the user cache directory (data derived from databases, safe to delete)."""
    from platformdirs import user_cache_path

    return user_cache_path("factcli", appauthor=False) / name


def user_path() -> Path:
    """The user's own database, in the platform's user data directory."""
    from platformdirs import user_data_path

    return user_data_path("factcli", appauthor=False) / "facts.json"


def open_view(db: str | None = None) -> View:
    """The database(s) to use: ``db`` (from --db or FACTCLI_DB) alone, or user over curated."""
    if db:
        return View(DatabaseFile(Path(db), id_prefix=""))
    return View(DatabaseFile(user_path(), id_prefix="u", user_file=True), base=DatabaseFile(curated_path(), id_prefix="c"))
