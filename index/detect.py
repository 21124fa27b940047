"""Find things of each answer kind in a sentence: names, dates, numbers, ages, places, platforms, ...

Each detector returns character spans of the sentence. They are plain patterns
and lists; the ranker only uses them as evidence among others, never as a gate.
"""

from __future__ import annotations

import re
from enum import Enum
from functools import cache

from . import names
from .vocab import Lexicon, tv_lexicon


class Kind(Enum):
    """The kind of answer a question asks for."""

    PERSON = "person"
    DATE = "date"
    DURATION = "duration"
    NUMBER = "number"
    AGE = "age"
    RANK = "rank"  # a position in a chart or a list
    PLACE = "place"
    ORG = "org"  # a company, studio, network or streaming service
    REASON = "reason"
    QUOTE = "quote"  # what someone said
    NAME = "name"  # what something is called
    TITLE = "title"  # which show, film, book
    PLOT = "plot"
    GENRE = "genre"  # what kind of show: a comedy, a thriller
    YESNO = "yesno"
    OTHER = "other"


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
MONTH_RE = re.compile(rf"{_MONTHS}\.?", re.IGNORECASE)  # a month's name, whole: MONTH_RE.fullmatch("dec.")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)days?"
DATE_RE = re.compile(
    rf"\b{_MONTHS}\.?\s+{_DAY}(?:\s*,?\s*\d{{4}})?\b"  # Jan. 28, January 28th, 2022
    rf"|\b{_DAY}\s+(?:of\s+)?{_MONTHS}\b\.?(?:\s*,?\s*\d{{4}})?"  # 28 January 2022
    rf"|\b{_MONTHS}\.?\s+\d{{4}}\b"  # September 2021
    r"|\b(?:early|mid|late|spring|summer|fall|autumn|winter)[\s-]+(?:of\s+)?\d{4}\b"  # summer 2024
    r"|\b(?:19|20)\d{2}(?:-\d{2}-\d{2})?\b"  # 2009, 2022-02-04
    r"|\b(?:19|20)\d0s\b"  # the 1980s
    rf"|\b{_WEEKDAY}\b"  # airs Wednesdays
    r"|\b(?:this|next|last)\s+(?:year|month|week|spring|summer|fall|autumn|winter)\b"
    r"|\b(?:today|tomorrow|yesterday|tonight)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|dozen|dozens|hundreds|thousands|millions|"
    r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth)"
)
_SCALE = r"(?:\s*(?:million|billion|thousand|m|bn|k)\b)?"
_CURRENCY_SIGN = r"[$£€¥₩]"
NUMBER_RE = re.compile(
    rf"{_CURRENCY_SIGN}\s?\d[\d,.]*{_SCALE}|\b\d[\d,.]*%?{_SCALE}|\b{_NUMBER_WORDS}\b(?:[\s-]+{_NUMBER_WORDS}\b)*",
    re.IGNORECASE,
)
_CURRENCY_CODE = r"(?:usd|gbp|eur|jpy|krw|cad|aud)"
_CURRENCY = rf"(?:dollars?|bucks|pounds?|quid|euros?|yen|rupees?|yuan|{_CURRENCY_CODE})"
# An amount of money: "$20 million", "£10,000", "2.4bn euros", "30.3 billion yen", "USD 5m", "20 billion won"
# (not "won 24 Emmys", "season 2 won").
MONEY_RE = re.compile(
    rf"{_CURRENCY_SIGN}\s?\d|\b{_CURRENCY_CODE}\s?\d|\b\d[\d,.]*{_SCALE}\s*{_CURRENCY}\b"
    r"|\b\d[\d,.]*\s*(?:million|billion|trillion|bn)\s+won\b"
    rf"|\b{_NUMBER_WORDS}(?:[\s-]+{_NUMBER_WORDS})*\s+{_CURRENCY}\b",
    re.IGNORECASE,
)
_UNITS = r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|decades?|seasons?|episodes?)"
DURATION_RE = re.compile(
    rf"(?:\b\d[\d,.]*|\b{_NUMBER_WORDS}|\ban?|\bhalf\s+an?|\ba\s+few|\bseveral|\bover\s+a|\bnearly\s+a)"
    rf"(?:[\s-]+(?:and\s+a\s+half\s+|\w+[\s-]+)?){_UNITS}\b"
    rf"|\b(?:19|20)\d{{2}}\s*(?:-|–|to|and|until)\s*(?:19|20)?\d{{2}}\b",
    re.IGNORECASE,
)
_AGE_NUMBER = rf"(?:\d{{1,3}}|{_NUMBER_WORDS}(?:[\s-]+{_NUMBER_WORDS})?)"  # 32, nine, thirty-two
AGE_RE = re.compile(
    rf"\b{_AGE_NUMBER}[\s-]+(?-i:years?[\s-]+old)\b|\baged?\s+(?:of\s+)?{_AGE_NUMBER}\b"
    rf"|\bat\s+(?:the\s+)?age\s+(?:of\s+)?{_AGE_NUMBER}\b|\bturn(?:s|ed|ing)?\s+\d{{1,3}}\b"
    r"|\b\d{1,3}(?:st|nd|rd|th)\s+birthday\b"
    r"|^\W*at\s+\d{2}(?=,)"  # "At 52, Taylor Sheridan has become ..." (a sentence's opening)
    r"|(?<=, )\d{1,2}(?=,)|\(\d{1,2}[),]|\b(?:born|birthday)\b[^.;]{0,40}?\b(?:19|20)\d{2}\b"
    r"|\b(?:teen(?:age|ager)?s?|in\s+(?:his|her|their)\s+(?:twenties|thirties|forties|fifties|sixties))\b",
    re.IGNORECASE,
)
RANK_RE = re.compile(
    r"\bno\.?\s*\d+\b|#\s?\d+\b|\bnumber\s+(?:one|two|three|\d+)\b|\btop[\s-](?:\d+|ten|five|three|spot|position)\b"
    r"|\b(?:first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))[\s-]+(?:place|spot|position|most|biggest|highest)\b"
    r"|\b(?:topped|tops|topping|ranked|ranks|ranking|peaked|led|leads|leading|dethroned|second\s+only)\b"
    r"|\b(?:most|biggest|highest|best|largest)[\s-]\w+",
    re.IGNORECASE,
)
# Connectives that give a reason (not nouns like "reason", which only announce one).
REASON_RE = re.compile(
    r"\b(?:because|since|due to|in order to|so that|so as to|to portray|to show|to depict|to explore|"
    r"was done to|caused by|that's why|this is why|which is why|thanks to|as a result of|stems from|"
    r"owing to|after\s+\w+ing|following|amid|inspired by|wanted to|the reason)\b",
    re.IGNORECASE,
)
SPEECH_RE = re.compile(r"[“\"‘]([^”\"’]*?\s[^”\"’]*?\s[^”\"’]*?)(?:[”\"’]|$)|\b(?:said|says|told|explained|added)\b")
PLOT_RE = re.compile(
    r"\b(?:follows?|following|centers?|centres?|centered|centred|revolves?|tells?\s+the\s+story|story\s+of|about\s+a|"
    r"about\s+the|depicts?|chronicles?|set\s+in|takes?\s+place|focus(?:es)?\s+on|explores?|finds?\s+(?:himself|"
    r"herself|themselves)|who\s+(?:must|discovers?|becomes?|tries|try))\b",
    re.IGNORECASE,
)
YESNO_RE = re.compile(
    r"\b(?:confirmed|officially|renewed|cancell?ed|announced|will\s+(?:return|be\s+back)|not\s+(?:yet|been)|"
    r"no\s+(?:plans|word|news)|yes|no)\b",
    re.IGNORECASE,
)
_ORG_SUFFIX = (
    r"(?:Studios?|Pictures|Entertainment|Productions?|Media|Films?|Company|Corporation|Networks?|Group|"
    r"Broadcasting|Television|TV|Animation|Games|Records|Inc\.?|Ltd\.?|LLC)"
)
ORG_RE = re.compile(rf"\b(?:[A-Z][\w&'’-]*\s+)*{_ORG_SUFFIX}\b|\b(?!USA\b|UK\b|US\b|TV\b)[A-Z]{{2,5}}[a-z+]?(?=\W|$)")

