"""The mission fields over GraphQL: the findings of issue 16 as regressions, errors, and properties.

Exact answers (paths, bridges, key persons, lineage, coverage) are checked against the networkx
oracle in `test_mission_oracle.py`; here are the rules a municipality, a county or a
Lösungslotse relies on, stated as properties of the answers.
"""

from __future__ import annotations

import pytest

from graph_api.mission import definitions
from graph_api.store import Store
from tests.graphql_client import GraphQLClient

LUP_ADMIN = "Organization:kreisverwaltung-ludwigslust-parchim"
HZL_ADMIN = "Organization:kreisverwaltung-herzogtum-lauenburg"
HAGENOW = "Municipality:13076060"
BOIZENBURG_LAND = "Association:130765652"


@pytest.fixture(scope="module")
def api(pilot_any: Store) -> GraphQLClient:
    return GraphQLClient(pilot_any)


def _coded(api: GraphQLClient, query: str) -> list[tuple[str, str]]:
    body = api.post(query).json()
    assert body.get("errors"), body
    return [(e["extensions"]["code"], e["message"]) for e in body["errors"]]


def test_an_amt_member_municipality_is_reached_through_its_association(api: GraphQLClient) -> None:
    paths = api.data(f"""{{ contactPaths(from: "{HZL_ADMIN}", to: "Municipality:01053092", maxHops: 8, first: 5) {{
        hops steps {{ via node {{ id }} }} }} }}""")["contactPaths"]
    assert paths and all(p["steps"][-1]["via"] == "PART_OF" for p in paths)
    assert all(p["steps"][-2]["node"]["id"].startswith("Association:") for p in paths)


def test_contact_paths_respect_max_hops(api: GraphQLClient) -> None:
    two = api.data(f'{{ contactPaths(from: "{LUP_ADMIN}", to: "{HAGENOW}", first: 10) {{ hops }} }}')["contactPaths"]
    assert two and {p["hops"] for p in two} == {2}
    assert api.data(f'{{ contactPaths(from: "{LUP_ADMIN}", to: "{HAGENOW}", maxHops: 1) {{ hops }} }}') == {
        "contactPaths": []}


@pytest.mark.parametrize("county", ["County:01053", "County:13076"])
def test_bridges_and_key_persons_cover_every_municipality(api: GraphQLClient, pilot_any: Store, county: str) -> None:
    ags = county.removeprefix("County:")
    total = pilot_any.read("MATCH (m:Municipality) WHERE m.county_ags = $a RETURN count(m) AS c", {"a": ags})[0]["c"]
    for limit in (3, definitions.DEFAULT_COUNTY_HOPS):
        data = api.data(f"""{{ b: countyReach(county: "{county}", maxHops: {limit}) {{
            maxHops municipalityCount reachedCount unreached {{ reason explanation municipality {{ id }} }} }}
            k: keyPersonRisks(county: "{county}", maxHops: {limit}) {{ reachedCount
            unreached {{ municipality {{ id }} }} }} }}""")
        bridges = data["b"]
        assert bridges["maxHops"] == limit and bridges["municipalityCount"] == total
        assert bridges["reachedCount"] + len(bridges["unreached"]) == total
        assert all(u["explanation"] for u in bridges["unreached"])
        assert data["k"]["reachedCount"] == bridges["reachedCount"]
    # the finding: 13 of 132 / 16 of 142 were reached; now only places without contacts are not
    assert bridges["reachedCount"] >= total - 10
    assert {u["reason"] for u in bridges["unreached"]} <= {"NO_OWN_ADMINISTRATION", "NOT_CONNECTED"}


def test_moelln_and_lauenburg_are_no_longer_missing(api: GraphQLClient) -> None:
    data = api.data('{ countyReach(county: "County:01053") { unreached { municipality { id } } } }')
    unreached = {u["municipality"]["id"] for u in data["countyReach"]["unreached"]}
    assert not unreached & {"Municipality:01053090", "Municipality:01053083"}


