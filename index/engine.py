"""The answer engine: it only calls the stages in order.

question -> read (question.py, spelling.py) -> candidates (candidates.py)
         -> features (features.py) -> rank (rank.py; its shortlist is read again
            word piece by word piece, tokenmatch.py; when it is unsure, its best
            few are read with the question by the answer reader, reader.py) -> Answer

The index (build.py) is immutable; sentence vectors (vectors.py) may still be
filling in the background, in which case a question whose candidates lack
vectors is ranked by the lexical variant of the ranker.
"""

from __future__ import annotations

import bisect
import logging
import math
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cache, partial
from itertools import pairwise
from pathlib import Path

import numpy as np

from .answer import Answer, Quote
from .articles import Article, Corpus, Source, load_corpus
from .build import Index, IndexSettings, Progress, build_index
from .byline import ArticleNames, asks_author, find_byline
from .candidates import CandidateSettings, Pool, gather
from .detect import MONEY_RE, MONTH_RE, Kind
from .embed import Embedder, TokenStates
from .english import CHAT, KIN, PLACE_NAMES, ROLE_WORDS, STOPWORDS
from .features import (
    FEATURES,
    FOLLOWS_ON,
    PART_UNITS,
    CandidateInfo,
    FeatureBuilder,
    SentenceFacts,
    answer_spans,
    named_parts,
    numbered_parts,
    part_clash,
)
from .fragment import fragment_link
from .names import DEMONYMS
from .question import Question, clean_question, expand_chat, parse_question
from .rank import (
    RERANK_FEATURES,
    Ranked,
    Ranker,
    ReaderBlend,
    ReaderCheck,
    check_evidence,
    default_reader_check,
    sigmoid,
)
from .reader import Reader
from .sentences import closes_quotation, opens_quotation
from .spelling import Speller, english_words, is_english, one_edit
from .tokenmatch import TokenMatch
from .tokens import WORD_RE, Tokenizer
from .vectors import SentenceVectors, cache_dir
from .vocab import load_lexicon, well_known_works, work_key

log = logging.getLogger(__name__)

# "how much did each episode cost", "paid per ep": only an amount given for one of these answers
PER_UNIT = re.compile(r"\b(?:per|each|every|an?)\s+(episode|season|night|week|month|year|day|hour)s?\b", re.IGNORECASE)
_BARE_MONTH = re.compile(rf"\b{MONTH_RE.pattern}\b", re.IGNORECASE)
PRICE_NEAR = 6  # words between an amount and what it is per: "$15 million per episode", "each episode cost $10m"
UNIT_SHORT = {"episode": "ep", "month": "mo", "year": "yr", "week": "wk", "hour": "hr", "night": "nt"}
# Facts about one person that only a sentence saying them gives: (what the question asks, what a sentence
# that gives it has). "how tall is Olivia Colman" is not answered by a sentence that names her without a height.
PERSONAL_FACTS = (
    (
        re.compile(r"\bhow\s+tall\b|\bheight\b", re.IGNORECASE),
        re.compile(
            r"\btall\b|\bheight\b|\d\s*-?\s*(?:feet|foot|ft|inch(?:es)?|cm|centimet(?:er|re)s?|met(?:er|re)s?)\b|\d'\s?\d"
            r"|\b(?:four|five|six|seven)[\s-]+(?:feet|foot)\b",
            re.IGNORECASE,
        ),
    ),
    (
        re.compile(r"\bborn\b|\bbirth(?:day|date|place)?s?\b|\bbday\b", re.IGNORECASE),
        re.compile(r"\bborn\b|\bbirth|\bnative\b", re.IGNORECASE),
    ),
)
# Credits that a sentence gives by naming someone next to the word for the job: "who composed the score" is
# answered only by a sentence about music that names someone the question does not ("composer Yutaka Yamada",
# "the score is by Ida Lorne").
ASKS_MUSIC = re.compile(
    r"\bcompos(?:e|ed|er|ers|ing)\b|\bsongs?\b|\bsoundtracks?\b|\bost\b|\btheme\s+(?:song|tune|music)\b"
    r"|\bmusic\b|\bsings?\b|\bsang\b|\bsinger\b",
    re.IGNORECASE,
)
SAYS_MUSIC = re.compile(
    r"\bcompos|\bscor(?:e|ed|es|ing)\b|\bsound\s*tracks?\b|\bost\b|\bsongs?\b|\btheme|\bmusic|\bsing|\bsang\b"
    r"|\bsung\b|\btracks?\b|\balbum|\bsingles?\b|\bperform|\bband\b|\brapper|\bduo\b|\bhip[\s-]?hop\b|\blyric",
    re.IGNORECASE,
)
# (what asks for a credit, what a sentence that gives it has, the reason). Directing was measured too: articles
# name directors in too many ways ("Besides Jonathan Nolan, who directed episodes") for it to be a hard fact.
CREDITS = ((ASKS_MUSIC, SAYS_MUSIC, "no article says that about its music"),)
CREDIT_NEAR = 6  # words between the job and the name: "composer Yutaka Yamada", "the score is by Ida Lorne"
# "who plays X": only a sentence that has X's words can say who does ("who plays lala" where no article has Lala)
WHO_PLAYS = re.compile(
    r"\bwho(?:'s|\s+is|\s+was)?\s+(?:plays|played|playing|voices|voiced|voicing|portrays|portrayed|will\s+play)\s+"
    r"(?P<role>[^?!.]+)",
    re.IGNORECASE,
)
ROLE_END = re.compile(
    r"\s*(?:,|\b(?:in|on|from|for|during|at|of|since|when|after|before|and|again|now|too|that|who|which|whose)\b).*$",
    re.IGNORECASE,
)
# "who directed (wrote, created, ...) it": the job asked, which the sentence that answers says
WHO_DID = re.compile(
    r"\bwho(?:'s|\s+is|\s+was|\s+were)?\s+(?:(?:the|a|an)\s+)?(?P<job>directed|directs|director|wrote|writes|writer|"
    r"screenwriter|created|creates|creator|composed|composes|composer|produced|produces|producer|hosted|hosts|host|"
    r"choreographed|edited|editor|narrates|narrated|narrator)\b",
    re.IGNORECASE,
)
AUTHORED = frozenset({"write", "create", "music"})  # jobs a "by" can say: "a webtoon by", "a score by"
MAX_ROLE_WORDS = 3  # a longer role is described, not named ("the girl Otis starts the clinic with")
ASKS_TITLE = re.compile(r"\btitled?\b|\bcalled\b|\bnamed?\b", re.IGNORECASE)  # "what's s2 ep 7 called"
COUNTED_PARTS = ("episode", "season", "chapter", "volume")  # "how many <these>": only a count of them answers
MAX_QUESTION_CHARS = 1000  # longer questions are cut to this before analysis
WARM_QUESTION = "who made it, and what is it about?"  # asked by warm(): any show's articles have candidates
# A question made only of numbers and arithmetic ("what's 2+2") asks nothing about a show.
ARITHMETIC = re.compile(r"^[\s\d.,+\-*/x×÷=^()%?!]*$|^\W*(?:\d+\s*)+\W*$")
_MATH_WORDS = frozenset(
    ["plus", "minus", "times", "divided", "multiplied", "equals", "equal", "sum", "square", "root", "add", "subtract"]
)


