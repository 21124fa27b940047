"""Exact BM25Okapi (as rank-bm25 defines it) over an inverted index.

Scores are the same floats ``rank_bm25.BM25Okapi.get_scores`` gives, but only
documents that contain a query term are touched, and postings live in three
flat numpy arrays instead of one dict per document.
"""

from __future__ import annotations

import math
import threading
from array import array
from collections.abc import Iterable, Sequence

import numpy as np

Pairs = tuple[np.ndarray, np.ndarray, np.ndarray]  # (term, document, tf), by term then document


def term_doc_pairs(flat: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> Pairs:
    """Each distinct (term, document) of documents ``flat[starts[d] : starts[d] + lengths[d]]``, with its count.

    Sorted by term, then document; terms int64, documents int32, counts int64.
    """
    lengths = np.asarray(lengths, dtype=np.int64)
    n_docs, total = len(lengths), int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.int64)
    firsts = np.zeros(n_docs, dtype=np.int64)
    np.cumsum(lengths[:-1], out=firsts[1:])
    # position in ``flat`` of each token of each document, documents one after another
    positions = np.arange(total, dtype=np.int64) - np.repeat(firsts - np.asarray(starts, dtype=np.int64), lengths)
    keys = flat[positions].astype(np.int64) * n_docs
    del positions
    keys += np.repeat(np.arange(n_docs, dtype=np.int64), lengths)
    pairs, tf = np.unique(keys, return_counts=True)
    del keys
    terms = pairs // n_docs
    docs = (pairs - terms * n_docs).astype(np.int32)
    return terms, docs, tf.astype(np.int64, copy=False)


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
        self._build(
            np.frombuffer(flat, dtype=np.int32) if flat else np.zeros(0, np.int32),
            starts,
            doc_lengths,
            vocab,
            k1,
            b,
            epsilon,
        )

    @classmethod
    def from_ids(
        cls,
        flat: np.ndarray,
        starts: np.ndarray,
        lengths: np.ndarray,
        vocab: dict[str, int],
        k1: float = 1.5,
        b: float = 0.75,
        epsilon: float = 0.25,
        pairs: Pairs | None = None,
    ) -> SparseBM25:
        """Documents given as slices ``flat[starts[d] : starts[d] + lengths[d]]`` of term ids (they may overlap).

        ``pairs``: their ``term_doc_pairs``, when already counted (by the processes that read the articles).
        """
        self = cls.__new__(cls)
        self._build(flat, starts, lengths, vocab, k1, b, epsilon, pairs)
        return self

    ARRAYS = (
        "once_docs",
        "once_offsets",
        "more_docs",
        "more_offsets",
        "more_tf",
        "df",
        "idf",
        "norm",
        "weight_once",
        "doc_len",
    )

    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict[str, float]]:
        """The index as named arrays and scalars (what ``from_arrays`` takes back), e.g. to save it."""
        arrays = dict(
            zip(
                self.ARRAYS,
                (
                    self.once.docs,
                    self.once.offsets,
                    self.more.docs,
                    self.more.offsets,
                    self.more_tf,
                    self.df,
                    self.idf,
                    self._norm,
                    self._weight_once,
                    self.doc_len,
                ),
            )
        )
        scalars = {
            "k1": self.k1,
            "b": self.b,
            "epsilon": self.epsilon,
            "avgdl": self.avgdl,
            "average_idf": self.average_idf,
        }
        return arrays, scalars

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], scalars: dict[str, float], vocab: dict[str, int]) -> SparseBM25:
        """An index from ``to_arrays``'s output (arrays may be read-only memory maps)."""
        self = cls.__new__(cls)
        self.k1, self.b, self.epsilon = float(scalars["k1"]), float(scalars["b"]), float(scalars["epsilon"])
        self.avgdl, self.average_idf = float(scalars["avgdl"]), float(scalars["average_idf"])
        self.vocab = vocab
        self.doc_len = arrays["doc_len"]
        self.corpus_size = len(self.doc_len)
        self.once = _Postings.of_arrays(arrays["once_docs"], arrays["once_offsets"])
        self.more = _Postings.of_arrays(arrays["more_docs"], arrays["more_offsets"])
        self.more_tf, self.df, self.idf = arrays["more_tf"], arrays["df"], arrays["idf"]
        self._norm, self._weight_once = arrays["norm"], arrays["weight_once"]
        self._local = threading.local()
        return self

    def _build(
        self,
        flat: np.ndarray,
        starts: np.ndarray,
        lengths: np.ndarray,
        vocab: dict[str, int],
        k1: float,
        b: float,
        epsilon: float,
        pairs: Pairs | None = None,
    ) -> None:
        self.k1, self.b, self.epsilon = k1, b, epsilon
        self.vocab = vocab
        self.corpus_size = len(lengths)
        if self.corpus_size == 0:
            raise ValueError("cannot index an empty corpus")
        self.doc_len = np.asarray(lengths, dtype=np.int64)
        self.avgdl = int(self.doc_len.sum()) / self.corpus_size
        self._build_postings(np.asarray(flat), np.asarray(starts, dtype=np.int64), pairs)
        self._calc_idf()
        # rank-bm25's length normalisation, computed the same way (documents without terms: no length to weigh)
        avgdl = self.avgdl or 1.0
        self._norm = self.k1 * (1 - self.b + self.b * self.doc_len / avgdl)
        self._weight_once = 1.0 * (self.k1 + 1) / (1.0 + self._norm)
        self._local = threading.local()

    def _build_postings(self, flat: np.ndarray, starts: np.ndarray, pairs: Pairs | None = None) -> None:
        n_terms = len(self.vocab)
        terms, docs, tf = pairs if pairs is not None else term_doc_pairs(flat, starts, self.doc_len)
        self.df = np.bincount(terms, minlength=n_terms).astype(np.int64)
        # Most postings have tf == 1: they need no tf, and their weight per document is precomputed.
        once = tf == 1
        self.once = _Postings(docs[once], terms[once], n_terms)
        self.more = _Postings(docs[~once], terms[~once], n_terms)
        self.more_tf = np.minimum(tf[~once], np.iinfo(np.uint16).max).astype(np.uint16)

    def _calc_idf(self) -> None:
        """rank-bm25's idf: log((N - df + 0.5) / (df + 0.5)), negative values floored at epsilon * mean idf.

        Computed as rank-bm25 does, term by term with ``math.log`` and a running sum in first-seen
        order, so the floats are identical (numpy's log can differ in the last bit).
        """
        n = self.corpus_size
        idf = [math.log(n - df + 0.5) - math.log(df + 0.5) for df in self.df.tolist()]
        total = 0.0
        for value in idf:
            total += value
        self.average_idf = total / len(idf) if idf else 0.0  # no term at all: nothing will ever match
        self.idf = np.asarray(idf, dtype=np.float64)
        self.idf[self.idf < 0] = self.epsilon * self.average_idf

    def term_idf(self, term: str) -> float | None:
        """The term's idf, or None when no document has it."""
        tid = self.vocab.get(term)
        return None if tid is None else float(self.idf[tid])

    def _accumulate(self, query: Sequence[str], scores: np.ndarray) -> None:
        """Add each query term's BM25 contribution, in query order, with rank-bm25's float operations."""
        k1 = self.k1
        for term in query:
            tid = self.vocab.get(term)
            if tid is None:
                continue
            idf = self.idf[tid]
            ids = self.once.of(tid)
            part = self._weight_once.take(ids)  # == 1.0 * (k1 + 1) / (1.0 + norm)
            part *= idf
            np.add.at(scores, ids, part)  # ids are unique: the same as scores[ids] += part, and faster
            lo, hi = self.more.offsets[tid], self.more.offsets[tid + 1]
            if hi > lo:
                ids = self.more.docs[lo:hi]
                tf = self.more_tf[lo:hi].astype(np.float64)
                np.add.at(scores, ids, idf * (tf * (k1 + 1) / (tf + self._norm.take(ids))))

    def get_scores(self, query: Sequence[str]) -> np.ndarray:
        """Every document's score, exactly as ``rank_bm25.BM25Okapi.get_scores``."""
        scores = np.zeros(self.corpus_size)
        self._accumulate(query, scores)
        return scores

    def top_k(self, query: Sequence[str], k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The k best documents (score descending, then document order) and their scores.

        Equal to the first k of a stable sort of ``get_scores`` by descending score.
        """
        k = min(k, self.corpus_size)
        pruned = self._pruned_top_k(query, k)
        if pruned is not None:
            return pruned
        scores = self._scratch()
        try:
            self._accumulate(query, scores)
            sample = self._sample(query, k)
            if len(sample) >= k > 0:
                # the k-th best of a sample is a lower bound of the k-th best overall
                bound = np.partition(scores[sample], len(sample) - k)[len(sample) - k]
                if bound > 0:
                    candidates = np.flatnonzero(scores >= bound)
                    best = _best(candidates, scores[candidates], k)
                    return best, scores[best]
            best = _best(np.arange(self.corpus_size), scores, k)
            return best, scores[best]
        finally:
            scores.fill(0.0)

    PRUNE_MAX_SHARE = 0.25  # beyond this share of the documents as candidates, scoring them all is as quick
    PRUNE_MIN_DOCS = 50_000  # below this, scoring every document that has a query term is quicker still

    def _pruned_top_k(self, query: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray] | None:
        """``top_k`` without touching documents that only hold the query's commonest terms, when that is safe.

        A lower bound of the k-th best score comes from a sample (the rarest terms' documents,
        scored exactly). The commonest terms whose contributions could add up to no more than
        that bound even together cannot lift a document that has none of the other terms into
        the top k, so only documents holding one of the other terms are candidates. Their scores
        are computed term by term in query order with the same float operations as
        ``_accumulate``, so they are the same floats; None when the bound does not allow it.
        """
        if self.corpus_size < self.PRUNE_MIN_DOCS:
            return None
        tids = [t for t in map(self.vocab.get, query) if t is not None]
        if not tids or k <= 0 or float(self.idf[tids].min()) <= 0:
            return None
        sample = self._sample(query, k)
        if len(sample) < k:
            return None
        sampled = self._exact(tids, sample)
        bound = float(np.partition(sampled, len(sampled) - k)[len(sampled) - k])
        if bound <= 0:
            return None
        distinct = sorted(set(tids), key=lambda t: (self.df[t], t))  # rarest first
        most = {t: 0.0 for t in distinct}
        for t in tids:  # a term asked twice counts twice
            most[t] += float(self.idf[t]) * (self.k1 + 1)  # tf (k1 + 1) / (tf + norm) < k1 + 1
        needed, total = list(distinct), 0.0
        while len(needed) > 1 and total + most[needed[-1]] < bound * (1 - 1e-9):  # a margin for rounding
            total += most[needed.pop()]
        if len(needed) == len(distinct) and len(distinct) > 1:
            return None  # nothing to leave out
        if sum(int(self.df[t]) for t in needed) > self.PRUNE_MAX_SHARE * self.corpus_size:
            return None
        parts = [p for t in needed for p in (self.once.of(t), self.more.of(t))]
        candidates = np.concatenate(parts)
        if len(needed) > 1:
            candidates = self._distinct(candidates)
        scores = self._exact(tids, candidates)
        rows = _best_rows(candidates, scores, k)
        return candidates[rows], scores[rows]

    def _exact(self, tids: Sequence[int], docs: np.ndarray) -> np.ndarray:
        """The scores of ``docs``: ``_accumulate``'s float operations, in the same order, for these documents only."""
        scores = np.zeros(len(docs))
        k1 = self.k1
        for tid in tids:
            idf = self.idf[tid]
            once = self.once.of(tid)
            hit, at = _find(once, docs)
            if len(at):
                part = self._weight_once.take(docs[at])
                part *= idf
                scores[at] += part
            lo, hi = self.more.offsets[tid], self.more.offsets[tid + 1]
            if hi > lo:
                hit, at = _find(self.more.docs[lo:hi], docs)
                if len(at):
                    tf = self.more_tf[lo:hi][hit].astype(np.float64)
                    scores[at] += idf * (tf * (k1 + 1) / (tf + self._norm.take(docs[at])))
        return scores

    def _sample(self, query: Sequence[str], k: int) -> np.ndarray:
        """Documents of the query's rarest terms, at least k of them when there are that many."""
        tids = sorted({t for t in map(self.vocab.get, query) if t is not None}, key=lambda t: self.df[t])
        parts, count = [], 0
        for tid in tids:
            parts += [self.once.of(tid), self.more.of(tid)]
            count += int(self.df[tid])
            if count >= 4 * k:
                break
        if not parts:
            return np.zeros(0, np.int32)
        ids = np.concatenate(parts)
        if len(parts) > 2:  # several terms may share documents; one term's two lists never do
            ids = self._distinct(ids)
        return ids

    def _distinct(self, ids: np.ndarray) -> np.ndarray:
        """``ids`` without repeats (in no particular order), in time linear in ``len(ids)``."""
        slots = getattr(self._local, "slots", None)
        if slots is None:
            slots = self._local.slots = np.zeros(self.corpus_size, dtype=np.int64)
        order = np.arange(len(ids), dtype=np.int64)
        slots[ids] = order  # of repeated ids one position wins; only that one is kept
        return ids[slots[ids] == order]

    def _scratch(self) -> np.ndarray:
        """A zeroed score array for this thread, reused across queries."""
        scores = getattr(self._local, "scores", None)
        if scores is None:
            scores = self._local.scores = np.zeros(self.corpus_size)
        return scores

    @property
    def nbytes(self) -> int:
        """Memory held by the index arrays (the vocabulary dict not included)."""
        return sum(a.nbytes for a in self.to_arrays()[0].values())


class _Postings:
    """For each term, the ascending ids of the documents that have it: one flat array and offsets."""

    def __init__(self, docs: np.ndarray, terms: np.ndarray, n_terms: int) -> None:
        self.docs = docs
        self.offsets = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=n_terms), out=self.offsets[1:])

    @classmethod
    def of_arrays(cls, docs: np.ndarray, offsets: np.ndarray) -> _Postings:
        self = cls.__new__(cls)
        self.docs, self.offsets = docs, offsets
        return self

    def of(self, tid: int) -> np.ndarray:
        return self.docs[self.offsets[tid] : self.offsets[tid + 1]]


def _find(postings: np.ndarray, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Where each of ``docs`` found in ``postings`` (ascending) is: (positions in postings, positions in docs)."""
    if len(postings) == 0 or len(docs) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    pos = np.searchsorted(postings, docs)
    pos[pos == len(postings)] = 0
    found = np.flatnonzero(postings[pos] == docs)
    return pos[found], found


def _best_rows(ids: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Positions in ``ids`` of the k with the highest score (ties to the lower id), best first."""
    rows = np.arange(len(ids))
    if k <= 0:
        return rows[:0]
    if len(ids) > k:
        kth = np.partition(scores, len(scores) - k)[len(scores) - k]
        rows = np.flatnonzero(scores >= kth)
    return rows[np.lexsort((ids[rows], -scores[rows]))[:k]]


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
