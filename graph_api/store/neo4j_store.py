"""Neo4j 5 backend: the production and scale-out store.

Same contract as the LadybugDB store: plain dict rows, one transaction per batch, a unique
`id` per label (constraints double as the lookup index), and a German full-text index that
Neo4j keeps in sync by itself. Untrusted queries are planned with EXPLAIN first and refused
unless the planner says they only read; they then run in a read transaction that is never
committed, so even a planner surprise cannot persist a write.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from graph_api import policy
from graph_api.model import NODE_PROPERTIES
from graph_api.store import history, search_index
from graph_api.store.base import Params, QueryRejected, QueryTimeout, ReadResult, Run, Store, StoreUnavailable
from graph_api.store.guard import check_read_query

SEARCH_INDEX = "copgraph_search"
ACTOR_SEARCH_INDEX = "copgraph_actor_role_search"
_OLD_ACTOR_SEARCH_INDEX = "copgraph_actor_search"  # indexed descriptions of restricted actors too: dropped
_SEARCH_FIELDS = ("name", "label", "title", "short_name", "summary", "description", "definition")
# Actors are found by their role label only. A Neo4j full-text index cannot depend on `visibility`, so it
# holds only what `graph_api.policy` shows of every actor (SHOWN_WHEN_RESTRICTED): never a name or description.
_ACTOR_SEARCH_FIELDS = ("role_label",)
assert set(_ACTOR_SEARCH_FIELDS) <= policy.SHOWN_WHEN_RESTRICTED, "the actor index answers anonymous callers"
T = TypeVar("T")
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/&|])')


def _lucene_term(word: str) -> str:
    return _LUCENE_SPECIAL.sub(r"\\\1", word)


def schema_statements() -> list[str]:
    statements = [f"DROP INDEX {_OLD_ACTOR_SEARCH_INDEX} IF EXISTS"]
    statements += [f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
                  for label in NODE_PROPERTIES]
    labels = "|".join(label for label in NODE_PROPERTIES if label != "Actor")
    indexes = ((SEARCH_INDEX, labels, _SEARCH_FIELDS), (ACTOR_SEARCH_INDEX, "Actor", _ACTOR_SEARCH_FIELDS))
    for name, on, fields in indexes:
        statements.append(
            f"CREATE FULLTEXT INDEX {name} IF NOT EXISTS FOR (n:{on}) ON EACH [{', '.join(f'n.{f}' for f in fields)}] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'german'}}")
    return [*statements, history.NEO4J_DDL]  # the change history: outside the graph vocabulary


def _plain(value: Any) -> Any:
    from neo4j.graph import Node, Path, Relationship

    if isinstance(value, Node):
        out = {k: _plain(v) for k, v in value.items()}
        out["_label"] = next(iter(value.labels), None)
        return out
    if isinstance(value, Relationship):
        return {**{k: _plain(v) for k, v in value.items()}, "_type": value.type}
    if isinstance(value, Path):
        return {"nodes": [_plain(n) for n in value.nodes], "rels": [_plain(r) for r in value.relationships]}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


class Neo4jStore(Store):
    dialect = "neo4j"

    def __init__(self, uri: str, user: str, password: str, database: str | None = None):
        import neo4j

        super().__init__()
        self._neo4j = neo4j
        self._database = database
        self._driver = neo4j.GraphDatabase.driver(uri, auth=(user, password))
        self._writes_ended = 0  # see data_version

    def _session(self, read: bool = False) -> Any:
        mode = self._neo4j.READ_ACCESS if read else self._neo4j.WRITE_ACCESS
        return self._driver.session(database=self._database, default_access_mode=mode)

    @contextlib.contextmanager
    def _errors(self, timeout_ms: int | None = None) -> Iterator[None]:
        from neo4j import exceptions

        try:
            yield
        except (exceptions.ServiceUnavailable, exceptions.SessionExpired) as exc:
            raise StoreUnavailable(f"Neo4j is unavailable: {exc}") from exc
        except exceptions.ClientError as exc:
            if "Timeout" in (exc.code or "") or "terminated" in (exc.message or "").lower():
                raise QueryTimeout(f"query exceeded its time limit of {timeout_ms} ms") from exc
            if "AccessMode" in (exc.code or "") or "Forbidden" in (exc.code or ""):
                raise QueryRejected("the query tries to write; this endpoint is read-only") from exc
            raise

    def _query(self, text: str, timeout_ms: int | None) -> Any:  # noqa: ANN401 - the driver's Query
        return self._neo4j.Query(text, timeout=(timeout_ms / 1000) if timeout_ms else None)

    def _work(self, text: str, params: Params | None, timeout_ms: int | None
              ) -> Callable[[Any], list[dict[str, Any]]]:
        """A transaction function for the driver's managed transactions (retried on transient errors)."""
        @self._neo4j.unit_of_work(timeout=(timeout_ms / 1000) if timeout_ms else None)
        def work(tx: Any) -> list[dict[str, Any]]:  # noqa: ANN401 - the driver's ManagedTransaction
            return [{k: _plain(v) for k, v in record.items()} for record in tx.run(text, dict(params or {}))]

        return work

    def read(self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
             ) -> list[dict[str, Any]]:
        """A managed read transaction: the driver routes it to a reader and retries transient failures."""
        with self._errors(timeout_ms), self._session(read=True) as session:
            return session.execute_read(self._work(query, params, timeout_ms))

    def read_only(self, query: str, params: Params | None = None, *, timeout_ms: int, max_rows: int
                  ) -> ReadResult:
        check_read_query(query)
        with self._errors(timeout_ms), self._session(read=True) as session:
            plan = session.run(self._query(f"EXPLAIN {query}", timeout_ms), dict(params or {})).consume()
            if plan.query_type != "r":
                raise QueryRejected(f"the query is of type '{plan.query_type}'; only reads ('r') are allowed")
            tx = session.begin_transaction(timeout=timeout_ms / 1000)
            try:
                result = tx.run(query, dict(params or {}))
                columns = list(result.keys())
                rows = []
                for record in result:
                    if len(rows) == max_rows:
                        return ReadResult(columns, rows, True)
                    rows.append({k: _plain(v) for k, v in record.items()})
                return ReadResult(columns, rows, False)
            finally:
                tx.rollback()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Run]:
        with self._errors(), self._session() as session:
            tx = session.begin_transaction()

            def run(query: str, params: Params) -> list[dict[str, Any]]:
                return [{k: _plain(v) for k, v in r.items()} for r in tx.run(query, dict(params))]

            try:
                yield run
            except BaseException:
                tx.rollback()
                raise
            try:
                tx.commit()
            finally:  # committed (or unknown): a reader that sees the new count sees the write
                self._writes_ended += 1

    def write(self, work: Callable[[Run], T]) -> T:
        """A managed write transaction: `work` is run again (in a new transaction) after a transient error."""
        def managed(tx: Any) -> T:  # noqa: ANN401 - the driver's ManagedTransaction
            def run(query: str, params: Params) -> list[dict[str, Any]]:
                return [{k: _plain(v) for k, v in r.items()} for r in tx.run(query, dict(params))]

            return work(run)

        try:
            with self._errors(), self._session() as session:
                return session.execute_write(managed)
        finally:
            self._writes_ended += 1

    def data_version(self) -> tuple[int, int]:
        """Writes ended through this store, and the change records of every copgraph process.

        Other processes may write to the same server (a CLI load); each of their writes adds change
        records (`history`), and a count of a label is read from Neo4j's count store at no cost."""
        return self._writes_ended, self.read(history.COUNT)[0]["c"]

    def _journal_trusted(self, before: Any, after: Any, records: int) -> bool:  # noqa: ANN401 - data_version
        """Another thread's raw transaction, or another process's write, may end between the versions
        read around a journaled write: trusted only when one write ended here and the change records
        grew by exactly the ones it wrote."""
        return (after[0] - before[0], after[1] - before[1]) == (1, records)

    def ensure_schema(self) -> None:
        with self._errors(), self._session() as session:
            for statement in schema_statements():
                session.run(statement).consume()
            session.run("CALL db.awaitIndexes(300)").consume()

    def close(self) -> None:
        self._driver.close()

    def search(self, text: str, first: int, types: list[str] | None = None, enough: int | None = None
               ) -> list[tuple[str, float]]:
        """Lucene does what the SQLite index does by hand: every word exact, as a prefix, as its plural stem
        or within its tolerated edits (`search_index.tolerated_edits`); several words also joined."""
        words = search_index.query_words_and_edits(text)
        if not words:
            return []
        groups = []
        for word, edits in words:
            term, stemmed = _lucene_term(word), _lucene_term(search_index.stem(word))
            alternatives = [term, f"{term}*", f"{stemmed}*", *([f"{term}~{edits}"] if edits else [])]
            groups.append("(" + " OR ".join(alternatives) + ")")
        query = " AND ".join(groups)
        if len(words) > 1:
            query = f"({query}) OR {_lucene_term(''.join(w for w, _ in words))}"
        hits: list[tuple[str, float]] = []
        for index in (SEARCH_INDEX, ACTOR_SEARCH_INDEX):
            rows = self.read(
                f"CALL db.index.fulltext.queryNodes('{index}', $q) YIELD node, score "
                "WITH node, score WHERE $types IS NULL OR any(l IN labels(node) WHERE l IN $types) "
                "RETURN node.id AS id, score ORDER BY score DESC, id LIMIT $first",
                {"q": query, "first": first, "types": types})
            hits += [(r["id"], float(r["score"])) for r in rows]
        return sorted(hits, key=lambda h: (-h[1], h[0]))[:first]

    def _index_for_search(self, nodes: dict[str, list[dict[str, Any]]], *, complete: bool = False) -> None:
        """Neo4j's full-text index follows writes by itself."""

    def delete_from_search(self, ids: list[str]) -> None:
        """Neo4j's full-text index follows deletes by itself."""
