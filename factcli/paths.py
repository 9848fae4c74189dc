"""Where factcli's data lives: the curated facts, the user's own database, its
cache and config directories. Pure path arithmetic (core: imports nothing of factcli)."""

from __future__ import annotations

import os

PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))
"""The installed factcli package (its ``data`` folder holds the curated facts, read-only)."""


def curated_path() -> str:
    """The curated facts.json: inside the installed package, or at the top of a checkout."""
    packaged = os.path.join(PACKAGE_DIR, "data", "facts.json")
    return packaged if os.path.exists(packaged) else os.path.join(os.path.dirname(PACKAGE_DIR), "facts.json")


def user_dir(kind: str) -> str:
    """The user's data, cache or config directory for factcli, by the platform's conventions.

    On Linux and other XDG systems this is what platformdirs computes
    ($XDG_DATA_HOME or ~/.local/share, $XDG_CACHE_HOME or ~/.cache,
    $XDG_CONFIG_HOME or ~/.config), done here
    without importing it (7 ms of every command's start-up); elsewhere, platformdirs.
    """
    import sys

    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        variable, default = {
            "data": ("XDG_DATA_HOME", ".local/share"),
            "cache": ("XDG_CACHE_HOME", ".cache"),
            "config": ("XDG_CONFIG_HOME", ".config"),
        }[kind]
        base = os.environ.get(variable, "").strip()
        return os.path.join(base if base else os.path.join(os.path.expanduser("~"), default), "factcli")
    import platformdirs

    finder = {
        "data": platformdirs.user_data_dir,
        "cache": platformdirs.user_cache_dir,
        "config": platformdirs.user_config_dir,
    }[kind]
    return finder("factcli", appauthor=False)


def cache_path(name: str) -> str:
    """A file in the user cache directory (data derived from databases, safe to delete)."""
    return os.path.join(user_dir("cache"), name)


def user_path() -> str:
    """The user's own database, in the platform's user data directory."""
    return os.path.join(user_dir("data"), "facts.json")
