"""Print the served schema as SDL: `python -m graph_api.schema.sdl > graph_api/schema.graphql`.

The committed `graph_api/schema.graphql` is what front-end teams code against; a test fails when
it differs from the served schema or drops anything of the fixed contract core.
"""

from __future__ import annotations

from pathlib import Path

from graph_api.schema import schema

SDL_PATH = Path(__file__).resolve().parent.parent / "schema.graphql"


def served_sdl() -> str:
    return schema.as_str().rstrip() + "\n"


if __name__ == "__main__":
    print(served_sdl(), end="")
