"""The question log on a real SQLite file: what is stored (and what never is), migrations, votes, a locked or
unwritable database, and the autocomplete query with its plan."""

from __future__ import annotations

import logging
import sqlite3
import threading

import pytest

from bot import questionlog
from bot.config import ConfigError, load_config
from bot.questionlog import AskRecord, QuestionLog, VoteRecord, suggest, suggestion_query
from bot.terms import question_key, search_terms

GUILD = 1200000000000000001
OTHER_GUILD = 1200000000000000002
USER = 1900000000000000077


@pytest.fixture
def open_log(tmp_path):
    """Start logs on files in tmp_path; all are closed at the end."""
    logs: list[QuestionLog] = []

    def start(name: str = "log.db") -> QuestionLog:
        logs.append(QuestionLog(tmp_path / name))
        logs[-1].start()
        return logs[-1]

    yield start
    for log in logs:
        log.close()


def answered(answer_id: int, question: str, *, guild: int | None = GUILD, user: int = USER, **kw) -> AskRecord:
    return AskRecord(answer_id, guild, user, question, True, source_id="a.txt", quote="Q.", score=0.9, **kw)


def declined(answer_id: int, question: str, *, guild: int | None = GUILD, user: int = USER, **kw) -> AskRecord:
    return AskRecord(answer_id, guild, user, question, False, reason="too unlikely", score=0.1, **kw)


