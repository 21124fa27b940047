"""Names and titles in text: people ("Lee Jae-Kyoo"), works ("All of Us Are Dead"), organisations.

One primitive, ``capitalised_runs``, finds runs of capitalised words that may be
joined by short lower-case connectors ("of", "the", "and", "de", ...). Everything
else is built on it:

- ``people``: runs of two to four name-like words without connectors;
- ``titles``: runs of two or more words (connectors allowed), and capitalised
  text in quotation marks;
- ``entity_words``: the normalised words of a sentence's multi-word names, for
  the corpus's list of named things;
- ``acronym``: the initials of a title ("tlou" for "The Last of Us").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from .english import STOPWORDS

# Lower-case words that may join the capitalised words of one name or title.
CONNECTORS = frozenset(
    [
        "of",
        "the",
        "and",
        "in",
        "on",
        "at",
        "to",
        "for",
        "a",
        "an",
        "de",
        "la",
        "del",
        "los",
        "las",
        "el",
        "le",
        "du",
        "des",
        "von",
        "van",
        "der",
        "da",
        "di",
        "y",
        "&",
    ]
)
# A capitalised word: "Lee", "Jae-Kyoo", "McAvoy", "O'Brien", "JQ", "MAPPA", "Disney+", "No.", "2" after a word.
_WORD = r"(?:[A-Z][\w’'&+.-]*[\w+]|[A-Z])"
_RUN_RE = re.compile(rf"{_WORD}(?:(?:\s+(?:(?:{'|'.join(sorted(CONNECTORS, key=len, reverse=True))})\s+)*){_WORD})*")
_NAME_PART = re.compile(
    r"^(?:[A-Z][a-z’']+(?:-[A-Za-z][a-z’']+)*|[A-Z]{1,3}\.?|[A-Z][a-z]*[A-Z][a-z]+|[A-Z]\.(?:[A-Z]\.)*)$"
)
QUOTED_RE = re.compile(r"[“\"‘]([A-Z0-9][^“”\"‘’\n]{1,80}?)[,.!?]?[”\"’](?!\w)")

# Capitalised words that begin no person's name: grammar words, calendar words, words of TV.
NOT_NAME = frozenset(
    [
        "the",
        "a",
        "an",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "in",
        "on",
        "at",
        "of",
        "for",
        "and",
        "but",
        "or",
        "as",
        "after",
        "before",
        "when",
        "while",
        "where",
        "what",
        "who",
        "why",
        "how",
        "which",
        "with",
        "from",
        "by",
        "to",
        "if",
        "so",
        "then",
        "also",
        "however",
        "meanwhile",
        "according",
        "although",
        "though",
        "despite",
        "during",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "season",
        "seasons",
        "episode",
        "episodes",
        "series",
        "part",
        "chapter",
        "volume",
        "vol",
        "show",
        "shows",
        "film",
        "movie",
        "drama",
        "series",
        "top",
        "daily",
        "global",
        "weekly",
        "netflix",
        "hulu",
        "disney",
        "apple",
        "amazon",
        "prime",
        "hbo",
        "max",
        "peacock",
        "paramount",
        "bbc",
        "itv",
        "channel",
        "studio",
        "studios",
        "emmy",
        "emmys",
        "golden",
        "globe",
        "globes",
        "oscar",
        "oscars",
        "award",
        "awards",
        "north",
        "south",
        "east",
        "west",
        "new",
        "old",
        "great",
        "big",
        "little",
        "best",
        "official",
        "read",
        "watch",
        "click",
        "share",
        "follow",
        "sign",
        "subscribe",
        "here",
        "there",
        "today",
        "tomorrow",
        "yesterday",
        "tonight",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "king",
        "queen",
        "prince",
        "princess",
        "president",
        "director",
        "creator",
        "writer",
        "producer",
        "actor",
        "actress",
        "star",
        "stars",
        "cast",
        "character",
        "characters",
    ]
)
# Last words of the names of organisations and places, not of people.
INSTITUTION_WORDS = frozenset(
    [
        "industries",
        "studios",
        "studio",
        "pictures",
        "entertainment",
        "productions",
        "production",
        "media",
        "films",
        "company",
        "corporation",
        "corp",
        "networks",
        "network",
        "group",
        "broadcasting",
        "inc",
        "ltd",
        "llc",
        "records",
        "games",
        "television",
        "tv",
        "channel",
        "news",
        "times",
        "post",
        "magazine",
        "awards",
        "award",
        "festival",
        "hotel",
        "school",
        "university",
        "college",
        "academy",
        "street",
        "road",
        "avenue",
        "center",
        "centre",
        "theatre",
        "theater",
        "museum",
        "club",
        "league",
        "association",
        "foundation",
        "institute",
        "council",
        "committee",
        "department",
        "agency",
        "bank",
        "city",
        "county",
        "state",
        "republic",
        "kingdom",
        "island",
        "islands",
        "mountains",
        "river",
        "lake",
        "beach",
        "airport",
        "station",
        "tower",
        "bridge",
        "church",
        "palace",
        "castle",
        "gardens",
        "square",
        "market",
        "mall",
        "prison",
        "hospital",
        "restaurant",
        "cafe",
        "bar",
        "hq",
        "office",
    ]
)
# Nationality and language adjectives are capitalised but name no one.
DEMONYMS = frozenset(
    [
        "american",
        "british",
        "english",
        "scottish",
        "welsh",
        "irish",
        "canadian",
        "australian",
        "korean",
        "japanese",
        "chinese",
        "spanish",
        "mexican",
        "french",
        "german",
        "italian",
        "indian",
        "brazilian",
        "swedish",
        "danish",
        "norwegian",
        "finnish",
        "dutch",
        "belgian",
        "russian",
        "polish",
        "turkish",
        "thai",
        "filipino",
        "vietnamese",
        "indonesian",
        "nigerian",
        "african",
        "european",
        "asian",
        "latin",
        "hispanic",
        "argentine",
        "argentinian",
        "colombian",
        "chilean",
        "peruvian",
        "portuguese",
        "greek",
        "israeli",
        "egyptian",
    ]
)


class Run(NamedTuple):
    """A run of capitalised words: ``text[start:end]`` and its words as written."""

    start: int
    end: int
    words: tuple[str, ...]

    @property
    def has_connector(self) -> bool:
        return any(w.casefold() in CONNECTORS for w in self.words)


def capitalised_runs(text: str) -> Iterator[Run]:
    """Runs of capitalised words, joined by connectors when a capitalised word follows them."""
    for match in _RUN_RE.finditer(text):
        yield Run(match.start(), match.end(), tuple(match.group().split()))


def _at_sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \"'“‘(")
    return not before or before[-1] in ".!?:\n"


def _name_like(part: list[str]) -> bool:
    if not 2 <= len(part) <= 4 or part[-1].casefold() in INSTITUTION_WORDS:
        return False
    for w in part:
        key = w.casefold().rstrip(".")
        if key in NOT_NAME or key in DEMONYMS or key in STOPWORDS or not _NAME_PART.match(w.rstrip("’'s")):
            return False
    return True


def people(text: str, runs: Iterable[Run] | None = None) -> list[tuple[int, int]]:
    """Spans that look like people's names: "Lee Jae-Kyoo", "Ben Stiller", "Lee JQ".

    ``runs``: the text's ``capitalised_runs``, when already found.
    """
    out = []
    for run in capitalised_runs(text) if runs is None else runs:
        if len(run.words) < 2:
            continue  # a name has two to four words
        words = list(run.words)
        if words[0] in ("The", "A", "An") and not _at_sentence_start(text, run.start):
            continue  # "The Legendary Police Woman" names a work
        if any(w in ("of", "the", "a", "an", "in", "on", "at", "to", "for") for w in words):
            continue  # "Parks and Recreation" is fine to split, "Lord of the Rings" is a title
        pos = run.start
        spans = []
        for w in words:
            a = text.index(w, pos)
            spans.append((a, a + len(w)))
            pos = a + len(w)
        # "Director Lee JQ", "Actor Jeremy Allen White": leading words that name no one are dropped
        i = 0
        while i < len(words) and (words[i].casefold().rstrip(".") in NOT_NAME or words[i].casefold() in DEMONYMS):
            i += 1
        part: list[int] = []
        for j in range(i, len(words) + 1):
            if j == len(words) or words[j].casefold() in CONNECTORS:
                if part and _name_like([words[k] for k in part]):
                    out.append((spans[part[0]][0], spans[part[-1]][1]))
                part = []
            else:
                part.append(j)
    return out


def known_people(text: str, person_words: frozenset[str]) -> list[tuple[int, int]]:
    """Single capitalised words that the articles use elsewhere in a person's full name ("Storer", "Carmy")."""
    out = []
    for match in re.finditer(r"\b[A-Z][a-z’'-]+\b", text):
        key = match.group().casefold().rstrip("’'")
        if key in person_words and key not in NOT_NAME and key not in STOPWORDS:
            out.append(match.span())
    return out


