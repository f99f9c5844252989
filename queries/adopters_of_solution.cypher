// name: adopters_of_solution
// purpose: Who adopted a solution, when, with what status and outcome
// param: solution: string = "Solution:digitale-lokale-agenda"
// ids: solution is Solution
// columns: adoption_id, adopter_id, adopter_name, status, started_on, ended_on, outcome
// dialects: ladybug, neo4j
MATCH (s:Solution {id: $solution})<-[:OF]-(a:Adoption)-[:BY]->(x)
RETURN a.id AS adoption_id, x.id AS adopter_id, x.name AS adopter_name, a.status AS status,
       a.started_on AS started_on, a.ended_on AS ended_on, a.outcome AS outcome
ORDER BY started_on, adopter_id
