"""On a large index, /ask never blocks the bot's event loop: a lag probe runs while queries do.

The probe is a task on the bot's loop that sleeps 5 ms at a time and records
how late it wakes. Questions arrive 100 a second, so several are always being
answered in the engine's worker thread while the loop must stay responsive.

A busy machine delays every process's wake-ups, engine or not, and a process
whose worker thread runs Python code shares the interpreter's lock with its
loop. So the same probe also runs at the same time in a control process shaped
like the bot without an engine (an event loop, and a thread doing plain Python
work half the time), and the limit applies to the lag the bot has beyond the
worst lag of the control: what the engine itself adds. When the bot is over
the limit, the round is repeated with new questions, up to three, and the last
round decides: lag caused by the engine is there every round, a scheduling
accident (a CI neighbour waking just after the control looked) is not. And the engine is checked to run on the worker
thread only, never on the loop's.
"""

from __future__ import annotations

import asyncio
import sys
import threading
import time

import pytest

from bench.corpus import build_corpus
from bot.config import Config
from bot.discord_app import create_bot
from conftest import wait_for
from fake_discord import TOKEN
from index import Engine

PASSAGES = 30_000  # what CI affords
MAX_LAG_SECONDS = 0.050  # caused by the bot, beyond what the machine causes any process
TICK = 0.005
ROUNDS = 3  # measured again only while the bot is over the limit
CONTROL_PROBE = f"""
import asyncio, sys, threading, time

def work():  # a worker thread busy half the time with plain Python, as the bot's is with questions
    while True:
        until = time.perf_counter() + 0.010
        while time.perf_counter() < until:
            sum(i * i for i in range(200))
        time.sleep(0.010)

async def main():
    worst, ticks, stop = 0.0, 0, asyncio.Event()
    asyncio.get_running_loop().add_reader(sys.stdin.fileno(), stop.set)  # until the test closes stdin
    threading.Thread(target=work, daemon=True).start()
    print("ready", flush=True)
    while not stop.is_set():
        start = time.perf_counter()
        await asyncio.sleep({TICK})
        worst, ticks = max(worst, time.perf_counter() - start - {TICK}), ticks + 1
    print(worst, ticks, flush=True)

asyncio.run(main())
"""


@pytest.fixture(scope="module")
def large_engine():
    return Engine(build_corpus(PASSAGES))


async def test_loop_lag_stays_under_50ms_while_answering(fake, large_engine, tmp_path, monkeypatch):
    bot = create_bot(large_engine, Config(token=TOKEN, sync_state=tmp_path / "sync.json"))
    engine_threads: set[str] = set()
    real_ask = large_engine.ask

    def spied_ask(question):
        engine_threads.add(threading.current_thread().name)
        return real_ask(question)

    monkeypatch.setattr(large_engine, "ask", spied_ask)
    lags: list[float] = []
    stop = threading.Event()

    async def probe() -> None:
        while not stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(TICK)
            lags.append(time.perf_counter() - start - TICK)

    async def serve() -> None:
        async with bot:
            asyncio.ensure_future(probe())
            await bot.start(TOKEN)

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    try:
        await asyncio.wait_for(fake.identified.wait(), 30)
        rounds: list[tuple[float, float]] = []  # (the bot's worst lag, the machine's worst lag)
        for attempt in range(ROUNDS):
            bot_worst, machine = await measure_round(fake, large_engine, lags, attempt)
            rounds.append((bot_worst, machine))
            if bot_worst - machine < MAX_LAG_SECONDS:
                break
    finally:
        stop.set()
        bot.loop.call_soon_threadsafe(lambda: asyncio.ensure_future(bot.close()))
        thread.join(30)
    bot_worst, machine = rounds[-1]
    assert bot_worst - machine < MAX_LAG_SECONDS, (
        "worst loop lag, and the machine's alone, by round (ms): "
        + ", ".join(f"{b * 1000:.1f} / {m * 1000:.1f}" for b, m in rounds)
    )
    assert engine_threads and all(name.startswith("showbot-engine") for name in engine_threads), engine_threads


async def measure_round(fake, engine: Engine, lags: list[float], attempt: int) -> tuple[float, float]:
    """Send 60 new questions, 100 a second; the worst lag of the bot's loop, and of a control process meanwhile."""
    questions = ["Who directed All of Us Are Dead?", "how many episodes are there"] + [
        " ".join(engine.index.sentence_text(i).split()[:6]) for i in range(attempt * 101, 20_000, 350)
    ]
    payloads = []
    for i, question in enumerate(questions):
        payload = fake.interaction("ask", question=f"{question} ({attempt})" if attempt else question)
        payload["member"]["user"]["id"] = str(1700000000000000000 + attempt * 1000 + i)
        payloads.append(payload)  # all different: an answer already given would be sent at once, without the engine
    control = await asyncio.create_subprocess_exec(
        sys.executable, "-c", CONTROL_PROBE, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert await asyncio.wait_for(control.stdout.readline(), 30) == b"ready\n"
    lags.clear()
    for payload in payloads:  # 100 a second: queries overlap in the worker while the loop keeps ticking
        await fake.send_interaction(payload)
        await asyncio.sleep(0.01)
    await wait_for(lambda: all(fake.followups(p["token"]) for p in payloads), timeout=120)
    bot_worst, ticks = max(lags), len(lags)
    control.stdin.close()
    control_worst, control_ticks = (await asyncio.wait_for(control.stdout.read(), 30)).split()
    await control.wait()
    assert ticks > 20 and int(control_ticks) > 20
    callbacks = fake.callbacks()
    assert all(callbacks[p["id"]].body["type"] == 5 for p in payloads)  # deferred, then followed up
    return bot_worst, float(control_worst)
