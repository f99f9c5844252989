"""Typed reads: what the GraphQL layer, the RDF export and the loaders ask of a store.

Callers outside `graph_api/store/` ask for nodes, pages, relations and hits by name and get
plain dicts; the Cypher behind each method is in `texts.py` (one place, with the planning
rules). Batches are grouped by label and cut into chunks here, once, so no caller writes its
own "nodes by ids". `timeout_ms` is the caller's remaining time: the engine interrupts a read
that runs past it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from graph_api.model import REL_TYPES, label_of
from graph_api.store import filter_texts, search_rank, texts

Row = dict[str, Any]
SCAN_SHARE = 0.25  # share of a label's nodes above which reading all its ids beats lookups by id
LOOKUP_CHUNK = 20_000  # ids per lookup query: large enough to amortise a round trip, small enough to bound memory


@dataclass(frozen=True)
class ColumnPage:
    """One page of a label for a bulk export, column-wise: Python's per-value cost, not per-row dicts,
    bounds the fast export (`graph_api/rdf/ntriples.py`). `nodes` maps "id" and each property to a
    list, `rels` each relationship type to {"f": start ids, "t": target ids, property: values}."""

    nodes: dict[str, list[Any]]
    rels: dict[str, dict[str, list[Any]]]


def by_label(ids: Iterable[str]) -> dict[str, list[str]]:
    """Ids grouped by the label their prefix names (unknown prefixes dropped), duplicates removed."""
    groups: dict[str, list[str]] = defaultdict(list)
    for node_id in dict.fromkeys(ids):
        label = label_of(node_id)
        if label is not None:
            groups[label].append(node_id)
    return groups


def chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


SEARCH_POOL = 200  # candidates the index proposes for one search, before the common ranking
_DIGITS = re.compile(r"^\d{2,12}$")
_KEY_LABELS = (("State", 2), ("County", 5), ("Municipality", 8), ("Association", 9))
TREE = "tree"  # the filter name whose parameter is a filter tree (`filter_texts`), compiled here


def _with_tree(label: str, filters: list[str], params: Mapping[str, Any]
               ) -> tuple[list[str], dict[str, Any], str | None]:
    """Named filters, parameters and the compiled condition of the filter tree among them, if any."""
    if TREE not in filters:
        return filters, dict(params), None
    condition, values = filter_texts.compile_tree(label, params[TREE])
    return [f for f in filters if f != TREE], {k: v for k, v in params.items() if k != TREE} | values, condition


class StoreReads:
    """Mixed into `Store`: every method reads through the backend's `read`."""

    read: Callable[..., list[Row]]

    # ---- nodes ----------------------------------------------------------------------------
    def nodes_by_ids(self, ids: Iterable[str], *, timeout_ms: int | None = None) -> dict[str, Row]:
        """Whole nodes (properties and `_label`) by id; ids that do not exist are absent."""
        found: dict[str, Row] = {}
        for label, wanted in by_label(ids).items():
            for chunk in chunks(wanted):
                for row in self.read(texts.nodes_by_ids(label), {"ids": list(chunk)}, timeout_ms=timeout_ms):
                    found[row["n"]["id"]] = row["n"]
        return found

    def node_rows(self, label: str, ids: Sequence[str], properties: Sequence[str]) -> list[Row]:
        """`id` and chosen properties of the existing `label` nodes among `ids` (bulk: loads, exports)."""
        rows: list[Row] = []
        for chunk in chunks(list(dict.fromkeys(ids))):
            rows += self.read(texts.node_columns(label, tuple(properties)), {"ids": list(chunk)})
        return rows

    def existing_ids(self, ids: Iterable[str]) -> set[str]:
        """Which of `ids` are stored. Many ids of one label (a bulk load's relationship endpoints) are
        checked against one read of all its ids: lookups by id chunk cost several times that scan."""
        found: set[str] = set()
        for label, wanted in by_label(ids).items():
            if len(wanted) > LOOKUP_CHUNK and len(wanted) >= SCAN_SHARE * self.read(texts.label_count(label))[0]["c"]:
                found.update(set(self.all_ids(label)).intersection(wanted))
            else:
                found.update(row["id"] for row in self.node_rows(label, wanted, ()))
        return found

    def node_pages(self, label: str, properties: Sequence[str], page_size: int) -> Iterator[list[Row]]:
        """Every node of one label, page by page in id order (bounded memory for exports)."""
        query, after = texts.node_page(label, tuple(properties)), ""
        while rows := self.read(query, {"after": after, "limit": page_size}):
            yield rows
            after = rows[-1]["id"]

    def all_ids(self, label: str) -> list[str]:
        return [row["id"] for row in self.read(texts.all_ids(label))]

    def state_keys(self) -> list[str]:
        """The AGS of every state, in order."""
        return [row["ags"] for row in self.read(texts.STATE_KEYS) if row["ags"]]

    def municipality_by_ars(self, ars: str, *, timeout_ms: int | None = None) -> Row | None:
        rows = self.read(texts.MUNICIPALITY_BY_ARS, {"ars": ars}, timeout_ms=timeout_ms)
        return rows[0]["n"] if rows else None

    def concepts_of_scheme(self, scheme: str) -> list[Row]:
        """`id` and `label` of the concepts in one scheme, by id."""
        return self.read(texts.CONCEPTS_OF_SCHEME, {"s": scheme})

    # ---- relationships for exports and loads -----------------------------------------------
    def out_relationships(self, label: str, ids: Sequence[str], rel_types: Iterable[str] | None = None
                          ) -> dict[str, list[tuple[str, Row]]]:
        """Outgoing relationships of a batch of nodes: from id -> [(type, row with `t` and properties)],
        each list sorted by (type, target)."""
        found: dict[str, list[tuple[str, Row]]] = defaultdict(list)
        types = rel_types if rel_types is not None else [
            name for name, rel in REL_TYPES.items() if any(a == label for a, _ in rel.pairs)]
        for rel_type in types:
            for chunk in chunks(list(ids)):
                for row in self.read(texts.out_relationships(rel_type, label), {"ids": list(chunk)}):
                    found[row.pop("f")].append((rel_type, row))
        for rels in found.values():
            rels.sort(key=lambda x: (x[0], x[1]["t"]))
        return found

    def export_pages(self, label: str, properties: Sequence[str], rel_types: Sequence[str], page_size: int
                     ) -> Iterator[tuple[list[Row], dict[str, list[tuple[str, Row]]]]]:
        """Every node of one label page by page in id order, each page with its nodes' outgoing
        relationships of `rel_types` as `out_relationships` gives them (a whole-graph export).
        A backend whose lookups by id list are slow overrides this with whole-table reads."""
        for rows in self.node_pages(label, properties, page_size):
            yield rows, self.out_relationships(label, [row["id"] for row in rows], rel_types)

    def export_columns(self, label: str, properties: Sequence[str], rel_properties: Mapping[str, Sequence[str]],
                       page_size: int) -> Iterator[ColumnPage]:
        """Every node of one label page by page in id order, as columns (`id` and `properties`), each page
        with its nodes' outgoing relationships of the types in `rel_properties` as columns too (`f`, `t`
        and the properties named for the type), in no particular order: what the N-Triples fast path
        formats column by column. Built here on `export_pages` (Neo4j answers its lookups by id from its
        index); LadybugDB overrides it with Arrow reads of id ranges."""
        wanted = list(rel_properties)
        for rows, rels in self.export_pages(label, properties, wanted, page_size):
            nodes = {name: [row.get(name) for row in rows] for name in ["id", *properties]}
            columns: dict[str, dict[str, list[Any]]] = {}
            for rel_type, props in rel_properties.items():
                found = [(start, row) for start, out in rels.items() for kind, row in out if kind == rel_type]
                columns[rel_type] = {"f": [start for start, _ in found], "t": [row["t"] for _, row in found],
                                     **{p: [row.get(p) for _, row in found] for p in props}}
            yield ColumnPage(nodes, columns)

    def incoming_counts(self, label: str, node_id: str) -> list[tuple[str, int]]:
        """How many relationships of each type that can end at `label` end at this node."""
        types = [name for name, rel in REL_TYPES.items() if any(b == label for _, b in rel.pairs)]
        return [(rel_type, self.read(texts.incoming_count(rel_type, label), {"id": node_id})[0]["c"])
                for rel_type in types]

    def in_relationships(self, label: str, node_id: str, rel_type: str, *, skip: int, limit: int) -> list[Row]:
        """A slice of one node's incoming `rel_type` relationships by source id: rows of `f` and properties."""
        return self.read(texts.in_relationships(rel_type, label), {"id": node_id, "skip": skip, "limit": limit})

    # ---- GraphQL: batches of a page of parents ----------------------------------------------
    def related(self, name: str, label: str, parent_ids: Sequence[str], *, timeout_ms: int | None = None
                ) -> list[Row]:
        """Relation `name` of `label` parents: rows of `key` (parent id), `n` (node), `r_*` properties."""
        return self.read(texts.related(name, label), {"ids": list(parent_ids)}, timeout_ms=timeout_ms)

    def children(self, name: str, label: str, parent_ids: Sequence[str], *, timeout_ms: int | None = None
                 ) -> list[Row]:
        """Child list `name` of `label` parents: rows of `key` (parent id), `id` (child) and `k` (sort key)."""
        return self.read(texts.children(name, label), {"ids": list(parent_ids)}, timeout_ms=timeout_ms)

    def link_sources(self, rel: str, start_label: str, end_label: str, pairs: Sequence[tuple[str, str]], *,
                     timeout_ms: int | None = None) -> dict[tuple[str, str], str | None]:
        """The `source` of the `rel` relationship of each (start, end) pair, either direction, where one exists."""
        rows = self.read(texts.link_sources(rel, start_label, end_label),
                         {"pairs": [{"f": f, "t": t} for f, t in pairs]}, timeout_ms=timeout_ms)
        return {(row["f"], row["t"]): row["source"] for row in rows}

    def adopter_counts(self, solution_ids: Sequence[str], *, timeout_ms: int | None = None) -> dict[str, int]:
        """Distinct adopters with a pilot or adoption, per solution."""
        rows = self.read(texts.ADOPTER_COUNT, {"ids": list(solution_ids)}, timeout_ms=timeout_ms)
        return {row["key"]: row["n"] for row in rows}

    def matching(self, label: str, filters: list[str], params: Mapping[str, Any], candidate_ids: Sequence[str],
                 *, timeout_ms: int | None = None) -> set[str]:
        """Which candidates satisfy the named filters (`texts.FILTERS[label]`) and the filter tree (`TREE`)."""
        filters, values, tree = _with_tree(label, filters, params)
        rows = self.read(texts.matching(label, filters, tree), {**values, "candidate_ids": list(candidate_ids)},
                         timeout_ms=timeout_ms)
        return {row["id"] for row in rows}

    def list_page(self, label: str, filters: list[str], params: Mapping[str, Any], *, order: str,
                  descending: bool, after: tuple[Any, str] | None, limit: int, timeout_ms: int | None = None
                  ) -> tuple[list[tuple[Any, Row]], int]:
        """A page of a top-level list after the keyset cursor `after` (sort key, id): [(key, node)], total."""
        filters, values, tree = _with_tree(label, filters, params)
        page, count = texts.list_page(label, filters, order, descending, after is not None, tree)
        values = {**values, "limit": limit}
        if after is not None:
            values["after_key"], values["after_id"] = after
        rows = self.read(page, values, timeout_ms=timeout_ms)
        total = self.read(count, values, timeout_ms=timeout_ms)[0]["total"]
        return [(row["k"], row["n"]) for row in rows], total

    def adoption_facts(self, filters: list[str], params: Mapping[str, Any], *, timeout_ms: int | None = None
                       ) -> list[Row]:
        """Per filtered adoption: `id`, `status`, `started`, `own`/`served` ARS lists, `categories` (aggregations)."""
        filters, values, tree = _with_tree("Adoption", filters, params)
        rows = self.read(texts.adoption_facts(filters, tree), values, timeout_ms=timeout_ms)
        for row in rows:  # engines differ in whether collect() keeps nulls
            for column in ("own", "served", "categories"):
                row[column] = sorted(v for v in row[column] or () if v is not None)
        return rows

    def search_nodes(self, text: str, first: int, *, types: Sequence[str] | None = None, offset: int = 0,
                     timeout_ms: int | None = None) -> tuple[list[tuple[Row, float]], int]:
        """Hits `offset`..`offset+first` with their nodes, best first (`search_rank`), and how many were found.

        The backend's index proposes up to `SEARCH_POOL` candidates (read in one batch, not one by one);
        an official key (AGS, ARS, postcode) that is the query adds its territories; all are ranked here."""
        pool = max(SEARCH_POOL, offset + first + 1)
        wanted = list(types) if types is not None else None
        hits = self.search(text, pool, wanted, offset + first)  # type: ignore[attr-defined] - the backend's index
        keyed = [node_id for node_id in self._key_hits(text, timeout_ms)
                 if wanted is None or label_of(node_id) in wanted]
        nodes = self.nodes_by_ids([*keyed, *(node_id for node_id, _ in hits)], timeout_ms=timeout_ms)
        found = [(nodes[node_id], 0.0, search_rank.KEY_MATCH) for node_id in dict.fromkeys(keyed) if node_id in nodes]
        found += [(nodes[node_id], score, None) for node_id, score in hits if node_id in nodes and node_id not in keyed]
        ranked = search_rank.rank(text, found)
        return ranked[offset:offset + first], len(ranked)

    def _key_hits(self, text: str, timeout_ms: int | None) -> list[str]:
        """Ids a query of digits names: AGS (2/5/8), ARS (9/12, right-padded for higher levels), postcode (5)."""
        key = text.strip()
        if not _DIGITS.match(key):
            return []
        ids = [f"{label}:{key}" for label, length in _KEY_LABELS if len(key) == length]
        if len(key) == 5:
            ids += [row["id"] for row in self.read(texts.MUNICIPALITIES_BY_POSTCODE, {"p": key}, timeout_ms=timeout_ms)]
        if len(key) == 12:
            found = self.municipality_by_ars(key, timeout_ms=timeout_ms)
            ids += [found["id"]] if found else []
            ids += [f"Association:{key[:9]}"] if key.endswith("000") else []
            ids += [f"County:{key[:5]}"] if key.endswith("0000000") else []
        return ids
