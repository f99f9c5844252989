"""The copy of the database an analysts' worker reads stays valid until its query ends.

Found under mixed load (bench/mixed.py: 8 of ~20 analysts' queries in 60 s ended in 400 "seek of
closed file"): a write made the next query take a newer copy and retire the older one, and the
older copy's folder was deleted while a worker was still starting on it, because the worker
counted as a user of its copy only once it had started. The tests place the write and the newer
query exactly in the dangerous moments (by wrapping the supervisor's own steps), so they do not
depend on timing: while a worker starts on a copy, and while a started worker runs a query.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graph_api.rows import GraphRows
from graph_api.sandbox import QueryWorkers
from graph_api.sandbox import supervisor as supervisor_module
from graph_api.store import StoreUnavailable
from graph_api.store.ladybug_store import LadybugStore

COUNT = "MATCH (s:Solution) RETURN count(s) AS n"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LadybugStore]:
    opened = LadybugStore(tmp_path / "g.lbdb")
    opened.ensure_schema()
    _add_solution(opened, "first")
    yield opened
    opened.close()


@pytest.fixture
def workers(store: LadybugStore) -> Iterator[QueryWorkers]:
    runner = QueryWorkers(store, workers=2)
    yield runner
    runner.close()


def _add_solution(store: LadybugStore, key: str) -> None:
    rows = GraphRows()
    rows.add_node("Solution", {"id": f"Solution:{key}", "name": key})
    store.apply(rows)


def _count(workers: QueryWorkers) -> int:
    return workers.read_only(COUNT, timeout_ms=30_000, max_rows=1).rows[0]["n"]


def _write_and_count_meanwhile(store: LadybugStore, workers: QueryWorkers) -> int:
    """A write, then a second analyst's query (which takes a newer copy), both run to their end in
    another thread while the caller's query is held at its dangerous moment."""
    answers: list[Any] = []

    def newer() -> None:
        _add_solution(store, "second")
        try:
            answers.append(_count(workers))
        except Exception as exc:  # noqa: BLE001 - handed to the test
            answers.append(exc)

    thread = threading.Thread(target=newer)
    thread.start()
    thread.join(timeout=120)
    assert not thread.is_alive(), "the newer query did not finish"
    assert not isinstance(answers[0], Exception), answers[0]
    return answers[0]


def _copies(workers: QueryWorkers) -> list[Path]:
    return sorted(workers._root.iterdir())


def test_a_write_while_a_worker_starts_on_a_copy_leaves_that_copy_in_place(
        store: LadybugStore, workers: QueryWorkers, monkeypatch: pytest.MonkeyPatch) -> None:
    started = supervisor_module._Worker.__init__
    newer: list[int] = []
    held = threading.Event()

    def start_after_a_write(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        if not held.is_set():  # the first worker only: the newer query starts its own worker normally
            held.set()
            newer.append(_write_and_count_meanwhile(store, workers))
        started(self, *args, **kwargs)

    monkeypatch.setattr(supervisor_module._Worker, "__init__", start_after_a_write)
    # the query that was asked before the write answers from the copy it was given: the state before it
    assert _count(workers) == 1
    assert newer == [2]
    monkeypatch.undo()
    assert _count(workers) == 2  # and the next one sees the write
    assert len(_copies(workers)) == 1, "the retired copy is removed once no worker uses it"


def test_a_write_while_a_worker_runs_a_query_leaves_its_copy_in_place(
        store: LadybugStore, workers: QueryWorkers, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _count(workers) == 1  # a worker now waits, idle, on the first copy
    asked = supervisor_module._Worker.ask
    newer: list[int] = []
    held = threading.Event()

    def ask_then_write(self: Any, request: dict[str, Any], deadline: float) -> dict[str, Any]:
        if held.is_set():  # the newer query runs normally
            return asked(self, request, deadline)
        held.set()
        self.process.stdin.write(json.dumps(request).encode() + b"\n")  # the query runs in the worker now
        newer.append(_write_and_count_meanwhile(store, workers))
        return json.loads(self._read_line(deadline))

    monkeypatch.setattr(supervisor_module._Worker, "ask", ask_then_write)
    assert _count(workers) == 1
    assert newer == [2]
    monkeypatch.undo()
    assert _count(workers) == 2
    assert len(_copies(workers)) == 1


def test_a_worker_that_cannot_start_says_why(store: LadybugStore, workers: QueryWorkers,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The start failure's own message reaches the caller (it was hidden behind 'seek of closed file')."""
    monkeypatch.setattr(supervisor_module, "_WORKER_MODULE", "graph_api.sandbox.no_such_worker")
    with pytest.raises(StoreUnavailable, match="did not start.*no_such_worker"):
        _count(workers)
    monkeypatch.undo()
    assert _count(workers) == 1
    assert len(_copies(workers)) == 1, "the copy of the failed start is neither lost nor leaked"
