// name: solutions_by_funding_programme
// purpose: Solutions funded by a programme or funder, directly or through a project funded in the programme, with how often they are in active use
// param: funder: string = "Project:wir-landvorteil"
// ids: funder is Project|Organization
// columns: solution_id, solution_name, development_status, via, active_adopters
// dialects: ladybug, neo4j
// FUNDED_BY joins a solution to an organisation or a programme (a Project of kind programme), and a project
// to the programme it is funded in; `via` names that project when the funding is indirect.
MATCH (s:Solution)-[:FUNDED_BY]->(p)
WHERE p.id = $funder OR EXISTS { MATCH (p)-[:FUNDED_BY]->(f) WHERE f.id = $funder }
WITH s, collect(DISTINCT CASE WHEN p.id = $funder THEN NULL ELSE p.id END) AS vias
OPTIONAL MATCH (s)<-[:OF]-(a:Adoption)-[:BY]->(x)
WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED']
WITH s, vias, count(DISTINCT x.id) AS active_adopters
RETURN s.id AS solution_id, s.name AS solution_name, s.development_status AS development_status, vias AS via,
       active_adopters
ORDER BY active_adopters DESC, solution_id
