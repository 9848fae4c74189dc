"""The commands about the database rather than its facts: history, export, info,
check, the alias group, and the shell completion script."""

from __future__ import annotations

import os
import sys

import click

from factcli.cli.app import App, parse_fields, pass_app, stdin_bytes, terminal_progress, warn
from factcli.errors import ExitCode, InvalidInput
from factcli.model import ENTITY_KINDS, FIELDS
from factcli.text import counted
from factcli.choices import EXPORT_FORMATS


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> int:
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

    sys.stdout.write(script(ctx.find_root().command, shell))  # the factcli group
    return ExitCode.OK


@click.command()
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


@click.command()
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


@click.command()
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


@click.command()
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("destination", type=click.Path(dir_okay=False))
def copy(source: str, destination: str) -> int:
    """Copy a whole database into a new one, of any backend.

    Facts (ids and timestamps kept), aliases, removed ids, your edits of
    curated facts, the history and the id counter all go along; the copy is
    made whole or not at all. DESTINATION must not exist; its name says the
    backend (.sqlite, .sqlite3, .db: SQLite; else a JSON file).

    \b
    Examples:
      factcli copy big.json big.sqlite
      factcli copy big.sqlite backup.json
    """
    from factcli import operations

    count = operations.copy(source, destination, progress=terminal_progress)
    from factcli.store.postgres import redacted

    warn(f"copied {counted(count, 'fact')} from {redacted(source)} to {redacted(destination)}")
    return ExitCode.OK


@click.command()
@click.option("--with-curated", is_flag=True, help="Also load the curated facts (with their ids and version).")
@click.pass_context
def init(ctx: click.Context, with_curated: bool) -> int:
    """Make the factcli tables in a PostgreSQL database (--db or FACTCLI_DB).

    A database that has them is left as it is. With --with-curated the curated
    facts are loaded too, so that every member of a team sees the same ones
    whatever factcli version they run. A file database needs no init: its first
    write makes it.

    \b
    Examples:
      factcli --db postgresql://factcli@db.example.org/facts init --with-curated
      FACTCLI_DB=postgresql:///facts factcli init
    """
    from factcli import operations

    location = ctx.find_root().params.get("db")
    if not location:
        raise click.UsageError("init needs a database: --db URL or FACTCLI_DB")
    made, count = operations.init(location, with_curated, progress=terminal_progress)
    from factcli.store import open_backend

    shown = open_backend(location).location
    if not made:
        warn(f"{shown} has the factcli tables already; nothing was changed")
    else:
        warn(
            f"made the factcli tables in {shown}"
            + (f" and loaded {counted(count, 'curated fact')}" if with_curated else "")
        )
    return ExitCode.OK


@click.command()
@click.pass_context
def merge(ctx: click.Context) -> int:
    """Merge this factcli's curated facts into a PostgreSQL database loaded with older ones.

    A curated fact nobody changed is brought up to date; one your team edited or
    removed stays as the team left it, and is listed as a conflict when the new
    release changed it too; new curated facts are added. One write: `undo` takes
    it back. Exit 1 when there are conflicts.

    \b
    Examples:
      factcli --db postgresql://factcli@db.example.org/facts merge
    """
    from factcli import operations

    location = ctx.find_root().params.get("db")
    if not location:
        raise click.UsageError("merge needs a database: --db URL or FACTCLI_DB")
    report = operations.merge_curated(location)
    summary = ", ".join(f"{len(ids)} {outcome}" for outcome, ids in report.items())
    warn(f"merged the curated facts: {summary}")
    for fact_id in report["conflict"]:
        click.echo(
            f"conflict\t{fact_id}\tthe team changed it and so did the curated release; the team's version is kept"
        )
    return ExitCode.NOT_FOUND if report["conflict"] else ExitCode.OK


@click.command()
@click.pass_context
def migrate(ctx: click.Context) -> int:
    """Bring a PostgreSQL database (--db or FACTCLI_DB) to this factcli's schema.

    Never done by another command: one member's upgrade must not change the
    database under the others unseen. Re-indexes the text when this factcli
    indexes it by other rules. Exit 3 when the database is newer than factcli.

    \b
    Examples:
      factcli --db postgresql://factcli@db.example.org/facts migrate
    """
    from factcli.store import open_backend

    location = ctx.find_root().params.get("db")
    if not location:
        raise click.UsageError("migrate needs a database: --db URL or FACTCLI_DB")
    warn(open_backend(location).migrate())
    return ExitCode.OK


@click.command()
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


@click.group()
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
