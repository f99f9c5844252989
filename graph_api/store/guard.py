"""A text check run before an untrusted query reaches the engine's own read-only mode.

The read-only database handle refuses writes to the graph, but some statements touch the
world outside it and still pass: LadybugDB's `COPY (...) TO 'file'` writes files on the server,
`LOAD FROM 'file'` (and Neo4j's `LOAD CSV`) read arbitrary files or URLs, `INSTALL` downloads
extensions, and `CHECKPOINT` on a read-only handle puts the process's WAL into a panic state.
Schema changes (`DROP`, `ALTER`) are refused here too, so both dialects answer them alike.
None of these has a place in an analyst's query, so their keywords are refused outright (outside
string literals, comments and backtick names), as are several statements in one text.
"""

from __future__ import annotations

import re

from graph_api.store.base import QueryRejected

_DENIED = frozenset({
    "COPY", "LOAD", "EXPORT", "IMPORT", "INSTALL", "UNINSTALL", "ATTACH", "DETACH", "USE", "CHECKPOINT",
    "BEGIN", "COMMIT", "ROLLBACK", "DROP", "ALTER",
})
# literals and comments first, so their content is never read as a keyword
_SKIPPED = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`[^`]*`|//[^\n]*|/\*.*?\*/", re.DOTALL)
_WORD = re.compile(r"(?<![\w.$])[A-Za-z_]\w*")
_SETTING = re.compile(r"\bCALL\s+\w+\s*=", re.IGNORECASE)


def check_read_query(query: str) -> None:
    """Raise QueryRejected when `query` is more than one statement or uses a refused keyword."""
    code = _SKIPPED.sub(" ", query)
    if ";" in code.strip().rstrip(";"):
        raise QueryRejected("only one statement per query is allowed")
    for word in _WORD.findall(code):
        if word.upper() in _DENIED:
            raise QueryRejected(f"'{word.upper()}' is not allowed in a read-only query")
    if _SETTING.search(code):
        raise QueryRejected("changing database settings is not allowed in a read-only query")
