"""Pick the sentence that answers: score candidate sentences from the best passages.

A sentence's score adds up, each part between 0 and 1:

- coverage: the share of the question's term weight (rarer terms weigh more;
  a term no article has weighs most) found in the sentence, and, counted
  less, in the sentence with its neighbours;
- retrieval: the BM25 score of its best passage, relative to the top passage;
- phrase: the longest run of the question's words found as-is in the sentence;
- answer type: the sentence holds something of the kind asked for (a name
  for "who", a date for "when", ...) that is not just the question's own words,
  more so when it sits near a matched term.

A sentence must hold every named thing of the question (except things the whole
corpus is about) and cover enough of its weight, or the engine abstains.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import detect
from .question import Kind, Question
from .tokens import WORD_RE, Token, normalize_word

WEIGHTS = {"coverage": 2.0, "context": 0.5, "retrieval": 0.7, "phrase": 0.4, "kind": 0.8}
MIN_CONTEXT_COVERAGE = 0.5  # below this share of the question's weight, abstain
NEAR_WORDS = 8  # an answer this close to a matched term counts fully


@dataclass
class Candidate:
    sentence: int  # index of the sentence in the engine
    article: int
    text: str
    tokens: list[Token]
    retrieval: float  # best passage score / top passage score
    neighbour_terms: frozenset[str]
    score: float = 0.0
    coverage: float = 0.0
    context: float = 0.0


def _longest_phrase(question_words: tuple[str, ...], text: str, content: frozenset[str]) -> int:
    """Length of the longest run of question words (with a content word in it) in ``text``."""
    words = [normalize_word(m.group()) for m in WORD_RE.finditer(text)]
    best = 0
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        positions.setdefault(w, []).append(i)
    for qi in range(len(question_words)):
        for si in positions.get(question_words[qi], ()):
            n = 0
            while (
                qi + n < len(question_words)
                and si + n < len(words)
                and question_words[qi + n] == words[si + n]
            ):
                n += 1
            if n > best and n >= 2 and any(w in content for w in question_words[qi : qi + n]):
                best = n
    return best


def _kind_score(question: Question, cand: Candidate, matched: list[Token]) -> float:
    if question.kind is Kind.OTHER:
        return 0.0
    qwords = set(question.words)
    spans = [
        (a, b)
        for a, b in detect.find(question.kind, cand.text)
        if not all(normalize_word(m.group()) in qwords for m in WORD_RE.finditer(cand.text[a:b]))
    ]
    if not spans:
        return 0.0
    if not matched:
        return 0.5
    word_starts = [m.start() for m in WORD_RE.finditer(cand.text)]

    def word_index(pos: int) -> int:
        return sum(1 for s in word_starts if s < pos)

    gap = min(
        abs(word_index(a) - word_index(t.start)) if a >= t.end else abs(word_index(t.start) - word_index(b))
        for a, b in spans
        for t in matched
    )
    return 1.0 if gap <= NEAR_WORDS else 0.5


def score_candidates(question: Question, weights: dict[str, float], candidates: list[Candidate]) -> None:
    """Fill in each candidate's coverage, context coverage and score."""
    total = sum(weights[t] for t in question.terms) or 1.0
    for cand in candidates:
        terms = {t.term for t in cand.tokens}
        matched = [t for t in cand.tokens if t.term in weights]
        cand.coverage = sum(weights[t] for t in question.terms if t in terms) / total
        around = terms | cand.neighbour_terms
        cand.context = sum(weights[t] for t in question.terms if t in around) / total
        phrase = _longest_phrase(question.words, cand.text, question.content_words)
        phrase_score = min(1.0, (phrase - 1) / 3) if phrase >= 2 else 0.0
        cand.score = (
            WEIGHTS["coverage"] * cand.coverage
            + WEIGHTS["context"] * cand.context
            + WEIGHTS["retrieval"] * cand.retrieval
            + WEIGHTS["phrase"] * phrase_score
            + WEIGHTS["kind"] * _kind_score(question, cand, matched)
        )


def holds_entities(question: Question, required: list[tuple[str, ...]], cand: Candidate) -> bool:
    """Whether the sentence names every named thing the question asks about."""
    terms = {t.term for t in cand.tokens}
    return all(all(t in terms for t in entity) for entity in required)


def acceptable(cand: Candidate) -> bool:
    return cand.coverage > 0 and cand.context >= MIN_CONTEXT_COVERAGE
