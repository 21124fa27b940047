"""``showbot report``: what fans asked that got no answer, the answers with the most 👎, answers per day, articles quoted.

Reads the question log (``bot.questionlog``) without changing it. The same
``Report`` is printed for a terminal (an ASCII bar per row), as JSON, and by
``/report`` as a Discord embed (``bot.feedback``). Platform-neutral.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .text import columns, shorten, terminal_width

DEFAULT_DAYS = 30
TOP = 10  # rows per list
BAR_MAX = 20  # characters of the longest bar
EXIT_USAGE = 2


@dataclass(frozen=True)
class Unanswered:
    """Questions that got no answer and share their search terms: one question, however worded."""

    terms: str
    count: int
    example: str  # the wording asked most often
    wordings: int


@dataclass(frozen=True)
class Downvoted:
    """One quote given as an answer, with the votes on every answer that gave it."""

    source_id: str
    source_title: str
    quote: str
    down: int
    up: int
    example: str  # a question it was voted down for (the latest)


@dataclass(frozen=True)
class Day:
    date: str  # YYYY-MM-DD, UTC
    answered: int
    not_answered: int


@dataclass(frozen=True)
class Quoted:
    source_id: str
    title: str
    count: int


@dataclass
class Report:
    days: int
    questions: int = 0
    answered: int = 0
    unanswered: list[Unanswered] = field(default_factory=list)
    downvoted: list[Downvoted] = field(default_factory=list)
    per_day: list[Day] = field(default_factory=list)
    articles: list[Quoted] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.questions == 0

    def to_json(self) -> dict:
        return {"nothing_yet": self.empty, **asdict(self)}


def build_report(
    conn: sqlite3.Connection, days: int, *, guild_id: int | None = None, now: float | None = None, top: int = TOP
) -> Report:
    """The report over the last ``days`` days, of one server (``guild_id``) or of all."""
    since = (time.time() if now is None else now) - days * 86400
    where, params = "a.at >= ?", [since]
    if guild_id is not None:
        where, params = where + " AND a.guild_id = ?", [*params, guild_id]
    report = Report(days)
    questions, answered = conn.execute(
        f"SELECT COUNT(*), COALESCE(SUM(a.answered), 0) FROM asks a WHERE {where}", params
    ).fetchone()
    report.questions, report.answered = questions, answered
    if not questions:
        return report
    groups = conn.execute(
        f"SELECT a.terms, COUNT(*), COUNT(DISTINCT a.question) FROM asks a "
        f"WHERE {where} AND NOT a.answered AND a.terms != '' "
        f"GROUP BY a.terms ORDER BY COUNT(*) DESC, MAX(a.at) DESC LIMIT ?",
        [*params, top],
    ).fetchall()
    for terms, count, wordings in groups:
        (example,) = conn.execute(
            f"SELECT a.question FROM asks a WHERE {where} AND NOT a.answered AND a.terms = ? "
            f"GROUP BY a.question ORDER BY COUNT(*) DESC, MAX(a.at) DESC LIMIT 1",
            [*params, terms],
        ).fetchone()
        report.unanswered.append(Unanswered(terms, count, example, wordings))
    rows = conn.execute(
        f"SELECT a.source_id, MAX(a.source_title), a.quote, "
        f"SUM(v.vote = -1) AS down, SUM(v.vote = 1) AS up, "
        f"(SELECT b.question FROM asks b JOIN votes w ON w.answer_id = b.id AND w.vote = -1 "
        f" WHERE b.source_id = a.source_id AND b.quote = a.quote ORDER BY b.at DESC LIMIT 1) "
        f"FROM asks a JOIN votes v ON v.answer_id = a.id "
        f"WHERE {where} AND a.quote IS NOT NULL "
        f"GROUP BY a.source_id, a.quote HAVING down > 0 ORDER BY down DESC, up ASC LIMIT ?",
        [*params, top],
    ).fetchall()
    report.downvoted = [Downvoted(s or "", t or s or "", q, d, u, e or "") for s, t, q, d, u, e in rows]
    rows = conn.execute(
        f"SELECT date(a.at, 'unixepoch'), SUM(a.answered), SUM(NOT a.answered) FROM asks a WHERE {where} "
        f"GROUP BY 1 ORDER BY 1",
        params,
    ).fetchall()
    report.per_day = [Day(*row) for row in rows]
    rows = conn.execute(
        f"SELECT a.source_id, MAX(a.source_title), COUNT(*) FROM asks a "
        f"WHERE {where} AND a.answered AND a.source_id IS NOT NULL "
        f"GROUP BY a.source_id ORDER BY COUNT(*) DESC, a.source_id LIMIT ?",
        [*params, top],
    ).fetchall()
    report.articles = [Quoted(s, t or s, c) for s, t, c in rows]
    return report


def read_report(path: Path, days: int, *, guild_id: int | None = None) -> Report:
    """The report from the database at ``path``; an empty report when there is none (it is never created)."""
    if not path.is_file() or path.stat().st_size == 0:
        return Report(days)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] < 1:  # created but never written
            return Report(days)
        return build_report(conn, days, guild_id=guild_id)
    finally:
        conn.close()


def bar(count: int, most: int, width: int = BAR_MAX) -> str:
    """``count`` as a row of ``#``, the longest (``most``) ``width`` long; any count above zero shows."""
    if count <= 0 or most <= 0:
        return ""
    return "#" * max(1, round(width * count / most))


