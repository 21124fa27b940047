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
from dataclasses import dataclass

import numpy as np

from . import detect, names
from .build import Index
from .candidates import NOT_FOUND, Pool
from .detect import Kind
from .question import Question
from .tokens import WORD_RE, Token, Tokenizer, normalize_word

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
}
GROUPS = ("person", "time", "quantity", "where", "text", "name")
# Kinds whose answer is a thing that can be pointed at: without one, a sentence does not answer.
NEEDS_ANSWER = frozenset({Kind.PERSON, Kind.DATE, Kind.DURATION, Kind.NUMBER, Kind.AGE, Kind.RANK, Kind.ORG, Kind.PLACE})
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
    "title_cover",  # share of the question's weight in the article's title
    "article_bm25",  # best passage of the same article / the top passage
    "kind_near",  # holds an answer of the kind asked, near a matched word (1) or anywhere (0.5)
    "kind_next",  # only the next sentence, which starts "It"/"This"/..., holds it
    "kind_missing",  # the question needs a name/date/number... and the sentence has none
    "kind_cover",  # kind_near x cover_rel: the answer next to what is asked
    "proper_near",  # a capitalised name that the question does not give, near a matched word (1) or anywhere (0.5)
    *(f"kind_{g}" for g in GROUPS),  # kind_near, for each group of kinds
    "support",  # other articles give the same answer
    "entity",  # share of the question's named things the sentence (with neighbours) names
    "entity_rel",  # names every named thing (with neighbours) x share of the other words' weight there
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
ANAPHORA = re.compile(r"^\W*(?:it|this|that|these|those|he|she|they|his|her|their|the\s+(?:show|series))\b", re.I)
_BOILER = re.compile(
    r"pic\.twitter\.com|https?://|www\.|@\w{2,}|(?:^|\s)#\w+|\bpingback\b|\bfor\s+more\b|\bcheck\s+out\s+(?:our|the\s+latest)\b"
    r"|\bfollow\s+(?:us|@|him|her)\b|\bsign\s+up\b|\bsubscribe\b|\bnewsletter\b|\bclick\s+(?:here|the)\b|\bread\s+more\b"
    r"|\ball\s+rights\s+reserved\b|©|\bcookies?\b|\badvertis|\bsponsored\b|\b(?:is|was)\s+an?\s+(?:\w+\s+)?"
    r"(?:writer|editor|journalist|contributor|reporter|freelancer)\b|\bhas\s+written\s+for\b|\bsays:|\breply\b"
    r"|\bshare\s+(?:this|on)\b|\bloading\b|\bstory\s+continues\b|\bmore\s+from\b|\brelated:",
    re.IGNORECASE,
)


@dataclass
class CandidateInfo:
    """What the ranker and the quote need to know about one candidate beyond its feature row."""

    sentence: int
    article: int
    text: str
    tokens: list[Token]
    extend: bool = False  # quote the next sentence too
    answer_keys: frozenset[str] = frozenset()


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


def _proximity(tokens: list[Token], wanted: set[str]) -> float:
    """How tightly the question's words sit together: distinct matched words / words from first to last match."""
    positions = [k for k, t in enumerate(tokens) if t.term in wanted]
    if len(positions) < 2:
        return 0.0
    distinct = len({tokens[k].term for k in positions})
    return min(1.0, distinct / (positions[-1] - positions[0] + 1))


