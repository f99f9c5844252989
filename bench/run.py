"""One benchmark run at one scale on one backend: load, GraphQL vs raw latency, named queries, RDF export.

Loading goes through the `gv100ad` loader (the territorial backbone), the generator
`bench/synthetic.py` (the rest) and `Store.apply`, in three measured phases: territory, generated entities (nodes)
and edges (relationships). Parts that depend on modules colleagues may not have finished
(named query library, RDF exporter) are skipped with a note instead of failing the run.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench import synthetic
from bench.measure import latency, phase
from bench.rdf_serialisers import rdflib_dataset
from bench.synthetic import SCALES, scoped_territory
from bench.workload import Samples, cases, pick_samples, size_of
from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.loaders import read_source
from graph_api.model import NODE_LABELS
from graph_api.rows import GraphRows
from graph_api.store import Store, open_store

RDF_BASE = "https://copgraph.example.org/"
RDF_COMPARE_TRIPLES = 200_000  # rdflib builds an in-memory graph: compare on a bounded sample
_ID_DEFAULT = re.compile("^(" + "|".join(NODE_LABELS) + "):")


def open_backend(backend: str, folder: Path) -> Store:
    if backend == "neo4j":
        store = open_store(Settings(store="neo4j"))
        with store.transaction() as run:  # the benchmark owns the database NEO4J_URI points at
            run("MATCH (n) DETACH DELETE n", {})
        return store
    return open_store(Settings(store="ladybug", db_path=str(folder / "bench.lbdb")))


def _split(rows: GraphRows) -> tuple[GraphRows, GraphRows]:
    nodes, rels = GraphRows(), GraphRows()
    for label, label_rows in rows.nodes.items():
        nodes.nodes[label].extend(label_rows)
    for key, rel_rows in rows.rels.items():
        rels.rels[key].extend(rel_rows)
    return nodes, rels


def _rows(rows: GraphRows) -> int:
    return sum(len(r) for r in rows.nodes.values()) + sum(len(r) for r in rows.rels.values())


def load(store: Store, gv100ad: Path, scale: str, seed: int, sizes: dict[str, int | None]) -> dict[str, Any]:
    """Generate, then apply territory, entities and edges; time, rows/s and peak memory of each."""
    out: dict[str, Any] = {}
    with phase() as generation:
        territory = scoped_territory(read_source("gv100ad", gv100ad), SCALES[scale])
        generated = synthetic.read(gv100ad, scale=scale, seed=seed, territory=False,
                                **{k: v for k, v in sizes.items() if v is not None})
    entities, edges = _split(generated)
    counts = territory.counts()
    for key, value in generated.counts().items():
        counts[key] = counts.get(key, 0) + value
    out["generate"] = {"seconds": round(generation.seconds, 3), "peak_mib": round(generation.peak_mib, 1),
                       "rows": _rows(territory) + _rows(generated)}
    for name, part in (("territory", territory), ("entities", entities), ("edges", edges)):
        rows = _rows(part)
        with phase() as p:
            store.apply(part)
        out[name] = {"rows": rows, "seconds": round(p.seconds, 3), "rows_per_s": round(rows / p.seconds),
                     "cpu_seconds": round(p.cpu_seconds, 3),
                     "peak_mib": round(p.peak_mib, 1), "rss_before_mib": round(p.rss_before_mib, 1),
                     "memory_method": p.method}
    total_rows = sum(out[n]["rows"] for n in ("territory", "entities", "edges"))
    total_s = sum(out[n]["seconds"] for n in ("territory", "entities", "edges"))
    out["all"] = {"rows": total_rows, "seconds": round(total_s, 3), "rows_per_s": round(total_rows / total_s)}
    generated_rows = out["entities"]["rows"] + out["edges"]["rows"]
    generated_s = out["entities"]["seconds"] + out["edges"]["seconds"]
    generated_cpu = out["entities"]["cpu_seconds"] + out["edges"]["cpu_seconds"]
    out["generated"] = {"rows": generated_rows, "seconds": round(generated_s, 3),
                        "rows_per_s": round(generated_rows / generated_s), "cpu_seconds": round(generated_cpu, 3),
                        "rows_per_cpu_s": round(generated_rows / max(generated_cpu, 1e-9))}
    return {"load": out, "counts": dict(sorted(counts.items()))}


def graphql_latency(store: Store, samples: Samples, iterations: int, budget_s: float) -> dict[str, Any]:
    """p50/p95/p99 of each request through the ASGI app, and of its raw store query, and their ratio.

    Requests go through httpx's ASGI transport on one event loop (as a server's worker would run
    them); Starlette's TestClient would add two thread hand-overs per message to every request."""
    # one client sending hundreds of requests a second is the point here: no rate limit
    app = create_app(Settings(store=store.dialect, rate_limit=0), store=store)
    loop = asyncio.new_event_loop()
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")
    results: dict[str, Any] = {}
    try:
        for case in cases(samples, store.dialect):
            payload = {"query": case.graphql, "variables": case.variables}
            body = loop.run_until_complete(client.post("/graphql", json=payload)).json()
            if body.get("errors"):
                results[case.name] = {"error": "; ".join(e["message"] for e in body["errors"])}
                continue

            def call(payload: dict[str, Any] = payload) -> None:
                response = loop.run_until_complete(client.post("/graphql", json=payload))
                if response.status_code != 200:
                    raise RuntimeError(f"HTTP {response.status_code}: {response.text[:200]}")

            gql = latency(call, iterations=iterations, budget_s=budget_s)
            raw = latency(lambda case=case: case.raw(store), iterations=iterations, budget_s=budget_s)
            raw_result = case.raw(store)
            results[case.name] = {"graphql": gql, "raw": raw, "result_values": size_of(body["data"]),
                                  "raw_rows": len(raw_result),
                                  "overhead_p50": round(gql["p50_ms"] / max(raw["p50_ms"], 1e-6), 2)}
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()
    return results


