"""The query worker: a child process that runs untrusted reads on a copy of the database.

Started by `graph_api.sandbox.supervisor` as `python -m graph_api.sandbox.worker COPY PRIORITY`, it
limits its own address space (`resource.setrlimit`), takes its CPU priority
(`graph_api.sandbox.priority`; the supervisor already set it from outside, and setting it here
again before the engine starts its threads makes sure they inherit it), opens the copy
read-only with a bounded buffer pool, and then answers one JSON request per line on stdin with
one JSON reply per line on stdout, until stdin closes (the server went away). A query that
segfaults the engine or runs out of memory ends this process only; the supervisor sees the
pipe close and starts another.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import json
import os
import resource
import sys
import uuid
from typing import Any

from graph_api.sandbox.priority import Priority, lower

BUFFER_POOL_BYTES = 256 << 20
HEADROOM_BYTES = 1 << 30  # interpreter, libraries and the engine's own heap beside the mapped database


def mapped_size(db_file: str) -> int:
    """The address space the engine maps for the database: a power of two, at least 1 GiB and twice the file."""
    size = 1 << 30
    while size < 2 * os.path.getsize(db_file):
        size <<= 1
    return size


def _json_value(value: Any) -> Any:  # noqa: ANN401 - any engine value
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    raise TypeError(f"cannot send a {type(value).__name__}")


def _answer(conn: Any, request: dict[str, Any]) -> dict[str, Any]:  # noqa: ANN401
    from graph_api.store.ladybug_store import _row  # the store's own value conversion, so both paths agree

    conn.set_query_timeout(int(request["timeout_ms"]))
    conn.execute("BEGIN TRANSACTION READ ONLY")
    try:
        result = conn.execute(request["query"], request.get("params") or {})
        columns = result.get_column_names()
        rows = []
        while result.has_next() and len(rows) < request["max_rows"]:
            rows.append(dict(zip(columns, _row(result.get_next()), strict=True)))
        truncated = result.has_next()
        result.close()
        return {"columns": columns, "rows": rows, "truncated": truncated}
    finally:
        with contextlib.suppress(RuntimeError):  # an interrupted or failed query already ended the transaction
            conn.execute("ROLLBACK")


def main(db_file: str, priority: Priority = "normal") -> None:
    lower(0, priority)  # 0: this (main) thread, before any other exists
    limit = mapped_size(db_file) + HEADROOM_BYTES
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file of the data behind
    import ladybug

    db = ladybug.Database(db_file, read_only=True, buffer_pool_size=BUFFER_POOL_BYTES,
                          max_db_size=mapped_size(db_file), max_num_threads=1)
    conn = ladybug.Connection(db)
    out = os.fdopen(os.dup(sys.stdout.fileno()), "w")  # the replies' own channel: the engine may print to fd 1
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        try:
            reply = _answer(conn, json.loads(line))
        except RuntimeError as exc:  # the engine's own message: syntax, unknown table, interrupted
            reply = {"error": str(exc).strip()}
        except MemoryError:
            reply = {"error": "the query ran out of memory"}
        out.write(json.dumps(reply, default=_json_value) + "\n")
        out.flush()


if __name__ == "__main__":
    main(sys.argv[1], *sys.argv[2:3])
