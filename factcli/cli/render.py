"""Everything drawn for people on a terminal. The only module that imports rich.

Rich code returns renderables; text from the database is wrapped in ``Text``
(never parsed as markup) after control characters are made visible.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from factcli import countries, views
from factcli.model import Fact
from factcli.text import counted, escape_line, make_visible


@contextmanager
def progress_bar(label: str) -> Iterator[Callable[[int], None]]:
    """A transient progress bar on stderr, counting what ``advance(n)`` reports."""
    from rich.markup import escape
    from rich.progress import Progress

    with Progress(transient=True, console=console(stderr=True)) as progress:
        task = progress.add_task(escape(escape_line(label)), total=None)  # a file name is data, not markup
        yield lambda n: progress.advance(task, n)


def console(
    file: IO[str] | None = None, *, no_color: bool = False, stderr: bool = False, width: int | None = None
) -> Console:
    """A console for stdout (or stderr); NO_COLOR is honoured by Rich itself."""
    return Console(
        file=file,
        stderr=stderr,
        no_color=no_color or None,
        width=width,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def safe(text: str, style: str = "") -> Text:
    """Data as Rich text: literal, one line, control characters visible."""
    return Text(escape_line(text), style=style)


def lines(values: Iterable[str]) -> Text:
    """Several values, one per line, each made safe."""
    return Text("\n").join(safe(v) for v in values)


def _source_labels(fact: Fact) -> list[str]:
    return [source.outlet or source.title for source in fact.sources]


_PLAN_IT = object()  # fact_table's default: plan the widths for these facts
_CONTINUED = "\0continued"  # fact_table's title for a later part of one table: no header
WIDE = 120  # below this many columns the table leaves out Sources (`show` has them), so What stays readable
MIN_WHAT = 30  # What, the column people read, never gets fewer: below it the facts are stacked records
MIN_TABLE = 60  # a terminal narrower than this gets stacked records


def _plan(facts: Sequence[Fact], width: int) -> tuple[dict[str, int], bool] | None:
    """The widths of the columns other than What, and whether countries are shown by
    code, leaving What the most room: Sources go first, then Who and Country
    narrow, then countries become codes. None when What would still get fewer than
    MIN_WHAT characters: the caller stacks the facts instead."""
    if width < MIN_TABLE:
        return None

    def longest(values: Iterable[str], cap: int) -> int:
        return min(max((len(v) for v in values), default=1), cap)

    names = [countries.display_name(c) for f in facts for c in f.country]
    base = {
        "ID": longest((f.id for f in facts), 16),
        "When": longest((f.when.text if f.when else "—" for f in facts), 21),
        "Who": longest((w for f in facts for w in [f.who]), 22),
        "Country": max(longest(names, 16), len("Country")),
    }
    steps: list[tuple[dict[str, int], bool]] = []
    if width >= WIDE:
        steps.append(({**base, "Sources": longest((label for f in facts for label in _source_labels(f)), 24)}, False))
    steps.append((dict(base), False))
    steps.append(
        ({**base, "Who": min(base["Who"], 14), "Country": max(min(base["Country"], 12), len("Country"))}, False)
    )
    steps.append(({**base, "Who": min(base["Who"], 12), "Country": len("Country")}, True))
    for columns, codes in steps:
        what = width - sum(columns.values()) - 3 * (len(columns) + 1) - 1  # borders and padding
        if what >= (50 if "Sources" in columns else MIN_WHAT):
            return columns, codes
    return None


def fact_table(
    facts: Sequence[Fact], title: str | None = None, width: int = WIDE, plan: Any = _PLAN_IT
) -> RenderableType:
    """Facts as a table with What given the room; on a narrow terminal (What under
    MIN_WHAT characters) as stacked records, as `gh` and `kubectl describe` do.
    ``plan`` (from :func:`_plan`) keeps the widths of one table drawn in parts."""
    if plan is _PLAN_IT:
        plan = _plan(facts, width)
    if plan is None:
        return fact_records(facts, None if title == _CONTINUED else title)
    columns, codes = plan
    table = Table(title=title, header_style="bold", expand=True, show_header=title != _CONTINUED)
    if title == _CONTINUED:
        table.title = None
    table.add_column("ID", style="cyan", no_wrap=True, width=columns["ID"])
    table.add_column("When", no_wrap=True, width=columns["When"])
    table.add_column("Who", style="bold", width=columns["Who"], overflow="fold")
    table.add_column("What", ratio=1, overflow="fold", min_width=MIN_WHAT)
    table.add_column("Country", overflow="fold", width=columns["Country"])
    if "Sources" in columns:
        table.add_column("Sources", style="dim", width=columns["Sources"], overflow="fold")
    for fact in facts:
        cells = [
            safe(fact.id),
            safe(fact.when.text if fact.when else "—"),
            safe(fact.who),
            safe(fact.what),
            lines(fact.country if codes else (countries.display_name(c) for c in fact.country)),
        ]
        if "Sources" in columns:
            cells.append(lines(_source_labels(fact)))
        table.add_row(*cells)
    return table


def table_parts(facts: Sequence[Fact], out: Console, title: str | None = None, size: int = 100) -> Iterator[str]:
    """The text of :func:`fact_table` drawn ``size`` facts at a time, stitched so that
    the parts read as one table: a pager can show the first screen while the rest
    is drawn (60,000 rows took 18.6 s to draw whole)."""
    plan = _plan(facts, out.width)
    for start in range(0, len(facts), size):
        chunk = facts[start : start + size]
        first, last = start == 0, start + size >= len(facts)
        with out.capture() as capture:
            out.print(fact_table(chunk, title if first else _CONTINUED, out.width, plan))
        text = capture.get()
        if plan is not None:  # a table: one top edge and one bottom edge in all
            rows = text.split("\n")
            if not first:
                rows = rows[1:]
            if not last:
                rows = rows[:-2] + [""]  # the bottom edge, before the final newline
            text = "\n".join(rows)
        elif not first:
            text = "\n" + text
        yield text


def fact_records(facts: Sequence[Fact], title: str | None = None) -> RenderableType:
    """Facts one under another: id, date and who on a line, then what in full, then
    the countries (for terminals too narrow for a table)."""
    parts: list[RenderableType] = [Text(title, style="bold")] if title else []
    for i, fact in enumerate(facts):
        if i or title:
            parts.append(Text(""))
        head = Text()
        head.append(escape_line(fact.id), style="cyan")
        head.append("  " + escape_line(fact.when.text if fact.when else "—"))
        head.append("  ")
        head.append(escape_line(fact.who), style="bold")
        parts.append(head)
        parts.append(Text(escape_line(fact.what)))
        parts.append(Text(", ".join(countries.display_name(c) for c in fact.country), style="dim"))
    return Group(*parts)


def more_line(shown: int, total: int) -> Text:
    return Text(f"{total - shown} more matched; show them with --limit 0 (or pipe the output)", style="dim")


def fact_details(facts: Sequence[Fact], origins: dict[str, str] | None = None) -> list[RenderableType]:
    """Several facts in detail, a dim rule between two; ``origins`` says which are the
    user's edits of curated facts."""
    from rich.rule import Rule

    parts: list[RenderableType] = []
    for i, fact in enumerate(facts):
        if i:
            parts.append(Rule(style="dim"))
        parts.append(fact_detail(fact, (origins or {}).get(fact.id, "")))
    return parts


