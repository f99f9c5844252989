// Network view: contact paths between two nodes picked by search, and for a county the people
// and organisations that bridge its administration and municipalities (plus key-person risks).
import { gql } from '../api.js';
import { empty, h, link, section } from '../dom.js';
import { withStatus } from '../feedback.js';
import { tableWithCsv } from '../export.js';
import { expandNode } from '../expand.js';
import { drawGraph } from '../graph.js';
import { CONTACT_EDGES_NOTE, displayName, hrefFor, typeName, via } from '../labels.js';
import { CONTACT_PATHS, COUNTY_NETWORK, NODE } from '../queries.js';
import { go } from '../router.js';
import { searchNodes } from './search.js';
import { loadCounties } from './territories.js';

const PATHS = 5;

// A search-backed picker: type, search, choose one hit (a button per hit, keyboard friendly).
function nodePicker(key, legend, initial) {
  let chosen = initial;
  const inputId = `picker-${key}`;
  const input = h('input', { type: 'search', id: inputId, autocomplete: 'off', 'aria-describedby': `${inputId}-chosen` });
  const shown = h('p', { id: `${inputId}-chosen`, class: 'chosen', 'data-chosen-id': initial ? initial.id : '' });
  const hits = h('ul', { class: 'picker-hits', 'aria-label': `Treffer für ${legend}` });
  const render = () => {
    shown.dataset.chosenId = chosen ? chosen.id : '';
    shown.textContent = chosen ? `Gewählt: ${displayName(chosen)} (${typeName(chosen.__typename)})` : 'Noch nichts gewählt.';
  };
  async function find() {
    const text = input.value.trim();
    if (!text) return;
    const nodes = await withStatus('Suche läuft …', () => searchNodes(text, 10), 'Die Suche ist fehlgeschlagen');
    if (!nodes) return;
    const usable = nodes.filter((n) => !['Adoption', 'Source', 'Concept', 'Award', 'Solution'].includes(n.__typename));
    hits.replaceChildren(...usable.map((n) => h('li', {}, h('button', { type: 'button', class: 'linklike',
      'data-id': n.id, onclick: () => { chosen = n; render(); hits.replaceChildren(); } },
    `${displayName(n)} (${typeName(n.__typename)})`))));
    if (!usable.length) hits.replaceChildren(h('li', {}, 'Keine passenden Treffer.'));
  }
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } });
  render();
  const element = h('fieldset', { class: 'picker', 'data-picker': key }, h('legend', {}, legend),
    h('label', { for: inputId }, 'Suchbegriff'),
    h('div', { class: 'inline' }, input, h('button', { type: 'button', class: 'secondary', onclick: find }, 'Suchen')),
    hits, shown);
  return { element, value: () => chosen };
}

