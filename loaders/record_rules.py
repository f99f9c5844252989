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

from graph_api.model import (
    CONTACT_POINT_KINDS,
    DEVELOPMENT_STATUSES,
    LIFECYCLE_PHASES,
    MAINTENANCE_TYPES,
    NEED_STATUSES,
    NODE_PROPERTIES,
)

VISIBILITIES = ("public", "restricted")
# the label-specific property that names a node: required, one line, no control characters
NAME_PROPERTY = {"State": "name", "County": "name", "Association": "name", "Municipality": "name",
                 "Organization": "name", "Actor": "name", "Solution": "name", "Project": "name", "Award": "name",
                 "Concept": "label", "Source": "title", "Evidence": "measure", "ContactPoint": "value"}
URL_PROPERTIES = ("url", "repository_url", "same_as")
MAX_NAME_LENGTH = 500
# the longest id in the pilot data has 60 characters; an id derived from a 1 MiB name would have 2 MB
MAX_ID_LENGTH = 200
# browsers and servers handle URLs up to about 2,000 characters; an identifier IRI needs far less
MAX_IRI_LENGTH = 2000
# keys the OParl loader mints from OParl object ids (loaders/oparl_names.object_key)
LOADER_NAMESPACES = {"oparl-": "the OParl loader (`copgraph load oparl`), from OParl object ids"}
# Germany has 84 million inhabitants and 35.8 million hectares; a State holds at most a quarter of either
MAX_POPULATION = 100_000_000
MAX_AREA_HA = 100_000_000.0
MAX_INT64 = 2**63 - 1
# Costs a solution profile reports are in the thousands to millions; two billion euros (the largest whole
# number GraphQL's 32-bit Int can carry) is a typo -- cents for euros, a pasted phone number -- not a cost.
MAX_EUR = 2_000_000_000
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


def enum(allowed: tuple[str, ...], what: str) -> Any:
    """A rule accepting one of `allowed` (upper-case words joined by `_`) whatever the case, spaces or
    hyphens the source used: `beta`, ` Beta `, `diffusing-lessons` and `Diffusing lessons` all normalise."""

    def rule(value: Any) -> str:
        if isinstance(value, str):
            normal = re.sub(r"[\s-]+", "_", value.strip()).upper()
            if normal in allowed:
                return normal
        raise ValueError(f"{short(value)} is not a {what}; expected one of {', '.join(allowed)}")

    rule.__doc__ = f"A {what}: one of {', '.join(allowed)} (case, spaces and hyphens ignored)."
    return rule


lifecycle_phase = enum(LIFECYCLE_PHASES, "lifecycle phase")
development_status = enum(DEVELOPMENT_STATUSES, "development status")
maintenance_type = enum(MAINTENANCE_TYPES, "maintenance type")
contact_point_kind = enum(CONTACT_POINT_KINDS, "contact point kind")
need_status = enum(NEED_STATUSES, "need status")


