"""German spelling folds: one table for Python and for the store's Cypher, so filters and NAME ordering agree.

`Mölln` and `Moelln` are the same name to a German reader (ä/ae, ö/oe, ü/ue, ß/ss), and a
phone-book collation (DIN 5007-2) sorts Ö with O: folding both the stored name and the caller's
text with the same table gives both. The table is applied in Python to parameters and, as nested
`replace` calls, in Cypher to stored names (both LadybugDB and Neo4j have `lower` and `replace`).
"""

from __future__ import annotations

FOLDS: tuple[tuple[str, str], ...] = (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"))


def fold(text: str) -> str:
    """Lower-case `text` and spell umlauts and ß out: 'Mölln' -> 'moelln'."""
    folded = text.lower()
    for umlaut, spelled in FOLDS:
        folded = folded.replace(umlaut, spelled)
    return folded


def folded_cypher(expression: str) -> str:
    """The Cypher expression that folds `expression` exactly as `fold` does."""
    folded = f"lower({expression})"
    for umlaut, spelled in FOLDS:
        folded = f"replace({folded}, '{umlaut}', '{spelled}')"
    return folded
