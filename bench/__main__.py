"""``python -m bench [--quick]``: build corpora of 1k to 1M passages and compare with rank-bm25 and bm25s.

Each size is measured in a fresh process (so peak RSS is that size's own). Every
ratio compares medians over the same queries; CPU time is given beside wall time,
and the load average of the machine at the start. The Markdown report is printed
and written to docs/performance.md with a description of the machine.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
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
BATCH_QUESTIONS = 100
SEED_SHOW = ROOT / "tests" / "data" / "shows" / "all-of-us-are-dead"


def run_size(passages: int, queries: int, reference: int | None) -> dict:
    cmd = [sys.executable, "-m", "bench.measure", str(passages), "--queries", str(queries)]
    if reference is not None:
        cmd += ["--reference-queries", str(reference)]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_startup(*flags: str) -> dict:
    """Median wall and CPU seconds from process start to printed answer for ``showbot ask`` on the seeds."""
    walls, cpus = [], []
    command = [sys.executable, "-m", "bot", "ask", *flags, "Who directed All of Us Are Dead?"]
    subprocess.run(command, capture_output=True, check=True, cwd=ROOT)  # warm the disk caches
    for _ in range(CLI_RUNS):
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        cpus.append(_children_cpu() - cpu)
    return {"wall": statistics.median(walls), "cpu": statistics.median(cpus)}


def batch_mode(*flags: str) -> dict:
    """Per-question gaps of ``showbot ask --json`` answering the seeds' questions from stdin, one process."""
    questions = []
    for name in ("questions.jsonl", "casual.jsonl", "paraphrases.jsonl"):
        path = SEED_SHOW / name
        if path.is_file():
            questions += [
                json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
            ]
    questions = questions[:BATCH_QUESTIONS]
    command = [sys.executable, "-m", "bot", "ask", "--json", *flags]
    proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, cwd=ROOT)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(("\n".join(questions) + "\n").encode())
    proc.stdin.close()
    stamps = []
    for _ in proc.stdout:
        stamps.append(time.perf_counter())
    proc.wait()
    gaps = [b - a for a, b in zip(stamps, stamps[1:])]
    return {"p50_ms": statistics.median(gaps) * 1000, "n": len(gaps) + 1}


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
        "| passages | build wall / CPU (s) | peak RSS (MB) | index (MB) | rank-bm25 dicts (MB) "
        "| ranking p50 / p95 (ms) | ranking CPU p50 (ms) | `ask()` p50 / p95 (ms) "
        "| rank-bm25 p50 (ms) | bm25s p50 (ms) | bm25s CPU p50 (ms) | × rank-bm25 | × bm25s | same top-10 | load |\n"
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---:|\n"
    )
    lines = []
    for r in rows:
        ours = r["rank"]["p50"]
        vs_ref = r["reference"]["p50"] / r["rank_on_reference"]["p50"]
        vs_bm25s = f"{r['bm25s']['p50'] / ours:.2f}" if r.get("bm25s") else "—"
        lines.append(
            f"| {r['passages']:,} | {r['build_s']:.1f} / {r['build_cpu_s']:.1f} | {r['peak_rss_mb']:.0f} "
            f"| {r['index_mb']:.1f} | {r['reference_dicts_mb']:.0f} | {_ms(r['rank'])} / {_ms(r['rank'], 'p95')} "
            f"| {_ms(r['rank'], 'cpu_p50')} | {_ms(r['ask'])} / {_ms(r['ask'], 'p95')} | {_ms(r['reference'])} "
            f"| {_ms(r.get('bm25s'))} | {_ms(r.get('bm25s'), 'cpu_p50')} | {vs_ref:.0f} | {vs_bm25s} "
            f"| {'yes' if r['exact_top10'] else 'NO'} ({r['exact_checked']}) | {r['load_start']:.1f} |"
        )
    return head + "\n".join(lines) + "\n"


