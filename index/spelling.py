"""The articles teach the vocabulary: a question's unknown words corrected against the articles' own words.

"showruner" becomes "showrunner" and "seson" becomes "season" when the articles have
those words; a word of ordinary English that the articles lack ("cost") is left alone,
so it is never turned into a near neighbour that means something else ("cast").
Titles are recognised by their initials ("tlou" for "The Last of Us").
"""

from __future__ import annotations

import importlib.util
import math
import re
from functools import cache
from pathlib import Path

from .build import Index
from .english import STOPWORDS
from .tokens import Tokenizer

_ALPHA = re.compile(r"^[a-z]+$")
_NUMBERED = re.compile(r"^([a-z]{2,5})(\d{1,3})$")  # "bb26", "pe3", "tfm2": a title's initials and its number
# a unit's shorthand before a number, never a title's initials: "wk3", "pt2", "ch5", "eps6", "vol3"
_UNIT_SHORTHAND = frozenset(
    {"ep", "eps", "epi", "se", "ss", "sn", "szn", "pt", "ch", "chap", "vol", "no", "nr", "wk", "yr", "yrs", "hr", "hrs"}
    | {"min", "mins", "sec", "top", "gen", "lvl", "rd", "th", "st", "nd", "pg", "ps", "mp", "am", "pm", "ad", "bc"}
)
_SPACED_NUMBER = re.compile(r"\b([A-Za-z]{2,5}) (\d{1,3})\b")  # "tar 34"
_COMMON_WORDS = 3000  # English's commonest words are never initials before a number: "got 3", "won 2"
_ROMAN = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
MIN_LENGTH = 4  # shorter words are too often right already ("ep", "ot")
ENGLISH_WORDS = 40_000  # the most frequent words of the English list count as real words


@cache
def english_words(most: int | None = ENGLISH_WORDS) -> frozenset[str]:
    """The ``most`` frequent English words of symspellpy's frequency list (every one for None)."""
    return frozenset(_english_by_frequency()[:most])


def is_english(word: str) -> bool:
    """Whether ``word``, or the word it inflects or spells the American way, is in the English list.

    The list misses many inflected and American forms ("honors", "modeled", "theaters",
    "neighborhood"), which would otherwise read as a name no article mentions.
    """
    words = english_words(None)
    return any(form in words for form in english_forms(word))


def english_forms(word: str) -> list[str]:
    """``word``, the stems its regular endings leave, and each of those spelled the British way."""
    stems = [word]
    for ending, replacements in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            base = word[: -len(ending)]
            stems += [base + r for r in replacements]
            if ending in ("ed", "ing") and len(base) >= 4 and base[-1] == base[-2]:
                stems.append(base[:-1])  # "modelled" -> "model"
    british = [
        re.sub(pattern, repl, stem, count=1) for stem in stems for pattern, repl in _BRITISH if re.search(pattern, stem)
    ]
    return stems + british


_ENDINGS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ies", ("y",)),
    ("es", ("", "e")),
    ("s", ("",)),
    ("ied", ("y",)),
    ("ed", ("", "e")),
    ("ing", ("", "e")),
)
_BRITISH = (
    (r"or(?=$|s$|ed$|ing$|hood|ful|ite|ary)", "our"),  # honor, armored, neighborhood, favorite
    (r"er$", "re"),  # theater, center
    (r"eled$", "elled"),  # modeled, traveled
    (r"i([zs])(e|ed|es|ing|ation)$", r"is\2"),  # realize
    (r"og$", "ogue"),  # catalog
    (r"([fc])ense(s?)$", r"\1ence\2"),  # offense, defense, license
    (r"yz(?=e$|ed$|es$|ing$)", "ys"),  # paralyzed, analyze
)


@cache
def _english_by_frequency() -> tuple[str, ...]:
    """symspellpy's English words, commonest first, read on first need (without importing symspellpy)."""
    spec = importlib.util.find_spec("symspellpy")
    if spec is None or not spec.submodule_search_locations:
        return ()
    path = Path(spec.submodule_search_locations[0]) / "frequency_dictionary_en_82_765.txt"
    with open(path, encoding="utf-8") as f:
        return tuple(line.split(" ", 1)[0] for line in f)


