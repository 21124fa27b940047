from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from index import Engine, bundled_seeds, load_corpus

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return bundled_seeds()


@pytest.fixture(scope="session")
def engine(seeds_dir: Path) -> Engine:
    return Engine(load_corpus(seeds_dir))


def norm(text: str) -> str:
    """The normalisation of shared/eval/score.py: quotes, dashes and spaces."""
    text = unicodedata.normalize("NFKC", text or "")
    for a, b in (("\u2019", "'"), ("\u2018", "'"), ("\u201c", '"'), ("\u201d", '"'), ("\u2013", "-"), ("\u2014", "-")):
        text = text.replace(a, b)
    return re.sub(r"\s+", " ", text).strip().lower()


def is_verbatim(quote: str, article_text: str) -> bool:
    return re.sub(r"\s+", " ", quote).strip() in re.sub(r"\s+", " ", article_text)
