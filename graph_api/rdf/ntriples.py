"""The whole graph as N-Triples, formatted column by column: the export's fast path.

The block path (`blocks.graph_blocks` + `writers.write_nt`) builds a `Block` and a tuple per
statement and escapes every term on its own: ~31 s of CPU for the 9.5 million triples of the
Germany graph, in three equal parts (reading rows, building blocks, writing terms). N-Triples
needs neither a subject's triples together nor named graphs, so this path reads each label and
each of its relationship types as columns (`Store.export_columns`), renders every predicate and
class once per export and a node's IRI once per page (one regex pass over a whole id column tells
whether any id needs escaping), and writes a relationship with its rdf:Statement as one string.

Nothing about *what* is exported lives here: a node's triples are `blocks.node_pairs` of
`vocab.exported_values` (the personal-data rule of `graph_api.policy`), a relationship's
Statement is `blocks.statement_parts` of `policy.rel_view` (asked once per kind of relationship
end: the rule judges an Actor end by its visibility), and terms are `writers`' (`nt_object`,
`escape_iri`). Only the relationship rows are formatted here; the tests compare both paths as
multisets of lines and parse the output with two parsers.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from queue import Full, Queue
from typing import Any, TypeVar

from graph_api import policy
from graph_api.model import NODE_PROPERTIES, REL_TYPES, label_of
from graph_api.rdf import vocab as v
from graph_api.rdf.blocks import (
    MEMBER_LABELS,
    is_unit,
    node_pairs,
    out_rel_types,
    role_block,
    scheme_block,
    statement_parts,
)
from graph_api.rdf.writers import escape_iri, iri_term, needs_literal_escape, nt_object, write_nt
from graph_api.store import Store
from graph_api.store.reads import ColumnPage

# nodes per page: a page holds its nodes' relationships too (10,000 actors have ~75,000 KNOWS). Measured
# at Germany scale: 10,000 -> 276 MB peak growth, 20,000 -> 396 MB for ~5% less CPU, 5,000 -> 220 MB for ~15% more
PAGE_SIZE = 10_000
CHUNK_ROWS = 2_000  # relationships per yielded chunk (a few hundred kB of text)
SLICE_ROWS = 20_000  # relationships formatted at a time (see `_RelFormatter.chunks`)


def readable_rel_properties(rel_type: str) -> list[str]:
    """The properties of `rel_type` that the export may ever publish (what `policy.rel_view` shows anonymous
    readers when every Actor end is public); the others (KNOWS context) are not even read."""
    probe = dict.fromkeys(REL_TYPES[rel_type].properties, "probe")
    public = {"visibility": policy.PUBLIC}
    shown = policy.rel_view(rel_type, probe, [public, public], policy.ANONYMOUS)
    return [name for name in REL_TYPES[rel_type].properties if name in shown]


class _Terms:
    """The N-Triples text of the vocabulary and of node IRIs under one base, computed once per export."""

    def __init__(self, base: str) -> None:
        self.base = base
        # `<{base}id/{segment}/` per label: a node's term is this, its escaped key and `>`
        self.prefix = {label: "<" + escape_iri(v.node_iri(base, f"{label}:x")[:-1]) for label in NODE_PROPERTIES}

    def node_term(self, node_id: str) -> str:
        """`<iri>` of one node id (ValueError for a malformed one, as `vocab.node_iri`)."""
        return iri_term(v.node_iri(self.base, node_id))

    def node_terms(self, ids: list[str], label: str | None = None) -> list[str]:
        """`<iri>` of each node id (all of `label`, when given); one regex pass over the whole column decides
        whether any key needs encoding (`vocab.iri_key` works per character: the joined column needs it iff
        one of its ids does)."""
        if not v.key_needs_encoding("".join(ids)):
            if label is not None:
                head = label + ":"
                if all(node_id.startswith(head) for node_id in ids):
                    start, prefix_of_label = len(head), self.prefix[label]
                    return [prefix_of_label + node_id[start:] + ">" for node_id in ids]
            prefix = self.prefix
            try:
                return [prefix[label] + key + ">" for label, _, key in (node_id.partition(":") for node_id in ids)]
            except KeyError:
                pass  # an id of no known label: node_term raises the store's error for it
        return [self.node_term(node_id) for node_id in ids]


def export_nt(store: Store, base: str, page_size: int = PAGE_SIZE) -> Iterator[str]:
    """Every triple of the graph as N-Triples chunks: the same triples as `write_nt(graph_blocks(...))`."""
    terms = _Terms(base)
    schemes: set[str] = set()
    roles: set[str] = set()
    formatters: dict[str, dict[str, _RelFormatter]] = {}
    for label, page in read_ahead(_pages(store, page_size)):
        if label not in formatters:
            formatters[label] = {rel_type: _RelFormatter(terms, label, rel_type, readable_rel_properties(rel_type))
                                 for rel_type in out_rel_types(label)}
        ids = page.nodes["id"]
        subjects = terms.node_terms(ids, label)
        yield _node_text(terms, label, page.nodes, subjects, page.rels)
        if label == "Concept":
            schemes.update(scheme for scheme in page.nodes.get("scheme", ()) if scheme)
        term_of = dict(zip(ids, subjects, strict=True))
        units = _units(label, page.nodes)
        visibility = (dict(zip(ids, page.nodes["visibility"], strict=True)) if label == "Actor" else None)
        for rel_type, formatter in formatters[label].items():
            yield from formatter.chunks(page.rels[rel_type], term_of, units, visibility,
                                        roles if label in MEMBER_LABELS else None)
    yield "".join(write_nt([scheme_block(base, scheme) for scheme in sorted(schemes)]))
    yield "".join(write_nt([role_block(base, title) for title in sorted(roles)]))


def _pages(store: Store, page_size: int) -> Iterator[tuple[str, ColumnPage]]:
    """Every label's column pages, each with the relationship properties the export may publish."""
    for label in NODE_PROPERTIES:
        rel_properties = {rel_type: readable_rel_properties(rel_type) for rel_type in out_rel_types(label)}
        for page in store.export_columns(label, list(v.NODE_PROPS[label]), rel_properties, page_size):
            yield label, page


