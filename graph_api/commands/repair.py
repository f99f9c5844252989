"""`copgraph repair`: make a LadybugDB whose write-ahead log is damaged open again.

Writes by copgraph recover by themselves when the store opens (`store/ladybug_snapshot.py`);
this command is for a damaged log no copgraph write explains (the store names it then). It keeps
a copy of the log, replays every intact record and drops the damaged tail.
"""

from __future__ import annotations

import argparse
import sys

from graph_api.commands import settings_from
from graph_api.store import StoreUnavailable


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("repair", help="recover a LadybugDB whose write-ahead log fails its checksum")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if settings.store != "ladybug":
        raise StoreUnavailable("repair is for the embedded LadybugDB store; Neo4j recovers its own logs")
    from graph_api.store.ladybug_snapshot import repair

    print(repair(settings.db_path), file=sys.stderr)
    return 0
