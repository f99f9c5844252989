"""The YAML text of a publiccode.yml as a tree whose nodes know where they stand in the file.

The reference parser (italia/publiccode-parser-go, on goccy/go-yaml) reports every finding at a
position taken from its YAML syntax tree: a key's own position, a value's first token (a block
mapping's first colon, a block sequence's first dash, a flow collection's bracket). PyYAML's
composed nodes carry the same marks, so this module turns them into that tree.

Two deliberate differences from a plain YAML loader, both refusals with a line:
* aliases (`*name`) are refused: an alias bomb of a few hundred bytes expands to gigabytes, and a
  publiccode.yml has no use for them;
* nesting deeper than `MAX_DEPTH` is refused (a publiccode.yml nests five levels).
Scalars are resolved with YAML 1.2's core schema as go-yaml does (`yes`/`on` stay text, so a
`localisationReady: yes` is refused as the reference parser refuses it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

# publiccode.yml nests at most five levels (dependsOn.open[0].name); 32 stops a hostile file
# long before Python's recursion limit.
MAX_DEPTH = 32


class YamlProblem(Exception):
    """The text is not one well-formed YAML document that may be read (syntax, alias, depth)."""

    def __init__(self, message: str, line: int, column: int = 1):
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


@dataclass
class Node:
    """One YAML value. `line`/`column` (1-based) are the position go-yaml gives the value's token."""

    kind: str  # "map", "seq", "scalar" or "null"
    line: int
    column: int
    value: Any = None  # scalar: str/int/float/bool; seq: list[Node]; map: list[Entry]
    flow: bool = False


@dataclass
class Entry:
    """A key of a mapping, where the key stands, and its value."""

    key: str
    line: int
    column: int
    value: Node


@dataclass
class Document:
    body: Node | None
    lines: list[str] = field(default_factory=list)


_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_FLOAT_TEXT = re.compile(r"[0-9]*\.[0-9]*([eE][-+]?[0-9]+)?")
_DIGITS = {2: "01", 8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}
_SPECIAL_FLOAT = {".inf": float("inf"), ".Inf": float("inf"), ".INF": float("inf"), "-.inf": float("-inf"),
                  "-.Inf": float("-inf"), "-.INF": float("-inf"), ".nan": float("nan"), ".NaN": float("nan"),
                  ".NAN": float("nan")}


def _number(text: str) -> int | float | None:
    """go-yaml's number rule: 0x/0o/0b prefixes, a leading 0 means octal, one dot means float,
    `_` separators; a text that does not parse in its base (`0123456789`, `1e3`) stays text."""
    if not text or text.startswith("_") or text.count(".") > 1:
        return None
    negative = text.startswith("-")
    normalized = text.removeprefix("+").removeprefix("-").replace("_", "")
    base = 10
    for prefix, prefix_base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if normalized.startswith(prefix):
            normalized, base = normalized[2:], prefix_base
            break
    else:
        if "." in normalized:
            if not _FLOAT_TEXT.fullmatch(normalized) or normalized in (".", ""):
                return None
            return -float(normalized) if negative else float(normalized)
        if normalized.startswith("0") and len(normalized) > 1:
            base = 8
    if not normalized or any(char not in _DIGITS[base] for char in normalized):
        return None
    value = -int(normalized, base) if negative else int(normalized, base)
    return value if -(2**63) <= value < 2**64 else None


def resolve_plain(text: str) -> Any:
    """A plain scalar's value as go-yaml resolves it (YAML 1.2 core): None, bool, int, float or str."""
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    if text in _SPECIAL_FLOAT:
        return _SPECIAL_FLOAT[text]
    number = _number(text)
    return text if number is None else number


class _Composer(yaml.SafeLoader):
    """PyYAML's composer with aliases refused and the nesting bounded, both located."""

    _depth = 0
    # no YAML 1.1 implicit typing: plain scalars are resolved by `resolve_plain` (YAML 1.2 core)
    yaml_implicit_resolvers: dict = {}

    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 - PyYAML's node types
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlProblem(f"aliases (*{event.anchor}) are not allowed in a publiccode.yml; write the value "
                              "out", event.start_mark.line + 1, event.start_mark.column + 1)
        if self._depth >= MAX_DEPTH:
            raise YamlProblem(f"nested deeper than {MAX_DEPTH} levels", event.start_mark.line + 1,
                              event.start_mark.column + 1)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _colon_column(lines: list[str], key: yaml.Node) -> int:
    """go-yaml places a block mapping at its first key's colon; PyYAML only marks the key."""
    line = key.end_mark.line
    text = lines[line] if line < len(lines) else ""
    found = text.find(":", key.end_mark.column)
    return (found if found >= 0 else key.end_mark.column) + 1


