"""`copgraph query NAME --param k=v …`: run a named query from `queries/`; `--list` shows them all.

Parameters arrive as strings and are converted by the types the query's header declares; the
query runs on the store's read-only path with a time and a row limit.
"""

from __future__ import annotations

import argparse
import sys

from graph_api import policy
from graph_api.commands import settings_from
from graph_api.commands.remote import RemoteError, RemoteServer, open_target
from graph_api.query_library import (
    DEFAULT_MAX_ROWS,
    DEFAULT_TIMEOUT_MS,
    ParameterError,
    UnknownQuery,
    get_query,
    load_library,
    run_named,
)
from graph_api.result_format import FORMATS, emit


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("query", help="run a named analysts' query (see --list)")
    parser.add_argument("name", nargs="?", help="query name, e.g. adopters_of_solution")
    parser.add_argument("--list", action="store_true", help="list the named queries with their parameters")
    add_run_options(parser)
    parser.set_defaults(func=run)


def add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--param", "-p", action="append", default=[], metavar="KEY=VALUE",
                        help="a query parameter (repeatable)")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    parser.add_argument("--max-rows", type=int, default=DEFAULT_MAX_ROWS,
                        help=f"stop after this many rows (default {DEFAULT_MAX_ROWS})")
    parser.add_argument("--timeout-ms", type=int, default=DEFAULT_TIMEOUT_MS,
                        help=f"cancel the query after this many milliseconds (default {DEFAULT_TIMEOUT_MS})")
    parser.add_argument("--server", metavar="URL",
                        help="ask this running copgraph server instead of opening the database (used by itself "
                             "when a running server holds the LadybugDB file: COPGRAPH_SERVER_URL, token from "
                             "COPGRAPH_API_TOKEN)")


def parse_params(pairs: list[str]) -> dict[str, str]:
    params = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise ParameterError(pair, "expected KEY=VALUE")
        params[key.strip()] = value
    return params


def list_queries() -> str:
    lines = []
    for query in load_library().values():
        lines.append(f"{query.name}  [{', '.join(query.dialects)}]\n    {query.purpose}")
        for p in query.params:
            default = "required" if p.required else f"default {p.default!r}"
            lines.append(f"    --param {p.name}=<{p.type}>  ({default})")
        lines.append(f"    columns: {', '.join(query.columns)}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    if args.list or not args.name:
        print(list_queries())
        return 0
    try:
        query = get_query(args.name)
        params = parse_params(args.param)
        query.bind(params)  # refuse bad parameters before opening the store
    except (UnknownQuery, ParameterError) as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    target = open_target(settings_from(args), args.server)
    try:
        if isinstance(target, RemoteServer):  # the server decides what the token shows
            result = target.named(query.name, params, max_rows=args.max_rows)
        else:
            # the operator has the database files anyway (SECURITY.md): the local CLI shows what token holders see
            result = run_named(target, query, params, viewer=policy.TOKEN_HOLDER, timeout_ms=args.timeout_ms,
                               max_rows=args.max_rows)
    except RemoteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except ParameterError as exc:  # checked against the graph: an id that names nothing, an unknown county
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    finally:
        target.close()
    emit(result, args.format, args.max_rows)
    return 0
