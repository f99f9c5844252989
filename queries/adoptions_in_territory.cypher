// name: adoptions_in_territory
// purpose: Adoptions within a Land, county, Amt or municipality: adopters whose regional key (ARS) lies inside it, organisations by the places they administer or serve (as GraphQL adoptions(filter: {within}))
// param: territory: string = "County:13076"
// param: statuses: list<string> = ["CONSIDERING", "PLANNED", "PILOT", "ADOPTED", "SCALED", "ABANDONED"]
// ids: territory is State|County|Association|Municipality
// columns: adoption_id, solution_id, solution_name, adopter_id, adopter_name, status, started_on
// dialects: ladybug, neo4j
// analytics: adoptions_in_territory
//   Answered from the adoption index of graph_api/mission (kept until the next write; a Land at
//   Germany scale in a few ms instead of a scan of every adoption, docs/benchmarks.md). The Cypher
//   below gives the same rows, slower (tests/test_mission_named_queries.py compares them). An
//   unknown territory, or an id that is no territory, is an error naming the parameter.
// Inside = the ARS starts with the territory's prefix (Land 2 digits, county 5, association 9,
// municipality all 12): one prefix test per adopter instead of walking the PART_OF tree per adoption.
MATCH (t) WHERE t.id = $territory
WITH CASE WHEN t.id STARTS WITH 'State:' THEN left(t.ars, 2) WHEN t.id STARTS WITH 'County:' THEN left(t.ars, 5)
          WHEN t.id STARTS WITH 'Association:' THEN left(t.ars, 9) ELSE t.ars END AS prefix
MATCH (a:Adoption)-[:BY]->(x)
WHERE a.status IN $statuses
  AND (x.ars STARTS WITH prefix
       OR EXISTS { MATCH (x)-[:ADMINISTERS|SERVES]->(place) WHERE place.ars STARTS WITH prefix })
MATCH (a)-[:OF]->(s:Solution)
RETURN a.id AS adoption_id, s.id AS solution_id, s.name AS solution_name, x.id AS adopter_id,
       x.name AS adopter_name, a.status AS status, a.started_on AS started_on
ORDER BY started_on, adoption_id
