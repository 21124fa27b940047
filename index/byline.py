"""Who wrote an article: its byline, and the questions that ask for it.

Fans ask who wrote a review or did an interview ("who wrote the Variety review of season 2", "vox piece
author"). The answer is the article's byline ("By Jane Doe", "Review by ...", "Danielle Poole 24 January
2014", "Seth Franco, Staff Writer", "[Reporter Shin Young-eun, ...]", a name alone over the page's date), a
line that clean.py drops as page furniture, so no sentence of the index holds it.
``find_byline`` finds an article's byline near its top; ``asks_author`` reads the question;
``ArticleNames.asked`` picks the one article the question names by its publisher, web site or headline.
The engine quotes that line word for word.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from .articles import Article

BYLINE_LINES = 25  # a byline stands near the top of a page: within this many of its first lines
_NAME = r"[A-Z][\w'’.-]+(?:\s+[A-Z][\w'’.-]+){1,3}"  # "Rob Owen", "Evan Ross Katz", "Yim Hyun-su"
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"
_JOB_TITLE = r"(?:[A-Z][\w&-]*\s+){0,3}(?i:writer|editor|critic|reporter|correspondent|contributor)"  # "Staff Writer"
_DAY_MONTH_YEAR = rf"\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"  # "18 June 2021"
_MONTH_DAY_YEAR = rf"{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}"  # "May 3, 2020"
_DATE = rf"(?:{_DAY_MONTH_YEAR}|{_MONTH_DAY_YEAR})"
BYLINE = re.compile(
    rf"^[-–—•|]?\s*(?:{_DATE}\s+)?(?:(?i:story|review|words|written|interview|reporting|text|posted|published)\s+)?"
    rf"(?i:by)\s*:?\s+{_NAME}"  # "By Rob Owen", "- Review by Christopher Stevens", "By: Sonil Dedhia", "posted by ..."
    # "18 June 2021 By Holly Overton" (the date first, above); a news agency's "[Reporter Shin Young-eun, Daily ...]"
    rf"|^\[(?i:reporter|correspondent|writer|journalist)\s+{_NAME}\s*[,\]]"
    # "Danielle Poole 24 January 2014", "Lucy Pavia5 June 2019", "Review Tom French 16 Jul 2013 - 22:00"
    rf"|^(?:Review\s+)?{_NAME}\s*{_DAY_MONTH_YEAR}\b"
    rf"|^{_NAME}\s+{_MONTH_DAY_YEAR}\b"  # "Seema Sinha September 21, 2019 13:13:22 IST"
    rf"|^{_NAME},\s+{_JOB_TITLE}\s*$"  # "Seth Franco, Staff Writer"
)
# A name alone on its line is a byline when the line under it dates the page or gives the author's job:
# "Nicole Vassell" over "Thursday 04 May 2023 11:03 BST", "Mandi Bierly" over "Deputy Editor, Yahoo TV".
_NAME_ALONE = re.compile(rf"{_NAME}")
_DAY = r"(?:(?:Mon|Tues?|Wed(?:nes)?|Thu(?:rs)?|Fri|Sat(?:ur)?|Sun)(?:day)?,?\s+)"
_UNDER_NAME = re.compile(
    rf"^(?:{_DAY}?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}|{_MONTH}\s+\d{{1,2}})\b"  # a date
    r"|(?:Last\s+)?(?i:modified|updated|published)\b"  # "Last modified on Fri 5 Jun 2020"
    rf"|{_JOB_TITLE}\b)"
)
_LEAD = "-–—•| \t"
_TRAIL = "|,;-–— \t"  # "by James Dyer |", "by Kalai Chik,"

_ARTICLE = (
    r"(?:reviews?|articles?|piece|story|recap|report|interview|profile|column|write-?up|feature|post|blog|chat"
    r"|coverage|op-?ed|explainer)"
)
_JOURNALIST = r"(?:writer|journalist|reporter|critic|author|editor|reviewer|columnist|byline)"
ASKS_AUTHOR = re.compile(
    rf"\bwho\b.*\b(?:wrote|write|writes|written|penned|authored|did|conducted|covered|reported)\b.*\b{_ARTICLE}\b"
    rf"|\bwho\s+(?:reviewed|interviewed)\b"
    rf"|\b{_ARTICLE}\s+{_JOURNALIST}\b"
    rf"|\b(?:which|what)\s+{_JOURNALIST}\b"
    rf"|\b{_JOURNALIST}\s+of\s+(?:the|that|this)\b.*\b{_ARTICLE}\b",
    re.IGNORECASE,
)
# what the question says of the article's kind, which tells no article apart ("review" is in many headlines)
KIND_WORDS = "review reviews article piece story recap report interview profile column feature post blog chat"
COMMON_TITLE_SHARE = 1 / 3  # a headline word in more of the headlines than this (the show's name) tells none apart


def find_byline(text: str) -> tuple[int, int] | None:
    """The span of ``text``'s byline (leading dash or bullet left out), or None: the first of its first
    ``BYLINE_LINES`` non-empty lines that reads as one, or that is a name alone over a date or a job title."""
    lines = []  # (start, line) of the first non-empty lines
    start = 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            lines.append((start, line))
            if len(lines) > BYLINE_LINES:
                break
        start += len(line)
    for n, (start, line) in enumerate(lines[:BYLINE_LINES]):
        bare = line.strip()
        under = lines[n + 1][1].strip() if n + 1 < len(lines) else ""
        if BYLINE.match(bare) or (_NAME_ALONE.fullmatch(bare) and _UNDER_NAME.match(under)):
            lead = len(line) - len(line.lstrip(_LEAD))
            return start + lead, start + len(line.rstrip().rstrip(_TRAIL))
    return None


def asks_author(normalized: str) -> bool:
    """Whether a question (chat spelled out) asks who wrote, reviewed or interviewed for an article."""
    return bool(ASKS_AUTHOR.search(normalized))


def site_name(url: str | None) -> str:
    """The name a web address's site goes by: "https://www.slashfilm.com/123/" -> "slashfilm"."""
    host = urlsplit(url or "").hostname or ""
    labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
    if len(labels) >= 3 and labels[-2] in ("co", "com", "org", "net", "ac", "gov"):  # "bbc.co.uk"
        return labels[-3]
    return labels[-2] if len(labels) >= 2 else ""


