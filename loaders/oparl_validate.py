"""Validate OParl 1.1 objects against the specification's own schemas (bundled in `oparl_schema/`).

The OParl schemas are JSON-Schema-like, not JSON Schema: embedded objects are declared with a
custom keyword (`"type": "object", "schema": "File.json"`), links with `references`,
`backreference` and `cardinality`, and descriptions are `{{ ... }}` placeholders. Rather than
hand-writing a second description of OParl, the files are read unchanged and adapted in
memory: each `schema` of an object becomes a `$ref` into a `referencing` registry, so
`jsonschema` validates embedded objects (a Meeting's agenda items, a Paper's files) with
their own schema and reports errors with the full path. Unknown keywords are ignored by
JSON-Schema validators by design, which is exactly what the custom keywords need. The
formats OParl uses (`url`, `date`, `date-time`) are checked by a small format checker, since
`jsonschema` leaves `date-time` unchecked without optional packages and has no `url`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SCHEMA_DIR = Path(__file__).with_name("oparl_schema")
_BASE = "https://copgraph.invalid/oparl/1.1/"  # resolution base only; nothing is ever fetched
TYPE_PREFIX = "https://schema.oparl.org/1.1/"
FORMAT_HINTS = {"date": "a date (YYYY-MM-DD)", "date-time": "a date-time (ISO 8601, e.g. 2025-01-15T17:00:00+01:00)",
                "url": "a URL (http:// or https://)"}


def _adapt(node: Any) -> Any:
    """Turn OParl's `{"type": "object", "schema": "X.json"}` into a JSON-Schema `$ref`, recursively."""
    if isinstance(node, dict):
        out = {key: _adapt(value) for key, value in node.items()}
        if out.get("type") == "object" and isinstance(out.get("schema"), str) and out["schema"].endswith(".json"):
            out["$ref"] = out.pop("schema")
        return out
    if isinstance(node, list):
        return [_adapt(item) for item in node]
    return node


_formats = FormatChecker(formats=())


@_formats.checks("date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or dt.date.fromisoformat(value).isoformat() == value


@_formats.checks("date-time", raises=ValueError)
def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if "T" not in value:
        raise ValueError("no time part")
    dt.datetime.fromisoformat(value)
    return True


@_formats.checks("url")
def _is_url(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlparse(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


@cache
def _schemas() -> dict[str, dict[str, Any]]:
    out = {}
    for file in sorted(SCHEMA_DIR.glob("*.json")):
        schema = _adapt(json.loads(file.read_text(encoding="utf-8")))
        schema["$id"] = _BASE + file.name
        out[file.stem] = schema
    return out


@cache
def _validators() -> dict[str, Draft202012Validator]:
    schemas = _schemas()
    registry = Registry().with_resources(
        (schema["$id"], DRAFT202012.create_resource(schema)) for schema in schemas.values())
    return {name: Draft202012Validator(schema, registry=registry, format_checker=_formats)
            for name, schema in schemas.items()}


def object_types() -> tuple[str, ...]:
    """The OParl object types a schema is bundled for (System, Body, ..., Location)."""
    return tuple(_schemas())


def type_name(obj: dict[str, Any]) -> str | None:
    """`Paper` for `https://schema.oparl.org/1.1/Paper`; other versions are left to the schema's pattern."""
    value = obj.get("type")
    if not isinstance(value, str) or "schema.oparl.org/" not in value:
        return None
    name = value.rstrip("/").rsplit("/", 1)[-1]
    return name if name in _schemas() else None


def errors(type_name: str, obj: dict[str, Any]) -> Iterator[tuple[list[str | int], str]]:
    """(path inside the object, message) for every schema violation of `obj`, in document order."""
    validator = _validators()[type_name]
    found = sorted(validator.iter_errors(obj), key=lambda e: [str(p) for p in e.absolute_path])
    for error in found:
        yield _located(error)


def _located(error: ValidationError) -> tuple[list[str | int], str]:
    path: list[str | int] = list(error.absolute_path)
    kind, value = error.validator, error.instance
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return [*path, missing], "is required but missing"
    if kind == "format":
        return path, f"{value!r} is not {FORMAT_HINTS.get(str(error.validator_value), error.validator_value)}"
    if kind == "pattern" and path and path[-1] == "type":
        expected = str(error.validator_value).strip("^$").replace("\\", "")
        return path, f"{value!r} is not {expected} (an OParl 1.1 object type)"
    if kind == "type":
        return path, f"{_short(value)} is not of type {error.validator_value!r}"
    return path, error.message


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def dotted(type_name: str, path: list[str | int]) -> str:
    """`Meeting.agendaItem[2].name` for a type and an error path."""
    out = type_name
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out
