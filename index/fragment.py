"""Links that scroll to and highlight a quote: URL Fragment Text Directives.

``https://example.com/a#:~:text=start,end`` makes a browser find the first
passage that begins with ``start`` and ends with ``end``. Long quotes use the
first and last few words; short ones are given whole. ``-``, ``,`` and ``&``
carry meaning in the directive, so they are percent-encoded like everything
that is not a plain ASCII letter or digit.
"""

from __future__ import annotations

import re
from urllib.parse import quote as _percent

WHOLE_QUOTE_WORDS = 8
EDGE_WORDS = 4


def _encode(text: str) -> str:
    return _percent(text, safe="").replace("-", "%2D").replace(".", "%2E").replace("_", "%5F").replace("~", "%7E")


def text_directive(quote: str) -> str:
    """The ``text=`` directive (without ``#:~:``) that selects ``quote``."""
    words = re.sub(r"\s+", " ", quote).strip().split(" ")
    if len(words) <= WHOLE_QUOTE_WORDS:
        return "text=" + _encode(" ".join(words))
    start = " ".join(words[:EDGE_WORDS])
    end = " ".join(words[-EDGE_WORDS:])
    return f"text={_encode(start)},{_encode(end)}"


def fragment_link(url: str | None, quote: str) -> str | None:
    """``url`` with a text fragment selecting ``quote``; None without a url."""
    if not url:
        return None
    base = url.split("#", 1)[0]
    return f"{base}#:~:{text_directive(quote)}"
