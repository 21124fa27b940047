"""Measure one corpus size in a fresh process and print the figures as JSON.

``python -m bench.measure 100000 --queries 200``

Every engine is timed on the same queries (wall time and CPU time per query), so
every ratio compares medians over one query list. bm25s is used as its users
would: one retriever, built once, ``retrieve`` with its default threading.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import sys
import time

import numpy as np

from index import Engine
from index.build import build_index
from index.tokens import Tokenizer

from .corpus import build_corpus, sample_queries


def rss_mb() -> float:
    """Current resident set size."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_seconds() -> float:
    """CPU time of this process and of the worker processes it has waited for."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = sorted(s * 1000 for s in samples)
    return {"p50": statistics.median(ms), "p95": ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))], "n": len(ms)}


def timed(fn, items) -> tuple[dict, list]:
    """Wall and CPU time of ``fn`` on each item: {"p50", "p95", "n", "cpu_p50"} in ms, and the results."""
    walls, cpus, results = [], [], []
    for item in items:
        cpu, start = time.process_time(), time.perf_counter()
        results.append(fn(item))
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    stats = percentiles(walls)
    stats["cpu_p50"] = statistics.median(cpus) * 1000
    return stats, results


def passage_terms(engine: Engine) -> list[list[str]]:
    """Each passage's terms, exactly as the engine indexed them."""
    index = engine.index
    terms, ids, bounds = index.terms_by_id, index.token_ids.tolist(), index.sent_token_start.tolist()
    return [
        [terms[t] for t in ids[bounds[first] : bounds[first + count]]]
        for first, count in zip(index.pass_first.tolist(), index.pass_len.tolist())
    ]


def reference_top(scores: np.ndarray, k: int) -> np.ndarray:
    """rank-bm25's scores to a top-k: descending score, ties to the earlier passage (a stable sort)."""
    part = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
    kth = scores[part].min()
    cand = np.flatnonzero(scores >= kth)
    return cand[np.lexsort((cand, -scores[cand]))][:k]


def measure(n_passages: int, n_queries: int, n_reference: int | None) -> dict:
    corpus = build_corpus(n_passages)
    questions = sample_queries(corpus, n_queries)
    out: dict = {"load_start": os.getloadavg()[0]}
    gc.collect()
    before = rss_mb()
    cpu, start = cpu_seconds(), time.perf_counter()
    engine = Engine(build_index(corpus, cache=False))
    out["build_s"] = time.perf_counter() - start
    out["build_cpu_s"] = cpu_seconds() - cpu
    out.update(
        passages=engine.passage_count,
        articles=len(corpus.articles),
        peak_rss_mb=peak_rss_mb(),
        engine_rss_mb=rss_mb() - before,
        index_mb=(engine.index.bm25.nbytes + _dict_bytes(engine.index.bm25.vocab)) / 2**20,
    )
    tok = Tokenizer()
    queries = [list(dict.fromkeys(tok.terms(q))) for q in questions]
    reference_queries = queries if n_reference is None else queries[:n_reference]
    out["rank"], ours = timed(lambda q: engine.index.bm25.top_k(q, 10)[0], queries)
    out["ask"], _ = timed(engine.ask, questions)

    docs = passage_terms(engine)
    from rank_bm25 import BM25Okapi

    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    reference = BM25Okapi(docs)
    out["reference_build_s"] = time.perf_counter() - start
    out["reference_dicts_mb"] = rss_mb() - before
    out["reference"], ref_top = timed(lambda q: reference_top(reference.get_scores(q), 10), reference_queries)
    out["exact_top10"] = all(np.array_equal(a, b) for a, b in zip(ours, ref_top))
    out["exact_checked"] = len(ref_top)
    # our median over the very queries rank-bm25 was timed on, for the ratio
    out["rank_on_reference"], _ = timed(lambda q: engine.index.bm25.top_k(q, 10)[0], reference_queries)
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
        out["bm25s"], _ = timed(lambda q: retriever.retrieve([q], k=10, show_progress=False), queries)
    out["load_end"] = os.getloadavg()[0]
    return out


def _dict_bytes(d: dict) -> int:
    return sys.getsizeof(d) + sum(sys.getsizeof(k) for k in d)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("passages", type=int)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--reference-queries", type=int, default=None, help="rank-bm25 on only the first N queries")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.passages, args.queries, args.reference_queries)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