def misspells_english(word: str) -> bool:
    """Whether ``word`` (five letters or more) is a common English word with a slip fans often make: a
    vowel left out ("buildng"), a doubled letter written once ("acording"), two letters swapped
    ("foregin"), or the final g dropped ("playin"). Not a changed letter: "dutton" is a name, not "button"."""
    if len(word) < 5 or not _ALPHA.match(word):
        return False
    common = english_words()
    if word.endswith("in") and word + "g" in common:
        return True
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if any(head + vowel + tail in common for vowel in "aeiou"):
            return True
        if tail and head + tail[0] + tail in common:
            return True
        if len(tail) > 1 and head + tail[1] + tail[0] + tail[2:] in common:
            return True
    return False


def one_edit(a: str, b: str) -> bool:
    """Whether ``a`` and ``b`` are at most one letter apart (one added, dropped, changed or two swapped)."""
    from rapidfuzz.distance import DamerauLevenshtein  # imported on first need: start-up stays quick

    return abs(len(a) - len(b)) <= 1 and DamerauLevenshtein.distance(a, b, score_cutoff=1) <= 1


COMMON_WORDS = 15000  # the words of a compound are common ones: not the rare "bridger" of "bridgerton"


@cache
def compound_parts(word: str) -> tuple[str, str] | None:
    """Two common English words of three letters or more that ``word`` runs together ("taskmaster": task,
    master; "chainsaw": chain, saw)."""
    common = english_words(COMMON_WORDS)
    for cut in range(3, len(word) - 2):
        head, tail = word[:cut], word[cut:]
        if head in common and tail in common:
            return head, tail
    return None


@cache
def _function_words() -> list[str]:
    """English function words of three letters or more: the targets of a question word's typo."""
    return sorted(w for w in STOPWORDS if len(w) >= 3 and w.isalpha())


_ABBREVIATIONS = frozenset({"dr", "mr", "ms", "jr", "sr", "vs", "ft", "mt"})  # "Dr", "Mr": never a show's initials
_AMPERSAND = re.compile(r"(?<![\w&])([a-z]{1,2})&([a-z]{1,2})(?![\w&])", re.IGNORECASE)  # "k&k", "r&m"
_NUMBERED_MEMO = 4096  # words read by expand_numbered, remembered per speller
_NOT_TITLE = STOPWORDS | {"season", "series", "episode", "part"}  # "Lasso Season 2" names no "Lasso Season"


