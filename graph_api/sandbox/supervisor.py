"""Analysts' queries (ad-hoc `/cypher` and the named queries) in supervised worker processes.

Why a process: some queries crash LadybugDB itself (table functions such as READ_CSV_SERIAL
segfault it; so do ~2,500 nested brackets). The allow-list guard refuses every case found so
far, but a crash in the server's own process would take the service and its store connection
down, so untrusted reads run where a crash ends only a worker.

Why a copy: while the server holds the database file, no other process may open it, not even
read-only (measured, LadybugDB 0.22). So workers read a copy that the store makes under its
write lock right after a checkpoint (`LadybugStore.copy_for_readers`), and a new copy is made
when the store's files changed since (`LadybugStore.files_version`), i.e. after a write; workers
on an old copy are replaced as they come back. A copy counts as used from the moment a query is
given it until its worker stops, so a newer copy never removes one a worker is starting on or
reading (found under mixed load: "seek of closed file"; tests/test_sandbox_copies.py).

Limits of a worker: its own address space (see `worker.py`), the engine's query timeout, and a
wall-clock deadline here (the timeout plus `GRACE_S`) after which the worker is killed.
Workers run at a lower CPU priority than the server (`priority.py`, COPGRAPH_QUERY_WORKER_PRIORITY):
an analyst's query may use a whole core for its full time limit, and two of them took the CPU
the server's GraphQL readers needed on two cores. A worker
that dies (crash, memory) is replaced at the next query; the caller gets `QueryCrashed`.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graph_api.sandbox.priority import Priority, lower
from graph_api.store import QueryRejected, QueryTimeout, ReadResult, Store, StoreUnavailable
from graph_api.store.guard import check_read_query

GRACE_S = 2.0  # after the engine's own timeout, before the worker is killed
START_TIMEOUT_S = 60.0
MAX_REPLY_BYTES = 64 << 20
_READ_ONLY_MARKERS = ("read-only", "read only")
_WORKER_MODULE = "graph_api.sandbox.worker"


class QueryCrashed(RuntimeError):
    """The worker running the query died (engine crash or memory limit); the server is unaffected."""


class QueryWorkersBusy(StoreUnavailable):
    """Every worker is busy and as many queries already wait: refused at once rather than queued."""


class _Died(Exception):
    pass


class _TooSlow(Exception):
    pass


@dataclass
class _Copy:
    """One copy of the database files, shared by the workers started on it."""

    folder: Path
    db_file: Path
    version: Any
    users: int = 0
    retired: bool = False


class _Worker:
    """One worker process on one copy; the caller has already counted it as a user of that copy."""

    def __init__(self, copy: _Copy, priority: Priority = "normal"):
        self.copy = copy
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - the worker's stderr, closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", _WORKER_MODULE, str(copy.db_file), priority],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log, bufsize=0, close_fds=True)
        self._buffer = b""
        with contextlib.suppress(OSError):  # at once, for its start-up too; it may have died: the start says why
            lower(self.process.pid, priority)
        try:
            ready = json.loads(self._read_line(time.monotonic() + START_TIMEOUT_S))
        except (_Died, _TooSlow, ValueError):
            ready = None
        if ready != {"ready": True}:
            self._end_process()
            self.log.seek(0)  # before the log is closed: its text is the reason the caller is told
            reason = self.log.read().decode(errors="replace").strip()[-500:] or "no message"
            self.stop()
            raise StoreUnavailable(f"the query worker did not start: {reason}")

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict[str, Any], deadline: float) -> dict[str, Any]:
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
        except (BrokenPipeError, OSError):
            raise _Died from None
        return json.loads(self._read_line(deadline))

    def _read_line(self, deadline: float) -> bytes:
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _TooSlow
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                chunk = os.read(fd, 1 << 16)
                if not chunk:
                    raise _Died
                self._buffer += chunk
                if len(self._buffer) > MAX_REPLY_BYTES:
                    raise _Died
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def _end_process(self) -> None:
        with contextlib.suppress(OSError):
            self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        self._end_process()
        for stream in (self.process.stdin, self.process.stdout, self.log):
            with contextlib.suppress(OSError):
                stream.close()


class QueryWorkers:
    """`read_only` like a store's, but every query runs in a worker process on a copy of the database."""

    def __init__(self, store: Store, *, workers: int = 2, priority: Priority = "normal"):
        """`priority`: how the workers' CPU use ranks against the server's (`graph_api.sandbox.priority`)."""
        self._store = weakref.ref(store)  # the registry below is keyed by the store: no strong reference back
        self.dialect = store.dialect
        self._slots = threading.BoundedSemaphore(workers)
        self._workers = workers
        self._waiting = 0  # queries waiting for a slot (under _lock): at most `workers` of them
        self._priority = priority
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._copy: _Copy | None = None
        self._root = Path(tempfile.mkdtemp(prefix="copgraph-query-workers-"))
        self._closed = False
        weakref.finalize(self, shutil.rmtree, self._root, True)  # at exit, or when these workers are dropped
        weakref.finalize(store, self.close)  # a closed and dropped store takes its workers with it

    # ---- the copy ---------------------------------------------------------------------
    @property
    def store(self) -> Store:
        store = self._store()
        if store is None:
            raise StoreUnavailable("the store of these query workers is closed")
        return store

    def _lease_fresh_copy(self) -> _Copy:
        """The copy matching the store's files now, already counted as used by the caller.

        Counted under the same lock that retires copies: a write followed by another query retires
        this copy as soon as it is no longer the newest, and an uncounted copy is deleted then, even
        while a worker is still starting on it (the mixed load's "seek of closed file")."""
        store = self.store
        version = store.files_version()
        with self._lock:
            if self._copy is None or self._copy.version != version:
                folder = Path(tempfile.mkdtemp(dir=self._root))
                try:
                    db_file, version = store.copy_for_readers(folder)
                except BaseException:
                    shutil.rmtree(folder, ignore_errors=True)
                    raise
                if self._copy is not None:
                    self._copy.retired = True
                    self._release_if_unused(self._copy)
                self._copy = _Copy(folder, db_file, version)
            self._copy.users += 1
            return self._copy

    def _release(self, copy: _Copy) -> None:
        """One user less; the copy's files go when it is retired and nobody uses it."""
        with self._lock:
            copy.users -= 1
            self._release_if_unused(copy)

    def _release_if_unused(self, copy: _Copy) -> None:
        if copy.retired and copy.users == 0:
            shutil.rmtree(copy.folder, ignore_errors=True)

    # ---- workers ----------------------------------------------------------------------
    def _take(self) -> _Worker:
        """An idle worker on the newest copy, or a new one; each worker holds one use of its copy."""
        copy = self._lease_fresh_copy()
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                break
            if worker.alive and worker.copy is copy:
                self._release(copy)  # the idle worker already holds its use of this copy
                return worker
            self._retire(worker)
        try:
            return _Worker(copy, self._priority)  # the lease becomes the new worker's use of its copy
        except BaseException:
            self._release(copy)
            raise

    def _retire(self, worker: _Worker) -> None:
        worker.stop()
        self._release(worker.copy)

    def read_only(self, query: str, params: dict[str, Any] | None = None, *, timeout_ms: int, max_rows: int
                  ) -> ReadResult:
        check_read_query(query)  # refused here, in the server, before any worker sees it
        waited = self._wait_for_a_worker(timeout_ms)
        try:
            if self._closed:
                raise StoreUnavailable("the query workers are shut down")
            worker = self._take()  # starting a worker is the service's cost, not counted against the query
            left_ms = max(1, timeout_ms - int(waited * 1000))  # waiting for a busy worker is counted
            request = {"query": query, "params": dict(params or {}), "timeout_ms": left_ms, "max_rows": max_rows}
            try:
                reply = worker.ask(request, time.monotonic() + left_ms / 1000 + GRACE_S)
            except _TooSlow:
                self._retire(worker)
                raise QueryTimeout(f"query exceeded its time limit of {timeout_ms} ms") from None
            except (_Died, ValueError):
                with contextlib.suppress(subprocess.TimeoutExpired):  # its pipe closed: it is exiting now
                    worker.process.wait(timeout=5)
                code = worker.process.poll()
                self._retire(worker)
                how = f"signal {-code}" if code is not None and code < 0 else "it ended"
                raise QueryCrashed(f"the query ended its worker process ({how}); the service is unaffected "
                                   "and a new worker takes the next query") from None
            if self._closed or worker.copy.retired:  # a worker on an outdated copy would hold its files on disk
                self._retire(worker)
            else:
                self._idle.put(worker)
        finally:
            self._slots.release()
        return _result(reply, timeout_ms)

    def _wait_for_a_worker(self, timeout_ms: int) -> float:
        """Take a worker slot, waiting at most the query's own time limit, and only when fewer
        queries than there are workers wait already; returns the seconds waited.

        Each waiting query holds a server thread (the HTTP handlers of `/cypher` and the named
        queries run in the server's shared thread pool, as do `/readyz` and other routes): an
        unbounded, untimed queue let a burst of slow analysts' queries occupy every such thread."""
        if self._slots.acquire(blocking=False):
            return 0.0
        started = time.monotonic()
        with self._lock:
            if self._waiting >= self._workers:
                raise QueryWorkersBusy(f"all {self._workers} query workers are busy and {self._waiting} queries "
                                       "already wait for one; try again when one has finished")
            self._waiting += 1
        try:
            if not self._slots.acquire(timeout=timeout_ms / 1000):
                raise QueryTimeout(f"query exceeded its time limit of {timeout_ms} ms waiting for one of the "
                                   f"{self._workers} query workers, all busy with other queries")
        finally:
            with self._lock:
                self._waiting -= 1
        return time.monotonic() - started

    def close(self) -> None:
        """Stop idle workers and remove the copies; busy workers are stopped as they finish."""
        self._closed = True
        while True:
            try:
                self._retire(self._idle.get_nowait())
            except queue.Empty:
                break
        shutil.rmtree(self._root, ignore_errors=True)


