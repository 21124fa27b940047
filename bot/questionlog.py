"""The question log: what was asked, whether and how it was answered, and the 👍/👎 votes, in one SQLite file.

Stdlib ``sqlite3`` in WAL mode. Every write goes through one writer thread:
``record`` and ``vote`` only put the entry on a queue and return a future, so
the event loop never waits on the disk. Entries that queue up while a batch is
written go together in the next transaction. A database that is locked,
unwritable or from a newer showbot degrades to one warning (and one line when
it works again); answers never fail because of it.

User ids are never stored, only a salted hash of them (HMAC-SHA256 with a
random salt kept in the database's ``meta`` table), enough to count one vote
per user. The schema is versioned (``PRAGMA user_version``): the writer applies
the migrations a database lacks when it opens it.

Platform-neutral: no Discord here.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import queue
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from .handlers import AskResult
from .terms import question_key, search_terms, words

log = logging.getLogger("showbot")

T = TypeVar("T")
BUSY_MS = 1000  # a locked database is waited for this long, then the batch is given up (one warning)
RETRY_SECONDS = 30.0  # a database that could not be opened is tried again after this long
BATCH = 500  # entries written in one transaction at most
QUEUE_LIMIT = 10_000  # entries waiting at most; past this (a long outage), new ones are dropped
SUGGESTION_MAX = 100  # Discord's limit for an autocomplete choice's value


def _script(conn: sqlite3.Connection, sql: str) -> None:
    """Run statements one by one (``executescript`` would commit the migration's transaction first)."""
    statement = ""
    for line in sql.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            conn.execute(statement)
            statement = ""


def _v1(conn: sqlite3.Connection) -> None:
    """The log, the votes, and the index of earlier questions that autocomplete reads."""
    _script(
        conn,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE asks (
            id INTEGER PRIMARY KEY,       -- the answer's id: the Discord interaction's, also in its vote buttons
            at REAL NOT NULL,             -- Unix time
            guild_id INTEGER,             -- NULL outside a server
            user_hash TEXT NOT NULL,      -- HMAC of the user id with the salt in meta; never the id itself
            via TEXT NOT NULL,            -- 'ask' (/ask) or 'message' (the message command)
            private INTEGER NOT NULL,     -- answered only to the one who asked
            question TEXT NOT NULL,
            terms TEXT NOT NULL,          -- search terms (bot.terms): near-duplicates share them
            answered INTEGER NOT NULL,
            reason TEXT,                  -- why it was not answered
            source_id TEXT,
            source_title TEXT,
            quote TEXT,
            score REAL,                   -- the probability that the quote answers (also when declined)
            suggestion_id INTEGER         -- suggestions.id of a public question in a server
        );
        CREATE INDEX asks_at ON asks (at);
        CREATE INDEX asks_guild_at ON asks (guild_id, at);
        CREATE TABLE votes (
            answer_id INTEGER NOT NULL,
            user_hash TEXT NOT NULL,
            vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
            at REAL NOT NULL,
            PRIMARY KEY (answer_id, user_hash)
        ) WITHOUT ROWID;
        CREATE TABLE suggestions (        -- one row per question (its words) per server, public asks only
            id INTEGER PRIMARY KEY,
            guild_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            question TEXT NOT NULL,       -- the latest wording
            asked INTEGER NOT NULL,
            answered INTEGER NOT NULL,    -- whether the latest ask was answered
            up INTEGER NOT NULL DEFAULT 0,
            down INTEGER NOT NULL DEFAULT 0,
            last_at REAL NOT NULL,
            UNIQUE (guild_id, key)
        );
        CREATE INDEX suggestions_most_asked ON suggestions (guild_id, asked DESC);
        CREATE TABLE suggestion_words (
            guild_id INTEGER NOT NULL,
            word TEXT NOT NULL,
            suggestion_id INTEGER NOT NULL,
            PRIMARY KEY (guild_id, word, suggestion_id)
        ) WITHOUT ROWID;
        CREATE INDEX suggestion_words_of ON suggestion_words (suggestion_id, word);
        """,
    )
    conn.execute("INSERT INTO meta (key, value) VALUES ('salt', ?)", (secrets.token_hex(16),))


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1]  # migration i brings the schema to version i + 1


class LogError(Exception):
    """The database cannot be used for the log (and why)."""


def migrate(conn: sqlite3.Connection) -> int:
    """Apply the migrations the database lacks, each in its own transaction; the schema version after."""
    while True:
        conn.execute("BEGIN IMMEDIATE")  # re-read under the write lock: another process may have migrated
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise LogError(
                    f"it was written by a newer showbot (schema {version}, this one knows {len(MIGRATIONS)})"
                )
            if version == len(MIGRATIONS):
                conn.execute("COMMIT")
                return version
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise


def connect(path: Path, *, busy_ms: int = BUSY_MS) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL journal, waiting ``busy_ms`` on locks."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=busy_ms / 1000)
    conn.execute(f"PRAGMA busy_timeout = {int(busy_ms)}")
    return conn


@dataclass(frozen=True)
class AskRecord:
    """One question and what it got."""

    answer_id: int
    guild_id: int | None
    user_id: int
    question: str
    answered: bool
    reason: str = ""
    source_id: str | None = None
    source_title: str | None = None
    quote: str | None = None
    score: float | None = None
    private: bool = False
    via: str = "ask"
    at: float = 0.0  # Unix time; 0 = when recorded

    @classmethod
    def of(
        cls,
        answer_id: int,
        result: AskResult,
        *,
        guild_id: int | None,
        user_id: int,
        private: bool = False,
        via: str = "ask",
    ) -> AskRecord:
        answer = result.answer
        if answer is None:  # not a question at all (mentions only, say)
            return cls(answer_id, guild_id, user_id, result.question, False, "not a question", private=private, via=via)
        quote = answer.quote
        return cls(
            answer_id,
            guild_id,
            user_id,
            result.question,
            answer.answered,
            "" if answer.answered else answer.reason,
            quote.source.id if quote else None,
            quote.source.title if quote else None,
            quote.text if quote else None,
            answer.score if answer.score is not None else (quote.score if quote else None),
            private,
            via,
        )


@dataclass(frozen=True)
class VoteRecord:
    """One user's 👍 (+1) or 👎 (-1) on one answer; a later vote of the same user on it replaces it."""

    answer_id: int
    user_id: int
    vote: int
    at: float = 0.0


def _done(value: bool) -> Future[bool]:
    future: Future[bool] = Future()
    future.set_result(value)
    return future


_STOP = object()


class QuestionLog:
    """The log at ``path``: ``start()`` it, ``record``/``vote`` from anywhere, ``read`` for queries, ``close()``."""

    def __init__(self, path: Path | str, *, queue_limit: int = QUEUE_LIMIT) -> None:
        self.path = Path(path)
        self.healthy = True  # False while writes fail (then nobody should wait for them)
        self._queue: queue.Queue[Any] = queue.Queue()
        self._queue_limit = queue_limit
        self._conn: sqlite3.Connection | None = None
        self._salt = b""
        self._retry_at = 0.0
        self._warned = False
        self._dropping = False
        self._closed = False
        self._writer: threading.Thread | None = None
        self._reader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="showbot-log-reader")
        self._read_conn: sqlite3.Connection | None = None
        self.before_write: Callable[[], object] | None = None  # called by the writer before each batch

    # -- writing ------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the writer thread (which opens and migrates the database)."""
        if self._writer is None:
            self._writer = threading.Thread(target=self._run, name="showbot-log-writer", daemon=True)
            self._writer.start()

    def record(self, entry: AskRecord) -> Future[bool]:
        """Queue a question for writing; the future says (later) whether it was committed. Never blocks."""
        return self._put(entry)

    def vote(self, entry: VoteRecord) -> Future[bool]:
        """Queue a vote for writing; the future says whether it was committed. Never blocks."""
        return self._put(entry)

    def _put(self, entry: AskRecord | VoteRecord) -> Future[bool]:
        if self._closed or self._writer is None:
            return _done(False)
        if self._queue.qsize() >= self._queue_limit:
            if not self._dropping:
                self._dropping = True
                log.warning("question log: %d writes waiting for %s; dropping new ones", self._queue_limit, self.path)
            return _done(False)
        self._dropping = False
        future: Future[bool] = Future()
        self._queue.put((entry, future))
        return future

    def close(self, timeout: float = 10.0) -> None:
        """Write what is queued, then stop the writer and close the connections."""
        if self._closed:
            return
        self._closed = True
        if self._writer is not None:
            self._queue.put(_STOP)
            self._writer.join(timeout)
        self._reader.submit(self._close_reader)
        self._reader.shutdown(wait=True)

    def _run(self) -> None:
        self._open()  # at once: a database that cannot be used is told at start, and readers find the schema
        while True:
            batch = [self._queue.get()]
            if self.before_write is not None and batch[0] is not _STOP:
                self.before_write()  # what queues meanwhile joins this batch
            while len(batch) < BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            items = [item for item in batch if item is not _STOP]
            if items:
                self._write(items)
            if len(items) < len(batch):
                break
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _write(self, items: list[tuple[AskRecord | VoteRecord, Future[bool]]]) -> None:
        ok = self._open()
        if ok:
            conn = self._conn
            assert conn is not None
            try:
                conn.execute("BEGIN IMMEDIATE")
                now = time.time()
                for entry, _ in items:
                    if isinstance(entry, AskRecord):
                        self._insert_ask(conn, entry, entry.at or now)
                    else:
                        self._upsert_vote(conn, entry, entry.at or now)
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                try:
                    conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                self._failed(f"cannot write to {self.path} ({exc})")
                ok = False
            else:
                self._working()
        for _, future in items:
            future.set_result(ok)

    def _open(self) -> bool:
        if self._conn is not None:
            return True
        if time.monotonic() < self._retry_at:
            return False
        conn = None
        try:
            conn = connect(self.path)
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode != "wal":
                log.info("question log: %s uses journal mode %s (WAL was not possible there)", self.path, mode)
            conn.execute("PRAGMA synchronous = NORMAL")  # WAL: a crash of the process never loses a commit
            migrate(conn)
            self._salt = conn.execute("SELECT value FROM meta WHERE key = 'salt'").fetchone()[0].encode()
        except (sqlite3.Error, LogError, OSError) as exc:
            if conn is not None:
                conn.close()
            self._retry_at = time.monotonic() + RETRY_SECONDS
            self._failed(f"cannot use {self.path} ({exc})")
            return False
        self._conn = conn
        return True

    def _failed(self, why: str) -> None:
        self.healthy = False
        if not self._warned:
            self._warned = True
            log.warning("question log: %s; answering goes on without logging", why)

    def _working(self) -> None:
        if not self.healthy:
            self.healthy = True
            if self._warned:
                log.info("question log: writing to %s again", self.path)
            self._warned = False

    def user_hash(self, user_id: int) -> str:
        """The salted hash stored instead of a user id (the writer's salt; known once the database is open)."""
        return hmac.new(self._salt, str(user_id).encode(), hashlib.sha256).hexdigest()[:32]

    def _insert_ask(self, conn: sqlite3.Connection, entry: AskRecord, at: float) -> None:
        suggestion_id = None
        key = question_key(entry.question)
        if entry.guild_id is not None and not entry.private and key and entry.reason != "not a question":
            row = conn.execute(
                "SELECT id FROM suggestions WHERE guild_id = ? AND key = ?", (entry.guild_id, key)
            ).fetchone()
            if row:
                suggestion_id = row[0]
                conn.execute(
                    "UPDATE suggestions SET question = ?, asked = asked + 1, answered = ?, last_at = ? WHERE id = ?",
                    (entry.question, int(entry.answered), at, suggestion_id),
                )
            else:
                suggestion_id = conn.execute(
                    "INSERT INTO suggestions (guild_id, key, question, asked, answered, last_at) "
                    "VALUES (?, ?, ?, 1, ?, ?)",
                    (entry.guild_id, key, entry.question, int(entry.answered), at),
                ).lastrowid
                conn.executemany(
                    "INSERT OR IGNORE INTO suggestion_words (guild_id, word, suggestion_id) VALUES (?, ?, ?)",
                    [(entry.guild_id, word, suggestion_id) for word in set(key.split())],
                )
        conn.execute(
            "INSERT OR IGNORE INTO asks (id, at, guild_id, user_hash, via, private, question, terms, answered, "
            "reason, source_id, source_title, quote, score, suggestion_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry.answer_id,
                at,
                entry.guild_id,
                self.user_hash(entry.user_id),
                entry.via,
                int(entry.private),
                entry.question,
                search_terms(entry.question),
                int(entry.answered),
                entry.reason or None,
                entry.source_id,
                entry.source_title,
                entry.quote,
                entry.score,
                suggestion_id,
            ),
        )

    def _upsert_vote(self, conn: sqlite3.Connection, entry: VoteRecord, at: float) -> None:
        user = self.user_hash(entry.user_id)
        row = conn.execute("SELECT vote FROM votes WHERE answer_id = ? AND user_hash = ?", (entry.answer_id, user))
        old = (row.fetchone() or (0,))[0]
        if old == entry.vote:
            return
        conn.execute(
            "INSERT INTO votes (answer_id, user_hash, vote, at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (answer_id, user_hash) DO UPDATE SET vote = excluded.vote, at = excluded.at",
            (entry.answer_id, user, entry.vote, at),
        )
        up = (entry.vote == 1) - (old == 1)
        down = (entry.vote == -1) - (old == -1)
        conn.execute(
            "UPDATE suggestions SET up = up + ?, down = down + ? "
            "WHERE id = (SELECT suggestion_id FROM asks WHERE id = ?)",
            (up, down, entry.answer_id),
        )

    # -- reading ------------------------------------------------------------------------------

    def read(self, query: Callable[..., T], *args: Any, default: T) -> Future[T]:
        """Run ``query(connection, *args)`` in the reader thread; ``default`` when the database cannot be read."""
        return self._reader.submit(self._read, query, args, default)

    def _read(self, query: Callable[..., T], args: tuple, default: T) -> T:
        try:
            if self._read_conn is None:
                if not self.path.is_file():
                    return default
                self._read_conn = connect(self.path, busy_ms=200)
                self._read_conn.execute("PRAGMA query_only = ON")
            return query(self._read_conn, *args)
        except sqlite3.Error as exc:
            log.debug("question log: cannot read %s: %s", self.path, exc)
            return default

    def _close_reader(self) -> None:
        if self._read_conn is not None:
            self._read_conn.close()
            self._read_conn = None


