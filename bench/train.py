"""``python -m bench.train``: fit the ranker on every labelled show and write ``index/data/ranker.json``.

Both variants are fitted: "semantic" (with the sentence model) and "lexical".
The file also records the leave-one-show-out report of the same procedure
(each show scored by models fitted on the others), which is what README quotes.
Run it after changing a feature, a detector or the vocabulary, then
``python -m bench.quality`` to see the held-out scores.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from index.embed import ModelError, load_embedder

from .fit import fit_variant, to_json
from .quality import held_out_report, summary, table
from .shows import ShowData, load_shows

OUT = Path(__file__).resolve().parent.parent / "index" / "data" / "ranker.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        embedder = load_embedder("default")
    except ModelError as exc:
        print(f"bench.train: {exc}", file=sys.stderr)
        return 2
    shows = load_shows()
    data = ShowData(shows, embedder)
    variants, report = {}, {}
    for variant in ("lexical", "semantic"):
        variants[variant], _ = fit_variant(data.cases(variant), variant)
        held = held_out_report(data, variant)
        report[variant] = {
            "summary": summary(held),
            "shows": {s: {k: v for k, v in r.items() if k != "files"} for s, r in held.items()},
        }
        print(f"\n## {variant}: held-out shows\n\n{table(held)}\n\nsummary: {summary(held)}")
    args.out.write_text(
        json.dumps(to_json(variants, [s.name for s in shows], report), indent=1) + "\n", encoding="utf-8"
    )
    print(f"\nwrote {args.out} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
