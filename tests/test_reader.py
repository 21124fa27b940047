"""The answer reader: the packaged cross-encoder, or one the user brings (SHOWBOT_READER=PATH), run by
onnxruntime; the blend.

Most readers here are a tiny real ONNX cross-encoder built by the test: its logit for a (question,
sentence) pair is the sum of one weight per word piece, so what it should say is known exactly.
"""

from __future__ import annotations

import io
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")  # the test extra installs it
from onnx import TensorProto, helper, numpy_helper

from bot.startup import load_answer_reader
from index import Engine, Settings, load_corpus
from index.embed import ModelError, packaged_model
from index.rank import Ranked, ReaderBlend
from index.reader import READER_SHA256, Reader, load_reader, packaged_reader

WEIGHTS = {"vancouver": 5.0, "toronto": 1.0, "soup": -3.0}  # every other word piece weighs 0


def write_reader(folder: Path) -> Path:
    """A cross-encoder export: input_ids, attention_mask, token_type_ids in; one logit per pair out."""
    from tokenizers import Tokenizer

    tokenizer_file = packaged_model().tokenizer
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    table = np.zeros(tokenizer.get_vocab_size(), dtype=np.float32)
    for word, weight in WEIGHTS.items():
        table[tokenizer.token_to_id(word)] = weight
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["weights"]),
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["weights", "mask"], ["kept"]),
        helper.make_node("ReduceSum", ["kept", "axis"], ["logit"], keepdims=0),
    ]
    pairs = [TensorProto.INT64, ["batch", "tokens"]]
    graph = helper.make_graph(
        nodes,
        "bag-of-pieces reader",
        [helper.make_tensor_value_info(name, *pairs) for name in ("input_ids", "attention_mask", "token_type_ids")],
        [helper.make_tensor_value_info("logit", TensorProto.FLOAT, ["batch"])],
        [numpy_helper.from_array(table, "table"), numpy_helper.from_array(np.array([1], dtype=np.int64), "axis")],
    )
    folder.mkdir(parents=True, exist_ok=True)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), str(folder / "model.onnx"))
    shutil.copy(tokenizer_file, folder / "tokenizer.json")
    return folder


@pytest.fixture(scope="module")
def reader_folder(tmp_path_factory) -> Path:
    return write_reader(tmp_path_factory.mktemp("reader"))


@pytest.fixture(scope="module")
def reader(reader_folder) -> Reader:
    return load_reader(str(reader_folder))


def test_a_user_reader_gives_one_logit_per_pair(reader):
    logits = reader.score("where was it filmed", ["It was filmed in Vancouver.", "In Toronto.", "I like soup."])
    assert logits.dtype == np.float64
    np.testing.assert_allclose(logits, [5.0, 1.0, -3.0])


def test_padding_does_not_count(reader):
    """A pair's logit is the same alone and in a batch with longer ones (the mask leaves padding out)."""
    long = "Vancouver " + "and a much longer sentence about nothing in particular " * 5
    together = reader.score("q", ["Toronto.", long])
    alone = np.array([reader.score("q", [text])[0] for text in ("Toronto.", long)])
    np.testing.assert_allclose(together, alone)


def test_no_texts_no_logits(reader):
    assert reader.score("anything", []).shape == (0,)


def test_a_very_long_question_is_cut_not_refused(reader):
    assert np.isfinite(reader.score("why " * 400, ["Because it was cheaper to film in Vancouver."])).all()


def test_the_file_itself_or_its_folder(reader_folder):
    assert load_reader(str(reader_folder / "model.onnx")).score("q", ["toronto"])[0] == pytest.approx(1.0)


def test_unset_means_the_packaged_reader_and_none_means_no_reader(monkeypatch):
    monkeypatch.delenv("SHOWBOT_READER", raising=False)
    packaged = load_reader()
    assert packaged is not None and packaged.files.sha256 == READER_SHA256
    assert load_reader("default").files.model == packaged.files.model
    assert load_reader("none") is None
    monkeypatch.setenv("SHOWBOT_READER", "off")
    assert load_reader() is None


