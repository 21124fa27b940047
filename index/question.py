"""What a question asks for: its search terms, the kind of answer, and its named things."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from .tokens import WORD_RE, Tokenizer, normalize_word


class Kind(Enum):
    """The expected answer type."""

    PERSON = "person"
    DATE = "date"
    DURATION = "duration"
    NUMBER = "number"
    PLACE = "place"
    REASON = "reason"
    QUOTE = "quote"  # what someone said
    ORG = "org"  # a company, studio or network
    NAME = "name"  # what something is called
    ENTITY = "entity"
    OTHER = "other"


_ROLE = (
    r"(?:director|actor|actress|writer|screenwriter|creator|author|person|people|cast member|star|producer|showrunner)"
)
_PLACE = r"(?:country|countries|city|cities|place|places|nation|nations|region|regions|location)"
_TIME = r"(?:year|date|day|month|time)"
_ORG = r"(?:compan(?:y|ies)|studios?|networks?|production|producers?|distributors?|channels?|broadcasters?)"
KIND_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (Kind.OTHER, r"^\W*who(?:\s+is|\s+was|'s)\s+(?!the\b|a\b|an\b)[\w.-]+(?:\s+[\w.-]+)?\W*$"),  # who is Dr. Lee?
        (Kind.OTHER, r"\bhow\s+did\b.*\b(?:start|begin|happen|originate)\b|\bwhere\b.*\bcome\s+from\b"),  # origins
        (Kind.QUOTE, r"\bwhat\s+(?:did|does|do|has|have)\b.*\b(?:say|said|tell|told|think|reveal|share)\b"),
        (Kind.ORG, rf"\b(?:which|what)\s+{_ORG}"),
        (Kind.NAME, r"^(?!\W*who\b).*\b(?:what|which)\b.*\b(?:name|called|named|titled)\b|^\W*(?:the\s+)?name\s+of\b"),
        (Kind.PERSON, rf"\b(?:who|whom|whose)\b|\b(?:which|what)\s+{_ROLE}"),
        # no question word: "screenwriter?", "production company", "release date", "number of episodes"
        (Kind.ORG, rf"^(?!.*\b(?:what|which|when|where|why|how)\b).*\b{_ORG}\b"),
        (Kind.PERSON, rf"^(?!.*\b(?:what|which|when|where|why|how)\b).*\b{_ROLE}s?\b"),
        (Kind.DATE, r"^(?!.*\b(?:what|which|where|why|how)\b).*\b(?:date|year)\b"),
        (Kind.NUMBER, r"^\W*(?:the\s+)?(?:number|count)\s+of\b"),
        (Kind.DURATION, r"\bhow\s+(?:long\b(?!\s+ago)|fast\b|quickly\b)"),
        (Kind.DATE, rf"\bwhen\b|\b(?:which|what)\s+{_TIME}s?\b|\bhow\s+long\s+ago\b"),
        (Kind.NUMBER, r"\bhow\s+(?:many|much)\b|\bwhat\s+(?:number|percentage|amount)\b"),
        (Kind.PLACE, rf"\bwhere\b|\b(?:which|what)\s+{_PLACE}\b"),
        (Kind.REASON, r"\bwhy\b|\bhow\s+come\b|\bwhat\s+(?:is|was|'s)\s+the\s+reason\b"),
        (Kind.ENTITY, r"\b(?:which|what)\b"),
    )
)


def clean_question(raw: str | None, limit: int) -> str:
    """``raw`` with control and invisible characters dropped, spaces squeezed, cut to ``limit``."""
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in raw or "")
    return " ".join(text.split())[:limit].rstrip()


# Words that frame a question rather than say what it is about.
QUESTION_FRAME_WORDS = frozenset({"name", "names", "named", "called"})


# Words that only say what kind of answer is wanted: "how long", "what year".
HOW_FRAME = re.compile(
    r"\bhow\s+(?:long|often|far|soon|big|old|fast|quickly)\b|\b(?:what|which)\s+(?:dates?|years?|days?|months?|time)\b"
    r"|\b(?P<keep>release|premiere|air)\s+date\b|^\W*(?:the\s+)?(?:number|count)\s+of\b",
    re.IGNORECASE,
)
# "What is the show about?" asks for the plot.
ABOUT_QUESTION = re.compile(r"\bwhat\b.*\babout\W*$", re.IGNORECASE)

_CAPITALISED = re.compile(r"[A-Z]")
_CONTINUES_NAME = re.compile(r"[A-Z#\d]")  # "Top 10", "Season 2" carry on a name


def answer_kind(question: str) -> Kind:
    """The kind of answer ``question`` expects, from its wording."""
    text = question.casefold().replace("’", "'")
    text = re.sub(r"\b(what|who|where|when|how|which)s\b", r"\1 is", text)  # casual "whats"
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return Kind.OTHER


@dataclass(frozen=True)
class Question:
    text: str
    terms: tuple[str, ...]  # unique search terms, in order
    words: tuple[str, ...]  # normalised words, stopwords kept (for phrase matching)
    kind: Kind
    entity_terms: tuple[tuple[str, ...], ...]  # terms of each named thing in the question
    content_words: frozenset[str]  # the words that are not stopwords
    counted: str | None = None  # the term of "how many <noun>"


def _capitalised_runs(question: str) -> list[str]:
    """Runs of capitalised words in a normally-cased question, its first word aside."""
    words = list(WORD_RE.finditer(question))
    caps = [bool(_CAPITALISED.match(m.group())) for m in words]
    if not words or sum(caps) > 0.6 * len(words):  # Title Case or ALL CAPS: no signal
        return []
    runs, current = [], []
    for i, (match, cap) in enumerate(zip(words, caps)):
        if i > 0 and (cap or (current and _CONTINUES_NAME.match(match.group()))):
            current.append(match.group())
        elif current:
            runs.append(" ".join(current))
            current = []
    if current:
        runs.append(" ".join(current))
    return runs


def parse_question(text: str, tokenizer: Tokenizer, entities: frozenset[tuple[str, ...]]) -> Question:
    """Analyse ``text``. ``entities`` are the corpus's multi-word names, as normalised words."""
    words = tuple(normalize_word(m.group()) for m in WORD_RE.finditer(text))
    frame = {tokenizer.term(w) for w in QUESTION_FRAME_WORDS}
    asked = HOW_FRAME.sub(lambda m: m.group("keep") or "how", text)  # "how long did it take": "long" is no topic
    terms = tuple(t for t in dict.fromkeys(tokenizer.terms(asked)) if t not in frame)
    found: list[str] = _capitalised_runs(text)
    for size in range(min(6, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if words[i : i + size] in entities:
                found.append(" ".join(words[i : i + size]))
    entity_terms = []
    for name in found:
        name_terms = tuple(dict.fromkeys(tokenizer.terms(name)))
        if name_terms and name_terms not in entity_terms:
            entity_terms.append(name_terms)
    if ABOUT_QUESTION.search(text) and "plot" not in terms:
        terms += ("plot",)
    content = frozenset(w for w in words if tokenizer.term(w) in terms)
    many = re.search(r"\b(?:how\s+many|number\s+of)\s+([^\W\d_][\w-]*)", text, re.IGNORECASE)
    counted = tokenizer.term(normalize_word(many.group(1))) if many else None
    return Question(text, terms, words, answer_kind(text), tuple(entity_terms), content, counted)
