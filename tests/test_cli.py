"""The commands through CliRunner: output, exit codes, and bad input changing nothing."""

import csv
import io
import json

import pytest

from factcli.cli import cli

from .conftest import LEADERS_MAP, add_args, add_fact


@pytest.fixture
def two(run):
    a = add_fact(
        run,
        who="Russia",
        what="recognized the Taliban government",
        when="2025-07-03",
        country=["Afghanistan", "Russia"],
        source="https://apnews.com/x",
    )
    b = add_fact(
        run,
        who="Vladimir Putin",
        what="called the Taliban allies\tin the fight against terrorism",
        when="2024-07-04",
        country=["RU"],
        source="Reuters, 4 July 2024",
    )
    return a, b


def test_piped_search_is_tsv_in_documented_order(run, two):
    result = run("search", "taliban")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert [l.split("\t")[0] for l in lines] == ["2", "1"]  # by date
    assert lines[0].split("\t")[:5] == [
        "2",
        "Vladimir Putin",
        "called the Taliban allies\\tin the fight against terrorism",
        "2024-07-04",
        "RUS",
    ]
    assert all(l.count("\t") == 7 for l in lines)
    assert "\x1b" not in result.stdout and "┃" not in result.stdout


def test_header_and_fields(run, two):
    out = run("search", "--fields", "id,when,who", "--header").stdout
    assert out.splitlines() == ["id\twhen\twho", "2\t2024-07-04\tVladimir Putin", "1\t2025-07-03\tRussia"]
    bad = run("search", "--fields", "id,colour")
    assert bad.exit_code == 2 and "colour" in bad.stderr


def test_json_carries_every_field(run, two):
    data = json.loads(run("search", "--format", "json").stdout)
    assert [d["id"] for d in data] == ["2", "1"]
    assert set(data[0]) >= {"id", "who", "what", "when", "country", "sources", "note", "tags", "created", "updated"}
    lines = run("search", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(l)["id"] for l in lines] == ["2", "1"]


def test_csv_is_standard(run, two):
    rows = list(csv.DictReader(io.StringIO(run("search", "--format", "csv", "--header").stdout)))
    assert rows[0]["what"] == "called the Taliban allies\tin the fight against terrorism"
    from factcli.dates import today

    assert json.loads(rows[1]["sources"]) == [
        {"url": "https://apnews.com/x", "retrieved": today().isoformat()}
    ]  # added by hand: retrieved today


def test_markdown_escapes_pipes(run):
    add_fact(run, what="a | b")
    out = run("search", "--format", "markdown").stdout
    assert "a \\| b" in out and out.startswith("| id | who |")


def test_no_match_exits_1_with_suggestion(run, two):
    result = run("search", "talbian")
    assert result.exit_code == 1 and result.stdout == ""
    assert "did you mean: taliban" in result.stderr


def test_filters_and_dates(run, two):
    assert run("search", "--who", "putin", "--format", "tsv", "--fields", "id").stdout == "2\n"
    assert run("search", "--during", "2025", "--fields", "id").stdout == "1\n"
    assert run("search", "--country", "Russian Federation", "--fields", "id").stdout == "2\n1\n"
    assert run("search", "--country", "AFG", "--since", "2025-07", "--fields", "id").stdout == "1\n"
    assert run("search", "--source", "reuters", "--fields", "id").stdout == "2\n"
    assert run("search", "--limit", "1", "--fields", "id").stdout == "2\n"
    assert run("search", "--sort", "-when", "--fields", "id").stdout == "1\n2\n"