def test_the_packaged_reader_prefers_the_sentence_that_answers():
    """The real packaged model: for each question, the sentence that answers it gets the higher logit."""
    reader = load_reader("default")
    cases = [
        ("who directed the show", ["Lee Jae-kyoo directed all twelve episodes.", "The show was filmed in Seoul."]),
        ("where was it filmed", ["Filming took place in Belfast and Dublin.", "The series was directed by Ann Park."]),
        ("how many episodes are there", ["The first season has eight episodes.", "Critics loved the finale."]),
    ]
    for question, (right, wrong) in cases:
        logits = reader.score(question, [wrong, right])
        assert logits[1] > logits[0] + 2, (question, logits)


def test_a_changed_packaged_reader_is_refused(tmp_path, monkeypatch):
    """The packaged file is checked against its pinned sha256; a different file is a clear error."""
    from index import embed

    fake = tmp_path / "index"
    (fake / "data" / "reader").mkdir(parents=True)
    (fake / "data" / "reader" / "model.onnx").write_bytes(b"not the reader")
    monkeypatch.setattr(embed.resources, "files", lambda package: fake)
    with pytest.raises(ModelError, match="sha256 mismatch.*SHOWBOT_READER=none"):
        packaged_reader()


def test_a_bad_path_is_a_clear_error_that_names_the_setting(tmp_path):
    with pytest.raises(ModelError, match="SHOWBOT_READER=.*model.onnx"):
        load_reader(str(tmp_path / "nothing-here"))


def test_a_sentence_model_is_no_reader():
    """A sentence-transformers export (a vector per word piece) is not taken for a cross-encoder."""
    with pytest.raises(ModelError, match="one logit per pair"):
        Reader(packaged_model())


def test_without_the_sentence_model_there_is_no_reader(reader_folder):
    stream = io.StringIO()
    assert load_answer_reader(str(reader_folder), "none", stream) is None  # no shortlist to read
    assert load_answer_reader("none", None, stream) is None
    assert stream.getvalue() == ""
    assert isinstance(load_answer_reader(str(reader_folder), None, stream), Reader)


def test_a_reader_that_fails_to_load_is_one_warning(tmp_path):
    stream = io.StringIO()
    assert load_answer_reader(str(tmp_path / "missing"), None, stream) is None
    err = stream.getvalue()
    assert err.count("\n") == 1 and "without the answer reader" in err


def _ranked(logits: list[float], variant: str = "semantic") -> Ranked:
    scores = np.array(logits, dtype=np.float64)
    order = np.lexsort((np.arange(len(scores)), -scores))
    return Ranked(order, scores, 0.9, np.zeros(3), variant, np.zeros((len(scores), 2)), None)  # type: ignore[arg-type]


def test_a_sure_ranker_is_not_read():
    blend = ReaderBlend(top=3, margin=2.0, weight=1.0)
    assert len(blend.rows(_ranked([5.0, 2.9, 1.0]))) == 0  # 2.1 apart
    assert list(blend.rows(_ranked([5.0, 3.5, 1.0]))) == [0, 1, 2]  # 1.5 apart


def test_words_only_ranking_is_not_read():
    assert len(ReaderBlend().rows(_ranked([1.0, 0.9, 0.8], variant="lexical"))) == 0


def test_the_reader_reorders_the_best_few_and_the_rest_keep_their_places():
    blend = ReaderBlend(top=3, margin=2.0, weight=1.0)
    ranked = _ranked([4.0, 3.5, 3.0, 2.9, 1.0])
    rows = blend.rows(ranked)
    assert list(rows) == [0, 1, 2]
    out = blend.run(ranked, rows, np.array([0.0, 0.2, 2.0]))  # 4.0, 3.7, 5.0
    assert list(out.order) == [2, 0, 1, 3, 4]
    assert list(out.logits) == list(ranked.logits)  # the ranker's scores are kept, for alternatives and --explain
    assert out.probability == ranked.probability  # the answer check is the ranker's
    assert out.reader is not None and np.isnan(out.reader[3]) and out.reader[2] == 2.0


