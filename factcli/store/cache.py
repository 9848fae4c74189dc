"""Data derived from a database and cached between runs, valid only while the
database and the code that derived it are the same."""

from __future__ import annotations

import os
from typing import Any


MAX_CACHE_BYTES = 512 << 20  # a cache file larger than this is not one of ours


def _fnv1a(data: bytes) -> int:
    """A 32-bit FNV-1a hash: names a cache file after the paths it depends on
    (the file itself checks them; zlib.crc32 would cost 0.4 ms to import)."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def first_time(what: str) -> bool:
    """True the first time this user is told ``what`` (a key), never again: a marker in
    the cache directory, made atomically. False too when no marker can be made (a
    hint not kept is a hint not repeated on every command)."""
    from factcli.paths import user_dir

    folder = os.path.join(user_dir("cache"), "said")
    name = f"{_fnv1a(what.encode('utf-8', 'surrogateescape')):08x}"
    try:
        os.makedirs(folder, exist_ok=True)
        os.close(os.open(os.path.join(folder, name), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644))
    except OSError:
        return False
    return True


def code_stamp(*modules: str) -> tuple[tuple[int, int], ...]:
    """Size and modification time of factcli's modules that some cached data was
    derived by: a cache written by other code (an upgrade, an edit in a checkout)
    is then never used."""
    stamps = []
    for module in modules:
        st = os.stat(module_file(module))
        stamps.append((st.st_size, st.st_mtime_ns))
    return tuple(stamps)


def module_file(module: str) -> str:
    """The source file of factcli's module ``module`` ("text", later "ask.reading"):
    the imported module's ``__file__``, or where the import system would find it.
    A name that is no module is an error, never a stamp that matches for ever (a
    module moved into a subpackage must not leave caches trusted)."""
    import sys

    name = f"factcli.{module}"
    loaded = sys.modules.get(name)
    found = getattr(loaded, "__file__", None)
    if found is None:
        import importlib.util

        spec = importlib.util.find_spec(name)
        found = spec.origin if spec is not None else None
    if not found:
        raise LookupError(f"no module {name} to stamp derived data with")
    return found


def derived_data_version(format_version: Any, *modules: str) -> tuple[Any, ...]:
    """What data derived from a database depends on besides the database itself:
    the derived format's own version, factcli's version and the stamps of the
    ``modules`` that derive it, the ISO 3166 data, and Python (marshal's format).
    The caches and the index are used only while all of it is the same."""
    import sys

    from factcli import __version__, countries

    return format_version, __version__, countries.data_version(), code_stamp(*modules), sys.hexversion


def _cache_file(name: str, fingerprint: tuple[tuple[str, str], ...]) -> str:
    from factcli.paths import cache_path

    where = "|".join(loc if "://" in loc else os.path.abspath(loc) for loc, _ in fingerprint)
    return cache_path(f"{name}-{_fnv1a(where.encode('utf-8', 'surrogateescape')):08x}.marshal")


def read_cache(name: str, version: tuple[Any, ...], fingerprint: tuple[tuple[str, str], ...]) -> Any:
    """Data saved by :func:`write_cache` for the same ``version`` and databases (``fingerprint``:
    each one's location and revision), or None when there is none or anything changed.

    Caches hold plain data (marshal: no code is run when loading one).
    """
    import marshal

    from factcli.files import read_regular
    from factcli.gc_pause import gc_paused

    try:
        raw, _ = read_regular(_cache_file(name, fingerprint), MAX_CACHE_BYTES)
    except OSError:
        return None
    try:
        with gc_paused():
            key, value = marshal.loads(raw)
    except Exception:  # noqa: BLE001  (any damage, a 16 GB list it asks for: a miss, rebuilt)
        return None
    return value if key == (tuple(version), fingerprint) else None


def write_cache(name: str, version: tuple[Any, ...], fingerprint: tuple[tuple[str, str], ...], value: Any) -> None:
    """Save derived data for the next run; when the cache cannot be written, skip it."""
    import marshal

    from factcli.errors import WriteFailed
    from factcli.store.jsonfile.atomic import atomic_write

    path = _cache_file(name, fingerprint)
    try:
        payload = marshal.dumps(((tuple(version), fingerprint), value))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        atomic_write(path, payload)
    except (OSError, ValueError, WriteFailed):
        pass
