"""Load the articles and build the engine, showing progress when that takes a while."""

from __future__ import annotations

import itertools
import logging
import shutil
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TextIO

from index import (
    Article,
    EmptyCorpusError,
    Engine,
    ModelError,
    SeedsError,
    default_seeds,
    load_corpus,
    load_embedder,
    load_reader,
)
from index.embed import OFF, model_setting
from index.reader import Reader

log = logging.getLogger("showbot")

QUIET_SECONDS = 2.0  # starts quicker than this print nothing
REFRESH_SECONDS = 0.5  # the progress is checked (and on a terminal redrawn) this often
LOG_SECONDS = 10.0  # elsewhere (a log file, CI) a progress line is written this often


class StartupProgress:
    """Indexing progress (articles read, passages, time so far and left), for slow starts only.

    The build reports after each article; a ticking thread redraws the line in between, so the
    progress moves even while one large article is being read. On a terminal the line is redrawn
    in place; elsewhere (a log file, CI) a line is written every ``LOG_SECONDS``.
    """

    def __init__(self, stream: TextIO = sys.stderr, quiet_seconds: float | None = None) -> None:
        self.stream = stream
        self.quiet_seconds = QUIET_SECONDS if quiet_seconds is None else quiet_seconds
        self.started = time.monotonic()
        self.last = float("-inf")
        self.shown = False
        self.interactive = _isatty(stream)
        self.names: Sequence[str] = ()
        self.read_before: list[int] = [0]  # characters in the articles before article i
        self.done = self.total = self.passages = 0
        self._width = 0  # of the line on the terminal, to blank it when redrawn shorter
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    @property
    def slow(self) -> bool:
        return time.monotonic() - self.started >= self.quiet_seconds

    def expect(self, articles: Sequence[Article]) -> None:
        """The articles about to be indexed: their names and sizes give the estimate of time left."""
        self.names = [a.source.id for a in articles]
        self.read_before = list(itertools.accumulate((len(a.text) for a in articles), initial=0))
        self.total = len(articles)

    def start(self) -> None:
        """Redraw the progress every ``REFRESH_SECONDS`` until ``finish``."""
        self._ticker = threading.Thread(target=self._tick_until_finished, name="showbot-progress", daemon=True)
        self._ticker.start()

    def _tick_until_finished(self) -> None:
        while not self._stop.wait(REFRESH_SECONDS):
            self.show()

    def __call__(self, done: int, total: int, passages: int) -> None:
        """The build's report: ``done`` of ``total`` articles read, ``passages`` passages so far."""
        self.done, self.total, self.passages = done, total, passages
        self.show()

    def show(self) -> None:
        """Write the progress line if the start is slow and the last line is old enough."""
        with self._lock:
            now = time.monotonic()
            if self._stop.is_set() or not self.slow:
                return
            if now - self.last < (REFRESH_SECONDS if self.interactive else LOG_SECONDS):
                return
            self.last = now
            line = self.line(now - self.started)
            if self.interactive:
                line = line[: max(20, shutil.get_terminal_size().columns - 1)]
                self.stream.write("\r" + line + " " * max(0, self._width - len(line)))
                self._width = len(line)
            else:
                self.stream.write(line + "\n")
            self.stream.flush()
            self.shown = True

    def line(self, elapsed: float) -> str:
        """What the progress says after ``elapsed`` seconds."""
        done, total = self.done, self.total
        if not total:
            return f"indexing: reading the articles, {_duration(elapsed)} so far"
        text = f"indexing: {done:,}/{total:,} articles read, {self.passages:,} passages, {_duration(elapsed)} so far"
        if done >= total:
            return text + "; building the index"
        if done < len(self.names):
            text += f"; reading {self.names[done]} ({_size(self.read_before[done + 1] - self.read_before[done])})"
        read = self.read_before[done] if done < len(self.read_before) else 0
        if read:  # characters still to read, at the pace so far
            text += f", about {_duration(elapsed * (self.read_before[-1] - read) / read)} left"
        return text

    def finish(self) -> None:
        """Stop the ticking and clear the progress line from the terminal."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        with self._lock:
            if self.shown and self.interactive:
                self.stream.write("\r" + " " * self._width + "\r")
                self.stream.flush()


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds} s" if seconds < 120 else f"{seconds // 60} min {seconds % 60:02d} s"


def _size(chars: int) -> str:
    return f"{chars / 1e6:.1f}M characters" if chars >= 100_000 else f"{chars:,} characters"


def load_model(setting: str | None, stream: TextIO = sys.stderr):
    """The sentence model chosen by ``setting`` or ``SHOWBOT_MODEL``; without it (or if it fails), None.

    A model that cannot be loaded is one warning line, and answers use words only.
    """
    try:
        return load_embedder(setting)
    except ModelError as exc:
        stream.write(f"showbot: warning: {exc}; answering with words only\n")
        return None


def load_answer_reader(setting: str | None, model: str | None, stream: TextIO = sys.stderr) -> Reader | None:
    """The answer reader chosen by ``setting`` or ``SHOWBOT_READER``; None without the sentence model
    (``model`` "none": no shortlist to read) or if it fails, which is one warning line."""
    if model_setting(model).casefold() in OFF:
        return None
    try:
        return load_reader(setting)
    except ModelError as exc:
        stream.write(f"showbot: warning: {exc}; ranking without the answer reader\n")
        return None


def load_engine(
    seeds: str | None,
    stream: TextIO = sys.stderr,
    *,
    logs_summary: bool = False,
    model: str | None = None,
    reader: str | None = None,
    background_vectors: bool = True,
) -> Engine:
    """The engine over ``seeds`` (a folder), ``$SHOWBOT_SEEDS`` or the bundled seeds.

    ``model`` is the sentence model setting ("none", a path; default ``$SHOWBOT_MODEL`` or the
    packaged model), ``reader`` the answer reader's (a path, or "none"; default ``$SHOWBOT_READER``,
    else the packaged reader). A slow start ends with a summary line: written to ``stream``, or logged when
    ``logs_summary`` (the bot, which logs at INFO). Raises SeedsError for a missing or empty
    folder or one with no quotable sentence; unreadable articles are logged by ``load_corpus``.
    """
    folder = Path(seeds) if seeds else default_seeds()
    progress = StartupProgress(stream)
    progress.start()
    try:
        corpus = load_corpus(folder)
        progress.expect(corpus.articles)
        # the sentence model and the answer reader load in two more threads while the articles are
        # indexed (onnxruntime releases the interpreter while it reads and optimises a model)
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="showbot-model") as loader:
            embedder_ready = loader.submit(load_model, model, stream)
            reader_ready = loader.submit(load_answer_reader, reader, model, stream)
            engine = Engine(corpus, progress=progress, vectors_in_background=background_vectors)
            engine.use_model(embedder_ready.result())
            engine.use_reader(reader_ready.result())
    except EmptyCorpusError as exc:
        raise SeedsError(f"no quotable sentence in the articles in {folder} (only headings or boilerplate?)") from exc
    finally:
        progress.finish()
    seconds = time.monotonic() - progress.started
    count = len(engine.sources)
    summary = (
        f"indexed {count:,} article{'s' if count != 1 else ''}, {engine.passage_count:,} passages in {seconds:.1f} s"
    )
    if logs_summary:
        log.info(summary)
    elif progress.slow:
        stream.write(f"showbot: {summary}\n")
    return engine
