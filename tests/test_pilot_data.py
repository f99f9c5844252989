"""The bundled pilot dataset keeps the promises the demo and the analysts' queries rely on.

The curated sample (`data/sample/curated/`) is hand-written; these tests fail when an edit
shrinks it below the agreed minimum, breaks the cross-county learning chains, cuts a county
administration off from its municipalities, drops provenance, or lets personal data in.
"""

from __future__ import annotations

import re
from collections import defaultdict, deque

import pytest

from graph_api.store import Store

COUNTY_ADMINISTRATIONS = {
    "Organization:kreisverwaltung-herzogtum-lauenburg": "01053",
    "Organization:kreisverwaltung-ludwigslust-parchim": "13076",
}
NETWORK_RELS = "KNOWS|WORKS_FOR|ADMINISTERS|SUB_ORGANIZATION_OF|MEMBER_OF|OWNED_BY|PARTICIPATES_IN"
CURATED_LABELS = ("Organization", "Actor", "Solution", "Concept", "Adoption", "Project", "Award")


def _count(store: Store, query: str, params: dict | None = None) -> int:
    return store.read(query, params or {})[0]["c"]


@pytest.mark.parametrize(("label", "minimum"), [
    ("Organization", 60), ("Actor", 80), ("Solution", 25), ("Adoption", 40), ("Concept", 20), ("Project", 10),
    ("Award", 1), ("Source", 5),
])
def test_minimum_sizes(pilot_store: Store, label: str, minimum: int) -> None:
    assert _count(pilot_store, f"MATCH (n:{label}) RETURN count(n) AS c") >= minimum


