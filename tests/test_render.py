"""What people see on a terminal: golden tables, and data that stays data."""

import io
import json
from pathlib import Path

from factcli.dates import parse_date
from factcli.formats import FORMATS, DEFAULT_FIELDS
from factcli.model import Fact, Source
from factcli.cli.render import console, fact_detail, fact_table

GOLDEN = Path(__file__).parent / "golden"

FACTS = [
    Fact(
        id="c1",
        who="Russia",
        what="Recognized the Taliban government of Afghanistan, the first country to do so.",
        when=parse_date("2025-07-03"),
        country=("RUS", "AFG"),
        sources=(Source(title="Russia recognizes the Taliban", publisher="AP", url="https://apnews.com/x"),),
    ),
    Fact(
        id="c2",
        who="Vladimir Putin",
        what="Called the Taliban allies in the fight against terrorism.",
        when=parse_date("2024-07-04"),
        country=("RUS",),
        sources=(Source(url="https://www.reuters.com/y"),),
    ),
]
# A hand-edited file can hold what validation refuses: the renderers must cope.
HOSTILE = Fact(
    id="x1",
    who="[bold]Mallory[/bold]",
    what="esc \x1b[31mred\x1b[0m bell\x07 osc \x1b]8;;http://evil\x07link bidi \u202eabc nul \x00 [/bold]",
    when=None,
    country=("FRA",),
    sources=(Source(title="t\x1b[2J"),),
    note="line1\nline2 \x9b31m",
)


def render(renderable, width=80) -> str:
    buffer = io.StringIO()
    out = console(file=buffer, width=width, no_color=True)
    out.print(renderable)
    return buffer.getvalue()


def test_table_golden_at_width_80():
    got = render(fact_table(FACTS, width=80))
    golden = GOLDEN / "table80.txt"
    if not golden.exists():  # first run writes it; review it in the diff
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
    assert "Sources" not in got  # too narrow: `show` has them


def test_wide_table_has_sources():
    got = render(fact_table(FACTS, width=120), width=120)
    assert "Sources" in got and "reuters.com" in got


def test_detail_golden_at_width_80():
    got = render(fact_detail(FACTS[0]))
    golden = GOLDEN / "detail80.txt"
    if not golden.exists():
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")
    assert "2025-07-03 (Thursday)" in got


def _no_control(text: str) -> None:
    bad = [
        c
        for c in text
        if (ord(c) < 32 and c != "\n")
        or 0x7F <= ord(c) <= 0x9F
        or c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    ]
    assert bad == [], bad


def test_hostile_text_is_literal_in_table_and_detail():
    table = render(fact_table([HOSTILE], width=250), width=250)
    _no_control(table)
    assert "[bold]Mallory[/bold]" in table
    for out in (render(fact_detail(HOSTILE), width=300),):
        _no_control(out)
        assert "[bold]Mallory[/bold]" in out
        assert "\\x1b[31mred" in out and "\\u202e" in out and "\\x00" in out and "\\x9b" in out


def test_hostile_text_in_every_machine_format():
    for name, writer in FORMATS.items():
        buffer = io.StringIO()
        writer([HOSTILE], buffer, DEFAULT_FIELDS, True)
        text = buffer.getvalue()
        if name == "csv":
            continue  # CSV is lossless by design; validation keeps such text out of databases
        _no_control(text.replace("\n", "").replace("\t", ""))
        if name in ("tsv", "markdown"):
            data_lines = [l for l in text.splitlines() if "Mallory" in l]
            assert len(data_lines) == 1  # one fact, one line
        if name in ("json", "jsonl"):
            loaded = json.loads(text) if name == "json" else json.loads(text.splitlines()[0])
            record = loaded[0] if name == "json" else loaded
            assert record["what"] == HOSTILE.what  # escaped on screen, exact when parsed
