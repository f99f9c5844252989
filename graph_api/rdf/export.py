"""The whole graph, or one node's description, as a stream of RDF text in a chosen format."""

from __future__ import annotations

from collections.abc import Iterator

from graph_api.model import REL_TYPES, label_of
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import (
    Block,
    graph_blocks,
    in_rel_types,
    node_blocks,
    read_node,
    read_nodes_by_id,
    read_out_rels,
    scheme_block,
    statement_block,
)
from graph_api.rdf.writers import WRITERS
from graph_api.store import Store

FORMATS = tuple(WRITERS)


def export(store: Store, base: str, fmt: str) -> Iterator[str]:
    """The whole graph as chunks of `fmt` text (ttl, nt, nq, trig, jsonld), streamed."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown RDF format '{fmt}' (known: {', '.join(FORMATS)})")
    return WRITERS[fmt](graph_blocks(store, base))


def describe_blocks(store: Store, base: str, node_id: str) -> list[Block] | None:
    """A node's description: its properties, its relationships both ways (with their Statements)
    and the rdfs:label of every node it is linked to; None when there is no such node."""
    label = label_of(node_id)
    props = read_node(store, node_id) if label else None
    if label is None or props is None:
        return None
    out_rels = read_out_rels(store, label, [node_id]).get(node_id, [])
    blocks = node_blocks(base, label, props, out_rels)
    neighbours = {row["t"] for _, row in out_rels}
    for rel_type in in_rel_types(label):
        columns = ", ".join(["a.id AS f", *(f"r.{p} AS {p}" for p in REL_TYPES[rel_type].properties)])
        query = f"MATCH (a)-[r:{rel_type}]->(b:{label} {{id: $id}}) RETURN {columns} ORDER BY a.id"
        for row in store.read(query, {"id": node_id}):
            source = row.get("source")
            graph = v.node_iri(base, source) if source else None
            from_id = row.pop("f")
            row["t"] = node_id
            blocks.append(Block(v.node_iri(base, from_id), graph,
                                [(v.REL_PREDICATE[rel_type], (v.node_iri(base, node_id), None))]))
            known = {node_id: props} if label == "Actor" else {}
            statement = statement_block(base, rel_type, from_id, row, graph, known)
            if statement is not None:
                blocks.append(statement)
            neighbours.add(from_id)
    for other_label, rows in read_nodes_by_id(store, sorted(neighbours - {node_id})):
        for other_props in rows:
            shown = v.display_label(other_label, v.exported_values(other_label, other_props))
            pairs = [(v.RDF_TYPE, (v.CLASS[other_label], None))]
            if shown:
                pairs.append((v.RDFS_LABEL, (shown, v.XSD_STRING)))
            blocks.append(Block(v.node_iri(base, other_props["id"]), None, pairs))
    return blocks


def describe_scheme(store: Store, base: str, scheme: str) -> list[Block] | None:
    """A concept scheme (`{base}id/scheme/{name}`) with the concepts in it, or None when empty."""
    rows = store.read("MATCH (c:Concept) WHERE c.scheme = $s RETURN c.id AS id, c.label AS label ORDER BY c.id",
                      {"s": scheme})
    if not rows:
        return None
    blocks = [scheme_block(base, scheme)]
    for row in rows:
        pairs = [(v.RDF_TYPE, (v.CLASS["Concept"], None)),
                 (v.NODE_PROPS["Concept"]["scheme"].predicate, (v.scheme_iri(base, scheme), None))]
        if row.get("label"):
            pairs.append((v.RDFS_LABEL, (row["label"], v.XSD_STRING)))
        blocks.append(Block(v.node_iri(base, row["id"]), None, pairs))
    return blocks


def serialise(blocks: list[Block], fmt: str) -> str:
    return "".join(WRITERS[fmt](blocks))


def chunked(parts: Iterator[str], size: int = 64 * 1024) -> Iterator[str]:
    """Join small pieces into chunks of about `size` characters (fewer, larger writes when streaming)."""
    buffer: list[str] = []
    length = 0
    for part in parts:
        buffer.append(part)
        length += len(part)
        if length >= size:
            yield "".join(buffer)
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer)
