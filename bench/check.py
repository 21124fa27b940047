"""``python -m bench.check``: fit the reader check (index/rank.py ``ReaderCheck``) and write ``check.json``.

The answer check says how likely the ranker's best sentence answers; the answer reader reads that
sentence with the question. This fits how much each is heard, with what else is known of the best
(``CHECK_EVIDENCE``: how far the reader's best leads the others it read, how far the ranker's, and the
answer check's own features; a logistic regression, ``bench.fit.fit_logistic``), on every question of
the shows of ``tests/data/fresh`` except those ``--hold-out`` names, answered by the shipped engine
with the packaged models, its reader reading the best candidate of every ranked question. It learns to
tell a right answer (an answerable question whose quote is right) from an out-of-scope question: those
are what a threshold trades, one against the other. An answerable question whose best quote is wrong is
left out of the fit (declining it or not moves neither hit@1 nor the declines); fitted with them as
not right, at the same declines it answered 2 points fewer right (docs/quality.md, stop 58).

The threshold is chosen on the same questions: the lowest that declines at least the share of their
out-of-scope questions that the answer check alone declines at its own threshold, so the reader
check is compared with the answer check at the same declines and must win on answers (it reports
both); or, with ``--declined SHARE``, at least that share (a hard fact that declines more of them
before the check, say, leaves the threshold free to answer more of the rest). ``--out`` (default: the
packaged ``index/data/reader/check.json``); ``--json`` for the report.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index import Engine, load_corpus, load_embedder, load_reader
from index.rank import ANSWER_FEATURES, CHECK_EVIDENCE, Ranker, ReaderCheck, check_evidence, logit

from .fit import fit_logistic
from .shows import BLIND_FILE, FRESH, load_show, missing_fresh

PACKAGED = Path(__file__).resolve().parent.parent / "index" / "data" / "reader" / "check.json"
L2 = 1.0
MARGIN = ANSWER_FEATURES.index("margin")
FLOOR_QUANTILE = 0.05  # the reader's logit of the best that only this share of the fitting questions is under


@dataclass(frozen=True)
class Seen:
    """One question as the shipped engine answered it, its reader reading the best candidate."""

    show: str
    abstain: bool
    ranked: bool  # False: declined before ranking (no best candidate)
    right: bool  # an answerable question whose best candidate's quote is right
    probability: float  # the answer check's
    reader: float  # the reader's logit of the best candidate
    sure: bool = False  # the ranker was sure of its best (the answer reader would not reorder them)
    evidence: tuple[float, ...] = ()  # check_evidence of the ranked best (empty: fit the two logits only)


def gather(names: list[str]) -> tuple[list[Seen], str, Ranker]:
    """Every question of those fresh shows, and the reader's id and the ranker the engine used."""
    embedder, reader = load_embedder("default"), load_reader("default")
    if reader is None:
        raise SystemExit("bench.check: needs the packaged answer reader")
    seen: list[Seen] = []
    ranker = Ranker.from_file()
    for show in (load_show(FRESH / name) for name in names):
        engine = Engine(
            load_corpus(show.articles), embedder=embedder, ranker=ranker, reader=reader, vectors_in_background=False
        )
        engine.reader_check = ReaderCheck.neutral(reader.files.model_id, engine.ranker)
        for item in show.items:
            trace = engine.trace(item.q)
            ranked = trace.ranked
            if ranked is None or trace.question is None:
                seen.append(Seen(show.name, item.abstain, False, False, 0.0, 0.0))
                continue
            best = int(ranked.order[0])
            quote = engine.shown_text(trace.infos[best], trace.question)
            assert ranked.reader is not None
            seen.append(
                Seen(
                    show.name,
                    item.abstain,
                    True,
                    not item.abstain and item.is_hit(quote),
                    ranked.probability,
                    float(ranked.reader[best]),
                    engine.settings.reader_blend.sure(ranked.answer_row[MARGIN]),
                    tuple(check_evidence(ranked).tolist()),
                )
            )
        engine.close()
    return seen, reader.files.model_id, ranker


def fit(seen: list[Seen]) -> tuple[float, float, float, tuple[float, ...]]:
    """The check's weights (answer check's logit, reader's logit), intercept and evidence weights (none when
    a question lacks its evidence), on the raw scales: fitted on the right answers and the out-of-scope
    questions that were ranked."""
    ranked = [s for s in seen if s.ranked and (s.right or s.abstain)]
    full = all(len(s.evidence) == len(CHECK_EVIDENCE) for s in ranked)
    names = ("check", "reader", *(CHECK_EVIDENCE if full else ()))
    X = np.array([[logit(s.probability), s.reader, *(s.evidence if full else ())] for s in ranked])
    y = np.array([s.right for s in ranked], dtype=np.float64)
    model = fit_logistic(X, y, names, L2, signs={"check": 1, "reader": 1})
    weights = model.coef / model.scale
    intercept = float(model.intercept - np.sum(model.mean * weights))
    return float(weights[0]), float(weights[1]), intercept, tuple(float(w) for w in weights[2:])


