"""Text -> search terms: normalised, case-folded, stemmed, stopwords dropped.

- Unicode is NFKC-normalised, accents are dropped and case is folded.
- Numbers stay whole ("124.79", "2009"; "1,000" becomes "1000").
- A hyphenated word gives its parts and the joined word, so "Jae-Kyoo",
  "jae kyoo" and "jaekyoo" all meet.
- Irregular verb forms are mapped to the base form (wrote -> write), then
  Snowball (PyStemmer) stems.
- ``LEXICON`` folds the show-domain words that mean the same thing in a
  question and an article ("directed"/"director", "No. 1"/"top spot").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

STOPWORDS = frozenset(
    """a about after again against all also am an and any are aren as at be because been
    being between both but by can cannot could couldn did didn do does doesn doing
    don down during each else ever few for from further get gets go goes going gonna got had hadn has hasn have haven
    having he her here hers herself him himself his how i if in into is isn it its itself just let
    ll many me more most much mustn my myself no nor not now of off on once only or other ought our ours
    ourselves out over own re s same shan she should shouldn so some such t than that the their
    theirs them themselves then there these they this those through to too under until up us ve
    very was wasn we were weren what whatever when where whether which while who whom whose why
    will with won wouldn would you your yours yourself yourselves d m o y ma tell know anyone
    please hey hi hello thanks actually really exactly basically ever even just done
    anyway maybe probably kinda sorta lol pls plz thx whats whos wheres whens hows whys thats
    theres heres its im ive id youre dont doesnt didnt isnt wasnt arent werent cant wont hasnt havent""".split()
)

IRREGULAR = {
    "wrote": "write",
    "written": "write",
    "ran": "run",
    "began": "begin",
    "begun": "begin",
    "made": "make",
    "took": "take",
    "taken": "take",
    "came": "come",
    "said": "say",
    "told": "tell",
    "saw": "see",
    "seen": "see",
    "went": "go",
    "gone": "go",
    "gave": "give",
    "given": "give",
    "became": "become",
    "brought": "bring",
    "thought": "think",
    "found": "find",
    "held": "hold",
    "left": "leave",
    "kept": "keep",
    "knew": "know",
    "known": "know",
    "shot": "shoot",
    "led": "lead",
    "met": "meet",
    "fell": "fall",
    "felt": "feel",
    "built": "build",
    "bought": "buy",
    "caught": "catch",
    "chose": "choose",
    "chosen": "choose",
    "drew": "draw",
    "drawn": "draw",
    "fought": "fight",
    "broke": "break",
    "broken": "break",
    "spoke": "speak",
    "spoken": "speak",
    "grew": "grow",
    "grown": "grow",
    "sold": "sell",
    "paid": "pay",
    "spent": "spend",
    "sent": "send",
    "stood": "stand",
    "won": "win",
    "hid": "hide",
    "rose": "rise",
    "wore": "wear",
}

# Number words read as digits, so "twelve episodes" meets "12-episode" and
# "second season" meets "season 2". "one" and "first" stay words: they are
# far more often pronouns and adjectives than numbers.
NUMBER_WORDS = {
    word: str(n)
    for n, words in enumerate(
        [
            (),
            (),
            ("two", "second"),
            ("three", "third"),
            ("four", "fourth"),
            ("five", "fifth"),
            ("six", "sixth"),
            ("seven", "seventh"),
            ("eight", "eighth"),
            ("nine", "ninth"),
            ("ten", "tenth"),
            ("eleven", "eleventh"),
            ("twelve", "twelfth"),
            ("thirteen", "thirteenth"),
            ("fourteen", "fourteenth"),
            ("fifteen", "fifteenth"),
            ("sixteen", "sixteenth"),
            ("seventeen", "seventeenth"),
            ("eighteen", "eighteenth"),
            ("nineteen", "nineteenth"),
            ("twenty", "twentieth"),
        ]
    )
    for word in words
}

# Words Snowball would merge with another meaning ("original" -> "origin").
KEEP = {"original": "original", "originally": "original", "originals": "original", "dr": "doctor"}

# Show-domain lexicon: stems (after Snowball) folded onto one term.
LEXICON: dict[str, tuple[str, ...]] = {
    "direct": ("director", "direct", "filmmak", "helm", "helmer"),
    "write": ("write", "writer", "screenwrit", "screenplay", "script", "scriptwrit"),
    "webtoon": ("webtoon", "comic", "manhwa", "manga", "cartoon"),
    "episod": ("episod", "ep"),
    "premier": ("premier", "releas", "debut", "air", "launch", "publish"),
    "produc": ("produc", "product", "studio", "compani"),
    "season": ("season", "seri"),
    "creat": ("creat", "creator", "creation", "author"),
    "play": ("play", "actor", "actress", "cast", "portray", "star"),
    "origin": ("origin", "start", "begin", "caus"),
    "watch": ("watch", "view", "viewer", "viewership"),
    "plot": ("plot", "premis", "storylin", "synopsi"),
    "confirm": ("confirm", "renew", "announc", "greenlit", "greenlight"),
    "virus": ("virus", "outbreak", "infect", "infection", "epidem", "pandem", "contagion"),
    "previous": ("previous", "previou", "before", "befor", "earlier", "prior", "past", "filmographi"),
}
FOLD = {stem: canon for canon, stems in LEXICON.items() for stem in stems}

# Multi-word phrases read as one term, matched on lower-cased words: chart tops ("No. 1", "top spot"),
# main characters, release ("came out"), production companies, origins ("came from"), renewals
# ("will there be"), plots ("centers around"), chart positions ("second only to X": X is above), popularity.
PHRASE_LEXICON: dict[str, tuple[str, ...]] = {
    "numberone": (
        "number one",
        "number 1",
        "no 1",
        "#1",
        "top spot",
        "first place",
        "top position",
        "top place",
        "the top of",
        "to the top",
        "topped",
        "topping",
        "tops",
    ),
    "protagonist": ("main character", "main characters", "lead character", "lead characters", "protagonists"),
    "premier": ("come out", "came out", "comes out", "coming out"),
    "produc": ("production company",),
    "origin": ("come from", "came from", "comes from"),
    "confirm": ("will there be", "there going to be"),
    "plot": (
        "centers around",
        "centred around",
        "centres around",
        "centered around",
        "revolves around",
        "takes place",
        "follows a",
        "follows the",
        "is about",
    ),
    "above": (
        "above",
        "second only to",
        "ahead of",
        "behind",
        "higher than",
        "outranked",
        "outranks",
        "beat",
        "beats",
        "beaten",
    ),
    "mostwatch": ("most popular", "most watched", "most viewed", "most streamed"),
}
PHRASES = {tuple(phrase.split()): term for term, phrases in PHRASE_LEXICON.items() for phrase in phrases}
_MAX_PHRASE = max(len(k) for k in PHRASES)
_PHRASE_FIRST = frozenset(k[0] for k in PHRASES)

_HYPHENS = "-‐‑–"
_UNIT = r"[^\W_]+(?:[.,]\d+)*"
WORD_RE = re.compile(rf"#\d+|{_UNIT}(?:[{_HYPHENS}]{_UNIT})*")
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")
_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Token:
    """A search term and the span of the text it came from."""

    term: str
    start: int
    end: int


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")


def normalize_word(word: str) -> str:
    """NFKC, accents dropped, case folded."""
    return word.lower() if word.isascii() else _normalize_unicode(word)


@lru_cache(maxsize=65536)
def _normalize_unicode(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", stripped).casefold()


class Tokenizer:
    """Turns text into search terms. One instance is not thread-safe; make one per thread."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("english")
        self._terms: dict[str, str | None] = {}
        self._expanded: dict[str, tuple[str, ...]] = {}

    def term(self, word: str) -> str | None:
        """The search term for one normalised word, or None for a stopword."""
        cached = self._terms.get(word, "")
        if cached != "":
            return cached
        if word in STOPWORDS or (len(word) == 1 and not word.isdigit()):
            term = None
        elif word in NUMBER_WORDS:
            term = NUMBER_WORDS[word]
        elif not word.isalpha() and _HAS_DIGIT.search(word):
            term = word.replace(",", "") if _THOUSANDS.fullmatch(word) else word
        elif word in KEEP:
            term = KEEP[word]
        else:
            base = IRREGULAR.get(word, word)
            stem = self._stemmer.stemWord(base)
            term = FOLD.get(stem, stem)
        if len(self._terms) < 500_000:
            self._terms[word] = term
        return term

    def _expand(self, word: str) -> tuple[str, ...]:
        """The terms of one normalised word: a hyphenated word gives its parts and the joined word."""
        cached = self._expanded.get(word)
        if cached is not None:
            return cached
        parts = [p for p in _HYPHEN_RE.split(word) if p]
        out = []
        if len(parts) > 1:
            out = [t for t in map(self.term, parts) if t]
        term = self.term("".join(parts) if len(parts) > 1 else word)
        if term:
            out.append(term)
        result = tuple(out)
        if len(self._expanded) < 500_000:
            self._expanded[word] = result
        return result

    def _scan(self, words: list[str]) -> list[tuple[str, int, int]]:
        """(term, first word, last word) for each term of a list of normalised words."""
        out: list[tuple[str, int, int]] = []
        i, n = 0, len(words)
        while i < n:
            if words[i] in _PHRASE_FIRST:
                for size in range(min(_MAX_PHRASE, n - i), 0, -1):
                    phrase = PHRASES.get(tuple(words[i : i + size]))
                    if phrase:
                        out.append((phrase, i, i + size - 1))
                        i += size
                        break
                else:
                    phrase = None
                if phrase:
                    continue
            for term in self._expand(words[i]):
                out.append((term, i, i))
            i += 1
        return out

    def tokens(self, text: str) -> list[Token]:
        """Search terms of ``text`` with their spans, in order."""
        matches = list(WORD_RE.finditer(text))
        words = [normalize_word(m.group()) for m in matches]
        return [Token(term, matches[a].start(), matches[b].end()) for term, a, b in self._scan(words)]

    def terms(self, text: str) -> list[str]:
        """Just the search terms of ``text`` (the same as ``tokens``, faster)."""
        words = [w.lower() if w.isascii() else _normalize_unicode(w) for w in WORD_RE.findall(text)]
        if not _PHRASE_FIRST.isdisjoint(words):
            return [term for term, _, _ in self._scan(words)]
        cache, expand = self._expanded, self._expand
        return [term for w in words for term in (cache[w] if w in cache else expand(w))]
