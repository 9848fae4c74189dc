"""A real PostgreSQL server for the tests, never a mock.

FACTCLI_TEST_PG (a libpq conninfo, as .ci/run sets it) names a running server the
tests may make databases in. Without it, a throwaway cluster is made and started
by .ci/pg-cluster (Debian's postgresql package), on a socket directory of its own,
and stopped at the end. No PostgreSQL at all fails the tests that need one: it is
not a reason to skip.
"""

from __future__ import annotations

import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest


class Cluster:
    """A throwaway cluster, made and stopped by .ci/pg-cluster (as CI and the benchmark do)."""

    SCRIPT = Path(__file__).resolve().parent.parent / ".ci" / "pg-cluster"

    def __init__(self) -> None:
        self.dir = tempfile.mktemp(prefix="factcli-pg-")
        made = subprocess.run([str(self.SCRIPT), "start", self.dir], capture_output=True, text=True)
        if made.returncode != 0:
            pytest.fail(
                f"no PostgreSQL server: FACTCLI_TEST_PG is not set and {self.SCRIPT} failed: {made.stderr.strip()}"
            )
        self.conninfo = made.stdout.strip()

    def stop(self) -> None:
        subprocess.run([str(self.SCRIPT), "stop", self.dir], capture_output=True)


class Server:
    """Databases made for tests on one server, as postgresql:// URLs."""

    def __init__(self, conninfo: str) -> None:
        import psycopg

        self.conninfo = conninfo
        self.params = psycopg.conninfo.conninfo_to_dict(conninfo)
        self.made: list[str] = []

    def admin(self):
        import psycopg

        return psycopg.connect(self.conninfo, autocommit=True)

    def url(self, dbname: str, user: str | None = None, password: str | None = None) -> str:
        from urllib.parse import quote

        p = self.params
        auth = quote(user or str(p.get("user", "postgres")))
        if password:
            auth += ":" + quote(password)
        query = [f"host={quote(str(p['host']), safe='')}"] if str(p.get("host", "")).startswith("/") else []
        host = "" if query else str(p.get("host", "localhost"))
        if p.get("port"):
            query.append(f"port={p['port']}")
        return f"postgresql://{auth}@{host}/{dbname}" + ("?" + "&".join(query) if query else "")

    def new_database(self) -> str:
        """A new, empty database; its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')  # a name made here, never from input
        self.made.append(name)
        return self.url(name)

    def drop_all(self) -> None:
        with self.admin() as conn:
            for name in self.made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()
