"""Partial ISO 8601 dates and intervals, kept at their precision. Pure.

A date is a span at its precision: ``2025`` runs from 2025-01-01 to 2025-12-31.
Spans are stored as ISO day strings beside the text, so comparisons are plain
string comparisons (cheap in Python, in SQLite and in jq).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import NamedTuple

OPEN = ".."
# The ends an open interval stands in for; ISO day strings sort correctly.
MIN_DAY = "0001-01-01"
MAX_DAY = "9999-12-31"

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
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
    if text.count("/") > 1:
        raise BadDate(
            f"{text!r} is not an ISO date or interval (YYYY-MM-DD, or START/END such as 2020/2024-06 or 2020/..)"
        )
    left, _, right = text.partition("/")
    if left == OPEN and right == OPEN:
        raise BadDate(f"{text!r}: an interval needs at least one end")
    try:
        start = MIN_DAY if left == OPEN else _point(left)[0]
        end = MAX_DAY if right == OPEN else _point(right)[1]
    except BadDate as exc:  # name the whole interval, then the part
        raise BadDate(f"in {text!r}, {exc}") from None
    if start > end:
        raise BadDate(f"{text!r}: the interval ends before it starts")
    return DateSpan(text, start, end)


# ------------------------------------------------------------------ dates as people write them
#
# The grammar below reads dates in prose ("on 3 July 2025", "July 3rd", "2025/07/03",
# "summer 2025", "last year") for `ask`, and one date typed whole for the date
# options (:func:`parse_human_date`). Its patterns are compiled on first use, so a
# run that only meets ISO dates never pays for them.

MONTH_WORDS: dict[str, int] = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
MONTH_WORDS.update({name.lower()[:3]: i for i, name in enumerate(MONTH_NAMES, 1)})
MONTH_WORDS["sept"] = 9
# Northern-hemisphere meteorological seasons: (first month, last month); winter YYYY
# is December YYYY to February YYYY+1.
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
_RELATIVE_WORDS = ("today", "yesterday", "year", "month", "week")


def today() -> date:
    """Today's date: ``FACTCLI_TODAY`` (YYYY-MM-DD) when set and valid, else the clock's."""
    import os

    fixed = os.environ.get("FACTCLI_TODAY", "")
    if fixed:
        try:
            return date.fromisoformat(fixed)
        except ValueError:
            pass
    return date.today()


class DateMention(NamedTuple):
    """A date or range read from a question: the days it covers, and whether it
    is a hard filter (a preposition or a day/month said so) or only a hint."""

    text: str
    start: str
    end: str
    hard: bool
    exact_day: bool
    span: tuple[int, int]  # where it was in the text
    month_day: str = ""  # "07-03" for a day given without its year ("July 3rd"): any year
    readings: tuple[str, ...] = ()  # an ambiguous "03/07/2025": both ISO readings

    def overlaps(self, start: str, end: str) -> bool:
        """True when the days start..end meet this date (for "July 3rd", a July 3 of any year)."""
        if not self.month_day:
            return start <= self.end and end >= self.start
        first, last = int(start[:4]), int(end[:4])
        if last - first >= 1 and (last - first >= 2 or start[5:] <= self.month_day or end[5:] >= self.month_day):
            return True
        return any(start <= f"{y:04d}-{self.month_day}" <= end for y in range(first, last + 1))


_MONTH = r"(?P<{0}>" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{0}>\d{{1,2}})(?:st|nd|rd|th)?"
_YEAR = r"(?P<{0}>\d{{4}})"


def _point_pattern(tag: str) -> str:
    """One date: ISO, '2025/07/03', '03/07/2025', '3 July 2025', 'July 3, 2025', 'July 3rd',
    'July 2025', 'summer 2025', '2025', '1990s'."""
    iso = rf"(?P<{tag}iso>\d{{4}}-\d{{2}}(?:-\d{{2}})?)"
    ymd = rf"(?P<{tag}ymd>\d{{4}}/\d{{1,2}}/\d{{1,2}})"
    num = rf"(?P<{tag}num>\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{4}})"
    dmy = _DAY.format(tag + "d1") + r"\s+(?:of\s+)?" + _MONTH.format(tag + "m1") + r",?\s+" + _YEAR.format(tag + "y1")
    mdy = _MONTH.format(tag + "m2") + r"\s+" + _DAY.format(tag + "d2") + r",?\s+" + _YEAR.format(tag + "y2")
    my = _MONTH.format(tag + "m3") + r",?\s+(?:of\s+)?" + _YEAR.format(tag + "y3")
    season = rf"(?P<{tag}season>spring|summer|autumn|fall|winter)\s+(?:of\s+)?" + _YEAR.format(tag + "y5")
    md = _MONTH.format(tag + "m4") + r"\s+" + _DAY.format(tag + "d4") + r"(?!\s*,?\s*\d)"
    dm = rf"(?P<{tag}d5>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format(tag + "m5") + r"(?!\s*,?\s*\d)"
    decade = rf"(?:the\s+)?(?P<{tag}dec>\d{{3}}0)'?s"
    year = _YEAR.format(tag + "y4")
    return rf"(?:{iso}|{ymd}|{num}|{dmy}|{mdy}|{my}|{season}|{md}|{dm}|{decade}|{year})"


_PREP = r"(?P<prep>in|on|during|throughout|since|after|before|until|till|by|from|as\s+of|at\s+the\s+(?:start|end|beginning)\s+of|early\s+in|late\s+in|in\s+early|in\s+late|of)"


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The date patterns, compiled on first use (a question without a date never needs them)."""
    between = re.compile(
        r"\b(?:between|from)\s+" + _point_pattern("a") + r"\s+(?:and|to|until|till|-)\s+" + _point_pattern("b") + r"\b"
    )
    point = re.compile(r"\b(?:" + _PREP + r"\s+)?" + _point_pattern("p") + r"\b")
    return between, point


