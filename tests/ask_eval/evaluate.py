"""Evaluate `factcli ask` on questions written before the code, against the curated facts.

    python tests/ask_eval/evaluate.py                 # the development set
    python tests/ask_eval/evaluate.py --set holdout   # the questions kept back
    python tests/ask_eval/evaluate.py --set blind-dev # the blind set's half open for tuning
    python tests/ask_eval/evaluate.py -v              # every miss, with what was said

Each line of a question file is {"q", "type", "expected", "accept", "kind", "why"},
and optionally "db": "leaders" for a question over the real Wikidata extract of
world leaders (world_leaders.csv, imported as the README shows). "expected": null
means the tool must not answer. An answer line is correct when it matches one of
"accept", ignoring case: for a date, without the weekday suffix; for yes/no, its
first word; for a list, as a set of names; for a count, also by value ("2 million"
= "2,000,000"); for a passage, when it holds one of the accepted phrases. A
*confident wrong* answer is one given (not declined) that is wrong, or given where
the tool should have declined.

Questions are asked as of TODAY (FACTCLI_TODAY), so "last year" means the same
on every run.

Exit status 1 when the accuracy is below --min-accuracy (default: MIN_ACCURACY for
the development set, none for the hold-out set), or, on the development set, when
more than MAX_CONFIDENT_WRONG of the answers are confidently wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SETS = {
    "dev": HERE / "ask_questions.jsonl",
    "holdout": HERE / "ask_questions_holdout.jsonl",
    # Written blind (by someone who had not read the code), frozen, split in two:
    # tune on blind-dev only; blind-holdout is reported once, at the end.
    "blind-dev": HERE / "blind_dev.jsonl",
    "blind-holdout": HERE / "blind_holdout.jsonl",
    # A second blind set (100 questions, 44 of them traps), written later by another
    # session that had read no code, frozen before it was first run: run once, at the end.
    "blind2": HERE / "blind2.jsonl",
    # A third blind set (160 questions: 120 curated, 40 leaders, 28 unanswerable), written
    # after blind-holdout and blind2 had been run and their failures studied: the untouched one.
    "blind3": HERE / "blind3.jsonl",
    # A fourth (200 questions: 150 curated, 50 leaders, 32 unanswerable), written after blind3
    # had been run and studied, frozen before it is run: the untouched one of this round.
    "blind4": HERE / "blind4.jsonl",
    # A fifth (200: 150 curated, 50 leaders, 32 unanswerable), written after blind4 had been
    # run and studied, frozen before it is run: the untouched one of the last round.
    "blind5": HERE / "blind5.jsonl",
    # A sixth (200: 150 curated, 50 leaders, 32 unanswerable; BLIND6.md), written after blind5
    # had been run and studied, frozen and split before its first run: tune on blind6-dev only;
    # blind6-holdout is reported once, at the end.
    "blind6-dev": HERE / "blind6_dev.jsonl",
    "blind6-holdout": HERE / "blind6_holdout.jsonl",
    # A seventh (200: 150 curated, 50 leaders; BLIND7.md), written after blind6 had been
    # reported and studied, frozen before its first run: the untouched one of this round.
    "blind7": HERE / "blind7.jsonl",
    # An eighth (200: 150 curated, 50 leaders; BLIND8.md), written after blind7 had been
    # reported and studied, frozen before its first run: the untouched one of this round.
    "blind8": HERE / "blind8.jsonl",
    # A ninth (200: 150 curated, 50 leaders; BLIND9.md), written after blind8 had been
    # reported and studied, frozen before its first run: the untouched one of this round.
    "blind9": HERE / "blind9.jsonl",
    # A tenth (200: 150 curated, 50 leaders; BLIND10.md), written after blind9 had been
    # reported and studied, frozen and split (alternate lines) before its first run: tune on
    # blind10-dev only; blind10-holdout is reported once, at the end.
    "blind10-dev": HERE / "blind10_dev.jsonl",
    "blind10-holdout": HERE / "blind10_holdout.jsonl",
    # An eleventh (200: 150 curated, 50 leaders; BLIND11.md), written after blind10 had been
    # reported, by a helper that read no code and was shown every earlier question only so as
    # not to repeat one; frozen and split (alternate lines) before its first run.
    "blind11-dev": HERE / "blind11_dev.jsonl",
    "blind11-holdout": HERE / "blind11_holdout.jsonl",
    # A twelfth (200: 150 curated, 50 leaders; BLIND12.md), written after blind11 had been
    # reported, by a helper that read no code and was shown every earlier question only so as
    # not to repeat one; frozen and split (alternate lines) before its first run.
    "blind12-dev": HERE / "blind12_dev.jsonl",
    "blind12-holdout": HERE / "blind12_holdout.jsonl",
    # A thirteenth (200: 150 curated, 50 leaders; BLIND13.md), written after blind12 had been
    # reported, by a helper that read no code and was shown every earlier question only so as
    # not to repeat one; frozen and split (alternate lines) before its first run.
    "blind13-dev": HERE / "blind13_dev.jsonl",
    "blind13-holdout": HERE / "blind13_holdout.jsonl",
}
TODAY = "2026-12-01"  # the date the blind sets were written on (blind6: a day later)
TODAY_OF = {
    "blind6-dev": "2026-12-02",
    "blind6-holdout": "2026-12-02",
    "blind7": "2026-12-02",
    "blind8": "2026-12-02",
    "blind9": "2026-12-02",
    "blind10-dev": "2026-12-02",
    "blind10-holdout": "2026-12-02",
    "blind11-dev": "2026-12-02",
    "blind11-holdout": "2026-12-02",
    "blind12-dev": "2026-12-02",
    "blind12-holdout": "2026-12-02",
    "blind13-dev": "2026-12-03",
    "blind13-holdout": "2026-12-03",
}
LEADERS_CSV = HERE / "world_leaders.csv"  # a real Wikidata extract (CC0), as shipped in ../shared
# What the suite insists on, per tuning set: the figures when ask was made to
# decline what no fact entails (issue 11), less a small margin for accuracy, and
# not one confident wrong answer. (The old dev set stood at 104/105 before; the
# strict checks traded 5 of its answers for 0 confident wrong on the blind set.)
MIN_ACCURACY = {"dev": 0.93, "blind-dev": 0.70}
MAX_CONFIDENT_WRONG = 0.0
TUNED = ("dev", "blind-dev")  # the sets whose floors the suite enforces

_WEEKDAY = re.compile(r"\s*\((monday|tuesday|wednesday|thursday|friday|saturday|sunday)\)\s*$", re.IGNORECASE)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def _words(text: str) -> str:
    return " " + " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split()) + " "


def is_correct(item: dict, said: str) -> bool:
    """Does an answer line match one of the accepted answers?"""
    from factcli.ask.english import parse_number

    # The expected answer itself is accepted too (one blind item lists only its variants).
    wanted = item["accept"] + (
        [item["expected"]] if isinstance(item.get("expected"), str) and item["type"] != "passage" else []
    )
    accept = [_fold(a) for a in wanted]
    line = _fold(said)
    kind = item["type"]
    if kind == "yesno":
        first = re.split(r"[\s:,.;]", line, maxsplit=1)[0]
        return first in accept
    if kind == "when":
        return _fold(_WEEKDAY.sub("", said)) in accept
    if kind == "passage":
        return any(_words(a) in _words(said) for a in item["accept"])
    if kind == "list":
        names = {n.strip() for n in line.split(",") if n.strip()}
        return any(names == {n.strip() for n in a.split(",") if n.strip()} for a in accept)
    if kind == "count":
        if line in accept:
            return True
        value = parse_number(line)
        return value is not None and any(parse_number(a) == value for a in accept)
    return line in accept


@dataclass
class Outcome:
    item: dict
    said: str | None  # the answer line, None when it declined
    confidence: float
    correct: bool
    confident_wrong: bool


def leaders_db(folder: Path) -> Path:
    """The world-leaders extract imported into a new database, with the README's command."""
    import subprocess

    db = folder / "leaders.json"
    if not db.exists():
        command = [
            sys.executable, "-m", "factcli", "--db", str(db), "import", str(LEADERS_CSV), "--skip-invalid",
            "--source", "Wikidata (CC0), every-politician extract",
            "--map", "who=officeholderLabel", "--map", "what=positionLabel", "--map", "country=country",
            "--map", "when={start_year}/{end_year|..}",
        ]  # fmt: skip
        subprocess.run(command, check=True, capture_output=True)
    return db


