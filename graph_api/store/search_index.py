"""Full-text search beside the embedded store: SQLite FTS5, German-friendly.

LadybugDB's fts extension is downloaded at install time, which cannot work here, so the
index lives in a SQLite file next to the database and is updated by `Store.apply` for every
node it creates or changes. Text is folded the way Lucene's GermanNormalizationFilter folds
it (ä/ae -> a, ö/oe -> o, ü/ue -> u, ß -> ss, accents dropped), so "Buergerservice" and
"Bürgerservice" meet on one token; FTS5's bm25 ranks hits, names weighing more than texts.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from graph_api import policy
from graph_api.model import label_of

_NAME_FIELDS = ("name", "label", "title", "short_name", "role_label")
_TEXT_FIELDS = ("summary", "description", "definition", "outcome", "kind", "seat", "publisher", "note")
_UE = re.compile(r"(?<!q)ue")
_TOKEN = re.compile(r"[0-9a-z]+")
# Bumped whenever what a document may hold changes: an index built by an older rule is rebuilt at open
# (version 2: documents hold only what `graph_api.policy` shows anonymous callers; version 3: hyphenated
# words are also indexed joined, so "Klima-Werkstatt" and "Klimawerkstatt" meet).
DOCUMENT_VERSION = 3
# A match starts only at a word's first character: without the look-behind the engine retried the
# pattern from every letter of every word (quadratic in the word's length, a third of the index build
# of a bulk load); a match can never start mid-word anyway, since one starting at the word's first
# letter lies further left.
_HYPHENATED = re.compile(r"(?<![0-9a-z])[0-9a-z]+(?:-[0-9a-z]+)+")
MIN_FUZZY_LETTERS = 5  # typo tolerance starts at five letters as a German reader spells them (Möln = Moeln)
LONG_WORD_LETTERS = 8  # from here two edits are tolerated, below one
_FUZZY_TERMS = 20      # vocabulary terms each misspelt word may stand for
_DELETE_DOC = "DELETE FROM docs WHERE rowid = (SELECT doc FROM doc_keys WHERE node_id = ?)"


def _without_accents(char: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))


# The decomposed, accent-free form of each Latin letter with a diacritic (U+0080-U+024F): German and
# other European names use little else. Decomposing and dropping combining marks acts on each
# character alone (reordering only moves marks, which are dropped), so a table per character gives
# exactly what the general path gives, without a Python step per character.
_LATIN_PLAIN = {code: _without_accents(chr(code)) for code in range(0x80, 0x250)}


def fold(text: str) -> str:
    """Lower-case, transliterate German umlaut spellings and drop accents."""
    text = text.lower().replace("ß", "ss")
    if not text.isascii():
        plain = text.translate(_LATIN_PLAIN)
        text = plain if plain.isascii() else _without_accents(text)
    return _UE.sub("u", text.replace("ae", "a").replace("oe", "o"))


def _document(node_id: str, props: dict[str, Any]) -> tuple[str, str]:
    """(names, texts) of a node, from what anonymous callers may see of it: the index answers everyone."""
    props = policy.searchable(label_of(node_id) or "", props)
    names = " ".join(str(props[f]) for f in _NAME_FIELDS if props.get(f))
    texts = " ".join(str(props[f]) for f in _TEXT_FIELDS if props.get(f))
    return with_joined(fold(names)), with_joined(fold(texts))


def with_joined(text: str) -> str:
    """Folded text plus the joined form of each hyphenated word ('klima-werkstatt' adds 'klimawerkstatt')."""
    if "-" not in text:
        return text
    joined = [m.group(0).replace("-", "") for m in _HYPHENATED.finditer(text)]
    return " ".join([text, *joined])


def stem(token: str) -> str:
    """A light German/English plural stem for prefix matching: 'chatbots' -> 'chatbot', 'werkstatten'
    (Werkstätten, folded) -> 'werkstatt'; at least four letters stay."""
    for suffix in ("en", "es", "er", "s", "n", "e"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


def tolerated_edits(token: str) -> int:
    """How many edits a query word may be from a stored word: none below five letters as spelled out."""
    letters = len(re.sub(r"[^a-z0-9]", "", german_spelled(token)))
    return 0 if letters < MIN_FUZZY_LETTERS else 1 if letters < LONG_WORD_LETTERS else 2


def query_words_and_edits(text: str) -> list[tuple[str, int]]:
    """Each folded query word with the edits tolerated for the word the caller typed ('Möln': moln, 1)."""
    return [(word, tolerated_edits(typed)) for typed in text.split() for word in query_words(typed)]


def german_spelled(token: str) -> str:
    return token.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")


def query_words(text: str) -> list[str]:
    """The words of a query as the index folds them; a hyphenated query word counts as its parts."""
    return _TOKEN.findall(fold(text))


def _write_documents(db: sqlite3.Connection, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Insert or replace the documents of `nodes` inside the caller's transaction on `db`."""
    rows = [(node_id, *_document(node_id, props)) for node_id, props in nodes]
    keys = [(r[0],) for r in rows]
    db.executemany("INSERT OR IGNORE INTO doc_keys(node_id) VALUES (?)", keys)
    db.executemany(_DELETE_DOC, keys)
    db.executemany("INSERT INTO docs(rowid, node_id, names, texts) VALUES "
                   "((SELECT doc FROM doc_keys WHERE node_id = ?), ?, ?, ?)", [(r[0], *r) for r in rows])


