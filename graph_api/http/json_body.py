"""Request bodies as JSON, with a 400 that says what is wrong instead of a 500.

`json.loads` on bytes raises UnicodeDecodeError for a body that is not UTF-8 and RecursionError
for arrays nested a few thousand deep; both escaped the GraphQL router's JSON handling and
answered 500. Every JSON body the service reads by hand goes through `decode_request_json`.
"""

from __future__ import annotations

import json


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
        return json.loads(data)
    except RecursionError:
        raise BadJsonBody("Unable to parse request body as JSON: arrays or objects are nested too deeply") from None
    except json.JSONDecodeError as exc:
        raise BadJsonBody(f"Unable to parse request body as JSON: {exc.msg} at line {exc.lineno}, "
                          f"column {exc.colno}") from None
