"""`factcli check`: lint a database's content. Pure: takes the parsed tables.

Errors make a database wrong (schema, dates, countries, sources, duplicates,
aliases); warnings point at what a curator should look at (near duplicates,
conflicting facts, weekday slips, undated sources or facts).
"""

from __future__ import annotations

import calendar
import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from factcli.model import DERIVED_FIELDS, Fact, name_doubt, validate
from factcli.query import haystack
from factcli.text import normalise

ERROR, WARNING = "error", "warning"
NEAR_DUPLICATE_RATIO = 0.85

# Weekday and month words as people write them: full names and abbreviations
# ("Mon", "Tues", "Thurs", "Sept"), with or without a full stop.
_WEEKDAY_WORDS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_WEEKDAY_WORDS.update({name.lower()[:3]: i for i, name in enumerate(calendar.day_name)})
_WEEKDAY_WORDS.update({"tues": 1, "weds": 2, "thur": 3, "thurs": 3})
_MONTH_WORDS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTH_WORDS.update({name.lower()[:3]: i for i, name in enumerate(calendar.month_name) if name})
_MONTH_WORDS["sept"] = 9
_DAYS = "|".join(sorted(_WEEKDAY_WORDS, key=len, reverse=True))
_MONTHS = "|".join(sorted(_MONTH_WORDS, key=len, reverse=True))
# "Thursday, July 3, 2023" / "Thu 3 Jul 2025" / "Thursday, 2025-07-03",
# each optionally followed by an acknowledgement of the slip: "(sic)", "[sic]".
_WEEKDAY_DATE = re.compile(
    rf"\b(?P<weekday>{_DAYS})\b\.?(?P<sic1>\s*[\(\[]sic[\)\]])?,?\s+"
    rf"(?:(?P<m1>{_MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTHS})\b\.?,?\s+(?P<y2>\d{{4}})"
    rf"|(?P<iso>\d{{4}}-\d{{2}}-\d{{2}}))"
    rf"(?P<sic2>\s*[\(\[]sic[\)\]])?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Problem:
    level: str  # "error" or "warning"
    where: str  # a fact id, "aliases: NAME" or "meta"
    message: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def weekday_slips(text: str) -> list[str]:
    """Weekdays written beside a full date that fall on another day, unless marked (sic)."""
    slips = []
    for match in _WEEKDAY_DATE.finditer(text):
        if match.group("sic1") or match.group("sic2"):
            continue
        try:
            if match.group("iso"):
                day = date.fromisoformat(match.group("iso"))
            else:
                number = _MONTH_WORDS[(match.group("m1") or match.group("m2")).lower()]
                day = date(
                    int(match.group("y1") or match.group("y2")), number, int(match.group("d1") or match.group("d2"))
                )
        except ValueError:
            continue  # an impossible date is not a weekday question
        actual = calendar.day_name[day.weekday()]
        if day.weekday() != _WEEKDAY_WORDS[match.group("weekday").lower()]:
            slips.append(f"{match.group(0).strip()!r}: {day.isoformat()} was a {actual}")
    return slips


def check(data: dict[str, Any], visible: Iterable[Fact] | None = None) -> list[Problem]:
    """Every problem in a parsed database (its TinyDB tables), errors first.
    ``visible``: the facts its aliases may point at when it is read with others (the
    user's file over the curated facts), as search sees them; else its own."""
    from factcli.layout import structural_problems

    problems: list[Problem] = [
        Problem(ERROR, where.rstrip(":"), f"schema: {message}")
        for where, message in structural_problems(data)
        if not message.startswith("lacks ")  # reported below, by the fact's id
    ]
    facts: list[Fact] = []
    ids: dict[str, str] = {}
    for key, doc in data.get("facts", {}).items():
        where = str(doc.get("id") or f"document {key}") if isinstance(doc, dict) else f"document {key}"
        if not isinstance(doc, dict):
            problems.append(Problem(ERROR, where, "is not an object"))
            continue
        fact = _check_document(doc, where, problems)
        if not doc.get("id"):
            problems.append(Problem(ERROR, where, "has no id"))
        elif doc["id"] in ids:
            problems.append(Problem(ERROR, where, f"id is used twice (documents {ids[doc['id']]} and {key})"))
        else:
            ids[doc["id"]] = key
        if fact is not None:
            facts.append(fact)
    problems += _duplicates(facts)
    problems += _aliases(data.get("aliases", {}), facts if visible is None else list(visible))
    problems += _meta(data, facts)
    return sorted(problems, key=lambda p: (p.level != ERROR,))


def _check_document(doc: dict[str, Any], where: str, problems: list[Problem]) -> Fact | None:
    missing = [f for f in ("who", "what", "country", "sources") if f not in doc]
    if missing:
        problems.append(Problem(ERROR, where, f"schema: missing field(s) {', '.join(missing)}"))
    checked = validate(doc)
    problems += [
        Problem(ERROR, where, e) for e in checked.errors if not e.startswith(tuple(f"{m} is" for m in missing))
    ]
    fact = checked.fact
    if fact is None:
        return None
    doubt = name_doubt(fact.who)
    if doubt:
        problems.append(Problem(WARNING, where, doubt))
    stored = {k: doc.get(k) for k in ("country", *DERIVED_FIELDS)}
    expected = {k: v for k, v in fact.to_dict().items() if k in stored}
    for name in stored:
        if stored[name] != expected[name]:
            problems.append(
                Problem(ERROR, where, f"schema: {name} is stored as {stored[name]!r}, expected {expected[name]!r}")
            )
    if fact.when is None:
        problems.append(Problem(WARNING, where, "has no date (when)"))
    for i, source in enumerate(fact.sources, 1):
        if not (source.published or source.retrieved):
            problems.append(
                Problem(WARNING, where, f"source {i} ({source.label}) has no date (neither published nor retrieved)")
            )
    texts = [("what", fact.what), ("note", fact.note)] + [
        (f"source {i} {part}", getattr(s, part)) for i, s in enumerate(fact.sources, 1) for part in ("title", "quote")
    ]
    for name, text in texts:
        for slip in weekday_slips(text):
            problems.append(
                Problem(
                    WARNING,
                    where,
                    f"{name}: weekday does not match the date: {slip} (write '(sic)' after it if the slip is the source's)",
                )
            )
    return fact


def _duplicates(facts: list[Fact]) -> list[Problem]:
    problems: list[Problem] = []
    by_identity: dict[tuple[Any, ...], list[str]] = defaultdict(list)
    by_claim: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    by_who: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by_identity[fact.identity()].append(fact.id)
        by_claim[(normalise(fact.who), normalise(fact.what))].append(fact)
        by_who[normalise(fact.who)].append(fact)
    for same in by_identity.values():
        for other in same[1:]:
            problems.append(Problem(ERROR, other, f"exact duplicate of {same[0]} (same who, what, when and country)"))
    for group in by_claim.values():
        shapes = {(f.when.text if f.when else "", f.country) for f in group}
        if len(shapes) > 1:
            ids = ", ".join(f.id for f in group)
            problems.append(
                Problem(
                    WARNING,
                    group[0].id,
                    f"conflicting facts {ids}: same who and what, different when or country (fine if both are true, e.g. a second term)",
                )
            )
    for group in by_who.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a.identity()[1] == b.identity()[1]:
                    continue  # exact duplicates and conflicts are reported above
                ratio = difflib.SequenceMatcher(None, normalise(a.what), normalise(b.what)).ratio()
                if ratio >= NEAR_DUPLICATE_RATIO and a.when == b.when:
                    problems.append(Problem(WARNING, b.id, f"near duplicate of {a.id} ({ratio:.0%} alike)"))
    return problems


def _aliases(table: dict[str, Any], facts: list[Fact]) -> list[Problem]:
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    texts = [f" {haystack(f)} " for f in facts]
    for key, doc in table.items():
        if not isinstance(doc, dict) or not isinstance(doc.get("name"), str) or not doc["name"].strip():
            problems.append(Problem(ERROR, f"aliases: document {key}", "has no name"))
            continue
        name = doc["name"]
        aliases = doc.get("aliases", [])
        stands_for = doc.get("stands_for", [])
        if not all(
            isinstance(x, list) and all(isinstance(a, str) and a.strip() for a in x) for x in (aliases, stands_for)
        ):
            problems.append(Problem(ERROR, f"aliases: {name}", "aliases must be a list of non-empty names"))
            continue
        for alias in (name, *aliases):
            key_ = normalise(alias)
            if key_ in owners and owners[key_] != name:
                problems.append(Problem(ERROR, f"aliases: {name}", f"{alias!r} also names {owners[key_]!r}"))
            owners.setdefault(key_, name)
        # "mentions" as `search --who` has it: any of its names, whole words, in a fact's search text
        if not any(f" {normalise(n)} " in t for n in (name, *aliases, *stands_for) for t in texts):
            problems.append(
                Problem(ERROR, f"aliases: {name}", "points nowhere: no fact mentions it by any of its names")
            )
    return problems


def _meta(data: dict[str, Any], facts: Iterable[Fact]) -> list[Problem]:
    metas = list(data.get("meta", {}).values())
    meta = metas[0] if metas else {}
    prefix = meta.get("id_prefix", "")
    counter = meta.get("next_id")
    if not isinstance(counter, int):
        return [Problem(ERROR, "meta", "has no id counter (next_id)")]
    used = [int(f.id[len(prefix) :]) for f in facts if f.id.startswith(prefix) and f.id[len(prefix) :].isdigit()]
    if used and max(used) >= counter:
        return [Problem(ERROR, "meta", f"next_id {counter} would reuse id {prefix}{max(used)}")]
    return []
