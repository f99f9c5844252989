"""The Cypher of the mission questions: every row the analytics in `graph_api.mission` start from.

Each function takes the store's `read(text, params)` and its dialect, so the same texts serve a
GraphQL request (within its time budget) and a named query. Texts differ between the dialects
only where LadybugDB and Neo4j name things differently (`label(r)` / `type(r)`, the stored direction
of an edge matched both ways). Lookups start from primary keys: one query per id for a few ids,
`UNWIND` for many (`by_ids`; measured: `IN`-lists grow quadratic on Germany-size batches, and one
query of 31 lookups joined by `UNION ALL` cost 4x the 31 single lookups, see `docs/benchmarks.md`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph_api.mission.definitions import (
    CONCEPT_DEPTH,
    CONTACT_EDGES,
    DEPARTMENT_DEPTH,
    LINEAGE_MAX_GENERATIONS,
    contact_pairs,
)
from graph_api.model import label_of

Read = Callable[[str, Mapping[str, Any]], list[dict[str, Any]]]


class StoreRead:
    """A caller's `read` (its time budget, its query count) that also names the store it reads.

    What the mission analytics derive from the whole graph (`graph_api.mission.adoption_index`) is
    kept per store and rebuilt when `store.data_version()` changes; a plain function as `read`
    keeps nothing."""

    def __init__(self, store: Any, read: Read):  # noqa: ANN401 - any Store, or a wrapper forwarding to one
        self.store = store
        self._read = read

    def __call__(self, text: str, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        return self._read(text, params)
CHUNK = 20_000
# Below this many ids one primary-key query per id is fastest; above it one UNWIND. Measured on the
# Germany-scale graph (LadybugDB 0.22): a KNOWS expansion costs ~1 ms per id as single lookups, while
# `UNWIND $ids AS i MATCH (a:Actor {id: i})-[...]-(b)` costs ~0.5-1 s whatever the number of ids (it
# scans the relationship table), and `WHERE a.id IN $ids` grows quadratic (4,000 ids: 7 s).
PER_ID_MAX = 300


def one(template: str) -> str:
    """The text of `template` for one id (`$id`); `@` marks where the id goes."""
    return template.replace("@", "$id")


def many(template: str) -> str:
    """The text of `template` for a list of ids (`$ids`)."""
    return "UNWIND $ids AS i " + template.replace("@", "i")


def by_ids(read: Read, template: str, ids: list[str], params: Mapping[str, Any] | None = None
           ) -> list[dict[str, Any]]:
    """Rows of `template` for every id, by single lookups for few ids and by UNWIND for many."""
    extra = dict(params or {})
    if len(ids) <= PER_ID_MAX:
        text = one(template)
        return [row for node_id in ids for row in read(text, {**extra, "id": node_id})]
    rows: list[dict[str, Any]] = []
    for start in range(0, len(ids), CHUNK):
        rows += read(many(template), {**extra, "ids": ids[start:start + CHUNK]})
    return rows


def _rel_label(dialect: str) -> str:
    return "type(r)" if dialect == "neo4j" else "label(r)"


def _leaves(dialect: str) -> str:
    """Whether the relationship `r` of an undirected match leaves `a` (null when there is none).

    LadybugDB's `start_node(r)` names the node on the pattern's left whichever way the edge is stored
    (measured with 0.22), so its stored source is compared instead."""
    return "startNode(r) = a" if dialect == "neo4j" else "struct_extract(r, '_src') = id(a)"


def _edge_types(label: str) -> list[str]:
    """Contact edge types that may touch nodes of `label`, either way."""
    return sorted({e.type for e in CONTACT_EDGES if label in e.from_labels or label in e.to_labels})


def _touching(dialect: str, label: str) -> str:
    """`OPTIONAL MATCH` of the contact edges of `a`, both directions in one pattern, with their direction.

    One undirected read costs about what one direction does (measured at Germany scale: County 13076's
    groups 8 -> 4 queries, ~25 ms CPU less), so every read below asks for both ways at once."""
    return (f"OPTIONAL MATCH (a)-[r:{'|'.join(_edge_types(label))}]-(b) "
            f"RETURN a.id AS a, {_rel_label(dialect)} AS t, b.id AS b, {_leaves(dialect)} AS out")


def neighbour_texts(dialect: str) -> dict[str, str]:
    """Per label: the query template reading the contact edges of one node, both directions."""
    labels = sorted({lab for e in CONTACT_EDGES for lab in (*e.from_labels, *e.to_labels)})
    return {label: f"MATCH (a:{label} {{id: @}}) {_touching(dialect, label)}" for label in labels}


_PAIRS = contact_pairs()


Edge = tuple[str, str, str, bool]  # (node, relationship type, neighbour, True if the edge leaves the node)


def _kept(rows: list[dict[str, Any]], label: str) -> list[Edge]:
    """Rows (a, t, b, out) of `label` nodes as edges, only the contact edge kinds (`CONTACT_EDGES`: e.g.
    PART_OF only from a municipality to its association, never to a county); rows without an edge are dropped."""
    return [(r["a"], r["t"], r["b"], bool(r["out"])) for r in rows if r["b"] is not None and (
        (r["t"], label, label_of(r["b"])) if r["out"] else (r["t"], label_of(r["b"]), label)) in _PAIRS]


def directed_neighbours(read: Read, dialect: str, ids: Iterable[str]) -> list[Edge]:
    """Contact edges touching `ids`, both directions, by primary-key lookups (`by_ids`)."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node_id in ids:
        label = label_of(node_id)
        if label:
            by_label[label].append(node_id)
    texts = neighbour_texts(dialect)
    found: list[Edge] = []
    for label, wanted in by_label.items():
        if label in texts:
            found += _kept(by_ids(read, texts[label], wanted), label)
    return found


