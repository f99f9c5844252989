"""One settings object, read from the environment when it is made, never at import time."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from graph_api.app import create_app
from graph_api.config import ENVIRONMENT_VARIABLES, PROJECT_ROOT, Settings
from graph_api.store import Store


def test_the_environment_is_read_when_settings_are_made(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    monkeypatch.setenv("COPGRAPH_SAMPLE_DIR", str(tmp_path))  # after graph_api.config was imported
    monkeypatch.setenv("COPGRAPH_POOL_READERS", "3")
    settings = Settings()
    assert settings.sample_dir == tmp_path and settings.pool_readers == 3


def test_a_bad_value_stops_the_start_naming_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COPGRAPH_RATE_LIMIT", "fast")
    with pytest.raises(ValidationError, match="rate_limit"):
        Settings()


def test_every_field_has_one_environment_variable() -> None:
    assert len(ENVIRONMENT_VARIABLES) == len(set(ENVIRONMENT_VARIABLES)) == len(Settings.model_fields)
    assert {"COPGRAPH_DB", "NEO4J_URI", "COPGRAPH_API_TOKEN", "COPGRAPH_RATE_LIMIT"} <= set(ENVIRONMENT_VARIABLES)


def test_tokens_have_one_home_and_never_show_in_a_repr() -> None:
    settings = Settings(api_token="s3cret-token")
    assert settings.tokens() == {"api-token": "s3cret-token"}
    assert "s3cret-token" not in repr(settings) and Settings(api_token="").tokens() == {}


def test_a_running_app_keeps_the_settings_it_started_with(pilot_store: Store, monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    http = TestClient(create_app(Settings(api_token="token-at-start", rate_limit=0), store=pilot_store))
    monkeypatch.setenv("COPGRAPH_API_TOKEN", "token-set-later")
    ask = {"query": "MATCH (n:Award) RETURN count(n) AS c"}
    assert http.post("/cypher", json=ask, headers={"Authorization": "Bearer token-at-start"}).status_code == 200
    assert http.post("/cypher", json=ask, headers={"Authorization": "Bearer token-set-later"}).status_code == 401


def test_importing_the_service_reads_no_environment() -> None:
    """A bad value breaks `Settings()`, not the import: nothing made settings while the modules loaded.

    Run in a fresh interpreter, since this one imported everything long ago."""
    bad = {**os.environ, "COPGRAPH_RATE_LIMIT": "fast", "COPGRAPH_POOL_READERS": "-1",
           "COPGRAPH_QUERY_WORKER_PRIORITY": "urgent"}
    probe = ("import graph_api.config, graph_api.app, graph_api.cli, graph_api.sandbox, graph_api.http.queries\n"
             "from graph_api.config import Settings\n"
             "try:\n    Settings()\nexcept Exception as exc:\n    print(type(exc).__name__, exc)\n")
    done = subprocess.run([sys.executable, "-c", probe], env=bad, cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.startswith("ValidationError")
    assert all(name in done.stdout for name in ("rate_limit", "pool_readers", "query_worker_priority"))
