"""Split a line of article text into sentences, as character spans.

A line break always ends a sentence (a heading is never glued to the next
sentence). Inside a line, ``.``, ``!``, ``?`` or ``…`` (with any closing quotes
or brackets after it) ends a sentence when whitespace and then a capital, a
digit or an opening quote follow, except:

- after a title or other abbreviation ("Dr. Lee", "Prof.", "vs."),
- after "No." or a month ("Jan.", "Feb.") when a number follows ("No. 1", "Jan. 28"),
- after an initialism ("U.S.", "J. K.") unless a word that usually starts a
  sentence follows ("in the U.S. The show ..."),
- inside parentheses.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "vs",
        "gen",
        "gov",
        "sen",
        "rep",
        "lt",
        "col",
        "capt",
        "sgt",
        "rev",
        "fig",
        "vol",
        "ep",
        "approx",
        "dept",
        "est",
        "inc",
        "ltd",
        "co",
        "corp",
        "e.g",
        "i.e",
        "cf",
        "al",
    ]
)
# Abbreviations that only bind to a following number: "No. 1", "Jan. 28".
NUMBER_ABBREVIATIONS = frozenset(
    ["no", "nos", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "p", "pp"]
)
SENTENCE_STARTERS = frozenset(
    [
        "the",
        "a",
        "an",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "he",
        "she",
        "they",
        "we",
        "i",
        "in",
        "on",
        "at",
        "but",
        "and",
        "so",
        "however",
        "meanwhile",
        "after",
        "before",
        "when",
        "while",
        "according",
        "there",
        "here",
    ]
)

_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_OPENERS = "\"'“‘([«"
_WORD_BEFORE = re.compile(r"([\w.]+)\.$")


def _is_boundary(line: str, end: int) -> bool:
    """Whether the punctuation run ending at ``end`` closes a sentence."""
    rest = line[end:].lstrip()
    if not rest:
        return True
    nxt = rest[0]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    head = line[:end]
    if head.count("(") > head.count(")"):
        return False
    stripped = head.rstrip("\"'”’)]")
    if not stripped.endswith("."):
        return True  # ! ? … end a sentence whatever comes before
    match = _WORD_BEFORE.search(stripped[-40:])
    if not match:
        return True
    word = match.group(1).casefold()
    last = word.rsplit(".", 1)[-1]
    next_word = re.match(r"[\w’']+", rest)
    next_word = next_word.group(0).casefold() if next_word else ""
    if last in NUMBER_ABBREVIATIONS and nxt.isdigit():
        return False
    if word in ABBREVIATIONS or last in ABBREVIATIONS:
        return False
    if len(last) == 1 and last.isalpha():  # initialism: U.S., J. K.
        return next_word in SENTENCE_STARTERS
    return True


def split_sentences(line: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``line`` (one line, no line breaks), shifted by ``offset``."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(line):
        if _is_boundary(line, match.end()):
            spans.append((start, match.end()))
            start = match.end()
    spans.append((start, len(line)))
    out = []
    for a, b in spans:
        while a < b and line[a].isspace():
            a += 1
        while b > a and line[b - 1].isspace():
            b -= 1
        if a < b:
            out.append((a + offset, b + offset))
    return out
