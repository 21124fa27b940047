"""Read a folder of article files and what is known of where each came from."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import stat
import tomllib
import unicodedata
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from .english import looks_english

log = logging.getLogger(__name__)

SOURCE_FIELDS = ("title", "publisher", "url", "published")  # what an entry of sources.toml may say


class SeedsError(Exception):
    """The seeds folder is missing, empty or holds no readable article."""


@dataclass(frozen=True)
class Source:
    """Where an article came from. ``url`` is None when its address is unknown."""

    id: str
    title: str
    publisher: str | None = None
    url: str | None = None
    published: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "publisher": self.publisher,
            "url": self.url,
            "published": self.published,
        }


@dataclass(frozen=True)
class Article:
    source: Source
    text: str


@dataclass(frozen=True)
class Corpus:
    articles: tuple[Article, ...]
    warnings: tuple[str, ...] = ()
    folder: Path | None = None  # where the articles were read from (its lexicon.toml applies)


def bundled_seeds() -> Path:
    """The seed articles shipped with the package (works after a plain ``pip install .``)."""
    return Path(str(resources.files("showbot_seeds")))


def default_seeds() -> Path:
    """``SHOWBOT_SEEDS`` if set, else the bundled seeds."""
    env = os.environ.get("SHOWBOT_SEEDS", "").strip()
    return Path(env) if env else bundled_seeds()


def _entry(name: str) -> str:
    """How a warning names an entry of sources.toml, as it is written there."""
    return f"sources.toml: [{json.dumps(name, ensure_ascii=False)}]"


def _read_sources(folder: Path, warnings: list[str]) -> dict[str, dict]:
    """The entries of ``sources.toml``, every field checked; a bad field is a warning and left out."""
    path = folder / "sources.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        warnings.append(f"{path}: ignored, not valid TOML ({exc})")
        return {}
    entries: dict[str, dict] = {}
    for name, entry in data.items():
        if not isinstance(entry, dict):
            warnings.append(f"sources.toml: {json.dumps(name, ensure_ascii=False)} ignored, not a table of fields")
            continue
        entries[name] = {}
        for field, value in entry.items():
            problem = _field_problem(field, value)
            if problem:
                warnings.append(f"{_entry(name)}: {field} ignored, {problem}")
            else:
                entries[name][field] = value.strip() if isinstance(value, str) else str(value)
    return entries


def _field_problem(field: str, value: object) -> str | None:
    """Why ``value`` cannot be the entry's ``field``, or None when it can."""
    if field not in SOURCE_FIELDS:
        return f"not one of {', '.join(SOURCE_FIELDS)}"
    if field == "published" and isinstance(value, (dt.date, dt.datetime)):
        return None
    if not isinstance(value, str):
        return f"not a text value ({type(value).__name__})"
    if field == "url":
        return _url_problem(value.strip())
    return None


def _url_problem(url: str) -> str | None:
    """Only absolute http(s) addresses with a host and no spaces: what Discord accepts as a link."""
    if any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        return "the address holds spaces or control characters"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "not an http(s) address"
    return None


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _read_article(path: Path) -> str:
    """The text of ``path`` if it is a regular file (or a symlink to one). Raises OSError, UnicodeDecodeError.

    Opened without blocking so a FIFO or a device named ``*.txt`` is refused instead of waited on.
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as f:
        if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
            raise _NotAFile
        data = f.read()
    return data.decode("utf-8").removeprefix("\ufeff")


def _not_english(names: list[str], shown: int = 5) -> str:
    """One warning for every article that does not look like English, naming the first ``shown``."""
    listed = ", ".join(names[:shown]) + (f" and {len(names) - shown} more" if len(names) > shown else "")
    if len(names) == 1:
        return f"{listed}: does not look like English; showbot reads English, so it will rarely find answers in it"
    return (
        f"{len(names)} articles do not look like English ({listed}); showbot reads English, so it will rarely "
        "find answers in them"
    )


class _NotAFile(OSError):
    """A directory, FIFO, socket or device where an article was expected."""


def load_corpus(folder: Path | str) -> Corpus:
    """Load every ``*.txt`` article in ``folder``.

    An unreadable or non-UTF-8 file becomes a warning naming it; the others are
    still loaded. Raises SeedsError when the folder is missing or nothing is left.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SeedsError(f"seeds folder not found: {folder}")
    warnings: list[str] = []
    meta = _read_sources(folder, warnings)
    articles: list[Article] = []
    foreign: list[str] = []  # articles that do not look like English
    paths = sorted(folder.glob("*.txt"))
    for path in paths:
        try:
            text = _read_article(path)
        except UnicodeDecodeError:
            warnings.append(f"{path.name}: skipped, not UTF-8 text")
            continue
        except (IsADirectoryError, _NotAFile):
            warnings.append(f"{path.name}: skipped, not a regular file")
            continue
        except OSError as exc:
            warnings.append(f"{path.name}: skipped, unreadable ({exc.strerror or exc})")
            continue
        if "\x00" in text:
            warnings.append(f"{path.name}: skipped, looks like a binary file")
            continue
        if not text.strip():
            warnings.append(f"{path.name}: skipped, empty")
            continue
        entry = meta.get(path.name, {})
        source = Source(
            id=path.name,
            title=_text_or_none(entry.get("title")) or _first_line(text)[:200],
            publisher=_text_or_none(entry.get("publisher")),
            url=_text_or_none(entry.get("url")),
            published=_text_or_none(entry.get("published")),
        )
        articles.append(Article(source=source, text=text))
        if not looks_english(text):
            foreign.append(path.name)
    for name in sorted(meta.keys() - {p.name for p in paths}):
        warnings.append(f"{_entry(name)} ignored, no such article (*.txt) in the folder")
    if foreign:
        warnings.append(_not_english(foreign))
    for warning in warnings:
        log.warning(warning)
    if not articles:
        raise SeedsError(f"no readable *.txt articles in {folder}")
    return Corpus(articles=tuple(articles), warnings=tuple(warnings), folder=folder)
