"""Vocabulary in layers: English (code), TV and film (``data/tv.toml``), one show (``lexicon.toml``).

A ``Lexicon`` says which words and phrases mean the same thing. The tokenizer
folds them onto one search term, in articles and questions alike, so the
lexicon is part of what an index was built with.

A show's own file, ``lexicon.toml`` beside its ``sources.toml``, has the same
tables as ``data/tv.toml``: ``[fold]``, ``[exact]``, ``[phrases]`` and ``[answers]``
(``genres``, ``platforms``: words an answer of that kind is). Its entries are
added to (and may override) the shared ones; a bad file is a warning naming
it, never a crash.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

from . import english

log = logging.getLogger(__name__)

LEXICON_FILE = "lexicon.toml"
_APOSTROPHES = re.compile(r"['\u2018\u2019`]")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Lexicon:
    """Words and phrases that mean one thing: ``fold`` by stem, ``exact`` by word, ``phrases`` by word runs."""

    fold: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> words whose stems fold onto it
    exact: dict[str, str] = field(default_factory=dict)  # word -> term
    phrases: dict[str, tuple[str, ...]] = field(default_factory=dict)  # term -> phrases (lower case, spaced)
    answers: dict[str, tuple[str, ...]] = field(default_factory=dict)  # lists for the answer detectors
    sources: tuple[str, ...] = ()  # where the entries came from, for messages

    def merged(self, other: Lexicon) -> Lexicon:
        """This lexicon with ``other``'s entries added (``other`` wins where both fold the same word)."""
        fold = dict(self.fold)
        for term, words in other.fold.items():
            fold[term] = tuple(dict.fromkeys((*fold.get(term, ()), *words)))
        phrases = dict(self.phrases)
        for term, items in other.phrases.items():
            phrases[term] = tuple(dict.fromkeys((*phrases.get(term, ()), *items)))
        answers = dict(self.answers)
        for name, items in other.answers.items():
            answers[name] = tuple(dict.fromkeys((*answers.get(name, ()), *items)))
        return Lexicon(fold, {**self.exact, **other.exact}, phrases, answers, (*self.sources, *other.sources))

    @property
    def digest(self) -> str:
        """A short hash of the entries, for caches of what was built with this lexicon."""
        blob = json.dumps([self.fold, self.exact, self.phrases], sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]


def _strings(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str) and v.strip())
    return ()


def parse_lexicon(data: dict, source: str) -> Lexicon:
    """A lexicon from the tables of a parsed TOML file; entries of the wrong type are skipped with a warning."""
    tables = {}
    for name in ("fold", "exact", "phrases", "answers"):
        table = data.get(name, {})
        if not isinstance(table, dict):
            log.warning("%s: [%s] is not a table; ignored", source, name)
            table = {}
        tables[name] = table
    fold = {str(k).lower(): _strings(v) for k, v in tables["fold"].items() if _strings(v)}
    exact = {str(k).lower(): v.lower() for k, v in tables["exact"].items() if isinstance(v, str) and v.strip()}
    phrases = {str(k).lower(): tuple(p.lower() for p in _strings(v)) for k, v in tables["phrases"].items()}
    answers = {str(k): _strings(v) for k, v in tables["answers"].items()}
    skipped = sum(len(t) for t in tables.values()) - len(fold) - len(exact) - len(phrases) - len(answers)
    if skipped:
        log.warning("%s: %d entries are not words or lists of words; ignored", source, skipped)
    return Lexicon(fold, exact, {k: v for k, v in phrases.items() if v}, answers, (source,))


@cache
def tv_lexicon() -> Lexicon:
    """The shared TV and film vocabulary, with the English synonyms and phrases under it."""
    base = Lexicon(
        fold=dict(english.SYNONYMS),
        phrases=dict(english.PHRASES),
        sources=("index/english.py",),
    )
    text = resources.files("index").joinpath("data/tv.toml").read_text(encoding="utf-8")
    return base.merged(parse_lexicon(tomllib.loads(text), "index/data/tv.toml"))


def load_lexicon(folder: Path | str | None) -> Lexicon:
    """The TV lexicon, plus ``folder/lexicon.toml`` when there is one."""
    shared = tv_lexicon()
    if folder is None:
        return shared
    path = Path(folder) / LEXICON_FILE
    if not path.is_file():
        return shared
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        log.warning("%s: ignored, not valid TOML (%s)", path, exc)
        return shared
    return shared.merged(parse_lexicon(data, str(path)))


def work_key(text: str) -> str:
    """``text`` as titles are matched: lower case, apostrophes dropped, other marks as spaces.

    "Schitt's Creek" and "schitts creek" are both "schitts creek"; "Steins;Gate" is "steins gate".
    """
    text = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
    return " ".join(_WORD.findall(text))


@cache
def well_known_works() -> tuple[str, ...]:
    """The titles of ``data/works.toml`` (well-known shows and films), as ``work_key`` writes them."""
    text = resources.files("index").joinpath("data/works.toml").read_text(encoding="utf-8")
    titles = _strings(tomllib.loads(text).get("works", {}).get("titles", []))
    return tuple(dict.fromkeys(key for key in map(work_key, titles) if key))
