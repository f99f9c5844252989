"""`copgraph load publiccode PATH…`: publiccode.yml files -> a software Solution and its links.

Every file is validated first (`validate.py`, the reference parser's verdicts); one invalid file
refuses the whole load with each finding located (file, line, key) and nothing is written.
A valid file becomes (docs/publiccode.md has the full table):

* `Solution`: name, summary (first paragraph of the German long description, else English, else
  the first language), development_status, software_type, repository_url (`url`), url
  (`landingURL`), licence (`legal.license`), maintenance_type, maintained_until (latest contractor
  `until`). The solution is the one in the graph with the same repository, else a new one keyed
  by the slug of its name.
* `Source:publiccode-<solution>`: the file; every statement below names it as its source.
* `fundedBy` -> `FUNDED_BY` an Organization or Project (by copgraph IRI, URL or exact name; a
  named funder the graph lacks is created, an unnamed unknown one is reported).
* `maintenance.contractors` -> `MAINTAINED_BY {until}` an Organization (found by name or created);
  type `internal` -> `MAINTAINED_BY` the publishing `organisation` when the graph has it.
  `maintenance.contacts` are people: their names, e-mails and phones are never stored.
* `isBasedOn` -> `DERIVED_FROM` the Solution with that repository (or copgraph IRI); an upstream
  the graph does not hold is reported, not invented.
* `usedBy` -> an `Adoption` (status ADOPTED: the file says the software is in use) `OF` the
  solution `BY` the territory or organisation the name matches (`adopters.py`); an adoption the
  graph already has is reused unchanged. Ambiguous and unmatched names are reported.

Loading the same files again changes nothing: ids derive from the repository, the name and the
adopter's key, and links the graph already holds are stated without touching their source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph_api.german import fold
from graph_api.loaders.oparl_names import slug
from graph_api.loaders.record_rules import check_node, short
from graph_api.model import make_id
from graph_api.rdf.vocab import id_of_iri
from graph_api.rows import GraphRows, LoadError, LoadProblem
from graph_api.store.publiccode_reads import GraphReads, NoGraph, Read

from .adopters import AdopterIndex
from .validate import Result, validate_file
from .yaml_ast import find_key_position

# a folder is searched for files with these names (the standard's file name, and the .yaml spelling)
FILE_NAMES = ("publiccode.yml", "publiccode.yaml")
ADOPTION_STATUS = "ADOPTED"
SOURCE_KIND = "publiccode"


def normalise_url(url: str | None) -> str:
    """Repository URLs compare without scheme case, trailing slash or `.git`."""
    if not url:
        return ""
    text = url.strip().lower().rstrip("/")
    return text[:-4] if text.endswith(".git") else text


def iri_id(url: str | None) -> str | None:
    """The copgraph id a linked-data IRI names (`…/id/organization/amt-buechen` -> `Organization:amt-buechen`)."""
    return id_of_iri(url) if url else None


def preferred_description(description: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """German first (de, de-DE, ...), then English, then the first language of the file."""
    for prefix in ("de", "en"):
        for lang in description:
            if lang.lower() == prefix or lang.lower().startswith(prefix + "-"):
                return lang, description[lang]
    lang = next(iter(description))
    return lang, description[lang]


def first_paragraph(text: str) -> str:
    """The summary a long description starts with: its text up to the first blank line."""
    paragraph = re.split(r"\n\s*\n", text.strip(), maxsplit=1)[0]
    return " ".join(paragraph.split())


@dataclass
class _Batch:
    """What one load knows: the graph's solutions, organisations and adopters, and its own new ids."""

    reads: GraphReads
    problems: list[LoadProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    solution_by_repo: dict[str, str] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)
    organizations: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    adopters: AdopterIndex | None = None
    assigned: dict[str, str] = field(default_factory=dict)  # solution id -> file that states it

    @classmethod
    def open(cls, reads: GraphReads) -> _Batch:
        batch = cls(reads)
        for row in reads.solutions():
            batch.ids.add(row["id"])
            if row.get("repository_url"):
                batch.solution_by_repo[normalise_url(row["repository_url"])] = row["id"]
        batch.organizations, batch.projects = reads.organizations(), reads.projects()
        batch.ids |= {row["id"] for row in batch.organizations + batch.projects}
        batch.adopters = AdopterIndex(reads.territories(), batch.organizations, reads.administrations())
        return batch

    def new_id(self, label: str, name: str) -> str:
        base = slug(name)[:80].strip("-") or label.lower()
        candidate, number = make_id(label, base), 2
        while candidate in self.ids:
            candidate, number = make_id(label, f"{base}-{number}"), number + 1
        self.ids.add(candidate)
        return candidate

    def find_party(self, name: str | None, uri: str | None, labels: tuple[str, ...]) -> str | None:
        """An Organization/Project by copgraph IRI, by URL, then by exact (folded) name."""
        from_iri = iri_id(uri)
        if from_iri and from_iri in self.ids and from_iri.partition(":")[0] in labels:
            return from_iri
        rows = [row for label, rows in (("Organization", self.organizations), ("Project", self.projects))
                if label in labels for row in rows]
        if uri:
            by_url = [row["id"] for row in rows if row.get("url") and normalise_url(row["url"]) == normalise_url(uri)]
            if len(by_url) == 1:
                return by_url[0]
        if name:
            by_name = [row["id"] for row in rows if fold(row["name"]).strip() == fold(name).strip()]
            if len(by_name) == 1:
                return by_name[0]
        return None

    def add_organization(self, rows: GraphRows, name: str, url: str | None) -> str:
        org_id = self.new_id("Organization", name)
        row = {"id": org_id, "name": name, "url": url if url and url.lower().startswith(("http://", "https://"))
               else None}
        rows.add_node("Organization", row)
        self.organizations.append(row)
        return org_id


