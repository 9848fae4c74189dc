"""The SQLite file backend (:mod:`.backend`, with its writer in :mod:`.writer`).

Registered here without importing sqlite3: a file is this backend's when it starts
with SQLite's magic, or, not made yet, when its name ends in ``.sqlite``,
``.sqlite3`` or ``.db`` (a JSON file named ``*.db`` stays a JSON file).
"""

from __future__ import annotations

import os
import stat


from factcli.store.base import register_lazy

MAGIC = b"SQLite format 3\x00"
EXTENSIONS = (".sqlite", ".sqlite3", ".db")


def is_sqlite_file(location: str) -> bool:
    """Whether ``location`` is (or, not made yet, is named as) an SQLite database."""
    if "://" in location:
        return False
    try:
        if not stat.S_ISREG(os.stat(location).st_mode):
            return False  # a pipe or a device: never opened here (the JSON backend refuses it)
        with open(location, "rb") as handle:
            return handle.read(len(MAGIC)) == MAGIC
    except FileNotFoundError:
        return location.lower().endswith(EXTENSIONS)
    except OSError:
        return False  # unreadable: the JSON backend reports it


register_lazy(is_sqlite_file, "factcli.store.sqlitefile.backend:SqliteBackend")

__all__ = ["EXTENSIONS", "MAGIC", "is_sqlite_file"]
