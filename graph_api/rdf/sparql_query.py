"""Read-only SPARQL 1.1 evaluation with a hard time limit and a result-size limit.

pyoxigraph cannot interrupt a running query and a thread cannot be stopped, so queries run in
worker processes forked from the server while it holds the index lock: each inherits the
in-memory store copy-on-write, in a consistent state. At the deadline the worker is killed
(504) and the next query forks a fresh one; a result above the size limit is refused (413).
Forking a server holding a large graph costs tens of milliseconds, so workers are long-lived
and writes reach them as the index's incremental updates. Only queries are evaluated:
pyoxigraph's query parser does not accept SPARQL Update, and `SERVICE` has no handler.
Results are serialised by pyoxigraph (SPARQL JSON/XML/CSV/TSV, Turtle/N-Triples/RDF-XML/JSON-LD),
chosen by the `Accept` header.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
from collections.abc import Sequence
from dataclasses import dataclass
from multiprocessing import Pipe
from multiprocessing.connection import Connection

import pyoxigraph as ox

from graph_api.rdf.negotiation import negotiate
from graph_api.rdf.sparql_index import SparqlIndex, apply_update
from graph_api.sandbox.priority import Priority, lower

# media type -> format; the first of each is the answer to */*
RESULT_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS: dict[str, ox.RdfFormat] = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}


@dataclass(frozen=True)
class SparqlLimits:
    timeout_s: float = 10.0
    max_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True)
class SparqlRequest:
    query: str
    accept: str | None = None
    default_graphs: Sequence[str] = ()
    named_graphs: Sequence[str] = ()


class SparqlError(Exception):
    """A query that cannot be answered: `status` is the HTTP status to send."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class SparqlAnswer:
    media_type: str
    body: bytes


def evaluate(store: ox.Store, request: SparqlRequest) -> SparqlAnswer:
    """Run the query and serialise its result in the negotiated format (in-process, no limits)."""
    options: dict = {}
    if request.default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
    else:  # nodes' own statements live in their source's graph: the default graph is the union
        options["use_default_graph_as_union"] = True
    if request.named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    try:
        result = store.query(request.query, **options)
    except SyntaxError as exc:
        raise SparqlError(400, f"not a SPARQL 1.1 query (this endpoint is read-only): {exc}") from None
    except (OSError, ValueError) as exc:
        raise SparqlError(400, f"query failed: {exc}") from None
    formats = GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else RESULT_FORMATS
    media_type = negotiate(request.accept, list(formats))
    if media_type is None:
        raise SparqlError(406, f"not acceptable; available for this query: {', '.join(formats)}")
    try:
        body = result.serialize(format=formats[media_type])
    except (OSError, ValueError) as exc:
        raise SparqlError(400, f"query failed: {exc}") from None
    return SparqlAnswer(media_type, body)


def _serve(store: ox.Store, base: str, connection: Connection, max_bytes: int) -> None:
    """The worker's loop: apply updates, answer queries, until the server closes the connection."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # the server's handlers are not the worker's
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    while True:
        try:
            kind, payload = connection.recv()
        except (EOFError, OSError):
            return
        if kind == "update":
            apply_update(store, base, payload)
            continue
        try:
            answer = evaluate(store, payload)
            if len(answer.body) > max_bytes:
                raise SparqlError(413, f"result larger than {max_bytes // (1024 * 1024)} MiB; "
                                       "narrow the query or add LIMIT")
            header, body = {"status": 200, "media_type": answer.media_type}, answer.body
        except SparqlError as exc:
            header, body = {"status": exc.status, "message": exc.message}, b""
        except Exception as exc:  # noqa: BLE001 - the worker reports every failure and goes on
            header, body = {"status": 500, "message": f"query failed: {type(exc).__name__}"}, b""
        connection.send_bytes(json.dumps(header).encode() + b"\n" + body)


@dataclass
class _Worker:
    pid: int
    connection: Connection
    generation: int

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


class _Slot:
    worker: _Worker | None = None


class QueryWorkers:
    """`size` worker processes, each holding a copy-on-write fork of the index's store.

    A worker is forked on first use (and again after it was killed at a deadline); after writes
    it receives the index's incremental updates rather than being forked anew, so a query after
    a one-record write costs the update, not a fork of the whole server process."""

    def __init__(self, index: SparqlIndex, size: int = 2, priority: Priority = "normal"):
        """`priority`: how the workers rank for the CPU against the server (`graph_api.sandbox.priority`)."""
        self.index = index
        self.priority = priority
        self._free: queue.Queue[_Slot] = queue.Queue()
        for _ in range(size):
            self._free.put(_Slot())

    def run(self, request: SparqlRequest, limits: SparqlLimits) -> SparqlAnswer:
        """Evaluate `request` on a worker bounded by `limits` (504 at the deadline, 413 above the size)."""
        try:
            slot = self._free.get(timeout=limits.timeout_s)
        except queue.Empty:
            raise SparqlError(503, "all SPARQL workers are busy; retry later") from None
        try:
            worker = self._ready(slot, limits)
            try:
                worker.connection.send(("query", request))
                if not worker.connection.poll(limits.timeout_s):
                    slot.worker = None
                    worker.kill()
                    raise SparqlError(504, f"query took longer than {limits.timeout_s:g} s and was stopped")
                data = worker.connection.recv_bytes()
            except (EOFError, OSError):
                slot.worker = None
                worker.kill()
                raise SparqlError(500, "query failed: the evaluating process ended") from None
        finally:
            self._free.put(slot)
        head, _, body = data.partition(b"\n")
        header = json.loads(head)
        if header["status"] != 200:
            raise SparqlError(header["status"], header["message"])
        return SparqlAnswer(header["media_type"], body)

    def _ready(self, slot: _Slot, limits: SparqlLimits) -> _Worker:
        """The slot's worker, current with the index: caught up by updates, or forked anew."""
        with self.index.lock:
            store = self.index.current()
            worker = slot.worker
            updates = self.index.updates_since(worker.generation) if worker else None
            if worker is not None and updates is not None:
                try:
                    for update in updates:
                        worker.connection.send(("update", update))
                    worker.generation = self.index.generation
                    return worker
                except OSError:
                    pass
            if worker is not None:
                worker.kill()
            slot.worker = self._fork(store, limits)
            return slot.worker

    def _fork(self, store: ox.Store, limits: SparqlLimits) -> _Worker:
        ours, theirs = Pipe(duplex=True)
        pid = os.fork()
        if pid == 0:  # the worker: serve, then leave without running any of the server's clean-up
            try:
                ours.close()
                with contextlib.suppress(OSError):  # the fork's one thread; any it starts inherit it
                    lower(0, self.priority)
                _serve(store, self.index.base, theirs, limits.max_bytes)
            finally:
                os._exit(0)
        theirs.close()
        return _Worker(pid, ours, self.index.generation)

    def close(self) -> None:
        while True:
            try:
                slot = self._free.get_nowait()
            except queue.Empty:
                return
            if slot.worker is not None:
                slot.worker.kill()
