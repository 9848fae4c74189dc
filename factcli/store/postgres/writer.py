"""A write to a PostgreSQL database: the row operations of
:class:`~factcli.store.rowwriter.RowWriter` in PostgreSQL's SQL (parameters only),
on the tables of :mod:`.tables`. Each row records the role that wrote it."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from factcli.model import Fact
from factcli.store.postgres import tables
from factcli.store.rowwriter import RowWriter
from factcli.store.sqlfacts import parse_doc

if TYPE_CHECKING:
    import psycopg

    from factcli.store.base import Backend


class PostgresWriter(RowWriter):
    """The changes one command makes, inside the transaction the backend holds open."""

    def __init__(self, conn: psycopg.Connection, base: Backend | None, location: str) -> None:
        self.conn = conn
        super().__init__(dict(conn.execute("SELECT key, value FROM factcli_meta").fetchall()), base, location)

    def _next_row_number(self) -> int:
        # a sequence value taken now is past every row stored before (sequences ignore
        # snapshots); the rows this write adds take later ones (writers hold the meta lock)
        return self._one("SELECT nextval(pg_get_serial_sequence('factcli_facts', 'rowid'))", ()) + 1

    def _row_number(self, fact_id: str) -> int | None:
        return self._one("SELECT rowid FROM factcli_facts WHERE id = %s", (fact_id,))

    def _one(self, sql: str, params: tuple[Any, ...]) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def _own_doc(self, fact_id: str) -> dict[str, Any] | None:
        doc = self._one("SELECT doc FROM factcli_facts WHERE id = %s", (fact_id,))
        return parse_doc(doc) if doc is not None else None

    def _same_identity(self, key: str) -> list[tuple[str, dict[str, Any]]]:
        rows = self.conn.execute("SELECT id, doc FROM factcli_facts WHERE ident = %s ORDER BY rowid", (key,))
        return [(i, parse_doc(d)) for i, d in rows]

    def _own_docs(self, fact_ids: list[str]) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute("SELECT id, doc FROM factcli_facts WHERE id = ANY(%s)", (fact_ids,))
        return {i: parse_doc(d) for i, d in rows}

    def _same_identities(self, keys: list[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
        found: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        rows = self.conn.execute(
            "SELECT ident, id, doc FROM factcli_facts WHERE ident = ANY(%s) ORDER BY rowid", (keys,)
        )
        for key, fact_id, doc in rows:
            found.setdefault(key, []).append((fact_id, parse_doc(doc)))
        return found

    def _small(self, table: str, key: str) -> dict[str, Any] | None:
        doc = self._one("SELECT doc FROM factcli_small WHERE tbl = %s AND key = %s", (table, key))
        return json.loads(doc) if doc is not None else None

    def _small_docs(self, table: str) -> list[dict[str, Any]]:
        rows = self.conn.execute("SELECT doc FROM factcli_small WHERE tbl = %s ORDER BY pos", (table,))
        return [json.loads(d) for (d,) in rows]

    def _put_small(self, table: str, key: str, doc: dict[str, Any]) -> None:
        self._drop_small(table, key)
        self.conn.execute(
            "INSERT INTO factcli_small(tbl, key, doc) VALUES (%s, %s, %s)",
            (table, key, json.dumps(doc, ensure_ascii=False, sort_keys=True)),
        )

    def _drop_small(self, table: str, key: str) -> None:
        self.conn.execute("DELETE FROM factcli_small WHERE tbl = %s AND key = %s", (table, key))

    def _insert_fact(self, doc: dict[str, Any], fact: Fact) -> None:
        self._insert_facts([(doc, fact)])

    def _insert_facts(self, pairs: list[tuple[dict[str, Any], Fact]]) -> None:
        if pairs:
            rows = [tables.fact_row(doc, fact) for doc, fact in pairs]  # each fact's words made once
            with self.conn.cursor() as cur:  # one pipeline: no round trip per row
                cur.executemany(tables.INSERT, rows)
            tables.count_words(self.conn, [row["words"] for row in rows], 1)

    def _stored_words(self, fact_id: str) -> list[str]:
        """The words literal a fact's row holds (none: no such row)."""
        literal = self._one("SELECT words::text FROM factcli_facts WHERE id = %s", (fact_id,))
        return [] if literal is None else [literal]

    def _replace_fact(self, fact_id: str, doc: dict[str, Any], fact: Fact) -> None:
        old = self._stored_words(fact_id)
        row = tables.fact_row(doc, fact)
        self.conn.execute(tables.UPDATE, row | {"old_id": fact_id})
        tables.count_words(self.conn, old, -1)
        tables.count_words(self.conn, [row["words"]], 1)

    def _delete_fact(self, fact_id: str) -> None:
        old = self._stored_words(fact_id)
        self.conn.execute("DELETE FROM factcli_facts WHERE id = %s", (fact_id,))
        tables.count_words(self.conn, old, -1)

    def _history(self) -> list[tuple[int, dict[str, Any]]]:
        rows = self.conn.execute("SELECT seq, doc FROM factcli_history ORDER BY seq")
        return [(s, json.loads(d)) for s, d in rows]

    def _undoable(self) -> tuple[int, dict[str, Any]] | None:
        # a member undoes only their own writes: the last one this role made
        row = self.conn.execute(
            "SELECT seq, doc FROM factcli_history WHERE made_by = current_user ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        return (row[0], json.loads(row[1])) if row else None

    def _nothing_to_undo(self) -> str:
        (others,) = self.conn.execute("SELECT count(*) FROM factcli_history WHERE made_by <> current_user").fetchone()
        if others:
            return (
                "nothing to undo: you have no write in this database's history"
                f" ({others} write{'' if others == 1 else 's'} by other roles: a member undoes only their own)"
            )
        return super()._nothing_to_undo()

    def _set_history(self, drop_below: int, seq: int, entry: dict[str, Any] | None) -> None:
        self.conn.execute("DELETE FROM factcli_history WHERE seq < %s", (drop_below,))
        if entry is None:
            self.conn.execute("DELETE FROM factcli_history WHERE seq = %s", (seq,))
        else:
            self.conn.execute(
                "INSERT INTO factcli_history(seq, doc) VALUES (%s, %s)", (seq, json.dumps(entry, ensure_ascii=False))
            )

    def _set_meta(self, key: str, value: str) -> None:
        self.conn.execute("UPDATE factcli_meta SET value = %s WHERE key = %s", (value, key))

    def _new_revision(self) -> None:
        self.conn.execute("UPDATE factcli_meta SET value = (value::bigint + 1)::text WHERE key = 'revision'")
