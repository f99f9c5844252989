// name: county_reach
// purpose: Every municipality of a county: how many hops and shortest contact paths from the county administration, or why it is not reached
// param: county: string = "County:13076"
// param: max_hops: int = 8
// ids: county is County
// columns: municipality_id, municipality_name, association, hops, paths, reason, explanation
// dialects: ladybug, neo4j
// analytics: county_reach
//   Computed by graph_api/mission (the same code as the `unreached` lists of GraphQL
//   countyMunicipalBridges and keyPersonRisks). Reasons: NO_COUNTY_ADMINISTRATION,
//   NO_OWN_ADMINISTRATION, NOT_CONNECTED, BEYOND_MAX_HOPS (docs/mission.md).
//   The Cypher below lists the municipalities the answer covers.
MATCH (c:County {id: $county})
MATCH (m:Municipality) WHERE m.county_ags = c.ags
OPTIONAL MATCH (m)-[:PART_OF]->(a:Association)
RETURN m.id AS municipality_id, m.name AS municipality_name, a.name AS association
ORDER BY municipality_id
