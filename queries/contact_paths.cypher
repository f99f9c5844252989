// name: contact_paths
// purpose: Shortest contact paths between two nodes over people, organisations, places and projects (docs/mission.md: which edges, hop limit)
// param: from: string = "Organization:kreisverwaltung-herzogtum-lauenburg"
// param: to: string = "Municipality:01053092"
// param: max_hops: int = 4
// param: limit: int = 25 (1..1000)
// ids: from is Actor|Organization|Project|State|County|Association|Municipality, to is Actor|Organization|Project|State|County|Association|Municipality
// columns: hops, path, via
// dialects: ladybug, neo4j
// analytics: contact_paths
//   The answer is computed by graph_api/mission (the same code as GraphQL contactPaths): a
//   breadth-first search over the contact edges, PART_OF only from a municipality to its
//   association — a rule a variable-length pattern cannot state. Paths come fewest hops first,
//   then by the ids along the way. The Cypher below is the search's first step: the contacts of `from`.
MATCH (a {id: $from})-[:KNOWS|WORKS_FOR|SUB_ORGANIZATION_OF|MEMBER_OF|ADMINISTERS|OWNED_BY|PARTICIPATES_IN|PART_OF]-(b)
RETURN DISTINCT a.id AS from_id, b.id AS neighbour_id
ORDER BY neighbour_id
