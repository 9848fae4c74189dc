"""Terminal conventions under a real pseudo-terminal: colour, width, the pager, the views."""

import json
import shutil

import pytest

from .conftest import add_args, factcli_command, factcli_run, in_terminal, needs_script, strip_ansi

pytestmark = needs_script
CYAN = "\x1b[36m"  # the ID column's colour


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """60 facts over 2010–2024 (4 a year), and one undated."""
    db = tmp_path_factory.mktemp("term") / "facts.json"
    rows = [
        {
            "who": f"Actor {i}",
            "what": f"did thing number {i}",
            "when": f"{2010 + i // 4}-{1 + i % 12:02d}",
            "country": ["AFG"],
            "sources": [{"url": "https://example.org", "publisher": f"Outlet {i % 3}"}],
        }
        for i in range(60)
    ] + [{"who": "Undated", "what": "has no date", "country": "FR", "sources": ["s"]}]
    result = factcli_run("--db", str(db), "import", "-", input="\n".join(json.dumps(r) for r in rows).encode())
    assert result.returncode == 0, result.stderr
    return str(db)


# ---------------------------------------------------------------- colour


def test_colour_on_a_terminal_and_its_off_switches(many):
    args = ["--db", many, "search", "number 7"]
    assert CYAN in in_terminal(args)
    assert CYAN not in in_terminal(args, env={"NO_COLOR": "1"})
    assert CYAN not in in_terminal(["--no-color", *args])
    assert CYAN not in in_terminal(args, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})  # NO_COLOR wins
    assert "┃" in strip_ansi(in_terminal(args, env={"NO_COLOR": "1"}))  # still a table
    assert "\x1b[" not in in_terminal(args, env={"TERM": "dumb"})


def test_force_color_colours_a_table_sent_into_a_pipe(many):
    forced = factcli_run("--db", many, "search", "number 7", "--format", "table", env={"FORCE_COLOR": "1"})
    assert CYAN.encode() in forced.stdout
    plain = factcli_run("--db", many, "search", "number 7", "--format", "table")
    assert b"\x1b" not in plain.stdout and "┃".encode() in plain.stdout
    # and FORCE_COLOR never turns a pipe into a terminal: piped output stays TSV
    assert factcli_run("--db", many, "search", "number 7", env={"FORCE_COLOR": "1"}).stdout.startswith(b"8\tActor 7\t")


# ---------------------------------------------------------------- width


@pytest.mark.parametrize("command", [["search", "actor"], ["timeline"], ["stats"], ["show", "1"]])
@pytest.mark.parametrize("columns", [60, 80, 132])
def test_output_fits_the_terminal_width(many, command, columns):
    out = strip_ansi(in_terminal(["--db", many, *command], columns=columns, lines=5000))
    lines = [l for l in out.splitlines() if l.strip()]
    assert lines, out
    assert max(len(l) for l in lines) <= columns
    if command == ["timeline"] or command == ["stats"]:
        assert max(len(l) for l in lines) >= columns - 2  # the bars use the width there is


# ---------------------------------------------------------------- the pager

FAKE = "sh -c 'echo PAGER-RAN LESS=$LESS; cat'"


def test_long_output_goes_through_the_pager(many):
    out = in_terminal(["--db", many, "search", "actor", "--limit", "0"], env={"FACTCLI_PAGER": FAKE}, lines=20)
    assert "PAGER-RAN LESS=FRX" in out and "Actor 59" in out
    assert out.index("PAGER-RAN") < out.index("Actor 0")  # everything went through it


def test_a_pager_with_shell_syntax_is_run_by_the_shell(many):
    # as git runs its pager: `|` is a pipe, not an argument of `cat` (issue 12 item 16)
    out = strip_ansi(
        in_terminal(
            ["--db", many, "search", "actor", "--limit", "0"], env={"FACTCLI_PAGER": "cat -A | head -3"}, lines=20
        )
    )
    lines = [l for l in out.splitlines() if l.strip()]
    assert len(lines) == 3 and all(l.endswith("$") for l in lines), out


