"""``python -m bench.train``: fit the ranker on every labelled show and write ``index/data/ranker.json``.

Both variants are fitted: "semantic" (with the sentence model) and "lexical".
The file also records the leave-one-show-out report of the same procedure
(each show scored by models fitted on the others), which is what README quotes.
Run it after changing a feature, a detector or the vocabulary, then
``python -m bench.quality`` to see the held-out scores.

``--threshold-from DIR`` (the fold models of ``python -m bench.finetune --loso
--folds K --work DIR``) chooses the semantic variant's threshold on shows the
sentence model never saw (bench/folds.py) instead of on the shows it was fitted
on, where the answer check is more sure of itself than on a user's new show.
``--no-report`` fits without the leave-one-show-out report (the file's
``held_out_report`` is then empty): the report refits the whole procedure once
a labelled show, which is most of a run's time (with 29 fresh shows on two
cores: an estimated 1.5 hours, against 15 minutes without: 5 of tracing, 7 for
the semantic variant, 3 for the lexical one).
``--fresh NAME ...`` fits on those shows of ``tests/data/fresh`` too, shows the
sentence model was never fitted on, each counted ``--fresh-weight`` times (3):
on them its cosine is as sure of itself as on a user's new show, where on the
shows it was fitted on it is surer, and a ranker fitted there alone trusts it
too much (it leans on the cosine over the question's own names). The semantic
threshold is then chosen on those shows' out-of-fold rows. The held-out report
stays leave-one-show-out over ``tests/data/shows``, with the fresh shows in
every fold's training.

Measured and not shipped (docs/quality.md): with the eleven fresh shows that were
looked at, three times each, it chose better on the five that were not, but
the development set fell to 23 of 26. The shipped weights are still
``--threshold-from``'s.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

from index.embed import ModelError, load_embedder

from .fit import fit_variant, to_json
from .folds import fold_outcomes, held_out_threshold
from .quality import held_out_report, summary, table
from .shows import ShowData, add_fresh_options, fresh_fitting, fresh_problem, load_shows

OUT = Path(__file__).resolve().parent.parent / "index" / "data" / "ranker.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.train", description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument(
        "--threshold-from",
        type=Path,
        help="folder of fold models (bench.finetune --loso --folds K --work DIR): choose the semantic threshold"
        " on the shows each never saw",
    )
    add_fresh_options(parser, "shows of tests/data/fresh to fit on too")
    parser.add_argument(
        "--no-report",
        action="store_true",
        help="fit only, without the leave-one-show-out report (which refits every fold: most of the run's time)",
    )
    args = parser.parse_args(argv)
    if problem := fresh_problem(args):
        print(f"bench.train: {problem}", file=sys.stderr)
        return 2
    if args.fresh and args.threshold_from:
        print("bench.train: --fresh chooses the threshold itself; leave out --threshold-from", file=sys.stderr)
        return 2
    if args.threshold_from and not (args.threshold_from / "folds.json").is_file():
        print(
            f"bench.train: {args.threshold_from} has no folds.json (bench.finetune --loso --folds K --work DIR)",
            file=sys.stderr,
        )
        return 2
    started = time.perf_counter()
    try:
        embedder = load_embedder("default")
    except ModelError as exc:
        print(f"bench.train: {exc}", file=sys.stderr)
        return 2
    shows = load_shows()
    data = ShowData(shows, embedder)
    fresh, weights = fresh_fitting(args, embedder)
    variants, report = {}, {}
    for variant in ("lexical", "semantic"):
        extra = fresh.cases(variant)
        # the semantic threshold on the shows the sentence model never saw (the fresh ones), when there are any
        chosen_on = frozenset(args.fresh) if args.fresh and variant == "semantic" else None
        variants[variant], _ = fit_variant(data.cases(variant) | extra, variant, weights, chosen_on)
        print(
            f"\n## {variant}: fitted, threshold {variants[variant].threshold} ({time.perf_counter() - started:.0f} s)"
        )
        if args.no_report:
            continue
        held = held_out_report(data, variant, always=extra, weights=weights, threshold_shows=chosen_on)
        report[variant] = {
            "summary": summary(held),
            "shows": {s: {k: v for k, v in r.items() if k != "files"} for s, r in held.items()},
        }
        print(f"\n## {variant}: held-out shows\n\n{table(held)}\n\nsummary: {summary(held)}")
    threshold_from = None
    if args.threshold_from:
        threshold = held_out_threshold(fold_outcomes(shows, args.threshold_from))
        print(
            f"\nsemantic threshold: {variants['semantic'].threshold} on the fitted shows, {threshold} on held-out ones"
        )
        variants["semantic"] = replace(variants["semantic"], threshold=threshold)
        threshold_from = "the fold models' held-out shows (bench.train --threshold-from)"
    args.out.write_text(
        json.dumps(
            to_json(
                variants,
                [s.name for s in shows] + [f"fresh/{n} (x{args.fresh_weight})" for n in args.fresh],
                report,
                threshold_from or ("the fresh shows' out-of-fold rows" if args.fresh else None),
            ),
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nwrote {args.out} ({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
