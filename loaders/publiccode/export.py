"""A software solution of the graph as a publiccode.yml (version 0) that the validator accepts.

The export writes what the graph states and reads back to the same graph (`load.py`), so that
export -> import changes nothing:

| publiccode.yml | from |
|---|---|
| name, url, landingURL | Solution.name, .repository_url, .url |
| developmentStatus, softwareType | Solution.development_status (lower case), .software_type |
| legal.license | Solution.licence (must be an SPDX expression) |
| maintenance.type, contractors | Solution.maintenance_type; `MAINTAINED_BY {until}` organisations |
| maintenance.contacts | the maintaining organisations by name, with their public e-mail channel; never a person |
| fundedBy | `FUNDED_BY` organisations and programmes: name and URL (else their copgraph IRI) |
| isBasedOn | `DERIVED_FROM` solutions: repository (else their copgraph IRI) |
| usedBy | adopters of the solution's PILOT, ADOPTED and SCALED adoptions, by official name |
| description.de | short: the summary (cut at 150 characters); long: the summary + where its sources are |

The standard requires three things copgraph does not hold; the export derives them and says so
in the file's header: `platforms` (from softwareType), `features` (the concepts the solution
addresses or belongs to) and `localisation` (the German description; not declared localisation-ready).
A solution without repository, development status, software type, licence, maintenance type or
summary cannot be described as publiccode.yml; `ExportRefused` names what is missing.
"""

from __future__ import annotations

from typing import Any

import yaml

from graph_api.rdf.vocab import node_iri
from graph_api.store.publiccode_reads import GraphReads

from . import checks
from .adopters import AdopterIndex
from .validate import validate_text

IN_USE = ("PILOT", "ADOPTED", "SCALED")
# platforms a software type implies (the standard allows human-readable platform names)
PLATFORMS = {"standalone/web": ["web"], "standalone/mobile": ["mobile"], "standalone/desktop": ["desktop"],
             "standalone/iot": ["iot"], "standalone/backend": ["server"]}
MAX_SHORT = 150
MIN_LONG = 150


class ExportRefused(ValueError):
    """The graph lacks what publiccode.yml requires; `missing` names each gap."""

    def __init__(self, solution_id: str, missing: list[str]):
        self.solution_id, self.missing = solution_id, missing
        super().__init__(f"{solution_id} cannot be written as publiccode.yml: " + "; ".join(missing))


class SolutionNotFound(LookupError):
    pass


def _short(text: str) -> str:
    if checks.grapheme_count(text) <= MAX_SHORT:
        return text
    cut = text[:MAX_SHORT - 1].rsplit(" ", 1)[0].rstrip(" ,;:")
    return cut + "…"


def _http(url: str | None) -> str | None:
    return url if url and checks.is_http_url(url) else None


def _iri(base_iri: str, node_id: str) -> str:
    return node_iri(base_iri, node_id)


