"""The commands that read: search, ask, show, timeline, stats, cite."""

from __future__ import annotations

import sys
from typing import Any

import click

from factcli.cli.app import (
    App,
    FORMAT_NAMES,
    TERMINAL_LIMIT,
    emit,
    parse_fields,
    pass_app,
    read_ids,
    warn,
    warn_no_match,
)
from factcli.cli.options import build_query, complete_ids, filter_options, output_options
from factcli.errors import ExitCode, InvalidInput
from factcli.model import FIELDS
from factcli.choices import ASK_FORMATS, CITE_FORMATS, SORT_KEYS


# Column names of `timeline` and `stats` (views.TIMELINE_FIELDS, views.STATS_FIELDS),
# spelled here so that building the commands imports nothing.
TIMELINE_FIELD_NAMES = ("year", "month", *FIELDS)
STATS_FIELD_NAMES = ("group", "key", "name", "count")
CITE_FORMAT_NAMES = CITE_FORMATS


@click.command()
@click.argument("terms", nargs=-1)
@filter_options
@click.option(
    "--sort",
    type=click.Choice(SORT_KEYS),
    help="Order of the results; undated facts come last. fit: the facts whose dates fit a date filter best first "
    "(a day's events before long spans that merely contain it) [default: fit on a terminal with a date filter, else when].",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help=f"At most N facts (0: all) [default: {TERMINAL_LIMIT} on a terminal, or the config's limit; all when piped].",
)
@output_options
@pass_app
def search(
    app: App,
    terms: tuple[str, ...],
    sort: str | None,
    limit: int | None,
    fmt: str | None,
    fields: str | None,
    header: bool,
    **filters: Any,
) -> int:
    """Find facts: every TERM must match who, what, country, note or sources.

    Matching ignores case and accents and knows aliases (Russia = Russian
    Federation = RU). Dates match when their spans overlap. With no terms and
    no filters every fact is listed. Exit 1 when nothing matches.

    \b
    Examples:
      factcli search Taliban
      factcli search --who Putin --since 2024
      factcli search --country AFG --during 2021-08 --format json
      factcli search recognition | cut -f1,4
      factcli search --format jsonl Taliban | jq -r .id
    """
    from factcli import operations

    terminal = app.on_terminal() and app.format_for(fmt) == "table"
    if sort is None:  # piped output keeps the documented date order
        dated = any(filters.get(k) for k in ("since", "until", "during"))
        sort = "fit" if terminal and dated else "when"
    if terminal:
        limit = app.terminal_limit(limit)
    query = build_query(terms, filters, sort, limit or None)
    # The count of what the limit left out is shown only on a terminal.
    result, hints = operations.search(app.view, query, need_total=terminal)
    if not result.total:
        warn_no_match(hints)
        return ExitCode.NOT_FOUND
    emit(app, result.facts, fmt, fields, header, total=result.total)
    return ExitCode.OK


