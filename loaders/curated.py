"""Curated YAML folder -> graph rows, with every problem of every file reported at once.

Checks, in order: YAML syntax and duplicate keys, the record models (`curated_schema`),
duplicate ids, references (type and existence; the nearest existing id is suggested), and the
whole-graph rules every write obeys (`graph_api.integrity`: no cycles or self-loops in
hierarchies, date order, learners not before teachers, ownership shares). References to
official territories, and to ids not in the folder, are checked against the store when one is
given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from rapidfuzz import process

from graph_api import integrity
from graph_api.loaders import yaml_lines
from graph_api.loaders.curated_schema import (
    FILES,
    ActorRecord,
    ConceptRecord,
    ContactRecord,
    Record,
    TerritoryLinks,
)
from graph_api.loaders.record_rules import short
from graph_api.loaders.text_input import read_utf8
from graph_api.model import SERVICE_SCHEMES, TERRITORY_LABELS, label_of
from graph_api.rows import GraphRows, LoadError, LoadProblem

ExistingIds = Callable[[set[str]], set[str]]


@dataclass
class _Parsed:
    file: str
    label: str | None
    record: Record
    raw: Any  # the LineDict, for line numbers


@dataclass
class _Context:
    problems: list[LoadProblem] = field(default_factory=list)
    parsed: list[_Parsed] = field(default_factory=list)
    ids: dict[str, tuple[str, int | None]] = field(default_factory=dict)  # id -> (file, line)

    def add(self, file: str, line: int | None, field_name: str, message: str) -> None:
        self.problems.append(LoadProblem(file, line, field_name, message))


def read(path: str | Path, *, existing_ids: ExistingIds | None = None) -> GraphRows:
    """Validate a curated folder (or one file) and return its rows; raise `LoadError` with all problems."""
    path = Path(path)
    ctx = _Context()
    files = _files(path, ctx)
    for file in files:
        _parse_file(file, ctx)
    if not ctx.problems:
        _check_references(ctx, existing_ids)
        _check_service_schemes(ctx)
    if not ctx.problems:
        _check_graph_rules(ctx)
    if ctx.problems:
        raise LoadError(sorted(ctx.problems, key=lambda p: (p.file, p.line or 0)))
    return _rows(ctx)


def _files(path: Path, ctx: _Context) -> list[Path]:
    if path.is_file():
        if path.name not in FILES:
            ctx.add(str(path), None, "file", f"unknown curated file name; expected one of {', '.join(FILES)}")
            return []
        return [path]
    if not path.is_dir():
        ctx.add(str(path), None, "path", "does not exist")
        return []
    found = [path / name for name in FILES if (path / name).is_file()]
    for other in sorted(path.glob("*.y*ml")):
        if other.name not in FILES:
            ctx.add(str(other), None, "file", f"unknown curated file name; expected one of {', '.join(FILES)}")
    if not found and not ctx.problems:
        ctx.add(str(path), None, "path", f"holds none of the curated files {', '.join(FILES)}")
    return found


def _parse_file(file: Path, ctx: _Context) -> None:
    name = str(file)
    text, problem = read_utf8(file)
    if problem is not None:
        ctx.problems.append(problem)
        return
    try:
        document = yaml_lines.load(text)
    except yaml_lines.DuplicateKey as exc:
        ctx.add(name, exc.line, exc.key, str(exc))
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        ctx.add(name, mark.line + 1 if mark else None, "yaml", str(getattr(exc, "problem", exc)))
        return
    if document is None:
        return
    if not isinstance(document, list):
        ctx.add(name, getattr(document, "line", 1), "file", "must be a YAML list of records (- id: ...)")
        return
    label, model = FILES[file.name]
    for index, raw in enumerate(document):
        if not isinstance(raw, dict):
            ctx.add(name, None, f"[{index}]", "must be a mapping of fields")
            continue
        try:
            record = model.model_validate(dict(raw))
        except ValidationError as exc:
            for error in exc.errors():
                loc = tuple(error["loc"])
                where = ".".join(str(p) for p in loc) or "record"
                message = _message(error)
                ctx.add(name, yaml_lines.line_of(raw, loc), where, message)
            continue
        ctx.parsed.append(_Parsed(name, label, record, raw))
        if label is not None:
            node_id = f"{label}:{record.id}"  # type: ignore[attr-defined]
            if node_id in ctx.ids:
                first = ctx.ids[node_id]
                ctx.add(name, raw.line, "id", f"duplicate id '{record.id}' (first at {first[0]}:{first[1]})")  # type: ignore[attr-defined]
            else:
                ctx.ids[node_id] = (name, raw.line)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return "is not a known field of this record"
    if kind == "string_too_long":
        return (f"is {len(error['input']):,} characters long; at most {error['ctx']['max_length']:,} are allowed "
                "(a long text belongs in a linked source)")
    if kind == "literal_error":
        return f"{short(error['input'])} is not allowed; expected {error['ctx']['expected']}"
    text = error["msg"]
    return text.removeprefix("Value error, ")


def _references(record: Record, path: tuple[Any, ...] = ()) -> Iterable[tuple[tuple[Any, ...], str, tuple[str, ...]]]:
    """Yield (field path, referenced id, allowed labels) for a record and its nested parts."""
    for name in type(record).model_fields:
        value = getattr(record, name)
        allowed = type(record).REFERENCES.get(name)
        items = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        for index, item in items:
            here = (*path, name) if index is None else (*path, name, index)
            if isinstance(item, Record):
                yield from _references(item, here)
            elif allowed is not None and isinstance(item, str):
                yield here, item, allowed


def _check_references(ctx: _Context, existing_ids: ExistingIds | None) -> None:
    """Every reference must name a record of the folder or, when a store is given, a stored node."""
    external: dict[str, list[tuple[_Parsed, tuple[Any, ...]]]] = defaultdict(list)
    by_label: dict[str, list[str]] = defaultdict(list)
    for node_id in ctx.ids:
        by_label[label_of(node_id) or ""].append(node_id)
    for parsed in ctx.parsed:
        for path, ref, allowed in _references(parsed.record):
            label = label_of(ref)
            line = yaml_lines.line_of(parsed.raw, path)
            where = ".".join(str(p) for p in path)
            if label not in allowed:
                ctx.add(parsed.file, line, where, f"'{ref}' is a {label}; expected {' or '.join(allowed)}")
            elif label in TERRITORY_LABELS or (ref not in ctx.ids and existing_ids is not None):
                external[ref].append((parsed, path))
            elif ref not in ctx.ids:
                ctx.add(parsed.file, line, where, f"unknown {label} '{ref}'{_suggest(ref, by_label[label])}")
    if existing_ids is not None and external:
        present = existing_ids(set(external))
        for ref in sorted(set(external) - present):
            label = label_of(ref) or ""
            for parsed, path in external[ref]:
                message = (f"unknown territory '{ref}' (not in the store: load the GV100AD directory first)"
                           if label in TERRITORY_LABELS else
                           f"unknown {label} '{ref}'{_suggest(ref, by_label[label])} (not in these files "
                           "nor in the store)")
                ctx.add(parsed.file, yaml_lines.line_of(parsed.raw, path), ".".join(str(p) for p in path), message)


def service_scheme_problems(record: Record, schemes: dict[str, str]) -> list[tuple[int, str]]:
    """(index, message) for each `implements_services` entry whose concept (scheme known in `schemes`) is not
    an administrative service: a topic there would count the solution among a portal's services. The one
    rule, asked by the curated loader (concepts of the folder) and the mutations (stored concepts)."""
    return [(index, f"'{ref}' is a concept of scheme '{schemes[ref]}'; expected one of the service schemes "
                    f"{', '.join(SERVICE_SCHEMES)}")
            for index, ref in enumerate(getattr(record, "implements_services", []))
            if ref in schemes and schemes[ref] not in SERVICE_SCHEMES]


def _check_service_schemes(ctx: _Context) -> None:
    """`service_scheme_problems` for every record of the folder, against the folder's concepts."""
    schemes = {f"Concept:{p.record.id}": p.record.scheme for p in ctx.parsed  # type: ignore[attr-defined]
               if isinstance(p.record, ConceptRecord)}
    for parsed in ctx.parsed:
        for index, message in service_scheme_problems(parsed.record, schemes):
            ctx.add(parsed.file, yaml_lines.line_of(parsed.raw, ("implements_services", index)),
                    f"implements_services.{index}", message)


