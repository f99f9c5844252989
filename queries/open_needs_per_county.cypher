// name: open_needs_per_county
// purpose: The Lotse's view: open (and matched) needs of a county, its Ämter, municipalities and their administrations, newest first, each with the solutions that address it, most adopted first
// param: county: string = "County:13076"
// param: statuses: list<string> = ["OPEN", "MATCHED"]
// ids: county is County
// columns: need_id, status, recorded_on, needed_by_id, needed_by_name, concept_id, solution_id, active_adopters
// dialects: ladybug, neo4j
// One row per need and matching solution (a need nothing addresses yet has one row without a solution). A
// need belongs to the county when its holder is the county, a territory with the county's key, or an
// organisation that administers one of them; a solution matches when it addresses what the need concerns or
// something narrower. GraphQL's openNeeds ranks a municipality's matches with its recommendations instead.
MATCH (c:County {id: $county})
MATCH (n:Need)-[:NEEDED_BY]->(h)
WHERE n.status IN $statuses AND (h.id = c.id OR h.county_ags = c.ags OR
      EXISTS { MATCH (h)-[:ADMINISTERS]->(t) WHERE t.id = c.id OR t.county_ags = c.ags })
MATCH (n)-[:CONCERNS]->(k:Concept)
OPTIONAL MATCH (s:Solution)-[:ADDRESSES]->(:Concept)-[:BROADER*0..5]->(k)
OPTIONAL MATCH (s)<-[:OF]-(a:Adoption)-[:BY]->(x)
WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED']
WITH n, h, k, s, count(DISTINCT x.id) AS active_adopters
RETURN n.id AS need_id, n.status AS status, n.recorded_on AS recorded_on, h.id AS needed_by_id,
       h.name AS needed_by_name, k.id AS concept_id, s.id AS solution_id, active_adopters
ORDER BY recorded_on DESC, need_id, active_adopters DESC, solution_id
