"""The labelled shows of ``tests/data/shows/``: their articles, their questions, and the engine's traces.

A show is a folder with ``questions.jsonl`` (and possibly other ``*.jsonl``
question files) and its articles (``*.txt`` and ``sources.toml``), or a
``show.toml`` whose ``articles`` names the folder that holds them. Each
question is ``{"q": ..., "answers": [fragments]}`` or ``{"q": ..., "abstain": true}``.
``train.jsonl`` (more questions of the same kinds, also written blind) is read
only when asked for (``training=True``): it serves to fit the sentence model
(bench/finetune.py), never the ranker or any score.
A candidate is labelled right when the quote it would give contains one of the
fragments (the rule of ``shared/eval/score.py``).
"""

from __future__ import annotations

import argparse
import json
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from index import Engine, load_corpus
from index.embed import Embedder
from index.rank import Ranker

SHOWS = Path(__file__).resolve().parent.parent / "tests" / "data" / "shows"
FRESH = SHOWS.parent / "fresh"  # shows no model shipped was fitted on, unless bench.train --fresh names them
TRAINING_FILE = "train.jsonl"  # questions for fitting the sentence model only
BLIND_FILE = "questions.jsonl"  # the questions written blind, which the held-out scores count


def norm(text: str) -> str:
    """The normalisation of shared/eval/score.py: quotes, dashes and spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip().lower()


@dataclass(frozen=True)
class Item:
    q: str
    answers: tuple[str, ...]  # empty for a question that must be declined
    style: str
    file: str  # the question file it came from

    @property
    def abstain(self) -> bool:
        return not self.answers

    def is_hit(self, quote: str | None) -> bool:
        return bool(quote) and any(norm(a) in norm(quote) for a in self.answers)


@dataclass
class Show:
    name: str
    folder: Path  # its questions
    articles: Path  # its articles
    items: list[Item]
    tuned: frozenset[str] = frozenset()  # question files that were tuned on (regression checks only)

    def files(self) -> list[str]:
        return list(dict.fromkeys(i.file for i in self.items))

    def without_training(self) -> Show:
        """The show as the ranker and the scores see it: no sentence-model training questions."""
        return replace(self, items=[i for i in self.items if i.file != TRAINING_FILE])


def load_show(folder: Path, training: bool = False) -> Show:
    """The show in ``folder``; with ``training``, its sentence-model training questions too."""
    meta = {}
    if (folder / "show.toml").is_file():
        meta = tomllib.loads((folder / "show.toml").read_text(encoding="utf-8"))
    articles = (folder / meta["articles"]).resolve() if "articles" in meta else folder
    items = []
    for path in sorted(folder.glob("*.jsonl"), key=lambda p: (p.name != BLIND_FILE, p.name)):
        if path.name == TRAINING_FILE and not training:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                answers = () if d.get("abstain") else tuple(d["answers"])
                items.append(Item(d["q"], answers, d.get("style", "oos" if not answers else ""), path.name))
    return Show(folder.name, folder, articles, items, frozenset(meta.get("tuned", ())))


def fold_groups(folder: Path) -> dict[str, list[str]]:
    """Fold model folder name -> the shows it never saw (``folder/folds.json``, which ``bench.finetune --loso`` writes)."""
    folds = json.loads((folder / "folds.json").read_text(encoding="utf-8"))
    groups: dict[str, list[str]] = {}
    for show, name in folds.items():
        groups.setdefault(name, []).append(show)
    return groups


def held_out_models(folder: Path) -> dict[str, Embedder]:
    """The fold models that ``python -m bench.finetune --loso --folds K --work FOLDER`` left: show -> a model that never saw it."""
    from index.embed import user_model

    groups = fold_groups(folder)
    models = {name: Embedder(user_model(folder / name)) for name in sorted(groups)}
    return {show: models[name] for name, shows in groups.items() for show in shows}


def load_shows(root: Path = SHOWS, training: bool = False) -> list[Show]:
    return [load_show(p, training) for p in sorted(root.iterdir()) if (p / BLIND_FILE).is_file()]


@dataclass
class Case:
    """One question's candidates: features, labels, and what the engine knew before ranking."""

    item: Item
    X: np.ndarray | None  # None when the engine declined before ranking
    labels: np.ndarray | None
    quotes: list[str] = field(default_factory=list)
    question_row: dict[str, float] = field(default_factory=dict)
    semantic: bool = False
    reason: str = ""
    sentences: np.ndarray | None = None  # the candidates' sentence ids in the show's index
    normalized: str = ""  # the question as the engine read it
    tokens: np.ndarray | None = None  # raw token-match columns of every candidate (tokenmatch.py), with the model
    hard_fact: str = ""  # the engine declines it at run time for this reason, though it was ranked here

    @property
    def has_positive(self) -> bool:
        return self.labels is not None and bool(self.labels.any())