@click.command()
@click.argument("question", nargs=-1, required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(ASK_FORMATS),
    help="Output format [default: table on a terminal, tsv when piped]; jsonl and csv: a row per supporting fact, answer and confidence first.",
)
@click.option("--fields", metavar="LIST", help="The fact fields of the rows (tsv, jsonl, csv), comma-separated.")
@click.option(
    "--explain",
    is_flag=True,
    help="Also print how the question was read (on stderr): type, names, stems, dates, the query.",
)
@pass_app
def ask(app: App, question: tuple[str, ...], fmt: str | None, fields: str | None, explain: bool) -> int:
    """Answer a QUESTION in plain English from the facts, offline.

    The first line is the answer: a date (with its weekday when exact), a
    name, a country, a count, or yes/no (with the fact that corrects a wrong
    premise). Then the supporting facts, best first, with their sources; piped,
    they follow as tab-separated lines in the columns of `search`. When it is
    not sure enough there is no answer: exit 1, with the closest facts and a
    `factcli search` to try (on stderr).

    \b
    Examples:
      factcli ask "When did Russia recognize the Taliban?"
      factcli ask "Which countries engaged with the Taliban without recognizing them?"
      factcli ask "Did Russia recognize the Taliban on 3 July 2023?"
      factcli ask --explain "who is the taliban ambassador to russia"
      factcli ask "how many countries have recognized the taliban" | head -1
      factcli ask --format json "who decided that russia would recognise the taliban" | jq -r .answer
    """
    from factcli import operations

    fmt = fmt or ("table" if app.on_terminal() else "tsv")
    chosen = parse_fields(fields, "tsv") if fields else None
    result = operations.ask(app.view, " ".join(question))
    if fmt in ("jsonl", "csv") and result.known:
        from factcli.formats import DEFAULT_FIELDS, FORMATS

        extra = {"answer": lambda fact: result.text, "confidence": lambda fact: round(result.confidence, 2)}
        FORMATS[fmt](result.facts, sys.stdout, ("answer", "confidence", *(chosen or DEFAULT_FIELDS)), True, extra)
    elif fmt == "json":
        from factcli.formats import write_answer_json

        write_answer_json(result.to_dict(), result.facts, sys.stdout)
    elif result.known and fmt == "table":
        from factcli.cli.render import answer_view

        console = app.console()
        console.print(answer_view(result.text, result.confidence, result.facts, width=console.width))
    elif result.known:
        from factcli.formats import write_answer_tsv

        write_answer_tsv(result.text, result.facts, sys.stdout, chosen)
    if explain:
        sys.stdout.flush()
        from factcli.text import escape_line

        for line in result.explain():  # names and the question are data: never a terminal sequence
            click.echo(escape_line(line), err=True)
    if not result.known:
        _say_unknown(result)
        return ExitCode.NOT_FOUND
    return ExitCode.OK


def _say_unknown(result) -> None:
    """No answer: say why, and what to try instead (stderr)."""
    from factcli.ask.answer import search_command
    from factcli.text import escape_line

    warn(f"no answer: {result.reason}")
    for fact in result.closest:
        click.echo(f"  closest: {fact.id}\t{escape_line(fact.who)}: {escape_line(fact.what)[:100]}", err=True)
    if result.search is not None:
        click.echo(f"  try: {escape_line(search_command(result.search))}", err=True)


@click.command()
@click.argument("ids", nargs=-1, required=True, shell_complete=complete_ids)
@output_options
@pass_app
def show(app: App, ids: tuple[str, ...], fmt: str | None, fields: str | None, header: bool) -> int:
    """Show facts in full, with every source. `-` reads ids from stdin.

    \b
    Examples:
      factcli show c1
      factcli show c1 c2 --format json
      factcli search Putin --format jsonl | factcli show - --format json
    """
    from factcli import operations

    facts = [operations.get(app.view, i) for i in read_ids(ids)]
    if app.format_for(fmt) == "table":
        from factcli.cli.render import fact_details

        changed = app.view.curated_changes()
        origins = {
            f.id: f"your edit of the curated fact{changed[f.id][6:]} (factcli revert {f.id} drops it)"
            for f in facts
            if f.id in changed
        }
        app.render(*fact_details(facts, origins))
        return ExitCode.OK
    emit(app, facts, fmt, fields, header)
    return ExitCode.OK


@click.command()
@click.argument("terms", nargs=-1)
@filter_options
@output_options(formats=FORMAT_NAMES, fields=TIMELINE_FIELD_NAMES)
@pass_app
def timeline(
    app: App, terms: tuple[str, ...], fmt: str | None, fields: str | None, header: bool, **filters: Any
) -> int:
    """The matching facts in time order, year by year, with a chart of facts per year.

    Takes the same TERMS and filters as `search`. A year with many facts is
    split by month. A fact is placed at the first date it names (the start of
    an interval). Undated facts have no place in time: they are left out (and
    counted on a terminal). Piped, one fact per line, tab-separated:
    year, month (YYYY-MM, empty when only the year is known), id, when, who,
    what, country. Exit 1 when no dated fact matches.

    \b
    Examples:
      factcli timeline
      factcli timeline --country Afghanistan --since 2021
      factcli timeline Taliban | cut -f1 | uniq -c
      factcli timeline --during 2025 --format jsonl | jq -r '.month + " " + .who'
    """
    from factcli import operations, views

    query = build_query(terms, filters, "when")
    result, hints = operations.search(app.view, query)
    line = views.timeline(result.facts)
    if not line.years:
        if result.total:
            warn(f"no dated fact matches ({result.total} undated fact(s) do)")
        else:
            warn_no_match(hints)
        return ExitCode.NOT_FOUND
    fmt = app.format_for(fmt)
    if fmt == "table":
        from factcli.cli.render import timeline_view

        if fields:
            parse_fields(fields, "tsv", TIMELINE_FIELD_NAMES)
        app.render(timeline_view(line))
        return ExitCode.OK
    from factcli.formats import FORMATS

    chosen = parse_fields(fields, fmt, TIMELINE_FIELD_NAMES, default=views.TIMELINE_FIELDS)
    dated = line.facts
    app.write_with(lambda out: FORMATS[fmt](dated, out, chosen, header, views.TIMELINE_EXTRA))
    return ExitCode.OK


