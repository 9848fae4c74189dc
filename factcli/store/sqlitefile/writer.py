"""A write to a SQLite database: the :class:`~factcli.store.base.Writer` of one
transaction, with the JSON file's semantics (ids never reused, a user's copy of a
curated fact and the record of the version it was made from, tombstones, the
journal for `undo`), each change made in SQL as it is asked for."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from factcli.errors import InvalidInput, NotFound
from factcli.model import Fact
from factcli.query import Entity
import factcli.store.sqlfacts as sqlfacts
from factcli.store.base import doc_digest
from factcli.store.journal import HISTORY_BYTES, check_undoable, journal_entry, kept, now, not_changed, not_curated

if TYPE_CHECKING:
    from factcli.store.base import Backend


class SqliteWriter:
    """The changes one command makes, inside the transaction the backend holds open."""

    batch_size = 2_000  # rows are inserted as they are added: an import streams in batches

    def __init__(self, conn: sqlite3.Connection, base: Backend | None, location: str) -> None:
        self.conn = conn
        self.location = location
        self.base_facts: dict[str, Fact] = base.facts() if base is not None else {}
        self.base_entities: list[Entity] = base.entities() if base is not None else []
        self.summary = ""
        self.meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.prefix = self.meta.get("id_prefix", "")
        self.next_id = int(self.meta["next_id"])
        self._journal: list[dict[str, Any]] = []
        self._journal_bytes = 0  # about what the journal entry will take
        self._base_by_identity: dict[tuple[Any, ...], list[str]] | None = None

    # reading inside the write ------------------------------------------------
    def _own_doc(self, fact_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT doc FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return sqlfacts.parse_doc(row[0]) if row else None

    def _small(self, table: str, key: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT doc FROM small WHERE tbl = ? AND key = ?", (table, key)).fetchone()
        return json.loads(row[0]) if row else None

    def get(self, fact_id: str) -> Fact | None:
        doc = self._own_doc(fact_id)
        if doc is not None:
            return Fact.from_stored(doc)
        if fact_id in self.base_facts and self._small("removed", fact_id) is None:
            return self.base_facts[fact_id]
        return None

    def entities(self) -> list[Entity]:
        rows = self.conn.execute("SELECT doc FROM small WHERE tbl = 'aliases' ORDER BY pos")
        mine = {e.name: e for e in (Entity.from_stored(json.loads(d)) for (d,) in rows)}
        return [e for e in self.base_entities if e.name not in mine] + list(mine.values())

    def expect_many(self) -> None:
        """Many facts will be checked for duplicates: the stored ones are looked up by index."""

    def duplicate_of(self, fact: Fact, identity: tuple[Any, ...] | None = None) -> str | None:
        """The id of another fact with the same who, what, when and countries."""
        wanted = identity or fact.identity()
        rows = self.conn.execute("SELECT id, doc FROM facts WHERE ident = ?", (sqlfacts.identity_key(wanted),))
        for other_id, doc in rows:
            if other_id != fact.id and Fact.from_stored(sqlfacts.parse_doc(doc)).identity() == wanted:
                return other_id
        if self._base_by_identity is None:
            self._base_by_identity = {}
            for fact_id, base_fact in self.base_facts.items():
                self._base_by_identity.setdefault(base_fact.identity(), []).append(fact_id)
        for other_id in self._base_by_identity.get(wanted, ()):
            if other_id != fact.id and self._own_doc(other_id) is None and self._small("removed", other_id) is None:
                return other_id
        return None

    def was_removed(self, fact_id: str) -> bool:
        """A curated fact the user removed, or an id of this database's numbering below its
        counter that no fact holds (ids are never reused, not even by an import)."""
        if self._small("removed", fact_id) is not None:
            return True
        tail = fact_id[len(self.prefix) :]
        if not (fact_id.startswith(self.prefix) and tail.isascii() and tail.isdigit()):
            return False
        return int(tail) < self.next_id and self._own_doc(fact_id) is None

    # changing ----------------------------------------------------------------
    def _journal_change(self, table: str, key: str, before: dict[str, Any] | None, after: Any) -> None:
        if self._journal_bytes > HISTORY_BYTES:
            return  # too large to keep for undo (journal_entry says so): memory stays flat
        digest = None if after is None else doc_digest(after)
        self._journal.append({"table": table, "key": key, "before": before, "after": digest})
        self._journal_bytes += 80 + len(key) + (len(json.dumps(before, ensure_ascii=False)) if before else 0)
        if self._journal_bytes > HISTORY_BYTES:
            self._journal = [{"table": "facts", "key": "", "before": None, "after": None}]  # a marker

    def _put_small(self, table: str, key: str, doc: dict[str, Any]) -> None:
        self.conn.execute("DELETE FROM small WHERE tbl = ? AND key = ?", (table, key))
        self.conn.execute(
            "INSERT INTO small(tbl, key, pos, doc) VALUES (?, ?, (SELECT coalesce(max(pos), 0) + 1 FROM small), ?)",
            (table, key, json.dumps(doc, ensure_ascii=False, sort_keys=True)),
        )

    def _drop_small(self, table: str, key: str) -> None:
        self.conn.execute("DELETE FROM small WHERE tbl = ? AND key = ?", (table, key))

    def add(self, facts: list[Fact]) -> list[Fact]:
        """Store new facts; facts without an id get the next one."""
        stamp = now()
        stored = []
        for fact in facts:
            if fact.id:
                self._note_id(fact.id)
            else:
                fact = fact._replace(id=f"{self.prefix}{self.next_id}")
                self.next_id += 1
            fact = fact._replace(created=fact.created or stamp, updated=fact.updated or fact.created or stamp)
            doc = fact.to_dict()
            sqlfacts.insert_fact(self.conn, doc, fact)
            self._journal_change("facts", fact.id, None, doc)
            stored.append(fact)
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
        rowid = sqlfacts.delete_fact(self.conn, fact.id)
        sqlfacts.insert_fact(self.conn, doc, fact, rowid)  # in its place
        if before is None and curated is not None and self._small("edits", fact.id) is None:
            record = {"id": fact.id, "curated": doc_digest(curated.to_dict())}
            self._put_small("edits", fact.id, record)
            self._journal_change("edits", fact.id, None, record)
        self._journal_change("facts", fact.id, before, doc)
        return fact

    def _unstore(self, fact_id: str) -> None:
        before = self._own_doc(fact_id)
        if before is not None:
            sqlfacts.delete_fact(self.conn, fact_id)
            self._journal_change("facts", fact_id, before, None)

    def _drop_record(self, fact_id: str) -> None:
        record = self._small("edits", fact_id)
        if record is not None:
            self._drop_small("edits", fact_id)
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
        if fact_id in self.base_facts and self._small("removed", fact_id) is None:
            tomb = {"id": fact_id, "removed": now()}
            self._put_small("removed", fact_id, tomb)
            self._journal_change("removed", fact_id, None, tomb)
        self._drop_record(fact_id)  # the copy is gone with the fact

    def revert(self, fact_id: str) -> str:
        """Drop the user's copy or tombstone of a curated fact; "edit" or "removal"."""
        if fact_id not in self.base_facts:
            raise not_curated(fact_id)
        if self._drop_copy(fact_id) is not None:
            return "edit"
        tomb = self._small("removed", fact_id)
        if tomb is None:
            raise not_changed(fact_id)
        self._drop_small("removed", fact_id)
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
        self._put_small("aliases", entity.name, doc)

    def delete_entity(self, name: str) -> None:
        before = self._small("aliases", name)
        if before is None:
            raise NotFound(f"no entity named {name!r} in {self.location}")
        self._drop_small("aliases", name)
        self._journal_change("aliases", name, before, None)

    # undo --------------------------------------------------------------------
    def undo_last(self) -> dict[str, Any]:
        """Put back what the last journaled write changed; refused (nothing changed) if any
        document it wrote has changed since. Returns the undone journal entry."""
        row = self.conn.execute("SELECT seq, doc FROM history ORDER BY seq DESC LIMIT 1").fetchone()
        if row is None:
            raise InvalidInput("nothing to undo: this database has no write in its history")
        seq, entry = row[0], json.loads(row[1])
        check_undoable(entry, self._current)
        for change in reversed(entry["changes"]):
            self._restore(change["table"], change["key"], change["before"])
        self.conn.execute("DELETE FROM history WHERE seq = ?", (seq,))
        self._journal = []  # an undo is not itself journaled
        return entry

    def _current(self, table: str, key: str) -> dict[str, Any] | None:
        return self._own_doc(key) if table == "facts" else self._small(table, key)

    def _restore(self, table: str, key: str, before: dict[str, Any] | None) -> None:
        if table == "facts":
            rowid = sqlfacts.delete_fact(self.conn, key)
            if before is not None:
                sqlfacts.insert_fact(self.conn, before, Fact.from_stored(before), rowid)
            return
        self._drop_small(table, key)
        if before is not None:
            self._put_small(table, key, before)

    # committing --------------------------------------------------------------
    def finish(self) -> None:
        """The id counter, the journal entry of this write and a new revision, in its transaction."""
        if self.next_id != int(self.meta["next_id"]):
            self.conn.execute("UPDATE meta SET value = ? WHERE key = 'next_id'", (str(self.next_id),))
        if self._journal:
            rows = self.conn.execute("SELECT seq, doc FROM history ORDER BY seq").fetchall()
            entries = [json.loads(doc) for _, doc in rows]
            seq = (rows[-1][0] + 1) if rows else 1
            changes = [] if self._journal_bytes > HISTORY_BYTES else self._journal
            keep = kept(entries, journal_entry(seq, self.summary, changes, too_large=not changes))
            oldest = keep[0]["seq"]
            self.conn.execute("DELETE FROM history WHERE seq < ?", (oldest,))
            self.conn.execute(
                "INSERT INTO history(seq, doc) VALUES (?, ?)", (seq, json.dumps(keep[-1], ensure_ascii=False))
            )
        self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
