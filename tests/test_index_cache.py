"""The on-disk index cache: used only when it was built from the same articles, never changing an answer."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import numpy as np
import pytest

from bench.shows import load_shows
from index import Engine, load_corpus
from index import build as build_module
from index import cache as cache_module
from index.build import build_index
from index.bm25 import term_doc_pairs
from index.parse import parse_articles, parse_corpus, passage_layout
from index.vocab import tv_lexicon

SENTENCES = [
    "The series was directed by Ana Lopez and filmed in Lisbon during the spring of 2021.",
    "Its second season premiered on Netflix on March 4, 2023, to strong reviews.",
    "Critics praised the lead actor, Tomas Berg, for his performance as the detective.",
    "The show is based on the novel “Night Harbour” by Clara Mendes.",
    "Producers said a third season is already being written.",
]


def write_folder(folder: Path, n: int = 6) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for a in range(n):
        lines = [f"Report {a} on the harbour show", ""]
        for k in range(4):
            lines.append(
                " ".join(SENTENCES[(a + k + j) % len(SENTENCES)].replace("2021", str(2000 + a)) for j in range(3))
            )
            lines.append("")
        (folder / f"article_{a:02d}.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def small_corpora_cached(monkeypatch):
    monkeypatch.setattr(build_module, "CACHE_MIN_CHARS", 0)  # these folders are small


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SHOWBOT_CACHE", str(folder))
    return folder


def fields(index) -> dict:
    """Everything an index is, as comparable values."""
    bm25 = index.bm25
    out = {
        name: np.asarray(getattr(index, name)).tolist()
        for name in (
            "sent_article",
            "sent_start",
            "sent_end",
            "sent_line",
            "sent_pos",
            "sent_token_start",
            "token_ids",
            "pass_first",
            "pass_len",
        )
    }
    arrays, scalars = bm25.to_arrays()
    out.update({f"bm25_{k}": (str(v.dtype), np.asarray(v).tobytes()) for k, v in arrays.items()})
    out.update(
        vocab=list(bm25.vocab.items()),
        scalars=scalars,
        entities=index.entities,
        acronyms=index.acronyms,
        words=index.words,
        person_words=index.person_words,
        quoted=sorted(sorted(t) for t in index.quoted_titles),
        dtypes=[str(np.asarray(getattr(index, n)).dtype) for n in ("sent_article", "sent_start", "token_ids")],
    )
    return out


def fresh(folder: Path):
    return build_index(load_corpus(folder), cache=False)


def reads(monkeypatch) -> list[int]:
    """The number of articles each build reads from their text (not from the cache)."""
    counts: list[int] = []
    real = build_module.parse_corpus

    def counting(texts, *args, **kwargs):
        counts.append(len(texts))
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(build_module, "parse_corpus", counting)
    return counts


def test_a_restart_reads_the_cache_and_builds_the_same_index(tmp_path, cache, monkeypatch):
    folder = write_folder(tmp_path / "articles")
    counts = reads(monkeypatch)
    first = build_index(load_corpus(folder))
    second = build_index(load_corpus(folder))
    assert counts == [6]  # the second build read nothing
    assert fields(first) == fields(second) == fields(fresh(folder))
    assert list((cache / "index").rglob("*.npy")) and list((cache / "index").rglob("*.json"))


def test_a_changed_article_is_read_again_alone(tmp_path, cache, monkeypatch):
    folder = write_folder(tmp_path / "articles")
    build_index(load_corpus(folder))
    path = folder / "article_03.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nA new paragraph names Mara Quint as the new showrunner.\n")
    (folder / "article_09.txt").write_text("Extra\n\nThe finale was shot in Porto by Ana Lopez.\n", encoding="utf-8")
    (folder / "article_01.txt").unlink()
    counts = reads(monkeypatch)
    index = build_index(load_corpus(folder))
    assert counts == [2]  # the changed and the new article
    assert fields(index) == fields(fresh(folder))
    assert "quint" in index.person_words or ("mara", "quint") in index.entities
    counts.clear()
    build_index(load_corpus(folder))
    assert counts == []  # and then all from the cache


def test_a_cache_of_other_articles_is_not_used(tmp_path, cache, monkeypatch):
    folder = write_folder(tmp_path / "articles")
    build_index(load_corpus(folder))
    for path in folder.glob("*.txt"):  # same names, other texts
        path.write_text(path.read_text(encoding="utf-8").replace("Lisbon", "Madrid"), encoding="utf-8")
    counts = reads(monkeypatch)
    index = build_index(load_corpus(folder))
    assert counts == [6]
    assert "madrid" in index.bm25.vocab and "lisbon" not in index.bm25.vocab
    assert fields(index) == fields(fresh(folder))


def test_a_cache_written_for_another_folder_is_refused(tmp_path, cache, monkeypatch, caplog):
    one = write_folder(tmp_path / "one")
    two = write_folder(tmp_path / "two", 3)
    build_index(load_corpus(one))
    build_index(load_corpus(two))
    root = cache / "index" / f"v{cache_module.FORMAT}"
    manifests = {json.loads(p.read_text())["folder"]: p for p in root.glob("*.json")}
    shutil.copy(manifests[str(one.resolve())], manifests[str(two.resolve())])  # one's cache where two's should be
    counts = reads(monkeypatch)
    with caplog.at_level(logging.WARNING):
        index = build_index(load_corpus(two))
    assert counts == [3] and index.sentence_count == fresh(two).sentence_count
    assert [r.getMessage() for r in caplog.records if "another folder" in r.getMessage()]
    counts.clear()
    build_index(load_corpus(one))  # one's own cache is intact
    assert counts == []


def test_a_cache_of_another_version_is_rebuilt_with_one_warning(tmp_path, cache, monkeypatch, caplog):
    folder = write_folder(tmp_path / "articles")
    build_index(load_corpus(folder))
    monkeypatch.setattr(cache_module, "code_digest", lambda: "another version")
    counts = reads(monkeypatch)
    with caplog.at_level(logging.WARNING):
        index = build_index(load_corpus(folder))
    assert counts == [6]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "another version" in warnings[0], warnings
    assert fields(index) == fields(fresh(folder))
    caplog.clear()
    counts.clear()
    with caplog.at_level(logging.WARNING):
        build_index(load_corpus(folder))  # rewritten by that build: used from now on, quietly
    assert counts == [] and not caplog.records


@pytest.mark.parametrize("damage", ["truncate", "delete", "garbage", "manifest", "empty manifest", "ids"])
def test_a_damaged_cache_is_rebuilt_with_one_warning(tmp_path, cache, monkeypatch, caplog, damage):
    folder = write_folder(tmp_path / "articles")
    build_index(load_corpus(folder))
    root = cache / "index" / f"v{cache_module.FORMAT}"
    manifest = next(root.glob("*.json"))
    arrays = root / json.loads(manifest.read_text())["dir"]
    target = arrays / "term_ids.npy"
    if damage == "truncate":
        target.write_bytes(target.read_bytes()[:-12])
    elif damage == "delete":
        target.unlink()
    elif damage == "garbage":
        target.write_bytes(b"not an array at all")
    elif damage == "manifest":
        manifest.write_text(manifest.read_text()[:100])
    elif damage == "empty manifest":
        manifest.write_text("{}")
    elif damage == "ids":  # the right shape and type, but term ids beyond the vocabulary
        ids = np.load(target)
        ids[:] = 10**6
        np.save(target, ids)
    counts = reads(monkeypatch)
    with caplog.at_level(logging.WARNING):
        index = build_index(load_corpus(folder))
    assert counts == [6]
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and "rebuilding" in warnings[0], warnings
    assert fields(index) == fields(fresh(folder))


def test_a_small_folder_is_not_cached(tmp_path, cache, monkeypatch):
    monkeypatch.setattr(build_module, "CACHE_MIN_CHARS", 10**9)
    build_index(load_corpus(write_folder(tmp_path / "articles")))
    assert not cache.exists()


def test_caching_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOWBOT_CACHE", "0")
    folder = write_folder(tmp_path / "articles")
    build_index(load_corpus(folder))
    assert not list(tmp_path.rglob("*.npy"))


def test_an_unwritable_cache_is_one_warning_and_answers_still_come(tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SHOWBOT_CACHE", str(blocker))
    folder = write_folder(tmp_path / "articles")
    with caplog.at_level(logging.WARNING):
        index = build_index(load_corpus(folder))
    assert index.sentence_count == fresh(folder).sentence_count
    assert len([r for r in caplog.records if r.levelno >= logging.WARNING]) == 1


def test_reading_in_worker_processes_gives_the_same_pieces(tmp_path):
    folder = write_folder(tmp_path / "articles", 9)
    texts = [a.text for a in load_corpus(folder).articles] * 40  # enough for several batches
    one = parse_articles(texts, tv_lexicon())
    many = parse_corpus(texts, tv_lexicon(), workers=2)
    _, _, starts, lengths, _ = passage_layout(one.sent_count, one.term_count, 3)
    expected = term_doc_pairs(one.term_ids, starts, lengths)  # counted over all passages at once
    for mine, theirs in zip(expected, many.pairs):  # the workers counted theirs batch by batch
        assert mine.tolist() == theirs.tolist()
    for name, value in vars(one).items():
        if name == "pairs":
            continue
        other = getattr(many, name)
        if isinstance(value, np.ndarray):
            assert value.dtype == other.dtype and value.tolist() == other.tolist(), name
        else:
            assert value == other, name


def test_the_cache_never_changes_an_answer(tmp_path, cache, monkeypatch):
    """Every question of every labelled show: the same answer from a fresh index and from the cached one."""
    for show in load_shows():
        corpus = load_corpus(show.articles)
        built = Engine(build_index(corpus, cache=False))
        build_index(corpus)  # writes the cache
        counts = reads(monkeypatch)
        cached = Engine(build_index(load_corpus(show.articles)))
        assert counts == [], show.name  # read from the cache
        monkeypatch.undo()
        monkeypatch.setenv("SHOWBOT_CACHE", str(cache))
        monkeypatch.setattr(build_module, "CACHE_MIN_CHARS", 0)
        for item in show.items:
            a, b = built.ask(item.q), cached.ask(item.q)
            assert a.to_json() == b.to_json(), (show.name, item.q)