def evidence_for(check: ReaderCheck, s: Seen) -> np.ndarray | None:
    """``s``'s evidence as ``check`` hears it (None when it hears only the two logits)."""
    return np.array(s.evidence) if check.evidence else None


def heard(check: ReaderCheck, s: Seen, reader: float | None = None) -> float:
    """``check``'s probability for ``s`` (with the reader's logit ``reader`` instead of the one it gave)."""
    return check.probability(s.probability, s.reader if reader is None else reader, evidence_for(check, s))


def rates(seen: list[Seen], probability, threshold: float) -> dict[str, float]:
    """hit@1, refused and declined of ``seen`` when ``probability(s)`` below ``threshold`` declines."""
    answered = [s.ranked and probability(s) >= threshold for s in seen]
    asked = [(s, said) for s, said in zip(seen, answered) if not s.abstain]
    oos = [said for s, said in zip(seen, answered) if s.abstain]
    return {
        "hit1": round(sum(said and s.right for s, said in asked) / max(1, len(asked)), 4),
        "refused": round(sum(not said for _, said in asked) / max(1, len(asked)), 4),
        "declined": round(sum(not said for said in oos) / max(1, len(oos)), 4),
    }


def choose_threshold(seen: list[Seen], check: ReaderCheck, declined: float) -> float:
    """The lowest threshold at which ``check`` declines at least ``declined`` of the out-of-scope questions."""
    oos = [s for s in seen if s.abstain]
    need = math.ceil(declined * len(oos) - 1e-9) - sum(not s.ranked for s in oos)  # beyond those never ranked
    scores = sorted(heard(check, s) for s in oos if s.ranked)
    if need <= 0 or not scores:
        return 0.01
    return min(0.99, max(0.01, scores[min(need, len(scores)) - 1] + 1e-6))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.check", description=__doc__.split("\n")[0])
    parser.add_argument("--hold-out", nargs="*", default=[], help="shows of tests/data/fresh not to fit on")
    parser.add_argument("--out", type=Path, default=PACKAGED)
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--declined", type=float, help="share of the out-of-scope questions to decline (default: the answer check's)"
    )
    args = parser.parse_args(argv)
    if args.declined is not None and not 0.0 < args.declined < 1.0:
        parser.error("--declined is a share between 0 and 1")
    every = sorted(p.parent.name for p in FRESH.glob(f"*/{BLIND_FILE}"))
    unknown = sorted(set(missing_fresh(args.hold_out)))
    if unknown:
        print(f"bench.check: no such fresh show: {', '.join(unknown)}", file=sys.stderr)
        return 2
    names = [n for n in every if n not in args.hold_out]
    seen, reader_id, ranker = gather(names)
    plain_threshold = ranker.variant(True)[1].threshold
    plain = rates(seen, lambda s: s.probability, plain_threshold)
    check_w, reader_w, intercept, evidence = fit(seen)
    check = ReaderCheck(reader_id, ranker.fingerprint, check_w, reader_w, intercept, 0.5, evidence=evidence)
    threshold = choose_threshold(seen, check, plain["declined"] if args.declined is None else args.declined)
    floor = float(np.quantile([s.reader for s in seen if s.ranked], FLOOR_QUANTILE))
    check = ReaderCheck(reader_id, ranker.fingerprint, check_w, reader_w, intercept, threshold, floor, evidence)
    with_reader = rates(seen, lambda s: heard(check, s), threshold)

    def unread(s: Seen) -> bool:  # as the engine: sure of its best, and the check settled without the reader
        return s.sure and check.settles(s.probability, evidence_for(check, s))

    kept = rates(seen, lambda s: heard(check, s, check.reader_floor if unread(s) else None), threshold)
    report = {
        "fitted_on": names,
        "questions": len(seen),
        "answer check alone": {"threshold": plain_threshold, **plain},
        **({} if args.declined is None else {"declined asked": args.declined}),
        "with the reader": {"threshold": round(threshold, 4), **with_reader},
        "not read when settled": {
            "reader_floor": round(floor, 4),
            "not read": round(sum(map(unread, seen)) / len(seen), 4),
            **kept,
        },
    }
    data = {
        "note": "fitted by `python -m bench.check`; do not edit by hand",
        **check.to_json(),
        "report": report,
    }
    args.out.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    if args.json:
        print(json.dumps(report))
    else:
        for name in ("answer check alone", "with the reader", "not read when settled"):
            print(f"{name}: " + ", ".join(f"{k} {v}" for k, v in report[name].items()))
        print(f"wrote {args.out} ({len(seen)} questions of {len(names)} shows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
