// name: coverage_gaps
// purpose: Inhabited municipalities of a county with no running adoption in a category (neither their own nor their administration's)
// param: county: string = "County:13076"
// param: category: string = "Concept:topic-beteiligung"
// columns: municipality_id, municipality_name, population
// dialects: ladybug, neo4j
MATCH (c:County {id: $county})
MATCH (m:Municipality)
WHERE m.county_ags = c.ags AND m.population > 0
  AND NOT EXISTS { MATCH (m)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)-[:IN_CATEGORY]->(:Concept)
                         -[:BROADER*0..5]->(:Concept {id: $category}) WHERE a.status <> 'ABANDONED' }
  AND NOT EXISTS { MATCH (m)<-[:ADMINISTERS]-(:Organization)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)
                         -[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $category})
                   WHERE a.status <> 'ABANDONED' }
RETURN m.id AS municipality_id, m.name AS municipality_name, m.population AS population
ORDER BY population DESC, municipality_id
