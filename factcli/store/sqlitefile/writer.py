"""A write to a SQLite database: the row operations of
:class:`~factcli.store.rowwriter.RowWriter` in SQLite's SQL, on the layout of
:mod:`factcli.store.sqlfacts`."""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

from factcli.model import Fact
import factcli.store.sqlfacts as sqlfacts
from factcli.store.rowwriter import RowWriter

if TYPE_CHECKING:
    from factcli.store.base import Backend


IMPORT_CACHE_KB = 32_768


class SqliteWriter(RowWriter):
    """The changes one command makes, inside the transaction the backend holds open."""

    def __init__(self, conn: sqlite3.Connection, base: Backend | None, location: str) -> None:
        self.conn = conn
        super().__init__(dict(conn.execute("SELECT key, value FROM meta")), base, location)

    def expect_many(self) -> None:
        # an import: a page cache of 32 MB (not SQLite's 2 MB) for this write's connection, so
        # the tables' indexes are not written out and read back page by page as they grow
        self.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KB}")

    def _next_row_number(self) -> int:
        return sqlfacts.next_rowid(self.conn)

    def _row_number(self, fact_id: str) -> int | None:
        row = self.conn.execute("SELECT rowid FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return row[0] if row else None

    def _own_doc(self, fact_id: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT doc FROM facts WHERE id = ?", (fact_id,)).fetchone()
        return sqlfacts.parse_doc(row[0]) if row else None

    def _same_identity(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self.conn.execute("SELECT id, doc FROM facts WHERE ident = ? ORDER BY rowid", (key,))
        return [(i, sqlfacts.parse_doc(d)) for i, d in rows]

    def _own_docs(self, fact_ids: list[str]) -> dict[str, dict[str, Any]]:
        return {i: sqlfacts.parse_doc(d) for i, d in sqlfacts.rows_where(self.conn, "id", "id, doc", fact_ids)}

    def _same_identities(self, keys: list[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for key, fact_id, doc in sqlfacts.rows_where(self.conn, "ident", "ident, id, doc", keys):
            found.setdefault(key, []).append((fact_id, sqlfacts.parse_doc(doc)))
        return found

    def _small(self, table: str, key: str) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT doc FROM small WHERE tbl = ? AND key = ?", (table, key)).fetchone()
        return json.loads(row[0]) if row else None

    def _small_docs(self, table: str) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT doc FROM small WHERE tbl = ? ORDER BY pos", (table,))
        return [json.loads(d) for (d,) in rows]

    def _put_small(self, table: str, key: str, doc: dict[str, Any]) -> None:
        self.conn.execute("DELETE FROM small WHERE tbl = ? AND key = ?", (table, key))
        self.conn.execute(
            "INSERT INTO small(tbl, key, pos, doc) VALUES (?, ?, (SELECT coalesce(max(pos), 0) + 1 FROM small), ?)",
            (table, key, json.dumps(doc, ensure_ascii=False, sort_keys=True)),
        )

    def _drop_small(self, table: str, key: str) -> None:
        self.conn.execute("DELETE FROM small WHERE tbl = ? AND key = ?", (table, key))

    def _insert_fact(self, doc: dict[str, Any], fact: Fact) -> None:
        sqlfacts.insert_fact(self.conn, doc, fact)

    def _insert_facts(self, pairs: list[tuple[dict[str, Any], Fact]]) -> None:
        sqlfacts.insert_many(self.conn, pairs)

    def _replace_fact(self, fact_id: str, doc: dict[str, Any], fact: Fact) -> None:
        rowid = sqlfacts.delete_fact(self.conn, fact_id)
        sqlfacts.insert_fact(self.conn, doc, fact, rowid)  # in its place

    def _delete_fact(self, fact_id: str) -> None:
        sqlfacts.delete_fact(self.conn, fact_id)

    def _history(self) -> list[tuple[int, dict[str, Any]]]:
        return [(s, json.loads(d)) for s, d in self.conn.execute("SELECT seq, doc FROM history ORDER BY seq")]

    def _undoable(self) -> tuple[int, dict[str, Any]] | None:
        row = self.conn.execute("SELECT seq, doc FROM history ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def _set_history(self, drop_below: int, seq: int, entry: dict[str, Any] | None) -> None:
        self.conn.execute("DELETE FROM history WHERE seq < ?", (drop_below,))
        if entry is None:
            self.conn.execute("DELETE FROM history WHERE seq = ?", (seq,))
        else:
            self.conn.execute(
                "INSERT INTO history(seq, doc) VALUES (?, ?)", (seq, json.dumps(entry, ensure_ascii=False))
            )

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("UPDATE meta SET value = ? WHERE key = ?", (value, key))

    def _new_revision(self) -> None:
        self.conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
