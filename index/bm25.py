"""Exact BM25Okapi (as rank-bm25 defines it) over an inverted index.

Scores are the same floats ``rank_bm25.BM25Okapi.get_scores`` gives, but only
documents that contain a query term are touched, and postings live in three
flat numpy arrays instead of one dict per document.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence

import numpy as np


class SparseBM25:
    """BM25Okapi with k1, b and the epsilon floor for negative idf, as in rank-bm25."""

    def __init__(
        self, corpus: Iterable[Sequence[str]], k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25
    ) -> None:
        vocab: dict[str, int] = {}
        lookup = vocab.setdefault
        flat: array[int] = array("i")
        lengths: array[int] = array("i")
        for doc in corpus:
            flat.extend([lookup(term, len(vocab)) for term in doc])
            lengths.append(len(doc))
        doc_lengths = np.frombuffer(lengths, dtype=np.int32) if lengths else np.zeros(0, np.int32)
        starts = np.zeros(len(doc_lengths), dtype=np.int64)
        np.cumsum(doc_lengths[:-1], out=starts[1:])
        self._build(np.frombuffer(flat, dtype=np.int32) if flat else np.zeros(0, np.int32), starts, doc_lengths,
                    vocab, k1, b, epsilon)

    @classmethod
    def from_ids(
        cls, flat: np.ndarray, starts: np.ndarray, lengths: np.ndarray, vocab: dict[str, int],
        k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25,
    ) -> SparseBM25:
        """Documents given as slices ``flat[starts[d] : starts[d] + lengths[d]]`` of term ids (they may overlap)."""
        self = cls.__new__(cls)
        self._build(flat, starts, lengths, vocab, k1, b, epsilon)
        return self

    def _build(self, flat: np.ndarray, starts: np.ndarray, lengths: np.ndarray, vocab: dict[str, int],
               k1: float, b: float, epsilon: float) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.vocab = vocab
        self.corpus_size = len(lengths)
        if self.corpus_size == 0:
            raise ValueError("cannot index an empty corpus")
        self.doc_len = np.asarray(lengths, dtype=np.int64)
        self.avgdl = int(self.doc_len.sum()) / self.corpus_size
        self._build_postings(np.asarray(flat), np.asarray(starts, dtype=np.int64))
        self._calc_idf()
        # rank-bm25's length normalisation, computed the same way
        self._norm = self.k1 * (1 - self.b + self.b * self.doc_len / self.avgdl)

    def _build_postings(self, flat: np.ndarray, starts: np.ndarray) -> None:
        n_docs, n_terms = self.corpus_size, len(self.vocab)
        lengths = self.doc_len
        total = int(lengths.sum())
        firsts = np.zeros(n_docs, dtype=np.int64)
        np.cumsum(lengths[:-1], out=firsts[1:])
        # position in ``flat`` of each token of each document, documents one after another
        positions = np.arange(total, dtype=np.int64) - np.repeat(firsts - starts, lengths)
        keys = flat[positions].astype(np.int64) * n_docs
        del positions
        keys += np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
        pairs, tf = np.unique(keys, return_counts=True)
        del keys
        terms = pairs // n_docs
        self.doc_ids = (pairs - terms * n_docs).astype(np.int32)
        self.tf = np.minimum(tf, np.iinfo(np.uint16).max).astype(np.uint16)
        self.df = np.bincount(terms, minlength=n_terms).astype(np.int64)
        self.offsets = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(self.df, out=self.offsets[1:])

    def _calc_idf(self) -> None:
        df = self.df.astype(np.float64)
        idf = np.log(self.corpus_size - df + 0.5) - np.log(df + 0.5)
        self.average_idf = float(idf.sum()) / len(idf)
        idf[idf < 0] = self.epsilon * self.average_idf
        self.idf = idf

    def term_idf(self, term: str) -> float | None:
        """The term's idf, or None when no document has it."""
        tid = self.vocab.get(term)
        return None if tid is None else float(self.idf[tid])

    def _accumulate(self, query: Sequence[str], scores: np.ndarray, touched: np.ndarray | None) -> None:
        for term in query:
            tid = self.vocab.get(term)
            if tid is None:
                continue
            lo, hi = self.offsets[tid], self.offsets[tid + 1]
            ids = self.doc_ids[lo:hi]
            tf = self.tf[lo:hi].astype(np.float64)
            scores[ids] += self.idf[tid] * (tf * (self.k1 + 1) / (tf + self._norm[ids]))
            if touched is not None:
                touched[ids] = True

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Every document's score, exactly as ``rank_bm25.BM25Okapi.get_scores``."""
        scores = np.zeros(self.corpus_size)
        self._accumulate(query, scores, None)
        return scores

    def top_k(self, query: Sequence[str], k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents (score descending, then document order) and their scores.

        Equal to the first k of a stable sort of ``get_scores`` by descending score.
        """
        k = min(k, self.corpus_size)
        scores = np.zeros(self.corpus_size)
        touched = np.zeros(self.corpus_size, dtype=bool)
        self._accumulate(query, scores, touched)
        candidates = np.flatnonzero(touched)
        if len(candidates) >= k > 0:
            best = _best(candidates, scores[candidates], k)
            if scores[best[-1]] > 0:  # untouched documents score 0 and cannot beat these
                return best, scores[best]
        best = _best(np.arange(self.corpus_size), scores, k)
        return best, scores[best]

    @property
    def nbytes(self) -> int:
        """Memory held by the index arrays (the vocabulary dict not included)."""
        arrays = (self.doc_ids, self.tf, self.df, self.offsets, self.idf, self._norm, self.doc_len)
        return sum(a.nbytes for a in arrays)


def _best(ids: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Of ``ids`` (ascending), the k with the highest score; ties go to the lower id."""
    if k <= 0:
        return ids[:0]
    if len(ids) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        keep = scores >= kth
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((ids, -scores))[:k]
    return ids[order]
