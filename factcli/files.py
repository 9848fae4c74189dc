"""Regular files, read safely: a bounded read that refuses a FIFO, a device or a
directory, and a file's identity (for caches) and content digest. Core: imports
nothing of factcli above it."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from typing import Any


def file_identity(stat: os.stat_result) -> str:
    """What changes whenever a file does: device, inode (an atomic replace makes a
    new one), size and times (ctime cannot be set back by hand). Caches and the
    index are trusted only while it is the same."""
    return f"{stat.st_dev}:{stat.st_ino}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}"


# A file changed twice within its file system's timestamp granularity keeps its
# times (FAT: 2 s; ext2/ext3 with small inodes, HFS+, some NFS: 1 s; even ext4's
# clock moves in ticks), so a same-size edit in place can keep the whole identity.
# As git does with its "racily clean" index, an identity taken while the file's
# mtime is this recent is not trusted alone: caches are neither read nor written,
# and the index records a digest of the content that readers check.
RACY_NS = 2_000_000_000


def racy(stat: os.stat_result) -> bool:
    """Whether the file may have changed (or may still change) without its identity showing it."""
    return time.time_ns() - stat.st_mtime_ns < RACY_NS


def content_hash() -> Any:
    """The hash of file contents for racy identities (blake2b, 16 bytes)."""
    import hashlib

    return hashlib.blake2b(digest_size=16)


def content_digest(data: bytes | Iterable[bytes]) -> str:
    """A digest of a file's bytes (given whole or in chunks), for racy identities."""
    h = content_hash()
    if isinstance(data, bytes):
        h.update(data)
    else:
        for chunk in data:
            h.update(chunk)
    return h.hexdigest()


def file_digest(path: str) -> str | None:
    """The digest of a file's current bytes; None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return content_digest(iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return None


class NotRegular(OSError):
    """The path is a device, a pipe or a socket: reading it may never end."""


class TooLarge(OSError):
    """The file is larger than what may be read whole."""


def _size(n: int) -> str:
    """1.5 GiB, 1.0 MiB, 512 bytes."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def read_regular(path: str, limit: int) -> tuple[bytes, os.stat_result]:
    """A regular file's bytes (at most ``limit``) and the fstat of exactly what was read.
    A FIFO is opened without blocking and refused, as are devices (/dev/zero) and sockets."""
    import stat

    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = (
                "a pipe"
                if stat.S_ISFIFO(info.st_mode)
                else "a device"
                if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
                else "not a regular file"
            )
            raise NotRegular(kind)
        if info.st_size > limit:
            raise TooLarge(f"{_size(info.st_size)}; at most {_size(limit)}")
        chunks = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 24)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"over {_size(limit)}")
            chunks.append(chunk)
        return b"".join(chunks), info
    finally:
        os.close(fd)
