"""``python -m bench [--quick]``: build corpora of 1k to 1M passages and compare with rank-bm25 and bm25s.

Each size is measured in a fresh process (so peak RSS is that size's own). The
Markdown table is printed and written to docs/performance.md with a
description of the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SIZES = (1_000, 10_000, 100_000, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
CLI_RUNS = 7


def run_size(passages: int, queries: int) -> dict:
    reference_queries = 50 if passages <= 10_000 else 20 if passages <= 100_000 else 5
    cmd = [
        sys.executable,
        "-m",
        "bench.measure",
        str(passages),
        "--queries",
        str(queries),
        "--reference-queries",
        str(reference_queries),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def cli_startup() -> float:
    """Median seconds from process start to printed answer for ``showbot ask`` on the seeds."""
    times = []
    for _ in range(CLI_RUNS):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "Who directed All of Us Are Dead?"],
            capture_output=True,
            check=True,
            cwd=ROOT,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages / 2**30:.0f} GiB"
    except (ValueError, OSError):
        memory = "?"
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, numpy {np.__version__}"
    )


def _ms(x: dict | None, key: str = "p50") -> str:
    return "—" if not x else f"{x[key]:.2f}"


def table(rows: list[dict]) -> str:
    head = (
        "| passages | build (s) | peak RSS (MB) | index (MB) | rank-bm25 dicts (MB) | ranking p50 / p95 (ms) "
        "| `ask()` p50 / p95 (ms) | rank-bm25 `get_scores`+top-10 p50 (ms) | bm25s p50 (ms) "
        "| × rank-bm25 | × bm25s | same top-10 |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|\n"
    )
    lines = []
    for r in rows:
        ours = r["rank"]["p50"]
        vs_ref = r["reference"]["p50"] / ours
        vs_bm25s = f"{r['bm25s']['p50'] / ours:.1f}" if r.get("bm25s") else "—"
        lines.append(
            f"| {r['passages']:,} | {r['build_s']:.1f} | {r['peak_rss_mb']:.0f} | {r['index_mb']:.1f} "
            f"| {r['reference_dicts_mb']:.0f} | {_ms(r['rank'])} / {_ms(r['rank'], 'p95')} "
            f"| {_ms(r['ask'])} / {_ms(r['ask'], 'p95')} | {_ms(r['reference'])} | {_ms(r.get('bm25s'))} "
            f"| {vs_ref:.0f} | {vs_bm25s} | {'yes' if r['exact_top10'] else 'NO'} |"
        )
    return head + "\n".join(lines) + "\n"


def targets(rows: list[dict], startup: float) -> list[str]:
    """The issue's targets, each with the figure measured in this run."""
    out = []

    def check(ok: bool, text: str) -> None:
        out.append(f"- [{'x' if ok else ' '}] {text}")

    big = next((r for r in rows if r["passages"] >= 900_000), None)
    if big:
        p50 = big["rank"]["p50"]
        check(p50 <= 20, f"1M: ranking p50 ≤ 20 ms — {p50:.1f} ms")
        check(big["reference"]["p50"] / p50 >= 100, f"1M: ≥ 100× rank-bm25 — {big['reference']['p50'] / p50:.0f}×")
        if big.get("bm25s"):
            check(p50 < big["bm25s"]["p50"], f"1M: faster than bm25s — {p50:.1f} vs {big['bm25s']['p50']:.1f} ms")
        ratio = big["index_mb"] / big["reference_dicts_mb"]
        check(ratio <= 1 / 3, f"1M: index memory ≤ 1/3 of rank-bm25's dicts — {ratio:.2f}")
    mid = next((r for r in rows if 90_000 <= r["passages"] < 900_000), None)
    if mid:
        check(mid["rank"]["p50"] <= 2, f"100k: ranking p50 ≤ 2 ms — {mid['rank']['p50']:.2f} ms")
        check(mid["build_s"] <= 10, f"100k: index build ≤ 10 s — {mid['build_s']:.1f} s")
    check(startup <= 0.5, f"seeds: `showbot ask` start to answer ≤ 0.5 s (median of {CLI_RUNS}) — {startup:.2f} s")
    check(all(r["exact_top10"] for r in rows), "same top-10 as rank-bm25 on every measured query")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="1k and 10k passages only (under a minute)")
    parser.add_argument("--sizes", help="comma-separated passage counts, e.g. 1000,100000")
    parser.add_argument("--queries", type=int, default=200, help="queries per size for our engine and bm25s")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"), help="where to write the report")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else QUICK_SIZES if args.quick else SIZES
    rows = []
    for size in sizes:
        print(f"measuring {size:,} passages…", file=sys.stderr, flush=True)
        rows.append(run_size(size, args.queries))
    startup = cli_startup()
    report = (
        "# Performance\n\n"
        f"Measured by `python -m bench{' --quick' if args.quick else ''}` on {datetime.date.today()}: {machine()}.\n"
        "One run; medians (p50) and 95th percentiles over the queries of that run. Synthetic articles over a\n"
        "Zipf vocabulary plus perturbed copies of the seeds; queries are 5 words from random passages.\n"
        "Ranking = our exact BM25Okapi top-10; rank-bm25 = `BM25Okapi.get_scores` + top-10 on the same terms;\n"
        "index = our postings, norms and vocabulary; rank-bm25 dicts = RSS growth while building `BM25Okapi` (noisy below 100k).\n\n"
        + table(rows)
        + f"\n`showbot ask` on the seeds, process start to printed answer: {startup:.2f} s (median of {CLI_RUNS}).\n\n"
        + "Targets:\n\n"
        + "\n".join(targets(rows, startup))
        + "\n"
    )
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
