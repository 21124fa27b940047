"""Sentence boundaries around abbreviations, numbers, initialisms, quotes and parentheses."""

import pytest

from index.sentences import closes_quotation, opens_quotation, split_sentences


def split(text):
    return [text[a:b] for a, b in split_sentences(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "A series of events unfold after the father, Dr. Lee, a professor, develops a virus. It spreads.",
            ["A series of events unfold after the father, Dr. Lee, a professor, develops a virus.", "It spreads."],
        ),
        (
            "The show ranks No. 1 in the world. It is No. 2 in the U.S. market.",
            ["The show ranks No. 1 in the world.", "It is No. 2 in the U.S. market."],
        ),
        (
            "It was released on Jan. 28. Fans loved it.",
            ["It was released on Jan. 28.", "Fans loved it."],
        ),
        ("By: Feb. 06, 2022", ["By: Feb. 06, 2022"]),
        (
            "In 29 other countries, including the U.S., it occupies the No. 2 spot. Next sentence.",
            ["In 29 other countries, including the U.S., it occupies the No. 2 spot.", "Next sentence."],
        ),
        (
            "It did well in the U.S. The show then grew.",
            ["It did well in the U.S.", "The show then grew."],
        ),
        (
            "Director Lee JQ (Beethoven Virus, Damo: The Legendary Police Woman, Intimate Strangers) produced it. "
            "It is new.",
            [
                "Director Lee JQ (Beethoven Virus, Damo: The Legendary Police Woman, Intimate Strangers) produced it.",
                "It is new.",
            ],
        ),
        (
            "Lee JQ (known for Dr. Who. And more. Really.) directed it.",
            ["Lee JQ (known for Dr. Who. And more. Really.) directed it."],
        ),
        (
            "“Up until now, most zombie flicks revolved around adults. But this series follows students.” He said so.",
            [
                "“Up until now, most zombie flicks revolved around adults.",
                "But this series follows students.”",
                "He said so.",
            ],
        ),
        (
            "“After watching the trailer, he said, ‘My dreams have already come true.’ That alone was an honor,” Lee recalled.",
            [
                "“After watching the trailer, he said, ‘My dreams have already come true.’",
                "That alone was an honor,” Lee recalled.",
            ],
        ),
        ("Existing user? Just click login.", ["Existing user?", "Just click login."]),
        ("It rated 124.79 million hours. Wow!", ["It rated 124.79 million hours.", "Wow!"]),
        ("Squid Game, Kingdom, etc., have been hits. Yes.", ["Squid Game, Kingdom, etc., have been hits.", "Yes."]),
        ("no punctuation at the end", ["no punctuation at the end"]),
        (
            "It is made by Warner Bros. Television in Burbank. It is made by Warner Bros. The cast is new.",
            ["It is made by Warner Bros. Television in Burbank.", "It is made by Warner Bros.", "The cast is new."],
        ),
        ("Apple Inc. Said so. Apple Inc. The end.", ["Apple Inc. Said so.", "Apple Inc.", "The end."]),
        (
            "The theme by Sachin-Jigar ft. Shreya Ghoshal is a hit. It topped the Global Excl. U.S. chart.",
            ["The theme by Sachin-Jigar ft. Shreya Ghoshal is a hit.", "It topped the Global Excl. U.S. chart."],
        ),
        ("It was no easy feat. Making it took years.", ["It was no easy feat.", "Making it took years."]),
    ],
)
def test_split(text, expected):
    assert split(text) == expected


def test_offsets_are_shifted():
    line = "One. Two."
    assert split_sentences(line, offset=10) == [(10, 14), (15, 19)]


def test_line_breaks_are_boundaries(engine):
    # the heading "The plot of All of Us are Dead" is never glued to the next sentence
    for i in range(engine.index.sentence_count):
        assert "\n" not in engine.index.sentence_text(i)


@pytest.mark.parametrize(
    ("text", "opens", "closes"),
    [
        ('He said, "We will be back.', True, False),
        ("He said, “We will be back.", True, False),
        ('We promise," she said.', False, True),
        ("We promise.”", False, True),
        ('"So much was taken from me," she says.', False, False),
        ('The "Hacks" star ended her speech.', False, False),
    ],
)
def test_a_sentence_that_opens_or_closes_a_quotation_is_told(text, opens, closes):
    assert (opens_quotation(text), closes_quotation(text)) == (opens, closes)
