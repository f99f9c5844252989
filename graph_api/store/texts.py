"""Every Cypher text the application sends for its own reads, and how to plan them, in one place.

Texts are built only from the fixed vocabulary (`graph_api.model`) and fixed tables below; values
travel as parameters. Both stores accept every text here (the Neo4j side is linted in the tests
through `all_texts`); dialect differences live with the backend that needs them.

How to start from a batch of ids (measured on LadybugDB 0.22, see docs/benchmarks.md):
- Fetching the nodes themselves: `UNWIND $ids AS i MATCH (n:L {id: i})` is a primary-key lookup
  per id and scales to Germany-size batches; `WHERE n.id IN $ids` tests every node of the label
  against the list, which is quadratic on batches of thousands.
- Expanding relationships from a page of parents (GraphQL; at most a few hundred ids):
  `MATCH (x:L) WHERE x.id IN $ids MATCH (x)-[...]-(n)`. The UNWIND form made LadybugDB scan the
  whole relationship table per batch (actor.knows 833 -> 6 ms; a county page 93 -> 26 ms).
- Expanding from bulk batches (exports, loads: thousands of ids): the UNWIND form again, whose
  per-batch scan is then shared by thousands of parents, where IN would be quadratic.
`parents(label, bulk=...)` is the one place that makes this choice. Neo4j seeks its id index
for every form.
"""

from __future__ import annotations

from graph_api import policy
from graph_api.german import folded_cypher
from graph_api.mission.definitions import ACTIVE
from graph_api.model import NODE_LABELS, NODE_PROPERTIES, REL_TYPES, TERRITORY_LABELS
from graph_api.store import filter_texts

_ACTIVE = "[" + ", ".join(f"'{status}'" for status in ACTIVE) + "]"  # "adopted" = an active adoption


def parents(label: str, var: str = "x", *, bulk: bool = False) -> str:
    """The opening of a query over the batch `$ids` of `label` nodes, planned as explained above."""
    if bulk:
        return f"UNWIND $ids AS i MATCH ({var}:{label} {{id: i}})"
    return f"MATCH ({var}:{label}) WHERE {var}.id IN $ids"


# ---- nodes by id -----------------------------------------------------------------------------------
def nodes_by_ids(label: str) -> str:
    """Whole nodes (`n`) of one label for `$ids`."""
    return f"{parents(label, 'n', bulk=True)} RETURN n AS n"


def node_columns(label: str, properties: tuple[str, ...]) -> str:
    """Chosen properties (`id` first) of `$ids` nodes of one label."""
    columns = ", ".join(["n.id AS id", *(f"n.{p} AS {p}" for p in properties)])
    return f"{parents(label, 'n', bulk=True)} RETURN {columns}"


def node_page(label: str, properties: tuple[str, ...]) -> str:
    """A page of nodes of one label after `$after` in id order (the id index answers both stores)."""
    columns = ", ".join(["n.id AS id", *(f"n.{p} AS {p}" for p in properties)])
    return f"MATCH (n:{label}) WHERE n.id > $after RETURN {columns} ORDER BY n.id LIMIT $limit"


def all_ids(label: str) -> str:
    return f"MATCH (n:{label}) RETURN n.id AS id"


def label_count(label: str) -> str:
    return f"MATCH (n:{label}) RETURN count(n) AS c"


STATE_KEYS = "MATCH (s:State) RETURN s.ags AS ags ORDER BY s.ags"
MUNICIPALITY_BY_ARS = "MATCH (n:Municipality) WHERE n.ars = $ars RETURN n AS n"
MUNICIPALITIES_BY_POSTCODE = "MATCH (n:Municipality) WHERE n.postcode = $p RETURN n.id AS id ORDER BY n.id"
CONCEPTS_OF_SCHEME = "MATCH (c:Concept) WHERE c.scheme = $s RETURN c.id AS id, c.label AS label ORDER BY c.id"


# ---- relationships of a batch, for exports and loads -----------------------------------------------
def out_relationships(rel_type: str, label: str) -> str:
    """Outgoing `rel_type` relationships of a bulk batch of `label` nodes: `f`, `t` and properties."""
    columns = ", ".join(["a.id AS f", "b.id AS t", *(f"r.{p} AS {p}" for p in REL_TYPES[rel_type].properties)])
    return f"{parents(label, 'a', bulk=True)}-[r:{rel_type}]->(b) RETURN {columns}"


