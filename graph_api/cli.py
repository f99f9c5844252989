"""The `copgraph` command: one entry point, sub-commands registered in `COMMANDS`.

Each sub-command lives in `graph_api/commands/<name>.py` with `register(subparsers)` (which
sets `func` on its parser); adding a command is one line here.
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from graph_api.rows import LoadError
from graph_api.store import QueryRejected, QueryTimeout, StoreUnavailable

COMMANDS = ("load", "validate", "serve", "query", "cypher", "export")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copgraph", description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=["ladybug", "neo4j"], help="backend (default: $COPGRAPH_STORE or ladybug)")
    parser.add_argument("--db", help="LadybugDB path (default: $COPGRAPH_DB or ./copgraph.lbdb)")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        import_module(f"graph_api.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing was written.", file=sys.stderr)
        return 2
    except (StoreUnavailable, QueryRejected, QueryTimeout) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
