"""The answer engine: articles -> sentences -> passages -> BM25 -> Answer."""

from __future__ import annotations

import functools
import math
import re
import threading
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import select
from .answer import Answer, Quote
from .articles import Article, Corpus, Source, load_corpus
from .bm25 import SparseBM25
from .clean import content_lines
from .fragment import fragment_link
from .question import Question, clean_question, parse_question
from .sentences import split_sentences
from .tokens import WORD_RE, Tokenizer, normalize_word

MAX_QUESTION_CHARS = 1000  # longer questions are cut to this before analysis
MIN_KNOWN_SHARE = 0.5  # abstain when less of the question's weight than this is in any article


@dataclass(frozen=True)
class Settings:
    """Knobs of the engine (defaults measured on the development and paraphrase questions)."""

    passage_sentences: int = 3  # sentences per passage (windows overlap by all but one)
    passages_considered: int = 30  # top passages whose sentences are candidates
    background_share: float = 0.3  # a term in more passages than this is background, never required
    alternatives: int = 2


# A capitalised title in quotation marks: “Squid Game”, "Hellbound"
QUOTED_TITLE_RE = re.compile(r"[“\"]([A-Z][^”\"]{0,60}?)[,.]?[”\"]")
ENTITY_RE = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:(?:of|at|to|the|in|on|for|a|are|us)\s+)*[A-Z][\w’'-]*)+")
_LEADING_ARTICLE = {"the", "a", "an"}

Progress = Callable[[int, int, int], None]  # (articles read, articles in all, passages so far)


class Engine:
    """Answers questions from a fixed set of articles. Read-only once built; ``ask`` is thread-safe."""

    def __init__(self, corpus: Corpus, settings: Settings = Settings(), progress: Progress | None = None) -> None:
        self.settings = settings
        self.articles: tuple[Article, ...] = corpus.articles
        self._local = threading.local()
        tokenizer = self._tokenizer()
        vocab: dict[str, int] = {}
        lookup = vocab.setdefault
        token_ids: array[int] = array("i")  # every sentence's term ids, one sentence after another
        sent_len: array[int] = array("i")
        sent_article: array[int] = array("i")
        sent_start: array[int] = array("q")
        sent_end: array[int] = array("q")
        pass_first: array[int] = array("q")
        pass_len: array[int] = array("i")  # sentences in each passage
        entities: set[tuple[str, ...]] = set()
        titles: set[tuple[str, ...]] = set()
        capitalised: set[str] = set()
        lowercase: set[str] = set()
        window = max(1, settings.passage_sentences)
        for a, article in enumerate(self.articles):
            text = article.text
            spans = [
                s for line in content_lines(text) for s in split_sentences(text[line.start : line.end], line.start)
            ]
            first = len(sent_start)
            for start, end in spans:
                sentence = text[start:end]
                terms = tokenizer.terms(sentence)
                token_ids.extend([lookup(t, len(vocab)) for t in terms])
                sent_len.append(len(terms))
                sent_article.append(a)
                sent_start.append(start)
                sent_end.append(end)
                entities.update(_entities(sentence))
                titles.update(tuple(tokenizer.terms(t)) for t in QUOTED_TITLE_RE.findall(sentence))
            for i in range(max(1, len(spans) - window + 1) if spans else 0):
                pass_first.append(first + i)
                pass_len.append(min(window, len(spans) - i))
            lowercase.update(_LOWER_WORD.findall(text))
            capitalised.update(_MID_SENTENCE_CAPITAL.findall(text))
            if progress:
                progress(a + 1, len(self.articles), len(pass_first))
        if not pass_first:
            raise ValueError("the articles hold no quotable sentence")
        self.sent_article = np.frombuffer(sent_article, dtype=np.int32)
        self.sent_start = np.frombuffer(sent_start, dtype=np.int64)
        self.sent_end = np.frombuffer(sent_end, dtype=np.int64)
        self.pass_first = np.frombuffer(pass_first, dtype=np.int64)
        self.pass_len = np.frombuffer(pass_len, dtype=np.int32)
        # single words only ever written with a capital, mid-sentence: "Hellbound", "Kingdom"
        lowercase = {normalize_word(w) for w in lowercase}
        capitalised = {normalize_word(w) for w in capitalised}
        proper = {(w,) for w in capitalised - lowercase if tokenizer.term(w)}
        self.entities = frozenset(entities | proper)
        # a passage's terms are one contiguous run of ``token_ids``: its sentences' terms
        lengths = np.frombuffer(sent_len, dtype=np.int32).astype(np.int64)
        sent_first_token = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=sent_first_token[1:])
        starts = sent_first_token[self.pass_first]
        ends = sent_first_token[self.pass_first + self.pass_len]
        flat = np.frombuffer(token_ids, dtype=np.int32) if token_ids else np.zeros(0, np.int32)
        self.bm25 = SparseBM25.from_ids(flat, starts, ends - starts, vocab)
        # quoted titles by one of their rarer terms, for the "figure about another work" penalty
        self.titles_by_term: dict[str, list[frozenset[str]]] = {}
        for title in titles:
            rare = frozenset(t for t in title if t in vocab and not self._is_background(t))
            if rare:
                self.titles_by_term.setdefault(min(rare), []).append(rare)

    @classmethod
    def from_folder(cls, folder: Path | str, settings: Settings = Settings()) -> Engine:
        return cls(load_corpus(folder), settings)

    @property
    def sources(self) -> list[Source]:
        return [a.source for a in self.articles]

    @property
    def passage_count(self) -> int:
        return self.bm25.corpus_size

    def _tokenizer(self) -> Tokenizer:
        tok = getattr(self._local, "tokenizer", None)
        if tok is None:
            tok = self._local.tokenizer = Tokenizer()
        return tok

    def sentence_text(self, i: int) -> str:
        return self.articles[self.sent_article[i]].text[self.sent_start[i] : self.sent_end[i]]

    def _passage_sentences(self, p: int) -> range:
        first = int(self.pass_first[p])
        return range(first, first + int(self.pass_len[p]))

    def _weights(self, question: Question) -> dict[str, float]:
        """Weight of each question term that some passage has: rarer weighs more."""
        n = self.bm25.corpus_size
        out = {}
        for term in question.terms:
            tid = self.bm25.vocab.get(term)
            if tid is not None:
                out[term] = math.log((n + 1) / (int(self.bm25.df[tid]) + 0.5))
        return out

    def _is_background(self, term: str) -> bool:
        """Whether a known term is in so many passages (the show's own name, "Netflix") that it names nothing."""
        return self.bm25.df[self.bm25.vocab[term]] > self.settings.background_share * self.bm25.corpus_size

    def _required(self, question: Question) -> list[tuple[str, ...]] | None:
        """Terms of the question's named things that an answer must hold; None if one is unknown."""
        required = [(t,) for t in question.terms if t[0].isdigit()]  # "season 2", "2018"
        for entity in question.entity_terms:
            if any(t not in self.bm25.vocab for t in entity):
                return None
            kept = tuple(t for t in entity if not self._is_background(t))
            if kept:
                required.append(kept)
        return required

    def _neighbour_terms(self, i: int, terms_of: Callable[[int], list[str]]) -> frozenset[str]:
        terms: set[str] = set()
        for j in (i - 1, i + 1):
            if 0 <= j < len(self.sent_article) and self.sent_article[j] == self.sent_article[i]:
                terms.update(terms_of(j))
        return frozenset(terms)

    def _follow_up(self, i: int) -> str | None:
        """The next sentence of the same paragraph when it starts with "It", "This", ..."""
        j = i + 1
        if j < len(self.sent_article) and self.sent_article[j] == self.sent_article[i]:
            between = self.articles[self.sent_article[i]].text[self.sent_end[i] : self.sent_start[j]]
            text = self.sentence_text(j)
            if "\n" not in between and select.ANAPHORA.match(text):  # same paragraph
                return text
        return None

    def ask(self, question: str) -> Answer:
        """The best verbatim quote answering ``question``, or an abstention."""
        text = clean_question(question, MAX_QUESTION_CHARS)
        if not text:
            return Answer(question, None, reason="empty question")
        tokenizer = self._tokenizer()
        q = parse_question(text, tokenizer, self.entities)
        if not q.terms:
            return Answer(question, None, reason="no searchable words in the question")
        required = self._required(q)
        if required is None:
            return Answer(question, None, reason="the question names something no article mentions")
        weights = self._weights(q)
        unknown = math.log((self.bm25.corpus_size + 1) / 0.5) * (len(q.terms) - len(weights))
        if sum(weights.values()) < MIN_KNOWN_SHARE * (sum(weights.values()) + unknown):
            return Answer(question, None, reason="most of the question's words are in no article")
        ids, scores = self.bm25.top_k(list(q.terms), self.settings.passages_considered)
        # tiny corpora give common terms an idf of 0, so a zero score still competes
        best_score: dict[int, float] = {}
        for p, s in zip(ids.tolist(), scores.tolist()):
            for i in self._passage_sentences(p):
                best_score[i] = max(best_score.get(i, 0.0), s)
        top = float(scores[0]) if len(scores) and scores[0] > 0 else 1.0
        terms_of = functools.lru_cache(maxsize=None)(lambda j: tokenizer.terms(self.sentence_text(j)))
        candidates = []
        for i, s in best_score.items():
            sentence = self.sentence_text(i)
            candidates.append(
                select.Candidate(
                    sentence=i,
                    article=int(self.sent_article[i]),
                    text=sentence,
                    tokens=tokenizer.tokens(sentence),
                    retrieval=max(s, 0.0) / top,
                    neighbour_terms=self._neighbour_terms(i, terms_of),
                    follow_up=self._follow_up(i),
                )
            )
        select.score_candidates(q, weights, candidates, self.titles_by_term)
        ok = [c for c in candidates if select.holds_entities(required, c) and select.acceptable(q, c)]
        if not ok:
            return Answer(question, None, reason="nothing in the articles answers this")
        ok.sort(key=lambda c: (-c.score, c.sentence))
        best = ok[0]
        others = [c for c in ok[1:] if abs(c.sentence - best.sentence) > 1 or c.article != best.article]
        others.sort(key=lambda c: (c.article == best.article, -c.score, c.sentence))
        alternatives = tuple(self._quote(c, q) for c in _distinct([best, *others])[1 : 1 + self.settings.alternatives])
        return Answer(question, self._quote(best, q), alternatives)

    def _quote(self, cand: select.Candidate, q: Question) -> Quote:
        article = self.articles[cand.article]
        text = cand.text
        if cand.extend:  # the sentence and the one after it, as they stand in the article
            text = article.text[self.sent_start[cand.sentence] : self.sent_end[cand.sentence + 1]]
        spans = _merge([(t.start, t.end) for t in cand.tokens if t.term in q.terms])
        return Quote(
            text=text,
            source=article.source,
            link=fragment_link(article.source.url, text),
            score=cand.score,
            highlights=tuple(spans),
        )


def _distinct(cands: list[select.Candidate]) -> list[select.Candidate]:
    seen, out = set(), []
    for c in cands:
        key = " ".join(c.text.split()).casefold()
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


# words seen in lower case, and capitalised after a lower-case word or comma (not starting a sentence)
_LOWER_WORD = re.compile(r"(?<![\w’'-])[a-z][\w’'-]*")
_MID_SENTENCE_CAPITAL = re.compile(r"(?<=[a-z0-9,;:)”’\"] )[A-Z][a-z][\w’'-]*")


def _entities(sentence: str) -> list[tuple[str, ...]]:
    """Multi-word capitalised names in a sentence, as normalised words ("squid", "game")."""
    out = []
    for match in ENTITY_RE.finditer(sentence):
        words = [normalize_word(m.group()) for m in WORD_RE.finditer(match.group())]
        if match.start() == 0 and len(words) > 2:  # a sentence's first word is capitalised anyway
            words = words[1:]
        while words and words[0] in _LEADING_ARTICLE:
            words = words[1:]
        if len(words) >= 2:
            out.append(tuple(words))
    return out
