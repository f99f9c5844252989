// name: transfer_lineage
// purpose: How a solution travelled: every adoption, whom it learned from and its generation (the longest chain of teachers behind it), teachers first
// param: solution: string = "Solution:digitale-lokale-agenda"
// ids: solution is Solution
// columns: generation, adoption_id, adopter_id, adopter_name, started_on, status, learned_from
// dialects: ladybug, neo4j
// Order: generation, then start date (none first), then id — the order of GraphQL transferLineage.
// Generations are counted up to 20 (docs/mission.md); the loaders refuse cycles.
MATCH (s:Solution {id: $solution})<-[:OF]-(a:Adoption)-[:BY]->(x)
OPTIONAL MATCH (a)-[:LEARNED_FROM]->(teacher:Adoption)
WITH a, x, collect(teacher.id) AS learned_from
OPTIONAL MATCH p = (a)-[:LEARNED_FROM*1..20]->(:Adoption)
WITH a, x, learned_from, max(length(p)) AS depth
RETURN coalesce(depth, 0) AS generation, a.id AS adoption_id, x.id AS adopter_id, x.name AS adopter_name,
       a.started_on AS started_on, a.status AS status, learned_from
ORDER BY generation, coalesce(started_on, ''), adoption_id
