"""The optional config file: defaults for a terminal, the database, the pager. No click, no rich.

The file is TOML, ``config.toml`` in the user config directory (on Linux
``~/.config/factcli/``, or ``$XDG_CONFIG_HOME/factcli/``), or the file named by
``FACTCLI_CONFIG``. Every key is optional::

    db = "~/facts/mine.json"   # like --db / FACTCLI_DB
    format = "table"           # the format on a terminal (piped output ignores it)
    limit = 50                 # rows on a terminal, 0 for all (piped output is complete)
    pager = "less -S"          # or false: never page

A flag beats an environment variable, which beats the file, which beats the
built-in default. A file that cannot be used is an input error (exit 2), named
with what is wrong; it is read only when a setting it may hold is needed.
"""

from __future__ import annotations

import os
from typing import Any, NamedTuple

from factcli.errors import InvalidInput
from factcli.choices import OUTPUT_FORMATS as TERMINAL_FORMATS  # the formats a terminal may default to

KEYS = ("db", "curated", "format", "limit", "pager")


class Config(NamedTuple):
    """The settings a config file gave; None where it said nothing."""

    path: str | None = None  # the file they came from (None: no file)
    db: str | None = None  # "my database", over the curated facts unless curated = false
    curated: bool = True
    format: str | None = None
    limit: int | None = None
    pager: str | bool | None = None  # a command, or False for no pager


def config_path() -> str:
    """Where the config file is looked for: FACTCLI_CONFIG, else the user config directory."""
    named = os.environ.get("FACTCLI_CONFIG")
    if named:
        return os.path.expanduser(named)
    from factcli.paths import user_dir

    return os.path.join(user_dir("config"), "config.toml")


def load(path: str | None = None) -> Config:
    """Read the config file; a missing one is no config, a bad one an InvalidInput."""
    path = path or config_path()
    from factcli.files import NotRegular, TooLarge, read_regular

    try:
        raw, _ = read_regular(path, 1 << 20)
    except (NotRegular, TooLarge) as exc:
        raise InvalidInput(f"config {path}: {exc}; not read") from None
    except FileNotFoundError:
        if os.environ.get("FACTCLI_CONFIG"):
            raise InvalidInput(f"config {path}: no such file (named by FACTCLI_CONFIG)") from None
        return Config()
    except OSError as exc:
        raise InvalidInput(f"config {path}: cannot read it: {exc.strerror}") from None
    return parse(raw, path)


def parse(raw: bytes, path: str) -> Config:
    """Check a config file's bytes: TOML, known keys, the right types and values."""
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InvalidInput(f"config {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"config {path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise InvalidInput(f"config {path}: nested too deeply to be a factcli config") from None
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InvalidInput(
            f"config {path}: unknown key {', '.join(map(repr, unknown))}; the keys are {', '.join(KEYS)}"
        )
    values: dict[str, Any] = {}
    db = data.get("db")
    if db is not None:
        if not isinstance(db, str) or not db.strip():
            raise InvalidInput(f"config {path}: db must be a file path (text)")
        if any(ord(c) < 32 for c in db):
            raise InvalidInput(f"config {path}: db holds a control character ({db!r}); a path cannot")
        # `~` is the home directory; a relative path is relative to the config file.
        values["db"] = os.path.join(os.path.dirname(path), os.path.expanduser(db))
    curated = data.get("curated")
    if curated is not None:
        if not isinstance(curated, bool):
            raise InvalidInput(f"config {path}: curated must be true or false, not {curated!r}")
        values["curated"] = curated
    fmt = data.get("format")
    if fmt is not None:
        if fmt not in TERMINAL_FORMATS:
            raise InvalidInput(f"config {path}: format must be one of {', '.join(TERMINAL_FORMATS)}, not {fmt!r}")
        values["format"] = fmt
    limit = data.get("limit")
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
            raise InvalidInput(f"config {path}: limit must be a whole number, 0 or more (0: all), not {limit!r}")
        values["limit"] = limit
    pager = data.get("pager")
    if pager is not None:
        if pager is True or not isinstance(pager, (str, bool)):
            raise InvalidInput(f"config {path}: pager must be a command (text) or false, not {pager!r}")
        if isinstance(pager, str) and any(ord(c) < 32 and c != "\t" for c in pager):
            raise InvalidInput(f"config {path}: pager holds a control character ({pager!r}); a command cannot")
        values["pager"] = pager
    return Config(path=path, **values)
