"""Any text question gets an abstention or a verbatim quote, and never an exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import is_verbatim

WORDS = st.sampled_from(
    "who directed wrote when premiere how many episodes the of Lee JQ webtoon virus Netflix 12 2009 "
    "Squid Game season ? ! @everyone <@123> ** ` \u200b \x00 é 한국".split()
)
QUESTIONS = st.one_of(st.text(max_size=400), st.lists(WORDS, max_size=15).map(" ".join))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=QUESTIONS)
def test_any_question_is_answered_verbatim_or_declined(engine, question):
    answer = engine.ask(question)
    texts = {a.source.id: a.text for a in engine.articles}
    if answer.answered:
        for quote in (answer.quote, *answer.alternatives):
            assert is_verbatim(quote.text, texts[quote.source.id])
    else:
        assert answer.quote is None and answer.reason
