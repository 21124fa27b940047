"""The offline fitting of bench/fit.py on small made-up data whose answer is known."""

from __future__ import annotations

import numpy as np

from bench.fit import fit_softmax


def _groups(rng: np.random.Generator, n: int = 200, size: int = 8) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Groups where the right row has a higher feature 0; feature 1 is noise; feature 2 is the same in a group."""
    groups, labels = [], []
    for _ in range(n):
        X = rng.normal(size=(size, 3))
        X[:, 2] = rng.normal()
        y = np.zeros(size)
        y[rng.integers(size)] = 1.0
        X[y == 1, 0] += 2.0
        groups.append(X)
        labels.append(y)
    return groups, labels


def test_softmax_ranker_learns_which_row_wins():
    groups, labels = _groups(np.random.default_rng(0))
    model = fit_softmax(groups, labels, ("signal", "noise", "constant"))
    assert model.coef[0] > 1.0
    assert abs(model.coef[1]) < 0.3 * model.coef[0]
    test, test_labels = _groups(np.random.default_rng(1))
    top1 = np.mean([y[np.argmax(model.logits(X))] for X, y in zip(test, test_labels)])
    assert top1 > 0.6  # chance is 1/8


def test_softmax_ranker_with_two_right_rows_needs_only_one_on_top():
    """A question with two right candidates is served when either wins, though only one looks right."""
    rng = np.random.default_rng(2)
    groups, labels = [], []
    for _ in range(300):
        X = rng.normal(size=(6, 2))
        y = np.zeros(6)
        y[:2] = 1.0
        X[0, 0] += 3.0  # one right row stands out on feature 0, the other looks like the wrong ones
        groups.append(X)
        labels.append(y)
    model = fit_softmax(groups, labels, ("a", "b"))
    assert model.coef[0] > 1.0
    assert np.mean([np.argmax(model.logits(X)) < 2 for X in groups]) > 0.9
