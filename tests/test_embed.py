"""The sentence model: the packaged file is checked before loading; none, a path, or a bad path."""

import os
import shutil
import subprocess
import sys
import time

import numpy as np
import pytest

from index import Engine, load_corpus
import index.embed as embed
from index.embed import MODEL_SHA256, Embedder, ModelError, file_sha256, load_embedder, packaged_model, user_model


def test_packaged_model_is_the_pinned_file_and_gives_unit_vectors(embedder):
    assert packaged_model().sha256 == MODEL_SHA256
    vectors = embedder.encode(["Who directed the show?", "The series was directed by Ann Park.", "I like soup."])
    assert vectors.shape == (3, embedder.dimension) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    # meaning, not just words: the answer is closer to the question than soup is
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_batches_give_the_same_vectors_as_one_at_a_time(embedder):
    texts = ["a short one", "a much longer sentence about the second season of a show and its cast", "mid length text"]
    together = embedder.encode(texts)
    alone = np.stack([embedder.encode([t])[0] for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-4)


def test_none_means_words_only():
    assert load_embedder("none") is None


def test_a_bad_path_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="model.onnx"):
        load_embedder(str(tmp_path / "nothing-here"))


def test_a_user_export_folder_is_loaded(tmp_path, embedder):
    files = packaged_model()
    shutil.copy(files.model, tmp_path / "model.onnx")
    shutil.copy(files.tokenizer, tmp_path / "tokenizer.json")
    mine = user_model(tmp_path)
    assert mine.model_id.startswith("user:")
    vector = Embedder(mine).encode(["hello"])
    np.testing.assert_allclose(vector, embedder.encode(["hello"]), atol=1e-5)


def test_the_packaged_models_vector_space_is_named_by_its_file():
    """A refitted model file gets a new id by itself, so vectors cached with the old one are never read with it."""
    files = packaged_model()
    assert files.sha256[:16] in files.model_id
    assert user_model(files.model.parent).model_id != files.model_id  # same file, but a user's id is its own


def test_a_files_digest_is_reused_only_while_it_is_the_same_file(tmp_path, monkeypatch):
    hashed: list[str] = []
    real = embed._sha256
    monkeypatch.setattr(embed, "_sha256", lambda path: hashed.append(path.name) or real(path))
    model, stamps = tmp_path / "model.onnx", tmp_path / "stamps"
    model.write_bytes(b"a" * 4096)
    first = file_sha256(model, stamps)
    assert file_sha256(model, stamps) == first and len(hashed) == 2  # just written: hashed until it is older
    monkeypatch.setattr(embed, "RACY_SECONDS", 0.0)  # as if it were
    hashed.clear()
    assert file_sha256(model, stamps) == first and file_sha256(model, stamps) == first
    assert hashed == ["model.onnx"]  # the next start reads the stamp
    time.sleep(0.05)  # past a tick of the system's coarse file clock, as RACY_SECONDS ensures in real use
    before = model.stat()
    model.write_bytes(b"b" * 4096)  # same size, and the modification time put back: a careful swap
    os.utime(model, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert file_sha256(model, stamps) != first and len(hashed) == 2  # the change time gives it away
    for stamp in stamps.glob("*.json"):
        stamp.write_text("{not json")
    assert file_sha256(model, stamps) == real(model) and len(hashed) == 3  # a damaged stamp: hashed again
    assert file_sha256(model, None) == real(model) and len(hashed) == 4  # caching off: always hashed


def test_a_tampered_cached_graph_is_never_loaded(tmp_path):
    Embedder(packaged_model(), cache=tmp_path)
    (cached,) = (tmp_path / "models").glob("*.onnx")
    cached.write_bytes(b"not a model")
    again = Embedder(packaged_model(), cache=tmp_path)  # rebuilt, not trusted
    assert again.encode(["hello"]).shape == (1, again.dimension)


def test_engine_uses_the_model_and_explains_it(tmp_path, embedder):
    (tmp_path / "a.txt").write_text("T\n\nThe series was directed by Ann Park in 2020.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("U\n\nThe weather was sunny and warm all week long.\n", encoding="utf-8")
    (tmp_path / "c.txt").write_text("V\n\nIt is streaming on a platform called Example Plus.\n", encoding="utf-8")
    engine = Engine(load_corpus(tmp_path), embedder=embedder)
    assert engine.semantic
    explained = engine.explain("who was the director")
    assert explained["ranker"] == "semantic"
    assert {"cos", "cover", "kind_near"} <= set(explained["candidates"][0]["features"])


def test_a_process_ending_while_vectors_fill_in_the_background_exits_cleanly(tmp_path, seeds_dir):
    """The background vector thread is stopped and waited for at exit, not cut off inside onnxruntime."""
    script = (
        "import sys\n"
        "from index import Engine, Settings, load_corpus\n"
        "from index.embed import load_embedder\n"
        "engine = Engine(load_corpus(sys.argv[1]), Settings(sync_vectors_max=0), embedder=load_embedder('default'))\n"
        "assert engine.vectors is not None and not engine.vectors.complete\n"
        "print(engine.ask('who directed it').answered)\n"
    )
    env = {**os.environ, "SHOWBOT_CACHE": str(tmp_path / "cache")}
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", script, str(seeds_dir)], capture_output=True, text=True, timeout=120, env=env
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert "terminate called" not in done.stderr
        shutil.rmtree(tmp_path / "cache", ignore_errors=True)


def test_encoding_stops_between_batches_when_asked(embedder):
    import threading

    from index.embed import Stopped

    stop = threading.Event()
    assert embedder.encode(["a", "b"], stop=stop).shape == (2, embedder.dimension)
    stop.set()
    with pytest.raises(Stopped):
        embedder.encode(["a", "b"], stop=stop)
