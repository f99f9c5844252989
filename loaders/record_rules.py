"""The rules every input obeys, whatever its source: curated YAML, OParl, RDF, GV100AD, mutations.

One function per rule, each raising `ValueError` with a message that can follow a located field
name ("file:line: field: <message>"). The curated record models (and so the GraphQL mutations)
use them as pydantic validators; the other loaders call `check_node` on every row they emit.
Messages never echo a whole hostile value (a 1 MiB name, a 3 GB alias expansion): `short()`.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import urlsplit

from graph_api.model import NODE_PROPERTIES

VISIBILITIES = ("public", "restricted")
# the label-specific property that names a node: required, one line, no control characters
NAME_PROPERTY = {"State": "name", "County": "name", "Association": "name", "Municipality": "name",
                 "Organization": "name", "Actor": "name", "Solution": "name", "Project": "name", "Award": "name",
                 "Concept": "label", "Source": "title"}
URL_PROPERTIES = ("url",)
MAX_NAME_LENGTH = 500
# the longest id in the pilot data has 60 characters; an id derived from a 1 MiB name would have 2 MB
MAX_ID_LENGTH = 200
# Germany has 84 million inhabitants and 35.8 million hectares; a State holds at most a quarter of either
MAX_POPULATION = 100_000_000
MAX_AREA_HA = 100_000_000.0
MAX_INT64 = 2**63 - 1
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def short(value: Any, limit: int = 60) -> str:
    """A bounded repr for messages: never builds the repr of a huge value."""
    if isinstance(value, str):
        text = value[: limit + 1]
        return repr(text[:limit] + "…") if len(value) > limit else repr(value)
    if isinstance(value, (dict, list, tuple, set)):
        return f"a {type(value).__name__} of {len(value)} items"
    text = repr(value) if isinstance(value, (int, float, bool)) or value is None else type(value).__name__
    return text if len(text) <= limit else text[:limit] + "…"


def name(value: Any) -> str:
    """A name: text, not blank, one line without control characters (TAB, NUL), of bounded length."""
    if not isinstance(value, str):
        raise ValueError(f"{short(value)} is not text")
    value = value.strip()
    if not value:
        raise ValueError("is required and must not be blank")
    if _CONTROL.search(value):
        raise ValueError(f"{short(value)} contains a control character (TAB, NUL, line break); not allowed in a name")
    if len(value) > MAX_NAME_LENGTH:
        raise ValueError(f"is {len(value):,} characters long; a name has at most {MAX_NAME_LENGTH}")
    return value


def http_url(value: Any) -> str:
    """An http(s) URL with a host: `javascript:`, `data:` and friends would run when clicked."""
    if not isinstance(value, str):
        raise ValueError(f"{short(value)} is not a URL")
    value = value.strip()
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or _CONTROL.search(value):
        raise ValueError(f"{short(value)} is not an http:// or https:// URL")
    return value


def visibility(value: Any) -> str:
    """`public` or `restricted`, case and spaces ignored; missing means restricted (the safe side)."""
    if value is None:
        return "restricted"
    if isinstance(value, str) and value.strip().lower() in VISIBILITIES:
        return value.strip().lower()
    raise ValueError(f"{short(value)} is not a visibility; expected 'public' or 'restricted'")


def population(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POPULATION:
        raise ValueError(f"{short(value)} is not a population (a whole number from 0 to {MAX_POPULATION:,})")
    return value


def area_ha(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= MAX_AREA_HA:
        raise ValueError(f"{short(value)} is not an area in hectares (a finite number from 0 to {MAX_AREA_HA:,.0f})")
    return float(value)


_PROPERTY_RULES = {"url": http_url, "visibility": visibility, "population": population, "area_ha": area_ha}


def check_node(label: str, row: dict[str, Any], *, new: bool = True) -> list[tuple[str, str]]:
    """(property, message) for every rule a node row breaks; fixes `row` in place (normalised values).

    `new=False` is for rows that may only state some properties of an existing node (RDF updates):
    the name is then checked when given, not required."""
    problems: list[tuple[str, str]] = []
    if len(str(row.get("id", ""))) > MAX_ID_LENGTH:
        problems.append(("id", f"{short(row['id'])} is {len(row['id']):,} characters long; an id has at most "
                               f"{MAX_ID_LENGTH}"))
    name_property = NAME_PROPERTY.get(label)
    if name_property and (new or row.get(name_property) is not None):
        try:
            row[name_property] = name(row.get(name_property) or "")
        except ValueError as exc:
            problems.append((name_property, str(exc)))
    if label == "Actor":  # an actor nobody declared public stays restricted
        row.setdefault("visibility", None)
    for prop, rule in _PROPERTY_RULES.items():
        if prop in row and prop in NODE_PROPERTIES.get(label, {}) and (row[prop] is not None or prop == "visibility"):
            try:
                row[prop] = rule(row[prop])
            except ValueError as exc:
                problems.append((prop, str(exc)))
    for prop, value in row.items():
        if any(prop == reported for reported, _ in problems):
            continue
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT64:
            problems.append((prop, f"{short(value)} does not fit a 64-bit integer"))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append((prop, f"{short(value)} is not a finite number"))
    return problems
