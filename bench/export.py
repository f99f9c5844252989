"""`python -m bench.export`: stream a stored graph out as N-Triples and time it (wall, CPU, peak memory).

The export target (triples/s at Germany scale) needs a loaded Germany graph, which takes minutes
to build; this runs the export alone on a database built once (`python -m bench.generate
--scale germany --db FILE`). CPU time is the process's (all threads, the engine's included):
on a machine shared with other work it is the steadier of the two numbers. It calls
`graph_api.rdf.export.export`, the function behind `copgraph export` and HTTP `/export`, so it
measures the path users get (for N-Triples: `graph_api/rdf/ntriples.py`).

    python -m bench.export --db /tmp/germany.lbdb --out bench/results/export-germany.json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

from graph_api.config import Settings
from graph_api.rdf.blocks import graph_blocks
from graph_api.rdf.export import export
from graph_api.rdf.writers import WRITERS
from graph_api.store import open_store

BASE = "https://copgraph.example.org/"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.export", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="a LadybugDB database to export")
    parser.add_argument("--format", default="nt")
    parser.add_argument("--to", type=Path, default=Path(os.devnull), help="write the export here (default: discard)")
    parser.add_argument("--path", choices=("export", "blocks"), default="export",
                        help="export: what users get (default); blocks: the block writers for every format "
                             "(the N-Triples exporter before the column path), for a before/after on one database")
    parser.add_argument("--note", default="")
    parser.add_argument("--out", type=Path, help="write the result as JSON here")
    args = parser.parse_args(argv)
    store = open_store(Settings(store="ladybug", db_path=args.db))
    rss_before = _current_rss_mb()
    lines = chars = 0
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with args.to.open("w", encoding="utf-8") as out:
            chunks = (export(store, BASE, args.format) if args.path == "export"
                      else WRITERS[args.format](graph_blocks(store, BASE)))
            for chunk in chunks:
                out.write(chunk)
                lines += chunk.count("\n")
                chars += len(chunk)
    finally:
        store.close()
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = {"format": args.format, "path": args.path, "note": args.note, "lines": lines, "chars": chars,
              "seconds": round(wall, 2),
              "cpu_seconds": round(cpu, 2), "lines_per_s": round(lines / wall), "lines_per_cpu_s": round(lines / cpu),
              # the peak of the whole process (engine buffers included) and its growth during the export:
              # bounded memory means this stays at pages, not at the size of the graph
              "peak_rss_mb": round(_peak_rss_mb()), "peak_rss_growth_mb": round(_peak_rss_mb() - rss_before),
              "load_average": [round(x, 1) for x in os.getloadavg()]}
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    return 0


def _current_rss_mb() -> float:
    """Resident memory now (Linux /proc; the peak before the export otherwise)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return _peak_rss_mb()
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


if __name__ == "__main__":
    sys.exit(main())
