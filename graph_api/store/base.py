"""The one store interface both backends implement, and the idempotent bulk upsert on top of it.

Loaders hand over `GraphRows`; `Store.apply` decides what is new, what changed and what is
unchanged by looking up the ids that already exist, then writes new rows in bulk and updates
only changed properties, all in one transaction. Row-by-row MERGE would be simpler but is
~35x slower on LadybugDB (measured), so the diff is done here, once, for both backends.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from typing import Any, ClassVar, Protocol, TypeVar

from graph_api.integrity import GraphRuleError
from graph_api.model import NODE_PROPERTIES, REL_TYPES, label_of
from graph_api.rows import ApplySummary, GraphRows, LoadError, LoadProblem
from graph_api.store import history, journal, territory_totals
from graph_api.store.adoption_reads import AdoptionReads
from graph_api.store.facts import violations as rule_violations
from graph_api.store.reads import LOOKUP_CHUNK, StoreReads

Params = Mapping[str, Any]
Run = Callable[[str, Params], list[dict[str, Any]]]

T = TypeVar("T")
_FROM, _TO = itemgetter("from"), itemgetter("to")


class StoreUnavailable(RuntimeError):
    """The database cannot be reached or opened (server down, file locked by another process)."""


class QueryRejected(ValueError):
    """A read-only query tried to write, or is not a query the store accepts."""


class QueryTimeout(RuntimeError):
    """A query ran past its time limit and was cancelled."""


@dataclass
class ReadResult:
    """Rows of an analyst query, with a flag when the row limit cut the result."""

    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


def _normalise_value(value: Any) -> Any:
    """Strip empty strings so that '' and a missing value mean the same in both stores."""
    return None if value == "" else value


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(a)))
        except (TypeError, ValueError):
            return False
    return a == b


class Store(StoreReads, AdoptionReads, ABC):
    """Only code under `graph_api/store/` talks to a database; everything else uses this."""

    dialect: ClassVar[str]

    def __init__(self) -> None:
        self._write_lock = threading.RLock()
        self._journal = journal.Journal()
        self._touched: set[str] | None = None  # nodes the journaled write in progress touches (`_touch`)
        self._touched_too_many = False
        self._records_written = 0  # change records the journaled write in progress wrote

    # ---- what a backend provides -------------------------------------------------------
    @abstractmethod
    def ensure_schema(self) -> None:
        """Create tables / constraints / indexes if missing (idempotent)."""

    @abstractmethod
    def read(self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
             ) -> list[dict[str, Any]]:
        """Run one read query; rows as dicts, nodes and relationships as property dicts."""

    @abstractmethod
    def read_only(self, query: str, params: Params | None = None, *, timeout_ms: int,
                  max_rows: int) -> ReadResult:
        """Run an untrusted query with a guarantee that it cannot write (analysts' endpoint)."""

    @abstractmethod
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Run]:
        """Yield a `run(query, params)` bound to one transaction, committed on normal exit."""

    def write(self, work: Callable[[Run], T]) -> T:
        """Run `work(run)` in one write transaction and return its result. A backend may run `work`
        again after a transient failure (Neo4j's managed transactions), so `work` only writes
        through `run` and keeps no state of its own between attempts."""
        with self.transaction() as run:
            return work(run)

    def _writes(self) -> contextlib.AbstractContextManager[Any]:
        """Held around a whole write, lookups included: one writer at a time in this process."""
        return self._write_lock

    def data_version(self) -> Hashable | None:
        """A value that differs after every write that may have changed the graph, or None if the
        backend cannot tell (then nothing derived from the graph may be kept between reads).

        Read it before reading the data a cache derives: a write that commits in between leaves a
        newer version behind, so the cached copy is rebuilt, never served stale."""
        return None

    def changed_since(self, version: Hashable) -> frozenset[str] | None:
        """Ids of the nodes the writes since `version` touched (properties, or a relationship at either end);
        None when that is not known (a write that did not list them): then derived data must be rebuilt."""
        now = self.data_version()
        return None if now is None else self._journal.since(version, now)

    @contextlib.contextmanager
    def _journaled(self) -> Iterator[None]:
        """Around one whole write, writer held: the nodes it touches (`_touch`) are journaled with the
        data versions before and after it. A journaled write inside another adds to the outer one."""
        if self._touched is not None:
            yield
            return
        self._touched, self._records_written, self._touched_too_many = set(), 0, False
        before = self.data_version()
        try:
            yield
        finally:  # a failed write is recorded too: re-reading what it meant to touch is harmless
            touched, self._touched = self._touched, None
            try:
                after = self._version_after_write()
            except Exception:  # noqa: BLE001 - the store is gone: nothing recorded, a reader rebuilds
                after = before
            if before != after:  # nothing ended (a write that found nothing to do): nothing to record
                trusted = before is not None and self._journal_trusted(before, after, self._records_written)
                listed = trusted and not self._touched_too_many
                self._journal.record(before, after, touched if listed else None)

    def _touch(self, ids: Iterable[str], count: int | None = None) -> None:
        """Note nodes the journaled write in progress touches (`count`: how many `ids` are, if known up front).

        A write touching more than `journal.MAX_IDS` nodes is journaled as unknown, and its ids are no longer
        collected: a bulk load pays nothing for a list nobody would read."""
        touched = self._touched
        if touched is None or self._touched_too_many:
            return
        if count is not None and count > journal.MAX_IDS:
            self._touched_too_many = True
            return
        touched.update(ids)
        if len(touched) > journal.MAX_IDS:
            self._touched_too_many = True

    def _version_after_write(self) -> Hashable | None:
        """The data version readers will see once the journaled write (still holding the writer) ends."""
        return self.data_version()

    def _journal_trusted(self, before: Hashable, after: Hashable, records: int) -> bool:  # noqa: ARG002
        """Whether the versions `before` → `after` were changed by this write alone (a backend where other
        writers can interleave checks it)."""
        return True

    def health(self) -> bool:
        """True when the database answers a trivial query."""
        try:
            return self.read("RETURN 1 AS ok")[0]["ok"] == 1
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False

    @abstractmethod
    def search(self, text: str, first: int, types: list[str] | None = None, enough: int | None = None
               ) -> list[tuple[str, float]]:
        """Up to `first` full-text candidates (node id, score) over names and descriptions, of `types` labels
        when given; prefixes, plural stems, joined hyphenations count, and misspellings when the others
        find fewer than `enough` (Lucene weighs them lower in the same query instead)."""

    @abstractmethod
    def _index_for_search(self, nodes: dict[str, list[dict[str, Any]]], *, complete: bool = False) -> None:
        """Bring the full-text index up to date for nodes just created or changed.

        `complete` says the rows hold every stored property (new nodes), so they need not be read back."""

    def _stage_search(self, nodes: dict[str, list[dict[str, Any]]]) -> StagedSearch:
        """The search entries of nodes a write is about to create, started now and made visible by
        `commit` once the graph write has committed (`discard` if it failed). By default they are
        simply written at `commit`; a backend whose index lives outside the graph's transaction may
        build them beside the graph write (`LadybugStore`)."""
        return _IndexAtCommit(self, nodes)

    @abstractmethod
    def delete_from_search(self, ids: list[str]) -> None:
        """Drop deleted nodes from the full-text index."""

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections and files."""

    # ---- bulk creation: backends override for their fastest path ----------------------
    def _create_nodes(self, run: Run, label: str, rows: list[dict[str, Any]]) -> None:
        props = _stated(["id", *NODE_PROPERTIES[label]], rows)
        assignments = ", ".join(f"{p}: r.{p}" for p in props)
        for chunk in _chunks(rows, 10_000):
            run(f"UNWIND $rows AS r CREATE (:{label} {{{assignments}}})",
                {"rows": [{p: row.get(p) for p in props} for row in chunk]})

    def _create_rels(self, run: Run, key: tuple[str, str, str], rows: list[dict[str, Any]]) -> None:
        rel_type, from_label, to_label = key
        props = _stated(list(REL_TYPES[rel_type].properties), rows)
        assignments = f" {{{', '.join(f'{p}: r.{p}' for p in props)}}}" if props else ""
        query = (f"UNWIND $rows AS r MATCH (a:{from_label} {{id: r.f}}) MATCH (b:{to_label} {{id: r.t}}) "
                 f"CREATE (a)-[:{rel_type}{assignments}]->(b)")
        for chunk in _chunks(rows, 10_000):
            run(query, {"rows": [{"f": row["from"], "t": row["to"], **{p: row.get(p) for p in props}}
                                 for row in chunk]})

    def _record_history(self, run: Run, rows: list[dict[str, Any]]) -> None:
        """Write change-history rows in the write's transaction; backends override for their bulk path
        (and count them in `_records_written` as this does)."""
        self._records_written += len(rows)
        history.create(run, rows)

    # ---- the shared, idempotent upsert ---------------------------------------------------
    def apply(self, rows: GraphRows, *, audit: dict[str, str] | None = None,
              replace: set[tuple[str, str]] | None = None,
              clear: set[tuple[str, str]] | None = None, origin: history.Origin | None = None) -> ApplySummary:
        """Write `rows` idempotently in one transaction; see `_apply`. One writer at a time: the
        lookups that decide what is new must not be overtaken by another write."""
        with self._writes(), self._journaled(), _no_cyclic_gc(sum(map(len, rows.nodes.values())) +
                                                              sum(map(len, rows.rels.values()))):
            return self._apply(rows, audit=audit, replace=replace, clear=clear, origin=origin)

    def _apply(self, rows: GraphRows, *, audit: dict[str, str] | None = None,
               replace: set[tuple[str, str]] | None = None,
               clear: set[tuple[str, str]] | None = None, origin: history.Origin | None = None) -> ApplySummary:
        """Write `rows` idempotently in one transaction; return created/updated/unchanged counts.

        Properties a row leaves as None are not touched, so a source never erases what another
        source stated. Relationship endpoints must exist in the store or in `rows`. `replace`
        names (relationship type, source node id) pairs whose existing relationships are removed
        first in the same transaction (an update that restates a list, e.g. via a mutation);
        `clear` names (node id, property) pairs set to null (a mutation's explicit `null`).
        The whole-graph rules (`graph_api.integrity`) are checked on the result before the
        commit; a write that breaks one raises `GraphRuleError` and is rolled back. What changed
        is recorded in the change history (`history`) in the same transaction, as `origin`.
        """
        replace = replace or set()
        clear = {(node_id, prop) for node_id, prop in (clear or set())
                 if prop in NODE_PROPERTIES.get(label_of(node_id) or "", {})}
        territory_totals.fill(self.read, rows)  # summed from the stored municipalities, never from one file
        rows.check_properties()
        summary = ApplySummary()
        nodes = {label: _dedupe_nodes(rs) for label, rs in rows.nodes.items() if rs}
        rels = {key: _dedupe_rels(rs) for key, rs in rows.rels.items() if rs}

        changes: dict[str, history.Change] = {}
        new_nodes: dict[str, list[dict[str, Any]]] = {}
        changed_nodes: dict[str, list[dict[str, Any]]] = {}
        known_ids: set[str] = set()
        for label, label_rows in nodes.items():
            existing = self._existing_nodes(label, [r["id"] for r in label_rows])
            new, changed = [], []
            for row in label_rows:
                before = existing.get(row["id"])
                if before is None:
                    new.append({**row, **(audit or {})})
                    changes[row["id"]] = history.Change(row["id"], "created", {
                        k: (None, v) for k, v in row.items() if k != "id" and v is not None})
                    continue
                known_ids.add(row["id"])
                diff = {k: v for k, v in row.items() if v is not None and not _same(before.get(k), v)}
                if diff:
                    changed.append({"id": row["id"], **diff, **(audit or {})})
                    changes[row["id"]] = history.Change(row["id"], "updated", {
                        k: (before.get(k), v) for k, v in diff.items()})
                else:
                    summary.unchanged[label] += 1
            new_nodes[label], changed_nodes[label] = new, changed
            summary.created[label] += len(new)
            summary.updated[label] += len(changed)
            known_ids.update(r["id"] for r in new)

        new_rels: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        changed_rels: dict[tuple[str, str, str], list[dict[str, Any]]] = {}
        self._check_endpoints(rels, known_ids)
        created_rels: list[tuple[str, list[dict[str, Any]]]] = []  # noted in `changes` only if kept in detail
        for key, rel_rows in rels.items():
            existing = {k: v for k, v in self._existing_rels(key, rel_rows).items()
                        if (key[0], k[0]) not in replace}
            new, changed = ([], []) if existing else (rel_rows, [])  # none stored yet: all new (bulk loads)
            for row in rel_rows if existing else ():
                before = existing.get((row["from"], row["to"]))
                if before is None:
                    new.append(row)
                    continue
                diff = {k: v for k, v in row.items()
                        if k not in ("from", "to") and v is not None and not _same(before.get(k), v)}
                if diff:
                    changed.append({"from": row["from"], "to": row["to"], **diff})
                    _note_rel(changes, key[0], row, before)
                else:
                    summary.unchanged[key[0]] += 1
            new_rels[key], changed_rels[key] = new, changed
            created_rels.append((key[0], new))
            summary.created[key[0]] += len(new)
            summary.updated[key[0]] += len(changed)

        stale = self._stale_rels(rows.exclusive, rels)
        for (rel_type, _, _), pairs in stale.items():
            summary.deleted[rel_type] += len(pairs)
            for from_id, to_id in pairs:
                change = changes.setdefault(from_id, history.Change(from_id, "relationships"))
                change.properties[f"{rel_type}->{to_id}"] = ({}, None)

        if not summary.changed and not replace and not clear:
            return summary
        if replace or clear or history.detailed(changes, created_rels):  # each relationship recorded by name
            for rel_type, new in created_rels:
                for row in new:
                    _note_rel(changes, rel_type, row, None)
            created_rels = []

        self._touch(changes, len(changes))  # created, updated and relationship-changed nodes
        for grouped in (new_rels, changed_rels):
            for found in grouped.values():
                self._touch((end for row in found for end in (row["from"], row["to"])), 2 * len(found))
        for pairs in stale.values():
            self._touch((end for pair in pairs for end in pair), 2 * len(pairs))
        self._touch(node_id for _, node_id in replace)
        self._touch(node_id for node_id, _ in clear)

        def write_batch(run: Run) -> None:
            recorded = {k: history.Change(v.node, v.action, dict(v.properties)) for k, v in changes.items()}
            for rel_type, node_id in sorted(replace):
                for row in run(f"MATCH (a:{label_of(node_id)} {{id: $id}})-[r:{rel_type}]->(b) RETURN b.id AS t",
                               {"id": node_id}):
                    self._touch([row["t"]])  # the end of a replaced relationship
                    change = recorded.setdefault(node_id, history.Change(node_id, "relationships"))
                    name = f"{rel_type}->{row['t']}"
                    restated = change.properties.get(name, (None, None))[1]
                    change.properties[name] = (restated, restated) if restated is not None else ({}, None)
                run(f"MATCH (a:{label_of(node_id)} {{id: $id}})-[r:{rel_type}]->() DELETE r", {"id": node_id})
            for (rel_type, from_label, to_label), pairs in stale.items():
                run(f"UNWIND $pairs AS p MATCH (a:{from_label} {{id: p.f}})-[r:{rel_type}]->(b:{to_label} {{id: p.t}}) "
                    "DELETE r", {"pairs": [{"f": f, "t": t} for f, t in pairs]})
            for node_id, prop in sorted(clear):
                before = run(f"MATCH (n:{label_of(node_id)} {{id: $id}}) RETURN n.{prop} AS v", {"id": node_id})
                if before and before[0]["v"] is not None:
                    change = recorded.setdefault(node_id, history.Change(node_id, "updated"))
                    change.properties[prop] = (before[0]["v"], None)
                _clear_property(run, node_id, prop)
            for label, new in new_nodes.items():
                if new:
                    self._create_nodes(run, label, new)
            for label, changed in changed_nodes.items():
                _update_nodes(run, label, changed)
            for key, new in new_rels.items():
                if new:
                    self._create_rels(run, key, new)
            for key, changed in changed_rels.items():
                _update_rels(run, key, changed)
            broken = rule_violations(run, rows, replace)  # on the graph as this write leaves it
            if broken:
                raise GraphRuleError(broken)  # rolls the whole write back
            for change in recorded.values():  # a restated relationship is no change
                change.properties = {k: v for k, v in change.properties.items() if v[0] != v[1]}
            self._record_history(run, history.rows_of(origin or history.UNKNOWN, history.condense(
                [c for c in recorded.values() if c.properties], created_rels)))

        staged = self._stage_search({k: v for k, v in new_nodes.items() if v})
        try:
            self.write(write_batch)
        except BaseException:
            staged.discard()
            raise
        staged.commit()
        for node_id in sorted({node_id for node_id, _ in clear}):
            listed = changed_nodes.setdefault(label_of(node_id) or "", [])
            if all(row["id"] != node_id for row in listed):
                listed.append({"id": node_id})
        self._index_for_search({k: v for k, v in changed_nodes.items() if v})
        return summary

    def _stale_rels(self, exclusive: set[str], rels: dict[tuple[str, str, str], list[dict[str, Any]]]
                    ) -> dict[tuple[str, str, str], list[tuple[str, str]]]:
        """Stored relationships of an exclusive type from the batch's start nodes that the batch no
        longer states, by (type, from label, to label)."""
        stale: dict[tuple[str, str, str], list[tuple[str, str]]] = {}
        for rel_type in sorted(exclusive):
            stated = {(row["from"], row["to"]) for key, rs in rels.items() if key[0] == rel_type for row in rs}
            starts: dict[str, set[str]] = defaultdict(set)
            for from_id, _ in stated:
                starts[label_of(from_id) or ""].add(from_id)
            for from_label, to_label in REL_TYPES[rel_type].pairs:
                if from_label not in starts:
                    continue
                query = (f"UNWIND $ids AS i MATCH (a:{from_label} {{id: i}})-[:{rel_type}]->(b:{to_label}) "
                         "RETURN a.id AS f, b.id AS t")
                for chunk in _chunks(sorted(starts[from_label]), LOOKUP_CHUNK):
                    for row in self.read(query, {"ids": list(chunk)}):
                        if (row["f"], row["t"]) not in stated:
                            stale.setdefault((rel_type, from_label, to_label), []).append((row["f"], row["t"]))
        return stale

    def delete_node(self, node_id: str, origin: history.Origin | None = None) -> bool:
        """Remove a node and all its relationships; False when it did not exist."""
        label = label_of(node_id)
        if label is None:
            return False
        with self._writes(), self._journaled():
            before = self._existing_nodes(label, [node_id]).get(node_id)
            if before is None:
                return False
            self._touch([node_id])

            def delete(run: Run) -> None:
                # its neighbours lose a relationship: journaled like any relationship change
                self._touch(row["id"] for row in run(f"MATCH (n:{label} {{id: $id}})--(m) RETURN DISTINCT m.id AS id",
                                                     {"id": node_id}))
                run(f"MATCH (n:{label} {{id: $id}}) DETACH DELETE n", {"id": node_id})
                self._record_history(run, history.rows_of(origin or history.UNKNOWN, [history.Change(
                    node_id, "deleted", {k: (v, None) for k, v in before.items() if k != "id" and v is not None})]))

            self.write(delete)
        self.delete_from_search([node_id])
        return True

    def delete_contact(self, a: str, b: str) -> bool:
        """Remove KNOWS between two actors in either direction; False when there was none."""
        params = {"a": a, "b": b}

        def delete_both(run: Run) -> bool:  # LadybugDB deletes directed matches only: both directions, one transaction
            if not run("MATCH (:Actor {id: $a})-[r:KNOWS]-(:Actor {id: $b}) RETURN count(r) AS c", params)[0]["c"]:
                return False
            run("MATCH (:Actor {id: $a})-[r:KNOWS]->(:Actor {id: $b}) DELETE r", params)
            run("MATCH (:Actor {id: $b})-[r:KNOWS]->(:Actor {id: $a}) DELETE r", params)
            return True

        with self._writes(), self._journaled():
            self._touch([a, b])
            return self.write(delete_both)

    def history(self, node_id: str | None = None, since: str | None = None, limit: int = 1_000
                ) -> list[history.ChangeRecord]:
        """The recorded changes of one node (or of all), oldest first."""
        return history.read(self.read, node_id, since, limit)

    def nodes_by_id(self, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Stored properties of the `label` nodes with these ids, by id (missing ids are left out)."""
        return self._existing_nodes(label, ids)

    def node_label_counts(self) -> dict[str, int]:
        return {label: self.read(f"MATCH (n:{label}) RETURN count(n) AS c")[0]["c"]
                for label in NODE_PROPERTIES}

    def rel_type_counts(self) -> dict[str, int]:
        return {name: self.read(f"MATCH ()-[r:{name}]->() RETURN count(r) AS c")[0]["c"]
                for name in REL_TYPES}

    # ---- helpers ----------------------------------------------------------------------
    def _existing_nodes(self, label: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        if not self.read(f"MATCH (n:{label}) RETURN n.id AS id LIMIT 1"):
            return {}
        return {row["id"]: row for row in self.node_rows(label, ids, list(NODE_PROPERTIES[label]))}

    def _existing_rels(self, key: tuple[str, str, str], rows: list[dict[str, Any]]
                       ) -> dict[tuple[str, str], dict[str, Any]]:
        rel_type, from_label, to_label = key
        if not self.read(f"MATCH (:{from_label})-[r:{rel_type}]->(:{to_label}) RETURN 1 AS x LIMIT 1"):
            return {}
        wanted = {(r["from"], r["to"]) for r in rows}
        # All relationships of the batch's start nodes, filtered here: an UNWIND of (from, to) pairs made
        # LadybugDB scan the relationship table per batch (measured: reload 4.9 s -> 1.8 s).
        found: dict[tuple[str, str], dict[str, Any]] = {}
        starts = sorted({f for f, _ in wanted})
        for from_id, rels in self.out_relationships(from_label, starts, [rel_type]).items():
            for _, row in rels:
                pair = (from_id, row.pop("t"))
                if pair in wanted:
                    found[pair] = row
        return found

    def _check_endpoints(self, rels: dict[tuple[str, str, str], list[dict[str, Any]]],
                         known_ids: set[str]) -> None:
        ends: set[str] = set()
        for rel_rows in rels.values():
            ends.update(map(_FROM, rel_rows))
            ends.update(map(_TO, rel_rows))
        unknown = ends - known_ids
        missing = sorted(unknown - self.existing_ids(unknown))
        if missing:
            shown = ", ".join(missing[:20]) + (" …" if len(missing) > 20 else "")
            raise LoadError([LoadProblem("<graph>", None, "reference",
                                         f"{len(missing)} relationship endpoint(s) do not exist: {shown}")])


class StagedSearch(Protocol):
    """Search entries prepared for a write, published only if the write commits."""

    def commit(self) -> None: ...

    def discard(self) -> None: ...


class _IndexAtCommit:
    """Writes the entries of new nodes after the graph write committed, as every backend did before."""

    def __init__(self, store: Store, nodes: dict[str, list[dict[str, Any]]]) -> None:
        self._store, self._nodes = store, nodes

    def commit(self) -> None:
        self._store._index_for_search(self._nodes, complete=True)

    def discard(self) -> None:
        """Nothing was written yet."""


BULK_ROWS = 10_000  # rows in one write from which the cyclic garbage collector is paused during it


@contextlib.contextmanager
def _no_cyclic_gc(rows: int) -> Iterator[None]:
    """Pause Python's cyclic garbage collector during a bulk write. Building millions of row dicts and
    lists makes it walk every live object again and again (measured: two thirds of the time of a pass
    over 1.5 million rows), while a write creates no reference cycles to collect; reference counting
    still frees everything as usual. It is process-wide, so it is switched back on right after."""
    if rows < BULK_ROWS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _stated(props: list[str], rows: list[dict[str, Any]]) -> list[str]:
    """Properties some row gives a value: LadybugDB types an all-null column as STRING, which a
    typed property (DOUBLE, INT64) refuses; a property nobody states is simply left out."""
    return [p for p in props if any(row.get(p) is not None for row in rows)]


def _update_nodes(run: Run, label: str, rows: list[dict[str, Any]]) -> None:
    for keys, group in _group_by_keys(rows, exclude=("id",)).items():
        sets = ", ".join(f"n.{k} = r.{k}" for k in keys)
        for chunk in _chunks(group, 10_000):
            run(f"UNWIND $rows AS r MATCH (n:{label} {{id: r.id}}) SET {sets}", {"rows": chunk})


def _note_rel(changes: dict[str, history.Change], rel_type: str, row: dict[str, Any],
              before: dict[str, Any] | None) -> None:
    """A created or changed relationship, recorded on its start node."""
    change = changes.setdefault(row["from"], history.Change(row["from"], "relationships"))
    props = {k: v for k, v in row.items() if k not in ("from", "to") and v is not None}
    change.properties[f"{rel_type}->{row['to']}"] = (
        None if before is None else {k: before.get(k) for k in props}, props)


def _clear_property(run: Run, node_id: str, prop: str) -> None:
    run(f"MATCH (n:{label_of(node_id)} {{id: $id}}) SET n.{prop} = NULL", {"id": node_id})


def _update_rels(run: Run, key: tuple[str, str, str], rows: list[dict[str, Any]]) -> None:
    rel_type, from_label, to_label = key
    for keys, group in _group_by_keys(rows, exclude=("from", "to")).items():
        sets = ", ".join(f"x.{k} = r.{k}" for k in keys)
        params = [{"f": r["from"], "t": r["to"], **{k: r[k] for k in keys}} for r in group]
        for chunk in _chunks(params, 10_000):
            run(f"UNWIND $rows AS r MATCH (a:{from_label} {{id: r.f}})-[x:{rel_type}]->"
                f"(b:{to_label} {{id: r.t}}) SET {sets}", {"rows": chunk})


def _group_by_keys(rows: list[dict[str, Any]], exclude: tuple[str, ...]
                   ) -> dict[tuple[str, ...], list[dict[str, Any]]]:
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[tuple(sorted(k for k in row if k not in exclude))].append(row)
    return groups


def _dedupe_nodes(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge rows for the same id (later values win, None never overwrites)."""
    return _dedupe(rows, ("id",))


def _dedupe_rels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Merge rows for the same (from, to) pair, as `_dedupe_nodes` does for ids."""
    return _dedupe(rows, ("from", "to"))


def _dedupe(rows: list[dict[str, Any]], fields: tuple[str, ...]) -> list[dict[str, Any]]:
    """One row per key (the values of `fields`), later values win, None never overwrites.

    A row whose key occurs once and that holds no '' is kept as it is: nearly every row of a bulk
    load, and copying each one cost a tenth of the load. None values left in it mean "not stated"
    downstream exactly as an absent key does. Merged or cleaned rows are new dicts, so the
    caller's rows are never changed. Whether a batch needs any merging at all is decided first
    with C-level passes (distinct keys, any '' value), which a bulk load almost always passes."""
    keys = list(map(itemgetter(*fields), rows))
    if len(set(keys)) == len(keys) and "" not in chain.from_iterable(map(dict.values, rows)):
        return list(rows)
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        ends = tuple(map(_normalise_value, (row[f] for f in fields)))
        target = merged.get(ends)
        if target is None:
            merged[ends] = row if "" not in row.values() else {**_clean(row), **dict(zip(fields, ends, strict=True))}
        else:
            merged[ends] = {**target, **_clean(row), **dict(zip(fields, ends, strict=True))}
    return list(merged.values())


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if v is not None and v != ""}


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
