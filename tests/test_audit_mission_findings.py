"""Findings of issue 16 that the pilot data alone does not exercise, each made to happen and checked
against the networkx oracle (`tests/mission_oracle.py`).

"2 municipalities of similar size" counted two Ämter: on the bundled sample no Amt or county that
adopts has a population, so a ranking that counts them passes every test there. Here an Amt that
adopts is given the population of a town, and the town's recommendations must still count only
municipalities of similar size — in the reasons and in the ranking.
"""

from __future__ import annotations

from graph_api.store import Store
from tests import mission_oracle as oracle
from tests.graphql_client import GraphQLClient

AMT = "Association:130765652"  # Boizenburg-Land, adopter of the Gemeinschaftliche Dorfaktion
DORFAKTION = "Solution:gemeinschaftliche-dorfaktion"


def test_an_amt_of_similar_size_is_not_a_municipality_of_similar_size(fresh_pilot_store: Store) -> None:
    store = fresh_pilot_store
    raw = oracle.raw_rows(store)
    assert any(a for a, s in raw.edges["OF"] if s == DORFAKTION and (a, AMT) in raw.edges["BY"]
               and raw.nodes[a]["status"] in oracle.ACTIVE)
    towns = sorted((d["population"], n) for n, d in raw.nodes.items() if d["_label"] == "Municipality"
                   and (d.get("population") or 0) > 5000 and not n.startswith("Municipality:13076"))
    population, town = towns[0]
    with store.transaction() as run:
        run("MATCH (a:Association {id: $id}) SET a.population = $p", {"id": AMT, "p": population})
    raw = oracle.raw_rows(store)
    assert raw.nodes[AMT]["population"] == population
    expected = oracle.recommendations(raw, town)
    assert DORFAKTION in dict(expected)
    got = GraphQLClient(store).data("""query($m: ID!) { recommendSolutions(municipality: $m, first: 100) {
        score reasons solution { id } } }""", {"m": town})["recommendSolutions"]
    assert [(r["solution"]["id"], r["score"]) for r in got] == expected[:100]
    # the head of the ranking is chosen from adopter counts alone (the adoption index), apart from the reasons
    rank = [s for s, _ in expected].index(DORFAKTION) + 1
    for first in range(1, rank + 2):
        head = GraphQLClient(store).data("""query($m: ID!, $n: Int) { recommendSolutions(municipality: $m,
            first: $n) { score solution { id } } }""", {"m": town, "n": first})["recommendSolutions"]
        assert [(r["solution"]["id"], r["score"]) for r in head] == expected[:first], first
    dorfaktion = next(r for r in got if r["solution"]["id"] == DORFAKTION)
    assert not any("similar size" in reason for reason in dorfaktion["reasons"]), dorfaktion["reasons"]
