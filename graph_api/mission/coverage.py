"""Which municipalities practise a category of solutions, and through whom.

A municipality is covered by an ACTIVE adoption of a solution in the category (or a narrower
one) by itself or its own administration, or — reported as "via <territory>" — by its
association or its county (or the organisation that administers either). Inhabited
municipalities without any such adoption are the gaps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph_api.mission.definitions import ACTIVE, COVERING_LEVELS
from graph_api.model import label_of


@dataclass
class Cover:
    adoption: str
    solution: str
    adopter: str
    via: str | None  # None: the municipality's own adoption; else the association or county id
    via_name: str | None = None


@dataclass
class Coverage:
    municipality: dict[str, Any]
    covers: list[Cover] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.covers)


def places_of(row: dict[str, Any]) -> list[tuple[str, str | None]]:
    """The territories an adoption row stands for: the adopter itself, or what it administers."""
    if label_of(row["adopter"]) == "Organization":
        return [(row["place"], row.get("place_name"))] if row.get("place") else []
    return [(row["adopter"], row.get("adopter_name"))]


def coverage(municipalities: list[dict[str, Any]], county: dict[str, Any],
             adoption_rows: list[dict[str, Any]]) -> list[Coverage]:
    """Coverage of each municipality (in id order) by the given adoption rows."""
    by_place: dict[str, list[tuple[dict[str, Any], str | None]]] = defaultdict(list)
    for row in adoption_rows:
        if row["status"] not in ACTIVE:
            continue
        for place, name in places_of(row):
            by_place[place].append((row, name))
    out = []
    for m in sorted(municipalities, key=lambda m: m["id"]):
        entry = Coverage(m)
        levels = [(m["id"], None)]
        if "Association" in COVERING_LEVELS and m.get("_association"):
            levels.append((m["_association"], m["_association"]))
        if "County" in COVERING_LEVELS:
            levels.append((county["id"], county["id"]))
        for place, via in levels:
            for row, name in by_place.get(place, ()):
                entry.covers.append(Cover(row["adoption"], row["solution"], row["adopter"], via,
                                          name if via else None))
        entry.covers = sorted({c.adoption + (c.via or ""): c for c in entry.covers}.values(),
                              key=lambda c: (c.via or "", c.adoption))
        out.append(entry)
    return out


def gaps(entries: list[Coverage]) -> list[dict[str, Any]]:
    """Inhabited municipalities without cover, by name."""
    return sorted((e.municipality for e in entries if not e.covered and (e.municipality.get("population") or 0) > 0),
                  key=lambda m: ((m.get("name") or "").lower(), m["id"]))