def _split_at(words: list[str], cuts: frozenset[str]) -> list[list[str]]:
    """The runs of ``words`` between the ones in ``cuts`` (case aside), empty runs left out."""
    parts: list[list[str]] = [[]]
    for w in words:
        if w.casefold() in cuts:
            parts.append([])
        else:
            parts[-1].append(w)
    return [p for p in parts if p]


def titles(text: str) -> list[tuple[int, int]]:
    """Spans that look like names of works or things: multi-word capitalised runs and quoted titles."""
    out = [m.span(1) for m in QUOTED_RE.finditer(text)]
    for run in capitalised_runs(text):
        if len(run.words) >= 2 and not (run.start == 0 and len(run.words) == 2 and run.words[0].casefold() in NOT_NAME):
            out.append((run.start, run.end))
    return out


def _words(text: str, normalize: Callable[[str], str]) -> list[str]:
    return [normalize(w) for w in re.findall(r"[^\W_]+(?:[-‐‑–][^\W_]+)*", text)]


def entity_words(
    sentence: str, normalize: Callable[[str], str], runs: Iterable[Run] | None = None
) -> list[tuple[str, ...]]:
    """Multi-word names of a sentence as normalised words ("squid", "game"), leading articles dropped.

    A run that starts the sentence may or may not include its first word ("Director Lee JQ",
    "All of Us Are Dead"): both readings are kept. Names joined by "and" are also kept apart, and
    so are names that a possessive joins ("Netflix's Stranger Things": "stranger things" too).
    """
    out: list[tuple[str, ...]] = []
    for run in capitalised_runs(sentence) if runs is None else runs:
        if len(run.words) == 1 and run.words[0].isalpha():
            continue  # one plain word names nothing here
        parts = _possessive_parts(run.words) if any(w.endswith(_POSSESSIVE) for w in run.words) else [run.words]
        words = _words(" ".join(w for part in parts for w in part), normalize)
        readings = [words]
        if len(parts) > 1:  # "Netflix's Stranger Things": "stranger things" is a name of its own
            readings += [_words(" ".join(part), normalize) for part in parts]
        if _at_sentence_start(sentence, run.start) and len(words) > 2:
            readings.append(words[1:])
        if "and" in words:
            readings += [piece for reading in readings if "and" in reading for piece in _split_at(reading, _AND)]
        if len(readings) == 1:
            if len(name := _trimmed(words)) >= 2:
                out.append(name)
            continue
        kept: set[tuple[str, ...]] = set()
        for reading in readings:
            name = _trimmed(reading)
            if len(name) >= 2 and name not in kept:
                kept.add(name)
                out.append(name)
    for match in QUOTED_RE.finditer(sentence):
        words = _words(match.group(1), normalize)
        if 1 <= len(words) <= 8:
            out.append(tuple(words))
    return out


