"""A store that may be unavailable: opened lazily, retried, and healed without a restart.

`copgraph serve` should start even while the LadybugDB file is locked by a load in another
process, or while Neo4j is still booting, answer 503 ("store unavailable") meanwhile, and
serve normally once the database can be opened. `StoreHandle` wraps the opener: every use
tries to open the store if it is not open yet (at most once per `retry_s`), and otherwise
hands attribute access through to the open store. Errors reaching clients stay generic;
the detail (paths, process ids, addresses) goes to the server log.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from graph_api.store.base import Store, StoreUnavailable

log = logging.getLogger("copgraph.store")

UNAVAILABLE = ("store unavailable: the database cannot be opened right now (locked by another process or down); "
               "retry later")


class StoreHandle:
    """Duck-typed `Store`: `handle.read(...)` etc. reach the real store once it could be opened."""

    def __init__(self, opener: Callable[[], Store], *, dialect: str, retry_s: float = 1.0):
        self._opener = opener
        self._store: Store | None = None
        self._lock = threading.Lock()
        self._failed_at: float | None = None
        self.retry_s = retry_s
        self.dialect = dialect

    @property
    def is_open(self) -> bool:
        return self._store is not None

    def get(self) -> Store:
        """The open store; opens it now if it is time to retry; else raises `StoreUnavailable`."""
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is not None:
                return self._store
            if self._failed_at is not None and time.monotonic() < self._failed_at + self.retry_s:
                raise StoreUnavailable(UNAVAILABLE)
            try:
                self._store = self._opener()
            except StoreUnavailable as exc:
                self._failed_at = time.monotonic()
                log.warning("store unavailable (retrying in %.1f s): %s", self.retry_s, exc)
                raise StoreUnavailable(UNAVAILABLE) from exc
            log.info("store opened (%s)", self.dialect)
            return self._store

    def try_open(self) -> StoreHandle:
        """Open now if possible (so a misconfiguration fails at start); an unavailable store is retried later."""
        with contextlib.suppress(StoreUnavailable):
            self.get()
        return self

    def health(self) -> bool:
        try:
            return self.get().health()
        except StoreUnavailable:
            return False

    def close(self) -> None:
        with self._lock:
            if self._store is not None:
                self._store.close()
                self._store = None

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - whatever the store attribute is
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.get(), name)