@cache
def distinctive_works() -> tuple[str, ...]:
    """The well-known titles that name only the work: two words or more after a leading "the" or "a"
    ("stranger things", "the last of us"), or one that is no English word ("the mandalorian");
    not "the crown" or "friends"."""
    out = []
    for key in well_known_works():
        words = key.split()
        if words[0] in ("the", "a", "an") and len(words) > 1:
            words = words[1:]
        phrase = len(words) >= 2 and not all(w in STOPWORDS for w in words)
        rare_word = len(words) == 1 and words[0].isalpha() and len(words[0]) >= 4 and not is_english(words[0])
        if phrase or rare_word:
            out.append(key)
    return tuple(out)


@dataclass(frozen=True)
class Settings:
    """Knobs of the engine."""

    index: IndexSettings = field(default_factory=IndexSettings)
    candidates: CandidateSettings = field(default_factory=CandidateSettings)
    alternatives: int = 2
    reader_blend: ReaderBlend = field(default_factory=ReaderBlend)  # when and how much the answer reader is heard
    sync_vectors_max: int = 3000  # up to this many sentences, vectors are ready before the first answer

    @property
    def passage_sentences(self) -> int:
        return self.index.passage_sentences


@dataclass
class Trace:
    """Everything the engine worked out for one question: for ``--explain`` and for fitting the ranker."""

    question: Question | None
    reason: str = ""  # why it abstained before ranking, if it did
    pool: Pool | None = None
    features: np.ndarray | None = None
    infos: list[CandidateInfo] = field(default_factory=list)
    ranked: Ranked | None = None
    question_row: dict[str, float] = field(default_factory=dict)
    question_tokens: TokenStates | None = None  # the question as the sentence model read it
    hard_fact: str = ""  # why the articles cannot answer it, when ``trace(hard_facts=False)`` ranked it anyway


BYLINE_SCORE = 1.0  # an article's byline says who wrote it: no ranking, no doubt
ANOTHER_PART = "the best answer is about another season or episode than the one asked"
ANOTHER_ROLE = "the best answer does not name the role asked about"
NO_RELATIVE = "the best answer does not name the relative asked about"
NO_JOB = "the best answer does not say who did the job asked about"
_QUOTES = re.compile("[\"“”]")  # quoted words: what someone said
_PLACES = {n.replace(".", ""): names for names in PLACE_NAMES for n in names}  # a place's names, by each of them


def _describes(words: tuple[str, ...]) -> bool:
    """Whether a capitalised run is a nationality or language, which names no one: "German", "the French
    dub", "English-language", "English-speaking" (a hyphened word led by one, the rest common English)."""
    if all(w.casefold() in DEMONYMS for w in words):
        return True
    if len(words) != 1 or "-" not in words[0]:
        return False
    first, *rest = words[0].casefold().split("-")
    return first in DEMONYMS and all(part in english_words() for part in rest)


