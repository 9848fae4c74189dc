"""The storage interface: what a backend must do to serve every command.

A :class:`Backend` is one database (a JSON file today; a SQLite file or a
PostgreSQL server are meant to join the same way). :class:`~factcli.store.overlay.View`
stacks the user's own backend over the curated one and is all the commands see:
no caller branches on which backend it has.

A backend registers itself with :func:`register` (the JSON file does so in
:mod:`factcli.store.jsonfile`); :func:`open_backend` asks each registered class
whether it serves a location, in registration order, the way llm picks a model
plugin and pipx a backend.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

if TYPE_CHECKING:
    from factcli.model import Fact
    from factcli.query import Entity, Matcher

T = TypeVar("T")
# Shows long work to the user: progress(label) is a context that yields advance(n).
Progress = Callable[[str], AbstractContextManager[Callable[[int], None]]]
SearchTexts = dict[str, dict[str, str]]  # database location → fact id → search text
SortKey = Callable[["Fact"], Any]


class Writer(Protocol):
    """What a write's function is given (``View.write(change)``): the database as the write
    stands, and the changes it may make. Each backend's transaction provides one
    (the JSON file's is :class:`~factcli.store.jsonfile.change.Change`)."""

    summary: str  # what the write did, for `history` ("add u5")
    base_entities: list[Entity]  # the curated database's entities, read-only
    batch_size: int  # how many facts add() takes at a time at no extra cost (0: all in one call)

    def get(self, fact_id: str) -> Fact | None: ...
    def entities(self) -> list[Entity]: ...
    def duplicate_of(self, fact: Fact, identity: tuple[Any, ...] | None = None) -> str | None: ...
    def was_removed(self, fact_id: str) -> bool: ...
    def added_here(self, fact_id: str) -> bool: ...  # the fact was added by this write
    def expect_many(self) -> None: ...
    # The facts (with their identities) that get, duplicate_of and was_removed are asked
    # about next, before anything changes: a backend may read them in one query a kind.
    def prefetch(self, placed: Sequence[tuple[Fact, tuple[Any, ...]]]) -> None: ...
    def add(self, facts: list[Fact]) -> list[Fact]: ...
    def replace(self, fact: Fact) -> Fact: ...
    def remove(self, fact_id: str) -> None: ...
    def revert(self, fact_id: str) -> str: ...
    def undo_last(self) -> dict[str, Any]: ...
    def set_entity(self, entity: Entity) -> None: ...
    def delete_entity(self, name: str) -> None: ...


class Backend(ABC):
    """One database: facts by id, the small tables (aliases, removed ids, edits of
    curated facts, the journal), candidates for a query, and one write transaction.

    Reads see one state of the database for the life of the object; after a
    write, the view opens the backend afresh.
    """

    kind: ClassVar[str]  # what `info` calls it: "JSON file", ...
    # Whether an import is best read inside the write, as it streams (a database that
    # stores rows as they come), or read whole before it (one written whole anyway).
    streams_imports: ClassVar[bool] = False

    def __init__(
        self, location: str, *, id_prefix: str = "", user_file: bool = False, progress: Progress | None = None
    ):
        self.location = location
        self.id_prefix = id_prefix
        self.user_file = user_file
        self.progress = progress

    @classmethod
    @abstractmethod
    def serves(cls, location: str) -> bool:
        """Whether this backend serves ``location`` (a path or a URL)."""

    def reopened(self) -> Backend:
        """The same database opened afresh (to read what a write committed)."""
        return type(self)(self.location, id_prefix=self.id_prefix, user_file=self.user_file, progress=self.progress)

    # -- state -----------------------------------------------------------
    @abstractmethod
    def exists(self) -> bool:
        """Whether the database exists yet (a user's own one is made by its first write)."""

    @abstractmethod
    def must_exist(self) -> None:
        """Raise :class:`~factcli.errors.DatabaseUnreadable` naming the database when it does not exist."""

    @abstractmethod
    def revision(self) -> str:
        """An identity of the content read, for caches: it changes with every committed
        write ("" for a database that does not exist)."""

    @abstractmethod
    def settled(self) -> bool:
        """Whether :meth:`revision` vouches for the content (a file changed within the
        clock's resolution may change again unseen: no cache is kept of it)."""

    @abstractmethod
    def description(self) -> str:
        """How `info` names the backend in use ("JSON file, read whole", ...)."""

    def advice(self) -> str | None:
        """A sentence for the user about this database, when there is one to say (a JSON
        file so large that a SQLite copy would write faster); shown once, on a terminal."""
        return None

    # -- reading ---------------------------------------------------------
    @abstractmethod
    def count(self) -> int:
        """How many facts it stores."""

    @abstractmethod
    def facts(self) -> dict[str, Fact]:
        """Every fact by id, in stored order."""

    @abstractmethod
    def get(self, fact_id: str) -> Fact | None:
        """One fact by id (the id as stored), or None."""

    @abstractmethod
    def stored_ids(self, among: Collection[str]) -> set[str]:
        """Which of ``among`` it stores (the curated facts a user's copy replaces)."""

    @abstractmethod
    def entities(self) -> list[Entity]:
        """The entities and their other names (aliases), in stored order."""

    @abstractmethod
    def removed(self) -> set[str]:
        """Ids removed from it (or, for a user's own database, from the curated one): never reused."""

    @abstractmethod
    def edits(self) -> dict[str, str | None]:
        """For each copy of a curated fact, the digest of the curated version it was made from."""

    @abstractmethod
    def stored_tables(self) -> dict[str, Any]:
        """Every table as plain records (table → key → record), read leniently, for
        `check` to find what is wrong in them: a record that does not parse is kept."""

    @abstractmethod
    def history(self) -> list[dict[str, Any]]:
        """The journal of recent writes, oldest first (what `history` and `undo` read)."""

    @abstractmethod
    def matches(self, matcher: Matcher, key: SortKey, texts: dict[str, str] | None) -> Iterable[Fact]:
        """The facts ``matcher`` accepts, sorted by ``key``: a list, or a lazy stream in
        that order (a backend may propose candidates, but every one is re-checked by
        ``matcher``). ``texts`` are cached search texts by id, where the backend has any."""

    @abstractmethod
    def search_texts(self) -> dict[str, str] | None:
        """Search texts worth caching between runs, by id; None when the backend has its own index."""

    @abstractmethod
    def pooled(self) -> bool:
        """Whether `ask` should read :meth:`pool` (too large to read every fact)."""

    @abstractmethod
    def pool(self, groups: Sequence[Sequence[str]], limit: int) -> list[Fact]:
        """The ``limit`` facts that share most with the groups of spellings of a question."""

    @abstractmethod
    def vocabulary(self, words: list[str], texts: dict[str, str] | None) -> set[str]:
        """Words of the facts near ``words``, for "did you mean"."""

    # -- copying ---------------------------------------------------------
    @abstractmethod
    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Everything it stores, as (table, document) in the JSON layout's tables and
        order: first the meta record, then facts, aliases, removed, edits, history
        (streamed where the backend can: what `copy` reads)."""

    @abstractmethod
    def restore(self, records: Iterable[tuple[str, dict[str, Any]]], progress: Callable[[int], None]) -> int:
        """Make this database, which must not exist yet, from :meth:`records` of another,
        all or nothing; ``progress(n)`` after each n facts. Returns how many facts."""

    def init(self) -> bool:
        """Make the database's schema (a server's; a file is made by its first write)."""
        from factcli.errors import InvalidInput

        raise InvalidInput(f"{self.location} is a {self.kind}: it is made by its first write (add or import)")

    def migrate(self) -> str:
        """Bring a server database to this client's schema; what was done."""
        return f"{self.location} is a {self.kind}: it is brought up to date by any write"

    # -- writing ---------------------------------------------------------
    @abstractmethod
    def write(self, base: Backend | None, change: Callable[[Writer], T], commit: bool = True) -> T:
        """Run ``change`` on a :class:`Writer` over a fresh, locked state and commit it, all or nothing.
        ``base`` is the curated database under it, read-only. With ``commit`` false the
        change is made and discarded: a dry run that meets every check a write does."""


