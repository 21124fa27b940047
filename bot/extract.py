"""The article in a web page: its main text and metadata, by trafilatura (imported only when used)."""

from __future__ import annotations

import re
from dataclasses import dataclass

MIN_ARTICLE_CHARS = 200  # less body text than this is a listing, a login wall or an error page, not an article


class ExtractError(Exception):
    """The page holds no article text; the message says so in one line."""


@dataclass(frozen=True)
class Extracted:
    title: str
    text: str  # the title line, then the paragraphs, blank-line separated
    publisher: str | None = None
    url: str | None = None  # the canonical address when the page gives one
    published: str | None = None  # YYYY-MM-DD


def _http_url(value: str | None) -> str | None:
    return value if value and re.match(r"https?://[^\s/]+", value) else None


def _decode(body: bytes | str, charset: str | None) -> bytes | str:
    if isinstance(body, str) or not charset:
        return body  # trafilatura detects the encoding of bytes itself
    try:
        return body.decode(charset)
    except (LookupError, UnicodeDecodeError):
        return body


def extract(body: bytes | str, url: str | None = None, charset: str | None = None) -> Extracted:
    """The main text of an article page without navigation, ads, related links or comments."""
    import trafilatura  # ~0.3 s to import: only the commands that add pages pay for it

    doc = trafilatura.bare_extraction(
        _decode(body, charset),
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    if doc is None:
        raise ExtractError("no article text found on the page")
    meta = doc.as_dict()
    lines = [" ".join(line.split()) for line in (meta.get("text") or "").splitlines()]
    paragraphs = [line for line in lines if line]
    title = " ".join((meta.get("title") or "").split())
    if paragraphs and title and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    if sum(len(p) for p in paragraphs) < MIN_ARTICLE_CHARS:
        raise ExtractError("no article text found on the page")
    title = title or paragraphs[0][:200]
    published = meta.get("date") or None
    return Extracted(
        title=title,
        text="\n\n".join([title, *paragraphs]) + "\n",
        publisher=" ".join((meta.get("sitename") or "").split()) or None,
        url=_http_url(meta.get("url")) or _http_url(url),
        published=published if published and re.fullmatch(r"\d{4}-\d{2}-\d{2}", published) else None,
    )
