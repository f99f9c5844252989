"""The one write protocol of the LadybugDB store: after a kill or a full disk at any moment of a
write, the database opens in the state before the write or in the state after it.

Measured with LadybugDB 0.22 (tests/attacks/test_write_crashes.py):

* A process killed while the engine writes the write-ahead log at COMMIT (4 of 7 kills of a
  curated load) leaves a WAL that fails its checksum; a plain open then refuses the database
  forever. A full disk at that moment aborts the process (C++ `terminate`) with the same torn WAL.
  A log whose tail is zeros or garbage fails with other messages (assertions, "vector with ANY
  type"). Opening with `throw_on_wal_replay_failure=False` replays the WAL up to the torn record.
* Rows written by `COPY FROM` are not in the WAL: a process killed during the checkpoint that
  follows their commit leaves the WAL-logged part of the batch without the copied part.

The protocol, for every write (loads, mutations, deletes, schema):

1. If the WAL holds anything, checkpoint it first, so the WAL holds only this write.
2. Batches that use COPY also copy the (checkpointed) database file aside (`.before-bulk`).
3. Write the intent marker (`.write-intent`, fsynced with its directory).
4. Write and COMMIT; then CHECKPOINT; then remove the copy and the marker.

At open: when the marker is present, the log is first tried in a child process (`wal_probe`); a
log that crashes the engine there is set aside, leaving the state before the write. A bulk copy
still present means a COPY batch did not finish -> back to the copy. A WAL
that fails its checksum while the marker is present can only hold the one interrupted write
(step 1), so replaying it up to the torn record gives the state before that write; it is then
checkpointed. A corrupt WAL *without* the marker was not left by this protocol (an older copgraph,
a copied file, a damaged disk): the store refuses to guess and names the repair command, which
keeps a copy of the WAL and replays what can be replayed.

A full disk is refused before it can abort: the engine cannot report a log it failed to write at
COMMIT - it terminates the process (SIGABRT; measured: a 1.9 KB mutation log with 0-2 KB free),
and in `serve` that process is the server. So a write starts only when the database's file
system has `reserve` bytes free (COPGRAPH_WRITE_RESERVE_MB, default 64 MiB; plus the file's size
for a bulk copy), or a file-size limit (RLIMIT_FSIZE) leaves that much room; otherwise it is
refused with StoreUnavailable before anything is written. What the check cannot close: another
process filling the disk between the check and the COMMIT, or a single write whose log is
larger than the reserve - then the abort happens and the next open recovers as after a kill.

Cost: one fsynced empty file and one CHECKPOINT per write; the file copy only for COPY batches.
Measured at Germany territorial scale (10.8 MB file, 2 shared cores), a one-node write (a
mutation): 42 ms without the protocol, 104 ms with it (median of 15) - the fsynced marker 15 ms,
the checkpoint ~70 ms. A copy of that whole file costs 11 ms before its fsync and grows with the
file; the checkpoint writes the pages the write changed, and the engine would run it later anyway.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import resource
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ladybug

from graph_api.store.base import StoreUnavailable
from graph_api.store.file_copy import copy_keeping_locks
from graph_api.store.wal_probe import LogVerdict, probe_log

log = logging.getLogger("copgraph.store")

# free space a write needs before it starts (see the module docstring); Settings.write_reserve_mb
DEFAULT_WRITE_RESERVE = 64 << 20
# files LadybugDB keeps beside the database file while it writes or checkpoints
_SIDE_FILES = (".wal", ".shadow", ".wal.checkpoint", ".checkpoint.apply.lock", ".checkpoint.intent.lock")


class StoreCorrupt(StoreUnavailable):
    """The database cannot be opened because its files are damaged; the message names the repair."""


class NoRoomToWrite(StoreUnavailable):
    """A write refused before it started, for lack of disk space: nothing was touched, nothing to recover."""


def repair_command(db_path: str | Path) -> str:
    return f"copgraph --db {db_path} repair"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _is_lock_error(exc: BaseException) -> bool:
    """Another process has the database open: wait, never repair."""
    return "Could not set lock" in str(exc)


def _checkpoint(db: Any) -> None:
    conn = ladybug.Connection(db)
    try:
        conn.execute("CHECKPOINT")
    finally:
        conn.close()


class BulkSnapshot:
    """A safety copy of the database file around a batch that uses COPY (not WAL-logged)."""

    def __init__(self, db_path: str | Path):
        self.db = Path(db_path)
        self.copy = Path(f"{db_path}.before-bulk")

    def interrupted(self) -> bool:
        """True when a bulk write started and never finished (the process died)."""
        return self.copy.exists()

    def take(self, checkpoint: Callable[[], None]) -> None:
        """Checkpoint (so the file alone is the whole database), then copy it atomically."""
        checkpoint()
        partial = Path(f"{self.copy}.partial")
        try:
            copy_keeping_locks(self.db, partial)  # never open the database file in this process (file_copy)
            os.replace(partial, self.copy)
            _fsync_dir(self.copy)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise StoreUnavailable(f"cannot write a safety copy of the database next to {self.db} "
                                   f"({exc.strerror or exc}); nothing was written") from exc

    def release(self) -> None:
        self.copy.unlink(missing_ok=True)

    def restore(self) -> None:
        """Put the database back to its state before the interrupted bulk write (database closed)."""
        for suffix in _SIDE_FILES:
            Path(f"{self.db}{suffix}").unlink(missing_ok=True)
        os.replace(self.copy, self.db)


class WriteProtocol:
    """Opens a LadybugDB file with recovery, and brackets every write (see the module docstring)."""

    def __init__(self, db_path: str | Path, *, reserve: int = DEFAULT_WRITE_RESERVE):
        self.reserve = reserve
        self.db = Path(db_path)
        self.wal = Path(f"{db_path}.wal")
        self.intent = Path(f"{db_path}.write-intent")
        self.bulk = BulkSnapshot(db_path)

    # ---- open ---------------------------------------------------------------------------
    def open(self, **options: Any) -> Any:
        """The `ladybug.Database` (options passed on) in the state before or after the last write,
        whatever happened to that write."""
        if self.intent.exists() and self.wal.exists() and self.wal.stat().st_size > 0:
            self._set_aside_log_that_crashes_the_engine()
        try:
            db = self._database(options)
        except Exception as exc:  # noqa: BLE001 - C++ errors arrive as RuntimeError, MemoryError, ValueError...
            if is_io_error(exc) and "Cannot open file" not in str(exc):  # recovery needs room (a missing
                # directory is 'Cannot open file' and gets the plain message below)
                raise StoreUnavailable(f"cannot open LadybugDB at {self.db} (disk full or unreadable?): "
                                       f"{_io_detail(exc)}; free space and retry") from exc
            if _is_lock_error(exc) or not (self.wal.exists() and self.wal.stat().st_size > 0):
                raise StoreUnavailable(f"cannot open LadybugDB at {self.db}: {exc}") from exc
            db = self._open_with_damaged_wal(exc, options)
        else:
            if self.bulk.interrupted():  # a COPY batch was killed: back to the state before it
                db.close()
                self.bulk.restore()
                db = self._database_or_fail(options)
        if self.intent.exists():  # the last write was interrupted; what the engine replayed is kept
            self._checkpoint_or_fail(db, "an interrupted write")
            self.intent.unlink(missing_ok=True)
        return db

    def _set_aside_log_that_crashes_the_engine(self) -> None:
        """An interrupted write's log that would crash the engine is moved aside (kept for inspection).

        Step 1 of the protocol left only that write in the log, so without it the file is the state
        before the write - the answer the protocol promises for a write that never completed."""
        verdict = probe_log(self.db)
        if verdict is not LogVerdict.CRASHES_ENGINE:
            return
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        kept = Path(f"{self.wal}.crashed-{stamp}")
        os.replace(self.wal, kept)
        _fsync_dir(kept)
        log.warning("%s: %s (tried in a child process); the interrupted write's log is set aside as %s and "
                    "the database opens in the state before that write", self.db, verdict.value, kept.name)

    def _database(self, options: dict[str, Any], *, replay_torn_wal: bool = False) -> Any:
        """`replay_torn_wal` replays a damaged log up to its first bad record instead of refusing it."""
        return ladybug.Database(str(self.db), throw_on_wal_replay_failure=not replay_torn_wal, **options)

    def _open_with_damaged_wal(self, exc: Exception, options: dict[str, Any]) -> Any:
        if self.bulk.interrupted():  # the copy was taken after a checkpoint: it is the whole old state
            self.bulk.restore()
            return self._database_or_fail(options)
        if not self.intent.exists():
            raise StoreCorrupt(
                f"cannot open LadybugDB at {self.db}: its write-ahead log ({self.wal.name}) cannot be replayed "
                f"({str(exc).splitlines()[0][:200]}) and no interrupted copgraph write explains it. "
                f"Repair with `{repair_command(self.db)}` "
                "(keeps a copy of the log, replays every intact record, drops the damaged tail)") from exc
        log.warning("%s: the last write was interrupted while its log was written; replaying the log up to the "
                    "torn record (the state before that write)", self.db)
        return self._database_or_fail(options, replay_torn_wal=True)

    def _database_or_fail(self, options: dict[str, Any], *, replay_torn_wal: bool = False) -> Any:
        try:
            return self._database(options, replay_torn_wal=replay_torn_wal)
        except Exception as exc:  # noqa: BLE001 - whatever the engine raises, the store cannot open
            raise StoreCorrupt(f"cannot open LadybugDB at {self.db} even after recovery: {exc}. "
                               f"Try `{repair_command(self.db)}`") from exc

    def _checkpoint_or_fail(self, db: Any, what: str) -> None:
        try:
            _checkpoint(db)
        except RuntimeError as exc:
            db.close()
            raise StoreUnavailable(f"cannot checkpoint {what} into {self.db} (disk full?): {_io_detail(exc)}; "
                                   "free space and retry") from exc

    # ---- writes -------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self, conn: Any, *, bulk: bool = False) -> Iterator[None]:
        """Bracket one write: room checked, WAL emptied, bulk copy if needed, intent marked; checkpointed after."""
        self._check_room(bulk=bulk)
        if self.wal.exists() and self.wal.stat().st_size > 0:
            self._before_write_checkpoint(conn)
        if bulk:
            self.bulk.take(lambda: self._before_write_checkpoint(conn))
        self._mark_intent()
        try:
            yield
        except BaseException as exc:
            if not is_io_error(exc):  # an ordinary failure rolled back; an I/O failure is left to `open`
                self.abandon(conn)
            raise
        self._checkpoint_committed(conn)
        self._finish()

    def room(self) -> int:
        """Bytes the engine can still write next to the database: the free space of its file system, or
        less when a file-size limit (RLIMIT_FSIZE) stops its largest file sooner."""
        room = shutil.disk_usage(self.db.parent).free
        limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        if limit != resource.RLIM_INFINITY:
            largest = max((p.stat().st_size for p in (self.db, self.wal) if p.exists()), default=0)
            room = min(room, limit - largest)
        return room

    def _check_room(self, *, bulk: bool) -> None:
        """Refuse a write that could fill the disk while the engine writes its log (which aborts the process)."""
        if self.reserve <= 0:
            return
        needed = self.reserve + (self.db.stat().st_size if bulk and self.db.exists() else 0)
        room = self.room()
        if room < needed:
            raise NoRoomToWrite(
                f"only {max(room, 0) / 2**20:.1f} MiB can be written next to {self.db}; a write starts with at least "
                f"{needed / 2**20:.0f} MiB free (COPGRAPH_WRITE_RESERVE_MB), because the database engine ends the "
                "process when it cannot write its log; nothing was written: free space and retry")

    def _mark_intent(self) -> None:
        try:
            with self.intent.open("wb") as marker:
                os.fsync(marker.fileno())
            _fsync_dir(self.intent)
        except OSError as exc:
            self.bulk.release()
            raise StoreUnavailable(f"cannot mark a write next to {self.db} ({exc.strerror or exc}); "
                                   "nothing was written") from exc

    def _checkpoint_committed(self, conn: Any) -> None:
        """Checkpoint the committed write into the file; then it is no longer 'in flight'."""
        try:
            conn.execute("CHECKPOINT")
        except RuntimeError as exc:
            raise StoreUnavailable(
                f"the write was committed to the log of {self.db} but could not be checkpointed (disk full?): "
                f"{_io_detail(exc)}; it is kept and completed at the next open once there is space") from exc

    def _finish(self) -> None:
        self.bulk.release()
        self.intent.unlink(missing_ok=True)

    def abandon(self, conn: Any) -> None:
        """After a write that failed and rolled back: leave no marker if the log is clean again."""
        with contextlib.suppress(RuntimeError):
            conn.execute("CHECKPOINT")
            self._finish()

    def _before_write_checkpoint(self, conn: Any) -> None:
        try:
            conn.execute("CHECKPOINT")
        except RuntimeError as exc:
            raise StoreUnavailable(f"cannot checkpoint {self.db} before writing (disk full?): {_io_detail(exc)}; "
                                   "nothing was written") from exc


def is_io_error(exc: BaseException) -> bool:
    """The engine could not read or write its files (disk full, read-only, file-size limit)."""
    return isinstance(exc, RuntimeError) and "IO exception" in str(exc)


def _io_detail(exc: BaseException) -> str:
    text = str(exc)
    start = text.find("IO exception")
    return text[start:] if start >= 0 else text


def repair(db_path: str | Path) -> str:
    """Make a database with a damaged WAL open again; returns what was done (for the CLI).

    A copy of the log is kept as `<db>.wal.damaged-<UTC time>` for inspection; every intact record
    is replayed and checkpointed, the damaged tail is dropped (with it the transaction it held)."""
    protocol = WriteProtocol(db_path)
    try:
        protocol.open().close()
    except StoreCorrupt:
        pass
    else:
        return f"{db_path} opens normally; nothing to repair"
    if not protocol.wal.exists():
        raise StoreCorrupt(f"{db_path} cannot be opened and has no write-ahead log to repair; "
                           "restore it from a backup or reload its sources")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    kept = Path(f"{protocol.wal}.damaged-{stamp}")
    shutil.copyfile(protocol.wal, kept)
    db = protocol._database_or_fail({}, replay_torn_wal=True)
    protocol._checkpoint_or_fail(db, "the replayed log")
    db.close()
    protocol.intent.unlink(missing_ok=True)
    return (f"{db_path}: replayed the intact part of the write-ahead log and dropped its damaged tail; "
            f"the damaged log is kept as {kept.name}")
