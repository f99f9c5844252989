"""Latency of the mission questions (graph_api.mission.answers) at one scale: short runs on a reused store.

    python -m bench.mission --scale small [--gv100ad PATH] [--db DIR] [--iterations 7]

Loads the synthetic graph once into `--db` (reused when it is there), then times each question
directly on the store, reading as GraphQL does (a `StoreRead`: the adoption index is built on the
first question and kept until the next write; its build is timed on its own), and writes
`bench/results/mission-<scale>.json`. Targets (issue 16): recommendSolutions p50 < 50 ms, bridges
and key persons per county p50 < 100 ms, adoptions_in_territory for a Land p50 < 200 ms, at
Germany scale.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from bench import synthetic
from bench.measure import latency
from graph_api.config import Settings
from graph_api.loaders import read_source
from graph_api.mission import adoption_index, answers
from graph_api.query_library import load_library, run_named
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
    found = answers.county_contacts(read, store.dialect, county, 8)
    cases = {
        # what the first mission question after a write pays once (then kept until the next write)
        "adoption index build (once per write)": lambda: adoption_index.build(plain),
        "recommendSolutions": lambda: answers.recommendations(read, town, None, 5),
        "county_contacts (bridges + keyPersonRisks + reach), 8 hops": lambda: answers.county_contacts(
            read, store.dialect, county, 8),
        "contactPaths county administration -> largest town, 8 hops": lambda: answers.contact_paths(
            read, store.dialect, admin, town, 8, 3),
        "coverage of a county, one category": lambda: answers.coverage(read, county, category),
        "transferLineage, most adopted solution": lambda: answers.lineage(read, solution),
        "adoptions_in_territory, Land 13": lambda: run_named(store, library["adoptions_in_territory"],
                                                             {"territory": "State:13"}, max_rows=100_000),
    }
    out: dict[str, Any] = {"county": county, "municipalities": len(found.reach),
                           "unreached": len(found.unreached), "reasons": sorted({r.reason for r in found.unreached})}
    for name, run in cases.items():
        out[name] = latency(run, iterations=iterations, budget_s=budget_s, warmup=1)
        print(f"{name}: p50 {out[name]['p50_ms']} ms (n={out[name]['n']})", flush=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="small", choices=sorted(synthetic.SCALES))
    parser.add_argument("--gv100ad", type=Path, default=DEFAULT_GV100AD)
    parser.add_argument("--db", type=Path, default=None, help="folder of the reused database")
    parser.add_argument("--iterations", type=int, default=7)
    parser.add_argument("--budget-s", type=float, default=10.0)
    args = parser.parse_args()
    folder = args.db or Path("/tmp") / f"copgraph-bench-mission-{args.scale}"
    folder.mkdir(parents=True, exist_ok=True)
    store, load_s = build(folder / "graph.lbdb", args.gv100ad, args.scale)
    result = {"scale": args.scale, "load_s": load_s, **measure(store, args.iterations, args.budget_s)}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"mission-{args.scale}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    store.close()


if __name__ == "__main__":
    main()
