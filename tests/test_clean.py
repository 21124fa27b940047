"""Boilerplate of the captured pages never reaches a passage; real content does."""

import pytest

from index.clean import content_lines

BOILERPLATE = [
    "Enter Your Email to Unlock This Article",
    "Get our collection of Asian America",
    "Existing user? Just click login.",
    "Support NextShark",
    "Mastercard, Visa, Amex, Discover, Paypal",
    "small bootstrapped startup",
    "Everything you see today is built on the backs of warriors",
    "We hope you consider making a contribution",
    "Be the first one to comment",
    "Leave a Reply",
    "Your email address will not be published",
    "ALSO READ:",
    "Read Also:",
    "Related Article:",
    "Quick Links",
    "Edited by Atul S",
    "Image via Netflix Korea",
    "via Yang Hae-sung",
    "Watch the trailer below!",
    "Comments",
    "Vote Sponsor",
    "Videos",
    "Latest Newsletter",
    "Unsure? Check out our Newsletter Archive",
    "To post a comment, you must register and login.",
    "Plus, get the best of BroadwayWorld delivered to your inbox",
    "Asian America Daily",
    "By: Feb. 06, 2022",
    "let us know in the comments",
]

KEPT = [
    "All of Us Are Dead is written by Chun Sung-il, and directed by Lee JQ and Kim Nam-su.",
    "The show currently holds the top two spots in 75 countries.",
    "It is based on the webtoon Now At Our School, which ran between 2009 and 2011.",
    "Netflix released another hit South Korean drama series",
    "The show premiered on January 28th, and has hit first place on the charts within one week of the debut.",
]


def kept_lines(text):
    return [text[line.start : line.end] for line in content_lines(text)]


def all_sentences(engine):
    return [engine.index.sentence_text(i) for i in range(engine.index.sentence_count)]


@pytest.mark.parametrize("phrase", BOILERPLATE)
def test_boilerplate_is_in_no_sentence(engine, phrase):
    assert not [s for s in all_sentences(engine) if phrase.casefold() in s.casefold()]


@pytest.mark.parametrize("phrase", KEPT)
def test_article_content_stays(engine, phrase):
    assert any(phrase in s for s in all_sentences(engine))


def test_repeated_caption_goes_and_long_paragraph_stays_once():
    caption = "Cast members of the show (Image via Netflix)"
    para = "This paragraph is long enough to be real article content and it was captured twice by mistake, which happens on some sites."
    text = f"{caption}\n{caption}\n\n{para}\n\n{para}\n"
    kept = kept_lines(text)
    assert kept == [para]


def test_footer_marker_ends_the_article():
    text = "A real sentence about the show is here.\nLeave a Reply\nA comment that says the show is great.\n"
    kept = kept_lines(text)
    assert kept == ["A real sentence about the show is here."]


def test_headings_without_punctuation_go_but_long_lines_stay():
    heading = "The plot of the show"
    long_line = " ".join(["word"] * 30)
    text = f"{heading}\n{long_line}\n"
    kept = kept_lines(text)
    assert kept == [long_line]


LIST_AND_FACT_BOX_LINES = [
    "Richard Gadd as Donny Dunn",
    "Ayo Edebiri – Sydney Adamu",
    "Nezuko: Abby Trott",
    "Director: Jane Doe",
    "Occupation: Paediatric nurse",
    "Age: 44",
    "Episodes: 26 – Studio: Example Works – Aired: Spring 2019",
    "Half-hour dramedy (8 episodes) | TV-MA",
    "Nena – “Irgendwie, Irgendwo, Irgendwann”",
    "Dead or Alive – “You Spin Me Round (Like a Record)",
    "Soap & Skin – “Me and the Devil”",
]
FURNITURE_WITH_A_LABEL = [
    "Photo: Netflix",
    "Tags: drama, thriller",
    "Twitter: @someone",
    "7 June 2024, 09:31",
    "Meet the cast (Picture: Netflix)",
    "Source: https://example.com/page",
]


@pytest.mark.parametrize("line", LIST_AND_FACT_BOX_LINES)
def test_lines_of_lists_and_fact_boxes_stay(line):
    assert kept_lines(f"The plot of the show\n{line}\n") == [line]


@pytest.mark.parametrize("line", FURNITURE_WITH_A_LABEL)
def test_labelled_furniture_goes(line):
    assert kept_lines(f"{line}\nA real sentence about the show is here.\n") == [
        "A real sentence about the show is here."
    ]


def test_spans_point_into_the_original_text():
    text = "  • “Quoted” sentence with a bullet in front of it, kept verbatim.\n date 2022-02-04 Netflix did a thing today.\n"
    kept = kept_lines(text)
    assert kept == ["“Quoted” sentence with a bullet in front of it, kept verbatim.", "Netflix did a thing today."]


def test_text_wrapped_by_hand_is_joined_back():
    text = (
        "2017-04-14 VH1 has renewed the show\n"
        "for a tenth season.\n"
        "The reality series, which aired for\n"
        "eight seasons on Logo, pits queens against each other.\n"
        "“Now more than ever, we rely on love,”\n"
        "RuPaul added. “As we celebrate a decade,\n"
        "we go on,” he said.\n"
    )
    assert kept_lines(text) == [
        "VH1 has renewed the show\nfor a tenth season.",
        "The reality series, which aired for\neight seasons on Logo, pits queens against each other.",
        "“Now more than ever, we rely on love,”\nRuPaul added. “As we celebrate a decade,\nwe go on,” he said.",
    ]


