"""The analysts' named queries: `.cypher` files in `queries/` with a self-describing header.

A query is one portable file (`name.cypher`) or one file per dialect where LadybugDB and Neo4j
disagree (`name.ladybug.cypher`, `name.neo4j.cypher`). Its header comment declares the name,
a one-line purpose, typed parameters with defaults, the result columns and the dialects:

    // name: adopters_of_solution
    // purpose: Who adopted a solution, when, with what status
    // param: solution: string = "Solution:digitale-lokale-agenda"
    // columns: adopter_id, adopter_name, status, started_on
    // dialects: ladybug, neo4j

A query whose rows may name an actor declares which column holds the name of which node:
`// names: broker_name of broker_id`. Such a name column is rewritten after the run to what the
caller may see of the actor (`graph_api.policy`), so no query text carries its own copy of the
personal-data rule.

A parameter that names a node declares the labels it may name: `// ids: county is County,
territory is State|County|Association|Municipality`. Before the query runs, such a value must be
a well-formed id of one of those labels that exists in the graph; otherwise the query is refused
naming the parameter (HTTP 400), never answered as if the node had nothing (an unknown category
would otherwise make every municipality a coverage gap).

Keeping the contract in the file lets the CLI, the HTTP endpoint, the docs and the Neo4j lint
all read the same declaration; values from a command line or a JSON body are converted by the
declared type here, so a query only ever receives parameters it declared.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from graph_api import policy
from graph_api.model import NODE_LABELS, label_of
from graph_api.resources import QUERIES_DIR
from graph_api.store import ReadResult, Store

DIALECTS = ("ladybug", "neo4j")
TYPES = ("string", "int", "float", "bool", "list<string>", "date")
DEFAULT_TIMEOUT_MS = 10_000
DEFAULT_MAX_ROWS = 1_000

_HEADER_LINE = re.compile(r"^//\s*(name|purpose|param|columns|dialects|names|ids|analytics)\s*:\s*(.*?)\s*$")
_NAMES = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s+of\s+(?P<id>[a-z_][a-z0-9_]*)$")
_IDS = re.compile(r"^(?P<param>[a-z_][a-z0-9_]*)\s+is\s+(?P<labels>[A-Za-z]+(?:\s*\|\s*[A-Za-z]+)*)$")
_PARAM = re.compile(r"^(?P<name>[a-z_][a-z0-9_]*)\s*:\s*(?P<type>[a-z<>]+)(?:\s*=\s*(?P<default>.+?))?"
                    r"(?:\s+\((?P<low>-?\d+)\.\.(?P<high>-?\d+)\))?$")
_PAGING = re.compile(r"\b(?:LIMIT|SKIP)\s+\$([A-Za-z_]\w*)", re.IGNORECASE)
INT64 = (-(1 << 63), (1 << 63) - 1)  # what both engines take as an integer parameter
_FILE = re.compile(r"^(?P<name>[a-z][a-z0-9_]*)(?:\.(?P<dialect>ladybug|neo4j))?\.cypher$")
_PARAM_USE = re.compile(r"\$([A-Za-z_]\w*)")
_TRUE, _FALSE = {"true", "yes", "1", "on"}, {"false", "no", "0", "off"}


class LibraryError(ValueError):
    """A query file whose header is missing, malformed or inconsistent with its variants."""


class ParameterError(ValueError):
    """A parameter value that does not fit its declaration; `param` names the parameter."""

    def __init__(self, param: str, message: str):
        super().__init__(f"parameter '{param}': {message}")
        self.param = param


class UnknownQuery(KeyError):
    """No named query of that name (or none for the active dialect)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: Any = None
    required: bool = True
    bounds: tuple[int, int] | None = None  # declared `(low..high)` of an int parameter

    def convert(self, value: Any) -> Any:
        """The value as the declared type; strings (command line) are parsed, JSON values checked."""
        try:
            converted = _convert(self.type, value)
        except (TypeError, ValueError, OverflowError) as exc:
            raise ParameterError(self.name, f"expected {self.type}, got {_shown(value)} ({exc})") from None
        if self.type == "int":
            low, high = self.bounds or INT64
            if not low <= converted <= high:
                raise ParameterError(self.name, f"{_shown(value)} is out of range: allowed are {low}..{high}")
        return converted

    def describe(self) -> dict[str, Any]:
        described = {"name": self.name, "type": self.type, "required": self.required, "default": self.default}
        if self.bounds:
            described["minimum"], described["maximum"] = self.bounds
        return described


