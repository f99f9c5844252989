"""The analysts' query workers run at the CPU priority the settings give, every thread of them.

Under mixed load two analysts' queries, each a whole core for 10 s, took the CPU the server's
GraphQL readers needed on 2 cores (bench/mixed.py). The workers are ranked below the server
(`graph_api/sandbox/priority.py`); the engine's own threads must inherit that, or the query
itself would still run at the server's priority.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.sandbox import QueryWorkers
from graph_api.sandbox.priority import LOWEST_NICENESS
from graph_api.store import Store
from graph_api.store.ladybug_store import LadybugStore

SCHED_IDLE = os.SCHED_IDLE


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LadybugStore]:
    opened = LadybugStore(tmp_path_factory.mktemp("priority") / "g.lbdb")
    opened.ensure_schema()
    yield opened
    opened.close()


def _threads(pid: int) -> list[tuple[int, int]]:
    """(niceness, scheduling policy) of every thread of `pid`, from /proc (fields 19 and 41 of stat)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "stat").read_text()
        fields = text[text.rindex(")") + 2:].split()  # after the command name, which may hold spaces
        found.append((int(fields[16]), int(fields[38])))
    return found


def _worker_threads(store: LadybugStore, priority: str) -> list[tuple[int, int]]:
    workers = QueryWorkers(store, workers=1, priority=priority)
    try:
        assert workers.read_only("RETURN 1 AS ok", timeout_ms=30_000, max_rows=1).rows == [{"ok": 1}]
        worker = workers._idle.get_nowait()  # the one that answered, waiting for the next query
        workers._idle.put(worker)
        return _threads(worker.process.pid)
    finally:
        workers.close()


def test_idle_workers_run_every_thread_in_the_idle_class(store: LadybugStore) -> None:
    threads = _worker_threads(store, "idle")
    assert len(threads) > 1, "the engine's threads are there to be checked"
    assert {policy for _, policy in threads} == {SCHED_IDLE}


def test_low_workers_run_every_thread_at_the_lowest_niceness(store: LadybugStore) -> None:
    threads = _worker_threads(store, "low")
    assert len(threads) > 1
    assert {nice for nice, _ in threads} == {LOWEST_NICENESS}
    assert SCHED_IDLE not in {policy for _, policy in threads}


def test_normal_workers_run_as_the_server(store: LadybugStore) -> None:
    server = _threads(os.getpid())[0]
    assert set(_worker_threads(store, "normal")) == {server}


def test_an_unknown_priority_stops_the_start_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPGRAPH_QUERY_WORKER_PRIORITY", "urgent")
    with pytest.raises(ValidationError, match="query_worker_priority"):
        Settings()


def test_sparql_workers_run_at_the_configured_priority(pilot_store: Store) -> None:
    """The SPARQL endpoint's forked evaluators are untrusted queries too, with their own time limit."""
    http = TestClient(create_app(Settings(query_worker_priority="low", rate_limit=0), store=pilot_store))
    asked = http.get("/sparql", params={"query": "ASK { ?s ?p ?o }"},
                     headers={"Accept": "application/sparql-results+json"})
    assert asked.status_code == 200, asked.text
    forked = [slot.worker.pid for slot in list(http.app.state.sparql_workers._free.queue) if slot.worker]
    assert forked, "a worker answered and waits for the next query"
    assert all({nice for nice, _ in _threads(pid)} == {LOWEST_NICENESS} for pid in forked)
