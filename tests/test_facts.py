"""Sentence facts computed the quick way are exactly what the plain computations give."""

from __future__ import annotations

import random
import re
import string
import sys

from bench.shows import load_shows
from index import load_corpus
from index.build import build_index
from index.features import (
    _BOILER,
    CASE_FOLDS,
    FeatureBuilder,
    _boiler_count,
    _words,
    named_parts,
    numbered_parts,
    part_clash,
)
from index.tokens import WORD_RE, Tokenizer
from index.vocab import tv_lexicon


def sentences():
    for show in load_shows():
        index = build_index(load_corpus(show.articles), cache=False)
        yield from (index.sentence_text(i) for i in range(index.sentence_count))


def test_boilerplate_count_is_the_patterns_own():
    rng = random.Random(3)
    pieces = [
        "Follow us on",
        "for MORE",
        "pic.twitter.com/x",
        "https://x",
        "@ab",
        " #tag",
        "Sign Up",
        "is a staff writer",
        "SUBSCRİBE",
        "ſubscribe",
        "cooKies",
        "Reply",
        "says:",
        "related:",
        "share this",
        "read more",
        "the",
        "x",
    ]
    texts = list(sentences()) + [" ".join(rng.choice(pieces) for _ in range(rng.randint(1, 5))) for _ in range(3000)]
    assert all(_boiler_count(t) == len(_BOILER.findall(t)) for t in texts)
    assert _boiler_count("Please SUBSCRİBE now") == 1  # a dotted capital I matches "i" case-insensitively


def test_case_folds_name_every_character_that_matches_an_ascii_letter_without_lower_casing_to_it():
    letter = re.compile("[a-z]", re.IGNORECASE)
    odd = {
        cp
        for cp in range(128, sys.maxunicode + 1)
        if letter.fullmatch(chr(cp)) and chr(cp).lower() not in string.ascii_lowercase
    }
    assert odd <= set(CASE_FOLDS), sorted(map(hex, odd - set(CASE_FOLDS)))


def test_facts_tokens_and_words_are_those_of_the_tokenizer():
    show = load_shows()[0]
    index = build_index(load_corpus(show.articles), cache=False)
    tokenizer = Tokenizer(index.lexicon)
    builder = FeatureBuilder(index, tokenizer)
    for i in range(index.sentence_count):
        text = index.sentence_text(i)
        facts = builder.facts(i)
        tokens = tokenizer.tokens(text)
        assert facts.token_terms == tuple(t.term for t in tokens)
        assert facts.token_starts.tolist() == [t.start for t in tokens]
        assert facts.token_ends.tolist() == [t.end for t in tokens]
        assert facts.words == tuple(_words(text))
        assert facts.word_starts.tolist() == [m.start() for m in WORD_RE.finditer(text)]
        assert facts.boiler == min(1.0, len(_BOILER.findall(text)) / 2)


def test_a_sentence_about_another_season_clashes_with_the_one_asked():
    tok = Tokenizer(tv_lexicon())
    units = frozenset(tok.term(w) for w in ("season", "episode", "part"))

    def parts(text):
        return numbered_parts(tok.terms(text), units)

    asked = parts("how much was the series 3 prize pot")
    assert asked == {(tok.term("season"), "3")}
    assert part_clash(asked, parts("The series one winners took home the prize pot."))
    assert part_clash(asked, parts("The second season's pot was the biggest yet."))
    assert not part_clash(asked, parts("The third season's pot was the biggest yet."))
    assert not part_clash(asked, parts("Season 2 ended in a tie, and season 3 in a split pot."))  # names both
    assert not part_clash(asked, parts("The prize pot was 94,600 pounds."))  # names none
    assert not part_clash(asked, parts("In 2024 the show returned."))  # a year is no season
    assert not part_clash(parts("who won the final"), parts("The series one final"))  # asks of none
    assert part_clash(parts("who directed episode 4"), parts("She directed the fifth episode."))


def test_named_parts_reads_which_season_a_sentence_names_not_how_many():
    tok = Tokenizer(tv_lexicon())
    units = frozenset(tok.term(w) for w in ("season", "episode", "part"))
    season, episode, part = (tok.term(w) for w in ("season", "episode", "part"))

    def parts(text):
        return named_parts(text, tok.term, units)

    assert parts("When does series 4 of the show come out?") == {(season, "4")}
    assert parts("The upcoming fifth and sixth seasons are expected") == {(season, "5"), (season, "6")}
    assert parts("Writers were tapped for Seasons 6 and 7.") == {(season, "6"), (season, "7")}
    assert parts("the third and final season") == {(season, "3")}
    assert parts("The first season was a hit.") == {(season, "1")}
    assert parts("Season 2 Episode 4: July 7th") == {(season, "2"), (episode, "4")}
    assert parts("S7 rolled out in October, S8 in February") == {(season, "7"), (season, "8")}
    assert parts("s2e4 and ep5") == {(season, "2"), (episode, "4"), (episode, "5")}
    # counts are not names, nor is a day of the month
    assert parts("It will take four full seasons of 10 episodes each") == set()
    assert parts("Each season comprises six episodes.") == set()
    assert parts("Through June 4, the season two finale was the biggest") == {(season, "2")}
    assert parts("In 2024 the season returned.") == set()
    # a season split in parts is told as a whole: "the first in December, the second in January"
    assert parts("It was split into three parts, the second in January") == {(part, "1"), (part, "2"), (part, "3")}
    assert parts("The third part comes in March") == {(part, "3")}
    # the looser reading finds what the stricter one does not
    assert numbered_parts(tok.terms("It will take four full seasons"), units) == {(season, "4")}
