"""Latency of the mission questions (graph_api.mission.answers) at one scale: short runs on a reused store.

    python -m bench.mission --scale small [--gv100ad PATH] [--db DIR|FILE] [--iterations 7] [--out FILE]

Loads the synthetic graph once into `--db` (a folder, or an existing database file such as the one
`bench.generate` wrote; reused when it is there), then times each question directly on the store,
reading as GraphQL does (a `StoreRead`: the adoption index is built on the first question and kept
until the next write; its build is timed on its own), and `recommendSolutions` with its reasons and
evidence, `countyMunicipalBridges` and `keyPersonRisks` once more end to end through the GraphQL app.
Each row gives wall-clock percentiles and the process CPU time per call (steadier on a shared machine).
Writes `bench/results/mission-<scale>.json` (or `--out`). Targets (issue 16): recommendSolutions
p50 < 50 ms (also through GraphQL), bridges and key persons per county p50 < 100 ms (also through
GraphQL), adoptions_in_territory for a Land p50 < 200 ms, at Germany scale.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from bench import synthetic
from bench.measure import percentile
from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.loaders import read_source
from graph_api.mission import adoption_index, answers
from graph_api.query_library import load_library, run_named
from graph_api.rows import GraphRows
from graph_api.store import Store, open_store
from graph_api.store.mission_reads import StoreRead

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_GV100AD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gv100ad" / "GV100AD_301121.ASC"


def build(db: Path, gv100ad: Path, scale: str) -> tuple[Store, float | None]:
    fresh = not db.exists()
    store = open_store(Settings(store="ladybug", db_path=str(db)))
    if not fresh:
        return store, None
    started = time.perf_counter()
    store.apply(synthetic.scoped_territory(read_source("gv100ad", gv100ad), synthetic.SCALES[scale]))
    store.apply(synthetic.read(gv100ad, scale=scale, seed=42, territory=False))
    return store, round(time.perf_counter() - started, 1)


# What a front end asks for a municipality's recommendations: reasons, nearest adopters and the evidence
# with its sources (the first 20 adoptions of each recommendation, `evidence`'s default).
RECOMMEND_QUERY = """query($m: ID!) { recommendSolutions(municipality: $m, first: 5) {
  score reasons solution { id name } nearestAdopters { ... on Node { id } }
  evidenceCount adopterCount illustrativeAdopterCount
  evidence { id status startedOn illustrative sources adopter { ... on Node { id } } } } }"""


# What a front end asks for a county: the bridges with the municipalities each serves, and the key-person
# risks with the municipalities not reached (each field computes the whole county question on its own).
BRIDGES_QUERY = """query($c: ID!) { countyMunicipalBridges(county: $c, maxHops: 8, first: 20) {
  score node { ... on Node { id } } municipalities { id name } } }"""
KEY_PERSONS_QUERY = """query($c: ID!) { keyPersonRisks(county: $c, maxHops: 8) {
  municipalityCount reachedCount risks { hops paths municipality { id name } person { id } }
  unreached { reason explanation municipality { id } } } }"""


class GraphQL:
    """The GraphQL app on this store, in process and without a rate limit."""

    def __init__(self, store: Store):
        self.client = TestClient(create_app(Settings(rate_limit=0), store=store))

    def _body(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        return self.client.post("/graphql", json={"query": query, "variables": variables}).json()

    def post(self, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = self._body(query, variables)
        if body.get("errors"):
            raise RuntimeError(f"GraphQL errors: {body['errors']}")
        return body["data"]

    def warm(self, query: str, variables: dict[str, Any]) -> None:
        """The app keeps its own adoption index: its first build may outlast a request's time limit on a busy
        machine (the build goes on and is kept), so the warm-up asks again until it is there."""
        for _ in range(10):
            errors = self._body(query, variables).get("errors") or ()
            if not any(e.get("extensions", {}).get("code") == "TIMEOUT" for e in errors):
                return
            time.sleep(2)


def _timed(run: Any, iterations: int, budget_s: float, before: Any = None  # noqa: ANN401 - callables
           ) -> dict[str, Any]:
    """`bench.measure.latency` of `run` (one warm-up call), with the process CPU time (all threads) per call;
    `before` runs untimed before each call."""
    (before or (lambda: None))()
    run()
    wall: list[float] = []
    cpu: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(wall) < iterations and (len(wall) < 3 or time.perf_counter() < deadline):
        (before or (lambda: None))()
        started, used = time.perf_counter(), time.process_time()
        run()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
    return {"p50_ms": round(percentile(wall, 50), 3), "p95_ms": round(percentile(wall, 95), 3),
            "mean_ms": round(statistics.fmean(wall), 3), "cpu_p50_ms": round(percentile(cpu, 50), 3),
            "cpu_mean_ms": round(statistics.fmean(cpu), 3), "n": len(wall)}


def measure(store: Store, iterations: int, budget_s: float) -> dict[str, Any]:
    def plain(text: str, params: Any) -> list[dict[str, Any]]:
        return store.read(text, dict(params))

    read = StoreRead(store, plain)  # as GraphQL and the named queries read: derived data kept per data version

    county = store.read("MATCH (c:County {id: 'County:13076'}) RETURN c.id AS id")[0]["id"]
    town = store.read("MATCH (m:Municipality) WHERE m.county_ags = '13076' AND m.population > 0 "
                      "RETURN m.id AS id ORDER BY m.population DESC LIMIT 1")[0]["id"]
    solution = store.read("MATCH (s:Solution)<-[:OF]-(a:Adoption) RETURN s.id AS id, count(a) AS c "
                          "ORDER BY c DESC, id LIMIT 1")[0]["id"]
    category = store.read("MATCH (:Solution)-[:IN_CATEGORY]->(c:Concept) RETURN c.id AS id "
                          "ORDER BY id LIMIT 1")[0]["id"]
    admin = store.read("MATCH (o:Organization)-[:ADMINISTERS]->(:County {id: $c}) RETURN o.id AS id",
                       {"c": county})[0]["id"]
    library = load_library()
    graphql = GraphQL(store)
    graphql.warm(RECOMMEND_QUERY, {"m": town})
    found = answers.county_contacts(read, store.dialect, county, 8)
    cases = {
        # what the first mission question after a write pays once (then kept until the next write)
        "adoption index build (once per write)": lambda: adoption_index.build(plain),
        "recommendSolutions": lambda: answers.recommendations(read, town, None, 5),
        "GraphQL recommendSolutions with reasons and evidence": lambda: graphql.post(RECOMMEND_QUERY, {"m": town}),
        "county_contacts (bridges + keyPersonRisks + reach), 8 hops": lambda: answers.county_contacts(
            read, store.dialect, county, 8),
        "GraphQL countyMunicipalBridges, 8 hops": lambda: graphql.post(BRIDGES_QUERY, {"c": county}),
        "GraphQL keyPersonRisks, 8 hops": lambda: graphql.post(KEY_PERSONS_QUERY, {"c": county}),
        "contactPaths county administration -> largest town, 8 hops": lambda: answers.contact_paths(
            read, store.dialect, admin, town, 8, 3),
        "coverage of a county, one category": lambda: answers.coverage(read, county, category),
        "transferLineage, most adopted solution": lambda: answers.lineage(read, solution),
        "adoptions_in_territory, Land 13": lambda: run_named(store, library["adoptions_in_territory"],
                                                             {"territory": "State:13"}, max_rows=100_000),
    }
    adoption = store.read("MATCH (a:Adoption)-[:OF]->(:Solution {id: $s}) RETURN a.id AS id, a.status AS status "
                          "ORDER BY id LIMIT 1", {"s": solution})[0]
    other = "ADOPTED" if adoption["status"] == "PILOT" else "PILOT"
    flips = iter([other, adoption["status"]] * (iterations + 2))  # each upsert changes it

    def write_one() -> None:
        """One upsert of the most adopted solution's first adoption (its status back and forth)."""
        rows = GraphRows()
        rows.add_node("Adoption", {"id": adoption["id"], "status": next(flips)})
        store.apply(rows)

    out: dict[str, Any] = {"county": county, "municipalities": len(found.reach),
                           "unreached": len(found.unreached), "reasons": sorted({r.reason for r in found.unreached})}
    # what the first mission question after a small write pays: the index follows the write
    cases["adoption index after one upsert (follows the write)"] = lambda: adoption_index.current(read)
    for name, run in cases.items():
        try:
            out[name] = _timed(run, iterations, budget_s, write_one if "after one upsert" in name else None)
        except Exception as exc:  # noqa: BLE001 - one failing question (e.g. a GraphQL time limit on a loaded
            # machine) is recorded with its message; the unattended run goes on to the others
            out[name] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
            print(f"{name}: FAILED {out[name]['error']}", flush=True)
            continue
        print(f"{name}: p50 {out[name]['p50_ms']} ms, CPU p50 {out[name]['cpu_p50_ms']} ms (n={out[name]['n']})",
              flush=True)
    rows = GraphRows()  # the bench leaves the adoption as it found it
    rows.add_node("Adoption", {"id": adoption["id"], "status": adoption["status"]})
    store.apply(rows)
    out["index follows"] = dict(adoption_index.STATS)
    out["load_average"] = round(os.getloadavg()[0], 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=sorted(synthetic.SCALES))
    parser.add_argument("--gv100ad", type=Path, default=DEFAULT_GV100AD)
    parser.add_argument("--db", type=Path, default=None,
                        help="folder of the reused database, or an existing database file (e.g. from bench.generate)")
    parser.add_argument("--out", type=Path, default=None, help="where to write the JSON result")
    parser.add_argument("--iterations", type=int, default=7)
    parser.add_argument("--budget-s", type=float, default=10.0)
    args = parser.parse_args()
    db = args.db or Path("/tmp") / f"copgraph-bench-mission-{args.scale}"
    if not db.is_file():  # a folder: the database is made (or reused) inside it
        db.mkdir(parents=True, exist_ok=True)
        db = db / "graph.lbdb"
    store, load_s = build(db, args.gv100ad, args.scale)
    result = {"scale": args.scale, "load_s": load_s, **measure(store, args.iterations, args.budget_s)}
    out = args.out or RESULTS / f"mission-{args.scale}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    store.close()
    if any(isinstance(v, dict) and "error" in v for v in result.values()):
        raise SystemExit(f"some questions failed; see {out}")


if __name__ == "__main__":
    main()
