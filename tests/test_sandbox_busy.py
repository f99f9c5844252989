"""A burst of analysts' queries waits only as long as each may, and only as many as there are workers.

Found reviewing the mixed load: a query that found every worker busy waited for one without
limit, holding a thread of the server's shared pool (where `/cypher`, the named queries and
`/readyz` run) the whole time, so a burst of slow queries could take every such thread. The
worker is held busy by a gate here, not by a clock.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import HTTPException

from graph_api.http import queries as http_queries
from graph_api.rows import GraphRows
from graph_api.sandbox import QueryWorkers, QueryWorkersBusy
from graph_api.sandbox import supervisor as supervisor_module
from graph_api.store import QueryTimeout
from graph_api.store.ladybug_store import LadybugStore

COUNT = "MATCH (s:Solution) RETURN count(s) AS n"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LadybugStore]:
    opened = LadybugStore(Path(tmp_path_factory.mktemp("busy")) / "g.lbdb")
    opened.ensure_schema()
    rows = GraphRows()
    rows.add_node("Solution", {"id": "Solution:one", "name": "one"})
    opened.apply(rows)
    yield opened
    opened.close()


class Background(threading.Thread):
    def __init__(self, call: Any) -> None:  # noqa: ANN401 - any callable
        super().__init__(daemon=True)
        self.call, self.result, self.error = call, None, None

    def run(self) -> None:
        try:
            self.result = self.call()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            self.error = exc


@pytest.fixture
def held(store: LadybugStore, monkeypatch: pytest.MonkeyPatch
         ) -> Iterator[tuple[QueryWorkers, Background, threading.Event]]:
    """One worker, busy with a query that waits at a gate until the test opens it (or ends)."""
    workers = QueryWorkers(store, workers=1)
    asked = supervisor_module._Worker.ask
    entered, gate = threading.Event(), threading.Event()

    def ask_at_the_gate(self: Any, request: dict[str, Any], deadline: float) -> dict[str, Any]:  # noqa: ANN401
        entered.set()
        assert gate.wait(120)
        return asked(self, request, deadline + 120)

    monkeypatch.setattr(supervisor_module._Worker, "ask", ask_at_the_gate)
    first = Background(lambda: workers.read_only(COUNT, timeout_ms=300_000, max_rows=1))
    first.start()
    assert entered.wait(120), first.error
    yield workers, first, gate
    gate.set()
    first.join(120)
    assert first.error is None and first.result.rows == [{"n": 1}]
    workers.close()


def test_a_query_waits_for_a_busy_worker_no_longer_than_its_time_limit(
        held: tuple[QueryWorkers, Background, threading.Event]) -> None:
    workers, first, _ = held
    waiting = Background(lambda: workers.read_only(COUNT, timeout_ms=200, max_rows=1))
    waiting.start()
    waiting.join(120)  # a guard against a hang (the old queue waited forever), not a speed limit
    assert not waiting.is_alive(), "the query still waits for the busy worker"
    assert isinstance(waiting.error, QueryTimeout), waiting.error
    assert "waiting for one of the 1 query workers" in str(waiting.error)
    assert first.is_alive(), "the worker was busy the whole time"


def test_no_more_queries_wait_than_there_are_workers(held: tuple[QueryWorkers, Background, threading.Event]
                                                     ) -> None:
    workers, _, gate = held
    second = Background(lambda: workers.read_only(COUNT, timeout_ms=300_000, max_rows=1))
    second.start()
    while workers._waiting == 0:  # the second query waits for the worker now
        assert second.is_alive(), second.error
    third = Background(lambda: workers.read_only(COUNT, timeout_ms=300_000, max_rows=1))
    third.start()
    third.join(120)  # a guard against a hang, not a speed limit
    assert isinstance(third.error, QueryWorkersBusy), third.error
    assert "all 1 query workers are busy and 1 queries already wait" in str(third.error)
    gate.set()
    second.join(120)
    assert second.error is None and second.result.rows == [{"n": 1}], "the waiting query is answered in turn"


def test_a_refused_burst_is_503_with_retry_after() -> None:
    def busy() -> Any:  # noqa: ANN401
        raise QueryWorkersBusy("all 2 query workers are busy and 2 queries already wait for one")

    with pytest.raises(HTTPException) as refused:
        http_queries._run(busy)
    assert refused.value.status_code == 503 and "busy" in refused.value.detail
    assert int(refused.value.headers["Retry-After"]) > 0