def test_only_text_wrapped_throughout_is_joined():
    once = "The plot of the show\nwent on in lower case once.\n"
    assert kept_lines(once) == ["went on in lower case once."]  # a heading above a lower-case line
    wrapped = "".join(f"Line {i} of a long paragraph that was\nwrapped by hand at {i}.\n" for i in range(3))
    stamp = "October 4, 2021 8:55:57 pm\nmoney heist tags and the director posted a note.\n"
    kept = kept_lines(stamp + wrapped)
    assert kept[0] == "money heist tags and the director posted a note."
    assert kept[1:] == [f"Line {i} of a long paragraph that was\nwrapped by hand at {i}." for i in range(3)]


def test_a_line_stopped_mid_sentence_keeps_its_whole_sentences():
    text = "“And then the producers came to Minneapolis,” she remembered. “They went to different cities to\nThe end.\n"
    assert kept_lines(text) == ["“And then the producers came to Minneapolis,” she remembered.", "The end."]
    assert kept_lines("Studio Ufotable went all out on it, cr\nThe end.\n") == ["The end."]


def test_the_last_paragraph_that_the_capture_cut_off_stays_whole():
    cut = "Another Premier League venue, Craven Cottage, was also used in season one as a replacement for Goodison"
    assert kept_lines(f"The show was filmed in London.\n\n{cut}\n\n") == ["The show was filmed in London.", cut]
    assert kept_lines("The show was filmed in London.\nWhere to watch it now\n") == ["The show was filmed in London."]


def test_lines_of_a_numbered_list_stay():
    text = "The most-watched shows:\n1. Squid Game\n2. Wednesday\n3) Best Score - Attack on Titan\n"
    assert kept_lines(text) == ["1. Squid Game", "2. Wednesday", "3) Best Score - Attack on Titan"]


def test_a_cross_link_after_a_bar_goes():
    link = "Also read |Money Heist 5: The Professor actor says he ‘cried’ on the last day of shoot"
    assert kept_lines(f"The show was a hit.\n{link}\n") == ["The show was a hit."]


def test_bulleted_lines_of_a_list_stay_and_bulleted_furniture_goes():
    text = "The English cast includes:\n\n  • Kaiji Tang as Satoru Gojo\n  - Hours watched: 2.2 billion\n  • Share on Facebook\n  • Tags: anime\n"
    assert kept_lines(text) == ["Kaiji Tang as Satoru Gojo", "Hours watched: 2.2 billion"]


def test_an_unended_line_written_as_a_sentence_stays_and_a_title_case_heading_goes():
    standfirst = "The actor has been nominated for the award seven times since the drama began in 2007"
    heading = "Mad Men Costume Designer Janie Bryant on the End of an Era"
    text = f"{heading}\n{standfirst}\nHe finally won in 2015.\n"
    assert kept_lines(text) == [standfirst, "He finally won in 2015."]
    short = "The show is back tonight"  # under eight words: a heading
    assert kept_lines(f"{short}\nHe finally won in 2015.\n") == ["He finally won in 2015."]


def test_a_footer_marker_between_the_first_paragraphs_is_a_widget_and_one_below_the_article_ends_it():
    opening = "Netflix has renewed the drama for a second season, the streamer said on Monday."
    body = (
        "“Netflix had contacted the writer first, as Netflix considers writers more important than directors to make"
        " original content,” the director told reporters at a press event in Seoul on Tuesday afternoon."
    )
    assert kept_lines(f"{opening}\n\nRelated Stories\n\n{body}\n") == [opening, body]
    links = "Business chiefs gather for an annual awards night in London\nJane Doe | Staff\n"
    assert kept_lines(f"{opening}\n\nRelated articles\n\n{links}") == [opening]
    long_article = " ".join([opening] * 12)  # 150 words and more above it: the marker ends the article
    assert kept_lines(f"{long_article}\n\nComments\n\n{body}\n") == [long_article]


def test_an_author_bio_goes_and_a_paragraph_about_the_shows_writer_stays():
    bio = "Jane Doe is a staff writer at Variety. She likes tea."
    about = "Shinsuke Sato is a Japanese director and writer who has worked on a large number of shows."
    move = (
        "It is a brave move by writer Neil Cross to kill off a beloved character like Ripley, with whom fans grew up."
    )
    assert kept_lines(f"{about}\n{move}\n{bio}\n") == [about, move]


def test_credits_episode_lists_dub_casts_line_ups_and_speakers_stay_and_bylines_go():
    lines = [
        "Music by Taro Iwashiro",
        "Starring Jeremy Allen White, Ebon Moss-Bachrach, Ayo Edebiri",
        "Episode 4 — March 9",
        "Maaya Sakamoto/Alexis Tipton as Julia Crichton",
        "Lee George (Appare in APPARE-RANMAN!) as Gagamaru",
        "Terence, 40 – youth worker/DJ, Reading",
        "Brittany Hoopes, 32, of Austin, Texas, a hypnotherapist",
        "Karl Warner, Head of Youth and Digital:",
    ]
    furniture = ["By Rob Owen", "Story by Evan Ross Katz", "Videos by PopCulture.com", "Photograph by Dan Doperalski"]
    assert kept_lines("\n".join(lines + furniture) + "\n") == lines
