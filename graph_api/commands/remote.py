"""The analysts' commands against a running server, when its LadybugDB file is locked by it.

One process may open a LadybugDB file (a second one, even read-only, fails with "Could not set
lock on file"), so while `copgraph serve` runs, `copgraph query`, `cypher` and `export` cannot
open the database themselves. They then ask the server over its HTTP API instead: the same
read-only paths (`POST /queries/{name}`, `POST /cypher`, `GET /export`), the same time and row
limits, with the API token from the settings. `--server URL` asks a server without trying the
file first; otherwise COPGRAPH_SERVER_URL, else the address the server announced beside the file
(`server_address`). Only the standard library is used: the CLI needs no HTTP client dependency.
"""

from __future__ import annotations

import codecs
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

from graph_api.commands.server_address import DEFAULT_URL, announced_url
from graph_api.config import API_TOKEN_NAME, Settings
from graph_api.store import ReadResult, Store, StoreUnavailable, open_store

TIMEOUT_S = 120


class RemoteError(RuntimeError):
    """The server refused or could not answer; the message says why, in the server's words."""


class RemoteServer:
    def __init__(self, url: str, token: str | None):
        self.url = url.rstrip("/")
        self.token = token

    def _request(self, method: str, path: str, body: Any = None) -> Any:  # noqa: ANN401 - a response object
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(f"{self.url}{path}", data=data, headers=headers, method=method)
        try:
            return urllib.request.urlopen(request, timeout=TIMEOUT_S)  # noqa: S310 - the configured server
        except urllib.error.HTTPError as exc:
            raise RemoteError(f"the server at {self.url} answered {exc.code}: {_detail(exc)}") from None
        except urllib.error.URLError as exc:
            raise RemoteError(f"cannot reach a copgraph server at {self.url}: {exc.reason}") from None

    def _result(self, method: str, path: str, body: Any, max_rows: int) -> ReadResult:  # noqa: ANN401
        with self._request(method, path, body) as response:
            answer = json.load(response)
        rows = answer["rows"]
        return ReadResult(answer["columns"], rows[:max_rows], answer["truncated"] or len(rows) > max_rows)

    def close(self) -> None:
        """Nothing is held between requests."""

    def named(self, name: str, params: dict[str, Any], *, max_rows: int) -> ReadResult:
        return self._result("POST", f"/queries/{urllib.parse.quote(name)}", params, max_rows)

    def cypher(self, query: str, params: dict[str, Any], *, max_rows: int) -> ReadResult:
        return self._result("POST", "/cypher", {"query": query, "params": params, "max_rows": max_rows}, max_rows)

    def export(self, fmt: str) -> Iterator[str]:
        decoder = codecs.getincrementaldecoder("utf-8")()  # a character may straddle two reads
        with self._request("GET", f"/export?format={urllib.parse.quote(fmt)}") as response:
            while chunk := response.read(1 << 16):
                yield decoder.decode(chunk)
        yield decoder.decode(b"", final=True)


def _detail(exc: urllib.error.HTTPError) -> str:
    try:
        body = json.loads(exc.read() or b"{}")
    except ValueError:
        return exc.reason
    detail = body.get("detail") or body.get("errors") or exc.reason
    return detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)


def _locked(exc: StoreUnavailable) -> bool:
    return "lock" in str(exc).lower()


def open_target(settings: Settings, server: str | None) -> Store | RemoteServer:
    """The store itself, or the running server that holds its file (or the one `--server` names)."""
    tokens = settings.tokens()  # the single token, else the first named one (COPGRAPH_API_TOKENS)
    token = tokens.get(API_TOKEN_NAME) or next(iter(tokens.values()), None)
    url = server or settings.server_url
    if url is None and settings.store == "ladybug":
        url = announced_url(settings.db_path)
    remote = RemoteServer(url or DEFAULT_URL, token)
    if server:
        return remote
    try:
        return open_store(settings)
    except StoreUnavailable as exc:
        if settings.store != "ladybug" or not _locked(exc):
            raise
        print(f"copgraph: {settings.db_path} is held by a running server; asking it at {remote.url}",
              file=sys.stderr)
        return remote
