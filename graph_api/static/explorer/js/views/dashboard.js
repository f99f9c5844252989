// County dashboard, the top of a county's page: what the county's municipalities practise per
// topic (coverage, defined by the API's `coverage`: own adoption or via Amt or county), which
// inhabited municipalities lack a topic (`coverageGaps`), how adoptions spread over the years,
// every adoption with its sources, and who bridges county and municipalities.
import { allNodes, gql } from '../api.js';
import { drawBarChart } from '../chart.js';
import { append, definitionList, empty, h, link, section } from '../dom.js';
import { withStatus } from '../feedback.js';
import { tableWithCsv } from '../export.js';
import { expandNode } from '../expand.js';
import { drawGraph } from '../graph.js';
import { drawMap } from '../map.js';
import { CONTACT_EDGES_NOTE, displayName, formatDate, formatNumber, hrefFor, status, typeName } from '../labels.js';
import { illustrativeBadge, provenanceCell } from '../provenance.js';
import { CATALOGUE_SOLUTIONS, COUNTY_ADOPTIONS, COUNTY_NETWORK, COVERAGE, COVERAGE_GAPS } from '../queries.js';
import { hashFor } from '../router.js';
import { bridgeElements } from './network.js';

const PAGE = 100;
const ACTIVE = new Set(['PILOT', 'ADOPTED', 'SCALED']);
const STARTED = new Set(['PILOT', 'ADOPTED', 'SCALED', 'ABANDONED']);
const PARALLEL = 3;

// Runs `work` over `items` with at most `limit` requests at once (the server is shared).
async function inBatches(items, limit, work) {
  const results = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]);
    }
  }));
  return results;
}

// Adoptions that started (not only considered or planned), counted per start year, every year from
// the first to the last shown even when nothing started; the running total beside each.
export function diffusion(adoptions) {
  const years = adoptions.filter((a) => STARTED.has(a.status) && a.startedOn).map((a) => Number(a.startedOn.slice(0, 4)));
  if (!years.length) return [];
  const counts = new Map();
  for (const y of years) counts.set(y, (counts.get(y) || 0) + 1);
  const rows = [];
  let total = 0;
  for (let y = Math.min(...years); y <= Math.max(...years); y += 1) {
    total += counts.get(y) || 0;
    rows.push({ label: String(y), value: counts.get(y) || 0, total });
  }
  return rows;
}

async function topicsOfAllSolutions() {
  const solutions = await allNodes(CATALOGUE_SOLUTIONS, { first: PAGE }, (d) => d.solutions);
  const topics = new Map();
  for (const s of solutions) for (const c of s.categories) topics.set(c.id, c.label);
  return [...topics].map(([id, label]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label, 'de'));
}

