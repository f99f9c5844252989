// Solution catalogue: every solution with filters for where and how it was taken up (Land, Kreis,
// status, year of start) and what it is (topic, need, maturity, award). Each choice shows how many
// solutions it leaves given the other filters, so a choice that leaves nothing is visible before
// it is made; an empty result says which filter to drop. Filtering runs over the complete lists
// (all pages), so the counts are exact.
import { allNodes } from '../api.js';
import { empty, h, link } from '../dom.js';
import { withStatus } from '../feedback.js';
import { tableWithCsv } from '../export.js';
import { formatNumber, hrefFor, maturity, STATUS, status } from '../labels.js';
import { provenanceCell, illustrativeBadge } from '../provenance.js';
import { CATALOGUE_ADOPTIONS, CATALOGUE_SOLUTIONS } from '../queries.js';
import { hashFor } from '../router.js';
import { loadCounties } from './territories.js';

const PAGE = 100;

// Where an adopter lies: Land and Kreis ids from the official regional keys (ARS) of the adopter,
// or of the territories an adopting organisation serves. Keys outside the loaded counties are left out.
export function placesOf(adopter, countyIds) {
  const keys = adopter.__typename === 'Organization' ? (adopter.territories || []).map((t) => t.ars) : [adopter.ars];
  const states = new Set();
  const counties = new Set();
  for (const ars of keys.filter(Boolean)) {
    states.add(`State:${ars.slice(0, 2)}`);
    if (countyIds.has(`County:${ars.slice(0, 5)}`)) counties.add(`County:${ars.slice(0, 5)}`);
  }
  return { states, counties };
}

// The filters: URL parameter, label, and how a solution or one of its adoptions is read for it.
export const FACETS = [
  { key: 'land', label: 'Land', level: 'adoption', values: (a) => [...a.places.states] },
  { key: 'kreis', label: 'Kreis', level: 'adoption', values: (a) => [...a.places.counties] },
  { key: 'status', label: 'Status der Übernahme', level: 'adoption', values: (a) => [a.status] },
  { key: 'jahr', label: 'Beginn (Jahr)', level: 'adoption', values: (a) => (a.startedOn ? [a.startedOn.slice(0, 4)] : []) },
  { key: 'thema', label: 'Thema', level: 'solution', values: (s) => s.categories.map((c) => c.id) },
  { key: 'bedarf', label: 'Bedarf', level: 'solution', values: (s) => s.needs.map((n) => n.id) },
  { key: 'reife', label: 'Reifegrad', level: 'solution', values: (s) => (s.maturity ? [s.maturity] : []) },
  { key: 'auszeichnung', label: 'Auszeichnung', level: 'solution', values: (s) => s.awards.map((a) => a.awardId) },
];

// The adoptions of `solution` that pass every adoption filter in `chosen`; null when no adoption
// filter is set (then every solution qualifies, with or without adoptions).
function matchingAdoptions(solution, chosen) {
  const active = FACETS.filter((f) => f.level === 'adoption' && chosen[f.key]);
  if (!active.length) return null;
  return solution.adoptions.filter((a) => active.every((f) => f.values(a).includes(chosen[f.key])));
}

export function matches(solution, chosen) {
  const solutionFilters = FACETS.filter((f) => f.level === 'solution' && chosen[f.key]);
  if (!solutionFilters.every((f) => f.values(solution).includes(chosen[f.key]))) return false;
  const adoptions = matchingAdoptions(solution, chosen);
  return adoptions == null || adoptions.length > 0;
}

// For one filter: how many solutions each of its values leaves, given all the other filters.
export function facetCounts(solutions, chosen, facet) {
  const others = { ...chosen, [facet.key]: '' };
  const counts = new Map();
  for (const s of solutions) {
    if (!matches(s, others)) continue;
    const pool = facet.level === 'solution' ? [s] : (matchingAdoptions(s, others) || s.adoptions);
    const values = new Set(pool.flatMap((x) => facet.values(x)));
    for (const v of values) counts.set(v, (counts.get(v) || 0) + 1);
  }
  return counts;
}

async function loadCatalogue() {
  const [solutions, adoptions, states] = await Promise.all([
    allNodes(CATALOGUE_SOLUTIONS, { first: PAGE }, (d) => d.solutions),
    allNodes(CATALOGUE_ADOPTIONS, { first: PAGE }, (d) => d.adoptions),
    loadCounties(),
  ]);
  const names = new Map();
  const countyIds = new Set();
  for (const s of states) {
    names.set(s.id, s.name);
    for (const c of s.counties) { names.set(c.id, c.name); countyIds.add(c.id); }
  }
  const bySolution = new Map(solutions.map((s) => [s.id, { ...s, adoptions: [] }]));
  for (const a of adoptions) {
    const s = bySolution.get(a.solution.id);
    if (s) s.adoptions.push({ ...a, places: placesOf(a.adopter, countyIds) });
  }
  for (const s of solutions) {
    for (const c of [...s.categories, ...s.needs]) names.set(c.id, c.label);
    for (const a of s.awards) names.set(a.awardId, a.award);
  }
  return { solutions: [...bySolution.values()], names };
}

function valueLabel(facet, value, names) {
  if (facet.key === 'status') return status(value);
  if (facet.key === 'reife') return maturity(value);
  return names.get(value) || value;
}

function sortedValues(facet, values, names) {
  if (facet.key === 'status') return Object.keys(STATUS).filter((s) => values.has(s));
  if (facet.key === 'jahr') return [...values].sort().reverse();
  return [...values].sort((x, y) => valueLabel(facet, x, names).localeCompare(valueLabel(facet, y, names), 'de'));
}

