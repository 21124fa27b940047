"""The Discord shell: the bot (plain or sharded), command sync, and ``showbot run`` / ``sync`` / ``invite``.

The commands and the engine they answer from live in one cog (``bot.cog.ShowCog``).

Imported only by ``showbot run``, ``sync`` and ``invite``, so the CLI harness
never loads discord.py.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import logging
import os
import signal
import sys
from pathlib import Path

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from index import Engine, SeedsError, default_seeds

from .cog import ASK_PER_USER, WATCH_SECONDS, ShowCog  # noqa: F401 (ASK_PER_USER: the tests' cooldown)
from .config import Config, ConfigError, load_config
from .feedback import VoteButton
from .questionlog import QuestionLog
from .reload import LiveEngine
from .startup import load_engine

log = logging.getLogger("showbot")

REJECTED_TOKEN = (
    "showbot: error: Discord rejected DISCORD_TOKEN; reset the token in the Developer Portal and update .env"
)
PERMISSIONS = discord.Permissions(send_messages=True, embed_links=True)
SCOPES = ("bot", "applications.commands")
WATCH_ENV = "SHOWBOT_WATCH_SECONDS"
HTTP_CONNECTIONS = 32  # to Discord's API at once


class ShowBotMixin:
    """What the plain and the sharded bot share: the cog that answers, and the sync policy."""

    tree: app_commands.CommandTree

    def setup(self, cog: ShowCog, config: Config, *, force_sync: bool = False) -> None:
        # The index is built once and only read: keep its millions of objects out of the garbage
        # collector's full scans, which would otherwise pause the event loop for tens of milliseconds.
        gc.collect()
        gc.freeze()
        self.cog = cog
        self.config = config
        self.force_sync = force_sync

    @property
    def engine(self) -> Engine:
        return self.cog.engine

    async def prepare(self) -> None:
        """Add the cog (its commands join the tree) and its message command; done once, at login."""
        if self.get_cog(self.cog.qualified_name) is None:  # type: ignore[attr-defined]
            await self.add_cog(self.cog)  # type: ignore[attr-defined]
            self.tree.add_command(self.cog.answer_menu)
            self.add_dynamic_items(VoteButton)  # type: ignore[attr-defined] # feedback buttons of earlier runs too

    async def login(self, token: str) -> None:
        # discord.py's default connector opens a new connection for every concurrent request: in a burst of
        # a thousand /ask that is a thousand connections (and TLS handshakes) before the first reply. A bounded
        # pool keeps connections alive and reuses them; waiting requests queue in order.
        if self.http.connector is discord.utils.MISSING:  # type: ignore[attr-defined]
            self.http.connector = aiohttp.TCPConnector(limit=HTTP_CONNECTIONS)  # type: ignore[attr-defined]
        await super().login(token)  # type: ignore[misc]

    async def setup_hook(self) -> None:
        await self.prepare()
        await sync_commands(self.tree, self.config, force=self.force_sync)

    async def on_message(self, message: discord.Message) -> None:
        """Slash commands only: messages are not read as commands."""

    async def on_ready(self) -> None:
        user = self.user  # type: ignore[attr-defined]
        log.info("ready as %s: %d articles, %d passages", user, len(self.engine.sources), self.engine.passage_count)


class ShowBot(ShowBotMixin, commands.Bot):
    pass


class ShardedShowBot(ShowBotMixin, commands.AutoShardedBot):
    pass


def create_bot(
    engine: Engine,
    config: Config,
    *,
    force_sync: bool = False,
    folder: Path | None = None,
    watch_seconds: float = 0.0,
) -> commands.Bot:
    """The bot: default intents only, and no reply can ever ping anyone.

    ``folder`` is where the engine's articles come from (for the admin commands and reloads);
    ``watch_seconds`` > 0 also reloads by itself when files there change.
    """
    options: dict = {
        "command_prefix": commands.when_mentioned,
        "help_command": None,
        "intents": discord.Intents.default(),
        "allowed_mentions": discord.AllowedMentions.none(),
    }
    if config.shard_count:
        bot: ShowBotMixin = ShardedShowBot(shard_count=config.shard_count, shard_ids=config.shard_ids, **options)
    else:
        bot = ShowBot(**options)
    live = LiveEngine(engine, folder, getattr(engine, "embedder", None), getattr(engine, "reader", None))
    question_log = QuestionLog(config.question_db) if config.question_db and config.log_questions else None
    bot.setup(ShowCog(live, watch_seconds=watch_seconds, question_log=question_log), config, force_sync=force_sync)
    return bot  # type: ignore[return-value]


def command_payload(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None) -> list[dict]:
    return [command.to_dict(tree) for command in tree.get_commands(guild=guild)]


def _payload_hash(payload: list[dict], scope: str) -> str:
    blob = json.dumps({"scope": scope, "commands": payload}, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()


async def sync_commands(tree: app_commands.CommandTree, config: Config, *, force: bool = False) -> bool:
    """Sync the commands only when they changed since the last sync (or when forced).

    Discord allows 200 command creates a day per guild; syncing on every start
    gets bots rate-limited. The hash of the last synced payload is kept in
    ``config.sync_state``.
    """
    guild = discord.Object(id=config.guild_id) if config.guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    scope = f"{tree.client.application_id}:{config.guild_id or 'global'}"
    digest = _payload_hash(command_payload(tree, guild), scope)
    state_file = Path(config.sync_state)
    try:
        state = json.loads(state_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        state = {}
    if not force and state.get(scope) == digest:
        log.info("commands unchanged since the last sync; not syncing (run `showbot sync` to force)")
        return False
    synced = await tree.sync(guild=guild)
    log.info("synced %d commands to %s", len(synced), f"guild {config.guild_id}" if guild else "all guilds")
    state[scope] = digest
    try:
        state_file.write_text(json.dumps(state, indent=2), encoding="utf-8")
    except OSError as exc:
        log.warning("could not record the sync in %s: %s", state_file, exc)
    return True


def invite_url(config: Config) -> str:
    """The OAuth2 URL that adds the bot with the least permissions it needs."""
    return discord.utils.oauth_url(config.application_id(), permissions=PERMISSIONS, scopes=SCOPES)


async def _serve(bot: discord.Client, token: str) -> bool:
    """Run until Discord disconnects us or Ctrl-C / SIGTERM; True when stopped by a signal."""
    stopped = False

    def stop() -> None:
        nonlocal stopped
        stopped = True
        asyncio.ensure_future(bot.close())

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:  # closing the client ourselves is reliable where cancelling the main task is not
            loop.add_signal_handler(sig, stop)
        except (NotImplementedError, RuntimeError, ValueError):  # Windows, or not the main thread
            pass
    async with bot:
        await bot.start(token)
    return stopped


def main(args: argparse.Namespace) -> int:
    """``showbot run`` / ``showbot sync`` / ``showbot invite``."""
    try:
        config = load_config(getattr(args, "env_file", ".env"))
        if args.command == "invite":
            print(invite_url(config))
            return 0
        token = config.require_token()
        discord.utils.setup_logging(level=logging.INFO, formatter=log_formatter(sys.stderr))
        seeds = getattr(args, "seeds", None) or config.seeds
        engine = load_engine(
            seeds, logs_summary=True, model=getattr(args, "model", None), reader=getattr(args, "reader", None)
        )
        watch_seconds = _watch_seconds() if args.command == "run" else 0.0
    except (ConfigError, SeedsError) as exc:
        print(f"showbot: error: {exc}", file=sys.stderr)
        return 2
    folder = Path(seeds) if seeds else default_seeds()
    bot = create_bot(engine, config, force_sync=args.command == "sync", folder=folder, watch_seconds=watch_seconds)
    if args.command == "sync":
        return asyncio.run(_sync_only(bot, token))
    try:
        if asyncio.run(_serve(bot, token)):
            print("showbot: stopped", file=sys.stderr)
    except discord.LoginFailure:
        print(REJECTED_TOKEN, file=sys.stderr)
        return 2
    except discord.PrivilegedIntentsRequired:
        print(
            "showbot: error: Discord refused the gateway intents; showbot needs no privileged intent", file=sys.stderr
        )
        return 2
    except (OSError, discord.GatewayNotFound) as exc:
        print(_unreachable(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("showbot: stopped", file=sys.stderr)
    return 0


def log_formatter(stream: object) -> logging.Formatter:
    """discord.py's coloured log lines on a terminal only; plain lines elsewhere (a file, journald, ``docker logs``).

    discord.py alone would also colour them inside a container, terminal or not; ``NO_COLOR`` turns colour off.
    """
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty() and not os.environ.get("NO_COLOR"):
        return discord.utils.MISSING  # discord.py picks its colour formatter
    return logging.Formatter("[{asctime}] [{levelname:<8}] {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{")


def _watch_seconds() -> float:
    """``SHOWBOT_WATCH_SECONDS``: how often the folder is checked for changes (0 turns the watcher off)."""
    value = os.environ.get(WATCH_ENV, "").strip()
    if not value:
        return WATCH_SECONDS
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"{WATCH_ENV} must be a number of seconds, got {value[:40]!r}") from None
    if seconds < 0:
        raise ConfigError(f"{WATCH_ENV} must be 0 (off) or more")
    return seconds


def _unreachable(exc: BaseException) -> str:
    return f"showbot: error: cannot reach Discord ({exc.__class__.__name__}); check the network and try again"


async def _sync_only(bot: discord.Client, token: str) -> int:
    """Log in over REST, force a sync (setup_hook), and leave without opening the gateway."""
    try:
        async with bot:
            await bot.login(token)
    except discord.LoginFailure:
        print(REJECTED_TOKEN, file=sys.stderr)
        return 2
    except OSError as exc:  # no network, refused, timed out: the one line `run` prints
        print(_unreachable(exc), file=sys.stderr)
        return 1
    print("showbot: commands synced")
    return 0
