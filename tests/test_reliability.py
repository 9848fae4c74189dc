"""Torture tests of the store (issue 4): concurrency, crashes, I/O faults, bad files.

What a user trusts a database for is that it never loses what they gave it:
after any crash or failed write the file holds exactly the old or the new
state, byte for byte, and the next command works.

The hundreds of crash trials are marked slow: ``pytest -m slow tests/test_reliability.py``.
"""

from __future__ import annotations

import errno
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from factcli.store.jsonfile.file import meta_of

from .conftest import add_args, add_fact, factcli_command, factcli_run
from .torture_helpers import (
    MiB,
    READER,
    WRITER,
    assert_one_error_line,
    big_database_rows,
    build_database,
    child_env,
    cli,
    count_facts,
    fact_row,
    python_worker,
    temp_files,
    write_jsonl,
)

IS_ROOT = os.geteuid() == 0
NOBODY = 65534
needs_root = pytest.mark.skipif(
    not IS_ROOT, reason="mounting a tmpfs and dropping privileges need root (CI runs as root)"
)
needs_setpriv = pytest.mark.skipif(
    not IS_ROOT or shutil.which("setpriv") is None, reason="needs root and setpriv(1) to run as an unprivileged user"
)


# ====================================================================== concurrency


def _concurrent_adds(tmp_path: Path, writers: int, per_writer: int, readers: int) -> None:
    db = tmp_path / "facts.json"
    created = cli("--db", db, "import", "-", input=b"")  # an empty database, so readers have a file
    assert created.returncode == 0, created.stderr
    assert count_facts(db.read_bytes()) == 0
    stop = tmp_path / "stop"
    reading = [python_worker(READER, db, stop) for _ in range(readers)]
    time.sleep(0.3)  # let the readers start before the first write
    writing = [python_worker(WRITER, db, n, per_writer) for n in range(writers)]
    results = []
    for process in writing:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()[-2000:]
        results.append(json.loads(out))
    stop.touch()
    reports = []
    for process in reading:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err.decode()[-2000:]
        reports.append(json.loads(out))

    total = writers * per_writer
    # every add succeeded, printed one id and nothing on stderr
    issued = []
    for n, batch in enumerate(results):
        assert len(batch) == per_writer
        for code, out, err in batch:
            assert (code, err) == (0, ""), (n, code, err)
            issued.append(out.strip())
    assert len(issued) == len(set(issued)) == total
    # the file holds exactly those facts, ids 1..total, each writer's facts all there
    data = json.loads(db.read_bytes())
    ids = [doc["id"] for doc in data["facts"].values()]
    assert sorted(ids, key=int) == [str(i) for i in range(1, total + 1)]
    assert set(ids) == set(issued)
    whos = Counter(doc["who"] for doc in data["facts"].values())
    assert whos == {f"Writer {n}": per_writer for n in range(writers)}
    assert meta_of(data)["next_id"] == total + 1
    assert temp_files(db) == []
    # the readers never saw an error or a broken file, and saw the writes happen
    for report in reports:
        assert report["errors"] == []
        counts = report["counts"]
        assert counts == sorted(counts), "a reader saw facts disappear"
        assert counts[-1] == total
    seen = {c for report in reports for c in report["counts"]}
    assert any(0 < c < total for c in seen), "the readers never read during the writes"
    check = cli("--db", db, "check", db)
    assert check.returncode == 0, check.stdout.decode()[-2000:]
    print(
        f"\nconcurrency: {writers}x{per_writer} adds kept {len(ids)} facts; "
        f"{sum(r['reads'] for r in reports)} concurrent reads, 0 errors"
    )


def test_eight_writers_lose_nothing_while_readers_read(tmp_path):
    """8 processes × 50 adds = exactly 400 facts, unique ids; 2 readers never see an error."""
    _concurrent_adds(tmp_path, writers=8, per_writer=50, readers=2)


@pytest.mark.slow
def test_eight_writers_as_separate_commands(tmp_path):
    """The same with 400 separate `factcli add` commands and `factcli export` readers."""
    from concurrent.futures import ThreadPoolExecutor

    db = tmp_path / "facts.json"
    assert cli("--db", db, "import", "-", input=b"").returncode == 0
    done = []

    def writer(n):
        ids = []
        for i in range(50):
            r = cli(
                "--db", db, "add", "--who", f"Writer {n}", "--what", f"fact {i}", "--country", "FR", "--source", "s"
            )
            assert (r.returncode, r.stderr) == (0, b""), r.stderr
            ids.append(r.stdout.decode().strip())
        return ids

    def reader():
        reads = 0
        counts = []
        while not done:
            r = cli("--db", db, "export")
            assert (r.returncode, r.stderr) == (0, b""), r.stderr
            counts.append(len([json.loads(line) for line in r.stdout.splitlines()]))
            reads += 1
        return counts

    with ThreadPoolExecutor(10) as pool:
        readers = [pool.submit(reader) for _ in range(2)]
        ids = [i for batch in pool.map(writer, range(8)) for i in batch]
        done.append(True)
        counts = [f.result() for f in readers]
    assert len(ids) == len(set(ids)) == 400
    stored = [doc["id"] for doc in json.loads(db.read_bytes())["facts"].values()]
    assert sorted(stored, key=int) == sorted(ids, key=int) == [str(i) for i in range(1, 401)]
    for c in counts:
        assert c == sorted(c)