def eur_amount(value: Any) -> int:
    """Whole euros from 0 to MAX_EUR; a bool or a fraction is a mistake, not an amount."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_EUR:
        raise ValueError(f"{short(value)} is not an amount in euros (a whole number from 0 to {MAX_EUR:,})")
    return value


# (min property, max property) pairs of the cost ranges a solution profile reports
EUR_RANGES: tuple[tuple[str, str], ...] = (("cost_one_off_eur_min", "cost_one_off_eur_max"),
                                           ("cost_running_eur_per_year_min", "cost_running_eur_per_year_max"))


def range_problem(low: int | None, high: int | None) -> str | None:
    """Why (low, high) is not a range, or None: a range where both ends are given runs upwards."""
    if low is not None and high is not None and low > high:
        return f"the minimum {low:,} is above the maximum {high:,}"
    return None


_EMAIL = re.compile(r"^[^@\s<>\"']+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*"
                    r"[A-Za-z0-9])?)+$")
_PHONE = re.compile(r"^\+?[0-9 ()/-]{5,40}$")


def contact_value(kind: str, value: Any) -> str:
    """A contact channel's value that fits its kind: an e-mail address, a phone number (digits, spaces,
    `+ / - ( )`), or an http(s) page -- a `javascript:` "web page" would run when clicked."""
    value = name(value)
    if kind == "WEB":
        return http_url(value)
    if kind == "EMAIL" and not _EMAIL.match(value):
        raise ValueError(f"{short(value)} is not an e-mail address")
    if kind == "PHONE" and (not _PHONE.match(value) or sum(c.isdigit() for c in value) < 5):
        raise ValueError(f"{short(value)} is not a phone number (digits, spaces and + / - ( ) only)")
    return value


def population(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_POPULATION:
        raise ValueError(f"{short(value)} is not a population (a whole number from 0 to {MAX_POPULATION:,})")
    return value


def area_ha(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
            or not 0 <= value <= MAX_AREA_HA:
        raise ValueError(f"{short(value)} is not an area in hectares (a finite number from 0 to {MAX_AREA_HA:,.0f})")
    return float(value)


def same_as(value: Any) -> str:
    """The IRI a node stands for in its source: an http(s) URL of bounded length."""
    if isinstance(value, str) and len(value) > MAX_IRI_LENGTH:
        raise ValueError(f"is {len(value):,} characters long; an IRI has at most {MAX_IRI_LENGTH:,}")
    return http_url(value)


def own_key(value: str) -> str:
    """A key a hand-written record (curated YAML, a mutation) may define: not one a loader mints.

    Two sources defining the same node overwrite each other's values at every load, in turn; so
    each loader that mints keys owns a prefix, and records of other sources may refer to such a
    node but never define it."""
    for prefix, owner in LOADER_NAMESPACES.items():
        if value.startswith(prefix):
            raise ValueError(f"keys beginning with '{prefix}' belong to {owner}; a curated record cannot "
                             "define one (both sources would overwrite the node in turn). Give the record its "
                             "own key, or refer to the loaded node by its id instead")
    return value


_PROPERTY_RULES = {"url": http_url, "repository_url": http_url, "same_as": same_as, "visibility": visibility,
                   "population": population, "area_ha": area_ha}
# rules for a property of one label only (the same name means something else elsewhere: Organization.kind)
_LABEL_RULES: dict[str, dict[str, Any]] = {
    "Solution": {"lifecycle_phase": lifecycle_phase, "development_status": development_status,
                 "maintenance_type": maintenance_type,
                 **{prop: eur_amount for pair in EUR_RANGES for prop in pair}},
    "ContactPoint": {"kind": contact_point_kind},
    "Need": {"status": need_status},
}


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
    if label in ("Actor", "ContactPoint"):  # a person or channel nobody declared public stays restricted
        row.setdefault("visibility", None)
    for prop, rule in {**_PROPERTY_RULES, **_LABEL_RULES.get(label, {})}.items():
        if prop in row and prop in NODE_PROPERTIES.get(label, {}) and (row[prop] is not None or prop == "visibility"):
            try:
                row[prop] = rule(row[prop])
            except ValueError as exc:
                problems.append((prop, str(exc)))
    if label == "ContactPoint" and row.get("value") is not None and not any(
            p in ("kind", "value") for p, _ in problems) and row.get("kind") in CONTACT_POINT_KINDS:
        try:
            row["value"] = contact_value(row["kind"], row["value"])
        except ValueError as exc:
            problems.append(("value", str(exc)))
    if label == "Solution":
        for low, high in EUR_RANGES:
            problem = range_problem(row.get(low), row.get(high)) if not any(
                p in (low, high) for p, _ in problems) else None
            if problem:
                problems.append((high, problem))
    for prop, value in row.items():
        if any(prop == reported for reported, _ in problems):
            continue
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_INT64:
            problems.append((prop, f"{short(value)} does not fit a 64-bit integer"))
        elif isinstance(value, float) and not math.isfinite(value):
            problems.append((prop, f"{short(value)} is not a finite number"))
    return problems
