"""bench/shows.py: which question files a show's loader reads, and what tracing a show keeps."""

from __future__ import annotations

import json

import numpy as np

from bench.shows import TRAINING_FILE, load_show, load_shows, trace_show


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def test_training_questions_are_read_only_when_asked_for(tmp_path):
    (tmp_path / "a.txt").write_text("Zebra Nights was directed by Ann Park.\n", encoding="utf-8")
    _write(tmp_path / "questions.jsonl", [{"q": "who directed it", "answers": ["Ann Park"]}])
    _write(tmp_path / TRAINING_FILE, [{"q": "director?", "answers": ["Ann Park"]}, {"q": "2+2", "abstain": True}])
    scored = load_show(tmp_path)
    assert [i.file for i in scored.items] == ["questions.jsonl"]
    training = load_show(tmp_path, training=True)
    assert sorted(i.file for i in training.items) == ["questions.jsonl", TRAINING_FILE, TRAINING_FILE]
    assert training.without_training().items == scored.items


def test_every_show_has_training_questions_apart_from_its_scored_ones():
    for show in load_shows(training=True):
        training = [i.q for i in show.items if i.file == TRAINING_FILE]
        assert len(training) >= 100, show.name
        assert TRAINING_FILE not in show.without_training().files()


def test_a_trace_without_token_columns_ranks_the_same(tmp_path, embedder):
    """Mining for the sentence model (bench/finetune.py) needs the first-stage features only."""
    (tmp_path / "a.txt").write_text(
        "Zebra Nights was directed by Ann Park. It was filmed in Busan over the summer.\n"
        "The second season arrives in March, the streamer said.\n",
        encoding="utf-8",
    )
    _write(tmp_path / "questions.jsonl", [{"q": "who directed it", "answers": ["Ann Park"]}])
    show = load_show(tmp_path)
    _, full = trace_show(show, embedder)
    _, lean = trace_show(show, embedder, token_columns=False)
    assert full[0].tokens is not None and lean[0].tokens is None
    np.testing.assert_array_equal(full[0].X, lean[0].X)
    assert full[0].quotes == lean[0].quotes


def test_bench_quality_and_train_name_only_fresh_shows_that_exist(capsys):
    from bench import quality, train

    for main in (quality.main, train.main):
        assert main(["--fresh", "no-such-show"]) == 2
        assert "no such fresh show: no-such-show" in capsys.readouterr().err


def test_bench_finetune_names_only_fresh_shows_that_exist_and_only_for_the_shipped_model(tmp_path, capsys):
    from bench import finetune

    assert finetune.main(["--base", str(tmp_path), "--fresh", "no-such-show"]) == 2
    assert "no such fresh show: no-such-show" in capsys.readouterr().err
    assert finetune.main(["--base", str(tmp_path), "--loso", "--fresh", "lupin"]) == 2
    assert "leave out --loso" in capsys.readouterr().err


def test_bench_train_no_report_fits_both_variants_without_the_held_out_report(tmp_path, monkeypatch, capsys):
    from bench import train

    three = [s for s in load_shows() if s.name in {"dark", "severance", "the-bear"}]

    def no_report(*args, **kwargs):
        raise AssertionError("--no-report refitted the folds")

    monkeypatch.setattr(train, "load_shows", lambda: three)
    monkeypatch.setattr(train, "held_out_report", no_report)
    out = tmp_path / "ranker.json"
    assert train.main(["--no-report", "--out", str(out)]) == 0
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["trained_on"] == ["dark", "severance", "the-bear"]
    assert written["held_out_report"] == {}
    assert sorted(written["variants"]) == ["lexical", "semantic"]
    assert all(0 < v["threshold"] < 1 for v in written["variants"].values())
    assert "semantic: fitted, threshold" in capsys.readouterr().out
