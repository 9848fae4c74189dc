"""The only module that opens database files.

A database is a TinyDB JSON file with six tables: ``meta`` (the factcli marker,
the schema version, the id prefix and counter), ``facts``, ``aliases`` (entities
and their other names), ``removed`` (curated facts the user removed), ``edits``
(which version of a curated fact each of the user's copies was made from) and
``history`` (the journal `undo` reads: the pre-images of what each write changed,
written in the same atomic write as the change).

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
import json
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cached_property
from datetime import datetime, timezone
from typing import Any, TypeVar

from .errors import ChangedWhileRead, DatabaseUnreadable, InvalidInput, NotFound, WriteFailed
from .gc_pause import gc_paused
from .model import Fact
from .layout import MARKER, SCHEMA, TABLES, structural_problems
from .query import AliasIndex, Entity, Matcher, Query, Result, haystack, id_key, sort_key

# The journal keeps the last HISTORY_WRITES writes, at most HISTORY_BYTES of them;
# a single write larger than that (a huge import) is not kept, and `undo` says so.
HISTORY_WRITES = 100
HISTORY_BYTES = 50_000_000
LOCK_TIMEOUT = 60.0  # seconds a writer waits for another before giving up
T = TypeVar("T")
# Shows long work to the user: progress(label) is a context that yields advance(n).
Progress = Callable[[str], AbstractContextManager[Callable[[int], None]]]
SearchTexts = dict[str, dict[str, str]]  # file path → fact id → search text

# Upgrades of older files, by the schema version they upgrade from. A file is
# migrated in memory when read and written in the new schema on the next write.
DUPLICATE_CHECK_BYTES = 8_000_000


class DuplicateKey(ValueError):
    """A JSON object names a key twice."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise DuplicateKey(key)
            seen.add(key)
    return result


def _to_schema_2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 2 adds ``edits`` and ``history`` (empty: copies made before it have no
    recorded curated version, and no write before it can be undone)."""
    data.setdefault("edits", {})
    data.setdefault("history", {})
    for meta in data["meta"].values():
        meta["schema"] = 2
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _to_schema_2}


def doc_digest(doc: Any) -> str:
    """A short digest of a stored document (canonical JSON): what the journal and the
    record of edits keep to tell whether a document changed since."""
    import hashlib

    text = json.dumps(doc, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


def file_identity(stat: os.stat_result) -> str:
    """What changes whenever a file does: device, inode (an atomic replace makes a
    new one), size and times (ctime cannot be set back by hand). Caches and the
    index are trusted only while it is the same."""
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


# A file changed twice within its file system's timestamp granularity keeps its
# times (FAT: 2 s; ext2/ext3 with small inodes, HFS+, some NFS: 1 s; even ext4's
# clock moves in ticks), so a same-size edit in place can keep the whole identity.
# As git does with its "racily clean" index, an identity taken while the file's
# mtime is this recent is not trusted alone: caches are neither read nor written,
# and the index records a digest of the content that readers check.
RACY_NS = 2_000_000_000


def racy(stat: os.stat_result) -> bool:
    """Whether the file may have changed (or may still change) without its identity showing it."""
    return time.time_ns() - stat.st_mtime_ns < RACY_NS


def content_hash() -> Any:
    """The hash of file contents for racy identities (blake2b, 16 bytes)."""
    import hashlib

    return hashlib.blake2b(digest_size=16)


def content_digest(data: bytes | Iterable[bytes]) -> str:
    """A digest of a file's bytes (given whole or in chunks), for racy identities."""
    h = content_hash()
    if isinstance(data, bytes):
        h.update(data)
    else:
        for chunk in data:
            h.update(chunk)
    return h.hexdigest()


def file_digest(path: str) -> str | None:
    """The digest of a file's current bytes; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return content_digest(iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _checkpoint(step: str) -> None:
    """Test hook: FACTCLI_CRASH_AT=step kills the process there (crash tests)."""
    if os.environ.get("FACTCLI_CRASH_AT") == step:
        os.kill(os.getpid(), 9)


def new_database(id_prefix: str = "") -> dict[str, Any]:
    meta = {"format": MARKER, "schema": SCHEMA, "id_prefix": id_prefix, "next_id": 1}
    return {"meta": {"1": meta}, "facts": {}, "aliases": {}, "removed": {}, "edits": {}, "history": {}}


def parse_database(raw: bytes, name: str, lenient: bool = False) -> dict[str, Any]:
    """Parse and check a database file's bytes: JSON, tables, marker, schema, and
    (unless ``lenient``, as `check` reads) that every fact has the required fields."""
    if not raw.strip():
        raise DatabaseUnreadable(f"{name} is empty, not a factcli database")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise DatabaseUnreadable(f"{name} is not UTF-8 text, not a factcli database") from None
    try:
        with gc_paused():
            # a small file is parsed with a check for keys given twice (slower per
            # object); a large one by the count below, which the layout makes exact
            data = (
                json.loads(text, object_pairs_hook=_unique_keys)
                if len(raw) < DUPLICATE_CHECK_BYTES
                else json.loads(text)
            )
    except DuplicateKey as exc:
        raise DatabaseUnreadable(
            f"{name} holds the key {exc.args[0]!r} twice in one object (a hand edit?): JSON readers disagree on which wins, so it is not read; remove one"
        ) from None
    except ValueError as exc:
        raise DatabaseUnreadable(f"{name} is not valid JSON ({exc}); it may be truncated") from None
    except RecursionError:
        raise DatabaseUnreadable(f"{name} is not valid JSON for factcli (nested too deeply)") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DatabaseUnreadable(f"{name} is JSON but not a TinyDB database")
    # In the layout factcli writes, every document key is a line indented by 4 spaces:
    # more such lines than documents means a key given twice.
    if len(raw) >= DUPLICATE_CHECK_BYTES and raw.count(b'\n    "') > sum(len(t) for t in data.values()):
        raise DatabaseUnreadable(
            f"{name} holds a document key twice in one table (a hand edit?): JSON readers disagree on which wins, so it is not read; remove the repeated document"
        )
    metas = list(data.get("meta", {}).values())
    if not metas or not isinstance(metas[0], dict) or metas[0].get("format") != MARKER:
        raise DatabaseUnreadable(f"{name} is not a factcli database (no factcli marker in its meta table)")
    version = metas[0].get("schema")
    if not isinstance(version, int) or version < 1:
        raise DatabaseUnreadable(f"{name} has no valid schema version")
    if version > SCHEMA:
        raise DatabaseUnreadable(
            f"{name} was written by a newer factcli (schema {version}, this one reads {SCHEMA}): upgrade factcli"
        )
    while version < SCHEMA:
        data = MIGRATIONS[version](data)
        version = data["meta"][next(iter(data["meta"]))]["schema"]
    for table in TABLES:
        data.setdefault(table, {})
    if not lenient:
        for where, problem in structural_problems(data):
            raise DatabaseUnreadable(f"{name} is malformed ({where} {problem}); `factcli check {name}` explains")
    return data


MAX_DATABASE_BYTES = 4 << 30  # a JSON database read whole: past this, memory runs out first
MAX_CACHE_BYTES = 512 << 20  # a cache file larger than this is not one of ours


class NotRegular(OSError):
    """The path is a device, a pipe or a socket: reading it may never end."""


class TooLarge(OSError):
    """The file is larger than what may be read whole."""


def _size(n: int) -> str:
    """1.5 GiB, 1.0 MiB, 512 bytes."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def read_regular(path: str, limit: int) -> tuple[bytes, os.stat_result]:
    """A regular file's bytes (at most ``limit``) and the fstat of exactly what was read.
    A FIFO is opened without blocking and refused, as are devices (/dev/zero) and sockets."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = (
                "a pipe"
                if stat.S_ISFIFO(info.st_mode)
                else "a device"
                if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "not a regular file"
            )
            raise NotRegular(kind)
        if info.st_size > limit:
            raise TooLarge(f"{_size(info.st_size)}; at most {_size(limit)}")
        chunks = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 24)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"over {_size(limit)}")
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)


def meta_of(data: dict[str, Any]) -> dict[str, Any]:
    return data["meta"][min(data["meta"], key=int)]


class Layer:
    """One database file's content, in memory; facts are made from documents on demand."""

    def __init__(
        self, path: str, data: dict[str, Any], stat: os.stat_result | None = None, digest: str | None = None
    ) -> None:
        self.path = path
        self.data = data
        self.stat = stat  # of the file as it was read (None: it does not exist yet)
        self.digest = digest  # of the bytes read, when their identity was racy (or a writer asked)

    def _malformed(self, exc: Exception) -> DatabaseUnreadable:
        return DatabaseUnreadable(
            f"{self.path} has a malformed record ({type(exc).__name__}: {exc}); `factcli check {self.path}` explains"
        )

    @cached_property
    def facts(self) -> dict[str, Fact]:
        try:
            return {
                doc["id"]: Fact.from_stored(doc)
                for _, doc in sorted(self.data["facts"].items(), key=lambda kv: int(kv[0]))
            }
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise self._malformed(exc) from None

    @cached_property
    def removed(self) -> set[str]:
        try:
            return {doc["id"] for doc in self.data["removed"].values()}
        except (KeyError, TypeError) as exc:
            raise self._malformed(exc) from None

    @cached_property
    def entities(self) -> list[Entity]:
        try:
            return [Entity.from_stored(doc) for doc in self.data["aliases"].values()]
        except (KeyError, TypeError, ValueError) as exc:
            raise self._malformed(exc) from None

    @property
    def meta(self) -> dict[str, Any]:
        return meta_of(self.data)

    def small_tables(self) -> dict[str, Any]:
        """Every table but the facts and the journal: what the index keeps whole
        (`history` and `undo` read the journal from the file)."""
        return {name: table for name, table in self.data.items() if name not in ("facts", "history")}


