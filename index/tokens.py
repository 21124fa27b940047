"""Text -> search terms: normalised, case-folded, stemmed, stopwords dropped, synonyms folded.

- Unicode is NFKC-normalised, accents are dropped and case is folded.
- Numbers stay whole ("124.79", "2009"; "1,000" becomes "1000"; "2nd" becomes "2").
- A hyphenated word gives its parts and the joined word, so "Jae-Kyoo",
  "jae kyoo" and "jaekyoo" all meet.
- Irregular forms are brought to their lemma (wrote -> write, from
  ``english.irregular_forms``), then Snowball (PyStemmer) stems.
- A ``Lexicon`` (index/vocab.py) folds words and phrases that mean the same
  thing onto one term ("directed"/"helmed", "No. 1"/"top spot").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

import Stemmer

from .english import KEEP, NUMBER_WORDS, ORDINAL_RE, STOPWORDS, irregular_forms
from .vocab import Lexicon, tv_lexicon

_HYPHENS = "-‐‑–"
_UNIT = r"[^\W_]+(?:[.,]\d+)*"
WORD_RE = re.compile(rf"#\d+|{_UNIT}(?:[{_HYPHENS}]{_UNIT})*")
_HYPHEN_RE = re.compile(f"[{_HYPHENS}]")
_HAS_DIGIT = re.compile(r"\d")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_CACHE_LIMIT = 500_000


@dataclass(frozen=True)
class Token:
    """A search term and the span of the text it came from."""

    term: str
    start: int
    end: int


def normalize_word(word: str) -> str:
    """NFKC, accents dropped, case folded."""
    return word.lower() if word.isascii() else _normalize_unicode(word)


@lru_cache(maxsize=65536)
def _normalize_unicode(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFKC", stripped).casefold()


def name_key(words: Sequence[str]) -> str:
    """A name's words run together without hyphens or apostrophes: ("park", "ji-hoo") -> "parkjihoo"."""
    return "".join(words).translate(_NAME_SEPARATORS)


_NAME_SEPARATORS = str.maketrans("", "", "-'’.")


def words_of(text: str) -> list[str]:
    """The normalised words of ``text``, stopwords kept."""
    return [normalize_word(w) for w in WORD_RE.findall(text)]


class _Memo(dict):
    """A word's terms, computed on first need and kept while there is room."""

    def __init__(self, compute) -> None:
        super().__init__()
        self.compute = compute

    def __missing__(self, word: str) -> tuple[str, ...]:
        value = self.compute(word)
        if len(self) < _CACHE_LIMIT:
            self[word] = value
        return value


