"""Who wrote an article: bylines found, author questions read, the article named picked, the byline quoted."""

from __future__ import annotations

import pytest

from index import Engine, load_corpus
from index.byline import ArticleNames, asks_author, find_byline
from index.tokens import Tokenizer

BODY = (
    "The Zorblat Files returns for a second season on Friday, the network said. "
    "Jane Morrow wrote every episode of the new season, which was filmed in Glasgow last spring."
)


@pytest.mark.parametrize(
    "line",
    [
        "By Rob Owen",
        "- Review by Christopher Stevens",
        "By: Sonil Dedhia",
        "posted by Stephany Montero",
        "Interview by Tulip Mazumdar",
        "Danielle Poole 24 January 2014",
        "Review Tom French 16 Jul 2013 - 22:00",
        "Seema Sinha September 21, 2019 13:13:22 IST",
        "Seth Franco, Staff Writer",
        "18 June 2021 By Holly Overton",
        "[Reporter Shin Young-eun, Daily Economy Star Today]",
    ],
)
def test_a_byline_near_the_top_is_found(line):
    text = f"Zorblat review: a slow start\n\n{line}\n\n{BODY}\n"
    start, end = find_byline(text)
    assert text[start:end] == line.lstrip("- ")


@pytest.mark.parametrize(
    "under", ["Thursday 04 May 2023 11:03 BST", "Deputy Editor, Yahoo TV", "Last modified on Fri 5 Jun 2020 07.45 EDT"]
)
def test_a_name_alone_over_a_date_or_a_job_is_a_byline(under):
    text = f"Zorblat review: a slow start\n\nNicole Vassell\n{under}\n\n{BODY}\n"
    start, end = find_byline(text)
    assert text[start:end] == "Nicole Vassell"


def test_a_job_before_a_name_in_a_sentence_is_no_byline():
    assert find_byline(f"Writer Kim Eun Hee talks about the Zorblat Files\n\n{BODY}\n") is None


def test_a_name_alone_over_article_text_is_no_byline():
    assert find_byline(f"Zorblat review: a slow start\n\nNicole Vassell\n\n{BODY}\n") is None


def test_no_byline_in_a_page_without_one_nor_far_down_it():
    assert find_byline(f"Zorblat review\n\n{BODY}\n") is None
    far = "\n".join(["A line of the article that goes on."] * 30)
    assert find_byline(f"{far}\nBy Rob Owen\n") is None


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Who wrote the Variety review of season 2?", True),
        ("who did the vox interview w the cast", True),
        ("vox piece author", True),
        ("Which reporter covered the premiere for the Herald?", True),
        ("who wrote season 2", False),
        ("who wrote the novel it is based on", False),
        ("who directed the pilot", False),
    ],
)
def test_questions_that_ask_who_wrote_an_article(question, asks):
    assert asks_author(question) is asks


def _engine(tmp_path, bylines: dict[str, str]) -> Engine:
    entries = []
    for name, (publisher, byline) in bylines.items():
        (tmp_path / name).write_text(f"{publisher} on the Zorblat Files\n\n{byline}\n\n{BODY}\n", encoding="utf-8")
        entries.append(
            f'["{name}"]\ntitle = "Zorblat Files season 2: {publisher} review"\npublisher = "{publisher}"\n'
            f'url = "https://www.{publisher.lower()}.com/zorblat-files"\n'
        )
    (tmp_path / "sources.toml").write_text("\n".join(entries), encoding="utf-8")
    return Engine(load_corpus(tmp_path), embedder=None)


def test_the_article_named_by_its_publisher_is_picked_and_a_tie_is_none(tmp_path):
    engine = _engine(tmp_path, {"a.txt": ("Variety", "By Ann Lee"), "b.txt": ("Vox", "By Bo Diaz")})
    terms = Tokenizer().terms
    names = ArticleNames.of(engine.articles, terms)
    assert names.asked(set(terms("who wrote the vox review"))) == 1
    assert names.asked(set(terms("who wrote the review"))) is None


def test_asked_who_wrote_a_review_the_engine_quotes_its_byline(tmp_path):
    engine = _engine(tmp_path, {"a.txt": ("Variety", "By Ann Lee"), "b.txt": ("Vox", "By Bo Diaz")})
    answer = engine.ask("who wrote the vox review??")
    assert answer.quote is not None and answer.quote.text == "By Bo Diaz"
    assert answer.quote.source.publisher == "Vox"
    assert answer.quote.link == "https://www.vox.com/zorblat-files#:~:text=By%20Bo%20Diaz"
    other = engine.ask("who wrote the new season?")  # the show's writer, from the articles' text
    assert other.quote is None or "Jane Morrow" in other.quote.text


def test_explain_says_the_answer_is_the_byline(tmp_path):
    engine = _engine(tmp_path, {"a.txt": ("Variety", "By Ann Lee"), "b.txt": ("Vox", "By Bo Diaz")})
    explained = engine.explain("who wrote the vox review")
    assert "By Bo Diaz" in explained["byline"] and "b.txt" in explained["byline"]
    assert "byline" not in engine.explain("who wrote the new season?")
