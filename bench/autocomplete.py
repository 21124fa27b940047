"""``python -m bench.autocomplete [--questions N]``: /ask's autocomplete on a large question log.

Fills a log in a temporary folder through ``QuestionLog`` (the bot's writer) with
N distinct questions of one server, made of words drawn Zipf-like from a
vocabulary (so some words are in most questions), then times ``suggest`` for
what fans type: nothing yet, one or two letters, a common word, a word and a
prefix, a whole question. Discord allows 3 s for the whole autocomplete round
trip; the bot gives the query 1.5 s at most.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bot.questionlog import AskRecord, QuestionLog, connect, suggest

GUILD = 1
STARTS = ["who", "what", "when", "where", "why", "how", "is", "does", "did", "will"]


def vocabulary(size: int, rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(letters) for _ in range(rng.randint(3, 10))))
    return sorted(words)


def fill(path: Path, questions: int, rng: random.Random) -> list[str]:
    words = vocabulary(5000, rng)
    weights = [1 / (rank + 1) for rank in range(len(words))]
    log = QuestionLog(path)
    log.start()
    asked: list[str] = []
    pending = []
    for i in range(questions):
        text = " ".join([rng.choice(STARTS), *rng.choices(words, weights, k=rng.randint(2, 7))]) + "?"
        asked.append(text)
        pending.append(log.record(AskRecord(i + 1, GUILD, i % 5000, text, rng.random() < 0.8, at=time.time())))
        if len(pending) >= 5000:
            assert all(f.result(120) for f in pending)
            pending = []
    assert all(f.result(120) for f in pending)
    log.close()
    return asked


def typed_inputs(asked: list[str], rng: random.Random) -> dict[str, list[str]]:
    sample = rng.sample(asked, 300)
    return {
        "nothing typed": [""] * 300,
        "one letter": [q.split()[1][0] for q in sample],
        "a common word": ["who"] * 300,
        "a word and a prefix": [" ".join(q.split()[1:2] + [q.split()[2][:2]]) for q in sample],
        "a whole question": sample,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=200_000)
    parser.add_argument("--db", help="keep the filled log here (and reuse it when it exists)")
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(args.db) if args.db else Path(folder) / "log.db"
        started = time.perf_counter()
        if path.exists():
            conn = connect(path)
            asked = [q for (q,) in conn.execute("SELECT question FROM asks ORDER BY id")]
            conn.close()
            print(f"reusing {len(asked):,} questions in {path}")
        else:
            asked = fill(path, args.questions, rng)
            seconds = time.perf_counter() - started
            print(f"logged {len(asked):,} questions in {seconds:.1f} s ({path.stat().st_size / 1e6:.0f} MB)")
        conn = connect(path)
        print("| typed | p50 (ms) | p95 (ms) | max (ms) |\n|---|---:|---:|---:|")
        for name, inputs in typed_inputs(asked, rng).items():
            times = []
            for typed in inputs:
                t = time.perf_counter()
                suggest(conn, GUILD, typed)
                times.append((time.perf_counter() - t) * 1000)
            times.sort()
            p95 = times[int(len(times) * 0.95)]
            print(f"| {name} | {statistics.median(times):.2f} | {p95:.2f} | {times[-1]:.2f} |")
        conn.close()


if __name__ == "__main__":
    main()