class Engine:
    """Answers questions from a fixed set of articles. Read-only once built; ``ask`` is thread-safe."""

    def __init__(
        self,
        corpus: Corpus | Index,
        settings: Settings = Settings(),
        progress: Progress | None = None,
        *,
        embedder: Embedder | None = None,
        ranker: Ranker | None = None,
        reader: Reader | None = None,
        vectors_in_background: bool = True,
    ) -> None:
        self.settings = settings
        if isinstance(corpus, Index):
            self.index = corpus
        else:
            self.index = build_index(corpus, load_lexicon(corpus.folder), settings.index, progress)
        self.ranker = ranker or Ranker.from_file()
        self.reader = reader  # the answer reader (reader.py), or None
        # the answer check heard with the reader: heard only with the reader and ranker it was fitted for
        self.reader_check: ReaderCheck | None = default_reader_check()
        self.embedder: Embedder | None = None
        self.vectors: SentenceVectors | None = None
        self._vectors_in_background = vectors_in_background
        self._local = threading.local()
        self._bylines: dict[int, tuple[int, int] | None] = {}  # article -> its byline's span, found on first ask
        self._article_names: ArticleNames | None = None  # read on the first question asking for an author
        self.use_model(embedder)

    def use_model(self, embedder: Embedder | None) -> None:
        """Answer with this sentence model from now on (None: words only).

        The sentences' vectors are computed (or read from the cache) at once for a small index,
        else in a background thread; until they are all there, answers use words only.
        """
        if self.vectors is not None:
            self.vectors.stop()
        self.embedder = embedder
        self.vectors = None
        self._token_match = TokenMatch(embedder) if embedder is not None else None
        if embedder is None:
            return
        vectors = SentenceVectors(self.index, embedder, cache_dir())
        if self.index.sentence_count <= self.settings.sync_vectors_max or not self._vectors_in_background:
            vectors.fill()
        else:
            vectors.fill_in_background()
        self.vectors = vectors

    def use_reader(self, reader: Reader | None) -> None:
        """Let this answer reader reorder the ranker's best few when it is unsure (None: the ranker alone)."""
        self.reader = reader

    @classmethod
    def from_folder(cls, folder: Path | str, settings: Settings = Settings(), **kwargs) -> Engine:
        return cls(load_corpus(folder), settings, **kwargs)

    # -- what the bot shows about the engine --------------------------------------

    @property
    def articles(self) -> tuple[Article, ...]:
        return self.index.articles

    @property
    def sources(self) -> list[Source]:
        return [a.source for a in self.index.articles]

    @property
    def passage_count(self) -> int:
        return self.index.passage_count

    @property
    def semantic(self) -> bool:
        """Whether every sentence has its vector (answers use the sentence model)."""
        return self.vectors is not None and self.vectors.complete

    def close(self) -> None:
        if self.vectors is not None:
            self.vectors.stop()

    # -- per-thread helpers ------------------------------------------------------

    def _helpers(self) -> tuple[Tokenizer, Speller, FeatureBuilder]:
        helpers = getattr(self._local, "helpers", None)
        if helpers is None:
            tokenizer = Tokenizer(self.index.lexicon)
            helpers = self._local.helpers = (
                tokenizer,
                Speller(self.index, tokenizer),
                FeatureBuilder(self.index, tokenizer),
            )
        return helpers

    # -- the stages ----------------------------------------------------------------

    def read(self, raw: str) -> Question | str:
        """The question as the engine understands it, or the reason it cannot be asked."""
        text = clean_question(raw, MAX_QUESTION_CHARS)
        if not text or not any(c.isalnum() for c in text):
            return "empty question"
        tokenizer, speller, _ = self._helpers()
        chat = expand_chat(speller.expand_ampersand(text), speller.chat_names)
        corrections: dict[str, str] = {}
        shouting = text.isupper()  # capitals throughout are emphasis, not initials

        def fix(match: re.Match[str]) -> str:
            word = match.group()
            key = word.lower()
            numbered = speller.expand_numbered(key)
            if numbered:
                corrections[key] = " ".join(numbered)
                return corrections[key]
            title = speller.expand_acronym(key, capitals=word.isupper() and not shouting and key not in STOPWORDS)
            if title:
                corrections[key] = " ".join(title)
                return corrections[key]
            fixed = speller.correct(key)
            if fixed:
                corrections[key] = fixed
                return fixed
            return word

        normalized = WORD_RE.sub(fix, speller.join_numbered(chat))
        question = parse_question(
            text, normalized, tokenizer, self.index.entities, corrections, self.index.entity_keys, speller.chat_names
        )
        question = self._genre_words_too(question, tokenizer)
        if not question.terms:
            return "no searchable words in the question"
        if _only_arithmetic(text, question):
            return "the question is only numbers or arithmetic"
        if self._names_unknown_thing(question):
            return "the question names something no article mentions"
        return question

    def _genre_words_too(self, question: Question, tokenizer: Tokenizer) -> Question:
        """A question asking what kind of show it is ("genre?", "what kind of show is it") is met by the
        genre words the articles use ("a dark comedy", "the sci-fi thriller"): they seldom write "genre"."""
        if question.kind is not Kind.GENRE:
            return question
        genre = tokenizer.term("genre")
        lexicon = self.index.lexicon
        broad = {*lexicon.fold, *lexicon.exact.values(), *lexicon.phrases}  # "musical" is "music", soundtracks too
        found = []
        for word in ("genre", *lexicon.answers.get("genres", ())):
            if " " in word:
                continue  # a phrase's words alone mean other things: the "show" of "game show"
            term = tokenizer.terms(word)[-1:]  # "sci-fi": "scifi", not "sci" and "fi"
            if term and term[0] not in broad and self.index.idf(term[0]) is not None:
                found.append(term[0])
        if not genre or not found:
            return question
        terms = tuple(dict.fromkeys((*question.terms, genre)))
        return replace(question, terms=terms, stand_ins={genre: tuple(dict.fromkeys(found))})

    def _names_unknown_work(self, question: Question) -> bool:
        """Whether the question names a well-known show or film (``data/works.toml``) that no article
        mentions: "when does stranger things s5 come out", typed in lower case, in another show's server."""
        asked = f" {work_key(question.text)} {work_key(question.normalized)} "
        return any(f" {key} " in asked and not self.index.mentions(key) for key in distinctive_works())

    def _names_unknown_thing(self, question: Question) -> bool:
        """Whether the asker capitalised a name of two or more words ("Lukas Braun") of which no article has any word.

        One capitalised word ("Covid", "Hellbound") is only evidence for the answer check: it may be
        a word the articles spell another way.
        """
        vocab = self.index.bm25.vocab
        sources = self._helpers()[1].source_terms
        for terms, words in zip(question.capitalised, question.capitalised_words):
            # "January 2024" is a date: a number is no word of a name
            if (
                len(terms) < 2
                or _describes(words)
                or all(w in DEMONYMS or w in STOPWORDS or w in english_words() or w.isdigit() for w in words)
            ):
                continue
            if not any(t in vocab or t in sources for t in terms) and not self._mentioned(words):
                return True
        return False

    def _mentioned(self, words: tuple[str, ...]) -> bool:
        """Whether the articles write every word of a name with a capital somewhere: in a heading or a
        caption if in no sentence."""
        return all(w in self.index.capitalised_words for w in words if w not in STOPWORDS)

    def _unknown_name(self, terms: tuple[str, ...], words: tuple[str, ...]) -> bool:
        """A name of the question that no article mentions: a term no sentence has, and not all its words written,
        nor the place it names called another way ("Britain" where the articles say "UK")."""
        vocab = self.index.bm25.vocab
        if all(t in vocab for t in terms) or self._mentioned(words):
            return False
        others = _PLACES.get(" ".join(words).casefold().replace(".", ""), ())
        return not any(self._writes(name) for name in others)

    def _writes(self, name: str) -> bool:
        """Whether the articles write every word of ``name`` (lower case): with a capital, or as a term some
        sentence has ("us" is a stopword, so only "US" written counts; "u.s" is "U.S.", each letter a capital)."""
        tokenizer, vocab, capitalised = self._helpers()[0], self.index.bm25.vocab, self.index.capitalised_words
        return all(
            all(letter in capitalised for letter in w.split("."))
            if "." in w
            else w in capitalised or (tokenizer.term(w) or "") in vocab
            for w in name.split()
        )

    def _name_terms(self, question: Question) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        """The terms and words of the question's capitalised runs, without a date's: "January 2024" names
        nothing, and "Zebra Nights 2024 Emmy" names Zebra Nights and the Emmy."""
        tokenizer, _, _ = self._helpers()
        runs = []
        for terms, words in zip(question.capitalised, question.capitalised_words):
            if any(w.isdigit() for w in words):
                dates = {tokenizer.term(w) for w in words if w.isdigit() or MONTH_RE.fullmatch(w)}
                terms = tuple(t for t in terms if t not in dates)
                words = tuple(w for w in words if not (w.isdigit() or MONTH_RE.fullmatch(w)))
            if terms and not _describes(words):
                runs.append((terms, words))
        return runs

    def _counts_nothing(self, question: Question, X: np.ndarray) -> bool:
        """A hard fact: it asks how many episodes, seasons, chapters or volumes, and no candidate has a number
        of them ("how many volumes does the manga have" where the articles count only its chapters)."""
        if not self._counts_parts(question):
            return False
        return not (X[:, FEATURES.index("kind_near")] == 1.0).any()  # a number within two words of the unit

    def _counts_parts(self, question: Question) -> bool:
        """Whether it asks how many episodes, seasons, chapters or volumes."""
        tokenizer = self._helpers()[0]
        return question.counted is not None and question.counted in {tokenizer.term(w) for w in COUNTED_PARTS}

    def _named_near(
        self, pool: Pool, rows: np.ndarray, read: Callable[[SentenceFacts], Iterable[object]], asked: set
    ) -> bool:
        """Whether a candidate of ``rows`` has something of ``asked`` (as ``read`` reads a sentence's facts),
        in it or in the sentence before ("The actor, who played Polly, ... . She died aged 52.")."""
        facts = self._helpers()[2].facts
        for i in pool.sentences[rows].tolist():
            found = set(read(facts(i)))
            if self.index.same_article(i, i - 1):
                found |= read(facts(i - 1))
            if asked & found:
                return True
        return False

    def _asked_names(self, question: Question) -> set[str]:
        """The terms of the names the question asks about, without the show's own (background) words."""
        return {t for entity in question.entity_terms for t in entity if not self.index.is_background(t)}

    def _ages_nobody(self, question: Question, pool: Pool, X: np.ndarray) -> bool:
        """A hard fact: it asks the age of a person the articles name, and no candidate that gives an age
        has a word of the names asked about, in it or in the sentence before ("how old is Olivia Colman"
        where the only ages are other people's)."""
        if question.kind is not Kind.AGE:
            return False
        tokenizer = self._helpers()[0]
        people = {tokenizer.term(w) for w in question.own_words if w in self.index.person_words}
        named = self._asked_names(question)
        if not named & people:  # a bridge's or a show's age is not asked of a person
            return False
        aged = (X[:, FEATURES.index("kind_near")] > 0) | (X[:, FEATURES.index("kind_next")] > 0)
        return not self._named_near(pool, aged, lambda facts: facts.tf.keys(), named)

    def _prices_nothing_per(self, question: Question, pool: Pool) -> bool:
        """A hard fact: it asks an amount of money per episode (night, season, ...), and no candidate gives an
        amount near that word ("how much did each episode cost" where the only price is a subscription's, or
        "After five episodes, the prize fund ... stands at $117,000")."""
        unit = PER_UNIT.search(question.normalized)
        if unit is None:
            return False
        tokenizer, _, features = self._helpers()
        if not features.asks_money(question):
            return False
        word = unit.group(1).lower()
        term = tokenizer.term(word)
        short = re.compile(rf"/\s*(?:{word}|{UNIT_SHORT.get(word, word)})\b", re.IGNORECASE)  # "$6.99/mo"
        for i in pool.sentences.tolist():
            facts = features.facts(i)
            if short.search(facts.text) and MONEY_RE.search(facts.text):
                return False
            units = [int(at) for t, at in zip(facts.token_terms, facts.token_starts) if t == term]
            amounts = [m.start() for m in MONEY_RE.finditer(facts.text)]
            if any(len(facts.text[min(u, a) : max(u, a)].split()) <= PRICE_NEAR for u in units for a in amounts):
                return False
        return True

    def _personal_fact_nowhere(self, question: Question, pool: Pool) -> bool:
        """A hard fact: it asks a person's height or birth (PERSONAL_FACTS) of something it names, and no
        candidate that says such a fact has a word of those names, in it or in the sentence before ("where
        was Olivia Colman born" where the only birthplaces are other people's)."""
        gives = next((g for asks, g in PERSONAL_FACTS if asks.search(question.normalized)), None)
        if gives is None:
            return False
        named = self._asked_names(question)
        if not named:
            return False
        facts = self._helpers()[2].facts
        said = np.array([bool(gives.search(facts(i).text)) for i in pool.sentences.tolist()], dtype=bool)
        return not self._named_near(pool, said, lambda f: f.tf.keys(), named)

    def _credit_nowhere(self, question: Question, pool: Pool) -> str:
        """A hard fact: it asks who did a job (CREDITS: the music), and no candidate that names
        the job names anyone the question does not near it; the reason, or ""."""
        for asks, says, reason in CREDITS:
            if asks.search(question.normalized) and not self._credited(question, pool, says):
                return reason
        return ""

    def _credited(self, question: Question, pool: Pool, says: re.Pattern[str]) -> bool:
        """Whether a candidate has a match of ``says`` within CREDIT_NEAR words of a capitalised word the
        question does not have."""
        facts = self._helpers()[2].facts
        asked = {w.casefold() for w in question.own_words}
        for i in pool.sentences.tolist():
            text = facts(i).text
            jobs = [m.start() for m in says.finditer(text)]
            if not jobs:
                continue
            words = list(WORD_RE.finditer(text))
            starts = [w.start() for w in words]
            names = [  # its first word aside: "Critics loved the music" names no one
                n
                for n, w in enumerate(words[1:], 1)
                if w.group()[0].isupper()
                and w.group().casefold() not in asked
                and w.group().casefold() not in STOPWORDS
            ]
            at = [bisect.bisect_right(starts, m) - 1 for m in jobs]
            if any(abs(n - a) <= CREDIT_NEAR for n in names for a in at):
                return True
        return False

    def _role_words(self, question: Question) -> list[str]:
        """The words that name the role a "who plays (voices, ...)" question asks about ("who plays the forensic
        accountant": forensic, accountant); none when it asks no role, a relative's ("who plays Erin's mother")
        or a role described at length."""
        asked = WHO_PLAYS.search(question.normalized)
        if asked is None:
            return []
        role = ROLE_END.sub("", asked.group("role"))
        words = [m.group().casefold() for m in WORD_RE.finditer(role)]
        if any(w in KIN for w in words):
            return []  # "who plays Erin's mother Mary": a relative, as _relative_nowhere reads it
        words = [w for w in words if not re.search(r"['’]s$", w)]  # whose role it is: "Jamie's lawyer"
        words = [w for w in words if w not in STOPWORDS and w not in ROLE_WORDS and w not in CHAT]
        return words if len(words) <= MAX_ROLE_WORDS else []

    def _role_nowhere(self, question: Question, pool: Pool) -> bool:
        """A hard fact: it asks who plays (voices, ...) a role, and no candidate has its name ("who plays Lala"),
        or, for a role named by English words only, its last word ("who plays the forensic accountant")."""
        words = self._role_words(question)
        names = [w for w in words if not is_english(w)]
        terms = frozenset(self._helpers()[0].terms(" ".join(names or words[-1:])))
        if not terms:
            return False
        facts = self._helpers()[2].facts
        return not any(_names_role(terms, facts(i).tf.keys()) for i in pool.sentences.tolist())

    def _relative_nowhere(self, question: Question, pool: Pool) -> bool:
        """A hard fact: it asks who someone's relative is or who plays them ("who plays her mum"), and no
        candidate has a word for that relative ("mother", "mum", "parents")."""
        if question.kind not in (Kind.PERSON, Kind.NAME):  # "who plays her mum", "whats her mum called"
            return False
        said = {w for word in question.words if word in KIN for w in KIN[word]}
        if not said:
            return False
        facts = self._helpers()[2].facts
        return not any(said.intersection(facts(i).words) for i in pool.sentences.tolist())

    def _episode_title_nowhere(self, question: Question, pool: Pool) -> bool:
        """A hard fact: it asks what a numbered episode (not the first) is called, and no candidate names that
        episode, in it or in the sentence before ("whats the title of s1 ep 3" where no article numbers it)."""
        if not ASKS_TITLE.search(question.normalized):
            return False
        tokenizer, _, features = self._helpers()
        episode = tokenizer.term("episode")
        asked = {p for p in named_parts(question.normalized, tokenizer.term, features.units) if p[0] == episode}
        asked = {p for p in asked if p[1] != "1"}  # the first is "the pilot", "the premiere"
        if not asked:
            return False
        every = np.ones(len(pool.sentences), dtype=bool)
        return not self._named_near(pool, every, self._parts_of, asked)

    def _part_not_given(self, question: Question, pool: Pool, X: np.ndarray) -> bool:
        """A hard fact: it asks when a numbered season (episode, ...) comes out, or how many episodes it has,
        and no candidate that gives a date (a count of episodes) names that season, in it or in the sentence
        before ("when does season 6 come out" where the articles date only the earlier ones). Not the first:
        its date is the show's."""
        tokenizer, _, features = self._helpers()
        counts = self._counts_parts(question)
        if question.kind is not Kind.DATE and not counts:
            return False
        # the first season's date is the show's, which articles give without "season 1" ("it premiered in 2019")
        asked = self._later_parts_asked(question)
        if not asked:
            return False
        facts = features.facts
        near = X[:, FEATURES.index("kind_near")]
        # a count is a number within two words of the unit; a date is any date
        dated = near == 1.0 if counts else (near > 0) | (X[:, FEATURES.index("kind_next")] > 0)
        if not counts:  # a month alone dates it too ("season 5 comes out in March")
            dated |= np.array([bool(_BARE_MONTH.search(facts(i).text)) for i in pool.sentences.tolist()], dtype=bool)
        return not self._named_near(pool, dated, self._parts_of, asked)

    def _later_parts_asked(self, question: Question) -> set[tuple[str, str]]:
        """The numbered seasons (episodes, parts) the question asks of, but the first and what it counts
        ("how many episodes in s3": season 3 only)."""
        tokenizer, _, features = self._helpers()
        return {
            part
            for part in named_parts(question.normalized, tokenizer.term, features.units)
            if part[1] != "1" and part[0] != question.counted
        }

    def _parts_of(self, facts: SentenceFacts) -> frozenset[tuple[str, str]]:
        """The numbered seasons (episodes, parts) a sentence names (``named_parts``)."""
        tokenizer, _, features = self._helpers()
        return named_parts(facts.text, tokenizer.term, features.units)

    def hard_fact(self, question: Question, pool: Pool, X: np.ndarray) -> str:
        """Why the articles cannot answer ``question``, whatever its candidates' scores, or "".

        Each is a fact, not evidence: a show or film no article mentions, or a number, an age, an
        amount, a date, a composer, a relative or a role that no candidate gives for what is asked.
        """
        if self._names_unknown_work(question):
            return "the question is about a show or film no article mentions"
        if self._counts_nothing(question, X):
            return "no article gives that number"
        if self._ages_nobody(question, pool, X):
            return "no article gives that age"
        if self._personal_fact_nowhere(question, pool):
            return "no article gives that about them"
        credit = self._credit_nowhere(question, pool)
        if credit:
            return credit
        if self._role_nowhere(question, pool):
            return "no article names that role"
        if self._relative_nowhere(question, pool):
            return "no article names that relative"
        if self._episode_title_nowhere(question, pool):
            return "no article names that episode"
        if self._part_not_given(question, pool, X):
            return "no article gives that for that season or episode"
        if self._prices_nothing_per(question, pool):
            return "no article gives that amount"
        return ""

    def trace(self, raw: str, hard_facts: bool = True) -> Trace:
        """Run every stage for ``raw`` and keep what each produced.

        ``hard_facts`` False ranks a question that a hard fact declines too, and says which in
        ``Trace.hard_fact``: the fitted models learn from every question, whichever the gates take.
        """
        question = self.read(raw)
        if isinstance(question, str):
            return Trace(None, question)
        _, _, features = self._helpers()
        weights = features.weights(question)
        if not weights:
            return Trace(question, "none of the question's words is in the articles")
        tokens = None
        vectors, match = self.vectors, self._token_match  # read once: use_model may swap them meanwhile
        if vectors is not None and vectors.ready:
            tokens = vectors.embedder.encode_tokens([question.normalized])[0]
        query_vector = tokens.vector if tokens is not None else None
        pool = gather(self.index, list(question.search_terms), query_vector, vectors, self.settings.candidates)
        if not len(pool.sentences):
            return Trace(question, "nothing in the articles answers this", pool)
        X, infos = features.run(question, pool, weights)
        fact = self.hard_fact(question, pool, X)
        if fact and hard_facts:
            return Trace(question, fact, pool, X, infos)
        row = self._question_row(question, weights, pool)
        scorer = None
        if tokens is not None:
            if match is None or match.embedder is not vectors.embedder:
                match = TokenMatch(vectors.embedder)  # caught mid-swap: the model that made the vectors, uncached
            texts = [self.quote_text(info) for info in infos]
            scorer = partial(_token_columns, match, tokens, texts)
        ranked = self._read(question, self.ranker.run(X, pool.cosine is not None, row, scorer), infos)
        # about the best answer, so about the weights that chose it: only at run time, never in the traces
        # that fitting reads (``hard_facts`` False, ranked by untrained weights)
        answer_fact = self.answer_fact(question, pool, ranked, infos) if hard_facts else ""
        if answer_fact:
            return Trace(question, answer_fact, pool, X, infos, question_row=row, question_tokens=tokens)
        return Trace(question, "", pool, X, infos, ranked, row, tokens, fact)

    def answer_fact(self, question: Question, pool: Pool, ranked: Ranked, infos: list[CandidateInfo]) -> str:
        """Why the ranker's best sentence cannot answer ``question``, whatever its probability, or "": a hard
        fact about the answer it would give, read in it and the sentence before (``_best_and_before``)."""
        if self._best_is_another_part(question, pool, ranked, infos):
            return ANOTHER_PART
        if self._best_misses_role(question, pool, ranked, infos):
            return ANOTHER_ROLE
        if self._best_misses_relative(question, pool, ranked):
            return NO_RELATIVE
        if self._best_misses_job(question, pool, ranked):
            return NO_JOB
        return ""

    def _best_and_before(self, pool: Pool, ranked: Ranked) -> list[SentenceFacts]:
        """The facts of the ranker's best sentence and of the sentence before it in its article, if any."""
        facts = self._helpers()[2].facts
        i = int(pool.sentences[int(ranked.order[0])])
        return [facts(i), facts(i - 1)] if self.index.same_article(i, i - 1) else [facts(i)]

    def _best_is_another_part(self, question: Question, pool: Pool, ranked: Ranked, infos: list[CandidateInfo]) -> bool:
        """A hard fact about the answer it would give: the question asks of a numbered season (episode, part),
        not the first, and the best candidate is about another one, naming neither that one nor, in the
        sentence before or its article's title, the one asked ("who won season 38" where the best is "Season
        37 came to a close with ... winning"). When a lower candidate answers for the one asked, it is declined
        all the same (docs/quality.md, stop 56: measured, it declines far more out-of-scope questions and wrong
        answers than right ones)."""
        asked = self._later_parts_asked(question)
        if not asked:
            return False
        tokenizer, _, features = self._helpers()
        best = infos[int(ranked.order[0])]
        if not part_clash(frozenset(asked), numbered_parts(best.facts.token_terms, features.units)):
            return False
        title = self.index.articles[best.article].source.title or ""
        if asked & named_parts(title, tokenizer.term, features.units):
            return False
        return not any(asked & self._parts_of(facts) for facts in self._best_and_before(pool, ranked))

    def _best_misses_role(self, question: Question, pool: Pool, ranked: Ranked, infos: list[CandidateInfo]) -> bool:
        """A hard fact about the answer it would give: the question asks who plays (voices, ...) a role it
        names (with a word no English one or that the articles write with a capital: "Gorou", "Light", not
        "the forensic accountant", whom an article may call otherwise; words of two letters, "DI", and
        nationalities, "who voices denji jp", aside), and the best candidate has no word of that name
        ("Detective Inspector Bascombe" names "Luke Bascombe"), itself, in the sentence before or in its
        article's title ("who plays Gorou in the live-action series" where the best is "The cast ...
        includes Nagisa Saitō, who plays the role of Ruby"). Declined like ``_best_is_another_part``
        (docs/quality.md, stop 57)."""
        tokenizer = self._helpers()[0]
        written = self.index.capitalised_words
        names = [
            w
            for w in self._role_words(question)
            if len(w) > 2 and w not in DEMONYMS and (w in written or not is_english(w))
        ]
        role = [frozenset(tokenizer.terms(w)) for w in names]
        if not any(role):
            return False
        title = self.index.articles[infos[int(ranked.order[0])].article].source.title or ""
        said = set(tokenizer.terms(title)).union(*(f.tf.keys() for f in self._best_and_before(pool, ranked)))
        return not any(_names_role(terms, said) for terms in role if terms)

    def _best_misses_relative(self, question: Question, pool: Pool, ranked: Ranked) -> bool:
        """A hard fact about the answer it would give: the question asks who someone's relative is or who plays
        them, without naming the relative ("who plays Hae-in's mother", not "who plays Elena's mom Immacolata"),
        and the best candidate has no word for that relative (``KIN``: "mum", "parents"), nor does the sentence
        before. Measured (docs/quality.md, stop 57): it costs a few right answers that say the kinship the other
        way round ("the son of a retired commander, Thors" for "Thorfinn's father"); accepting any word for a
        relative instead let most out-of-scope questions through ("Hong Hae-in, the daughter of ...")."""
        if question.kind not in (Kind.PERSON, Kind.NAME):
            return False
        words = question.words
        at = [k for k, word in enumerate(words) if word in KIN]
        if not at:
            return False
        after = words[at[-1] + 1] if at[-1] + 1 < len(words) else ""
        if after and after not in STOPWORDS and (after in self.index.capitalised_words or not is_english(after)):
            return False  # the relative named: "who plays elenas mom immacolata"
        said = set().union(*(f.words for f in self._best_and_before(pool, ranked)))
        kin = {w for k in at for w in KIN[words[k]]}
        return not kin & said

    def _best_misses_job(self, question: Question, pool: Pool, ranked: Ranked) -> bool:
        """A hard fact about the answer it would give: the question asks who did a job ("who directed it",
        "who's the composer") and the best candidate does not say that job, nor does the sentence before
        ("who directed the pilot" where the best is "The show was created by ..."). A work's author may go
        unnamed as such: for who wrote, created or composed something, a "by" is enough ("a webtoon by Joo
        Dong-geun"). Measured (docs/quality.md, stop 57): it declines more out-of-scope questions than it
        costs right answers that say the job another way ("Jeff Russo's spare score")."""
        asked = WHO_DID.search(question.normalized)
        if asked is None:
            return False
        job = self._helpers()[0].term(asked.group("job").casefold())
        if not job:
            return False
        best = self._best_and_before(pool, ranked)
        if job in AUTHORED and any("by" in f.words for f in best):
            return False  # "a webtoon by Joo Dong-geun", "a score by Frank Wildhorn"
        return not any(job in f.tf for f in best)

    def _read(self, question: Question, ranked: Ranked, infos: list[CandidateInfo]) -> Ranked:
        """``ranked``, its best few reordered by the answer reader when the ranker is unsure of them, and
        with the reader check (``active_reader_check``) its probability heard with the reader's logit of
        the best, which is read then whether the ranker was unsure or not (unless the ranker is sure and the
        check settled: ``ReaderCheck.settles``).

        Without a reader check, not when the answer check declines anyway: the reader changes the order
        then, never what is answered. A reader that fails leaves the ranker's order and answer check.
        """
        reader, blend, check = self.reader, self.settings.reader_blend, self.active_reader_check
        if reader is None or ranked.variant != "semantic" or (check is None and self.ranker.declines(ranked)):
            return ranked
        rows = blend.rows(ranked)
        if not len(rows):
            if check is None:
                return ranked
            if check.settles(ranked.probability, check_evidence(ranked)):
                return check.settled(ranked)  # sure of its best, and the check could only answer: nothing to read
            rows = ranked.order[:1]  # sure of its best: only that one is read, for the check
        try:
            logits = reader.score(question.normalized, [self.quote_text(infos[int(r)]) for r in rows])
        except Exception as exc:  # onnxruntime's own types: a reader that fails never costs the answer
            log.warning("the answer reader failed (%s); answering with the ranker's order", exc)
            return ranked
        ranked = blend.run(ranked, rows, logits)
        return ranked if check is None else check.run(ranked)

    @property
    def active_reader_check(self) -> ReaderCheck | None:
        """``reader_check`` when it was fitted for this engine's reader and ranker, else None."""
        check, reader = self.reader_check, self.reader
        if check is None or reader is None or not check.applies(reader.files.model_id, self.ranker):
            return None
        return check

    def token_columns(self, trace: Trace) -> np.ndarray | None:
        """The raw token-match columns (tokenmatch.py) of every candidate of ``trace``, for fitting."""
        match = self._token_match
        if trace.question_tokens is None or match is None:
            return None
        texts = [self.quote_text(info) for info in trace.infos]
        return _token_columns(match, trace.question_tokens, texts, np.arange(len(texts)))

    def quote_text(self, cand: CandidateInfo) -> str:
        """What would be quoted for ``cand``: its sentence, with the next one when that holds the answer."""
        return self._with_next(cand) if cand.extend else cand.text

    def _with_next(self, cand: CandidateInfo) -> str:
        """``cand``'s sentence and the next one, as the article has them."""
        index = self.index
        return index.articles[cand.article].text[index.sent_start[cand.sentence] : index.sent_end[cand.sentence + 1]]

    def _question_row(self, question: Question, weights: dict[str, float], pool: Pool) -> dict[str, float]:
        unknown_weight = math.log((self.index.passage_count + 1) / 0.5)
        _, speller, _ = self._helpers()
        sources = speller.source_terms  # "according to Variety": a publisher is known, if not in the text

        def missing(terms: list[str] | tuple[str, ...]) -> int:
            return sum(t not in weights and t not in sources for t in terms)

        known = sum(weights.values())
        named = {t for entity in question.entity_terms for t in entity}
        relation = [t for t in question.terms if t not in named]
        known_rel = sum(weights.get(t, 0.0) for t in relation)
        names = [(terms, words) for terms, words in self._name_terms(question) if not set(terms) <= sources]
        return {
            "known": known / (known + unknown_weight * missing(question.terms)) if known else 0.0,
            "known_rel": known_rel / (known_rel + unknown_weight * missing(relation)) if known_rel else 0.0,
            "unknown_names": sum(self._unknown_name(*n) for n in names) / len(names) if names else 0.0,
            "unknown_part": self._unknown_part(question),
            "unknown_word": float(any(speller.unfamiliar(w) for w in WORD_RE.findall(question.normalized.lower()))),
        }

    def _unknown_part(self, question: Question) -> float:
        """1 when the question names a numbered season, episode or part ("season 5") that no article names."""
        tokenizer, _, _ = self._helpers()
        season, part = tokenizer.term("season"), tokenizer.term("part")
        units = frozenset(tokenizer.term(word) for word in PART_UNITS)

        for unit, number in pairwise(tokenizer.terms(question.normalized)):
            if number in units:
                unit, number = number, unit
            if unit not in units or not number.isdigit():
                continue
            # "part 4" is often what the articles call "season 4", and the other way round
            named_as = (season, part) if unit in (season, part) else (unit,)
            if not any(self.index.has_pair(u, number) for u in named_as):
                return 1.0
        return 0.0

    def warm(self) -> None:
        """Readies the calling thread to answer: its helpers, the word lists and caches a first question
        reads, and the models' first run (a third of a second that the first fan would otherwise wait)."""
        self.trace(WARM_QUESTION)

    def author_quote(self, question: Question) -> Quote | None:
        """For a question asking who wrote an article ("who wrote the Vox review"), the byline of the one
        article it names (byline.py), quoted word for word; None for any other question, or when the article
        named has no byline."""
        if not asks_author(question.normalized):
            return None
        articles = self.index.articles
        if self._article_names is None:
            self._article_names = ArticleNames.of(articles, self._helpers()[0].terms)
        chosen = self._article_names.asked(set(question.search_terms))
        if chosen is None:
            return None
        span = self._bylines.get(chosen, ...)
        if span is ...:
            span = self._bylines[chosen] = find_byline(articles[chosen].text)
        if span is None:
            return None
        article = articles[chosen]
        text = article.text[span[0] : span[1]]
        return Quote(text, article.source, fragment_link(article.source.url, text), BYLINE_SCORE)

    def ask(self, question: str) -> Answer:
        """The best verbatim quote answering ``question``, or an abstention."""
        trace = self.trace(question)
        byline = self.author_quote(trace.question) if trace.question is not None else None
        if byline is not None:
            return Answer(question, byline, score=BYLINE_SCORE)
        if trace.ranked is None:
            return Answer(question, None, reason=trace.reason)
        if self.ranker.declines(trace.ranked):
            return Answer(question, None, reason="nothing in the articles answers this", score=trace.ranked.probability)
        order = trace.ranked.order.tolist()
        infos = trace.infos
        best = infos[order[0]]
        q = trace.question
        assert q is not None
        alternatives = self._alternatives(trace, best)
        return Answer(
            question,
            self._quote(best, q, trace.ranked.probability),
            tuple(self._quote(infos[r], q, trace.ranked.probability) for r in alternatives),
            score=trace.ranked.probability,
        )

    def _alternatives(self, trace: Trace, best: CandidateInfo) -> list[int]:
        """Up to ``settings.alternatives`` other good candidates, other articles first, no repeats."""
        assert trace.ranked is not None
        logits = trace.ranked.logits
        floor = logits[trace.ranked.order[0]] - 4.0
        seen = {_key(best.text)}
        rows = []
        for r in trace.ranked.order[1:].tolist():
            info = trace.infos[r]
            if logits[r] < floor or (info.article == best.article and abs(info.sentence - best.sentence) <= 1):
                continue
            if _key(info.text) not in seen:
                seen.add(_key(info.text))
                rows.append(r)
        rows.sort(key=lambda r: (trace.infos[r].article == best.article, -logits[r]))
        return rows[: self.settings.alternatives]

    def shown_text(self, cand: CandidateInfo, question: Question | None = None) -> str:
        """``quote_text``, and a sentence that is itself a question never alone: an FAQ's heading ("What is it
        about?") is quoted with the sentence under it, whatever kind of answer was asked for; nor one that ends
        in a colon (or a comma, cut by a line break), with what it introduces. Nor is a quotation cut short: a
        sentence that opens one is quoted with the next sentence of its paragraph when that one closes it
        (``He said, "We will be back.`` + ``We promise."``). And given ``question``, a sentence with no answer of
        the kind asked is quoted with the next sentence of its paragraph when that one has one ("who plays the
        keeper?": "Season two brings a new lighthouse keeper." + "The role went to Ida Lorne."), and a sentence
        without quoted words, asked what someone said, with the next one of its paragraph that has them: what is
        shown, never what is ranked."""
        i = cand.sentence
        if cand.extend:
            return self.quote_text(cand)
        facts = self._helpers()[2].facts
        if facts(i).question_mark and self.index.same_article(i, i + 1) and not facts(i + 1).question_mark:
            return self._with_next(cand)
        if cand.text.rstrip().endswith((":", ",")) and self.index.same_article(i, i + 1):
            return self._with_next(cand)  # what a colon introduces: "…, as he told CinemaBlend:" + the quote, or a
            # sentence cut at a line break after a comma: "Reflecting on it, Jonathan said," + the quote
        if self.index.same_paragraph(i, i + 1) and opens_quotation(cand.text) and closes_quotation(facts(i + 1).text):
            return self._with_next(cand)
        if (
            question is not None
            and question.kind is Kind.QUOTE
            and self.index.same_paragraph(i, i + 1)
            and not _QUOTES.search(cand.text)
            and _QUOTES.search(facts(i + 1).text)
        ):  # "what did Hill say about Spencer": "The actors remembered Spencer, who ..." + "“It's not ...,” said Hill."
            return self._with_next(cand)
        if question is not None and question.kind in FOLLOWS_ON and self.index.same_paragraph(i, i + 1):
            # the sentence that matches gives no answer of the kind asked, the next one does: shown together
            here, after = (answer_spans(question, facts(j, question.kind)) for j in (i, i + 1))
            if after and not here:
                return self._with_next(cand)
        return self.quote_text(cand)

    def _quote(self, cand: CandidateInfo, q: Question, probability: float) -> Quote:
        article = self.index.articles[cand.article]
        text = self.shown_text(cand, q)
        terms = set(q.search_terms)
        spans = _merge(cand.spans_of(terms))
        return Quote(
            text=text,
            source=article.source,
            link=fragment_link(article.source.url, text),
            score=probability,
            highlights=tuple(spans),
        )

    def explain(self, question: str, top: int = 3) -> dict:
        """Why the answer won: the question as read, and the features of the best candidates."""
        trace = self.trace(question)
        out: dict = {"question": question}
        q = trace.question
        if q is not None:
            out["read_as"] = {
                "normalized": q.normalized,
                "terms": list(q.terms),
                "kind": q.kind.value,
                "named": [" ".join(e) for e in q.entity_terms],
                "corrections": q.corrections,
                "met by": "; ".join(f"{t} <- {', '.join(ins)}" for t, ins in q.stand_ins.items()),
            }
            byline = self.author_quote(q)
            if byline is not None:  # ask() answers with it, before the ranker
                out["byline"] = f"asks who wrote an article: {byline.source.id}'s byline, {byline.text!r}"
                return out
        if trace.ranked is None:
            out["abstained"] = trace.reason
            return out
        name, variant = self.ranker.variant(trace.ranked.variant == "semantic")
        out["ranker"] = name
        out["probability"] = round(trace.ranked.probability, 4)
        out["threshold"] = variant.threshold if trace.ranked.threshold is None else trace.ranked.threshold
        check = self.active_reader_check
        if trace.ranked.threshold is not None and check is not None:
            out["reader_check"] = "the answer check's probability heard with the answer reader's logit of the best"
            best, read = int(trace.ranked.order[0]), trace.ranked.reader
            said = check.reader_floor if read is None or np.isnan(read[best]) else float(read[best])
            alone = sigmoid(float(variant.answer.logits(trace.ranked.answer_row[None, :])[0]))  # the answer check's
            parts = check.contributions(alone, said, check_evidence(trace.ranked))
            out["reader_check_parts"] = {k: round(v, 3) for k, v in sorted(parts.items(), key=lambda kv: -abs(kv[1]))}
        out["answer_check"] = {k: round(v, 3) for k, v in variant.answer.contributions(trace.ranked.answer_row).items()}
        model, features = trace.ranked.model, trace.ranked.features
        second_look = model is variant.rerank
        if second_look:
            out["second_look"] = f"the ranker's best {variant.shortlist} scored again with their word pieces"
        read = trace.ranked.reader
        if read is not None:
            blend, count = self.settings.reader_blend, int(np.sum(~np.isnan(read)))
            out["reader"] = (
                f"the best {count} were unsure (less than {blend.margin} apart): "
                f"reordered by score + {blend.weight} x the answer reader's logit"
                if count > 1
                else "the ranker was sure of its best: the answer reader read only that one, for the answer check"
            )
        names = RERANK_FEATURES if second_look else FEATURES
        columns = [names.index(n) for n in model.names]
        rows = []
        for r in trace.ranked.order[:top].tolist():
            x = features[r, columns]
            parts = model.contributions(x)
            rows.append(
                {
                    "sentence": trace.infos[r].text,
                    "article": self.index.articles[trace.infos[r].article].source.id,
                    "score": round(float(trace.ranked.logits[r]), 3),
                    **({"reader": round(float(read[r]), 3)} if read is not None and not np.isnan(read[r]) else {}),
                    "features": {n: round(float(v), 3) for n, v in zip(model.names, x)},
                    "contributions": {n: round(v, 3) for n, v in sorted(parts.items(), key=lambda kv: -abs(kv[1]))},
                }
            )
        out["candidates"] = rows
        return out


def _names_role(role: frozenset[str], terms: Iterable[str]) -> bool:
    """Whether ``terms`` (a sentence's) hold every term of ``role``, a fan's slip of one letter in a longer
    name still naming it ("prince phillip", "tour manger")."""
    terms = set(terms)
    return all(t in terms or (len(t) >= 5 and any(one_edit(t, u) for u in terms)) for t in role)


def _only_arithmetic(text: str, question: Question) -> bool:
    if ARITHMETIC.match(text.replace("what's", "").replace("whats", "")):
        return True
    words = question.content_words
    return bool(words) and all(w.replace(".", "").replace(",", "").isdigit() or w in _MATH_WORDS for w in words)


def _token_columns(match: TokenMatch, question: TokenStates, texts: list[str], rows: np.ndarray) -> np.ndarray:
    return match.raw(question, [texts[int(r)] for r in rows], texts)


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for a, b in sorted(spans):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


__all__ = ["Engine", "Kind", "Settings", "Trace"]
