"""Split a line of article text into sentences, as character spans.

A line break always ends a sentence (a heading is never glued to the next
sentence), except inside the lines that clean.py joins back because the text
was wrapped by hand. Inside a line, ``.``, ``!``, ``?`` or ``…`` (with any closing quotes
or brackets after it) ends a sentence when whitespace and then a capital, a
digit or an opening quote follow, except:

- after a title or other abbreviation ("Dr. Lee", "Prof.", "vs."),
- after "No." or a month ("Jan.", "Feb.") when a number follows ("No. 1", "Jan. 28"),
- after an initialism ("U.S.", "J. K.") or a company's ending ("Warner Bros.", "Inc.")
  unless a word that usually starts a sentence follows ("in the U.S. The show ..."),
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
        "ft",  # "by Sachin-Jigar ft. Shreya Ghoshal"
        "excl",  # "Billboard Global Excl. U.S."
        "incl",
        "e.g",
        "i.e",
        "cf",
        "al",
    ]
)
# Company endings, which often end a sentence too: "Warner Bros. Television", but "by Warner Bros. The show"
COMPANY_ABBREVIATIONS = frozenset(["inc", "ltd", "co", "corp", "bros"])
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
_SPACES = re.compile(r"\s*")
_NEXT_WORD = re.compile(r"[\w’']+")
_CLOSERS = frozenset("\"'”’)]")


def _is_boundary(line: str, end: int) -> bool:
    """Whether the punctuation run ending at ``end`` closes a sentence."""
    at = _SPACES.match(line, end).end()  # the rest of the line, whitespace skipped
    if at == len(line):
        return True
    nxt = line[at]
    if not (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS):
        return False
    if line.count("(", 0, end) > line.count(")", 0, end):
        return False
    cut = end  # the head of the line without closing quotes and brackets
    while cut and line[cut - 1] in _CLOSERS:
        cut -= 1
    if not cut or line[cut - 1] != ".":
        return True  # ! ? … end a sentence whatever comes before
    match = _WORD_BEFORE.search(line[max(0, cut - 40) : cut])
    if not match:
        return True
    word = match.group(1).casefold()
    last = word.rsplit(".", 1)[-1]
    next_word = _NEXT_WORD.match(line, at)
    next_word = next_word.group(0).casefold() if next_word else ""
    if last in NUMBER_ABBREVIATIONS and nxt.isdigit():
        return False
    if word in ABBREVIATIONS or last in ABBREVIATIONS:
        return False
    if (len(last) == 1 and last.isalpha()) or last in COMPANY_ABBREVIATIONS:  # initialism: U.S., J. K.
        return next_word in SENTENCE_STARTERS
    return True


def split_sentences(line: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentence spans of ``line`` (one line, or lines clean.py joined back), shifted by ``offset``."""
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


def opens_quotation(text: str) -> bool:
    """Whether ``text`` opens a quotation it does not close: ``He said, "We will be back.``"""
    curly = text.count("“") - text.count("”")
    if curly:
        return curly > 0
    last = text.rfind('"')
    return text.count('"') % 2 == 1 and last + 1 < len(text) and not text[last + 1].isspace()


def closes_quotation(text: str) -> bool:
    """Whether ``text`` closes a quotation it did not open: ``We promise," she said.``"""
    curly = text.count("”") - text.count("“")
    if curly:
        return curly > 0
    first = text.find('"')
    return text.count('"') % 2 == 1 and first > 0 and not text[first - 1].isspace()
