"""RDF loader: read the project's own vocabulary back into graph rows (Turtle, N-Triples, N-Quads, TriG, JSON-LD).

The syntax is chosen by file extension and parsed by rdflib. Node IRIs follow the contract's
scheme `{base}id/{type}/{key}` (any base), so the id of every node is read from its IRI and
its label from its class; properties and relationships are mapped back with the same tables
the export uses (`graph_api.rdf.vocab`). A relationship's properties come from its
`rdf:Statement`; its `source` also from the named graph it is stated in (N-Quads, TriG).
Derived triples (rdfs:label, geocoding links, extra types, org:Membership, org:unitOf, dct:publisher, the
org:Role descriptions) are skipped; a membership's period is read from its org:memberDuring interval. Any
other unknown predicate on a node is an error, so a typo never disappears silently. An export
loaded into an empty store gives the same graph, except personal data the export withholds.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax

from graph_api import policy
from graph_api.loaders.record_rules import MAX_INT64, check_node, short
from graph_api.model import BOOL, FLOAT, INT, NODE_PROPERTIES, REL_TYPES, id_problem, label_of
from graph_api.rdf import integrity
from graph_api.rdf import vocab as v
from graph_api.rows import GraphRows, LoadError, LoadProblem

ExistingIds = Callable[[set[str]], set[str]]
FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld", ".json": "json-ld"}
_DERIVED = {v.RDFS_LABEL, v.GEOCODING_LINK, v.ORG_UNIT_OF, v.DCT_PUBLISHER}
_TIME_CLASSES = (v.TIME_INTERVAL, v.TIME_INSTANT)
_STATEMENT_STRUCTURE = {v.RDF_TYPE, v.RDF_SUBJECT, v.RDF_PREDICATE, v.RDF_OBJECT, v.ORG_MEMBER, v.ORG_ORGANIZATION}
_PROP_OF: dict[str, dict[str, str]] = {
    label: {p.predicate: name for name, p in props.items()} for label, props in v.NODE_PROPS.items()
}
_REL_PROP_OF: dict[str, dict[str, str]] = {
    rel: {p.predicate: name for name, p in props.items()} for rel, props in v.REL_PROPS.items()
}
_REL_PROP_TYPES = {rel: dict(t.properties) for rel, t in REL_TYPES.items()}


def read(path: str | Path, *, base_iri: str | None = None, existing_ids: ExistingIds | None = None,
         **_: Any) -> GraphRows:
    """Graph rows from one RDF file; raises LoadError naming file, line (when known) and field.

    Only subjects under `base_iri` (default: the configured COPGRAPH_BASE_IRI) become nodes: a file
    may not state properties of another graph's nodes into this one. A node the store does not hold
    yet (`existing_ids`; without it every node counts as new) must be complete by the record rules -
    a name above all; a node it holds may be updated with some of its properties."""
    if base_iri is None:
        from graph_api.config import Settings

        base_iri = Settings().base_iri
    path = Path(path)
    name = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError([LoadProblem(name, None, "format",
                                     f"unknown RDF file extension '{path.suffix}' (known: {', '.join(FORMATS)})")])
    dataset = _parse(path, fmt)
    _check_integrity(path, fmt)
    return _rows(name, dataset, base_iri, existing_ids)


_OX_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
               "trig": ox.RdfFormat.TRIG, "json-ld": ox.RdfFormat.JSON_LD}


def _check_integrity(path: Path, fmt: str) -> None:
    """The cross-checks of the SHACL shapes (keys, geocoding links, shares, reified statements hold),
    run on the whole file (read a second time, by pyoxigraph) before any row is made: a file
    breaking one is refused as a whole."""
    store = ox.Store()
    try:
        store.bulk_load(path=path, format=_OX_FORMATS[fmt])
    except (SyntaxError, ValueError, OSError) as exc:  # rdflib accepted it: say so rather than guess a line
        raise LoadError([LoadProblem(str(path), None, "syntax", f"not readable as {fmt}: {exc}")]) from None
    problems = [LoadProblem(str(path), None, node, f"{message}: {value}" if value else message)
                for node, message, value in integrity.violations(store)]
    if problems:
        raise LoadError(problems)


def _parse(path: Path, fmt: str) -> Dataset:
    dataset = Dataset(default_union=False)
    try:
        dataset.parse(path, format=fmt)
    except json.JSONDecodeError as exc:
        raise LoadError([LoadProblem(str(path), exc.lineno, "syntax", exc.msg)]) from None
    except BadSyntax as exc:  # Turtle, TriG: `lines` counts the newlines before the error
        raise LoadError([LoadProblem(str(path), exc.lines + 1, "syntax", getattr(exc, "_why", None) or "bad syntax")]
                        ) from None
    except Exception as exc:  # noqa: BLE001 - every parser error becomes a located LoadProblem
        line = _failing_line(path, fmt) if fmt in ("nt", "nquads") else None
        message = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise LoadError([LoadProblem(str(path), line if isinstance(line, int) else None, "syntax",
                                     f"{type(exc).__name__}: {message}")]) from None
    return dataset


def _failing_line(path: Path, fmt: str) -> int | None:
    """rdflib's line-based parsers do not say where they failed: find the first line that fails alone."""
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip() or text.lstrip().startswith("#"):
                continue
            try:
                Dataset().parse(data=text, format=fmt)
            except Exception:  # noqa: BLE001 - any failure locates the error
                return number
    return None


