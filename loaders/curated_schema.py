"""The curated format: one YAML file per entity type, each a list of records (pydantic models).

Record `id`s are slugs (the type comes from the file); every reference is a full graph id
(`Municipality:13076060`, `Solution:chatbot-buergerservice`), the same string GraphQL and RDF
use. `copgraph validate` and `copgraph load curated` both check files against these models;
`docs/curated-format.md` is the human description and `docs/curated.schema.json` (JSON Schema,
for editors' YAML completion) is generated from here: `python -m graph_api.loaders.curated_schema --write`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from graph_api.loaders import record_rules
from graph_api.loaders.record_rules import short
from graph_api.model import (
    ADOPTION_STATUSES,
    CONCEPT_SCHEMES,
    ORGANIZATION_KINDS,
    SLUG_RE,
    TERRITORY_LABELS,
    id_problem,
)

TERRITORIES = TERRITORY_LABELS
RefMap = dict[str, tuple[str, ...]]


def _iso_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            raise ValueError(f"{short(value)} is not a date; expected YYYY-MM-DD") from None
    raise ValueError(f"{short(value)} is not a date; expected YYYY-MM-DD")


def _slug(value: Any) -> Any:
    if not isinstance(value, str) or not SLUG_RE.match(value):
        raise ValueError(f"{short(value)} is not a slug; expected lowercase letters, digits and single hyphens")
    return record_rules.own_key(value)


def _ref(value: Any) -> Any:
    if not isinstance(value, str):
        raise ValueError(f"{short(value)} is not a reference; expected an id like 'Solution:some-slug'")
    problem = id_problem(value)
    if problem:
        raise ValueError(problem)
    return value


IsoDate = Annotated[str, BeforeValidator(_iso_date)]
Slug = Annotated[str, BeforeValidator(_slug)]
Ref = Annotated[str, BeforeValidator(_ref)]
# the rules every source shares (loaders/record_rules.py)
Name = Annotated[str, BeforeValidator(record_rules.name)]
HttpUrl = Annotated[str, BeforeValidator(record_rules.http_url)]
Visibility = Annotated[Literal["public", "restricted"], BeforeValidator(record_rules.visibility)]
# enumerations of the solution profile, contact channels and needs: any case, stored upper-case
LifecyclePhase = Annotated[str, BeforeValidator(record_rules.lifecycle_phase)]
DevelopmentStatus = Annotated[str, BeforeValidator(record_rules.development_status)]
MaintenanceType = Annotated[str, BeforeValidator(record_rules.maintenance_type)]
ContactPointKind = Annotated[str, BeforeValidator(record_rules.contact_point_kind)]
NeedStatus = Annotated[str, BeforeValidator(record_rules.need_status)]
Eur = Annotated[int, BeforeValidator(record_rules.eur_amount)]


# Longest text a curated field may hold: the longest in the pilot data is ~300 characters, and a
# multi-megabyte field is a mistake (a pasted document), not a description the graph should serve.
MAX_TEXT_LENGTH = 10_000


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, str_max_length=MAX_TEXT_LENGTH)

    # Which labels each reference field may point to; checked after parsing.
    REFERENCES: ClassVar[RefMap] = {}


class Entity(Record):
    id: Slug
    sources: list[Ref] = Field(default_factory=list, description="Source ids that state this record")


class SourceRecord(Record):
    id: Slug
    title: Name
    kind: Literal["report", "article", "slides", "dataset", "website", "council-paper", "council-meeting",
                  "press", "illustrative"]
    url: HttpUrl | None = None
    publisher: str | None = None
    published_on: IsoDate | None = None
    licence: str | None = None
    illustrative: bool = False
    note: str | None = None


class ConceptRecord(Entity):
    REFERENCES: ClassVar[RefMap] = {"broader": ("Concept",)}
    label: Name
    scheme: Literal[CONCEPT_SCHEMES]  # type: ignore[valid-type]
    broader: Ref | None = None
    definition: str | None = None


class AwardRecord(Entity):
    REFERENCES: ClassVar[RefMap] = {"granted_by": ("Organization",)}
    name: Name
    description: str | None = None
    url: HttpUrl | None = None
    granted_by: list[Ref] = Field(default_factory=list)


# A link (membership, ownership, role, participation, award) is stated by its record's first source
# unless it names its own: a real organisation's record may link it to an illustrative project.
LINK_SOURCE = Field(default=None, description="The Source that states this link, if not the record's first source")


class Ownership(Record):
    REFERENCES: ClassVar[RefMap] = {**{"owner": ("Organization", *TERRITORIES)}, "source": ("Source",)}
    source: Ref | None = LINK_SOURCE
    owner: Ref
    share: float | None = Field(default=None, ge=0, le=1)


class ProjectLink(Record):
    REFERENCES: ClassVar[RefMap] = {**{"project": ("Project",)}, "source": ("Source",)}
    source: Ref | None = LINK_SOURCE
    project: Ref
    role: str | None = None


class Membership(Record):
    REFERENCES: ClassVar[RefMap] = {**{"organization": ("Organization",)}, "source": ("Source",)}
    source: Ref | None = LINK_SOURCE
    organization: Ref
    since: IsoDate | None = None


class OrganizationRecord(Entity):
    REFERENCES: ClassVar[RefMap] = {"administers": TERRITORIES, "serves": TERRITORIES, "parent": ("Organization",),
                                    "contact_points": ("ContactPoint",)}
    name: Name
    kind: Literal[ORGANIZATION_KINDS]  # type: ignore[valid-type]
    short_name: str | None = None
    legal_form: str | None = None
    description: str | None = None
    url: HttpUrl | None = None
    administers: list[Ref] = Field(default_factory=list)
    serves: list[Ref] = Field(default_factory=list)
    parent: Ref | None = None
    member_of: list[Membership] = Field(default_factory=list)
    owners: list[Ownership] = Field(default_factory=list)
    projects: list[ProjectLink] = Field(default_factory=list)
    contact_points: list[Ref] = Field(default_factory=list, description="Its public, functional contact channels "
                                      "(ContactPoint ids: office mailbox, phone, web page)")


class TerritoryLinks(Record):
    """Memberships and project participation of official territories (they have no record of their own)."""

    REFERENCES: ClassVar[RefMap] = {"territory": TERRITORIES}
    territory: Ref
    member_of: list[Membership] = Field(default_factory=list)
    projects: list[ProjectLink] = Field(default_factory=list)
    sources: list[Ref] = Field(default_factory=list)


class Role(Record):
    REFERENCES: ClassVar[RefMap] = {**{"organization": ("Organization",)}, "source": ("Source",)}
    source: Ref | None = LINK_SOURCE
    organization: Ref
    title: Name
    since: IsoDate | None = None
    until: IsoDate | None = None


class ActorRecord(Entity):
    REFERENCES: ClassVar[RefMap] = {"contact_points": ("ContactPoint",)}
    name: Name = Field(description="Shown only to authorised callers unless visibility is public")
    role_label: Name = Field(description="What everyone sees for a restricted actor, e.g. 'Bürgermeister:in Hagenow'")
    visibility: Visibility = Field(default="restricted", description="public or restricted (case ignored); "
                                   "missing means restricted")
    email: str | None = None
    phone: str | None = None
    description: str | None = None
    roles: list[Role] = Field(default_factory=list)
    projects: list[ProjectLink] = Field(default_factory=list)
    contact_points: list[Ref] = Field(default_factory=list, description="Functional channels of the role (a role "
                                      "mailbox), never the person's own: those are `email`/`phone`")


class ContactRecord(Record):
    """An undirected acquaintance between two actors (`KNOWS`)."""

    REFERENCES: ClassVar[RefMap] = {"a": ("Actor",), "b": ("Actor",), "source": ("Source",)}
    a: Ref
    b: Ref
    context: str | None = None
    since: IsoDate | None = None
    source: Ref | None = None

    @field_validator("b")
    @classmethod
    def _not_self(cls, value: str, info: Any) -> str:
        if value == info.data.get("a"):
            raise ValueError("an actor cannot be their own contact")
        return value


class AwardGrant(Record):
    REFERENCES: ClassVar[RefMap] = {**{"award": ("Award",)}, "source": ("Source",)}
    source: Ref | None = LINK_SOURCE
    award: Ref
    year: int | None = Field(default=None, ge=1900, le=2100)
    round: int | None = Field(default=None, ge=1)


class Maintainer(Record):
    REFERENCES: ClassVar[RefMap] = {**{"organization": ("Organization",)}, "source": ("Source",)}
    source: Ref | None = LINK_SOURCE
    organization: Ref
    until: IsoDate | None = Field(default=None, description="The end of this maintainer's commitment")


class SolutionRecord(Entity):
    REFERENCES: ClassVar[RefMap] = {"categories": ("Concept",), "needs": ("Concept",),
                  "originator": ("Organization", *TERRITORIES), "funded_by": ("Organization", "Project"),
                  "derived_from": ("Solution",), "implements_services": ("Concept",)}
    name: Name
    summary: str | None = None
    maturity: Literal["idea", "pilot", "proven", "scaled"] | None = None
    url: HttpUrl | None = None
    licence: str | None = Field(default=None, description="SPDX licence expression, e.g. EUPL-1.2")
    lifecycle_phase: LifecyclePhase | None = Field(default=None, description="OPSI stage: IDENTIFYING_PROBLEMS, "
                                                   "GENERATING_IDEAS, DEVELOPING_PROPOSALS, IMPLEMENTING, EVALUATING, "
                                                   "DIFFUSING_LESSONS")
    development_status: DevelopmentStatus | None = Field(default=None, description="publiccode developmentStatus: "
                                                         "CONCEPT, DEVELOPMENT, BETA, STABLE, OBSOLETE")
    software_type: str | None = Field(default=None, description="publiccode softwareType; empty for non-software")
    repository_url: HttpUrl | None = None
    maintenance_type: MaintenanceType | None = Field(default=None, description="INTERNAL, CONTRACT, COMMUNITY, "
                                                     "NONE")
    maintained_until: IsoDate | None = None
    lessons_learned: str | None = Field(default=None, description="What the makers would do differently")
    cost_one_off_eur_min: Eur | None = None
    cost_one_off_eur_max: Eur | None = None
    cost_running_eur_per_year_min: Eur | None = None
    cost_running_eur_per_year_max: Eur | None = None
    effort_note: str | None = Field(default=None, description="Effort in the words people report it "
                                    "(staff days, who has to be involved)")
    categories: list[Ref] = Field(default_factory=list)
    needs: list[Ref] = Field(default_factory=list)
    originator: Ref | None = None
    awards: list[AwardGrant] = Field(default_factory=list)
    funded_by: list[Ref] = Field(default_factory=list, description="Funders: organisations or funding "
                                 "programmes (Project kind programme)")
    maintained_by: list[Maintainer] = Field(default_factory=list)
    derived_from: list[Ref] = Field(default_factory=list, description="Solutions this one is based on "
                                    "(publiccode isBasedOn)")
    implements_services: list[Ref] = Field(default_factory=list, description="OZG or LeiKa service concepts "
                                           "(scheme ozg or leika) the solution implements")

    @field_validator(*(high for _, high in record_rules.EUR_RANGES))
    @classmethod
    def _range_runs_upwards(cls, value: int | None, info: Any) -> int | None:
        low_name = next(lo for lo, hi in record_rules.EUR_RANGES if hi == info.field_name)
        problem = record_rules.range_problem(info.data.get(low_name), value)
        if problem:
            raise ValueError(problem)
        return value


class EvidenceRecord(Entity):
    """Evidence of impact: what was measured, the result, when; `sources` says who measured it."""

    REFERENCES: ClassVar[RefMap] = {"evidence_of": ("Solution", "Adoption")}
    measure: Name = Field(description="What was measured, e.g. 'Anrufe im Bürgerbüro pro Woche'")
    result: str = Field(description="The result as reported, e.g. 'minus 30 % nach sechs Monaten'")
    measured_on: IsoDate | None = None
    evidence_of: list[Ref] = Field(min_length=1, description="The solutions or adoptions it is evidence for")


class ContactPointRecord(Entity):
    """A public, functional contact channel of an organisation or a role (linked from their records)."""

    kind: ContactPointKind = Field(description="EMAIL, PHONE or WEB")
    value: Name = Field(description="The address, number or http(s) page")
    label: str | None = Field(default=None, description="What the channel is for, e.g. 'Bürgerbüro'")
    visibility: Visibility = Field(default="restricted", description="public or restricted; missing means "
                                   "restricted (only token holders see it)")

    @field_validator("value")
    @classmethod
    def _value_fits_kind(cls, value: str, info: Any) -> str:
        kind = info.data.get("kind")
        return record_rules.contact_value(kind, value) if kind else value


class NeedRecord(Entity):
    """The needs log: a territory or organisation needs a concept, recorded by someone on a date."""

    REFERENCES: ClassVar[RefMap] = {"needed_by": ("Organization", *TERRITORIES), "concerns": ("Concept",),
                                    "recorded_by": ("Organization", "Actor"), "matched_with": ("Solution",)}
    status: NeedStatus = Field(description="OPEN, MATCHED or SOLVED")
    recorded_on: IsoDate
    description: str | None = None
    needed_by: Ref
    concerns: list[Ref] = Field(min_length=1)
    recorded_by: Ref | None = None
    matched_with: list[Ref] = Field(default_factory=list)


class ProjectRecord(Entity):
    REFERENCES: ClassVar[RefMap] = {"funded_by": ("Organization", "Project")}
    name: Name
    kind: Literal["reallabor", "research", "transfer", "cohort", "programme", "network"]
    description: str | None = None
    started_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    url: HttpUrl | None = None
    funded_by: list[Ref] = Field(default_factory=list, description="Who funds it: the programme a project "
                                 "is funded in, a programme's ministry")


class AdoptionRecord(Entity):
    REFERENCES: ClassVar[RefMap] = {"solution": ("Solution",), "adopter": ("Organization", *TERRITORIES),
                  "learned_from": ("Adoption",), "contacts": ("Actor",), "project": ("Project",)}
    solution: Ref
    adopter: Ref
    status: Literal[ADOPTION_STATUSES]  # type: ignore[valid-type]
    started_on: IsoDate | None = None
    ended_on: IsoDate | None = None
    learned_from: list[Ref] = Field(default_factory=list)
    contacts: list[Ref] = Field(default_factory=list)
    project: Ref | None = None
    outcome: str | None = None


# file name -> (graph label or None for link-only files, record model); order = load order
FILES: dict[str, tuple[str | None, type[Record]]] = {
    "sources.yaml": ("Source", SourceRecord),
    "concepts.yaml": ("Concept", ConceptRecord),
    "contact_points.yaml": ("ContactPoint", ContactPointRecord),
    "organizations.yaml": ("Organization", OrganizationRecord),
    "awards.yaml": ("Award", AwardRecord),
    "projects.yaml": ("Project", ProjectRecord),
    "actors.yaml": ("Actor", ActorRecord),
    "contacts.yaml": (None, ContactRecord),
    "territories.yaml": (None, TerritoryLinks),
    "solutions.yaml": ("Solution", SolutionRecord),
    "adoptions.yaml": ("Adoption", AdoptionRecord),
    "evidence.yaml": ("Evidence", EvidenceRecord),
    "needs.yaml": ("Need", NeedRecord),
}

for _model in (ConceptRecord, AwardRecord, OrganizationRecord, SolutionRecord, AdoptionRecord, ActorRecord,
               ProjectRecord, TerritoryLinks, EvidenceRecord, ContactPointRecord, NeedRecord):
    _model.REFERENCES = {**_model.REFERENCES, "sources": ("Source",)}


def json_schema() -> dict[str, Any]:
    """One JSON Schema per curated file (each file is a list of records)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "copgraph curated files",
        "description": "Keys are file names; each file is a YAML list of records of that schema.",
        "files": {name: {"type": "array", "items": model.model_json_schema()} for name, (_, model) in FILES.items()},
    }


JSON_SCHEMA_PATH = Path(__file__).resolve().parent.parent / "docs" / "curated.schema.json"

if __name__ == "__main__":
    text = json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if "--write" in sys.argv:
        JSON_SCHEMA_PATH.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
