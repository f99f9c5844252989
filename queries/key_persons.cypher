// name: key_persons
// purpose: Municipalities whose every shortest contact path from the county administration runs through one person who is not their own staff: removing that person cuts them off
// param: county: string = "County:01053"
// param: max_hops: int = 8
// ids: county is County
// columns: municipality_id, municipality_name, person_id, person_name, hops, paths
// names: person_name of person_id
// dialects: ladybug, neo4j
// analytics: key_persons
//   Computed by graph_api/mission (the same code as GraphQL keyPersonRisks) over every
//   municipality of the county; see county_reach for those not reached within max_hops.
//   The Cypher below lists the municipalities the answer covers.
MATCH (c:County {id: $county})
MATCH (m:Municipality) WHERE m.county_ags = c.ags
OPTIONAL MATCH (m)-[:PART_OF]->(a:Association)
RETURN m.id AS municipality_id, m.name AS municipality_name, a.name AS association
ORDER BY municipality_id
