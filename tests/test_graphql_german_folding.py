"""Filters and NAME ordering fold German spellings: ä/ae, ö/oe, ü/ue, ß/ss, and Ö sorts with O.

The oracle is Python's own comparison of the folded names read straight from the store."""

from __future__ import annotations

import pytest

from graph_api.german import fold
from graph_api.store import Store
from tests.graphql_client import GraphQLClient

NAMES = "query($f: MunicipalityFilter, $after: String) { municipalities(filter: $f, first: 100, after: $after) " \
        "{ edges { node { id name } } pageInfo { hasNextPage endCursor } } }"


@pytest.fixture(scope="module")
def api(pilot_store: Store) -> GraphQLClient:
    return GraphQLClient(pilot_store)


def _ids(api: GraphQLClient, name_contains: str) -> set[str]:
    page = api.data(NAMES, {"f": {"nameContains": name_contains}})["municipalities"]
    return {e["node"]["id"] for e in page["edges"]}


@pytest.mark.parametrize(("plain", "umlaut"), [("Moelln", "Mölln"), ("moelln", "MÖLLN"), ("Buechen", "Büchen"),
                                               ("Guelze", "Gülze")])
def test_name_contains_finds_both_spellings(api: GraphQLClient, plain: str, umlaut: str) -> None:
    assert _ids(api, plain) == _ids(api, umlaut) != set()


def test_folding_matches_an_independent_scan_of_the_store(api: GraphQLClient, pilot_store: Store) -> None:
    names = {r["id"]: r["name"] for r in pilot_store.read("MATCH (n:Municipality) RETURN n.id AS id, n.name AS name",
                                                          {})}
    for needle in ("oe", "ss", "ue", "ae"):
        expected = {i for i, name in names.items() if needle in fold(name)}
        assert _ids(api, needle) == expected


def test_fold_rule() -> None:
    assert fold("Straße Öhningen MÜNCHEN Bärenfels") == "strasse oehningen muenchen baerenfels"


def test_name_order_puts_umlauts_with_their_base_letter(api: GraphQLClient, pilot_store: Store) -> None:
    seen: list[str] = []
    after = None
    while True:
        page = api.data(NAMES, {"after": after})["municipalities"]
        seen += [e["node"]["name"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == sorted(seen, key=fold)
    umlauted = [n for n in seen if n[0] in "ÄÖÜ"] or [n for n in seen if any(c in n for c in "äöü")]
    assert umlauted