class _Collector:
    def __init__(self, file: str):
        self.file = file
        self.problems: list[LoadProblem] = []
        self.types: dict[str, set[str]] = defaultdict(set)
        self.values: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.rels: dict[tuple[str, str, str], dict[str, Any]] = {}
        self.statements: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
        self.statement_graph: dict[str, str | None] = {}
        self.time: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))  # intervals, instants
        self.blank_reported = False
        self.outside_reported: set[str] = set()

    def problem(self, field: str, message: str) -> None:
        self.problems.append(LoadProblem(self.file, None, field, message))

    def blank_subject(self, predicate: str) -> None:
        if not self.blank_reported:  # one message, not one per triple
            self.blank_reported = True
            self.problem("subject", f"a blank node states {v.curie(predicate)}: every node needs an IRI "
                         "({base}id/{type}/{key}); blank-node subjects are refused")

    def outside(self, subject: str, base: str) -> None:
        if subject not in self.outside_reported:
            self.outside_reported.add(subject)
            self.problem(short(subject), f"subject is not under the base IRI {base} (COPGRAPH_BASE_IRI); "
                         "nodes of another graph are refused")


def _rows(file: str, dataset: Dataset, base_iri: str, existing_ids: ExistingIds | None) -> GraphRows:
    c = _Collector(file)
    under_base = f"{base_iri}id/"
    statement_subjects = {str(q[0]) for q in dataset.quads((None, URIRef(v.RDF_TYPE), URIRef(v.RDF_STATEMENT), None))}
    time_subjects = {str(q[0]) for cls in _TIME_CLASSES for q in dataset.quads((None, URIRef(v.RDF_TYPE), URIRef(cls),
                                                                                None))}
    for s, p, o, g in dataset.quads((None, None, None, None)):
        subject, predicate = str(s), str(p)
        graph = str(g) if isinstance(g, URIRef) and str(g) != str(dataset.default_graph.identifier) else None
        if subject in statement_subjects:
            c.statements[subject][predicate].append(o)
            c.statement_graph.setdefault(subject, graph)
            continue
        if subject in time_subjects and not isinstance(s, BNode):
            c.time[subject][predicate].append(o)
            continue
        if isinstance(s, BNode):
            c.blank_subject(predicate)
            continue
        node_id = v.id_of_iri(subject)
        if node_id is None:
            if v.scheme_of_iri(subject) is None and v.role_of_iri(subject) is None:
                c.problem(short(subject), "subject is neither a node IRI ({base}id/{type}/{key}) nor a concept scheme "
                          "or role")
            continue
        if not subject.startswith(under_base):
            c.outside(subject, under_base)
            continue
        if predicate == v.RDF_TYPE:
            c.types[node_id].add(str(o))
        elif predicate in v.REL_OF_PREDICATE:
            _relationship(c, v.REL_OF_PREDICATE[predicate], predicate, node_id, o, graph)
        else:
            c.values[node_id][predicate].append(o)
    rows = GraphRows()
    stated = set(c.types) | set(c.values)
    _nodes(c, rows, existing_ids(stated) if existing_ids is not None and stated else set())
    _apply_statements(c)
    for (rel_type, from_id, to_id), props in sorted(c.rels.items()):
        try:
            rows.add_rel(rel_type, from_id, to_id, **props)
        except ValueError as exc:
            c.problem(v.curie(v.REL_PREDICATE[rel_type]), f"{from_id} -> {to_id}: {exc}")
    if c.problems:
        raise LoadError(c.problems)
    return rows


