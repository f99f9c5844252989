// Graph drawing with Cytoscape.js (vendored, global `cytoscape`): one interactive figure with
// zoom buttons, keyboard panning and a text list of its nodes as links for keyboard and screen
// reader users. The last drawn graph is `window.cy`, each by its figure id in
// `window.explorerGraphs` (the browser tests read them).
import { h } from './dom.js';
import { pngButton } from './export.js';
import { hrefFor, typeName } from './labels.js';

const COLOURS = {
  Municipality: '#1b6e3a',
  Organization: '#1f4e8c',
  Actor: '#8a3b12',
  Project: '#5b3a8c',
  Solution: '#7a5a00',
  County: '#0d5f66',
  Association: '#0d5f66',
  State: '#0d5f66',
  Adoption: '#1b6e3a',
};

const STYLE = [
  { selector: 'node', style: {
    'background-color': (n) => COLOURS[n.data('type')] || '#555',
    label: 'data(label)', color: '#111', 'font-size': 11, 'text-wrap': 'wrap', 'text-max-width': 140,
    'text-valign': 'bottom', 'text-margin-y': 4, 'text-background-color': '#fff', 'text-background-opacity': 0.85,
    'text-background-padding': 2, width: 'data(size)', height: 'data(size)', 'border-width': 2, 'border-color': '#fff',
  } },
  { selector: 'node[type = "Actor"]', style: { shape: 'ellipse' } },
  { selector: 'node[type = "Organization"]', style: { shape: 'round-rectangle' } },
  { selector: 'node[type = "Project"]', style: { shape: 'diamond' } },
  { selector: 'node[type = "Municipality"]', style: { shape: 'hexagon' } },
  { selector: 'node.endpoint', style: { 'border-width': 4, 'border-color': '#111' } },
  { selector: 'node.risk', style: { 'border-width': 6, 'border-style': 'double', 'border-color': '#d4002a' } },
  { selector: 'node.abandoned', style: { 'background-color': '#767676' } },
  { selector: 'node.added', style: { 'border-color': '#5b3a8c', 'border-width': 3 } },
  { selector: 'node.expanded', style: { 'border-style': 'dashed', 'border-color': '#111' } },
  { selector: 'node:selected', style: { 'border-width': 5, 'border-color': '#ffbf47' } },
  { selector: 'edge', style: {
    width: 2, 'line-color': '#6b6b6b', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9,
    color: '#333', 'text-rotation': 'autorotate', 'text-background-color': '#fff', 'text-background-opacity': 0.85,
  } },
  { selector: 'edge.directed', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': '#6b6b6b' } },
];

// nodes: [{id, label, type, size?, classes?}], edges: [{source, target, label?, classes?}]
// `expand(id)` (optional) makes nodes expand in place: a click selects a node and offers its page
// and "Nachbarn einblenden"; the node list has the same button per node for keyboard users.
export function drawGraph(figure, { nodes, edges }, { title, layout = 'breadthfirst', roots, onOpen, expand } = {}) {
  const canvas = h('div', {
    class: 'graph-canvas', tabindex: '0', role: 'img',
    'aria-label': `${title}: ${nodes.length} Knoten, ${edges.length} Verbindungen. Pfeiltasten verschieben, `
      + 'Plus und Minus zoomen, 0 passt ein. Die Knoten sind darunter als Liste verlinkt.',
  });
  const controls = h('div', { class: 'graph-controls', role: 'group', 'aria-label': 'Graph steuern' });
  const panel = h('p', { class: 'graph-selection', 'aria-live': 'polite', hidden: true });
  const listItem = (n) => h('li', { 'data-node-id': n.id },
    h('a', { href: hrefFor(n.id), 'data-node-id': n.id }, n.label), ` (${typeName(n.type)})`,
    expand ? [' ', h('button', { type: 'button', class: 'linklike', 'data-expand': n.id,
      onclick: () => grow(n.id) }, 'Nachbarn einblenden')] : null);
  const nodeList = h('ul', { class: 'graph-nodes' }, nodes.map(listItem));
  const summary = h('summary', {}, `Alle ${nodes.length} Knoten als Liste`);
  figure.replaceChildren(
    h('figcaption', {}, title), controls, canvas, panel,
    h('details', { class: 'graph-list' }, summary, nodeList));
  let cy = null;
  // Adds the neighbours of `id` around it (a ring at the node's position), marks it expanded.
  async function grow(id) {
    if (!cy) return;
    const centre = cy.getElementById(id);
    if (!centre.length || centre.hasClass('expanded')) return;
    centre.addClass('expanded');
    let added;
    try {
      added = await expand(id);
    } catch (err) {
      centre.removeClass('expanded');
      panel.hidden = false;
      panel.textContent = `Nachbarn konnten nicht geladen werden: ${err.message}`;
      return;
    }
    const fresh = added.nodes.filter((n) => !cy.getElementById(n.id).length);
    const { x, y } = centre.position();
    const radius = 90 + 6 * fresh.length;
    cy.add(fresh.map((n, i) => ({ group: 'nodes', data: { size: 22, ...n }, classes: 'added',
      position: { x: x + radius * Math.cos((2 * Math.PI * i) / fresh.length),
        y: y + radius * Math.sin((2 * Math.PI * i) / fresh.length) } })));
    const key = (e) => [e.source, e.target].sort().join('|');
    const existing = new Set(cy.edges().map((e) => [e.source().id(), e.target().id()].sort().join('|')));
    cy.add(added.edges.filter((e) => !existing.has(key(e))).map((e, i) => ({ group: 'edges',
      data: { id: `x-${id}-${i}`, label: '', ...e }, classes: 'added' })));
    nodeList.append(...fresh.map(listItem));
    summary.textContent = `Alle ${cy.nodes().length} Knoten als Liste`;
    panel.hidden = false;
    panel.textContent = fresh.length ? `${fresh.length} Nachbarn eingeblendet.` : 'Keine weiteren Nachbarn.';
    cy.animate({ fit: { eles: centre.closedNeighborhood(), padding: 40 } }, { duration: 0 });
  }
  if (typeof window.cytoscape !== 'function') {
    canvas.replaceChildren(h('p', { class: 'empty' }, 'Die Graphbibliothek konnte nicht geladen werden; '
      + 'die Knoten stehen in der Liste darunter.'));
    return null;
  }
  cy = window.cytoscape({
    container: canvas,
    elements: [
      ...nodes.map((n) => ({ group: 'nodes', data: { size: 28, ...n }, classes: n.classes || '' })),
      ...edges.map((e, i) => ({ group: 'edges', data: { id: `e${i}`, label: '', ...e }, classes: e.classes || '' })),
    ],
    style: STYLE,
    layout: layoutOptions(layout, roots),
    minZoom: 0.2,
    maxZoom: 4,
  });
  const open = onOpen || ((id) => { window.location.hash = hrefFor(id); });
  if (expand) {
    cy.on('tap', 'node', (event) => {
      const n = event.target;
      panel.hidden = false;
      panel.replaceChildren(`${n.data('label')} (${typeName(n.data('type'))}): `,
        h('a', { href: hrefFor(n.id()) }, 'Seite öffnen'), ' · ',
        h('button', { type: 'button', class: 'linklike', onclick: () => grow(n.id()) }, 'Nachbarn einblenden'));
    });
    cy.on('dbltap', 'node', (event) => grow(event.target.id()));
  } else {
    cy.on('tap', 'node', (event) => open(event.target.id()));
  }
  cy.on('mouseover', 'node', () => { canvas.style.cursor = 'pointer'; });
  cy.on('mouseout', 'node', () => { canvas.style.cursor = ''; });
  const zoomBy = (factor) => cy.zoom({
    level: cy.zoom() * factor, renderedPosition: { x: canvas.clientWidth / 2, y: canvas.clientHeight / 2 } });
  controls.append(
    h('button', { type: 'button', onclick: () => zoomBy(1.25), 'aria-label': 'Vergrößern' }, '+'),
    h('button', { type: 'button', onclick: () => zoomBy(0.8), 'aria-label': 'Verkleinern' }, '−'),
    h('button', { type: 'button', onclick: () => cy.fit(undefined, 30) }, 'Einpassen'),
    pngButton(() => cy.png({ output: 'blob-promise', full: true, scale: 2, bg: '#ffffff' }), title,
      'Als PNG herunterladen'));
  canvas.addEventListener('keydown', (event) => {
    const pan = { ArrowLeft: [40, 0], ArrowRight: [-40, 0], ArrowUp: [0, 40], ArrowDown: [0, -40] }[event.key];
    if (pan) cy.panBy({ x: pan[0], y: pan[1] });
    else if (event.key === '+' || event.key === '=') zoomBy(1.25);
    else if (event.key === '-') zoomBy(0.8);
    else if (event.key === '0') cy.fit(undefined, 30);
    else return;
    event.preventDefault();
  });
  if (figure.isConnected) {
    window.cy = cy;
    window.explorerGraphs = { ...(window.explorerGraphs || {}), [figure.id]: cy };
  }
  figure.expandNode = grow; // for the browser tests and for views that expand from outside
  return cy;
}

function layoutOptions(name, roots) {
  if (name === 'breadthfirst') {
    return { name, directed: true, roots: roots && roots.length ? roots : undefined, spacingFactor: 1.1,
      padding: 30, animate: false };
  }
  if (name === 'concentric') {
    return { name, concentric: (n) => n.data('rank') || 1, levelWidth: () => 1, padding: 30, animate: false,
      minNodeSpacing: 30 };
  }
  return { name: 'cose', animate: false, padding: 30, randomize: false, nodeRepulsion: () => 9000,
    idealEdgeLength: () => 90 };
}
