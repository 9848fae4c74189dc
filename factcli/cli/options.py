"""Options shared by several commands, and turning them into a query: output
formats and fields, the search filters, dates as people type them, OR and NOT,
the parts of a source, completion of ids and countries."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from factcli.cli.app import FORMAT_NAMES, warn
from factcli.errors import InvalidInput
from factcli.model import FIELDS


def complete_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from factcli.cli.completion import fact_ids

    return fact_ids(ctx, incomplete)


def complete_countries(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from factcli.cli.completion import country_names

    return country_names(incomplete)


# ---------------------------------------------------------------- shared options


def output_options(
    command: Callable[..., Any] | None = None, *, formats: Sequence[str] = FORMAT_NAMES, fields: Sequence[str] = FIELDS
) -> Any:
    """--format, --fields and --header, the same on every command that lists facts.

    Use as ``@output_options``, or ``@output_options(formats=…, fields=…)`` for a
    command whose rows have other columns (timeline, stats).
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "--header",
            is_flag=True,
            help="Start TSV output with a line of field names (CSV and Markdown always have one).",
        )(command)
        command = click.option(
            "--fields",
            metavar="LIST",
            help=f"Comma-separated fields to output, in order (from: {', '.join(fields)}).",
        )(command)
        command = click.option(
            "--format",
            "fmt",
            type=click.Choice(formats),
            help="Output format [default: table on a terminal, tsv when piped].",
        )(command)
        return command

    return decorate(command) if command is not None else decorate


def filter_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The filters of `search` (and of every command that selects facts)."""
    for name, help_text in reversed(
        [
            ("--who", "Actor matches (aliases count: Putin = Vladimir Putin)."),
            ("--what", "Words in what the fact says."),
            ("--country", "About this country (name or ISO code)."),
            ("--since", "Dated on or after DATE (spans overlap): 2025-07, July 3 2025, last year."),
            ("--until", "Dated on or before DATE (also today, yesterday, last month)."),
            ("--during", "Date overlaps DATE (2025 matches 2025-07-03; this year, last month)."),
            ("--tag", "Has this tag."),
            ("--source", "A source's title, publisher, URL or quote matches."),
            ("--not", "Leave out the facts this word or name matches (as NOT in the terms)."),
        ]
    ):
        multiple = name not in ("--since", "--until", "--during")
        extra = {"shell_complete": complete_countries} if name == "--country" else {}
        command = click.option(
            name,
            "not_" if name == "--not" else name[2:],
            multiple=multiple,
            metavar="DATE" if not multiple else "TEXT",
            help=help_text,
            **extra,
        )(command)
    command = click.option(
        "--any",
        "any_of",
        is_flag=True,
        help="Match any of the terms, and any value of a repeated --who, --country or --tag (default: all must match).",
    )(command)
    return command


def split_terms(terms: Sequence[str]) -> tuple[list[str], list[tuple[str, ...]], list[str]]:
    """TERMS with the operators people type: `A OR B` (either), `NOT A` (leave out).
    Upper-case words only: `-Putin` would read as an option, and `or`/`not` are words."""
    plain: list[str] = []
    groups: list[list[str]] = []
    excluded: list[str] = []
    i = 0
    while i < len(terms):
        term = terms[i]
        if term == "NOT":
            if i + 1 >= len(terms) or terms[i + 1] in ("NOT", "OR"):
                raise InvalidInput("NOT needs a word or name after it (search Russia NOT Putin)")
            excluded.append(terms[i + 1])
            i += 2
            continue
        if term == "OR":
            if i + 1 >= len(terms) or terms[i + 1] in ("NOT", "OR") or not (plain or groups):
                raise InvalidInput("OR goes between two words or names (search Kazakhstan OR Kyrgyzstan)")
            if groups and groups[-1] and i >= 2 and terms[i - 2] == "OR":
                groups[-1].append(terms[i + 1])  # A OR B OR C
            else:
                groups.append([plain.pop(), terms[i + 1]])
            i += 2
            continue
        plain.append(term)
        i += 1
    return plain, [tuple(g) for g in groups], excluded


def iso_date(option: str, text: str) -> str:
    """A date as people type it ("July 3 2025", "3rd July 2025", "2025/07/03", "July
    2025", "last year") as ISO at the precision given; ISO stays as it is. What was
    understood is said on a terminal; an ambiguous date is refused with both readings."""
    from factcli.dates import BadDate, parse_date, parse_human_date

    try:
        return parse_date(text).text
    except BadDate:
        pass
    try:
        iso = parse_human_date(text).text
    except BadDate as exc:
        raise InvalidInput(f"{option}: {exc}") from None
    if sys.stderr.isatty():
        warn(f"{option} {text!r} read as {iso}")
    return iso


def build_query(terms: Sequence[str], options: dict[str, Any], sort: str = "when", limit: int | None = None):
    from factcli.countries import resolve, suggest
    from factcli.dates import parse_date
    from factcli.query import Query

    codes = []
    for name in options.get("country") or ():
        code = resolve(name)
        if code is None:
            hint = suggest(name)
            raise InvalidInput(f"unknown country {name!r}" + (f"; did you mean {' or '.join(hint)}?" if hint else ""))
        codes.append(code)
    spans = {}
    for key in ("since", "until", "during"):
        if options.get(key):
            spans[key] = parse_date(iso_date(f"--{key}", options[key]))
    plain, either, excluded = split_terms([t for t in terms if t.strip()])
    excluded += [t for t in options.get("not_") or () if t.strip()]
    date_from, date_to = Query.window(**spans)
    if date_from > date_to:  # `--since 2026 --until 2025`: no date is in it
        given = " and ".join(f"--{key} {options[key]}" for key in ("since", "until", "during") if key in spans)
        raise InvalidInput(f"{given} leave no day between them (the range is inverted)")
    return Query(
        terms=tuple(plain),
        either=tuple(either),
        exclude=tuple(excluded),
        any_of=bool(options.get("any_of")),
        who=tuple(options.get("who") or ()),
        what=tuple(options.get("what") or ()),
        country=tuple(codes),
        tags=tuple(options.get("tag") or ()),
        source=tuple(options.get("source") or ()),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        limit=limit,
    )


def source_part_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--title, --publisher, --published and --quote: parts of the last --source."""
    for name, help_text in reversed(
        [
            ("--title", "The title of the last --source (of its article or document)."),
            ("--publisher", "Who published the last --source (AP, Reuters, TASS …)."),
            ("--published", "When the last --source was published (a date as you would type it)."),
            ("--quote", "What the last --source says, in its words."),
        ]
    ):
        command = click.option(name, help=help_text)(command)
    return command
