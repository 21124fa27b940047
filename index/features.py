"""Describe each candidate sentence by general features, the same for every show.

Every feature is a number, mostly between 0 and 1; ``FEATURES`` names them in
the order of a row. They say how well the sentence matches the question's words
(BM25 of its passage and of itself, the share of the question's weight it holds,
alone and with its neighbours, the longest run of the question's words), its
meaning (cosine to the question, and rank fusion of both retrievers), whether it
holds the kind of answer asked for and near what the question asks about, whether
other articles give the same answer, and how much it looks like page furniture.
The ranker (rank.py) weighs them with weights fitted offline on labelled questions.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import NamedTuple

import numpy as np

from . import detect, names
from .build import Index
from .byline import site_name
from .candidates import NOT_FOUND, Pool
from .detect import Kind
from .question import Question, asks_money
from .tokens import WORD_RE, Tokenizer, normalize_word
from .vocab import Lexicon

KIND_GROUPS = {
    Kind.PERSON: "person",
    Kind.DATE: "time",
    Kind.DURATION: "time",
    Kind.AGE: "time",
    Kind.NUMBER: "quantity",
    Kind.RANK: "quantity",
    Kind.PLACE: "where",
    Kind.ORG: "where",
    Kind.REASON: "text",
    Kind.QUOTE: "text",
    Kind.PLOT: "text",
    Kind.YESNO: "text",
    Kind.NAME: "name",
    Kind.TITLE: "name",
    Kind.GENRE: "name",
}
GROUPS = ("person", "time", "quantity", "where", "text", "name")
# Kinds whose answer is a thing that can be pointed at: without one, a sentence does not answer.
NEEDS_ANSWER = frozenset(
    {Kind.PERSON, Kind.DATE, Kind.DURATION, Kind.NUMBER, Kind.AGE, Kind.RANK, Kind.ORG, Kind.PLACE, Kind.GENRE}
)
# kinds whose answer may be quoted from the next sentence, when this one only leads to it ("there is a
# reason behind it." + "It was done to ..."); a reason is never required, so it is not in NEEDS_ANSWER
FOLLOWS_ON = NEEDS_ANSWER | {Kind.REASON}
FIGURE_KINDS = frozenset({Kind.DATE, Kind.NUMBER, Kind.DURATION, Kind.AGE, Kind.RANK})

LEXICAL_FEATURES = (
    "bm25",  # best passage's BM25 score / the top passage's
    "bm25_rank",  # 1 / (1 + rank of that passage)
    "sent_bm25",  # BM25 of the sentence alone / the best candidate's
    "cover",  # share of the question's weight in the sentence
    "cover_gap",  # ... minus the best candidate's share
    "cover_rel",  # share of the weight of the question's words that are not its named things
    "cover_ent",  # share of the weight of its named things
    "cover_ctx",  # share of the weight in the sentence and its neighbours
    "cover_prev",  # ... in the sentence before (the answer often follows the sentence that matches)
    "top_term",  # holds the question's rarest term
    "phrase",  # longest run of the question's words, 0..1
    "proximity",  # matched words close together: matched / words spanned
    "num_missing",  # share of the question's numbers the sentence and its neighbours lack
    "part_clash",  # the question asks of season (episode, part) N; the sentence names another one, not N
    "money_missing",  # the question asks for an amount of money ("how much did it cost"); the sentence has none
    "title_cover",  # share of the question's weight in the article's title
    "article_bm25",  # best passage of the same article / the top passage
    "kind_near",  # holds an answer of the kind asked, near a matched word (1) or anywhere (0.5)
    "kind_next",  # only the next sentence, which starts "It"/"This"/..., holds it
    "kind_missing",  # the question needs a name/date/number... and the sentence has none
    "kind_cover",  # kind_near x cover_rel: the answer next to what is asked
    "proper_near",  # a capitalised name that the question does not give, near a matched word (1) or anywhere (0.5)
    *(f"kind_{g}" for g in GROUPS),  # kind_near, for each group of kinds
    "support",  # other articles give the same answer
    "entity",  # share of the question's named things (bar the show's own name) the sentence (with neighbours) names
    "entity_rel",  # names every named thing (with neighbours) x share of the other words' weight there
    "full",  # entity_rel x the answer of the kind asked, near (1 when the question asks for no kind)
    "other_title",  # a figure next to another quoted work than the one asked about
    "boiler",  # looks like page furniture: links, handles, "follow us", bios
    "lead",  # 1 / (1 + position in the article)
    "length",  # log of its word count, 0..1
    "short",  # fewer than six words
    "question_mark",  # the sentence is itself a question
    "echo",  # share of its terms that are the question's own
)
SEMANTIC_FEATURES = ("cos", "cos_gap", "cos_rank", "cos_prev", "cos_ctx", "cos_title", "fusion")
FEATURES = LEXICAL_FEATURES + SEMANTIC_FEATURES

NEAR_WORDS = 12  # an answer this close to a matched term counts fully
COUNTED_WORDS = 2  # "46 countries": the number and the counted noun
RRF_K = 10
ANAPHORA = re.compile(
    r"^\W*(?:it|this|that|these|those|he|she|they|his|her|their|the\s+(?:show|series))\b", re.IGNORECASE
)
_BOILER = re.compile(
    r"pic\.twitter\.com|https?://|www\.|@\w{2,}|(?:^|\s)#\w+|\bpingback\b|\bfor\s+more\b|\bcheck\s+out\s+(?:our|the\s+latest)\b"
    r"|\bfollow\s+(?:us|@|him|her)\b|\bsign\s+up\b|\bsubscribe\b|\bnewsletter\b|\bclick\s+(?:here|the)\b|\bread\s+more\b"
    r"|\ball\s+rights\s+reserved\b|©|\bcookies?\b|\badvertis|\bsponsored\b|\b(?:is|was)\s+an?\s+(?:\w+\s+)?"
    r"(?:writer|editor|journalist|contributor|reporter|freelancer)\b|\bhas\s+written\s+for\b|\bsays:|\breply\b"
    r"|\bshare\s+(?:this|on)\b|\bloading\b|\bstory\s+continues\b|\bmore\s+from\b|\brelated:",
    re.IGNORECASE,
)


def _boiler_count(text: str) -> int:
    """``len(_BOILER.findall(text))``, searching only with the pattern's alternatives that the text may match.

    An alternative needs certain strings (read from the pattern: "pingback", "for" and "more",
    ...); one whose strings are not all in the text matches nowhere in it, so leaving it out
    changes no match. The text is compared lower-cased, with the four characters that match an
    ASCII letter case-insensitively yet do not lower-case to it folded first (``CASE_FOLDS``).
    """
    plan = _boiler_plan()
    if plan is None:
        return len(_BOILER.findall(text))
    strings, needs, by_string = plan
    low = text.lower() if text.isascii() else text.translate(CASE_FOLDS).lower()
    present = frozenset(filter(low.__contains__, strings))
    if not present:
        return 0
    maybe = sorted({i for string in present for i in by_string[string]})  # alternatives needing one of them
    chosen = tuple(i for i in maybe if all(not clause.isdisjoint(present) for clause in needs[i]))
    return len(_boiler_part(chosen).findall(text)) if chosen else 0


# Characters that a case-insensitive pattern matches with an ASCII letter although they do not
# lower-case to it (tests/test_facts.py checks every code point).
CASE_FOLDS = {0x130: "i", 0x131: "i", 0x17F: "s", 0x212A: "k"}


@lru_cache(maxsize=512)
def _boiler_part(chosen: tuple[int, ...]) -> re.Pattern[str]:
    return re.compile("|".join(_boiler_alternatives()[i] for i in chosen), _BOILER.flags)


@cache
def _boiler_alternatives() -> list[str]:
    """The top-level alternatives of ``_BOILER``'s pattern, as text."""
    pattern, out, depth, start, i, in_class = _BOILER.pattern, [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


@cache
def _boiler_plan() -> tuple[tuple[str, ...], list[list[frozenset[str]]], dict[str, list[int]]] | None:
    """The strings each alternative of ``_BOILER`` needs (all its clauses, one string of each), or None."""
    try:
        from re import _constants as c
        from re import _parser

        tree = _parser.parse(_BOILER.pattern, _BOILER.flags)
    except Exception:  # noqa: BLE001 - CPython's internal parser: without it, always search
        return None
    repeats = {c.MAX_REPEAT, c.MIN_REPEAT, getattr(c, "POSSESSIVE_REPEAT", c.MAX_REPEAT)}

    def clauses(items) -> list[frozenset[str]]:
        out: list[frozenset[str]] = []
        run: list[str] = []
        for op, arg in items:
            if op is c.LITERAL:
                run.append(chr(arg).lower())
                continue
            if run:
                out.append(frozenset(["".join(run)]))
                run = []
            if op is c.SUBPATTERN:
                out += clauses(arg[3])
            elif op is c.BRANCH:
                options = [clauses(branch) for branch in arg[1]]
                if all(options):  # one of the alternatives' most telling clause
                    out.append(frozenset().union(*(max(o, key=lambda k: min(map(len, k))) for o in options)))
            elif op in repeats and arg[0] >= 1:
                out += clauses(arg[2])
        if run:
            out.append(frozenset(["".join(run)]))
        return out

    top = list(tree)
    if len(top) != 1 or top[0][0] is not c.BRANCH or c.GROUPREF in {op for op, _ in tree.data}:
        return None
    needs = [clauses(alternative) for alternative in top[0][1][1]]
    if not all(needs) or len(needs) != len(_boiler_alternatives()) or re.search(r"\\[1-9]|\(\?P=", _BOILER.pattern):
        return None
    by_string: dict[str, list[int]] = {}
    for i, need in enumerate(needs):
        for string in set().union(*need):
            by_string.setdefault(string, []).append(i)
    return tuple(sorted(by_string)), needs, by_string


@dataclass
class CandidateInfo:
    """What the ranker and the quote need to know about one candidate beyond its feature row."""

    sentence: int
    article: int
    text: str
    facts: SentenceFacts
    extend: bool = False  # quote the next sentence too
    answer_keys: frozenset[str] = frozenset()

    def spans_of(self, terms: set[str]) -> list[tuple[int, int]]:
        """Character spans of the sentence's tokens whose term is one of ``terms`` (for highlighting)."""
        f = self.facts
        return [(int(a), int(b)) for t, a, b in zip(f.token_terms, f.token_starts, f.token_ends) if t in terms]


class SentenceFacts(NamedTuple):
    """What is known of one sentence whatever the question: read once, then reused by every question.

    Kept as tuples, strings, plain dicts of strings and numpy arrays, which the garbage collector
    does not track, so a cache of many sentences adds no pause to a long-running bot.
    """

    text: str
    token_terms: tuple[str, ...]  # the sentence's search terms in order, with their character spans:
    token_starts: np.ndarray
    token_ends: np.ndarray
    tf: dict[str, int]  # term -> count (its keys are the sentence's terms)
    words: tuple[str, ...]  # normalised words without a possessive "s", for phrase matching
    word_starts: np.ndarray  # where each word of the text starts
    proper_spans: np.ndarray  # (k, 2): capitalised runs that do not start the sentence
    proper_words: tuple[tuple[str, ...], ...]  # ... and their normalised words
    boiler: float
    question_mark: bool
    spans: dict[str, np.ndarray]  # kind -> (k, 2) answers of that kind (filled on first need)


def _words(text: str) -> list[str]:
    return [w for w in (normalize_word(m.group()) for m in WORD_RE.finditer(text)) if w != "s"]


def _longest_phrase(question_words: list[str], words: list[str], content: frozenset[str]) -> int:
    positions: dict[str, list[int]] = {}
    for i, w in enumerate(words):
        positions.setdefault(w, []).append(i)
    best = 0
    for qi, qw in enumerate(question_words):
        for si in positions.get(qw, ()):
            n = 0
            while qi + n < len(question_words) and si + n < len(words) and question_words[qi + n] == words[si + n]:
                n += 1
            if n > best and n >= 2 and any(w in content for w in question_words[qi : qi + n]):
                best = n
    return best


def _proximity(terms: tuple[str, ...], wanted: set[str]) -> float:
    """How tightly the question's words sit together: distinct matched words / terms from first to last match."""
    positions = [k for k, t in enumerate(terms) if t in wanted]
    if len(positions) < 2:
        return 0.0
    distinct = len({terms[k] for k in positions})
    return min(1.0, distinct / (positions[-1] - positions[0] + 1))


def kind_spans(
    kind: Kind, text: str, person_words: frozenset[str] = frozenset(), lexicon: Lexicon | None = None
) -> list[tuple[int, int]]:
    """Spans of ``text`` that could answer a question of this kind.

    ``person_words`` are the words of the people's names the articles give: a sentence that
    names someone by one of them ("Storer said") names a person too. ``lexicon`` (the index's)
    gives the platform and genre lists.
    """
    found = detect.find(kind, text, lexicon)
    if kind is Kind.PERSON and person_words:
        found += names.known_people(text, person_words)
    return found


def answer_spans(question: Question, facts: SentenceFacts) -> list[tuple[int, int]]:
    """Spans of the kind asked for in a sentence, leaving out those made only of the question's own words."""
    qwords = question.own_words
    text = facts.text
    return [
        (a, b)
        for a, b in facts.spans[question.kind.value].tolist()
        if not all(names.strip_possessive(normalize_word(m.group())) in qwords for m in WORD_RE.finditer(text[a:b]))
    ]


def answer_key(text: str) -> str:
    """A spelling-independent key for an answer ("January 28th" and "Jan. 28" meet)."""
    words = [normalize_word(m.group()) for m in WORD_RE.finditer(text)]
    words = [re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", w) for w in words]
    return " ".join(w[:3] if w.isalpha() else w for w in words)


PART_UNITS = ("season", "episode", "part")  # the numbered parts of a show ("season 3", "episode 4", "part 2")
PART_WINDOW = 2  # "season 3", "third season" (read "3 third season"): the number at most this many terms away


def numbered_parts(terms: Sequence[str], units: frozenset[str]) -> frozenset[tuple[str, str]]:
    """The (unit, number) pairs of a run of terms: "season 3", "the third season", "episode 4"."""
    found = set()
    for k, term in enumerate(terms):
        if term in units:
            for j in range(max(0, k - PART_WINDOW), min(len(terms), k + PART_WINDOW + 1)):
                if terms[j].isdigit() and len(terms[j]) <= 3:  # not a year
                    found.add((term, terms[j]))
    return frozenset(found)


_ORDINAL = re.compile(
    r"\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth",
    re.IGNORECASE,
)
_SHORT_PART = re.compile(r"s(\d{1,2})(?:e(\d{1,3}))?|ep(\d{1,3})", re.IGNORECASE)
_PART_LIST = frozenset({"and", "&", "or", "to", "through"})  # "seasons 6 and 7", "the fifth and sixth seasons"
MAX_PARTS = 6  # "split into N parts" names each of them up to this many
_PART_FILLER = frozenset({"and", "final", "full", "new", "last", "whole", "upcoming", "latest", "next"})


def named_parts(text: str, term: Callable[[str], str | None], units: frozenset[str]) -> frozenset[tuple[str, str]]:
    """The seasons (episodes, parts) that ``text`` names by number, as (unit, number) pairs.

    Stricter than ``numbered_parts``: "season 4", "seasons 6 and 7", "the third and final season",
    "Episode 4" and "S8" name one; "four full seasons" and "six episodes" count them, and "June 4, the season
    two finale" names season 2 only. A season "split into three parts" is told as a whole ("the first
    airing in December and the second in January"), so that names parts 1 to 3.
    """
    words = [normalize_word(m.group()) for m in WORD_RE.finditer(text)]
    terms = ["1" if w == "first" else term(w) or "" for w in words]  # "" for a stopword

    def number(j: int) -> bool:
        return 0 <= j < len(terms) and terms[j].isdigit() and len(terms[j]) <= 3  # not a year

    found = set()
    season, episode, part = term("season"), term("episode"), term("part")
    for word in words:  # "S8", "s2e4", "ep5"
        if short := _SHORT_PART.fullmatch(word):
            found |= {(u, str(int(n))) for u, n in ((season, short[1]), (episode, short[2] or short[3])) if n and u}
    for k, unit in enumerate(terms):
        if unit not in units:
            continue
        j = k + 1  # after the unit: a number of any kind
        while number(j):
            found.add((unit, terms[j]))
            j = j + 2 if j + 1 < len(words) and words[j + 1] in _PART_LIST else len(terms)
        j = k - 1  # before it: an ordinal, a filler word or two between
        while j >= 0 and k - j <= 2 and words[j] in _PART_FILLER:
            j -= 1
        while number(j) and _ORDINAL.fullmatch(words[j]):
            found.add((unit, terms[j]))
            j = j - 2 if j >= 1 and words[j - 1] in _PART_LIST else -1
        counted = number(k - 1) and not _ORDINAL.fullmatch(words[k - 1])
        if unit == part and counted and int(terms[k - 1]) <= MAX_PARTS:  # "split into three parts"
            found |= {(part, str(n)) for n in range(1, int(terms[k - 1]) + 1)}
    return frozenset(found)


def part_clash(asked: frozenset[tuple[str, str]], named: frozenset[tuple[str, str]]) -> bool:
    """Whether a sentence naming ``named`` parts is about another season (episode, part) than ``asked``."""
    return any(
        (unit, number) not in named and any(u == unit and n != number for u, n in named) for unit, number in asked
    )


def _spans_where(facts: SentenceFacts, keep) -> list[tuple[int, int]]:
    """Character spans of the sentence's tokens whose term ``keep`` accepts."""
    return [(int(a), int(b)) for t, a, b in zip(facts.token_terms, facts.token_starts, facts.token_ends) if keep(t)]


def _gap(starts: list[int], span: tuple[int, int], token: tuple[int, int]) -> int:
    """Words between a span and a token's span of the same sentence (0 when they touch or overlap)."""
    a, b = span
    start, end = token
    if a >= end:
        return bisect_left(starts, a) - bisect_left(starts, end)
    return max(0, bisect_left(starts, start) - bisect_left(starts, b))


class FeatureBuilder:
    """Turns a question's candidate pool into a feature matrix and the candidates' details."""

    FACTS_KEPT = 200_000  # sentences whose facts are kept between questions

    def __init__(self, index: Index, tokenizer: Tokenizer) -> None:
        self.index = index
        self.tokenizer = tokenizer
        self._facts: dict[int, SentenceFacts] = {}
        self._title_terms: dict[int, frozenset[str]] = {}
        self._publisher_terms: dict[int, frozenset[str]] = {}
        self.units = frozenset(tokenizer.term(word) for word in PART_UNITS)

    def asks_money(self, question: Question) -> bool:
        """Whether ``question`` asks for an amount of money; a word of its named things asks none ("Money Heist")."""
        named_terms = {t for entity in question.entity_terms for t in entity}
        return asks_money(question, lambda word: self.tokenizer.term(normalize_word(word)) in named_terms)

    def facts(self, i: int, kind: Kind | None = None) -> SentenceFacts:
        """Sentence ``i``'s facts (and its answers of ``kind``), computed once."""
        facts = self._facts.get(i)
        if facts is None:
            if len(self._facts) >= self.FACTS_KEPT:
                self._facts.clear()
            text = self.index.sentence_text(i)
            tokens, words, word_starts = self.tokenizer.read(text)  # one pass for tokens, words and their places
            tf: dict[str, int] = {}
            for t in self.index.sentence_term_ids(i).tolist():
                term = self.index.terms_by_id[t]
                tf[term] = tf.get(term, 0) + 1
            runs = [
                run
                for run in names.capitalised_runs(text)
                if run.start > 0 and run.words[0].casefold() not in names.NOT_NAME
            ]
            facts = self._facts[i] = SentenceFacts(
                text=text,
                token_terms=tuple(t[0] for t in tokens),
                token_starts=np.array([t[1] for t in tokens], dtype=np.int32),
                token_ends=np.array([t[2] for t in tokens], dtype=np.int32),
                tf=tf,
                words=tuple(w for w in words if w != "s"),  # as _words(text)
                word_starts=np.array(word_starts, dtype=np.int32),
                proper_spans=np.array([(r.start, r.end) for r in runs], dtype=np.int32).reshape(-1, 2),
                proper_words=tuple(tuple(normalize_word(w) for w in r.words) for r in runs),
                boiler=min(1.0, _boiler_count(text) / 2),
                question_mark=text.rstrip("\"'”’)").endswith("?"),
                spans={},
            )
        if kind is not None and kind.value not in facts.spans:
            found = kind_spans(kind, facts.text, self.index.person_words, self.index.lexicon)
            if kind is Kind.PERSON:
                found = [span for span in found if not self._names_the_show(facts.text[span[0] : span[1]])]
            facts.spans[kind.value] = np.array(found, dtype=np.int32).reshape(-1, 2)
        return facts

    def _names_the_show(self, name: str) -> bool:
        """Whether every word of a name is in most passages: the show's own ("Squid Game"), not a person."""
        words = [names.strip_possessive(normalize_word(m.group())) for m in WORD_RE.finditer(name)]
        return bool(words) and all(self.index.is_show_word(self.tokenizer.term(w)) for w in words)

    def title_terms(self, article: int) -> frozenset[str]:
        terms = self._title_terms.get(article)
        if terms is None:
            terms = self._title_terms[article] = frozenset(
                self.tokenizer.terms(self.index.articles[article].source.title)
            )
        return terms

    def publisher_terms(self, article: int) -> frozenset[str]:
        """The terms of who published the article: its sources.toml publisher, else its web address's site name
        ("www.slashfilm.com" -> "slashfilm")."""
        terms = self._publisher_terms.get(article)
        if terms is None:
            source = self.index.articles[article].source
            name = source.publisher or site_name(source.url)
            terms = self._publisher_terms[article] = frozenset(self.tokenizer.terms(name)) if name else frozenset()
        return terms

    def weights(self, question: Question) -> dict[str, float]:
        """Weight of each question term that some passage has: rarer weighs more."""
        out = {}
        for term in question.terms:
            # a term with stand-ins weighs as its commonest one present (which is at least as common as any)
            idfs = [w for t in (term, *question.stand_ins.get(term, ())) if (w := self.index.idf(t)) is not None]
            if idfs:
                out[term] = min(idfs)
        return out

    def run(self, question: Question, pool: Pool, weights: dict[str, float]) -> tuple[np.ndarray, list[CandidateInfo]]:
        index = self.index
        n = len(pool.sentences)
        X = np.zeros((n, len(FEATURES)), dtype=np.float64)
        col = {name: k for k, name in enumerate(FEATURES)}
        total = sum(weights.values()) or 1.0
        top_term = max(weights, key=weights.get) if weights else None
        # named things, the show's own name aside (a term in most passages names nothing in particular)
        named = {t for entity in question.entity_terms for t in entity if not index.is_background(t)}
        entities = [entity for entity in question.entity_terms if any(t in named for t in entity)]
        relation = {t for t in weights if t not in named} or set(weights)
        rel_total = sum(weights[t] for t in relation) or 1.0
        relation_met = set(question.with_stand_ins(relation))
        ent_total = sum(w for t, w in weights.items() if t in named)
        numbers = {t for t in question.terms if t[0].isdigit()}
        asked_parts = numbered_parts(self.tokenizer.terms(question.normalized), self.units)
        money = self.asks_money(question)
        qwords = _words(question.normalized)
        q_terms = set(question.terms)
        infos: list[CandidateInfo] = []
        sent_bm25 = np.zeros(n)
        group = KIND_GROUPS.get(question.kind)
        vocab = index.bm25.vocab
        idf_of = {t: float(index.bm25.idf[vocab[t]]) for t in question.with_stand_ins(weights) if t in vocab}
        k1, b, avg = index.bm25.k1, index.bm25.b, index.avg_sentence_terms
        wanted = set(question.with_stand_ins(weights))
        kind = question.kind if question.kind is not Kind.OTHER else None

        def terms_of(j: int) -> AbstractSet[str]:
            return question.met(self.facts(j).tf.keys())

        for row, i in enumerate(pool.sentences.tolist()):
            facts = self.facts(i, kind)
            text, terms = facts.text, question.met(facts.tf.keys())
            # "what did Variety say": every sentence of Variety's article says it, named or not
            implied = named & self.publisher_terms(int(index.sent_article[i])) if named else frozenset()
            if implied:
                terms = terms | implied
            prev_terms = terms_of(i - 1) if index.same_article(i, i - 1) else set()
            next_terms = terms_of(i + 1) if index.same_article(i, i + 1) else set()
            info = CandidateInfo(i, int(index.sent_article[i]), text, facts)
            f = X[row]
            f[col["bm25"]] = pool.passage_score[row] / pool.top_passage_score if pool.top_passage_score > 0 else 0.0
            rank = int(pool.bm25_rank[row])
            f[col["bm25_rank"]] = 0.0 if rank >= NOT_FOUND else 1.0 / (1 + rank)
            length = sum(facts.tf.values())
            score = 0.0
            for t, idf in idf_of.items():
                tf = facts.tf.get(t, 0)
                if tf:
                    score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))
            sent_bm25[row] = score
            f[col["cover"]] = sum(w for t, w in weights.items() if t in terms) / total
            around = terms | prev_terms | next_terms
            f[col["cover_ctx"]] = sum(w for t, w in weights.items() if t in around) / total
            f[col["cover_prev"]] = sum(w for t, w in weights.items() if t in prev_terms) / total
            f[col["cover_rel"]] = sum(weights[t] for t in relation if t in terms) / rel_total
            f[col["cover_ent"]] = (
                sum(w for t, w in weights.items() if t in named and t in terms) / ent_total if ent_total else 1.0
            )
            if numbers:
                f[col["num_missing"]] = len(numbers - around) / len(numbers)
            if money:
                f[col["money_missing"]] = float(not detect.MONEY_RE.search(text))
            if asked_parts:
                f[col["part_clash"]] = float(part_clash(asked_parts, numbered_parts(facts.token_terms, self.units)))
            title_terms = question.met(self.title_terms(info.article)) | implied
            f[col["title_cover"]] = sum(w for t, w in weights.items() if t in title_terms) / total
            f[col["proximity"]] = _proximity(facts.token_terms, wanted)
            f[col["top_term"]] = float(top_term in terms) if top_term else 0.0
            phrase = _longest_phrase(qwords, facts.words, question.content_words)
            f[col["phrase"]] = min(1.0, (phrase - 1) / 3) if phrase >= 2 else 0.0
            near = _spans_where(facts, lambda t: t in relation_met)
            if kind is not None:
                evidence, extend, keys = self._kind(question, info, facts, near, i)
                info.extend, info.answer_keys = extend, keys
                f[col["kind_near"]] = evidence if not extend else 0.0
                f[col["kind_next"]] = 1.0 if extend else 0.0
                f[col["kind_missing"]] = float(evidence == 0 and question.kind in NEEDS_ANSWER)
                f[col["kind_cover"]] = (evidence if not extend else 0.5) * f[col["cover_rel"]]
                if group:
                    f[col[f"kind_{group}"]] = evidence if not extend else 0.5
                if question.kind in FIGURE_KINDS and self._names_other_title(terms, q_terms):
                    f[col["other_title"]] = 1.0
            f[col["proper_near"]] = self._proper(question, facts, near)
            if entities:
                held = sum(all(t in around for t in entity) for entity in entities)
                f[col["entity"]] = held / len(entities)
            else:
                f[col["entity"]] = 1.0
            rel_around = sum(weights[t] for t in relation if t in around) / rel_total
            f[col["entity_rel"]] = rel_around * float(f[col["entity"]] == 1.0)
            if kind is None:
                f[col["full"]] = f[col["entity_rel"]]
            else:
                f[col["full"]] = f[col["entity_rel"]] * (f[col["kind_near"]] or 0.75 * f[col["kind_next"]])
            f[col["boiler"]] = facts.boiler
            f[col["lead"]] = 1.0 / (1 + int(index.sent_pos[i]))
            f[col["length"]] = min(1.0, math.log1p(len(facts.words)) / math.log1p(60))
            f[col["short"]] = float(len(facts.words) < 6)
            f[col["question_mark"]] = float(facts.question_mark)
            f[col["echo"]] = len(terms & q_terms) / len(terms) if terms else 0.0
            infos.append(info)
        best = sent_bm25.max() if n else 0.0
        if best > 0:
            X[:, col["sent_bm25"]] = sent_bm25 / best
        if n:
            X[:, col["cover_gap"]] = X[:, col["cover"]] - X[:, col["cover"]].max()
            article_best: dict[int, float] = {}
            for info, value in zip(infos, X[:, col["bm25"]]):
                article_best[info.article] = max(article_best.get(info.article, 0.0), value)
            X[:, col["article_bm25"]] = [article_best[info.article] for info in infos]
        self._support(X[:, col["support"]], X[:, col["cover"]], infos)
        if pool.cosine is not None and n:
            cos = pool.cosine.astype(np.float64)
            X[:, col["cos"]] = cos
            X[:, col["cos_gap"]] = cos - cos.max()
            X[:, col["cos_rank"]] = 1.0 / (1 + pool.cosine_rank)
            bm_rank = np.where(pool.bm25_rank >= NOT_FOUND, n, pool.bm25_rank)
            X[:, col["fusion"]] = (
                (RRF_K + 1) * 0.5 * (1.0 / (RRF_K + 1 + bm_rank) + 1.0 / (RRF_K + 1 + pool.cosine_rank))
            )
            X[:, col["cos_prev"]] = self._cos_prev(pool)
            if pool.context_cosine is not None:
                X[:, col["cos_ctx"]] = pool.context_cosine
            if pool.title_cosine is not None:
                X[:, col["cos_title"]] = pool.title_cosine
        return X, infos

    def _kind(
        self, question: Question, info: CandidateInfo, facts: SentenceFacts, near: list[tuple[int, int]], i: int
    ) -> tuple[float, bool, frozenset[str]]:
        """(evidence 0 / 0.5 / 1, whether it is in the next sentence instead, the answers' keys)."""
        spans = answer_spans(question, facts)
        if not spans:
            j = i + 1
            # a sentence that is itself a question ("Where was it filmed?", an FAQ's heading) is answered below it
            asks = facts.question_mark
            if question.kind in FOLLOWS_ON and (
                self.index.same_paragraph(i, j) or (asks and self.index.same_article(i, j))
            ):
                following = self.facts(j, question.kind)
                if (asks or ANAPHORA.match(following.text)) and answer_spans(question, following):
                    return 0.75, True, frozenset()
            return 0.0, False, frozenset()
        keys = frozenset(answer_key(info.text[a:b]) for a, b in spans)
        limit = NEAR_WORDS
        if question.counted:  # "how many episodes": the number must count episodes
            near, limit = _spans_where(facts, lambda t: t == question.counted), COUNTED_WORDS
        starts = facts.word_starts.tolist()
        if any(_gap(starts, span, t) <= limit for span in spans for t in near):
            return 1.0, False, keys
        return 0.5, False, keys

    @staticmethod
    def _proper(question: Question, facts: SentenceFacts, near: list[tuple[int, int]]) -> float:
        """Evidence of a name the question does not give: 1 near a matched word, 0.5 anywhere, else 0."""
        qwords = question.own_words
        spans = [
            tuple(span)
            for span, words in zip(facts.proper_spans.tolist(), facts.proper_words)
            if not {names.strip_possessive(w) for w in words} <= qwords
        ]
        if not spans:
            return 0.0
        starts = facts.word_starts.tolist()
        return 1.0 if any(_gap(starts, s, t) <= NEAR_WORDS for s in spans for t in near) else 0.5

    def _names_other_title(self, terms: set[str], asked: set[str]) -> bool:
        """Whether a sentence names a quoted work ("Squid Game") that the question does not."""
        by_term = self.index.titles_by_term
        return any(title <= terms and not title & asked for term in terms for title in by_term.get(term, ()))

    @staticmethod
    def _support(out: np.ndarray, cover: np.ndarray, infos: list[CandidateInfo]) -> None:
        """Answer redundancy: the share of other articles (up to two) that give the same answer."""
        articles: dict[str, set[int]] = {}
        for info, c in zip(infos, cover):
            if c > 0:
                for key in info.answer_keys:
                    articles.setdefault(key, set()).add(info.article)
        for row, info in enumerate(infos):
            others = max((len(articles.get(k, ())) - 1 for k in info.answer_keys), default=0)
            out[row] = min(1.0, others / 2)

    def _cos_prev(self, pool: Pool) -> np.ndarray:
        """Cosine of the sentence before (same article) to the question, when it is a candidate too."""
        cos = dict(zip(pool.sentences.tolist(), pool.cosine.tolist()))
        return np.array(
            [cos.get(i - 1, 0.0) if self.index.same_article(i, i - 1) else 0.0 for i in pool.sentences.tolist()]
        )
