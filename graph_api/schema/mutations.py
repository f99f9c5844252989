"""Mutations: upserts on `id` for the curated entities, validated exactly like the curated loader.

Inputs are turned into the curated record models (`graph_api.loaders.curated_schema`), so a mutation and
a YAML file obey the same rules and produce the same messages; the rows come from the same
emitter. Each mutation is one `Store.apply` (one transaction) that records who changed the node
and when, and that checks the whole-graph rules (`graph_api.integrity`) before it commits.
Relationship lists given in an update replace the node's previous ones of that type; an omitted
field keeps its stored value and an explicit `null` clears it. Messages name fields as the API
spells them (`input.startedOn`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from enum import Enum
from functools import partial
from typing import Any

import strawberry
from graphql import GraphQLError
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from strawberry import UNSET
from strawberry.types import Info
from strawberry.utils.str_converters import to_camel_case

from graph_api.ingest import existing_ids_in
from graph_api.integrity import GraphRuleError, Violation
from graph_api.loaders import curated
from graph_api.loaders.curated_schema import (
    ActorRecord,
    AdoptionRecord,
    ContactPointRecord,
    ContactRecord,
    EvidenceRecord,
    NeedRecord,
    OrganizationRecord,
    Record,
    SolutionRecord,
)
from graph_api.model import NODE_PROPERTIES, TERRITORY_LABELS, label_of
from graph_api.rows import GraphRows
from graph_api.schema.context import GraphContext
from graph_api.schema.types import (
    Actor,
    Adoption,
    AdoptionStatus,
    ContactPoint,
    ContactPointKind,
    Date,
    DevelopmentStatus,
    Evidence,
    LifecyclePhase,
    MaintenanceType,
    Need,
    NeedStatus,
    Organization,
    OrganizationKind,
    Solution,
    Visibility,
    to_type,
)
from graph_api.store.history import Origin

# GraphQL input field (snake_case) -> relationship type replaced when that list is given
_REPLACED = {"funded_by": "FUNDED_BY", "maintained_by": "MAINTAINED_BY", "derived_from": "DERIVED_FROM",
             "implements_services": "IMPLEMENTS_SERVICE", "contact_points": "HAS_CONTACT_POINT",
             "evidence_of": "EVIDENCE_OF", "needed_by": "NEEDED_BY", "concerns": "CONCERNS",
             "recorded_by": "RECORDED_BY", "matched_with": "MATCHED_WITH",
             "categories": "IN_CATEGORY", "needs": "ADDRESSES", "originator": "ORIGINATED_BY", "awards": "RECEIVED",
             "administers": "ADMINISTERS", "serves": "SERVES", "parent": "SUB_ORGANIZATION_OF",
             "owners": "OWNED_BY", "member_of": "MEMBER_OF", "roles": "WORKS_FOR", "learned_from": "LEARNED_FROM",
             "contacts": "CONTACT", "project": "IN_PROJECT", "solution": "OF", "adopter": "BY",
             "sources": "SOURCED_FROM", "projects": "PARTICIPATES_IN"}


def _require_token(info: Info) -> GraphContext:
    context: GraphContext = info.context
    if not context.authorised:
        raise PermissionError("this mutation needs a valid API token (Authorization: Bearer <COPGRAPH_API_TOKEN>)")
    return context


def _plain(value: Any) -> Any:
    """Input objects as dicts: an omitted field is left out, an explicit `null` stays as None."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Enum):  # AdoptionStatus, OrganizationKind, Visibility: the stored spelling
        return value.value
    if hasattr(value, "__strawberry_definition__"):
        return {k: _plain(v) for k, v in vars(value).items() if v is not UNSET}
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _stated(value: Any) -> Any:
    """What a record model validates: explicit nulls dropped (they clear, they state nothing)."""
    if isinstance(value, list):
        return [_stated(v) for v in value]
    if isinstance(value, dict):
        return {k: _stated(v) for k, v in value.items() if v is not None}
    return value


def api_path(path: Iterable[Any]) -> str:
    """`input.started_on` as the caller wrote it: `input.startedOn` (list indexes stay numbers)."""
    return ".".join(["input", *(to_camel_case(p) if isinstance(p, str) else str(p) for p in path)])


def _validate(model: type[Record], data: dict[str, Any]) -> Record:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        messages = [f"{api_path(e['loc'])}: {curated._message(e)}" for e in exc.errors()]
        raise GraphQLError("; ".join(messages)) from None


def _rule_message(violation: Violation, node_id: str | None) -> str:
    """A broken whole-graph rule, on the input's own node as `input.<field>`, else with its node id."""
    if violation.node == node_id or (node_id in violation.involves and violation.node in violation.involves):
        return f"input.{violation.field}: {violation.message}"  # on the input itself, or a cycle through it
    return str(violation)


