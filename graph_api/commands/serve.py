"""`copgraph serve [--demo]`: the HTTP service (GraphQL, REST, RDF) on uvicorn."""

from __future__ import annotations

import argparse
import sys

from graph_api.commands import settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("serve", help="serve GraphQL (GraphiQL at /graphql) and the HTTP API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--demo", action="store_true", help="load the bundled sample data first")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from graph_api.app import create_app
    from graph_api.ingest import load_sample
    from graph_api.store import open_store

    settings = settings_from(args)
    store = None  # without --demo the app opens the store itself, and keeps retrying while it is unavailable
    if args.demo:
        store = open_store(settings)
        summary = load_sample(store)
        print(summary.table(), file=sys.stderr)
    app = create_app(settings, store=store)
    print(f"copgraph: GraphiQL at http://{args.host}:{args.port}/graphql", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0