@pytest.mark.parametrize(
    "args,message",
    [
        (["--country", "Afganistan"], "did you mean Afghanistan"),
        (["--during", "2025-13"], "month 13"),
        (["--since", "someday"], "not an ISO date"),
    ],
)
def test_bad_filters_are_usage_errors(run, two, args, message):
    result = run("search", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_add_show_edit_rm(run, db):
    fid = add_fact(run, extra=["--tag", "recognition", "--note", "checked"])
    shown = json.loads(run("show", fid, "--format", "json").stdout)[0]
    assert shown["tags"] == ["recognition"] and shown["note"] == "checked"
    assert run("edit", fid, "--when", "2025-07", "--source", "TASS", "--untag", "recognition").stdout == f"{fid}\n"
    shown = json.loads(run("show", fid, "--format", "json").stdout)[0]
    assert (
        shown["when"] == "2025-07"
        and shown["when_start"] == "2025-07-01"
        and len(shown["sources"]) == 2
        and shown["tags"] == []
    )
    assert run("rm", fid, "--yes").stdout == f"{fid}\n"
    assert run("show", fid).exit_code == 1


def test_rm_and_edit_take_ids_on_stdin(run, two):
    ids = run("search", "--format", "jsonl").stdout
    assert run("edit", "-", "--tag", "bulk", input=ids).exit_code == 0
    assert run("search", "--tag", "bulk", "--fields", "id").stdout == "2\n1\n"
    assert run("rm", "-", "--yes", input="1\n2\n").exit_code == 0
    assert run("search").exit_code == 1


def _unchanged(run, db, args, code, message, input=None):
    before = db.read_bytes()
    result = run(*args, input=input)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1
    assert db.read_bytes() == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["add", "--who", "X", "--what", "Y", "--when", "2025-02-30", "--country", "FR", "--source", "s"], "no day 30"),
        (["add", "--who", "X", "--what", "Y", "--country", "Narnia", "--source", "s"], "unknown country 'Narnia'"),
        (["add", "--who", "  ", "--what", "Y", "--country", "FR", "--source", "s"], "who is empty"),
        (["add", "--who", "X", "--what", "Y", "--country", "FR"], "no source"),
        (["add", "--who", "X", "--what", "Y", "--source", "s"], "country is missing"),
        (
            add_args(
                who="Russia",
                what="Recognized the TALIBAN government",
                when="2025-07-03",
                country=("AFG",),
                source="t",
            ),
            "already says this",
        ),
        (["add", "--who", "X", "--what", "a \x1b[31m red", "--country", "FR", "--source", "s"], "U+001B"),
        (["edit", "1", "--when", "2025-99"], "month 99"),
        (["edit", "1", "999", "--note", "x"], "no fact with id 999"),
        (["edit", "1"], "nothing to change"),
        (["rm", "1", "999", "--yes"], "no fact with id 999"),
    ],
)
def test_bad_input_changes_nothing(run, db, args, message):
    add_fact(run)
    code = 1 if "no fact with id" in message else 2
    _unchanged(run, db, args, code, message)


