"""Each GraphQL worker thread keeps its event loop, and nothing of one request runs on into the next.

`schema/deadline.py` runs every operation on the worker thread's own loop, made once per thread
(a loop per request cost more than the rest of a small request's scheduling). A kept loop could
carry tasks a timed-out or careless resolver left behind into the next request on that thread;
they must be cancelled when their request ends, as `asyncio.run` did.
"""

from __future__ import annotations

import asyncio
import concurrent.futures

from strawberry.types import ExecutionResult

from graph_api.schema import deadline


def _in_one_thread(*calls):  # noqa: ANN002, ANN202 - a test helper
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return [pool.submit(call).result() for call in calls]


def test_a_task_left_behind_is_cancelled_before_the_next_request() -> None:
    ran: list[str] = []
    left: list[asyncio.Task] = []

    async def leaves_a_task() -> ExecutionResult:
        async def later() -> None:
            await asyncio.sleep(0.05)
            ran.append("leftover")

        left.append(asyncio.get_running_loop().create_task(later()))
        return ExecutionResult(data={"first": True}, errors=None)

    async def waits() -> ExecutionResult:
        await asyncio.sleep(0.2)  # long enough for the leftover to finish if it were still scheduled
        return ExecutionResult(data={"second": True}, errors=None)

    first, second = _in_one_thread(lambda: deadline._run_on_own_loop(leaves_a_task, 5_000),
                                   lambda: deadline._run_on_own_loop(waits, 5_000))
    assert first.data == {"first": True} and second.data == {"second": True}
    assert ran == [] and left[0].cancelled()


def test_a_timed_out_request_leaves_nothing_running() -> None:
    ran: list[str] = []

    async def slow() -> ExecutionResult:
        await asyncio.sleep(0.3)
        ran.append("slow finished")
        return ExecutionResult(data={}, errors=None)

    async def quick() -> ExecutionResult:
        await asyncio.sleep(0.5)
        return ExecutionResult(data={"quick": True}, errors=None)

    timed_out, after = _in_one_thread(lambda: deadline._run_on_own_loop(slow, 50),
                                      lambda: deadline._run_on_own_loop(quick, 5_000))
    assert timed_out.errors and timed_out.errors[0].extensions == {"code": "TIMEOUT"}
    assert after.data == {"quick": True} and ran == []


def test_the_worker_thread_keeps_its_loop() -> None:
    async def which() -> ExecutionResult:
        return ExecutionResult(data={"loop": id(asyncio.get_running_loop())}, errors=None)

    a, b = _in_one_thread(lambda: deadline._run_on_own_loop(which, 5_000),
                          lambda: deadline._run_on_own_loop(which, 5_000))
    assert a.data == b.data
