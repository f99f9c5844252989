// Graph nodes that expand in place: the contact neighbours of a node (people it knows, where it
// works, its staff, its project partners, its administration, its Amt) are added around it
// without leaving the figure. The relationships are the contact relationships of docs/mission.md.
import { gql } from './api.js';
import { displayName, VIA } from './labels.js';
import { NEIGHBOURS } from './queries.js';

const edgesOf = (list) => (list ? list.edges.map((e) => e.node) : []);

// The node's neighbours as graph elements: [{ node, via }] from the answer of NEIGHBOURS.
export function neighbours(n) {
  const out = [];
  const add = (nodes, via) => nodes.filter(Boolean).forEach((node) => out.push({ node, via }));
  add(edgesOf(n.knows), 'KNOWS');
  add((n.roles || []).map((r) => r.organization), 'WORKS_FOR');
  add(edgesOf(n.people), 'WORKS_FOR');
  add([n.parent], 'SUB_ORGANIZATION_OF');
  add(n.territories || [], 'ADMINISTERS');
  add(n.participants || [], 'PARTICIPATES_IN');
  add(n.organizations || [], 'ADMINISTERS');
  add([n.association], 'PART_OF');
  add(edgesOf(n.municipalities), 'PART_OF');
  return out;
}

export async function expandNode(id) {
  const data = await gql(NEIGHBOURS, { id });
  if (!data.node) return { nodes: [], edges: [] };
  const found = neighbours(data.node);
  return {
    nodes: found.map(({ node }) => ({ id: node.id, label: displayName(node), type: node.__typename })),
    edges: found.map(({ node, via }) => ({ source: id, target: node.id, label: VIA[via] || via })),
  };
}
