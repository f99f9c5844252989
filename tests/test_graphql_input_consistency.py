"""Inputs speak the same types as outputs: the visibility enum, `Date` scalars, one `kind` nullability.

A front end that reads `visibility: PUBLIC` must be able to send `PUBLIC` back; a date it reads as
`Date` it must be able to send as `Date` (and a non-date is refused by the type system, before any
resolver runs, in both the literal and the variable form)."""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLNonNull, get_named_type

from graph_api.schema import schema
from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient

UPSERT_ACTOR = """mutation($input: ActorInput!) { upsertActor(input: $input) { id name visibility } }"""
UPSERT_ADOPTION = """mutation($input: AdoptionInput!) { upsertAdoption(input: $input) { id startedOn endedOn } }"""
ADOPTION = {"id": "consistency-test", "solution": "Solution:kommunale-app", "adopter": "Municipality:13076060",
            "status": "PLANNED"}


def test_visibility_is_one_enum_for_input_and_output() -> None:
    graphql = schema._schema
    output = graphql.get_type("Actor").fields["visibility"].type
    given = graphql.get_type("ActorInput").fields["visibility"].type
    assert isinstance(output, GraphQLNonNull) and get_named_type(output) is get_named_type(given)
    assert isinstance(get_named_type(given), GraphQLEnumType)
    assert set(get_named_type(given).values) == {"PUBLIC", "RESTRICTED"}


def test_every_date_shaped_input_is_a_date_scalar() -> None:
    """Input fields named like dates (`...On`, `since`, `until`) are `Date`, as their output twins are."""
    wrong = []
    for name, kind in schema._schema.type_map.items():
        if name.startswith("__") or not hasattr(kind, "fields") or kind.__class__.__name__ != "GraphQLInputObjectType":
            continue
        for field_name, field in kind.fields.items():
            dated = field_name.endswith(("On", "Until")) or field_name in {"since", "until"}
            if dated and get_named_type(field.type).name not in ("Date", "DateCondition"):
                wrong.append(f"{name}.{field_name}: {field.type}")
    assert wrong == []
    bounds = schema._schema.get_type("DateCondition").fields
    assert {get_named_type(f.type).name for f in bounds.values()} == {"Date"}


def test_territory_kinds_share_their_nullability() -> None:
    graphql = schema._schema
    kinds = {name: str(graphql.get_type(name).fields["kind"].type) for name in ("County", "Association",
                                                                                 "Municipality")}
    assert set(kinds.values()) == {"String!"}, kinds


def test_a_public_actor_round_trips_its_visibility(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    actor = {"id": "visibility-test", "name": "Erika Beispiel", "roleLabel": "Lotsin", "visibility": "PUBLIC"}
    written = api.data(UPSERT_ACTOR, {"input": actor}, token=TOKEN)["upsertActor"]
    assert written == {"id": "Actor:visibility-test", "name": "Erika Beispiel", "visibility": "PUBLIC"}
    anonymous = api.data('{ node(id: "Actor:visibility-test") { ... on Actor { name visibility } } }')["node"]
    assert anonymous == {"name": "Erika Beispiel", "visibility": "PUBLIC"}
    hidden = api.data(UPSERT_ACTOR, {"input": {**actor, "visibility": "RESTRICTED"}}, token=TOKEN)["upsertActor"]
    assert hidden["visibility"] == "RESTRICTED"
    anonymous = api.data('{ node(id: "Actor:visibility-test") { ... on Actor { name visibility } } }')["node"]
    assert anonymous == {"name": "Lotsin", "visibility": "RESTRICTED"}
    for odd in ("public", "Public", "PUBLIC ", "", "HIDDEN"):  # only the enum's own spelling
        errors = api.post(UPSERT_ACTOR, {"input": {**actor, "visibility": odd}}, token=TOKEN).json()["errors"]
        assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT", (odd, errors)
        assert "Visibility" in errors[0]["message"], errors


def test_dates_are_dates_in_both_directions(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    written = api.data(UPSERT_ADOPTION, {"input": {**ADOPTION, "startedOn": "2024-02-29", "endedOn": None}},
                       token=TOKEN)["upsertAdoption"]
    assert written == {"id": "Adoption:consistency-test", "startedOn": "2024-02-29", "endedOn": None}
    for odd in ("2024-02-30", "2024-2-1", "29.02.2024", "2024-02-29T10:00:00", "", "0000-01-01", 20240229):
        body = api.post(UPSERT_ADOPTION, {"input": {**ADOPTION, "startedOn": odd}}, token=TOKEN).json()
        assert body.get("data") is None and body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", (odd, body)
        message = body["errors"][0]["message"]
        assert "$input" in message and ".startedOn" in message and "started_on" not in message, body
    literal = api.post('mutation { upsertAdoption(input: {id: "x", solution: "Solution:kommunale-app", '
                       'adopter: "Municipality:13076060", status: PLANNED, startedOn: "2024-13-01"}) { id } }',
                       token=TOKEN).json()
    assert literal["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED", literal
    assert "cannot represent a Date: \"2024-13-01\"" in literal["errors"][0]["message"], literal
    still = api.data('{ node(id: "Adoption:consistency-test") { ... on Adoption { startedOn } } }')["node"]
    assert still == {"startedOn": "2024-02-29"}  # nothing of a refused write was stored
