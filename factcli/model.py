"""The fact record and its one validator. Pure: no I/O, no click, no rich.

`add`, `edit`, `import` and `check` all go through :func:`validate`, which takes
what a user or a file gave (names or codes, strings or lists) and returns a
normalised :class:`Fact` with errors and warnings kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

from factcli import countries
from factcli.dates import BadDate, DateSpan, parse_date
from factcli.text import describe_char, first_unsafe, is_safe, normalise
from factcli.choices import ENTITY_KINDS  # noqa: F401  (re-exported: the kinds of an entity)

MAX_TEXT = 10_000  # characters in one field; a 50 MB field is refused, not stored
MAX_ITEMS = 100  # countries, sources or tags on one fact

SOURCE_FIELDS = ("title", "publisher", "url", "published", "retrieved", "quote")
# Every field of a fact in its documented, stable order (TSV columns, CSV header).
FIELDS = ("id", "who", "what", "when", "country", "tags", "sources", "note", "created", "updated")
# Stored beside `when` so that date comparisons are string comparisons; derived.
DERIVED_FIELDS = ("when_start", "when_end")
# A URL's scheme is ASCII (RFC 3986); spelt out, not IGNORECASE, which would also take
# "ſ" or "K" (Kelvin) for letters and costs 0.65 ms to compile on every start.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://\S+$")
_TAG = re.compile(r"^[^\s,;]+$")
# A database identifier where a name should be: an unlabelled Wikidata item ("Q27146606")
# or a bare number. Real names of that shape (G20, G7, U2, K2, E3, P5) are names.
_IDENTIFIER = re.compile(r"^(?:Q[1-9][0-9]*|[0-9]+)$")


_BARE_ADDRESS = re.compile(r"^(?:www\.[^\s/]+|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})/\S*$|^www\.\S+$", re.ASCII)
URL_SCHEMES = ("http", "https", "ftp")


def input_hints(fact: Fact) -> list[str]:
    """What in a fact that was accepted looks like a slip (add and import say so)."""
    hints = [h for h in (name_doubt(fact.who),) if h]
    for i, source in enumerate(fact.sources, 1):
        if not source.url and _BARE_ADDRESS.match(source.title):
            hints.append(
                f"source {i} {source.title!r} looks like a web address without https://; it was stored as a title"
            )
    return hints


def name_doubt(who: str) -> str | None:
    """Why ``who`` looks like an identifier rather than a name (a warning: stored, and
    reported by add, import and check); None for a name."""
    if _IDENTIFIER.match(who):
        kind = "a Wikidata item id" if who.startswith("Q") else "a number"
        return f"who {who!r} looks like {kind}, not a name"
    return None


# A fact's id: 1–64 ASCII letters, digits, ".", "_", ":" or "-", starting and ending with a
# letter or digit (so never "-", never with a space or a newline), its number at most 15
# digits (ids count up from 1; a larger one would stop the counter, or SQLite's integers).
MAX_ID = 64
_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._:-]{0,62}[A-Za-z0-9])?")
_ID_NUMBER = re.compile(r"[0-9]+$")


def id_problem(text: str) -> str | None:
    """Why a text cannot be a fact's id, or None when it can."""
    if not _ID.fullmatch(text):
        if len(text) > MAX_ID:
            return f"{text[:20]!r}… is not an id ({len(text):,} characters; ids have at most {MAX_ID})"
        return f"{text[:40]!r} is not an id (ids are letters, digits, '.', '_', ':' or '-', starting and ending with a letter or digit)"
    number = _ID_NUMBER.search(text)
    if number and len(number.group()) > 15:
        return f"{text[:40]!r} is not an id (its number has {len(number.group())} digits; at most 15)"
    return None