def label_table(label: str, properties: tuple[str, ...]) -> str:
    """Every node of one label, chosen properties, in id order (one read for a whole export)."""
    columns = ", ".join(["n.id AS id", *(f"n.{p} AS {p}" for p in properties)])
    return f"MATCH (n:{label}) RETURN {columns} ORDER BY id"


def out_rel_table(rel_type: str, label: str) -> str:
    """Every `rel_type` relationship out of `label` nodes, ordered by start id then target id."""
    columns = ", ".join(["a.id AS f", "b.id AS t", *(f"r.{p} AS {p}" for p in REL_TYPES[rel_type].properties)])
    return f"MATCH (a:{label})-[r:{rel_type}]->(b) RETURN {columns} ORDER BY f, t"


def ids_in_order(label: str) -> str:
    """Every id of one label in id order (where the export's id ranges begin and end)."""
    return f"MATCH (n:{label}) RETURN n.id AS id ORDER BY id"


def node_range(label: str, properties: tuple[str, ...]) -> str:
    """The `label` nodes whose id lies in [`$lo`, `$hi`], chosen properties, unordered (an export page)."""
    columns = ", ".join(["n.id AS id", *(f"n.{p} AS {p}" for p in properties)])
    return f"MATCH (n:{label}) WHERE n.id >= $lo AND n.id <= $hi RETURN {columns}"


def out_rel_range(rel_type: str, label: str, properties: tuple[str, ...]) -> str:
    """The `rel_type` relationships out of `label` nodes whose id lies in [`$lo`, `$hi`], chosen properties,
    unordered: a page of the export by range, which both engines answer by scanning that range only."""
    columns = ", ".join(["a.id AS f", "b.id AS t", *(f"r.{p} AS {p}" for p in properties)])
    return f"MATCH (a:{label})-[r:{rel_type}]->(b) WHERE a.id >= $lo AND a.id <= $hi RETURN {columns}"


def in_relationships(rel_type: str, label: str) -> str:
    """A slice (`$skip`, `$limit`) of the incoming `rel_type` relationships of one node `$id`, by source id."""
    columns = ", ".join(["a.id AS f", *(f"r.{p} AS {p}" for p in REL_TYPES[rel_type].properties)])
    return f"MATCH (a)-[r:{rel_type}]->(b:{label} {{id: $id}}) RETURN {columns} ORDER BY a.id SKIP $skip LIMIT $limit"


def incoming_count(rel_type: str, label: str) -> str:
    return f"MATCH ()-[r:{rel_type}]->(b:{label} {{id: $id}}) RETURN count(r) AS c"


# ---- GraphQL relations: one batch query answers a whole page (no N+1) ------------------------------
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
    # solution profiles, contact channels and the needs log (issue 21)
    "funded.by": (("Solution", "Project"), "(x)-[:FUNDED_BY]->(n)", ""),
    "funded.solutions": (("Organization", "Project"), "(x)<-[:FUNDED_BY]-(n:Solution)", ""),
    "solution.maintainers": (("Solution",), "(x)-[r:MAINTAINED_BY]->(n:Organization)", ", r.until AS r_until"),
    "solution.derived_from": (("Solution",), "(x)-[:DERIVED_FROM]->(n:Solution)", ""),
    "solution.derivatives": (("Solution",), "(x)<-[:DERIVED_FROM]-(n:Solution)", ""),
    "solution.services": (("Solution",), "(x)-[:IMPLEMENTS_SERVICE]->(n:Concept)", ""),
    "evidence.for": (("Solution", "Adoption"), "(x)<-[:EVIDENCE_OF]-(n:Evidence)", ""),
    "evidence.subjects": (("Evidence",), "(x)-[:EVIDENCE_OF]->(n)", ""),
    "holder.contact_points": (("Organization", "Actor"), "(x)-[:HAS_CONTACT_POINT]->(n:ContactPoint)", ""),
    "contact_point.holders": (("ContactPoint",), "(x)<-[:HAS_CONTACT_POINT]-(n)", ""),
    "needs.of": ((*TERRITORY_LABELS, "Organization"), "(x)<-[:NEEDED_BY]-(n:Need)", ""),
    "need.needed_by": (("Need",), "(x)-[:NEEDED_BY]->(n)", ""),
    "need.concerns": (("Need",), "(x)-[:CONCERNS]->(n:Concept)", ""),
    "need.recorded_by": (("Need",), "(x)-[:RECORDED_BY]->(n)", ""),
    "need.matched_with": (("Need",), "(x)-[:MATCHED_WITH]->(n:Solution)", ""),
    "any.sources": (tuple(label for label in NODE_LABELS if label != "Source"),
                    "(x)-[:SOURCED_FROM]->(n:Source)", ""),
}
RELATION_NAMES = frozenset(_RELATIONS)