def trace_show(
    show: Show, embedder: Embedder | None, ranker: Ranker | None = None, token_columns: bool = True
) -> tuple[Engine, list[Case]]:
    """Build the show's engine and trace every question through it.

    ``token_columns`` False leaves out the second look's columns (a model run per candidate),
    for callers that use the first-stage ranking only.
    """
    ranker = ranker or Ranker.untrained()  # the features do not depend on the weights
    engine = Engine(load_corpus(show.articles), embedder=embedder, ranker=ranker, vectors_in_background=False)
    cases = []
    for item in show.items:
        trace = engine.trace(item.q, hard_facts=False)  # the models learn from every question
        if trace.ranked is None:
            cases.append(Case(item, None, None, reason=trace.reason))
            continue
        quotes = [engine.quote_text(info) for info in trace.infos]
        labels = np.array([item.is_hit(q) for q in quotes], dtype=bool)
        cases.append(
            Case(
                item,
                trace.features,
                labels,
                quotes,
                trace.question_row,
                trace.ranked.variant == "semantic",
                sentences=trace.pool.sentences,
                normalized=trace.question.normalized,
                tokens=engine.token_columns(trace) if token_columns else None,
                hard_fact=trace.hard_fact,
            )
        )
    return engine, cases


class ShowData:
    """Traces of every show, with and without the sentence model, computed once.

    ``held_out_models`` (show name -> embedder) traces a show with a model that was fitted
    without it, so its semantic scores are those of a show the model never saw.
    """

    def __init__(
        self, shows: list[Show], embedder: Embedder | None, held_out_models: dict[str, Embedder] | None = None
    ) -> None:
        self.shows = shows
        self.embedder = embedder
        self.held_out_models = held_out_models or {}

    @cached_property
    def semantic(self) -> dict[str, list[Case]]:
        if self.embedder is None:
            return {}
        return {s.name: trace_show(s, self.held_out_models.get(s.name, self.embedder))[1] for s in self.shows}

    @cached_property
    def lexical(self) -> dict[str, list[Case]]:
        return {s.name: trace_show(s, None)[1] for s in self.shows}

    def cases(self, variant: str) -> dict[str, list[Case]]:
        return self.semantic if variant == "semantic" else self.lexical


def add_fresh_options(parser: argparse.ArgumentParser, help_text: str) -> None:
    """``--fresh NAME...`` and ``--fresh-weight N``: fit on those shows of ``tests/data/fresh`` too."""
    parser.add_argument("--fresh", nargs="*", default=[], help=help_text)
    parser.add_argument("--fresh-weight", type=int, default=3, help="how many times a fresh show's questions count")


def missing_fresh(names: list[str]) -> list[str]:
    """Those of ``names`` that are no show of ``tests/data/fresh`` (no blind question file there)."""
    return [name for name in names if not (FRESH / name / BLIND_FILE).is_file()]


def fresh_problem(args: argparse.Namespace) -> str:
    """What is wrong with ``--fresh`` and ``--fresh-weight``, or "" when nothing is."""
    missing = missing_fresh(args.fresh)
    if missing:
        return f"no such fresh show: {', '.join(missing)}"
    return "--fresh-weight >= 1" if args.fresh_weight < 1 else ""


def fresh_fitting(args: argparse.Namespace, embedder: Embedder | None) -> tuple[ShowData, dict[str, int]]:
    """The fresh shows' traces and how many times each counts in a fit."""
    fresh = ShowData([load_show(FRESH / name) for name in args.fresh], embedder)
    return fresh, dict.fromkeys(args.fresh, args.fresh_weight)