T = TypeVar("T")
_END = object()


def read_ahead(source: Iterator[T], depth: int = 1) -> Iterator[T]:
    """The items of `source`, produced by a thread of their own up to `depth` items ahead.

    The engine reads the next page with the GIL released while this thread formats the current one:
    on two cores the reads (~a quarter of the export's CPU) then cost next to no wall time. Memory
    holds at most `depth` + 2 pages. An error of the source is raised here; when the consumer stops
    early (a client that went away), the producer stops after its current read and closes the source."""
    queue: Queue[tuple[bool, Any]] = Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                queue.put(item, timeout=0.1)
                return True
            except Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in source:
                if not put((True, item)):
                    return
            put((True, _END))
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, which raises it
            put((False, exc))
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    thread = threading.Thread(target=produce, name="copgraph-export-read-ahead", daemon=True)
    thread.start()
    try:
        while True:
            ok, item = queue.get()
            if not ok:
                raise item
            if item is _END:
                return
            yield item
    finally:
        stop.set()
        thread.join()


def _rows(nodes: dict[str, list[Any]]) -> Iterator[dict[str, Any]]:
    names = list(nodes)
    for values in zip(*nodes.values(), strict=True):
        yield dict(zip(names, values, strict=True))


def _node_text(terms: _Terms, label: str, nodes: dict[str, list[Any]], subjects: list[str],
               rels: dict[str, dict[str, list[Any]]]) -> str:
    """The triples each node of a page states of itself (`blocks.node_pairs`), as one string."""
    base = terms.base
    publishing: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for rel_type in v.PUBLISHER_RELS.get(label, ()):
        for start, target in zip(rels[rel_type]["f"], rels[rel_type]["t"], strict=True):
            publishing[start].append((rel_type, target))
    lines = []
    for subject, row in zip(subjects, _rows(nodes), strict=True):
        values = v.exported_values(label, row)
        publisher = v.publisher_of(label, publishing[row["id"]]) if publishing else None
        lines += [f"{subject} {iri_term(p)} {nt_object(o)} .\n" for p, o in node_pairs(base, label, values, publisher)]
    return "".join(lines)


def _units(label: str, nodes: dict[str, list[Any]]) -> frozenset[str]:
    """The page's organisational units (their SUB_ORGANIZATION_OF is also org:unitOf)."""
    if label != "Organization":
        return frozenset()
    return frozenset(row["id"] for row in _rows(nodes) if is_unit(label, v.exported_values(label, row)))


# probes for the kinds of Actor ends `policy.rel_view` might tell apart: fail-closed spellings included
_VISIBILITY_PROBES = (policy.PUBLIC, policy.RESTRICTED, None, "", "PUBLIC")
_TO_ENDS = ("none", "unknown", "self")