def _relationship(c: _Collector, rel_type: str, predicate: str, from_id: str, obj: Any, graph: str | None) -> None:
    to_id = v.id_of_iri(str(obj)) if isinstance(obj, URIRef) else None
    if to_id is None:
        c.problem(v.curie(predicate), f"{from_id}: object {obj!s} is not a node IRI")
        return
    expected = v.rel_predicate_of_ids(rel_type, from_id, to_id)
    if predicate != expected:  # e.g. cg:adopter pointing at a place: places are not agents
        c.problem(v.curie(predicate), f"{from_id} -> {to_id}: between these ends the predicate is {v.curie(expected)}")
        return
    props = c.rels.setdefault((rel_type, from_id, to_id), {})
    source = v.id_of_iri(graph) if graph else None
    if rel_type != "SOURCED_FROM" and source and label_of(source) == "Source":
        props.setdefault("source", source)


# what an export withholds of a node that is not public (`policy`): an actor's name (personal data), a
# contact channel's address (a restricted channel is for token holders)
_WITHHELD_NAME = {"Actor": "name", "ContactPoint": "value"}


def _name_withheld(label: str, row: dict[str, Any]) -> bool:
    """A restricted actor without a name, or a restricted channel without its address: what an export publishes
    of it, so such a file is a complete record (an actor then gives the role label everyone sees instead)."""
    withheld = _WITHHELD_NAME.get(label)
    return withheld is not None and row.get(withheld) is None and row.get("visibility") != policy.PUBLIC


def _nodes(c: _Collector, rows: GraphRows, existing: set[str]) -> None:
    for node_id in sorted(set(c.types) | set(c.values)):
        label = label_of(node_id)
        problem = id_problem(node_id)
        if problem or label is None:
            c.problem(node_id, problem or "not a node id")
            continue
        labels = {v.LABEL_OF_CLASS[t] for t in c.types.get(node_id, ()) if t in v.LABEL_OF_CLASS}
        if labels != {label}:
            expected = v.curie(v.CLASS[label])
            c.problem(f"{node_id} rdf:type", f"expected class {expected}, found "
                      f"{', '.join(sorted(v.curie(t) for t in c.types.get(node_id, ()))) or 'none'}")
            continue
        row: dict[str, Any] = {"id": node_id}
        for predicate, objects in c.values.get(node_id, {}).items():
            if predicate in _DERIVED:
                continue
            prop = _PROP_OF[label].get(predicate)
            if prop is None:
                c.problem(f"{node_id} {v.curie(predicate)}", f"not a property of {label} in the copgraph vocabulary")
                continue
            if len(objects) > 1:
                c.problem(f"{node_id} {v.curie(predicate)}", f"{len(objects)} values, expected one")
                continue
            value = _value(c, f"{node_id} {v.curie(predicate)}", NODE_PROPERTIES[label][prop],
                           v.NODE_PROPS[label][prop], objects[0])
            row[prop] = value
        new = node_id not in existing
        problems = check_node(label, row, new=new and not _name_withheld(label, row))
        if new and label == "Actor" and _name_withheld(label, row) and not row.get("role_label") and not problems:
            problems.append(("name", "is required: a new actor needs its name, or - when restricted, whose name an "
                                     "export withholds - its role label"))
        for prop, message in problems:
            c.problem(f"{node_id} {prop}", message)
        rows.add_node(label, row)