class Tokenizer:
    """Turns text into search terms with one lexicon. Not thread-safe (it caches): make one per thread."""

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or tv_lexicon()
        self._stemmer = Stemmer.Stemmer("english")
        self._irregular = irregular_forms()
        self._terms: dict[str, str | None] = {}
        self._expanded: _Memo = _Memo(self._expand_word)
        self._fold: dict[str, str] = {}
        for term, words in self.lexicon.fold.items():
            for word in words:
                for stem in {self._stem(normalize_word(word)), self._stem(normalize_word(word).replace("-", ""))}:
                    self._fold[stem] = term
        self._exact = dict(self.lexicon.exact)
        self._phrases: dict[tuple[str, ...], str] = {}
        for term, phrases in self.lexicon.phrases.items():
            for phrase in phrases:
                key = tuple(words_of(phrase))
                if key:
                    self._phrases[key] = term
        self._max_phrase = max((len(k) for k in self._phrases), default=1)
        self._phrase_first = frozenset(k[0] for k in self._phrases)
        # Most first words of phrases are common ("the", "is", "most"): a phrase of several words
        # is only looked for where the next word is one that follows that first word in some phrase.
        self._single = {k[0]: term for k, term in self._phrases.items() if len(k) == 1}
        self._second: dict[str, frozenset[str]] = {}
        for key in self._phrases:
            if len(key) > 1:
                self._second[key[0]] = self._second.get(key[0], frozenset()) | {key[1]}

    def _stem(self, word: str) -> str:
        return self._stemmer.stemWord(self._irregular.get(word, word))

    def term(self, word: str) -> str | None:
        """The search term for one normalised word, or None for a stopword."""
        cached = self._terms.get(word, "")
        if cached != "":
            return cached
        if word in STOPWORDS or (len(word) == 1 and not word.isdigit()):
            term = None
        elif word in self._exact:
            term = self._exact[word]
        elif word in NUMBER_WORDS:
            term = NUMBER_WORDS[word]
        elif not word.isalpha() and _HAS_DIGIT.search(word):
            ordinal = ORDINAL_RE.match(word)
            if ordinal:
                term = ordinal.group(1)
            else:
                term = word.replace(",", "") if _THOUSANDS.fullmatch(word) else word
        elif word in KEEP:
            term = KEEP[word]
        else:
            stem = self._stem(word)
            term = self._fold.get(stem, stem)
        if len(self._terms) < _CACHE_LIMIT:
            self._terms[word] = term
        return term

    def in_vocabulary(self, word: str) -> bool:
        """Whether a normalised word is one of the vocabulary's (English, TV and film, the show's own)."""
        return (
            word in STOPWORDS
            or word in self._exact
            or word in KEEP
            or word in NUMBER_WORDS
            or word in self._single
            or self._stem(word) in self._fold
        )

    def _expand(self, word: str) -> tuple[str, ...]:
        """The terms of one normalised word: a hyphenated word gives its parts and the joined word."""
        return self._expanded[word]

    def _expand_word(self, word: str) -> tuple[str, ...]:
        if word.isalnum():  # no hyphen: the word alone (most words)
            term = self.term(word)
            return (term,) if term else ()
        parts = [p for p in _HYPHEN_RE.split(word) if p]
        out = []
        if len(parts) > 1:
            out = [t for t in map(self.term, parts) if t]
            joined = self.term("".join(parts))
            if joined and joined not in out:
                out.append(joined)
        else:
            term = self.term(word)
            if term:
                out.append(term)
        return tuple(out)

    def _scan(self, words: list[str]) -> list[tuple[str, int, int]]:
        """(term, first word, last word) for each term of a list of normalised words.

        A phrase of several words adds its term to the words' own ("set in" gives "setting"
        and "set"), so a question that words it differently still meets the article; a
        one-word phrase ("topped", "#1") replaces the word.
        """
        out: list[tuple[str, int, int]] = []
        first, expand = self._phrase_first, self._expanded.__getitem__
        for i, word in enumerate(words):
            if word in first:
                phrase = self._phrase_at(words, i)
                if phrase is not None:
                    out.append(phrase)
                else:
                    single = self._single.get(word)
                    if single:
                        out.append((single, i, i))
                        continue
            for term in expand(word):
                out.append((term, i, i))
        return out

    def _phrase_at(self, words: list[str], i: int) -> tuple[str, int, int] | None:
        """The longest phrase of two or more words starting at word ``i``, if any."""
        seconds = self._second.get(words[i])
        if not seconds or i + 1 >= len(words) or words[i + 1] not in seconds:
            return None
        phrases = self._phrases
        for size in range(min(self._max_phrase, len(words) - i), 1, -1):
            phrase = phrases.get(tuple(words[i : i + size]))
            if phrase:
                return (phrase, i, i + size - 1)
        return None

    def _scan_terms(self, words: list[str]) -> tuple[list[str], list[str]]:
        """The terms of ``_scan`` without their positions, and the words whose own terms were used."""
        out: list[str] = []
        used: list[str] = []
        first, expand, single_of = self._phrase_first, self._expanded.__getitem__, self._single
        for i, word in enumerate(words):
            if word in first:
                phrase = self._phrase_at(words, i)
                if phrase is not None:
                    out.append(phrase[0])
                else:
                    single = single_of.get(word)
                    if single:
                        out.append(single)
                        continue
            used.append(word)
            out.extend(expand(word))
        return out, used

    def read(self, text: str) -> tuple[list[tuple[str, int, int]], list[str], list[int]]:
        """One pass over ``text``: its tokens as (term, start, end), its normalised words and where each starts."""
        matches = list(WORD_RE.finditer(text))
        if text.isascii():  # lower-casing ASCII text keeps every word where it was
            words = WORD_RE.findall(text.lower())
        else:
            words = [normalize_word(m.group()) for m in matches]
        starts = [m.start() for m in matches]
        tokens = [(term, starts[a], matches[b].end()) for term, a, b in self._scan(words)]
        return tokens, words, starts

    def tokens(self, text: str) -> list[Token]:
        """Search terms of ``text`` with their spans, in order."""
        matches = list(WORD_RE.finditer(text))
        words = [normalize_word(m.group()) for m in matches]
        return [Token(term, matches[a].start(), matches[b].end()) for term, a, b in self._scan(words)]

    def terms(self, text: str) -> list[str]:
        """Just the search terms of ``text`` (the same as ``tokens``, faster)."""
        return self.terms_and_words(text)[0]

    def terms_and_words(self, text: str) -> tuple[list[str], list[str]]:
        """``terms(text)``, and the words whose own terms were used (every word but those a one-word phrase replaced)."""
        if text.isascii():  # lower-casing ASCII text keeps every word where it was
            words = WORD_RE.findall(text.lower())
        else:
            words = [w.lower() if w.isascii() else _normalize_unicode(w) for w in WORD_RE.findall(text)]
        first = self._phrase_first
        if not first.isdisjoint(words) and self._may_hold_phrase(first.intersection(words), words):
            return self._scan_terms(words)
        return list(chain.from_iterable(map(self._expanded.__getitem__, words))), words

    def _may_hold_phrase(self, present: set[str], words: list[str]) -> bool:
        """Whether words that begin phrases (``present``) may begin one here: a one-word phrase, or a second word met."""
        seen: set[str] | None = None
        for word in present:
            if word in self._single:
                return True
            if seen is None:
                seen = set(words)
            if not self._second[word].isdisjoint(seen):
                return True
        return False