def rows(path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_a_question_is_stored_with_its_outcome_and_only_a_salted_hash_of_the_user(open_log, tmp_path):
    log = open_log()
    assert log.record(answered(11, "Who created Harbor Lights?")).result(10)
    assert log.record(declined(12, "What is the capital of France?")).result(10)
    log.close()
    (journal,) = rows(tmp_path / "log.db", "PRAGMA journal_mode")
    assert journal == ("wal",)
    stored = rows(
        tmp_path / "log.db", "SELECT id, guild_id, question, terms, answered, reason, source_id, score FROM asks"
    )
    assert stored == [
        (11, GUILD, "Who created Harbor Lights?", "creat harbor light", 1, None, "a.txt", 0.9),
        (12, GUILD, "What is the capital of France?", "capit franc", 0, "too unlikely", None, 0.1),
    ]
    data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert str(USER).encode() not in data  # the id itself is nowhere in the files
    hashes = {h for (h,) in rows(tmp_path / "log.db", "SELECT user_hash FROM asks")}
    assert len(hashes) == 1 and len(next(iter(hashes))) == 32


def test_the_salt_is_kept_so_a_user_stays_one_user_across_restarts_but_differs_between_databases(open_log, tmp_path):
    first = open_log()
    first.record(answered(1, "who created it")).result(10)
    first.close()
    again = open_log()
    again.record(answered(2, "who created it")).result(10)
    again.close()
    other = open_log("other.db")
    other.record(answered(3, "who created it")).result(10)
    other.close()
    (a,), (b,) = rows(tmp_path / "log.db", "SELECT user_hash FROM asks ORDER BY id")
    ((c,),) = rows(tmp_path / "other.db", "SELECT user_hash FROM asks")
    assert a == b and a != c


def test_votes_one_per_user_per_answer_and_changeable(open_log, tmp_path):
    log = open_log()
    log.record(answered(5, "Who created Harbor Lights?")).result(10)
    assert log.vote(VoteRecord(5, 100, 1)).result(10)
    assert log.vote(VoteRecord(5, 100, -1)).result(10)  # changed
    assert log.vote(VoteRecord(5, 100, -1)).result(10)  # the same again: still one
    assert log.vote(VoteRecord(5, 101, 1)).result(10)
    log.close()
    assert sorted(v for (v,) in rows(tmp_path / "log.db", "SELECT vote FROM votes WHERE answer_id = 5")) == [-1, 1]
    assert rows(tmp_path / "log.db", "SELECT up, down FROM suggestions") == [(1, 1)]


def test_a_fresh_database_gets_the_latest_schema_once(open_log, tmp_path):
    log = open_log()
    log.record(answered(1, "q")).result(10)
    log.close()
    (salt,) = rows(tmp_path / "log.db", "SELECT value FROM meta WHERE key = 'salt'")
    assert rows(tmp_path / "log.db", "PRAGMA user_version") == [(len(questionlog.MIGRATIONS),)]
    again = open_log()
    again.record(answered(2, "q")).result(10)
    again.close()
    assert rows(tmp_path / "log.db", "SELECT value FROM meta WHERE key = 'salt'") == [salt]  # not migrated twice


def test_an_older_database_is_migrated_on_start_keeping_its_rows(open_log, tmp_path, monkeypatch):
    log = open_log()
    log.record(answered(1, "Who created Harbor Lights?")).result(10)
    log.close()

    def v2(conn: sqlite3.Connection) -> None:  # a later schema change, as a future showbot would ship it
        conn.execute("ALTER TABLE asks ADD COLUMN channel_id INTEGER")

    monkeypatch.setattr(questionlog, "MIGRATIONS", [*questionlog.MIGRATIONS, v2])
    newer = open_log()
    assert newer.record(answered(2, "who created it")).result(10)
    newer.close()
    assert rows(tmp_path / "log.db", "PRAGMA user_version") == [(2,)]
    assert rows(tmp_path / "log.db", "SELECT id, channel_id FROM asks ORDER BY id") == [(1, None), (2, None)]


def test_a_database_from_a_newer_showbot_is_left_alone_with_one_warning(open_log, tmp_path, caplog):
    conn = sqlite3.connect(tmp_path / "log.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with caplog.at_level(logging.WARNING, logger="showbot"):
        log = open_log()
        assert not log.record(answered(1, "q")).result(10)
        assert not log.record(answered(2, "q")).result(10)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "newer showbot" in warnings[0] and "without logging" in warnings[0]
    assert rows(tmp_path / "log.db", "PRAGMA user_version") == [(99,)]


def test_a_locked_database_is_one_warning_and_writing_resumes_when_it_is_free(open_log, tmp_path, caplog, monkeypatch):
    monkeypatch.setattr(questionlog, "BUSY_MS", 100)
    log = open_log()
    log.record(answered(1, "first")).result(10)
    locker = sqlite3.connect(tmp_path / "log.db", isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    with caplog.at_level(logging.INFO, logger="showbot"):
        pending = log.record(answered(2, "second"))
        assert not pending.done() or not pending.result()  # queued: the caller never waited for the disk
        assert not pending.result(10)
        assert not log.record(answered(3, "third")).result(10)
        assert not log.healthy
        locker.execute("ROLLBACK")
        locker.close()
        assert log.record(answered(4, "fourth")).result(10)
    assert log.healthy
    messages = [(r.levelno, r.getMessage()) for r in caplog.records if r.name == "showbot"]
    assert [level for level, _ in messages] == [logging.WARNING, logging.INFO]
    assert "database is locked" in messages[0][1] and "writing to" in messages[1][1]
    log.close()
    assert [i for (i,) in rows(tmp_path / "log.db", "SELECT id FROM asks ORDER BY id")] == [1, 4]


def test_an_unwritable_path_is_one_warning_and_nothing_raises(tmp_path, caplog):
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    log = QuestionLog(tmp_path / "a-file" / "log.db")
    with caplog.at_level(logging.WARNING, logger="showbot"):
        log.start()
        results = [log.record(answered(i, "q")).result(10) for i in range(3)]
        results.append(log.vote(VoteRecord(1, 2, 1)).result(10))
        assert log.read(suggest, GUILD, "q", default=["default"]).result(10) == ["default"]
        log.close()
    assert results == [False] * 4
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "cannot use" in warnings[0]


def test_record_never_waits_for_the_writer(tmp_path):
    log = QuestionLog(tmp_path / "log.db")
    gate = threading.Event()
    real_write = log._write
    log._write = lambda items: (gate.wait(10), real_write(items))  # a writer stuck on the disk
    log.start()
    futures = [log.record(answered(i, f"question {i}")) for i in range(50)]  # returns at once, queued
    assert not any(f.done() for f in futures)
    gate.set()
    assert all(f.result(10) for f in futures)
    log.close()


def test_records_after_close_are_refused_quietly(tmp_path):
    log = QuestionLog(tmp_path / "log.db")
    log.start()
    log.close()
    assert log.record(answered(1, "q")).result(1) is False


def fill_suggestions(log: QuestionLog) -> None:
    entries = [
        answered(1, "Who created Harbor Lights?"),
        answered(2, "who created harbor lights"),  # the same question: counted twice, latest wording kept
        answered(3, "Where is Moss Point filmed?"),
        declined(4, "Who directed Harbor Lights?"),
        answered(5, "Who directed Moss Point?", private=True),
        answered(6, "Who created Harbor Lights in the other server?", guild=OTHER_GUILD),
        answered(7, "Is Harbor Lights " + "really " * 20 + "good?"),  # too long for a choice (100)
        answered(8, "Who voted this down?"),
        answered(9, "Who voted this up and down?"),
        answered(10, "harbor lights season two when", guild=None),  # outside a server
    ]
    for entry in entries:
        assert log.record(entry).result(10)
    for user, vote in ((100, -1), (101, -1), (102, 1)):
        assert log.vote(VoteRecord(8, user, vote)).result(10)  # mostly 👎: never offered
    for user, vote in ((100, -1), (101, 1)):
        assert log.vote(VoteRecord(9, user, vote)).result(10)  # even: still offered


def test_suggestions_are_answered_public_questions_of_this_server_matching_the_typed_words(open_log):
    log = open_log()
    fill_suggestions(log)

    def offered(typed: str) -> list[str]:
        return log.read(suggest, GUILD, typed, default=None).result(10)

    assert offered("harb") == ["who created harbor lights"]
    assert offered("who cre harbor") == ["who created harbor lights"]
    assert offered("MOSS") == ["Where is Moss Point filmed?"]  # not the private one
    assert offered("directed") == []  # declined, or private
    assert offered("voted") == ["Who voted this up and down?"]
    assert offered("lights zebra") == []
    assert offered("") == ["who created harbor lights", "Where is Moss Point filmed?", "Who voted this up and down?"]
    assert log.read(suggest, OTHER_GUILD, "harbor", default=None).result(10) == [
        "Who created Harbor Lights in the other server?"
    ]


def test_a_question_declined_after_a_reload_is_no_longer_offered(open_log):
    log = open_log()
    log.record(answered(1, "Who created Harbor Lights?")).result(10)
    log.record(declined(2, "who created Harbor Lights")).result(10)  # the latest ask of it was declined
    assert log.read(suggest, GUILD, "harbor", default=None).result(10) == []


def test_at_most_five_suggestions_most_asked_first(open_log):
    log = open_log()
    answer_id = 0
    for n in range(8):
        for _ in range(n + 1):
            answer_id += 1
            log.record(answered(answer_id, f"harbor question number {n}")).result(10)
    assert log.read(suggest, GUILD, "harbor", default=None).result(10) == [
        f"harbor question number {n}" for n in (7, 6, 5, 4, 3)
    ]


@pytest.mark.parametrize("lead_first", [True, False])
@pytest.mark.parametrize("analyzed", [False, True])
@pytest.mark.parametrize("typed", ["", "h", "harbor", "who cre", "who created harbor lights in"])
def test_the_autocomplete_query_reads_through_the_indexes_only(open_log, tmp_path, typed, analyzed, lead_first):
    """Autocomplete must answer in Discord's time budget on a large log: no step may scan a table, and the
    most-asked-first plan must stop at the first matches (no sort of every row).

    (Its time on 200,000 logged questions is measured by ``python -m bench.autocomplete``.)
    """
    log = open_log()
    fill_suggestions(log)
    log.close()
    conn = sqlite3.connect(tmp_path / "log.db")
    if analyzed:  # statistics of a tiny table make a scan look cheap: the plan must not follow them
        conn.execute("ANALYZE")
    sql, params = suggestion_query(GUILD, typed, lead_first=lead_first)
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params)]
    conn.close()
    assert not [step for step in plan if step.startswith("SCAN")], plan
    if typed and lead_first:
        assert any("lead USING PRIMARY KEY (guild_id=? AND word>? AND word<?)" in step for step in plan), plan
    else:
        assert "suggestions_most_asked (guild_id=?)" in plan[0] and not [p for p in plan if "TEMP B-TREE" in p], plan


def test_both_plans_offer_the_same_questions(open_log, monkeypatch):
    log = open_log()
    fill_suggestions(log)
    typed = ["h", "harbor", "who", "who cre", "w v", "moss point", "zebra", ""]
    lead_first = [log.read(suggest, GUILD, t, default=None).result(10) for t in typed]
    monkeypatch.setattr(questionlog, "LEAD_MAX", 1)  # every word is "common": most asked first
    assert [log.read(suggest, GUILD, t, default=None).result(10) for t in typed] == lead_first
    assert lead_first[1] == ["who created harbor lights"]


def test_search_terms_make_near_duplicates_one_question():
    same = ["Who directed the show?", "who directed it", "who's directing it??", "WHO DIRECTED"]
    assert {search_terms(q) for q in same} == {"direct"}
    assert search_terms("when does season 2 come out") == search_terms("When will Season 2 come out?!")
    assert search_terms("who is it") == ""  # nothing but function words
    assert question_key("Who directed it?") == question_key("who   directed IT")


def test_logging_is_on_by_default_and_off_with_zero(monkeypatch, tmp_path):
    monkeypatch.delenv("SHOWBOT_DB", raising=False)
    monkeypatch.delenv("SHOWBOT_LOG_QUESTIONS", raising=False)
    config = load_config(tmp_path / "absent.env")
    assert config.log_questions and config.question_db == tmp_path / "showbot.db"  # beside .env
    monkeypatch.setenv("SHOWBOT_DB", str(tmp_path / "elsewhere.db"))
    monkeypatch.setenv("SHOWBOT_LOG_QUESTIONS", "0")
    config = load_config(tmp_path / "absent.env")
    assert not config.log_questions and config.question_db == tmp_path / "elsewhere.db"
    monkeypatch.setenv("SHOWBOT_LOG_QUESTIONS", "maybe")
    with pytest.raises(ConfigError, match="SHOWBOT_LOG_QUESTIONS"):
        load_config(tmp_path / "absent.env")


def test_with_logging_off_the_bot_has_no_log(monkeypatch, tmp_path):
    from types import SimpleNamespace

    from bot.discord_app import create_bot

    engine = SimpleNamespace(embedder=None)  # the bot only holds it here
    monkeypatch.setenv("SHOWBOT_LOG_QUESTIONS", "0")
    monkeypatch.setenv("SHOWBOT_SYNC_STATE", str(tmp_path / "sync.json"))
    off = create_bot(engine, load_config(tmp_path / "absent.env"))
    assert off.cog.question_log is None
    monkeypatch.setenv("SHOWBOT_LOG_QUESTIONS", "1")
    on = create_bot(engine, load_config(tmp_path / "absent.env"))
    assert on.cog.question_log is not None and on.cog.question_log.path == tmp_path / "showbot.db"
    assert not (tmp_path / "showbot.db").exists()  # nothing is opened before the bot starts
