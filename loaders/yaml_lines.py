"""YAML reading that keeps line numbers and refuses duplicate keys.

Plain `yaml.safe_load` forgets where a value came from and silently keeps the last of two
equal keys; curated files are edited by hand, so both would hide mistakes. Mappings come back
as `LineDict`s that remember the line of each key.
"""

from __future__ import annotations

from typing import Any

import yaml


class LineDict(dict):
    """A dict that knows the 1-based line of its start and of each key."""

    line: int
    key_lines: dict[str, int]


class DuplicateKey(yaml.YAMLError):
    def __init__(self, key: str, line: int, first_line: int):
        self.key, self.line, self.first_line = key, line, first_line
        super().__init__(f"duplicate key '{key}' (first on line {first_line})")


# Curated records nest three levels (file list, record, list of links); 32 leaves room and stops a
# hostile file long before Python's recursion limit.
MAX_DEPTH = 32


class _Loader(yaml.SafeLoader):
    """Refuses aliases (a 551-byte alias bomb expands past 3 GB) and nesting deeper than MAX_DEPTH,
    both with the line where they occur."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 - PyYAML's node types
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise yaml.composer.ComposerError(None, None, f"aliases (*{event.anchor}) are not allowed in curated "
                                              "files; write the value out", event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested deeper than {MAX_DEPTH} levels",
                                              event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if key in out.key_lines:
            raise DuplicateKey(str(key), line, out.key_lines[key])
        out.key_lines[key] = line
        out[key] = loader.construct_object(value_node, deep=True)
    return out


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
# Dates stay text so that an impossible date ("2024-13-01") becomes a located validation error, not a crash.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node))


def load(text: str) -> Any:
    """Parse YAML; mappings become `LineDict`s. Raises `yaml.YAMLError` (with a mark) on bad input."""
    return yaml.load(text, Loader=_Loader)  # noqa: S506 - SafeLoader subclass


def line_of(document: Any, path: tuple[Any, ...]) -> int | None:
    """The line of the deepest element of `path` that can be located in `document`."""
    line = getattr(document, "line", None)
    current = document
    for step in path:
        if isinstance(current, LineDict) and step in current:
            line = current.key_lines.get(step, line)
            current = current[step]
        elif isinstance(current, list) and isinstance(step, int) and 0 <= step < len(current):
            current = current[step]
            line = getattr(current, "line", line)
        else:
            break
    return line
