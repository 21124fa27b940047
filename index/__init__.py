"""showbot's answer engine: articles -> passages -> BM25 -> Answer. Knows nothing of Discord."""

from .answer import Answer, Quote
from .articles import Article, Corpus, SeedsError, Source, bundled_seeds, default_seeds, load_corpus
from .build import EmptyCorpusError, Index, build_index
from .embed import Embedder, ModelError, load_embedder
from .engine import Engine, Settings

__all__ = [
    "Answer",
    "Article",
    "Corpus",
    "EmptyCorpusError",
    "Embedder",
    "Engine",
    "Index",
    "ModelError",
    "build_index",
    "load_embedder",
    "Quote",
    "SeedsError",
    "Settings",
    "Source",
    "bundled_seeds",
    "default_seeds",
    "load_corpus",
]
