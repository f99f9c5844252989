"""Provenance everywhere: every answer element names its sources and says whether it is illustrative.

The oracle for `illustrative` is read independently from the store: a node is illustrative unless
at least one of its sources is a real (non-illustrative) one.
"""

from __future__ import annotations

from graph_api.store import Store
from tests.graphql_client import GraphQLClient

REAL = ("MATCH (n)-[:SOURCED_FROM]->(s:Source) WHERE coalesce(s.illustrative, false) = false "
        "RETURN DISTINCT n.id AS id")


def real_ids(store: Store) -> set[str]:
    return {r["id"] for r in store.read(REAL)}


def test_every_node_type_exposes_its_sources_and_the_illustrative_flag(pilot_store: Store) -> None:
    api = GraphQLClient(pilot_store)
    sourced = real_ids(pilot_store)
    for node_id in ("Municipality:13076060", "County:13076", "Actor:buergermeister-hagenow",
                    "Project:isdn", "Adoption:hagenow-digitale-lokale-agenda",
                    "Solution:kommunale-app", "Organization:kreisverwaltung-ludwigslust-parchim",
                    "Concept:topic-digitalisierung", "Award:bewaehrt-vor-ort"):
        node = api.data('query($id: ID!) { node(id: $id) { id illustrative sourceRecords { id illustrative } } }',
                        {"id": node_id})["node"]
        if node is None:
            continue
        expected_sources = {r["id"] for r in pilot_store.read(
            "MATCH (n {id: $id})-[:SOURCED_FROM]->(s:Source) RETURN s.id AS id", {"id": node_id})}
        assert {s["id"] for s in node["sourceRecords"]} == expected_sources, node_id
        assert node["illustrative"] is (node_id not in sourced), node_id


def test_lists_can_be_restricted_to_sourced_facts(pilot_store: Store) -> None:
    api = GraphQLClient(pilot_store)
    sourced = real_ids(pilot_store)
    for field, label in (("adoptions", "Adoption"), ("actors", "Actor"), ("solutions", "Solution"),
                         ("organizations", "Organization")):
        everything = api.data(f"{{ {field}(first: 100) {{ totalCount edges {{ node {{ id illustrative }} }} }} }}"
                              )[field]
        sourced_only = api.data(f"{{ {field}(first: 100, excludeIllustrative: true) {{ totalCount "
                                "edges { node { id illustrative } } } }")[field]
        everything["nodes"] = [e["node"] for e in everything["edges"]]
        sourced_only["nodes"] = [e["node"] for e in sourced_only["edges"]]
        expected = {r["id"] for r in pilot_store.read(f"MATCH (n:{label}) RETURN n.id AS id")} & sourced
        assert {n["id"] for n in sourced_only["nodes"]} <= expected, field
        assert sourced_only["totalCount"] == len(expected)
        assert not any(n["illustrative"] for n in sourced_only["nodes"])
        assert everything["totalCount"] > sourced_only["totalCount"], f"{label}: the sample has illustrative ones"


def test_lineage_and_recommendations_say_what_is_illustrative(pilot_store: Store) -> None:
    api = GraphQLClient(pilot_store)
    sourced = real_ids(pilot_store)
    lineage = api.data('{ transferLineage(solution: "Solution:digitale-lokale-agenda") { id illustrative } }')
    assert all(a["illustrative"] is (a["id"] not in sourced) for a in lineage["transferLineage"])
    only = api.data('{ transferLineage(solution: "Solution:digitale-lokale-agenda", excludeIllustrative: true) '
                    '{ id } }')["transferLineage"]
    assert {a["id"] for a in only} == {a["id"] for a in lineage["transferLineage"] if a["id"] in sourced}
    recs = api.data('{ recommendSolutions(municipality: "Municipality:13076108", first: 10) { solution { id } '
                    'adopterCount illustrativeAdopterCount evidence { id illustrative adopter { '
                    '... on Node { id } } } } }')["recommendSolutions"]
    assert recs
    for rec in recs:
        adopters = {e["adopter"]["id"] for e in rec["evidence"]}
        shaky = {a for a in adopters if all(e["illustrative"] for e in rec["evidence"] if e["adopter"]["id"] == a)}
        assert rec["adopterCount"] == len(adopters) and rec["illustrativeAdopterCount"] == len(shaky)
    sourced_recs = api.data('{ recommendSolutions(municipality: "Municipality:13076108", first: 10, '
                            'excludeIllustrative: true) { illustrativeAdopterCount evidence { illustrative } } }')
    for rec in sourced_recs["recommendSolutions"]:
        assert rec["illustrativeAdopterCount"] == 0 and not any(e["illustrative"] for e in rec["evidence"])


def test_path_steps_and_contacts_carry_the_source_of_their_link(pilot_store: Store) -> None:
    api = GraphQLClient(pilot_store)
    paths = api.data('{ contactPaths(from: "Actor:buergermeister-hagenow", to: "Organization:kreisverwaltung-'
                     'ludwigslust-parchim", maxHops: 4) { steps { node { id } via illustrative viaSource { id '
                     'illustrative } } } }')["contactPaths"]
    assert paths
    for path in paths:
        for previous, step in zip(path["steps"], path["steps"][1:], strict=False):
            stored = pilot_store.read(
                f"MATCH (a {{id: $a}})-[r:{step['via']}]-(b {{id: $b}}) RETURN r.source AS s",
                {"a": previous["node"]["id"], "b": step["node"]["id"]})
            assert (step["viaSource"] or {}).get("id") in {r["s"] for r in stored}
    adoption = api.data('{ node(id: "Adoption:hagenow-digitale-lokale-agenda") { ... on Adoption { '
                        'contactLinks { node { id } source { id } illustrative } } } }')["node"]
    assert adoption["contactLinks"] and all(link["source"] for link in adoption["contactLinks"])