def publiccode_dict(reads: GraphReads, solution_id: str, base_iri: str) -> dict[str, Any]:
    """The publiccode.yml content of `solution_id` as a dict in the standard's key order."""
    solution = reads.solution(solution_id)
    if solution is None:
        raise SolutionNotFound(solution_id)
    missing = [f"{prop} is not set" for prop in ("repository_url", "development_status", "software_type",
                                                 "licence", "maintenance_type", "summary")
               if not solution.get(prop)]
    if solution.get("licence") and not checks.is_spdx_expression(solution["licence"]):
        missing.append(f"licence {solution['licence']!r} is not an SPDX licence expression")
    maintenance_type = (solution.get("maintenance_type") or "").lower()
    maintainers = reads.maintainers(solution_id)
    contractors = []
    if maintenance_type == "contract":
        for row in sorted(maintainers, key=lambda r: r["id"]):
            until = row.get("until") or solution.get("maintained_until")
            if not until:
                missing.append(f"MAINTAINED_BY {row['id']} has no `until` (nor the solution maintained_until)")
                continue
            contractors.append({"name": row["name"], **({"website": _http(row.get("url"))} if _http(row.get("url"))
                                                       else {}), "until": until})
        if not contractors:
            missing.append("maintenance type CONTRACT needs a MAINTAINED_BY organisation with `until`")
    if missing:
        raise ExportRefused(solution_id, missing)

    summary = " ".join(solution["summary"].split())
    provenance = (f"Diese Beschreibung stammt aus copgraph, dem Wissensgraphen der kommunalen Innovationspraxis "
                  f"({_iri(base_iri, solution_id)}); dort stehen die Quellen jeder Angabe.")
    long_description = summary + "\n\n" + provenance
    concepts = sorted(reads.concepts(solution_id), key=lambda row: row["id"])
    features = [row["label"] for row in concepts] or [_short(summary)]
    adopters = [row for row in reads.adoptions(solution_id) if row["status"] in IN_USE]
    used_by = sorted({_adopter_name(index, row["adopter"], row["name"]) for row in adopters
                      for index in [_index(reads)]}) if adopters else []
    funders = [{"name": row["name"], "uri": _http(row.get("url")) or _iri(base_iri, row["id"])}
               for row in sorted(reads.funders(solution_id), key=lambda r: r["id"])]
    upstream = [_http(row.get("repository_url")) or _iri(base_iri, row["id"])
                for row in sorted(reads.derived_from(solution_id), key=lambda r: r["id"])]
    maintenance: dict[str, Any] = {"type": maintenance_type}
    if contractors:
        maintenance["contractors"] = contractors
    if maintenance_type in ("internal", "community"):
        maintenance["contacts"] = [
            {"name": row["name"], **({"email": channel} if channel else {})}
            for row in sorted(maintainers, key=lambda r: r["id"])
            for channel in [_public_mailbox(reads, row["id"])]]

    out: dict[str, Any] = {"publiccodeYmlVersion": "0", "name": solution["name"], "url": solution["repository_url"]}
    if _http(solution.get("url")):
        out["landingURL"] = solution["url"]
    if upstream:
        out["isBasedOn"] = upstream
    out["platforms"] = PLATFORMS.get(solution["software_type"], ["other"])
    if used_by:
        out["usedBy"] = used_by
    if funders:
        out["fundedBy"] = funders
    out["developmentStatus"] = solution["development_status"].lower()
    out["softwareType"] = solution["software_type"]
    out["description"] = {"de": {"localisedName": solution["name"], "shortDescription": _short(summary),
                                 "longDescription": long_description, "features": features}}
    out["legal"] = {"license": solution["licence"]}
    out["maintenance"] = maintenance
    out["localisation"] = {"localisationReady": False, "availableLanguages": ["de"]}
    return out


def _index(reads: GraphReads, cache: dict[int, AdopterIndex] = {}) -> AdopterIndex:  # noqa: B006 - per reads
    key = id(reads)
    if key not in cache:
        cache.clear()
        cache[key] = AdopterIndex(reads.territories(), reads.organizations(), reads.administrations())
    return cache[key]


def _adopter_name(index: AdopterIndex, adopter_id: str, name: str) -> str:
    """The first way of writing the adopter that the import reads back to the same node: the official
    name, "Amt <name>" for an association, then the name with its county or state in brackets."""
    forms = [name]
    if adopter_id.startswith("Association:"):
        forms.append(f"Amt {name}")
    forms += [f"{form} ({region})" for form in list(forms) for region in index.regions_of(adopter_id)]
    for form in forms:
        if index.match(form).id == adopter_id:
            return form
    return name  # the import will report it as ambiguous: better than a made-up spelling


def _public_mailbox(reads: GraphReads, organization_id: str) -> str | None:
    """The organisation's public functional e-mail channel, if it has one (never a person's address)."""
    for row in sorted(reads.channels(organization_id), key=lambda r: r.get("value") or ""):
        if row.get("kind") == "EMAIL" and row.get("visibility") == "public" and checks.is_email(row["value"]):
            return row["value"]
    return None


def publiccode_yaml(reads: GraphReads, solution_id: str, base_iri: str) -> str:
    """The publiccode.yml text of `solution_id`; it passes `validate_text` (checked here, every time)."""
    content = publiccode_dict(reads, solution_id, base_iri)
    header = (f"# publiccode.yml of {_iri(base_iri, solution_id)}, written by copgraph.\n"
              "# Derived because copgraph does not hold them: platforms (from softwareType), features (the\n"
              "# concepts the solution addresses), localisation (German description only). Check before publishing.\n")
    text = header + yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100)
    result = validate_text(text)
    if not result.valid:  # a bug here, never the caller's fault: say exactly what
        raise RuntimeError(f"export of {solution_id} does not validate: " + "; ".join(map(str, result.errors)))
    return text
