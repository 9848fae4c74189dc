"""The development questions, answered through the real path, must stay as good as they are."""

from __future__ import annotations

from . import evaluate


def test_dev_set_accuracy_and_no_confident_wrong_answers():
    outcomes = evaluate.evaluate(evaluate.load(evaluate.SETS["dev"]), evaluate.ROOT / "facts.json")
    accuracy = sum(o.correct for o in outcomes) / len(outcomes)
    confident_wrong = sum(o.confident_wrong for o in outcomes) / len(outcomes)
    misses = [(o.item["q"], o.said) for o in outcomes if not o.correct]
    assert accuracy >= evaluate.MIN_ACCURACY, misses
    assert confident_wrong <= evaluate.MAX_CONFIDENT_WRONG, misses


def test_evaluate_script_exit_status():
    assert evaluate.main(["--set", "dev"]) == 0
    assert evaluate.main(["--set", "dev", "--min-accuracy", "1.01"]) == 1


def test_scoring_rules():
    item = {"type": "when", "accept": ["2025-07-03"]}
    assert evaluate.is_correct(item, "2025-07-03 (Thursday)")
    assert not evaluate.is_correct(item, "2025-07-04 (Friday)")
    assert evaluate.is_correct({"type": "yesno", "accept": ["no"]}, "No: 2025-07-03 (Thursday), not 2023-07-03")
    assert evaluate.is_correct({"type": "list", "accept": ["China, Pakistan"]}, "Pakistan, China")
    assert evaluate.is_correct({"type": "count", "accept": ["2000000"]}, "2 million")
    assert evaluate.is_correct({"type": "who", "accept": ["Gul Hassan"]}, "gul hassan")
