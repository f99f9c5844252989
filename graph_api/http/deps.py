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


def caller_of(request: Request) -> str | None:
    """The name of the token in `Authorization: Bearer <token>` (settings.tokens()), None without a valid one.

    Every configured token is compared in constant time, so the answer takes as long for any token."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        return None
    presented = given.strip().encode()
    found = None
    for name, secret in get_settings(request).tokens().items():
        if hmac.compare_digest(presented, secret.encode()):
            found = name
    return found


def is_authorised(request: Request) -> bool:
    """True when the request carries a token the service accepts."""
    return caller_of(request) is not None


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
AuthorisedDep = Annotated[bool, Depends(is_authorised)]