def test_short_output_does_not(many):
    out = in_terminal(["--db", many, "search", "number 7"], env={"FACTCLI_PAGER": FAKE}, lines=20)
    assert "PAGER-RAN" not in out and "Actor 7" in out


@pytest.mark.parametrize(
    "how",
    [
        {"args": ["--no-pager"]},
        {"env": {"FACTCLI_PAGER": "", "PAGER": FAKE}},
        {"env": {"FACTCLI_PAGER": "cat"}},
    ],
)
def test_pager_switched_off(many, how):
    env = {"FACTCLI_PAGER": FAKE, **how.get("env", {})}
    out = in_terminal([*how.get("args", []), "--db", many, "search", "actor", "--limit", "0"], env=env, lines=20)
    assert "PAGER-RAN" not in out and "Actor 59" in out


def test_pager_from_pager_env_and_config(many, tmp_path):
    out = in_terminal(["--db", many, "timeline"], env={"FACTCLI_PAGER": None, "PAGER": FAKE}, lines=20)
    assert "PAGER-RAN" in out
    config = tmp_path / "config.toml"
    config.write_text("pager = false\n")  # the config's pager comes before PAGER, as core.pager does in git
    out = in_terminal(
        ["--db", many, "stats"], env={"FACTCLI_CONFIG": str(config), "FACTCLI_PAGER": None, "PAGER": FAKE}, lines=20
    )
    assert "PAGER-RAN" not in out and "By publisher" in out
    config.write_text(f'pager = "{FAKE}"\n')
    out = in_terminal(
        ["--db", many, "stats"], env={"FACTCLI_CONFIG": str(config), "FACTCLI_PAGER": None, "PAGER": "cat"}, lines=20
    )
    assert "PAGER-RAN" in out
    out = in_terminal(["--db", many, "stats"], env={"FACTCLI_CONFIG": str(config), "FACTCLI_PAGER": ""}, lines=20)
    assert "PAGER-RAN" not in out  # the variable beats the file


def test_piped_output_is_never_paged(many):
    result = factcli_run("--db", many, "search", "actor", env={"FACTCLI_PAGER": FAKE, "LINES": "5"})
    assert b"PAGER-RAN" not in result.stdout and result.stdout.count(b"\n") == 60


def test_a_pager_that_cannot_start_loses_nothing(many):
    out = strip_ansi(
        in_terminal(
            ["--db", many, "search", "actor", "--limit", "0"], env={"FACTCLI_PAGER": "no-such-pager-x"}, lines=20
        )
    )
    assert "Actor 59" in out
    assert "factcli: cannot start the pager 'no-such-pager-x'" in out


@pytest.mark.skipif(shutil.which("less") is None, reason="needs less")
def test_the_real_less_pages_and_quits_on_q(many):
    env = {"FACTCLI_PAGER": None, "PAGER": None, "LESS": None}  # the default: less -R, LESS=FRX
    out = in_terminal(["--db", many, "search", "actor", "--limit", "0"], env=env, lines=20, input=b"q", timeout=30)
    text = strip_ansi(out)
    assert "Actor 0" in text and "Actor 59" not in text  # only the first screen was shown before q
    assert ":" in text  # less's prompt


# ---------------------------------------------------------------- the views on a terminal


def test_timeline_on_a_terminal_has_a_bar_chart(many):
    out = strip_ansi(in_terminal(["--db", many, "timeline"], lines=5000))
    assert out.startswith("Facts per year")
    chart = out.split("\n\n")[0].splitlines()[1:]
    assert len(chart) == 15 and chart[0].startswith("2010 █") and chart[0].endswith(" 4")
    assert "2010  4 facts" in out and "1 undated fact left out" in out
    assert "█" not in factcli_run("--db", many, "timeline").stdout.decode()  # piped: plain lines