class StagedDocuments:
    """Documents written by a thread on a connection of their own, visible to searches only on `commit`.

    Building the documents is Python and FTS5's tokenising is C that releases the GIL; the graph
    engine's COPY also releases it. Run one after the other they took most of a bulk load's
    entity phase; run side by side, the index is ready about when the graph is. Nothing of it is
    seen before `commit` (searches read the last committed state), so a
    graph write that fails is followed by `discard` and leaves the index as it was, and a process
    killed in between leaves an uncommitted transaction that SQLite rolls back at the next open (the
    store's pending marker then rebuilds the index from the graph)."""

    def __init__(self, index: SearchIndex, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
        self._index = index
        self._db = sqlite3.connect(index.path, check_same_thread=False, isolation_level=None)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._write, args=(list(nodes),), name="copgraph-search-stage",
                                        daemon=True)
        self._thread.start()

    def _write(self, nodes: list[tuple[str, dict[str, Any]]]) -> None:
        try:
            # Dirty pages stay in memory until COMMIT: spilling them would take the file's exclusive
            # lock mid-transaction and make every search wait (or fail after its busy timeout) for the
            # rest of the load. (Write-ahead logging would avoid that too, but a WAL-mode file cannot
            # even be opened on a full disk, where the store must still open.)
            self._db.execute("PRAGMA cache_spill = OFF")
            self._db.execute("BEGIN IMMEDIATE")
            _write_documents(self._db, nodes)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread by `commit`
            self._error = exc

    def commit(self) -> None:
        """Wait for the documents and make them visible; raises what writing them raised."""
        self._thread.join()
        try:
            if self._error is not None:
                raise self._error
            self._db.execute("COMMIT")
        finally:
            self._db.close()  # closing with the transaction still open rolls it back
            self._index.forget_terms()

    def discard(self) -> None:
        """Wait for the thread and drop everything it wrote."""
        self._thread.join()
        self._db.close()


def _phrase(term: str, prefix: bool = True) -> str:
    return '"' + term + '"' + ("*" if prefix else "")


