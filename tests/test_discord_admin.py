"""Admins change the sources from Discord while the bot answers: `showbot run` end to end against the fake Discord.

The bot reads a folder of articles made by the test; pages come from a local
web server on 127.0.0.1. Lexical answers (SHOWBOT_MODEL=none) on tiny articles
written here, so each expected answer is certain.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from conftest import wait_for
from fake_discord import TOKEN
from page_server import Route
from test_discord_e2e import RunningBot

from bench.corpus import build_corpus

HARBOR = "Harbor Lights\n\nHarbor Lights was created by Ines Okafor for the Lumen streaming service.\n"
MOSS = "Moss Point\n\nMoss Point is a quiz show filmed in a lighthouse on the coast of Maine.\n"  # BM25 needs 3+
ORCHARD_ID = "the-glass-orchard-director-marisol-quintero-on-the-making-of.txt"
ADMIN = str(1 << 5 | 2048)  # Manage Server, Send Messages
FAN = "2048"


@pytest.fixture
def folder(tmp_path, monkeypatch):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "harbor-lights.txt").write_text(HARBOR, encoding="utf-8")
    (folder / "moss-point.txt").write_text(MOSS, encoding="utf-8")
    monkeypatch.setenv("SHOWBOT_SEEDS", str(folder))
    monkeypatch.setenv("SHOWBOT_MODEL", "none")
    monkeypatch.setenv("SHOWBOT_CACHE", "0")
    monkeypatch.setenv("SHOWBOT_WATCH_SECONDS", "0")
    return folder


@pytest.fixture
async def running(fake, folder, monkeypatch, tmp_path):
    """Start `showbot run` (after the test has set its environment); stopped at the end."""
    started: list[RunningBot] = []

    async def start() -> RunningBot:
        monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
        started.append(RunningBot(monkeypatch, tmp_path))
        await asyncio.wait_for(fake.identified.wait(), 30)
        return started[-1]

    yield start
    for bot in started:
        assert await bot.stop() == 0


def admin_command(fake, sub: str, permissions: str = ADMIN, user: int = 1, **options: object) -> dict:
    """An INTERACTION_CREATE for ``/sources-admin <sub> …`` from a member with ``permissions``."""
    payload = fake.interaction("sources-admin")
    payload["data"]["options"] = [
        {"name": sub, "type": 1, "options": [{"name": k, "type": 3, "value": v} for k, v in options.items()]}
    ]
    payload["member"]["permissions"] = permissions
    payload["member"]["user"]["id"] = str(1800000000000000000 + user)
    return payload


async def ask(fake, question: str, user: int = 0) -> dict:
    """Send ``/ask`` and return the embed of its answer (deferred and followed up, or sent at once)."""
    payload = fake.interaction("ask", question=question)
    payload["member"]["user"]["id"] = str(1900000000000000000 + user)
    await fake.send_interaction(payload)
    await wait_for(lambda: fake.followups(payload["token"]) or _direct(fake, payload))
    body = _direct(fake, payload) or fake.followups(payload["token"])[0].body
    (embed,) = body["embeds"]
    return embed


def _direct(fake, payload: dict) -> dict | None:
    callback = fake.callbacks().get(payload["id"])
    return callback.body["data"] if callback and callback.body["type"] == 4 else None


async def private_reply(fake, payload: dict, timeout: float = 60) -> str:
    """Send an admin command; its deferred private reply's text."""
    await fake.send_interaction(payload)
    await wait_for(lambda: fake.followups(payload["token"]) or _direct(fake, payload), timeout=timeout)
    callback = fake.callbacks()[payload["id"]].body
    assert (callback.get("data") or {}).get("flags") == 64  # private from the first response on
    body = _direct(fake, payload) or fake.followups(payload["token"])[0].body
    return body["embeds"][0]["description"]


