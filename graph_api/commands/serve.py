"""`copgraph serve [--demo]`: the HTTP service (GraphQL, REST, RDF) on uvicorn."""

from __future__ import annotations

import argparse
import contextlib
import sys

from graph_api.commands import settings_from
from graph_api.commands.server_address import announced, local_url
from graph_api.config import Settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="serve the Explorer, GraphQL (GraphiQL at /graphql) and the HTTP API")
    parser.add_argument("--host", default="127.0.0.1",
                        help="interface to listen on (default 127.0.0.1; 0.0.0.0 for every interface)")
    parser.add_argument("--port", type=int, default=8000, help="TCP port (default 8000)")
    parser.add_argument("--demo", action="store_true",
                        help="load the bundled sample data (two counties, curated pilot data, OParl) first")
    parser.set_defaults(func=run)


def start_up_line(host: str, port: int) -> str:
    """Where to point a browser; a wildcard listen address is not one, so localhost is named instead."""
    browsable = "localhost" if host in ("0.0.0.0", "::", "") else (f"[{host}]" if ":" in host else host)
    base = f"http://{browsable}:{port}"
    listening = f" (listening on {host})" if browsable != host else ""
    return f"copgraph: Explorer at {base}/ · GraphiQL at {base}/graphql{listening}"


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from graph_api.app import create_app
    from graph_api.ingest import load_sample
    from graph_api.store import open_store

    settings = settings_from(args)
    _refuse_a_damaged_store(settings)
    store = None  # without --demo the app opens the store itself, and keeps retrying while it is unavailable
    if args.demo:
        store = open_store(settings)
        summary = load_sample(store, settings.sample_dir)
        print(summary.table(), file=sys.stderr)
    app = create_app(settings, store=store)
    print(start_up_line(args.host, args.port), file=sys.stderr)
    # the CLI's commands find this server when it holds the database file (any port)
    where = settings.db_path if settings.store == "ladybug" else None
    with announced(where, local_url(args.host, args.port)) if where else contextlib.nullcontext():
        uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _refuse_a_damaged_store(settings: Settings) -> None:
    """A damaged database does not heal by waiting: stop with the repair step instead of a 503 forever.

    A locked or unreachable store is left to the app, which retries it."""
    from graph_api.store import StoreUnavailable, open_store
    from graph_api.store.ladybug_snapshot import StoreCorrupt

    try:
        open_store(settings, ensure_schema=False).close()
    except StoreCorrupt:
        raise
    except StoreUnavailable:
        pass
