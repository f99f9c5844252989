"""Which nodes the recent writes of this process touched, by the data versions around each write.

Data derived from the whole graph (the adoption index of `graph_api.mission`) is kept per
`Store.data_version()`. After a write it need not be rebuilt from scratch if it knows what the
write changed: `Store.apply`, `delete_node` and `delete_contact` note every node whose properties
they change and both ends of every relationship they create, change or delete (a deleted node's
neighbours too), and record that set here with the versions before and after the write.

`since(version, now)` answers only for an unbroken chain of recorded writes from `version` to
`now`; any other write in between (a raw `transaction()`, a schema change, a write of another
process, a write too large to list) leaves a gap, and the answer is None: derived data must then
be rebuilt. So a missing record costs speed, never correctness.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Hashable, Iterable
from typing import NamedTuple

KEPT = 256  # writes remembered; a reader further behind rebuilds
MAX_IDS = 20_000  # a write touching more nodes is recorded as unknown (a bulk load: rebuilding is cheaper)


class Entry(NamedTuple):
    before: Hashable
    after: Hashable
    touched: frozenset[str] | None  # None: unknown or too many


class Journal:
    """The last `KEPT` recorded writes; safe to read while a write records."""

    def __init__(self) -> None:
        self._entries: deque[Entry] = deque(maxlen=KEPT)
        self._lock = threading.Lock()

    def record(self, before: Hashable, after: Hashable, touched: Iterable[str] | None) -> None:
        found = None if touched is None else frozenset(touched)
        if found is not None and len(found) > MAX_IDS:
            found = None
        with self._lock:
            self._entries.append(Entry(before, after, found))

    def since(self, version: Hashable, now: Hashable) -> frozenset[str] | None:
        """Every node touched by the writes between `version` and `now`; None when a write in between is
        not recorded (or not listed)."""
        if version == now:
            return frozenset()
        with self._lock:
            entries = list(self._entries)
        touched: set[str] = set()
        at = version
        for entry in entries:
            if entry.before != at:
                if touched or at != version:  # the chain started and broke: a write in between is unknown
                    return None
                continue  # older than `version`
            if entry.touched is None:
                return None
            touched |= entry.touched
            at = entry.after
            if at == now:
                return frozenset(touched)
        return None
