// name: awarded_solutions
// purpose: Awarded solutions with the award, year and how many distinct adopters use them actively (PILOT, ADOPTED, SCALED)
// param: since_year: int = 2000
// columns: solution_id, solution_name, award_id, award_name, year, adopters
// dialects: ladybug, neo4j
MATCH (s:Solution)-[r:RECEIVED]->(w:Award)
WHERE r.year >= $since_year
OPTIONAL MATCH (s)<-[:OF]-(a:Adoption)-[:BY]->(x)
WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED']
RETURN s.id AS solution_id, s.name AS solution_name, w.id AS award_id, w.name AS award_name, r.year AS year,
       count(DISTINCT x.id) AS adopters
ORDER BY year DESC, adopters DESC, solution_id, award_id
