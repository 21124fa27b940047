from __future__ import annotations

import asyncio
import re
import time
import unicodedata
from pathlib import Path

import pytest

from index import Engine, bundled_seeds, load_corpus, load_embedder, load_reader

from fake_discord import TOKEN, FakeDiscord
from page_server import PageServer

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return bundled_seeds()


@pytest.fixture(scope="session", autouse=True)
def vector_cache(tmp_path_factory):
    """Sentence vectors are cached in a folder of this test session, never in the user's cache."""
    import os

    folder = tmp_path_factory.mktemp("showbot-cache")
    old = os.environ.get("SHOWBOT_CACHE")
    os.environ["SHOWBOT_CACHE"] = str(folder)
    yield folder
    if old is None:
        os.environ.pop("SHOWBOT_CACHE", None)
    else:
        os.environ["SHOWBOT_CACHE"] = old


@pytest.fixture(scope="session")
def embedder():
    """The packaged sentence model, loaded once for the session."""
    return load_embedder("default")


@pytest.fixture(scope="session")
def reader():
    """The packaged answer reader, loaded once for the session."""
    return load_reader("default")


@pytest.fixture(scope="session")
def engine(seeds_dir: Path, embedder, reader) -> Engine:
    """The shipped engine on the seeds: the sentence model and the answer reader."""
    return Engine(load_corpus(seeds_dir), embedder=embedder, reader=reader)


def norm(text: str) -> str:
    """The normalisation of shared/eval/score.py: quotes, dashes and spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip().lower()


def is_verbatim(quote: str, article_text: str) -> bool:
    return re.sub(r"\s+", " ", quote).strip() in re.sub(r"\s+", " ", article_text)


@pytest.fixture
async def fake(monkeypatch):
    """A fake Discord on 127.0.0.1, with discord.py pointed at it."""
    import discord
    import yarl

    server = FakeDiscord(token=TOKEN)
    base = await server.start()
    monkeypatch.setattr(discord.http.Route, "BASE", base + "/api/v10")
    monkeypatch.setattr(discord.gateway.DiscordWebSocket, "DEFAULT_GATEWAY", yarl.URL(f"ws://127.0.0.1:{server.port}/"))
    yield server
    await server.stop()


async def wait_for(condition, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.02)


@pytest.fixture
def server():
    """Web pages served on 127.0.0.1 (tests/page_server.py)."""
    pages = PageServer()
    pages.start()
    yield pages
    pages.stop()
