"""Changes to a folder of articles: an article's ``.txt`` and its ``sources.toml`` entry, written atomically.

Every file is written to a temporary file beside it and renamed over the old
one, so a reader (the bot's reload) sees the old file or the new one, never
half of one. ``sources.toml`` is edited with tomlkit, which keeps its other
entries, comments and layout as they were.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tomlkit

SOURCES = "sources.toml"
LOCK = ".sources.toml.lock"
MAX_SLUG = 60


@dataclass(frozen=True)
class Entry:
    """What ``sources.toml`` says about one article."""

    title: str
    publisher: str | None = None
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: all of it or nothing."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold the folder's lock, so two writers (the terminal and the bot) never interleave their edits."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; writes are still atomic one by one
        yield
        return
    with open(folder / LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def read_sources(folder: Path) -> tomlkit.TOMLDocument:
    path = folder / SOURCES
    return tomlkit.parse(path.read_text(encoding="utf-8")) if path.is_file() else tomlkit.document()


def _write_sources(folder: Path, doc: tomlkit.TOMLDocument) -> None:
    atomic_write(folder / SOURCES, tomlkit.dumps(doc).rstrip() + "\n")


def slug(title: str) -> str:
    """A file-name-safe form of a title: ``'Who's in it? (2025)'`` -> ``whos-in-it-2025``."""
    ascii_text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", " ", ascii_text.lower().replace("'", "")).split()
    out = ""
    for word in words:
        if len(out) + len(word) + 1 > MAX_SLUG:
            break
        out = f"{out}-{word}" if out else word
    return out or "article"


def article_for_url(folder: Path, urls: list[str]) -> str | None:
    """The file name of the article whose entry has one of ``urls``, if any."""
    wanted = {u.split("#", 1)[0] for u in urls if u}
    for name, entry in read_sources(folder).items():
        url = str(entry.get("url", "")) if hasattr(entry, "get") else ""
        if url.split("#", 1)[0] in wanted and (folder / name).is_file():
            return name
    return None


def new_article_name(folder: Path, title: str) -> str:
    """A new ``<slug>.txt`` name in ``folder``, with a number added when the slug is taken."""
    base = slug(title)
    taken = set(read_sources(folder).keys())
    name, n = f"{base}.txt", 2
    while name in taken or (folder / name).exists():
        name, n = f"{base}-{n}.txt", n + 1
    return name


def _entry_table(entry: Entry) -> tomlkit.items.Table:
    table = tomlkit.table()
    table["title"] = entry.title
    if entry.publisher:
        table["publisher"] = entry.publisher
    if entry.url:
        table["url"] = entry.url
    if entry.published:
        try:
            table["published"] = datetime.date.fromisoformat(entry.published)
        except ValueError:
            table["published"] = entry.published
    return table


def put_article(folder: Path, name: str, text: str, entry: Entry) -> None:
    """Write (or replace) the article ``name`` and its entry; on failure the folder is as it was."""
    path = folder / name
    old_text = path.read_bytes() if path.is_file() else None
    atomic_write(path, text)
    try:
        doc = read_sources(folder)
        doc[name] = _entry_table(entry)  # an existing entry is replaced where it stands
        _write_sources(folder, doc)
    except BaseException:
        if old_text is None:
            path.unlink(missing_ok=True)
        else:
            atomic_write(path, old_text.decode("utf-8"))
        raise


def remove_article(folder: Path, name: str) -> bool:
    """Delete the article ``name`` and its entry. False when there was no such article."""
    path = folder / name
    doc = read_sources(folder)
    if name not in doc and not path.is_file():
        return False
    if name in doc:
        del doc[name]
        _write_sources(folder, doc)
    path.unlink(missing_ok=True)
    return True