@dataclass(frozen=True)
class _Plan:
    """How rows of one shape are written: `write(s, f, p, t, o, i, e)` gives the relationship's triple and its
    Statement from the statement term, start term, predicate, target term, rendered objects, interval term
    and (beginning, end) terms; `title` is which object is a membership's org:role title (collected for the
    org:Role blocks)."""

    write: Callable[..., str]
    during: bool
    title: int | None


def _compiled(template: str) -> Callable[..., str]:
    """`template` (placeholders `{s}`, `{f}`, `{p}`, `{t}`, `{o[k]}`, `{i}`, `{e[k]}`; other braces doubled) as a
    function of those values: an f-string compiled once per row shape. `str.format` parses its template
    on every call: 4.2 us against 0.7 us for a KNOWS row with its Statement. The template is this module's
    own text (vocabulary terms, escaped IRIs), never data."""
    return eval(f"lambda s, f, p, t, o, i=None, e=None: f{template!r}")  # noqa: S307


class _RelFormatter:
    """Formats the rows of one relationship type out of one label: the relationship's triple and, where
    `blocks.statement_parts` says so, its rdf:Statement (membership, period), as `statement_blocks` does.

    Rows are told apart by their *shape* (which properties are shown and non-empty, and which rendered to a
    term); each shape is planned once into a template, so a row costs one `str.format`. Object terms are
    rendered column by column (`_render`)."""

    def __init__(self, terms: _Terms, label: str, rel_type: str, names: list[str]) -> None:
        self.terms, self.label, self.rel_type, self.names = terms, label, rel_type, names
        targets = [b for a, b in REL_TYPES[rel_type].pairs if a == label]
        self.predicate = {b: iri_term(v.rel_predicate(rel_type, label, b)) for b in targets}
        self.single_target = targets[0] if len(set(targets)) == 1 else None
        # statement IRI = start IRI + `#{rel}-{target segment}-` + target key: built from the two terms
        self.statement_infix = {b: "#" + v.statement_iri("", rel_type, f"{label}:k", f"{b}:k")[:-1].split("#", 1)[1]
                                for b in targets}
        self.prefix_length = {b: len(terms.prefix[b]) for b in targets}
        self.unit_of = rel_type == "SUB_ORGANIZATION_OF"
        kinds = [(vis, end) for vis in (_VISIBILITY_PROBES if label == "Actor" else (None,))
                 for end in (_TO_ENDS if "Actor" in targets else ("none",))]
        self._shown = {kind: self._ask_policy(*kind) for kind in kinds}
        # do the ends change what is shown? (asked of the policy, not assumed)
        self.ends_matter = len(set(self._shown.values())) > 1
        self.constant_shown = self._shown[kinds[0]]
        self._plans: dict[tuple[Any, ...], _Plan | None] = {}

    def _ask_policy(self, from_visibility: Any, to_end: str) -> frozenset[str]:
        """What `policy.rel_view` publishes for one kind of ends, the ends built as `blocks.node_blocks` passes
        them: the start actor's properties (when the start is an actor), the target's when it is that same
        actor ("self"), None for an other actor ("unknown"); a non-actor end is not passed ("none")."""
        start = {"visibility": from_visibility} if self.label == "Actor" else None
        ends: list[dict[str, Any] | None] = [start] if self.label == "Actor" else []
        if to_end != "none":
            ends.append(start if to_end == "self" else None)
        probe = dict.fromkeys(REL_TYPES[self.rel_type].properties, "probe")
        return frozenset(policy.rel_view(self.rel_type, probe, ends, policy.ANONYMOUS))

    def shown(self, from_visibility: Any, to_end: str) -> frozenset[str]:
        found = self._shown.get((from_visibility, to_end))
        if found is None:  # a visibility spelt in a way no probe tried
            found = self._shown[(from_visibility, to_end)] = self._ask_policy(from_visibility, to_end)
        return found

    def _plan(self, shown: frozenset[str], shape: tuple[bool, ...]) -> _Plan | None:
        """The template for rows of this `shape` (filled flags, then rendered flags, per property)."""
        filled, rendered = shape[:len(self.names)], shape[len(self.names):]
        present = [name for name, full in zip(self.names, filled, strict=True) if full and name in shown]
        parts = statement_parts(self.rel_type, dict.fromkeys(present, "probe")) if present else None
        if parts is None:
            return None
        stated, during = parts
        index = {name: i for i, name in enumerate(self.names)}
        props = v.REL_PROPS[self.rel_type]
        # placeholders: s statement, f start, p predicate, t target, o[k] objects, i interval, e[k] its ends
        lines = ["{f} {p} {t} .\n{s} " + _TYPE + " " + _STATEMENT + " .\n"]  # the relationship, then its Statement
        if self.rel_type in v.MEMBERSHIP_RELS:
            lines.append("{s} " + _TYPE + " " + _MEMBERSHIP + " .\n{s} " + _MEMBER + " {f} .\n{s} "
                         + _ORGANIZATION + " {t} .\n")
        lines.append("{s} " + _SUBJECT + " {f} .\n{s} " + _PREDICATE + " {p} .\n{s} " + _OBJECT + " {t} .\n")
        title = None
        for name in stated:
            if rendered[index[name]]:  # an object the property has no term for is left out, as node_object says
                lines.append("{s} " + _braces(iri_term(props[name].predicate)) + f" {{o[{index[name]}]}} .\n")
                if props[name].predicate == v.ORG_ROLE:
                    title = index[name]
        if during:
            lines.append("{s} " + _MEMBER_DURING + " {i} .\n{i} " + _TYPE + " " + _INTERVAL + " .\n")
            for end in during:
                k = f"{{e[{0 if end == 'since' else 1}]}}"
                lines.append("{i} " + _braces(iri_term(v.DURING_ENDS[end])) + f" {k} .\n{k} " + _TYPE + " "
                             + _INSTANT + f" .\n{k} " + _IN_XSD_DATE + f" {{o[{index[end]}]}} .\n")
        return _Plan(_compiled("".join(lines)), bool(during), title)

    def _render(self, name: str, column: list[Any]) -> list[str | None]:
        """The object term of each value of one property column (None: no triple), as `nt_object` writes it."""
        base = self.terms.base
        if name == "source":
            known: dict[str, str] = {}  # a few sources state everything: each term made once
            return [(known.get(value) or known.setdefault(value, self.terms.node_term(value))) if value else None
                    for value in column]
        # a membership's period ends are no Statement property: its instants carry them as xsd:date
        prop = v.REL_PROPS[self.rel_type].get(name) or v.Prop(v.TIME_IN_XSD_DATE, v.XSD_DATE)
        texts = [value for value in column if value]
        if (prop.to_iri is None and (prop.language or prop.datatype not in (None, *_TYPED_LEXICAL))
                and all(type(value) is str for value in texts) and not needs_literal_escape("".join(texts))):
            # text written as it is (what `nt_object` does with a string that needs no escape), column-wide
            close = '"' + ("@" + prop.language if prop.language else
                           "" if prop.datatype == v.XSD_STRING else "^^" + iri_term(prop.datatype))
            return [f'"{value}{close}' if value else None for value in column]
        out: list[str | None] = []
        for value in column:
            obj = v.node_object(prop, value, base) if value is not None and value != "" else None
            out.append(nt_object(obj) if obj is not None else None)
        return out

    def chunks(self, columns: dict[str, list[Any]], term_of: dict[str, str], units: frozenset[str],
               visibility: dict[str, Any] | None, roles: set[str] | None) -> Iterator[str]:
        """The page's rows of this type as N-Triples chunks, formatted a slice at a time: the lists made per
        row (shapes, terms) then stay a slice long, not a page (a page of actors has ~150,000 KNOWS)."""
        for low in range(0, len(columns["f"]), SLICE_ROWS):
            part = {name: column[low:low + SLICE_ROWS] for name, column in columns.items()}
            yield from self._slice(part, term_of, units, visibility, roles)

    def _slice(self, columns: dict[str, list[Any]], term_of: dict[str, str], units: frozenset[str],
               visibility: dict[str, Any] | None, roles: set[str] | None) -> Iterator[str]:
        starts, targets = columns["f"], columns["t"]
        if not starts:
            return
        values = [columns[name] for name in self.names]
        rendered_columns = [self._render(name, column) for name, column in zip(self.names, values, strict=True)]
        # a row's shape: which values are filled, then which rendered to a term (tuples made in C by zip)
        shapes = list(zip(*[[x is not None and x != "" for x in column] for column in values],
                          *[[term is not None for term in column] for column in rendered_columns], strict=True))
        objects = list(zip(*rendered_columns, strict=True))
        raw = list(zip(*values, strict=True))
        if not self.names:
            shapes = objects = raw = [()] * len(starts)
        target_terms = self.terms.node_terms(targets, self.single_target)
        plans, names, single_target = self._plans, self.names, self.single_target
        single_predicate = self.predicate[single_target] if single_target else None
        unit_of, ends_matter, shown = self.unit_of, self.ends_matter, self.constant_shown
        lines: list[str] = []
        for start, target, target_term, shape, rendered, row in zip(starts, targets, target_terms, shapes, objects,
                                                                    raw, strict=True):
            start_term = term_of.get(start)
            if start_term is None:
                continue  # its start node was not read (added between the reads): as the block path
            if single_target:
                target_label, predicate = single_target, single_predicate
            else:
                target_label = target.partition(":")[0]
                predicate = self.predicate.get(target_label) or iri_term(
                    v.rel_predicate(self.rel_type, self.label, label_of(target)))
            if unit_of and start in units:
                lines.append(f"{start_term} {_ORG_UNIT_OF} {target_term} .\n")
            if not names:
                lines.append(f"{start_term} {predicate} {target_term} .\n")
                continue
            if ends_matter:
                to_end = ("self" if target == start else "unknown") if target_label == "Actor" else "none"
                shown = self.shown(visibility.get(start) if visibility is not None else None, to_end)
            key = (shown, shape)
            plan = plans.get(key, _UNPLANNED)
            if plan is _UNPLANNED:
                plan = plans[key] = self._plan(shown, shape)
            if plan is None:
                lines.append(f"{start_term} {predicate} {target_term} .\n")
                continue
            length = self.prefix_length.get(target_label)
            if length is None:
                subject = iri_term(v.statement_iri(self.terms.base, self.rel_type, start, target))
            else:
                subject = start_term[:-1] + self.statement_infix[target_label] + target_term[length:]
            if plan.during:
                open_subject = subject[:-1]
                ends = tuple(v.interval_end_iri(open_subject, end) + ">" for end in ("since", "until"))
                lines.append(plan.write(subject, start_term, predicate, target_term, rendered,
                                        v.interval_iri(open_subject) + ">", ends))
            else:
                lines.append(plan.write(subject, start_term, predicate, target_term, rendered))
            if plan.title is not None and roles is not None:  # as `blocks.role_titles` reads them back
                title = v.role_of_iri(v.role_iri(self.terms.base, row[plan.title]))
                if title:
                    roles.add(title)
            if len(lines) >= CHUNK_ROWS:
                yield "".join(lines)
                lines = []
        if lines:
            yield "".join(lines)


