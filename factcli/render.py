"""Everything drawn for people on a terminal. The only module that imports rich.

Rich code returns renderables; text from the database is wrapped in ``Text``
(never parsed as markup) after control characters are made visible.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import IO

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from . import countries
from .model import Fact
from .text import escape_line, make_visible


def console(file: IO[str] | None = None, *, no_color: bool = False, stderr: bool = False, width: int | None = None) -> Console:
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
    labels = []
    for source in fact.sources:
        if source.publisher:
            labels.append(source.publisher)
        elif source.url:
            labels.append(source.url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www."))
        else:
            labels.append(source.title)
    return labels


WIDE = 100  # below this many columns the table leaves out Sources (`show` has them)


def fact_table(facts: Sequence[Fact], title: str | None = None, width: int = WIDE) -> Table:
    wide = width >= WIDE
    table = Table(title=title, header_style="bold", expand=True)
    table.add_column("ID", style="cyan", no_wrap=True)
    table.add_column("When", no_wrap=True)
    table.add_column("Who", style="bold", max_width=22)
    table.add_column("What", ratio=1, overflow="fold")
    table.add_column("Country", overflow="fold")
    if wide:
        table.add_column("Sources", style="dim", max_width=24, overflow="fold")
    for fact in facts:
        cells = [
            safe(fact.id),
            safe(fact.when.text if fact.when else "—"),
            safe(fact.who),
            safe(fact.what),
            lines(countries.display_name(c) for c in fact.country),
        ]
        if wide:
            cells.append(lines(_source_labels(fact)))
        table.add_row(*cells)
    return table


def more_line(shown: int, total: int) -> Text:
    return Text(f"{total - shown} more matched; show them with --limit 0 (or pipe the output)", style="dim")


def fact_detail(fact: Fact) -> RenderableType:
    """One fact with every field and each source in full."""
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column()
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
    ]
    for name, value in rows:
        if value:
            grid.add_row(name, Text(make_visible(value)))
    parts: list[RenderableType] = [grid]
    for i, source in enumerate(fact.sources, 1):
        src = Table.grid(padding=(0, 2))
        src.add_column(style="dim", no_wrap=True)
        src.add_column()
        for key in ("title", "publisher", "url", "published", "retrieved", "quote"):
            value = getattr(source, key)
            if value:
                src.add_row(key, Text(make_visible(value)))
        parts += [Text(f"source {i}", style="bold"), src]
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
