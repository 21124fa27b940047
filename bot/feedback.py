"""The Discord side of the question log: 👍/👎 buttons under public answers, and ``/report`` as an embed.

The buttons are a persistent view: each is a ``DynamicItem`` whose ``custom_id``
holds the answer's id (``showbot:vote:up:<id>``), registered with the client at
start, so a click is understood by any later run of the bot, not only by the
one that sent the answer.
"""

from __future__ import annotations

import logging
import re

import discord

from .questionlog import VoteRecord
from .report import Report, bar
from .text import shorten

log = logging.getLogger("showbot")

VOTE_TEMPLATE = r"showbot:vote:(?P<vote>up|down):(?P<answer>[0-9]{1,20})"
VOTES = {"up": (1, "👍"), "down": (-1, "👎")}
THANKS = {
    "up": "Thanks for the 👍!",
    "down": "Thanks for the 👎, it tells the server's admins which answers are wrong.",
}
CHANGE_HINT = "You can change your vote with the other button."
NOT_RECORDED = "Thanks! (Feedback is not recorded on this bot.)"
FIELD_MAX = 1024
REPORT_BAR = 10
REPORT_TEXT = 44  # characters of a question or quote per row (embeds are narrow)
COLOUR = discord.Colour.dark_teal()


class VoteButton(discord.ui.DynamicItem[discord.ui.Button], template=VOTE_TEMPLATE):
    """👍 or 👎 on one answer; one vote per user per answer (a later click replaces it)."""

    def __init__(self, answer_id: int, vote: str) -> None:
        self.answer_id, self.vote = answer_id, vote
        emoji = VOTES[vote][1]
        label = "Helpful" if vote == "up" else "Not helpful"
        super().__init__(
            discord.ui.Button(
                style=discord.ButtonStyle.secondary,
                emoji=emoji,
                label=label,
                custom_id=f"showbot:vote:{vote}:{answer_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> VoteButton:
        return cls(int(match["answer"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        question_log = getattr(interaction.client.get_cog("showbot"), "question_log", None)  # type: ignore[union-attr]
        if question_log is None:
            await interaction.response.send_message(NOT_RECORDED, ephemeral=True)
            return
        question_log.vote(VoteRecord(self.answer_id, interaction.user.id, VOTES[self.vote][0]))  # never blocks
        await interaction.response.send_message(f"{THANKS[self.vote]} {CHANGE_HINT}", ephemeral=True)


def feedback_view(answer_id: int) -> discord.ui.View:
    """The buttons under one public answer (no timeout: they work for as long as the message exists)."""
    view = discord.ui.View(timeout=None)
    view.add_item(VoteButton(answer_id, "up"))
    view.add_item(VoteButton(answer_id, "down"))
    return view


def _inert(text: str) -> str:
    """Text for a code block: no backtick can close it early."""
    return text.replace("`", "ˋ")


def _block(lines: list[str]) -> str:
    """Lines in a code block, as many as fit in one embed field."""
    kept: list[str] = []
    for line in lines:
        if len("```\n" + "\n".join([*kept, line]) + "\n```") > FIELD_MAX:
            break
        kept.append(line)
    return "```\n" + "\n".join(kept) + "\n```" if kept else "none"


def report_embed(report: Report, where: str = "this server") -> discord.Embed:
    """``/report``: the same lists as ``showbot report``, within an embed's limits, for one server."""
    title = f"What fans asked in {where}: the last {report.days} days"
    if report.empty:
        description = f"Nothing yet: no questions were logged in {where} in the last {report.days} days."
        return discord.Embed(title=title[:256], description=description, colour=COLOUR)
    not_answered = report.questions - report.answered
    embed = discord.Embed(
        title=title[:256],
        description=f"{report.questions:,} questions: {report.answered:,} answered, {not_answered:,} not answered.",
        colour=COLOUR,
    )
    most = max((u.count for u in report.unanswered), default=0)
    rows = [
        f"{u.count:>4} {bar(u.count, most, REPORT_BAR):<{REPORT_BAR}} {_inert(shorten(u.example, REPORT_TEXT))}"
        for u in report.unanswered
    ]
    embed.add_field(name="Asked most, not answered", value=_block(rows), inline=False)
    most = max((d.down for d in report.downvoted), default=0)
    rows = []
    for d in report.downvoted:
        rows.append(f"{d.down:>3}👎 {d.up:>3}👍 {bar(d.down, most, REPORT_BAR)}")
        rows.append(f"  “{_inert(shorten(d.quote, REPORT_TEXT))}” ({_inert(shorten(d.source_id, 40))})")
    embed.add_field(name="Answers with the most 👎", value=_block(rows), inline=False)
    most = max((d.answered + d.not_answered for d in report.per_day), default=0)
    rows = [
        f"{d.date} {bar(d.answered + d.not_answered, most, REPORT_BAR):<{REPORT_BAR}} {d.answered}/{d.not_answered}"
        for d in report.per_day[-14:]
    ]
    embed.add_field(name="Answers per day (answered/not), last 14", value=_block(rows), inline=False)
    most = max((a.count for a in report.articles), default=0)
    rows = [
        f"{a.count:>4} {bar(a.count, most, REPORT_BAR):<{REPORT_BAR}} {_inert(shorten(a.title, REPORT_TEXT))}"
        for a in report.articles
    ]
    embed.add_field(name="Articles quoted most", value=_block(rows), inline=False)
    embed.set_footer(text="The full report: showbot report, on the bot's machine.")
    return embed
