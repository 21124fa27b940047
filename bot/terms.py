"""A question's words, the key that makes two wordings one question, and its search terms for grouping.

Our own small rules (not the engine's tokenizer, which may change): words are
runs of letters and digits, case-folded. Search terms drop the words that do
not say what is asked ("who", "the", "show") and are stemmed, so near-duplicates
("Who directed the show?", "who directed it", "who's directing it??") get the
same terms and are counted together in the report.
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

# Function words, question words and the generic words of a TV show bot: they never tell two questions apart.
_STOP_TEXT = """
    a about above after again all also am an and any are aren't as at be been before being both but by can
    could did do does doing done for from had has have having he her here hers him his how i if in into is
    isn't it it's its just me more most my no nor not now of on once only or other our out over own please
    same she should so some such than that that's the their them then there these they this those to too
    under until up very was we were what what's when when's where where's which while who who's whom whose
    why why's will with would you your yours
    show shows series tv anyone someone know tell
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


def words(text: str) -> list[str]:
    """The text's words, case-folded, in order (apostrophes inside a word kept, as "who's")."""
    return [w.replace("’", "'") for w in WORD_RE.findall(text.casefold())]


def question_key(text: str) -> str:
    """What two wordings of one question share: their words, in order ("Who directed it?" = "who directed it")."""
    return " ".join(words(text))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: a dependency of the engine already

    return Stemmer.Stemmer("english")


def search_terms(text: str) -> str:
    """The question's content words, stemmed, each once, sorted: the report groups questions by these."""
    kept = [w for w in words(text) if w not in STOP_WORDS and w.split("'")[0] not in STOP_WORDS]
    if not kept:
        return ""
    return " ".join(sorted(set(_stemmer().stemWords([w.split("'")[0] for w in kept]))))
