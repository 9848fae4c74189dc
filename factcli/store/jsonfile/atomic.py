"""Atomic replacement of a file (temp file, fsync, rename, fsync the directory),
with Ctrl-C held off while the new content is committed."""

from __future__ import annotations

import errno
import os

from factcli.errors import WriteFailed


# Ctrl-C from the moment the new file replaces the old until the write's last step
# (the index update) is held back: the change is made, so it is not "interrupted".
_INTERRUPTS = {"held": 0, "pending": False}


def deferring_interrupts() -> bool:
    """Called by the SIGINT handler: True (and noted) if a commit is under way."""
    if _INTERRUPTS["held"]:
        _INTERRUPTS["pending"] = True
        return True
    return False


def interrupt_was_held() -> bool:
    return bool(_INTERRUPTS["pending"])


def _release_interrupts() -> None:
    _INTERRUPTS["held"] = max(0, _INTERRUPTS["held"] - 1)


def _directory_of(path: str) -> str:
    return os.path.dirname(path) or "."


def _temp_prefix(path: str) -> str:
    """Temp files of a write to ``path`` are ``.NAME.tmp-PID`` beside it."""
    return f".{os.path.basename(path)}.tmp-"


def _create_new(path: str, mode: int) -> int:
    """Create a file that did not exist, never through a link: whatever stands at the
    name (a stale temp file, or a symlink someone planted to have another file
    overwritten) is unlinked, not opened. A few tries, then the error."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(5):
        try:
            return os.open(path, flags, mode)
        except FileExistsError:
            try:
                os.unlink(path)  # removes a link itself, never its target
            except FileNotFoundError:
                pass
    return os.open(path, flags, mode)


def atomic_write(path: str, payload: bytes, hold_interrupts: bool = False) -> None:
    """Write temp file → fsync → replace → fsync directory. On error the old file stays.

    With ``hold_interrupts`` the caller releases the hold on Ctrl-C (after its
    own last step); otherwise it is released when the file is in place."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        mode = None  # a new file: the umask decides, as for any file the user makes
    else:
        if not mode & 0o222:  # root ignores permissions; a read-only file says "do not write me"
            raise WriteFailed(f"cannot write {path}: the file is read-only; the old data is intact")
    directory = _directory_of(path)
    temp = os.path.join(directory, f"{_temp_prefix(path)}{os.getpid()}")
    try:
        fd = _create_new(temp, 0o644 if mode is None else mode)
        try:
            if mode is not None:
                os.fchmod(fd, mode)  # the old file's mode, not narrowed by the umask
            view = memoryview(payload)
            while view:
                written = os.write(fd, view[: 1 << 20])
                view = view[written:]
                _checkpoint("writing")
            os.fsync(fd)
        finally:
            os.close(fd)
        _checkpoint("temp-written")
        _INTERRUPTS["held"] += 1
        try:
            os.replace(temp, path)
        except BaseException:
            _release_interrupts()
            raise
    except BaseException as exc:  # an I/O error, or Ctrl-C in the write window
        try:
            os.unlink(temp)
        except OSError:
            pass
        if not isinstance(exc, OSError):
            raise
        reason = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror or str(exc)
        raise WriteFailed(f"cannot write {path}: {reason}; the old data is intact") from None
    _checkpoint("replaced")
    try:  # make the rename itself durable
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass
    if not hold_interrupts:
        _release_interrupts()


def _checkpoint(step: str) -> None:
    """Test hook: FACTCLI_CRASH_AT=step kills the process there (crash tests)."""
    if os.environ.get("FACTCLI_CRASH_AT") == step:
        os.kill(os.getpid(), 9)
