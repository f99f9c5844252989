"""The contact edges the county question reads, and who counts as a municipality's own side.

The county question reads the edges around a county in a few bulk queries and the rest by id, both
directions of a node in one undirected pattern whose direction comes from the stored edge. Here the
rows of those reads are compared with plain one-way reads of every contact relationship (the
direction decides who is whose department), and a department chain deeper than any fixed cut-off is
checked against the networkx oracle (`docs/mission.md`: departments count at any depth).
"""

from __future__ import annotations

import pytest

from graph_api.mission import answers, definitions
from graph_api.rows import GraphRows
from graph_api.store import Store
from graph_api.store import mission_reads as reads
from tests import mission_oracle as oracle
from tests.graphql_client import GraphQLClient


def _read(store: Store) -> reads.Read:
    return lambda text, params: store.read(text, dict(params))


def _one_way_edges(store: Store) -> set[reads.Edge]:
    """Every contact edge from both of its ends, read one type and one direction at a time."""
    kinds = definitions.contact_pairs()
    found: set[reads.Edge] = set()
    for rel_type in definitions.CONTACT_EDGE_TYPES:
        for row in store.read(f"MATCH (a)-[:{rel_type}]->(b) RETURN a.id AS a, b.id AS b"):
            a, b = row["a"], row["b"]
            if (rel_type, reads.label_of(a), reads.label_of(b)) in kinds:
                found |= {(a, rel_type, b, True), (b, rel_type, a, False)}
    return found


def test_edges_read_by_id_are_the_stored_edges_with_their_direction(pilot_store: Store) -> None:
    expected = _one_way_edges(pilot_store)
    ids = sorted({a for a, *_ in expected})
    assert len(ids) > reads.PER_ID_MAX  # the pilot data takes both forms: one lookup per id and UNWIND
    few = ids[:: max(1, len(ids) // 50)]
    assert set(reads.directed_neighbours(_read(pilot_store), pilot_store.dialect, few)) == {
        e for e in expected if e[0] in set(few)}
    assert set(reads.directed_neighbours(_read(pilot_store), pilot_store.dialect, ids)) == expected


@pytest.mark.parametrize("county", ["County:01053", "County:13076"])
def test_edges_read_around_a_county_are_the_stored_edges(pilot_store: Store, county: str) -> None:
    """What the bulk reads around a county know of a node is all of its contact edges, both ways."""
    expected = _one_way_edges(pilot_store)
    node = reads.node(_read(pilot_store), county)
    contacts = reads.Contacts(_read(pilot_store), pilot_store.dialect)
    contacts.around_county(node)
    assert len(contacts.edges) > 100
    for node_id, edges in contacts.edges.items():
        assert {(node_id, t, b, way) for t, b, way in edges} == {e for e in expected if e[0] == node_id}, node_id


# A county with one municipality whose administration has a chain of departments deeper than five
# levels; somebody working in the deepest one knows the county's staff member and a colleague in the
# municipality's administration. Keys of a state that does not exist (99): test data, not a real place.
COUNTY, MUNICIPALITY = "County:99001", "Municipality:99001001"
COUNTY_ADMIN, TOWN_HALL = "Organization:test-county-administration", "Organization:test-town-hall"
CLERK, DEEP, COLLEAGUE = "Actor:test-county-clerk", "Actor:test-deep-department", "Actor:test-town-hall"
DEPTH = 7


def _deep_department_county() -> GraphRows:
    rows = GraphRows()
    rows.add_node("County", {"id": COUNTY, "name": "Testkreis", "ags": "99001"})
    rows.add_node("Municipality", {"id": MUNICIPALITY, "name": "Testgemeinde", "ags": "99001001",
                                   "county_ags": "99001"})
    units = [f"Organization:test-unit-{level}" for level in range(1, DEPTH + 1)]
    for org in (COUNTY_ADMIN, TOWN_HALL, *units):
        rows.add_node("Organization", {"id": org, "name": org.split(":")[1]})
    for person in (CLERK, DEEP, COLLEAGUE):
        rows.add_node("Actor", {"id": person, "name": person.split(":")[1]})
    rows.add_rel("ADMINISTERS", COUNTY_ADMIN, COUNTY)
    rows.add_rel("ADMINISTERS", TOWN_HALL, MUNICIPALITY)
    for parent, unit in zip((TOWN_HALL, *units), units, strict=False):
        rows.add_rel("SUB_ORGANIZATION_OF", unit, parent)
    rows.add_rel("WORKS_FOR", CLERK, COUNTY_ADMIN)
    rows.add_rel("WORKS_FOR", DEEP, units[-1])
    rows.add_rel("WORKS_FOR", COLLEAGUE, TOWN_HALL)
    rows.add_rel("KNOWS", CLERK, DEEP)
    rows.add_rel("KNOWS", DEEP, COLLEAGUE)
    return rows


def test_departments_count_at_any_depth(empty_store: Store) -> None:
    """Staff of a department seven levels below the town hall are the municipality's own, not its bridge."""
    empty_store.apply(_deep_department_county())
    found = answers.county_contacts(_read(empty_store), empty_store.dialect, COUNTY, definitions.DEFAULT_COUNTY_HOPS)
    expected = oracle.county(oracle.raw_rows(empty_store), COUNTY, definitions.DEFAULT_COUNTY_HOPS)
    assert {r.municipality["id"]: (r.hops, r.paths) for r in found.reach} == expected.reached == {MUNICIPALITY: (5, 1)}
    assert [(b.id, round(b.score, 9), sorted(b.municipalities)) for b in found.bridges] == [
        (n, round(s, 9), ms) for n, s, ms in expected.bridges]
    assert [(k.municipality["id"], k.person, k.hops, k.paths) for k in found.key_persons] == expected.key_persons
    # the county's staff member is the one bridge and key person; a cut-off at five levels would add DEEP
    assert [b.id for b in found.bridges] == [CLERK]
    assert [(k.municipality["id"], k.person) for k in found.key_persons] == [(MUNICIPALITY, CLERK)]


def test_one_request_answers_a_county_once_for_all_its_fields(pilot_store: Store,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """Bridges, reach and key persons of one county and limit are views of one answer within a request."""
    asked: list[tuple[str, int]] = []
    compute = answers.county_contacts

    def counted(read: reads.Read, dialect: str, county: str, max_hops: int) -> answers.CountyAnswer:
        asked.append((county, max_hops))
        return compute(read, dialect, county, max_hops)

    monkeypatch.setattr(answers, "county_contacts", counted)
    api = GraphQLClient(pilot_store)
    data = api.data("""{
        b: countyMunicipalBridges(county: "County:01053", maxHops: 8) { score node { id } }
        r: countyReach(county: "County:01053", maxHops: 8) { reachedCount }
        k: keyPersonRisks(county: "County:01053", maxHops: 8) { reachedCount risks { person { id } } }
        shorter: countyReach(county: "County:01053", maxHops: 3) { reachedCount }
        other: countyReach(county: "County:13076") { reachedCount } }""")
    assert sorted(asked) == [("County:01053", 3), ("County:01053", 8), ("County:13076", 8)]
    assert data["r"]["reachedCount"] == data["k"]["reachedCount"] >= data["shorter"]["reachedCount"]
    asked.clear()
    api.data('{ countyReach(county: "County:01053", maxHops: 8) { reachedCount } }')
    assert asked == [("County:01053", 8)]  # a new request asks again: nothing is kept across requests
    body = api.post('{ a: countyReach(county: "County:99999") { reachedCount } '
                    'b: keyPersonRisks(county: "County:99999") { reachedCount } }').json()
    assert body["errors"] and {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}  # shared, not lost
