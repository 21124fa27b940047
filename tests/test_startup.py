"""Slow starts show progress and a summary line; quick ones stay quiet."""

import io

from bench.corpus import synthetic_articles
from bot import startup
from bot.startup import StartupProgress, load_engine


def write_articles(folder, n):
    for article in synthetic_articles(n):
        (folder / article.source.id).write_text(article.text, encoding="utf-8")


def test_quick_start_is_quiet(tmp_path):
    write_articles(tmp_path, 3)
    stream = io.StringIO()
    engine = load_engine(str(tmp_path), stream=stream)
    assert engine.passage_count > 0 and stream.getvalue() == ""


def test_slow_start_shows_progress_and_summary(tmp_path, monkeypatch):
    write_articles(tmp_path, 40)
    monkeypatch.setattr(startup, "QUIET_SECONDS", 0.0)  # as if the machine were slow
    monkeypatch.setattr(startup, "LOG_SECONDS", 0.0)
    stream = io.StringIO()
    load_engine(str(tmp_path), stream=stream)
    lines = stream.getvalue().splitlines()
    assert any(l.startswith("indexing: ") and "articles read" in l and "s left" in l for l in lines)
    assert lines[-1].startswith("showbot: indexed 40 articles")


def test_progress_line_counts():
    stream = io.StringIO()
    progress = StartupProgress(stream, quiet_seconds=0.0)
    progress(5, 10, 90)
    assert "5/10 articles read, 90 passages" in stream.getvalue()
