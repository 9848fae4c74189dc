"""Domain errors. Each carries the exit code the command line reports it with."""

from __future__ import annotations

from collections.abc import Callable
from enum import IntEnum
from typing import NamedTuple


class ExitCode(IntEnum):
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    NOT_FOUND = 1  # no match, unknown id, or `check` found errors
    USAGE = 2  # usage or input error; nothing was changed
    UNREADABLE = 3  # the database cannot be read
    WRITE_FAILED = 4  # a write failed; the old data is intact
    INTERRUPTED = 130


class Setting(NamedTuple):
    """A setting of an operation that an error names as the way out (``skip_invalid``).

    The core words its errors without knowing how settings are given: a command
    line shows the flag (``--skip-invalid``), a program the parameter's name.
    ``value`` says, in words, what the setting takes ("URL or citation")."""

    name: str
    value: str = ""

    def __str__(self) -> str:
        return f"`{self.name}`" + (f" {self.value}" if self.value else "")


class FactcliError(Exception):
    """Base of every error factcli reports as one line on stderr.

    The message is text and :class:`Setting` parts: ``InvalidInput("fix them,
    or set ", Setting("skip_invalid"))``. ``str()`` names settings as parameters;
    :meth:`render` lets the command line name them as flags."""

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, *parts: str | Setting) -> None:
        super().__init__(*parts)
        self.parts = parts

    def render(self, setting: Callable[[Setting], str] = str) -> str:
        """The message, with each setting written by ``setting``."""
        return "".join(part if isinstance(part, str) else setting(part) for part in self.parts)

    def settings(self) -> list[Setting]:
        return [part for part in self.parts if isinstance(part, Setting)]

    def __str__(self) -> str:
        return self.render()


class InvalidInput(FactcliError):
    """Input that was refused: nothing was changed."""

    exit_code = ExitCode.USAGE


class NotFound(FactcliError):
    """An id that no fact has, or a query that matched nothing."""

    exit_code = ExitCode.NOT_FOUND


class DatabaseUnreadable(FactcliError):
    """The database file is corrupt, of another program, or of a newer schema."""

    exit_code = ExitCode.UNREADABLE


class ChangedWhileRead(DatabaseUnreadable):
    """A writer replaced the file while this command was reading it: the command
    is run again from the start (it had printed and written nothing)."""


class WriteFailed(FactcliError):
    """Writing the database failed; the file still holds the old data."""

    exit_code = ExitCode.WRITE_FAILED
