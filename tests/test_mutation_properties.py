"""Property: random sequences of mutations never leave a graph that the whole-graph checks refuse.

Each example sends a random sequence of upserts, clears and deletes through the GraphQL door;
some are refused (unknown ids, cycles, dates out of order, shares over 100 %), the rest are
written. After every step the whole stored graph is checked by an oracle written here, apart
from the rules' own code: networkx for acyclic lineage, plain comparisons for dates and shares.
A refused mutation must leave the graph exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from graph_api.ingest import load_sample
from graph_api.store import Store
from graph_api.store.ladybug_store import LadybugStore
from tests.graphql_client import TOKEN, GraphQLClient

POOL = ["moelln-klimawerkstatt", "hagenow-klimawerkstatt", "geesthacht-klimawerkstatt", "prop-a", "prop-b", "prop-c"]
PLACES = ["Municipality:13076060", "Municipality:01053090", "Municipality:13076108", "Municipality:01053032"]
DATES = [None, "2020-01-01", "2022-09-01", "2023-05-01", "2024-04-01", "2026-06-30"]
ORGS = ["prop-werke-a", "prop-werke-b", "stadtwerke-geesthacht"]
SHARES = [None, 0.1, 0.25, 0.5, 0.75, 1.0]

ADOPTION = """mutation($input: AdoptionInput!) { upsertAdoption(input: $input) { id } }"""
ORGANIZATION = """mutation($input: OrganizationInput!) { upsertOrganization(input: $input) { id } }"""

adoptions = st.fixed_dictionaries({
    "id": st.sampled_from(POOL), "solution": st.just("Solution:klimawerkstatt"),
    "adopter": st.sampled_from(PLACES), "status": st.sampled_from(["PLANNED", "PILOT", "ADOPTED", "ABANDONED"]),
}, optional={
    "startedOn": st.sampled_from(DATES), "endedOn": st.sampled_from(DATES),
    "learnedFrom": st.one_of(st.none(), st.lists(st.sampled_from([f"Adoption:{a}" for a in POOL]), max_size=2,
                                                 unique=True)),
})
organizations = st.fixed_dictionaries({
    "id": st.sampled_from(ORGS), "name": st.just("Werke (Eigenschaftstest)"), "kind": st.just("PUBLIC_ENTERPRISE"),
    "owners": st.lists(st.fixed_dictionaries({"owner": st.sampled_from(PLACES), "share": st.sampled_from(SHARES)}),
                       max_size=3, unique_by=lambda o: o["owner"]),
})
steps = st.lists(st.one_of(st.tuples(st.just("adoption"), adoptions), st.tuples(st.just("organization"),
                                                                                   organizations),
                           st.tuples(st.just("delete"), st.sampled_from([f"Adoption:{a}" for a in POOL]))),
                 min_size=1, max_size=6)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    store = LadybugStore(tmp_path_factory.mktemp("properties") / "g.lbdb")
    store.ensure_schema()
    load_sample(store)
    yield store
    store.close()


def broken_rules(store: Store) -> list[str]:
    """The oracle: every rule over the whole stored graph, read with full scans."""
    found = []
    dates = {r["id"]: (r["s"], r["e"]) for r in store.read(
        "MATCH (a:Adoption) RETURN a.id AS id, a.started_on AS s, a.ended_on AS e")}
    lineage = nx.DiGraph()
    for r in store.read("MATCH (a:Adoption)-[:LEARNED_FROM]->(b:Adoption) RETURN a.id AS a, b.id AS b"):
        lineage.add_edge(r["a"], r["b"])
        (learner, _), (teacher, _) = dates[r["a"]], dates[r["b"]]
        if learner and teacher and learner < teacher:
            found.append(f"{r['a']} started before its teacher {r['b']}")
    if not nx.is_directed_acyclic_graph(lineage):
        found.append(f"lineage cycle {nx.find_cycle(lineage)}")
    found += [f"{i} ended before it started" for i, (s, e) in dates.items() if s and e and e < s]
    shares: dict[str, float] = {}
    for r in store.read("MATCH (o:Organization)-[r:OWNED_BY]->() RETURN o.id AS o, r.share AS s"):
        if r["s"] is not None:
            if not 0 <= r["s"] <= 1:
                found.append(f"{r['o']} share {r['s']}")
            shares[r["o"]] = shares.get(r["o"], 0) + r["s"]
    found += [f"{o} shares sum to {s}" for o, s in shares.items() if s > 1 + 1e-9]
    return found


def snapshot(store: Store) -> tuple:
    return (store.read("MATCH (a:Adoption) OPTIONAL MATCH (a)-[:LEARNED_FROM]->(b:Adoption) "
                       "RETURN a.id AS aid, a.started_on AS s, a.ended_on AS e, a.status AS st, b.id AS bid "
                       "ORDER BY aid, bid"),
            store.read("MATCH (o:Organization)-[r:OWNED_BY]->(x) RETURN o.id AS oid, x.id AS xid, r.share AS s "
                       "ORDER BY oid, xid"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=steps)
def test_random_mutations_never_break_the_whole_graph_rules(store: Store, sequence: list) -> None:
    api = GraphQLClient(store)
    assert broken_rules(store) == []
    for kind, payload in sequence:
        before = snapshot(store)
        if kind == "delete":
            response = api.post("mutation($id: ID!) { deleteNode(id: $id) }", {"id": payload}, token=TOKEN)
        else:
            response = api.post(ADOPTION if kind == "adoption" else ORGANIZATION, {"input": payload}, token=TOKEN)
        body = response.json()
        assert response.status_code == 200, body
        errors = [e["message"] for e in body.get("errors") or ()]
        assert not any("internal error" in e for e in errors), errors
        event(f"{kind} {'refused' if errors else 'written'}")
        if errors:
            assert snapshot(store) == before, (kind, payload, errors)
        assert broken_rules(store) == [], (kind, payload)


def test_the_oracle_notices_a_broken_graph(tmp_path: Path) -> None:
    """The oracle is not vacuous: a graph written past the rules' door is refused by it."""
    store = LadybugStore(tmp_path / "g.lbdb")
    store.ensure_schema()
    load_sample(store)
    with store.transaction() as run:  # straight to the database, as a buggy writer would
        run("MATCH (a:Adoption {id: 'Adoption:moelln-klimawerkstatt'}), "
            "(b:Adoption {id: 'Adoption:hagenow-klimawerkstatt'}) CREATE (a)-[:LEARNED_FROM]->(b)", {})
    problems = broken_rules(store)
    store.close()
    assert any("cycle" in p for p in problems) and any("before its teacher" in p for p in problems)
