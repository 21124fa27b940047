"""Sentence vectors of an index: computed in batches, cached on disk per article, usable while they fill.

Vectors are written in sentence order, so "the first ``ready`` sentences have
their vectors" is all a reader needs to know. A large corpus fills them in a
background thread while answers use what is ready (and the lexical ranker
until every candidate of a question has one).

The cache keeps one ``.npy`` file per article and model, named by the hash of
the model id and of the article's sentences: a changed article, another model
or another sentence splitting never meets an old file. Files are written
atomically; an unreadable or wrong-shaped file is recomputed.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import tempfile
import threading
import weakref
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .build import Index
from .embed import Embedder, Stopped

log = logging.getLogger(__name__)

CACHE_VERSION = "v2"

# Vectors filling in a background thread: stopped and waited for at exit, since a process that ends while
# that thread is inside onnxruntime is aborted by the C++ runtime ("terminate called without an active
# exception").
_filling: weakref.WeakSet[SentenceVectors] = weakref.WeakSet()
EXIT_WAIT_SECONDS = 30.0


@atexit.register
def _stop_filling() -> None:
    running = list(_filling)
    for vectors in running:
        vectors.stop()
    for vectors in running:
        vectors.wait(EXIT_WAIT_SECONDS)


def cache_dir() -> Path | None:
    """``SHOWBOT_CACHE`` (``0`` turns caching off), else the user's cache directory."""
    value = os.environ.get("SHOWBOT_CACHE", "").strip()
    if value in ("0", "off", "none"):
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("showbot", appauthor=False))


class SentenceVectors:
    """Unit vectors of an index's sentences, filled in sentence order."""

    def __init__(self, index: Index, embedder: Embedder, cache: Path | None = None) -> None:
        self.index = index
        self.embedder = embedder
        self.matrix = np.zeros((index.sentence_count, embedder.dimension), dtype=np.float32)
        self.ready = 0  # sentences [0, ready) have their vectors
        self.titles: np.ndarray | None = None  # one vector per article title, computed first
        self.cache = cache / "vectors" / CACHE_VERSION if cache else None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.error: str | None = None

    def has_all(self, sentences: np.ndarray) -> bool:
        return len(sentences) == 0 or int(sentences.max()) < self.ready

    @property
    def complete(self) -> bool:
        return self.ready >= self.index.sentence_count

    def fill(self, progress: Callable[[int, int], None] | None = None) -> None:
        """Compute (or read from the cache) every sentence's vector, article by article."""
        index = self.index
        if self.titles is None:
            try:
                self.titles = self._title_vectors()
            except Stopped:
                return
        bounds = np.searchsorted(index.sent_article, np.arange(len(index.articles) + 1))
        for a in range(len(index.articles)):
            if self._stop.is_set():
                return
            lo, hi = int(bounds[a]), int(bounds[a + 1])
            if hi > lo:
                try:
                    self.matrix[lo:hi] = self._article_vectors(lo, hi)
                except Stopped:  # a long article is left between two batches
                    return
            self.ready = hi
            if progress:
                progress(hi, index.sentence_count)
        self.ready = index.sentence_count

    def fill_in_background(self, done: Callable[[], None] | None = None) -> None:
        def run() -> None:
            try:
                self.fill()
            except Exception as exc:  # a model failure must not take the bot down: answers stay lexical
                self.error = str(exc)
                log.warning("sentence vectors stopped: %s; answers use words only", exc)
            finally:
                _filling.discard(self)
            if done:
                done()

        self._thread = threading.Thread(target=run, name="showbot-vectors", daemon=True)
        _filling.add(self)
        self._thread.start()

    def stop(self) -> None:
        """Stop filling after the article being read (``wait`` to be sure it has stopped)."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        if self._thread is not None:
            self._thread.join(timeout)
        return self.complete

    def _title_vectors(self) -> np.ndarray:
        titles = [a.source.title for a in self.index.articles]
        return self._encode_cached(titles, ["\x01article titles", *titles])

    def _article_vectors(self, lo: int, hi: int) -> np.ndarray:
        # each sentence is read with its article's title, which says what "it" and "the show" are
        title = self.index.articles[self.index.sent_article[lo]].source.title
        texts = [f"{title}. {self.index.sentence_text(i)}" for i in range(lo, hi)]
        return self._encode_cached(texts, texts)

    def _encode_cached(self, texts: list[str], key: list[str]) -> np.ndarray:
        """``texts``' vectors from the disk cache (under ``key``), else encoded (stoppable) and saved there."""
        path = self._cache_path(key)
        cached = _load(path, (len(texts), self.embedder.dimension))
        if cached is not None:
            return cached
        vectors = self.embedder.encode(texts, stop=self._stop)
        if path is not None:
            _save_atomic(path, vectors)
        return vectors

    def _cache_path(self, texts: list[str]) -> Path | None:
        if self.cache is None:
            return None
        h = hashlib.sha256(self.embedder.model_id.encode())
        for t in texts:
            h.update(b"\x00" + t.encode("utf-8", "surrogatepass"))
        digest = h.hexdigest()
        return self.cache / digest[:2] / f"{digest}.npy"


def _load(path: Path | None, shape: tuple[int, int]) -> np.ndarray | None:
    """The cached vectors at ``path`` if they are there and of this shape."""
    if path is None:
        return None
    try:
        cached = np.load(path, allow_pickle=False)
    except (OSError, ValueError):
        return None
    return cached if cached.shape == shape and cached.dtype == np.float32 else None


def _save_atomic(path: Path, array: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as f:
                np.save(f, array, allow_pickle=False)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError as exc:
        log.debug("vector cache not written (%s)", exc)
