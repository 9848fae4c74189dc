"""What a backend of rows (a SQLite file, a PostgreSQL server) reads the same way:
the small tables, the record as `check` reads it, and everything as `copy` reads
it. Each backend gives the rows (its SQL) as the abstract methods below; its
writes go through :class:`~factcli.store.rowwriter.RowWriter`."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterator
from typing import Any

from factcli.layout import MARKER, SCHEMA
from factcli.query import Entity
from factcli.store.base import Backend


class RowBackend(Backend):
    @abstractmethod
    def _meta_values(self) -> dict[str, str]:
        """The meta table, checked (the database exists and is of this factcli)."""

    @abstractmethod
    def _small(self, table: str) -> list[dict[str, Any]]:
        """Every document of a small table (aliases, removed, edits), in stored order."""

    @abstractmethod
    def _fact_rows(self) -> Iterator[tuple[int, dict[str, Any]]]:
        """(row number, document) of every fact, in stored order, streamed."""

    @abstractmethod
    def _history_rows(self) -> list[tuple[int, dict[str, Any]]]:
        """(seq, entry) of the journal, oldest first."""

    def entities(self) -> list[Entity]:
        return [Entity.from_stored(d) for d in self._small("aliases")]

    def removed(self) -> set[str]:
        return {d["id"] for d in self._small("removed")}

    def edits(self) -> dict[str, str | None]:
        return {d["id"]: d.get("curated") for d in self._small("edits")}

    def history(self) -> list[dict[str, Any]]:
        return [doc for _, doc in self._history_rows()] if self.exists() else []

    def _record(self) -> dict[str, Any]:
        """The JSON layout's meta record."""
        meta = self._meta_values()
        return {
            "format": MARKER,
            "schema": SCHEMA,
            "id_prefix": meta.get("id_prefix", ""),
            "next_id": int(meta["next_id"]),
        }

    def stored_tables(self) -> dict[str, Any]:
        """Every table as the JSON layout has it (table → key → document), for `check`."""
        tables: dict[str, Any] = {
            "meta": {"1": self._record()},
            "facts": {str(r): d for r, d in self._fact_rows()},
            "history": {str(s): d for s, d in self._history_rows()},
        }
        for table in ("aliases", "removed", "edits"):
            tables[table] = {str(i): d for i, d in enumerate(self._small(table), 1)}
        return tables

    def records(self) -> Iterator[tuple[str, dict[str, Any]]]:
        yield "meta", self._record()
        for _, doc in self._fact_rows():
            yield "facts", doc
        for table in ("aliases", "removed", "edits"):
            for doc in self._small(table):
                yield table, doc
        for _, doc in self._history_rows():
            yield "history", doc
