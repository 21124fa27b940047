"""Plain BM25 answers on the labelled shows, for comparison with the engine (``python -m bench.quality``).

- ``bm25-sentences``: BM25Okapi (rank-bm25) with one sentence a passage, the engine's own cleaning,
  sentences and tokenizer, and no other rule: the best sentence is the answer, nothing is declined.
- ``rank-bm25-paragraphs``: a naive script: every non-empty line of every file a passage, ``\\w+``
  lower-cased tokens, the best paragraph quoted whole.
"""

from __future__ import annotations

import re

from rank_bm25 import BM25Okapi

from index import load_corpus
from index.build import build_index
from index.tokens import Tokenizer

from .shows import BLIND_FILE, Show


def bm25_sentences(show: Show) -> dict[str, float]:
    index = build_index(load_corpus(show.articles))
    tok = Tokenizer(index.lexicon)
    texts = [index.sentence_text(i) for i in range(index.sentence_count)]
    bm25 = BM25Okapi([tok.terms(t) or ["\x00"] for t in texts])
    return _score(show, lambda q: texts[int(bm25.get_scores(tok.terms(q)).argmax())])


def rank_bm25_paragraphs(show: Show) -> dict[str, float]:
    paragraphs = [
        line.strip() for a in load_corpus(show.articles).articles for line in a.text.splitlines() if line.strip()
    ]
    words = lambda text: re.findall(r"\w+", text.lower())
    bm25 = BM25Okapi([words(p) for p in paragraphs])
    return _score(show, lambda q: paragraphs[int(bm25.get_scores(words(q)).argmax())])


def _score(show: Show, answer) -> dict[str, float]:
    items = [i for i in show.items if i.file == BLIND_FILE and not i.abstain]
    hits = sum(i.is_hit(answer(i.q)) for i in items)
    return {"hit@1": round(hits / len(items), 3), "declined": 0.0}
