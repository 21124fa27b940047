"""The bot's commands as one discord.py cog: ``/ask``, ``/sources``, the admins' ``/sources-admin`` and ``/report``,
and the "Answer with showbot" message command.

The cog owns the engine (through ``LiveEngine``), the worker thread that answers,
the thread that fetches pages and rebuilds the engine, and the folder watcher.
Every ``/ask`` whose answer is not already at hand is acknowledged at once
(deferred) and answered from the worker thread, so the first response never
waits behind answering work and the event loop never runs the engine.

Every question and its outcome go to the question log (``bot.questionlog``),
whose writer thread commits them; a reply waits a moment for that commit (so an
answer sent is an answer logged) but never for a log that is failing.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands
from discord.ext import commands, tasks

from index import Engine

from . import handlers
from .embeds import abstain_embed, answer_embed, sources_pages
from .feedback import feedback_view, report_embed
from .questionlog import AskRecord, QuestionLog, suggest
from .reload import LiveEngine, ReloadResult
from .report import DEFAULT_DAYS, Report, build_report

if TYPE_CHECKING:
    from .add import Added

log = logging.getLogger("showbot")

T = TypeVar("T")
ASK_PER_USER = 5  # /ask uses per user ...
ASK_WINDOW_SECONDS = 30.0  # ... within this many seconds
ANSWERS_KEPT = 1024  # recent answers kept at hand, answered without deferring
ACK_FIRST_MAX_WAIT = 2.0  # the worker lets acknowledgements go first, but never waits longer than this
WATCH_SECONDS = 5.0  # how often the folder is checked for changes made by hand
ERROR_TEXT = "Sorry, something went wrong while answering. Please try again in a moment."
ADMIN_ONLY_TEXT = "Only server admins (the Manage Server permission) can change my sources."
REPORT_ADMIN_ONLY_TEXT = "Only server admins (the Manage Server permission) can see the report."
LOG_WAIT = 0.5  # a reply waits this long at most for its question to be committed to the log
AUTOCOMPLETE_WAIT = 1.5  # earlier questions for /ask's autocomplete, at most (Discord allows 3 s)
ANSWER_MENU = "Answer with showbot"
NO_TEXT = "That message has no text I could answer."
NOT_FOUND_TEXT = "I couldn't find an answer to that message in my sources, so I didn't reply to it."
CANNOT_POST_TEXT = "I couldn't post in this channel (may I send messages here?). Here is the answer, just for you:"
LOG_OFF_TEXT = "The question log is turned off on this bot (SHOWBOT_LOG_QUESTIONS=0), so there is nothing to report."
ALLOW_PRIVATE_ENV = "SHOWBOT_ALLOW_PRIVATE_URLS"


class AnswerCache:
    """The last answers of the current engine, by question text: answers at hand need no defer."""

    def __init__(self, size: int = ANSWERS_KEPT) -> None:
        self.size = size
        self._engine: Engine | None = None
        self._answers: OrderedDict[str, handlers.AskResult] = OrderedDict()

    @staticmethod
    def _key(question: str) -> str:
        return " ".join(question.split())

    def get(self, engine: Engine, question: str) -> handlers.AskResult | None:
        if engine is not self._engine:
            return None
        result = self._answers.get(self._key(question))
        if result is not None:
            self._answers.move_to_end(self._key(question))
        return result

    def put(self, engine: Engine, question: str, result: handlers.AskResult) -> None:
        if engine is not self._engine:  # answers of another engine are stale
            self._engine, self._answers = engine, OrderedDict()
        self._answers[self._key(question)] = result
        while len(self._answers) > self.size:
            self._answers.popitem(last=False)


class UserCooldowns:
    """``/ask``'s per-user rate limit, owned by one cog (a decorator's limit would be shared by every bot)."""

    def __init__(self, rate: int = ASK_PER_USER, per: float = ASK_WINDOW_SECONDS) -> None:
        self.rate, self.per = rate, per
        self._users: OrderedDict[int, app_commands.Cooldown] = OrderedDict()

    def check(self, interaction: discord.Interaction) -> None:
        """Count a use; raise CommandOnCooldown past the limit. Time is the interaction's own (its snowflake)."""
        now = interaction.created_at.timestamp()
        while self._users:  # forget users whose window has passed (oldest use first)
            oldest = next(iter(self._users.values()))
            if now - oldest._last <= self.per:
                break
            self._users.popitem(last=False)
        cooldown = self._users.pop(interaction.user.id, None) or app_commands.Cooldown(self.rate, self.per)
        self._users[interaction.user.id] = cooldown
        retry_after = cooldown.update_rate_limit(now)
        if retry_after:
            raise app_commands.CommandOnCooldown(cooldown, retry_after)


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


