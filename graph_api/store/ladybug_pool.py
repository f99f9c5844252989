"""Connections on the one LadybugDB `Database` of a process, so that readers never wait for each other.

Measured with LadybugDB 0.22 (see the project's notes on LadybugDB): one process may open a
database file; inside it, several `Connection`s run queries at the same time (the binding
releases the GIL), but all share the database's pool of `max_num_threads` workers. Two slow
queries on the default two workers made a 1 ms lookup wait 7 s; with six workers and the slow
(analysts') connections limited to one worker each, lookups stayed at 1-6 ms. So the pool has
three kinds of connection:

- readers, for the application's own short queries (GraphQL, exports), all workers allowed;
- analysts, one worker each, for untrusted or slow queries (`/cypher`, named queries);
- one writer, behind a lock: LadybugDB allows one write transaction at a time, and a writer
  that waits here instead of inside the engine never holds a worker while it waits;
- streams, made per long read consumed at its caller's pace (a whole-graph export): not from
  the pool, so closing or reopening the database never waits for a slow download; they are
  closed first instead, under the lock their reader takes for each pull, so no row is read
  from a closed database.

`/readyz` has a connection of its own, so a probe never queues behind busy readers. Every
query gets a time limit in the engine (`set_query_timeout`): a query past it is interrupted
and its connection returns to the pool, rather than being abandoned while it keeps running.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import ladybug

from graph_api.store.base import StoreUnavailable


@dataclass(frozen=True)
class PoolSize:
    """How many workers and connections; defaults are the measured configuration above."""

    max_threads: int = 6
    readers: int = 8
    analysts: int = 2


@dataclass(eq=False)
class Stream:
    """A long read's own connection; `lock` is held for each pull of rows and for closing it."""

    conn: Any
    lock: threading.Lock = field(default_factory=threading.Lock)
    open: bool = True

    def end(self) -> None:
        with self.lock:
            if self.open:
                self.open = False
                with contextlib.suppress(RuntimeError):
                    self.conn.close()  # closes its results too


class ConnectionPool:
    def __init__(self, path: str, size: PoolSize | None = None,
                 open_database: Callable[..., Any] | None = None):
        self.path = path
        self.size = size or PoolSize()
        self._open_database = open_database or self._plain_open
        self._write_lock = threading.RLock()
        self.writes_ended = 0  # counts every release of the writer: see `writing`
        self._closed = False
        self._readers: queue.Queue[Any] = queue.Queue()
        self._analysts: queue.Queue[Any] = queue.Queue()
        self._probe: queue.Queue[Any] = queue.Queue()
        self._busy: set[Any] = set()
        self._busy_lock = threading.Lock()
        self._streams: set[Stream] = set()
        self._streams_lock = threading.Lock()  # held while streams are made, and while the database closes
        self._open()

    def _pools(self) -> tuple[tuple[queue.Queue[Any], int], ...]:
        return ((self._readers, self.size.readers), (self._analysts, self.size.analysts), (self._probe, 1))

    def _plain_open(self, **options: Any) -> Any:
        try:
            return ladybug.Database(self.path, **options)
        except RuntimeError as exc:
            raise StoreUnavailable(f"cannot open LadybugDB at {self.path}: {exc}") from exc

    def _open(self) -> None:
        """`open_database(**options)` may recover the file first (the store's write protocol)."""
        self.db = self._open_database(max_num_threads=self.size.max_threads)
        self.writer = ladybug.Connection(self.db)
        for _ in range(self.size.readers):
            self._readers.put(ladybug.Connection(self.db))
        for _ in range(self.size.analysts):
            conn = ladybug.Connection(self.db)
            conn.set_max_threads_for_exec(1)
            self._analysts.put(conn)
        self._probe.put(ladybug.Connection(self.db))

    @contextlib.contextmanager
    def _take(self, pool: queue.Queue[Any]) -> Iterator[Any]:
        conn = pool.get()
        if conn is None:  # the pool was closed while this caller waited
            pool.put(None)
            raise StoreUnavailable(f"the database at {self.path} is closed")
        with self._busy_lock:
            self._busy.add(conn)
        try:
            yield conn
        finally:
            with self._busy_lock:
                self._busy.discard(conn)
            pool.put(conn)

    def reader(self) -> contextlib.AbstractContextManager[Any]:
        """A connection for the application's own reads."""
        return self._take(self._readers)

    def analyst(self) -> contextlib.AbstractContextManager[Any]:
        """A single-worker connection for slow or untrusted reads."""
        return self._take(self._analysts)

    def probe(self) -> contextlib.AbstractContextManager[Any]:
        """The readiness probe's own connection."""
        return self._take(self._probe)

    @contextlib.contextmanager
    def writing(self) -> Iterator[Any]:
        """The writer connection, held for the whole write: writes are serialised here."""
        with self._write_lock:
            if self._closed:
                raise StoreUnavailable(f"the database at {self.path} is closed")
            try:
                yield self.writer
            finally:  # after COMMIT or ROLLBACK: a reader that sees the new count sees the write
                self.writes_ended += 1

    @contextlib.contextmanager
    def streaming(self) -> Iterator[Stream]:
        """A connection of its own for one long read; pull its rows only under `Stream.lock` after
        checking `Stream.open` (False once the database was closed or reopened meanwhile)."""
        with self._streams_lock:
            if self._closed:
                raise StoreUnavailable(f"the database at {self.path} is closed")
            stream = Stream(ladybug.Connection(self.db))
            self._streams.add(stream)
        try:
            yield stream
        finally:
            with self._streams_lock:
                self._streams.discard(stream)
            stream.end()

    def _end_streams(self) -> None:
        """Close every stream's connection (and its results) before the database closes."""
        for stream in list(self._streams):
            with contextlib.suppress(RuntimeError):
                stream.conn.interrupt()
            stream.end()

    def _take_all(self) -> list[Any]:
        """Every connection, waiting for those in use to come back (callers hold the write lock)."""
        conns = [self.writer]
        for pool, count in self._pools():
            conns += [pool.get() for _ in range(count)]
        return conns

    def _close_all(self, conns: list[Any]) -> None:
        for conn in conns:
            with contextlib.suppress(RuntimeError):
                conn.close()
        with contextlib.suppress(RuntimeError):
            self.db.close()

    def reopen(self, between: Callable[[], None] | None = None) -> None:
        """Close the database, run `between` (e.g. put a file back), open it again with new connections.

        Readers that arrive meanwhile wait for a connection and then get one of the new ones."""
        with self._write_lock, self._streams_lock:
            self._end_streams()
            self._close_all(self._take_all())
            if between is not None:
                between()
            try:
                self._open()
            except BaseException:  # nothing open any more: callers (and close) must not wait for connections
                self._closed = True
                for pool, _ in self._pools():
                    pool.put(None)
                raise

    def in_use(self) -> int:
        """How many connections are running a query now."""
        with self._busy_lock:
            return len(self._busy)

    def interrupt_running(self) -> None:
        """Interrupt every query running now (at shutdown: nobody waits for an answer any more)."""
        with self._busy_lock:
            busy = list(self._busy)
        for conn in busy:
            with contextlib.suppress(RuntimeError):
                conn.interrupt()

    def close(self) -> None:
        """Interrupt running queries, wait for their connections to come back, close everything."""
        with self._write_lock:
            if self._closed:
                return
            self._closed = True
            self.interrupt_running()
            with self._streams_lock:
                self._end_streams()
            self._close_all(self._take_all())
            for pool, _ in self._pools():
                pool.put(None)
