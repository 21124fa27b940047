"""Find the lines of a captured web page that are the article itself.

Captured pages carry newsletter prompts, paywalls, donation appeals, comment
boxes, cross-links, bylines and image captions. These general rules drop them:

1. A footer marker ("Leave a Reply", "Support our Journalism", "Comments",
   "Quick Links", ...) ends the article: it and everything after it go. Near
   the top (fewer than ``EARLY_FOOTER_WORDS`` words of article above it), one
   followed by a paragraph of article text is a widget inside the page ("Related
   Stories" between a news page's paragraphs): only its own line goes.
2. A line that starts like or says what boilerplate does (``is_boilerplate``) goes:
   share and follow prompts, "For more, check out ...", embedded tweets, author bios,
   comment headers and pingbacks, newsletter and paywall prompts, image credits.
3. A line that occurs more than once in the article (captions, repeated
   headlines) goes; of a long repeated paragraph the first copy stays.
4. A short line with no sentence-ending punctuation (a heading, a caption,
   "Videos", "Vote Sponsor") goes, unless it is a line of a list or a fact box
   ("Richard Gadd as Donny Dunn", "Director: Jane Doe", "Episodes: 26 | TV-MA",
   "2. Wednesday") or one written as a sentence (``reads_as_sentence``: eight
   words or more, mostly lower case, as a standfirst or a sentence-case
   headline is). When such a line holds whole sentences before its unended
   tail ("… came to Minneapolis," she said. "They went to"), those sentences
   stay and the tail goes; the article's last line stays whole when it has
   ``CUT_OFF_WORDS`` or more (a paragraph the capture cut off: captured pages
   often stop mid-sentence).

Text wrapped by hand (a plain-text capture that breaks every line at 70
characters) is first joined back: a line cut mid-sentence and the line right
under it that goes on in lower case (or after a comma) are one line, so its
pieces are not dropped as headings.

What stays is returned as character spans of the original text, so anything
quoted from it is a verbatim substring of the article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .sentences import split_sentences

_FOOTER = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment)
      | be\ the\ first\ (?:one\ )?to\ comment
      | comments?
      | quick\ links
      | support\ our\ journalism.*
      | support\ [\w.]+
      | related\ (?:articles?|stories|posts)\s*:?.*
      | to\ post\ a\ comment.*
      | you\ may\ also\ like.*
      | about\ the\ author.*
      | join\ the\ (?:conversation|discussion).*
      | \d+\ (?:comments?|responses?|replies)
      | (?:comments|responses)\ \(\d+\)
      | pingbacks?.*
    )$""",
    re.IGNORECASE | re.VERBOSE,
)

