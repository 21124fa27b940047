"""`showbot run` end to end, in-process, against a fake Discord on 127.0.0.1.

The real entry point (``bot.cli.main(["run", ...])``) runs in a worker thread
with discord.py pointed at the fake; the test sends INTERACTION_CREATE over the
fake gateway and checks the exact payloads that would go to Discord.
"""

from __future__ import annotations

import asyncio
import logging

import discord
import pytest

from bot import cli, discord_app, handlers
from conftest import wait_for
from fake_discord import APP_ID, TOKEN

ACK_LIMIT_SECONDS = 3.0


class RunningBot:
    """``showbot run`` in a worker thread; ``stop()`` closes it the way Ctrl-C does."""

    def __init__(self, monkeypatch, tmp_path, *args: str) -> None:
        self.created: list[discord.Client] = []
        real = discord_app.create_bot

        def recording_create_bot(*a, **k):
            self.created.append(real(*a, **k))
            return self.created[-1]

        monkeypatch.setattr(discord_app, "create_bot", recording_create_bot)
        monkeypatch.setenv("SHOWBOT_SYNC_STATE", str(tmp_path / "sync.json"))
        argv = ["run", "--env-file", str(tmp_path / "absent.env"), *args]
        self.future = asyncio.get_running_loop().run_in_executor(None, cli.main, argv)

    async def stop(self) -> int:
        if self.created:
            bot = self.created[0]
            bot.loop.call_soon_threadsafe(lambda: asyncio.ensure_future(bot.close()))
        return await asyncio.wait_for(self.future, 30)


@pytest.fixture
async def start_bot(fake, monkeypatch, tmp_path):
    """Start `showbot run`; whatever happens in the test, it is stopped afterwards."""
    started: list[RunningBot] = []

    def start() -> RunningBot:
        started.append(RunningBot(monkeypatch, tmp_path))
        return started[-1]

    yield start
    for running in started:
        if not running.future.done():
            await running.stop()


@pytest.fixture
async def bot(fake, monkeypatch, start_bot):
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    running = start_bot()
    await asyncio.wait_for(fake.identified.wait(), 30)
    yield running
    assert await running.stop() == 0


async def test_ask_and_sources_exact_payloads(fake, bot, engine):
    sync = [r for r in fake.requests if r.method == "PUT"]
    assert sync and sync[0].path == f"/applications/{APP_ID}/commands"
    assert {c["name"] for c in sync[0].body} == {"ask", "sources"}

    question = "Who wrote the series? @everyone"
    ask = fake.interaction("ask", question=question)
    await fake.send_interaction(ask)
    await wait_for(lambda: ask["id"] in fake.callbacks())
    body = fake.callbacks()[ask["id"]].body
    expected = handlers.ask(engine, question).answer.quote
    assert body["type"] == 4
    assert body["data"]["allowed_mentions"] == {"parse": []}
    (embed,) = body["data"]["embeds"]
    assert embed["url"] == expected.link
    assert embed["title"] == expected.source.title
    assert embed["footer"]["text"] == f"{expected.source.publisher} · {expected.source.published}"
    assert "@everyone" not in embed["description"]
    assert not body["data"].get("flags")

    sources = fake.interaction("sources")
    await fake.send_interaction(sources)
    await wait_for(lambda: sources["id"] in fake.callbacks())
    body = fake.callbacks()[sources["id"]].body
    assert body["type"] == 4 and body["data"]["flags"] == 64
    assert body["data"]["allowed_mentions"] == {"parse": []}
    description = body["data"]["embeds"][0]["description"]
    assert description.count("**") == 2 * len(engine.sources)


async def test_token_never_appears_in_output(fake, bot, caplog, capfd):
    ask = fake.interaction("ask", question="who directed it")
    with caplog.at_level(logging.DEBUG):
        await fake.send_interaction(ask)
        await wait_for(lambda: ask["id"] in fake.callbacks())
    out, err = capfd.readouterr()
    assert TOKEN not in caplog.text and TOKEN not in out and TOKEN not in err
    assert TOKEN.split(".")[-1] not in caplog.text + out + err


@pytest.fixture
def deferred(monkeypatch):
    monkeypatch.setattr(discord_app, "INLINE_MAX_PASSAGES", 0)  # treat the seeds as a large index


async def test_large_index_defers_then_follows_up(deferred, fake, bot, engine):
    ask = fake.interaction("ask", question="How many episodes are there?", private=True)
    await fake.send_interaction(ask)
    await wait_for(lambda: fake.followups(ask["token"]))
    callback = fake.callbacks()[ask["id"]].body
    assert callback["type"] == 5 and callback["data"]["flags"] == 64  # thinking, ephemeral
    (followup,) = fake.followups(ask["token"])
    assert followup.path == f"/webhooks/{APP_ID}/{ask['token']}"
    assert followup.body["allowed_mentions"] == {"parse": []}
    assert followup.body["flags"] & 64
    assert followup.body["embeds"][0]["url"] == engine.ask("How many episodes are there?").quote.link


async def test_burst_of_200_all_acknowledged_in_time(deferred, fake, bot):
    payloads = []
    for i in range(200):
        payload = fake.interaction("ask", question=f"who directed it? #{i}")
        payload["member"]["user"]["id"] = str(1600000000000000000 + i)  # 200 fans: no cooldown
        payloads.append(payload)
    for payload in payloads:
        await fake.send_interaction(payload)
    await wait_for(lambda: all(fake.followups(p["token"]) for p in payloads), timeout=120)
    callbacks = fake.callbacks()
    assert len([p for p in payloads if p["id"] in callbacks]) == 200
    lags = [callbacks[p["id"]].at - fake.sent_at[p["id"]] for p in payloads]
    assert max(lags) < ACK_LIMIT_SECONDS, max(lags)
    assert all(len(fake.followups(p["token"])) == 1 for p in payloads)


async def test_rejected_token_is_one_line_exit_2(fake, monkeypatch, start_bot, capfd):
    monkeypatch.setenv("DISCORD_TOKEN", "MTEw.wrong.secret-wrong-token")
    running = start_bot()
    assert await asyncio.wait_for(running.future, 30) == 2
    err = capfd.readouterr().err
    line = [l for l in err.splitlines() if l.startswith("showbot: error:")]
    assert line and "rejected DISCORD_TOKEN" in line[0]
    assert "secret-wrong-token" not in err


async def test_sharded_process_runs_its_shards(fake, monkeypatch, start_bot):
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("SHOWBOT_SHARD_COUNT", "4")
    monkeypatch.setenv("SHOWBOT_SHARD_IDS", "1,3")
    running = start_bot()
    await wait_for(lambda: len(fake.identifies) == 2, timeout=60)  # discord.py spaces identifies ~5 s apart
    assert sorted(tuple(i["shard"]) for i in fake.identifies) == [(1, 4), (3, 4)]
    assert isinstance(running.created[0], discord.AutoShardedClient)
    assert await running.stop() == 0
