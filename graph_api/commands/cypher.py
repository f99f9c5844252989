"""`copgraph cypher "MATCH …"`: an ad-hoc read query on the store's read-only path.

Writes, file access and several statements are refused; `--param k=v` values are read as JSON
when they parse (numbers, booleans, lists) and as strings otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys

from graph_api.commands import settings_from
from graph_api.commands.query import add_run_options, parse_params
from graph_api.commands.remote import RemoteError, RemoteServer, open_target
from graph_api.query_library import ParameterError
from graph_api.result_format import emit
from graph_api.store import QueryRejected, QueryTimeout, StoreUnavailable


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("cypher", help="run an ad-hoc read-only Cypher query")
    parser.add_argument("query", help="the Cypher text (in the active store's dialect)")
    add_run_options(parser)
    parser.set_defaults(func=run)


def _value(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


def run(args: argparse.Namespace) -> int:
    try:
        params = {k: _value(v) for k, v in parse_params(args.param).items()}
    except ParameterError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 2
    target = open_target(settings_from(args), args.server)
    try:
        if isinstance(target, RemoteServer):
            result = target.cypher(args.query, params, max_rows=args.max_rows)
        else:
            result = target.read_only(args.query, params, timeout_ms=args.timeout_ms, max_rows=args.max_rows)
    except (QueryRejected, QueryTimeout, StoreUnavailable):
        raise
    except RemoteError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # noqa: BLE001 - the engine's own message (syntax, unknown table) is the answer
        print(f"error: the query failed: {str(exc).strip()}", file=sys.stderr)
        return 3
    finally:
        target.close()
    emit(result, args.format, args.max_rows)
    return 0
