"""`showbot run` end to end, in-process, against a fake Discord on 127.0.0.1.

The real entry point (``bot.cli.main(["run", ...])``) runs in a worker thread
with discord.py pointed at the fake; the test sends INTERACTION_CREATE over the
fake gateway and checks the exact payloads that would go to Discord.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import threading

import discord
import pytest
from conftest import ROOT, wait_for
from fake_discord import APP_ID, TOKEN

from bot import cli, discord_app, handlers
from index import Engine

ACK_LIMIT_SECONDS = 3.0  # Discord's deadline for the first response
BURST = 1000


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


async def test_the_answering_thread_is_readied_once_while_the_bot_connects(fake, monkeypatch, start_bot):
    readied: list[str] = []
    real_warm = Engine.warm

    def spied_warm(self):
        readied.append(threading.current_thread().name)
        real_warm(self)

    monkeypatch.setattr(Engine, "warm", spied_warm)
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    running = start_bot()
    await asyncio.wait_for(fake.identified.wait(), 30)
    await wait_for(lambda: readied, timeout=30)
    assert len(readied) == 1 and readied[0].startswith("showbot-engine")  # the thread /ask answers on
    assert await running.stop() == 0


async def test_ask_and_sources_exact_payloads(fake, bot, engine):
    sync = [r for r in fake.requests if r.method == "PUT"]
    assert sync and sync[0].path == f"/applications/{APP_ID}/commands"
    commands = {c["name"]: c for c in sync[0].body}
    assert set(commands) == {"ask", "sources", "sources-admin", "report", "Answer with showbot"}
    admin = commands["sources-admin"]
    assert int(admin["default_member_permissions"]) == 32  # Manage Server: Discord hides it from everyone else
    assert {o["name"] for o in admin["options"]} == {"add", "remove", "reload"}
    assert "default_member_permissions" not in commands["ask"] or commands["ask"]["default_member_permissions"] is None

    question = "Who wrote the series? @everyone"
    ask = fake.interaction("ask", question=question)
    await fake.send_interaction(ask)
    await wait_for(lambda: fake.followups(ask["token"]))
    callback = fake.callbacks()[ask["id"]].body
    assert callback["type"] == 5 and not (callback.get("data") or {}).get("flags")  # public "thinking…" at once
    (followup,) = fake.followups(ask["token"])
    body = followup.body
    expected = handlers.ask(engine, question).answer.quote
    assert body["allowed_mentions"] == {"parse": []}
    (embed,) = body["embeds"]
    assert embed["url"] == expected.link
    assert embed["title"] == expected.source.title
    assert embed["footer"]["text"] == f"{expected.source.publisher} · {expected.source.published}"
    assert "@everyone" not in embed["description"]
    assert not body.get("flags")

    again = fake.interaction("ask", question="Who wrote  the series? @everyone")  # the answer is now at hand
    await fake.send_interaction(again)
    await wait_for(lambda: again["id"] in fake.callbacks())
    body = fake.callbacks()[again["id"]].body
    assert body["type"] == 4 and body["data"]["embeds"] == [embed]
    assert body["data"]["allowed_mentions"] == {"parse": []}
    assert not fake.followups(again["token"])

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
        await wait_for(lambda: fake.followups(ask["token"]))
    out, err = capfd.readouterr()
    assert TOKEN not in caplog.text and TOKEN not in out and TOKEN not in err
    assert TOKEN.split(".")[-1] not in caplog.text + out + err


async def test_private_ask_defers_privately_then_follows_up(fake, bot, engine):
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


@pytest.fixture
def busy_cpu():
    """Another process keeping one of the machine's cores busy for the length of the test."""
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    yield burner
    burner.kill()
    burner.wait(10)


LAUNCHER = """
import sys, discord, yarl
discord.http.Route.BASE = "http://127.0.0.1:{port}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("ws://127.0.0.1:{port}/")
from bot.cli import main
sys.exit(main(["run", "--env-file", {env_file!r}]))
"""


@pytest.fixture
async def bot_process(fake, tmp_path):
    """`showbot run` in its own process, as in production, where Discord is not in the bot's interpreter."""
    launcher = tmp_path / "launch.py"
    launcher.write_text(LAUNCHER.format(port=fake.port, env_file=str(tmp_path / "absent.env")), encoding="utf-8")
    env = {
        **os.environ,
        "DISCORD_TOKEN": TOKEN,
        "SHOWBOT_SYNC_STATE": str(tmp_path / "sync.json"),
        "SHOWBOT_MODEL": "none",
        "SHOWBOT_CACHE": "0",
        "PYTHONPATH": str(ROOT),
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(launcher),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        await asyncio.wait_for(fake.identified.wait(), 60)
        yield proc
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(proc.communicate(), 30)
            except TimeoutError:
                proc.kill()
                await proc.wait()


async def test_burst_of_1000_users_all_acknowledged_in_time_on_a_busy_machine(fake, bot_process, busy_cpu):
    payloads = []
    for i in range(BURST):
        payload = fake.interaction("ask", question=f"who directed it? #{i}")
        payload["member"]["user"]["id"] = str(1600000000000000000 + i)  # 1,000 different fans: no cooldown
        payloads.append(payload)
    for payload in payloads:
        await fake.send_interaction(payload)
    tokens = {p["token"] for p in payloads}

    def all_followed_up() -> bool:  # cheap: the fake's loop, which records the times, must not be kept busy here
        return tokens <= {r.path.rsplit("/", 1)[-1] for r in fake.requests if r.path.startswith("/webhooks/")}

    await wait_for(all_followed_up, timeout=300)
    assert busy_cpu.poll() is None  # the other process kept the CPU busy all along
    callbacks = fake.callbacks()
    assert len([p for p in payloads if p["id"] in callbacks]) == BURST  # none lost
    lags = sorted(callbacks[p["id"]].at - fake.sent_at[p["id"]] for p in payloads)
    assert lags[-1] < ACK_LIMIT_SECONDS, f"slowest first response {lags[-1]:.2f} s, median {lags[BURST // 2]:.2f} s"
    assert all(callbacks[p["id"]].body["type"] == 5 for p in payloads)  # acknowledged first ...
    for payload in payloads:  # ... then answered, once each
        (followup,) = fake.followups(payload["token"])
        (embed,) = followup.body["embeds"]
        assert embed["description"].startswith("**Q:** who directed it?")


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
