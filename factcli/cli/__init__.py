"""The command line: the `factcli` group, its commands loaded only when used, and
the entry points. What the commands share is in :mod:`.app`, shared options in
:mod:`.options`, the commands in :mod:`.read`, :mod:`.write` and :mod:`.admin`,
and running one (errors as one line and an exit code, signals, pipes) in
:mod:`.runtime`. Only this package imports click; only :mod:`.render` imports rich.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from typing import Any

import click

from factcli import __version__
from factcli.cli.app import App

# Command name → "module:function": a command's module is imported only when it runs
# (or when --help or completion lists them), so `search` never loads `import`'s code.
COMMANDS = {
    "search": "read:search",
    "ask": "read:ask",
    "show": "read:show",
    "timeline": "read:timeline",
    "stats": "read:stats",
    "cite": "read:cite",
    "add": "write:add",
    "edit": "write:edit",
    "rm": "write:rm",
    "revert": "write:revert",
    "undo": "write:undo",
    "import": "write:import_",
    "history": "admin:history",
    "export": "admin:export",
    "info": "admin:info",
    "check": "admin:check",
    "copy": "admin:copy",
    "init": "admin:init",
    "migrate": "admin:migrate",
    "merge": "admin:merge",
    "alias": "admin:alias",
    "completion": "admin:completion",
}


class LazyGroup(click.Group):
    """A group whose commands are named in a table and imported on first use."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy:
            module, _, attribute = self.lazy[name].partition(":")
            command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
            self.add_command(command, name)
        return super().get_command(ctx, name)


@click.group(
    cls=LazyGroup,
    lazy=COMMANDS,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
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
    if db is not None and not db.strip() and ctx.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE:
        raise click.BadParameter("an empty path names no database", param_hint="'--db'")
    ctx.obj = App(db=db or None, no_color=no_color, no_pager=no_pager)  # FACTCLI_DB='': unset


def run(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; turn every error into one line on stderr and an exit code."""
    from factcli.cli import runtime

    return runtime.run(cli, argv)


def main(argv: Sequence[str] | None = None) -> None:
    """The `factcli` command: run it, then exit with its code."""
    from factcli.cli import runtime

    runtime.main(cli, argv)
