"""Find things of each answer kind in a sentence: names, dates, numbers, places, reasons.

Each detector returns character spans of the sentence. They are deliberately
plain patterns; the ranking only uses them as one signal among several.
"""

from __future__ import annotations

import re

from .question import Kind
from .tokens import STOPWORDS

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE_RE = re.compile(
    rf"\b{_MONTHS}\.?\s+{_DAY}(?:\s*,?\s*\d{{4}})?\b"  # Jan. 28, January 28th, 2022
    rf"|\b{_DAY}\s+{_MONTHS}\b\.?(?:\s*,?\s*\d{{4}})?"  # 28 January 2022
    rf"|\b{_MONTHS}\.?\s+\d{{4}}\b"  # September 2021
    r"|\b(?:19|20)\d{2}(?:-\d{2}-\d{2})?\b"  # 2009, 2022-02-04
    r"|\b\d{1,2}(?:st|nd|rd|th)\b"  # the 28th
    r"|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|thousand|million|billion|dozen|dozens|hundreds|thousands|millions)"
)
NUMBER_RE = re.compile(rf"\b\d[\d,.]*\b(?:\s+(?:million|billion|thousand))?|\b{_NUMBER_WORDS}\b", re.IGNORECASE)
DURATION_RE = re.compile(
    rf"(?:\b\d[\d,.]*|\b{_NUMBER_WORDS}|\ba\s+few|\bseveral)\s+(?:\w+\s+)?"
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?)\b",
    re.IGNORECASE,
)
# Connectives that give a reason (not nouns like "reason", which only announce one).
REASON_RE = re.compile(
    r"\b(?:because|since|due to|in order to|so that|so as to|to portray|to show|to depict|"
    r"was done to|caused by|that's why|this is why|thanks to|as a result of|stems from)\b",
    re.IGNORECASE,
)
SPEECH_RE = re.compile(r"[“\"‘]([^”\"’]*?\s[^”\"’]*?\s[^”\"’]*?)(?:[”\"’]|$)")
_NAME_WORD = r"(?:[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?|[A-Z]{2,3}\b)"
NAME_RE = re.compile(rf"\b{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,2}}")
# Capitalised words that begin no person's name.
NOT_NAME = frozenset(
    """the a an this that it its in on at of for and but as after before when while netflix korean
    korea south north east west season episode series top daily global january february march april
    may june july august september october november december monday tuesday wednesday thursday
    friday saturday sunday according however also film show drama united states kingdom""".split()
)
TITLE_RE = re.compile(
    r"[“\"‘']([^”\"’']{2,80})[”\"’']|(?:\b[A-Z][\w’'-]*)(?:\s+(?:of|at|to|the|and|in|on|for|a|are|us)?\s*[A-Z][\w’'-]*)+"
)

ORG_RE = re.compile(
    r"\b(?:[A-Z][\w&-]*\s+)*(?:Studios?|Pictures|Entertainment|Productions?|Media|Films?|Company|"
    r"Corporation|Networks?|Group|Broadcasting)\b|\b(?!USA\b)[A-Z]{3,5}[a-z]?\b"
)

PLACES = frozenset(
    """afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan
    bahamas bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana
    brazil brunei bulgaria burundi cambodia cameroon canada chad chile china colombia congo croatia
    cuba cyprus czechia czech denmark djibouti dominica ecuador egypt eritrea estonia eswatini
    ethiopia fiji finland france gabon gambia georgia germany ghana greece grenada guatemala guinea
    guyana haiti honduras hungary iceland india indonesia iran iraq ireland israel italy jamaica
    japan jordan kazakhstan kenya kiribati korea kosovo kuwait kyrgyzstan laos latvia lebanon lesotho
    liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta
    mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique
    myanmar namibia nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau
    palestine panama paraguay peru philippines poland portugal qatar romania russia rwanda samoa
    senegal serbia seychelles singapore slovakia slovenia somalia spain sudan suriname sweden
    switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey turkmenistan
    tuvalu uganda ukraine uruguay uzbekistan vanuatu vatican venezuela vietnam yemen zambia zimbabwe
    america u.s u.s.a usa uk u.k britain england scotland wales europe asia africa oceania hollywood
    seoul busan incheon jeju tokyo beijing shanghai london paris berlin hong kong""".split()
)
PLACE_RE = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(p) for p in PLACES), key=len, reverse=True)) + r")\b\.?",
    re.IGNORECASE,
)


_NAMED = r"(?:[“\"‘'][^”\"’']{2,80}[”\"’']|[A-Z][\w’'-]*(?:\s+(?:of|at|to|the|in|on|for|a|are|us)?\s*[A-Z][\w’'-]*)*)"
_NAMING_CUE = r"\s*(?:,|\(|\bcalled\b|\bnamed\b|\bknown\s+as\b|\btitled\b|\bdubbed\b)?\s*"


def named_after(text: str, words: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Names given right after one of ``words`` written in lower case: "the virus (Jonas Virus)"."""
    out = []
    for _, end in words:
        match = re.compile(_NAMING_CUE + "(" + _NAMED + ")").match(text, end)
        if match:
            out.append(match.span(1))
    return out


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


def _outside(spans: list[tuple[int, int]], blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return [s for s in spans if not any(s[0] < b[1] and b[0] < s[1] for b in blocked)]


def names(text: str) -> list[tuple[int, int]]:
    """Spans that look like people's names ("Lee Jae-Kyoo", "Lee JQ")."""
    out = []
    for match in NAME_RE.finditer(text):
        words = [w.casefold() for w in match.group().split()]
        if words[0] not in NOT_NAME and not any(w in STOPWORDS for w in words):
            out.append(match.span())
    return out


def find(kind: Kind, text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` that could answer a question of this kind."""
    if kind is Kind.DATE:
        return _spans(DATE_RE, text)
    if kind is Kind.DURATION:
        return _spans(DURATION_RE, text)
    if kind is Kind.NUMBER:
        return _outside(_spans(NUMBER_RE, text), _spans(DATE_RE, text))
    if kind is Kind.PERSON:
        return names(text)
    if kind is Kind.PLACE:
        return _spans(PLACE_RE, text)
    if kind is Kind.REASON:
        return _spans(REASON_RE, text)
    if kind is Kind.ORG:
        return _spans(ORG_RE, text)
    if kind is Kind.QUOTE:
        return _spans(SPEECH_RE, text)
    if kind is Kind.ENTITY:
        return [m.span() for m in TITLE_RE.finditer(text) if m.start() > 0]
    return []