def notice(text: str, colour: discord.Colour | None = None) -> discord.Embed:
    return discord.Embed(description=text[:4096], colour=colour or discord.Colour.orange())


def admins_only() -> Callable[[T], T]:
    """The server-side half of the admin gate: Discord's default permissions can be changed by server admins."""

    def predicate(interaction: discord.Interaction) -> bool:
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            raise app_commands.MissingPermissions(["manage_guild"])
        return True

    return app_commands.check(predicate)


class ShowCog(commands.Cog, name="showbot"):
    """Answers questions from the articles, lists them, and lets server admins change them while it answers."""

    admin = app_commands.Group(
        name="sources-admin",
        description="Add, remove or reload the articles I answer from (server admins)",
        default_permissions=discord.Permissions(manage_guild=True),
        guild_only=True,
    )

    def __init__(
        self, live: LiveEngine, *, watch_seconds: float = 0.0, question_log: QuestionLog | None = None
    ) -> None:
        self.live = live
        self.question_log = question_log
        self.answers = AnswerCache()
        self.ask_limit = UserCooldowns()
        self.watch_seconds = watch_seconds
        # one worker answers: queries take milliseconds, and fewer threads contending for the GIL keep the loop
        # responsive; another fetches pages and rebuilds the engine, so answering never waits behind a reload
        self.ask_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="showbot-engine")
        self._warming: asyncio.Future[None] | None = None  # readying that thread (ready_worker)
        self._unacknowledged = 0  # /ask interactions whose first response is not sent yet
        self._all_acknowledged = threading.Event()
        self._all_acknowledged.set()
        if question_log is not None:  # the log's writer, too, lets acknowledgements go first
            question_log.before_write = lambda: self._all_acknowledged.wait(ACK_FIRST_MAX_WAIT)
        self.admin_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="showbot-admin")
        # a message command cannot be declared in a cog: the bot adds this one to its tree (ShowBotMixin.prepare)
        self.answer_menu = app_commands.ContextMenu(
            name=ANSWER_MENU,
            callback=self.answer_message,
            allowed_contexts=app_commands.AppCommandContext(guild=True),
        )
        self.answer_menu.default_permissions = discord.Permissions(manage_messages=True)  # moderators, by default
        self.answer_menu.guild_only = True
        self.answer_menu.error(self.cog_app_command_error)

    @property
    def engine(self) -> Engine:
        return self.live.engine

    async def cog_load(self) -> None:
        self._warming = asyncio.ensure_future(self.ready_worker())
        if self.question_log is not None:
            self.question_log.start()
        if self.watch_seconds > 0 and self.live.folder is not None:
            self.watch.change_interval(seconds=self.watch_seconds)
            self.watch.start()

    async def ready_worker(self) -> None:
        """Readies the answering thread for the engine (Engine.warm) while the bot connects, so the first
        question is answered as fast as the next; then keeps what that made out of the collector's scans."""
        try:
            await self._run(self.ask_thread, self.live.engine.warm)
        except Exception:  # a question will try again, and say what is wrong
            log.exception("could not ready the engine")
            return
        gc.collect()
        gc.freeze()

    async def cog_unload(self) -> None:
        if self._warming is not None:
            self._warming.cancel()
        self.watch.cancel()
        self.ask_thread.shutdown(wait=False, cancel_futures=True)
        self.admin_thread.shutdown(wait=False, cancel_futures=True)
        if self.question_log is not None:  # writes what is queued, off the event loop
            await asyncio.get_running_loop().run_in_executor(None, self.question_log.close)

    def _answer(self, engine: Engine, question: str) -> handlers.AskResult:
        """In the worker: answer once no acknowledgement is waiting, since they share the interpreter's lock."""
        self._all_acknowledged.wait(ACK_FIRST_MAX_WAIT)
        return handlers.ask(engine, question)

    def _acknowledging(self, change: int) -> None:
        self._unacknowledged += change
        if self._unacknowledged:
            self._all_acknowledged.clear()
        else:
            self._all_acknowledged.set()

    async def _run(self, pool: ThreadPoolExecutor, work: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, lambda: work(*args, **kwargs))

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.command is not None and interaction.command.qualified_name == "ask":
            self.ask_limit.check(interaction)
        return True

    # -- everyone -----------------------------------------------------------------------------

    @app_commands.command(name="ask", description="Ask a question about the show; get a quote from a news article")
    @app_commands.describe(
        question="Your question, for example: who directed it?",
        private="Show the answer only to you (default: everyone in the channel sees it)",
    )
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, handlers.MAX_QUESTION_CHARS],
        private: bool = False,
    ) -> None:
        engine = self.live.engine
        result = self.answers.get(engine, question)
        if result is not None:  # at hand: answer right away, once logged (outside the count: the log waits for it)
            extra = await self._log(interaction, result, private=private)
            self._acknowledging(+1)
            try:
                await interaction.response.send_message(embed=answer_embed(result), ephemeral=private, **extra)
            finally:
                self._acknowledging(-1)
            return
        self._acknowledging(+1)
        try:  # acknowledge first (Discord's 3 s deadline), then answer from the worker thread
            await interaction.response.defer(ephemeral=private, thinking=True)
        finally:
            self._acknowledging(-1)
        result = await self._run(self.ask_thread, self._answer, engine, question)
        self.answers.put(engine, question, result)
        extra = await self._log(interaction, result, private=private)
        await interaction.followup.send(embed=answer_embed(result), ephemeral=private, **extra)

    @ask.autocomplete("question")
    async def _earlier_questions(self, interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
        """Questions asked before in this server and answered (not mostly 👎), matching the words typed so far."""
        if self.question_log is None or interaction.guild_id is None:
            return []
        found = self.question_log.read(suggest, interaction.guild_id, typed or "", default=[])
        try:
            questions = await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(found)), AUTOCOMPLETE_WAIT)
        except TimeoutError:
            return []
        return [app_commands.Choice(name=q, value=q) for q in questions]

    async def _log(
        self,
        interaction: discord.Interaction,
        result: handlers.AskResult,
        *,
        private: bool,
        via: str = "ask",
        user_id: int | None = None,
    ) -> dict[str, Any]:
        """Log the question, waiting a moment for the commit; the feedback buttons to send with a public answer."""
        if self.question_log is None:
            return {}
        entry = AskRecord.of(
            interaction.id,
            result,
            guild_id=interaction.guild_id,
            user_id=interaction.user.id if user_id is None else user_id,
            private=private,
            via=via,
        )
        written = self.question_log.record(entry)
        if self.question_log.healthy:  # a failing log is not waited for
            try:
                await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(written)), LOG_WAIT)
            except TimeoutError:
                pass
        answered = result.answer is not None and result.answer.answered
        votes_kept = self.question_log.healthy  # buttons whose votes could not be stored would mislead
        return {"view": feedback_view(interaction.id)} if answered and not private and votes_kept else {}

    async def answer_message(self, interaction: discord.Interaction, message: discord.Message) -> None:
        """The "Answer with showbot" command: the message's text is the question; the answer replies to it, pinging no one."""
        self.ask_limit.check(interaction)
        engine = self.live.engine
        self._acknowledging(+1)
        try:
            await interaction.response.defer(ephemeral=True, thinking=True)
        finally:
            self._acknowledging(-1)
        result = await self._run(self.ask_thread, self._answer, engine, message.content)
        if result.problem:
            await interaction.followup.send(embed=notice(NO_TEXT), ephemeral=True)
            return
        answered = result.answer is not None and result.answer.answered
        extra = await self._log(interaction, result, private=not answered, via="message", user_id=message.author.id)
        if not answered:
            await interaction.followup.send(content=NOT_FOUND_TEXT, embed=abstain_embed(result), ephemeral=True)
            return
        try:
            reply = await message.reply(
                embed=answer_embed(result),
                mention_author=False,
                allowed_mentions=discord.AllowedMentions.none(),
                **extra,
            )
        except discord.HTTPException as exc:
            log.info("could not reply to message %s in channel %s: %s", message.id, message.channel.id, exc)
            await interaction.followup.send(content=CANNOT_POST_TEXT, embed=answer_embed(result), ephemeral=True)
            return
        text = f"Answered [that message]({message.jump_url}): [the reply]({reply.jump_url})."
        await interaction.followup.send(embed=notice(text, discord.Colour.green()), ephemeral=True)

    @app_commands.command(name="sources", description="List the news articles my answers come from")
    @app_commands.describe(private="Show the list only to you (default: yes)")
    async def sources(self, interaction: discord.Interaction, private: bool = True) -> None:
        pages = sources_pages(handlers.sources(self.live.engine))
        if len(pages) == 1:
            await interaction.response.send_message(embed=pages[0], ephemeral=private)
        else:
            view = SourcesView(pages, interaction.user.id)
            await interaction.response.send_message(embed=pages[0], view=view, ephemeral=private)

    # -- server admins ------------------------------------------------------------------------

    async def reload_engine(self, why: str) -> ReloadResult:
        """Rebuild the engine from the folder in the admin thread; questions go on meanwhile."""
        result = await self._run(self.admin_thread, self.live.reload)
        if result.ok:
            self._warming = asyncio.ensure_future(self.ready_worker())
            log.info(
                "reloaded %d articles, %d passages in %.1f s (%s)",
                result.articles,
                result.passages,
                result.seconds,
                why,
            )
        else:
            log.warning("reload failed (%s), still answering from %d articles: %s", why, result.articles, result.error)
        return result

    def _folder(self) -> Path:
        from .add import AddError, seeds_folder

        if self.live.folder is None:
            raise AddError("this bot was started without a folder of articles")
        return seeds_folder(self.live.folder)

    @admin.command(name="add", description="Add a news article from its web address, then reload")
    @app_commands.describe(url="The article's address (https://…)")
    @admins_only()
    async def add(self, interaction: discord.Interaction, url: app_commands.Range[str, 1, 2000]) -> None:
        from .add import NOT_ENGLISH, AddError, add_url

        await interaction.response.defer(ephemeral=True, thinking=True)
        shown = discord.utils.escape_markdown(url.strip()[:300])
        public_only = os.environ.get(ALLOW_PRIVATE_ENV, "").strip() != "1"
        try:
            added: Added = await self._run(self.admin_thread, add_url, self._folder(), url, public_only=public_only)
        except AddError as exc:
            await interaction.followup.send(embed=notice(f"Could not add <{shown}>: {exc}"), ephemeral=True)
            return
        log.info("%s %s from %s (by %s)", "updated" if added.updated else "added", added.name, url, interaction.user.id)
        result = await self.reload_engine(f"/sources-admin add by {interaction.user.id}")
        title = discord.utils.escape_markdown(added.title)
        verb = "Updated" if added.updated else "Added"
        text = f"{verb} **{title}** (`{added.name}`).\n{result.describe()}"
        if not added.english:
            text += f"\n{NOT_ENGLISH}"
        await interaction.followup.send(embed=notice(text, discord.Colour.green()), ephemeral=True)

    @admin.command(name="remove", description="Remove an article, then reload")
    @app_commands.describe(article="The article to remove (start typing its title)")
    @admins_only()
    async def remove(self, interaction: discord.Interaction, article: app_commands.Range[str, 1, 200]) -> None:
        from .add import AddError, remove

        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            title = await self._run(self.admin_thread, remove, self._folder(), article)
        except AddError as exc:
            await interaction.followup.send(embed=notice(f"Could not remove it: {exc}"), ephemeral=True)
            return
        log.info("removed %s (by %s)", article, interaction.user.id)
        result = await self.reload_engine(f"/sources-admin remove by {interaction.user.id}")
        text = f"Removed **{discord.utils.escape_markdown(title)}**.\n{result.describe()}"
        await interaction.followup.send(embed=notice(text, discord.Colour.green()), ephemeral=True)

    @remove.autocomplete("article")
    async def _article_titles(self, interaction: discord.Interaction, typed: str) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None or not interaction.permissions.manage_guild:
            return []
        words = typed.casefold().split()
        choices = []
        for source in self.live.engine.sources:
            label = f"{source.title} ({source.id})"
            if all(w in label.casefold() for w in words):
                name = label if len(label) <= 100 else source.title[: 97 - len(source.id) - 3] + f"… ({source.id})"
                choices.append(app_commands.Choice(name=name[:100], value=source.id))
            if len(choices) == 25:
                break
        return choices

    @admin.command(name="reload", description="Re-read the folder of articles now")
    @admins_only()
    async def reload(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        result = await self.reload_engine(f"/sources-admin reload by {interaction.user.id}")
        colour = discord.Colour.green() if result.ok else discord.Colour.orange()
        await interaction.followup.send(embed=notice(result.describe(), colour), ephemeral=True)

    @app_commands.command(name="report", description="What fans asked that I could not answer, and answers voted down")
    @app_commands.describe(days=f"How many days back (default {DEFAULT_DAYS})")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @admins_only()
    async def report(
        self, interaction: discord.Interaction, days: app_commands.Range[int, 1, 3650] = DEFAULT_DAYS
    ) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        if self.question_log is None:
            await interaction.followup.send(embed=notice(LOG_OFF_TEXT), ephemeral=True)
            return
        guild_id = interaction.guild_id

        def query(conn: Any) -> Any:
            return build_report(conn, days, guild_id=guild_id)

        report = await asyncio.wrap_future(self.question_log.read(query, default=None))
        if report is None and self.question_log.path.is_file():
            text = "The question log cannot be read right now; try again in a moment."
            await interaction.followup.send(embed=notice(text), ephemeral=True)
            return
        if report is None:  # no database yet
            report = Report(days)
        await interaction.followup.send(embed=report_embed(report), ephemeral=True)

    @tasks.loop(seconds=WATCH_SECONDS)
    async def watch(self) -> None:
        """Reload when files in the folder change by hand (names, sizes, modification times)."""
        if await self._run(self.admin_thread, self.live.changed):
            await self.reload_engine("the folder changed")

    @watch.error
    async def _watch_failed(self, error: BaseException) -> None:
        log.error("the folder watcher stopped", exc_info=error)

    # -- errors -------------------------------------------------------------------------------

    async def cog_app_command_error(
        self, interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        command = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(error, app_commands.CommandOnCooldown):
            text = f"You're asking quickly! Try again in {max(1, round(error.retry_after))} s."
        elif isinstance(error, app_commands.CheckFailure):
            log.info("/%s refused to user %s: not a server admin", command, interaction.user.id)
            text = REPORT_ADMIN_ONLY_TEXT if command == "report" else ADMIN_ONLY_TEXT
        else:
            log.error("/%s failed", command, exc_info=error)
            text = ERROR_TEXT
        try:
            await self._reply_privately(interaction, notice(text))
        except discord.HTTPException:
            log.exception("could not tell the user about the error")

    @staticmethod
    async def _reply_privately(interaction: discord.Interaction, embed: discord.Embed) -> None:
        """Privately, unless the command had already said "thinking…" in public: then that message becomes the reply."""
        if interaction.response.is_done():
            await interaction.followup.send(embed=embed, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)
