"""Every Cypher text the GraphQL layer sends, as constants keyed by name.

Resolvers pick a text by name and pass values as parameters; labels are taken only from the
fixed vocabulary (`graph_api.model`), never from a request. Relations are written for a batch
of parent ids (`$ids`) so one DataLoader round trip answers a whole page (no N+1).
Each relation returns `key` (the parent id), `n` (the related node) and optional `r_*` columns.
Batches start with `MATCH (x:Label) WHERE x.id IN $ids`, not `UNWIND $ids AS i MATCH (...{id: i})`:
LadybugDB plans the UNWIND join as a scan of the whole relationship table (measured 50-800 ms
against 1-6 ms at Germany scale, see bench/RESULTS.md); Neo4j seeks the id index for both.
"""

from __future__ import annotations

from graph_api import policy
from graph_api.mission.definitions import ACTIVE
from graph_api.model import NODE_LABELS, NODE_PROPERTIES, REL_TYPES, TERRITORY_LABELS

_ACTIVE = "[" + ", ".join(f"'{status}'" for status in ACTIVE) + "]"  # "adopted" = an active adoption

# name -> (parent labels it applies to, pattern from the parent `x` to the related node `n`, extra columns)
_RELATIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "territory.parent": (TERRITORY_LABELS, "(x)-[:PART_OF]->(n)", ""),
    "territory.organizations": (TERRITORY_LABELS, "(x)<-[:ADMINISTERS|SERVES]-(n:Organization)", ""),
    "association.county": (("Association",), "(x)-[:PART_OF]->(n:County)", ""),
    "municipality.association": (("Municipality",), "(x)-[:PART_OF]->(n:Association)", ""),
    "organization.territories": (("Organization",), "(x)-[:ADMINISTERS|SERVES]->(n)", ""),
    "organization.parent": (("Organization",), "(x)-[:SUB_ORGANIZATION_OF]->(n:Organization)", ""),
    "organization.owners": (("Organization",), "(x)-[r:OWNED_BY]->(n)", ", r.share AS r_share"),
    "actor.roles": (("Actor",), "(x)-[r:WORKS_FOR]->(n:Organization)",
                    ", r.title AS r_title, r.since AS r_since, r.until AS r_until"),
    "concept.broader": (("Concept",), "(x)-[:BROADER]->(n:Concept)", ""),
    "solution.categories": (("Solution",), "(x)-[:IN_CATEGORY]->(n:Concept)", ""),
    "solution.needs": (("Solution",), "(x)-[:ADDRESSES]->(n:Concept)", ""),
    "solution.originator": (("Solution",), "(x)-[:ORIGINATED_BY]->(n)", ""),
    "solution.awards": (("Solution",), "(x)-[r:RECEIVED]->(n:Award)", ", r.year AS r_year, r.round AS r_round"),
    "adoption.solution": (("Adoption",), "(x)-[:OF]->(n:Solution)", ""),
    "adoption.adopter": (("Adoption",), "(x)-[:BY]->(n)", ""),
    "adoption.learned_from": (("Adoption",), "(x)-[:LEARNED_FROM]->(n:Adoption)", ""),
    "adoption.learned_by": (("Adoption",), "(x)<-[:LEARNED_FROM]-(n:Adoption)", ""),
    "adoption.contacts": (("Adoption",), "(x)-[:CONTACT]->(n:Actor)", ""),
    "adoption.project": (("Adoption",), "(x)-[:IN_PROJECT]->(n:Project)", ""),
    "award.granted_by": (("Award",), "(x)-[:GRANTED_BY]->(n:Organization)", ""),
    "project.participants": (("Project",), "(x)<-[r:PARTICIPATES_IN]-(n)", ", r.role AS r_role"),
    "any.sources": (tuple(label for label in NODE_LABELS if label != "Source"),
                    "(x)-[:SOURCED_FROM]->(n:Source)", ""),
}


def relation_query(name: str, label: str) -> str:
    """The batch query of relation `name` for parents of `label` (both from fixed tables)."""
    labels, pattern, extra = _RELATIONS[name]
    if label not in labels:
        raise KeyError(f"relation {name} does not apply to {label}")
    return f"MATCH (x:{label}) WHERE x.id IN $ids MATCH {pattern} RETURN x.id AS key, n AS n{extra} ORDER BY n.id"


RELATION_NAMES = frozenset(_RELATIONS)

LINK_TYPES = frozenset(REL_TYPES) - {"SOURCED_FROM"}


def link_source_query(rel: str, start_label: str, end_label: str) -> str:
    """The `source` of a relationship between pairs of nodes, matched in either direction."""
    if rel not in LINK_TYPES or start_label not in NODE_LABELS or end_label not in NODE_LABELS:
        raise KeyError(f"no link {rel} between {start_label} and {end_label}")
    return (f"UNWIND $pairs AS p MATCH (a:{start_label} {{id: p.f}})-[r:{rel}]-(b:{end_label} {{id: p.t}}) "
            "RETURN p.f AS f, p.t AS t, r.source AS source")


