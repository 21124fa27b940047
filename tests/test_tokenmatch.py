"""The second look: word-piece matching (index/tokenmatch.py), the shortlist's re-ranking and its fitting."""

from __future__ import annotations

import numpy as np
import pytest

from bench.fit import Stages, fit_stages, outcomes, shortlisted, to_json
from bench.shows import Case, Item
from index.articles import load_corpus
from index.embed import Embedder
from index.engine import Engine
from index.features import FEATURES
from index.rank import ANSWER_FEATURES, RERANK_FEATURES, LinearModel, Ranker, RankerVariant
from index.tokenmatch import RAW_COLUMNS, TOKEN_FEATURES, TokenMatch, with_gaps


def test_encode_tokens_gives_the_sentence_vector_and_its_pieces(embedder):
    text = "The series was directed by Ann Park."
    states = embedder.encode_tokens([text, "short"])
    np.testing.assert_allclose(states[0].vector, embedder.encode([text])[0], atol=1e-5)
    assert states[0].pieces.shape == (len(states[0].ids), embedder.dimension)
    np.testing.assert_allclose(np.linalg.norm(states[0].pieces, axis=1), 1.0, atol=1e-5)
    assert states[0].ids.tolist() == embedder.piece_ids([text])[0].tolist()
    assert len(states[1].ids) < len(states[0].ids)  # padding and [CLS]/[SEP] are left out


def test_the_sentence_that_holds_the_questions_pieces_matches_best(embedder):
    match = TokenMatch(embedder)
    question = embedder.encode_tokens(["who directed the show"])[0]
    texts = ["The show was directed by Ann Park.", "The weather was warm all week.", "Tickets are on sale now."]
    raw = match.raw(question, texts, texts)
    assert raw.shape == (3, RAW_COLUMNS)
    assert raw[0, 0] > raw[1, 0] and raw[0, 0] > raw[2, 0]
    assert raw[0, 1] > raw[1, 1] and raw[0, 1] > raw[2, 1]
    # the same texts again come from the cache, with the same numbers
    np.testing.assert_allclose(match.raw(question, texts[:1], texts), raw[:1])


def test_pieces_few_candidates_hold_weigh_more(embedder):
    """'directed' is in every candidate, 'Park' in one: matching the rare piece counts for more."""
    match = TokenMatch(embedder)
    question = embedder.encode_tokens(["directed by Park"])[0]
    pool = ["It was directed by Park.", "It was directed by Kim.", "It was directed by Lee.", "It was directed by Cho."]
    raw = match.raw(question, pool, pool)
    assert np.argmax(raw[:, 1]) == 0
    assert raw[0, 1] - raw[1:, 1].max() > raw[0, 0] - raw[1:, 0].max()


def test_the_cache_keeps_its_size(embedder):
    match = TokenMatch(embedder, cache_size=2)
    question = embedder.encode_tokens(["a question"])[0]
    texts = [f"sentence number {i}" for i in range(5)]
    match.raw(question, texts, texts)
    assert len(match._states) == 2
    with pytest.raises(ValueError):
        TokenMatch(embedder, cache_size=0)


def test_gaps_compare_with_the_best_of_the_shortlist():
    raw = np.array([[0.5, 0.4, 0.3], [0.7, 0.2, 0.1]])
    full = with_gaps(raw)
    assert full.shape == (2, len(TOKEN_FEATURES))
    np.testing.assert_allclose(full[:, 3], [0.0, -0.2])
    np.testing.assert_allclose(full[:, 4], [-0.2, 0.0])
    assert with_gaps(np.zeros((0, RAW_COLUMNS))).shape == (0, len(TOKEN_FEATURES))


QUESTION_ROW = {"known": 1.0, "known_rel": 1.0, "unknown_names": 0.0, "unknown_part": 0.0, "unknown_word": 0.0}


def _model(names: tuple[str, ...], weights: dict[str, float]) -> LinearModel:
    n = len(names)
    coef = np.array([weights.get(name, 0.0) for name in names])
    return LinearModel(names, np.zeros(n), np.ones(n), coef, 0.0)


def _variant(k: int) -> RankerVariant:
    ranker = _model(FEATURES, {"cos": 1.0})
    rerank = _model(RERANK_FEATURES, {"tok_recall": 1.0})
    return RankerVariant(ranker, _model(ANSWER_FEATURES, {"top_logit": 1.0}), 0.5, rerank, k)


