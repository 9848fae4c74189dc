"""The timeline and the statistics, computed from facts. Pure: no I/O, no click, no rich.

Both place a fact in time by its *anchor*: the first date it names (the start
of ``2024-03/2024-11``, the end of ``../2020``), at the precision it was given.
An undated fact has no place in time: the timeline leaves it out and counts it,
the statistics count it under "missing".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from factcli import countries
from factcli.dates import OPEN, DateSpan
from factcli.model import Fact
from factcli.query import sort_key

# A year with at least this many facts is shown month by month.
MONTHS_FROM = 10


def anchor(when: DateSpan) -> tuple[int, str | None]:
    """The year, and the month as ``YYYY-MM`` (None when only the year is known)."""
    left, _, right = when.text.partition("/")
    point = right if left == OPEN else left
    return int(point[:4]), (point[:7] if len(point) >= 7 else None)


def year_of(fact: Fact) -> int | None:
    return anchor(fact.when)[0] if fact.when else None


def month_of(fact: Fact) -> str | None:
    return anchor(fact.when)[1] if fact.when else None


# The timeline's own columns, before the fact's fields (machine formats).
TIMELINE_EXTRA = {"year": year_of, "month": month_of}
TIMELINE_FIELDS = ("year", "month", "id", "when", "who", "what", "country")


@dataclass(slots=True)
class Month:
    month: str | None  # YYYY-MM, or None for the facts dated only by their year
    facts: list[Fact]


@dataclass(slots=True)
class Year:
    year: int
    facts: list[Fact]

    @property
    def by_month(self) -> bool:
        """Whether this year has enough facts to be shown month by month."""
        return len(self.facts) >= MONTHS_FROM

    def months(self) -> list[Month]:
        groups: list[Month] = []
        for fact in self.facts:
            month = month_of(fact)
            if not groups or groups[-1].month != month:
                groups.append(Month(month, []))
            groups[-1].facts.append(fact)
        return groups


@dataclass(slots=True)
class Timeline:
    years: list[Year] = field(default_factory=list)
    undated: int = 0  # matching facts left out: they have no date

    @property
    def facts(self) -> list[Fact]:
        """The dated facts in timeline order."""
        return [fact for year in self.years for fact in year.facts]

    def per_year(self) -> list[tuple[int, int]]:
        return [(y.year, len(y.facts)) for y in self.years]


def timeline(facts: Sequence[Fact]) -> Timeline:
    """The dated facts grouped by year, in time order (facts known only by the
    year before those of the year's months)."""
    by_date = sort_key("when")
    dated = [f for f in facts if f.when is not None]
    undated = len(facts) - len(dated)

    def key(fact: Fact) -> tuple[Any, ...]:
        year, month = anchor(fact.when)  # type: ignore[arg-type]
        return (year, month or "", by_date(fact))

    result = Timeline(undated=undated)
    for fact in sorted(dated, key=key):
        year = year_of(fact)
        if not result.years or result.years[-1].year != year:
            result.years.append(Year(year, []))  # type: ignore[arg-type]
        result.years[-1].facts.append(fact)
    return result


# ---------------------------------------------------------------- statistics

STATS_FIELDS = ("group", "key", "name", "count")
NO_PUBLISHER = "(no publisher)"


@dataclass(slots=True)
class Stats:
    """Counts over a set of facts. A fact about two countries counts for each;
    a fact citing a publisher twice counts once for it."""

    facts: int = 0
    sources: int = 0
    undated: int = 0  # facts without a date
    unsourced: int = 0  # facts without a source
    unpublished: int = 0  # sources without a published date
    countries: list[tuple[str, int]] = field(default_factory=list)  # (code, facts), most first
    years: list[tuple[int, int]] = field(default_factory=list)  # (year, facts), in order
    publishers: list[tuple[str, int]] = field(default_factory=list)  # (publisher, facts), most first

    def rows(self) -> list[dict[str, Any]]:
        """Every count as a row of the documented columns: group, key, name, count."""
        rows: list[dict[str, Any]] = [
            {"group": "total", "key": "facts", "name": "facts", "count": self.facts},
            {"group": "total", "key": "sources", "name": "sources", "count": self.sources},
            {"group": "missing", "key": "when", "name": "facts without a date", "count": self.undated},
            {"group": "missing", "key": "sources", "name": "facts without a source", "count": self.unsourced},
            {
                "group": "missing",
                "key": "published",
                "name": "sources without a published date",
                "count": self.unpublished,
            },
        ]
        rows += [
            {"group": "country", "key": code, "name": countries.display_name(code), "count": n}
            for code, n in self.countries
        ]
        rows += [{"group": "year", "key": str(year), "name": str(year), "count": n} for year, n in self.years]
        rows += [{"group": "publisher", "key": name, "name": name, "count": n} for name, n in self.publishers]
        return rows


def _most_first(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))


def stats(facts: Iterable[Fact]) -> Stats:
    result = Stats()
    by_country: Counter[str] = Counter()
    by_year: Counter[int] = Counter()
    by_publisher: Counter[str] = Counter()
    for fact in facts:
        result.facts += 1
        result.sources += len(fact.sources)
        by_country.update(set(fact.country))
        if fact.when is None:
            result.undated += 1
        else:
            by_year[anchor(fact.when)[0]] += 1
        if not fact.sources:
            result.unsourced += 1
        result.unpublished += sum(1 for s in fact.sources if not s.published)
        by_publisher.update({s.outlet or NO_PUBLISHER for s in fact.sources})
    result.countries = _most_first(by_country)
    result.years = sorted(by_year.items())
    result.publishers = _most_first(by_publisher)
    return result
