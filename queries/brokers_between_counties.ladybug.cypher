// name: brokers_between_counties
// purpose: People, organisations and projects on the shortest contact paths (contacts as in docs/mission.md, up to max_hops) between the administrations of two counties
// param: county_a: string = "County:01053"
// param: county_b: string = "County:13076"
// param: max_hops: int = 6
// ids: county_a is County, county_b is County
// columns: broker_id, broker_name, paths, share
// names: broker_name of broker_id
// dialects: ladybug
// analytics: brokers_between_counties
//   Computed by graph_api/mission over the one definition of a contact (docs/mission.md: the edge
//   kinds of countyMunicipalBridges, PART_OF only from a municipality to its association), per pair
//   of administrations, only people, organisations and projects counted as brokers; max_hops 1-10.
//   The Cypher below shows the question's shape; it cannot keep a var-length path to that PART_OF
//   (no per-hop label test in LadybugDB), so it is not what answers.
MATCH (:County {id: $county_a})<-[:ADMINISTERS]-(a:Organization)
MATCH (:County {id: $county_b})<-[:ADMINISTERS]-(b:Organization)
MATCH p = (a)-[:KNOWS|WORKS_FOR|SUB_ORGANIZATION_OF|MEMBER_OF|ADMINISTERS|OWNED_BY|PARTICIPATES_IN|PART_OF* ALL SHORTEST 1..6]-(b)
WITH collect(properties(nodes(p), 'id')) AS routes
UNWIND routes AS ids
UNWIND range(2, size(ids) - 1) AS i
WITH size(routes) AS total, ids[i] AS broker_id, count(*) AS paths
MATCH (n {id: broker_id})
RETURN broker_id, n.name AS broker_name, paths,
       round(1.0 * paths / total, 3) AS share
ORDER BY paths DESC, broker_id