class SearchIndex:
    """An FTS5 table of (node id, folded names, folded texts); safe to share across threads."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self._lock = threading.Lock()
        self._terms: list[str] | None = None  # the indexed words, forgotten at every write
        with self._lock, self._db:
            self._db.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS docs USING fts5("
                "node_id UNINDEXED, names, texts, tokenize = 'unicode61 remove_diacritics 2')")
            # FTS5 cannot index node_id, so a DELETE by node_id scans every document (quadratic loads):
            # this table maps node ids to the documents' rowids, and every write goes by rowid.
            self._db.execute("CREATE TABLE IF NOT EXISTS doc_keys("
                             "doc INTEGER PRIMARY KEY, node_id TEXT UNIQUE NOT NULL)")
            if self._db.execute("SELECT count(*) FROM doc_keys").fetchone()[0] == 0:  # an index from before it
                self._db.execute("INSERT OR IGNORE INTO doc_keys(doc, node_id) SELECT rowid, node_id FROM docs")
            if self._db.execute("SELECT count(*) FROM doc_keys").fetchone()[0] == 0:  # empty: nothing stale in it
                self._db.execute(f"PRAGMA user_version = {DOCUMENT_VERSION}")

    @property
    def outdated(self) -> bool:
        """True when the documents were made by an older rule (the store then rebuilds the index)."""
        with self._lock:
            return self._db.execute("PRAGMA user_version").fetchone()[0] != DOCUMENT_VERSION

    def upsert(self, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
        with self._lock, self._db:
            self._terms = None
            _write_documents(self._db, nodes)

    def stage(self, nodes: Iterable[tuple[str, dict[str, Any]]]) -> StagedDocuments:
        """Start writing the documents of `nodes` in a thread, in a transaction left open until the
        caller commits or discards it: a bulk load builds its index while the graph engine writes."""
        return StagedDocuments(self, nodes)

    def forget_terms(self) -> None:
        """Another connection changed the documents: the vocabulary is read again when next needed."""
        with self._lock:
            self._terms = None

    def delete(self, ids: Iterable[str]) -> None:
        keys = [(i,) for i in ids]
        with self._lock, self._db:
            self._terms = None
            self._db.executemany(_DELETE_DOC, keys)
            self._db.executemany("DELETE FROM doc_keys WHERE node_id = ?", keys)

    def clear(self) -> None:
        with self._lock, self._db:
            self._terms = None
            self._db.execute("DELETE FROM docs")
            self._db.execute("DELETE FROM doc_keys")

    def mark_current(self) -> None:
        """Record that every document was made by the current rule (after a full rebuild, not before:
        a rebuild cut short leaves the index outdated, so the next open rebuilds it again)."""
        with self._lock, self._db:
            self._db.execute(f"PRAGMA user_version = {DOCUMENT_VERSION}")

    def _vocabulary(self) -> list[str]:
        """Every indexed word (for typo tolerance), read once per state of the index."""
        with self._lock:
            if self._terms is None:
                self._db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.docs_terms USING fts5vocab(main, docs, row)")
                self._terms = [row[0] for row in self._db.execute("SELECT term FROM temp.docs_terms")]
            return self._terms

    def _match(self, text: str, fuzzy: bool) -> str | None:
        """The FTS5 query: every word as a prefix, or its plural stem as a prefix, or (fuzzy) an indexed
        word within its tolerated edits; a multi-word query also matches its words written as one."""
        words = query_words(text)
        if not words:
            return None
        vocabulary = self._vocabulary() if fuzzy else []
        groups = []
        for word, edits in query_words_and_edits(text):
            alternatives = {_phrase(word), _phrase(stem(word))}
            if fuzzy and edits:
                near = process.extract(word, vocabulary, scorer=OSA.distance, score_cutoff=edits, limit=_FUZZY_TERMS)
                alternatives |= {_phrase(term, prefix=False) for term, _, _ in near}
            groups.append("(" + " OR ".join(sorted(alternatives)) + ")")
        match = " AND ".join(groups)
        if len(words) > 1:
            match = f"({match}) OR {_phrase(''.join(words))}"
        return match

    def search(self, text: str, first: int, types: list[str] | None = None, enough: int | None = None
               ) -> list[tuple[str, float]]:
        """Up to `first` hits for `text` (of `types` labels only, when given): best bm25 first, score positive.

        Exact words, prefixes and plural stems first; only when they find fewer than `enough` hits
        (default `first`) are misspelt words tried (edit distance 1 from five letters, 2 from eight,
        a swap of neighbours counting one)."""
        hits: dict[str, float] = {}
        for fuzzy in (False, True):
            match = self._match(text, fuzzy)
            if match is None or len(hits) >= (first if enough is None else enough):
                break
            where = ""
            values: list[Any] = [match]
            if types is not None:
                where = f" AND substr(node_id, 1, instr(node_id, ':') - 1) IN ({', '.join('?' * len(types))})"
                values += list(types)
            with self._lock:
                rows = self._db.execute(
                    "SELECT node_id, bm25(docs, 0.0, 10.0, 1.0) AS rank FROM docs WHERE docs MATCH ?" + where +
                    " ORDER BY rank, node_id LIMIT ?", (*values, first)).fetchall()
            for node_id, rank in rows:
                hits.setdefault(node_id, round(-rank, 6))
        return sorted(hits.items(), key=lambda hit: (-hit[1], hit[0]))[:first]

    def close(self) -> None:
        with self._lock:
            self._db.close()