def read(path: str | Path, *, read_graph: Read | None = None) -> GraphRows:
    """Validate the publiccode.yml file(s) at `path` (a file, or a folder searched for publiccode.yml)
    and return their rows; raise `LoadError` with every finding of every invalid file."""
    path = Path(path)
    files = _files(path)
    results: list[tuple[Path, Result]] = []
    problems: list[LoadProblem] = []
    for file in files:
        result = validate_file(file)
        problems += [LoadProblem(str(file), f.line or None, f.key or "(file)", f.message) for f in result.errors]
        results.append((file, result))
    if not files:
        problems.append(LoadProblem(str(path), None, "path", "is neither a publiccode.yml file nor a folder "
                                                             "holding one"))
    if problems:
        raise LoadError(problems)
    batch = _Batch.open(GraphReads(read_graph) if read_graph else NoGraph())
    rows = GraphRows()
    for file, result in results:
        before = {label: len(node_rows) for label, node_rows in rows.nodes.items()}
        _map_file(file, result, batch, rows)
        for label, node_rows in rows.nodes.items():  # the rules every source obeys, on each new row
            for row in node_rows[before.get(label, 0):]:
                batch.problems += [LoadProblem(str(file), None, f"{label}.{prop}", message)
                                   for prop, message in check_node(label, row)]
    if batch.problems:
        raise LoadError(batch.problems)
    rows.notes.extend(batch.notes)
    return rows


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.name in FILE_NAMES and p.is_file())
    return []


