// name: county_municipality_bridges
// purpose: People, organisations and projects between a county administration and its municipalities, by their share of the shortest contact paths (every municipality counted; see county_reach for those not reached)
// param: county: string = "County:13076"
// param: max_hops: int = 8
// param: limit: int = 20 (1..1000)
// ids: county is County
// columns: bridge_id, bridge_name, score, municipalities
// names: bridge_name of bridge_id
// dialects: ladybug, neo4j
// analytics: county_bridges
//   Computed by graph_api/mission (the same code as GraphQL countyMunicipalBridges): score = sum
//   over the county's municipalities of the share of their shortest contact paths from the county
//   administration that run through the node; a municipality's own administration, departments
//   and staff are never its bridge. The Cypher below lists the municipalities the answer covers.
MATCH (c:County {id: $county})
MATCH (m:Municipality) WHERE m.county_ags = c.ags
OPTIONAL MATCH (m)-[:PART_OF]->(a:Association)
RETURN m.id AS municipality_id, m.name AS municipality_name, a.name AS association
ORDER BY municipality_id