@lru_cache(maxsize=1)
def _relative_pattern() -> re.Pattern[str]:
    return re.compile(
        r"\b(?:(?P<prep>in|on|during|since|before|after|until|by)\s+)?(?P<rel>today|yesterday|(?:this|last|next)\s+(?:year|month|week))\b"
    )


def _ymd(y: int, m: int, d: int) -> str | None:
    if not (1 <= m <= 12 and 1 <= d <= days_in_month(y, m)) or y == 0:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _numeric_readings(text: str) -> tuple[str, ...]:
    """'03/07/2025': every valid day it can be (day/month or month/day); '3.7.2025' is day.month."""
    sep = "/" if "/" in text else "."
    a, b, y = (int(x) for x in text.split(sep))
    if sep == ".":
        found = [_ymd(y, b, a)]
    else:
        found = [_ymd(y, b, a), _ymd(y, a, b)]  # day/month first, as most of the world writes it
    return tuple(dict.fromkeys(d for d in found if d))


class _Point(NamedTuple):
    label: str
    start: str
    end: str
    is_day: bool
    month_day: str = ""
    readings: tuple[str, ...] = ()


def _to_point(match: re.Match[str], tag: str) -> _Point | None:
    """The days one point date of a match covers."""
    g = match.groupdict()
    try:
        if g.get(tag + "iso"):
            span = parse_date(g[tag + "iso"])
            return _Point(span.text, span.start, span.end, span.is_day)
        if g.get(tag + "ymd"):
            y, m, d = (int(x) for x in g[tag + "ymd"].split("/"))
            day = _ymd(y, m, d)
            return _Point(day, day, day, True) if day else None
        if g.get(tag + "num"):
            readings = _numeric_readings(g[tag + "num"])
            if not readings:
                return None
            first = readings[0]
            return _Point(first, first, first, True, readings=readings if len(readings) > 1 else ())
        for n in ("1", "2"):
            if g.get(tag + "d" + n):
                day = _ymd(int(g[tag + "y" + n]), MONTH_WORDS[g[tag + "m" + n]], int(g[tag + "d" + n]))
                return _Point(day, day, day, True) if day else None
        for n in ("4", "5"):
            if g.get(tag + "d" + n):
                m, d = MONTH_WORDS[g[tag + "m" + n]], int(g[tag + "d" + n])
                if not 1 <= d <= days_in_month(2024, m):
                    return None
                md = f"{m:02d}-{d:02d}"
                return _Point(f"--{md}", MIN_DAY, MAX_DAY, True, month_day=md)
        if g.get(tag + "m3"):
            y, m = int(g[tag + "y3"]), MONTH_WORDS[g[tag + "m3"]]
            return _Point(
                f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{days_in_month(y, m):02d}", False
            )
        if g.get(tag + "season"):
            y = int(g[tag + "y5"])
            first, last = SEASONS[g[tag + "season"]]
            end_year = y + 1 if last < first else y
            return _Point(
                f"{g[tag + 'season']} {y}",
                f"{y:04d}-{first:02d}-01",
                f"{end_year:04d}-{last:02d}-{days_in_month(end_year, last):02d}",
                False,
            )
        if g.get(tag + "dec"):
            y = int(g[tag + "dec"])
            return _Point(f"{y}s", f"{y:04d}-01-01", f"{y + 9:04d}-12-31", False)
        if g.get(tag + "y4"):
            y = int(g[tag + "y4"])
            if not 1000 <= y <= 2100:
                return None
            return _Point(str(y), f"{y:04d}-01-01", f"{y:04d}-12-31", False)
    except (ValueError, KeyError, BadDate):
        return None
    return None


def _relative(word: str, now: date) -> _Point:
    """'last year', 'this month', 'yesterday' … as the days they cover, from today's date."""
    from datetime import timedelta

    if word == "today":
        d = now.isoformat()
        return _Point(d, d, d, True)
    if word == "yesterday":
        d = (now - timedelta(days=1)).isoformat()
        return _Point(d, d, d, True)
    which, unit = word.split()
    step = {"this": 0, "last": -1, "next": 1}[which]
    if unit == "year":
        y = now.year + step
        return _Point(str(y), f"{y:04d}-01-01", f"{y:04d}-12-31", False)
    if unit == "month":
        y, m = divmod(now.year * 12 + now.month - 1 + step, 12)
        m += 1
        return _Point(f"{y:04d}-{m:02d}", f"{y:04d}-{m:02d}-01", f"{y:04d}-{m:02d}-{days_in_month(y, m):02d}", False)
    monday = now - timedelta(days=now.weekday()) + timedelta(weeks=step)
    return _Point(f"week of {monday.isoformat()}", monday.isoformat(), (monday + timedelta(days=6)).isoformat(), False)


