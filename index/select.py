"""Pick the sentence that answers: score candidate sentences from the best passages.

A sentence's score adds up these parts, each between 0 and 1:

- coverage: the share of the question's term weight (rarer terms weigh more)
  found in the sentence, and, counted less, in the sentence with its neighbours;
- retrieval: the BM25 score of its best passage, relative to the top passage;
- phrase: the longest run of the question's words found as-is in the sentence;
- answer kind: the sentence holds something of the kind asked for (a name for
  "who", a date for "when", a number for "how many", ...) that is not just the
  question's own words, more so near a matched term. When the next sentence
  starts with "It", "This", ... and holds it instead, the quote takes both;
- support: other articles give the same name, date or number;
- minus a penalty when a date or number question meets a sentence about another
  quoted work ("Squid Game") that the question does not name.

It abstains (no candidate is acceptable) unless a sentence names every named
thing of the question, covers enough of its weight with its neighbours, and,
for who/when/how many/how long, holds something of the kind asked for.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from . import detect
from .question import Kind, Question
from .tokens import WORD_RE, Token, normalize_word

WEIGHTS = {
    "coverage": 2.0,
    "context": 0.5,
    "retrieval": 0.7,
    "phrase": 0.4,
    "kind": 0.8,
    "support": 0.4,
    "other_title": 0.6,
}
MIN_CONTEXT_COVERAGE = 0.4  # below this share of the question's weight, abstain
NEAR_WORDS = 12  # an answer this close to a matched term counts fully
COUNTED_WORDS = 2  # "46 countries", "63.2 million hours": the number and the counted noun
FOLLOW_UP_DISCOUNT = 0.75  # an answer found only in the next sentence counts this much
# Kinds whose answer must be in the quote: a "who" question is not answered without a name.
NEEDS_KIND = frozenset({Kind.PERSON, Kind.DATE, Kind.NUMBER, Kind.DURATION, Kind.NAME})
FIGURE_KINDS = frozenset({Kind.DATE, Kind.NUMBER, Kind.DURATION})
ANAPHORA = re.compile(r"^\W*(?:it|this|that|these|those|he|she|they|his|her|their)\b", re.IGNORECASE)


@dataclass
class Candidate:
    sentence: int  # index of the sentence in the engine
    article: int
    text: str
    tokens: list[Token]
    retrieval: float  # best passage score / top passage score
    neighbour_terms: frozenset[str]
    follow_up: str | None = None  # the next sentence, when it starts with "It", "This", ...
    score: float = 0.0
    coverage: float = 0.0
    context: float = 0.0
    kind: float = 0.0
    extend: bool = False  # the quote should take the follow-up sentence too
    answer_keys: set[str] = field(default_factory=set)


def _words(text: str) -> list[str]:
    """Normalised words for phrase matching; a possessive "s" is dropped."""
    return [w for w in (normalize_word(m.group()) for m in WORD_RE.finditer(text)) if w != "s"]


def _longest_phrase(question_words: list[str], text: str, content: frozenset[str]) -> int:
    """Length of the longest run of question words (with a content word in it) in ``text``."""
    words = _words(text)
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        positions.setdefault(w, []).append(i)
    best = 0
    for qi, qw in enumerate(question_words):
        for si in positions.get(qw, ()):
            n = 0
            while qi + n < len(question_words) and si + n < len(words) and question_words[qi + n] == words[si + n]:
                n += 1
            if n > best and n >= 2 and any(w in content for w in question_words[qi : qi + n]):
                best = n
    return best


def _answer_spans(question: Question, text: str, tokens: list[Token] | None = None) -> list[tuple[int, int]]:
    """Spans of the kind asked for that are not made only of the question's own words."""
    qwords = set(question.words)
    if question.kind is Kind.NAME:
        lower = [(t.start, t.end) for t in tokens or () if t.term in question.terms and text[t.start].islower()]
        found = detect.named_after(text, lower)
    else:
        found = detect.find(question.kind, text)
    return [
        (a, b) for a, b in found if not all(normalize_word(m.group()) in qwords for m in WORD_RE.finditer(text[a:b]))
    ]


