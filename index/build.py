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
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from . import names
from .articles import Article, Corpus
from .bm25 import SparseBM25
from .english import CHAT, STOPWORDS
from .parse import Parsed, merge, parse_corpus, passage_layout, passages_of, workers_for
from .tokens import Tokenizer, name_key, normalize_word
from .vocab import Lexicon, tv_lexicon, work_key

WORDS_KEPT = 500_000  # the articles' words kept for spelling correction, first met first
_PUBLISHER_WORD = re.compile(r"[^\W_]+")  # "See-Saw", "9to5Mac": split at anything but letters and digits


def shorthands(words: list[str]) -> set[str]:
    """What readers call a publisher of these (lower-case) words for short: the initials of its name, with
    and without "the" ("THR", "EW", "NYT"), of its opening words ("LA Times", "NY Post"), and its
    one-letter words run together ("The A.V. Club": "AV Club")."""
    found: set[str] = set()
    for name in (words, words[1:] if words[:1] == ["the"] else []):
        initials = "".join(w[0] for w in name)
        found.update(initials[:k] for k in range(2, len(initials) + 1))
        letters = ""
        for w in [*name, ""]:
            if len(w) == 1:
                letters += w
                continue
            if len(letters) >= 2:
                found.add(letters)
            letters = ""
    return found


_CAPITALISED_WORD = re.compile(r"(?<![^\W_])[^\W\d_a-z][^\W_]*")  # "Da’Vine" -> Da, Vine (as WORD_RE splits it)
_EPISODE_SHORTHAND = re.compile(r"e\d{1,3}")  # "e4": a fan's episode 4, or a name the articles write ("E4")
SHOW_NAME_PASSAGES = 10  # a word in fewer passages is not known to be the show's own name's
CACHE_MIN_CHARS = 200_000  # smaller corpora build faster than a cache is read (cache.py is not even imported)

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
    def publisher_words(self) -> frozenset[str]:
        """The words of the articles' publishers (sources.toml), lower case: known names though the text may lack them."""
        words: set[str] = set()
        for publisher in {article.source.publisher or "" for article in self.articles}:
            found = [w.lower() for w in _PUBLISHER_WORD.findall(publisher)]
            words.update(found)
            words.update(shorthands(found))
        return frozenset(words)

    @cached_property
    def capitalised_words(self) -> frozenset[str]:
        """Every word any article writes with a capital, lower case, headings and captions included.

        A name that only a heading gives ("“Tennessee Whiskey,” Chris Stapleton" above the paragraph
        about the song) is in no sentence, yet the articles do mention it. Read on first use.
        """
        return frozenset(
            normalize_word(w) for article in self.articles for w in _CAPITALISED_WORD.findall(article.text)
        )

    @cached_property
    def chat_names(self) -> frozenset[str]:
        """Chat spellings the articles write as a name ("JP", a character; "YR", Young Royals) and an episode's
        shorthand they write as one ("E4", a channel, is no "episode 4"): names here, not chat."""
        tokenizer = Tokenizer(self.lexicon)
        chat = (
            word
            for word, words in CHAT.items()
            if len(word) >= 2
            and word in self.capitalised_words
            and (term := tokenizer.term(word)) in self.bm25.vocab
            and term not in tokenizer.terms(words)
        )
        episodes = (
            word
            for word in self.capitalised_words
            if _EPISODE_SHORTHAND.fullmatch(word) and tokenizer.term(word) in self.bm25.vocab
        )
        return frozenset((*chat, *episodes))

    def mentions(self, key: str) -> bool:
        """Whether any article (its title or text) has the words of ``key``, a ``work_key``, in a row.

        Read on first use for each key and remembered: a well-known title a question names.
        """
        known = self._mentioned_keys
        if key not in known:
            padded = f" {key} "
            known[key] = any(padded in f" {work_key(a.source.title)} {work_key(a.text)} " for a in self.articles)
        return known[key]

    @cached_property
    def _mentioned_keys(self) -> dict[str, bool]:
        return {}

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

    @cached_property
    def entity_keys(self) -> dict[str, tuple[str, ...]]:
        """The multi-word names by ``name_key``, so "park jihoo" and "Park Ji-hoo" meet (of two names with one key,
        the same one whatever order the set of names is in)."""
        return {name_key(words): words for words in sorted(self.entities)}

    @cached_property
    def _pairs_seen(self) -> dict[tuple[str, str], bool]:
        return {}

    def has_pair(self, first: str, second: str) -> bool:
        """Whether some sentence has the two terms at most one term apart, in either order ("season 5", "fifth season")."""
        key = (first, second) if first <= second else (second, first)
        seen = self._pairs_seen.get(key)
        if seen is None:
            a, b = self.bm25.vocab.get(first), self.bm25.vocab.get(second)
            seen = False
            if a is not None and b is not None:
                at = np.flatnonzero(self.token_ids == a)
                ids = self.token_ids
                seen = any(bool(np.any(ids[np.clip(at + step, 0, len(ids) - 1)] == b)) for step in (-2, -1, 1, 2))
            self._pairs_seen[key] = seen
        return seen

    def sentence_text(self, i: int) -> str:
        return self.articles[self.sent_article[i]].text[self.sent_start[i] : self.sent_end[i]]

    def sentence_term_ids(self, i: int) -> np.ndarray:
        return self.token_ids[self.sent_token_start[i] : self.sent_token_start[i + 1]]

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

    def is_show_word(self, term: str) -> bool:
        """Whether a term is background and in many passages: a word of the show's own name ("squid", "game").

        In a handful of passages any name is in a third of them; below ``SHOW_NAME_PASSAGES`` nothing is.
        """
        tid = self.bm25.vocab.get(term)
        return tid is not None and int(self.bm25.df[tid]) >= SHOW_NAME_PASSAGES and self.is_background(term)