def _link_target(path: str) -> str:
    """Where a symlinked database really is; a link to no path (``/dev/stdin``, ``<(cmd)``:
    /proc's ``pipe:[N]``) keeps its own name, and is then refused for what it is."""
    if not os.path.islink(path):
        return path
    target = os.path.realpath(path)
    return target if os.path.exists(target) or not os.path.exists(path) else path


class DatabaseFile:
    """A database file on disk: read it, or change it in one atomic write."""

    def __init__(self, path: str | os.PathLike[str], *, id_prefix: str = "", user_file: bool = False) -> None:
        self.holding = False  # a write of ours holds Ctrl-C back until it is complete
        self.written_digest: str | None = None  # of the bytes our last write put in the file
        # A symlinked database is read and written (and locked) at its target.
        path = os.fspath(path)
        if len(path) > 1 and path.endswith(os.sep):  # "facts.json/" names the file, as pathlib read it
            path = path.rstrip(os.sep) or os.sep
        self.path = _link_target(path)
        self.id_prefix = id_prefix  # for a file this creates
        # The user's own file may not exist yet, and its directory is created on
        # the first write; a file named by --db must exist to be read.
        self.user_file = user_file

    @property
    def lock_path(self) -> str:
        return self.path + ".lock"

    def stat(self) -> os.stat_result | None:
        try:
            return os.stat(self.path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise DatabaseUnreadable(f"cannot read {self.path}: {exc.strerror}") from None

    def _missing(self, missing_ok: bool) -> None:
        if not (missing_ok or self.user_file):
            raise DatabaseUnreadable(f"no database at {self.path} (`factcli --db {self.path} add …` creates one)")

    def read_raw(self, missing_ok: bool = False) -> tuple[bytes, os.stat_result] | None:
        """The file's bytes and the identity of exactly those bytes (fstat of the open file)."""
        try:
            return read_regular(self.path, MAX_DATABASE_BYTES)
        except FileNotFoundError:
            self._missing(missing_ok)
            return None
        except IsADirectoryError:
            raise DatabaseUnreadable(f"{self.path} is a directory, not a database file") from None
        except NotRegular as exc:
            hint = " (save it to a file first, or `factcli import` from it)" if str(exc) == "a pipe" else ""
            raise DatabaseUnreadable(f"{self.path} is {exc}, not a database file{hint}") from None
        except TooLarge as exc:
            raise DatabaseUnreadable(f"{self.path} is too large to read whole ({exc}); nothing was read") from None
        except OSError as exc:
            raise DatabaseUnreadable(f"cannot read {self.path}: {exc.strerror}") from None

    def read_data(self, missing_ok: bool = False, lenient: bool = False) -> dict[str, Any] | None:
        """The parsed, checked content; None if the file does not exist (yet)."""
        raw = self.read_raw(missing_ok)
        return parse_database(raw[0], self.path, lenient) if raw else None

    def read(self, missing_ok: bool = False, digest: bool = False) -> Layer:
        """The file's content; with its digest when asked or when its identity is racy."""
        raw = self.read_raw(missing_ok)
        if raw is None:
            return Layer(self.path, new_database(self.id_prefix))
        data, stat = raw
        return Layer(
            self.path, parse_database(data, self.path), stat, content_digest(data) if digest or racy(stat) else None
        )

    @contextmanager
    def transaction(self) -> Iterator[Layer]:
        """Lock, read afresh, let the caller change ``layer.data``, write atomically.

        Nothing is written if the block raises.
        """
        self._refuse_non_regular()  # before a lock file is made beside /dev/stdin
        self._refuse_installed_package()
        with self._lock():
            layer = self.read(missing_ok=True, digest=True)  # the index checks a racy identity by it
            yield layer
            _checkpoint("before-write")
            self._write(layer.data)
            _COMMITS["n"] += 1

    def _refuse_installed_package(self) -> None:
        """The curated facts installed with factcli are read-only, whatever --db says
        (the repository's own facts.json, which curators edit, stays writable)."""
        installed = os.path.join(os.path.dirname(os.path.realpath(__file__)), "data")
        where = os.path.realpath(os.path.dirname(os.path.abspath(self.path)) or ".")
        if where == installed or where.startswith(installed + os.sep):
            raise WriteFailed(
                f"{self.path} is inside the installed factcli package, which is read-only; nothing was written (write to your own database: drop --db, or name another file)"
            )

    def _refuse_non_regular(self) -> None:
        import stat

        try:
            st = os.stat(self.path)
        except OSError:  # missing, or in no directory: the lock says so, as a write failure
            return
        if not stat.S_ISREG(st.st_mode):
            self.read_raw()  # raises the one-line refusal, naming what it is

    def index_after_write(
        self, old: Layer, added: list[dict[str, Any]], removed: list[str], small_tables: dict[str, Any]
    ) -> None:
        """Bring the derived index up to date with a write (called under the lock);
        ``old`` is the content the write replaced."""
        if old.stat is None or os.environ.get("FACTCLI_INDEX") == "never":
            return
        from .index import Index

        new = self.stat()
        if new is not None:
            _checkpoint("index-update")
            Index(self.path).update((old.stat, old.digest), (new, self.written_digest), added, removed, small_tables)

    @contextmanager
    def _lock(self) -> Iterator[None]:
        import fcntl  # POSIX advisory lock; released by the kernel if we die

        self._ensure_directory()
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
        except OSError as exc:
            why = "the lock file is a symbolic link" if exc.errno == errno.ELOOP else exc.strerror
            raise WriteFailed(f"cannot lock {self.path}: {why}; nothing was written") from None
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise WriteFailed(
                            f"{self.path} is locked by another factcli for over {LOCK_TIMEOUT:.0f} s; nothing was written"
                        ) from None
                    time.sleep(0.01)
            _checkpoint("locked")
            self._remove_stale_temp_files()
            yield
        finally:
            os.close(fd)

    def _ensure_directory(self) -> None:
        directory = _directory_of(self.path)
        if os.path.isdir(directory):
            return
        if not self.user_file:  # --db names a file: its directory must be there
            raise WriteFailed(f"cannot write {self.path}: directory {directory} does not exist; nothing was written")
        try:
            os.makedirs(directory, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(f"cannot create {directory}: {exc.strerror}; nothing was written") from None

    def _remove_stale_temp_files(self) -> None:
        """Temp files left by a writer that was killed (we hold the lock: none is live)."""
        prefix = _temp_prefix(self.path)
        try:
            directory = _directory_of(self.path)
            names = [n for n in os.listdir(directory) if n.startswith(prefix) and n[len(prefix) :].isdigit()]
        except OSError:
            return
        for name in names:
            try:
                os.unlink(os.path.join(directory, name))
            except OSError:
                pass

    def _write(self, data: dict[str, Any]) -> None:
        try:
            payload = dump_database(data)
        except (UnicodeEncodeError, TypeError, ValueError) as exc:
            raise InvalidInput(f"cannot store this data: {exc}; nothing was written") from None
        atomic_write(self.path, payload, hold_interrupts=True)
        self.holding = True
        self.written_digest = content_digest(payload)


def dump_database(data: dict[str, Any]) -> bytes:
    """The file's bytes: indented, sorted keys, UTF-8 unescaped (diff-friendly).

    orjson writes exactly what ``json.dumps(indent=2, sort_keys=True,
    ensure_ascii=False)`` writes, about 12× faster (0.25 s against 3 s at 100k facts).
    """
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; keep working without it
        return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
    except orjson.JSONEncodeError as exc:
        raise ValueError(str(exc)) from None


# Ctrl-C from the moment the new file replaces the old until the write's last step
# (the index update) is held back: the change is made, so it is not "interrupted".
_INTERRUPTS = {"held": 0, "pending": False}


def deferring_interrupts() -> bool:
    """Called by the SIGINT handler: True (and noted) if a commit is under way."""
    if _INTERRUPTS["held"]:
        _INTERRUPTS["pending"] = True
        return True
    return False


def interrupt_was_held() -> bool:
    return bool(_INTERRUPTS["pending"])


_COMMITS = {"n": 0}  # database writes that reached the disk in this run


def writes_committed() -> int:
    """How many database writes this run has completed (for "the change was made")."""
    return _COMMITS["n"]


def _release_interrupts() -> None:
    _INTERRUPTS["held"] = max(0, _INTERRUPTS["held"] - 1)


def _directory_of(path: str) -> str:
    return os.path.dirname(path) or "."


def _temp_prefix(path: str) -> str:
    """Temp files of a write to ``path`` are ``.NAME.tmp-PID`` beside it."""
    return f".{os.path.basename(path)}.tmp-"


def _create_new(path: str, mode: int) -> int:
    """Create a file that did not exist, never through a link: whatever stands at the
    name (a stale temp file, or a symlink someone planted to have another file
    overwritten) is unlinked, not opened. A few tries, then the error."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(5):
        try:
            return os.open(path, flags, mode)
        except FileExistsError:
            try:
                os.unlink(path)  # removes a link itself, never its target
            except FileNotFoundError:
                pass
    return os.open(path, flags, mode)


def atomic_write(path: str, payload: bytes, hold_interrupts: bool = False) -> None:
    """Write temp file → fsync → replace → fsync directory. On error the old file stays.

    With ``hold_interrupts`` the caller releases the hold on Ctrl-C (after its
    own last step); otherwise it is released when the file is in place."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        mode = None  # a new file: the umask decides, as for any file the user makes
    else:
        if not mode & 0o222:  # root ignores permissions; a read-only file says "do not write me"
            raise WriteFailed(f"cannot write {path}: the file is read-only; the old data is intact")
    directory = _directory_of(path)
    temp = os.path.join(directory, f"{_temp_prefix(path)}{os.getpid()}")
    try:
        fd = _create_new(temp, 0o644 if mode is None else mode)
        try:
            if mode is not None:
                os.fchmod(fd, mode)  # the old file's mode, not narrowed by the umask
            view = memoryview(payload)
            while view:
                written = os.write(fd, view[: 1 << 20])
                view = view[written:]
                _checkpoint("writing")
            os.fsync(fd)
        finally:
            os.close(fd)
        _checkpoint("temp-written")
        _INTERRUPTS["held"] += 1
        try:
            os.replace(temp, path)
        except BaseException:
            _release_interrupts()
            raise
    except BaseException as exc:  # an I/O error, or Ctrl-C in the write window
        try:
            os.unlink(temp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise
        reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise WriteFailed(f"cannot write {path}: {reason}; the old data is intact") from None
    _checkpoint("replaced")
    try:  # make the rename itself durable
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    if not hold_interrupts:
        _release_interrupts()


# ---------------------------------------------------------------- the view


class Source:
    """One file as the view reads it: through its index when it has a fresh one."""

    def __init__(self, file: DatabaseFile, progress: Progress | None = None) -> None:
        self.file = file
        self.progress = progress

    @cached_property
    def stat(self) -> os.stat_result | None:
        return self.file.stat()

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
        from .index import Index  # only here: small files never pay for SQLite

        idx = Index(self.file.path)
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
        from .index import stream_records

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
        from .index import Index

        with Index(self.file.path).reader(self.stat, self.digest) as conn:  # type: ignore[arg-type]
            if conn is None:
                raise ChangedWhileRead(
                    f"{self.file.path} kept changing while it was being read (other commands are writing to it); run the command again"
                )
            yield conn

    @cached_property
    def small_tables(self) -> dict[str, Any]:
        if self.indexed:
            from .index import Index

            with self.connection() as conn:
                return Index.tables(conn)
        return self.layer.small_tables()

    @cached_property
    def entities(self) -> list[Entity]:
        if not self.indexed:
            return self.layer.entities
        return [Entity.from_stored(d) for d in self.small_tables.get("aliases", {}).values()]

    @cached_property
    def removed(self) -> set[str]:
        if not self.indexed:
            return self.layer.removed
        return {d["id"] for d in self.small_tables.get("removed", {}).values()}

    def get(self, fact_id: str) -> Fact | None:
        if not self.indexed:
            return self.layer.facts.get(fact_id)
        from .index import Index

        with self.connection() as conn:
            return Index.get(conn, fact_id)


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


class View:
    """What factcli reads and writes: one file, or the user's file over the curated one."""

    def __init__(self, own: DatabaseFile, base: DatabaseFile | None = None, progress: Progress | None = None) -> None:
        self.own_file = own
        self.base_file = base
        self.progress = progress

    @cached_property
    def own_source(self) -> Source:
        return Source(self.own_file, self.progress)

    @cached_property
    def base_source(self) -> Source | None:
        return Source(self.base_file, self.progress) if self.base_file else None

    @property
    def own(self) -> Layer:
        return self.own_source.layer

    @property
    def base(self) -> Layer | None:
        return self.base_source.layer if self.base_source else None

    def _existing_sources(self) -> list[Source]:
        """The view's files that exist (the user's own may not, yet), curated first."""
        return [s for s in (self.base_source, self.own_source) if s is not None and s.stat is not None]

    def _check_exists(self) -> None:
        if self.own_source.stat is None:
            self.own_file._missing(False)

    # reading ---------------------------------------------------------------
    def facts(self) -> list[Fact]:
        """Every fact, in file order (curated first)."""
        return list(_merge(self.base, self.own).values())

    def get(self, fact_id: str) -> Fact | None:
        self._check_exists()
        own = self.own_source.get(fact_id) if self.own_source.stat else None
        if own is not None or self.base_source is None:
            return own
        if fact_id in self.own_source.removed:
            return None
        return self.base_source.get(fact_id)

    def entities(self) -> list[Entity]:
        self._check_exists()
        base = self.base_source.entities if self.base_source else []
        mine = {e.name: e for e in (self.own_source.entities if self.own_source.stat else [])}
        return [e for e in base if e.name not in mine] + list(mine.values())

    def aliases(self) -> AliasIndex:
        return AliasIndex(self.entities())

    def search_texts(self) -> dict[str, dict[str, str]]:
        """The search text (:func:`~factcli.query.haystack`) of every fact of the files
        scanned in memory, by file path then id: derived data worth caching. Files
        above the index threshold are left out (their texts would make a cache as
        large as the file), whether or not an index is in use."""
        return {
            source.file.path: {f.id: haystack(f) for f in source.layer.facts.values()}
            for source in self._existing_sources()
            if source.stat.st_size < INDEX_THRESHOLD_BYTES and not source.indexed  # type: ignore[union-attr]
        }

    def search(
        self, query: Query, aliases: AliasIndex, need_total: bool = True, texts: SearchTexts | None = None
    ) -> Result:
        """The facts that match, sorted and cut to the query's limit.

        A file with a fresh index answers from it (candidates re-checked by the
        same matcher); a small file is scanned in memory, with the search texts of
        its facts from ``texts`` where given. Both give the same result.
        """
        self._check_exists()
        matcher = Matcher(query, aliases)
        key = sort_key(query.sort, (query.date_from, query.date_to))
        streams: list[Any] = []
        if self.own_source.stat is not None:
            if self.own_source.indexed:
                stream = self._indexed_matches(self.own_source, matcher)
                # the index orders by stored columns; "fit" depends on the filter: ordered here
                streams.append(sorted(stream, key=key) if query.sort == "fit" else stream)
            else:
                own = self.own_source.layer.facts
                own_texts = (texts or {}).get(self.own_file.path, {})
                streams.append(sorted((f for f in own.values() if matcher(f, own_texts.get(f.id))), key=key))
        if self.base_source is not None:
            hidden = self._hidden_in_base()
            base_texts = (texts or {}).get(self.base_source.file.path, {})
            base = [
                f
                for f in self.base_source.layer.facts.values()
                if f.id not in hidden and matcher(f, base_texts.get(f.id))
            ]
            streams.append(sorted(base, key=key))
        if all(isinstance(stream, list) for stream in streams):  # read whole: two sorted runs
            merged: Iterable[Fact] = sorted([f for stream in streams for f in stream], key=key)
        else:  # an index streams its matches in order: merge lazily, stop at the limit
            import heapq

            merged = heapq.merge(*streams, key=key)
        limit = query.limit if query.limit and query.limit > 0 else None
        found: list[Fact] = []
        total = 0
        for fact in merged:
            total += 1
            if limit is None or len(found) < limit:
                found.append(fact)
            elif not need_total:
                break
        return Result(found, total)

    def _hidden_in_base(self) -> set[str]:
        """Ids of the curated facts the user's file replaces (edited) or removes."""
        own = self.own_source
        if own.stat is None or self.base_source is None:
            return set()
        if not own.indexed:
            return set(own.layer.facts) | own.removed
        from .index import Index

        with own.connection() as conn:
            return Index.ids(conn, self.base_source.layer.facts) | own.removed

    def curated_changes(self) -> dict[str, str]:
        """The curated facts the user changed: id → "edited" (the user's copy shows) or
        "removed", and "edited; the curated fact changed since" for a copy made from
        an older version of the curated fact than the one installed now."""
        hidden = self._hidden_in_base()
        if not hidden or self.base is None:
            return {}
        own = self.own_source
        removed = own.removed
        records = {d["id"]: d.get("curated") for d in own.small_tables.get("edits", {}).values()}
        found = {}
        for fact_id in sorted(hidden, key=lambda i: id_key(i)):
            curated = self.base.facts.get(fact_id)
            if curated is None:
                continue
            if fact_id in removed:
                found[fact_id] = "removed"
            elif fact_id in records and records[fact_id] != doc_digest(curated.to_dict()):
                found[fact_id] = "edited; the curated fact changed since"
            else:
                found[fact_id] = "edited"
        return found

    def indexed(self) -> bool:
        """Whether some file of the view is read through its index (building it if due)."""
        return any(source.indexed for source in self._existing_sources())

    def pool(self, groups: Sequence[Sequence[str]], limit: int) -> list[Fact]:
        """The facts worth reading for a question: every fact of a file read whole,
        and of an indexed file the ``limit`` that share most with the groups of
        spellings (see :meth:`factcli.index.Index.pool`); curated first."""
        self._check_exists()
        found: list[Fact] = []
        for source in self._existing_sources():
            if source.indexed:
                from .index import Index

                with source.connection() as conn:
                    facts = Index.pool(conn, groups, limit)
            else:
                facts = list(source.layer.facts.values())
            if source is self.base_source:
                hidden = self._hidden_in_base()
                facts = [f for f in facts if f.id not in hidden]
            found += facts
        return found

    @staticmethod
    def _indexed_matches(source: Source, matcher: Matcher) -> Iterator[Fact]:
        from .index import Index

        with source.connection() as conn:
            for fact in Index.candidates(conn, matcher):
                if matcher(fact):
                    yield fact

    def vocabulary(self, words: list[str], texts: SearchTexts | None = None) -> set[str]:
        """Words of the facts, for "did you mean" (from the index where there is one)."""
        vocabulary: set[str] = set()
        for source in self._existing_sources():
            if source.indexed:
                from .index import Index

                with source.connection() as conn:
                    vocabulary |= Index.vocabulary(conn, words)
            else:
                known = (texts or {}).get(source.file.path, {})
                for fact in source.layer.facts.values():
                    vocabulary.update((known.get(fact.id) or haystack(fact)).split())
        return vocabulary

    # derived data, cached between runs -----------------------------------
    def fingerprint(self) -> tuple[tuple[str, str], ...]:
        """What the view's content depends on: each file's path and
        :func:`file_identity` — of the very bytes this view reads: a file read whole
        is read now, and its identity taken from the open file, so a cache can never
        pair data derived from one version of a file with the identity of another."""
        parts = []
        for source in (self.base_source, self.own_source):
            if source is None:
                continue
            st = source.stat if source.indexed else source.layer.stat
            parts.append((source.file.path, "" if st is None else file_identity(st)))
        return tuple(parts)

    def read_cache(self, name: str, version: tuple[Any, ...]) -> Any:
        """Data derived from this view and saved by :meth:`write_cache`, or None when
        there is none or the files (or ``version``) have changed since.

        Caches hold plain data (marshal: no code is run when loading one).
        """
        import marshal

        if self._racy():
            return None
        try:
            raw, _ = read_regular(self._cache_file(name), MAX_CACHE_BYTES)
        except OSError:
            return None
        try:
            with gc_paused():
                key, value = marshal.loads(raw)
        except Exception:  # noqa: BLE001  (any damage, a 16 GB list it asks for: a miss, rebuilt)
            return None
        return value if key == (tuple(version), self.fingerprint()) else None

    def write_cache(self, name: str, version: tuple[Any, ...], value: Any) -> None:
        """Save derived data for the next run; when the cache cannot be written, skip it."""
        import marshal

        if self._racy():  # the file may change again unseen: a cache would outlive it
            return
        path = self._cache_file(name)
        try:
            payload = marshal.dumps(((tuple(version), self.fingerprint()), value))
            os.makedirs(os.path.dirname(path), exist_ok=True)
            atomic_write(path, payload)
        except (OSError, ValueError, WriteFailed):
            pass

    def _racy(self) -> bool:
        """Whether a file's identity is too recent to vouch for its content (:func:`racy`)."""
        for source in (self.base_source, self.own_source):
            if source is not None:
                st = source.stat if source.indexed else source.layer.stat
                if st is not None and racy(st):
                    return True
        return False

    def _cache_file(self, name: str) -> str:
        where = "|".join(os.path.abspath(part[0]) for part in self.fingerprint())
        return cache_path(f"{name}-{_fnv1a(where.encode('utf-8', 'surrogateescape')):08x}.marshal")

    def files(self) -> list[tuple[str, str, int]]:
        """(role, path, facts in it) of every file in use."""
        rows = []
        if self.base:
            rows.append(("curated (read-only)", self.base.path, len(self.base.data["facts"])))
        own = len(self.own_source.layer.data["facts"]) if self.own_source.stat is not None else 0
        rows.append(("yours (read-write)" if self.base else "database", self.own_file.path, own))
        return rows

    # writing ---------------------------------------------------------------
    def write(self, change: Callable[[Change], T]) -> T:
        """Run ``change`` on a fresh, locked copy of the writable file and commit it."""
        self.own_file.holding = False
        try:
            with self.own_file.transaction() as layer:
                tx = Change(self.base, layer)
                result = change(tx)
                tx.flush()
            self.own_file.index_after_write(layer, tx.added_docs(), tx.removed_ids, layer.small_tables())
        finally:
            if self.own_file.holding:
                self.own_file.holding = False
                _release_interrupts()
        self.__dict__.pop("own_source", None)  # read afresh next time
        return result


def _fnv1a(data: bytes) -> int:
    """A 32-bit FNV-1a hash: names a cache file after the paths it depends on
    (the file itself checks them; zlib.crc32 would cost 0.4 ms to import)."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _merge(base: Layer | None, own: Layer) -> dict[str, Fact]:
    if base is None:
        return own.facts
    merged = {fid: f for fid, f in base.facts.items() if fid not in own.removed}
    merged.update(own.facts)  # the user's edits of curated facts win
    return merged


def _identity_of_doc(doc: dict[str, Any]) -> tuple[str, tuple[str, ...]]:
    """The cheap part of a stored fact's identity (no text normalising)."""
    return doc.get("when") or "", tuple(sorted(doc.get("country", ())))


class Change:
    """The operations a write may perform, through TinyDB's table API, on raw documents.

    Nothing here turns every stored document into a Fact: a write to a 100k-fact
    file touches only the documents it changes. Each TinyDB operation rebuilds its
    whole table, so changes are queued and applied by :meth:`flush` in one
    operation per kind: a bulk edit or removal of k facts costs one pass, not k.
    """

    def __init__(self, base: Layer | None, layer: Layer) -> None:
        from tinydb import TinyDB
        from tinydb.storages import MemoryStorage

        self.base = base
        self.layer = layer
        self.db = TinyDB(storage=MemoryStorage)
        self.db.storage.write(layer.data)
        self.facts_table = self.db.table("facts", cache_size=0)
        self._changed: dict[str, dict[str, Any]] = {}  # fact id → its new document (added or replaced)
        self.removed_ids: list[str] = []
        self._gone: set[str] = set()
        self._updates: dict[int, dict[str, Any]] = {}  # TinyDB doc id → new content, for flush
        self._inserts: dict[str, dict[str, Any]] = {}  # user copies of curated facts, for flush
        self._removals: list[int] = []
        self._tombstones: list[dict[str, str]] = []
        self._entities: dict[str, Entity] = {}
        self._edits_added: list[dict[str, str]] = []  # curated versions of new copies
        self._untomb: set[str] = set()  # tombstones `revert` takes away
        self._unstored: set[str] = set()  # facts whose document in the user's file goes
        self._edits_dropped: set[str] = set()  # copies dropped: their record goes too
        self._journal: list[dict[str, Any]] = []  # (table, key, before, digest of after) of each document
        self.summary = ""  # what the write did, for `history` ("add u5")
        self._by_key: dict[tuple[str, tuple[str, ...]], list[str]] | None = None
        self._identities: dict[str, tuple[Any, ...] | None] = {}

    @cached_property
    def _doc_ids(self) -> dict[str, int]:
        """Fact id → TinyDB document id; built only when a write looks a fact up."""
        return {doc["id"]: int(key) for key, doc in self.layer.data["facts"].items()}

    # reading inside the write ----------------------------------------------
    def get(self, fact_id: str) -> Fact | None:
        if fact_id in self._gone:
            return None
        if fact_id in self._changed:
            return Fact.from_stored(self._changed[fact_id])
        if fact_id in self._doc_ids:
            return Fact.from_stored(self.layer.data["facts"][str(self._doc_ids[fact_id])])
        if self.base is not None and fact_id in self.base.facts and fact_id not in self.layer.removed:
            return self.base.facts[fact_id]
        return None

    def _docs(self) -> Iterator[dict[str, Any]]:
        """Every fact's document as the write stands (queued changes included)."""
        for doc in self.layer.data["facts"].values():
            if doc["id"] not in self._changed and doc["id"] not in self._gone:
                yield doc
        yield from self._changed.values()
        if self.base is not None:
            for fact_id, fact in self.base.facts.items():
                if (
                    fact_id not in self._doc_ids
                    and fact_id not in self.layer.removed
                    and fact_id not in self._changed
                    and fact_id not in self._gone
                ):
                    yield fact.to_dict()

    def expect_many(self) -> None:
        """Many facts will be checked for duplicates: index all stored ones once."""
        if self._by_key is None:
            self._by_key = {}
            for doc in self._docs():
                self._by_key.setdefault(_identity_of_doc(doc), []).append(doc["id"])

    def duplicate_of(self, fact: Fact, identity: tuple[Any, ...] | None = None) -> str | None:
        """The id of another fact with the same who, what, when and countries."""
        wanted = identity or fact.identity()
        if self._by_key is not None:
            candidates: Iterable[str] = self._by_key.get((wanted[2], wanted[3]), ())
        else:  # one fact: a scan that compares the cheap `when` first
            when = wanted[2] or None
            candidates = [
                doc["id"] for doc in self._docs() if doc.get("when") == when and _identity_of_doc(doc) == wanted[2:]
            ]
        for other_id in candidates:
            if other_id != fact.id and self._identity(other_id) == wanted:
                return other_id
        return None

    def _identity(self, fact_id: str) -> tuple[Any, ...] | None:
        if fact_id not in self._identities:
            other = self.get(fact_id)
            self._identities[fact_id] = other.identity() if other else None
        return self._identities[fact_id]

    def _remember(self, fact: Fact) -> None:
        identity = self._identities[fact.id] = fact.identity()
        if self._by_key is not None:
            self._by_key.setdefault(identity[2:], []).append(fact.id)

    def entities(self) -> list[Entity]:
        mine = {e.name: e for e in self.layer.entities}
        mine.update(self._entities)
        return [e for e in (self.base.entities if self.base else []) if e.name not in mine] + list(mine.values())

    def added_docs(self) -> list[dict[str, Any]]:
        return list(self._changed.values())

    # changing ----------------------------------------------------------------
    def _new_id(self) -> str:
        meta = self.layer.meta
        fact_id = f"{meta.get('id_prefix', '')}{meta['next_id']}"
        meta["next_id"] += 1
        return fact_id

    def _note_id(self, fact_id: str) -> None:
        """Keep the counter past an imported id of our own form: ids are never reused."""
        meta = self.layer.meta
        prefix = meta.get("id_prefix", "")
        tail = fact_id[len(prefix) :]
        if fact_id.startswith(prefix) and tail.isascii() and tail.isdigit() and int(tail) >= meta["next_id"]:
            meta["next_id"] = int(tail) + 1

    def add(self, facts: list[Fact]) -> list[Fact]:
        """Store new facts (one TinyDB write); facts without an id get a new one."""
        stamp = now()
        stored = []
        for fact in facts:
            if fact.id:
                self._note_id(fact.id)
            fact = _with(
                fact,
                id=fact.id or self._new_id(),
                created=fact.created or stamp,
                updated=fact.updated or fact.created or stamp,
            )
            stored.append(fact)
            self._remember(fact)
        docs = [f.to_dict() for f in stored]
        self._journal += [{"table": "facts", "key": d["id"], "before": None, "after": doc_digest(d)} for d in docs]
        ids = self.facts_table.insert_multiple(docs)
        if "_doc_ids" in self.__dict__:
            self._doc_ids.update((f.id, doc_id) for f, doc_id in zip(stored, ids))
        self._changed.update((d["id"], d) for d in docs)
        self.db.table("meta", cache_size=0).update(
            self.layer.meta, doc_ids=[int(min(self.layer.data["meta"], key=int))]
        )
        return stored

    def replace(self, fact: Fact) -> Fact:
        """Store a changed fact under its id (for a curated fact: the user's copy)."""
        old = self.get(fact.id)
        if old is None:
            raise NotFound(f"no fact with id {fact.id}")
        curated = self.base.facts.get(fact.id) if self.base is not None else None
        if curated is not None and fact.same_content(curated):
            return self._drop_copy(fact.id) or curated  # edited back to the curated fact: no copy is kept
        fact = _with(fact, created=old.created, updated=now())
        doc = fact.to_dict()
        doc_id = self._doc_ids.get(fact.id)
        before = self._own_fact_doc(fact.id)
        if doc_id is None:
            self._inserts[fact.id] = doc
            if curated is not None and fact.id not in self._edits_dropped:
                record = {"id": fact.id, "curated": doc_digest(curated.to_dict())}
                self._edits_added.append(record)
                self._journal.append({"table": "edits", "key": fact.id, "before": None, "after": doc_digest(record)})
        else:
            self._updates[doc_id] = doc
        self._journal.append({"table": "facts", "key": fact.id, "before": before, "after": doc_digest(doc)})
        self._changed[fact.id] = doc
        self._remember(fact)
        return fact

    def _own_fact_doc(self, fact_id: str) -> dict[str, Any] | None:
        """The user's file's document of this fact as the write stands (None: it has none)."""
        if fact_id in self._gone or fact_id in self._unstored:
            return None
        if fact_id in self._changed:
            return dict(self._changed[fact_id])
        doc_id = self._doc_ids.get(fact_id)
        return dict(self.layer.data["facts"][str(doc_id)]) if doc_id is not None else None

    def _unstore(self, fact_id: str) -> None:
        """Queue the removal of the user file's document of this fact, journaled."""
        before = self._own_fact_doc(fact_id)
        self._unstored.add(fact_id)
        if before is not None:
            self._journal.append({"table": "facts", "key": fact_id, "before": before, "after": None})
        doc_id = self._doc_ids.get(fact_id)
        if doc_id is not None:
            self._removals.append(doc_id)
            self._updates.pop(doc_id, None)
        self._inserts.pop(fact_id, None)
        self._changed.pop(fact_id, None)
        self.removed_ids.append(fact_id)

    def _drop_copy(self, fact_id: str) -> Fact | None:
        """Remove the user's copy of a curated fact (and its record), showing the
        curated fact again; returns the curated fact, or None if there was no copy."""
        if self._own_fact_doc(fact_id) is None:
            return None
        self._unstore(fact_id)  # from the user file (and its index): the curated one shows again
        self._edits_added = [r for r in self._edits_added if r["id"] != fact_id]
        record = self._small_doc("edits", fact_id)
        if record is not None:
            self._edits_dropped.add(fact_id)
            self._journal.append({"table": "edits", "key": fact_id, "before": record, "after": None})
        self._identities.pop(fact_id, None)
        return self.base.facts[fact_id] if self.base is not None else None

    def _small_doc(self, table: str, key: str) -> dict[str, Any] | None:
        field = _JOURNALED[table]
        return next((dict(d) for d in self.layer.data.get(table, {}).values() if d.get(field) == key), None)

    def _remove_where(self, table: str, keys: Iterable[str]) -> None:
        """Remove the documents of ``table`` whose key (an id; an entity's name) is one of ``keys``."""
        field, wanted = _JOURNALED[table], set(keys)
        stale = [int(k) for k, d in self.layer.data.get(table, {}).items() if d.get(field) in wanted]
        if stale:
            self.db.table(table, cache_size=0).remove(doc_ids=stale)

    def revert(self, fact_id: str) -> str:
        """Drop the user's copy or tombstone of a curated fact: the curated fact shows
        as it is now. Returns what was reverted ("edit" or "removal")."""
        if self.base is None or fact_id not in self.base.facts:
            raise InvalidInput(
                f"{fact_id} is not a curated fact: there is nothing to revert to (rm removes your own facts)"
            )
        if self._drop_copy(fact_id) is not None:
            return "edit"
        tomb = self._small_doc("removed", fact_id)
        if tomb is None:
            raise InvalidInput(f"{fact_id} is the curated fact as it is: you have not edited or removed it")
        self._untomb.add(fact_id)
        self._journal.append({"table": "removed", "key": fact_id, "before": tomb, "after": None})
        return "removal"

    # undo ----------------------------------------------------------------------
    def undo_last(self) -> dict[str, Any]:
        """Put back what the last journaled write changed; refused (nothing changed) if
        any document it wrote has changed since. Returns the undone journal entry."""
        history = self.layer.data.get("history", {})
        if not history:
            raise InvalidInput("nothing to undo: this database has no write in its history")
        key, entry = max(history.items(), key=lambda kv: kv[1]["seq"])
        if entry.get("too_large"):
            raise InvalidInput(
                f"the last write ({entry.get('summary', '?')}) was too large to keep for undo; nothing was changed"
            )
        damage = _journal_problem(entry)
        if damage:
            raise InvalidInput(f"the journal entry of the last write is damaged ({damage}); nothing was changed")
        for change in entry["changes"]:
            current = self._current(change["table"], change["key"])
            if (None if current is None else doc_digest(current)) != change["after"]:
                what = "fact" if change["table"] == "facts" else f"{change['table']} entry"
                raise InvalidInput(
                    f"cannot undo {entry['summary']!r}: {what} {change['key']} has changed since it was written; nothing was changed"
                )
        for change in reversed(entry["changes"]):
            self._restore(change["table"], change["key"], change["before"])
        self.db.table("history", cache_size=0).remove(doc_ids=[int(key)])
        return entry

    def _current(self, table: str, key: str) -> dict[str, Any] | None:
        return self._own_fact_doc(key) if table == "facts" else self._small_doc(table, key)

    def _restore(self, table: str, key: str, before: dict[str, Any] | None) -> None:
        self._remove_where(table, [key])
        if before is not None:
            doc_id = self.db.table(table, cache_size=0).insert(before)
            if table == "facts":
                self._doc_ids[key] = doc_id
                self._changed[key] = before
        if table == "facts":
            if before is None:
                self._doc_ids.pop(key, None)
                self.removed_ids.append(key)

    def remove(self, fact_id: str) -> None:
        if self.get(fact_id) is None:
            raise NotFound(f"no fact with id {fact_id}")
        self._unstore(fact_id)
        self._gone.add(fact_id)
        self._identities[fact_id] = None
        if self.base and fact_id in self.base.facts and self._small_doc("removed", fact_id) is None:
            tomb = {"id": fact_id, "removed": now()}
            self._tombstones.append(tomb)
            self._journal.append({"table": "removed", "key": fact_id, "before": None, "after": doc_digest(tomb)})
        record = self._small_doc("edits", fact_id)
        if record is not None:  # the copy is gone with the fact, whatever the curated release holds now
            self._edits_dropped.add(fact_id)
            self._journal.append({"table": "edits", "key": fact_id, "before": record, "after": None})

    def was_removed(self, fact_id: str) -> bool:
        """Whether an id was in use and is no longer: a curated fact the user removed, or
        an id of this file's own numbering below its counter that no fact holds (ids are
        never reused, not even by an import)."""
        if fact_id in self.layer.removed:
            return True
        meta = self.layer.meta
        prefix = meta.get("id_prefix", "")
        tail = fact_id[len(prefix) :]
        if not (fact_id.startswith(prefix) and tail.isascii() and tail.isdigit()):
            return False
        return int(tail) < meta["next_id"] and fact_id not in self._doc_ids and fact_id not in self._changed

    def set_entity(self, entity: Entity) -> None:
        """Add an entity, or replace the one of the same name, in the writable file."""
        if entity.name not in self._entities:
            before = self._small_doc("aliases", entity.name)
            self._journal.append({"table": "aliases", "key": entity.name, "before": before, "after": None})
        self._entities[entity.name] = entity

    def delete_entity(self, name: str) -> None:
        """Remove an entity of the writable file."""
        before = self._small_doc("aliases", name)
        if before is None:
            raise NotFound(f"no entity named {name!r} in {self.layer.path}")
        self._journal.append({"table": "aliases", "key": name, "before": before, "after": None})
        self._remove_where("aliases", [name])

    def flush(self) -> None:
        """Apply the queued changes: one TinyDB operation for each kind."""
        if self._updates:
            updates = self._updates

            def rewrite(doc: dict[str, Any]) -> None:
                new = updates[self._doc_ids[doc["id"]]]
                doc.clear()
                doc.update(new)

            self.facts_table.update(rewrite, doc_ids=list(updates))
        if self._removals:
            self.facts_table.remove(doc_ids=self._removals)
        if self._inserts:
            ids = self.facts_table.insert_multiple(list(self._inserts.values()))
            self._doc_ids.update(zip(self._inserts, ids))
        if self._tombstones:
            self.db.table("removed", cache_size=0).insert_multiple(self._tombstones)
        if self._entities:
            self._remove_where("aliases", self._entities)
            docs = [e.to_dict() for e in self._entities.values()]
            self.db.table("aliases", cache_size=0).insert_multiple(docs)
            after = {d["name"]: doc_digest(d) for d in docs}
            for entry in self._journal:
                if entry["table"] == "aliases":
                    entry["after"] = after[entry["key"]]
        self._remove_where("edits", self._edits_dropped)
        self._remove_where("removed", self._untomb)
        if self._edits_added:
            self.db.table("edits", cache_size=0).insert_multiple(self._edits_added)
        self._record_history()
        self._updates, self._removals, self._inserts, self._tombstones, self._entities = {}, [], {}, [], {}
        self._edits_added, self._edits_dropped, self._untomb, self._journal = [], set(), set(), []

    def _record_history(self) -> None:
        """The journal entry of this write, in the same atomic write as the change; the
        oldest entries go past HISTORY_WRITES or HISTORY_BYTES."""
        if not self._journal:
            return
        history = self.layer.data.setdefault("history", {})
        entries = sorted(history.items(), key=lambda kv: kv[1]["seq"])
        seq = (entries[-1][1]["seq"] + 1) if entries else 1
        entry: dict[str, Any] = {"seq": seq, "at": now(), "summary": self.summary, "changes": self._journal}
        entry["bytes"] = len(json.dumps(entry, ensure_ascii=False))
        if entry["bytes"] > HISTORY_BYTES:  # too large to keep: no undo for it, and none past it
            entry = {
                "seq": seq,
                "at": entry["at"],
                "summary": self.summary,
                "changes": [],
                "bytes": 0,
                "too_large": True,
            }
        entries.append(("", entry))
        total, keep = 0, []
        for key, doc in reversed(entries):
            total += doc.get("bytes", 0)
            if len(keep) >= HISTORY_WRITES or total > HISTORY_BYTES:
                break
            keep.append(doc)
        table = self.db.table("history", cache_size=0)
        table.truncate()
        table.insert_multiple(list(reversed(keep)))


_JOURNALED = {"facts": "id", "removed": "id", "edits": "id", "aliases": "name"}


def _journal_problem(entry: dict[str, Any]) -> str | None:
    """What makes a journal entry unsafe to undo (a hand edit of the history table):
    each change must name a journaled table and key, and every pre-image must be a
    document of that table's shape."""
    from .layout import _fact_structure

    if not isinstance(entry.get("summary"), str):
        return "no summary"
    for change in entry["changes"]:
        if (
            not isinstance(change, dict)
            or change.get("table") not in _JOURNALED
            or not isinstance(change.get("key"), str)
        ):
            return "a change names no table and key"
        before, after = change.get("before"), change.get("after")
        if after is not None and not isinstance(after, str):
            return f"the change of {change['key']} has no digest"
        if before is None:
            continue
        if not isinstance(before, dict) or before.get(_JOURNALED[change["table"]]) != change["key"]:
            return f"the earlier {change['table']} document of {change['key']} does not match it"
        if change["table"] == "facts" and _fact_structure(before):
            return f"the earlier fact {change['key']} {_fact_structure(before)}"
    return None


def _with(fact: Fact, **changes: Any) -> Fact:
    return fact._replace(**changes)


# ---------------------------------------------------------------- where the data lives


def curated_path() -> str:
    """The curated facts.json: inside the installed package, or at the top of a checkout."""
    here = os.path.dirname(os.path.realpath(__file__))
    packaged = os.path.join(here, "data", "facts.json")
    return packaged if os.path.exists(packaged) else os.path.join(os.path.dirname(here), "facts.json")


def user_dir(kind: str) -> str:
    """The user's data, cache or config directory for factcli, by the platform's conventions.

    On Linux and other XDG systems this is what platformdirs computes
    ($XDG_DATA_HOME or ~/.local/share, $XDG_CACHE_HOME or ~/.cache,
    $XDG_CONFIG_HOME or ~/.config), done here
    without importing it (7 ms of every command's start-up); elsewhere, platformdirs.
    """
    import sys

    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        variable, default = {
            "data": ("XDG_DATA_HOME", ".local/share"),
            "cache": ("XDG_CACHE_HOME", ".cache"),
            "config": ("XDG_CONFIG_HOME", ".config"),
        }[kind]
        base = os.environ.get(variable, "").strip()
        return os.path.join(base if base else os.path.join(os.path.expanduser("~"), default), "factcli")
    import platformdirs

    finder = {
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
        "config": platformdirs.user_config_dir,
    }[kind]
    return finder("factcli", appauthor=False)


def code_stamp(*modules: str) -> tuple[tuple[int, int], ...]:
    """Size and modification time of factcli's modules that some cached data was
    derived by: a cache written by other code (an upgrade, an edit in a checkout)
    is then never used."""
    stamps = []
    for module in modules:
        st = os.stat(module_file(module))
        stamps.append((st.st_size, st.st_mtime_ns))
    return tuple(stamps)


def module_file(module: str) -> str:
    """The source file of factcli's module ``module`` ("text", later "ask.reading"):
    the imported module's ``__file__``, or where the import system would find it.
    A name that is no module is an error, never a stamp that matches for ever (a
    module moved into a subpackage must not leave caches trusted)."""
    import sys

    name = f"{__package__}.{module}"
    loaded = sys.modules.get(name)
    found = getattr(loaded, "__file__", None)
    if found is None:
        import importlib.util

        spec = importlib.util.find_spec(name)
        found = spec.origin if spec is not None else None
    if not found:
        raise LookupError(f"no module {name} to stamp derived data with")
    return found


def derived_data_version(format_version: Any, *modules: str) -> tuple[Any, ...]:
    """What data derived from a database depends on besides the database itself:
    the derived format's own version, factcli's version and the stamps of the
    ``modules`` that derive it, the ISO 3166 data, and Python (marshal's format).
    The caches and the index are used only while all of it is the same."""
    import sys

    from . import __version__, countries

    return format_version, __version__, countries.data_version(), code_stamp(*modules), sys.hexversion


def cache_path(name: str) -> str:
    """A file in the user cache directory (data derived from databases, safe to delete)."""
    return os.path.join(user_dir("cache"), name)


def user_path() -> str:
    """The user's own database, in the platform's user data directory."""
    return os.path.join(user_dir("data"), "facts.json")


def open_view(
    db: str | None = None, progress: Progress | None = None, mine: str | None = None, curated: bool = True
) -> View:
    """The database(s) to use: ``db`` (from --db or FACTCLI_DB) alone; else the user's
    own file (``mine``, the config's db, or the default one) over the curated facts,
    or alone when ``curated`` is false. ``progress`` shows long work to the user."""
    if db:
        return View(DatabaseFile(db, id_prefix=""), progress=progress)
    own = DatabaseFile(mine or user_path(), id_prefix="u", user_file=True)  # made by the first write
    base = DatabaseFile(curated_path(), id_prefix="c") if curated else None
    return View(own, base=base, progress=progress)


def _no_progress(label: str) -> AbstractContextManager[Callable[[int], None]]:
    return nullcontext(lambda n: None)
