// name: municipalities_of_territory
// purpose: Municipalities in a county or Amt via the PART_OF tree, with their Amt and number of adoptions
// param: territory: string = "Association:130765652"
// ids: territory is State|County|Association
// columns: municipality_id, municipality_name, association_name, population, adoptions
// dialects: ladybug, neo4j
MATCH (m:Municipality)-[:PART_OF*1..2]->(t {id: $territory})
OPTIONAL MATCH (m)-[:PART_OF]->(amt:Association)
WITH DISTINCT m, amt
RETURN m.id AS municipality_id, m.name AS municipality_name, amt.name AS association_name, m.population AS population,
       COUNT { MATCH (m)<-[:BY]-(:Adoption) } AS adoptions
ORDER BY municipality_name, municipality_id
