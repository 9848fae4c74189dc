"""The storage: the only package that opens a database.

- :mod:`~factcli.store.base`: the interface every backend implements, and the registry;
- :mod:`~factcli.store.overlay`: the :class:`View` commands read and write (the
  user's own database over the curated one);
- :mod:`~factcli.store.cache`: data derived from databases, kept between runs;
- :mod:`~factcli.store.jsonfile`: the JSON file backend (TinyDB's format, atomic
  writes under a lock, whole-file reads, the derived SQLite index);
- :mod:`~factcli.store.sqlitefile`: the SQLite file backend (its own index, a
  transaction per write), sharing the layout of :mod:`~factcli.store.sqlfacts`;
- :mod:`~factcli.store.postgres`: the PostgreSQL backend (a team's server), sharing
  the rules of a write with the SQLite file (:mod:`~factcli.store.rowwriter`);
- :mod:`~factcli.store.journal`: the journal of writes every backend keeps.

:func:`open_view` picks the database(s) a command uses.
"""

from __future__ import annotations

from factcli.store.base import Progress, open_backend
from factcli.store.overlay import View

import factcli.store.postgres  # noqa: F401, I001  (registers the PostgreSQL backend: postgresql:// URLs)
import factcli.store.sqlitefile  # noqa: F401  (registers the SQLite file backend, before the JSON file)
import factcli.store.jsonfile  # noqa: F401  (registers the JSON file backend: any other path)

__all__ = ["View", "open_view", "open_backend"]


def open_view(
    db: str | None = None, progress: Progress | None = None, mine: str | None = None, curated: bool = True
) -> View:
    """The database(s) to use: ``db`` (from --db or FACTCLI_DB) alone; else the user's
    own database (``mine``, the config's db, or the default one) over the curated
    facts, or alone when ``curated`` is false. ``progress`` shows long work to the user."""
    from factcli.paths import curated_path, user_path

    if db:
        return View(open_backend(db, progress=progress))
    own = open_backend(mine or user_path(), id_prefix="u", user_file=True, progress=progress)  # made by the first write
    base = open_backend(curated_path(), id_prefix="c", progress=progress) if curated else None
    return View(own, base=base)