def related(name: str, label: str) -> str:
    """Relation `name` for a page of `label` parents: `key` (parent id), `n` (node), optional `r_*`."""
    labels, pattern, extra = _RELATIONS[name]
    if label not in labels:
        raise KeyError(f"relation {name} does not apply to {label}")
    return f"{parents(label)} MATCH {pattern} RETURN x.id AS key, n AS n{extra} ORDER BY n.id"


LINK_TYPES = frozenset(REL_TYPES) - {"SOURCED_FROM"}


def link_sources(rel: str, start_label: str, end_label: str) -> str:
    """The `source` of a relationship between pairs (`$pairs` of `f`, `t`), matched in either direction."""
    if rel not in LINK_TYPES or start_label not in NODE_LABELS or end_label not in NODE_LABELS:
        raise KeyError(f"no link {rel} between {start_label} and {end_label}")
    return (f"UNWIND $pairs AS p MATCH (a:{start_label} {{id: p.f}})-[r:{rel}]-(b:{end_label} {{id: p.t}}) "
            "RETURN p.f AS f, p.t AS t, r.source AS source")


# ---- nested connections: (parent, child id, sort key) for all children of a page of parents --------
# Only (id, key) travel for the whole list; the page's nodes are then loaded by id, so a parent
# with thousands of children costs two small reads, not thousands of converted nodes.
_NAME_KEY = folded_cypher("coalesce(n.name, '')")  # German phone-book order: Ö with O
_ROLE_KEY = "lower(coalesce(n.role_label, ''))"
_FOLDED_NAME = folded_cypher("n.name")  # filters compare with the caller's text folded by graph_api.german.fold
_START_KEY = "coalesce(n.started_on, '')"
# name -> (parent label, pattern from `x` to child `n`, sort key, DISTINCT needed)
_CHILDREN: dict[str, tuple[str, str, str, bool]] = {
    "state.counties": ("State", "(n:County)-[:PART_OF]->(x)", _NAME_KEY, False),
    "county.associations": ("County", "(n:Association)-[:PART_OF]->(x)", _NAME_KEY, False),
    "association.municipalities": ("Association", "(n:Municipality)-[:PART_OF]->(x)", _NAME_KEY, False),
    "organization.people": ("Organization", "(n:Actor)-[:WORKS_FOR]->(x)", _ROLE_KEY, True),
    "actor.knows": ("Actor", "(x)-[:KNOWS]-(n:Actor)", _ROLE_KEY, True),
}
_ADOPTIONS_OF = {label: "(n:Adoption)-[:BY]->(x)" for label in (*TERRITORY_LABELS, "Organization")} | {
    "Solution": "(n:Adoption)-[:OF]->(x)"}
CHILD_LISTS = frozenset([*_CHILDREN, "county.municipalities", "adoptions"])


def children(name: str, label: str) -> str:
    """Child ids and sort keys of list `name` for a page of `label` parents: `key`, `id`, `k`."""
    if name == "adoptions":
        return (f"{parents(label)} MATCH {_ADOPTIONS_OF[label]} RETURN x.id AS key, n.id AS id, "
                f"{_START_KEY} AS k")
    if name == "county.municipalities":  # by the AGS the municipality states, not by a relationship
        if label != "County":
            raise KeyError(f"list {name} does not apply to {label}")
        return (f"{parents('County')} MATCH (n:Municipality) WHERE n.county_ags = x.ags "
                f"RETURN x.id AS key, n.id AS id, {_NAME_KEY} AS k")
    parent, pattern, key, distinct = _CHILDREN[name]
    if label != parent:
        raise KeyError(f"list {name} does not apply to {label}")
    return (f"{parents(parent)} MATCH {pattern} RETURN {'DISTINCT ' if distinct else ''}x.id AS key, n.id AS id, "
            f"{key} AS k")


