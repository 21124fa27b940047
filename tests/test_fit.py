"""The offline fitting of bench/fit.py on small made-up data whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

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


def _interaction(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """In scope when feature 0 is high, unless feature 1 says the asked kind is missing *and* feature 2 asks for it."""
    X = rng.uniform(size=(n, 3))
    X[:, 1:] = X[:, 1:] > 0.5
    logit = 4 * (X[:, 0] - 0.5) - 5 * X[:, 1] * X[:, 2] + 1.2
    y = (rng.uniform(size=n) < 1 / (1 + np.exp(-logit))).astype(float)
    return X, y


def _auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y == 1], scores[y == 0]
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def test_boosted_trees_learn_what_a_weighted_sum_cannot():
    from bench.fit import TreeSettings, fit_logistic, fit_trees

    names = ("score", "kind_missing", "asks_kind")
    X, y = _interaction(np.random.default_rng(3), 1500)
    trees = fit_trees(X, y, names, TreeSettings())
    linear = fit_logistic(X, y, names)
    test, test_y = _interaction(np.random.default_rng(4), 1500)
    assert _auc(trees.logits(test), test_y) > _auc(linear.logits(test), test_y) + 0.02
    assert 0.65 < 1 / (1 + np.exp(-trees.logits(np.array([[0.9, 0.0, 1.0]]))[0]))  # answered: nothing missing
    assert 1 / (1 + np.exp(-trees.logits(np.array([[0.9, 1.0, 1.0]]))[0])) < 0.5  # missing what is asked


def test_boosted_trees_round_trip_and_explain():
    from bench.fit import TreeSettings, fit_trees
    from index.rank import BoostedTrees, answer_model_from_json

    names = ("score", "kind_missing", "asks_kind")
    X, y = _interaction(np.random.default_rng(5), 600)
    trees = fit_trees(X, y, names, TreeSettings(trees=20, depth=3, min_leaf=10))
    back = answer_model_from_json(trees.to_json())
    assert isinstance(back, BoostedTrees) and back.depth == 3
    assert np.allclose(back.logits(X), trees.logits(X), atol=1e-4)
    # the parts of a row's logit add up to it, less the constant part (base and roots)
    x = X[0]
    constant = trees.base + trees.value[:, 0].sum()
    assert abs(sum(trees.contributions(x).values()) + constant - trees.logits(x[None, :])[0]) < 1e-9
    bad = trees.to_json()
    bad["feature"][0][-1] = 0  # a split on the last level, which has no children
    with pytest.raises(ValueError):
        BoostedTrees.from_json(bad)


def test_the_answer_check_weighs_rare_evidence_that_no_tree_can_split_on():
    """A rare flag that always means out of scope: too few rows for a leaf, but the weighted sum under the trees
    has it."""
    from bench.fit import RARE_EVIDENCE, Outcome, fit_answer
    from bench.shows import Case, Item
    from index.rank import ANSWER_FEATURES, LinearWithTrees, answer_model_from_json

    rng = np.random.default_rng(8)
    flag = ANSWER_FEATURES.index(RARE_EVIDENCE[-1])
    outs = []
    for k in range(1200):
        row = rng.normal(size=len(ANSWER_FEATURES))
        rare = k % 60 == 0  # 20 rows: under two leaves' worth
        row[flag] = float(rare)
        in_scope = not rare and rng.uniform() < 1 / (1 + np.exp(-2 * row[0]))
        item = Item("q", ("a",) if in_scope else (), "", "questions.jsonl")
        outs.append(Outcome(Case(item, np.zeros((1, 1)), np.zeros(1)), 0.0, False, False, row))
    model = fit_answer(outs)
    assert isinstance(model, LinearWithTrees) and model.linear.coef[flag] / model.linear.scale[flag] < -2.0
    high = np.zeros(len(ANSWER_FEATURES))
    high[0] = 2.0
    flagged = high.copy()
    flagged[flag] = 1.0
    assert model.logits(flagged[None, :])[0] < model.logits(high[None, :])[0] - 1.0
    back = answer_model_from_json(model.to_json())
    assert isinstance(back, LinearWithTrees)
    assert np.allclose(back.logits(np.vstack([high, flagged])), model.logits(np.vstack([high, flagged])), atol=1e-4)
    parts = model.contributions(flagged)  # each feature's part: the weighted sum's and the trees' together
    constant = model.linear.intercept + model.trees.base + model.trees.value[:, 0].sum()
    assert abs(sum(parts.values()) + constant - model.logits(flagged[None, :])[0]) < 1e-6


def _show(rng: np.random.Generator, signal: str, decoy: str, n: int = 60) -> list:
    """A made-up show's traced questions: the right candidate stands out by the feature ``signal``, a wrong one by
    ``decoy``; a few are out of scope."""
    from bench.shows import Case, Item
    from index.features import FEATURES

    row = {"known": 1.0, "known_rel": 1.0, "unknown_names": 0.0, "unknown_part": 0.0, "unknown_word": 0.0}
    cases = []
    for k in range(n):
        X = rng.uniform(size=(6, len(FEATURES)))
        labels = np.zeros(6, dtype=bool)
        if k % 5:
            labels[k % 6] = True
            X[k % 6, FEATURES.index(signal)] += 1.5
            X[(k + 1) % 6, FEATURES.index(decoy)] += 1.5
        item = Item(f"q{k}", ("a",) if labels.any() else (), "", "questions.jsonl")
        cases.append(Case(item, X, labels, question_row=dict(row)))
    return cases


def test_a_shows_weight_counts_its_questions_that_many_times():
    from bench.fit import fit_variant

    rng = np.random.default_rng(3)
    shows = {"a": _show(rng, "cover", "bm25"), "b": _show(rng, "bm25", "cover"), "c": _show(rng, "cover", "bm25")}
    plain, _ = fit_variant(shows, "lexical")
    weighted, oof = fit_variant(shows, "lexical", weights={"b": 4})
    before, after = (dict(zip(m.ranker.names, m.ranker.coef / m.ranker.scale)) for m in (plain, weighted))
    assert before["cover"] > before["bm25"] and after["bm25"] > after["cover"]  # b outweighs a and c together
    assert len(oof) == 60 + 4 * 60 + 60  # the answer check's rows count as often too
    # the threshold may be chosen on some shows' out-of-fold rows alone
    alone, _ = fit_variant({"b": shows["b"], "c": shows["c"]}, "lexical", threshold_shows=frozenset({"b"}))
    assert 0.0 < alone.threshold < 1.0


def test_a_question_a_hard_fact_declines_counts_as_declined_whatever_its_probability():
    """Fitting ranks such questions (the models learn from every question); scoring declines them as the engine does."""
    from bench.fit import Outcome, score
    from bench.shows import Case, Item

    oos = Item("when does season 9 come out", (), "", "questions.jsonl")
    asked = Item("who directed it", ("Jane Doe",), "", "questions.jsonl")
    X, labels = np.zeros((1, 1)), np.ones(1, dtype=bool)
    outs = [
        Outcome(Case(oos, X, labels, hard_fact="no article gives that for that season or episode"), 0.99, False, False),
        Outcome(Case(oos, X, labels), 0.99, False, False),
        Outcome(Case(asked, X, labels, hard_fact="no article gives that age"), 0.99, True, True),
    ]
    s = score(outs, 0.5)
    assert (s.declined, s.oos) == (1, 2) and s.hits == 0 and s.refused_rate == 1.0


def test_the_reader_check_is_fitted_to_hear_both_and_keeps_the_declines():
    """bench.check: the reader's logit is heard where it tells right from wrong, and the threshold declines
    as many out-of-scope questions as asked for, no fewer."""
    from bench.check import Seen, choose_threshold, fit, rates
    from index.rank import ReaderCheck

    rng = np.random.default_rng(0)
    seen = []
    for k in range(600):
        abstain = k % 4 == 0
        right = not abstain and k % 3 != 0
        reader = rng.normal(3.0 if right else -1.0, 1.5)  # the reader tells them apart
        probability = float(np.clip(rng.normal(0.7 if right else 0.5, 0.2), 0.01, 0.99))
        seen.append(Seen("show", abstain, True, right, probability, float(reader)))
    seen.append(Seen("show", True, False, False, 0.0, 0.0))  # declined before ranking
    check_weight, reader_weight, intercept, evidence = fit(seen)
    assert reader_weight > 0.3 and check_weight > 0 and evidence == ()  # no evidence gathered: the two logits
    check = ReaderCheck("r", "k", check_weight, reader_weight, intercept, 0.5)
    plain = rates(seen, lambda s: s.probability, 0.6)
    threshold = choose_threshold(seen, check, plain["declined"])
    heard = rates(seen, lambda s: check.probability(s.probability, s.reader), threshold)
    assert heard["declined"] >= plain["declined"]
    assert (
        rates(seen, lambda s: check.probability(s.probability, s.reader), threshold - 1e-3)["declined"]
        < heard["declined"]
        or threshold <= 0.01
    )  # the lowest threshold that does
    assert heard["hit1"] > plain["hit1"]  # at those declines, more answered right
    assert choose_threshold(seen, check, 0.0) == 0.01


def test_the_reader_check_hears_the_evidence_and_learns_right_answers_from_out_of_scope_questions():
    """With evidence gathered, the check weighs it too; an answerable question whose best quote is wrong is left
    out of the fit, so adding any number of them changes no weight."""
    from bench.check import Seen, fit
    from index.rank import CHECK_EVIDENCE

    rng = np.random.default_rng(1)
    lead = CHECK_EVIDENCE.index("reader_lead")

    def one(abstain: bool, right: bool) -> Seen:
        evidence = rng.normal(size=len(CHECK_EVIDENCE))
        evidence[lead] = rng.normal(2.0 if right else -1.0, 1.0)  # the reader's lead tells them apart
        return Seen(
            "show",
            abstain,
            True,
            right,
            float(rng.uniform(0.2, 0.8)),
            float(rng.normal()),
            False,
            tuple(evidence.tolist()),
        )

    seen = [one(k % 3 == 0, k % 3 != 0) for k in range(600)]
    check_weight, reader_weight, intercept, evidence = fit(seen)
    assert len(evidence) == len(CHECK_EVIDENCE)
    assert evidence[lead] > 0.5 and all(abs(w) < evidence[lead] / 2 for k, w in enumerate(evidence) if k != lead)
    wrong = [one(False, False) for _ in range(300)]  # answerable, best quote wrong: not what the threshold trades
    assert fit(seen + wrong) == (check_weight, reader_weight, intercept, evidence)