def _shown(value: Any) -> str:
    """A value as an error message shows it: never more than 80 characters of a hostile input."""
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


@dataclass(frozen=True)
class NamedQuery:
    name: str
    purpose: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    texts: dict[str, str] = field(default_factory=dict)
    files: dict[str, Path] = field(default_factory=dict)
    names: tuple[tuple[str, str], ...] = ()  # (name column, id column): names the personal-data rule rewrites
    # A mission question whose definition Cypher on LadybugDB cannot express (`graph_api.mission.named`):
    # the answer is computed there, the file keeps the documented entry (header, the rows it covers).
    analytics: str | None = None
    # (parameter, the labels it may name): an id parameter must name a node of one of them that exists, or
    # the query is refused naming the parameter (issue 16: an unknown category listed every municipality)
    ids: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def dialects(self) -> tuple[str, ...]:
        return tuple(d for d in DIALECTS if d in self.texts)

    def text_for(self, dialect: str) -> str:
        if dialect not in self.texts:
            raise UnknownQuery(f"query '{self.name}' has no variant for the {dialect} store")
        return self.texts[dialect]

    def bind(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """Declared parameters converted to their types, defaults filled in; unknown names refused."""
        declared = {p.name: p for p in self.params}
        for name in values:
            if name not in declared:
                known = ", ".join(declared) or "none"
                raise ParameterError(name, f"unknown parameter of query '{self.name}' (declared: {known})")
        bound = {}
        for param in self.params:
            if param.name in values and values[param.name] is not None:
                bound[param.name] = param.convert(values[param.name])
            elif param.required:
                raise ParameterError(param.name, "is required")
            else:
                bound[param.name] = param.default
        return bound

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "description": self.purpose, "parameters": [p.describe() for p in self.params],
                "columns": list(self.columns), "dialects": list(self.dialects)}