def _named_values(query: Any, samples: Samples) -> dict[str, Any]:
    """Defaults, with ids of the pilot data replaced by a synthetic entity of the same type."""
    by_label = {"Municipality": samples.municipality, "County": samples.county, "Solution": samples.solution,
                "Actor": samples.actor_from, "Organization": f"Organization:synth-gemeinde-{samples.municipality_ags}"}
    values = {}
    for param in query.params:
        default = param.default
        if isinstance(default, str) and _ID_DEFAULT.match(default) and default.split(":")[0] in by_label:
            values[param.name] = by_label[default.split(":")[0]]
    return values


def named_queries(store: Store, samples: Samples, iterations: int, budget_s: float) -> dict[str, Any]:
    if importlib.util.find_spec("graph_api.query_library") is None:
        return {"available": False, "note": "graph_api/query_library.py is not there yet; skipped"}
    from graph_api.query_library import load_library, run_named

    library = load_library()
    if not library:
        return {"available": False, "note": "queries/ holds no named query yet; skipped"}
    results: dict[str, Any] = {}
    for name, query in library.items():
        if store.dialect not in query.dialects:
            results[name] = {"skipped": f"no {store.dialect} variant"}
            continue
        values = _named_values(query, samples)
        try:
            first = run_named(store, query, values, max_rows=10_000)
            timing = latency(lambda q=query, v=values: run_named(store, q, v, max_rows=10_000),
                             iterations=iterations, budget_s=budget_s)
        except Exception as exc:  # noqa: BLE001 - one failing query is a result, not the end of the run
            results[name] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        results[name] = {**timing, "rows": len(first.rows), "truncated": first.truncated, "params": values}
    return {"available": True, "queries": results}


def rdf_export(store: Store, compare_triples: int = RDF_COMPARE_TRIPLES) -> dict[str, Any]:
    """Streamed N-Triples/Turtle export of the whole store, and the writers against rdflib on a sample."""
    if importlib.util.find_spec("graph_api.rdf") is None or importlib.util.find_spec("graph_api.rdf.export") is None:
        return {"available": False, "note": "graph_api/rdf/ (the exporter) is not there yet; skipped"}
    try:
        from graph_api.rdf.blocks import graph_blocks
        from graph_api.rdf.export import export
        from graph_api.rdf.writers import write_nt, write_ttl
    except ImportError as exc:
        return {"available": False, "note": f"RDF exporter not importable yet ({exc}); skipped"}
    out: dict[str, Any] = {"available": True, "streamed": {}, "vs_rdflib": {}}
    triples = 0
    for fmt in ("nt", "ttl"):
        with phase() as p:
            lines = 0
            size = 0
            for chunk in export(store, RDF_BASE, fmt):
                lines += chunk.count("\n")
                size += len(chunk)
        if fmt == "nt":
            triples = lines
        out["streamed"][fmt] = {"triples": triples, "seconds": round(p.seconds, 3),
                                "triples_per_s": round(triples / p.seconds), "peak_mib": round(p.peak_mib, 1),
                                "rss_before_mib": round(p.rss_before_mib, 1),
                                "peak_growth_mib": round(p.peak_mib - p.rss_before_mib, 1), "chars": size}
    blocks, sample = [], 0
    for block in graph_blocks(store, RDF_BASE):
        blocks.append(block)
        sample += len(block.pairs)
        if sample >= compare_triples:
            break
    out["vs_rdflib"]["triples"] = sample
    for name, run in (("own_nt", lambda: _drain(write_nt(blocks))), ("own_ttl", lambda: _drain(write_ttl(blocks))),
                      ("rdflib_nt", lambda: rdflib_dataset(blocks).serialize(format="nt")),
                      ("rdflib_ttl", lambda: rdflib_dataset(blocks).serialize(format="turtle"))):
        with phase() as p:
            run()
        out["vs_rdflib"][name] = {"seconds": round(p.seconds, 3), "triples_per_s": round(sample / p.seconds),
                                  "peak_growth_mib": round(p.peak_mib - p.rss_before_mib, 1)}
    return out


def _drain(chunks: Any) -> None:
    for _ in chunks:
        pass


def run_scale(scale: str, *, backend: str = "ladybug", gv100ad: Path, seed: int = 42, iterations: int = 30,
              budget_s: float = 5.0, sizes: dict[str, int | None] | None = None, rdf: bool = True,
              rdf_sample: int = RDF_COMPARE_TRIPLES, work_dir: Path | None = None) -> dict[str, Any]:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="copgraph-bench-", dir=work_dir) as tmp:
        store = open_backend(backend, Path(tmp))
        try:
            result: dict[str, Any] = {"scale": scale, "backend": backend, "scope": SCALES[scale] or "DE",
                                      "seed": seed, "pid": os.getpid()}
            result.update(load(store, gv100ad, scale, seed, sizes or {}))
            samples = pick_samples(store)
            result["samples"] = samples.__dict__
            result["graphql"] = graphql_latency(store, samples, iterations, budget_s)
            result["named_queries"] = named_queries(store, samples, iterations, budget_s)
            result["rdf"] = (rdf_export(store, rdf_sample) if rdf
                             else {"available": False, "note": "disabled (--no-rdf)"})
        finally:
            store.close()
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result
