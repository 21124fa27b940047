"""Word-piece matching in the sentence model's context vectors: the second look at a shortlist.

A sentence vector squeezes a sentence into one point; a paraphrase that answers
the question can sit far from it while one shared phrase pulls a wrong sentence
close. Here each of the question's word pieces, as the model read it in
context, looks for its best match among a candidate's word pieces (the recall
half of BERTScore). Pieces that few of the question's candidates hold weigh more
(an inverse document frequency over the candidate pool, so no corpus-wide count
is needed). This costs one model run per candidate, so only the ranker's
shortlist is read this way (rank.py); the texts' word pieces are kept in a small
cache, as a busy server sees the same sentences again and again.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict

import numpy as np

from .embed import Embedder, TokenStates

TOKEN_FEATURES = (
    "tok_recall",  # mean over the question's word pieces of the best cosine to one of the sentence's
    "tok_recall_idf",  # ... weighted by how few of the candidates hold that piece
    "tok_precision",  # mean over the sentence's pieces of the best cosine to one of the question's
    "tok_recall_idf_gap",  # tok_recall_idf minus the best of the shortlist
    "tok_recall_gap",  # tok_recall minus the best of the shortlist
)
RAW_COLUMNS = 3  # the first three are the sentence's own; the gaps compare it with the shortlist


class TokenMatch:
    """Scores a few candidate texts against a question, word piece by word piece. Thread-safe."""

    def __init__(self, embedder: Embedder, cache_size: int = 4096) -> None:
        if cache_size < 1:
            raise ValueError("cache_size must be at least 1")
        self.embedder = embedder
        self.cache_size = cache_size
        self._states: OrderedDict[str, TokenStates] = OrderedDict()
        self._pieces: OrderedDict[str, frozenset[int]] = OrderedDict()
        self._lock = threading.Lock()

    def raw(self, question: TokenStates, texts: list[str], pool: list[str]) -> np.ndarray:
        """The first ``RAW_COLUMNS`` features of each of ``texts``; ``pool`` (every candidate) sets the weights."""
        out = np.zeros((len(texts), RAW_COLUMNS), dtype=np.float64)
        if not len(question.ids) or not texts:
            return out
        weights = self._weights(question.ids, pool)
        for k, states in enumerate(self._read(texts)):
            if not len(states.ids):
                continue
            sim = question.pieces @ states.pieces.T  # question pieces x sentence pieces
            recall = sim.max(axis=1)
            out[k] = (float(recall.mean()), float(recall @ weights), float(sim.max(axis=0).mean()))
        return out

    def _weights(self, ids: np.ndarray, pool: list[str]) -> np.ndarray:
        held = self._piece_sets(pool)
        df = Counter(i for pieces in held for i in pieces)
        n = len(held)
        w = np.array([math.log((n + 1) / (df.get(int(i), 0) + 1)) + 1.0 for i in ids])
        return w / w.sum()

    def _read(self, texts: list[str]) -> list[TokenStates]:
        return self._cached(self._states, texts, self.embedder.encode_tokens, self.cache_size)

    def _piece_sets(self, texts: list[str]) -> list[frozenset[int]]:
        def pieces(missing: list[str]) -> list[frozenset[int]]:
            return [frozenset(ids.tolist()) for ids in self.embedder.piece_ids(missing)]

        return self._cached(self._pieces, texts, pieces, self.cache_size * 4)

    def _cached(self, cache: OrderedDict, texts: list[str], compute, size: int) -> list:
        with self._lock:
            known = {t: cache[t] for t in texts if t in cache}
        missing = list(dict.fromkeys(t for t in texts if t not in known))
        fresh = dict(zip(missing, compute(missing))) if missing else {}
        with self._lock:
            for text, value in fresh.items():
                cache[text] = value
            for text in known:
                if text in cache:
                    cache.move_to_end(text)
            while len(cache) > size:
                cache.popitem(last=False)
        return [known[t] if t in known else fresh[t] for t in texts]


def with_gaps(raw: np.ndarray) -> np.ndarray:
    """All of ``TOKEN_FEATURES`` from the raw columns of one question's shortlist."""
    if not len(raw):
        return np.zeros((0, len(TOKEN_FEATURES)))
    return np.column_stack([raw, raw[:, 1] - raw[:, 1].max(), raw[:, 0] - raw[:, 0].max()])
