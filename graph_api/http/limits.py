"""HTTP-level limits: request body size, a per-client rate limit, and CORS when configured.

GraphQL has its own limits (depth, aliases, tokens, cost, `first` caps, a time budget; see
`graph_api.schema`); these ones apply before a request reaches any handler, so an oversized
or flooding client costs little. Both are plain ASGI middleware reading the app's settings
(`max_body_bytes`, `rate_limit`, `rate_burst`).

- Body size: `Content-Length` above the limit is refused at once with 413; a chunked body is
  counted while it arrives and refused as soon as it passes the limit.
- Rate: a token bucket per client address (`rate` requests per second, bursts up to `burst`);
  an empty bucket answers 429 with `Retry-After`. Health probes are never limited. Behind a
  reverse proxy, run uvicorn with `--proxy-headers` so the client address is the real one.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import OrderedDict

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from graph_api.config import Settings

EXEMPT_PATHS = ("/healthz", "/readyz")
MAX_TRACKED_CLIENTS = 10_000


async def _reply(send: Send, status: int, message: str, headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"errors": [{"message": message}]}).encode()
    raw = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    raw += [(k.encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = scope["app"].state.settings.max_body_bytes
        message = f"request body too large: the limit is {limit} bytes"
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await _reply(send, 413, message)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            event = await receive()
            if event["type"] == "http.request":
                seen += len(event.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return event

        async def tracking_send(event: Message) -> None:
            nonlocal started
            started = started or event["type"] == "http.response.start"
            await send(event)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except _TooLarge:
            if not started:
                await _reply(send, 413, message)


class _Buckets:
    """Token buckets per client key, the least recently seen dropped beyond a fixed number."""

    def __init__(self) -> None:
        self._state: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def take(self, key: str, rate: float, burst: int) -> float:
        """0 when a request may pass, else the seconds until one token is back."""
        now = time.monotonic()
        with self._lock:
            tokens, last = self._state.pop(key, (float(burst), now))
            tokens = min(float(burst), tokens + (now - last) * rate)
            wait = 0.0
            if tokens >= 1:
                tokens -= 1
            else:
                wait = (1 - tokens) / rate
            self._state[key] = (tokens, now)
            while len(self._state) > MAX_TRACKED_CLIENTS:
                self._state.popitem(last=False)
            return wait


class RateLimit:
    def __init__(self, app: ASGIApp):
        self.app = app
        self.buckets = _Buckets()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        settings: Settings | None = scope["app"].state.settings if scope["type"] == "http" else None
        if settings is None or settings.rate_limit <= 0 or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        rate, burst = settings.rate_limit, settings.rate_burst
        wait = self.buckets.take(client[0] if client else "unknown", rate, burst)
        if wait:
            await _reply(send, 429, f"rate limit exceeded: at most {rate:g} requests per second "
                         f"(bursts of {burst}) per client", {"retry-after": str(math.ceil(wait))})
            return
        await self.app(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Wire the limits (and CORS, only when origins are configured) into `app`."""
    app.add_middleware(BodySizeLimit)
    app.add_middleware(RateLimit)  # added last = runs first: a flood is refused before its body is read
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"], max_age=600)
