"""Domain errors. Each carries the exit code the command line reports it with."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes (README, "Exit codes")."""

    OK = 0
    NOT_FOUND = 1  # no match, unknown id, or `check` found errors
    USAGE = 2  # usage or input error; nothing was changed
    UNREADABLE = 3  # the database cannot be read
    WRITE_FAILED = 4  # a write failed; the old data is intact
    INTERRUPTED = 130


class FactcliError(Exception):
    """Base of every error factcli reports as one line on stderr."""

    exit_code: ExitCode = ExitCode.USAGE


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
