"""The English layer of showbot's vocabulary: words of the language, not of TV or of one show.

- ``STOPWORDS``: words that carry no topic (question words, pronouns, chat filler).
- ``NUMBER_WORDS``: "twelve" and "twelfth" read as 12.
- ``CHAT``: how people type in a chat, rewritten before anything else ("rn" -> "right now").
- ``SYNONYMS``: everyday words folded onto the word an article uses ("kid" -> "child").
- ``KEEP``: words Snowball would merge with another meaning ("original" is not "origin").

Irregular forms (wrote -> write, children -> child) come from ``data/irregular.tsv``,
generated from lemminflect's tables by ``tools/make_irregular.py``.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

STOPWORDS = frozenset(
    """a about after again against all also am an and any are aren as at be because been
    being between both but by can cannot could couldn did didn do does doesn doing
    don down during each else ever few for from further get gets go goes going gonna got had hadn has hasn have haven
    having he her here hers herself him himself his how i if in into is isn it its itself just let
    ll many me more most much mustn my myself no nor not now of off on once only or other ought our ours
    ourselves out over own re s same shan she should shouldn so some such t than that the their
    theirs them themselves then there these they this those through to too under until up us ve
    very was wasn we were weren what whatever when where whether which while who whom whose why
    will with wouldn would you your yours yourself yourselves d m o y ma tell know anyone
    please hey hi hello thanks thank actually really exactly basically even done yo yeah yes ok okay
    anyway maybe probably kinda sorta lol lmao lmfao rofl omg omfg pls plz thx ty tbh ngl fr imo imho idk iirc afaik
    btw smh fam bro bruh dude guys guy ppl whats whos wheres whens hows whys thats
    theres heres im ive id youre dont doesnt didnt isnt wasnt arent werent cant wont hasnt havent
    wanna gotta u ur r tho though cuz coz bc cos someone somebody something anything thing things stuff
    like right wonder wondering curious question quick""".split()
)
# Number words read as digits, so "twelve episodes" meets "12-episode" and "fourth episode" meets
# "episode 4". "one" and "first" stay words: they are far more often pronouns and adjectives.
_NUMBERS = (
    "zero",
    "one",
    "two second",
    "three third",
    "four fourth",
    "five fifth",
    "six sixth",
    "seven seventh",
    "eight eighth",
    "nine ninth",
    "ten tenth",
    "eleven eleventh",
    "twelve twelfth",
    "thirteen thirteenth",
    "fourteen fourteenth",
    "fifteen fifteenth",
    "sixteen sixteenth",
    "seventeen seventeenth",
    "eighteen eighteenth",
    "nineteen nineteenth",
    "twenty twentieth",
)
NUMBER_WORDS = {word: str(n) for n, words in enumerate(_NUMBERS) for word in words.split() if n >= 2}
NUMBER_WORDS.update({"thirty": "30", "forty": "40", "fifty": "50", "hundred": "100", "dozen": "12"})
ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)$")  # "2nd" -> "2"

# Chat spellings, one word to its words. Applied to questions only (articles are edited prose).
CHAT = {
    "u": "you",
    "ya": "you",
    "ur": "your",
    "r": "are",
    "rn": "right now",
    "n": "and",
    "ppl": "people",
    "tho": "though",
    "thru": "through",
    "bc": "because",
    "b/c": "because",
    "cuz": "because",
    "coz": "because",
    "cos": "because",
    "w/": "with",
    "w/o": "without",
    "b4": "before",
    "abt": "about",
    "bout": "about",
    "wat": "what",
    "wut": "what",
    "wht": "what",
    "wen": "when",
    "whn": "when",
    "wer": "where",
    "wher": "where",
    "hw": "how",
    "y": "why",
    "whos": "who is",
    "whats": "what is",
    "wheres": "where is",
    "whens": "when is",
    "hows": "how is",
    "whys": "why is",
    "gonna": "going to",
    "won't": "will not",
    "wont": "will not",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
    "dunno": "do not know",
    "idk": "i do not know",
    "yr": "year",
    "yrs": "years",
    "mins": "minutes",
    "hr": "hour",
    "hrs": "hours",
    "sec": "second",
    "ep": "episode",
    "eps": "episodes",
    "epi": "episode",
    "epis": "episodes",
    "szn": "season",
    "ssn": "season",
    "seasn": "season",
    "pt": "part",
    "dir": "director",
    "prod": "production",
    "char": "character",
    "chars": "characters",
    "rec": "recommend",
    "b-day": "birthday",
    "bday": "birthday",
    "fav": "favourite",
    "fave": "favourite",
    "pic": "picture",
    "pics": "pictures",
    "vid": "video",
    "vids": "videos",
    "info": "information",
    "ppl's": "people's",
    "nxt": "next",
    "2nd": "second",
    "3rd": "third",
    "1st": "first",
    "msg": "message",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "irl": "in real life",
}
# "s2", "s02e04", "ep5", "e4": a season and an episode written short.
SHORTHAND_RE = re.compile(
    r"^(?:s(?P<season>\d{1,2})(?:\s*e(?:p)?(?P<episode>\d{1,3}))?|(?:e|ep|eps|episode)(?P<episode_only>\d{1,3})"
    r"|(?:season|szn)(?P<season_only>\d{1,2}))$",
    re.IGNORECASE,
)

# Everyday words and the word an article would use. Folded like the TV words, on both sides.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "child": ("child", "kid", "kids", "youngster", "teen", "teenager", "teenage"),
    "spouse": ("spouse", "wife", "husband", "married", "marry", "marriage", "wed"),
    "police": ("police", "cop", "cops", "policeman", "policewoman", "officer", "detective"),
    "mother": ("mother", "mom", "mum", "mama", "mommy", "mummy"),
    "father": ("father", "dad", "daddy", "papa"),
    "fail": ("fail", "failure", "flop", "flopped", "bomb", "bombed", "tank", "tanked"),
    "consecutive": ("consecutive", "successive", "straight", "row", "back-to-back"),
    "begin": ("begin", "start", "started", "starting", "commence"),
    "end": ("end", "ended", "ending", "conclude", "concluded", "conclusion", "wrap", "wrapped", "finish", "finished"),
    "famous": ("famous", "popular", "popularity", "renowned", "celebrated", "hit"),
    "die": ("die", "died", "death", "dead", "dies", "killed", "kill", "kills", "killing"),
    "age": ("age", "aged", "old"),
    "country": ("country", "countries", "nation", "nations"),
    "money": ("money", "dollars", "cash", "paid", "pay", "salary", "earn", "earned"),
    "lawsuit": ("lawsuit", "sue", "sued", "suing", "suit", "litigation"),
    "fan": ("fan", "fans", "fanbase", "audience"),
    "real": ("real", "true", "actual", "factual", "real-life"),
    "big": ("big", "biggest", "largest", "huge", "record", "highest"),
    "bad": ("bad", "worst", "negative", "poor", "terrible"),
    "good": ("good", "best", "great", "positive", "excellent"),
}
# A few phrases of everyday English, read as one word.
PHRASES: dict[str, tuple[str, ...]] = {
    "consecutive": ("back to back", "in a row"),
    "begin": ("kick off", "kicks off", "kicked off"),
    "age": ("how old", "years old", "year old", "year-old"),
    "real": ("true story", "real life", "real events", "actual events"),
}
KEEP = {"original": "original", "originally": "original", "originals": "original", "dr": "doctor", "news": "news"}


@cache
def irregular_forms() -> dict[str, str]:
    """Inflected form -> lemma for forms that Snowball alone would not bring to their lemma's stem."""
    text = resources.files("index").joinpath("data/irregular.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            form, lemma = line.split("\t")
            out[form] = lemma
    return out