def evaluate(items: list[dict], db: Path, leaders: Path | None = None) -> list[Outcome]:
    """Every question through the real answer path (operations.ask over the store's
    view: with FACTCLI_INDEX=always, through the SQLite index), as of TODAY."""
    import os
    import tempfile

    from factcli.operations import ask
    from factcli.store import open_view

    os.environ.setdefault("FACTCLI_TODAY", TODAY)
    views = {"curated": open_view(str(db))}
    outcomes = []
    for item in items:
        name = item.get("db", "curated")
        if name not in views:
            views[name] = open_view(str(leaders or leaders_db(Path(tempfile.mkdtemp(prefix="factcli-eval-")))))
        result = ask(views[name], item["q"])
        said = result.text
        if item["expected"] is None:
            correct = said is None
            confident_wrong = said is not None
        else:
            correct = said is not None and is_correct(item, said)
            confident_wrong = said is not None and not correct
        outcomes.append(Outcome(item, said, result.confidence, correct, confident_wrong))
    return outcomes


def report(name: str, outcomes: list[Outcome], verbose: bool, out=sys.stdout) -> tuple[float, float]:
    total = len(outcomes)
    right = sum(o.correct for o in outcomes)
    wrong = sum(o.confident_wrong for o in outcomes)
    declined = sum(o.said is None for o in outcomes)
    accuracy = right / total if total else 0.0
    print(f"{name}: {total} questions", file=out)
    print(f"  accuracy            {right}/{total} = {accuracy:.1%}", file=out)
    print(f"  confident wrong     {wrong}/{total} = {wrong / total if total else 0:.1%}", file=out)
    print(f"  declined            {declined}/{total}", file=out)
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        by_kind[o.item["kind"]].append(o)
    print(f"  {'kind':<14}{'n':>4}{'right':>7}{'conf. wrong':>13}", file=out)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        print(
            f"  {kind:<14}{len(group):>4}{sum(o.correct for o in group):>7}{sum(o.confident_wrong for o in group):>13}",
            file=out,
        )
    if verbose:
        for o in outcomes:
            if not o.correct:
                tag = "CONFIDENT WRONG" if o.confident_wrong else "declined"
                print(f"  [{tag}] ({o.item['kind']}) {o.item['q']!r}", file=out)
                print(f"      said {o.said!r} ({o.confidence:.2f}); expected {o.item['expected']!r}", file=out)
    return accuracy, (wrong / total if total else 0.0)


