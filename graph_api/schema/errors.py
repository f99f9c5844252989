"""Errors that reach a client say what is wrong and what kind of failure it is, never how the server is built.

Expected failures (bad arguments, unknown ids, limits, timeouts, a missing token, an unavailable
store) keep their message; anything else is masked to a generic message and logged server-side.

Every error leaves with `extensions.code`, assigned here and only here from what raised it, so a
front end can branch on the kind of failure (the names GraphQL tooling uses: Apollo's
`UNAUTHENTICATED`, `BAD_USER_INPUT`, `GRAPHQL_VALIDATION_FAILED`, ...). Code that knows better
(the document budget, the mission doors, the time budget) sets its own code, which is kept.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import OperationDefinitionNode
from graphql.error import GraphQLError, GraphQLSyntaxError
from strawberry.extensions import MaskErrors, ParserCache

from graph_api.rows import LoadError
from graph_api.schema.context import RequestTimedOut
from graph_api.store import QueryRejected, QueryTimeout, StoreUnavailable

VISIBLE = (GraphQLError, ValueError, PermissionError, LookupError, RequestTimedOut, StoreUnavailable, QueryTimeout,
           QueryRejected, LoadError)
INTERNAL_MESSAGE = "internal error; the request was logged"

# what raised the error -> its code; the first matching class wins (StoreUnavailable before LookupError etc.)
_CODE_OF_RAISED: tuple[tuple[type[BaseException] | tuple[type[BaseException], ...], str], ...] = (
    ((RequestTimedOut, QueryTimeout), "TIMEOUT"),
    (StoreUnavailable, "SERVICE_UNAVAILABLE"),
    (PermissionError, "UNAUTHENTICATED"),
    (LookupError, "NOT_FOUND"),
    ((ValueError, LoadError, GraphQLError), "BAD_USER_INPUT"),
)


class Forbidden(PermissionError):
    """The caller is known (a valid token) but may not do this."""


def code_of(error: GraphQLError) -> str:
    """The `extensions.code` of an error that did not bring its own."""
    if isinstance(error, GraphQLSyntaxError):
        return "GRAPHQL_PARSE_FAILED"
    original = error.original_error
    if original is None:
        # graphql-core's own validation (unknown field, wrong argument type) has no original error; an
        # error on a path without one was raised as a plain GraphQLError by a resolver: a bad argument
        return "BAD_USER_INPUT" if error.path else "GRAPHQL_VALIDATION_FAILED"
    if isinstance(original, Forbidden):
        return "FORBIDDEN"
    for raised, code in _CODE_OF_RAISED:
        if isinstance(original, raised):
            return code
    return "INTERNAL_SERVER_ERROR"


def _should_mask(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and not isinstance(original, VISIBLE)


def multiple_operations_error(document: object, provided_name: str | None) -> GraphQLError | None:
    """The spec's GetOperation: several operations and no `operationName` is an error, not "the first"."""
    operations = [d for d in getattr(document, "definitions", ()) if isinstance(d, OperationDefinitionNode)]
    if provided_name is None and len(operations) > 1:
        names = ", ".join(o.name.value for o in operations if o.name) or "anonymous"
        return GraphQLError(f"the document has {len(operations)} operations ({names}): say which one to run "
                            "with operationName", extensions={"code": "OPERATION_RESOLUTION_FAILURE"})
    return None


class MaskInternalErrors(MaskErrors):
    """Masks unexpected errors, then gives every error its `extensions.code`."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=_should_mask, error_message=INTERNAL_MESSAGE)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL_SERVER_ERROR"}
        return masked

    def _process_result(self, result: object) -> None:
        """As Strawberry's, without its `isinstance` against a runtime Protocol (a sixth of this hook's cost)."""
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined] - has errors, checked above

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        processed = super()._process_errors(errors)
        for error in processed:
            if not (error.extensions or {}).get("code"):
                error.extensions = {**(error.extensions or {}), "code": code_of(error)}
        return processed


class CodedParserCache(ParserCache):
    """ParserCache whose syntax errors carry `GRAPHQL_PARSE_FAILED`.

    The parse runs inside this hook; when it fails, Strawberry never finishes the operation hooks,
    so `MaskInternalErrors` never sees the error: it is coded here."""

    def on_parse(self) -> Iterator[None]:
        try:
            yield from super().on_parse()
        except GraphQLSyntaxError as exc:
            exc.extensions = {**(exc.extensions or {}), "code": code_of(exc)}
            raise
