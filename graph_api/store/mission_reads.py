"""The Cypher of the mission questions: every row the analytics in `graph_api.mission` start from.

Each function takes the store's `read(text, params)` and its dialect, so the same texts serve a
GraphQL request (within its time budget) and a named query. Texts differ between the dialects
only where LadybugDB and Neo4j name things differently (`label(r)` / `type(r)`).
Lookups start from primary keys: one query per id for a few ids, `UNWIND` for many (`by_ids`;
measured: `IN`-lists grow quadratic on Germany-size batches, see `/docs/benchmarks.md`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from graph_api.mission.definitions import CONCEPT_DEPTH, CONTACT_EDGES, LINEAGE_MAX_GENERATIONS, contact_pairs
from graph_api.model import TERRITORY_LABELS, label_of

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


def _edge_types(label: str) -> tuple[list[str], list[str]]:
    """Contact edge types leaving and entering nodes of `label`."""
    out = sorted({e.type for e in CONTACT_EDGES if label in e.from_labels})
    into = sorted({e.type for e in CONTACT_EDGES if label in e.to_labels})
    return out, into


def neighbour_texts(dialect: str) -> dict[str, tuple[str | None, str | None]]:
    """Per label: (outgoing, incoming) neighbour query templates over the contact edge types it may carry."""
    texts = {}
    for label in sorted({lab for e in CONTACT_EDGES for lab in (*e.from_labels, *e.to_labels)}):
        out, into = _edge_types(label)
        rel = _rel_label(dialect)
        texts[label] = (
            f"MATCH (a:{label} {{id: @}})-[r:{'|'.join(out)}]->(b) "
            f"RETURN a.id AS a, {rel} AS t, b.id AS b" if out else None,
            f"MATCH (a:{label} {{id: @}})<-[r:{'|'.join(into)}]-(b) "
            f"RETURN a.id AS a, {rel} AS t, b.id AS b" if into else None,
        )
    return texts


_PAIRS = contact_pairs()


def contact_neighbours(read: Read, dialect: str, ids: Iterable[str]) -> list[tuple[str, str, str]]:
    """Contact edges touching `ids`, as (node in ids, relationship type, neighbour), both directions.

    Only the edge kinds of `CONTACT_EDGES` are kept (e.g. PART_OF only from a municipality to its
    association, never to a county)."""
    by_label: dict[str, list[str]] = defaultdict(list)
    for node_id in ids:
        label = label_of(node_id)
        if label:
            by_label[label].append(node_id)
    texts = neighbour_texts(dialect)
    found: list[tuple[str, str, str]] = []
    for label, wanted in by_label.items():
        out_text, in_text = texts.get(label, (None, None))
        if out_text:
            found += [(r["a"], r["t"], r["b"]) for r in by_ids(read, out_text, wanted)
                      if (r["t"], label, label_of(r["b"])) in _PAIRS]
        if in_text:
            found += [(r["a"], r["t"], r["b"]) for r in by_ids(read, in_text, wanted)
                      if (r["t"], label_of(r["b"]), label) in _PAIRS]
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
# Organisations that administer a municipality or its association: the municipality's own doors.
OWN_ADMINISTRATIONS = (
    "MATCH (m:Municipality) WHERE m.county_ags = $ags "
    "MATCH (o:Organization)-[:ADMINISTERS]->(m) RETURN m.id AS m, o.id AS o "
    "UNION ALL "
    "MATCH (m:Municipality) WHERE m.county_ags = $ags "
    "MATCH (o:Organization)-[:ADMINISTERS]->(:Association)<-[:PART_OF]-(m) RETURN m.id AS m, o.id AS o"
)
MUNICIPALITY_WITH_ASSOCIATION = (
    "MATCH (m:Municipality {id: $id}) OPTIONAL MATCH (m)-[:PART_OF]->(a:Association) "
    "RETURN m AS m, a.id AS association, a.name AS association_name, a.kind AS association_kind"
)
DEPARTMENTS = "MATCH (d:Organization)-[:SUB_ORGANIZATION_OF*1..5]->(o:Organization {id: @}) RETURN o.id AS o, d.id AS d"
STAFF = "MATCH (x:Actor)-[:WORKS_FOR]->(o:Organization {id: @}) RETURN o.id AS o, x.id AS x"


def _with_association(row: dict[str, Any]) -> dict[str, Any]:
    return {**row["m"], "_label": "Municipality", "_association": row["association"],
            "_association_name": row["association_name"], "_association_kind": row["association_kind"]}


def county_municipalities(read: Read, county: dict[str, Any]) -> list[dict[str, Any]]:
    """The county's municipalities, each with its association (id, name, kind) if it has one."""
    return [_with_association(r) for r in read(COUNTY_MUNICIPALITIES, {"ags": county["ags"]})]


def municipality(read: Read, municipality_id: str) -> dict[str, Any] | None:
    rows = read(MUNICIPALITY_WITH_ASSOCIATION, {"id": municipality_id})
    return _with_association(rows[0]) if rows else None


