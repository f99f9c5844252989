// name: most_connected_actors
// purpose: Actors with the most distinct contacts, employers and projects (restricted actors by role label only)
// param: limit: int = 10
// columns: actor_id, display_name, contacts, organizations, projects, adoptions, degree
// dialects: ladybug, neo4j
MATCH (p:Actor)
WITH p,
     COUNT { MATCH (p)-[:KNOWS]-(:Actor) } AS contacts,
     COUNT { MATCH (p)-[:WORKS_FOR]->(:Organization) } AS organizations,
     COUNT { MATCH (p)-[:PARTICIPATES_IN]->(:Project) } AS projects,
     COUNT { MATCH (p)<-[:CONTACT]-(:Adoption) } AS adoptions
RETURN p.id AS actor_id,
       CASE WHEN p.visibility = 'public' THEN p.name ELSE p.role_label END AS display_name,
       contacts, organizations, projects, adoptions, contacts + organizations + projects + adoptions AS degree
ORDER BY degree DESC, actor_id
LIMIT $limit
