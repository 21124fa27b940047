"""The bot through discord.py's real machinery, against SimCord's in-process Discord."""

from pathlib import Path

import pytest

from bot.config import Config
from bot.discord_app import ASK_PER_USER, command_payload, create_bot


@pytest.fixture
def bot_config(tmp_path):
    return Config(token=None, sync_state=tmp_path / "sync.json")


@pytest.fixture
def simcord_bot(engine, bot_config):
    return create_bot(engine, bot_config)


@pytest.fixture
def world(simcord_env):
    guild = simcord_env.create_guild()
    channel = guild.create_text_channel("general")
    alice = guild.add_member(simcord_env.create_user("alice"))
    return simcord_env, channel, alice


def description(result):
    (embed,) = result.response.embeds
    return embed.description


@pytest.mark.parametrize(
    "question, fragment",
    [
        ("Who directed All of Us Are Dead?", "Lee"),
        ("How many episodes are there?", "episode"),
        ("Who wrote the series?", "Chun Sung-il"),
    ],
)
async def test_ask_answers_with_quote_title_link_and_footer(world, engine, question, fragment):
    env, channel, alice = world
    result = await alice.slash(channel, "ask", question=question)
    assert result.acknowledged and not result.ephemeral
    (embed,) = result.response.embeds
    expected = engine.ask(question).quote
    assert embed.title == expected.source.title
    assert embed.url == expected.link and "#:~:text=" in embed.url
    assert embed.footer.text.startswith(expected.source.publisher)
    assert "\n> " in embed.description and fragment in embed.description.replace("**", "")
    assert embed.description.startswith("**Q:** ")


async def test_matched_words_are_bold_and_alternatives_listed(world):
    env, channel, alice = world
    result = await alice.slash(channel, "ask", question="Who wrote the series?")
    (embed,) = result.response.embeds
    assert "**written**" in embed.description
    result = await alice.slash(channel, "ask", question="who directed it")
    (embed,) = result.response.embeds
    assert embed.fields and embed.fields[0].name == "Also in:"
    assert embed.fields[0].value.count("• ") in (1, 2)


async def test_abstains_politely(world):
    env, channel, alice = world
    result = await alice.slash(channel, "ask", question="What is the capital of France?")
    text = description(result)
    assert "couldn't find that in my sources" in text and "/sources" in text


async def test_mentions_and_markdown_in_a_question_ping_nobody(world):
    env, channel, alice = world
    question = "@everyone @here <@&123456789012345678> <@234567890123456789> **who** `directed` it?"
    result = await alice.slash(channel, "ask", question=question)
    text = description(result)
    assert "@everyone" not in text and "@here" not in text
    assert "<@&123456789012345678>" not in text and "<@234567890123456789>" not in text
    assert "\\*\\*who\\*\\*" in text
    sent = [
        r
        for r in env.http_requests
        if r.method in ("POST", "PATCH") and ("/webhooks/" in r.path or r.json.get("type") == 4)
    ]  # every message: direct replies and the answers that follow a "thinking…"
    assert sent
    for request in sent:
        data = request.json.get("data", request.json)
        assert data["allowed_mentions"] == {"parse": []}


async def test_private_answer_is_ephemeral(world):
    env, channel, alice = world
    result = await alice.slash(channel, "ask", question="who directed it", private=True)
    assert result.ephemeral


async def test_cooldown_answers_with_try_again(world):
    env, channel, alice = world
    for _ in range(ASK_PER_USER):
        assert not (await alice.slash(channel, "ask", question="who directed it")).ephemeral
    result = await alice.slash(channel, "ask", question="who directed it")
    assert result.ephemeral and "Try again in" in description(result)
    assert [type(e).__name__ for e in env.errors] == ["CommandOnCooldown"]  # handled, and recorded by SimCord
    await env.advance_time(31)
    assert not (await alice.slash(channel, "ask", question="who directed it")).ephemeral


async def test_engine_failure_gets_the_error_reply(world, monkeypatch, engine):
    env, channel, alice = world

    def broken(question):
        raise RuntimeError("index exploded")

    monkeypatch.setattr(engine, "ask", broken)
    result = await alice.slash(channel, "ask", question="who directed it", private=True)
    assert result.ephemeral and "something went wrong" in description(result)
    # asked in public: the public "thinking…" is replaced by the apology, nothing is left hanging
    result = await alice.slash(channel, "ask", question="who wrote it")
    assert "something went wrong" in description(result)
    assert sum("index exploded" in repr(getattr(e, "original", e)) for e in env.errors) == 2


async def test_sources_lists_all_articles_ephemerally(world, engine):
    env, channel, alice = world
    result = await alice.slash(channel, "sources")
    assert result.ephemeral
    (embed,) = result.response.embeds
    for source in engine.sources:
        assert source.title[:40].replace("[", "(") in embed.description.replace("\\", "")
    assert embed.description.count("](<https://") == 4  # the fifth has no known address


async def test_synced_commands_have_described_options(simcord_bot):
    await simcord_bot.prepare()
    payload = {c["name"]: c for c in command_payload(simcord_bot.tree, None)}
    assert set(payload) == {"ask", "sources", "sources-admin", "report", "Answer with showbot"}
    assert payload["Answer with showbot"]["type"] == 3  # a message command: no description, no options
    for command in payload.values():
        if command["type"] == 3:
            continue
        assert 1 <= len(command["description"]) <= 100
        for option in command.get("options", []):
            assert 1 <= len(option["description"]) <= 100
    question = next(o for o in payload["ask"]["options"] if o["name"] == "question")
    assert question["required"] and question["max_length"] == 300


async def test_sync_happens_once_per_command_set(world, simcord_bot, bot_config):
    env, channel, alice = world
    from bot.discord_app import sync_commands

    assert Path(bot_config.sync_state).is_file()  # the start synced and recorded it
    assert await sync_commands(simcord_bot.tree, bot_config) is False
    assert await sync_commands(simcord_bot.tree, bot_config, force=True) is True
