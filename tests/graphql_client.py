"""A tiny GraphQL client over FastAPI's TestClient, shared by the API tests."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.store import Store

TOKEN = "test-token-0123456789"


class GraphQLClient:
    def __init__(self, store: Store, **settings: Any):
        self.app = create_app(Settings(api_token=TOKEN, **settings), store=store)
        self.http = TestClient(self.app)

    def post(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    def data(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        response = self.post(query, variables, token)
        body = response.json()
        assert response.status_code == 200 and not body.get("errors"), body
        return body["data"]

    def errors(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> list[str]:
        body = self.post(query, variables, token).json()
        assert body.get("errors"), body
        return [e["message"] for e in body["errors"]]