def test_concept_scheme_has_both_schemes_and_hierarchy(pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (c:Concept)-[:BROADER]->(p:Concept) RETURN c.scheme AS child, p.scheme AS parent")
    assert {r["child"] for r in rows} == {"topics", "needs"}
    assert all(r["child"] == r["parent"] for r in rows), "broader must stay within one scheme"


def test_department_and_ownership_structure(pilot_store: Store) -> None:
    for county_admin in COUNTY_ADMINISTRATIONS:
        departments = _count(pilot_store,
                             "MATCH (d:Organization {kind: 'DEPARTMENT'})-[:SUB_ORGANIZATION_OF*1..3]->"
                             "(k:Organization {id: $id}) RETURN count(DISTINCT d) AS c", {"id": county_admin})
        assert departments >= 3
    shares = pilot_store.read("MATCH (e:Organization)-[r:OWNED_BY]->() WHERE r.share IS NOT NULL "
                              "RETURN e.id AS id, sum(r.share) AS total")  # OParl states owners without shares
    assert len(shares) >= 10
    assert all(abs(r["total"] - 1.0) < 0.01 for r in shares), "owners' shares of an enterprise add up to 1"


def test_bewaehrt_vor_ort_first_round_has_seven_solutions(pilot_store: Store) -> None:
    awarded = _count(pilot_store, "MATCH (s:Solution)-[r:RECEIVED]->(:Award {id: 'Award:bewaehrt-vor-ort'}) "
                                  "WHERE r.year = 2024 AND r.round = 1 RETURN count(DISTINCT s) AS c")
    assert awarded == 7
    granters = pilot_store.read("MATCH (:Award {id: 'Award:bewaehrt-vor-ort'})-[:GRANTED_BY]->(o:Organization) "
                                "RETURN o.id AS id")
    assert {r["id"] for r in granters} == {"Organization:dstgb", "Organization:reform"}


def test_iq_is_a_transferable_solution_from_karlsruhe(pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (s:Solution {id: 'Solution:iq-innovativ-und-quervernetzt'})-[:ORIGINATED_BY]->(o) "
                            "RETURN o.id AS id")
    assert [r["id"] for r in rows] == ["Organization:stadtverwaltung-karlsruhe"]
    adopters = _count(pilot_store,
                      "MATCH (a:Adoption)-[:OF]->(:Solution {id: 'Solution:iq-innovativ-und-quervernetzt'}) "
                      "RETURN count(a) AS c")
    assert adopters >= 4


def test_adoptions_cover_every_status_and_the_pilot_years(pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (a:Adoption) RETURN a.status AS status, a.started_on AS started")
    assert {r["status"] for r in rows} == {"CONSIDERING", "PLANNED", "PILOT", "ADOPTED", "SCALED", "ABANDONED"}
    years = {int(r["started"][:4]) for r in rows if r["started"]}
    assert min(years) >= 2019 and max(years) <= 2026
    assert {2019, 2026} <= years


def _county_of(store: Store) -> dict[str, str]:
    """County key of every node that stands for a place in one county (territories and their administrations)."""
    county: dict[str, str] = {}
    for r in store.read("MATCH (c:County) RETURN c.id AS id, c.ags AS ags"):
        county[r["id"]] = r["ags"]
    for label in ("Association", "Municipality"):
        for r in store.read(f"MATCH (t:{label}) RETURN t.id AS id, t.county_ags AS ags"):
            county[r["id"]] = r["ags"]
    for r in store.read("MATCH (o:Organization)-[:ADMINISTERS]->(t) RETURN o.id AS id, t.id AS territory"):
        if r["territory"] in county:
            county.setdefault(r["id"], county[r["territory"]])
    return county


def test_learned_from_chains_cross_the_county_line(pilot_store: Store) -> None:
    county = _county_of(pilot_store)
    rows = pilot_store.read("MATCH (a:Adoption)-[:LEARNED_FROM]->(b:Adoption), (a)-[:BY]->(x), (b)-[:BY]->(y) "
                            "RETURN a.id AS a, b.id AS b, x.id AS x, y.id AS y")
    crossing = [r for r in rows
                if county.get(r["x"]) in COUNTY_ADMINISTRATIONS.values()
                and county.get(r["y"]) in COUNTY_ADMINISTRATIONS.values()
                and county[r["x"]] != county[r["y"]]]
    assert len(crossing) >= 10, crossing
    # both directions: each county teaches the other something
    assert {county[r["y"]] for r in crossing} == set(COUNTY_ADMINISTRATIONS.values())


@pytest.mark.parametrize(("administration", "ags"), list(COUNTY_ADMINISTRATIONS.items()))
def test_county_administration_reaches_own_municipalities(pilot_store: Store, administration: str, ags: str) -> None:
    reached = _count(pilot_store,
                     f"MATCH (k:Organization {{id: $id}})-[:{NETWORK_RELS}*1..3]-(m:Municipality) "
                     "WHERE m.county_ags = $ags RETURN count(DISTINCT m.id) AS c", {"id": administration, "ags": ags})
    assert reached >= 10


def _network(store: Store) -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for r in store.read(f"MATCH (a)-[:{NETWORK_RELS}]->(b) RETURN a.id AS a, b.id AS b"):
        graph[r["a"]].add(r["b"])
        graph[r["b"]].add(r["a"])
    return graph


def _reachable(graph: dict[str, set[str]], start: str, without: str | None = None) -> set[str]:
    seen, queue = {start}, deque([start])
    while queue:
        for nxt in graph[queue.popleft()]:
            if nxt not in seen and nxt != without:
                seen.add(nxt)
                queue.append(nxt)
    return seen


@pytest.mark.parametrize(("administration", "ags"), list(COUNTY_ADMINISTRATIONS.items()))
def test_key_person_risk_case_exists(pilot_store: Store, administration: str, ags: str) -> None:
    """Some municipality is linked to its county administration only through one person."""
    graph = _network(pilot_store)
    county = _county_of(pilot_store)
    linked = {n for n in _reachable(graph, administration) if n.startswith("Municipality:") and county.get(n) == ags}
    at_risk = set()
    for municipality in linked:
        near = graph[municipality] | {x for n in graph[municipality] for x in graph[n]}
        for actor in (n for n in near if n.startswith("Actor:")):
            if municipality not in _reachable(graph, administration, without=actor):
                at_risk.add(municipality)
    assert at_risk, "expected at least one municipality that hangs on a single person"


@pytest.mark.parametrize("label", CURATED_LABELS)
def test_every_curated_node_cites_a_source(pilot_store: Store, label: str) -> None:
    unsourced = pilot_store.read(f"MATCH (n:{label}) WHERE NOT EXISTS {{ MATCH (n)-[:SOURCED_FROM]->(:Source) }} "
                                 "RETURN n.id AS id")
    assert unsourced == []


def test_illustrative_records_are_marked(pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (s:Source {id: 'Source:illustrative-pilot-sample'}) RETURN s.illustrative AS flag")
    assert rows == [{"flag": True}]


REAL_LOOKING_NAME = re.compile(r"^[A-ZÄÖÜ][a-zäöüß]+(?:-[A-ZÄÖÜ][a-zäöüß]+)? [A-ZÄÖÜ][a-zäöüß]+$")


def test_no_personal_data_on_restricted_actors(pilot_store: Store) -> None:
    rows = pilot_store.read("MATCH (a:Actor) RETURN a.id AS id, a.name AS name, a.role_label AS role, "
                            "a.visibility AS visibility, a.email AS email, a.phone AS phone")
    assert {r["visibility"] for r in rows} <= {"public", "restricted"}
    for r in rows:
        assert r["role"], r["id"]
        assert not REAL_LOOKING_NAME.match(r["name"]), f"{r['id']} looks like a real person's name"
        if r["visibility"] == "restricted":
            assert r["email"] is None or r["email"].endswith(".example"), r["id"]
            assert r["phone"] is None, r["id"]
