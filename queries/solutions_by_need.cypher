// name: solutions_by_need
// purpose: Solutions that address a need (or a narrower need), with how often they are in active use
// param: need: string = "Concept:need-beteiligung-staerken"
// ids: need is Concept
// columns: solution_id, solution_name, maturity, addresses, active_adopters, awarded
// dialects: ladybug, neo4j
MATCH (s:Solution)-[:ADDRESSES]->(c:Concept)-[:BROADER*0..5]->(:Concept {id: $need})
WITH s, collect(DISTINCT c.id) AS addresses
OPTIONAL MATCH (s)<-[:OF]-(a:Adoption)-[:BY]->(x)
WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED']
WITH s, addresses, count(DISTINCT x.id) AS active_adopters
RETURN s.id AS solution_id, s.name AS solution_name, s.maturity AS maturity, addresses,
       active_adopters, EXISTS { MATCH (s)-[:RECEIVED]->(:Award) } AS awarded
ORDER BY active_adopters DESC, solution_id