async def test_non_admins_are_refused_by_the_bot_itself(fake, running, server, folder):
    await running()
    before = sorted(p.name for p in folder.iterdir())
    for sub, options in (("add", {"url": server.url("/news/glass-orchard")}), ("remove", {"article": "harbor-lights"})):
        payload = admin_command(fake, sub, permissions=FAN, **options)
        text = await private_reply(fake, payload)
        assert "Only server admins" in text
    text = await private_reply(fake, admin_command(fake, "reload", permissions=FAN))
    assert "Only server admins" in text
    assert not server.requests and sorted(p.name for p in folder.iterdir()) == before


async def test_loopback_and_private_urls_are_refused_without_the_override(fake, running, server, folder):
    await running()
    for url in (server.url("/news/glass-orchard"), "http://localhost:9/x", "http://169.254.169.254/latest/meta-data/"):
        text = await private_reply(fake, admin_command(fake, "add", url=url))
        assert "private or local address" in text and "SHOWBOT_ALLOW_PRIVATE_URLS" in text
    assert not server.requests
    assert sorted(p.name for p in folder.iterdir()) == ["harbor-lights.txt", "moss-point.txt"]


async def test_an_admin_adds_a_page_and_the_next_ask_is_answered_from_it(fake, running, server, folder, monkeypatch):
    monkeypatch.setenv("SHOWBOT_ALLOW_PRIVATE_URLS", "1")
    await running()
    before = await ask(fake, "Who directed The Glass Orchard?")
    assert "Marisol" not in before["description"]

    text = await private_reply(fake, admin_command(fake, "add", url=server.url("/news/glass-orchard")))
    assert text.startswith("Added **The Glass Orchard: director Marisol Quintero on the making of the show**")
    assert "Now answering from 3 articles" in text
    assert (folder / ORCHARD_ID).is_file()

    embed = await ask(fake, "Who directed The Glass Orchard?", user=1)
    assert "Marisol Quintero" in embed["description"]
    assert embed["url"].startswith("https://www.screenledger.example/tv/glass-orchard-director-interview#:~:text=")

    # autocomplete offers the titles to admins only, then removing one
    complete = admin_command(fake, "remove", article="glass")
    complete["type"] = 4
    complete["data"]["options"][0]["options"][0]["focused"] = True
    await fake.send_interaction(complete)
    await wait_for(lambda: complete["id"] in fake.callbacks())
    choices = fake.callbacks()[complete["id"]].body["data"]["choices"]
    assert [c["value"] for c in choices] == [ORCHARD_ID]
    text = await private_reply(fake, admin_command(fake, "remove", article=ORCHARD_ID))
    assert text.startswith("Removed **The Glass Orchard") and "Now answering from 2 articles" in text
    embed = await ask(fake, "who directed the glass orchard", user=2)
    assert "Marisol" not in embed["description"]


def harbor_question(i: int) -> str:
    """The same question written 32 ways, so that none is already at hand (answered without the engine)."""
    words = ["Who" if i & 1 else "who", "created", "Harbor" if i & 2 else "harbor", "Lights" if i & 4 else "lights"]
    return " ".join(words) + ["?", "", " ?", "?!"][i >> 3 & 3]


def write_large_folder(folder, passages: int) -> None:
    for i, article in enumerate(build_corpus(passages).articles):
        (folder / f"bulk-{i:05}.txt").write_text(article.text, encoding="utf-8")


async def test_ask_is_answered_throughout_a_reload_of_a_large_folder(fake, running, folder, caplog):
    await running()
    write_large_folder(folder, 20_000)
    reload = admin_command(fake, "reload")
    with caplog.at_level(logging.INFO, logger="showbot"):
        await fake.send_interaction(reload)
        answered = []
        for i in range(30):  # questions while the new index is being built
            answered.append(await ask(fake, harbor_question(i), user=i))
            if fake.followups(reload["token"]):
                break
        await wait_for(lambda: fake.followups(reload["token"]), timeout=120)
    assert len(answered) >= 3, "the reload ended before questions could overlap it"
    assert all("Ines Okafor" in embed["description"] for embed in answered)  # from the old index, no error
    text = fake.followups(reload["token"])[0].body["embeds"][0]["description"]
    assert text.startswith(f"Now answering from {len(list(folder.glob('*.txt'))):,} articles (")
    assert any(r.getMessage().startswith("reloaded ") for r in caplog.records)
    embed = await ask(fake, "Who created Harbor Lights?", user=99)  # the new index answers (or declines) too
    assert embed["description"].startswith("**Q:** Who created Harbor Lights?")


