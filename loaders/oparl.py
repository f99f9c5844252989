"""OParl 1.1 council data (JSON files or an API dump folder) -> organisations, actors and sources.

Council information systems are the public record of what a municipality decides: which
committees and municipal enterprises it has, and which papers and meetings concern them. The
loader keeps that record as evidence in the graph:

* Body -> the municipality's administration ("Stadtverwaltung Karlsruhe",
  `Organization:oparl-karlsruhe-bodies-0001-<hash>`), which `ADMINISTERS` the municipality when
  its AGS is known and the municipality is in the store, plus one `dataset` Source for the dump
  (`Source:oparl-karlsruhe-bodies-0001-<hash>`) that every relationship the loader emits names
  as its `source`.
* Organization -> elected councils (Gemeinderat, Ortschaftsrat: kind COUNCIL, `SERVES` the
  municipality when it is in the store — never `SUB_ORGANIZATION_OF` the administration, which
  serves the council, not the other way round), committees and other council bodies (kind
  COMMITTEE, `SUB_ORGANIZATION_OF` their OParl parent, else the body's main council when the input
  lists it — never the administration), administrative units (`SUB_ORGANIZATION_OF` their OParl
  parent, else the administration) or municipal enterprises (`OWNED_BY` the municipality, else the
  administration); see `oparl_names.classify`.
* Person + Membership -> public `Actor`s with `WORKS_FOR {title, since, until}`. Contact data
  (e-mail, phone) is not taken over: the graph needs roles, not addresses.
* Paper, Meeting, AgendaItem, File -> `Source`s (council-paper, council-meeting,
  council-agenda-item, council-file), each `SOURCED_FROM`-linked from the organisations it
  concerns; papers about Karlsruhe's "IQ – innovativ und quervernetzt" also become evidence
  of that Solution when it exists in the store.
* System, Location, Consultation, LegislativeTerm are validated; they produce no nodes.

Input: one JSON file or a folder (searched recursively for `*.json`); a file holds one object,
an array of objects or an OParl list page (`{"data": [...]}`). Objects may embed others. Every
object is validated against the OParl schema (`oparl_validate`); all problems of all files are
reported together and nothing is returned when there is one.

Keys are derived from the OParl object's `id` URL alone (`oparl_names.object_key`: a readable
part and a hash, all beginning with `oparl-`), never from names, so a renamed body, organisation
or paper stays the same node and reloading is idempotent; the node keeps the URL as `same_as`
(exported as `owl:sameAs`). The loader defines only `oparl-` nodes: curated records, which may
not use that namespace, are never overwritten by it; it only links to them (a municipality it
administers, the IQ solution a paper is evidence of).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_api.loaders import oparl_validate
from graph_api.loaders.oparl_names import (
    KNOWN_BODIES,
    MAIN_COUNCIL,
    BodyNames,
    body_names,
    classify,
    last_segment,
    object_key,
    slug,
)
from graph_api.loaders.record_rules import check_node
from graph_api.loaders.text_input import read_utf8
from graph_api.rows import GraphRows, LoadError, LoadProblem

ExistingIds = Callable[[set[str]], set[str]]

IQ_SOLUTION = "Solution:iq-innovativ-und-quervernetzt"
_IQ_MENTION = re.compile(r"\bIQ\b|innovativ\s+und\s+quervernetzt", re.IGNORECASE)
# where embedded objects sit: (parent type, property) -> child type
_EMBEDDED = {
    ("Meeting", "agendaItem"): "AgendaItem", ("Meeting", "invitation"): "File",
    ("Meeting", "resultsProtocol"): "File", ("Meeting", "verbatimProtocol"): "File",
    ("Meeting", "auxiliaryFile"): "File", ("Meeting", "location"): "Location",
    ("AgendaItem", "resolutionFile"): "File", ("AgendaItem", "auxiliaryFile"): "File",
    ("Paper", "mainFile"): "File", ("Paper", "auxiliaryFile"): "File", ("Paper", "location"): "Location",
    ("Paper", "consultation"): "Consultation", ("Person", "membership"): "Membership",
    ("Person", "locationObject"): "Location", ("Organization", "location"): "Location",
    ("Body", "legislativeTerm"): "LegislativeTerm", ("Body", "location"): "Location",
}


@dataclass
class _Obj:
    """One validated OParl object, top-level or embedded, with where it came from."""

    type: str
    data: dict[str, Any]
    file: str
    line: int | None
    parent: _Obj | None = None

    @property
    def id(self) -> str:
        return self.data["id"]


@dataclass
class _Body:
    url: str
    names: BodyNames
    ags: str | None
    website: str | None = None
    licence: str | None = None

    @property
    def source_id(self) -> str:
        """The dataset Source of the body's OParl API."""
        return f"Source:{object_key(self.url)}"

    @property
    def administration_id(self) -> str:
        """The organisation the body becomes (its administration), keyed by the Body's URL like the dataset."""
        return f"Organization:{object_key(self.url)}"