def test_the_second_look_reorders_only_the_shortlist():
    lexical = RankerVariant(_model(FEATURES[:3], {}), _model(ANSWER_FEATURES, {}), 0.5)
    ranker = Ranker({"lexical": lexical, "semantic": _variant(3)})
    X = np.zeros((6, len(FEATURES)))
    X[:, FEATURES.index("cos")] = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4]  # the ranker's shortlist: rows 0, 1, 2
    asked = []

    def tokens(rows: np.ndarray) -> np.ndarray:
        asked.append(rows.tolist())
        raw = np.zeros((len(rows), RAW_COLUMNS))
        raw[:, 0] = [{0: 0.1, 1: 0.2, 2: 0.9}.get(int(r), 5.0) for r in rows]
        return raw

    ranked = ranker.run(X, True, QUESTION_ROW, tokens)
    assert asked == [[0, 1, 2]]  # only the shortlist is read word piece by word piece
    assert ranked.order.tolist() == [2, 1, 0]
    assert np.isneginf(ranked.logits[3:]).all()
    assert ranked.features.shape == (6, len(RERANK_FEATURES))
    assert ranked.answer_row[ANSWER_FEATURES.index("top_logit")] == pytest.approx(0.9)
    # words only, or no token scorer: the ranker alone
    assert ranker.run(X, True, QUESTION_ROW).order.tolist() == [0, 1, 2, 3, 4, 5]


def test_a_second_look_needs_a_shortlist_and_the_model():
    lexical = RankerVariant(_model(FEATURES[:3], {}), _model(ANSWER_FEATURES, {}), 0.5)
    with pytest.raises(ValueError):
        Ranker({"lexical": lexical, "semantic": _variant(1)})
    with pytest.raises(ValueError):
        Ranker({"lexical": _variant(3)})


def _case(rng: np.random.Generator, size: int = 10) -> Case:
    """The right row has a middling ranker feature but the best token recall."""
    X = rng.normal(size=(size, len(FEATURES))) * 0.1
    labels = np.zeros(size, dtype=bool)
    right = int(rng.integers(size))
    labels[right] = True
    cos = FEATURES.index("cos")
    X[:, cos] = rng.uniform(0, 1, size)
    X[right, cos] = 1.2  # always shortlisted
    X[int((right + 1) % size), cos] = 1.5  # but a wrong row beats it on the first look
    tokens = rng.uniform(0, 0.5, size=(size, RAW_COLUMNS))
    tokens[right, 0] = 0.9
    item = Item(q="q", answers=("a",), style="proper", file="questions.jsonl")
    return Case(item, X, labels, [f"s{i}" for i in range(size)], QUESTION_ROW, True, tokens=tokens)


def test_fitting_the_second_look_learns_from_the_shortlists():
    rng = np.random.default_rng(0)
    cases = [_case(rng) for _ in range(150)]
    cut = shortlisted(cases[0], _model(FEATURES, {"cos": 1.0}), 4)
    assert cut.X.shape == (4, len(RERANK_FEATURES)) and cut.labels.sum() == 1
    stages = fit_stages(cases, "semantic", shortlist=4)
    assert stages.rerank is not None and stages.shortlist == 4
    first = np.mean([o.top_right for o in outcomes(Stages(stages.ranker), None, cases)])
    second = np.mean([o.top_right for o in outcomes(stages, None, cases)])
    assert first < 0.5 and second > 0.9
    # without token columns (no model when traced) there is no second look
    assert fit_stages([Case(c.item, c.X, c.labels, c.quotes) for c in cases], "semantic").rerank is None
    variant = RankerVariant(stages.ranker, _model(ANSWER_FEATURES, {}), 0.5, stages.rerank, stages.shortlist)
    lexical = RankerVariant(_model(FEATURES[:3], {}), _model(ANSWER_FEATURES, {}), 0.5)
    again = Ranker.from_json(to_json({"lexical": lexical, "semantic": variant}, [], {}))
    assert again.variants["semantic"].shortlist == 4
    np.testing.assert_allclose(again.variants["semantic"].rerank.coef, stages.rerank.coef, atol=1e-5)


def test_a_question_caught_mid_swap_still_gets_the_second_look(seeds_dir, embedder):
    """While use_model swaps the model, the vectors and the token matcher may briefly disagree."""
    engine = Engine(load_corpus(seeds_dir), embedder=embedder)
    question = "who directed it?"
    expected = engine.trace(question)
    engine._token_match = TokenMatch(Embedder(embedder.files))  # the next model's matcher, not yet its vectors
    caught = engine.trace(question)
    _, variant = engine.ranker.variant(True)
    assert variant.rerank is not None
    assert caught.ranked.model is variant.rerank
    assert caught.ranked.order.tolist() == expected.ranked.order.tolist()
    assert caught.ranked.probability == pytest.approx(expected.ranked.probability)
