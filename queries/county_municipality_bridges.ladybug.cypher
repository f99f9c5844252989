// name: county_municipality_bridges
// purpose: People, organisations and projects on the shortest contact paths from a county administration to its municipalities, by how many municipalities they connect
// param: county: string = "County:13076"
// param: limit: int = 20
// columns: bridge_id, bridge_name, municipalities, paths
// names: bridge_name of bridge_id
// dialects: ladybug
MATCH (c:County {id: $county})<-[:ADMINISTERS]-(a:Organization)
MATCH (m:Municipality) WHERE m.county_ags = c.ags
MATCH p = (a)-[:KNOWS|WORKS_FOR|SUB_ORGANIZATION_OF|MEMBER_OF|ADMINISTERS|OWNED_BY|PARTICIPATES_IN* ALL SHORTEST 1..4]-(m)
WITH m, properties(nodes(p), 'id') AS ids, properties(nodes(p), 'name') AS names
UNWIND range(2, size(ids) - 1) AS i
WITH m, ids[i] AS bridge_id, names[i] AS bridge_name
WHERE bridge_id STARTS WITH 'Actor:' OR bridge_id STARTS WITH 'Organization:' OR bridge_id STARTS WITH 'Project:'
RETURN bridge_id, bridge_name, count(DISTINCT m) AS municipalities, count(*) AS paths
ORDER BY municipalities DESC, paths DESC, bridge_id
LIMIT $limit
