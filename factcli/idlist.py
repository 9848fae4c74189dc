"""Fact ids from text piped into `show -`, `edit -`, `rm -` and `cite -`: whatever
factcli itself prints pipes back (issue 13 item 2).

- a JSON array of objects, or JSON lines: each object's ``id``, taken whole;
- CSV, TSV or a Markdown table with a header line: the column named ``id``;
- TSV without a header: the first column, or the third for `timeline` lines
  (year, month, id, …);
- otherwise ids separated by white space (``echo c1 c2``).

A line that should hold an id and does not is an error naming the line; so is
input with no id at all. Pure: no I/O, no click.
"""

from __future__ import annotations

import csv
import io
import json
import re

from factcli.errors import InvalidInput, Setting
from factcli.model import id_problem

_HEADER_CELL = re.compile(r"[a-z][a-z_]*")
_YEAR = re.compile(r"[0-9]{4}")
_MONTH = re.compile(r"(?:[0-9]{4}-[0-9]{2})?")
_MARKDOWN_RULE = re.compile(r"\|(?:\s*:?-+:?\s*\|)+")


def ids_from_text(text: str, name: str = "stdin") -> list[str]:
    """The ids in ``text``, in order, each once. Raises InvalidInput (naming
    ``name`` and the line) for a line without an id, a bad id, or no id at all."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        ids = _from_json_array(text, name)
    else:
        lines = text.split("\n")
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        if first is None:
            raise InvalidInput(f"{name} is empty: no ids to read (pipe factcli's output, or give ids)")
        head = lines[first].rstrip("\r")
        if head.lstrip().startswith("{"):
            ids = _from_json_lines(lines, name)
        elif head.lstrip().startswith("|"):
            ids = _from_markdown(lines, first, name)
        elif "\t" in head:
            ids = _from_tsv(lines, first, name)
        elif "," in head and _header(next(csv.reader([head]))) is not None:
            ids = _from_csv(text, name)
        else:
            ids = _from_words(lines, name)
    if not ids:
        raise InvalidInput(f"{name} holds no ids")
    return list(dict.fromkeys(ids))


def _checked(found: object, name: str, line: int) -> str:
    text = found if isinstance(found, str) else "" if found is None else str(found)
    text = text.strip()
    if not text:
        raise InvalidInput(f"{name} line {line}: no id on this line; nothing was done")
    problem = id_problem(text)
    if problem:
        raise InvalidInput(f"{name} line {line}: {problem}; nothing was done")
    return text


def _header(cells: list[str]) -> int | None:
    """The position of ``id`` in a header line, or None if ``cells`` are not a header
    (every cell a field name, one of them ``id``). A header without ``id`` is refused."""
    cells = [c.strip() for c in cells]
    if not cells or not all(_HEADER_CELL.fullmatch(c) for c in cells):
        return None
    if "id" not in cells:
        return -1
    return cells.index("id")


def _no_id_column(name: str, cells: list[str]) -> InvalidInput:
    return InvalidInput(
        f"{name} line 1: the header ({', '.join(c.strip() for c in cells)}) has no id column (add id to ",
        Setting("fields"),
        ")",
    )


def _from_json_array(text: str, name: str) -> list[str]:
    try:
        values = json.loads(text)
    except (ValueError, RecursionError):
        raise InvalidInput(f"{name}: not valid JSON; nothing was done") from None
    if not isinstance(values, list):
        raise InvalidInput(f"{name}: expected a JSON array of facts; nothing was done")
    ids = []
    for number, value in enumerate(values, 1):
        if not isinstance(value, dict):
            raise InvalidInput(f"{name} item {number}: not an object with an id; nothing was done")
        ids.append(_checked(value.get("id"), name, number).strip())
    return ids


def _from_json_lines(lines: list[str], name: str) -> list[str]:
    ids = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except (ValueError, RecursionError):
            raise InvalidInput(f"{name} line {number}: not a JSON line: {line[:40]!r}; nothing was done") from None
        if not isinstance(value, dict):
            raise InvalidInput(f"{name} line {number}: not a JSON object with an id; nothing was done")
        ids.append(_checked(value.get("id"), name, number))
    return ids


def _from_tsv(lines: list[str], first: int, name: str) -> list[str]:
    head = lines[first].rstrip("\r").split("\t")
    column = _header(head)
    if column == -1:
        raise _no_id_column(name, head)
    start = first + 1 if column is not None else first
    ids = []
    for number, line in enumerate(lines[start:], start + 1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if column is not None:
            at = column
        elif len(cells) >= 4 and _YEAR.fullmatch(cells[0]) and _MONTH.fullmatch(cells[1]):
            at = 2  # a timeline line: year, month, id, when, …
        else:
            at = 0
        ids.append(_checked(cells[at] if at < len(cells) else "", name, number))
    return ids


def _from_csv(text: str, name: str) -> list[str]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        head = next(reader)
        column = _header(head)
        if column is None or column == -1:
            raise _no_id_column(name, head)
        ids = []
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                ids.append(_checked(row[column] if column < len(row) else "", name, start))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{name} line {reader.line_num}: {exc}; nothing was done") from None
    return ids


def _markdown_cells(line: str) -> list[str]:
    inner = line.strip().removeprefix("|").removesuffix("|")
    cells = re.split(r"(?<!\\)\|", inner)
    return [re.sub(r"\\(.)", r"\1", cell).strip() for cell in cells]


def _from_markdown(lines: list[str], first: int, name: str) -> list[str]:
    head = _markdown_cells(lines[first])
    column = _header(head)
    if column is None or column == -1:
        raise _no_id_column(name, head)
    ids = []
    for number, line in enumerate(lines[first + 1 :], first + 2):
        if not line.strip() or _MARKDOWN_RULE.fullmatch(line.strip().replace(" ", "")):
            continue
        cells = _markdown_cells(line)
        ids.append(_checked(cells[column] if column < len(cells) else "", name, number))
    return ids


def _from_words(lines: list[str], name: str) -> list[str]:
    ids = []
    first = next(i for i, line in enumerate(lines) if line.strip())
    if lines[first].strip() == "id":  # `--fields id --header`: a one-column header
        lines = [""] * (first + 1) + lines[first + 1 :]
    for number, line in enumerate(lines, 1):
        for word in line.split():
            ids.append(_checked(word, name, number))
    return ids