def _convert(node: yaml.Node, lines: list[str]) -> Node:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.ScalarNode):
        value = resolve_plain(node.value) if node.style is None else node.value
        return Node("null" if value is None else "scalar", line, column, value)
    if isinstance(node, yaml.SequenceNode):
        return Node("seq", line, column, [_convert(item, lines) for item in node.value], node.flow_style is True)
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for key_node, value_node in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            raise YamlProblem("a mapping key must be a plain value, not a list or a mapping",
                              key_node.start_mark.line + 1, key_node.start_mark.column + 1)
        key = key_node.value
        key_line = key_node.start_mark.line + 1
        if key in seen:  # go-yaml refuses a repeated key; PyYAML would keep the last silently
            raise YamlProblem(f'mapping key "{key}" already defined at line {seen[key]}', key_line,
                              key_node.start_mark.column + 1)
        seen[key] = key_line
        entries.append(Entry(key, key_line, key_node.start_mark.column + 1, _convert(value_node, lines)))
    flow = node.flow_style is True
    if not flow and node.value:
        column = _colon_column(lines, node.value[0][0])
    return Node("map", line, column, entries, flow)


def parse(text: str) -> Document:
    """The single YAML document in `text`; raises `YamlProblem` with the line of the first problem."""
    lines = text.splitlines()
    loader = _Composer(text)
    try:
        first = loader.get_node() if loader.check_node() else None
        if loader.check_node():
            extra = loader.get_node()
            raise YamlProblem("multiple YAML documents in one file are not supported",
                              extra.start_mark.line + 1 if extra is not None else 0)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise YamlProblem(str(exc.problem or exc.context or "invalid YAML"), mark.line + 1 if mark else 0) from None
    except yaml.YAMLError as exc:
        raise YamlProblem(str(exc), 0) from None
    finally:
        loader.dispose()
    if first is None:
        return Document(None, lines)
    body = _convert(first, lines)
    return Document(None if body.kind == "null" else body, lines)


def find_key_at_line(node: Node | None, line: int, prefix: str = "") -> str:
    """The key path whose key (or list item) starts on `line`: how the reference parser names the field
    of a decoding error, which it only knows by line."""
    if node is None:
        return ""
    if node.kind == "map":
        for entry in node.value:
            path = entry.key if not prefix else f"{prefix}.{entry.key}"
            if entry.line == line:
                return path
            found = find_key_at_line(entry.value, line, path)
            if found:
                return found
    elif node.kind == "seq":
        for index, item in enumerate(node.value):
            path = f"{prefix}[{index}]"
            if item.line == line:
                return path
            found = find_key_at_line(item, line, path)
            if found:
                return found
    return ""


_INDEX = re.compile(r"^(.*)\[([^\]]+)\]$")


def find_key_position(node: Node | None, key: str) -> tuple[int, int]:
    """Line and column the reference parser gives a finding on the key path `key` ("a.b[0].c",
    "description[en-US].features"); (0, 0) when nothing on the path can be found."""
    if node is None or not key:
        return 0, 0
    return _position(node, key.split("."))


def _position(node: Node, parts: list[str]) -> tuple[int, int]:
    part, index, string_key = parts[0], -1, ""
    match = _INDEX.match(part)
    if match:
        part = match.group(1)
        if match.group(2).isdigit():
            index = int(match.group(2))
        else:
            string_key = match.group(2)
    if node.kind != "map":
        return node.line, node.column
    for entry in node.value:
        if entry.key != part:
            continue
        if index >= 0:
            value = entry.value
            if value.kind != "seq" or index >= len(value.value):
                return entry.line, entry.column
            item = value.value[index]
            return (item.line, item.column) if len(parts) == 1 else _position(item, parts[1:])
        if string_key:
            return _position(entry.value, [string_key, *parts[1:]])
        return (entry.line, entry.column) if len(parts) == 1 else _position(entry.value, parts[1:])
    if node.flow:
        return node.line, node.column
    if len(parts) == 1 and node.value:
        return node.value[0].line, node.value[0].column
    return 0, 0
