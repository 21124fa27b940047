"""Build the immutable index of a corpus: sentences, passages, BM25, named things, vocabulary.

``build_index(corpus)`` reads every article once: it keeps the lines that are
article text (clean.py), splits them into sentences (sentences.py), turns each
sentence into term ids (tokens.py), groups sentences into overlapping passages
for BM25 (bm25.py), and collects the multi-word names (names.py). Sentence
vectors are not part of it: they are added by the engine (embed.py), and may
arrive later than the rest.
"""

from __future__ import annotations

import math
import re
from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import names
from .articles import Article, Corpus
from .bm25 import SparseBM25
from .clean import content_lines
from .english import STOPWORDS
from .sentences import split_sentences
from .tokens import Tokenizer, normalize_word
from .vocab import Lexicon, tv_lexicon

Progress = Callable[[int, int, int], None]  # (articles read, articles in all, passages so far)


@dataclass(frozen=True)
class IndexSettings:
    """How an index is built (part of any cache key)."""

    passage_sentences: int = 3  # sentences per passage (windows overlap by all but one)


class EmptyCorpusError(ValueError):
    """The articles hold no sentence that could be quoted."""


@dataclass(frozen=True, eq=False)
class Index:
    """Everything about a corpus that a question is matched against. Read-only."""

    articles: tuple[Article, ...]
    lexicon: Lexicon
    settings: IndexSettings
    sent_article: np.ndarray  # int32, per sentence
    sent_start: np.ndarray  # int64 character offsets in the article's text
    sent_end: np.ndarray
    sent_line: np.ndarray  # int32: sentences of one paragraph share it
    sent_pos: np.ndarray  # int32: the sentence's position in its article (0 = first kept sentence)
    sent_token_start: np.ndarray  # int64, len = sentences + 1: the sentence's term ids in ``token_ids``
    token_ids: np.ndarray  # int32 term ids of every sentence, one after another
    pass_first: np.ndarray  # int64: first sentence of each passage
    pass_len: np.ndarray  # int32: sentences in each passage
    bm25: SparseBM25
    entities: frozenset[tuple[str, ...]]  # multi-word names, as normalised words
    acronyms: dict[str, tuple[str, ...]]  # "tlou" -> ("the", "last", "of", "us")
    words: tuple[str, ...]  # every alphabetic word of the articles, lower case (for spelling correction)
    person_words: frozenset[str]  # words of the people's names the articles give ("storer", "carmy")
    quoted_titles: tuple[frozenset[str], ...]  # terms of the works the articles quote ("Squid Game")

    @property
    def sentence_count(self) -> int:
        return len(self.sent_article)

    @property
    def passage_count(self) -> int:
        return self.bm25.corpus_size

    @cached_property
    def terms_by_id(self) -> list[str]:
        out = [""] * len(self.bm25.vocab)
        for term, tid in self.bm25.vocab.items():
            out[tid] = term
        return out

    @cached_property
    def avg_sentence_terms(self) -> float:
        lengths = np.diff(self.sent_token_start)
        return float(lengths.mean()) if len(lengths) else 1.0

    @cached_property
    def titles_by_term(self) -> dict[str, list[frozenset[str]]]:
        """Quoted titles by one of their rarer terms, for the "figure about another work" evidence."""
        out: dict[str, list[frozenset[str]]] = {}
        for title in self.quoted_titles:
            rare = frozenset(t for t in title if not self.is_background(t))
            if rare:
                out.setdefault(min(rare), []).append(rare)
        return out

    def sentence_text(self, i: int) -> str:
        return self.articles[self.sent_article[i]].text[self.sent_start[i] : self.sent_end[i]]

    def sentence_term_ids(self, i: int) -> np.ndarray:
        return self.token_ids[self.sent_token_start[i] : self.sent_token_start[i + 1]]

    def sentence_terms(self, i: int) -> set[str]:
        terms = self.terms_by_id
        return {terms[t] for t in self.sentence_term_ids(i).tolist()}

    def passage_sentences(self, p: int) -> range:
        first = int(self.pass_first[p])
        return range(first, first + int(self.pass_len[p]))

    def same_article(self, i: int, j: int) -> bool:
        n = self.sentence_count
        return 0 <= i < n and 0 <= j < n and self.sent_article[i] == self.sent_article[j]

    def same_paragraph(self, i: int, j: int) -> bool:
        return self.same_article(i, j) and self.sent_line[i] == self.sent_line[j]

    def idf(self, term: str) -> float | None:
        """A term's weight: log((N + 1) / (df + 0.5)) over passages; None when no passage has it."""
        tid = self.bm25.vocab.get(term)
        if tid is None:
            return None
        return math.log((self.passage_count + 1) / (int(self.bm25.df[tid]) + 0.5))

    def is_background(self, term: str, share: float = 0.3) -> bool:
        """Whether a known term is in so many passages (the show's name, "Netflix") that it names nothing."""
        tid = self.bm25.vocab.get(term)
        return tid is not None and self.bm25.df[tid] > share * self.passage_count


