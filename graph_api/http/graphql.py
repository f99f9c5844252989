"""POST and GET /graphql (and GraphiQL on GET /graphql), with a per-request context.

Automatic persisted queries (Apollo APQ) and ETags for GET answers: `graph_api.http.persisted`.

The context carries whether the caller presented the API token (mutations and restricted
personal data need it), a time budget, and fresh DataLoaders. A store outage becomes HTTP 503
with a clear GraphQL error, so clients and load balancers can tell it from a bad query.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import HTTPException  # what Strawberry's views raise and answer for a bad request
from fastapi import Request, Response
from graphql import GraphQLError
from strawberry import UNSET
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.types import ExecutionResult

from graph_api.http import persisted
from graph_api.http.deps import caller_of, get_settings, get_store
from graph_api.http.json_body import BadJsonBody, decode_request_json
from graph_api.schema import schema
from graph_api.schema.context import GraphContext
from graph_api.store import StoreUnavailable


async def context_getter(request: Request, response: Response) -> GraphContext:
    # The response FastAPI made for this request: its status is this request's alone. Strawberry's
    # router keeps only the last request's response on itself, shared by all requests in flight.
    request.state.graphql_response = response
    settings, caller = get_settings(request), caller_of(request)
    return GraphContext(store=get_store(request), authorised=caller is not None,
                        timeout_ms=settings.graphql_timeout_ms, base_iri=settings.base_iri,
                        caller=caller or "anonymous")


class CopgraphGraphQLRouter(GraphQLRouter):
    def decode_json(self, data: str | bytes) -> object:
        try:
            return decode_request_json(data)
        except BadJsonBody as exc:
            raise HTTPException(400, str(exc)) from None

    async def get_sub_response(self, request: Request) -> Response:
        return request.state.graphql_response

    async def execute_single(self, request: Request, request_adapter: Any, sub_response: Response, context: Any,
                             root_value: Any, request_data: GraphQLRequestData) -> ExecutionResult:
        """Fills a persisted query in from its hash (APQ) before running it, or answers the APQ error."""
        resolved = persisted.resolve(persisted.persisted_queries(request), request_data)
        if isinstance(resolved, GraphQLError):
            return ExecutionResult(data=None, errors=[resolved])
        return await super().execute_single(request=request, request_adapter=request_adapter,
                                            sub_response=sub_response, context=context, root_value=root_value,
                                            request_data=resolved)

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:  # noqa: ANN401
        """GET answers carry an ETag (anonymous, error-free) and a matching If-None-Match is a 304 without
        running the query; see `graph_api.http.persisted` for what the tag covers."""
        if not isinstance(request, Request) or request.method != "GET" or self.should_render_graphql_ide(
                self.request_adapter_class(request)):
            return await super().run(request, context=context, root_value=root_value)
        etag = persisted.get_etag(request, get_store(request).data_version())
        cached = {"ETag": etag, "Cache-Control": "public, no-cache", "Vary": "Authorization"} if etag else {}
        if etag and persisted.matches(request, etag):
            return Response(status_code=304, headers=cached)
        response = await super().run(request, context=context, root_value=root_value)
        if etag and response.status_code == 200 and not json.loads(response.body).get("errors"):
            response.headers.update(cached)
        else:
            response.headers["Cache-Control"] = "private, no-store"
            response.headers["Vary"] = "Authorization"
        return response

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if any(isinstance(getattr(e, "original_error", None), StoreUnavailable) for e in result.errors or ()):
            request.state.graphql_response.status_code = 503
        return await super().process_result(request, result)

    async def render_graphql_ide(self, request: Request) -> Any:  # noqa: ANN401 - framework type
        from graph_api.http.graphiql import page

        return page()


router = CopgraphGraphQLRouter(schema, path="/graphql", context_getter=context_getter)