def fact_detail(fact: Fact, origin: str = "") -> RenderableType:
    """One fact with every field and each source in full."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")  # a long word or a URL is folded, never cut
    when = "—"
    if fact.when:
        weekday = fact.when.weekday()
        when = fact.when.text + (f" ({weekday})" if weekday else "")
    rows = [
        ("id", fact.id),
        ("who", fact.who),
        ("what", fact.what),
        ("when", when),
        ("country", ", ".join(f"{countries.display_name(c)} ({c})" for c in fact.country)),
        ("tags", ", ".join(fact.tags)),
        ("note", fact.note),
        ("created", fact.created),
        ("updated", fact.updated),
        ("origin", origin),
    ]
    for name, value in rows:
        if value:
            grid.add_row(name, Text(make_visible(value)))
    parts: list[RenderableType] = [grid]
    for i, source in enumerate(fact.sources, 1):
        src = Table.grid(padding=(0, 2))
        src.add_column(style="dim", no_wrap=True)
        src.add_column(overflow="fold")  # a URL is folded whole, so it can be copied
        for key in ("title", "publisher", "url", "published", "retrieved", "quote"):
            value = getattr(source, key)
            if value:
                src.add_row(key, Text(make_visible(value)))
        parts += [Text(f"source {i}", style="bold"), src]
    return Group(*parts)


# ---------------------------------------------------------------- timeline and stats


def bar_chart(rows: Sequence[tuple[str, int]], title: str | None = None, color: str = "cyan") -> Table:
    """A horizontal bar per row (label, count), scaled to the largest, drawn by Rich's Bar."""
    from rich.bar import Bar

    top = max((count for _, count in rows), default=0) or 1
    chart = Table.grid(padding=(0, 1), expand=True)
    chart.title = title
    chart.title_style = "bold"
    chart.title_justify = "left"
    chart.add_column(justify="right", no_wrap=True)
    chart.add_column(ratio=1)
    chart.add_column(justify="right", no_wrap=True)
    for label, count in rows:
        chart.add_row(safe(label), Bar(size=top, begin=0, end=count, color=color), Text(str(count)))
    return chart


