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

from graph_api import policy
from graph_api.model import label_of

_NAME_FIELDS = ("name", "label", "title", "short_name", "role_label")
_TEXT_FIELDS = ("summary", "description", "definition", "outcome", "kind", "seat", "publisher", "note")
_UE = re.compile(r"(?<!q)ue")
_TOKEN = re.compile(r"[0-9a-z]+")
# Bumped whenever what a document may hold changes: an index built by an older rule is rebuilt at open
# (version 2: documents hold only what `graph_api.policy` shows anonymous callers).
DOCUMENT_VERSION = 2
_DELETE_DOC = "DELETE FROM docs WHERE rowid = (SELECT doc FROM doc_keys WHERE node_id = ?)"


def fold(text: str) -> str:
    """Lower-case, transliterate German umlaut spellings and drop accents."""
    text = text.lower().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _UE.sub("u", text.replace("ae", "a").replace("oe", "o"))


def _document(node_id: str, props: dict[str, Any]) -> tuple[str, str]:
    """(names, texts) of a node, from what anonymous callers may see of it: the index answers everyone."""
    props = policy.searchable(label_of(node_id) or "", props)
    names = " ".join(str(props[f]) for f in _NAME_FIELDS if props.get(f))
    texts = " ".join(str(props[f]) for f in _TEXT_FIELDS if props.get(f))
    return fold(names), fold(texts)


class SearchIndex:
    """An FTS5 table of (node id, folded names, folded texts); safe to share across threads."""

    def __init__(self, path: str | Path):
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
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
        rows = [(node_id, *_document(node_id, props)) for node_id, props in nodes]
        keys = [(r[0],) for r in rows]
        with self._lock, self._db:
            self._db.executemany("INSERT OR IGNORE INTO doc_keys(node_id) VALUES (?)", keys)
            self._db.executemany(_DELETE_DOC, keys)
            self._db.executemany("INSERT INTO docs(rowid, node_id, names, texts) VALUES "
                                 "((SELECT doc FROM doc_keys WHERE node_id = ?), ?, ?, ?)",
                                 [(r[0], *r) for r in rows])

    def delete(self, ids: Iterable[str]) -> None:
        keys = [(i,) for i in ids]
        with self._lock, self._db:
            self._db.executemany(_DELETE_DOC, keys)
            self._db.executemany("DELETE FROM doc_keys WHERE node_id = ?", keys)

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM docs")
            self._db.execute("DELETE FROM doc_keys")

    def mark_current(self) -> None:
        """Record that every document was made by the current rule (after a full rebuild, not before:
        a rebuild cut short leaves the index outdated, so the next open rebuilds it again)."""
        with self._lock, self._db:
            self._db.execute(f"PRAGMA user_version = {DOCUMENT_VERSION}")

    def search(self, text: str, first: int) -> list[tuple[str, float]]:
        """Every token must match (as a prefix); best bm25 first; score is positive, higher is better."""
        tokens = _TOKEN.findall(fold(text))
        if not tokens:
            return []
        match = " AND ".join(f'"{t}"*' for t in tokens)
        with self._lock:
            rows = self._db.execute(
                "SELECT node_id, bm25(docs, 0.0, 10.0, 1.0) AS rank FROM docs WHERE docs MATCH ? "
                "ORDER BY rank, node_id LIMIT ?", (match, first)).fetchall()
        return [(node_id, round(-rank, 6)) for node_id, rank in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()