function row(s, chosen) {
  const adoptions = matchingAdoptions(s, chosen) || s.adoptions;
  const active = adoptions.filter((a) => ['PILOT', 'ADOPTED', 'SCALED'].includes(a.status));
  const adopters = new Set(adoptions.map((a) => a.adopter.id));
  const years = adoptions.map((a) => a.startedOn).filter(Boolean).sort();
  return h('tr', { 'data-id': s.id, 'data-adopters': adopters.size },
    h('th', { scope: 'row', 'data-csv': s.name }, link(hrefFor(s.id), s.name), ' ', illustrativeBadge(s)),
    h('td', {}, maturity(s.maturity)),
    h('td', {}, s.categories.map((c) => c.label).join(', ') || '–'),
    h('td', {}, s.needs.map((n) => n.label).join(', ') || '–'),
    h('td', { class: 'number', 'data-csv': adopters.size }, formatNumber(adopters.size),
      active.length < adoptions.length ? h('span', { class: 'meta' }, ` (${active.length} aktiv)`) : null),
    h('td', {}, years.length ? years[0].slice(0, 4) : '–'),
    h('td', {}, s.awards.map((a) => `${a.award}${a.year ? ` ${a.year}` : ''}`).join(', ') || '–'),
    provenanceCell(s));
}

export async function renderCatalogue(page, { params }) {
  document.title = 'Lösungen – copgraph Explorer';
  page.append(h('h1', {}, 'Lösungskatalog'), h('p', { class: 'lead' },
    'Alle erfassten Lösungen. Filtern Sie nach Ort, Status und Jahr der Übernahmen oder nach Thema, Bedarf, '
    + 'Reifegrad und Auszeichnung; die Zahl hinter jeder Auswahl sagt, wie viele Lösungen dann übrig bleiben.'));
  const data = await withStatus('Katalog wird geladen …', loadCatalogue, 'Der Katalog konnte nicht geladen werden');
  if (!data) return;
  const chosen = Object.fromEntries(FACETS.map((f) => [f.key, params.get(f.key) || '']));
  const form = h('form', { class: 'filters', 'aria-label': 'Filter', onsubmit: (e) => e.preventDefault() });
  const results = h('div', { id: 'katalog-ergebnis', 'aria-live': 'polite' });
  page.append(form, results);

  function update() {
    window.history.replaceState(null, '', hashFor('loesungen', null, chosen));
    const { solutions, names } = data;
    form.replaceChildren(...FACETS.map((facet) => {
      const counts = facetCounts(solutions, chosen, facet);
      const all = new Set(solutions.flatMap((s) => (facet.level === 'solution' ? facet.values(s)
        : s.adoptions.flatMap((a) => facet.values(a)))));
      if (chosen[facet.key]) all.add(chosen[facet.key]);
      const total = solutions.filter((s) => matches(s, { ...chosen, [facet.key]: '' })).length;
      const id = `filter-${facet.key}`;
      const select = h('select', { id, name: facet.key, onchange: (e) => { chosen[facet.key] = e.target.value; update(); } },
        h('option', { value: '' }, `alle (${total})`),
        sortedValues(facet, all, names).map((v) => h('option', { value: v, selected: v === chosen[facet.key] },
          `${valueLabel(facet, v, names)} (${counts.get(v) || 0})`)));
      return h('div', { class: 'filter' }, h('label', { for: id }, facet.label), select);
    }), h('button', { type: 'button', class: 'secondary', onclick: () => {
      for (const f of FACETS) chosen[f.key] = '';
      update();
    } }, 'Alle Filter zurücksetzen'));
    const shown = solutions.filter((s) => matches(s, chosen)).sort((x, y) => {
      const n = (s) => new Set((matchingAdoptions(s, chosen) || s.adoptions).map((a) => a.adopter.id)).size;
      return n(y) - n(x) || x.name.localeCompare(y.name, 'de');
    });
    const summary = h('p', { class: 'meta', id: 'katalog-anzahl', 'data-count': shown.length },
      `${shown.length} von ${solutions.length} Lösungen`);
    if (!shown.length) {
      const active = FACETS.filter((f) => chosen[f.key]);
      results.replaceChildren(summary, h('div', { class: 'empty-state' },
        h('p', {}, 'Keine Lösung passt zu allen gewählten Filtern zugleich.'),
        h('p', {}, 'Lassen Sie einen Filter weg:'),
        h('ul', {}, active.map((f) => {
          const without = solutions.filter((s) => matches(s, { ...chosen, [f.key]: '' })).length;
          return h('li', {}, h('button', { type: 'button', class: 'linklike', 'data-drop': f.key,
            onclick: () => { chosen[f.key] = ''; update(); } },
          `ohne „${f.label}: ${valueLabel(f, chosen[f.key], names)}“ – ${without} Lösung${without === 1 ? '' : 'en'}`));
        }))));
      return;
    }
    const table = h('table', { class: 'data', id: 'katalog' },
      h('caption', {}, 'Lösungen; Anwender = verschiedene Anwender mit einer Übernahme, die zu den Filtern passt'),
      h('thead', {}, h('tr', {}, ['Lösung', 'Reifegrad', 'Themen', 'Bedarfe', 'Anwender', 'Erste Übernahme',
        'Auszeichnungen', 'Herkunft der Angaben'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, shown.map((s) => row(s, chosen))));
    results.replaceChildren(summary, tableWithCsv(table, 'loesungskatalog'));
  }
  update();
  if (!data.solutions.length) results.replaceChildren(empty('Es sind noch keine Lösungen erfasst.'));
}
