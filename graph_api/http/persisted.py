"""Automatic persisted queries (Apollo's APQ protocol) and HTTP caching of GraphQL GET requests.

APQ: a client sends `extensions.persistedQuery = {version: 1, sha256Hash}` without the query;
if this server has seen the query it runs it, otherwise it answers `PERSISTED_QUERY_NOT_FOUND`
and the client sends the query once with the hash, which is checked (SHA-256 of the exact text)
and remembered. Queries are kept in memory, least recently used first out: a client that meets a
restarted server just sends the query again, which is what the protocol expects.

GET caching: a GraphQL GET without credentials reads the data every anonymous caller sees, so
its answer is determined by the data and the request. Its ETag is the SHA-256 of the server's
epoch (a random value per application start: counters restart with the process), the store's
write counter (`Store.data_version`, read before the query runs, so a write during the query
makes the next request revalidate) and the request (query hash, variables, operation name).
`If-None-Match` with that tag is answered 304 without running the query. Requests that carry
`Authorization` may see more (names of restricted people) and are `Cache-Control: private,
no-store`; answers with errors are never cached; mutations cannot be sent by GET at all.
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import threading
from collections import OrderedDict
from typing import Any

from graphql import GraphQLError
from starlette.requests import Request
from strawberry.http import GraphQLRequestData

MAX_PERSISTED = 2_000         # queries remembered per application
MAX_PERSISTED_CHARS = 100_000  # longer documents are not remembered (the document budget refuses them anyway)
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
NOT_FOUND = "PersistedQueryNotFound"


def apq_error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


class PersistedQueries:
    """Query texts by their SHA-256, least recently used first out; safe across threads."""

    def __init__(self, capacity: int = MAX_PERSISTED):
        self.capacity = capacity
        self._queries: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, digest: str) -> str | None:
        with self._lock:
            query = self._queries.get(digest)
            if query is not None:
                self._queries.move_to_end(digest)
            return query

    def put(self, digest: str, query: str) -> None:
        if len(query) > MAX_PERSISTED_CHARS:
            return
        with self._lock:
            self._queries[digest] = query
            self._queries.move_to_end(digest)
            while len(self._queries) > self.capacity:
                self._queries.popitem(last=False)


def persisted_queries(request: Request) -> PersistedQueries:
    state = request.app.state
    if not hasattr(state, "persisted_queries"):
        state.persisted_queries = PersistedQueries()
    return state.persisted_queries


def requested_hash(extensions: Any) -> str | GraphQLError | None:  # noqa: ANN401 - the request's JSON
    """The APQ hash the request names, None when it names none, or the error that its extension is."""
    if not isinstance(extensions, dict) or "persistedQuery" not in extensions:
        return None
    persisted = extensions["persistedQuery"]
    if not isinstance(persisted, dict) or persisted.get("version") != 1:
        return apq_error("PersistedQueryNotSupported: only persistedQuery version 1 is supported",
                         "PERSISTED_QUERY_NOT_SUPPORTED")
    digest = persisted.get("sha256Hash")
    if not isinstance(digest, str) or not _SHA256.match(digest):
        return apq_error("persistedQuery.sha256Hash must be 64 lower-case hexadecimal digits", "BAD_USER_INPUT")
    return digest


def resolve(queries: PersistedQueries, data: GraphQLRequestData) -> GraphQLRequestData | GraphQLError:
    """The request with its query filled in from the hash, or the APQ error to answer."""
    digest = requested_hash(data.extensions)
    if digest is None or isinstance(digest, GraphQLError):
        return data if digest is None else digest
    if data.query is None:
        known = queries.get(digest)
        if known is None:
            return apq_error(NOT_FOUND, "PERSISTED_QUERY_NOT_FOUND")
        data.query = known
        return data
    if hashlib.sha256(data.query.encode("utf-8")).hexdigest() != digest:
        return apq_error("provided sha256Hash does not match the query", "BAD_USER_INPUT")
    queries.put(digest, data.query)
    return data


# ---- GET caching ----------------------------------------------------------------------------
def epoch(request: Request) -> str:
    state = request.app.state
    if not hasattr(state, "graphql_epoch"):
        state.graphql_epoch = secrets.token_hex(8)
    return state.graphql_epoch


def get_etag(request: Request, version: Any) -> str | None:  # noqa: ANN401 - Store.data_version
    """The ETag of an anonymous GraphQL GET at data `version`, or None when it must not be cached."""
    if request.method != "GET" or "authorization" in request.headers or version is None:
        return None
    params = request.query_params
    query = params.get("query")
    if query is not None:
        named = hashlib.sha256(query.encode("utf-8")).hexdigest()
    else:
        try:
            named = requested_hash(json.loads(params.get("extensions") or "null"))
        except ValueError:
            return None
        if not isinstance(named, str):
            return None
    key = json.dumps([epoch(request), repr(version), named, params.get("variables") or "",
                      params.get("operationName") or ""])
    return '"' + hashlib.sha256(key.encode("utf-8")).hexdigest()[:40] + '"'


def matches(request: Request, etag: str) -> bool:
    given = request.headers.get("if-none-match")
    if given is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in given.split(",")}
    return "*" in tags or etag in tags