@click.command()
@click.argument("terms", nargs=-1)
@filter_options
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help=f"Rows per table on a terminal (0: all) [default: {TERMINAL_LIMIT}, or the config's limit]; machine formats are complete.",
)
@output_options(fields=STATS_FIELD_NAMES)
@pass_app
def stats(
    app: App,
    terms: tuple[str, ...],
    limit: int | None,
    fmt: str | None,
    fields: str | None,
    header: bool,
    **filters: Any,
) -> int:
    """Counts of the matching facts: by country, year and publisher, and what is missing.

    Takes the same TERMS and filters as `search` (none: every fact). A fact
    about two countries counts for each; a fact is counted in the year of the
    first date it names; a publisher counts the facts citing it (a source with
    no publisher counts under its web site). Piped, one count per line,
    tab-separated: group (total, missing, country, year, publisher), key, name,
    count. Exit 1 when nothing matches.

    \b
    Examples:
      factcli stats
      factcli stats --country Russia --since 2024
      factcli stats | awk -F'\t' '$1 == "publisher"' | sort -t$'\t' -k4,4nr | head -5
      factcli stats --format json | jq '.[] | select(.group == "missing")'
    """
    from factcli import operations, views

    result, hints = operations.search(app.view, build_query(terms, filters, "when"))
    if not result.total:
        warn_no_match(hints)
        return ExitCode.NOT_FOUND
    counts = views.stats(result.facts)
    fmt = app.format_for(fmt)
    if fmt == "table":
        from factcli.cli.render import stats_view

        if fields:
            parse_fields(fields, "tsv", views.STATS_FIELDS)
        app.render(stats_view(counts, app.terminal_limit(limit)))
        return ExitCode.OK
    from factcli.formats import write_rows

    chosen = parse_fields(fields, fmt, views.STATS_FIELDS, default=views.STATS_FIELDS)
    rows = counts.rows()
    app.write_with(lambda out: write_rows(fmt, rows, out, chosen, header))
    return ExitCode.OK


@click.command()
@click.argument("ids", nargs=-1, required=True, shell_complete=complete_ids)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(CITE_FORMAT_NAMES),
    default="markdown",
    show_default=True,
    help="markdown: for notes and posts; bibtex: for LaTeX (biblatex); jsonld: schema.org ClaimReview for web pages.",
)
@pass_app
def cite(app: App, ids: tuple[str, ...], fmt: str) -> int:
    """Cite facts with their sources, for people who write about what they looked up.

    Markdown (the default) gives the fact and a numbered list of its sources;
    BibTeX one @misc entry per source (keys factcli:ID:N, special characters
    escaped); JSON-LD a schema.org ClaimReview (an @graph of them for several
    ids), safe to paste into a <script type="application/ld+json">. `-` reads
    ids from stdin.

    \b
    Examples:
      factcli cite c1
      factcli cite c1 --format bibtex >> references.bib
      factcli cite c1 --format jsonld | jq .itemReviewed.appearance
      factcli search Taliban --during 2025-07 --format jsonl | factcli cite -
    """
    from factcli import operations
    from factcli.cite import CITE_FORMATS

    facts = [operations.get(app.view, i) for i in read_ids(ids)]
    if not facts:
        raise InvalidInput("no ids given")
    sys.stdout.write(CITE_FORMATS[fmt](facts))
    return ExitCode.OK
