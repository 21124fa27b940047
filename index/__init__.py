"""showbot's answer engine: articles -> passages -> BM25 -> Answer. Knows nothing of Discord."""

from .answer import Answer, Quote
from .articles import Article, Corpus, SeedsError, Source, bundled_seeds, default_seeds, load_corpus
from .engine import Engine, Settings

__all__ = [
    "Answer",
    "Article",
    "Corpus",
    "Engine",
    "Quote",
    "SeedsError",
    "Settings",
    "Source",
    "bundled_seeds",
    "default_seeds",
    "load_corpus",
]
