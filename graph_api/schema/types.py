"""GraphQL object types of the core schema (`shared/contract/core.graphql`) and its extensions.

Each type wraps the property dict of one graph node (`_d`); scalar fields read from it and
relationship fields go through the request's DataLoaders, so a page of N items costs a fixed
number of store queries whatever N is.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from enum import Enum
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from graph_api import geo, policy
from graph_api.german import fold
from graph_api.model import label_of
from graph_api.schema import provenance
from graph_api.schema.context import GraphContext
from graph_api.schema.pagination import Connection, CursorScope, check_first, slice_nodes

Date = dt.date  # Strawberry's built-in `Date` scalar (ISO-8601, YYYY-MM-DD)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def ctx(info: Info) -> GraphContext:
    return info.context


@strawberry.enum
class TerritoryLevel(Enum):
    STATE = "STATE"
    COUNTY = "COUNTY"
    ASSOCIATION = "ASSOCIATION"
    MUNICIPALITY = "MUNICIPALITY"


@strawberry.enum
class OrganizationKind(Enum):
    ADMINISTRATION = "ADMINISTRATION"
    DEPARTMENT = "DEPARTMENT"
    PUBLIC_ENTERPRISE = "PUBLIC_ENTERPRISE"
    ASSOCIATION = "ASSOCIATION"
    NETWORK = "NETWORK"
    RESEARCH = "RESEARCH"
    CIVIL_SOCIETY = "CIVIL_SOCIETY"
    COMPANY = "COMPANY"
    COUNCIL = "COUNCIL"
    COMMITTEE = "COMMITTEE"


@strawberry.enum
class AdoptionStatus(Enum):
    CONSIDERING = "CONSIDERING"
    PLANNED = "PLANNED"
    PILOT = "PILOT"
    ADOPTED = "ADOPTED"
    SCALED = "SCALED"
    ABANDONED = "ABANDONED"


@strawberry.enum(description="OECD OPSI innovation lifecycle stage of a solution.")
class LifecyclePhase(Enum):
    IDENTIFYING_PROBLEMS = "IDENTIFYING_PROBLEMS"
    GENERATING_IDEAS = "GENERATING_IDEAS"
    DEVELOPING_PROPOSALS = "DEVELOPING_PROPOSALS"
    IMPLEMENTING = "IMPLEMENTING"
    EVALUATING = "EVALUATING"
    DIFFUSING_LESSONS = "DIFFUSING_LESSONS"


@strawberry.enum(description="Development status (publiccode.yml developmentStatus, upper-cased).")
class DevelopmentStatus(Enum):
    CONCEPT = "CONCEPT"
    DEVELOPMENT = "DEVELOPMENT"
    BETA = "BETA"
    STABLE = "STABLE"
    OBSOLETE = "OBSOLETE"


@strawberry.enum(description="Who maintains a solution (publiccode.yml maintenance.type, upper-cased).")
class MaintenanceType(Enum):
    INTERNAL = "INTERNAL"
    CONTRACT = "CONTRACT"
    COMMUNITY = "COMMUNITY"
    NONE = "NONE"


@strawberry.enum(description="The kind of a contact channel.")
class ContactPointKind(Enum):
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    WEB = "WEB"


@strawberry.enum(description="Where a recorded need stands: OPEN, MATCHED (a solution was proposed) or SOLVED.")
class NeedStatus(Enum):
    OPEN = "OPEN"
    MATCHED = "MATCHED"
    SOLVED = "SOLVED"


def _enum(kind: type[Enum], value: str | None) -> Any:
    """A stored enumeration value as its GraphQL enum; a value outside the enum (stored before the rule
    existed) reads as null rather than failing the whole answer."""
    try:
        return kind(value) if value else None
    except ValueError:
        return None


@strawberry.enum(description="Whether an actor's name is shown to callers without the API token.")
class Visibility(Enum):
    PUBLIC = policy.PUBLIC
    RESTRICTED = policy.RESTRICTED


@strawberry.input(description="A text condition. Case is ignored and German spellings fold on both sides "
                              "(Mölln = Moelln = MÖLLN, Straße = Strasse).")
class TextCondition:
    equals: str | None = None
    in_: list[str] | None = strawberry.field(default=None, name="in")
    contains: str | None = None
    starts_with: str | None = None


@strawberry.input(description="A number condition; every given bound must hold. A missing number satisfies none.")
class IntCondition:
    equals: int | None = None
    in_: list[int] | None = strawberry.field(default=None, name="in")
    lt: int | None = None
    lte: int | None = None
    gt: int | None = None
    gte: int | None = None


@strawberry.input(description="A date condition; every given bound must hold. A missing date satisfies none.")
class DateCondition:
    equals: Date | None = None
    lt: Date | None = None
    lte: Date | None = None
    gt: Date | None = None
    gte: Date | None = None


_BOOLEAN = ("Every field given must hold; AND, OR and NOT combine whole filters of this type "
            "(NOT is the complement: a missing value counts as not matching the inner filter).")


@strawberry.input(description=_BOOLEAN)
class MunicipalityFilter:
    county: strawberry.ID | None = None
    association: strawberry.ID | None = None
    name_contains: str | None = None
    min_population: int | None = None
    max_population: int | None = None
    has_adopted: strawberry.ID | None = strawberry.field(
        default=None, description="Municipalities with an adoption of this solution, their own or their "
                                  "administration's, in one of `hasAdoptedStatus` (default: the active ones, "
                                  "PILOT, ADOPTED, SCALED).")
    has_adopted_status: list[AdoptionStatus] | None = strawberry.field(
        default=None, description="The statuses `hasAdopted` counts (default: PILOT, ADOPTED, SCALED).")
    id_in: list[strawberry.ID] | None = None
    county_in: list[strawberry.ID] | None = None
    name: TextCondition | None = None
    population: IntCondition | None = None
    adoptions_some: AdoptionFilter | None = strawberry.field(
        default=None, description="At least one adoption, its own or its administration's, matches.")
    and_: list[MunicipalityFilter] | None = strawberry.field(default=None, name="AND")
    or_: list[MunicipalityFilter] | None = strawberry.field(default=None, name="OR")
    not_: MunicipalityFilter | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description=_BOOLEAN)
class SolutionFilter:
    text: str | None = None
    category: strawberry.ID | None = None
    need: strawberry.ID | None = None
    awarded: bool | None = None
    adopted_within: strawberry.ID | None = strawberry.field(
        default=None, description="Solutions with an active adoption (PILOT, ADOPTED, SCALED) inside this territory.")
    id_in: list[strawberry.ID] | None = None
    name: TextCondition | None = None
    category_in: list[strawberry.ID] | None = strawberry.field(
        default=None, description="In one of these categories or a narrower one.")
    adoptions_some: AdoptionFilter | None = strawberry.field(
        default=None, description="At least one adoption of the solution matches.")
    and_: list[SolutionFilter] | None = strawberry.field(default=None, name="AND")
    or_: list[SolutionFilter] | None = strawberry.field(default=None, name="OR")
    not_: SolutionFilter | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description=_BOOLEAN)
class AdoptionFilter:
    solution: strawberry.ID | None = None
    adopter: strawberry.ID | None = None
    within: strawberry.ID | None = strawberry.field(default=None,
                                                     description="Adopters inside this territory (any level).")
    status: list[AdoptionStatus] | None = None
    since: Date | None = None
    active: bool | None = strawberry.field(
        default=None, description="true: in use (PILOT, ADOPTED, SCALED, as the mission questions count); false: not.")
    id_in: list[strawberry.ID] | None = None
    solution_in: list[strawberry.ID] | None = None
    started_on: DateCondition | None = None
    solution_is: SolutionFilter | None = strawberry.field(default=None, description="The solution matches.")
    adopter_municipality_is: MunicipalityFilter | None = strawberry.field(
        default=None, description="The adopter is a municipality, or the administration of one, that matches.")
    and_: list[AdoptionFilter] | None = strawberry.field(default=None, name="AND")
    or_: list[AdoptionFilter] | None = strawberry.field(default=None, name="OR")
    not_: AdoptionFilter | None = strawberry.field(default=None, name="NOT")


@strawberry.input(description=_BOOLEAN)
class OrganizationFilter:
    kind: list[OrganizationKind] | None = None
    within: strawberry.ID | None = None
    name_contains: str | None = None
    id_in: list[strawberry.ID] | None = None
    name: TextCondition | None = None
    adoptions_some: AdoptionFilter | None = strawberry.field(
        default=None, description="At least one adoption by the organisation matches.")
    and_: list[OrganizationFilter] | None = strawberry.field(default=None, name="AND")
    or_: list[OrganizationFilter] | None = strawberry.field(default=None, name="OR")
    not_: OrganizationFilter | None = strawberry.field(default=None, name="NOT")


@strawberry.input
class ActorFilter:
    organization: strawberry.ID | None = None
    within: strawberry.ID | None = None
    name_contains: str | None = None


@strawberry.enum(description="Sort keys. NAME (territories, organisations, solutions; actors sort by id so "
                             "that restricted names do not leak), POPULATION (territories), STARTED_ON (adoptions, "
                             "projects), "
                             "ADOPTER_COUNT (solutions: active adoptions, i.e. PILOT/ADOPTED/SCALED).")
class OrderField(Enum):
    NAME = "NAME"
    POPULATION = "POPULATION"
    STARTED_ON = "STARTED_ON"
    ADOPTER_COUNT = "ADOPTER_COUNT"
    ID = "ID"


@strawberry.enum
class OrderDirection(Enum):
    ASC = "ASC"
    DESC = "DESC"


@strawberry.input(description="Sort order of a list; ties are broken by id so cursors stay stable.")
class OrderBy:
    field: OrderField = OrderField.NAME
    direction: OrderDirection = OrderDirection.ASC


# ---- interfaces ----------------------------------------------------------------------------


@strawberry.interface
class Node:
    id: strawberry.ID

    @strawberry.field(description="The documents and datasets that state this node (provenance).")
    async def source_records(self, info: Info) -> list[Source]:
        return [to_type(s) for s in await provenance.sources_of(info, str(self.id))]

    @strawberry.field(description="True unless at least one source of this node is real (not illustrative): "
                                  "illustrative sample data is never passed off as fact.")
    async def illustrative(self, info: Info) -> bool:
        return await provenance.node_is_illustrative(info, str(self.id))


@strawberry.interface(description="A unit of the official territorial structure (Destatis GV100AD).")
class Territory(Node):
    id: strawberry.ID
    name: str = strawberry.field(description="Official name as in the directory, e.g. 'Parchim, Stadt'.")
    level: TerritoryLevel
    ars: str = strawberry.field(
        description="Amtlicher Regionalschlüssel, 12 digits; higher levels are right-padded with zeros.")
    population: int | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def parent(self, info: Info) -> Territory | None:
        rows = await ctx(info).rel("territory.parent", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None

    @strawberry.field(description="Area in hectares (sum of the municipalities for higher levels).")
    def area_hectares(self) -> float | None:
        return self._d.get("area_ha")

    @strawberry.field(description="DCAT-AP.de political-geocoding IRI of this territory.")
    def geocoding_iri(self) -> str:
        return geocoding_iri(self._d)

    @strawberry.field(description="Needs recorded for this territory (the needs log), newest first; `status` "
                                  "filters.")
    async def needs(self, info: Info, status: list[NeedStatus] | None = None) -> list[Need]:
        return await needs_of(info, self._d["id"], status)


async def needs_of(info: Info, holder: str, status: list[NeedStatus] | None) -> list[Need]:
    wanted = {s.value for s in status} if status else None
    rows = [r["n"] for r in await ctx(info).rel("needs.of", holder)]
    rows = [n for n in rows if wanted is None or n.get("status") in wanted]
    return [to_type(n) for n in sorted(rows, key=lambda n: (n.get("recorded_on") or "", n["id"]), reverse=True)]


async def visible_channels(info: Info, holder: str) -> list[ContactPoint]:
    """The holder's contact channels the caller may use: a restricted channel is not listed at all to
    callers who may not see its address (`graph_api.policy`)."""
    viewer = ctx(info).viewer
    rows = [r["n"] for r in await ctx(info).rel("holder.contact_points", holder)]
    return [to_type(n) for n in rows if policy.shows_channel(n, viewer)]


def geocoding_iri(d: dict[str, Any]) -> str:
    base = "http://dcat-ap.de/def/politicalGeocoding/"
    label = d.get("_label")
    if label == "Municipality":
        return f"{base}municipalityKey/{d['ags']}"
    if label == "County":
        return f"{base}districtKey/{d['ags']}"
    if label == "State":
        return f"{base}stateKey/{d['ags']}"
    return f"{base}regionalKey/{d['ars']}"


def _territory_fields(d: dict[str, Any], level: TerritoryLevel) -> dict[str, Any]:
    return {"id": strawberry.ID(d["id"]), "name": d.get("name", ""), "level": level, "ars": d.get("ars", ""),
            "population": d.get("population"), "_d": d}


async def _page(info: Info, name: str, parent: str, first: int, after: str | None, keep: Any = None,
                where: Any = None, order_by: OrderBy | None = None) -> Connection[Any]:
    """A page of a nested list: all (id, sort key) pairs, filtered, sliced, then the page's nodes by id.

    `where` is the filter `keep` applies, which the page's cursors are bound to. With `order_by`
    the children's nodes are read (one batch) and sorted by the same keys as top-level lists
    (`nested_key`); the cursors are then bound to that order too."""
    first = check_first(first)
    rows = await ctx(info).kids(name, parent)
    if keep is not None:
        rows = await keep(rows)
    if order_by is None:
        page = slice_nodes(rows, lambda r: r["k"], first, after, lambda r: r, CursorScope.of(name, where=where))
    else:
        field = OrderField.ID if order_by.field is OrderField.NAME and name in _PEOPLE_LISTS else order_by.field
        descending = order_by.direction is OrderDirection.DESC
        children = [n for n in await ctx(info).nodes.load_many([r["id"] for r in rows]) if n]
        keys = {n["id"]: nested_key(field, n) for n in children}
        page = slice_nodes([{"id": n["id"]} for n in children], lambda r: keys[r["id"]], first, after, lambda r: r,
                           CursorScope.of(f"{name}:{field.value}", descending, where), descending=descending)
    nodes = await ctx(info).nodes.load_many([edge.node["id"] for edge in page.edges])
    for edge, node in zip(page.edges, nodes, strict=True):
        edge.node = to_type(node)
    return page


_PEOPLE_LISTS = frozenset({"organization.people", "actor.knows"})  # restricted names must not leak by order


def nested_key(field: OrderField, node: dict[str, Any]) -> Any:  # noqa: ANN401 - str or int
    """The sort key of a nested list's node, as the store computes it for top-level lists
    (`texts.ORDER_KEYS`: German-folded names, missing numbers -1, missing dates '')."""
    if field is OrderField.NAME:
        return fold(str(node.get("name") or node.get("label") or ""))
    if field is OrderField.POPULATION:
        return node.get("population") if node.get("population") is not None else -1
    if field is OrderField.STARTED_ON:
        return node.get("started_on") or ""
    if field is OrderField.ID:
        return node["id"]
    raise ValueError(f"nested lists cannot be ordered by {field.value}")


NestedOrder = Annotated[OrderBy | None, strawberry.argument(
    description="Sort order (NAME, POPULATION, STARTED_ON, ID); default: the list's own order. People sort "
                "by id when NAME is asked, so restricted names do not leak.")]


LocationPrecision = strawberry.enum(geo.Precision, description=(
    "How closely a location stands for its territory: the place itself, or (not in the gazetteer) the seat "
    "of its Amt/Gemeindeverband or of its county."))


@strawberry.type(description="A point for a territory from the GeoNames gazetteer (CC BY 4.0), with how close it "
                             "stands for it and the entry it came from (graph_api/geo.py).")
class GeoLocation:
    lat: float
    lon: float
    precision: LocationPrecision
    source: str = strawberry.field(description="The gazetteer, its licence and the entry (name, geonameid).")
    place_name: str = strawberry.field(description="The gazetteer entry's name (the seat's name for a fallback).")


def _geo_location(found: geo.Location | None) -> GeoLocation | None:
    if found is None:
        return None
    return GeoLocation(lat=found.lat, lon=found.lon, precision=found.precision, source=found.source,
                       place_name=found.place.name)


async def _gazetteer_ready() -> None:
    """The gazetteer index is built once per process (~1 s); off the event loop."""
    await asyncio.to_thread(geo.index)


@strawberry.type
class State(Territory):
    ags: str = strawberry.field(description="2 digits")
    seat: str | None = None

    @strawberry.field
    async def counties(self, info: Info, first: int | None = 20, after: str | None = None,
                       order_by: NestedOrder = None) -> Connection[County]:
        return await _page(info, "state.counties", self._d["id"], first, after, order_by=order_by)


@strawberry.type(description="Kreis, Landkreis, kreisfreie Stadt, Stadtkreis, Regionalverband.")
class County(Territory):
    ags: str = strawberry.field(description="5 digits")
    kind: str
    seat: str | None

    @strawberry.field
    async def associations(self, info: Info, first: int | None = 20, after: str | None = None,
                           order_by: NestedOrder = None) -> Connection[Association]:
        return await _page(info, "county.associations", self._d["id"], first, after, order_by=order_by)

    @strawberry.field
    async def municipalities(self, info: Info, first: int | None = 20, after: str | None = None,
                             filter: MunicipalityFilter | None = None, order_by: NestedOrder = None
                             ) -> Connection[Municipality]:
        from graph_api.schema.filters import municipality_where, restrict

        where = await municipality_where(info, filter) if filter else None
        keep = restrict(info, "Municipality", where) if where else None
        return await _page(info, "county.municipalities", self._d["id"], first, after, keep=keep, where=where,
                           order_by=order_by)

    @strawberry.field(description="Where the county lies: its seat (GeoNames); null when the seat is not in it.")
    async def location(self) -> GeoLocation | None:
        await _gazetteer_ready()
        return _geo_location(geo.locate_county(self.seat, self.ags[:2]))

    @strawberry.field(description="The organisations that administer this county (e.g. the Kreisverwaltung).")
    async def administrations(self, info: Info) -> list[Organization]:
        return [to_type(r["n"]) for r in await ctx(info).rel("territory.organizations", self._d["id"])
                if r["n"].get("kind") == "ADMINISTRATION"]


@strawberry.type(description="Gemeindeverband: Amt, Verbandsgemeinde, Samtgemeinde, Verwaltungsgemeinschaft, or an "
                             "amtsfreie Gemeinde's own record. Its id key is the 9-digit ARS prefix.")
class Association(Territory):
    kind: str
    seat: str | None

    @strawberry.field
    async def county(self, info: Info) -> County:
        rows = await ctx(info).rel("association.county", self._d["id"])
        if not rows:
            raise ValueError(f"{self._d['id']} belongs to no county (a state-level unincorporated area)")
        return to_type(rows[0]["n"])

    @strawberry.field
    async def municipalities(self, info: Info, first: int | None = 20, after: str | None = None,
                             order_by: NestedOrder = None) -> Connection[Municipality]:
        return await _page(info, "association.municipalities", self._d["id"], first, after, order_by=order_by)

    @strawberry.field(description="Where the association lies: its seat (GeoNames), else its county's seat.")
    async def location(self, info: Info) -> GeoLocation | None:
        await _gazetteer_ready()
        rows = await ctx(info).rel("association.county", self._d["id"])
        county_seat = rows[0]["n"].get("seat") if rows else None
        return _geo_location(geo.locate_association(self.seat, self.name, self.ars[:2], county_seat))


@strawberry.type
class Municipality(Territory):
    ags: str = strawberry.field(description="8 digits (Amtlicher Gemeindeschlüssel)")
    postcode: str | None
    kind: str = strawberry.field(description="GV100AD kind, e.g. 'Stadt' (non-null like County.kind and "
                                             "Association.kind, so one Territory fragment validates).")

    @strawberry.field
    async def county(self, info: Info) -> County:
        node = await ctx(info).node(f"County:{self._d['county_ags']}")
        if node is None:
            raise ValueError(f"county {self._d['county_ags']} of {self._d['id']} is not loaded")
        return to_type(node)

    @strawberry.field
    async def association(self, info: Info) -> Association | None:
        rows = await ctx(info).rel("municipality.association", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None

    @strawberry.field
    async def organizations(self, info: Info) -> list[Organization]:
        return [to_type(r["n"]) for r in await ctx(info).rel("territory.organizations", self._d["id"])]

    @strawberry.field
    async def adoptions(self, info: Info, first: int | None = 20, after: str | None = None,
                        filter: AdoptionFilter | None = None, order_by: NestedOrder = None) -> Connection[Adoption]:
        return await adoptions_page(info, self._d["id"], first, after, filter, order_by)

    @strawberry.field(description="Where the municipality lies (GeoNames, by its name in its Land near its Amt's "
                                  "seat); not listed: its Amt's seat, else its county's seat, as `precision` says.")
    async def location(self, info: Info) -> GeoLocation | None:
        await _gazetteer_ready()
        rows = await ctx(info).rel("municipality.association", self._d["id"])
        association_seat = rows[0]["n"].get("seat") if rows else None
        county = await ctx(info).node(f"County:{self._d['county_ags']}")
        return _geo_location(geo.locate_municipality(self.name, self.ags, association_seat,
                                                     county.get("seat") if county else None))


async def adoptions_page(info: Info, parent: str, first: int, after: str | None,
                         filter: AdoptionFilter | None, order_by: OrderBy | None = None) -> Connection[Any]:
    from graph_api.schema.filters import adoption_where, restrict

    where = await adoption_where(info, filter) if filter else None
    keep = restrict(info, "Adoption", where) if where else None
    return await _page(info, "adoptions", parent, first, after, keep=keep, where=where, order_by=order_by)


@strawberry.type
class Ownership:
    owner: Node
    share: float | None


@strawberry.type
class Organization(Node):
    id: strawberry.ID
    name: str
    kind: OrganizationKind
    short_name: str | None
    legal_form: str | None
    description: str | None
    url: str | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="Territories it administers or serves.")
    async def territories(self, info: Info) -> list[Territory]:
        return [to_type(r["n"]) for r in await ctx(info).rel("organization.territories", self._d["id"])]

    @strawberry.field
    async def parent(self, info: Info) -> Organization | None:
        rows = await ctx(info).rel("organization.parent", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None

    @strawberry.field(description="Owners of a public enterprise, with their share (0..1) where known.")
    async def owners(self, info: Info) -> list[Ownership]:
        return [Ownership(owner=to_type(r["n"]), share=r.get("r_share"))
                for r in await ctx(info).rel("organization.owners", self._d["id"])]

    @strawberry.field
    async def people(self, info: Info, first: int | None = 20, after: str | None = None,
                     order_by: NestedOrder = None) -> Connection[Actor]:
        return await _page(info, "organization.people", self._d["id"], first, after, order_by=order_by)

    @strawberry.field
    async def adoptions(self, info: Info, first: int | None = 20, after: str | None = None,
                        filter: AdoptionFilter | None = None, order_by: NestedOrder = None) -> Connection[Adoption]:
        return await adoptions_page(info, self._d["id"], first, after, filter, order_by)

    @strawberry.field
    async def sources(self, info: Info) -> list[Source]:
        return await sources_of(info, self._d["id"])

    @strawberry.field(description="Public, functional contact channels (office mailbox, phone, web page), each with "
                                  "its source.")
    async def contact_points(self, info: Info) -> list[ContactPoint]:
        return await visible_channels(info, self._d["id"])

    @strawberry.field(description="Needs recorded for this organisation, newest first.")
    async def needs(self, info: Info, status: list[NeedStatus] | None = None) -> list[Need]:
        return await needs_of(info, self._d["id"], status)

    @strawberry.field(description="Solutions it funds.")
    async def funded_solutions(self, info: Info) -> list[Solution]:
        return [to_type(r["n"]) for r in await ctx(info).rel("funded.solutions", self._d["id"])]


@strawberry.type(description="A person in the community of practice. Restricted actors show a role label instead of "
                             "a name unless the caller is authorised.")
class Actor(Node):
    id: strawberry.ID
    _d: strawberry.Private[dict[str, Any]]

    def _seen(self, info: Info) -> dict[str, Any]:
        return policy.actor_view(self._d, ctx(info).viewer)

    @strawberry.field
    def name(self, info: Info) -> str:
        return policy.display_name(self._d, ctx(info).viewer)

    @strawberry.field(description="The role description shown to everyone.")
    def role_label(self) -> str:
        return self._d.get("role_label") or ""

    @strawberry.field(description="PUBLIC or RESTRICTED: whether the name is shown to anonymous callers.")
    def visibility(self) -> Visibility:
        return Visibility(policy.visibility(self._d))

    @strawberry.field(description="Contact e-mail; only for authorised callers.")
    def email(self, info: Info) -> str | None:
        return self._seen(info).get("email")

    @strawberry.field(description="Where the actor works; the title is the role label unless the caller may see "
                                  "who the actor is.")
    async def roles(self, info: Info) -> list[Role]:
        viewer = ctx(info).viewer
        roles = []
        for r in await ctx(info).rel("actor.roles", self._d["id"]):
            shown = policy.rel_view("WORKS_FOR", {"title": r.get("r_title")}, [self._d], viewer)
            roles.append(Role(organization=to_type(r["n"]), title=shown.get("title") or self.role_label(),
                              since=_date(r.get("r_since")), until=_date(r.get("r_until"))))
        return roles

    @strawberry.field
    async def knows(self, info: Info, first: int | None = 20, after: str | None = None,
                    order_by: NestedOrder = None) -> Connection[Actor]:
        return await _page(info, "actor.knows", self._d["id"], first, after, order_by=order_by)

    @strawberry.field(description="Functional channels of the role (a role mailbox), never the person's own; only "
                                  "public ones unless the caller is authorised.")
    async def contact_points(self, info: Info) -> list[ContactPoint]:
        return await visible_channels(info, self._d["id"])


@strawberry.type
class Role:
    organization: Organization
    title: str
    since: Date | None
    until: Date | None


@strawberry.type(description="A SKOS concept: a topic or a need (problem) that solutions address.")
class Concept(Node):
    id: strawberry.ID
    label: str
    scheme: str
    definition: str | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def broader(self, info: Info) -> Concept | None:
        rows = await ctx(info).rel("concept.broader", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None


@strawberry.type
class AwardGrant:
    award: str
    year: int | None
    round: int | None
    award_id: strawberry.ID


@strawberry.type(description="A reported cost range in whole euros; either end may be unknown.")
class EuroRange:
    min: int | None
    max: int | None


def _euro_range(d: dict[str, Any], low: str, high: str) -> EuroRange | None:
    return EuroRange(min=d.get(low), max=d.get(high)) if d.get(low) is not None or d.get(high) is not None else None


@strawberry.type
class Solution(Node):
    id: strawberry.ID
    name: str
    summary: str | None
    maturity: str | None
    url: str | None
    licence: str | None = strawberry.field(description="SPDX licence expression, e.g. EUPL-1.2.")
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="OECD OPSI lifecycle stage.")
    def lifecycle_phase(self) -> LifecyclePhase | None:
        return _enum(LifecyclePhase, self._d.get("lifecycle_phase"))

    @strawberry.field(description="Development status (publiccode.yml developmentStatus).")
    def development_status(self) -> DevelopmentStatus | None:
        return _enum(DevelopmentStatus, self._d.get("development_status"))

    @strawberry.field(description="publiccode.yml softwareType; null for solutions that are not software.")
    def software_type(self) -> str | None:
        return self._d.get("software_type")

    @strawberry.field
    def repository_url(self) -> str | None:
        return self._d.get("repository_url")

    @strawberry.field(description="How it is maintained (publiccode.yml maintenance.type).")
    def maintenance_type(self) -> MaintenanceType | None:
        return _enum(MaintenanceType, self._d.get("maintenance_type"))

    @strawberry.field(description="Until when maintenance is committed.")
    def maintained_until(self) -> Date | None:
        return _date(self._d.get("maintained_until"))

    @strawberry.field(description="What the makers would do differently.")
    def lessons_learned(self) -> str | None:
        return self._d.get("lessons_learned")

    @strawberry.field(description="One-off cost as reported (whole euros, min..max).")
    def cost_one_off_eur(self) -> EuroRange | None:
        return _euro_range(self._d, "cost_one_off_eur_min", "cost_one_off_eur_max")

    @strawberry.field(description="Running cost per year as reported (whole euros, min..max).")
    def cost_running_eur_per_year(self) -> EuroRange | None:
        return _euro_range(self._d, "cost_running_eur_per_year_min", "cost_running_eur_per_year_max")

    @strawberry.field(description="Effort in the words people report it.")
    def effort_note(self) -> str | None:
        return self._d.get("effort_note")

    @strawberry.field
    async def categories(self, info: Info) -> list[Concept]:
        return [to_type(r["n"]) for r in await ctx(info).rel("solution.categories", self._d["id"])]

    @strawberry.field
    async def needs(self, info: Info) -> list[Concept]:
        return [to_type(r["n"]) for r in await ctx(info).rel("solution.needs", self._d["id"])]

    @strawberry.field
    async def originator(self, info: Info) -> Node | None:
        rows = await ctx(info).rel("solution.originator", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None

    @strawberry.field
    async def awards(self, info: Info) -> list[AwardGrant]:
        rows = await ctx(info).rel("solution.awards", self._d["id"])
        return [AwardGrant(award=r["n"]["name"], year=r.get("r_year"), round=r.get("r_round"),
                           award_id=strawberry.ID(r["n"]["id"])) for r in rows]

    @strawberry.field(description="Distinct adopters with an adoption in status PILOT, ADOPTED or SCALED.")
    async def adopter_count(self, info: Info) -> int:
        return await ctx(info).adopter_count(self._d["id"])

    @strawberry.field(description="Funders: organisations and funding programmes (projects of kind programme).")
    async def funded_by(self, info: Info) -> list[Node]:
        return [to_type(r["n"]) for r in await ctx(info).rel("funded.by", self._d["id"])]

    @strawberry.field(description="Who maintains it, and until when.")
    async def maintainers(self, info: Info) -> list[Maintainer]:
        return [Maintainer(organization=to_type(r["n"]), until=_date(r.get("r_until")))
                for r in await ctx(info).rel("solution.maintainers", self._d["id"])]

    @strawberry.field(description="Solutions this one is based on (publiccode.yml isBasedOn).")
    async def derived_from(self, info: Info) -> list[Solution]:
        return [to_type(r["n"]) for r in await ctx(info).rel("solution.derived_from", self._d["id"])]

    @strawberry.field(description="Solutions based on this one.")
    async def derivatives(self, info: Info) -> list[Solution]:
        return [to_type(r["n"]) for r in await ctx(info).rel("solution.derivatives", self._d["id"])]

    @strawberry.field(description="OZG or LeiKa administrative services it implements.")
    async def implements_services(self, info: Info) -> list[Concept]:
        return [to_type(r["n"]) for r in await ctx(info).rel("solution.services", self._d["id"])]

    @strawberry.field(description="Evidence of impact: what was measured, the result, with its source.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return [to_type(r["n"]) for r in await ctx(info).rel("evidence.for", self._d["id"])]

    @strawberry.field(description="The 'Bewährt vor Ort' criteria as the graph states them: in use by at least two "
                                  "administrations (distinct active adopters) and endorsements (awards).")
    async def transfer_readiness(self, info: Info) -> TransferReadiness:
        adopters = await ctx(info).adopter_count(self._d["id"])
        awards = await self.awards(info)
        evidence = await self.evidence(info)
        return TransferReadiness(adopter_count=adopters, used_in_two_or_more_administrations=adopters >= 2,
                                 endorsements=awards, evidence_count=len(evidence))

    @strawberry.field
    async def adoptions(self, info: Info, first: int | None = 20, after: str | None = None,
                        filter: AdoptionFilter | None = None, order_by: NestedOrder = None) -> Connection[Adoption]:
        return await adoptions_page(info, self._d["id"], first, after, filter, order_by)


@strawberry.type(description="An organisation maintaining a solution, and until when.")
class Maintainer:
    organization: Organization
    until: Date | None


@strawberry.type(description="The criteria of the seal 'Bewährt vor Ort' as far as the graph states them.")
class TransferReadiness:
    adopter_count: int = strawberry.field(description="Distinct active adopters (PILOT, ADOPTED, SCALED).")
    used_in_two_or_more_administrations: bool
    endorsements: list[AwardGrant]
    evidence_count: int = strawberry.field(description="Evidence of impact recorded for the solution itself.")


Adopter = Annotated[State | County | Association | Municipality | Organization, strawberry.union("Adopter")]


@strawberry.type(description="One adopter taking up one solution: the unit of transfer.")
class Adoption(Node):
    id: strawberry.ID
    status: AdoptionStatus
    started_on: Date | None
    ended_on: Date | None
    outcome: str | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def solution(self, info: Info) -> Solution:
        rows = await ctx(info).rel("adoption.solution", self._d["id"])
        return to_type(rows[0]["n"])

    @strawberry.field
    async def adopter(self, info: Info) -> Adopter:
        rows = await ctx(info).rel("adoption.adopter", self._d["id"])
        return to_type(rows[0]["n"])

    @strawberry.field(description="Earlier adoptions this one learned from (transfer lineage).")
    async def learned_from(self, info: Info) -> list[Adoption]:
        return [to_type(r["n"]) for r in await ctx(info).rel("adoption.learned_from", self._d["id"])]

    @strawberry.field(description="Later adoptions that learned from this one.")
    async def learned_by(self, info: Info) -> list[Adoption]:
        return [to_type(r["n"]) for r in await ctx(info).rel("adoption.learned_by", self._d["id"])]

    @strawberry.field
    async def contacts(self, info: Info) -> list[Actor]:
        return [to_type(r["n"]) for r in await ctx(info).rel("adoption.contacts", self._d["id"])]

    @strawberry.field(description="The contacts with the source that names each of them for this adoption.")
    async def contact_links(self, info: Info) -> list[Link]:
        return [Link(node=to_type(r["n"]), via="CONTACT", _start=self._d["id"])
                for r in await ctx(info).rel("adoption.contacts", self._d["id"])]

    @strawberry.field
    async def project(self, info: Info) -> Project | None:
        rows = await ctx(info).rel("adoption.project", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None

    @strawberry.field(description="Ids of the Sources that state this adoption.")
    async def sources(self, info: Info) -> list[str]:
        return [r["n"]["id"] for r in await ctx(info).rel("any.sources", self._d["id"])]

    @strawberry.field(description="Evidence of impact of this adoption.")
    async def evidence(self, info: Info) -> list[Evidence]:
        return [to_type(r["n"]) for r in await ctx(info).rel("evidence.for", self._d["id"])]

    @strawberry.field(description="Whom to call about this adoption: the adopting organisation (for a territory, "
                                  "its administration) and the contacts' roles, each with a public functional "
                                  "channel -- never a person's own data.")
    async def whom_to_call(self, info: Info) -> list[ContactOption]:
        adopter = (await ctx(info).rel("adoption.adopter", self._d["id"]))[0]["n"]
        if (adopter.get("_label") or label_of(adopter["id"])) == "Organization":
            organizations = [adopter]
        else:
            organizations = [r["n"] for r in await ctx(info).rel("territory.organizations", adopter["id"])
                             if r["n"].get("kind") == "ADMINISTRATION"]
        out = [ContactOption(organization=to_type(org), role=None, channel=channel)
               for org in organizations for channel in await visible_channels(info, org["id"])]
        for row in await ctx(info).rel("adoption.contacts", self._d["id"]):
            out += [ContactOption(organization=None, role=row["n"].get("role_label") or policy.UNNAMED,
                                  channel=channel) for channel in await visible_channels(info, row["n"]["id"])]
        return out


@strawberry.type(description="Whom to call: an organisation or a role, and one of its public functional channels.")
class ContactOption:
    organization: Organization | None
    role: str | None = strawberry.field(description="The role label of a contact (never a person's name).")
    channel: ContactPoint


@strawberry.type(description="A Reallabor, research or transfer project, a funding programme, or a "
                             "collective-adoption cohort.")
class Project(Node):
    id: strawberry.ID
    name: str
    kind: str | None
    description: str | None
    started_on: Date | None
    ended_on: Date | None
    url: str | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def participants(self, info: Info) -> list[Node]:
        return [to_type(r["n"]) for r in await ctx(info).rel("project.participants", self._d["id"])]

    @strawberry.field(description="Who funds it (for a programme: its ministry).")
    async def funded_by(self, info: Info) -> list[Node]:
        return [to_type(r["n"]) for r in await ctx(info).rel("funded.by", self._d["id"])]

    @strawberry.field(description="Solutions funded by this programme.")
    async def funded_solutions(self, info: Info) -> list[Solution]:
        return [to_type(r["n"]) for r in await ctx(info).rel("funded.solutions", self._d["id"])]


@strawberry.type(description="A relationship from the asking node to `node`, with the source that states it.")
class Link:
    node: Node
    via: str = strawberry.field(description="The relationship type, e.g. CONTACT.")
    _start: strawberry.Private[str]

    @strawberry.field
    async def source(self, info: Info) -> Source | None:
        found = await provenance.link_source(info, self._start, self.via, str(self.node.id))
        return to_type(found) if found else None

    @strawberry.field(description="True when the link or the linked node is known only from illustrative data.")
    async def illustrative(self, info: Info) -> bool:
        return (await provenance.link_is_illustrative(info, self._start, self.via, str(self.node.id))
                or await provenance.node_is_illustrative(info, str(self.node.id)))


@strawberry.type(description="A document or dataset that states facts in the graph (provenance).")
class Source(Node):
    id: strawberry.ID
    title: str
    kind: str | None
    url: str | None
    publisher: str | None
    published_on: Date | None
    illustrative: bool = strawberry.field(description="True for invented sample data that no document states.")

    @strawberry.field(description="Empty: a source is its own provenance.")
    async def source_records(self) -> list[Source]:
        return []


@strawberry.type(description="An award or seal, e.g. 'Bewährt vor Ort'.")
class Award(Node):
    id: strawberry.ID
    name: str
    description: str | None
    url: str | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field
    async def granted_by(self, info: Info) -> list[Organization]:
        return [to_type(r["n"]) for r in await ctx(info).rel("award.granted_by", self._d["id"])]


@strawberry.type(description="Evidence of impact: what was measured about a solution or an adoption, the result "
                             "and when; its source says who measured it.")
class Evidence(Node):
    id: strawberry.ID
    measure: str
    result: str
    measured_on: Date | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The solutions or adoptions it is evidence for.")
    async def evidence_of(self, info: Info) -> list[Node]:
        return [to_type(r["n"]) for r in await ctx(info).rel("evidence.subjects", self._d["id"])]


@strawberry.type(description="A public, functional contact channel of an organisation or a role: office mailbox, "
                             "phone or web page. A restricted channel shows its address to authorised callers only.")
class ContactPoint(Node):
    id: strawberry.ID
    _d: strawberry.Private[dict[str, Any]]

    def _seen(self, info: Info) -> dict[str, Any]:
        return policy.contact_point_view(self._d, ctx(info).viewer)

    @strawberry.field
    def kind(self) -> ContactPointKind | None:
        return _enum(ContactPointKind, self._d.get("kind"))

    @strawberry.field(description="The address, number or page; null when the caller may not see it.")
    def value(self, info: Info) -> str | None:
        return self._seen(info).get("value")

    @strawberry.field(description="What the channel is for, e.g. 'Bürgerbüro'.")
    def label(self, info: Info) -> str | None:
        return self._seen(info).get("label")

    @strawberry.field(description="PUBLIC or RESTRICTED.")
    def visibility(self) -> str:
        return policy.visibility(self._d).upper()

    @strawberry.field(description="The organisations or roles it belongs to.")
    async def holders(self, info: Info) -> list[Node]:
        return [to_type(r["n"]) for r in await ctx(info).rel("contact_point.holders", self._d["id"])]


@strawberry.type(description="An entry of the needs log: a territory or organisation needs a concept, recorded on a "
                             "date by a Lotse (an organisation or a role), with a status and matched solutions.")
class Need(Node):
    id: strawberry.ID
    status: NeedStatus
    recorded_on: Date | None
    description: str | None
    _d: strawberry.Private[dict[str, Any]]

    @strawberry.field(description="The municipality, Amt, county or organisation that has the need.")
    async def needed_by(self, info: Info) -> Node | None:
        rows = await ctx(info).rel("need.needed_by", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None

    @strawberry.field(description="The concepts (needs or topics) it is about.")
    async def concerns(self, info: Info) -> list[Concept]:
        return [to_type(r["n"]) for r in await ctx(info).rel("need.concerns", self._d["id"])]

    @strawberry.field(description="Who recorded it: an organisation, or an actor shown as the privacy rule allows.")
    async def recorded_by(self, info: Info) -> Node | None:
        rows = await ctx(info).rel("need.recorded_by", self._d["id"])
        return to_type(rows[0]["n"]) if rows else None

    @strawberry.field(description="Solutions matched with the need.")
    async def matched_with(self, info: Info) -> list[Solution]:
        return [to_type(r["n"]) for r in await ctx(info).rel("need.matched_with", self._d["id"])]


async def sources_of(info: Info, node_id: str) -> list[Source]:
    return [to_type(r["n"]) for r in await ctx(info).rel("any.sources", node_id)]


def to_type(d: dict[str, Any]) -> Any:
    """Build the GraphQL object for a node dict (dispatch on its label)."""
    label = d.get("_label") or d["id"].partition(":")[0]
    d = {**d, "_label": label}
    g = d.get
    if label == "Municipality":
        return Municipality(**_territory_fields(d, TerritoryLevel.MUNICIPALITY), ags=d["ags"], postcode=g("postcode"),
                            kind=g("kind") or "")
    if label == "Association":
        return Association(**_territory_fields(d, TerritoryLevel.ASSOCIATION), kind=g("kind") or "", seat=g("seat"))
    if label == "County":
        return County(**_territory_fields(d, TerritoryLevel.COUNTY), ags=d["ags"], kind=g("kind") or "",
                      seat=g("seat"))
    if label == "State":
        return State(**_territory_fields(d, TerritoryLevel.STATE), ags=d["ags"], seat=g("seat"))
    if label == "Organization":
        return Organization(id=strawberry.ID(d["id"]), name=d["name"], kind=OrganizationKind(d["kind"]),
                            short_name=g("short_name"), legal_form=g("legal_form"), description=g("description"),
                            url=g("url"), _d=d)
    if label == "Actor":
        return Actor(id=strawberry.ID(d["id"]), _d=d)
    if label == "Solution":
        return Solution(id=strawberry.ID(d["id"]), name=d["name"], summary=g("summary"), maturity=g("maturity"),
                        url=g("url"), licence=g("licence"), _d=d)
    if label == "Concept":
        return Concept(id=strawberry.ID(d["id"]), label=d["label"], scheme=g("scheme") or "",
                       definition=g("definition"), _d=d)
    if label == "Adoption":
        return Adoption(id=strawberry.ID(d["id"]), status=AdoptionStatus(d["status"]),
                        started_on=_date(g("started_on")), ended_on=_date(g("ended_on")), outcome=g("outcome"), _d=d)
    if label == "Project":
        return Project(id=strawberry.ID(d["id"]), name=d["name"], kind=g("kind"), description=g("description"),
                       started_on=_date(g("started_on")), ended_on=_date(g("ended_on")), url=g("url"), _d=d)
    if label == "Source":
        return Source(id=strawberry.ID(d["id"]), title=d.get("title") or d["id"], kind=g("kind"), url=g("url"),
                      publisher=g("publisher"), published_on=_date(g("published_on")),
                      illustrative=bool(g("illustrative")))
    if label == "Award":
        return Award(id=strawberry.ID(d["id"]), name=d["name"], description=g("description"), url=g("url"), _d=d)
    if label == "Evidence":
        return Evidence(id=strawberry.ID(d["id"]), measure=d.get("measure") or "", result=d.get("result") or "",
                        measured_on=_date(g("measured_on")), _d=d)
    if label == "ContactPoint":
        return ContactPoint(id=strawberry.ID(d["id"]), _d=d)
    if label == "Need":
        return Need(id=strawberry.ID(d["id"]), status=_enum(NeedStatus, g("status")) or NeedStatus.OPEN,
                    recorded_on=_date(g("recorded_on")), description=g("description"), _d=d)
    raise ValueError(f"no GraphQL type for label {label}")


ALL_TYPES = (State, County, Association, Municipality, Organization, Actor, Concept, Solution, Adoption, Project,
             Source, Award, Evidence, ContactPoint, Need)
