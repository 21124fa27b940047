"""Terminal text: wrapped to a width in columns, wide characters counted twice, links whole."""

import pytest

from bot.text import columns, render_explanation, render_sources, wrap
from index import Source

HANGUL = "지금 우리 학교는 2022년 넷플릭스에서 공개된 한국의 좀비 드라마로 이재규 감독이 연출했다. " * 3


@pytest.mark.parametrize("width", [20, 40, 80])
@pytest.mark.parametrize(
    "text",
    [
        HANGUL,
        "All of Us Are Dead (지금 우리 학교는) is written by Chun Sung-il and directed by Lee JQ. " * 3,
        "z̷̢a̵l̸g̴o̶ " * 30,
        "x" * 500,
    ],
)
def test_every_line_fits_the_width_in_columns(text, width):
    lines = wrap(text, width, "  ", "    ")
    assert all(columns(line) <= width for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added


def test_columns_counts_wide_and_combining_characters():
    assert columns("abc") == 3 and columns("학교") == 4 and columns("e\u0301") == 1


def test_sources_keep_links_whole_and_wrap_titles():
    url = "https://example.com/" + "segment/" * 20
    text = render_sources([Source("a.txt", "지금 우리 학교는 " * 10, "Publisher", url, "2022-01-28")], width=40)
    lines = text.splitlines()
    assert lines[-1].strip() == url
    assert all(columns(line) <= 40 for line in lines[:-1])


def test_explanation_of_any_shape_is_rendered():
    """The engine's explanation may gain fields: they are shown, not dropped, and nothing fails."""
    data = {
        "question": "who?",
        "read_as": {"normalized": "who?", "kind": "person", "terms": [], "new_thing": "x"},
        "ranker": "lexical",
        "probability": 0.2,
        "threshold": 0.5,
        "candidates": [{"sentence": "Ann Park directed it.", "contributions": {"a": 0.0}, "features": {}}],
        "brand_new": {"k": 1},
    }
    text = render_explanation(data, 200)
    assert "declined (below the threshold)" in text and "new_thing: x" in text and "brand_new" in text
    assert "Ann Park directed it." in text and "(all zero)" in text


def test_explanation_shows_the_readers_logit_beside_the_score():
    data = {
        "question": "where?",
        "reader": "the best 2 were unsure",
        "candidates": [
            {"sentence": "Filmed in Vancouver.", "score": 1.5, "reader": 4.25, "article": "a.txt"},
            {"sentence": "Filmed in Toronto.", "score": 1.75, "article": "b.txt"},
        ],
    }
    lines = render_explanation(data, 200).splitlines()
    assert "1. score 1.5, reader 4.25, a.txt" in [line.strip() for line in lines]
    assert "2. score 1.75, b.txt" in [line.strip() for line in lines]
    assert any(line.startswith("reader:") and "unsure" in line for line in lines)
