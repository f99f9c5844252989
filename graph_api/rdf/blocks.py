"""Read the graph from the store page by page and turn each node into subject blocks.

A block is one subject with its (predicate, object) pairs in one named graph, which every writer
can emit on its own: memory stays bounded by one page of nodes, whatever the graph's size.
Pages are keyset-paged by id (`WHERE n.id > $after ORDER BY n.id LIMIT $n`), which both stores
answer from their id index; each page's outgoing relationships are fetched per type by id list.
Named graphs carry provenance: a relationship with a `source` is stated in that Source's graph,
`dct:source` links in the graph of the Source they name, a node's own properties in the graph
of its first source (smallest id) and anything without a source in the default graph.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graph_api.model import NODE_PROPERTIES, REL_TYPES, label_of
from graph_api.rdf import vocab as v
from graph_api.store import Store
from graph_api.store.reads import by_label

PAGE_SIZE = 5_000
# labels whose outgoing relationships include memberships (and so org:Roles)
MEMBER_LABELS = frozenset(a for rel in v.MEMBERSHIP_RELS for a, _ in REL_TYPES[rel].pairs)
Obj = v.Obj


@dataclass(slots=True)
class Block:
    subject: str
    graph: str | None
    pairs: list[tuple[str, Obj]] = field(default_factory=list)


def out_rel_types(label: str) -> list[str]:
    return [name for name, rel in REL_TYPES.items() if any(a == label for a, _ in rel.pairs)]


def in_rel_types(label: str) -> list[str]:
    return [name for name, rel in REL_TYPES.items() if any(b == label for _, b in rel.pairs)]


def read_out_rels(store: Store, label: str, ids: list[str]) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """Outgoing relationships of the given nodes: from id -> [(rel type, row with `t` and properties)]."""
    return store.out_relationships(label, ids, out_rel_types(label))


def node_blocks(base: str, label: str, props: dict[str, Any],
                rels: Iterable[tuple[str, dict[str, Any]]]) -> list[Block]:
    """All blocks stating one node: its properties, its outgoing relationships, their Statements."""
    node_id = props["id"]
    subject = v.node_iri(base, node_id)
    rels = list(rels)
    sources = sorted(row["t"] for rel_type, row in rels if rel_type == "SOURCED_FROM")
    home = v.node_iri(base, sources[0]) if sources else None
    values = v.exported_values(label, props)
    publisher = v.publisher_of(label, [(rel_type, row["t"]) for rel_type, row in rels])
    main = Block(subject, home, node_pairs(base, label, values, publisher))
    unit = is_unit(label, values)
    blocks = [main]
    statements: list[Block] = []
    by_graph: dict[str | None, Block] = {home: main}
    for rel_type, row in rels:
        target = v.node_iri(base, row["t"])
        source = row.get("source")
        graph = target if rel_type == "SOURCED_FROM" else (v.node_iri(base, source) if source else None)
        block = by_graph.get(graph)
        if block is None:
            block = by_graph[graph] = Block(subject, graph)
            blocks.append(block)
        predicate = v.rel_predicate(rel_type, label, label_of(row["t"]))
        block.pairs.append((predicate, (target, None)))
        if unit and rel_type == "SUB_ORGANIZATION_OF":
            block.pairs.append((v.ORG_UNIT_OF, (target, None)))
        statements += statement_blocks(base, rel_type, node_id, row, graph,
                                       {node_id: props} if label == "Actor" else {})
    return blocks + statements  # a subject's blocks stay consecutive


def is_unit(label: str, values: dict[str, Any]) -> bool:
    """An org:OrganizationalUnit: its SUB_ORGANIZATION_OF links are also org:unitOf."""
    return label == "Organization" and values.get("kind") in v.UNIT_KINDS


def node_pairs(base: str, label: str, values: dict[str, Any], publisher: str | None) -> list[tuple[str, Obj]]:
    """What a node states of itself, from its publishable `values` (`vocab.exported_values`): its classes,
    rdfs:label, properties, political-geocoding links and dct:publisher (the id `vocab.publisher_of` chose).
    One function for both exports (blocks and the N-Triples fast path), so they cannot drift apart."""
    pairs: list[tuple[str, Obj]] = [(v.RDF_TYPE, (v.CLASS[label], None))]
    if label == "Organization" and values.get("kind") in v.PUBLIC_ORGANISATION_KINDS:
        pairs.append((v.RDF_TYPE, (v.CPOV_PUBLIC_ORGANISATION, None)))
    if is_unit(label, values):
        pairs.append((v.RDF_TYPE, (v.ORG_ORGANIZATIONAL_UNIT, None)))
    shown = v.display_label(label, values)
    if shown:
        pairs.append((v.RDFS_LABEL, (shown, v.XSD_STRING)))
    table = v.NODE_PROPS[label]
    for key, value in values.items():
        prop = table[key]
        obj = v.node_object(prop, value, base)
        if obj is not None:
            pairs.append((prop.predicate, obj))
    for iri in v.geocoding_iris(label, values):
        pairs.append((v.GEOCODING_LINK, (iri, None)))
    if publisher:
        pairs.append((v.DCT_PUBLISHER, (v.node_iri(base, publisher), None)))
    return pairs


def statement_parts(rel_type: str, shown: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """What a relationship's rdf:Statement states, from its publishable properties `shown`: the values (in
    `vocab.REL_PROPS` order) and, for a membership, the non-empty ends of its period (`vocab.DURING_ENDS`);
    None when there is no Statement to write."""
    values = {k: shown.get(k) for k in v.REL_PROPS[rel_type] if shown.get(k) is not None and shown.get(k) != ""}
    during = ({k: shown[k] for k in v.DURING_ENDS if shown.get(k) not in (None, "")}
              if rel_type in v.MEMBERSHIP_RELS else {})
    if not during and (not values or (set(values) == {"source"} and rel_type != "SOURCED_FROM")):
        return None  # nothing to say, or only the source, which the named graph already says (a dct:source
        # link is stated in the graph of the Source it names, so its own source needs the Statement)
    return values, during


def statement_blocks(base: str, rel_type: str, from_id: str, row: dict[str, Any], graph: str | None,
                     actors: dict[str, dict[str, Any]]) -> list[Block]:
    """The rdf:Statement describing a relationship's publishable properties (none when it has none), and
    for a membership with a period its org:memberDuring interval and the interval's instants;
    `actors` are the known properties of its Actor ends (see `vocab.exported_rel_values`)."""
    to_id = row["t"]
    parts = statement_parts(rel_type, v.exported_rel_values(rel_type, from_id, to_id, row, actors))
    if parts is None:
        return []
    values, during = parts
    subject = v.statement_iri(base, rel_type, from_id, to_id)
    from_iri, to_iri = v.node_iri(base, from_id), v.node_iri(base, to_id)
    block = Block(subject, graph, [(v.RDF_TYPE, (v.RDF_STATEMENT, None))])
    if rel_type in v.MEMBERSHIP_RELS:
        block.pairs += [(v.RDF_TYPE, (v.ORG_MEMBERSHIP, None)), (v.ORG_MEMBER, (from_iri, None)),
                        (v.ORG_ORGANIZATION, (to_iri, None))]
    predicate = v.rel_predicate_of_ids(rel_type, from_id, to_id)
    block.pairs += [(v.RDF_SUBJECT, (from_iri, None)), (v.RDF_PREDICATE, (predicate, None)),
                    (v.RDF_OBJECT, (to_iri, None))]
    for key, value in values.items():
        prop = v.REL_PROPS[rel_type][key]
        if key == "source":
            obj: v.Obj | None = (v.node_iri(base, value), None)
        else:
            obj = v.node_object(prop, value, base)
        if obj is not None:
            block.pairs.append((prop.predicate, obj))
    if not during:
        return [block]
    interval = v.interval_iri(subject)
    block.pairs.append((v.ORG_MEMBER_DURING, (interval, None)))
    out = [block, Block(interval, graph, [(v.RDF_TYPE, (v.TIME_INTERVAL, None))])]
    for key, date in during.items():
        instant = v.interval_end_iri(subject, key)
        out[1].pairs.append((v.DURING_ENDS[key], (instant, None)))
        out.append(Block(instant, graph, [(v.RDF_TYPE, (v.TIME_INSTANT, None)),
                                          (v.TIME_IN_XSD_DATE, (date, v.XSD_DATE))]))
    return out


def role_titles(blocks: Iterable[Block]) -> set[str]:
    """The titles of the org:Roles these blocks refer to."""
    return {v.role_of_iri(obj) or "" for block in blocks for predicate, (obj, _) in block.pairs
            if predicate == v.ORG_ROLE} - {""}


def role_block(base: str, title: str) -> Block:
    """An org:Role (a skos:Concept): what a membership's title means, named by the title itself."""
    return Block(v.role_iri(base, title), None, [(v.RDF_TYPE, (v.ORG_ROLE_CLASS, None)),
                                                 (v.SKOS_PREF_LABEL, (title, "@de"))])


