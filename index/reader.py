"""The answer reader: a cross-encoder that reads the question and one candidate sentence together.

The sentence model (embed.py) reads a question and a sentence apart and compares their vectors;
the reader reads the pair as one text, so it sees which words of the sentence answer which of the
question. It gives one logit per pair: higher is a better answer. rank.py's ``ReaderBlend`` adds it
to the ranker's score of the shortlist's best few when the ranker is unsure between them.

No reader is packaged: the one measured (docs/quality.md, "the answer reader in the engine") raised
hit@1 on shows nothing was fitted on but lost two of the development questions, so it is not on by
default. ``SHOWBOT_READER=PATH`` turns one on: any cross-encoder ONNX export with one logit per
(question, sentence) pair (a folder with ``model.onnx`` and ``tokenizer.json``, or the ``.onnx`` file
with ``tokenizer.json`` beside it), such as the ``reader.onnx`` that ``python -m bench.reader fit``
writes. Unset or ``none``: no reader. Without the sentence model (``SHOWBOT_MODEL=none``) there is no
shortlist, and no reader either.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .embed import OFF, ModelError, ModelFiles, load_onnx, user_model

MAX_TOKENS = 128  # question and sentence together


class Reader:
    """Scores (question, sentence) pairs with one ONNX cross-encoder. Thread-safe.

    One thread per run, as the sentence model: on a busy two-core machine that answers a question
    soonest. With ``cache`` (a folder), onnxruntime's optimised graph is kept there.
    """

    def __init__(self, files: ModelFiles, threads: int | None = 1, cache: Path | None = None) -> None:
        self.files = files
        tokenizer, session = load_onnx(
            files,
            threads,
            cache,
            what="answer reader",
            turn_off="set SHOWBOT_READER=none to rank without it",
            max_tokens=MAX_TOKENS,
        )
        self._tokenizer = tokenizer
        self._session = session
        self._inputs = {i.name for i in session.get_inputs()}
        outputs = session.get_outputs()
        if not {"input_ids", "attention_mask"} <= self._inputs or len(outputs) != 1:
            raise ModelError(f"{files.model} is not a cross-encoder with one logit per pair")
        self._lock = threading.Lock()  # the tokenizer's settings are shared state
        try:
            probe = self.score("probe", ["a probe sentence", "another"])
        except ModelError:
            raise
        except Exception as exc:  # onnxruntime's own types: inputs the graph does not take
            raise ModelError(f"{files.model} is not a cross-encoder with one logit per pair: {exc}") from exc
        if not np.all(np.isfinite(probe)):
            raise ModelError(f"{files.model} does not give one logit per pair")

    def score(self, question: str, texts: Sequence[str]) -> np.ndarray:
        """One logit per text (float64): how well it answers ``question``. All texts run as one batch."""
        if not texts:
            return np.zeros(0)
        with self._lock:
            encodings = self._tokenizer.encode_batch([(question, t) for t in texts])
        feeds = {
            "input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64),
        }
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        out = np.asarray(self._session.run(None, feeds)[0], dtype=np.float64)
        if out.shape not in ((len(texts),), (len(texts), 1)):
            raise ModelError(f"{self.files.model} gives {out.shape[1:]} a pair, not one logit per pair")
        return out.reshape(len(texts))


def reader_setting(value: str | None = None) -> str:
    """The reader setting: the argument, else ``SHOWBOT_READER``, else "none"."""
    value = (value if value is not None else os.environ.get("SHOWBOT_READER", "")).strip()
    return value or "none"


def load_reader(setting: str | None = None, cache: Path | None = None) -> Reader | None:
    """The answer reader at ``setting`` / ``SHOWBOT_READER`` (a path); None when unset or "none". Raises ModelError."""
    value = reader_setting(setting)
    if value.casefold() in OFF:
        return None
    files = user_model(value, "SHOWBOT_READER")
    if cache is None:
        from .vectors import cache_dir

        cache = cache_dir()
    return Reader(files, cache=cache)
