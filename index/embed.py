"""Sentence vectors: a MiniLM sentence model (int8 ONNX) on onnxruntime, for meaning beyond shared words.

The default model is ``data/minilm/model.onnx``: all-MiniLM-L6-v2 (Apache-2.0)
fitted further to fans' questions and news sentences about TV shows by
``python -m bench.finetune`` and quantised to int8. It is checked against its
pinned sha256 before it is loaded; its WordPiece tokenizer is beside it (see
NOTICE there). The pipeline is sentence-transformers' for this model: tokens up
to 256, mean pooling over the attention mask, L2 normalisation, so a dot
product is a cosine.

``SHOWBOT_MODEL`` chooses: unset for the packaged model, ``none`` for lexical
answers only, or a path to any sentence-transformers ONNX export (a folder with
``model.onnx`` and ``tokenizer.json``, or the ``.onnx`` file with
``tokenizer.json`` beside it).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

log = logging.getLogger(__name__)

MODEL_FILE = "data/minilm/model.onnx"  # in the index package
MODEL_SHA256 = "e0fbf988d5365bc3d815b16d616985f0baab5656e123c1834f3c001adfe0e884"
# names the vector space, and follows the file: cached vectors of another model file are never read
MODEL_ID = f"all-MiniLM-L6-v2-tv-questions-int8:{MODEL_SHA256[:16]}"
MAX_TOKENS = 256
OFF = ("none", "off", "0", "false", "no")  # a model setting that turns the model off
BATCH = 32
RACY_SECONDS = 2.0  # a file changed this recently is hashed at every start until it is older


class Stopped(Exception):
    """Encoding was asked to stop (the process is ending, or another model replaces this one)."""


class ModelError(Exception):
    """The sentence model cannot be used; the message says why and how to go on without it."""


@dataclass(frozen=True)
class ModelFiles:
    model: Path
    tokenizer: Path
    model_id: str  # names the vector space: vectors of different ids never meet
    sha256: str  # of the model file, checked when it was found


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _identity(path: Path) -> list[int]:
    """What changes whenever the file's bytes can have changed: size, inode, modification and change times
    (the change time is set by the system on every write or metadata change and cannot be set back)."""
    st = path.stat()
    return [st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns]


def file_sha256(path: Path, stamps: Path | None = None) -> str:
    """The sha256 of the file at ``path``.

    With ``stamps`` (a folder), a digest computed earlier is reused while the file is provably the same
    one (see _identity), as git does for its index: a start then checks two model files in microseconds
    instead of hashing 60 MB. Any doubt (no stamp, a damaged one, a changed file) hashes the file again.
    """
    if stamps is None:
        return _sha256(path)
    stamp = stamps / (hashlib.sha256(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:24] + ".json")
    identity = _identity(path)
    try:
        seen = json.loads(stamp.read_text(encoding="utf-8"))
        if seen["identity"] == identity and isinstance(seen["sha256"], str):
            return seen["sha256"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    digest = _sha256(path)
    # not written to while it was read, nor changed so lately that a change in the same tick of the
    # system's coarse file clock would leave the identity as it is (git's "racy clean" rule)
    if _identity(path) == identity and time.time_ns() - identity[3] > RACY_SECONDS * 1e9:
        try:
            stamps.mkdir(parents=True, exist_ok=True)
            tmp = stamp.with_name(f"{stamp.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            tmp.write_text(json.dumps({"identity": identity, "sha256": digest}), encoding="utf-8")
            os.replace(tmp, stamp)
        except OSError as exc:
            log.debug("no stamp for %s (%s)", path, exc)
    return digest


def stamp_folder(cache: Path | None = None) -> Path | None:
    """Where verified digests are kept: in the showbot cache folder (none when caching is off)."""
    folder = graph_cache(cache)
    return None if folder is None else folder / "models" / "verified"


def packaged_file(name: str, sha256: str, turn_off: str) -> Path:
    """The file ``name`` of the index package, after checking that it is byte for byte the pinned one."""
    path = Path(str(resources.files("index").joinpath(name)))
    if not path.is_file() or file_sha256(path, stamp_folder()) != sha256:
        raise ModelError(
            f"{path} is missing or not the expected file (sha256 mismatch); reinstall showbot, or {turn_off}"
        )
    return path


def packaged_model() -> ModelFiles:
    """The packaged model file, after checking that it is byte for byte the pinned one."""
    path = packaged_file(MODEL_FILE, MODEL_SHA256, "set SHOWBOT_MODEL=none to answer without the sentence model")
    return ModelFiles(path, path.with_name("tokenizer.json"), MODEL_ID, MODEL_SHA256)


def user_model(location: str | os.PathLike[str], setting: str = "SHOWBOT_MODEL") -> ModelFiles:
    """A sentence-transformers ONNX export the user brings: a folder, or the .onnx file with tokenizer.json beside."""
    path = Path(location).expanduser()
    model = path / "model.onnx" if path.is_dir() else path
    if not model.is_file() and path.is_dir() and (path / "onnx" / "model.onnx").is_file():
        model = path / "onnx" / "model.onnx"
    tokenizer = next((p for p in (model.parent / "tokenizer.json", path / "tokenizer.json") if p.is_file()), None)
    if not model.is_file() or tokenizer is None:
        raise ModelError(f"{setting}={location}: expected model.onnx and tokenizer.json there")
    digest = file_sha256(model, stamp_folder())
    return ModelFiles(model, tokenizer, f"user:{digest[:16]}", digest)


class Embedder:
    """Turns texts into unit vectors with one ONNX sentence model. Thread-safe.

    One thread per run: a question is one short text, and on a busy two-core machine one
    thread answers it faster than two. With ``cache`` (a folder), the graph optimised by
    onnxruntime is kept there (checked by its sha256), so later starts load in a third of the time.
    """

    def __init__(self, files: ModelFiles, threads: int | None = 1, cache: Path | None = None) -> None:
        self.files = files
        self.model_id = files.model_id
        tokenizer, session = load_onnx(
            files, threads, cache, what="sentence model", turn_off="set SHOWBOT_MODEL=none to answer without it"
        )
        self._tokenizer = tokenizer
        self._session = session
        self._inputs = {i.name for i in session.get_inputs()}
        self._lock = threading.Lock()  # the tokenizer's padding settings are shared state
        self.dimension = int(self.encode(["probe"]).shape[1])

    def encode(self, texts: list[str], batch: int = BATCH, stop: threading.Event | None = None) -> np.ndarray:
        """Unit vectors (float32, one row per text). Batches group texts of similar length.

        Raises ``Stopped`` between two batches once ``stop`` is set.
        """
        if not texts:
            return np.zeros((0, getattr(self, "dimension", 0)), dtype=np.float32)
        return np.stack(_batched(texts, batch, self._run, stop)).astype(np.float32)

    def encode_tokens(self, texts: list[str], batch: int = BATCH) -> list[TokenStates]:
        """Each text's unit vector and its word pieces' unit vectors in context."""
        return _batched(texts, batch, self._token_states)

    def piece_ids(self, texts: list[str]) -> list[np.ndarray]:
        """The word pieces of each text, as the model reads them ([CLS] and [SEP] left out)."""
        return [np.array(e.ids[1 : int(sum(e.attention_mask)) - 1], dtype=np.int64) for e in self._encodings(texts)]

    def _encodings(self, texts: list[str]) -> list:
        with self._lock:
            return self._tokenizer.encode_batch(texts)

    def _hidden(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        encodings = self._encodings(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feeds["token_type_ids"] = np.zeros_like(ids)
        return ids, mask, self._session.run(None, feeds)[0]

    def _token_states(self, texts: list[str]) -> list[TokenStates]:
        ids, mask, hidden = self._hidden(texts)
        pooled = _unit(_mean_pool(hidden, mask))
        states = []
        for k in range(len(texts)):
            n = int(mask[k].sum())  # [CLS], the pieces, [SEP]; then padding
            pieces = _unit(hidden[k, 1 : n - 1]).astype(np.float32)
            states.append(TokenStates(pooled[k].astype(np.float32), pieces, ids[k, 1 : n - 1].copy()))
        return states

    def _run(self, texts: list[str]) -> np.ndarray:
        _, mask, hidden = self._hidden(texts)
        return _unit(_mean_pool(hidden, mask))


def _batched(
    texts: list[str], batch: int, run: Callable[[list[str]], Sequence], stop: threading.Event | None = None
) -> list:
    """``run`` over batches of texts of similar length; its results back in the texts' order.

    Raises ``Stopped`` between two batches once ``stop`` is set.
    """
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
    out: list = [None] * len(texts)
    for b in range(0, len(order), batch):
        if stop is not None and stop.is_set():
            raise Stopped("encoding stopped")
        chunk = order[b : b + batch]
        for i, result in zip(chunk, run([texts[i] for i in chunk])):
            out[i] = result
    return out


class TokenStates(NamedTuple):
    """One text as the sentence model read it."""

    vector: np.ndarray  # the sentence vector (unit)
    pieces: np.ndarray  # each word piece's vector in context (unit rows), [CLS] and [SEP] left out
    ids: np.ndarray  # those word pieces' ids


def _mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    weights = mask[..., None].astype(np.float32)
    return (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.clip(np.linalg.norm(rows, axis=-1, keepdims=True), 1e-12, None)


def _options(ort, threads: int | None, level):
    options = ort.SessionOptions()
    options.graph_optimization_level = level
    options.log_severity_level = 3
    if threads:
        options.intra_op_num_threads = threads
    return options


def load_onnx(
    files: ModelFiles,
    threads: int | None,
    cache: Path | None,
    *,
    what: str,
    turn_off: str,
    max_tokens: int = MAX_TOKENS,
    truncation: str = "longest_first",
):
    """The tokenizer (truncating to ``max_tokens``, padding to the longest of a batch) and the inference
    session of one ONNX model; ModelError, saying what is missing and ``turn_off``, when they cannot be had."""
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(
            f"onnxruntime and tokenizers are needed for the {what} (pip install onnxruntime tokenizers); {turn_off}"
        ) from exc
    try:
        tokenizer = Tokenizer.from_file(str(files.tokenizer))
        tokenizer.enable_truncation(max_length=max_tokens, strategy=truncation)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        session = _onnx_session(ort, files, threads, cache, what)
    except Exception as exc:  # onnxruntime and tokenizers raise their own types
        raise ModelError(f"cannot load the {what} {files.model}: {exc}") from exc
    return tokenizer, session


def _onnx_session(ort, files: ModelFiles, threads: int | None, cache: Path | None, what: str = "sentence model"):
    """An inference session; from the cached optimised graph when there is a good one, else optimised now.

    The graph is optimised at the "extended" level, whose result does not depend on this CPU's
    instruction set, and saved atomically with its sha256 beside it; a file that does not match
    its sha256 is never loaded.
    """
    providers = ["CPUExecutionProvider"]
    extended = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
    if cache is None:
        return ort.InferenceSession(
            str(files.model), sess_options=_options(ort, threads, extended), providers=providers
        )
    key = hashlib.sha256(f"{files.sha256}:{ort.__version__}:extended".encode()).hexdigest()[:24]
    folder = cache / "models"
    optimised, digest = folder / f"{key}.onnx", folder / f"{key}.sha256"
    try:
        if (
            optimised.is_file()
            and digest.is_file()
            and digest.read_text().strip() == file_sha256(optimised, stamp_folder(cache))
        ):
            off = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            return ort.InferenceSession(str(optimised), sess_options=_options(ort, threads, off), providers=providers)
    except Exception as exc:  # a damaged cache is rebuilt, never trusted
        log.warning("ignoring the cached %s (%s); optimising it again", what, exc)
    options = _options(ort, threads, extended)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{key}.{os.getpid()}.tmp"
        options.optimized_model_filepath = str(tmp)
        session = ort.InferenceSession(str(files.model), sess_options=options, providers=providers)
        digest_tmp = folder / f"{key}.{os.getpid()}.sha256.tmp"
        digest_tmp.write_text(_sha256(tmp))
        os.replace(tmp, optimised)
        os.replace(digest_tmp, digest)
        return session
    except OSError as exc:
        log.debug("%s not cached (%s)", what, exc)
        return ort.InferenceSession(
            str(files.model), sess_options=_options(ort, threads, extended), providers=providers
        )


def model_setting(value: str | None = None, variable: str = "SHOWBOT_MODEL") -> str:
    """A model setting: the argument, else the environment ``variable``, else "default"."""
    value = (value if value is not None else os.environ.get(variable, "")).strip()
    return value or "default"


def chosen_files(setting: str | None, variable: str, packaged: Callable[[], ModelFiles]) -> ModelFiles | None:
    """The model files that ``setting`` (see model_setting) names: ``packaged()`` for "default", None for
    "none" (any of OFF), else the export at that path (user_model). Raises ModelError."""
    value = model_setting(setting, variable)
    if value.casefold() in OFF:
        return None
    return packaged() if value.casefold() == "default" else user_model(value, variable)


def graph_cache(cache: Path | None) -> Path | None:
    """``cache``, else the showbot cache folder (vectors.cache_dir), where optimised graphs are kept."""
    if cache is not None:
        return cache
    from .vectors import cache_dir

    return cache_dir()


def load_embedder(setting: str | None = None, cache: Path | None = None) -> Embedder | None:
    """The sentence model chosen by ``setting`` / ``SHOWBOT_MODEL``; None for "none". Raises ModelError.

    ``cache`` (default: the showbot cache folder, see vectors.cache_dir) keeps the optimised graph.
    """
    files = chosen_files(setting, "SHOWBOT_MODEL", packaged_model)
    return None if files is None else Embedder(files, cache=graph_cache(cache))
