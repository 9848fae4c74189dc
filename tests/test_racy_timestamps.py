"""Coarse timestamps (issue 12 item 8): on a file system that keeps times to the
second, a same-size edit in place within the second keeps a file's whole identity
(device, inode, size, mtime, ctime). Caches and the index must not answer from
the old content then. As git does with its "racily clean" index, an identity
taken while the file's mtime is recent is not trusted alone.

Tested on a real ext2 image with 128-byte inodes (1-second times), mounted
through a loop device: the test needs root, as CI runs."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from factcli.store.jsonfile.index import identity_matches, index_path, racy_identity
from factcli.files import file_digest, file_identity, racy

from .conftest import add_args, factcli_run

OLD, NEW = "Bobby Brown", "Carol Crane"  # the same length: the edit keeps the size


@pytest.fixture(scope="module")
def ext2(tmp_path_factory):
    """A mounted ext2 file system whose timestamps have 1-second granularity."""
    if os.geteuid() != 0:
        pytest.skip("mounting a loop image needs root (CI runs as root)")
    where = tmp_path_factory.mktemp("ext2")
    image, mount = where / "fs.img", where / "mnt"
    mount.mkdir()
    with open(image, "wb") as handle:
        handle.truncate(16 << 20)
    subprocess.run(["mkfs.ext2", "-q", "-F", "-I", "128", str(image)], check=True, capture_output=True)
    subprocess.run(["mount", "-o", "loop", str(image), str(mount)], check=True, capture_output=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False, capture_output=True)


@pytest.fixture(scope="module")
def content(tmp_path_factory) -> bytes:
    """A database file as factcli writes it, with one fact by OLD."""
    db = tmp_path_factory.mktemp("made") / "facts.json"
    made = factcli_run(
        "--db",
        str(db),
        *add_args(
            who=OLD, what="signed the accord", when="2020-01-02", country=("France",), source="https://example.org/a"
        ),
    )
    assert made.returncode == 0, made.stderr
    return db.read_bytes()


def _same_second_edit(
    db: Path, content: bytes, env: dict
) -> tuple[subprocess.CompletedProcess, subprocess.CompletedProcess]:
    """Write the file, search it, edit it in place to the same size, search again —
    the edit within the second of the write, so the identity stays the same."""
    for _ in range(10):
        while time.time() % 1 > 0.05:  # start at the beginning of a second
            time.sleep(0.005)
        db.write_bytes(content)
        before = file_identity(os.stat(db))
        first = factcli_run("--db", str(db), "search", "Bobby", "--fields", "who", env=env)
        with open(db, "r+b") as handle:
            at = content.index(OLD.encode())
            handle.seek(at)
            handle.write(NEW.encode())
        if file_identity(os.stat(db)) == before:  # the precondition: nothing in the stat shows the edit
            second = factcli_run("--db", str(db), "search", "Bobby", "--fields", "who", env=env)
            return first, second
    pytest.fail("could not make an edit within the same second in 10 tries")


@pytest.mark.parametrize("index", ["never", "always"])
def test_a_same_second_edit_in_place_is_seen(ext2, content, index):
    db = ext2 / f"facts-{index}.json"
    env = {"FACTCLI_INDEX": index}
    first, second = _same_second_edit(db, content, env)
    assert first.returncode == 0 and first.stdout.decode().strip() == OLD
    # "Bobby" is no longer in the file: no stale cache or index may find it
    assert second.returncode == 1, second.stdout
    found = factcli_run("--db", str(db), "search", "Carol", "--fields", "who", env=env)
    assert found.stdout.decode().strip() == NEW


def test_a_racy_index_records_the_content_and_settles_once_old(db, content):
    env = {"FACTCLI_INDEX": "always"}
    db.write_bytes(content)
    assert factcli_run("--db", str(db), "search", "Bobby", env=env).returncode == 0
    assert _stored_identity(db) == f"{file_identity(os.stat(db))}+{file_digest(str(db))}"
    time.sleep(2.1)  # the file's mtime is no longer recent: a reader checks the content once
    assert factcli_run("--db", str(db), "search", "Bobby", env=env).returncode == 0
    assert _stored_identity(db) == file_identity(os.stat(db))


def _stored_identity(db: Path) -> str:
    conn = sqlite3.connect(index_path(str(db)))
    try:
        return conn.execute("SELECT value FROM meta WHERE key = 'identity'").fetchone()[0]
    finally:
        conn.close()


def test_identity_rules(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"one")
    st = os.stat(path)
    assert racy(st)  # just written
    plain = file_identity(st)
    assert racy_identity(st, None) == plain
    recorded = racy_identity(st, file_digest(str(path)))
    assert identity_matches(plain, st, lambda: pytest.fail("a plain identity needs no content"))
    assert identity_matches(recorded, st, lambda: file_digest(str(path)))
    assert not identity_matches(recorded, st, lambda: "another digest")
    assert not identity_matches(recorded, st, lambda: None)  # unreadable: not trusted
    past = time.time() - 10
    os.utime(path, (past, past))
    assert not racy(os.stat(path))
    assert not identity_matches(plain, os.stat(path), lambda: None)  # the utime changed the ctime
    json.dumps(recorded)  # stored as text in the index's meta table