def _value(c: _Collector, field: str, model_type: str, prop: v.Prop, obj: Any) -> Any:
    if prop.datatype is None:
        if not isinstance(obj, URIRef):
            c.problem(field, f"expected an IRI, found {obj!r}")
            return None
        if prop.from_iri is None:
            return str(obj)
        value = prop.from_iri(str(obj))
        if value is None:
            c.problem(field, f"{obj} is not an IRI this property takes")
        return value
    if not isinstance(obj, Literal):
        c.problem(field, f"expected a literal, found {obj}")
        return None
    datatype = str(obj.datatype) if obj.datatype else v.XSD_STRING
    if datatype != prop.datatype and not (datatype == v.XSD_STRING and obj.language):
        c.problem(field, f"expected datatype {v.curie(prop.datatype)}, found {v.curie(datatype)}")
        return None
    if obj.ill_typed:
        c.problem(field, f"'{obj}' is not a valid {v.curie(prop.datatype)}")
        return None
    if model_type == INT:
        value = int(obj.toPython())
        if abs(value) > MAX_INT64:
            c.problem(field, f"{short(str(obj))} does not fit a 64-bit integer")
            return None
        return value
    if model_type == FLOAT:
        return float(obj.toPython())
    if model_type == BOOL:
        return bool(obj.toPython())
    return str(obj)


def _apply_statements(c: _Collector) -> None:
    for subject, values in sorted(c.statements.items()):
        try:
            (s,), (p,), (o,) = values[v.RDF_SUBJECT], values[v.RDF_PREDICATE], values[v.RDF_OBJECT]
        except ValueError:
            c.problem(subject, "an rdf:Statement needs exactly one rdf:subject, rdf:predicate and rdf:object")
            continue
        rel_type = v.REL_OF_PREDICATE.get(str(p))
        from_id, to_id = v.id_of_iri(str(s)), v.id_of_iri(str(o))
        if rel_type is None or from_id is None or to_id is None:
            c.problem(subject, f"statement {s} {p} {o} is not a copgraph relationship")
            continue
        props = c.rels.get((rel_type, from_id, to_id))
        if props is None:  # the statement describes a relationship the file does not state: state it
            props = c.rels.setdefault((rel_type, from_id, to_id), {})
        for predicate, objects in values.items():
            if predicate in _STATEMENT_STRUCTURE:
                continue
            if predicate == v.ORG_MEMBER_DURING and rel_type in v.MEMBERSHIP_RELS:
                props.update(_period(c, subject, rel_type, objects))
                continue
            name = _REL_PROP_OF[rel_type].get(predicate)
            if name is None:
                c.problem(f"{subject} {v.curie(predicate)}", f"not a property of {rel_type}")
                continue
            if len(objects) > 1:
                c.problem(f"{subject} {v.curie(predicate)}", f"{len(objects)} values, expected one")
                continue
            value = _value(c, f"{subject} {v.curie(predicate)}", _REL_PROP_TYPES[rel_type][name],
                           v.REL_PROPS[rel_type][name], objects[0])
            if name == "source" and value is not None:
                value = v.id_of_iri(value)
            if value is not None:
                props[name] = value


def _period(c: _Collector, statement: str, rel_type: str, intervals: list[Any]) -> dict[str, str]:
    """`since`/`until` of a membership from its org:memberDuring time:Interval (each end a time:Instant with
    one time:inXSDDate); every malformed part is a problem naming the membership."""
    where = f"{statement} org:memberDuring"
    if len(intervals) != 1 or str(intervals[0]) not in c.time:
        c.problem(where, "expected one time:Interval described in the file")
        return {}
    interval = c.time[str(intervals[0])]
    allowed = {name: end for name, end in v.DURING_ENDS.items() if name in REL_TYPES[rel_type].properties}
    stray = set(interval) - {v.RDF_TYPE, *allowed.values()}
    if stray:
        c.problem(where, f"unexpected {', '.join(sorted(v.curie(p) for p in stray))} on the interval of {rel_type}")
    out: dict[str, str] = {}
    for name, end in allowed.items():
        instants = interval.get(end, [])
        if not instants:
            continue
        dates = c.time.get(str(instants[0]), {}).get(v.TIME_IN_XSD_DATE, []) if len(instants) == 1 else []
        if len(dates) != 1:
            c.problem(f"{where} {v.curie(end)}", "expected one time:Instant with one time:inXSDDate")
            continue
        value = _value(c, f"{where} {v.curie(end)}", "STRING", v.Prop(v.TIME_IN_XSD_DATE, v.XSD_DATE), dates[0])
        if value is not None:
            out[name] = value
    return out
