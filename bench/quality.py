"""``python -m bench.quality``: answer quality on shows the ranker was not fitted on (leave-one-show-out).

For each show in ``tests/data/shows``, the ranker, the answer check and its
threshold are fitted on the *other* shows, then that show's questions are
answered: these held-out numbers are the ones that count. The shipped weights
(``index/data/ranker.json``, fitted on every show) are scored too, as a
regression check only, since they have seen every question.

The semantic variant runs the shipped sentence model, which ``bench.finetune``
fitted on every show's questions: here only the ranker and the answer check are
held out, so its numbers are optimistic. ``--held-out-models DIR`` (the fold
models of ``python -m bench.finetune --base B --loso --folds K --work DIR``,
which needs torch) answers each show with a model fitted without it, so the
sentence model is held out too: that is the semantic number README reports.
The lexical variant has no model and is held out entirely.

``--train-questions`` scores each held-out show's ``train.jsonl`` too (blind questions that
only fit the sentence model; the ranker is still fitted on the other shows' questions without
them). With ``--held-out-models``, or ``--no-model``, they are a second held-out set.

Options: ``--no-model`` (lexical only), ``--json``, ``-v`` (list the misses).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from index.embed import ModelError, load_embedder
from index.rank import Ranker

from .baselines import bm25_sentences, rank_bm25_paragraphs
from .fit import Outcome, Stages, leave_one_show_out, outcomes, score
from .shows import (
    BLIND_FILE,
    TRAINING_FILE,
    Case,
    ShowData,
    add_fresh_options,
    fresh_fitting,
    fresh_problem,
    held_out_models,
    load_shows,
)


def by_file(outs: list[Outcome], threshold: float) -> dict[str, dict]:
    files: dict[str, list[Outcome]] = {}
    for o in outs:
        files.setdefault(o.case.item.file, []).append(o)
    return {name: score(group, threshold).row() for name, group in files.items()}


def held_out_report(
    data: ShowData,
    variant: str,
    verbose: bool = False,
    always: dict[str, list[Case]] | None = None,
    weights: dict[str, int] | None = None,
    threshold_shows: frozenset[str] | None = None,
) -> dict:
    """Per show: held-out scores of its blind questions (``questions.jsonl``) and of every question file.

    The sentence model's training questions (``train.jsonl``, when loaded) are scored, never fitted on.
    ``always``, ``weights`` and ``threshold_shows``: as ``bench.train --fresh`` fits (fit.leave_one_show_out).
    """
    report = {}
    cases = data.cases(variant)
    fitting = {show: [c for c in cs if c.item.file != TRAINING_FILE] for show, cs in cases.items()}
    for show, (fitted, outs) in leave_one_show_out(fitting, variant, always, weights, threshold_shows).items():
        training = [c for c in cases[show] if c.item.file == TRAINING_FILE]
        outs = outs + outcomes(Stages.of(fitted), fitted.answer, training)
        blind = [o for o in outs if o.case.item.file == BLIND_FILE]
        s = score(blind, fitted.threshold)
        report[show] = {**s.row(), "threshold": fitted.threshold, "files": by_file(outs, fitted.threshold)}
        if verbose:
            report[show]["misses"] = s.misses
    return report


def shipped_report(data: ShowData, variant: str, ranker: Ranker) -> dict:
    fitted = ranker.variants[variant]
    return {
        show: by_file(outcomes(Stages.of(fitted), fitted.answer, cases), fitted.threshold)
        for show, cases in data.cases(variant).items()
    }


def summary(report: dict) -> dict:
    rows = [r for r in report.values()]
    return {
        "mean hit@1": round(sum(r["hit@1"] for r in rows) / len(rows), 3),
        "min hit@1": min(r["hit@1"] for r in rows),
        "mean declined": round(sum(r["declined"] for r in rows) / len(rows), 3),
        "max refused": max(r["refused"] for r in rows),
    }


def table(report: dict) -> str:
    lines = [
        "| held-out show | answerable | hit@1 | hit@3 | refused | wrong | out-of-scope | declined |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for show, r in report.items():
        lines.append(
            f"| {show} | {r['answerable']} | {r['hit@1']:.2f} | {r['hit@3']:.2f} | {r['refused']:.2f} | "
            f"{r['wrong']} | {r['out_of_scope']} | {r['declined']:.2f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.quality", description=__doc__.split("\n")[0])
    parser.add_argument("--no-model", action="store_true", help="lexical ranking only")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each held-out show's misses")
    parser.add_argument(
        "--held-out-models",
        type=Path,
        help="folder of fold models (bench.finetune --loso --folds K --work DIR): each show is answered by a"
        " sentence model fitted without it, so the model is held out too",
    )
    add_fresh_options(
        parser,
        "shows of tests/data/fresh that every fold fits on too, as bench.train --fresh does for the shipped"
        " weights (the semantic threshold is then chosen on their out-of-fold rows)",
    )
    parser.add_argument(
        "--train-questions",
        action="store_true",
        help="score each held-out show's train.jsonl too (a second blind set when the model is held out)",
    )
    args = parser.parse_args(argv)
    if problem := fresh_problem(args):
        print(f"bench.quality: {problem}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    embedder = None
    if not args.no_model:
        try:
            embedder = load_embedder("default")
        except ModelError as exc:
            print(f"bench.quality: {exc}", file=sys.stderr)
            return 2
    models = held_out_models(args.held_out_models) if args.held_out_models else None
    data = ShowData(load_shows(training=args.train_questions), embedder, models)
    fresh, weights = fresh_fitting(args, embedder)
    variants = ["lexical"] + (["semantic"] if embedder else [])
    result = {}
    for variant in variants:
        chosen_on = frozenset(args.fresh) if args.fresh and variant == "semantic" else None
        held = held_out_report(data, variant, args.verbose, fresh.cases(variant), weights, chosen_on)
        result[variant] = {
            "held_out": held,
            "summary": summary(held),
            "shipped_weights_regression_check": shipped_report(data, variant, Ranker.from_file()),
        }
    result["baselines"] = {
        show.name: {"bm25-sentences": bm25_sentences(show), "rank-bm25-paragraphs": rank_bm25_paragraphs(show)}
        for show in data.shows
    }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print("\n## plain BM25 on the same blind questions (always answers; nothing declined)\n")
    print("| show | BM25, one sentence a passage, showbot's tokenizer | naive rank-bm25, paragraphs |")
    print("|---|---:|---:|")
    for show, b in result["baselines"].items():
        print(f"| {show} | {b['bm25-sentences']['hit@1']:.2f} | {b['rank-bm25-paragraphs']['hit@1']:.2f} |")
    for variant in variants:
        scope = "ranker and answer check"
        if args.fresh:
            scope += f", with {len(args.fresh)} fresh shows in every fold's fitting,"
        if variant == "semantic":
            scope += " (and the sentence model)" if args.held_out_models else " (the sentence model saw every show)"
        print(f"\n## {variant} ranker: held-out shows ({scope} fitted on the other shows; blind questions.jsonl)\n")
        print(table(result[variant]["held_out"]))
        print("\nsummary:", result[variant]["summary"])
        trained = [
            r["files"][TRAINING_FILE] for r in result[variant]["held_out"].values() if TRAINING_FILE in r["files"]
        ]
        if trained:
            means = {
                k: round(sum(f[k] for f in trained) / len(trained), 3)
                for k in ("hit@1", "hit@3", "refused", "declined")
            }
            print(f"{TRAINING_FILE}, mean over {len(trained)} shows:", means)
        for show, r in result[variant]["held_out"].items():
            for name, f in r["files"].items():
                if name == BLIND_FILE:
                    continue
                if name == TRAINING_FILE:
                    held = variant == "lexical" or bool(args.held_out_models)  # else the model was fitted on them
                    kind = "held out, blind" if held else "the sentence model was fitted on them"
                else:
                    kind = "held out, tuned-on questions"
                print(
                    f"  {show}/{name} ({kind}): hit@1 {f['hit@1']:.2f}, hit@3 {f['hit@3']:.2f},"
                    f" refused {f['refused']:.2f}, declined {f['declined']:.2f}"
                )
            for miss in r.get("misses", []):
                print(f"    {show}: {miss}")
    print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