async function coverageSection(holder, county, adoptions) {
  const topics = await withStatus('Abdeckung je Thema wird berechnet …', topicsOfAllSolutions,
    'Die Themen konnten nicht geladen werden');
  if (!topics) return;
  if (!topics.length) { holder.replaceChildren(empty('Es sind noch keine Lösungen mit Themen erfasst.')); return; }
  const rows = await withStatus('Abdeckung je Thema wird berechnet …', () => inBatches(topics, PARALLEL, async (t) => {
    const data = await gql(COVERAGE, { county: county.id, category: t.id });
    return { ...t, total: data.coverage.length, covered: data.coverage.filter((c) => c.covered).length,
      gaps: data.coverageGaps.totalCount };
  }), 'Die Abdeckung konnte nicht berechnet werden');
  if (!rows) return;
  rows.sort((a, b) => b.covered - a.covered || a.label.localeCompare(b.label, 'de'));
  const solutionsIn = (topic) => new Set(adoptions.filter((a) => ACTIVE.has(a.status)
    && a.solution.categories.some((c) => c.id === topic)).map((a) => a.solution.id)).size;
  const table = h('table', { class: 'data', id: 'abdeckung' },
    h('caption', {}, 'Gemeinden mit aktiver Übernahme (Pilot, eingeführt, ausgeweitet) je Thema – eigene oder über '
      + 'Amt oder Kreis'),
    h('thead', {}, h('tr', {}, ['Thema', 'Abgedeckt', 'Anteil', 'Lücken (bewohnt, ohne)', 'Lösungen im Kreis']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, rows.map((r) => h('tr', { 'data-id': r.id, 'data-covered': r.covered, 'data-gaps': r.gaps },
      h('th', { scope: 'row' }, r.label),
      h('td', { class: 'number', 'data-csv': r.covered }, `${formatNumber(r.covered)} von ${formatNumber(r.total)}`),
      h('td', { 'data-csv': r.total ? (r.covered / r.total).toFixed(3) : '0' },
        h('meter', { min: 0, max: Math.max(1, r.total), value: r.covered,
          'aria-label': `${r.label}: ${r.covered} von ${r.total} Gemeinden` }),
        ` ${r.total ? Math.round((100 * r.covered) / r.total) : 0} %`),
      h('td', { class: 'number', 'data-csv': r.gaps }, r.gaps
        ? link(hashFor('kreis', county.id, { luecken: r.id }), formatNumber(r.gaps), {
          'aria-label': `${r.gaps} Lücken bei ${r.label} zeigen` }) : '0'),
      h('td', {}, link(hashFor('loesungen', null, { kreis: county.id, thema: r.id }),
        `${solutionsIn(r.id)} mit genau diesem Thema`))))));
  holder.replaceChildren(tableWithCsv(table, `abdeckung-${county.name}`));
  return rows;
}

async function gapsSection(holder, county, topics, asked) {
  // the asked topic, else the best-covered one that still has gaps (the closest to complete)
  const chosen = asked || (topics.find((t) => t.gaps > 0 && t.covered > 0) || topics.find((t) => t.gaps > 0)
    || topics[0]).id;
  const select = h('select', { id: 'luecken-thema' }, topics.map((t) => h('option',
    { value: t.id, selected: t.id === chosen }, `${t.label} (${t.gaps})`)));
  const list = h('div', { id: 'luecken' });
  async function show(topic) {
    const t = topics.find((x) => x.id === topic) || topics[0];
    const gaps = await withStatus('Lücken werden geladen …', () => allNodes(COVERAGE_GAPS,
      { county: county.id, category: t.id, first: PAGE }, (d) => d.coverageGaps), 'Die Lücken konnten nicht geladen werden');
    if (!gaps) return;
    if (!gaps.length) {
      list.replaceChildren(h('div', { class: 'empty-state' }, h('p', {}, `Keine Lücke: jede bewohnte Gemeinde des `
        + `Kreises hat beim Thema „${t.label}“ eine aktive Übernahme, eigene oder über Amt oder Kreis.`)));
      return;
    }
    const table = h('table', { class: 'data', id: 'luecken-tabelle' },
      h('caption', {}, `Bewohnte Gemeinden ohne aktive Übernahme beim Thema „${t.label}“`),
      h('thead', {}, h('tr', {}, ['Gemeinde', 'Einwohner', 'Gemeindeverband', 'Passende Lösungen']
        .map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, gaps.map((m) => h('tr', { 'data-id': m.id },
        h('th', { scope: 'row' }, link(hrefFor(m.id), m.name)),
        h('td', { class: 'number', 'data-csv': m.population == null ? '' : m.population }, formatNumber(m.population)),
        h('td', {}, m.association && m.association.kind !== 'verbandsfreie Gemeinde' ? m.association.name : '–'),
        h('td', {}, link(hrefFor(m.id), 'Empfehlungen ansehen'))))));
    list.replaceChildren(h('p', { class: 'meta' }, `${gaps.length} Gemeinden ohne aktive Übernahme`),
      tableWithCsv(table, `luecken-${t.label}-${county.name}`));
  }
  select.addEventListener('change', () => {
    window.history.replaceState(null, '', hashFor('kreis', county.id, { luecken: select.value }));
    show(select.value);
  });
  holder.replaceChildren(h('div', { class: 'filter' }, h('label', { for: 'luecken-thema' }, 'Thema '), select), list);
  await show(select.value);
}

function adoptionsTable(county, adoptions) {
  if (!adoptions.length) {
    return h('div', { class: 'empty-state' }, h('p', {}, `Für ${county.name} ist noch keine Übernahme erfasst.`),
      h('p', {}, 'Der ', link('#/loesungen', 'Lösungskatalog'), ' zeigt, was anderswo schon läuft.'));
  }
  const sorted = [...adoptions].sort((a, b) => (b.startedOn || '').localeCompare(a.startedOn || '')
    || a.id.localeCompare(b.id));
  const table = h('table', { class: 'data', id: 'kreis-uebernahmen' },
    h('caption', {}, 'Alle Übernahmen im Kreis, neueste zuerst'),
    h('thead', {}, h('tr', {}, ['Lösung', 'Anwender', 'Status', 'Beginn', 'Herkunft der Angaben']
      .map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', {}, sorted.map((a) => h('tr', { 'data-id': a.id, 'data-illustrative': String(a.illustrative) },
      h('th', { scope: 'row', 'data-csv': a.solution.name }, link(hrefFor(a.solution.id), a.solution.name), ' ',
        illustrativeBadge(a)),
      h('td', {}, link(hrefFor(a.adopter.id), a.adopter.name), h('span', { class: 'meta' },
        ` (${typeName(a.adopter.__typename)})`)),
      h('td', {}, h('span', { class: `badge status-${a.status.toLowerCase()}` }, status(a.status))),
      h('td', {}, formatDate(a.startedOn)),
      provenanceCell(a)))));
  return tableWithCsv(table, `uebernahmen-${county.name}`);
}

async function networkSection(holder, county) {
  const data = await withStatus('Brücken werden berechnet …', () => gql(COUNTY_NETWORK, { county: county.id, first: 30 }),
    'Brücken und Schlüsselpersonen konnten nicht berechnet werden');
  if (!data) return;
  const bridges = data.countyMunicipalBridges;
  const risks = data.keyPersonRisks.risks;
  const { reachedCount, municipalityCount, maxHops } = data.countyReach;
  const figure = h('figure', { class: 'graph', id: 'kreis-bruecken-graph' });
  const parts = [
    h('p', { class: 'note', id: 'kantenmenge' }, CONTACT_EDGES_NOTE),
    h('p', { class: 'meta' }, `${reachedCount} von ${municipalityCount} Gemeinden sind von der Kreisverwaltung über `
      + `höchstens ${maxHops} Schritte erreichbar. `, link(hashFor('netzwerk', null, { kreis: county.id }),
      'Nicht erreichte Gemeinden und Kontaktpfade im Netzwerk ansehen')),
  ];
  if (bridges.length) {
    parts.push(figure, tableWithCsv(h('table', { class: 'data', id: 'kreis-bruecken' },
      h('caption', {}, 'Brücken zwischen Kreisverwaltung und Gemeinden, stärkste zuerst'),
      h('thead', {}, h('tr', {}, ['Brücke', 'Art', 'Wert', 'Gemeinden'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, bridges.map((b) => h('tr', { 'data-id': b.node.id },
        h('th', { scope: 'row' }, link(hrefFor(b.node.id), displayName(b.node))),
        h('td', {}, typeName(b.node.__typename)), h('td', { class: 'number' }, b.score.toLocaleString('de-DE')),
        h('td', {}, b.municipalities.map((m, i) => [i ? ', ' : '', link(hrefFor(m.id), m.name)])))))),
    `bruecken-${county.name}`));
  } else {
    parts.push(h('div', { class: 'empty-state' }, h('p', {}, 'Keine Brücken gefunden: im Graphen verbindet noch '
      + 'niemand die Kreisverwaltung mit den Gemeinden.'), h('p', {}, 'Erfassen Sie Ansprechpersonen und '
      + 'Projekte, die Kreis und Gemeinden verbinden.')));
  }
  parts.push(h('h3', {}, 'Schlüsselpersonen-Risiken'), risks.length
    ? tableWithCsv(h('table', { class: 'data', id: 'kreis-risiken' },
      h('caption', {}, 'Gemeinden, deren kürzeste Kontaktwege vom Kreis alle über eine Person laufen'),
      h('thead', {}, h('tr', {}, ['Gemeinde', 'Person (Rolle)', 'Schritte'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, risks.map((r) => h('tr', { 'data-id': r.municipality.id, 'data-person': r.person.id },
        h('th', { scope: 'row' }, link(hrefFor(r.municipality.id), r.municipality.name)),
        h('td', {}, link(hrefFor(r.person.id), r.person.name)), h('td', { class: 'number' }, String(r.hops)))))),
    `schluesselpersonen-${county.name}`)
    : h('p', { class: 'empty' }, 'Keine Gemeinde hängt an einer einzelnen Person.'));
  holder.replaceChildren(...parts);
  if (bridges.length) {
    drawGraph(figure, bridgeElements(bridges, risks), { title: 'Brücken (größer = stärker) und ihre Gemeinden; '
      + 'rot umrandet: Schlüsselpersonen; ein Klick auf einen Knoten blendet seine Nachbarn ein', layout: 'cose',
    expand: expandNode });
  }
}

export async function renderDashboard(page, county, params) {
  const overview = h('div', {});
  const coverage = h('div', { id: 'abdeckung-block' }, h('p', { class: 'meta' }, 'Wird berechnet …'));
  const gaps = h('div', { id: 'luecken-block' });
  const chart = h('figure', { class: 'chart', id: 'verbreitung' });
  const adoptionsHolder = h('div', {});
  const network = h('div', { id: 'netz-block' }, h('p', { class: 'meta' }, 'Wird berechnet …'));
  page.append(overview,
    section('Abdeckung je Thema', h('p', { class: 'meta' }, 'Eine Gemeinde gilt als abgedeckt, wenn sie selbst, ihr '
      + 'Amt bzw. Gemeindeverband oder der Kreis eine Lösung des Themas (oder eines Unterthemas) in Pilotphase, '
      + 'eingeführt oder ausgeweitet nutzt.'), coverage),
    section('Lücken', gaps),
    section('Verbreitung über die Zeit', chart),
    section('Übernahmen im Kreis', adoptionsHolder),
    section('Brücken und Schlüsselpersonen', network));
  const adoptions = await withStatus('Übernahmen im Kreis werden geladen …', () => allNodes(COUNTY_ADOPTIONS,
    { county: county.id, first: PAGE }, (d) => d.adoptions), 'Die Übernahmen konnten nicht geladen werden');
  if (!adoptions) return;
  const active = adoptions.filter((a) => ACTIVE.has(a.status));
  overview.replaceChildren(definitionList([
    ['Übernahmen im Kreis', `${formatNumber(adoptions.length)} (davon ${formatNumber(active.length)} aktiv)`],
    ['Lösungen in aktiver Nutzung', formatNumber(new Set(active.map((a) => a.solution.id)).size)],
    ['Nur illustrativ belegt', `${formatNumber(adoptions.filter((a) => a.illustrative).length)} der Übernahmen`],
  ]));
  adoptionsHolder.replaceChildren(adoptionsTable(county, adoptions));
  const rows = diffusion(adoptions);
  if (rows.length) {
    drawBarChart(chart, { title: `Begonnene Übernahmen je Jahr in ${county.name}`, rows,
      valueLabel: 'begonnen im Jahr', totalLabel: 'Summe seit Beginn', filename: `verbreitung-${county.name}` });
    const undated = adoptions.filter((a) => STARTED.has(a.status) && !a.startedOn).length;
    if (undated) chart.append(h('p', { class: 'meta' }, `${undated} begonnene Übernahme(n) ohne Datum sind nicht enthalten.`));
  } else {
    chart.replaceWith(h('div', { class: 'empty-state' }, h('p', {}, 'Noch keine begonnene Übernahme mit Datum im Kreis, '
      + 'daher kein Verlauf.')));
  }
  const [topics] = await Promise.all([coverageSection(coverage, county, adoptions), networkSection(network, county)]);
  if (topics && topics.length) await gapsSection(gaps, county, topics, params.get('luecken'));
  else gaps.replaceChildren(empty('Ohne Themen keine Lücken.'));
  return adoptions;
}

// The county's municipalities on a map, those with an active adoption of their own as adopters.
export function countyMap(figure, county, municipalities, adoptions) {
  const solutionsOf = new Map();
  for (const a of adoptions.filter((x) => ACTIVE.has(x.status) && x.adopter.__typename === 'Municipality')) {
    solutionsOf.set(a.adopter.id, [...(solutionsOf.get(a.adopter.id) || []), a.solution.name]);
  }
  const points = municipalities.filter((m) => m.location).map((m) => ({
    id: m.id, label: m.name, lat: m.location.lat, lon: m.location.lon, precision: m.location.precision,
    kind: solutionsOf.has(m.id) ? 'adopter' : 'municipality',
    note: solutionsOf.has(m.id) ? [...new Set(solutionsOf.get(m.id))].join(', ') : null,
  }));
  const others = adoptions.filter((a) => ACTIVE.has(a.status) && a.adopter.__typename !== 'Municipality');
  drawMap(figure, { title: `Gemeinden in ${county.name}; grün: mit eigener aktiver Übernahme`, points,
    filename: `karte-${county.name}` });
  const unplaced = municipalities.length - points.length;
  append(figure, [
    others.length ? h('p', { class: 'meta' }, 'Nicht als Punkt gezeigt, weil sie für mehrere Gemeinden gelten: ',
      [...new Map(others.map((a) => [a.adopter.id, a.adopter])).values()].map((x, i) => [i ? ', ' : '',
        link(hrefFor(x.id), x.name)]), '.') : null,
    unplaced ? h('p', { class: 'meta' }, `${unplaced} Gemeinde(n) ohne Koordinaten.`) : null]);
}