ADOPTER_COUNT = (
    f"{parents('Solution', 's')} "
    "OPTIONAL MATCH (a:Adoption)-[:OF]->(s) WHERE a.status IN " + _ACTIVE + " "
    "OPTIONAL MATCH (a)-[:BY]->(t) "
    "RETURN s.id AS key, count(DISTINCT t.id) AS n"
)

# ---- filters of top-level lists: fixed WHERE fragments, chosen by name ------------------------------
# (Municipality, Organization, Solution and Adoption filters are trees: `filter_texts`; an actor's name
# condition depends on who asks, so actors keep named fragments.)
FILTERS: dict[str, dict[str, str]] = {
    "Actor": {
        "organization": "EXISTS { MATCH (n)-[:WORKS_FOR]->(:Organization {id: $organization}) }",
        # a name is matched only where `graph_api.policy` shows it: token holders, or exactly-public actors
        "name_contains": f"({folded_cypher('n.role_label')} CONTAINS $name_contains OR "
                         f"(($authorised OR n.visibility = '{policy.PUBLIC}') AND {_FOLDED_NAME} CONTAINS "
                         "$name_contains))",
        "within": "EXISTS { MATCH (n)-[:WORKS_FOR]->(:Organization)-[:ADMINISTERS|SERVES]->(t) "
                  "WHERE t.ars STARTS WITH $within_prefix }",
    },
}


# filters that apply to every label
COMMON_FILTERS: dict[str, str] = {
    # a list restricted to sourced facts: at least one real (non-illustrative) source
    "sourced_only": "EXISTS { MATCH (n)-[:SOURCED_FROM]->(src:Source) "
                    "WHERE coalesce(src.illustrative, false) = false }",
}


def _conditions(label: str, filters: list[str], tree: str | None = None) -> str:
    """The named fragments and a compiled filter tree (`filter_texts.compile_tree`), all required."""
    parts = [f"({FILTERS.get(label, {}).get(name) or COMMON_FILTERS[name]})" for name in filters]
    return " AND ".join([*parts, *([tree] if tree else [])])


def matching(label: str, filters: list[str], tree: str | None = None) -> str:
    """Which of `$candidate_ids` satisfy the named filters (a page of candidates: the IN form)."""
    conditions = _conditions(label, filters, tree)
    return f"MATCH (n:{label}) WHERE n.id IN $candidate_ids AND {conditions} RETURN n.id AS id"


# sort keys of top-level lists: a Cypher expression over `n`
ORDER_KEYS: dict[str, str] = {
    "NAME": _NAME_KEY,
    "LABEL": "lower(coalesce(n.label, ''))",
    "POPULATION": "coalesce(n.population, -1)",
    "STARTED_ON": "coalesce(n.started_on, '')",
    "ADOPTER_COUNT": "COUNT { MATCH (n)<-[:OF]-(a:Adoption)-[:BY]->(t) "
                     "WHERE a.status IN " + _ACTIVE + " }",
    "ID": "n.id",
}
_ORDER_PROPERTY = {"POPULATION": "population", "STARTED_ON": "started_on"}


def list_page(label: str, filters: list[str], order: str, descending: bool, after: bool,
              tree: str | None = None) -> tuple[str, str]:
    """(page query, count query) for a top-level list with keyset pagination on (key, id)."""
    conditions = _conditions(label, filters, tree)
    match = f"MATCH (n:{label})" + (f" WHERE {conditions}" if conditions else "")
    if order == "NAME" and "name" not in NODE_PROPERTIES[label]:
        order = "LABEL" if "label" in NODE_PROPERTIES[label] else "ID"
    if order in _ORDER_PROPERTY and _ORDER_PROPERTY[order] not in NODE_PROPERTIES[label]:
        raise ValueError(f"{label} cannot be ordered by {order}")
    if order == "ADOPTER_COUNT" and label != "Solution":
        raise ValueError("only solutions can be ordered by ADOPTER_COUNT")
    cmp = "<" if descending else ">"
    direction = " DESC" if descending else ""
    page = f"{match} WITH n, {ORDER_KEYS[order]} AS k"
    if after:
        page += f" WHERE k {cmp} $after_key OR (k = $after_key AND n.id {cmp} $after_id)"
    page += f" RETURN n AS n, k AS k ORDER BY k{direction}, n.id{direction} LIMIT $limit"
    return page, f"{match} RETURN count(n) AS total"


