"""The layout of a database file as data: its marker, schema version and tables, and
the structure every document must have. Pure (no I/O): the store refuses a file
that breaks it, and `check` names each problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

MARKER = "factcli"
SCHEMA = 2
TABLES = ("meta", "facts", "aliases", "removed", "edits", "history")
REQUIRED_KEYS = frozenset(("id", "who", "what", "country", "sources"))


def _texts(value: Any) -> bool:
    if type(value) is not list:
        return False
    for item in value:
        if type(item) is not str:
            return False
    return True


def _fact_structure(doc: Any) -> str | None:
    """What is wrong with the shape of one stored fact, or None. Plain loops: this
    runs for every fact of the file on each read (0.2 s per 100k)."""
    if type(doc) is not dict:
        return "is not an object"
    if not REQUIRED_KEYS <= doc.keys():
        return f"lacks {', '.join(sorted(REQUIRED_KEYS - doc.keys()))}"
    if type(doc["id"]) is not str or type(doc["who"]) is not str or type(doc["what"]) is not str or not doc["id"]:
        return "needs text id, who and what"
    if not _texts(doc["country"]) or ("tags" in doc and not _texts(doc["tags"])):
        return "needs country and tags as lists of text"
    sources = doc["sources"]
    if type(sources) is not list:
        return "needs sources as a list of objects of text"
    for source in sources:
        if type(source) is not dict:
            return "needs sources as a list of objects of text"
        for value in source.values():
            if type(value) is not str:
                return "needs sources as a list of objects of text"
    when = doc.get("when")
    if when is not None and (
        type(when) is not str or type(doc.get("when_start")) is not str or type(doc.get("when_end")) is not str
    ):
        return "needs when, when_start and when_end as text"
    for name in ("note", "created", "updated"):
        if name in doc and type(doc[name]) is not str:
            return "needs text note, created and updated"
    return None


def _canonical_key(key: str) -> bool:
    """1, 2, 3 …: ASCII digits, no leading zero (cheaper than a regex, per document)."""
    return key.isascii() and key.isdigit() and (key[0] != "0" or key == "0") and len(key) <= 18


def structural_problems(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """What would make a command misread or crash on a parsed file: every table's
    document keys, and the type of every field the code relies on. Cheap (types
    only, ~1 s per million facts); `factcli check` reports each as a schema error."""
    for table in TABLES:
        for key in data[table]:
            # TinyDB reads keys with int(): "7" and "007", or "3" and "٣", would be one document
            if not _canonical_key(key):
                yield (
                    f"{table} document {key!r}:",
                    "has a key that is not a plain decimal number (1, 2, 3 …: no leading zero, ASCII digits)",
                )
    metas = data["meta"]
    first = metas[min(metas, key=lambda k: int(k) if _canonical_key(k) else 0)]
    if type(first.get("next_id")) is not int or type(first.get("id_prefix", "")) is not str:
        yield "meta:", "needs an integer next_id and a text id_prefix"
    seen: dict[str, str] = {}
    for key, doc in data["facts"].items():
        fact_id = doc.get("id") if isinstance(doc, dict) else None
        if isinstance(fact_id, str):
            if fact_id in seen:  # `rm 5` would remove one and leave the other
                yield f"fact document {key}:", f"has the id {fact_id!r} of document {seen[fact_id]} (ids are unique)"
            seen.setdefault(fact_id, key)
        problem = _fact_structure(doc)
        if problem:
            yield f"fact document {key}:", problem
    for key, doc in data["aliases"].items():
        if (
            type(doc) is not dict
            or type(doc.get("name")) is not str
            or not doc["name"]
            or not _texts(doc.get("aliases", []))
            or not _texts(doc.get("stands_for", []))
            or type(doc.get("kind", "")) is not str
        ):
            yield f"aliases document {key}:", "needs a name and a list of aliases"
    for key, doc in data["removed"].items():
        if type(doc) is not dict or type(doc.get("id")) is not str:
            yield f"removed document {key}:", "needs an id"
    for key, doc in data["edits"].items():
        if type(doc) is not dict or type(doc.get("id")) is not str or type(doc.get("curated")) is not str:
            yield f"edits document {key}:", "needs an id and the digest of the curated version"
    for key, doc in data["history"].items():
        if (
            type(doc) is not dict
            or type(doc.get("seq")) is not int
            or type(doc.get("changes")) is not list
            or type(doc.get("summary")) is not str
        ):
            yield f"history document {key}:", "needs a seq number, a summary and a list of changes"
