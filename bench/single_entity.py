"""One entity over GraphQL against the raw store query for it, interleaved, on the pilot data.

The GraphQL request goes through the whole ASGI app in-process (httpx's ASGI transport:
middleware, routing, the GraphQL endpoint, the DataLoader, the store call); the raw query is the
store method the DataLoader calls (`nodes_by_ids`) and the bare Cypher read under it. The same
request is also sent as bare ASGI messages (`graphql_asgi`): the server's share alone, without
httpx building the request and decoding the answer (client work a remote client does on its own
machine). Calls alternate, so a busy machine slows all alike; the result is the p50 of each and the
difference, and the mean process CPU time of each (all threads), which a busy machine distorts
less than wall time.
`--profile` prints where the GraphQL request spends its time (cProfile, cumulative).

    .venv/bin/python -m bench.single_entity --requests 500
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import pstats
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.store import open_store

QUERY = {"query": '{ territory(key: "13076060") { name population } }'}
NODE = "Municipality:13076060"
RAW = "MATCH (n:Municipality {id: $id}) RETURN n AS n"


async def asgi_post(app: Any, body: bytes) -> tuple[int, bytes]:  # noqa: ANN401 - any ASGI app
    """POST /graphql as the ASGI messages a server would hand the app; the status and the body."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/graphql", "raw_path": b"/graphql", "query_string": b"", "root_path": "",
             "headers": [(b"host", b"bench"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 50000), "server": ("bench", 80)}
    sent = False
    status, chunks = 0, []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, send)
    return status, b"".join(chunks)


async def measure(requests: int, profile: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="copgraph-single-") as tmp:
        store = open_store(Settings(db_path=str(Path(tmp) / "g.lbdb")))
        load_sample(store)
        app = create_app(Settings(rate_limit=0), store=store)
        graphql, asgi, method, raw = [], [], [], []
        cpu_ms = {"graphql": 0.0, "graphql_asgi": 0.0, "store_method": 0.0, "raw_read": 0.0}  # process CPU
        body = json.dumps(QUERY).encode()
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
            for _ in range(30):  # warm caches: parser, validation, connections
                await client.post("/graphql", json=QUERY)
            profiler = cProfile.Profile() if profile else None
            for _ in range(requests):
                started, cpu = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                response = await client.post("/graphql", json=QUERY)
                if profiler:
                    profiler.disable()
                graphql.append((time.perf_counter() - started) * 1000)
                cpu_ms["graphql"] += (time.process_time() - cpu) * 1000
                assert response.status_code == 200 and "errors" not in response.json(), response.text
                started, cpu = time.perf_counter(), time.process_time()
                status, answer = await asgi_post(app, body)
                asgi.append((time.perf_counter() - started) * 1000)
                cpu_ms["graphql_asgi"] += (time.process_time() - cpu) * 1000
                assert status == 200 and json.loads(answer) == response.json(), answer
                started, cpu = time.perf_counter(), time.process_time()
                store.nodes_by_ids([NODE])
                method.append((time.perf_counter() - started) * 1000)
                cpu_ms["store_method"] += (time.process_time() - cpu) * 1000
                started, cpu = time.perf_counter(), time.process_time()
                store.read(RAW, {"id": NODE})
                raw.append((time.perf_counter() - started) * 1000)
                cpu_ms["raw_read"] += (time.process_time() - cpu) * 1000
        store.close()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"graph_api|strawberry|fastapi|starlette", 40)
    p50 = {name: statistics.median(values) for name, values in
           (("graphql_p50_ms", graphql), ("graphql_asgi_p50_ms", asgi), ("store_method_p50_ms", method),
            ("raw_read_p50_ms", raw))}
    return {k: round(v, 3) for k, v in p50.items()} | {
        "graphql_minus_raw_ms": round(p50["graphql_p50_ms"] - p50["raw_read_p50_ms"], 3),
        "graphql_asgi_minus_raw_ms": round(p50["graphql_asgi_p50_ms"] - p50["raw_read_p50_ms"], 3),
        **{f"{name}_cpu_mean_ms": round(total / requests, 3) for name, total in cpu_ms.items()},
        "requests": requests, "load_average": round(os.getloadavg()[0], 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    result = asyncio.run(measure(args.requests, args.profile))
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