def test_timeline_splits_a_busy_year_by_month(many, tmp_path):
    db = tmp_path / "busy.json"
    rows = [
        {"who": f"Actor {i}", "what": "x", "when": f"2025-{1 + i % 4:02d}-1{i % 9}", "country": "AFG", "sources": ["s"]}
        for i in range(12)
    ]
    assert (
        factcli_run("--db", str(db), "import", "-", input="\n".join(json.dumps(r) for r in rows).encode()).returncode
        == 0
    )
    out = strip_ansi(in_terminal(["--db", str(db), "timeline"], lines=5000))
    assert "2025  12 facts" in out and "  January 2025  3 facts" in out and "  April 2025  3 facts" in out


def test_stats_on_a_terminal(many):
    out = strip_ansi(in_terminal(["--db", many, "stats"], lines=5000))
    assert "61  facts" in out and "1  facts without a date" in out
    for title in ("By country", "By year", "By publisher"):
        assert title in out
    assert "│ Afghanistan │ AFG  │    60 │" in out
    assert "│ Outlet 0       │    20 │" in out and "│ (no publisher) │     1 │" in out


def test_hostile_text_stays_text_in_the_views(tmp_path):
    db = tmp_path / "facts.json"
    row = {
        "who": "[bold]Mallory[/bold]",
        "what": "tab\there [red]x[/red]",
        "when": "2025",
        "country": "FR",
        "sources": [{"title": "t", "publisher": "[blink]P[/blink]"}],
    }
    assert factcli_run("--db", str(db), "import", "-", input=json.dumps(row).encode()).returncode == 0
    timeline = in_terminal(["--no-color", "--db", str(db), "timeline"], columns=200)
    assert "[bold]Mallory[/bold]" in timeline and "tab\\there [red]x[/red]" in timeline
    stats = in_terminal(["--no-color", "--db", str(db), "stats"], columns=200)
    assert "[blink]P[/blink]" in stats


# ---------------------------------------------------------------- long work


