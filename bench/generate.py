"""`python -m bench.generate`: build the synthetic graph and print its counts (optionally load it).

The generator itself is the registered loader `loaders/synthetic.py` (so loading it goes through
the product's loader path); this is the command-line face of it for sizing experiments:

    python -m bench.generate --scale small --seed 7
    python -m bench.generate --scale tiny --db /tmp/tiny.lbdb     # load into a LadybugDB file
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from graph_api.config import Settings
from graph_api.ingest import load
from graph_api.loaders.synthetic import DEFAULT_GV100AD, SCALES, read


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="tiny")
    parser.add_argument("--scope", help="an AGS prefix instead of a scale (e.g. 01 = Schleswig-Holstein)")
    parser.add_argument("--gv100ad", type=Path, default=DEFAULT_GV100AD)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--solutions", type=int)
    parser.add_argument("--adoptions", type=int)
    parser.add_argument("--knows", type=int)
    parser.add_argument("--db", help="load the result into this LadybugDB path (through Store.apply)")
    args = parser.parse_args(argv)
    options = {"scale": args.scale, "scope": args.scope, "seed": args.seed, "solutions": args.solutions,
               "adoptions": args.adoptions, "knows": args.knows}
    started = time.perf_counter()
    rows = read(args.gv100ad, **options)
    print(f"generated in {time.perf_counter() - started:.2f} s", file=sys.stderr)
    for key, count in sorted(rows.counts().items()):
        print(f"{key:<16}{count:>10,}")
    if args.db:
        from graph_api.store import open_store

        store = open_store(Settings(store="ladybug", db_path=args.db))
        try:
            started = time.perf_counter()
            summary = load(store, "synthetic", [args.gv100ad], **options)
            print(summary.table(), file=sys.stderr)
            print(f"loaded in {time.perf_counter() - started:.2f} s", file=sys.stderr)
        finally:
            store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
