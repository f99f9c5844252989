"""POST and GET /graphql (and GraphiQL on GET /graphql) as one plain Starlette endpoint.

Why not Strawberry's FastAPI router: for one entity, FastAPI's route matching over every router
and its dependency injection, then Strawberry's generic view (content-type parsing through
`email.message`, request adapters, websocket and streaming branches this API has no use for) cost
more CPU than executing the query (measured in `docs/benchmarks.md`). This endpoint does only what
the API promises, in the order a request needs it:

- GET with neither `query` nor `extensions` from a browser (Accept `text/html` or `*/*`) is the
  GraphiQL page; other methods are 405; a POST must be `application/json` (400 otherwise).
- The body (or the GET parameters `variables` / `extensions`) is decoded by
  `graph_api.http.json_body`, which answers 400 for bad JSON, NaN, 5,000-digit integers and deep
  nesting; a body that is not one JSON object, or fields of the wrong type, are 400 too
  (batching is off).
- Automatic persisted queries (APQ) and ETags for anonymous GET answers: `graph_api.http.persisted`.
- The context carries whether the caller presented the API token (mutations and restricted
  personal data need it) and the request's time budget; the schema runs the operation off the
  server's event loop within that budget (`graph_api.schema.deadline`).
- A store outage is HTTP 503 with a clear GraphQL error, so clients and load balancers can tell
  it from a bad query; the status is this request's own (nothing is shared between requests).
- Mutations are refused on GET (400), as the GraphQL-over-HTTP convention requires.
"""

from __future__ import annotations

import json
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send
from strawberry.exceptions import MissingQueryError
from strawberry.http import GraphQLRequestData, process_result
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.graphql import OperationType

from graph_api.http import persisted
from graph_api.http.deps import caller_of, get_settings, get_store
from graph_api.http.json_body import BadJsonBody, decode_request_json
from graph_api.schema import schema
from graph_api.schema.context import GraphContext
from graph_api.store import StoreUnavailable

PATH = "/graphql"
ALLOWED_OPERATIONS: dict[str, set[OperationType]] = {
    "GET": {OperationType.QUERY},  # a GET must never change anything, and it may be cached
    "POST": {OperationType.QUERY, OperationType.MUTATION},
}
_NOT_CACHEABLE = {"Cache-Control": "private, no-store", "Vary": "Authorization"}


class BadRequest(Exception):
    """A request this endpoint refuses before running anything; the message is the answer's body."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


def _json(text: str | bytes) -> object:
    try:
        return decode_request_json(text)
    except BadJsonBody as exc:
        raise BadRequest(400, str(exc)) from None


def wants_graphiql(request: Request) -> bool:
    """A browser opening /graphql: a GET that asks no question and accepts HTML.

    Strawberry's rule looks only at `query`, so an APQ GET by hash from curl (`Accept: */*`) got the
    page instead of its answer; a GET that names a persisted query is a question too."""
    params = request.query_params
    accept = request.headers.get("accept", "")
    return ("query" not in params and "extensions" not in params
            and ("text/html" in accept or "*/*" in accept))


async def _fields(request: Request) -> dict[str, Any]:
    """The request's GraphQL fields: the GET parameters or the JSON object of a POST body."""
    if request.method == "GET":
        params = request.query_params
        data: dict[str, Any] = {"query": params.get("query"), "operationName": params.get("operationName")}
        for name in ("variables", "extensions"):
            if params.get(name):
                data[name] = _json(params[name])
        return data
    media_type = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media_type != "application/json":
        raise BadRequest(400, "Unsupported content type: send the request as application/json")
    body = _json(await request.body())
    if isinstance(body, list):
        raise BadRequest(400, "Batching is not enabled: send one operation per request")
    if not isinstance(body, dict):
        raise BadRequest(400, "The request body must be a JSON object with a `query`")
    return body


