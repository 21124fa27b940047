"""``showbot add URL…`` and ``showbot remove ID…``: the terminal's way to change the folder of articles.

Only ``register`` is imported when the parser is built; the work (and trafilatura) is imported when used,
so ``showbot ask`` starts no slower.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_USAGE = 2
EXIT_PARTIAL = 1  # some were added, some failed


def cmd_add(args: argparse.Namespace) -> int:
    from .add import AddError, add_file, add_url, seeds_folder

    try:
        folder = seeds_folder(args.seeds)
    except AddError as exc:
        print(f"showbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    added = 0
    for item in args.pages:
        try:
            if "://" in item or not Path(item).is_file():
                result = add_url(folder, item)
            else:
                result = add_file(folder, Path(item))
        except AddError as exc:
            print(f"showbot: error: {item}: {exc}", file=sys.stderr)
            continue
        print(result.describe(), flush=True)
        added += 1
    if not added:
        return EXIT_USAGE
    return 0 if added == len(args.pages) else EXIT_PARTIAL


def cmd_remove(args: argparse.Namespace) -> int:
    from .add import AddError, remove, seeds_folder

    try:
        folder = seeds_folder(args.seeds)
    except AddError as exc:
        print(f"showbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    removed = 0
    for article_id in args.ids:
        try:
            title = remove(folder, article_id)
        except AddError as exc:
            print(f"showbot: error: {exc}", file=sys.stderr)
            continue
        print(f"removed {article_id}: “{title}”", flush=True)
        removed += 1
    if not removed:
        return EXIT_USAGE
    return 0 if removed == len(args.ids) else EXIT_PARTIAL


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
