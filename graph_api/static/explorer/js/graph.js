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
  { selector: 'node:selected', style: { 'border-width': 5, 'border-color': '#ffbf47' } },
  { selector: 'edge', style: {
    width: 2, 'line-color': '#6b6b6b', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 9,
    color: '#333', 'text-rotation': 'autorotate', 'text-background-color': '#fff', 'text-background-opacity': 0.85,
  } },
  { selector: 'edge.directed', style: { 'target-arrow-shape': 'triangle', 'target-arrow-color': '#6b6b6b' } },
];

// nodes: [{id, label, type, size?, classes?}], edges: [{source, target, label?, classes?}]
export function drawGraph(figure, { nodes, edges }, { title, layout = 'breadthfirst', roots, onOpen } = {}) {
  const canvas = h('div', {
    class: 'graph-canvas', tabindex: '0', role: 'img',
    'aria-label': `${title}: ${nodes.length} Knoten, ${edges.length} Verbindungen. Pfeiltasten verschieben, `
      + 'Plus und Minus zoomen, 0 passt ein. Die Knoten sind darunter als Liste verlinkt.',
  });
  const controls = h('div', { class: 'graph-controls', role: 'group', 'aria-label': 'Graph steuern' });
  const nodeList = h('ul', { class: 'graph-nodes' }, nodes.map((n) => h('li', {},
    h('a', { href: hrefFor(n.id), 'data-node-id': n.id }, n.label), ` (${typeName(n.type)})`)));
  figure.replaceChildren(
    h('figcaption', {}, title), controls, canvas,
    h('details', { class: 'graph-list' }, h('summary', {}, `Alle ${nodes.length} Knoten als Liste`), nodeList));
  if (typeof window.cytoscape !== 'function') {
    canvas.replaceChildren(h('p', { class: 'empty' }, 'Die Graphbibliothek konnte nicht geladen werden; '
      + 'die Knoten stehen in der Liste darunter.'));
    return null;
  }
  const cy = window.cytoscape({
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
  cy.on('tap', 'node', (event) => open(event.target.id()));
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
