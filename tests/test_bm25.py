"""The sparse scorer gives exactly rank-bm25's BM25Okapi scores and ranking."""

import random

import numpy as np
import pytest
from rank_bm25 import BM25Okapi

from index.bm25 import SparseBM25


def random_corpus(rng, n_docs, vocab_size):
    vocab = [f"w{i}" for i in range(vocab_size)]
    weights = [1 / (i + 1) for i in range(vocab_size)]  # Zipf-like
    return [rng.choices(vocab, weights, k=rng.randint(0, 30)) for _ in range(n_docs)]


def reference_top(scores, k):
    order = np.argsort(-scores, kind="stable")
    return order[:k]


@pytest.mark.parametrize("seed", range(8))
def test_same_scores_and_top10_as_rank_bm25(seed):
    rng = random.Random(seed)
    corpus = random_corpus(rng, rng.randint(5, 400), rng.randint(3, 200))
    if not any(corpus):
        corpus[0] = ["w0"]
    ref = BM25Okapi(corpus)
    ours = SparseBM25(corpus)
    vocab = sorted({t for d in corpus for t in d}) + ["unknown"]
    for _ in range(25):
        query = rng.choices(vocab, k=rng.randint(1, 6))  # repeats and unknown terms included
        expected = ref.get_scores(query)
        np.testing.assert_allclose(ours.get_scores(query), expected, rtol=1e-9, atol=0)
        ids, scores = ours.top_k(query, 10)
        top = reference_top(expected, 10)
        np.testing.assert_array_equal(ids, top)
        np.testing.assert_allclose(scores, expected[top], rtol=1e-9, atol=0)


def test_ties_go_to_the_earlier_document():
    corpus = [["a", "b"], ["a", "b"], ["c"], ["a", "b"], ["d", "e"]]
    ids, scores = SparseBM25(corpus).top_k(["a"], 2)
    assert list(ids) == [0, 1] and scores[0] == scores[1]


def test_negative_idf_gets_the_epsilon_floor():
    corpus = [["x", "y"], ["x"], ["x", "z"], ["w"]]
    ref, ours = BM25Okapi(corpus), SparseBM25(corpus)
    assert ref.idf["x"] == pytest.approx(ours.term_idf("x"), rel=1e-12)
    np.testing.assert_allclose(ours.get_scores(["x", "z"]), ref.get_scores(["x", "z"]), rtol=1e-9)


def test_fewer_matches_than_k_fall_back_to_document_order():
    corpus = [["a"], ["b"], ["c"], ["d"]]
    ids, _ = SparseBM25(corpus).top_k(["c"], 3)
    assert list(ids) == [2, 0, 1]


def test_empty_corpus_is_refused():
    with pytest.raises(ValueError):
        SparseBM25([])


def test_bit_identical_on_a_zipf_corpus_with_near_ties():
    """Equal scores must come out as the very same floats, or ties would order differently."""
    from bench.corpus import build_corpus, sample_queries
    from bench.measure import passage_terms
    from index import Engine
    from index.tokens import Tokenizer

    corpus = build_corpus(1000)
    engine = Engine(corpus)
    ref = BM25Okapi(passage_terms(engine))
    tok = Tokenizer()
    for question in sample_queries(corpus, 150):
        query = list(dict.fromkeys(tok.terms(question)))
        expected = ref.get_scores(query)
        np.testing.assert_array_equal(engine.index.bm25.get_scores(query), expected)
        ids, _ = engine.index.bm25.top_k(query, 10)
        np.testing.assert_array_equal(ids, reference_top(expected, 10))


@pytest.mark.filterwarnings("error")
def test_documents_without_any_term_score_zero():
    """A corpus of empty documents (an article of "..." only) is an index that matches nothing, not a crash."""
    bm25 = SparseBM25([[], []])
    assert bm25.term_idf("a") is None
    np.testing.assert_array_equal(bm25.get_scores(["a"]), [0.0, 0.0])
    ids, scores = bm25.top_k(["a"], 10)
    assert list(ids) == [0, 1] and list(scores) == [0.0, 0.0]


def test_pruned_ranking_is_the_exhaustive_one_to_the_last_bit():
    """Leaving out documents that hold only the query's commonest terms changes no top-10 and no score."""
    rng = random.Random(11)
    vocab = [f"w{i}" for i in range(400)]
    weights = [1 / (i + 1) ** 1.1 for i in range(400)]
    corpus = [rng.choices(vocab, weights, k=rng.randint(3, 40)) for _ in range(3000)]
    ours = SparseBM25(corpus)
    ours.PRUNE_MIN_DOCS = 0  # prune even so small a corpus
    dense = SparseBM25(corpus)
    dense._pruned_top_k = lambda query, k: None  # the exhaustive path
    pruned = 0
    for _ in range(300):
        query = rng.choices(vocab[:5], k=rng.randint(0, 2)) + rng.choices(vocab, k=rng.randint(1, 4))
        k = rng.choice([1, 3, 10])
        got, want = ours.top_k(query, k), dense.top_k(query, k)
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])  # the same floats, not merely close
        pruned += ours._pruned_top_k(query, k) is not None
    assert pruned > 100  # the pruned path was taken