def adoption_facts(filters: list[str], tree: str | None = None) -> str:
    """Per adoption passing the filters: status, start, the ARS of its adopter and of the territories an
    adopting organisation administers or serves, and its solution's direct categories (for aggregations)."""
    conditions = _conditions("Adoption", filters, tree)
    return ("MATCH (n:Adoption)" + (f" WHERE {conditions}" if conditions else "") +
            " OPTIONAL MATCH (n)-[:BY]->(x) OPTIONAL MATCH (x)-[:ADMINISTERS|SERVES]->(t)"
            " OPTIONAL MATCH (n)-[:OF]->(:Solution)-[:IN_CATEGORY]->(c:Concept)"
            " RETURN n.id AS id, n.status AS status, n.started_on AS started, collect(DISTINCT x.ars) AS own,"
            " collect(DISTINCT t.ars) AS served, collect(DISTINCT c.id) AS categories")


def all_texts() -> dict[str, str]:
    """Every text above, each form once, named (the Neo4j lint in the tests checks them all)."""
    texts: dict[str, str] = {}
    for label in NODE_LABELS:
        props = tuple(NODE_PROPERTIES[label])
        texts |= {f"nodes-{label}": nodes_by_ids(label), f"columns-{label}": node_columns(label, props),
                  f"page-{label}": node_page(label, props), f"ids-{label}": all_ids(label),
                  f"label-count-{label}": label_count(label), f"table-{label}": label_table(label, props),
                  f"ids-in-order-{label}": ids_in_order(label), f"range-{label}": node_range(label, props)}
        for name in RELATION_NAMES:
            try:
                texts[f"rel-{name}-{label}"] = related(name, label)
            except KeyError:
                continue
        for name in CHILD_LISTS:
            try:
                texts[f"children-{name}-{label}"] = children(name, label)
            except KeyError:
                continue
    for rel_type, rel in REL_TYPES.items():
        texts[f"out-{rel_type}"] = out_relationships(rel_type, rel.pairs[0][0])
        texts[f"out-table-{rel_type}"] = out_rel_table(rel_type, rel.pairs[0][0])
        texts[f"out-range-{rel_type}"] = out_rel_range(rel_type, rel.pairs[0][0], tuple(rel.properties))
        texts[f"in-{rel_type}"] = in_relationships(rel_type, rel.pairs[0][1])
        texts[f"in-count-{rel_type}"] = incoming_count(rel_type, rel.pairs[0][1])
    for rel_type, rel in REL_TYPES.items():
        if rel_type in LINK_TYPES:
            texts[f"link-{rel_type}"] = link_sources(rel_type, *rel.pairs[0])
    for label, filters in FILTERS.items():
        names = [*filters, *COMMON_FILTERS]
        texts[f"matching-{label}"] = matching(label, names)
        for order in ("NAME", "ID", "ADOPTER_COUNT" if label == "Solution" else "ID"):
            page, count = list_page(label, names, order, descending=True, after=True)
            texts[f"list-{label}-{order}"], texts[f"count-{label}"] = page, count
    for name, (label, tree) in filter_texts.example_trees().items():
        condition, _ = filter_texts.compile_tree(label, tree)
        texts[f"{name}-matching"] = matching(label, list(COMMON_FILTERS), condition)
        for order in ("NAME", "ID", "ADOPTER_COUNT" if label == "Solution" else "ID"):
            texts[f"{name}-page-{order}"], texts[f"{name}-count"] = list_page(
                label, list(COMMON_FILTERS), order, True, True, condition)
    condition, _ = filter_texts.compile_tree("Adoption", filter_texts.example_trees()["filter-tree-Adoption"][1])
    texts["adoption-facts"] = adoption_facts(list(COMMON_FILTERS), condition)
    texts |= {"adopter-count": ADOPTER_COUNT, "state-keys": STATE_KEYS, "municipality-by-ars": MUNICIPALITY_BY_ARS,
              "municipalities-by-postcode": MUNICIPALITIES_BY_POSTCODE,
              "concepts-of-scheme": CONCEPTS_OF_SCHEME}
    return texts
