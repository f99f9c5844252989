"""`copgraph validate PATH`: check a curated folder completely without writing anything."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_api.commands import settings_from
from graph_api.ingest import existing_ids_in
from graph_api.loaders import curated
from graph_api.store import StoreUnavailable, open_store


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("validate", help="check curated files; writes nothing")
    parser.add_argument("path", help="a curated folder (territories.yaml, organizations.yaml, ...) or one such file")
    parser.add_argument("--offline", action="store_true",
                        help="do not check territory references against the store")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    store = None
    settings = settings_from(args)
    if settings.store == "ladybug" and not Path(settings.db_path).exists():
        print(f"note: territory references not checked (no database at {settings.db_path})", file=sys.stderr)
    elif not args.offline:
        try:
            store = open_store(settings, ensure_schema=False)
        except StoreUnavailable as exc:
            print(f"note: territory references not checked ({exc})", file=sys.stderr)
    try:
        rows = curated.read(args.path, existing_ids=existing_ids_in(store) if store else None)
    finally:
        if store is not None:
            store.close()
    counts = ", ".join(f"{k} {v}" for k, v in sorted(rows.counts().items()))
    print(f"{args.path}: valid ({counts})")
    return 0