def _answer_key(text: str) -> str:
    """A spelling-independent key for an answer ("January 28th" and "Jan. 28" meet)."""
    words = [normalize_word(m.group()) for m in WORD_RE.finditer(text)]
    words = [re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", w) for w in words]
    return " ".join(w[:3] if w.isalpha() else w for w in words)


def _gap(starts: list[int], span: tuple[int, int], token: Token) -> int:
    """Words between a span and a token of the same sentence (0 when they touch or overlap).

    ``starts`` are the sentence's word start offsets, ascending; a position's word index is a bisection.
    """
    a, b = span
    if a >= token.end:
        return bisect_left(starts, a) - bisect_left(starts, token.end)
    return max(0, bisect_left(starts, token.start) - bisect_left(starts, b))


def _kind_score(question: Question, cand: Candidate, near: list[Token]) -> float:
    """1 for an answer of the asked kind next to what the question asks about, 0.5 for one anywhere."""
    spans = _answer_spans(question, cand.text, cand.tokens)
    if not spans:
        if cand.follow_up and question.kind is not Kind.NAME and _answer_spans(question, cand.follow_up):
            cand.extend = True
            return FOLLOW_UP_DISCOUNT
        return 0.0
    cand.answer_keys = {_answer_key(cand.text[a:b]) for a, b in spans}
    starts = [m.start() for m in WORD_RE.finditer(cand.text)]
    if question.counted:  # "how many episodes": the number must count episodes
        near, limit = [t for t in cand.tokens if t.term == question.counted], COUNTED_WORDS
    else:
        limit = NEAR_WORDS
    if any(_gap(starts, span, t) <= limit for span in spans for t in near):
        return 1.0
    return 0.5


def names_other_title(terms: set[str], question: Question, titles_by_term: dict[str, list[frozenset[str]]]) -> bool:
    """Whether a sentence names a quoted work ("Squid Game") that the question does not."""
    asked = set(question.terms)
    return any(title <= terms and not title & asked for term in terms for title in titles_by_term.get(term, ()))


def score_candidates(
    question: Question,
    weights: dict[str, float],
    candidates: list[Candidate],
    titles_by_term: dict[str, list[frozenset[str]]],
) -> None:
    """Fill in each candidate's coverage, context coverage, kind and score.

    ``weights`` holds the weight of each question term that some article has; ``titles_by_term``
    the rarer terms of the works the articles quote: a number or date next to one the question
    does not name is most likely that work's, not the one asked about.
    """
    total = sum(weights.values()) or 1.0
    # an answer should sit near what the question asks about them, not just near the names
    named = {t for entity in question.entity_terms for t in entity}
    relation = {t for t in weights if t not in named} or set(weights)
    qwords = _words(question.text)
    for cand in candidates:
        terms = {t.term for t in cand.tokens}
        matched = [t for t in cand.tokens if t.term in relation]
        cand.coverage = sum(w for t, w in weights.items() if t in terms) / total
        around = terms | cand.neighbour_terms
        cand.context = sum(w for t, w in weights.items() if t in around) / total
        phrase = _longest_phrase(qwords, cand.text, question.content_words)
        phrase_score = min(1.0, (phrase - 1) / 3) if phrase >= 2 else 0.0
        cand.kind = _kind_score(question, cand, matched) if question.kind is not Kind.OTHER else 0.0
        cand.score = (
            WEIGHTS["coverage"] * cand.coverage
            + WEIGHTS["context"] * cand.context
            + WEIGHTS["retrieval"] * cand.retrieval
            + WEIGHTS["phrase"] * phrase_score
            + WEIGHTS["kind"] * cand.kind
        )
        if question.kind in FIGURE_KINDS and names_other_title(terms, question, titles_by_term):
            cand.score -= WEIGHTS["other_title"]
    _add_support(candidates)


def _add_support(candidates: list[Candidate]) -> None:
    """Reward answers that other articles give too (answer redundancy)."""
    articles: dict[str, set[int]] = {}
    for cand in candidates:
        if cand.coverage > 0:
            for key in cand.answer_keys:
                articles.setdefault(key, set()).add(cand.article)
    for cand in candidates:
        others = max((len(articles.get(k, ())) - 1 for k in cand.answer_keys), default=0)
        cand.score += WEIGHTS["support"] * min(1.0, others / 2)


def holds_entities(required: list[tuple[str, ...]], cand: Candidate) -> bool:
    """Whether the sentence names every named thing the question asks about."""
    terms = {t.term for t in cand.tokens}
    return all(all(t in terms for t in entity) for entity in required)


def acceptable(question: Question, cand: Candidate) -> bool:
    if cand.coverage <= 0 or cand.context < MIN_CONTEXT_COVERAGE:
        return False
    return question.kind not in NEEDS_KIND or cand.kind >= FOLLOW_UP_DISCOUNT