def nothing_yet(path: Path | None, days: int) -> str:
    where = f" in {path}" if path else ""
    return f"Nothing yet: no questions were logged{where} in the last {days} days."


def render_report(report: Report, width: int = 80, path: Path | None = None) -> str:
    """The report for a terminal: one section per list, an ASCII bar per row, cut to ``width`` columns."""
    if report.empty:
        return nothing_yet(path, report.days)
    not_answered = report.questions - report.answered
    out = [
        (
            f"Questions in the last {report.days} days: {report.questions:,} "
            f"({report.answered:,} answered, {not_answered:,} not answered)"
        )
    ]

    def row(head: str, text: str) -> str:
        room = max(10, width - columns(head) - 1)
        return f"{head} {shorten(text, room)}".rstrip()

    out += ["", "Asked most, not answered (near-duplicates counted together):"]
    most = max((u.count for u in report.unanswered), default=0)
    for u in report.unanswered:
        more = f" (+{u.wordings - 1} other wording{'s' if u.wordings > 2 else ''})" if u.wordings > 1 else ""
        out.append(row(f"  {u.count:>5} {bar(u.count, most):<{BAR_MAX}}", u.example + more))
    if not report.unanswered:
        out.append("  none")

    out += ["", "Answers with the most thumbs down (down/up):"]
    most = max((d.down for d in report.downvoted), default=0)
    for d in report.downvoted:
        out.append(row(f"  {d.down:>3}/{d.up:<3} {bar(d.down, most):<{BAR_MAX}}", f"“{d.quote}”"))
        out.append(row(" " * (10 + BAR_MAX), f"— {d.source_id}, for: {d.example}"))
    if not report.downvoted:
        out.append("  none")

    out += ["", "Answers per day (# answered, . not answered):"]
    most = max((d.answered + d.not_answered for d in report.per_day), default=0)
    for d in report.per_day:
        total = d.answered + d.not_answered
        drawn = bar(total, most)
        answered = round(len(drawn) * d.answered / total)
        out.append(
            f"  {d.date} {'#' * answered + '.' * (len(drawn) - answered):<{BAR_MAX}} {d.answered:>5} / {d.not_answered}"
        )

    out += ["", "Articles quoted most:"]
    most = max((a.count for a in report.articles), default=0)
    for a in report.articles:
        out.append(row(f"  {a.count:>5} {bar(a.count, most):<{BAR_MAX}}", f"{a.title} ({a.source_id})"))
    if not report.articles:
        out.append("  none")
    return "\n".join(out)


def cmd_report(args: argparse.Namespace) -> int:
    from .config import ConfigError, load_config

    if args.days < 1:
        print("showbot: error: --days must be 1 or more", file=sys.stderr)
        return EXIT_USAGE
    if args.db:
        path = Path(args.db)
    else:
        try:
            path = load_config(args.env_file).question_db
        except ConfigError as exc:
            print(f"showbot: error: {exc}", file=sys.stderr)
            return EXIT_USAGE
    try:
        report = read_report(path, args.days)
    except sqlite3.Error as exc:
        print(f"showbot: error: cannot read the question log {path}: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"database": str(path), **report.to_json()}, ensure_ascii=False, indent=2))
    else:
        print(render_report(report, terminal_width(), path))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``showbot report`` to the ``showbot`` parser."""
    cmd = subparsers.add_parser(
        "report",
        help="what fans asked that got no answer, the answers voted down most, answers per day, articles quoted",
        description="Read the bot's question log ($SHOWBOT_DB, default showbot.db beside .env) and print "
        "the questions asked most that got no answer (grouped by their search terms), the answers with the "
        "most thumbs down, answers per day and the articles quoted most.",
    )
    cmd.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"how many days back (default {DEFAULT_DAYS})")
    cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    cmd.add_argument("--db", help="the question log to read (default: $SHOWBOT_DB, or showbot.db beside .env)")
    cmd.add_argument("--env-file", default=".env", help="the .env file to read SHOWBOT_DB from (default: ./.env)")
    cmd.set_defaults(func=cmd_report)
