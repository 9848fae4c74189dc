"""A real PostgreSQL server for the tests, never a mock.

FACTCLI_TEST_PG (a libpq conninfo, as .ci/run sets it) names a running server the
tests may make databases in. Without it, a throwaway cluster is made and started
here (initdb and pg_ctl from Debian's postgresql package, run as the postgres user
when the tests run as root), on a socket directory of its own, and stopped at the
end. No PostgreSQL at all fails the tests that need one: it is not a reason to skip.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid

import pytest


def _bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


class Cluster:
    """A throwaway cluster: made in a temporary directory, stopped and removed by stop()."""

    def __init__(self) -> None:
        initdb, pg_ctl = _bin("initdb"), _bin("pg_ctl")
        if not initdb or not pg_ctl:
            pytest.fail("PostgreSQL is not installed (apt-get install postgresql) and FACTCLI_TEST_PG is not set")
        self.dir = tempfile.mkdtemp(prefix="factcli-pg-")
        self.pg_ctl = pg_ctl
        self.root = os.geteuid() == 0
        if self.root:
            shutil.chown(self.dir, "postgres")
        data = os.path.join(self.dir, "data")
        self._run([initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])
        options = f"-p 55433 -k {self.dir} -c listen_addresses='' -c fsync=off -c max_connections=200"
        self._run([pg_ctl, "-D", data, "-l", os.path.join(self.dir, "log"), "-w", "-o", options, "start"])
        self.conninfo = f"host={self.dir} port=55433 user=postgres dbname=postgres"

    def _run(self, argv: list[str]) -> None:
        if self.root:
            argv = ["su", "postgres", "-c", " ".join(f"'{a}'" if " " in a else a for a in argv)]
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> None:
        try:
            self._run([self.pg_ctl, "-D", os.path.join(self.dir, "data"), "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


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
