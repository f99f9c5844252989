"""A request that fitted the document budget once is not measured again, and nothing else skips the measure.

`DocumentBudget` remembers passes (`FitsCache`) keyed by the text, the operation name as sent and
the variables, because the cost depends on all three: the same text with a larger `first`
variable, or without the `operationName` that chose one of several operations, must still be
refused. The refusals are checked right after the same text passed.
"""

from __future__ import annotations

import pytest

from graph_api.schema.cost import FitsCache
from graph_api.store import Store
from tests.graphql_client import GraphQLClient

NESTED = ("query($n: Int) { municipalities(first: $n) { edges { node { adoptions(first: $n) { edges { node {"
          " contacts { knows(first: $n) { edges { node { id } } } } } } } } } } }")


@pytest.fixture(scope="module")
def api(pilot_store: Store) -> GraphQLClient:
    return GraphQLClient(pilot_store)


def _codes(api: GraphQLClient, body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in api.http.post("/graphql", json=body).json().get("errors", [])]


def test_a_larger_first_is_refused_after_the_same_text_fitted(api: GraphQLClient) -> None:
    assert _codes(api, {"query": NESTED, "variables": {"n": 2}}) == []
    assert _codes(api, {"query": NESTED, "variables": {"n": 100}}) == ["COST_LIMIT"]
    assert _codes(api, {"query": NESTED, "variables": {"n": 2}}) == []
    assert _codes(api, {"query": NESTED, "variables": {"n": 100}}) == ["COST_LIMIT"]


def test_several_operations_still_need_a_name_after_one_was_run_by_name(api: GraphQLClient) -> None:
    document = "query A { states { id } } query B { counties { id } }"
    assert _codes(api, {"query": document, "operationName": "A"}) == []
    assert _codes(api, {"query": document}) == ["OPERATION_RESOLUTION_FAILURE"]
    for unknown in ("", "C"):  # an empty name is a name, and none of these operations has it
        refused = api.http.post("/graphql", json={"query": document, "operationName": unknown})
        assert refused.status_code == 400 and f'Unknown operation named "{unknown}"' in refused.text


def test_a_refused_text_is_refused_every_time(api: GraphQLClient) -> None:
    deep = "{ __typename " + "a: __typename " * 31 + "}"
    assert _codes(api, {"query": deep}) == ["ALIAS_LIMIT"]
    assert _codes(api, {"query": deep}) == ["ALIAS_LIMIT"]


def test_the_cache_is_bounded_in_entries_and_in_key_size() -> None:
    fits = FitsCache(capacity=2)
    for name in ("a", "b", "c"):
        fits.add(("scan", name))
    assert ("scan", "a") not in fits and ("scan", "b") in fits and ("scan", "c") in fits
    assert ("scan", "b") in fits  # used: "c" is now the least recently used
    fits.add(("scan", "d"))
    assert ("scan", "c") not in fits and ("scan", "b") in fits
    fits.add(("scan", "x" * FitsCache.MAX_KEY_CHARS))
    assert ("scan", "x" * FitsCache.MAX_KEY_CHARS) not in fits