class Source(NamedTuple):
    title: str = ""
    publisher: str = ""
    url: str = ""
    published: str = ""
    retrieved: str = ""
    quote: str = ""

    def to_dict(self) -> dict[str, str]:
        return {k: v for k, v in zip(SOURCE_FIELDS, self) if v}  # the fields are SOURCE_FIELDS, in order (tested)

    @property
    def label(self) -> str:
        """How a source is named in one cell: its URL, else its title."""
        return self.url or self.title or self.publisher

    @property
    def outlet(self) -> str:
        """Who published it: the publisher, else the URL's host name (apnews.com), else ""."""
        if self.publisher:
            return self.publisher
        if "://" in self.url:
            host = self.url.split("://", 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
            return host.rsplit("@", 1)[-1].split(":", 1)[0].lower().removeprefix("www.")
        return ""


class Fact(NamedTuple):
    who: str
    what: str
    country: tuple[str, ...]
    sources: tuple[Source, ...]
    when: DateSpan | None = None
    note: str = ""
    tags: tuple[str, ...] = ()
    id: str = ""
    created: str = ""
    updated: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The stored and exported form: every field, the date span beside `when`."""
        when = self.when
        return {
            "id": self.id,
            "who": self.who,
            "what": self.what,
            "when": when.text if when else None,
            "when_start": when.start if when else None,
            "when_end": when.end if when else None,
            "country": list(self.country),
            "tags": list(self.tags),
            "sources": [s.to_dict() for s in self.sources],
            "note": self.note,
            "created": self.created,
            "updated": self.updated,
        }

    @classmethod
    def from_stored(cls, doc: Mapping[str, Any]) -> Fact:
        """Trust a document that the store wrote (validated on the way in)."""
        when = doc.get("when")
        span = DateSpan(when, doc["when_start"], doc["when_end"]) if when else None
        return cls(
            id=doc["id"],
            who=doc["who"],
            what=doc["what"],
            when=span,
            country=tuple(doc["country"]),
            sources=tuple(Source(**s) for s in doc["sources"]),
            note=doc.get("note", ""),
            tags=tuple(doc.get("tags", ())),
            created=doc.get("created", ""),
            updated=doc.get("updated", ""),
        )

    def identity(self) -> tuple[str, str, str, tuple[str, ...]]:
        """What makes two facts the same fact: who, what, when and countries."""
        return (
            normalise(self.who),
            normalise(self.what),
            self.when.text if self.when else "",
            tuple(sorted(self.country)),
        )

    def same_content(self, other: Fact) -> bool:
        """Equal in everything but bookkeeping (timestamps)."""
        return self._replace(created="", updated="") == other._replace(created="", updated="")


class Validation:
    """What :func:`validate` found: a fact (None when there are errors)."""

    __slots__ = ("fact", "errors", "warnings")

    def __init__(self, fact: Fact | None, errors: list[str] | None = None, warnings: list[str] | None = None) -> None:
        self.fact = fact
        self.errors = errors if errors is not None else []
        self.warnings = warnings if warnings is not None else []


def source_from_text(text: str) -> dict[str, str]:
    """`--source` takes a URL or a citation: the URL goes in `url`, text in `title`."""
    text = text.strip()
    return {"url": text} if _URL.match(text) else {"title": text}


def _country_values(value: Any) -> list[Any]:
    """Countries given as one text are split at ";" or "," (what export and the add
    prompt write) unless the whole text is one country's name ("Korea, Republic of")."""
    if isinstance(value, str) and value.strip() and countries.resolve(value) is None:
        return [p.strip() for p in re.split(r"[;,]", value) if p.strip()]
    return _as_list(value)


def _source_values(value: Any) -> list[Any]:
    """Sources given as one text are split at ";" when every part is a URL
    ("https://a;https://b"); a citation may hold a ";" of its own."""
    if isinstance(value, str) and ";" in value:
        parts = [p.strip() for p in value.split(";") if p.strip()]
        if parts and all(_URL.match(p) for p in parts):
            return parts
    return _as_list(value)


def _as_list(value: Any, split: str | None = None) -> list[Any]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [p.strip() for p in re.split(split, value)] if split else [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _text(name: str, value: Any, errors: list[str], *, required: bool = False) -> str:
    if type(value) is str and len(value) <= MAX_TEXT and is_safe(value):
        if required and not value.strip():
            errors.append(f"{name} is empty")
        return value  # the common case, checked in one regex pass
    if value is None:
        if required:
            errors.append(f"{name} is empty")
        return ""
    if not isinstance(value, str):
        errors.append(f"{name} must be text, not {type(value).__name__}")
        return ""
    if len(value) > MAX_TEXT:
        errors.append(f"{name} is {len(value):,} characters long; the limit is {MAX_TEXT:,}")
        return ""
    bad = first_unsafe(value)
    if bad is not None:
        what = "is not valid UTF-8" if "\ud800" <= bad <= "\udfff" else "may not be stored"
        errors.append(f"{name} holds {describe_char(bad)}, which {what}")
    if required and not value.strip():
        errors.append(f"{name} is empty")
    return value


def _date(name: str, value: str, errors: list[str]) -> DateSpan | None:
    if not value.strip():
        return None
    try:
        return parse_date(value)
    except BadDate as exc:
        errors.append(f"{name}: {exc}")
        return None


def resolve_countries(values: Iterable[Any], errors: list[str]) -> tuple[str, ...]:
    codes: list[str] = []
    for value in values:
        if not isinstance(value, str) or not value.strip():
            errors.append("country is empty")
            continue
        code = countries.resolve(value)
        if code is None:
            hint = countries.suggest(value)
            maybe = f" (did you mean {' or '.join(hint)}?)" if hint else ""
            errors.append(f"unknown country {value!r}{maybe}")
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


_SOURCE_KEYS = frozenset(SOURCE_FIELDS)


def _sources(value: Any, errors: list[str], warnings: list[str]) -> tuple[Source, ...]:
    result = []
    for i, raw in enumerate(_source_values(value), 1):
        if type(raw) is str:
            raw = source_from_text(raw)
        if type(raw) is not dict and not isinstance(raw, Mapping):
            errors.append(f"source {i} must be text or an object")
            continue
        if not _SOURCE_KEYS.issuperset(raw):
            errors.append(f"source {i} has unknown field(s): {', '.join(sorted(set(raw) - _SOURCE_KEYS))}")
        parts = dict.fromkeys(SOURCE_FIELDS, "")
        values = raw.values()
        if all(type(v) is str and len(v) <= MAX_TEXT for v in values) and is_safe(" ".join(values)):
            for key in SOURCE_FIELDS:  # the common case: all text, checked in one pass
                if key in raw:
                    parts[key] = raw[key].strip()
        else:
            for key in SOURCE_FIELDS:
                if raw.get(key) is not None:
                    parts[key] = _text(f"source {i} {key}", raw[key], errors).strip()
        if not (parts["url"] or parts["title"]):
            errors.append(f"source {i} needs a url or a title")
        url = parts["url"]
        if url and not (_URL.match(url) and url.split("://", 1)[0].lower() in URL_SCHEMES):
            errors.append(f"source {i} url {url[:60]!r} is not a web address (one starts with http:// or https://)")
        for key in ("published", "retrieved"):
            if parts[key]:
                _date(f"source {i} {key}", parts[key], errors)
        if not parts["published"]:
            warnings.append(f"source {i} ({parts['url'] or parts['title']}) has no published date")
        result.append(Source(**parts))
    return tuple(result)


_ALLOWED = frozenset(FIELDS + DERIVED_FIELDS)


def _close_field(name: str) -> str | None:
    """The field a misspelt column most likely meant (`source` → `sources`)."""
    import difflib

    lowered = name.strip().lower()
    if lowered in _ALLOWED:
        return lowered
    found = difflib.get_close_matches(lowered, FIELDS, n=1, cutoff=0.75)
    return found[0] if found else None


def validate(raw: Mapping[str, Any], *, require_sources: bool = True) -> Validation:
    """Check and normalise one fact given as a mapping of field names to values.

    Accepts country names or codes (a string or a list), sources as URLs,
    citations or objects, tags as a list or a `;`/`,`-separated string.
    Unknown fields are errors: nothing a user wrote is silently dropped.
    """
    errors: list[str] = []
    warnings: list[str] = []
    if not _ALLOWED.issuperset(raw):
        unknown = sorted(set(raw) - _ALLOWED)
        close = {u: _close_field(u) for u in unknown}
        hints = [f"{u} (did you mean {c}?)" if c else u for u, c in close.items()]
        errors.append(f"unknown field(s): {', '.join(hints)}")
    who = _text("who", raw.get("who"), errors, required=True).strip()
    doubt = name_doubt(who)
    if doubt:
        warnings.append(doubt)
    what = _text("what", raw.get("what"), errors, required=True).strip()
    when_value = raw.get("when")
    if type(when_value) is int and 0 < when_value < 10000:  # a year given as a JSON number
        when_value = f"{when_value:04d}"
    when = _date("when", _text("when", when_value, errors), errors)
    optional = [("" if raw.get(k) is None else raw[k]) for k in ("note", "id", "created", "updated")]
    if all(type(v) is str and len(v) <= MAX_TEXT for v in optional) and is_safe(" ".join(optional)):
        note, fact_id, created, updated = optional[0], optional[1].strip(), optional[2].strip(), optional[3].strip()
    else:  # one at a time, for the errors' sake
        note = _text("note", raw.get("note"), errors)
        fact_id = _text("id", raw.get("id"), errors).strip()
        created = _text("created", raw.get("created"), errors).strip()
        updated = _text("updated", raw.get("updated"), errors).strip()

    bad_id = id_problem(fact_id) if fact_id else None
    if bad_id:
        errors.append(bad_id)
    country_values = _country_values(raw.get("country"))
    codes = resolve_countries(country_values, errors)
    if not country_values:
        errors.append("country is missing: name at least one country")

    tags: list[str] = []
    for tag in _as_list(raw.get("tags"), split=r"[;,]"):
        tag = _text("tag", tag, errors).strip()
        if tag and not _TAG.match(tag):
            errors.append(f"tag {tag!r} may not contain spaces, commas or semicolons")
        elif tag and tag not in tags:
            tags.append(tag)

    sources = _sources(raw.get("sources"), errors, warnings)
    if require_sources and not sources:
        errors.append("no source: every fact needs at least one (a URL or a citation)")
    for name, items in (("countries", codes), ("sources", sources), ("tags", tags)):
        if len(items) > MAX_ITEMS:
            errors.append(f"{len(items)} {name}; the limit is {MAX_ITEMS}")
    if when is None:
        warnings.append("no date (when)")

    if errors:
        return Validation(None, errors, warnings)
    fact = Fact(
        id=fact_id,
        who=who,
        what=what,
        when=when,
        country=codes,
        sources=sources,
        note=note,
        tags=tuple(tags),
        created=created,
        updated=updated,
    )
    return Validation(fact, errors, warnings)
