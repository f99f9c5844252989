// name: coverage_gaps
// purpose: Inhabited municipalities of a county with no active adoption (PILOT, ADOPTED, SCALED) in a category or a narrower one: neither their own nor via their association or county
// param: county: string = "County:13076"
// param: category: string = "Concept:topic-beteiligung"
// ids: county is County, category is Concept
// columns: municipality_id, municipality_name, population
// dialects: ladybug, neo4j
// An adoption counts for a place when the place or an organisation that ADMINISTERS it is the adopter;
// the places of a municipality are itself, its association and its county (docs/mission.md, coverage).
MATCH (c:County {id: $county})
MATCH (m:Municipality)
WHERE m.county_ags = c.ags AND m.population > 0
  AND NOT EXISTS { MATCH (m)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)-[:IN_CATEGORY]->(:Concept)
                         -[:BROADER*0..5]->(:Concept {id: $category}) WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED'] }
  AND NOT EXISTS { MATCH (m)<-[:ADMINISTERS]-(:Organization)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)
                         -[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $category})
                   WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED'] }
  AND NOT EXISTS { MATCH (m)-[:PART_OF]->(:Association)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)
                         -[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $category})
                   WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED'] }
  AND NOT EXISTS { MATCH (m)-[:PART_OF]->(:Association)<-[:ADMINISTERS]-(:Organization)<-[:BY]-(a:Adoption)
                         -[:OF]->(:Solution)-[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $category})
                   WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED'] }
  AND NOT EXISTS { MATCH (c)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)-[:IN_CATEGORY]->(:Concept)
                         -[:BROADER*0..5]->(:Concept {id: $category}) WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED'] }
  AND NOT EXISTS { MATCH (c)<-[:ADMINISTERS]-(:Organization)<-[:BY]-(a:Adoption)-[:OF]->(:Solution)
                         -[:IN_CATEGORY]->(:Concept)-[:BROADER*0..5]->(:Concept {id: $category})
                   WHERE a.status IN ['PILOT', 'ADOPTED', 'SCALED'] }
RETURN m.id AS municipality_id, m.name AS municipality_name, m.population AS population
ORDER BY lower(m.name), municipality_id