PLACES = frozenset(
    [
        "afghanistan",
        "albania",
        "algeria",
        "andorra",
        "angola",
        "argentina",
        "armenia",
        "australia",
        "austria",
        "azerbaijan",
        "bahamas",
        "bahrain",
        "bangladesh",
        "barbados",
        "belarus",
        "belgium",
        "belize",
        "benin",
        "bhutan",
        "bolivia",
        "bosnia",
        "botswana",
        "brazil",
        "brunei",
        "bulgaria",
        "burundi",
        "cambodia",
        "cameroon",
        "canada",
        "chad",
        "chile",
        "china",
        "colombia",
        "congo",
        "croatia",
        "cuba",
        "cyprus",
        "czechia",
        "czech",
        "denmark",
        "djibouti",
        "dominica",
        "ecuador",
        "egypt",
        "eritrea",
        "estonia",
        "eswatini",
        "ethiopia",
        "fiji",
        "finland",
        "france",
        "gabon",
        "gambia",
        "georgia",
        "germany",
        "ghana",
        "greece",
        "grenada",
        "guatemala",
        "guinea",
        "guyana",
        "haiti",
        "honduras",
        "hungary",
        "iceland",
        "india",
        "indonesia",
        "iran",
        "iraq",
        "ireland",
        "israel",
        "italy",
        "jamaica",
        "japan",
        "jordan",
        "kazakhstan",
        "kenya",
        "kiribati",
        "korea",
        "kosovo",
        "kuwait",
        "kyrgyzstan",
        "laos",
        "latvia",
        "lebanon",
        "lesotho",
        "liberia",
        "libya",
        "liechtenstein",
        "lithuania",
        "luxembourg",
        "madagascar",
        "malawi",
        "malaysia",
        "maldives",
        "mali",
        "malta",
        "mauritania",
        "mauritius",
        "mexico",
        "micronesia",
        "moldova",
        "monaco",
        "mongolia",
        "montenegro",
        "morocco",
        "mozambique",
        "myanmar",
        "namibia",
        "nauru",
        "nepal",
        "netherlands",
        "nicaragua",
        "niger",
        "nigeria",
        "norway",
        "oman",
        "pakistan",
        "palau",
        "palestine",
        "panama",
        "paraguay",
        "peru",
        "philippines",
        "poland",
        "portugal",
        "qatar",
        "romania",
        "russia",
        "rwanda",
        "samoa",
        "senegal",
        "serbia",
        "seychelles",
        "singapore",
        "slovakia",
        "slovenia",
        "somalia",
        "spain",
        "sudan",
        "suriname",
        "sweden",
        "switzerland",
        "syria",
        "taiwan",
        "tajikistan",
        "tanzania",
        "thailand",
        "togo",
        "tonga",
        "tunisia",
        "turkey",
        "turkmenistan",
        "tuvalu",
        "uganda",
        "ukraine",
        "uruguay",
        "uzbekistan",
        "vanuatu",
        "vatican",
        "venezuela",
        "vietnam",
        "yemen",
        "zambia",
        "zimbabwe",
        "america",
        "u.s",
        "u.s.a",
        "usa",
        "uk",
        "u.k",
        "britain",
        "england",
        "scotland",
        "wales",
        "europe",
        "asia",
        "africa",
        "oceania",
        "hollywood",
        "alabama",
        "alaska",
        "arizona",
        "arkansas",
        "california",
        "colorado",
        "connecticut",
        "delaware",
        "florida",
        "hawaii",
        "idaho",
        "illinois",
        "indiana",
        "iowa",
        "kansas",
        "kentucky",
        "louisiana",
        "maine",
        "maryland",
        "massachusetts",
        "michigan",
        "minnesota",
        "mississippi",
        "missouri",
        "montana",
        "nebraska",
        "nevada",
        "ohio",
        "oklahoma",
        "oregon",
        "pennsylvania",
        "tennessee",
        "texas",
        "utah",
        "vermont",
        "virginia",
        "washington",
        "wisconsin",
        "wyoming",
        "ontario",
        "quebec",
        "bavaria",
        "andalusia",
        "catalonia",
        "london",
        "paris",
        "berlin",
        "madrid",
        "rome",
        "tokyo",
        "osaka",
        "kyoto",
        "seoul",
        "busan",
        "incheon",
        "jeju",
        "beijing",
        "shanghai",
        "hong",
        "kong",
        "mumbai",
        "delhi",
        "sydney",
        "melbourne",
        "toronto",
        "vancouver",
        "montreal",
        "chicago",
        "boston",
        "atlanta",
        "miami",
        "dallas",
        "houston",
        "seattle",
        "portland",
        "denver",
        "detroit",
        "philadelphia",
        "manhattan",
        "brooklyn",
        "queens",
        "bronx",
        "jersey",
        "los",
        "angeles",
        "san",
        "francisco",
        "diego",
        "vegas",
        "orleans",
        "nashville",
        "austin",
        "phoenix",
        "dublin",
        "belfast",
        "edinburgh",
        "glasgow",
        "manchester",
        "liverpool",
        "birmingham",
        "leeds",
        "bristol",
        "cardiff",
        "oxford",
        "cambridge",
        "barcelona",
        "lisbon",
        "amsterdam",
        "brussels",
        "vienna",
        "prague",
        "budapest",
        "warsaw",
        "stockholm",
        "oslo",
        "copenhagen",
        "helsinki",
        "moscow",
        "istanbul",
        "cairo",
        "dubai",
        "bangkok",
        "manila",
        "jakarta",
        "singapore",
        "taipei",
        "auckland",
        "wellington",
        "mexico",
        "bogota",
        "lima",
        "santiago",
        "buenos",
        "aires",
        "rio",
        "janeiro",
    ]
)