# a list restricted to sourced facts: at least one real (non-illustrative) source
SOURCED_ONLY = ("EXISTS { MATCH (n)-[:SOURCED_FROM]->(src:Source) "
                "WHERE coalesce(src.illustrative, false) = false }")

NODES_BY_ID = {label: f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) RETURN n AS n" for label in NODE_LABELS}

# ---- nested connections: ids and sort keys of all children of a batch of parents ------------------
# Only (id, key) travel for the whole list; the page's nodes are then loaded by id, so a parent
# with thousands of children costs two small reads, not thousands of converted nodes.
_NAME_KEY = "lower(coalesce(n.name, ''))"
_ROLE_KEY = "lower(coalesce(n.role_label, ''))"
_START_KEY = "coalesce(n.started_on, '')"
CHILDREN: dict[str, str] = {
    "state.counties":
        f"MATCH (x:State) WHERE x.id IN $ids MATCH (n:County)-[:PART_OF]->(x) RETURN x.id AS key, n.id AS id, "
        f"{_NAME_KEY} AS k",
    "county.associations":
        f"MATCH (x:County) WHERE x.id IN $ids MATCH (n:Association)-[:PART_OF]->(x) RETURN x.id AS key, n.id AS id, "
        f"{_NAME_KEY} AS k",
    "county.municipalities":
        f"MATCH (c:County) WHERE c.id IN $ids MATCH (n:Municipality) WHERE n.county_ags = c.ags "
        f"RETURN c.id AS key, n.id AS id, {_NAME_KEY} AS k",
    "association.municipalities":
        f"MATCH (x:Association) WHERE x.id IN $ids MATCH (n:Municipality)-[:PART_OF]->(x) "
        f"RETURN x.id AS key, n.id AS id, {_NAME_KEY} AS k",
    "organization.people":
        f"MATCH (x:Organization) WHERE x.id IN $ids MATCH (n:Actor)-[:WORKS_FOR]->(x) "
        f"RETURN DISTINCT x.id AS key, n.id AS id, {_ROLE_KEY} AS k",
    "actor.knows":
        f"MATCH (x:Actor) WHERE x.id IN $ids MATCH (x)-[:KNOWS]-(n:Actor) "
        f"RETURN DISTINCT x.id AS key, n.id AS id, {_ROLE_KEY} AS k",
}
ADOPTIONS_BY = {
    # adoptions whose adopter is the parent (a territory or an organisation), or of a solution
    label: f"MATCH (x:{label}) WHERE x.id IN $ids MATCH (n:Adoption)-[:BY]->(x) "
           f"RETURN x.id AS key, n.id AS id, {_START_KEY} AS k"
    for label in (*TERRITORY_LABELS, "Organization")
} | {"Solution": f"MATCH (x:Solution) WHERE x.id IN $ids MATCH (n:Adoption)-[:OF]->(x) "
                 f"RETURN x.id AS key, n.id AS id, {_START_KEY} AS k"}

ADOPTER_COUNT = (
    "MATCH (s:Solution) WHERE s.id IN $ids "
    "OPTIONAL MATCH (a:Adoption)-[:OF]->(s) WHERE a.status IN " + _ACTIVE + " "
    "OPTIONAL MATCH (a)-[:BY]->(t) "
    "RETURN s.id AS key, count(DISTINCT t.id) AS n"
)