_UNPLANNED = _Plan(str, False, None)  # a marker: no plan made yet for a shape


def _braces(text: str) -> str:
    """`text` safe inside an f-string template (see `_compiled`)."""
    return text.replace("{", "{{").replace("}", "}}")


# datatypes whose lexical form is not the stored text itself (`writers.lexical`)
_TYPED_LEXICAL = frozenset({v.XSD_BOOLEAN, v.XSD_DOUBLE, v.XSD_INTEGER})
_TYPE, _STATEMENT, _MEMBERSHIP = iri_term(v.RDF_TYPE), iri_term(v.RDF_STATEMENT), iri_term(v.ORG_MEMBERSHIP)
_MEMBER, _ORGANIZATION = iri_term(v.ORG_MEMBER), iri_term(v.ORG_ORGANIZATION)
_SUBJECT, _PREDICATE, _OBJECT = iri_term(v.RDF_SUBJECT), iri_term(v.RDF_PREDICATE), iri_term(v.RDF_OBJECT)
_MEMBER_DURING, _INTERVAL, _INSTANT = iri_term(v.ORG_MEMBER_DURING), iri_term(v.TIME_INTERVAL), iri_term(v.TIME_INSTANT)
_IN_XSD_DATE, _ORG_UNIT_OF = iri_term(v.TIME_IN_XSD_DATE), iri_term(v.ORG_UNIT_OF)
assert not any(brace in term for term in (_TYPE, _STATEMENT, _MEMBERSHIP, _MEMBER, _ORGANIZATION, _SUBJECT, _PREDICATE,
                                          _OBJECT, _MEMBER_DURING, _INTERVAL, _INSTANT, _IN_XSD_DATE)
               for brace in "{}"), "vocabulary terms go into templates unescaped"
