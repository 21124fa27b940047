"""What the engine returns: a verbatim quote with its source, or an abstention."""

from __future__ import annotations

from dataclasses import dataclass

from .articles import Source


@dataclass(frozen=True)
class Quote:
    """A sentence quoted word for word from one article."""

    text: str
    source: Source
    link: str | None  # the article's url with a text fragment selecting the quote
    score: float
    highlights: tuple[tuple[int, int], ...] = ()  # spans of ``text`` that match the question

    def to_json(self) -> dict:
        return {
            "quote": self.text,
            "source": self.source.to_json(),
            "link": self.link,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Answer:
    """The best quote for a question, up to two alternatives, or nothing (an abstention)."""

    question: str
    quote: Quote | None
    alternatives: tuple[Quote, ...] = ()
    reason: str = ""  # why it abstained, for people and logs
    score: float | None = None  # how likely the quote answers (also given when it was too unlikely to show)

    @property
    def answered(self) -> bool:
        return self.quote is not None

    def to_json(self) -> dict:
        """The JSON answer of ``showbot ask --json``: answered, quote, source, alternatives (plus link, score, reason)."""
        if self.quote is None:
            return {
                "answered": False,
                "quote": None,
                "source": None,
                "alternatives": [],
                "reason": self.reason,
                "score": None if self.score is None else round(self.score, 4),
            }
        best = self.quote.to_json()
        return {
            "answered": True,
            **best,
            "alternatives": [alt.to_json() for alt in self.alternatives],
        }
