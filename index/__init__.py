"""showbot's answer engine: articles -> passages -> BM25 -> Answer. Knows nothing of Discord."""

from .answer import Answer, Quote
from .articles import Article, Corpus, SeedsError, Source, bundled_seeds, default_seeds, load_corpus
from .build import EmptyCorpusError, Index, build_index
from .embed import Embedder, ModelError, load_embedder
from .engine import Engine, Settings
from .reader import Reader, load_reader

__all__ = [
    "Answer",
    "Article",
    "Corpus",
    "Embedder",
    "EmptyCorpusError",
    "Engine",
    "Index",
    "ModelError",
    "Quote",
    "Reader",
    "SeedsError",
    "Settings",
    "Source",
    "build_index",
    "bundled_seeds",
    "default_seeds",
    "load_corpus",
    "load_embedder",
    "load_reader",
]
