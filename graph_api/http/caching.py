"""HTTP validators for linked-data responses: a strong ETag from the body, Last-Modified, 304s.

Harvesters (GovData, data.europa.eu) and caches revisit the same IRIs again and again; a
conditional request that finds nothing changed should cost a hash, not a transfer. The ETag is
the SHA-256 of the exact bytes sent, so it changes whenever the representation does (also per
negotiated format). Last-Modified is the time of the last write this server saw (or its start),
which is never earlier than the real change; `If-None-Match` wins over `If-Modified-Since`
(RFC 9110 section 13.2.2).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request
from fastapi.responses import Response

# descriptions change with the data; vocabulary documents with a release
DATA_MAX_AGE = 300
VOCABULARY_MAX_AGE = 3600


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since and last_modified is not None:
        try:
            return last_modified.replace(microsecond=0) <= parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
    return False


def cached_response(request: Request, body: str | bytes, media_type: str, headers: dict[str, str], *,
                    last_modified: datetime | None = None, max_age: int = DATA_MAX_AGE) -> Response:
    """`body` with ETag/Last-Modified/Cache-Control; 304 when the client's copy is current; no body for HEAD."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    etag = etag_of(data)
    headers = {**headers, "ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    if _not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    if request.method == "HEAD":
        return Response(media_type=media_type, headers={**headers, "Content-Length": str(len(data))})
    return Response(data, media_type=media_type, headers=headers)