def contact_neighbours(read: Read, dialect: str, ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """Contact edges touching `ids`, as (node in ids, relationship type, neighbour), both directions."""
    return [(a, t, b) for a, t, b, _ in directed_neighbours(read, dialect, ids)]


# Contact edges of everything around a county in a few bulk reads, each anchored where LadybugDB starts
# fast (a property scan of one label, a primary key): measured at Germany scale ~4-15 ms CPU each, where the
# same edges by id cost ~0.5 ms per node (~300 lookups for County 13076).
_AROUND = {  # which nodes: (label, pattern binding `a` to them, with $ags / $county)
    "county": ("County", "MATCH (a:County {id: $county})"),
    "municipalities": ("Municipality", "MATCH (a:Municipality) WHERE a.county_ags = $ags"),
    "associations": ("Association", "MATCH (a:Association) WHERE a.county_ags = $ags"),
    "administrations": ("Organization", "MATCH (a:Organization)-[:ADMINISTERS]->(t) "
                                        "WHERE t.county_ags = $ags OR t.id = $county WITH DISTINCT a"),
    # public enterprises and networks of the county's places: next to a municipality, so every search from it
    # reads them (13 lookups by id for County 13076, ~15 ms CPU; this read ~8 ms)
    "attached": ("Organization", "MATCH (a:Organization)-[:OWNED_BY|MEMBER_OF]-(t) "
                                 "WHERE t.county_ags = $ags OR t.id = $county WITH DISTINCT a"),
    # without DISTINCT (~4 ms less): somebody working for two county administrations gives their edges twice,
    # which `Contacts` folds
    "county_staff": ("Actor", "MATCH (:County {id: $county})<-[:ADMINISTERS]-(:Organization)<-[:WORKS_FOR]-(a:Actor)"),
}


def around_texts(dialect: str) -> dict[str, tuple[str, str]]:
    """Per group of `_AROUND`: (label, text); every node of the group gives a row, with a null relationship
    when it has no contact edge (so the group's members are known)."""
    return {name: (label, f"{match} {_touching(dialect, label)}") for name, (label, match) in _AROUND.items()}


class Contacts:
    """The contact edges one answer has read, each node's read once: in bulk around a county, then by id.

    A node is in `edges` only when all its contact edges, both directions, have been read, so a
    search over `expand` sees the same graph as one over `contact_neighbours`."""

    def __init__(self, read: Read, dialect: str):
        self.read, self.dialect = read, dialect
        self.edges: dict[str, list[tuple[str, str, bool]]] = {}

    def around_county(self, county: dict[str, Any]) -> None:
        """Read the edges of the county, its municipalities, associations, their and the county's
        administrations, the enterprises and networks linked to those places, and the county
        administrations' staff."""
        found: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
        for label, text in around_texts(self.dialect).values():
            rows = self.read(text, {"ags": county["ags"], "county": county["id"]})
            for row in rows:
                found.setdefault(row["a"], [])
            for a, t, b, way in _kept(rows, label):
                found[a].append((t, b, way))
        for node_id, edges in found.items():
            self.edges.setdefault(node_id, sorted(set(edges)))

    def directed(self, ids: Iterable[str]) -> list[Edge]:
        """Contact edges of `ids` with their direction; reads by id what is not known yet."""
        wanted = list(dict.fromkeys(ids))
        missing = [i for i in wanted if i not in self.edges]
        if missing:
            found: dict[str, list[tuple[str, str, bool]]] = {i: [] for i in missing}
            for a, t, b, way in directed_neighbours(self.read, self.dialect, missing):
                found[a].append((t, b, way))
            for node_id, edges in found.items():
                self.edges[node_id] = sorted(set(edges))
        return [(a, t, b, way) for a in wanted for t, b, way in self.edges[a]]

    def expand(self, ids: Iterable[str]) -> list[tuple[str, str, str]]:
        """`contacts.Expand`: contact edges of `ids` as (node, type, neighbour)."""
        return [(a, t, b) for a, t, b, _ in self.directed(ids)]

    def into(self, ids: Iterable[str], rel_type: str, label: str) -> dict[str, set[str]]:
        """Per node of `ids`: the `label` nodes with a `rel_type` edge into it."""
        found: dict[str, set[str]] = defaultdict(set)
        for a, t, b, outgoing in self.directed(ids):
            if t == rel_type and not outgoing and label_of(b) == label:
                found[a].add(b)
        return found


def node(read: Read, node_id: str) -> dict[str, Any] | None:
    """One node by id (labelled lookup), or None."""
    label = label_of(node_id)
    if label is None:
        return None
    rows = read(f"MATCH (n:{label} {{id: $id}}) RETURN n AS n", {"id": node_id})
    return {**rows[0]["n"], "_label": label} if rows else None


def nodes(read: Read, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Nodes by id in one query per label."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node_id in dict.fromkeys(ids):
        label = label_of(node_id)
        if label:
            by_label[label].append(node_id)
    found = {}
    for label, wanted in by_label.items():
        for row in by_ids(read, f"MATCH (n:{label} {{id: @}}) RETURN n AS n", wanted):
            found[row["n"]["id"]] = {**row["n"], "_label": label}
    return found


# ---- the county frame: its administrations, its municipalities and their own sides ----------------

COUNTY_ADMINISTRATIONS = "MATCH (o:Organization)-[:ADMINISTERS]->(:County {id: $county}) RETURN o.id AS id"
COUNTY_MUNICIPALITIES = (
    "MATCH (m:Municipality) WHERE m.county_ags = $ags "
    "OPTIONAL MATCH (m)-[:PART_OF]->(a:Association) "
    "RETURN m AS m, a.id AS association, a.name AS association_name, a.kind AS association_kind"
)
MUNICIPALITY_WITH_ASSOCIATION = (
    "MATCH (m:Municipality {id: $id}) OPTIONAL MATCH (m)-[:PART_OF]->(a:Association) "
    "RETURN m AS m, a.id AS association, a.name AS association_name, a.kind AS association_kind"
)


def _with_association(row: dict[str, Any]) -> dict[str, Any]:
    return {**row["m"], "_label": "Municipality", "_association": row["association"],
            "_association_name": row["association_name"], "_association_kind": row["association_kind"]}


def county_municipalities(read: Read, county: dict[str, Any]) -> list[dict[str, Any]]:
    """The county's municipalities, each with its association (id, name, kind) if it has one."""
    return [_with_association(r) for r in read(COUNTY_MUNICIPALITIES, {"ags": county["ags"]})]


def municipality(read: Read, municipality_id: str) -> dict[str, Any] | None:
    rows = read(MUNICIPALITY_WITH_ASSOCIATION, {"id": municipality_id})
    return _with_association(rows[0]) if rows else None


def county_frame(read: Read, county: dict[str, Any], contacts: Contacts) -> dict[str, Any]:
    """Everything about a county the contact analytics need besides the paths, from the contact edges:
    each municipality's own administrations (of it or of an association it is PART_OF), their
    departments (SUB_ORGANIZATION_OF, `DEPARTMENT_DEPTH` levels: any depth) and everybody who WORKS_FOR one."""
    municipalities = county_municipalities(read, county)
    contacts.around_county(county)
    sources = sorted(contacts.into([county["id"]], "ADMINISTERS", "Organization").get(county["id"], ()))
    ids = [m["id"] for m in municipalities]
    member_of: dict[str, set[str]] = defaultdict(set)
    for m, rel_type, x, outgoing in contacts.directed(ids):
        if rel_type == "PART_OF" and outgoing:
            member_of[m].add(x)
    associations = sorted({x for found in member_of.values() for x in found})
    administering = contacts.into([*ids, *associations], "ADMINISTERS", "Organization")
    own = {m: administering.get(m, set()).union(*(administering.get(x, set()) for x in member_of.get(m, ())))
           for m in ids}
    orgs = sorted({o for found in own.values() for o in found})
    departments: dict[str, set[str]] = defaultdict(set)
    frontier = {o: {o} for o in orgs}  # administration -> departments found at the last level
    level = 0
    while DEPARTMENT_DEPTH is None or level < DEPARTMENT_DEPTH:  # a cycle ends it: nothing new turns up
        level += 1
        below = contacts.into(sorted({d for found in frontier.values() for d in found}), "SUB_ORGANIZATION_OF",
                              "Organization")
        frontier = {o: {x for d in found for x in below.get(d, ())} - departments[o] - {o}
                    for o, found in frontier.items()}
        for o, found in frontier.items():
            departments[o] |= found
        if not any(frontier.values()):
            break
    everyone = sorted(set(orgs) | {d for found in departments.values() for d in found})
    staff = contacts.into(everyone, "WORKS_FOR", "Actor")
    return {"sources": sources, "municipalities": municipalities,
            "own_administrations": {m: found for m, found in own.items() if found},
            "departments": departments, "staff": staff}


# ---- adoptions -----------------------------------------------------------------------------------

SOLUTIONS = "MATCH (s:Solution) RETURN s AS s"
SOLUTIONS_FOR_NEED = (
    f"MATCH (s:Solution)-[:ADDRESSES]->(:Concept)-[:BROADER*0..{CONCEPT_DEPTH}]->(:Concept {{id: $need}}) "
    "RETURN DISTINCT s.id AS id"
)
# Solutions that address what a municipality's open recorded needs concern (or something narrower), per need
_NEED_MATCHES = (f"MATCH (n)-[:CONCERNS]->(c:Concept) "
                 f"MATCH (s:Solution)-[:ADDRESSES]->(:Concept)-[:BROADER*0..{CONCEPT_DEPTH}]->(c) "
                 "RETURN s.id AS solution, n.id AS need, n.recorded_on AS recorded_on, c.id AS concept, "
                 "c.label AS label")
RECORDED_NEEDS = (
    "MATCH (n:Need)-[:NEEDED_BY]->(:Municipality {id: $home}) WHERE n.status IN $open " + _NEED_MATCHES + " UNION "
    "MATCH (n:Need)-[:NEEDED_BY]->(:Organization)-[:ADMINISTERS]->(:Municipality {id: $home}) "
    "WHERE n.status IN $open " + _NEED_MATCHES
)
# The needs log of a county: needs of the county, its associations and municipalities, and of the
# organisations that administer any of them
NEEDS_IN_COUNTY = (
    "MATCH (c:County {id: $county}) MATCH (n:Need)-[:NEEDED_BY]->(h) "
    "WHERE n.status IN $statuses AND (h.id = c.id OR h.county_ags = c.ags OR "
    "EXISTS { MATCH (h)-[:ADMINISTERS]->(t) WHERE t.id = c.id OR t.county_ags = c.ags }) "
    "RETURN n.id AS need, h.id AS holder, n.recorded_on AS recorded_on ORDER BY recorded_on DESC, need"
)
# Solutions that address what given needs concern (or something narrower), with the concept's label
SOLUTIONS_FOR_NEEDS = (
    "UNWIND $needs AS i MATCH (n:Need {id: i})-[:CONCERNS]->(c:Concept) "
    f"MATCH (s:Solution)-[:ADDRESSES]->(:Concept)-[:BROADER*0..{CONCEPT_DEPTH}]->(c) "
    "RETURN DISTINCT n.id AS need, s.id AS solution, c.id AS concept, c.label AS label"
)
# Holders of open needs that a solution of a category addresses, and the municipalities a holder administers
NEEDING_CATEGORY = (
    f"MATCH (s:Solution)-[:IN_CATEGORY]->(:Concept)-[:BROADER*0..{CONCEPT_DEPTH}]->(:Concept {{id: $category}}) "
    f"MATCH (s)-[:ADDRESSES]->(:Concept)-[:BROADER*0..{CONCEPT_DEPTH}]->(:Concept)<-[:CONCERNS]-(n:Need) "
    "WHERE n.status IN $open MATCH (n)-[:NEEDED_BY]->(h) OPTIONAL MATCH (h)-[:ADMINISTERS]->(m:Municipality) "
    "RETURN DISTINCT h.id AS holder, m.id AS administered"
)
SOLUTIONS_IN_CATEGORY = (
    f"MATCH (s:Solution)-[:IN_CATEGORY]->(:Concept)-[:BROADER*0..{CONCEPT_DEPTH}]->(:Concept {{id: $category}}) "
    "RETURN DISTINCT s.id AS id, s.name AS name"
)
LINEAGE = (
    "MATCH (a:Adoption)-[:OF]->(:Solution {id: $solution}) "
    "OPTIONAL MATCH (a)-[:LEARNED_FROM]->(b:Adoption) "
    "RETURN a AS n, collect(b.id) AS parents"
)
assert LINEAGE_MAX_GENERATIONS  # the bound is applied in Python on these rows


SOURCED_ADOPTIONS = (
    "UNWIND $ids AS i MATCH (a:Adoption {id: i})-[:SOURCED_FROM]->(s:Source) "
    "WHERE coalesce(s.illustrative, false) = false RETURN DISTINCT a.id AS id"
)


def sourced_adoptions(read: Read, adoption_ids: list[str]) -> set[str]:
    """The adoptions among `adoption_ids` with at least one real (non-illustrative) source."""
    found: set[str] = set()
    for start in range(0, len(adoption_ids), CHUNK):
        found |= {r["id"] for r in read(SOURCED_ADOPTIONS, {"ids": adoption_ids[start:start + CHUNK]})}
    return found


def all_texts(dialect: str) -> dict[str, str]:
    """Every text of this module in `dialect`, by a readable name (for the Neo4j lint); templates in both forms."""
    templates = {f"neighbours-{label}": text for label, text in neighbour_texts(dialect).items()}
    templates |= {"nodes": "MATCH (n:Municipality {id: @}) RETURN n AS n"}
    texts = {f"{name}-one": one(t) for name, t in templates.items()} | {
        f"{name}-many": many(t) for name, t in templates.items()}
    texts |= {"node": "MATCH (n:Municipality {id: $id}) RETURN n AS n",
              "county-administrations": COUNTY_ADMINISTRATIONS, "county-municipalities": COUNTY_MUNICIPALITIES,
              "municipality": MUNICIPALITY_WITH_ASSOCIATION,
              **{f"around-{name}": text for name, (_, text) in around_texts(dialect).items()},
              "solutions": SOLUTIONS, "solutions-for-need": SOLUTIONS_FOR_NEED, "recorded-needs": RECORDED_NEEDS,
              "needs-in-county": NEEDS_IN_COUNTY, "needing-category": NEEDING_CATEGORY,
              "solutions-for-needs": SOLUTIONS_FOR_NEEDS,
              "solutions-in-category": SOLUTIONS_IN_CATEGORY, "lineage": LINEAGE,
              "sourced-adoptions": SOURCED_ADOPTIONS}
    return texts
