"""The whole graph, or one node's description, as a stream of RDF text in a chosen format."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graph_api.model import label_of
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import (
    Block,
    graph_blocks,
    node_blocks,
    read_node,
    read_nodes_by_id,
    read_out_rels,
    role_block,
    role_titles,
    scheme_block,
    statement_blocks,
)
from graph_api.rdf.ntriples import export_nt
from graph_api.rdf.writers import WRITERS
from graph_api.store import Store

FORMATS = tuple(WRITERS)


def export(store: Store, base: str, fmt: str) -> Iterator[str]:
    """The whole graph as chunks of `fmt` text (ttl, nt, nq, trig, jsonld), streamed."""
    if fmt not in WRITERS:
        raise ValueError(f"unknown RDF format '{fmt}' (known: {', '.join(FORMATS)})")
    if fmt == "nt":  # the same triples, formatted from columns: ~3x less CPU (see graph_api/rdf/ntriples.py)
        return export_nt(store, base)
    return WRITERS[fmt](graph_blocks(store, base))


# incoming relationships per page of a node's description: a hub (the GV100AD source of all of
# Germany, a state) would otherwise be one multi-megabyte response
DESCRIPTION_PAGE_SIZE = 1_000


@dataclass(frozen=True)
class Description:
    """One page of a node's description; `has_next` when more incoming relationships follow."""

    blocks: list[Block]
    page: int
    has_next: bool


def page_slices(counts: list[tuple[str, int]], page: int, size: int) -> list[tuple[str, int, int]]:
    """(relationship type, skip, limit) covering page `page` of the incoming relationships, type by type."""
    start, end = (page - 1) * size, page * size
    slices, offset = [], 0
    for rel_type, count in counts:
        lo, hi = max(start, offset), min(end, offset + count)
        if lo < hi:
            slices.append((rel_type, lo - offset, hi - lo))
        offset += count
    return slices


def describe_blocks(store: Store, base: str, node_id: str, page: int = 1,
                    page_size: int | None = None) -> Description | None:
    """A node's description: its properties, its relationships both ways (with their Statements)
    and the rdfs:label of every node it is linked to; None when there is no such node or page.

    Incoming relationships are paged (`page_size` per page, ordered by type, then start node);
    page 1 also carries the node's own properties and outgoing relationships, later pages only
    its type and label besides the incoming slice."""
    size = page_size or DESCRIPTION_PAGE_SIZE
    label = label_of(node_id)
    props = read_node(store, node_id) if label else None
    if label is None or props is None or page < 1:
        return None
    if page == 1:
        out_rels = read_out_rels(store, label, [node_id]).get(node_id, [])
        blocks = node_blocks(base, label, props, out_rels)
        neighbours = {row["t"] for _, row in out_rels}
    else:
        blocks, neighbours = [_labelled(base, label, props)], set()
    counts = store.incoming_counts(label, node_id)
    slices = page_slices(counts, page, size)
    if page > 1 and not slices:
        return None
    incoming: list[tuple[str, str, dict[str, Any]]] = []
    for rel_type, skip, limit in slices:
        incoming += [(rel_type, row.pop("f"), row)
                     for row in store.in_relationships(label, node_id, rel_type, skip=skip, limit=limit)]
    # the people at the other end, so their relationships show what the personal-data rule allows
    actors = {a["id"]: a for _, rows in read_nodes_by_id(store, sorted({f for _, f, _ in incoming
                                                                        if label_of(f) == "Actor"})) for a in rows}
    if label == "Actor":
        actors[node_id] = props
    sub_organisations: dict[str, Block] = {}
    for rel_type, from_id, row in incoming:
        source = row.get("source")
        graph = v.node_iri(base, source) if source else None
        row["t"] = node_id
        block = Block(v.node_iri(base, from_id), graph,
                      [(v.rel_predicate_of_ids(rel_type, from_id, node_id), (v.node_iri(base, node_id), None))])
        blocks.append(block)
        if rel_type == "SUB_ORGANIZATION_OF":
            sub_organisations[from_id] = block
        blocks += statement_blocks(base, rel_type, from_id, row, graph, actors)
        neighbours.add(from_id)
    for other_label, rows in read_nodes_by_id(store, sorted(neighbours - {node_id})):
        for other_props in rows:
            blocks.append(_labelled(base, other_label, other_props))
            if other_props["id"] in sub_organisations and other_props.get("kind") in v.UNIT_KINDS:
                sub_organisations[other_props["id"]].pairs.append((v.ORG_UNIT_OF, (v.node_iri(base, node_id), None)))
    blocks += [role_block(base, title) for title in sorted(role_titles(blocks))]
    return Description(blocks, page, has_next=sum(c for _, c in counts) > page * size)


def _labelled(base: str, label: str, props: dict) -> Block:
    """A node's class and rdfs:label only: how a description names the nodes it links to."""
    shown = v.display_label(label, v.exported_values(label, props))
    pairs = [(v.RDF_TYPE, (v.CLASS[label], None))]
    if shown:
        pairs.append((v.RDFS_LABEL, (shown, v.XSD_STRING)))
    return Block(v.node_iri(base, props["id"]), None, pairs)


def describe_scheme(store: Store, base: str, scheme: str) -> list[Block] | None:
    """A concept scheme (`{base}id/scheme/{name}`) with the concepts in it, or None when empty."""
    rows = store.concepts_of_scheme(scheme)
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
