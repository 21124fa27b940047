"""Read articles into what an index is built from: their sentences, terms, names and words.

``parse_articles`` reads a run of consecutive articles in this process;
``parse_corpus`` reads a whole corpus, in a pool of processes (one per core)
when it is large enough to pay for starting them. Either way the result is one
``Parsed``: flat arrays per article and per sentence, and small tables of the
terms, words and names they use, in the order they were first met, so a
corpus read in batches and merged gives exactly what one pass would.
"""

from __future__ import annotations

import itertools
import logging
import os
import pickle
import re
import signal
import subprocess
import sys
import threading
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from . import names
from .bm25 import Pairs, term_doc_pairs
from .clean import content_lines
from .sentences import split_sentences
from .tokens import Tokenizer, normalize_word
from .vocab import Lexicon

log = logging.getLogger(__name__)

PARALLEL_MIN_CHARS = 4_000_000  # smaller corpora are read in this process (starting workers costs ~0.5 s)
BATCH_CHARS = 1_000_000  # articles are sent to the workers in runs of about this much text
WORKERS_ENV = "SHOWBOT_BUILD_WORKERS"  # how many processes read a large corpus (default: one per core; 1: none)

_CAPITAL_AFTER_FIRST = re.compile(r"\s\S*[A-Z]")  # a capital letter in a word after the first

Report = Callable[[int, int], None]  # (articles read, passages so far)
_MERGED = object()
TABLES = ("words", "entities", "persons", "quoted")


@dataclass
class Parsed:
    """Consecutive articles, read. Ids index this object's own tables (``terms``, ``words``, ...)."""

    sent_count: np.ndarray  # int32, per article: its sentences
    line_count: np.ndarray  # int32, per article: its kept lines
    sent_start: np.ndarray  # int64, per sentence: character offsets in its article
    sent_end: np.ndarray  # int64
    sent_line: np.ndarray  # int32: the sentence's kept line, counted within its article
    term_count: np.ndarray  # int32, per sentence: its terms
    term_ids: np.ndarray  # int32: every sentence's terms, one sentence after another
    terms: list[str]
    word_ptr: np.ndarray  # int64, per article + 1: its slice of word_ids
    word_ids: np.ndarray  # int32: each article's words (those whose own terms were used), first-seen order
    words: list[str]
    entity_ptr: np.ndarray  # int64, per article + 1
    entity_ids: np.ndarray  # int32: each article's multi-word names, first-seen order ...
    entity_counts: np.ndarray  # int32: ... and how often it names each
    entities: list[tuple[str, ...]]
    person_ptr: np.ndarray  # int64, per article + 1
    person_ids: np.ndarray  # int32: words of the people's names each article gives
    persons: list[str]
    quoted_ptr: np.ndarray  # int64, per article + 1
    quoted_ids: np.ndarray  # int32: terms of the titles each article quotes
    quoted: list[tuple[str, ...]]
    # (term, passage, tf) of every passage, by term then passage, when the worker processes counted them
    pairs: Pairs | None = None

    @property
    def article_count(self) -> int:
        return len(self.sent_count)

    def select(self, first: int, stop: int) -> Parsed:
        """Articles ``first`` to ``stop - 1`` alone, with tables holding only what they use (first-seen order)."""
        sent_bounds = np.zeros(len(self.sent_count) + 1, dtype=np.int64)
        np.cumsum(self.sent_count, out=sent_bounds[1:])
        s0, s1 = int(sent_bounds[first]), int(sent_bounds[stop])
        t_bounds = np.zeros(len(self.term_count) + 1, dtype=np.int64)
        np.cumsum(self.term_count, out=t_bounds[1:])
        term_ids, terms = _compact(self.term_ids[t_bounds[s0] : t_bounds[s1]], self.terms)
        out = dict(
            sent_count=self.sent_count[first:stop],
            line_count=self.line_count[first:stop],
            sent_start=self.sent_start[s0:s1],
            sent_end=self.sent_end[s0:s1],
            sent_line=self.sent_line[s0:s1],
            term_count=self.term_count[s0:s1],
            term_ids=term_ids,
            terms=terms,
        )
        for name, table in (("word", "words"), ("entity", "entities"), ("person", "persons"), ("quoted", "quoted")):
            ptr = getattr(self, f"{name}_ptr")
            lo, hi = int(ptr[first]), int(ptr[stop])
            ids, values = _compact(getattr(self, f"{name}_ids")[lo:hi], getattr(self, table))
            out[f"{name}_ptr"] = ptr[first : stop + 1] - lo
            out[f"{name}_ids"] = ids
            out[table] = values
        out["entity_counts"] = self.entity_counts[int(self.entity_ptr[first]) : int(self.entity_ptr[stop])]
        return Parsed(**out)


