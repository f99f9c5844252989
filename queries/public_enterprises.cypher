// name: public_enterprises
// purpose: Public enterprises and who owns them (territories or other organisations), with shares where known
// columns: enterprise_id, enterprise_name, legal_form, owner_id, owner_name, share
// dialects: ladybug, neo4j
MATCH (e:Organization {kind: 'PUBLIC_ENTERPRISE'})
OPTIONAL MATCH (e)-[r:OWNED_BY]->(owner)
RETURN e.id AS enterprise_id, e.name AS enterprise_name, e.legal_form AS legal_form, owner.id AS owner_id,
       owner.name AS owner_name, r.share AS share
ORDER BY enterprise_id, owner_id
