"""Score candidates with weights fitted offline, and say how likely the best one answers.

Two models, both read from ``data/ranker.json`` (written by
``python -m bench.train``):

1. the ranker: a weighted sum of each candidate's features (features.py),
   fitted listwise (a softmax over a question's candidates); the highest score
   is the answer;
2. the answer check: small boosted trees added to a logistic regression on the
   rare evidence (``LinearWithTrees``) in the semantic variant, a logistic
   regression (``LinearModel``) in the lexical one, over
   what is known of the question and its best candidate (``ANSWER_FEATURES``),
   whose output is the probability that the articles answer the question. Below
   the threshold fitted with it, the engine says it could not find the answer.

Each comes in two variants: "semantic" (with the sentence model's features) and
"lexical" (words only: no model, or vectors not ready yet). The semantic variant
may add a second look: the ranker's shortlist (its best few candidates) is
scored again by a third model that also reads how the question's word pieces
match each candidate's (tokenmatch.py), and the answer check reads that
shortlist.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path

import numpy as np

from .features import FEATURES, LEXICAL_FEATURES
from .tokenmatch import TOKEN_FEATURES, with_gaps

RERANK_FEATURES = FEATURES + TOKEN_FEATURES  # a shortlisted candidate's row

ANSWER_FEATURES = (
    "top_logit",  # the ranker's score of the best candidate
    "margin",  # ... minus the second best's
    "known",  # share of the question's weight that some article has
    "known_rel",  # ... of the words that are not named things (what is asked about them)
    "unknown_names",  # named things of the question that no article has (share)
    "unknown_part",  # it names a numbered season, episode or part ("season 5") that no article names
    "unknown_word",  # it holds a word that neither the articles nor English have: a name they do not mention?
    "cover",  # the best candidate's share of the question's weight
    "cover_rel",  # ... of the words that are not named things
    "num_missing",  # the question's numbers ("season 6") it lacks
    "money_missing",  # the question asks for an amount of money and it holds none
    "kind_missing",  # it lacks the kind of answer asked for
    "cos",  # its cosine to the question (0 in the lexical variant)
    "entity",  # share of the question's named things it names (with its neighbours)
    "full",  # it names them, holds what is asked about them, and the kind of answer asked, near
    "max_kind_cover",  # the best kind_cover of any candidate (the answer next to what is asked)
    "max_entity_rel",  # the best entity_rel of any candidate (what is asked, about the thing named)
    "max_full",  # the best of entity_rel x the kind of answer asked, near (all three in one place)
)


@dataclass(frozen=True)
class LinearModel:
    """A standardised logistic regression: sigmoid(((x - mean) / scale) . coef + intercept)."""

    names: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    @classmethod
    def from_json(cls, data: dict) -> LinearModel:
        names = tuple(data["names"])
        arrays = [np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale", "coef")]
        if any(len(a) != len(names) for a in arrays) or np.any(arrays[1] <= 0):
            raise ValueError("a linear model's mean, scale and coef must match its names, scales positive")
        return cls(names, *arrays, float(data["intercept"]))

    def to_json(self) -> dict:
        return {
            "names": list(self.names),
            "mean": [round(float(x), 6) for x in self.mean],
            "scale": [round(float(x), 6) for x in self.scale],
            "coef": [round(float(x), 6) for x in self.coef],
            "intercept": round(self.intercept, 6),
        }

    def logits(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean) / self.scale) @ self.coef + self.intercept

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """Each feature's part of one row's logit."""
        parts = (x - self.mean) / self.scale * self.coef
        return dict(zip(self.names, parts.tolist()))


@dataclass(frozen=True)
class BoostedTrees:
    """Small regression trees added up on the logit scale: base + the leaf each tree sends a row to.

    Tree ``t`` is stored level by level (node ``i``'s children are ``2i + 1`` and ``2i + 2``): a row
    goes right at node ``i`` when its ``feature[t, i]`` column is above ``threshold[t, i]``; a node
    whose feature is -1 is a leaf. ``value`` holds every node's value (the learning rate included),
    the inner nodes' too, so a row's logit can be told apart feature by feature (``contributions``,
    which like LinearModel's leaves out the constant part: ``base`` and the roots' values).
    """

    names: tuple[str, ...]
    base: float
    feature: np.ndarray  # (trees, nodes) int
    threshold: np.ndarray  # (trees, nodes)
    value: np.ndarray  # (trees, nodes)

    @property
    def depth(self) -> int:
        return int(self.feature.shape[1] + 1).bit_length() - 2

    @classmethod
    def from_json(cls, data: dict) -> BoostedTrees:
        names = tuple(data["names"])
        feature = np.asarray(data["feature"], dtype=np.int64)
        threshold, value = (np.asarray(data[k], dtype=np.float64) for k in ("threshold", "value"))
        nodes = feature.shape[1] if feature.ndim == 2 else 0
        if (
            feature.ndim != 2
            or (nodes + 1) & nodes  # 2 ** (depth + 1) - 1 nodes
            or threshold.shape != feature.shape
            or value.shape != feature.shape
            or feature.min(initial=-1) < -1
            or feature.max(initial=-1) >= len(names)
            or np.any(feature[:, (nodes - 1) // 2 :] >= 0)  # the last level holds only leaves
        ):
            raise ValueError("boosted trees: feature, threshold and value must be (trees, 2^k - 1) arrays over names")
        return cls(names, float(data["base"]), feature, threshold, value)

    def to_json(self) -> dict:
        return {
            "names": list(self.names),
            "base": round(self.base, 6),
            "feature": self.feature.tolist(),
            "threshold": [[round(float(x), 6) for x in row] for row in self.threshold],
            "value": [[round(float(x), 6) for x in row] for row in self.value],
        }

    def _paths(self, X: np.ndarray) -> np.ndarray:
        """(levels + 1, rows, trees): the node of each tree that each row is at, level by level."""
        trees = np.arange(self.feature.shape[0])
        at = np.zeros((len(X), len(trees)), dtype=np.int64)
        path = [at]
        for _ in range(self.depth):
            f = self.feature[trees, at]
            leaf = f < 0
            x = X[np.arange(len(X))[:, None], np.where(leaf, 0, f)]
            at = np.where(leaf, at, 2 * at + 1 + (x > self.threshold[trees, at]))
            path.append(at)
        return np.stack(path)

    def logits(self, X: np.ndarray) -> np.ndarray:
        trees = np.arange(self.feature.shape[0])
        return self.base + self.value[trees, self._paths(X)[-1]].sum(axis=1)

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        """Each feature's part of one row's logit: what the splits on it moved the trees' values by."""
        trees = np.arange(self.feature.shape[0])
        path = self._paths(x[None, :])[:, 0, :]
        parts = np.zeros(len(self.names))
        for parent, child in pairwise(path):
            f = self.feature[trees, parent]
            moved = f >= 0
            np.add.at(parts, f[moved], (self.value[trees, child] - self.value[trees, parent])[moved])
        return dict(zip(self.names, parts.tolist()))


@dataclass(frozen=True)
class LinearWithTrees:
    """A logistic regression's logit plus small trees fitted on what it leaves (``BoostedTrees``, base 0).

    The answer check's form with the sentence model: evidence that is rare but telling (a name no
    article has) in the weighted sum, since a tree needs many rows on each side of a split; the
    interactions of the rest in the trees. Both read the same columns.
    """

    linear: LinearModel
    trees: BoostedTrees

    def __post_init__(self) -> None:
        if tuple(self.trees.names) != tuple(self.linear.names):
            raise ValueError("the trees must read the same features as the weighted sum")

    @property
    def names(self) -> tuple[str, ...]:
        return self.linear.names

    @classmethod
    def from_json(cls, data: dict) -> LinearWithTrees:
        return cls(LinearModel.from_json(data["linear"]), BoostedTrees.from_json(data["trees"]))

    def to_json(self) -> dict:
        return {"linear": self.linear.to_json(), "trees": self.trees.to_json()}

    def logits(self, X: np.ndarray) -> np.ndarray:
        return self.linear.logits(X) + self.trees.logits(X)

    def contributions(self, x: np.ndarray) -> dict[str, float]:
        trees = self.trees.contributions(x)
        return {name: part + trees[name] for name, part in self.linear.contributions(x).items()}


AnswerModel = LinearModel | BoostedTrees | LinearWithTrees


def answer_model_from_json(data: dict) -> AnswerModel:
    if "trees" in data:
        return LinearWithTrees.from_json(data)
    return BoostedTrees.from_json(data) if "feature" in data else LinearModel.from_json(data)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def logit(p: float) -> float:
    """sigmoid's inverse, for a probability kept a hair inside (0, 1)."""
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


@dataclass(frozen=True)
class RankerVariant:
    ranker: LinearModel
    answer: AnswerModel  # the answer check
    threshold: float
    rerank: LinearModel | None = None  # scores the shortlist again, with TOKEN_FEATURES
    shortlist: int = 0  # how many of the ranker's best candidates it reads

    @property
    def columns(self) -> np.ndarray:
        """Which columns of a full feature row the ranker reads."""
        return np.array([FEATURES.index(name) for name in self.ranker.names])

    @property
    def rerank_columns(self) -> np.ndarray:
        """Which columns of a shortlisted row (RERANK_FEATURES) the second model reads."""
        assert self.rerank is not None
        return np.array([RERANK_FEATURES.index(name) for name in self.rerank.names])


@dataclass(frozen=True)
class Ranked:
    """The candidates in ranking order and how likely the first answers."""

    order: np.ndarray  # candidate rows, best first (only the shortlist, after a second look)
    logits: np.ndarray  # the final score of every row (-inf: not shortlisted)
    probability: float  # that the best candidate answers
    answer_row: np.ndarray  # the answer check's features
    variant: str
    features: np.ndarray  # the rows the final model read (RERANK_FEATURES wide after a second look)
    model: LinearModel  # the model whose scores ``logits`` are
    reader: np.ndarray | None = None  # the answer reader's logit of each row it read (nan: not read)
    threshold: float | None = None  # the reader check's, when it gave ``probability`` (ReaderCheck); else the variant's


TokenScorer = Callable[[np.ndarray], np.ndarray]  # candidate rows -> their raw token-match columns


@dataclass(frozen=True)
class ReaderBlend:
    """The answer reader's say in the order (reader.py): when the ranker is unsure, it reads its best few.

    When the second look's best score leads the next by less than ``margin``, its best ``top``
    candidates are read with the question, and reordered by their score plus ``weight`` times the
    reader's logit; the rest keep their places after them. The probability that the best answers is
    the answer check's, unchanged. The defaults were chosen on the eleven fresh shows the ranker is
    fitted on (the reader never saw them), the development questions and the seeds' batch time
    (docs/quality.md, "the packaged answer reader"): three candidates and a margin of 1.5 (right first
    0.670 there, against 0.636 without the reader, 0.660 reading two at a margin of 1 and 0.673 reading
    three at a margin of 2, which put the seeds' median question in batch mode at 26 ms against 17 ms).
    """

    top: int = 3
    margin: float = 1.5
    weight: float = 1.0

    def __post_init__(self) -> None:
        if self.top < 2 or self.margin <= 0 or self.weight < 0:
            raise ValueError("a reader blend needs top >= 2, margin > 0 and weight >= 0")

    def sure(self, margin: float) -> bool:
        """Whether a best score that leads the next by ``margin`` is sure: then nothing is reordered."""
        return margin >= self.margin

    def rows(self, ranked: Ranked) -> np.ndarray:
        """The candidate rows to read: none when the ranker is sure of its best, or ranked words only."""
        order = ranked.order
        if ranked.variant != "semantic" or len(order) < 2:
            return order[:0]
        if self.sure(ranked.logits[order[0]] - ranked.logits[order[1]]):
            return order[:0]
        return order[: self.top]

    def run(self, ranked: Ranked, rows: np.ndarray, reader_logits: np.ndarray) -> Ranked:
        """``ranked`` with ``rows`` (from ``rows``) reordered by score + weight x ``reader_logits``."""
        if len(rows) == 0:
            return ranked
        blended = ranked.logits[rows] + self.weight * np.asarray(reader_logits, dtype=np.float64)
        first = rows[np.lexsort((np.arange(len(rows)), -blended))]
        order = np.concatenate([first, ranked.order[len(rows) :]])
        read = np.full(len(ranked.logits), np.nan)
        read[rows] = reader_logits
        return replace(ranked, order=order, reader=read)


class Ranker:
    """Applies the fitted models. ``run`` picks the variant by whether the semantic features are there."""

    def __init__(self, variants: dict[str, RankerVariant], source: str = "", fingerprint: str = "") -> None:
        if "lexical" not in variants:
            raise ValueError("a ranker needs at least its lexical variant")
        for name, variant in variants.items():
            unknown = set(variant.ranker.names) - set(FEATURES)
            if variant.rerank is not None:
                unknown |= set(variant.rerank.names) - set(RERANK_FEATURES)
                if variant.shortlist < 2 or name == "lexical":
                    raise ValueError(
                        f"ranker variant {name!r}: a second look needs the model and a shortlist of 2 or more"
                    )
            if unknown or tuple(variant.answer.names) != ANSWER_FEATURES:
                raise ValueError(f"ranker variant {name!r} does not match this version's features ({sorted(unknown)})")
        if not set(variants["lexical"].ranker.names) <= set(LEXICAL_FEATURES):
            raise ValueError("the lexical variant may only use lexical features")
        self.variants = variants
        self.source = source
        self.fingerprint = fingerprint  # of the fitted weights it was read from (``weights_fingerprint``); "" if made

    @classmethod
    def from_file(cls, path: Path | str | None = None) -> Ranker:
        if path is None:
            return default_ranker()
        return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")), str(path))

    @classmethod
    def from_json(cls, data: dict, source: str = "") -> Ranker:
        variants = {
            name: RankerVariant(
                LinearModel.from_json(v["ranker"]),
                answer_model_from_json(v["answer"]),
                float(v["threshold"]),
                LinearModel.from_json(v["rerank"]) if v.get("rerank") else None,
                int(v.get("shortlist", 0)),
            )
            for name, v in data["variants"].items()
        }
        return cls(variants, source, weights_fingerprint(data))

    @classmethod
    def untrained(cls) -> Ranker:
        """Zero weights for this version's features: every candidate ties. For fitting new weights."""

        def zero(names: tuple[str, ...]) -> LinearModel:
            return LinearModel(names, np.zeros(len(names)), np.ones(len(names)), np.zeros(len(names)), 0.0)

        return cls(
            {
                name: RankerVariant(zero(features), zero(ANSWER_FEATURES), 0.5)
                for name, features in (("lexical", LEXICAL_FEATURES), ("semantic", FEATURES))
            },
            "untrained",
        )

    def variant(self, semantic: bool) -> tuple[str, RankerVariant]:
        name = "semantic" if semantic and "semantic" in self.variants else "lexical"
        return name, self.variants[name]

    def declines(self, ranked: Ranked) -> bool:
        """Whether the answer check declines ``ranked``'s best: its probability is under its threshold (the reader
        check's when it heard the reader, else its variant's)."""
        threshold = ranked.threshold
        if threshold is None:
            threshold = self.variant(ranked.variant == "semantic")[1].threshold
        return ranked.probability < threshold

    def run(
        self, X: np.ndarray, semantic: bool, question_row: dict[str, float], tokens: TokenScorer | None = None
    ) -> Ranked:
        """Rank the rows of ``X`` (full feature rows) and check the best one.

        With a second look in the variant, ``tokens`` gives the shortlist's token-match columns.
        """
        name, variant = self.variant(semantic)
        logits = variant.ranker.logits(X[:, variant.columns])
        order = np.lexsort((np.arange(len(logits)), -logits))
        if variant.rerank is None or tokens is None:
            row = answer_row(X, logits, order, question_row)
            probability = sigmoid(float(variant.answer.logits(row[None, :])[0]))
            return Ranked(order, logits, probability, row, name, X, variant.ranker)
        keep = np.sort(order[: variant.shortlist])  # as bench/fit.py's shortlisted()
        short = np.hstack([X[keep], with_gaps(tokens(keep))])
        short_logits = variant.rerank.logits(short[:, variant.rerank_columns])
        short_order = np.lexsort((np.arange(len(keep)), -short_logits))
        row = answer_row(short, short_logits, short_order, question_row)
        probability = sigmoid(float(variant.answer.logits(row[None, :])[0]))
        final = np.full(len(X), -np.inf)
        final[keep] = short_logits
        features = np.zeros((len(X), len(RERANK_FEATURES)))
        features[:, : X.shape[1]] = X
        features[keep] = short
        return Ranked(keep[short_order], final, probability, row, name, features, variant.rerank)


def answer_row(X: np.ndarray, logits: np.ndarray, order: np.ndarray, question_row: dict[str, float]) -> np.ndarray:
    """The answer check's features: the question's, and the best candidate's."""
    best = int(order[0])
    second = float(logits[order[1]]) if len(order) > 1 else float(logits[best]) - 5.0
    col = {name: k for k, name in enumerate(FEATURES)}
    values = {
        "top_logit": float(logits[best]),
        "margin": float(logits[best]) - second,
        "max_kind_cover": float(X[:, col["kind_cover"]].max()),
        "max_entity_rel": float(X[:, col["entity_rel"]].max()),
        "max_full": float(X[:, col["full"]].max()),
        **{name: X[best, col[name]] for name in _FROM_BEST},
        **question_row,
    }
    return np.array([values[name] for name in ANSWER_FEATURES], dtype=np.float64)


_FROM_BEST = ("cover", "cover_rel", "num_missing", "money_missing", "kind_missing", "cos", "entity", "full")


def weights_fingerprint(data: dict) -> str:
    """What names one ranker's fitted weights (a ranker.json's ``variants``), whatever file they were read from."""
    canonical = json.dumps(data["variants"], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


CHECK_EVIDENCE = (
    "reader_lead",  # the reader's logit of the best minus the highest of the other candidates it read (0: it read one)
    "read_more",  # 1 when the reader read more than the best (the ranker was unsure of its best)
    "score_lead",  # the final score of the best minus the next one's, in the final order (after the reader's)
) + ANSWER_FEATURES  # and what the answer check read


def check_evidence(ranked: Ranked) -> np.ndarray:
    """What the reader check hears besides the two logits (``CHECK_EVIDENCE``), for ``ranked`` as it stands: before
    the reader has read, as if it read only the best."""
    order, read = ranked.order, ranked.reader
    lead, more = 0.0, 0.0
    if read is not None and len(order) > 1:
        others = read[order[1:]]
        others = others[~np.isnan(others)]
        if len(others) and not np.isnan(read[order[0]]):
            lead, more = float(read[order[0]] - others.max()), 1.0
    score_lead = float(ranked.logits[order[0]] - ranked.logits[order[1]]) if len(order) > 1 else 5.0
    return np.concatenate([[lead, more, score_lead], ranked.answer_row]).astype(np.float64)


@dataclass(frozen=True)
class ReaderCheck:
    """The answer check heard together with the answer reader (reader.py), which reads the best candidate too.

    The probability that the best candidate answers becomes
    ``sigmoid(check x logit(p) + reader x the reader's logit of it + evidence . check_evidence + intercept)``,
    with ``p`` the answer check's, and its own ``threshold``. The two disagree in telling ways: the answer
    check knows what the articles hold (a name no article has), the reader how well this one sentence answers
    this question. ``evidence`` (weights of ``CHECK_EVIDENCE``, or none) hears more: how far the reader's best
    leads what else it read, how far the ranker's, and the answer check's own features again, weighed on
    many more shows than the answer check was fitted on.
    It is fitted (``python -m bench.check``) for one reader and one ranker's weights, and is heard
    only with them: ``applies``. When the ranker is sure of its best and the answer check so sure that
    even a reader's logit as low as ``reader_floor`` would not decline it (``settles``), the reader is
    not asked: the probability is the check's with the floor for the reader's logit (``settled``).
    """

    reader_id: str  # the reader's ModelFiles.model_id
    ranker: str  # the ranker's fingerprint (``weights_fingerprint``)
    check: float
    reader: float
    intercept: float
    threshold: float
    reader_floor: float = -math.inf  # a logit the reader gives fewer than one best candidate in twenty (fitted)
    evidence: tuple[float, ...] = ()  # weights of CHECK_EVIDENCE, or none

    def __post_init__(self) -> None:
        if not 0.0 < self.threshold < 1.0 or self.check < 0 or self.reader < 0:
            raise ValueError("a reader check needs weights >= 0 and a threshold between 0 and 1")
        if self.evidence and len(self.evidence) != len(CHECK_EVIDENCE):
            raise ValueError(f"a reader check's evidence needs {len(CHECK_EVIDENCE)} weights, not {len(self.evidence)}")

    @classmethod
    def from_json(cls, data: dict) -> ReaderCheck:
        weights = data["weights"]
        unknown = set(weights) - {"check", "reader", *CHECK_EVIDENCE}
        if unknown:
            raise ValueError(f"a reader check with weights this version does not know: {sorted(unknown)}")
        heard = any(name in weights for name in CHECK_EVIDENCE)
        return cls(
            str(data["reader"]),
            str(data["ranker"]),
            float(weights["check"]),
            float(weights["reader"]),
            float(data["intercept"]),
            float(data["threshold"]),
            float(data.get("reader_floor", -math.inf)),
            tuple(float(weights.get(name, 0.0)) for name in CHECK_EVIDENCE) if heard else (),
        )

    def to_json(self) -> dict:
        evidence = {name: round(w, 6) for name, w in zip(CHECK_EVIDENCE, self.evidence)}
        return {
            "reader": self.reader_id,
            "ranker": self.ranker,
            "weights": {"check": round(self.check, 6), "reader": round(self.reader, 6), **evidence},
            "intercept": round(self.intercept, 6),
            "threshold": round(self.threshold, 4),
            **({"reader_floor": round(self.reader_floor, 4)} if math.isfinite(self.reader_floor) else {}),
        }

    @classmethod
    def neutral(cls, reader_id: str, ranker: Ranker) -> ReaderCheck:
        """A check that reads the best candidate and leaves the answer check's probability and threshold as
        they are: for gathering what the reader says before a check is fitted."""
        return cls(reader_id, ranker.fingerprint, 1.0, 0.0, 0.0, ranker.variant(True)[1].threshold)

    def applies(self, reader_id: str, ranker: Ranker) -> bool:
        return reader_id == self.reader_id and ranker.fingerprint == self.ranker

    def probability(self, probability: float, reader_logit: float, evidence: np.ndarray | None = None) -> float:
        """From the answer check's ``probability``, the reader's logit of the best and ``check_evidence``
        (needed when the check hears evidence)."""
        z = self.check * logit(probability) + self.reader * reader_logit + self.intercept
        if self.evidence:
            if evidence is None:
                raise ValueError("this reader check hears the evidence too")
            z += float(np.dot(self.evidence, evidence))
        return sigmoid(z)

    def contributions(self, probability: float, reader_logit: float, evidence: np.ndarray | None = None) -> dict:
        """Each part of the logit that ``probability`` gives: for ``--explain``."""
        parts = {"check": self.check * logit(probability), "reader": self.reader * reader_logit}
        if self.evidence and evidence is not None:
            parts.update({name: w * float(v) for name, w, v in zip(CHECK_EVIDENCE, self.evidence, evidence)})
        return {"intercept": self.intercept, **parts}

    def settles(self, probability: float, evidence: np.ndarray | None = None) -> bool:
        """Whether the answer check's ``probability`` answers whatever the reader says, down to ``reader_floor``
        (``evidence`` as if it read only the best)."""
        return (
            math.isfinite(self.reader_floor)
            and self.probability(probability, self.reader_floor, evidence) >= self.threshold
        )

    def settled(self, ranked: Ranked) -> Ranked:
        """``ranked`` with the probability and threshold of this check, the reader's logit at its floor."""
        evidence = check_evidence(ranked)
        assert self.settles(ranked.probability, evidence), "only a settled question goes unread"
        probability = self.probability(ranked.probability, self.reader_floor, evidence)
        return replace(ranked, probability=probability, threshold=self.threshold)

    def run(self, ranked: Ranked) -> Ranked:
        """``ranked`` with the probability and threshold of this check: the reader must have read its best."""
        best = int(ranked.order[0])
        assert ranked.reader is not None and not np.isnan(ranked.reader[best]), "the reader has not read the best"
        return replace(
            ranked,
            probability=self.probability(ranked.probability, float(ranked.reader[best]), check_evidence(ranked)),
            threshold=self.threshold,
        )


@cache
def default_reader_check() -> ReaderCheck | None:
    """The reader check shipped with the package (``data/reader/check.json``), if there is one."""
    path = resources.files("index").joinpath("data/reader/check.json")
    if not path.is_file():
        return None
    return ReaderCheck.from_json(json.loads(path.read_text(encoding="utf-8")))


@cache
def default_ranker() -> Ranker:
    """The ranker shipped with the package (``data/ranker.json``)."""
    text = resources.files("index").joinpath("data/ranker.json").read_text(encoding="utf-8")
    return Ranker.from_json(json.loads(text), "index/data/ranker.json")
