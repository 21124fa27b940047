"""Render handler results as terminal text and JSON lines."""

from __future__ import annotations

import json
import textwrap

from index import Answer, Quote, Source

from .handlers import ABSTAIN_HINT, ABSTAIN_TEXT, AskResult


def shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis if cut."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:") + "…"


def source_line(source: Source) -> str:
    details = ", ".join(x for x in (source.publisher, source.published) if x)
    return f"{source.title}" + (f" ({details})" if details else "")


def _quote_block(quote: Quote) -> list[str]:
    lines = textwrap.wrap(f"“{quote.text}”", width=78) or [""]
    lines.append(f"  — {source_line(quote.source)}")
    lines.append(f"    {quote.link}" if quote.link else "    (address of this article unknown)")
    return lines


def render_text(result: AskResult) -> str:
    """What a person sees in the terminal."""
    if result.problem:
        return result.problem
    answer = result.answer
    assert answer is not None
    if not answer.answered:
        return f"{ABSTAIN_TEXT} {ABSTAIN_HINT.replace('/sources', 'showbot sources')}"
    lines = _quote_block(answer.quote)
    if answer.alternatives:
        lines.append("")
        lines.append("Also in:")
        for alt in answer.alternatives:
            lines.append(f"  • “{shorten(alt.text, 120)}” — {alt.source.title}")
    return "\n".join(lines)


def render_json(result: AskResult) -> str:
    """One JSON line in the contract of ``shared/eval/score.py``."""
    answer = result.answer or Answer(result.question, None, reason=result.problem or "")
    data = answer.to_json()
    data["question"] = result.question
    return json.dumps(data, ensure_ascii=True)


def render_sources(sources: list[Source]) -> str:
    lines = []
    for i, s in enumerate(sources, 1):
        lines.append(f"{i}. {source_line(s)}")
        lines.append(f"   {s.url or '(address unknown)'}")
    return "\n".join(lines)


def sources_json(sources: list[Source]) -> str:
    return json.dumps([s.to_json() for s in sources], ensure_ascii=True, indent=2)
