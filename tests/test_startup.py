"""Slow starts show progress and a summary line; quick ones stay quiet."""

import io
import time

from bench.corpus import synthetic_articles
from bot import startup
from bot.startup import StartupProgress, load_engine


def write_articles(folder, n):
    for article in synthetic_articles(n):
        (folder / article.source.id).write_text(article.text, encoding="utf-8")


def test_quick_start_is_quiet(tmp_path):
    write_articles(tmp_path, 3)
    stream = io.StringIO()
    engine = load_engine(str(tmp_path), stream=stream, model="none")  # a first start with the model may take longer
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


def test_progress_moves_while_one_large_article_is_read(tmp_path, monkeypatch):
    """The build reports only after each article: progress must tick in between, and never say "0 s left"."""
    (tmp_path / "big.txt").write_text("Big\n\nThe show was filmed in Seoul during the year 2021.\n", encoding="utf-8")
    monkeypatch.setattr(startup, "QUIET_SECONDS", 0.0)
    monkeypatch.setattr(startup, "REFRESH_SECONDS", 0.05)
    monkeypatch.setattr(startup, "LOG_SECONDS", 0.1)
    real_engine = startup.Engine

    def slow_engine(corpus, *args, **kwargs):
        time.sleep(1.0)  # as if the one article were 50 MB
        return real_engine(corpus, *args, **kwargs)

    monkeypatch.setattr(startup, "Engine", slow_engine)
    stream = io.StringIO()
    load_engine(str(tmp_path), stream=stream, model="none")
    lines = stream.getvalue().splitlines()
    during = [l for l in lines if l.startswith("indexing: 0/1 articles read")]
    assert len(during) >= 3, lines
    assert "big.txt" in during[-1]
    assert not any("about 0 s left" in l for l in lines)
    assert lines[-1].startswith("showbot: indexed 1 article,")


def test_progress_estimates_what_is_left_from_the_characters_read():
    progress = StartupProgress(io.StringIO(), quiet_seconds=0.0)
    progress.expect(synthetic_articles(4))
    progress(2, 4, 10)
    assert progress.line(10.0).endswith("about 10 s left")
    progress(4, 4, 20)
    assert progress.line(20.0).endswith("building the index")


def test_progress_is_a_single_line_redrawn_on_a_terminal(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    progress = StartupProgress(stream, quiet_seconds=0.0)
    progress(1, 3, 10)
    progress.last = float("-inf")
    progress(2, 3, 20)
    progress.finish()
    text = stream.getvalue()
    assert "\n" not in text and text.count("\r") >= 3 and text.endswith("\r")
