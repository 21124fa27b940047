"""Answer quality on the development questions (a copy of shared/eval/dev.jsonl) and on paraphrases."""

import json

import pytest

from conftest import DATA, is_verbatim, norm


def load(name):
    return [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def evaluate(engine, questions):
    texts = {a.source.id: a.text for a in engine.articles}
    hits = answerable = abstained_right = abstainable = 0
    misses = []
    for item in questions:
        answer = engine.ask(item["q"])
        for quote in ([answer.quote] if answer.quote else []) + list(answer.alternatives):
            assert is_verbatim(quote.text, texts[quote.source.id]), quote.text
        if item.get("abstain"):
            abstainable += 1
            abstained_right += not answer.answered
            continue
        answerable += 1
        hit = answer.answered and any(norm(k) in norm(answer.quote.text) for k in item["answers"])
        hits += hit
        if not hit:
            misses.append(item["q"])
    return hits / answerable, abstained_right, abstainable, misses


def test_dev_set(engine):
    hit1, right, total, misses = evaluate(engine, load("dev.jsonl"))
    assert hit1 >= 0.90, misses
    assert right >= total - 1


@pytest.mark.parametrize("name, bar", [("paraphrases.jsonl", 0.90), ("casual.jsonl", 0.80)])
def test_paraphrased_casual_questions(engine, name, bar):
    """Our own paraphrases: lower case, casual, keyword-only, other words for the same things."""
    hit1, right, total, misses = evaluate(engine, load(name))
    assert hit1 >= bar, misses
    assert right >= total - 1
