"""The journal of writes that `history` lists and `undo` reverses, as every backend
keeps it: each write's entry names the documents it changed (table, key), each
one's document before and the digest of it after. Pure: no I/O.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from collections.abc import Callable
from typing import Any

from factcli.errors import InvalidInput
from factcli.store.base import doc_digest

# The journal keeps the last HISTORY_WRITES writes, at most HISTORY_BYTES of them;
# a single write larger than that (a huge import) is not kept, and `undo` says so.
HISTORY_WRITES = 100
HISTORY_BYTES = 50_000_000
# A write of more changes than this (an import of 100k facts) is kept without its changes,
# like one past HISTORY_BYTES: what it would hold in memory (about 250 bytes a change)
# would grow with the import, which must not.
UNDOABLE_CHANGES = 100_000


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def journal_entry(seq: int, summary: str, changes: list[dict[str, Any]], too_large: bool = False) -> dict[str, Any]:
    """A write's entry; one too large to keep records only that it happened (no undo past it)."""
    entry: dict[str, Any] = {"seq": seq, "at": now(), "summary": summary, "changes": changes}
    entry["bytes"] = 0 if too_large else len(json.dumps(entry, ensure_ascii=False))
    if too_large or entry["bytes"] > HISTORY_BYTES or len(changes) > UNDOABLE_CHANGES:
        return {"seq": seq, "at": entry["at"], "summary": summary, "changes": [], "bytes": 0, "too_large": True}
    return entry


def kept(entries: list[dict[str, Any]], entry: dict[str, Any]) -> list[dict[str, Any]]:
    """The entries the journal keeps after ``entry`` joins ``entries`` (oldest first):
    the newest, up to HISTORY_WRITES of them and HISTORY_BYTES in all."""
    total, keep = 0, []
    for doc in reversed([*entries, entry]):
        total += doc.get("bytes", 0)
        if len(keep) >= HISTORY_WRITES or total > HISTORY_BYTES:
            break
        keep.append(doc)
    return list(reversed(keep))


JOURNALED = {"facts": "id", "removed": "id", "edits": "id", "aliases": "name"}


def journal_problem(entry: dict[str, Any]) -> str | None:
    """What makes a journal entry unsafe to undo (a hand edit of the history table):
    each change must name a journaled table and key, and every pre-image must be a
    document of that table's shape."""
    from factcli.layout import _fact_structure

    if not isinstance(entry.get("summary"), str):
        return "no summary"
    for change in entry["changes"]:
        if (
            not isinstance(change, dict)
            or change.get("table") not in JOURNALED
            or not isinstance(change.get("key"), str)
        ):
            return "a change names no table and key"
        before, after = change.get("before"), change.get("after")
        if after is not None and not isinstance(after, str):
            return f"the change of {change['key']} has no digest"
        if before is None:
            continue
        if not isinstance(before, dict) or before.get(JOURNALED[change["table"]]) != change["key"]:
            return f"the earlier {change['table']} document of {change['key']} does not match it"
        if change["table"] == "facts" and _fact_structure(before):
            return f"the earlier fact {change['key']} {_fact_structure(before)}"
    return None


def check_undoable(entry: dict[str, Any], current: Callable[[str, str], dict[str, Any] | None]) -> None:
    """Refuse (InvalidInput, nothing changed) to undo a write whose entry was not kept,
    is damaged, or changed a document that has changed since; ``current(table, key)``
    gives a document as it is now."""
    if entry.get("too_large"):
        raise InvalidInput(
            f"the last write ({entry.get('summary', '?')}) was too large to keep for undo; nothing was changed"
        )
    damage = journal_problem(entry)
    if damage:
        raise InvalidInput(f"the journal entry of the last write is damaged ({damage}); nothing was changed")
    for change in entry["changes"]:
        now_doc = current(change["table"], change["key"])
        if (None if now_doc is None else doc_digest(now_doc)) != change["after"]:
            what = "fact" if change["table"] == "facts" else f"{change['table']} entry"
            raise InvalidInput(
                f"cannot undo {entry['summary']!r}: {what} {change['key']} has changed since it was written; nothing was changed"
            )


def not_curated(fact_id: str) -> InvalidInput:
    """`revert` of a fact that is not a curated one (every backend refuses it so)."""
    return InvalidInput(f"{fact_id} is not a curated fact: there is nothing to revert to (rm removes your own facts)")


def not_changed(fact_id: str) -> InvalidInput:
    """`revert` of a curated fact the user has neither edited nor removed."""
    return InvalidInput(f"{fact_id} is the curated fact as it is: you have not edited or removed it")