# Lines that are never article content, whatever the site: how such a line starts ...
BOILERPLATE_START = re.compile(
    r"""(?:
        (?:also\ read|read\ also|read\ more|see\ also|related(?:\ article)?|recommended|more\ from\ [\w\s]{1,30}|trending)\s*[:|]
      | (?:edited|written|reported|compiled|updated)\ by\ [^.!?]{0,60}$
      | by:?\ .{0,60}$
      | (?:featured?\ )?(?:image|photo|picture)s?\ (?:via|by|from|credit)
      | (?:watch|see|check\ out)\ the\ (?:trailer|video|clip)s?\ (?:below|here|above)
      | (?:share|tweet|advertisement|sponsored|vote\ sponsor|videos|hide\ ad|story\ continues|more\ like\ this)\s*$
      | (?:share|post)\ (?:this|on)\b
      | (?:listen\ to\ this\ article|loading\ (?:audio|video)|type\ keywords?|license\ photo)
      | for\ more\b.{0,80}\b(?:check\ out|head\ to|visit|see|read|follow|sign\ up)\b
      | (?:follow|like)\ (?:us|@?\w+)\ on\ (?:twitter|x|facebook|instagram|tiktok|youtube|threads|bluesky)
      | pingback:
      | @\w+
      | [\w .'’-]{2,40}\ (?:says|said)\ :?\s*$
    )""",
    re.VERBOSE,
)
# ... or what it says anywhere (plain substrings of the case-folded line).
BOILERPLATE_PHRASES = (
    "enter your email",
    "unlock this article",
    "to your inbox",
    "newsletter",
    "existing user",
    "click login",
    "click here",
    "subscribe now",
    "subscribe today",
    "subscribe to our",
    "sign up for",
    "your email address will not be published",
    "required fields are marked",
    "let us know in the comments",
    "all rights reserved",
    "pic.twitter.com",
    "(image via",
    "(photo via",
    "(image by",
    "(photo by",
    "(image credit",
    "(photo credit",
    "(picture:",
    "(photo:",
    "(image:",
    "(credit:",
    "photo courtesy of",
    "| via ",
    "/getty images",
)
# An embedded tweet's signature line: "— Some Name (@handle) February 4, 2022"
_TWEET_SIGNATURE = re.compile(r"[—–-]\s*[^()]{1,60}\(@\w+\)\s+\w+\s+\d{1,2},\s+\d{4}\s*$")
# An author's bio: "Jane Doe is a staff writer at ...", "John is a freelance journalist who ..."; not a paragraph
# about the show's people ("Shinsuke Sato is a Japanese director and writer who ...": "and" goes to another job)
_AUTHOR_BIO = re.compile(
    r"^(?!(?:it|this|that|he|she|they|there|which|what|who)\b)"  # a name, not "It is a brave move by writer ..."
    r"[a-z][\w'’.-]*(?:\s+[a-z][\w'’.-]*){0,3}\s+(?:is|has\s+been)\s+an?\s+(?:(?!and\b)[\w-]+\s+){0,3}"
    r"(?:writer|editor|journalist|reporter|contributor|columnist|critic|freelancer|blogger)\b"
    r"(?=.*\b(?:for|at|with|who|covering|based)\b)"
)
# A line of a list or a fact box, short yet article content: a cast list's "Richard Gadd as Donny Dunn",
# "Ayo Edebiri – Sydney Adamu", "Nezuko: Abby Trott"; a soundtrack's "Nena – “Irgendwie, Irgendwo”",
# "Dead or Alive – “You Spin Me Round”"; an episode list's "Episode 4 — March 9"; a dub cast's
# "Lee George (Appare in APPARE-RANMAN!) as Gagamaru"; credits ("Music by Taro Iwashiro", "Starring David Tennant,
# ...", not a byline's "By Jane Doe" or "Story by ..."); a line-up's "Laura, 34 – finance manager, Hampshire"; the
# speaker of a press release's quote ("Karl Warner, Head of Youth and Digital:", the quote below);
# "Director: Jane Doe", "Episodes: 26 – Studio: X", "Half-hour dramedy (8 episodes) | TV-MA".
_NAME = r"[A-Z][\w'’.-]+(?:/[A-Z][\w'’.-]+)*"  # "Maaya Sakamoto/Alexis Tipton": a Japanese and an English voice
_BYLINE_WORDS = (  # who wrote or pictured the page, or whose widget it is: not a credit of the show
    r"(?i:by|story|review|written|words|posted|published|interview|photos?|photograph|photography|images?|text"
    r"|edited|videos?|source|powered|delivered|sponsored|brought|supported)"
)
FIELD_LINE = re.compile(
    r"""^(?P<label>[A-Z0-9"“‘'][^:|–—]{0,60}?)\s*(?::|\|)\s*(?!//)\S"""
    rf"""|^{_NAME}(?:\s+(?:{_NAME}|\d{{1,3}}|&|and|or|of|the|\([^()]{{1,40}}\))){{0,5}}\s+(?:as|–|—|-)\s+["“‘'A-Z0-9]"""
    rf"""|^(?!{_BYLINE_WORDS}\s)(?:[A-Z][\w'’-]*\s+){{1,3}}by\s+[A-Z]"""  # a credit: "Music by Taro Iwashiro"
    r"""|^Starring\s+[A-Z]"""
    rf"""|^{_NAME}(?:\s+{_NAME}){{0,2}},\s*\d{{1,3}}\s*(?:–|—|-|,)\s*\w"""  # a line-up's "Terence, 40 – youth worker/DJ"
    rf"""|^{_NAME}(?:\s+{_NAME}){{1,3}},\s+[A-Z][^:.!?]{{2,60}}:$"""  # the speaker of a quote: "Karl Warner, Head of Youth:"
)
# Labels of page furniture that looks like a fact box's line ("Photo: Netflix", "Tags: drama").
_FURNITURE_LABEL = re.compile(
    r"(?:photos?|images?|pictures?|pics?|credits?|sources?|tags?|topics?|categor(?:y|ies)|filed\s+under|posted"
    r"|published|updated|by|authors?|share|follow|watch|read|listen|also\s+read|read\s+more|advertisement"
    r"|trending|subscribe|e-?mail|comments?|caption|via|copyright|twitter|x|instagram|facebook|tiktok|youtube)",
    re.IGNORECASE,
)

