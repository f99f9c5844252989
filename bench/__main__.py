"""`python -m bench`: run the benchmark at one or more scales and write RESULTS.md, JSON and a chart.

    python -m bench                         # tiny, small and germany on LadybugDB (+ Neo4j when NEO4J_URI is set)
    python -m bench --scales tiny --out /tmp/bench    # the smoke run
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from pathlib import Path

from bench.report import read_baseline, write
from bench.run import run_scale
from bench.synthetic import GV100AD_VARIABLE, SCALES

BENCH_DIR = Path(__file__).resolve().parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scales", "--scale", default="tiny,small,germany",
                        help=f"comma-separated, from {', '.join(SCALES)} (default: all three)")
    parser.add_argument("--backends", help="comma-separated ladybug,neo4j (default: ladybug, plus neo4j when "
                                           "NEO4J_URI is set)")
    parser.add_argument("--gv100ad", type=Path, default=os.environ.get(GV100AD_VARIABLE),
                        help=f"the full GV100AD file the scales are cut from (default: ${GV100AD_VARIABLE})")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--solutions", type=int, help="override the scaled number of solutions")
    parser.add_argument("--adoptions", type=int, help="override the scaled number of adoptions")
    parser.add_argument("--knows", type=int, help="override the scaled number of KNOWS edges")
    parser.add_argument("--iterations", type=int, default=50, help="timed calls per request (default 50)")
    parser.add_argument("--budget", type=float, default=5.0, help="seconds per request before stopping early")
    parser.add_argument("--rdf-sample", type=int, default=200_000, help="triples compared against rdflib")
    parser.add_argument("--no-rdf", action="store_true", help="skip the RDF export measurements")
    parser.add_argument("--no-chart", action="store_true")
    parser.add_argument("--out", type=Path, default=BENCH_DIR, help="where RESULTS.md and results/ go")
    parser.add_argument("--baseline", type=Path, help="an earlier --out folder: adds a before -> after table")
    parser.add_argument("--note", action="append", default=[], help="a line for RESULTS.md (repeatable)")
    parser.add_argument("--work-dir", type=Path, help="where the temporary databases go (default: system temp)")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.gv100ad:
        parser.error(f"name the GV100AD file: --gv100ad FILE or ${GV100AD_VARIABLE}")
    scales = [s.strip() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in scales if s not in SCALES]
    if unknown:
        print(f"unknown scale(s) {unknown}; choose from {', '.join(SCALES)}", file=sys.stderr)
        return 2
    backends = (args.backends.split(",") if args.backends
                else ["ladybug", *(["neo4j"] if os.environ.get("NEO4J_URI") else [])])
    sizes = {"solutions": args.solutions, "adoptions": args.adoptions, "knows": args.knows}
    runs = []
    for backend in backends:
        for scale in scales:
            print(f"[bench] {scale} on {backend} …", file=sys.stderr, flush=True)
            run = run_scale(scale, backend=backend, gv100ad=args.gv100ad, seed=args.seed,
                            iterations=args.iterations, budget_s=args.budget, sizes=sizes, rdf=not args.no_rdf,
                            rdf_sample=args.rdf_sample, work_dir=args.work_dir)
            runs.append(run)
            load = run["load"]
            print(f"[bench] {scale}/{backend}: {load['all']['rows']:,} rows loaded at {load['all']['rows_per_s']:,}"
                  f" rows/s, run took {run['seconds']} s", file=sys.stderr, flush=True)
            gc.collect()
    notes = list(args.note)
    if "neo4j" not in backends:
        notes.append("Neo4j not measured (NEO4J_URI not set).")
    baseline = read_baseline(args.baseline) if args.baseline else None
    paths = write(runs, args.out, chart=not args.no_chart, notes=notes, baseline=baseline)
    for name, path in paths.items():
        print(f"{name}: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