def _compact(ids: np.ndarray, table: Sequence) -> tuple[np.ndarray, list]:
    """``ids`` renumbered into a table of only the entries they use, in the order they first occur."""
    if len(ids) == 0:
        return np.zeros(0, np.int32), []
    used, first = np.unique(ids, return_index=True)
    used = used[np.argsort(first, kind="stable")]
    remap = np.zeros(len(table), dtype=np.int32)
    remap[used] = np.arange(len(used), dtype=np.int32)
    return remap[ids], [table[i] for i in used.tolist()]


_TABLES = (
    ("term_ids", "terms", None),
    ("word_ids", "words", "word_ptr"),
    ("entity_ids", "entities", "entity_ptr"),
    ("person_ids", "persons", "person_ptr"),
    ("quoted_ids", "quoted", "quoted_ptr"),
)
_PLAIN = ("sent_count", "line_count", "sent_start", "sent_end", "sent_line", "term_count", "entity_counts")


class Merger:
    """Runs of consecutive articles added in order, merged into one (tables in first-seen order)."""

    def __init__(self) -> None:
        self.parts: list[Parsed] = []
        self.chunks: dict[str, list[np.ndarray]] = {name: [] for name in _PLAIN}
        self.tables: dict[str, defaultdict] = {}
        self.bases: dict[str, int] = {}
        for ids_name, table_name, ptr_name in _TABLES:
            self.tables[table_name] = defaultdict(itertools.count().__next__)
            self.chunks[ids_name] = []
            if ptr_name:
                self.chunks[ptr_name] = [np.zeros(1, np.int64)]
                self.bases[ptr_name] = 0
        self.pair_parts: list[Pairs] | None = []  # each part's pairs in merged ids, while every part has them
        self.passages = 0

    def add(self, part: Parsed, pairs: Pairs | None = None, window: int = 3) -> None:
        self.parts.append(part)
        for name in _PLAIN:
            self.chunks[name].append(getattr(part, name))
        for ids_name, table_name, ptr_name in _TABLES:
            table = self.tables[table_name]
            remap = np.fromiter(map(table.__getitem__, getattr(part, table_name)), dtype=np.int32)
            if ids_name == "term_ids" and self.pair_parts is not None:
                if pairs is None:
                    self.pair_parts = None
                else:
                    terms, docs, tf = pairs
                    self.pair_parts.append((remap[terms], docs.astype(np.int32) + np.int32(self.passages), tf))
            ids = getattr(part, ids_name)
            self.chunks[ids_name].append(remap[ids] if len(ids) else np.zeros(0, np.int32))
            if ptr_name:
                ptr = getattr(part, ptr_name)
                self.chunks[ptr_name].append(ptr[1:] + self.bases[ptr_name])
                self.bases[ptr_name] += int(ptr[-1])
        self.passages += int(passages_of(part.sent_count, window).sum())

    def result(self) -> Parsed:
        if len(self.parts) == 1 and not self.pair_parts:
            return self.parts[0]
        out = {name: np.concatenate(chunks) for name, chunks in self.chunks.items()}
        for ids_name, table_name, _ in _TABLES:
            out[ids_name] = out[ids_name].astype(np.int32, copy=False)
            out[table_name] = list(self.tables[table_name])
        return Parsed(**out, pairs=self._pairs())

    def _pairs(self) -> Pairs | None:
        """The parts' pairs as one list by term then passage: each part's, term by term, after the earlier parts'."""
        if not self.pair_parts:
            return None
        n_terms = len(self.tables["terms"])
        counts = np.zeros(n_terms, dtype=np.int64)
        for terms, _, _ in self.pair_parts:
            counts += np.bincount(terms, minlength=n_terms)
        cursor = np.zeros(n_terms, dtype=np.int64)
        np.cumsum(counts[:-1], out=cursor[1:])
        total = int(counts.sum())
        docs = np.empty(total, dtype=np.int32)
        tfs = np.empty(total, dtype=np.int64)
        for terms, part_docs, tf in self.pair_parts:
            if not len(terms):
                continue
            # a part's pairs come grouped by term (one local term is one merged term): place each group
            firsts = np.concatenate(([0], np.flatnonzero(np.diff(terms)) + 1))
            sizes = np.diff(np.append(firsts, len(terms)))
            group_terms = terms[firsts]
            at = np.repeat(cursor[group_terms] - firsts, sizes) + np.arange(len(terms), dtype=np.int64)
            docs[at] = part_docs
            tfs[at] = tf
            cursor[group_terms] += sizes
        return np.repeat(np.arange(n_terms, dtype=np.int64), counts), docs, tfs


