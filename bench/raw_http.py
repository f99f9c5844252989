"""A lean HTTP/1.1 client for load generation: keep-alive connections, JSON in and out, nothing else.

Why not httpx: in `bench/mixed.py` httpx's async client spent 2.4 ms of CPU per request when
16 clients sent back to back, and 6.6 ms when 160 requests a second were paced over many
connections - more than the server spent answering them, on the same 2 cores. The benchmark
then measured its own clients. This client writes a request and reads `Content-Length` bytes
back (what uvicorn sends for every JSON answer), costing a small fraction of that; a
response without a length, or anything unexpected, is an error with its text, never a guess.

The server closes a keep-alive connection after 5 s idle (uvicorn's default); connections idle
longer than `IDLE_S` are not reused, and a reused one the server closed before it read the
request (end of stream, nothing received) is replaced once by a new one.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

IDLE_S = 3.0


class HttpError(Exception):
    """The connection failed or the answer was not an HTTP/1.1 response this client reads."""


@dataclass
class Response:
    status_code: int
    text: str

    def json(self) -> Any:  # noqa: ANN401 - whatever the server sent
        return json.loads(self.text)


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer
        self.idle_since = time.monotonic()

    async def exchange(self, request: bytes) -> tuple[Response, bool]:
        """Send one request, read its response; also whether the server keeps the connection open."""
        self.writer.write(request)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise HttpError(f"not an HTTP/1.1 status line: {lines[0][:80]!r}")
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" not in headers:
            raise HttpError(f"status {parts[1]} without Content-Length (headers: {sorted(headers)})")
        body = await self.reader.readexactly(int(headers["content-length"]))
        return (Response(int(parts[1]), body.decode("utf-8", errors="replace")),
                headers.get("connection", "").lower() != "close")

    def close(self) -> None:
        self.writer.close()


class Client:
    """POSTs JSON to one server over a pool of keep-alive connections, opened as requests need them."""

    def __init__(self, base: str):
        url = urlsplit(base)
        if url.scheme != "http" or not url.hostname:
            raise ValueError(f"only plain http://host:port is supported, not {base}")
        self.host, self.port = url.hostname, url.port or 80
        self._idle: list[_Connection] = []

    async def post(self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
        payload = json.dumps(body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        request = (f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nContent-Type: application/json\r\n"
                   f"Content-Length: {len(payload)}\r\n{extra}\r\n").encode() + payload
        connection = self._reusable()
        if connection is not None:
            try:
                return await self._exchange(connection, request)
            except HttpError as exc:
                if not isinstance(exc.__cause__, asyncio.IncompleteReadError) or exc.__cause__.partial:
                    raise
                # closed by the server while idle, before it read anything: the request was not seen
        try:
            fresh = _Connection(*await asyncio.open_connection(self.host, self.port))
        except OSError as exc:
            raise HttpError(f"cannot connect: {exc}") from exc
        return await self._exchange(fresh, request)

    def _reusable(self) -> _Connection | None:
        now = time.monotonic()
        while self._idle:
            connection = self._idle.pop()  # the most recently used first
            if now - connection.idle_since < IDLE_S:
                return connection
            connection.close()
        return None

    async def _exchange(self, connection: _Connection, request: bytes) -> Response:
        try:
            response, keep = await connection.exchange(request)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError) as exc:
            connection.close()
            raise HttpError(f"{type(exc).__name__}: {exc}") from exc
        except BaseException:
            connection.close()
            raise
        if keep:
            connection.idle_since = time.monotonic()
            self._idle.append(connection)
        else:
            connection.close()
        return response

    async def close(self) -> None:
        while self._idle:
            self._idle.pop().close()