def _prefix_end(prefix: str) -> str:
    """The first string after every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if ord(prefix[-1]) < 0x10FFFF else prefix + "\U0010ffff"


LEAD_MAX = 2000  # questions holding the lead word, past which they are read most asked first instead


def suggestion_query(
    guild_id: int, typed: str, limit: int = 5, *, lead: str | None = None, lead_first: bool = True
) -> tuple[str, list[Any]]:
    """SQL and parameters for the questions asked before in this server that start the typed words.

    Only questions whose latest ask was answered and that got no more 👎 than 👍, most asked
    first. Every typed word is a prefix ("who dir" finds "who directed it?"). Two plans, each
    fast where the other is slow: ``lead_first`` reads the questions holding the ``lead`` word
    (the rarest typed word; by default the longest) through the word index and sorts them;
    otherwise (every typed word is in very many questions) the questions are read most asked
    first and the first ``limit`` holding every word are kept. The joins and indexes are fixed
    (``CROSS JOIN``, ``INDEXED BY``), so no table is ever scanned, whatever the statistics say.
    """
    typed_words = list(dict.fromkeys(words(typed)))
    rules = "s.answered = 1 AND s.down <= s.up AND length(s.question) <= ?"
    has_word = (
        " AND EXISTS (SELECT 1 FROM suggestion_words w INDEXED BY suggestion_words_of"
        " WHERE w.suggestion_id = s.id AND w.word >= ? AND w.word < ?)"
    )
    if not typed_words or not lead_first:
        sql = f"SELECT s.question FROM suggestions s INDEXED BY suggestions_most_asked WHERE s.guild_id = ? AND {rules}"
        params: list[Any] = [guild_id, SUGGESTION_MAX]
        for word in typed_words:
            sql += has_word
            params += [word, _prefix_end(word)]
        return sql + " ORDER BY s.asked DESC LIMIT ?", [*params, limit]
    lead = lead if lead in typed_words else max(typed_words, key=len)
    params = [guild_id, lead, _prefix_end(lead), SUGGESTION_MAX]
    sql = (
        "SELECT s.question FROM suggestion_words lead CROSS JOIN suggestions s ON s.id = lead.suggestion_id "
        f"WHERE lead.guild_id = ? AND lead.word >= ? AND lead.word < ? AND {rules}"
    )
    for word in typed_words:
        if word != lead:
            sql += has_word
            params += [word, _prefix_end(word)]
    sql += " GROUP BY s.id ORDER BY s.asked DESC, s.id LIMIT ?"
    return sql, [*params, limit]


def suggest(conn: sqlite3.Connection, guild_id: int, typed: str, limit: int = 5) -> list[str]:
    """Up to ``limit`` earlier questions for ``/ask``'s autocomplete (see ``suggestion_query``).

    The plan follows how many questions hold each typed word (counted up to ``LEAD_MAX``, through the index).
    """
    holding = {
        word: conn.execute(
            "SELECT COUNT(*) FROM (SELECT 1 FROM suggestion_words WHERE guild_id = ? AND word >= ? AND word < ? LIMIT ?)",
            (guild_id, word, _prefix_end(word), LEAD_MAX),
        ).fetchone()[0]
        for word in dict.fromkeys(words(typed))
    }
    lead = min(holding, key=holding.__getitem__) if holding else None
    lead_first = lead is None or holding[lead] < LEAD_MAX
    sql, params = suggestion_query(guild_id, typed, limit, lead=lead, lead_first=lead_first)
    return [row[0] for row in conn.execute(sql, params)]
