"""The HTTP status of a GraphQL answer belongs to its own request, never to a concurrent one.

Found under concurrent use: the 503 for an unavailable store was set on a response object the
router shared between requests, so with two requests in flight the failing one answered 200 and
the healthy one 503. The two requests here are interleaved on purpose, by ordering alone: both
wait inside the store until the test lets them go, the failing one first.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

import httpx

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.store import Store, StoreUnavailable

FAILING = "Municipality:13076999"
HEALTHY = "Municipality:13076060"


def _mentions(value: Any, text: str) -> bool:  # noqa: ANN401 - any argument of a store call
    if isinstance(value, str):
        return value == text
    if isinstance(value, dict):
        return any(_mentions(v, text) for v in value.values())
    if isinstance(value, list | tuple | set):
        return any(_mentions(v, text) for v in value)
    return False


class GatedStore:
    """A store whose calls about one of two ids wait for a gate; calls about `FAILING` then fail."""

    def __init__(self, store: Store):
        self._store = store
        self.dialect = store.dialect
        self.entered = {FAILING: threading.Event(), HEALTHY: threading.Event()}
        self.release = {FAILING: threading.Event(), HEALTHY: threading.Event()}

    def __getattr__(self, name: str) -> Any:  # noqa: ANN401 - whatever the store offers
        target = getattr(self._store, name)
        if not callable(target):
            return target

        def gated(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
            for node_id, entered in self.entered.items():
                if _mentions([args, kwargs], node_id):
                    entered.set()
                    assert self.release[node_id].wait(30), "the test never released the call"
                    if node_id == FAILING:
                        raise StoreUnavailable("store unavailable: test")
            return target(*args, **kwargs)

        return gated


async def _wait(event: threading.Event) -> None:
    assert await asyncio.to_thread(event.wait, 30)


def test_a_failing_request_does_not_set_the_status_of_a_concurrent_one(pilot_store: Store) -> None:
    gated = GatedStore(pilot_store)
    app = create_app(Settings(), store=gated)  # type: ignore[arg-type] - duck-typed like StoreHandle

    async def scenario() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            def ask(node_id: str) -> Callable[[], Any]:
                return client.post("/graphql", json={"query": f'{{ node(id: "{node_id}") {{ id }} }}'})

            failing = asyncio.create_task(ask(FAILING))
            await _wait(gated.entered[FAILING])
            healthy = asyncio.create_task(ask(HEALTHY))
            await _wait(gated.entered[HEALTHY])
            gated.release[FAILING].set()  # the failing request finishes while the healthy one is in flight
            failed = await failing
            gated.release[HEALTHY].set()
            return failed, await healthy

    failed, healthy = asyncio.run(scenario())
    assert failed.status_code == 503, failed.text
    assert failed.json()["errors"][0]["message"].startswith("store unavailable")
    assert healthy.status_code == 200, healthy.text
    assert healthy.json()["data"]["node"]["id"] == HEALTHY