def _day_step(day: str, days: int) -> str:
    from datetime import timedelta

    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def _mention(point: _Point, prep: str, span: tuple[int, int], bare_year: bool) -> DateMention:
    """A point date with the preposition before it ("before 2024" is a range up to 2023)."""
    label, start, end = point.label, point.start, point.end
    # A bare year ("the 2022 deal", "resolution 1988") is only a hint; a day,
    # a month, a decade or a year after a preposition is a filter.
    hard = bool(prep) or not bare_year
    if prep in ("before", "until", "till", "by") and not point.month_day:
        start, end = MIN_DAY, _day_step(start, -1) if prep == "before" else end
        label = f"../{label}"
    elif prep in ("after", "since", "from") and not point.month_day:
        start, end = (_day_step(end, 1) if prep == "after" else start), MAX_DAY
        label = f"{label}/.."
    exact = point.is_day and prep not in ("before", "after", "since", "until", "till", "by", "from")
    return DateMention(label, start, end, hard, exact, span, point.month_day, point.readings)


def find_dates(text: str, now: date | None = None) -> list[DateMention]:
    """Dates and ranges in a question ("in July 2025", "between 2021 and 2025",
    "on 3 July 2023", "July 3rd", "2025/07/03", "summer 2025", "before 2024",
    "in the 1990s", "last year"). ``text`` is lower-cased; relative dates count
    from ``now`` (default :func:`today`)."""
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    has_digit = any(c.isdigit() for c in text)
    if (
        not has_digit
        and not any(w in text for w in _RELATIVE_WORDS)
        and MONTH_WORDS.keys().isdisjoint(text.replace(",", " ").replace(".", " ").split())
    ):
        return found  # every other date form has digits or a month's name
    months = not MONTH_WORDS.keys().isdisjoint(text.replace(",", " ").replace(".", " ").split())
    if has_digit:
        between, point = _patterns()
        for match in between.finditer(text):
            a, b = _to_point(match, "a"), _to_point(match, "b")
            if a and b and not a.month_day and not b.month_day and a.start <= b.end:
                found.append(DateMention(f"{a.label}/{b.label}", a.start, b.end, True, False, match.span()))
                taken.append(match.span())
    relative = _relative_pattern() if any(w in text for w in _RELATIVE_WORDS) else None
    for match in relative.finditer(text) if relative else ():
        rel = _relative(" ".join(match.group("rel").split()), now or today())
        found.append(_mention(rel, match.group("prep") or "in", match.span(), False))
        taken.append(match.span())
    if has_digit or months:
        between, point = _patterns()
        for match in point.finditer(text):
            if any(s <= match.start() < e for s, e in taken):
                continue
            p = _to_point(match, "p")
            if p is None:
                continue
            prep = " ".join((match.group("prep") or "").split())
            # "the 2025 forum": a year before the noun dates the thing (a filter);
            # "resolution 1988", "the 2022 deal" after a verb's object stay hints only when bare
            dated_noun = text[: match.start()].endswith(("the ", "a ", "its ", "their ", "this "))
            found.append(_mention(p, prep, match.span(), bool(re.fullmatch(r"\d{4}", p.label)) and not dated_noun))
            taken.append(match.span())
    found.sort(key=lambda d: d.span)
    return found


def parse_human_date(text: str, now: date | None = None) -> DateSpan:
    """One date as people type it ("July 3 2025", "3rd July 2025", "2025/07/03",
    "July 2025", "last year"), as an ISO span at the precision given. ISO input
    (and ISO intervals) go through :func:`parse_date` unchanged.

    Raises BadDate for what is not a date, or is ambiguous (``03/07/2025``: both
    readings are named, never guessed).
    """
    text = " ".join(text.split())
    try:
        return parse_date(text)
    except BadDate as error:
        iso_error = error
    lowered = text.casefold().rstrip(".")
    found = [d for d in find_dates(lowered, now) if d.span == (0, len(lowered))]
    if len(found) != 1 or found[0].month_day or found[0].start in (MIN_DAY,) or found[0].end == MAX_DAY:
        if found and found[0].month_day:
            year = (now or today()).year
            raise BadDate(f"{text!r} has no year (say {text} {year}, or {year}-{found[0].month_day})")
        raise iso_error
    d = found[0]
    if d.readings:
        raise BadDate(f"{text!r} is ambiguous: did you mean {' or '.join(d.readings)}?")
    iso = d.text if _POINT.fullmatch(d.text) else (d.start if d.start == d.end else f"{d.start}/{d.end}")
    return parse_date(iso)