def test_a_key_person_is_never_the_municipality_s_own_staff(api: GraphQLClient, pilot_any: Store) -> None:
    for county in ("County:01053", "County:13076"):
        risks = api.data(f"""{{ keyPersonRisks(county: "{county}") {{ risks {{ municipality {{ id }}
            person {{ id }} }} }} }}""")["keyPersonRisks"]["risks"]
        assert risks
        for risk in risks:
            own = pilot_any.read(  # departments at any depth (definitions.DEPARTMENT_DEPTH); 30 = LadybugDB's bound
                "MATCH (x:Actor {id: $p})-[:WORKS_FOR]->(:Organization)-[:SUB_ORGANIZATION_OF*0..30]->(:Organization)"
                "-[:ADMINISTERS]->(t) WHERE t.id = $m OR EXISTS { MATCH (:Municipality {id: $m})-[:PART_OF]->(t) } "
                "RETURN count(*) AS c", {"p": risk["person"]["id"], "m": risk["municipality"]["id"]})
            assert own[0]["c"] == 0, risk


def test_adoption_by_an_amt_covers_its_members_and_is_not_recommended_to_them(api: GraphQLClient) -> None:
    data = api.data("""{ coverage(county: "County:13076", category: "Concept:topic-zivilgesellschaft") {
        covered municipality { id association { id } } coveredBy { adoption { id } via { id name } } } }""")
    members = [c for c in data["coverage"] if (c["municipality"]["association"] or {}).get("id") == BOIZENBURG_LAND]
    assert len(members) >= 5
    for member in members:
        dorfaktion = [c for c in member["coveredBy"] if c["adoption"]["id"] == "Adoption:boizenburg-dorfaktion"]
        assert member["covered"] and dorfaktion and dorfaktion[0]["via"]["id"] == BOIZENBURG_LAND
    gaps = api.data("""{ coverageGaps(county: "County:13076", category: "Concept:topic-zivilgesellschaft", first: 100) {
        edges { node { id } } } }""")["coverageGaps"]["edges"]
    assert not {e["node"]["id"] for e in gaps} & {m["municipality"]["id"] for m in members}
    member = members[0]["municipality"]["id"]
    recs = api.data(f'{{ recommendSolutions(municipality: "{member}", first: 50) {{ solution {{ id }} }} }}')
    assert "Solution:gemeinschaftliche-dorfaktion" not in {r["solution"]["id"] for r in recs["recommendSolutions"]}


@pytest.mark.parametrize("county", ["County:01053", "County:13076"])
def test_only_active_adoptions_cover(api: GraphQLClient, county: str) -> None:
    entries = api.data(f"""{{ coverage(county: "{county}", category: "Concept:topic-digitalisierung") {{
        covered coveredBy {{ adoption {{ status }} }} }} }}""")["coverage"]
    statuses = {c["adoption"]["status"] for e in entries for c in e["coveredBy"]}
    assert statuses and statuses <= set(definitions.ACTIVE)
    assert all(e["covered"] == bool(e["coveredBy"]) for e in entries)


def test_recommendation_reasons_name_their_evidence(api: GraphQLClient, pilot_any: Store) -> None:
    seal = pilot_any.read("MATCH (a:Award {id: $id}) RETURN a.name AS n", {"id": definitions.SEAL_AWARD_ID})[0]["n"]
    for municipality in (HAGENOW, "Municipality:01053100", "Municipality:13076014"):
        recs = api.data(f"""{{ recommendSolutions(municipality: "{municipality}", first: 50) {{ score reasons
            solution {{ id awards {{ awardId award }} }} }} }}""")["recommendSolutions"]
        assert recs
        for rec in recs:
            awards = rec["solution"]["awards"]
            for reason in rec["reasons"]:
                if "seal" in reason:
                    assert any(a["awardId"] == definitions.SEAL_AWARD_ID for a in awards) and seal in reason
                if reason.startswith("in use by"):
                    assert ": " in reason  # the adopters it counts, by name
            for award in awards:
                assert any(award["award"] in reason for reason in rec["reasons"])


