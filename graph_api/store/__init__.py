"""Store adapters: the only code that talks to a database. `open_store` picks the backend."""

from __future__ import annotations

from graph_api.config import Settings
from graph_api.store.base import QueryRejected, QueryTimeout, ReadResult, Store, StoreUnavailable

__all__ = ["QueryRejected", "QueryTimeout", "ReadResult", "Store", "StoreUnavailable", "open_store"]


def open_store(settings: Settings, *, ensure_schema: bool = True) -> Store:
    """Open the configured backend; drivers are imported lazily so each is optional at runtime."""
    if settings.store == "neo4j":
        if not settings.neo4j_uri:
            raise StoreUnavailable("COPGRAPH_STORE=neo4j needs NEO4J_URI")
        from graph_api.store.neo4j_store import Neo4jStore

        store: Store = Neo4jStore(settings.neo4j_uri, settings.neo4j_user, settings.neo4j_password)
    elif settings.store == "ladybug":
        from graph_api.store.ladybug_pool import PoolSize
        from graph_api.store.ladybug_store import LadybugStore

        store = LadybugStore(settings.db_path, pool=PoolSize(max_threads=settings.pool_max_threads,
                                                             readers=settings.pool_readers,
                                                             analysts=settings.pool_analysts),
                             write_reserve=settings.write_reserve_mb << 20)
    else:
        raise ValueError(f"unknown store '{settings.store}' (expected 'ladybug' or 'neo4j')")
    if ensure_schema:
        store.ensure_schema()
    return store
