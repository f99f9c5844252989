"""Latency of the documented SPARQL examples and the cost of keeping `/sparql` current after a write.

    python -m bench.sparql [--gv100ad PATH] [--iterations 15]

Loads the full GV100AD directory (all of Germany's territories) plus the bundled pilot data into a
temporary LadybugDB, builds the SPARQL index, and times (1) each `docs/sparql/*.rq` example
through a query worker (the path `/sparql` takes, without HTTP), (2) the incremental update of
the index after a one-record write, and (3) the first query after that write (the worker catching
up). Targets (issue 20): examples p50 < 50 ms at Germany scale; update after a one-record write
< 100 ms. Writes `bench/results/sparql.json`.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.measure import latency
from graph_api.config import PROJECT_ROOT, Settings
from graph_api.ingest import load_sample
from graph_api.loaders import read_source
from graph_api.rdf.changes import DataVersion, ObservedStore
from graph_api.rdf.sparql_index import SparqlIndex
from graph_api.rdf.sparql_query import QueryWorkers, SparqlLimits, SparqlRequest
from graph_api.rows import GraphRows
from graph_api.store import open_store

RESULTS = Path(__file__).resolve().parent / "results"
EXAMPLES = PROJECT_ROOT / "docs" / "sparql"
DEFAULT_GV100AD = PROJECT_ROOT.parent / "shared" / "data" / "gv100ad" / "GV100AD_301121.ASC"
BASE = "https://copgraph.example.org/"


def run(gv100ad: Path, iterations: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        store = open_store(Settings(store="ladybug", db_path=str(Path(folder) / "graph.lbdb")))
        try:
            return _measure(store, gv100ad, iterations)
        finally:
            store.close()


def _measure(graph_store: Any, gv100ad: Path, iterations: int) -> dict[str, Any]:
    graph_store.apply(read_source("gv100ad", gv100ad))
    load_sample(graph_store)
    version = DataVersion()
    store = ObservedStore(graph_store, version)
    index = SparqlIndex(lambda: store, BASE)
    version.listeners.append(index.on_change)
    started = time.perf_counter()
    triples = index.triple_count()
    out: dict[str, Any] = {"quads": triples, "index_build_s": round(time.perf_counter() - started, 2)}
    workers = QueryWorkers(index, size=1)
    limits = SparqlLimits()
    rows = {}
    for example in sorted(EXAMPLES.glob("*.rq")):
        request = SparqlRequest(example.read_text(encoding="utf-8"), "application/sparql-results+json")
        rows[example.stem] = len(json.loads(workers.run(request, limits).body)["results"]["bindings"])
        out[example.stem] = {**latency(lambda r=request: workers.run(r, limits), iterations=iterations,
                                       budget_s=10.0), "rows": rows[example.stem]}
        print(f"{example.stem}: p50 {out[example.stem]['p50_ms']} ms ({rows[example.stem]} rows)", flush=True)
    municipality = graph_store.read("MATCH (m:Municipality) RETURN m.id AS id ORDER BY m.id LIMIT 1")[0]["id"]
    updates, first_queries = [], []
    probe = SparqlRequest("ASK { ?s ?p ?o }", "application/sparql-results+json")
    for attempt in range(5):
        write = GraphRows()
        write.add_node("Municipality", {"id": municipality, "name": f"Benchstadt {attempt}"})
        store.apply(write)
        started = time.perf_counter()
        index.current()
        updates.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        workers.run(probe, limits)
        first_queries.append((time.perf_counter() - started) * 1000)
    out["update_after_one_record_write_ms"] = sorted(updates)[len(updates) // 2]
    out["first_query_after_write_ms"] = sorted(first_queries)[len(first_queries) // 2]
    print(f"index update after a one-record write: p50 {out['update_after_one_record_write_ms']:.1f} ms; "
          f"first query after it: p50 {out['first_query_after_write_ms']:.1f} ms", flush=True)
    workers.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gv100ad", type=Path, default=DEFAULT_GV100AD)
    parser.add_argument("--iterations", type=int, default=15)
    args = parser.parse_args()
    result = run(args.gv100ad, args.iterations)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "sparql.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