def build_index(
    corpus: Corpus,
    lexicon: Lexicon | None = None,
    settings: IndexSettings = IndexSettings(),
    progress: Progress | None = None,
) -> Index:
    """Read every article of ``corpus`` once and build its index. Raises EmptyCorpusError if nothing is quotable."""
    lexicon = lexicon or tv_lexicon()
    tokenizer = Tokenizer(lexicon)
    vocab: dict[str, int] = {}
    lookup = vocab.setdefault
    token_ids: array[int] = array("i")
    sent_len: array[int] = array("i")
    sent_article: array[int] = array("i")
    sent_start: array[int] = array("q")
    sent_end: array[int] = array("q")
    sent_line: array[int] = array("i")
    sent_pos: array[int] = array("i")
    pass_first: array[int] = array("q")
    pass_len: array[int] = array("i")
    entity_counts: Counter[tuple[str, ...]] = Counter()
    person_words: set[str] = set()
    quoted: set[tuple[str, ...]] = set()
    window = max(1, settings.passage_sentences)
    line_no = 0
    for a, article in enumerate(corpus.articles):
        text = article.text
        first = len(sent_start)
        for line in content_lines(text):
            for start, end in split_sentences(text[line.start : line.end], line.start):
                sentence = text[start:end]
                terms = tokenizer.terms(sentence)
                token_ids.extend([lookup(t, len(vocab)) for t in terms])
                sent_len.append(len(terms))
                sent_article.append(a)
                sent_start.append(start)
                sent_end.append(end)
                sent_line.append(line_no)
                sent_pos.append(len(sent_start) - 1 - first)
                if _CAPITAL_AFTER_FIRST.search(sentence, 1):
                    entity_counts.update(names.entity_words(sentence, normalize_word))
                    for a_, b_ in names.people(sentence):
                        person_words.update(normalize_word(w) for w in sentence[a_:b_].split())
                if '"' in sentence or "“" in sentence or "‘" in sentence:
                    quoted.update(tuple(tokenizer.terms(m.group(1))) for m in names.QUOTED_RE.finditer(sentence))
            line_no += 1
        count = len(sent_start) - first
        for i in range(max(1, count - window + 1) if count else 0):
            pass_first.append(first + i)
            pass_len.append(min(window, count - i))
        if progress:
            progress(a + 1, len(corpus.articles), len(pass_first))
    if not pass_first or not vocab:
        raise EmptyCorpusError("the articles hold no quotable sentence")
    lengths = np.frombuffer(sent_len, dtype=np.int32).astype(np.int64)
    sent_token_start = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=sent_token_start[1:])
    first_arr = np.frombuffer(pass_first, dtype=np.int64)
    len_arr = np.frombuffer(pass_len, dtype=np.int32)
    starts = sent_token_start[first_arr]
    ends = sent_token_start[first_arr + len_arr]
    flat = np.frombuffer(token_ids, dtype=np.int32) if token_ids else np.zeros(0, np.int32)
    bm25 = SparseBM25.from_ids(flat, starts, ends - starts, vocab)
    for source in (a.source.title for a in corpus.articles):
        entity_counts.update(names.entity_words(source, normalize_word))
    return Index(
        articles=corpus.articles,
        lexicon=lexicon,
        settings=settings,
        sent_article=np.frombuffer(sent_article, dtype=np.int32),
        sent_start=np.frombuffer(sent_start, dtype=np.int64),
        sent_end=np.frombuffer(sent_end, dtype=np.int64),
        sent_line=np.frombuffer(sent_line, dtype=np.int32),
        sent_pos=np.frombuffer(sent_pos, dtype=np.int32),
        sent_token_start=sent_token_start,
        token_ids=flat,
        pass_first=first_arr,
        pass_len=len_arr,
        bm25=bm25,
        entities=frozenset(entity_counts),
        acronyms=_acronyms(entity_counts),
        words=tokenizer.seen_words(),
        person_words=frozenset(person_words),
        quoted_titles=tuple(frozenset(t for t in title if t in vocab) for title in quoted if title),
    )


_ACRONYM_MIN = 3
_CAPITAL_AFTER_FIRST = re.compile(r"\s\S*[A-Z]")  # a capital letter in a word after the first


def _acronyms(entity_counts: Counter[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Initials of the corpus's multi-word titles, each to its most frequent title ("aot" -> attack on titan)."""
    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    for words, count in entity_counts.items():
        if len(words) < _ACRONYM_MIN:
            continue
        # "tlou": titles are kept without their leading "the", fans' initials keep it
        for variant in {words, ("the", *words), tuple(w for w in words if w not in STOPWORDS)}:
            if len(variant) < 2:
                continue
            key = names.acronym(variant)
            if len(key) >= _ACRONYM_MIN and key.isalpha() and count > best.get(key, (0, ()))[0]:
                best[key] = (count, words)
    return {key: words for key, (_, words) in best.items()}