def targets(rows: list[dict], lexical: dict, model: dict | None, batch: dict | None) -> list[str]:
    """The issues' targets, each with the figure measured in this run."""
    out = []

    def check(ok: bool, text: str) -> None:
        out.append(f"- [{'x' if ok else ' '}] {text}")

    big = next((r for r in rows if r["passages"] >= 900_000), None)
    if big:
        p50 = big["rank"]["p50"]
        check(p50 <= 10, f"1M: exact ranking p50 ≤ 10 ms — {p50:.1f} ms (CPU {big['rank']['cpu_p50']:.1f} ms)")
        if big.get("bm25s"):
            check(
                p50 <= big["bm25s"]["p50"], f"1M: ranking p50 ≤ bm25s p50 — {p50:.1f} vs {big['bm25s']['p50']:.1f} ms"
            )
        ratio = big["index_mb"] / big["reference_dicts_mb"]
        check(ratio <= 1 / 3, f"1M: index memory ≤ 1/3 of rank-bm25's dicts — {ratio:.2f}")
    mid = next((r for r in rows if 90_000 <= r["passages"] < 900_000), None)
    if mid:
        check(
            mid["build_s"] <= 10,
            f"100k: index build ≤ 10 s wall — {mid['build_s']:.1f} s (CPU {mid['build_cpu_s']:.1f} s)",
        )
    check(
        lexical["wall"] <= 0.4,
        f"seeds: `showbot ask --no-model` start to answer ≤ 0.4 s (median of {CLI_RUNS}) — {lexical['wall']:.2f} s",
    )
    if model:
        check(
            model["wall"] <= 1.0,
            f"seeds: `showbot ask` with the model and the reader ≤ 1 s (median of {CLI_RUNS}) — {model['wall']:.2f} s",
        )
    if batch:
        check(
            batch["p50_ms"] <= 30,
            f"seeds: batch mode with the model and the reader, per question p50 ≤ 30 ms — {batch['p50_ms']:.1f} ms",
        )
    checked = sum(r["exact_checked"] for r in rows)
    check(
        all(r["exact_top10"] for r in rows),
        f"same top-10 as rank-bm25, stable order, on every query checked ({checked})",
    )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="1k and 10k passages only (under a minute)")
    parser.add_argument("--sizes", help="comma-separated passage counts, e.g. 1000,100000")
    parser.add_argument("--queries", type=int, default=200, help="queries per size, the same for every engine")
    parser.add_argument("--reference-queries", type=int, help="time rank-bm25 on only the first N (default: all)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "performance.md"), help="where to write the report")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else QUICK_SIZES if args.quick else SIZES
    load = os.getloadavg()
    rows = []
    for size in sizes:
        print(f"measuring {size:,} passages…", file=sys.stderr, flush=True)
        rows.append(run_size(size, args.queries, args.reference_queries))
    print("measuring showbot ask on the seeds…", file=sys.stderr, flush=True)
    lexical = cli_startup("--no-model")
    try:
        model, no_reader = cli_startup(), cli_startup("--no-reader")
        batch, batch_no_reader = batch_mode(), batch_mode("--no-reader")
    except subprocess.CalledProcessError:  # no model installed here
        model = no_reader = batch = batch_no_reader = None
    report = (
        "# Performance\n\n"
        f"Measured by `python -m bench{' --quick' if args.quick else ''}` on {datetime.date.today()}: {machine()}.\n"
        f"Load average at the start: {load[0]:.2f} (1 min), {load[1]:.2f} (5 min) on {os.cpu_count()} cores — "
        "the machine is shared, so compare the ratios of one run, not times across runs.\n\n"
        "One run; medians (p50) and 95th percentiles over the queries of that run, wall time unless it says CPU.\n"
        "Synthetic articles over a Zipf vocabulary plus perturbed copies of the seeds; queries are 5 words from\n"
        "random passages, and every engine gets the same queries (each ratio divides medians over the same list).\n"
        "Ranking = our exact BM25Okapi top-10; rank-bm25 = `BM25Okapi.get_scores` + top-10 on the same terms;\n"
        "bm25s = one `bm25s.BM25` retriever built once, `retrieve([query], k=10)` with its default threading.\n"
        "Build = articles to a ready index, no cache, worker processes for large corpora (CPU counts them too);\n"
        "index = our postings, norms and vocabulary; rank-bm25 dicts = RSS growth while building `BM25Okapi`\n"
        "(noisy below 100k); load = 1-min load average when that size started.\n\n"
        + table(rows)
        + f"\n`showbot ask` on the seeds, process start to printed answer (median of {CLI_RUNS}): "
        f"{lexical['wall']:.2f} s wall / {lexical['cpu']:.2f} s CPU with `--no-model`"
        + (
            f"; {model['wall']:.2f} s wall / {model['cpu']:.2f} s CPU with the sentence model and the answer reader"
            f" (the default); {no_reader['wall']:.2f} s wall / {no_reader['cpu']:.2f} s CPU with `--no-reader`.\n"
            f"Batch mode with the model (`showbot ask --json < questions`, {batch['n']} questions on the seeds): "
            f"{batch['p50_ms']:.1f} ms per question (median gap between answers) with the answer reader, "
            f"{batch_no_reader['p50_ms']:.1f} ms with `--no-reader`.\n\n"
            if model and no_reader and batch and batch_no_reader
            else " (the sentence model is not installed here).\n\n"
        )
        + "Targets:\n\n"
        + "\n".join(targets(rows, lexical, model, batch))
        + "\n"
    )
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