def test_the_willkommensmappe_is_not_called_the_seal(api: GraphQLClient) -> None:
    recs = api.data("""{ recommendSolutions(municipality: "Municipality:13076014", first: 50) {
        reasons solution { id } } }""")["recommendSolutions"]
    mappe = next(r for r in recs if r["solution"]["id"] == "Solution:willkommensmappe")
    assert not any("Bewährt vor Ort" in reason for reason in mappe["reasons"])
    assert any("Demo-Preis" in reason for reason in mappe["reasons"])


def test_similar_size_counts_municipalities_only(api: GraphQLClient, pilot_any: Store) -> None:
    for municipality in ("Municipality:13076014", "Municipality:01053100", HAGENOW):
        recs = api.data(f"""{{ recommendSolutions(municipality: "{municipality}", first: 50) {{ reasons
            solution {{ id }} }} }}""")["recommendSolutions"]
        for rec in recs:
            for reason in rec["reasons"]:
                if "of similar size" in reason:
                    named = reason.split(": ", 1)[1]
                    adopters = pilot_any.read(
                        "MATCH (:Solution {id: $s})<-[:OF]-(a:Adoption)-[:BY]->(x) WHERE a.status IN $active "
                        "RETURN x.name AS name, x.id AS id",
                        {"s": rec["solution"]["id"], "active": list(definitions.ACTIVE)})
                    labels = {a["name"]: a["id"].partition(":")[0] for a in adopters}
                    named, _, more = named.rpartition(" and ") if named.endswith(" more") else (named, "", "0 more")
                    assert all(labels.get(name) == "Municipality" for name in named.split(", ") if name in labels)
                    assert int(reason.split()[3]) == len([n for n in labels if n in named]) + int(more.split()[0])


def test_recommendations_leave_out_what_was_taken_up(api: GraphQLClient) -> None:
    recs = api.data(f"""{{ recommendSolutions(municipality: "{HAGENOW}", first: 50) {{ solution {{ id }} }}
        node(id: "{HAGENOW}") {{ ... on Municipality {{ adoptions(first: 50) {{
        edges {{ node {{ status solution {{ id }} }} }} }} }} }} }}""")
    taken = {e["node"]["solution"]["id"] for e in recs["node"]["adoptions"]["edges"]
             if e["node"]["status"] in definitions.TAKEN_UP}
    assert taken and not taken & {r["solution"]["id"] for r in recs["recommendSolutions"]}


def test_recommendations_for_a_need_only_address_it(api: GraphQLClient) -> None:
    recs = api.data("""{ recommendSolutions(municipality: "Municipality:01053100", need: "Concept:need-buergernaehe",
        first: 10) { reasons solution { id needs { id broader { id } } } } }""")["recommendSolutions"]
    assert recs
    for rec in recs:
        assert any("Concept:need-buergernaehe" in reason for reason in rec["reasons"])
        assert any(n["id"] == "Concept:need-buergernaehe" or (n["broader"] or {}).get("id") ==
                   "Concept:need-buergernaehe" for n in rec["solution"]["needs"])


