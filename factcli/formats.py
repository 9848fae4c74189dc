"""Machine output formats: TSV, CSV, JSON, JSON lines, Markdown. Pure; no rich.

Each writer takes the facts, a file object and the fields to write, so it can be
tested with StringIO. Piped commands use only this module, never Rich.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable, Sequence
from typing import Any, TextIO

from .model import FIELDS, Fact
from .text import escape_line

# The default columns of piped TSV output, in their documented, stable order.
DEFAULT_FIELDS = ("id", "who", "what", "when", "country", "tags", "sources", "note")
# JSON escapes C0 controls itself; these it would print raw.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def cell(fact: Fact, name: str) -> str:
    """A field as one line of text (TSV, Markdown): lists joined, sources by label."""
    if name == "when":
        return fact.when.text if fact.when else ""
    if name == "country":
        return ",".join(fact.country)
    if name == "tags":
        return ",".join(fact.tags)
    if name == "sources":
        return " | ".join(s.label for s in fact.sources)
    return str(getattr(fact, name))


def record(fact: Fact, fields: Sequence[str]) -> dict[str, Any]:
    """A fact as a JSON object with the chosen fields (all: every stored field)."""
    full = fact.to_dict()
    if tuple(fields) == FIELDS:
        return full
    return {name: full[name] for name in fields}


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON that is safe to print on a terminal: UTF-8, control characters escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_tsv(facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool) -> None:
    if header:
        out.write("\t".join(fields) + "\n")
    for fact in facts:
        out.write("\t".join(escape_line(cell(fact, f)) for f in fields) + "\n")


def write_csv(facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool) -> None:
    """RFC 4180 CSV that `factcli import` reads back exactly (sources as JSON).
    The header row is part of the format: a CSV reader needs it."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    for fact in facts:
        writer.writerow(csv_cell(fact, f) for f in fields)


def csv_cell(fact: Fact, name: str) -> str:
    if name == "country":
        return ";".join(fact.country)
    if name == "tags":
        return ";".join(fact.tags)
    if name == "sources":
        return json.dumps([s.to_dict() for s in fact.sources], ensure_ascii=False)
    return cell(fact, name)


def write_json(facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool) -> None:
    out.write("[")
    for i, fact in enumerate(facts):
        out.write(",\n " if i else "\n ")
        out.write(dumps(record(fact, fields)))
    out.write("\n]\n" if facts else "]\n")


def write_jsonl(facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool) -> None:
    for fact in facts:
        out.write(dumps(record(fact, fields)) + "\n")


def write_markdown(facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool) -> None:
    """A GitHub-flavoured Markdown table (the header row is part of the format)."""
    out.write("| " + " | ".join(fields) + " |\n")
    out.write("|" + "|".join("---" for _ in fields) + "|\n")
    for fact in facts:
        cells = (escape_line(cell(fact, f)).replace("|", "\\|") for f in fields)
        out.write("| " + " | ".join(cells) + " |\n")


def write_answer_json(summary: dict[str, Any], facts: Sequence[Fact], out: TextIO) -> None:
    """`ask --format json`: the answer, its type, reading and confidence, and the
    supporting facts with every field (sources included), best first."""
    out.write(dumps(dict(summary, facts=[fact.to_dict() for fact in facts]), indent=2) + "\n")


def write_answer_tsv(answer_line: str, facts: Sequence[Fact], out: TextIO) -> None:
    """`ask` piped: the answer on the first line, then the facts as `search` prints them."""
    out.write(escape_line(answer_line) + "\n")
    write_tsv(facts, out, DEFAULT_FIELDS, False)


Writer = Callable[[Sequence[Fact], TextIO, Sequence[str], bool], None]
# The registry that feeds --format (plus "table", drawn by render.py).
FORMATS: dict[str, Writer] = {
    "tsv": write_tsv,
    "csv": write_csv,
    "json": write_json,
    "jsonl": write_jsonl,
    "markdown": write_markdown,
}
# Formats whose default is every field (they are read back by import).
FULL_RECORD_FORMATS = ("csv", "json", "jsonl")