def test_writers_waiting_on_the_lock_survive_a_writer_killed_among_them(tmp_path):
    """Three writers queue on a held lock; one is killed mid-write; the others land."""
    import fcntl

    db = tmp_path / "facts.json"
    first = cli("--db", db, "add", "--who", "Alpha", "--what", "first", "--country", "FR", "--source", "s")
    assert first.returncode == 0
    lock = os.open(db.with_name(db.name + ".lock"), os.O_RDWR)
    fcntl.flock(lock, fcntl.LOCK_EX)
    procs = []
    for i, crash in enumerate(["", "temp-written", ""]):
        env = child_env(**({"FACTCLI_CRASH_AT": crash} if crash else {}))
        procs.append(
            subprocess.Popen(
                factcli_command()
                + [
                    "--db",
                    str(db),
                    "add",
                    "--who",
                    f"Queued {i}",
                    "--what",
                    "waits",
                    "--country",
                    "FR",
                    "--source",
                    "s",
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
        )
    time.sleep(0.5)
    assert all(p.poll() is None for p in procs), "the writers did not wait for the lock"
    fcntl.flock(lock, fcntl.LOCK_UN)
    os.close(lock)
    codes = [p.wait(timeout=60) for p in procs]
    assert codes == [0, -signal.SIGKILL, 0]
    last = cli("--db", db, "add", "--who", "Omega", "--what", "last", "--country", "FR", "--source", "s")
    assert last.returncode == 0
    whos = sorted(doc["who"] for doc in json.loads(db.read_bytes())["facts"].values())
    assert whos == ["Alpha", "Omega", "Queued 0", "Queued 2"]
    assert temp_files(db) == []


# ====================================================================== crashes

GROW_ROWS = 1200
LONG_NOTE = "grown " + "g" * 9000

OPS: dict[str, list[str]] = {
    # name: arguments after --db; "{grow}" is the import file
    "add": add_args(
        who="Crash tester",
        what="added during a crash trial",
        when="2025-07-03",
        country=("FR",),
        source="https://example.org/crash",
    ),
    "import": ["import", "{grow}"],
    "edit-grow": ["edit", *map(str, range(53, 93)), "--note", LONG_NOTE],
    "edit-shrink": ["edit", *map(str, range(1, 51)), "--note", ""],
    "rm": ["rm", "51", "52", "--yes"],
    "undo": ["undo"],  # of the import that built the file: the write that shrinks it
}
# The journal keeps what a write replaced, so an edit that empties notes and a removal
# grow the file too; undoing the base's import shrinks it to nothing but its tables.
GROWS = {"add": True, "import": True, "edit-grow": True, "edit-shrink": True, "rm": True, "undo": False}


@dataclass
class CrashBase:
    directory: Path
    old: bytes
    grow_file: Path
    new: dict[str, bytes] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def args(self, op: str) -> list[str]:
        return [a.replace("{grow}", str(self.grow_file)) for a in OPS[op]]

    def reference(self, op: str) -> bytes:
        """The bytes the op writes when it runs to completion (fixed clock)."""
        if op not in self.new:
            work = Path(tempfile.mkdtemp(dir=self.directory))
            db = work / "facts.json"
            db.write_bytes(self.old)
            start = time.monotonic()
            result = cli("--db", db, *self.args(op))
            self.seconds[op] = time.monotonic() - start
            assert result.returncode == 0, result.stderr[-2000:]
            self.new[op] = db.read_bytes()
            assert (len(self.new[op]) > len(self.old)) == GROWS[op], (op, len(self.old), len(self.new[op]))
            shutil.rmtree(work)
        return self.new[op]


@pytest.fixture(scope="session")
def crash_base(tmp_path_factory) -> CrashBase:
    """A ~4.5 MB database built once with `factcli --db X import`, and a file to grow it."""
    directory = tmp_path_factory.mktemp("crash-base")
    old = build_database(directory / "facts.json", big_database_rows())
    assert len(old) > 4 * MiB and count_facts(old) == 3052
    grow = write_jsonl(directory / "grow.jsonl", (fact_row(i, who=f"Newcomer {i}") for i in range(GROW_ROWS)))
    return CrashBase(directory, old, grow)


@dataclass(frozen=True)
class Kill:
    kind: str  # "step" (FACTCLI_CRASH_AT), "chunk" (after the k-th MiB) or "random" (after a delay)
    value: object

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


EXPECT_OLD_STEPS = ("locked", "before-write", "writing", "temp-written")


def crash_trial(base: CrashBase, op: str, kill: Kill, work: Path) -> str:
    """Kill one write; check the file is exactly old or new; check the next command. Returns the outcome."""
    old, new = base.old, base.reference(op)
    work.mkdir(parents=True, exist_ok=True)
    db = work / "facts.json"
    db.write_bytes(old)
    env = child_env()
    if kill.kind == "step":
        env["FACTCLI_CRASH_AT"] = str(kill.value)
    elif kill.kind == "chunk":
        env["FACTCLI_TEST_KILL_AT_CHUNK"] = str(kill.value)
    process = subprocess.Popen(
        factcli_command() + ["--db", str(db), *base.args(op)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if kill.kind == "random":
        time.sleep(float(kill.value))  # type: ignore[arg-type]
        process.kill()
    _, err = process.communicate(timeout=120)
    code = process.returncode
    after = db.read_bytes()
    leftovers = temp_files(db)

    # 1. the file is exactly the old or the new state
    assert (
        after == old or after == new
    ), f"{op} {kill}: the file is neither the old nor the new state ({len(after)} bytes)"
    state = "old" if after == old else "new"
    if kill.kind in ("step", "chunk"):
        assert code == -signal.SIGKILL, f"{op} {kill}: the aimed kill did not happen (exit {code}: {err[-300:]!r})"
        expected = "new" if kill.value in ("replaced", "index-update") else "old"
        assert state == expected, f"{op} {kill}: expected the {expected} state"
        # the kill landed where it was aimed: the temp file shows how far the write got
        if kill.value == "writing" or kill.kind == "chunk":
            chunks = 1 if kill.value == "writing" else int(kill.value)  # type: ignore[arg-type]
            assert [p.stat().st_size for p in leftovers] == [min(chunks * MiB, len(new))]
        elif kill.value == "temp-written":
            assert len(leftovers) == 1 and leftovers[0].read_bytes() == new
        else:
            assert leftovers == []
    else:
        assert code in (0, -signal.SIGKILL), (code, err[-500:])
        if code == 0:
            assert state == "new" and err in (
                b"",
                b"factcli: imported 1200 fact(s) (3053\xe2\x80\xa64252); 0 already present; 0 skipped\n",
            )

    # 2. the stale lock and temp file neither block nor corrupt the next command
    start = time.monotonic()
    if state == "old":
        again = cli("--db", db, *base.args(op))  # the same write, now to completion
        assert again.returncode == 0, again.stderr[-1000:]
        assert db.read_bytes() == new
    else:
        again = cli(
            "--db",
            db,
            "add",
            "--who",
            "Recovery",
            "--what",
            "written after the crash",
            "--country",
            "FR",
            "--source",
            "s",
        )
        assert again.returncode == 0, again.stderr[-1000:]
        assert count_facts(db.read_bytes()) == count_facts(new) + 1
    assert time.monotonic() - start < 30, "the next write waited on a stale lock"
    assert temp_files(db) == []
    # 3. what search answers (through the derived index of a large file) is what the file holds
    listed = cli("--db", db, "search", "--fields", "id")
    stored = {doc["id"] for doc in json.loads(db.read_bytes())["facts"].values()}
    assert listed.returncode == (0 if stored else 1), listed.stderr[-1000:]  # an undone import leaves none
    assert set(listed.stdout.decode().split()) == stored
    where = "in-write" if leftovers else ("completed" if code == 0 else "outside-write")
    return f"{state}/{where}"


DEFAULT_TRIALS = [
    ("import", Kill("step", "writing")),
    ("rm", Kill("chunk", 2)),
    ("edit-shrink", Kill("step", "temp-written")),
    ("edit-grow", Kill("step", "index-update")),
    ("add", Kill("step", "replaced")),
    ("add", Kill("step", "locked")),
]


@pytest.mark.parametrize("op,kill", DEFAULT_TRIALS, ids=[f"{op}-{kill}" for op, kill in DEFAULT_TRIALS])
def test_a_killed_write_leaves_the_old_or_the_new_file(crash_base, tmp_path, op, kill):
    crash_trial(crash_base, op, kill, tmp_path / "trial")


def test_random_kills_of_a_shrinking_write(crash_base, tmp_path):
    """Kills at random times (seeded), most in the last part of the run, where the write is."""
    crash_base.reference("rm")
    rng = random.Random(4)
    seconds = crash_base.seconds["rm"]
    outcomes = Counter(
        crash_trial(crash_base, "rm", Kill("random", round(rng.uniform(0.5, 1.1) * seconds, 4)), tmp_path / f"t{i}")
        for i in range(2)
    )
    assert sum(outcomes.values()) == 2


def _slow_kills(base: CrashBase, op: str, rng: random.Random) -> list[Kill]:
    chunks = math.ceil(len(base.reference(op)) / MiB)
    seconds = base.seconds[op]
    kills = [Kill("step", s) for s in (*EXPECT_OLD_STEPS, "replaced", "index-update") for _ in range(2)]
    kills += [Kill("chunk", k) for k in range(2, chunks + 1)]
    kills += [Kill("random", round(rng.uniform(0, 1.15) * seconds, 4)) for _ in range(15)]  # anywhere
    kills += [Kill("random", round(rng.uniform(0.6, 1.1) * seconds, 4)) for _ in range(15)]  # near the write
    return kills


@pytest.mark.slow
@pytest.mark.parametrize("op", list(OPS))
def test_hundreds_of_kills(crash_base, tmp_path, op):
    rng = random.Random(f"factcli-{op}")
    kills = _slow_kills(crash_base, op, rng)
    outcomes: Counter[str] = Counter()
    for i, kill in enumerate(kills):
        outcomes[crash_trial(crash_base, op, kill, tmp_path / f"t{i}")] += 1
        shutil.rmtree(tmp_path / f"t{i}")
    print(
        f"\ncrash trials {op}: {sum(outcomes.values())} trials, "
        f"file {len(crash_base.old)} -> {len(crash_base.reference(op))} bytes: {dict(outcomes)}"
    )
    assert sum(outcomes.values()) == len(kills)


def test_stale_temp_file_of_a_database_with_glob_characters_in_its_name_is_cleaned(tmp_path):
    db = tmp_path / "facts[1].json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    killed = cli(
        "--db",
        db,
        "add",
        "--who",
        "Alpha",
        "--what",
        "two",
        "--country",
        "FR",
        "--source",
        "s",
        env=child_env(FACTCLI_CRASH_AT="temp-written"),
    )
    assert killed.returncode == -signal.SIGKILL and len(temp_files(db)) == 1
    assert (
        cli("--db", db, "add", "--who", "Alpha", "--what", "three", "--country", "FR", "--source", "s").returncode == 0
    )
    assert temp_files(db) == []


def test_a_live_writer_of_another_database_keeps_its_temp_file(tmp_path):
    """Cleaning stale temp files of one database never touches another's."""
    other = tmp_path / "other.json"
    assert (
        cli("--db", other, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    )
    foreign = tmp_path / ".other.json.tmp-424242"
    foreign.write_bytes(b"another database's write in progress")
    mine = tmp_path / "*.json"
    assert (
        cli("--db", mine, "add", "--who", "Alpha", "--what", "mine", "--country", "FR", "--source", "s").returncode == 0
    )
    assert foreign.exists()


def test_a_symlinked_database_is_written_through_the_link(tmp_path):
    real = tmp_path / "real.json"
    link = tmp_path / "link.json"
    assert (
        cli("--db", real, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    )
    link.symlink_to(real.name)
    assert (
        cli("--db", link, "add", "--who", "Alpha", "--what", "two", "--country", "FR", "--source", "s").returncode == 0
    )
    assert link.is_symlink()
    assert count_facts(real.read_bytes()) == 2


def test_a_write_keeps_the_file_mode(tmp_path):
    db = tmp_path / "facts.json"
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s").returncode == 0
    os.chmod(db, 0o664)
    assert cli("--db", db, "add", "--who", "Alpha", "--what", "two", "--country", "FR", "--source", "s").returncode == 0
    assert db.stat().st_mode & 0o777 == 0o664


# ====================================================================== I/O faults


def _path_of(fd: int) -> str:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return ""


def _oserror(code: int) -> OSError:
    return OSError(code, os.strerror(code))


@pytest.fixture
def big_db(crash_base, db):
    db.write_bytes(crash_base.old)
    return db


FAULTS = {
    # name: (what to patch, errno, the reason the error line gives)
    "write-enospc-first-chunk": ("write", 1, errno.ENOSPC, "the disk is full"),
    "write-enospc-third-chunk": ("write", 3, errno.ENOSPC, "the disk is full"),
    "write-edquot": ("write", 2, errno.EDQUOT, os.strerror(errno.EDQUOT)),
    "write-eio": ("write", 2, errno.EIO, os.strerror(errno.EIO)),
    "fsync-eio": ("fsync", 1, errno.EIO, os.strerror(errno.EIO)),
    "fsync-enospc": ("fsync", 1, errno.ENOSPC, "the disk is full"),
    "replace-enospc": ("replace", 1, errno.ENOSPC, "the disk is full"),
    "replace-erofs": ("replace", 1, errno.EROFS, os.strerror(errno.EROFS)),
    "open-temp-eacces": ("open", 1, errno.EACCES, os.strerror(errno.EACCES)),
    "open-temp-erofs": ("open", 1, errno.EROFS, os.strerror(errno.EROFS)),
    "open-temp-enospc": ("open", 1, errno.ENOSPC, "the disk is full"),
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_injected_write_fault_keeps_the_old_data(run, big_db, crash_base, monkeypatch, fault):
    """A failing write, fsync, replace or open: exit 4, one line, old bytes, no temp file."""
    target, nth, code, reason = FAULTS[fault]
    calls = Counter()
    real = {name: getattr(os, name) for name in ("write", "fsync", "replace", "open")}

    def is_temp(path) -> bool:  # the database's temp file (not the index's)
        return os.path.basename(os.fsdecode(path)).startswith(f".{big_db.name}.tmp-")

    def write(fd, data):
        if target == "write" and is_temp(_path_of(fd)):
            calls["write"] += 1
            if calls["write"] >= nth:
                raise _oserror(code)
        return real["write"](fd, data)

    def fsync(fd):
        if target == "fsync" and is_temp(_path_of(fd)):
            raise _oserror(code)
        return real["fsync"](fd)

    def replace(src, dst, *a, **k):
        if target == "replace" and is_temp(src):
            raise _oserror(code)
        return real["replace"](src, dst, *a, **k)

    def open_(path, flags, *a, **k):
        if target == "open" and is_temp(path):
            raise _oserror(code)
        return real["open"](path, flags, *a, **k)

    monkeypatch.setattr(os, "write", write)
    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "open", open_)
    result = run(*crash_base.args("add"))
    assert result.exit_code == 4, result.output
    assert_one_error_line(result.stderr, contains=(f"cannot write {big_db}: {reason}; the old data is intact",))
    assert big_db.read_bytes() == crash_base.old
    assert temp_files(big_db) == []
    if target == "write":
        assert calls["write"] == nth  # the fault struck where it was aimed
    for name, function in real.items():
        monkeypatch.setattr(os, name, function)
    assert run("rm", "51", "--yes").exit_code == 0  # the next write works


def test_short_writes_still_write_everything(run, big_db, crash_base, monkeypatch):
    """os.write may write less than asked; the file must still be complete."""
    real_write = os.write

    def short(fd, data):
        if os.path.basename(_path_of(fd)).startswith(f".{big_db.name}.tmp-"):
            return real_write(fd, bytes(data[:65521]))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", short)
    assert run(*crash_base.args("edit-shrink")).exit_code == 0
    monkeypatch.setattr(os, "write", real_write)
    data = json.loads(big_db.read_bytes())
    assert count_facts(big_db.read_bytes()) == 3052 and data["facts"]["1"]["note"] == ""


def test_lock_that_cannot_be_opened_is_a_write_error(run, db, monkeypatch):
    add_fact(run, what="first")
    before = db.read_bytes()
    real_open = os.open

    def open_(path, flags, *a, **k):
        if os.fsdecode(path).endswith(".lock"):
            raise _oserror(errno.EROFS)
        return real_open(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", open_)
    result = run("add", "--who", "x", "--what", "second", "--country", "FR", "--source", "s")
    assert result.exit_code == 4
    assert_one_error_line(result.stderr, contains=(f"cannot lock {db}: Read-only file system; nothing was written",))
    assert db.read_bytes() == before


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a small tmpfs (root only); yields a function mount(size, inodes) -> dir."""
    if not IS_ROOT or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    mounted = []

    def mount(size: str, inodes: int | None = None) -> Path:
        point = tmp_path / f"fs{len(mounted)}"
        point.mkdir()
        options = f"size={size}" + (f",nr_inodes={inodes}" if inodes else "")
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _fill(directory: Path) -> Path:
    """Fill a file system to the last byte."""
    filler = directory / "filler"
    with open(filler, "wb", buffering=0) as out:
        block = b"\0" * 65536
        try:
            while True:
                out.write(block)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
        try:
            while True:
                out.write(b"\0")
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler


@needs_root
@pytest.mark.parametrize("how", ["temp-does-not-fit", "disk-100%-full", "no-inodes-left"])
def test_disk_full_on_a_real_file_system(tmpfs, crash_base, how):
    """A real ENOSPC from a tmpfs, for add, edit, rm and import: exit 4, old bytes, no temp."""
    if how == "no-inodes-left":
        directory = tmpfs("16m", inodes=3)  # the root, the database, its lock file
    else:
        directory = tmpfs(f"{(len(crash_base.old) + MiB) // 1024}k")  # the database fits, a second copy does not
    db = directory / "facts.json"
    db.write_bytes(crash_base.old)
    db.with_name(db.name + ".lock").touch()
    filler = _fill(directory) if how == "disk-100%-full" else None
    for op in ("add", "import", "rm"):
        result = cli("--db", db, *crash_base.args(op))
        assert result.returncode == 4, (op, result.stderr)
        assert_one_error_line(result.stderr, contains=(f"cannot write {db}: the disk is full; the old data is intact",))
        assert db.read_bytes() == crash_base.old
        assert temp_files(db) == []
    # room again: the next write works
    if filler:
        filler.unlink()
    subprocess.run(["mount", "-o", "remount,size=16m,nr_inodes=64", str(directory)], check=True)
    result = cli("--db", db, *crash_base.args("rm"))
    assert result.returncode == 0, result.stderr
    assert db.read_bytes() == crash_base.reference("rm")
    assert temp_files(db) == []


@needs_root
def test_read_only_file_system(tmpfs, crash_base):
    directory = tmpfs("16m")
    db = directory / "facts.json"
    db.write_bytes(crash_base.old)
    for with_lock in (False, True):
        if with_lock:
            subprocess.run(["mount", "-o", "remount,rw", str(directory)], check=True)
            db.with_name(db.name + ".lock").touch()
        subprocess.run(["mount", "-o", "remount,ro", str(directory)], check=True)
        result = cli("--db", db, *crash_base.args("add"))
        assert result.returncode == 4, result.stderr
        assert_one_error_line(
            result.stderr, contains=(f"cannot lock {db}: Read-only file system; nothing was written",)
        )
        assert db.read_bytes() == crash_base.old
        read = cli("--db", db, "search", "Annotator 7", "--fields", "id")
        assert (read.returncode, read.stdout) == (0, b"7\n")


def _as_nobody(*args, env=None) -> subprocess.CompletedProcess:
    """factcli run as the unprivileged user nobody (root ignores file permissions)."""
    return subprocess.run(
        ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *factcli_command(), *map(str, args)],
        capture_output=True,
        env=env or child_env(),
        timeout=120,
    )


@pytest.fixture
def public_dir():
    """A directory an unprivileged user can reach (pytest's tmp dirs are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="factcli-ro-"))
    os.chmod(path, 0o755)
    yield path
    for p in path.rglob("*"):
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    shutil.rmtree(path, ignore_errors=True)


def _small_db(directory: Path) -> bytes:
    db = directory / "facts.json"
    result = cli("--db", db, "add", "--who", "Alpha", "--what", "one", "--country", "FR", "--source", "s")
    assert result.returncode == 0
    return db.read_bytes()


@needs_setpriv
@pytest.mark.parametrize("case", ["read-only-directory", "read-only-directory-no-lock-file", "another-users-directory"])
def test_permission_denied_for_an_unprivileged_user(public_dir, case):
    data = public_dir / "data"
    data.mkdir()
    old = _small_db(data)
    db = data / "facts.json"
    if case == "read-only-directory-no-lock-file":
        db.with_name(db.name + ".lock").unlink()
    if case != "another-users-directory":
        os.chown(data, NOBODY, NOBODY)
        os.chown(db, NOBODY, NOBODY)
        if db.with_name(db.name + ".lock").exists():
            os.chown(db.with_name(db.name + ".lock"), NOBODY, NOBODY)
        os.chmod(data, 0o555)
    reason = "cannot lock" if case != "read-only-directory" else "cannot write"
    for args in (
        ["add", "--who", "Beta", "--what", "two", "--country", "FR", "--source", "s"],
        ["rm", "1", "--yes"],
        ["edit", "1", "--note", "x"],
    ):
        result = _as_nobody("--db", db, *args)
        assert result.returncode == 4, (case, args, result.stderr)
        assert_one_error_line(result.stderr, contains=(f"{reason} {db}: Permission denied;",))
        assert db.read_bytes() == old
        assert temp_files(db) == []
    read = _as_nobody("--db", db, "search", "--fields", "id")
    assert (read.returncode, read.stdout) == (0, b"1\n")


@needs_setpriv
def test_read_only_file_is_not_written(public_dir):
    data = public_dir / "data"
    data.mkdir()
    old = _small_db(data)
    db = data / "facts.json"
    for p in (data, db, db.with_name(db.name + ".lock")):
        os.chown(p, NOBODY, NOBODY)
    os.chmod(db, 0o444)
    result = _as_nobody("--db", db, "add", "--who", "Beta", "--what", "two", "--country", "FR", "--source", "s")
    assert db.read_bytes() == old
    assert result.returncode == 4
    assert_one_error_line(result.stderr, contains=(str(db),))


def test_missing_directory_for_db(run, tmp_path):
    target = tmp_path / "nowhere" / "facts.json"
    for args in (["add", "--who", "x", "--what", "y", "--country", "FR", "--source", "s"], ["import", "-"]):
        result = run("--db", str(target), *args, db=False, input="")
        assert result.exit_code == 4, result.output
        assert_one_error_line(
            result.stderr,
            contains=(f"cannot write {target}: directory {target.parent} does not exist; nothing was written",),
        )
        assert not target.parent.exists()


def test_user_data_directory_that_cannot_be_created(run_default, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocker / "data"))
    result = run_default("add", "--who", "x", "--what", "y", "--country", "FR", "--source", "s")
    assert result.exit_code == 4, result.output
    assert_one_error_line(result.stderr, contains=("cannot create", "nothing was written"))
    assert blocker.read_text() == "not a directory"


# ====================================================================== bad files

_FACT = {
    "id": "1",
    "who": "Alpha",
    "what": "one",
    "when": "2025",
    "when_start": "2025-01-01",
    "when_end": "2025-12-31",
    "country": ["FRA"],
    "tags": [],
    "sources": [{"url": "https://example.org"}],
    "note": "",
    "created": "",
    "updated": "",
}
_META = {"format": "factcli", "schema": 1, "id_prefix": "", "next_id": 2}


def _db(facts=None, meta=None, **tables) -> bytes:
    data = {
        "meta": {"1": _META if meta is None else meta},
        "facts": {"1": _FACT} if facts is None else facts,
        "aliases": {},
        "removed": {},
    }
    data.update(tables)
    return json.dumps(data).encode()


def _fact(**changes) -> dict:
    fact = dict(_FACT)
    for key, value in changes.items():
        if value is ...:
            del fact[key]
        else:
            fact[key] = value
    return fact


_VALID = _db()
BAD_FILES = {
    # name: (bytes, what the error line says)
    "empty": (b"", "is empty"),
    "whitespace": (b"  \n\t\n", "is empty"),
    "truncated-half": (_VALID[: len(_VALID) // 2], "not valid JSON"),
    "truncated-one-byte": (_VALID[:-1], "not valid JSON"),
    "not-json": (b"this is not json\n", "not valid JSON"),
    "binary": (bytes(range(256)) * 4, "not UTF-8"),
    "utf16": ('{"meta": {}}'.encode("utf-16"), "not UTF-8"),
    "trailing-garbage": (_VALID + b" garbage", "not valid JSON"),
    "nul-bytes": (b"\0" * 4096, "not valid JSON"),
    "json-list": (b"[1, 2, 3]", "not a TinyDB database"),
    "json-null": (b"null", "not a TinyDB database"),
    "json-string": (b'"facts"', "not a TinyDB database"),
    "facts-is-a-list": (
        b'{"meta": {"1": {"format": "factcli", "schema": 1, "next_id": 1}}, "facts": []}',
        "not a TinyDB database",
    ),
    "other-programs-tinydb": (
        b'{"_default": {"1": {"name": "a note from another program"}}}',
        "not a factcli database",
    ),
    "other-programs-facts-table": (b'{"facts": {"1": {"who": "x", "what": "y"}}}', "not a factcli database"),
    "meta-not-an-object": (b'{"meta": {"1": "factcli"}, "facts": {}}', "not a factcli database"),
    "newer-schema": (_db(meta=dict(_META, schema=99)), "newer factcli"),
    "schema-not-a-number": (_db(meta=dict(_META, schema="1")), "no valid schema version"),
    "fact-missing-who": (_db(facts={"1": _fact(who=...)}), "malformed"),
    "fact-missing-sources": (_db(facts={"1": _fact(sources=...)}), "malformed"),
    "fact-missing-id": (_db(facts={"1": _fact(id=...)}), "malformed"),
    "fact-missing-everything": (_db(facts={"1": {}}), "malformed"),
    "fact-not-an-object": (_db(facts={"1": "Alpha did one"}), "malformed"),
}

# Bad files that factcli once read by trusting each document (a traceback, a silent
# misreading, or a write into a file that other commands refuse); the store now
# checks every table's structure when it reads (store.structural_problems).
_TRUSTED = "BUG: the store checks only the keys of fact documents; "
BAD_FILES_BUGGY = {
    "document-key-not-a-number": (
        _db(facts={"one": _FACT}),
        "malformed",
        _TRUSTED
        + "a document keyed 'one' is refused by search but add/import die with ValueError (int('one')): a traceback, and check reports 0 errors",
    ),
    "source-not-an-object": (
        _db(facts={"1": _fact(sources=["https://example.org"])}),
        "malformed",
        _TRUSTED
        + "search refuses a source that is not an object, but add/import rewrite the file, and check reports 0 errors",
    ),
    "alias-without-name": (
        _db(aliases={"1": {"aliases": ["x"]}}),
        "malformed",
        _TRUSTED + "search refuses an alias without a name, but show/export read the file and add/edit/rm rewrite it",
    ),
    "deeply-nested-json": (
        b'{"meta": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "JSON",
        "BUG: deeply nested JSON raises RecursionError (parse_database catches only ValueError): a traceback",
    ),
    "meta-without-counter": (
        _db(meta={k: v for k, v in _META.items() if k != "next_id"}),
        "malformed",
        _TRUSTED
        + "a meta table without next_id is read; add/import die with KeyError (a traceback), edit/rm rewrite the file",
    ),
    "meta-counter-not-a-number": (
        _db(meta=dict(_META, next_id="2")),
        "malformed",
        _TRUSTED
        + 'next_id "2" (a string) is read; add/import die with TypeError (a traceback), edit/rm rewrite the file',
    ),
    "meta-key-not-a-number": (
        json.dumps({"meta": {"a": _META}, "facts": {"1": _FACT}}).encode(),
        "malformed",
        _TRUSTED
        + "a meta document keyed 'a' is read; add/import die with ValueError in meta_of (a traceback); check reports 0 errors",
    ),
    "who-not-text": (
        _db(facts={"1": _fact(who=5)}),
        "malformed",
        _TRUSTED
        + "Fact.from_stored trusts field types: who=5 crashes search (a traceback) while add rewrites the file",
    ),
    "id-not-text": (
        _db(facts={"1": _fact(id=1)}),
        "malformed",
        _TRUSTED
        + "Fact.from_stored trusts field types: id=1 crashes search and export (a traceback) while add rewrites the file",
    ),
    "when-not-text": (
        _db(facts={"1": _fact(when=2025)}),
        "malformed",
        _TRUSTED
        + "Fact.from_stored trusts field types: when=2025 (a number) crashes search and show (a traceback) while add rewrites the file",
    ),
    "when-without-span": (
        _db(facts={"1": _fact(when_start=None, when_end=None)}),
        "malformed",
        _TRUSTED
        + "a date without its stored span crashes search (None compared with str: a traceback) while add rewrites the file",
    ),
    "country-a-string": (
        _db(facts={"1": _fact(country="FRA")}),
        "malformed",
        _TRUSTED
        + 'country "FRA" is silently misread as the codes F, R, A (search, show, export) and add/rm rewrite the file',
    ),
}


def _assert_refused(run, db, content, says):
    db.write_bytes(content)
    commands = [
        ["search"],
        ["show", "1"],
        ["export"],
        ["add", "--who", "Beta", "--what", "two", "--country", "FR", "--source", "s"],
        ["edit", "1", "--note", "x"],
        ["rm", "1", "--yes"],
        ["import", "-"],
        ["alias", "add", "Alpha", "Alfa"],
    ]
    for args in commands:
        result = run(*args, input='{"who": "Gamma", "what": "three", "country": "FR", "sources": ["s"]}\n')
        assert result.exit_code == 3, (args, result.output)
        assert_one_error_line(result.stderr, contains=(str(db), says))
        assert db.read_bytes() == content, f"{args[0]} overwrote a file it cannot read"
    # check explains: the same line (exit 3), or the problems it found (exit 1)
    checked = run("check", str(db))
    assert checked.exit_code in (1, 3), checked.output
    if checked.exit_code == 3:
        assert_one_error_line(checked.stderr, contains=(str(db), says))
    else:
        errors = [line for line in checked.stdout.splitlines() if line.startswith(f"{db}: error: ")]
        assert errors, checked.stdout
        assert "Traceback" not in checked.stderr
    assert db.read_bytes() == content


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_bad_file_is_refused_by_name_and_never_overwritten(run, db, name):
    content, says = BAD_FILES[name]
    _assert_refused(run, db, content, says)


@pytest.mark.parametrize(
    "name",
    list(BAD_FILES_BUGGY),
)
def test_bad_file_once_trusted_is_refused_cleanly(run, db, name):
    content, says, _ = BAD_FILES_BUGGY[name]
    _assert_refused(run, db, content, says)


def test_big_database_cut_at_each_chunk_boundary_is_refused(run, db, crash_base):
    """What a naive in-place write leaves behind: the first k MiB of the file."""
    for k in range(1, math.ceil(len(crash_base.old) / MiB)):
        cut = crash_base.old[: k * MiB]
        db.write_bytes(cut)
        result = run("search", "Annotator")
        assert result.exit_code == 3
        assert_one_error_line(result.stderr, contains=(str(db), "not valid JSON", "it may be truncated"))
        assert db.read_bytes() == cut


def test_a_database_cut_inside_a_utf8_character_is_refused(run, db):
    add_fact(run, who="Zoran Milanović", country=("Croatia",))
    data = db.read_bytes()
    cut = data[: data.index("ć".encode()) + 1]  # half of a two-byte character
    db.write_bytes(cut)
    result = run("search")
    assert result.exit_code == 3
    assert_one_error_line(result.stderr, contains=(str(db), "not UTF-8"))
    assert db.read_bytes() == cut


def test_check_explains_facts_missing_required_fields(run, db):
    db.write_bytes(
        _db(facts={"1": _fact(who=...), "2": dict(_fact(what=..., sources=...), id="2")}, meta=dict(_META, next_id=3))
    )
    result = run("check", str(db))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{db}: error: 1: schema: missing field(s) who",
        f"{db}: error: 2: schema: missing field(s) what, sources",
        f"{db}: error: 2: no source: every fact needs at least one (a URL or a citation)",
    ]
    assert result.stderr == "factcli: checked 2 facts in 1 file(s): 3 error(s), 0 warning(s)\n"


def test_the_installed_packages_curated_facts_are_never_written(tmp_path):
    """--db naming the facts.json inside the installed package is refused (exit 4),
    as a read-only database; the repository's own facts.json stays writable."""
    # the package the installed command runs (not the checkout pytest may import from)
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "from factcli.paths import PACKAGE_DIR; print(PACKAGE_DIR)",
        ],
        capture_output=True,
        text=True,
        cwd="/",
        check=True,
    ).stdout.strip()
    data = Path(where) / "data"
    made = not data.exists()  # an editable install has no data folder: make one, as a wheel has
    if made:
        data.mkdir()
        shutil.copy(Path(__file__).resolve().parent.parent / "facts.json", data / "facts.json")
    try:
        target = data / "facts.json"
        before = target.read_bytes()
        for args in (
            add_args(who="X", what="y", when="2020", country=("FR",), source="https://a.example/b"),
            ["rm", "--yes", "c1"],
            ["alias", "add", "Vladimir Putin", "VVP"],
        ):
            result = factcli_run("--db", str(target), *args)
            assert result.returncode == 4, result.stderr
            assert_one_error_line(
                result.stderr.decode(), contains=("inside the installed factcli package, which is read-only",)
            )
        assert target.read_bytes() == before
        assert not (data / "facts.json.lock").exists()
    finally:
        if made:
            shutil.rmtree(data)
