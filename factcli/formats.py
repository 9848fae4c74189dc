"""Machine output formats: TSV, CSV, JSON, JSON lines, Markdown. Pure; no rich.

Each writer takes the facts, a file object and the fields to write, so it can be
tested with StringIO. Piped commands use only this module, never Rich.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TextIO

from factcli.model import FIELDS, Fact
from factcli.text import escape_line, escape_markdown, escape_unsafe, pattern

# The default columns of piped TSV output, in their documented, stable order.
DEFAULT_FIELDS = ("id", "who", "what", "when", "country", "tags", "sources", "note")
# JSON escapes C0 controls itself; these it would print raw.
# What json.dumps leaves raw that must not reach a terminal (it escapes C0 itself).
_JSON_UNSAFE = "[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
# Columns computed from a fact beside its own fields (the timeline's year and
# month): name -> function of the fact, giving text, a number or None.
Extra = Mapping[str, Callable[[Fact], Any]]
NO_EXTRA: Extra = {}


def _plain(value: Any) -> str:
    """A computed value as text: None is empty."""
    return "" if value is None else str(value)


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


def record(fact: Fact, fields: Sequence[str], extra: Extra = NO_EXTRA) -> dict[str, Any]:
    """A fact as a JSON object with the chosen fields (all: every stored field)."""
    full = fact.to_dict()
    if tuple(fields) == FIELDS:
        return full
    return {name: extra[name](fact) if name in extra else full[name] for name in fields}


def dumps(value: Any, indent: int | None = None) -> str:
    """JSON that is safe to print on a terminal: UTF-8, control characters escaped."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    if text.isprintable():  # every character of _JSON_UNSAFE is unprintable
        return text
    return pattern(_JSON_UNSAFE).sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def write_tsv(facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool, extra: Extra = NO_EXTRA) -> None:
    if header:
        out.write("\t".join(fields) + "\n")
    for fact in facts:
        out.write(
            "\t".join(escape_line(_plain(extra[f](fact)) if f in extra else cell(fact, f)) for f in fields) + "\n"
        )


def write_csv(
    facts: Sequence[Fact],
    out: TextIO,
    fields: Sequence[str],
    header: bool,
    extra: Extra = NO_EXTRA,
    formula_safe: bool = False,
) -> None:
    """RFC 4180 CSV that `factcli import` reads back exactly (sources as JSON).
    The header row is part of the format: a CSV reader needs it. With
    ``formula_safe``, for spreadsheets (not for `import`): see :func:`formula_safe_cell`."""
    import csv

    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    guard = formula_safe_cell if formula_safe else str
    for fact in facts:
        writer.writerow(
            guard(escape_unsafe(_plain(extra[f](fact)) if f in extra else csv_cell(fact, f))) for f in fields
        )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe_cell(value: str) -> str:
    """A cell a spreadsheet would run as a formula (`=HYPERLINK(…)`, `+1`, `@SUM`),
    with a leading apostrophe, which spreadsheets show as text (OWASP's advice)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cell(fact: Fact, name: str) -> str:
    if name == "country":
        return ";".join(fact.country)
    if name == "tags":
        return ";".join(fact.tags)
    if name == "sources":
        return dumps([s.to_dict() for s in fact.sources])
    return cell(fact, name)


def write_json(
    facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool, extra: Extra = NO_EXTRA
) -> None:
    _json_array((record(fact, fields, extra) for fact in facts), out)


def _json_array(records, out: TextIO) -> None:
    """One record per line inside the brackets: readable, and cheap to stream."""
    out.write("[")
    empty = True
    for i, value in enumerate(records):
        out.write(",\n " if i else "\n ")
        out.write(dumps(value))
        empty = False
    out.write("]\n" if empty else "\n]\n")


def write_jsonl(
    facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool, extra: Extra = NO_EXTRA
) -> None:
    for fact in facts:
        out.write(dumps(record(fact, fields, extra)) + "\n")


def _markdown_row(cells) -> str:
    return "| " + " | ".join(escape_markdown(escape_line(c)) for c in cells) + " |\n"


def write_markdown(
    facts: Sequence[Fact], out: TextIO, fields: Sequence[str], header: bool, extra: Extra = NO_EXTRA
) -> None:
    """A GitHub-flavoured Markdown table (the header row is part of the format)."""
    out.write("| " + " | ".join(fields) + " |\n")
    out.write("|" + "|".join("---" for _ in fields) + "|\n")
    for fact in facts:
        out.write(_markdown_row(_plain(extra[f](fact)) if f in extra else cell(fact, f) for f in fields))


def write_answer_json(summary: dict[str, Any], facts: Sequence[Fact], out: TextIO) -> None:
    """`ask --format json`: the answer, its type, reading and confidence, and the
    supporting facts with every field (sources included), best first."""
    out.write(dumps(dict(summary, facts=[fact.to_dict() for fact in facts]), indent=2) + "\n")


def write_answer_tsv(answer_line: str, facts: Sequence[Fact], out: TextIO, fields: Sequence[str] | None = None) -> None:
    """`ask` piped: the answer on the first line, then the facts as `search` prints them."""
    out.write(escape_line(answer_line) + "\n")
    write_tsv(facts, out, fields or DEFAULT_FIELDS, False)


Writer = Callable[..., None]  # (facts, out, fields, header, extra={}) -> None
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


# ---------------------------------------------------------------- rows (stats)


def write_rows(fmt: str, rows: Sequence[Mapping[str, Any]], out: TextIO, fields: Sequence[str], header: bool) -> None:
    """Rows of plain values (text, numbers, None) in any machine format, with the
    same conventions as facts: TSV escaped one row per line, CSV and Markdown
    with a header, JSON an array of the JSON-lines objects."""
    if fmt == "tsv":
        if header:
            out.write("\t".join(fields) + "\n")
        for row in rows:
            out.write("\t".join(escape_line(_plain(row.get(f))) for f in fields) + "\n")
    elif fmt == "csv":
        import csv

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        for row in rows:
            writer.writerow(escape_unsafe(_plain(row.get(f))) for f in fields)
    elif fmt == "json":
        _json_array(({f: row.get(f) for f in fields} for row in rows), out)
    elif fmt == "jsonl":
        for row in rows:
            out.write(dumps({f: row.get(f) for f in fields}) + "\n")
    elif fmt == "markdown":
        out.write("| " + " | ".join(fields) + " |\n")
        out.write("|" + "|".join("---" for _ in fields) + "|\n")
        for row in rows:
            out.write(_markdown_row(_plain(row.get(f)) for f in fields))
    else:
        raise ValueError(f"no row format {fmt!r}")
