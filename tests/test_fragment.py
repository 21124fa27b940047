from index.fragment import fragment_link, text_directive


def test_short_quote_is_given_whole():
    assert text_directive("It aired on Jan. 28.") == "text=It%20aired%20on%20Jan%2E%2028%2E"


def test_long_quote_uses_start_and_end():
    quote = "All of Us Are Dead is written by Chun Sung-il, and directed by Lee JQ and Kim Nam-su."
    assert text_directive(quote) == "text=All%20of%20Us%20Are,JQ%20and%20Kim%20Nam%2Dsu%2E"


def test_reserved_characters_are_encoded():
    directive = text_directive("a-b, c&d")
    assert "-" not in directive[5:] and "&" not in directive and directive.count(",") == 0


def test_link_replaces_existing_fragment_and_needs_url():
    assert fragment_link("https://x.test/a#top", "Hello there.") == "https://x.test/a#:~:text=Hello%20there%2E"
    assert fragment_link(None, "Hello") is None
