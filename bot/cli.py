"""The ``showbot`` command: ask, sources, chat (local harness) and run, sync, invite (Discord)."""

from __future__ import annotations

import argparse
import logging
import sys

from index import SeedsError

from . import handlers
from .startup import load_engine
from .text import render_json, render_sources, render_text, sources_json

EXIT_USAGE = 2


def _stdin_lines() -> list[str]:
    data = sys.stdin.buffer.read()
    return data.decode("utf-8", errors="replace").splitlines()


def cmd_ask(args: argparse.Namespace) -> int:
    render = render_json if args.json else render_text
    if args.question:
        question = " ".join(args.question)
        if not handlers.has_words(question):
            print(f"showbot: {handlers.EMPTY_TEXT}", file=sys.stderr)
            return EXIT_USAGE
        questions = [question]
    elif sys.stdin is None or sys.stdin.isatty():
        print(f'showbot: {handlers.EMPTY_TEXT} (usage: showbot ask "QUESTION")', file=sys.stderr)
        return EXIT_USAGE
    else:
        questions = _stdin_lines()
    engine = load_engine(args.seeds)
    for question in questions:
        print(render(handlers.ask(engine, question)), flush=True)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    engine = load_engine(args.seeds)
    print(sources_json(handlers.sources(engine)) if args.json else render_sources(handlers.sources(engine)))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    engine = load_engine(args.seeds)
    print(f"showbot: {len(engine.sources)} articles loaded. Ask a question; an empty line or Ctrl-D quits.")
    while True:
        try:
            line = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line.strip() or line.strip().casefold() in {"quit", "exit", "/quit"}:
            return 0
        print(render_text(handlers.ask(engine, line)))
        print()


def cmd_discord(args: argparse.Namespace) -> int:
    from . import discord_app  # imported here so the CLI harness never loads discord.py

    return discord_app.main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="showbot", description="Answer questions about a TV show from news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    seeds_help = "folder of *.txt articles (default: $SHOWBOT_SEEDS or the bundled seeds)"

    ask = sub.add_parser("ask", help="answer a question (or one per line from stdin)")
    ask.add_argument("question", nargs="*", help="the question; without it, questions are read from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--seeds", help=seeds_help)
    ask.set_defaults(func=cmd_ask)

    src = sub.add_parser("sources", help="list the articles answers come from")
    src.add_argument("--json", action="store_true")
    src.add_argument("--seeds", help=seeds_help)
    src.set_defaults(func=cmd_sources)

    chat = sub.add_parser("chat", help="ask questions interactively")
    chat.add_argument("--seeds", help=seeds_help)
    chat.set_defaults(func=cmd_chat)

    from . import add_cli  # showbot add / showbot remove

    add_cli.register(sub)

    for name, text in (
        ("run", "run the Discord bot (DISCORD_TOKEN from .env or the environment)"),
        ("sync", "push the slash commands to Discord now, even if unchanged, and exit"),
        ("invite", "print the URL that adds the bot to a server"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--env-file", default=".env", help="the .env file to read (default: ./.env)")
        if name != "invite":
            cmd.add_argument("--seeds", help=seeds_help)
        cmd.set_defaults(func=cmd_discord)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.func is not cmd_discord:  # the bot sets up discord.py's own logging
        logging.basicConfig(level=logging.WARNING, format="showbot: %(levelname)s: %(message)s")
    try:
        return args.func(args)
    except SeedsError as exc:
        print(f"showbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
