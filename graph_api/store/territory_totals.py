"""Population and area of states, counties and associations: always summed from the stored municipalities.

GV100AD states population and area only for municipalities (Satzart 60); every higher total is
derived. A total summed from one file is only as complete as that file: the two-county extract
would state Schleswig-Holstein's population as 199,152 (true: 2,910,875) and overwrite the value
of the full directory loaded before it. So the loader states no totals, and every write that
adds or changes municipalities or the PART_OF tree re-sums the territories above them from all
municipalities in the store (the full directory's records, if it was loaded), in the same
transaction as the write. A partial file therefore never lowers a total, and re-loading it after
the full directory changes nothing. The texts are the same on LadybugDB and Neo4j.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from graph_api.model import key_of, label_of
from graph_api.rows import GraphRows

Run = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]  # as `graph_api.store.base.Run`
LEVELS = ("Association", "County", "State")  # the levels that hold municipalities


def sums(label: str) -> str:
    return (f"UNWIND $ids AS i MATCH (t:{label} {{id: i}})<-[:PART_OF*1..3]-(m:Municipality) "
            "RETURN t.id AS id, sum(m.population) AS population, sum(m.area_ha) AS area_ha")


def store_totals(label: str) -> str:
    return (f"UNWIND $rows AS r MATCH (t:{label} {{id: r.id}}) "
            "SET t.population = r.population, t.area_ha = r.area_ha")


def texts() -> dict[str, str]:
    """Every text this module sends (for the Neo4j lint)."""
    out: dict[str, str] = {}
    for label in LEVELS:
        out |= {f"totals-sums-{label}": sums(label), f"totals-store-{label}": store_totals(label)}
    return out


def refresh(run: Run, rows: GraphRows) -> None:
    """Re-sum the totals of every territory above the municipalities and PART_OF edges of `rows`."""
    targets: set[str] = set()
    for row in rows.nodes.get("Municipality", []):
        targets |= _above(key_of(row["id"]), row.get("ars"))
    for (rel, _, _), rel_rows in rows.rels.items():
        if rel == "PART_OF":
            for row in rel_rows:
                targets |= {row["to"], *_above(key_of(row["from"])), *_above(key_of(row["to"]))}
    for label in LEVELS:
        wanted = sorted(t for t in targets if label_of(t) == label)
        if not wanted:
            continue
        totals = [{"id": r["id"], "population": int(r["population"] or 0), "area_ha": float(r["area_ha"] or 0)}
                  for r in run(sums(label), {"ids": wanted})]
        if totals:
            run(store_totals(label), {"rows": totals})


def _above(key: str, ars: str | None = None) -> set[str]:
    """Ids of the territories a territorial key lies in (those not stored are simply not matched)."""
    found = {f"State:{key[:2]}"} if len(key) > 2 else set()
    if len(key) > 5:
        found.add(f"County:{key[:5]}")
    if ars:
        found.add(f"Association:{ars[:9]}")
    return found
