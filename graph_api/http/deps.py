"""Shared FastAPI dependencies: the store, the settings and the caller's authorisation."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request

from graph_api.config import Settings
from graph_api.store import Store


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def is_authorised(request: Request) -> bool:
    """True when the request carries `Authorization: Bearer <COPGRAPH_API_TOKEN>` (constant-time compare)."""
    token = request.app.state.settings.api_token
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AuthorisedDep = Annotated[bool, Depends(is_authorised)]
