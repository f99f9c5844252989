"""POST /graphql (and GraphiQL on GET /graphql), with a per-request context.

The context carries whether the caller presented the API token (mutations and restricted
personal data need it), a time budget, and fresh DataLoaders. A store outage becomes HTTP 503
with a clear GraphQL error, so clients and load balancers can tell it from a bad query.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException  # what Strawberry's views raise and answer for a bad request
from fastapi import Request, Response
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

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

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        if any(isinstance(getattr(e, "original_error", None), StoreUnavailable) for e in result.errors or ()):
            request.state.graphql_response.status_code = 503
        return await super().process_result(request, result)

    async def render_graphql_ide(self, request: Request) -> Any:  # noqa: ANN401 - framework type
        from graph_api.http.graphiql import page

        return page()


router = CopgraphGraphQLRouter(schema, path="/graphql", context_getter=context_getter)
