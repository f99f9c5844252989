"""LadybugDB (embedded, Kùzu-lineage) backend: the default store.

LadybugDB needs declared node/rel tables, so the schema is generated from `graph_api.model`.
Large inserts go through `COPY FROM` a temporary CSV (measured ~270k nodes/s against ~50k/s
for UNWIND CREATE), inside the same transaction as the rest of the batch, so a failed batch
leaves nothing behind. Queries run on a pool of connections to the one database
(`ladybug_pool`); analysts' queries run in read-only transactions: the engine itself refuses
every write there, which is a stronger guarantee than parsing the text.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import sqlite3
import tempfile
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from graph_api.model import NODE_PROPERTIES, REL_TYPES
from graph_api.rows import ApplySummary, GraphRows
from graph_api.store import history, texts
from graph_api.store.base import (
    Params,
    QueryRejected,
    QueryTimeout,
    ReadResult,
    Run,
    StagedSearch,
    Store,
    StoreUnavailable,
)
from graph_api.store.copy_csv import column_getter, csv_text
from graph_api.store.file_copy import copy_keeping_locks
from graph_api.store.guard import check_read_query
from graph_api.store.ladybug_pool import ConnectionPool, PoolSize
from graph_api.store.ladybug_snapshot import DEFAULT_WRITE_RESERVE, NoRoomToWrite, WriteProtocol, is_io_error
from graph_api.store.reads import ColumnPage
from graph_api.store.search_index import SearchIndex

log = logging.getLogger("copgraph.store")
COPY_THRESHOLD = 2_000
T = TypeVar("T")
_NESTED = (dict, list)  # exact types LadybugDB returns for nodes, rels, paths, maps and lists
# the engine's words for a write refused in a read-only transaction (or on a read-only database)
_READ_ONLY_MARKERS = ("read-only transaction", "read-only database")


def schema_ddl() -> list[str]:
    """CREATE statements for every node and relationship table (idempotent)."""
    statements = []
    for label, props in NODE_PROPERTIES.items():
        columns = ", ".join(["id STRING PRIMARY KEY", *(f"{p} {t}" for p, t in props.items())])
        statements.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({columns})")
    for rel in REL_TYPES.values():
        parts = [f"FROM {a} TO {b}" for a, b in rel.pairs]
        parts += [f"{p} {t}" for p, t in rel.properties.items()]
        statements.append(f"CREATE REL TABLE IF NOT EXISTS {rel.name}({', '.join(parts)})")
    return [*statements, history.LADYBUG_DDL]  # the change history: a table outside the graph vocabulary


def _row(values: list[Any]) -> list[Any]:
    """`_plain` over one result row, without a call per scalar (most values are; this runs per value read)."""
    return [_plain(v) if type(v) in _NESTED else v for v in values]


def _plain(value: Any) -> Any:
    """Turn LadybugDB node/rel dicts into plain property dicts, as the Neo4j adapter does."""
    if isinstance(value, dict):
        if "_LABEL" in value or "_ID" in value:
            out = {k: (_plain(v) if type(v) in _NESTED else v) for k, v in value.items()
                   if v is not None and not k.startswith("_")}
            if "_LABEL" in value and "_SRC" not in value:
                out["_label"] = value["_LABEL"]
            if "_SRC" in value:
                out["_type"] = value["_LABEL"]
            return out
        if "_nodes" in value and "_rels" in value:
            return {"nodes": [_plain(n) for n in value["_nodes"]], "rels": [_plain(r) for r in value["_rels"]]}
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


class LadybugStore(Store):
    dialect = "ladybug"

    def __init__(self, path: str | Path, *, search_path: str | Path | None = None, pool: PoolSize | None = None,
                 write_reserve: int = DEFAULT_WRITE_RESERVE):
        super().__init__()
        self.path = str(path)
        # every write goes through the protocol; opening recovers from a killed or failed write
        self._protocol = WriteProtocol(self.path, reserve=write_reserve)
        self._bulk_next = False
        self._pool = ConnectionPool(self.path, pool, open_database=self._protocol.open)
        self._search = SearchIndex(search_path or f"{self.path}.search.sqlite")
        # Present from before a graph write until the search index has caught up with it: a process
        # killed in between leaves it behind, and the next open rebuilds the index from the graph.
        self._search_pending = Path(f"{search_path or self.path + '.search.sqlite'}.pending")

    # ---- queries --------------------------------------------------------------------
    def _execute(self, conn: Any, query: str, params: Params | None, timeout_ms: int | None
                 ) -> tuple[list[str], Any]:
        conn.set_query_timeout(timeout_ms or 0)
        try:
            result = conn.execute(query, dict(params or {}))
        except RuntimeError as exc:
            message = str(exc)
            if "interrupted" in message.lower() or "timeout" in message.lower():
                raise QueryTimeout(f"query exceeded its time limit of {timeout_ms} ms") from exc
            if any(marker in message for marker in _READ_ONLY_MARKERS):
                raise QueryRejected("the query tries to write; this endpoint is read-only") from exc
            raise
        finally:
            conn.set_query_timeout(0)
        return result.get_column_names(), result

    def _rows(self, conn: Any, query: str, params: Params | None, timeout_ms: int | None) -> list[dict[str, Any]]:
        columns, result = self._execute(conn, query, params, timeout_ms)
        try:
            return [dict(zip(columns, _row(r), strict=True)) for r in result.get_all()]
        finally:
            result.close()

    def read(self, query: str, params: Params | None = None, *, timeout_ms: int | None = None
             ) -> list[dict[str, Any]]:
        with self._pool.reader() as conn:
            return self._rows(conn, query, params, timeout_ms)

    def _stream(self, conn: Any, query: str) -> Iterator[dict[str, Any]]:
        """Rows of `query` one by one: the engine holds the result, Python only the current row."""
        columns, result = self._execute(conn, query, None, None)
        try:
            while result.has_next():
                yield dict(zip(columns, _row(result.get_next()), strict=True))
        finally:
            result.close()

    def export_pages(self, label: str, properties: Sequence[str], rel_types: Sequence[str], page_size: int
                     ) -> Iterator[tuple[list[dict[str, Any]], dict[str, list[tuple[str, dict[str, Any]]]]]]:
        """One ordered read of the label and one of each relationship type, merged here page by page.

        Outgoing relationships looked up by a page's id list made LadybugDB scan the whole
        relationship table per page (measured at Germany scale: 1.6 s per page of 5,000 actors for
        KNOWS, ~40 s of a 40 s export); one scan per type costs about what one such page did. Both
        reads are ordered by id in the engine, which compares strings by code point as Python does,
        so a page's relationships are those whose start id is at most the page's last id; one whose
        start node was not read (deleted or added between the reads) is skipped, as the paged
        reads would have skipped it."""
        with self._pool.streaming() as stream:
            def pull(rows: Iterator[dict[str, Any]], count: int | None = None) -> Any:  # noqa: ANN401
                with stream.lock:  # the database is not closed while rows are read
                    if not stream.open:
                        raise StoreUnavailable(f"the database at {self.path} was closed during the export")
                    return list(itertools.islice(rows, count)) if count is not None else next(rows, None)

            with stream.lock:
                nodes = self._stream(stream.conn, texts.label_table(label, tuple(properties)))
                streams = [(rel_type, self._stream(stream.conn, texts.out_rel_table(rel_type, label)))
                           for rel_type in sorted(rel_types)]
            heads = [pull(rows) for _, rows in streams]
            while page := pull(nodes, page_size):
                ids, last = {row["id"] for row in page}, page[-1]["id"]
                found: dict[str, list[tuple[str, dict[str, Any]]]] = defaultdict(list)
                for index, (rel_type, rows) in enumerate(streams):  # types in name order, targets in id order
                    row = heads[index]
                    while row is not None and row["f"] <= last:
                        start = row.pop("f")
                        if start in ids:
                            found[start].append((rel_type, row))
                        row = pull(rows)
                    heads[index] = row
                yield page, found

    def export_columns(self, label: str, properties: Sequence[str], rel_properties: Mapping[str, Sequence[str]],
                       page_size: int) -> Iterator[ColumnPage]:
        """Pages of `label` as id ranges (bounds from one ordered read of its ids), each page's nodes and
        relationships read by that range, all as Arrow columns.

        Rows pulled one by one through the binding cost ~2.4 us per relationship of five values (2.4 s of
        CPU for the 1,000,000 KNOWS of the Germany graph); the same columns as Arrow and then lists cost
        ~0.75 s, and leaving out the ORDER BY of whole-table reads saves the engine ~1.1 s more. Keyset
        pages (`id > $after ORDER BY id LIMIT`) sort the whole label for every page (0.72 s for the 7 pages
        of 133,507 actors); one ordered read of the ids and unordered range reads cost 0.37 s. A range of
        ids is planned as a scan of that range, not as the per-page whole-table scan that lookups by an
        id list caused (see `export_pages`). All reads compare ids in the engine, so a page's relationships
        are exactly those whose start lies in its range; one whose start node was not read (added between
        the reads) is dropped by the formatter, which formats relationships of the page's nodes only."""
        node_query = texts.node_range(label, tuple(properties))
        rel_queries = {rel_type: texts.out_rel_range(rel_type, label, tuple(props))
                       for rel_type, props in rel_properties.items()}
        with self._pool.streaming() as stream:
            def arrow(query: str, params: Params) -> tuple[list[str], Any]:  # noqa: ANN401 - a pyarrow Table
                with stream.lock:  # the database is not closed while rows are read
                    if not stream.open:
                        raise StoreUnavailable(f"the database at {self.path} was closed during the export")
                    try:
                        names, result = self._execute(stream.conn, query, params, None)
                    except QueryTimeout as exc:  # the export sets no limit: closing the store interrupted it
                        raise StoreUnavailable(f"the database at {self.path} was closed during the export") from exc
                    try:
                        return names, (result.get_as_arrow(-1) if result.get_num_tuples() else None)
                    finally:
                        result.close()

            def columns(query: str, params: Params) -> dict[str, list[Any]]:
                names, table = arrow(query, params)
                if table is None:
                    return {name: [] for name in names}
                return {name: table.column(index).to_pylist() for index, name in enumerate(names)}

            _, ids = arrow(texts.ids_in_order(label), {})
            if ids is None:
                return
            ordered = ids.column(0)
            last = len(ordered) - 1
            bounds = [(ordered[lo].as_py(), ordered[min(lo + page_size - 1, last)].as_py())
                      for lo in range(0, len(ordered), page_size)]
            del ids, ordered  # only the bounds are kept
            for lo, hi in bounds:
                page = {"lo": lo, "hi": hi}
                nodes = columns(node_query, page)
                if nodes["id"]:
                    yield ColumnPage(nodes, {rel_type: columns(query, page) for rel_type, query in rel_queries.items()})

    def health(self) -> bool:
        try:
            with self._pool.probe() as conn:
                return self._rows(conn, "RETURN 1 AS ok", None, 5_000)[0]["ok"] == 1
        except Exception:  # noqa: BLE001 - any failure means "not ready"
            return False

    def read_only(self, query: str, params: Params | None = None, *, timeout_ms: int, max_rows: int
                  ) -> ReadResult:
        """On an analyst's connection (one worker), inside a read-only transaction the engine enforces."""
        check_read_query(query)
        with self._pool.analyst() as conn:
            conn.execute("BEGIN TRANSACTION READ ONLY")
            try:
                columns, result = self._execute(conn, query, params, timeout_ms)
                rows: list[dict[str, Any]] = []
                while result.has_next() and len(rows) < max_rows:
                    rows.append(dict(zip(columns, _row(result.get_next()), strict=True)))
                truncated = result.has_next()
                result.close()
                return ReadResult(columns, rows, truncated)
            finally:
                with contextlib.suppress(RuntimeError):  # an interrupted query already ended the transaction
                    conn.execute("ROLLBACK")

    # ---- copies for query workers in other processes (graph_api/sandbox) ------------------
    def files_version(self) -> tuple[tuple[int, int], ...]:
        """Size and modification time of the database file and its WAL: changes with every write."""
        stats = []
        for path in (Path(self.path), Path(f"{self.path}.wal")):
            with contextlib.suppress(FileNotFoundError):
                stat = path.stat()
                stats.append((stat.st_size, stat.st_mtime_ns))
        return tuple(stats)

    def copy_for_readers(self, folder: Path) -> tuple[Path, tuple[tuple[int, int], ...]]:
        """A consistent copy of the database in `folder`, and the `files_version` it matches.

        Another process cannot open the file while this one holds it (LadybugDB 0.22); a copy taken
        under the write lock right after a checkpoint holds every committed write and no WAL."""
        with self._pool.writing() as conn:
            conn.execute("CHECKPOINT")
            target = Path(folder) / Path(self.path).name
            copy_keeping_locks(self.path, target)  # not shutil: closing a copy's descriptor drops our lock
            return target, self.files_version()

    def data_version(self) -> int:
        """Writes ended through this store: one process holds the file, so no write goes unseen."""
        return self._pool.writes_ended

    def _version_after_write(self) -> int:
        """Journaled inside `_guarded`, whose own release of the writer counts one more write end."""
        return self._pool.writes_ended + 1

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Run]:
        with self._pool.writing() as conn, self._protocol.writing(conn, bulk=self._bulk_next):
            conn.execute("BEGIN TRANSACTION")

            def run(query: str, params: Params) -> list[dict[str, Any]]:
                return self._rows(conn, query, params, None)

            try:
                yield run
            except BaseException:
                with contextlib.suppress(RuntimeError):  # a failed statement already rolled back
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def _writes(self) -> contextlib.AbstractContextManager[Any]:
        return self._pool.writing()

    def ensure_schema(self) -> None:
        with self._pool.writing() as conn:
            missing = [ddl for ddl in schema_ddl() if not _table_exists(conn, ddl)]
            missing += _missing_columns(conn)
            if missing:  # a write like any other; an up-to-date schema writes nothing (read-only commands)
                with self._protocol.writing(conn):
                    for statement in missing:
                        conn.execute(statement)
        if self._search_pending.exists() or self._search.outdated:
            self.rebuild_search()

    def apply(self, rows: GraphRows, **options: Any) -> ApplySummary:
        # COPY rows are not WAL-logged: the protocol keeps a copy of the file until they are checkpointed
        bulk = any(len(r) >= COPY_THRESHOLD for r in [*rows.nodes.values(), *rows.rels.values()])
        return self._guarded(lambda: super(LadybugStore, self).apply(rows, **options), bulk=bulk)

    def delete_node(self, node_id: str, origin: history.Origin | None = None) -> bool:
        return self._guarded(lambda: super(LadybugStore, self).delete_node(node_id, origin))

    def delete_contact(self, a: str, b: str) -> bool:
        return self._guarded(lambda: super(LadybugStore, self).delete_contact(a, b))

    def _guarded(self, write: Callable[[], T], *, bulk: bool = False) -> T:
        """Run one write of the shared upsert code; disk and index failures become clear errors."""
        try:
            self._search_pending.touch()
        except OSError as exc:
            raise StoreUnavailable(f"cannot write next to {self.path} ({exc.strerror or exc}); "
                                   "nothing was written") from exc
        with self._pool.writing(), self._journaled():  # the outermost write: journaled here (`Store.changed_since`)
            self._bulk_next = bulk
            try:
                result = write()
            except NoRoomToWrite:  # refused before anything was written: no reopen (closing the engine on a
                # nearly full disk can itself abort the process, measured with ~10 KB free)
                self._search_pending.unlink(missing_ok=True)
                raise
            except StoreUnavailable:  # from the protocol, which says what happened and what is kept
                self._reopen_after_failure()
                raise
            except RuntimeError as exc:
                if not is_io_error(exc):
                    raise
                reopened = self._reopen_after_failure()
                kept = ("the batch was not kept" if bulk and reopened else
                        "the store opens in the state before this write (or after it, if its log was complete)")
                raise StoreUnavailable(f"cannot write to the database at {self.path} (disk full or read-only?): "
                                       f"{str(exc)[str(exc).find('IO exception'):]}; {kept}") from exc
            except sqlite3.Error as exc:  # the graph was written; the index is rebuilt at the next open
                raise StoreUnavailable(f"the graph was written, but its search index next to {self.path} could "
                                       f"not be updated ({exc}); it is rebuilt at the next start") from exc
            finally:
                self._bulk_next = False
        self._search_pending.unlink(missing_ok=True)
        return result

    def _reopen_after_failure(self) -> bool:
        """Reopen through the protocol's recovery (the engine may hold a torn log); False if that fails
        now (say, the disk is still full): then the next open recovers."""
        try:
            self._pool.reopen()
        except StoreUnavailable as exc:
            log.warning("%s cannot be reopened after a failed write: %s", self.path, exc)
            return False
        return True

    def rebuild_search(self) -> None:
        """Re-index every node (after an interrupted write left the index behind the graph)."""
        with self._pool.writing():
            self._search.clear()
            self._index_for_search({label: [{"id": i} for i in self.all_ids(label)] for label in NODE_PROPERTIES})
            self._search.mark_current()
            self._search_pending.unlink(missing_ok=True)

    def close(self) -> None:
        """Interrupts queries still running (their callers get an error), then closes the file."""
        self._pool.close()
        self._search.close()

    # ---- search ---------------------------------------------------------------------
    def search(self, text: str, first: int, types: list[str] | None = None, enough: int | None = None
               ) -> list[tuple[str, float]]:
        return self._search.search(text, first, types, enough)

    def _index_for_search(self, nodes: dict[str, list[dict[str, Any]]], *, complete: bool = False) -> None:
        ids = [row["id"] for rows in nodes.values() for row in rows]
        if not ids:
            return
        if complete:  # new nodes: the rows are what was written, reading them back would only cost time
            self._search.upsert([(row["id"], row) for rows in nodes.values() for row in rows])
            return
        self._search.upsert(list(self.nodes_by_ids(ids).items()))

    def _stage_search(self, nodes: dict[str, list[dict[str, Any]]]) -> StagedSearch:
        """A bulk write's new nodes are indexed in a thread while the engine writes the graph (see
        `search_index.StagedDocuments`); the pending marker (`_guarded`) covers a kill in between."""
        if sum(map(len, nodes.values())) < COPY_THRESHOLD:
            return super()._stage_search(nodes)
        return self._search.stage((row["id"], row) for rows in nodes.values() for row in rows)

    def delete_from_search(self, ids: list[str]) -> None:
        self._search.delete(ids)

    # ---- bulk paths -----------------------------------------------------------------
    def _create_nodes(self, run: Run, label: str, rows: list[dict[str, Any]]) -> None:
        if len(rows) < COPY_THRESHOLD:
            super()._create_nodes(run, label, rows)
            return
        columns = ["id", *NODE_PROPERTIES[label]]
        getters = [column_getter(c, required=c == "id") for c in columns]
        with tempfile.TemporaryDirectory(prefix="copgraph-copy-") as tmp:
            path = Path(tmp) / f"{label}.csv"
            multiline = _write_csv(path, columns, rows, getters)
            run(f"COPY {label} FROM '{path.as_posix()}' (HEADER=true{', PARALLEL=false' if multiline else ''})",
                {})

    def _create_rels(self, run: Run, key: tuple[str, str, str], rows: list[dict[str, Any]]) -> None:
        if len(rows) < COPY_THRESHOLD:
            super()._create_rels(run, key, rows)
            return
        rel_type, from_label, to_label = key
        props = list(REL_TYPES[rel_type].properties)
        with tempfile.TemporaryDirectory(prefix="copgraph-copy-") as tmp:
            path = Path(tmp) / f"{rel_type}.csv"
            getters = [column_getter("from", required=True), column_getter("to", required=True),
                       *(column_getter(p, required=False) for p in props)]
            multiline = _write_csv(path, ["from", "to", *props], rows, getters)
            options = f"HEADER=true, from='{from_label}', to='{to_label}'"
            run(f"COPY {rel_type} FROM '{path.as_posix()}' ({options}{', PARALLEL=false' if multiline else ''})",
                {})


