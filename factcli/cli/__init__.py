"""The command line: parse, call the core, render. Errors become one line and an exit code."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import click

from factcli import __version__
from factcli.errors import ExitCode, FactcliError, InvalidInput
from factcli.gc_pause import gc_paused
from factcli.model import ENTITY_KINDS, FIELDS, MAX_ID, Fact
from factcli.text import counted, listed
from factcli.choices import ASK_FORMATS, CITE_FORMATS, EXPORT_FORMATS, INPUT_FORMATS, OUTPUT_FORMATS, SORT_KEYS

FORMAT_NAMES = OUTPUT_FORMATS
TERMINAL_LIMIT = 20  # rows a terminal shows by default; piped output is complete
# Column names of `timeline` and `stats` (views.TIMELINE_FIELDS, views.STATS_FIELDS),
# spelled here so that building the commands imports nothing.
TIMELINE_FIELD_NAMES = ("year", "month", *FIELDS)
STATS_FIELD_NAMES = ("group", "key", "name", "count")
CITE_FORMAT_NAMES = CITE_FORMATS


def complete_ids(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from factcli.cli.completion import fact_ids

    return fact_ids(ctx, incomplete)


def complete_countries(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    from factcli.cli.completion import country_names

    return country_names(incomplete)


class App:
    """State shared by every command (on ``ctx.obj``)."""

    def __init__(self, db: str | None, no_color: bool = False, no_pager: bool = False) -> None:
        self.db = db  # from --db or FACTCLI_DB; the config file's `db` comes after both
        self.no_color = no_color
        self.no_pager = no_pager

    @cached_property
    def config(self):
        """The config file's settings, read the first time one is needed."""
        from factcli.config import load

        return load()

    @cached_property
    def view(self):
        from factcli.store import open_view

        if self.db:  # --db or FACTCLI_DB: that database alone (PRODUCT.md)
            return open_view(self.db, progress=terminal_progress)
        return open_view(progress=terminal_progress, mine=self.config.db, curated=self.config.curated)

    @cached_property
    def _console(self):
        from factcli.cli.render import console

        return console(no_color=self.no_color)

    def console(self, stderr: bool = False):
        if not stderr:
            return self._console
        from factcli.cli.render import console

        return console(no_color=self.no_color, stderr=True)

    def format_for(self, fmt: str | None, allowed: Sequence[str] = FORMAT_NAMES) -> str:
        """--format, else on a terminal the config's format (if this command has it) or
        a table; piped, always TSV: the config never changes what a pipe reads."""
        if fmt:
            return fmt
        if not stdout_is_terminal():
            return "tsv"
        configured = self.config.format
        return configured if configured in allowed else "table"

    def terminal_limit(self, limit: int | None) -> int:
        """Rows of a table on a terminal: --limit, else the config's limit, else 20."""
        if limit is not None:
            return limit
        configured = self.config.limit
        return TERMINAL_LIMIT if configured is None else configured

    def write(self, text: str) -> None:
        """Text for stdout: on a terminal through the pager when longer than the screen."""
        if self.no_pager or not stdout_is_terminal():
            sys.stdout.write(text)
            return
        from factcli.cli import pager

        if not pager.longer_than_screen(text):
            sys.stdout.write(text)
            return
        try:
            argv = pager.choose(self.config.pager)
        except ValueError as exc:
            warn(f"the pager command cannot be read ({exc}); printing without it")
            argv = None
        problem = pager.page(text, argv)
        if problem:
            warn(problem)

    def write_parts(self, parts: Iterable[str]) -> None:
        """Text known to be longer than the screen, drawn part by part: on a terminal
        the pager starts with the first part (piped, or --no-pager: written as drawn)."""
        from factcli.cli import pager

        argv = None
        if not self.no_pager and stdout_is_terminal():
            try:
                argv = pager.choose(self.config.pager)
            except ValueError as exc:
                warn(f"the pager command cannot be read ({exc}); printing without it")
        problem = pager.stream(parts, argv)
        if problem:
            warn(problem)

    def render(self, *renderables: Any) -> None:
        """Draw Rich renderables for a terminal (paged like any other output)."""
        console = self.console()
        with console.capture() as capture:
            for renderable in renderables:
                console.print(renderable)
        self.write(capture.get())

    def write_with(self, writer: Callable[[Any], None]) -> None:
        """Run a machine-format writer: straight into a pipe, or into the pager's text."""
        if not stdout_is_terminal():
            writer(sys.stdout)
            return
        import io

        buffer = io.StringIO()
        writer(buffer)
        self.write(buffer.getvalue())


pass_app = click.make_pass_decorator(App)


def stdout_is_terminal() -> bool:
    """Decided by isatty, not by Rich (whose FORCE_COLOR says "terminal" in a pipe)."""
    try:
        return sys.stdout.isatty()
    except ValueError:
        return False


def warn(message: str) -> None:
    from factcli.text import escape_line

    click.echo(f"factcli: {escape_line(message)}", err=True)


def warn_no_match(hints: Sequence[str]) -> None:
    """The line of a search that found nothing, with close spellings when there are some."""
    warn("no fact matches" + (f"; did you mean: {', '.join(hints)}?" if hints else ""))


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


def parse_fields(
    spec: str | None, fmt: str, allowed: Sequence[str] = FIELDS, default: Sequence[str] | None = None
) -> tuple[str, ...]:
    from factcli.formats import DEFAULT_FIELDS, FULL_RECORD_FORMATS

    if not spec:
        if default is not None:
            return tuple(default)
        return FIELDS if fmt in FULL_RECORD_FORMATS else DEFAULT_FIELDS
    fields = tuple(f.strip() for f in spec.split(",") if f.strip())
    unknown = [f for f in fields if f not in allowed]
    if unknown or not fields:
        raise InvalidInput(
            f"--fields: unknown field(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(allowed)}"
        )
    return fields


