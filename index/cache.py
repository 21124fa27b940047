"""The built index on disk: a restart reads arrays instead of every article, and a change re-reads only itself.

An index built from a folder is saved under the user's cache folder
(``SHOWBOT_CACHE=DIR`` elsewhere, ``SHOWBOT_CACHE=0`` off; see ``vectors.cache_dir``):

    index/v1/<folder key>.json        the manifest: what the index was built from, its tables, its arrays
    index/v1/<folder key>-<token>/    one ``.npy`` file per array (numpy.save, allow_pickle=False)

The arrays are memory-mapped on load. The manifest names the package version,
a digest of the code and data that build an index, the index settings and the
lexicon, and, for each article, its name, size, modification time and a hash of
its text. An index is used only when all of that matches; when only some
articles differ, the others' pieces (sentences, terms, names) are reused and
only the new or changed ones are read. Files are written to a fresh folder and
the manifest replaced atomically last, so a reader never meets half a cache.
A cache that is unreadable, truncated, inconsistent, built by other code or
settings, or for another folder is ignored with one warning line and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass
from functools import cache
from importlib import metadata, resources
from pathlib import Path

import numpy as np

from .articles import Corpus
from .bm25 import SparseBM25
from .build import Index, IndexSettings, assemble
from .parse import Parsed, passages_of
from .vocab import Lexicon

log = logging.getLogger(__name__)

FORMAT = 1
# What an index is built by: any change to these files makes older caches unusable.
BUILD_MODULES = (
    "bm25.py",
    "build.py",
    "cache.py",
    "clean.py",
    "english.py",
    "names.py",
    "parse.py",
    "sentences.py",
    "tokens.py",
    "vocab.py",
)
BUILD_DATA = ("data/tv.toml", "data/irregular.tsv")
PARSED_ARRAYS = (
    "sent_count",
    "line_count",
    "sent_start",
    "sent_end",
    "sent_line",
    "term_count",
    "term_ids",
    "word_ptr",
    "word_ids",
    "entity_ptr",
    "entity_ids",
    "entity_counts",
    "person_ptr",
    "person_ids",
    "quoted_ptr",
    "quoted_ids",
)
STALE_SECONDS = 600  # a folder of arrays no manifest names, older than this, is left over from a failed write


class CacheProblem(Exception):
    """Why a cache cannot be used (the message is the warning's)."""


@cache
def code_digest() -> str:
    """A hash of the package version and of the code and data files that build an index."""
    h = hashlib.sha256()
    try:
        h.update(metadata.version("showbot").encode())
    except metadata.PackageNotFoundError:
        h.update(b"not installed")
    root = resources.files("index")
    for name in (*BUILD_MODULES, *BUILD_DATA):
        h.update(name.encode() + b"\x00")
        try:
            h.update(root.joinpath(name).read_bytes())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()[:32]


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _titles_digest(corpus: Corpus) -> str:
    h = hashlib.blake2b(digest_size=16)
    for article in corpus.articles:
        h.update(article.source.title.encode("utf-8", "surrogatepass") + b"\x00")
    return h.hexdigest()


@dataclass
class Reusable:
    """What a cache built from other versions of some articles still gives: their parsed pieces."""

    parsed: Parsed  # of the cached build
    runs: list[tuple[int, int, tuple[int, int] | None]]  # (first, stop) of the new articles, and the cached ones

    def plan(self) -> list[tuple[int, int, tuple[int, int] | None]]:
        return self.runs


class IndexCache:
    """The cache entry of one folder's index."""

    def __init__(self, root: Path, corpus: Corpus, lexicon: Lexicon, settings: IndexSettings) -> None:
        assert corpus.folder is not None
        self.root = root
        self.corpus = corpus
        self.lexicon = lexicon
        self.settings = settings
        self.folder = str(Path(corpus.folder).resolve())
        self.name = hashlib.sha256(self.folder.encode("utf-8", "surrogatepass")).hexdigest()[:20]
        self.manifest = root / f"{self.name}.json"
        self.key = {
            "format": FORMAT,
            "code": code_digest(),
            "settings": asdict(settings),
            "lexicon": lexicon.digest,
        }
        self.articles = [self._article_key(a.source.id, a.text) for a in corpus.articles]
        self.titles = _titles_digest(corpus)
        self.loaded_from_cache = False
        self.previous: str | None = None  # the arrays' folder of the manifest read by ``load``

    @classmethod
    def open(cls, corpus: Corpus, lexicon: Lexicon, settings: IndexSettings) -> IndexCache | None:
        """The cache of ``corpus``'s folder, or None when caching is off or the corpus has no folder."""
        from .vectors import cache_dir

        root = cache_dir()
        if root is None or corpus.folder is None:
            return None
        return cls(root / "index" / f"v{FORMAT}", corpus, lexicon, settings)

    def _article_key(self, name: str, text: str) -> list:
        try:
            stat = os.stat(Path(self.folder) / name)
            size, mtime = stat.st_size, stat.st_mtime_ns
        except OSError:
            size, mtime = -1, -1
        return [name, size, mtime, text_hash(text)]

    # -- reading -------------------------------------------------------------------

    def load(self) -> Index | Reusable | None:
        """The cached index if it was built from exactly these articles; else what can be reused, or None."""
        try:
            text = self.manifest.read_text(encoding="utf-8")
        except (FileNotFoundError, NotADirectoryError):
            return None
        except OSError as exc:
            log.warning("index cache %s unreadable (%s); rebuilding", self.manifest, exc.strerror or exc)
            return None
        try:
            manifest = json.loads(text)
            if not isinstance(manifest, dict):
                raise CacheProblem("not a manifest")
            self.previous = str(manifest.get("dir")) if manifest.get("folder") == self.folder else None
            if manifest.get("folder") != self.folder:
                raise CacheProblem(f"it was built for another folder ({manifest.get('folder')})")
            if manifest.get("key") != self.key:
                raise CacheProblem("it was built by another version of showbot or with other settings")
            parsed, bm25 = self._read_arrays(manifest)
        except (CacheProblem, ValueError, KeyError, TypeError, IndexError, OSError) as exc:
            log.warning("index cache %s ignored, %s; rebuilding", self.manifest, _reason(exc))
            return None
        articles = [list(a) for a in manifest["articles"]]
        if articles == self.articles:
            named = (
                frozenset(tuple(words) for words in manifest["entities"]),
                {str(key): tuple(words) for key, words in manifest["acronyms"].items()},
            )
            if manifest.get("titles") != self.titles:
                named = None  # the titles name things too: count them again
            index = assemble(self.corpus.articles, parsed, self.lexicon, self.settings, bm25, named)
            self.loaded_from_cache = True
            return index
        runs = self._runs(articles)
        changed = sum(stop - first for first, stop, reuse in runs if reuse is None)
        log.info(
            "index cache: %d of %d articles new or changed since it was built; reading only those",
            changed,
            len(self.articles),
        )
        return Reusable(parsed, runs)

    def _runs(self, cached: list[list]) -> list[tuple[int, int, tuple[int, int] | None]]:
        """Runs of the current articles: those found unchanged in the cache (and where), and the others."""
        where = {tuple(key): j for j, key in enumerate(cached)}
        runs: list[tuple[int, int, tuple[int, int] | None]] = []
        for i, key in enumerate(self.articles):
            j = where.get(tuple(key))
            if runs:
                first, stop, reuse = runs[-1]
                if j is None and reuse is None:
                    runs[-1] = (first, i + 1, None)
                    continue
                if j is not None and reuse is not None and reuse[1] == j:
                    runs[-1] = (first, i + 1, (reuse[0], j + 1))
                    continue
            runs.append((i, i + 1, None if j is None else (j, j + 1)))
        return runs

    def _read_arrays(self, manifest: dict) -> tuple[Parsed, SparseBM25]:
        folder = self.root / str(manifest["dir"])
        if Path(str(manifest["dir"])).name != str(manifest["dir"]):
            raise CacheProblem("the manifest names a folder elsewhere")
        specs = manifest["arrays"]
        arrays: dict[str, np.ndarray] = {}
        for name, (dtype, shape) in specs.items():
            if not name.isidentifier():
                raise CacheProblem(f"odd array name {name!r}")
            array = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            if array.dtype.str != dtype or list(array.shape) != list(shape):
                raise CacheProblem(f"{name}.npy is not the array the manifest describes")
            arrays[name] = np.asarray(array)  # a plain array over the mapped file (np.memmap indexes slowly)
        tables = manifest["tables"]
        entity_table = int(tables["entity_table"])
        parsed = Parsed(
            **{name: arrays[name] for name in PARSED_ARRAYS},
            terms=[str(t) for t in tables["terms"]],
            words=[str(w) for w in tables["words"]],
            entities=[tuple(words) for words in manifest["entities"][:entity_table]],
            persons=[str(w) for w in tables["persons"]],
            quoted=[tuple(q) for q in tables["quoted"]],
        )
        _check(parsed)
        if len(parsed.sent_count) != len(manifest["articles"]):
            raise CacheProblem("articles disagree")
        bm25_arrays = {name: arrays[f"bm25_{name}"] for name in SparseBM25.ARRAYS}
        bm25 = SparseBM25.from_arrays(bm25_arrays, manifest["bm25"], {t: i for i, t in enumerate(parsed.terms)})
        _check_bm25(bm25, parsed, max(1, self.settings.passage_sentences))
        return parsed, bm25

    # -- writing -------------------------------------------------------------------

    def save(self, index: Index, parsed: Parsed) -> None:
        """Write the index (atomically: a fresh folder of arrays, then the manifest). Failures are one warning."""
        entry = f"{self.name}-{uuid.uuid4().hex[:12]}"
        folder = self.root / entry
        tmp = self.root / f"{entry}.tmp"
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            tmp.mkdir()
            bm25_arrays, scalars = index.bm25.to_arrays()
            arrays = {name: getattr(parsed, name) for name in PARSED_ARRAYS}
            arrays.update({f"bm25_{name}": array for name, array in bm25_arrays.items()})
            specs = {}
            for name, array in arrays.items():
                array = np.ascontiguousarray(array)
                with open(tmp / f"{name}.npy", "wb") as f:
                    np.save(f, array, allow_pickle=False)
                    f.flush()
                    os.fsync(f.fileno())
                specs[name] = [array.dtype.str, list(array.shape)]
            os.replace(tmp, folder)
            table = set(parsed.entities)
            entities = [list(words) for words in parsed.entities]
            entities += [list(words) for words in sorted(index.entities - table)]  # named only by titles
            manifest = {
                "format": FORMAT,
                "key": self.key,
                "folder": self.folder,
                "written": time.time(),
                "dir": entry,
                "articles": self.articles,
                "titles": self.titles,
                "arrays": specs,
                "bm25": scalars,
                "tables": {
                    "terms": parsed.terms,
                    "words": parsed.words,
                    "persons": parsed.persons,
                    "quoted": [list(q) for q in parsed.quoted],
                    "entity_table": len(parsed.entities),
                },
                "entities": entities,
                "acronyms": {key: list(words) for key, words in index.acronyms.items()},
            }
            previous = self.previous if self.previous is not None else self._previous_dir()
            fd, name = tempfile.mkstemp(dir=self.root, prefix=f"{self.name}.", suffix=".json.tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))  # dumps: the C encoder
                f.flush()
                os.fsync(f.fileno())
            os.replace(name, self.manifest)
        except OSError as exc:
            log.warning("index cache not written to %s (%s)", self.root, exc.strerror or exc)
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.rmtree(folder, ignore_errors=True)
            return
        if previous and previous != entry and previous.startswith(f"{self.name}-") and Path(previous).name == previous:
            shutil.rmtree(self.root / previous, ignore_errors=True)  # only this folder's own arrays
        self._remove_leftovers(keep=entry)

    def _previous_dir(self) -> str | None:
        try:
            return str(json.loads(self.manifest.read_text(encoding="utf-8"))["dir"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _remove_leftovers(self, keep: str) -> None:
        """Folders of this folder's cache that no manifest names (a write that failed or lost a race)."""
        now = time.time()
        for path in self.root.glob(f"{self.name}-*"):
            try:
                if path.name != keep and path.is_dir() and now - path.stat().st_mtime > STALE_SECONDS:
                    shutil.rmtree(path, ignore_errors=True)
            except OSError:
                pass


def _check(parsed: Parsed) -> None:
    """The arrays fit together (a cache written by a buggy or foreign program is refused, not trusted)."""
    n_articles = len(parsed.sent_count)
    n_sent = int(np.sum(parsed.sent_count, dtype=np.int64))
    if len(parsed.line_count) != n_articles:
        raise CacheProblem("articles disagree")
    for name in ("sent_start", "sent_end", "sent_line", "term_count"):
        if len(getattr(parsed, name)) != n_sent:
            raise CacheProblem("sentences disagree")
    if int(np.sum(parsed.term_count, dtype=np.int64)) != len(parsed.term_ids):
        raise CacheProblem("terms disagree")
    if len(parsed.term_ids) and (int(parsed.term_ids.min()) < 0 or int(parsed.term_ids.max()) >= len(parsed.terms)):
        raise CacheProblem("term ids out of range")
    for name, table in (("word", "words"), ("entity", "entities"), ("person", "persons"), ("quoted", "quoted")):
        ptr, ids = getattr(parsed, f"{name}_ptr"), getattr(parsed, f"{name}_ids")
        if len(ptr) != n_articles + 1 or int(ptr[0]) != 0 or int(ptr[-1]) != len(ids) or np.any(np.diff(ptr) < 0):
            raise CacheProblem(f"{table} disagree")
        if len(ids) and (int(ids.min()) < 0 or int(ids.max()) >= len(getattr(parsed, table))):
            raise CacheProblem(f"{table} ids out of range")
    if len(parsed.entity_counts) != len(parsed.entity_ids):
        raise CacheProblem("name counts disagree")


def _check_bm25(bm25: SparseBM25, parsed: Parsed, window: int) -> None:
    n_terms = len(parsed.terms)
    if len(bm25.df) != n_terms or len(bm25.idf) != n_terms:
        raise CacheProblem("BM25 terms disagree")
    for postings in (bm25.once, bm25.more):
        if len(postings.offsets) != n_terms + 1 or int(postings.offsets[-1]) != len(postings.docs):
            raise CacheProblem("BM25 postings disagree")
    if int(passages_of(parsed.sent_count, window).sum()) != bm25.corpus_size:
        raise CacheProblem("passages disagree")
    if len(bm25.more_tf) != len(bm25.more.docs) or len(bm25._norm) != bm25.corpus_size:
        raise CacheProblem("BM25 arrays disagree")
    if len(bm25.once.docs) and int(bm25.once.docs.max()) >= bm25.corpus_size:
        raise CacheProblem("BM25 documents out of range")
    if len(bm25.more.docs) and int(bm25.more.docs.max()) >= bm25.corpus_size:
        raise CacheProblem("BM25 documents out of range")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, CacheProblem):
        return str(exc)
    if isinstance(exc, OSError):
        return f"a file is missing or unreadable ({exc.strerror or exc})"
    return f"it is damaged ({exc.__class__.__name__}: {exc})"