def county_frame(read: Read, county: dict[str, Any]) -> dict[str, Any]:
    """Everything about a county the contact analytics need besides the contact edges."""
    sources = sorted(r["id"] for r in read(COUNTY_ADMINISTRATIONS, {"county": county["id"]}))
    municipalities = county_municipalities(read, county)
    own: dict[str, set[str]] = defaultdict(set)
    for r in read(OWN_ADMINISTRATIONS, {"ags": county["ags"]}):
        own[r["m"]].add(r["o"])
    orgs = sorted({o for found in own.values() for o in found})
    departments: dict[str, set[str]] = defaultdict(set)
    staff: dict[str, set[str]] = defaultdict(set)
    if orgs:
        for r in by_ids(read, DEPARTMENTS, orgs):
            departments[r["o"]].add(r["d"])
        everyone = sorted(set(orgs) | {d for ds in departments.values() for d in ds})
        for r in by_ids(read, STAFF, everyone):
            staff[r["o"]].add(r["x"])
    return {"sources": sources, "municipalities": municipalities, "own_administrations": own,
            "departments": departments, "staff": staff}


# ---- adoptions -----------------------------------------------------------------------------------

SOLUTIONS = "MATCH (s:Solution) RETURN s AS s"
SOLUTIONS_FOR_NEED = (
    f"MATCH (s:Solution)-[:ADDRESSES]->(:Concept)-[:BROADER*0..{CONCEPT_DEPTH}]->(:Concept {{id: $need}}) "
    "RETURN DISTINCT s.id AS id"
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


# ---- the adoption index (graph_api.mission.adoption_index): whole tables, read once per data version ----
# Plain scans without filters: 100,000 adoptions with their solution and adopter read in ~1.4 s at Germany
# scale, while `WHERE a.status IN $list` on the same join took ~0.2 s more and the aggregate per request ~1 s.
INDEX_ADOPTIONS = (
    "MATCH (a:Adoption)-[:OF]->(s:Solution) MATCH (a)-[:BY]->(x) "
    "RETURN s.id AS solution, a.id AS adoption, a.status AS status, a.started_on AS started_on, x.id AS adopter"
)
INDEX_TERRITORIES = {label: f"MATCH (x:{label}) RETURN x.id AS id, x.name AS name, x.ars AS ars, "
                            "x.population AS population" for label in TERRITORY_LABELS}
INDEX_ORGANISATIONS = "MATCH (x:Organization) RETURN x.id AS id, x.name AS name"
INDEX_ADMINISTERS = "MATCH (o:Organization)-[:ADMINISTERS]->(t) RETURN o.id AS o, t.id AS place"
INDEX_SERVES = "MATCH (o:Organization)-[:SERVES]->(t) RETURN o.id AS o, t.id AS place"
INDEX_AWARDS = "MATCH (s:Solution)-[r:RECEIVED]->(w:Award) RETURN s.id AS solution, w.id AS award, w.name AS name, " \
               "r.year AS year"


def index_rows(read: Read) -> dict[str, list[dict[str, Any]]]:
    """Every row the adoption index is built from, by kind."""
    return {"solutions": [r["s"] for r in read(SOLUTIONS, {})], "awards": read(INDEX_AWARDS, {}),
            "adoptions": read(INDEX_ADOPTIONS, {}),
            "territories": [r for text in INDEX_TERRITORIES.values() for r in read(text, {})],
            "organisations": read(INDEX_ORGANISATIONS, {}), "administers": read(INDEX_ADMINISTERS, {}),
            "serves": read(INDEX_SERVES, {})}


def all_texts(dialect: str) -> dict[str, str]:
    """Every text of this module in `dialect`, by a readable name (for the Neo4j lint); templates in both forms."""
    templates = {f"neighbours-{label}-{way}": text
                 for label, pair in neighbour_texts(dialect).items()
                 for way, text in zip(("out", "in"), pair, strict=True) if text}
    templates |= {"nodes": "MATCH (n:Municipality {id: @}) RETURN n AS n", "departments": DEPARTMENTS,
                  "staff": STAFF}
    texts = {f"{name}-one": one(t) for name, t in templates.items()} | {
        f"{name}-many": many(t) for name, t in templates.items()}
    texts |= {"node": "MATCH (n:Municipality {id: $id}) RETURN n AS n",
              "county-administrations": COUNTY_ADMINISTRATIONS, "county-municipalities": COUNTY_MUNICIPALITIES,
              "municipality": MUNICIPALITY_WITH_ASSOCIATION, "own-administrations": OWN_ADMINISTRATIONS,
              "solutions": SOLUTIONS, "solutions-for-need": SOLUTIONS_FOR_NEED,
              "solutions-in-category": SOLUTIONS_IN_CATEGORY, "lineage": LINEAGE,
              "sourced-adoptions": SOURCED_ADOPTIONS, "index-adoptions": INDEX_ADOPTIONS,
              "index-organisations": INDEX_ORGANISATIONS, "index-administers": INDEX_ADMINISTERS,
              "index-serves": INDEX_SERVES, "index-awards": INDEX_AWARDS,
              **{f"index-{k}": v for k, v in INDEX_TERRITORIES.items()}}
    return texts