@cache
def _place_re() -> re.Pattern[str]:
    """Places by name, or capitalised words after "in", "at", "near"... (compiled on first need)."""
    return re.compile(
        r"\b(?:" + _one_of(tuple(PLACES)) + r")\b\.?"
        r"|\b(?:in|at|near|outside|across|around)\s+((?:[A-Z][\w'’-]+(?:\s+|,\s*)?){1,4})",
        re.IGNORECASE,
    )


def _one_of(words: tuple[str, ...], spaced: bool = False) -> str:
    """A regex alternation of ``words``, longest first (any run of spaces where a word has one, when ``spaced``);
    an empty list matches nothing, not the empty string."""
    escaped = (re.escape(w).replace(r"\ ", r"\s+") if spaced else re.escape(w) for w in words)
    return "|".join(sorted(escaped, key=len, reverse=True)) or r"(?!)"


@cache
def _platform_re(platforms: tuple[str, ...]) -> re.Pattern[str]:
    """Platforms and networks by name, as written (compiled once per list)."""
    return re.compile(r"(?<![\w])(?:" + _one_of(platforms) + r")(?![\w])")


_GENRE_CASE = re.compile(r"(?:[KJ]-)?[^A-Z]+")  # written in lower case ("K-drama" too)


@cache
def _genre_re(genres: tuple[str, ...]) -> re.Pattern[str]:
    """Genre words (``[answers] genres``), whole, in any case (compiled once per list)."""
    return re.compile(r"(?<![\w-])(?:" + _one_of(genres, spaced=True) + r")(?![\w-])", re.IGNORECASE)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _outside(spans: list[tuple[int, int]], blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [s for s in spans if not any(s[0] < b[1] and b[0] < s[1] for b in blocked)]


def _places(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _place_re().finditer(text):
        if m.group(1):  # "in Belfast", "at Welford Park": the capitalised words only
            if m.group(1)[0].isupper():
                out.append(m.span(1))
        else:
            out.append(m.span())
    return out


def find(kind: Kind, text: str, lexicon: Lexicon | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` that could answer a question of this kind.

    ``lexicon`` gives the platform and genre lists (``[answers]``): a show's own ``lexicon.toml`` adds to the
    TV vocabulary's, which is the default.
    """
    answers = (lexicon or tv_lexicon()).answers
    if kind is Kind.DATE:
        return _spans(DATE_RE, text)
    if kind is Kind.DURATION:
        return _spans(DURATION_RE, text)
    if kind is Kind.NUMBER:
        return _outside(_spans(NUMBER_RE, text), _spans(DATE_RE, text))
    if kind is Kind.AGE:
        return _spans(AGE_RE, text)
    if kind is Kind.RANK:
        return _spans(RANK_RE, text)
    if kind is Kind.PERSON:
        return names.people(text)
    if kind is Kind.PLACE:
        return _places(text)
    if kind is Kind.ORG:
        return _spans(_platform_re(answers.get("platforms", ())), text) + _spans(ORG_RE, text)
    if kind is Kind.REASON:
        return _spans(REASON_RE, text)
    if kind is Kind.QUOTE:
        return _spans(SPEECH_RE, text)
    if kind is Kind.PLOT:
        return _spans(PLOT_RE, text)
    if kind is Kind.GENRE:
        # a genre is a common noun: "Outstanding Drama Series" and "Best Fantasy Anime" are awards, not genres
        return [
            (a, b) for a, b in _spans(_genre_re(answers.get("genres", ())), text) if _GENRE_CASE.fullmatch(text[a:b])
        ]
    if kind is Kind.YESNO:
        return _spans(YESNO_RE, text)
    if kind in (Kind.TITLE, Kind.NAME):
        return names.titles(text) + [s for s in names.people(text)]
    return []