def _suggest(ref: str, candidates: list[str]) -> str:
    if not candidates:
        return ""
    match = process.extractOne(ref, candidates)
    return f" (did you mean '{match[0]}'?)" if match and match[1] >= 60 else ""


def _check_graph_rules(ctx: _Context) -> None:
    """The whole-graph rules every write obeys (`graph_api.integrity`), on the folder's own rows.

    The store checks them again, on the folder together with what is stored, inside the load's
    transaction; here they are reported with file and line, and without a store (`validate`)."""
    lines: dict[str, tuple[str, int | None]] = {}
    for parsed in ctx.parsed:
        if parsed.label is not None:
            lines[f"{parsed.label}:{parsed.record.id}"] = (parsed.file, parsed.raw.line)  # type: ignore[attr-defined]
    for violation in integrity.check(integrity.Facts.from_rows(_rows(ctx))):
        file, line = lines.get(violation.node, ("<graph>", None))
        ctx.add(file, line, violation.field, violation.message)


def _rows(ctx: _Context) -> GraphRows:
    rows = GraphRows()
    for parsed in ctx.parsed:
        _emit(rows, parsed.label, parsed.record)
    return rows


def _emit(rows: GraphRows, label: str | None, record: Record) -> None:
    data = record.model_dump()
    sources = data.pop("sources", []) or []
    source = sources[0] if sources else None
    if isinstance(record, ContactRecord):
        rows.add_rel("KNOWS", record.a, record.b, context=record.context, since=record.since, source=record.source)
        return
    if isinstance(record, TerritoryLinks):
        node_id = record.territory
        _links(rows, node_id, record, source)
    else:
        assert label is not None
        node_id = f"{label}:{record.id}"  # type: ignore[attr-defined]
        links = {"broader", "granted_by", "administers", "serves", "parent", "member_of", "owners", "projects",
                 "roles", "categories", "needs", "originator", "awards", "solution", "adopter", "learned_from",
                 "contacts", "project", *_PROFILE_LINKS, "maintained_by"}
        props = {k: v for k, v in data.items() if k not in links}
        props["id"] = node_id
        rows.add_node(label, props)
        _links(rows, node_id, record, source)
    for src in sources:
        rows.add_rel("SOURCED_FROM", node_id, src)


