"""Shared fixtures: stores on LadybugDB (always) and Neo4j (when NEO4J_URI is set).

`pilot_store` is loaded once per session with the bundled sample and must not be written to
by tests; tests that write use `empty_store` or `fresh_pilot_store`.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

# an editable install made before setup.py mapped these folders (loaders/, queries/, ...) cannot find them
if unmapped := [name for name in ("graph_api.loaders", "graph_api.queries", "graph_api.ontology",
                                  "graph_api.sample_data") if importlib.util.find_spec(name) is None]:
    raise pytest.UsageError(f"{', '.join(unmapped)} not importable: setup.py installs the top-level folders under "
                            "these names; re-run `pip install -e \".[dev]\"` in this checkout")

from graph_api.config import PROJECT_ROOT, Settings
from graph_api.ingest import load_sample
from graph_api.store import Store, open_store

SHARED = PROJECT_ROOT.parent / "shared"
SHARED_DATA = SHARED / "data"
FULL_GV100AD = SHARED_DATA / "gv100ad" / "GV100AD_301121.ASC"
NEO4J_URI = os.environ.get("NEO4J_URI")
NEO4J_SKIP_REASON = "Neo4j tests need NEO4J_URI (and NEO4J_USER/NEO4J_PASSWORD); not set, so skipped"

BACKENDS = [
    "ladybug",
    pytest.param("neo4j", marks=pytest.mark.skipif(not NEO4J_URI, reason=NEO4J_SKIP_REASON)),
]


def pytest_report_header(config: pytest.Config) -> str:
    return f"copgraph stores: ladybug{' + neo4j at ' + NEO4J_URI if NEO4J_URI else ' only (' + NEO4J_SKIP_REASON + ')'}"


def _open(backend: str, tmp: Path) -> Store:
    if backend == "neo4j":
        settings = Settings(store="neo4j")
        store = open_store(settings)
        with store.transaction() as run:  # Neo4j tests own the database they point at
            run("MATCH (n) DETACH DELETE n", {})
        return store
    return open_store(Settings(store="ladybug", db_path=str(tmp / "graph.lbdb")))


@pytest.fixture(params=BACKENDS)
def empty_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    store = _open(request.param, tmp_path)
    yield store
    store.close()


@pytest.fixture
def fresh_pilot_store(empty_store: Store) -> Store:
    load_sample(empty_store)
    return empty_store


@pytest.fixture(scope="session")
def pilot_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The bundled sample on LadybugDB, loaded once; read-only by convention."""
    store = _open("ladybug", tmp_path_factory.mktemp("pilot"))
    load_sample(store)
    yield store
    store.close()


@pytest.fixture(scope="module", params=BACKENDS)
def pilot_any(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The bundled sample on every backend (Neo4j reloaded per module, since other tests wipe it)."""
    if request.param == "ladybug":
        yield request.getfixturevalue("pilot_store")
        return
    store = _open("neo4j", tmp_path_factory.mktemp("neo4j"))
    load_sample(store)
    yield store
    store.close()
