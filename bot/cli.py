"""The ``showbot`` command: ask, sources, chat (local harness) and run, sync, invite (Discord)."""

from __future__ import annotations

import argparse
import logging
import os
import select
import sys
from collections.abc import Iterator

from index import SeedsError
from index.question import clean_question

from . import handlers
from .startup import load_engine
from .text import (
    explanation_json,
    render_explanation,
    render_json,
    render_sources,
    render_text,
    sources_json,
    terminal_width,
)

EXIT_USAGE = 2
EXIT_BROKEN_PIPE = 128 + 13  # what a shell reports for a tool stopped by SIGPIPE (`… | head -1`)
QUIT_WORDS = frozenset({"quit", "exit", "/quit"})


WAKE_SECONDS = 0.5  # how often a wait for input wakes to notice a Ctrl-C


def stdin_questions() -> Iterator[str]:
    """One question per line of stdin, each as soon as its line arrives.

    Lines end at "\n" only (a trailing "\r" is dropped): form feeds, U+2028 and the like are
    part of a question, so the answers stay aligned with the input lines. The wait for a line
    wakes every half second: a Ctrl-C that the system delivers to another thread (numpy's,
    the tokenizer's) is otherwise only noticed when the next line arrives.
    """
    for raw in _lines(sys.stdin.buffer):
        yield raw.removesuffix(b"\r").decode("utf-8", errors="replace")


def _lines(stream) -> Iterator[bytes]:
    try:
        fd = stream.fileno()
        select.select([fd], [], [], 0)
    except (AttributeError, OSError, ValueError):  # not a real file (tests, Windows pipes): plain reads
        for raw in stream:
            yield raw.removesuffix(b"\n")
        return
    pending = b""
    while True:
        while b"\n" not in pending:
            ready, _, _ = select.select([fd], [], [], WAKE_SECONDS)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:  # end of input
                if pending:
                    yield pending
                return
            pending += chunk
        line, pending = pending.split(b"\n", 1)
        yield line


def _usage_error(message: str) -> int:
    print(f"showbot: {message}", file=sys.stderr)
    return EXIT_USAGE


def _as_asked(raw: str) -> tuple[str, str]:
    """The question as ``handlers.ask`` cleans and cuts it, and the text it hands the engine."""
    question = clean_question(raw, len(raw))[: handlers.MAX_QUESTION_CHARS].rstrip()
    return question, handlers.as_asked(question)


def _explain(engine, raw: str, as_json: bool, width: int) -> str:
    question, asked = _as_asked(raw)
    data = {**engine.explain(asked), "question": question}
    return explanation_json(data) if as_json else render_explanation(data, width)


def cmd_ask(args: argparse.Namespace) -> int:
    width = terminal_width()
    if args.question:
        question = " ".join(args.question)
        if not handlers.has_words(_as_asked(question)[1]):
            return _usage_error(handlers.EMPTY_TEXT)
        engine = load_engine(args.seeds, model=args.model, reader=args.reader)
        if args.explain:
            print(_explain(engine, question, args.json, width))
            return 0
        result = handlers.ask(engine, question)
        if result.problem:  # mentions and nothing else, say: the same as an empty question
            return _usage_error(result.problem)
        print(render_json(result) if args.json else render_text(result, width))
        return 0
    if sys.stdin is None or sys.stdin.isatty():
        return _usage_error(f'{handlers.EMPTY_TEXT} (usage: showbot ask "QUESTION")')
    engine = load_engine(args.seeds, model=args.model, reader=args.reader)  # once for every line
    for i, question in enumerate(stdin_questions()):
        if args.explain:
            out = _explain(engine, question, args.json, width)
        else:
            result = handlers.ask(engine, question)
            out = render_json(result) if args.json else render_text(result, width)
        if i and not args.json:
            out = "\n" + out
        print(out, flush=True)
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    engine = load_engine(args.seeds, model=args.model, reader=args.reader)
    sources = handlers.sources(engine)
    print(sources_json(sources) if args.json else render_sources(sources, terminal_width()))
    return 0


def _line_editing() -> None:
    """Arrow keys, history and the usual editing keys for ``input()`` on a terminal, where available."""
    if sys.stdin.isatty():
        try:
            import readline  # noqa: F401 - importing it is what turns it on
        except ImportError:  # Windows, or Python built without it
            pass


def cmd_chat(args: argparse.Namespace) -> int:
    engine = load_engine(args.seeds, model=args.model, reader=args.reader)
    width = terminal_width()
    _line_editing()
    print(f"showbot: {len(engine.sources)} articles loaded. Ask a question; Ctrl-D or `quit` ends.")
    while True:
        try:
            line = input("you> ")
        except (EOFError, KeyboardInterrupt):
            print()
            return 0
        if not line.strip():
            continue
        if line.strip().casefold() in QUIT_WORDS:
            return 0
        print(render_text(handlers.ask(engine, line), width))
        print(flush=True)


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
    ask.add_argument("--explain", action="store_true", help="show how the answer was chosen instead of the answer")
    ask.add_argument("--seeds", help=seeds_help)
    _model_option(ask)
    ask.set_defaults(func=cmd_ask)

    src = sub.add_parser("sources", help="list the articles answers come from")
    src.add_argument("--json", action="store_true")
    src.add_argument("--seeds", help=seeds_help)
    _model_option(src)
    src.set_defaults(func=cmd_sources)

    chat = sub.add_parser("chat", help="ask questions interactively")
    chat.add_argument("--seeds", help=seeds_help)
    _model_option(chat)
    chat.set_defaults(func=cmd_chat)

    from . import add_cli  # showbot add / showbot remove

    add_cli.register(sub)
    from . import report  # showbot report

    report.register(sub)

    for name, text in (
        ("run", "run the Discord bot (DISCORD_TOKEN from .env or the environment)"),
        ("sync", "push the slash commands to Discord now, even if unchanged, and exit"),
        ("invite", "print the URL that adds the bot to a server"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--env-file", default=".env", help="the .env file to read (default: ./.env)")
        if name != "invite":
            cmd.add_argument("--seeds", help=seeds_help)
            _model_option(cmd)
        cmd.set_defaults(func=cmd_discord)
    return parser


def _model_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-model",
        dest="model",
        action="store_const",
        const="none",
        default=None,
        help="answer with words only, without the sentence model (as SHOWBOT_MODEL=none)",
    )
    parser.add_argument(
        "--no-reader",
        dest="reader",
        action="store_const",
        const="none",
        default=None,
        help="rank without the answer reader (as SHOWBOT_READER=none)",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.func is not cmd_discord:  # the bot sets up discord.py's own logging
        logging.basicConfig(level=logging.WARNING, format="showbot: %(levelname)s: %(message)s")
        _tolerate_any_encoding()
    try:
        return args.func(args)
    except SeedsError as exc:
        print(f"showbot: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`showbot sources | head -1`): stop quietly
        _discard_stdout()
        return EXIT_BROKEN_PIPE


def _tolerate_any_encoding() -> None:
    """Input that is not valid in the locale's encoding, and output the terminal cannot show, never crash."""
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        try:
            stream.reconfigure(errors=errors)  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):  # not a text stream, or one that cannot change
            pass


def _discard_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush does not fail (and print) again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