export function pathElements(paths, from, to) {
  const nodes = new Map();
  const edges = new Map();
  for (const path of paths) {
    path.steps.forEach((step, i) => {
      const n = step.node;
      nodes.set(n.id, { id: n.id, label: displayName(n), type: n.__typename,
        classes: n.id === from || n.id === to ? 'endpoint' : '' });
      if (i > 0) {
        const source = path.steps[i - 1].node.id;
        edges.set([source, n.id].sort().join('|'), { source, target: n.id, label: via(step.via) });
      }
    });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

async function nodeOrNull(id) {
  if (!id) return null;
  const data = await withStatus('Knoten wird geladen …', () => gql(NODE, { id }), 'Knoten nicht geladen');
  return data ? data.node : null;
}

async function contactSection(holder, params) {
  const fromId = params.get('von');
  const toId = params.get('nach');
  const hops = Number(params.get('schritte')) || 4;
  const [from, to] = await Promise.all([nodeOrNull(fromId), nodeOrNull(toId)]);
  const a = nodePicker('von', 'Von', from);
  const b = nodePicker('nach', 'Nach', to);
  const hopsSelect = h('select', { id: 'schritte' }, [1, 2, 3, 4, 5, 6, 7, 8].map((n) => h('option',
    { value: n, selected: n === hops }, String(n))));
  const figure = h('figure', { class: 'graph', id: 'pfad-graph' });
  const list = h('div', { id: 'pfade' });
  const form = h('form', { class: 'path-form', onsubmit: (e) => {
    e.preventDefault();
    const [x, y] = [a.value(), b.value()];
    if (!x || !y) { list.replaceChildren(empty('Bitte zuerst Start und Ziel wählen.')); return; }
    go('netzwerk', null, { von: x.id, nach: y.id, schritte: hopsSelect.value, kreis: params.get('kreis') });
  } }, h('div', { class: 'pickers' }, a.element, b.element),
  h('label', { for: 'schritte' }, 'Höchstens Schritte '), hopsSelect, ' ',
  h('button', { type: 'submit' }, 'Kontaktpfade zeigen'));
  const result = section('Kontaktpfade', h('p', { class: 'meta' }, 'Kürzeste Wege über Personen, Organisationen und '
    + 'Projekte. Geschützte Personen erscheinen mit ihrer Rolle.'), form, figure, list);
  holder.replaceWith(result);
  if (from && to) {
    const data = await withStatus('Kontaktpfade werden gesucht …', () => gql(CONTACT_PATHS,
      { from: from.id, to: to.id, maxHops: hops, first: PATHS }), 'Kontaktpfade nicht gefunden');
    if (data) {
      const paths = data.contactPaths;
      list.replaceChildren(paths.length ? h('ol', { class: 'paths' }, paths.map((p) => h('li', {},
        `${p.hops} Schritt(e): `, p.steps.map((s, i) => [i ? ` – ${via(s.via)} – ` : '',
          link(hrefFor(s.node.id), displayName(s.node))]))))
        : empty(`Kein Kontaktpfad mit höchstens ${hops} Schritten gefunden.`));
      if (paths.length) {
        drawGraph(figure, pathElements(paths, from.id, to.id), {
          title: `Kontaktpfade von ${displayName(from)} nach ${displayName(to)}`, roots: [from.id] });
      } else {
        figure.hidden = true;
      }
    }
  } else {
    figure.hidden = true;
  }
}

export function bridgeElements(bridges, risks) {
  const riskPeople = new Set(risks.map((r) => r.person.id));
  const nodes = new Map();
  const edges = [];
  for (const b of bridges) {
    nodes.set(b.node.id, { id: b.node.id, label: displayName(b.node), type: b.node.__typename,
      size: 24 + Math.min(40, b.score * 8), classes: riskPeople.has(b.node.id) ? 'risk' : '' });
    for (const m of b.municipalities) {
      if (!nodes.has(m.id)) nodes.set(m.id, { id: m.id, label: m.name, type: 'Municipality' });
      edges.push({ source: b.node.id, target: m.id });
    }
  }
  return { nodes: [...nodes.values()], edges };
}

async function countySection(holder, params) {
  const countyId = params.get('kreis');
  const states = await withStatus('Kreise werden geladen …', loadCounties, 'Kreise nicht geladen');
  const select = h('select', { id: 'kreis' }, h('option', { value: '' }, '– Kreis wählen –'),
    (states || []).map((s) => h('optgroup', { label: s.name }, s.counties.map((c) => h('option',
      { value: c.id, selected: c.id === countyId }, c.name)))));
  const form = h('form', { onsubmit: (e) => {
    e.preventDefault();
    go('netzwerk', null, { kreis: select.value, von: params.get('von'), nach: params.get('nach'),
      schritte: params.get('schritte') });
  } }, h('label', { for: 'kreis' }, 'Kreis '), select, ' ', h('button', { type: 'submit' }, 'Netzwerk zeigen'));
  const figure = h('figure', { class: 'graph', id: 'bruecken-graph' });
  const tables = h('div', {});
  const result = section('Brücken zwischen Kreis und Gemeinden', h('p', { class: 'meta' },
    'Wer verbindet die Kreisverwaltung mit den Gemeinden? Rot umrandet: Personen, an denen der Kontakt zu einer '
    + 'Gemeinde allein hängt.'), form, figure, tables);
  holder.replaceWith(result);
  if (!countyId) {
    figure.hidden = true;
    return;
  }
  const data = await withStatus('Netzwerk wird berechnet …', () => gql(COUNTY_NETWORK, { county: countyId, first: 30 }),
    'Das Kreisnetzwerk konnte nicht geladen werden');
  if (!data) return;
  const bridges = data.countyMunicipalBridges;
  const { unreached, reachedCount, municipalityCount, maxHops } = data.countyReach;
  const risks = data.keyPersonRisks.risks;
  if (bridges.length) {
    drawGraph(figure, bridgeElements(bridges, risks), { title: 'Brücken (größer = stärker) und ihre Gemeinden; '
      + 'ein Klick auf einen Knoten blendet seine Nachbarn ein', layout: 'cose', expand: expandNode });
  } else {
    figure.hidden = true;
  }
  tables.replaceChildren(
    !bridges.length ? h('div', { class: 'empty-state' }, h('p', {}, 'Keine Brücken: im Graphen verbindet noch '
      + 'niemand die Kreisverwaltung mit den Gemeinden dieses Kreises.')) : tableWithCsv(h('table', { class: 'data', id: 'bruecken' },
      h('caption', {}, 'Brücken, stärkste zuerst'),
      h('thead', {}, h('tr', {}, ['Brücke', 'Art', 'Wert', 'Gemeinden'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, bridges.map((b) => h('tr', { 'data-id': b.node.id },
        h('th', { scope: 'row' }, link(hrefFor(b.node.id), displayName(b.node))),
        h('td', {}, typeName(b.node.__typename)), h('td', {}, b.score.toLocaleString('de-DE')),
        h('td', {}, b.municipalities.map((m, i) => [i ? ', ' : '', link(hrefFor(m.id), m.name)])))))), 'bruecken'),
    h('h3', {}, 'Schlüsselpersonen-Risiken'),
    risks.length ? tableWithCsv(h('table', { class: 'data', id: 'risiken' },
      h('caption', {}, 'Gemeinden, deren kürzeste Kontaktwege vom Kreis alle über eine Person laufen'),
      h('thead', {}, h('tr', {}, ['Gemeinde', 'Person (Rolle)', 'Schritte'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, risks.map((r) => h('tr', {},
        h('th', { scope: 'row' }, link(hrefFor(r.municipality.id), r.municipality.name)),
        h('td', {}, link(hrefFor(r.person.id), r.person.name)), h('td', {}, String(r.hops)))))), 'schluesselpersonen')
      : empty('Keine Schlüsselpersonen-Risiken.'),
    h('h3', {}, 'Nicht erreichte Gemeinden'),
    h('p', { class: 'meta' }, `${reachedCount} von ${municipalityCount} Gemeinden sind über höchstens ${maxHops} `
      + 'Schritte erreichbar.'),
    unreached.length ? h('ul', { id: 'nicht-erreicht' }, unreached.map((u) => h('li', {},
      link(hrefFor(u.municipality.id), u.municipality.name), `: ${u.explanation}`)))
      : empty('Alle Gemeinden des Kreises sind erreichbar.'));
}

export async function renderNetwork(page, { params }) {
  document.title = 'Netzwerk – copgraph Explorer';
  page.append(h('h1', {}, 'Netzwerk'), h('p', { class: 'lead' },
    'Kontaktwege zwischen zwei beliebigen Knoten und die Brücken eines Kreises. Ziehen verschiebt, Mausrad zoomt, '
    + 'ein Klick auf einen Knoten öffnet seine Seite.'));
  const contacts = h('div', {});
  const county = h('div', {});
  page.append(h('p', { class: 'note', id: 'kantenmenge' }, CONTACT_EDGES_NOTE), contacts, county);
  await Promise.all([contactSection(contacts, params), countySection(county, params)]);
}
