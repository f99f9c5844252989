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

_NAME_FIELDS = ("name", "label", "title", "short_name", "role_label")
_TEXT_FIELDS = ("summary", "description", "definition", "outcome", "kind", "seat", "publisher", "note")
_UE = re.compile(r"(?<!q)ue")
_TOKEN = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case, transliterate German umlaut spellings and drop accents."""
    text = text.lower().replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return _UE.sub("u", text.replace("ae", "a").replace("oe", "o"))


def _document(props: dict[str, Any]) -> tuple[str, str]:
    fields = _NAME_FIELDS
    if props.get("visibility") not in (None, "public"):  # a restricted actor is found by role, not by name
        fields = tuple(f for f in fields if f != "name")
    names = " ".join(str(props[f]) for f in fields if props.get(f))
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

    def upsert(self, nodes: Iterable[tuple[str, dict[str, Any]]]) -> None:
        rows = [(node_id, *_document(props)) for node_id, props in nodes]
        with self._lock, self._db:
            self._db.executemany("DELETE FROM docs WHERE node_id = ?", [(r[0],) for r in rows])
            self._db.executemany("INSERT INTO docs(node_id, names, texts) VALUES (?, ?, ?)", rows)

    def delete(self, ids: Iterable[str]) -> None:
        with self._lock, self._db:
            self._db.executemany("DELETE FROM docs WHERE node_id = ?", [(i,) for i in ids])

    def clear(self) -> None:
        with self._lock, self._db:
            self._db.execute("DELETE FROM docs")

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
