"""What every command shares: the :class:`App` on Click's context (the view, the
config, the console), output that pages on a terminal and streams in a pipe,
warnings on stderr, ids and lines from stdin."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from typing import Any

import click

from factcli.errors import InvalidInput
from factcli.model import FIELDS, MAX_ID, Fact
from factcli.choices import OUTPUT_FORMATS


FORMAT_NAMES = OUTPUT_FORMATS
TERMINAL_LIMIT = 20  # rows a terminal shows by default; piped output is complete


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

    def wrote(self, what: str, output: str) -> None:
        """After a write: :func:`done`, and, on a terminal, the database's advice, once."""
        done(what, output)
        if not stderr_is_terminal():
            return
        advice = self.view.own.advice()
        if advice:
            from factcli.store.cache import first_time

            if first_time(f"advice {os.path.realpath(self.view.own.location)}"):
                warn(advice)

    def on_terminal(self) -> bool:
        """Whether stdout is a terminal (asked afresh: the one test of it every command uses)."""
        return stdout_is_terminal()

    def format_for(self, fmt: str | None, allowed: Sequence[str] = FORMAT_NAMES) -> str:
        """--format, else on a terminal the config's format (if this command has it) or
        a table; piped, always TSV: the config never changes what a pipe reads."""
        if fmt:
            return fmt
        if not self.on_terminal():
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
        if self.no_pager or not self.on_terminal():
            sys.stdout.write(text)
            return
        import factcli.cli.pager as pager

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
        import factcli.cli.pager as pager

        argv = None
        if not self.no_pager and self.on_terminal():
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
        if not self.on_terminal():
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


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except ValueError:
        return False


def warn(message: str) -> None:
    from factcli.text import escape_line

    click.echo(f"factcli: {escape_line(message)}", err=True)


def warn_no_match(hints: Sequence[str]) -> None:
    """The line of a search that found nothing, with close spellings when there are some."""
    warn("no fact matches" + (f"; did you mean: {', '.join(hints)}?" if hints else ""))


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


_DONE = {"what": "", "output": ""}  # the change a write command made, for when its output fails


def done(what: str, output: str) -> None:
    """Say what this command changed, before it prints ``output`` (the ids): if
    stdout then fails, the error line says the change was made ("added u5; could
    not print its id")."""
    _DONE.update(what=what, output=output)


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
