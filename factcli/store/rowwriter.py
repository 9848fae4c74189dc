"""A write to a database of rows (a SQLite file, a PostgreSQL server): the
:class:`~factcli.store.base.Writer` of one transaction, with the JSON file's
semantics (ids never reused, a user's copy of a curated fact and the record of the
version it was made from, tombstones, the journal for `undo`), each change made as
it is asked for. The rules are here, once; each backend's writer gives the row
operations (its SQL) as the abstract methods below."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from factcli.errors import InvalidInput, NotFound
from factcli.model import Fact
from factcli.query import Entity
from factcli.store.base import doc_digest
from factcli.store.journal import (
    HISTORY_BYTES,
    UNDOABLE_CHANGES,
    check_undoable,
    journal_entry,
    kept,
    now,
    not_changed,
    not_curated,
)

if TYPE_CHECKING:
    from factcli.store.base import Backend

_PROGRESS_EVERY = 2_000  # facts between two reports of a copy's progress


class RowWriter(ABC):
    """The changes one command makes, inside the transaction the backend holds open."""

    batch_size = 2_000  # rows are inserted as they are added: an import streams in batches

    def __init__(self, meta: dict[str, str], base: Backend | None, location: str) -> None:
        self.location = location
        self.base_facts: dict[str, Fact] = base.facts() if base is not None else {}
        self.base_entities: list[Entity] = base.entities() if base is not None else []
        self.summary = ""
        self.meta = meta
        self.prefix = meta.get("id_prefix", "")
        self.next_id = int(meta["next_id"])
        self._journal: list[dict[str, Any]] = []
        self._journal_bytes = 0  # about what the journal entry will take
        self._base_by_identity: dict[tuple[Any, ...], list[str]] | None = None
        self._removed: set[str] | None = None  # the removed table's ids, read once (it is small)
        self._first_added_row: int | None = None  # the row number this write's first add took, or lower
        # what prefetch read, until the next change of a fact: id → own document (None: no
        # row), and identity → (id, document) of the rows with its key
        self._known_docs: dict[str, dict[str, Any] | None] = {}
        self._known_same: dict[tuple[Any, ...], list[tuple[str, dict[str, Any]]]] = {}

    # the rows: each backend's SQL ----------------------------------------------
    @abstractmethod
    def _own_doc(self, fact_id: str) -> dict[str, Any] | None:
        """The stored document of a fact of this database, or None."""

    @abstractmethod
    def _same_identity(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        """(id, document) of the facts stored with this identity key."""

    def _own_docs(self, fact_ids: list[str]) -> dict[str, dict[str, Any]]:
        """The stored documents of those of ``fact_ids`` this database holds (a backend may
        read them in one query)."""
        found = {}
        for fact_id in fact_ids:
            doc = self._own_doc(fact_id)
            if doc is not None:
                found[fact_id] = doc
        return found

    def _same_identities(self, keys: list[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        """:meth:`_same_identity` for many keys: key → (id, document), for the keys any row has."""
        found = {}
        for key in keys:
            rows = self._same_identity(key)
            if rows:
                found[key] = rows
        return found

    @abstractmethod
    def _small(self, table: str, key: str) -> dict[str, Any] | None:
        """A document of a small table (aliases, removed, edits), or None."""

    @abstractmethod
    def _small_docs(self, table: str) -> list[dict[str, Any]]:
        """Every document of a small table, in stored order."""

    @abstractmethod
    def _put_small(self, table: str, key: str, doc: dict[str, Any]) -> None:
        """Store a small table's document, in place of any of the same key, last in order."""

    @abstractmethod
    def _drop_small(self, table: str, key: str) -> None: ...

    @abstractmethod
    def _insert_fact(self, doc: dict[str, Any], fact: Fact) -> None: ...

    def _insert_facts(self, pairs: list[tuple[dict[str, Any], Fact]]) -> None:
        """Store many new facts (a backend may send them in one round trip)."""
        for doc, fact in pairs:
            self._insert_fact(doc, fact)

    # every change of a fact's rows goes through these four: what prefetch read is forgotten
    def _insert_fact_row(self, doc: dict[str, Any], fact: Fact) -> None:
        self._forget_prefetched()
        self._insert_fact(doc, fact)

    def _insert_fact_rows(self, pairs: list[tuple[dict[str, Any], Fact]]) -> None:
        self._forget_prefetched()
        self._insert_facts(pairs)

    def _replace_fact_rows(self, fact_id: str, doc: dict[str, Any], fact: Fact) -> None:
        self._forget_prefetched()
        self._replace_fact(fact_id, doc, fact)

    def _delete_fact_rows(self, fact_id: str) -> None:
        self._forget_prefetched()
        self._delete_fact(fact_id)

    @abstractmethod
    def _replace_fact(self, fact_id: str, doc: dict[str, Any], fact: Fact) -> None:
        """Store a fact's new document in its place (the stored order is kept)."""

    @abstractmethod
    def _delete_fact(self, fact_id: str) -> None: ...

    @abstractmethod
    def _history(self) -> list[tuple[int, dict[str, Any]]]:
        """The journal's (seq, entry), oldest first."""

    @abstractmethod
    def _undoable(self) -> tuple[int, dict[str, Any]] | None:
        """The journal entry `undo` reverses: the last write (on a shared server, the last of this user's)."""

    @abstractmethod
    def _set_history(self, drop_below: int, seq: int, entry: dict[str, Any] | None) -> None:
        """Drop the entries before ``drop_below`` and add ``entry`` as ``seq`` (None: delete ``seq``)."""

    @abstractmethod
    def _set_meta(self, key: str, value: str) -> None: ...

    @abstractmethod
    def _new_revision(self) -> None:
        """Raise the revision counter, in this transaction."""

    # reading inside the write ------------------------------------------------
    def prefetch(self, placed: Sequence[tuple[Fact, tuple[Any, ...]]]) -> None:
        """Read the documents of the facts' ids and of the rows with their identities, in a
        query or two, for the get, duplicate_of and was_removed that follow (an import's
        batch: thousands of lookups by index become two)."""
        from factcli.store.sqlfacts import identity_key

        self._forget_prefetched()
        ids = list(dict.fromkeys(fact.id for fact, _ in placed if fact.id))
        keys = {identity: identity_key(identity) for _, identity in placed}
        docs = self._own_docs(ids)
        same = self._same_identities(list(dict.fromkeys(keys.values())))
        self._known_docs = {fact_id: docs.get(fact_id) for fact_id in ids}
        self._known_same = {identity: same.get(key, []) for identity, key in keys.items()}

    def _forget_prefetched(self) -> None:
        self._known_docs, self._known_same = {}, {}

    def _doc(self, fact_id: str) -> dict[str, Any] | None:
        """The stored document of a fact of this database (prefetched, or read now), or None."""
        if fact_id in self._known_docs:
            return self._known_docs[fact_id]
        return self._own_doc(fact_id)

    def get(self, fact_id: str) -> Fact | None:
        doc = self._doc(fact_id)
        if doc is not None:
            return Fact.from_stored(doc)
        if fact_id in self.base_facts and not self._is_removed(fact_id):
            return self.base_facts[fact_id]
        return None

    def entities(self) -> list[Entity]:
        mine = {e.name: e for e in (Entity.from_stored(d) for d in self._small_docs("aliases"))}
        return [e for e in self.base_entities if e.name not in mine] + list(mine.values())

    def _is_removed(self, fact_id: str) -> bool:
        """Whether the removed table holds ``fact_id`` (one query per write, not per fact)."""
        if self._removed is None:
            self._removed = {d["id"] for d in self._small_docs("removed")}
        return fact_id in self._removed

    def _set_small(self, table: str, key: str, doc: dict[str, Any]) -> None:
        """Store a small table's document (what every write here goes through: the removed
        ids read once stay true)."""
        self._put_small(table, key, doc)
        if table == "removed" and self._removed is not None:
            self._removed.add(key)

    def _unset_small(self, table: str, key: str) -> None:
        self._drop_small(table, key)
        if table == "removed" and self._removed is not None:
            self._removed.discard(key)

    def expect_many(self) -> None:
        """Many facts will be written, or checked for duplicates (an import, a copy)."""

    def duplicate_of(self, fact: Fact, identity: tuple[Any, ...] | None = None) -> str | None:
        """The id of another fact with the same who, what, when and countries."""
        from factcli.store.sqlfacts import identity_key

        wanted = identity or fact.identity()
        same = self._known_same.get(wanted)
        for other_id, doc in same if same is not None else self._same_identity(identity_key(wanted)):
            if other_id != fact.id and Fact.from_stored(doc).identity() == wanted:
                return other_id
        if self._base_by_identity is None:
            self._base_by_identity = {}
            for fact_id, base_fact in self.base_facts.items():
                self._base_by_identity.setdefault(base_fact.identity(), []).append(fact_id)
        for other_id in self._base_by_identity.get(wanted, ()):
            if other_id != fact.id and self._doc(other_id) is None and not self._is_removed(other_id):
                return other_id
        return None

    @abstractmethod
    def _next_row_number(self) -> int:
        """A row number no stored fact has and every later insert exceeds or takes."""

    @abstractmethod
    def _row_number(self, fact_id: str) -> int | None:
        """The row number of the fact's row (None: no row)."""

    def added_here(self, fact_id: str) -> bool:
        """Whether this write added the fact (an import's earlier row, stored in a batch)."""
        if self._first_added_row is None:
            return False  # nothing added yet
        number = self._row_number(fact_id)
        return number is not None and number >= self._first_added_row

    def was_removed(self, fact_id: str) -> bool:
        """A curated fact the user removed, or an id of this database's numbering below its
        counter that no fact holds (ids are never reused, not even by an import)."""
        if self._is_removed(fact_id):
            return True
        tail = fact_id[len(self.prefix) :]
        if not (fact_id.startswith(self.prefix) and tail.isascii() and tail.isdigit()):
            return False
        return int(tail) < self.next_id and self._doc(fact_id) is None

    # changing ----------------------------------------------------------------
    def _journal_change(self, table: str, key: str, before: dict[str, Any] | None, after: Any) -> None:
        if self._journal_bytes > HISTORY_BYTES:
            return  # too large to keep for undo (journal_entry says so): memory stays flat
        digest = None if after is None else doc_digest(after)
        self._journal.append({"table": table, "key": key, "before": before, "after": digest})
        self._journal_bytes += 80 + len(key) + (len(json.dumps(before, ensure_ascii=False)) if before else 0)
        if len(self._journal) > UNDOABLE_CHANGES:
            self._journal_bytes = HISTORY_BYTES + 1  # past the count kept: the same as past the bytes
        if self._journal_bytes > HISTORY_BYTES:
            self._journal = [{"table": "facts", "key": "", "before": None, "after": None}]  # a marker

    def add(self, facts: list[Fact]) -> list[Fact]:
        """Store new facts; facts without an id get the next one."""
        stamp = now()
        stored = []
        pairs = []
        for fact in facts:
            if fact.id:
                self._note_id(fact.id)
            else:
                fact = fact._replace(id=f"{self.prefix}{self.next_id}")
                self.next_id += 1
            fact = fact._replace(created=fact.created or stamp, updated=fact.updated or fact.created or stamp)
            doc = fact.to_dict()
            pairs.append((doc, fact))
            self._journal_change("facts", fact.id, None, doc)
            stored.append(fact)
        if self._first_added_row is None and pairs:
            self._first_added_row = self._next_row_number()  # (one query, and only for a write that adds)
        self._insert_fact_rows(pairs)
        return stored

    def _note_id(self, fact_id: str) -> None:
        """Keep the counter past an imported id of our own form: ids are never reused."""
        tail = fact_id[len(self.prefix) :]
        if fact_id.startswith(self.prefix) and tail.isascii() and tail.isdigit() and int(tail) >= self.next_id:
            self.next_id = int(tail) + 1

    def replace(self, fact: Fact) -> Fact:
        """Store a changed fact under its id (for a curated fact: the user's copy)."""
        old = self.get(fact.id)
        if old is None:
            raise NotFound(f"no fact with id {fact.id}")
        curated = self.base_facts.get(fact.id)
        if curated is not None and fact.same_content(curated):
            return self._drop_copy(fact.id) or curated  # edited back to the curated fact: no copy is kept
        fact = fact._replace(created=old.created, updated=now())
        doc = fact.to_dict()
        before = self._own_doc(fact.id)
        if before is None:
            self._insert_fact_row(doc, fact)
        else:
            self._replace_fact_rows(fact.id, doc, fact)
        if before is None and curated is not None and self._small("edits", fact.id) is None:
            record = {"id": fact.id, "curated": doc_digest(curated.to_dict())}
            self._set_small("edits", fact.id, record)
            self._journal_change("edits", fact.id, None, record)
        self._journal_change("facts", fact.id, before, doc)
        return fact

    def _unstore(self, fact_id: str) -> None:
        before = self._own_doc(fact_id)
        if before is not None:
            self._delete_fact_rows(fact_id)
            self._journal_change("facts", fact_id, before, None)

    def _drop_record(self, fact_id: str) -> None:
        record = self._small("edits", fact_id)
        if record is not None:
            self._unset_small("edits", fact_id)
            self._journal_change("edits", fact_id, record, None)

    def _drop_copy(self, fact_id: str) -> Fact | None:
        """Remove the user's copy of a curated fact (and its record): the curated fact
        shows again; returns it, or None if there was no copy."""
        if self._own_doc(fact_id) is None:
            return None
        self._unstore(fact_id)
        self._drop_record(fact_id)
        return self.base_facts.get(fact_id)

    def remove(self, fact_id: str) -> None:
        if self.get(fact_id) is None:
            raise NotFound(f"no fact with id {fact_id}")
        self._unstore(fact_id)
        if fact_id in self.base_facts and not self._is_removed(fact_id):
            tomb = {"id": fact_id, "removed": now()}
            self._set_small("removed", fact_id, tomb)
            self._journal_change("removed", fact_id, None, tomb)
        if fact_id in self.base_facts:
            self._drop_record(fact_id)  # the copy is gone with the fact
        # (without a curated database under it, the record of a loaded curated fact stays:
        # a merge of a newer release then knows the team removed it)

    def revert(self, fact_id: str) -> str:
        """Drop the user's copy or tombstone of a curated fact; "edit" or "removal"."""
        if fact_id not in self.base_facts:
            raise not_curated(fact_id)
        if self._drop_copy(fact_id) is not None:
            return "edit"
        tomb = self._small("removed", fact_id)
        if tomb is None:
            raise not_changed(fact_id)
        self._unset_small("removed", fact_id)
        self._journal_change("removed", fact_id, tomb, None)
        return "removal"

    def set_entity(self, entity: Entity) -> None:
        """Add an entity, or replace the one of the same name."""
        doc = entity.to_dict()
        earlier = next((c for c in self._journal if c["table"] == "aliases" and c["key"] == entity.name), None)
        if earlier is None:
            self._journal_change("aliases", entity.name, self._small("aliases", entity.name), doc)
        else:  # set twice in one write: one change, from the first state to the last
            earlier["after"] = doc_digest(doc)
        self._set_small("aliases", entity.name, doc)

    def delete_entity(self, name: str) -> None:
        before = self._small("aliases", name)
        if before is None:
            raise NotFound(f"no entity named {name!r} in {self.location}")
        self._unset_small("aliases", name)
        self._journal_change("aliases", name, before, None)

    # undo --------------------------------------------------------------------
    def undo_last(self) -> dict[str, Any]:
        """Put back what the last journaled write changed; refused (nothing changed) if any
        document it wrote has changed since. Returns the undone journal entry."""
        last = self._undoable()
        if last is None:
            raise InvalidInput(self._nothing_to_undo())
        seq, entry = last
        check_undoable(entry, self._current)
        for change in reversed(entry["changes"]):
            self._restore(change["table"], change["key"], change["before"])
        self._set_history(0, seq, None)
        self._journal = []  # an undo is not itself journaled
        return entry

    def _nothing_to_undo(self) -> str:
        """Why there is nothing to undo (a shared database says whose writes there are)."""
        return "nothing to undo: this database has no write in its history"

    def _current(self, table: str, key: str) -> dict[str, Any] | None:
        return self._own_doc(key) if table == "facts" else self._small(table, key)

    def _restore(self, table: str, key: str, before: dict[str, Any] | None) -> None:
        if table == "facts":
            stored = self._own_doc(key) is not None
            if before is None:
                if stored:
                    self._delete_fact_rows(key)
            elif stored:
                self._replace_fact_rows(key, before, Fact.from_stored(before))
            else:
                self._insert_fact_row(before, Fact.from_stored(before))
            return
        self._unset_small(table, key)
        if before is not None:
            self._set_small(table, key, before)

    # the curated facts on a shared database ---------------------------------
    def merge_curated(self, release: dict[str, Fact]) -> dict[str, list[str]]:
        """Merge a curated release into a database the curated facts were loaded into
        (each loaded fact has an edits record: the digest of the version it was loaded
        from). A fact nobody changed since is brought to the release; one the team
        edited or removed is kept as the team left it, and reported when the release
        changed it too (a conflict); a new curated fact is added. Returns the ids by outcome."""
        report: dict[str, list[str]] = {"added": [], "updated": [], "unchanged": [], "conflict": [], "kept": []}
        for fact_id, fact in release.items():
            record = self._small("edits", fact_id)
            stored = self._own_doc(fact_id)
            new_digest = doc_digest(fact.to_dict())
            if record is None:
                if stored is None and not self.was_removed(fact_id):
                    self._load_curated(fact, None)
                    report["added"].append(fact_id)
                else:
                    report["conflict"].append(fact_id)  # the id holds a fact of the team's own
                continue
            loaded = record.get("curated")
            released_change = new_digest != loaded
            team_change = stored is None or doc_digest(stored) != loaded
            if team_change:
                report["conflict" if released_change else "kept"].append(fact_id)
            elif released_change:
                self._load_curated(fact, stored)
                report["updated"].append(fact_id)
            else:
                report["unchanged"].append(fact_id)
        return report

    def _load_curated(self, fact: Fact, before: dict[str, Any] | None) -> None:
        """Store a curated fact as released (its own timestamps), with its edits record."""
        doc = fact.to_dict()
        if before is None:
            self._insert_fact_row(doc, fact)
            self._note_id(fact.id)
        else:
            self._replace_fact_rows(fact.id, doc, fact)
        self._journal_change("facts", fact.id, before, doc)
        record = {"id": fact.id, "curated": doc_digest(doc)}
        self._journal_change("edits", fact.id, self._small("edits", fact.id), record)
        self._set_small("edits", fact.id, record)

    # copying -----------------------------------------------------------------
    def load(self, records: Iterable[tuple[str, dict[str, Any]]], progress: Callable[[int], None]) -> int:
        """Fill a new database with another's records (:meth:`Backend.records`) as they
        come, ids, counter and journal kept; ``progress(n)`` every few thousand facts.
        Returns how many facts; a malformed one raises ValueError."""
        facts = 0
        batch: list[tuple[dict[str, Any], Fact]] = []
        self.expect_many()
        for table, doc in records:
            if table == "facts":
                try:
                    batch.append((doc, Fact.from_stored(doc)))
                except (KeyError, TypeError, AttributeError) as exc:
                    raise ValueError(f"malformed fact: {exc}") from None
                if len(batch) == _PROGRESS_EVERY:
                    self._insert_fact_rows(batch)
                    facts += len(batch)
                    progress(len(batch))
                    batch.clear()
            elif table == "meta":
                self._set_meta("id_prefix", doc.get("id_prefix", ""))
                self._set_meta("next_id", str(doc["next_id"]))
            elif table == "history":
                self._set_history(0, doc["seq"], doc)
            else:
                self._set_small(table, doc["name"] if table == "aliases" else doc["id"], doc)
        self._insert_fact_rows(batch)
        progress(len(batch))
        return facts + len(batch)

    # committing --------------------------------------------------------------
    def finish(self) -> None:
        """The id counter, the journal entry of this write and a new revision, in its transaction."""
        if self.next_id != int(self.meta["next_id"]):
            self._set_meta("next_id", str(self.next_id))
        if self._journal:
            rows = self._history()
            entries = [doc for _, doc in rows]
            seq = (rows[-1][0] + 1) if rows else 1
            changes = [] if self._journal_bytes > HISTORY_BYTES else self._journal
            keep = kept(entries, journal_entry(seq, self.summary, changes, too_large=not changes))
            self._set_history(keep[0]["seq"], seq, keep[-1])
        self._new_revision()