def merge(parts: Sequence[Parsed]) -> Parsed:
    """Runs of consecutive articles, in order, as one (tables merged in first-seen order)."""
    merger = Merger()
    for part in parts:
        merger.add(part)
    return merger.result()


def passages_of(sent_count: np.ndarray, window: int) -> np.ndarray:
    """Passages of each article: windows of ``window`` sentences overlapping by all but one (one if shorter)."""
    counts = np.asarray(sent_count, dtype=np.int64)
    return np.where(counts > 0, np.maximum(1, counts - window + 1), 0)


def passage_layout(sent_count: np.ndarray, term_count: np.ndarray, window: int) -> tuple[np.ndarray, ...]:
    """(first sentence, sentences, first term, terms) of each passage, and each sentence's first term (+ the end)."""
    sent_count = np.asarray(sent_count, dtype=np.int64)
    art_first = np.zeros(len(sent_count), dtype=np.int64)
    np.cumsum(sent_count[:-1], out=art_first[1:])
    n_pass = passages_of(sent_count, window)
    pass_base = np.zeros(len(n_pass), dtype=np.int64)
    np.cumsum(n_pass[:-1], out=pass_base[1:])
    local = np.arange(int(n_pass.sum()), dtype=np.int64) - np.repeat(pass_base, n_pass)
    pass_first = np.repeat(art_first, n_pass) + local
    pass_len = np.minimum(window, np.repeat(sent_count, n_pass) - local).astype(np.int32)
    sent_token_start = np.zeros(int(sent_count.sum()) + 1, dtype=np.int64)
    np.cumsum(term_count, out=sent_token_start[1:])
    starts = sent_token_start[pass_first]
    return pass_first, pass_len, starts, sent_token_start[pass_first + pass_len] - starts, sent_token_start


def passage_pairs(parsed: Parsed, window: int) -> Pairs:
    """``term_doc_pairs`` of these articles' passages (ids local to ``parsed``), in compact types to send."""
    _, _, starts, lengths, _ = passage_layout(parsed.sent_count, parsed.term_count, window)
    terms, docs, tf = term_doc_pairs(parsed.term_ids, starts, lengths)
    if len(lengths) <= np.iinfo(np.uint16).max:
        docs = docs.astype(np.uint16)
    # BM25 keeps counts above 65,535 as 65,535: the same after this cut
    return terms.astype(np.int32), docs, np.minimum(tf, np.iinfo(np.uint16).max).astype(np.uint16)


_local = threading.local()


def _tokenizer(lexicon: Lexicon) -> Tokenizer:
    """A tokenizer of this lexicon for this thread, kept between batches (its caches stay warm)."""
    kept = getattr(_local, "tokenizers", None)
    if kept is None:
        kept = _local.tokenizers = {}
    key = lexicon.digest
    if key not in kept:
        if len(kept) >= 4:
            kept.clear()
        kept[key] = Tokenizer(lexicon)
    return kept[key]