_CLOCK = re.compile(r"\d:\d")  # "09:31", "8:55:57 pm": a time stamp, not a label
_BULLETS = "•·-–—*▪●"
_NUMBERED = re.compile(r"\s*\d{1,2}[.)]\s+\S")  # "2. Wednesday", "1) Best Opening Sequence - ..."


def _unbulleted(line: str) -> str:
    """The line without surrounding spaces and a leading bullet ("• Kaiji Tang as Satoru Gojo")."""
    line = line.strip()
    if line[:1] in _BULLETS and line[1:2].isspace():
        line = line[1:].lstrip()
    return line


def is_field_line(line: str) -> bool:
    """Whether a short line without a full stop is a line of a list or fact box (kept) rather than a heading.

    Spaces and a leading bullet aside ("• Kaiji Tang as Satoru Gojo").
    """
    line = _unbulleted(line)
    if _NUMBERED.match(line):
        return True
    m = FIELD_LINE.match(line)
    if not m or _CLOCK.search(line, 0, m.end() + 1):
        return False
    return not (m.group("label") and _FURNITURE_LABEL.fullmatch(m.group("label").strip()))


def is_boilerplate(key: str) -> bool:
    """Whether a normalised (case-folded) line is site furniture rather than article text."""
    return bool(
        BOILERPLATE_START.match(key) or ("(@" in key and _TWEET_SIGNATURE.search(key)) or _AUTHOR_BIO.match(key)
    ) or any(map(key.__contains__, BOILERPLATE_PHRASES))


# A page capture's leading metadata: an ISO date, possibly labelled, before the first sentence
# (" date 2022-02-04 Netflix released ...", "2024-06-10 | ...").
_LEADING_META = re.compile(r"^\s*(?:(?:date|published|updated)\s*:?\s*)?\d{4}-\d{2}-\d{2}\s*[|·•-]?\s+", re.IGNORECASE)

_SENTENCE_END = re.compile(r"""[.!?…]["'”’)\]]*\s*$""")
SHORT_LINE_WORDS = 25
CUT_OFF_WORDS = 8  # the last line this long, stopped mid-sentence, is a paragraph the capture cut off
LONG_PARAGRAPH_WORDS = 20


@dataclass(frozen=True)
class Line:
    """A kept line of an article: ``text[start:end]`` of the original."""

    start: int
    end: int


_WORDS = re.compile(r"[^\W\d_][\w'’-]*")
_SHORT_LAST_WORDS = frozenset(["up", "it", "us", "me", "go", "do", "so", "on", "in"])
SENTENCE_LINE_WORDS = 8  # an unended line this long, written in sentence case, is a sentence (a standfirst)


def reads_as_sentence(line: str) -> bool:
    """Whether a line without a full stop is written like a sentence rather than a headline: at least
    ``SENTENCE_LINE_WORDS`` words, and most words after the first in lower case ("The actor has been
    nominated for the award seven times since the drama began in 2007", a standfirst or a sentence-case
    headline). Title-case headings ("Mad Men Costume Designer Janie Bryant on the End of an Era"), captions
    of names and lists stay headings, and so does a line that ends on a comma or a cut word."""
    words = _WORDS.findall(line)
    if len(words) < SENTENCE_LINE_WORDS or line.rstrip().endswith(","):
        return False
    last = line.split()[-1]
    if len(last) <= 2 and last.islower() and last not in _SHORT_LAST_WORDS:
        return False  # a line the capture cut mid-word ("Studio Ufotable went all out on it, cr")
    lower = sum(w[0].islower() for w in words[1:])
    return lower * 2 > len(words) - 1


def _ends_sentence(line: str) -> bool:
    """``_SENTENCE_END.search(line)``, without a regex search from every position of a long line."""
    return _ends_with(line, _ENDERS)


def _ends_with(line: str, marks: str | tuple[str, ...]) -> bool:
    """Whether ``line`` ends with one of ``marks``, closing quotes and brackets after it aside."""
    return line.rstrip().rstrip(_CLOSERS).endswith(marks)


_CLOSERS = "\"'”’)]"
_ENDERS = (".", "!", "?", "…")


