"""``showbot report`` on a real question log: unanswered questions grouped by their terms, the most 👎 answers,
answers per day, articles quoted; nothing yet on a missing or empty database; the days window and the server."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import ROOT

from bot import cli
from bot.questionlog import AskRecord, QuestionLog, VoteRecord
from bot.report import build_report, read_report, render_report

GUILD, OTHER = 1, 2
DAY = 86400.0
NOW = time.time()


def answer(i: int, question: str, source: str, quote: str, *, guild: int = GUILD, at: float = NOW) -> AskRecord:
    return AskRecord(i, guild, 1000 + i, question, True, "", source, f"Title of {source}", quote, 0.8, at=at)


def no_answer(i: int, question: str, *, guild: int = GUILD, at: float = NOW) -> AskRecord:
    return AskRecord(i, guild, 1000 + i, question, False, "too unlikely", score=0.2, at=at)


@pytest.fixture
def filled(tmp_path):
    """A log as a few days of a server would leave it."""
    log = QuestionLog(tmp_path / "log.db")
    log.start()
    entries = [
        no_answer(1, "When does season 2 come out?"),
        no_answer(2, "when does season 2 come out"),
        no_answer(3, "When will Season 2 come out?!", at=NOW - DAY),
        no_answer(4, "who plays the principal?"),
        no_answer(5, "who plays the principal", at=NOW - DAY),
        no_answer(6, "Is there a dog in it?"),
        no_answer(7, "when does season 2 come out", at=NOW - 40 * DAY),  # outside 30 days
        no_answer(8, "when does season 2 come out", guild=OTHER),  # another server
        answer(20, "who created it", "harbor.txt", "Harbor Lights was created by Ines Okafor."),
        answer(21, "who made harbor lights", "harbor.txt", "Harbor Lights was created by Ines Okafor."),
        answer(22, "where is it filmed", "moss.txt", "Moss Point is filmed in a lighthouse.", at=NOW - DAY),
        answer(23, "is it good", "moss.txt", "Moss Point is a quiz show."),
        answer(24, "who hosts it", "moss.txt", "Moss Point is a quiz show."),
    ]
    for entry in entries:
        assert log.record(entry).result(10)
    votes = [(20, 1, -1), (20, 2, -1), (21, 3, -1), (21, 4, 1), (23, 5, -1), (24, 6, 1), (22, 7, 1)]
    for answer_id, user, vote in votes:
        assert log.vote(VoteRecord(answer_id, user, vote)).result(10)
    log.close()
    return tmp_path / "log.db"


def test_unanswered_questions_are_grouped_by_their_terms_most_asked_first(filled):
    report = read_report(filled, 30)
    assert report.questions == 13 - 1  # one is older than 30 days
    assert [(u.count, u.example, u.wordings) for u in report.unanswered] == [
        (4, "when does season 2 come out", 3),  # three wordings, one question; this server's and the other's
        (2, "who plays the principal?", 2),  # each wording once: the latest
        (1, "Is there a dog in it?", 1),
    ]
    one_server = read_report(filled, 30, guild_id=GUILD)
    assert one_server.unanswered[0].count == 3 and one_server.questions == 11


def test_the_answers_with_the_most_thumbs_down_come_first_counted_over_every_answer_giving_the_quote(filled):
    report = read_report(filled, 30)
    assert [(d.quote, d.down, d.up, d.source_id) for d in report.downvoted] == [
        ("Harbor Lights was created by Ines Okafor.", 3, 1, "harbor.txt"),
        ("Moss Point is a quiz show.", 1, 1, "moss.txt"),
    ]  # the lighthouse quote got only 👍: not listed
    assert report.downvoted[0].example in ("who created it", "who made harbor lights")


def test_answers_per_day_and_articles_quoted_most(filled):
    report = read_report(filled, 30)
    today = time.strftime("%Y-%m-%d", time.gmtime(NOW))
    yesterday = time.strftime("%Y-%m-%d", time.gmtime(NOW - DAY))
    assert [(d.date, d.answered, d.not_answered) for d in report.per_day] == [(yesterday, 1, 2), (today, 4, 5)]
    assert [(a.source_id, a.title, a.count) for a in report.articles] == [
        ("moss.txt", "Title of moss.txt", 3),
        ("harbor.txt", "Title of harbor.txt", 2),
    ]
    assert read_report(filled, 1, guild_id=GUILD).questions == 8  # the last 24 hours only


def test_the_terminal_report_has_a_bar_per_row_in_ascii(filled):
    text = render_report(read_report(filled, 30), width=80)
    lines = text.splitlines()
    assert lines[0] == "Questions in the last 30 days: 12 (5 answered, 7 not answered)"
    row = next(line for line in lines if "when does season 2 come out" in line)
    assert row.split()[:2] == ["4", "#" * 20] and "(+2 other wordings)" in row
    assert next(line for line in lines if "who plays the principal" in line).split()[:2] == ["2", "#" * 10]
    down = next(line for line in lines if "Ines Okafor" in line)
    assert down.split()[:2] == ["3/1", "#" * 20]
    assert all(len(line) <= 80 for line in lines)


def test_report_command_text_and_json(filled, capsys):
    assert cli.main(["report", "--db", str(filled)]) == 0
    out = capsys.readouterr().out
    assert "Asked most, not answered" in out and "when does season 2 come out" in out
    assert cli.main(["report", "--db", str(filled), "--json", "--days", "60"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["nothing_yet"] is False and data["days"] == 60 and data["questions"] == 13
    assert data["unanswered"][0] == {
        "terms": "2 come season",
        "count": 5,
        "example": "when does season 2 come out",
        "wordings": 3,
    }
    assert data["downvoted"][0]["down"] == 3


def test_a_missing_or_empty_database_says_there_is_nothing_yet(tmp_path, capsys):
    missing = tmp_path / "missing.db"
    assert cli.main(["report", "--db", str(missing)]) == 0
    assert capsys.readouterr().out.startswith("Nothing yet: no questions were logged in")
    assert not missing.exists()  # reading never creates it
    empty = tmp_path / "empty.db"
    empty.touch()
    assert cli.main(["report", "--db", str(empty), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["nothing_yet"] is True
    started = QuestionLog(tmp_path / "started.db")  # the bot started, nobody asked yet
    started.start()
    started.close()
    assert cli.main(["report", "--db", str(tmp_path / "started.db")]) == 0
    assert capsys.readouterr().out.startswith("Nothing yet")


def test_the_report_reads_while_the_bot_writes(tmp_path):
    log = QuestionLog(tmp_path / "log.db")
    log.start()
    try:
        assert log.record(no_answer(1, "when does season 2 come out")).result(10)
        assert read_report(tmp_path / "log.db", 30).unanswered[0].count == 1  # WAL: readers never wait
        assert log.record(no_answer(2, "When does season 2 come out?")).result(10)
        assert read_report(tmp_path / "log.db", 30).unanswered[0].count == 2
    finally:
        log.close()


def test_bad_days_and_an_unreadable_database_are_one_line_errors(tmp_path):
    def showbot(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "bot", "report", *args],
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=60,
        )

    bad_days = showbot("--days", "0", "--db", str(tmp_path / "x.db"))
    assert bad_days.returncode == 2 and bad_days.stderr.strip() == "showbot: error: --days must be 1 or more"
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    broken = showbot("--db", str(garbage))
    assert broken.returncode == 1 and "Traceback" not in broken.stderr
    assert broken.stderr.startswith("showbot: error: cannot read the question log")


def test_build_report_on_an_open_connection_of_one_server(filled):
    conn = sqlite3.connect(filled)
    try:
        report = build_report(conn, 30, guild_id=OTHER)
    finally:
        conn.close()
    assert report.questions == 1 and report.unanswered[0].example == "when does season 2 come out"
    assert report.downvoted == [] and report.articles == []
