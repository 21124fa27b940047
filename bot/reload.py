"""The engine in use and its replacement: rebuild from the folder, swap in when ready, keep the old one on failure.

Platform-neutral (no Discord here). ``reload`` blocks while it builds, so the
bot calls it in a worker thread; questions meanwhile read ``live.engine``,
which is the old engine until the new one is complete, then the new one (one
reference assignment, atomic under the GIL).
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from index import Embedder, EmptyCorpusError, Engine, Reader, SeedsError, load_corpus

log = logging.getLogger("showbot")

WATCHED = ("sources.toml", "lexicon.toml")  # beside the *.txt articles, what changes the engine

Snapshot = tuple[tuple[str, int, int], ...]


def folder_snapshot(folder: Path) -> Snapshot:
    """Name, size and modification time of every file that the engine is built from."""
    out = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".txt") or entry.name in WATCHED:
                    try:
                        stat = entry.stat()
                    except OSError:
                        continue
                    out.append((entry.name, stat.st_size, stat.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(out))


@dataclass(frozen=True)
class ReloadResult:
    ok: bool
    articles: int  # of the engine answering after the reload (the old one when it failed)
    passages: int
    seconds: float
    error: str | None = None

    def describe(self) -> str:
        if self.ok:
            return f"Now answering from {self.articles:,} articles ({self.passages:,} passages), built in {self.seconds:.1f} s."
        return f"The reload failed, so I keep answering from the previous {self.articles:,} articles: {self.error}"


class LiveEngine:
    """Holds the engine that answers, and rebuilds it from ``folder`` on request."""

    def __init__(
        self, engine: Engine, folder: Path | None, embedder: Embedder | None = None, reader: Reader | None = None
    ) -> None:
        self.engine = engine
        self.folder = folder
        self.embedder = embedder  # loaded once at start and shared by every engine built after
        self.reader = reader  # the answer reader, likewise
        self.seen: Snapshot = folder_snapshot(folder) if folder else ()
        self.reloads = 0
        self._building = threading.Lock()

    def changed(self) -> bool:
        """Whether the folder's files differ from those of the last build (or failed build)."""
        return self.folder is not None and folder_snapshot(self.folder) != self.seen

    def reload(self) -> ReloadResult:
        """Build a new engine from the folder and swap it in; on failure keep the old one and say why."""
        with self._building:
            started = time.monotonic()
            old = self.engine
            if self.folder is None:
                return ReloadResult(False, len(old.sources), old.passage_count, 0.0, "no folder to read from")
            self.seen = folder_snapshot(self.folder)  # taken first: a change made during the build reloads again
            try:
                engine = Engine(load_corpus(self.folder), embedder=self.embedder, reader=self.reader)
            except (SeedsError, EmptyCorpusError) as exc:
                error = str(exc)
            except Exception as exc:  # a reload must never take the bot down
                log.exception("reload failed")
                error = f"{exc.__class__.__name__}: {exc}"
            else:
                self.engine = engine
                self.reloads += 1
                old.close()  # stops its background vector filling
                del old
                # the new index is read-only from now on: keep it out of the collector's scans, as at start
                gc.unfreeze()
                gc.collect()
                gc.freeze()
                return ReloadResult(True, len(engine.sources), engine.passage_count, time.monotonic() - started)
            seconds = time.monotonic() - started
            return ReloadResult(False, len(old.sources), old.passage_count, seconds, error)
