"""Measure one corpus size in a fresh process and print the figures as JSON.

``python -m bench.measure 100000 --queries 200``
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import sys
import time

import numpy as np

from index import Engine
from index.tokens import Tokenizer

from .corpus import build_corpus, sample_queries


def rss_mb() -> float:
    """Current resident set size."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {"p50": statistics.median(ms), "p95": ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))], "n": len(ms)}


def timed(fn, items) -> tuple[list[float], list]:
    times, results = [], []
    for item in items:
        start = time.perf_counter()
        results.append(fn(item))
        times.append(time.perf_counter() - start)
    return times, results


def passage_terms(engine: Engine) -> list[list[str]]:
    """Each passage's terms, exactly as the engine indexed them."""
    tok = Tokenizer()
    sentences = [tok.terms(engine.index.sentence_text(i)) for i in range(engine.index.sentence_count)]
    return [
        [t for i in range(int(first), int(first) + int(count)) for t in sentences[i]]
        for first, count in zip(engine.index.pass_first, engine.index.pass_len)
    ]


def reference_top(scores: np.ndarray, k: int) -> np.ndarray:
    """rank-bm25's scores to a top-k: descending score, ties to the earlier passage."""
    part = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    kth = scores[part].min()
    cand = np.flatnonzero(scores >= kth)
    return cand[np.lexsort((cand, -scores[cand]))][:k]


def measure(n_passages: int, n_queries: int, n_reference: int) -> dict:
    corpus = build_corpus(n_passages)
    questions = sample_queries(corpus, n_queries)
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    engine = Engine(corpus)
    build = time.perf_counter() - start
    out: dict = {
        "passages": engine.passage_count,
        "articles": len(corpus.articles),
        "build_s": build,
        "peak_rss_mb": peak_rss_mb(),
        "engine_rss_mb": rss_mb() - before,
        "index_mb": (engine.index.bm25.nbytes + _dict_bytes(engine.index.bm25.vocab)) / 2**20,
    }
    tok = Tokenizer()
    queries = [list(dict.fromkeys(tok.terms(q))) for q in questions]
    rank_times, ours = timed(lambda q: engine.index.bm25.top_k(q, 10)[0], queries)
    ask_times, _ = timed(engine.ask, questions)
    out["rank"] = percentiles(rank_times)
    out["ask"] = percentiles(ask_times)

    docs = passage_terms(engine)
    from rank_bm25 import BM25Okapi

    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    reference = BM25Okapi(docs)
    out["reference_build_s"] = time.perf_counter() - start
    out["reference_dicts_mb"] = rss_mb() - before
    ref_times, ref_top = timed(lambda q: reference_top(reference.get_scores(q), 10), queries[:n_reference])
    out["reference"] = percentiles(ref_times)
    out["exact_top10"] = all(np.array_equal(a, b) for a, b in zip(ours, ref_top))
    reference = None  # free its dicts before bm25s is measured
    gc.collect()
    try:
        import bm25s
    except ImportError:
        out["bm25s"] = None
    else:
        retriever = bm25s.BM25(k1=1.5, b=0.75)
        start = time.perf_counter()
        retriever.index(docs, show_progress=False)
        out["bm25s_build_s"] = time.perf_counter() - start
        times, _ = timed(lambda q: retriever.retrieve([q], k=10, show_progress=False, n_threads=1), queries)
        out["bm25s"] = percentiles(times)
    return out


def _dict_bytes(d: dict) -> int:
    return sys.getsizeof(d) + sum(sys.getsizeof(k) for k in d)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("passages", type=int)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reference-queries", type=int, default=50)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.passages, args.queries, args.reference_queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