def _stderr_on_a_terminal(args, out, env):
    """Run factcli with stderr on a pseudo-terminal and stdout into the file ``out``;
    what the terminal received."""
    import os
    import shlex
    import subprocess

    command = shlex.join(factcli_command() + list(args)) + " > " + shlex.quote(str(out))
    result = subprocess.run(
        ["script", "-qec", command, "/dev/null"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        env=dict(os.environ, COLUMNS="100", **env),
        timeout=60,
    )
    return result.stdout.decode("utf-8", "replace")


def test_building_an_index_shows_progress_on_a_terminal_only(many, tmp_path):
    """The first query on a large file builds its index: a progress bar on stderr
    when that is a terminal, the results on stdout untouched; piped, no bar."""
    db = tmp_path / "[bold]big.json"  # a file name is data, never markup
    db.write_bytes(open(many, "rb").read())
    env = {"FACTCLI_INDEX": "always", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    screen = strip_ansi(_stderr_on_a_terminal(["--db", str(db), "search", "thing"], tmp_path / "out.tsv", env))
    assert "indexing [bold]big.json" in screen
    results = (tmp_path / "out.tsv").read_text()
    assert results.count("did thing number") == 60 and "indexing" not in results and "\x1b" not in results
    again = strip_ansi(_stderr_on_a_terminal(["--db", str(db), "search", "thing"], tmp_path / "again.tsv", env))
    assert "indexing" not in again  # built once
    (tmp_path / "cache2").mkdir()
    piped = factcli_run("--db", str(db), "search", "thing", env={**env, "XDG_CACHE_HOME": str(tmp_path / "cache2")})
    assert piped.returncode == 0 and piped.stderr == b"" and piped.stdout.decode() == results


def test_import_shows_progress_on_a_terminal_only(tmp_path):
    rows = "\n".join(
        json.dumps({"who": f"Actor {i}", "what": f"did thing {i}", "country": ["AFG"], "sources": ["s"]})
        for i in range(50)
    )
    src = tmp_path / "rows.jsonl"
    src.write_text(rows)
    screen = strip_ansi(
        _stderr_on_a_terminal(["--db", str(tmp_path / "a.json"), "import", str(src)], tmp_path / "out", {})
    )
    assert "reading" in screen and "imported 50 fact(s)" in screen
    piped = factcli_run("--db", str(tmp_path / "b.json"), "import", str(src))
    assert piped.returncode == 0 and b"reading" not in piped.stderr and b"imported 50 fact(s)" in piped.stderr


@pytest.mark.parametrize("answer, removed", [(b"n\n", False), (b"y\n", True)])
def test_rm_of_piped_ids_asks_on_the_terminal(tmp_path, answer, removed):
    """`… | factcli rm -` with a terminal attached asks through /dev/tty, as git does
    (issue 13 item 8); with no terminal at all (CI, cron) it does not ask."""
    import shlex
    import subprocess

    from .conftest import factcli_command, factcli_run

    db = tmp_path / "facts.json"
    made = factcli_run(
        "--db",
        str(db),
        *add_args(who="Alpha", what="met", when="2020", country=("France",), source="https://example.org/a"),
    )
    fact_id = made.stdout.decode().strip()
    pipeline = f"echo {fact_id} | {shlex.join(factcli_command() + ['--db', str(db), 'rm', '-'])}"
    out = subprocess.run(
        ["script", "-qec", pipeline, "/dev/null"], input=answer, capture_output=True, timeout=60
    ).stdout.decode()
    assert "Remove 1 fact(s)? [y/N]" in out and "Alpha: met" in out
    assert (factcli_run("--db", str(db), "show", fact_id).returncode == 0) != removed
    if not removed:
        assert "nothing was removed" in out
    # no terminal at all: nobody to ask, the ids given are removed (as before)
    again = factcli_run(
        "--db",
        str(db),
        *add_args(who="Beta", what="met", when="2020", country=("France",), source="https://example.org/b"),
    )
    beta = again.stdout.decode().strip()
    quiet = subprocess.run(
        ["setsid", "-w", "sh", "-c", f"echo {beta} | {shlex.join(factcli_command() + ['--db', str(db), 'rm', '-'])}"],
        capture_output=True,
        timeout=60,
    )
    assert quiet.returncode == 0 and quiet.stdout.decode().strip() == beta


@pytest.mark.parametrize("columns", [40, 60, 80, 120, 200])
def test_every_word_of_what_is_printed_whole_at_any_width(columns):
    """What is the column people read (issue 13 item 14): it gets the room, and
    below a readable width the facts are stacked records instead of a table."""
    import json

    from .conftest import factcli_run

    facts = [
        json.loads(l)
        for l in factcli_run("search", "Taliban", "--limit", "8", "--format", "jsonl").stdout.decode().splitlines()
    ]
    out = strip_ansi(in_terminal(["search", "Taliban", "--limit", "8"], columns=columns, lines=5000))
    lines = [l for l in out.splitlines() if l.strip()]
    assert max(len(l) for l in lines) <= columns
    for fact in facts:
        for word in fact["what"].split():
            assert word in out, (columns, word)
    stacked = "┃" not in out
    if columns <= 60:
        assert stacked, out[:400]
    elif columns >= 120:
        assert not stacked, out[:400]
    if not stacked:  # What, the third column boundary to the fourth, has at least 30 characters
        header = next(l for l in lines if "What" in l)
        cells = header.split("┃")
        assert len(cells[4]) >= 30 + 2, header


@pytest.mark.parametrize("columns", [40, 80])
def test_show_never_cuts_a_url(columns):
    """A URL is folded over lines, never truncated (issue 13 item 15)."""
    import json

    from .conftest import factcli_run

    (fact,) = json.loads(factcli_run("show", "c1", "--format", "json").stdout)
    out = strip_ansi(in_terminal(["show", "c1"], columns=columns, lines=5000))
    assert "…" not in out
    joined = "".join(l.strip() for l in out.splitlines())
    for source in fact["sources"]:
        if source.get("url"):
            assert source["url"] in joined.replace(" ", ""), source["url"]


def test_the_pager_starts_before_the_rest_is_drawn_and_drawing_stops_when_it_quits(tmp_path):
    """Long output is drawn in parts into a pager that is already running (issue 13
    item 16): when the reader quits after the first screen, the rest is never drawn."""
    import io
    import time

    from factcli.cli import pager

    done = tmp_path / "pager-quit"
    drawn = []

    def parts():
        for n in range(50):
            drawn.append(n)
            yield f"part {n}\n" * 100
            deadline = time.monotonic() + 10
            while n == 0 and not done.exists() and time.monotonic() < deadline:
                time.sleep(0.01)  # the pager reads the first part and quits
            if n == 0:
                time.sleep(0.3)  # and its process is gone

    argv = ["sh", "-c", f"head -c 20 >/dev/null; touch {done}"]
    assert pager.stream(parts(), argv, out=io.StringIO()) is None
    assert done.exists() and len(drawn) < 50  # the pager had the first part before the last was drawn


def test_a_long_table_on_a_terminal_reads_as_one_table(tmp_path):
    import json

    from .conftest import factcli_run

    db = tmp_path / "many.json"
    rows = [
        json.dumps(
            {
                "who": f"Actor {i}",
                "what": f"did thing number {i}",
                "when": "2020",
                "country": ["FRA"],
                "sources": ["https://example.org"],
            }
        )
        for i in range(250)
    ]
    assert factcli_run("--db", str(db), "import", "-", input="\n".join(rows).encode()).returncode == 0
    out = strip_ansi(
        in_terminal(["--db", str(db), "search", "--limit", "0"], env={"FACTCLI_PAGER": "cat"}, lines=30, columns=100)
    )
    assert out.count("┏") == 1 and out.count("└") == 1  # one top edge, one bottom edge: the parts are stitched
    assert all(f"Actor {i} " in out or f"Actor {i}\n" in out or f"Actor {i} │" in out for i in range(250))


def test_building_the_index_says_so_on_a_terminal_only(tmp_path):
    from .conftest import factcli_run

    db = tmp_path / "facts.json"
    assert (
        factcli_run(
            "--db",
            str(db),
            *add_args(who="A", what="met", when="2020", country=("France",), source="https://example.org"),
        ).returncode
        == 0
    )
    out = in_terminal(["--db", str(db), "search", "met"], env={"FACTCLI_INDEX": "always"})
    assert "indexing facts.json (once, until it changes)" in strip_ansi(out)
    (tmp_path / "cache").mkdir()
    piped = factcli_run(
        "--db", str(db), "search", "met", env={"FACTCLI_INDEX": "always", "XDG_CACHE_HOME": str(tmp_path / "cache")}
    )
    assert piped.returncode == 0 and piped.stderr == b""  # built again (a new cache), silently


def test_interactive_add_asks_again_for_a_bad_field_and_keeps_the_rest(tmp_path):
    """A bad answer is explained and asked again, not thrown away with every other
    answer after the last prompt (issue 13 item 17); prompts go to the terminal,
    and `id=$(factcli add)` captures the id alone."""
    import shlex
    import subprocess

    from .conftest import factcli_command, factcli_run

    db = tmp_path / "facts.json"
    answers = (
        b"Alice\nsigned the accord\n03/07/2025\nJuly 3 2025\nAtlantis\nKorea, Republic of\nhttps://example.org/a\n"
    )
    command = "id=$(" + shlex.join(factcli_command() + ["--db", str(db), "add"]) + '); echo "ID=[$id]"'
    out = subprocess.run(
        ["script", "-qec", f"bash -c {shlex.quote(command)}", "/dev/null"],
        input=answers,
        capture_output=True,
        timeout=60,
    ).stdout.decode()
    clean = strip_ansi(out)
    assert "ID=[1]" in clean  # stdout held the id alone
    assert (
        "'03/07/2025' is ambiguous: did you mean 2025-07-03 or 2025-03-07?" in clean
        and "for example: 2025-07-03" in clean
    )
    assert "when 'July 3 2025' read as 2025-07-03" in clean  # said, on the terminal
    assert "unknown country 'Atlantis'" in clean and "for example: Afghanistan, Russia" in clean
    fact = factcli_run("--db", str(db), "export").stdout.decode()
    assert '"who": "Alice"' in fact and '"when": "2025-07-03"' in fact and '"country": ["KOR"]' in fact
