// name: adoptions_in_territory
// purpose: Adoptions within a county or Amt, by the adopter's place in the PART_OF tree (organisations by the places they administer or serve)
// param: territory: string = "County:13076"
// param: statuses: list<string> = ["CONSIDERING", "PLANNED", "PILOT", "ADOPTED", "SCALED", "ABANDONED"]
// columns: adoption_id, solution_id, solution_name, adopter_id, adopter_name, status, started_on
// dialects: ladybug, neo4j
MATCH (a:Adoption)-[:BY]->(x)
WHERE a.status IN $statuses
  AND (EXISTS { MATCH (x)-[:PART_OF*0..2]->(t {id: $territory}) }
       OR EXISTS { MATCH (x)-[:ADMINISTERS|SERVES]->(place)-[:PART_OF*0..2]->(t {id: $territory}) })
MATCH (a)-[:OF]->(s:Solution)
RETURN a.id AS adoption_id, s.id AS solution_id, s.name AS solution_name, x.id AS adopter_id,
       x.name AS adopter_name, a.status AS status, a.started_on AS started_on
ORDER BY started_on, adoption_id
