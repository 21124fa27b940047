"""``showbot add URL…`` and ``showbot remove ID…``: the terminal's way to change the folder of articles.

Only ``register`` is imported when the parser is built; the work (and trafilatura) is imported when used,
so ``showbot ask`` starts no slower.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

EXIT_USAGE = 2
EXIT_PARTIAL = 1  # some were added, some failed


def cmd_add(args: argparse.Namespace) -> int:
    from .add import add_file, add_url

    def add(folder: Path, item: str) -> str:
        if "://" in item or not Path(item).is_file():
            return add_url(folder, item).describe()
        return add_file(folder, Path(item)).describe()

    return _each(args.seeds, args.pages, add, name_failures=True)


def cmd_remove(args: argparse.Namespace) -> int:
    from .add import remove

    def remove_one(folder: Path, article_id: str) -> str:
        return f"removed {article_id}: “{remove(folder, article_id)}”"

    return _each(args.seeds, args.ids, remove_one, name_failures=False)


def _each(seeds: str | None, items: list[str], act: Callable[[Path, str], str], *, name_failures: bool) -> int:
    """Apply ``act`` to each item in the folder: its line for each success, an error line for each failure.

    Exit 0 when all succeeded, 1 when some did, 2 when none did (or the folder is refused).
    """
    from .add import AddError, seeds_folder

    try:
        folder = seeds_folder(seeds)
    except AddError as exc:
        print(f"showbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    done = 0
    for item in items:
        try:
            line = act(folder, item)
        except AddError as exc:
            print(f"showbot: error: {item + ': ' if name_failures else ''}{exc}", file=sys.stderr)
            continue
        print(line, flush=True)
        done += 1
    if not done:
        return EXIT_USAGE
    return 0 if done == len(items) else EXIT_PARTIAL


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``add`` and ``remove`` subcommands to the ``showbot`` parser."""
    seeds_help = "the folder of articles to change (default: $SHOWBOT_SEEDS, the folder the bot reads)"
    add = subparsers.add_parser(
        "add",
        help="add articles from web pages (or saved .html files) to the folder",
        description="Fetch each page, keep its article's text and metadata, and write <slug>.txt and its "
        "sources.toml entry. Adding the same address again updates the article.",
    )
    add.add_argument("pages", nargs="+", metavar="URL", help="an http(s) address, or a saved HTML page")
    add.add_argument("--seeds", help=seeds_help)
    add.set_defaults(func=cmd_add)

    rm = subparsers.add_parser("remove", help="remove articles and their sources.toml entries from the folder")
    rm.add_argument(
        "ids", nargs="+", metavar="ID", help="the article's id, its file name (see `showbot sources --json`)"
    )
    rm.add_argument("--seeds", help=seeds_help)
    rm.set_defaults(func=cmd_remove)