def _then(parts: Iterator[str], app: App, renderables: list[Any]) -> Iterator[str]:
    yield from parts
    if renderables:
        console = app.console()
        with console.capture() as capture:
            for renderable in renderables:
                console.print(renderable)
        yield capture.get()


def emit(
    app: App,
    facts: list[Fact],
    fmt: str | None,
    fields: str | None,
    header: bool,
    *,
    total: int | None = None,
    title: str | None = None,
) -> None:
    """Write facts to stdout in the chosen (or the terminal's default) format."""
    fmt = app.format_for(fmt)
    if fmt == "table":
        from factcli.cli.render import fact_table, more_line

        if fields:
            parse_fields(fields, "tsv")  # reject bad names even here
        parts: list[Any] = []
        import shutil

        if len(facts) > shutil.get_terminal_size().lines:  # longer than the screen: page while drawing
            from factcli.cli.render import table_parts

            more = [more_line(len(facts), total)] if total is not None and total > len(facts) else []
            app.write_parts(_then(table_parts(facts, app.console(), title), app, more))
            return
        if facts:
            parts.append(fact_table(facts, title=title, width=app.console().width))
        if total is not None and total > len(facts):
            parts.append(more_line(len(facts), total))
        app.render(*parts)
        return
    from factcli.formats import FORMATS

    chosen = parse_fields(fields, fmt)
    app.write_with(lambda out: FORMATS[fmt](facts, out, chosen, header))


_STDIN = {"used": False}  # a command that read stdin (or prompted) cannot be run again


def stdin_lines() -> Iterable[str]:
    _STDIN["used"] = True
    return sys.stdin


def stdin_bytes() -> bytes:
    _STDIN["used"] = True
    return sys.stdin.buffer.read()


def read_ids(ids: Sequence[str]) -> list[str]:
    """Ids from arguments; `-` reads them from stdin: whatever factcli prints (TSV with
    or without a header, CSV, JSON, JSON lines, Markdown, timeline lines) or plain ids."""
    from factcli.idlist import ids_from_text

    result: list[str] = []
    for item in ids:
        if item != "-":
            result.append(item)
            continue
        try:
            text = "".join(stdin_lines())
        except UnicodeDecodeError:
            raise InvalidInput("stdin is not UTF-8 text: no ids could be read") from None
        result.extend(ids_from_text(text, "stdin"))
    too_long = next((r for r in result if len(r) > MAX_ID), None)
    if too_long is not None:
        raise InvalidInput(f"{too_long[:20]!r}… is not an id ({len(too_long):,} characters; ids are short)")
    return list(dict.fromkeys(r for r in result if r))


# ---------------------------------------------------------------- commands


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option(
    "--db",
    metavar="PATH",
    envvar="FACTCLI_DB",
    help="Use this database file alone, for reading and writing [env: FACTCLI_DB].",
)
@click.option("--no-color", is_flag=True, help="No colour (NO_COLOR=1 does the same; FORCE_COLOR=1 forces it).")
@click.option("--no-pager", is_flag=True, help="Never page long output on a terminal [env: FACTCLI_PAGER=''].")
@click.version_option(__version__, "--version", prog_name="factcli")
@click.pass_context
def cli(ctx: click.Context, db: str | None, no_color: bool, no_pager: bool) -> None:
    """Look up curated, sourced facts: who did what, when, where, and who says so.

    Defaults can live in a config file (`factcli info` shows where): see the
    README, "Config". On a terminal, output longer than the screen is paged.

    \b
    Examples:
      factcli search Taliban
      factcli search --who Russia --during 2025
      factcli ask "When did Russia recognize the Taliban?"
      factcli search Taliban | cut -f2,3
      factcli search --format json | jq '.[].id'
      factcli timeline --country Afghanistan
      factcli cite c1 --format bibtex
    """
    ctx.obj = App(db=db or None, no_color=no_color, no_pager=no_pager)


@cli.command()
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

    terminal = stdout_is_terminal() and app.format_for(fmt) == "table"
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


@cli.command()
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

    fmt = fmt or ("table" if stdout_is_terminal() else "tsv")
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
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


@cli.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> int:
    """Print the shell completion script for bash, zsh or fish.

    Completes commands, options, format names, country names and codes
    (--country) and fact ids (show, edit, rm, cite). Load it once per shell
    session, or save it where your shell looks for completions.

    \b
    Examples:
      eval "$(factcli completion bash)"          # in ~/.bashrc
      eval "$(factcli completion zsh)"           # in ~/.zshrc, after compinit
      factcli completion fish > ~/.config/fish/completions/factcli.fish
      factcli completion bash > ~/.local/share/bash-completion/completions/factcli
    """
    from factcli.cli.completion import script

    sys.stdout.write(script(cli, shell))
    return ExitCode.OK


# The fields `add` asks for on a terminal: (key, prompt, an example of a good answer).
_ASKED = (
    ("who", "Who", "Russia, Vladimir Putin, UN Security Council"),
    ("what", "What (one sentence)", "recognised the Taliban government"),
    ("when", "When (empty if unknown)", "2025-07-03, July 3 2025, 2025-07, 2021-08-15/2021-08-30"),
    ("country", "Country (one or more, comma-separated)", "Afghanistan, Russia"),
    ("sources", "Source (URL or citation)", "https://apnews.com/article/…, or Reuters, 4 July 2025"),
)
# Valid values for the fields not being asked, so that a check names only the one typed.
_PLACEHOLDER = {"who": "x", "what": "x", "country": "FRA", "sources": ["https://example.org"]}


