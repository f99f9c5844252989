"""Mixed load on one server: GraphQL readers while analysts' slow queries and a writer run.

Starts `copgraph serve --demo` on loopback (LadybugDB, the pilot data, a temporary database, the
rate limit off for that process) and runs three phases of `--duration` seconds each, one after
the other on the same server:

1. `paced_quiet`: `--readers` GraphQL clients, each sending single-entity lookups at `--rate`
   requests per second on a fixed schedule (open loop: a slow answer does not delay the next
   request), and one writer sending `upsertSolution` mutations, each creating a new solution;
2. `paced_slow`: the same, and `--analysts` clients sending a slow ad-hoc query to `POST /cypher`
   (minutes of engine work, interrupted at the server's 10 s limit: 504, counted apart);
3. `saturation`: the issue's original run - the readers send back to back (closed loop), with
   the analysts and the writer.

Why three: on a closed loop, latency is the number of clients divided by the throughput (Little's
law), so 16 readers back to back on 2 cores measure the CPU the server gets, not whether slow
queries delay readers. The paced phases ask that question: the readers' latency with and
without the slow queries, at a load the machine can carry. A paced request's latency counts
from the moment it was due, so a client that falls behind its schedule is not hidden.

Each phase reports the readers' latency percentiles, the CPU seconds of the server, of its
child processes (the analysts' query workers and the copies made for them) and of these
clients (a lean keep-alive client, `bench/raw_http.py`, so that they do not take the CPU they
measure), errors by their text (any status other than 200, any GraphQL error, a transport
failure; an analyst's 504 at the time limit is counted apart), and at the end every write the
server acknowledged is looked up (lost writes). `--project` runs the server from another
checkout of copgraph, for a before/after comparison.

    .venv/bin/python -m bench.mixed --duration 20 --out bench/results/mixed.json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import statistics
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.loadtest import start_server
from bench.raw_http import Client, HttpError

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
LOOKUP_CHUNK = 500  # acknowledged writes looked up per query
ERROR_TEXT = 300  # characters of an error's text kept in the report
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Phase:
    name: str
    paced: bool
    analysts: bool


PHASES = (Phase("paced_quiet", paced=True, analysts=False), Phase("paced_slow", paced=True, analysts=True),
          Phase("saturation", paced=False, analysts=True))


@dataclass
class Tally:
    """What the clients of one phase saw."""

    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    analysts_done: int = 0
    analysts_timed_out: int = 0


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _cpu_seconds(pid: int) -> tuple[float, float]:
    """CPU seconds of a process (all threads) and of its children, ended ones included (Linux /proc)."""
    def fields(p: int) -> list[str]:
        text = Path(f"/proc/{p}/stat").read_text()
        return text[text.rindex(")") + 2:].split()  # after the command name, which may hold spaces

    own = fields(pid)
    children = (int(own[13]) + int(own[14])) / CLOCK_TICKS  # cutime + cstime: children already waited for
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = fields(int(entry.name))
            except (OSError, ValueError):
                continue  # ended meanwhile
            if stat[1] == str(pid):  # its parent is the server: a query worker or a copy
                children += (int(stat[11]) + int(stat[12])) / CLOCK_TICKS
    return (int(own[11]) + int(own[12])) / CLOCK_TICKS, children


def _own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _phase(client: Client, phase: Phase, *, readers: int, analysts: int, rate: float,
                 duration: float, acknowledged: list[str], written: list[int]) -> Tally:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    tally = Tally()
    start = time.monotonic()
    stop = start + duration

    async def lookup(query: str, due: float) -> None:
        try:
            response = await client.post("/graphql", {"query": query})
        except HttpError as exc:
            tally.errors[f"reader {type(exc).__name__}: {str(exc)[:ERROR_TEXT]}"] += 1
            return
        tally.latencies.append((time.monotonic() - due) * 1000)
        if response.status_code != 200 or response.json().get("errors"):
            tally.errors[f"reader {response.status_code}: {response.text[:ERROR_TEXT]}"] += 1

    async def reader(n: int) -> None:
        if not phase.paced:
            i = n
            while time.monotonic() < stop:
                await lookup(LOOKUPS[i % len(LOOKUPS)], time.monotonic())
                i += 1
            return
        pending = []
        due = start + n / (rate * readers)  # the readers' schedules interleave evenly
        i = n
        while due < stop:
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            pending.append(asyncio.create_task(lookup(LOOKUPS[i % len(LOOKUPS)], due)))
            i += 1
            due += 1 / rate
        await asyncio.gather(*pending)

    async def slow_client() -> None:
        while time.monotonic() < stop:
            try:
                response = await client.post("/cypher", {"query": SLOW}, auth)
            except HttpError as exc:
                tally.errors[f"analyst {type(exc).__name__}: {str(exc)[:ERROR_TEXT]}"] += 1
                continue
            if response.status_code == 200:
                tally.analysts_done += 1
            elif response.status_code == 504:
                tally.analysts_timed_out += 1
            else:
                tally.errors[f"analyst {response.status_code}: {response.text[:ERROR_TEXT]}"] += 1

    async def writer() -> None:
        while time.monotonic() < stop:
            name = f"mixed-load-{written[0]}"
            written[0] += 1
            try:
                response = await client.post("/graphql", {"query": WRITE, "variables": {"id": name}}, auth)
            except HttpError as exc:
                tally.errors[f"writer {type(exc).__name__}: {str(exc)[:ERROR_TEXT]}"] += 1
                continue
            body = response.json() if response.status_code == 200 else {}
            if response.status_code == 200 and not body.get("errors"):
                acknowledged.append(name)
            else:
                tally.errors[f"writer {response.status_code}: {response.text[:ERROR_TEXT]}"] += 1

    slow = [slow_client() for _ in range(analysts)] if phase.analysts else []
    await asyncio.gather(*(reader(n) for n in range(readers)), *slow, writer())
    return tally


def _report(phase: Phase, tally: Tally, duration: float, cpu: dict[str, float], writes: int) -> dict[str, Any]:
    lat = tally.latencies
    return {
        "readers_paced": phase.paced, "slow_queries": phase.analysts,
        "read_requests": len(lat), "read_rps": round(len(lat) / duration, 1),
        "read_p50_ms": round(_percentile(lat, 0.50), 1), "read_p95_ms": round(_percentile(lat, 0.95), 1),
        "read_p99_ms": round(_percentile(lat, 0.99), 1), "read_max_ms": round(max(lat, default=0), 1),
        "read_mean_ms": round(statistics.fmean(lat), 1) if lat else None,
        "analyst_queries_done": tally.analysts_done, "analyst_queries_timed_out": tally.analysts_timed_out,
        "writes_acknowledged": writes, "cpu_s": {k: round(v, 1) for k, v in cpu.items()},
        "errors": sum(tally.errors.values()),
        "errors_by_text": dict(tally.errors.most_common()),
    }


async def run(base: str, server_pid: int, *, readers: int, analysts: int, rate: float, duration: float,
              phases: tuple[Phase, ...] = PHASES) -> dict[str, Any]:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    acknowledged: list[str] = []
    written = [0]
    results: dict[str, Any] = {}
    client = Client(base)
    try:
        for query in LOOKUPS * 10:  # warm-up: first requests fill caches and start threads; not measured
            await client.post("/graphql", {"query": query})
        for phase in phases:
            server_before, children_before, own_before = *_cpu_seconds(server_pid), _own_cpu_seconds()
            before = len(acknowledged)
            tally = await _phase(client, phase, readers=readers, analysts=analysts, rate=rate, duration=duration,
                                 acknowledged=acknowledged, written=written)
            server_after, children_after = _cpu_seconds(server_pid)
            cpu = {"server": server_after - server_before, "query_workers_and_copies": children_after - children_before,
                   "bench_clients": _own_cpu_seconds() - own_before}
            results[phase.name] = _report(phase, tally, duration, cpu, len(acknowledged) - before)
        stored: set[str] = set()
        # looked up in chunks below the server's row limit (1,000 by default): one query for all of them came
        # back cut at that limit, which read as a thousand-odd lost writes
        for start in range(0, len(acknowledged), LOOKUP_CHUNK):
            ids = ", ".join(f"'Solution:{name}'" for name in acknowledged[start:start + LOOKUP_CHUNK])
            found = await client.post("/cypher", {
                "query": f"MATCH (s:Solution) WHERE s.id IN [{ids}] RETURN s.id AS id"}, auth)
            stored |= {row["id"].removeprefix("Solution:") for row in found.json()["rows"]}
    finally:
        await client.close()
    quiet, slow = results.get("paced_quiet"), results.get("paced_slow")
    return {
        "readers": readers, "analysts": analysts, "paced_rate_per_reader": rate, "duration_s_per_phase": duration,
        "phases": results,
        # the issue's question: how far the slow queries move the paced readers' p99
        "slow_queries_move_paced_p99_ms": round(slow["read_p99_ms"] - quiet["read_p99_ms"], 1)
        if quiet and slow else None,
        "writes_acknowledged": len(acknowledged), "writes_lost": len(set(acknowledged) - stored),
        "errors": sum(r["errors"] for r in results.values()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=16)
    parser.add_argument("--analysts", type=int, default=2)
    parser.add_argument("--rate", type=float, default=10.0, help="requests/s of each reader in the paced phases")
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of each phase (default 20)")
    parser.add_argument("--phases", default=",".join(p.name for p in PHASES),
                        help="which phases to run, in order (default: all three)")
    parser.add_argument("--project", type=Path, default=PROJECT_ROOT, help="copgraph checkout to serve from")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    by_name = {p.name: p for p in PHASES}
    unknown = [n for n in args.phases.split(",") if n not in by_name]
    if unknown:
        parser.error(f"unknown phase(s) {', '.join(unknown)}; known: {', '.join(by_name)}")
    phases = tuple(by_name[n] for n in args.phases.split(","))
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="copgraph-mixed-") as tmp:
        project = args.project.resolve()
        server, base = start_server(tmp, project=project, db_name="mixed.lbdb",
                                    extra_env={"COPGRAPH_API_TOKEN": TOKEN, "PYTHONPATH": str(project)})
        try:
            result = asyncio.run(run(base, server.pid, readers=args.readers, analysts=args.analysts, rate=args.rate,
                                     duration=args.duration, phases=phases))
        finally:
            server.terminate()
            server.wait(timeout=30)
    result |= {"python": platform.python_version(), "cpus": os.cpu_count(),
               "load_average_before": load_before, "load_average_after": os.getloadavg()[0]}
    text = json.dumps(result, indent=2, ensure_ascii=False)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if result["errors"] == 0 and result["writes_lost"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
