"""Sentence facts computed the quick way are exactly what the plain computations give."""

from __future__ import annotations

import random
import re
import string
import sys

from bench.shows import load_shows
from index import load_corpus
from index.build import build_index
from index.features import _BOILER, CASE_FOLDS, FeatureBuilder, _boiler_count, _words
from index.tokens import WORD_RE, Tokenizer


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
