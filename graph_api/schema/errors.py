"""Errors that reach a client say what is wrong, never how the server is built.

Expected failures (bad arguments, unknown ids, limits, timeouts, a missing token, an unavailable
store) keep their message; anything else is masked to a generic message and logged server-side.
"""

from __future__ import annotations

from graphql.error import GraphQLError
from strawberry.extensions import MaskErrors

from graph_api.rows import LoadError
from graph_api.schema.context import RequestTimedOut
from graph_api.store import QueryRejected, QueryTimeout, StoreUnavailable

VISIBLE = (GraphQLError, ValueError, PermissionError, LookupError, RequestTimedOut, StoreUnavailable, QueryTimeout,
           QueryRejected, LoadError)


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, VISIBLE)


class MaskInternalErrors(MaskErrors):
    def __init__(self) -> None:
        super().__init__(should_mask_error=_should_mask,
                         error_message="internal error; the request was logged")