def _trimmed(words: list[str]) -> tuple[str, ...]:
    """A name's words without leading articles and connectors, or trailing connectors."""
    while words and (words[0] in ("the", "a", "an") or words[0] in CONNECTORS):
        words = words[1:]
    while words and words[-1] in CONNECTORS:
        words = words[:-1]
    return tuple(words)


_AND = frozenset({"and"})  # "Ant and Dec": each name apart too
_POSSESSIVE = ("'s", "’s")


def strip_possessive(word: str) -> str:
    """``word`` without its possessive "'s": "mikey's" -> "mikey"."""
    return word[:-2] if word.endswith(_POSSESSIVE) else word


def _possessive_parts(words: tuple[str, ...]) -> list[list[str]]:
    """A run's words cut after each possessive, its "'s" dropped: "Netflix's Stranger Things" -> Netflix | Stranger Things.

    "It's" and "HBO's" are then one word, which names nothing ("it s" is no name).
    """
    parts: list[list[str]] = [[]]
    for w in words:
        bare = strip_possessive(w)
        parts[-1].append(bare)
        if bare != w:
            parts.append([])
    return [p for p in parts if p]


_VOWELS = frozenset("aeiouy")


def syllable_acronyms(words: tuple[str, ...], skippable: frozenset[str]) -> set[str]:
    """Initials with one more letter from inside a word, where a syllable starts ("jjk": "jujutsu kaisen").

    Fans shorten titles so too ("rpdr": "rupaul drag race"). The letter is a consonant after a vowel,
    written right after its word's initial; words in ``skippable`` ("of", "the") may give no letter.
    """
    plain, extra = {""}, set()  # keys without the added letter, and with it
    for w in words:
        inner = {c for i, c in enumerate(w[1:], 1) if c.isalpha() and c not in _VOWELS and w[i - 1] in _VOWELS}
        skipped = (plain, extra) if w in skippable else (set(), set())
        extra = {k + w[0] + c for k in plain for c in inner} | {k + w[0] for k in extra} | skipped[1]
        plain = {k + w[0] for k in plain} | skipped[0]
    return extra


def acronym(words: Iterable[str]) -> str:
    """Initials of a title's words, hyphenated parts included: "all of us are dead" -> "aouad"."""
    return "".join(part[0] for w in words for part in re.split(r"[-‐‑–]", w) if part and part[0].isalnum())
