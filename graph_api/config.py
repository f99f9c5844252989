"""Settings read once from the environment (and overridden by CLI flags), never at import time."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from graph_api.resources import SAMPLE_DATA_DIR

# the source checkout (tests and developer tools only: an installed copgraph has no such folder)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = Path(os.environ.get("COPGRAPH_SAMPLE_DIR", SAMPLE_DATA_DIR))
DEFAULT_BASE_IRI = "https://copgraph.example.org/"

# The environment variables the service reads; docker-compose.yml is checked against this list.
ENVIRONMENT_VARIABLES = ("COPGRAPH_STORE", "COPGRAPH_DB", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD",
                         "COPGRAPH_API_TOKEN", "COPGRAPH_BASE_IRI", "COPGRAPH_CORS_ORIGINS")


@dataclass(frozen=True)
class Settings:
    store: str = "ladybug"
    db_path: str = "./copgraph.lbdb"
    neo4j_uri: str | None = None
    neo4j_user: str = "neo4j"
    neo4j_password: str = ""
    api_token: str | None = None
    base_iri: str = DEFAULT_BASE_IRI
    cors_origins: tuple[str, ...] = ()

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        origins = tuple(o.strip() for o in env.get("COPGRAPH_CORS_ORIGINS", "").split(",") if o.strip())
        base = env.get("COPGRAPH_BASE_IRI", DEFAULT_BASE_IRI)
        return cls(
            store=env.get("COPGRAPH_STORE", "ladybug"),
            db_path=env.get("COPGRAPH_DB", "./copgraph.lbdb"),
            neo4j_uri=env.get("NEO4J_URI") or None,
            neo4j_user=env.get("NEO4J_USER", "neo4j"),
            neo4j_password=env.get("NEO4J_PASSWORD", ""),
            api_token=env.get("COPGRAPH_API_TOKEN") or None,
            base_iri=base if base.endswith("/") else base + "/",
            cors_origins=origins,
        )

    def with_overrides(self, **changes: object) -> Settings:
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