def test_bad_import_rows_are_all_reported_and_nothing_written(run, db, tmp_path):
    add_fact(run)
    rows = [
        {"who": "A", "what": "ok", "country": "FR", "sources": ["s"]},
        {"who": "B", "what": "bad date", "when": "2025-02-31", "country": "FR", "sources": ["s"]},
        {"who": "C", "what": "no country", "sources": ["s"]},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    before = db.read_bytes()
    result = run("import", str(path))
    assert result.exit_code == 2
    assert "line 2: when" in result.stderr and "line 3: country is missing" in result.stderr
    assert db.read_bytes() == before
    result = run("import", str(path), "--skip-invalid")
    assert result.exit_code == 0 and "imported 1 fact(s)" in result.stderr


def test_import_reads_csv_json_and_jsonl_round_trip(run, two, tmp_path):
    exported = run("export").stdout
    for fmt in ("json", "jsonl", "csv"):
        data = run("search", "--format", fmt).stdout
        other = tmp_path / f"copy-{fmt}.json"
        result = run("--db", str(other), "import", "-", input=data, db=False)
        assert result.exit_code == 0, result.stderr
        assert run("--db", str(other), "export", db=False).stdout == exported
        again = run("--db", str(other), "import", "-", input=data, db=False)
        assert "imported 0 fact(s); 2 already present" in again.stderr


def test_import_map_with_templates(run, tmp_path):
    path = tmp_path / "leaders.csv"
    path.write_text(
        "officeholderLabel,positionLabel,country,start_year,end_year\n"
        "Zoran Milanović,President of Croatia,Croatia,2020,\n"
        "Ilir Meta,President of Albania,Albania,2017,2022\n"
        ",Prime Minister,Nowhere,2020,\n"
    )
    args = ["import", str(path), "--source", "Wikidata", *LEADERS_MAP]
    result = run(*args)
    assert result.exit_code == 2
    assert "line 4: who is empty; unknown country 'Nowhere'" in result.stderr
    assert run(*args, "--skip-invalid").exit_code == 0
    out = run("search", "milanovic", "--fields", "who,when,country,sources").stdout
    assert out == "Zoran Milanović\t2020/..\tHRV\tWikidata\n"
    assert run("search", "--during", "2019", "--fields", "who").stdout == "Ilir Meta\n"
    missing = run("import", str(path), "--map", "who=name")
    assert missing.exit_code == 2 and "no column 'name'" in missing.stderr


def test_import_refuses_invalid_utf8_and_bad_json(run, db, tmp_path):
    add_fact(run)
    _unchanged(run, db, ["import", "-"], 2, "not valid UTF-8", input=b'{"who": "\xff"}\n')
    _unchanged(run, db, ["import", "-", "--format", "json"], 2, "not valid JSON", input=b'[{"who": "a"},\n {oops}]')


def test_reading_a_missing_db_names_it(run, tmp_path):
    missing = tmp_path / "typo.json"
    result = run("--db", str(missing), "search", db=False)
    assert result.exit_code == 3 and "no database at" in result.stderr


def all_commands(group=cli, path=()):
    """Every command, subcommands of groups included, as (path, command)."""
    import click

    ctx = click.Context(group)
    for name in group.list_commands(ctx):  # the lazy ones too: each is loaded here
        command = group.get_command(ctx, name)
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from all_commands(command, (*path, name))


def test_every_command_has_help_with_examples():
    walked = dict(all_commands())
    assert {("timeline",), ("stats",), ("cite",), ("completion",), ("alias", "list"), ("alias", "add")} <= set(walked)
    for path, command in walked.items():
        name = " ".join(path)
        assert command.help and "Examples:" in command.help, name
        description, _, rest = command.help.partition("\n")
        assert description.strip() and not description.startswith("\b"), name  # a one-line description first
        examples = [line.strip() for line in rest.split("Examples:", 1)[1].strip().splitlines()]
        assert any(
            f"factcli {' '.join(path)}" in line or f" {path[-1]} " in f" {line} " for line in examples
        ), name  # shows the command itself
    assert "Examples:" in cli.help


def test_help_and_version_exit_0(run):
    assert run("--version").stdout.startswith("factcli, version")
    for path, _ in all_commands():
        result = run(*path, "--help")
        assert result.exit_code == 0 and "Examples:" in result.stdout, path
        assert result.stdout.startswith(f"Usage: factcli {' '.join(path)}"), path


@pytest.mark.parametrize(
    "args,message",
    [
        (["cite"], "factcli: Missing argument 'IDS...'. (see factcli cite --help)"),
        (
            ["timeline", "--format", "xml"],
            "factcli: Invalid value for '--format': 'xml' is not one of 'table', 'tsv', 'csv', 'json', 'jsonl', 'markdown'. (see factcli timeline --help)",
        ),
        (
            ["search", "--fromat", "json"],
            "factcli: No such option '--fromat'. Did you mean '--format'? (see factcli search --help)",
        ),
        (["frobnicate"], "factcli: No such command 'frobnicate'. (see factcli --help)"),
        (
            ["stats", "--limit", "-1"],
            "factcli: Invalid value for '--limit': -1 is not in the range x>=0. (see factcli stats --help)",
        ),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(run, args, message):
    result = run(*args)
    assert result.exit_code == 2 and result.stderr == message + "\n" and result.stdout == ""


def test_info_names_the_config_file(run_default, isolated_user_data):
    path = isolated_user_data / "config" / "factcli" / "config.toml"
    assert f"config\t{path}\tnone (optional)\n" in run_default("info").stdout
    path.parent.mkdir(parents=True)
    path.write_text("limit = 5\n")
    assert f"config\t{path}\tin use\n" in run_default("info").stdout


def test_add_takes_g20_and_warns_of_a_wikidata_id(run):
    result = run(
        *add_args(
            who="G20", what="met in Rio", when="2024-11-18", country=("Brazil",), source="https://example.org/g20"
        ),
    )
    assert result.exit_code == 0 and result.stderr == ""
    result = run(
        *add_args(who="Q42", what="wrote a book", when="1979", country=("GB",), source="https://example.org/q42"),
    )
    assert result.exit_code == 0
    assert (
        result.stderr
        == f"factcli: warning: {result.stdout.strip()}: who 'Q42' looks like a Wikidata item id, not a name\n"
    )
    checked = run("check")
    assert "looks like a Wikidata item id" in checked.stderr + checked.stdout


def test_edit_adds_a_source_once_and_removes_one_by_url_or_title(run):
    fact_id = add_fact(run, source="https://example.org/a")
    for _ in range(2):
        assert (
            run("edit", fact_id, "--source", "https://example.org/b", "--source", "Reuters, 4 July 2024").exit_code == 0
        )
    sources = json.loads(run("show", fact_id, "--format", "json").stdout)[0]["sources"]
    assert [s.get("url") or s.get("title") for s in sources] == [
        "https://example.org/a",
        "https://example.org/b",
        "Reuters, 4 July 2024",
    ]
    assert (
        run(
            "edit", fact_id, "--remove-source", "https://example.org/a", "--remove-source", "Reuters, 4 July 2024"
        ).exit_code
        == 0
    )
    sources = json.loads(run("show", fact_id, "--format", "json").stdout)[0]["sources"]
    assert [s["url"] for s in sources] == ["https://example.org/b"]
    missing = run("edit", fact_id, "--remove-source", "https://example.org/zzz")
    assert missing.exit_code == 2 and "has no source with the URL or title 'https://example.org/zzz'" in missing.stderr
    last = run("edit", fact_id, "--remove-source", "https://example.org/b")
    assert last.exit_code == 2 and "no source" in last.stderr  # a fact keeps at least one


@pytest.mark.parametrize(
    "args",
    [
        ["--since", "2026", "--until", "2025"],
        ["--since", "2024", "--during", "2021"],
        ["--until", "2020-01", "--during", "2021"],
    ],
)
def test_an_inverted_date_range_is_refused(run, args):
    for command in (["search"], ["timeline"], ["stats"]):
        result = run(*command, *args)
        assert result.exit_code == 2 and "leave no day between them" in result.stderr, result.stderr


def test_markdown_output_escapes_what_markdown_would_act_on(run):
    add_fact(run, who="A*B_C", what="said *bold* _it_ [link](https://x.example) <b>tag</b> | ~~gone~~ &amp;")
    out = run("search", "--format", "markdown").stdout
    row = out.splitlines()[2]
    assert "A\\*B\\_C" in row
    assert (
        "said \\*bold\\* \\_it\\_ \\[link\\](https://x.example) \\<b\\>tag\\</b\\> \\| \\~\\~gone\\~\\~ \\&amp;" in row
    )
    assert run("show", "-", "--format", "tsv", "--fields", "who", input=out).stdout == "A*B_C\n"  # and it pipes back


def test_global_options_work_after_the_command(run, db, tmp_path):
    result = run(
        "add",
        "--db",
        str(db),
        "--who",
        "Alpha",
        "--what",
        "met",
        "--when",
        "2020",
        "--country",
        "FR",
        "--source",
        "https://e.example/1",
        db=False,
    )
    assert result.exit_code == 0, result.stderr
    assert run("search", f"--db={db}", "--fields", "who", "--no-color", db=False).stdout == "Alpha\n"
    assert run("show", "1", "--no-pager", "--format", "tsv", "--fields", "id").stdout == "1\n"
    clash = run("--db", str(db), "search", "--db", str(tmp_path / "other.json"), db=False)
    assert clash.exit_code == 2 and "--db is given twice, with different values" in clash.stderr
    assert (
        run("--db", str(db), "search", "--db", str(db), "--fields", "who", db=False).stdout == "Alpha\n"
    )  # the same twice is fine
    from factcli.cli.runtime import hoist_global_options

    assert hoist_global_options(["search", "x", "--", "--no-color"]) == [
        "search",
        "x",
        "--",
        "--no-color",
    ]  # after --: an argument
    assert hoist_global_options(["show", "c4", "--no-pager", "--db", "a.json"]) == [
        "--no-pager",
        "--db",
        "a.json",
        "show",
        "c4",
    ]
