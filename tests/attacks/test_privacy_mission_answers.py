"""No mission answer names a restricted person to an anonymous caller — every field, every county.

`test_privacy_doors.py` asks each door once with its defaults; the mission answers pass through
people in many more places (the contacts of adoptions in a lineage or a coverage, whom to call,
who recorded a need, the people on a path to any municipality, the named queries for every
county and solution). The same marked graph is used: restricted actors carry SECRET marks, and
the tests also check that the answers do pass through those people, so they cannot pass by
showing nothing.
"""

from __future__ import annotations

import json

from tests.attacks.test_privacy_doors import ACTOR_FIELDS, _leaks, marked  # noqa: F401 - the marked graph

PERSON = f"... on Actor {{ {ACTOR_FIELDS} }}"
ADOPTION = f"""id contacts {{ {ACTOR_FIELDS} }} whomToCall {{ role organization {{ id name }} channel {{ value }} }}
  learnedFrom {{ id contacts {{ {ACTOR_FIELDS} }} }}"""


def _ids(store, text: str, params: dict | None = None) -> list[str]:
    return [r["id"] for r in store.read(text, params or {})]


def test_every_mission_field_hides_restricted_people(marked) -> None:  # noqa: F811 - the fixture
    store, client, stored = marked
    restricted = {a for a, vis in stored.items() if vis != "public"}
    counties = _ids(store, "MATCH (c:County) RETURN c.id AS id ORDER BY id")
    solutions = _ids(store, "MATCH (s:Solution) RETURN s.id AS id ORDER BY id")
    categories = _ids(store, "MATCH (:Solution)-[:IN_CATEGORY]->(c:Concept) RETURN DISTINCT c.id AS id ORDER BY id")
    seen_people: set[str] = set()
    for county in counties:
        admin = _ids(store, "MATCH (o:Organization)-[:ADMINISTERS]->(:County {id: $c}) RETURN o.id AS id "
                            "ORDER BY id", {"c": county})[0]
        towns = _ids(store, "MATCH (c:County {id: $c}) MATCH (m:Municipality) WHERE m.county_ags = c.ags "
                            "AND m.population > 0 RETURN m.id AS id ORDER BY m.population DESC, id LIMIT 8",
                     {"c": county})
        answers = [client.data(f"""query($c: ID!) {{
            countyReach(county: $c) {{ municipalities {{ municipality {{ id }} }} }}
            countyMunicipalBridges(county: $c, first: 100) {{ node {{ __typename id {PERSON} }} }}
            keyPersonRisks(county: $c) {{ risks {{ person {{ {ACTOR_FIELDS} }} }} }}
            openNeeds(county: $c, first: 5) {{ need {{ id description recordedBy {{ __typename id {PERSON} }} }}
              neededBy {{ id }} bestMatches {{ reasons solution {{ id }} }} }} }}""", {"c": county})]
        for category in categories:
            answers.append(client.data(f"""query($c: ID!, $k: ID!) {{ coverage(county: $c, category: $k) {{
                municipality {{ id }} coveredBy {{ adoption {{ {ADOPTION} }} via {{ id }} }} }} }}""",
                                       {"c": county, "k": category}))
        for town in towns:
            answers.append(client.data(f"""query($a: ID!, $m: ID!) {{
                contactPaths(from: $a, to: $m, maxHops: 8, first: 20) {{
                  steps {{ node {{ __typename id {PERSON} }} }} }}
                recommendSolutions(municipality: $m, first: 20) {{ reasons nearestAdopters {{ __typename }}
                  evidence {{ {ADOPTION} }} }} }}""", {"a": admin, "m": town}))
        for answer in answers:
            text = json.dumps(answer)
            assert _leaks(text) == [], county
            seen_people |= {a for a in restricted if f'"{a}"' in text}
    for solution in solutions:
        lineage = client.data(f"""query($s: ID!) {{ transferLineage(solution: $s) {{ {ADOPTION} }} }}""",
                              {"s": solution})
        text = json.dumps(lineage)
        assert _leaks(text) == [], solution
        seen_people |= {a for a in restricted if f'"{a}"' in text}
    assert len(seen_people) >= 5  # the answers do pass through restricted people, shown by role


def test_every_mission_named_query_hides_restricted_people_for_every_county(marked) -> None:  # noqa: F811
    store, client, stored = marked
    counties = _ids(store, "MATCH (c:County) RETURN c.id AS id ORDER BY id")
    solutions = _ids(store, "MATCH (s:Solution) RETURN s.id AS id ORDER BY id")
    calls = [("brokers_between_counties", {"county_a": counties[0], "county_b": counties[1], "max_hops": 10}),
             ("brokers_between_counties", {"county_a": counties[1], "county_b": counties[0], "max_hops": 10})]
    for county in counties:
        calls += [(name, {"county": county, "max_hops": 10}) for name in
                  ("key_persons", "county_municipality_bridges", "county_reach")]
        calls.append(("open_needs_per_county", {"county": county}))
        admin = _ids(store, "MATCH (o:Organization)-[:ADMINISTERS]->(:County {id: $c}) RETURN o.id AS id "
                            "ORDER BY id", {"c": county})[0]
        for town in _ids(store, "MATCH (c:County {id: $c}) MATCH (m:Municipality) WHERE m.county_ags = c.ags "
                                "RETURN m.id AS id ORDER BY id", {"c": county})[::15]:
            calls.append(("contact_paths", {"from": admin, "to": town, "max_hops": 8, "limit": 50}))
    calls += [("transfer_lineage", {"solution": s}) for s in solutions]
    actor_rows = 0
    for name, params in calls:
        response = client.http.post(f"/queries/{name}", json=params)
        assert response.status_code == 200, (name, params, response.text)
        assert _leaks(response.text) == [], (name, params)
        actor_rows += response.text.count('"Actor:')
    assert actor_rows > 20
