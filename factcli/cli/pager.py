"""Show output that is longer than the screen through a pager, as git does. No rich.

Which pager: ``--no-pager`` turns it off; else ``FACTCLI_PAGER``, then the config
file's ``pager``, then ``PAGER``, then ``less`` (git's order: GIT_PAGER,
core.pager, PAGER). An empty command or ``cat`` means no pager; a command with
shell syntax (a pipe, quotes, ``$``) is run by ``/bin/sh -c``, as git runs it. ``LESS`` is set
to ``FRX`` when unset (quit if one screen, keep colours, leave the text on the
screen), ``LV`` to ``-c``. Only a terminal gets a pager; a pipe gets the text.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterable
from typing import TextIO

DEFAULT = "less -R"
# What only a shell understands: a pager command with any of these is run with
# `sh -c`, others directly (git's rule, from run-command.c's prepare_shell_cmd).
_SHELL_SYNTAX = re.compile(r"[|&;<>()$`\\\"'*?\[\]#~=%]")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")


def choose(
    config_pager: str | bool | None, environ: dict[str, str] | os._Environ[str] = os.environ
) -> list[str] | None:
    """The pager command to run, as argv, or None for no pager.

    Raises ValueError for a command that cannot be split into words.
    """
    command: str | bool | None = environ.get("FACTCLI_PAGER")
    if command is None:
        command = config_pager
    if command is None:
        command = environ.get("PAGER")
    if command is None:
        command = DEFAULT if shutil.which("less") else ""
    if command is False:
        return None
    argv = shlex.split(str(command))
    if not argv or argv == ["cat"]:
        return None
    if _SHELL_SYNTAX.search(str(command)):  # `cat -A | head -3`: run by the shell, as git does
        return ["/bin/sh", "-c", str(command)]
    return argv


def screen_lines(text: str, columns: int) -> int:
    """How many rows of a terminal `text` takes (long lines wrap; escapes take none)."""
    rows = 0
    columns = max(columns, 1)
    for line in text.split("\n"):
        width = len(_ANSI.sub("", line))
        rows += max(1, -(-width // columns))
    return rows - 1 if text.endswith("\n") else rows


def longer_than_screen(text: str) -> bool:
    size = shutil.get_terminal_size()
    return screen_lines(text, size.columns) > max(size.lines - 1, 1)


def page(text: str, argv: list[str] | None, out: TextIO | None = None) -> str | None:
    """Write `text` through the pager when it is longer than the screen, else directly.

    Returns a warning when the pager could not be started (the text is then
    written directly: nothing is lost).
    """
    out = out or sys.stdout
    if argv is None or not longer_than_screen(text):
        out.write(text)
        return None
    return stream([text], argv, out)


def stream(parts: Iterable[str], argv: list[str] | None, out: TextIO | None = None) -> str | None:
    """Write text drawn part by part through the pager, starting it before the first
    part, so the first screen shows while the rest is drawn; the caller knows the
    whole is longer than the screen. When the reader quits, the rest is not drawn.
    Returns a warning when the pager could not be started (the parts are then
    written directly)."""
    out = out or sys.stdout
    if argv is None:
        for part in parts:
            out.write(part)
            out.flush()
        return None
    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    out.flush()
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, env=env)
    except OSError as exc:
        for part in parts:
            out.write(part)
        return f"cannot start the pager {shlex.join(argv)!r}: {exc.strerror}; set FACTCLI_PAGER, or pass --no-pager"
    # Like git: Ctrl-C belongs to the pager while it runs; factcli just waits.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        assert proc.stdin is not None
        try:
            for part in parts:
                proc.stdin.write(part.encode(encoding, errors="replace"))
                proc.stdin.flush()
            proc.stdin.close()
        except BrokenPipeError:  # the reader quit: draw no more
            pass
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return None
