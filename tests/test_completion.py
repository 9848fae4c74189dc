"""Shell completion: the scripts, and the values Click's completion protocol returns."""

import os
import shutil
import subprocess

import pytest
from click.shell_completion import ShellComplete

from factcli.cli import cli

from .conftest import factcli_command, factcli_run


def complete(args, incomplete=""):
    """What Click's completion offers after `factcli ARGS… INCOMPLETE` (values only)."""
    return [
        item.value
        for item in ShellComplete(cli, {}, "factcli", "_FACTCLI_COMPLETE").get_completions(list(args), incomplete)
    ]


@pytest.mark.parametrize(
    "shell,marks",
    [
        (
            "bash",
            [
                "_factcli_completion()",
                "_FACTCLI_COMPLETE=bash_complete",
                "complete -o nosort -F _factcli_completion factcli",
            ],
        ),
        ("zsh", ["#compdef factcli", "_FACTCLI_COMPLETE=zsh_complete", "compdef _factcli_completion factcli"]),
        ("fish", ["_FACTCLI_COMPLETE=fish_complete", "complete --no-files --command factcli"]),
    ],
)
def test_completion_prints_the_script(run, shell, marks):
    result = run("completion", shell)
    assert result.exit_code == 0, result.stderr
    for mark in marks:
        assert mark in result.stdout


def test_completion_refuses_other_shells(run):
    result = run("completion", "tcsh")
    assert result.exit_code == 2 and "'tcsh' is not one of 'bash', 'zsh', 'fish'" in result.stderr


def test_commands_and_options_complete():
    assert {"search", "timeline", "stats", "cite", "completion"} <= set(complete([], ""))
    assert complete([], "ti") == ["timeline"]
    assert "--no-pager" in complete([], "--no")
    assert complete(["timeline"], "--du") == ["--during"]


def test_format_names_complete():
    assert complete(["search", "--format"], "") == ["table", "tsv", "csv", "json", "jsonl", "markdown"]
    assert complete(["search", "--format"], "js") == ["json", "jsonl"]
    assert complete(["cite", "c1", "--format"], "") == ["markdown", "bibtex", "jsonld"]
    assert complete(["stats", "--format"], "c") == ["csv"]


def test_countries_complete_by_name_and_code():
    assert complete(["search", "--country"], "Afgh") == ["Afghanistan"]
    assert complete(["search", "--country"], "af") == ["AFG", "Afghanistan"]
    assert complete(["search", "--country"], "RU") == ["RUS", "Russia"]
    assert complete(["timeline", "--country"], "united k") == ["United Kingdom"]
    assert complete(["add", "--country"], "cote") == ["Côte d'Ivoire"]  # accents ignored
    assert complete(["edit", "1", "--country"], "Ivory") == ["Ivory Coast"]  # other names too
    assert len(complete(["stats", "--country"], "")) > 240  # every country, by name


def test_fact_ids_complete_from_the_database_in_use(sample, monkeypatch):
    ids = ["1", "2", "3", "4", "5", "6", "7"]
    assert complete(["--db", str(sample), "show"], "") == ids
    assert complete(["--db", str(sample), "rm", "--yes"], "") == ids
    assert complete(["--db", str(sample), "edit", "1", "2"], "") == ids[2:]  # not those already given
    assert complete(["--db", str(sample), "cite"], "7") == ["7"]
    monkeypatch.setenv("FACTCLI_DB", str(sample))
    assert complete(["show"], "") == ids
    curated = complete(["--db", "", "show"], "c1")  # the default set-up: curated ids
    monkeypatch.delenv("FACTCLI_DB")
    assert complete(["show"], "c1")[:2] == ["c1", "c10"]
    assert curated[:1] == ["c1"]


def test_completion_is_silent_when_the_database_cannot_be_read(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("not json")
    assert complete(["--db", str(bad), "show"], "") == []
    assert complete(["--db", str(tmp_path / "missing.json"), "show"], "") == []


def test_the_environment_variable_protocol(sample):
    def ask(words, cword, shell="bash"):
        env = {"_FACTCLI_COMPLETE": f"{shell}_complete", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
        result = factcli_run(env=env)
        assert result.returncode == 0 and result.stderr == b""
        return result.stdout.decode().splitlines()

    assert ask(f"factcli --db {sample} show ", 4) == [f"plain,{i}" for i in "1234567"]
    assert ask("factcli search --format js", 3) == ["plain,json", "plain,jsonl"]
    # bash inserts a completion as it is: a name with spaces comes back escaped
    # (twice, as the script's `read` takes one level off)
    assert ask("factcli search --country United\\ St", 3) == [
        "plain,United\\\\ States",
        "plain,United\\\\ States\\\\ Minor\\\\ Outlying\\\\ Islands",
    ]
    assert ask("factcli search --country 'cote d", 3) == ["plain,Côte\\\\ d\\\\'Ivoire"]
    assert ask("factcli search --country afg", 3, "zsh") == [
        "plain",
        "AFG",
        "Afghanistan",
        "plain",
        "Afghanistan",
        "AFG",
    ]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_real_bash_completes_with_the_script(sample, tmp_path):
    script = tmp_path / "factcli.bash"
    script.write_bytes(factcli_run("completion", "bash").stdout)
    bin_dir = os.path.dirname(factcli_command()[0])
    program = f"""
source {script}
ask() {{ COMPREPLY=(); COMP_WORDS=("$@"); COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 )); _factcli_completion factcli; printf '%s\\n' "${{COMPREPLY[@]}}"; echo --; }}
ask factcli time
ask factcli search --country 'United\\ Ki'  # COMP_WORDS holds the word as typed
ask factcli --db {sample} cite ''
ask factcli stats --format ''
"""
    env = dict(os.environ, PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))
    result = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, env=env, timeout=60)
    answers = result.stdout.decode().split("--\n")
    assert answers[0] == "timeline\n"
    assert answers[1] == "United\\ Kingdom\n"  # inserted as one word
    assert answers[2].split() == ["1", "2", "3", "4", "5", "6", "7"]
    assert answers[3].split() == ["table", "tsv", "csv", "json", "jsonl", "markdown"]
    assert result.stderr == b""
