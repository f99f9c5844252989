"""Why a mission question cannot be answered: an id that names nothing, or the wrong kind of thing.

Each door translates these once: GraphQL into an error with `extensions.code` (`NOT_FOUND`,
`BAD_USER_INPUT`), the named queries into HTTP 422 naming the parameter.
"""

from __future__ import annotations


class MissionInputError(ValueError):
    code = "BAD_USER_INPUT"

    def __init__(self, argument: str, message: str):
        super().__init__(message)
        self.argument = argument


class NotFound(MissionInputError):
    code = "NOT_FOUND"


class BadInput(MissionInputError):
    code = "BAD_USER_INPUT"