def _result(reply: dict[str, Any], timeout_ms: int) -> ReadResult:
    if "error" not in reply:
        return ReadResult(reply["columns"], reply["rows"], reply["truncated"])
    message = reply["error"]
    if "interrupted" in message.lower() or "timeout" in message.lower():
        raise QueryTimeout(f"query exceeded its time limit of {timeout_ms} ms")
    if any(marker in message.lower() for marker in _READ_ONLY_MARKERS):
        raise QueryRejected("the query tries to write; this endpoint is read-only")
    raise RuntimeError(message)


_BY_STORE: weakref.WeakKeyDictionary[Any, QueryWorkers] = weakref.WeakKeyDictionary()
_BY_STORE_LOCK = threading.Lock()


def runner_for(store: Store, *, workers: int = 2, priority: Priority = "normal") -> Any:  # noqa: ANN401 - a Store or QueryWorkers
    """What runs analysts' queries for `store`: its workers on LadybugDB (one set per store, shared by
    every app on it), the store itself on Neo4j, whose server is already another process."""
    if store.dialect != "ladybug":
        return store
    while "_inner" in vars(store):  # a wrapper made per app (graph_api.rdf.changes.ObservedStore): share by store
        store = vars(store)["_inner"]
    with _BY_STORE_LOCK:
        if store not in _BY_STORE:
            _BY_STORE[store] = QueryWorkers(store, workers=workers, priority=priority)
        return _BY_STORE[store]
