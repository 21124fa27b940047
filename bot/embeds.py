"""Render handler results as Discord embeds, within Discord's limits."""

from __future__ import annotations

import discord
from discord.utils import escape_markdown, escape_mentions

from index import Quote, Source

from .handlers import ABSTAIN_HINT, ABSTAIN_TEXT, AskResult
from .text import shorten

# Discord's limits (shared/docs/discord.md)
TITLE_MAX = 256
DESCRIPTION_MAX = 4096
FIELD_VALUE_MAX = 1024
FOOTER_MAX = 2048
EMBED_TOTAL_MAX = 6000
QUESTION_ECHO_MAX = 200
QUOTE_MAX = 3000
ALT_QUOTE_MAX = 160
SOURCES_PER_PAGE = 10
COLOUR = discord.Colour.dark_teal()


def safe(text: str) -> str:
    """User or article text made inert: no markdown, no mentions."""
    return escape_mentions(escape_markdown(text))


def _highlighted(quote: Quote, limit: int) -> str:
    """The quote with the question's words in bold, escaped, cut at a word before ``limit`` characters."""
    text = quote.text
    cut = len(text)
    if cut > limit:
        cut = text.rfind(" ", 0, limit) if " " in text[limit // 2 : limit] else limit
    out, pos = [], 0
    for start, end in quote.highlights:
        if end > cut or start < pos:
            break
        out.append(safe(text[pos:start]))
        out.append(f"**{safe(text[start:end])}**")
        pos = end
    out.append(safe(text[pos:cut]))
    return " ".join("".join(out).split()) + ("…" if cut < len(text) else "")


def _linked_title(source: Source, link: str | None, limit: int) -> str:
    title = safe(shorten(source.title, limit)).replace("[", "(").replace("]", ")")
    target = link or source.url
    return f"[{title}](<{target}>)" if target else title


def _footer(source: Source) -> str:
    return " · ".join(x for x in (source.publisher, source.published) if x) or "publisher unknown"


def question_line(question: str, truncated: bool) -> str:
    echo = shorten(question, QUESTION_ECHO_MAX) if not truncated else shorten(question, QUESTION_ECHO_MAX - 1) + "…"
    return f"**Q:** {safe(echo)}"


def answer_embed(result: AskResult) -> discord.Embed:
    """The reply to ``/ask``: the quote, a linked title, the footer and up to two alternatives."""
    answer = result.answer
    if answer is None or not answer.answered:
        return abstain_embed(result)
    quote = answer.quote
    assert quote is not None
    body = "\n".join("> " + line for line in _highlighted(quote, QUOTE_MAX).splitlines())
    embed = discord.Embed(
        title=shorten(quote.source.title, TITLE_MAX),
        url=quote.link or quote.source.url,
        description=f"{question_line(result.question, result.truncated)}\n\n{body}",
        colour=COLOUR,
    )
    embed.set_footer(text=shorten(_footer(quote.source), FOOTER_MAX))
    if answer.alternatives:
        lines = [
            f"• “{safe(shorten(alt.text, ALT_QUOTE_MAX))}” — {_linked_title(alt.source, alt.link, 80)}"
            for alt in answer.alternatives
        ]
        value = "\n".join(lines)
        while len(value) > FIELD_VALUE_MAX and lines:
            lines.pop()
            value = "\n".join(lines)
        if value:
            embed.add_field(name="Also in:", value=value, inline=False)
    return embed


def abstain_embed(result: AskResult) -> discord.Embed:
    text = result.problem or f"{ABSTAIN_TEXT} {ABSTAIN_HINT}"
    description = f"{question_line(result.question, result.truncated)}\n\n{text}" if result.question.strip() else text
    return discord.Embed(description=description, colour=discord.Colour.light_grey())


def _source_entry(number: int, source: Source) -> str:
    details = " · ".join(safe(x) for x in (source.publisher, source.published) if x)
    return f"**{number}.** {_linked_title(source, None, 200)}" + (f"\n{details}" if details else "")


def sources_pages(sources: list[Source]) -> list[discord.Embed]:
    """``/sources`` as pages of at most ``SOURCES_PER_PAGE`` articles, each page within the limits."""
    pages: list[list[str]] = [[]]
    for number, source in enumerate(sources, 1):
        entry = _source_entry(number, source)
        page = pages[-1]
        if page and (len(page) >= SOURCES_PER_PAGE or len("\n\n".join([*page, entry])) > DESCRIPTION_MAX - 200):
            pages.append([])
        pages[-1].append(entry)
    total = len(pages)
    embeds = []
    for i, entries in enumerate(pages, 1):
        embed = discord.Embed(
            title=f"My sources ({len(sources)} articles)",
            description="\n\n".join(entries) or "No articles loaded.",
            colour=COLOUR,
        )
        if total > 1:
            embed.set_footer(text=f"Page {i} of {total}")
        embeds.append(embed)
    return embeds
