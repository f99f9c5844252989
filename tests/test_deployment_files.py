"""docker-compose.yml cannot run here (no container engine), so it is checked by reading it."""

from __future__ import annotations

import yaml

from graph_api.config import ENVIRONMENT_VARIABLES, PROJECT_ROOT, Settings

COMPOSE = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))


def test_neo4j_service_is_version_5_with_healthcheck_and_volume() -> None:
    neo4j = COMPOSE["services"]["neo4j"]
    assert neo4j["image"].split(":")[1].startswith("5")
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])
    assert any(v.endswith(":/data") for v in neo4j["volumes"]) and "neo4j-data" in COMPOSE["volumes"]


def test_api_environment_is_what_the_code_reads() -> None:
    api = COMPOSE["services"]["api"]
    env = api["environment"]
    assert set(env) <= set(ENVIRONMENT_VARIABLES), set(env) - set(ENVIRONMENT_VARIABLES)
    assert env["COPGRAPH_STORE"] == "neo4j" and env["NEO4J_URI"].startswith("bolt://neo4j:")
    assert api["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert (PROJECT_ROOT / api["build"] / "Dockerfile").exists()


def test_settings_read_every_documented_variable(monkeypatch) -> None:
    values = {"COPGRAPH_STORE": "neo4j", "COPGRAPH_DB": "x.lbdb", "NEO4J_URI": "bolt://h:7687", "NEO4J_USER": "u",
              "NEO4J_PASSWORD": "p", "COPGRAPH_API_TOKEN": "t", "COPGRAPH_BASE_IRI": "https://b.example/x",
              "COPGRAPH_CORS_ORIGINS": "https://a.example, https://b.example"}
    assert set(values) <= set(ENVIRONMENT_VARIABLES)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    s = Settings()
    assert (s.store, s.db_path, s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.tokens()) == (
        "neo4j", "x.lbdb", "bolt://h:7687", "u", "p", {"api-token": "t"})
    assert s.base_iri == "https://b.example/x/" and s.cors_origins == ("https://a.example", "https://b.example")
