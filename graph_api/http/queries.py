"""The analysts' queries over HTTP: the named library (`GET /queries`, `POST /queries/{name}`) and
ad-hoc read-only Cypher (`POST /cypher`, API token required).

Every query passes the allow-list guard (`graph_api/store/guard.py`; refused: 403) and then, on
LadybugDB, runs in a supervised worker process on a copy of the database (`graph_api/sandbox`),
so a query that crashes the engine ends that worker, not the service (400). A query past its
time limit is cancelled (504), one that finds every worker busy and as many queries waiting is
refused at once (503 with Retry-After; waiting counts against its time limit), a result
longer than the row limit is cut and flagged (`truncated: true`), and a parameter that does
not fit its declaration is refused with its name (400).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Body, HTTPException, Request
from pydantic import BaseModel, Field

from graph_api import policy
from graph_api.http.deps import AuthorisedDep, StoreDep, get_settings, get_store
from graph_api.query_library import (
    ParameterError,
    ReadOnlyRunner,
    UnknownQuery,
    get_query,
    load_library,
    run_named,
)
from graph_api.sandbox import QueryWorkersBusy, runner_for
from graph_api.store import QueryRejected, QueryTimeout, ReadResult, StoreUnavailable

router = APIRouter(tags=["queries"])
BUSY_RETRY_AFTER_S = 5  # when every analysts' query worker is busy and as many queries wait


class CypherRequest(BaseModel):
    query: str = Field(min_length=1, description="one read-only Cypher statement in the store's dialect")
    params: dict[str, Any] = Field(default_factory=dict)
    max_rows: int | None = Field(default=None, ge=1, description="at most the server's row limit")


class QueryResult(BaseModel):
    columns: list[str]
    rows: list[dict[str, Any]]
    truncated: bool


def _limits(request: Request) -> tuple[int, int]:
    settings = get_settings(request)
    return settings.query_timeout_ms, settings.query_max_rows


def _answer(result: ReadResult) -> QueryResult:
    return QueryResult(columns=result.columns, rows=result.rows, truncated=result.truncated)


def _runner(request: Request) -> ReadOnlyRunner:
    settings = get_settings(request)
    return runner_for(get_store(request), workers=settings.pool_analysts, priority=settings.query_worker_priority)


def _run(run: Callable[[], ReadResult]) -> QueryResult:
    """Run a query and turn its failure into the HTTP answer that says what happened."""
    try:
        return _answer(run())
    except ParameterError as exc:
        raise HTTPException(400, detail={"parameter": exc.param, "message": str(exc)}) from None
    except QueryRejected as exc:
        raise HTTPException(403, detail=str(exc)) from None
    except QueryTimeout as exc:
        raise HTTPException(504, detail=str(exc)) from None
    except QueryWorkersBusy as exc:  # a burst of analysts' queries: the client may come back shortly
        raise HTTPException(503, detail=str(exc), headers={"Retry-After": str(BUSY_RETRY_AFTER_S)}) from None
    except StoreUnavailable as exc:
        raise HTTPException(503, detail=str(exc)) from None
    except Exception as exc:  # noqa: BLE001 - the engine's message (syntax, unknown label) or a crashed worker
        raise HTTPException(400, detail=f"the query failed: {str(exc).strip()}") from None


@router.get("/queries")
def list_queries(store: StoreDep) -> dict[str, list[dict[str, Any]]]:
    """The named queries available for the active store, with their parameters and columns."""
    return {"queries": [q.describe() for q in load_library().values() if store.dialect in q.dialects]}


@router.post("/queries/{name}", response_model=QueryResult)
def run_query(name: str, request: Request, store: StoreDep, authorised: AuthorisedDep,
              params: dict[str, Any] | None = Body(default=None)) -> QueryResult:  # noqa: B008 - FastAPI idiom
    """Run a named query; the JSON body is an object of its parameters (omitted ones take their defaults).
    Actors in the rows are shown as the caller may see them (`graph_api.policy`)."""
    try:
        query = get_query(name)
        query.text_for(store.dialect)
    except UnknownQuery as exc:
        raise HTTPException(404, detail=exc.args[0]) from None
    timeout_ms, max_rows = _limits(request)
    viewer = policy.TOKEN_HOLDER if authorised else policy.ANONYMOUS
    return _run(lambda: run_named(store, query, params or {}, viewer=viewer, runner=_runner(request),
                                  timeout_ms=timeout_ms, max_rows=max_rows))


@router.post("/cypher", response_model=QueryResult)
def run_cypher(body: CypherRequest, request: Request, store: StoreDep, authorised: AuthorisedDep) -> QueryResult:
    """Ad-hoc read-only Cypher for holders of the API token (`Authorization: Bearer …`).

    Its rows are not filtered by the personal-data rule: only token holders get here, and the rule
    shows them everything (SECURITY.md, "Personal data")."""
    if not authorised:
        raise HTTPException(401, detail="ad-hoc Cypher needs the API token (Authorization: Bearer <token>)",
                            headers={"WWW-Authenticate": "Bearer"})
    timeout_ms, max_rows = _limits(request)
    return _run(lambda: _runner(request).read_only(body.query, body.params, timeout_ms=timeout_ms,
                                                   max_rows=min(body.max_rows or max_rows, max_rows)))
