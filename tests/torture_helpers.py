"""Shared helpers for the torture tests (test_reliability, test_hostile, test_properties).

Nothing here changes factcli. Three test-only hooks are injected into *child*
processes through a ``sitecustomize`` module put on their PYTHONPATH:

* ``FACTCLI_TEST_NOW``: ``factcli.store.journal.now`` returns this fixed timestamp, so a
  write is byte-for-byte reproducible and "the new state" of a killed write can
  be compared exactly with the bytes of the same write run to completion;
* ``FACTCLI_TEST_KILL_AT_CHUNK=k``: SIGKILL after the k-th 1 MiB chunk of the
  temp file (FACTCLI_CRASH_AT=writing only reaches the first);
* ``FACTCLI_TEST_SIGINT_AT=step``: send SIGINT (Ctrl-C) to itself at a store
  checkpoint, to aim an interrupt inside the write window.

The last two wrap the store's own test hook (``_checkpoint``); the write path is untouched.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .conftest import ROOT, factcli_command

MiB = 1 << 20
FIXED_NOW = "2025-07-03T12:00:00Z"

_SITECUSTOMIZE = r"""
import os as _os
_now = _os.environ.get("FACTCLI_TEST_NOW")
_chunk = _os.environ.get("FACTCLI_TEST_KILL_AT_CHUNK")
_sigint = _os.environ.get("FACTCLI_TEST_SIGINT_AT")
if _now or _chunk or _sigint:
    import factcli.store  # noqa: F401  (loads the JSON file backend's modules)
    import factcli.store.journal  # noqa: F401  (the clock of every write, loaded only by writes)
    import factcli.store.jsonfile.change  # noqa: F401
    import sys as _sys
    _modules = [_sys.modules[n] for n in list(_sys.modules) if n.startswith("factcli.store.")]
    if _now:
        for _m in _modules:
            if hasattr(_m, "now"):
                _m.now = lambda: _now
    if _chunk or _sigint:
        from factcli.store.jsonfile import atomic as _atomic
        _original = _atomic._checkpoint
        _count = [0]

        def _checkpoint(step):
            if _chunk and step == "writing":
                _count[0] += 1
                if _count[0] == int(_chunk):
                    _os.kill(_os.getpid(), 9)
            if _sigint and step == _sigint:
                import signal
                _os.kill(_os.getpid(), signal.SIGINT)
            _original(step)

        for _m in _modules:
            if hasattr(_m, "_checkpoint"):
                _m._checkpoint = _checkpoint
