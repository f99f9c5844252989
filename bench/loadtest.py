"""A bounded local load test: N concurrent clients send the mission queries to a real server.

Starts `copgraph serve --demo` on 127.0.0.1 (a free port, a temporary database, the rate limit
switched off for this one process), waits until it is ready, then runs `--clients` concurrent
clients for `--duration` seconds or until `--max-requests` requests, whichever comes first, and
stops the server. Every request is one of the GraphiQL example operations (the mission
questions) plus a few plain lookups, in turn. It reports throughput, latency percentiles and
the number of errors (HTTP status other than 200, or a GraphQL error), and writes them as JSON.
Loopback only: the script refuses any other host.

    .venv/bin/python bench/loadtest.py --clients 20 --duration 60 --out bench/results/loadtest.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from graph_api.http.graphiql import EXAMPLES_FILE  # noqa: E402 - after the path is set

EXAMPLES = EXAMPLES_FILE.read_text(encoding="utf-8")

LOOKUPS = [
    {"query": '{ territory(key: "13076060") { name population parent { name } } }'},
    {"query": '{ municipalities(first: 20, filter: {county: "County:01053", minPopulation: 1000}) '
              "{ totalCount edges { node { name population } } } }"},
    {"query": '{ solutions(first: 10) { edges { node { name adopterCount } } } }'},
]


def operations() -> list[dict[str, str]]:
    names = re.findall(r"^query (\w+)", EXAMPLES, flags=re.MULTILINE)
    return [{"query": EXAMPLES, "operationName": name} for name in names] + LOOKUPS


def _name(body: dict[str, str]) -> str:
    return body.get("operationName") or "lookup: " + " ".join(body["query"].split())[:48]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(db_dir: str, *, project: Path = PROJECT_ROOT, db_name: str = "loadtest.lbdb",
                 extra_env: dict[str, str] | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """`copgraph serve --demo` on a free loopback port without a rate limit; returns it once /readyz is 200."""
    port = _free_port()
    env = {**os.environ, "COPGRAPH_DB": str(Path(db_dir) / db_name), "COPGRAPH_RATE_LIMIT": "0",
           "COPGRAPH_STORE": "ladybug", **(extra_env or {})}
    server = subprocess.Popen([sys.executable, "-m", "graph_api.cli", "serve", "--demo", "--host", "127.0.0.1",
                               "--port", str(port)], cwd=project, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with code {server.returncode}")
        try:
            if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                return server, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not become ready within 120 s")


async def run_clients(base: str, clients: int, duration_s: float, max_requests: int) -> dict[str, object]:
    ops = operations()
    latencies: list[float] = []
    by_operation: dict[str, list[float]] = {}
    errors: dict[str, int] = {}
    issued = 0
    stop_at = time.monotonic() + duration_s

    async def client() -> None:
        nonlocal issued
        async with httpx.AsyncClient(base_url=base, timeout=30) as http:
            while time.monotonic() < stop_at and issued < max_requests:
                # one round robin over all clients, in issue order: N x len(ops) requests send every
                # operation exactly N times however fast each client is
                body = ops[issued % len(ops)]
                issued += 1
                started = time.perf_counter()
                try:
                    response = await http.post("/graphql", json=body)
                    ok = response.status_code == 200 and not response.json().get("errors")
                    kind = "ok" if ok else f"{response.status_code} {_name(body)}"
                except httpx.HTTPError as exc:
                    kind = type(exc).__name__
                latencies.append(time.perf_counter() - started)
                by_operation.setdefault(_name(body), []).append(latencies[-1])
                if kind != "ok":
                    errors[kind] = errors.get(kind, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float, values: list[float] = latencies) -> float:
        return round(values[min(len(values) - 1, int(p * len(values)))] * 1000, 1)

    return {"clients": clients, "duration_s": round(elapsed, 2), "requests": len(latencies),
            "throughput_rps": round(len(latencies) / elapsed, 1), "errors": sum(errors.values()),
            "error_kinds": errors, "latency_ms": {"mean": round(statistics.fmean(latencies) * 1000, 1),
                                                  "p50": pct(0.50), "p95": pct(0.95), "p99": pct(0.99),
                                                  "max": round(latencies[-1] * 1000, 1)},
            "per_operation_ms": {name: {"requests": len(v), "p50": pct(0.5, sorted(v)), "p99": pct(0.99, sorted(v))}
                                 for name, v in sorted(by_operation.items())}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds (upper bound)")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="upper bound on requests")
    parser.add_argument("--base", help="an already running server on 127.0.0.1 (default: start one)")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    if args.base and not re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?$", args.base):
        parser.error("loopback only: --base must be http://127.0.0.1:<port>")
    with tempfile.TemporaryDirectory(prefix="copgraph-loadtest-") as tmp:
        server, base = (None, args.base) if args.base else start_server(tmp)
        try:
            result = asyncio.run(run_clients(base, args.clients, args.duration, args.max_requests))
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
    result["machine"] = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
