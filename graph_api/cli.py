"""The `copgraph` command: one entry point, sub-commands registered in `COMMANDS`.

Each sub-command lives in `graph_api/commands/<name>.py` with `register(subparsers)` (which
sets `func` on its parser); adding a command is one line here. The store options are accepted
before and after the sub-command (`copgraph --db X load ...` and `copgraph load ... --db X`).
"""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from graph_api import __version__
from graph_api.query_library import LibraryError
from graph_api.rows import LoadError
from graph_api.store import QueryRejected, QueryTimeout, StoreUnavailable

COMMANDS = ("load", "validate", "serve", "query", "cypher", "export", "publiccode", "repair", "history")
DESCRIPTION = ("Load, check, query, serve and export copgraph, the knowledge graph of the community of practice "
               "around administrative innovation in German municipalities.")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="copgraph", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                        help="print the installed version and exit")
    add_store_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND",
                                help=", ".join(COMMANDS) + " (COMMAND --help for each)")
    for name in COMMANDS:
        import_module(f"graph_api.commands.{name}").register(sub)
    for command in sub.choices.values():
        # SUPPRESS: a sub-command that is not given the option keeps the value given before it
        add_store_options(command, default=argparse.SUPPRESS)
    return parser


def add_store_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """`--store` and `--db`, which every sub-command accepts."""
    options = parser.add_argument_group("store")
    options.add_argument("--store", choices=["ladybug", "neo4j"], default=default,
                         help="backend (default: $COPGRAPH_STORE or ladybug; neo4j reads $NEO4J_URI, $NEO4J_USER, "
                              "$NEO4J_PASSWORD)")
    options.add_argument("--db", default=default, metavar="PATH",
                         help="LadybugDB database path (default: $COPGRAPH_DB or ./copgraph.lbdb)")


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except LoadError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s); nothing was written.", file=sys.stderr)
        return 2
    except (StoreUnavailable, QueryRejected, QueryTimeout, LibraryError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
