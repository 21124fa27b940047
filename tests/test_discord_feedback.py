"""What fans asked, end to end: `showbot run` against the fake Discord, with its question log in a real SQLite file.

👍/👎 buttons (stored, changeable, still working after a restart), "Answer with showbot" (replies to the right
message, pings no one), /ask autocomplete from the log, /report for admins only, a locked database, `showbot
report` on the database this run filled, and kill -9 in the middle of writing. Tiny articles written here,
answered with words only (SHOWBOT_MODEL=none), so each expected answer is certain.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import sys

import pytest
from conftest import ROOT, wait_for
from fake_discord import BOT_USER, CHANNEL, TOKEN
from test_discord_e2e import RunningBot

from bot import cli
from bot.cog import CANNOT_POST_TEXT, NO_TEXT, NOT_FOUND_TEXT, REPORT_ADMIN_ONLY_TEXT

HARBOR = "Harbor Lights\n\nHarbor Lights was created by Ines Okafor for the Lumen streaming service.\n"
MOSS = "Moss Point\n\nMoss Point is a quiz show filmed in a lighthouse on the coast of Maine.\n"
ORCHARD = "The Glass Orchard\n\nThe Glass Orchard was directed by Marisol Quintero in the Okanagan Valley.\n"
ADMIN = str(1 << 5 | 2048)  # Manage Server, Send Messages
MODERATOR = str(1 << 13 | 2048)  # Manage Messages, Send Messages
FAN = "2048"
PRIVILEGED_INTENTS = 1 << 1 | 1 << 8 | 1 << 15  # members, presences, message content
MENU = "Answer with showbot"


def user_id(n: int) -> str:
    return str(1900000000000000000 + n)


@pytest.fixture
def db(tmp_path, monkeypatch):
    """The articles and the settings of a run; the question log's path."""
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in (("harbor.txt", HARBOR), ("moss.txt", MOSS), ("orchard.txt", ORCHARD)):
        (folder / name).write_text(text, encoding="utf-8")
    for name, value in {
        "SHOWBOT_SEEDS": str(folder),
        "SHOWBOT_MODEL": "none",
        "SHOWBOT_CACHE": "0",
        "SHOWBOT_WATCH_SECONDS": "0",
        "SHOWBOT_DB": str(tmp_path / "log.db"),
        "DISCORD_TOKEN": TOKEN,
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SHOWBOT_LOG_QUESTIONS", raising=False)
    return tmp_path / "log.db"


@pytest.fixture
async def bots(fake, db, monkeypatch, tmp_path):
    """Start `showbot run` (again, for a restart); every run is stopped at the end."""
    started: list[RunningBot] = []

    async def start() -> RunningBot:
        before = len(fake.identifies)
        started.append(RunningBot(monkeypatch, tmp_path))
        await wait_for(lambda: len(fake.identifies) > before, timeout=60)
        return started[-1]

    yield start
    for bot in started:
        if not bot.future.done():
            assert await bot.stop() == 0


async def ask(fake, question: str, user: int = 0, private: bool = False) -> tuple[dict, dict]:
    """Send /ask; the payload and the answer's message body (the follow-up, or the direct reply)."""
    payload = fake.interaction("ask", question=question, **({"private": True} if private else {}))
    payload["member"]["user"]["id"] = user_id(user)
    await fake.send_interaction(payload)
    await wait_for(lambda: fake.followups(payload["token"]) or direct(fake, payload))
    return payload, direct(fake, payload) or fake.followups(payload["token"])[0].body


def direct(fake, payload: dict) -> dict | None:
    callback = fake.callbacks().get(payload["id"])
    return callback.body["data"] if callback and callback.body["type"] == 4 else None


def buttons(body: dict) -> list[dict]:
    return [c for row in body.get("components") or [] for c in row["components"]]


def as_message(body: dict) -> dict:
    """The bot's message as Discord would show it (in a click's payload)."""
    return {**BOT_MESSAGE, "embeds": body["embeds"], "components": body["components"]}


BOT_MESSAGE = {
    "id": "1450000000000000001",
    "channel_id": CHANNEL["id"],
    "author": BOT_USER,
    "content": "",
    "timestamp": "2026-11-21T00:00:00+00:00",
    "edited_timestamp": None,
    "tts": False,
    "mention_everyone": False,
    "mentions": [],
    "mention_roles": [],
    "attachments": [],
    "pinned": False,
    "type": 0,
    "flags": 0,
}


async def click(fake, custom_id: str, message: dict, user: int) -> dict:
    payload = fake.component(custom_id, message, user_id(user))
    await fake.send_interaction(payload)
    await wait_for(lambda: payload["id"] in fake.callbacks())
    return fake.callbacks()[payload["id"]].body


def query(db, sql: str, *params) -> list[tuple]:
    if not db.exists():
        return []
    conn = sqlite3.connect(db, timeout=5)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def votes(db, answer_id: str) -> list[int]:
    return sorted(v for (v,) in query(db, "SELECT vote FROM votes WHERE answer_id = ?", int(answer_id)))


async def complete(fake, typed: str) -> list[str]:
    """/ask's autocomplete for ``typed``: the questions offered."""
    payload = fake.interaction("ask", question=typed)
    payload["type"] = 4
    payload["data"]["options"][0]["focused"] = True
    await fake.send_interaction(payload)
    await wait_for(lambda: payload["id"] in fake.callbacks())
    body = fake.callbacks()[payload["id"]].body
    assert body["type"] == 8
    return [c["value"] for c in body["data"]["choices"]]


async def test_votes_are_stored_changeable_and_the_buttons_work_after_a_restart(fake, bots, db):
    first = await bots()
    payload, body = await ask(fake, "Who created Harbor Lights?")
    assert "Ines Okafor" in body["embeds"][0]["description"]
    up, down = buttons(body)
    assert (up["custom_id"], down["custom_id"]) == (
        f"showbot:vote:up:{payload['id']}",
        f"showbot:vote:down:{payload['id']}",
    )
    assert (up["emoji"]["name"], down["emoji"]["name"]) == ("👍", "👎")
    message = as_message(body)

    reply = await click(fake, up["custom_id"], message, user=1)
    assert reply["type"] == 4 and reply["data"]["flags"] == 64 and reply["data"]["content"].startswith("Thanks")
    await wait_for(lambda: votes(db, payload["id"]) == [1])
    await click(fake, down["custom_id"], message, user=1)  # the same fan changes their mind
    await wait_for(lambda: votes(db, payload["id"]) == [-1])

    assert await first.stop() == 0
    await bots()  # a new run, with the same database: the old message's buttons still work
    reply = await click(fake, up["custom_id"], message, user=2)
    assert reply["data"]["flags"] == 64 and reply["data"]["content"].startswith("Thanks")
    await wait_for(lambda: votes(db, payload["id"]) == [-1, 1])
    (row,) = query(db, "SELECT question, answered, source_id, via FROM asks WHERE id = ?", int(payload["id"]))
    assert row == ("Who created Harbor Lights?", 1, "harbor.txt", "ask")


async def test_private_answers_and_declines_get_no_buttons(fake, bots, db):
    running = await bots()
    cog = running.created[0].cog
    waited: list[bool] = []  # whether an acknowledgement was pending when the log's writer came to write
    write_first = cog.question_log.before_write
    cog.question_log.before_write = lambda: (waited.append(not cog._all_acknowledged.is_set()), write_first())
    _, body = await ask(fake, "Where is Moss Point filmed?", private=True)
    assert "lighthouse" in body["embeds"][0]["description"] and not buttons(body)
    _, body = await ask(fake, "What is the capital of France?", user=1)
    assert "couldn't find" in body["embeds"][0]["description"] and not buttons(body)
    again, body = await ask(fake, "Where is Moss Point filmed?", user=2)  # at hand now, answered at once
    assert fake.callbacks()[again["id"]].body["type"] == 4 and len(buttons(body)) == 2
    assert query(db, "SELECT answered FROM asks WHERE id = ?", int(again["id"])) == [(1,)]  # logged before the reply
    assert waited and not any(waited)  # a reply waiting for its log entry is not a pending acknowledgement


async def test_answer_with_showbot_replies_to_the_message_without_pinging_anyone(fake, bots, db):
    await bots()
    assert not fake.identifies[-1]["intents"] & PRIVILEGED_INTENTS
    (sync,) = [r for r in fake.requests if r.method == "PUT"]
    menu = next(c for c in sync.body if c["name"] == MENU)
    assert menu["type"] == 3 and int(menu["default_member_permissions"]) == 1 << 13  # moderators, by default

    fake.user_message("an earlier message")
    target = fake.user_message("<@1500000000000000009> @everyone who created Harbor Lights?")
    payload = fake.message_command(MENU, target)
    payload["member"]["permissions"] = MODERATOR
    await fake.send_interaction(payload)
    await wait_for(lambda: fake.followups(payload["token"]))
    callback = fake.callbacks()[payload["id"]].body
    assert callback["type"] == 5 and callback["data"]["flags"] == 64  # the moderator alone sees "thinking…"

    (post,) = [r for r in fake.requests if r.method == "POST" and r.path.startswith("/channels/")]
    assert post.path == f"/channels/{CHANNEL['id']}/messages"
    assert str(post.body["message_reference"]["message_id"]) == target["id"]  # a reply to that very message
    assert post.body["allowed_mentions"] == {"parse": [], "replied_user": False}  # its author is not pinged either
    (embed,) = post.body["embeds"]
    assert "Ines Okafor" in embed["description"]
    assert "@everyone" not in embed["description"] and "<@1500000000000000009>" not in embed["description"]
    assert [b["custom_id"] for b in buttons(post.body)] == [
        f"showbot:vote:up:{payload['id']}",
        f"showbot:vote:down:{payload['id']}",
    ]
    (followup,) = fake.followups(payload["token"])
    assert followup.body["flags"] & 64 and followup.body["embeds"][0]["description"].startswith("Answered")
    await wait_for(lambda: query(db, "SELECT via FROM asks WHERE id = ?", int(payload["id"])) == [("message",)])


@pytest.mark.parametrize(
    "content, expected",
    [("What is the capital of France?", NOT_FOUND_TEXT), ("", NO_TEXT), ("<@1500000000000000009>", NO_TEXT)],
)
async def test_answer_with_showbot_tells_only_the_moderator_when_there_is_nothing_to_say(
    fake, bots, db, content, expected
):
    await bots()
    payload = fake.message_command(MENU, fake.user_message(content))
    await fake.send_interaction(payload)
    await wait_for(lambda: fake.followups(payload["token"]))
    (followup,) = fake.followups(payload["token"])
    assert followup.body["flags"] & 64
    text = followup.body.get("content") or followup.body["embeds"][0]["description"]
    assert text == expected
    assert not [r for r in fake.requests if r.path.startswith("/channels/")]  # nothing in the channel


async def test_answer_with_showbot_where_it_may_not_post_answers_the_moderator_privately(fake, bots, db):
    await bots()
    fake.forbidden_channels.add(CHANNEL["id"])
    payload = fake.message_command(MENU, fake.user_message("who directed the glass orchard"))
    await fake.send_interaction(payload)
    await wait_for(lambda: fake.followups(payload["token"]))
    (followup,) = fake.followups(payload["token"])
    assert followup.body["flags"] & 64 and followup.body["content"] == CANNOT_POST_TEXT
    assert "Marisol Quintero" in followup.body["embeds"][0]["description"]


async def test_autocomplete_offers_logged_answered_questions_only(fake, bots, db):
    await bots()
    await ask(fake, "Who created Harbor Lights?", user=1)
    await ask(fake, "What is the capital of France?", user=2)  # declined
    await ask(fake, "Where is Moss Point filmed?", user=3, private=True)  # private
    orchard, body = await ask(fake, "Who directed The Glass Orchard?", user=4)
    assert await complete(fake, "harb") == ["Who created Harbor Lights?"]
    assert await complete(fake, "who cre") == ["Who created Harbor Lights?"]
    assert await complete(fake, "capital") == []
    assert await complete(fake, "moss") == []
    assert sorted(await complete(fake, "")) == ["Who created Harbor Lights?", "Who directed The Glass Orchard?"]

    _, down = buttons(body)
    for user in (5, 6):  # mostly 👎 now: no longer offered
        await click(fake, down["custom_id"], as_message(body), user=user)
    await wait_for(lambda: votes(db, orchard["id"]) == [-1, -1])
    assert await complete(fake, "orchard") == []
    assert await complete(fake, "") == ["Who created Harbor Lights?"]


async def test_report_is_for_admins_only_and_private(fake, bots, db):
    await bots()
    (sync,) = [r for r in fake.requests if r.method == "PUT"]
    report = next(c for c in sync.body if c["name"] == "report")
    assert int(report["default_member_permissions"]) == 1 << 5  # Discord hides it from everyone else
    await ask(fake, "When does season 2 come out?", user=1)
    await ask(fake, "when does season 2 come out", user=2)
    await ask(fake, "Who created Harbor Lights?", user=3)
    await wait_for(lambda: len(query(db, "SELECT id FROM asks")) == 3)

    refused = fake.interaction("report")
    refused["member"]["permissions"] = FAN  # a server that let everyone see the command: the bot still refuses
    await fake.send_interaction(refused)
    await wait_for(lambda: refused["id"] in fake.callbacks())
    await asyncio.sleep(0.5)  # nothing else follows
    reply = direct(fake, refused)  # refused at once, before any work
    assert reply["flags"] == 64 and reply["embeds"][0]["description"] == REPORT_ADMIN_ONLY_TEXT
    assert not fake.followups(refused["token"])
    assert "season" not in str(reply) and "Harbor" not in str(reply)

    allowed = fake.interaction("report")
    allowed["member"]["permissions"] = ADMIN
    await fake.send_interaction(allowed)
    await wait_for(lambda: fake.followups(allowed["token"]))
    assert fake.callbacks()[allowed["id"]].body["data"]["flags"] == 64  # private from the first response
    (followup,) = fake.followups(allowed["token"])
    (embed,) = followup.body["embeds"]
    assert embed["description"] == "3 questions: 1 answered, 2 not answered."
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "when does season 2 come out" in fields["Asked most, not answered"]
    assert fields["Asked most, not answered"].splitlines()[1].split()[0] == "2"  # both wordings, one row
    assert "Harbor Lights" in fields["Articles quoted most"]
    assert len(embed["title"]) <= 256 and sum(len(v) for v in fields.values()) < 6000


async def test_a_locked_database_costs_one_warning_and_no_answer(fake, bots, db, caplog):
    await bots()
    await ask(fake, "Who created Harbor Lights?")
    await wait_for(lambda: len(query(db, "SELECT id FROM asks")) == 1)
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        with caplog.at_level(logging.INFO, logger="showbot"):
            for user, question in enumerate(["Where is Moss Point filmed?", "Who directed The Glass Orchard?"], 1):
                _, body = await ask(fake, question, user=user)
                assert "couldn't find" not in body["embeds"][0]["description"]  # answered all the same
            await wait_for(lambda: any(r.levelno == logging.WARNING for r in caplog.records))
            _, body = await ask(fake, "who created harbor lights?", user=3)
            assert "Ines Okafor" in body["embeds"][0]["description"]
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    warnings = [r.getMessage() for r in caplog.records if r.name == "showbot" and r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "database is locked" in warnings[0]
    await ask(fake, "Where is the quiz show filmed?", user=4)  # free again: logged again
    await wait_for(
        lambda: (
            query(db, "SELECT question FROM asks WHERE id = (SELECT MAX(id) FROM asks)")
            == [("Where is the quiz show filmed?",)]
        )
    )


async def test_showbot_report_on_the_database_of_a_run(fake, bots, db, capsys):
    bot = await bots()
    for user, question in enumerate(
        [
            "When does season 2 come out?",
            "when does season two come out",
            "When will season 2 come out",
            "Is there a dog in it?",
            "Who created Harbor Lights?",
            "Where is Moss Point filmed?",
        ]
    ):
        _, body = await ask(fake, question, user=user)
        if question.startswith("Who created"):
            harbor = body
        if question.startswith("Where is Moss"):
            moss = body
    for user in (10, 11, 12):
        await click(fake, buttons(harbor)[1]["custom_id"], as_message(harbor), user=user)
    await click(fake, buttons(moss)[1]["custom_id"], as_message(moss), user=10)
    await click(fake, buttons(moss)[0]["custom_id"], as_message(moss), user=11)
    assert await bot.stop() == 0  # everything queued is written when the bot stops
    capsys.readouterr()
    assert cli.main(["report", "--db", str(db)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Questions in the last 30 days: 6 (2 answered, 4 not answered)"
    unanswered = lines[lines.index("Asked most, not answered (near-duplicates counted together):") + 1 :]
    assert unanswered[0].split()[0] == "2" and "season 2 come out" in unanswered[0]  # "two" is another term
    downvoted = lines[lines.index("Answers with the most thumbs down (down/up):") + 1 :]
    assert downvoted[0].split()[:2] == ["3/0", "#" * 20] and "Ines Okafor" in downvoted[0]
    assert downvoted[2].split()[0] == "1/1" and "Moss Point is a quiz show" in downvoted[2]


LAUNCHER = """
import sys, time, discord, yarl
discord.http.Route.BASE = "http://127.0.0.1:{port}/api/v10"
discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL("ws://127.0.0.1:{port}/")
from bot import questionlog
write = questionlog.QuestionLog._write
def slow_disk(self, items):  # each commit takes 50 ms: answers sent before their commit would be lost
    time.sleep(0.05)
    write(self, items)
questionlog.QuestionLog._write = slow_disk
from bot.cli import main
sys.exit(main(["run", "--env-file", {env_file!r}]))
"""


async def test_the_log_holds_every_answer_sent_before_a_kill_9(fake, db, tmp_path):
    launcher = tmp_path / "launch.py"
    launcher.write_text(LAUNCHER.format(port=fake.port, env_file=str(tmp_path / "absent.env")), encoding="utf-8")
    env = {**os.environ, "SHOWBOT_SYNC_STATE": str(tmp_path / "sync.json"), "PYTHONPATH": str(ROOT)}
    quiet = asyncio.subprocess.DEVNULL
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(launcher), cwd=ROOT, env=env, stdout=quiet, stderr=quiet
    )
    try:
        await asyncio.wait_for(fake.identified.wait(), 60)
        questions = ["Who created Harbor Lights", "Where is Moss Point filmed", "Who directed The Glass Orchard"]
        payloads = []
        for i in range(150):
            payload = fake.interaction("ask", question=f"{questions[i % 3]} #{i}")
            payload["member"]["user"]["id"] = user_id(i)
            payloads.append(payload)
        for payload in payloads:
            await fake.send_interaction(payload)
        await wait_for(lambda: len(sent(fake, payloads)) >= 30, timeout=60)
        proc.send_signal(signal.SIGKILL)  # in the middle of answering, and of writing the log
        await proc.wait()
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    acknowledged = sent(fake, payloads)  # the answers Discord got before the kill
    assert 30 <= len(acknowledged) < len(payloads)
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        logged = {str(i) for (i,) in conn.execute("SELECT id FROM asks")}
    finally:
        conn.close()
    assert acknowledged <= logged, f"{len(acknowledged - logged)} answers sent but not in the log"


def sent(fake, payloads: list[dict]) -> set[str]:
    """Ids of the interactions whose answer reached Discord."""
    tokens = {r.path.rsplit("/", 1)[-1] for r in fake.requests if r.path.startswith("/webhooks/")}
    return {p["id"] for p in payloads if p["token"] in tokens}