@dataclass
class _Context:
    problems: list[LoadProblem] = field(default_factory=list)
    objects: dict[str, _Obj] = field(default_factory=dict)  # OParl id -> first occurrence
    by_type: dict[str, list[_Obj]] = field(default_factory=lambda: defaultdict(list))

    def add(self, file: str, line: int | None, where: str, message: str) -> None:
        self.problems.append(LoadProblem(file, line, where, message))


def read(path: str | Path, *, existing_ids: ExistingIds | None = None) -> GraphRows:
    """Validate OParl JSON (a file or a dump folder) and return its rows; raise `LoadError` with all problems."""
    path = Path(path)
    ctx = _Context()
    for file in _files(path, ctx):
        _parse_file(file, ctx)
    bodies: dict[str, _Body] = {}
    body_of: dict[str, _Body] = {}
    if not ctx.problems:
        bodies = _bodies(ctx)
        body_of = _assign_bodies(ctx, bodies)
    if ctx.problems:
        raise LoadError(sorted(ctx.problems, key=lambda p: (p.file, p.line or 0, p.field)))
    rows = _Mapper(ctx, body_of, existing_ids).rows(bodies)
    if ctx.problems:  # the shared record rules, checked on the rows the objects became
        raise LoadError(sorted(ctx.problems, key=lambda p: (p.file, p.line or 0, p.field)))
    return rows


# ---- reading and validating ------------------------------------------------------------------
def _files(path: Path, ctx: _Context) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        ctx.add(str(path), None, "path", "does not exist")
        return []
    found = sorted(p for p in path.rglob("*.json") if p.is_file())
    if not found:
        ctx.add(str(path), None, "path", "holds no *.json files")
    return found


def _parse_file(file: Path, ctx: _Context) -> None:
    name = str(file)
    text, problem = read_utf8(file)
    if problem is not None:
        ctx.problems.append(problem)
        return
    too_deep = _nesting_beyond(text, MAX_DEPTH)
    if too_deep is not None:
        ctx.add(name, too_deep, "json", f"nested deeper than {MAX_DEPTH} levels (OParl objects nest a few levels)")
        return
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        ctx.add(name, exc.lineno, "json", f"{exc.msg} (column {exc.colno})")
        return
    if isinstance(document, dict) and "type" not in document and isinstance(document.get("data"), list):
        items, where = document["data"], "data"  # an OParl list page
    elif isinstance(document, list):
        items, where = document, ""
    elif isinstance(document, dict):
        items, where = [document], None
    else:
        ctx.add(name, 1, "file", "must hold an OParl object, an array of objects or a list page {\"data\": [...]}")
        return
    for index, item in enumerate(items):
        record = None if where is None else f"{where}[{index}]"
        _check_object(item, name, text, record, ctx)


# OParl nests objects a few levels (Meeting > AgendaItem > File); 64 stops a hostile file long before
# Python's recursion limit in the JSON parser and the schema validator.
MAX_DEPTH = 64
_JSON_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _nesting_beyond(text: str, limit: int) -> int | None:
    """The line where brackets nest deeper than `limit` (strings skipped), or None."""
    depth = 0
    for match in _JSON_TOKENS.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, match.start()) + 1
        elif token in "]}":
            depth -= 1
    return None


