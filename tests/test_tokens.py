"""Tokens: normalised, folded, stemmed, stopwords dropped, numbers and names kept."""

from index.tokens import Tokenizer

tok = Tokenizer()


def terms(text):
    return tok.terms(text)


def test_case_unicode_and_accents_are_folded():
    assert terms("CAFÉ") == terms("cafe") == terms("Ｃａｆｅ")


def test_stopwords_are_dropped():
    assert terms("Who is the one that was at the school?") == ["one", "school"]


def test_numbers_stay_whole():
    assert "124.79" in terms("with 124.79 million hours")
    assert "2009" in terms("between 2009 and 2011")
    assert "1000" in terms("over 1,000 fans")


def test_hyphenated_names_meet_in_every_spelling():
    a, b, c = set(terms("Jae-Kyoo")), set(terms("jae kyoo")), set(terms("jaekyoo"))
    assert b <= a and c <= a


def test_stems_and_irregular_forms_meet():
    assert terms("wrote") == terms("written") == terms("writer") == terms("screenwriter")
    assert terms("ran") == terms("running")


def test_show_lexicon():
    assert terms("directed") == terms("director")
    assert terms("webtoon") == terms("comic") == terms("manhwa")
    assert terms("episodes") == terms("eps")
    assert terms("premiered") == terms("released") == terms("debut") == terms("aired")
    assert terms("produced") == terms("studio")
    assert "produce" in terms("production company")  # a phrase adds its term to its words' own
    assert terms("season") == terms("series")
    for phrase in ("number one", "No. 1", "#1", "top spot", "first place"):
        assert "numberone" in terms(phrase), phrase


def test_number_words_meet_digits():
    assert terms("twelve") == terms("12")
    assert terms("second season") == terms("2 season") and sorted(terms("season two")) == sorted(terms("season 2"))


def test_spans_point_at_the_words():
    text = "Directed by Lee Jae-Kyoo."
    for token in tok.tokens(text):
        assert text[token.start : token.end].strip()