def build_index(
    corpus: Corpus,
    lexicon: Lexicon | None = None,
    settings: IndexSettings = IndexSettings(),
    progress: Progress | None = None,
    *,
    cache: bool = True,
    workers: int | None = None,
) -> Index:
    """Read every article of ``corpus`` once and build its index. Raises EmptyCorpusError if nothing is quotable.

    With ``cache`` (and a corpus of ``CACHE_MIN_CHARS`` or more read from a folder), the index is
    read from the on-disk cache when it was built from the same articles with the same code and
    settings (cache.py), and what is built is saved there; only the articles that changed since
    are read again.
    ``workers``: processes reading the articles (default: one per core for a large corpus).
    """
    lexicon = lexicon or tv_lexicon()
    articles = corpus.articles
    window = max(1, settings.passage_sentences)
    store = None
    if cache and corpus.folder is not None and sum(len(a.text) for a in articles) >= CACHE_MIN_CHARS:
        from .cache import IndexCache

        store = IndexCache.open(corpus, lexicon, settings)
    found = store.load() if store is not None else None
    if isinstance(found, Index):
        if progress:
            progress(len(articles), len(articles), found.passage_count)
        return found
    runs = found.plan() if found is not None else [(0, len(articles), None)]
    fresh_texts = [a.text for first, stop, reuse in runs if reuse is None for a in articles[first:stop]]
    reused = len(articles) - len(fresh_texts)
    reused_passages = sum(
        int(passages_of(found.parsed.sent_count[a:b], window).sum())
        for _, _, r in runs
        if r is not None
        for a, b in [r]
    )

    def report(done: int, passages: int) -> None:
        if progress:
            progress(reused + done, len(articles), reused_passages + passages)

    titles: list = []
    helper = None
    if (workers or workers_for(sum(map(len, fresh_texts)))) > 1:  # this process waits on its workers meanwhile
        helper = threading.Thread(target=lambda: titles.append(title_names(articles)), daemon=True)
        helper.start()
    fresh = parse_corpus(fresh_texts, lexicon, report, window, workers) if fresh_texts or found is None else None
    if helper is not None:
        helper.join()
    if fresh is not None and len(runs) == 1:
        parsed = fresh
    else:
        parts, k = [], 0
        for first, stop, reuse in runs:
            if reuse is not None:  # articles unchanged since the cached build: their pieces as they were
                parts.append(found.parsed.select(*reuse))
            else:
                parts.append(fresh.select(k, k + stop - first))
                k += stop - first
        parsed = merge(parts)
    index = assemble(articles, parsed, lexicon, settings, titles=titles[0] if titles else None)
    if store is not None:
        store.save(index, parsed)
    return index


