"""Partial ISO 8601 dates and intervals, kept at their precision. Pure.

A date is a span at its precision: ``2025`` runs from 2025-01-01 to 2025-12-31.
Spans are stored as ISO day strings beside the text, so comparisons are plain
string comparisons (cheap in Python, in SQLite and in jq).
"""

from __future__ import annotations

import re
from typing import NamedTuple
from datetime import date
from functools import lru_cache

OPEN = ".."
# The ends an open interval stands in for; ISO day strings sort correctly.
MIN_DAY = "0001-01-01"
MAX_DAY = "9999-12-31"

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")
_POINT = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")  # ASCII digits only


class BadDate(ValueError):
    """A date that is malformed or impossible."""


class DateSpan(NamedTuple):
    """A date as written (``text``) and the days it covers (``start``..``end``)."""

    text: str
    start: str
    end: str

    @property
    def is_day(self) -> bool:
        """True for a single, exact day such as 2025-07-03."""
        return self.start == self.end

    def overlaps(self, other: DateSpan) -> bool:
        return self.start <= other.end and other.start <= self.end

    def weekday(self) -> str | None:
        """The weekday name of an exact day, else None."""
        if not self.is_day:
            return None
        return DAY_NAMES[date.fromisoformat(self.start).weekday()]


def days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _point(text: str) -> tuple[str, str]:
    """First and last day of a single partial date such as 2025-07."""
    match = _POINT.fullmatch(text)
    if not match:
        raise BadDate(f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    y = int(year)
    if y == 0:
        raise BadDate(f"{text!r}: there is no year 0000")
    if month is None:
        return f"{year}-01-01", f"{year}-12-31"
    m = int(month)
    if not 1 <= m <= 12:
        raise BadDate(f"{text!r}: month {month} does not exist")
    last = days_in_month(y, m)
    if day is None:
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    if not 1 <= int(day) <= last:
        raise BadDate(f"{text!r}: {MONTH_NAMES[m - 1]} {y} has no day {int(day)}")
    return text, text


@lru_cache(maxsize=4096)
def parse_date(text: str) -> DateSpan:
    """Parse ``2025``, ``2025-07``, ``2025-07-03``, ``A/B``, ``A/..`` or ``../B``.

    Raises BadDate for malformed or impossible dates and backwards intervals.
    """
    text = text.strip()
    if "/" not in text:
        start, end = _point(text)
        return DateSpan(text, start, end)
    left, _, right = text.partition("/")
    if left == OPEN and right == OPEN:
        raise BadDate(f"{text!r}: an interval needs at least one end")
    start = MIN_DAY if left == OPEN else _point(left)[0]
    end = MAX_DAY if right == OPEN else _point(right)[1]
    if start > end:
        raise BadDate(f"{text!r}: the interval ends before it starts")
    return DateSpan(text, start, end)