@pytest.mark.parametrize(("query", "code"), [
    ('{ coverageGaps(county: "County:13076", category: "Concept:does-not-exist") { totalCount } }', "NOT_FOUND"),
    ('{ coverageGaps(county: "County:99999", category: "Concept:topic-beteiligung") { totalCount } }', "NOT_FOUND"),
    ('{ coverageGaps(county: "Municipality:13076060", category: "Concept:topic-beteiligung") { totalCount } }',
     "BAD_USER_INPUT"),
    ('{ coverage(county: "County:13076", category: "Solution:klimawerkstatt") { covered } }', "BAD_USER_INPUT"),
    (f'{{ contactPaths(from: "{LUP_ADMIN}", to: "Actor:nope") {{ hops }} }}', "NOT_FOUND"),
    (f'{{ contactPaths(from: "{LUP_ADMIN}", to: "Solution:klimawerkstatt") {{ hops }} }}', "BAD_USER_INPUT"),
    (f'{{ contactPaths(from: "x", to: "{HAGENOW}") {{ hops }} }}', "BAD_USER_INPUT"),
    (f'{{ contactPaths(from: "{LUP_ADMIN}", to: "{LUP_ADMIN}") {{ hops }} }}', "BAD_USER_INPUT"),
    (f'{{ contactPaths(from: "{LUP_ADMIN}", to: "{HAGENOW}", maxHops: 11) {{ hops }} }}', "BAD_USER_INPUT"),
    ('{ transferLineage(solution: "Solution:nope") { id } }', "NOT_FOUND"),
    ('{ transferLineage(solution: "Concept:topic-beteiligung") { id } }', "BAD_USER_INPUT"),
    (f'{{ recommendSolutions(municipality: "{HAGENOW}", need: "Concept:nope") {{ score }} }}', "NOT_FOUND"),
    (f'{{ recommendSolutions(municipality: "{HAGENOW}", need: "Solution:klimawerkstatt") {{ score }} }}',
     "BAD_USER_INPUT"),
    ('{ recommendSolutions(municipality: "Municipality:00000000") { score } }', "NOT_FOUND"),
    ('{ countyMunicipalBridges(county: "County:99999") { score } }', "NOT_FOUND"),
    ('{ countyReach(county: "County:99999") { reachedCount } }', "NOT_FOUND"),
    ('{ keyPersonRisks(county: "State:13") { reachedCount } }', "BAD_USER_INPUT"),
    ('{ keyPersonRisks(county: "County:13076", maxHops: 0) { reachedCount } }', "BAD_USER_INPUT"),
])
def test_unknown_or_wrong_ids_are_coded_errors(api: GraphQLClient, query: str, code: str) -> None:
    assert [c for c, _ in _coded(api, query)] == [code]


def test_lineage_teachers_come_first(api: GraphQLClient) -> None:
    lineage = api.data("""{ transferLineage(solution: "Solution:digitale-lokale-agenda") { id
        learnedFrom { id } } }""")["transferLineage"]
    seen: set[str] = set()
    for adoption in lineage:
        assert {t["id"] for t in adoption["learnedFrom"]} <= seen
        seen.add(adoption["id"])


def test_adopted_means_active_in_the_list_filters(api: GraphQLClient, pilot_any: Store) -> None:
    rows = pilot_any.read("MATCH (s:Solution)<-[:OF]-(a:Adoption)-[:BY]->(x) RETURN s.id AS s, a.status AS status, "
                          "x.id AS x")
    admins = {(r["o"], r["m"]) for r in pilot_any.read(
        "MATCH (o:Organization)-[:ADMINISTERS]->(m:Municipality) RETURN o.id AS o, m.id AS m")}
    for solution in sorted({r["s"] for r in rows}):
        active = {r["x"] for r in rows if r["s"] == solution and r["status"] in definitions.ACTIVE}
        expected = {x for x in active if x.startswith("Municipality:")} | {m for o, m in admins if o in active}
        got = api.data(f"""{{ municipalities(filter: {{hasAdopted: "{solution}"}}, first: 100) {{
            edges {{ node {{ id }} }} }} }}""")["municipalities"]["edges"]
        assert {e["node"]["id"] for e in got} == expected, solution
    within = api.data("""{ solutions(filter: {adoptedWithin: "County:13076"}, first: 100) {
        edges { node { id adoptions(first: 100) { edges { node { status } } } } } } }""")["solutions"]["edges"]
    assert within
    for edge in within:
        assert any(a["node"]["status"] in definitions.ACTIVE for a in edge["node"]["adoptions"]["edges"])
