"""Platform-neutral command handlers: what ``/ask`` and ``/sources`` do, for any shell.

The Discord adapter and the CLI both call these, so the CLI harness exercises
exactly what Discord users get. No formatting and no ranking here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index import Answer, Engine, Source
from index.question import clean_question

MAX_QUESTION_CHARS = 300  # what /ask accepts; longer questions are cut, never refused
ABSTAIN_TEXT = "I couldn't find that in my sources."
ABSTAIN_HINT = "Try rephrasing, or use /sources to see which articles I know."
EMPTY_TEXT = "Please ask a question, for example: who directed it?"
# Discord mentions say who is asked, not what: "<@123>", "<@&456>", "<#789>", "@everyone", "@here"
MENTION_RE = re.compile(r"<(?:@[!&]?|#)\d+>|@(?:everyone|here)\b")
# ... and chat formatting says how a question looks: **bold**, __underline__, *italics*, ~~strike~~,
# ||spoiler||, `code`, "> " quotes, custom emoji ("<:kekw:123>") and pasted links
MARKUP_RE = re.compile(r"<a?:\w+:\d+>|(?:https?://|www\.)\S+|[*~|`]+|(?<!\w)_+|_+(?!\w)|^\s*>+")


def as_asked(question: str) -> str:
    """What the engine is asked: ``question`` without mentions and chat formatting."""
    return " ".join(MARKUP_RE.sub(" ", MENTION_RE.sub(" ", question)).split())


@dataclass(frozen=True)
class AskResult:
    """The outcome of one question: an answer, an abstention, or a problem with the input."""

    question: str  # the question as understood (cleaned and cut), safe to echo after escaping
    answer: Answer | None  # None when the input was not a question at all
    truncated: bool = False

    @property
    def problem(self) -> str | None:
        return EMPTY_TEXT if self.answer is None else None


def has_words(text: str) -> bool:
    return any(c.isalnum() for c in text)


def ask(engine: Engine, raw: str | None) -> AskResult:
    """Answer one question. Never raises for any input text."""
    whole = clean_question(raw, len(raw or ""))
    question = whole[:MAX_QUESTION_CHARS].rstrip()
    truncated = len(whole) > MAX_QUESTION_CHARS
    asked = as_asked(question)
    if not has_words(asked):
        return AskResult(question, None)
    return AskResult(question, engine.ask(asked), truncated)


def sources(engine: Engine) -> list[Source]:
    """Every article the engine answers from, in order."""
    return engine.sources
