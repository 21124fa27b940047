"""LiveEngine: a reload builds a new engine from the folder, swaps it in, and keeps the old one when it fails."""

from __future__ import annotations

import threading
from typing import ClassVar

import pytest

from bot import reload as reload_module
from bot.reload import LiveEngine, folder_snapshot
from index import Engine, load_corpus

ARTICLES = {
    "harbor-lights.txt": "Harbor Lights\n\nHarbor Lights was created by Ines Okafor for the Lumen streaming service.\n",
    "moss-point.txt": "Moss Point\n\nMoss Point is a quiz show filmed in a lighthouse on the coast of Maine.\n",
    "orchard.txt": "The Glass Orchard\n\nThe Glass Orchard was directed by Marisol Quintero in the Okanagan Valley.\n",
}


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOWBOT_CACHE", "0")
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


class SpyEngine(Engine):
    """A real engine that records what it was built with and whether it was closed."""

    built: ClassVar[list[object]] = []

    def __init__(self, corpus, *args, embedder=None, reader=None, **kwargs):
        SpyEngine.built.append((embedder, reader))
        self.closed = False
        super().__init__(corpus, *args, **kwargs)  # words only: the test's embedder and reader are tokens

    def close(self) -> None:
        self.closed = True
        super().close()


def test_reload_swaps_in_a_new_engine_with_the_same_models_and_closes_the_old(folder, monkeypatch):
    monkeypatch.setattr(reload_module, "Engine", SpyEngine)
    SpyEngine.built.clear()
    embedder, reader = object(), object()  # the ones loaded at start
    first = SpyEngine(load_corpus(folder))
    live = LiveEngine(first, folder, embedder, reader)  # type: ignore[arg-type]
    assert not live.changed()
    (folder / "extra.txt").write_text("Extra\n\nThe Glass Orchard has eight episodes in its first season.\n")
    assert live.changed()
    result = live.reload()
    assert result.ok and result.articles == 4 and result.error is None
    assert live.engine is not first and first.closed and not live.engine.closed
    assert SpyEngine.built[-1][0] is embedder and SpyEngine.built[-1][1] is reader
    assert not live.changed()
    assert "Marisol Quintero" in live.engine.ask("Who directed The Glass Orchard?").quote.text


def test_a_failed_reload_keeps_the_old_engine_and_says_why(folder):
    first = Engine(load_corpus(folder))
    live = LiveEngine(first, folder)
    for name in ARTICLES:
        (folder / name).unlink()
    (folder / "notes.txt").write_text("...\n", encoding="utf-8")
    result = live.reload()
    assert not result.ok and live.engine is first
    assert result.articles == 3 and result.error
    assert result.describe().startswith("The reload failed, so I keep answering from the previous 3 articles: ")
    assert not live.changed()  # the failed state is remembered: no retry until the folder changes again


def test_questions_are_answered_by_the_old_engine_while_the_new_one_builds(folder, monkeypatch):
    building, release = threading.Event(), threading.Event()

    class SlowEngine(Engine):
        def __init__(self, *args, **kwargs):
            building.set()
            release.wait(10)
            super().__init__(*args, **kwargs)

    first = Engine(load_corpus(folder))
    live = LiveEngine(first, folder)
    monkeypatch.setattr(reload_module, "Engine", SlowEngine)
    (folder / "harbor-lights.txt").unlink()
    worker = threading.Thread(target=live.reload)
    worker.start()
    assert building.wait(10)
    assert live.engine is first and "Ines Okafor" in live.engine.ask("Who created Harbor Lights?").quote.text
    release.set()
    worker.join(10)
    assert live.engine is not first and len(live.engine.sources) == 2


def test_snapshot_sees_names_sizes_and_times_of_articles_and_sources_only(folder):
    before = folder_snapshot(folder)
    (folder / "notes.md").write_text("not an article")
    (folder / ".sources.toml.lock").write_text("")
    assert folder_snapshot(folder) == before
    (folder / "sources.toml").write_text('["orchard.txt"]\ntitle = "The Glass Orchard"\n')
    assert folder_snapshot(folder) != before
    assert folder_snapshot(folder / "missing") == ()
