"""Add articles to a folder from web pages (or saved pages) and remove them.

What ``showbot add`` / ``showbot remove`` (``bot.add_cli``) and the Discord admin commands do. Nothing is written until a
page has been fetched and its article extracted; then the ``.txt`` and its
``sources.toml`` entry are written atomically (see ``bot.folder``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from index import bundled_seeds, default_seeds
from index.english import looks_english

from .extract import Extracted, ExtractError, extract
from .fetch import FetchError, fetch
from .folder import Entry, article_for_url, locked, new_article_name, put_article, read_sources, remove_article

NOT_ENGLISH = "It does not look like English: showbot reads English, so it will rarely answer from it."


class AddError(Exception):
    """Nothing was added or removed; the message says why in one line."""


@dataclass(frozen=True)
class Added:
    name: str  # the article's file name in the folder, its id
    title: str
    publisher: str | None
    published: str | None
    updated: bool  # True when it replaced an article added before from the same address
    english: bool = True  # False when its text does not look like English, which is all showbot reads

    def describe(self) -> str:
        about = ", ".join(x for x in (self.publisher, self.published) if x)
        said = f"{'updated' if self.updated else 'added'} {self.name}: “{self.title}”" + (
            f" ({about})" if about else ""
        )
        return said if self.english else f"{said}. {NOT_ENGLISH}"


def seeds_folder(seeds: str | Path | None) -> Path:
    """The folder to change: ``seeds``, else ``$SHOWBOT_SEEDS``; never the seeds bundled with the package."""
    folder = Path(seeds) if seeds else default_seeds()
    if folder.resolve() == bundled_seeds().resolve():
        raise AddError(
            "the bundled seeds cannot be changed; set SHOWBOT_SEEDS (or --seeds) to a folder of your own"
            " (it may start empty or as a copy of the seeds)"
        )
    return folder


def _save(folder: Path, article: Extracted, addresses: list[str]) -> Added:
    folder.mkdir(parents=True, exist_ok=True)
    with locked(folder):
        try:
            existing = article_for_url(folder, [article.url or "", *addresses])
            name = existing or new_article_name(folder, article.title)
            entry = Entry(
                title=article.title, publisher=article.publisher, url=article.url, published=article.published
            )
            put_article(folder, name, article.text, entry)
        except ValueError as exc:  # tomlkit's ParseError is a ValueError
            raise AddError(f"{folder / 'sources.toml'} is not valid TOML ({exc}); fix it first") from None
        except OSError as exc:
            raise AddError(f"cannot write to {folder} ({exc.strerror or exc})") from None
    return Added(
        name,
        article.title,
        article.publisher,
        article.published,
        updated=existing is not None,
        english=looks_english(article.text),
    )


def add_url(folder: Path, url: str, *, public_only: bool = False) -> Added:
    """Fetch ``url``, extract its article and save it. ``public_only`` for URLs from untrusted people."""
    url = url.strip()
    try:
        page = fetch(url, public_only=public_only)
        article = extract(page.body, page.url, page.charset)
    except (FetchError, ExtractError) as exc:
        raise AddError(str(exc)) from None
    return _save(folder, article, [url, page.url])


def add_file(folder: Path, path: Path) -> Added:
    """Extract the article of a saved HTML page and save it."""
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise AddError(f"cannot read it ({exc.strerror or exc})") from None
    try:
        article = extract(body)
    except ExtractError as exc:
        raise AddError(str(exc)) from None
    return _save(folder, article, [])


def remove(folder: Path, article_id: str) -> str:
    """Delete an article and its entry; returns its title. AddError when there is no such article."""
    name = article_id if article_id.endswith(".txt") else f"{article_id}.txt"
    if "/" in name or "\\" in name or name.startswith("."):
        raise AddError(f"{article_id}: not an article id (see `showbot sources --json`)")
    if not folder.is_dir():
        raise AddError(f"seeds folder not found: {folder}")
    with locked(folder):
        try:
            entry = read_sources(folder).get(name)
            title = str(entry.get("title", name)) if hasattr(entry, "get") else name
            if not remove_article(folder, name):
                raise AddError(f"{article_id}: no such article in {folder}")
        except ValueError as exc:
            raise AddError(f"{folder / 'sources.toml'} is not valid TOML ({exc}); fix it first") from None
        except OSError as exc:
            raise AddError(f"cannot change {folder} ({exc.strerror or exc})") from None
    return title
