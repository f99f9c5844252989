"""Request bodies as JSON, with a 400 that says what is wrong instead of a 500.

`json.loads` on bytes raises UnicodeDecodeError for a body that is not UTF-8, RecursionError
for arrays nested a few thousand deep and ValueError for an integer of more than 4,300 digits;
all three escaped the GraphQL router's JSON handling and
answered 500. Every JSON body the service reads by hand goes through `decode_request_json`.
"""

from __future__ import annotations

import json

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


class BadJsonBody(ValueError):
    """A request body that is not UTF-8, not JSON, or nested too deeply; the message says which."""


def decode_request_json(data: str | bytes) -> object:
    """The body as JSON; `BadJsonBody` with the offset of the problem otherwise."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise BadJsonBody("Unable to parse request body as JSON: it is not UTF-8 "
                              f"(byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None
    try:
        return json.loads(data, parse_constant=_no_constant)
    except RecursionError:
        raise BadJsonBody("Unable to parse request body as JSON: arrays or objects are nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise BadJsonBody(f"Unable to parse request body as JSON: {exc.msg} at line {exc.lineno}, "
                          f"column {exc.colno}") from None
    except ValueError as exc:  # an integer of more than 4,300 digits (Python's conversion limit), NaN
        raise BadJsonBody(f"Unable to parse request body as JSON: {str(exc)[:120]}") from None


def _no_constant(name: str) -> object:
    """NaN and Infinity are not JSON (RFC 8259); Python's parser accepts them unless told otherwise."""
    raise ValueError(f"{name} is not a JSON number")


def install(app: FastAPI) -> None:
    """Validation errors of FastAPI's own body parsing (`/cypher`, `/queries/*`) without the input.

    FastAPI's default answer echoes the offending input: a NaN or Infinity in the body then cannot be
    rendered as JSON (500), and a megabyte value would be sent back whole. The location, message and
    type say what is wrong."""

    async def refused(_request: Request, exc: Exception) -> JSONResponse:
        errors = exc.errors() if isinstance(exc, RequestValidationError) else []
        return JSONResponse({"detail": [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))[:300],
                                         "type": e.get("type")} for e in errors]}, status_code=422)

    app.add_exception_handler(RequestValidationError, refused)
