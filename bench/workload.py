"""The measured requests: each GraphQL query beside the raw store query that fetches the same data.

The raw side is what a hand-written client of the store would send (one `store.read` with the
equivalent Cypher, or the search call plus one lookup per label), so GraphQL latency divided by
raw latency is the cost of the API layer: HTTP, parsing, validation, resolvers and DataLoaders.
The mission questions' raw side is `graph_api.mission.answers` called on the store directly: the same
reads and analytics without HTTP and GraphQL.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graph_api.mission import answers
from graph_api.mission.definitions import DEFAULT_COUNTY_HOPS
from graph_api.store import Store


@dataclass(frozen=True)
class Samples:
    """The entities the requests are about; the same ids exist at every scale (county 13076 is in all)."""

    county: str
    county_ags: str
    municipality: str
    municipality_ags: str
    solution: str
    actor_from: str
    actor_to: str
    search_text: str = "Bürgerservice"


def pick_samples(store: Store, county: str = "County:13076") -> Samples:
    found = store.read("MATCH (c:County {id: $id}) RETURN c.ags AS ags", {"id": county})
    if not found:
        found = store.read("MATCH (c:County) RETURN c.id AS id, c.ags AS ags ORDER BY c.id LIMIT 1")
        county = found[0]["id"]
    ags = found[0]["ags"]
    towns = store.read("MATCH (m:Municipality) WHERE m.county_ags = $ags AND m.population > 0 "
                       "RETURN m.id AS id, m.ags AS ags ORDER BY m.population DESC, m.id LIMIT 2", {"ags": ags})
    solution = store.read("MATCH (s:Solution)<-[:OF]-(a:Adoption) RETURN s.id AS id, count(a) AS c "
                          "ORDER BY c DESC, id LIMIT 1")[0]["id"]
    return Samples(county=county, county_ags=ags, municipality=towns[0]["id"], municipality_ags=towns[0]["ags"],
                   solution=solution, actor_from=f"Actor:synth-gemeinde-{towns[0]['ags']}-00",
                   actor_to=f"Actor:synth-gemeinde-{towns[1]['ags']}-00")


@dataclass(frozen=True)
class Case:
    name: str
    graphql: str
    variables: dict[str, Any]
    raw: Callable[[Store], Any]


MUNICIPALITY_BY_KEY = """query ($key: String!) { territory(key: $key) {
  ... on Municipality { id name ags ars population kind postcode } } }"""
MUNICIPALITY_RAW = "MATCH (n:Municipality {id: $id}) RETURN n AS n"

COUNTY_PAGE = """query ($id: ID!) { node(id: $id) { ... on County { municipalities(first: 50) { edges { node {
  id name population adoptions(first: 10) { edges { node { id status startedOn } } } } } } } } }"""
COUNTY_PAGE_RAW = ("MATCH (c:County {id: $id}) MATCH (m:Municipality) WHERE m.county_ags = c.ags "
                   "WITH m ORDER BY lower(m.name), m.id LIMIT 50 "
                   "OPTIONAL MATCH (a:Adoption)-[:BY]->(m) RETURN m AS m, collect(a) AS adoptions")

SOLUTION_ADOPTIONS = """query ($id: ID!) { node(id: $id) { ... on Solution { adoptions(first: 50) { edges { node {
  id status startedOn adopter { ... on Municipality { id name } ... on County { id name }
  ... on Organization { id name } } } } } } } }"""
SOLUTION_ADOPTIONS_RAW = ("MATCH (a:Adoption)-[:OF]->(:Solution {id: $id}) MATCH (a)-[:BY]->(t) "
                          "RETURN a AS a, t AS t ORDER BY a.started_on, a.id LIMIT 50")

CONTACT_PATHS = """query ($from: ID!, $to: ID!) { contactPaths(from: $from, to: $to, maxHops: 4, first: 3) {
  hops steps { via node { id } } } }"""

BRIDGES = """query ($county: ID!) { countyMunicipalBridges(county: $county, first: 20) {
  score node { id } municipalities { id } } countyReach(county: $county) { reachedCount unreached { reason } } }"""

RECOMMEND = """query ($m: ID!) { recommendSolutions(municipality: $m, first: 5) {
  score reasons solution { id name } nearestAdopters { ... on Municipality { id } ... on Organization { id }
  ... on County { id } } } }"""

SEARCH = """query ($text: String!) { search(text: $text, first: 10) { score node { id } } }"""


def _search_raw(store: Store, text: str) -> list[tuple[dict[str, Any], float]]:
    return store.search_nodes(text, 10)


def cases(s: Samples, dialect: str) -> list[Case]:
    return [
        Case("municipality_by_key", MUNICIPALITY_BY_KEY, {"key": s.municipality_ags},
             lambda st: st.read(MUNICIPALITY_RAW, {"id": s.municipality})),
        Case("county_municipalities_page50_with_adoptions", COUNTY_PAGE, {"id": s.county},
             lambda st: st.read(COUNTY_PAGE_RAW, {"id": s.county})),
        Case("solution_adoptions_with_adopters", SOLUTION_ADOPTIONS, {"id": s.solution},
             lambda st: st.read(SOLUTION_ADOPTIONS_RAW, {"id": s.solution})),
        Case("contact_paths_maxhops4", CONTACT_PATHS, {"from": s.actor_from, "to": s.actor_to},
             lambda st: answers.contact_paths(st.read, dialect, s.actor_from, s.actor_to, 4, 3)),
        Case("county_municipal_bridges", BRIDGES, {"county": s.county},
             lambda st: answers.county_contacts(st.read, dialect, s.county, DEFAULT_COUNTY_HOPS).reach),
        Case("recommend_solutions", RECOMMEND, {"m": s.municipality},
             lambda st: answers.recommendations(st.read, s.municipality, None, 5)),
        Case("search", SEARCH, {"text": s.search_text}, lambda st: _search_raw(st, s.search_text)),
    ]


def size_of(data: Any) -> int:
    """A rough size of a GraphQL answer (number of leaf values), to show that a request did real work."""
    if isinstance(data, dict):
        return sum(size_of(v) for v in data.values())
    if isinstance(data, list):
        return sum(size_of(v) for v in data)
    return 1
