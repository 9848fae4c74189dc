"""The PostgreSQL backend (:mod:`.backend`, its writer in :mod:`.writer`, its tables
and text in :mod:`.tables`): a team's shared database on a server.

Registered here without importing psycopg: a location is this backend's when it is
a ``postgresql://`` or ``postgres://`` URL (libpq's own form, so ``PG*`` variables
and ``.pgpass`` apply). The driver is the optional extra ``factcli[postgres]``.
"""

from __future__ import annotations

import re

from factcli.store.base import register_lazy

SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(location: str) -> bool:
    return location.lower().startswith(SCHEMES)


def redacted(url: str) -> str:
    """The URL without its password (``postgresql://ann:***@host/db``): what is ever shown."""
    url = re.sub(r"^([a-z]+://[^:/@?#]*):[^@/?#]*@", r"\1:***@", url, flags=re.IGNORECASE)
    return re.sub(r"([?&]password=)[^&#]*", r"\1***", url, flags=re.IGNORECASE)


register_lazy(is_postgres_url, "factcli.store.postgres.backend:PostgresBackend")

__all__ = ["SCHEMES", "is_postgres_url", "redacted"]
