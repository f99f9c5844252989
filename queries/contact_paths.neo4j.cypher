// name: contact_paths
// purpose: All shortest contact paths (up to 6 hops) between two nodes over people, organisations, places and projects
// param: from: string = "Organization:kreisverwaltung-ludwigslust-parchim"
// param: to: string = "Municipality:13076060"
// param: limit: int = 25
// columns: hops, path, via
// dialects: neo4j
MATCH (a {id: $from})
MATCH (b {id: $to})
MATCH p = allShortestPaths((a)-[:KNOWS|WORKS_FOR|SUB_ORGANIZATION_OF|MEMBER_OF|ADMINISTERS|OWNED_BY|PARTICIPATES_IN*1..6]-(b))
WITH length(p) AS hops, [n IN nodes(p) | n.id] AS path, [r IN relationships(p) | type(r)] AS via
RETURN DISTINCT hops, path, via
ORDER BY hops, path, via
LIMIT $limit
