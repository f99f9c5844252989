"""Many users at once on one LadybugDB database: readers never wait for each other or for writers.

Found under concurrent use: every read went through one lock on one connection, so a GraphQL
lookup that takes 24 ms alone took 9.6 s while one analyst's query ran, and `/readyz` waited on
the same lock. Each test proves concurrency by ordering, never by a clock: the fast operation
completes while the slow one is demonstrably still running.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.rows import GraphRows
from graph_api.store import QueryRejected, QueryTimeout
from graph_api.store.ladybug_store import LadybugStore

# Runs for many minutes unless interrupted: a three-way cross product of every node of the sample.
SLOW = ("MATCH (a), (b), (c) WHERE a.id < b.id AND b.id < c.id AND a.id + b.id + c.id = 'none' "
        "RETURN count(*) AS c")
LOOKUP = "MATCH (m:Municipality {id: $id}) RETURN m.name AS name"
HAGENOW = "Municipality:13076060"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LadybugStore]:
    opened = LadybugStore(tmp_path / "g.lbdb")
    opened.ensure_schema()
    load_sample(opened)
    yield opened
    opened.close()


class Background(threading.Thread):
    """Runs `call` in a thread and keeps its result or its exception."""

    def __init__(self, call: Any) -> None:  # noqa: ANN401 - any callable
        super().__init__(daemon=True)
        self.call = call
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc


def _start_slow_query(store: LadybugStore) -> Background:
    slow = Background(lambda: store.read_only(SLOW, timeout_ms=600_000, max_rows=10))
    slow.start()
    while store._pool.in_use() == 0:  # the slow query holds a connection: it runs in the engine now
        assert slow.is_alive(), slow.error
    return slow


def test_lookups_writes_and_probes_complete_while_a_slow_analyst_query_runs(store: LadybugStore) -> None:
    slow = _start_slow_query(store)
    for _ in range(5):
        assert store.read(LOOKUP, {"id": HAGENOW})[0]["name"].startswith("Hagenow")
    rows = GraphRows()
    rows.add_node("Concept", {"id": "Concept:written-meanwhile", "label": "written while a slow query ran",
                              "scheme": "topics"})
    assert store.apply(rows).created["Concept"] == 1
    assert store.health()
    assert slow.is_alive()  # everything above finished while the slow query was still running
    store.close()  # interrupts it in the engine
    slow.join()
    assert isinstance(slow.error, QueryTimeout)


def test_a_query_past_its_time_limit_is_interrupted_and_gives_its_connection_back(store: LadybugStore) -> None:
    for _ in range(store._pool.size.analysts + 1):  # more than there are analysts' connections
        with pytest.raises(QueryTimeout):
            store.read_only(SLOW, timeout_ms=200, max_rows=10)
    assert store.read_only(LOOKUP, {"id": HAGENOW}, timeout_ms=10_000, max_rows=10).rows[0]["name"]
    for _ in range(store._pool.size.readers + 1):
        with pytest.raises(QueryTimeout):
            store.read(SLOW, timeout_ms=200)
    assert store.read(LOOKUP, {"id": HAGENOW})[0]["name"]
    assert store._pool.in_use() == 0


def test_analysts_queries_cannot_write_inside_their_read_only_transaction(store: LadybugStore) -> None:
    with pytest.raises(QueryRejected):
        store.read_only("MATCH (m:Municipality {id: $id}) SET m.name = 'changed' RETURN m.name",
                        {"id": HAGENOW}, timeout_ms=10_000, max_rows=10)
    assert store.read(LOOKUP, {"id": HAGENOW})[0]["name"].startswith("Hagenow")


def test_a_reader_never_sees_half_a_write(store: LadybugStore) -> None:
    count = "MATCH (c:Concept {id: 'Concept:half'}) RETURN count(c) AS c"
    with store.transaction() as run:
        run("CREATE (:Concept {id: 'Concept:half', label: 'half', scheme: 'topics'})", {})
        assert run(count, {})[0]["c"] == 1  # the writer sees its own write...
        assert store.read(count)[0]["c"] == 0  # ...a reader (same thread, own connection) does not, yet
    assert store.read(count)[0]["c"] == 1


def test_readyz_answers_while_a_write_is_open_and_a_slow_query_runs(store: LadybugStore) -> None:
    slow = _start_slow_query(store)
    opened, finish = threading.Event(), threading.Event()

    def hold_a_write() -> None:
        with store.transaction() as run:
            run("CREATE (:Concept {id: 'Concept:held', label: 'held', scheme: 'topics'})", {})
            opened.set()
            finish.wait()

    writer = Background(hold_a_write)
    writer.start()
    assert opened.wait(60)
    http = TestClient(create_app(Settings(), store=store))
    probe = Background(lambda: http.get("/readyz"))
    probe.start()
    probe.join(60)  # a guard against a hang, not a speed limit
    assert not probe.is_alive() and probe.result.status_code == 200, probe.error
    assert writer.is_alive() and slow.is_alive()
    finish.set()
    writer.join()
    assert writer.error is None
    store.close()
    slow.join()


def test_concurrent_writers_are_serialised_and_lose_nothing(store: LadybugStore) -> None:
    def write(worker: int) -> None:
        for batch in range(5):
            rows = GraphRows()
            for i in range(10):  # every worker writes the same ids: the diff must not race another write
                rows.add_node("Concept", {"id": f"Concept:c{batch}-{i}", "label": f"c {batch} {i}",
                                          "scheme": "topics"})
            rows.add_node("Concept", {"id": f"Concept:w{worker}-{batch}", "label": f"w {worker}",
                                      "scheme": "topics"})
            store.apply(rows)

    workers = [Background(lambda w=w: write(w)) for w in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert [w.error for w in workers] == [None] * 4
    ids = {r["id"] for r in store.read("MATCH (c:Concept) WHERE c.id STARTS WITH 'Concept:c' "
                                       "OR c.id STARTS WITH 'Concept:w' RETURN c.id AS id")}
    assert len(ids) == 5 * 10 + 4 * 5


HOLD_CHECK = ("import sys, ladybug\n"
              "try:\n"
              "    ladybug.Database(sys.argv[1])\n"
              "except RuntimeError as exc:\n"
              "    print('locked' if 'lock' in str(exc).lower() else exc)\n"
              "else:\n"
              "    print('opened')\n")


def _another_process_can_open(path: Path) -> str:
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-c", HOLD_CHECK, str(path)], capture_output=True, text=True,
                          timeout=120).stdout.strip()


def test_copies_of_the_open_file_keep_it_locked(store: LadybugStore, tmp_path: Path) -> None:
    """POSIX drops a process's lock on a file when it closes any descriptor of it: a copy made in
    the server process let a second process open the database beside it."""
    assert _another_process_can_open(Path(store.path)) == "locked"
    (tmp_path / "copy").mkdir()
    store.copy_for_readers(tmp_path / "copy")  # the query workers' copy
    assert _another_process_can_open(Path(store.path)) == "locked"
    rows = GraphRows()
    for i in range(3_000):  # a batch that uses COPY, and so the safety copy first
        rows.add_node("Concept", {"id": f"Concept:bulk-{i}", "label": f"bulk {i}", "scheme": "topics"})
    store.apply(rows)
    assert _another_process_can_open(Path(store.path)) == "locked"
