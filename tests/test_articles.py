"""Reading a folder of articles: only regular files, no byte-order marks, and sources.toml checked."""

import logging
import os
import threading

import pytest

from index import SeedsError, load_corpus

ARTICLE = "A Title\n\nThe show was directed by Ann Park in 2020.\n"


def sources(corpus):
    return {a.source.id: a.source for a in corpus.articles}


def load_in_thread(folder, timeout=20.0):
    """``load_corpus(folder)`` that fails the test instead of hanging it."""
    result: dict = {}

    def target():
        try:
            result["corpus"] = load_corpus(folder)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            result["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout)
    assert not thread.is_alive(), "load_corpus hung"
    if "error" in result:
        raise result["error"]
    return result["corpus"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_named_like_an_article_is_skipped_not_waited_on(tmp_path, caplog):
    (tmp_path / "good.txt").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "x.txt")
    with caplog.at_level(logging.WARNING):
        corpus = load_in_thread(tmp_path)
    assert list(sources(corpus)) == ["good.txt"]
    assert any("x.txt" in w and "not a regular file" in w for w in corpus.warnings)


def test_symlink_to_an_article_is_read(tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (real / "story.txt").write_text(ARTICLE, encoding="utf-8")
    folder = tmp_path / "seeds"
    folder.mkdir()
    (folder / "link.txt").symlink_to(real / "story.txt")
    (folder / "dangling.txt").symlink_to(real / "missing.txt")
    corpus = load_corpus(folder)
    assert list(sources(corpus)) == ["link.txt"]
    assert any("dangling.txt" in w for w in corpus.warnings)


def test_byte_order_mark_is_not_part_of_title_or_text(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + ARTICLE.encode())
    corpus = load_corpus(tmp_path)
    (article,) = corpus.articles
    assert article.source.title == "A Title"
    assert "\ufeff" not in article.text


def test_sources_toml_with_byte_order_mark_is_read(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources.toml").write_bytes(b'\xef\xbb\xbf["a.txt"]\ntitle = "From TOML"\n')
    corpus = load_corpus(tmp_path)
    assert sources(corpus)["a.txt"].title == "From TOML" and not corpus.warnings


@pytest.mark.parametrize(
    ("field", "value", "kept"),
    [
        ("url", "5", None),
        ("url", '"javascript:alert(1)"', None),
        ("url", '"ftp://example.com/a"', None),
        ("url", '"https://"', None),
        ("url", '"https://exa mple.com/a"', None),
        ("url", '"https://example.com/a"', "https://example.com/a"),
        ("url", '"  HTTP://example.com/a  "', "HTTP://example.com/a"),
        ("title", '["a", "b"]', "A Title"),
        ("title", "3", "A Title"),
        ("title", '"Real title"', "Real title"),
        ("publisher", "{ name = 'x' }", None),
        ("publisher", "true", None),
        ("published", "[2022]", None),
        ("published", "2022-02-04", "2022-02-04"),
        ("published", '"Feb 2022"', "Feb 2022"),
    ],
)
def test_sources_toml_fields_are_checked(tmp_path, field, value, kept):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(f'["a.txt"]\n{field} = {value}\n', encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert getattr(sources(corpus)["a.txt"], field) == kept
    good = kept is not None and (field != "title" or kept != "A Title")
    if good:
        assert not corpus.warnings
    else:
        (warning,) = corpus.warnings
        assert "sources.toml" in warning and '"a.txt"' in warning and field in warning


def test_sources_toml_entry_for_no_file_is_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources.toml").write_text(
        'loose = 5\n\n["a.txt"]\ntitle = "Fine"\n\n["a.tx"]\ntitle = "Typo"\n', encoding="utf-8"
    )
    corpus = load_corpus(tmp_path)
    assert sources(corpus)["a.txt"].title == "Fine"
    assert any('"a.tx"' in w and "no such article" in w for w in corpus.warnings)
    assert any('"loose"' in w and "not a table" in w for w in corpus.warnings)


def test_sources_toml_unknown_field_is_a_warning(tmp_path):
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sources.toml").write_text('["a.txt"]\ntitel = "Typo"\n', encoding="utf-8")
    corpus = load_corpus(tmp_path)
    assert sources(corpus)["a.txt"].title == "A Title"
    (warning,) = corpus.warnings
    assert "titel" in warning


def test_folder_of_nothing_readable_is_seeds_error(tmp_path):
    os.mkfifo(tmp_path / "only.txt") if hasattr(os, "mkfifo") else (tmp_path / "only.txt").mkdir()
    with pytest.raises(SeedsError):
        load_in_thread(tmp_path)


SPANISH = (
    "Club de Cuervos fue la primera serie original de Netflix en español y se estrenó en agosto de 2015. "
    "La historia sigue a los hermanos Chava e Isabel Iglesias, que se pelean por el control de un equipo "
    "de fútbol en el pueblo ficticio de Nuevo Toledo después de la muerte de su padre. La serie tuvo cuatro "
    "temporadas y un spin-off sobre Hugo Sánchez."
)
ENGLISH = (
    "Club de Cuervos was Netflix's first original series in Spanish, and it premiered in August 2015. "
    "It follows the siblings Chava and Isabel Iglesias, who fight over a football club in the made-up town "
    "of Nuevo Toledo after the death of their father. The show ran for four seasons and had a spin-off."
)


def test_an_article_not_in_english_is_kept_with_a_warning(tmp_path, caplog):
    (tmp_path / "es.txt").write_text(SPANISH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (tmp_path / "short.txt").write_text("Isabel Iglesias (Mariana Treviño)", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="index.articles"):
        corpus = load_corpus(tmp_path)
    assert sorted(sources(corpus)) == ["en.txt", "es.txt", "short.txt"]  # names and dates may still match
    (warning,) = corpus.warnings
    assert warning.startswith("es.txt: does not look like English")
    assert [r.getMessage() for r in caplog.records] == [warning]


def test_many_articles_not_in_english_are_one_warning(tmp_path):
    for k in range(8):
        (tmp_path / f"{k:02d}.txt").write_text(SPANISH, encoding="utf-8")
    (tmp_path / "en.txt").write_text(ENGLISH, encoding="utf-8")
    (warning,) = load_corpus(tmp_path).warnings
    assert warning.startswith("8 articles do not look like English (00.txt, 01.txt, 02.txt, 03.txt, 04.txt and 3 more)")
