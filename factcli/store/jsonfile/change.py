"""A write to a JSON database file: the changes one command makes, applied to the
file's tables through TinyDB, validated, and journalled for `undo`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from factcli.store.base import doc_digest
from factcli.store.jsonfile.file import Layer
from factcli.store.journal import check_undoable, JOURNALED, journal_entry, kept, now, not_changed, not_curated
from factcli.errors import InvalidInput, NotFound
from factcli.model import Fact
from factcli.query import Entity

if TYPE_CHECKING:
    from factcli.store.base import Backend


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

    batch_size = 0  # each add() rebuilds the table: a write adds all its facts in one call

    def __init__(self, base: Backend | None, layer: Layer) -> None:
        from tinydb import TinyDB
        from tinydb.storages import MemoryStorage

        self.base_facts: dict[str, Fact] = base.facts() if base is not None else {}  # read-only, under the user's
        self.base_entities: list[Entity] = base.entities() if base is not None else []
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
        self._added: set[str] = set()  # ids of the facts this write added

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
        if fact_id in self.base_facts and fact_id not in self.layer.removed:
            return self.base_facts[fact_id]
        return None

    def _docs(self) -> Iterator[dict[str, Any]]:
        """Every fact's document as the write stands (queued changes included)."""
        for doc in self.layer.data["facts"].values():
            if doc["id"] not in self._changed and doc["id"] not in self._gone:
                yield doc
        yield from self._changed.values()
        for fact_id, fact in self.base_facts.items():
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

    def prefetch(self, placed: Sequence[tuple[Fact, tuple[Any, ...]]]) -> None:
        """Nothing to read ahead: the file's facts are in memory."""

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
        return [e for e in self.base_entities if e.name not in mine] + list(mine.values())

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

    def added_here(self, fact_id: str) -> bool:
        return fact_id in self._added

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
            self._added.add(fact.id)
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
        curated = self.base_facts.get(fact.id)
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
        return self.base_facts.get(fact_id)

    def _small_doc(self, table: str, key: str) -> dict[str, Any] | None:
        field = JOURNALED[table]
        return next((dict(d) for d in self.layer.data.get(table, {}).values() if d.get(field) == key), None)

    def _remove_where(self, table: str, keys: Iterable[str]) -> None:
        """Remove the documents of ``table`` whose key (an id; an entity's name) is one of ``keys``."""
        field, wanted = JOURNALED[table], set(keys)
        stale = [int(k) for k, d in self.layer.data.get(table, {}).items() if d.get(field) in wanted]
        if stale:
            self.db.table(table, cache_size=0).remove(doc_ids=stale)

    def revert(self, fact_id: str) -> str:
        """Drop the user's copy or tombstone of a curated fact: the curated fact shows
        as it is now. Returns what was reverted ("edit" or "removal")."""
        if fact_id not in self.base_facts:
            raise not_curated(fact_id)
        if self._drop_copy(fact_id) is not None:
            return "edit"
        tomb = self._small_doc("removed", fact_id)
        if tomb is None:
            raise not_changed(fact_id)
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
        check_undoable(entry, self._current)
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
        if fact_id in self.base_facts and self._small_doc("removed", fact_id) is None:
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
        entry = journal_entry(seq, self.summary, self._journal)
        table = self.db.table("history", cache_size=0)
        table.truncate()
        table.insert_multiple(kept([doc for _, doc in entries], entry))


def _with(fact: Fact, **changes: Any) -> Fact:
    return fact._replace(**changes)
