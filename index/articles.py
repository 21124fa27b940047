"""Read a folder of article files and what is known of where each came from."""

from __future__ import annotations

import logging
import os
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

log = logging.getLogger(__name__)


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


def _read_sources(folder: Path, warnings: list[str]) -> dict[str, dict]:
    path = folder / "sources.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        warnings.append(f"{path}: ignored, not valid TOML ({exc})")
        return {}
    return {name: entry for name, entry in data.items() if isinstance(entry, dict)}


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def _text_or_none(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


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
    for path in sorted(folder.glob("*.txt")):
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            warnings.append(f"{path.name}: skipped, not UTF-8 text")
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
    for warning in warnings:
        log.warning(warning)
    if not articles:
        raise SeedsError(f"no readable *.txt articles in {folder}")
    return Corpus(articles=tuple(articles), warnings=tuple(warnings), folder=folder)
