// name: diffusion_over_time
// purpose: New adoptions per quarter and county (organisations count for the counties of the places they administer or serve)
// param: since: date = "2015-01-01"
// param: statuses: list<string> = ["PILOT", "ADOPTED", "SCALED"]
// columns: county_ags, county_name, quarter, adoptions
// dialects: ladybug, neo4j
MATCH (a:Adoption)-[:BY]->(x)
WHERE a.started_on >= $since AND a.status IN $statuses
OPTIONAL MATCH (x)-[:ADMINISTERS|SERVES]->(place)
WITH a, coalesce(x.county_ags, place.county_ags, x.ags, place.ags) AS ags
WITH a, left(ags, 5) AS county_ags, left(a.started_on, 4) AS year, right(left(a.started_on, 7), 2) AS month
WITH DISTINCT a, county_ags,
     year + '-Q' + CASE WHEN month <= '03' THEN '1' WHEN month <= '06' THEN '2' WHEN month <= '09' THEN '3' ELSE '4' END
     AS quarter
MATCH (c:County {ags: county_ags})
RETURN county_ags, c.name AS county_name, quarter, count(a) AS adoptions
ORDER BY county_ags, quarter