def test_the_weight_scales_the_readers_say():
    ranked = _ranked([4.0, 3.5])
    rows = np.array([0, 1])
    assert list(ReaderBlend(top=2, weight=0.1).run(ranked, rows, np.array([0.0, 2.0])).order) == [0, 1]
    assert list(ReaderBlend(top=2, weight=1.0).run(ranked, rows, np.array([0.0, 2.0])).order) == [1, 0]


def test_ties_keep_the_rankers_order():
    blend = ReaderBlend(top=2, margin=2.0, weight=1.0)
    ranked = _ranked([3.0, 2.0, 0.0])
    out = blend.run(ranked, blend.rows(ranked), np.array([0.0, 1.0]))  # 3.0 and 3.0
    assert list(out.order) == [0, 1, 2]


def test_blend_settings_are_checked():
    for bad in ({"top": 1}, {"margin": 0.0}, {"weight": -1.0}):
        with pytest.raises(ValueError):
            ReaderBlend(**bad)


def test_engine_reads_the_unsure_and_explains_it(tmp_path, embedder, reader):
    (tmp_path / "a.txt").write_text(
        "Production\n\nThe pilot was filmed in Toronto over six weeks. The finale was filmed in Vancouver.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text("Cast\n\nAnn Park plays the lead. Bo Lee plays her brother.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("Ratings\n\nThe finale drew 3 million viewers in Canada.\n", encoding="utf-8")
    corpus = load_corpus(tmp_path)
    always = Settings(reader_blend=ReaderBlend(top=3, margin=100.0))  # every question counts as unsure
    engine = Engine(corpus, always, embedder=embedder, reader=reader, vectors_in_background=False)
    without = Engine(corpus, always, embedder=embedder, vectors_in_background=False)
    for question in ("where was the pilot filmed", "who plays the brother", "how many people watched the finale"):
        trace, plain = engine.trace(question), without.trace(question)
        assert trace.ranked is not None and plain.ranked is not None and trace.ranked.reader is not None
        assert trace.ranked.probability == plain.ranked.probability  # the answer check is untouched
        read = plain.ranked.order[:3]
        assert set(np.flatnonzero(~np.isnan(trace.ranked.reader))) == set(read.tolist())
        # the reader read exactly the quoted text of each, and the order is score + its logit
        texts = [engine.quote_text(trace.infos[int(r)]) for r in read]
        np.testing.assert_allclose(trace.ranked.reader[read], reader.score(trace.question.normalized, texts))
        blended = plain.ranked.logits[read] + trace.ranked.reader[read]
        assert list(trace.ranked.order[:3]) == list(read[np.lexsort((np.arange(3), -blended))])
        assert list(trace.ranked.order[3:]) == list(plain.ranked.order[3:])
        explained = engine.explain(question)
        assert "answer reader" in explained["reader"] and "reader" in explained["candidates"][0]
    # the tiny reader loves "Vancouver", so a sentence that has it comes first whenever it was read
    ask = engine.ask("where was the pilot filmed")
    assert ask.quote is not None and "Vancouver" in ask.quote.text


def test_a_reader_that_fails_mid_answer_costs_nothing_but_itself(tmp_path, embedder, reader_folder, monkeypatch):
    (tmp_path / "a.txt").write_text("Production\n\nThe finale was filmed in Vancouver.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Cast\n\nAnn Park plays the lead in the finale.\n", encoding="utf-8")
    always = Settings(reader_blend=ReaderBlend(top=2, margin=100.0))
    broken = load_reader(str(reader_folder))

    def fail(question, texts):
        raise RuntimeError("onnxruntime says no")

    monkeypatch.setattr(broken, "score", fail)
    corpus = load_corpus(tmp_path)
    engine = Engine(corpus, always, embedder=embedder, reader=broken, vectors_in_background=False)
    plain = Engine(corpus, always, embedder=embedder, vectors_in_background=False)
    answer, expected = engine.ask("where was the finale filmed"), plain.ask("where was the finale filmed")
    assert answer.quote is not None and expected.quote is not None and answer.quote.text == expected.quote.text


def test_the_reader_is_not_asked_when_the_answer_check_declines(tmp_path, embedder, reader_folder, monkeypatch):
    """The reader changes the order of an answer, never whether there is one: a declined question is not read."""
    from dataclasses import replace

    (tmp_path / "a.txt").write_text("Production\n\nThe pilot was filmed in Vancouver.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Cast\n\nAnn Park plays the lead in the pilot.\n", encoding="utf-8")
    always = Settings(reader_blend=ReaderBlend(top=2, margin=100.0))
    engine = Engine(
        load_corpus(tmp_path),
        always,
        embedder=embedder,
        reader=load_reader(str(reader_folder)),
        vectors_in_background=False,
    )
    calls = []
    monkeypatch.setattr(engine.reader, "score", lambda question, texts: calls.append(question) or np.zeros(len(texts)))
    assert engine.ask("where was the pilot filmed").answered and calls  # answered: read
    calls.clear()
    strict = {name: replace(v, threshold=1.01) for name, v in engine.ranker.variants.items()}
    monkeypatch.setattr(engine.ranker, "variants", strict)
    assert not engine.ask("where was the pilot filmed").answered
    assert calls == []


def test_a_reader_check_hears_both_and_round_trips():
    from index.rank import ReaderCheck, sigmoid

    check = ReaderCheck("reader:1", "abc", check=0.5, reader=0.25, intercept=-1.0, threshold=0.6)
    assert check.probability(0.5, 4.0) == pytest.approx(sigmoid(0.5 * 0.0 + 0.25 * 4.0 - 1.0))
    assert check.probability(0.9, 2.0) > check.probability(0.9, -2.0)  # the reader's doubt lowers it
    assert check.probability(0.9, 2.0) > check.probability(0.3, 2.0)  # and the answer check's
    assert ReaderCheck.from_json(check.to_json()) == check
    for bad in ({"threshold": 1.0}, {"threshold": 0.0}, {"reader": -0.1}, {"check": -1.0}):
        with pytest.raises(ValueError):
            ReaderCheck(**{**check.__dict__, **bad})


def test_a_check_that_hears_evidence_needs_it_and_round_trips():
    from index.rank import CHECK_EVIDENCE, ReaderCheck, sigmoid

    evidence = tuple(round(0.1 * (k + 1), 1) for k in range(len(CHECK_EVIDENCE)))
    check = ReaderCheck("reader:1", "abc", 0.5, 0.25, -1.0, 0.6, -2.0, evidence)
    row = np.ones(len(CHECK_EVIDENCE))
    assert check.probability(0.5, 4.0, row) == pytest.approx(sigmoid(0.25 * 4.0 - 1.0 + sum(evidence)))
    with pytest.raises(ValueError, match="evidence"):
        check.probability(0.5, 4.0)  # the evidence is part of what it hears
    assert ReaderCheck.from_json(check.to_json()) == check
    assert set(check.to_json()["weights"]) == {"check", "reader", *CHECK_EVIDENCE}
    with pytest.raises(ValueError, match="weights"):
        ReaderCheck("reader:1", "abc", 0.5, 0.25, -1.0, 0.6, evidence=(1.0, 2.0))
    with pytest.raises(ValueError, match="does not know"):
        ReaderCheck.from_json({**check.to_json(), "weights": {"check": 1.0, "reader": 1.0, "vibes": 2.0}})
    plain = ReaderCheck("reader:1", "abc", 0.5, 0.25, -1.0, 0.6)
    assert ReaderCheck.from_json(plain.to_json()).evidence == ()  # a check of two weights stays one


def test_check_evidence_reads_how_far_the_best_leads():
    from index.rank import ANSWER_FEATURES, CHECK_EVIDENCE, check_evidence

    row = np.arange(len(ANSWER_FEATURES), dtype=float)
    logits = np.array([1.0, 3.0, 2.5, -np.inf])
    ranked = Ranked(np.array([1, 2, 0]), logits, 0.7, row, "semantic", np.zeros((4, 2)), None)
    unread = check_evidence(ranked)
    assert len(unread) == len(CHECK_EVIDENCE) and unread[:3].tolist() == [0.0, 0.0, 0.5]
    assert unread[3:].tolist() == row.tolist()
    read = np.array([np.nan, 4.0, 1.5, np.nan])  # the reader read the best two
    assert check_evidence(replace(ranked, reader=read))[:3].tolist() == [2.5, 1.0, 0.5]
    only_best = np.array([np.nan, 4.0, np.nan, np.nan])
    assert check_evidence(replace(ranked, reader=only_best))[:3].tolist() == [0.0, 0.0, 0.5]


def test_a_neutral_check_keeps_the_answer_checks_probability_and_threshold():
    from index.rank import Ranker, ReaderCheck

    ranker = Ranker.from_file()
    neutral = ReaderCheck.neutral("reader:1", ranker)
    for p in (0.01, 0.5, 0.81, 0.99):
        assert neutral.probability(p, 7.0) == pytest.approx(p)
    assert neutral.threshold == ranker.variant(True)[1].threshold
    assert neutral.applies("reader:1", ranker) and not neutral.applies("reader:2", ranker)


def test_the_check_is_heard_only_with_the_reader_and_ranker_it_was_fitted_for(tmp_path, embedder, reader):
    from dataclasses import replace

    from index.rank import Ranker, ReaderCheck

    (tmp_path / "a.txt").write_text("Production\n\nThe pilot was filmed in Vancouver.\n", encoding="utf-8")
    engine = Engine(load_corpus(tmp_path), embedder=embedder, reader=reader, vectors_in_background=False)
    fitted = ReaderCheck(reader.files.model_id, engine.ranker.fingerprint, 1.0, 0.5, 0.0, 0.5)
    engine.reader_check = fitted
    assert engine.active_reader_check is fitted
    engine.reader_check = replace(fitted, reader_id="another reader")
    assert engine.active_reader_check is None
    engine.reader_check = replace(fitted, ranker="another ranker")
    assert engine.active_reader_check is None
    refitted = Ranker.from_json({"variants": {"lexical": {**_ranker_json()["variants"]["lexical"], "threshold": 0.5}}})
    assert refitted.fingerprint != engine.ranker.fingerprint  # other weights, another fingerprint
    assert Ranker.from_file().fingerprint == engine.ranker.fingerprint  # the same weights read twice
    engine.use_reader(None)
    engine.reader_check = fitted
    assert engine.active_reader_check is None


def _ranker_json() -> dict:
    import json
    from importlib import resources

    return json.loads(resources.files("index").joinpath("data/ranker.json").read_text(encoding="utf-8"))


def test_with_a_check_the_best_is_read_and_decides(tmp_path, embedder, reader, monkeypatch):
    """The reader reads the best even when the ranker is sure of it and even when the answer check alone would
    decline: the probability is then the check's, from the answer check's and the reader's logit of the best."""
    from index.rank import ReaderCheck

    (tmp_path / "a.txt").write_text("Production\n\nThe pilot was filmed in Vancouver.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Cast\n\nAnn Park plays the lead in the pilot.\n", encoding="utf-8")
    sure = Settings(reader_blend=ReaderBlend(top=2, margin=1e-9))  # never unsure: only the best is read
    engine = Engine(load_corpus(tmp_path), sure, embedder=embedder, reader=reader, vectors_in_background=False)
    question = "where was the pilot filmed"
    plain = engine.trace(question).ranked
    assert plain is not None and plain.reader is None and plain.threshold is None  # no check: nothing read
    # a check that hears only the reader: the tiny reader gives "Vancouver" 5, so it answers
    engine.reader_check = ReaderCheck(reader.files.model_id, engine.ranker.fingerprint, 0.0, 1.0, -2.0, 0.9)
    trace = engine.trace(question)
    ranked = trace.ranked
    assert ranked is not None and ranked.threshold == 0.9
    best = int(ranked.order[0])
    assert list(ranked.order) == list(plain.order)  # the order is the ranker's: it was sure
    assert np.flatnonzero(~np.isnan(ranked.reader)).tolist() == [best]  # only the best was read
    logit = reader.score(trace.question.normalized, [engine.quote_text(trace.infos[best])])[0]
    assert ranked.probability == pytest.approx(1 / (1 + np.exp(-(logit - 2.0))))
    assert engine.ask(question).answered == (ranked.probability >= 0.9)
    # a check that doubts everything declines what the answer check alone answers, and explains why
    strict = ReaderCheck(reader.files.model_id, engine.ranker.fingerprint, 0.0, 1.0, -20.0, 0.5)
    engine.reader_check = strict
    assert not engine.ask(question).answered
    explained = engine.explain(question)
    assert explained["threshold"] == 0.5 and "reader" in explained["reader_check"]
    assert explained["reader_check_parts"]["intercept"] == -20.0 and explained["reader_check_parts"]["check"] == 0.0
    # and one that trusts the reader answers where the answer check alone declines (threshold 1.01)
    from dataclasses import replace

    monkeypatch.setattr(
        engine.ranker, "variants", {n: replace(v, threshold=1.01) for n, v in engine.ranker.variants.items()}
    )
    engine.reader_check = ReaderCheck(reader.files.model_id, engine.ranker.fingerprint, 0.0, 1.0, 20.0, 0.5)
    assert engine.ask(question).answered


def test_a_settled_question_is_not_read(tmp_path, embedder, reader, monkeypatch):
    """Sure of its best, and the answer check so sure that a reader's logit down to the floor could not decline
    it: the reader is not asked, and the probability is the check's with the floor for the reader's logit."""
    from index.rank import ReaderCheck

    check = ReaderCheck("r", "k", check=1.0, reader=0.5, intercept=0.0, threshold=0.5, reader_floor=-2.0)
    assert check.settles(0.9) and not check.settles(0.6)  # logit(0.9) - 1 > 0; logit(0.6) - 1 < 0
    assert not ReaderCheck("r", "k", 1.0, 0.5, 0.0, 0.5).settles(0.999)  # no floor: never settled
    assert ReaderCheck.from_json(check.to_json()) == check

    (tmp_path / "a.txt").write_text("Production\n\nThe pilot was filmed in Vancouver.\n", encoding="utf-8")
    sure = Settings(reader_blend=ReaderBlend(top=2, margin=1e-9))
    engine = Engine(load_corpus(tmp_path), sure, embedder=embedder, reader=reader, vectors_in_background=False)
    question = "where was the pilot filmed"
    plain = engine.trace(question).ranked
    assert plain is not None
    calls = []
    monkeypatch.setattr(engine.reader, "score", lambda q, texts: calls.append(q) or np.full(len(texts), 5.0))
    fingerprint, reader_id = engine.ranker.fingerprint, reader.files.model_id
    # a floor so low that nothing settles: the best is read
    engine.reader_check = ReaderCheck(reader_id, fingerprint, 1.0, 0.5, 0.0, 0.5, reader_floor=-1e6)
    assert engine.trace(question).ranked.threshold == 0.5 and calls
    calls.clear()
    # a floor that settles every probability the check can give: not read, the check's bound answers
    settling = ReaderCheck(reader_id, fingerprint, 0.5, 0.5, 10.0, 0.5, reader_floor=0.0)
    engine.reader_check = settling
    ranked = engine.trace(question).ranked
    assert calls == [] and ranked.threshold == 0.5 and ranked.reader is None
    assert ranked.probability == pytest.approx(settling.probability(plain.probability, 0.0))
    assert engine.ask(question).answered
