"""Countries: names, codes and aliases resolved to ISO 3166-1 alpha-3. Pure but for
reading pycountry's data file.

The ISO 3166 data comes from the `pycountry` package (Debian's iso-codes, kept
current by its maintainers). We read its JSON file directly instead of importing
pycountry: the import costs ~40 ms (it pulls in importlib.metadata), the file
~2 ms, and every search pays it.
"""

from __future__ import annotations

import json
import os
import sys
from typing import NamedTuple
from functools import lru_cache

from factcli.text import normalise

# Common names people type that ISO 3166 does not list as a name of the country.
# Demonyms ("Russian", "Afghan") belong to questions, not here.
EXTRA_NAMES: dict[str, tuple[str, ...]] = {
    "ARE": ("UAE", "U.A.E."),
    "BHS": ("The Bahamas",),
    "BLR": ("Byelorussia", "Belorussia"),
    "BOL": ("Bolivia",),
    "BRN": ("Brunei",),
    "CHN": ("PRC", "Mainland China"),
    "CIV": ("Ivory Coast",),
    "COD": ("Democratic Republic of the Congo", "DR Congo", "DRC", "Congo-Kinshasa"),
    "COG": ("Republic of the Congo", "Congo-Brazzaville"),
    "CPV": ("Cape Verde",),
    "CZE": ("Czech Republic",),
    "DNK": ("Kingdom of Denmark",),
    "FSM": ("Micronesia", "Federated States of Micronesia"),
    "GBR": ("UK", "U.K.", "Great Britain", "Britain"),
    "GGY": ("Bailiwick of Guernsey",),
    "JEY": ("Bailiwick of Jersey",),
    "GMB": ("The Gambia",),
    "IRL": ("Republic of Ireland", "Eire"),
    "IRN": ("Persia",),
    "KGZ": ("Kirghizia", "Kirgizia"),
    "KOR": ("Republic of Korea",),
    "LAO": ("Laos",),
    "MDA": ("Moldova", "Moldavia"),
    "MKD": ("Macedonia",),
    "MMR": ("Burma",),
    "NLD": ("Kingdom of the Netherlands", "Holland"),
    "PRK": ("North Korea", "DPRK", "Democratic People's Republic of Korea"),
    "PSE": ("Palestine", "State of Palestine"),
    "RUS": ("Russia",),
    "STP": ("Sao Tome and Principe",),
    "SWZ": ("Swaziland",),
    "SYR": ("Syria",),
    "TLS": ("East Timor",),
    "TUR": ("Turkey", "Turkiye"),
    "TWN": ("Republic of China", "ROC"),
    "TZA": ("Tanzania",),
    "USA": ("US", "U.S.", "U.S.A.", "America", "United States of America"),
    "VAT": ("Vatican", "Vatican City", "Holy See"),
    "VEN": ("Venezuela",),
    "VNM": ("Vietnam",),
}
# A readable name where ISO's is inverted or formal ("Korea, Republic of").
DISPLAY_NAMES: dict[str, str] = {
    "BOL": "Bolivia",
    "COD": "DR Congo",
    "FSM": "Micronesia",
    "IRN": "Iran",
    "KOR": "South Korea",
    "LAO": "Laos",
    "MDA": "Moldova",
    "PRK": "North Korea",
    "PSE": "Palestine",
    "RUS": "Russia",
    "SYR": "Syria",
    "TZA": "Tanzania",
    "VAT": "Vatican City",
    "VEN": "Venezuela",
}
# Kosovo has no ISO 3166-1 code; XKX is the user-assigned code the EU, the IMF
# and Wikidata use for it.
USER_ASSIGNED = [{"alpha_2": "XK", "alpha_3": "XKX", "name": "Kosovo", "official_name": "Republic of Kosovo"}]


class Country(NamedTuple):
    code: str  # ISO 3166-1 alpha-3
    name: str  # readable
    names: tuple[str, ...]  # every name and code that resolves to it


def iso_data_file() -> str:
    """pycountry's ISO 3166-1 file, found on sys.path without importing pycountry."""
    for entry in sys.path:
        candidate = os.path.join(entry or ".", "pycountry", "databases", "iso3166-1.json")
        if os.path.isfile(candidate):
            return candidate
    raise RuntimeError("the pycountry package is missing: reinstall factcli")