def _whole_sentences(line: str) -> int:
    """How much of ``line`` is whole sentences: up to the end of the last one that ends (0 if none does)."""
    ended = [end for _, end in split_sentences(line) if _ends_sentence(line[:end])]
    return ended[-1] if ended else 0


def _norm(line: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", line).split()).casefold()


def _spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        spans.append((pos, pos + len(body)))
        pos += len(raw)
    return spans


WRAPPED_LINES = 3  # lines going on in lower case under a cut one: this many, and the text was wrapped by hand


def _unwrapped(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` with each run of lines wrapped by hand made one span.

    A text is taken as wrapped by hand when ``WRAPPED_LINES`` of its lines stop mid-sentence and
    the next goes on in lower case (a lone heading above a lower-case line is not enough); then a
    line cut mid-sentence joins the next when that starts in lower case or the cut is at a comma.
    """
    lines = [text[start:end] for start, end in spans]

    def cut(i: int) -> bool:
        """Whether line ``i`` stops mid-sentence above a line of text (no heading, list line, time or footer)."""
        line, below = lines[i], lines[i + 1]
        if not line.strip() or not below.strip() or _ends_sentence(line) or _CLOCK.search(line):
            return False
        keys = (_norm(line), _norm(below))
        return not any(_FOOTER.match(k) or is_boilerplate(k) for k in keys) and not is_field_line(line)

    lower = [lines[i + 1].lstrip()[:1].islower() and cut(i) for i in range(len(lines) - 1)]
    if sum(lower) < WRAPPED_LINES:
        return spans
    out = [spans[0]]
    for i, (start, end) in enumerate(spans[1:], 1):
        if lower[i - 1] or (_ends_with(lines[i - 1], ",") and cut(i - 1)):
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


EARLY_FOOTER_WORDS = 150  # a footer marker with fewer words of article above it may be a widget inside the page
LOOK_AHEAD_LINES = 6


def _article_goes_on(text: str, below: list[tuple[int, int]]) -> bool:
    """Whether the first paragraph under a footer marker, headings and furniture aside, is article text: a
    long line that ends a sentence, within ``LOOK_AHEAD_LINES`` lines. A list of related links, a comment
    form or a comment ("Great show!") is not."""
    for start, end in below[:LOOK_AHEAD_LINES]:
        line = text[start:end]
        key = _norm(line)
        if not key:
            continue
        if is_boilerplate(key) or (len(key.split()) < SHORT_LINE_WORDS and not _ends_sentence(line)):
            continue
        return len(key.split()) >= LONG_PARAGRAPH_WORDS and _ends_sentence(line)
    return False


def content_lines(text: str) -> list[Line]:
    """The spans of ``text`` that are article content, in order."""
    spans = _unwrapped(text, _spans(text))
    keys = [_norm(text[start:end]) for start, end in spans]
    counts: dict[str, int] = {}
    for key in keys:
        if key:
            counts[key] = counts.get(key, 0) + 1
    kept: list[Line] = []
    kept_words = 0
    seen: set[str] = set()
    last = max((i for i, key in enumerate(keys) if key), default=-1)
    for i, ((start, end), key) in enumerate(zip(spans, keys)):
        line = text[start:end]
        if not key:
            continue
        if _FOOTER.match(key):
            if kept_words < EARLY_FOOTER_WORDS and _article_goes_on(text, spans[i + 1 :]):
                continue  # "Related Stories" between a page's first paragraphs, "Comments" under its headline
            break
        if is_boilerplate(key):
            continue
        words = len(key.split())
        if counts[key] > 1 and (words < LONG_PARAGRAPH_WORDS or key in seen):
            continue
        seen.add(key)
        cut_off = i == last and words >= CUT_OFF_WORDS
        if words < SHORT_LINE_WORDS and not _ends_sentence(line) and not is_field_line(line) and not cut_off:
            whole = _whole_sentences(line)
            if whole:
                end = start + whole
            elif not reads_as_sentence(line):
                continue
        meta = _LEADING_META.match(line)
        if meta:
            start += meta.end()
        # trim surrounding whitespace and bullets so spans start on a word
        while start < end and (
            text[start].isspace() or (text[start] in _BULLETS and text[start + 1 : start + 2].isspace())
        ):
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            kept.append(Line(start, end))
            kept_words += len(text[start:end].split())
    return kept
