// name: contact_paths
// purpose: All shortest contact paths (up to 6 hops) between two nodes over people, organisations, places and projects
// param: from: string = "Organization:kreisverwaltung-ludwigslust-parchim"
// param: to: string = "Municipality:13076060"
// param: limit: int = 25
// columns: hops, path, via
// dialects: ladybug
MATCH (a {id: $from})
MATCH (b {id: $to})
MATCH p = (a)-[:KNOWS|WORKS_FOR|SUB_ORGANIZATION_OF|MEMBER_OF|ADMINISTERS|OWNED_BY|PARTICIPATES_IN* ALL SHORTEST 1..6]-(b)
WITH length(p) AS hops, properties(nodes(p), 'id') AS path, list_transform(rels(p), x -> label(x)) AS via
WITH DISTINCT hops, path, via
RETURN hops, path, via
ORDER BY hops, list_to_string(' ', path), list_to_string(' ', via)
LIMIT $limit