def _missing_columns(conn: Any) -> list[str]:
    """ALTER statements for properties the model gained after a table was created (a database made by an
    older copgraph, e.g. before `same_as`): CREATE ... IF NOT EXISTS leaves an existing table as it was."""
    tables = {**NODE_PROPERTIES, **{name: rel.properties for name, rel in REL_TYPES.items()}}
    statements = []
    for table, props in tables.items():
        if not conn.execute("CALL show_tables() WHERE name = $n RETURN name", {"n": table}).get_all():
            continue  # created whole by its CREATE statement
        have = {row[1] for row in conn.execute(f"CALL table_info('{table}') RETURN *").get_all()}
        statements += [f"ALTER TABLE {table} ADD {prop} {kind}" for prop, kind in props.items() if prop not in have]
    return statements


def _table_exists(conn: Any, ddl: str) -> bool:
    name = ddl.split(" IF NOT EXISTS ", 1)[1].split("(", 1)[0]
    return bool(conn.execute("CALL show_tables() WHERE name = $n RETURN name", {"n": name}).get_all())


def _write_csv(path: Path, header: list[str], rows: list[dict[str, Any]],
               getters: Sequence[Callable[[dict[str, Any]], Any]]) -> bool:
    """Write rows for COPY; return True when a value spans lines (needs the serial CSV reader)."""
    text, multiline = csv_text(header, rows, getters)
    path.write_text(text, encoding="utf-8", newline="")
    return multiline