def _checked_answer(key: str, answer: str) -> tuple[str | None, Any]:
    """One typed answer as it is stored ("July 3 2025" as 2025-07-03, a source with
    its retrieval date), or why it cannot be (checked by the same rules as a fact)."""
    from factcli.model import validate

    if key == "when":
        if not answer.strip():
            return None, answer
        try:
            return None, iso_date("when", answer)
        except InvalidInput as exc:
            return str(exc).removeprefix("when: "), None
    value: Any = hand_sources([answer], None, None, None, None) if key == "sources" else answer
    checked = validate({**_PLACEHOLDER, key: value})
    return ("; ".join(checked.errors) or None), value


def _prompt_missing(values: dict[str, Any]) -> None:
    """When stdin is a terminal, ask for the required fields that were not given,
    on stderr (stdout carries the new id alone: `id=$(factcli add)` works). Each
    answer is checked as it is typed and asked again, with the reason and an
    example; Ctrl-C leaves nothing written."""
    if not sys.stdin.isatty():
        return
    _STDIN["used"] = True
    for key, label, example in _ASKED:
        if values.get(key):
            continue
        while True:
            answer = click.prompt(label, default="" if key == "when" else None, show_default=False, err=True)
            problem, value = _checked_answer(key, answer)
            if problem is None:
                break
            click.echo(f"  {problem}; for example: {example}", err=True)
        values[key] = value


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


def hand_sources(
    texts: Sequence[str], title: str | None, publisher: str | None, published: str | None, quote: str | None
) -> list[dict[str, str]]:
    """Sources given on the command line: each --source a URL or citation, retrieved
    today; --title, --publisher, --published and --quote fill in the last one."""
    from factcli.dates import today
    from factcli.model import source_from_text

    sources = [dict(source_from_text(t), retrieved=today().isoformat()) for t in texts]
    parts = {
        "title": title,
        "publisher": publisher,
        "published": iso_date("--published", published) if published else None,
        "quote": quote,
    }
    given = {k: v.strip() for k, v in parts.items() if v}
    if given and not sources:
        raise InvalidInput(f"--{next(iter(given))} is a part of a source: give the --source (a URL or citation) too")
    if given:
        last = sources[-1]
        if "title" in given and "url" not in last:  # `--source "Reuters, 4 July" --title …`: the citation was the title
            raise InvalidInput(
                "--title is for a --source that is a URL (this --source is already a citation, its title)"
            )
        last.update(given)
    return sources


@cli.command()
@click.option("--who", help="The actor: a person, government or organisation.")
@click.option("--what", help="What they did or what is true, in one sentence.")
@click.option(
    "--when",
    help="Date at its precision: 2025, 2025-07, 2025-07-03, July 3 2025, 2021-08-15/2021-08-30, 2022/.. (stored as ISO).",
)
@click.option(
    "--country",
    multiple=True,
    shell_complete=complete_countries,
    help="Country the fact is about (repeat for several).",
)
@click.option("--source", multiple=True, help="URL or citation (repeat for several). Required.")
@click.option("--note", default="", help="Curator's note, e.g. where a source disagrees.")
@click.option("--tag", multiple=True, help="Tag (repeat for several).")
@source_part_options
@pass_app
def add(
    app: App,
    who: str | None,
    what: str | None,
    when: str | None,
    country: tuple[str, ...],
    source: tuple[str, ...],
    note: str,
    tag: tuple[str, ...],
    **parts: str | None,
) -> int:
    """Add a fact; prints its new id. On a terminal, asks for missing fields.

    Your facts go to your own database (see `factcli info`), never into the
    installed package. A duplicate of an existing fact is refused.

    \b
    Examples:
      factcli add --who Russia --what "recognized the Taliban government" \\
        --when 2025-07-03 --country Afghanistan --country Russia \\
        --source https://apnews.com/article/… --publisher AP --published 2025-07-03
    """
    from factcli import operations

    values: dict[str, Any] = {
        "who": who,
        "what": what,
        "when": iso_date("--when", when) if when else when,
        "country": list(country),
        "sources": hand_sources(source, **parts),
        "note": note,
        "tags": list(tag),
    }
    _prompt_missing(values)
    fact = operations.add(app.view, values)
    done(f"added {fact.id}", "its id")
    click.echo(fact.id)
    _warn_doubt(fact)
    return ExitCode.OK


_DONE = {"what": "", "output": ""}  # the change a write command made, for when its output fails


def done(what: str, output: str) -> None:
    """Say what this command changed, before it prints ``output`` (the ids): if
    stdout then fails, the error line says the change was made ("added u5; could
    not print its id")."""
    _DONE.update(what=what, output=output)


def _warn_doubt(fact: Any) -> None:
    from factcli.model import input_hints

    for hint in input_hints(fact):
        warn(f"warning: {fact.id}: {hint}")


@cli.command()
@click.argument("ids", nargs=-1, required=True, shell_complete=complete_ids)
@click.option("--who", help="New actor.")
@click.option("--what", help="New sentence.")
@click.option("--when", help="New date ('' removes it).")
@click.option(
    "--country", multiple=True, shell_complete=complete_countries, help="Replace the countries (repeat for several)."
)
@click.option("--note", help="Replace the note ('' removes it).")
@click.option("--source", multiple=True, help="Add a source (URL or citation).")
@click.option("--tag", multiple=True, help="Add a tag.")
@click.option("--untag", multiple=True, help="Remove a tag.")
@click.option(
    "--remove-source",
    "remove_source",
    multiple=True,
    metavar="URL|TITLE",
    help="Remove the source with this URL or title.",
)
@source_part_options
@pass_app
def edit(
    app: App,
    ids: tuple[str, ...],
    who,
    what,
    when,
    country,
    note,
    source,
    tag,
    untag,
    remove_source,
    **parts: str | None,
) -> int:
    """Change facts by id (several ids, or `-` for ids on stdin).

    Editing a curated fact keeps your version in your own database; it
    survives upgrades. All ids are checked first: one unknown id changes nothing.

    \b
    Examples:
      factcli edit c3 --when 2025-07-03
      factcli edit c3 c4 --tag recognition
      factcli search --tag draft --format jsonl | factcli edit - --untag draft
      factcli edit c3 --remove-source https://example.org/old --source https://example.org/new
    """
    from factcli import operations

    if when:
        when = iso_date("--when", when)
    fields = {k: v for k, v in {"who": who, "what": what, "when": when, "note": note}.items() if v is not None}
    if country:
        fields["country"] = list(country)
    changes = operations.Edit(fields, tuple(hand_sources(source, **parts)), tag, untag, remove_source)
    changed = operations.edit(app.view, read_ids(ids), changes)
    done(f"changed {listed([f.id for f in changed])}", "the ids")
    for fact in changed:
        click.echo(fact.id)
    return ExitCode.OK


