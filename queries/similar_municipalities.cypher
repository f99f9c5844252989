// name: similar_municipalities
// purpose: Municipalities like a given one: similar population (within a factor), same county, solutions both use actively (PILOT, ADOPTED, SCALED)
// param: municipality: string = "Municipality:13076060"
// param: factor: float = 2.0
// param: limit: int = 10 (1..1000)
// ids: municipality is Municipality
// columns: municipality_id, municipality_name, population, population_gap, same_county, shared_solutions, score
// dialects: ladybug, neo4j
MATCH (m:Municipality {id: $municipality})
MATCH (o:Municipality)
WHERE o.id <> m.id AND o.population > 0
  AND o.population * $factor >= m.population AND o.population <= m.population * $factor
OPTIONAL MATCH (m)<-[:BY]-(am:Adoption)-[:OF]->(s:Solution)<-[:OF]-(ao:Adoption)-[:BY]->(o)
WHERE am.status IN ['PILOT', 'ADOPTED', 'SCALED'] AND ao.status IN ['PILOT', 'ADOPTED', 'SCALED']
WITH m, o, count(DISTINCT s) AS shared_solutions
WITH o, shared_solutions, o.county_ags = m.county_ags AS same_county, abs(o.population - m.population) AS population_gap
RETURN o.id AS municipality_id, o.name AS municipality_name, o.population AS population, population_gap,
       same_county, shared_solutions, 2 * shared_solutions + CASE WHEN same_county THEN 1 ELSE 0 END AS score
ORDER BY score DESC, population_gap, municipality_id
LIMIT $limit
