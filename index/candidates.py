"""Gather the sentences that might answer a question: two retrievers, fused.

- Words: BM25 over passages (three-sentence windows); every sentence of the best
  passages is a candidate, with its best passage's score.
- Meaning: when sentence vectors are ready, the sentences closest to the
  question's vector (cosine), whatever words they use.

Each candidate keeps its rank under each retriever, so the features can use a
reciprocal-rank fusion of the two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .build import Index
from .vectors import SentenceVectors


@dataclass(frozen=True)
class CandidateSettings:
    passages: int = 30  # best BM25 passages whose sentences are candidates
    semantic: int = 20  # sentences closest in meaning added to them
    semantic_scan_limit: int = 300_000  # above this many sentences, only BM25's candidates are compared by meaning

    def __post_init__(self) -> None:
        if self.passages < 1 or self.semantic < 0:
            raise ValueError("passages must be at least 1 and semantic at least 0")


@dataclass(frozen=True)
class Pool:
    """The candidate sentences of one question and what each retriever said of them."""

    sentences: np.ndarray  # int64 sentence ids
    passage_score: np.ndarray  # float64: best BM25 passage score (0 when only the meaning retriever found it)
    bm25_rank: np.ndarray  # int: rank of that passage (0 = best); large when not found by BM25
    cosine: np.ndarray | None  # float32 cosine to the question, when vectors are ready for every candidate
    cosine_rank: np.ndarray | None
    top_passage_score: float
    context_cosine: np.ndarray | None = None  # cosine of the sentence with its neighbours (mean vector)
    title_cosine: np.ndarray | None = None  # cosine of its article's title


NOT_FOUND = 1000


def gather(
    index: Index,
    terms: list[str],
    query_vector: np.ndarray | None,
    vectors: SentenceVectors | None,
    settings: CandidateSettings = CandidateSettings(),
) -> Pool:
    """The question's candidate sentences (BM25 over ``terms``, and cosine to ``query_vector``)."""
    best_score: dict[int, float] = {}
    best_rank: dict[int, int] = {}
    top = 0.0
    if terms:
        ids, scores = index.bm25.top_k(terms, settings.passages)
        top = float(scores[0]) if len(scores) else 0.0
        for rank, (p, s) in enumerate(zip(ids.tolist(), scores.tolist())):
            if s <= 0 and rank > 0:
                break
            for i in index.passage_sentences(p):
                if s > best_score.get(i, -1.0):
                    best_score[i] = s
                    best_rank.setdefault(i, rank)
    usable = vectors is not None and query_vector is not None and vectors.ready == index.sentence_count
    if usable and settings.semantic and index.sentence_count <= settings.semantic_scan_limit:
        sims = vectors.matrix @ query_vector
        k = min(settings.semantic, len(sims))
        nearest = np.argpartition(-sims, k - 1)[:k]
        for i in nearest.tolist():
            best_score.setdefault(i, 0.0)
    sentences = np.array(sorted(best_score), dtype=np.int64)
    passage_score = np.array([max(best_score[i], 0.0) for i in sentences.tolist()], dtype=np.float64)
    bm25_rank = np.array([best_rank.get(i, NOT_FOUND) for i in sentences.tolist()], dtype=np.int64)
    cosine = cosine_rank = context = titles = None
    n = index.sentence_count
    if (
        vectors is not None
        and query_vector is not None
        and len(sentences)
        and vectors.has_all(np.minimum(sentences + 1, n - 1))
    ):
        matrix = vectors.matrix
        cosine = matrix[sentences] @ query_vector
        order = np.argsort(-cosine, kind="stable")
        cosine_rank = np.empty(len(order), dtype=np.int64)
        cosine_rank[order] = np.arange(len(order))
        articles = index.sent_article[sentences]
        mixed = matrix[sentences].copy()
        for step in (-1, 1):
            other = np.clip(sentences + step, 0, n - 1)
            same = (index.sent_article[other] == articles) & (other != sentences)
            mixed += matrix[other] * same[:, None]
        context = (mixed / np.linalg.norm(mixed, axis=1, keepdims=True)) @ query_vector
        if vectors.titles is not None:
            titles = vectors.titles[articles] @ query_vector
    return Pool(sentences, passage_score, bm25_rank, cosine, cosine_rank, top, context, titles)
