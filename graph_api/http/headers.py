"""Security headers on every response: the browser runs only copgraph's own files, in no frame.

The Explorer and GraphiQL are static files served by copgraph itself (no CDN, no inline script
or style), so one strict Content-Security-Policy fits every page: scripts, styles, images, fonts
and requests from this origin only, no plugins, no `<base>` tricks, no framing. Even if a stored
value slipped past input checks and into the DOM as markup or as a `javascript:` link, the
browser would refuse to run it. A response that sets one of these headers itself keeps its own.

The headers go on every response, not only HTML: `nosniff` keeps a JSON or RDF answer from
being run as script, and the rest costs nothing on non-HTML answers. An answer to a request that
carries `Authorization` may hold restricted personal data (GraphQL also answers GET), so it gets
`Cache-Control: no-store`, replacing whatever the handler chose.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

DIRECTIVES: dict[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
CSP_HEADER = "content-security-policy"


def csp(directives: dict[str, str] = DIRECTIVES) -> str:
    return "; ".join(f"{name} {value}" for name, value in directives.items())


HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (CSP_HEADER.encode(), csp().encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),  # for browsers that ignore frame-ancestors
    (b"referrer-policy", b"no-referrer"),  # node ids in Explorer URLs stay on this site
    (b"cross-origin-opener-policy", b"same-origin"),
)


class SecurityHeaders:
    """ASGI middleware adding `HEADERS` to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        personal = any(name == b"authorization" for name, _ in scope["headers"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if personal:  # an answer to a token may hold restricted data: no cache may keep it
                    headers = [(n, v) for n, v in headers if n.lower() != b"cache-control"]
                    headers.append((b"cache-control", b"no-store"))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in HEADERS if name not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    app.add_middleware(SecurityHeaders)