async def test_a_failed_reload_keeps_the_old_sources(fake, running, folder):
    await running()
    (folder / "harbor-lights.txt").unlink()
    (folder / "moss-point.txt").unlink()
    (folder / "notes.txt").write_text("...\n", encoding="utf-8")  # nothing quotable
    text = await private_reply(fake, admin_command(fake, "reload"))
    assert text.startswith("The reload failed, so I keep answering from the previous 2 articles:")
    embed = await ask(fake, "Who created Harbor Lights?")
    assert "Ines Okafor" in embed["description"]
    sources = fake.interaction("sources")
    await fake.send_interaction(sources)
    await wait_for(lambda: sources["id"] in fake.callbacks())
    assert "Harbor Lights" in fake.callbacks()[sources["id"]].body["data"]["embeds"][0]["description"]


async def test_a_file_dropped_into_the_folder_is_picked_up(fake, running, folder, monkeypatch, caplog):
    monkeypatch.setenv("SHOWBOT_WATCH_SECONDS", "0.2")
    with caplog.at_level(logging.INFO, logger="showbot"):
        await running()
        (folder / "orchard.txt").write_text(
            "The Glass Orchard\n\nThe Glass Orchard was directed by Marisol Quintero in the Okanagan Valley.\n",
            encoding="utf-8",
        )
        await wait_for(lambda: any("the folder changed" in r.getMessage() for r in caplog.records), timeout=30)
    line = next(r.getMessage() for r in caplog.records if "the folder changed" in r.getMessage())
    assert line.startswith("reloaded 3 articles")
    embed = await ask(fake, "Who directed The Glass Orchard?")
    assert "Marisol Quintero" in embed["description"]


@pytest.mark.parametrize("value, expected", [("", 5.0), ("0", 0.0), ("0.5", 0.5)])
def test_watch_interval_setting(monkeypatch, value, expected):
    from bot import discord_app

    monkeypatch.setenv("SHOWBOT_WATCH_SECONDS", value)
    assert discord_app._watch_seconds() == expected


@pytest.mark.parametrize("value", ["soon", "-1"])
def test_a_bad_watch_interval_is_a_one_line_error(monkeypatch, value):
    from bot import discord_app
    from bot.config import ConfigError

    monkeypatch.setenv("SHOWBOT_WATCH_SECONDS", value)
    with pytest.raises(ConfigError, match="SHOWBOT_WATCH_SECONDS"):
        discord_app._watch_seconds()


async def test_an_admin_is_told_when_an_added_page_is_not_in_english(fake, running, server, folder, monkeypatch):
    spanish = (
        "Club de Cuervos fue la primera serie original de Netflix en español y se estrenó en agosto de 2015. "
        "La historia sigue a los hermanos Chava e Isabel Iglesias, que se pelean por el control de un equipo "
        "de fútbol en el pueblo ficticio de Nuevo Toledo después de la muerte de su padre. La serie tuvo "
        "cuatro temporadas y un spin-off sobre Hugo Sánchez, y cada temporada llegó con más episodios."
    )
    server.routes["/es/cuervos"] = Route(
        body=(
            "<html><head><title>Club de Cuervos</title></head><body><article><h1>Club de Cuervos</h1>"
            f"<p>{spanish}</p><p>{spanish}</p></article></body></html>"
        ).encode()
    )
    monkeypatch.setenv("SHOWBOT_ALLOW_PRIVATE_URLS", "1")
    await running()
    text = await private_reply(fake, admin_command(fake, "add", url=server.url("/es/cuervos")))
    assert text.startswith("Added **Club de Cuervos**") and "Now answering from 3 articles" in text
    assert text.endswith("\nIt does not look like English: showbot reads English, so it will rarely answer from it.")
    text = await private_reply(fake, admin_command(fake, "add", url=server.url("/news/glass-orchard")))
    assert text.startswith("Added **The Glass Orchard") and "English" not in text
