"""`copgraph publiccode KEY… [-o FILE | --dir DIR]`: software solutions as publiccode.yml files.

The same text as `GET /solutions/{key}/publiccode.yml`; `copgraph load publiccode` reads it back
without changing the graph. A solution that lacks what the standard requires is refused with
the list of what is missing (exit code 2), and nothing is written for it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_api.commands import settings_from
from graph_api.loaders.publiccode.export import ExportRefused, SolutionNotFound, publiccode_yaml
from graph_api.model import SLUG_RE
from graph_api.store import open_store
from graph_api.store.publiccode_reads import GraphReads


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("publiccode", help="write software solutions as publiccode.yml (the standard's v0)",
                            description="Write each named solution as publiccode.yml: to stdout (one key), "
                                        "to FILE (-o, one key) or as DIR/KEY/publiccode.yml (--dir).")
    parser.add_argument("keys", nargs="+", metavar="KEY", help="solution key, e.g. chatbot-buergerservice "
                                                               "(the part after Solution:)")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", help="file to write (one KEY only)")
    target.add_argument("--dir", help="folder to write KEY/publiccode.yml into, one subfolder per solution")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.output and len(args.keys) > 1:
        print("error: -o takes one KEY; use --dir for several", file=sys.stderr)
        return 2
    settings = settings_from(args)
    store = open_store(settings)
    failed = 0
    try:
        reads = GraphReads(store.read)
        for key in args.keys:
            key = key.removeprefix("Solution:")
            if not SLUG_RE.match(key):
                print(f"error: '{key}' is not a solution key (a slug such as chatbot-buergerservice)", file=sys.stderr)
                failed += 1
                continue
            try:
                text = publiccode_yaml(reads, f"Solution:{key}", settings.base_iri)
            except SolutionNotFound:
                print(f"error: no solution Solution:{key}", file=sys.stderr)
                failed += 1
                continue
            except ExportRefused as exc:
                print(f"error: {exc}", file=sys.stderr)
                failed += 1
                continue
            if args.dir:
                path = Path(args.dir, key, "publiccode.yml")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
            elif args.output:
                Path(args.output).parent.mkdir(parents=True, exist_ok=True)
                Path(args.output).write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
    finally:
        store.close()
    return 2 if failed else 0