def _convert(kind: str, value: Any) -> Any:
    if kind == "string":
        if not isinstance(value, str):
            raise TypeError("not a string")
        return value
    if kind == "int":
        if isinstance(value, (bool, float)):
            raise TypeError("not an integer")
        return int(value.strip()) if isinstance(value, str) else int(value)
    if kind == "float":
        if isinstance(value, bool):
            raise TypeError("not a number")
        return float(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise ValueError("use true or false")
    if kind == "list<string>":
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                value = json.loads(text)
            else:
                return [part.strip() for part in text.split(",") if part.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise TypeError("not a list of strings")
        return list(value)
    if kind == "date":
        if not isinstance(value, str):
            raise TypeError("not an ISO date string")
        return dt.date.fromisoformat(value.strip()).isoformat()
    raise ValueError(f"unknown type {kind}")


def _parse_param(spec: str, path: Path) -> Param:
    match = _PARAM.match(spec)
    if not match or match["type"] not in TYPES:
        raise LibraryError(f"{path}: bad param line '{spec}' (expected 'name: type [= default]', "
                           f"type one of {', '.join(TYPES)})")
    bounds = (int(match["low"]), int(match["high"])) if match["low"] is not None else None
    if bounds and (match["type"] != "int" or bounds[0] > bounds[1]):
        raise LibraryError(f"{path}: a range (low..high) fits int parameters only, low first: '{spec}'")
    if match["default"] is None:
        return Param(match["name"], match["type"], bounds=bounds)
    try:
        default = _convert(match["type"], json.loads(match["default"]))
    except (TypeError, ValueError) as exc:
        raise LibraryError(f"{path}: default of '{match['name']}' is not a JSON {match['type']}: {exc}") from None
    return Param(match["name"], match["type"], default, required=False, bounds=bounds)


def parse_file(path: Path) -> tuple[NamedQuery, tuple[str, ...]]:
    """One file -> (its query with the text for its dialects, the dialects it declares)."""
    header: dict[str, Any] = {"param": []}
    lines = path.read_text(encoding="utf-8").splitlines()
    body_start = 0
    for number, line in enumerate(lines):
        if not line.startswith("//"):
            body_start = number
            break
        match = _HEADER_LINE.match(line)
        if match:
            if match[1] == "param":
                header["param"].append(_parse_param(match[2], path))
            else:
                header[match[1]] = match[2]
    else:
        body_start = len(lines)
    for key in ("name", "purpose", "columns", "dialects"):
        if not header.get(key):
            raise LibraryError(f"{path}: header has no '// {key}:' line")
    file_match = _FILE.match(path.name)
    if not file_match or file_match["name"] != header["name"]:
        raise LibraryError(f"{path}: file name does not match '// name: {header['name']}'")
    dialects = tuple(d.strip() for d in header["dialects"].split(","))
    if not set(dialects) <= set(DIALECTS) or (file_match["dialect"] and dialects != (file_match["dialect"],)):
        raise LibraryError(f"{path}: dialects '{header['dialects']}' do not fit the file name")
    text = "\n".join(lines[body_start:]).strip()
    if not text:
        raise LibraryError(f"{path}: no query text after the header")
    used = set(_PARAM_USE.findall(_strip_literals(text)))
    declared = {p.name for p in header["param"]}
    analytics = header.get("analytics", "").split(" ", 1)[0] or None
    if used != declared and not (analytics and used <= declared):
        raise LibraryError(f"{path}: parameters used {sorted(used)} differ from those declared {sorted(declared)}")
    unbounded = {p.name for p in header["param"] if p.bounds is None} & set(_PAGING.findall(_strip_literals(text)))
    if unbounded:  # LIMIT -1 or 2^63 would reach the engine and fail there
        raise LibraryError(f"{path}: LIMIT/SKIP parameters need a range, e.g. 'param: limit: int = 20 (1..1000)': "
                           f"{', '.join(sorted(unbounded))}")
    columns = tuple(c.strip() for c in header["columns"].split(","))
    query = NamedQuery(header["name"], header["purpose"], tuple(header["param"]), columns,
                       dict.fromkeys(dialects, text), dict.fromkeys(dialects, path),
                       _parse_names(header.get("names", ""), columns, path), analytics,
                       _parse_ids(header.get("ids", ""), declared, path))
    return query, dialects


def _parse_names(spec: str, columns: tuple[str, ...], path: Path) -> tuple[tuple[str, str], ...]:
    pairs = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = _NAMES.match(part)
        if not match or match["name"] not in columns or match["id"] not in columns:
            raise LibraryError(f"{path}: bad names entry '{part}' (expected 'name_column of id_column', "
                               f"both among the columns)")
        pairs.append((match["name"], match["id"]))
    return tuple(pairs)


def _parse_ids(spec: str, declared: set[str], path: Path) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """`// ids: county is County, territory is State|County` -> (("county", ("County",)), ...)."""
    pairs = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        match = _IDS.match(part)
        labels = tuple(label.strip() for label in match["labels"].split("|")) if match else ()
        if not match or match["param"] not in declared or not set(labels) <= set(NODE_LABELS):
            raise LibraryError(f"{path}: bad ids entry '{part}' (expected 'param is Label|Label', a declared "
                               f"parameter and node labels)")
        pairs.append((match["param"], labels))
    return tuple(pairs)


def check_ids(store: Store, query: NamedQuery, bound: Mapping[str, Any]) -> None:
    """Refuse an id parameter that is malformed, of a label the query does not take, or names nothing."""
    for param, labels in query.ids:
        value = bound.get(param)
        if value is None:
            continue
        label = label_of(value)
        if label is None:
            raise ParameterError(param, f"{_shown(value)} is not a valid id; ids look like '{labels[0]}:…'")
        if label not in labels:
            raise ParameterError(param, f"{_shown(value)} is a {label}; expected {' or '.join(labels)}")
        if not store.nodes_by_id(label, [value]):
            raise ParameterError(param, f"no {label} {_shown(value)} in the graph")


def _strip_literals(text: str) -> str:
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|//[^\n]*", " ", text)


def load_library(folder: Path = QUERIES_DIR) -> dict[str, NamedQuery]:
    """Every named query in `folder`, variants merged; headers of variants must agree."""
    paths = sorted(folder.glob("*.cypher"))
    if not paths:  # the library ships with copgraph: an empty one is a broken install, not an empty answer
        raise LibraryError(f"no named queries in {folder}")
    library: dict[str, NamedQuery] = {}
    for path in paths:
        query, dialects = parse_file(path)
        known = library.get(query.name)
        if known is None:
            library[query.name] = query
            continue
        if (known.purpose, known.params, known.columns, known.names, known.analytics, known.ids) != (
                query.purpose, query.params, query.columns, query.names, query.analytics, query.ids):
            raise LibraryError(f"{path}: header differs from the other variant of '{query.name}'")
        if set(known.texts) & set(dialects):
            raise LibraryError(f"{path}: a second {'/'.join(dialects)} variant of '{query.name}'")
        known.texts.update(query.texts)
        known.files.update(query.files)
    return dict(sorted(library.items()))


def get_query(name: str, library: Mapping[str, NamedQuery] | None = None) -> NamedQuery:
    library = load_library() if library is None else library
    if name not in library:
        raise UnknownQuery(f"no query named '{name}' (see `copgraph query --list`)")
    return library[name]


class ReadOnlyRunner(Protocol):
    """What runs untrusted reads: a `Store`, or the worker processes of `graph_api.sandbox`."""

    dialect: str

    def read_only(self, query: str, params: Mapping[str, Any] | None = None, *, timeout_ms: int, max_rows: int
                  ) -> ReadResult: ...


def run_named(store: Store, query: NamedQuery, values: Mapping[str, Any], *, viewer: policy.Viewer = policy.ANONYMOUS,
              runner: ReadOnlyRunner | None = None, timeout_ms: int = DEFAULT_TIMEOUT_MS,
              max_rows: int = DEFAULT_MAX_ROWS) -> ReadResult:
    """Bind `values`, pick the store's dialect, run on the read-only path of `runner` (the store's own
    unless given; the server passes its worker processes) and show the rows as `viewer` may see them
    (declared name columns of actors, see `policy.named_row`).

    A query with an `analytics` header is answered by `graph_api.mission.named` (the same code as
    the GraphQL field, trusted, in this process), within the same time and row limits."""
    text = query.text_for(store.dialect)
    check_ids(store, query, query.bind(values))
    if query.analytics:
        from graph_api.mission.named import run_analytics  # the mission package imports this module's errors

        result = run_analytics(store, query.analytics, query.columns, query.bind(values), timeout_ms=timeout_ms,
                               max_rows=max_rows)
    else:
        result = (runner or store).read_only(text, query.bind(values), timeout_ms=timeout_ms, max_rows=max_rows)
    actor_ids = sorted({row[id_column] for row in result.rows for _, id_column in query.names
                        if isinstance(row.get(id_column), str) and label_of(row[id_column]) == "Actor"})
    actors = store.nodes_by_id("Actor", actor_ids) if actor_ids else {}
    rows = [policy.named_row(row, query.names, actors, viewer) for row in result.rows]
    return ReadResult(result.columns, rows, result.truncated)
