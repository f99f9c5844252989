"""`copgraph load NAME PATH...`: validate a source completely, then write it in one batch."""

from __future__ import annotations

import argparse
import resource
import sys
import time

from graph_api.commands import store_from
from graph_api.ingest import load
from graph_api.loaders import LOADERS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("load", help="load a source into the store (idempotent)")
    parser.add_argument("loader", choices=sorted(LOADERS))
    parser.add_argument("paths", nargs="+")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    store = store_from(args)
    try:
        options = {"progress": True} if args.loader == "gv100ad" else {}
        summary = load(store, args.loader, args.paths, **options)
    finally:
        store.close()
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(summary.table(), file=sys.stderr)
    print(f"done in {elapsed:.2f} s, peak memory {peak_mib:.0f} MiB", file=sys.stderr)
    return 0