_COMMITS = {"n": 0}  # database writes that reached the disk in this run, on any backend


def committed() -> None:
    """Count a write that reached the disk (a backend calls this once it has)."""
    _COMMITS["n"] += 1


def writes_committed() -> int:
    """How many database writes this run has completed (for "the change was made")."""
    return _COMMITS["n"]


def canonical_json(value: Any) -> str:
    """Compact JSON with sorted keys, the same text as ``json.dumps(sort_keys=True,
    ensure_ascii=False, separators=(",", ":"))`` (tested) from orjson in a third of the
    time; the stdlib for what orjson refuses (a lone surrogate)."""
    import orjson

    try:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode("utf-8")
    except TypeError:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def doc_digest(doc: Any) -> str:
    """A short digest of a stored document (canonical JSON): what the journal and the
    record of edits keep to tell whether a document changed since. One function for
    every backend: :meth:`Backend.edits` holds these, and the view compares them."""
    import hashlib

    return hashlib.blake2b(canonical_json(doc).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


# Each registered backend: whether it serves a location, and how to get its class
# (imported only when it serves one: a JSON file's command never imports sqlite3).
_BACKENDS: list[tuple[Callable[[str], bool], Callable[[], type[Backend]]]] = []
_REGISTERED: set[type[Backend]] = set()


def register(backend: type[Backend]) -> type[Backend]:
    """Make a backend available to :func:`open_backend` (usable as a class decorator)."""
    if backend not in _REGISTERED:  # (never load() here: that would import a lazy backend)
        _REGISTERED.add(backend)
        _BACKENDS.append((backend.serves, lambda: backend))
    return backend


def register_lazy(serves: Callable[[str], bool], target: str) -> None:
    """Make a backend available whose module (``"package.module:Class"``) is imported
    only when ``serves`` says it serves a location."""

    def load() -> type[Backend]:
        import importlib

        module, _, name = target.partition(":")
        return getattr(importlib.import_module(module), name)

    _BACKENDS.append((serves, load))


def open_backend(location: Any, **options: Any) -> Backend:
    """The backend for ``location``: the first registered one that serves it."""
    location = str(location)
    for serves, load in _BACKENDS:
        if serves(location):
            return load()(location, **options)
    from factcli.errors import InvalidInput

    raise InvalidInput(f"no storage backend serves {location!r}")
