// name: most_connected_actors
// purpose: Actors with the most distinct contacts, employers and projects (restricted actors by role label only)
// param: limit: int = 10 (1..1000)
// columns: actor_id, display_name, contacts, organizations, projects, adoptions, degree
// names: display_name of actor_id
// dialects: ladybug, neo4j
MATCH (p:Actor)
WITH p,
     COUNT { MATCH (p)-[:KNOWS]-(:Actor) } AS contacts,
     COUNT { MATCH (p)-[:WORKS_FOR]->(:Organization) } AS organizations,
     COUNT { MATCH (p)-[:PARTICIPATES_IN]->(:Project) } AS projects,
     COUNT { MATCH (p)<-[:CONTACT]-(:Adoption) } AS adoptions
RETURN p.id AS actor_id,
       p.name AS display_name,
       contacts, organizations, projects, adoptions, contacts + organizations + projects + adoptions AS degree
ORDER BY degree DESC, actor_id
LIMIT $limit
