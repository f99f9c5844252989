"""`copgraph load NAME PATH...`: validate a source completely, then write it in one batch."""

from __future__ import annotations

import argparse
import resource
import sys
import textwrap
import time

from graph_api.commands import store_from
from graph_api.ingest import load
from graph_api.loaders import EXPECTED_INPUT, LOADERS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("load", help="load a source into the store (idempotent)",
                            description="Validate the whole source first, then write it in one batch;\n"
                                        "loading the same input again changes nothing.",
                            epilog=expected_inputs(), formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("loader", choices=sorted(LOADERS), help="the kind of source (inputs below)")
    parser.add_argument("paths", nargs="+", metavar="PATH", help="one or more inputs of that kind")
    parser.set_defaults(func=run)


def expected_inputs() -> str:
    """What each loader reads, one wrapped paragraph per loader."""
    return "inputs:\n" + "\n".join(textwrap.fill(f"{name}: {text}", width=100, initial_indent="  ",
                                                   subsequent_indent="    ")
                                     for name, text in sorted(EXPECTED_INPUT.items()))


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
    for note in summary.notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"done in {elapsed:.2f} s, peak memory {peak_mib:.0f} MiB", file=sys.stderr)
    return 0