def _entries(facts: Sequence[Fact], widths: tuple[int, int, int]) -> Table:
    """Facts as rows of when, id, who, what; the same column widths in every group."""
    grid = Table.grid(padding=(0, 2), expand=True)
    grid.add_column(no_wrap=True, width=widths[0])
    grid.add_column(style="cyan", no_wrap=True, width=widths[1])
    grid.add_column(width=widths[2])
    grid.add_column(ratio=1, overflow="fold")
    for fact in facts:
        grid.add_row(safe(fact.when.text if fact.when else "—"), safe(fact.id), safe(fact.who, "bold"), safe(fact.what))
    return grid


def timeline_view(line: views.Timeline) -> RenderableType:
    """The facts-per-year chart, then the facts year by year (month by month in busy years)."""
    from rich.padding import Padding

    parts: list[RenderableType] = [
        bar_chart([(str(y), n) for y, n in line.per_year()], title="Facts per year"),
        Text(""),
    ]
    facts = line.facts
    widths = (
        max(len(escape_line(f.when.text)) for f in facts if f.when),
        max(len(escape_line(f.id)) for f in facts),
        min(22, max(len(escape_line(f.who)) for f in facts)),
    )
    for year in line.years:
        parts.append(Text.assemble((str(year.year), "bold magenta"), ("  " + counted(len(year.facts), "fact"), "dim")))
        if not year.by_month:
            parts.append(Padding(_entries(year.facts, widths), (0, 0, 0, 4)))
            continue
        for month in year.months():
            label = _month_name(month.month) if month.month else "month not given"
            parts.append(
                Padding(Text.assemble((label, "bold"), ("  " + counted(len(month.facts), "fact"), "dim")), (0, 0, 0, 2))
            )
            parts.append(Padding(_entries(month.facts, widths), (0, 0, 0, 4)))
    if line.undated:
        parts.append(
            Text(f"{counted(line.undated, 'undated fact')} left out (they have no place in time)", style="dim")
        )
    return Group(*parts)


def _month_name(month: str) -> str:
    import calendar

    return f"{calendar.month_name[int(month[5:7])]} {month[:4]}"


def stats_view(stats: views.Stats, limit: int | None = None) -> RenderableType:
    """Totals, then tables by country, year and publisher (each cut to `limit` rows, 0: all)."""
    summary = Table.grid(padding=(0, 2))
    summary.add_column(justify="right", style="bold")
    summary.add_column()
    for row in stats.rows()[:5]:
        summary.add_row(str(row["count"]), row["name"])
    parts: list[RenderableType] = [summary]

    def count_table(title: str, header: str, rows: list[tuple[str, str, int]], cut: bool) -> None:
        shown = rows[:limit] if cut and limit else rows
        table = Table(title=title, title_justify="left", title_style="bold", header_style="bold", expand=True)
        with_code = any(code for _, code, _ in rows)
        table.add_column(header, max_width=40, overflow="fold")
        if with_code:
            table.add_column("Code", style="cyan", no_wrap=True)
        table.add_column("Facts", justify="right", no_wrap=True)
        table.add_column("", ratio=1)
        top = max((n for *_, n in rows), default=1) or 1
        from rich.bar import Bar

        for label, code, n in shown:
            cells = (
                [safe(label)]
                + ([safe(code)] if with_code else [])
                + [Text(str(n)), Bar(size=top, begin=0, end=n, color="cyan")]
            )
            table.add_row(*cells)
        parts.append(Text(""))
        parts.append(table)
        if len(shown) < len(rows):
            parts.append(
                Text(f"{len(rows) - len(shown)} more; show them with --limit 0 (or pipe the output)", style="dim")
            )

    count_table("By country", "Country", [(countries.display_name(c), c, n) for c, n in stats.countries], True)
    count_table("By year", "Year", [(str(y), "", n) for y, n in stats.years], False)
    count_table("By publisher", "Publisher", [(p, "", n) for p, n in stats.publishers], True)
    return Group(*parts)


def answer_view(answer_line: str, confidence: float, facts: Sequence[Fact], width: int = WIDE) -> RenderableType:
    """`ask` on a terminal: the answer first, then the supporting facts and their sources."""
    parts: list[RenderableType] = [safe(answer_line, style="bold"), Text(f"confidence {confidence:.2f}", style="dim")]
    if facts:
        parts.append(fact_table(facts, width=min(width, WIDE - 1)))  # sources are listed below
        parts.append(source_list(facts))
    return Group(*parts)


def source_list(facts: Sequence[Fact], per_fact: int = 3) -> RenderableType:
    """Who says so: each supporting fact's sources (publisher, title, URL)."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for fact in facts:
        for i, source in enumerate(fact.sources[:per_fact]):
            label = " — ".join(p for p in (source.publisher, source.title) if p)
            text = Text(escape_line(label))
            if source.url:
                text.append(("\n" if label else "") + escape_line(source.url), style="dim")
            grid.add_row(fact.id if i == 0 else "", text)
        if len(fact.sources) > per_fact:
            grid.add_row("", Text(f"… {len(fact.sources) - per_fact} more: factcli show {fact.id}", style="dim"))
    return Group(Text("Sources", style="bold"), grid)