# record field -> relationship of the solution profile, contact channels and the needs log (issue 21)
_PROFILE_LINKS = {"contact_points": "HAS_CONTACT_POINT", "funded_by": "FUNDED_BY", "derived_from": "DERIVED_FROM",
                  "implements_services": "IMPLEMENTS_SERVICE", "evidence_of": "EVIDENCE_OF",
                  "needed_by": "NEEDED_BY", "concerns": "CONCERNS", "recorded_by": "RECORDED_BY",
                  "matched_with": "MATCHED_WITH"}


def _links(rows: GraphRows, node_id: str, record: Record, source: str | None) -> None:
    """Relationships stated by one record, each tagged with its own source or the record's first one."""
    simple = {"broader": "BROADER", "granted_by": "GRANTED_BY", "administers": "ADMINISTERS", "serves": "SERVES",
              "parent": "SUB_ORGANIZATION_OF", "categories": "IN_CATEGORY", "needs": "ADDRESSES",
              "originator": "ORIGINATED_BY", "solution": "OF", "adopter": "BY", "learned_from": "LEARNED_FROM",
              "contacts": "CONTACT", "project": "IN_PROJECT", **_PROFILE_LINKS}
    for name, rel_type in simple.items():
        value = getattr(record, name, None)
        # a channel is stated by the channel's own sources: the holder's report rarely names its mailbox
        stated_by = None if name == "contact_points" else source
        for target in (value if isinstance(value, list) else [value] if value else []):
            rows.add_rel(rel_type, node_id, target, source=stated_by)
    for m in getattr(record, "member_of", []):
        rows.add_rel("MEMBER_OF", node_id, m.organization, since=m.since, source=m.source or source)
    for o in getattr(record, "owners", []):
        rows.add_rel("OWNED_BY", node_id, o.owner, share=o.share, source=o.source or source)
    for p in getattr(record, "projects", []):
        rows.add_rel("PARTICIPATES_IN", node_id, p.project, role=p.role, source=p.source or source)
    for a in getattr(record, "awards", []):
        rows.add_rel("RECEIVED", node_id, a.award, year=a.year, round=a.round, source=a.source or source)
    for m in getattr(record, "maintained_by", []):
        rows.add_rel("MAINTAINED_BY", node_id, m.organization, until=m.until, source=m.source or source)
    if isinstance(record, ActorRecord):
        for r in record.roles:
            rows.add_rel("WORKS_FOR", node_id, r.organization, title=r.title, since=r.since, until=r.until,
                         source=r.source or source)