def _check_object(item: Any, file: str, text: str, record: str | None, ctx: _Context) -> None:
    prefix = f"{record} " if record else ""
    if not isinstance(item, dict):
        ctx.add(file, None, f"{prefix}record".strip(), "must be an OParl object (a JSON object)")
        return
    line = _line_of(text, item.get("id"))
    type_name = oparl_validate.type_name(item)
    if type_name is None:
        known = ", ".join(oparl_validate.object_types())
        value = item.get("type")
        message = ("is required but missing" if value is None
                   else f"{value!r} is not an OParl 1.1 object type (https://schema.oparl.org/1.1/<{known}>)")
        ctx.add(file, line, f"{prefix}type", message)
        return
    problems = list(oparl_validate.errors(type_name, item))
    for path, message in problems:
        inner = _line_of(text, _innermost_id(item, path)) or line
        ctx.add(file, inner, prefix + oparl_validate.dotted(type_name, path), message)
    if not problems and not item.get("deleted"):
        _register(_Obj(type_name, item, file, line), text, ctx)


def _line_of(text: str, object_id: Any) -> int | None:
    """Line of an object's own `"id": "..."` in the file (ids are unique, so this finds the record)."""
    if not isinstance(object_id, str):
        return None
    match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(object_id, ensure_ascii=False)), text)
    if match is None:
        match = re.search(r'"id"\s*:\s*' + re.escape(json.dumps(object_id)), text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _innermost_id(item: dict[str, Any], path: list[str | int]) -> str | None:
    found, node = item.get("id"), item
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


def _register(obj: _Obj, text: str, ctx: _Context) -> None:
    """Keep the first occurrence of each OParl id and walk into embedded objects."""
    if obj.id in ctx.objects:
        return
    ctx.objects[obj.id] = obj
    ctx.by_type[obj.type].append(obj)
    for (parent_type, prop), child_type in _EMBEDDED.items():
        if parent_type != obj.type:
            continue
        value = obj.data.get(prop)
        for child in value if isinstance(value, list) else [value]:
            if isinstance(child, dict) and isinstance(child.get("id"), str) and not child.get("deleted"):
                _register(_Obj(child_type, child, obj.file, _line_of(text, child["id"]) or obj.line, obj), text, ctx)


# ---- bodies ------------------------------------------------------------------------------------
def _bodies(ctx: _Context) -> dict[str, _Body]:
    bodies: dict[str, _Body] = {}
    for obj in ctx.by_type["Body"]:
        data = obj.data
        known = KNOWN_BODIES.get(obj.id)
        bodies[obj.id] = _Body(obj.id, body_names(data["name"], data.get("shortName")),
                               data.get("ags") or (known[1] if known else None), data.get("website"),
                               data.get("license"))
    for url, (name, ags) in KNOWN_BODIES.items():
        bodies.setdefault(url, _Body(url, body_names(name), ags))
    return bodies


def _assign_bodies(ctx: _Context, bodies: dict[str, _Body]) -> dict[str, _Body]:
    """The body of every object that becomes a node; a problem for each object whose body is unknown.

    An object names its body (`body`), inherits it from the object embedding it or, for
    Meetings, from its organisations, or its URL lies under the body's URL. When the input
    holds exactly one Body object, objects naming another body are given that one (the spec
    examples are inconsistent in this way).
    """
    in_input = [bodies[o.id] for o in ctx.by_type["Body"]]
    body_of: dict[str, _Body] = {}

    def claimed(obj: _Obj) -> str | None:
        if isinstance(obj.data.get("body"), str):
            return obj.data["body"]
        if obj.parent is not None:
            return claimed(obj.parent)
        if obj.type == "Meeting":
            for org in obj.data.get("organization") or []:
                if org in ctx.objects and isinstance(ctx.objects[org].data.get("body"), str):
                    return ctx.objects[org].data["body"]
        if obj.type == "AgendaItem" and obj.data.get("meeting") in ctx.objects:
            return claimed(ctx.objects[obj.data["meeting"]])
        return next((url for url in bodies if obj.id.startswith(url.rstrip("/") + "/")), None)

    for type_name in ("Organization", "Person", "Meeting", "AgendaItem", "Paper", "File", "Membership"):
        for obj in ctx.by_type[type_name]:
            url = claimed(obj)
            if url in bodies:
                body_of[obj.id] = bodies[url]
            elif len(in_input) == 1:
                body_of[obj.id] = in_input[0]
            elif type_name != "Membership":
                said = f"'{url}' is not a Body in the input" if url else "no body is named"
                ctx.add(obj.file, obj.line, f"{obj.type}.body",
                        f"{said} and the loader knows no such body; add the Body object to the input")
    return body_of


# ---- mapping -----------------------------------------------------------------------------------
class _Mapper:
    def __init__(self, ctx: _Context, body_of: dict[str, _Body], existing_ids: ExistingIds | None):
        self.ctx, self.body_of, self.rows_out = ctx, body_of, GraphRows()
        self.org_ids = self._org_ids()
        self.main_council = self._main_councils()
        self.existing = self._existing(existing_ids)

    def _existing(self, existing_ids: ExistingIds | None) -> set[str]:
        wanted = {f"Municipality:{b.ags}" for b in self.body_of.values() if b.ags}
        wanted |= {IQ_SOLUTION} if self.ctx.by_type["Paper"] else set()
        return existing_ids(wanted) if existing_ids is not None and wanted else set()

    def _org_ids(self) -> dict[str, str]:
        """OParl organisation URL -> graph id (from the URL); an organisation that is the body's own
        administration (same name) is the body's administration node, not a second one."""
        ids: dict[str, str] = {}
        for obj in self.ctx.by_type["Organization"]:
            body = self.body_of[obj.id]
            own = slug(_org_name(obj.data)) == slug(body.names.administration)
            ids[obj.id] = body.administration_id if own else f"Organization:{object_key(obj.id)}"
        return ids

    def _main_councils(self) -> dict[str, str]:
        """Body URL -> the graph id of its one main council (Gemeinderat, Stadtrat, Kreistag, Rat der Stadt …),
        when the input lists exactly one: the council a committee without an OParl parent belongs to."""
        found: dict[str, set[str]] = defaultdict(set)
        for obj in self.ctx.by_type["Organization"]:
            if MAIN_COUNCIL.match(_org_name(obj.data)):
                found[self.body_of[obj.id].url].add(self.org_ids[obj.id])
        return {url: next(iter(ids)) for url, ids in found.items() if len(ids) == 1}

    def rows(self, bodies: dict[str, _Body]) -> GraphRows:
        used = {b.url: b for b in self.body_of.values()}
        for obj in self.ctx.by_type["Body"]:
            used.setdefault(obj.id, bodies[obj.id])
        for body in used.values():
            known = self.ctx.objects.get(body.url)
            self._checked(lambda b=body: self._body(b), known.file if known else body.url,
                          known.line if known else None, "Body")
        handlers = {"Organization": self._organization, "Person": self._person, "Membership": self._membership,
                    "Paper": self._paper, "Meeting": self._meeting, "AgendaItem": self._agenda_item,
                    "File": self._file}
        for type_name, handler in handlers.items():
            for obj in self.ctx.by_type[type_name]:
                self._checked(lambda o=obj, h=handler: h(o), obj.file, obj.line, obj.type)
        return self.rows_out

    def _checked(self, emit: Callable[[], None], file: str, line: int | None, type_name: str) -> None:
        """Emit one object's rows, then hold its new nodes to the rules every source obeys."""
        before = {label: len(rows) for label, rows in self.rows_out.nodes.items()}
        emit()
        for label, rows in list(self.rows_out.nodes.items()):
            for row in rows[before.get(label, 0):]:
                for prop, message in check_node(label, row):
                    self.ctx.add(file, line, f"{type_name} -> {label}.{prop}", message)

    def _body(self, body: _Body) -> None:
        names, out = body.names, self.rows_out
        out.add_node("Source", {"id": body.source_id, "title": f"{names.name}, Ratsinformationssystem (OParl)",
                                "kind": "dataset", "url": body.url, "publisher": names.name,
                                "licence": body.licence, "note": "OParl 1.1 API of the council information system",
                                "illustrative": False})
        out.add_node("Organization", {"id": body.administration_id, "name": names.administration,
                                      "kind": "ADMINISTRATION", "url": body.website, "same_as": body.url})
        out.add_rel("SOURCED_FROM", body.administration_id, body.source_id, source=body.source_id)
        municipality = f"Municipality:{body.ags}" if body.ags else None
        if municipality in self.existing:
            out.add_rel("ADMINISTERS", body.administration_id, municipality, source=body.source_id)

    def _organization(self, obj: _Obj) -> None:
        data, body = obj.data, self.body_of[obj.id]
        node_id = self.org_ids[obj.id]
        if node_id == body.administration_id:  # the body lists its own administration
            return
        kind = classify(_org_name(data), data.get("organizationType"), data.get("classification"))
        described = [x for x in (data.get("organizationType"), data.get("classification")) if x]
        self.rows_out.add_node("Organization", {
            "id": node_id, "name": _org_name(data), "short_name": data.get("shortName"), "kind": kind.kind,
            "legal_form": kind.legal_form, "url": data.get("website") or data.get("web"), "same_as": obj.id,
            "description": f"{' / '.join(described)} ({body.names.name}, OParl)" if described else None})
        src = body.source_id
        self.rows_out.add_rel("SOURCED_FROM", node_id, src, source=src)
        parent = self.org_ids.get(data.get("subOrganizationOf") or "")
        if kind.kind == "COUNCIL":  # an elected council: the municipality's own body, not part of its
            # administration (which carries out what the council decides); it serves the municipality
            municipality = f"Municipality:{body.ags}" if body.ags else None
            if municipality in self.existing:
                self.rows_out.add_rel("SERVES", node_id, municipality, source=src)
        elif kind.kind == "COMMITTEE":  # formed by the council, not a unit of the administration
            council = parent or self.main_council.get(body.url)
            if council and council != node_id:
                self.rows_out.add_rel("SUB_ORGANIZATION_OF", node_id, council, source=src)
        elif kind.is_part_of_body:
            self.rows_out.add_rel("SUB_ORGANIZATION_OF", node_id, parent or body.administration_id, source=src)
        elif kind.is_enterprise:
            municipality = f"Municipality:{body.ags}" if body.ags else None
            owner = municipality if municipality in self.existing else body.administration_id
            self.rows_out.add_rel("OWNED_BY", node_id, owner, source=src)
        elif parent:
            self.rows_out.add_rel("SUB_ORGANIZATION_OF", node_id, parent, source=src)

    def _actor_id(self, person_url: str) -> str:
        return f"Actor:{object_key(person_url)}"

    def _person(self, obj: _Obj) -> None:
        data, body = obj.data, self.body_of[obj.id]
        name = data.get("name") or " ".join(x for x in (data.get("givenName"), data.get("familyName")) if x)
        roles = [m.get("role") for m in data.get("membership") or [] if isinstance(m, dict) and m.get("role")]
        role_label = ", ".join(data.get("status") or []) or (roles[0] if roles else None)
        node_id = self._actor_id(obj.id)
        self.rows_out.add_node("Actor", {"id": node_id, "name": name or f"Person {last_segment(obj.id)}",
                                         "role_label": role_label, "visibility": "public", "same_as": obj.id})
        self.rows_out.add_rel("SOURCED_FROM", node_id, body.source_id, source=body.source_id)

    def _membership(self, obj: _Obj) -> None:
        data = obj.data
        person = obj.parent.id if obj.parent is not None and obj.parent.type == "Person" else data.get("person")
        org = self.org_ids.get(data.get("organization") or "")
        if not org or person not in self.ctx.objects or self.ctx.objects[person].type != "Person":
            return  # the other end is not part of this input
        self.rows_out.add_rel("WORKS_FOR", self._actor_id(person), org, title=data.get("role"),
                              since=data.get("startDate"), until=data.get("endDate"),
                              source=self.body_of[person].source_id)

    def _source(self, obj: _Obj, kind: str, title: str, published_on: str | None, note: str | None,
                url: str | None = None, licence: str | None = None) -> str:
        body = self.body_of[obj.id]
        node_id = f"Source:{object_key(obj.id)}"
        self.rows_out.add_node("Source", {
            "id": node_id, "title": title, "kind": kind, "url": url or obj.data.get("web") or obj.id, "same_as": obj.id,
            "publisher": body.names.name, "published_on": published_on,
            "licence": licence or obj.data.get("license") or body.licence, "note": note, "illustrative": False})
        return node_id

    def _evidence(self, org_urls: list[str], source_id: str, body: _Body) -> None:
        for org in dict.fromkeys(self.org_ids[u] for u in org_urls if u in self.org_ids):
            self.rows_out.add_rel("SOURCED_FROM", org, source_id, source=body.source_id)

    def _paper_orgs(self, data: dict[str, Any]) -> list[str]:
        urls = list(data.get("underDirectionOf") or []) + list(data.get("originatorOrganization") or [])
        for consultation in data.get("consultation") or []:
            if isinstance(consultation, dict):
                urls += consultation.get("organization") or []
        return urls

    def _paper(self, obj: _Obj) -> None:
        data, body = obj.data, self.body_of[obj.id]
        reference, paper_type = data.get("reference"), data.get("paperType")
        note = " ".join(x for x in (paper_type, reference) if x) or None
        source_id = self._source(obj, "council-paper", data.get("name") or f"Vorlage {reference or obj.id}",
                                 data.get("date"), note)
        self._evidence(self._paper_orgs(data), source_id, body)
        mention = " ".join(x for x in (data.get("name"), reference) if x)
        if IQ_SOLUTION in self.existing and _IQ_MENTION.search(mention):
            self.rows_out.add_rel("SOURCED_FROM", IQ_SOLUTION, source_id, source=body.source_id)

    def _meeting_of(self, agenda_item: _Obj) -> _Obj | None:
        if agenda_item.parent is not None:
            return agenda_item.parent
        meeting = self.ctx.objects.get(agenda_item.data.get("meeting") or "")
        return meeting if meeting is not None and meeting.type == "Meeting" else None

    def _meeting_orgs(self, meeting: _Obj | None) -> list[str]:
        return list(meeting.data.get("organization") or []) if meeting is not None else []

    def _meeting(self, obj: _Obj) -> None:
        data, body = obj.data, self.body_of[obj.id]
        items = [a for a in data.get("agendaItem") or [] if isinstance(a, dict)]
        location = data.get("location") if isinstance(data.get("location"), dict) else {}
        parts = [location.get("description"), f"{len(items)} Tagesordnungspunkte" if items else None,
                 "abgesagt" if data.get("cancelled") else None]
        source_id = self._source(obj, "council-meeting", data.get("name") or "Sitzung", _day(data.get("start")),
                                 "; ".join(p for p in parts if p) or None)
        self._evidence(self._meeting_orgs(obj), source_id, body)

    def _agenda_item(self, obj: _Obj) -> None:
        data, body = obj.data, self.body_of[obj.id]
        meeting = self._meeting_of(obj)
        meeting_name = meeting.data.get("name") if meeting is not None else None
        number = data.get("number")
        title = f"TOP {number}: {data.get('name') or ''}".strip(": ") if number else data.get("name") or "TOP"
        parts = [f"Sitzung: {meeting_name}" if meeting_name else None,
                 f"Ergebnis: {data['result']}" if data.get("result") else None,
                 "nicht öffentlich" if data.get("public") is False else None]
        started = _day(data.get("start")) or (_day(meeting.data.get("start")) if meeting is not None else None)
        source_id = self._source(obj, "council-agenda-item", title, started, "; ".join(p for p in parts if p) or None)
        self._evidence(self._meeting_orgs(meeting), source_id, body)

    def _file(self, obj: _Obj) -> None:
        data, body = obj.data, self.body_of[obj.id]
        parent = obj.parent
        note = None
        org_urls: list[str] = []
        if parent is not None:
            label = {"Paper": "Vorlage", "Meeting": "Sitzung", "AgendaItem": "Tagesordnungspunkt"}[parent.type]
            note = f"Datei zu {label}: {parent.data.get('name') or parent.id}"
            if parent.type == "Paper":
                org_urls = self._paper_orgs(parent.data)
            else:
                org_urls = self._meeting_orgs(parent if parent.type == "Meeting" else self._meeting_of(parent))
        source_id = self._source(obj, "council-file", data.get("name") or data.get("fileName") or "Datei",
                                 data.get("date"), note, url=data.get("accessUrl"), licence=data.get("fileLicense"))
        self._evidence(org_urls, source_id, body)


def _org_name(data: dict[str, Any]) -> str:
    return (data.get("name") or data.get("shortName") or f"Organisation {last_segment(data['id'])}").strip()


def _day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None

