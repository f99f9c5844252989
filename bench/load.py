"""`python -m bench.load`: only the load phases of `python -m bench` (territory, entities, edges).

The bulk-load target (generated rows/s at Germany scale) is a single number that takes a
minute to measure; the full run also measures GraphQL, named queries and the export, which on a
shared machine is too long to repeat after each change to the write path. The phases are the
same code (`bench.run.load`), so the numbers compare with `bench/results/<scale>-ladybug.json`.

    python -m bench.load --gv100ad GV100AD_301121.ASC --scale germany --out bench/results/load-germany.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from bench.run import load, open_backend
from bench.synthetic import GV100AD_VARIABLE, SCALES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="tiny")
    parser.add_argument("--gv100ad", type=Path, default=os.environ.get(GV100AD_VARIABLE),
                        help=f"the full GV100AD file (default: ${GV100AD_VARIABLE})")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--note", default="", help="free text stored with the result (what was measured)")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    if not args.gv100ad:
        parser.error(f"name the GV100AD file: --gv100ad FILE or ${GV100AD_VARIABLE}")
    with tempfile.TemporaryDirectory(prefix="copgraph-load-") as folder:
        store = open_backend("ladybug", Path(folder))
        try:
            result = load(store, args.gv100ad, args.scale, args.seed, {})
        finally:
            store.close()
    result = {"scale": args.scale, "seed": args.seed, "note": args.note,
              "load_average": list(os.getloadavg()), **result}
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(json.dumps(result["load"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
