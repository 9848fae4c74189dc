"""The commands that write: add (and its prompt), edit, rm, revert, undo, import."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from itertools import islice
from typing import Any

import click

from factcli.cli.app import (
    App,
    _STDIN,
    pass_app,
    read_ids,
    stdin_bytes,
    terminal_progress,
    warn,
)
from factcli.cli.options import complete_countries, complete_ids, iso_date, source_part_options
from factcli.errors import ExitCode, InvalidInput
from factcli.model import FIELDS
from factcli.text import listed
from factcli.choices import INPUT_FORMATS


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


@click.command()
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
    app.wrote(f"added {fact.id}", "its id")
    click.echo(fact.id)
    _warn_doubt(fact)
    return ExitCode.OK


def _warn_doubt(fact: Any) -> None:
    from factcli.model import input_hints

    for hint in input_hints(fact):
        warn(f"warning: {fact.id}: {hint}")


@click.command()
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
    app.wrote(f"changed {listed([f.id for f in changed])}", "the ids")
    for fact in changed:
        click.echo(fact.id)
    return ExitCode.OK


@click.command()
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
    app.wrote(f"removed {listed([f.id for f in removed])}", "the ids")
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


@click.command()
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
    app.wrote(f"reverted {', '.join(i for i, _ in done_)}", "the ids")
    for fact_id, what in done_:
        click.echo(fact_id)
        warn(f"{fact_id}: your {what} was dropped; the curated fact shows")
    return ExitCode.OK


@click.command()
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
    app.wrote(f"undid {entry['summary']!r}", "what was undone")
    click.echo(f"undid {entry['summary']}")
    return ExitCode.OK


@click.command(name="import")
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
    from factcli.importer import parse_map, read_rows

    name = "stdin" if file == "-" else file
    if len(delimiter) != 1 or delimiter in '"\r\n':
        raise InvalidInput(f"--delimiter: one character, such as ';' (not {delimiter!r})")
    mapping = parse_map(maps)
    with ExitStack() as stack:
        source, fmt = _import_source(stack, file, name, fmt, encoding)
        rows = _with_progress(read_rows(source, fmt, name, delimiter), "reading")
        if ignore_unknown:
            rows = _drop_unknown_fields(rows, mapping, name)
        if mapping:
            rows = _checked_columns(rows, mapping, name)
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
    span = f" ({report.added[0]}…{report.added[-1]})" if len(report.added) > 1 and not dry_run else ""
    warn(f"{verb} {len(report.added)} fact(s){span}; {report.unchanged} already present; {len(report.skipped)} skipped")
    if not dry_run and report.added and not app.on_terminal():  # piped: the new ids, as add prints its id
        app.wrote(f"imported {len(report.added)} fact(s)", "their ids")
        ids = iter(report.added)
        while chunk := list(islice(ids, 10_000)):  # a million lines in a hundred writes, not a million
            click.echo("\n".join(chunk))
    return ExitCode.OK


def _import_source(stack: ExitStack, file: str, name: str, fmt: str | None, encoding: str):
    """What an import reads: a file of JSON lines or CSV a line at a time (memory does
    not grow with it), else the whole text (stdin, JSON, TSV, UTF-16); and its format."""
    from factcli.importer import decode, sniff, stream_lines, streams_by_line

    if file != "-":
        try:
            handle = stack.enter_context(open(file, "rb"))
        except OSError as exc:
            raise InvalidInput(f"cannot read {name}: {exc.strerror}") from None
        if streams_by_line(encoding):
            head = handle.peek(65536)  # what sniffing needs, without consuming it
            fmt = fmt or sniff(head.decode("utf-8", "replace").removeprefix("\ufeff"), name)
            if fmt in ("jsonl", "csv"):
                return stream_lines(handle, name, encoding), fmt
        try:
            raw = handle.read()
        except OSError as exc:
            raise InvalidInput(f"cannot read {name}: {exc.strerror}") from None
    else:
        raw = stdin_bytes()
    text = decode(raw, name, encoding)
    return text, fmt or sniff(text, name)


def _checked_columns(rows: Iterable[Any], mapping: dict[str, str], name: str) -> Iterator[Any]:
    """--map names columns: the input must have every one (checked as the rows pass;
    a missing one, after the last row, refuses the whole import)."""
    from factcli.importer import missing_columns

    seen: set[str] = set()
    any_rows = False
    for row in rows:
        any_rows = True
        seen.update(row.data)
        yield row
    missing = missing_columns(mapping, seen)
    if any_rows and missing:
        raise InvalidInput(f"--map: {name} has no column {', '.join(map(repr, missing))}")


def _drop_unknown_fields(rows: Iterable[Any], mapping: dict[str, str], name: str) -> Iterator[Any]:
    """--ignore-unknown: take out the columns that are no field (nor used by --map),
    and say which, once for the file."""
    from factcli.model import DERIVED_FIELDS

    if mapping:  # --map builds each record from the columns it names: the others are unused already
        yield from rows
        return
    used = set(FIELDS) | set(DERIVED_FIELDS)
    dropped: dict[str, int] = {}
    for row in rows:
        for key in [k for k in row.data if k not in used and k != "__error__"]:
            dropped[key] = dropped.get(key, 0) + 1
            del row.data[key]
        yield row
    if dropped:
        warn(
            f"{name}: ignored column(s) that are not fields: {', '.join(f'{k} ({n} rows)' for k, n in dropped.items())}"
        )


def _with_progress(rows, label: str):
    """``rows``, counted by :func:`terminal_progress` as they are read."""
    with terminal_progress(label) as advance:
        for row in rows:
            advance(1)
            yield row
