"""What a question asks for: its words as the articles would write them, the kind of answer, its named things.

A fan's question goes through these steps (``read_question``):

1. ``clean_question``: control characters and stacked combining marks dropped, spaces squeezed.
2. ``expand_chat``: chat spellings and shorthand written out ("rn", "s2", "ep5", "whats").
3. ``Vocabulary.correct`` (index/build.py): words no article has are corrected against the
   articles' own words ("showruner" -> "showrunner"), and the articles' titles are
   recognised by their initials ("tlou").
4. ``answer_kind``: who / when / how many / how old / where can I watch ...
5. named things: capitalised runs in a normally-cased question, and the articles'
   multi-word names found in it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cached_property

from .detect import Kind
from .english import CHAT, SHORTHAND_RE, STOPWORDS
from .tokens import WORD_RE, Tokenizer, name_key, normalize_word

MIN_NAME_KEY = 6  # a name typed run together ("parkjihoo") is matched from this many letters on
MAX_COMBINING = 2  # combining marks kept per character; more is "zalgo" text

_ROLE = (
    r"(?:director|directors|actor|actors|actress|actresses|writer|writers|screenwriter|creator|creators|author|person|"
    r"people|cast\s+member|star|stars|producer|producers|showrunner|host|hosts|presenter|presenters|judge|judges|"
    r"winner|composer|narrator|voice|villain|guy|girl|woman|man|lead|contestant|contestants|participant|"
    r"participants)"
)
_PLACE = r"(?:country|countries|city|cities|place|places|nation|nations|region|regions|location|locations|state|town)"
_TIME = r"(?:year|date|day|month|time|week)"  # not "season": "which season won" asks for a season
_ORG = (
    r"(?:compan(?:y|ies)|studios?|networks?|production\s+house|distributors?|channels?|broadcasters?|platforms?|"
    r"streamers?|streaming\s+(?:service|platform|site)|services?|app|website|site)"
)
_WORK = r"(?:show|shows|series|film|films|movie|movies|book|books|novel|novels|manga|anime|webtoon|comic|drama|dramas)"
_NO_QUESTION_WORD = r"^(?!.*\b(?:what|which|when|where|why|how|who|whose)\b)"
KIND_PATTERNS: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (Kind.AGE, r"\bhow\s+old\b|\bwhat\s+age\b|\bage\s+(?:of|is)\b|\byears?\s+old\b|^\W*age\b"),
        (
            Kind.GENRE,  # "what genre is it", "what kind of show is it": not "what kind of car does he drive"
            rf"\bgenres?\b|\b(?:what|which)\s+(?:kind|type|sort)s?\s+of\s+(?:a\s+|an\s+)?(?:tv\s+)?{_WORK}\b",
        ),
        (
            Kind.ORG,
            (
                r"\bwhere\b.*\b(?:watch|stream|streaming|see\s+it|available)\b"
                r"|^\W*what(?:\s+is|'s)?\s+(?:it|the\s+show|this|the\s+series)\s+(?:on|streaming\s+on)\W*$"
            ),
        ),
        (
            Kind.RANK,  # "where did it rank", "what place did it finish": not "where does it take place", nor "the
            # place where", "what kind of place", "in the first place", "The Good Place"
            (
                r"\b(?:where|how\s+high|what)\b.*\b(?:rank|ranked|ranking|chart|charts|position|spot)\b"
                r"|\bwhat\s+place\s+(?:did|does|do|is|was|will|has)\b(?!.*\b(?:use|used|hit|visit|visited|go|went)\b)"
                r"|\bwhere\b.*\b(?:did|does|do|will|would)\s+(?:[\w'-]+\s+){0,4}"
                r"(?<!take\s)(?<!takes\s)(?<!took\s)(?<!taking\s)(?<!taken\s)place\b"
                r"|\b(?:finish|finished|finishing|came|come|comes|placed?)\s+(?:in\s+)?(?:\w+\s+)?place\b"
            ),
        ),
        (Kind.OTHER, r"^\W*who(?:\s+is|\s+was|'s)\s+(?!the\b|a\b|an\b)[\w.-]+(?:\s+[\w.-]+)?\W*$"),  # who is Dr. Lee?
        (Kind.REASON, r"\bwhy\b|\bhow\s+come\b|\bwhat\b.*\breason\b|\bwhat\s+(?:caused|made)\b"),
        (Kind.QUOTE, r"\bwhat\s+(?:did|does|do|has|have|had)\b.*\b(?:say|said|tell|told|think|reveal|share|mean)\b"),
        (Kind.ORG, rf"\b(?:which|what)\s+(?:\w+\s+)?{_ORG}\b"),
        (Kind.PLOT, r"\bwhat\b.*\babout\W*$|\bwhat\s+happens\b|\b(?:plot|premise|storyline|synopsis)\b"),
        (
            Kind.NAME,
            r"^(?!\W*who\b).*\b(?:what|which)\b.*\b(?:name|called|named|titled|entitled)\b|^\W*(?:the\s+)?name\s+of\b",
        ),
        (Kind.PERSON, rf"\b(?:who|whom|whose)\b|\b(?:which|what)\s+(?:(?:season|series)\s+\w+\s+|\w+\s+)?{_ROLE}\b"),
        (Kind.TITLE, rf"\b(?:which|what)\s+(?:other\s+|\w+\s+)?{_WORK}\b"),
        (
            Kind.DURATION,
            r"\bhow\s+(?:long\b(?!\s+ago)|fast\b|quickly\b|soon\b)|\bhow\s+many\s+(?:years|months|weeks|days|hours|minutes)\b",
        ),
        (Kind.DATE, rf"\bwhen\b|\b(?:which|what)\s+{_TIME}s?\b|\bhow\s+long\s+ago\b|\bwhat\s+time\b"),
        (Kind.NUMBER, r"\bhow\s+(?:many|much)\b|\bwhat\s+(?:number|percentage|amount|score|rating)\b"),
        (Kind.PLACE, rf"\bwhere\b|\b(?:which|what)\s+{_PLACE}\b"),
        (Kind.YESNO, r"^\W*(?:is|are|was|were|will|did|does|do|has|have|had|can|could|would|should)\b"),
        (Kind.OTHER, r"\bhow\s+did\b.*\b(?:start|begin|happen|originate)\b"),
    )
)
# A question without a question word ("severance s2 release date", "director?") asks for the kind
# named by its last keyword.
KEYWORD_KINDS: tuple[tuple[Kind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern))
    for kind, pattern in (
        (Kind.ORG, rf"\b{_ORG}\b"),
        (Kind.GENRE, r"\bgenres?\b"),
        (Kind.PERSON, rf"\b(?:{_ROLE}|cast|actors?|winners?)\b"),
        (Kind.NAME, r"\b(?:name|called|title)\b"),
        (Kind.DATE, r"\b(?:date|dates|year|years|release|premiere|air\s+time|when|day)\b"),
        (
            Kind.NUMBER,
            r"\b(?:number|count|budget|ratings?|viewers|viewership|score|figures?|hours|minutes|views|total)\b",
        ),
        (Kind.PLACE, r"\b(?:location|locations|setting|filmed|shot|where|country|city)\b"),
        (Kind.AGE, r"\bage\b"),
        (Kind.PLOT, r"\b(?:plot|premise|synopsis|storyline)\b"),
        (Kind.REASON, r"\b(?:reason|why)\b"),
        (Kind.DURATION, r"\b(?:runtime|length|duration)\b"),
    )
)
_QUESTION_WORD = re.compile(r"\b(?:what|which|when|where|why|how|who|whose|whom)\b")


def clean_question(raw: str | None, limit: int) -> str:
    """``raw`` with control and invisible characters and stacked combining marks dropped, spaces squeezed, cut."""
    out: list[str] = []
    marks = 0
    for c in raw or "":
        category = unicodedata.category(c)
        if category[0] == "C":
            out.append(" ")
            marks = 0
        elif category[0] == "M":
            marks += 1
            if marks <= MAX_COMBINING:
                out.append(c)
        else:
            out.append(c)
            marks = 0
    return " ".join("".join(out).split())[:limit].rstrip()


_CHAT_TOKEN = re.compile(r"[\w/'’+-]+")


def expand_chat(text: str, names: frozenset[str] = frozenset()) -> str:
    """Chat spellings and season/episode shorthand written out: "wen is s2 out rn" -> "when is season 2 out right now".

    ``names``: chat spellings that the articles write as a name, left as they are ("JP" is a character, not
    "Japanese"; "YR" the show, not "year"; "E4" a channel, not episode 4)."""

    def one(match: re.Match[str]) -> str:
        word = match.group()
        if "&" in (text[match.start() - 1 : match.start()], text[match.end() : match.end() + 1]):
            return word  # a letter of initials ("r&m"), not chat's "r" for "are"
        key = word.casefold().replace("’", "'")
        short = SHORTHAND_RE.match(key)
        if short and key not in names:
            season = short.group("season") or short.group("season_only")
            episode = short.group("episode") or short.group("episode_only")
            parts = ([f"season {int(season)}"] if season else []) + ([f"episode {int(episode)}"] if episode else [])
            return " ".join(parts)
        if key in CHAT and key not in names:
            return CHAT[key]
        if key.endswith("'s") and key[:-2] in CHAT and key[:-2] not in names:
            return CHAT[key[:-2]] + word[-2:]
        return word

    return _CHAT_TOKEN.sub(one, text)


# "when" after another question word starts a clause, not the question: "what did she say when she won"
_WHEN_CLAUSE = re.compile(r"(?<=\S)\s+when\b.*$")
_ASKED_BEFORE_WHEN = re.compile(r"\b(?:what|which|where|how|why)\b.*\bwhen\b")  # "who ... when" stays a person
# "who" after a word is a relative pronoun when another question word asks: "what did the guy who played him die of",
# "how many awards has Doctor Who won"
_ASKED_BEFORE_WHO = re.compile(r"^\W*(?:[\w'-]+\s+){0,3}(?:what|which|where|when|why|how)\b")
_RELATIVE_WHO = re.compile(r"(?<=[\w'])\s+(?:who|whom|whose)\b")
# ... and a leading "when" clause too: "when adam scott signed on, how was his character pitched"
_LEADING_WHEN = re.compile(r"^\W*when\b[^,?]*,\s*(?=(?:what|which|where|how|who|whom|whose|why)\b)")


def answer_kind(question: str) -> Kind:
    """The kind of answer ``question`` expects, from its wording."""
    text = question.casefold().replace("’", "'")
    text = re.sub(r"\b(what|who|where|when|how|which)'?s\b", r"\1 is", text)  # casual "whats"
    text = _LEADING_WHEN.sub("", text)
    if _ASKED_BEFORE_WHEN.search(text):
        text = _WHEN_CLAUSE.sub("", text)
    if _ASKED_BEFORE_WHO.match(text):
        text = _RELATIVE_WHO.sub(" that", text)
    if not _QUESTION_WORD.search(text):
        last = max(
            ((m.start(), kind) for kind, pattern in KEYWORD_KINDS for m in pattern.finditer(text)),
            default=None,
            key=lambda hit: hit[0],
        )
        if last is not None:
            return last[1]
    if _AUX_FIRST.match(text) and not _ASKS_INSIDE.search(text):
        return Kind.YESNO  # "can someone who never played the game follow it": "who" asks nothing here
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(text):
            return kind
    return Kind.OTHER


_AUX_FIRST = re.compile(r"^\W*(?:is|are|was|were|will|did|does|do|has|have|had|can|could|would|should)\b")
# ... unless it asks its question inside: "does anyone know who directed it", "is it known how many eps there are"
_ASKS_INSIDE = re.compile(
    r"\b(?:know|knows|known|remember|tell\s+(?:me|us)|wonder|wondering|sure|idea|say|said|reveal|revealed)\s+"
    r"(?:who|whom|whose|what|when|where|which|why|how)\b|\bhow\s+(?:old|many|much|long)\b"
)


# A question about money ("how much did it cost", "budget per episode", "how much was he paid"): its answer is an amount.
MONEY_QUESTION = re.compile(
    r"\b(?:cost|costs|costing|budget|budgets|paid|pay|pays|paying|salary|salaries|earn|earns|earned|earnings|"
    r"gross|grossed|grosses|box\s+office|prize\s+money|price|priced|worth|fee|fees|revenue|money|cash|dollars?|"
    r"pounds|euros?|yen)\b",
    re.IGNORECASE,
)


_WHAT_AMOUNT = re.compile(
    r"\bwhat(?:'s|s|\s+(?:is|was|were|are))\s+(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?:\w+\s+)?"
    r"(?:budget|cost|price|salary|fee|revenue|gross|earnings|prize\s+money)s?\b",
    re.IGNORECASE,
)


def asks_money(question: Question, named: Callable[[str], bool]) -> bool:
    """Whether ``question`` asks for an amount of money: "how much did it cost", "budget per episode".

    ``named``: whether a word belongs to a named thing of the question ("Money Heist" asks no money).
    """
    if not any(not named(m.group()) for m in MONEY_QUESTION.finditer(question.normalized)):
        return False
    kind = question.kind
    if kind is Kind.OTHER and _WHAT_AMOUNT.search(question.normalized):
        return True  # "what was the budget per episode", "whats his salary"
    return kind is Kind.NUMBER or (kind is Kind.OTHER and not _QUESTION_WORD.search(question.normalized.casefold()))


# Words that frame a question rather than say what it is about: "how long", "what year", "name".
HOW_FRAME = re.compile(
    r"\bhow\s+(?:long|often|far|soon|big|fast|quickly)\b|\b(?:what|which)\s+(?:dates?|years?|days?|months?|time)\b"
    r"|\b(?:what|which)\s+(?:is\s+)?(?:the\s+)?(?:name|title)\s+of\b|\bcalled\b|\bnamed\b|^\W*(?:the\s+)?(?:number|count)\s+of\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"[A-Z]")
# Words that Title Case leaves in lower case
_TITLE_CASE_SMALL = frozenset(
    {"a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "of", "on", "at", "to", "by", "in", "up"}
    | {"as", "vs", "via", "per", "off", "out", "into", "onto", "from", "with"}
)
_CONTINUES_NAME = re.compile(r"[A-Z#\d]")  # "Top 10", "Season 2" carry on a name


@dataclass(frozen=True)
class Question:
    """A question as the engine reads it."""

    text: str  # as asked (cleaned)
    normalized: str  # chat spellings written out, spelling corrected
    terms: tuple[str, ...]  # unique search terms, in order
    words: tuple[str, ...]  # normalised words, stopwords kept (for phrase matching)
    kind: Kind
    entity_terms: tuple[tuple[str, ...], ...]  # terms of each named thing in the question
    content_words: frozenset[str]  # the words that are not stopwords
    counted: str | None = None  # the term of "how many <noun>"
    corrections: dict[str, str] = field(default_factory=dict)  # word -> corrected word
    capitalised: tuple[tuple[str, ...], ...] = ()  # terms of names the asker capitalised ("Squid Game")
    capitalised_words: tuple[tuple[str, ...], ...] = ()  # ... and their words, as written (lower case)
    # a term met by any of these terms: "genre" by the genre words the articles use ("thriller", "sitcom")
    stand_ins: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def with_stand_ins(self, terms: Iterable[str]) -> tuple[str, ...]:
        """``terms``, each followed by its stand-ins, without repeats."""
        return tuple(dict.fromkeys(t for term in terms for t in (term, *self.stand_ins.get(term, ()))))

    @property
    def search_terms(self) -> tuple[str, ...]:
        """Its terms, each with its stand-ins: what the index is searched for."""
        return self.with_stand_ins(self.terms)

    def met(self, terms: AbstractSet[str]) -> AbstractSet[str]:
        """``terms`` (a sentence's), with each question term that one of them stands in for."""
        if not self.stand_ins:
            return terms
        return set(terms) | {term for term, ins in self.stand_ins.items() if not terms.isdisjoint(ins)}

    @cached_property
    def own_words(self) -> frozenset[str]:
        """Its words, "carmys" also read as "carmy": fans type a possessive without its apostrophe."""
        bare = {w[:-1] for w in self.words if len(w) > 3 and w.endswith("s") and not w.endswith("ss")}
        return frozenset(self.words) | bare


def capitalised_runs(question: str) -> list[str]:
    """Runs of capitalised words in a normally-cased question, its first word aside.

    A question in Title Case or ALL CAPS gives no signal. Title Case capitalises every word but
    short function words ("Who Won at the Oscars"); "How old is Mollie Pearce" is not in it.
    """
    words = list(WORD_RE.finditer(question))
    caps = [bool(_CAPITALISED.match(m.group())) for m in words]
    rest = [(m.group(), cap) for m, cap in zip(words[1:], caps[1:]) if not m.group().isdigit()]
    longer = [cap for word, cap in rest if len(word) > 3]
    title_case = all(cap or word.casefold() in _TITLE_CASE_SMALL for word, cap in rest)
    if not words or (title_case and longer and all(longer)) or question.isupper():
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
    return [r for r in runs if r.casefold() not in STOPWORDS]


def parse_question(
    text: str,
    normalized: str,
    tokenizer: Tokenizer,
    entities: frozenset[tuple[str, ...]],
    corrections: dict[str, str],
    entity_keys: Mapping[str, tuple[str, ...]] | None = None,
    chat_names: frozenset[str] = frozenset(),
) -> Question:
    """Analyse a cleaned question ``text`` whose chat spellings and typos were fixed in ``normalized``.

    ``entities``: the articles' multi-word names; ``entity_keys``: the same by ``name_key``, so a
    name typed with other separators ("park ji hoo" for "Park Ji-hoo") is found too; ``chat_names``:
    as ``expand_chat``'s ``names``.
    """
    entity_keys = entity_keys or {}
    words = tuple(normalize_word(m.group()) for m in WORD_RE.finditer(normalized))
    asked = HOW_FRAME.sub(" how ", normalized)  # "how long did it take": "long" is no topic
    terms = tuple(dict.fromkeys(tokenizer.terms(asked)))
    found: list[str] = []
    for size in range(min(8, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            window = words[i : i + size]
            if size > 1 and window in entities:
                found.append(" ".join(window))
            elif len(key := name_key(window)) >= MIN_NAME_KEY and key in entity_keys:
                found.append(" ".join(window))  # "park ji hoo", "parkjihoo" for "Park Ji-hoo"
    capitalised, capitalised_words = [], []
    for run in capitalised_runs(text):
        fixed = " ".join(corrections.get(w.lower(), w) for w in expand_chat(run, chat_names).split())
        run_terms = tuple(dict.fromkeys(tokenizer.terms(fixed)))
        if run_terms:
            capitalised.append(run_terms)
            capitalised_words.append(tuple(normalize_word(m.group()) for m in WORD_RE.finditer(fixed)))
            found.append(fixed)  # as corrected: "Zebra Nighs" is the articles' "Zebra Nights", not a second name
    entity_terms: list[tuple[str, ...]] = []
    for name in found:
        name_terms = tuple(dict.fromkeys(tokenizer.terms(name)))
        if name_terms and name_terms not in entity_terms:
            entity_terms.append(name_terms)
    content = frozenset(w for w in words if tokenizer.term(w) in terms)
    many = re.search(r"\b(?:how\s+many|number\s+of)\s+([^\W\d_][\w-]*)", normalized, re.IGNORECASE)
    counted = tokenizer.term(normalize_word(many.group(1))) if many else None
    kind = answer_kind(normalized)
    return Question(
        text,
        normalized,
        terms,
        words,
        kind,
        tuple(entity_terms),
        content,
        counted,
        corrections,
        tuple(capitalised),
        tuple(capitalised_words),
    )