def parse_articles(texts: Sequence[str], lexicon: Lexicon, report: Report | None = None, window: int = 3) -> Parsed:
    """Read consecutive articles: kept lines, sentences, terms, names, quoted titles and words."""
    tokenizer = _tokenizer(lexicon)
    terms_and_words = tokenizer.terms_and_words
    # first-seen ids: a missing key gets the next number (in C, no Python call per term)
    term_index: defaultdict[str, int] = defaultdict(itertools.count().__next__)
    term_id = term_index.__getitem__
    tables: dict[str, defaultdict] = {k: defaultdict(itertools.count().__next__) for k in TABLES}
    sent_count, line_count = [], []
    starts: list[int] = []
    ends: list[int] = []
    lines: list[int] = []
    term_count: list[int] = []
    term_ids: list[int] = []
    per_article: dict[str, list[list[int]]] = {k: [] for k in TABLES}
    entity_counts: list[int] = []
    passages = 0
    for a, text in enumerate(texts):
        used: list[str] = []
        entities: dict[tuple[str, ...], int] = {}
        persons: set[str] = set()
        quoted: set[tuple[str, ...]] = set()
        before = len(starts)
        line_no = 0
        for line in content_lines(text):
            for start, end in split_sentences(text[line.start : line.end], line.start):
                sentence = text[start:end]
                terms, words = terms_and_words(sentence)
                used += words
                term_ids += map(term_id, terms)
                term_count.append(len(terms))
                starts.append(start)
                ends.append(end)
                lines.append(line_no)
                if _CAPITAL_AFTER_FIRST.search(sentence, 1):
                    runs = list(names.capitalised_runs(sentence))
                    for entity in names.entity_words(sentence, normalize_word, runs):
                        entities[entity] = entities.get(entity, 0) + 1
                    for a_, b_ in names.people(sentence, runs):
                        persons.update(normalize_word(w) for w in sentence[a_:b_].split())
                if '"' in sentence or "“" in sentence or "‘" in sentence:
                    for match in names.QUOTED_RE.finditer(sentence):
                        title_terms, title_words = terms_and_words(match.group(1))
                        used += title_words
                        quoted.add(tuple(title_terms))
            line_no += 1
        count = len(starts) - before
        sent_count.append(count)
        line_count.append(line_no)
        per_article["words"].append(list(map(tables["words"].__getitem__, dict.fromkeys(used))))
        per_article["entities"].append(list(map(tables["entities"].__getitem__, entities)))
        entity_counts += entities.values()
        per_article["persons"].append(list(map(tables["persons"].__getitem__, sorted(persons))))
        per_article["quoted"].append(list(map(tables["quoted"].__getitem__, sorted(quoted))))
        passages += max(1, count - window + 1) if count else 0
        if report:
            report(a + 1, passages)
    out: dict = dict(
        sent_count=np.array(sent_count, dtype=np.int32),
        line_count=np.array(line_count, dtype=np.int32),
        sent_start=np.array(starts, dtype=np.int64),
        sent_end=np.array(ends, dtype=np.int64),
        sent_line=np.array(lines, dtype=np.int32),
        term_count=np.array(term_count, dtype=np.int32),
        term_ids=np.array(term_ids, dtype=np.int32),
        terms=list(term_index),
        entity_counts=np.array(entity_counts, dtype=np.int32),
    )
    for table, name in (("words", "word"), ("entities", "entity"), ("persons", "person"), ("quoted", "quoted")):
        lists = per_article[table]
        ptr = np.zeros(len(lists) + 1, dtype=np.int64)
        np.cumsum([len(x) for x in lists], out=ptr[1:])
        out[f"{name}_ptr"] = ptr
        out[f"{name}_ids"] = np.array([i for x in lists for i in x], dtype=np.int32)
        out[table] = list(tables[table])
    return Parsed(**out)


def workers_for(total_chars: int) -> int:
    """How many processes should read a corpus of ``total_chars`` characters (1: this one alone)."""
    setting = os.environ.get(WORKERS_ENV, "").strip()
    if setting:
        try:
            return max(1, int(setting))
        except ValueError:
            log.warning("%s=%r is not a number; ignored", WORKERS_ENV, setting)
    if total_chars < PARALLEL_MIN_CHARS:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, cores)


