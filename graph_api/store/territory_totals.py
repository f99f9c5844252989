"""Population and area of states, counties and associations: always summed from the stored municipalities.

GV100AD states population and area only for municipalities (Satzart 60); every higher total is
derived. A total summed from one file is only as complete as that file: the two-county extract
would state Schleswig-Holstein's population as 199,152 (true: 2,910,875) and overwrite the value
of the full directory loaded before it. So the loader states no totals, and every write that
adds or changes municipalities or the PART_OF tree re-sums the territories above them from all
municipalities in the store (the full directory's records, if it was loaded) together with the
write's own, under the store's write lock, and writes the totals in the same batch. A partial
file therefore never lowers a total, and re-loading it after the full directory changes nothing.
(Summing inside the transaction after the write was measured to crash the engine when the disk
filled during a full load: thousands of logged updates.) The texts are the same on LadybugDB and Neo4j.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graph_api.model import key_of, label_of
from graph_api.rows import GraphRows

Read = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]  # the store's `read`
LEVELS = ("Association", "County", "State")  # the levels that hold municipalities


def members(label: str) -> str:
    return (f"UNWIND $ids AS i MATCH (t:{label} {{id: i}})<-[:PART_OF*1..3]-(m:Municipality) "
            "RETURN t.id AS id, m.id AS m, m.population AS population, m.area_ha AS area_ha")


def existing(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (t:{label} {{id: i}}) RETURN t.id AS id"


# The associations a municipality is stored under now: a reload that moves it to another Amt must
# re-sum the old one too (without it, the old Amt kept the moved municipality until the next load).
STORED_ASSOCIATIONS = ("UNWIND $ids AS i MATCH (:Municipality {id: i})-[:PART_OF]->(a:Association) "
                       "RETURN a.id AS id")


def texts() -> dict[str, str]:
    """Every text this module sends (for the Neo4j lint)."""
    return {**{f"totals-members-{label}": members(label) for label in LEVELS},
            **{f"totals-existing-{label}": existing(label) for label in LEVELS},
            "totals-stored-associations": STORED_ASSOCIATIONS}


def fill(read: Read, rows: GraphRows) -> None:
    """Add to `rows` the totals of every territory above its municipalities and PART_OF edges.

    Each total sums the stored municipalities under the territory, with those of `rows` in place
    of (or added to) the stored ones. Computed before the write, under the store's write lock, so
    the totals go into the same batch (bulk-created territories get them without a second,
    logged update of thousands of rows)."""
    targets: set[str] = set()
    batch: dict[str, dict[str, Any]] = {row["id"]: row for row in rows.nodes.get("Municipality", [])}
    for row in batch.values():
        targets |= _above(key_of(row["id"]), row.get("ars"))
    moving = sorted(m_id for m_id, row in batch.items() if row.get("ars"))
    if moving:
        targets |= {r["id"] for r in read(STORED_ASSOCIATIONS, {"ids": moving})}
    for (rel, _, _), rel_rows in rows.rels.items():
        if rel == "PART_OF":
            for row in rel_rows:
                targets |= {row["to"], *_above(key_of(row["from"])), *_above(key_of(row["to"]))}
    stated = {row["id"]: row for label in LEVELS for row in rows.nodes.get(label, [])}
    for label in LEVELS:
        wanted = sorted(t for t in targets if label_of(t) == label)
        if not wanted:
            continue
        known = {t for t in wanted if t in stated} | {r["id"] for r in read(existing(label), {"ids": wanted})}
        wanted = sorted(known)  # keys of territories that do not exist (a state-level area's Kreis 000) drop out
        under: dict[str, dict[str, tuple[Any, Any]]] = {t: {} for t in wanted}
        stored_under: dict[str, set[str]] = {}
        emptied: set[str] = set()  # territories a municipality of the batch leaves (their totals may drop to 0)
        for r in read(members(label), {"ids": wanted}):
            under[r["id"]][r["m"]] = (r["population"], r["area_ha"])
            stored_under.setdefault(r["m"], set()).add(r["id"])
        for m_id, row in batch.items():
            home = _above(key_of(m_id), row.get("ars"))
            if row.get("ars"):  # the batch states where it lies now: it leaves the territories it was under
                for t in stored_under.get(m_id, set()) - home:
                    under[t].pop(m_id, None)
                    emptied.add(t)
            for t in home:
                if t in under:
                    under[t][m_id] = (row.get("population"), row.get("area_ha"))
        for t, found in under.items():
            if not found and t not in emptied:
                continue
            totals = {"population": int(sum(p or 0 for p, _ in found.values())),
                      "area_ha": float(sum(a or 0 for _, a in found.values()))}
            if t in stated:
                stated[t].update(totals)
            else:
                rows.add_node(label, {"id": t, **totals})
def _above(key: str, ars: str | None = None) -> set[str]:
    """Ids of the territories a territorial key lies in (those not stored are simply not matched)."""
    found = {f"State:{key[:2]}"} if len(key) > 2 else set()
    if len(key) > 5:
        found.add(f"County:{key[:5]}")
    if ars:
        found.add(f"Association:{ars[:9]}")
    return found