"""

_HOOK_DIR: Path | None = None


def hook_dir() -> Path:
    """A directory holding the sitecustomize hook (written once per test run)."""
    global _HOOK_DIR
    if _HOOK_DIR is None:
        _HOOK_DIR = Path(tempfile.mkdtemp(prefix="factcli-hook-"))
        atexit.register(shutil.rmtree, _HOOK_DIR, True)
        os.chmod(_HOOK_DIR, 0o755)  # readable by the unprivileged user too
        (_HOOK_DIR / "sitecustomize.py").write_text(_SITECUSTOMIZE)
        os.chmod(_HOOK_DIR / "sitecustomize.py", 0o644)
    return _HOOK_DIR


def child_env(now: str | None = FIXED_NOW, **extra: str) -> dict[str, str]:
    """The environment of a factcli child process: the hooks, no crash unless asked."""
    env = dict(os.environ)
    for key in (
        "FACTCLI_CRASH_AT",
        "FACTCLI_TEST_KILL_AT_CHUNK",
        "FACTCLI_TEST_SIGINT_AT",
        "FACTCLI_TEST_NOW",
        "PYTHONUNBUFFERED",
    ):
        env.pop(key, None)
    env["PYTHONPATH"] = os.pathsep.join([str(hook_dir()), str(ROOT)])
    if now:
        env["FACTCLI_TEST_NOW"] = now
    env.update(extra)
    return env


def cli(
    *args, env: dict | None = None, input: bytes | None = None, timeout: float = 120, **kwargs
) -> subprocess.CompletedProcess:
    """The installed factcli in a subprocess; args may be str or raw bytes."""
    return subprocess.run(
        factcli_command() + [a if isinstance(a, bytes) else str(a) for a in args],
        input=input,
        capture_output=True,
        env=env if env is not None else child_env(),
        timeout=timeout,
        **kwargs,
    )


def temp_files(db: Path) -> list[Path]:
    """Temp files a writer of ``db`` leaves behind (``.NAME.tmp-PID``)."""
    prefix = f".{db.name}.tmp-"
    return sorted(p for p in db.parent.iterdir() if p.name.startswith(prefix))


def assert_one_error_line(stderr: bytes | str, *, contains: tuple[str, ...] = ()) -> str:
    """stderr is exactly one line, starts with 'factcli: ', has no traceback."""
    text = stderr.decode("utf-8", "replace") if isinstance(stderr, bytes) else stderr
    assert "Traceback" not in text, text[-2000:]
    assert text.endswith("\n") and text.count("\n") == 1, repr(text[-2000:])
    assert text.startswith("factcli: "), repr(text[:300])
    for part in contains:
        assert part in text, (part, text[:500])
    return text


# Bytes that act on a terminal: C0 controls except tab and newline, DEL, and
# the UTF-8 forms of C1 controls, bidi embeddings/overrides/isolates, line and
# paragraph separators and encoded surrogates.
_RAW_CONTROL = re.compile(
    rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae\xa8\xa9]|\xe2\x81[\xa6-\xa9]|\xed[\xa0-\xbf]"
)


def raw_controls(data: bytes) -> list[bytes]:
    """Every control/bidi sequence in output bytes (empty when safe to print)."""
    return _RAW_CONTROL.findall(data)


_SGR = re.compile(rb"\x1b\[[0-9;]*m")


def terminal_output(args: list[str], env: dict | None = None, columns: int = 250) -> bytes:
    """Run factcli on a pseudo-terminal (script(1)); its output bytes, SGR colour codes removed.

    Rich colours a terminal with SGR sequences (ESC [ … m); what remains must be text.
    """
    import shlex

    command = " ".join(shlex.quote(a) for a in factcli_command() + args)
    full = dict(env if env is not None else child_env())
    full.update(COLUMNS=str(columns), LINES="50", TERM="xterm-256color")
    result = subprocess.run(["script", "-qec", command, "/dev/null"], capture_output=True, env=full, timeout=60)
    out = _SGR.sub(b"", result.stdout)
    return out.replace(b"\r\n", b"\n")


# ------------------------------------------------------------------ databases


def fact_row(i: int, **extra) -> dict:
    row = {
        "who": f"Actor number {i}",
        "what": f"did thing number {i} " + "lorem ipsum dolor sit amet " * 10,
        "when": f"{2000 + i % 25}-{1 + i % 12:02d}",
        "country": ["AFG"],
        "sources": [{"url": f"https://example.org/{i}", "published": "2024-01-01"}],
        "note": "",
    }
    row.update(extra)
    return row


def write_jsonl(path: Path, rows) -> Path:
    with open(path, "w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    return path


def big_database_rows(regular: int = 3000):
    """Rows of the crash-test database, in id order:

    1-50 carry a 9,000-character note (an edit clearing them shrinks the file);
    51-52 carry 100 sources with 9,000-character quotes, ~1 MB each (rm shrinks);
    53-… are ordinary facts.
    """
    for i in range(1, 51):
        yield fact_row(i, who=f"Annotator {i}", note=f"note {i} " + "n" * 9000)
    for i in (51, 52):
        sources = [
            {
                "url": f"https://example.org/heavy/{i}/{j}",
                "quote": f"quote {j} " + "q" * 9000,
                "published": "2024-01-01",
            }
            for j in range(100)
        ]
        yield fact_row(i, who=f"Heavy {i}", sources=sources)
    for i in range(53, 53 + regular):
        yield fact_row(i)


def build_database(path: Path, rows, env: dict | None = None) -> bytes:
    """Build a database the way a user would: `factcli --db PATH import FILE`."""
    source = write_jsonl(path.with_name(path.name + ".rows.jsonl"), rows)
    result = cli("--db", path, "import", source, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    source.unlink()
    return path.read_bytes()


def count_facts(data: bytes) -> int:
    return len(json.loads(data)["facts"])


# ------------------------------------------------------------------ concurrency workers

# Each worker is its own process; it runs factcli's real entry point (main) in a
# loop, so 400 adds do not pay 400 interpreter start-ups.
WRITER = r"""
import contextlib, io, json, sys
from factcli.cli import main
db, n, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
results = []
for i in range(count):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["--db", db, "add", "--who", f"Writer {n}", "--what", f"fact {i} of writer {n}",
                  "--when", "2025-07-03", "--country", "FR", "--source", "https://example.org/w"])
            code = 0
        except SystemExit as exc:
            code = exc.code
    results.append([code, out.getvalue(), err.getvalue()])
print(json.dumps(results))
"""

READER = r"""
import contextlib, io, json, os, sys
from factcli.cli import main
db, stop = sys.argv[1], sys.argv[2]
reads, errors, counts = 0, [], []
while True:
    last = os.path.exists(stop)  # one more read after the writers are done
    for args in (["export"], ["search", "--format", "tsv", "--fields", "id"]):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(["--db", db] + args)
                code = 0
            except SystemExit as exc:
                code = exc.code
            except BaseException as exc:
                code = repr(exc)
        reads += 1
        if args[0] == "search" and code == 1 and err.getvalue() == "factcli: no fact matches\n":
            continue  # an empty database: nothing matches, which is not an error
        if code != 0 or err.getvalue():
            errors.append([args[0], code, err.getvalue()[-500:]])
            continue
        if args[0] == "export":
            try:
                ids = [json.loads(line)["id"] for line in out.getvalue().splitlines()]
            except ValueError as exc:
                errors.append(["export", "bad json", str(exc)])
                continue
            if len(ids) != len(set(ids)):
                errors.append(["export", "duplicate ids", len(ids)])
            counts.append(len(ids))
    if last:
        break
print(json.dumps({"reads": reads, "errors": errors, "counts": counts}))
"""


def python_worker(code: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *map(str, args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=child_env(now=None),
        cwd=str(ROOT),
    )


def wait_for(predicate, timeout: float = 30.0, interval: float = 0.0005) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def interrupt(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGINT)
