// name: orphan_records
// purpose: Data-quality findings: curated records without a source, actors without a role, adoptions without solution or adopter, unused concepts and sources
// columns: problem, node_id
// dialects: ladybug, neo4j
MATCH (n:Organization) WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) }
RETURN 'organization without source' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Actor) WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) }
RETURN 'actor without source' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Solution) WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) }
RETURN 'solution without source' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Adoption) WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) }
RETURN 'adoption without source' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Project) WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) }
RETURN 'project without source' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Award) WHERE NOT EXISTS { MATCH (n)-[:SOURCED_FROM]->(:Source) }
RETURN 'award without source' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Actor) WHERE NOT EXISTS { MATCH (n)-[:WORKS_FOR]->(:Organization) }
RETURN 'actor without role' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Adoption) WHERE NOT EXISTS { MATCH (n)-[:OF]->(:Solution) } OR NOT EXISTS { MATCH (n)-[:BY]->() }
RETURN 'adoption without solution or adopter' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Solution) WHERE NOT EXISTS { MATCH (n)-[:IN_CATEGORY]->(:Concept) }
RETURN 'solution without category' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Concept) WHERE NOT EXISTS { MATCH (n)-[]-() }
RETURN 'concept not used' AS problem, n.id AS node_id ORDER BY node_id
UNION ALL
MATCH (n:Source) WHERE NOT EXISTS { MATCH (n)<-[:SOURCED_FROM]-() }
RETURN 'source not cited' AS problem, n.id AS node_id ORDER BY node_id
