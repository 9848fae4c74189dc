"""Reading facts from JSON, JSON lines, CSV and TSV, with --map for foreign columns. Pure.

Every row keeps the line it started on, so each bad row can be reported by line.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from factcli.errors import InvalidInput, Setting
from factcli.model import FIELDS, source_from_text
from factcli.choices import INPUT_FORMATS  # noqa: F401  (re-exported)


try:  # orjson parses a line about three times as fast
    from orjson import loads as _fast_loads
except ImportError:  # pragma: no cover
    _fast_loads = json.loads


def _loads(line: str) -> Any:
    """One JSON value. What orjson refuses but JSON allows (a lone surrogate escape,
    which validation then refuses with the row's line) goes to the stdlib parser."""
    try:
        return _fast_loads(line)
    except ValueError:
        try:
            return json.loads(line)
        except RecursionError:
            raise ValueError("nested too deeply") from None


_PLACEHOLDER = re.compile(r"\{([^{}|]+)(?:\|([^{}]*))?\}")


@dataclass(slots=True)
class Row:
    line: int
    data: dict[str, Any]


def decode(raw: bytes, name: str, encoding: str = "utf-8") -> str:
    """Input bytes as text; bytes invalid in the encoding are refused with their line."""
    codec = codec_of(encoding)
    try:
        return raw.decode("utf-8-sig" if codec == "utf-8" else codec)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        label = "UTF-8" if codec == "utf-8" else encoding
        raise InvalidInput(
            f"{name}: line {line} is not valid {label} (byte {exc.start}); nothing was imported (",
            Setting("encoding"),
            " names another)",
        ) from None


def codec_of(encoding: str) -> str:
    import codecs

    try:
        return codecs.lookup(encoding).name
    except LookupError:
        raise InvalidInput(
            Setting("encoding"), f": unknown encoding {encoding!r} (utf-8, latin-1, cp1252, …)"
        ) from None


def streams_by_line(encoding: str) -> bool:
    """Whether text in this encoding can be decoded a line at a time (a newline is the byte 10)."""
    codec = codec_of(encoding)
    return not codec.startswith(("utf-16", "utf-32")) and "\n".encode(codec) == b"\n"


def stream_lines(handle: Iterable[bytes], name: str, encoding: str = "utf-8") -> Iterator[str]:
    """A binary file's lines as text, one at a time (each with its newline); bytes
    invalid in the encoding are refused with their line, as :func:`decode` does."""
    codec = codec_of(encoding)
    label = "UTF-8" if codec == "utf-8" else encoding
    offset = 0
    for number, raw in enumerate(handle, 1):
        try:
            line = raw.decode(codec)
        except UnicodeDecodeError as exc:
            raise InvalidInput(
                f"{name}: line {number} is not valid {label} (byte {offset + exc.start}); nothing was imported (",
                Setting("encoding"),
                " names another)",
            ) from None
        if number == 1 and codec == "utf-8":
            line = line.removeprefix("\ufeff")
        offset += len(raw)
        yield line


def sniff(text: str, filename: str) -> str:
    """The format of an input: by extension, else by its first character."""
    lower = filename.lower()
    for ext, fmt in (
        (".jsonl", "jsonl"),
        (".ndjson", "jsonl"),
        (".json", "json"),
        (".csv", "csv"),
        (".tsv", "tsv"),
        (".tab", "tsv"),
    ):
        if lower.endswith(ext):
            return fmt
    first = text.lstrip()[:1]
    if first == "[":
        return "json"
    if first == "{":
        return "jsonl"
    head = text.lstrip("\n").split("\n", 1)[0]
    if "\t" in head:  # factcli's own TSV (search, export): one record a line, tab-separated
        return "tsv"
    return "csv"


def read_rows(text: str | Iterable[str], fmt: str, name: str, delimiter: str = ",") -> Iterator[Row]:
    """The rows of an input: its whole text, or its lines as they are read (JSON lines
    and CSV are read a line at a time; JSON and TSV whole)."""
    if fmt in ("json", "tsv") and not isinstance(text, str):
        text = "".join(text)
    if fmt == "json":
        yield from _json_rows(text, name)  # type: ignore[arg-type]
    elif fmt == "jsonl":
        yield from _jsonl_rows(text.split("\n") if isinstance(text, str) else text, name)
    elif fmt == "tsv":
        yield from _tsv_rows(text, name)  # type: ignore[arg-type]
    else:
        lines = io.StringIO(text, newline="") if isinstance(text, str) else text
        yield from _csv_rows(lines, name, delimiter)


_TSV_ESCAPE = re.compile(r"\\(?:x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))")
_TSV_NAMED = {"t": "\t", "n": "\n", "r": "\r", "\\": "\\"}


def unescape_line(text: str) -> str:
    r"""The inverse of :func:`factcli.text.escape_line`: ``\t``, ``\n``, ``\\`` and
    ``\xNN``/``\uNNNN`` back to the characters they stand for."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2) or match.group(3)
        if code:
            return chr(int(code, 16))
        return _TSV_NAMED.get(match.group(4), match.group(0))

    return _TSV_ESCAPE.sub(one, text)


def _tsv_rows(text: str, name: str) -> Iterator[Row]:
    """factcli's TSV: one fact a line, with or without the header line; without
    it, the columns are in the documented order (id who what when country tags
    sources note, then created updated). Lists are as TSV writes them: countries
    and tags joined by ",", sources (their URLs or titles) by " | "."""
    lines = text.split("\n")
    header: list[str] | None = None
    for number, line in enumerate(lines, 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        cells = line.split("\t")
        if header is None and all(c in FIELDS for c in cells) and "who" in cells:
            header = cells
            continue
        columns = header or list(FIELDS[: len(cells)])
        if len(cells) != len(columns):
            yield Row(
                number,
                {
                    "__error__": f"has {len(cells)} columns, {'the header has' if header else 'factcli TSV has at most'} {len(columns)}"
                },
            )
            continue
        row: dict[str, Any] = {}
        for column, cell in zip(columns, cells):
            value = unescape_line(cell)
            if column in ("country", "tags"):
                row[column] = [v.strip() for v in value.split(",") if v.strip()]
            elif column == "sources":
                row[column] = [v.strip() for v in value.split(" | ") if v.strip()]
            elif value or column not in ("id", "when"):
                row[column] = value
        yield Row(number, row)


def _object(value: Any, line: int, name: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InvalidInput(f"{name}: line {line}: expected a JSON object, found {type(value).__name__}")
    return value


def _json_rows(text: str, name: str) -> Iterator[Row]:
    """Elements of a JSON array, each with the line it starts on."""
    decoder = json.JSONDecoder()
    pos = len(text) - len(text.lstrip())
    try:
        if text[pos : pos + 1] == "{":  # one object
            value, _ = decoder.raw_decode(text, pos)
            yield Row(1, _object(value, 1, name))
            return
        if text[pos : pos + 1] != "[":
            raise ValueError("expected a JSON array of facts")
        pos += 1
        line, counted = 1, 0  # the line number, counted on from where it was last counted (linear)
        while True:
            pos = _skip_space(text, pos)
            if text[pos : pos + 1] == "]":
                if text[pos + 1 :].strip():
                    raise ValueError("extra data after the array")
                return
            line += text.count("\n", counted, pos)
            counted = pos
            value, pos = decoder.raw_decode(text, pos)
            yield Row(line, _object(value, line, name))
            pos = _skip_space(text, pos)
            if text[pos : pos + 1] == ",":
                pos += 1
            elif text[pos : pos + 1] != "]":
                raise ValueError("expected ',' or ']'")
    except RecursionError:
        raise InvalidInput(
            f"{name}: line {text.count(chr(10), 0, pos) + 1}: not valid JSON (nested too deeply); nothing was imported"
        ) from None
    except ValueError as exc:
        line = text.count("\n", 0, pos) + 1
        raise InvalidInput(f"{name}: line {line}: not valid JSON ({exc}); nothing was imported") from None


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _jsonl_rows(lines: Iterable[str], name: str) -> Iterator[Row]:
    # Only "\n" ends a JSON line: splitlines() would also split at U+2028 or
    # U+0085, which JSON strings may hold.
    for number, line in enumerate(lines, 1):
        line = line.removesuffix("\n").removesuffix("\r")
        if not line.strip():
            continue
        try:
            value = _loads(line)
        except ValueError as exc:  # a bad row like any other: reported with the rest, or skipped
            yield Row(number, {"__error__": f"not valid JSON ({exc})"})
            continue
        if not isinstance(value, dict):
            yield Row(number, {"__error__": f"expected a JSON object, found {type(value).__name__}"})
            continue
        yield Row(number, value)


def _csv_rows(lines: Iterable[str], name: str, delimiter: str = ",") -> Iterator[Row]:
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise InvalidInput(f"{name}: line 1: {exc}") from None
    start = reader.line_num + 1
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                start = reader.line_num + 1
                continue
            if len(values) != len(header):
                row = {"__error__": f"has {len(values)} columns, the header has {len(header)}"}
            else:
                # A line break inside a quoted cell is "\n", whichever the program that
                # wrote the file used (spreadsheets write "\r\n"); a lone "\r" stays refused.
                row = _csv_values(dict(zip(header, (v.replace("\r\n", "\n") for v in values))))
            yield Row(start, row)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(f"{name}: line {reader.line_num}: {exc}; nothing was imported") from None


def _csv_values(row: dict[str, str]) -> dict[str, Any]:
    """CSV cells into fact values: `sources` holds JSON (from export) or a URL/citation."""
    sources = row.get("sources", "").strip()
    if sources.startswith("["):
        try:
            row["sources"] = json.loads(sources)  # type: ignore[assignment]
        except ValueError:
            pass
    return row


def parse_map(specs: tuple[str, ...]) -> dict[str, str]:
    """`--map who=officeholderLabel --map when={start}/{end|..}` as {field: template}."""
    mapping: dict[str, str] = {}
    for spec in specs:
        field, sep, template = spec.partition("=")
        field = field.strip()
        if not sep or not template.strip():
            raise InvalidInput(Setting("maps"), f" {spec!r}: expected FIELD=COLUMN or FIELD=TEMPLATE")
        if field not in FIELDS:
            raise InvalidInput(Setting("maps"), f" {spec!r}: {field!r} is not a field ({', '.join(FIELDS)})")
        mapping[field] = template
    return mapping


def columns_of(template: str) -> list[str]:
    if "{" not in template:
        return [template]
    return [m.group(1) for m in _PLACEHOLDER.finditer(template)]


def apply_map(row: Mapping[str, Any], mapping: Mapping[str, str]) -> dict[str, Any]:
    """A foreign row as a fact: mapped fields from their columns or templates,
    plus any columns already named like fields; other columns are left out."""
    out = {k: v for k, v in row.items() if k in FIELDS}
    for field, template in mapping.items():
        if "{" not in template:
            out[field] = row.get(template, "")
            continue

        def fill(match: re.Match[str]) -> str:
            value = row.get(match.group(1), "")
            value = "" if value is None else str(value)
            return value if value.strip() else (match.group(2) or "")

        out[field] = _PLACEHOLDER.sub(fill, template).strip()
    if "sources" in mapping and isinstance(out.get("sources"), str):
        out["sources"] = [source_from_text(out["sources"])] if out["sources"].strip() else []
    return out


def missing_columns(mapping: Mapping[str, str], rows_header: set[str]) -> list[str]:
    return sorted({c for t in mapping.values() for c in columns_of(t)} - rows_header)
