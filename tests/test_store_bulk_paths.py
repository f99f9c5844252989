"""The bulk-load shortcuts change how a write is done, never what it stores or records.

Each shortcut of `Store.apply` (rows kept uncopied by de-duplication, new relationships summed up
in the change history without a record each, whole-table reads for the rule check and for the
endpoint check) has a plain way beside it that small writes still take. The oracles here are
plain Python over the loader's rows (what the graph must hold) and the plain ways themselves,
forced by setting the thresholds so that no shortcut is taken.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from bench.synthetic import read as synthetic
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.model import NODE_PROPERTIES, REL_TYPES
from graph_api.rows import GraphRows
from graph_api.store import Store, base, facts, history, open_store, reads
from tests.conftest import FULL_GV100AD

needs_gv100ad = pytest.mark.skipif(not FULL_GV100AD.is_file(), reason="needs the shared GV100AD file")


def dump(store: Store) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """Every node (id -> properties without nulls) and relationship ((type, from, to) -> properties)."""
    nodes = {}
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(f"n.{p} AS {p}" for p in props)
        for row in store.read(f"MATCH (n:{label}) RETURN n.id AS id{', ' + columns if columns else ''}"):
            nodes[row["id"]] = {k: v for k, v in row.items() if v is not None}
    rels = {}
    for name, rel in REL_TYPES.items():
        columns = "".join(f", r.{p} AS {p}" for p in rel.properties)
        for row in store.read(f"MATCH (a)-[r:{name}]->(b) RETURN a.id AS f, b.id AS t{columns}"):
            key = (name, row.pop("f"), row.pop("t"))
            rels[key] = {k: v for k, v in row.items() if v is not None}
    return nodes, rels


def expected(rows: GraphRows) -> tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]:
    """What a load of `rows` into an empty store must hold: later values win, None and '' state nothing."""
    nodes: dict[str, dict[str, Any]] = {}
    for label_rows in rows.nodes.values():
        for row in label_rows:
            nodes.setdefault(row["id"], {}).update({k: v for k, v in row.items() if v not in (None, "")})
    rels: dict[tuple[str, str, str], dict[str, Any]] = {}
    for (name, _, _), rel_rows in rows.rels.items():
        for row in rel_rows:
            rels.setdefault((name, row["from"], row["to"]), {}).update(
                {k: v for k, v in row.items() if k not in ("from", "to") and v not in (None, "")})
    return nodes, rels


def _open(tmp: Path, name: str) -> Store:
    return open_store(Settings(store="ladybug", db_path=str(tmp / f"{name}.lbdb")))


def _history(store: Store) -> list[tuple[str, str, str, str]]:
    return sorted((r.what, r.node, r.action, repr(sorted(r.properties.items()))) for r in store.history(limit=100_000))


def _plain_ways(monkeypatch: pytest.MonkeyPatch) -> None:
    """No shortcut: every change recorded by name before condensing, lookups by id, no scans."""
    monkeypatch.setattr(reads, "SCAN_SHARE", math.inf)
    monkeypatch.setattr(facts, "SCAN_SHARE", math.inf)
    monkeypatch.setattr(history, "detailed", lambda changes, created: True)


@needs_gv100ad
def test_generated_graph_loads_exactly_its_rows(tmp_path: Path) -> None:
    rows = synthetic(FULL_GV100AD, scale="tiny", seed=11)
    copies = {id(row) for label_rows in rows.rels.values() for row in label_rows}
    snapshot = [dict(row) for label_rows in rows.rels.values() for row in label_rows[:500]]
    store = _open(tmp_path, "tiny")
    try:
        store.apply(rows)
        want_nodes, want_rels = expected(rows)  # after: the territories' totals are summed into their rows
        nodes, rels = dump(store)
        assert nodes == want_nodes
        assert rels == want_rels
        again = store.apply(synthetic(FULL_GV100AD, scale="tiny", seed=11))  # idempotent
        assert not again.changed and dump(store) == (nodes, rels)
    finally:
        store.close()
    # the caller's rows are neither replaced nor changed by the load
    assert copies == {id(row) for label_rows in rows.rels.values() for row in label_rows}
    assert snapshot == [dict(row) for label_rows in rows.rels.values() for row in label_rows[:500]]


@needs_gv100ad
def test_bulk_history_sums_up_what_the_plain_way_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = synthetic(FULL_GV100AD, scale="tiny", seed=5)
    fast = _open(tmp_path, "fast")
    try:
        fast.apply(rows)
        records = fast.history(limit=100_000)
    finally:
        fast.close()
    created = {r.node: r.properties for r in records if r.node.endswith(":*")}
    # oracle: plain Python over the rows, relationships counted once per (from, to), samples in row order
    pairs: dict[str, set[tuple[str, str]]] = {}
    for (name, _, _), rel_rows in rows.rels.items():
        pairs.setdefault(name, set()).update((row["from"], row["to"]) for row in rel_rows)
    for name, stated in pairs.items():
        assert created[f"{name}:*"]["count"] == (None, len(stated))
    knows = list(dict.fromkeys((row["from"], row["to"]) for row in rows.rels[("KNOWS", "Actor", "Actor")]))
    assert created["KNOWS:*"]["ids"] == (None, [f for f, _ in knows[:history.SAMPLE_IDS]])
    assert Counter(r.node.partition(":")[0] for r in records if not r.node.endswith(":*")) == Counter()

    _plain_ways(monkeypatch)
    plain = _open(tmp_path, "plain")
    try:
        plain.apply(synthetic(FULL_GV100AD, scale="tiny", seed=5))
        plain_records = plain.history(limit=100_000)
    finally:
        plain.close()
    plain_created = {r.node: r.properties for r in plain_records if r.node.endswith(":*")}
    assert {k: v["count"] for k, v in plain_created.items()} == {k: v["count"] for k, v in created.items()}
    assert len(plain_records) == len(records)


def test_pilot_load_same_graph_and_history_either_way(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = _open(tmp_path, "fast")
    monkeypatch.setattr(reads, "SCAN_SHARE", 0.0)  # every read that may scan does
    monkeypatch.setattr(facts, "SCAN_SHARE", 0.0)
    try:
        load_sample(fast)
        fast_graph, fast_history = dump(fast), _history(fast)
    finally:
        fast.close()
    monkeypatch.undo()
    _plain_ways(monkeypatch)
    plain = _open(tmp_path, "plain")
    try:
        load_sample(plain)
        assert dump(plain) == fast_graph
        assert _history(plain) == fast_history
    finally:
        plain.close()


@needs_gv100ad
def test_rule_facts_by_scan_equal_facts_by_lookup(tmp_path: Path) -> None:
    """Gathered inside the write's transaction, as `Store.apply` does, on a generated graph with its
    lineage, roles and owners; once scanning every table, once looking every id up."""
    rows = synthetic(FULL_GV100AD, scale="tiny", seed=2)
    store = _open(tmp_path, "rules")
    try:
        store.apply(rows)
        with store.transaction() as run:
            by_scan = facts.gather(run, rows, scan_share=0.0)
            by_lookup = facts.gather(run, rows, scan_share=math.inf)
    finally:
        store.close()
    assert by_scan is not None and by_lookup is not None
    assert by_scan.edges == by_lookup.edges and by_scan.edges.get("LEARNED_FROM")
    assert by_scan.dates == by_lookup.dates and by_scan.dates
    assert sorted(by_scan.roles, key=repr) == sorted(by_lookup.roles, key=repr) and by_scan.roles
    assert by_scan.shares == by_lookup.shares and by_scan.shares
    assert by_scan.focus == by_lookup.focus


def test_scan_and_lookup_refuse_the_same_cycle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cycle closed by one write through stored edges is refused whichever way the edges are read."""
    for share in (0.0, math.inf):
        monkeypatch.setattr(facts, "SCAN_SHARE", share)
        store = _open(tmp_path, f"cycle-{share}")
        try:
            chain = GraphRows()
            for n in range(4):
                chain.add_node("Concept", {"id": f"Concept:c{n}", "label": f"c{n}", "scheme": "s"})
            for n in range(3):
                chain.add_rel("BROADER", f"Concept:c{n}", f"Concept:c{n + 1}")
            store.apply(chain)
            closing = GraphRows()
            closing.add_rel("BROADER", "Concept:c3", "Concept:c0")
            with pytest.raises(base.GraphRuleError, match="cycle"):
                store.apply(closing)
            assert len(dump(store)[1]) == 3
        finally:
            store.close()


def test_dedupe_merges_without_touching_the_callers_rows() -> None:
    first = {"from": "Actor:a", "to": "Actor:b", "since": "2020", "source": None}
    second = {"from": "Actor:a", "to": "Actor:b", "since": None, "source": "Source:x"}
    blank = {"from": "Actor:a", "to": "Actor:c", "since": "", "source": "Source:y"}
    alone = {"from": "Actor:b", "to": "Actor:c", "since": None}
    rows = [first, second, blank, alone]
    before = [dict(r) for r in rows]
    merged = base._dedupe_rels(rows)
    assert [dict(r) for r in rows] == before
    assert merged[0] == {"from": "Actor:a", "to": "Actor:b", "since": "2020", "source": "Source:x"}
    assert merged[1] == {"from": "Actor:a", "to": "Actor:c", "source": "Source:y"}  # '' states nothing
    assert merged[2] is alone  # unique and clean: kept, not copied
    nodes = base._dedupe_nodes([{"id": "Actor:a", "name": "x"}, {"id": "Actor:a", "name": ""},
                                {"id": "Actor:a", "name": None, "role_label": "r"}])
    assert nodes == [{"id": "Actor:a", "name": "x", "role_label": "r"}]
