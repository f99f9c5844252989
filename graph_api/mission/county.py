"""Who connects a county's administration with each of its municipalities, and where that hangs on one person.

Every municipality of the county is answered: reached (hops, number of shortest paths) or
unreached with the reason. Bridges and key persons are counted between the county side (the
organisations that administer the county: the start of every path) and the municipality side
(see `municipality_side`): a municipality's own administration, departments and staff are its
door, not a bridge to it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from graph_api.mission.contacts import Expand, Layers, component_until, through_counts
from graph_api.mission.definitions import BRIDGE_LABELS, KEY_PERSON_LABEL
from graph_api.model import label_of

NO_COUNTY_ADMINISTRATION = "NO_COUNTY_ADMINISTRATION"
NO_OWN_ADMINISTRATION = "NO_OWN_ADMINISTRATION"
NOT_CONNECTED = "NOT_CONNECTED"
BEYOND_MAX_HOPS = "BEYOND_MAX_HOPS"


@dataclass
class Reach:
    municipality: dict[str, Any]
    hops: int | None = None
    paths: int = 0
    reason: str | None = None
    explanation: str | None = None


@dataclass
class Bridge:
    id: str
    score: float = 0.0
    municipalities: set[str] = field(default_factory=set)


@dataclass
class KeyPerson:
    municipality: dict[str, Any]
    person: str
    hops: int
    paths: int


def municipality_side(frame: dict[str, Any], municipality: dict[str, Any]) -> set[str]:
    """The municipality, its association, their administrations, those administrations' departments and staff."""
    own = set(frame["own_administrations"].get(municipality["id"], ()))
    orgs = own | {d for o in own for d in frame["departments"].get(o, ())}
    people = {x for o in orgs for x in frame["staff"].get(o, ())}
    side = {municipality["id"], *orgs, *people}
    if municipality.get("_association"):
        side.add(municipality["_association"])
    return side


def reach(frame: dict[str, Any], found: dict[str, Layers | None], max_hops: int, expand: Expand,
          connected_nodes: set[str]) -> list[Reach]:
    """Every municipality of the county, reached or not (with the reason), in id order."""
    out = []
    connected: dict[str, bool] = {}
    for m in sorted(frame["municipalities"], key=lambda m: m["id"]):
        layers = found.get(m["id"])
        if layers is not None:
            out.append(Reach(m, layers.dist[m["id"]], layers.sigma[m["id"]]))
        elif not frame["sources"]:
            out.append(Reach(m, reason=NO_COUNTY_ADMINISTRATION,
                             explanation="no organisation in the graph administers the county"))
        elif not frame["own_administrations"].get(m["id"]):
            where = f" nor its {m.get('_association_kind') or 'association'} {m['_association_name']}" \
                if m.get("_association_name") else ""
            out.append(Reach(m, reason=NO_OWN_ADMINISTRATION,
                             explanation=f"no contact path of at most {max_hops} hops; neither the municipality"
                                         f"{where} has an administration in the graph"))
        elif not _connected(m["id"], connected_nodes, expand, connected):
            out.append(Reach(m, reason=NOT_CONNECTED,
                             explanation="no chain of contacts of any length connects it with the county "
                                         "administration"))
        else:
            out.append(Reach(m, reason=BEYOND_MAX_HOPS,
                             explanation=f"no contact path of at most {max_hops} hops from the county "
                                         "administration"))
    return out


def _connected(node: str, known: set[str], expand: Expand, memo: dict[str, bool]) -> bool:
    """Whether any chain of contacts, however long, joins `node` with the county administration."""
    if node not in memo:
        found, component = component_until(node, expand, known)
        for member in component:
            memo[member] = found
    return memo[node]


def analyse(frame: dict[str, Any], found: dict[str, Layers | None]) -> tuple[list[Bridge], list[KeyPerson]]:
    """Bridges (ranked) and key persons over the shortest paths to every reached municipality.

    A bridge's score sums, over municipalities, the share of their shortest paths running through
    it; a key person lies on all of them."""
    bridges: dict[str, Bridge] = {}
    keys: list[KeyPerson] = []
    for m in frame["municipalities"]:
        target = m["id"]
        layers = found.get(target)
        if layers is None or target in layers.sources:
            continue
        total = layers.sigma[target]
        side = municipality_side(frame, m) | set(layers.sources)
        for node, count in through_counts(layers, target).items():
            label = label_of(node)
            if node in side or label not in BRIDGE_LABELS:
                continue
            entry = bridges.setdefault(node, Bridge(node))
            entry.score += count / total
            entry.municipalities.add(target)
            if label == KEY_PERSON_LABEL and count == total:
                keys.append(KeyPerson(m, node, layers.dist[target], total))
    ranked = sorted(bridges.values(), key=lambda b: (-round(b.score, 9), b.id))
    keys.sort(key=lambda k: (k.municipality["id"], k.person))
    return ranked, keys


def group_by_municipality(items: list[KeyPerson]) -> dict[str, list[KeyPerson]]:
    grouped: dict[str, list[KeyPerson]] = defaultdict(list)
    for item in items:
        grouped[item.municipality["id"]].append(item)
    return grouped
