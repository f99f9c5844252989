"""One settings object, read from the environment when it is made, never at import time."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError

from graph_api.app import create_app
from graph_api.config import ENVIRONMENT_VARIABLES, Settings
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
