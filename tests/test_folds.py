"""bench/folds.py: held-out outcomes of fold models, and the threshold chosen on them."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bench.fit import THRESHOLDS, Outcome, fit_variant
from bench.folds import fold_outcomes, held_out_threshold, other_groups_thresholds
from bench.shows import BLIND_FILE, Case, Item, fold_groups, load_shows, trace_show
from index.rank import sigmoid

MODEL = Path(__file__).resolve().parent.parent / "index" / "data" / "minilm"


def _outcome(probability: float, answerable: bool, right: bool = True) -> Outcome:
    item = Item("q", ("a",) if answerable else (), "", BLIND_FILE)
    return Outcome(Case(item, np.zeros((1, 1)), np.array([right])), probability, right, right)


def _group(answerable: list[float], out_of_scope: list[float]) -> dict[str, list[Outcome]]:
    return {"show": [_outcome(p, True) for p in answerable] + [_outcome(p, False) for p in out_of_scope]}


def test_a_groups_threshold_is_chosen_on_the_other_groups_only():
    sure = _group([0.9] * 10, [0.7] * 5)  # only a cut in (0.7, 0.9] is perfect here
    unsure = _group([0.55] * 10, [0.2] * 5)  # ... and only one in (0.2, 0.55] here
    assert held_out_threshold({"a": sure}) > 0.7
    groups = {"a": sure, "b": unsure, "c": unsure}
    thresholds = other_groups_thresholds(groups)
    assert thresholds["a"] == held_out_threshold({"b": unsure, "c": unsure}) <= 0.55
    # what group a holds never moves its own threshold
    groups["a"] = _group([0.1] * 10, [0.95] * 5)
    assert other_groups_thresholds(groups)["a"] == thresholds["a"]


def test_the_pooled_threshold_refuses_fewer_of_the_less_sure_shows():
    pooled = held_out_threshold({"a": _group([0.9] * 10, [0.3] * 5), "b": _group([0.6] * 10, [0.2] * 5)})
    assert pooled in THRESHOLDS and 0.3 < pooled <= 0.6


def test_fold_groups_read_folds_json(tmp_path):
    (tmp_path / "folds.json").write_text(json.dumps({"x": "f1", "y": "f2", "z": "f1"}), encoding="utf-8")
    assert fold_groups(tmp_path) == {"f1": ["x", "z"], "f2": ["y"]}


@pytest.fixture(scope="module")
def three_shows():
    return sorted(load_shows(), key=lambda s: len(s.items))[:3]


def test_fold_outcomes_fit_without_the_held_show_and_score_its_blind_questions(tmp_path, three_shows, embedder):
    """The packaged model stands in for a fold model here; what is checked is which show fits and which is scored."""
    held, *others = three_shows
    (tmp_path / "fold").symlink_to(MODEL, target_is_directory=True)
    (tmp_path / "folds.json").write_text(json.dumps({s.name: "fold" for s in [held]}), encoding="utf-8")
    groups = fold_outcomes(three_shows, tmp_path)
    assert list(groups) == ["fold"] and list(groups["fold"]) == [held.name]
    outs = groups["fold"][held.name]
    assert len(outs) == sum(i.file == BLIND_FILE for i in held.items)
    assert all(o.case.item.file == BLIND_FILE for o in outs)
    # the answer check that scored them is the one fitted on the other shows alone
    fitted, _ = fit_variant({s.name: trace_show(s, embedder)[1] for s in others}, "semantic")
    row = next(o.row for o in outs if o.row is not None)
    expected = sigmoid(float(fitted.answer.logits(row[None, :])[0]))
    assert next(o.probability for o in outs if o.row is not None) == pytest.approx(expected)


def test_fold_outcomes_refuse_a_folds_json_naming_unknown_shows(tmp_path, three_shows):
    (tmp_path / "fold").symlink_to(MODEL, target_is_directory=True)
    (tmp_path / "folds.json").write_text(json.dumps({"no-such-show": "fold"}), encoding="utf-8")
    with pytest.raises(ValueError, match="no-such-show"):
        fold_outcomes(three_shows, tmp_path)