# ---- top-level lists: fixed WHERE fragments, chosen by which filter fields are set -----------------
MUNICIPALITY_FILTERS = {
    "county": "n.county_ags = $county_ags",
    "association": "n.ars STARTS WITH $association_prefix",
    "name_contains": "lower(n.name) CONTAINS $name_contains",
    "min_population": "n.population >= $min_population",
    "max_population": "n.population <= $max_population",
    "has_adopted": "(EXISTS { MATCH (n)<-[:BY]-(a:Adoption)-[:OF]->(:Solution {id: $has_adopted}) "
                   "WHERE a.status IN " + _ACTIVE + " } OR "
                   "EXISTS { MATCH (n)<-[:ADMINISTERS]-(:Organization)<-[:BY]-(a:Adoption)"
                   "-[:OF]->(:Solution {id: $has_adopted}) WHERE a.status IN " + _ACTIVE + " })",
}
ORGANIZATION_FILTERS = {
    "kind": "n.kind IN $kinds",
    "name_contains": "lower(n.name) CONTAINS $name_contains",
    "within": "EXISTS { MATCH (n)-[:ADMINISTERS|SERVES]->(t) WHERE t.ars STARTS WITH $within_prefix }",
}
ACTOR_FILTERS = {
    "organization": "EXISTS { MATCH (n)-[:WORKS_FOR]->(:Organization {id: $organization}) }",
    # a name is matched only where `graph_api.policy` shows it: token holders, or exactly-public actors
    "name_contains": "(lower(n.role_label) CONTAINS $name_contains OR "
                     f"(($authorised OR n.visibility = '{policy.PUBLIC}') AND lower(n.name) CONTAINS $name_contains))",
    "within": "EXISTS { MATCH (n)-[:WORKS_FOR]->(:Organization)-[:ADMINISTERS|SERVES]->(t) "
              "WHERE t.ars STARTS WITH $within_prefix }",
}
SOLUTION_FILTERS = {
    "text": "(lower(n.name) CONTAINS $text OR lower(coalesce(n.summary, '')) CONTAINS $text)",
    "category": "EXISTS { MATCH (n)-[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $category}) }",
    "need": "EXISTS { MATCH (n)-[:ADDRESSES]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $need}) }",
    "awarded_true": "EXISTS { MATCH (n)-[:RECEIVED]->(:Award) }",
    "awarded_false": "NOT EXISTS { MATCH (n)-[:RECEIVED]->(:Award) }",
    "adopted_within": "(EXISTS { MATCH (n)<-[:OF]-(a:Adoption)-[:BY]->(t) WHERE a.status IN " + _ACTIVE +
                      " AND t.ars STARTS WITH $within_prefix } OR "
                      "EXISTS { MATCH (n)<-[:OF]-(a:Adoption)-[:BY]->(:Organization)-[:ADMINISTERS|SERVES]->(t2) "
                      "WHERE a.status IN " + _ACTIVE + " AND t2.ars STARTS WITH $within_prefix })",
}
ADOPTION_FILTERS = {
    "solution": "EXISTS { MATCH (n)-[:OF]->(:Solution {id: $solution}) }",
    "adopter": "EXISTS { MATCH (n)-[:BY]->(t) WHERE t.id = $adopter }",
    "within": "(EXISTS { MATCH (n)-[:BY]->(t) WHERE t.ars STARTS WITH $within_prefix } OR "
              "EXISTS { MATCH (n)-[:BY]->(:Organization)-[:ADMINISTERS|SERVES]->(t2) "
              "WHERE t2.ars STARTS WITH $within_prefix })",
    "status": "n.status IN $statuses",
    "since": "n.started_on >= $since",
}

# sort keys: Cypher expression over `n` and how to compare it in Python (for nested pages)
ORDER_KEYS: dict[str, str] = {
    "NAME": "lower(coalesce(n.name, ''))",
    "LABEL": "lower(coalesce(n.label, ''))",
    "POPULATION": "coalesce(n.population, -1)",
    "STARTED_ON": "coalesce(n.started_on, '')",
    "ADOPTER_COUNT": "COUNT { MATCH (n)<-[:OF]-(a:Adoption)-[:BY]->(t) "
                     "WHERE a.status IN " + _ACTIVE + " }",
    "ID": "n.id",
}


ORDER_PROPERTY = {"POPULATION": "population", "STARTED_ON": "started_on"}


def list_query(label: str, where: list[str], order: str, descending: bool, after: bool) -> tuple[str, str]:
    """(page query, count query) for a top-level connection with keyset pagination on (key, id)."""
    conditions = " AND ".join(where)
    match = f"MATCH (n:{label})" + (f" WHERE {conditions}" if conditions else "")
    if order == "NAME" and "name" not in NODE_PROPERTIES[label]:
        order = "LABEL" if "label" in NODE_PROPERTIES[label] else "ID"
    if order in ("POPULATION", "STARTED_ON") and ORDER_PROPERTY[order] not in NODE_PROPERTIES[label]:
        raise ValueError(f"{label} cannot be ordered by {order}")
    if order == "ADOPTER_COUNT" and label != "Solution":
        raise ValueError("only solutions can be ordered by ADOPTER_COUNT")
    key = ORDER_KEYS[order]
    cmp = "<" if descending else ">"
    direction = " DESC" if descending else ""
    page = f"{match} WITH n, {key} AS k"
    if after:
        page += f" WHERE k {cmp} $after_key OR (k = $after_key AND n.id {cmp} $after_id)"
    page += f" RETURN n AS n, k AS k ORDER BY k{direction}, n.id{direction} LIMIT $limit"
    return page, f"{match} RETURN count(n) AS total"


TERRITORY_BY_KEY = {
    # an official key of any length -> the territory; 9 and 12 digit ARS are resolved by prefix/equality
    "State": "MATCH (n:State {id: $id}) RETURN n AS n",
    "County": "MATCH (n:County {id: $id}) RETURN n AS n",
    "Association": "MATCH (n:Association {id: $id}) RETURN n AS n",
    "Municipality": "MATCH (n:Municipality {id: $id}) RETURN n AS n",
    "ars": "MATCH (n:Municipality) WHERE n.ars = $ars RETURN n AS n",
}
