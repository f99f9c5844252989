"""The FastAPI application: GraphQL plus the REST routers, all sharing one store.

Routers live in `graph_api/http/<name>.py`, each exposing `router`; `ROUTERS` lists them so a
new resource is one module and one line. The store is opened once per app (not at import)
and reached by handlers through `graph_api.http.deps.StoreDep`.
"""

from __future__ import annotations

from importlib import import_module

from fastapi import FastAPI

from graph_api import __version__
from graph_api.config import Settings
from graph_api.http import graphql, headers, json_body, limits, rdf
from graph_api.store import Store, open_store
from graph_api.store.handle import StoreHandle

# explorer last: it serves /
ROUTERS: tuple[str, ...] = ("health", "graphiql", "queries", "rdf", "vocabulary", "sparql", "explorer",
                             "publiccode")


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    settings = settings or Settings()
    app = FastAPI(title="copgraph", version=__version__,
                  description="Knowledge graph of the community of practice of municipal innovation")
    app.state.settings = settings
    app.state.store = store if store is not None else StoreHandle(
        lambda: open_store(settings), dialect=settings.store).try_open()  # heals once the store is back
    rdf.install(app)  # after the store: observes its writes
    limits.install(app, settings)
    json_body.install(app)
    headers.install(app)  # outermost: refusals by the limits carry the headers too
    # GraphQL first and as a plain route: the hot path skips matching every router and FastAPI's
    # dependency injection (see `graph_api.http.graphql`)
    app.router.routes.insert(0, graphql.route)
    for name in ROUTERS:
        app.include_router(import_module(f"graph_api.http.{name}").router)
    return app