def request_data(fields: dict[str, Any]) -> GraphQLRequestData:
    """The operation the fields describe; 400 for a field of the wrong JSON type."""
    for name, kind, spelled in (("query", str, "a string"), ("operationName", str, "a string"),
                                ("variables", dict, "an object"), ("extensions", dict, "an object")):
        if fields.get(name) is not None and not isinstance(fields[name], kind):
            raise BadRequest(400, f"The GraphQL operation's `{name}` must be {spelled} or null, if provided.")
    return GraphQLRequestData(query=fields.get("query"), variables=fields.get("variables"),
                              operation_name=fields.get("operationName"), extensions=fields.get("extensions"),
                              protocol="http")


def context_for(request: Request) -> GraphContext:
    """A fresh context per request: the caller's rights, the time budget and new DataLoaders."""
    settings, caller = get_settings(request), caller_of(request)
    return GraphContext(store=get_store(request), authorised=caller is not None,
                        timeout_ms=settings.graphql_timeout_ms, base_iri=settings.base_iri,
                        caller=caller or "anonymous")


async def execute(request: Request, data: GraphQLRequestData) -> ExecutionResult:
    """Runs the operation (after filling a persisted query in from its hash), or answers the APQ error."""
    resolved = persisted.resolve(persisted.persisted_queries(request), data)
    if isinstance(resolved, GraphQLError):
        return ExecutionResult(data=None, errors=[resolved])
    try:
        return await schema.execute(resolved.query, variable_values=resolved.variables,
                                    context_value=context_for(request), operation_name=resolved.operation_name,
                                    allowed_operation_types=ALLOWED_OPERATIONS[request.method],
                                    operation_extensions=resolved.extensions)
    except CannotGetOperationTypeError as exc:
        raise BadRequest(400, exc.as_http_error_reason()) from None
    except InvalidOperationTypeError as exc:
        raise BadRequest(400, exc.as_http_error_reason(request.method)) from None
    except MissingQueryError:
        raise BadRequest(400, "No GraphQL query found in the request") from None


def status_of(result: ExecutionResult) -> int:
    """503 when the store was unavailable (retry later), else 200: GraphQL errors travel in the body."""
    unavailable = any(isinstance(getattr(e, "original_error", None), StoreUnavailable) for e in result.errors or ())
    return 503 if unavailable else 200


async def _answer(request: Request) -> Response:
    if request.method not in ALLOWED_OPERATIONS:
        raise BadRequest(405, "GraphQL only supports GET and POST requests.", {"Allow": "GET, POST"})
    if request.method == "GET" and wants_graphiql(request):
        from graph_api.http.graphiql import page

        return page()
    data = request_data(await _fields(request))
    if request.method == "POST":
        result = await execute(request, data)
        return Response(_encode(result), status_code=status_of(result), media_type="application/json")
    # GET answers carry an ETag (anonymous, error-free) and a matching If-None-Match is a 304 without
    # running the query; see `graph_api.http.persisted` for what the tag covers
    etag = persisted.get_etag(request, get_store(request).data_version())
    cached = {"ETag": etag, "Cache-Control": "public, no-cache", "Vary": "Authorization"} if etag else {}
    if etag and persisted.matches(request, etag):
        return Response(status_code=304, headers=cached)
    result = await execute(request, data)
    status = status_of(result)
    headers = cached if etag and status == 200 and not result.errors else _NOT_CACHEABLE
    return Response(_encode(result), status_code=status, media_type="application/json", headers=headers)


def _encode(result: ExecutionResult) -> bytes:
    return json.dumps(process_result(result), separators=(",", ":")).encode("utf-8")


async def graphql(request: Request) -> Response:
    """The /graphql endpoint; a refused request is answered in plain text with its status."""
    try:
        return await _answer(request)
    except BadRequest as exc:
        headers = exc.headers | (_NOT_CACHEABLE if request.method == "GET" else {})
        return PlainTextResponse(exc.message, status_code=exc.status, headers=headers)


class GraphQLApp:
    """The endpoint as a bare ASGI app (Starlette wraps plain functions, and lets only GET through):
    every method reaches it, methods other than GET and POST get their 405 with the reason here."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await graphql(Request(scope, receive))
        await response(scope, receive, send)


route = Route(PATH, GraphQLApp(), include_in_schema=False)
"""Mounted by `graph_api.app` ahead of the FastAPI routers, so /graphql is the first path tried."""
