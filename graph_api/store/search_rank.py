"""One ranking of search hits for every backend: whole names first, then places and organisations.

The backends' text scores (SQLite bm25, Lucene) reward short documents and repeated words, so
for "Lauenburg" six actor role labels ("…, Stadt Lauenburg/Elbe") outranked the county and the
town. Users of a directory expect the thing named like the query first. Hits are therefore
ordered by, in turn: an official key that is the query (AGS, ARS, postcode); a name that is the
query (also before its ", Stadt"/"/ Elbe" qualifier, and with hyphens or spaces joined); a name
that contains every query word as a whole word; the kind of node (territories, organisations,
solutions and projects, concepts, the rest, people last); the backend's score; the id. The score
reported is this order made numeric, so "higher is better" stays true.

Names are read from what anonymous callers may see (`graph_api.policy.searchable`): a restricted
actor ranks by its role label, exactly as the index holds it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from graph_api import policy
from graph_api.model import TERRITORY_LABELS, label_of
from graph_api.store.search_index import fold

KEY_MATCH, WHOLE_NAME, WHOLE_WORDS, PARTIAL = 0, 1, 2, 3
_KIND_ORDER = {**dict.fromkeys(TERRITORY_LABELS, 0), "Organization": 1, "Solution": 2, "Project": 2, "Concept": 3,
               "Actor": 5}
_OTHER_KIND = 4
_WORD = re.compile(r"[0-9a-z]+")
_SCORE_CAP = 99.0  # backend scores above this count as equal (they never get near in practice)


def _words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def shown_name(node_id: str, props: Mapping[str, Any]) -> str:
    seen = policy.searchable(label_of(node_id) or "", dict(props))
    for key in ("name", "label", "title", "role_label"):
        if seen.get(key):
            return str(seen[key])
    return ""


def match_tier(query: str, node_id: str, props: Mapping[str, Any]) -> int:
    """WHOLE_NAME, WHOLE_WORDS or PARTIAL: how the node's shown name meets the query."""
    wanted = _words(query)
    name = shown_name(node_id, props)
    if not wanted or not name:
        return PARTIAL
    head = re.split(r"[,/(]", name, maxsplit=1)[0]
    if "".join(wanted) in ("".join(_words(name)), "".join(_words(head))):
        return WHOLE_NAME
    return WHOLE_WORDS if set(wanted) <= set(_words(name)) else PARTIAL


def rank(query: str, hits: list[tuple[dict[str, Any], float, int | None]]) -> list[tuple[dict[str, Any], float]]:
    """(node, score) best first; `hits` are (node, backend score, KEY_MATCH or None)."""
    keyed = []
    for node, score, tier in hits:
        tier = KEY_MATCH if tier == KEY_MATCH else match_tier(query, node["id"], node)
        kind = _KIND_ORDER.get(label_of(node["id"]) or "", _OTHER_KIND)
        keyed.append((tier, kind, -min(score, _SCORE_CAP), node["id"], node))
    keyed.sort(key=lambda k: k[:4])
    return [(node, round((PARTIAL + 1 - tier) * 1000 + (_OTHER_KIND + 1 - kind) * 100 - negative, 6))
            for tier, kind, negative, _, node in keyed]
