"""Load the articles and build the engine, showing progress when that takes a while."""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import TextIO

from index import Engine, ModelError, default_seeds, load_corpus, load_embedder

log = logging.getLogger("showbot")

QUIET_SECONDS = 2.0  # starts quicker than this print nothing
REFRESH_SECONDS = 0.5  # on a terminal, the progress line is redrawn this often
LOG_SECONDS = 10.0  # elsewhere (a log file, CI) a progress line is written this often


class StartupProgress:
    """Indexing progress on a terminal (articles read, passages, time left), for slow starts only."""

    def __init__(self, stream: TextIO = sys.stderr, quiet_seconds: float | None = None) -> None:
        self.stream = stream
        self.quiet_seconds = QUIET_SECONDS if quiet_seconds is None else quiet_seconds
        self.started = time.monotonic()
        self.last = float("-inf")
        self.shown = False
        self.interactive = stream.isatty()

    @property
    def slow(self) -> bool:
        return time.monotonic() - self.started >= self.quiet_seconds

    def __call__(self, done: int, total: int, passages: int) -> None:
        now = time.monotonic()
        if not self.slow or now - self.last < (REFRESH_SECONDS if self.interactive else LOG_SECONDS):
            return
        self.last = now
        left = (now - self.started) / max(done, 1) * (total - done)
        line = f"indexing: {done:,}/{total:,} articles read, {passages:,} passages, about {left:.0f} s left"
        self.stream.write("\r" + line + " " * 4 if self.interactive else line + "\n")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown and self.interactive:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


def load_model(setting: str | None, stream: TextIO = sys.stderr):
    """The sentence model chosen by ``setting`` or ``SHOWBOT_MODEL``; without it (or if it fails), None.

    A model that cannot be loaded is one warning line, and answers use words only.
    """
    try:
        return load_embedder(setting)
    except ModelError as exc:
        stream.write(f"showbot: warning: {exc}; answering with words only\n")
        return None


def load_engine(
    seeds: str | None,
    stream: TextIO = sys.stderr,
    *,
    logs_summary: bool = False,
    model: str | None = None,
    background_vectors: bool = True,
) -> Engine:
    """The engine over ``seeds`` (a folder), ``$SHOWBOT_SEEDS`` or the bundled seeds.

    ``model`` is the sentence model setting ("none", a path; default ``$SHOWBOT_MODEL`` or the
    packaged model). A slow start ends with a summary line: written to ``stream``, or logged when
    ``logs_summary`` (the bot, which logs at INFO). Raises SeedsError for a missing or empty
    folder; unreadable articles are logged by ``load_corpus``.
    """
    folder = Path(seeds) if seeds else default_seeds()
    progress = StartupProgress(stream)
    corpus = load_corpus(folder)
    embedder = load_model(model, stream)
    engine = Engine(corpus, progress=progress, embedder=embedder, vectors_in_background=background_vectors)
    progress.finish()
    seconds = time.monotonic() - progress.started
    summary = f"indexed {len(engine.sources):,} articles, {engine.passage_count:,} passages in {seconds:.1f} s"
    if logs_summary:
        log.info(summary)
    elif progress.slow:
        stream.write(f"showbot: {summary}\n")
    return engine