def assemble(
    articles: tuple[Article, ...],
    parsed: Parsed,
    lexicon: Lexicon,
    settings: IndexSettings,
    bm25: SparseBM25 | None = None,
    named: tuple[frozenset[tuple[str, ...]], dict[str, tuple[str, ...]]] | None = None,
    titles: list[list[tuple[str, ...]]] | None = None,
) -> Index:
    """The index of articles read into ``parsed`` (its BM25, and its names and their acronyms, computed unless given)."""
    window = max(1, settings.passage_sentences)
    sent_count = parsed.sent_count.astype(np.int64)
    n_sent = int(sent_count.sum())
    art_first = np.zeros(len(sent_count), dtype=np.int64)
    np.cumsum(sent_count[:-1], out=art_first[1:])
    if not passages_of(sent_count, window).sum() or not parsed.terms:
        raise EmptyCorpusError("the articles hold no quotable sentence")
    pass_first, pass_len, starts, lengths, sent_token_start = passage_layout(sent_count, parsed.term_count, window)
    line_base = np.zeros(len(sent_count), dtype=np.int64)
    np.cumsum(parsed.line_count[:-1], out=line_base[1:])
    vocab = {term: i for i, term in enumerate(parsed.terms)}
    token_ids = parsed.term_ids
    tables: dict = {}

    def names_and_words() -> None:  # plain Python: runs while numpy builds the postings (it lets go of the GIL)
        try:
            if named is None:
                entity_counts = corpus_entities(articles, parsed, titles)
                tables["named"] = frozenset(entity_counts), _acronyms(entity_counts)
            else:
                tables["named"] = named
            tables["words"] = tuple(sorted(w for w in parsed.words[:WORDS_KEPT] if w.isalpha()))
            tables["persons"] = frozenset(parsed.persons)
            tables["quoted"] = tuple(frozenset(t for t in title if t in vocab) for title in parsed.quoted if title)
        except BaseException as exc:  # raised again below, in the caller's thread
            tables["error"] = exc

    helper = threading.Thread(target=names_and_words, name="showbot-index-names", daemon=True)
    helper.start()
    if bm25 is None:
        bm25 = SparseBM25.from_ids(token_ids, starts, lengths, vocab, pairs=parsed.pairs)
    helper.join()
    if "error" in tables:
        raise tables["error"]
    return Index(
        articles=articles,
        lexicon=lexicon,
        settings=settings,
        sent_article=np.repeat(np.arange(len(sent_count), dtype=np.int32), sent_count),
        sent_start=parsed.sent_start,
        sent_end=parsed.sent_end,
        sent_line=(parsed.sent_line + np.repeat(line_base, sent_count)).astype(np.int32),
        sent_pos=(np.arange(n_sent, dtype=np.int64) - np.repeat(art_first, sent_count)).astype(np.int32),
        sent_token_start=sent_token_start,
        token_ids=token_ids,
        pass_first=pass_first,
        pass_len=pass_len,
        bm25=bm25,
        entities=tables["named"][0],
        acronyms=tables["named"][1],
        words=tables["words"],
        person_words=tables["persons"],
        quoted_titles=tables["quoted"],
    )


def title_names(articles: Sequence[Article]) -> list[list[tuple[str, ...]]]:
    """The multi-word names each article's title gives."""
    return [names.entity_words(article.source.title, normalize_word) for article in articles]


def corpus_entities(
    articles: Sequence[Article], parsed: Parsed, titles: list[list[tuple[str, ...]]] | None = None
) -> dict[tuple[str, ...], int]:
    """Multi-word names of the articles and their titles, with counts, in the order first met."""
    counts = np.bincount(parsed.entity_ids, weights=parsed.entity_counts, minlength=len(parsed.entities))
    out = dict(zip(parsed.entities, (int(c) for c in counts.tolist())))
    for found in title_names(articles) if titles is None else titles:
        for words in found:
            out[words] = out.get(words, 0) + 1
    return out


_ACRONYM_MIN = 3
_SYLLABLE_MIN_COUNT = 3  # a title shortened with a letter from inside a word is one the articles name often
_SYLLABLE_MAX_WORDS = 4


def _acronyms(entity_counts: dict[tuple[str, ...], int]) -> dict[str, tuple[str, ...]]:
    """Initials of the corpus's multi-word titles, each to its most frequent title ("aot" -> attack on titan).

    Initials with a letter from inside a word ("jjk" -> jujutsu kaisen, ``names.syllable_acronyms``)
    come from the titles named at least ``_SYLLABLE_MIN_COUNT`` times, where no initials are the same.
    """
    best: dict[str, tuple[int, tuple[str, ...]]] = {}
    for words, count in entity_counts.items():
        if len(words) < _ACRONYM_MIN:
            continue
        # "tlou": titles are kept without their leading "the", fans' initials keep it
        for variant in {words, ("the", *words), tuple(w for w in words if w not in STOPWORDS)}:
            if len(variant) < 2:
                continue
            key = names.acronym(variant)
            if len(key) >= _ACRONYM_MIN and key.isalpha() and (count, words) > best.get(key, (0, ())):
                best[key] = (count, words)  # a tie goes the same way whatever order the titles came in
    syllables: dict[str, tuple[int, tuple[str, ...]]] = {}
    for words, count in entity_counts.items():
        if (
            count < _SYLLABLE_MIN_COUNT
            or not 2 <= len(words) <= _SYLLABLE_MAX_WORDS
            or not all(map(str.isalpha, words))
        ):
            continue
        for key in names.syllable_acronyms(words, STOPWORDS):
            if _ACRONYM_MIN <= len(key) <= 5 and key not in best and (count, words) > syllables.get(key, (0, ())):
                syllables[key] = (count, words)
    return {key: words for key, (_, words) in {**syllables, **best}.items()}
