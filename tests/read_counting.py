"""Counts the store's reads during a test, to catch loops of reads (N+1) from outside."""

from __future__ import annotations

import pytest

from graph_api.store import Store


def count_reads(store: Store, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every Cypher text `store.read` is given from now on, in order (undone with the monkeypatch)."""
    seen: list[str] = []
    original = store.read

    def counting(query: str, *args: object, **kwargs: object) -> list[dict]:
        seen.append(query)
        return original(query, *args, **kwargs)

    monkeypatch.setattr(store, "read", counting)
    return seen
