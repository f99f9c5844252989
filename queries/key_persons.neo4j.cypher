// name: key_persons
// purpose: Municipalities whose every shortest contact path (up to 5 hops) from the county administration runs through one person: removing that person cuts them off
// param: county: string = "County:01053"
// columns: municipality_id, municipality_name, person_id, person_name, hops, paths
// names: person_name of person_id
// dialects: neo4j
MATCH (c:County {id: $county})<-[:ADMINISTERS]-(a:Organization)
MATCH (m:Municipality) WHERE m.county_ags = c.ags
MATCH p = allShortestPaths((a)-[:KNOWS|WORKS_FOR|SUB_ORGANIZATION_OF|MEMBER_OF|ADMINISTERS|OWNED_BY|PARTICIPATES_IN*1..5]-(m))
WITH m, min(length(p)) AS hops, collect([n IN nodes(p) | n.id]) AS routes
UNWIND routes AS ids
UNWIND ids AS person_id
WITH m, hops, size(routes) AS paths, person_id, count(*) AS on_paths
WHERE person_id STARTS WITH 'Actor:' AND on_paths = paths
MATCH (person:Actor {id: person_id})
RETURN m.id AS municipality_id, m.name AS municipality_name, person_id,
       person.name AS person_name, hops, paths
ORDER BY municipality_name, person_id
