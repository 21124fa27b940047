"""The answer reader: a cross-encoder that reads the question and one candidate sentence together.

The sentence model (embed.py) reads a question and a sentence apart and compares their vectors;
the reader reads the pair as one text, so it sees which words of the sentence answer which of the
question. It gives one logit per pair: higher is a better answer. rank.py's ``ReaderBlend`` adds it
to the ranker's score of the shortlist's best few (three by default) when the ranker is unsure
between them.

The packaged reader is ``data/reader/model.onnx``: cross-encoder/ms-marco-MiniLM-L-12-v2
(Apache-2.0) fitted further to fans' questions by ``python -m bench.reader fit`` and quantised to
int8 (see NOTICE there); it is checked against its pinned sha256 before it is loaded, and reads with
the sentence model's WordPiece tokenizer, which is the same. ``SHOWBOT_READER`` chooses: unset for
the packaged reader, ``none`` to rank without one, or a path to any cross-encoder ONNX export with
one logit per (question, sentence) pair (a folder with ``model.onnx`` and ``tokenizer.json``, or the
``.onnx`` file with ``tokenizer.json`` beside it). Without the sentence model
(``SHOWBOT_MODEL=none``) there is no shortlist, and no reader either.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np

from .embed import MODEL_FILE, ModelError, ModelFiles, chosen_files, graph_cache, load_onnx, packaged_file

MAX_TOKENS = 128  # question and sentence together
READER_FILE = "data/reader/model.onnx"  # in the index package
READER_SHA256 = "07441235e22b35a08e734a640f9b792275ea99836ed1d9ae3aeedb59a5fb82b8"
READER_ID = f"ms-marco-MiniLM-L-12-v2-tv-questions-int8:{READER_SHA256[:16]}"


class Reader:
    """Scores (question, sentence) pairs with one ONNX cross-encoder. Thread-safe.

    Two threads per run: it reads only when the ranker is unsure, a few pairs at a time, and two threads
    read them in about three quarters of one thread's time (docs/quality.md). With ``cache`` (a
    folder), onnxruntime's optimised graph is kept there.
    """

    def __init__(self, files: ModelFiles, threads: int | None = 2, cache: Path | None = None) -> None:
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


def packaged_reader() -> ModelFiles:
    """The packaged reader file, after checking that it is byte for byte the pinned one."""
    path = packaged_file(READER_FILE, READER_SHA256, "set SHOWBOT_READER=none to rank without the answer reader")
    tokenizer = Path(str(resources.files("index").joinpath(MODEL_FILE))).with_name("tokenizer.json")
    return ModelFiles(path, tokenizer, READER_ID, READER_SHA256)


def load_reader(setting: str | None = None, cache: Path | None = None) -> Reader | None:
    """The answer reader chosen by ``setting`` / ``SHOWBOT_READER``: the packaged one when unset or
    "default", None for "none", else the export at that path. Raises ModelError."""
    files = chosen_files(setting, "SHOWBOT_READER", packaged_reader)
    return None if files is None else Reader(files, cache=graph_cache(cache))
