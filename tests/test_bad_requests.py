"""Malformed and hostile API requests: clear errors, and the graph is byte-for-byte unchanged.

`tests/bad_inputs/api/*.yaml` declare one request each (path, JSON or raw body, token) and the
expected status, message fragment and GraphQL path. The injection sweep below sends Cypher
injection strings through every string and ID argument of every root query field, filter and
named query; a check over the schema makes sure no root argument is left out of the sweep.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from graphql import GraphQLInputObjectType, GraphQLScalarType, get_named_type

from graph_api.app import create_app
from graph_api.config import Settings
from graph_api.ingest import load_sample
from graph_api.schema import schema
from graph_api.store import Store
from graph_api.store.canonical import canonical_dump
from graph_api.store.ladybug_store import LadybugStore

TOKEN = "bad-requests-token-4f9a"
CASES = sorted((Path(__file__).parent / "bad_inputs" / "api").glob("*.yaml"))
PAYLOADS = [
    "' }) DETACH DELETE n //",
    '" }) DETACH DELETE n //',
    "x'}) MATCH (n) DETACH DELETE n RETURN 1 //",
    "Municipality:13076060' OR 1=1 //",
    "Solution:`) DETACH DELETE n //",
    "Actor:x\\' }) SET n.name = 'pwned' //",
    "$id",
    "{id: 'Municipality:13076060'}",
    "Municipality:13076060\u0000",
    "Concept:" + "a" * 5000,
]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = LadybugStore(tmp_path_factory.mktemp("bad-requests") / "g.lbdb")
    store.ensure_schema()
    load_sample(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def http(store: Store) -> TestClient:
    return TestClient(create_app(Settings(api_token=TOKEN), store=store))


@pytest.fixture(scope="module")
def pilot_dump(store: Store) -> str:
    return canonical_dump(store)


def _message(body: Any) -> tuple[str, list[Any] | None]:
    if isinstance(body, dict) and body.get("errors"):
        return body["errors"][0]["message"], body["errors"][0].get("path")
    detail = body.get("detail") if isinstance(body, dict) else body
    if isinstance(detail, dict):
        detail = detail.get("message", "")
    return str(detail), None


@pytest.mark.parametrize("case", CASES, ids=[c.stem for c in CASES])
def test_bad_request_is_refused_clearly(case: Path, http: TestClient, store: Store, pilot_dump: str) -> None:
    spec = yaml.safe_load(case.read_text(encoding="utf-8"))
    request, expect = spec["request"], spec["expect"]
    token = request.get("token")
    headers = {"Authorization": f"Bearer {TOKEN if token is True else token}"} if token else {}
    if "body" in request:
        headers["content-type"] = request["content_type"]
        response = http.post(request["path"], content=request["body"].encode(), headers=headers)
    else:
        response = http.post(request["path"], json=request["json"], headers=headers)
    assert response.status_code == expect["status"], response.text[:500]
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else response.text
    if "rows" in expect:
        assert len(body["rows"]) == expect["rows"]
    else:
        message, path = _message(body)
        assert expect["message"] in message
        assert "internal error" not in message
        if "path" in expect:
            assert path == expect["path"]
    assert canonical_dump(store) == pilot_dump


# ---- the injection sweep ------------------------------------------------------------------
# root field -> (query using $s for the argument named by the key, the argument paths it covers)
SWEEP: dict[str, str] = {
    "node.id": "query($s: ID!) { node(id: $s) { id } }",
    "nodes.ids": "query($s: ID!) { nodes(ids: [$s, $s]) { id } }",
    "counties.state": "query($s: ID!) { counties(state: $s) { id } }",
    "territory.key": "query($s: String!) { territory(key: $s) { name } }",
    "search.text": "query($s: String!) { search(text: $s) { score } }",
    "searchPage.text": "query($s: String!) { searchPage(text: $s) { totalCount } }",
    "searchPage.after": 'query($s: String) { searchPage(text: "stadt", after: $s) { totalCount } }',
    "municipalities.after": "query($s: String) { municipalities(after: $s) { totalCount } }",
    "municipalities.filter.county": "query($s: ID) { municipalities(filter: {county: $s}) { totalCount } }",
    "municipalities.filter.association": "query($s: ID) { municipalities(filter: {association: $s}) { totalCount } }",
    "municipalities.filter.nameContains": "query($s: String) { municipalities(filter: {nameContains: $s}) "
                                          "{ totalCount } }",
    "municipalities.filter.hasAdopted": "query($s: ID) { municipalities(filter: {hasAdopted: $s}) { totalCount } }",
    "organizations.after": "query($s: String) { organizations(after: $s) { totalCount } }",
    "organizations.filter.within": "query($s: ID) { organizations(filter: {within: $s}) { totalCount } }",
    "organizations.filter.nameContains": "query($s: String) { organizations(filter: {nameContains: $s}) "
                                         "{ totalCount } }",
    "actors.after": "query($s: String) { actors(after: $s) { totalCount } }",
    "actors.filter.organization": "query($s: ID) { actors(filter: {organization: $s}) { totalCount } }",
    "actors.filter.within": "query($s: ID) { actors(filter: {within: $s}) { totalCount } }",
    "actors.filter.nameContains": "query($s: String) { actors(filter: {nameContains: $s}) { totalCount } }",
    "solutions.after": "query($s: String) { solutions(after: $s) { totalCount } }",
    "solutions.filter.text": "query($s: String) { solutions(filter: {text: $s}) { totalCount } }",
    "solutions.filter.category": "query($s: ID) { solutions(filter: {category: $s}) { totalCount } }",
    "solutions.filter.need": "query($s: ID) { solutions(filter: {need: $s}) { totalCount } }",
    "solutions.filter.adoptedWithin": "query($s: ID) { solutions(filter: {adoptedWithin: $s}) { totalCount } }",
    "adoptions.after": "query($s: String) { adoptions(after: $s) { totalCount } }",
    "adoptions.filter.solution": "query($s: ID) { adoptions(filter: {solution: $s}) { totalCount } }",
    "adoptions.filter.adopter": "query($s: ID) { adoptions(filter: {adopter: $s}) { totalCount } }",
    "adoptions.filter.within": "query($s: ID) { adoptions(filter: {within: $s}) { totalCount } }",
    "contactPaths.from": 'query($s: ID!) { contactPaths(from: $s, to: "Municipality:13076060") { __typename } }',
    "contactPaths.to": 'query($s: ID!) { contactPaths(from: "Municipality:13076060", to: $s) { __typename } }',
    "countyMunicipalBridges.county": "query($s: ID!) { countyMunicipalBridges(county: $s) { __typename } }",
    "countyReach.county": "query($s: ID!) { countyReach(county: $s) { __typename } }",
    "keyPersonRisks.county": "query($s: ID!) { keyPersonRisks(county: $s) { __typename } }",
    "recommendSolutions.municipality": "query($s: ID!) { recommendSolutions(municipality: $s) { __typename } }",
    "recommendSolutions.need": 'query($s: ID) { recommendSolutions(municipality: "Municipality:13076060", need: $s) '
                               "{ __typename } }",
    "openNeeds.county": "query($s: ID!) { openNeeds(county: $s) { __typename } }",
    "transferLineage.solution": "query($s: ID!) { transferLineage(solution: $s) { id } }",
    "coverageGaps.county": 'query($s: ID!) { coverageGaps(county: $s, category: "Concept:topic-beteiligung") '
                           "{ totalCount } }",
    "coverageGaps.category": 'query($s: ID!) { coverageGaps(county: "County:13076", category: $s) { totalCount } }',
    "coverage.county": 'query($s: ID!) { coverage(county: $s, category: "Concept:topic-beteiligung") { covered } }',
    "coverage.category": 'query($s: ID!) { coverage(county: "County:13076", category: $s) { covered } }',
    "coverageGaps.after": 'query($s: String) { coverageGaps(county: "County:13076", category: "Concept:x", after: $s) '
                          "{ totalCount } }",
    # token holders only: anonymous callers are refused; tests/test_change_history.py sends these with a token
    "changes.since": "query($s: String) { changes(since: $s) { at } }",
    "changes.id": "query($s: ID) { changes(id: $s) { at } }",
    "municipalities.filter.idIn": "query($s: ID!) { municipalities(filter: {idIn: [$s]}) { totalCount } }",
    "municipalities.filter.countyIn": "query($s: ID!) { municipalities(filter: {countyIn: [$s]}) { totalCount } }",
    "organizations.filter.idIn": "query($s: ID!) { organizations(filter: {idIn: [$s]}) { totalCount } }",
    "solutions.filter.idIn": "query($s: ID!) { solutions(filter: {idIn: [$s]}) { totalCount } }",
    "solutions.filter.categoryIn": "query($s: ID!) { solutions(filter: {categoryIn: [$s]}) { totalCount } }",
    "adoptions.filter.idIn": "query($s: ID!) { adoptions(filter: {idIn: [$s]}) { totalCount } }",
    "adoptions.filter.solutionIn": "query($s: ID!) { adoptions(filter: {solutionIn: [$s]}) { totalCount } }",
    "adoptionStats.filter.solution": "query($s: ID) { adoptionStats(filter: {solution: $s}) { total } }",
    "adoptionStats.filter.adopter": "query($s: ID) { adoptionStats(filter: {adopter: $s}) { total } }",
    "adoptionStats.filter.within": "query($s: ID) { adoptionStats(filter: {within: $s}) { total } }",
    "adoptionStats.filter.idIn": "query($s: ID!) { adoptionStats(filter: {idIn: [$s]}) { total } }",
    "adoptionStats.filter.solutionIn": "query($s: ID!) { adoptionStats(filter: {solutionIn: [$s]}) { total } }",
}

# String/ID fields of input objects nested inside filters (conditions, relationship conditions), by type:
# one query per field reaches it through some filter; the same input type is the same code everywhere.
NESTED_SWEEP = {
    "TextCondition.equals": "query($s: String) { municipalities(filter: {name: {equals: $s}}) { totalCount } }",
    "TextCondition.in": "query($s: String!) { solutions(filter: {name: {in: [$s]}}) { totalCount } }",
    "TextCondition.contains": "query($s: String) { organizations(filter: {OR: [{name: {contains: $s}}]}) "
                              "{ totalCount } }",
    "TextCondition.startsWith": "query($s: String) { municipalities(filter: {NOT: {name: {startsWith: $s}}}) "
                                "{ totalCount } }",
    "MunicipalityFilter.county": "query($s: ID) { adoptions(filter: {adopterMunicipalityIs: {county: $s}}) "
                                 "{ totalCount } }",
    "MunicipalityFilter.association": "query($s: ID) { municipalities(filter: {AND: [{association: $s}]}) "
                                      "{ totalCount } }",
    "MunicipalityFilter.nameContains": "query($s: String) { adoptions(filter: {adopterMunicipalityIs: "
                                       "{nameContains: $s}}) { totalCount } }",
    "MunicipalityFilter.hasAdopted": "query($s: ID) { adoptions(filter: {adopterMunicipalityIs: {hasAdopted: $s}}) "
                                     "{ totalCount } }",
    "MunicipalityFilter.idIn": "query($s: ID!) { adoptions(filter: {adopterMunicipalityIs: {idIn: [$s]}}) "
                               "{ totalCount } }",
    "MunicipalityFilter.countyIn": "query($s: ID!) { municipalities(filter: {OR: [{countyIn: [$s]}]}) "
                                   "{ totalCount } }",
    "AdoptionFilter.solution": "query($s: ID) { municipalities(filter: {adoptionsSome: {solution: $s}}) "
                               "{ totalCount } }",
    "AdoptionFilter.adopter": "query($s: ID) { solutions(filter: {adoptionsSome: {adopter: $s}}) { totalCount } }",
    "AdoptionFilter.within": "query($s: ID) { organizations(filter: {adoptionsSome: {within: $s}}) { totalCount } }",
    "AdoptionFilter.idIn": "query($s: ID!) { solutions(filter: {adoptionsSome: {idIn: [$s]}}) { totalCount } }",
    "AdoptionFilter.solutionIn": "query($s: ID!) { municipalities(filter: {adoptionsSome: {solutionIn: [$s]}}) "
                                 "{ totalCount } }",
    "SolutionFilter.text": "query($s: String) { adoptions(filter: {solutionIs: {text: $s}}) { totalCount } }",
    "SolutionFilter.category": "query($s: ID) { adoptions(filter: {solutionIs: {category: $s}}) { totalCount } }",
    "SolutionFilter.need": "query($s: ID) { adoptions(filter: {solutionIs: {need: $s}}) { totalCount } }",
    "SolutionFilter.adoptedWithin": "query($s: ID) { adoptions(filter: {solutionIs: {adoptedWithin: $s}}) "
                                    "{ totalCount } }",
    "SolutionFilter.idIn": "query($s: ID!) { adoptions(filter: {solutionIs: {idIn: [$s]}}) { totalCount } }",
    "SolutionFilter.categoryIn": "query($s: ID!) { solutions(filter: {NOT: {categoryIn: [$s]}}) { totalCount } }",
    "OrganizationFilter.within": "query($s: ID) { organizations(filter: {AND: [{within: $s}]}) { totalCount } }",
    "OrganizationFilter.nameContains": "query($s: String) { organizations(filter: {NOT: {nameContains: $s}}) "
                                       "{ totalCount } }",
    "OrganizationFilter.idIn": "query($s: ID!) { organizations(filter: {OR: [{idIn: [$s]}]}) { totalCount } }",
    "ActorFilter.organization": "query($s: ID) { actors(filter: {organization: $s}) { totalCount } }",
    "ActorFilter.within": "query($s: ID) { actors(filter: {within: $s}) { totalCount } }",
    "ActorFilter.nameContains": "query($s: String) { actors(filter: {nameContains: $s}) { totalCount } }",
}


def _nested_string_fields() -> set[str]:
    """`Type.field` of every String/ID field of every input object reachable from a root query argument."""
    found: set[str] = set()
    seen: set[str] = set()
    todo = [get_named_type(arg.type) for field in schema._schema.query_type.fields.values()  # noqa: SLF001
            for arg in field.args.values()]
    while todo:
        named = todo.pop()
        if not isinstance(named, GraphQLInputObjectType) or named.name in seen:
            continue
        seen.add(named.name)
        for sub, sub_field in named.fields.items():
            inner = get_named_type(sub_field.type)
            if isinstance(inner, GraphQLScalarType) and inner.name in ("String", "ID"):
                found.add(f"{named.name}.{sub}")
            todo.append(inner)
    return found


def _string_arguments() -> set[str]:
    """Every String/ID argument (and String/ID field of an input argument) of every root query field."""
    found = set()
    for name, field in schema._schema.query_type.fields.items():  # noqa: SLF001 - graphql-core view of the schema
        for arg_name, arg in field.args.items():
            named = get_named_type(arg.type)
            if isinstance(named, GraphQLScalarType) and named.name in ("String", "ID"):
                found.add(f"{name}.{arg_name}")
            elif isinstance(named, GraphQLInputObjectType):
                for sub, sub_field in named.fields.items():
                    inner = get_named_type(sub_field.type)
                    if isinstance(inner, GraphQLScalarType) and inner.name in ("String", "ID"):
                        found.add(f"{name}.{arg_name}.{sub}")
    return found


def test_the_sweep_covers_every_string_argument() -> None:
    assert _string_arguments() <= SWEEP.keys(), sorted(_string_arguments() - SWEEP.keys())


def test_the_sweep_covers_every_string_field_nested_in_filters() -> None:
    assert _nested_string_fields() <= NESTED_SWEEP.keys(), sorted(_nested_string_fields() - NESTED_SWEEP.keys())


@pytest.mark.parametrize("argument", sorted(SWEEP.keys() | NESTED_SWEEP.keys()))
def test_injection_through_every_string_argument_changes_nothing(argument: str, http: TestClient, store: Store,
                                                                 pilot_dump: str) -> None:
    for payload in PAYLOADS:
        query = SWEEP.get(argument) or NESTED_SWEEP[argument]
        response = http.post("/graphql", json={"query": query, "variables": {"s": payload}})
        assert response.status_code == 200, response.text[:300]
        for error in response.json().get("errors") or ():
            assert "internal error" not in error["message"], (payload, error)
    assert canonical_dump(store) == pilot_dump


@pytest.mark.parametrize("payload", PAYLOADS[:6])
def test_injection_through_named_query_parameters_changes_nothing(payload: str, http: TestClient, store: Store,
                                                                  pilot_dump: str) -> None:
    listed = http.get("/queries").json()["queries"]
    for query in listed:
        strings = {p["name"]: payload for p in query["parameters"] if p["type"] == "string"}
        if strings:
            response = http.post(f"/queries/{query['name']}", json=strings)
            assert response.status_code in (200, 400), (query["name"], response.text[:300])
    assert canonical_dump(store) == pilot_dump


def test_injection_strings_are_stored_as_data_by_mutations(tmp_path: Path) -> None:
    """Through a mutation, a hostile string is just text: stored verbatim, and nothing else changes."""
    store = LadybugStore(tmp_path / "g.lbdb")
    store.ensure_schema()
    load_sample(store)
    before = set(canonical_dump(store).splitlines())
    http = TestClient(create_app(Settings(api_token=TOKEN), store=store))
    auth = {"Authorization": f"Bearer {TOKEN}"}
    mutation = ("mutation($id: String!, $name: String!) { upsertSolution(input: {id: $id, name: $name, "
                "summary: $name}) { id name summary } }")
    for payload in PAYLOADS[:6]:
        refused = http.post("/graphql", json={"query": mutation, "variables": {"id": payload, "name": "x"}},
                            headers=auth).json()
        assert "slug" in refused["errors"][0]["message"]
    for number, payload in enumerate(PAYLOADS[:6]):
        variables = {"id": f"hostile-{number}", "name": payload}
        body = http.post("/graphql", json={"query": mutation, "variables": variables}, headers=auth).json()
        assert body["data"]["upsertSolution"] == {"id": f"Solution:hostile-{number}", "name": payload.strip(),
                                                  "summary": payload.strip()}
    after = set(canonical_dump(store).splitlines())
    assert before <= after
    assert all("Solution:hostile-" in line for line in after - before)
    http.post("/graphql", json={"query": 'mutation { deleteNode(id: "Solution:x\' }) DETACH DELETE n //") }'},
              headers=auth)
    assert set(canonical_dump(store).splitlines()) == after
    store.close()
