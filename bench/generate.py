"""`python -m bench.generate`: build the synthetic graph and print its counts (optionally load it).

The generator (`bench/synthetic.py`) yields the same `GraphRows` every loader yields and is
written through `Store.apply`, the product's write path; this is its command-line face for
sizing experiments and for loading a benchmark graph:

    python -m bench.generate --gv100ad GV100AD_301121.ASC --scale small --seed 7
    python -m bench.generate --gv100ad GV100AD_301121.ASC --scale tiny --db /tmp/tiny.lbdb
    NEO4J_URI=bolt://localhost:7687 python -m bench.generate --gv100ad FILE --scale tiny --store neo4j
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from bench.synthetic import GV100AD_VARIABLE, SCALES, read
from graph_api.config import Settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="tiny", help="territory generated (default tiny)")
    parser.add_argument("--scope", help="an AGS prefix instead of a scale (e.g. 01 = Schleswig-Holstein)")
    parser.add_argument("--gv100ad", type=Path, default=os.environ.get(GV100AD_VARIABLE),
                        help=f"the full GV100AD file (default: ${GV100AD_VARIABLE})")
    parser.add_argument("--seed", type=int, default=42, help="random seed (same seed, same graph)")
    parser.add_argument("--solutions", type=int, help="override the scaled number of solutions")
    parser.add_argument("--adoptions", type=int, help="override the scaled number of adoptions")
    parser.add_argument("--knows", type=int, help="override the scaled number of KNOWS edges")
    parser.add_argument("--db", help="load the result into this LadybugDB path (through Store.apply)")
    parser.add_argument("--store", choices=["ladybug", "neo4j"],
                        help="load the result into this backend (neo4j: $NEO4J_URI, $NEO4J_USER, $NEO4J_PASSWORD)")
    args = parser.parse_args(argv)
    if not args.gv100ad:
        parser.error(f"name the GV100AD file: --gv100ad FILE or ${GV100AD_VARIABLE}")
    options = {"scale": args.scale, "scope": args.scope, "seed": args.seed, "solutions": args.solutions,
               "adoptions": args.adoptions, "knows": args.knows}
    started = time.perf_counter()
    rows = read(args.gv100ad, **options)
    print(f"generated in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    for key, count in sorted(rows.counts().items()):
        print(f"{key:<16}{count:>10,}")
    if args.db or args.store:
        from graph_api.store import open_store

        store = open_store(Settings().with_overrides(store=args.store, db_path=args.db))
        try:
            started = time.perf_counter()
            summary = store.apply(rows)
            print(summary.table(), file=sys.stderr)
            print(f"loaded in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
