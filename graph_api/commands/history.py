"""`copgraph history [ID] [--since DATE]`: who changed a node (or anything) when, and what changed."""

from __future__ import annotations

import argparse
import json

from graph_api.commands import store_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("history", help="show the change history of a node (or of the whole graph)",
                            description="Every mutation and load is recorded with who (a token's name or the "
                                        "local user), when (UTC) and each changed property before -> after.")
    parser.add_argument("id", nargs="?", help="a node id, e.g. Adoption:hagenow-digitale-lokale-agenda")
    parser.add_argument("--since", help="only changes from this ISO date or timestamp (UTC) on")
    parser.add_argument("--limit", type=int, default=1_000, help="at most this many records (default 1000)")
    parser.set_defaults(func=run)


def _text(value: object) -> str:
    return "-" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def run(args: argparse.Namespace) -> int:
    store = store_from(args)
    try:
        records = store.history(args.id, args.since, args.limit)
    finally:
        store.close()
    for record in records:
        print(f"{record.at}  {record.who}  {record.what}  {record.node}  {record.action}")
        for name, (before, after) in sorted(record.properties.items()):
            print(f"    {name}: {_text(before)} -> {_text(after)}")
    if not records:
        print("no recorded changes" + (f" of {args.id}" if args.id else ""))
    return 0
