"""Liveness and readiness: `/healthz` while the process runs, `/readyz` while the store answers."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from graph_api.http.deps import StoreDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(store: StoreDep) -> JSONResponse:
    if store.health():
        return JSONResponse({"status": "ready", "store": store.dialect})
    return JSONResponse({"status": "unavailable", "store": store.dialect}, status_code=503)
