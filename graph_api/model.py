"""The graph vocabulary: node labels, their properties and the relationship types.

This is the single declaration every other part derives from: the LadybugDB DDL and the
Neo4j constraints, the loaders' row checks, the analysts' schema docs and the RDF mapping.
Dates are stored as ISO-8601 strings (`YYYY-MM-DD`) so that both stores compare and sort
them the same way and no driver-specific date type leaks out of the store layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

STRING, INT, FLOAT, BOOL = "STRING", "INT64", "DOUBLE", "BOOLEAN"

TERRITORY_LABELS: tuple[str, ...] = ("State", "County", "Association", "Municipality")

_AUDIT = {"updated_by": STRING, "updated_at": STRING}
# The IRI of the same thing in the source it was loaded from (an OParl object's `id`), exported as
# owl:sameAs: the node's own key is derived from it, and consumers can follow it back to the source.
_SAME_AS = {"same_as": STRING}

NODE_PROPERTIES: dict[str, dict[str, str]] = {
    "State": {"name": STRING, "ags": STRING, "ars": STRING, "seat": STRING, "population": INT,
              "area_ha": FLOAT},
    "County": {"name": STRING, "ags": STRING, "ars": STRING, "kind": STRING, "kind_code": STRING,
               "seat": STRING, "population": INT, "area_ha": FLOAT},
    "Association": {"name": STRING, "ars": STRING, "county_ags": STRING, "kind": STRING,
                    "kind_code": STRING, "seat": STRING, "population": INT, "area_ha": FLOAT},
    "Municipality": {"name": STRING, "ags": STRING, "ars": STRING, "county_ags": STRING,
                     "kind": STRING, "kind_code": STRING, "population": INT, "area_ha": FLOAT,
                     "postcode": STRING, "several_postcodes": BOOL},
    "Organization": {"name": STRING, "kind": STRING, "short_name": STRING, "legal_form": STRING,
                     "description": STRING, "url": STRING, **_SAME_AS, **_AUDIT},
    "Actor": {"name": STRING, "role_label": STRING, "visibility": STRING, "email": STRING,
              "phone": STRING, "description": STRING, **_SAME_AS, **_AUDIT},
    # The solution profile (issue 21) follows the transfer platforms users know: OPSI's lifecycle phase,
    # publiccode.yml's development status, software type and maintenance, Joinup's licence, KTS/EfA's effort
    # and cost as the ranges people report (whole euros, min..max), and lessons learned ("what would you do
    # differently"). Funding, maintainers, derivation and OZG/LeiKa services are relationships below.
    "Solution": {"name": STRING, "summary": STRING, "maturity": STRING, "url": STRING,
                 "licence": STRING, "lifecycle_phase": STRING, "development_status": STRING,
                 "software_type": STRING, "repository_url": STRING, "maintenance_type": STRING,
                 "maintained_until": STRING, "lessons_learned": STRING,
                 "cost_one_off_eur_min": INT, "cost_one_off_eur_max": INT,
                 "cost_running_eur_per_year_min": INT, "cost_running_eur_per_year_max": INT,
                 "effort_note": STRING, **_AUDIT},
    "Concept": {"label": STRING, "scheme": STRING, "definition": STRING, **_AUDIT},
    "Adoption": {"status": STRING, "started_on": STRING, "ended_on": STRING, "outcome": STRING,
                 **_AUDIT},
    "Project": {"name": STRING, "kind": STRING, "description": STRING, "started_on": STRING,
                "ended_on": STRING, "url": STRING, **_AUDIT},
    "Source": {"title": STRING, "kind": STRING, "url": STRING, "publisher": STRING,
               "published_on": STRING, "licence": STRING, "illustrative": BOOL, "note": STRING, **_SAME_AS},
    "Award": {"name": STRING, "description": STRING, "url": STRING, **_AUDIT},
    # Evidence of impact: what was measured, the result and when; its Source says who measured it.
    "Evidence": {"measure": STRING, "result": STRING, "measured_on": STRING, **_AUDIT},
    # A public, functional contact channel (role mailbox, office phone, web page) -- never a person's own.
    "ContactPoint": {"kind": STRING, "value": STRING, "label": STRING, "visibility": STRING, **_AUDIT},
    # The needs log: "territory or organisation X needs concept Y", recorded by a Lotse on a date.
    "Need": {"status": STRING, "recorded_on": STRING, "description": STRING, **_AUDIT},
}
NODE_LABELS: tuple[str, ...] = tuple(NODE_PROPERTIES)

# Every relationship may carry the id of the Source that states it (provenance per statement).
_REL_SOURCE = {"source": STRING}
_ADOPTERS = (*TERRITORY_LABELS, "Organization")
_PLACES_AND_ORGS = (*TERRITORY_LABELS, "Organization")


@dataclass(frozen=True)
class RelType:
    """One relationship type: the (from, to) label pairs it may join and its properties."""

    name: str
    pairs: tuple[tuple[str, str], ...]
    properties: dict[str, str] = field(default_factory=dict)

    def allows(self, from_label: str, to_label: str) -> bool:
        return (from_label, to_label) in self.pairs


def _pairs(froms: tuple[str, ...] | str, tos: tuple[str, ...] | str) -> tuple[tuple[str, str], ...]:
    froms = (froms,) if isinstance(froms, str) else froms
    tos = (tos,) if isinstance(tos, str) else tos
    return tuple((f, t) for f in froms for t in tos)


REL_TYPES: dict[str, RelType] = {
    r.name: r
    for r in (
        RelType("PART_OF", (("Municipality", "Association"), ("Municipality", "County"),
                            ("Association", "County"), ("County", "State"),
                            # state-level unincorporated areas (coastal waters, a condominium): Kreis 000
                            ("Association", "State"))),
        RelType("ADMINISTERS", _pairs("Organization", TERRITORY_LABELS)),
        RelType("SERVES", _pairs("Organization", TERRITORY_LABELS)),
        RelType("OWNED_BY", _pairs("Organization", _PLACES_AND_ORGS), {"share": FLOAT}),
        RelType("SUB_ORGANIZATION_OF", _pairs("Organization", "Organization")),
        RelType("MEMBER_OF", _pairs(_PLACES_AND_ORGS, "Organization"), {"since": STRING}),
        RelType("WORKS_FOR", _pairs("Actor", "Organization"),
                {"title": STRING, "since": STRING, "until": STRING}),
        RelType("KNOWS", _pairs("Actor", "Actor"), {"context": STRING, "since": STRING}),
        RelType("PARTICIPATES_IN", _pairs(("Actor", *_PLACES_AND_ORGS), "Project"), {"role": STRING}),
        RelType("OF", _pairs("Adoption", "Solution")),
        RelType("BY", _pairs("Adoption", _ADOPTERS)),
        RelType("LEARNED_FROM", _pairs("Adoption", "Adoption")),
        RelType("CONTACT", _pairs("Adoption", "Actor")),
        RelType("IN_PROJECT", _pairs("Adoption", "Project")),
        RelType("ADDRESSES", _pairs("Solution", "Concept")),
        RelType("IN_CATEGORY", _pairs("Solution", "Concept")),
        RelType("ORIGINATED_BY", _pairs("Solution", _PLACES_AND_ORGS)),
        RelType("BROADER", _pairs("Concept", "Concept")),
        RelType("RECEIVED", _pairs("Solution", "Award"), {"year": INT, "round": INT}),
        RelType("GRANTED_BY", _pairs("Award", "Organization")),
        # funders: an organisation (a ministry, a foundation) or a funding programme (Project kind PROGRAMME,
        # e.g. WIR! or Modellprojekte Smart Cities); a project is funded within a programme, a programme by an
        # organisation (a ministry)
        RelType("FUNDED_BY", _pairs(("Solution", "Project"), ("Organization", "Project"))),
        RelType("MAINTAINED_BY", _pairs("Solution", "Organization"), {"until": STRING}),
        RelType("DERIVED_FROM", _pairs("Solution", "Solution")),
        RelType("IMPLEMENTS_SERVICE", _pairs("Solution", "Concept")),
        RelType("EVIDENCE_OF", _pairs("Evidence", ("Solution", "Adoption"))),
        RelType("HAS_CONTACT_POINT", _pairs(("Organization", "Actor"), "ContactPoint")),
        RelType("NEEDED_BY", _pairs("Need", _PLACES_AND_ORGS)),
        RelType("CONCERNS", _pairs("Need", "Concept")),
        RelType("RECORDED_BY", _pairs("Need", ("Organization", "Actor"))),
        RelType("MATCHED_WITH", _pairs("Need", "Solution")),
        RelType("SOURCED_FROM", _pairs(tuple(x for x in NODE_PROPERTIES if x != "Source"), "Source")),
    )
}
for _rel in REL_TYPES.values():
    _rel.properties.update(_REL_SOURCE)

ADOPTION_STATUSES: tuple[str, ...] = ("CONSIDERING", "PLANNED", "PILOT", "ADOPTED", "SCALED", "ABANDONED")
# COUNCIL: an elected council (Gemeinderat, Kreistag, Ortschaftsrat), the authority's own organ beside its
# administration; COMMITTEE: a body formed in or by a council (Ausschuss, Beirat, Kommission, Fraktion).
ORGANIZATION_KINDS: tuple[str, ...] = ("ADMINISTRATION", "DEPARTMENT", "PUBLIC_ENTERPRISE", "ASSOCIATION",
                                       "NETWORK", "RESEARCH", "CIVIL_SOCIETY", "COMPANY", "COUNCIL", "COMMITTEE")

# OECD OPSI's innovation lifecycle, in its order
LIFECYCLE_PHASES: tuple[str, ...] = ("IDENTIFYING_PROBLEMS", "GENERATING_IDEAS", "DEVELOPING_PROPOSALS",
                                     "IMPLEMENTING", "EVALUATING", "DIFFUSING_LESSONS")
# publiccode.yml `developmentStatus`, upper-cased
DEVELOPMENT_STATUSES: tuple[str, ...] = ("CONCEPT", "DEVELOPMENT", "BETA", "STABLE", "OBSOLETE")
# publiccode.yml `maintenance.type`, upper-cased
MAINTENANCE_TYPES: tuple[str, ...] = ("INTERNAL", "CONTRACT", "COMMUNITY", "NONE")
CONTACT_POINT_KINDS: tuple[str, ...] = ("EMAIL", "PHONE", "WEB")
NEED_STATUSES: tuple[str, ...] = ("OPEN", "MATCHED", "SOLVED")
# Concept schemes: topics and needs (curated), and the administrative-service catalogues a solution may
# implement (IMPLEMENTS_SERVICE): OZG-Leistungen and LeiKa-Leistungen.
CONCEPT_SCHEMES: tuple[str, ...] = ("topics", "needs", "ozg", "leika")
SERVICE_SCHEMES: tuple[str, ...] = ("ozg", "leika")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TERRITORY_KEY_RE = {"State": re.compile(r"^\d{2}$"), "County": re.compile(r"^\d{5}$"),
                     "Association": re.compile(r"^\d{9}$"), "Municipality": re.compile(r"^\d{8}$")}


def label_of(node_id: str) -> str | None:
    """The node label an id routes to (`Municipality:13076108` -> `Municipality`), or None."""
    label, sep, key = node_id.partition(":")
    if not sep or label not in NODE_PROPERTIES or not key:
        return None
    return label


def key_of(node_id: str) -> str:
    return node_id.partition(":")[2]


def make_id(label: str, key: str) -> str:
    return f"{label}:{key}"


def id_problem(node_id: str) -> str | None:
    """Why `node_id` is not a well-formed copgraph id, or None when it is."""
    label, sep, key = node_id.partition(":")
    if not sep:
        return f"'{node_id}' is not an id of the form <Type>:<key>"
    if label not in NODE_PROPERTIES:
        return f"unknown type '{label}' (expected one of {', '.join(NODE_LABELS)})"
    pattern = _TERRITORY_KEY_RE.get(label, SLUG_RE)
    if not pattern.match(key):
        expected = "an official key of the right length" if label in _TERRITORY_KEY_RE else "a slug [a-z0-9-]+"
        return f"key '{key}' of {label} is not {expected}"
    return None