def curve(outcomes: list[Outcome], out=sys.stdout) -> None:
    """Accuracy against coverage: for each confidence threshold, how many questions would
    be answered, how many of those rightly, and how many confidently wrong."""
    total = len(outcomes)
    print(f"  {'threshold':>9}{'answered':>10}{'right':>7}{'wrong':>7}{'precision':>11}", file=out)
    for t in (0.5, 0.6, 0.7, 0.8, 0.9, 1.0):
        given = [o for o in outcomes if o.said is not None and o.confidence >= t - 1e-9]
        right = sum(o.correct for o in given)
        print(
            f"  {t:>9.2f}{len(given):>6}/{total:<3}{right:>7}{len(given) - right:>7}{(right / len(given) if given else 1):>11.1%}",
            file=out,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set",
        choices=[*SETS, "both", "tuned"],
        default="dev",
        help="both: dev and holdout; tuned: dev and blind-dev (blind-holdout only by name)",
    )
    parser.add_argument("--db", type=Path, default=ROOT / "facts.json")
    parser.add_argument("--min-accuracy", type=float, default=None)
    parser.add_argument(
        "-v", "--verbose", action="store_true", help="List every question answered wrongly or declined."
    )
    parser.add_argument(
        "--curve", action="store_true", help="Print accuracy against coverage for confidence thresholds."
    )
    args = parser.parse_args(argv)
    names = {"both": ["dev", "holdout"], "tuned": list(TUNED)}.get(args.set, [args.set])
    status = 0
    for name in names:
        os.environ["FACTCLI_TODAY"] = TODAY_OF.get(name, TODAY)
        outcomes = evaluate(load(SETS[name]), args.db)
        accuracy, wrong = report(name, outcomes, args.verbose)
        if args.curve:
            curve(outcomes)
        floor = args.min_accuracy if args.min_accuracy is not None else MIN_ACCURACY.get(name)
        if floor is not None and accuracy < floor:
            print(f"{name}: accuracy {accuracy:.1%} is below the floor {floor:.1%}", file=sys.stderr)
            status = 1
        if name in TUNED and wrong > MAX_CONFIDENT_WRONG:
            print(f"{name}: {wrong:.1%} confidently wrong, above {MAX_CONFIDENT_WRONG:.0%}", file=sys.stderr)
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
