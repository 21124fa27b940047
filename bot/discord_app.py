"""The Discord shell: ``/ask`` and ``/sources`` on discord.py, over ``bot.handlers``.

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
import signal
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import discord
from discord import app_commands

from index import Engine, SeedsError

from . import handlers
from .config import Config, ConfigError, load_config
from .embeds import answer_embed, sources_pages
from .startup import load_engine

log = logging.getLogger("showbot")

ASK_PER_USER = 5  # /ask uses per user ...
ASK_WINDOW_SECONDS = 30.0  # ... within this many seconds
INLINE_MAX_PASSAGES = 20_000  # up to this size the engine answers on the event loop (a few ms)
REJECTED_TOKEN = (
    "showbot: error: Discord rejected DISCORD_TOKEN; reset the token in the Developer Portal and update .env"
)
ERROR_TEXT = "Sorry, something went wrong while answering. Please try again in a moment."
PERMISSIONS = discord.Permissions(send_messages=True, embed_links=True)
SCOPES = ("bot", "applications.commands")


class SourcesView(discord.ui.View):
    """Previous/Next buttons over the pages of ``/sources``."""

    def __init__(self, pages: list[discord.Embed], owner_id: int, timeout: float = 300) -> None:
        super().__init__(timeout=timeout)
        self.pages, self.owner_id, self.page = pages, owner_id, 0
        self._refresh()

    def _refresh(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1

    async def _show(self, interaction: discord.Interaction, page: int) -> None:
        self.page = max(0, min(page, len(self.pages) - 1))
        self._refresh()
        await interaction.response.edit_message(embed=self.pages[self.page], view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.page - 1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button) -> None:
        await self._show(interaction, self.page + 1)


class ShowBotMixin:
    """What the plain and the sharded client share: the engine, the commands and the sync policy."""

    tree: app_commands.CommandTree

    def setup(self, engine: Engine, config: Config, *, force_sync: bool = False) -> None:
        # The index is built once and only read: keep its millions of objects out of the garbage
        # collector's full scans, which would otherwise pause the event loop for tens of milliseconds.
        gc.collect()
        gc.freeze()
        self.engine = engine
        self.config = config
        self.force_sync = force_sync
        self.inline_max_passages = INLINE_MAX_PASSAGES
        # one worker: queries take milliseconds, and fewer threads contending for the GIL keep the loop responsive
        self.engine_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="showbot-engine")
        self.tree = build_tree(self)  # type: ignore[arg-type]

    async def setup_hook(self) -> None:
        await sync_commands(self.tree, self.config, force=self.force_sync)

    async def close(self) -> None:
        await super().close()  # type: ignore[misc]
        self.engine_thread.shutdown(wait=False, cancel_futures=True)

    async def on_ready(self) -> None:
        user = self.user  # type: ignore[attr-defined]
        log.info("ready as %s: %d articles, %d passages", user, len(self.engine.sources), self.engine.passage_count)


class ShowBot(ShowBotMixin, discord.Client):
    pass


class ShardedShowBot(ShowBotMixin, discord.AutoShardedClient):
    pass


def create_bot(engine: Engine, config: Config, *, force_sync: bool = False) -> discord.Client:
    """The bot: default intents only, and no reply can ever ping anyone."""
    options = dict(intents=discord.Intents.default(), allowed_mentions=discord.AllowedMentions.none())
    if config.shard_count:
        bot: ShowBotMixin = ShardedShowBot(shard_count=config.shard_count, shard_ids=config.shard_ids, **options)
    else:
        bot = ShowBot(**options)
    bot.setup(engine, config, force_sync=force_sync)
    return bot  # type: ignore[return-value]


def build_tree(client: discord.Client) -> app_commands.CommandTree:
    tree = app_commands.CommandTree(client)

    @tree.command(name="ask", description="Ask a question about the show; get a quote from a news article")
    @app_commands.describe(
        question="Your question, for example: who directed it?",
        private="Show the answer only to you (default: everyone in the channel sees it)",
    )
    @app_commands.checks.cooldown(ASK_PER_USER, ASK_WINDOW_SECONDS, key=lambda i: i.user.id)
    async def ask(
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, handlers.MAX_QUESTION_CHARS],
        private: bool = False,
    ) -> None:
        bot: ShowBotMixin = interaction.client  # type: ignore[assignment]
        if bot.engine.passage_count > bot.inline_max_passages:
            # a large index: acknowledge at once, answer from a worker thread so the gateway heartbeat never waits
            await interaction.response.defer(ephemeral=private, thinking=True)
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(bot.engine_thread, handlers.ask, bot.engine, question)
            await interaction.followup.send(embed=answer_embed(result), ephemeral=private)
        else:
            result = handlers.ask(bot.engine, question)  # a few milliseconds
            await interaction.response.send_message(embed=answer_embed(result), ephemeral=private)

    @tree.command(name="sources", description="List the news articles my answers come from")
    @app_commands.describe(private="Show the list only to you (default: yes)")
    async def sources(interaction: discord.Interaction, private: bool = True) -> None:
        bot: ShowBotMixin = interaction.client  # type: ignore[assignment]
        pages = sources_pages(handlers.sources(bot.engine))
        if len(pages) == 1:
            await interaction.response.send_message(embed=pages[0], ephemeral=private)
        else:
            view = SourcesView(pages, interaction.user.id)
            await interaction.response.send_message(embed=pages[0], view=view, ephemeral=private)

    @tree.error
    async def on_error(interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CommandOnCooldown):
            text = f"You're asking quickly! Try again in {max(1, round(error.retry_after))} s."
        else:
            command = interaction.command.name if interaction.command else "?"
            log.error("/%s failed", command, exc_info=error)
            text = ERROR_TEXT
        embed = discord.Embed(description=text, colour=discord.Colour.orange())
        try:
            if interaction.response.is_done():
                await interaction.followup.send(embed=embed, ephemeral=True)
            else:
                await interaction.response.send_message(embed=embed, ephemeral=True)
        except discord.HTTPException:
            log.exception("could not tell the user about the error")

    return tree


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
        discord.utils.setup_logging(level=logging.INFO)
        engine = load_engine(
            getattr(args, "seeds", None) or config.seeds, logs_summary=True, model=getattr(args, "model", None)
        )
    except (ConfigError, SeedsError) as exc:
        print(f"showbot: error: {exc}", file=sys.stderr)
        return 2
    bot = create_bot(engine, config, force_sync=args.command == "sync")
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
