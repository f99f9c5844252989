// name: transfer_lineage
// purpose: How a solution travelled: every adoption, whom it learned from and its distance from the first adopter
// param: solution: string = "Solution:digitale-lokale-agenda"
// columns: generation, adoption_id, adopter_id, adopter_name, started_on, status, learned_from
// dialects: ladybug, neo4j
MATCH (s:Solution {id: $solution})<-[:OF]-(a:Adoption)-[:BY]->(x)
OPTIONAL MATCH (a)-[:LEARNED_FROM]->(teacher:Adoption)
WITH a, x, collect(teacher.id) AS learned_from
OPTIONAL MATCH p = (a)-[:LEARNED_FROM*1..10]->(:Adoption)
WITH a, x, learned_from, max(length(p)) AS depth
RETURN coalesce(depth, 0) AS generation, a.id AS adoption_id, x.id AS adopter_id, x.name AS adopter_name,
       a.started_on AS started_on, a.status AS status, learned_from
ORDER BY generation, started_on, adoption_id