def _map_file(file: Path, result: Result, batch: _Batch, rows: GraphRows) -> None:
    data, body = result.data or {}, result.document.body if result.document else None

    def where(key: str) -> str:
        return f"{file}:{find_key_position(body, key)[0] or 1}: {key}"

    for warning in result.warnings:
        batch.notes.append(f"{file}:{warning.line or 1}: {warning.key}: {warning.message}")
    for skipped in result.skipped:
        batch.notes.append(f"{file}:{skipped.line or 1}: {skipped.key}: not checked offline: {skipped.check}")
    name, repo = data["name"], data["url"]
    solution_id = batch.solution_by_repo.get(normalise_url(repo))
    if solution_id is None:
        solution_id = batch.new_id("Solution", name)
        batch.solution_by_repo[normalise_url(repo)] = solution_id
    if solution_id in batch.assigned:
        batch.problems.append(LoadProblem(str(file), find_key_position(body, "url")[0] or None, "url",
                                          f"the same repository as {batch.assigned[solution_id]}; load one of them"))
        return
    batch.assigned[solution_id] = str(file)
    key = solution_id.partition(":")[2]
    source_id = make_id("Source", f"publiccode-{key}"[:200])
    links = batch.reads.links(solution_id)

    _, desc = preferred_description(data["description"])
    maintenance = data["maintenance"]
    contractors = maintenance.get("contractors") or []
    # the latest contract end the graph then knows: this file's contractors and the maintainers already stated
    until = max([c["until"] for c in contractors if c.get("until")]
                + [d for d in links.maintainers.values() if d] if contractors else [], default=None)
    http_repo = repo if repo.lower().startswith(("http://", "https://")) else None
    landing = data.get("landingURL")
    solution = {"id": solution_id, "name": name, "summary": first_paragraph(desc["longDescription"])
                or desc["shortDescription"].strip(), "development_status": data["developmentStatus"].upper(),
                "software_type": data["softwareType"], "repository_url": http_repo,
                "url": landing if landing and landing.lower().startswith(("http://", "https://")) else None,
                "licence": data["legal"]["license"], "maintenance_type": maintenance["type"].upper(),
                "maintained_until": until}
    if http_repo is None:
        batch.notes.append(f"{where('url')}: {repo} is not an http(s) address; repository_url left empty")
    source = {"id": source_id, "title": f"publiccode.yml: {name}", "kind": SOURCE_KIND, "url": http_repo,
              "note": "publiccode.yml, the software's metadata file in its repository (standard: "
                      "publiccodeyml/publiccode.yml)"}
    rows.add_node("Solution", solution)
    rows.add_node("Source", source)
    rows.add_rel("SOURCED_FROM", solution_id, source_id, source=source_id)

    def link(rel: str, to_id: str, known: bool, **props: Any) -> None:
        rows.add_rel(rel, solution_id, to_id, source=None if known else source_id, **props)

    for index, funder in enumerate(data.get("fundedBy") or []):
        funder_id = batch.find_party(funder.get("name"), funder.get("uri"), ("Organization", "Project"))
        if funder_id is None and funder.get("name"):
            funder_id = batch.add_organization(rows, funder["name"], funder.get("uri"))
        if funder_id is None:
            batch.notes.append(f"{where(f'fundedBy[{index}]')}: {short(funder.get('uri'))} has no name and is not in "
                               "copgraph; not linked")
            continue
        link("FUNDED_BY", funder_id, funder_id in links.funders)

    for contractor in contractors:
        org_id = batch.find_party(contractor["name"], contractor.get("website"), ("Organization",)) \
            or batch.add_organization(rows, contractor["name"], contractor.get("website"))
        link("MAINTAINED_BY", org_id, org_id in links.maintainers, until=contractor["until"])
    organisation = data.get("organisation")
    if maintenance["type"] == "internal" and organisation:
        org_id = batch.find_party(organisation.get("name"), organisation.get("uri"), ("Organization",))
        if org_id:
            link("MAINTAINED_BY", org_id, org_id in links.maintainers)
        else:
            batch.notes.append(f"{where('organisation')}: the maintaining organisation "
                               f"{organisation.get('name') or organisation.get('uri')} is not in copgraph; not linked")
    if maintenance.get("contacts"):
        batch.notes.append(f"{where('maintenance.contacts')}: {len(maintenance['contacts'])} contact person(s) not "
                           "imported: names, e-mails and phones of people are personal data")

    for index, upstream in enumerate(data.get("isBasedOn") or []):
        upstream_id = iri_id(upstream) if iri_id(upstream) in batch.ids else None
        upstream_id = upstream_id or batch.solution_by_repo.get(normalise_url(upstream))
        if upstream_id is None or upstream_id == solution_id:
            batch.notes.append(f"{where(f'isBasedOn[{index}]')}: no solution with the repository {short(upstream)} in "
                               "copgraph; DERIVED_FROM not linked (load the upstream publiccode.yml first)")
            continue
        link("DERIVED_FROM", upstream_id, upstream_id in links.derived_from)

    for index, adopter_name in enumerate(data.get("usedBy") or []):
        match = batch.adopters.match(adopter_name)
        if match.id is None:
            similar = batch.adopters.similar(adopter_name)
            what = ("is ambiguous: " + ", ".join(f"{c.name} ({c.id})" for c in match.candidates[:8])
                    if match.ambiguous else "matches no territory or organisation in copgraph"
                    + (f" (official names that begin so: {'; '.join(similar)})" if similar else ""))
            batch.notes.append(f"{where(f'usedBy[{index}]')}: {short(adopter_name)} {what}; not linked")
            continue
        adoption_id = links.adoptions.get(match.id)
        if adoption_id is None:
            adopter_key = slug(match.id.replace(":", "-"))
            adoption_id = make_id("Adoption", f"{key}-{adopter_key}"[:190])
            rows.add_node("Adoption", {"id": adoption_id, "status": ADOPTION_STATUS})
            rows.add_rel("OF", adoption_id, solution_id, source=source_id)
            rows.add_rel("BY", adoption_id, match.id, source=source_id)
            links.adoptions[match.id] = adoption_id
        rows.add_rel("SOURCED_FROM", adoption_id, source_id, source=source_id)
