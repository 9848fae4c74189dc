"""Running a command: every error becomes one line on stderr and an exit code;
Ctrl-C, a reader that leaves the pipe, a closed stdin or stdout; global options
after the command; a read that a writer overtook is run again."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

import click

from factcli.cli.app import _DONE, _STDIN, warn
from factcli.errors import ExitCode, FactcliError, InvalidInput, Setting
from factcli.gc_pause import gc_paused


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


def flags(group: click.Group) -> dict[str, str]:
    """Each option's parameter name → its long flag, over the group and its commands."""
    ctx = click.Context(group)
    commands = [group.get_command(ctx, name) for name in group.list_commands(ctx)]
    found: dict[str, str] = {}
    for command in [group, *commands]:
        for param in command.params if command else ():
            if isinstance(param, click.Option) and param.name:
                found.setdefault(param.name, max(param.opts, key=len))
    return found


def as_flag(group: click.Group) -> Callable[[Setting], str]:
    """How a setting named in a core error is written: the flag that gives it."""
    known: dict[str, str] = {}

    def flag(setting: Setting) -> str:
        if not known:
            known.update(flags(group))
        name = known.get(setting.name) or "--" + setting.name.replace("_", "-")
        return name + (f" {setting.value}" if setting.value else "")

    return flag


def main(group: click.Group, argv: Sequence[str] | None = None) -> None:
    """The `factcli` command: run it, then exit with its code."""
    import gc

    code = run(group, argv)
    # At exit the interpreter's last collection walks every object the run made,
    # for cycles that exiting frees anyway: 9-11 ms of a 70 ms search, measured.
    # Frozen objects are left to the exit itself (files are closed and flushed as usual).
    gc.freeze()
    sys.exit(code)


# A command lives for one run and makes few reference cycles; the cyclic collector
# would walk every parsed record, again and again (measured: 45% of an import of
# 100k facts). Reference counting still frees everything.
@gc_paused()
def run(group: click.Group, argv: Sequence[str] | None = None) -> int:
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
        result = _main_rereading(group, argv, sys.stdout)  # type: ignore[arg-type]
        code = int(result) if isinstance(result, int) else 0
        sys.stdout.flush()
    except ReaderGone:
        # The reader went away (`| head -1`): it has what it wanted. Stop quietly,
        # with success, so `set -o pipefail` scripts keep working.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, real_stdout.fileno())
        code = ExitCode.OK
    except OutputFailed as exc:
        from factcli.store.base import writes_committed

        if _DONE["what"]:
            warn(f"{_DONE['what']}; could not print {_DONE['output']}: {exc}")
        else:
            made = "; the change to the database was made" if writes_committed() else ""
            warn(f"cannot write the output: {exc}{made}")
        _silence(real_stdout)
        code = ExitCode.WRITE_FAILED
    except FactcliError as exc:
        warn(exc.render(as_flag(group)))
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


def _main_rereading(group: click.Group, argv: Sequence[str] | None, guard: _ReaderGuard) -> Any:
    """Run the command; run it again if a writer replaced the database while it read,
    as long as it has printed nothing, written nothing and read no stdin."""
    import time

    from factcli.errors import ChangedWhileRead
    from factcli.store.base import writes_committed

    _STDIN["used"] = False
    _DONE.update(what="", output="")
    committed = writes_committed()
    for attempt in range(1, READ_ATTEMPTS + 1):
        try:
            return group.main(args=argv, prog_name="factcli", standalone_mode=False)
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
