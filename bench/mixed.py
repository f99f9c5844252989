"""Mixed load on one server: GraphQL readers while analysts' slow queries and a writer run.

Starts `copgraph serve --demo` on loopback (LadybugDB, the pilot data, a temporary database, the
rate limit off for that process), then for `--duration` seconds runs at once:

- `--readers` GraphQL clients, each sending single-entity lookups back to back;
- `--analysts` clients sending a slow ad-hoc query to `POST /cypher` (seconds of engine work);
- one writer sending `upsertSolution` mutations, each creating a new solution.

It counts errors (any status other than 200, any GraphQL error; an analyst's query may end in
504 at its time limit, counted apart), reports the readers' latency percentiles, and checks that
every write the server acknowledged is in the database at the end (lost writes). `--project`
runs the server from another checkout of copgraph, for a before/after comparison.

    .venv/bin/python -m bench.mixed --duration 20 --out bench/results/mixed.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.loadtest import start_server

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TOKEN = "bench-mixed-token-0123456789"
LOOKUPS = [
    '{ territory(key: "13076060") { name population } }',
    '{ node(id: "Municipality:13076060") { id ... on Municipality { name } } }',
    '{ territory(key: "13076") { name } }',
]
# a three-way product of every node of the pilot data: minutes of work, so each one runs on one engine
# worker until the server's time limit for analysts' queries (10 s) interrupts it (504, counted apart)
SLOW = ("MATCH (a), (b), (c) WHERE a.id < b.id AND b.id < c.id AND a.id + b.id + c.id = 'none' "
        "RETURN count(*) AS n")
WRITE = "mutation ($id: String!) { upsertSolution(input: {id: $id, name: $id}) { id } }"


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def run(base: str, readers: int, analysts: int, duration: float) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    stop = time.monotonic() + duration
    latencies: list[float] = []
    errors: list[str] = []
    analyst = {"done": 0, "timed_out": 0}
    acknowledged: list[str] = []
    limits = httpx.Limits(max_connections=readers + analysts + 4)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        async def reader(n: int) -> None:
            i = n
            while time.monotonic() < stop:
                query = LOOKUPS[i % len(LOOKUPS)]
                i += 1
                started = time.perf_counter()
                response = await client.post("/graphql", json={"query": query})
                latencies.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200 or response.json().get("errors"):
                    errors.append(f"reader {response.status_code}: {response.text[:120]}")

        async def slow_client() -> None:
            while time.monotonic() < stop:
                response = await client.post("/cypher", json={"query": SLOW}, headers=auth)
                if response.status_code == 200:
                    analyst["done"] += 1
                elif response.status_code == 504:
                    analyst["timed_out"] += 1
                else:
                    errors.append(f"analyst {response.status_code}: {response.text[:120]}")

        async def writer() -> None:
            n = 0
            while time.monotonic() < stop:
                name = f"mixed-load-{n}"
                n += 1
                response = await client.post("/graphql", json={"query": WRITE, "variables": {"id": name}},
                                             headers=auth)
                body = response.json() if response.status_code == 200 else {}
                if response.status_code == 200 and not body.get("errors"):
                    acknowledged.append(name)
                else:
                    errors.append(f"writer {response.status_code}: {response.text[:160]}")

        await asyncio.gather(*(reader(n) for n in range(readers)), *(slow_client() for _ in range(analysts)),
                             writer())
        found = await client.post("/cypher", headers=auth, json={
            "query": "MATCH (s:Solution) WHERE s.id STARTS WITH 'Solution:mixed-load-' RETURN s.id AS id",
            "max_rows": 100_000})
        stored = {row["id"].removeprefix("Solution:") for row in found.json()["rows"]}
    return {
        "readers": readers, "analysts": analysts, "duration_s": duration,
        "read_requests": len(latencies), "read_rps": round(len(latencies) / duration, 1),
        "read_p50_ms": round(_percentile(latencies, 0.50), 1), "read_p95_ms": round(_percentile(latencies, 0.95), 1),
        "read_p99_ms": round(_percentile(latencies, 0.99), 1), "read_max_ms": round(max(latencies, default=0), 1),
        "read_mean_ms": round(statistics.fmean(latencies), 1) if latencies else None,
        "analyst_queries_done": analyst["done"], "analyst_queries_timed_out": analyst["timed_out"],
        "writes_acknowledged": len(acknowledged), "writes_lost": len(set(acknowledged) - stored),
        "errors": len(errors), "first_errors": errors[:5],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--analysts", type=int, default=2)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load (default 20)")
    parser.add_argument("--project", type=Path, default=PROJECT_ROOT, help="copgraph checkout to serve from")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="copgraph-mixed-") as tmp:
        project = args.project.resolve()
        server, base = start_server(tmp, project=project, db_name="mixed.lbdb",
                                    extra_env={"COPGRAPH_API_TOKEN": TOKEN, "PYTHONPATH": str(project)})
        try:
            result = asyncio.run(run(base, args.readers, args.analysts, args.duration))
        finally:
            server.terminate()
            server.wait(timeout=30)
    result |= {"python": platform.python_version(), "cpus": os.cpu_count(), "load_average": os.getloadavg()[0]}
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if result["errors"] == 0 and result["writes_lost"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
