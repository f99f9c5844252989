"""Mutations: token required, validated like the curated loader, upserts on id, audit fields, one transaction."""

from __future__ import annotations

from graph_api.store import Store
from tests.graphql_client import TOKEN, GraphQLClient

UPSERT_SOLUTION = """mutation($input: SolutionInput!) { upsertSolution(input: $input) {
    id name summary categories { id } needs { id } } }"""
NEW_SOLUTION = {"id": "buergerhaushalt-online", "name": "Bürgerhaushalt online", "summary": "Beteiligung am Haushalt",
                "categories": ["Concept:topic-digitalisierung"], "needs": ["Concept:need-erreichbarkeit"],
                "sources": ["Source:illustrative-pilot-sample"]}


def counts(store: Store) -> tuple[dict[str, int], dict[str, int]]:
    return store.node_label_counts(), store.rel_type_counts()


def test_without_token_nothing_is_written(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    before = counts(fresh_pilot_store)
    for token in (None, "wrong-token"):
        errors = api.errors(UPSERT_SOLUTION, {"input": NEW_SOLUTION}, token=token)
        assert "needs a valid API token" in errors[0]
        assert "needs a valid API token" in api.errors('mutation { deleteNode(id: "Solution:kommunale-app") }',
                                                       token=token)[0]
    assert counts(fresh_pilot_store) == before


def test_upsert_creates_then_updates_and_records_who_and_when(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    created = api.data(UPSERT_SOLUTION, {"input": NEW_SOLUTION}, token=TOKEN)["upsertSolution"]
    assert created == {"id": "Solution:buergerhaushalt-online", "name": "Bürgerhaushalt online",
                       "summary": "Beteiligung am Haushalt", "categories": [{"id": "Concept:topic-digitalisierung"}],
                       "needs": [{"id": "Concept:need-erreichbarkeit"}]}
    node = fresh_pilot_store.read("MATCH (s:Solution {id: 'Solution:buergerhaushalt-online'}) RETURN s AS s")[0]["s"]
    assert node["updated_by"] == "api-token" and node["updated_at"].startswith("20")
    changed = {**NEW_SOLUTION, "summary": "Online-Beteiligung", "categories": ["Concept:topic-buergerservice"]}
    updated = api.data(UPSERT_SOLUTION, {"input": changed}, token=TOKEN)["upsertSolution"]
    assert updated["summary"] == "Online-Beteiligung"
    assert updated["categories"] == [{"id": "Concept:topic-buergerservice"}]  # the stated list replaces the old one
    assert fresh_pilot_store.read("MATCH (s:Solution) WHERE s.id = 'Solution:buergerhaushalt-online' "
                                  "RETURN count(s) AS c") == [{"c": 1}]
    hits = api.data('{ search(text: "Buergerhaushalt") { node { id } } }')["search"]
    assert hits[0]["node"]["id"] == "Solution:buergerhaushalt-online"


def test_validation_uses_the_curated_rules_and_writes_nothing(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    before = counts(fresh_pilot_store)
    bad_slug = api.errors(UPSERT_SOLUTION, {"input": {**NEW_SOLUTION, "id": "Not A Slug"}}, token=TOKEN)[0]
    assert "input.id: 'Not A Slug' is not a slug" in bad_slug
    unknown = api.errors(UPSERT_SOLUTION, {"input": {**NEW_SOLUTION, "needs": ["Concept:no-such-need"]}},
                         token=TOKEN)[0]
    assert "input.needs.0: unknown Concept 'Concept:no-such-need'" in unknown
    wrong_origin = {**NEW_SOLUTION, "originator": "Source:illustrative-pilot-sample"}
    wrong_type = api.errors(UPSERT_SOLUTION, {"input": wrong_origin}, token=TOKEN)[0]
    assert "is a Source; expected Organization or State or County or Association or Municipality" in wrong_type
    adoption = """mutation { upsertAdoption(input: {id: "x", solution: "Solution:kommunale-app",
        adopter: "Municipality:13076060", status: ADOPTED, startedOn: "2024-02-30"}) { id } }"""
    assert "Value cannot represent a Date: \"2024-02-30\"" in api.errors(adoption, token=TOKEN)[0]  # the Date scalar
    assert counts(fresh_pilot_store) == before


def test_adoption_actor_contact_and_deletes(fresh_pilot_store: Store) -> None:
    api = GraphQLClient(fresh_pilot_store)
    actor = api.data("""mutation { upsertActor(input: {id: "test-lotse", name: "Test Person", roleLabel: "Lotse:in",
        roles: [{organization: "Organization:kreisverwaltung-ludwigslust-parchim", title: "Lotse:in"}]}) {
        id name roles { title organization { id } } } }""", token=TOKEN)["upsertActor"]
    assert actor["name"] == "Test Person" and actor["roles"][0]["title"] == "Lotse:in"
    anonymous = api.data('{ node(id: "Actor:test-lotse") { ... on Actor { name } } }')["node"]
    assert anonymous == {"name": "Lotse:in"}  # restricted by default
    assert api.data("""mutation { upsertContact(input: {a: "Actor:test-lotse", b: "Actor:buergermeister-hagenow",
        context: "Test"}) }""", token=TOKEN) == {"upsertContact": True}
    adoption = api.data("""mutation { upsertAdoption(input: {id: "hagenow-app-test", solution: "Solution:kommunale-app",
        adopter: "Municipality:13076060", status: PLANNED, startedOn: "2026-01-01",
        contacts: ["Actor:test-lotse"]}) {
        id status startedOn contacts { id } adopter { ... on Municipality { id } } } }""",
                        token=TOKEN)["upsertAdoption"]
    assert adoption == {"id": "Adoption:hagenow-app-test", "status": "PLANNED", "startedOn": "2026-01-01",
                        "contacts": [{"id": "Actor:test-lotse"}], "adopter": {"id": "Municipality:13076060"}}
    assert api.data('mutation { deleteContact(a: "Actor:buergermeister-hagenow", b: "Actor:test-lotse") }',
                    token=TOKEN) == {"deleteContact": True}
    assert api.data('mutation { deleteNode(id: "Adoption:hagenow-app-test") }', token=TOKEN) == {"deleteNode": True}
    assert api.data('mutation { deleteNode(id: "Adoption:hagenow-app-test") }', token=TOKEN) == {"deleteNode": False}
    assert "cannot be deleted" in api.errors('mutation { deleteNode(id: "Municipality:13076060") }', token=TOKEN)[0] \
        or "can be deleted" in api.errors('mutation { deleteNode(id: "Municipality:13076060") }', token=TOKEN)[0]