@cli.command()
@click.argument("ids", nargs=-1, required=True, shell_complete=complete_ids)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_app
def rm(app: App, ids: tuple[str, ...], yes: bool) -> int:
    """Remove facts by id (several ids, or `-` for ids on stdin).

    On a terminal it asks first, unless --yes, also when the ids come down a pipe
    (it asks through /dev/tty, as git does); with no terminal at all it does not
    ask. Ids are never reused. Removing
    a curated fact hides it in your set-up; it stays hidden after upgrades.

    \b
    Examples:
      factcli rm u3
      factcli rm u3 u4 --yes
      factcli search --tag draft --format jsonl | jq -r .id | factcli rm -
    """
    from factcli import operations

    wanted = read_ids(ids)
    facts = [operations.get(app.view, i) for i in wanted]
    if not yes:
        from factcli.text import escape_line

        listing = [f"{fact.id}\t{escape_line(fact.who)}: {escape_line(fact.what)}" for fact in facts]
        if _confirm_on_terminal(listing, f"Remove {len(facts)} fact(s)?") is False:
            warn("nothing was removed")
            return ExitCode.USAGE
    removed = operations.remove(app.view, wanted)
    done(f"removed {listed([f.id for f in removed])}", "the ids")
    for fact in removed:
        click.echo(fact.id)
    return ExitCode.OK