class Speller:
    """Corrects a question's words against one index's words."""

    def __init__(self, index: Index, tokenizer: Tokenizer) -> None:
        self.index = index
        self.tokenizer = tokenizer
        self._by_length: dict[int, list[str]] = {}
        self._compounds: dict[str, tuple[str, ...]] | None = None  # built on the first unknown short word
        self._initials: dict[str, tuple[str, ...] | None] = {}  # two letters -> the show's name they shorten
        self.source_words = index.publisher_words
        self.source_terms = frozenset(t for t in map(tokenizer.term, self.source_words) if t)
        self.chat_names = index.chat_names
        self._numbered: dict[str, tuple[str, ...] | None] = {}  # read once: join_numbered and the word fix ask alike
        for word in index.words:
            self._by_length.setdefault(len(word), []).append(word)

    def known(self, word: str) -> bool:
        """Whether the articles have this word's term, or name their publisher with it (stopwords and numbers count)."""
        term = self.tokenizer.term(word)
        return term is None or term in self.index.bm25.vocab or not _ALPHA.match(word) or word in self.source_words

    def unfamiliar(self, word: str) -> bool:
        """A word of three letters or more that the articles lack and that is in no English word list
        and no vocabulary layer, nor a slip of a common English word ("suposed"): most often a name they
        do not mention ("who voices akaza")."""
        return (
            len(word) >= 3
            and not self.known(word)
            and not self.tokenizer.in_vocabulary(word)
            and not is_english(word)
            and not misspells_english(word)
        )

    def expand_acronym(self, word: str, capitals: bool = False) -> tuple[str, ...] | None:
        """The title whose initials ``word`` is (or, plural, whose initials it is with an "s": "ntas"), when neither
        the articles nor English know ``word`` itself.

        ``capitals``: the asker wrote it in capitals ("SAG"), so an English word of three letters or more
        ("sag") may be initials too.
        """
        if self.known(word) or (word in english_words() and not (capitals and len(word) >= 3)):
            return None
        title = self.index.acronyms.get(word)
        if title is None and len(word) >= 4 and word.endswith("s"):
            title = self.index.acronyms.get(word[:-1])  # "the ntas": the National Television Awards
        if title is None and 2 <= len(word) <= 5 and word.isalpha() and word not in _ABBREVIATIONS:
            title = self._compound_initials(word)
        if title is None and len(word) == 2 and word.isalpha() and word not in _ABBREVIATIONS:
            title = self._show_initials(word)
        return title

    def expand_numbered(self, word: str) -> tuple[str, ...] | None:
        """A title's initials with its number run together ("bb26", "pe3", "tfm2"), when the articles lack the word:
        the title's words and the number, as the articles write that title with a number ("Big Brother 26", "Planet
        Earth III": a Roman numeral when they name the title so)."""
        match = _NUMBERED.match(word)
        if match is None or match[1] in _UNIT_SHORTHAND or match[1] in _ABBREVIATIONS:
            return None
        if word not in self._numbered:
            if len(self._numbered) >= _NUMBERED_MEMO:
                self._numbered.clear()
            self._numbered[word] = self._read_numbered(word, match[1], str(int(match[2])))
        return self._numbered[word]

    def _read_numbered(self, word: str, letters: str, number: str) -> tuple[str, ...] | None:
        """``expand_numbered``'s reading of ``word`` (its initials ``letters`` and ``number``), once per word."""
        if (self.tokenizer.term(word) or "") in self.index.bm25.vocab:
            return None  # the articles write it so themselves ("AC12", "VH1")
        # after a number, English's words are initials too ("tar36": The Amazing Race)
        title = self.index.acronyms.get(letters)
        if title is None:
            title = self._compound_initials(letters) or (self._show_initials(letters) if len(letters) == 2 else None)
        if title is None:
            return None
        roman = _ROMAN[int(number)] if int(number) < len(_ROMAN) else ""
        if roman and (*title, roman) in self.index.entities:
            return (*title, roman)
        return (*title, number)

    def join_numbered(self, text: str) -> str:
        """``text`` with a title's initials and the number after them run together, as ``expand_numbered`` reads
        them ("who won tar 34": "tar34"), unless the initials are a common English word ("got 3 noms")."""

        def join(match: re.Match[str]) -> str:
            letters = match[1].lower()
            if letters in STOPWORDS or letters in english_words(_COMMON_WORDS):
                return match[0]
            return match[1] + match[2] if self.expand_numbered(letters + match[2]) else match[0]

        return _SPACED_NUMBER.sub(join, text)

    def expand_ampersand(self, text: str) -> str:
        """``text`` with a title's initials joined by "&" written out ("k&k" for Kath & Kim, "r&m" for Rick and
        Morty): the "&" one of the initials (as "and" is in "ram") or left out ("kk"); other pairs ("Q&A") stay."""

        def title(match: re.Match[str]) -> str:
            first, second = match[1].lower(), match[2].lower()
            for letters in (first + "a" + second, first + second):
                found = self.index.acronyms.get(letters)
                if found is None and len(letters) == 2:
                    found = self._show_initials(letters)
                if found is not None and not self.known(letters):
                    return " ".join(found)
            return match[0]

        return _AMPERSAND.sub(title, text)

    def _compound_initials(self, word: str) -> tuple[str, ...] | None:
        """The show's own name, a word of which is two English words run together, whose initials (one for
        each of those two) ``word`` is: "tm" for Taskmaster, "ys" for Yellowstone, "csm" for Chainsaw Man."""
        if self._compounds is None:
            table: dict[str, tuple[str, ...]] = {}
            names = [*self.index.entities, *((w,) for w in self.index.capitalised_words)]
            for words in sorted(names):
                if not all(w.isalpha() for w in words):
                    continue
                terms = [self.tokenizer.term(w) for w in words]
                if not all(t and self.index.is_show_word(t) for t in terms):
                    continue
                parts = [compound_parts(w) for w in words]
                if any(parts):
                    table.setdefault("".join(p[0][0] + p[1][0] if p else w[0] for w, p in zip(words, parts)), words)
            self._compounds = table
        return self._compounds.get(word)

    def _show_initials(self, word: str) -> tuple[str, ...] | None:
        """The show's own two-word name whose initials ``word`` is ("sh" for Slow Horses, "pb" for Peaky Blinders).

        Two letters stand for too many things to read them as any title: only a name whose both
        words are in most passages (and in many of them) is the one fans shorten so.
        """
        if word not in self._initials:
            best: tuple[float, tuple[str, ...]] = (0.0, ())
            for words in self.index.entities:  # a set: a tie goes to the later words, whatever the order
                if len(words) != 2 or words[0][:1] != word[0] or words[1][:1] != word[1]:
                    continue
                if not all(map(str.isalpha, words)) or any(w in _NOT_TITLE for w in words):
                    continue
                terms = [self.tokenizer.term(w) for w in words]
                if all(t and self.index.is_show_word(t) for t in terms):
                    used = min(int(self.index.bm25.df[self.index.bm25.vocab[t]]) for t in terms)
                    if (used, words) > best:
                        best = (used, words)
            self._initials[word] = best[1] or None
        return self._initials[word]

    def correct(self, word: str) -> str | None:
        """The word closest to an unknown ``word``: one edit for 4-7 letters, two from 8; or None.

        An English function word one edit away wins ("wich" is "which", not the articles' "rich"), unless
        only a changed letter makes it and a letter left out makes one of the articles' words ("wach" is
        "watch", not "each"); otherwise the articles' own words are searched. A word of three letters is
        only a function word with two letters swapped ("teh", "adn"): any other edit of so short a word guesses.
        """
        if len(word) < MIN_LENGTH - 1 or not _ALPHA.match(word) or self.known(word) or word in english_words():
            return None
        if len(word) < MIN_LENGTH:
            swapped = {word[1] + word[0] + word[2], word[0] + word[2] + word[1]}
            return min(swapped.intersection(_function_words()), default=None)
        if len(word) >= 4 and word.endswith("in") and is_english(word + "g"):
            return word + "g"  # the dropped g of chat: "bein", "drinkin", "filmin", "streamin"
        function_words = [w for w in _function_words() if one_edit(word, w)]
        # a letter left out is the commonest slip: "ther" is "there" before "her", and "wach" the articles'
        # "watch" before the function word "each" that a changed letter makes
        dropped = sorted((w for w in function_words if len(w) > len(word)), key=lambda w: not w.startswith(word))
        if dropped:
            return dropped[0]
        own = self._closest_own(word, 1 if len(word) < 8 else 2)
        if function_words and not (own and len(own) > len(word) and one_edit(word, own)):
            return function_words[0]
        return own

    def _closest_own(self, word: str, limit: int) -> str | None:
        """The articles' word within ``limit`` edits of ``word``: fewer edits first, then the same first
        letter, then the more common word."""
        from rapidfuzz import process  # imported on the first unknown word: start-up stays quick
        from rapidfuzz.distance import DamerauLevenshtein

        best: tuple[float, str] | None = None
        for n in range(len(word) - limit, len(word) + limit + 1):
            choices = self._by_length.get(n)
            if not choices:
                continue
            for candidate, distance, _ in process.extract(
                word, choices, scorer=DamerauLevenshtein.distance, score_cutoff=limit, limit=None
            ):
                term = self.tokenizer.term(candidate)
                tid = self.index.bm25.vocab.get(term) if term else None
                if tid is None:
                    continue
                key = (
                    distance - 0.5 * (candidate[0] == word[0]) - 0.01 * math.log1p(int(self.index.bm25.df[tid])),
                    candidate,
                )
                if best is None or key < best:
                    best = key
        return best[1] if best else None
