"""What factcli reads and writes: one database, or the user's own over the
curated facts (their facts, edits and removals live in their own database, so
they survive upgrades). The view sees its databases only through the storage
interface (:class:`~factcli.store.base.Backend`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from factcli.model import Fact
from factcli.query import AliasIndex, Entity, Matcher, Query, Result, id_key, sort_key
from factcli.store.cache import read_cache, write_cache
from factcli.store.base import Backend, SearchTexts, T, Writer, doc_digest


class View:
    """What factcli reads and writes: one database, or the user's own over the curated one."""

    def __init__(self, own: Backend, base: Backend | None = None) -> None:
        self.own = own
        self.base = base

    def databases(self) -> list[Backend]:
        """The view's databases that exist (the user's own may not, yet), curated first."""
        return [b for b in (self.base, self.own) if b is not None and b.exists()]

    # reading ---------------------------------------------------------------
    def facts(self) -> list[Fact]:
        """Every fact, in stored order (curated first)."""
        own = self.own.facts() if self.own.exists() else {}
        if self.base is None:
            self.own.must_exist()
            return list(own.values())
        removed = self.own.removed() if self.own.exists() else set()
        merged = {fid: f for fid, f in self.base.facts().items() if fid not in removed}
        merged.update(own)  # the user's edits of curated facts win
        return list(merged.values())

    def get(self, fact_id: str) -> Fact | None:
        self.own.must_exist()
        own = self.own.get(fact_id) if self.own.exists() else None
        if own is not None or self.base is None:
            return own
        if fact_id in self.own.removed():
            return None
        return self.base.get(fact_id)

    def curated_ids(self) -> set[str] | None:
        """The ids of the curated facts, or None when the view has no curated database."""
        return set(self.base.facts()) if self.base is not None else None

    def entities(self) -> list[Entity]:
        self.own.must_exist()
        base = self.base.entities() if self.base else []
        mine = {e.name: e for e in (self.own.entities() if self.own.exists() else [])}
        return [e for e in base if e.name not in mine] + list(mine.values())

    def aliases(self) -> AliasIndex:
        return AliasIndex(self.entities())

    def search_texts(self) -> SearchTexts:
        """The search text (:func:`~factcli.query.haystack`) of every fact of the
        databases that keep no index of their own, by location then id: derived data
        worth caching between runs."""
        found = {}
        for backend in self.databases():
            texts = backend.search_texts()
            if texts is not None:
                found[backend.location] = texts
        return found

    def search(
        self, query: Query, aliases: AliasIndex, need_total: bool = True, texts: SearchTexts | None = None
    ) -> Result:
        """The facts that match, sorted and cut to the query's limit.

        Each database proposes its matches in order (a backend with an index
        re-checks its candidates with the same matcher); the runs are merged.
        """
        self.own.must_exist()
        matcher = Matcher(query, aliases)
        key = sort_key(query.sort, (query.date_from, query.date_to))
        texts = texts or {}
        streams: list[Iterable[Fact]] = []
        if self.own.exists():
            streams.append(self.own.matches(matcher, key, texts.get(self.own.location)))
        if self.base is not None:
            hidden = self._hidden_in_base()
            base = self.base.matches(matcher, key, texts.get(self.base.location))
            streams.append([f for f in base if f.id not in hidden])
        if all(isinstance(stream, list) for stream in streams):  # read whole: sorted runs
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
        """Ids of the curated facts the user's database replaces (edited) or removes."""
        if self.base is None or not self.own.exists():
            return set()
        return self.own.stored_ids(self.base.facts()) | self.own.removed()

    def curated_changes(self) -> dict[str, str]:
        """The curated facts the user changed: id → "edited" (the user's copy shows) or
        "removed", and "edited; the curated fact changed since" for a copy made from
        an older version of the curated fact than the one installed now."""
        hidden = self._hidden_in_base()
        if not hidden or self.base is None:
            return {}
        removed = self.own.removed()
        records = self.own.edits()
        curated_facts = self.base.facts()
        found = {}
        for fact_id in sorted(hidden, key=lambda i: id_key(i)):
            curated = curated_facts.get(fact_id)
            if curated is None:
                continue
            if fact_id in removed:
                found[fact_id] = "removed"
            elif fact_id in records and records[fact_id] != doc_digest(curated.to_dict()):
                found[fact_id] = "edited; the curated fact changed since"
            else:
                found[fact_id] = "edited"
        return found

    def pooled(self) -> bool:
        """Whether some database of the view is too large for `ask` to read every fact."""
        return any(backend.pooled() for backend in self.databases())

    def pool(self, groups: Sequence[Sequence[str]], limit: int) -> list[Fact]:
        """The facts worth reading for a question: every fact of a database read whole,
        and of a pooled one the ``limit`` that share most with the groups of spellings;
        curated first."""
        self.own.must_exist()
        found: list[Fact] = []
        for backend in self.databases():
            facts = backend.pool(groups, limit)
            if backend is self.base:
                hidden = self._hidden_in_base()
                facts = [f for f in facts if f.id not in hidden]
            found += facts
        return found

    def vocabulary(self, words: list[str], texts: SearchTexts | None = None) -> set[str]:
        """Words of the facts, for "did you mean"."""
        vocabulary: set[str] = set()
        for backend in self.databases():
            vocabulary |= backend.vocabulary(words, (texts or {}).get(backend.location))
        return vocabulary

    def history(self) -> list[dict[str, Any]]:
        """The journaled writes of the writable database, newest first."""
        return list(reversed(self.own.history())) if self.own.exists() else []

    # derived data, cached between runs -----------------------------------
    def fingerprint(self) -> tuple[tuple[str, str], ...]:
        """What the view's content depends on: each database's location and revision
        (of the very content this view reads, so a cache can never pair data derived
        from one version with the identity of another)."""
        return tuple((b.location, b.revision()) for b in (self.base, self.own) if b is not None)

    def settled(self) -> bool:
        return all(b.settled() for b in (self.base, self.own) if b is not None)

    def read_cache(self, name: str, version: tuple[Any, ...]) -> Any:
        """Data derived from this view and saved by :meth:`write_cache`, or None."""
        if not self.settled():
            return None
        return read_cache(name, version, self.fingerprint())

    def write_cache(self, name: str, version: tuple[Any, ...], value: Any) -> None:
        """Save derived data for the next run; when the cache cannot be written, skip it."""
        if self.settled():  # else the database may change again unseen: a cache would outlive it
            write_cache(name, version, self.fingerprint(), value)

    def files(self) -> list[tuple[str, str, int, str]]:
        """(role, location, facts in it, backend) of every database in use."""
        rows = []
        if self.base:
            rows.append(("curated (read-only)", self.base.location, self.base.count(), self.base.description()))
        role = "yours (read-write)" if self.base else "database"
        rows.append((role, self.own.location, self.own.count(), self.own.description()))
        return rows

    # writing ---------------------------------------------------------------
    def streams_imports(self) -> bool:
        """Whether an import into the writable database streams inside its write."""
        return self.own.streams_imports

    def write(self, change: Callable[[Writer], T], commit: bool = True) -> T:
        """Run ``change`` on a writer over a fresh, locked state of the writable
        database and commit it, all or nothing (``commit`` false: a dry run)."""
        try:
            return self.own.write(self.base, change, commit)
        finally:
            self.own = self.own.reopened()  # read afresh next time