@dataclass(frozen=True)
class ArticleNames:
    """What names each article for ``asked``: its headline's terms and its publisher's and web site's, read once
    for an index (a question asking for an author would otherwise read every article's again)."""

    titles: tuple[frozenset[str], ...]
    named: tuple[frozenset[str], ...]  # publisher and web site
    common: Counter  # how many headlines have each term
    kind_terms: frozenset[str]  # the terms of KIND_WORDS

    @classmethod
    def of(cls, articles: Sequence[Article], terms_of: Callable[[str], Sequence[str]]) -> ArticleNames:
        titles = tuple(frozenset(terms_of(a.source.title or "")) for a in articles)
        named = tuple(
            frozenset(terms_of(a.source.publisher or "")) | frozenset(terms_of(site_name(a.source.url)))
            for a in articles
        )
        common = Counter(t for title in titles for t in title)
        return cls(titles, named, common, frozenset(terms_of(KIND_WORDS)))

    def asked(self, terms: set[str]) -> int | None:
        """The one article a question's ``terms`` name, or None.

        Its publisher or web site counts three times a headline word. Headline words in a third of the
        headlines or more (the show's name) and words for the kind of article ("review") do not count; one
        headline word alone counts only when no other headline has it ("viceland review author"). Named by
        none of these, or tied with another, no article is meant.
        """
        common = self.common
        limit = max(1.0, COMMON_TITLE_SHARE * len(self.titles))
        terms = terms - self.kind_terms
        scores = []
        for title, named in zip(self.titles, self.named):
            told = {t for t in title & terms if common[t] < limit}
            by_name = len(terms & named)
            alone = len(told) == 1 and common[next(iter(told))] == 1
            scores.append(3 * by_name + len(told) if by_name or len(told) >= 2 or alone else 0)
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])
        if not ranked or scores[ranked[0]] == 0:
            return None
        if len(ranked) > 1 and scores[ranked[1]] == scores[ranked[0]]:
            return None
        return ranked[0]
