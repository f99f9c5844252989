// name: county_municipality_bridges
// purpose: People, organisations and projects on the shortest contact paths from a county administration to its municipalities, by how many municipalities they connect
// param: county: string = "County:13076"
// param: limit: int = 20
// columns: bridge_id, bridge_name, municipalities, paths
// names: bridge_name of bridge_id
// dialects: neo4j
MATCH (c:County {id: $county})<-[:ADMINISTERS]-(a:Organization)
MATCH (m:Municipality) WHERE m.county_ags = c.ags
MATCH p = allShortestPaths((a)-[:KNOWS|WORKS_FOR|SUB_ORGANIZATION_OF|MEMBER_OF|ADMINISTERS|OWNED_BY|PARTICIPATES_IN*1..4]-(m))
UNWIND nodes(p)[1..-1] AS n
WITH m, n
WHERE n:Actor OR n:Organization OR n:Project
RETURN n.id AS bridge_id, n.name AS bridge_name,
       count(DISTINCT m) AS municipalities, count(*) AS paths
ORDER BY municipalities DESC, paths DESC, bridge_id
LIMIT $limit