def _iso_records() -> list[dict[str, str]]:
    with open(iso_data_file(), encoding="utf-8") as handle:
        return json.load(handle)["3166-1"] + USER_ASSIGNED


@lru_cache(maxsize=1)
def data_version() -> str:
    """Which ISO 3166 data is in use (size and time of pycountry's file), for caches
    of anything derived from country names."""
    stat = os.stat(iso_data_file())
    return f"{stat.st_size}:{stat.st_mtime_ns}"


Tables = tuple[dict[str, Country], dict[str, str]]
_TABLES: list[Tables] = []  # built once per process, or restored from a cache


def _tables() -> Tables:
    if not _TABLES:
        _TABLES.append(_build_tables())
    return _TABLES[0]


def tables_state() -> tuple[dict[str, tuple[str, tuple[str, ...]]], dict[str, str]]:
    """The name tables as plain data (for a cache: marshal stores no named tuples)."""
    by_code, by_name = _tables()
    return {code: (c.name, c.names) for code, c in by_code.items()}, by_name


def restore_tables(state: tuple[dict[str, tuple[str, tuple[str, ...]]], dict[str, str]]) -> None:
    """Use tables saved by :func:`tables_state` (valid for the same :func:`data_version`)."""
    by_code, by_name = state
    _TABLES[:] = [({code: Country(code, name, tuple(names)) for code, (name, names) in by_code.items()}, by_name)]


def _build_tables() -> Tables:
    by_code: dict[str, Country] = {}
    by_name: dict[str, str] = {}
    for record in _iso_records():
        code = record["alpha_3"]
        names = [record["name"], record["alpha_2"], code]
        names += [record[k] for k in ("official_name", "common_name") if k in record]
        names += EXTRA_NAMES.get(code, ())
        # "Korea, Republic of" is also typed as "Republic of Korea".
        if ", " in record["name"]:
            head, _, tail = record["name"].partition(", ")
            names.append(f"{tail} {head}")
        display = DISPLAY_NAMES.get(code) or record.get("common_name") or record["name"]
        by_code[code] = Country(code, display, tuple(dict.fromkeys(names)))
        for name in names:
            key = normalise(name)
            by_name.setdefault(key, code)
            if key.startswith("the "):
                by_name.setdefault(key[4:], code)
    return by_code, by_name


def longest_name() -> int:
    """How many folded words the longest name of a country has."""
    return max(key.count(" ") + 1 for key in _tables()[1])


def resolve(name: str) -> str | None:
    """The alpha-3 code a name, code or alias stands for, or None."""
    by_code, by_name = _tables()
    key = normalise(name)
    return by_name.get(key) or by_name.get(key.removeprefix("the "))


def country(code: str) -> Country | None:
    return _tables()[0].get(code)


def display_name(code: str) -> str:
    """'Russia' for RUS; an unknown code is shown as it is."""
    found = _tables()[0].get(code)
    return found.name if found else code


# Words of countries' formal names that say nothing about which country it is: a
# fuzzy match on them proposed Malta for "Republic of Artsakh".
_FORMAL_WORDS = frozenset(
    "the of and republic kingdom state states democratic people s peoples federal federation islamic united socialist plurinational bolivarian arab union principality grand duchy sultanate emirate commonwealth independent territory".split()
)


def _distinctive(key: str) -> str:
    return " ".join(w for w in key.split() if w not in _FORMAL_WORDS)


def suggest(name: str, limit: int = 3) -> list[str]:
    """Readable names close to a misspelt country, best first. A name close only by
    its formal words ("Republic of …") is no suggestion: none beats a wrong one."""
    import difflib

    by_code, by_name = _tables()
    wanted = normalise(name)
    close = difflib.get_close_matches(wanted, list(by_name), n=limit * 3, cutoff=0.75)
    mine = _distinctive(wanted)
    kept = []
    for key in close:
        theirs = _distinctive(key)
        if mine and theirs and difflib.SequenceMatcher(None, mine, theirs).ratio() < 0.55:
            continue
        kept.append(key)
    return list(dict.fromkeys(by_code[by_name[key]].name for key in kept))[:limit]


def all_countries() -> list[Country]:
    return sorted(_tables()[0].values(), key=lambda c: c.name)
