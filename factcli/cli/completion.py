"""Shell completion: Click's, with factcli's values (country names and codes, fact ids).

Click answers the shell through the ``_FACTCLI_COMPLETE`` protocol; this module
gives it the values and makes bash insert names with spaces as one word.
Completion never prints an error: a database that cannot be read completes nothing.
"""

from __future__ import annotations

import re
import click
from click.shell_completion import BashComplete, CompletionItem, add_completion_class, get_completion_class

PROG = "factcli"
COMPLETE_VAR = "_FACTCLI_COMPLETE"
_BASH_SPECIAL = re.compile(r"""([\s!"#$&'()*;<>?\[\\\]^`{|}~])""")


class FactcliBashComplete(BashComplete):
    """Click's bash completion, with values quoted for the command line.

    Bash inserts a completion as it is given, so ``United States`` must arrive
    as ``United\\ States``; the script reads each line with ``read`` (which eats
    one level of backslashes), hence the doubling.
    """

    def format_completion(self, item: CompletionItem) -> str:
        value = _BASH_SPECIAL.sub(r"\\\1", str(item.value))
        return f"{item.type},{value.replace(chr(92), chr(92) * 2)}"


def register() -> None:
    """Use factcli's bash completion class for `bash_complete` requests."""
    add_completion_class(FactcliBashComplete, "bash")


def script(cli: click.Command, shell: str) -> str:
    """The completion script a shell sources (Click's, for the `factcli` command)."""
    register()
    cls = get_completion_class(shell)
    if cls is None:  # click.Choice has already refused other names
        raise click.BadParameter(f"no completion for {shell}")
    return cls(cli, {}, PROG, COMPLETE_VAR).source().rstrip("\n") + "\n"


def country_names(incomplete: str) -> list[CompletionItem]:
    """Countries whose alpha-3 code or a name starts with what was typed (case and
    accents ignored): the code (help: the name) and the readable name (help: the code)."""
    from factcli.countries import all_countries
    from factcli.text import normalise

    typed = incomplete.strip()
    key = normalise(typed)
    codes: list[CompletionItem] = []
    names: list[CompletionItem] = []
    for country in all_countries():
        if typed and len(typed) <= 3 and country.code.startswith(typed.upper()):
            codes.append(CompletionItem(country.code, help=country.name))
        spellings = [country.name] + [
            n for n in country.names if n != country.name and not (len(n) <= 3 and n.isupper())
        ]
        for name in spellings:
            if normalise(name).startswith(key):
                names.append(CompletionItem(name, help=country.code))
                break
    return codes + sorted(names, key=lambda item: normalise(item.value))


def fact_ids(ctx: click.Context, incomplete: str) -> list[CompletionItem]:
    """Ids of the facts in the database the command line names (--db, FACTCLI_DB,
    the config, or the default set-up), with who and what as help."""
    from factcli.errors import FactcliError
    from factcli.query import sort_key
    from factcli.text import escape_line

    root = ctx.find_root()
    db = root.params.get("db")
    try:
        if not db:
            from factcli.config import load

            db = load().db
        from factcli.store import open_view

        facts = open_view(db).facts()
    except (FactcliError, OSError, ValueError):
        return []
    given = set(ctx.params.get("ids") or ())
    chosen = sorted((f for f in facts if f.id.startswith(incomplete) and f.id not in given), key=sort_key("id"))
    items = []
    for fact in chosen:
        about = escape_line(f"{fact.who}: {fact.what}")
        items.append(CompletionItem(fact.id, help=about if len(about) <= 70 else about[:69] + "…"))
    return items