def answer_spans(question: Question, text: str, person_words: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Spans of the kind asked for that are not made only of the question's own words.

    ``person_words`` are the words of the people's names the articles give: a sentence that
    names someone by one of them ("Storer said") names a person too.
    """
    qwords = set(question.words)
    found = detect.find(question.kind, text)
    if question.kind is Kind.PERSON and person_words:
        found += names.known_people(text, person_words)
    return [(a, b) for a, b in found if not all(normalize_word(m.group()) in qwords for m in WORD_RE.finditer(text[a:b]))]


def answer_key(text: str) -> str:
    """A spelling-independent key for an answer ("January 28th" and "Jan. 28" meet)."""
    words = [normalize_word(m.group()) for m in WORD_RE.finditer(text)]
    words = [re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", w) for w in words]
    return " ".join(w[:3] if w.isalpha() else w for w in words)


def _gap(starts: list[int], span: tuple[int, int], token: Token) -> int:
    """Words between a span and a token of the same sentence (0 when they touch or overlap)."""
    a, b = span
    if a >= token.end:
        return bisect_left(starts, a) - bisect_left(starts, token.end)
    return max(0, bisect_left(starts, token.start) - bisect_left(starts, b))


class FeatureBuilder:
    """Turns a question's candidate pool into a feature matrix and the candidates' details."""

    def __init__(self, index: Index, tokenizer: Tokenizer) -> None:
        self.index = index
        self.tokenizer = tokenizer

    def weights(self, question: Question) -> dict[str, float]:
        """Weight of each question term that some passage has: rarer weighs more."""
        out = {}
        for term in question.terms:
            idf = self.index.idf(term)
            if idf is not None:
                out[term] = idf
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
        relation = {t for t in weights if t not in named} or set(weights)
        rel_total = sum(weights[t] for t in relation) or 1.0
        ent_total = sum(w for t, w in weights.items() if t in named)
        numbers = {t for t in question.terms if t[0].isdigit()}
        title_terms: dict[int, set[str]] = {}
        qwords = _words(question.normalized)
        q_terms = set(question.terms)
        infos: list[CandidateInfo] = []
        sent_bm25 = np.zeros(n)
        group = KIND_GROUPS.get(question.kind)
        idf_of = {t: float(index.bm25.idf[index.bm25.vocab[t]]) for t in weights}
        k1, b, avg = index.bm25.k1, index.bm25.b, index.avg_sentence_terms
        terms_cache: dict[int, set[str]] = {}

        def terms_of(j: int) -> set[str]:
            if j not in terms_cache:
                terms_cache[j] = index.sentence_terms(j)
            return terms_cache[j]

        for row, i in enumerate(pool.sentences.tolist()):
            text = index.sentence_text(i)
            tokens = self.tokenizer.tokens(text)
            terms = terms_of(i)
            prev_terms = terms_of(i - 1) if index.same_article(i, i - 1) else set()
            next_terms = terms_of(i + 1) if index.same_article(i, i + 1) else set()
            info = CandidateInfo(i, int(index.sent_article[i]), text, tokens)
            f = X[row]
            f[col["bm25"]] = pool.passage_score[row] / pool.top_passage_score if pool.top_passage_score > 0 else 0.0
            rank = int(pool.bm25_rank[row])
            f[col["bm25_rank"]] = 0.0 if rank >= NOT_FOUND else 1.0 / (1 + rank)
            ids = index.sentence_term_ids(i)
            length = len(ids)
            score = 0.0
            for t, idf in idf_of.items():
                tf = int(np.count_nonzero(ids == index.bm25.vocab[t]))
                if tf:
                    score += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))
            sent_bm25[row] = score
            f[col["cover"]] = sum(w for t, w in weights.items() if t in terms) / total
            around = terms | prev_terms | next_terms
            f[col["cover_ctx"]] = sum(w for t, w in weights.items() if t in around) / total
            f[col["cover_prev"]] = sum(w for t, w in weights.items() if t in prev_terms) / total
            f[col["cover_rel"]] = sum(weights[t] for t in relation if t in terms) / rel_total
            f[col["cover_ent"]] = sum(w for t, w in weights.items() if t in named and t in terms) / ent_total if ent_total else 1.0
            if numbers:
                f[col["num_missing"]] = len(numbers - around) / len(numbers)
            a = info.article
            if a not in title_terms:
                title_terms[a] = set(self.tokenizer.terms(index.articles[a].source.title))
            f[col["title_cover"]] = sum(w for t, w in weights.items() if t in title_terms[a]) / total
            f[col["proximity"]] = _proximity(tokens, set(weights))
            f[col["top_term"]] = float(top_term in terms) if top_term else 0.0
            words = _words(text)
            phrase = _longest_phrase(qwords, words, question.content_words)
            f[col["phrase"]] = min(1.0, (phrase - 1) / 3) if phrase >= 2 else 0.0
            if question.kind is not Kind.OTHER:
                near = [t for t in tokens if t.term in relation]
                kind, extend, keys = self._kind(question, info, near, i)
                info.extend, info.answer_keys = extend, keys
                f[col["kind_near"]] = kind if not extend else 0.0
                f[col["kind_next"]] = 1.0 if extend else 0.0
                f[col["kind_missing"]] = float(kind == 0 and question.kind in NEEDS_ANSWER)
                f[col["kind_cover"]] = (kind if not extend else 0.5) * f[col["cover_rel"]]
                if group:
                    f[col[f"kind_{group}"]] = kind if not extend else 0.5
                if question.kind in FIGURE_KINDS and self._names_other_title(terms, q_terms):
                    f[col["other_title"]] = 1.0
            f[col["proper_near"]] = self._proper(question, info, [t for t in tokens if t.term in relation])
            if question.entity_terms:
                held = sum(all(t in around for t in entity) for entity in question.entity_terms)
                f[col["entity"]] = held / len(question.entity_terms)
            else:
                f[col["entity"]] = 1.0
            rel_around = sum(weights[t] for t in relation if t in around) / rel_total
            f[col["entity_rel"]] = rel_around * float(f[col["entity"]] == 1.0)
            f[col["boiler"]] = min(1.0, len(_BOILER.findall(text)) / 2)
            f[col["lead"]] = 1.0 / (1 + int(index.sent_pos[i]))
            f[col["length"]] = min(1.0, math.log1p(len(words)) / math.log1p(60))
            f[col["short"]] = float(len(words) < 6)
            f[col["question_mark"]] = float(text.rstrip("\"'”’)").endswith("?"))
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
            X[:, col["fusion"]] = (RRF_K + 1) * 0.5 * (1.0 / (RRF_K + 1 + bm_rank) + 1.0 / (RRF_K + 1 + pool.cosine_rank))
            X[:, col["cos_prev"]] = self._cos_prev(pool)
            if pool.context_cosine is not None:
                X[:, col["cos_ctx"]] = pool.context_cosine
            if pool.title_cosine is not None:
                X[:, col["cos_title"]] = pool.title_cosine
        return X, infos

    def _kind(
        self, question: Question, info: CandidateInfo, near: list[Token], i: int
    ) -> tuple[float, bool, frozenset[str]]:
        """(evidence 0 / 0.5 / 1, whether it is in the next sentence instead, the answers' keys)."""
        spans = answer_spans(question, info.text, self.index.person_words)
        if not spans:
            j = i + 1
            if question.kind in NEEDS_ANSWER and self.index.same_paragraph(i, j):
                following = self.index.sentence_text(j)
                if ANAPHORA.match(following) and answer_spans(question, following, self.index.person_words):
                    return 0.75, True, frozenset()
            return 0.0, False, frozenset()
        keys = frozenset(answer_key(info.text[a:b]) for a, b in spans)
        starts = [m.start() for m in WORD_RE.finditer(info.text)]
        limit = NEAR_WORDS
        if question.counted:  # "how many episodes": the number must count episodes
            near, limit = [t for t in info.tokens if t.term == question.counted], COUNTED_WORDS
        if any(_gap(starts, span, t) <= limit for span in spans for t in near):
            return 1.0, False, keys
        return 0.5, False, keys

    @staticmethod
    def _proper(question: Question, info: CandidateInfo, near: list[Token]) -> float:
        """Evidence of a name the question does not give: 1 near a matched word, 0.5 anywhere, else 0."""
        qwords = set(question.words)
        text = info.text
        spans = [
            (run.start, run.end)
            for run in names.capitalised_runs(text)
            if run.start > 0
            and run.words[0].casefold() not in names.NOT_NAME
            and not all(normalize_word(w) in qwords for w in run.words)
        ]
        if not spans:
            return 0.0
        starts = [m.start() for m in WORD_RE.finditer(text)]
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
