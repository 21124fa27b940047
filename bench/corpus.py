"""Deterministic benchmark corpora: synthetic Zipf-vocabulary articles plus perturbed copies of the seeds."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from index import Article, Corpus, Source, bundled_seeds, load_corpus

SENTENCES_PER_ARTICLE = 20
WORDS_PER_SENTENCE = 20  # a passage of 3 sentences is ~60 terms
VOCABULARY = 200_000
ZIPF_EXPONENT = 1.1
SEED_SHARE = 0.1  # share of passages that come from perturbed copies of the seed articles
_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


@lru_cache(maxsize=2)
def vocabulary(size: int = VOCABULARY) -> np.ndarray:
    """``size`` distinct pronounceable pseudo-words, the same every run."""
    rng = np.random.default_rng(7)
    syllables = np.array(_SYLLABLES, dtype=object)
    words: dict[str, None] = {}
    while len(words) < size:
        picks = syllables[rng.integers(0, len(syllables), (size, 4))]
        lengths = rng.integers(2, 5, size)
        for row, n in zip(picks, lengths):
            words.setdefault("".join(row[:n]), None)
    return np.array(list(words)[:size], dtype=object)


def _zipf_ids(rng: np.random.Generator, count: int, size: int) -> np.ndarray:
    ids = rng.zipf(ZIPF_EXPONENT, count) - 1
    return np.where(ids < size, ids, rng.integers(0, size, count))


def synthetic_articles(n_articles: int, seed: int = 0) -> list[Article]:
    """Articles of ``SENTENCES_PER_ARTICLE`` sentences of Zipf-distributed words, in paragraphs of four."""
    rng = np.random.default_rng(seed)
    words = vocabulary()
    ids = _zipf_ids(rng, n_articles * SENTENCES_PER_ARTICLE * WORDS_PER_SENTENCE, len(words))
    sentences = words[ids].reshape(-1, WORDS_PER_SENTENCE)
    articles = []
    for a in range(n_articles):
        lines = [f"Report {a} on the show"]
        block = sentences[a * SENTENCES_PER_ARTICLE : (a + 1) * SENTENCES_PER_ARTICLE]
        paragraph = []
        for k, row in enumerate(block):
            paragraph.append(row[0].capitalize() + " " + " ".join(row[1:]) + f" {int(ids[k]) % 3000}.")
            if len(paragraph) == 4:
                lines.append(" ".join(paragraph))
                paragraph = []
        text = "\n\n".join(lines) + "\n"
        articles.append(Article(Source(id=f"synthetic-{a:07}.txt", title=f"Report {a}"), text))
    return articles


def perturbed_seeds(n_copies: int, seed: int = 1) -> list[Article]:
    """Copies of the seed articles with numbers changed and one in ten words replaced."""
    rng = np.random.default_rng(seed)
    words = vocabulary()
    seeds = load_corpus(bundled_seeds()).articles
    out = []
    for c in range(n_copies):
        original = seeds[c % len(seeds)]
        tokens = original.text.split(" ")
        swap = rng.random(len(tokens)) < 0.1
        replacement = words[_zipf_ids(rng, len(tokens), len(words))]
        text = " ".join(r if s and t.isalpha() else t for t, s, r in zip(tokens, swap, replacement))
        source = Source(
            id=f"seed-copy-{c:06}.txt",
            title=f"{original.source.title} (copy {c})",
            publisher=original.source.publisher,
            url=original.source.url,
        )
        out.append(Article(source, text))
    return out


def build_corpus(n_passages: int) -> Corpus:
    """About ``n_passages`` passages: synthetic articles and, for a tenth, perturbed seed copies."""
    per_synthetic = SENTENCES_PER_ARTICLE - 2  # windows of three sentences
    per_seed = 16  # a seed article gives about 16 passages
    seed_copies = max(1, round(n_passages * SEED_SHARE / per_seed))
    n_synthetic = max(1, (n_passages - seed_copies * per_seed) // per_synthetic)
    return Corpus(tuple(synthetic_articles(n_synthetic) + perturbed_seeds(seed_copies)))


def sample_queries(corpus: Corpus, n: int, terms_per_query: int = 5, seed: int = 3) -> list[str]:
    """Questions of ``terms_per_query`` words drawn from random synthetic articles' sentences."""
    rng = np.random.default_rng(seed)
    synthetic = [a for a in corpus.articles if a.source.id.startswith("synthetic")]
    out = []
    for _ in range(n):
        article = synthetic[int(rng.integers(0, len(synthetic)))]
        words = [w.strip(".").lower() for w in article.text.split()[5:] if w.strip(".").isalpha()]
        picks = rng.choice(len(words), size=min(terms_per_query, len(words)), replace=False)
        out.append(" ".join(words[int(i)] for i in picks))
    return out