def scheme_block(base: str, scheme: str) -> Block:
    return Block(v.scheme_iri(base, scheme), None, [(v.RDF_TYPE, (v.SKOS_CONCEPT_SCHEME, None)),
                                                    (v.RDFS_LABEL, (scheme, v.XSD_STRING))])


def graph_blocks(store: Store, base: str, page_size: int = PAGE_SIZE) -> Iterator[Block]:
    """Every block of the whole graph, label by label, node by node (bounded memory)."""
    schemes: set[str] = set()
    roles: set[str] = set()
    for label in NODE_PROPERTIES:
        for rows, rels in store.export_pages(label, list(v.NODE_PROPS[label]), out_rel_types(label), page_size):
            for row in rows:
                if label == "Concept" and row.get("scheme"):
                    schemes.add(row["scheme"])
                blocks = node_blocks(base, label, row, rels.get(row["id"], ()))
                if label in MEMBER_LABELS:
                    roles |= role_titles(blocks)
                yield from blocks
    for scheme in sorted(schemes):
        yield scheme_block(base, scheme)
    for title in sorted(roles):  # once each, after every membership that holds it
        yield role_block(base, title)


def read_node(store: Store, node_id: str) -> dict[str, Any] | None:
    label = label_of(node_id)
    if label is None:
        return None
    rows = store.node_rows(label, [node_id], list(v.NODE_PROPS[label]))
    return rows[0] if rows else None


def read_nodes_by_id(store: Store, ids: list[str]) -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """(label, rows) for the given ids, one query per label."""
    for label, wanted in sorted(by_label(ids).items()):
        rows = store.node_rows(label, wanted, list(v.NODE_PROPS[label]))
        yield label, sorted(rows, key=lambda row: row["id"])