async def _upsert(info: Info, label: str | None, model: type[Record], data: dict[str, Any]) -> dict[str, Any] | None:
    context = _require_token(info)
    what = info.field_name  # the mutation, as the change history's `what`
    record = _validate(model, _stated(data))
    problems = []
    refs = list(curated._references(record))
    present = await run_in_threadpool(existing_ids_in(context.store), {ref for _, ref, _ in refs})
    for path, ref, allowed in refs:
        if label_of(ref) not in allowed:
            problems.append(f"{api_path(path)}: '{ref}' is a {label_of(ref)}; expected {' or '.join(allowed)}")
        elif ref not in present:
            kind = "territory" if label_of(ref) in TERRITORY_LABELS else label_of(ref)
            problems.append(f"{api_path(path)}: unknown {kind} '{ref}'")
    services = list(getattr(record, "implements_services", []))
    if services and not problems:
        stored = await run_in_threadpool(context.store.node_rows, "Concept", services, ["scheme"])
        problems += [f"{api_path(('implements_services', index))}: {message}" for index, message in
                     curated.service_scheme_problems(record, {r["id"]: r.get("scheme") for r in stored})]
    if problems:
        raise GraphQLError("; ".join(problems))
    rows = GraphRows()
    curated._emit(rows, label, record)
    node_id = f"{label}:{record.id}" if label else None  # type: ignore[attr-defined]
    replace = {(rel, node_id) for field, rel in _REPLACED.items() if field in data} if node_id else set()
    stated = rows.nodes[label][0] if node_id else {}
    clear = {(node_id, name) for name, value in data.items() if value is None and stated.get(name) is None
             and name not in _REPLACED and name in NODE_PROPERTIES[label]} if node_id else set()
    audit = {"updated_by": context.caller, "updated_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
    try:
        await run_in_threadpool(partial(context.store.apply, rows, audit=audit if label else None,
                                        replace=replace, clear=clear, origin=Origin(context.caller, what)))
    except GraphRuleError as exc:
        raise GraphQLError("; ".join(_rule_message(v, node_id) for v in exc.violations)) from None
    if node_id is None:
        return None
    context.nodes.clear_all()  # the node was (re)written: forget any cached version
    context.related.clear_all()
    return await context.node(node_id)


@strawberry.input
class RoleInput:
    organization: strawberry.ID
    title: str
    since: Date | None = UNSET
    until: Date | None = UNSET


@strawberry.input
class OwnershipInput:
    owner: strawberry.ID
    share: float | None = UNSET


@strawberry.input
class AwardGrantInput:
    award: strawberry.ID
    year: int | None = UNSET
    round: int | None = UNSET


@strawberry.input(description="A maintaining organisation and until when it committed to maintain.")
class MaintainerInput:
    organization: strawberry.ID
    until: Date | None = UNSET
    source: strawberry.ID | None = UNSET


@strawberry.input(description="Create or update a solution (upsert on id, a slug).")
class SolutionInput:
    id: str
    name: str
    summary: str | None = UNSET
    maturity: str | None = UNSET
    url: str | None = UNSET
    licence: str | None = UNSET
    lifecycle_phase: LifecyclePhase | None = UNSET
    development_status: DevelopmentStatus | None = UNSET
    software_type: str | None = UNSET
    repository_url: str | None = UNSET
    maintenance_type: MaintenanceType | None = UNSET
    maintained_until: Date | None = UNSET
    lessons_learned: str | None = UNSET
    cost_one_off_eur_min: int | None = UNSET
    cost_one_off_eur_max: int | None = UNSET
    cost_running_eur_per_year_min: int | None = UNSET
    cost_running_eur_per_year_max: int | None = UNSET
    effort_note: str | None = UNSET
    categories: list[strawberry.ID] | None = UNSET
    needs: list[strawberry.ID] | None = UNSET
    originator: strawberry.ID | None = UNSET
    awards: list[AwardGrantInput] | None = UNSET
    funded_by: list[strawberry.ID] | None = strawberry.field(default=UNSET, description="Organisations or funding "
                                                             "programmes (Project kind programme)")
    maintained_by: list[MaintainerInput] | None = UNSET
    derived_from: list[strawberry.ID] | None = UNSET
    implements_services: list[strawberry.ID] | None = strawberry.field(default=UNSET, description="OZG/LeiKa "
                                                                       "service concepts")
    sources: list[strawberry.ID] | None = UNSET


@strawberry.input(description="Create or update an organisation (upsert on id, a slug).")
class OrganizationInput:
    id: str
    name: str
    kind: OrganizationKind
    short_name: str | None = UNSET
    legal_form: str | None = UNSET
    description: str | None = UNSET
    url: str | None = UNSET
    administers: list[strawberry.ID] | None = UNSET
    serves: list[strawberry.ID] | None = UNSET
    parent: strawberry.ID | None = UNSET
    owners: list[OwnershipInput] | None = UNSET
    contact_points: list[strawberry.ID] | None = UNSET
    sources: list[strawberry.ID] | None = UNSET


@strawberry.input(description="Create or update an actor (upsert on id, a slug). Visibility defaults to restricted.")
class ActorInput:
    id: str
    name: str
    role_label: str
    visibility: Visibility | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    description: str | None = UNSET
    roles: list[RoleInput] | None = UNSET
    contact_points: list[strawberry.ID] | None = strawberry.field(default=UNSET, description="Functional channels "
                                                                  "of the role (a role mailbox), never personal ones")
    sources: list[strawberry.ID] | None = UNSET


@strawberry.input(description="Create or update an adoption (upsert on id, a slug).")
class AdoptionInput:
    id: str
    solution: strawberry.ID
    adopter: strawberry.ID
    status: AdoptionStatus
    started_on: Date | None = UNSET
    ended_on: Date | None = UNSET
    learned_from: list[strawberry.ID] | None = UNSET
    contacts: list[strawberry.ID] | None = UNSET
    project: strawberry.ID | None = UNSET
    outcome: str | None = UNSET
    sources: list[strawberry.ID] | None = UNSET


@strawberry.input(description="Create or update evidence of impact (upsert on id, a slug).")
class EvidenceInput:
    id: str
    measure: str
    result: str
    evidence_of: list[strawberry.ID]
    measured_on: Date | None = UNSET
    sources: list[strawberry.ID] | None = UNSET


@strawberry.input(description="Create or update a public, functional contact channel (upsert on id, a slug); link "
                              "it from an organisation or actor with their contactPoints. Visibility defaults to "
                              "restricted.")
class ContactPointInput:
    id: str
    kind: ContactPointKind
    value: str
    label: str | None = UNSET
    visibility: Visibility | None = UNSET
    sources: list[strawberry.ID] | None = UNSET


@strawberry.input(description="Record or update a need in the needs log (upsert on id, a slug).")
class NeedInput:
    id: str
    status: NeedStatus
    recorded_on: Date
    needed_by: strawberry.ID
    concerns: list[strawberry.ID]
    description: str | None = UNSET
    recorded_by: strawberry.ID | None = UNSET
    matched_with: list[strawberry.ID] | None = UNSET
    sources: list[strawberry.ID] | None = UNSET


@strawberry.input(description="An acquaintance between two actors (KNOWS, undirected).")
class ContactInput:
    a: strawberry.ID
    b: strawberry.ID
    context: str | None = UNSET
    since: Date | None = UNSET
    source: strawberry.ID | None = UNSET


_DELETABLE = ("Solution", "Organization", "Actor", "Adoption", "Project", "Concept", "Award", "Evidence",
              "ContactPoint", "Need")


@strawberry.type
class Mutation:
    @strawberry.mutation
    async def upsert_solution(self, info: Info, input: SolutionInput) -> Solution:
        return to_type(await _upsert(info, "Solution", SolutionRecord, _plain(input)))

    @strawberry.mutation
    async def upsert_organization(self, info: Info, input: OrganizationInput) -> Organization:
        return to_type(await _upsert(info, "Organization", OrganizationRecord, _plain(input)))

    @strawberry.mutation
    async def upsert_actor(self, info: Info, input: ActorInput) -> Actor:
        return to_type(await _upsert(info, "Actor", ActorRecord, _plain(input)))

    @strawberry.mutation
    async def upsert_adoption(self, info: Info, input: AdoptionInput) -> Adoption:
        return to_type(await _upsert(info, "Adoption", AdoptionRecord, _plain(input)))

    @strawberry.mutation
    async def upsert_evidence(self, info: Info, input: EvidenceInput) -> Evidence:
        return to_type(await _upsert(info, "Evidence", EvidenceRecord, _plain(input)))

    @strawberry.mutation
    async def upsert_contact_point(self, info: Info, input: ContactPointInput) -> ContactPoint:
        return to_type(await _upsert(info, "ContactPoint", ContactPointRecord, _plain(input)))

    @strawberry.mutation(description="Record a need (or change its status, matches) in the needs log.")
    async def upsert_need(self, info: Info, input: NeedInput) -> Need:
        return to_type(await _upsert(info, "Need", NeedRecord, _plain(input)))

    @strawberry.mutation(description="Create or update a contact between two actors; returns true when stored.")
    async def upsert_contact(self, info: Info, input: ContactInput) -> bool:
        await _upsert(info, None, ContactRecord, _plain(input))
        return True

    @strawberry.mutation(description="Delete a curated node and its relationships; returns false if it did not exist.")
    async def delete_node(self, info: Info, id: strawberry.ID) -> bool:
        context = _require_token(info)
        label = label_of(str(id))
        if label not in _DELETABLE:
            raise GraphQLError(f"only {', '.join(_DELETABLE)} can be deleted; '{id}' is not one of them")
        return await run_in_threadpool(context.store.delete_node, str(id), Origin(context.caller, "deleteNode"))

    @strawberry.mutation(description="Delete the contact between two actors (either direction).")
    async def delete_contact(self, info: Info, a: strawberry.ID, b: strawberry.ID) -> bool:
        context = _require_token(info)
        if label_of(str(a)) != "Actor" or label_of(str(b)) != "Actor":
            raise GraphQLError("a and b must be Actor ids")
        return await run_in_threadpool(context.store.delete_contact, str(a), str(b))