def _confirm_on_terminal(lines: list[str], question: str) -> bool | None:
    """Ask on the terminal: stdin when it is one, else /dev/tty (ids came down a pipe,
    as git and apt ask). None when there is no terminal at all: nobody to ask."""
    if sys.stdin.isatty():
        for line in lines:
            click.echo(line, err=True)
        return click.confirm(question, err=True)
    try:  # a terminal is not seekable: one handle to read it, one to write it
        reader = open("/dev/tty", encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:
        return None
    try:
        writer = open("/dev/tty", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:
        reader.close()
        return None
    with reader, writer:
        for line in lines:
            writer.write(line + "\n")
        writer.write(f"{question} [y/N]: ")
        writer.flush()
        answer = reader.readline().strip().lower()
    return answer in ("y", "yes")


@cli.command()
@click.argument("ids", nargs=-1, required=True, shell_complete=complete_ids)
@pass_app
def revert(app: App, ids: tuple[str, ...]) -> int:
    """Drop your edit or removal of curated facts: each shows as curated again.

    Editing a curated fact keeps your copy, which hides later curated corrections
    of it; `revert` drops the copy (or the removal). All ids are checked first.

    \b
    Examples:
      factcli revert c3
      factcli info          # how many curated facts you edited or removed
    """
    from factcli import operations

    done_ = operations.revert(app.view, read_ids(ids))
    done(f"reverted {', '.join(i for i, _ in done_)}", "the ids")
    for fact_id, what in done_:
        click.echo(fact_id)
        warn(f"{fact_id}: your {what} was dropped; the curated fact shows")
    return ExitCode.OK


@cli.command()
@pass_app
def undo(app: App) -> int:
    """Undo the last write (add, edit, rm, import, alias, revert) to your database.

    An undo that would overwrite a later change to the same fact is refused.
    `factcli history` lists the writes that can be undone (the last 100).

    \b
    Examples:
      factcli undo
      factcli history | head -3
    """
    from factcli import operations

    entry = operations.undo(app.view)
    done(f"undid {entry['summary']!r}", "what was undone")
    click.echo(f"undid {entry['summary']}")
    return ExitCode.OK


@cli.command()
@click.option("--format", "fmt", type=click.Choice(["tsv", "jsonl"]), help="Output format [default: tsv].")
@pass_app
def history(app: App, fmt: str | None) -> int:
    """List the recent writes to your database, newest first (what `undo` undoes).

    Columns: number, time (UTC), what was done, how many documents it changed.

    \b
    Examples:
      factcli history
      factcli history --format jsonl | jq -r .summary
    """
    from factcli import operations
    from factcli.formats import dumps
    from factcli.text import escape_line

    entries = operations.history(app.view)
    if not entries:
        warn("no writes in the history yet")
        return ExitCode.NOT_FOUND
    for entry in entries:
        count = len(entry["changes"])
        if fmt == "jsonl":
            click.echo(
                dumps(
                    {
                        "seq": entry["seq"],
                        "at": entry["at"],
                        "summary": entry["summary"],
                        "changes": count,
                        "undoable": not entry.get("too_large"),
                    }
                )
            )
        else:
            click.echo(f"{entry['seq']}\t{entry['at']}\t{escape_line(entry['summary'])}\t{count}")
    return ExitCode.OK


@cli.command(name="import")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(INPUT_FORMATS),
    help="Input format [default: from the file name or its first character].",
)
@click.option(
    "--map",
    "maps",
    multiple=True,
    metavar="FIELD=COLUMN|TEMPLATE",
    help="Fill a field from a column, or a template such as '{start}/{end|..}' ({col|default} when empty).",
)
@click.option("--source", "default_source", metavar="TEXT", help="A source for rows that have none (URL or citation).")
@click.option(
    "--skip-invalid", is_flag=True, help="Import the good rows and report the bad ones (default: all or nothing)."
)
@click.option("--dry-run", is_flag=True, help="Check every row; write nothing.")
@click.option(
    "--delimiter",
    default=",",
    show_default=True,
    metavar="CHAR",
    help="The CSV field separator (';' for spreadsheets set to many European locales).",
)
@click.option("--encoding", default="utf-8", show_default=True, help="The file's text encoding (latin-1, cp1252, …).")
@click.option(
    "--ignore-unknown",
    is_flag=True,
    help="Leave out columns that are not fields (each is reported) instead of refusing the rows.",
)
@pass_app
def import_(
    app: App,
    file: str,
    fmt: str | None,
    maps: tuple[str, ...],
    default_source: str | None,
    skip_invalid: bool,
    dry_run: bool,
    delimiter: str,
    encoding: str,
    ignore_unknown: bool,
) -> int:
    """Import facts from JSON, JSON lines or CSV (FILE, or - for stdin).

    Every row is checked first and every bad row is reported with its line;
    nothing is written unless all rows are good (or --skip-invalid). Facts
    already present are left as they are, so importing twice changes nothing.

    \b
    Examples:
      factcli export --format jsonl > backup.jsonl && factcli import backup.jsonl
      factcli search Taliban --format csv | factcli --db mine.json import -
      factcli import world_leaders.csv --source "Wikidata" \\
        --map who=officeholderLabel --map what=positionLabel \\
        --map country=country --map "when={start_year}/{end_year|..}"
    """
    from factcli import operations
    from factcli.importer import decode, missing_columns, parse_map, read_rows, sniff

    name = "stdin" if file == "-" else file
    try:
        raw = stdin_bytes() if file == "-" else open(file, "rb").read()
    except OSError as exc:
        raise InvalidInput(f"cannot read {name}: {exc.strerror}") from None
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise InvalidInput(f"--delimiter: one character, such as ';' (not {delimiter!r})")
    text = decode(raw, name, encoding)
    fmt = fmt or sniff(text, name)
    mapping = parse_map(maps)
    rows = list(_with_progress(read_rows(text, fmt, name, delimiter), "reading"))
    if ignore_unknown:
        _drop_unknown_fields(rows, mapping, name)
    if mapping and rows:
        missing = missing_columns(mapping, set().union(*(r.data for r in rows)))
        if missing:
            raise InvalidInput(f"--map: {name} has no column {', '.join(map(repr, missing))}")
    try:
        report = operations.import_rows(
            app.view,
            rows,
            name=name,
            mapping=mapping,
            default_source=default_source,
            skip_invalid=skip_invalid,
            dry_run=dry_run,
        )
    except operations.ImportRejected as rejected:
        for line, problem in rejected.problems:
            warn(f"{name}: line {line}: {problem}")
        raise
    for line, problem in report.skipped:
        warn(f"{name}: line {line}: skipped: {problem}")
    for line, doubt in report.doubts:
        warn(f"{name}: line {line}: warning: {doubt} (imported; `factcli edit` can name it)")
    verb = "would import" if dry_run else "imported"
    span = f" ({report.added[0].id}…{report.added[-1].id})" if len(report.added) > 1 and not dry_run else ""
    warn(f"{verb} {len(report.added)} fact(s){span}; {report.unchanged} already present; {len(report.skipped)} skipped")
    if not dry_run and report.added and not stdout_is_terminal():  # piped: the new ids, as add prints its id
        done(f"imported {len(report.added)} fact(s)", "their ids")
        for fact in report.added:
            click.echo(fact.id)
    return ExitCode.OK


def _drop_unknown_fields(rows: list[Any], mapping: dict[str, str], name: str) -> None:
    """--ignore-unknown: take out the columns that are no field (nor used by --map),
    and say which, once for the file."""
    from factcli.model import DERIVED_FIELDS

    if mapping:  # --map builds each record from the columns it names: the others are unused already
        return
    used = set(FIELDS) | set(DERIVED_FIELDS)
    dropped: dict[str, int] = {}
    for row in rows:
        for key in [k for k in row.data if k not in used and k != "__error__"]:
            dropped[key] = dropped.get(key, 0) + 1
            del row.data[key]
    if dropped:
        warn(
            f"{name}: ignored column(s) that are not fields: {', '.join(f'{k} ({n} rows)' for k, n in dropped.items())}"
        )


@contextmanager
def terminal_progress(label: str) -> Iterator[Callable[[int], None]]:
    """Long work (reading an import, building an index) counted on a progress bar
    on stderr when it is a terminal; otherwise nothing extra. Yields ``advance(n)``."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    from factcli.cli.render import progress_bar

    with progress_bar(label) as advance:
        yield advance


def _with_progress(rows, label: str):
    """``rows``, counted by :func:`terminal_progress` as they are read."""
    with terminal_progress(label) as advance:
        for row in rows:
            advance(1)
            yield row


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(EXPORT_FORMATS),
    default="jsonl",
    show_default=True,
    help="Output format.",
)
@click.option("--fields", metavar="LIST", help="Comma-separated fields (default: all).")
@click.option("--header", is_flag=True, help="Start TSV output with a line of field names.")
@click.option(
    "--spreadsheet-safe",
    is_flag=True,
    help="CSV for a spreadsheet: a cell starting with = + - @ gets a leading ' so it is not run as a formula (import then keeps the ').",
)
@pass_app
def export(app: App, fmt: str, fields: str | None, header: bool, spreadsheet_safe: bool) -> int:
    """Write every fact in a machine format (all fields; `import` reads it back).

    \b
    Examples:
      factcli export > facts.jsonl
      factcli export --format csv > facts.csv
      factcli export --format csv --spreadsheet-safe > for-excel.csv
      factcli export | jq -r '.who' | sort | uniq -c
    """
    from factcli.formats import FORMATS, write_csv

    from factcli.query import sort_key

    if spreadsheet_safe and fmt != "csv":
        raise InvalidInput("--spreadsheet-safe is for --format csv")
    facts = sorted(app.view.facts(), key=sort_key("id"))
    chosen = parse_fields(fields, "json") if fields else FIELDS
    if spreadsheet_safe:
        write_csv(facts, sys.stdout, chosen, header, formula_safe=True)
    else:
        FORMATS[fmt](facts, sys.stdout, chosen, header)
    return ExitCode.OK


@cli.command()
@pass_app
def info(app: App) -> int:
    """Say which database files are in use, how many facts each holds, and where the config file is.

    \b
    Examples:
      factcli info
      FACTCLI_DB=mine.json factcli info
      factcli info | grep config
    """
    from factcli.config import config_path
    from factcli.text import escape_line

    view = app.view
    total = len(view.facts())  # reads every file first: a missing --db is one line, before any output
    for role, location, count, backend in view.files():
        click.echo(f"{role}\t{escape_line(location)}\t{counted(count, 'fact')}\t{backend}")
    click.echo(f"total\t{counted(total, 'fact')}")
    changed = view.curated_changes()
    if changed:
        kinds = [v.split(";")[0] for v in changed.values()]
        stale = [i for i, v in changed.items() if ";" in v]
        click.echo(f"curated edited by you\t{kinds.count('edited')}\t(factcli revert ID drops an edit)")
        click.echo(f"curated removed by you\t{kinds.count('removed')}")
        if stale:
            click.echo(f"curated changed since your edit\t{len(stale)}\t{', '.join(stale[:10])}")
    path = config_path()
    click.echo(f"config\t{escape_line(str(path))}\t{'in use' if os.path.exists(path) else 'none (optional)'}")
    if app.db:
        click.echo("set-up\t--db or FACTCLI_DB: that database alone")
    elif app.config.db:
        click.echo(
            f"set-up\tthe config's db{', over the curated facts' if app.config.curated else ' alone (curated = false)'}"
        )
    else:
        click.echo("set-up\tyour database over the curated facts")
    return ExitCode.OK


@cli.command()
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--strict", is_flag=True, help="Warnings count as errors (exit 1).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: a list of problems, for machines.",
)
@pass_app
def check(app: App, path: str | None, strict: bool, fmt: str) -> int:
    """Lint a database: schema, dates, countries, sources, duplicates, aliases.

    Errors (exit 1): schema errors, impossible dates, unknown countries, facts
    without sources, exact duplicates, aliases that collide or point nowhere.
    Warnings (exit 0, 1 with --strict): near duplicates, conflicting facts, a
    weekday that does not match its date, undated sources or facts. Exit 3
    when the file cannot be read at all. Without PATH, checks the files in use.

    \b
    Examples:
      factcli check --strict facts.json
      factcli check --format json mine.json | jq '.[] | select(.level=="error")'
    """

    from factcli.check import ERROR, check as lint
    from factcli.store import open_backend

    visible = None
    if path:
        databases = [open_backend(path)]
    else:
        databases = app.view.databases()
        if len(databases) > 1:  # the user's aliases may name curated facts: as search sees them
            visible = app.view.facts()
    problems = []
    checked = 0
    for database in databases:
        data = database.stored_tables()
        checked += len(data["facts"])
        problems += [(database.location, p) for p in lint(data, visible)]
    if visible is not None:  # a curated fact the user edited, changed by a newer curated release
        from factcli.check import WARNING, Problem

        for fact_id, state in app.view.curated_changes().items():
            if ";" in state:
                message = f"the curated fact changed since you edited it: compare `factcli show {fact_id}` with the curated release, then keep yours or `factcli revert {fact_id}`"
                problems.append((app.view.own.location, Problem(WARNING, fact_id, message)))
    if fmt == "json":
        from factcli.formats import dumps

        click.echo(dumps([dict(p.to_dict(), file=str(f)) for f, p in problems], indent=1))
    else:
        from factcli.text import escape_line

        for file, problem in problems:
            click.echo(
                f"{escape_line(str(file))}: {problem.level}: {escape_line(problem.where)}: {escape_line(problem.message)}"
            )
    errors = sum(p.level == ERROR for _, p in problems)
    warnings = len(problems) - errors
    warn(f"checked {counted(checked, 'fact')} in {len(databases)} file(s): {errors} error(s), {warnings} warning(s)")
    return ExitCode.NOT_FOUND if errors or (strict and warnings) else ExitCode.OK


@cli.group()
def alias() -> None:
    """Names and their other spellings, used by search: Putin = Владимир Путин.

    \b
    Examples:
      factcli alias list
      factcli alias add "Gul Hassan" "Ghul Haseen" "Gul Hasan" --kind person
      factcli alias import aliases.jsonl
    """


@alias.command(name="list")
@click.argument("name", required=False)
@click.option(
    "--format", "fmt", type=click.Choice(["tsv", "jsonl"]), default="tsv", show_default=True, help="Output format."
)
@pass_app
def alias_list(app: App, name: str | None, fmt: str) -> int:
    """List entities with their aliases (one per line), or those matching NAME.

    \b
    Examples:
      factcli alias list
      factcli alias list Putin
      factcli alias list --format jsonl | jq .name
    """
    from factcli.formats import dumps
    from factcli.text import escape_line

    index = app.view.aliases()
    entities = index.entities_named(name) if name else index.entities
    if not entities:
        warn(f"no entity is named {name!r}")
        return ExitCode.NOT_FOUND
    for entity in entities:
        if fmt == "jsonl":
            click.echo(dumps(entity.to_dict()))
        else:
            click.echo(
                "\t".join(
                    escape_line(x)
                    for x in (entity.name, entity.kind, "; ".join(entity.aliases), "; ".join(entity.stands_for))
                )
            )
    return ExitCode.OK


@alias.command(name="add")
@click.argument("name")
@click.argument("aliases", nargs=-1, required=True)
@click.option("--kind", type=click.Choice(ENTITY_KINDS), help="What the name is (kept if not given).")
@click.option(
    "--stands-for",
    "stands_for",
    is_flag=True,
    help="The names are places that stand for NAME (a capital for its government): an actor in 'Moscow decided', a place in 'talks in Moscow'.",
)
@pass_app
def alias_add(app: App, name: str, aliases: tuple[str, ...], kind: str | None, stands_for: bool) -> int:
    """Give NAME other spellings (added to any it has).

    \b
    Examples:
      factcli alias add "Vladimir Putin" Putin "Владимир Путин" --kind person
      factcli alias add Russia Moscow Kremlin --stands-for
    """
    from factcli import operations

    names = {"stands_for" if stands_for else "aliases": list(aliases)}
    try:
        operations.add_aliases(app.view, [{"name": name, "kind": kind or "", **names}])
    except operations.ImportRejected as rejected:
        raise InvalidInput(f"{rejected.problems[0][1]}; nothing was changed") from None
    return ExitCode.OK


@alias.command(name="rm")
@click.argument("name")
@click.argument("names", nargs=-1)
@pass_app
def alias_rm(app: App, name: str, names: tuple[str, ...]) -> int:
    """Remove other names from NAME (all of them when none is given).

    An entity of your own goes entirely; a curated one keeps its name, and your
    database keeps the change (as with an edited curated fact).

    \b
    Examples:
      factcli alias rm Taliban Kabul
      factcli alias rm "Alpha Corp"
    """
    from factcli import operations

    left = operations.remove_aliases(app.view, name, list(names))
    warn(f"{name}: {'removed' if left is None else 'now also ' + (', '.join(left) or '(no other names)')}")
    return ExitCode.OK


@alias.command(name="import")
@click.argument("file", type=click.Path(allow_dash=True, dir_okay=False))
@pass_app
def alias_import(app: App, file: str) -> int:
    """Import entities from JSON lines: {"name": …, "kind": …, "aliases": […]}.

    \b
    Examples:
      factcli alias list --format jsonl > aliases.jsonl
      factcli --db mine.json alias import aliases.jsonl
    """
    from factcli import operations
    from factcli.importer import decode, read_rows

    name = "stdin" if file == "-" else file
    try:
        raw = stdin_bytes() if file == "-" else open(file, "rb").read()
    except OSError as exc:
        raise InvalidInput(f"cannot read {name}: {exc.strerror}") from None
    rows = list(read_rows(decode(raw, name), "jsonl", name))
    try:
        count = operations.add_aliases(app.view, [r.data for r in rows])
    except operations.ImportRejected as rejected:
        for number, problem in rejected.problems:
            warn(f"{name}: line {rows[number - 1].line}: {problem}")
        raise
    warn(f"stored {counted(count, 'entity', 'entities')}")
    return ExitCode.OK


# ---------------------------------------------------------------- entry point


def _likeness(a: str, b: str) -> float:
    import difflib

    return difflib.SequenceMatcher(None, a, b).ratio()


def _silence(stream) -> None:
    """Point a failed stdout at /dev/null, so that the interpreter's last flush of what it
    still holds fails silently rather than printing a second error."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> None:
    """The `factcli` command: run it, then exit with its code."""
    import gc

    code = run(argv)
    # At exit the interpreter's last collection walks every object the run made,
    # for cycles that exiting frees anyway: 9-11 ms of a 70 ms search, measured.
    # Frozen objects are left to the exit itself (files are closed and flushed as usual).
    gc.freeze()
    sys.exit(code)


# A command lives for one run and makes few reference cycles; the cyclic collector
# would walk every parsed record, again and again (measured: 45% of an import of
# 100k facts). Reference counting still frees everything.
@gc_paused()
def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; turn every error into one line on stderr and an exit code."""
    code: int
    if os.environ.get("_FACTCLI_COMPLETE"):  # the shell asks for completions (Click answers)
        from factcli.cli.completion import register

        register()
    if sys.stdin is None:  # started with stdin closed (<&-)
        sys.stdin = _ClosedStdin()  # type: ignore[assignment]
    for stream in (sys.stdout, sys.stderr):  # a lone surrogate in a hand-edited file prints escaped
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    try:  # the C module signal.py wraps: its enum classes cost 0.5-0.9 ms of every start
        from _signal import SIGINT, signal as set_handler
    except ImportError:  # pragma: no cover - other Pythons
        from signal import SIGINT, signal as set_handler

    set_handler(SIGINT, _interrupt)
    real_stdout = sys.stdout
    sys.stdout = _ReaderGuard(real_stdout)  # type: ignore[assignment]
    try:
        argv = hoist_global_options(list(sys.argv[1:] if argv is None else argv))
        result = _main_rereading(argv, sys.stdout)  # type: ignore[arg-type]
        code = int(result) if isinstance(result, int) else 0
        sys.stdout.flush()
    except ReaderGone:
        # The reader went away (`| head -1`): it has what it wanted. Stop quietly,
        # with success, so `set -o pipefail` scripts keep working.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, real_stdout.fileno())
        code = ExitCode.OK
    except OutputFailed as exc:
        from factcli.store.jsonfile.atomic import writes_committed

        if _DONE["what"]:
            warn(f"{_DONE['what']}; could not print {_DONE['output']}: {exc}")
        else:
            made = "; the change to the database was made" if writes_committed() else ""
            warn(f"cannot write the output: {exc}{made}")
        _silence(real_stdout)
        code = ExitCode.WRITE_FAILED
    except FactcliError as exc:
        warn(str(exc))
        code = exc.exit_code
    except (Interrupted, click.exceptions.Abort):
        warn("interrupted")
        code = ExitCode.INTERRUPTED
    except click.UsageError as exc:
        if isinstance(exc, getattr(click.exceptions, "NoArgsIsHelpError", ())):
            exc.show()  # a bare `factcli` (or `factcli alias`): the help
        else:  # one line, like every other error, and where to look for the right usage
            where = exc.ctx.command_path if exc.ctx else "factcli"
            message = exc.format_message()
            if isinstance(exc, click.exceptions.NoSuchOption) and exc.possibilities:
                typed = exc.option_name
                best = sorted(exc.possibilities, key=lambda p: -_likeness(typed, p))[0]
                message = f"No such option {typed!r}. Did you mean {best!r}?"  # the closest one only
            warn(f"{' '.join(message.split())} (see {where} --help)")
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except KeyboardInterrupt:
        warn("interrupted")
        code = ExitCode.INTERRUPTED
    finally:
        sys.stdout = real_stdout
    from factcli.store.jsonfile.atomic import interrupt_was_held

    if interrupt_was_held() and code == ExitCode.OK:
        warn("interrupted after the change was written: it is complete")
    return code


class Interrupted(BaseException):
    """Ctrl-C. Not a KeyboardInterrupt, which Click answers with a blank line of its own."""


def _interrupt(signum, frame) -> None:
    from factcli.store.jsonfile.atomic import deferring_interrupts

    if deferring_interrupts():  # inside a write's commit: finish it, then stop
        return
    raise Interrupted


GLOBAL_FLAGS = ("--no-color", "--no-pager")


def hoist_global_options(argv: list[str]) -> list[str]:
    """`factcli add --db x.json …`, `factcli show c4 --no-pager`: the global options
    also work after the command, as gh's and git's do; they are moved before it. Given
    before and after with different values, exit 2. Nothing after `--` is touched."""
    before: list[str] = []
    moved: list[str] = []
    rest: list[str] = []
    seen: dict[str, str] = {}
    command_seen = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":
            rest += argv[i:]
            break
        name, eq, value = arg.partition("=")
        if name == "--db" or arg in GLOBAL_FLAGS:
            if name == "--db" and not eq:
                if i + 1 >= len(argv):
                    (moved if command_seen else before).append(arg)
                    break
                value = argv[i + 1]
                i += 1
            key = "--db" if name == "--db" else arg
            value = value if name == "--db" else "on"
            if key in seen and seen[key] != value:
                raise click.UsageError(f"{key} is given twice, with different values ({seen[key]!r} and {value!r})")
            if key not in seen:
                seen[key] = value
                (moved if command_seen else before).extend([key, value] if key == "--db" else [key])
        else:
            if not arg.startswith("-") and not command_seen:
                command_seen = True
            (rest if command_seen else before).append(arg)
        i += 1
    return before + moved + rest


# A reader whose file is replaced by a writer mid-command starts again, this many
# times in all, with a growing pause: 4 writers replacing a large file cost 1 in
# 160 searches an exit 3 with one try (issue 12 item 9).
READ_ATTEMPTS = 5


def _main_rereading(argv: Sequence[str] | None, guard: _ReaderGuard) -> Any:
    """Run the command; run it again if a writer replaced the database while it read,
    as long as it has printed nothing, written nothing and read no stdin."""
    import time

    from factcli.errors import ChangedWhileRead
    from factcli.store.jsonfile.atomic import writes_committed

    _STDIN["used"] = False
    _DONE.update(what="", output="")
    committed = writes_committed()
    for attempt in range(1, READ_ATTEMPTS + 1):
        try:
            return cli.main(args=argv, prog_name="factcli", standalone_mode=False)
        except ChangedWhileRead:
            if attempt == READ_ATTEMPTS or guard.written or writes_committed() != committed or _STDIN["used"]:
                raise
            time.sleep(0.02 * attempt)
    raise AssertionError("unreachable")  # pragma: no cover


class _ClosedStdin:
    """What stdin is when the shell closed it: not a terminal, and reading it is
    an input error (exit 2) rather than a crash."""

    def isatty(self) -> bool:
        return False

    def _closed(self, *args, **kwargs):
        raise InvalidInput("stdin is closed: there is nothing to read (pass ids or a file instead of -)")

    read = readline = readlines = __iter__ = _closed

    @property
    def buffer(self):
        self._closed()


class ReaderGone(Exception):
    """The reader of stdout closed the pipe. Not an OSError, so that Click's own
    EPIPE handling (exit 1, meaning "nothing found" here) never sees it."""


class OutputFailed(Exception):
    """stdout cannot be written (a full disk, a closed descriptor): not the reader leaving."""


class _ReaderGuard:
    """stdout, with a closed pipe turned into ReaderGone on write and flush, and any
    other failure to write it into OutputFailed."""

    def __init__(self, stream) -> None:
        self._stream = stream
        self.written = False  # whether anything was printed (a command that printed is not run again)

    def write(self, text: str) -> int:
        if self._stream is None:
            raise OutputFailed("standard output is closed")
        self.written = self.written or bool(text)
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise ReaderGone from None
        except (OSError, ValueError) as exc:  # ENOSPC, EBADF; "I/O operation on closed file"
            raise OutputFailed(getattr(exc, "strerror", None) or str(exc)) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise ReaderGone from None
        except (OSError, ValueError) as exc:
            raise OutputFailed(getattr(exc, "strerror", None) or str(exc)) from None

    def isatty(self) -> bool:
        return self._stream is not None and self._stream.isatty()

    def __getattr__(self, name: str):
        if self._stream is None:  # started with stdout closed (>&-)
            raise OutputFailed("standard output is closed")
        return getattr(self._stream, name)