def _batches(texts: Sequence[str], size: int) -> list[tuple[int, int]]:
    out, first, chars = [], 0, 0
    for i, text in enumerate(texts):
        chars += len(text)
        if chars >= size:
            out.append((first, i + 1))
            first, chars = i + 1, 0
    if first < len(texts):
        out.append((first, len(texts)))
    return out


def parse_corpus(
    texts: Sequence[str],
    lexicon: Lexicon,
    report: Report | None = None,
    window: int = 3,
    workers: int | None = None,
) -> Parsed:
    """Read every article, in a pool of ``workers`` processes for a large corpus; the same result either way."""
    workers = workers_for(sum(map(len, texts))) if workers is None else workers
    if workers > 1 and len(texts) > 1:
        try:
            return _parse_in_pool(texts, lexicon, report, window, workers)
        except Exception as exc:  # no processes here (a sandbox, no semaphores): read in this one
            log.warning("reading the articles in %d processes failed (%s); reading them in one", workers, exc)
    return parse_articles(texts, lexicon, report, window)


def _parse_in_pool(texts: Sequence[str], lexicon: Lexicon, report: Report | None, window: int, workers: int) -> Parsed:
    """Batches of articles read by worker processes (``python -c``: nothing of the caller's ``__main__`` is rerun)."""
    batches = _batches(texts, min(BATCH_CHARS, max(1, sum(map(len, texts)) // (4 * workers))))
    results: list = [None] * len(batches)  # a batch's Parsed until it is merged
    done: list[tuple[int, int] | None] = [None] * len(batches)  # its articles and passages, for the progress
    pending = iter(range(len(batches)))
    lock = threading.Lock()
    arrived = threading.Condition()
    failures: list[BaseException] = []
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p))
    command = [sys.executable, "-c", "from index.parse import serve; serve()"]
    procs = [
        subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        for _ in range(min(workers, len(batches)))
    ]
    progress = {"done": 0, "articles": 0, "passages": 0}

    def drive(proc: subprocess.Popen) -> None:
        try:
            while not failures:
                with lock:
                    i = next(pending, None)
                if i is None:
                    return
                a, b = batches[i]
                pickle.dump((list(texts[a:b]), lexicon, window), proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
                proc.stdin.flush()
                part = pickle.load(proc.stdout)
                with arrived:
                    results[i] = part  # (Parsed, its passages' pairs)
                    done[i] = (part[0].article_count, int(passages_of(part[0].sent_count, window).sum()))
                    while progress["done"] < len(done) and done[progress["done"]] is not None:
                        articles, passages = done[progress["done"]]
                        progress["done"] += 1
                        progress["articles"] += articles
                        progress["passages"] += passages
                        if report:
                            report(progress["articles"], progress["passages"])
                    arrived.notify_all()
        except BaseException as exc:  # a worker that died: the caller reads the articles itself
            failures.append(exc)
            with arrived:
                arrived.notify_all()

    threads = [threading.Thread(target=drive, args=(proc,), daemon=True) for proc in procs]
    merger = Merger()
    finished = False
    try:
        for thread in threads:
            thread.start()
        for i in range(len(batches)):  # merged in order while the workers read on
            with arrived:
                while results[i] is None and not failures and any(t.is_alive() for t in threads):
                    arrived.wait(0.5)
            part = results[i]
            if part is None:
                break
            merger.add(*part, window=window)
            results[i] = _MERGED
        for thread in threads:
            thread.join()
        finished = True
    finally:
        for proc in procs:
            try:
                proc.stdin.close()
            except OSError:
                pass
            if failures or not finished:  # a failure, or Ctrl-C here: the workers stop at once
                proc.kill()
        for proc in procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
    if failures or any(r is not _MERGED for r in results):
        raise RuntimeError(f"a worker stopped ({failures[0] if failures else 'no result'})")
    return merger.result()


def serve() -> None:
    """A worker's loop: read (articles, lexicon, window) batches from stdin, write what they parse to stdout."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it ends its workers
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            texts, lexicon, window = pickle.load(stdin)
        except EOFError:
            return
        parsed = parse_articles(texts, lexicon, window=window)
        pickle.dump((parsed, passage_pairs(parsed, window)), stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()
